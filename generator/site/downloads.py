"""Downloads ``/data/``: every series as CSV, every snapshot as JSON, and the snapshot schema.

The CSVs are the checked content of ``content/data/`` written back in the data contract's
canonical form (generator/contract.py): the contract's columns in its order, rows sorted by
the file's key, dates as YYYY-MM-DD, won as whole numbers. So a download reads back into the
generator unchanged, and an editor's stray columns or row order never leak out. Snapshots are
written by the reports family at ``/data/snapshots/YYYY-MM-DD.json``; this family adds their
index and the schema they follow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from generator import revisions
from generator.charts.words import words
from generator.contract import DATA_FILES, DataFile
from generator.i18n_strings import N_
from generator.site.context import SiteContext, Written
from generator.write import Staging

SCHEMA_PATH = "data/snapshot-1.schema.json"
SNAPSHOT_INDEX = "data/snapshots/index.json"


@dataclass(frozen=True)
class Download:
    """One series file as the /data/ page lists it."""

    path: str
    name: str
    description: str
    columns: tuple[str, ...]
    rows: int
    first: dt.date | None
    last: dt.date | None
    size: int


def canonical_csv(frame: pd.DataFrame, spec: DataFile) -> str:
    """A checked table as the contract's canonical CSV."""
    columns = [c for c in spec.columns if c.name in frame.columns]
    present = [c.name for c in columns]
    ordered = frame.sort_values(list(spec.key), kind="stable") if all(k in frame.columns for k in spec.key) else frame
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(present)
    kinds = [c.kind for c in columns]
    for row in ordered[present].itertuples(index=False, name=None):
        writer.writerow([_cell(v, k) for v, k in zip(row, kinds, strict=True)])
    return out.getvalue()


def _cell(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()
    if kind == "money":
        return str(int(round(float(value))))
    if kind == "number":
        f = float(value)
        return str(int(f)) if f.is_integer() else repr(f)
    return str(value)


def snapshot_schema_text() -> str | None:
    """The snapshot schema shipped in generator/schemas, when this build has it."""
    try:
        return resources.files("generator.schemas").joinpath("snapshot-1.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    downloads = []
    for spec in DATA_FILES:
        frame = getattr(ctx.data, spec.stem, None)
        if frame is None or frame.empty:
            continue
        text = canonical_csv(frame, spec)
        path = f"data/{spec.name}"
        staging.add(path, text)
        dates = pd.to_datetime(frame["date"]) if "date" in frame.columns else None
        downloads.append(
            Download(
                path=path,
                name=spec.name,
                description=spec.description,
                columns=tuple(c.name for c in spec.columns if c.name in frame.columns),
                rows=len(frame),
                first=dates.min().date() if dates is not None else None,
                last=dates.max().date() if dates is not None else None,
                size=len(text.encode("utf-8")),
            )
        )
    schema = snapshot_schema_text()
    if schema is not None:
        staging.add(SCHEMA_PATH, schema)
    days = [r.day for r in ctx.reports]
    index = {
        "schema": "kospi-report/snapshot-index/1",
        "snapshots": [{"date": d.isoformat(), "path": f"{d.isoformat()}.json"} for d in days],
    }
    staging.add(SNAPSHOT_INDEX, json.dumps(index, indent=1) + "\n")
    w = words(ctx.renderer.edition.lang)
    by_year: dict[int, list[dt.date]] = {}
    for d in reversed(days):
        by_year.setdefault(d.year, []).append(d)
    html = ctx.renderer.render(
        "data.html",
        "data/index.html",
        downloads=downloads,
        snapshot_years=list(by_year.items()),
        latest=days[-1] if days else None,
        schema_path=SCHEMA_PATH if schema is not None else None,
        snapshot_index=SNAPSHOT_INDEX,
        # The report family writes the record on every build (it may run after this family).
        revisions_path=revisions.RECORD,
        # a series' first and last day: 2026-01-07 in English (as in the files); 2026년 1월 7일
        span_day=w.date if w.korean else dt.date.isoformat,
        title=N_("Data"),
        section="data",
        description=N_("Download every series behind the report as CSV and every day's figures as JSON."),
    )
    staging.add("data/index.html", html)
