"""The KRX trading calendar, applied to the content: missing days, holiday rows, stale series.

Editors import files from several publishers (KRX, KOFIA, a currency source); a day skipped in
an import, a row dated on a holiday, or a series that stopped updating is easy to miss and
silently changes what the report says. These checks compare every dated series with the
exchange's own calendar (``exchange_calendars``' XKRX, corrected by ``generator.krx_calendar``:
closures announced late, Saturday sessions before December 1998, the editor's
``content/calendar.csv``) and return warnings: data that follows another calendar still
builds, and ``check --strict`` turns them into errors.

Lags are counted in trading days: the XKRX sessions, together with the report's own days (the
headline index's dates), so data kept on another calendar is measured in its own days. The
same count marks a snapshot's series as ``stale`` when it lags more than usual on that day.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator import contract
from generator.dataset import Dataset
from generator.errors import Omitted, Problem
from generator.krx_calendar import Corrections, corrections, xkrx
from generator.load import LINE
from generator.snapshot_types import Snapshot, Stale, StaleSection

#: How many trading days each snapshot section usually trails the report day. Margin loans
#: are published by KOFIA two trading days later, stock lending one or two; the rest the same day.
USUAL_LAG: dict[StaleSection, int] = {"flows": 0, "margin_loans": 2, "stock_lending": 2, "stocks": 0, "fx": 0}

#: At most this many lines per file and kind of warning; the rest is summed up in one line.
MAX_PER_FILE = 20

_DATED_FILES = contract.SERIES_TABLES
#: Daily series checked for missing trading days: file, the column that splits it into series.
_DAILY_SERIES: tuple[tuple[str, str | None], ...] = (
    ("index_daily", "index"),
    ("investor_flows", "market"),
    ("stock_prices", "ticker"),
    ("fx", None),
)
#: Series checked for staleness: file, splitting column, usual lag in trading days.
_LAGGING_SERIES: tuple[tuple[str, str | None, int], ...] = (
    ("index_daily", "index", 0),
    ("investor_flows", "market", USUAL_LAG["flows"]),
    ("margin_loans", "market", USUAL_LAG["margin_loans"]),
    ("stock_prices", "ticker", USUAL_LAG["stocks"]),
    ("stock_lending", "ticker", USUAL_LAG["stock_lending"]),
    ("fx", None, USUAL_LAG["fx"]),
)


def _d64(day: dt.date | str | np.datetime64 | pd.Timestamp) -> np.datetime64:
    if isinstance(day, pd.Timestamp):
        day = day.date()
    if isinstance(day, np.datetime64):
        return day.astype("datetime64[D]")
    return np.datetime64(day, "D")


@dataclass
class TradingCalendar:
    """XKRX sessions over a span, plus the report's own days, for counting trading days."""

    #: XKRX sessions between ``first`` and ``last`` (datetime64[D], ascending).
    sessions: np.ndarray
    #: The span the exchange calendar covers here (None when the data lies outside its bounds).
    first: np.datetime64 | None
    last: np.datetime64 | None
    #: The whole years the exchange calendar was built for (to look up holiday names).
    years: tuple[int, int] | None
    #: Trading days for lags: the sessions and the report's days, sorted and unique.
    days: np.ndarray
    _positions: dict[str, int] = field(default_factory=dict, repr=False)
    #: The corrections applied to the library's sessions (closures, Saturdays, no-trade days).
    corrections: Corrections = field(default_factory=Corrections, repr=False)

    def closed_reason(self, day: np.datetime64) -> str:
        """Why the exchange was closed on ``day``, in words: "a Saturday", "Chuseok ..."."""
        named = self.corrections.closed_reason(day)
        if named:
            return named
        weekday = pd.Timestamp(day).day_name()
        if weekday in ("Saturday", "Sunday"):
            return f"a {weekday}"
        names = _holiday_names(*self.years) if self.years else {}
        return names.get(day, "an exchange holiday")

    def position(self, day: str | dt.date) -> int:
        """How many trading days fall on or before ``day`` (memoised: snapshots ask often)."""
        key = day if isinstance(day, str) else day.isoformat()
        pos = self._positions.get(key)
        if pos is None:
            pos = int(np.searchsorted(self.days, _d64(key), side="right"))
            self._positions[key] = pos
        return pos

    def lag(self, as_of: str | dt.date, day: str | dt.date) -> int:
        """Trading days after ``as_of`` up to and including ``day`` (0 when as of that day)."""
        return self.position(day) - self.position(as_of)


def dataset_calendar(data: Dataset, content: Path | None = None) -> TradingCalendar:
    """The calendar for every date in the dataset's series.

    ``content`` is where ``calendar.csv`` (the editor's corrections) lives; without it, the
    folder ``calendar_problems`` was last given for this dataset is used, so the snapshots of a
    build count lags on the same corrected calendar as its checks."""
    content = content if content is not None else data.__dict__.get("_calendar_content")
    fixes = corrections(content)
    dates = [getattr(data, name)["date"] for name in _DATED_FILES if not getattr(data, name).empty]
    report_days = np.array([_d64(d) for d in data.trading_days], dtype="datetime64[D]")
    no_sessions = TradingCalendar(np.array([], dtype="datetime64[D]"), None, None, None, report_days, corrections=fixes)
    if not dates:
        return no_sessions
    first = min(d.min() for d in dates).date()
    last = max(d.max() for d in dates).date()
    sessions, span = library_sessions(first.year, last.year)
    if span is None:
        return no_sessions
    lo, hi = max(span[0], _d64(first)), min(span[1], _d64(last))
    if lo > hi:
        return no_sessions
    sessions = sessions[(sessions >= lo) & (sessions <= hi)]
    saturdays = any(a <= hi and lo <= b for a, b in fixes.saturdays)
    holidays = _holidays(first.year, last.year) if saturdays else set()
    sessions = fixes.apply(sessions, lo, hi, holidays)
    years = (first.year, last.year)
    return TradingCalendar(sessions, lo, hi, years, np.union1d(sessions, report_days), corrections=fixes)


def sessions_between(sessions: np.ndarray, lo: np.datetime64, hi: np.datetime64) -> int:
    """How many of ``sessions`` lie strictly between ``lo`` and ``hi``."""
    return max(0, int(np.searchsorted(sessions, hi, side="left") - np.searchsorted(sessions, lo, side="right")))


def krx_sessions(first: dt.date, last: dt.date, content: Path | None = None) -> np.ndarray:
    """Corrected KRX sessions from ``first`` to ``last`` (for the importer's checks)."""
    sessions, span = library_sessions(first.year, last.year)
    if span is None:
        return np.array([], dtype="datetime64[D]")
    lo, hi = max(span[0], _d64(first)), min(span[1], _d64(last))
    if lo > hi:
        return np.array([], dtype="datetime64[D]")
    fixes = corrections(content)
    holidays = _holidays(first.year, last.year) if any(a <= hi and lo <= b for a, b in fixes.saturdays) else set()
    return fixes.apply(sessions[(sessions >= lo) & (sessions <= hi)], lo, hi, holidays)


@functools.lru_cache(maxsize=4)
def _holidays(first_year: int, last_year: int) -> set[np.datetime64]:
    """Every holiday the library knows (regular and one-off), weekends included: a holiday on
    a Saturday before December 1998 was no Saturday session. Only built for such years."""
    cal = _exchange_calendar(first_year, _calendar_end(last_year))
    if cal is None:
        return set()
    regular = cal.regular_holidays.holidays(cal.first_session, cal.last_session)
    days = {_d64(d) for d in regular} | {_d64(d) for d in cal.adhoc_holidays}
    return days


@functools.lru_cache(maxsize=4)
def library_sessions(first_year: int, last_year: int) -> tuple[np.ndarray, tuple[np.datetime64, np.datetime64] | None]:
    """The exchange calendar library's XKRX sessions, uncorrected, from ``first_year`` on (at
    least to the end of ``last_year`` where the calendar goes that far), and the span it covers
    (None where it knows no session).

    Building the exchange calendar takes one to three seconds, on every build, for an answer
    that only a new release of ``exchange_calendars`` changes; so the sessions are kept on
    disk beside the chart images, keyed by the years and that release (an unreadable or
    missing file only costs the time)."""
    # Built a few years ahead, so that a new year's first day finds the sessions on disk.
    end = _calendar_end(last_year)
    cached = _calendar_file(first_year, end)
    if cached is not None:
        try:
            with np.load(cached) as saved:
                sessions = saved["sessions"].astype("datetime64[D]")
                span = saved["span"].astype("datetime64[D]")
            return sessions, ((span[0], span[1]) if len(span) == 2 else None)
        except (OSError, ValueError, KeyError):
            pass
    cal = _exchange_calendar(first_year, end)
    if cal is None:
        sessions, span = np.array([], dtype="datetime64[D]"), None
    else:
        sessions = cal.sessions.to_numpy().astype("datetime64[D]")
        span = (_d64(cal.first_session), _d64(cal.last_session))
    if cached is not None:
        _save_calendar(cached, sessions, span)
    return sessions, span


def _calendar_end(last_year: int) -> int:
    """The last year to build the calendar to: the end of ``last_year``'s half-decade
    (2025 -> 2029), so that the years of new data find it on disk (the exchange calendar
    itself stops where it knows no more)."""
    return (last_year // 5 + 1) * 5 - 1


def _calendar_file(first_year: int, last_year: int) -> Path | None:
    from importlib.metadata import PackageNotFoundError, version

    from generator.cache import default_cache_dir

    folder = default_cache_dir()
    if folder is None:
        return None
    try:
        release = version("exchange-calendars")
    except PackageNotFoundError:  # pragma: no cover
        return None
    return folder / "calendar" / f"xkrx-{release}-{first_year}-{last_year}.npz"


def _save_calendar(path: Path, sessions: np.ndarray, span: tuple[np.datetime64, np.datetime64] | None) -> None:
    import io

    from generator.cache import write_cache_file

    buffer = io.BytesIO()
    np.savez(buffer, sessions=sessions.astype("datetime64[D]"), span=np.array(span or [], dtype="datetime64[D]"))
    write_cache_file(path, buffer.getvalue())


@functools.lru_cache(maxsize=4)
def _exchange_calendar(first_year: int, last_year: int):
    from exchange_calendars.exchange_calendar_xkrx import XKRXExchangeCalendar

    lo = max(pd.Timestamp(first_year, 1, 1), XKRXExchangeCalendar.bound_min())
    hi = min(pd.Timestamp(last_year, 12, 31), XKRXExchangeCalendar.bound_max())
    return xkrx(lo, hi) if lo <= hi else None


@functools.lru_cache(maxsize=4)
def _holiday_names(first_year: int, last_year: int) -> dict[np.datetime64, str]:
    """Names of the regular exchange holidays (only needed to explain a holiday row)."""
    cal = _exchange_calendar(first_year, last_year)
    if cal is None:
        return {}
    named = cal.regular_holidays.holidays(cal.first_session, cal.last_session, return_name=True)
    return {_d64(when): str(name) for when, name in named.items()}


# --- snapshots ---------------------------------------------------------------------------


def section_as_of(snap: Mapping[str, Any], section: str) -> str | None:
    """The latest ``as_of`` among a snapshot section's entries (None when the section is empty)."""
    value = snap.get(section)
    if not value:
        return None
    if "as_of" in value:  # fx: a single entry
        return value["as_of"]
    dates = []
    for entry in value.values():
        if "as_of" in entry:
            dates.append(entry["as_of"])
        else:  # flows: market -> investor -> figures
            dates.extend(v["as_of"] for v in entry.values() if isinstance(v, dict) and "as_of" in v)
    return max(dates) if dates else None


def stale_sections(snap: Snapshot, calendar: TradingCalendar) -> Stale:
    """The sections of a snapshot whose latest figures trail its day by more than usual.

    A section is stale when even its freshest entry is older than its usual lag, i.e. the
    publisher has not yet released later figures; the page says so beside the section.
    """
    day = snap["date"]
    out: Stale = {}
    for section, usual in USUAL_LAG.items():
        as_of = section_as_of(snap, section)
        if as_of is not None and calendar.lag(as_of, day) > usual:
            out[section] = True
    return out


# --- check -------------------------------------------------------------------------------


def calendar_problems(data: Dataset, content: Path) -> list[Problem]:
    """Every calendar warning for a validated dataset, in file and line order.

    ``content`` is the content folder as given on the command line, so that paths read like
    the validator's (``content/data/fx.csv``).
    """
    data.__dict__["_calendar_content"] = content
    calendar = dataset_calendar(data, content)
    problems: list[Problem] = []
    problems += missing_days(data, content, calendar)
    problems += closed_day_rows(data, content, calendar)
    problems += stale_series(data, content, calendar)
    return sorted(problems, key=lambda p: (p.path, p.line if p.line is not None else 1 << 30, p.message))


def _path(content: Path, name: str) -> str:
    return str(content / "data" / f"{name}.csv")


def _series(frame: pd.DataFrame, by: str | None):
    """(label, rows) for each series in a file; rows sorted by date."""
    if by is None:
        yield "", frame.sort_values("date", kind="stable")
        return
    for label, rows in frame.groupby(by, sort=True):
        yield str(label), rows.sort_values("date", kind="stable")


def _first_lines(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct date of ``rows`` (ascending) and the first line on which it appears."""
    firsts = rows.groupby("date", sort=True)[LINE].min()
    return firsts.index.to_numpy().astype("datetime64[D]"), firsts.to_numpy()


def _runs(positions: np.ndarray) -> list[tuple[int, int]]:
    """Split ascending integer positions into runs of consecutive values: [(start, end), ...]."""
    if not len(positions):
        return []
    breaks = np.flatnonzero(np.diff(positions) != 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(positions) - 1]))
    return [(int(positions[s]), int(positions[e])) for s, e in zip(starts, ends, strict=True)]


def _labels(labels: list[str], limit: int = 6) -> str:
    shown = ", ".join(labels[:limit])
    return shown + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def _capped(problems: list[Problem], path: str, what: str) -> list[Problem]:
    if len(problems) <= MAX_PER_FILE:
        return problems
    rest = len(problems) - MAX_PER_FILE
    more = Omitted(path, None, "date", f"warning for {rest} more {what} not shown", "warning", count=rest)
    return problems[:MAX_PER_FILE] + [more]


def session_gaps(sessions: np.ndarray, dates: np.ndarray) -> list[tuple[int, int]]:
    """Runs of sessions missing from ``dates`` between its first and last date, as
    (first, last) positions in ``sessions``. Both arrays ascending datetime64[D]."""
    if not len(dates) or not len(sessions):
        return []
    lo, hi = np.searchsorted(sessions, dates[0]), np.searchsorted(sessions, dates[-1], side="right")
    span = np.arange(lo, hi)
    return _runs(span[~np.isin(sessions[span], dates)])


def _saturday_sessions(calendar: TradingCalendar) -> np.ndarray:
    """The Saturday sessions among the calendar's (before December 1998 only)."""
    s = calendar.sessions
    if not len(s) or not calendar.corrections.saturdays:
        return s[:0]
    return s[((s.astype(np.int64) + 3) % 7) == 5]


def _present(dates: np.ndarray, label: str, calendar: TradingCalendar, saturday: np.ndarray) -> np.ndarray:
    """The days a series accounts for: its rows, the days it had no trades (content/calendar.csv,
    where the importer records the suspension days it skipped) and, for a series that never
    has a Saturday row, the Saturday half-day sessions -- many sources (Yahoo's among them)
    left those out, and a gap every week says nothing an editor can act on."""
    extra = [np.array(sorted(calendar.corrections.no_trades.get(label, ())), dtype="datetime64[D]")]
    if len(saturday) and not np.isin(dates, saturday).any():
        extra.append(saturday)
    extra = [e[(e >= dates[0]) & (e <= dates[-1])] for e in extra if len(e) and len(dates)]
    extra = [e for e in extra if len(e)]
    return np.union1d(dates, np.concatenate(extra)) if extra else dates


def missing_days(data: Dataset, content: Path, calendar: TradingCalendar) -> list[Problem]:
    """A KRX trading day with no row, within each daily series' own first-to-last range.

    A run of missing days is one warning, placed on the row after the gap; series of one
    file with the same gap (every stock skipped on one day) share that warning. Days the
    series is known not to have traded (``no_trades`` in content/calendar.csv) are no gap.
    """
    out: list[Problem] = []
    sessions = calendar.sessions
    for name, by in _DAILY_SERIES:
        frame = getattr(data, name)
        if frame.empty or not len(sessions):
            continue
        gaps: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
        saturday = _saturday_sessions(calendar)
        for label, rows in _series(frame, by):
            dates, lines = _first_lines(rows)
            present = _present(dates, label, calendar, saturday)
            for start, end in session_gaps(sessions, present):
                after = int(np.searchsorted(dates, sessions[end], side="right"))
                gaps[(start, end)].append((label, int(lines[after])))
        path = _path(content, name)
        found = []
        for (start, end), where in sorted(gaps.items(), key=lambda kv: min(line for _, line in kv[1])):
            n = end - start + 1
            days = str(sessions[start]) if n == 1 else f"{sessions[start]} to {sessions[end]}"
            noun = "trading day" if n == 1 else "trading days"
            labels = [label for label, _ in where if label]
            whose = f" for {_labels(labels)}" if labels else ""
            line = min(line for _, line in where)
            found.append(Problem(path, line, "date", f"{n} KRX {noun} missing before this row{whose}: {days}", "warning"))
        out += _capped(found, path, "gaps")
    return out


def closed_day_rows(data: Dataset, content: Path, calendar: TradingCalendar) -> list[Problem]:
    """Rows dated on a weekend or an exchange holiday: one warning per date, on its first row."""
    out: list[Problem] = []
    for name in _DATED_FILES:
        frame = getattr(data, name)
        if frame.empty or calendar.first is None:
            continue
        dates, lines = _first_lines(frame)
        counts = frame.groupby("date", sort=True).size().to_numpy()
        covered = (dates >= calendar.first) & (dates <= calendar.last)
        closed = covered & ~np.isin(dates, calendar.sessions)
        path = _path(content, name)
        found = []
        for i in np.flatnonzero(closed):
            rows = f"{counts[i]} rows are" if counts[i] > 1 else "this row is"
            reason = calendar.closed_reason(dates[i])
            found.append(
                Problem(
                    path,
                    int(lines[i]),
                    "date",
                    f"{dates[i]} is not a KRX trading day ({reason}); {rows} dated that day",
                    "warning",
                )
            )
        out += _capped(found, path, "dates")
    return out


def stale_series(data: Dataset, content: Path, calendar: TradingCalendar) -> list[Problem]:
    """Series whose latest row trails the latest report day by more than their usual lag."""
    if not data.trading_days:
        return []
    latest = data.trading_days[-1]
    out: list[Problem] = []
    headline = data.config.headline_index
    for name, by, usual in _LAGGING_SERIES:
        frame = getattr(data, name)
        if frame.empty:
            continue
        behind: dict[tuple[np.datetime64, int], list[tuple[str, int]]] = defaultdict(list)
        for label, rows in _series(frame, by):
            if name == "index_daily" and label == headline:
                continue
            dates, lines = _first_lines(rows)
            i = int(np.searchsorted(dates, _d64(latest), side="right")) - 1
            if i < 0:
                continue
            as_of = dates[i]
            lag = calendar.lag(str(as_of), latest)
            if lag > usual:
                behind[(as_of, lag)].append((label, int(lines[i])))
        path = _path(content, name)
        found = []
        for (as_of, lag), where in sorted(behind.items()):
            labels = [label for label, _ in where if label]
            whose = f" for {_labels(labels)}" if labels else ""
            usually = "the same day" if usual == 0 else f"at most {usual} trading day{'s' if usual > 1 else ''} behind"
            found.append(
                Problem(
                    path,
                    min(line for _, line in where),
                    "date",
                    f"latest row{whose} is {as_of}, {lag} trading day{'s' if lag > 1 else ''} before the latest "
                    f"report day {latest} (usually {usually})",
                    "warning",
                )
            )
        out += _capped(found, path, "series")
    return out
