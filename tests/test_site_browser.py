"""The site in a real browser (Debian's Chromium through Playwright, no request leaves 127.0.0.1):
screenshots at phone and desktop widths, no horizontal scroll on a phone, axe-core finds no
serious or critical accessibility violations, search finds a report by a word of its
commentary, print hides the navigation, and the site works under a sub-path and from disk.

Screenshots are written to test-artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import EPOCH

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
LATEST = "2026-01-07"
#: A word of the Jan. 7 editor's note that appears in no generated report text.
SEARCH_WORD = "robotics"

#: One page of each kind: name -> site path.
KINDS = {
    "home": "",
    "report": f"reports/{LATEST}/",
    "archive": "archive/",
    "indicators": "indicators/",
    "indicator": "indicators/margin-loans/",
    "stocks": "stocks/",
    "stock": "stocks/005380/",
    "research": "research/leverage-risk/",
    "data": "data/",
    "search": "search/",
    "about": "about/",
    "404": "404.html",
}


def _kinds(site: Path) -> dict[str, str]:
    """The kinds this build has (the research page comes from another family and may be absent)."""
    out = {}
    for kind, path in KINDS.items():
        file = site / (path + "index.html" if path == "" or path.endswith("/") else path)
        if file.is_file():
            out[kind] = path
    assert len(out) >= len(KINDS) - 1
    return out


def _settle(page) -> None:
    """Wait until the charts have been drawn (or have failed), so screenshots show them."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.vega[data-spec]')).every(e => e.classList.contains('drawn') || e.classList.contains('failed'))",
        timeout=20_000,
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_and_no_horizontal_scroll(sample_site: Path, sample_url: str, new_page, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_page(viewport={"width": width, "height": 900})
    too_wide = {}
    for kind, path in _kinds(sample_site).items():
        page.goto(sample_url + path)
        _settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{kind}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            too_wide[kind] = scroll
    assert not too_wide, f"pages wider than {width}px: {too_wide}"
    assert page.external_requests == []
    assert page.console_errors == []


def test_dark_mode_follows_the_system_setting(sample_url: str, new_page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    backgrounds = {}
    for scheme in ("light", "dark"):
        page = new_page(viewport={"width": 375, "height": 900}, color_scheme=scheme)
        page.goto(sample_url + f"reports/{LATEST}/")
        _settle(page)
        page.screenshot(path=str(ARTIFACTS / f"report-375-{scheme}.png"), full_page=False)
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds["light"] != backgrounds["dark"]
    dark = [int(x) for x in re.findall(r"\d+", backgrounds["dark"])[:3]]
    assert sum(dark) < 3 * 60, backgrounds


def test_report_prints_without_navigation(sample_url: str, new_page) -> None:
    page = new_page(viewport={"width": 800, "height": 1100})
    page.goto(sample_url + f"reports/{LATEST}/")
    _settle(page)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.masthead nav', '.pager', '.colophon nav', '.skip', '.more-link']
              .map(s => document.querySelector(s))
              .filter(e => e && getComputedStyle(e).display !== 'none')
              .map(e => e.className || e.tagName)"""
    )
    assert hidden == []
    assert page.locator("article.report h1").is_visible()
    assert page.locator(".lede").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(sample_site: Path, sample_url: str, new_page, scheme: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it installs tools/package.json with npm)")
    # bypass_csp: axe is injected as an inline script, which the pages' Content-Security-Policy forbids.
    page = new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
    problems = []
    for kind, path in _kinds(sample_site).items():
        page.goto(sample_url + path)
        _settle(page)
        for v in _axe(page):
            targets = [n["target"] for n in v["nodes"][:3]]
            problems.append(f"{kind}: {v['id']} ({v['impact']}) {v['help']} at {targets}")
    assert not problems, "\n".join(problems)
    assert page.external_requests == []


def test_axe_does_report_a_violation(sample_url: str, new_page) -> None:
    """The check can fail: an image without alternative text is reported."""
    page = new_page(bypass_csp=True)
    page.goto(sample_url + "about/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert any(v["id"] == "image-alt" for v in _axe(page))


def _search(page, word: str) -> list[str]:
    """Type ``word`` into the search page and return the result links."""
    box = page.locator("input.pagefind-ui__search-input")
    box.wait_for(timeout=15_000)
    box.fill(word)
    page.locator("a.pagefind-ui__result-link").first.wait_for(timeout=15_000)
    return [a.get_attribute("href") for a in page.locator("a.pagefind-ui__result-link").all()]


def test_search_finds_a_report_by_a_word_from_its_commentary(sample_url: str, new_page) -> None:
    commentary = (ROOT / "content" / "commentary" / f"{LATEST}.md").read_text(encoding="utf-8")
    assert SEARCH_WORD in commentary.lower(), "pick another word of the Jan. 7 commentary"
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(sample_url + "search/")
    links = _search(page, SEARCH_WORD)
    assert f"/reports/{LATEST}/" in links, links
    titles = page.locator("a.pagefind-ui__result-link").all_inner_texts()
    assert any(t.startswith("Jan. 7, 2026: KOSPI clears 4,600") for t in titles), titles
    page.locator(f'a.pagefind-ui__result-link[href="/reports/{LATEST}/"]').first.click()
    page.wait_for_url(f"**/reports/{LATEST}/")
    assert SEARCH_WORD in page.locator("article.report").inner_text().lower()
    # A link to the search page with ?q= starts the search.
    page.goto(sample_url + f"search/?q={SEARCH_WORD}")
    page.locator("a.pagefind-ui__result-link").first.wait_for(timeout=15_000)
    assert page.external_requests == []
    assert page.console_errors == []


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built for hosting under /kospi/ (as on GitHub Pages): the folder that holds kospi/."""
    import shutil

    from generator.build import build

    www = tmp_path_factory.mktemp("www")
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(ROOT / "content", content)
    toml = content / "site.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'base_url = "/"' in text
    toml.write_text(text.replace('base_url = "/"', 'base_url = "/kospi/"'), encoding="utf-8")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(content, www / "kospi")
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return www


def _nav(page, label: str):
    """A link of the site's main navigation."""
    return page.get_by_role("navigation", name="Site", exact=True).get_by_role("link", name=label, exact=True)


def _failed_responses(page) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return failed


def test_site_works_under_a_sub_path(subpath_site: Path, serve_site, new_page) -> None:
    base = serve_site(subpath_site) + "kospi/"
    page = new_page(viewport={"width": 1280, "height": 900})
    failed = _failed_responses(page)
    page.goto(base)
    assert page.locator('link[rel="canonical"]').get_attribute("href") == "/kospi/"
    _nav(page, "Archive").click()
    page.wait_for_url("**/kospi/archive/index.html")
    page.locator(f'a[href="../reports/{LATEST}/index.html"]').click()
    page.wait_for_url(f"**/kospi/reports/{LATEST}/index.html")
    assert page.locator('link[rel="canonical"]').get_attribute("href") == f"/kospi/reports/{LATEST}/"
    page.locator("section[aria-labelledby='lending-h'] a", has_text="Samsung Electronics").first.click()
    page.wait_for_url("**/kospi/stocks/005930/index.html")
    _nav(page, "Indicators").click()
    page.get_by_role("link", name="Margin loans").click()
    page.wait_for_url("**/kospi/indicators/margin-loans/index.html")
    _nav(page, "Search").click()
    page.wait_for_url("**/kospi/search/index.html")
    links = _search(page, SEARCH_WORD)
    assert f"/kospi/reports/{LATEST}/" in links, links
    page.locator(f'a.pagefind-ui__result-link[href="/kospi/reports/{LATEST}/"]').first.click()
    page.wait_for_url(f"**/kospi/reports/{LATEST}/")
    # The 404 page is served at any depth: its links start at the sub-path.
    page.goto(base + "404.html")
    hrefs = page.eval_on_selector_all("main a[href], head link[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("/kospi/") for h in hrefs), hrefs
    page.get_by_role("link", name="Every report, by date").click()
    page.wait_for_url("**/kospi/archive/")
    assert failed == []
    assert page.external_requests == []
    sitemap = (subpath_site / "kospi" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>/kospi/reports/{LATEST}/</loc>" in sitemap


def test_site_works_from_disk(sample_site: Path, new_page) -> None:
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto((sample_site / "reports" / LATEST / "index.html").resolve().as_uri())
    assert "Charter" in page.evaluate("getComputedStyle(document.querySelector('.brand')).fontFamily")  # stylesheet loaded
    steps = [
        (lambda: _nav(page, "Archive").click(), "archive/index.html"),
        (lambda: page.locator(f'a[href="../reports/{LATEST}/index.html"]').click(), f"reports/{LATEST}/index.html"),
        (lambda: page.locator("a.name", has_text="Hyundai Motor").first.click(), "stocks/005380/index.html"),
        (lambda: _nav(page, "Indicators").click(), "indicators/index.html"),
        (lambda: page.get_by_role("link", name="KOSPI", exact=True).click(), "indicators/kospi/index.html"),
        (lambda: _nav(page, "Data").click(), "data/index.html"),
        (lambda: _nav(page, "Latest").click(), "/index.html"),
    ]
    for click, expected in steps:
        with page.expect_navigation():
            click()
        assert page.url.startswith("file://") and page.url.endswith(expected), (page.url, expected)
        assert page.locator("main h1").count() >= 1, page.url
    assert page.external_requests == []
