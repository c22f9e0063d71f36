"""The report pages ``/reports/YYYY-MM-DD/``: their context and rendering, their snapshots
``/data/snapshots/YYYY-MM-DD.json`` and the CSVs of their charts.

A report whose inputs are unchanged since the last build is carried over, not rendered: its
key is the digest of every dated row up to its day (``DayDigests``), its neighbours, its
commentary, its published revisions and the settings, and the files it was published with come
from the build state (generator/incremental.py). So a build that adds a day computes nothing
for the thousands of days before it.

The pages that are rendered get their headline chart's static SVG fallback and PNG social card
(``card.png``, the page's ``og:image``); generator/page_scheduler.py decides which process draws
and renders what, and calls ``render_one`` for each page. A snapshot that differs from the
published one is a revision: the old one is kept as ``YYYY-MM-DD.vN.json`` and the page says
what changed (generator/revisions.py).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import asdict
from functools import partial
from itertools import groupby

from generator import revisions
from generator.charts import Chart, chart_files, page_images
from generator.charts.catalogue import Catalogue
from generator.dataset import Dataset
from generator.incremental import DayDigests
from generator.load import LINE
from generator.markup import render_markdown
from generator.page_scheduler import CARD, render_reports
from generator.render import Renderer
from generator.report import Report
from generator.site.context import ReportPages, SiteContext, Written
from generator.snapshot import snapshot_json
from generator.snapshot_types import StockFacts
from generator.stock_lists import lending_stocks, report_stocks
from generator.write import Staging, digest


def report_context(data: Dataset, report: Report, catalogue: Catalogue, charts: list[Chart] | None = None) -> dict:
    """Everything the report template needs for one day."""
    snap = report.snap
    note = data.commentary.get(report.day)
    limit = data.config.report_stocks
    listed = report_stocks(snap["stocks"], snap["date"], data.shares, limit=limit, leaders_count=data.config.leaders_count)
    stocks = {t: snap["stocks"][t] for t in listed}
    by_sector: OrderedDict[str, list[tuple[str, StockFacts]]] = OrderedDict()
    ordered = sorted(stocks.items(), key=lambda kv: ((kv[1]["sector"] or "Other"), -(kv[1]["change_pct"] or 0)))
    for sector, items in groupby(ordered, key=lambda kv: kv[1]["sector"] or "Other"):
        by_sector[sector] = list(items)
    charts = charts if charts is not None else page_images.report_charts(catalogue, report.day, snap)
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
        "og_image": data.config.absolute(report.path + CARD) if card else None,
        "og_image_alt": charts[0].alt if card else "",
        "sectors": by_sector,
        # Stock lists past ``report_stocks`` show the day's news first (generator/stock_lists.py).
        "stocks_listed": len(listed),
        "stocks_followed": len(snap["stocks"]),
        "lending_listed": lending_stocks(snap["stock_lending"], limit),
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
) -> str:
    """The report page's HTML (the home page is the latest report, with ``extra`` of its own)."""
    ctx = report_context(data, report, catalogue, charts) | {"revisions": []} | extra
    return renderer.render("report.html", page_path or report.path + "index.html", **ctx)


def write(ctx: SiteContext, staging: Staging, written: Written) -> ReportPages:
    published = revisions.load_record(staging.out)
    by_day: dict[str, list[revisions.Revision]] = defaultdict(list)
    for rev in published:
        by_day[rev.date].append(rev)
    for kept in revisions.kept_versions(staging.out):
        staging.keep(kept)
    digests = DayDigests(ctx.data)
    shared = _shared_inputs(ctx)
    todo: list[int] = []
    for n, report in enumerate(ctx.reports):
        day = report.day.isoformat()
        note = ctx.data.commentary.get(report.day)
        key = ctx.keys.key(
            "report",
            shared,
            digests.upto(report.day),
            report.previous,
            report.next,
            [note.title, note.summary, note.author, note.body, note.published, note.updated] if note else None,
            [asdict(r) for r in by_day[day]],
        )
        if not ctx.keys.reuse(staging, report.path, key):
            todo.append(n)
    new, stats = render_reports(ctx, staging, todo, partial(render_one, ctx, staging, by_day=by_day))
    new.sort(key=lambda r: (r.date, r.version))  # workers finish in any order
    for rev in new:
        by_day[rev.date].append(rev)
    staging.add(revisions.RECORD, revisions.record_json(published + new))
    return ReportPages(revisions=new, revisions_by_day=dict(by_day), images=stats)


def _shared_inputs(ctx: SiteContext) -> str:
    """What every report reads beyond its own days: the settings, the stock list and the tickers followed."""
    stocks = ctx.data.stocks.drop(columns=[c for c in (LINE,) if c in ctx.data.stocks.columns])
    text = repr((ctx.data.config, stocks.to_csv(index=False), ctx.data.tracked_tickers))
    return digest(text.encode("utf-8"))


def render_one(ctx: SiteContext, staging: Staging, n: int, *, by_day: dict, card: bool) -> tuple[list[str], list]:
    """Render report ``n`` with its snapshot and CSVs (and its card, with ``card``) into
    ``staging``; returns the files it was published with and the revisions it found."""
    report = ctx.reports[n]
    day = report.day.isoformat()
    snap_path = f"data/snapshots/{day}.json"
    text = snapshot_json(report.snap)
    day_revisions = list(by_day.get(day, []))
    found = revisions.detect(
        staging.out, report.day, text, staging.previous.get(snap_path), digest(text.encode()), day_revisions, ctx.when.date()
    )
    new = []
    if found:
        rev, old_text = found
        staging.add(rev.kept_path, old_text)
        day_revisions.append(rev)
        new.append(rev)
    staging.add(snap_path, text)
    charts = page_images.report_charts(ctx.catalogue, report.day, report.snap)
    html = render_report(ctx.renderer, ctx.data, report, ctx.catalogue, charts=charts, revisions=day_revisions)
    staging.add(report.path + "index.html", html)
    files = [snap_path, report.path + "index.html"]
    for chart in charts:
        for name, text in chart_files(chart).items():
            staging.add(report.path + name, text)
            files.append(report.path + name)
    if charts and charts[0].template.id == "index-3m":
        files.append(report.path + CARD)
        if card:
            png = page_images.card_png(ctx.catalogue, report.day, report.snap, charts[0])
            if png is not None:
                staging.add(report.path + CARD, png)
            else:
                files.pop()
    return files, new
