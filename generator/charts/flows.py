"""Investor-flow charts: who bought and who sold.

Rows are wide (one row per date, a column of won per investor type) so the CSV and the data
table read like a newspaper table; the spec folds them into one bar or line per investor.

- ``daily_template``: net buying per day (or per month) as diverging stacked bars: buyers above
  zero, sellers below, so a gain is told by position and sign, not by colour;
- ``cumulative_template``: running totals over a window, one line per investor, each with its
  own colour *and* dash, named in the legend;
- ``history_template``: running totals since the data begin, zoomable with an overview brush.
"""

from __future__ import annotations

import altair as alt

from generator.charts import ChartTemplate
from generator.charts.interaction import hover_layers, overview_detail
from generator.charts.theme import (
    INVESTOR_DASHES,
    INVESTOR_LABELS,
    INVESTORS,
    MUTED,
    Theme,
    date_tooltip,
    finish,
    signed_won_text,
    time_x,
    trading_day_x,
)

INVESTOR_KEYS = tuple(INVESTORS)
COLUMNS = ("date", *INVESTOR_KEYS)
HEADERS = {"date": "Date", **{k: f"{v} (won)" for k, v in INVESTOR_LABELS.items()}}
CUMULATIVE_HEADERS = {"date": "Date", **{k: f"{v}, cumulative (won)" for k, v in INVESTOR_LABELS.items()}}
KINDS = {"date": "date", **{k: "won_signed" for k in INVESTOR_KEYS}}
LABELS = [INVESTOR_LABELS[k] for k in INVESTOR_KEYS]


def _color(symbol: str = "square") -> alt.Color:
    return alt.Color(
        "investor_label:N",
        title=None,
        scale=alt.Scale(domain=LABELS, range=[INVESTORS[k][0] for k in INVESTOR_KEYS]),
        # two columns: four names in one row do not fit a phone (Vega legends do not wrap)
        legend=alt.Legend(orient="top", direction="horizontal", columns=2, symbolType=symbol, columnPadding=16),
    )


def _folded(base: alt.Chart) -> alt.Chart:
    """One row per investor and date: ``investor``, ``won``, ``bn`` (billions) and ``label`` text."""
    names = "{" + ", ".join(f"{k!r}: {v!r}" for k, v in INVESTOR_LABELS.items()) + "}"
    return (
        base.transform_fold(list(INVESTOR_KEYS), as_=["investor", "won"])
        .transform_filter("isValid(datum.won)")
        .transform_calculate(
            bn="datum.won / 1e9",
            investor_label=f"{names}[datum.investor]",
            order=f"indexof({list(INVESTOR_KEYS)!r}, datum.investor)",
            won_text=signed_won_text("won"),
        )
    )


def _all_investors_tooltip() -> tuple[list[alt.Tooltip], dict[str, str]]:
    calcs = {f"{k}_text": signed_won_text(k) for k in INVESTOR_KEYS}
    tips = [date_tooltip()] + [alt.Tooltip(f"{k}_text:N", title=INVESTOR_LABELS[k]) for k in INVESTOR_KEYS]
    return tips, calcs


def daily_template(chart_id: str, title: str, theme: Theme, *, monthly: bool = False, height: int = 240) -> ChartTemplate:
    """Net buying by investor type per trading day (or per month when ``monthly``)."""
    if monthly:
        x = time_x("utcyearmonth(date)")
        when = alt.Tooltip("utcyearmonth(date):T", title="Month", format="%B %Y")
    else:
        x = trading_day_x()
        when = date_tooltip()
    bars = (
        _folded(alt.Chart())
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("bn:Q", title="Billion won", stack="zero", axis=alt.Axis(format=",.0f", tickCount=5)),
            color=_color(),
            order=alt.Order("order:Q"),
            tooltip=[when, alt.Tooltip("investor_label:N", title="Investor"), alt.Tooltip("won_text:N", title="Net buying")],
        )
    )
    zero = alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(0))
    chart = alt.layer(bars, zero).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=HEADERS, kinds=KINDS)


def _lines(window: bool) -> list[alt.Chart]:
    # a window (60 trading days) is read by month; a whole history by Vega's own ticks
    x = time_x(monthly=window)
    folded = _folded(alt.Chart()).encode(x=x)
    lines = folded.mark_line(strokeWidth=2).encode(
        y=alt.Y("bn:Q", title="Billion won, cumulative", axis=alt.Axis(format=",.0f", tickCount=5)),
        color=_color("stroke"),
        strokeDash=alt.StrokeDash(
            "investor_label:N",
            title=None,
            scale=alt.Scale(domain=LABELS, range=[INVESTOR_DASHES[k] for k in INVESTOR_KEYS]),
        ),
    )
    # The legend above names each line (colour and dash): names at the line ends would overlap
    # whenever two investors end close together.
    layers = [alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(0)), lines]
    tips, calcs = _all_investors_tooltip()
    hover_base = alt.Chart().transform_calculate(**calcs).encode(x=x, y=alt.datum(0))
    layers.extend(hover_layers(hover_base, tips))
    return layers


def cumulative_template(chart_id: str, title: str, theme: Theme, *, height: int = 240) -> ChartTemplate:
    """Running totals of net buying over a window (rows hold the running totals)."""
    chart = alt.layer(*_lines(window=True)).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=CUMULATIVE_HEADERS, kinds=KINDS)


def history_template(chart_id: str, title: str, theme: Theme) -> ChartTemplate:
    """Running totals since the data begin, with an overview brush to zoom."""
    overview = (
        _folded(alt.Chart())
        .mark_line(strokeWidth=1)
        .encode(
            x=time_x(),
            y=alt.Y("bn:Q", title=None, axis=None),
            color=_color("stroke"),
        )
    )
    chart = overview_detail(_lines(window=False), overview)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=CUMULATIVE_HEADERS, kinds=KINDS)
