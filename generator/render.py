"""Stage 6, render: pages from Jinja2 templates.

Autoescaping is on for every template. Links between pages are relative (``url()``), so one
build works at a domain root, under a sub-path and opened from disk; absolute URLs (canonical
links, feed, sitemap) come from ``base_url`` (``absolute_url()``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import jinja2

from generator import formatting as fmt
from generator.config import SiteConfig


def templates_dir() -> Path:
    """The templates folder: packaged with the wheel, or the source tree's ``templates/``."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "templates"


def relative_url(from_page: str, target: str) -> str:
    """A link from the page at site path ``from_page`` (e.g. ``reports/2026-01-07/index.html``)
    to ``target`` (``archive/``, ``assets/site.css``, ``""`` for home). Folder targets get
    ``index.html`` so that links also work when the site is opened from disk."""
    if target == "" or target.endswith("/"):
        target = target + "index.html"
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(target, start)


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
            "month_day": fmt.month_day,
            "long_date": fmt.long_date,
            "isodate": lambda d: d.isoformat() if d else "",
            "date": lambda s: dt.date.fromisoformat(s) if isinstance(s, str) else s,
        }
        self.env.filters.update(filters)
        self.env.globals.update(site=config, build_time=build_time)

    def render(self, template: str, page_path: str, **context) -> str:
        """Render ``template`` as the page at site path ``page_path``."""
        context.setdefault("canonical", self.config.absolute(_pretty(page_path)))
        return self.env.get_template(template).render(
            page_path=page_path,
            url=lambda target: relative_url(page_path, target),
            absolute_url=self.config.absolute,
            **context,
        )


def _pretty(page_path: str) -> str:
    """``reports/2026-01-07/index.html`` -> ``reports/2026-01-07/`` (the public URL)."""
    return page_path[: -len("index.html")] if page_path.endswith("index.html") else page_path
