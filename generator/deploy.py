"""Publish a built site: to a git branch, or to an rsync destination.

**Git branch** (what GitHub Pages, Cloudflare Pages and Netlify publish from): the site
folder becomes one commit on top of the branch's last one, made with git's plumbing in a
scratch repository (``add`` into a private index, ``write-tree``, ``commit-tree``), then
pushed. The push moves the branch in one step, so readers see the old site or the new one,
never a mix; git sends only the objects the destination lacks, i.e. the changed files. An
unchanged site makes no commit.

**rsync** (a web server's folder, locally or over ssh): ``--checksum`` compares contents, not
times, so only changed files are sent; ``--delay-updates`` puts every updated file in place
at the end of the transfer and ``--delete-after`` removes old files only after that, so a
transfer that fails part-way leaves the published files as they were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError, UsageError

AUTHOR = ("kospi-report", "kospi-report@localhost")


class DeployError(BuildError):
    """The site was built but could not be published; the destination is unchanged."""


@dataclass
class Deployed:
    target: str
    changed: list[str] = field(default_factory=list)  # site paths sent (added or changed)
    deleted: list[str] = field(default_factory=list)
    commit: str | None = None

    def summary(self) -> str:
        if not self.changed and not self.deleted:
            return f"{self.target} already had this site: nothing sent"
        what = f"{len(self.changed)} file(s) sent, {len(self.deleted)} deleted"
        return f"deployed to {self.target}: {what}" + (f" (commit {self.commit[:10]})" if self.commit else "")


def _check_site(site: Path) -> None:
    if not (site / "index.html").is_file():
        raise UsageError(f"{site} is not a built site (no index.html): run 'kospi-report build' first")


def _run(args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, what: str) -> str:
    try:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError(f"{args[0]} is not installed; it is needed to {what}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise DeployError(f"could not {what}: {detail[-1] if detail else f'{args[0]} exited {done.returncode}'}")
    return done.stdout


# --- git ----------------------------------------------------------------------------------------


def _remote_url(remote: str) -> str:
    """A local path as a file:// URL (so a shallow fetch works); anything else unchanged."""
    path = Path(remote).expanduser()
    if "://" not in remote and ":" not in remote.split("/", 1)[0] and path.exists():
        return path.resolve().as_uri()
    return remote


def deploy_git(site: Path, remote: str, branch: str = "gh-pages", message: str | None = None) -> Deployed:
    """Commit ``site`` as the new tip of ``branch`` in ``remote`` (a URL or a local repository)."""
    _check_site(site)
    url = _remote_url(remote)
    with tempfile.TemporaryDirectory(prefix="kospi-deploy-") as scratch:
        git_dir = Path(scratch) / "repo.git"
        env = {**os.environ, "GIT_DIR": str(git_dir), "GIT_INDEX_FILE": str(Path(scratch) / "index"), "GIT_TERMINAL_PROMPT": "0"}
        env.setdefault("GIT_AUTHOR_NAME", AUTHOR[0])
        env.setdefault("GIT_AUTHOR_EMAIL", AUTHOR[1])
        env.setdefault("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
        env.setdefault("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
        git = ["git", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false"]
        _run([*git, "init", "--quiet", "--bare", str(git_dir)], env=env, what="create a scratch repository")
        heads = _run([*git, "ls-remote", "--heads", url, branch], env=env, what=f"reach {remote}")
        parent = None
        if heads.strip():
            _run([*git, "fetch", "--quiet", "--depth=1", url, f"refs/heads/{branch}"], env=env, what=f"fetch {branch} from {remote}")
            parent = _run([*git, "rev-parse", "FETCH_HEAD"], env=env, what="read the fetched branch").strip()
        _run([*git, "--work-tree", str(site), "add", "--all", "--force", "."], env=env, what="stage the site")
        tree = _run([*git, "write-tree"], env=env, what="record the site").strip()
        if parent:
            parent_tree = _run([*git, "rev-parse", f"{parent}^{{tree}}"], env=env, what="read the published tree").strip()
            if parent_tree == tree:
                return Deployed(f"{remote} {branch}")
        diff = _diff(git, env, parent, tree)
        msg = message or f"Publish the site ({len(diff[0])} changed, {len(diff[1])} deleted)"
        commit = _run([*git, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", msg], env=env, what="commit the site").strip()
        _run([*git, "push", "--quiet", url, f"{commit}:refs/heads/{branch}"], env=env, what=f"push to {remote} {branch}")
        return Deployed(f"{remote} {branch}", diff[0], diff[1], commit)


def _diff(git: list[str], env: dict[str, str], parent: str | None, tree: str) -> tuple[list[str], list[str]]:
    if parent is None:
        names = _run([*git, "ls-tree", "-r", "-z", "--name-only", tree], env=env, what="list the site").split("\0")
        return [n for n in names if n], []
    out = _run([*git, "diff-tree", "-r", "-z", "--no-renames", "--name-status", parent, tree], env=env, what="compare with the published site")
    fields = out.split("\0")
    changed: list[str] = []
    deleted: list[str] = []
    for status, name in zip(fields[0::2], fields[1::2], strict=False):
        if name:
            (deleted if status == "D" else changed).append(name)
    return changed, deleted


# --- rsync --------------------------------------------------------------------------------------


def deploy_rsync(site: Path, destination: str, *, ssh: str | None = None) -> Deployed:
    """Mirror ``site`` into ``destination`` (a folder, or ``host:folder`` over ssh)."""
    _check_site(site)
    if shutil.which("rsync") is None:
        raise UsageError("rsync is not installed: install it (apt-get install rsync) or deploy to a git branch")
    args = ["rsync", "--recursive", "--links", "--perms", "--times", "--checksum", "--delete-after", "--delay-updates"]
    args += ["--itemize-changes", "--out-format=%i %n", "--8-bit-output"]
    if ssh:
        args += ["-e", ssh]
    target = destination if destination.endswith("/") else destination + "/"
    if ":" not in destination.split("/", 1)[0]:
        Path(destination).mkdir(parents=True, exist_ok=True)
    out = _run([*args, f"{site}/", target], what=f"copy the site to {destination}")
    changed: list[str] = []
    deleted: list[str] = []
    for line in out.splitlines():
        flags, _, name = line.partition(" ")
        if flags.startswith("*deleting"):
            deleted.append(name.strip())
        elif len(flags) >= 2 and flags[0] in "<>c" and flags[1] == "f":
            changed.append(name)
    return Deployed(destination, changed, deleted)


def deploy(site: Path, *, git: str | None = None, branch: str = "gh-pages", rsync: str | None = None, ssh: str | None = None) -> Deployed:
    if git and not rsync:
        return deploy_git(site, git, branch)
    if rsync and not git:
        return deploy_rsync(site, rsync, ssh=ssh)
    raise UsageError("deploy to one destination: --git REPOSITORY or --rsync DESTINATION")
