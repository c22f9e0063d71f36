"""Balance charts: the margin-loan balance (and a stock-lending balance) with its record line,
record days marked and an as-of note, since these series are published a day or two late.

``balance_template`` draws a window (1 year, 5 years); ``history_template`` a whole history
with an overview strip to zoom by dragging.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from generator.charts import Chart, ChartTemplate
from generator.charts.family import ChartFamily, Charting, day_of, span, windowed
from generator.charts.interaction import hover_layers, overview_detail
from generator.charts.rows import rows_since, thin_history
from generator.charts.theme import ACCENT, MUTED, RECORD, Theme, date_tooltip, finish, time_x, won_text
from generator.charts.words import ChartWords
from generator.snapshot_types import Balance, Snapshot

COLUMNS = ("date", "balance", "record", "record_balance")


def _headers(w: ChartWords) -> dict[str, str]:
    return {
        "date": w._("As of"),
        "balance": w._("Balance (won)"),
        "record": w._("Record"),
        "record_balance": w._("Record balance (won)"),
    }


#: The English edition's table headers (its words are the source strings).
HEADERS = _headers(ChartWords())
KINDS = {"date": "date", "balance": "won", "record": "bool", "record_balance": "won"}
WEEKLY = {"balance": "last", "record": "any", "record_balance": "last"}


def _note(w: ChartWords) -> str:
    """The as-of note at the last point: "27.6 tn, as of Jan 5"; "27.6조 원, 1월 5일 기준"."""
    if w.korean:
        return (
            "format(datum.tn, ',.1f') + '조 원, ' + (utcmonth(toDate(datum.date)) + 1) + '월 '"
            " + utcdate(toDate(datum.date)) + '일 기준'"
        )
    return "format(datum.tn, ',.1f') + ' tn, as of ' + utcFormat(toDate(datum.date), '%b %-d')"


def _layers(w: ChartWords, *, annotate: bool, monthly: bool = False) -> list[alt.Chart]:
    # the words outside the f-strings below, where extraction finds them
    yes, no = w._("Yes, a record"), w._("No")
    record, trillion = w._("Record "), w._(" trillion won")
    base = (
        alt.Chart()
        .transform_calculate(
            tn="datum.balance / 1e12",
            record_tn="datum.record_balance / 1e12",
            balance_text=won_text("balance"),
            record_text=f"datum.record ? {yes!r} : {no!r}",
        )
        .encode(x=time_x(monthly=monthly))
    )
    line = base.mark_line(color=ACCENT, strokeWidth=2).encode(
        y=alt.Y("tn:Q", title=w._("Trillion won"), scale=alt.Scale(zero=False), axis=alt.Axis(format=",.1f", tickCount=5)),
    )
    peak_base = (
        alt.Chart()
        .transform_aggregate(peak="max(record_balance)")
        .transform_filter("isValid(datum.peak)")
        .transform_calculate(
            peak_tn="datum.peak / 1e12",
            label=f"{record!r} + format(datum.peak / 1e12, ',.2f') + {trillion!r}",
        )
    )
    peak = peak_base.mark_rule(strokeDash=[5, 4], color=RECORD, strokeWidth=1.2).encode(y="peak_tn:Q")
    peak_label = peak_base.mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=RECORD, fontSize=11).encode(
        x=alt.value(0), y="peak_tn:Q", text="label:N"
    )
    records = (
        base.mark_point(filled=True, size=24, shape="diamond", color=RECORD, opacity=1)
        .encode(y="tn:Q")
        .transform_filter("datum.record")
    )
    layers = [line, peak, peak_label, records]
    if annotate:
        # the as-of note sits in the corner away from the last point: bottom right when the
        # balance ends high in the chart, top right when it ends low
        last = (
            base.transform_joinaggregate(lo="min(tn)", hi="max(record_tn)")
            .transform_window(rank="row_number()", sort=[alt.SortField("date", order="descending")])
            .transform_filter("datum.rank == 1")
            .transform_calculate(
                note=_note(w),
                note_y="datum.tn > (datum.lo + datum.hi) / 2 ? datum.lo + (datum.hi - datum.lo) * 0.04 : datum.hi - (datum.hi - datum.lo) * 0.04",
            )
        )
        layers.append(last.mark_point(filled=True, size=36, color=ACCENT, opacity=1).encode(y="tn:Q"))
        layers.append(
            last.mark_text(align="right", baseline="middle", fontSize=11, color=MUTED).encode(y="note_y:Q", text="note:N")
        )
    tooltip = [
        date_tooltip(title=w._("As of")),
        alt.Tooltip("balance_text:N", title=w._("Balance")),
        alt.Tooltip("record_text:N", title=w.pgettext("balance", "Record high")),
    ]
    layers.extend(hover_layers(base.encode(y="tn:Q"), tooltip))
    return layers


def balance_template(chart_id: str, title: str, theme: Theme, *, height: int = 220, monthly: bool = False) -> ChartTemplate:
    """A window of a balance (1 year, 5 years) with the record line and an as-of note; ``monthly``
    ticks suit a window of a few months; by default the ticks follow the width (months to years)."""
    chart = alt.layer(*_layers(theme.words, annotate=True, monthly=monthly)).properties(width="container", height=height)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_headers(theme.words), kinds=KINDS)


def history_template(chart_id: str, title: str, theme: Theme) -> ChartTemplate:
    """A whole balance history (weekly rows before the last two years) with an overview brush."""
    overview = (
        alt.Chart()
        .transform_calculate(tn="datum.balance / 1e12")
        .mark_area(color=MUTED, opacity=0.35, line={"color": MUTED, "strokeWidth": 1})
        .encode(
            x=time_x(),
            y=alt.Y("tn:Q", title=None, axis=None),
        )
    )
    chart = overview_detail(_layers(theme.words, annotate=True), overview)
    return finish(chart, chart_id, title, COLUMNS, theme, headers=_headers(theme.words), kinds=KINDS)


# ----------------------------------------------------------------- the family's charts

MARGIN_DAYS = 365
MARGIN_LONG_DAYS = 5 * 365 + 1


def record_balance(fact: Balance) -> float:
    """The record a balance is measured against: the day's own, or the record before it."""
    prev = rec["value"] if (rec := fact.get("previous_record")) else None
    return max(fact["balance"], prev) if prev is not None else fact["balance"]


def balance_rows(facts: list[Balance], record: float) -> list[dict]:
    """One row per as-of date, each with the record line the chart draws."""
    return [{"date": f["as_of"], "balance": f["balance"], "record": f["record"], "record_balance": record} for f in facts]


def balance_alt(what: str, rows: list[dict], period: str, w: ChartWords) -> str:
    """The text alternative of a balance chart: its span, the last balance, and the record
    (``what`` and ``period`` already in the edition's language)."""
    last = rows[-1]
    peak = last["record_balance"]
    return w._("Line chart of the {what} {period}, {span}: {balance} as of {day}").format(
        what=what, period=period, span=span(rows, words=w), balance=w.won(last["balance"]), day=w.month_day(day_of(last["date"]))
    ) + (w._(", a record.") if last["record"] else w._(", against a record of {record} (the dashed line).").format(record=w.won(peak, 2)))


def since_begin(w: ChartWords) -> str:
    """The period of a whole-history balance chart, for ``balance_alt``."""
    return w._("since the data begin (weekly before the last two years; drag to zoom)")


def margin_window(cat: Charting, day: dt.date, days: int, template: str, period: str) -> Chart | None:
    """The total margin-loan balance over the ``days`` before ``day`` (``period`` in the edition's language)."""
    series = cat.hist.margin_loans.get("total")
    if series is None:
        return None
    facts = rows_since(series, day, days)
    if not facts:
        return None
    rows = balance_rows(facts, record_balance(facts[-1]))
    w = cat.words
    chart = Chart(cat.template(template), rows, balance_alt(w._("total margin-loan balance"), rows, period, w), template)
    # complete when the series has a row at least as old as the window's start
    complete = day_of(series.facts[0]["as_of"]) <= day - dt.timedelta(days=days - 7)
    return windowed(chart, complete, w)


def margin_chart(cat: Charting, day: dt.date, snap: Snapshot) -> Chart | None:
    """A report's margin-loan balance over the past year."""
    return margin_window(cat, day, MARGIN_DAYS, "margin-1y", cat.words._("over the past year"))


def margin_indicator(cat: Charting) -> list[Chart | None]:
    """The margin-loans page: the whole history, five years, and the past year."""
    series = cat.hist.margin_loans.get("total")
    if series is None or not series.facts:
        return []
    last = series.facts[-1]
    day = day_of(last["as_of"])
    rows = thin_history(balance_rows(series.facts, record_balance(last)), WEEKLY)
    w = cat.words
    history = Chart(
        cat.template("margin-history"),
        rows,
        balance_alt(w._("total margin-loan balance"), rows, since_begin(w), w),
        "margin-history",
    )
    return [
        history,
        margin_window(cat, day, MARGIN_LONG_DAYS, "margin-5y", w._("over five years")),
        margin_window(cat, day, MARGIN_DAYS, "margin-1y", w._("over the past year")),
    ]


FAMILY = ChartFamily(
    templates={
        "margin-1y": lambda name, theme: balance_template(
            "margin-1y", theme.words._("Margin-loan balance, all markets, 1 year"), theme
        ),
        "margin-5y": lambda name, theme: balance_template(
            "margin-5y", theme.words._("Margin-loan balance, all markets, 5 years"), theme, monthly=False
        ),
        "margin-history": lambda name, theme: history_template(
            "margin-history", theme.words._("Margin-loan balance since the data begin (drag to zoom)"), theme
        ),
    },
    report=(margin_chart,),
    indicators={"margin-loans": margin_indicator},
)
