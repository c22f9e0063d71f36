"""``kospi-report update``: the day's run in one command — fetch, check, build, deploy.

Meant for a scheduler (cron, a CI workflow): it fetches every configured source since the last
stored day, checks the content, builds the site and, when a destination is given, publishes
it; then prints one line saying what happened. Each step runs only if the one before it
succeeded, so a failed fetch or a content problem never reaches the published site.

exit codes (for the scheduler to act on):
  0  done (also when there was no trading day to fetch or nothing changed)
  1  content problems or conflicting figures: an editor must look
  2  usage or credentials missing/refused: fix the set-up
  3  a source was unavailable (outage, rate limit, empty answer): try again later
  4  the site was built but could not be published: the destination is unchanged
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from generator import sources
from generator.build import build
from generator.commands.deploy import add_deploy_arguments
from generator.commands.fetch import add_source_arguments, fetch_from_args, report_source_error, source_lines
from generator.deploy import DeployError, deploy
from generator.errors import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_SOURCE, EXIT_DEPLOY = 0, 1, 2, 3, 4


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "update",
        help="fetch the latest figures, check, build and deploy: the day's run in one command",
        description="Fetch every configured source since the last stored day, check the content, build the "
        "site and publish it (with --git or --rsync). Prints one summary line. See docs/editors-guide.md "
        "for a cron line and a scheduled CI workflow.",
        epilog=__doc__.split("exit codes", 1)[1].join(("exit codes", "")),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_source_arguments(parser)
    parser.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    parser.add_argument("--strict", action="store_true", help="treat warnings (e.g. stale series) as errors")
    add_deploy_arguments(parser, required=False)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        fetched = fetch_from_args(args)
    except sources.SourceError as exc:
        return report_source_error("update", exc)
    for line in source_lines(fetched):
        err.print(line, markup=False)
    conflicts = fetched.report.problems()
    if conflicts:
        for problem in conflicts:
            err.print(str(problem), markup=False)
        out.print(f"update: stopped, {len(conflicts)} fetched figure(s) differ from the stored ones; "
                  "check them and run 'kospi-report fetch --revise' to accept them", markup=False)
        return EXIT_CONTENT
    try:
        built = build(args.content, args.out, strict=args.strict)
    except ContentError:
        raise  # the CLI lists every problem and exits 1; nothing was published
    for warning in built.warnings:
        err.print(str(warning), markup=False)
    parts = [_fetched(fetched)]
    parts.append("site up to date" if built.up_to_date else f"built {built.reports} reports ({built.rendered} rendered)"
                 + (f", {len(built.revisions)} revised" if built.revisions else ""))
    code = EXIT_OK
    if args.git or args.rsync:
        try:
            deployed = deploy(args.out, git=args.git, branch=args.branch, rsync=args.rsync, ssh=args.ssh)
            parts.append(deployed.summary())
        except DeployError as exc:
            parts.append(f"NOT deployed: {exc}")
            code = EXIT_DEPLOY
    out.print("update: " + "; ".join(parts), markup=False)
    return code


def _fetched(result) -> str:
    added = sum(f.added for f in result.report.files.values())
    revised = len(result.report.revised)
    days = [r.last for r in result.runs if r.last]
    text = f"fetched {added} new row(s)" + (f", {revised} revised" if revised else "")
    if days:
        text += f" up to {max(days)}"
    elif result.runs:
        text += f" ({result.runs[0].note})"
    if result.provisional:
        text += f", {len(result.provisional)} provisional"
    return text
