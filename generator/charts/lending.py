"""Stock-lending balances of the tracked stocks: one bar each, largest first, with a tick at the
balance a month earlier and a ▲/▼ label for the month's change (colour alone never says it).

Each stock's balance history has the balance charts of ``leverage.py``.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from generator.analysis.lending import lending_total
from generator.charts import Chart, ChartTemplate, leverage
from generator.charts.family import ChartFamily, Charting, day_of
from generator.charts.rows import last_rows, thin_history
from generator.charts.theme import ACCENT, MUTED, TEXT, Theme, finish, signed_won_text, won_text
from generator.charts.words import ChartWords
from generator.snapshot_types import Snapshot

COLUMNS = ("ticker", "name", "as_of", "balance", "month_ago", "change")


def _headers(w: ChartWords) -> dict[str, str]:
    return {
        "ticker": w._("Ticker"),
        "name": w._("Stock"),
        "as_of": w._("As of"),
        "balance": w._("Balance (won)"),
        "month_ago": w._("Balance 20 trading days earlier (won)"),
        "change": w._("Change (won)"),
    }


#: The English edition's table headers (its words are the source strings).
HEADERS = _headers(ChartWords())
KINDS = {"as_of": "date", "balance": "won", "month_ago": "won", "change": "won_signed"}


def _compact(field: str, w: ChartWords) -> str:
    """A bar's label: "1.2 tn", "978 bn"; "1.2조", "9,780억"."""
    v = f"datum[{field!r}]"
    if w.korean:
        return f"(abs({v}) >= 0.99995e12 ? format({v} / 1e12, ',.1f') + '조' : format({v} / 1e8, ',.0f') + '억')"
    return f"(abs({v}) >= 0.9995e12 ? format({v} / 1e12, ',.1f') + ' tn' : format({v} / 1e9, ',.0f') + ' bn')"


def stocks_template(chart_id: str, title: str, theme: Theme, *, bar_height: int = 22) -> ChartTemplate:
    """Horizontal bars of each tracked stock's lending balance (height grows with the rows)."""
    w = theme.words
    base = alt.Chart().transform_calculate(
        tn="datum.balance / 1e12",
        before_tn="datum.month_ago / 1e12",
        label_tn="max(datum.balance, datum.month_ago || 0) / 1e12",
        direction="datum.change > 0 ? 'up' : datum.change < 0 ? 'down' : 'flat'",
        label=_compact("balance", w) + " + (datum.change > 0 ? ' ▲' : datum.change < 0 ? ' ▼' : '')",
        balance_text=won_text("balance"),
        change_text=signed_won_text("change"),
        as_of_text=f"utcFormat(toDate(datum.as_of), {w.short_date_format!r})",
    )
    # rows come largest first; the order of the data is the order of the bars
    y = alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=140, domain=False, ticks=False))
    tooltip = [
        alt.Tooltip("name:N", title=w._("Stock")),
        alt.Tooltip("balance_text:N", title=w._("Balance")),
        alt.Tooltip("change_text:N", title=w._("Change over 20 trading days")),
        alt.Tooltip("as_of_text:N", title=w._("As of")),
    ]
    bars = base.mark_bar(color=ACCENT, height={"band": 0.7}).encode(
        y=y, x=alt.X("tn:Q", title=w._("Trillion won"), axis=alt.Axis(format=",.1f", tickCount=4, grid=True)), tooltip=tooltip
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
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_headers(w), kinds=KINDS)


# ----------------------------------------------------------------- the family's charts

LENDING_LOOKBACK = 20  # trading days for "a month earlier"


def lending_rows(cat: Charting, day: dt.date) -> list[dict]:
    """Each tracked stock's balance on ``day`` and 20 trading days earlier, largest first."""
    names = cat.names()
    rows = []
    for ticker in cat.data.tracked_tickers:
        series = cat.hist.stock_lending.get(ticker)
        if series is None:
            continue
        facts = last_rows(series, day, LENDING_LOOKBACK + 1)
        if not facts:
            continue
        now = facts[-1]
        before = facts[0]["balance"] if len(facts) > LENDING_LOOKBACK else None
        rows.append(
            {
                "ticker": ticker,
                "name": names.get(ticker, ticker),
                "as_of": now["as_of"],
                "balance": now["balance"],
                "month_ago": before,
                "change": now["balance"] - before if before is not None else None,
            }
        )
    rows.sort(key=lambda r: -r["balance"])
    return rows


def largest_rows(cat: Charting, day: dt.date) -> tuple[list[dict], int]:
    """``lending_rows`` cut to the ``report_stocks`` largest balances (generator/stock_lists.py),
    and how many stocks had a balance: a chart of 950 bars is not read, nor light to send."""
    rows = lending_rows(cat, day)
    return rows[: cat.data.config.report_stocks], len(rows)


def stocks_chart(cat: Charting, day: dt.date, snap: Snapshot | None) -> Chart | None:
    """A report's lending balances by stock, the largest and how many rose in the alt text
    (from the history, not ``snap``: the stock-lending page draws it with no snapshot)."""
    rows, total = largest_rows(cat, day)
    if not rows:
        return None
    w = cat.words
    top = ", ".join(f"{r['name']} {w.won(r['balance'])}" for r in rows[:3])
    rising = sum(1 for r in rows if (r["change"] or 0) > 0)
    if len(rows) < total:
        text = w._(
            "Bar chart of the {count} largest stock-lending balances of {total} tracked stocks, largest first: {top}. "
            "{rising} of the {count} rose over 20 trading days (▲); the tick on each bar marks the balance 20 trading days earlier."
        ).format(count=len(rows), total=total, top=top, rising=rising)
    else:
        text = w._(
            "Bar chart of stock-lending balances of {count} tracked stocks, largest first: {top}. "
            "{rising} of {count} rose over 20 trading days (▲); the tick on each bar marks the balance 20 trading days earlier."
        ).format(count=len(rows), top=top, rising=rising)
    return Chart(cat.template("lending-stocks"), rows, text, "lending-stocks")


def lending_indicator(cat: Charting) -> list[Chart | None]:
    """The stock-lending page: the tracked stocks' total since the data begin, then each stock."""
    total = lending_total(cat.hist, cat.data.tracked_tickers)
    if total is None:
        return []
    last = total.facts[-1]
    rows = thin_history(leverage.balance_rows(total.facts, leverage.record_balance(last)), leverage.WEEKLY)
    w = cat.words
    history = Chart(
        cat.template("lending-history"),
        rows,
        leverage.balance_alt(
            w._("stock-lending balance of the {count} tracked stocks together").format(count=len(cat.hist.stock_lending)),
            rows,
            leverage.since_begin(w),
            w,
        ),
        "lending-history",
    )
    return [history, stocks_chart(cat, day_of(last["as_of"]), None)]


def stock_lending(cat: Charting, ticker: str) -> Chart | None:
    """A tracked stock's lending balance since the data begin."""
    series = cat.hist.stock_lending.get(ticker)
    if series is None or not series.facts:
        return None
    name = cat.names().get(ticker, ticker)
    w = cat.words
    rows = thin_history(leverage.balance_rows(series.facts, leverage.record_balance(series.facts[-1])), leverage.WEEKLY)
    chart = Chart(
        cat.template("stock-lending-history"),
        rows,
        leverage.balance_alt(w._("stock-lending balance of {name}").format(name=name), rows, leverage.since_begin(w), w),
        "stock-lending-history",
    )
    chart.title = w._("{name}: stock-lending balance since the data begin (drag to zoom)").format(name=name)
    return chart


FAMILY = ChartFamily(
    templates={
        "lending-stocks": lambda name, theme: stocks_template(
            "lending-stocks", theme.words._("Stock-lending balance by stock, and its change over 20 trading days (▲ ▼)"), theme
        ),
        "lending-history": lambda name, theme: leverage.history_template(
            "lending-history", theme.words._("Stock-lending balance of the tracked stocks, total (drag to zoom)"), theme
        ),
        "stock-lending-history": lambda name, theme: leverage.history_template(
            "stock-lending-history", theme.words._("Stock-lending balance since the data begin (drag to zoom)"), theme
        ),
    },
    report=(stocks_chart,),
    indicators={"stock-lending": lending_indicator},
    stock=(stock_lending,),
)
