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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast, overload

import numpy as np
import pandas as pd

from generator.analysis.milestones import milestones
from generator.analysis.records import records
from generator.analysis.streaks import streaks
from generator.snapshot_types import Balance, IndexFacts, PreviousRecord, PriceFacts

#: The figures of one row: a snapshot's entry for the series (``PriceFacts``, ``Balance`` ...).
Row = TypeVar("Row")


@dataclass
class Series(Generic[Row]):
    """One series' rows in date order and their report figures (``facts[i]`` for row i)."""

    dates: np.ndarray  # datetime64[D], ascending, unique
    facts: list[Row]

    def at(self, days: np.ndarray) -> np.ndarray:
        """Row position of the latest row on or before each day (-1 where there is none).

        Lagging series (margin loans, lending) are published a day or two late, so a day's
        report uses the newest row dated on or before it, never a row from its future.
        """
        return np.searchsorted(self.dates, np.asarray(days, dtype="datetime64[D]"), side="right") - 1

    def latest(self, day: dt.date | np.datetime64) -> Row | None:
        """The facts of the latest row on or before ``day``, or None before the series starts."""
        i = int(self.at(np.asarray([day], dtype="datetime64[D]"))[0])
        return self.facts[i] if i >= 0 else None


def iso(value: dt.date | np.datetime64 | str) -> str:
    """A datetime64/date as YYYY-MM-DD."""
    return str(np.asarray(value, dtype="datetime64[D]"))


def number(value: float | None, digits: int = 2) -> float | int | None:
    """A JSON-friendly number: whole numbers as int, others rounded to ``digits``; None for missing/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    if math.isnan(value):
        return None
    rounded = round(value, digits)
    return int(rounded) if rounded.is_integer() else rounded


def figure(value: float, digits: int = 2) -> float:
    """``number`` of a figure that cannot be missing (computed from validated rows): never None."""
    rounded = number(value, digits)
    if rounded is None:
        raise ValueError(f"a figure of validated data is missing: {value!r}")
    return rounded


def whole(value: float | None) -> int | None:
    """A figure in whole units (won, dollars): ``number(value, 0)``, an int; None for missing/NaN."""
    rounded = number(value, 0)
    return None if rounded is None else int(rounded)


def _iso_all(dates: np.ndarray) -> list[str]:
    """Every date as YYYY-MM-DD, converted at once (a per-row conversion dominates long builds)."""
    return np.datetime_as_string(dates.astype("datetime64[D]"), unit="D").tolist()


def _previous_records(prev_value: list[float], days: list[str], prev_index: list[int], digits: int) -> list[PreviousRecord | None]:
    """Each row's previous record, one dict per record (not per row): a record stands for many
    rows, and a 950-stock history would otherwise hold millions of identical small dicts. The
    previous value is the value at ``prev_index`` (generator/analysis/records.py), so the index
    alone names the record."""
    made: dict[int, PreviousRecord] = {}
    out: list[PreviousRecord | None] = []
    for j, value in zip(prev_index, prev_value, strict=True):
        if j < 0:
            out.append(None)
            continue
        if j not in made:
            made[j] = cast(PreviousRecord, {"value": number(value, digits), "date": days[j]})
        out.append(made[j])
    return out


@overload
def price_series(
    frame: pd.DataFrame, *, digits: int, milestone_step: None, head: Mapping[str, Any] | None = None
) -> Series[PriceFacts]: ...
@overload
def price_series(
    frame: pd.DataFrame, *, digits: int, milestone_step: float, head: Mapping[str, Any] | None = None
) -> Series[IndexFacts]: ...
def price_series(
    frame: pd.DataFrame, *, digits: int, milestone_step: float | None, head: Mapping[str, Any] | None = None
) -> Series[PriceFacts] | Series[IndexFacts]:
    """Facts for an OHLC series (an index or a stock), one frame of rows in date order.

    Indices have a ``milestone_step`` and their rows milestones; stocks have neither. The rows
    are cast to their snapshot types: ``number`` returns None only for a missing value, and
    validated prices have none (tests/test_snapshot_types.py checks built snapshots). ``head``
    (a stock's names and sector) leads every row, so that the row is the snapshot's entry for
    the stock as it is, not a copy per day (generator/snapshot.py).
    """
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    days = _iso_all(dates)
    arrays = [np.round(frame[k].to_numpy(dtype=float), digits) for k in ("open", "high", "low", "close")]
    rc, rh = records(arrays[3]), records(arrays[1])
    st = streaks(arrays[3]).tolist()
    mh = milestones(arrays[1], milestone_step) if milestone_step else None
    mc = milestones(arrays[3], milestone_step) if milestone_step else None
    # Python floats from here on: rounding numpy scalars one by one is several times slower.
    o, h, lo, c = (a.tolist() for a in arrays)
    rc_rec, rc_val, rc_idx = rc.record.tolist(), rc.previous_value.tolist(), rc.previous_index.tolist()
    rh_rec, rh_val, rh_idx = rh.record.tolist(), rh.previous_value.tolist(), rh.previous_index.tolist()
    previous_close = _previous_records(rc_val, days, rc_idx, digits)
    previous_high = _previous_records(rh_val, days, rh_idx, digits)
    lead = dict(head or {})
    facts: list[dict[str, Any]] = []
    for i in range(len(days)):
        prev_close = c[i - 1] if i else math.nan
        change = c[i] - prev_close
        fact = {
            **lead,
            "as_of": days[i],
            "open": number(o[i], digits),
            "high": number(h[i], digits),
            "low": number(lo[i], digits),
            "close": number(c[i], digits),
            "prev_close": number(prev_close, digits),
            "change": number(change, digits),
            "change_pct": number(change / prev_close * 100, 2) if i else None,
            "record_close": rc_rec[i],
            "previous_record_close": previous_close[i],
            "record_high": rh_rec[i],
            "previous_record_high": previous_high[i],
            "streak": st[i],
        }
        if mh is not None and mc is not None:
            fact["milestones_high"] = mh[i]
            fact["milestones_close"] = mc[i]
        facts.append(fact)
    if milestone_step is None:
        return Series(dates, cast(list[PriceFacts], facts))
    return Series(dates, cast(list[IndexFacts], facts))


def balance_series(frame: pd.DataFrame) -> Series[Balance]:
    """Facts for a balance series (margin loans of a market, lending of a stock), in whole won."""
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    days = _iso_all(dates)
    rounded = np.round(frame["balance"].to_numpy(dtype=float), 0)
    rec = records(rounded)
    b = rounded.tolist()
    is_record, prev_val, prev_idx = rec.record.tolist(), rec.previous_value.tolist(), rec.previous_index.tolist()
    previous = _previous_records(prev_val, days, prev_idx, 0)
    facts: list[dict[str, Any]] = []
    for i in range(len(days)):
        facts.append(
            {
                "balance": number(b[i], 0),
                "as_of": days[i],
                "change": number(b[i] - b[i - 1], 0) if i else None,
                "record": is_record[i],
                "previous_record": previous[i],
            }
        )
    # number(..., 0) is a whole number (an int) for every balance validation lets through.
    return Series(dates, cast(list[Balance], facts))


def value_series(frame: pd.DataFrame, column: str, digits: int = 2) -> Series[dict[str, Any]]:
    """A plain dated value (USD/KRW)."""
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    values = frame[column].to_numpy(dtype=float).tolist()
    return Series(dates, [{column: number(v, digits), "as_of": d} for d, v in zip(_iso_all(dates), values, strict=True)])


def flow_series(frame: pd.DataFrame) -> Series[dict[str, Any]]:
    """Net buying by investor type for one market: one row per date with each investor's won."""
    wide = frame.pivot_table(index="date", columns="investor", values="net_buy", aggfunc="sum").sort_index()
    dates = wide.index.to_numpy().astype("datetime64[D]")
    columns = [str(c) for c in wide.columns]
    facts = []
    for day, row in zip(_iso_all(dates), wide.to_numpy(dtype=float).tolist(), strict=True):
        facts.append({"as_of": day, **{inv: number(v, 0) for inv, v in zip(columns, row, strict=True) if not math.isnan(v)}})
    return Series(dates, facts)
