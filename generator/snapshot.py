"""Stage 4, snapshot: one dated JSON document per trading day holding every figure of its report.

A snapshot is the public, stable record of what the report said that day (format:
docs/snapshot-format.md, schema: generator/schemas/snapshot-1.json). Each series contributes its
latest row on or before the day, with that row's ``as_of`` date, because series are published
on different days (margin loans lag prices by a day or two).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from generator.analysis.history import History
from generator.analysis.series import Series, whole
from generator.calendar_checks import dataset_calendar, stale_sections
from generator.dataset import Dataset
from generator.snapshot_types import Flow, Fx, PriceFacts, Snapshot, SnapshotSchema, StockFacts
from generator.stock_lists import movers
from generator.story.engine import add_facts

if TYPE_CHECKING:  # pragma: no cover
    from generator.day_cache import DayCache

SCHEMA: SnapshotSchema = "kospi-report/snapshot/1"

Row = TypeVar("Row")


def snapshot_json(snap: Snapshot) -> str:
    """A snapshot file: stable key order, UTF-8, one trailing newline."""
    return json.dumps(snap, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _pick(series: Mapping[str, Series[Row]], day: dt.date, order: list[str] | None = None) -> dict[str, Row]:
    """Each series' latest facts on or before ``day``, keyed in ``order`` (default: sorted keys)."""
    out: dict[str, Row] = {}
    for key in order if order is not None else sorted(series):
        s = series.get(key)
        facts = s.latest(day) if s is not None else None
        if facts is not None:
            out[key] = facts
    return out


def make_snapshots(data: Dataset, hist: History, cache: DayCache | None = None) -> dict[dt.date, Snapshot]:
    """Every trading day's snapshot, in date order; days in ``cache`` are taken from it
    (generator/day_cache.py), so a new day computes its own snapshot, not the history's."""
    tickers = data.tracked_tickers
    snapshots: dict[dt.date, Snapshot] = {}
    cached = {day: cache.snapshot(day) for day in data.trading_days} if cache is not None else {}
    if cached and all(snap is not None for snap in cached.values()):
        return {day: snap for day, snap in cached.items() if snap is not None}
    calendar = dataset_calendar(data)
    for day in data.trading_days:
        if cached.get(day) is not None:
            continue
        rate = hist.fx.latest(day) if hist.fx is not None else None
        fx: Fx | None = {"usdkrw": rate["usdkrw"], "as_of": rate["as_of"]} if rate else None
        # A stock's analysed rows lead with its names and sector (analysis/history.py), so each
        # is the snapshot's entry as it is: one dict per stock and day, not a copy per snapshot.
        stocks = cast(dict[str, StockFacts], _pick(hist.stocks, day, tickers))
        snap: Snapshot = {
            "schema": SCHEMA,
            "date": day.isoformat(),
            "indices": _pick(hist.indices, day),
            "flows": {market: _flows(facts, fx) for market, facts in _pick(hist.flows, day).items()},
            "margin_loans": _pick(hist.margin_loans, day),
            "stock_lending": _pick(hist.stock_lending, day, tickers),
            "stocks": stocks,
            "fx": fx,
            "leaders": leaders(stocks, day, data.config.leaders_count),
        }
        # Sections whose latest figures trail the day by more than the publisher's usual lag.
        snap["stale"] = stale_sections(snap, calendar)
        snapshots[day] = snap
    # What the day's story is: ranked facts, computed from the snapshots and the history.
    add_facts(snapshots, data, hist)
    if cache is not None:
        for day, snap in snapshots.items():
            cache.put_snapshot(day, snap)
        snapshots = {day: cached.get(day) or snapshots[day] for day in data.trading_days}
    return snapshots


def _flows(facts: dict[str, Any], fx: Fx | None) -> dict[str, Flow]:
    """Each investor's net buying in won and in dollars at the snapshot's USD/KRW rate."""
    rate = fx["usdkrw"] if fx else None
    out: dict[str, Flow] = {}
    for investor, won in facts.items():
        if investor == "as_of":
            continue
        out[investor] = {"won": won, "usd": whole(won / rate) if rate else None, "as_of": facts["as_of"]}
    return out


def leaders(stocks: Mapping[str, PriceFacts], day: dt.date, count: int) -> list[str]:
    """The stocks that lead the day's report: record highs, then the biggest gainers and losers.

    Only stocks that traded that day count; the order is by percentage change, largest first.
    """
    moves = {t: s["change_pct"] for t, s in stocks.items() if s["as_of"] == day.isoformat() and s["change_pct"] is not None}
    chosen = {t for t in moves if stocks[t]["record_high"]} | movers(stocks, day.isoformat(), count)
    return [t for t in sorted(moves, key=moves.__getitem__, reverse=True) if t in chosen]
