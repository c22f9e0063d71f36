"""What makes builds fast must not change what they build.

The build renders pages in worker processes, keys report pages by a digest of the data up to
their day, splits the search index by year and caches chart templates, compiled Vega, the
exchange calendar and the static images. Each shortcut is checked against the long way round:
workers against one process, an incremental build against a full one, the digest against a
brute-force twin, cached files against fresh ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import data as bench_data
from generator import cache, calendar_checks, processes
from generator.build import build, load_dataset
from generator.charts import images, page_images
from generator.charts.catalogue import Catalogue, TemplateCache
from generator.cli import main as cli
from generator.incremental import DayDigests
from tests.conftest import EPOCH, build_at_epoch, copy_site, shared_build


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def history_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three months of generated data with every series (six stocks), from November 2025 to
    the end of January 2026: enough pages for workers and a search index of two yearly bundles;
    ``content/`` and ``site/`` (built with two workers), once per run. Read-only: tests take
    copies (``history``, ``published``)."""

    def make(folder: Path) -> None:
        bench_data.make_content(folder / "content", years=0.25, stocks=6, last_day="2026-01-30")
        result = build_at_epoch(folder / "content", folder / "site", jobs=2)
        (folder / "result.json").write_text(json.dumps({"rendered": result.rendered, "reports": result.reports}))

    return shared_build(tmp_path_factory, "history", make)


@pytest.fixture
def history(history_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the history's content that a test may change."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return Path(shutil.copytree(history_built / "content", tmp_path / "content"))


@pytest.fixture
def published(history_built: Path, tmp_path: Path) -> Path:
    """A private copy of the site built from ``history`` (what a full build makes)."""
    return copy_site(history_built / "site", tmp_path / "site")


@pytest.mark.slow
def test_workers_build_the_same_bytes_as_one_process(history: Path, history_built: Path, tmp_path: Path) -> None:
    one = build(history, tmp_path / "one", jobs=1)
    two = json.loads((history_built / "result.json").read_text())  # built with two workers
    assert one.rendered == two["rendered"] == one.reports > workers_threshold()
    assert _tree(tmp_path / "one") == _tree(history_built / "site")


def workers_threshold() -> int:
    from generator.page_scheduler import PARALLEL_PAGES

    return PARALLEL_PAGES


@pytest.mark.slow
@pytest.mark.parametrize("change", ["new day", "revised close", "renamed stock", "edited commentary"])
def test_an_incremental_build_equals_a_full_one(history: Path, published: Path, tmp_path: Path, change: str) -> None:
    """After each kind of edit, the site built on top of the published one, carrying pages over,
    is byte for byte the site that a forced build (every page rendered) makes on top of the same
    published site: report keys stand for everything a page shows."""
    out, twin = published, copy_site(published, tmp_path / "twin")
    data = history / "data"
    if change == "new day":
        bench_data.append_day(data)
    elif change == "revised close":
        frame = pd.read_csv(data / "stock_prices.csv", dtype=str)
        row = len(frame) // 2
        close = int(float(frame.loc[row, "close"])) + 100
        frame.loc[row, "close"] = str(close)
        frame.loc[row, "high"] = str(max(int(float(frame.loc[row, "high"])), close))
        frame.to_csv(data / "stock_prices.csv", index=False, lineterminator="\n")
    elif change == "renamed stock":
        frame = pd.read_csv(data / "stocks.csv", dtype=str, keep_default_na=False)
        frame.loc[0, "name"] = "Renamed Industries"
        frame.to_csv(data / "stocks.csv", index=False, lineterminator="\n")
    else:
        days = load_dataset(history).trading_days
        day = days[len(days) // 2].isoformat()
        (history / "commentary").mkdir(exist_ok=True)
        (history / "commentary" / f"{day}.md").write_text(
            '---\ntitle: "Chipmakers lead"\nsummary: "A note."\nauthor: "Market desk"\n---\n\nA note on the day.\n',
            encoding="utf-8",
        )
    incremental = build(history, out, jobs=2)
    full = build(history, twin, jobs=2, force=True)
    assert full.rendered == full.reports
    if change in ("new day", "edited commentary"):
        assert incremental.rendered < 10
    # (A stock's name is on every report; a revised day changes the data of every later report's
    # charts, so those are rendered again, and come out the same where their windows miss it.)
    mine, theirs = _tree(out), _tree(twin)
    assert mine.keys() == theirs.keys()
    assert [p for p in mine if mine[p] != theirs[p]] == []
    if change == "revised close":
        assert incremental.revisions and incremental.revisions == full.revisions


@pytest.mark.slow
def test_after_a_forced_build_the_next_one_carries_every_page_over(history: Path, published: Path) -> None:
    out = published
    forced = build(history, out, force=True)
    assert forced.rendered == forced.reports
    bench_data.append_day(history / "data")
    after = build(history, out)
    assert after.rendered <= 3 and after.reused >= after.reports - 3


@pytest.mark.slow
def test_search_is_one_bundle_a_year_and_old_years_are_kept(history: Path, published: Path) -> None:
    pytest.importorskip("pagefind")
    out = published
    years = sorted({d.year for d in load_dataset(history).trading_days})
    bundles = sorted(p.name for p in (out / "pagefind" / "years").iterdir())
    assert bundles == [str(y) for y in years[:-1]]
    for year in bundles:
        assert (out / "pagefind" / "years" / year / "pagefind-entry.json").is_file()
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    merged = " ".join(f"pagefind/years/{y}/" for y in reversed(years[:-1]))
    assert f'data-merge="{merged}"' in search

    before = _inodes(out)
    bench_data.append_day(history / "data")  # a day in the newest year
    build(history, out)
    after = _inodes(out)
    oldest = f"pagefind/years/{years[0]}/"
    kept = [p for p in before if p.startswith(oldest)]
    assert kept and all(after.get(p) == before[p] for p in kept), "an earlier year's bundle is carried over untouched"
    assert any(after.get(p) != before.get(p) for p in after if p.startswith("pagefind/index/"))


def test_jobs_must_be_a_whole_number_of_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "-1", "two"):
        with pytest.raises(SystemExit) as exit_info:
            cli(["build", "--jobs", bad])
        assert exit_info.value.code == 2
        assert "--jobs" in capsys.readouterr().err


@pytest.mark.slow
def test_an_error_in_a_page_worker_reaches_the_build_and_publishes_nothing(history: Path, published: Path, tmp_path: Path, monkeypatch) -> None:
    out = published
    before = _tree(out)
    from generator.site import reports

    def broken(*args, **kwargs):
        raise ValueError("a template went wrong")

    monkeypatch.setattr(reports, "render_report", broken)  # the forked workers inherit it
    with pytest.raises(processes.PageRenderError, match="ValueError: a template went wrong") as error:
        build(history, out, jobs=2, force=True)
    assert error.value.filename and error.value.filename.endswith("test_fast_builds.py") and error.value.lineno
    assert _tree(out) == before
    assert not list(tmp_path.glob(".site.staging-*"))


# ----------------------------------------------------------------------------- the day digests


@st.composite
def _tables(draw):
    days = draw(st.lists(st.integers(0, 30), min_size=1, max_size=25))
    values = draw(st.lists(st.integers(-5, 5), min_size=len(days), max_size=len(days)))
    base = dt.date(2024, 1, 1)
    frame = pd.DataFrame({"date": pd.to_datetime([base + dt.timedelta(d) for d in days]), "value": values, "_line": range(2, 2 + len(days))})
    return frame.drop_duplicates(subset=["date", "value"]).reset_index(drop=True)


class _Data:
    def __init__(self, frame: pd.DataFrame):
        self.index_daily = frame


def _brute(frame: pd.DataFrame, day: dt.date) -> str:
    """The twin: the sorted rows on or before ``day``, hashed."""
    rows = sorted((r.date.date().isoformat(), int(r.value)) for r in frame.itertuples() if r.date.date() <= day)
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@settings(max_examples=60, deadline=None)
@given(_tables(), st.integers(0, 24), st.integers(-5, 5), st.integers(0, 1_000))
def test_a_days_digest_changes_exactly_when_a_row_up_to_it_does(frame, which, value, shuffle):
    changed = frame.copy()
    row = which % len(frame)
    changed.loc[row, "value"] = value
    changed = changed.sample(frac=1, random_state=shuffle).reset_index(drop=True)  # row order does not matter
    changed["_line"] = range(2, 2 + len(changed))  # nor line numbers
    a, b = DayDigests(_Data(frame)), DayDigests(_Data(changed))
    for offset in range(-1, 33):
        day = dt.date(2024, 1, 1) + dt.timedelta(offset)
        assert (a.upto(day) == b.upto(day)) == (_brute(frame, day) == _brute(changed, day)), day


# ----------------------------------------------------------------------------- caches and images


def test_static_svg_through_compiled_vega_is_byte_for_byte_vega_lites(tmp_path: Path, monkeypatch) -> None:
    import vl_convert

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(images, "_COMPILED", {})  # as in a new build process
    content = tmp_path / "content"
    bench_data.make_content(content, years=1, stocks=3)
    from generator.analysis.history import analyse
    from generator.snapshot import make_snapshots

    data = load_dataset(content)
    hist = analyse(data)
    snaps = make_snapshots(data, hist)
    catalogue = Catalogue(data, hist)
    days = list(snaps)[::40]
    for day in days:
        head = page_images.headline_images(catalogue, day, snaps[day])
        assert images.render_svg(head.spec) == vl_convert.vegalite_to_svg(head.spec)
    assert list((tmp_path / "cache" / "vega").glob("*.json")), "the compiled template is kept for the next build"
    images._COMPILED.clear()  # a new build process: the compiled template comes from the disk
    head = page_images.headline_images(catalogue, days[-1], snaps[days[-1]])
    assert images.render_svg(head.spec) == vl_convert.vegalite_to_svg(head.spec)


def test_the_card_has_the_pixels_of_the_whole_font_stack() -> None:
    import vl_convert

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">' \
          f'<text x="10" y="50" font-family="{images.FONT}" font-size="14">4,551.06 Jan. 7</text></svg>'
    whole = vl_convert.svg_to_png(images.compose_card(svg, "KOSPI: close", "Wednesday · close 4,551.06", "KOSPI Report"), scale=1)
    assert images.render_card(svg, "KOSPI: close", "Wednesday · close 4,551.06", "KOSPI Report") == whole
    assert images.raster_font() in [f.strip().strip("'") for f in images.FONT.split(",")] + [images.FONT]


def test_cached_chart_templates_are_the_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.analysis.history import analyse
    from generator.charts import catalogue as catalogue_module

    data = load_dataset(Path(__file__).resolve().parent.parent / "content")
    hist = analyse(data)
    fresh = Catalogue(data, hist).templates
    filled = Catalogue(data, hist, template_cache=TemplateCache(tmp_path, "code-1")).templates
    assert filled == fresh and len(list(tmp_path.glob("*.json"))) == len(fresh)
    cached = Catalogue(data, hist, template_cache=TemplateCache(tmp_path, "code-1"))

    def not_again(*args):
        raise AssertionError("a template was built again")

    every = catalogue_module._factories()
    monkeypatch.setattr(catalogue_module, "_factories", lambda: {key: not_again for key in every})
    assert cached.templates == fresh
    monkeypatch.undo()
    other = Catalogue(data, hist, template_cache=TemplateCache(tmp_path, "code-2"))
    assert other.template("index-3m") == fresh["index-3m"]  # another code version builds afresh


def test_the_exchange_calendar_comes_from_the_cache_the_second_time(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    calendar_checks.library_sessions.cache_clear()
    first = calendar_checks.library_sessions(2023, 2025)
    assert list((tmp_path / "cache" / "calendar").glob("xkrx-*.npz"))
    calendar_checks.library_sessions.cache_clear()

    def no_calendar(*args):
        raise AssertionError("the calendar was built again")

    monkeypatch.setattr(calendar_checks, "_exchange_calendar", no_calendar)
    second = calendar_checks.library_sessions(2023, 2025)
    calendar_checks.library_sessions.cache_clear()
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]
    assert np.datetime64("2024-09-17") not in second[0]  # Chuseok: the exchange was closed
    assert np.datetime64("2024-09-19") in second[0]


def test_default_jobs_follows_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(processes.JOBS_ENV, "3")
    assert processes.default_jobs() == 3
    monkeypatch.setenv(processes.JOBS_ENV, "zero")
    assert processes.default_jobs() == len(os.sched_getaffinity(0))


def test_staging_hands_a_workers_files_to_the_build(tmp_path: Path) -> None:
    from generator.errors import BuildError
    from generator.write import Staging

    staging = Staging(tmp_path / "site")
    staging.add("a.html", "one")
    staging.take()  # a worker starts afresh
    staging.add("b.html", "two")
    placed = staging.take()
    assert placed[0].keys() == {"b.html"} and placed[1] == ["b.html"]
    build_side = Staging(tmp_path / "site")
    build_side.add("a.html", "one")
    build_side.merge(placed)
    assert set(build_side.hashes) == {"a.html", "b.html"}
    with pytest.raises(BuildError, match="same output path"):
        build_side.merge(placed)
    shutil.rmtree(staging.path)
    shutil.rmtree(build_side.path)
