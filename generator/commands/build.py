"""``kospi-report build``: build the site from the content folder.

Prints a progress bar on long builds (when the terminal is interactive), any warnings, every
revision of a published day, and a one-line summary: pages rendered and carried over, files
written and unchanged, time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from generator.build import BuildResult, build


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the static site",
        description="Build the static site from the content folder. Unchanged pages are carried over; "
        "a build with nothing changed does nothing.",
    )
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    p.add_argument("--force", action="store_true", help="render every page even if its inputs are unchanged")
    p.add_argument("--strict", action="store_true", help="treat warnings (e.g. stale series) as errors")
    p.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even though a data series loses all, or more than 10%%, of its published days",
    )
    p.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="worker processes for pages and chart images (default: one per core, or $KOSPI_REPORT_JOBS; 1: no workers)",
    )
    p.set_defaults(func=run)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number such as 2, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, not {value}")
    return value


def run(args: argparse.Namespace) -> int:
    # soft_wrap: the summary stays one line in logs and pipes, whatever the width.
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False, soft_wrap=True)
    if err.is_terminal:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
        ) as bar:
            task = bar.add_task("building", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=stage, completed=done, total=total)

            result = build(
                args.content, args.out, force=args.force, strict=args.strict, progress=progress, jobs=args.jobs,
                allow_shrink=args.allow_shrink,
            )
    else:
        result = build(
            args.content, args.out, force=args.force, strict=args.strict, jobs=args.jobs, allow_shrink=args.allow_shrink
        )
    for warning in result.warnings:
        err.print(str(warning), markup=False)
    for rev in result.revisions:
        err.print(
            f"revised {rev.date}: {len(rev.changes)} published figure(s) changed "
            f"(e.g. {rev.changes[0].field}: {rev.changes[0].old} → {rev.changes[0].new}); "
            f"earlier version kept as {rev.kept_path}",
            markup=False,
        )
    out.print(summary(result, args.out), markup=False)
    return 0


def summary(result: BuildResult, out: Path) -> str:
    """One line: what the build did and how long it took."""
    if result.up_to_date:
        return f"{out} is up to date: nothing changed since the last build ({result.seconds:.2f} s)"
    text = (
        f"Built {result.reports} reports into {out}: {result.rendered} rendered, {result.reused} unchanged; "
        f"{result.written} files written, {result.unchanged} kept, {result.removed} removed"
    )
    if result.revisions:
        text += f"; {len(result.revisions)} revised"
    return text + f" in {result.seconds:.1f} s"

