"""Each trading day's snapshot (with its ranked facts) and stories, kept between builds.

Building every day's snapshot, ranking its facts and wording its stories costs seconds for a
long history (about 4 s of CPU for 10 years, twice that for 20), and an editor rebuilds after
every trading day. A day's snapshot and facts come only from rows dated on or before it (the
same "as of" rule that lets report pages be carried over, generator/incremental.py), plus the
next trading day (which periods end on the day). So each day gets a key from

* what every day reads: the code fingerprint, the settings, the stock list, the tickers
  followed and the trading calendar's corrections;
* the ``DayDigests`` chain up to the day (every dated row on or before it, in every table) and
  the next trading day of the data;

and a day whose key is in the cache takes its snapshot from there instead of computing it. A
new day costs one day's work (and its neighbour's, whose next day changed); a revision of an
old day changes the chain from that day on, so every later day is recomputed, as it must be.

Stories are written in date order: whether a lede explains a term depends on the ledes of the
week before (``story.glossary.Explainer``). Each cached story therefore keeps the explainer's
state after its day, and the realiser resumes from the state before the first day it must
write. ``--force`` recomputes everything (and refreshes the cache), which is also how the
tests check that the cache changes nothing.

Entries live in the build cache (``days/<what every day reads>/<year>.pickle``), one file per
year so a new day rewrites one year; folders of older code or settings are pruned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.collector import cyclic_gc_paused
from generator.dataset import Dataset
from generator.files import write_atomic
from generator.incremental import DayDigests
from generator.load import LINE
from generator.snapshot_types import Snapshot

if TYPE_CHECKING:  # pragma: no cover
    from generator.story.english import English, Story

#: Bump when the entries' meaning changes, so old entries never match.
VERSION = "1"
#: Folders of entries kept (one per code and settings): a few, so switching branches or
#: content folders on one machine does not recompute everything, and the cache stays bounded.
KEEP_FOLDERS = 4


@dataclass
class Entry:
    """One day: its key, its snapshot, and per language its story and the explainer's state after it."""

    key: str
    snap: Snapshot
    stories: dict[str, tuple[Story, dict[str, dt.date]]] = field(default_factory=dict)


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _shared(code: str, data: Dataset) -> str:
    """What every day's snapshot reads beyond its own rows."""
    from generator.krx_calendar import corrections

    stocks = data.stocks.drop(columns=[c for c in (LINE,) if c in data.stocks.columns])
    fixes = corrections(data.__dict__.get("_calendar_content"))
    calendar = (sorted(map(str, fixes.closed.items())), sorted(map(str, fixes.opened.items())), [tuple(map(str, s)) for s in fixes.saturdays])
    return _digest(VERSION, code, data.config, stocks.to_csv(index=False), data.tracked_tickers, calendar)


class DayCache:
    """The cached days of this build's data; ``None`` folder keeps nothing (and finds nothing)."""

    def __init__(self, folder: Path | None, code: str, data: Dataset, *, force: bool = False):
        self.force = force
        shared = _shared(code, data)
        self.root = folder / "days" if folder is not None else None
        self.folder = self.root / shared if self.root is not None else None
        digests = DayDigests(data)
        days = data.trading_days
        self.keys: dict[dt.date, str] = {
            day: _digest(digests.upto(day), days[n + 1] if n + 1 < len(days) else None) for n, day in enumerate(days)
        }
        self._entries: dict[dt.date, Entry] = {}
        self._dirty: set[int] = set()
        if self.folder is not None and not force:
            # Millions of small objects: the cyclic garbage collector, run again and again as
            # they are created, would cost five times the loading itself (none of them is garbage).
            with cyclic_gc_paused():
                for year in sorted({d.year for d in days}):
                    self._load(year)

    def _load(self, year: int) -> None:
        if self.folder is None:
            return
        try:
            with (self.folder / f"{year}.pickle").open("rb") as handle:
                entries = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return  # no cache yet, or one written by other code: recompute
        if not isinstance(entries, dict):
            return
        for day, entry in entries.items():
            if isinstance(entry, Entry) and self.keys.get(day) == entry.key:
                self._entries[day] = entry

    # --- snapshots ---------------------------------------------------------------------

    def snapshot(self, day: dt.date) -> Snapshot | None:
        """The day's cached snapshot (facts included), or None when it must be computed."""
        entry = self._entries.get(day)
        return entry.snap if entry is not None else None

    def put_snapshot(self, day: dt.date, snap: Snapshot) -> None:
        """Keep a computed snapshot (its stories, computed from it, follow)."""
        self._entries[day] = Entry(self.keys[day], snap)
        self._dirty.add(day.year)

    # --- stories -----------------------------------------------------------------------

    def stories(self, snapshots: Mapping[dt.date, Snapshot], lang: str, realiser: Callable[[], English]) -> dict[dt.date, Story]:
        """Every day's story in ``lang``: cached ones up to the first day that is not, then
        written by ``realiser()`` (an ``English`` or a subclass) from the explainer's state there."""
        days = sorted(snapshots)
        out: dict[dt.date, Story] = {}
        state: dict[str, dt.date] = {}
        start = 0
        for day in days:
            entry = self._entries.get(day)
            hit = entry.stories.get(lang) if entry is not None and entry.snap is snapshots[day] else None
            if hit is None:
                break
            out[day], state = hit
            start += 1
        if start == len(days):
            return out
        writer = realiser()
        writer.explainer.last = dict(state)
        for day in days[start:]:
            story = writer.story(snapshots[day])
            out[day] = story
            entry = self._entries.get(day)
            if entry is None or entry.snap is not snapshots[day]:
                entry = self._entries[day] = Entry(self.keys[day], snapshots[day])
            entry.stories[lang] = (story, dict(writer.explainer.last))
            self._dirty.add(day.year)
        return out

    # --- keeping -----------------------------------------------------------------------

    def save(self) -> None:
        """Write the years that changed (atomically: a build may run beside another), and
        prune folders of other code or settings beyond the few most recent."""
        if self.folder is None or not self._dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for year in sorted(self._dirty):
                entries = {d: e for d, e in self._entries.items() if d.year == year and d in self.keys}
                write_atomic(self.folder / f"{year}.pickle", pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
            os.utime(self.folder)
            self._prune()
        except OSError:
            return  # a cache that cannot be written costs the next build time, not this one
        self._dirty.clear()

    def _prune(self) -> None:
        if self.root is None:
            return
        folders = sorted((p for p in self.root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP_FOLDERS:]:
            shutil.rmtree(old, ignore_errors=True)
