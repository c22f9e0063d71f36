"""The data sources, tested through recorded answers only: the real KRX portal JSON of the
pykrx cassettes, and recordings in the documented shapes of the KRX Open API, the KRX login
and data.go.kr's KOFIA statistics (tests/fixtures/sources/README.md)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from recorded import FIXTURES, Player, cassette, fixture, ok, with_login

from generator import sources
from generator.sources import krx_openapi, krx_portal
from generator.sources.base import SEOUL
from generator.sources.http import Retrying
from generator.sources.kofia import API as KOFIA_API
from generator.sources.run import fetch_all, trading_sessions

CASSETTES = "krx_json_pykrx_cassettes"
ENV = {"KRX_ID": "desk-member", "KRX_PW": "pw-S3cret!", "KRX_OPENAPI_KEY": "AUTHKEY0123456789", "DATA_GO_KR_KEY": "svcKEY%2Bxyz=="}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SEOUL)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.exists() else {}


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def portal(shared: Path, *names: str, login: str = "portal_login_ok.json") -> Player:
    player = with_login(Player(), login)
    for name in names:
        player.recordings += cassette(shared / CASSETTES / name)
    return player


def make(name: str, player: Player, **kw) -> list:
    sleep = kw.pop("sleep", lambda s: None)
    return sources.make([name], transport=Retrying(player, sleep=sleep), environ=ENV, **kw)


# --- the KRX portal, against its real JSON -------------------------------------------------------


def test_portal_index_rows_are_the_recorded_krx_figures(shared_data, tmp_path):
    name = "TestIndexOhlcvByDate.test_ohlcv_simple.yaml"
    player = portal(shared_data, name)
    result = fetch_all(make("krx", player, markets=()), tmp_path, since=dt.date(2021, 1, 1), until=dt.date(2021, 1, 30), now=at("2026-01-25T20:00"), tickers=())
    recorded = json.loads(cassette(shared_data / CASSETTES / name)[0].response.body)["output"]
    stored = {r["date"]: r for r in rows(tmp_path / "index_daily.csv")}
    assert len(stored) == len(recorded) == result.report.files["index_daily.csv"].added
    for rec in recorded:
        row = stored[rec["TRD_DD"].replace("/", "-")]
        assert [number(row[k]) for k in ("open", "high", "low", "close", "volume", "trading_value")] == [
            number(rec[k]) for k in ("OPNPRC_IDX", "HGPRC_IDX", "LWPRC_IDX", "CLSPRC_IDX", "ACC_TRDVOL", "ACC_TRDVAL")
        ]
    login = player.sent("MDCCOMS001D1")[0]
    assert b"mbrId=desk-member" in login.body and "JSESSIONID=warm" in player.sent("getJsonData")[0].headers["Cookie"]


def test_portal_flows_add_up_to_the_recorded_total(shared_data, tmp_path):
    name = "TestStockTradingValueByDateTest.test_trading_value_is_same_1.yaml"
    player = portal(shared_data, name)
    fetch_all(make("krx", player, indices=()), tmp_path, since=dt.date(2021, 1, 15), until=dt.date(2021, 1, 22), now=at("2026-01-25T20:00"), tickers=())
    recorded = json.loads(cassette(shared_data / CASSETTES / name)[0].response.body)["output"]
    flows: dict[str, dict[str, int]] = {}
    for r in rows(tmp_path / "investor_flows.csv"):
        flows.setdefault(r["date"], {})[r["investor"]] = int(r["net_buy"])
    assert sorted(flows) == sorted(r["TRD_DD"].replace("/", "-") for r in recorded)
    for rec in recorded:
        day = flows[rec["TRD_DD"].replace("/", "-")]
        assert sum(day.values()) == number(rec["TRDVAL_TOT"])
        assert day["individuals"] == number(rec["TRDVAL3"]) and day["foreigners"] == number(rec["TRDVAL4"])


def test_portal_stock_prices_are_unadjusted_and_skip_suspended_days(shared_data, tmp_path):
    """Samsung's 2018 50:1 split: the suspension days (all prices 0) are left out, and the
    days either side keep the prices traded then (the request names the stock by its ISIN)."""
    player = portal(shared_data, "TestStockOhlcvByDateTest.test_ohlcv_with_not_adjusted.yaml")
    result = fetch_all(
        make("krx", player, indices=(), markets=()), tmp_path, since=dt.date(2018, 4, 27), until=dt.date(2018, 5, 4), now=at("2026-01-25T20:00"), tickers=("005930",)
    )
    prices = {r["date"]: r["close"] for r in rows(tmp_path / "stock_prices.csv")}
    assert prices == {"2018-04-27": "2650000", "2018-05-04": "51900"}
    assert result.report.files["stock_prices.csv"].skipped["no trades"] == 3
    assert krx_portal.isin("005930") == "KR7005930003"


def test_refused_login_is_an_error_before_any_data_request(tmp_path, capsys):
    player = with_login(Player(), "portal_login_refused.json")
    with pytest.raises(sources.BadCredentials, match="KRX refused the login with KRX_ID/KRX_PW: CD002") as err:
        fetch_all(make("krx", player), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"))
    assert not player.sent("getJsonData") and snapshot(tmp_path) == {}
    assert ENV["KRX_PW"] not in str(err.value) and ENV["KRX_ID"] not in str(err.value)


def test_duplicate_login_is_resent_with_skip_dup(shared_data, tmp_path):
    player = portal(shared_data, "TestIndexOhlcvByDate.test_ohlcv_simple.yaml", login="portal_login_duplicate.json")
    player.add("POST", krx_portal.LOGIN_URL, fixture("portal_login_ok.json"), params={"skipDup": "Y"} | _login_form())
    fetch_all(make("krx", player, markets=()), tmp_path, since=dt.date(2021, 1, 1), until=dt.date(2021, 1, 30), now=at("2026-01-25T20:00"), tickers=())
    assert [b"skipDup=Y" in r.body for r in player.sent("MDCCOMS001D1")] == [False, True]
    assert (tmp_path / "index_daily.csv").exists()


def _login_form() -> dict[str, str]:
    return {"mbrNm": "", "telNo": "", "di": "", "certType": "", "mbrId": ENV["KRX_ID"], "pw": ENV["KRX_PW"]}


def test_expired_session_logs_in_again_once(shared_data, tmp_path):
    name = "TestIndexOhlcvByDate.test_ohlcv_simple.yaml"
    player = with_login(Player())
    real = cassette(shared_data / CASSETTES / name)[0]
    player.add("POST", real.url, fixture("portal_session_expired.html"), params=real.params)
    with_login(player)
    player.recordings.append(real)
    fetch_all(make("krx", player, markets=()), tmp_path, since=dt.date(2021, 1, 1), until=dt.date(2021, 1, 30), now=at("2026-01-25T20:00"), tickers=())
    assert len(player.sent("MDCCOMS001D1")) == 2
    assert len(rows(tmp_path / "index_daily.csv")) == len(json.loads(real.response.body)["output"])


def test_a_session_refused_after_a_fresh_login_is_a_credentials_error(tmp_path):
    player = with_login(with_login(Player()))
    player.add("POST", krx_portal.JSON_URL, fixture("portal_session_expired.html"), params=None, repeat=True)
    with pytest.raises(sources.BadCredentials, match="refused MDCSTAT00301 after a fresh login"):
        fetch_all(make("krx", player, markets=()), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"), tickers=())
    assert snapshot(tmp_path) == {}


def test_rate_limit_backs_off_then_succeeds(shared_data, tmp_path):
    name = "TestIndexOhlcvByDate.test_ohlcv_simple.yaml"
    real = cassette(shared_data / CASSETTES / name)[0]
    player = with_login(Player())
    for _ in range(2):
        player.add("POST", real.url, ok("", 429), params=real.params)
    player.recordings.append(real)
    waits: list[float] = []
    fetch_all(make("krx", player, markets=(), sleep=waits.append), tmp_path, since=dt.date(2021, 1, 1), until=dt.date(2021, 1, 30), now=at("2026-01-25T20:00"), tickers=())
    assert waits == [1.0, 2.0]
    assert (tmp_path / "index_daily.csv").exists()


def test_rate_limit_that_lasts_is_an_error_and_writes_nothing(tmp_path):
    player = with_login(Player()).add("POST", krx_portal.JSON_URL, ok("", 429, **{"Retry-After": "5"}), params=None, repeat=True)
    waits: list[float] = []
    with pytest.raises(sources.RateLimited, match="too many requests"):
        fetch_all(make("krx", player, sleep=waits.append), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"))
    assert waits == [5.0, 5.0, 5.0] and snapshot(tmp_path) == {}


def test_outage_writes_nothing(tmp_path):
    (tmp_path / "index_daily.csv").write_text("date,index,open,high,low,close\n2026-01-02,KOSPI,1,1,1,1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    player = Player().add("GET", krx_portal.LOGIN_PAGE, ConnectionRefusedError(111, "Connection refused"))
    with pytest.raises(sources.Outage, match="data.krx.co.kr did not answer"):
        fetch_all(make("krx", player), tmp_path, until=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"))
    assert snapshot(tmp_path) == before


def test_an_empty_answer_for_trading_days_is_an_error(tmp_path):
    player = with_login(Player()).add("POST", krx_portal.JSON_URL, ok('{"output":[],"CURRENT_DATETIME":"2026.01.08 AM 10:00:00"}'), params=None, repeat=True)
    with pytest.raises(sources.EmptyAnswer, match="no rows for 2026-01-05 to 2026-01-07, which has 3 trading day"):
        fetch_all(make("krx", player), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"), tickers=())
    assert snapshot(tmp_path) == {}


def test_a_holiday_is_not_an_outage(tmp_path):
    """New Year's Day 2026 and the weekend after it: nothing to ask, nothing wrong."""
    (tmp_path / "index_daily.csv").write_text("date,index,open,high,low,close\n2025-12-30,KOSPI,1,1,1,1\n", encoding="utf-8")
    assert dt.date(2026, 1, 1) not in trading_sessions(dt.date(2025, 12, 31), dt.date(2026, 1, 4))
    player = Player()  # any request would fail the test
    result = fetch_all(make("krx", player), tmp_path, until=dt.date(2026, 1, 1), now=at("2026-01-01T18:00"))
    assert player.requests == [] and result.rows == 0
    assert result.runs[0].note == "no trading day from 2025-12-31 to 2026-01-01"


def test_provisional_figures_are_replaced_by_confirmed_ones(tmp_path):
    """Fetched at 14:30 the day's figures are marked provisional; fetched again after the
    close, the final figures replace them without a conflict and the mark goes."""
    (tmp_path / "index_daily.csv").write_text("date,index,open,high,low,close\n2026-01-06,KOSPI,4446.08,4525.48,4395,4525.48\n", encoding="utf-8")

    def answer(close: str, high: str) -> Player:
        body = {"output": [{"TRD_DD": "2026/01/07", "OPNPRC_IDX": "4,566.34", "HGPRC_IDX": high, "LWPRC_IDX": "4,488.20", "CLSPRC_IDX": close,
                            "ACC_TRDVOL": "400,000,000", "ACC_TRDVAL": "20,000,000,000,000", "MKTCAP": "1"}]}
        return with_login(Player()).add("POST", krx_portal.JSON_URL, ok(json.dumps(body)), params=None)

    first = fetch_all(make("krx", answer("4,590.10", "4,611.72"), markets=()), tmp_path, now=at("2026-01-07T14:30"), tickers=())
    assert first.provisional == {("index_daily.csv", "2026-01-07")}
    assert rows(tmp_path / "provisional.csv") == [{"file": "index_daily.csv", "date": "2026-01-07"}]
    second = fetch_all(make("krx", answer("4,551.06", "4,611.72"), markets=()), tmp_path, now=at("2026-01-07T18:00"), tickers=())
    assert second.confirmed == {("index_daily.csv", "2026-01-07")} and not second.report.conflicts
    assert [str(c) for c in second.report.revised] == ["2026-01-07 KOSPI close: 4590.1 → 4551.06"]
    assert rows(tmp_path / "index_daily.csv")[-1]["close"] == "4551.06"
    assert not (tmp_path / "provisional.csv").exists()


def test_confirmed_figures_that_differ_are_still_conflicts(tmp_path):
    """Only provisional days are replaced silently; a stored final figure is not."""
    (tmp_path / "index_daily.csv").write_text("date,index,open,high,low,close\n2026-01-07,KOSPI,4566.34,4611.72,4488.2,4550\n", encoding="utf-8")
    body = {"output": [{"TRD_DD": "2026/01/07", "OPNPRC_IDX": "4,566.34", "HGPRC_IDX": "4,611.72", "LWPRC_IDX": "4,488.20", "CLSPRC_IDX": "4,551.06"}]}
    player = with_login(Player()).add("POST", krx_portal.JSON_URL, ok(json.dumps(body)), params=None)
    result = fetch_all(make("krx", player, markets=()), tmp_path, since=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"), tickers=())
    assert [str(c) for c in result.report.conflicts] == ["2026-01-07 KOSPI close: 4550 → 4551.06"]
    assert rows(tmp_path / "index_daily.csv")[0]["close"] == "4550"


# --- the KRX Open API -----------------------------------------------------------------------


def openapi_player(*days: str) -> Player:
    player = Player()
    for day in days:
        player.add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd={day}", fixture(f"openapi_idx_kospi_dd_trd_{day}.json"))
        player.add("GET", f"{krx_openapi.API}/sto/stk_bydd_trd?basDd={day}", fixture(f"openapi_sto_stk_bydd_trd_{day}.json"))
        player.add("GET", f"{krx_openapi.API}/sto/ksq_bydd_trd?basDd={day}", ok('{"OutBlock_1":[]}'))
    return player


def test_openapi_fetches_each_trading_day_with_the_key_in_a_header(tmp_path):
    (tmp_path / "index_daily.csv").write_text("date,index,open,high,low,close\n2026-01-02,KOSPI,4224.53,4313.55,4216.68,4309.63\n", encoding="utf-8")
    player = openapi_player("20260105", "20260106", "20260107")
    for path in ("idx/kospi_dd_trd", "sto/stk_bydd_trd", "sto/ksq_bydd_trd"):  # the 8th is not published at 09:30
        player.add("GET", f"{krx_openapi.API}/{path}?basDd=20260108", ok('{"OutBlock_1":[]}'))
    result = fetch_all(make("krx-openapi", player), tmp_path, now=at("2026-01-08T09:30"), tickers=("005930",))
    index = {r["date"]: r for r in rows(tmp_path / "index_daily.csv")}
    for day in ("20260105", "20260106", "20260107"):
        rec = next(r for r in json.loads((FIXTURES / f"openapi_idx_kospi_dd_trd_{day}.json").read_text())["OutBlock_1"] if r["IDX_NM"] == "코스피")
        row = index[dt.datetime.strptime(day, "%Y%m%d").date().isoformat()]
        assert number(row["close"]) == number(rec["CLSPRC_IDX"]) and number(row["trading_value"]) == number(rec["ACC_TRDVAL"])
    assert {r["ticker"] for r in rows(tmp_path / "stock_prices.csv")} == {"005930"}
    assert result.report.files["stock_prices.csv"].added == 3
    assert all(r.headers["AUTH_KEY"] == ENV["KRX_OPENAPI_KEY"] and ENV["KRX_OPENAPI_KEY"] not in r.url for r in player.requests)


def test_openapi_lags_a_day_so_today_is_not_owed(tmp_path):
    """At 10:00 on the 8th the 8th is not published; an empty answer for it is no error."""
    (tmp_path / "index_daily.csv").write_text("date,index,open,high,low,close\n2026-01-07,KOSPI,4566.34,4611.72,4488.2,4551.06\n", encoding="utf-8")
    player = Player().add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd=20260108", ok('{"OutBlock_1":[]}'))
    result = fetch_all(make("krx-openapi", player), tmp_path, now=at("2026-01-08T10:00"), tickers=())
    assert result.rows == 0 and result.runs[0].note == "no figures published yet"


def test_openapi_refused_key_says_so_without_the_key(tmp_path):
    player = Player().add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd=20260107", fixture("openapi_unauthorized.json", 401))
    with pytest.raises(sources.BadCredentials, match=r"refused KRX_OPENAPI_KEY for idx/kospi_dd_trd \(Unauthorized API Call\)") as err:
        fetch_all(make("krx-openapi", player), tmp_path, since=dt.date(2026, 1, 7), now=at("2026-01-09T10:00"), tickers=())
    assert ENV["KRX_OPENAPI_KEY"] not in str(err.value) and snapshot(tmp_path) == {}


def test_openapi_empty_answer_for_a_published_day_is_an_error(tmp_path):
    player = Player().add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd=20260107", ok('{"OutBlock_1":[]}'))
    with pytest.raises(sources.EmptyAnswer):
        fetch_all(make("krx-openapi", player), tmp_path, since=dt.date(2026, 1, 7), until=dt.date(2026, 1, 7), now=at("2026-01-09T10:00"), tickers=())


# --- KOFIA margin loans through data.go.kr --------------------------------------------------------


def kofia_query(first: str, last: str, page: int = 1) -> dict[str, str]:
    return {"serviceKey": ENV["DATA_GO_KR_KEY"], "resultType": "json", "numOfRows": "1000", "pageNo": str(page), "beginBasDt": first, "endBasDt": last}


def test_kofia_margin_loans_are_stored_in_won(tmp_path):
    player = Player().add("GET", KOFIA_API, fixture("datagokr_kofia_credit_20260102_20260107.json"), params=kofia_query("20260102", "20260107"))
    fetch_all(make("kofia", player), tmp_path, since=dt.date(2026, 1, 2), until=dt.date(2026, 1, 7), now=at("2026-01-08T14:00"))
    recorded = json.loads((FIXTURES / "datagokr_kofia_credit_20260102_20260107.json").read_text())["response"]["body"]["items"]["item"]
    stored = {r["date"]: int(r["balance"]) for r in rows(tmp_path / "margin_loans.csv") if r["market"] == "total"}
    assert stored == {dt.datetime.strptime(r["basDt"], "%Y%m%d").date().isoformat(): int(r["crdTrFingWhl"]) * 10**6 for r in recorded}


@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        ("datagokr_key_not_registered.xml", sources.BadCredentials, "refused DATA_GO_KR_KEY (SERVICE_KEY_IS_NOT_REGISTERED_ERROR)"),
        ("datagokr_quota_exceeded.xml", sources.RateLimited, "request quota is used up"),
    ],
)
def test_kofia_refusals_name_the_problem_never_the_key(tmp_path, answer, error, words):
    player = Player().add("GET", KOFIA_API, fixture(answer), params=kofia_query("20260105", "20260107"))
    with pytest.raises(error) as err:
        fetch_all(make("kofia", player), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-09T14:00"))
    assert words in str(err.value) and ENV["DATA_GO_KR_KEY"] not in str(err.value)


def test_kofia_empty_page_for_published_days_is_an_error(tmp_path):
    player = Player().add("GET", KOFIA_API, fixture("datagokr_empty.json"), params=kofia_query("20260105", "20260107"))
    with pytest.raises(sources.EmptyAnswer):
        fetch_all(make("kofia", player), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-12T14:00"))


# --- KRX stock lending ------------------------------------------------------------------------


def test_lending_balances_of_tracked_stocks(tmp_path):
    player = with_login(Player()).add("POST", krx_portal.JSON_URL, fixture("portal_lending_005930.json"), params=None)
    fetch_all(make("lending", player), tmp_path, since=dt.date(2026, 1, 6), until=dt.date(2026, 1, 7), now=at("2026-01-08T14:00"), tickers=("005930",))
    assert rows(tmp_path / "stock_lending.csv") == [
        {"date": "2026-01-06", "ticker": "005930", "balance": "8471185000000"},
        {"date": "2026-01-07", "ticker": "005930", "balance": "8634074000000"},
    ]
    assert b"isuCd=KR7005930003" in player.sent("getJsonData")[0].body


# --- credentials ----------------------------------------------------------------------------------


def test_missing_credentials_name_the_variables(tmp_path):
    with pytest.raises(sources.NoCredentials, match="set KRX_ID and KRX_PW in the environment"):
        fetch_all(sources.make(["krx"], environ={}), tmp_path, since=dt.date(2026, 1, 5), until=dt.date(2026, 1, 7), now=at("2026-01-08T10:00"))
    assert sources.configured({}) == [] and sources.configured(ENV) == ["krx", "krx-openapi", "kofia", "lending"]
    assert sources.configured({"DATA_GO_KR_KEY": "k"}) == ["kofia"]
