"""Tests of the synthetic sample generator (generator/sample.py) and the bundled sample.

The bundled sample must hold the figures reported on 7 January 2026 exactly, because the
report's headline logic (records, milestones, streaks, lagging series) is demonstrated and
tested against them; and ``content/data`` must always be reproducible from the generator.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator import contract
from generator.sample import DEFAULT_END, DEFAULT_START, NAMED_STOCKS, generate, krx_tick, trading_days

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "content" / "data"
FILES = [f.name for f in contract.DATA_FILES]
TEXT = {"ticker": str, "index": str, "market": str, "investor": str}


def _read(folder: Path, name: str) -> pd.DataFrame:
    df = pd.read_csv(folder / name, dtype=TEXT, keep_default_na=False)
    if "date" in df.columns:
        df["date"] = df["date"].astype(str)
    return df


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, start=DEFAULT_START, end=DEFAULT_END)
    return out


@pytest.fixture(scope="module")
def data(sample_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: _read(sample_dir, name) for name in FILES}


@pytest.fixture(scope="module")
def kospi(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    ix = data["index_daily.csv"]
    return ix[ix["index"] == "KOSPI"].set_index("date").sort_index()


def _stock(data: dict[str, pd.DataFrame], ticker: str) -> pd.DataFrame:
    sp = data["stock_prices.csv"]
    return sp[sp["ticker"] == ticker].set_index("date").sort_index()


# ----- shape of the files ---------------------------------------------------------------


def test_all_files_follow_the_contract(sample_dir: Path) -> None:
    for data_file in contract.DATA_FILES:
        raw = (sample_dir / data_file.name).read_bytes()
        assert b"\r\n" not in raw, data_file.name
        header = raw.decode("utf-8").split("\n", 1)[0].split(",")
        assert header[0] != "" and "Unnamed: 0" not in header
        assert set(data_file.required_columns) <= set(header), data_file.name
        assert header == [c.name for c in data_file.columns if c.name in header]


def test_deterministic(sample_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, start=DEFAULT_START, end=DEFAULT_END)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (sample_dir / name).read_bytes(), name


def test_other_seed_differs(sample_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=8)
    assert (tmp_path / "stock_prices.csv").read_bytes() != (sample_dir / "stock_prices.csv").read_bytes()


def test_bundled_sample_is_reproducible(sample_dir: Path) -> None:
    """content/data must equal a fresh generate() with the defaults."""
    for name in FILES:
        assert (BUNDLED / name).is_file(), f"content/data/{name} missing: run `kospi-report sample`"
        assert (BUNDLED / name).read_bytes() == (sample_dir / name).read_bytes(), (
            f"content/data/{name} differs from the generator: run `kospi-report sample`"
        )


def test_trading_days(data: dict[str, pd.DataFrame], kospi: pd.DataFrame) -> None:
    sessions = [d.strftime("%Y-%m-%d") for d in trading_days(DEFAULT_START, DEFAULT_END)]
    assert len(sessions) >= 480
    assert list(kospi.index) == sessions
    assert "2025-12-31" not in sessions and "2026-01-01" not in sessions
    assert sessions[-5:] == ["2025-12-30", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07"]
    assert sorted(set(data["fx.csv"]["date"])) == sessions
    assert sorted(set(data["investor_flows.csv"]["date"])) == sessions
    assert sorted(set(data["stock_prices.csv"]["date"])) == sessions
    for ticker in data["stocks.csv"]["ticker"]:
        assert len(_stock(data, ticker)) == len(sessions)


def test_tickers_keep_leading_zeros(data: dict[str, pd.DataFrame]) -> None:
    stocks = data["stocks.csv"]
    assert {"005930", "000660", "005380", "000270"} <= set(stocks["ticker"])
    for name in ("stocks.csv", "stock_prices.csv", "stock_lending.csv"):
        assert data[name]["ticker"].str.fullmatch(r"\d{6}").all(), name


def test_stocks_table(data: dict[str, pd.DataFrame]) -> None:
    stocks = data["stocks.csv"].set_index("ticker")
    assert len(stocks) >= 12
    for spec in NAMED_STOCKS:
        row = stocks.loc[spec.ticker]
        assert (row["name"], row["name_ko"], row["sector"], row["market"]) == (
            spec.name, spec.name_ko, spec.sector, "KOSPI",
        )
    assert stocks.loc["005380", "name"] == "Hyundai Motor"
    assert stocks.loc["307950", "name_ko"] == "현대오토에버"
    assert stocks.loc["000660", "sector"] == "Semiconductors"


def test_ohlc_consistent_everywhere(data: dict[str, pd.DataFrame]) -> None:
    for name in ("index_daily.csv", "stock_prices.csv"):
        df = data[name]
        o, h, lo, c = (df[k].astype(float) for k in ("open", "high", "low", "close"))
        assert (lo > 0).all(), name
        assert ((lo <= o) & (lo <= c) & (o <= h) & (c <= h)).all(), name
        assert (df["volume"].astype(float) >= 0).all(), name


def test_index_levels_two_decimals_and_plausible_ranges(
    sample_dir: Path, data: dict[str, pd.DataFrame], kospi: pd.DataFrame
) -> None:
    ix = data["index_daily.csv"]
    raw = pd.read_csv(sample_dir / "index_daily.csv", dtype=str)
    for col in ("open", "high", "low", "close"):
        assert raw[col].str.fullmatch(r"\d+\.\d{2}").all(), col
    day_range = (kospi["high"] - kospi["low"]) / kospi["close"]
    assert 0.005 <= day_range.median() <= 0.02
    assert (kospi["close"].pct_change().abs().dropna() < 0.06).all()
    assert kospi.loc["2023-06-01":"2023-06-30", "close"].between(2450, 2750).all()
    assert kospi.loc["2024-01-01":"2024-12-31", "close"].between(2250, 2900).all()
    kosdaq = ix[ix["index"] == "KOSDAQ"]
    assert kosdaq["close"].between(700, 1000).all()
    assert (ix["trading_value"] >= 0).all()


def test_stock_prices_respect_krx_ticks(data: dict[str, pd.DataFrame]) -> None:
    sp = data["stock_prices.csv"]
    for col in ("open", "high", "low", "close"):
        values = sp[col].to_numpy()
        assert np.issubdtype(values.dtype, np.integer), col
        assert (values % krx_tick(values).astype(np.int64) == 0).all(), col


def test_krx_tick_bands() -> None:
    prices = np.array([1_999, 2_000, 4_995, 5_000, 19_990, 20_000, 49_950, 50_000, 199_900, 200_000, 499_500, 500_000])
    assert krx_tick(prices).tolist() == [1, 5, 5, 10, 10, 50, 50, 100, 100, 500, 500, 1000]


# ----- the figures of 7 January 2026 ------------------------------------------------------


def test_kospi_2026_01_07(kospi: pd.DataFrame) -> None:
    day = kospi.loc["2026-01-07"]
    assert (day["open"], day["high"], day["low"], day["close"]) == (4566.34, 4611.72, 4488.20, 4551.06)
    prev = kospi.loc["2026-01-06", "close"]
    assert round(day["close"] - prev, 2) == 25.58
    assert round((day["close"] - prev) / prev * 100, 2) == 0.57
    # first ever high at or above 4,600
    assert (kospi.loc[:"2026-01-06", "high"] < 4600).all()


def test_kospi_records_and_streak(kospi: pd.DataFrame) -> None:
    assert kospi.loc["2026-01-06", "close"] == 4525.48
    assert kospi.loc["2026-01-06", "high"] == 4525.48
    before = kospi.loc[:"2026-01-05"]
    assert (before["close"] < 4525.48).all() and (before["high"] < 4525.48).all()
    # record close of 2025-11-03 stood until 2026-01-02
    assert kospi.loc["2025-11-03", "close"] == 4221.87
    assert (kospi.loc[:"2025-10-31", "close"] < 4221.87).all()
    assert (kospi.loc["2025-11-04":"2025-12-30", "close"] < 4221.87).all()
    # past 3,000 in June 2025 and 4,000 in late October 2025 for the first time
    assert (kospi.loc[:"2025-06-19", "high"] < 3000).all() and kospi.loc["2025-06-20", "close"] > 3000
    assert (kospi.loc[:"2025-10-24", "high"] < 4000).all() and kospi.loc["2025-10-27", "close"] > 4000
    assert kospi.loc["2025-11-01":"2025-12-31", "close"].min() < 3900
    closes = kospi["close"]
    suggested = {"2025-12-29": 4220.56, "2025-12-30": 4214.17, "2026-01-02": 4309.63, "2026-01-05": 4457.52}
    for date, value in suggested.items():
        assert closes[date] == value
    assert closes["2025-12-30"] < closes["2025-12-29"]
    days = ["2025-12-30", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07"]
    assert all(closes[b] > closes[a] for a, b in zip(days, days[1:], strict=False))


def test_investor_flows(data: dict[str, pd.DataFrame], kospi: pd.DataFrame) -> None:
    flows = data["investor_flows.csv"]
    assert set(flows["market"]) == {"KOSPI"}
    assert set(flows["investor"]) == set(contract.INVESTORS)
    assert np.issubdtype(flows["net_buy"].dtype, np.integer)
    wide = flows.pivot(index="date", columns="investor", values="net_buy")
    assert list(wide.index) == list(kospi.index)
    assert (wide.sum(axis=1) == 0).all()
    day = wide.loc["2026-01-07"]
    assert day["individuals"] == -209_200_000_000
    assert day["institutions"] == -744_200_000_000
    assert day["foreigners"] == 978_000_000_000
    assert day["other"] == -(day["individuals"] + day["institutions"] + day["foreigners"])
    typical = wide["foreigners"].abs().median()
    assert 50e9 < typical < 1e12


def test_fx(data: dict[str, pd.DataFrame]) -> None:
    fx = data["fx.csv"].set_index("date")["usdkrw"]
    assert fx["2026-01-07"] == 1443.0
    assert fx.between(1250, 1480).all()


def test_margin_loans(data: dict[str, pd.DataFrame]) -> None:
    margin = data["margin_loans.csv"]
    assert (margin["balance"] >= 0).all()
    assert margin["date"].max() == "2026-01-05"
    assert set(margin["market"]) <= set(contract.MARGIN_MARKETS)
    wide = margin.pivot(index="date", columns="market", values="balance")
    assert (wide["KOSPI"] + wide["KOSDAQ"] == wide["total"]).all()
    total = wide["total"]
    assert total["2026-01-05"] == 27_622_356_000_000
    assert total["2025-12-17"] == 27_528_800_000_000
    earlier = total.loc[:"2026-01-02"].drop("2025-12-17")
    assert (earlier < 27_528_800_000_000).all()
    assert total.loc[:"2024-12-31"].between(16e12, 21.5e12).all()
    assert total.loc["2025-11-01":].min() > 24e12


def test_stock_lending(data: dict[str, pd.DataFrame]) -> None:
    lending = data["stock_lending.csv"]
    assert (lending["balance"] >= 0).all()
    assert lending["date"].max() == "2026-01-06"
    assert set(lending["ticker"]) == set(data["stocks.csv"]["ticker"])
    by = {t: g.set_index("date")["balance"] for t, g in lending.groupby("ticker")}
    assert by["005930"]["2026-01-06"] == 13_300_000_000_000
    assert (by["005930"].loc[:"2026-01-05"] < 13_300_000_000_000).all()
    assert by["000660"]["2026-01-06"] == 13_050_000_000_000
    assert (by["000660"].loc[:"2026-01-05"] < 13_050_000_000_000).all()
    for ticker, series in by.items():
        if ticker not in ("005930", "000660"):
            assert series.between(5e10, 8e12).all(), ticker
            # only the two chipmakers are lending records on the day the story is about
            assert series["2026-01-06"] < series.loc[:"2026-01-05"].max(), ticker


def test_stock_figures_2026_01_07(data: dict[str, pd.DataFrame]) -> None:
    assert _stock(data, "005930").loc["2026-01-07", "high"] == 139_800
    assert _stock(data, "000660").loc["2026-01-07", "high"] == 759_000
    hyundai = _stock(data, "005380")
    assert hyundai.loc["2026-01-06", "close"] == 320_500
    assert hyundai.loc["2026-01-07", "high"] == 362_000
    assert round((362_000 - 320_500) / 320_500 * 100, 2) == 12.95
    records = {"005380": (362_000, 345_000), "000270": (130_500, 124_900), "307950": (405_000, 386_500)}
    for ticker, (high, close) in records.items():
        stock = _stock(data, ticker)
        assert stock.loc["2026-01-07", "high"] == high, ticker
        assert stock.loc["2026-01-07", "close"] == close, ticker
        before = stock.loc[:"2026-01-06"]
        assert (before["high"] < high).all(), ticker
        assert (before["close"] < close).all(), ticker


def test_chip_stocks_rallied(data: dict[str, pd.DataFrame]) -> None:
    samsung, hynix = _stock(data, "005930")["close"], _stock(data, "000660")["close"]
    assert samsung.loc["2024-06-01":"2024-08-31"].between(45_000, 70_000).all()
    assert samsung["2026-01-06"] > 130_000
    assert hynix.loc["2023-06-01":"2023-12-31"].between(95_000, 165_000).all()
    assert hynix["2026-01-06"] > 700_000


def test_streaks_are_plausible(kospi: pd.DataFrame) -> None:
    """Bridges between waypoints drift; the generator must still not invent absurd winning runs."""
    sign = np.sign(kospi["close"].diff().fillna(0)).to_numpy()
    longest = run = 0
    for prev, cur in zip(sign[:-1], sign[1:], strict=False):
        run = run + 1 if cur != 0 and cur == prev else 1
        longest = max(longest, run)
    assert longest <= 12


def test_commentary_is_for_trading_days() -> None:
    sessions = {d.strftime("%Y-%m-%d") for d in trading_days(DEFAULT_START, DEFAULT_END)}
    notes = sorted((REPO / "content" / "commentary").glob("*.md"))
    assert any(n.stem == "2026-01-07" for n in notes) and len(notes) >= 5
    for note in notes:
        assert note.stem.removesuffix(".ko") in sessions, note.name  # a Korean note is 2026-01-07.ko.md
        head = note.read_text(encoding="utf-8").split("---")[1]
        assert "title:" in head and "summary:" in head and "author:" in head, note.name


# ----- without anchors, and the command ------------------------------------------------------


def test_without_anchors_long_history(tmp_path: Path) -> None:
    generate(tmp_path, start="2006-01-02", end="2025-12-30", n_stocks=35, seed=3, anchors=False)
    stocks = _read(tmp_path, "stocks.csv")
    assert len(stocks) == 35 and stocks["ticker"].is_unique
    assert "900012" in set(stocks["ticker"]) and "Sample Co 12" in set(stocks["name"])
    days = len(trading_days("2006-01-02", "2025-12-30"))
    assert days > 4800
    prices = _read(tmp_path, "stock_prices.csv")
    assert len(prices) == 35 * days
    o, h, lo, c = (prices[k] for k in ("open", "high", "low", "close"))
    assert ((lo <= o) & (lo <= c) & (o <= h) & (c <= h) & (lo > 0)).all()
    ix = _read(tmp_path, "index_daily.csv")
    kospi = ix[ix["index"] == "KOSPI"]
    assert len(kospi) == days and kospi["close"].between(500, 10_000).all()
    assert _read(tmp_path, "margin_loans.csv")["balance"].ge(0).all()
    assert _read(tmp_path, "stock_lending.csv")["balance"].ge(0).all()
    flows = _read(tmp_path, "investor_flows.csv")
    assert (flows.groupby("date")["net_buy"].sum() == 0).all()


def test_without_anchors_has_no_pinned_figures(tmp_path: Path) -> None:
    generate(tmp_path, anchors=False)
    ix = _read(tmp_path, "index_daily.csv")
    last = ix[(ix["index"] == "KOSPI") & (ix["date"] == "2026-01-07")].iloc[0]
    assert last["close"] != 4551.06


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, start="2026-01-07", end="2026-01-01")
    with pytest.raises(ValueError):
        generate(tmp_path, n_stocks=0)


def test_sample_command(tmp_path: Path) -> None:
    from generator.commands import sample as command

    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers())
    args = parser.parse_args(
        ["sample", "--out", str(tmp_path), "--start", "2025-01-02", "--end", "2025-03-31", "--stocks", "14",
         "--seed", "5", "--no-anchors"]
    )
    assert args.func(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    assert len(_read(tmp_path, "stocks.csv")) == 14
    defaults = parser.parse_args(["sample"])
    assert (defaults.out, defaults.start, defaults.end, defaults.stocks, defaults.seed, defaults.anchors) == (
        Path("content/data"), DEFAULT_START, DEFAULT_END, 12, 7, True,
    )
