"""The home page ``/``: the latest report in full, then the past week's headlines.

Readers who come every day land here; the headlines of the five reports before the latest
(date, title, lede and the index's change) let them catch up on days they missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.charts import chart_files, page_images
from generator.report import Report
from generator.site.context import SiteContext, Written
from generator.site.reports import render_report
from generator.site.views import report_title
from generator.snapshot_types import IndexFacts
from generator.write import Staging

#: Earlier reports listed under the latest one: a trading week.
RECENT = 5


@dataclass(frozen=True)
class Headline:
    """One earlier report as the home page lists it."""

    day: dt.date
    path: str
    title: str
    lede: str
    change_pct: float | None
    note: bool


def headline(ctx: SiteContext, report: Report) -> Headline:
    note = ctx.data.commentary.get(report.day)
    index: IndexFacts | dict[str, Any] = report.snap["indices"].get(ctx.data.config.headline_index) or {}
    title = report_title(ctx.data, report)
    lede = (note.summary if note and note.summary else " ".join(report.lede[:1])).strip()
    return Headline(report.day, report.path, title, lede, index.get("change_pct"), note is not None)


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    if not ctx.reports:
        return
    latest = ctx.reports[-1]
    recent = [headline(ctx, r) for r in reversed(ctx.reports[-1 - RECENT : -1])]
    extra: dict = {}
    charts = ctx.catalogue.home_charts(latest.day, latest.snap)
    page_images.attach_fallback(ctx.catalogue, charts)
    if charts:
        # Charts drawn for the home page: their CSVs sit beside it.
        extra = {"charts": charts, "chart_dir": ""}
        for chart in charts:
            for name, text in chart_files(chart).items():
                staging.add(name, text)
    html = render_report(
        ctx.renderer, ctx.data, latest, ctx.catalogue, page_path="index.html", recent=recent, is_home=True, section="home", **extra
    )
    staging.add("index.html", html)
