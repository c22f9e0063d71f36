"""The Korean edition: the same site from the same snapshots, under /ko/, in Korean.

A copy of the bundled sample is built with ``editions = ["en", "ko"]`` once per session (the
bundled sample itself stays English only). The tests read the Korean report of 2026-01-07 for
the seed story's figures in Korean units, sweep every Korean page for the catalogue's English
strings, follow every hreflang link both ways, run the Nu Html Checker and axe-core on the
Korean pages, and check the Korean particles against the syllables' own decomposition.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import formatting_ko as ko
from generator.config import load_config
from generator.errors import ContentError
from tests.chart_specs import page_spec
from tests.conftest import CONTENT, build_at_epoch, keep_since, shared_build

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "templates" / "locale" / "site.pot"
PO = ROOT / "templates" / "locale" / "ko" / "LC_MESSAGES" / "site.po"

pytestmark = pytest.mark.xdist_group("bilingual_site")


@pytest.fixture(scope="session")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory, sample_site: Path) -> Path:
    """The sample content with both editions, built once per run and shared by the workers
    (read-only). It is built after the English sample, whose chart images the run's private
    cache then holds: the English edition's pages draw none again."""

    def make(folder: Path) -> None:
        content = folder / "content"
        shutil.copytree(CONTENT, content)
        settings = content / "site.toml"
        settings.write_text(settings.read_text(encoding="utf-8") + '\neditions = ["en", "ko"]\n', encoding="utf-8")
        build_at_epoch(content, folder / "site")

    return shared_build(tmp_path_factory, "bilingual", make) / "site"


class _Text(HTMLParser):
    """The visible text of a page (script and style left out) and its hreflang links;
    ``interface_only`` also leaves out code and whatever is marked as written in another
    language (``lang="en"``: a stock's English name beside its Korean one)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, interface_only: bool = False) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.alternates: dict[str, str] = {}
        self._interface_only = interface_only
        self._open: list[bool] = []  # per open element: whether its text is left out

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        if tag in self.VOID:
            return
        skip = tag in ("script", "style")
        if self._interface_only:
            skip = skip or tag == "code" or bool(a.get("lang")) and not a["lang"].startswith("ko")
        self._open.append(skip or bool(self._open and self._open[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not (self._open and self._open[-1]):
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def _read(path: Path, interface_only: bool = False) -> _Text:
    parser = _Text(interface_only)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_korean_report_of_jan_7_tells_the_seed_story_in_korean_units(bilingual_site: Path) -> None:
    page = _read(bilingual_site / "ko" / "reports" / "2026-01-07" / "index.html")
    text = page.text
    for figure in (
        "4,611.72", "4,525.48", "25.58포인트(0.57%)", "4,551.06", "9,780억 원", "2,092억 원", "7,442억 원",
        "27조 6,224억 원", "2026년 1월 7일(수)",
    ):
        assert figure in text, figure
    assert "코스피가 장중 4,611.72까지 오르며 사상 처음 4,600선을 넘었다" in text
    assert "전 거래일보다 25.58포인트(0.57%) 오른" in text
    assert "외국인이 9,780억 원어치를 순매수했고 개인과 기관은 각각 2,092억 원, 7,442억 원어치를 순매도했다" in text
    # Stocks by their Korean names from stocks.csv, linked to their pages.
    html = (bilingual_site / "ko" / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="../../stocks/005380/index.html"[^>]*>현대차</a>', html)
    assert '<html lang="ko">' in html and 'class="korean-convention"' in html


def test_an_event_is_told_in_the_editors_korean_words(bilingual_site: Path) -> None:
    import pandas as pd

    events = pd.read_csv(CONTENT / "data" / "events.csv", dtype=str, keep_default_na=False).set_index("date")
    event = events.loc["2025-03-31"]
    assert event["text_ko"] and event["headline_ko"], "the sample's resumption event is written in Korean too"
    page = _read(bilingual_site / "ko" / "reports" / "2025-03-31" / "index.html")
    assert event["headline_ko"] in page.text
    assert event["text_ko"] in page.text
    assert event["text"] not in page.text


def test_a_day_without_a_korean_note_still_has_its_korean_report_and_a_ko_md_note_is_shown(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    settings = content / "site.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\neditions = ["ko", "en"]\n', encoding="utf-8")
    (content / "commentary" / "2026-01-06.ko.md").write_text(
        "---\ntitle: 코스피 4,500선 돌파\nauthor: 증권부\n---\n외국인 매수세가 이어졌다.\n", encoding="utf-8"
    )
    # Only the last days' reports matter here: drop the history before December so the two
    # editions build in seconds.
    keep_since(content, "2025-12-01")
    out = tmp_path / "site"
    build_at_epoch(content, out)
    noted = _read(out / "reports" / "2026-01-06" / "index.html").text  # Korean first: at the root
    assert "코스피 4,500선 돌파" in noted and "외국인 매수세가 이어졌다." in noted and "편집자 노트" in noted
    plain = _read(out / "reports" / "2026-01-05" / "index.html").text
    assert not (content / "commentary" / "2026-01-05.ko.md").exists()
    assert "편집자 노트" not in plain and "코스피" in plain
    english = _read(out / "en" / "reports" / "2026-01-06" / "index.html").text
    assert "코스피 4,500선 돌파" not in english


def test_every_catalogue_string_has_a_korean_translation() -> None:
    from babel.messages.pofile import read_po

    with POT.open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    with PO.open("rb") as fh:
        korean = {m.id: m.string for m in read_po(fh, locale="ko") if m.id}
    assert template, "the catalogue template lists the templates' strings"
    assert template <= set(korean), sorted(template - set(korean))[:10]
    assert not [k for k in template if not korean[k]]


def _english_strings() -> list[str]:
    """The catalogue's English strings as a reader would see them (placeholders and markup cut)."""
    from babel.messages.pofile import read_po

    with POT.open("rb") as fh:
        ids = [text for m in read_po(fh) if m.id for text in (m.id if isinstance(m.id, tuple) else (m.id,))]
    out = set()
    for text in ids:
        pieces = re.split(r"%\(\w+\)s|<[^>]+>", text.replace("%%", "%"))
        for piece in pieces:
            piece = piece.strip(" .,:;()")
            # A lone word cut out of a longer string ("market" of "on the %(market)s market") is
            # too common to mean anything; a whole one-word string ("Close") is a label.
            if len(pieces) > 1 and " " not in piece:
                continue
            if len(piece) >= 4 and re.search(r"[A-Za-z]{3}", piece) and piece not in ("KOSPI Report", "Atom"):
                out.add(piece)
    return sorted(out, key=len, reverse=True)


INDICATOR_PAGES = ("indicators/index.html", *(f"indicators/{slug}/index.html" for slug in ("kospi", "investor-flows", "margin-loans", "stock-lending")))


def test_no_korean_page_shows_an_english_interface_string(bilingual_site: Path) -> None:
    strings = _english_strings()
    found = []
    for path in sorted((bilingual_site / "ko").rglob("*.html")):
        text = _read(path, interface_only=True).text
        for s in strings:
            # (A file name such as stocks.csv is not the word "stocks".)
            if re.search(rf"(?<![A-Za-z_]){re.escape(s)}(?![A-Za-z_]|\.[a-z])", text):
                found.append(f"{path.relative_to(bilingual_site)}: {s!r}")
    assert not found, "\n".join(found[:30])


def test_a_korean_stock_page_reads_in_korean(bilingual_site: Path) -> None:
    """Samsung Electronics' Korean page: its figures, sections, tables and months in Korean words
    and units, under its Korean name; the English page keeps its English words."""
    html = (bilingual_site / "ko" / "stocks" / "005930" / "index.html").read_text(encoding="utf-8")
    text = _read(bilingual_site / "ko" / "stocks" / "005930" / "index.html", interface_only=True).text
    for words in ("종가", "사상 최고가 기록", "대차거래 잔고", "삼성전자 장중 사상 최고가: 기록", "삼성전자 월말 주가(최근 순, 원)",
                  "기록일", "유지 일수", "전월 대비", "1거래일", "20거래일"):
        assert words in text, words
    assert ">record</span>" not in html, "a record badge in English"
    assert re.search(r"\d+조( [\d,]+억)? 원", text) and re.search(r"2026년 1월 \d+일 기준", text)
    assert re.search(r"<th scope=\"row\">20\d\d년 \d+월</th>", html), "month-end rows by 2026년 1월"
    assert '<meta name="description" content="삼성전자(005930)' in html
    for english in ("Record highs", "Stock lending", "Lending balance", "as of ", " won", "January", "record intraday"):
        assert english not in text, english
    english_page = _read(bilingual_site / "stocks" / "005930" / "index.html").text
    assert "Samsung Electronics record intraday highs" in english_page and "Lending balance" in english_page


def test_hreflang_pairs_resolve_both_ways(bilingual_site: Path) -> None:
    pages = sorted(p for p in bilingual_site.rglob("*.html") if p.name != "404.html" and "pagefind" not in p.parts)
    checked = 0
    for path in pages:
        alternates = _read(path).alternates
        assert set(alternates) == {"en", "ko", "x-default"}, path
        here = "/" + path.relative_to(bilingual_site).as_posix().removesuffix("index.html")
        assert here in (alternates["en"], alternates["ko"]), path
        for lang in ("en", "ko"):
            target = bilingual_site / alternates[lang].lstrip("/") / "index.html" if alternates[lang].endswith("/") else bilingual_site / alternates[lang].lstrip("/")
            assert target.is_file(), f"{path}: {lang} -> {alternates[lang]}"
            back = _read(target).alternates
            assert back == alternates, f"{target} does not point back to {here}"
        checked += 1
    assert checked > 1000  # every page of both editions


def test_every_korean_page_links_its_english_page_in_the_language_switch(bilingual_site: Path) -> None:
    for path in (bilingual_site / "ko").rglob("*.html"):
        if path.name == "404.html":
            continue
        html = path.read_text(encoding="utf-8")
        switch = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', html, re.S)
        assert switch, path
        assert 'hreflang="en"' in switch.group(1) and 'aria-current="true"' in switch.group(1)


def test_korean_feed_and_search_page(bilingual_site: Path) -> None:
    import feedparser

    feed = feedparser.parse((bilingual_site / "ko" / "feed.xml").read_bytes())
    titles = [e.title for e in feed.entries]
    assert titles and all(re.search(r"[가-힣]", t) for t in titles)
    search = _read(bilingual_site / "ko" / "search" / "index.html").text
    assert "검색" in search


def test_the_english_edition_keeps_its_own_pages(bilingual_site: Path, sample_site: Path) -> None:
    """Adding the Korean edition changes an English page only by its alternates and switch."""
    both = (bilingual_site / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    alone = (sample_site / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    both = re.sub(r'<link rel="alternate" hreflang[^>]*>\n', "", both)
    both = re.sub(r'\s*<nav class="languages".*?</nav>', "", both, flags=re.S)
    assert both == alone


def test_an_unknown_edition_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('title = "x"\neditions = ["en", "jp"]\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_config(tmp_path)
    problem = caught.value.problems[0]
    assert problem.line == 2 and problem.column == "editions" and "'jp'" in problem.message


def _has_final(syllable: str) -> bool:
    """Brute-force twin of the particle rule: a syllable whose decomposition has three jamo ends
    in a consonant."""
    return len(unicodedata.normalize("NFD", syllable)) == 3


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=6))
def test_particles_follow_the_last_syllable(word: str) -> None:
    final = _has_final(word[-1])
    assert ko.josa(word, "이") == word + ("이" if final else "가")
    assert ko.josa(word, "는") == word + ("은" if final else "는")
    assert ko.josa(word, "를") == word + ("을" if final else "를")
    rieul = unicodedata.normalize("NFD", word[-1])[-1] == "\u11af"
    assert ko.josa(word, "로") == word + ("으로" if final and not rieul else "로")


@given(st.integers(min_value=0, max_value=10**15))
def test_won_in_jo_and_eok_reads_back_to_the_rounded_amount(value: int) -> None:
    text = ko.won(value)
    jo = re.search(r"([\d,]+)조", text)
    eok = re.search(r"([\d,]+)억", text)
    if round(value / 1e8) == 0:
        assert text.endswith("원")
        return
    total = (int(jo.group(1).replace(",", "")) * 10_000 if jo else 0) + (int(eok.group(1).replace(",", "")) if eok else 0)
    assert total == round(value / 1e8)


def test_korean_dates() -> None:
    import datetime as dt

    day = dt.date(2026, 1, 7)
    assert ko.date_weekday(day) == "1월 7일(수)"
    assert ko.long_date(day) == "2026년 1월 7일(수)"
    assert ko.date(dt.date(2025, 12, 17), day) == "2025년 12월 17일"
    assert ko.date(dt.date(2026, 1, 2), day) == "1월 2일"


def test_korean_pages_are_valid_html(bilingual_site: Path) -> None:
    from tests.test_html_validity import PAGES, vnu_messages

    files = [bilingual_site / "ko" / p for p in PAGES if (bilingual_site / "ko" / p).is_file()]
    assert len(files) >= len(PAGES) - 1
    errors = vnu_messages(files + [bilingual_site / "reports" / "2026-01-07" / "index.html"])
    assert not [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors][:30]


KOREAN_PAGES = ("ko/", "ko/reports/2026-01-07/", "ko/archive/", "ko/glossary/", "ko/stocks/005930/", "ko/indicators/kospi/")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations_on_korean_pages(bilingual_site: Path, serve_site, new_page, scheme: str) -> None:
    from tests.test_site_browser import AXE, _axe, _settle

    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it installs tools/package.json with npm)")
    url = serve_site(bilingual_site)
    page = new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
    problems = []
    for path in KOREAN_PAGES:
        page.goto(url + path)
        _settle(page)
        for v in _axe(page):
            problems.append(f"{path}: {v['id']} ({v['impact']}) {v['help']} at {[n['target'] for n in v['nodes'][:3]]}")
    assert not problems, "\n".join(problems)
    assert page.external_requests == []


@pytest.mark.browser
def test_every_korean_chart_draws_from_its_korean_template(bilingual_site: Path, serve_site, new_page) -> None:
    """The Korean pages' charts draw in Chromium with no console error, each from the Korean
    edition's template script (assets/specs/*.ko.*.js), and the report's chart labels read Korean."""
    url = serve_site(bilingual_site)
    page = new_page(viewport={"width": 1280, "height": 900})
    for path in KOREAN_PAGES:
        page.goto(url + path)
        charts = page.locator(".vega[data-spec]")
        if not charts.count():
            continue
        page.wait_for_function(
            "() => [...document.querySelectorAll('.vega[data-spec]')].every(c => c.classList.contains('drawn') || c.classList.contains('failed'))",
            timeout=60_000,
        )
        assert page.locator(".vega.drawn").count() == charts.count(), path
        html = page.content()
        assert ".ko." in html and not re.search(r'assets/specs/[^"]+\.en\.[0-9a-f]+\.js', html), path
    page.goto(url + "ko/reports/2026-01-07/")
    page.wait_for_function("() => document.querySelectorAll('.vega.drawn').length >= 6", timeout=60_000)
    labels = page.evaluate("() => [...document.querySelectorAll('#chart-index-3m .vega-view svg text')].map(t => t.textContent)")
    assert any("월" in t for t in labels), labels
    assert page.console_errors == [] and page.external_requests == []


@pytest.mark.browser
def test_korean_pages_fit_a_phone_and_the_switch_goes_to_the_english_page(bilingual_site: Path, serve_site, new_page) -> None:
    url = serve_site(bilingual_site)
    page = new_page(viewport={"width": 375, "height": 800})
    for path in KOREAN_PAGES:
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    page.goto(url + "ko/reports/2026-01-07/")
    page.locator('.languages a[hreflang="en"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/reports/2026-01-07/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator('.languages a[hreflang="ko"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/ko/reports/2026-01-07/index.html")
    assert "9,780억 원" in page.locator(".lede").inner_text()


@pytest.mark.browser
def test_korean_search_finds_korean_reports_of_earlier_years(bilingual_site: Path, serve_site, new_page) -> None:
    """/ko/search/ searches the one index at the site root, earlier years' bundles included, in
    Korean: the word of the 2023 ban event finds its Korean report, never an English page."""
    url = serve_site(bilingual_site)
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "ko/search/?q=시행됐다")
    page.locator("a.pagefind-ui__result-link").first.wait_for(timeout=15_000)
    links = [a.get_attribute("href") for a in page.locator("a.pagefind-ui__result-link").all()]
    assert "/ko/reports/2023-11-06/" in links, links
    assert all(link.startswith("/ko/") for link in links), links
    box = page.locator("input.pagefind-ui__search-input")
    assert box.get_attribute("placeholder") == "리포트와 편집자 노트 검색"
    assert page.locator("label.search-label").inner_text() == "리포트 검색"
    assert "결과" in page.locator(".pagefind-ui__message").inner_text()
    # The English search page finds the same day's English report and no Korean page.
    page.goto(url + "search/?q=regulators")
    page.locator("a.pagefind-ui__result-link").first.wait_for(timeout=15_000)
    links = [a.get_attribute("href") for a in page.locator("a.pagefind-ui__result-link").all()]
    assert "/reports/2023-11-06/" in links, links
    assert not any(link.startswith("/ko/") for link in links), links
    assert page.external_requests == []
    assert page.console_errors == []


def test_the_sample_korean_note_of_jan_7_is_on_the_korean_report_only(bilingual_site: Path) -> None:
    korean = _read(bilingual_site / "ko" / "reports" / "2026-01-07" / "index.html").text
    english = _read(bilingual_site / "reports" / "2026-01-07" / "index.html").text
    assert "편집자 노트" in korean and "빚투, 사상 최대" in korean and "27조 5,288억 원" in korean
    assert "빚투" not in english and "Leverage at a record" in english


def test_the_korean_headline_chart_speaks_korean(bilingual_site: Path) -> None:
    """The Korean report's headline chart: its title, tooltip titles and axis labels in Korean
    in the spec the browser draws, and Hangul in the static picture shown before it draws."""
    import json
    import re

    page = bilingual_site / "ko" / "reports" / "2026-01-07" / "index.html"
    html = page.read_text(encoding="utf-8")
    text = json.dumps(page_spec(page, "index-3m"), ensure_ascii=False)
    assert "코스피: 종가와 장중 등락 폭" in html
    tips = set(re.findall(r'"title": "([^"]+)"', text))
    assert {"종가", "고가", "저가"} <= tips, tips
    assert "'월'" in text and "Prior record high" not in text
    fallback = html[html.index('class="fallback'):]
    fallback = fallback[: fallback.index("</svg>")]
    assert re.search("[가-힣]", fallback), "the static picture has no Korean text"


def test_the_korean_indicator_pages_speak_korean(bilingual_site: Path) -> None:
    """The indicator pages' figures, tables and record books: Korean words, won in 조/억, Korean
    dates and names, and no English word outside the charts' data."""
    pages = {p: _read(bilingual_site / "ko" / p, interface_only=True).text for p in INDICATOR_PAGES}
    kospi, flows, margin, lending = (pages[f"indicators/{s}/index.html"] for s in ("kospi", "investor-flows", "margin-loans", "stock-lending"))
    assert "코스피 종가" in kospi and "기간별 등락" in kospi and "포인트" in kospi and "코스피 사상 최고 종가" in kospi
    assert "외국인 하루 최대 순매수" in flows and "억 원" in flows and "투자자" in flows
    assert "전체 시장" in margin and "신용거래융자 잔고" in margin and re.search(r"\d조 [\d,]+억 원", margin)
    assert "삼성전자 대차거래 잔고" in lending and "2026년 1월" in lending
    for path, text in pages.items():
        words = re.findall(r"[A-Za-z]{3,}", text)
        assert set(words) <= {"English", "Atom", "CSV", "NAVER", "POSCO", "KOSPI", "Report"}, (path, sorted(set(words)))


def test_the_korean_research_data_and_archive_pages_speak_korean(bilingual_site: Path) -> None:
    """The research study's answer, chart and stock names, the data page's dates and the archive's
    months and weekdays are in Korean; no English word is left but names, files and columns."""
    ko_dir = bilingual_site / "ko"
    research = _read(ko_dir / "research" / "leverage-risk" / "index.html").text
    assert "대차가 많은 종목은 시장이 꺾였을 때 더 크게 떨어졌을까?" in research
    assert re.search(r"대차가 많은 종목(일수록|이) 더 크게 떨어[졌지]", research)
    assert "상관계수 " in research and re.search(r"고점 당시 대차 규모와 이후 낙폭\((종목 \d+개|측정 \d+건)\)", research)
    html = (ko_dir / "research" / "leverage-risk" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'aria-label="종목 \d+개의 산점도: ', html) and "Scatter chart" not in html
    assert "삼성전자" in research and "Samsung Electronics" not in research and "Batteries" not in research
    data = _read(ko_dir / "data" / "index.html").text
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", data.split("시계열 파일")[1].split("일별 스냅숏")[0])
    archive = _read(ko_dir / "archive" / "index.html")
    assert "2026년 1월 리포트 4건, 노트 1건" in archive.text and re.search(r"2026년 1월 7 ?일\(수\): 코스피", archive.text)
    archive_html = (ko_dir / "archive" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="y2025">2025년</h2>' in archive_html and '<a href="#y2024">2024년</a>' in archive_html, "a year reads as a year"
    assert '<h2 id="y2025">2025</h2>' in (bilingual_site / "archive" / "index.html").read_text(encoding="utf-8")
    allowed = {"NAVER", "POSCO", "KOSPI", "KOSDAQ", "CSV", "JSON", "KB", "SK", "LG", "English", "Atom", "YYYY-MM-DD"}
    for page, text in (("research", research), ("archive", archive.text)):
        english = {w for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text) if w not in allowed}
        assert not english, (page, sorted(english))


def _names(content: Path) -> set[str]:
    """Words a Korean page may show in Latin letters: the English names of stocks that have no
    Korean one, index names, the data files' column names, and the names of formats."""
    import csv

    words = {"KOSPI", "KOSDAQ", "CSV", "JSON", "Atom", "RSS", "PNG", "SVG", "UTF", "YYYY-MM-DD", "KRX", "KOFIA", "Pagefind"}
    for table in (content / "data").glob("*.csv"):
        with table.open(encoding="utf-8") as fh:
            words.update(next(csv.reader(fh), []))
    with (content / "data" / "stocks.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            words.update(re.findall(r"[A-Za-z][A-Za-z'&.-]*", row["name"]))
            words.update(re.findall(r"[A-Za-z][A-Za-z'&.-]*", row.get("name_ko") or ""))
    return words


def test_no_korean_page_shows_english_words(bilingual_site: Path) -> None:
    """Beyond the catalogue's strings: any English word on a Korean page (outside code and text
    marked lang="en") that is not a name is a string written in Python that missed translation."""
    allowed = _names(CONTENT)
    # Content pages (content/pages/) are the editors' words, in the site's own language: a Korean
    # edition shows them as written, marked as English, with a Korean note saying so.
    content_pages = {bilingual_site / "ko" / f.stem / "index.html" for f in (CONTENT / "pages").glob("*.md")}
    assert content_pages
    for path in content_pages:
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<article class="page prose" data-pagefind-body lang="en">\s*<p class="note" lang="ko">', html), path
    found: dict[str, str] = {}
    for path in sorted(set((bilingual_site / "ko").rglob("*.html")) - content_pages):
        text = _read(path, interface_only=True).text
        for word in re.findall(r"(?<![\w.@/-])[A-Za-z][A-Za-z'-]{2,}(?![\w.@/-])", text):
            if word not in allowed and not re.fullmatch(r"[A-Z]{2,5}", word):  # an acronym: SDV, ETF
                found.setdefault(word, str(path.relative_to(bilingual_site)))
    assert not found, "\n".join(f"{page}: {word!r}" for word, page in list(found.items())[:40])


def test_the_korean_stocks_page_runs_by_korean_sector_then_korean_name() -> None:
    import pandas as pd

    from generator.charts.words import words
    from generator.site.stocks import StockPage, index_order
    from generator.stock_names import StockName
    from generator.story.korean import sector_ko

    rows = pd.read_csv(CONTENT / "data" / "stocks.csv", dtype=str, keep_default_na=False).to_dict("records")
    pages = [StockPage(StockName(r["ticker"], r["name"], r.get("name_ko") or None, r.get("sector") or None, None)) for r in rows]
    pages.append(StockPage(StockName("999990", "No Sector Co", "무업종", None, None)))
    ko_order = [(sector_ko(p.name.sector), p.name.name_ko or p.name.name) for p in index_order(pages, words("ko")) if p.name.sector]
    assert ko_order == sorted(ko_order) and len({s for s, _ in ko_order}) > 1
    assert index_order(pages, words("ko"))[-1].name.ticker == "999990", "a stock without a sector comes last"
    en_order = [(p.name.sector, p.name.name) for p in index_order(pages, words("en")) if p.name.sector]
    assert en_order == sorted(en_order) and en_order != [(sector_ko(s), n) for s, n in ko_order]
