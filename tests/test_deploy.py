"""``deploy`` for real: git into a bare repository on this machine, rsync into a local folder
(and over ssh to 127.0.0.1 when an ssh server runs here). Every file must arrive byte for
byte, and a second deploy must send only what changed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.deploy import DeployError, deploy_git, deploy_rsync


def make_site(root: Path) -> Path:
    site = root / "site"
    files = {
        "index.html": "<!doctype html><title>KOSPI Report</title>",
        "2026/01/07/index.html": "<p>KOSPI closed at 4,551.06</p>",
        "assets/site.css": "body{margin:0}",
        "data/snapshots/2026-01-07.json": '{"close": 4551.06}',
        "경로/한글.txt": "한글 파일",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "assets" / "chart.png").write_bytes(bytes(range(256)) * 16)
    return site


def tree(folder: Path, skip: tuple[str, ...] = (".git",)) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part in skip for part in p.relative_to(folder).parts)
    }


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def change_site(site: Path) -> None:
    (site / "2026/01/07/index.html").write_text("<p>KOSPI closed at 4,551.06 (revised)</p>", encoding="utf-8")
    (site / "2026/01/08").mkdir(parents=True)
    (site / "2026/01/08/index.html").write_text("<p>KOSPI closed at 4,552.37</p>", encoding="utf-8")
    (site / "assets/site.css").unlink()


# --- git -----------------------------------------------------------------------------------


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    repo = tmp_path / "published.git"
    git("init", "--quiet", "--bare", str(repo))
    return repo


def checkout(bare: Path, branch: str, into: Path) -> Path:
    if into.exists():
        shutil.rmtree(into)
    git("clone", "--quiet", "--branch", branch, str(bare), str(into))
    return into


def test_git_deploy_publishes_the_site_byte_for_byte(tmp_path, bare):
    site = make_site(tmp_path)
    result = deploy_git(site, str(bare))
    assert sorted(result.changed) == sorted(tree(site)) and result.deleted == []
    assert tree(checkout(bare, "gh-pages", tmp_path / "clone")) == tree(site)
    assert git("rev-parse", "gh-pages", cwd=bare).strip() == result.commit


def test_second_git_deploy_sends_only_what_changed(tmp_path, bare):
    site = make_site(tmp_path)
    first = deploy_git(site, str(bare))
    change_site(site)
    second = deploy_git(site, str(bare))
    assert sorted(second.changed) == ["2026/01/07/index.html", "2026/01/08/index.html"]
    assert second.deleted == ["assets/site.css"]
    assert git("rev-parse", f"{second.commit}^", cwd=bare).strip() == first.commit
    # The objects the push added: the two new pages and the folders above them, and the commit.
    new = git("rev-list", "--objects", f"{first.commit}..{second.commit}", cwd=bare).split("\n")
    blobs = {line.split(" ", 1)[1] for line in new if " " in line and git("cat-file", "-t", line.split()[0], cwd=bare).strip() == "blob"}
    assert blobs == {"2026/01/07/index.html", "2026/01/08/index.html"}
    assert tree(checkout(bare, "gh-pages", tmp_path / "clone")) == tree(site)


def test_unchanged_site_makes_no_commit(tmp_path, bare):
    site = make_site(tmp_path)
    first = deploy_git(site, str(bare))
    again = deploy_git(site, str(bare))
    assert again.commit is None and again.changed == [] and "nothing sent" in again.summary()
    assert git("rev-parse", "gh-pages", cwd=bare).strip() == first.commit


def test_git_deploy_keeps_the_other_branches(tmp_path, bare):
    work = tmp_path / "work"
    git("init", "--quiet", "-b", "main", str(work))
    (work / "README.md").write_text("source\n", encoding="utf-8")
    git("add", ".", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "source", cwd=work)
    git("push", "--quiet", str(bare), "main", cwd=work)
    main_before = git("rev-parse", "main", cwd=bare)
    deploy_git(make_site(tmp_path), str(bare), branch="pages")
    assert git("rev-parse", "main", cwd=bare) == main_before
    assert "index.html" in git("ls-tree", "--name-only", "pages", cwd=bare)


def test_git_deploy_to_nowhere_is_an_error_and_changes_nothing(tmp_path):
    with pytest.raises(DeployError, match="could not reach"):
        deploy_git(make_site(tmp_path), str(tmp_path / "no-such-repo.git"))


def test_deploy_refuses_a_folder_that_is_not_a_built_site(tmp_path, bare, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["deploy", "--out", str(tmp_path / "empty"), "--git", str(bare)]) == 2
    assert "not a built site" in capsys.readouterr().err


# --- rsync ---------------------------------------------------------------------------------


needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (make test installs it)")


@needs_rsync
def test_rsync_deploy_copies_byte_for_byte_then_only_changes(tmp_path):
    site, dest = make_site(tmp_path), tmp_path / "www"
    first = deploy_rsync(site, str(dest))
    assert sorted(first.changed) == sorted(tree(site)) and tree(dest) == tree(site)
    for path in site.rglob("*"):  # new times, same bytes: --checksum sends none of them
        os.utime(path, (1_900_000_000, 1_900_000_000))
    change_site(site)
    second = deploy_rsync(site, str(dest))
    assert sorted(second.changed) == ["2026/01/07/index.html", "2026/01/08/index.html"]
    assert second.deleted == ["assets/site.css"]
    assert tree(dest) == tree(site)
    assert deploy_rsync(site, str(dest)).changed == []


@needs_rsync
def test_cli_deploy_rsync_prints_one_line(tmp_path, capsys):
    site = make_site(tmp_path)
    assert main(["deploy", "--out", str(site), "--rsync", str(tmp_path / "www")]) == 0
    assert capsys.readouterr().out.strip() == f"deployed to {tmp_path / 'www'}: 6 file(s) sent, 0 deleted"


def _sshd_on_localhost() -> bool:
    if shutil.which("ssh") is None or shutil.which("rsync") is None:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 22), timeout=0.5):
            pass
    except OSError:
        return False
    probe = subprocess.run(["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout=3", "127.0.0.1", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _sshd_on_localhost(), reason="no ssh server accepting this user's key on 127.0.0.1")
def test_rsync_over_ssh_to_localhost(tmp_path):
    site, dest = make_site(tmp_path), tmp_path / "remote-www"
    deploy_rsync(site, f"127.0.0.1:{dest}", ssh="ssh -o BatchMode=yes -o StrictHostKeyChecking=no")
    assert tree(dest) == tree(site)
    change_site(site)
    second = deploy_rsync(site, f"127.0.0.1:{dest}", ssh="ssh -o BatchMode=yes -o StrictHostKeyChecking=no")
    assert sorted(second.changed) == ["2026/01/07/index.html", "2026/01/08/index.html"] and tree(dest) == tree(site)
