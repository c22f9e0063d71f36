"""Pages from ``content/pages/<slug>.md`` at ``/<slug>/`` (about, methodology ...)."""

from __future__ import annotations

from generator.markup import render_markdown
from generator.site import SiteContext
from generator.write import Staging


def write(ctx: SiteContext, staging: Staging) -> None:
    for slug, page in ctx.data.pages.items():
        if slug in ctx.shared.get("reserved_slugs", ()):
            continue
        path = f"{slug}/index.html"
        staging.add(path, ctx.renderer.render("page.html", path, page=page, body=render_markdown(page.body), title=page.title))
