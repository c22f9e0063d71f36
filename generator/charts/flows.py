"""Investor-flow charts: daily net buying by investor type as diverging bars."""

from __future__ import annotations

import altair as alt

from generator.charts import DATA_NAME, ChartTemplate
from generator.charts.theme import INVESTOR_COLORS, config

COLUMNS = ("date", "investor", "net_buy_won", "net_buy_bn")


def daily_template(chart_id: str, title: str) -> ChartTemplate:
    investors = list(INVESTOR_COLORS)
    chart = (
        alt.Chart(alt.Data(name=DATA_NAME))
        .mark_bar()
        .encode(
            x=alt.X("date:O", title=None, timeUnit="yearmonthdate", axis=alt.Axis(format="%b %d", labelAngle=0, labelOverlap=True)),
            y=alt.Y("net_buy_bn:Q", title="Net buying, billion won", stack="zero", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "investor:N",
                title=None,
                scale=alt.Scale(domain=investors, range=[INVESTOR_COLORS[k] for k in investors]),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%a %b %d, %Y"),
                alt.Tooltip("investor:N", title="Investor"),
                alt.Tooltip("net_buy_bn:Q", title="Net buying (billion won)", format="+,.1f"),
            ],
        )
        .properties(width="container", height=240, title=title)
    )
    spec = chart.to_dict()
    spec.pop("datasets", None)
    spec["config"] = config()
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return ChartTemplate(chart_id, title, spec, COLUMNS)
