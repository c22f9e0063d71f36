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
from generator.charts.words import ChartWords
from generator.i18n_strings import N_
from generator.snapshot_types import Snapshot

COLUMNS = ("date", "open", "high", "low", "close", "change_pct", "record_high", "previous_record_high")
HEADERS = {
    "date": "Date",
    "open": "Open",
    "high": "High",
    "low": "Low",
    "close": "Close",
    "change_pct": N_("Change (%)"),
    "record_high": "Record high",
    "previous_record_high": N_("Record high before this day"),
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
        "change_pct": "pct",
        "record_high": "bool",
        "previous_record_high": number,
    }


def _headers(w: ChartWords) -> dict[str, str]:
    return {key: w._(text) for key, text in HEADERS.items()}


def _layers(unit: str, w: ChartWords, *, rule: bool, monthly: bool) -> list[alt.Chart]:
    number = ",.0f" if unit == "won" else ",.2f"
    suffix = w._(" (won)") if unit == "won" else ""
    base = alt.Chart().encode(x=time_x(monthly=monthly))
    tips = base.transform_calculate(
        close_text=number_text("close", number),
        change_text=number_text("change_pct", "+.2f", "%"),
        high_text=number_text("high", number),
        low_text=number_text("low", number),
    )
    tooltip = [
        date_tooltip(title=w._("Date")),
        alt.Tooltip("close_text:N", title=w._("Close") + suffix),
        alt.Tooltip("change_text:N", title=w._("Change")),
        alt.Tooltip("high_text:N", title=w._("High") + suffix),
        alt.Tooltip("low_text:N", title=w._("Low") + suffix),
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
        prior_label = w._("Prior record high ")
        prior = alt.Chart().transform_aggregate(prior="max(previous_record_high)").transform_filter("isValid(datum.prior)")
        layers.append(prior.mark_rule(strokeDash=[5, 4], color=RECORD, strokeWidth=1.2).encode(y="prior:Q"))
        layers.append(
            prior.transform_calculate(label=f"{prior_label!r} + format(datum.prior, '{number}')")
            .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=RECORD, fontSize=11)
            .encode(x=alt.value(0), y="prior:Q", text="label:N")
        )
    layers.extend(hover_layers(tips.encode(y="close:Q"), tooltip))
    return layers


def template(chart_id: str, title: str, theme: Theme, *, unit: str = "index", height: int = 260, monthly: bool = True) -> ChartTemplate:
    """A window of daily rows (3 months, 1 year) with the prior record as a rule; ``monthly``
    ticks suit a few months, the default ticks of ``time_x`` a year."""
    chart = alt.layer(*_layers(unit, theme.words, rule=True, monthly=monthly)).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_headers(theme.words), kinds=_kinds(unit))


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
    chart = overview_detail(_layers(unit, theme.words, rule=False, monthly=False), overview)
    return finish(chart, chart_id, title, HISTORY_COLUMNS, theme, headers=_headers(theme.words), kinds=_kinds(unit))


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
    w = cat.words
    high = fmt.level(today["high"])
    text = (
        w._("Line chart of the {index} daily close with its intraday range {span}.").format(index=w.index(cat.index_name), span=span(rows, words=w))
        + " "
        + (w._("On {day} it closed at {close} ({change}), with an intraday high of {high}, a record.") if today["record_high"]
           else w._("On {day} it closed at {close} ({change}), with an intraday high of {high}.")).format(
            day=w.month_day(day), close=fmt.level(today["close"]), change=fmt.pct(today.get("change_pct")), high=high)
        + " "
        + ((w._("Triangles mark {count} record high in the period.") if records_in == 1
            else w._("Triangles mark {count} record highs in the period.")).format(count=records_in) + " " if records_in else "")
        + (w._("A dashed line marks the record high before the day, {level}.").format(level=fmt.level(prior)) if prior is not None else "")
    ).strip()
    return windowed(Chart(cat.template("index-3m"), rows, text, "index-3m"), len(rows) >= REPORT_WINDOW, w)


def price_history(cat: Charting, series: Series, template: str, what: str, unit: str) -> Chart | None:
    """A whole price history (weekly before the last two years), its peak and records in the alt text."""
    if not series.facts:
        return None
    all_rows = price_rows(series.facts, history=True)
    rows = thin_history(all_rows, WEEKLY)
    number = fmt.won_price if unit == "won" else fmt.level
    peak = max(series.facts, key=lambda f: f["high"] or 0)
    count = sum(1 for f in series.facts if f["record_high"])
    w = cat.words
    text = (
        w._("Line chart of {what}'s close with its intraday range {span} (weekly before the last two years; "
            "drag across the overview below the chart to zoom).").format(what=what, span=span(rows, words=w))
        + " "
        + (w._("Last close {close}; highest intraday level {high} on {day}; {count} record high marked with triangles.") if count == 1
           else w._("Last close {close}; highest intraday level {high} on {day}; {count} record highs marked with triangles.")).format(
            close=number(series.facts[-1]["close"]), high=number(peak["high"]), day=w.date(day_of(peak["as_of"])), count=count)
    )
    return Chart(cat.template(template), rows, text, template)


def index_indicator(cat: Charting) -> list[Chart | None]:
    """The headline index's page: its whole history, then its past year."""
    series = cat.hist.indices.get(cat.index_name)
    if series is None or not series.facts:
        return []
    last = series.facts[-1]
    day = day_of(last["as_of"])
    w = cat.words
    history = price_history(cat, series, "index-history", w.index(cat.index_name), "index")
    year_facts = last_rows(series, day, YEAR_WINDOW)
    prior = rec["value"] if (rec := last.get("previous_record_high")) else None
    rows = price_rows(year_facts)
    year = Chart(
        cat.template("index-1y"),
        rows,
        w._("Line chart of the {index} daily close with its intraday range over the past year, {span}: "
            "{close} at the last close; highest close {highest}, lowest {lowest}.").format(
            index=w.index(cat.index_name), span=span(rows, words=w), close=fmt.level(last["close"]),
            highest=fmt.level(max(r["close"] for r in rows)), lowest=fmt.level(min(r["close"] for r in rows)))
        + (" " + w._("A dashed line marks the record high before the last day, {level}.").format(level=fmt.level(prior)) if prior is not None else ""),
        "index-1y",
    )
    return [history, windowed(year, len(rows) >= YEAR_WINDOW, w)]


def stock_price(cat: Charting, ticker: str) -> Chart | None:
    """A tracked stock's share price since the data begin."""
    series = cat.hist.stocks.get(ticker)
    if series is None:
        return None
    name = cat.names().get(ticker, ticker)
    chart = price_history(cat, series, "stock-price-history", name, "won")
    if chart is not None:
        chart.title = cat.words._("{name}: share price since the data begin (drag to zoom)").format(name=name)
    return chart


FAMILY = ChartFamily(
    templates={
        "index-3m": lambda name, theme: template(
            "index-3m", theme.words._("{name}: close and intraday range, 3 months").format(name=theme.words.index(name)), theme
        ),
        "index-1y": lambda name, theme: template(
            "index-1y", theme.words._("{name}: close and intraday range, 1 year").format(name=theme.words.index(name)), theme, monthly=False
        ),
        "index-history": lambda name, theme: history_template(
            "index-history",
            theme.words._("{name} since the data begin (drag across the strip below to zoom)").format(name=theme.words.index(name)),
            theme,
        ),
        "stock-price-history": lambda name, theme: history_template(
            "stock-price-history", theme.words._("Share price since the data begin (drag to zoom)"), theme, unit="won"
        ),
    },
    report=(index_chart,),
    indicators={"kospi": index_indicator},
    stock=(stock_price,),
)
