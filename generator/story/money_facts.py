"""Facts about money: who bought and sold, the won, margin loans and stock lending.

Flows and the won are daily; margin loans and lending are published a day or two late, so
their facts carry the day they measure (``as_of``) and are told only while that day is
within the past week (``FRESH_DAYS``) -- a stale record is not news.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np

from generator.analysis.series import Series, number
from generator.snapshot_types import Balance, Snapshot
from generator.story.facts import Fact, Since, since_score
from generator.story.since import previous_at_least, previous_at_most

#: A lagging figure is news for this many calendar days after the day it measures.
FRESH_DAYS = 7
#: Investor types whose buying and selling make news, with the weight of their "since" facts.
INVESTOR_WEIGHT = {"foreigners": 1.0, "institutions": 0.8, "individuals": 0.8}
#: Foreigners' net selling (buying) this many days running is told.
FLOW_STREAK = 5
#: Five rows of a balance series: its weekly change.
WEEK_ROWS = 5
#: Short-selling bans of the Korean market, (first day, last day): lending then is not a
#: build-up ahead of short selling, and the report says so. Sources: Financial Services
#: Commission announcements of 2020-03-13 (ban from 2020-03-16, partly lifted 2021-05-03)
#: and 2023-11-05 (ban from 2023-11-06, lifted 2025-03-31).
SHORT_SELLING_BANS: tuple[tuple[str, str], ...] = (("2020-03-16", "2021-05-02"), ("2023-11-06", "2025-03-30"))


def recent(as_of: str, day: str) -> bool:
    """The figure measures a day within the past week of ``day``."""
    return 0 <= (dt.date.fromisoformat(day) - dt.date.fromisoformat(as_of)).days < FRESH_DAYS


def ban_on(day: str) -> dict | None:
    """The short-selling ban in force on ``day``, as ``{start, end}``, or None."""
    for start, end in SHORT_SELLING_BANS:
        if start <= day <= end:
            return {"start": start, "end": end}
    return None


class FlowHistory:
    """One market's net buying by investor type, ready for "most since" and runs of days."""

    def __init__(self, market: str, series: Series[dict[str, Any]]):
        self.market = market
        self.days = [f["as_of"] for f in series.facts]
        self.position = {d: i for i, d in enumerate(self.days)}
        self.won: dict[str, np.ndarray] = {}
        self.buy_since: dict[str, np.ndarray] = {}
        self.sell_since: dict[str, np.ndarray] = {}
        self.run: dict[str, np.ndarray] = {}
        for investor in INVESTOR_WEIGHT:
            w = np.array([np.nan if f.get(investor) is None else f[investor] for f in series.facts], dtype=float)
            if np.isnan(w).all():
                continue
            self.won[investor] = w
            self.buy_since[investor] = previous_at_least(np.where(w > 0, w, np.nan))
            self.sell_since[investor] = previous_at_most(np.where(w < 0, w, np.nan))
            sign = np.sign(np.nan_to_num(w))
            run = np.zeros(len(w), dtype=int)
            for k in range(len(w)):
                run[k] = sign[k] if sign[k] == 0 or k == 0 or sign[k - 1] != sign[k] else run[k - 1] + sign[k]
            self.run[investor] = run

    def facts_on(self, day: str) -> list[Fact]:
        i = self.position.get(day)
        if i is None:
            return []
        out = []
        amounts = {k: number(float(w[i]), 0) for k, w in self.won.items() if not np.isnan(w[i])}
        if any(amounts.values()):
            out.append(Fact("flows", self.market, 30.0, {k: v for k, v in amounts.items()}))
        for investor, w in self.won.items():
            x = w[i]
            if np.isnan(x) or x == 0:
                continue
            buying = x > 0
            j = int(self.buy_since[investor][i] if buying else self.sell_since[investor][i])
            lookback = i - j if j >= 0 else i
            weight = INVESTOR_WEIGHT[investor]
            if lookback >= 60:
                values = {"market": self.market, "won": number(float(x), 0), "direction": "buy" if buying else "sell"}
                since: Since = {"since": self.days[j] if j >= 0 else None, "since_value": number(float(w[j]), 0) if j >= 0 else None,
                         "data_begins": self.days[0], "lookback": lookback}
                out.append(Fact("flow_extreme", investor, since_score(lookback) * weight, values, **since))
            days = abs(int(self.run[investor][i]))
            if investor == "foreigners" and days >= FLOW_STREAK:
                values = {"market": self.market, "days": days, "direction": "buy" if buying else "sell"}
                out.append(Fact("flow_streak", investor, min(60.0, 20 + 3 * days), values))
        return out


class FxHistory:
    """USD/KRW: the won's weakest (highest rate) and strongest (lowest rate) since."""

    def __init__(self, series: Series[dict[str, Any]]):
        self.facts = series.facts
        self.days = [f["as_of"] for f in series.facts]
        self.position = {d: i for i, d in enumerate(self.days)}
        self.rate = np.array([f["usdkrw"] for f in series.facts], dtype=float)
        self.weak_since = previous_at_least(self.rate)
        self.strong_since = previous_at_most(self.rate)

    def facts_on(self, day: str) -> list[Fact]:
        i = self.position.get(day)
        if i is None or i == 0:
            return []
        rate, prev = self.rate[i], self.rate[i - 1]
        change = number(rate - prev)
        if not change:
            return []
        pct = number((rate / prev - 1) * 100)
        weaker = rate > prev
        j = int(self.weak_since[i] if weaker else self.strong_since[i])
        lookback = i - j if j >= 0 else i
        score = max(20 * abs(pct or 0), since_score(lookback) - 10 if lookback >= 60 else 0)
        values = {"usdkrw": number(rate), "change": change, "change_pct": pct, "won": "weaker" if weaker else "stronger"}
        since: Since = {"since": self.days[j] if j >= 0 else None, "since_value": number(self.rate[j]) if j >= 0 else None,
                 "data_begins": self.days[0], "lookback": lookback}
        return [Fact("fx_move", "USDKRW", score, values, **since)]


class BalanceHistory:
    """A balance series (margin loans of a market): its weekly change and "biggest since"."""

    def __init__(self, subject: str, series: Series[Balance]):
        self.subject = subject
        self.facts = series.facts
        self.days = [f["as_of"] for f in series.facts]
        self.position = {d: i for i, d in enumerate(self.days)}
        b = np.array([f["balance"] for f in series.facts], dtype=float)
        week = np.full(len(b), np.nan)
        week[WEEK_ROWS:] = b[WEEK_ROWS:] - b[:-WEEK_ROWS]
        self.week = week
        self.week_since = previous_at_least(np.where(week > 0, week, np.nan))

    def facts_on(self, day: str, row: Balance | None) -> list[Fact]:
        """Facts of the newest row on or before ``day`` (``row``, from the snapshot), while fresh."""
        if row is None or not recent(row["as_of"], day):
            return []
        i = self.position[row["as_of"]]
        out = []
        if row["record"]:
            values = {"market": self.subject, "balance": row["balance"], "as_of": row["as_of"], "previous": row["previous_record"]}
            out.append(Fact("margin_record", self.subject, 60.0, values))
        w = self.week[i]
        if not np.isnan(w) and w > 0:
            j = int(self.week_since[i])
            lookback = i - j if j >= 0 else i - WEEK_ROWS
            if lookback >= 60:
                values = {"market": self.subject, "change": number(float(w), 0), "balance": row["balance"], "as_of": row["as_of"]}
                since: Since = {"since": self.days[j] if j >= 0 else None, "since_value": number(float(self.week[j]), 0) if j >= 0 else None,
                         "data_begins": self.days[0], "lookback": lookback}
                out.append(Fact("margin_weekly_rise", self.subject, since_score(lookback) - 10, values, **since))
        return out


def lending_facts(day: str, lending: Mapping[str, Balance]) -> list[Fact]:
    """Record lending balances of the newest publication (every row of one as-of day)."""
    if not lending:
        return []
    newest = max(v["as_of"] for v in lending.values())
    if not recent(newest, day):
        return []
    records = sorted((t for t, v in lending.items() if v["record"] and v["as_of"] == newest), key=lambda t: -lending[t]["balance"])
    if not records:
        return []
    ban = ban_on(newest)
    values = {"as_of": newest, "tickers": records, "balances": [lending[t]["balance"] for t in records], "ban": ban}
    # While short selling is banned, borrowing is not a build-up ahead of it: less of a story.
    weight = 0.7 if ban else 1.0
    return [Fact("lending_records", "stock_lending", min(65.0, 40 + 5 * len(records)) * weight, values)]


def margin_market(snap: Snapshot, headline_index: str) -> str | None:
    """The all-markets total when the data has it, else the headline index's own market."""
    markets = snap.get("margin_loans", {})
    if "total" in markets:
        return "total"
    return headline_index if headline_index in markets else None
