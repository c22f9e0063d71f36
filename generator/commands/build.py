"""``kospi-report build``: build the site from the content folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from generator.build import build


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the static site", description="Build the static site from the content folder.")
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = build(args.content, args.out)
    err = Console(stderr=True, highlight=False)
    for warning in result.warnings:
        err.print(str(warning), markup=False)
    Console(highlight=False).print(
        f"Built {result.reports} reports into {args.out}: {result.written} files written, "
        f"{result.unchanged} unchanged, {result.removed} removed, in {result.seconds:.1f} s"
    )
    return 0
