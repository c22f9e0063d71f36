"""The checked content: typed tables, commentary and pages, ready for analysis.

Produced by the validate stage; everything downstream may rely on its invariants
(dates parsed, numbers finite, keys unique, prices consistent, tickers known).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.config import SiteConfig


@dataclass(frozen=True)
class Commentary:
    """An editor's note for one trading day (``content/commentary/YYYY-MM-DD.md``)."""

    date: dt.date
    title: str
    summary: str
    author: str
    body: str  # Markdown, not yet rendered
    path: Path
    published: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class Page:
    """A standalone page (``content/pages/<slug>.md``): about, methodology, research ..."""

    slug: str
    title: str
    body: str
    path: Path
    meta: dict = field(default_factory=dict)


@dataclass
class Dataset:
    """All content of a site, checked. A missing series is an empty frame, never None."""

    config: SiteConfig
    index_daily: pd.DataFrame
    investor_flows: pd.DataFrame
    margin_loans: pd.DataFrame
    stock_prices: pd.DataFrame
    stock_lending: pd.DataFrame
    stocks: pd.DataFrame
    fx: pd.DataFrame
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    commentary: dict[dt.date, Commentary] = field(default_factory=dict)
    #: the Korean edition's notes (``YYYY-MM-DD.ko.md``)
    commentary_ko: dict[dt.date, Commentary] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def has(self, series: str) -> bool:
        """True when the series has any rows (its report sections are shown)."""
        return not getattr(self, series).empty

    def _memo(self, name: str, token: tuple, compute):
        """``compute()`` once per ``token`` (the identity and length of the tables it reads):
        pages ask for these on every page, and a long history makes each answer cost
        milliseconds; a table replaced afterwards gets a new token and a fresh answer."""
        cached = self.__dict__.get(name)
        if cached is None or cached[0] != token:
            cached = (token, compute())
            self.__dict__[name] = cached
        return cached[1]

    @property
    def trading_days(self) -> list[dt.date]:
        """The report's days: every date of the headline index."""
        frame = self.index_daily

        def compute() -> list[dt.date]:
            days = frame.loc[frame["index"] == self.config.headline_index, "date"]
            return sorted(d.date() for d in days)

        return list(self._memo("_trading_days", (id(frame), len(frame), self.config.headline_index), compute))

    @property
    def shares(self) -> dict[str, float]:
        """Shares outstanding by ticker, where stocks.csv gives them (market value = close × shares)."""
        frame = self.stocks

        def compute() -> dict[str, float]:
            if frame.empty or "shares" not in frame.columns:
                return {}
            return {str(t): float(n) for t, n in zip(frame["ticker"], frame["shares"], strict=True) if n == n}

        return self._memo("_shares", (id(frame), len(frame)), compute)

    @property
    def tracked_tickers(self) -> list[str]:
        """Tickers the report follows, in settings order (or stocks.csv order)."""
        if self.config.tracked_tickers:
            return list(self.config.tracked_tickers)

        def compute() -> list[str]:
            known = list(self.stocks["ticker"]) if not self.stocks.empty else []
            prices = self.stock_prices.get("ticker")
            extra = sorted(set(prices.unique()) - set(known)) if prices is not None else []
            return known + extra

        token = (id(self.stocks), len(self.stocks), id(self.stock_prices), len(self.stock_prices))
        return list(self._memo("_tracked_tickers", token, compute))
