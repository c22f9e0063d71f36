"""Leading stocks' performance, each stock's close indexed to 100 at the window's first day.

Gainers and losers take the convention's up and down colours *and* a solid or dashed line,
and each line ends in its name with ▲/▼ and the change in percent, so a reader who cannot tell
the colours apart loses nothing.
"""

from __future__ import annotations

import altair as alt

from generator.charts import ChartTemplate
from generator.charts.interaction import hover_layers
from generator.charts.theme import MUTED, Theme, date_tooltip, finish

COLUMNS = ("date", "ticker", "name", "close", "indexed")
HEADERS = {"date": "Date", "ticker": "Ticker", "name": "Stock", "close": "Close (won)", "indexed": "Indexed (first day = 100)"}
KINDS = {"date": "date", "close": "price", "indexed": "index"}


def indexed_template(chart_id: str, title: str, theme: Theme, *, height: int = 260) -> ChartTemplate:
    """Lines of each stock's close / first close x 100."""
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(labelOverlap=True, labelSeparation=8))
    base = (
        alt.Chart()
        .transform_window(last="last_value(indexed)", sort=[alt.SortField("date")], groupby=["ticker"], frame=[None, None])
        .transform_calculate(
            direction="datum.last >= 100 ? 'Gain' : 'Loss'",
            end_label="datum.name + (datum.last >= 100 ? ' ▲' : ' ▼') + format(abs(datum.last - 100), '.1f') + '%'",
        )
        .encode(x=x)
    )
    scale = alt.Scale(domain=["Gain", "Loss"], range=[theme.up, theme.down])
    color = alt.Color(
        "direction:N",
        title=None,
        scale=scale,
        legend=alt.Legend(orient="top", direction="horizontal", symbolType="stroke"),
    )
    dash = alt.StrokeDash("direction:N", title=None, scale=alt.Scale(domain=["Gain", "Loss"], range=[[1, 0], [5, 3]]))
    y = alt.Y(
        "indexed:Q", title="Indexed, first day = 100", scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f", tickCount=5)
    )
    par = alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(100))
    lines = base.mark_line(strokeWidth=1.8).encode(y=y, color=color, strokeDash=dash, detail="ticker:N")
    ends = (
        base.transform_window(rank="row_number()", sort=[alt.SortField("date", order="descending")], groupby=["ticker"])
        .transform_filter("datum.rank == 1")
        .mark_text(align="left", dx=5, fontSize=11, limit=130)
        .encode(y="indexed:Q", text="end_label:N", color=color)
    )
    tooltip = [
        alt.Tooltip("name:N", title="Stock"),
        date_tooltip(),
        alt.Tooltip("close:Q", title="Close (won)", format=",.0f"),
        alt.Tooltip("indexed:Q", title="Indexed", format=",.1f"),
    ]
    chart = alt.layer(par, lines, ends, *hover_layers(base.encode(y="indexed:Q"), tooltip, by_x=False)).properties(
        width="container", height=height
    )
    return finish(chart, chart_id, title, COLUMNS, theme, headers=HEADERS, kinds=KINDS)
