"""Reliability: the build never destroys a folder it did not make, never publishes a number
that cannot be right, and answers every mistake with a message instead of a traceback.

Each case of issue 17 runs against a real file system: real folders with an editor's files in
them, symlinks (aliases, dangling, loops), a FIFO, a socket, ``/dev/zero``, a tmpfs of a few MB
filled to the last byte and a read-only one (mounted when the tests run as root, which may
mount; otherwise a folder without write permission, or skipped), and ``serve`` over real
sockets. Every build that must fail is checked to leave the published site and the content
byte for byte as they were, with no staging folder or lock file left beside the site.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.cli import main
from generator.preview import PreviewServer
from generator.write import MARKER, build_lock

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
EPOCH = "1767830400"


# --------------------------------------------------------------------------- helpers


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a hash of each file's bytes, "dir" for folders, the target
    of each symlink (not followed), and the kind of special files."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "special"
    return out


def beside(out: Path) -> list[str]:
    """Staging folders and lock files a build left next to ``out``."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith((f".{out.name}.staging-", f".{out.name}.lock")))


def copy_content(dest: Path) -> Path:
    shutil.copytree(MINIMAL, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The CLI in this process: (exit code, everything it printed)."""
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def project(minimal_project: Path) -> Path:
    """A project folder: content/ and a published site/ built from it (a copy of the run's one
    build of the minimal content)."""
    return minimal_project


def failed_build(project: Path, capsys: pytest.CaptureFixture[str], *extra: str, out: Path | None = None) -> tuple[int, str]:
    """Build ``project`` expecting nothing to change: the site, the content and the folder
    around them are compared byte for byte before and after."""
    out = out or project / "site"
    before = tree(project.parent)
    code, text = run(["build", "--content", str(project / "content"), "--out", str(out), "--jobs", "1", *extra], capsys)
    assert code in (1, 2), text
    assert "Traceback" not in text
    assert tree(project.parent) == before, "a failed build changed files"
    return code, text


# --------------------------------------------------------------------------- data loss


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("content", "it is the content folder"),
        ("content/pages", "it is inside the content folder"),
        ("content/data", "it is inside the content folder"),
        (".", "it holds the content folder"),
    ],
)
def test_the_content_and_the_folders_around_it_are_never_the_output(
    project: Path, capsys: pytest.CaptureFixture[str], where: str, message: str
) -> None:
    code, text = failed_build(project, capsys, out=(project / where))
    assert code == 2
    assert f"refusing to build into {project / where}: {message}" in text


def test_a_folder_the_build_did_not_make_is_never_replaced(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    precious = project / "holiday"
    (precious / "photos").mkdir(parents=True)
    (precious / "precious.txt").write_text("keep me\n", encoding="utf-8")
    (precious / "photos" / "beach.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    code, text = failed_build(project, capsys, out=precious)
    assert code == 2
    assert "it holds files the build did not make (photos/, precious.txt)" in text


def test_the_current_folder_is_never_the_output(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    work = project / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.chdir(work)
    for out in (".", str(work)):
        code, text = failed_build(project, capsys, out=Path(out))
        assert code == 2 and "it is the current folder" in text, text
    monkeypatch.chdir(project / "content" / "data")
    code, text = failed_build(project, capsys, out=Path("../.."))
    assert code == 2 and "it holds the current folder" in text


def test_root_and_home_are_never_the_output(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, text = failed_build(project, capsys, out=Path("/"))
    assert code == 2 and "refusing to build into /: it is the root of the file system" in text
    home = project.parent / "home"
    (home / "me").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home / "me"))
    code, text = failed_build(project, capsys, out=home / "me")
    assert code == 2 and "it is your home folder" in text
    code, text = failed_build(project, capsys, out=home)
    assert code == 2 and "it holds your home folder" in text


def test_out_dot_and_out_root_print_one_message_in_a_real_process(project: Path) -> None:
    for out in (".", "/"):
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--content", str(project / "content"), "--out", out],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "COLUMNS": "300"},
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("kospi-report: error: refusing to build into")


def test_new_empty_own_and_legacy_folders_are_built_into(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = str(project / "content")
    empty = project / "empty"
    empty.mkdir()
    assert run(["build", "--content", content, "--out", str(empty), "--jobs", "1"], capsys)[0] == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    # a site published before the marker existed: recognised by its manifest and build state
    (project / "site" / MARKER).unlink()
    edit(project / "content" / "commentary" / "2026-01-07.md", "led by", "led once more by")
    assert run(["build", "--content", content, "--out", str(project / "site"), "--jobs", "1"], capsys)[0] == 0
    assert (project / "site" / MARKER).is_file()


def test_serve_refuses_an_output_folder_holding_the_content(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project.parent)
    code, text = run(["serve", "--content", str(project / "content"), "--out", str(project), "--port", "0"], capsys)
    assert code == 2 and "it holds the content folder" in text
    assert tree(project.parent) == before


def test_a_symlinked_alias_shares_the_lock(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alias = project.parent / "alias"
    alias.symlink_to(project / "site")
    edit(project / "content" / "commentary" / "2026-01-07.md", "led by", "led this time by")
    with build_lock(project / "site"):
        code, text = failed_build(project, capsys, out=alias)
    assert code == 1 and f"another build is writing {project / 'site'} right now" in text
    # Once the lock is free, the alias builds the real folder and stays a symlink to it.
    assert run(["build", "--content", str(project / "content"), "--out", str(alias), "--jobs", "1"], capsys)[0] == 0
    assert alias.is_symlink() and (project / "site" / MARKER).is_file()
    assert "led this time by" in (project / "site" / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    assert beside(project / "site") == []


def test_a_finished_build_leaves_no_lock_file(project: Path) -> None:
    assert beside(project / "site") == []


# --------------------------------------------------------------------------- real file systems


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(f"/tmp/.kospi-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], check=True)
        return ok
    finally:
        probe.rmdir()


CAN_MOUNT = _can_mount()
needs_mount = pytest.mark.skipif(not CAN_MOUNT, reason="mounting a tmpfs needs root and a kernel that allows it")


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` for the block."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave: int = 16 * 1024) -> None:
    """Fill ``disk`` until ``leave`` bytes are free."""
    with open(disk / "filler", "wb") as handle:
        while True:
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            if free <= leave:
                break
            try:
                handle.write(b"\0" * min(1 << 20, free - leave))
                handle.flush()
            except OSError:
                break


@needs_mount
def test_an_empty_mount_point_is_not_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_content(tmp_path / "content")
    with tmpfs(tmp_path / "mnt", "4m") as mnt:
        code, text = run(["build", "--content", str(content), "--out", str(mnt), "--jobs", "1"], capsys)
        assert code == 2, text
        assert "it is a mount point (build into a folder inside it)" in text
        assert list(mnt.iterdir()) == []


@needs_mount
def test_a_tiny_file_system_ends_in_a_message_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_content(tmp_path / "content")
    with tmpfs(tmp_path / "mnt", "512k") as mnt:
        code, text = run(["build", "--content", str(content), "--out", str(mnt / "site"), "--jobs", "1"], capsys)
        assert code == 1, text
        assert "Traceback" not in text
        assert f"kospi-report: build failed: cannot write the site to {mnt / 'site'}: the disk is full" in text
        assert list(mnt.iterdir()) == [], "no site, staging folder or lock file is left"


@needs_mount
def test_a_full_disk_leaves_the_published_site_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = copy_content(tmp_path / "content")
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        out = mnt / "site"
        assert run(["build", "--content", str(content), "--out", str(out), "--jobs", "1"], capsys)[0] == 0
        edit(content / "commentary" / "2026-01-07.md", "led by", "led, the disk being full, by")
        (content / "pages" / "big.md").write_text("---\ntitle: Big\n---\n" + "A long page. " * 20000, encoding="utf-8")
        fill(mnt)
        before = tree(out)
        code, text = run(["build", "--content", str(content), "--out", str(out), "--jobs", "1"], capsys)
        assert code == 1, text
        assert "the disk is full" in text and "nothing was published, the published site is unchanged" in text
        assert tree(out) == before
        assert beside(out) == []
        (mnt / "filler").unlink()
        assert run(["build", "--content", str(content), "--out", str(out), "--jobs", "1"], capsys)[0] == 0
        assert (out / "big" / "index.html").is_file()


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """``folder`` made read-only: a read-only tmpfs when mounting is possible (root ignores
    permissions), else a folder without write permission. Yields the reason a write fails."""
    if CAN_MOUNT:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield "the file system is read-only"
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
    elif os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield "permission denied"
        finally:
            folder.chmod(0o755)
    else:
        pytest.skip("as root without mount, permissions cannot make a folder read-only")


def test_a_read_only_output_folder_ends_in_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = copy_content(tmp_path / "content")
    holder = tmp_path / "mnt"
    mount = tmpfs(holder, "16m") if CAN_MOUNT else _plain(holder)
    with mount:
        out = holder / "site"
        assert run(["build", "--content", str(content), "--out", str(out), "--jobs", "1"], capsys)[0] == 0
        edit(content / "commentary" / "2026-01-07.md", "led by", "led, read-only, by")
        before = tree(holder)
        with read_only(holder) as reason:
            code, text = run(["build", "--content", str(content), "--out", str(out), "--jobs", "1"], capsys)
            assert code == 1, text
            assert f"cannot write the site to {out}: {reason}" in text and "Traceback" not in text
            assert tree(holder) == before
        assert beside(out) == []


@contextmanager
def _plain(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    yield folder


# --------------------------------------------------------------------------- impossible numbers


@pytest.mark.parametrize(
    ("file", "prefix", "line", "message"),
    [
        ("fx.csv", "2026-01-06,", '2026-01-06,"1.443,00"', "fx.csv:3: usdkrw: '1.443,00' has a decimal comma, expected a decimal point"),
        (
            "index_daily.csv",
            "2026-01-08,KOSPI,",
            '2026-01-08,KOSPI,"4.566,34",4470.00,4400.00,4420.50,390000000,8900000000000',
            "index_daily.csv:8: open: '4.566,34' has a decimal comma, expected a decimal point such as 1443.00 "
            "(a comma may only group thousands, as in 1,443.00)",
        ),
        ("fx.csv", "2026-01-06,", '2026-01-06,"1445,5"', "fx.csv:3: usdkrw: '1445,5' has a decimal comma"),
        ("fx.csv", "2026-01-06,", "2026-01-06,0", "fx.csv:3: usdkrw: '0' is not above zero, expected a positive number"),
        (
            "stock_prices.csv",
            "2026-01-05,005930,",
            "2026-01-05,005930,0,0,0,0,20000000",
            "stock_prices.csv:2: close: '0' is not above zero, expected a positive number",
        ),
        ("margin_loans.csv", "2026-01-05,KOSPI,", "2026-01-05,KOSPI,-0", "margin_loans.csv:2: balance: '-0' is a negative zero, expected zero or more (write 0)"),
        ("stock_lending.csv", "2026-01-05,005930,", "2026-01-05,005930,-0.00", "stock_lending.csv:2: balance: '-0.00' is a negative zero"),
        (
            "index_daily.csv",
            "2026-01-08,KOSPI,",
            "2026-01-08,KOSPI,1e300,1e300,1e300,1e300,390000000,8900000000000",
            "index_daily.csv:8: close: '1e300' is too large to be right, expected at most 1,000,000,000,000",
        ),
        (
            "investor_flows.csv",
            "2026-01-05,KOSPI,individuals,",
            "2026-01-05,KOSPI,individuals,9e307",
            "investor_flows.csv:2: net_buy: '9e307' is too large to be right, expected at most 10,000,000,000,000,000",
        ),
    ],
    ids=["decimal comma fx", "decimal comma open", "bare decimal comma", "zero fx", "zero price", "-0 margin", "-0.00 lending", "1e300 prices", "9e307 flow"],
)
def test_impossible_numbers_are_refused(project: Path, capsys: pytest.CaptureFixture[str], file: str, prefix: str, line: str, message: str) -> None:
    path = project / "content" / "data" / file
    lines = path.read_text(encoding="utf-8").splitlines(True)
    at = next(n for n, x in enumerate(lines) if x.startswith(prefix))
    lines[at] = line + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    code, out = failed_build(project, capsys)
    assert code == 1
    assert message in out.replace(str(project / "content" / "data") + os.sep, ""), out


def test_thousands_separators_are_still_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / "content" / "data" / "fx.csv", "2026-01-06,1445.00", '2026-01-06,"1,445.00"')
    code, text = run(["build", "--content", str(project / "content"), "--out", str(project / "site"), "--jobs", "1"], capsys)
    assert code == 0, text
    assert "revised" not in text  # the same 1445 as before


def test_a_file_cut_to_its_header_is_refused_unless_allowed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fx = project / "content" / "data" / "fx.csv"
    fx.write_text("date,usdkrw\n", encoding="utf-8")
    code, text = failed_build(project, capsys)
    assert code == 1
    assert (
        f"{fx}: this build would remove all 4 published days (2026-01-05 to 2026-01-08) from the site, expected at most 10% "
        "of a series to go: restore the rows, or build with --allow-shrink if they are meant to go"
    ) in text
    code, text = run(["build", "--content", str(project / "content"), "--out", str(project / "site"), "--jobs", "1", "--allow-shrink"], capsys)
    assert code == 0, text


def test_dropping_one_index_is_refused_and_one_wrong_day_is_not(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = project / "content" / "data" / "index_daily.csv"
    original = index.read_text(encoding="utf-8")
    index.write_text("".join(line for line in original.splitlines(True) if ",KOSDAQ," not in line), encoding="utf-8")
    code, text = failed_build(project, capsys)
    assert code == 1 and f"{index}: index: this build would remove all 4 published KOSDAQ days" in text
    # One day taken out of four (a holiday entered by mistake) is a correction, not an accident.
    index.write_text("".join(line for line in original.splitlines(True) if not line.startswith("2026-01-05,KOSDAQ")), encoding="utf-8")
    code, text = run(["build", "--content", str(project / "content"), "--out", str(project / "site"), "--jobs", "1"], capsys)
    assert code == 0, text


def test_a_site_published_before_the_record_is_guarded_by_its_snapshots(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "site" / ".published-days.json").unlink()
    index = project / "content" / "data" / "index_daily.csv"
    lines = index.read_text(encoding="utf-8").splitlines(True)
    index.write_text("".join(lines[:1] + [x for x in lines[1:] if x.startswith("2026-01-08")]), encoding="utf-8")
    (project / "content" / "commentary" / "2026-01-07.md").unlink()
    code, text = failed_build(project, capsys)
    assert code == 1 and "index: this build would remove 3 of the 4 published KOSPI days (2026-01-05 to 2026-01-07)" in text


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to(p.with_name("gone.csv")), "is a symbolic link to {dir}/gone.csv, which does not exist, expected a file"),
        (lambda p: p.symlink_to(p), "is a symbolic link that loops, expected a file"),
        (lambda p: p.symlink_to("/dev/zero"), "is a device, not a file: refused without reading it, expected a regular file"),
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a file: refused without reading it, expected a regular file"),
        (lambda p: _socket_file(p), "is a socket, not a file: refused without reading it, expected a regular file"),
    ],
    ids=["dangling symlink", "symlink loop", "/dev/zero", "FIFO", "socket"],
)
def test_files_that_are_not_files_are_refused_without_reading(project: Path, capsys: pytest.CaptureFixture[str], make, message: str) -> None:
    fx = project / "content" / "data" / "fx.csv"
    fx.unlink()
    make(fx)
    code, text = failed_build(project, capsys)
    assert code == 1
    assert f"{fx}: {message.format(dir=fx.parent)}" in text


def _socket_file(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


def test_a_fifo_does_not_hang_a_real_build(project: Path) -> None:
    fx = project / "content" / "data" / "fx.csv"
    fx.unlink()
    os.mkfifo(fx)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
        timeout=120,  # a build that opened the FIFO would wait here for a writer forever
        env={**os.environ, "COLUMNS": "300"},
    )
    printed = result.stdout + result.stderr
    assert result.returncode == 1 and "is a named pipe (FIFO)" in printed and "Traceback" not in printed


# --------------------------------------------------------------------------- unicode digits


@pytest.mark.parametrize(
    ("date", "shown"),
    [("２０２６-０１-０８", "'２０２６-０１-０８'"), ("٢٠٢٦-٠١-٠٨", "'٢٠٢٦-٠١-٠٨'"), ("2026-01-0８", "'2026-01-0８'")],
    ids=["full-width", "arabic-indic", "one full-width digit"],
)
def test_other_scripts_digits_in_a_date_are_refused(project: Path, capsys: pytest.CaptureFixture[str], date: str, shown: str) -> None:
    edit(project / "content" / "data" / "index_daily.csv", "2026-01-08,KOSPI", f"{date},KOSPI")
    code, text = failed_build(project, capsys)
    assert code == 1
    assert f"index_daily.csv:8: date: {shown} has digits other than 0-9 (full-width or another script's)" in text


@pytest.mark.parametrize("name", ["２０２６-０１-０７.md", "٢٠٢٦-٠١-٠٧.md", "۲۰۲۶-۰۱-۰۷.md"])
def test_other_scripts_digits_in_a_commentary_file_name_are_refused(project: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    note = project / "content" / "commentary" / "2026-01-07.md"
    note.rename(note.with_name(name))
    code, text = failed_build(project, capsys)
    assert code == 1
    assert f"{note.with_name(name)}: {name!r} has digits other than 0-9 in its name" in text


def test_other_scripts_digits_in_a_number_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / "content" / "data" / "fx.csv", "2026-01-06,1445.00", "2026-01-06,１４４５.００")
    code, text = failed_build(project, capsys)
    assert code == 1 and "fx.csv:3: usdkrw: '１４４５.００' has digits other than 0-9" in text


# --------------------------------------------------------------------------- site.toml


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('headline_index = "' + "K" * 300 + '"', "headline_index: expected an index name of at most 40 characters"),
        ('headline_index = "한국"', "headline_index: expected an index name with Latin letters or digits"),
        ('headline_index = "Margin Loans"', "headline_index: expected an index name whose page /indicators/margin-loans/ is not another indicator's page"),
        ('language = "x\\u0000y"', "language: expected a language tag such as en, ko or ko-KR"),
        ('language = "../../x"', "language: expected a language tag such as en, ko or ko-KR"),
        ('language = "' + "a" * 5000 + '"', "language: expected a language tag such as en, ko or ko-KR"),
    ],
    ids=["long headline", "hangul headline", "colliding headline", "NUL language", "path language", "long language"],
)
def test_settings_that_reach_paths_or_the_search_indexer_are_named(project: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str) -> None:
    toml = project / "content" / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + setting + "\n", encoding="utf-8")
    code, text = failed_build(project, capsys)
    assert code == 1
    assert f"{toml}:6: {message}" in text
    assert "RUST_BACKTRACE" not in text and "same output path" not in text


def test_the_config_slug_is_the_indicator_pages_slug() -> None:
    from generator.config import index_slug
    from generator.site.indicators import slugify

    for name in ("KOSPI", "KOSPI 200", "S&P/KRX", "kosdaq-150", "한국 KRX 100"):
        assert index_slug(name) == slugify(name)


# --------------------------------------------------------------------------- serve


@pytest.fixture
def preview(project: Path) -> Iterator[tuple[PreviewServer, list[str]]]:
    errors: list[str] = []
    server = PreviewServer(project / "site", "127.0.0.1", 0, on_error=errors.append)
    server.start()
    try:
        yield server, errors
    finally:
        server.stop()


def raw_request(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_serve_answers_absolute_form_targets_with_400_and_no_redirect(preview, capfd: pytest.CaptureFixture[str]) -> None:
    server, errors = preview
    port = server.server_address[1]
    for target in (b"http://evil.example/archive", b"https://evil.example/archive/", b"http://evil.example", b"*"):
        answer = raw_request(port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head = answer.split(b"\r\n\r\n", 1)[0].lower()
        assert head.startswith(b"http/1.0 400"), (target, head)
        assert b"location:" not in head
    # network-path targets are read as paths on this server; a redirect never names a host
    for target in (b"//evil.example/archive", b"//archive", b"///archive"):
        answer = raw_request(port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head = answer.split(b"\r\n\r\n", 1)[0].lower()
        locations = [x for x in head.split(b"\r\n") if x.startswith(b"location:")]
        assert all(x == b"location: /archive/" for x in locations), (target, head)
    # the ordinary folder redirect stays on this server
    answer = raw_request(port, b"GET /archive HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 301") and b"\r\nLocation: /archive/\r\n" in answer
    assert errors == [] and "Traceback" not in capfd.readouterr().err


def test_serve_answers_a_very_long_url_without_a_traceback(preview, capfd: pytest.CaptureFixture[str]) -> None:
    server, errors = preview
    port = server.server_address[1]
    for path in (b"/" + b"a" * 5000, b"/reports/" + b"x" * 300 + b"/", b"/" + b"/".join([b"b" * 250] * 30)):
        answer = raw_request(port, b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.0 404"), answer[:80]
    answer = raw_request(port, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 414")
    assert errors == [] and "Traceback" not in capfd.readouterr().err


def test_serve_logs_client_disconnects_in_one_line(preview, capfd: pytest.CaptureFixture[str]) -> None:
    server, errors = preview
    port = server.server_address[1]

    def rude() -> None:
        # ask for a page and leave at once, resetting the connection (SO_LINGER 0)
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(b"GET /assets/vega.js HTTP/1.1\r\nHost: x\r\n\r\n" * 50)
        sock.close()

    threads = [threading.Thread(target=rude) for _ in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not errors:
        time.sleep(0.05)
    assert "Traceback" not in capfd.readouterr().err
    assert errors, "no disconnect was noticed: the test did not test anything"
    assert all("\n" not in line and line.startswith("preview: 127.0.0.1:") for line in errors)
    assert all(line.endswith("disconnected before the answer was sent") for line in errors), errors
    # still serving
    assert raw_request(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.0 200")
