"""Price charts (an index or a stock): the close with the day's intraday range, record highs
marked with a triangle, the record standing before the page's day as a dashed rule.

``template`` draws a window (3 months, 1 year); ``history_template`` a whole history with an
overview strip to zoom by dragging.
"""

from __future__ import annotations

import altair as alt

from generator.charts import ChartTemplate
from generator.charts.interaction import hover_layers, overview_detail
from generator.charts.theme import ACCENT, MUTED, RECORD, Theme, date_tooltip, finish, number_text, time_x

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
