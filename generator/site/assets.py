"""``/assets/``: the stylesheet, the site script and the Vega bundle, served by the site itself (no CDN)."""

from __future__ import annotations

from functools import cache

import vl_convert

from generator.render import templates_dir
from generator.site import SiteContext
from generator.write import Staging


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script that sets ``window.vegaEmbed``."""
    return vl_convert.javascript_bundle()


def write(ctx: SiteContext, staging: Staging) -> None:
    assets = templates_dir() / "assets"
    for path in sorted(assets.rglob("*")):
        if path.is_file():
            staging.add("assets/" + path.relative_to(assets).as_posix(), path.read_bytes())
    staging.add("assets/vega.js", vega_bundle())
