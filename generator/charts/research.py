"""The leverage-risk scatter: borrowing intensity at the market's peak against each stock's later fall.

One row per stock (per downturn): its days of trading to cover the lending balance (x), its
fall from the peak-day close (y, negative percent) and the fitted value of the least-squares
line at that x. The line is a layer drawn from the ``fitted_pct`` column, so the chart shows
exactly the line ``generator.analysis.research`` computed (numpy.polyfit), and the CSV beside
the page carries it too. Points are labelled with the stock's name, so the chart does not rely
on colour, and shapes tell downturns apart when the study covers more than one.
"""

from __future__ import annotations

import altair as alt

from generator.charts import ChartTemplate
from generator.charts.theme import ACCENT, MUTED, RECORD, Theme, finish, number_text
from generator.charts.words import ChartWords

COLUMNS = (
    "ticker",
    "name",
    "sector",
    "peak_date",
    "lending_balance",
    "lending_as_of",
    "avg_traded_value",
    "intensity_days",
    "peak_close",
    "low_close",
    "low_date",
    "drawdown_pct",
    "fitted_pct",
)


def headers(w: ChartWords) -> dict[str, str]:
    """The data table's and CSV's column names in the edition's language."""
    return {
        "ticker": w._("Ticker"),
        "name": w._("Stock"),
        "sector": w._("Sector"),
        "peak_date": w._("Index peak"),
        "lending_balance": w._("Lending balance at the peak (won)"),
        "lending_as_of": w._("Lending as of"),
        "avg_traded_value": w._("Average daily traded value (won)"),
        "intensity_days": w._("Days of trading to cover"),
        "peak_close": w._("Close at the peak (won)"),
        "low_close": w._("Lowest close after (won)"),
        "low_date": w._("Lowest close on"),
        "drawdown_pct": w._("Fall from the peak (%)"),
        "fitted_pct": w._("Fitted line (%)"),
    }


#: The English edition's column names (its words are the source strings).
HEADERS = headers(ChartWords())
KINDS = {
    "peak_date": "date",
    "lending_as_of": "date",
    "low_date": "date",
    "lending_balance": "won",
    "avg_traded_value": "won",
    "peak_close": "price",
    "low_close": "price",
    "drawdown_pct": "pct",
    "fitted_pct": "pct",
}


def scatter_template(chart_id: str, title: str, theme: Theme, *, legend: bool = False, height: int = 320) -> ChartTemplate:
    """Points (intensity, fall) labelled by name, a zero rule, and the fitted line as a layer.

    ``legend`` shows which shape is which downturn (only useful when the study has several)."""
    w = theme.words
    x = alt.X(
        "intensity_days:Q",
        title=w._("Days of trading to cover lending"),
        scale=alt.Scale(zero=True),
        axis=alt.Axis(format=",.0f", tickCount=6),
    )
    y = alt.Y("drawdown_pct:Q", title=w._("Fall from the peak, %"), axis=alt.Axis(format=",.0f", tickCount=6))
    base = alt.Chart().encode(x=x)
    tips = base.transform_calculate(
        peak_text=f"utcFormat(toDate(datum.peak_date), {w.short_date_format!r})",
        intensity_text=number_text("intensity_days", ",.1f"),
        drawdown_text=number_text("drawdown_pct", "+,.1f", "%"),
        fitted_text=number_text("fitted_pct", "+,.1f", "%"),
    )
    tooltip = [
        alt.Tooltip("name:N", title=w._("Stock")),
        alt.Tooltip("peak_text:N", title=w._("Index peak")),
        alt.Tooltip("intensity_text:N", title=w._("Days to cover")),
        alt.Tooltip("drawdown_text:N", title=w._("Fall from peak")),
        alt.Tooltip("fitted_text:N", title=w._("Fitted line")),
    ]
    points = base.mark_point(filled=True, size=70, color=ACCENT, opacity=0.9).encode(
        y=y,
        shape=alt.Shape("peak_date:N", title=w._("Index peak"), legend=alt.Legend(orient="top", direction="horizontal") if legend else None),
    )
    # the nearest point to the pointer (no precise aim needed, on a phone either) gives the tooltip
    hover = alt.selection_point(name="hover", nearest=True, on="pointerover", clear="pointerout", empty=False, fields=["name", "peak_date"])
    selectors = (
        tips.mark_point(opacity=0, size=20).encode(y=y, tooltip=tooltip).add_params(hover).properties(name="hover_points")
    )
    # names beside the points where there is room for them; on a phone they would pile up, and
    # the tooltip and the data table name every point
    labels = base.mark_text(align="left", dx=7, dy=-2, fontSize=11, color=MUTED, opacity={"expr": "width < 560 ? 0 : 1"}).encode(
        y="drawdown_pct:Q", text="name:N"
    )
    line = base.mark_line(color=RECORD, strokeWidth=2, strokeDash=[6, 3]).encode(y="fitted_pct:Q", order="intensity_days:Q")
    zero = alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(0))
    chart = alt.layer(zero, line, points, labels, selectors).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=headers(w), kinds=KINDS)
