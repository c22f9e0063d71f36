"""A record book: every record a series set, and when a later value beat it.

The indicator and stock pages show this table. A record follows the analysis stage's rule
(generator/analysis/records.py): a value strictly above every earlier value; the first value of
a series has nothing to beat and is not a record. A record "falls" on the date of the next
record, which is by definition the first later value above it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from generator.analysis.records import records


@dataclass(frozen=True)
class Record:
    """One record: its value and date, the record it beat, and when it was beaten in turn."""

    day: dt.date
    value: float
    previous: float | None  # the record it beat (None only if the analysis gives none)
    fell_on: dt.date | None  # the date a later value beat it; None while it stands
    fell_to: float | None  # the value that beat it

    @property
    def stands(self) -> bool:
        return self.fell_on is None

    def stood_days(self, until: dt.date) -> int:
        """Calendar days the record stood: to the day it fell, or to ``until`` while it stands."""
        return ((self.fell_on or until) - self.day).days


def to_date(value) -> dt.date:
    """A numpy datetime64, a pandas Timestamp or an ISO string as a ``datetime.date``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return dt.date.fromisoformat(str(np.datetime64(value, "D")))


def record_book(dates: Sequence | np.ndarray, values: Sequence[float] | np.ndarray) -> list[Record]:
    """Every record of a series in date order, oldest first (from lists or a series' arrays)."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return []
    rec = records(v)
    positions = [int(i) for i in np.flatnonzero(rec.record)]
    out = []
    for k, i in enumerate(positions):
        nxt = positions[k + 1] if k + 1 < len(positions) else None
        prev = rec.previous_value[i]
        out.append(
            Record(
                day=to_date(dates[i]),
                value=float(v[i]),
                previous=None if np.isnan(prev) else float(prev),
                fell_on=to_date(dates[nxt]) if nxt is not None else None,
                fell_to=float(v[nxt]) if nxt is not None else None,
            )
        )
    return out


def report_on_or_after(report_days: Sequence[dt.date], day: dt.date) -> dt.date | None:
    """The first report that can show a figure dated ``day``: the report of that day, or of the
    next trading day when the figure is dated a day without a report. None after the last report.

    A snapshot shows each series' latest row on or before its day, so this is the first
    report that carried the figure.
    """
    i = bisect.bisect_left(report_days, day)
    return report_days[i] if i < len(report_days) else None
