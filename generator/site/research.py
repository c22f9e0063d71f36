"""The research page ``/research/leverage-risk/``: did stocks with heavy borrowing fall harder?

The study itself is ``generator.analysis.research``; this module turns it into the page, its
scatter chart (``generator.charts.research``) and the chart's CSV beside the page. An editor's
introduction is taken from ``content/pages/leverage-risk.md`` (or ``research.md``), whose
slug is then reserved so the static-pages family does not publish it a second time.
"""

from __future__ import annotations

import math

from generator import formatting as fmt
from generator.analysis.research import LeverageStudy, StockPoint, leverage_study
from generator.analysis.series import number
from generator.charts import Chart, chart_files
from generator.charts.research import headers, scatter_template
from generator.charts.theme import Theme
from generator.markup import render_markdown
from generator.render import RESEARCH_PATH
from generator.site.context import ResearchPages, SiteContext, Written
from generator.write import Staging

PAGE_DIR = RESEARCH_PATH
CHART_SLUG = "leverage-scatter"
INTRO_SLUGS = ("leverage-risk", "research")
TITLE = "Did stocks with heavy borrowing fall harder when the market turned?"


def write(ctx: SiteContext, staging: Staging, written: Written) -> ResearchPages:
    study = leverage_study(ctx.data)
    intro_page = next((ctx.data.pages[s] for s in INTRO_SLUGS if s in ctx.data.pages), None)
    chart = scatter_chart(study, _theme(ctx)) if study and study.points else None
    if chart is not None:
        chart.fallback_svg = _fallback(ctx, chart)
    path = PAGE_DIR + "index.html"
    html = ctx.renderer.render(
        "research.html",
        path,
        title=TITLE,
        study=study,
        rows=table_rows(study) if study else [],
        chart=chart,
        chart_dir=PAGE_DIR,
        intro_html=render_markdown(intro_page.body) if intro_page else "",
        intro_title=intro_page.title if intro_page else None,
        index_name=ctx.data.config.headline_index,
        section="research",
    )
    staging.add(path, html)
    if chart is not None:
        for name, text in chart_files(chart).items():
            staging.add(PAGE_DIR + name, text)
    return ResearchPages(reserved_slugs=frozenset({intro_page.slug}) if intro_page is not None else frozenset())


def _fallback(ctx: SiteContext, chart: Chart) -> str | None:
    """The chart as a static SVG (shown until the interactive chart draws, and without
    JavaScript), through the catalogue's image cache; None when the build renders no images."""
    if not ctx.catalogue.fallbacks:
        return None
    return ctx.catalogue.images.svg(chart.spec)


def _theme(ctx: SiteContext) -> Theme:
    return ctx.catalogue.theme


def _round(value: float, digits: int) -> float:
    return round(value, digits) if math.isfinite(value) else value


def chart_row(p: StockPoint, study: LeverageStudy) -> dict:
    """One stock's row: the same figures in the chart, its CSV and the page's table."""
    fitted = study.fit.at(p.intensity_days) if study.fit else None
    return {
        "ticker": p.ticker,
        "name": p.name,
        "sector": p.sector,
        "peak_date": p.episode.peak.isoformat(),
        "lending_balance": int(round(p.lending_balance)),
        "lending_as_of": p.lending_as_of.isoformat(),
        "avg_traded_value": int(round(p.avg_traded_value)),
        "intensity_days": _round(p.intensity_days, 2),
        "peak_close": number(p.peak_close, 2),
        "low_close": number(p.low_close, 2),
        "low_date": p.low_date.isoformat(),
        "drawdown_pct": _round(p.drawdown_pct, 2),
        "fitted_pct": _round(fitted, 2) if fitted is not None else None,
    }


def table_rows(study: LeverageStudy) -> list[dict]:
    """Rows of the page's table and of the chart, heaviest borrowing first."""
    points = sorted(study.points, key=lambda p: (-p.intensity_days, p.ticker, p.episode.peak))
    return [chart_row(p, study) for p in points]


def scatter_chart(study: LeverageStudy, theme: Theme) -> Chart:
    rows = table_rows(study)
    title = f"Borrowing at the peak and the fall that followed, {len(rows)} {'stocks' if len(study.episodes) == 1 else 'measurements'}"
    template = scatter_template(CHART_SLUG, title, theme, legend=len(study.episodes) > 1)
    first = study.episodes[0]
    heaviest = rows[0]
    deepest = min(rows, key=lambda r: r["drawdown_pct"])
    alt = (
        f"Scatter chart of {len(rows)} stocks: days of trading needed to cover each stock's lending balance at the "
        f"{study.index_name}'s peak of {fmt.month_day(first.peak)}, {first.peak.year}, against its fall from that day's "
        f"close, with the fitted line. The heaviest borrowing was {_possessive(heaviest['name'])}, {heaviest['intensity_days']:.1f} "
        f"days, {_moved(heaviest['drawdown_pct'])}; the deepest fall was {_possessive(deepest['name'])}, "
        f"{abs(deepest['drawdown_pct']):.1f} percent. {study.answer}"
    )
    return Chart(template, rows, alt, CHART_SLUG, headers=headers(theme.words), shared=False)


def _possessive(name: str) -> str:
    """AP style: Kia's, POSCO Holdings'."""
    return name + ("'" if name.endswith("s") else "'s")


def _moved(drawdown_pct: float) -> str:
    if drawdown_pct >= 0:
        return "which never closed below its peak-day close"
    return f"which then fell {abs(drawdown_pct):.1f} percent"
