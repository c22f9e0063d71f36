"""The archive ``/archive/``: every report on a calendar, by year and month.

Each month is a table (caption = the month) with a column per weekday, Monday to Friday;
a day with a report links to it, a day with an editor's note is marked, and a weekday
without a report (a holiday, or outside the data) is an empty cell. Saturday and Sunday
columns appear only in a month that has a report on a weekend, so no report is ever missing.
Month names, weekdays and the screen-reader labels of the days are in the edition's words
("January 2026", "Mon"; "2026년 1월", "월").
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from generator import formatting as fmt
from generator import formatting_ko as fmt_ko
from generator.charts.words import ChartWords, words
from generator.i18n_strings import N_
from generator.report import Report
from generator.site.context import SiteContext, Written
from generator.write import Staging

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
#: The columns' headings (the template translates both).
SHORT_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


@dataclass(frozen=True)
class Day:
    """One calendar cell: a date of the month, and its report if there is one.

    ``in_range`` is False before the first report and after the last one: no report there
    says nothing about the market, while a weekday without a report inside the range was a
    day the market was closed.
    """

    date: dt.date
    report: Report | None = None
    note: bool = False
    in_range: bool = True


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weekdays: tuple[int, ...]  # column order: 0 = Monday
    weeks: list[list[Day | None]]  # None: a date of another month
    reports: int
    notes: int

    @property
    def name(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def id(self) -> str:
        return f"m{self.year}-{self.month:02d}"

    @property
    def headers(self) -> list[tuple[str, str]]:
        """(short, full) weekday names of the columns, in English (the catalogue's msgids)."""
        return [(SHORT_WEEKDAYS[d], WEEKDAYS[d]) for d in self.weekdays]


def day_label(day: dt.date, w: ChartWords) -> tuple[str, str]:
    """What a screen reader hears before and after a calendar cell's day number:
    ("Wednesday, Jan. ", ", 2026") around 7; ("2026년 1월 ", "일(수)") in Korean."""
    if w.korean:
        return f"{day.year}년 {day.month}월 ", f"일({fmt_ko.weekday(day)})"
    return f"{WEEKDAYS[day.weekday()]}, {fmt.ap_month(day)} ", f", {day.year}"


def month_grid(year: int, month: int, reports: dict[dt.date, Report], notes: Iterable[dt.date] = ()) -> Month:
    """The calendar of one month: weeks as rows, weekdays as columns (Monday first)."""
    notes = set(notes)
    first, last = (min(reports), max(reports)) if reports else (None, None)
    mine = [d for d in reports if d.year == year and d.month == month]
    weekdays = tuple(range(7)) if any(d.weekday() >= 5 for d in mine) else tuple(range(5))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row: list[Day | None] = []
        for d in (week[i] for i in weekdays):
            if d.month != month:
                row.append(None)
                continue
            in_range = first is not None and last is not None and first <= d <= last
            row.append(Day(d, reports.get(d), d in notes and d in reports, in_range))
        if any(cell is not None for cell in row):
            weeks.append(row)
    return Month(year, month, weekdays, weeks, len(mine), sum(1 for d in mine if d in notes))


def calendar_years(all_reports: list[Report], notes: Iterable[dt.date]) -> list[tuple[int, list[Month]]]:
    """Every month that has a report, grouped by year; newest year and month first."""
    by_day = {r.day: r for r in all_reports}
    notes = set(notes)
    months = sorted({(d.year, d.month) for d in by_day}, reverse=True)
    years: list[tuple[int, list[Month]]] = []
    for year, month in months:
        if not years or years[-1][0] != year:
            years.append((year, []))
        years[-1][1].append(month_grid(year, month, by_day, notes))
    return years


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    years = calendar_years(ctx.reports, ctx.data.commentary)
    w = words(ctx.renderer.edition.lang)
    html = ctx.renderer.render(
        "archive.html",
        "archive/index.html",
        years=years,
        total=len(ctx.reports),
        notes=sum(1 for r in ctx.reports if r.day in ctx.data.commentary),
        first=ctx.reports[0].day if ctx.reports else None,
        last=ctx.reports[-1].day if ctx.reports else None,
        headline_index=ctx.data.config.headline_index,
        month_name=lambda m: w.month_year(dt.date(m.year, m.month, 1)),
        day_label=lambda day: day_label(day, w),
        title="Archive",
        section="archive",
        description=N_("Every daily report on a calendar, by year and month."),
    )
    staging.add("archive/index.html", html)
