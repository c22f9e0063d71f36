"""What an editor writes cannot run in a reader's browser.

Commentary and pages are Markdown cleaned by nh3 (generator/markup.py); front matter and data
strings reach the page through Jinja autoescaping, and chart data sits in JSON blocks with
<, > and & escaped. These tests check the sanitiser on known attacks and on random mixtures of
them (hypothesis), then build a whole site from hostile content (tests/fixtures/hostile) and
read every page it produced: no event-handler attribute, no script URL, no script block that
is not either a same-site file or valid JSON, and the Content-Security-Policy first in <head>.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ID_PREFIX, render_markdown

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "2026-01-07.md"
EPOCH = "1767830400"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
EVIL_NAME = "Evil</script><script>window.__pwned='stock'</script>"
EVIL_NAME_KO = "악성</script><!--<script>window.__pwned='stock-ko'</script>"
EVIL_SECTOR = "Semis\"><img src=x onerror=window.__pwned='sector'>"
EVIL_PAGE_TITLE = "About\" onmouseover=\"window.__pwned='page-title'\" x=\"</title><script>window.__pwned='page'</script>"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster", "background"}


def build_hostile_site(dest: Path) -> Path:
    """Build the minimal content with hostile commentary, a hostile page and hostile stock names.

    Returns the site folder (``dest/site``); the content is in ``dest/content``.
    """
    from generator.build import build

    content = dest / "content"
    shutil.copytree(MINIMAL, content)
    shutil.copy(HOSTILE, content / "commentary" / "2026-01-07.md")
    body = HOSTILE.read_text(encoding="utf-8").split("---\n", 2)[2]
    (content / "pages" / "evil.md").write_text(f"---\ntitle: {json.dumps(EVIL_PAGE_TITLE)}\n---\n{body}", encoding="utf-8")
    stocks = content / "data" / "stocks.csv"
    stocks.write_text(
        stocks.read_text(encoding="utf-8").replace(
            "Samsung Electronics,삼성전자,Semiconductors", f"{EVIL_NAME},{EVIL_NAME_KO},{EVIL_SECTOR}"
        ),
        encoding="utf-8",
    )
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(content, dest / "site")
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return dest / "site"


@dataclass
class Page(HTMLParser):
    """Every element of one HTML document, with the text of its script blocks."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    in_head: bool = False
    head: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head.append((tag, a))
        if tag == "script":
            self._script, self._text = a, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see: control characters and spaces are dropped first."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    found = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return found.group(1) if found else None


def assert_no_active_content(elements: list[tuple[str, dict[str, str | None]]]) -> None:
    for tag, attrs in elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in URL_ATTRIBUTES and value is not None:
                assert scheme_of(value) in (None, "http", "https", "mailto"), (tag, name, value)


# --- the sanitiser ---------------------------------------------------------------------------


def hostile_body() -> str:
    return HOSTILE.read_text(encoding="utf-8").split("---\n", 2)[2]


def test_hostile_commentary_is_reduced_to_allowed_markup() -> None:
    html = render_markdown(hostile_body())
    page = parse(html)
    assert page.elements, "the text itself survives"
    for tag, attrs in page.elements:
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get("*", set()) | ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        assert set(attrs) <= allowed, (tag, attrs)
        if "id" in attrs:
            assert attrs["id"].startswith(ID_PREFIX)
        if tag == "img" and attrs.get("src"):
            assert scheme_of(attrs["src"]) is None, "images come from the site itself"
    assert_no_active_content(page.elements)
    # What an editor meant survives: text, the footnote and the link to it.
    assert "Opening paragraph" in html and 'href="#note-fn:1"' in html and 'id="note-fn:1"' in html


@pytest.mark.parametrize(
    "markdown",
    [
        "<a href='jav&#x09;ascript:alert(1)'>x</a>",
        "<a href='jav&#x0A;ascript:alert(1)'>x</a>",
        "<a href='JaVaScRiPt:alert(1)'>x</a>",
        "<a href='&#x6A;avascript:alert(1)'>x</a>",
        "<a href='javascript&colon;alert(1)'>x</a>",
        "[x](javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x]( javascript:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "<img src='data:image/svg+xml,<svg onload=alert(1)>'>",
        "<a href='vbscript:msgbox(1)'>x</a>",
        "<a href='feed:javascript:alert(1)'>x</a>",
    ],
)
def test_script_and_data_urls_never_survive(markdown: str) -> None:
    page = parse(render_markdown(markdown))
    for _, attrs in page.elements:
        for name in ("href", "src"):
            if attrs.get(name):
                assert scheme_of(attrs[name]) in (None, "http", "https", "mailto"), attrs


FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe srcdoc='",
    "'>",
    '<a href="',
    "javascript:",
    "jav&#x09;ascript:",
    "data:text/html,",
    '">',
    "[x](",
    ")",
    "![y](",
    "<style>",
    "</style>",
    ' style="x:expression(1)"',
    "<form>",
    "<math>",
    "<!--",
    "-->",
    "&lt;",
    "&#60;",
    "<",
    ">",
    '"',
    "'",
    "`",
    "\n\n",
    "{: onclick=alert(1) }",
    "<p id=main>",
    "<details open ontoggle=alert(1)>",
    "<object data=x>",
    "<base href=//e>",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=30).map("".join))
def test_any_mixture_of_attacks_is_sanitised(markdown: str) -> None:
    page = parse(render_markdown(markdown))
    for tag, attrs in page.elements:
        assert tag in ALLOWED_TAGS, tag
        assert "style" not in attrs
        if "id" in attrs:
            assert attrs["id"].startswith(ID_PREFIX)
    assert_no_active_content(page.elements)


# --- a whole site built from hostile content ---------------------------------------------------


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_carries_the_content_security_policy_first(hostile_site: Path) -> None:
    pages = html_files(hostile_site)
    assert len(pages) >= 5
    for path in pages:
        page = parse(path.read_text(encoding="utf-8"))
        policies = [
            a for t, a in page.elements if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
        ]
        assert [p.get("content") for p in policies] == [CSP], path
        first = [t for t, a in page.head if t in ("meta", "script", "link", "style", "base")][:2]
        assert first == ["meta", "meta"] and page.head[0][1].get("charset"), (
            f"{path}: CSP must follow <meta charset> before anything loads"
        )


def test_no_page_has_inline_script_handlers_or_script_urls(hostile_site: Path) -> None:
    for path in html_files(hostile_site):
        html = path.read_text(encoding="utf-8")
        page = parse(html)
        assert_no_active_content(page.elements)
        for tag, attrs in page.elements:
            assert tag not in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"), (path, tag)
            if tag == "meta":
                assert (attrs.get("http-equiv") or "").lower() != "refresh", path
        for attrs, text in page.scripts:
            if attrs.get("src"):
                assert scheme_of(attrs["src"]) is None and not attrs["src"].startswith("//"), (path, attrs)
                assert not text.strip(), path
            else:
                assert attrs.get("type") in ("application/json", "application/ld+json"), (path, attrs, text[:200])
                json.loads(text)  # a data block, whole: nothing closed it early
        assert "<script>window.__pwned" not in html, path


def test_hostile_strings_are_shown_as_text(hostile_site: Path) -> None:
    report = (hostile_site / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    page = parse(report)
    title = next(t for t in re.findall(r"<title>(.*?)</title>", report, re.S))
    assert "&lt;/title&gt;" in title and "&lt;script&gt;" in title
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", report, re.S).group(1)
    assert "&lt;b onmouseover=" in h1
    assert not any("onmouseover" in name for _, a in page.elements for name in a)
    everything = "".join(p.read_text(encoding="utf-8") for p in html_files(hostile_site))
    assert "Evil&lt;/script&gt;" in everything or "Evil\\u003c/script\\u003e" in everything, "the stock name is shown somewhere"
    assert EVIL_NAME not in everything and EVIL_SECTOR not in everything


def test_chart_data_blocks_keep_hostile_names_inside(hostile_site: Path) -> None:
    """A stock name ending a script block in chart data stays data: escaped in the HTML,
    unchanged once the chart script parses the JSON."""
    decoded = []
    for path in html_files(hostile_site):
        for attrs, text in parse(path.read_text(encoding="utf-8")).scripts:
            if attrs.get("type") == "application/json":
                assert "</" not in text and "<!--" not in text, path
                decoded.append(json.dumps(json.loads(text), ensure_ascii=False))
    assert decoded, "the site has chart data blocks"
    assert any(EVIL_NAME in d for d in decoded), "a chart names the hostile stock, and the name round-trips"


def test_other_outputs_stay_well_formed(hostile_site: Path) -> None:
    """Feeds and sitemaps are XML, data files JSON: a hostile title must not break them."""
    xml = sorted(hostile_site.rglob("*.xml"))
    assert {"feed.xml", "sitemap.xml"} <= {p.relative_to(hostile_site).as_posix() for p in xml}
    for path in xml:
        ET.parse(path)
    data = sorted(hostile_site.rglob("*.json"))
    assert any(p.parent.name == "snapshots" for p in data), "the snapshots are among the checked files"
    for path in data:
        json.loads(path.read_text(encoding="utf-8"))


def test_the_allowed_tags_are_documented() -> None:
    """docs/content.md lists exactly the tags the sanitiser keeps."""
    text = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    line = text.split("<!-- allowed-tags:", 1)[1].split("\n", 2)[1]
    assert set(re.findall(r"`([a-z0-9]+)`", line)) == set(ALLOWED_TAGS)
    assert CSP.replace("; ", ";") in text.replace("\n", " ").replace("; ", ";")
