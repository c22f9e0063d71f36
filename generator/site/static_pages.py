"""Pages from ``content/pages/<slug>.md`` at ``/<slug>/`` (about, methodology ...), ``/search/``
and ``/glossary/`` (the terms the ledes link to, from generator/story/glossary.py).

The search page is written here, with the other standalone pages, so that the sitemap (built
by the feeds family) lists it; the search family that runs last then indexes the site for it.
"""

from __future__ import annotations

from generator.markup import render_markdown
from generator.site.context import SiteContext, Written
from generator.site.search import available as search_available
from generator.site.search import merged_bundles
from generator.story.glossary import TERMS
from generator.story.glossary_ko import TERMS_KO
from generator.write import Staging

#: Paths the site's own pages use: a content page with one of these slugs is not written.
RESERVED = frozenset({"reports", "archive", "indicators", "stocks", "research", "data", "search", "assets", "pagefind", "glossary"})


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    reserved = RESERVED | written.research.reserved_slugs
    for slug, page in ctx.data.pages.items():
        if slug in reserved:
            continue
        path = f"{slug}/index.html"
        description = page.meta.get("description") if isinstance(page.meta.get("description"), str) else None
        html = ctx.renderer.render(
            "page.html", path, page=page, body=render_markdown(page.body), title=page.title, section=slug,
            **({"description": description} if description else {}),
        )
        staging.add(path, html)
    html = ctx.renderer.render(
        "search.html", "search/index.html", title="Search", section="search", search_available=search_available(),
        search_merge=merged_bundles(ctx),
        description="Search every daily report and editor's note.",
    )
    staging.add("search/index.html", html)
    html = ctx.renderer.render(
        "glossary.html", "glossary/index.html", title="Glossary", section="glossary",
        terms=sorted((TERMS_KO if ctx.renderer.edition.lang == "ko" else TERMS).values(), key=lambda t: t.name), description="The market terms the daily reports use, explained.",
    )
    staging.add("glossary/index.html", html)
