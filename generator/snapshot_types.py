"""The daily snapshot as Python types: the shape of the product's main artefact, checked by mypy.

A snapshot is the public record of one trading day's report (docs/snapshot-format.md); the
JSON Schema ``generator/schemas/snapshot-1.json`` is its definition for readers in any
language. These ``TypedDict``s are the same definition for the code that writes and reads it
(``snapshot.py``, the story engine, the pages), so a misspelt key or a figure that may be
``None`` is caught before a build runs. ``tests/test_snapshot_types.py`` walks both
definitions and fails when they disagree (a key in one and not the other, required or not,
its kind of value), so neither can change alone.

Dates are ``"YYYY-MM-DD"`` strings, as published; numbers follow the schema's kinds: ``float``
where the schema says number (a whole number may be written as an int), ``int`` where it says
integer (won, dollars, streaks).
"""

# No ``from __future__ import annotations`` here: TypedDict reads ``NotRequired`` from the
# evaluated annotations, and the tests walk them at run time.
from typing import Any, Literal, NotRequired, TypedDict

#: The format identifier every version-1 snapshot carries.
SnapshotSchema = Literal["kospi-report/snapshot/1"]

#: The sections of a snapshot that can be ``stale``.
StaleSection = Literal["flows", "margin_loans", "stock_lending", "stocks", "fx"]

#: What a fact is (docs/snapshot-format.md, *Facts*), in the order facts of equal score are listed.
FactKind = Literal[
    "event", "index_milestone", "index_record_close", "index_record_high", "index_move", "index_drawdown",
    "index_period", "index_close_since", "index_level_cross", "index_streak", "index_rebound", "index_swing",
    "index_turnover", "flows", "flow_extreme", "flow_streak", "stock_records", "stock_move", "size_leaders",
    "breadth", "sectors", "fx_move", "margin_record", "margin_weekly_rise", "lending_records",
]


class PreviousRecord(TypedDict):
    """The highest value before the day and the first date it was reached."""

    value: float
    date: str


class PriceFacts(TypedDict):
    """An index's or a stock's figures on its latest row on or before the day."""

    as_of: str
    open: float
    high: float
    low: float
    close: float
    prev_close: float | None
    change: float | None
    change_pct: float | None
    record_close: bool
    previous_record_close: PreviousRecord | None
    record_high: bool
    previous_record_high: PreviousRecord | None
    streak: int


class IndexFacts(PriceFacts):
    """One index on the day: its price facts and the round levels first reached."""

    milestones_high: list[float]
    milestones_close: list[float]


class StockName(TypedDict):
    """A stock's names and sector from stocks.csv."""

    name: str
    name_ko: str | None
    sector: str | None


class StockFacts(StockName, PriceFacts):
    """One tracked stock on the day: its names and sector, then its price facts."""


class Flow(TypedDict):
    """One investor type's net buying on a market."""

    won: int
    usd: int | None
    as_of: str


class Balance(TypedDict):
    """A margin-loan or stock-lending balance, in whole won, on its latest row on or before the day."""

    balance: int
    as_of: str
    change: int | None
    record: bool
    previous_record: PreviousRecord | None


class Fx(TypedDict):
    """The US-dollar rate the flows are converted at."""

    usdkrw: float
    as_of: str


class Stale(TypedDict, total=False):
    """Sections whose latest figures trail the day by more than their publisher's usual lag."""

    flows: Literal[True]
    margin_loans: Literal[True]
    stock_lending: Literal[True]
    stocks: Literal[True]
    fx: Literal[True]


class FactDoc(TypedDict):
    """One newsworthy fact as published (``Fact.to_json``); the ``since`` keys come together."""

    kind: FactKind
    subject: str
    score: float
    values: dict[str, Any]
    since: NotRequired[str | None]
    since_value: NotRequired[float | None]
    data_begins: NotRequired[str]
    lookback: NotRequired[int]


class Snapshot(TypedDict):
    """Every figure of one trading day's report (``/data/snapshots/YYYY-MM-DD.json``)."""

    schema: SnapshotSchema
    date: str
    indices: dict[str, IndexFacts]
    #: By market, then investor type (individuals, institutions, foreigners, other).
    flows: dict[str, dict[str, Flow]]
    #: By market: KOSPI, KOSDAQ, total.
    margin_loans: dict[str, Balance]
    stock_lending: dict[str, Balance]
    stocks: dict[str, StockFacts]
    fx: Fx | None
    leaders: list[str]
    stale: NotRequired[Stale]
    facts: NotRequired[list[FactDoc]]
