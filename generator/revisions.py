"""Revisions: nothing published is silently changed.

When a build's snapshot of a day differs from the one already published, every figure that was
published and now reads differently is a revision. The published snapshot is kept as
``data/snapshots/YYYY-MM-DD.vN.json`` (N = 1, 2 … in order), the day's page shows a dated
"Revised" note listing old → new, and the build summary reports it. The record of all revisions
lives in the published site's ``data/revisions.json``, so it is carried from build to build.

Only figures present in both versions count: a key the new version adds (a new series, an
additive change of the snapshot format) is new information, not a revision. The story's
``facts`` are the engine's reading of the figures, not figures: when only they change (a new
release of the story engine), the snapshot is replaced without a revision note; when a figure
changes, its facts change with it and the figure is what the note lists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

RECORD = "data/revisions.json"


@dataclass(frozen=True)
class Change:
    """One figure that changed: its path in the snapshot (``indices.KOSPI.close``) and both values."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Revision:
    """A day's published snapshot replaced by a build: when, which kept version, and what changed."""

    date: str
    revised: str  # the build date (YYYY-MM-DD) on which the revision was published
    version: int  # the old snapshot is kept as DATE.v{version}.json
    changes: tuple[Change, ...]

    @property
    def kept_path(self) -> str:
        return f"data/snapshots/{self.date}.v{self.version}.json"


def _leaves(doc: object, prefix: str = "") -> dict[str, object]:
    if isinstance(doc, dict):
        out: dict[str, object] = {}
        for key, value in doc.items():
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: doc}


#: Top-level keys that hold no published figure of their own (see the module's docstring).
NOT_FIGURES = ("schema", "facts")


def compare(old: dict, new: dict) -> list[Change]:
    """Figures present in ``old`` whose value differs in ``new`` (or that ``new`` dropped)."""
    before = _leaves({k: v for k, v in old.items() if k not in NOT_FIGURES})
    after = _leaves({k: v for k, v in new.items() if k not in NOT_FIGURES})
    changes = []
    for field, value in before.items():
        if field not in after:
            # A whole branch that the new version no longer has (e.g. a series removed).
            changes.append(Change(field, value, None))
        elif after[field] != value:
            changes.append(Change(field, value, after[field]))
    return changes


def load_record(out: Path) -> list[Revision]:
    """Revisions published so far (empty for a new site)."""
    try:
        raw = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        Revision(r["date"], r["revised"], int(r["version"]), tuple(Change(**c) for c in r["changes"]))
        for r in raw.get("revisions", [])
    ]


def record_json(revisions: list[Revision]) -> str:
    return json.dumps({"revisions": [asdict(r) for r in revisions]}, ensure_ascii=False, indent=1) + "\n"


def kept_versions(out: Path) -> list[str]:
    """Site paths of every kept old snapshot in the published site."""
    folder = out / "data" / "snapshots"
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}\.v\d+\.json$")
    return sorted(f"data/snapshots/{p.name}" for p in folder.glob("*.v*.json") if pattern.match(p.name)) if folder.is_dir() else []


def detect(out: Path, day: dt.date, new_json: str, published_hash: str | None, new_hash: str, previous: list[Revision], today: dt.date) -> tuple[Revision, str] | None:
    """If ``day``'s published snapshot differs from ``new_json``, the revision and the old text.

    ``published_hash`` comes from the published manifest, so unchanged days cost a comparison
    of two hashes, not a read.
    """
    if published_hash is None or published_hash == new_hash:
        return None
    path = out / "data" / "snapshots" / f"{day.isoformat()}.json"
    try:
        old_text = path.read_text(encoding="utf-8")
        old = json.loads(old_text)
    except (OSError, ValueError):
        return None
    changes = compare(old, json.loads(new_json))
    if not changes:
        return None
    version = 1 + max((r.version for r in previous if r.date == day.isoformat()), default=0)
    return Revision(day.isoformat(), today.isoformat(), version, tuple(changes)), old_text
