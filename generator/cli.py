"""The ``kospi-report`` command line: a thin shell over the library.

Each sub-command lives in ``generator/commands/<name>.py`` with ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed arguments and
returning an exit code. This module owns the terminal and the exit codes:
0 ok, 1 content problem, 2 usage. No traceback reaches an editor for a problem of theirs.
"""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from generator import __version__
from generator.commands import build, check, deploy, fetch, importer, new, sample, serve, update
from generator.errors import BuildError, ContentError, UsageError, problem_count

#: Sub-command modules, in the order ``--help`` lists them (a missing one is an import error).
COMMANDS = (build, check, new, serve, importer, fetch, update, deploy, sample)

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kospi-report",
        description="Build and publish a daily Korean stock-market report as a static site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.func(args) or EXIT_OK)
    except ContentError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False)
        n = problem_count(exc.problems)
        err.print(f"[bold red]{n} problem{'s' if n != 1 else ''} in the content; nothing was published.[/]")
        return EXIT_CONTENT
    except UsageError as exc:
        err.print(f"kospi-report: error: {exc}", markup=False)
        return EXIT_USAGE
    except BuildError as exc:
        err.print(f"kospi-report: build failed: {exc}", markup=False)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        err.print("interrupted; the published site is unchanged")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
