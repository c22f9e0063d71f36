"""Report pages ``/reports/YYYY-MM-DD/``, their chart CSVs, and snapshots ``/data/snapshots/YYYY-MM-DD.json``.

A report whose inputs are unchanged since the last build is carried over, not rendered
(generator/incremental.py). A snapshot that differs from the published one is a revision: the
old one is kept as ``YYYY-MM-DD.vN.json`` and the page says what changed (generator/revisions.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from generator import revisions
from generator.pages import chart_csv, render_report, snapshot_json
from generator.site import SiteContext
from generator.write import Staging, digest


def write(ctx: SiteContext, staging: Staging) -> None:
    published = revisions.load_record(staging.out)
    by_day: dict[str, list[revisions.Revision]] = defaultdict(list)
    for rev in published:
        by_day[rev.date].append(rev)
    for kept in revisions.kept_versions(staging.out):
        staging.keep(kept)
    new: list[revisions.Revision] = []
    total = len(ctx.reports)
    for n, report in enumerate(ctx.reports, 1):
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
        _report_page(ctx, staging, report, by_day[day])
        if ctx.progress and (n % 50 == 0 or n == total):
            ctx.progress("reports", n, total)
    ctx.shared["revisions"] = new
    ctx.shared["revisions_by_day"] = by_day
    staging.add(revisions.RECORD, revisions.record_json(published + new))


def _report_page(ctx: SiteContext, staging: Staging, report, day_revisions: list) -> None:
    charts = ctx.catalogue.report_charts(report.day, report.snap)
    files = [report.path + "index.html"] + [report.path + c.csv_name for c in charts]
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
        return
    html, _ = render_report(ctx.renderer, ctx.data, report, ctx.catalogue, charts=charts, revisions=day_revisions)
    staging.add(files[0], html)
    for chart in charts:
        staging.add(report.path + chart.csv_name, chart_csv(chart))
