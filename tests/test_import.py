"""``kospi-report import krx|kofia``: every export layout, CP949 and UTF-8, merged into a
temporary content folder -- idempotent, conflict-refusing, and never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import ContentError
from generator.importing import ImportOptions, import_files, parse_file
from generator.importing.readers import read_table

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KRX, KOFIA = FIXTURES / "krx", FIXTURES / "kofia"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]


def row_for(path: Path, *key: str) -> dict[str, str]:
    header, *body = rows(path)
    for cells in body:
        if cells[: len(key)] == list(key):
            return dict(zip(header, cells, strict=True))
    raise AssertionError(f"no row {key} in {path.name}")


def run(*argv: str | Path) -> int:
    return main([str(a) for a in argv])


# --- each export format, twice ---------------------------------------------------------------

FORMATS = [
    # source, fixture, extra args, canonical file, rows added, (key, column, value) to check
    ("krx", KRX / "index_kospi_cp949.csv", [], "index_daily.csv", 5, (("2021-01-29", "KOSPI"), "close", "2976.21")),
    ("krx", KRX / "index_kospi_utf8.csv", [], "index_daily.csv", 5, (("2021-01-29", "KOSPI"), "trading_value", "24350307102379")),
    (
        "krx",
        KRX / "investors_kospi_cp949.csv",
        [],
        "investor_flows.csv",
        24,
        (("2021-01-22", "KOSPI", "individuals"), "net_buy", "1608263875827"),
    ),
    (
        "krx",
        KRX / "investors_detail_utf8.csv",
        ["--unit", "million", "--market", "KOSDAQ"],
        "investor_flows.csv",
        8,
        (("2021-01-26", "KOSDAQ", "other"), "net_buy", "12800000000"),
    ),
    (
        "krx",
        KRX / "data_0412_20180510.csv",
        ["--ticker", "005930"],
        "stock_prices.csv",
        2,
        (("2018-05-04", "005930"), "open", "53000"),
    ),
    ("krx", KRX / "005930.csv", [], "stock_prices.csv", 5, (("2021-01-22", "005930"), "volume", "30861661")),
    (
        "krx",
        KRX / "all_stocks_20210122_cp949.csv",
        ["--date", "2021-01-22"],
        "stock_prices.csv",
        5,
        (("2021-01-22", "095570"), "high", "4245"),
    ),
    (
        "kofia",
        KOFIA / "margin_freesis_cp949.csv",
        [],
        "margin_loans.csv",
        12,
        (("2026-01-05", "total"), "balance", "27622356000000"),
    ),
    ("kofia", KOFIA / "margin_flat_utf8.csv", [], "margin_loans.csv", 12, (("2026-01-05", "KOSPI"), "balance", "15251840000000")),
    ("kofia", KOFIA / "lending_cp949.csv", [], "stock_lending.csv", 3, (("2026-01-05", "005930"), "balance", "13409512000000")),
    (
        "kofia",
        KOFIA / "005930_lending_utf8.csv",
        [],
        "stock_lending.csv",
        2,
        (("2026-01-02", "005930"), "balance", "12830400000000"),
    ),
]


@pytest.mark.parametrize(
    ("source", "fixture", "extra", "canonical", "added", "check"), FORMATS, ids=lambda v: getattr(v, "name", None)
)
def test_each_format_imports_and_reimport_changes_nothing(tmp_path, capsys, source, fixture, extra, canonical, added, check):
    content = tmp_path / "content"
    assert run("import", source, fixture, "--content", content, *extra) == 0
    assert f"{canonical}: {added} added, 0 unchanged, 0 conflicts" in capsys.readouterr().out
    target = content / "data" / canonical
    first = target.read_bytes()
    key, column, value = check
    assert row_for(target, *key)[column] == value

    assert run("import", source, fixture, "--content", content, *extra) == 0
    assert f"{canonical}: 0 added, {added} unchanged, 0 conflicts" in capsys.readouterr().out
    assert target.read_bytes() == first
    assert [p.name for p in target.parent.iterdir()] == [canonical]  # no temp file left behind


def test_canonical_file_is_sorted_in_contract_order_without_float_noise(tmp_path):
    data = tmp_path / "data"
    import_files("krx", [KRX / "index_kospi_cp949.csv"], data)
    lines = (data / "index_daily.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,index,open,high,low,close,volume,trading_value"
    assert lines[1] == "2021-01-25,KOSPI,3144.01,3212.22,3142.8,3208.99,1093652714,21172002638237"
    assert [line[:10] for line in lines[1:]] == sorted(line[:10] for line in lines[1:])


def test_cp949_and_utf8_exports_of_the_same_data_agree(tmp_path):
    data = tmp_path / "data"
    import_files("krx", [KRX / "index_kospi_cp949.csv"], data)
    report = import_files("krx", [KRX / "index_kospi_utf8.csv"], data)
    assert (report.files["index_daily.csv"].added, report.files["index_daily.csv"].unchanged) == (0, 5)
    import_files("kofia", [KOFIA / "margin_freesis_cp949.csv"], data)
    report = import_files("kofia", [KOFIA / "margin_flat_utf8.csv"], data)
    assert report.files["margin_loans.csv"].unchanged == 12


def test_investor_detail_view_puts_other_foreigners_under_other(tmp_path):
    data = tmp_path / "data"
    import_files("krx", [KRX / "investors_detail_utf8.csv"], data, options=ImportOptions(unit="million"))
    flows = {
        r["investor"]: int(r["net_buy"])
        for r in (
            row_for(data / "investor_flows.csv", "2021-01-26", "KOSPI", i)
            for i in ("individuals", "institutions", "foreigners", "other")
        )
    }
    assert flows == {
        "individuals": 150_400_000_000,
        "institutions": -192_300_000_000,
        "foreigners": 29_100_000_000,
        "other": 12_800_000_000,
    }
    assert sum(flows.values()) == 0  # 전체 is 0 for net buying


def test_suspension_days_are_skipped_not_imported(tmp_path, capsys):
    assert run("import", "krx", KRX / "data_0412_20180510.csv", "--ticker", "005930", "--content", tmp_path) == 0
    assert "stock_prices.csv: 2 added, 0 unchanged, 0 conflicts, 3 skipped (no trades)" in capsys.readouterr().out


def test_whole_market_export_keeps_tracked_stocks(tmp_path, capsys):
    data = tmp_path / "content" / "data"
    data.mkdir(parents=True)
    (data / "stocks.csv").write_text("ticker,name\n005930,Samsung Electronics\n", encoding="utf-8")
    args = ["import", "krx", KRX / "all_stocks_20210122_cp949.csv", "--content", tmp_path / "content"]
    assert run(*args) == 1
    assert "all_stocks_20210122_cp949.csv:1: this export has no date column: pass --date" in capsys.readouterr().err
    assert run(*args, "--date", "2021/01/22") == 0
    assert "1 added, 0 unchanged, 0 conflicts, 4 skipped (not in stocks.csv or --ticker)" in capsys.readouterr().out
    assert run(*args, "--date", "20210122", "--ticker", "095570") == 0
    assert "1 added, 0 unchanged" in capsys.readouterr().out
    assert run(*args, "--date", "2021-01-22", "--all-tickers") == 0
    assert "3 added, 2 unchanged" in capsys.readouterr().out
    # the per-ticker pykrx CSV agrees with the whole-market export on 2021-01-22
    report = import_files("krx", [KRX / "005930.csv"], data)
    assert (report.files["stock_prices.csv"].added, report.files["stock_prices.csv"].unchanged) == (4, 1)


def test_constituents_export_without_prices_is_refused_with_advice(tmp_path, capsys):
    assert run("import", "krx", KRX / "constituents_utf8.csv", "--date", "2021-01-22", "--content", tmp_path) == 1
    err = capsys.readouterr().err
    assert "constituents_utf8.csv:1: this export has no 시가, 고가, 저가 column" in err
    assert "export 전종목 시세" in err
    assert not (tmp_path / "data").exists()


def test_stock_file_without_ticker_asks_for_one(tmp_path, capsys):
    assert run("import", "krx", KRX / "data_0412_20180510.csv", "--content", tmp_path) == 1
    assert "pass --ticker 005930 or name the file 005930.csv" in capsys.readouterr().err


# --- conflicts and --revise -------------------------------------------------------------------


def edited_copy(src: Path, dest: Path, old: str, new: str, encoding: str = "cp949") -> Path:
    text = src.read_bytes().decode(encoding)
    assert old in text
    dest.write_bytes(text.replace(old, new).encode(encoding))
    return dest


def test_conflicting_reimport_is_refused_without_revise_and_applied_with_it(tmp_path, capsys):
    content = tmp_path / "content"
    target = content / "data" / "index_daily.csv"
    assert run("import", "krx", KRX / "index_kospi_cp949.csv", "--content", content) == 0
    before = target.read_bytes()
    capsys.readouterr()
    revised = edited_copy(
        KRX / "index_kospi_cp949.csv", tmp_path / "revised.csv", '"2021/01/29","2,976.21"', '"2021/01/29","2,980.00"'
    )

    assert run("import", "krx", revised, "--content", content) == 1
    out, err = capsys.readouterr()
    assert "index_daily.csv: 0 added, 4 unchanged, 1 conflicts" in out
    assert f"{revised}:2: 2021-01-29 KOSPI close: 2976.21 → 2980" in err
    assert "re-run with --revise" in err
    assert target.read_bytes() == before

    assert run("import", "krx", revised, "--content", content, "--revise") == 0
    out = capsys.readouterr().out
    assert "0 conflicts, 1 revised" in out
    assert f"revised {revised}:2: 2021-01-29 KOSPI close: 2976.21 → 2980" in out
    assert row_for(target, "2021-01-29", "KOSPI")["close"] == "2980"


def test_a_conflict_holds_back_the_whole_import_until_revise(tmp_path):
    data = tmp_path / "data"
    import_files("kofia", [KOFIA / "margin_freesis_cp949.csv"], data)
    before = (data / "margin_loans.csv").read_bytes()
    text = "일자,신용거래융자 전체\n2026/01/07,27870000\n2026/01/08,28190294\n"
    (tmp_path / "new.csv").write_text(text, encoding="utf-8")
    report = import_files("kofia", [tmp_path / "new.csv"], data, options=ImportOptions(unit="million"))
    margin = report.files["margin_loans.csv"]
    assert (margin.added, len(margin.conflicts), report.written) == (1, 1, False)
    assert str(margin.conflicts[0]) == "2026-01-07 total balance: 27870759000000 → 27870000000000"
    assert (data / "margin_loans.csv").read_bytes() == before  # the new 2026-01-08 row waits too

    report = import_files("kofia", [tmp_path / "new.csv"], data, revise=True, options=ImportOptions(unit="million"))
    assert report.written and len(report.revised) == 1
    assert row_for(data / "margin_loans.csv", "2026-01-08", "total")["balance"] == "28190294000000"
    assert row_for(data / "margin_loans.csv", "2026-01-07", "total")["balance"] == "27870000000000"


def test_dry_run_writes_nothing(tmp_path, capsys):
    assert run("import", "krx", KRX / "005930.csv", "--content", tmp_path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "dry run: nothing was written" in out and "5 added" in out
    assert not (tmp_path / "data").exists()


def test_equal_numbers_written_differently_are_unchanged_and_extra_columns_kept(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "index_daily.csv").write_text(
        "note,date,index,open,high,low,close\n"
        "checked,2021-01-29,KOSPI,3078.730,3100.22,2962.70,2976.21\n"
        "x,2021/01/28,KOSPI,3114.98,3114.98,3046.64,3069.05\n",
        encoding="utf-8",
    )
    report = import_files("krx", [KRX / "index_kospi_utf8.csv"], data)
    index = report.files["index_daily.csv"]
    assert (index.added, index.unchanged, index.filled, index.conflicts) == (3, 0, 2, [])
    lines = (data / "index_daily.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,index,open,high,low,close,volume,trading_value,note"
    assert lines[-1] == "2021-01-29,KOSPI,3078.730,3100.22,2962.70,2976.21,995071252,24350307102379,checked"


# --- problems are reported by file, line and column --------------------------------------------


def test_parse_problems_name_file_line_and_column_and_nothing_is_written(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "일자,종가,대비,등락률,시가,고가,저가,거래량,거래대금,상장시가총액\n"
        "2021/01/29,2976.21,-92.84,-3.03,3078.73,3100.22,2962.70,995071252,24350307102379,1\n"
        "2021/01/28,abc,-53.51,-1.71,3114.98,3114.98,3046.64,1310454719,23007882780390,1\n"
        "2021/02/30,3122.56,-17.75,-0.57,3143.46,3182.53,3118.89,924582382,20147107383927,1\n",
        encoding="utf-8",
    )
    assert run("import", "krx", KRX / "005930.csv", bad, "--content", tmp_path) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: 종가: 'abc' is not a number" in err
    assert f"{bad}:4: 일자: '2021/02/30' is not a date" in err
    assert "Traceback" not in err
    assert not (tmp_path / "data").exists()  # the good file was not imported either


def test_unknown_header_and_excel_and_bad_bytes_are_problems(tmp_path):
    cases = {
        "other.csv": b"a,b,c\n1,2,3\n",
        "book.csv": b"PK\x03\x04 not really a zip",
        "binary.csv": b"\xff\xfe\xfa\x00\xd8",
        "latin.csv": "일자,종가\n".encode() + b"\x80\x80\x80\n",
    }
    messages = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ContentError) as exc:
            import_files("krx", [tmp_path / name], tmp_path / "data")
        messages[name] = str(exc.value)
    assert "not a KRX export this importer knows" in messages["other.csv"]
    assert "Excel workbook" in messages["book.csv"]
    assert "binary.csv:1: byte" in messages["binary.csv"]
    assert "latin.csv:2: byte b'\\x80' is not UTF-8 or CP949 text" in messages["latin.csv"]


def test_header_unit_contradicting_unit_option_is_a_problem(tmp_path, capsys):
    assert run("import", "kofia", KOFIA / "lending_cp949.csv", "--unit", "won", "--content", tmp_path) == 1
    assert "잔고금액(백만원): the file says million but --unit says won" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert run("import", "krx", tmp_path / "missing.csv", "--content", tmp_path) == 2
    assert "no such file" in capsys.readouterr().err
    assert run("import", "krx", KRX / "005930.csv", "--date", "yesterday", "--content", tmp_path) == 2
    assert run("import", "krx", KRX / "005930.csv", "--ticker", "SAMSUNG", "--content", tmp_path) == 2
    assert run("import") == 2
    with pytest.raises(SystemExit) as exc:
        run("import", "krx", KRX / "005930.csv", "--kind", "margin")
    assert exc.value.code == 2


def test_title_lines_and_two_line_header_are_read():
    table = read_table(KOFIA / "margin_freesis_cp949.csv")
    assert table.header_line == 3 and table.unit_hint == "million"
    assert table.names[:4] == ["일자", "신용거래융자 전체", "신용거래융자 유가증권", "신용거래융자 코스닥"]
    assert table.names[4] == "신용거래대주 전체"
    assert table.rows[0][0] == 5  # the first data line, as an editor counts it


# --- the reader never raises anything but ContentError ------------------------------------------

HEADERS = [
    "일자",
    "날짜",
    "종가",
    "시가",
    "고가",
    "저가",
    "거래량",
    "거래대금",
    "상장시가총액",
    "상장주식수",
    "종목코드",
    "개인",
    "기관 합계",
    "외국인 합계",
    "기타법인",
    "기타외국인",
    "신용거래융자 전체",
    "유가증권",
    "코스닥",
    "잔고금액",
]
CELLS = st.one_of(
    st.sampled_from(["", "-", "0", "1,234", "2021/01/29", "20210129", "005930", "3.5", "-7", "1e9", '"']), st.text(max_size=6)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), source=st.sampled_from(["krx", "kofia"]))
def test_random_bytes_parse_or_raise_content_error(data, source):
    try:
        parse_file(source, "random.csv", data, ImportOptions())
    except ContentError:
        pass


@settings(max_examples=300, deadline=None)
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    body=st.lists(st.lists(CELLS, max_size=9), max_size=5),
    source=st.sampled_from(["krx", "kofia"]),
    encoding=st.sampled_from(["utf-8", "cp949"]),
    date=st.sampled_from([None, "2021-01-22"]),
)
def test_random_exports_parse_or_raise_content_error(header, body, source, encoding, date):
    text = "\n".join([",".join(header)] + [",".join(r) for r in body])
    data = text.encode(encoding, errors="replace")
    try:
        parse_file(source, "005930.csv", data, ImportOptions(date=date))
    except ContentError:
        pass


# --- the real shared files --------------------------------------------------------------------

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="shared real data (../shared/data/real) not present")


@needs_real
def test_real_pykrx_stock_files(tmp_path, capsys):
    files = sorted((REAL / "stocks_pykrx_do0405").glob("*.csv"))
    content = tmp_path / "content"
    assert run("import", "krx", *files, "--content", content) == 0
    assert "stock_prices.csv: 1850 added, 0 unchanged, 0 conflicts" in capsys.readouterr().out
    target = content / "data" / "stock_prices.csv"
    assert row_for(target, "2023-12-05", "005930") == {
        "date": "2023-12-05",
        "ticker": "005930",
        "open": "72300",
        "high": "72400",
        "low": "71200",
        "close": "71200",
        "volume": "12129682",
    }
    assert row_for(target, "2025-06-17", "005930")["close"] == "58450"
    assert sum(1 for r in rows(target)[1:] if r[1] == "005930") == 370
    before = target.read_bytes()
    assert run("import", "krx", *files, "--content", content) == 0
    assert target.read_bytes() == before


@needs_real
def test_real_pykrx_file_reencoded_as_cp949_gives_the_same_rows(tmp_path):
    original = REAL / "stocks_pykrx_do0405" / "000660.csv"
    copy = tmp_path / "000660.csv"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("cp949"))
    import_files("krx", [original], tmp_path / "a")
    import_files("krx", [copy], tmp_path / "b")
    assert (tmp_path / "a" / "stock_prices.csv").read_bytes() == (tmp_path / "b" / "stock_prices.csv").read_bytes()


@needs_real
def test_real_kofia_margin_files(tmp_path, capsys):
    data = tmp_path / "content" / "data"
    extracted = REAL / "kofia_deposit_margin_daily_2025-12-10_2026-03-10_extracted.csv"
    assert run("import", "kofia", extracted, "--content", tmp_path / "content") == 0
    assert "margin_loans.csv: 59 added" in capsys.readouterr().out
    margin = data / "margin_loans.csv"
    assert row_for(margin, "2026-01-05", "total")["balance"] == "27622356000000"  # 27,622,356 백만원
    assert row_for(margin, "2025-12-17", "total")["balance"] == "27528779000000"

    # louco999 rounds to 0.01조 where it overlaps: four conflicts, and nothing is written
    # until --revise says the rounded figures are to replace the exact ones.
    louco = REAL / "kofia_margin_balance_louco999.csv"
    before = margin.read_bytes()
    assert run("import", "kofia", louco, "--content", tmp_path / "content") == 1
    out, err = capsys.readouterr()
    assert "58 added, 0 unchanged, 4 conflicts" in out
    assert "2025-12-31 total balance: 27286469000000 → 27290000000000" in err
    assert "nothing was written" in err and "add the 58 new rows" in err
    assert margin.read_bytes() == before
    assert run("import", "kofia", louco, "--content", tmp_path / "content", "--revise") == 0
    assert "58 added, 0 unchanged, 0 conflicts, 4 revised" in capsys.readouterr().out
    assert row_for(margin, "2026-08-20", "total")["balance"] == "31893895000000"  # 31.893895조
    assert row_for(margin, "2024-01-15", "total")["balance"] == "17800000000000"  # 17.8조

    walnut = REAL / "walnutbrown_kospi_close_credit_balance.csv"
    assert run("import", "kofia", walnut, "--content", tmp_path / "content") == 0
    assert "3762 added" in capsys.readouterr().out
    assert row_for(margin, "2025-05-22", "KOSPI")["balance"] == "10383768000000"


@needs_real
def test_real_constituents_export_is_read_in_either_encoding_and_refused(tmp_path):
    original = REAL / "krx_index_constituents_kospi_2026-05-18_excerpt_dankim82.csv"
    copy = tmp_path / "constituents_cp949.csv"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("cp949"))
    for path in (original, copy):
        table = read_table(path)
        assert table.names == ["종목코드", "종목명", "종가", "대비", "등락률", "상장시가총액"]
        assert table.rows[0] == (2, ["005930", "삼성전자", "281000", "10500", "3.88", "1642804288848000"])
        with pytest.raises(ContentError, match="no 시가, 고가, 저가 column"):
            import_files("krx", [path], tmp_path / "data", options=ImportOptions(date="2026-05-18"))


@needs_real
def test_real_files_copied_elsewhere_are_not_needed(tmp_path):
    """The importer reads from any path: a copy under a new name behaves the same."""
    copy = tmp_path / "005930_samsung.csv"
    shutil.copy(REAL / "stocks_pykrx_do0405" / "005930.csv", copy)
    report = import_files("krx", [copy], tmp_path / "data")
    assert report.files["stock_prices.csv"].added == 370
