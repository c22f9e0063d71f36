"""Facts about the stocks of a day: record highs, big moves and what they beat, breadth,
the best and worst sectors, and the biggest stocks by market value.

Breadth and sectors are counted among the stocks in the data (the tracked stocks), and say
so: "of the 12 stocks tracked" is true where "of the market" would not be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from generator.analysis.series import Series, figure, number
from generator.snapshot_types import PriceFacts, StockFacts
from generator.story.facts import Fact, Since, since_score
from generator.story.since import previous_at_least, previous_at_most

#: A stock's one-day move this big (percent) is worth a sentence on any day.
BIG_STOCK_MOVE = 5.0
#: Breadth is not told with fewer stocks than this.
MIN_BREADTH = 5
#: How many of the biggest stocks a sentence names.
SIZE_LEADERS = 2


class StockHistory:
    """One stock's moves, ready to say "its biggest gain since"."""

    def __init__(self, series: Series[PriceFacts]):
        self.facts = series.facts
        self.days = [f["as_of"] for f in series.facts]
        self.position = {d: i for i, d in enumerate(self.days)}
        self.pct = np.array([np.nan if f["change_pct"] is None else f["change_pct"] for f in series.facts], dtype=float)
        self._up: np.ndarray | None = None
        self._down: np.ndarray | None = None

    def move_since(self, i: int) -> tuple[int, int]:
        """(row of the last earlier move at least as big the same way or -1, lookback)."""
        if self._up is None or self._down is None:  # most stocks never need it: computed on demand
            self._up = previous_at_least(np.where(self.pct > 0, self.pct, np.nan))
            self._down = previous_at_most(np.where(self.pct < 0, self.pct, np.nan))
        j = int(self._up[i] if self.pct[i] > 0 else self._down[i])
        return j, (i - j if j >= 0 else i)


def stock_facts(day: str, stocks: Mapping[str, StockFacts], histories: dict[str, StockHistory], sizes: dict[str, float]) -> list[Fact]:
    """The day's stock facts from the snapshot's ``stocks`` (tracked stocks, in order)."""
    # The stocks that traded that day, and their moves.
    moves = {t: s["change_pct"] for t, s in stocks.items() if s["as_of"] == day and s["change_pct"] is not None}
    today = {t: stocks[t] for t in moves}
    out: list[Fact] = []
    records = sorted((t for t, s in today.items() if s["record_high"]), key=lambda t: -moves[t])
    if records:
        out.append(Fact("stock_records", "stocks", min(70.0, 40 + 4 * len(records)), {"tickers": records}))
    for ticker, s in today.items():
        pct = moves[ticker]
        hist = histories.get(ticker)
        if hist is None or abs(pct) < BIG_STOCK_MOVE:
            continue
        i = hist.position[day]
        j, lookback = hist.move_since(i)
        since: Since = {
            "since": hist.days[j] if j >= 0 else None,
            "since_value": number(hist.pct[j]) if j >= 0 else None,
            "data_begins": hist.days[0],
            "lookback": lookback,
        }
        score = 25 + 2 * abs(pct) + 0.3 * since_score(lookback)
        out.append(Fact("stock_move", ticker, min(score, 65.0), {"change_pct": pct, "close": s["close"]}, **since))
    out += _breadth(moves, len(stocks))
    out += _sectors(today, moves, sizes)
    out += _size_leaders(moves, sizes)
    return out


def _breadth(moves: dict[str, float], tracked: int) -> list[Fact]:
    if len(moves) < MIN_BREADTH:
        return []
    up = sum(1 for pct in moves.values() if pct > 0)
    down = sum(1 for pct in moves.values() if pct < 0)
    flat = len(moves) - up - down
    values = {"advancers": up, "decliners": down, "unchanged": flat, "traded": len(moves), "tracked": tracked}
    return [Fact("breadth", "stocks", 20 + 25 * abs(up - down) / len(moves), values)]


def _sectors(today: dict[str, StockFacts], moves: dict[str, float], sizes: dict[str, float]) -> list[Fact]:
    """The best and worst sector by average move: weighted by market value where the data
    gives it for every stock of the sector, else each stock counts the same."""
    groups: dict[str, list[str]] = defaultdict(list)
    for ticker, s in today.items():
        sector = s.get("sector")
        if sector:
            groups[sector].append(ticker)
    if len(groups) < 2:
        return []
    by_sector: dict[str, float] = {}
    weighted = all(t in sizes for members in groups.values() for t in members)
    for sector, members in groups.items():
        w = [sizes[t] if weighted else 1.0 for t in members]
        by_sector[sector] = figure(sum(moves[t] * x for t, x in zip(members, w, strict=True)) / sum(w))
    ordered = sorted(by_sector, key=lambda k: (-by_sector[k], k))
    best, worst = ordered[0], ordered[-1]
    if by_sector[best] == by_sector[worst]:
        return []
    values = {
        "best": {"sector": best, "change_pct": by_sector[best], "stocks": len(groups[best])},
        "worst": {"sector": worst, "change_pct": by_sector[worst], "stocks": len(groups[worst])},
        "weighting": "market_cap" if weighted else "equal",
        "sectors": len(groups),
    }
    return [Fact("sectors", "stocks", 20 + min(25.0, 3 * (by_sector[best] - by_sector[worst])), values)]


def _size_leaders(moves: dict[str, float], sizes: dict[str, float]) -> list[Fact]:
    """The biggest stocks by market value and how they moved (only when the data gives size)."""
    sized = sorted((t for t in moves if t in sizes), key=lambda t: -sizes[t])
    if not sized:
        return []
    top = sized[:SIZE_LEADERS]
    values = {
        "tickers": top,
        "market_caps": [number(sizes[t], 0) for t in top],
        "changes_pct": [moves[t] for t in top],
    }
    return [Fact("size_leaders", "stocks", 25 + 3 * max(abs(moves[t]) for t in top), values)]
