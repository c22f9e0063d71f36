"""Which stored figures are provisional: fetched on their own day before the 15:30 close.

A day's running figures (the seed's investor flows were 2:30 p.m. figures) differ from the
final ones. They are recorded in ``content/data/provisional.csv`` — ``file,date`` rows, one
per canonical file and day — an optional file the data contract adds in 1.x (the loader
reads only the files it knows, so older versions ignore it). The next fetch asks for those
days again and replaces the figures without calling it a conflict; the row is then dropped.
The site shows the replacement as it shows any change to a published day: a dated
"Revised" note with old → new (generator/revisions.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.files import write_atomic

NAME = "provisional.csv"
HEADER = ("file", "date")

Mark = tuple[str, str]  # (canonical file name, ISO date)


def read(data_dir: Path) -> set[Mark]:
    path = data_dir / NAME
    if not path.exists():
        return set()
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return {((r.get("file") or "").strip(), (r.get("date") or "").strip()) for r in rows if r.get("file") and r.get("date")}


def write(data_dir: Path, marks: set[Mark]) -> None:
    """Replace the file atomically; no marks, no file."""
    path = data_dir / NAME
    if not marks:
        path.unlink(missing_ok=True)
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(sorted(marks))
    write_atomic(path, out.getvalue(), mode=0o644)
