"""Is each imported series of the right magnitude? A wrong unit is refused, not stored.

Exports rarely say their unit: Naver's tables give 거래량 in thousands of shares, hand-made
files give amounts in 억원, and nothing in a header distinguishes them from shares and won. A
figure 1,000 times too small is still a valid number, so the validator cannot catch it; it
has to be caught here, against what the figure can be:

* **the series already in content/data/**: on days both have, the figures must agree in
  scale; with no common day, the stored figures of the nearest weeks must be of the same order;
* **the other series of the same day**: no investor group's net buying exceeds the market's
  turnover, and an index's trading value divided by its volume is a price per share;
* **known ranges**, used only when the unit was not stated (by the header, a title line or
  a flag): KOSPI daily volume in the hundreds of millions of shares, margin loans in the
  trillions of won, a stock's daily move within the price limit (±30 % since 15 June 2015,
  ±15 % before, from 7 December 1998).

Each finding names the file, the header line and column, the suspected unit and the flag that
confirms it.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from generator.contract import BY_NAME, INDEX_DAILY, INVESTOR_FLOWS, MARGIN_LOANS, STOCK_PRICES
from generator.errors import Problem
from generator.importing.merge import Converted, Record, Scale, read_canonical
from generator.importing.readers import UNITS, VOLUME_UNITS, parse_number_or_none

#: What a unit is called in a message, and the factor (to won or to shares).
UNIT_WORDS = {
    "won": "won",
    "thousand": "천원 (thousands of won)",
    "million": "백만원",
    "eok": "억원",
    "billion": "십억원",
    "trillion": "조원",
}
VOLUME_WORDS = {"shares": "shares", "thousand": "thousands of shares", "million": "millions of shares"}
#: The daily price limit of KOSPI and KOSDAQ stocks, from the day it applied.
PRICE_LIMITS = ((dt.date(2015, 6, 15), 0.30), (dt.date(1998, 12, 7), 0.15))
#: Adjusted prices are rounded to whole won, which can add a little to a move.
PRICE_TOLERANCE = 0.01
#: Figures this many times apart are not the same unit (units differ by 10x at least).
SCALE_GAP = 20.0
#: How far from the imported days stored figures are compared when no day is common.
NEIGHBOURHOOD = dt.timedelta(days=60)
#: Won per share an index's turnover can average (KOSPI: about 10,000-130,000).
PRICE_PER_SHARE = (100.0, 1_000_000.0)
_KOREAN_PRICE = {"open": "시가", "high": "고가", "low": "저가", "close": "종가"}


@dataclass(frozen=True)
class Range:
    """Where the median daily figure of a series lies, and what it is called."""

    lo: float
    hi: float
    what: str


def known_range(file: str, field: str, series: str, year: int) -> Range | None:
    """The plausible median of one series in ``year`` (None: no range is known for it)."""
    if file == INDEX_DAILY.name and field == "volume":
        if series == "KOSPI":
            return Range(5e7, 5e9, "shares a day") if year >= 1999 else Range(5e6, 5e9, "shares a day")
        if series == "KOSDAQ" and year >= 2000:
            return Range(5e7, 2e10, "shares a day")
    if file == INDEX_DAILY.name and field == "trading_value":
        if series == "KOSPI":
            return Range(1e12, 2e14, "won a day") if year >= 1999 else Range(1e11, 2e14, "won a day")
        if series == "KOSDAQ" and year >= 2000:
            return Range(2e11, 2e14, "won a day")
    if file == INVESTOR_FLOWS.name and field == "net_buy" and series in ("KOSPI", "KOSDAQ"):
        return Range(3e9, 3e13, "won of net buying a day") if year >= 1999 else Range(1e8, 3e13, "won of net buying a day")
    if file == MARGIN_LOANS.name and field == "balance":
        return Range(5e11, 1e14, "won outstanding") if year >= 2010 else Range(1e10, 1e14, "won outstanding")
    return None


def _series_of(record: Record) -> str:
    """The label that splits a file into series: index, market or ticker."""
    for name in ("index", "market", "ticker"):
        if name in record.values:
            return record.values[name]
    return ""


def _value(record_values: dict[str, str], field: str) -> float | None:
    number = parse_number_or_none(record_values.get(field, "") or "")
    return None if number is None else float(number)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.4g}"


def _factors(scale: Scale) -> dict[str, Decimal]:
    return VOLUME_UNITS if scale.flag == "--volume-unit" else UNITS


def _words(scale: Scale) -> dict[str, str]:
    return VOLUME_WORDS if scale.flag == "--volume-unit" else UNIT_WORDS


def _fits(scale: Scale, median: float, rng: Range) -> list[str]:
    """The units in which ``median`` (read in ``scale.unit``) would lie in ``rng``, best first:
    nearest the middle of the range (in orders of magnitude), and only those nearly as near as
    the best, so that 억원 is not offered beside 백만원 and 십억원 without cause."""
    factors = _factors(scale)
    raw = median / float(factors[scale.unit])
    centre = (math.log10(rng.lo) + math.log10(rng.hi)) / 2
    fits = [u for u, f in factors.items() if u != scale.unit and rng.lo <= raw * float(f) <= rng.hi]
    distance = {u: abs(math.log10(raw * float(factors[u])) - centre) for u in fits}
    fits.sort(key=distance.__getitem__)
    return [u for u in fits if distance[u] <= distance[fits[0]] + 0.75]


def _nearest_unit(scale: Scale, ratio: float) -> str | None:
    """The unit that multiplies the figures by about ``ratio`` (within 3x), if any."""
    factors = _factors(scale)
    target = float(factors[scale.unit]) * ratio
    best = min(factors, key=lambda u: abs(math.log10(float(factors[u])) - math.log10(target)))
    return best if abs(math.log10(float(factors[best])) - math.log10(target)) < 0.5 and best != scale.unit else None


def _flag_advice(scale: Scale, units: list[str]) -> str:
    words = _words(scale)
    if not units:
        return "no unit makes them plausible: is this the right file and column?"
    options = " or ".join(f"{scale.flag} {u} ({words[u]})" for u in units)
    return f"pass {options} if so, or {scale.flag} {scale.unit} to import them as written"


def check(converted: list[Converted], data_dir: Path, sessions_for=None) -> list[Problem]:
    """Every implausible magnitude among ``converted``, compared with ``data_dir``'s files.

    ``sessions_for(first, last)`` returns the KRX sessions between two dates (for the price
    limit, which only binds from one session to the next); without it, no price check."""
    problems: list[Problem] = []
    stored = _Stored(data_dir)
    everything = [r for c in converted for r in c.records]
    for c in converted:
        for scale in c.scales:
            records = [r for r in c.records if r.file.name == scale.file and r.values.get(scale.field)]
            if not records:
                continue
            path = records[0].source
            problems += _against_stored(scale, records, stored, path)
            problems += _outliers(scale, records)
            if not scale.stated:
                problems += _against_range(scale, records, path)
        problems += _value_per_share(c)
    problems += _net_buy_within_turnover(everything, stored)
    if sessions_for is not None:
        problems += _price_limits(everything, stored, sessions_for)
    return problems


class _Stored:
    """The canonical files, read once each and only when asked for."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._files: dict[str, dict[tuple[str, ...], dict[str, str]]] = {}

    def rows(self, name: str) -> dict[tuple[str, ...], dict[str, str]]:
        if name not in self._files:
            try:
                self._files[name] = read_canonical(self.data_dir, BY_NAME[name]).rows
            except Exception:  # an unreadable file is reported by the merge, in its own words
                self._files[name] = {}
        return self._files[name]


def _by_series(records: Iterable[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        out[_series_of(r)].append(r)
    return out


#: Aggregate series whose daily figures stay within a narrow band: a row this many times off
#: its file's median is in another unit (a stock's volume or a day's net buying can be tiny).
SMOOTH_SERIES = {(INDEX_DAILY.name, "volume"), (INDEX_DAILY.name, "trading_value"), (MARGIN_LOANS.name, "balance")}
OUTLIER = 100.0


def _outliers(scale: Scale, records: list[Record]) -> list[Problem]:
    """Rows of a smooth series whose figure is ``OUTLIER`` times off the file's median."""
    if (scale.file, scale.field) not in SMOOTH_SERIES:
        return []
    out = []
    for series, rows in _by_series(records).items():
        values = [(r, abs(v)) for r in rows if (v := _value(r.values, scale.field))]
        if len(values) < 2:
            continue
        median = statistics.median(v for _, v in values)
        for r, v in values:
            ratio = median / v
            if ratio >= OUTLIER or ratio <= 1 / OUTLIER:
                out.append(
                    Problem(
                        r.source,
                        r.line,
                        scale.column,
                        f"{_fmt(v / float(_factors(scale)[scale.unit]))} is about {_fmt(ratio if ratio > 1 else 1 / ratio)} times "
                        f"{'smaller' if ratio > 1 else 'larger'} than the file's median for {series or scale.file} "
                        f"({_fmt(median / float(_factors(scale)[scale.unit]))}): this row is in another unit, or a typo",
                    )
                )
    return out


def _against_range(scale: Scale, records: list[Record], path: str) -> list[Problem]:
    out = []
    for series, rows in _by_series(records).items():
        values = [abs(v) for r in rows if (v := _value(r.values, scale.field))]
        if not values:
            continue
        median = statistics.median(values)
        years = sorted(r.values["date"][:4] for r in rows if r.values.get("date"))
        year = int(years[len(years) // 2]) if years else 2000
        rng = known_range(scale.file, scale.field, series, year)
        if rng is None:
            continue
        if rng.lo <= median <= rng.hi:
            out += _rows_out_of_range(scale, rows, rng, series)
            continue
        words = _words(scale)
        units = _fits(scale, median, rng)
        suspected = " or ".join(words[u] for u in units) if units else None
        looks = f"they look like {suspected}" if suspected else "they are not of that order in any unit"
        share_view = (
            "; or this is a 거래량 (shares) view, which investor_flows.csv cannot hold: export the 거래대금 view"
            if scale.file == INVESTOR_FLOWS.name
            else ""
        )
        out.append(
            Problem(
                path,
                scale.line,
                scale.column,
                f"read as {words[scale.unit]} (no unit is stated), the {series or scale.file} figures have a median of "
                f"{_fmt(median)} {rng.what}, where {year} figures lie between {_fmt(rng.lo)} and {_fmt(rng.hi)}: "
                f"{looks}; {_flag_advice(scale, units)}{share_view}",
            )
        )
    return out


def _rows_out_of_range(scale: Scale, rows: list[Record], rng: Range, series: str) -> list[Problem]:
    """Single rows ten times beyond the range, in a file whose median is plausible: a row
    pasted in from another table (the median cannot tell when such rows are few)."""
    out = []
    for r in rows:
        v = _value(r.values, scale.field)
        if v and not (rng.lo / 10 <= abs(v) <= rng.hi * 10) and scale.field != "net_buy":
            out.append(
                Problem(
                    r.source,
                    r.line,
                    scale.column,
                    f"{_fmt(v / float(_factors(scale)[scale.unit]))} read as {_words(scale)[scale.unit]} is far outside "
                    f"{_fmt(rng.lo)} to {_fmt(rng.hi)} {rng.what} for {series}: this row is in another unit, or a typo",
                )
            )
    return out


def _against_stored(scale: Scale, records: list[Record], stored: _Stored, path: str) -> list[Problem]:
    rows = stored.rows(scale.file)
    if not rows:
        return []
    ratios: list[float] = []
    example: tuple[str, float, float] | None = None
    for r in records:
        old = rows.get(r.key)
        new = _value(r.values, scale.field)
        old_value = _value(old, scale.field) if old else None
        if new and old_value:
            ratios.append(abs(old_value / new))
            example = example or (r.values["date"], old_value, new)
    where = "on {n} days also in " + scale.file
    if not ratios:
        ratios, example, where = _neighbour_ratios(scale, records, rows)
    if not ratios or example is None:  # an example comes with the first ratio
        return []
    ratio = statistics.median(ratios)
    if 1 / SCALE_GAP < ratio < SCALE_GAP:
        return []
    unit = _nearest_unit(scale, ratio)
    words = _words(scale)
    advice = f"pass {scale.flag} {unit} ({words[unit]})" if unit else f"check the unit ({scale.flag})"
    day, old_value, new = example
    return [
        Problem(
            path,
            scale.line,
            scale.column,
            f"{where.format(n=len(ratios))} the stored figures are about {_fmt(ratio)} times these "
            f"({day}: {_fmt(old_value)} stored, {_fmt(new)} here, read as {words[scale.unit]}): {advice}. "
            f"If the stored figures are the wrong ones, correct content/data/{scale.file} first",
        )
    ]


def _neighbour_ratios(scale: Scale, records: list[Record], rows: dict) -> tuple[list[float], tuple[str, float, float] | None, str]:
    """Ratio of stored to imported medians per series, over the stored rows within
    ``NEIGHBOURHOOD`` of the imported days (at least five of each)."""
    ratios, example = [], None
    key_names = BY_NAME[scale.file].key
    for series, imported in _by_series(records).items():
        days = sorted(dt.date.fromisoformat(r.values["date"]) for r in imported)
        lo, hi = days[0] - NEIGHBOURHOOD, days[-1] + NEIGHBOURHOOD
        near = []
        for key, row in rows.items():
            values = dict(zip(key_names, key, strict=True))
            label = next((values[k] for k in ("index", "market", "ticker") if k in values), "")
            if label != series:
                continue
            try:
                day = dt.date.fromisoformat(values["date"])
            except ValueError:
                continue
            v = _value(row, scale.field)
            if lo <= day <= hi and v:
                near.append((day, abs(v)))
        new = [abs(v) for r in imported if (v := _value(r.values, scale.field))]
        if len(near) >= 5 and len(new) >= 5:
            old_median, new_median = statistics.median(v for _, v in near), statistics.median(new)
            ratios.append(old_median / new_median)
            example = example or (f"median of the stored days {min(near)[0]} to {max(near)[0]}", old_median, new_median)
    return ratios, example, "near the imported days (no day in common),"


def _value_per_share(c: Converted) -> list[Problem]:
    """An index's trading value over its volume is an average price per share."""
    scales = {s.field: s for s in c.scales if s.file == INDEX_DAILY.name}
    if "volume" not in scales or "trading_value" not in scales:
        return []
    prices = []
    for r in c.records:
        if r.file.name != INDEX_DAILY.name:
            continue
        volume, value = _value(r.values, "volume"), _value(r.values, "trading_value")
        if volume and value:
            prices.append(value / volume)
    if not prices:
        return []
    price = statistics.median(prices)
    lo, hi = PRICE_PER_SHARE
    if lo <= price <= hi:
        return []
    volume_scale, value_scale = scales["volume"], scales["trading_value"]
    if price > hi:
        hint = f"거래량 in thousands of shares? pass --volume-unit thousand; or 거래대금 not in {UNIT_WORDS[value_scale.unit]}? pass --unit"
    else:
        hint = f"거래대금 in 백만원 or 억원? pass --unit million or --unit eok; or 거래량 not in {VOLUME_WORDS[volume_scale.unit]}? pass --volume-unit"
    source = next(r.source for r in c.records if r.file.name == INDEX_DAILY.name)
    return [
        Problem(
            source,
            value_scale.line,
            f"{value_scale.column} / {volume_scale.column}",
            f"trading value over volume is a median {_fmt(price)} won a share, where an index's turnover averages "
            f"{_fmt(lo)} to {_fmt(hi)} won a share: one of the two columns is in another unit ({hint})",
        )
    ]


def _net_buy_within_turnover(records: list[Record], stored: _Stored) -> list[Problem]:
    """No investor group buys, net, more than the whole market traded that day."""
    flows = [r for r in records if r.file.name == INVESTOR_FLOWS.name]
    if not flows:
        return []
    turnover: dict[tuple[str, ...], float] = {}
    for key, row in stored.rows(INDEX_DAILY.name).items():
        value = _value(row, "trading_value")
        if value:
            turnover[key] = value
    for r in records:
        if r.file.name == INDEX_DAILY.name and (value := _value(r.values, "trading_value")):
            turnover[r.key] = value
    out = []
    for r in flows:
        net = _value(r.values, "net_buy")
        total = turnover.get((r.values["date"], r.values["market"]))
        if net is not None and total and abs(net) > total:
            out.append(
                Problem(
                    r.source,
                    r.line,
                    r.values["investor"],
                    f"net buying of {_fmt(net)} won on {r.values['date']} exceeds the whole {r.values['market']} turnover "
                    f"that day ({_fmt(total)} won, index_daily.csv): the amounts are in another unit (pass --unit)",
                )
            )
    return out


def _price_limits(records: list[Record], stored: _Stored, sessions_for) -> list[Problem]:
    """Each day's prices within the daily limit of the previous session's close."""
    prices = [r for r in records if r.file.name == STOCK_PRICES.name]
    if not prices:
        return []
    stored_rows = stored.rows(STOCK_PRICES.name)
    out = []
    for ticker, rows in _by_series(prices).items():
        closes: dict[str, tuple[float, Record | None]] = {}
        for (day, t), row in stored_rows.items():
            if t == ticker and (close := _value(row, "close")):
                closes[day] = (close, None)
        for r in rows:
            if close := _value(r.values, "close"):
                closes[r.values["date"]] = (close, r)
        days = sorted(closes)
        if len(days) < 2:
            continue
        sessions = sessions_for(dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1]))
        if not len(sessions):
            continue
        for before, day in zip(days, days[1:], strict=False):
            record = closes[day][1]
            limit = next((lim for since, lim in PRICE_LIMITS if dt.date.fromisoformat(day) >= since), None)
            if record is None or limit is None:
                continue
            a, b = np.datetime64(before, "D"), np.datetime64(day, "D")
            between = int(np.searchsorted(sessions, b, side="left") - np.searchsorted(sessions, a, side="right"))
            if between > 0:  # a suspension (a split, a re-listing) resets the base price
                continue
            base = closes[before][0]
            levels = {f: v for f in ("open", "high", "low", "close") if (v := _value(record.values, f))}
            moves = {f: (v / base - 1) for f, v in levels.items()}
            field, move = max(moves.items(), key=lambda kv: abs(kv[1]))
            if abs(move) > limit + PRICE_TOLERANCE:
                out.append(
                    Problem(
                        record.source,
                        record.line,
                        _KOREAN_PRICE[field],
                        f"{_fmt(levels[field])} is {abs(move):.1%} {'above' if move > 0 else 'below'} "
                        f"the previous close {_fmt(base)} ({before}), beyond the ±{limit:.0%} daily price limit: "
                        "a row of another stock, a typo, or prices not adjusted for a split or bonus issue (import adjusted prices)",
                    )
                )
    return out
