"""The story engine's fact layer: every trading day's facts, ranked, into its snapshot.

Facts come from the day's snapshot (what the report shows) and the history before the day
(what the move beat). Each series' history is prepared once per build, so a day costs a few
lookups. The facts go into the snapshot as ``facts`` (docs/snapshot-format.md), highest score
first: the realisers (generator/story/english.py) word them without looking at the data again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import get_args

import numpy as np

from generator.analysis.history import History
from generator.dataset import Dataset
from generator.snapshot_types import FactKind, Snapshot
from generator.story.events import event_facts
from generator.story.facts import Fact
from generator.story.index_facts import IndexHistory
from generator.story.market_facts import StockHistory, stock_facts
from generator.story.money_facts import BalanceHistory, FlowHistory, FxHistory, lending_facts, margin_market

#: Indices other than the headline index count for this much of their score.
OTHER_INDEX_WEIGHT = 0.6
#: The order facts of equal score are listed in: the index first, as every market story does.
KIND_ORDER: tuple[FactKind, ...] = get_args(FactKind)


class StoryHistory:
    """Every series of a build, prepared for "since" questions."""

    def __init__(self, data: Dataset, hist: History):
        self.headline = data.config.headline_index
        self.indices: dict[str, IndexHistory] = {}
        for name, series in hist.indices.items():
            rows = data.index_daily[data.index_daily["index"] == name].sort_values("date")
            value = None
            if "trading_value" in rows and rows["trading_value"].notna().any():
                value = rows["trading_value"].to_numpy(dtype=float)
            self.indices[name] = IndexHistory(name, series, value, data.config.milestone_step)
        self.stocks = {t: StockHistory(s) for t, s in hist.stocks.items()}
        self.flows = {m: FlowHistory(m, s) for m, s in hist.flows.items()}
        self.fx = FxHistory(hist.fx) if hist.fx is not None else None
        self.margin = {m: BalanceHistory(m, s) for m, s in hist.margin_loans.items()}
        self.events = data.events
        self.sizes = _sizes(data)
        self.period_end = _period_ends(data)

    def facts_on(self, snap: Snapshot) -> list[Fact]:
        """The day's facts, highest score first."""
        day = snap["date"]
        out = event_facts(day, self.events)
        for name, index in self.indices.items():
            out += index.facts_on(day, 1.0 if name == self.headline else OTHER_INDEX_WEIGHT, self.period_end)
        out += stock_facts(day, snap.get("stocks", {}), self.stocks, self.sizes.get(day, {}))
        flows = self.flows.get(self.headline)
        if flows is not None:
            out += flows.facts_on(day)
        if self.fx is not None:
            out += self.fx.facts_on(day)
        market = margin_market(snap, self.headline)
        if market is not None:
            out += self.margin[market].facts_on(day, snap["margin_loans"].get(market))
        out += lending_facts(day, snap.get("stock_lending", {}))
        rank = {k: n for n, k in enumerate(KIND_ORDER)}
        return sorted(out, key=lambda f: (-round(f.score, 1), rank.get(f.kind, len(rank)), f.subject))


def add_facts(snapshots: dict[dt.date, Snapshot], data: Dataset, hist: History) -> None:
    """Write each day's ranked facts into its snapshot (``facts``)."""
    story = StoryHistory(data, hist)
    for snap in snapshots.values():
        snap["facts"] = [f.to_json() for f in story.facts_on(snap)]


def _sizes(data: Dataset) -> dict[str, dict[str, float]]:
    """Market value of each stock on each day (won): ``market_cap`` where stock_prices.csv
    gives it, else the close times ``shares`` from stocks.csv; empty when the data has neither."""
    prices = data.stock_prices
    if prices.empty:
        return {}
    shares = data.shares
    caps = prices["market_cap"].to_numpy(dtype=float) if "market_cap" in prices.columns else np.full(len(prices), np.nan)
    if not shares and np.isnan(caps).all():
        return {}
    out: dict[str, dict[str, float]] = {}
    days = np.datetime_as_string(prices["date"].to_numpy().astype("datetime64[D]"), unit="D").tolist()
    for day, ticker, close, cap in zip(days, prices["ticker"].astype(str), prices["close"].to_numpy(dtype=float), caps, strict=True):
        value = cap if cap == cap else (close * shares[ticker] if ticker in shares else None)
        if value is not None:
            out.setdefault(day, {})[ticker] = value
    return out


def _period_ends(data: Dataset) -> Callable[[dt.date], list[str]]:
    """Which periods (month, quarter, year) end on a report day: the next report day is in
    another one; after the last day of the data, the KRX calendar's next session tells."""
    days = data.trading_days
    following = {d: days[k + 1] for k, d in enumerate(days[:-1])}

    def ends(day: dt.date) -> list[str]:
        nxt = following.get(day) or _next_session(day)
        if nxt is None:
            return []
        out = []
        if nxt.month != day.month or nxt.year != day.year:
            out.append("month")
            if (nxt.month - 1) // 3 != (day.month - 1) // 3 or nxt.year != day.year:
                out.append("quarter")
            if nxt.year != day.year:
                out.append("year")
        # The biggest period that ends is the one told: a year's end is not also its December.
        return out[-1:]

    return ends


def _next_session(day: dt.date) -> dt.date | None:
    """The KRX session after ``day`` by the exchange calendar with the project's corrections
    (a closure announced late is no session); None beyond the calendar's range."""
    from generator.calendar_checks import library_sessions
    from generator.krx_calendar import shipped

    sessions, _ = library_sessions(day.year, day.year + 1)
    closed = shipped().closed
    later = [d for d in sessions[sessions > np.datetime64(day, "D")][:10] if d not in closed]
    return dt.date.fromisoformat(str(later[0])) if later else None
