"""Fetch every source since the last stored day, and merge only when all of them answered.

The order is the one a scheduled run needs: work out each source's window from the files it
fills (the day after its last stored day, and again any day still provisional), ask the
exchange calendar which of those days are trading days (a holiday is not an outage: nothing
is asked for and nothing is wrong), fetch, refuse an empty answer for days that should have
figures, and only then merge everything, so a failure of the third source leaves the files
exactly as they were.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.contract import BY_NAME, INDEX_DAILY
from generator.errors import UsageError
from generator.importing import ImportReport, import_records
from generator.importing.merge import Converted, FileReport, read_canonical, tracked_tickers
from generator.sources import provisional
from generator.sources.base import CLOSE, SEOUL, EmptyAnswer, Source, Window

OPEN = dt.time(9, 0)


@dataclass
class SourceRun:
    """What one source was asked for and gave."""

    name: str
    first: dt.date | None = None
    last: dt.date | None = None
    sessions: int = 0
    rows: int = 0
    note: str = ""


@dataclass
class FetchResult:
    report: ImportReport
    runs: list[SourceRun] = field(default_factory=list)
    provisional: set[tuple[str, str]] = field(default_factory=set)  # marked by this fetch
    confirmed: set[tuple[str, str]] = field(default_factory=set)  # provisional before, final now

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.runs)


def trading_sessions(first: dt.date, last: dt.date) -> list[dt.date]:
    """XKRX sessions from ``first`` to ``last``; weekdays past the end of the calendar."""
    from generator.calendar_checks import library_sessions

    if first > last:
        return []
    sessions, span = library_sessions(first.year, last.year)
    days = [d.astype(object) for d in sessions if first <= d.astype(object) <= last]
    end = span[1].astype(object) if span else first - dt.timedelta(days=1)
    day = max(first, end + dt.timedelta(days=1))
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return sorted(set(days))


def last_day(data_dir: Path, files: tuple[str, ...]) -> dt.date | None:
    """The earliest of the files' last dates: the day after it is where every file of the
    source still needs figures. None when none of the files has a row."""
    lasts = []
    for name in files:
        rows = read_canonical(data_dir, BY_NAME[name]).rows
        if rows:
            lasts.append(max(key[0] for key in rows))
    return dt.date.fromisoformat(min(lasts)) if lasts else None


def due(sessions: list[dt.date], now: dt.datetime, lag: int) -> list[dt.date]:
    """The sessions whose figures the source must have by ``now``: those closed at least
    ``lag`` trading days ago (today counts once the market has closed)."""
    local = now.astimezone(SEOUL)
    closed = [s for s in sessions if s < local.date() or (s == local.date() and local.time() >= CLOSE)]
    if lag and closed:
        later = trading_sessions(closed[-1] + dt.timedelta(days=1), local.date())
        later = [s for s in later if s < local.date() or local.time() >= OPEN]
        behind = max(0, lag - len(later))
        closed = closed[: len(closed) - behind] if behind else closed
    return closed


def fetch_all(
    sources: list[Source],
    data_dir: Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    now: dt.datetime | None = None,
    tickers: tuple[str, ...] | None = None,
    revise: bool = False,
    dry_run: bool = False,
) -> FetchResult:
    """Fetch ``sources`` and merge their rows into ``data_dir``.

    Raises a SourceError (nothing written) when a source fails or answers nothing for days it
    should have, UsageError when there is no stored day to start from and no ``since``,
    ContentError when an answer has figures that cannot be right.
    """
    now = now or dt.datetime.now(SEOUL)
    today = now.astimezone(SEOUL).date()
    until = min(until or today, today)
    tickers = tuple(tickers) if tickers is not None else tuple(tracked_tickers(data_dir))
    marks = provisional.read(data_dir)
    runs: list[SourceRun] = []
    fetched: list[Converted] = []
    for source in sources:
        run = SourceRun(source.name)
        runs.append(run)
        start = since or _next_day(data_dir, source.files)
        pending = [dt.date.fromisoformat(d) for f, d in marks if f in source.files]
        if pending and since is None:
            start = min([start, *pending])
        if start > until:
            run.note = "up to date"
            continue
        sessions = trading_sessions(start, until)
        if not sessions:
            run.note = f"no trading day from {start} to {until}"
            continue
        run.first, run.last, run.sessions = sessions[0], sessions[-1], len(sessions)
        window = Window(start, until, sessions, now, tickers)
        converted = source.fetch(window)
        run.rows = sum(len(c.records) for c in converted)
        answered = run.rows + sum(sum(c.skipped.values()) for c in converted)
        owed = due(sessions, now, source.lag)
        if not answered and owed:
            raise EmptyAnswer(source.name, f"answered no rows for {owed[0]} to {owed[-1]}, which has {len(owed)} trading day(s)")
        if not answered:
            run.note = "no figures published yet"
        fetched += converted
    after_close = now.astimezone(SEOUL).time() >= CLOSE
    new_marks = {(r.file.name, r.values["date"]) for c in fetched for r in c.records if r.values["date"] == today.isoformat() and not after_close}
    seen = {(r.file.name, r.values["date"]) for c in fetched for r in c.records}
    replace = [c for c in (_subset(c, lambda r: (r.file.name, r.values["date"]) in marks) for c in fetched) if c.records]
    keep = [_subset(c, lambda r: (r.file.name, r.values["date"]) not in marks, skipped=True) for c in fetched]
    report = import_records(keep, data_dir, revise=revise, dry_run=dry_run)
    if replace:
        _combine(report, import_records(replace, data_dir, revise=True, dry_run=dry_run))
    confirmed = {m for m in marks if m in seen and m not in new_marks}
    if not dry_run:
        provisional.write(data_dir, (marks - confirmed) | new_marks)
    return FetchResult(report, runs, new_marks, confirmed)


def _next_day(data_dir: Path, files: tuple[str, ...]) -> dt.date:
    last = last_day(data_dir, files) or last_day(data_dir, (INDEX_DAILY.name,))
    if last is None:
        raise UsageError(f"{data_dir} has no figures yet to continue from: pass --since YYYY-MM-DD for the first fetch")
    return last + dt.timedelta(days=1)


def _subset(c: Converted, keep, skipped: bool = False) -> Converted:
    return dataclasses.replace(c, records=[r for r in c.records if keep(r)], skipped=c.skipped.copy() if skipped else type(c.skipped)(), problems=[])


def _combine(into: ImportReport, other: ImportReport) -> None:
    for name, part in other.files.items():
        mine = into.files.setdefault(name, FileReport(name))
        mine.added += part.added
        mine.unchanged += part.unchanged
        mine.filled += part.filled
        mine.conflicts += part.conflicts
        mine.revised += part.revised
        mine.skipped.update(part.skipped)
        mine.written |= part.written
