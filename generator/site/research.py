"""The research page ``/research/leverage-risk/``: did stocks with heavy borrowing fall harder?

The study itself is ``generator.analysis.research``; this module turns it into the page, its
scatter chart (``generator.charts.research``) and the chart's CSV beside the page. An editor's
introduction is taken from ``content/pages/leverage-risk.md`` (or ``research.md``), whose
slug is then reserved so the static-pages family does not publish it a second time.

The study is figures and codes; the words are written here, once per edition, from the
catalogue (``ChartWords``): the answer sentence, the chart's title and alt text, the reasons a
stock was not measured, and the stocks' names (``name_ko`` in Korean) and sectors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from generator import formatting as fmt
from generator.analysis import research as study_codes
from generator.analysis.research import LeverageStudy, StockPoint, leverage_study, strength, verdict
from generator.analysis.series import number
from generator.charts import Chart, chart_files
from generator.charts.research import headers, scatter_template
from generator.charts.theme import Theme
from generator.charts.words import ChartWords, words
from generator.i18n_strings import N_
from generator.markup import render_markdown
from generator.render import RESEARCH_PATH
from generator.site.context import ResearchPages, SiteContext, Written
from generator.stock_names import stock_names
from generator.write import Staging

PAGE_DIR = RESEARCH_PATH
CHART_SLUG = "leverage-scatter"
INTRO_SLUGS = ("leverage-risk", "research")
TITLE = N_("Did stocks with heavy borrowing fall harder when the market turned?")


def write(ctx: SiteContext, staging: Staging, written: Written) -> ResearchPages:
    study = leverage_study(ctx.data)
    w = words(ctx.renderer.edition.lang)
    names = stock_labels(ctx, w)
    intro_page = next((ctx.data.pages[s] for s in INTRO_SLUGS if s in ctx.data.pages), None)
    chart = scatter_chart(study, _theme(ctx), names) if study and study.points else None
    if chart is not None:
        chart.fallback_svg = _fallback(ctx, chart)
    path = PAGE_DIR + "index.html"
    html = ctx.renderer.render(
        "research.html",
        path,
        title=TITLE,
        study=study,
        answer=answer(study, w) if study else "",
        excluded=excluded(study, names, w) if study else [],
        rows=table_rows(study, names, w) if study else [],
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


def stock_labels(ctx: SiteContext, w: ChartWords) -> dict[str, str]:
    """Stock names by ticker in the edition's language (``name_ko`` in Korean, where there is one)."""
    return {t: w.stock_name(n) for t, n in stock_names(ctx.data).items()}


def _round(value: float, digits: int) -> float:
    return round(value, digits) if math.isfinite(value) else value


def chart_row(p: StockPoint, study: LeverageStudy, names: Mapping[str, str] | None = None, w: ChartWords | None = None) -> dict:
    """One stock's row: the same figures in the chart, its CSV and the page's table (the
    stock's name from ``names``, its sector in the language of ``w``)."""
    fitted = study.fit.at(p.intensity_days) if study.fit else None
    sector = p.sector
    if sector and w is not None and w.korean:
        from generator.story.korean import sector_ko

        sector = sector_ko(sector)
    return {
        "ticker": p.ticker,
        "name": (names or {}).get(p.ticker, p.name),
        "sector": sector,
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


def table_rows(study: LeverageStudy, names: Mapping[str, str] | None = None, w: ChartWords | None = None) -> list[dict]:
    """Rows of the page's table and of the chart, heaviest borrowing first."""
    points = sorted(study.points, key=lambda p: (-p.intensity_days, p.ticker, p.episode.peak))
    return [chart_row(p, study, names, w) for p in points]


def scatter_chart(study: LeverageStudy, theme: Theme, names: Mapping[str, str] | None = None) -> Chart:
    w = theme.words
    rows = table_rows(study, names, w)
    if len(study.episodes) == 1:
        title = w._("Borrowing at the peak and the fall that followed, {n} stocks").format(n=len(rows))
    else:
        title = w._("Borrowing at the peak and the fall that followed, {n} measurements").format(n=len(rows))
    template = scatter_template(CHART_SLUG, title, theme, legend=len(study.episodes) > 1)
    first = study.episodes[0]
    heaviest = rows[0]
    deepest = min(rows, key=lambda r: r["drawdown_pct"])
    alt = " ".join((
        w._(
            "Scatter chart of {n} stocks: days of trading needed to cover each stock's lending balance at the "
            "{index}'s peak of {date}, against its fall from that day's close, with the fitted line."
        ).format(n=len(rows), index=w.index(study.index_name), date=w.date(first.peak)),
        w._("The heaviest borrowing was {heaviest}, {days} days, {moved}; the deepest fall was {deepest}, {fall} percent.").format(
            heaviest=_possessive(heaviest["name"], w),
            days=f"{heaviest['intensity_days']:.1f}",
            moved=_moved(heaviest["drawdown_pct"], w),
            deepest=_possessive(deepest["name"], w),
            fall=f"{abs(deepest['drawdown_pct']):.1f}",
        ),
        answer(study, w),
    ))
    return Chart(template, rows, alt, CHART_SLUG, headers=headers(w), shared=False)


def _possessive(name: str, w: ChartWords) -> str:
    """AP style: Kia's, POSCO Holdings'; a Korean name as it is (the sentence says whose)."""
    if w.korean:
        return name
    return name + ("'" if name.endswith("s") else "'s")


def _moved(drawdown_pct: float, w: ChartWords) -> str:
    if drawdown_pct >= 0:
        return w._("which never closed below its peak-day close")
    return w._("which then fell {fall} percent").format(fall=f"{abs(drawdown_pct):.1f}")


# ---------------------------------------------------------------------- the study in words


def answer(study: LeverageStudy, w: ChartWords) -> str:
    """The study's answer in one or two sentences, written from its numbers in the edition's
    language ("Stocks with heavier borrowing fell harder: across 12 stocks, …")."""
    found = verdict(study)
    if found == study_codes.NO_DOWNTURN:
        return w._("The index has not fallen from a peak in the data, so there is no downturn to study.")
    first, k, n = study.episodes[0], len(study.episodes), len(study.points)
    when = w._("the {date}, peak").format(date=w.date(first.peak)) if k == 1 else w._("each peak")
    if found == study_codes.TOO_FEW or study.fit is None or study.fit.r is None:
        return w._(
            "Too few stocks could be measured ({n}) to say whether stocks with heavier borrowing fell harder after {when}."
        ).format(n=n, when=when)
    if k == 1:
        across = w._("across {n} stocks").format(n=n)
        caveat = w._("With {n} measurements this describes one downturn; it does not prove a rule.").format(n=n)
    else:
        across = w._("across {n} measurements ({stocks} stocks in {k} downturns)").format(n=n, stocks=study.stocks, k=k)
        caveat = w._("With {n} measurements this describes these downturns; it does not prove a rule.").format(n=n)
    r = fmt.signed(study.fit.r, 2)
    per_day = f"{abs(study.fit.slope):.1f}"
    relation = {
        "weak": w._("a weak relation"),
        "moderate": w._("a moderate relation"),
        "strong": w._("a strong relation"),
    }[strength(study.fit.r)]
    if found == study_codes.NO_RELATION:
        sentence = w._(
            "Stocks with heavier borrowing did not fall harder: {across}, borrowing at {when} explains little of the fall "
            "that followed (correlation {r})."
        )
    elif found == study_codes.HARDER:
        sentence = w._(
            "Stocks with heavier borrowing fell harder: {across}, each extra day of trading needed to cover the lending "
            "balance at {when} went with a fall about {points} percentage points deeper, {relation} (correlation {r})."
        )
    else:
        sentence = w._(
            "Stocks with heavier borrowing did not fall harder; they fell less: {across}, each extra day of trading needed "
            "to cover the lending balance at {when} went with a fall about {points} percentage points shallower, "
            "{relation} (correlation {r})."
        )
    return sentence.format(across=across, when=when, points=per_day, relation=relation, r=r) + " " + caveat


def reason(code: str, study: LeverageStudy, w: ChartWords) -> str:
    """Why a stock was not measured, in the edition's words."""
    if code == study_codes.FEW_VOLUMES:
        return w._("fewer than {days} days of volumes before the peak").format(days=study.window)
    text = {
        study_codes.NO_PRICE: w._("no price at the peak"),
        study_codes.NO_LENDING: w._("no stock-lending figures"),
        study_codes.STALE_LENDING: w._("no stock-lending figure near the peak"),
        study_codes.NO_LATER_PRICES: w._("no prices between the peak and the trough"),
    }
    return text.get(code, code)


def excluded(study: LeverageStudy, names: Mapping[str, str], w: ChartWords) -> list[tuple[str, str]]:
    """The stocks left out, as (name, reason) in the edition's words, for the page's note."""
    return [(names.get(ticker, ticker), reason(code, study, w)) for ticker, code in study.excluded.items()]
