"""Report pages ``/reports/YYYY-MM-DD/``, their chart CSVs, and snapshots ``/data/snapshots/YYYY-MM-DD.json``."""

from __future__ import annotations

from generator.pages import chart_csv, render_report, snapshot_json
from generator.site import SiteContext
from generator.write import Staging


def write(ctx: SiteContext, staging: Staging) -> None:
    for report in ctx.reports:
        staging.add(f"data/snapshots/{report.day.isoformat()}.json", snapshot_json(report.snap))
        html, page = render_report(ctx.renderer, ctx.data, report, ctx.catalogue)
        staging.add(report.path + "index.html", html)
        for chart in page["charts"]:
            staging.add(report.path + chart.csv_name, chart_csv(chart))
