"""House style (docs/style.md) swept over every word the story engine writes for a long history.

A reader who meets "0.57 percent" in one lede and "0.57 %" in the next, "978.0 billion" beside
"978 billion", or "December 17" beside "Dec. 17" stops trusting the page. These tests read the
headline, lede and section sentences of every day of the sample and of a generated 20-year
history, and the visible text of every built sample report, for mixed forms.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.analysis.history import analyse
from generator.build import load_dataset
from generator.snapshot import make_snapshots
from generator.story import stories
from tests.conftest import CONTENT
from tests.golden.notable import long_history

#: Months AP abbreviates before a day; the others are spelled out.
FULL_BEFORE_DAY = re.compile(r"\b(January|February|August|September|October|November|December) \d{1,2}\b")
WRONG_ABBREVIATION = re.compile(r"\b(Sep|Mar|Apr|Jun|Jul)\. ")
PERCENT_WORD = re.compile(r"(\d[\d,]*(?:\.\d+)?) percent")
PERCENT_SIGN = re.compile(r"(\d[\d,]*(?:\.\d+)?) ?%")
ZERO_WON = re.compile(r"\b\d+\.0 (?:million|billion|trillion) won")
PRESENT_MOVES = re.compile(r"\b(rises|falls|closes|jumps|plunges|soars|tumbles|edges|hits|tops)\b")


def _texts(content: Path) -> list[tuple[str, str, str]]:
    """(day, where, text) for every headline, lede and section sentence."""
    data = load_dataset(content)
    written = stories(make_snapshots(data, analyse(data)), data.config)
    out = []
    for day, story in written.items():
        out.append((day.isoformat(), "headline", story.headline))
        out += [(day.isoformat(), "lede", s) for s in story.lede]
        out += [(day.isoformat(), f"section {g}", s) for g, sentences in story.sections.items() for s in sentences]
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    return _texts(CONTENT) + _texts(long_history(tmp_path_factory.mktemp("style")))


def _problems(day: str, where: str, text: str) -> list[str]:
    out = []
    prose = where != "headline"
    if FULL_BEFORE_DAY.search(text) or WRONG_ABBREVIATION.search(text):
        out.append("a date not in AP style")
    if ZERO_WON.search(text):
        out.append("an amount with a trailing .0")
    if "  " in text or " ," in text or ".." in text or " ." in text:
        out.append("stray spacing or punctuation")
    if prose:
        if PERCENT_SIGN.search(text):
            out.append('"%" in a sentence (prose says "percent")')
        for number in PERCENT_WORD.findall(text):
            if "." in number and not re.fullmatch(r"[\d,]+\.\d\d", number):
                out.append(f"{number} percent is not two decimals")
            if re.fullmatch(r"0(\.0+)?", number):
                out.append("a zero percent move (it is 'little changed')")
        if PRESENT_MOVES.search(text):
            out.append("present tense in a sentence about the day")
        if not text.endswith((".", "!", "?")) or not text[0].isupper():
            out.append("not a sentence")
    else:
        if "percent" in text:
            out.append('"percent" in a headline (headlines say "%")')
        for number in PERCENT_SIGN.findall(text):
            if not re.fullmatch(r"[\d,]+\.\d", number):
                out.append(f"{number}% is not one decimal")
            if re.fullmatch(r"0\.0", number):
                out.append("a 0.0% move in a headline")
        if "report for" in text:
            out.append("a generic headline")
        if text.endswith("."):
            out.append("a headline with a full stop")
    return [f"{day} {where}: {p}: {text}" for p in out]


@pytest.mark.slow
def test_every_word_the_engine_writes_is_in_house_style(written: list[tuple[str, str, str]]) -> None:
    problems = [p for day, where, text in written for p in _problems(day, where, text)]
    assert not problems, f"{len(problems)} problems, the first: {problems[:5]}"


@pytest.mark.slow
def test_the_sweep_catches_mixed_forms() -> None:
    """The sweep's own rules fire on each form it must refuse (so a green run means something)."""
    bad = [
        ("lede", "The KOSPI rose 0.57 % on Wednesday."),
        ("lede", "Foreigners bought a net 978.0 billion won of shares."),
        ("lede", "The record was set on December 17."),
        ("lede", "The KOSPI rose 0.5 percent."),
        ("lede", "The KOSPI rose 0.00 percent."),
        ("lede", "The KOSPI rises 0.57 percent."),
        ("headline", "KOSPI rises 0.57 percent"),
        ("headline", "KOSPI rises 0.0%"),
        ("headline", "KOSPI report for Jan. 7, 2026"),
    ]
    for where, text in bad:
        assert _problems("2026-01-07", where, text), text
    assert not _problems("2026-01-07", "lede", "The KOSPI closed up 25.58 points, or 0.57 percent, at a record 4,551.06 on Wednesday.")


def test_no_report_of_the_sample_has_a_generic_headline(sample_site: Path) -> None:
    titles = []
    for page in sorted((sample_site / "reports").glob("*/index.html")):
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
        assert h1, page
        titles.append(h1.group(1))
    assert len(titles) > 600
    assert not [t for t in titles if "report for" in t]
    # Headlines say what happened, so they differ; a plain day's shape ("KOSPI rises 0.4% as
    # Hanwha Aerospace hits record") may recur on a few days, not on dozens.
    assert len(set(titles)) > len(titles) * 0.85
    assert max(titles.count(t) for t in set(titles)) <= 8


def test_visible_dates_on_report_pages_are_ap_style(sample_site: Path) -> None:
    for page in sorted((sample_site / "reports").glob("2025-1*/index.html")) + [sample_site / "index.html"]:
        html = page.read_text(encoding="utf-8")
        visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
        found = FULL_BEFORE_DAY.search(visible)
        assert not found, f"{page.relative_to(sample_site)}: {visible[max(0, found.start() - 60): found.end() + 20]!r}"


def test_dates_in_headlines_follow_the_report_day() -> None:
    """A month alone is spelled out, with its year unless it is the report's year."""
    from generator import formatting as fmt

    assert fmt.month_year(dt.date(2024, 2, 8), dt.date(2024, 8, 6)) == "February"
    assert fmt.month_year(dt.date(2023, 6, 1), dt.date(2024, 8, 6)) == "June 2023"
    assert fmt.long_date(dt.date(2026, 1, 7)) == "Wednesday, Jan. 7, 2026"


def _tables(html: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each table of a page: its column headers and its rows of cell text (tags removed)."""
    strip = lambda cell: re.sub(r"<[^>]+>", "", cell).strip()  # noqa: E731
    found = []
    for table in re.findall(r"<table\b.*?</table>", html, re.S):
        head = [strip(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)]
        rows = [[strip(c) for c in re.findall(r"<td\b[^>]*>(.*?)</td>", row, re.S)] for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        found.append((head, [r for r in rows if r]))
    return found


def test_every_table_on_the_site_writes_figures_in_house_style(sample_site: Path) -> None:
    """A table cell reads like the prose beside it: a true minus (never a hyphen before a
    figure), a change in percent always signed and to two decimals, a month as a month."""
    problems = []
    for page in sorted(sample_site.rglob("index.html")):
        for head, rows in _tables(page.read_text(encoding="utf-8")):
            for row in rows:
                for k, cell in enumerate(row):
                    column = head[k] if k < len(head) and len(head) == len(row) else ""
                    if re.search(r"(?<![\w.])-\d", cell):
                        problems.append(f"{page.relative_to(sample_site)}: {column!r} {cell!r} has a hyphen for a minus")
                    if column.endswith("(%)") and cell and not re.fullmatch(r"[+−]\d[\d,]*\.\d\d|0\.00", cell):
                        problems.append(f"{page.relative_to(sample_site)}: {column!r} {cell!r} is not a signed change in percent")
                    if column == "Month" and not re.fullmatch(r"[A-Z][a-z]+ \d{4}", cell):
                        problems.append(f"{page.relative_to(sample_site)}: {column!r} {cell!r} is not a month")
    assert not problems, "\n".join(sorted(set(problems))[:20])
