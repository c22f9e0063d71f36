"""The charts as a reader uses them, in real Chromium: hovering across every chart of the home
page, several reports, every indicator page and several stock pages gives tooltips whose every
field has a value; trading-day axes never name a weekday or label a day the exchange was shut;
without JavaScript every chart still shows a picture with a text alternative; at 375 px no
page is wider than the screen and every table that scrolls says so.

Run on the sample and on a site built from a random history (``random_site``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SAMPLE_PAGES = [
    "",
    "reports/2026-01-07/",
    "reports/2024-08-05/",
    "reports/2023-06-02/",
    "indicators/kospi/",
    "indicators/investor-flows/",
    "indicators/margin-loans/",
    "indicators/stock-lending/",
    "stocks/005930/",
    "stocks/307950/",
    "research/leverage-risk/",
]
ALL_DRAWN = """() => {
  const charts = [...document.querySelectorAll('.vega[data-spec]')];
  return charts.every(c => c.classList.contains('drawn') || c.classList.contains('failed'));
}"""
BAD_VALUE = re.compile(r"\b(undefined|NaN|null|true|false|Infinity)\b")
WEEKDAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(day)?\b")
MONTH_DAY = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2})$")
TOOLTIP_ROWS = """() => {
  const el = document.querySelector('#vg-tooltip-element');
  if (!el || !el.classList.contains('visible')) return null;
  return [...el.querySelectorAll('tr')].map(tr => [tr.querySelector('.key')?.textContent ?? '',
                                                  tr.querySelector('.value')?.textContent ?? '']);
}"""
X_LABELS = """(el) => [...el.querySelectorAll('g.role-axis')]
  .filter(g => (g.getAttribute('aria-label') || '').startsWith('X-axis'))
  .flatMap(g => [...g.querySelectorAll('.role-axis-label text')])
  .filter(t => t.textContent && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0')
  .map(t => t.textContent)"""


def _pages(site: Path, wanted: list[str]) -> list[str]:
    return [p for p in wanted if (site / p / "index.html").is_file()]


def _random_pages(site: Path) -> list[str]:
    reports = sorted(p.parent.name for p in (site / "reports").glob("*/index.html"))
    stocks = sorted(p.parent.name for p in (site / "stocks").glob("*/index.html"))
    chosen = [reports[0], reports[1], reports[len(reports) // 2], reports[-1]]
    return ["", *(f"reports/{d}/" for d in chosen), *(f"indicators/{s}/" for s in ("kospi", "investor-flows", "margin-loans", "stock-lending")),
            *(f"stocks/{t}/" for t in stocks[:2])]


def _data_days(page, spec_id: str) -> set[str]:
    """Every date of a chart's rows, written the way the axes write them ("Jan 7")."""
    spec = json.loads(page.locator(f"#{spec_id}").text_content())
    rows = next(iter(spec.get("datasets", {}).values()), [])
    out = set()
    for row in rows:
        value = row.get("date") or row.get("as_of")
        if isinstance(value, str) and len(value) == 10:
            _, m, d = (int(x) for x in value.split("-"))
            out.add(f"{['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][m - 1]} {d}")
    return out


def _sweep(page, url: str) -> list[str]:
    """Hover across every chart of the page; the problems a reader would see."""
    page.goto(url)
    page.wait_for_function(ALL_DRAWN, timeout=60_000)
    problems: list[str] = []
    for chart in page.locator(".vega.drawn").all():
        spec_id = chart.get_attribute("data-spec")
        chart.scroll_into_view_if_needed()
        box = chart.locator(".vega-view svg").first.bounding_box()
        assert box is not None, spec_id
        seen = 0
        for fy in (0.25, 0.5, 0.75):
            for i in range(1, 16):
                page.mouse.move(box["x"] + box["width"] * i / 16, box["y"] + box["height"] * fy)
                rows = page.evaluate(TOOLTIP_ROWS)
                if not rows:
                    continue
                seen += 1
                for key, value in rows:
                    if not key.strip() or not value.strip() or BAD_VALUE.search(value):
                        problems.append(f"{url} {spec_id}: tooltip {key!r}: {value!r}")
        if seen == 0:
            problems.append(f"{url} {spec_id}: no tooltip anywhere on the chart")
        page.mouse.move(0, 0)
        days = _data_days(page, spec_id)
        for label in chart.evaluate(X_LABELS):
            if WEEKDAY.search(label):
                problems.append(f"{url} {spec_id}: axis label {label!r} names a weekday")
            if MONTH_DAY.match(label) and days and label not in days:
                problems.append(f"{url} {spec_id}: axis label {label!r} is not a trading day of the chart")
    assert page.console_errors == [], page.console_errors
    return sorted(set(problems))


def test_tooltips_and_axes_of_the_sample(sample_site: Path, sample_url: str, page) -> None:
    problems = [p for path in _pages(sample_site, SAMPLE_PAGES) for p in _sweep(page, sample_url + path)]
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.xdist_group("random_site")
def test_tooltips_and_axes_of_a_random_history(random_site: tuple[Path, Path], serve_site, page) -> None:
    _, site = random_site
    url = serve_site(site)
    problems = [p for path in _random_pages(site) for p in _sweep(page, url + path)]
    assert problems == [], "\n".join(problems[:40])


NO_JS_FIGURES = """() => [...document.querySelectorAll('.vega[data-spec]')].map(c => {
  const svg = c.querySelector('.fallback svg');
  const img = c.querySelector('img.static-chart');
  return {spec: c.dataset.spec, label: c.getAttribute('aria-label') || '',
          svg: !!svg && svg.getBoundingClientRect().height > 50,
          img: !!img && img.complete && img.naturalWidth > 100 && img.getBoundingClientRect().height > 50,
          alt: img ? img.alt : ''};
})"""


@pytest.mark.parametrize("path", ["", "reports/2026-01-07/", "indicators/margin-loans/", "indicators/kospi/", "stocks/005930/"])
def test_every_chart_has_a_picture_and_a_text_alternative_without_javascript(sample_url: str, new_page, path: str) -> None:
    page = new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.goto(sample_url + path)
    page.wait_for_load_state("load")
    charts = page.evaluate(NO_JS_FIGURES)
    assert charts
    for chart in charts:
        assert chart["svg"] or chart["img"], f"{path} {chart['spec']}: no picture without JavaScript"
        assert len(chart["label"]) > 40, chart["spec"]
        if chart["img"]:
            assert chart["alt"] == chart["label"]


OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  hidden: [...document.querySelectorAll('table')].filter(t => {
      const box = t.closest('.table-scroll');
      const clip = box || t.parentElement;
      if (t.scrollWidth <= clip.clientWidth + 1) return false;
      // a table wider than its box must scroll in a box that shows it (edge shadows)
      const style = box ? getComputedStyle(box) : null;
      return !(style && style.overflowX === 'auto' && style.backgroundImage.includes('radial-gradient'));
  }).map(t => (t.querySelector('caption')?.textContent || t.id || 'a table').trim().slice(0, 60))
})"""


@pytest.mark.parametrize("path", ["", "reports/2026-01-07/", "stocks/", "stocks/005930/", "indicators/stock-lending/", "indicators/margin-loans/", "archive/", "research/leverage-risk/"])
def test_phone_pages_fit_and_wide_tables_show_they_scroll(sample_site: Path, sample_url: str, new_page, path: str) -> None:
    if not (sample_site / path / "index.html").is_file():
        pytest.skip(f"/{path} is not part of this build")
    page = new_page(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page.goto(sample_url + path)
    page.wait_for_function(ALL_DRAWN, timeout=60_000)
    page.wait_for_timeout(200)  # the scroll cue is set after layout
    result = page.evaluate(OVERFLOW)
    assert result["page"] <= 0, f"/{path} is {result['page']} px wider than the phone"
    assert result["hidden"] == [], f"/{path}: tables cut off without a scroll cue: {result['hidden']}"


def test_search_ranks_a_stocks_page_first_and_quotes_prose(sample_site: Path, sample_url: str, new_page) -> None:
    """Searching a stock's name finds its own page first; reports match on their prose (headline,
    lede, editor's note), not on the tables every report has, so excerpts are sentences."""
    if not (sample_site / "pagefind").is_dir():
        pytest.skip("this build has no search index")
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(sample_url + "search/?q=Hyundai%20Motor")
    page.locator("a.pagefind-ui__result-link").first.wait_for(timeout=15_000)
    links = [a.get_attribute("href") for a in page.locator("a.pagefind-ui__result-link").all()]
    assert links[0].rstrip("/").endswith("stocks/005380"), links[:5]
    count = page.locator(".pagefind-ui__message").inner_text()
    total = int(re.search(r"(\d[\d,]*) result", count).group(1).replace(",", ""))
    reports = len(list((sample_site / "reports").glob("*/index.html")))
    assert total < reports / 2, f"{count}: the name should not match every report's tables"
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpts and not any(re.search(r"\d[\d,]* won \d|▲|▼", e) for e in excerpts[:5]), excerpts[:5]
