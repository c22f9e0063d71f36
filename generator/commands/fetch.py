"""``kospi-report fetch --since DATE``: pull KRX data through pykrx and merge it.

Needs the optional pykrx (``pip install 'kospi-report[krx]'``); without it the command says
so and exits 2. A KRX or network failure exits 1 with nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from generator import fetching
from generator.commands.importer import print_report
from generator.errors import UsageError
from generator.importing.readers import parse_date, parse_ticker


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fetch",
        help="fetch index, investor-flow and stock data from KRX (needs pykrx)",
        description="Fetch daily index OHLCV, investor net buying by type and the tracked stocks' OHLCV "
        "from KRX through pykrx, and merge them into content/data/ like 'import krx'. See docs/importing.md.",
    )
    parser.add_argument("--since", required=True, help="first date to fetch (YYYY-MM-DD)")
    parser.add_argument("--until", help="last date to fetch (default: today in Seoul)")
    parser.add_argument(
        "--index", action="append", choices=list(fetching.INDEX_CODES), help="index to fetch (repeatable; default KOSPI)"
    )
    parser.add_argument(
        "--market", action="append", choices=list(fetching.MARKETS), help="market of investor flows (repeatable; default KOSPI)"
    )
    parser.add_argument("--ticker", action="append", help="stock to fetch (repeatable; default: the stocks in stocks.csv)")
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--revise", action="store_true", help="replace stored values that differ (reported as revised)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        since = parse_date(args.since)
        until = parse_date(args.until) if args.until else dt.datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()
        tickers = tuple(parse_ticker(t) for t in args.ticker) if args.ticker else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    client = fetching.load_client()
    try:
        report = fetching.fetch(
            client,
            since,
            until,
            args.content / "data",
            indices=tuple(args.index or ("KOSPI",)),
            markets=tuple(args.market or ("KOSPI",)),
            tickers=tickers,
            revise=args.revise,
            dry_run=args.dry_run,
        )
    except fetching.FetchError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"kospi-report fetch: {exc}; nothing was written", markup=False
        )
        return 1
    return print_report(report)
