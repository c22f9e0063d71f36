"""The static images of a page's charts: what is drawn, not how (that is generator/charts/images.py).

A report's headline chart (the index, 3 months) is inlined as a static SVG, shown until the
interactive chart draws and without JavaScript, and is the picture on the report's PNG social
card (``og:image``); every other chart gets an SVG file beside its page, shown only without
JavaScript. The images are drawn in worker processes and cached by content hash, so the
functions here say which images a page needs and then look them up.
"""

from __future__ import annotations

import datetime as dt

from generator import formatting as fmt
from generator.charts import Chart, index_level
from generator.charts.catalogue import HEADLINE, Catalogue
from generator.charts.images import Headline, RenderStats, static_spec
from generator.snapshot_types import Snapshot


def is_headline(position: int, chart: Chart) -> bool:
    """A report's first chart, when it is the headline chart: the one with the inline SVG and the card."""
    return position == 0 and chart.template.id == HEADLINE


def attach_fallback(catalogue: Catalogue, charts: list[Chart]) -> None:
    """Give a report's charts their static SVGs: the headline chart its inline fallback,
    every other chart the SVG file shown without JavaScript (``Chart.image_svg``)."""
    if not catalogue.fallbacks:
        return
    for k, chart in enumerate(charts):
        if is_headline(k, chart):
            if chart.fallback_svg is None:
                chart.fallback_svg = catalogue.images.svg(chart.spec)
        elif chart.image_svg is None:
            chart.image_svg = catalogue.images.svg_text(static_spec(chart.spec))


def report_charts(catalogue: Catalogue, day: dt.date, snap: Snapshot) -> list[Chart]:
    """A report's charts with their static SVGs (looked up after ``prepare_report_images``,
    else drawn now or read from the cache)."""
    charts = catalogue.report_charts(day, snap)
    attach_fallback(catalogue, charts)
    return charts


def attach_images(catalogue: Catalogue, charts: list[Chart]) -> None:
    """Give each chart its static SVG file, all drawn at once (in worker processes, for the
    ones no earlier build left in the cache): for pages other than reports."""
    if not catalogue.fallbacks or not charts:
        return
    heads = [Headline(static_spec(c.spec), card=False) for c in charts]
    catalogue.images.prepare(heads)
    for chart, head in zip(charts, heads, strict=True):
        if chart.image_svg is None:
            chart.image_svg = catalogue.images.svg_text(head.spec)


def report_images(catalogue: Catalogue, day: dt.date, snap: Snapshot) -> list[Headline]:
    """Everything a day's report has drawn at build time: its headline chart's SVG and card,
    and the static SVG of each of its other charts."""
    charts = catalogue.report_charts(day, snap)
    heads: list[Headline] = []
    for k, chart in enumerate(charts):
        if is_headline(k, chart):
            head = headline_images(catalogue, day, snap, chart)
            if head is not None:
                heads.append(head)
        else:
            heads.append(Headline(static_spec(chart.spec), card=False))
    return heads


def headline(catalogue: Catalogue, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's headline chart without its fallback (to render images from)."""
    return index_level.index_chart(catalogue, day, snap)


def card_title(catalogue: Catalogue) -> str:
    return catalogue.template(HEADLINE).title


def card_subtitle(catalogue: Catalogue, day: dt.date, snap: Snapshot) -> str:
    today = snap["indices"].get(catalogue.index_name)
    if not today:
        return ""
    return f"{fmt.long_date(day)} · close {fmt.level(today['close'])} ({fmt.pct(today.get('change_pct'))})"


def headline_images(catalogue: Catalogue, day: dt.date, snap: Snapshot, chart: Chart | None = None) -> Headline | None:
    """What a report's static images are made from: its headline chart and card text."""
    chart = chart or headline(catalogue, day, snap)
    if chart is None:
        return None
    return Headline(
        static_spec(chart.spec), card_title(catalogue), card_subtitle(catalogue, day, snap), catalogue.data.config.title
    )


def prepare_report_images(catalogue: Catalogue, days: list[tuple[dt.date, Snapshot]], jobs: int | None = None) -> RenderStats:
    """Render (or find in the cache) the static images of each day's report at once, in
    parallel worker processes; later lookups are then free."""
    heads = [h for day, snap in days for h in report_images(catalogue, day, snap)]
    return catalogue.images.prepare(heads, jobs=jobs)


def card_png(catalogue: Catalogue, day: dt.date, snap: Snapshot, chart: Chart | None = None) -> bytes | None:
    """The PNG social card of a day's report (``og:image``), or None without a headline chart."""
    head = headline_images(catalogue, day, snap, chart)
    return catalogue.images.card(head) if head is not None else None
