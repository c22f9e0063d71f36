"""Fuzzing the loaders and the validator: whatever an export or an editor puts in the content
folder, the only outcomes are a checked dataset or a ContentError naming the problems.

Random bytes and random mutations of the valid minimal fixture (lines deleted, duplicated,
swapped; cells changed; junk inserted; files truncated or re-encoded) go through the same
``load_dataset`` that ``check`` and ``build`` use. A crash of any other kind is a bug: it would
reach an editor as a traceback. When a mutated content passes, the dataset must still keep the
invariants the later stages rely on.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import load_dataset
from generator.dataset import Dataset
from generator.errors import ContentError

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
FILES = sorted(str(p.relative_to(MINIMAL)) for p in MINIMAL.rglob("*") if p.is_file())
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NASTY_CELLS = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1e999",
    "nan",
    "inf",
    "-0",
    "1,234",
    "１２３",
    "2025-02-30",
    "2026-13-01",
    "0000-01-01",
    "9999-12-31",
    "../x",
    "..",
    "/etc/passwd",
    "a\\b",
    '"',
    '""',
    "\x01",
    "005930",
    "000660",
    "KOSPI",
    "KOSDAQ",
    "total",
    "foreigners",
    "9" * 40,
    "<script>alert(1)</script>",
    "---",
    "title: x",
    "=1+1",
]


@contextmanager
def content_with(name: str, data: bytes) -> Iterator[Path]:
    """A private copy of the minimal content with one file replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(MINIMAL, content)
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        yield content


def outcome(content: Path) -> Dataset | ContentError:
    """Load and validate; any exception other than ContentError fails the test."""
    try:
        return load_dataset(content)
    except ContentError as exc:
        return exc


def assert_clear(error: ContentError, content: Path) -> None:
    """Every problem names a file in the content folder, a plausible line and a message."""
    assert error.problems
    for problem in error.problems:
        path = Path(problem.path)
        assert path == content or content in path.parents, problem
        assert problem.message.strip(), problem
        assert "Traceback" not in problem.message
        if problem.line is not None:
            assert problem.line >= 1, problem
            if path.is_file():
                raw = path.read_bytes()
                lines = raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n") + 1  # as an editor counts
                assert problem.line <= lines, problem


def assert_invariants(data: Dataset) -> None:
    """What later stages rely on when validation passes."""
    assert data.trading_days
    for frame, key in (
        (data.index_daily, ["date", "index"]),
        (data.stock_prices, ["date", "ticker"]),
        (data.stock_lending, ["date", "ticker"]),
        (data.margin_loans, ["date", "market"]),
        (data.fx, ["date"]),
        (data.stocks, ["ticker"]),
    ):
        assert not frame.duplicated(key).any()
    for frame in (data.index_daily, data.stock_prices):
        if not frame.empty:
            assert (frame["low"] <= frame["high"]).all()
            assert ((frame["low"] <= frame["close"]) & (frame["close"] <= frame["high"])).all()
            assert np.isfinite(frame[["open", "high", "low", "close"]].to_numpy()).all()
    for frame in (data.margin_loans, data.stock_lending):
        assert (frame["balance"] >= 0).all()
    if not data.stocks.empty:
        known = set(data.stocks["ticker"])
        assert set(data.stock_prices["ticker"]) <= known
        assert set(data.stock_lending["ticker"]) <= known
    assert set(data.commentary) <= set(data.trading_days)


def check(content: Path) -> None:
    result = outcome(content)
    if isinstance(result, ContentError):
        assert_clear(result, content)
    else:
        assert_invariants(result)


@FUZZ
@given(name=st.sampled_from(FILES + ["commentary/2026-01-06.md", "pages/new.md"]), data=st.binary(max_size=2000))
def test_random_bytes_in_any_file(name: str, data: bytes) -> None:
    with content_with(name, data) as content:
        check(content)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file of the fixture with a few random edits of the kinds real mistakes make."""
    name = draw(st.sampled_from(FILES))
    lines = (MINIMAL / name).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "cell", "junk", "truncate"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cell" and lines:
            sep = ":" if name.endswith(".md") else ","
            cells = lines[i].split(sep)
            k = draw(st.integers(0, len(cells) - 1))
            cells[k] = draw(st.sampled_from(NASTY_CELLS) | st.text(max_size=12))
            lines[i] = sep.join(cells)
        elif op == "junk":
            lines.insert(i, draw(st.sampled_from(NASTY_CELLS) | st.text(max_size=40)))
        elif op == "truncate" and lines:
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "cp949", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and data:
        data = data[: draw(st.integers(0, len(data)))]
    return name, data


@FUZZ
@given(mutated())
def test_mutated_valid_files(case: tuple[str, bytes]) -> None:
    name, data = case
    with content_with(name, data) as content:
        check(content)


def test_fixture_itself_passes() -> None:
    """The mutations start from valid content (so a pass above means the edit was harmless)."""
    assert_invariants(load_dataset(MINIMAL))
