"""Stage 6, render: pages from Jinja2 templates.

Autoescaping is on for every template. Links between pages are relative (``url()``), so one
build works at a domain root, under a sub-path and opened from disk; absolute URLs (canonical
links, feed, sitemap) come from ``base_url`` (``absolute_url()``).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import posixpath
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import formatting as fmt
from generator.config import SiteConfig
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

    def __init__(self, config: SiteConfig, build_time: dt.datetime, folder: Path | None = None):
        self.config = config
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
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
        self.env.filters.update(filters)
        self.env.globals.update(site=config, build_time=build_time, research_path=research_path(), claim=claim_attributes)

    def render(self, template: str, page_path: str, *, root_relative: bool = False, **context) -> str:
        """Render ``template`` as the page at site path ``page_path``.

        ``root_relative`` makes ``url()`` give links from the site root (``/kospi/archive/``)
        instead of relative ones: for the 404 page, which is served at whatever path was missing.
        """
        context.setdefault("canonical", self.config.absolute(_pretty(page_path)))
        if root_relative:
            root = self.config.site_root
            link = lambda target: root_url(root, target)  # noqa: E731
        else:
            link = lambda target: relative_url(page_path, target)  # noqa: E731
        return self.env.get_template(template).render(
            page_path=page_path,
            url=link,
            absolute_url=self.config.absolute,
            **context,
        )


@jinja2.pass_context
def link_stocks_on_page(context: jinja2.runtime.Context, text: str, stocks: dict) -> Markup:
    """The ``link_stocks`` filter: stock names in ``text`` linked to their pages, for a
    snapshot's ``stocks`` (ticker -> figures with a ``name``); see generator/stock_links.py."""
    url = context["url"]
    names = {t: s.get("name") for t, s in (stocks or {}).items() if isinstance(s, dict)}
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


def research_path() -> str | None:
    """Where the navigation's Research link points: the research study, when the build has it
    (the family module generator/site/research.py), else None and the link is left out."""
    return "research/leverage-risk/" if importlib.util.find_spec("generator.site.research") else None


def _pretty(page_path: str) -> str:
    """``reports/2026-01-07/index.html`` -> ``reports/2026-01-07/`` (the public URL)."""
    return page_path[: -len("index.html")] if page_path.endswith("index.html") else page_path
