"""The home page ``/``: the latest report in full."""

from __future__ import annotations

from generator.pages import render_report
from generator.site import SiteContext
from generator.write import Staging


def write(ctx: SiteContext, staging: Staging) -> None:
    if not ctx.reports:
        return
    latest = ctx.reports[-1]
    recent = list(reversed(ctx.reports[-6:-1]))
    html, _ = render_report(ctx.renderer, ctx.data, latest, ctx.catalogue, page_path="index.html", recent=recent, is_home=True)
    staging.add("index.html", html)
