"""Charts in real Chromium: every chart draws offline with no console error, under a CSP without
'unsafe-eval', in dark mode and on a phone; the headline chart shows as SVG without JavaScript;
every chart's CSV is the data in its spec; the history charts zoom by brushing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.charts import TABLE_ROWS, table_cell, unpack_rows
from generator.charts.palette import MUTED, MUTED_DARK

pytestmark = pytest.mark.browser

REPORT = "reports/2026-01-07/"
INDICATOR_PAGES = ["indicators/kospi/", "indicators/investor-flows/", "indicators/margin-loans/", "indicators/stock-lending/"]
STOCK_PAGE = "stocks/005930/"
ALL_DRAWN = """() => {
  const charts = [...document.querySelectorAll('.vega[data-spec]')];
  return charts.length > 0 && charts.every(c => c.classList.contains('drawn') || c.classList.contains('failed'));
}"""


def _require(site: Path, path: str) -> None:
    if not (site / path / "index.html").is_file():
        pytest.skip(f"/{path} is not part of the sample build yet")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(ALL_DRAWN, timeout=60_000)


def _chart_states(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.vega[data-spec]')].map(c => ({
            spec: c.dataset.spec,
            drawn: c.classList.contains('drawn'),
            svg: !!c.querySelector('.vega-view svg'),
            fallback: !!c.querySelector('.fallback'),
            label: c.getAttribute('aria-label') || '',
            role: c.getAttribute('role'),
            width: c.getBoundingClientRect().width,
        }))"""
    )


def _assert_all_drawn(page) -> list[dict]:
    charts = _chart_states(page)
    assert charts
    for chart in charts:
        assert chart["drawn"] and chart["svg"], chart["spec"]
        assert not chart["fallback"], f"{chart['spec']}: the fallback stays after the chart drew"
        assert chart["role"] == "img" and len(chart["label"]) > 40, chart["spec"]
    assert page.console_errors == []
    assert page.external_requests == []
    return charts


@pytest.mark.parametrize("path", ["", REPORT, *INDICATOR_PAGES, STOCK_PAGE])
def test_every_chart_draws_offline_without_errors(page, sample_site, sample_url, path):
    if path:
        _require(sample_site, path)
    _open(page, sample_url + path)
    charts = _assert_all_drawn(page)
    if path == REPORT:
        assert [c["spec"] for c in charts][0] == "spec-index-3m"
        assert len(charts) == 6


def test_charts_draw_under_a_csp_without_unsafe_eval(new_page, sample_url):
    """Vega's expression interpreter (ast: true) instead of eval: the strict policy holds."""
    page = new_page(viewport={"width": 1280, "height": 900})
    policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"

    def with_csp(route):
        response = route.fetch()
        body = response.text().replace("<head>", f'<head>\n<meta http-equiv="Content-Security-Policy" content="{policy}">', 1)
        route.fulfill(response=response, body=body)

    page.route(sample_url + REPORT, with_csp)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    _open(page, sample_url + REPORT)
    _assert_all_drawn(page)
    assert violations == [] and page.evaluate("window.__violations") == []
    # the policy is in force: an inline script is refused
    inline = "() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s); return window.__inline === 1; }"
    assert page.evaluate(inline) is False
    assert any("script-src" in v for v in page.evaluate("window.__violations"))


def test_headline_chart_is_an_svg_without_javascript(new_page, sample_url):
    page = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    for path in (REPORT, ""):
        page.goto(sample_url + path)
        headline = page.locator(".vega[data-spec='spec-index-3m']")
        svg = headline.locator(".fallback svg")
        assert svg.count() == 1
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box and box["width"] > 600 and box["height"] > 200, box
        assert svg.is_visible()
        assert svg.locator("path").count() > 3, "the SVG draws the chart's lines and areas"
        # every other chart shows its static picture (inside <noscript>), its text alternative as alt
        pictures = page.locator(".vega img.static-chart")
        assert pictures.count() == page.locator(".vega").count() - 1
        for img in pictures.all():
            assert img.evaluate("i => i.complete && i.naturalWidth > 100") and len(img.get_attribute("alt")) > 40
    assert page.external_requests == []


def test_social_card_is_the_headline_chart(sample_site, page, sample_url):
    html = (sample_site / REPORT / "index.html").read_text(encoding="utf-8")
    assert 'property="og:image" content="/reports/2026-01-07/card.png"' in html
    assert 'name="twitter:card" content="summary_large_image"' in html
    png = (sample_site / REPORT / "card.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (1200).to_bytes(4, "big") + (630).to_bytes(4, "big")
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'content="/reports/2026-01-07/card.png"' in home


def _spec_rows(page, slug: str) -> list[dict]:
    """The rows a chart draws, as the page carries them (packed, beside its template's key)."""
    data = json.loads(page.locator(f"#spec-{slug}").text_content())
    return unpack_rows(data) if "template" in data else data["datasets"]["table"]


@pytest.mark.parametrize("path", [REPORT, "", *INDICATOR_PAGES, STOCK_PAGE])
def test_every_chart_csv_downloads_and_matches_its_spec(page, sample_site, sample_url, path):
    if path:
        _require(sample_site, path)
    page.goto(sample_url + path)
    links = page.locator("figure.chart a.data-link")
    assert links.count() == page.locator("figure.chart").count() > 0
    for i in range(links.count()):
        link = links.nth(i)
        figure_id = link.evaluate("a => a.closest('figure').id")
        slug = figure_id.removeprefix("chart-")
        href = link.get_attribute("href")
        assert link.get_attribute("download") is not None
        fetched = page.evaluate("async (u) => { const r = await fetch(u); return [r.status, await r.text()]; }", href)
        assert fetched[0] == 200, href
        rows = list(csv.DictReader(io.StringIO(fetched[1])))
        spec_rows = _spec_rows(page, slug)
        assert len(rows) == len(spec_rows) > 0, slug
        for got, want in zip(rows, spec_rows, strict=True):
            assert set(got) == set(want), slug
            assert got == {k: "" if v is None else str(v) for k, v in want.items()}, slug
        # and the collapsible table lists them, or the newest of them, saying so
        shown = page.locator(f"#{figure_id} details tbody tr").count()
        summary = page.locator(f"#{figure_id} details summary").text_content()
        if len(spec_rows) <= TABLE_ROWS:
            assert shown == len(spec_rows), slug
        else:
            assert 0 < shown <= TABLE_ROWS and f"{shown} of {len(spec_rows):,} rows" in summary, (slug, summary)
            table = page.locator(f"#{figure_id} details tbody").text_content()
            newest, oldest = max(r["date"] for r in spec_rows), min(r["date"] for r in spec_rows)
            # a chart of months (net buying per month) dates each row by its month
            kind = "month" if page.locator(f"#{figure_id} thead th").first.text_content() == "Month" else "date"
            assert table_cell(newest, kind) in table and table_cell(oldest, kind) not in table, slug
    assert page.external_requests == []


def test_dark_mode_redraws_in_the_dark_palette(new_page, sample_url):
    page = new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    _open(page, sample_url + REPORT)
    _assert_all_drawn(page)
    fills = page.evaluate(
        "() => [...document.querySelectorAll('#chart-index-3m .vega-view svg text')].map(t => t.getAttribute('fill'))"
    )
    assert MUTED_DARK in fills and MUTED not in fills
    page.emulate_media(color_scheme="light")
    page.wait_for_function(
        "(c) => [...document.querySelectorAll('#chart-index-3m .vega-view svg text')].some(t => t.getAttribute('fill') === c)",
        arg=MUTED,
    )
    page.wait_for_function(ALL_DRAWN)
    assert page.console_errors == []


def test_tooltip_on_a_phone_reads_the_day_in_any_time_zone(new_page, sample_url):
    """375 px wide, far west of Seoul: the last point's tooltip says Jan 7 and its close,
    formatted, and fits on the screen; nothing on the page scrolls sideways."""
    page = new_page(viewport={"width": 375, "height": 740}, timezone_id="America/Los_Angeles", device_scale_factor=2)
    _open(page, sample_url + REPORT)
    _assert_all_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    chart = page.locator("#chart-index-3m .vega-view svg")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box and box["width"] <= 375
    # the x axis line ends at the last day
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#chart-index-3m .vega-view svg .role-axis-domain line')]"
        ".map(l => l.getBoundingClientRect()).filter(r => r.width > r.height).map(r => r.right))"
    )
    page.mouse.move(right - 2, box["y"] + box["height"] / 2)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Jan 7, 2026" in text and "4,551.06" in text and "+0.57" in text, text
    tip = tooltip.bounding_box()
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= 375, tip
    # a won amount in words, as the report writes it
    bars = page.locator("#chart-flows-20d .vega-view svg")
    bars.scroll_into_view_if_needed()
    bar = page.locator(
        "#chart-flows-20d .vega-view svg path[aria-roledescription='bar'], #chart-flows-20d .vega-view .mark-rect path"
    ).last
    bar.hover(force=True)
    tooltip.wait_for(state="visible")
    assert " won" in tooltip.inner_text() and ("billion" in tooltip.inner_text() or "trillion" in tooltip.inner_text())


def test_history_chart_zooms_when_brushing_the_overview(page, sample_site, sample_url):
    _require(sample_site, "indicators/kospi/")
    _open(page, sample_url + "indicators/kospi/")
    labels = (
        "() => [...document.querySelectorAll('#chart-index-history .vega-view .role-axis-label text')].map(t => t.textContent)"
    )
    before = page.evaluate(labels)
    overview = page.locator("#chart-index-history .vega-view .overview_marks, #chart-index-history .vega-view g.mark-area").last
    overview.scroll_into_view_if_needed()
    box = overview.bounding_box()
    assert box
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.80, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.90, y, steps=8)
    page.mouse.up()
    page.wait_for_function(f"(b) => JSON.stringify(({labels})()) !== JSON.stringify(b)", arg=before)
    after = page.evaluate(labels)
    assert after != before
    assert page.console_errors == []
