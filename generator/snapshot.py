"""Stage 3, snapshot: one dated JSON document per trading day holding every figure of its report.

A snapshot is the public, stable record of what the report said that day (format:
docs/snapshot-format.md, schema: generator/schemas/snapshot-1.json). Each series contributes its
latest row on or before the day, with that row's ``as_of`` date, because series are published
on different days (margin loans lag prices by a day or two).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from generator.analysis.history import History
from generator.analysis.series import Series, number
from generator.calendar_checks import dataset_calendar, stale_sections
from generator.dataset import Dataset
from generator.story.engine import add_facts

if TYPE_CHECKING:  # pragma: no cover
    from generator.day_cache import DayCache

SCHEMA = "kospi-report/snapshot/1"


def _pick(series: dict[str, Series], day: dt.date, order: list[str] | None = None) -> dict[str, dict]:
    """Each series' latest facts on or before ``day``, keyed in ``order`` (default: sorted keys)."""
    out = {}
    for key in order if order is not None else sorted(series):
        s = series.get(key)
        facts = s.latest(day) if s is not None else None
        if facts is not None:
            out[key] = facts
    return out


def make_snapshots(data: Dataset, hist: History, cache: DayCache | None = None) -> dict[dt.date, dict]:
    """Every trading day's snapshot, in date order; days in ``cache`` are taken from it
    (generator/day_cache.py), so a new day computes its own snapshot, not the history's."""
    tickers = data.tracked_tickers
    names = stock_names(data)
    snapshots: dict[dt.date, dict] = {}
    cached = {day: cache.snapshot(day) for day in data.trading_days} if cache is not None else {}
    if cached and all(snap is not None for snap in cached.values()):
        return cached  # type: ignore[return-value]
    calendar = dataset_calendar(data)
    for day in data.trading_days:
        if cached.get(day) is not None:
            continue
        fx = hist.fx.latest(day) if hist.fx is not None else None
        snap: dict = {"schema": SCHEMA, "date": day.isoformat()}
        snap["indices"] = _pick(hist.indices, day)
        snap["flows"] = {market: _flows(facts, fx) for market, facts in _pick(hist.flows, day).items()}
        snap["margin_loans"] = _pick(hist.margin_loans, day)
        snap["stock_lending"] = _pick(hist.stock_lending, day, tickers)
        snap["stocks"] = {t: _stock(t, f, names) for t, f in _pick(hist.stocks, day, tickers).items()}
        snap["fx"] = dict(fx) if fx else None
        snap["leaders"] = leaders(snap["stocks"], day, data.config.leaders_count)
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


def _flows(facts: dict, fx: dict | None) -> dict:
    """Each investor's net buying in won and in dollars at the snapshot's USD/KRW rate."""
    rate = fx["usdkrw"] if fx else None
    out = {}
    for investor, won in facts.items():
        if investor == "as_of":
            continue
        out[investor] = {"won": won, "usd": number(won / rate, 0) if rate else None, "as_of": facts["as_of"]}
    return out


def stock_names(data: Dataset) -> dict[str, dict]:
    """Each stock's name, Korean name and sector from stocks.csv, looked up once per build."""
    out: dict[str, dict] = {}
    for row in data.stocks.to_dict("records"):
        out[str(row["ticker"])] = {
            "name": row["name"],
            "name_ko": _text(row.get("name_ko")),
            "sector": _text(row.get("sector")),
        }
    return out


def _text(value: object) -> str | None:
    """An optional text cell: None when absent or empty (pandas may give NaN for a missing column)."""
    return value if isinstance(value, str) and value.strip() else None


def _stock(ticker: str, facts: dict, names: dict[str, dict]) -> dict:
    """A stock's facts with its name and sector (the ticker stands in for a stock missing from stocks.csv)."""
    meta = names.get(ticker) or {"name": ticker, "name_ko": None, "sector": None}
    return {**meta, **facts}


def leaders(stocks: dict[str, dict], day: dt.date, count: int) -> list[str]:
    """The stocks that lead the day's report: record highs, then the biggest gainers and losers.

    Only stocks that traded that day count; the order is by percentage change, largest first.
    """
    today = {t: s for t, s in stocks.items() if s["as_of"] == day.isoformat() and s["change_pct"] is not None}
    by_move = sorted(today, key=lambda t: today[t]["change_pct"], reverse=True)
    chosen = {t for t in today if today[t]["record_high"]}
    chosen |= set(by_move[:count])
    chosen |= {t for t in by_move[-count:] if today[t]["change_pct"] < 0}
    return [t for t in by_move if t in chosen]
