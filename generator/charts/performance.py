"""Leading stocks' performance, each stock's close indexed to 100 at the window's first day.

Each stock has its own colour (``palette.SERIES``, in the order the stocks are listed, gainers
first), and the legend names it with ▲/▼ and its change over the window, so no label can
overlap another or be cut off at the chart's edge on a phone. Losers' lines are also dashed,
so the colour is never the only cue. The x axis has one place per trading day.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from generator import formatting as fmt
from generator.charts import Chart, ChartTemplate
from generator.charts.family import ChartFamily, Charting, day_of, span
from generator.charts.interaction import hover_layers
from generator.charts.rows import last_rows
from generator.charts.theme import MUTED, SERIES, Theme, date_tooltip, finish, number_text, trading_day_x
from generator.charts.words import ChartWords
from generator.snapshot_types import Snapshot

COLUMNS = ("date", "ticker", "name", "close", "indexed")


def _headers(w: ChartWords) -> dict[str, str]:
    return {
        "date": w._("Date"),
        "ticker": w._("Ticker"),
        "name": w._("Stock"),
        "close": w._("Close (won)"),
        "indexed": w._("Indexed (first day = 100)"),
    }


#: The English edition's table headers (its words are the source strings).
HEADERS = _headers(ChartWords())
KINDS = {"date": "date", "close": "price", "indexed": "index"}


def indexed_template(chart_id: str, title: str, theme: Theme, *, height: int = 260) -> ChartTemplate:
    """Lines of each stock's close / first close x 100."""
    w = theme.words
    x = trading_day_x()
    base = (
        alt.Chart()
        .transform_window(last="last_value(indexed)", sort=[alt.SortField("date")], groupby=["ticker"], frame=[None, None])
        .transform_calculate(
            direction="datum.last >= 100 ? 'Gain' : 'Loss'",
            legend_label="datum.name + (datum.last >= 100 ? ' ▲ ' : ' ▼ ') + format(abs(datum.last - 100), '.1f') + '%'",
            change_text="(datum.indexed > 100 ? '+' : datum.indexed < 100 ? '−' : '') + format(abs(datum.indexed - 100), '.1f') + '%'",
            close_text=number_text("close", ",.0f"),
        )
        .encode(x=x)
    )
    color = alt.Color(
        "legend_label:N",
        title=None,
        sort=None,  # the order of the rows: gainers first
        scale=alt.Scale(range=[light for light, _ in SERIES]),
        legend=alt.Legend(
            orient="top", direction="horizontal", columns={"expr": "width < 520 ? 1 : 3"}, symbolType="stroke", labelLimit=240, columnPadding=20
        ),
    )
    dash = alt.StrokeDash(
        "direction:N", title=None, legend=None, scale=alt.Scale(domain=["Gain", "Loss"], range=[[1, 0], [5, 3]])
    )
    y = alt.Y(
        "indexed:Q", title=w._("Indexed, first day = 100"), scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f", tickCount=5)
    )
    par = alt.Chart().mark_rule(color=MUTED, strokeWidth=1).encode(y=alt.datum(100))
    lines = base.mark_line(strokeWidth=2).encode(y=y, color=color, strokeDash=dash, detail="ticker:N")
    tooltip = [
        alt.Tooltip("name:N", title=w._("Stock")),
        date_tooltip(title=w._("Date")),
        alt.Tooltip("close_text:N", title=w._("Close (won)")),
        alt.Tooltip("change_text:N", title=w._("Change since the first day")),
    ]
    chart = alt.layer(par, lines, *hover_layers(base.encode(y="indexed:Q"), tooltip, by_x=False)).properties(
        width="container", height=height
    )
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_headers(w), kinds=KINDS)


# ----------------------------------------------------------------- the family's charts

LEADERS_SHOWN = 6
LEADERS_WINDOW = 21  # a month of trading days


def leaders_chart(cat: Charting, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's leading stocks over the past month (the top and bottom three), each one's
    change over the month in the alt text."""
    tickers = list(snap.get("leaders") or [])
    if len(tickers) > LEADERS_SHOWN:
        half = LEADERS_SHOWN // 2
        tickers = tickers[:half] + tickers[-half:]
    names = cat.names()
    rows: list[dict] = []
    ends: list[str] = []
    for ticker in tickers:
        series = cat.hist.stocks.get(ticker)
        if series is None:
            continue
        facts = last_rows(series, day, LEADERS_WINDOW)
        if not facts or not facts[0]["close"]:
            continue
        base = facts[0]["close"]
        for f in facts:
            rows.append(
                {
                    "date": f["as_of"],
                    "ticker": ticker,
                    "name": names.get(ticker, ticker),
                    "close": f["close"],
                    "indexed": round(f["close"] / base * 100, 2),
                }
            )
        ends.append(f"{names.get(ticker, ticker)} {fmt.pct(round(facts[-1]['close'] / base * 100 - 100, 2))}")
    if not rows:
        return None
    w = cat.words
    text = w._(
        "Line chart of the day's leading stocks, each close indexed to 100 on the first day, {span}. "
        "Over the period: {changes}. Each stock has its own colour, named in the legend; losers are dashed lines."
    ).format(span=span(rows, words=w), changes=", ".join(ends))
    chart = Chart(cat.template("leaders-1m"), rows, text, "leaders-1m")
    if len({r["date"] for r in rows}) < LEADERS_WINDOW:
        chart.title = w._("The day's leading stocks since {day}, indexed to 100").format(day=w.date(day_of(rows[0]["date"])))
    return chart


FAMILY = ChartFamily(
    templates={
        "leaders-1m": lambda name, theme: indexed_template(
            "leaders-1m", theme.words._("The day's leading stocks over the past month, indexed to 100"), theme
        ),
    },
    report=(leaders_chart,),
)
