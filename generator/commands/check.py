"""``kospi-report check``: validate all content without building, listing every problem at once."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from rich.console import Console
from rich.text import Text

from generator.build import load_dataset
from generator.calendar_checks import calendar_problems
from generator.errors import ContentError, Problem, problem_count

EPILOG = """\
Every problem is printed as path:line: column: message (lines as an editor counts them, the
CSV header being line 1). Besides the data contract, the data is compared with the KRX trading
calendar: a trading day missing from a daily series, a row dated on an exchange holiday or a
weekend, and a series older than its usual lag at the latest report day (margin loans 2 trading
days, stock lending 2, the rest 0) are warnings; --strict makes them errors.

exit codes: 0 no errors (warnings allowed unless --strict), 1 content problems, 2 usage.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="validate the content without building",
        description="Validate all content (data, commentary, pages, settings) without building the site.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    p.add_argument("--strict", action="store_true", help="treat warnings (calendar, unknown settings) as errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    try:
        data = load_dataset(args.content)
        problems = sorted(data.warnings + calendar_problems(data, args.content), key=_order)
    except ContentError as exc:
        _print(out, exc.problems, strict=args.strict)
        errors = problem_count([p for p in exc.problems if p.severity == "error" or args.strict])
        warnings = problem_count(exc.problems) - errors
        out.print(
            f"[bold red]FAILED[/]: {_count(errors, 'error')}{', ' + _count(warnings, 'warning') if warnings else ''} "
            f"in {args.content}. The calendar checks run once these are fixed."
        )
        return 1
    _print(out, problems, strict=args.strict)
    days = data.trading_days
    summary = (
        f"{len(days)} trading days {days[0]} to {days[-1]}, {_count(len(data.commentary), 'commentary', 'commentaries')}, "
        f"{_count(len(data.pages), 'page')}"
        if days
        else "no trading days"
    )
    if problems and args.strict:
        out.print(f"[bold red]FAILED[/] (--strict): {_count(problem_count(problems), 'warning')} in {args.content} ({summary}).")
        return 1
    tail = f", {_count(problem_count(problems), 'warning')}" if problems else ", no warnings"
    out.print(f"[bold green]OK[/]: {args.content} is valid ({summary}){tail}.")
    return 0


def _print(out: Console, problems: list[Problem], *, strict: bool) -> None:
    for problem in problems:
        if strict and problem.severity == "warning":
            problem = dataclasses.replace(problem, severity="error")
        style = "yellow" if problem.severity == "warning" else "red"
        out.print(Text(str(problem), style=style))


def _order(p: Problem) -> tuple:
    return (p.path, p.line if p.line is not None else 1 << 30, p.column or "", p.message)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
