"""Incremental builds: render only the pages whose inputs changed.

Two levels, both recorded in the published site's ``.build-state.json``:

* the **fingerprint** of everything a build reads (content files, templates, the generator's
  own code and version). When it matches, the published site is already what this build would
  produce, and the build stops at once: nothing is re-rendered or rewritten.
* a **key** per page (a hash of the page's inputs). A page whose key matches is carried over
  from the published site by hard link (``Staging.keep``), together with the files recorded
  with it (its CSVs, card, snapshot), instead of being rendered again, so a new trading day
  renders its own page and its neighbours, and the site-wide pages (home, archive, indicators,
  feed, sitemap), not the whole history.

A report shows its day "as of" that day: every figure, chart row and record on it comes from
rows dated on or before the day. So a report's key needs no chart rows or snapshot text: the
``DayDigests`` chain (a digest of every dated row up to the day, built with one vectorised
hash of each table) stands for all of them, and costs microseconds per page where computing
the charts to compare them cost milliseconds, on every page of every build.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd

import generator
from generator import contract
from generator.render import templates_dir
from generator.write import Staging

STATE = ".build-state.json"
#: Bump when the meaning of page keys changes, so old keys never match.
KEY_VERSION = "2"
#: Libraries whose output ends up in pages: an upgrade of any re-renders every page.
RENDERING_LIBRARIES = ("altair", "vl-convert-python", "jinja2", "markdown", "nh3", "exchange-calendars", "pandas", "pagefind")


def _hash_files(h: hashlib.blake2b, root: Path, pattern: str = "*") -> None:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")


@cache
def library_versions() -> str:
    """The installed versions of the libraries that shape the pages."""
    found = []
    for name in RENDERING_LIBRARIES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return ",".join(found)


def code_fingerprint() -> str:
    """The generator's code, templates, version and libraries: a change to any re-renders every page."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{generator.__version__}/{KEY_VERSION}/{library_versions()}".encode())
    _hash_files(h, Path(generator.__file__).parent, "*.py")
    _hash_files(h, templates_dir())
    return h.hexdigest()


def fingerprint(content: Path, code: str) -> str:
    """Everything a build reads: the content folder, and the code fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    h.update(code.encode())
    _hash_files(h, content)
    return h.hexdigest()


def read_state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def up_to_date(out: Path, inputs: str) -> bool:
    """True when the published site was built from exactly these inputs."""
    return read_state(out).get("inputs") == inputs and (out / "index.html").is_file()


#: The dated tables of a dataset (``stocks`` has no dates: it is part of every page's key).
DATED_TABLES = contract.DATED_TABLES


def _row_hashes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's date (as days) and a 64-bit hash of its values, line numbers left out
    (a row that moves down a file is the same row)."""
    from generator.load import LINE

    values = frame.drop(columns=[c for c in (LINE,) if c in frame.columns])
    hashes = pd.util.hash_pandas_object(values, index=False).to_numpy(dtype=np.uint64)
    days = values["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    return days, hashes


class DayDigests:
    """For any day, a digest of every dated row on or before it, in every table.

    Rows of one day are combined without regard to their order (sum and xor of row hashes,
    and their count); the days are then chained in date order, so the digest of a day
    changes when any row up to it is added, removed or edited, and only then."""

    def __init__(self, data) -> None:
        per_day: dict[int, list] = {}
        for n, name in enumerate(DATED_TABLES):
            frame = getattr(data, name, None)
            if frame is None or frame.empty or "date" not in frame.columns:
                continue
            days, hashes = _row_hashes(frame)
            order = np.argsort(days, kind="stable")
            days, hashes = days[order], hashes[order]
            starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
            sums = np.add.reduceat(hashes, starts)
            xors = np.bitwise_xor.reduceat(hashes, starts)
            counts = np.diff(np.r_[starts, len(days)])
            for day, total, mixed, count in zip(days[starts].tolist(), sums.tolist(), xors.tolist(), counts.tolist(), strict=True):
                per_day.setdefault(day, []).append((n, total, mixed, count))
        self._days: list[int] = sorted(per_day)
        self._chain: list[str] = []
        h = hashlib.blake2b(digest_size=16)
        for day in self._days:
            h.update(repr((day, per_day[day])).encode())
            self._chain.append(h.copy().hexdigest())

    def upto(self, day: dt.date) -> str:
        """The digest of every dated row on or before ``day`` ("" when there is none)."""
        ordinal = (np.datetime64(day, "D") - np.datetime64(0, "D")).astype(np.int64)
        i = bisect.bisect_right(self._days, int(ordinal))
        return self._chain[i - 1] if i else ""


class PageKeys:
    """Per-page input keys of the previous build, and the ones of this build, with the files
    each page was published with (so a page carried over needs nothing computed to list them)."""

    def __init__(self, out: Path, code: str, *, force: bool = False):
        self.code = code
        #: render every page whatever its key (``build --force``); the keys are recorded as usual,
        #: so the build after a forced one carries its pages over
        self.force = force
        state = read_state(out)
        self.previous: dict[str, str] = state.get("pages", {})
        self.previous_files: dict[str, list[str]] = state.get("files", {})
        self.current: dict[str, str] = {}
        self.files: dict[str, list[str]] = {}
        self.reused = 0
        self.rendered = 0

    def key(self, *parts: object) -> str:
        """A key from JSON-able parts plus the code fingerprint."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.code.encode())
        h.update(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode())
        return h.hexdigest()

    def reuse(self, staging: Staging, page: str, key: str, files: list[str] | None = None, *, counted: bool = True) -> bool:
        """Carry ``files`` (the page and what is written with it; by default the files it was
        published with) over if ``key`` is unchanged. ``counted`` pages are the summary's
        "rendered"/"unchanged" reports (not, say, a search bundle)."""
        self.current[page] = key
        done = self._reuse(staging, page, key, files)
        if counted:
            if done:
                self.reused += 1
            else:
                self.rendered += 1
        return done

    def _reuse(self, staging: Staging, page: str, key: str, files: list[str] | None) -> bool:
        if files is None:
            files = self.previous_files.get(page)
        if self.force or self.previous.get(page) != key or not files:
            return False
        self.files[page] = list(files)
        for n, path in enumerate(files):
            if not staging.keep(path):
                # Something is missing from the published site: render the page after all.
                for done in files[:n]:
                    staging.forget(done)
                self.files.pop(page, None)
                return False
        return True

    def record(self, page: str, files: list[str]) -> None:
        """The files a rendered page was written with, for the next build to carry over."""
        self.files[page] = list(files)

    def save(self, staging: Staging, inputs: str) -> None:
        state = {"inputs": inputs, "pages": dict(sorted(self.current.items())), "files": dict(sorted(self.files.items()))}
        staging.add(STATE, json.dumps(state, indent=0) + "\n")
