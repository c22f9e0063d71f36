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

from generator.charts import Chart, ChartTemplate
from generator.charts.family import ChartFamily, Charting, day_of, span, windowed
from generator.charts.interaction import hover_layers, overview_detail
from generator.charts.rows import last_rows, thin_history
from generator.charts.theme import (
    INVESTOR_DASHES,
    INVESTORS,
    MUTED,
    Theme,
    date_tooltip,
    finish,
    signed_won_text,
    time_x,
    trading_day_x,
)
from generator.charts.words import ChartWords
from generator.snapshot_types import Snapshot

INVESTOR_KEYS = tuple(INVESTORS)
COLUMNS = ("date", *INVESTOR_KEYS)
KINDS = {"date": "date", **{k: "won_signed" for k in INVESTOR_KEYS}}


def investor_labels(w: ChartWords) -> dict[str, str]:
    """Each investor type's name in the edition's language ("Foreigners"; "외국인")."""
    # spelled out, not looked up from INVESTOR_LABELS, so extraction finds each name
    return {
        "individuals": w._("Individuals"),
        "institutions": w._("Institutions"),
        "foreigners": w._("Foreigners"),
        "other": w._("Other"),
    }


def _headers(w: ChartWords) -> dict[str, str]:
    return {"date": w._("Date"), **{k: w._("{investor} (won)").format(investor=v) for k, v in investor_labels(w).items()}}


def _cumulative_headers(w: ChartWords) -> dict[str, str]:
    return {
        "date": w._("Date"),
        **{k: w._("{investor}, cumulative (won)").format(investor=v) for k, v in investor_labels(w).items()},
    }


#: The English edition's table headers (its words are the source strings).
HEADERS = _headers(ChartWords())
CUMULATIVE_HEADERS = _cumulative_headers(ChartWords())


def _unit(w: ChartWords) -> tuple[str, str]:
    """The divisor and axis title of net buying: billions of won; 억 원 in Korean, as papers
    there write flows."""
    return ("1e8", w._("100 million won")) if w.korean else ("1e9", w._("Billion won"))


def _color(w: ChartWords, symbol: str = "square") -> alt.Color:
    labels = investor_labels(w)
    return alt.Color(
        "investor_label:N",
        title=None,
        scale=alt.Scale(domain=[labels[k] for k in INVESTOR_KEYS], range=[INVESTORS[k][0] for k in INVESTOR_KEYS]),
        # two columns: four names in one row do not fit a phone (Vega legends do not wrap)
        legend=alt.Legend(orient="top", direction="horizontal", columns=2, symbolType=symbol, columnPadding=16),
    )


def _folded(base: alt.Chart, w: ChartWords) -> alt.Chart:
    """One row per investor and date: ``investor``, ``won``, ``bn`` (billions; 억 in Korean) and
    ``label`` text."""
    names = "{" + ", ".join(f"{k!r}: {v!r}" for k, v in investor_labels(w).items()) + "}"
    return (
        base.transform_fold(list(INVESTOR_KEYS), as_=["investor", "won"])
        .transform_filter("isValid(datum.won)")
        .transform_calculate(
            bn=f"datum.won / {_unit(w)[0]}",
            investor_label=f"{names}[datum.investor]",
            order=f"indexof({list(INVESTOR_KEYS)!r}, datum.investor)",
            won_text=signed_won_text("won"),
        )
    )


def _all_investors_tooltip(w: ChartWords) -> tuple[list[alt.Tooltip], dict[str, str]]:
    calcs = {f"{k}_text": signed_won_text(k) for k in INVESTOR_KEYS}
    labels = investor_labels(w)
    tips = [date_tooltip(title=w._("Date"))] + [alt.Tooltip(f"{k}_text:N", title=labels[k]) for k in INVESTOR_KEYS]
    return tips, calcs


def daily_template(chart_id: str, title: str, theme: Theme, *, monthly: bool = False, height: int = 240) -> ChartTemplate:
    """Net buying by investor type per trading day (or per month when ``monthly``)."""
    w = theme.words
    if monthly:
        x = time_x("utcyearmonth(date)")
        when = alt.Tooltip("utcyearmonth(date):T", title=w._("Month"), format=w.month_format)
    else:
        x = trading_day_x()
        when = date_tooltip(title=w._("Date"))
    bars = (
        _folded(alt.Chart(), w)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("bn:Q", title=_unit(w)[1], stack="zero", axis=alt.Axis(format=",.0f", tickCount=5)),
            color=_color(w),
            order=alt.Order("order:Q"),
            tooltip=[when, alt.Tooltip("investor_label:N", title=w._("Investor")), alt.Tooltip("won_text:N", title=w._("Net buying"))],
        )
    )
    zero = alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(0))
    chart = alt.layer(bars, zero).properties(width="container", height=height)
    kinds = {**KINDS, "date": "month"} if monthly else KINDS  # a month's row is dated its first day
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_headers(w), kinds=kinds)


def _lines(window: bool, w: ChartWords) -> list[alt.Chart]:
    # a window (60 trading days) is read by month; a whole history by Vega's own ticks
    x = time_x(monthly=window)
    folded = _folded(alt.Chart(), w).encode(x=x)
    labels = investor_labels(w)
    lines = folded.mark_line(strokeWidth=2).encode(
        y=alt.Y("bn:Q", title=w._("{unit}, cumulative").format(unit=_unit(w)[1]), axis=alt.Axis(format=",.0f", tickCount=5)),
        color=_color(w, "stroke"),
        strokeDash=alt.StrokeDash(
            "investor_label:N",
            title=None,
            scale=alt.Scale(domain=[labels[k] for k in INVESTOR_KEYS], range=[INVESTOR_DASHES[k] for k in INVESTOR_KEYS]),
        ),
    )
    # The legend above names each line (colour and dash): names at the line ends would overlap
    # whenever two investors end close together.
    layers = [alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(0)), lines]
    tips, calcs = _all_investors_tooltip(w)
    hover_base = alt.Chart().transform_calculate(**calcs).encode(x=x, y=alt.datum(0))
    layers.extend(hover_layers(hover_base, tips))
    return layers


def cumulative_template(chart_id: str, title: str, theme: Theme, *, height: int = 240) -> ChartTemplate:
    """Running totals of net buying over a window (rows hold the running totals)."""
    chart = alt.layer(*_lines(window=True, w=theme.words)).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_cumulative_headers(theme.words), kinds=KINDS)


def history_template(chart_id: str, title: str, theme: Theme) -> ChartTemplate:
    """Running totals since the data begin, with an overview brush to zoom."""
    overview = (
        _folded(alt.Chart(), theme.words)
        .mark_line(strokeWidth=1)
        .encode(
            x=time_x(),
            y=alt.Y("bn:Q", title=None, axis=None),
            color=_color(theme.words, "stroke"),
        )
    )
    chart = overview_detail(_lines(window=False, w=theme.words), overview)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_cumulative_headers(theme.words), kinds=KINDS)


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


def _totals(row: dict, w: ChartWords) -> str:
    labels = investor_labels(w)
    return ", ".join(f"{labels[k].lower()} {w.signed_won(row[k])}" for k in INVESTOR_KEYS if row.get(k) is not None)


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
    w = cat.words
    text = w._(
        "Bar chart of daily net buying by investor type on the {index} market over the last {count} trading days, "
        "{span}; buying above the zero line, selling below. On {day}: {totals}."
    ).format(index=w.index(cat.index_name), count=len(rows), span=span(rows, words=w), day=w.month_day(day_of(last["date"])), totals=_totals(last, w))
    return windowed(Chart(cat.template("flows-20d"), rows, text, "flows-20d"), len(rows) >= FLOW_WINDOW, w)


def cumulative_chart(cat: Charting, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's cumulative net buying over 60 trading days, the totals in the alt text."""
    series = cat.hist.flows.get(cat.index_name)
    if series is None:
        return None
    facts = last_rows(series, day, CUMULATIVE_WINDOW)
    if not facts:
        return None
    rows = running(flow_rows(facts))
    w = cat.words
    text = w._(
        "Line chart of cumulative net buying by investor type on the {index} market over {count} trading days, "
        "{span}. Totals: {totals}."
    ).format(index=w.index(cat.index_name), count=len(rows), span=span(rows, words=w), totals=_totals(rows[-1], w))
    return windowed(Chart(cat.template("flows-60d"), rows, text, "flows-60d"), len(rows) >= CUMULATIVE_WINDOW, w)


def flows_indicator(cat: Charting) -> list[Chart | None]:
    """The investor-flows page: running totals since the data begin, and net buying per month."""
    series = cat.hist.flows.get(cat.index_name)
    if series is None or not series.facts:
        return []
    w = cat.words
    daily = flow_rows(series.facts)
    totals = thin_history(running(daily))
    history = Chart(
        cat.template("flows-history"),
        totals,
        w._(
            "Line chart of cumulative net buying by investor type on the {index} market {span} "
            "(weekly before the last two years; drag across the overview to zoom). Totals: {totals}."
        ).format(index=w.index(cat.index_name), span=span(totals, words=w), totals=_totals(totals[-1], w)),
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
        w._(
            "Bar chart of net buying by investor type per month on the {index} market, {count} months "
            "{span}; buying above the zero line, selling below. Latest month so far: {totals}."
        ).format(index=w.index(cat.index_name), count=len(monthly), span=span(monthly, words=w), totals=_totals(monthly[-1], w)),
        "flows-monthly",
        headers={"date": w._("Month")},
    )
    return [history, monthly_chart]


FAMILY = ChartFamily(
    templates={
        "flows-20d": lambda name, theme: daily_template(
            "flows-20d",
            theme.words._("Net buying by investor type, {name} market, 20 trading days").format(name=theme.words.index(name)),
            theme,
        ),
        "flows-60d": lambda name, theme: cumulative_template(
            "flows-60d",
            theme.words._("Cumulative net buying by investor type, {name} market, 60 trading days").format(name=theme.words.index(name)),
            theme,
        ),
        "flows-monthly": lambda name, theme: daily_template(
            "flows-monthly",
            theme.words._("Net buying by investor type per month, {name} market").format(name=theme.words.index(name)),
            theme,
            monthly=True,
        ),
        "flows-history": lambda name, theme: history_template(
            "flows-history",
            theme.words._("Cumulative net buying since the data begin, {name} market (drag to zoom)").format(name=theme.words.index(name)),
            theme,
        ),
    },
    report=(daily_chart, cumulative_chart),
    indicators={"investor-flows": flows_indicator},
)
