"""Stage 7, render: pages from Jinja2 templates.

Autoescaping is on for every template. Links between pages are relative (``url()``), so one
build works at a domain root, under a sub-path and opened from disk; absolute URLs (canonical
links, feed, sitemap) come from ``base_url`` (``absolute_url()``).
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import formatting as fmt
from generator.config import SiteConfig
from generator.editions import Edition, editions, shared, translations
from generator.stock_links import link_mentions, link_stocks


def templates_dir() -> Path:
    """The templates folder: packaged with the wheel, or the source tree's ``templates/``."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "templates"


@functools.lru_cache(maxsize=65536)
def relative_url(from_page: str, target: str) -> str:
    """A link from the page at site path ``from_page`` (e.g. ``reports/2026-01-07/index.html``)
    to ``target`` (``archive/``, ``assets/site.css``, ``""`` for home). Folder targets get
    ``index.html`` so that links also work when the site is opened from disk."""
    if target == "" or target.endswith("/"):
        target = target + "index.html"
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(target, start)


def root_url(site_root: str, target: str) -> str:
    """A root-relative link (``/kospi/archive/``) for pages served at any depth, such as the
    404 page, which a host returns for every missing path so relative links would break."""
    return site_root + target.lstrip("/")


_TABLE_OPEN = re.compile(r"<table(\s[^>]*)?>")


def scroll_tables(html: str) -> str:
    """Wrap each table of sanitised HTML (commentary, pages) in a ``.table-scroll`` box so a
    wide table scrolls inside itself instead of widening a phone's page."""
    html = _TABLE_OPEN.sub(lambda m: '<div class="table-scroll">' + m.group(0), html)
    return html.replace("</table>", "</table></div>")


class Renderer:
    """A Jinja2 environment for one build, with the site's formatting filters."""

    def __init__(
        self,
        config: SiteConfig,
        build_time: dt.datetime,
        folder: Path | None = None,
        edition: Edition | None = None,
        all_editions: list[Edition] | None = None,
    ):
        self.config = config
        #: the language edition this renderer writes (generator/editions.py); the site's
        #: first edition when not given
        self.edition = edition or editions(config)[0]
        self.editions = all_editions if all_editions is not None else editions(config)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        self.translations = translations(self.edition.lang)
        self.env.install_gettext_translations(self.translations, newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
        filters = {
            "level": fmt.level,
            "won_price": fmt.won_price,
            "signed": fmt.signed,
            "pct": fmt.pct,
            "won": fmt.won,
            "won_ko": fmt.won_ko,
            "usd": fmt.usd,
            "month_day": month_day_on_page,
            "long_date": fmt.long_date,
            "ap_month": fmt.ap_month,
            "isodate": lambda d: d.isoformat() if d else "",
            "date": lambda s: dt.date.fromisoformat(s) if isinstance(s, str) else s,
            "scroll_tables": scroll_tables,
            "link_stocks": link_stocks_on_page,
            "link_terms": link_terms_on_page,
        }
        if self.edition.lang == "ko":
            filters.update(korean_filters())
        else:
            filters.update(investor=lambda name: name.capitalize(), sector=lambda name: name, index_label=lambda name: name,
                           year=lambda year: str(year))
        filters["translate"] = self.gettext  # content text the catalogue may hold (the sample's notice); escaped as usual
        self.env.filters.update(filters)
        self.env.globals.update(site=config, build_time=build_time, research_path=RESEARCH_PATH, claim=claim_attributes)
        # The English root edition keeps the site's own language and colours, as before editions.
        lang = config.language if self.edition.lang == "en" and not self.edition.prefix else self.edition.lang
        # Editors write the content pages (content/pages/) in the site's own language; another
        # edition shows them marked as that language (templates/page.html).
        self.env.globals.update(page_lang=lang, colors=self.edition.color_convention, edition=self.edition,
                                content_lang=config.language)

    def gettext(self, text: str) -> str:
        """``text`` in the edition's language (itself where the catalogue has no entry)."""
        return self.translations.gettext(text)

    def alternates(self, page_path: str) -> list[tuple[Edition, str, str]]:
        """The same page in every edition (this one included): (edition, relative link from
        this page, absolute URL), for the language switch and ``hreflang``; none for a site
        of one edition."""
        if len(self.editions) < 2:
            return []
        here = self.edition.prefix + page_path
        out = []
        for e in self.editions:
            target = e.prefix + _pretty(page_path)
            out.append((e, relative_url(here, target), self.config.absolute(target)))
        return out

    def render(self, template: str, page_path: str, *, root_relative: bool = False, **context) -> str:
        """Render ``template`` as the page at site path ``page_path``.

        ``root_relative`` makes ``url()`` give links from the site root (``/kospi/archive/``)
        instead of relative ones: for the 404 page, which is served at whatever path was missing.
        """
        prefix = self.edition.prefix
        context.setdefault("canonical", self.config.absolute(prefix + _pretty(page_path)))
        for key in ("title", "description"):
            if isinstance(context.get(key), str) and self.edition.lang != "en":
                context[key] = self.gettext(context[key])

        def edition_path(target: str) -> str:
            return target if not prefix or shared(target) else prefix + target

        if root_relative:
            root = self.config.site_root
            link = lambda target: root_url(root, edition_path(target))  # noqa: E731
        else:
            here = prefix + page_path
            link = lambda target: relative_url(here, edition_path(target))  # noqa: E731
        return self.env.get_template(template).render(
            page_path=page_path,
            url=link,
            absolute_url=lambda path: self.config.absolute(edition_path(path)),
            alternates=[] if root_relative else self.alternates(page_path),
            **context,
        )


def korean_filters() -> dict:
    """The Korean edition's number, date and name filters (generator/formatting_ko.py)."""
    from generator import formatting_ko as ko
    from generator.charts.words import words
    from generator.story.korean import INVESTORS_KO, index_ko, sector_ko

    def usd(value: float | None) -> str:
        return ("−" if value is not None and value < 0 else "") + ko.usd(value)

    @jinja2.pass_context
    def month_day(context: jinja2.runtime.Context, day: dt.date, year_of: object = _PAGE_DAY) -> str:
        if year_of is _PAGE_DAY:
            page_day = context.get("day")
            year_of = page_day if isinstance(page_day, dt.date) else dt.date(1, 1, 1)
        return ko.date(day, year_of if isinstance(year_of, dt.date) else None)

    return {
        "won": words("ko").won,  # 조 and 억, as the Korean charts and tables write it
        "usd": usd,
        "month_day": month_day,
        "long_date": ko.long_date,
        "investor": lambda name: INVESTORS_KO.get(name, name),
        "sector": sector_ko,
        "index_label": index_ko,
        "year": lambda year: f"{year}년",  # a year standing alone, as a heading: 2026년
    }


@jinja2.pass_context
def link_stocks_on_page(context: jinja2.runtime.Context, text: str, stocks: dict) -> Markup:
    """The ``link_stocks`` filter: stock names in ``text`` linked to their pages, for a
    snapshot's ``stocks`` (ticker -> figures with a ``name``); see generator/stock_links.py."""
    url = context["url"]
    key = "name_ko" if context.get("page_lang") == "ko" else "name"
    names = {t: name for t, s in (stocks or {}).items() if isinstance(s, dict) and (name := s.get(key) or s.get("name"))}
    return link_stocks(text, names, lambda ticker: url(f"stocks/{ticker}/"))


@jinja2.pass_context
def link_terms_on_page(context: jinja2.runtime.Context, text: str, terms: dict[str, str]) -> Markup:
    """The ``link_terms`` filter: glossary terms a lede did not explain (text -> glossary
    anchor, from the story) linked to their entries on the glossary page."""
    url = context["url"]
    return link_mentions(text, {words: url("glossary/") + "#" + slug for words, slug in (terms or {}).items()}, "term-link")


def claim_attributes(path: str, day: dt.date | str) -> Markup:
    """The attributes by which a badge or an arrow names the snapshot field it states: ``path``
    into the snapshot of ``day`` (generator.site.views.Claim), checked by tests/test_audit.py.
    The one way templates write them: ``<span class="badge record"{{ claim(path, day) }}>``."""
    return Markup(' data-claim="{}" data-claim-day="{}"').format(path, day.isoformat() if isinstance(day, dt.date) else day)


_PAGE_DAY = object()


@jinja2.pass_context
def month_day_on_page(context: jinja2.runtime.Context, day: dt.date, year_of: object = _PAGE_DAY) -> str:
    """The ``month_day`` filter: "Dec. 17", with the year whenever it differs from the page's
    own day (the ``day`` of a report), and always with the year on a page that has no day.

    So a template cannot print "July 26" for a 2023 record on a 2026 page by leaving the
    argument out; ``month_day(none)`` asks for no year explicitly."""
    if year_of is _PAGE_DAY:
        page_day = context.get("day")
        year_of = page_day if isinstance(page_day, dt.date) else None
        if year_of is None:
            return f"{fmt.month_day(day)}, {day.year}"
    return fmt.month_day(day, year_of if isinstance(year_of, dt.date) else None)


#: The research study's page (written by generator/site/research.py): the navigation links to it.
RESEARCH_PATH = "research/leverage-risk/"


def _pretty(page_path: str) -> str:
    """``reports/2026-01-07/index.html`` -> ``reports/2026-01-07/`` (the public URL)."""
    return page_path[: -len("index.html")] if page_path.endswith("index.html") else page_path
