"""The leverage-risk study: did stocks with heavy borrowing fall harder when the market turned?

Method (written out on the page, /research/leverage-risk/):

1. **When the market turned.** The headline index's drawdowns are found from its closes: an
   episode starts at a close at or above every earlier close (the peak) and lasts until the
   index closes at or above that peak again (or the data end); its trough is its lowest close.
   The study uses the ``count`` deepest episodes (by default the single largest drawdown).
   A return to the exact peak level ends an episode, so the peak is the *last* day the market
   stood at its high before the fall, the day borrowing is measured.
2. **Borrowing intensity at the peak.** We have no shares outstanding, so a stock's lending
   balance cannot be put against its market value. Instead it is measured against how much
   of the stock trades: *days of trading to cover* = stock-lending balance (won, the latest
   figure on or before the peak, at most ``FRESH_DAYS`` old) ÷ the stock's average daily traded
   value (close × volume, won) over the ``window`` trading days up to and including the peak.
   It says how many days of the stock's ordinary turnover the borrowed shares amount to, the
   same idea as the "days to cover" of short interest, and it needs only the contract's data.
3. **The later fall.** From the stock's close on the peak day to its lowest close after it, up
   to and including the index's trough: ``drawdown_pct = (lowest ÷ peak close − 1) × 100``.
   A stock that never closed below its peak-day close in that window has a positive figure.
4. **The answer.** An ordinary least-squares line ``drawdown_pct = slope × intensity +
   intercept`` (``numpy.polyfit``) and Pearson's correlation over every stock with data. A
   negative slope means heavier borrowing went with deeper falls. With a dozen stocks this is
   a description of one episode, not a test of a law, and the sentence says so.

Stocks without volumes, without a lending figure near the peak, or listed after it are left
out with the reason (one of ``REASONS``), so the page can say how many were measured.

The study is figures only: ``verdict`` and ``strength`` read its answer as a code ("harder",
"weak" …), and the research page (generator/site/research.py) words it in each edition's
language.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from generator.dataset import Dataset

#: Trading days of turnover averaged for the intensity's denominator.
DEFAULT_WINDOW = 20
#: How many of the deepest index drawdowns the study measures.
DEFAULT_EPISODES = 1
#: A lending figure older than this many calendar days at the peak is not used.
FRESH_DAYS = 7
#: Correlations weaker than this (in absolute value) are read as "no clear relation".
WEAK = 0.2
#: Why a stock could not be measured over a drawdown (``LeverageStudy.excluded``'s values).
NO_PRICE = "no-price"  # no close within FRESH_DAYS before the peak
FEW_VOLUMES = "few-volumes"  # fewer than ``window`` days of volumes up to the peak
NO_LENDING = "no-lending"  # no stock-lending figures at all
STALE_LENDING = "stale-lending"  # no stock-lending figure within FRESH_DAYS before the peak
NO_LATER_PRICES = "no-later-prices"  # no close between the peak and the trough
REASONS = (NO_PRICE, FEW_VOLUMES, NO_LENDING, STALE_LENDING, NO_LATER_PRICES)
#: What the study found (``verdict``).
NO_DOWNTURN = "no-downturn"  # the index never fell from a peak
TOO_FEW = "too-few"  # fewer than 3 stocks measured, or no line or correlation to read
NO_RELATION = "no-relation"  # |r| below WEAK, or a flat line
HARDER = "harder"  # heavier borrowing went with deeper falls
LESS = "less"  # heavier borrowing went with shallower falls


@dataclass(frozen=True)
class Drawdown:
    """One fall of the index: from its peak close to its lowest close before recovering."""

    peak: dt.date
    trough: dt.date
    peak_close: float
    trough_close: float

    @property
    def depth_pct(self) -> float:
        """The fall in percent, negative: −23.4 means the index lost 23.4% from its peak."""
        return (self.trough_close / self.peak_close - 1) * 100


@dataclass(frozen=True)
class StockPoint:
    """One stock measured over one drawdown: its borrowing at the peak and its fall after."""

    ticker: str
    name: str
    sector: str | None
    episode: Drawdown
    lending_balance: float
    lending_as_of: dt.date
    avg_traded_value: float
    intensity_days: float
    peak_close: float
    low_close: float
    low_date: dt.date

    @property
    def drawdown_pct(self) -> float:
        return (self.low_close / self.peak_close - 1) * 100


@dataclass(frozen=True)
class Fit:
    """An ordinary least-squares line y = slope · x + intercept, with Pearson's r and n."""

    slope: float
    intercept: float
    r: float | None  # None when y does not vary
    n: int

    def at(self, x: float) -> float:
        return self.slope * x + self.intercept


@dataclass
class LeverageStudy:
    """Everything the research page shows."""

    index_name: str
    window: int
    episodes: list[Drawdown]
    points: list[StockPoint]
    fit: Fit | None
    #: Stocks left out, by ticker, with the reason (one of ``REASONS``), for the page's notes.
    excluded: dict[str, str] = field(default_factory=dict)

    @property
    def stocks(self) -> int:
        """How many different stocks were measured (each may count once per downturn)."""
        return len({p.ticker for p in self.points})


def largest_drawdowns(dates: list[dt.date], closes: np.ndarray, count: int = 1) -> list[Drawdown]:
    """The ``count`` deepest drawdown episodes, deepest first (see the module docstring)."""
    c = np.asarray(closes, dtype=float)
    episodes: list[Drawdown] = []
    peak = 0
    for i in range(1, len(c) + 1):
        if i == len(c) or c[i] >= c[peak]:
            if i - peak > 1:
                trough = peak + 1 + int(np.argmin(c[peak + 1 : i]))
                if c[trough] < c[peak]:
                    episodes.append(Drawdown(dates[peak], dates[trough], float(c[peak]), float(c[trough])))
            peak = i
    episodes.sort(key=lambda e: (e.depth_pct, e.peak))
    return episodes[:count]


def fit_line(x: np.ndarray, y: np.ndarray) -> Fit | None:
    """Least squares through the points; None with fewer than 2 points or when x does not vary."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2 or np.ptp(x) == 0:
        return None
    slope, intercept = np.polyfit(x, y, 1)
    r = float(np.corrcoef(x, y)[0, 1]) if np.ptp(y) > 0 else None
    return Fit(float(slope), float(intercept), r, len(x))


def leverage_study(
    data: Dataset, *, episodes: int = DEFAULT_EPISODES, window: int = DEFAULT_WINDOW
) -> LeverageStudy | None:
    """The study over the dataset; None when there is no index, no lending or no drawdown to study."""
    name = data.config.headline_index
    index = data.index_daily[data.index_daily["index"] == name].sort_values("date")
    if index.empty or data.stock_lending.empty or data.stock_prices.empty:
        return None
    days = [d.date() for d in index["date"]]
    falls = largest_drawdowns(days, index["close"].to_numpy(dtype=float), episodes)
    if not falls:
        return None
    names = data.stocks.set_index("ticker") if not data.stocks.empty else None
    prices = {str(t): rows.sort_values("date") for t, rows in data.stock_prices.groupby("ticker")}
    lending = {str(t): rows.sort_values("date") for t, rows in data.stock_lending.groupby("ticker")}
    points: list[StockPoint] = []
    excluded: dict[str, str] = {}
    for ticker in data.tracked_tickers:
        if ticker not in prices:
            continue
        label, sector = _label(ticker, names)
        for fall in falls:
            point, reason = _measure(ticker, label, sector, prices[ticker], lending.get(ticker), fall, window)
            if point is not None:
                points.append(point)
            elif reason:
                excluded[ticker] = reason
    fit = fit_line(np.array([p.intensity_days for p in points]), np.array([p.drawdown_pct for p in points]))
    return LeverageStudy(name, window, falls, points, fit, excluded)


def _label(ticker: str, names: pd.DataFrame | None) -> tuple[str, str | None]:
    if names is not None and ticker in names.index:
        row = names.loc[ticker]
        return str(row["name"]), (row.get("sector") or None)
    return ticker, None


def _measure(
    ticker: str,
    label: str,
    sector: str | None,
    prices: pd.DataFrame,
    lending: pd.DataFrame | None,
    fall: Drawdown,
    window: int,
) -> tuple[StockPoint | None, str | None]:
    """One stock over one drawdown, or the reason it cannot be measured."""
    dates = prices["date"].to_numpy().astype("datetime64[D]")
    peak, trough = np.datetime64(fall.peak, "D"), np.datetime64(fall.trough, "D")
    i = int(np.searchsorted(dates, peak, side="right")) - 1
    if i < 0 or (peak - dates[i]).astype(int) >= FRESH_DAYS:
        return None, NO_PRICE
    closes = prices["close"].to_numpy(dtype=float)
    volumes = prices["volume"].to_numpy(dtype=float) if "volume" in prices else np.full(len(closes), np.nan)
    turnover = (closes * volumes)[max(0, i - window + 1) : i + 1]
    if len(turnover) < window or not np.all(np.isfinite(turnover)) or turnover.mean() <= 0:
        return None, FEW_VOLUMES
    if lending is None or lending.empty:
        return None, NO_LENDING
    ldates = lending["date"].to_numpy().astype("datetime64[D]")
    j = int(np.searchsorted(ldates, peak, side="right")) - 1
    if j < 0 or (peak - ldates[j]).astype(int) >= FRESH_DAYS:
        return None, STALE_LENDING
    after = (dates > peak) & (dates <= trough)
    if not after.any():
        return None, NO_LATER_PRICES
    later = np.flatnonzero(after)
    low = later[int(np.argmin(closes[later]))]
    balance = float(lending["balance"].to_numpy(dtype=float)[j])
    avg = float(turnover.mean())
    point = StockPoint(
        ticker=ticker,
        name=label,
        sector=sector,
        episode=fall,
        lending_balance=balance,
        lending_as_of=pd.Timestamp(ldates[j]).date(),
        avg_traded_value=avg,
        intensity_days=balance / avg,
        peak_close=float(closes[i]),
        low_close=float(closes[low]),
        low_date=pd.Timestamp(dates[low]).date(),
    )
    return point, None


def strength(r: float) -> str:
    """How strong a correlation is: "weak", "moderate" or "strong"."""
    a = abs(r)
    return "weak" if a < 0.3 else "moderate" if a < 0.6 else "strong"


def verdict(study: LeverageStudy) -> str:
    """What the study found, as one of NO_DOWNTURN, TOO_FEW, NO_RELATION, HARDER or LESS."""
    fit = study.fit
    if not study.episodes:
        return NO_DOWNTURN
    if fit is None or len(study.points) < 3 or fit.r is None:
        return TOO_FEW
    if abs(fit.r) < WEAK or math.isclose(abs(fit.slope), 0.0, abs_tol=1e-12):
        return NO_RELATION
    return HARDER if fit.slope < 0 else LESS
