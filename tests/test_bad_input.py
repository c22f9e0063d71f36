"""Bad content gets one clear line per problem, exit code 1 and no traceback.

Each case copies the minimal valid content (tests/fixtures/minimal), breaks one thing the way
an editor or a broken export would, runs the command line and compares the message word for
word: ``path:line: column: what is wrong and what was expected``, with lines as a text editor
counts them (the CSV header is line 1).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"

Mutation = Callable[[Path], None]


def copy_minimal(dest: Path) -> Path:
    shutil.copytree(MINIMAL, dest)
    return dest


def replace(name: str, old: str, new: str) -> Mutation:
    """Change the first ``old`` in one file (the test fails if the fixture lacks it)."""

    def mutate(content: Path) -> None:
        path = content / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture {name} has no {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def put(name: str, data: str | bytes) -> Mutation:
    def mutate(content: Path) -> None:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return mutate


def delete(name: str) -> Mutation:
    return lambda content: (content / name).unlink()


def dangling(name: str) -> Mutation:
    """Replace a file by a link to nothing: it is listed but cannot be read."""

    def mutate(content: Path) -> None:
        path = content / name
        path.unlink()
        path.symlink_to(path.with_name("missing.md"))

    return mutate


def encode(name: str, encoding: str) -> Mutation:
    def mutate(content: Path) -> None:
        path = content / name
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(content: Path) -> None:
        for m in mutations:
            m(content)

    return mutate


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    message: str  # the exact line, with the path relative to the content folder


NOTE_0107 = "commentary/2026-01-07.md"
SAMSUNG_0106 = "2026-01-06,005930,131000,135000,130500,134000"

CASES = [
    # numbers
    Case(
        "non-numeric price",
        replace("data/index_daily.csv", "4320.00,400000000", "abc,400000000"),
        "data/index_daily.csv:2: close: 'abc' is not a number, expected digits such as 1234.5",
    ),
    Case(
        "empty price",
        replace("data/index_daily.csv", "4320.00,400000000", ",400000000"),
        "data/index_daily.csv:2: close: is empty, expected a number",
    ),
    Case(
        "won amount in Korean units",
        replace("data/investor_flows.csv", ",50000000000", ",500억"),
        "data/investor_flows.csv:3: net_buy: '500억' is not a number, expected digits such as 1234.5",
    ),
    Case(
        "empty flow",
        replace("data/investor_flows.csv", ",50000000000", ","),
        "data/investor_flows.csv:3: net_buy: is empty, expected a number",
    ),
    Case(
        "zero price",
        replace("data/fx.csv", "1445.00", "0"),
        "data/fx.csv:3: usdkrw: '0' is not above zero, expected a positive number",
    ),
    Case(
        "number too large",
        replace("data/fx.csv", "1445.00", "1e999"),
        "data/fx.csv:3: usdkrw: '1e999' is too large, expected an ordinary number",
    ),
    # dates
    Case(
        "impossible date",
        replace("data/index_daily.csv", "2026-01-06,KOSPI", "2025-02-30,KOSPI"),
        "data/index_daily.csv:4: date: '2025-02-30' is not a real date (February 2025 has 28 days), expected a calendar date YYYY-MM-DD",
    ),
    Case(
        "month 13",
        replace("data/fx.csv", "2026-01-06", "2026-13-06"),
        "data/fx.csv:3: date: '2026-13-06' is not a real date (there is no month 13), expected a calendar date YYYY-MM-DD",
    ),
    Case(
        "date in another format",
        replace("data/fx.csv", "2026-01-06", "2026/01/06"),
        "data/fx.csv:3: date: '2026/01/06' is not a date, expected YYYY-MM-DD",
    ),
    Case(
        "empty date",
        replace("data/margin_loans.csv", "2026-01-06,KOSDAQ", ",KOSDAQ"),
        "data/margin_loans.csv:6: date: is empty, expected a date YYYY-MM-DD",
    ),
    # duplicates and columns
    Case(
        "duplicate row",
        replace("data/fx.csv", "2026-01-06,1445.00", "2026-01-05,1445.00"),
        "data/fx.csv:3: date: duplicate row for date 2026-01-05 (first on line 2), expected one row per date",
    ),
    Case(
        "duplicate row, two-column key",
        replace("data/index_daily.csv", "2026-01-06,KOSDAQ", "2026-01-05,KOSDAQ"),
        "data/index_daily.csv:5: date: duplicate row for date 2026-01-05, index KOSDAQ (first on line 3), expected one row per date and index",
    ),
    Case(
        "missing required column",
        replace("data/margin_loans.csv", "date,market,balance", "date,market,bal"),
        "data/margin_loans.csv:1: balance: required column is missing, expected it in the header (the header has: date, market, bal)",
    ),
    Case(
        "column twice",
        put("data/fx.csv", "date,usdkrw,date\n2026-01-05,1440.50,2026-01-05\n"),
        "data/fx.csv:1: date: appears more than once in the header, expected each column once",
    ),
    Case(
        "missing required file",
        delete("data/index_daily.csv"),
        "data/index_daily.csv: is missing, expected it in the data folder: it is the one required data file",
    ),
    # categories
    Case(
        "unknown investor type",
        replace("data/investor_flows.csv", "2026-01-06,KOSPI,foreigners", "2026-01-06,KOSPI,foreign"),
        "data/investor_flows.csv:7: investor: 'foreign' is not a known value, expected one of individuals, institutions, foreigners, other",
    ),
    Case(
        "unknown margin market",
        replace("data/margin_loans.csv", "2026-01-06,KOSDAQ", "2026-01-06,NASDAQ"),
        "data/margin_loans.csv:6: market: 'NASDAQ' is not a known value, expected one of KOSPI, KOSDAQ, total",
    ),
    Case(
        "empty name",
        replace("data/stocks.csv", "000660,SK hynix", "000660,"),
        "data/stocks.csv:3: name: is empty, expected a value",
    ),
    # prices
    Case(
        "high below low",
        replace("data/stock_prices.csv", SAMSUNG_0106, "2026-01-06,005930,131000,125000,130500,128000"),
        "data/stock_prices.csv:4: high: high 125000 is below low 130500, expected the high to be at least the low",
    ),
    Case(
        "close above the high",
        replace("data/stock_prices.csv", SAMSUNG_0106, "2026-01-06,005930,131000,135000,130500,139000"),
        "data/stock_prices.csv:4: close: close 139000 is outside the day's range 130500–135000, expected a close between the low and the high",
    ),
    Case(
        "open below the low",
        replace("data/index_daily.csv", "4320.00,4400.00,4310.00", "4300.00,4400.00,4310.00"),
        "data/index_daily.csv:4: open: open 4300.00 is outside the day's range 4310.00–4400.00, expected an open between the low and the high",
    ),
    # balances
    Case(
        "negative lending balance",
        replace("data/stock_lending.csv", "2026-01-06,000660,2550000000000", "2026-01-06,000660,-2550000000000"),
        "data/stock_lending.csv:5: balance: '-2550000000000' is negative, expected zero or more",
    ),
    Case(
        "negative margin balance",
        replace("data/margin_loans.csv", "2026-01-05,total,25000000000000", "2026-01-05,total,-1"),
        "data/margin_loans.csv:4: balance: '-1' is negative, expected zero or more",
    ),
    # files
    Case("empty data file", put("data/fx.csv", ""), "data/fx.csv:1: is empty, expected a header line: date,usdkrw"),
    Case(
        "empty required file",
        put("data/index_daily.csv", "\n\n"),
        "data/index_daily.csv:1: is empty, expected a header line: date,index,open,high,low,close,volume,trading_value",
    ),
    Case(
        "header but no rows",
        put("data/index_daily.csv", "date,index,open,high,low,close\n"),
        "data/index_daily.csv: index: has no rows for the headline index 'KOSPI', expected at least one (or set headline_index in site.toml to an index the file has)",
    ),
    Case(
        "blank first line",
        put("data/fx.csv", "\ndate,usdkrw\n2026-01-05,1440.50\n"),
        "data/fx.csv:1: has no header on line 1, expected the header line: date,usdkrw",
    ),
    Case(
        "a folder where a file should be",
        both(delete("data/fx.csv"), lambda content: (content / "data" / "fx.csv").mkdir()),
        "data/fx.csv: is a folder, expected a file",
    ),
    Case(
        "a file that cannot be read",
        dangling("pages/about.md"),
        "pages/about.md: is a symbolic link to pages/missing.md, which does not exist, expected a file",
    ),
    Case(
        "binary file",
        put("data/stock_prices.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "data/stock_prices.csv: is a binary file, expected UTF-8 text",
    ),
    Case(
        "CP949 file",
        encode("data/stocks.csv", "cp949"),
        "data/stocks.csv:2: is CP949/EUC-KR text, expected UTF-8: re-save it as UTF-8, or bring it in with `kospi-report import`",
    ),
    Case(
        "UTF-16 file",
        encode("data/fx.csv", "utf-16"),
        'data/fx.csv:1: is UTF-16 text, expected UTF-8: re-save it as UTF-8 (in Excel: "CSV UTF-8")',
    ),
    Case(
        "Latin-1 commentary",
        put(NOTE_0107, "---\ntitle: Caf\xe9\n---\n".encode("latin-1")),
        f"{NOTE_0107}:2: is not UTF-8 text, expected UTF-8: re-save the file as UTF-8",
    ),
    Case("binary commentary", put(NOTE_0107, b"\x00\x01\x02"), f"{NOTE_0107}: is a binary file, expected UTF-8 text"),
    # CSV shape
    Case(
        "ragged row",
        replace("data/fx.csv", "2026-01-06,1445.00", "2026-01-06,1445.00,extra"),
        "data/fx.csv:3: has 3 fields, expected 2 like the header (date, usdkrw)",
    ),
    Case(
        "short row",
        replace("data/margin_loans.csv", "2026-01-06,KOSDAQ,10100000000000", "2026-01-06,KOSDAQ"),
        "data/margin_loans.csv:6: has 2 fields, expected 3 like the header (date, market, balance)",
    ),
    Case(
        "quoted field over two lines keeps later lines right",
        both(
            replace("data/stocks.csv", "Samsung Electronics", '"Samsung\nElectronics"'),
            replace("data/stocks.csv", "000660,SK hynix", "000660,"),
        ),
        "data/stocks.csv:4: name: is empty, expected a value",
    ),
    Case(
        "quote never closed",
        replace("data/fx.csv", "2026-01-07,1450.25", '2026-01-07,"1450.25'),
        'data/fx.csv:4: has a quote (") that is never closed, expected a closing quote before the end of the file',
    ),
    Case(
        "text after a closing quote",
        replace("data/fx.csv", "2026-01-07,1450.25", '2026-01-07,"1450"25'),
        'data/fx.csv:4: has text right after a closing quote, expected a comma (a quote inside a field is written "")',
    ),
    # front matter
    Case(
        "front matter: bad YAML",
        put(NOTE_0107, "---\ntitle: ok\nsummary: Stocks: up\nauthor: desk\n---\nText.\n"),
        f"{NOTE_0107}:3: front matter is not valid YAML (mapping values are not allowed here), expected lines like title: Markets rally (quote text that contains ': ')",
    ),
    Case(
        "front matter: unclosed list",
        put(NOTE_0107, "---\ntitle: ok\nsummary: [a, b\n---\nText.\n"),
        f"{NOTE_0107}:3: front matter is not valid YAML (expected ',' or ']', but got the end of the front matter), expected lines like title: Markets rally (quote text that contains ': ')",
    ),
    Case(
        "front matter: not closed",
        put(NOTE_0107, "---\ntitle: ok\n\nText.\n"),
        f"{NOTE_0107}:1: front matter is not closed, expected a line '---' after the title, summary and author",
    ),
    Case(
        "front matter: absent",
        put(NOTE_0107, "Just text.\n"),
        f"{NOTE_0107}:1: has no front matter, expected a first line '---', then lines like title: ..., then a line '---'",
    ),
    Case(
        "front matter: a list",
        put(NOTE_0107, "---\n- title\n---\nText.\n"),
        f"{NOTE_0107}:2: front matter is not 'key: value' lines, expected lines like title: Markets rally",
    ),
    Case(
        "front matter: no title",
        put(NOTE_0107, "---\nsummary: ok\n---\nText.\n"),
        f"{NOTE_0107}:1: title: is missing from the front matter, expected a line title: ...",
    ),
    Case(
        "front matter: title is a list",
        put(NOTE_0107, "---\nsummary: ok\ntitle: [a, b]\n---\n"),
        f"{NOTE_0107}:3: title: is a list, expected text (put it in quotes)",
    ),
    Case(
        "front matter: impossible date",
        put(NOTE_0107, "---\ntitle: ok\npublished: 2025-02-30\n---\n"),
        f"{NOTE_0107}:2: front matter has a value YAML cannot read (day is out of range for month), expected real dates and plain text",
    ),
    # commentary and tickers that point at nothing
    Case(
        "commentary for a day with no data",
        put("commentary/2026-01-10.md", "---\ntitle: Saturday\n---\n"),
        "commentary/2026-01-10.md: is for 2026-01-10, which has no KOSPI row in index_daily.csv, expected commentary only for days in the data",
    ),
    Case(
        "commentary for an impossible day",
        put("commentary/2025-02-30.md", "---\ntitle: x\n---\n"),
        "commentary/2025-02-30.md: file name is not a real date (February 2025 has 28 days), expected a calendar date YYYY-MM-DD",
    ),
    Case(
        "commentary file not named after a day",
        put("commentary/monday.md", "---\ntitle: x\n---\n"),
        "commentary/monday.md: 'monday.md' is not a commentary file name, expected YYYY-MM-DD.md named after the day it discusses",
    ),
    Case(
        "unknown ticker",
        replace("data/stock_prices.csv", "2026-01-06,005930", "2026-01-06,123456"),
        "data/stock_prices.csv:4: ticker: '123456' is not in stocks.csv (1 row uses it), expected a ticker listed there",
    ),
    Case(
        "ticker without leading zeros",
        replace("data/stock_lending.csv", "2026-01-05,005930", "2026-01-05,5930"),
        "data/stock_lending.csv:2: ticker: '5930' is not a ticker, expected 6 digits or capital letters such as 005930 (keep the leading zeros)",
    ),
    Case(
        "tracked ticker not listed",
        replace("site.toml", '"000660"]', '"000660", "999999"]'),
        "site.toml:4: tracked_tickers: '999999' is not in stocks.csv, expected a ticker listed there",
    ),
    # site.toml
    Case(
        "setting of the wrong type",
        replace("site.toml", "milestone_step = 100", 'milestone_step = "100"'),
        "site.toml:5: milestone_step: expected a positive whole number, got '100'",
    ),
    Case(
        "text setting given a number",
        replace("site.toml", 'title = "Minimal Report"', "title = 42"),
        "site.toml:2: title: expected text in quotes, got 42",
    ),
    Case(
        "setting with an unknown value",
        put("site.toml", 'color_convention = "purple"\n'),
        "site.toml:1: color_convention: expected one of western, korean, got 'purple'",
    ),
    Case(
        "invalid TOML",
        replace("site.toml", "milestone_step = 100", "milestone_step = = 100"),
        'site.toml:5: is not valid TOML (invalid value at column 18), expected lines like title = "My report"',
    ),
    Case(
        "TOML string never closed",
        put("site.toml", 'title = "Desk\n'),
        "site.toml:1: is not valid TOML (illegal character '\\n' at column 14), expected lines like title = \"My report\"",
    ),
    Case(
        "tracked tickers not a list",
        replace("site.toml", 'tracked_tickers = ["005930", "000660"]', 'tracked_tickers = "005930"'),
        "site.toml:4: tracked_tickers: expected a list of strings such as [\"005930\"], got '005930'",
    ),
    # names that would become paths
    Case(
        "ticker that climbs out of the site",
        replace("data/stocks.csv", "000660,SK hynix", "../../x,SK hynix"),
        "data/stocks.csv:3: ticker: '../../x' is not a ticker, expected 6 digits or capital letters such as 005930 (keep the leading zeros)",
    ),
    Case(
        "index name with a slash",
        replace("data/index_daily.csv", "2026-01-05,KOSDAQ", "2026-01-05,../KOSDAQ"),
        "data/index_daily.csv:3: index: '../KOSDAQ' cannot be used as a name, expected no slashes, backslashes, control characters or leading/trailing dots",
    ),
    Case(
        "page file named ..md",
        put("pages/..md", "---\ntitle: x\n---\n"),
        "pages/..md: '..md' is not a page file name, expected lowercase letters, digits and hyphens such as about.md",
    ),
    Case(
        "page file with capitals",
        put("pages/About_Us.md", "---\ntitle: x\n---\n"),
        "pages/About_Us.md: 'About_Us.md' is not a page file name, expected lowercase letters, digits and hyphens such as about.md",
    ),
    Case(
        "page slug with slashes",
        put("pages/team.md", "---\ntitle: Team\nslug: ../../etc\n---\n"),
        "pages/team.md:3: slug: '../../etc' is not a page address, expected lowercase letters, digits and hyphens such as about",
    ),
    Case(
        "two pages at one address",
        put("pages/team.md", "---\ntitle: Team\nslug: about\n---\n"),
        "pages/team.md: has the same address /about/ as about.md, expected each page to have its own",
    ),
]


def run_check(content: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``kospi-report check`` (or ``build``, which checks first, where ``check`` is absent):
    the exit code and everything printed (``check`` lists problems on stdout, ``build`` on stderr)."""
    if importlib.util.find_spec("generator.commands.check") is not None:
        code = main(["check", "--content", str(content)])
    else:
        code = main(["build", "--content", str(content), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def problem_lines(stderr: str, content: Path) -> list[str]:
    prefix = str(content) + os.sep
    return [line.replace(prefix, "") for line in stderr.splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_clearly(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_minimal(tmp_path / "content")
    case.mutate(content)
    code, err = run_check(content, tmp_path / "site", capsys)
    assert code == 1, err
    assert "Traceback" not in err
    lines = problem_lines(err, content)
    assert case.message in lines, "\n".join(lines)
    assert not (tmp_path / "site").exists(), "nothing may be published from bad content"


def test_minimal_fixture_is_valid(tmp_path: Path) -> None:
    """The cases above break one thing each; the untouched fixture must pass."""
    from generator.build import load_dataset

    data = load_dataset(MINIMAL)
    assert len(data.trading_days) == 4
    assert set(data.commentary) and set(data.pages) == {"about"}
    assert data.warnings == []


def test_every_problem_is_listed_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_minimal(tmp_path / "content")
    picked = [
        c
        for c in CASES
        if c.id
        in {
            "non-numeric price",
            "duplicate row",
            "unknown investor type",
            "close above the high",
            "negative lending balance",
            "unknown ticker",
            "front matter: bad YAML",
            "commentary for a day with no data",
            "page file named ..md",
            "unknown margin market",
        }
    ]
    for case in picked:
        case.mutate(content)
    code, err = run_check(content, tmp_path / "site", capsys)
    assert code == 1
    lines = problem_lines(err, content)
    for case in picked:
        assert case.message in lines, case.id
    assert len([line for line in lines if line.startswith(("data/", "commentary/", "pages/", "site.toml"))]) == len(picked)


def test_a_broken_export_is_summarised_not_flooded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_minimal(tmp_path / "content")
    rows = "".join(f"2026-01-05,{n:06d},x\n" for n in range(100))
    put("data/stock_lending.csv", "date,ticker,balance\n" + rows)(content)
    code, err = run_check(content, tmp_path / "site", capsys)
    assert code == 1
    lines = problem_lines(err, content)
    balance = [line for line in lines if line.startswith("data/stock_lending.csv") and " balance: " in line]
    assert len(balance) == 21
    assert "data/stock_lending.csv: balance: 80 more problems in this column not shown" in balance


def test_each_file_with_an_encoding_problem_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_minimal(tmp_path / "content")
    encode("data/stocks.csv", "cp949")(content)
    put("data/fx.csv", b"\x00\x00")(content)
    put("pages/about.md", "---\ntitle: \xc0\n---\n".encode("latin-1"))(content)
    code, err = run_check(content, tmp_path / "site", capsys)
    assert code == 1
    lines = problem_lines(err, content)
    assert [line.split(":")[0] for line in lines[:3]] == ["data/fx.csv", "data/stocks.csv", "pages/about.md"]


SUBPROCESS_CASES = ["CP949 file", "front matter: bad YAML", "binary file", "invalid TOML", "quote never closed"]


@pytest.mark.parametrize("case_id", SUBPROCESS_CASES)
def test_no_traceback_reaches_the_terminal(case_id: str, tmp_path: Path) -> None:
    """A real process, as an editor runs it: exit 1, the message, no traceback."""
    case = next(c for c in CASES if c.id == case_id)
    copy_minimal(tmp_path / "content")
    case.mutate(tmp_path / "content")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--out", "site"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"content/{case.message}" in proc.stderr.splitlines()
    assert not (tmp_path / "site").exists()
