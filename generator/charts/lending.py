"""Stock-lending balances of the tracked stocks: one bar each, largest first, with a tick at the
balance a month earlier and a ▲/▼ label for the month's change (colour alone never says it).

Each stock's balance history has the balance charts of ``leverage.py``.
"""

from __future__ import annotations

import altair as alt

from generator.charts import ChartTemplate
from generator.charts.theme import ACCENT, MUTED, TEXT, Theme, finish, signed_won_text, won_text

COLUMNS = ("ticker", "name", "as_of", "balance", "month_ago", "change")
HEADERS = {
    "ticker": "Ticker",
    "name": "Stock",
    "as_of": "As of",
    "balance": "Balance (won)",
    "month_ago": "Balance 20 trading days earlier (won)",
    "change": "Change (won)",
}
KINDS = {"as_of": "date", "balance": "won", "month_ago": "won", "change": "won_signed"}


def _compact(field: str) -> str:
    v = f"datum[{field!r}]"
    return f"(abs({v}) >= 0.9995e12 ? format({v} / 1e12, ',.1f') + ' tn' : format({v} / 1e9, ',.0f') + ' bn')"


def stocks_template(chart_id: str, title: str, theme: Theme, *, bar_height: int = 22) -> ChartTemplate:
    """Horizontal bars of each tracked stock's lending balance (height grows with the rows)."""
    base = alt.Chart().transform_calculate(
        tn="datum.balance / 1e12",
        before_tn="datum.month_ago / 1e12",
        label_tn="max(datum.balance, datum.month_ago || 0) / 1e12",
        direction="datum.change > 0 ? 'up' : datum.change < 0 ? 'down' : 'flat'",
        label=_compact("balance") + " + (datum.change > 0 ? ' ▲' : datum.change < 0 ? ' ▼' : '')",
        balance_text=won_text("balance"),
        change_text=signed_won_text("change"),
        as_of_text="utcFormat(toDate(datum.as_of), '%b %-d, %Y')",
    )
    # rows come largest first; the order of the data is the order of the bars
    y = alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=140, domain=False, ticks=False))
    tooltip = [
        alt.Tooltip("name:N", title="Stock"),
        alt.Tooltip("balance_text:N", title="Balance"),
        alt.Tooltip("change_text:N", title="Change over 20 trading days"),
        alt.Tooltip("as_of_text:N", title="As of"),
    ]
    bars = base.mark_bar(color=ACCENT, height={"band": 0.7}).encode(
        y=y, x=alt.X("tn:Q", title="Trillion won", axis=alt.Axis(format=",.1f", tickCount=4, grid=True)), tooltip=tooltip
    )
    before = (
        base.mark_tick(color=TEXT, thickness=2, size=bar_height * 0.9)
        .encode(y=y, x="before_tn:Q", tooltip=tooltip)
        .transform_filter("isValid(datum.month_ago)")
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=y,
        x="label_tn:Q",
        text="label:N",
        color=alt.Color(
            "direction:N", scale=alt.Scale(domain=["up", "down", "flat"], range=[theme.up, theme.down, MUTED]), legend=None
        ),
    )
    chart = alt.layer(bars, before, labels).properties(width="container", height=alt.Step(bar_height))
    return finish(chart, chart_id, title, COLUMNS, theme, headers=HEADERS, kinds=KINDS)
