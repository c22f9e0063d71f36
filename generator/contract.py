"""Data contract v1: the CSV files an editor puts in ``content/data/``.

This module is the single statement of the contract; the loader, the validator, the importers
and the docs (docs/data-contract.md) all follow it. Extra columns are allowed and ignored.
Only ``index_daily.csv`` is required; a missing series leaves its report sections out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.i18n_strings import N_

#: A ticker: six digits or capital letters, leading zeros kept ("005930", "0126Z0").
TICKER = re.compile(r"[0-9A-Z]{6}")
#: The same rule anchored, for pandas' ``str.match`` over a column.
TICKER_PATTERN = rf"^{TICKER.pattern}$"


def is_ticker(text: str) -> bool:
    """True when ``text`` is a ticker as the contract writes it."""
    return TICKER.fullmatch(text) is not None


#: Investor types of ``investor_flows.csv``.
INVESTORS: tuple[str, ...] = ("individuals", "institutions", "foreigners", "other")
#: Markets of ``margin_loans.csv``.
MARGIN_MARKETS: tuple[str, ...] = ("KOSPI", "KOSDAQ", "total")
#: Kinds of market events of ``events.csv``.
EVENT_KINDS: tuple[str, ...] = ("sidecar", "circuit_breaker", "halt", "ban", "other")


@dataclass(frozen=True)
class Column:
    """One column of a data file.

    kind: ``date`` (ISO YYYY-MM-DD), ``text``, ``ticker`` (6 characters, leading zeros kept),
    ``number`` (a decimal, e.g. an index level or a price), ``money`` (won, may be signed).
    """

    name: str
    kind: str
    required: bool = True
    positive: bool = False  # must be > 0 (prices, levels)
    non_negative: bool = False  # must be >= 0 (balances, volumes)
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DataFile:
    """A data file of the contract: its columns and the columns that identify a row."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    description: str = ""
    #: True for files whose rows carry prices that must satisfy low <= open, close <= high.
    ohlc: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".csv")


INDEX_DAILY = DataFile(
    "index_daily.csv",
    (
        Column("date", "date"),
        Column("index", "text"),
        Column("open", "number", positive=True),
        Column("high", "number", positive=True),
        Column("low", "number", positive=True),
        Column("close", "number", positive=True),
        Column("volume", "number", required=False, non_negative=True),
        Column("trading_value", "money", required=False, non_negative=True),
    ),
    key=("date", "index"),
    required=True,
    ohlc=True,
    description=N_("One row per index per trading day (index: KOSPI, KOSDAQ ...)."),
)
INVESTOR_FLOWS = DataFile(
    "investor_flows.csv",
    (
        Column("date", "date"),
        Column("market", "text"),
        Column("investor", "text", choices=INVESTORS),
        Column("net_buy", "money"),
    ),
    key=("date", "market", "investor"),
    description=N_("Net buying in won by investor type; positive means bought more than sold."),
)
MARGIN_LOANS = DataFile(
    "margin_loans.csv",
    (
        Column("date", "date"),
        Column("market", "text", choices=MARGIN_MARKETS),
        Column("balance", "money", non_negative=True),
    ),
    key=("date", "market"),
    description=N_("Margin-loan balance outstanding in won, dated as of the day it measures."),
)
STOCK_PRICES = DataFile(
    "stock_prices.csv",
    (
        Column("date", "date"),
        Column("ticker", "ticker"),
        Column("open", "number", positive=True),
        Column("high", "number", positive=True),
        Column("low", "number", positive=True),
        Column("close", "number", positive=True),
        Column("volume", "number", required=False, non_negative=True),
        Column("market_cap", "money", required=False, non_negative=True),
    ),
    key=("date", "ticker"),
    ohlc=True,
    description=N_("Daily prices in won per stock."),
)
STOCK_LENDING = DataFile(
    "stock_lending.csv",
    (
        Column("date", "date"),
        Column("ticker", "ticker"),
        Column("balance", "money", non_negative=True),
    ),
    key=("date", "ticker"),
    description=N_("Stock-lending balance outstanding in won per stock."),
)
STOCKS = DataFile(
    "stocks.csv",
    (
        Column("ticker", "ticker"),
        Column("name", "text"),
        Column("name_ko", "text", required=False),
        Column("sector", "text", required=False),
        Column("market", "text", required=False),
        Column("shares", "number", required=False, positive=True),
    ),
    key=("ticker",),
    description=N_("Names and sectors of the stocks the report covers."),
)
FX = DataFile(
    "fx.csv",
    (
        Column("date", "date"),
        Column("usdkrw", "number", positive=True),
    ),
    key=("date",),
    description=N_("Won per US dollar, used to state flows in dollars."),
)

EVENTS = DataFile(
    "events.csv",
    (
        Column("date", "date"),
        Column("kind", "text", choices=EVENT_KINDS),
        Column("text", "text"),
        Column("headline", "text", required=False),
        Column("text_ko", "text", required=False),
        Column("headline_ko", "text", required=False),
    ),
    key=("date", "kind"),
    description=N_("Market events (sidecars, circuit breakers, halts, short-selling bans), told first on their day."),
)

DATA_FILES: tuple[DataFile, ...] = (
    INDEX_DAILY,
    INVESTOR_FLOWS,
    MARGIN_LOANS,
    STOCK_PRICES,
    STOCK_LENDING,
    STOCKS,
    FX,
    EVENTS,
)
BY_NAME: dict[str, DataFile] = {f.name: f for f in DATA_FILES}
#: The tables whose rows are dated (by ``Dataset`` attribute, in contract order); ``stocks``
#: lists the stocks and has no dates.
DATED_TABLES: tuple[str, ...] = tuple(f.stem for f in DATA_FILES if any(c.name == "date" for c in f.columns))
#: The dated tables that are market series, a row per trading day (events are not).
SERIES_TABLES: tuple[str, ...] = tuple(t for t in DATED_TABLES if t != EVENTS.stem)
