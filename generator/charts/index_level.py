"""Index charts: the close with the day's intraday range, records marked, the previous record as a rule."""

from __future__ import annotations

import altair as alt

from generator.charts import DATA_NAME, ChartTemplate
from generator.charts.theme import ACCENT, RECORD, config

COLUMNS = ("date", "open", "high", "low", "close", "record_high", "previous_record")


def template(chart_id: str, title: str) -> ChartTemplate:
    base = alt.Chart(alt.Data(name=DATA_NAME)).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %d", labelOverlap=True, tickCount=6)),
    )
    tooltip = [
        alt.Tooltip("date:T", title="Date", format="%a %b %d, %Y"),
        alt.Tooltip("close:Q", title="Close", format=",.2f"),
        alt.Tooltip("high:Q", title="High", format=",.2f"),
        alt.Tooltip("low:Q", title="Low", format=",.2f"),
    ]
    band = base.mark_area(opacity=0.18, color=ACCENT).encode(
        y=alt.Y("low:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f")),
        y2="high:Q",
    )
    line = base.mark_line(strokeWidth=1.8, color=ACCENT).encode(y="close:Q", tooltip=tooltip)
    points = base.mark_point(filled=True, size=40, shape="triangle-up", color=RECORD).encode(
        y="high:Q", tooltip=[*tooltip, alt.Tooltip("record_high:N", title="Record high")]
    ).transform_filter("datum.record_high")
    rule = base.mark_rule(strokeDash=[4, 3], color=RECORD).encode(
        y="max(previous_record):Q", tooltip=[alt.Tooltip("max(previous_record):Q", title="Previous record high", format=",.2f")]
    )
    chart = alt.layer(band, line, points, rule).properties(width="container", height=260, title=title)
    spec = chart.to_dict()
    spec.pop("datasets", None)
    spec["config"] = config()
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return ChartTemplate(chart_id, title, spec, COLUMNS)
