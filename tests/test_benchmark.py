"""The build benchmark (benchmarks/run.py) works end to end and writes its table.

No timing is asserted: the figures depend on the machine. What is asserted is what a developer
relies on when running ``make benchmark``: every build it times succeeds (including the rebuild
after an appended trading day, so that day is valid data), the no-change rebuild really changed
nothing, and the tables land between the markers without touching the text around them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import data as bench_data
from benchmarks.report import END, START, update_between_markers
from generator.build import load_dataset

ROOT = Path(__file__).resolve().parent.parent


def test_update_between_markers_keeps_the_text_around(tmp_path: Path) -> None:
    doc = tmp_path / "perf.md"
    doc.write_text(f"# Title\n\nBefore.\n\n{START}\nold table\n{END}\n\nAfter, by hand.\n", encoding="utf-8")
    update_between_markers(doc, "| new | table |\n", title=None)
    update_between_markers(doc, "| newer | table |\n", title=None)
    text = doc.read_text(encoding="utf-8")
    assert text == f"# Title\n\nBefore.\n\n{START}\n| newer | table |\n{END}\n\nAfter, by hand.\n"


def test_update_between_markers_creates_a_missing_document(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "perf.md"
    update_between_markers(doc, "table", title="# Performance\n")
    assert doc.read_text(encoding="utf-8") == f"# Performance\n\n{START}\ntable\n{END}\n"


def test_appended_day_is_the_next_session_on_every_daily_series(tmp_path: Path) -> None:
    content = tmp_path / "content"
    days = bench_data.make_content(content, years=1, stocks=3)
    before = load_dataset(content)
    day = bench_data.append_day(content / "data")
    after = load_dataset(content)  # still valid data: no ContentError
    assert len(after.trading_days) == days + 1 == len(before.trading_days) + 1
    assert after.trading_days[-1].isoformat() == day > before.trading_days[-1].isoformat()
    for frame in ("index_daily", "investor_flows", "stock_prices", "fx"):
        assert getattr(after, frame)["date"].max().date().isoformat() == day, frame
    # Lagged series move on by one of their own days and stay behind the new day.
    for frame in ("margin_loans", "stock_lending"):
        old, new = getattr(before, frame)["date"].max(), getattr(after, frame)["date"].max()
        assert old < new < after.index_daily["date"].max(), frame
    assert len(after.stock_prices) == len(before.stock_prices) + 3


@pytest.mark.slow
def test_quick_benchmark_runs_end_to_end_and_writes_its_tables(tmp_path: Path) -> None:
    doc, readme, raw = tmp_path / "performance.md", tmp_path / "README.md", tmp_path / "bench.json"
    readme.write_text(f"# Project\n\n## Performance\n\n{START}\nplaceholder-to-replace\n{END}\n\n## Next\n", encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--years", "0.15", "--stocks", "4", "--no-reference", "--quick", "--universe", "6",
           "--doc", str(doc), "--readme", str(readme), "--json", str(raw)]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]

    assert "| Cold full build |" in done.stdout
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Performance") and START in text and END in text
    for row in ("| Cold full build |", "| Rebuild, nothing changed |", "| Rebuild, one new trading day", "| Headline chart as static SVG",
                "the whole KOSPI universe | 6 |", "| report | ", "| First visit (`reports/", "| Repeat visit (`reports/"):
        assert row in text, row
    assert "Machine: " in text and " cores" in text and "Python " in text
    short = readme.read_text(encoding="utf-8")
    assert "placeholder-to-replace" not in short and "| Cold full build |" in short and short.endswith("## Next\n")

    results = json.loads(raw.read_text(encoding="utf-8"))
    main = results["main"]
    assert main["days"] > 30 and main["cold"]["returncode"] == 0 and main["cold"]["max_rss"] > 0
    assert results["unchanged"]["returncode"] == 0 and results["new_day"]["returncode"] == 0
    assert results["universe"]["cold"]["returncode"] == 0
    # Every report page is weighed, and a repeat visit downloads less than the first one.
    assert results["weight"]["html"]["report"]["raw"]["n"] == main["days"] + 1
    transfer = results["weight"]["transfer"]
    assert 0 < transfer["repeat"]["bytes"] < transfer["first"]["bytes"]
    assert "up to date" in results["unchanged"]["output"]  # the no-change rebuild did nothing
    carried = re.search(r"(\d+) rendered, (\d+) unchanged", results["new_day"]["output"])
    assert carried and 0 < int(carried.group(1)) < int(carried.group(2)), "a new day re-renders only a few pages"
    assert results["pages"]["pages"] == main["days"] + 1  # every page's charts timed, the new day too
    assert results["stages"]["timings"], "the build reports its steps"



def test_tracked_tickers_follow_a_replaced_price_table(tmp_path: Path) -> None:
    """The per-page lookups are computed once (a performance fix) but never go stale."""
    content = tmp_path / "content"
    bench_data.make_content(content, years=1, stocks=3)
    data = load_dataset(content)
    first = data.tracked_tickers
    assert first == list(data.stocks["ticker"]) and data.tracked_tickers == first
    extra = data.stock_prices.iloc[:1].assign(ticker="999999")
    data.stock_prices = pd.concat([data.stock_prices, extra], ignore_index=True)
    assert data.tracked_tickers == first + ["999999"]
    days = data.trading_days
    data.index_daily = data.index_daily[data.index_daily["date"] < data.index_daily["date"].max()]
    assert data.trading_days == days[:-1]
