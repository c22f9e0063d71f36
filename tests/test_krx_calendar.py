"""The KRX calendar ``check`` compares the data with: closures the calendar library does not know
(the 3 June 2026 local elections), Saturday sessions before December 1998, the editor's
``content/calendar.csv`` and the suspension days an import skipped -- never a warning about a day
the exchange did not open, and a summary that counts what it does not print."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from generator.calendar_checks import krx_sessions
from generator.cli import main
from generator.krx_calendar import SHIPPED, shipped


def check(capsys, content: Path, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(content), *extra])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def index_content(tmp_path: Path, days: list[dt.date], extra_files: dict[str, str] | None = None) -> Path:
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    rows = ["date,index,open,high,low,close"] + [f"{d},KOSPI,700,710,690,705" for d in days]
    (content / "data" / "index_daily.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for name, text in (extra_files or {}).items():
        (content / name).write_text(text, encoding="utf-8")
    return content


def weekdays(first: dt.date, last: dt.date, skip: tuple[dt.date, ...] = ()) -> list[dt.date]:
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in skip]


def test_the_shipped_list_is_dated_and_sourced_and_every_closure_is_closed():
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["date"] and r["status"] and r["name"] and r["source"] for r in rows)
    closed = [dt.date.fromisoformat(r["date"]) for r in rows if r["status"] == "closed"]
    assert dt.date(2026, 6, 3) in closed
    sessions = krx_sessions(min(closed), max(closed))
    assert not np.isin(np.array(closed, dtype="datetime64[D]"), sessions).any()


def test_saturdays_were_sessions_until_december_1998():
    sessions = krx_sessions(dt.date(1997, 11, 1), dt.date(1998, 12, 31))
    assert np.datetime64("1997-11-29") in sessions  # a Saturday
    assert np.datetime64("1998-12-05") in sessions  # the last Saturday session
    assert np.datetime64("1998-12-12") not in sessions
    assert np.datetime64("1998-06-04") not in sessions  # local elections, a Thursday
    saturdays = [s for s in sessions if s.astype(dt.date).weekday() == 5]
    assert max(saturdays) == np.datetime64("1998-12-05")
    assert np.datetime64("1998-08-15") not in sessions  # Liberation Day fell on a Saturday
    assert shipped().saturdays


def test_no_warning_for_the_2026_local_elections_and_one_for_a_row_dated_that_day(tmp_path, capsys):
    days = weekdays(dt.date(2026, 5, 26), dt.date(2026, 6, 10), skip=(dt.date(2026, 6, 3),))
    code, lines = check(capsys, index_content(tmp_path, days))
    assert code == 0 and lines[-1].endswith("no warnings."), lines

    code, lines = check(capsys, index_content(tmp_path / "b", sorted([*days, dt.date(2026, 6, 3)])))
    assert any("2026-06-03 is not a KRX trading day (9th nationwide local elections)" in x for x in lines), lines


def test_a_1997_saturday_row_is_no_warning_and_a_weekday_only_series_is_not_short(tmp_path, capsys):
    weekday_only = weekdays(dt.date(1997, 11, 3), dt.date(1997, 12, 12))
    code, lines = check(capsys, index_content(tmp_path, weekday_only))
    assert code == 0 and lines[-1].endswith("no warnings."), lines

    with_saturday = sorted([*weekday_only, dt.date(1997, 11, 29)])
    code, lines = check(capsys, index_content(tmp_path / "b", with_saturday))
    assert not any("1997-11-29" in x and "not a KRX trading day" in x for x in lines), lines
    # a series that does keep Saturdays is told about the ones it lacks
    assert any("KRX trading day missing before this row" in x and "1997-11-08" in x for x in lines), lines


def test_the_editor_overrides_a_day_and_a_bad_override_is_an_error(tmp_path, capsys):
    days = weekdays(dt.date(2025, 3, 10), dt.date(2025, 3, 21), skip=(dt.date(2025, 3, 14),))
    code, lines = check(capsys, index_content(tmp_path, days))
    assert any("1 KRX trading day missing before this row for KOSPI: 2025-03-14" in x for x in lines), lines

    fixed = index_content(tmp_path / "b", days, {"calendar.csv": "date,status,series,note\n2025-03-14,closed,,power cut\n"})
    code, lines = check(capsys, fixed)
    assert code == 0 and lines[-1].endswith("no warnings."), lines

    bad = index_content(tmp_path / "c", days, {"calendar.csv": "date,status,series,note\n2025-03-14,shut,,\n2025-13-01,closed,,\n"})
    code, lines = check(capsys, bad)
    assert code == 1
    assert f"{bad / 'calendar.csv'}:2: status: 'shut' is not a known value, expected one of closed, open, no_trades" in lines
    assert f"{bad / 'calendar.csv'}:3: date: '2025-13-01' is not a date, expected YYYY-MM-DD" in lines


def test_suspension_days_the_importer_skipped_are_not_warned_about_again(tmp_path, capsys):
    fixture = Path(__file__).parent / "fixtures" / "krx" / "data_0412_20180510.csv"
    content = index_content(tmp_path, weekdays(dt.date(2018, 4, 23), dt.date(2018, 5, 11), skip=(dt.date(2018, 5, 1),)))
    (content / "data" / "stocks.csv").write_text("ticker,name\n005930,Samsung Electronics\n", encoding="utf-8")
    assert main(["import", "krx", str(fixture), "--ticker", "005930", "--content", str(content)]) == 0
    capsys.readouterr()
    code, lines = check(capsys, content)
    assert not any("missing before this row for 005930" in x for x in lines), lines


@pytest.mark.parametrize("strict", [False, True])
def test_the_summary_counts_every_warning_it_stands_for(tmp_path, capsys, strict):
    day, days = dt.date(2024, 1, 1), []
    while day < dt.date(2024, 3, 31):  # every day, weekends too
        days.append(day)
        day += dt.timedelta(1)
    code, lines = check(capsys, index_content(tmp_path, days), *(["--strict"] if strict else []))
    shown = [x for x in lines if ": warning: " in x or ": date: " in x]
    more = sum(int(m.group(1)) for x in shown if (m := re.search(r"warning for (\d+) more", x)))
    printed = sum(1 for x in shown if "more dates not shown" not in x)
    counted = int(re.search(r"(\d+) warnings", lines[-1]).group(1))
    assert more > 0 and counted == printed + more
