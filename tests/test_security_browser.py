"""Acceptance: a site built from commentary full of script-injection attempts, loaded in
Chromium, runs none of them.

Every payload in tests/fixtures/hostile/2026-01-07.md (also used as a page, a page title and a
stock name) would set ``window.__pwned``, change ``document.title`` or open a dialog if it ran.
The pages are loaded, hovered, focused and their remaining links clicked; then neither may have
happened, no dialog may have opened, no request may have left 127.0.0.1 and the page itself
must not trip its own Content-Security-Policy (charts included). Two more runs show each layer
holds alone: the sanitiser without the CSP, and the CSP against a raw injected handler (which,
without the CSP, does run: the detector works).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "reports/2026-01-07/index.html",
    "evil/index.html",
    "index.html",
    "stocks/005930/index.html",
    "indicators/stock-lending/index.html",
]
#: Recorded before any page script runs: CSP violations the page causes, and whether it ran.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def open_and_provoke(page, url: str) -> dict:
    """Load ``url``, give every payload its chance, and report what the page shows afterwards."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH)
    page.goto(url, wait_until="load")
    title = page.title()
    page.wait_for_function(
        "document.querySelectorAll('.vega[data-spec]').length === document.querySelectorAll('.vega.drawn, .vega.failed').length",
        timeout=30_000,
    )
    # Hover and focus what an attack would hang a handler on, open details, click the links left.
    for selector in ("h1", "main p", "main img", "main span", "main details > summary", "main button", "main input"):
        for el in page.locator(selector).all()[:40]:
            try:
                el.hover(timeout=500)
                el.focus(timeout=500)
                if selector.endswith(("summary", "button")):
                    el.click(timeout=500, no_wait_after=True)
            except Exception:  # noqa: BLE001 - hidden or detached elements cannot be hovered; that is fine
                pass
    links = page.locator("main a:not([href]), main a[href^='#']")
    clicked = 0
    for i in range(links.count()):
        try:
            links.nth(i).click(timeout=1_000, no_wait_after=True)
            clicked += 1
        except Exception:  # noqa: BLE001
            pass
    page.wait_for_timeout(500)  # let late handlers (failed images, timers) fire
    return {
        "pwned": page.evaluate("window.__pwned === undefined ? null : String(window.__pwned)"),
        "title_before": title,
        "title_after": page.title(),
        "dialogs": dialogs,
        "csp": page.evaluate("window.__csp"),
        "charts": page.evaluate("[...document.querySelectorAll('.vega[data-spec]')].map(e => e.className)"),
        "clicked": clicked,
        "url": page.url,
    }


@pytest.mark.parametrize("path", PAGES)
def test_no_injected_code_runs(path: str, hostile_site: Path, serve_site, new_page) -> None:
    page = new_page(viewport={"width": 1280, "height": 900})
    base = serve_site(hostile_site)
    seen = open_and_provoke(page, base + path)
    assert seen["pwned"] is None, seen
    assert seen["title_after"] == seen["title_before"] != "pwned"
    assert seen["dialogs"] == []
    assert page.external_requests == [], "hostile content must not make the reader's browser call anyone"
    assert seen["csp"] == [], "the site's own pages (charts included) must run under the policy without violations"
    assert all("drawn" in c for c in seen["charts"]), seen["charts"]
    if path.startswith(("reports/", "stocks/", "indicators/")):
        assert seen["charts"], "these pages have charts, drawn under the policy"
    assert seen["url"].startswith(base), "no click may leave the site"
    if path in ("reports/2026-01-07/index.html", "evil/index.html"):
        assert seen["clicked"] >= 5, "the stripped javascript: links are still there to click"
        assert "Opening paragraph" in page.inner_text("main")


def without_csp(site: Path, dest: Path) -> Path:
    copy = dest / "site-no-csp"
    shutil.copytree(site, copy)
    for html in copy.rglob("*.html"):
        html.write_text(CSP_META.sub("", html.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


@pytest.mark.parametrize("path", ["reports/2026-01-07/index.html", "evil/index.html"])
def test_the_sanitiser_alone_stops_every_payload(path: str, hostile_site: Path, tmp_path: Path, serve_site, new_page) -> None:
    """The same pages with the Content-Security-Policy removed: sanitising is enough by itself."""
    site = without_csp(hostile_site, tmp_path)
    page = new_page(viewport={"width": 1280, "height": 900})
    seen = open_and_provoke(page, serve_site(site) + path)
    assert seen["pwned"] is None, seen
    assert seen["title_after"] == seen["title_before"]
    assert seen["dialogs"] == []


RAW_INJECTION = """<img src="no-such-image.png" onerror="window.__pwned='raw'"><script>document.title='pwned'</script>"""


@pytest.mark.parametrize("with_csp", [True, False], ids=["with CSP", "control without CSP"])
def test_the_policy_alone_blocks_a_raw_injection(
    with_csp: bool, hostile_site: Path, tmp_path: Path, serve_site, new_page
) -> None:
    """Inject unsanitised HTML into a built page: the policy blocks it; without the policy it
    runs, which shows the detector above would see a payload that got through."""
    site = tmp_path / "site"
    shutil.copytree(hostile_site, site) if with_csp else without_csp(hostile_site, tmp_path).rename(site)
    report = site / "reports" / "2026-01-08" / "index.html"
    html = report.read_text(encoding="utf-8")
    report.write_text(html.replace('<main id="main"', RAW_INJECTION + '<main id="main"', 1), encoding="utf-8")
    page = new_page()
    seen = open_and_provoke(page, serve_site(site) + "reports/2026-01-08/index.html")
    if with_csp:
        assert seen["pwned"] is None and seen["title_after"] != "pwned"
        assert any("script-src" in v for v in seen["csp"]), seen["csp"]
    else:
        assert seen["pwned"] == "raw"
        assert seen["title_after"] == "pwned"


@pytest.mark.parametrize("query", ["Opening paragraph", "javascript", "Evil"])
def test_search_results_show_hostile_text_as_text(query: str, hostile_site: Path, serve_site, new_page) -> None:
    """Search results quote titles and text of the hostile notes and pages: still only text."""
    if not (hostile_site / "pagefind").is_dir():
        pytest.skip("Pagefind is not installed, so the site has no search index")
    page = new_page(viewport={"width": 1280, "height": 900})
    base = serve_site(hostile_site)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH)
    page.goto(f"{base}search/index.html?q={query}", wait_until="load")
    page.wait_for_selector(".pagefind-ui__result", timeout=20_000)
    for el in page.locator(".pagefind-ui__result *").all()[:80]:
        try:
            el.hover(timeout=300)
        except Exception:  # noqa: BLE001
            pass
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined")
    assert page.title() != "pwned" and dialogs == []
    assert page.evaluate("window.__csp") == []
    assert page.external_requests == []
