"""Property tests: the vectorised analysis against plain brute-force twins written here.

The report's headline claims (a record, the previous record and when it was set, a round
level crossed for the first time, the fourth straight gain, the latest figure of a lagging
series) must be exactly right on any data, so each is checked on random series with ties,
flat days, a single day, no days, huge values, whole numbers and fractions.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.analysis.milestones import milestones
from generator.analysis.records import records
from generator.analysis.series import Series, balance_series, price_series
from generator.analysis.streaks import streaks

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies ------------------------------------------------------------------------

#: Few distinct values, so that ties and flat stretches are common.
_tied = st.lists(st.sampled_from([1.0, 2.0, 2.5, 3.0, 100.0, 4599.99, 4600.0, 4600.01]), max_size=40)
_ints = st.lists(st.integers(min_value=0, max_value=10**15), max_size=40).map(lambda xs: [float(x) for x in xs])
_floats = st.lists(st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False), max_size=40)
_cents = st.lists(st.integers(min_value=1, max_value=900_000).map(lambda x: x / 100), max_size=40)
series_values = st.one_of(_tied, _ints, _floats, _cents)


# -- brute-force twins -----------------------------------------------------------------


def brute_records(v: list[float]) -> tuple[list[bool], list[float], list[int]]:
    rec, prev_value, prev_index = [], [], []
    for i, x in enumerate(v):
        if i == 0:
            rec.append(False)
            prev_value.append(math.nan)
            prev_index.append(-1)
            continue
        best = max(v[:i])
        rec.append(x > best)
        prev_value.append(best)
        prev_index.append(v.index(best))  # the first date the earlier maximum was reached
    return rec, prev_value, prev_index


def brute_milestones(v: list[float], step: float) -> list[list[float]]:
    out: list[list[float]] = []
    for i, x in enumerate(v):
        if i == 0:
            out.append([])
            continue
        earlier = max(v[:i])
        levels = []
        k = math.floor(min(v) / step) - 1
        while round(k * step, 9) <= x:
            level = round(k * step, 9)  # levels are written as decimals: 1.7, not 1.7000000000000002
            if earlier < level <= x:
                levels.append(level)
            k += 1
        out.append(levels)
    return out


def brute_streaks(v: list[float]) -> list[int]:
    out = []
    for i in range(len(v)):
        if i == 0 or v[i] == v[i - 1]:
            out.append(0)
            continue
        up = v[i] > v[i - 1]
        n = 0
        j = i
        while j > 0 and ((v[j] > v[j - 1]) if up else (v[j] < v[j - 1])):
            n += 1
            j -= 1
        out.append(n if up else -n)
    return out


def brute_at(dates: list[dt.date], day: dt.date) -> int:
    found = -1
    for j, d in enumerate(dates):
        if d <= day:
            found = j
    return found


# -- records, milestones, streaks ------------------------------------------------------


@SETTINGS
@given(series_values)
def test_records_match_brute_force(v: list[float]) -> None:
    got = records(np.array(v, dtype=float))
    rec, prev_value, prev_index = brute_records(v)
    assert got.record.tolist() == rec
    assert got.previous_index.tolist() == prev_index
    assert np.array_equal(got.previous_value, np.array(prev_value, dtype=float), equal_nan=True)


@SETTINGS
@given(series_values)
def test_first_day_is_never_a_record(v: list[float]) -> None:
    got = records(np.array(v, dtype=float))
    if v:
        assert not got.record[0]
        assert got.previous_index[0] == -1


@SETTINGS
@given(
    st.one_of(_tied, st.lists(st.integers(min_value=1, max_value=20_000).map(lambda x: x / 4), max_size=40)),
    st.sampled_from([1, 50, 100, 1000, 0.5, 2.5]),
)
def test_milestones_match_brute_force(v: list[float], step: float) -> None:
    assert milestones(np.array(v, dtype=float), step) == brute_milestones(v, step)


@SETTINGS
@given(st.lists(st.floats(min_value=1, max_value=10_000, allow_nan=False), max_size=30), st.sampled_from([100, 7, 2.5]))
def test_milestones_never_claim_a_level_not_reached(v: list[float], step: float) -> None:
    got = milestones(np.array(v, dtype=float), step)
    assert got == brute_milestones(v, step)
    for i, levels in enumerate(got):
        for level in levels:
            assert v[i] >= level > max(v[:i])


def test_milestone_levels_are_exact_decimals() -> None:
    # 1.7 / 0.1 == 17.0 but 17 * 0.1 == 1.7000000000000002: the level is 1.7 and 1.7 reaches it
    assert milestones(np.array([1.0, 1.7]), 0.1)[1] == [1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7]
    below = float(np.nextafter(1.7, 0.0))
    assert milestones(np.array([1.0, below]), 0.1)[1][-1] == 1.6
    assert milestones(np.array([4500.0, float(np.nextafter(4600.0, 0.0))]), 100) == [[], []]
    assert milestones(np.array([4500.0, 4599.99, 4600.0]), 100) == [[], [], [4600]]


@SETTINGS
@given(series_values)
def test_streaks_match_brute_force(v: list[float]) -> None:
    assert streaks(np.array(v, dtype=float)).tolist() == brute_streaks(v)


def test_edge_cases_by_hand() -> None:
    assert records(np.array([])).record.tolist() == []
    assert records(np.array([5.0])).record.tolist() == [False]
    assert streaks(np.array([5.0])).tolist() == [0]
    assert milestones(np.array([5.0]), 100) == [[]]
    assert streaks(np.array([1.0, 2, 3, 3, 2, 1, 1, 2])).tolist() == [0, 1, 2, 0, -1, -2, 0, 1]
    r = records(np.array([3.0, 5, 5, 4, 6]))
    assert r.record.tolist() == [False, True, False, False, True]
    assert r.previous_index.tolist() == [-1, 0, 1, 1, 1]  # a tie does not move the first date reached
    assert milestones(np.array([4480.0, 4611.72, 4700.0]), 100) == [[], [4500, 4600], [4700]]


# -- dated series: the as-of lookup and the facts built on it --------------------------

_day0 = dt.date(2020, 1, 1)
dated_rows = st.lists(st.integers(min_value=0, max_value=60), max_size=25, unique=True).map(sorted)


@SETTINGS
@given(dated_rows, st.lists(st.integers(min_value=-5, max_value=80), max_size=20))
def test_as_of_lookup_matches_brute_force(offsets: list[int], queries: list[int]) -> None:
    dates = [_day0 + dt.timedelta(days=o) for o in offsets]
    series = Series(np.array(dates, dtype="datetime64[D]"), [{"as_of": d.isoformat()} for d in dates])
    days = [_day0 + dt.timedelta(days=q) for q in queries]
    got = series.at(np.array(days, dtype="datetime64[D]")).tolist()
    assert got == [brute_at(dates, d) for d in days]
    for d in days:
        facts = series.latest(d)
        j = brute_at(dates, d)
        assert facts == (None if j < 0 else {"as_of": dates[j].isoformat()})
        if facts is not None:  # never a figure from the day's future
            assert dt.date.fromisoformat(facts["as_of"]) <= d


@SETTINGS
@given(dated_rows, st.integers(min_value=0, max_value=5))
def test_lagging_series_uses_latest_row_on_or_before(offsets: list[int], lag: int) -> None:
    """A series that stops ``lag`` days before the report days still answers with its last row."""
    dates = [_day0 + dt.timedelta(days=o) for o in offsets]
    series = Series(np.array(dates, dtype="datetime64[D]"), [{"i": i} for i in range(len(dates))])
    if not dates:
        assert series.latest(_day0) is None
        return
    day = dates[-1] + dt.timedelta(days=lag)
    assert series.latest(day) == {"i": len(dates) - 1}


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=30)), max_size=30
    )
)
def test_balance_facts_match_brute_force(rows: list[tuple[int, int]]) -> None:
    """Balances with gaps between dates: record, previous record (value and first date), change."""
    dates, day = [], _day0
    for gap, _ in rows:
        day += dt.timedelta(days=gap)
        dates.append(day)
    values = [float(b * 10**9) for _, b in rows]
    frame = pd.DataFrame({"date": pd.to_datetime(dates), "balance": values})
    facts = balance_series(frame).facts
    rec, prev_value, prev_index = brute_records(values)
    for i, f in enumerate(facts):
        assert f["as_of"] == dates[i].isoformat()
        assert f["balance"] == values[i]
        assert f["change"] == (None if i == 0 else values[i] - values[i - 1])
        assert f["record"] == rec[i]
        if i == 0:
            assert f["previous_record"] is None
        else:
            assert f["previous_record"] == {"value": prev_value[i], "date": dates[prev_index[i]].isoformat()}


@SETTINGS
@given(st.lists(st.integers(min_value=100, max_value=500_000), min_size=1, max_size=30), st.sampled_from([100, 1000]))
def test_price_facts_match_brute_force(cents: list[int], step: int) -> None:
    """Index-style rows (2 decimals): change, change_pct, records, milestones and streak per row."""
    close = [c / 100 for c in cents]
    high = [c + 0.5 for c in close]
    dates = pd.bdate_range("2024-01-01", periods=len(close))
    frame = pd.DataFrame({"date": dates, "open": close, "high": high, "low": close, "close": close})
    facts = price_series(frame, digits=2, milestone_step=step).facts
    rc, pc_value, pc_index = brute_records(close)
    rh, _, _ = brute_records(high)
    st_ = brute_streaks(close)
    mh = brute_milestones(high, step)
    for i, f in enumerate(facts):
        assert f["close"] == close[i]
        if i == 0:
            assert f["change"] is None and f["change_pct"] is None and f["prev_close"] is None
        else:
            assert f["change"] == round(close[i] - close[i - 1], 2)
            assert f["change_pct"] == round((close[i] - close[i - 1]) / close[i - 1] * 100, 2)
        assert f["record_close"] == rc[i]
        assert f["record_high"] == rh[i]
        assert f["streak"] == st_[i]
        assert f["milestones_high"] == mh[i]
        if i:
            assert f["previous_record_close"] == {"value": pc_value[i], "date": str(dates[pc_index[i]].date())}


def test_each_stock_day_is_one_dict_shared_by_the_history_and_the_snapshots() -> None:
    """Memory that grows with stocks × days is held once: a stock's analysed row leads with its
    names and is the snapshot's entry itself, and rows that share a previous record share its
    dict (a 950-stock history held three copies of every row before)."""
    from generator.analysis.history import analyse
    from generator.build import load_dataset
    from generator.snapshot import make_snapshots
    from tests.conftest import CONTENT

    data = load_dataset(CONTENT)
    hist = analyse(data)
    snapshots = make_snapshots(data, hist)
    day = data.trading_days[-1]
    for ticker, entry in snapshots[day]["stocks"].items():
        row = hist.stocks[ticker].latest(day)
        assert entry is row
        assert list(entry)[:3] == ["name", "name_ko", "sector"]
    rows = hist.stocks[next(iter(hist.stocks))].facts
    previous = [r["previous_record_high"] for r in rows if r["previous_record_high"] is not None]
    assert len({id(p) for p in previous}) == len({(p["value"], p["date"]) for p in previous}) < len(previous)
