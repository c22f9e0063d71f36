"""Benchmark content: N years of synthetic market data in the data contract, and one more day.

The data comes from ``generator.sample.generate`` (every series, random history, no anchors),
so it passes the same validation as an editor's files. ``append_day`` adds the next trading
day the way a daily import would: a new row for every index, investor, stock and the dollar,
and the lagged series (margin loans, lending) move on by one of their own days.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import shutil
from pathlib import Path

import numpy as np

from generator.sample import generate, krx_tick, trading_days

#: Fixed so that every run benchmarks the same history.
SEED = 7
#: The last day of the generated history (a KRX trading day); runs end here and go back N years.
LAST_DAY = "2025-12-30"

_REPO = Path(__file__).resolve().parent.parent


def make_content(folder: Path, *, years: float, stocks: int, last_day: str = LAST_DAY) -> int:
    """Write a content folder (settings, pages, data) with ``years`` of data up to ``last_day``;
    returns the trading days. Whole years end and start on the same day of the year; a fraction
    of a year (the suite's quick run) is counted in days."""
    end = dt.date.fromisoformat(last_day)
    if float(years).is_integer():
        start = end.replace(year=end.year - int(years)) + dt.timedelta(days=1)
    else:
        start = end - dt.timedelta(days=round(365.25 * years)) + dt.timedelta(days=1)
    folder.mkdir(parents=True, exist_ok=True)
    settings = (_REPO / "content" / "site.toml").read_text(encoding="utf-8")
    # Follow every generated stock, not the twelve of the bundled sample.
    settings = re.sub(r"(?ms)^tracked_tickers\s*=\s*\[.*?\]\n", "", settings)
    (folder / "site.toml").write_text(settings, encoding="utf-8")
    pages = _REPO / "content" / "pages"
    if pages.is_dir():
        shutil.copytree(pages, folder / "pages", dirs_exist_ok=True)
    generate(folder / "data", start=start.isoformat(), end=end.isoformat(), n_stocks=stocks, seed=SEED, anchors=False)
    return len(trading_days(start.isoformat(), end.isoformat()))


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _append(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


def _last_rows(rows: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """The latest date of a file and its rows on that date."""
    last = max(r["date"] for r in rows)
    return last, [r for r in rows if r["date"] == last]


def next_session(day: str) -> str:
    """The KRX trading day after ``day`` (Mon-Fri outside the exchange's holidays)."""
    start = dt.date.fromisoformat(day) + dt.timedelta(days=1)
    following = trading_days(start.isoformat(), (start + dt.timedelta(days=20)).isoformat())
    return following[0].date().isoformat()


def _level(value: float) -> str:
    return f"{value:.2f}"


def _price(value: float) -> str:
    """A valid KRX price (a multiple of its tick) near ``value``, as the CSV writes it."""
    tick = float(krx_tick(np.array([value]))[0])
    return str(int(max(tick, round(value / tick) * tick)))


def append_day(data: Path, move: float = 0.004) -> str:
    """Append the next trading day to every daily series in ``data``; returns that day.

    Indices and stocks move by ``move`` (a plausible day), investors trade the opposite of the
    day before (net buying still sums to about zero), margin and lending balances grow a little
    and advance to their own next day, so their usual publication lag stays as it was."""
    header, rows = _read(data / "index_daily.csv")
    last, today = _last_rows(rows)
    day = next_session(last)
    new = []
    for r in today:
        prev = float(r["close"])
        close = prev * (1 + move)
        new.append(
            {**r, "date": day, "open": _level(prev), "close": _level(close),
             "high": _level(max(prev, close) * 1.002), "low": _level(min(prev, close) * 0.998)}
        )
    _append(data / "index_daily.csv", header, new)

    header, rows = _read(data / "stock_prices.csv")
    _, today = _last_rows(rows)
    new = []
    for n, r in enumerate(today):
        prev = float(r["close"])
        step = move * (1 if n % 3 else -1)
        close = float(_price(prev * (1 + step)))
        new.append(
            {**r, "date": day, "open": _price(prev), "close": _price(close),
             "high": _price(max(prev, close) * 1.004), "low": _price(min(prev, close) * 0.996)}
        )
    _append(data / "stock_prices.csv", header, new)

    header, rows = _read(data / "investor_flows.csv")
    _, today = _last_rows(rows)
    _append(data / "investor_flows.csv", header, [{**r, "date": day, "net_buy": str(-int(r["net_buy"]))} for r in today])

    header, rows = _read(data / "fx.csv")
    _, today = _last_rows(rows)
    _append(data / "fx.csv", header, [{**r, "date": day, "usdkrw": _level(float(r["usdkrw"]) * 1.001)} for r in today])

    for name in ("margin_loans.csv", "stock_lending.csv"):
        header, rows = _read(data / name)
        if not rows:
            continue
        own_last, today = _last_rows(rows)
        own_next = next_session(own_last)
        _append(data / name, header, [{**r, "date": own_next, "balance": str(math.floor(int(r["balance"]) * 1.002))} for r in today])
    return day
