"""Import KRX and KOFIA exports into the canonical CSVs of ``content/data/``.

``import_files`` is the library entry point behind ``kospi-report import``: read every file,
convert it, and only if none has a problem merge all rows at once, so a typo in the third
file never leaves the first two half-imported. Conflicts with stored values are not problems
of the files; they come back in the report (see ``merge``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem, UsageError
from generator.importing import kofia, krx
from generator.importing.merge import Change, Converted, FileReport, Record, merge, tracked_tickers
from generator.importing.readers import ImportOptions, Table, read_table

__all__ = ["ImportOptions", "ImportReport", "SOURCES", "import_files", "import_records", "parse_file"]

#: Converters by source, each ``convert(table, options) -> Converted``.
SOURCES: dict[str, Callable[[Table, ImportOptions], Converted]] = {"krx": krx.convert, "kofia": kofia.convert}
KINDS: dict[str, tuple[str, ...]] = {"krx": krx.KINDS, "kofia": kofia.KINDS}


@dataclass
class ImportReport:
    """Per canonical file: added, unchanged, conflicts, revised (and filled, skipped)."""

    files: dict[str, FileReport] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def conflicts(self) -> list[Change]:
        return [c for r in self.files.values() for c in r.conflicts]

    @property
    def revised(self) -> list[Change]:
        return [c for r in self.files.values() for c in r.revised]

    def problems(self) -> list[Problem]:
        """Conflicts as editor-facing problems: ``source:line: date key field: old → new``."""
        return [c.problem() for c in self.conflicts]


def parse_file(source: str, path: str | Path, data: bytes, options: ImportOptions) -> Converted:
    """Canonical rows from one export's bytes; raises ContentError for anything unreadable."""
    table = read_table(path, data)
    converted = SOURCES[source](table, options)
    if converted.problems:
        raise ContentError(converted.problems)
    return converted


def import_files(
    source: str,
    files: list[Path],
    data_dir: Path,
    *,
    revise: bool = False,
    dry_run: bool = False,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import ``files`` (all KRX or all KOFIA exports) into ``data_dir``.

    Raises UsageError for an unknown source or a missing file, ContentError listing every
    problem of every file (nothing is written then). Conflicts do not raise: they are in the
    report, not applied unless ``revise``, while the other new rows are written.
    """
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}: choose from {', '.join(SOURCES)}")
    options = options or ImportOptions()
    if options.kind and options.kind not in KINDS[source]:
        raise UsageError(f"--kind {options.kind} is not a {source} kind: choose from {', '.join(KINDS[source])}")
    missing = [str(p) for p in files if not Path(p).is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    if not options.tickers and not options.all_tickers:
        options = dataclasses.replace(options, tracked=tuple(tracked_tickers(data_dir)))
    converted, problems = [], []
    for path in files:
        try:
            converted.append(parse_file(source, path, Path(path).read_bytes(), options))
        except ContentError as exc:
            problems += exc.problems
        except OSError as exc:
            problems.append(Problem(str(path), None, None, f"cannot read the file: {exc.strerror}"))
    if problems:
        raise ContentError(problems)
    return import_records(converted, data_dir, revise=revise, dry_run=dry_run)


def import_records(converted: list[Converted], data_dir: Path, *, revise: bool = False, dry_run: bool = False) -> ImportReport:
    """Merge already converted rows (from files or from ``fetch``) and report per file."""
    records: list[Record] = [r for c in converted for r in c.records]
    report = ImportReport(merge(records, data_dir, revise=revise, dry_run=dry_run), dry_run=dry_run)
    for c in converted:
        for (name, reason), n in c.skipped.items():
            report.files.setdefault(name, FileReport(name)).skipped[reason] += n
    return report
