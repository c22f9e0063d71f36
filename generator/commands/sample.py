"""``kospi-report sample``: write the synthetic sample data.

With the defaults it regenerates the bundled sample in ``content/data`` byte for byte, so
the committed CSVs can always be reproduced (and a test checks that they are).
``--no-anchors`` with other dates and ``--stocks`` makes long random histories for trying
the site or measuring the build.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from rich.console import Console

from generator.errors import UsageError
from generator.sample import DEFAULT_END, DEFAULT_SEED, DEFAULT_START, DEFAULT_STOCKS, generate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sample`` parser; its ``func`` is :func:`run`."""
    parser = subparsers.add_parser(
        "sample",
        help="write synthetic sample data (the bundled sample by default)",
        description=(
            "Write the seven CSV files of the data contract with synthetic data. The defaults "
            "reproduce the bundled sample, which also holds the figures reported on 7 January 2026."
        ),
    )
    parser.add_argument("--out", type=Path, default=Path("content/data"), metavar="DIR",
                        help="folder to write the CSV files to (default: content/data)")
    parser.add_argument("--start", default=DEFAULT_START, metavar="YYYY-MM-DD",
                        help=f"first day (default: {DEFAULT_START})")
    parser.add_argument("--end", default=DEFAULT_END, metavar="YYYY-MM-DD",
                        help=f"last day (default: {DEFAULT_END})")
    parser.add_argument("--stocks", type=int, default=DEFAULT_STOCKS, metavar="N",
                        help=f"number of stocks; beyond the 12 named ones they are generated (default: {DEFAULT_STOCKS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="N",
                        help=f"random seed (default: {DEFAULT_SEED})")
    parser.add_argument("--no-anchors", dest="anchors", action="store_false",
                        help="a plain random history without the reported figures")
    parser.set_defaults(func=run)


def _iso_date(text: str, option: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date like 2026-01-07") from None


def run(args: argparse.Namespace) -> int:
    """Generate the sample as asked; a bad date range or stock count is a usage error."""
    start, end = _iso_date(args.start, "--start"), _iso_date(args.end, "--end")
    if args.stocks < 1:
        raise UsageError("--stocks must be at least 1")
    try:
        generate(args.out, start=start, end=end, n_stocks=args.stocks, seed=args.seed, anchors=args.anchors)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    Console(highlight=False).print(
        f"wrote sample data to {args.out} ({start} to {end}, {args.stocks} stocks, seed {args.seed})", markup=False
    )
    return 0
