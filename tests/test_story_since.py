"""Every "since" fact of the story engine against a brute-force twin on random histories.

"The steepest fall since Aug. 5, 2024" is a claim a reader can check: the last earlier day with
a fall at least as steep. Each fact family answers it with a one-pass algorithm; here each is
compared, day by day, with the obvious backward scan -- on short histories with many ties (values
drawn from a few levels), gaps, NaNs and the first days of the data, where such code goes wrong.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis.series import balance_series, flow_series, price_series, value_series
from generator.story.index_facts import LITTLE_CHANGED, SECONDARY_LOOKBACK, IndexHistory
from generator.story.market_facts import StockHistory
from generator.story.money_facts import BalanceHistory, FlowHistory, FxHistory
from generator.story.since import previous_at_least, previous_at_most, run_end

# -- the primitive ----------------------------------------------------------------------------

values = st.lists(st.one_of(st.sampled_from([1.0, 2.0, 2.0, 3.0, -1.0]), st.floats(-5, 5), st.just(math.nan)), max_size=60)


def brute_at_least(v: list[float], i: int) -> int:
    if v[i] != v[i]:
        return -1
    for j in range(i - 1, -1, -1):
        if v[j] == v[j] and v[j] >= v[i]:
            return j
    return -1


@given(values)
def test_previous_at_least_is_the_last_earlier_value_at_least_as_big(v: list[float]) -> None:
    got = previous_at_least(np.array(v, dtype=float)).tolist()
    assert got == [brute_at_least(v, i) for i in range(len(v))]


@given(values)
def test_previous_at_most_is_the_last_earlier_value_at_most_as_big(v: list[float]) -> None:
    neg = [-x for x in v]
    got = previous_at_most(np.array(v, dtype=float)).tolist()
    assert got == [brute_at_least(neg, i) for i in range(len(v))]


@given(st.lists(st.sampled_from([-1, 0, 1]), min_size=1, max_size=30), st.data())
def test_run_end_is_the_last_day_of_the_run(signs: list[int], data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(signs) - 1))
    end = run_end(np.array(signs), start)
    assert all(signs[k] == signs[start] for k in range(start, end + 1))
    assert end == start or signs[start] != 0
    assert end + 1 == len(signs) or signs[end + 1] != signs[start] or signs[start] == 0


# -- random histories -------------------------------------------------------------------------

DAYS = pd.bdate_range("2020-01-01", periods=400)


@st.composite
def index_frames(draw: st.DrawFn) -> pd.DataFrame:
    """An index history of 2 to 400 days whose closes move by a few fixed steps, so that ties,
    repeated levels and runs are common."""
    n = draw(st.integers(2, 400))
    steps = draw(st.lists(st.sampled_from([-3.0, -1.5, -1.0, 0.0, 1.0, 1.5, 3.0, 0.5]), min_size=n - 1, max_size=n - 1))
    close = 2000.0 + np.concatenate([[0.0], np.cumsum(np.array(steps) * 10)])
    wiggle = draw(st.lists(st.sampled_from([0.0, 5.0, 10.0, 25.0]), min_size=n, max_size=n))
    high = close + np.array(wiggle)
    low = close - np.array(wiggle[::-1])
    value = draw(st.lists(st.sampled_from([1e12, 2e12, 3e12, 2e12]), min_size=n, max_size=n))
    return pd.DataFrame({"date": DAYS[:n], "open": close, "high": high, "low": low, "close": close, "trading_value": value})


def _same_way_brute(pct: list, i: int) -> int:
    """The last earlier day with a move at least as big the same way."""
    for j in range(i - 1, -1, -1):
        if pct[j] is None:
            continue
        if (pct[i] > 0 and pct[j] >= pct[i]) or (pct[i] < 0 and pct[j] <= pct[i]):
            return j
    return -1


def _facts(history: IndexHistory, day: str) -> dict:
    return {f.kind: f for f in history.facts_on(day, 1.0, lambda d: [])}


@settings(max_examples=60, deadline=None)
@given(index_frames())
def test_index_since_facts_match_a_backward_scan(frame: pd.DataFrame) -> None:
    series = price_series(frame, digits=2, milestone_step=100)
    history = IndexHistory("KOSPI", series, frame["trading_value"].to_numpy(dtype=float), 100)
    rows = series.facts
    pct = [r["change_pct"] for r in rows]
    closes = [r["close"] for r in rows]
    ranges = [None if r["prev_close"] is None else round((r["high"] - r["low"]) / r["prev_close"] * 100, 2) for r in rows]
    for i, row in enumerate(rows):
        facts = _facts(history, row["as_of"])
        move = facts["index_move"]
        if i == 0:
            assert move.values["direction"] == "first" and move.lookback is None  # nothing to compare with
            continue
        if abs(pct[i]) < LITTLE_CHANGED:
            assert move.values["direction"] == "flat"
            continue
        j = _same_way_brute(pct, i)
        assert move.since == (rows[j]["as_of"] if j >= 0 else None), (i, pct[i])
        assert move.lookback == (i - j if j >= 0 else i)
        assert move.data_begins == rows[0]["as_of"]
        if j >= 0:
            assert move.since_value == pct[j]
        # The highest (lowest) close since: the last earlier close at least as high (low).
        up = pct[i] > 0
        k = next((k for k in range(i - 1, -1, -1) if (closes[k] >= closes[i] if up else closes[k] <= closes[i])), -1)
        lookback = i - k if k >= 0 else i
        told = "index_close_since" in facts
        expect = lookback >= SECONDARY_LOOKBACK and not row["record_close"] and not (up and k < 0)
        assert told == expect, (i, k)
        if told:
            assert facts["index_close_since"].since == (rows[k]["as_of"] if k >= 0 else None)
        # The widest range since.
        if "index_swing" in facts:
            w = next((w for w in range(i - 1, -1, -1) if ranges[w] is not None and ranges[w] >= ranges[i]), -1)
            assert facts["index_swing"].since == (rows[w]["as_of"] if w >= 0 else None)
            assert facts["index_swing"].values["range_pct"] == ranges[i]
        # Turnover: the most since.
        if "index_turnover" in facts:
            tv = frame["trading_value"].tolist()
            w = next((w for w in range(i - 1, -1, -1) if tv[w] >= tv[i]), -1)
            assert facts["index_turnover"].since == (rows[w]["as_of"] if w >= 0 else None)


@settings(max_examples=60, deadline=None)
@given(index_frames())
def test_streaks_and_round_levels_match_a_backward_scan(frame: pd.DataFrame) -> None:
    series = price_series(frame, digits=2, milestone_step=100)
    history = IndexHistory("KOSPI", series, None, 100)
    rows = series.facts
    streak = [r["streak"] for r in rows]
    closes = [r["close"] for r in rows]
    for i, row in enumerate(rows):
        facts = _facts(history, row["as_of"])
        s = streak[i]
        if abs(s) < 2:
            assert "index_streak" not in facts
        else:
            f = facts["index_streak"]
            assert f.values["days"] == abs(s)
            # The last earlier run at least as long the same way, named by its last day.
            k = next((k for k in range(i - 1, -1, -1) if (streak[k] >= s if s > 0 else streak[k] <= s)), -1)
            if k < 0:
                assert f.since is None and f.lookback == i
            else:
                end = k
                while end + 1 < len(streak) and np.sign(streak[end + 1]) == np.sign(streak[k]) and streak[end + 1] != 0:
                    end += 1
                assert f.since == rows[end]["as_of"] and f.since_value == abs(streak[end])
        cross = facts.get("index_level_cross")
        if cross is not None:
            level, above = cross.values["level"], cross.values["direction"] == "above"
            assert (closes[i] >= level > closes[i - 1]) if above else (closes[i] < level <= closes[i - 1])
            k = next((k for k in range(i - 1, -1, -1) if (closes[k] >= level if above else closes[k] < level)), -1)
            assert cross.since == (rows[k]["as_of"] if k >= 0 else None)
            assert cross.lookback == (i - k if k >= 0 else i) >= SECONDARY_LOOKBACK


@settings(max_examples=60, deadline=None)
@given(index_frames())
def test_a_correction_is_entered_once_per_record(frame: pd.DataFrame) -> None:
    """Told on the first close 10 % (20 %) below the record since that record was set."""
    series = price_series(frame, digits=2, milestone_step=None)
    history = IndexHistory("KOSPI", series, None, None)
    closes = [f["close"] for f in series.facts]
    for i in range(1, len(closes)):
        record = max(closes[: i + 1])
        set_on = closes.index(record)
        below = [(1 - closes[j] / record) * 100 for j in range(set_on, i + 1)]
        expect = None
        for threshold, stage in ((20.0, "bear_market"), (10.0, "correction")):
            if below[-1] >= threshold > max(below[:-1], default=0.0):
                expect = stage
                break
        told = [f for f in history.facts_on(series.facts[i]["as_of"], 1.0, lambda d: []) if f.kind == "index_drawdown"]
        assert (told[0].values["stage"] if told else None) == expect, i
        if told:
            assert told[0].values["record_date"] == series.facts[set_on]["as_of"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([-3e11, -1e11, 0.0, 1e11, 2e11, 3e11]), min_size=1, max_size=200))
def test_flow_extremes_and_runs_match_a_backward_scan(foreign: list[float]) -> None:
    n = len(foreign)
    frame = pd.DataFrame({"date": DAYS[:n], "investor": "foreigners", "net_buy": foreign})
    history = FlowHistory("KOSPI", flow_series(frame))
    for i in range(n):
        facts = history.facts_on(history.days[i])
        extreme = [f for f in facts if f.kind == "flow_extreme"]
        run = [f for f in facts if f.kind == "flow_streak"]
        x = foreign[i]
        if x == 0:
            assert not extreme and not run
            continue
        j = next((j for j in range(i - 1, -1, -1) if (foreign[j] >= x if x > 0 else foreign[j] <= x)), -1)
        lookback = i - j if j >= 0 else i
        assert bool(extreme) == (lookback >= 60)
        if extreme:
            assert extreme[0].since == (history.days[j] if j >= 0 else None)
        days = 0
        for k in range(i, -1, -1):
            if np.sign(foreign[k]) != np.sign(x):
                break
            days += 1
        assert bool(run) == (days >= 5)
        if run:
            assert run[0].values["days"] == days


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([1300.0, 1310.5, 1320.0, 1310.5, 1290.25]), min_size=2, max_size=200))
def test_the_won_weakest_and_strongest_since(rates: list[float]) -> None:
    n = len(rates)
    history = FxHistory(value_series(pd.DataFrame({"date": DAYS[:n], "usdkrw": rates}), "usdkrw", 2))
    for i in range(1, n):
        facts = history.facts_on(history.days[i])
        if rates[i] == rates[i - 1]:
            assert not facts
            continue
        weaker = rates[i] > rates[i - 1]
        j = next((j for j in range(i - 1, -1, -1) if (rates[j] >= rates[i] if weaker else rates[j] <= rates[i])), -1)
        assert facts[0].values["won"] == ("weaker" if weaker else "stronger")
        assert facts[0].since == (history.days[j] if j >= 0 else None)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.9, 0.95, 1.0, 1.06, 1.1, 0.94]), min_size=2, max_size=200))
def test_a_stocks_biggest_move_since(ratios: list[float]) -> None:
    closes = list(np.round(50_000 * np.cumprod([1.0] + ratios[1:])))
    n = len(closes)
    frame = pd.DataFrame({"date": DAYS[:n], "open": closes, "high": closes, "low": closes, "close": closes})
    series = price_series(frame, digits=2, milestone_step=None)
    history = StockHistory(series)
    pct = [f["change_pct"] for f in series.facts]
    for i in range(1, n):
        if not pct[i]:
            continue
        j, lookback = history.move_since(i)
        assert j == _same_way_brute(pct, i)
        assert lookback == (i - j if j >= 0 else i)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1e11, 2e11, -1e11, 5e10]), min_size=1, max_size=150))
def test_margin_weekly_rise_since(steps: list[float]) -> None:
    balance = list(20e12 + np.cumsum(steps))
    n = len(balance)
    series = balance_series(pd.DataFrame({"date": DAYS[:n], "balance": balance}))
    history = BalanceHistory("total", series)
    week = [None] * 5 + [balance[k] - balance[k - 5] for k in range(5, n)]
    for i in range(n):
        row = series.facts[i]
        day = row["as_of"]
        facts = [f for f in history.facts_on(day, row) if f.kind == "margin_weekly_rise"]
        if week[i] is None or week[i] <= 0:
            assert not facts
            continue
        j = next((j for j in range(i - 1, 4, -1) if week[j] is not None and week[j] >= week[i]), -1)
        lookback = i - j if j >= 0 else i - 5
        assert bool(facts) == (lookback >= 60)
        if facts:
            assert facts[0].since == (series.facts[j]["as_of"] if j >= 0 else None)


def test_period_ends_compare_whole_periods_only() -> None:
    """The year's change needs the close before it began; "best year since" counts whole years."""
    days = pd.bdate_range("2019-06-03", "2023-12-29")
    close = np.linspace(2000, 3000, len(days))
    close[days.year == 2021] = 2500.0  # a flat year
    frame = pd.DataFrame({"date": days, "open": close, "high": close, "low": close, "close": close})
    series = price_series(frame, digits=2, milestone_step=None)
    history = IndexHistory("KOSPI", series, None, None)
    ends = lambda d: ["year"] if d == dt.date(d.year, 12, 31) or (d.month == 12 and d == days[days.year == d.year][-1].date()) else []  # noqa: E731
    by_year = {}
    for day in (days[days.year == y][-1] for y in range(2019, 2024)):
        facts = [f for f in history.facts_on(day.date().isoformat(), 1.0, ends) if f.kind == "index_period"]
        by_year[day.year] = facts
    assert by_year[2019] == []  # the data begins inside 2019: its opening close is unknown
    first = by_year[2020][0]
    assert first.values["label"] == "2020" and first.lookback == 0 and first.since is None
    y2023 = by_year[2023][0]
    start = float(series.facts[[f["as_of"] for f in series.facts].index(days[days.year == 2022][-1].date().isoformat())]["close"])
    assert y2023.values["start_close"] == start
    assert y2023.values["change_pct"] == round((series.facts[-1]["close"] / start - 1) * 100, 2)
    gains = {y: by_year[y][0].values["change_pct"] for y in (2020, 2021, 2022, 2023)}
    best_before = [y for y in (2022, 2021, 2020) if gains[y] >= gains[2023]]
    assert y2023.since == (str(best_before[0]) if best_before else None)
