"""``kospi-report fetch``: pykrx frames to canonical rows, through a fake client -- never the
network. The frames are built the way pykrx returns them: a DatetimeIndex named 날짜 and
the KRX portal's Korean column names, with pykrx's dtypes."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator import fetching
from generator.cli import main
from generator.errors import ContentError, UsageError
from generator.importing import import_files

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def dates(*days: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(list(days)), name="날짜")


def index_frame() -> pd.DataFrame:
    """pykrx.stock.get_index_ohlcv("20210125", "20210129", "1001"): float prices, int64 rest."""
    return pd.DataFrame(
        {
            "시가": [3144.01, 3203.96, 3143.46, 3114.98, 3078.73],
            "고가": [3212.22, 3209.18, 3182.53, 3114.98, 3100.22],
            "저가": [3142.80, 3132.67, 3118.89, 3046.64, 2962.70],
            "종가": [3208.99, 3140.31, 3122.56, 3069.05, 2976.21],
            "거래량": np.array([1093652714, 873023735, 924582382, 1310454719, 995071252], dtype=np.int64),
            "거래대금": np.array(
                [21172002638237, 21874953662673, 20147107383927, 23007882780390, 24350307102379], dtype=np.int64
            ),
            "상장시가총액": np.array(
                [2212081518869122, 2165657736775637, 2152860459848356, 2115667110355292, 2051302353271175], dtype=np.int64
            ),
        },
        index=dates("2021-01-25", "2021-01-26", "2021-01-27", "2021-01-28", "2021-01-29"),
    )


def trading_value_frame() -> pd.DataFrame:
    """pykrx.stock.get_market_trading_value_by_date("20210121", "20210122", "KOSPI"), in won."""
    return pd.DataFrame(
        {
            "기관합계": [-292666343147, -1364772011847],
            "기타법인": [-13168420832, 24513231108],
            "개인": [-62476631241, 1608263875827],
            "외국인합계": [368311395220, -268005095088],
            "전체": [0, 0],
        },
        index=dates("2021-01-21", "2021-01-22"),
        dtype=np.int64,
    )


def ohlcv_frame() -> pd.DataFrame:
    """pykrx.stock.get_market_ohlcv("20210118", "20210122", "005930") (naver, adjusted)."""
    frame = pd.DataFrame(
        {
            "시가": [86600, 84500, 89000, 87500, 89000],
            "고가": [87300, 88000, 89000, 88600, 89700],
            "저가": [84100, 83600, 86500, 86500, 86800],
            "종가": [85000, 87000, 87200, 88100, 86800],
            "거래량": [43227951, 39895044, 25211127, 25318011, 30861661],
        },
        index=dates("2021-01-18", "2021-01-19", "2021-01-20", "2021-01-21", "2021-01-22"),
        dtype=np.int64,
    )
    frame["등락률"] = (frame["종가"].pct_change() * 100).astype(np.float32)
    return frame


class FakeClient:
    """Stands in for ``pykrx.stock``: recorded frames, and the calls it received."""

    def __init__(self, frames: dict[tuple[str, str], pd.DataFrame] | None = None, fail: bool = False):
        self.frames = (
            frames
            if frames is not None
            else {
                ("index", "1001"): index_frame(),
                ("flows", "KOSPI"): trading_value_frame(),
                ("ohlcv", "005930"): ohlcv_frame(),
            }
        )
        self.fail = fail
        self.calls: list[tuple[str, str, str, str]] = []

    def _get(self, what: str, fromdate: str, todate: str, ticker: str) -> pd.DataFrame:
        self.calls.append((what, fromdate, todate, ticker))
        if self.fail:
            raise ConnectionError("data.krx.co.kr unreachable")
        return self.frames.get((what, ticker), pd.DataFrame())

    def get_index_ohlcv(self, fromdate, todate, ticker):
        return self._get("index", fromdate, todate, ticker)

    def get_market_trading_value_by_date(self, fromdate, todate, ticker):
        return self._get("flows", fromdate, todate, ticker)

    def get_market_ohlcv(self, fromdate, todate, ticker):
        return self._get("ohlcv", fromdate, todate, ticker)


def content_with_stocks(tmp_path: Path, *tickers: str) -> Path:
    data = tmp_path / "content" / "data"
    data.mkdir(parents=True)
    lines = ["ticker,name"] + [f"{t},Stock {t}" for t in tickers]
    (data / "stocks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_fetch_converts_pykrx_frames_to_canonical_rows(tmp_path):
    data = content_with_stocks(tmp_path, "005930")
    client = FakeClient()
    report = fetching.fetch(client, "2021-01-18", "2021-01-29", data)
    assert client.calls == [
        ("index", "20210118", "20210129", "1001"),
        ("flows", "20210118", "20210129", "KOSPI"),
        ("ohlcv", "20210118", "20210129", "005930"),
    ]
    assert {n: r.added for n, r in report.files.items()} == {"index_daily.csv": 5, "investor_flows.csv": 8, "stock_prices.csv": 5}
    index = (data / "index_daily.csv").read_text(encoding="utf-8").splitlines()
    assert index[-1] == "2021-01-29,KOSPI,3078.73,3100.22,2962.7,2976.21,995071252,24350307102379"
    flows = (data / "investor_flows.csv").read_text(encoding="utf-8").splitlines()
    assert "2021-01-22,KOSPI,individuals,1608263875827" in flows
    assert "2021-01-22,KOSPI,other,24513231108" in flows
    prices = (data / "stock_prices.csv").read_text(encoding="utf-8").splitlines()
    assert prices[1] == "2021-01-18,005930,86600,87300,84100,85000,43227951"


def test_fetched_rows_equal_imported_exports_of_the_same_days(tmp_path):
    """One conversion path: KRX CSVs of the same days add nothing after a fetch."""
    data = content_with_stocks(tmp_path, "005930")
    fetching.fetch(FakeClient(), "2021-01-18", "2021-01-29", data)
    report = import_files("krx", [FIXTURES / "krx" / "index_kospi_cp949.csv", FIXTURES / "krx" / "005930.csv"], data)
    assert {n: (r.added, r.unchanged, len(r.conflicts)) for n, r in report.files.items()} == {
        "index_daily.csv": (0, 5, 0),
        "stock_prices.csv": (0, 5, 0),
    }
    report = import_files("krx", [FIXTURES / "krx" / "investors_kospi_cp949.csv"], data)
    assert report.files["investor_flows.csv"].unchanged == 8


def test_fetching_twice_changes_no_byte(tmp_path):
    data = content_with_stocks(tmp_path, "005930")
    fetching.fetch(FakeClient(), "2021-01-18", "2021-01-29", data)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    report = fetching.fetch(FakeClient(), "2021-01-18", "2021-01-29", data)
    assert all(r.added == 0 and not r.conflicts for r in report.files.values())
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_suspended_days_and_missing_values_are_skipped(tmp_path):
    frame = ohlcv_frame()
    frame.loc[frame.index[1], ["시가", "고가", "저가"]] = 0  # pykrx fills a suspended day with 0
    flows = trading_value_frame().astype("float64")
    flows.iloc[0, 1] = np.nan
    client = FakeClient({("ohlcv", "005930"): frame, ("flows", "KOSPI"): flows})
    report = fetching.fetch(client, "2021-01-18", "2021-01-22", tmp_path, tickers=("005930",))
    assert report.files["stock_prices.csv"].added == 4
    assert report.files["stock_prices.csv"].skipped["no trades"] == 1
    assert report.files["investor_flows.csv"].added == 7
    assert report.files["investor_flows.csv"].skipped["missing values"] == 1
    assert not (tmp_path / "index_daily.csv").exists()  # the empty index frame gives no rows


def test_unexpected_frame_shape_is_a_content_error(tmp_path):
    frame = index_frame().drop(columns=["저가"])
    with pytest.raises(ContentError, match="pykrx get_index_ohlcv 1001:1: no 저가 column"):
        fetching.fetch(FakeClient({("index", "1001"): frame}), "2021-01-25", "2021-01-29", tmp_path, tickers=())


def test_unknown_index_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="unknown index"):
        fetching.fetch(FakeClient(), "2021-01-25", "2021-01-29", tmp_path, indices=("NIKKEI",))


def test_frame_cells_are_written_like_a_csv_export():
    table = fetching.frame_to_table(ohlcv_frame(), "label")
    assert table.names == ["날짜", "시가", "고가", "저가", "종가", "거래량", "등락률"]
    assert table.rows[0] == (2, ["2021-01-18", "86600", "87300", "84100", "85000", "43227951", ""])
    assert table.rows[1][1][-1].startswith("2.35")
    assert fetching.frame_to_table(index_frame(), "label").rows[0][1][1] == "3144.01"


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def fake_client(monkeypatch):
    client = FakeClient()
    monkeypatch.setattr(fetching, "load_client", lambda: client)
    return client


def test_cli_fetch_prints_a_summary(tmp_path, capsys, fake_client):
    content_with_stocks(tmp_path, "005930")
    assert main(["fetch", "--source", "pykrx", "--since", "2021-01-18", "--until", "2021/01/29", "--content", str(tmp_path / "content")]) == 0
    out = capsys.readouterr().out
    assert "index_daily.csv: 5 added, 0 unchanged, 0 conflicts" in out
    assert "stock_prices.csv: 5 added, 0 unchanged, 0 conflicts" in out
    assert main(["fetch", "--source", "pykrx", "--since", "2021-01-18", "--until", "2021-01-29", "--content", str(tmp_path / "content")]) == 0
    assert "index_daily.csv: 0 added, 5 unchanged, 0 conflicts" in capsys.readouterr().out


def test_cli_fetch_conflict_then_revise(tmp_path, capsys, fake_client):
    data = content_with_stocks(tmp_path, "005930")
    (data / "index_daily.csv").write_text(
        "date,index,open,high,low,close,volume,trading_value\n2021-01-29,KOSPI,3078.73,3100.22,2962.7,2976.00,,\n",
        encoding="utf-8",
    )
    args = [
        "fetch",
        "--source",
        "pykrx",
        "--since",
        "2021-01-25",
        "--until",
        "2021-01-29",
        "--ticker",
        "005930",
        "--content",
        str(tmp_path / "content"),
    ]
    assert main(args) == 1
    assert "pykrx get_index_ohlcv 1001:6: 2021-01-29 KOSPI close: 2976.00 → 2976.21" in capsys.readouterr().err
    assert main([*args, "--revise"]) == 0
    assert "1 revised" in capsys.readouterr().out


def test_cli_fetch_network_failure_exits_3(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(fetching, "load_client", lambda: FakeClient(fail=True))
    argv = ["fetch", "--source", "pykrx", "--since", "2021-01-18", "--until", "2021-01-29", "--content", str(tmp_path)]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "pykrx get_index_ohlcv 1001 failed: ConnectionError: data.krx.co.kr unreachable" in err
    assert "nothing was written" in err
    assert not (tmp_path / "data").exists()


def test_cli_fetch_without_pykrx_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pykrx", None)  # import pykrx now raises ImportError
    assert main(["fetch", "--source", "pykrx", "--since", "2021-01-18", "--content", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "fetch needs pykrx" in err and "kospi-report[krx]" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["fetch", "--since", "last week"],
        ["fetch", "--since", "2021-01-29", "--until", "2021-01-18"],
        ["fetch", "--since", "2021-01-18", "--ticker", "삼성"],
    ],
)
def test_cli_fetch_bad_arguments_exit_2(argv, tmp_path, fake_client):
    assert main([*argv, "--content", str(tmp_path)]) == 2
    assert fake_client.calls == []
