"""An import never publishes a wrong number: files in the shapes editors really download (a
per-stock pykrx CSV with investor share columns, a Naver-layout index table, 억원 amounts without
a unit line, an old export with a 년/월/일 header) are either imported correctly or refused with
a message naming the file, the line, the column and the flag to use -- and after every refusal
``content/`` is byte for byte what it was."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import Omitted, Problem
from generator.importing.messages import fold

KOSPI_DAYS = [  # date, open, high, low, close, volume in thousands of shares, value in 백만원 (KOSPI, Nov. 2025)
    ("2025-11-03", 4123.36, 4221.92, 4123.36, 4221.87, 472676, 20741245),
    ("2025-11-04", 4219.24, 4226.75, 4117.91, 4121.74, 423543, 19885016),
    ("2025-11-05", 4034.40, 4071.53, 3867.81, 4004.42, 620117, 28391823),
    ("2025-11-06", 4048.21, 4064.48, 3995.71, 4026.45, 451285, 19442111),
    ("2025-11-07", 3986.38, 4004.56, 3911.96, 3953.76, 431522, 18112035),
    ("2025-11-10", 4000.18, 4081.89, 3989.41, 4073.24, 400211, 17021452),
    ("2025-11-11", 4102.75, 4140.35, 4078.22, 4106.39, 388742, 16598001),
]


def run(*argv: str | Path) -> int:
    return main([str(a) for a in argv])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with a stored KOSPI series (volumes in shares, values in won)."""
    folder = tmp_path / "content"
    (folder / "data").mkdir(parents=True)
    lines = ["date,index,open,high,low,close,volume,trading_value"]
    for day, o, h, lo, c, vol, val in KOSPI_DAYS[:3]:
        lines.append(f"{day},KOSPI,{o},{h},{lo},{c},{vol * 1000},{val * 1_000_000}")
    (folder / "data" / "index_daily.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "data" / "stocks.csv").write_text("ticker,name\n005930,Samsung Electronics\n", encoding="utf-8")
    return folder


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def refused(capsys, content: Path, *argv: str | Path) -> str:
    """Run an import that must be refused; return stderr, having checked content/ is untouched."""
    before = snapshot(content)
    assert run("import", *argv, "--content", content) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert snapshot(content) == before
    return err


# --- kind detection ------------------------------------------------------------------------


def pykrx_stock_with_investors(path: Path) -> Path:
    """A per-stock pykrx CSV: OHLCV, 개인 / 기관 합계 / 외국인 합계 share volumes, 공매도 columns."""
    rows = [
        "날짜,시가,고가,저가,종가,거래량,등락률,개인,기관 합계,외국인 합계,공매도,공매도잔고",
        "2024-01-02,78200,79800,78200,79600,17142847,1.27,-2123123,512331,1610792,402113,7563012",
        "2024-01-03,78500,78800,77000,77000,21753644,-3.27,3417555,-1290110,-2127445,612004,7734120",
        "2024-01-04,76100,77300,76100,76600,15324439,-0.52,1020553,-504331,-516222,311240,7801230",
    ]
    return write(path, "\n".join(rows) + "\n")


def test_per_stock_pykrx_file_with_investor_share_columns_imports_prices_only(content, tmp_path, capsys):
    source = pykrx_stock_with_investors(tmp_path / "005930.csv")
    assert run("import", "krx", source, "--content", content) == 0
    out = capsys.readouterr().out
    assert "stock_prices.csv: 3 added" in out
    assert "investor_flows" not in out.split("note:")[0]
    assert "note:" in out and "개인, 기관 합계, 외국인 합계 not imported" in out
    assert not (content / "data" / "investor_flows.csv").exists()
    assert "2024-01-03,005930,78500,78800,77000,77000,21753644" in (content / "data" / "stock_prices.csv").read_text()


def test_per_stock_file_without_its_ticker_is_refused_and_never_taken_for_flows(content, tmp_path, capsys):
    source = pykrx_stock_with_investors(tmp_path / "samsung.csv")
    err = refused(capsys, content, "krx", source)
    assert f"{source}:1: one stock's prices with investor columns" in err
    assert "--ticker 005930" in err and "--kind stock" in err and "--kind investors does not apply" in err


def test_per_stock_investor_table_fits_no_kind(content, tmp_path, capsys):
    source = write(
        tmp_path / "005930_investors.csv",
        "일자,기관 합계,기타법인,개인,외국인 합계,전체\n2021/01/22,-136477201,24513231,160826387,-48862417,0\n",
    )
    err = refused(capsys, content, "krx", source)
    assert f"{source}:1: investor columns" in err and "the ticker 005930 in the file name" in err
    assert "no --kind applies" in err


def test_share_volume_view_of_investor_trading_is_refused(content, tmp_path, capsys):
    source = write(
        tmp_path / "investors.csv",
        "투자자별 거래실적 (단위: 주)\n일자,기관 합계,기타법인,개인,외국인 합계,전체\n"
        "2025/11/03,-10112312,451230,20112003,-10450921,0\n",
    )
    err = refused(capsys, content, "krx", source)
    assert f"{source}:2: this is a 거래량 (shares) view" in err and "export the 거래대금 view" in err


def test_a_file_that_fits_two_kinds_names_both(content, tmp_path, capsys):
    source = write(
        tmp_path / "005930.csv", "날짜,시가,고가,저가,종가,거래량\n2024-01-02,78200,79800,78200,79600,17142847\n"
    )
    err = refused(capsys, content, "krx", source, "--index", "KOSPI")
    assert f"{source}:1: this file fits more than one kind" in err
    assert "--kind stock (price columns and the ticker 005930)" in err and "--kind index (price columns and --index KOSPI)" in err


# --- units -----------------------------------------------------------------------------------


def naver_index(path: Path, days=KOSPI_DAYS[3:]) -> Path:
    """Naver's daily table: 거래량 in thousands of shares, no unit line."""
    rows = ["날짜,시가,고가,저가,종가,거래량"]
    rows += [f"{d.replace('-', '.')},{o:,.2f},{h:,.2f},{lo:,.2f},{c:,.2f},{v:,}" for d, o, h, lo, c, v, _ in days]
    return write(path, "\n".join(f'"{r}"' if False else r for r in rows) + "\n")


def test_naver_index_volumes_in_thousands_are_refused_with_the_flag(content, tmp_path, capsys):
    source = write(
        tmp_path / "naver_kospi.csv",
        "날짜,시가,고가,저가,종가,거래량\n"
        + "".join(f"{d},{o},{h},{lo},{c},{v}\n" for d, o, h, lo, c, v, _ in KOSPI_DAYS[3:]),
    )
    err = refused(capsys, content, "krx", source, "--index", "KOSPI")
    assert f"{source}:1: 거래량: read as shares (no unit is stated)" in err
    assert "they look like thousands of shares" in err and "pass --volume-unit thousand" in err

    assert run("import", "krx", source, "--index", "KOSPI", "--volume-unit", "thousand", "--content", content) == 0
    assert "index_daily.csv: 4 added" in capsys.readouterr().out
    assert "2025-11-10,KOSPI,4000.18,4081.89,3989.41,4073.24,400211000," in (content / "data" / "index_daily.csv").read_text()


def test_volumes_in_thousands_on_days_already_stored_are_a_scale_problem(content, tmp_path, capsys):
    """An index with no known range (KOSPI 200) is still compared with its stored days."""
    data = content / "data" / "index_daily.csv"
    data.write_text(
        data.read_text() + "".join(f"{d},KOSPI200,{o},{h},{lo},{c},{v * 1000},\n" for d, o, h, lo, c, v, _ in KOSPI_DAYS[:3])
    )
    source = write(
        tmp_path / "k200.csv",
        "날짜,시가,고가,저가,종가,거래량\n" + "".join(f"{d},{o},{h},{lo},{c},{v}\n" for d, o, h, lo, c, v, _ in KOSPI_DAYS[:3]),
    )
    err = refused(capsys, content, "krx", source, "--index", "KOSPI200", "--volume-unit", "shares")
    assert f"{source}:1: 거래량: on 3 days also in index_daily.csv the stored figures are about 1,000 times these" in err
    assert "pass --volume-unit thousand" in err


def test_eok_amounts_without_a_unit_line_are_refused_for_flows(content, tmp_path, capsys):
    rows = "".join(f"{d},-9397,312,-2944,12548,0\n" for d, *_ in KOSPI_DAYS[:3])
    source = write(tmp_path / "investors_eok.csv", "일자,기관 합계,기타법인,개인,외국인 합계,전체\n" + rows)
    err = refused(capsys, content, "krx", source)
    assert f"{source}:1: 개인: read as won (no unit is stated)" in err
    assert "they look like 억원" in err and "--unit eok" in err and "거래량 (shares) view" in err

    assert run("import", "krx", source, "--unit", "eok", "--content", content) == 0
    text = (content / "data" / "investor_flows.csv").read_text()
    assert "2025-11-03,KOSPI,individuals,-294400000000" in text


def test_eok_margin_balances_are_not_guessed_to_be_millions(content, tmp_path, capsys):
    source = write(tmp_path / "margin_eok.csv", "date,신용거래융자\n2026-01-05,276223\n2026-01-06,277110\n")
    err = refused(capsys, content, "kofia", source)
    assert f"{source}:1: 신용거래융자: read as 백만원 (no unit is stated)" in err and "pass --unit eok (억원)" in err
    assert run("import", "kofia", source, "--unit", "eok", "--content", content) == 0
    assert "2026-01-05,total,27622300000000" in (content / "data" / "margin_loans.csv").read_text()


def test_net_buying_beyond_the_days_turnover_is_refused(content, tmp_path, capsys):
    rows = "".join(f"{d},-9397,312,-2944,12548,0\n" for d, *_ in KOSPI_DAYS[:3])
    source = write(tmp_path / "investors.csv", "일자,기관 합계,기타법인,개인,외국인 합계,전체\n" + rows)
    err = refused(capsys, content, "krx", source, "--unit", "trillion")  # stated, so no range check: the turnover decides
    assert f"{source}:2: individuals: net buying of -2,944,000,000,000,000 won on 2025-11-03 exceeds the whole KOSPI turnover" in err


def test_a_move_beyond_the_price_limit_is_refused(content, tmp_path, capsys):
    source = write(
        tmp_path / "005930.csv",
        "날짜,시가,고가,저가,종가,거래량\n2024-01-02,78200,79800,78200,79600,17142847\n"
        "2024-01-03,78500,78800,77000,7700,21753644\n2024-01-04,76100,77300,76100,76600,15324439\n",
    )
    err = refused(capsys, content, "krx", source)
    assert f"{source}:3: 저가: 7,700" not in err
    assert re.search(rf"{re.escape(str(source))}:3: 종가: 7,700 is 90\.3% below the previous close 79,600 \(2024-01-02\)", err)
    assert "±30% daily price limit" in err


def test_a_split_across_suspension_days_is_not_a_price_limit_breach(content, capsys):
    """Raw prices over Samsung's 2018 split: the sessions in between had no trades."""
    fixture = Path(__file__).parent / "fixtures" / "krx" / "data_0412_20180510.csv"
    assert run("import", "krx", fixture, "--ticker", "005930", "--content", content) == 0
    out = capsys.readouterr().out
    assert "stock_prices.csv: 2 added" in out and "calendar.csv: 3 days without trades recorded" in out
    calendar = (content / "calendar.csv").read_text()
    assert calendar.startswith("date,status,series,note\n2018-04-30,no_trades,005930,no trades in ")


# --- headers and messages -------------------------------------------------------------------


def test_old_export_with_a_year_month_day_header_is_read(content, tmp_path, capsys):
    source = write(
        tmp_path / "000660_1997.csv",
        "년/월/일,종가,대비,거래량(주),시가,고가,저가\n"
        "1997/11/28,12000,100,150000,11900,12100,11800\n"
        "1997/11/29,12100,100,90000,12000,12200,12000\n"
        "1997/12/01,12300,200,120000,12100,12400,12050\n",
        "cp949",
    )
    assert run("import", "krx", source, "--content", content) == 0
    assert "stock_prices.csv: 3 added" in capsys.readouterr().out
    assert "1997-11-29,000660,12000,12200,12000,12100,90000" in (content / "data" / "stock_prices.csv").read_text()


def test_unknown_date_header_is_named_with_its_dated_rows(content, tmp_path, capsys):
    rows = "".join(f"{d},{o},{h},{lo},{c},{v}\n" for d, o, h, lo, c, v, _ in KOSPI_DAYS)
    source = write(tmp_path / "005930.csv", "기간,시가,고가,저가,종가,거래량\n" + rows)
    err = refused(capsys, content, "krx", source, "--kind", "stock")
    assert f"{source}:1: this export has no date column: pass --date YYYY-MM-DD for a one-day file, or rename column '기간'" in err
    assert "(it holds dates on 7 rows)" in err


def test_a_systematic_date_problem_is_one_message_with_its_count(content, tmp_path, capsys):
    rows = [f"{d[8:]}.{d[5:7]}.{d[:4]},{o},{h},{lo},{c},{v}" for d, o, h, lo, c, v, _ in KOSPI_DAYS] * 30
    source = write(tmp_path / "005930.csv", "날짜,시가,고가,저가,종가,거래량\n" + "\n".join(rows) + "\n")
    err = refused(capsys, content, "krx", source)
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{source}:2: 날짜: '03.11.2025' is not a date")
    assert "the same on 210 rows (lines 2, 3, 4, 5, 6 and 205 more)" in lines[0]
    assert lines[1].startswith("210 problems in the content")  # what it stands for, not one line


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.csv", "b.csv"]), st.integers(1, 400), st.sampled_from(["x", "y"]), st.text(max_size=8))))
def test_folding_keeps_every_problem_counted(raw):
    problems = [Problem(path, line, col, f"{text!r} is not a number") for path, line, col, text in raw]
    folded = fold(problems)
    assert sum(p.count if isinstance(p, Omitted) else 1 for p in folded) == len(problems)
    assert all(isinstance(p, Omitted) == (p not in problems) for p in folded)


# --- all or nothing, for any mix of rows ----------------------------------------------------

BASE = dt.date(2025, 11, 3)
GOOD = st.tuples(st.just("good"), st.integers(0, 40))
BAD = st.tuples(st.sampled_from(["bad number", "bad date", "conflict", "wrong scale"]), st.integers(0, 40))


def _row(kind: str, n: int) -> str:
    day = BASE + dt.timedelta(n)
    level = 4000 + n
    volume = 400_000_000 + n * 1_000_000
    if kind == "bad number":
        return f"{day},{level},{level + 10},{level - 10},4o{n},{volume}"
    if kind == "bad date":
        return f"{day.day:02d}/{day.month:02d}/{day.year},{level},{level + 10},{level - 10},{level},{volume}"
    if kind == "conflict":
        return f"2025-11-03,{level},{level + 10},{level - 10},{level + 1},{volume}"
    if kind == "wrong scale":
        return f"{day},{level},{level + 10},{level - 10},{level},{volume // 1000}"
    return f"{day},{level},{level + 10},{level - 10},{level},{volume}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(GOOD, BAD), min_size=1, max_size=25))
def test_random_mixes_of_good_and_bad_rows_never_change_content_when_the_run_fails(content, tmp_path, rows):
    source = write(tmp_path / "kospi.csv", "날짜,시가,고가,저가,종가,거래량\n" + "\n".join(_row(k, n) for k, n in rows) + "\n")
    before = snapshot(content)
    try:
        code = main(["import", "krx", str(source), "--index", "KOSPI", "--content", str(content)])
        after = snapshot(content)
        if code != 0:
            assert after == before
        else:  # only a file of good rows (or of rows that change nothing) may import
            assert all(kind == "good" for kind, _ in rows) or after == before
    finally:  # the next example starts from the same content
        for name in set(snapshot(content)) - set(before):
            (content / name).unlink()
        for name, data in before.items():
            (content / name).write_bytes(data)
