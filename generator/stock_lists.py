"""Which stocks a page lists when the desk follows more of them than a reader can take in.

A desk that follows the whole market (950 stocks) still publishes a report a reader can scan:
a report lists at most ``report_stocks`` stocks (site.toml, 30 by default) in its stock list
and in its lending table and chart. The stock list puts the day's news first: the biggest
gainers and losers (``leaders_count`` of each), then stocks at a record high or close, then the
rest, each group largest by market value (shares outstanding × close, from stocks.csv; a stock
without shares comes after those with, in the order the stocks are followed). The lending table
and chart show the largest balances. Every stock keeps its own page; the stocks page and the
data downloads list them all, and the snapshot keeps every followed stock.

With no more stocks followed than the limit, every list is the whole list, as before.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.snapshot_types import Balance, PriceFacts, StockFacts


def movers(stocks: Mapping[str, PriceFacts], day: str, count: int) -> set[str]:
    """The ``count`` biggest gainers and the ``count`` biggest losers that fell, among the stocks
    that traded on ``day``: with the record highs, a snapshot's ``leaders`` (generator/snapshot.py)."""
    moves = {t: s["change_pct"] for t, s in stocks.items() if s["as_of"] == day and s["change_pct"] is not None}
    ranked = sorted(moves, key=moves.__getitem__, reverse=True)
    return set(ranked[:count]) | {t for t in ranked[-count:] if moves[t] < 0}


def report_stocks(stocks: Mapping[str, StockFacts], day: str, shares: Mapping[str, float], *, limit: int, leaders_count: int) -> list[str]:
    """The tickers a report's stock list shows, in the snapshot's order: all of ``stocks`` up to
    ``limit``; beyond that the day's movers, then records, then the rest, each largest by value."""
    if len(stocks) <= limit:
        return list(stocks)
    moving = movers(stocks, day, leaders_count)
    order = {t: n for n, t in enumerate(stocks)}

    def rank(ticker: str) -> tuple[int, float, int]:
        s = stocks[ticker]
        tier = 0 if ticker in moving else 1 if (s["record_high"] or s["record_close"]) else 2
        return tier, -(shares.get(ticker, 0.0) * s["close"]), order[ticker]

    chosen = set(sorted(stocks, key=rank)[:limit])
    return [t for t in stocks if t in chosen]


def lending_stocks(balances: Mapping[str, Balance], limit: int) -> list[str]:
    """The tickers a lending table or chart shows: the ``limit`` largest balances, largest first."""
    return sorted(balances, key=lambda t: -balances[t]["balance"])[:limit]
