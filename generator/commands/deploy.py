"""``kospi-report deploy``: publish the built site to a git branch or an rsync destination.

exit codes: 0 published (or already published), 1 the destination refused or failed (it is
unchanged), 2 usage (no site, no destination, a tool missing).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from generator.deploy import DeployError, deploy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deploy",
        help="publish the built site to a git branch or an rsync destination",
        description="Publish the built site. --git makes one commit on a branch (gh-pages by default) of a "
        "repository and pushes it, as GitHub Pages, Cloudflare Pages and Netlify expect; --rsync mirrors it "
        "into a folder, locally or host:folder over ssh. Only changed files are sent, and readers never see "
        "a half-updated site. See docs/editors-guide.md.",
    )
    add_deploy_arguments(parser)
    parser.add_argument("--out", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.set_defaults(func=run)


def add_deploy_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--git", metavar="REPOSITORY", help="a git repository URL or path to push the site to")
    group.add_argument("--rsync", metavar="DESTINATION", help="a folder, or host:folder over ssh, to mirror the site into")
    parser.add_argument("--branch", default="gh-pages", help="branch for --git (default: gh-pages)")
    parser.add_argument("--ssh", metavar="COMMAND", help="remote shell for --rsync (e.g. 'ssh -p 2222')")


def run(args: argparse.Namespace) -> int:
    try:
        result = deploy(args.out, git=args.git, branch=args.branch, rsync=args.rsync, ssh=args.ssh)
    except DeployError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"kospi-report deploy: {exc}; the destination is unchanged", markup=False)
        return 1
    Console(highlight=False, soft_wrap=True).print(result.summary(), markup=False)
    return 0
