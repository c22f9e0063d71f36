"""``/feed.xml`` (Atom), ``/sitemap.xml``, ``/robots.txt`` and ``/404.html``.

Runs after every page family, so the sitemap lists every page the build wrote (and every
report carried over unchanged): the ``.html`` paths in ``staging.hashes``. Feed and sitemap
use absolute URLs from ``base_url``; timestamps come from report dates (and recorded
revisions), never from the clock, so an unchanged site rebuilds byte for byte. The 404 page
is served by the host at whatever path was missing, so its links are root-relative.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

from generator.report import Report
from generator.revisions import Revision
from generator.site.context import SiteContext, Written
from generator.site.views import report_title
from generator.write import Staging

#: Entries in the feed: the newest reports, about ten weeks of trading days. Older reports stay
#: in the archive and the sitemap; feed readers poll this file, so it stays small.
FEED_LIMIT = 50
KST = dt.timezone(dt.timedelta(hours=9), "KST")
#: The KRX regular session closes at 15:30 Seoul time: a report's nominal publication time.
CLOSE = dt.time(15, 30)
#: A stable, host-independent id prefix, so entry ids survive a move to another domain.
TAG = "tag:kospi-report,2026:"


def _stamp(value: str | None) -> dt.datetime | None:
    """An ISO timestamp or date from front matter or the revisions record, timezone-aware."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)


def report_times(ctx: SiteContext, report: Report, revisions_by_day: dict[str, list[Revision]]) -> tuple[dt.datetime, dt.datetime]:
    """(published, updated): the close of the report's day; updated by a later editor's note
    or revision of its figures (``revisions_by_day``, from the report pages)."""
    published = dt.datetime.combine(report.day, CLOSE, KST)
    updated = published
    note = ctx.data.commentary.get(report.day)
    candidates = [_stamp(note.published) if note else None, _stamp(note.updated) if note else None]
    for rev in revisions_by_day.get(report.day.isoformat(), []):
        candidates.append(_stamp(rev.revised))
    for when in candidates:
        if when is not None and when > updated:
            updated = when
    return published, updated


def feed_xml(ctx: SiteContext, revisions_by_day: dict[str, list[Revision]]) -> bytes:
    config = ctx.data.config
    # Each edition has its own feed (/feed.xml, /ko/feed.xml), its ids and links its own.
    edition, tr = ctx.renderer.edition, ctx.renderer.gettext
    prefix = edition.prefix
    english = edition.lang == "en"
    fg = FeedGenerator()
    fg.id(TAG + ("feed" if english else f"feed-{edition.lang}"))
    fg.title(tr(config.title))
    fg.subtitle(tr(config.description))
    fg.author({"name": config.author})
    fg.link(href=config.absolute(prefix), rel="alternate", type="text/html")
    fg.link(href=config.absolute(prefix + "feed.xml"), rel="self", type="application/atom+xml")
    fg.language(config.language if english else edition.lang)
    fg.generator(config.title)
    newest = list(reversed(ctx.reports))[:FEED_LIMIT]
    latest = dt.datetime.combine(dt.date(2000, 1, 1), CLOSE, KST)
    for report in newest:
        published, updated = report_times(ctx, report, revisions_by_day)
        latest = max(latest, updated)
        note = ctx.data.commentary.get(report.day)
        entry = fg.add_entry(order="append")
        entry.id(f"{TAG}{'report' if english else 'report-' + edition.lang}:{report.day.isoformat()}")
        entry.title(report_title(ctx.data, report))
        entry.link(href=config.absolute(prefix + report.path), rel="alternate", type="text/html")
        entry.summary(" ".join(report.lede) or (note.summary if note else "") or report_title(ctx.data, report))
        entry.published(published)
        entry.updated(updated)
        entry.author({"name": note.author if note and note.author else config.author})
    fg.updated(latest)
    return fg.atom_str(pretty=True)


def pretty(path: str) -> str:
    """``reports/2026-01-07/index.html`` -> ``reports/2026-01-07/``; ``index.html`` -> ``""``."""
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def sitemap_xml(ctx: SiteContext, pages: list[str], revisions_by_day: dict[str, list[Revision]]) -> str:
    """Every page as an absolute, pretty URL; reports carry the date they last changed."""
    modified: dict[str, dt.date] = {}
    for report in ctx.reports:
        modified[report.path + "index.html"] = report_times(ctx, report, revisions_by_day)[1].date()
    if ctx.reports:
        modified["index.html"] = modified[ctx.reports[-1].path + "index.html"]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in pages:
        lastmod = f"<lastmod>{modified[path].isoformat()}</lastmod>" if path in modified else ""
        lines.append(f"<url><loc>{escape(ctx.data.config.absolute(pretty(path)))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def site_pages(staging: Staging) -> list[str]:
    """The HTML pages written so far, home first, except the 404 page."""
    pages = sorted(p for p in staging.hashes if p.endswith(".html") and p != "404.html")
    return sorted(pages, key=lambda p: (p != "index.html", p))


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    config = ctx.data.config
    latest = ctx.reports[-1].day if ctx.reports else None
    page = ctx.renderer.render("404.html", "404.html", root_relative=True, canonical="", title="Page not found", latest=latest)
    staging.add("404.html", page)
    revisions_by_day = written.reports.revisions_by_day
    if ctx.reports:
        staging.add("feed.xml", feed_xml(ctx, revisions_by_day))
    staging.add("sitemap.xml", sitemap_xml(ctx, site_pages(staging), revisions_by_day))
    staging.add("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('sitemap.xml')}\n")
