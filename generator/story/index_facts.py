"""Facts about an index's day: the move and what it beat, records, round levels, streaks,
distance from the record, swings, turnover and how a month, quarter or year went.

Every array is computed once per index over its whole history (``IndexHistory``); a day's
facts are then a handful of lookups. Values come from the analysed series (the same rounded
figures the snapshot publishes), so a fact never disagrees with the numbers beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from generator.analysis.series import Series, figure, number
from generator.snapshot_types import IndexFacts
from generator.story.facts import MIN_LOOKBACK, Fact, Since, move_score, since_score
from generator.story.since import previous_at_least, previous_at_most, run_end

#: Below the record by this much (percent) is a correction; by BEAR, a bear market.
CORRECTION, BEAR = 10.0, 20.0
#: A "since" this short is not told for secondary facts (highest close, swings, turnover).
SECONDARY_LOOKBACK = 60
#: A rise after a fall at least this steep (percent) is a rebound.
REBOUND_AFTER = 2.0
#: A move that rounds to 0.0 % at one decimal is "little changed", never "rose 0.0 %".
LITTLE_CHANGED = 0.05

PeriodEnd = Callable[[dt.date], list[str]]


def _arr(facts: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    return np.array([np.nan if f.get(key) is None else f[key] for f in facts], dtype=float)


class IndexHistory:
    """One index's history, ready to answer "since" questions for any of its days."""

    def __init__(self, name: str, series: Series[IndexFacts], trading_value: np.ndarray | None, milestone_step: float | None):
        self.name = name
        self.facts = series.facts
        self.days = [f["as_of"] for f in series.facts]
        self.position = {d: i for i, d in enumerate(self.days)}
        self.close = _arr(series.facts, "close")
        self.pct = _arr(series.facts, "change_pct")
        prev = _arr(series.facts, "prev_close")
        high, low = _arr(series.facts, "high"), _arr(series.facts, "low")
        with np.errstate(invalid="ignore", divide="ignore"):
            self.range_pct = np.round((high - low) / prev * 100, 2)
        self.up_since = previous_at_least(np.where(self.pct > 0, self.pct, np.nan))
        self.down_since = previous_at_most(np.where(self.pct < 0, self.pct, np.nan))
        self.high_close_since = previous_at_least(self.close)
        self.low_close_since = previous_at_most(self.close)
        self.swing_since = previous_at_least(self.range_pct)
        streak = np.array([f["streak"] for f in series.facts], dtype=float)
        self.streak = streak.astype(int)
        self.win_since = previous_at_least(np.where(streak > 0, streak, np.nan))
        self.loss_since = previous_at_most(np.where(streak < 0, streak, np.nan))
        self.record = np.maximum.accumulate(np.nan_to_num(self.close, nan=-np.inf))
        # The deepest fall below the record since that record was set, before each day: a
        # correction (bear market) is entered once per record, not each time it is re-crossed.
        self.below = (1 - self.close / self.record) * 100
        self.deepest_before = np.zeros(len(self.close))
        deepest = 0.0
        for k in range(len(self.close)):
            if k and self.record[k] != self.record[k - 1]:
                deepest = 0.0
            self.deepest_before[k] = deepest
            deepest = max(deepest, float(self.below[k]))
        self.value = trading_value
        self.value_since = previous_at_least(trading_value) if trading_value is not None else None
        self.step = milestone_step
        self._period_cache: dict[str, list[tuple[int, str, float, float]]] = {}

    # -- helpers -----------------------------------------------------------------------------

    def _since(self, j: int, i: int, value: np.ndarray) -> Since:
        """The "since" fields of a fact at row ``i`` answered by row ``j`` (-1: nothing earlier)."""
        return {
            "since": self.days[j] if j >= 0 else None,
            "since_value": number(float(value[j])) if j >= 0 else None,
            "data_begins": self.days[0],
            "lookback": (i - j) if j >= 0 else i,
        }

    def facts_on(self, day: str, weight: float, period_end: PeriodEnd) -> list[Fact]:
        """Every fact of this index on ``day`` (none when it did not trade that day)."""
        i = self.position.get(day)
        if i is None:
            return []
        f = self.facts[i]
        out: list[Fact] = []
        out += self._move(i, f, weight)
        out += self._records(i, f, weight)
        out += self._close_since(i, f, weight)
        out += self._level_cross(i, f, weight)
        out += self._drawdown(i, f, weight)
        out += self._rebound(i, f, weight)
        out += self._swing(i, f, weight)
        out += self._streak(i, f, weight)
        out += self._turnover(i, weight)
        out += self._periods(i, f, weight, period_end(dt.date.fromisoformat(day)))
        return out

    # -- the facts ---------------------------------------------------------------------------

    def _move(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        pct = f["change_pct"]
        if pct is None:
            return [Fact("index_move", self.name, 10 * weight, {"close": f["close"], "direction": "first"})]
        values = {"close": f["close"], "prev_close": f["prev_close"], "change": f["change"], "change_pct": pct}
        if abs(pct) < LITTLE_CHANGED:
            return [Fact("index_move", self.name, 10 * weight, values | {"direction": "flat"})]
        up = pct > 0
        j = int(self.up_since[i] if up else self.down_since[i])
        since = self._since(j, i, self.pct)
        a, b = move_score(pct), since_score(since["lookback"])
        score = max(a, b) + (5 if min(a, b) >= 40 else 0)
        return [Fact("index_move", self.name, score * weight, values | {"direction": "up" if up else "down"}, **since)]

    def _records(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        out = []
        levels_high, levels_close = f.get("milestones_high") or [], f.get("milestones_close") or []
        if levels_high or levels_close:
            values = {"levels_high": levels_high, "levels_close": levels_close, "high": f["high"], "close": f["close"]}
            out.append(Fact("index_milestone", self.name, 90 * weight, values))
        if f["record_close"]:
            out.append(Fact("index_record_close", self.name, 80 * weight, {"close": f["close"], "previous": f["previous_record_close"]}))
        if f["record_high"]:
            score = (70 if not f["record_close"] else 60) * weight
            out.append(Fact("index_record_high", self.name, score, {"high": f["high"], "previous": f["previous_record_high"]}))
        return out

    def _close_since(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        """The highest (lowest) close since a day at least a quarter back; a record is told as one."""
        pct = f["change_pct"]
        if pct is None or f["record_close"] or abs(pct) < LITTLE_CHANGED:
            return []
        up = pct > 0
        j = int(self.high_close_since[i] if up else self.low_close_since[i])
        since = self._since(j, i, self.close)
        if since["lookback"] < SECONDARY_LOOKBACK or (up and j < 0):
            return []
        score = (since_score(since["lookback"]) - 5) * weight
        return [Fact("index_close_since", self.name, score, {"close": f["close"], "direction": "high" if up else "low"}, **since)]

    def _level_cross(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        """The first close above (below) a round level in a quarter or more; the first ever
        close above a level is a milestone, told as one."""
        if not self.step or i == 0 or f["change_pct"] is None:
            return []
        c, p = self.close[i], self.close[i - 1]
        step = self.step
        if c > p:
            level = np.floor(c / step) * step
            if level <= p or level in (f.get("milestones_close") or []):
                return []
            earlier = np.nonzero(self.close[:i] >= level)[0]
            direction = "above"
        elif c < p:
            level = (np.floor(c / step) + 1) * step  # the lowest round level strictly above the close
            if level > p:
                return []
            earlier = np.nonzero(self.close[:i] < level)[0]
            direction = "below"
        else:
            return []
        j = int(earlier[-1]) if len(earlier) else -1
        # Below a level for the first time in the data is no news unless the data is long.
        since = self._since(j, i, self.close)
        if since["lookback"] < SECONDARY_LOOKBACK:
            return []
        score = (since_score(since["lookback"]) - 5) * weight
        return [Fact("index_level_cross", self.name, score, {"level": int(level), "direction": direction, "close": f["close"]}, **since)]

    def _drawdown(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        """The day the index closes 10 % (20 %) or more below its record close, from above it."""
        if i == 0:
            return []
        record_i = float(self.record[i])
        below = float(self.below[i])
        deepest = float(self.deepest_before[i])
        for threshold, stage, score in ((BEAR, "bear_market", 80), (CORRECTION, "correction", 70)):
            if below >= threshold > deepest:
                record_day = self.days[int(np.argmax(self.close[: i + 1] >= record_i))]
                values = {"close": f["close"], "below_pct": number(below), "record_close": number(record_i), "record_date": record_day, "stage": stage}
                return [Fact("index_drawdown", self.name, score * weight, values)]
        return []

    def _rebound(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        pct, change = f["change_pct"], f["change"]
        if i == 0 or pct is None or change is None or pct < LITTLE_CHANGED:
            return []
        before = self.facts[i - 1]
        prev_pct, prev_change = before["change_pct"], before["change"]
        if prev_pct is None or prev_change is None or prev_pct > -REBOUND_AFTER:
            return []
        recovered = number(change / abs(prev_change) * 100, 0)
        if pct < 1 and (recovered or 0) < 25:
            return []  # a token rise after a rout is not a rebound
        values = {"change_pct": pct, "change": change, "previous_change_pct": prev_pct, "previous_change": prev_change,
                  "previous_date": self.days[i - 1], "recovered_pct": recovered}
        return [Fact("index_rebound", self.name, min(70.0, 40 + 5 * abs(prev_pct)) * weight, values)]

    def _swing(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        r = self.range_pct[i]
        if np.isnan(r) or r < 1.5:
            return []
        since = self._since(int(self.swing_since[i]), i, self.range_pct)
        if since["lookback"] < SECONDARY_LOOKBACK:
            return []
        values = {"range_pct": number(float(r)), "high": f["high"], "low": f["low"]}
        return [Fact("index_swing", self.name, (since_score(since["lookback"]) - 10) * weight, values, **since)]

    def _streak(self, i: int, f: IndexFacts, weight: float) -> list[Fact]:
        s = int(self.streak[i])
        if abs(s) < 2:
            return []
        j = int(self.win_since[i] if s > 0 else self.loss_since[i])
        values: dict = {"days": abs(s), "direction": "up" if s > 0 else "down"}
        if j >= 0:
            # The earlier run that was at least as long: told by the day it ended and its length.
            end = run_end(np.sign(self.streak), j)
            values |= {"since_run_days": abs(int(self.streak[end]))}
            since: Since = {"since": self.days[end], "since_value": abs(int(self.streak[end])), "data_begins": self.days[0], "lookback": i - end}
        else:
            since = {"since": None, "since_value": None, "data_begins": self.days[0], "lookback": i}
        # Two or three days running is routine; a run that outlasts the months before is news.
        score = max(5 * abs(s) if abs(s) < 4 else 10 + 5 * abs(s), since_score(since["lookback"]) if abs(s) >= 3 else 0)
        return [Fact("index_streak", self.name, min(score, 85) * weight, values, **since)]

    def _turnover(self, i: int, weight: float) -> list[Fact]:
        if self.value is None or self.value_since is None or np.isnan(self.value[i]):
            return []
        since = self._since(int(self.value_since[i]), i, self.value)
        if since["lookback"] < SECONDARY_LOOKBACK:
            return []
        since["since_value"] = number(since["since_value"], 0)
        values = {"trading_value": number(float(self.value[i]), 0)}
        return [Fact("index_turnover", self.name, (since_score(since["lookback"]) - 10) * weight, values, **since)]

    def _periods(self, i: int, f: IndexFacts, weight: float, ends: list[str]) -> list[Fact]:
        """How the month, quarter or year that ends today went, against earlier whole periods."""
        out = []
        base = {"month": 35, "quarter": 45, "year": 75}
        for period in ends:
            changes = [c for c in self._period_changes(period) if c[0] <= i]
            if not changes or changes[-1][0] != i:
                continue  # the data begins inside this period: its opening close is unknown
            _, label, start_close, pct = changes[-1]
            earlier = changes[:-1]
            values = {"period": period, "label": label, "change_pct": pct, "close": f["close"], "start_close": start_close}
            since: Since = {"since": None, "since_value": None, "data_begins": self.days[0], "lookback": len(earlier)}
            for k in range(len(earlier) - 1, -1, -1):
                other = earlier[k][3]
                if (pct >= 0 and other >= pct) or (pct < 0 and other <= pct):
                    since["since"], since["since_value"], since["lookback"] = earlier[k][1], other, len(earlier) - k
                    break
            bonus = 10 if since["lookback"] >= 3 else 0
            out.append(Fact("index_period", self.name, (base[period] + bonus) * weight, values, **since))
        return out

    def _period_changes(self, period: str) -> list[tuple[int, str, float, float]]:
        """(last row, label, previous period's last close, change %) of every period in the
        data, in order; a period counts only when the data holds the close before it began.
        The period of the last row is counted to date (the caller knows whether it ended)."""
        cached = self._period_cache.get(period)
        if cached is not None:
            return cached
        labels = [_label(dt.date.fromisoformat(d), period) for d in self.days]
        out = []
        start = 0
        for k in range(len(labels)):
            if k + 1 < len(labels) and labels[k + 1] == labels[k]:
                continue
            if start > 0:
                start_close = float(self.close[start - 1])
                out.append((k, labels[k], figure(start_close), figure((self.close[k] / start_close - 1) * 100)))
            start = k + 1
        self._period_cache[period] = out
        return out


def _label(day: dt.date, period: str) -> str:
    if period == "year":
        return str(day.year)
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


__all__ = ["IndexHistory", "MIN_LOOKBACK", "LITTLE_CHANGED"]
