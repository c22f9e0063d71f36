"""The site a reader browses: links, archive calendar, indicator and stock pages, downloads,
feed, sitemap, robots.txt and the 404 page, checked on the built sample site."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.archive import calendar_years, month_grid
from generator.site.record_book import record_book, report_on_or_after

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
LATEST = "2026-01-07"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
_LINK = re.compile(r"""\s(?:href|src)="([^"]*)\"""")
_ID = re.compile(r"""\sid="([^"]+)\"""")


def _report_days(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "reports").glob("*/index.html"))


def _links(path: Path) -> list[str]:
    """href and src values of a page, except the canonical link (an absolute URL by design)."""
    text = re.sub(r'<link rel="canonical"[^>]*>', "", path.read_text(encoding="utf-8"))
    return [html.unescape(v) for v in _LINK.findall(text)]


def _resolve(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a link on ``page`` points at (and its fragment), or None for outside links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("//"):
        return None
    if not parts.path:
        return page, parts.fragment
    if parts.path.startswith("/"):
        target = site / unquote(parts.path).lstrip("/")  # the 404 page's root-relative links (base_url "/")
    else:
        target = page.parent / unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve(), parts.fragment


# --- links ------------------------------------------------------------------------------


def test_every_internal_link_resolves_to_a_file_of_the_site(sample_site: Path) -> None:
    site = sample_site.resolve()
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(_report_days(site)) + 20  # reports plus the other kinds of page
    checked = 0
    for page in pages:
        for link in _links(page):
            found = _resolve(site, page, link)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            if not target.is_file() or site not in target.parents:
                broken.append(f"{page.relative_to(site)}: {link}")
                continue
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(_ID.findall(target.read_text(encoding="utf-8")))
                if fragment not in ids[target]:
                    broken.append(f"{page.relative_to(site)}: {link} (no id {fragment!r})")
    assert checked > 10_000
    assert not broken, f"{len(broken)} broken links, e.g. " + "; ".join(broken[:10])


def test_links_between_pages_are_relative_so_the_site_works_anywhere(sample_site: Path) -> None:
    for rel in ("index.html", f"reports/{LATEST}/index.html", "indicators/kospi/index.html", "stocks/005930/index.html", "data/index.html"):
        page = sample_site / rel
        for link in _links(page):
            if link.startswith(("#", "http://", "https://", "mailto:")):
                continue
            assert not link.startswith("/"), f"{rel}: {link} is root-relative"
            path = urlsplit(link).path
            assert not path or not path.endswith("/"), f"{rel}: {link} needs index.html to work from disk"


def test_pages_carry_canonical_open_graph_twitter_and_language(sample_site: Path) -> None:
    for rel, canonical in (
        ("index.html", "/"),
        (f"reports/{LATEST}/index.html", f"/reports/{LATEST}/"),
        ("archive/index.html", "/archive/"),
        ("indicators/margin-loans/index.html", "/indicators/margin-loans/"),
        ("stocks/005930/index.html", "/stocks/005930/"),
    ):
        text = (sample_site / rel).read_text(encoding="utf-8")
        assert '<html lang="en">' in text
        assert f'<link rel="canonical" href="{canonical}">' in text, rel
        assert f'<meta property="og:url" content="{canonical}">' in text, rel
        for tag in ('property="og:title"', 'property="og:description"', 'property="og:type"', 'name="twitter:card"',
                    'name="twitter:title"', 'name="twitter:description"'):
            assert tag in text, f"{rel}: {tag}"
        assert 'type="application/atom+xml"' in text
    report = (sample_site / "reports" / LATEST / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<meta property="og:image" content="([^"]+)">', report)
    if card:  # the headline chart's social card, when the chart engine rendered one
        assert (sample_site / card.group(1).lstrip("/")).is_file()
        assert '<meta name="twitter:card" content="summary_large_image">' in report


def test_korean_names_and_korean_won_are_marked_korean(sample_site: Path) -> None:
    report = (sample_site / "reports" / LATEST / "index.html").read_text(encoding="utf-8")
    assert '<span lang="ko" class="ko">삼성전자</span>' in report
    stock = (sample_site / "stocks" / "005930" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1[^>]*>Samsung Electronics <span lang="ko" class="ko">삼성전자</span></h1>', stock)
    margin = (sample_site / "indicators" / "margin-loans" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="sub" lang="ko">27조 6,224억 원</span>', margin)
    assert "27.6 trillion won" in margin


# --- home and archive -------------------------------------------------------------------


def test_home_is_the_latest_report_with_the_past_weeks_headlines(sample_site: Path) -> None:
    days = _report_days(sample_site)
    text = (sample_site / "index.html").read_text(encoding="utf-8")
    assert f'<time datetime="{LATEST}">' in text
    assert "data-pagefind-body" not in text  # the report's own page is the one search finds
    recent = re.search(r'<aside class="recent".*?</aside>', text, re.S)
    assert recent
    linked = re.findall(r'<h3><a href="reports/(\d{4}-\d{2}-\d{2})/index.html">', recent.group(0))
    assert linked == list(reversed(days[-6:-1]))
    assert len(re.findall(r'class="summary"', recent.group(0))) == 5


def test_archive_is_a_calendar_with_a_captioned_table_per_month(sample_site: Path) -> None:
    text = (sample_site / "archive" / "index.html").read_text(encoding="utf-8")
    days = _report_days(sample_site)
    months = sorted({d[:7] for d in days}, reverse=True)
    captions = re.findall(r'<caption><span class="month-name">([A-Za-z]+ \d{4})</span>', text)
    assert captions == [f"{calendar.month_name[int(m[5:])]} {m[:4]}" for m in months]
    linked = re.findall(r'href="\.\./reports/(\d{4}-\d{2}-\d{2})/index\.html"', text)
    assert sorted(linked) == days  # each report exactly once
    # The month of the newest report: Monday to Friday columns, Jan. 7 marked as having a note.
    jan = re.search(r'<table class="cal" id="m2026-01">.*?</table>', text, re.S).group(0)
    assert re.findall(r"<abbr title=\"(\w+)\">", jan) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    cell = re.search(r'<td class="open noted"><a href="\.\./reports/2026-01-07/index\.html">(.*?)</a></td>', jan).group(1)
    # Read aloud: the date, the index's change and the note; on screen: 7, +0.57% and a pencil.
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell).replace("✎", "")) == "Wednesday, Jan. 7, 2026: KOSPI +0.57%, with an editor's note"
    # New Year's Day had no trading: an empty cell, not a link.
    assert '<td class="closed"><span class="d">1</span>' in jan


reports_st = st.sets(st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(days=reports_st, data=st.data())
def test_month_grid_places_every_report_under_its_weekday(days: set[dt.date], data: st.DataObject) -> None:
    """Brute-force twin: every report of the month is in the grid once, in its weekday's column,
    rows are consecutive weeks, and weekends only get columns when a report falls on one."""
    day = data.draw(st.sampled_from(sorted(days)))
    notes = data.draw(st.sets(st.sampled_from(sorted(days))))
    reports = {d: f"report {d}" for d in days}
    grid = month_grid(day.year, day.month, reports, notes)
    in_month = {d for d in days if (d.year, d.month) == (day.year, day.month)}
    expected_columns = list(range(7)) if any(d.weekday() >= 5 for d in in_month) else list(range(5))
    assert list(grid.weekdays) == expected_columns
    seen = []
    for r, week in enumerate(grid.weeks):
        assert len(week) == len(expected_columns)
        for c, cell in enumerate(week):
            if cell is None:
                continue
            assert cell.date.weekday() == expected_columns[c]
            assert (cell.date.year, cell.date.month) == (day.year, day.month)
            assert cell.report == reports.get(cell.date)
            assert cell.note == (cell.date in notes and cell.date in reports)
            seen.append(cell.date)
        if r:
            prev = next(c for c in grid.weeks[r - 1] if c is not None).date
            here = next(c for c in week if c is not None).date
            assert 1 <= (here - prev).days <= 13
    month_days = [dt.date(day.year, day.month, n) for n in range(1, calendar.monthrange(day.year, day.month)[1] + 1)]
    assert seen == [d for d in month_days if d.weekday() in expected_columns]
    assert grid.reports == len(in_month)


def test_calendar_years_lists_months_newest_first() -> None:
    days = [dt.date(2025, 12, 30), dt.date(2026, 1, 2), dt.date(2026, 1, 5)]

    class R:
        def __init__(self, day: dt.date):
            self.day = day

    years = calendar_years([R(d) for d in days], [dt.date(2026, 1, 5)])
    assert [(y, [m.month for m in ms]) for y, ms in years] == [(2026, [1]), (2025, [12])]
    assert years[0][1][0].notes == 1


# --- record books -----------------------------------------------------------------------


values_st = st.lists(st.integers(0, 50), min_size=0, max_size=40)


@settings(max_examples=300, deadline=None)
@given(values=values_st)
def test_record_book_matches_brute_force(values: list[int]) -> None:
    """Every value above all earlier values is a record; it falls on the first later value above it."""
    dates = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(len(values))]
    book = record_book(np.array(dates, dtype="datetime64[D]"), values)
    expected = []
    for i, v in enumerate(values):
        if i and v > max(values[:i]):
            beaten = next((j for j in range(i + 1, len(values)) if values[j] > v), None)
            expected.append((dates[i], v, max(values[:i]), dates[beaten] if beaten is not None else None,
                             values[beaten] if beaten is not None else None))
    assert [(r.day, r.value, r.previous, r.fell_on, r.fell_to) for r in book] == expected
    assert sum(r.stands for r in book) == (1 if book else 0)


@given(days=st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2024, 3, 1)), unique=True).map(sorted),
       day=st.dates(dt.date(2023, 12, 1), dt.date(2024, 4, 1)))
def test_report_on_or_after_is_the_first_report_that_can_show_a_figure(days: list[dt.date], day: dt.date) -> None:
    later = [d for d in days if d >= day]
    assert report_on_or_after(days, day) == (later[0] if later else None)


# --- indicators and stocks --------------------------------------------------------------


@pytest.mark.parametrize("slug", ["kospi", "investor-flows", "margin-loans", "stock-lending"])
def test_indicator_pages_show_latest_values_records_and_links_to_the_days(sample_site: Path, slug: str) -> None:
    text = (sample_site / "indicators" / slug / "index.html").read_text(encoding="utf-8")
    assert '<dl class="figures">' in text
    assert "Still stands" in text  # every record book ends in the standing record
    assert re.search(r'href="\.\./\.\./reports/\d{4}-\d{2}-\d{2}/index\.html"', text)
    index = (sample_site / "indicators" / "index.html").read_text(encoding="utf-8")
    assert f'href="{slug}/index.html"' in index


def test_kospi_record_book_agrees_with_the_snapshots(sample_site: Path) -> None:
    """The standing record close is the latest record the snapshots flagged; each record links
    to the report of the day it was set, and 'beaten on' is the next record's day."""
    snaps = sorted((sample_site / "data" / "snapshots").glob("????-??-??.json"))
    flagged = []
    for path in snaps:
        kospi = json.loads(path.read_text(encoding="utf-8"))["indices"]["KOSPI"]
        if kospi["record_close"] and kospi["as_of"] == path.stem:
            flagged.append((path.stem, kospi["close"]))
    text = (sample_site / "indicators" / "kospi" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="data" id="record-closes">.*?</table>', text, re.S).group(0)
    rows = re.findall(r'<th scope="row"><a href="\.\./\.\./reports/([\d-]+)/index\.html">.*?</th>\s*<td class="num">([\d,.]+)', table)
    assert [(d, float(v.replace(",", ""))) for d, v in rows] == list(reversed(flagged))
    assert f"{len(flagged)} records, newest first" in table


def test_every_tracked_stock_has_a_page_with_the_days_it_led(sample_site: Path) -> None:
    snaps = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (sample_site / "data" / "snapshots").glob("????-??-??.json")}
    latest = snaps[LATEST]
    index = (sample_site / "stocks" / "index.html").read_text(encoding="utf-8")
    for ticker, stock in latest["stocks"].items():
        page = sample_site / "stocks" / ticker / "index.html"
        text = page.read_text(encoding="utf-8")
        assert f'href="{ticker}/index.html"' in index
        assert stock["name"] in text
        led = sorted((d for d, s in snaps.items() if ticker in s["leaders"]), reverse=True)
        if led:
            assert f"led the report on {len(led)} day" in text
            shown = re.findall(r'<th scope="row"><a href="\.\./\.\./reports/([\d-]+)/index\.html"><time', text.split('id="led-h"')[1])
            assert shown[: min(20, len(led))] == led[:20]
    hyundai = (sample_site / "stocks" / "005380" / "index.html").read_text(encoding="utf-8")
    assert "362,000" in hyundai and "Still stands" in hyundai  # the Jan. 7 record high


# --- downloads --------------------------------------------------------------------------


def _rows(path: Path, columns: list[str]) -> list[tuple]:
    def norm(v: str):
        try:
            return round(float(v), 6)
        except ValueError:
            return v

    with path.open(encoding="utf-8", newline="") as f:
        return sorted(tuple(norm(r.get(c) or "") for c in columns) for r in csv.DictReader(f))


def test_data_page_offers_every_series_snapshot_and_the_schema(sample_site: Path) -> None:
    from generator.contract import DATA_FILES

    text = (sample_site / "data" / "index.html").read_text(encoding="utf-8")
    for spec in DATA_FILES:
        source = CONTENT / "data" / spec.name
        if not source.exists():
            continue
        download = sample_site / "data" / spec.name
        assert f'href="{spec.name}" download' in text
        with download.open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == [c.name for c in spec.columns if c.name in header]
        assert _rows(download, header) == _rows(source, header), spec.name
    index = json.loads((sample_site / "data" / "snapshots" / "index.json").read_text(encoding="utf-8"))
    assert [s["date"] for s in index["snapshots"]] == _report_days(sample_site)
    assert all((sample_site / "data" / "snapshots" / s["path"]).is_file() for s in index["snapshots"])
    schema = sample_site / "data" / "snapshot-1.schema.json"
    assert json.loads(schema.read_text(encoding="utf-8"))["$id"] == "urn:kospi-report:snapshot:1"
    assert 'href="snapshot-1.schema.json"' in text
    assert f'href="snapshots/{LATEST}.json"' in text


# --- feed, sitemap, robots.txt, 404 -----------------------------------------------------


def test_sitemap_lists_every_page_with_pretty_absolute_urls(sample_site: Path) -> None:
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = [u.findtext("sm:loc", namespaces=SITEMAP_NS) for u in root.findall("sm:url", SITEMAP_NS)]
    assert len(locs) == len(set(locs))
    for day in _report_days(sample_site):
        assert f"/reports/{day}/" in locs
    pages = {"/" + str(p.relative_to(sample_site)).removesuffix("index.html")
             for p in sample_site.rglob("*.html") if p.name != "404.html"}
    assert set(locs) == pages
    assert not any(loc.endswith("index.html") for loc in locs)
    lastmod = {u.findtext("sm:loc", namespaces=SITEMAP_NS): u.findtext("sm:lastmod", namespaces=SITEMAP_NS)
               for u in root.findall("sm:url", SITEMAP_NS)}
    assert lastmod[f"/reports/{LATEST}/"] >= LATEST


def test_feed_has_the_newest_report_first_with_its_lede(sample_site: Path) -> None:
    feed = feedparser.parse((sample_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    entries = feed.entries
    days = _report_days(sample_site)
    assert [e.link.rstrip("/").rsplit("/", 1)[1] for e in entries] == list(reversed(days))[: len(entries)]
    newest = entries[0]
    page = (sample_site / "reports" / LATEST / "index.html").read_text(encoding="utf-8")
    # the page links the stocks the lede names; the feed's summary is the same words as text
    lede = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="lede"[^>]*>(.*?)</p>', page, re.S).group(1)))
    assert newest.summary == lede
    title = re.search(r'^title: "(.*)"$', (CONTENT / "commentary" / f"{LATEST}.md").read_text(encoding="utf-8"), re.M).group(1)
    assert newest.title == title
    assert newest.id == f"tag:kospi-report,2026:report:{LATEST}"
    assert newest.published.startswith(f"{LATEST}T15:30:00+09:00")
    from generator.site.feeds import FEED_LIMIT

    assert len(entries) == min(FEED_LIMIT, len(days))
    published = [e.published_parsed for e in entries]
    assert published == sorted(published, reverse=True)
    assert len({e.id for e in entries}) == len(entries)


def test_robots_txt_points_at_the_sitemap(sample_site: Path) -> None:
    text = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert re.search(r"^Sitemap: /sitemap\.xml$", text, re.M)


def test_404_page_links_work_from_any_depth(sample_site: Path) -> None:
    page = sample_site / "404.html"
    links = _links(page)
    assert links
    for link in links:
        if link.startswith("#"):
            continue
        assert link.startswith("/"), link
        target = sample_site / urlsplit(link).path.lstrip("/")
        assert (target / "index.html" if link.endswith("/") else target).is_file(), link
    assert 'rel="canonical"' not in page.read_text(encoding="utf-8")


def test_search_index_is_written_and_reports_are_marked_for_it(sample_site: Path) -> None:
    pytest.importorskip("pagefind")
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (sample_site / "pagefind" / name).is_file(), name
    report = (sample_site / "reports" / LATEST / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<article class="report" data-pagefind-body data-pagefind-meta="title\[data-search-title\]" '
                     r'data-search-title="Jan\. 7, 2026: KOSPI clears 4,600', report)
    search = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in search and "cdn" not in search.lower()


def test_url_contract_documents_everything_the_build_publishes(sample_site: Path) -> None:
    doc = (ROOT / "docs" / "urls.md").read_text(encoding="utf-8")
    for entry in sorted(sample_site.iterdir()):
        if entry.name.startswith("."):
            continue
        name = f"/{entry.name}/" if entry.is_dir() else f"/{entry.name}"
        if entry.suffix in (".csv", ".svg") or entry.name == "index.html":  # the home page `/` and its charts' files
            continue
        assert f"`{name}" in doc, f"docs/urls.md does not mention {name}"
    for folder in ("indicators", "stocks"):
        for page in sorted((sample_site / folder).iterdir()):
            if page.is_dir() and folder == "indicators":
                assert f"`/indicators/{page.name}/`" in doc, page.name


def test_without_pagefind_the_build_warns_and_skips_search(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from generator.config import SiteConfig
    from generator.render import Renderer
    from generator.site import Written, search

    monkeypatch.setattr(search, "executable", lambda: None)
    added: list = []
    ctx = SimpleNamespace(data=SimpleNamespace(warnings=[]))
    search.write(ctx, SimpleNamespace(path=tmp_path, add=lambda *a: added.append(a)), Written())
    assert added == []
    [warning] = ctx.data.warnings
    assert warning.severity == "warning" and "no search" in warning.message
    page = Renderer(SiteConfig(), dt.datetime(2026, 1, 8, tzinfo=dt.UTC)).render(
        "search.html", "search/index.html", title="Search", section="search", search_available=False
    )
    assert "Search is not available" in page and "pagefind" not in page
