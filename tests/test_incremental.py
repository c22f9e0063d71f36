"""Incremental builds and revisions: unchanged pages are not rewritten, and nothing published
is silently changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import EPOCH, copy_site


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


@pytest.fixture
def built(content_copy: Path, sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the content and of the sample site built from it (the run's one sample build)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return content_copy, copy_site(sample_site, tmp_path / "site")


@pytest.mark.slow
def test_nothing_changed_means_nothing_rewritten(built: tuple[Path, Path]) -> None:
    content, out = built
    before = _inodes(out)
    result = build(content, out)
    assert result.up_to_date
    assert _inodes(out) == before


@pytest.mark.slow
def test_a_new_day_renders_only_what_it_touches(built: tuple[Path, Path]) -> None:
    content, out = built
    before = _inodes(out)
    _append(content / "data" / "index_daily.csv", "2026-01-08,KOSPI,4551.06,4570.00,4500.10,4520.33,500000,12000000000000")
    result = build(content, out)
    assert result.reports == len(list((out / "reports").iterdir()))
    # The new day, and its neighbour (whose "next" link changed), nothing else among the reports.
    assert (result.rendered, result.reused) == (2, result.reports - 2)
    after = _inodes(out)
    changed = {p for p in after if before.get(p) != after[p]}
    reports_changed = {p.split("/")[1] for p in changed if p.startswith("reports/")}
    assert reports_changed == {"2026-01-07", "2026-01-08"}
    assert "index.html" in changed and "archive/index.html" in changed
    assert before["reports/2025-06-02/index.html"] == after["reports/2025-06-02/index.html"]
    assert before["data/snapshots/2026-01-06.json"] == after["data/snapshots/2026-01-06.json"]
    assert result.revisions == []


@pytest.mark.slow
def test_a_revision_keeps_the_published_snapshot_and_says_so(built: tuple[Path, Path]) -> None:
    content, out = built
    published = (out / "data" / "snapshots" / "2026-01-07.json").read_text(encoding="utf-8")
    path = content / "data" / "index_daily.csv"
    text = path.read_text(encoding="utf-8")
    assert "2026-01-07,KOSPI,4566.34,4611.72,4488.20,4551.06" in text
    path.write_text(text.replace("2026-01-07,KOSPI,4566.34,4611.72,4488.20,4551.06", "2026-01-07,KOSPI,4566.34,4611.72,4488.20,4560.00"), encoding="utf-8")
    result = build(content, out)
    assert [r.date for r in result.revisions] == ["2026-01-07"]
    rev = result.revisions[0]
    assert {"field": "indices.KOSPI.close", "old": 4551.06, "new": 4560} in [vars(c) for c in rev.changes]
    kept = out / "data" / "snapshots" / "2026-01-07.v1.json"
    assert kept.read_text(encoding="utf-8") == published
    assert json.loads((out / "data" / "snapshots" / "2026-01-07.json").read_text())["indices"]["KOSPI"]["close"] == 4560
    page = (out / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    assert "Revised on" in page and "4551.06 → 4560" in page and "2026-01-07.v1.json" in page
    record = json.loads((out / "data" / "revisions.json").read_text())
    assert record["revisions"][0]["version"] == 1

    # A second revision keeps both earlier versions and the record of both.
    text = path.read_text(encoding="utf-8").replace(",4560.00", ",4570.00")
    path.write_text(text, encoding="utf-8")
    again = build(content, out)
    assert [r.version for r in again.revisions] == [2]
    assert kept.read_text(encoding="utf-8") == published
    assert (out / "data" / "snapshots" / "2026-01-07.v2.json").is_file()
    page = (out / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    assert page.count("Revised on") == 2
