"""Leverage charts: the margin-loan balance with its record line."""

from __future__ import annotations

import altair as alt

from generator.charts import DATA_NAME, ChartTemplate
from generator.charts.theme import ACCENT, RECORD, config

COLUMNS = ("date", "balance_won", "balance_tn", "record")


def balance_template(chart_id: str, title: str, y_title: str = "Trillion won") -> ChartTemplate:
    base = alt.Chart(alt.Data(name=DATA_NAME)).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True, tickCount=6))
    )
    tooltip = [
        alt.Tooltip("date:T", title="As of", format="%a %b %d, %Y"),
        alt.Tooltip("balance_tn:Q", title="Balance (trillion won)", format=",.2f"),
    ]
    line = base.mark_line(color=ACCENT, strokeWidth=1.8).encode(
        y=alt.Y("balance_tn:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.1f")),
        tooltip=tooltip,
    )
    peak = base.mark_rule(strokeDash=[4, 3], color=RECORD).encode(y="max(balance_tn):Q")
    points = base.mark_point(filled=True, size=36, color=RECORD).encode(y="balance_tn:Q", tooltip=tooltip).transform_filter("datum.record")
    chart = alt.layer(line, peak, points).properties(width="container", height=220, title=title)
    spec = chart.to_dict()
    spec.pop("datasets", None)
    spec["config"] = config()
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return ChartTemplate(chart_id, title, spec, COLUMNS)
