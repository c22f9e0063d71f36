"""Per-series facts, computed once over each whole history.

Every row of every series becomes one small dict of report figures (its change, whether it
is a record, the previous record ...). A day's snapshot then only picks, for each series, the
latest row on or before that day, so building 10,000 snapshots costs a lookup each.

Values are rounded to the precision the report publishes (index levels and prices to 2
decimals, balances to whole won) *before* records, milestones and streaks are computed, so
that the page never calls 4,551.06 a record above an earlier 4,551.06, nor a close that
reads "unchanged" part of a streak.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.analysis.milestones import milestones
from generator.analysis.records import records
from generator.analysis.streaks import streaks


@dataclass
class Series:
    """One series' rows in date order and their report figures (``facts[i]`` for row i)."""

    dates: np.ndarray  # datetime64[D], ascending, unique
    facts: list[dict]

    def at(self, days: np.ndarray) -> np.ndarray:
        """Row position of the latest row on or before each day (-1 where there is none).

        Lagging series (margin loans, lending) are published a day or two late, so a day's
        report uses the newest row dated on or before it, never a row from its future.
        """
        return np.searchsorted(self.dates, np.asarray(days, dtype="datetime64[D]"), side="right") - 1

    def latest(self, day: dt.date | np.datetime64) -> dict | None:
        """The facts of the latest row on or before ``day``, or None before the series starts."""
        i = int(self.at(np.array([np.datetime64(day, "D")]))[0])
        return self.facts[i] if i >= 0 else None


def iso(value) -> str:
    """A datetime64/date as YYYY-MM-DD."""
    return str(np.datetime64(value, "D"))


def number(value: float | None, digits: int = 2) -> float | int | None:
    """A JSON-friendly number: whole numbers as int, others rounded to ``digits``; None for missing/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    if math.isnan(value):
        return None
    rounded = round(value, digits)
    return int(rounded) if rounded.is_integer() else rounded


def _previous(prev_value: np.ndarray, dates: np.ndarray, prev_index: np.ndarray, i: int, digits: int) -> dict | None:
    if prev_index[i] < 0:
        return None
    return {"value": number(prev_value[i], digits), "date": iso(dates[prev_index[i]])}


def price_series(frame: pd.DataFrame, *, digits: int, milestone_step: float | None) -> Series:
    """Facts for an OHLC series (an index or a stock), one frame of rows in date order."""
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    o, h, lo, c = (np.round(frame[k].to_numpy(dtype=float), digits) for k in ("open", "high", "low", "close"))
    rc, rh = records(c), records(h)
    st = streaks(c)
    mh = milestones(h, milestone_step) if milestone_step else None
    mc = milestones(c, milestone_step) if milestone_step else None
    facts = []
    for i in range(len(dates)):
        prev_close = c[i - 1] if i else math.nan
        change = c[i] - prev_close
        fact = {
            "as_of": iso(dates[i]),
            "open": number(o[i], digits),
            "high": number(h[i], digits),
            "low": number(lo[i], digits),
            "close": number(c[i], digits),
            "prev_close": number(prev_close, digits),
            "change": number(change, digits),
            "change_pct": number(change / prev_close * 100, 2) if i else None,
            "record_close": bool(rc.record[i]),
            "previous_record_close": _previous(rc.previous_value, dates, rc.previous_index, i, digits),
            "record_high": bool(rh.record[i]),
            "previous_record_high": _previous(rh.previous_value, dates, rh.previous_index, i, digits),
            "streak": int(st[i]),
        }
        if mh is not None and mc is not None:
            fact["milestones_high"] = mh[i]
            fact["milestones_close"] = mc[i]
        facts.append(fact)
    return Series(dates, facts)


def balance_series(frame: pd.DataFrame) -> Series:
    """Facts for a balance series (margin loans of a market, lending of a stock), in whole won."""
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    b = np.round(frame["balance"].to_numpy(dtype=float), 0)
    rec = records(b)
    facts = []
    for i in range(len(dates)):
        facts.append(
            {
                "balance": number(b[i], 0),
                "as_of": iso(dates[i]),
                "change": number(b[i] - b[i - 1], 0) if i else None,
                "record": bool(rec.record[i]),
                "previous_record": _previous(rec.previous_value, dates, rec.previous_index, i, 0),
            }
        )
    return Series(dates, facts)


def value_series(frame: pd.DataFrame, column: str, digits: int = 2) -> Series:
    """A plain dated value (USD/KRW)."""
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    values = frame[column].to_numpy(dtype=float)
    return Series(dates, [{column: number(v, digits), "as_of": iso(d)} for d, v in zip(dates, values, strict=True)])


def flow_series(frame: pd.DataFrame) -> Series:
    """Net buying by investor type for one market: one row per date with each investor's won."""
    wide = frame.pivot_table(index="date", columns="investor", values="net_buy", aggfunc="sum").sort_index()
    dates = wide.index.to_numpy().astype("datetime64[D]")
    facts = []
    for i, (_, row) in enumerate(wide.iterrows()):
        facts.append({"as_of": iso(dates[i]), **{str(inv): number(v, 0) for inv, v in row.items() if not pd.isna(v)}})
    return Series(dates, facts)
