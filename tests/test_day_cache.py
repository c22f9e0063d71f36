"""Each day's snapshot and stories kept between builds (generator/day_cache.py).

What an editor relies on: a new trading day computes that day (and the day before, whose next
session changed), not the whole history; a revised old day recomputes every day from it on; and
whatever comes from the cache is exactly what computing it afresh gives, in both languages.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import data as bench_data
from generator import snapshot
from generator.analysis.history import analyse
from generator.build import load_dataset
from generator.day_cache import DayCache
from generator.report import reports
from generator.snapshot import snapshot_json

CODE = "test-code"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    bench_data.make_content(folder, years=0.4, stocks=4)
    return folder


def _build(content: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, *, force: bool = False):
    """Snapshots and stories as a build makes them; returns (pages, the days whose facts were computed)."""
    computed: list = []
    real = snapshot.add_facts

    def spy(snapshots, data, hist):
        computed.extend(snapshots)
        real(snapshots, data, hist)

    monkeypatch.setattr(snapshot, "add_facts", spy)
    data = load_dataset(content)
    days = DayCache(cache, CODE, data, force=force)
    snaps = snapshot.make_snapshots(data, analyse(data), days)
    english, korean = reports(snaps, data.config, "en", days), reports(snaps, data.config, "ko", days)
    days.save()
    pages = [(snapshot_json(e.snap), pickle.dumps(e.story), pickle.dumps(k.story)) for e, k in zip(english, korean, strict=True)]
    return pages, sorted(computed), data.trading_days


@pytest.mark.slow
def test_a_new_day_computes_one_day_and_matches_a_fresh_build(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first, computed, days = _build(content, cache, monkeypatch)
    assert computed == days
    again, computed, _ = _build(content, cache, monkeypatch)
    assert computed == [] and again == first

    bench_data.append_day(content / "data")
    cached, computed, days = _build(content, cache, monkeypatch)
    # The new day, the day before it (its next session changed), and the days since the lagged
    # series' new rows (margin loans and lending move on by one of their own, earlier, days).
    data = load_dataset(content)
    lagged = min(data.margin_loans["date"].max(), data.stock_lending["date"].max()).date()
    assert computed == sorted({*days[-2:], *(d for d in days if d >= lagged)})
    assert len(computed) < 6
    fresh, _, _ = _build(content, tmp_path / "other-cache", monkeypatch, force=True)
    assert cached == fresh


@pytest.mark.slow
def test_a_revised_old_day_recomputes_from_that_day_on(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    _, _, days = _build(content, cache, monkeypatch)
    revised = days[len(days) // 2]
    path = content / "data" / "index_daily.csv"
    frame = pd.read_csv(path, dtype=str)
    row = frame.index[frame["date"] == revised.isoformat()][0]
    close = float(frame.loc[row, "close"]) * 1.01
    frame.loc[row, "close"] = f"{close:.2f}"
    frame.loc[row, "high"] = f"{max(float(frame.loc[row, 'high']), close):.2f}"
    frame.to_csv(path, index=False, lineterminator="\n")

    cached, computed, days = _build(content, cache, monkeypatch)
    assert computed == [d for d in days if d >= revised]
    fresh, _, _ = _build(content, tmp_path / "other-cache", monkeypatch, force=True)
    assert cached == fresh
