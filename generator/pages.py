"""Which pages the site has, and the context each one is rendered with.

A page is a site path plus a function that renders it; the build renders them all before
anything is published. URLs here are the public contract of docs/urls.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import OrderedDict
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from generator.charts import Chart
from generator.charts.catalogue import Catalogue
from generator.config import SiteConfig
from generator.dataset import Dataset
from generator.markup import render_markdown
from generator.render import Renderer
from generator.story import Story, stories

if TYPE_CHECKING:  # pragma: no cover
    from generator.day_cache import DayCache


@dataclass(frozen=True)
class Report:
    """One day's report: its snapshot and everything written from it."""

    day: dt.date
    snap: dict
    story: Story
    previous: dt.date | None
    next: dt.date | None

    @property
    def path(self) -> str:
        return f"reports/{self.day.isoformat()}/"

    @property
    def lede(self) -> list[str]:
        """The lede's sentences, plain text."""
        return self.story.lede

    @property
    def headline(self) -> str:
        """The data-written headline (an editor's title, where there is one, wins on the page)."""
        return self.story.headline


def reports(snapshots: dict[dt.date, dict], config: SiteConfig, lang: str | None = None, cache: DayCache | None = None) -> list[Report]:
    """Every day's report, its story written in ``lang`` (the site's first edition's language by
    default); days in ``cache`` take their story from it."""
    days = list(snapshots)
    written = stories(snapshots, config, lang or config.editions[0], cache)
    return [
        Report(
            day=day,
            snap=snapshots[day],
            story=written[day],
            previous=days[i - 1] if i else None,
            next=days[i + 1] if i + 1 < len(days) else None,
        )
        for i, day in enumerate(days)
    ]


def snapshot_json(snap: dict) -> str:
    """A snapshot file: stable key order, UTF-8, one trailing newline."""
    return json.dumps(snap, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def chart_csv(chart: Chart) -> str:
    """The rows a chart draws, as CSV with the chart's own column names."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(chart.template.columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in chart.rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in chart.template.columns})
    return out.getvalue()


def chart_files(chart: Chart) -> dict[str, str]:
    """The files a chart has beside its page: its CSV, and its static SVG when it has one."""
    files = {chart.csv_name: chart_csv(chart)}
    if chart.image_svg is not None:
        files[chart.svg_name] = chart.image_svg
    return files


def report_context(data: Dataset, report: Report, catalogue: Catalogue, charts: list[Chart] | None = None) -> dict:
    """Everything the report template needs for one day."""
    snap = report.snap
    note = data.commentary.get(report.day)
    stocks = snap["stocks"]
    by_sector: OrderedDict[str, list[tuple[str, dict]]] = OrderedDict()
    ordered = sorted(stocks.items(), key=lambda kv: ((kv[1]["sector"] or "Other"), -(kv[1]["change_pct"] or 0)))
    for sector, items in groupby(ordered, key=lambda kv: kv[1]["sector"] or "Other"):
        by_sector[sector] = list(items)
    charts = charts if charts is not None else catalogue.report_charts(report.day, snap)
    # The headline chart's PNG (written beside the report page) is the social-card image.
    card = bool(charts) and charts[0].template.id == "index-3m"
    return {
        "report": report,
        "snap": snap,
        "day": report.day,
        "index": snap["indices"].get(data.config.headline_index),
        "index_name": data.config.headline_index,
        "commentary": note,
        "commentary_html": render_markdown(note.body) if note else "",
        "charts": charts,
        "og_image": data.config.absolute(report.path + "card.png") if card else None,
        "og_image_alt": charts[0].alt if card else "",
        "sectors": by_sector,
        "chart_dir": report.path,
        "title": note.title if note and note.title else report.headline,
    }


def render_report(
    renderer: Renderer,
    data: Dataset,
    report: Report,
    catalogue: Catalogue,
    page_path: str | None = None,
    charts: list[Chart] | None = None,
    **extra,
) -> tuple[str, dict]:
    ctx = report_context(data, report, catalogue, charts) | {"revisions": []} | extra
    html = renderer.render("report.html", page_path or report.path + "index.html", **ctx)
    return html, ctx


def archive_context(data: Dataset, all_reports: list[Report]) -> dict:
    """Reports grouped by year and month, newest first."""
    years: OrderedDict[int, OrderedDict[int, list[Report]]] = OrderedDict()
    for r in reversed(all_reports):
        years.setdefault(r.day.year, OrderedDict()).setdefault(r.day.month, []).append(r)
    return {"years": years, "commentary": data.commentary, "title": "Archive"}
