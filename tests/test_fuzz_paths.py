"""Fuzzing the build as a careless or hostile editor would use it: hostile output paths and
hostile content, against a published site on a real file system.

Every example runs the real ``kospi-report build`` (in this process, so an uncaught exception
would fail the test as a traceback would reach the editor) in a fresh sandbox: a project with
its content and a published site, a folder of an editor's own files, a home folder and
symlinks to all of them. Whatever is generated, the outcome must be exit 1 (the content) or 2
(the output folder), no exception, and the whole sandbox byte for byte as it was: the
published site, the content (as mutated by the example) and every file beside them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.cli import main
from generator.contract import DATA_FILES
from generator.validate import LARGEST
from tests.test_reliability import tree

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
EPOCH = "1767830400"
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal content and its published site, built once: each example copies them."""
    root = tmp_path_factory.mktemp("origin")
    shutil.copytree(MINIMAL, root / "content")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(root / "content", root / "site", jobs=1)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return root


@contextmanager
def sandbox(published: Path) -> Iterator[Path]:
    """A fresh world: project/{content,site}, an editor's folder, a home, and symlinks."""
    with tempfile.TemporaryDirectory(prefix="kospi-fuzz-") as tmp:
        world = Path(tmp)
        project = world / "project"
        shutil.copytree(published / "content", project / "content", symlinks=True)
        shutil.copytree(published / "site", project / "site")
        mine = world / "mine"
        (mine / "photos").mkdir(parents=True)
        (mine / "precious.txt").write_text("keep me\n", encoding="utf-8")
        (mine / "photos" / "cat.jpg").write_bytes(b"\xff\xd8 cat")
        home = world / "home"
        home.mkdir()
        (home / ".profile").write_text("# mine\n", encoding="utf-8")
        for name, target in (("to-content", project / "content"), ("to-mine", mine), ("to-project", project), ("to-home", home)):
            (world / name).symlink_to(target)
        yield world


def run_build(world: Path, out: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``kospi-report build`` from inside the project, with HOME in the sandbox."""
    monkeypatch.setenv("HOME", str(world / "home"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(world / "project")
    code = main(["build", "--content", "content", "--out", out, "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# --------------------------------------------------------------------------- hostile output paths

#: Folders a build must never replace, as seen from the project folder (the current folder).
HOSTILE_BASES = [
    "content",
    "content/pages",
    "content/data",
    "content/commentary",
    ".",
    "..",
    "../mine",
    "../mine/photos",
    "../home",
    "../to-content",
    "../to-mine",
    "../to-project",
    "../to-home",
    "../to-content/pages",
    "/",
    "~",
]


@st.composite
def hostile_out(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from(HOSTILE_BASES))
    spelled = draw(st.sampled_from(["plain", "slash", "dot", "double", "detour", "absolute"]))
    if base == "/":
        return draw(st.sampled_from(["/", "//", "/.", "/../", "/tmp/.."]))
    if spelled == "slash":
        return base + "/"
    if spelled == "dot":
        return base + "/."
    if spelled == "double":
        return base + "//"
    if spelled == "detour":
        return base + "/../" + (os.path.basename(base) if base not in (".", "..", "~") else ".")
    return base


@FUZZ
@given(out=hostile_out())
def test_hostile_output_folders_are_refused_and_nothing_is_touched(published: Path, out: str, monkeypatch, capsys) -> None:
    with sandbox(published) as world:
        if out.startswith("~"):
            out = str(world / "home") + out[1:]
        before = tree(world)
        code, text = run_build(world, out, monkeypatch, capsys)
        assert code == 2, (out, text)
        assert "refusing to build into" in text and "Traceback" not in text
        assert tree(world) == before, out


# --------------------------------------------------------------------------- hostile content

ZERO_POINTS = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0x1D7CE]  # full-width, Arabic-Indic, ...


@st.composite
def other_digits(draw: st.DrawFn, text: str) -> str:
    """``text`` with one or more of its ASCII digits written in another script."""
    zero = draw(st.sampled_from(ZERO_POINTS))
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    chosen = draw(st.sets(st.sampled_from(positions), min_size=1))
    return "".join(chr(zero + int(c)) if i in chosen else c for i, c in enumerate(text))


def number_columns(spec) -> list:
    return [c for c in spec.columns if c.kind in ("number", "money")]


@st.composite
def bad_number(draw: st.DrawFn, column) -> str:
    """A cell no contract number may hold: a decimal comma, other digits, a value too large,
    and for prices and balances zero, negative or -0."""
    kinds = ["decimal comma", "other digits", "too large"]
    if column.positive:
        kinds += ["not positive"]
    if column.non_negative:
        kinds += ["negative"]
    kind = draw(st.sampled_from(kinds))
    x = draw(st.floats(min_value=0.01, max_value=1e9, allow_nan=False))
    if kind == "decimal comma":  # 1,443.25 written the European way: 1.443,25
        return f"{x:,.2f}".translate(str.maketrans(",.", ".,"))
    if kind == "other digits":
        return draw(other_digits(f"{x:.2f}"))
    if kind == "too large":
        floor = len(str(int(LARGEST[column.kind])))  # digits of the limit: one more is over it
        return f"{draw(st.integers(1, 9))}e{draw(st.integers(floor, 308))}"
    if kind == "not positive":
        return draw(st.sampled_from(["0", "-0", "0.00", "-0e3", f"-{x:.2f}"]))
    return draw(st.sampled_from(["-0", "-0.0", f"-{x:.2f}", "-1"]))


def rewrite_cell(path: Path, row: int, column: str, value: str) -> None:
    if path.is_symlink() or not path.is_file():
        return  # an earlier change made it a special file: never open it (a FIFO would block)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    if len(rows) < 2:
        return
    at = rows[0].index(column)
    rows[1 + row % (len(rows) - 1)][at] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


DATED = [spec for spec in DATA_FILES if any(c.kind == "date" for c in spec.columns) and (MINIMAL / "data" / spec.name).exists()]
NUMERIC = [spec for spec in DATED if number_columns(spec)]
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}")


@st.composite
def mutation(draw: st.DrawFn):
    """One hostile change to the content: a function of the content folder."""
    kind = draw(
        st.sampled_from(["number", "date", "special file", "cut to header", "commentary name", "language", "headline index"])
    )
    if kind == "number":
        spec = draw(st.sampled_from(NUMERIC))
        column = draw(st.sampled_from(number_columns(spec)))
        value, row = draw(bad_number(column)), draw(st.integers(0, 100))
        return lambda c: rewrite_cell(c / "data" / spec.name, row, column.name, value)
    if kind == "date":
        spec = draw(st.sampled_from(DATED))
        value, row = draw(other_digits("2026-01-06")), draw(st.integers(0, 100))
        return lambda c: rewrite_cell(c / "data" / spec.name, row, "date", value)
    if kind == "special file":
        name = draw(st.sampled_from([spec.name for spec in DATED]))
        how = draw(st.sampled_from(["fifo", "dangling", "loop", "dev-zero", "socket", "folder"]))
        return lambda c: special(c / "data" / name, how)
    if kind == "cut to header":
        spec = draw(st.sampled_from([s for s in DATED if s.name != "index_daily.csv"]))
        return lambda c: (c / "data" / spec.name).write_text(",".join(col.name for col in spec.columns) + "\n", encoding="utf-8")
    if kind == "commentary name":
        name = draw(other_digits("2026-01-07")) + ".md"
        return lambda c: (c / "commentary" / "2026-01-07.md").rename(c / "commentary" / name)
    if kind == "language":
        value = draw(st.text(max_size=300).filter(lambda t: not LANGUAGE.fullmatch(t)))
    else:
        value = draw(st.one_of(st.text(alphabet="가나다한국 -/.!", min_size=1, max_size=30), st.text(min_size=41, max_size=400)))
    key = kind.replace(" ", "_")
    setting = f"{key} = {json.dumps(value, ensure_ascii=False)}\n"
    return lambda c: (c / "site.toml").open("a", encoding="utf-8").write(setting)


def special(path: Path, how: str) -> None:
    if path.is_dir() and not path.is_symlink():
        path.rmdir()
    else:
        path.unlink(missing_ok=True)
    if how == "fifo":
        os.mkfifo(path)
    elif how == "dangling":
        path.symlink_to(path.with_name("nowhere.csv"))
    elif how == "loop":
        path.symlink_to(path.name)
    elif how == "dev-zero":
        path.symlink_to("/dev/zero")
    elif how == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    else:
        path.mkdir()


@FUZZ
@given(changes=st.lists(mutation(), min_size=1, max_size=3))
def test_hostile_content_is_refused_and_nothing_is_touched(published: Path, changes, monkeypatch, capsys) -> None:
    with sandbox(published) as world:
        content = world / "project" / "content"
        for change in changes:
            try:
                change(content)
            except FileNotFoundError:
                pass  # an earlier change already replaced the file
        before = tree(world)
        code, text = run_build(world, "site", monkeypatch, capsys)
        assert code == 1, text
        assert "nothing was published" in text and "Traceback" not in text
        assert tree(world) == before
