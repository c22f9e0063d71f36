"""``kospi-report import krx|kofia FILE…``: merge exported CSVs into content/data/.

(The module is named ``importer`` because ``import`` is a Python keyword.) The command only
parses options and prints; ``generator.importing`` does the work and raises ContentError for
unreadable files, which the CLI prints as ``path:line: column: message`` with exit 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from generator.errors import UsageError
from generator.importing import KINDS, ImportOptions, ImportReport, import_files
from generator.importing.readers import UNITS, VOLUME_UNITS, parse_date, parse_ticker


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="merge KRX or KOFIA CSV exports into content/data",
        description="Merge CSV files exported from the KRX data portal or KOFIA FreeSIS into the canonical "
        "CSVs of content/data/. Re-importing a file changes nothing; a changed value is a conflict, "
        "applied only with --revise. See docs/importing.md.",
    )
    parser.set_defaults(func=lambda args: _missing_source(parser))
    sources = parser.add_subparsers(dest="source", metavar="SOURCE")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("files", nargs="+", type=Path, metavar="FILE", help="exported CSV files (CP949 or UTF-8)")
    common.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    common.add_argument("--revise", action="store_true", help="replace stored values that differ (reported as revised)")
    common.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    common.add_argument("--date", help="date of an export that has no date column (YYYY-MM-DD)")
    common.add_argument(
        "--ticker",
        action="append",
        default=[],
        help="the stock of a one-stock file; repeat to pick stocks from a whole-market file",
    )
    common.add_argument(
        "--all-tickers", action="store_true", help="keep every stock of a whole-market file, not just those in stocks.csv"
    )
    common.add_argument("--unit", choices=list(UNITS), help="unit of money columns whose header names none")
    common.add_argument(
        "--volume-unit", choices=list(VOLUME_UNITS), help="unit of a 거래량 column whose header names none (default: shares)"
    )
    krx = sources.add_parser(
        "krx",
        parents=[common],
        help="KRX 정보데이터시스템 exports and pykrx CSVs",
        description="개별지수 시세추이, 투자자별 거래실적 일별추이, 개별종목 시세추이, 전종목 시세, pykrx per-ticker CSVs.",
    )
    krx.add_argument("--index", metavar="NAME", help="index an index export is about (default: KOSPI)")
    krx.add_argument("--market", default="KOSPI", help="market of an investor-flow export (default: KOSPI)")
    krx.add_argument("--kind", choices=KINDS["krx"], help="override the kind detected from the header")
    krx.set_defaults(func=run)
    kofia = sources.add_parser(
        "kofia",
        parents=[common],
        help="KOFIA FreeSIS exports",
        description="신용거래융자 잔고 (margin loans) and 대차거래 잔고 (stock lending) exports.",
    )
    kofia.add_argument("--kind", choices=KINDS["kofia"], help="override the kind detected from the header")
    kofia.set_defaults(func=run)


def _missing_source(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    Console(stderr=True, soft_wrap=True).print("kospi-report import: say which source: krx or kofia", markup=False)
    return 2


def options_from(args: argparse.Namespace) -> ImportOptions:
    """ImportOptions from the command line; a malformed date or ticker is a usage error."""
    try:
        date = parse_date(args.date) if args.date else None
        tickers = tuple(parse_ticker(t) for t in args.ticker)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return ImportOptions(
        index=getattr(args, "index", None),
        tickers=tickers,
        market=getattr(args, "market", "KOSPI"),
        date=date,
        unit=args.unit,
        kind=args.kind,
        all_tickers=args.all_tickers,
        volume_unit=args.volume_unit,
    )


def run(args: argparse.Namespace) -> int:
    report = import_files(
        args.source, args.files, args.content / "data", revise=args.revise, dry_run=args.dry_run, options=options_from(args)
    )
    return print_report(report)


def print_report(report: ImportReport) -> int:
    """One summary line per canonical file, then revisions and notes; conflicts go to
    stderr, hold back the whole import and make the exit code 1."""
    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)
    if report.dry_run:
        out.print("dry run: nothing was written", markup=False)
    if not report.files:
        out.print("no rows to import", markup=False)
    for file_report in report.files.values():
        out.print(file_report.summary(), markup=False)
    if report.no_trades_recorded:
        n = report.no_trades_recorded
        out.print(f"calendar.csv: {n} day{'s' if n != 1 else ''} without trades recorded (check will not call them missing)", markup=False)
    for note in report.notes:
        out.print(f"note: {note}", markup=False)
    for change in report.revised:
        out.print(f"revised {change.source}{f':{change.line}' if change.line else ''}: {change}", markup=False)
    problems = report.problems()
    for problem in problems:
        err.print(str(problem), markup=False)
    if problems:
        n = len(problems)
        added = sum(r.added + r.filled for r in report.files.values())
        rest = f" and add the {added} new row{'s' if added != 1 else ''}" if added else ""
        err.print(
            f"[bold red]{n} conflict{'s' if n != 1 else ''}: nothing was written[/]; "
            f"re-run with --revise to replace the stored values as listed{rest}."
        )
        return 1
    return 0
