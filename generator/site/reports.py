"""Report pages ``/reports/YYYY-MM-DD/``, their chart CSVs, and snapshots ``/data/snapshots/YYYY-MM-DD.json``.

A report whose inputs are unchanged since the last build is carried over, not rendered
(generator/incremental.py). The pages that are rendered get their headline chart's static SVG
fallback and PNG social card (``card.png``, the page's ``og:image``), rendered for many pages
at once in parallel worker processes and cached by content hash (generator/charts/images.py). A snapshot that differs from the published one is a revision: the
old one is kept as ``YYYY-MM-DD.vN.json`` and the page says what changed (generator/revisions.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from generator import revisions
from generator.charts.images import RenderStats, default_cache_dir
from generator.pages import Report, chart_csv, render_report, snapshot_json
from generator.site import SiteContext
from generator.write import Staging, digest

#: Reports whose images are rendered together (bounds the images held in memory).
IMAGE_BATCH = 96
CARD = "card.png"


def write(ctx: SiteContext, staging: Staging) -> None:
    published = revisions.load_record(staging.out)
    by_day: dict[str, list[revisions.Revision]] = defaultdict(list)
    for rev in published:
        by_day[rev.date].append(rev)
    for kept in revisions.kept_versions(staging.out):
        staging.keep(kept)
    new: list[revisions.Revision] = []
    total = len(ctx.reports)
    todo: list[tuple[Report, list, list]] = []
    for report in ctx.reports:
        day = report.day.isoformat()
        snap_path = f"data/snapshots/{day}.json"
        text = snapshot_json(report.snap)
        found = revisions.detect(
            staging.out, report.day, text, staging.previous.get(snap_path), digest(text.encode()), by_day[day], ctx.when.date()
        )
        if found:
            rev, old_text = found
            staging.add(rev.kept_path, old_text)
            by_day[day].append(rev)
            new.append(rev)
        staging.add(snap_path, text)
        charts = _unchanged_or_charts(ctx, staging, report, by_day[day])
        if charts is not None:
            todo.append((report, charts, by_day[day]))
    _render_pages(ctx, staging, todo, total)
    ctx.shared["revisions"] = new
    ctx.shared["revisions_by_day"] = by_day
    staging.add(revisions.RECORD, revisions.record_json(published + new))


def _unchanged_or_charts(ctx: SiteContext, staging: Staging, report: Report, day_revisions: list) -> list | None:
    """None when the page is carried over unchanged; else its charts (without images yet)."""
    charts = ctx.catalogue.report_charts(report.day, report.snap, fallback=False)
    files = [report.path + "index.html"] + [report.path + c.csv_name for c in charts]
    if charts and charts[0].template.id == "index-3m":
        files.append(report.path + CARD)
    note = ctx.data.commentary.get(report.day)
    key = ctx.keys.key(
        "report",
        report.snap,
        report.previous,
        report.next,
        [note.title, note.summary, note.author, note.body, note.published, note.updated] if note else None,
        [(c.slug, c.rows, c.alt) for c in charts],
        [asdict(r) for r in day_revisions],
        ctx.data.config,
    )
    if ctx.keys.reuse(staging, report.path, key, files):
        return None
    return charts


def _render_pages(ctx: SiteContext, staging: Staging, todo: list[tuple[Report, list, list]], total: int) -> None:
    """Render the pages that changed, their images a batch at a time in parallel."""
    images = ctx.catalogue.images
    images.configure(default_cache_dir())
    stats = RenderStats()
    done = total - len(todo)
    if ctx.progress and not todo:
        ctx.progress("reports", total, total)
    with images.session():
        for start in range(0, len(todo), IMAGE_BATCH):
            batch = todo[start : start + IMAGE_BATCH]
            stats.add(ctx.catalogue.prepare_report_images([(r.day, r.snap) for r, _, _ in batch]))
            for report, charts, day_revisions in batch:
                _report_page(ctx, staging, report, charts, day_revisions)
                done += 1
                if ctx.progress and (done % 50 == 0 or done == total):
                    ctx.progress("reports", done, total)
            images.forget()
    ctx.shared["chart_images"] = stats


def _report_page(ctx: SiteContext, staging: Staging, report: Report, charts: list, day_revisions: list) -> None:
    ctx.catalogue.attach_fallback(charts)
    html, _ = render_report(ctx.renderer, ctx.data, report, ctx.catalogue, charts=charts, revisions=day_revisions)
    staging.add(report.path + "index.html", html)
    for chart in charts:
        staging.add(report.path + chart.csv_name, chart_csv(chart))
    if charts and charts[0].template.id == "index-3m":
        card = ctx.catalogue.card_png(report.day, report.snap, charts[0])
        if card is not None:
            staging.add(report.path + CARD, card)
