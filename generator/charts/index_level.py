"""Price charts (an index or a stock): the close with the day's intraday range, record highs
marked with a triangle, the record standing before the page's day as a dashed rule.

``template`` draws a window (3 months, 1 year); ``history_template`` a whole history with an
overview strip to zoom by dragging.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from generator import formatting as fmt
from generator.analysis.series import Series
from generator.charts import Chart, ChartTemplate
from generator.charts.family import ChartFamily, Charting, day_of, span, windowed
from generator.charts.interaction import hover_layers, overview_detail
from generator.charts.rows import last_rows, thin_history
from generator.charts.theme import ACCENT, MUTED, RECORD, Theme, date_tooltip, finish, number_text, time_x
from generator.snapshot_types import Snapshot

COLUMNS = ("date", "open", "high", "low", "close", "change_pct", "record_high", "previous_record_high")
HEADERS = {
    "date": "Date",
    "open": "Open",
    "high": "High",
    "low": "Low",
    "close": "Close",
    "change_pct": "Change (%)",
    "record_high": "Record high",
    "previous_record_high": "Record high before this day",
}
#: A whole history has no single "record before the day".
HISTORY_COLUMNS = COLUMNS[:-1]
#: How thinned weekly rows combine days.
WEEKLY = {"open": "first", "high": "max", "low": "min", "close": "last", "record_high": "any", "change_pct": "last"}


def _kinds(unit: str) -> dict[str, str]:
    number = "price" if unit == "won" else "level"
    return {
        "date": "date",
        "open": number,
        "high": number,
        "low": number,
        "close": number,
        "record_high": "bool",
        "previous_record_high": number,
    }


def _layers(unit: str, *, rule: bool, monthly: bool) -> list[alt.Chart]:
    number = ",.0f" if unit == "won" else ",.2f"
    suffix = " (won)" if unit == "won" else ""
    base = alt.Chart().encode(x=time_x(monthly=monthly))
    tips = base.transform_calculate(
        close_text=number_text("close", number),
        change_text=number_text("change_pct", "+.2f", "%"),
        high_text=number_text("high", number),
        low_text=number_text("low", number),
    )
    tooltip = [
        date_tooltip(),
        alt.Tooltip("close_text:N", title="Close" + suffix),
        alt.Tooltip("change_text:N", title="Change"),
        alt.Tooltip("high_text:N", title="High" + suffix),
        alt.Tooltip("low_text:N", title="Low" + suffix),
    ]
    band = base.mark_area(opacity=0.16, color=ACCENT).encode(
        y=alt.Y("low:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f", tickCount=5)),
        y2="high:Q",
    )
    line = base.mark_line(strokeWidth=1.8, color=ACCENT).encode(y="close:Q")
    records = (
        base.mark_point(filled=True, size=64, shape="triangle-up", color=RECORD, opacity=1)
        .encode(y="high:Q")
        .transform_filter("datum.record_high")
    )
    layers = [band, line, records]
    if rule:
        prior = alt.Chart().transform_aggregate(prior="max(previous_record_high)").transform_filter("isValid(datum.prior)")
        layers.append(prior.mark_rule(strokeDash=[5, 4], color=RECORD, strokeWidth=1.2).encode(y="prior:Q"))
        layers.append(
            prior.transform_calculate(label=f"'Prior record high ' + format(datum.prior, '{number}')")
            .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=RECORD, fontSize=11)
            .encode(x=alt.value(0), y="prior:Q", text="label:N")
        )
    layers.extend(hover_layers(tips.encode(y="close:Q"), tooltip))
    return layers


def template(chart_id: str, title: str, theme: Theme, *, unit: str = "index", height: int = 260, monthly: bool = True) -> ChartTemplate:
    """A window of daily rows (3 months, 1 year) with the prior record as a rule; ``monthly``
    ticks suit a few months, the default ticks of ``time_x`` a year."""
    chart = alt.layer(*_layers(unit, rule=True, monthly=monthly)).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=HEADERS, kinds=_kinds(unit))


def history_template(chart_id: str, title: str, theme: Theme, *, unit: str = "index") -> ChartTemplate:
    """A whole history (weekly rows before the last two years), zoomable with an overview brush."""
    overview = (
        alt.Chart()
        .mark_area(color=MUTED, opacity=0.35, line={"color": MUTED, "strokeWidth": 1})
        .encode(
            x=time_x(),
            y=alt.Y("close:Q", title=None, axis=None, scale=alt.Scale(zero=False)),
        )
    )
    chart = overview_detail(_layers(unit, rule=False, monthly=False), overview)
    return finish(chart, chart_id, title, HISTORY_COLUMNS, theme, headers=HEADERS, kinds=_kinds(unit))


# ----------------------------------------------------------------- the family's charts

REPORT_WINDOW = 63  # about three months of trading days
YEAR_WINDOW = 250  # about a year of trading days


def price_rows(facts: list[dict], *, history: bool = False) -> list[dict]:
    """One row per day; ``previous_record_high`` is each row's own (the highest intraday high
    before that day), so the last row's is the record the page's day had to beat."""
    if history:
        return [{k: v for k, v in row.items() if k != "previous_record_high"} for row in price_rows(facts)]
    return [
        {
            "date": f["as_of"],
            "open": f["open"],
            "high": f["high"],
            "low": f["low"],
            "close": f["close"],
            "change_pct": f["change_pct"],
            "record_high": f["record_high"],
            "previous_record_high": (f.get("previous_record_high") or {}).get("value"),
        }
        for f in facts
    ]


def index_chart(cat: Charting, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's headline chart: the index over three months, the day's close in the alt text."""
    series = cat.hist.indices.get(cat.index_name)
    today = snap["indices"].get(cat.index_name)
    if series is None or today is None:
        return None
    facts = last_rows(series, day, REPORT_WINDOW)
    if not facts:
        return None
    prior = rec["value"] if (rec := today.get("previous_record_high")) else None
    rows = price_rows(facts)
    records_in = sum(1 for r in rows if r["record_high"])
    text = (
        f"Line chart of the {cat.index_name} daily close with its intraday range {span(rows)}. "
        f"On {fmt.month_day(day)} it closed at {fmt.level(today['close'])} ({fmt.pct(today.get('change_pct'))}), "
        f"with an intraday high of {fmt.level(today['high'])}"
        + (", a record" if today["record_high"] else "")
        + ". "
        + (f"Triangles mark {records_in} record high{'s' if records_in != 1 else ''} in the period. " if records_in else "")
        + (f"A dashed line marks the record high before the day, {fmt.level(prior)}." if prior is not None else "")
    ).strip()
    return windowed(Chart(cat.template("index-3m"), rows, text, "index-3m"), len(rows) >= REPORT_WINDOW)


def price_history(cat: Charting, series: Series, template: str, what: str, unit: str) -> Chart | None:
    """A whole price history (weekly before the last two years), its peak and records in the alt text."""
    if not series.facts:
        return None
    all_rows = price_rows(series.facts, history=True)
    rows = thin_history(all_rows, WEEKLY)
    number = fmt.won_price if unit == "won" else fmt.level
    peak = max(series.facts, key=lambda f: f["high"] or 0)
    count = sum(1 for f in series.facts if f["record_high"])
    text = (
        f"Line chart of {what}'s close with its intraday range {span(rows)} (weekly before the last two years; "
        f"drag across the overview below the chart to zoom). Last close {number(series.facts[-1]['close'])}; "
        f"highest intraday level {number(peak['high'])} on {fmt.month_day(day_of(peak['as_of']))}, {day_of(peak['as_of']).year}; "
        f"{count} record high{'s' if count != 1 else ''} marked with triangles."
    )
    return Chart(cat.template(template), rows, text, template)


def index_indicator(cat: Charting) -> list[Chart | None]:
    """The headline index's page: its whole history, then its past year."""
    series = cat.hist.indices.get(cat.index_name)
    if series is None or not series.facts:
        return []
    last = series.facts[-1]
    day = day_of(last["as_of"])
    history = price_history(cat, series, "index-history", cat.index_name, "index")
    year_facts = last_rows(series, day, YEAR_WINDOW)
    prior = rec["value"] if (rec := last.get("previous_record_high")) else None
    rows = price_rows(year_facts)
    year = Chart(
        cat.template("index-1y"),
        rows,
        f"Line chart of the {cat.index_name} daily close with its intraday range over the past year, {span(rows)}: "
        f"{fmt.level(last['close'])} at the last close; highest close {fmt.level(max(r['close'] for r in rows))}, "
        f"lowest {fmt.level(min(r['close'] for r in rows))}."
        + (f" A dashed line marks the record high before the last day, {fmt.level(prior)}." if prior is not None else ""),
        "index-1y",
    )
    return [history, windowed(year, len(rows) >= YEAR_WINDOW)]


def stock_price(cat: Charting, ticker: str) -> Chart | None:
    """A tracked stock's share price since the data begin."""
    series = cat.hist.stocks.get(ticker)
    if series is None:
        return None
    name = cat.names().get(ticker, ticker)
    chart = price_history(cat, series, "stock-price-history", name, "won")
    if chart is not None:
        chart.title = f"{name}: share price since the data begin (drag to zoom)"
    return chart


FAMILY = ChartFamily(
    templates={
        "index-3m": lambda name, theme: template("index-3m", f"{name}: close and intraday range, 3 months", theme),
        "index-1y": lambda name, theme: template("index-1y", f"{name}: close and intraday range, 1 year", theme, monthly=False),
        "index-history": lambda name, theme: history_template(
            "index-history", f"{name} since the data begin (drag across the strip below to zoom)", theme
        ),
        "stock-price-history": lambda name, theme: history_template(
            "stock-price-history", "Share price since the data begin (drag to zoom)", theme, unit="won"
        ),
    },
    report=(index_chart,),
    indicators={"kospi": index_indicator},
    stock=(stock_price,),
)
