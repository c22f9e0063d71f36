"""Golden headlines and ledes of notable days: the biggest fall and gain, a record, a quiet day,
a year-end and the event days of the sample and of a generated 20-year history.

The files in tests/golden/ are what the story engine wrote when they were last reviewed;
``make golden`` writes them anew. A change in wording fails here until its diff is reviewed and
the files are regenerated, so no change reaches readers unread.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.notable import HERE, ROOT, long_history, written

HINT = "the story engine now writes something else: review the difference, then run `make golden`"


def _check(name: str, got: dict) -> None:
    expected = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    assert set(got) == set(expected), HINT
    for label in expected:
        assert got[label] == expected[label], f"{name} / {label} ({expected[label]['date']}): {HINT}"


def test_golden_ledes_of_the_sample() -> None:
    got = written(ROOT / "content")
    _check("sample", got)
    # The rules chose what a reader would call notable.
    assert got["biggest fall"]["date"] == "2024-08-05"
    assert got["year-end"]["date"] == "2025-12-30"
    assert got["year-end"]["lede"][0].startswith("The KOSPI ended 2025 up 75.63 percent")


@pytest.mark.slow
def test_golden_ledes_of_a_20_year_history(tmp_path: Path) -> None:
    _check("history-20y", written(long_history(tmp_path)))


def test_every_golden_day_has_a_headline_of_its_own() -> None:
    for name in ("sample", "history-20y"):
        for label, day in json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")).items():
            assert "report for" not in day["headline"], (name, label)
            assert day["lede"], (name, label)
