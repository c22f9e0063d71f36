"""A consistency audit of whole built sites: every badge, arrow and "as of" date a reader sees is
checked against the snapshot JSON of its day, and every chart's title against the rows it draws.

Pages name the snapshot field behind each badge and arrow (``data-claim`` and
``data-claim-day``, see generator.site.views.Claim), so the audit needs no knowledge of the
page layout: it reads every claim of every page and evaluates it against
``data/snapshots/<day>.json``. A badge without a claim fails the audit too, so a new badge
cannot skip it.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import re
from pathlib import Path

import pytest

CLAIM = re.compile(r"^(?P<path>[^<>=]+?)(?:(?P<op>==|>|<)(?P<rhs>.*))?$")
WINDOW = re.compile(r", (\d+) (trading days|months?|years?)$")
SINCE = re.compile(r"since (?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d+, )?([A-Z][a-z]+ )?(\d{4})")


class _Claims(html.parser.HTMLParser):
    """Collects every element with a claim, every record badge and every arrow of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.claims: list[dict[str, str]] = []
        self.unclaimed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if "data-claim" in a:
            self.claims.append({"tag": tag, **a})
        elif ("badge" in classes and "record" in classes) or "arrow" in classes:
            self.unclaimed.append(f"<{tag} class={a.get('class')!r}>")


def _resolve(snap: dict, path: str) -> object:
    node: object = snap
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def _check(claim: dict[str, str], snapshots: Path) -> str | None:
    """None when the claim holds; else what is wrong."""
    m = CLAIM.match(claim["data-claim"])
    if not m:
        return f"unreadable claim {claim['data-claim']!r}"
    day = claim.get("data-claim-day", "")
    file = snapshots / f"{day}.json"
    if not file.is_file():
        return f"{claim['data-claim']}: no snapshot for {day!r}"
    snap = json.loads(file.read_text(encoding="utf-8"))
    try:
        value = _resolve(snap, m["path"])
    except KeyError:
        return f"{claim['data-claim']}: the snapshot of {day} has no such field"
    op, rhs = m["op"], m["rhs"]
    if op is None:
        return None if value is True else f"{m['path']} is {value!r} on {day}, but the page shows it as true"
    if op == "==":
        if rhs == "0":
            ok = isinstance(value, int | float) and value == 0
        else:
            ok = str(value) == rhs
            if claim["tag"] == "time" and claim.get("datetime") != rhs:
                return f"{claim['data-claim']}: the page shows {claim.get('datetime')!r}"
        return None if ok else f"{m['path']} is {value!r} on {day}, the page says {rhs}"
    if not isinstance(value, int | float):
        return f"{m['path']} is {value!r} on {day}, the page shows an arrow"
    ok = value > 0 if op == ">" else value < 0
    return None if ok else f"{m['path']} is {value!r} on {day}, the page shows it {op} 0"


def audit_claims(site: Path) -> tuple[int, list[str]]:
    """(claims checked, problems) over every HTML page of a built site."""
    snapshots = site / "data" / "snapshots"
    problems: list[str] = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        parser = _Claims()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        problems += [f"{rel}: {tag} states something without naming its snapshot field" for tag in parser.unclaimed]
        for claim in parser.claims:
            checked += 1
            problem = _check(claim, snapshots)
            if problem:
                problems.append(f"{rel}: {problem}")
    return checked, problems


class _Figures(html.parser.HTMLParser):
    """Each chart of a page: its caption and the id of its spec."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, str]] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "figure" and "chart" in a.get("class", "").split():
            self.charts.append({"id": a.get("id", "").removeprefix("chart-"), "caption": ""})
        elif tag == "figcaption" and self.charts:
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.charts[-1]["caption"] += data


def _rows(csv_file: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))


def _window_problem(caption: str, rows: list[dict[str, str]]) -> str | None:
    """A title's window ("20 trading days", "5 years", "since June 2023") against the rows."""
    caption = caption.strip()
    dates = sorted({r.get("date") or r.get("as_of") or "" for r in rows} - {""})
    if not dates:
        return None
    first, last = dt.date.fromisoformat(dates[0]), dt.date.fromisoformat(dates[-1])
    m = WINDOW.search(caption)
    if m:
        n, unit = int(m[1]), m[2]
        if unit == "trading days" and len(dates) != n:
            return f"{caption!r} draws {len(dates)} trading days"
        if unit.startswith("month") and len(dates) < n * 21:
            return f"{caption!r} draws {len(dates)} trading days"
        if unit.startswith("year") and (last - first).days < n * 365 - 10:
            return f"{caption!r} draws {(last - first).days} days from {first} to {last}"
        return None
    m = SINCE.search(caption)
    if m and "since the data begin" not in caption:
        month = m[1].strip() if m[1] else None
        if int(m[2]) != first.year or (month and month != first.strftime("%B")):
            return f"{caption!r} but the rows begin on {first}"
    return None


def audit_charts(site: Path) -> tuple[int, list[str]]:
    """(charts checked, problems): every chart's window label against its CSV, and the index
    charts' "record high before this day" against that day's snapshot."""
    snapshots = site / "data" / "snapshots"
    problems: list[str] = []
    checked = 0
    cache: dict[str, dict | None] = {}

    def snapshot(day: str) -> dict | None:
        if day not in cache:
            file = snapshots / f"{day}.json"
            cache[day] = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else None
        return cache[day]

    for page in sorted(site.rglob("index.html")):
        parser = _Figures()
        parser.feed(page.read_text(encoding="utf-8"))
        for chart in parser.charts:
            csv_file = page.parent / f"{chart['id']}.csv"
            if not csv_file.is_file():
                problems.append(f"{page.relative_to(site)}: chart {chart['id']} has no CSV")
                continue
            rows = _rows(csv_file)
            checked += 1
            problem = _window_problem(chart["caption"], rows)
            if problem:
                problems.append(f"{page.relative_to(site)}: {problem}")
            if rows and "previous_record_high" in rows[0]:
                for row in rows:
                    snap = snapshot(row["date"])
                    if snap is None:
                        continue
                    names = [n for n in snap["indices"] if chart["caption"].startswith(n + ":")]
                    if not names:
                        continue
                    prior = (snap["indices"][names[0]].get("previous_record_high") or {}).get("value")
                    shown = float(row["previous_record_high"]) if row["previous_record_high"] else None
                    if shown != prior:
                        problems.append(
                            f"{page.relative_to(site)}: {chart['id']} row {row['date']} shows a prior record of {shown}, "
                            f"the snapshot of that day {prior}"
                        )
    return checked, problems


def test_every_badge_arrow_and_as_of_date_of_the_sample_is_true(sample_site: Path) -> None:
    checked, problems = audit_claims(sample_site)
    assert checked > 5000, "the sample's pages should carry thousands of claims"
    assert problems == [], "\n".join(problems[:40])


def test_every_chart_title_names_the_window_it_draws(sample_site: Path) -> None:
    checked, problems = audit_charts(sample_site)
    assert checked > 3000
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.xdist_group("random_site")
def test_the_audit_holds_on_a_random_history(random_site: tuple[Path, Path]) -> None:
    _, site = random_site
    claims, problems = audit_claims(site)
    charts, chart_problems = audit_charts(site)
    assert claims > 1000 and charts > 1000
    assert problems + chart_problems == [], "\n".join((problems + chart_problems)[:40])


def test_the_audit_catches_a_badge_that_is_not_true(sample_site: Path, tmp_path: Path) -> None:
    """A record badge whose snapshot field is false, an arrow pointing the wrong way, a badge
    with no claim and a window title longer than the data are each reported."""
    site = tmp_path / "site"
    (site / "data" / "snapshots").mkdir(parents=True)
    day = "2026-01-07"
    (site / "data" / "snapshots" / f"{day}.json").write_bytes((sample_site / "data" / "snapshots" / f"{day}.json").read_bytes())
    (site / "index.html").write_text(
        f'<p><span class="badge record" data-claim="stocks.005930.record_close" data-claim-day="{day}">record</span>'
        f'<span class="arrow" data-claim="stocks.005930.change>0" data-claim-day="{day}">▲</span>'
        '<span class="badge record">record</span>'
        f'<time datetime="2026-01-05" data-claim="stock_lending.005930.as_of==2026-01-05" data-claim-day="{day}">Jan. 5</time></p>'
        '<figure class="chart" id="chart-flows-20d"><figcaption class="chart-title">Net buying, 20 trading days</figcaption></figure>',
        encoding="utf-8",
    )
    (site / "flows-20d.csv").write_text("date,individuals\n2026-01-06,1\n2026-01-07,2\n", encoding="utf-8")
    _, problems = audit_claims(site)
    assert len(problems) == 4, problems
    assert any("record_close is False" in p for p in problems)
    assert any("change is -200" in p for p in problems)
    assert any("without naming its snapshot field" in p for p in problems)
    assert any("as_of is '2026-01-06'" in p for p in problems)
    _, chart_problems = audit_charts(site)
    assert chart_problems == ["index.html: 'Net buying, 20 trading days' draws 2 trading days"]
