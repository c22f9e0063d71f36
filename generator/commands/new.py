"""``kospi-report new``: start the commentary for a trading day, with the day's lede written from the data."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from generator.build import build_time, load_dataset
from generator.errors import ContentError
from generator.scaffold import commentary_path, latest_day, require_day, scaffold, write_new

EPILOG = """\
The file gets front matter (title, summary, author from site.toml, published in Seoul time) and
the day's data-written lede as its first paragraph, ready to edit.

examples:
  kospi-report new                 the latest trading day in the data
  kospi-report new 2026-01-07      a given day
  kospi-report new 2026-01-07 --force   start that day's file over

exit codes: 0 created, 1 the file exists (without --force), the day has no data or the
content has problems, 2 usage (e.g. a malformed date).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new",
        help="start the commentary for a trading day",
        description="Create content/commentary/DATE.md with front matter and the day's data-written lede.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "date", nargs="?", type=_date, metavar="DATE", help="the trading day, YYYY-MM-DD (default: the latest in the data)"
    )
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    p.add_argument("--force", action="store_true", help="replace the file if it already exists")
    p.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad(text)
    except ValueError:
        return _bad(text)


def _bad(text: str) -> dt.date:
    raise argparse.ArgumentTypeError(f"{text!r} is not a date, expected YYYY-MM-DD such as 2026-01-07")


def run(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        data = load_dataset(args.content)
        day = args.date or latest_day(data)
        require_day(data, args.content, day)
        path = commentary_path(args.content, day)
        if path.exists() and not args.force:
            raise ContentError.single(path, None, None, "already exists; use --force to replace it")
        write_new(path, scaffold(data, day, build_time()), force=args.force)
    except ContentError as exc:
        for problem in exc.problems:
            err.print(Text(str(problem), style="red"))
        err.print("[bold red]No file was written.[/]")
        return 1
    out.print(f"Created [bold]{escape(str(path))}[/] for {day:%A, %B} {day.day}, {day.year}, starting with the day's lede.")
    out.print("Edit it, then preview with [bold]kospi-report serve[/] and publish with [bold]kospi-report build[/].")
    return 0
