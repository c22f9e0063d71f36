"""Plain view objects for the indicator and stock pages: figures, tables and record books.

The page families decide what to show; ``templates/partials/table.html`` and
``partials/figures.html`` decide how. Links are site paths (``reports/2026-01-07/``) that the
templates pass through ``url()``, so pages keep working under a sub-path and from disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from generator.charts.words import ChartWords, words
from generator.site.record_book import Record, report_on_or_after

#: The words of the English edition, the default of the helpers below.
ENGLISH = words("en")


@dataclass(frozen=True)
class Cell:
    """One table cell. ``header`` cells are row headers (``<th scope="row">``)."""

    text: str
    href: str | None = None
    num: bool = False
    cls: str = ""
    header: bool = False
    ko: str | None = None  # a Korean rendering shown after the text, marked lang="ko"
    badge: str | None = None
    datetime: str | None = None  # wraps the text in <time datetime=...>
    claim: Claim | None = None  # the snapshot field the badge states (checked by the site audit)


@dataclass(frozen=True)
class Claim:
    """What a badge or an arrow says, as the snapshot field that says it: ``path`` into the
    snapshot of ``day`` ("margin_loans.total.record"), true, or with a sign test appended
    ("indices.KOSPI.change>0"). Pages write it as ``data-claim`` and ``data-claim-day`` so that
    tests/test_audit.py can check every badge of a built site against the JSON of its day."""

    path: str
    day: str


@dataclass(frozen=True)
class Column:
    label: str
    num: bool = False


#: Tables with more rows than this scroll inside their own box.
TALL_ROWS = 15


@dataclass(frozen=True)
class DataTable:
    """A data table with a caption; ``collapsed`` tables sit in a closed <details>."""

    id: str
    caption: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    collapsed: bool = False
    summary: str = ""  # the <details> label when collapsed
    note: str = ""

    @property
    def tall(self) -> bool:
        """Long tables scroll inside a box of their own, so the page stays short."""
        return len(self.rows) > TALL_ROWS


@dataclass(frozen=True)
class Figure:
    """A headline number: label, value, and a small note (its date, a record badge)."""

    label: str
    value: str
    note: str = ""
    cls: str = ""
    ko: str | None = None
    badge: str | None = None
    main: bool = False
    claim: Claim | None = None  # the snapshot field the badge states (checked by the site audit)
    badge_text: str = ""  # the badge's words in the edition's language ("사상 최고"); ``badge`` where empty


@dataclass
class Section:
    """A titled part of a page: a paragraph, tables and the charts that belong to it."""

    id: str
    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[DataTable] = field(default_factory=list)
    charts: list = field(default_factory=list)


def direction(value: float | None) -> str:
    """The CSS class of a change: up, down or flat."""
    if not value:
        return "flat"
    return "up" if value > 0 else "down"


def day_cell(
    day: dt.date | None, report_days: Sequence[dt.date], *, header: bool = False, empty: str = "–", w: ChartWords = ENGLISH
) -> Cell:
    """A date linked to the first report that showed a figure dated that day, in the edition's
    words ("Jan. 7, 2026"; "2026년 1월 7일")."""
    if day is None:
        return Cell(empty, header=header)
    target = report_on_or_after(report_days, day)
    href = f"reports/{target.isoformat()}/" if target else None
    return Cell(w.date(day), href=href, header=header, datetime=day.isoformat())


def distinct(show: Callable[[float], str], value: float, previous: float | None, w: ChartWords = ENGLISH) -> tuple[str, str]:
    """A record and the record it beat, as text that tells them apart.

    A record is strictly above the one before it (generator/analysis/records.py: a tie is not a
    record), but rounded for reading two records can look the same ("27.53 trillion won" twice);
    then both are written out to the won, so a reader never sees a record "beat" its equal."""
    if previous is None:
        return show(value), "–"
    a, b = show(value), show(previous)
    if a == b:
        money = "won" in a or "원" in a
        a, b = (w.whole_won(value), w.whole_won(previous)) if money else (f"{value:,.4f}", f"{previous:,.4f}")
    return a, b


def record_table(
    id: str,
    caption: str,
    book: list[Record],
    show: Callable[[float], str],
    report_days: Sequence[dt.date],
    last_day: dt.date,
    *,
    collapsed: bool = False,
    summary: str = "",
    ko: Callable[[float], str] | None = None,
    w: ChartWords = ENGLISH,
) -> DataTable:
    """Every record of ``book``, newest first: value, date set, the record it beat, when it fell.
    ``caption`` is already in the edition's language; ``ko`` adds a Korean rendering of each
    value beside it (the English edition's won amounts in 조/억)."""
    rows = []
    for r in reversed(book):
        value, previous = distinct(show, r.value, r.previous, w)
        rows.append(
            [
                day_cell(r.day, report_days, header=True, w=w),
                Cell(value, num=True, ko=ko(r.value) if ko else None),
                Cell(previous, num=True),
                day_cell(r.fell_on, report_days, w=w) if r.fell_on else Cell(w._("Still stands")),
                Cell(show(r.fell_to) if r.fell_to is not None else "–", num=True),
                Cell(f"{r.stood_days(last_day):,}", num=True),
            ]
        )
    columns = [
        Column(w._("Set on")),
        Column(w._("Record"), num=True),
        Column(w._("Previous record"), num=True),
        Column(w._("Beaten on")),
        Column(w._("Beaten by"), num=True),
        Column(w._("Days standing"), num=True),
    ]
    count = w.ngettext("{n} record", "{n} records", len(book)).format(n=f"{len(book):,}")
    return DataTable(
        id=id,
        caption=w._("{caption}: {count}, newest first").format(caption=caption, count=count),
        columns=columns,
        rows=rows,
        collapsed=collapsed,
        summary=summary or f"{caption} ({count})",
        note="" if book else w._("No records yet: the data has nothing earlier to beat."),
    )


def report_title(data, report) -> str:
    """A report's title: its editor's note's title, else the headline written from its facts."""
    note = data.commentary.get(report.day)
    if note and note.title:
        return note.title
    return report.headline
