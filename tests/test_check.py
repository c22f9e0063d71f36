"""``kospi-report check``: every problem at once with file and line, and the KRX calendar warnings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.calendar_checks import TradingCalendar, _runs, dataset_calendar, section_as_of, session_gaps, stale_sections
from generator.cli import main
from tests.conftest import CONTENT


def check(capsys: pytest.CaptureFixture[str], content: Path, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(content), *extra])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def line_of(path: Path, prefix: str) -> int:
    """The line (editor's count, header = 1) of the first row starting with ``prefix``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(prefix):
            return n
    raise AssertionError(f"{prefix!r} not in {path}")


def drop_rows(path: Path, *prefixes: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(prefixes)), encoding="utf-8")


def insert_after(path: Path, prefix: str, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines.insert(at + 1, new_line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def test_sample_content_passes_with_a_clear_ok_line(capsys):
    code, lines = check(capsys, CONTENT)
    assert code == 0
    assert lines[-1].startswith("OK: ")
    assert "633 trading days 2023-06-01 to 2026-01-07" in lines[-1]
    assert "no warnings" in lines[-1]
    assert len(lines) == 1, lines


def test_lists_several_problems_with_file_and_line_at_once(content_copy, capsys):
    data = content_copy / "data"
    index = data / "index_daily.csv"
    bad_close = line_of(index, "2025-03-04,KOSPI")
    text = index.read_text(encoding="utf-8").splitlines()
    fields = text[bad_close - 1].split(",")
    fields[5] = "4,5x"
    text[bad_close - 1] = ",".join(f'"{f}"' if "," in f else f for f in fields)
    index.write_text("\n".join(text) + "\n", encoding="utf-8")
    margin = data / "margin_loans.csv"
    negative = line_of(margin, "2024-02-01,KOSPI")
    rows = margin.read_text(encoding="utf-8").splitlines()
    rows[negative - 1] = "2024-02-01,KOSPI,-5"
    margin.write_text("\n".join(rows) + "\n", encoding="utf-8")
    note = content_copy / "commentary" / "2025-06-20.md"
    note.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")

    code, lines = check(capsys, content_copy)

    assert code == 1
    out = "\n".join(lines)
    assert f"{index}:{bad_close}: close: '4,5x' is not a number" in out
    assert f"{margin}:{negative}: balance: '-5' is negative" in out
    assert re.search(rf"{re.escape(str(note))}:\d+: front matter is not valid YAML", out)
    assert lines[-1].startswith("FAILED: 3 errors")


def calendar_fixture(content: Path) -> dict[str, tuple[Path, int]]:
    """Break the copy's data three ways a calendar check should notice; returns where."""
    data = content / "data"
    index = data / "index_daily.csv"
    drop_rows(index, "2024-03-04,", "2024-03-05,")  # Monday and Tuesday, both indices
    fx = data / "fx.csv"
    insert_after(fx, "2025-10-02,", "2025-10-03,1398.16")  # National Foundation Day: exchange closed
    margin = data / "margin_loans.csv"
    drop_rows(margin, "2026-01-02,", "2026-01-05,")  # margin loans now end on Dec. 30
    return {
        "gap": (index, line_of(index, "2024-03-06,")),
        "holiday": (fx, line_of(fx, "2025-10-03,")),
        "stale": (margin, line_of(margin, "2025-12-30,")),
    }


def test_calendar_warnings_for_missing_day_holiday_row_and_stale_margin(content_copy, capsys):
    where = calendar_fixture(content_copy)

    code, lines = check(capsys, content_copy)

    assert code == 0, lines  # warnings do not fail a check
    path, line = where["gap"]
    assert (
        f"{path}:{line}: date: warning: 2 KRX trading days missing before this row for KOSDAQ, KOSPI: 2024-03-04 to 2024-03-05"
        in lines
    )
    path, line = where["holiday"]
    assert (
        f"{path}:{line}: date: warning: 2025-10-03 is not a KRX trading day (Korean National Foundation Day); this row is dated that day"
        in lines
    )
    path, line = where["stale"]
    stale = [x for x in lines if x.startswith(f"{path}:{line}: date: warning: ")]
    assert len(stale) == 1, lines
    assert "KOSDAQ, KOSPI, total is 2025-12-30, 4 trading days before the latest report day 2026-01-07" in stale[0]
    assert "usually at most 2 trading days behind" in stale[0]
    assert lines[-1].startswith("OK: ") and lines[-1].endswith("3 warnings.")
    assert len(lines) == 4  # a run of missing days is one line, not one per day or per index


def test_strict_turns_calendar_warnings_into_errors(content_copy, capsys):
    where = calendar_fixture(content_copy)

    code, lines = check(capsys, content_copy, "--strict")

    assert code == 1
    path, line = where["holiday"]
    assert (
        f"{path}:{line}: date: 2025-10-03 is not a KRX trading day (Korean National Foundation Day); this row is dated that day"
        in lines
    )
    assert not any("warning:" in x for x in lines[:-1])
    assert lines[-1].startswith("FAILED (--strict): 3 warnings")


def test_stale_margin_series_is_marked_in_the_snapshot_and_on_the_page(content_copy, tmp_path):
    from generator.analysis.history import analyse
    from generator.build import load_dataset
    from generator.render import Renderer
    from generator.report import reports
    from generator.site.reports import render_report
    from generator.snapshot import make_snapshots

    calendar_fixture(content_copy)
    data = load_dataset(content_copy)
    snaps = make_snapshots(data, analyse(data))
    assert snaps[dt.date(2026, 1, 7)]["stale"] == {"margin_loans": True}
    from generator.schemas import snapshot_errors

    assert snapshot_errors(snaps[dt.date(2026, 1, 7)]) == []  # the key is part of snapshot format v1
    assert snaps[dt.date(2026, 1, 5)]["stale"] == {}  # Dec. 30 is two trading days before Jan. 5 (Dec. 31 closed)
    assert snaps[dt.date(2026, 1, 6)]["stale"] == {"margin_loans": True}

    from generator.charts.catalogue import Catalogue

    report = next(r for r in reports(snaps, data.config) if r.day == dt.date(2026, 1, 7))
    html = render_report(
        Renderer(data.config, dt.datetime(2026, 1, 8, tzinfo=dt.UTC)), data, report, Catalogue(data, analyse(data))
    )
    leverage = html[html.index('id="leverage-h"') :]
    leverage = leverage[: leverage.index("</section>")]
    assert "Data as of" in leverage and "Dec. 30, 2025" in leverage and "later figures not yet published" in leverage
    assert html.count('class="note stale"') == 1


def test_data_on_another_calendar_still_builds(tmp_path, capsys):
    """Every weekday, Korean holidays included: warnings for the holiday rows, and the site builds."""
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    days = [dt.date(2025, 9, 29) + dt.timedelta(d) for d in range(21)]
    rows = ["date,index,open,high,low,close"]
    level = 3400.0
    for day in days:
        if day.weekday() < 5:
            rows.append(f"{day},KOSPI,{level:.2f},{level + 20:.2f},{level - 20:.2f},{level + 5:.2f}")
            level += 5
    (content / "data" / "index_daily.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    code, lines = check(capsys, content)
    assert code == 0
    closed = [x for x in lines if "is not a KRX trading day" in x]
    assert [re.search(r"warning: (\S+) is not", x).group(1) for x in closed] == [
        "2025-10-03",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
        "2025-10-09",
    ]
    assert "Chuseok" in closed[1]

    from generator.build import build

    result = build(content, tmp_path / "site")
    assert result.reports == 15
    assert (tmp_path / "site" / "reports" / "2025-10-03" / "index.html").is_file()


def test_many_holiday_dates_are_capped_per_file(tmp_path, capsys):
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    rows = ["date,index,open,high,low,close"]
    day = dt.date(2024, 1, 1)
    while day < dt.date(2024, 3, 31):  # every day, weekends too: about 26 weekend dates
        rows.append(f"{day},KOSPI,2500,2510,2490,2500")
        day += dt.timedelta(1)
    (content / "data" / "index_daily.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines = check(capsys, content)
    assert code == 0
    closed = [x for x in lines if "is not a KRX trading day" in x]
    assert len(closed) == 20
    assert any(re.search(r"index_daily\.csv: date: warning: warning for \d+ more dates not shown", x) for x in lines)


# --- the calendar arithmetic, against brute-force twins -------------------------------------


def _calendar(sessions: list[dt.date], extra: list[dt.date] = ()) -> TradingCalendar:
    s = np.array(sorted(sessions), dtype="datetime64[D]")
    days = np.union1d(s, np.array(list(extra), dtype="datetime64[D]"))
    return TradingCalendar(s, s[0] if len(s) else None, s[-1] if len(s) else None, None, days)


_BASE = dt.date(2025, 1, 1)
day_sets = st.sets(st.integers(0, 80), min_size=1, max_size=60).map(lambda xs: sorted(_BASE + dt.timedelta(x) for x in xs))


@settings(max_examples=200, deadline=None)
@given(sessions=day_sets, present=st.sets(st.integers(0, 80)))
def test_session_gaps_match_brute_force(sessions, present):
    s = np.array(sessions, dtype="datetime64[D]")
    dates = np.array(sorted(_BASE + dt.timedelta(x) for x in present), dtype="datetime64[D]")
    got = [list(range(a, b + 1)) for a, b in session_gaps(s, dates)]
    flat = [i for run in got for i in run]
    if len(dates):
        expect = [
            i for i, d in enumerate(sessions) if dates[0] <= np.datetime64(d) <= dates[-1] and np.datetime64(d) not in set(dates)
        ]
    else:
        expect = []
    assert flat == expect
    for a, b in zip(got, got[1:], strict=False):  # runs are maximal: never adjacent
        assert b[0] > a[-1] + 1


@given(st.lists(st.integers(0, 50), unique=True).map(sorted))
def test_runs_are_maximal_consecutive_stretches(xs):
    runs = _runs(np.array(xs, dtype=int))
    assert [x for a, b in runs for x in range(a, b + 1)] == xs
    assert all(runs[i + 1][0] > runs[i][1] + 1 for i in range(len(runs) - 1))


@given(sessions=day_sets, a=st.integers(0, 80), b=st.integers(0, 80))
def test_lag_counts_trading_days_after_as_of_up_to_the_day(sessions, a, b):
    cal = _calendar(sessions)
    as_of, day = _BASE + dt.timedelta(a), _BASE + dt.timedelta(b)
    brute = sum(1 for s in sessions if as_of < s <= day) - sum(1 for s in sessions if day < s <= as_of)
    assert cal.lag(as_of.isoformat(), day.isoformat()) == brute


def test_lag_uses_krx_sessions_and_the_reports_own_days(content_copy):
    from generator.build import load_dataset

    cal = dataset_calendar(load_dataset(content_copy))
    assert cal.lag("2025-12-30", "2026-01-02") == 1  # Dec. 31 and Jan. 1 closed
    assert cal.lag("2025-10-02", "2025-10-10") == 1  # Chuseok week
    assert cal.lag("2026-01-07", "2026-01-07") == 0
    assert cal.closed_reason(np.datetime64("2025-10-04")) == "a Saturday"


def test_stale_sections_use_the_freshest_entry_and_the_usual_lag():
    sessions = [dt.date(2026, 1, d) for d in (2, 5, 6, 7, 8)]
    cal = _calendar(sessions)
    snap = {
        "date": "2026-01-08",
        "margin_loans": {"KOSPI": {"as_of": "2026-01-05"}, "total": {"as_of": "2026-01-06"}},
        "stock_lending": {"005930": {"as_of": "2026-01-02"}},
        "flows": {"KOSPI": {"foreigners": {"won": 1, "as_of": "2026-01-07"}}},
        "stocks": {"005930": {"as_of": "2026-01-08"}},
        "fx": {"usdkrw": 1400, "as_of": "2026-01-08"},
    }
    assert section_as_of(snap, "margin_loans") == "2026-01-06"
    assert section_as_of(snap, "flows") == "2026-01-07"
    assert stale_sections(snap, cal) == {"flows": True, "stock_lending": True}
    snap["fx"] = None
    snap["stocks"] = {}
    assert stale_sections(snap, cal) == {"flows": True, "stock_lending": True}


def test_help_names_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "--strict" in text and "exit codes" in text
