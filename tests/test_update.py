"""``kospi-report update`` end to end: recorded sources into a temporary content folder, a real
build, and a deploy into a bare git repository on this machine."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from recorded import Player, fixture, ok

from generator.cli import main
from generator.sources import krx_openapi
from generator.sources.kofia import API as KOFIA_API

SECRETS = {"KRX_OPENAPI_KEY": "OPENAPI-SECRET-77f1", "DATA_GO_KR_KEY": "DATAGOKR-SECRET-9a2c"}
#: Real KOSPI closes of the last days of 2025 (the Isaac-Lee excerpt in ../shared), as the stored history.
HISTORY = """date,index,open,high,low,close
2025-12-22,KOSPI,4044.2,4127.73,4043.18,4105.93
2025-12-23,KOSPI,4111.27,4125.62,4090.16,4117.32
2025-12-24,KOSPI,4129.45,4141.42,4102.2,4108.62
2025-12-26,KOSPI,4114.28,4149.98,4109.33,4129.68
2025-12-29,KOSPI,4156.31,4220.56,4152.17,4220.56
2025-12-30,KOSPI,4208.48,4228.85,4181.84,4214.17
2026-01-02,KOSPI,4224.53,4313.55,4216.68,4309.63
"""


@pytest.fixture
def desk(tmp_path, monkeypatch):
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    (content / "data" / "index_daily.csv").write_text(HISTORY, encoding="utf-8")
    (content / "data" / "stocks.csv").write_text("ticker,name,name_ko,sector,market\n005930,Samsung Electronics,삼성전자,Tech,KOSPI\n", encoding="utf-8")
    (content / "site.toml").write_text('title = "Desk"\n', encoding="utf-8")
    for name in ("KRX_ID", "KRX_PW"):
        monkeypatch.delenv(name, raising=False)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767830400")
    bare = tmp_path / "published.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    return tmp_path


def recorded_services(monkeypatch) -> Player:
    player = Player()
    for day in ("20260105", "20260106", "20260107"):
        player.add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd={day}", fixture(f"openapi_idx_kospi_dd_trd_{day}.json"))
        player.add("GET", f"{krx_openapi.API}/sto/stk_bydd_trd?basDd={day}", fixture(f"openapi_sto_stk_bydd_trd_{day}.json"))
        player.add("GET", f"{krx_openapi.API}/sto/ksq_bydd_trd?basDd={day}", ok('{"OutBlock_1":[]}'))
    player.add("GET", KOFIA_API, fixture("datagokr_kofia_credit_20260102_20260107.json"), params=None)
    monkeypatch.setattr("generator.sources.http.send", player)
    return player


def argv(desk: Path, *extra: str) -> list[str]:
    return ["update", "--content", str(desk / "content"), "--out", str(desk / "site"), "--until", "2026-01-07", *extra]


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.mark.slow
def test_update_fetches_builds_and_deploys_then_has_nothing_to_do(desk, monkeypatch, capsys):
    player = recorded_services(monkeypatch)
    bare = desk / "published.git"
    assert main(argv(desk, "--git", str(bare))) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("update: fetched 10 new row(s) up to 2026-01-07; built ")
    assert f"deployed to {bare} gh-pages" in lines[0]
    assert not player.recordings  # every recorded answer was asked for
    stored = (desk / "content/data/index_daily.csv").read_text(encoding="utf-8").splitlines()
    assert stored[-1].startswith("2026-01-07,KOSPI,4566.34,4611.72,4488.2,4551.06")
    published = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=bare, capture_output=True, text=True, check=True).stdout
    assert "index.html" in published.split()
    site_files = sorted(p.relative_to(desk / "site").as_posix() for p in (desk / "site").rglob("*") if p.is_file())
    assert set(published.split()) == set(site_files)
    for secret in SECRETS.values():
        assert secret not in out + err
        assert secret.encode() not in all_bytes(desk / "content") + all_bytes(desk / "site") + all_bytes(bare)

    # The next run: nothing new to fetch, nothing to build, nothing to send.
    monkeypatch.setattr("generator.sources.http.send", Player())
    assert main(argv(desk, "--git", str(bare))) == 0
    line = capsys.readouterr().out.strip()
    assert line == f"update: fetched 0 new row(s) (up to date); site up to date; {bare} gh-pages already had this site: nothing sent"


def test_update_with_a_source_down_changes_nothing_and_exits_3(desk, monkeypatch, capsys):
    player = Player().add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd=20260105", ok("<html>maintenance</html>", 503), repeat=True)
    monkeypatch.setattr("generator.sources.http.send", player)
    monkeypatch.setattr("generator.sources.http.Retrying.sleep", staticmethod(lambda s: None))
    before = all_bytes(desk / "content")
    assert main(argv(desk, "--source", "krx-openapi", "--git", str(desk / "published.git"))) == 3
    err = capsys.readouterr().err
    assert "krx-openapi: the KRX Open API answered idx/kospi_dd_trd 20260105 with HTTP 503" in err and "nothing was written" in err
    assert all_bytes(desk / "content") == before and not (desk / "site").exists()
    assert SECRETS["KRX_OPENAPI_KEY"] not in err


def test_update_without_any_credentials_says_how_to_get_them(desk, monkeypatch, capsys):
    for name in SECRETS:
        monkeypatch.delenv(name)
    monkeypatch.setattr("generator.sources.base.credential", lambda name, environ=None: None)
    monkeypatch.setattr("generator.sources.credential", lambda name, environ=None: None)
    assert main(argv(desk)) == 2
    assert "no source is configured" in capsys.readouterr().err


def test_update_with_a_refused_key_exits_2(desk, monkeypatch, capsys):
    player = Player().add("GET", f"{krx_openapi.API}/idx/kospi_dd_trd?basDd=20260105", fixture("openapi_unauthorized.json", 401))
    monkeypatch.setattr("generator.sources.http.send", player)
    assert main(argv(desk, "--source", "krx-openapi")) == 2
    err = capsys.readouterr().err
    assert "refused KRX_OPENAPI_KEY" in err and SECRETS["KRX_OPENAPI_KEY"] not in err
