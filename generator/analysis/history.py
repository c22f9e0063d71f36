"""The analysed history of every series in a dataset (see series.py for the facts per row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.analysis.series import Series, balance_series, flow_series, price_series, value_series
from generator.dataset import Dataset
from generator.snapshot_types import Balance, IndexFacts, PriceFacts
from generator.stock_names import StockName, stock_names


@dataclass
class History:
    """Every series of the dataset, analysed once. Keys: index name, ticker, market."""

    indices: dict[str, Series[IndexFacts]] = field(default_factory=dict)
    stocks: dict[str, Series[PriceFacts]] = field(default_factory=dict)
    margin_loans: dict[str, Series[Balance]] = field(default_factory=dict)
    stock_lending: dict[str, Series[Balance]] = field(default_factory=dict)
    #: Each row: ``as_of`` and each investor type's net buying in won.
    flows: dict[str, Series[dict[str, Any]]] = field(default_factory=dict)
    #: Each row: ``usdkrw`` and ``as_of``.
    fx: Series[dict[str, Any]] | None = None


def analyse(data: Dataset) -> History:
    """Compute records, milestones, streaks and changes for every series."""
    step = data.config.milestone_step
    hist = History()
    for name, rows in data.index_daily.groupby("index", sort=True):
        hist.indices[str(name)] = price_series(rows, digits=2, milestone_step=step)
    tracked = set(data.tracked_tickers)
    names = stock_names(data)
    for ticker, rows in data.stock_prices.groupby("ticker", sort=True):
        if ticker in tracked:
            n = names.get(str(ticker)) or StockName.unlisted(str(ticker))
            head = {"name": n.name, "name_ko": n.name_ko, "sector": n.sector}
            hist.stocks[str(ticker)] = price_series(rows, digits=2, milestone_step=None, head=head)
    for market, rows in data.margin_loans.groupby("market", sort=True):
        hist.margin_loans[str(market)] = balance_series(rows)
    for ticker, rows in data.stock_lending.groupby("ticker", sort=True):
        if ticker in tracked:
            hist.stock_lending[str(ticker)] = balance_series(rows)
    for market, rows in data.investor_flows.groupby("market", sort=True):
        hist.flows[str(market)] = flow_series(rows)
    if not data.fx.empty:
        hist.fx = value_series(data.fx, "usdkrw", 2)
    return hist
