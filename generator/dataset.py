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
    commentary: dict[dt.date, Commentary] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def has(self, series: str) -> bool:
        """True when the series has any rows (its report sections are shown)."""
        return not getattr(self, series).empty

    @property
    def trading_days(self) -> list[dt.date]:
        """The report's days: every date of the headline index."""
        frame = self.index_daily
        days = frame.loc[frame["index"] == self.config.headline_index, "date"]
        return sorted(d.date() for d in days)

    @property
    def tracked_tickers(self) -> list[str]:
        """Tickers the report follows, in settings order (or stocks.csv order)."""
        if self.config.tracked_tickers:
            return list(self.config.tracked_tickers)
        known = list(self.stocks["ticker"]) if not self.stocks.empty else []
        extra = sorted(set(self.stock_prices.get("ticker", [])) - set(known))
        return known + extra
