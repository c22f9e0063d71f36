"""Nothing published is lost: a build that fails, crashes or is killed leaves the published
site byte for byte as it was; two builds never write one site at once; kept snapshot
versions survive every build.

The published site is compared file by file (a hash of every file, and the set of folders)
before and after. The ``kill -9`` test builds a long generated history in a real process and
kills it while its staging folder is being filled.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import generator.site as site_module
from generator.build import build
from generator.cli import main
from generator.errors import BuildError
from generator.sample import generate
from generator.write import Staging, build_lock, safe_relpath
from tests.conftest import copy_site

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
EPOCH = "1767830400"


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with a hash of its bytes ("dir" for folders)."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


def content_copy(dest: Path, note: str | None = None) -> Path:
    """The minimal content; ``note`` replaces the commentary's text (a change every page sees)."""
    shutil.copytree(MINIMAL, dest)
    if note is not None:
        path = dest / "commentary" / "2026-01-07.md"
        path.write_text(path.read_text(encoding="utf-8").replace("led by", note), encoding="utf-8")
    return dest


@pytest.fixture
def published(minimal_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site built from the minimal content: the 'previously published' site (a copy of the
    run's one build of it, beside a copy of its content)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    shutil.copytree(minimal_site / "content", tmp_path / "content")
    out = copy_site(minimal_site / "site", tmp_path / "site")
    assert (out / "index.html").is_file()
    return out


def env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "300"}


def test_a_build_with_bad_content_publishes_nothing(published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(published)
    content = content_copy(tmp_path / "bad", note="led by chipmakers")
    fx = content / "data" / "fx.csv"
    fx.write_text(fx.read_text(encoding="utf-8").replace("1445.00", "n/a"), encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(published)]) == 1
    assert "nothing was published" in capsys.readouterr().err
    assert tree(published) == before
    assert leftovers(published) == []


def test_an_exception_mid_build_publishes_nothing(published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(published)
    staged: list[int] = []
    real = site_module.families()

    def exploding(ctx, staging: Staging, written) -> None:
        staged.append(sum(1 for p in staging.path.rglob("*") if p.is_file()))
        raise RuntimeError("a page family failed")

    # The failing family runs after the report pages, so the staging folder is partly written.
    monkeypatch.setattr(site_module, "families", lambda: real[:1] + [site_module.Family("exploding", exploding)] + real[1:])
    with pytest.raises(RuntimeError, match="a page family failed"):
        build(content_copy(tmp_path / "changed", note="led by chipmakers"), published)
    assert staged and staged[0] > 0, "the exception must come after files were staged"
    assert tree(published) == before
    assert leftovers(published) == []


def _files_in(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


@pytest.mark.slow
def test_kill_9_mid_build_publishes_nothing_and_the_next_build_recovers(published: Path, tmp_path: Path) -> None:
    before = tree(published)
    big = tmp_path / "big"
    # Three years of 20 stocks: thousands of files to stage, so the kill lands mid-way.
    generate(big / "data", start="2023-01-02", end="2025-12-30", n_stocks=20, anchors=False)
    proc = subprocess.Popen(
        # (another history altogether: --allow-shrink lets it replace the published one)
        [sys.executable, "-m", "generator", "build", "--content", str(big), "--out", str(published), "--allow-shrink"],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            staging = leftovers(published)
            if staging and _files_in(staging[0]) >= 200:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"the build ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    stale = leftovers(published)
    assert len(stale) == 1 and _files_in(stale[0]) >= 200, "the kill must land while the staging folder is being filled"
    assert tree(published) == before

    # The next build removes what the killed one left and publishes.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--content",
            str(content_copy(tmp_path / "next", note="led by chipmakers")),
            "--out",
            str(published),
        ],
        env=env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert leftovers(published) == []
    assert "led by chipmakers" in (published / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    assert tree(published) != before


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from generator.write import build_lock
    with build_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.read()  # hold the lock until the test closes our stdin
    """
)


def test_a_second_build_refuses_while_another_process_builds(published: Path, tmp_path: Path) -> None:
    before = tree(published)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(published)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        content = content_copy(tmp_path / "changed", note="led by chipmakers")
        second = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--content", str(content), "--out", str(published)],
            env=env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert (
        f"kospi-report: build failed: another build is writing {published} right now; try again when it has finished"
        in second.stderr
    )
    assert tree(published) == before
    assert leftovers(published) == []


def test_a_held_lock_refuses_in_process_too(published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = content_copy(tmp_path / "changed", note="led by chipmakers")
    with build_lock(published):
        assert main(["build", "--content", str(content), "--out", str(published)]) == 1
    assert "another build is writing" in capsys.readouterr().err
    assert main(["build", "--content", str(content), "--out", str(published)]) == 0  # released: builds again


# --- kept snapshot versions are permanent -------------------------------------------------

KEPT = "data/snapshots/2026-01-07.v1.json"


def _publish(out: Path, files: dict[str, str]) -> None:
    staging = Staging(out)
    for path, text in files.items():
        staging.add(path, text)
    staging.publish()


def test_kept_snapshot_versions_survive_a_build_that_does_not_write_them(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _publish(out, {"index.html": "one", KEPT: '{"close": 1}\n', "data/snapshots/2026-01-07.json": '{"close": 2}\n'})
    kept = (out / KEPT).read_bytes()
    _publish(out, {"index.html": "two"})
    assert (out / KEPT).read_bytes() == kept
    (out / ".manifest.json").unlink()  # even when the manifest is lost
    _publish(out, {"index.html": "three"})
    assert (out / KEPT).read_bytes() == kept
    assert not (out / "data/snapshots/2026-01-07.json").exists()  # ordinary files do go


def test_a_kept_snapshot_version_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _publish(out, {KEPT: '{"close": 1}\n'})
    staging = Staging(out)
    staging.add(KEPT, '{"close": 1}\n')  # the same bytes are fine
    other = Staging(out)
    with pytest.raises(BuildError, match="kept snapshot versions never change"):
        other.add(KEPT, '{"close": 99}\n')
    staging.discard()
    other.discard()
    assert (out / KEPT).read_text() == '{"close": 1}\n'


def test_kept_versions_survive_a_real_rebuild(published: Path, tmp_path: Path) -> None:
    (published / KEPT).write_text('{"close": 4400}\n', encoding="utf-8")
    build(content_copy(tmp_path / "changed", note="led by chipmakers"), published)
    assert (published / KEPT).read_text(encoding="utf-8") == '{"close": 4400}\n'


def test_writing_a_file_never_changes_the_published_copy(tmp_path: Path) -> None:
    """Unchanged files are hard links to the published ones; replacing one must not write through."""
    out = tmp_path / "site"
    _publish(out, {"a.html": "same"})
    staging = Staging(out)
    staging.add("a.html", "same")  # hard-linked
    assert os.stat(staging.path / "a.html").st_ino == os.stat(out / "a.html").st_ino
    staging.forget("a.html")
    staging.add("a.html", "changed")
    assert (out / "a.html").read_text() == "same"
    staging.discard()


def test_the_manifest_cannot_be_overwritten_by_a_page() -> None:
    with pytest.raises(BuildError):
        safe_relpath(".manifest.json")
