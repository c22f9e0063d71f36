"""The shrink guard: a build may not quietly drop most of a published series.

A data file cut down to its header, emptied by a bad export or replaced by a broken link
takes every figure of its series off the site, and the build would otherwise publish that
with exit 0 (each lost day a "revision" to nothing). That is far more often an accident than
an intention, so a build that would remove more than ``SHARE`` of a series' published days
(and more than one day), or all of them, refuses and names the file and how many days; the
editor restores the rows or builds with ``--allow-shrink``.

What was published is read from the published site itself: ``.published-days.json``, which
every build writes (one bitmap of trading days per series), or, for a site published before
that record existed, the day snapshots in its manifest (the headline index's days).

A series is a data file, or for ``index_daily.csv``, ``investor_flows.csv`` and
``margin_loans.csv`` one index or market of it, so dropping every KOSDAQ row counts too.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator import contract
from generator.dataset import Dataset
from generator.errors import Problem

#: Where the published days are recorded in the site.
RECORD = ".published-days.json"
#: The share of a series' published days a build may drop without ``--allow-shrink``.
SHARE = 0.10
#: Files whose rows belong to one of several series, and the column that names it.
SPLIT_BY = {"index_daily.csv": "index", "investor_flows.csv": "market", "margin_loans.csv": "market"}
#: Dataset attribute of each dated data file.
FRAMES = {f"{stem}.csv": stem for stem in contract.SERIES_TABLES}
_SNAPSHOT = re.compile(r"^data/snapshots/(\d{4}-\d{2}-\d{2})\.json$")
_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Shrink:
    """A series that this build would cut: which, and how many of its published days go."""

    file: str
    name: str | None  # the index or market, for split files
    dropped: int
    published: int
    first: str  # first and last dropped day
    last: str


def series_days(data: Dataset) -> dict[str, np.ndarray]:
    """Each series' distinct trading days (days since 1970, sorted), keyed ``file`` or ``file name``."""
    out: dict[str, np.ndarray] = {}
    for file, attr in FRAMES.items():
        frame = getattr(data, attr)
        if frame.empty or "date" not in frame:
            continue
        days = (frame["date"].to_numpy(dtype="datetime64[D]") - _EPOCH).astype(np.int64)
        column = SPLIT_BY.get(file)
        if column is None:
            out[file] = np.unique(days)
            continue
        names = frame[column].to_numpy(dtype=object)
        for name in sorted(set(names)):
            out[f"{file} {name}"] = np.unique(days[names == name])
    return out


def record_json(days: dict[str, np.ndarray]) -> str:
    """The record of published days: per series, its first day and a bitmap from there."""
    series = {}
    for key, values in sorted(days.items()):
        first = int(values[0])
        bits = np.zeros(int(values[-1]) - first + 1, dtype=bool)
        bits[values - first] = True
        series[key] = {
            "first": str(_EPOCH + first),
            "count": int(len(values)),
            "bitmap": base64.b64encode(np.packbits(bits).tobytes()).decode("ascii"),
        }
    return json.dumps({"format": 1, "series": series}, indent=0, ensure_ascii=False) + "\n"


def published_days(out: Path, headline_index: str) -> dict[str, np.ndarray]:
    """Each series' days as the published site at ``out`` has them (empty for a new site)."""
    try:
        record = json.loads((out / RECORD).read_text(encoding="utf-8"))
        return {key: _decode(entry) for key, entry in record["series"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    try:
        manifest = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict):
        return {}
    found = [m.group(1) for path in manifest if (m := _SNAPSHOT.match(str(path)))]
    if not found:
        return {}
    days = (np.array(sorted(found), dtype="datetime64[D]") - _EPOCH).astype(np.int64)
    return {f"index_daily.csv {headline_index}": days}


def _decode(entry: dict) -> np.ndarray:
    first = np.datetime64(entry["first"], "D").astype(np.int64) - _EPOCH.astype(np.int64)
    bits = np.unpackbits(np.frombuffer(base64.b64decode(entry["bitmap"]), dtype=np.uint8)).astype(bool)
    return np.flatnonzero(bits).astype(np.int64) + first


def shrinkage(before: dict[str, np.ndarray], after: dict[str, np.ndarray], share: float = SHARE) -> list[Shrink]:
    """The series that lose all their published days, or more than ``share`` of them (and more than one)."""
    cuts = []
    for key, old in sorted(before.items()):
        if not len(old):
            continue
        gone = np.setdiff1d(old, after.get(key, np.empty(0, dtype=np.int64)), assume_unique=True)
        if len(gone) == len(old) or len(gone) > max(1, share * len(old)):
            file, _, name = key.partition(" ")
            cuts.append(
                Shrink(file, name or None, int(len(gone)), int(len(old)), str(_EPOCH + int(gone[0])), str(_EPOCH + int(gone[-1])))
            )
    return cuts


def problems(cuts: list[Shrink], content: Path) -> list[Problem]:
    """One problem per cut series, naming its file (and index or market) and the days it loses."""
    out = []
    for cut in cuts:
        what = f"{cut.name} " if cut.name else ""
        span = cut.first if cut.first == cut.last else f"{cut.first} to {cut.last}"
        amount = f"all {cut.published}" if cut.dropped == cut.published else f"{cut.dropped} of the {cut.published}"
        out.append(
            Problem(
                str(content / "data" / cut.file),
                None,
                SPLIT_BY.get(cut.file) if cut.name else None,
                f"this build would remove {amount} published {what}days ({span}) from the site, expected at most "
                f"{SHARE:.0%} of a series to go: restore the rows, or build with --allow-shrink if they are meant to go",
            )
        )
    return out
