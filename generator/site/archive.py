"""The archive ``/archive/``: every report by year and month."""

from __future__ import annotations

from generator.pages import archive_context
from generator.site import SiteContext
from generator.write import Staging


def write(ctx: SiteContext, staging: Staging) -> None:
    html = ctx.renderer.render("archive.html", "archive/index.html", **archive_context(ctx.data, ctx.reports))
    staging.add("archive/index.html", html)
