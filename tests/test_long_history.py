"""The build on random histories, not just the sample: 12 years of 15 stocks, no anchors.

Every snapshot of the long history must validate against the schema, and the figures of
randomly chosen days (index, stocks, margin loans, lending, flows, fx) must equal a plain
recomputation from the CSV files with pandas: the latest row on or before the day, records
against every earlier row, the previous record's first date, milestones, streaks and changes.

The long history's snapshots are made by the build's own stages and serialised exactly as the
build writes them (``snapshot_json``); rendering its ~3,000 report pages would cost minutes
of CPU without checking anything more about the figures. A whole site is built from a
shorter random history instead, and its published files are checked the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from generator.schemas import snapshot_errors

START, END, STOCKS, SEED = "2014-01-02", "2025-12-30", 15, 11
STEP = 100  # the default milestone_step


@pytest.fixture(scope="module")
def long_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sample = pytest.importorskip("generator.sample")
    content = tmp_path_factory.mktemp("long") / "content"
    sample.generate(content / "data", start=START, end=END, n_stocks=STOCKS, seed=SEED, anchors=False)
    return content


@pytest.fixture(scope="module")
def long_snapshots(long_content: Path) -> dict[str, dict]:
    """Every snapshot of the long history, as the JSON the build would publish."""
    from generator.analysis.history import analyse
    from generator.build import load_dataset
    from generator.snapshot import make_snapshots, snapshot_json

    data = load_dataset(long_content)
    snaps = make_snapshots(data, analyse(data))
    return {day.isoformat(): json.loads(snapshot_json(snap)) for day, snap in snaps.items()}


@pytest.fixture(scope="module")
def short_site(random_site: tuple[Path, Path]) -> tuple[Path, Path]:
    """A whole site built from a random year of 15 stocks: (content, site) (tests/conftest.py)."""
    return random_site


@pytest.fixture(scope="module")
def csvs(long_content: Path) -> dict[str, pd.DataFrame]:
    text = {"ticker": str, "index": str, "market": str, "investor": str}
    out = {}
    for path in (long_content / "data").glob("*.csv"):
        frame = pd.read_csv(path, dtype=text, keep_default_na=False, na_values=[""])
        if "date" in frame:
            frame["date"] = frame["date"].astype(str)
            frame = frame.sort_values("date", kind="stable")
        out[path.stem] = frame
    return out


@pytest.fixture(scope="module")
def days(csvs: dict[str, pd.DataFrame]) -> list[str]:
    kospi = csvs["index_daily"][csvs["index_daily"]["index"] == "KOSPI"]
    return sorted(kospi["date"])


@pytest.fixture(scope="module")
def chosen(days: list[str]) -> list[str]:
    """The first two days, the last, and 60 random days in between (fixed seed)."""
    rng = random.Random(20260107)
    return sorted({days[0], days[1], days[-1], *rng.sample(days, 60)})


# -- brute force from the CSVs ----------------------------------------------------------------


def _upto(rows: pd.DataFrame, day: str) -> pd.DataFrame:
    return rows[rows["date"] <= day]


def _previous(values: list[float], dates: list[str]) -> dict | None:
    """The highest earlier value and the first date it was reached."""
    if len(values) < 2:
        return None
    best = max(values[:-1])
    return {"value": best, "date": dates[values.index(best)]}


def _streak(closes: list[float]) -> int:
    n = 0
    for a, b in zip(reversed(closes[:-1]), reversed(closes[1:]), strict=True):
        step = (b > a) - (b < a)
        if step == 0 or (n and (n > 0) != (step > 0)):
            break
        n += step
    return n


def brute_price(rows: pd.DataFrame, day: str) -> dict | None:
    rows = _upto(rows, day)
    if rows.empty:
        return None
    dates = list(rows["date"])
    close = [round(float(v), 2) for v in rows["close"]]
    high = [round(float(v), 2) for v in rows["high"]]
    facts = {"as_of": dates[-1], "close": close[-1], "high": high[-1], "streak": _streak(close)}
    if len(close) > 1:
        facts["change"] = round(close[-1] - close[-2], 2)
        facts["change_pct"] = round((close[-1] - close[-2]) / close[-2] * 100, 2)
    else:
        facts["change"] = facts["change_pct"] = None
    facts["record_close"] = len(close) > 1 and close[-1] > max(close[:-1])
    facts["record_high"] = len(high) > 1 and high[-1] > max(high[:-1])
    facts["previous_record_close"] = _previous(close, dates)
    facts["previous_record_high"] = _previous(high, dates)
    if len(high) > 1:
        earlier = max(high[:-1])
        facts["milestones_high"] = [k * STEP for k in range(1, int(high[-1] // STEP) + 2) if earlier < k * STEP <= high[-1]]
    else:
        facts["milestones_high"] = []
    return facts


def brute_balance(rows: pd.DataFrame, day: str) -> dict | None:
    rows = _upto(rows, day)
    if rows.empty:
        return None
    dates = list(rows["date"])
    values = [float(v) for v in rows["balance"]]
    return {
        "balance": values[-1],
        "as_of": dates[-1],
        "change": values[-1] - values[-2] if len(values) > 1 else None,
        "record": len(values) > 1 and values[-1] > max(values[:-1]),
        "previous_record": _previous(values, dates),
    }


def _same(got: dict, want: dict) -> None:
    for key, value in want.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, abs=1e-9), key
        else:
            assert got[key] == value, key


# -- the tests ----------------------------------------------------------------------------------


def test_every_snapshot_validates(long_snapshots: dict[str, dict], days: list[str]) -> None:
    assert list(long_snapshots) == days
    assert len(days) > 2900
    for day, doc in long_snapshots.items():
        assert doc["date"] == day
        errors = snapshot_errors(doc)
        assert not errors, f"{day}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_index_figures_match_brute_force(long_snapshots: dict[str, dict], csvs: dict, chosen: list[str]) -> None:
    kospi = csvs["index_daily"][csvs["index_daily"]["index"] == "KOSPI"]
    records = 0
    for day in chosen:
        got = long_snapshots[day]["indices"]["KOSPI"]
        want = brute_price(kospi, day)
        _same(got, want)
        records += got["record_close"]
    assert records < len(chosen)  # a random history is not all records


def test_stock_figures_match_brute_force(long_snapshots: dict[str, dict], csvs: dict, chosen: list[str]) -> None:
    prices = csvs["stock_prices"]
    by_ticker = {t: rows for t, rows in prices.groupby("ticker")}
    assert len(by_ticker) == STOCKS
    rng = random.Random(7)
    for day in chosen:
        snap = long_snapshots[day]
        for ticker in rng.sample(sorted(by_ticker), 4):
            want = brute_price(by_ticker[ticker], day)
            if want is None:
                assert ticker not in snap["stocks"]
                continue
            want.pop("milestones_high")  # stocks have no milestones
            _same(snap["stocks"][ticker], want)


def test_lagging_balances_match_brute_force(long_snapshots: dict[str, dict], csvs: dict, chosen: list[str]) -> None:
    margin = {m: rows for m, rows in csvs["margin_loans"].groupby("market")}
    lending = {t: rows for t, rows in csvs["stock_lending"].groupby("ticker")}
    rng = random.Random(3)
    lagged = 0
    for day in chosen:
        snap = long_snapshots[day]
        for market, rows in margin.items():
            want = brute_balance(rows, day)
            if want is None:
                assert market not in snap["margin_loans"]
                continue
            _same(snap["margin_loans"][market], want)
            lagged += want["as_of"] < day
        for ticker in rng.sample(sorted(lending), 3):
            want = brute_balance(lending[ticker], day)
            if want is None:
                assert ticker not in snap["stock_lending"]
            else:
                _same(snap["stock_lending"][ticker], want)
    assert lagged > 0  # the series really lag, so as_of was exercised


def test_flows_and_dollars_match_brute_force(long_snapshots: dict[str, dict], csvs: dict, chosen: list[str]) -> None:
    flows, fx = csvs["investor_flows"], csvs["fx"]
    for day in chosen:
        snap = long_snapshots[day]
        rate_rows = _upto(fx, day)
        rate = float(rate_rows["usdkrw"].iloc[-1]) if not rate_rows.empty else None
        if rate is not None:
            assert snap["fx"] == {"usdkrw": pytest.approx(rate), "as_of": rate_rows["date"].iloc[-1]}
        for market, rows in flows.groupby("market"):
            rows = _upto(rows, day)
            if rows.empty:
                continue
            last = rows[rows["date"] == rows["date"].iloc[-1]]
            for _, row in last.iterrows():
                got = snap["flows"][market][row["investor"]]
                won = float(row["net_buy"])
                assert got["won"] == won and got["as_of"] == row["date"]
                assert got["usd"] == (round(won / rate) if rate else None)


def test_ledes_of_the_long_history(long_snapshots: dict[str, dict], chosen: list[str]) -> None:
    """Every chosen day's lede states the KOSPI's close, and its headline is never the generic one."""
    from generator.story.english import write_stories

    snaps = {dt.date.fromisoformat(d): s for d, s in long_snapshots.items()}
    written = write_stories(snaps)
    for day in chosen:
        story = written[dt.date.fromisoformat(day)]
        assert story.lede and any(s.startswith("The KOSPI ") for s in story.lede)
        assert f"{long_snapshots[day]['indices']['KOSPI']['close']:,.2f}" in " ".join(story.lede)
        assert "report for" not in story.headline


@pytest.mark.slow
@pytest.mark.xdist_group("random_site")
def test_whole_site_from_a_random_history(short_site: tuple[Path, Path]) -> None:
    """Every published snapshot validates and is what the stages compute; pages and ledes exist."""
    from generator.analysis.history import analyse
    from generator.build import load_dataset
    from generator.snapshot import make_snapshots, snapshot_json

    content, site = short_site
    data = load_dataset(content)
    expected = make_snapshots(data, analyse(data))
    files = sorted((site / "data" / "snapshots").glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"))
    assert [f.stem for f in files] == [d.isoformat() for d in expected]
    for path, (day, snap) in zip(files, expected.items(), strict=True):
        text = path.read_text(encoding="utf-8")
        assert text == snapshot_json(snap), day
        errors = snapshot_errors(json.loads(text))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].absolute_path)}"
    last = files[-1].stem
    page = (site / "reports" / last / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="lede"[^>]*>The KOSPI ', page)
    research = (site / "research" / "leverage-risk" / "index.html").read_text(encoding="utf-8")
    assert "Stocks with heavier borrowing" in research or "Too few stocks" in research
