"""The story engine on the built site: every "since" a lede tells is a fact in the day's JSON,
events lead their day, the glossary answers the ledes' links, and events.csv is checked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import pytest

from generator.build import load_dataset
from generator.errors import ContentError

_MONTHS = {"Jan.": 1, "Feb.": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "Aug.": 8, "Sept.": 9,
           "Oct.": 10, "Nov.": 11, "Dec.": 12}
_MONTH_NAMES = {dt.date(2000, m, 1).strftime("%B"): m for m in range(1, 13)}
SINCE_DAY = re.compile(r"(?<!in force )since (Jan\.|Feb\.|March|April|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.) (\d{1,2})(?:, (\d{4}))?")
SINCE_AT_LEAST = re.compile(r"since at least ([A-Z][a-z]+) (\d{4})")


def _lede(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<p class="lede"[^>]*>(.*?)</p>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def test_every_since_in_a_lede_is_a_fact_of_that_day(sample_site: Path) -> None:
    """"Its steepest fall since Aug. 5, 2024" must be a fact whose ``since`` is 2024-08-05 in the
    JSON of the day; "since at least June 2023" a fact with nothing earlier in data that begins then."""
    checked = 0
    for page in sorted((sample_site / "reports").glob("*/index.html")):
        day = dt.date.fromisoformat(page.parent.name)
        lede = _lede(page)
        snap = json.loads((sample_site / "data" / "snapshots" / f"{day}.json").read_text(encoding="utf-8"))
        sinces = {f.get("since") for f in snap["facts"]}
        begins = {(f.get("data_begins") or "")[:7] for f in snap["facts"] if "since" in f and f["since"] is None}
        for month, number, year in SINCE_DAY.findall(lede):
            when = dt.date(int(year) if year else day.year, _MONTHS[month], int(number)).isoformat()
            assert when in sinces, f"{day}: the lede says since {when}, which no fact of the day says: {lede}"
            checked += 1
        for month, year in SINCE_AT_LEAST.findall(lede):
            assert f"{year}-{_MONTH_NAMES[month]:02d}" in begins, f"{day}: since at least {month} {year}: {lede}"
            checked += 1
    assert checked > 50  # the sample's ledes do put their moves in context


def test_an_event_leads_its_day(sample_site: Path) -> None:
    page = sample_site / "reports" / "2024-08-05" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Sidecar curbs program trading as KOSPI plunges 5.7%</h1>", html)
    assert _lede(page).startswith("The exchange suspended program selling on the KOSPI for five minutes")
    snap = json.loads((sample_site / "data" / "snapshots" / "2024-08-05.json").read_text(encoding="utf-8"))
    assert snap["facts"][0]["kind"] == "event" and snap["facts"][0]["values"]["kind"] == "sidecar"


def test_the_glossary_answers_every_term_a_lede_links(sample_site: Path) -> None:
    glossary = (sample_site / "glossary" / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<dt id="([a-z-]+)">', glossary))
    assert {"margin-loans", "stock-lending", "correction"} <= anchors
    linked = set()
    for page in (sample_site / "reports").glob("*/index.html"):
        lede = re.search(r'<p class="lede"[^>]*>(.*?)</p>', page.read_text(encoding="utf-8"), re.S)
        linked |= set(re.findall(r'class="term-link" href="[^"#]*glossary/(?:index\.html)?#([a-z-]+)"', lede.group(1) if lede else ""))
    assert linked and linked <= anchors


def test_a_term_explained_in_a_lede_is_not_explained_again_that_week(sample_site: Path) -> None:
    days = sorted(dt.date.fromisoformat(p.parent.name) for p in (sample_site / "reports").glob("*/index.html"))
    explained = [d for d in days if "money investors borrow to buy shares" in _lede(sample_site / "reports" / str(d) / "index.html")]
    assert len(explained) > 3
    assert all((b - a).days >= 7 for a, b in zip(explained, explained[1:], strict=False))


def _events(content: Path, text: str) -> None:
    (content / "data" / "events.csv").write_text(text, encoding="utf-8")


def test_an_event_of_an_unknown_kind_is_refused_with_its_line(content_copy: Path) -> None:
    _events(content_copy, "date,kind,text\n2026-01-07,earthquake,The ground shook.\n")
    with pytest.raises(ContentError) as caught:
        load_dataset(content_copy)
    problem = next(p for p in caught.value.problems if p.path.endswith("events.csv"))
    assert (problem.line, problem.column) == (2, "kind")
    assert "sidecar" in problem.message and "circuit_breaker" in problem.message


def test_an_event_on_a_day_without_a_report_is_refused(content_copy: Path) -> None:
    _events(content_copy, "date,kind,text\n2026-01-07,halt,Trading stopped.\n2026-01-03,halt,A Saturday.\n")
    with pytest.raises(ContentError) as caught:
        load_dataset(content_copy)
    [problem] = [p for p in caught.value.problems if p.path.endswith("events.csv")]
    assert (problem.line, problem.column) == (3, "date")
    assert "2026-01-03" in problem.message and "no KOSPI row" in problem.message


def test_an_event_file_with_only_its_header_is_no_event(content_copy: Path) -> None:
    _events(content_copy, "date,kind,text\n")
    assert load_dataset(content_copy).events.empty


def test_new_wording_of_the_same_figures_is_not_a_revision() -> None:
    """A new release of the story engine rescoring a day's facts does not mark the day revised;
    a changed figure does, and the note lists the figure, not the facts."""
    from generator.revisions import compare

    old = {"schema": "kospi-report/snapshot/1", "indices": {"KOSPI": {"close": 4551.06}},
           "facts": [{"kind": "index_streak", "subject": "KOSDAQ", "score": 12.0, "values": {}}]}
    reworded = old | {"facts": [{"kind": "index_streak", "subject": "KOSDAQ", "score": 6.0, "values": {}}]}
    assert compare(old, reworded) == []
    corrected = reworded | {"indices": {"KOSPI": {"close": 4551.6}}}
    assert [c.field for c in compare(old, corrected)] == ["indices.KOSPI.close"]
