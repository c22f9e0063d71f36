"""Import KRX and KOFIA exports into the canonical CSVs of ``content/data/``.

``import_files`` is the library entry point behind ``kospi-report import``: read every file,
convert it (``detect`` decides what each file is, or refuses), check the magnitudes against
what they can be (``plausible``), and only if nothing is wrong merge all rows at once. An
import is all or nothing: a problem in the third file, or a conflict with a stored value that
``--revise`` was not given to replace, leaves every file in ``content/`` as it was. The
suspension days skipped for having no trades are recorded in ``content/calendar.csv`` in the
same step, so ``check`` does not report them as missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem, UsageError
from generator.files import write_files
from generator.importing import kofia, krx, plausible
from generator.importing.merge import Change, Converted, FileReport, Record, canonical_text, plan, tracked_tickers
from generator.importing.messages import fold
from generator.importing.readers import Export, ImportOptions, read_table
from generator.krx_calendar import OVERRIDES, Override, overrides_text

__all__ = ["ImportOptions", "ImportReport", "SOURCES", "import_files", "import_records", "parse_file"]

#: Converters by source, each ``convert(table, options) -> Converted``.
SOURCES: dict[str, Callable[[Export, ImportOptions], Converted]] = {"krx": krx.convert, "kofia": kofia.convert}
KINDS: dict[str, tuple[str, ...]] = {"krx": krx.KINDS, "kofia": kofia.KINDS}


@dataclass
class ImportReport:
    """Per canonical file: added, unchanged, conflicts, revised (and filled, skipped)."""

    files: dict[str, FileReport] = field(default_factory=dict)
    dry_run: bool = False
    #: True when the files were written (not a dry run, and no conflict held the import back).
    written: bool = False
    #: Columns deliberately not imported, and why, for the editor.
    notes: list[str] = field(default_factory=list)
    #: Days without trades newly recorded in content/calendar.csv (or that would be).
    no_trades_recorded: int = 0

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
        raise ContentError(fold(converted.problems))
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
    problem of every file, implausible magnitudes included (nothing is written then).
    Conflicts do not raise: they are in the report and, unless ``revise``, nothing is written
    (``report.written`` is False) -- the report says what ``--revise`` would change.
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
        raise ContentError(fold(problems))
    return import_records(converted, data_dir, revise=revise, dry_run=dry_run)


def import_records(converted: list[Converted], data_dir: Path, *, revise: bool = False, dry_run: bool = False) -> ImportReport:
    """Check and merge already converted rows (from files or from ``fetch``), all or nothing.

    Raises ContentError for implausible magnitudes (see ``plausible``). Writes every changed
    canonical file and content/calendar.csv together, and only when there is no unresolved
    conflict and this is no dry run."""
    content = data_dir.parent
    problems = plausible.check(converted, data_dir, sessions_for=lambda a, b: _sessions(a, b, content))
    if problems:
        raise ContentError(fold(problems))
    records: list[Record] = [r for c in converted for r in c.records]
    reports, changed = plan(records, data_dir, revise=revise)
    report = ImportReport(reports, dry_run=dry_run, notes=[n for c in converted for n in c.notes])
    for c in converted:
        for (name, reason), n in c.skipped.items():
            report.files.setdefault(name, FileReport(name)).skipped[reason] += n
    no_trades = [Override(day, "no_trades", series, f"no trades in {where}") for c in converted for day, series, where in c.no_trades]
    calendar = overrides_text(content, no_trades) if no_trades else None
    report.no_trades_recorded = calendar[1] if calendar else 0
    if dry_run or report.conflicts:
        return report
    texts = {c.path: canonical_text(c) for c in changed}
    if calendar:
        texts[content / OVERRIDES] = calendar[0]
    if texts:
        write_files(texts)
    for canonical in changed:
        report.files[canonical.file.name].written = True
    report.written = True
    return report


def _sessions(first: dt.date, last: dt.date, content: Path):
    """Corrected KRX sessions for the price-limit check (imported lazily: the calendar
    library is only needed when stock prices are imported)."""
    from generator.calendar_checks import krx_sessions

    return krx_sessions(first, last, content)
