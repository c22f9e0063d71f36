"""Corrections to the KRX calendar: closures announced late, Saturday sessions, days without trades.

The exchange calendar library (``exchange_calendars``' XKRX) is the starting point, but it is
a rule-based guess for years its maintainers have not revised: it lists the 3 June 2026 local
elections as a session, and it knows nothing of the Saturday morning sessions the exchange held
until 5 December 1998. A report that trusts it warns an editor about "missing" days the exchange
never opened, and editors learn to ignore warnings.

So two lists correct it, applied in this order:

* ``generator/data/krx_calendar.csv`` ships with the project: dated, each with its source
  (``date,end,status,name,source``; status ``closed``, ``open`` or ``saturday_sessions`` for
  the span ``date``..``end``). Entries the library already has are kept, so the calendar is
  right with older releases of it too.
* ``content/calendar.csv`` is the editor's (``date,status,series,note``): ``closed`` or
  ``open`` for the whole exchange, or ``no_trades`` for one series (a ticker or an index name)
  on a day it did not trade -- ``kospi-report import`` adds those for the suspension days it
  skips, so ``check`` does not warn about them again.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generator.errors import ContentError, Problem


#: The shipped corrections, inside the package so an installed wheel has them.
def xkrx(start, end):
    """The exchange calendar library's KRX calendar from ``start`` to ``end`` (pandas
    Timestamps), uncorrected: the one place it is built. Imported late, because building it
    takes a second or more; the library's own pandas deprecation warning is not ours to fix, so
    it is silenced here rather than shown to every caller. Raises ``ValueError`` for dates
    beyond what it knows."""
    import warnings

    from exchange_calendars.errors import CalendarError
    from exchange_calendars.exchange_calendar_xkrx import XKRXExchangeCalendar

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        try:
            return XKRXExchangeCalendar(start=start, end=end)
        except CalendarError as exc:
            raise ValueError(str(exc)) from None


SHIPPED = Path(__file__).resolve().parent / "data" / "krx_calendar.csv"
#: The editor's file, relative to the content folder.
OVERRIDES = "calendar.csv"
#: Columns of ``content/calendar.csv``, in the order the importer writes them.
OVERRIDE_COLUMNS = ("date", "status", "series", "note")
OVERRIDE_STATUSES = ("closed", "open", "no_trades")
#: The last Saturday session; from Monday 1998-12-07 the exchange closed on Saturdays.
LAST_SATURDAY_SESSION = dt.date(1998, 12, 5)


@dataclass
class Corrections:
    """What both lists say, by day (``datetime64[D]``)."""

    #: Days the exchange was closed, with the reason in words.
    closed: dict[np.datetime64, str] = field(default_factory=dict)
    #: Days the exchange was open although the library says otherwise.
    opened: dict[np.datetime64, str] = field(default_factory=dict)
    #: Spans (first, last) in which Saturdays that are no holiday were sessions.
    saturdays: list[tuple[np.datetime64, np.datetime64]] = field(default_factory=list)
    #: Days on which one series (ticker, index or market name) had no trades.
    no_trades: dict[str, set[np.datetime64]] = field(default_factory=lambda: defaultdict(set))

    def saturday_sessions(self, lo: np.datetime64, hi: np.datetime64, holidays: set[np.datetime64]) -> np.ndarray:
        """Saturdays between ``lo`` and ``hi`` inside a Saturday-session span, holidays and
        closures left out."""
        out: list[np.datetime64] = []
        for first, last in self.saturdays:
            start, end = max(first, lo), min(last, hi)
            if start > end:
                continue
            day = start + np.timedelta64((5 - _weekday(start)) % 7, "D")
            while day <= end:
                if day not in holidays and day not in self.closed:
                    out.append(day)
                day += np.timedelta64(7, "D")
        return np.array(sorted(out), dtype="datetime64[D]")

    def apply(self, sessions: np.ndarray, lo: np.datetime64, hi: np.datetime64, holidays: set[np.datetime64]) -> np.ndarray:
        """The library's ``sessions`` (within ``lo``..``hi``) corrected: closures removed,
        Saturday sessions and ``open`` days added."""
        extra = [d for d in self.opened if lo <= d <= hi]
        if self.saturdays:
            extra += list(self.saturday_sessions(lo, hi, holidays))
        out = np.union1d(sessions, np.array(extra, dtype="datetime64[D]"))
        if self.closed:
            out = out[~np.isin(out, np.array(list(self.closed), dtype="datetime64[D]"))]
        return out

    def closed_reason(self, day: np.datetime64) -> str | None:
        return self.closed.get(day)

    def is_saturday_session_span(self, day: np.datetime64) -> bool:
        return any(first <= day <= last for first, last in self.saturdays)


def _weekday(day: np.datetime64) -> int:
    """Monday 0 ... Sunday 6 (1970-01-01 was a Thursday)."""
    return int((day.astype("datetime64[D]").astype(np.int64) + 3) % 7)


def _d(text: str) -> np.datetime64:
    return np.datetime64(dt.date.fromisoformat(text), "D")


@functools.lru_cache(maxsize=1)
def shipped() -> Corrections:
    """The corrections shipped with the project (read once)."""
    out = Corrections()
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            day, status, name = _d(row["date"]), row["status"], row["name"]
            if status == "closed":
                out.closed[day] = name
            elif status == "open":
                out.opened[day] = name
            elif status == "saturday_sessions":
                out.saturdays.append((day, _d(row["end"])))
            else:  # pragma: no cover - the shipped file is checked by the tests
                raise ValueError(f"{SHIPPED}: unknown status {status!r}")
    return out


@dataclass(frozen=True)
class Override:
    """One row of ``content/calendar.csv``."""

    date: str
    status: str
    series: str = ""
    note: str = ""
    line: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.date, self.series, self.status)


def read_overrides(content: Path) -> list[Override]:
    """The rows of ``content/calendar.csv`` (none when the file does not exist).

    Raises ContentError naming the line and column of every malformed row: a wrong override
    would silently hide real missing days, so it is refused rather than skipped."""
    path = content / OVERRIDES
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError.single(path, None, None, f"not UTF-8 text (byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in ("date", "status") if c not in header]
    if missing:
        raise ContentError.single(path, 1, missing[0], f"no {missing[0]} column: expected {','.join(OVERRIDE_COLUMNS)}")
    problems, out = [], []
    try:
        for raw in reader:
            line = reader.line_num
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str) or v is None}
            if not any(row.values()):
                continue
            date, status, series = row.get("date", ""), row.get("status", ""), row.get("series", "")
            try:
                date = dt.date.fromisoformat(date).isoformat()
            except ValueError:
                problems.append(Problem(str(path), line, "date", f"{date!r} is not a date, expected YYYY-MM-DD"))
                continue
            if status not in OVERRIDE_STATUSES:
                problems.append(
                    Problem(str(path), line, "status", f"{status!r} is not a known value, expected one of {', '.join(OVERRIDE_STATUSES)}")
                )
                continue
            if status == "no_trades" and not series:
                problems.append(Problem(str(path), line, "series", "no_trades needs the series: a ticker or an index name"))
                continue
            if status != "no_trades" and series:
                problems.append(
                    Problem(str(path), line, "series", f"{status} is for the whole exchange: leave series empty (or use no_trades)")
                )
                continue
            out.append(Override(date, status, series, row.get("note", ""), line))
    except csv.Error as exc:
        problems.append(Problem(str(path), reader.line_num, None, f"not valid CSV: {exc}"))
    if problems:
        raise ContentError(problems)
    return out


def corrections(content: Path | None) -> Corrections:
    """The shipped corrections with the editor's applied on top (theirs win)."""
    base = shipped()
    out = Corrections(dict(base.closed), dict(base.opened), list(base.saturdays))
    for o in read_overrides(content) if content is not None else []:
        day = _d(o.date)
        if o.status == "closed":
            out.closed[day] = o.note or "closed (content/calendar.csv)"
            out.opened.pop(day, None)
        elif o.status == "open":
            out.opened[day] = o.note or "open (content/calendar.csv)"
            out.closed.pop(day, None)
        else:
            out.no_trades[o.series].add(day)
    return out


def overrides_text(content: Path, new: list[Override]) -> tuple[str, int] | None:
    """``content/calendar.csv`` with the ``new`` rows it does not hold yet, sorted by date and
    series, and how many were added; None when nothing is new. The editor's own rows, their
    order-insensitive content and any extra columns are kept."""
    existing = read_overrides(content)
    known = {o.key for o in existing}
    added = []
    for o in new:
        if o.key not in known:
            known.add(o.key)
            added.append(o)
    if not added:
        return None
    path = content / OVERRIDES
    rows: list[dict[str, str]] = []
    columns = list(OVERRIDE_COLUMNS)
    if path.is_file():
        reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))
        columns += [h for h in (reader.fieldnames or []) if h and h.strip() not in columns]
        rows = [{(k or "").strip(): (v or "") for k, v in r.items() if isinstance(v, str) or v is None} for r in reader]
        rows = [r for r in rows if any(v.strip() for v in r.values())]
    rows += [{"date": o.date, "status": o.status, "series": o.series, "note": o.note} for o in added]
    rows.sort(key=lambda r: (r.get("date", "").strip(), r.get("series", "").strip(), r.get("status", "").strip()))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return buffer.getvalue(), len(added)
