"""Merge imported rows into the canonical CSVs of ``content/data/``.

Editors re-import overlapping exports all the time, so the merge must be idempotent: a row
already present with the same values changes nothing, and a file is only rewritten when a
row was added or changed. A row whose key exists with a *different* value is a conflict: the
old value stays unless the editor says ``--revise``, because a silent overwrite could replace
checked figures with a provisional intraday export. Files are written sorted by key in the
contract's column order, through a temporary file and ``os.replace`` so a crash never leaves
half a file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from generator.contract import BY_NAME, STOCKS, DataFile
from generator.errors import ContentError, Problem
from generator.files import write_files
from generator.importing.readers import (
    decode,
    parse_date_or_none,
    parse_number_or_none,
    parse_ticker,
)


@dataclass(frozen=True)
class Record:
    """One canonical row produced by an importer, with where it came from for messages.

    ``values`` are already in canonical text form (ISO dates, 6-char tickers, plain numbers);
    an empty string means the source did not say, which never overwrites a stored value.
    """

    file: DataFile
    values: dict[str, str]
    source: str
    line: int | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.values[k] for k in self.file.key)


@dataclass(frozen=True)
class Scale:
    """The unit an importer read one source column in, for the plausibility checks: which
    canonical field it fills, the header as written (for messages), the unit used, whether
    the file or a flag stated it (else it is a default or a guess) and the flag that does."""

    file: str
    field: str
    column: str
    line: int
    unit: str
    stated: bool
    flag: str  # "--unit" or "--volume-unit"


@dataclass
class Converted:
    """What an importer made of one export: canonical rows, rows deliberately left out
    (by canonical file and reason, e.g. a suspension day with no prices), problems, the units
    its columns were read in, and notes for the editor (columns deliberately not imported).
    ``no_trades`` lists (date, series) of the days skipped for having no trades."""

    records: list[Record] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    scales: list[Scale] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    no_trades: list[tuple[str, str, str]] = field(default_factory=list)  # (date, series, where)

    def skip(self, file: DataFile, reason: str) -> None:
        self.skipped[(file.name, reason)] += 1


@dataclass(frozen=True)
class Change:
    """A field whose stored value differs from the imported one."""

    source: str
    line: int | None
    file: str
    key: tuple[str, ...]
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{' '.join(self.key)} {self.field}: {self.old} → {self.new}"

    def problem(self) -> Problem:
        return Problem(self.source, self.line, None, f"{self} ({self.file} keeps {self.old}; --revise replaces it)")


@dataclass
class FileReport:
    """What an import did (or, in a dry run, would do) to one canonical file."""

    name: str
    added: int = 0
    unchanged: int = 0
    filled: int = 0
    conflicts: list[Change] = field(default_factory=list)
    revised: list[Change] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    written: bool = False

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.unchanged} unchanged", f"{len(self.conflicts)} conflicts"]
        if self.revised:
            parts.append(f"{len(self.revised)} revised")
        if self.filled:
            parts.append(f"{self.filled} filled in")
        parts += [f"{n} skipped ({reason})" for reason, n in sorted(self.skipped.items())]
        return f"{self.name}: " + ", ".join(parts)


def format_number(value: Decimal) -> str:
    """Plain decimal text: integers without ``.0``, no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def format_money(value: Decimal) -> str:
    """Whole won; a unit conversion may leave a fraction of a won, which no source means."""
    return str(int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)))


def _same(kind: str, old: str, new: str) -> bool:
    """Equal in meaning: ``4551.060`` equals ``4551.06``, ``2024/01/02`` equals ``2024-01-02``."""
    old, new = old.strip(), new.strip()
    if old == new:
        return True
    if kind in ("number", "money"):
        a, b = parse_number_or_none(old), parse_number_or_none(new)
        return a is not None and a == b
    if kind == "date":
        return parse_date_or_none(old) == parse_date_or_none(new) is not None
    return False


@dataclass
class Canonical:
    """A canonical file in memory: its rows by key and any extra columns it carries."""

    file: DataFile
    path: Path
    rows: dict[tuple[str, ...], dict[str, str]]
    extra_columns: list[str]

    @property
    def columns(self) -> list[str]:
        """The contract's columns, leaving out an optional one that no row fills (an import
        does not add an empty ``market_cap`` column to a file that never had one)."""
        used = {k for row in self.rows.values() for k, v in row.items() if v not in ("", None)}
        return [c.name for c in self.file.columns if c.required or c.name in used] + self.extra_columns


def read_canonical(data_dir: Path, file: DataFile) -> Canonical:
    """Load a canonical file, keyed by the contract's key. A missing file is empty; a file
    the merge cannot key (no key column, bad or repeated key) must be fixed first."""
    path = data_dir / file.name
    if not path.exists():
        return Canonical(file, path, {}, [])
    reader = csv.DictReader(io.StringIO(decode(path.read_bytes(), str(path)), newline=""))
    header = [h.strip() for h in _fieldnames(reader, path)]
    if not header:
        return Canonical(file, path, {}, [])
    missing = [k for k in file.key if k not in header]
    if missing:
        raise ContentError.single(path, 1, missing[0], f"{file.name} has no {missing[0]} column; fix it before importing")
    kinds = {c.name: c.kind for c in file.columns}
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    problems = []
    for raw in _dict_rows(reader, path):
        line = reader.line_num
        row = {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in raw.items()}
        try:
            key = tuple(_canonical_key(kinds[k], row.get(k, "")) for k in file.key)
        except ValueError as exc:
            problems.append(Problem(str(path), line, None, f"{exc}; fix it before importing"))
            continue
        if key in rows:
            problems.append(Problem(str(path), line, None, f"{' '.join(key)} appears twice; fix it before importing"))
        rows[key] = row | dict(zip(file.key, key, strict=True))
    if problems:
        raise ContentError(problems)
    extra = [h for h in header if h not in kinds]
    return Canonical(file, path, rows, extra)


def _fieldnames(reader: csv.DictReader, path: Path) -> list[str]:
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise ContentError.single(path, 1, None, f"not valid CSV: {exc}") from None


def _dict_rows(reader: csv.DictReader, path: Path):
    try:
        yield from reader
    except csv.Error as exc:
        raise ContentError.single(path, reader.line_num, None, f"not valid CSV: {exc}") from None


def _canonical_key(kind: str, cell: str) -> str:
    if kind == "date":
        value = parse_date_or_none(cell)
        if value is None:
            raise ValueError(f"{cell!r} is not a date")
        return value
    if kind == "ticker":
        return parse_ticker(cell)
    if not cell.strip():
        raise ValueError("empty key field")
    return cell.strip()


def tracked_tickers(data_dir: Path) -> list[str]:
    """Tickers listed in ``stocks.csv``: the stocks the report covers. Read leniently (bad
    cells are left to ``check``) so a typo there does not block an unrelated import."""
    path = data_dir / STOCKS.name
    if not path.exists():
        return []
    try:
        text = decode(path.read_bytes(), str(path))
        tickers = {parse_ticker_or_none(row.get("ticker") or "") for row in csv.DictReader(io.StringIO(text, newline=""))}
    except (ContentError, csv.Error):
        return []
    return sorted(t for t in tickers if t)


def parse_ticker_or_none(cell: str) -> str | None:
    try:
        return parse_ticker(cell)
    except ValueError:
        return None


def plan(records: list[Record], data_dir: Path, *, revise: bool = False) -> tuple[dict[str, FileReport], list[Canonical]]:
    """Apply ``records`` to the canonical files in memory: the report per file and the
    files that changed. Rows are applied in order, so a later row in the same import is
    checked against an earlier one exactly as against a stored one. Nothing is written."""
    reports: dict[str, FileReport] = {}
    by_file: dict[str, list[Record]] = {}
    for record in records:
        by_file.setdefault(record.file.name, []).append(record)
    changed_files = []
    for name, file_records in by_file.items():
        canonical = read_canonical(data_dir, BY_NAME[name])
        report = reports[name] = FileReport(name)
        changed = False
        for record in file_records:
            changed |= _apply(canonical, record, report, revise)
        if changed:
            changed_files.append(canonical)
    return reports, changed_files


def merge(records: list[Record], data_dir: Path, *, revise: bool = False, dry_run: bool = False) -> dict[str, FileReport]:
    """Apply ``records`` to the canonical files and write those that changed -- all of them
    or, when a conflict is left unresolved (no ``revise``) or in a ``dry_run``, none."""
    reports, changed = plan(records, data_dir, revise=revise)
    if dry_run or any(r.conflicts for r in reports.values()):
        return reports
    write_files({c.path: canonical_text(c) for c in changed})
    for c in changed:
        reports[c.file.name].written = True
    return reports


def _apply(canonical: Canonical, record: Record, report: FileReport, revise: bool) -> bool:
    old = canonical.rows.get(record.key)
    if old is None:
        canonical.rows[record.key] = dict(record.values)
        report.added += 1
        return True
    kinds = {c.name: c.kind for c in canonical.file.columns}
    changes = [
        Change(record.source, record.line, canonical.file.name, record.key, col, old.get(col, "").strip(), new)
        for col, new in record.values.items()
        if new and not _same(kinds.get(col, "text"), old.get(col, ""), new)
    ]
    if not changes:
        report.unchanged += 1
        return False
    real = [c for c in changes if c.old]
    if real and not revise:
        report.conflicts.extend(real)
        return False
    for change in changes:
        old[change.field] = change.new
    if real:
        report.revised.extend(real)
    else:
        report.filled += 1
    return True


def canonical_text(canonical: Canonical) -> str:
    """The file's text: sorted by key, contract columns first, ``\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(canonical.columns)
    for key in sorted(canonical.rows):
        row = canonical.rows[key]
        writer.writerow([row.get(c, "") for c in canonical.columns])
    return buffer.getvalue()


def write_canonical(canonical: Canonical) -> None:
    """Write one canonical file atomically (temp file + os.replace)."""
    write_files({canonical.path: canonical_text(canonical)})
