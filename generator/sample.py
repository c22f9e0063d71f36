"""Deterministic synthetic sample data in the shape of the data contract.

Why it exists: the site, the tests and the benchmarks need data that looks like a real
market (trends, pull-backs, fat-tailed days, intraday ranges, KRX tick sizes, lagging
series) without shipping licensed data. :func:`generate` writes all seven CSV files of
:mod:`generator.contract`.

Two modes:

* ``anchors=True`` (the bundled sample, 2023-06-01 .. 2026-01-07) steers every series through
  hand-picked waypoints with Brownian bridges and pins the figures that were reported on
  7 January 2026 exactly (KOSPI above 4,600 intraday, record margin loans, record
  stock-lending balances, record highs for the Hyundai Motor group). "Ceilings" keep every
  earlier value strictly below a record so that the records really are records.
* ``anchors=False`` produces a plausible random history of any length with no special
  figures, for benchmarks and tests that need long histories.

Every random draw comes from ``numpy.random.default_rng`` seeded with ``(seed, stream)``,
one named stream per series, so adding stocks or changing one series does not change the
others, and two runs with the same arguments write byte-identical files.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from generator import contract
from generator.files import write_atomic

DEFAULT_START = "2023-06-01"
DEFAULT_END = "2026-01-07"
DEFAULT_STOCKS = 12
DEFAULT_SEED = 7

#: A dated anchor: a close, or a whole bar.
Value = TypeVar("Value")

#: Lag, in trading days, between a day and the last day a lagging series has a value for.
MARGIN_LAG = 2
LENDING_LAG = 1

#: Scale of the won amounts: one trillion and one billion won.
TRILLION = 1_000_000_000_000
BILLION = 1_000_000_000

#: Sectors for the generated (unnamed) stocks.
SECTORS: tuple[str, ...] = (
    "Semiconductors",
    "Automobiles",
    "Batteries",
    "Biotech",
    "Chemicals",
    "Financials",
    "Internet",
    "Shipbuilding",
    "Steel",
    "Defense",
    "Retail",
    "Utilities",
)

# --------------------------------------------------------------------------------------
# Specifications
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """An exact open/high/low/close row, for days whose figures are pinned."""

    open: float
    high: float
    low: float
    close: float


@dataclass(frozen=True)
class Ceiling:
    """Keep a series strictly below ``value`` on the trading days in [start, end).

    Closes (or balances) are compressed smoothly towards the ceiling, so the path does not
    show a flat run; with ``high=True`` opens and highs are also clamped, which is what a
    "record high" needs. ``knee`` is how far below the ceiling the compression begins.
    ``None`` bounds mean the start or the end of the data.
    """

    value: float
    end: str | None
    start: str | None = None
    high: bool = False
    knee: float = 0.0


@dataclass(frozen=True)
class Anchors:
    """What steers one series: waypoints (date -> close or balance), pinned bars, ceilings."""

    points: Mapping[str, float]
    bars: Mapping[str, Bar] = field(default_factory=dict)
    ceilings: tuple[Ceiling, ...] = ()


@dataclass(frozen=True)
class StockSpec:
    """A stock of the sample: identity, how it moves and how it trades."""

    ticker: str
    name: str
    name_ko: str
    sector: str
    beta: float = 1.0
    vol: float = 0.018  # daily idiosyncratic volatility (log)
    volume: float = 1_000_000  # typical shares traded a day
    lending: float = 1.0 * TRILLION  # typical stock-lending balance in won
    price: float = 50_000  # starting price without anchors
    shares: float = 100_000_000  # shares outstanding (market value = close x shares)


NAMED_STOCKS: tuple[StockSpec, ...] = (
    StockSpec("005930", "Samsung Electronics", "삼성전자", "Semiconductors", 1.05, 0.014, 15e6, 6 * TRILLION, 70_000, 5_919_637_922),
    StockSpec("000660", "SK hynix", "SK하이닉스", "Semiconductors", 1.35, 0.022, 3e6, 3 * TRILLION, 120_000, 728_002_365),
    StockSpec("005380", "Hyundai Motor", "현대차", "Automobiles", 0.9, 0.016, 8e5, 1.2 * TRILLION, 200_000, 209_416_191),
    StockSpec("000270", "Kia", "기아", "Automobiles", 0.9, 0.016, 1.5e6, 0.9 * TRILLION, 85_000, 397_672_632),
    StockSpec("307950", "Hyundai AutoEver", "현대오토에버", "Software", 0.8, 0.022, 1.5e5, 0.25 * TRILLION, 150_000, 27_423_960),
    StockSpec("373220", "LG Energy Solution", "LG에너지솔루션", "Batteries", 1.2, 0.022, 3e5, 2.5 * TRILLION, 500_000, 234_000_000),
    StockSpec("207940", "Samsung Biologics", "삼성바이오로직스", "Biotech", 0.6, 0.015, 6e4, 0.9 * TRILLION, 800_000, 71_174_000),
    StockSpec("005490", "POSCO Holdings", "POSCO홀딩스", "Steel", 1.1, 0.02, 4e5, 1.6 * TRILLION, 400_000, 84_571_230),
    StockSpec("035420", "NAVER", "NAVER", "Internet", 0.9, 0.018, 8e5, 1.1 * TRILLION, 200_000, 158_437_008),
    StockSpec("105560", "KB Financial Group", "KB금융", "Financials", 0.8, 0.015, 1.5e6, 0.6 * TRILLION, 50_000, 381_462_103),
    StockSpec("012450", "Hanwha Aerospace", "한화에어로스페이스", "Defense", 1.0, 0.025, 3e5, 1.3 * TRILLION, 120_000, 51_563_401),
    StockSpec("068270", "Celltrion", "셀트리온", "Biotech", 0.7, 0.018, 8e5, 2.2 * TRILLION, 165_000, 216_000_000),
)


def _pts(*pairs: tuple[str, float]) -> dict[str, float]:
    return dict(pairs)


# The waypoint tables below are kept compact (several pairs a line) on purpose.
# fmt: off


#: KOSPI: ~2,600 in mid-2023, 2,400-2,700 in 2024, past 3,000 on 2025-06-20 and 4,000 on
#: 2025-10-27, record close 4,221.87 on 2025-11-03, a November pull-back, the January rally.
KOSPI_ANCHORS = Anchors(
    points=_pts(
        ("2023-06-01", 2601.36), ("2023-06-30", 2564.28), ("2023-08-01", 2667.07),
        ("2023-08-31", 2556.27), ("2023-09-27", 2465.07), ("2023-10-31", 2277.99),
        ("2023-11-30", 2535.29), ("2023-12-28", 2655.28), ("2024-01-17", 2435.90),
        ("2024-02-29", 2642.36), ("2024-03-26", 2690.40), ("2024-04-19", 2591.86),
        ("2024-05-31", 2636.52), ("2024-07-11", 2695.12), ("2024-07-31", 2658.40),
        ("2024-08-02", 2590.10), ("2024-08-05", 2441.55),
        ("2024-09-09", 2535.93), ("2024-10-15", 2633.45), ("2024-11-14", 2418.86),
        ("2024-12-09", 2360.58), ("2024-12-30", 2399.49), ("2025-01-24", 2536.80),
        ("2025-02-18", 2626.81), ("2025-03-14", 2566.36), ("2025-04-09", 2293.70),
        ("2025-05-02", 2559.79), ("2025-05-30", 2697.67), ("2025-06-20", 3021.84),
        ("2025-07-11", 3175.77), ("2025-07-31", 3245.44), ("2025-08-29", 3186.01),
        ("2025-09-30", 3424.60), ("2025-10-15", 3657.28), ("2025-10-16", 3748.89),
        ("2025-10-17", 3748.37), ("2025-10-22", 3883.68), ("2025-10-23", 3845.56),
        ("2025-10-27", 4042.83),
        ("2025-11-03", 4221.87), ("2025-11-21", 3853.26), ("2025-12-03", 4028.51),
        ("2025-12-10", 4135.59), ("2025-12-17", 4056.41), ("2025-12-22", 4105.93),
        ("2025-12-29", 4220.56), ("2025-12-30", 4214.17), ("2026-01-02", 4309.63),
        ("2026-01-05", 4457.52), ("2026-01-06", 4525.48), ("2026-01-07", 4551.06),
    ),
    bars={
        "2025-12-29": Bar(4190.12, 4233.41, 4181.77, 4220.56),
        "2025-12-30": Bar(4228.35, 4239.90, 4197.06, 4214.17),
        "2026-01-02": Bar(4227.29, 4314.62, 4225.61, 4309.63),
        "2026-01-05": Bar(4335.70, 4481.94, 4330.16, 4457.52),
        "2026-01-06": Bar(4470.25, 4525.48, 4446.93, 4525.48),
        "2026-01-07": Bar(4566.34, 4611.72, 4488.20, 4551.06),
    },
    ceilings=(
        Ceiling(3000.00, end="2025-06-20", high=True, knee=40),
        Ceiling(4000.00, end="2025-10-27", high=True, knee=50),
        Ceiling(4221.87, end="2025-11-03", knee=50),
        Ceiling(4221.87, start="2025-11-04", end="2026-01-02", knee=50),
        Ceiling(4525.48, end="2026-01-06", high=True, knee=50),
    ),
)

KOSDAQ_ANCHORS = Anchors(
    points=_pts(
        ("2023-06-01", 858.40), ("2023-06-30", 880.60), ("2023-07-26", 939.67),
        ("2023-08-31", 917.14), ("2023-09-27", 836.11), ("2023-10-31", 768.10),
        ("2023-11-30", 829.79), ("2023-12-28", 866.57), ("2024-01-31", 840.37),
        ("2024-03-26", 908.15), ("2024-04-30", 868.93), ("2024-06-28", 840.44),
        ("2024-08-05", 779.33), ("2024-09-30", 809.48), ("2024-11-14", 802.12),
        ("2024-12-09", 792.40), ("2025-01-31", 817.28), ("2025-03-31", 805.60),
        ("2025-04-09", 801.20), ("2025-05-30", 829.15), ("2025-06-20", 845.70),
        ("2025-07-31", 865.26), ("2025-08-29", 848.70), ("2025-09-30", 870.21),
        ("2025-10-27", 902.70), ("2025-11-21", 871.10), ("2025-12-10", 903.82),
        ("2025-12-30", 925.47), ("2026-01-07", 947.39),
    ),
    ceilings=(Ceiling(960.0, end="2026-01-07", knee=20),),
)

FX_ANCHORS = Anchors(
    points=_pts(
        ("2023-06-01", 1320.0), ("2023-07-14", 1271.5), ("2023-10-04", 1363.5),
        ("2023-12-28", 1288.0), ("2024-04-16", 1394.5), ("2024-08-30", 1336.0),
        ("2024-12-27", 1472.5), ("2025-04-09", 1476.0), ("2025-06-30", 1350.0),
        ("2025-09-30", 1402.0), ("2025-11-24", 1474.6), ("2025-12-30", 1439.0),
        ("2026-01-07", 1443.0),
    ),
    ceilings=(Ceiling(1480.0, end=None, knee=8),),
)

#: Net buying on 2026-01-07 in won; "other" is minus the sum of the three.
FLOWS_ANCHORS: dict[str, dict[str, int]] = {
    "2026-01-07": {
        "individuals": -209_200_000_000,
        "institutions": -744_200_000_000,
        "foreigners": 978_000_000_000,
    },
}

MARGIN_RECORD = 27_528_800_000_000  # 2025-12-17, the high before 2026-01-05
MARGIN_ANCHORS = Anchors(
    points=_pts(
        ("2023-06-01", 19.6e12), ("2023-07-26", 20.4e12), ("2023-10-31", 17.6e12),
        ("2023-12-28", 17.9e12), ("2024-03-26", 19.3e12), ("2024-06-28", 19.9e12),
        ("2024-08-05", 18.6e12), ("2024-12-30", 17.4e12), ("2025-04-09", 18.0e12),
        ("2025-06-30", 20.5e12), ("2025-09-30", 23.8e12), ("2025-11-03", 25.9e12),
        ("2025-11-21", 25.1e12), ("2025-12-17", MARGIN_RECORD), ("2025-12-30", 27.2e12),
        ("2026-01-02", 27.35e12), ("2026-01-05", 27_622_356_000_000),
    ),
    ceilings=(
        Ceiling(MARGIN_RECORD, end="2025-12-17", knee=0.5 * TRILLION),
        Ceiling(MARGIN_RECORD, start="2025-12-18", end="2026-01-05", knee=0.5 * TRILLION),
    ),
)

LENDING_ANCHORS: dict[str, Anchors] = {
    "005930": Anchors(
        points=_pts(
            ("2023-06-01", 5.2e12), ("2024-06-28", 7.0e12), ("2024-11-14", 5.5e12),
            ("2025-06-30", 7.8e12), ("2025-09-30", 10.2e12), ("2025-11-03", 12.1e12),
            ("2025-12-10", 12.6e12), ("2026-01-06", 13_300_000_000_000),
        ),
        ceilings=(Ceiling(13_300_000_000_000, end="2026-01-06", knee=0.4 * TRILLION),),
    ),
    "000660": Anchors(
        points=_pts(
            ("2023-06-01", 2.6e12), ("2024-07-11", 4.8e12), ("2024-12-30", 4.0e12),
            ("2025-06-30", 6.5e12), ("2025-09-30", 9.4e12), ("2025-11-03", 12.0e12),
            ("2025-12-10", 12.4e12), ("2026-01-06", 13_050_000_000_000),
        ),
        ceilings=(Ceiling(13_050_000_000_000, end="2026-01-06", knee=0.4 * TRILLION),),
    ),
}

#: The other stocks' lending balances peak well before January 2026 and end lower, so that
#: Samsung Electronics and SK hynix are the only stock-lending records on 2026-01-06:
#: ticker -> (start, peak date, peak, end) in trillions of won.
_LENDING_SHAPES: dict[str, tuple[float, str, float, float]] = {
    "005380": (1.05, "2025-03-31", 1.45, 1.18), "000270": (0.80, "2024-11-29", 1.10, 0.92),
    "307950": (0.21, "2024-09-30", 0.31, 0.24), "373220": (2.30, "2025-02-28", 3.30, 2.45),
    "207940": (0.78, "2024-05-31", 1.05, 0.87), "005490": (1.40, "2025-06-30", 1.95, 1.52),
    "035420": (0.95, "2025-08-29", 1.40, 1.12), "105560": (0.52, "2024-10-31", 0.72, 0.60),
    "012450": (0.95, "2025-05-30", 1.70, 1.31), "068270": (2.05, "2024-08-30", 2.75, 2.20),
}
LENDING_ANCHORS.update(
    {
        ticker: Anchors(
            points=_pts(
                ("2023-06-01", start * TRILLION), (peak_date, peak * TRILLION), ("2026-01-06", end * TRILLION)
            )
        )
        for ticker, (start, peak_date, peak, end) in _LENDING_SHAPES.items()
    }
)

STOCK_ANCHORS: dict[str, Anchors] = {
    "005930": Anchors(
        points=_pts(
            ("2023-06-01", 71_400), ("2023-07-20", 71_700), ("2023-10-31", 66_900),
            ("2023-12-28", 78_500), ("2024-03-26", 66_000), ("2024-06-28", 57_000),
            ("2024-08-30", 55_500), ("2024-11-14", 49_900), ("2025-01-31", 53_000),
            ("2025-03-26", 58_000), ("2025-06-30", 59_800),
            ("2025-09-30", 83_900), ("2025-11-03", 111_000), ("2025-11-21", 94_800),
            ("2025-12-10", 108_000), ("2025-12-29", 119_500), ("2026-01-02", 128_500),
            ("2026-01-05", 136_600), ("2026-01-06", 138_100), ("2026-01-07", 137_900),
        ),
        bars={"2026-01-07": Bar(138_500, 139_800, 136_300, 137_900)},
    ),
    "000660": Anchors(
        points=_pts(
            ("2023-06-01", 112_000), ("2023-08-01", 128_000), ("2023-10-31", 122_000),
            ("2023-12-28", 141_500), ("2024-03-26", 182_000), ("2024-07-11", 241_000),
            ("2024-09-19", 152_000), ("2024-12-30", 173_900), ("2025-02-18", 225_000),
            ("2025-04-09", 168_000), ("2025-06-30", 295_000), ("2025-08-29", 265_000),
            ("2025-09-30", 355_000), ("2025-10-27", 535_000), ("2025-11-03", 625_000),
            ("2025-11-24", 522_000), ("2025-12-10", 585_000), ("2025-12-29", 651_000),
            ("2026-01-02", 688_000), ("2026-01-05", 720_000), ("2026-01-06", 744_000),
            ("2026-01-07", 737_000),
        ),
        bars={"2026-01-07": Bar(752_000, 759_000, 730_000, 737_000)},
    ),
    "005380": Anchors(
        points=_pts(
            ("2023-06-01", 203_500), ("2023-08-01", 193_000), ("2023-10-31", 170_000),
            ("2023-12-28", 203_500), ("2024-03-26", 250_000), ("2024-06-27", 290_000),
            ("2024-08-05", 240_000), ("2024-12-30", 212_000), ("2025-04-09", 176_000),
            ("2025-06-30", 205_000), ("2025-09-30", 220_000), ("2025-11-03", 260_000),
            ("2025-12-10", 292_000), ("2025-12-29", 296_000), ("2026-01-02", 301_000),
            ("2026-01-05", 306_500), ("2026-01-06", 320_500), ("2026-01-07", 345_000),
        ),
        bars={"2026-01-07": Bar(323_000, 362_000, 321_500, 345_000)},
        ceilings=(
            Ceiling(345_000, end="2026-01-07", knee=12_000),
            Ceiling(362_000, end="2026-01-07", high=True, knee=12_000),
        ),
    ),
    "000270": Anchors(
        points=_pts(
            ("2023-06-01", 86_500), ("2023-08-01", 84_000), ("2023-10-31", 76_500),
            ("2023-12-28", 100_200), ("2024-03-26", 108_000), ("2024-05-31", 112_500),
            ("2024-06-27", 117_000), ("2024-07-31", 106_000), ("2024-08-05", 101_000),
            ("2024-12-30", 100_800), ("2025-04-09", 85_000),
            ("2025-06-30", 101_000), ("2025-09-30", 104_000), ("2025-11-03", 110_000),
            ("2025-12-10", 113_500), ("2025-12-29", 112_800), ("2026-01-02", 113_500),
            ("2026-01-05", 114_900), ("2026-01-06", 116_400), ("2026-01-07", 124_900),
        ),
        bars={"2026-01-07": Bar(117_200, 130_500, 116_900, 124_900)},
        ceilings=(
            Ceiling(124_900, end="2026-01-07", knee=4_000),
            Ceiling(130_500, end="2026-01-07", high=True, knee=4_000),
        ),
    ),
    "307950": Anchors(
        points=_pts(
            ("2023-06-01", 147_000), ("2023-09-01", 155_000), ("2023-12-28", 141_000),
            ("2024-06-28", 137_000), ("2024-12-30", 150_000), ("2025-04-09", 128_000),
            ("2025-06-30", 160_000), ("2025-09-30", 178_000), ("2025-11-03", 205_000),
            ("2025-12-10", 248_000), ("2025-12-29", 265_000), ("2026-01-02", 283_000),
            ("2026-01-05", 312_000), ("2026-01-06", 339_500), ("2026-01-07", 386_500),
        ),
        bars={"2026-01-07": Bar(342_000, 405_000, 340_000, 386_500)},
        ceilings=(
            Ceiling(386_500, end="2026-01-07", knee=15_000),
            Ceiling(405_000, end="2026-01-07", high=True, knee=15_000),
        ),
    ),
    "373220": Anchors(
        points=_pts(
            ("2023-06-01", 570_000), ("2023-08-01", 560_000), ("2023-10-31", 405_000),
            ("2023-12-28", 428_000), ("2024-06-28", 328_000), ("2024-09-30", 410_000),
            ("2024-12-30", 349_000), ("2025-04-09", 330_000), ("2025-06-30", 300_000),
            ("2025-09-30", 335_000), ("2025-11-03", 450_000), ("2025-12-29", 390_000),
            ("2026-01-07", 398_000),
        ),
    ),
    "207940": Anchors(
        points=_pts(
            ("2023-06-01", 760_000), ("2023-12-28", 760_000), ("2024-06-28", 770_000),
            ("2024-10-15", 1_030_000), ("2024-12-30", 950_000), ("2025-04-09", 1_050_000),
            ("2025-09-30", 1_020_000), ("2025-12-29", 1_120_000), ("2026-01-07", 1_135_000),
        ),
    ),
    "005490": Anchors(
        points=_pts(
            ("2023-06-01", 400_000), ("2023-07-26", 680_000), ("2023-10-31", 410_000),
            ("2023-12-28", 500_000), ("2024-06-28", 367_000), ("2024-12-30", 254_000),
            ("2025-06-30", 268_000), ("2025-09-30", 285_000), ("2025-12-29", 320_000),
            ("2026-01-07", 335_000),
        ),
    ),
    "035420": Anchors(
        points=_pts(
            ("2023-06-01", 197_000), ("2023-12-28", 231_000), ("2024-06-28", 167_000),
            ("2024-12-30", 199_000), ("2025-06-30", 267_000), ("2025-09-30", 225_000),
            ("2025-11-03", 275_000), ("2025-12-29", 252_000), ("2026-01-07", 259_000),
        ),
    ),
    "105560": Anchors(
        points=_pts(
            ("2023-06-01", 47_000), ("2023-12-28", 54_000), ("2024-06-28", 78_000),
            ("2024-10-25", 96_000), ("2024-12-30", 84_000), ("2025-06-30", 111_000),
            ("2025-09-30", 114_000), ("2025-12-29", 125_000), ("2026-01-07", 128_000),
        ),
    ),
    "012450": Anchors(
        points=_pts(
            ("2023-06-01", 115_000), ("2023-12-28", 125_000), ("2024-06-28", 210_000),
            ("2024-12-30", 350_000), ("2025-04-09", 720_000), ("2025-06-30", 850_000),
            ("2025-09-30", 1_000_000), ("2025-11-03", 1_080_000), ("2025-12-29", 975_000),
            ("2026-01-07", 1_010_000),
        ),
    ),
    "068270": Anchors(
        points=_pts(
            ("2023-06-01", 165_000), ("2023-12-28", 200_000), ("2024-06-28", 177_000),
            ("2024-12-30", 187_000), ("2025-04-09", 160_000), ("2025-09-30", 180_000),
            ("2025-12-29", 182_000), ("2026-01-07", 186_000),
        ),
    ),
}
# fmt: on


# --------------------------------------------------------------------------------------
# Calendar and randomness
# --------------------------------------------------------------------------------------


def trading_days(start: str, end: str) -> pd.DatetimeIndex:
    """XKRX sessions in [start, end]; the KRX calendar knows the Korean holidays.

    The library's own calendar, uncorrected, as the sample has always been drawn on; its
    sessions come from the build cache (``calendar_checks.library_sessions``), because building
    the calendar takes seconds and every sample and benchmark history asks for it."""
    from exchange_calendars.exchange_calendar_xkrx import XKRXExchangeCalendar

    from generator.calendar_checks import library_sessions

    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if first > last:
        raise ValueError(f"start {start} is after end {end}")
    # The padding a calendar needs around its first and last session.
    lo, hi = XKRXExchangeCalendar.bound_min(), XKRXExchangeCalendar.bound_max()
    if first - pd.Timedelta(days=20) < lo or last + pd.Timedelta(days=20) > hi:
        raise ValueError(f"no XKRX calendar for {start} to {end}: it covers {lo.date()} to {hi.date()}")
    sessions, _ = library_sessions(first.year, last.year)
    days = sessions[(sessions >= np.datetime64(first.date(), "D")) & (sessions <= np.datetime64(last.date(), "D"))]
    if not len(days):
        raise ValueError(f"no XKRX trading day between {start} and {end}")
    return pd.DatetimeIndex(days.astype("datetime64[ns]"))


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent generator per named series, so series do not share draws."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def _shocks(rng: np.random.Generator, n: int, vol: float, df: int = 5, limit: float = 3.5) -> np.ndarray:
    """Daily log-returns with fat tails: Student t scaled to standard deviation ``vol``,
    cut at ``limit`` deviations so that no day is an implausible crash or melt-up."""
    z = rng.standard_t(df, n) / math.sqrt(df / (df - 2))
    return np.clip(z, -limit, limit) * vol


# --------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------


def _positions(days: pd.DatetimeIndex, dated: Mapping[str, Value]) -> dict[int, Value]:
    """Map dated values onto session positions (a date maps to the first session on or
    after it); dates outside the range are dropped."""
    out: dict[int, Value] = {}
    for date, value in sorted(dated.items()):
        ts = pd.Timestamp(date)
        if ts < days[0] or ts > days[-1]:
            continue
        out[int(days.searchsorted(ts))] = value
    return out


def _bridge(steps: np.ndarray, points: Mapping[int, float]) -> np.ndarray:
    """A path with the given daily steps that passes exactly through ``points``.

    Between two points the walk is tilted linearly so it ends where the next point is
    (a discrete Brownian bridge); before the first and after the last point it walks freely.
    Working on the steps, not on fresh noise, keeps the day-to-day texture of ``steps``
    (e.g. a stock's market beta) while the waypoints fix the shape.
    """
    walk = np.concatenate([[0.0], np.cumsum(steps[1:])])
    if not points:
        return walk
    idx = sorted(points)
    path = np.empty_like(walk)
    first, last = idx[0], idx[-1]
    path[: first + 1] = points[first] + walk[: first + 1] - walk[first]
    for a, b in zip(idx, idx[1:], strict=False):
        seg = walk[a : b + 1] - walk[a]
        frac = np.arange(b - a + 1) / (b - a)
        path[a : b + 1] = points[a] + seg - frac * (seg[-1] - (points[b] - points[a]))
    path[last:] = points[last] + walk[last:] - walk[last]
    return path


def _free_points(
    n: int, level: float, rng: np.random.Generator, vol: float, spacing: int = 40, reversion: float = 0.05
) -> dict[int, float]:
    """Waypoints (log levels) for a history without anchors: a slowly mean-reverting walk
    sampled every ``spacing`` days, so decades of data stay within plausible bounds."""
    marks = sorted(set(range(0, n, spacing)) | {n - 1})
    mean = x = math.log(level)
    points = {marks[0]: x}
    for prev, cur in zip(marks, marks[1:], strict=False):
        x = x + reversion * (mean - x) + rng.normal(0.0, vol * math.sqrt(cur - prev))
        points[cur] = x
    return points


def _log_points(
    days: pd.DatetimeIndex, anchors: Anchors | None, level: float, rng: np.random.Generator, vol: float
) -> dict[int, float]:
    """The anchors' waypoints in log space, or free ones when there are no anchors.

    Days before the first or after the last anchor (a range wider than the bundled sample's)
    get free waypoints that start from that anchor, so they stay as bounded as a free history.
    """
    n = len(days)
    points = {i: math.log(v) for i, v in _positions(days, anchors.points).items()} if anchors else {}
    if not points:
        return _free_points(n, level, rng, vol)
    first, last = min(points), max(points)
    if first > 0:
        back = _free_points(first + 1, math.exp(points[first]), rng, vol)
        points.update({first - i: x for i, x in back.items() if i > 0})
    if last < n - 1:
        ahead = _free_points(n - last, math.exp(points[last]), rng, vol)
        points.update({last + i: x for i, x in ahead.items() if i > 0})
    return points


def _soft_cap(values: np.ndarray, cap: float, knee: float) -> np.ndarray:
    """Compress values above ``cap - knee`` smoothly (tanh) so that they stay below ``cap``."""
    if knee <= 0:
        return np.minimum(values, cap)
    base = cap - knee
    out = values.copy()
    over = out > base
    out[over] = base + knee * np.tanh((out[over] - base) / knee)
    return np.minimum(out, cap)


def _mask(days: pd.DatetimeIndex, start: str | None, end: str | None) -> np.ndarray:
    """Sessions in [start, end) as a boolean array."""
    m = np.ones(len(days), dtype=bool)
    if start is not None:
        m &= days >= pd.Timestamp(start)
    if end is not None:
        m &= days < pd.Timestamp(end)
    return m


def _cap_values(values: np.ndarray, days: pd.DatetimeIndex, ceilings: Sequence[Ceiling], tick: float) -> np.ndarray:
    """Apply every ceiling to ``values``, two ``tick`` below it so that rounding to the
    tick afterwards cannot reach the ceiling (a record must be strictly above)."""
    out = values.copy()
    for c in ceilings:
        m = _mask(days, c.start, c.end)
        out[m] = _soft_cap(out[m], c.value - 2 * tick, c.knee)
    return out


# --------------------------------------------------------------------------------------
# Prices: ticks and OHLC bars
# --------------------------------------------------------------------------------------

Rounder = Callable[[np.ndarray], np.ndarray]
TickOf = Callable[[np.ndarray], np.ndarray]

#: KRX tick sizes (price unit) by price band, as upper bound -> tick.
KRX_TICKS: tuple[tuple[float, int], ...] = (
    (2_000, 1), (5_000, 5), (20_000, 10), (50_000, 50), (200_000, 100), (500_000, 500), (math.inf, 1_000),
)


def krx_tick(prices: np.ndarray) -> np.ndarray:
    """The KRX price unit for each price (a price must be a multiple of it)."""
    prices = np.asarray(prices, dtype=float)
    bounds = np.array([b for b, _ in KRX_TICKS])
    ticks = np.array([t for _, t in KRX_TICKS], dtype=float)
    return ticks[np.searchsorted(bounds, prices, side="right")]


def _round_krx(prices: np.ndarray) -> np.ndarray:
    """Round to the nearest valid KRX price (band bounds are multiples of the next tick)."""
    t = krx_tick(prices)
    return np.maximum(np.round(prices / t) * t, 1.0)


def _round_level(levels: np.ndarray) -> np.ndarray:
    return np.round(levels, 2)


def _level_tick(levels: np.ndarray) -> np.ndarray:
    return np.full(np.shape(levels), 0.01)


@dataclass(frozen=True)
class PriceStyle:
    """How a price series is quoted and how much it moves within a day."""

    round: Rounder
    tick: TickOf
    gap_vol: float  # open vs previous close (log sd)
    range_vol: float  # high above / low below the body (log sd)


INDEX_STYLE = PriceStyle(_round_level, _level_tick, gap_vol=0.0035, range_vol=0.0035)
STOCK_STYLE = PriceStyle(_round_krx, krx_tick, gap_vol=0.007, range_vol=0.008)


def _tick_at(style: PriceStyle, price: float) -> float:
    return float(style.tick(np.array([price]))[0])


def _bars(
    days: pd.DatetimeIndex,
    closes: np.ndarray,
    anchors: Anchors | None,
    style: PriceStyle,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Open/high/low/close from a close path: opens gap from the previous close, highs and
    lows extend past the candle body; then ceilings and pinned bars are applied, and finally
    low <= open, close <= high is enforced on every row."""
    n = len(closes)
    ceilings = anchors.ceilings if anchors else ()
    capped = closes.copy()
    for c in ceilings:
        capped = _cap_values(capped, days, [c], _tick_at(style, c.value))
    close = style.round(capped)
    if anchors:
        for i, v in _positions(days, anchors.points).items():
            close[i] = v
    prev = np.concatenate([[close[0]], close[:-1]])
    open_ = style.round(prev * np.exp(rng.normal(0.0, style.gap_vol, n)))
    high = style.round(np.maximum(open_, close) * np.exp(np.abs(rng.normal(0.0, style.range_vol, n))))
    low = style.round(np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0.0, style.range_vol, n))))
    for c in ceilings:
        if not c.high:
            continue
        m = _mask(days, c.start, c.end)
        limit = c.value - _tick_at(style, c.value)
        open_[m] = np.minimum(open_[m], limit)
        high[m] = np.minimum(high[m], limit)
    if anchors:
        for i, bar in _positions(days, anchors.bars).items():
            open_[i], high[i], low[i], close[i] = bar.open, bar.high, bar.low, bar.close
    high = np.maximum.reduce([high, open_, close])
    low = np.maximum(np.minimum.reduce([low, open_, close]), style.tick(low))
    return pd.DataFrame({"open": open_, "high": high, "low": low, "close": close})


def _close_path(
    days: pd.DatetimeIndex,
    steps: np.ndarray,
    anchors: Anchors | None,
    level: float,
    rng: np.random.Generator,
    vol: float,
    jitter: float = 0.0,
) -> np.ndarray:
    """Closes (not yet rounded) bridged through the anchors' waypoints or free waypoints.

    ``jitter`` adds day-to-day noise that does not accumulate. Between close waypoints the
    bridge has a steady drift, and a drifting walk alone produces long runs of gains (a
    16-day winning streak is not a plausible month); the jitter breaks those runs up.
    """
    points = _log_points(days, anchors, level, rng, vol)
    path = _bridge(steps, points)
    if jitter:
        noise = rng.normal(0.0, jitter, len(days))
        noise[list(points)] = 0.0  # waypoints stay exact
        path = path + noise
    return np.exp(path)


# --------------------------------------------------------------------------------------
# The series
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSpec:
    """An index of the sample and its typical turnover."""

    name: str
    level: float  # starting level without anchors
    vol: float  # daily volatility of the walk (log)
    jitter: float  # daily noise that does not accumulate (log); see _close_path
    value: float  # typical trading value in won at ``level``
    share_price: float  # average price of a traded share at ``level``


INDEXES: tuple[IndexSpec, ...] = (
    IndexSpec("KOSPI", 2_600.0, 0.0065, 0.005, 9.0 * TRILLION, 20_000.0),
    IndexSpec("KOSDAQ", 860.0, 0.0075, 0.0055, 8.0 * TRILLION, 8_000.0),
)


def _index_frame(
    days: pd.DatetimeIndex, spec: IndexSpec, anchors: Anchors | None, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """One index's rows, and its daily log returns (which drive stocks and flows)."""
    rng = _rng(seed, f"index:{spec.name}")
    steps = _shocks(rng, len(days), spec.vol)
    closes = _close_path(days, steps, anchors, spec.level, rng, spec.vol, jitter=spec.jitter)
    bars = _bars(days, closes, anchors, INDEX_STYLE, rng)
    close = bars["close"].to_numpy()
    returns = np.concatenate([[0.0], np.diff(np.log(close))])
    # turnover grows with the level and with the size of the day's move
    value = (
        spec.value
        * (close / spec.level) ** 1.5
        * np.exp(rng.normal(0.0, 0.22, len(days)))
        * (1.0 + 25.0 * np.abs(returns))
    )
    volume = value / (spec.share_price * close / spec.level) * np.exp(rng.normal(0.0, 0.1, len(days)))
    bars.insert(0, "index", spec.name)
    bars.insert(0, "date", days)
    bars["volume"] = np.round(volume).astype(np.int64)
    bars["trading_value"] = (np.round(value / 1e6) * 1e6).astype(np.int64)
    return bars, returns


def _generated_stock(i: int, seed: int) -> StockSpec:
    """The i-th stock beyond the named list: its identity depends on i only, its habits
    (price, beta, volatility, turnover) on the seed too."""
    rng = _rng(seed, f"stock-spec:{i}")
    price = float(np.exp(rng.uniform(math.log(3_000), math.log(400_000))))
    turnover = float(np.exp(rng.uniform(math.log(5e9), math.log(1.5e11))))
    return StockSpec(
        ticker=f"9{i:05d}",
        name=f"Sample Co {i}",
        name_ko=f"샘플기업 {i}",
        sector=SECTORS[i % len(SECTORS)],
        beta=round(float(rng.uniform(0.6, 1.4)), 2),
        vol=round(float(rng.uniform(0.012, 0.028)), 4),
        volume=turnover / price,
        lending=float(np.exp(rng.uniform(math.log(1e11), math.log(3e12)))),
        price=price,
        shares=float(round(np.exp(rng.uniform(math.log(5e11), math.log(4e13))) / price)),
    )


def stock_specs(n_stocks: int, seed: int = DEFAULT_SEED) -> list[StockSpec]:
    """The named stocks first, then generated ones up to ``n_stocks``."""
    named = list(NAMED_STOCKS[:n_stocks])
    return named + [_generated_stock(i, seed) for i in range(len(named), n_stocks)]


def _stock_frame(
    days: pd.DatetimeIndex, spec: StockSpec, anchors: Anchors | None, market: np.ndarray, seed: int
) -> pd.DataFrame:
    """One stock's daily prices: market beta plus its own fat-tailed moves, bridged."""
    rng = _rng(seed, f"stock:{spec.ticker}")
    steps = spec.beta * market + _shocks(rng, len(days), spec.vol)
    total_vol = math.sqrt(spec.vol**2 + (spec.beta * 0.009) ** 2)
    closes = _close_path(days, steps, anchors, spec.price, rng, total_vol, jitter=0.4 * spec.vol)
    bars = _bars(days, closes, anchors, STOCK_STYLE, rng)
    close = bars["close"].to_numpy()
    returns = np.abs(np.concatenate([[0.0], np.diff(np.log(close))]))
    volume = spec.volume * np.exp(rng.normal(0.0, 0.35, len(days))) * (1.0 + 25.0 * returns)
    out = bars.astype(np.int64)
    out.insert(0, "ticker", spec.ticker)
    out.insert(0, "date", days)
    out["volume"] = np.round(volume).astype(np.int64)
    return out


def _balance_path(
    days: pd.DatetimeIndex, anchors: Anchors | None, level: float, vol: float, rng: np.random.Generator
) -> np.ndarray:
    """A positive, smooth balance in won (rounded to a million), through the waypoints and
    below the ceilings (with a billion won of room so rounding cannot reach a record)."""
    steps = _shocks(rng, len(days), vol)
    values = _close_path(days, steps, anchors, level, rng, vol * 0.7)
    if anchors:
        values = _cap_values(values, days, anchors.ceilings, tick=BILLION / 2)
    values = np.round(values / 1e6) * 1e6
    if anchors:
        for i, v in _positions(days, anchors.points).items():
            values[i] = v
    return values.astype(np.int64)


def _margin_frame(days: pd.DatetimeIndex, anchors: Anchors | None, seed: int) -> pd.DataFrame:
    """Margin loans by market, dated by the day measured; KOSPI + KOSDAQ = total."""
    rng = _rng(seed, "margin")
    total = _balance_path(days, anchors, 19.0 * TRILLION, 0.005, rng)
    # KOSPI's share drifts up from under half to about 60%, as it did, wandering slowly
    wander = np.cumsum(rng.normal(0.0, 0.0015, len(days)))
    wander -= np.linspace(0.0, wander[-1], len(days))
    share = np.clip(np.linspace(0.47, 0.61, len(days)) + wander, 0.3, 0.7)
    kospi = (np.round(total * share / 1e6) * 1e6).astype(np.int64)
    frames = [
        pd.DataFrame({"date": days, "market": "KOSPI", "balance": kospi}),
        pd.DataFrame({"date": days, "market": "KOSDAQ", "balance": total - kospi}),
        pd.DataFrame({"date": days, "market": "total", "balance": total}),
    ]
    return _interleave(frames, "market", contract.MARGIN_MARKETS)


def _lending_frame(
    days: pd.DatetimeIndex, spec: StockSpec, anchors: Anchors | None, seed: int
) -> pd.DataFrame:
    rng = _rng(seed, f"lending:{spec.ticker}")
    balance = _balance_path(days, anchors, spec.lending, 0.012, rng)
    return pd.DataFrame({"date": days, "ticker": spec.ticker, "balance": balance})


def _fx_frame(days: pd.DatetimeIndex, anchors: Anchors | None, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "fx:usdkrw")
    steps = _shocks(rng, len(days), 0.0035)
    rate = _close_path(days, steps, anchors, 1_250.0, rng, 0.0035, jitter=0.0015)
    if anchors:
        rate = _cap_values(rate, days, anchors.ceilings, tick=0.01)
    rate = np.round(rate, 2)
    if anchors:
        for i, v in _positions(days, anchors.points).items():
            rate[i] = v
    return pd.DataFrame({"date": days, "usdkrw": rate})


def _flows_frame(
    days: pd.DatetimeIndex, market_returns: np.ndarray, pinned: Mapping[str, Mapping[str, int]], seed: int
) -> pd.DataFrame:
    """Net buying by investor type: foreigners follow the market's move, individuals take
    the other side, and "other" balances the day so the four sum to zero."""
    rng = _rng(seed, "flows:KOSPI")
    n = len(days)
    move = market_returns / 0.01  # in percent of the index
    foreigners = 120e9 * move + 280e9 * _shocks(rng, n, 1.0)
    institutions = 60e9 * move + 220e9 * _shocks(rng, n, 1.0)
    individuals = -0.85 * (foreigners + institutions) + 90e9 * _shocks(rng, n, 1.0)
    flows = {
        "individuals": np.round(individuals / 1e6) * 1e6,
        "institutions": np.round(institutions / 1e6) * 1e6,
        "foreigners": np.round(foreigners / 1e6) * 1e6,
    }
    arrays = {k: v.astype(np.int64) for k, v in flows.items()}
    for date, values in pinned.items():
        for i in _positions(days, {date: 0.0}):
            for investor, amount in values.items():
                arrays[investor][i] = amount
    arrays["other"] = -(arrays["individuals"] + arrays["institutions"] + arrays["foreigners"])
    frames = [
        pd.DataFrame({"date": days, "market": "KOSPI", "investor": inv, "net_buy": arrays[inv]})
        for inv in contract.INVESTORS
    ]
    return _interleave(frames, "investor", contract.INVESTORS)


def _interleave(frames: Sequence[pd.DataFrame], column: str, order: Sequence[str]) -> pd.DataFrame:
    """Concatenate per-category frames into date order, categories in ``order`` within a day."""
    out = pd.concat(frames, ignore_index=True)
    rank = out[column].map({v: i for i, v in enumerate(order)})
    out = out.assign(_rank=rank).sort_values(["date", "_rank"], kind="stable")
    return out.drop(columns="_rank").reset_index(drop=True)


#: Market events of the bundled sample: the real events of those days, worded for its synthetic figures.
#: Each: date, kind, text, headline, and the same in Korean (text_ko, headline_ko).
SAMPLE_EVENTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("2023-11-06", "ban", "A ban on short selling of every listed stock took effect, announced by financial regulators the day before.",
     "Short-selling ban takes effect", "전 상장 종목의 공매도 금지가 시행됐다. 금융당국은 전날 이를 발표했다.", "공매도 전면 금지 시행"),
    ("2024-08-05", "sidecar", "The exchange suspended program selling on the KOSPI for five minutes, a sidecar, after KOSPI 200 futures fell 5 percent.",
     "", "코스피200 선물이 5% 급락하자 거래소가 유가증권시장의 프로그램 매도 호가를 5분간 정지하는 사이드카를 발동했다.", ""),
    ("2025-03-31", "ban", "Short selling resumed for every listed stock for the first time since November 2023.",
     "Short selling resumes after 17-month ban", "2023년 11월 이후 처음으로 전 상장 종목의 공매도가 재개됐다.", "공매도 17개월 만에 전면 재개"),
)


def _events_frame(days: pd.DatetimeIndex) -> pd.DataFrame:
    """The sample's events that fall on its trading days."""
    present = set(days.strftime("%Y-%m-%d"))
    rows = [e for e in SAMPLE_EVENTS if e[0] in present]
    return pd.DataFrame(
        {"date": pd.to_datetime([r[0] for r in rows]), "kind": [r[1] for r in rows], "text": [r[2] for r in rows], "headline": [r[3] for r in rows],
         "text_ko": [r[4] for r in rows], "headline_ko": [r[5] for r in rows]}
    )


def _stocks_table(specs: Sequence[StockSpec]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ticker": [s.ticker for s in specs],
            "name": [s.name for s in specs],
            "name_ko": [s.name_ko for s in specs],
            "sector": [s.sector for s in specs],
            "market": "KOSPI",
            "shares": [int(s.shares) for s in specs],
        }
    )


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _fmt2(values: pd.Series) -> list[str]:
    return [f"{v:.2f}" for v in values]


def _write_csv(frame: pd.DataFrame, data_file: contract.DataFile, out_dir: Path) -> None:
    """Write one contract file (columns in contract order, UTF-8, LF) atomically, so a
    reader (``serve``) never sees half a file."""
    columns = [c.name for c in data_file.columns if c.name in frame.columns]
    frame = frame[columns].copy()
    if "date" in frame.columns:
        frame["date"] = pd.DatetimeIndex(frame["date"]).strftime("%Y-%m-%d")
    path = out_dir / data_file.name
    write_atomic(path, frame.to_csv(index=False, lineterminator="\n"))


def generate(
    out_dir: Path,
    *,
    start: str = DEFAULT_START,
    end: str = DEFAULT_END,
    n_stocks: int = DEFAULT_STOCKS,
    seed: int = DEFAULT_SEED,
    anchors: bool = True,
) -> None:
    """Write every CSV file of the data contract into ``out_dir`` (the events only with ``anchors``).

    Deterministic in its arguments. With ``anchors`` the series pass through the built-in
    waypoints and pinned figures that fall inside [start, end]; without, they are a plausible
    random history. Raises ``ValueError`` for an empty date range or ``n_stocks < 1``.
    """
    if n_stocks < 1:
        raise ValueError("n_stocks must be at least 1")
    days = trading_days(start, end)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    index_anchors = {"KOSPI": KOSPI_ANCHORS, "KOSDAQ": KOSDAQ_ANCHORS} if anchors else {}
    index_frames, returns = [], {}
    for spec in INDEXES:
        frame, returns[spec.name] = _index_frame(days, spec, index_anchors.get(spec.name), seed)
        index_frames.append(frame)
    index_daily = _interleave(index_frames, "index", [s.name for s in INDEXES])
    for col in ("open", "high", "low", "close"):
        index_daily[col] = _fmt2(index_daily[col])

    specs = stock_specs(n_stocks, seed)
    market = returns["KOSPI"]
    prices = pd.concat(
        [_stock_frame(days, s, STOCK_ANCHORS.get(s.ticker) if anchors else None, market, seed) for s in specs],
        ignore_index=True,
    ).sort_values("date", kind="stable")

    lending_days = days[: max(len(days) - LENDING_LAG, 0)]
    margin_days = days[: max(len(days) - MARGIN_LAG, 0)]
    lending = pd.concat(
        [_lending_frame(lending_days, s, LENDING_ANCHORS.get(s.ticker) if anchors else None, seed) for s in specs]
        if len(lending_days)
        else [pd.DataFrame(columns=["date", "ticker", "balance"])],
        ignore_index=True,
    ).sort_values("date", kind="stable")
    margin = (
        _margin_frame(margin_days, MARGIN_ANCHORS if anchors else None, seed)
        if len(margin_days)
        else pd.DataFrame(columns=["date", "market", "balance"])
    )

    fx = _fx_frame(days, FX_ANCHORS if anchors else None, seed)
    fx["usdkrw"] = _fmt2(fx["usdkrw"])
    flows = _flows_frame(days, market, FLOWS_ANCHORS if anchors else {}, seed)

    frames = (
        (contract.INDEX_DAILY, index_daily),
        (contract.INVESTOR_FLOWS, flows),
        (contract.MARGIN_LOANS, margin),
        (contract.STOCK_PRICES, prices),
        (contract.STOCK_LENDING, lending),
        (contract.STOCKS, _stocks_table(specs)),
        (contract.FX, fx),
        (contract.EVENTS, _events_frame(days if anchors else days[:0])),
    )
    for data_file, frame in frames:
        _write_csv(frame, data_file, out_dir)
