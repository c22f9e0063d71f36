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

import datetime as dt

import altair as alt

from generator import formatting as fmt
from generator.charts import Chart, ChartTemplate
from generator.charts.family import ChartFamily, Charting, day_of, span, windowed
from generator.charts.interaction import hover_layers, overview_detail
from generator.charts.rows import last_rows, thin_history
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
from generator.snapshot_types import Snapshot

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


# ----------------------------------------------------------------- the family's charts

FLOW_WINDOW = 20
CUMULATIVE_WINDOW = 60


def flow_rows(facts: list[dict]) -> list[dict]:
    """One wide row per day: the date and each investor type's net buying."""
    return [{"date": f["as_of"], **{k: f.get(k) for k in INVESTOR_KEYS}} for f in facts]


def running(rows: list[dict]) -> list[dict]:
    """Running totals of ``flow_rows`` (an investor type with no figure yet stays None)."""
    totals: dict[str, float] = {}
    out = []
    for row in rows:
        new = {"date": row["date"]}
        for k in INVESTOR_KEYS:
            if row.get(k) is not None:
                totals[k] = totals.get(k, 0) + row[k]
            new[k] = totals.get(k)
        out.append(new)
    return out


def _totals(row: dict) -> str:
    return ", ".join(f"{INVESTOR_LABELS[k].lower()} {fmt.signed_won(row[k])}" for k in INVESTOR_KEYS if row.get(k) is not None)


def daily_chart(cat: Charting, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's net buying by investor type over 20 trading days, the day's figures in the alt text."""
    series = cat.hist.flows.get(cat.index_name)
    if series is None:
        return None
    facts = last_rows(series, day, FLOW_WINDOW)
    if not facts:
        return None
    rows = flow_rows(facts)
    last = rows[-1]
    text = (
        f"Bar chart of daily net buying by investor type on the {cat.index_name} market over the last {len(rows)} trading days, "
        f"{span(rows)}; buying above the zero line, selling below. On {fmt.month_day(day_of(last['date']))}: "
        + _totals(last)
        + "."
    )
    return windowed(Chart(cat.template("flows-20d"), rows, text, "flows-20d"), len(rows) >= FLOW_WINDOW)


def cumulative_chart(cat: Charting, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's cumulative net buying over 60 trading days, the totals in the alt text."""
    series = cat.hist.flows.get(cat.index_name)
    if series is None:
        return None
    facts = last_rows(series, day, CUMULATIVE_WINDOW)
    if not facts:
        return None
    rows = running(flow_rows(facts))
    text = (
        f"Line chart of cumulative net buying by investor type on the {cat.index_name} market over {len(rows)} trading days, "
        f"{span(rows)}. Totals: " + _totals(rows[-1]) + "."
    )
    return windowed(Chart(cat.template("flows-60d"), rows, text, "flows-60d"), len(rows) >= CUMULATIVE_WINDOW)


def flows_indicator(cat: Charting) -> list[Chart | None]:
    """The investor-flows page: running totals since the data begin, and net buying per month."""
    series = cat.hist.flows.get(cat.index_name)
    if series is None or not series.facts:
        return []
    daily = flow_rows(series.facts)
    totals = thin_history(running(daily))
    history = Chart(
        cat.template("flows-history"),
        totals,
        f"Line chart of cumulative net buying by investor type on the {cat.index_name} market {span(totals)} "
        "(weekly before the last two years; drag across the overview to zoom). Totals: " + _totals(totals[-1]) + ".",
        "flows-history",
    )
    months: dict[str, dict] = {}
    for row in daily:
        month = row["date"][:7] + "-01"
        acc = months.setdefault(month, {"date": month})
        for k in INVESTOR_KEYS:
            if row.get(k) is not None:
                acc[k] = acc.get(k, 0) + row[k]
    monthly = [{"date": m["date"], **{k: m.get(k) for k in INVESTOR_KEYS}} for m in months.values()]
    monthly_chart = Chart(
        cat.template("flows-monthly"),
        monthly,
        f"Bar chart of net buying by investor type per month on the {cat.index_name} market, {len(monthly)} months "
        f"{span(monthly)}; buying above the zero line, selling below. Latest month so far: " + _totals(monthly[-1]) + ".",
        "flows-monthly",
        headers={"date": "Month"},
    )
    return [history, monthly_chart]


FAMILY = ChartFamily(
    templates={
        "flows-20d": lambda name, theme: daily_template(
            "flows-20d", f"Net buying by investor type, {name} market, 20 trading days", theme
        ),
        "flows-60d": lambda name, theme: cumulative_template(
            "flows-60d", f"Cumulative net buying by investor type, {name} market, 60 trading days", theme
        ),
        "flows-monthly": lambda name, theme: daily_template(
            "flows-monthly", f"Net buying by investor type per month, {name} market", theme, monthly=True
        ),
        "flows-history": lambda name, theme: history_template(
            "flows-history", f"Cumulative net buying since the data begin, {name} market (drag to zoom)", theme
        ),
    },
    report=(daily_chart, cumulative_chart),
    indicators={"investor-flows": flows_indicator},
)
