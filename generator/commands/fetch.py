"""``kospi-report fetch``: pull every configured source since the last stored day and merge it.

Which sources run: those named with ``--source``, else every one whose credentials are set in
the environment (docs/sources.md). Without ``--since`` each source starts the day after the
last day its files hold, and again at any day still marked provisional.

exit codes: 0 ok (also when there was no trading day to fetch), 1 content problems or conflicts,
2 usage or credentials (missing, refused), 3 a source was unavailable (outage, rate limit,
empty answer; try again later). On 1 from an answer, 2 and 3, nothing was written.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rich.console import Console

from generator import sources
from generator.commands.importer import print_report
from generator.errors import UsageError
from generator.importing.readers import parse_date, parse_ticker
from generator.sources.krx_portal import INDEX_CODES, MARKET_IDS
from generator.sources.run import FetchResult, fetch_all

EPILOG = """\
sources (each needs its own access; see docs/sources.md):
  krx          KRX Data Marketplace login: KRX_ID, KRX_PW (index, investor flows, stock prices)
  krx-openapi  KRX Open API key: KRX_OPENAPI_KEY (index, stock prices; a day later)
  kofia        data.go.kr service key: DATA_GO_KR_KEY (margin loans)
  lending      KRX Data Marketplace login: KRX_ID, KRX_PW (stock lending)
  pykrx        the pykrx library, if installed (pip install 'kospi-report[krx]')
Credentials are read from the environment (or the keyring), never from the command line.

exit codes: 0 ok, 1 content problems or conflicts, 2 usage or credentials, 3 a source was
unavailable (try again later). Nothing is written unless every source answered.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fetch",
        help="fetch the latest figures from KRX and KOFIA into content/data/",
        description="Fetch every configured source since the last day in content/data/ and merge the rows like "
        "'import'. Figures fetched on their own day before the 15:30 close are marked provisional and replaced later.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_source_arguments(parser)
    parser.add_argument("--revise", action="store_true", help="replace stored values that differ (reported as revised)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.set_defaults(func=run)


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``fetch`` and ``update`` share."""
    parser.add_argument("--source", action="append", choices=list(sources.NAMES), help="source to fetch (repeatable; default: every configured one)")
    parser.add_argument("--since", help="first date to fetch (default: the day after the last stored day)")
    parser.add_argument("--until", help="last date to fetch (default: today in Seoul)")
    parser.add_argument("--index", action="append", choices=list(INDEX_CODES), help="index to fetch (repeatable; default KOSPI)")
    parser.add_argument("--market", action="append", choices=list(MARKET_IDS), help="market of investor flows (repeatable; default KOSPI)")
    parser.add_argument("--ticker", action="append", help="stock to fetch (repeatable; default: the stocks in stocks.csv)")
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")


def fetch_from_args(args: argparse.Namespace, *, dry_run: bool = False, revise: bool = False) -> FetchResult:
    """Parse the shared options and fetch; raises UsageError, SourceError, ContentError."""
    try:
        since = dt.date.fromisoformat(parse_date(args.since)) if args.since else None
        until = dt.date.fromisoformat(parse_date(args.until)) if args.until else None
        tickers = tuple(parse_ticker(t) for t in args.ticker) if args.ticker else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    names = args.source or sources.configured()
    if not names:
        raise UsageError(
            "no source is configured: set KRX_ID and KRX_PW, KRX_OPENAPI_KEY or DATA_GO_KR_KEY in the environment "
            "(docs/sources.md), or import downloaded files with 'kospi-report import'"
        )
    chosen = sources.make(list(dict.fromkeys(names)), indices=tuple(args.index or ("KOSPI",)), markets=tuple(args.market or ("KOSPI",)))
    return fetch_all(chosen, args.content / "data", since=since, until=until, tickers=tickers, revise=revise, dry_run=dry_run)


def source_lines(result: FetchResult) -> list[str]:
    lines = []
    for r in result.runs:
        span = f"{r.first} to {r.last}, {r.sessions} trading day(s), {r.rows} rows" if r.first else ""
        lines.append(f"{r.name}: " + "; ".join(x for x in (span, r.note) if x))
    for file, day in sorted(result.provisional):
        lines.append(f"provisional: {file} {day} (fetched before the 15:30 close; the next fetch replaces it)")
    for file, day in sorted(result.confirmed):
        lines.append(f"confirmed: {file} {day}")
    return lines


def report_source_error(command: str, exc: sources.SourceError) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"kospi-report {command}: {sources.redact(str(exc), sources.secrets())}; nothing was written", markup=False)
    return exc.exit_code


def run(args: argparse.Namespace) -> int:
    try:
        result = fetch_from_args(args, dry_run=args.dry_run, revise=args.revise)
    except sources.SourceError as exc:
        return report_source_error("fetch", exc)
    out = Console(highlight=False, soft_wrap=True)
    for line in source_lines(result):
        out.print(line, markup=False)
    return print_report(result.report)
