"""Picking a page's rows from an analysed series: windows and weekly thinning.

Long histories (30 years of the KOSPI is 7,500 trading days) would make pages heavy and charts
slow, so charts of a whole history keep daily rows for the last two years and one row per week
before that. The thinned rows are what the chart draws and what its CSV holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from generator.analysis.series import Row, Series

DAILY_YEARS = 2

Agg = Callable[[list], object]

AGGREGATES: dict[str, Agg] = {
    "first": lambda vs: vs[0],
    "last": lambda vs: vs[-1],
    "max": lambda vs: max((v for v in vs if v is not None), default=None),
    "min": lambda vs: min((v for v in vs if v is not None), default=None),
    "any": lambda vs: any(bool(v) for v in vs),
    "sum": lambda vs: sum(v for v in vs if v is not None),
}


def end_index(series: Series, day: dt.date) -> int:
    """Position of the series' latest row on or before ``day`` (-1 when it starts later)."""
    return int(series.at(np.array([np.datetime64(day, "D")]))[0])


def last_rows(series: Series, day: dt.date, count: int) -> list[dict]:
    """The facts of the last ``count`` rows on or before ``day``."""
    end = end_index(series, day)
    if end < 0:
        return []
    return series.facts[max(0, end - count + 1) : end + 1]


def rows_since(series: Series[Row], day: dt.date, days: int) -> list[Row]:
    """The facts of the rows dated within ``days`` calendar days up to ``day``."""
    end = end_index(series, day)
    if end < 0:
        return []
    start = int(np.searchsorted(series.dates, np.datetime64(day, "D") - np.timedelta64(days, "D"), side="right"))
    return series.facts[start : end + 1]


def week_of(date: str) -> tuple[int, int]:
    """The ISO (year, week) of a YYYY-MM-DD date."""
    iso = dt.date.fromisoformat(date).isocalendar()
    return iso[0], iso[1]


def thin_weekly(rows: list[dict], keep_daily_from: str, how: dict[str, str] | None = None) -> list[dict]:
    """Rows dated before ``keep_daily_from`` become one row per ISO week, dated the week's last
    row; each column is aggregated by ``how`` ("first", "last", "max", "min", "any", "sum";
    default "last"). Rows on or after ``keep_daily_from`` are kept as they are.

    ``rows`` are sorted by their "date" (YYYY-MM-DD)."""
    how = how or {}
    out: list[dict] = []
    week: list[dict] = []
    current: tuple[int, int] | None = None
    for row in rows:
        if row["date"] >= keep_daily_from:
            if week:
                out.append(_aggregate(week, how))
                week = []
            out.append(row)
            continue
        key = week_of(row["date"])
        if key != current and week:
            out.append(_aggregate(week, how))
            week = []
        current = key
        week.append(row)
    if week:
        out.append(_aggregate(week, how))
    return out


def _aggregate(week: list[dict], how: dict[str, str]) -> dict:
    row = {}
    for key in week[-1]:
        rule = how.get(key, "last")
        row[key] = AGGREGATES[rule]([r.get(key) for r in week])
    row["date"] = week[-1]["date"]
    return row


def daily_from(last_date: str, years: int = DAILY_YEARS) -> str:
    """The first date kept daily: ``years`` before the history's last date."""
    last = dt.date.fromisoformat(last_date)
    try:
        start = last.replace(year=last.year - years)
    except ValueError:  # Feb. 29
        start = last.replace(year=last.year - years, day=28)
    return start.isoformat()


def thin_history(rows: list[dict], how: dict[str, str] | None = None, years: int = DAILY_YEARS) -> list[dict]:
    """A whole history thinned to weekly rows before its last ``years`` years."""
    if not rows:
        return []
    return thin_weekly(rows, daily_from(rows[-1]["date"], years), how)
