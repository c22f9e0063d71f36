"""``/assets/``: the stylesheet, the site scripts, the icon and the Vega bundle, served by the site
itself (no CDN); and ``/favicon.ico``, drawn from the icon.

``assets/vega.js`` is vl-convert's bundle of Vega, Vega-Lite and vega-embed (which carries
Vega's expression interpreter, so charts draw under a CSP without 'unsafe-eval'). Every page
links the same URL, so a browser fetches it once and caches it across pages. Bundling takes
about a second, so the bundle is kept in the chart cache, keyed by the vl-convert version.

``assets/specs/`` holds every chart template of every edition, one script each
(``ChartTemplate.spec_script``): pages carry only their charts' rows, and the part of a chart
that is the same on every page is fetched once.
"""

from __future__ import annotations

import struct
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import vl_convert

from generator.cache import default_cache_dir, write_cache_file
from generator.render import templates_dir
from generator.site.context import SiteContext, Written
from generator.write import Staging

#: The license of the bundled libraries (Vega, Vega-Lite, vega-embed: BSD-3-Clause).
BUNDLE_NOTICE = (
    "/*! Vega, Vega-Lite and vega-embed, bundled by vl-convert {version}. BSD-3-Clause licenses:"
    " https://github.com/vega/vega/blob/main/LICENSE, https://github.com/vega/vega-lite/blob/main/LICENSE,"
    " https://github.com/vega/vega-embed/blob/main/LICENSE */\n"
)


def _vl_convert_version() -> str:
    try:
        return version("vl-convert-python")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


@cache
def _bundle_text() -> str:
    # The stub marks ``snippet`` required; at run time it defaults to the one setting window.vegaEmbed.
    return vl_convert.javascript_bundle()  # type: ignore[call-arg]


def vega_bundle(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and vega-embed in one script that sets ``window.vegaEmbed`` and
    ``window.vega``; read from ``cache_dir`` when an earlier build left it there."""
    ver = _vl_convert_version()
    cached = cache_dir / f"vega-bundle-{ver}.js" if cache_dir is not None else None
    if cached is not None:
        try:
            return cached.read_text(encoding="utf-8")
        except OSError:
            pass
    text = BUNDLE_NOTICE.format(version=ver) + _bundle_text()
    if cached is not None:
        write_cache_file(cached, text.encode("utf-8"))
    return text


def favicon_ico(svg: str, size: int = 32) -> bytes:
    """``favicon.ico`` drawn from the site icon: one PNG image in an ICO container (which every
    browser reads), so the request browsers make for /favicon.ico finds the icon, not a 404."""
    png = vl_convert.svg_to_png(svg, scale=size / 32)
    header = struct.pack("<HHH", 0, 1, 1)  # reserved, type 1 = icon, one image
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    assets = templates_dir() / "assets"
    for path in sorted(assets.rglob("*")):
        if path.is_file():
            staging.add("assets/" + path.relative_to(assets).as_posix(), path.read_bytes())
    staging.add("assets/vega.js", vega_bundle(default_cache_dir()))
    specs = {t.asset: t for c in [ctx.catalogue, *(o.catalogue for o in ctx.other_editions)] for t in c.templates.values()}
    for name in sorted(specs):
        staging.add(name, specs[name].spec_script())
    staging.add("favicon.ico", favicon_ico((assets / "icon.svg").read_text(encoding="utf-8")))
