"""The catalogue: the registry of chart families and the build's chart templates.

Each chart family is a module of generator/charts/ that declares its templates, its rows and its
text alternatives in one ``FAMILY`` value (generator/charts/family.py); ``FAMILIES`` lists them,
in the order pages show their charts. The catalogue builds each template once per build (or
takes it from the template cache of an earlier build) and asks the families for a page's charts:

- ``report_charts(day, snap)``: a day's report, headline chart (the index, 3 months) first;
- ``home_charts(day, snap)``: the home page (the latest report's charts);
- ``indicator_charts(slug)``: an indicator page's long-history charts, for the slugs in
  ``INDICATORS`` ("kospi", "investor-flows", "margin-loans", "stock-lending");
- ``stock_charts(ticker)``: a tracked stock's price history and lending balance.

Each returns a list of ``Chart`` (empty when the data is missing); a page renders each with
``templates/partials/chart.html`` (context: ``chart`` and ``chart_dir``, the page's folder)
and writes ``chart_files(chart)`` (generator/charts/__init__.py) beside itself. The static
images of a page's charts (SVG fallbacks, the social card) are generator/charts/page_images.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from generator.analysis.history import History
from generator.cache import write_cache_file
from generator.charts import Chart, ChartTemplate, flows, index_level, lending, leverage, performance
from generator.charts.family import ChartFamily
from generator.charts.images import StaticImages
from generator.charts.theme import Theme
from generator.charts.words import ChartWords
from generator.dataset import Dataset
from generator.snapshot_types import Snapshot
from generator.stock_names import stock_names

#: The chart families, in the order a page shows their charts.
FAMILIES: tuple[ChartFamily, ...] = (index_level.FAMILY, flows.FAMILY, leverage.FAMILY, lending.FAMILY, performance.FAMILY)

#: The headline chart of a report: it gets the static fallback and the social card.
HEADLINE = "index-3m"
#: The slug under which the headline index's family lists its page ("kospi", whatever the index).
INDEX_PAGE = "kospi"

#: Indicator page slugs and what each shows.
INDICATORS: dict[str, str] = {
    "kospi": "the headline index over its whole history",
    "investor-flows": "net buying by investor type",
    "margin-loans": "the margin-loan balance",
    "stock-lending": "stock-lending balances of the tracked stocks",
}


def index_slug(name: str) -> str:
    """An index's page slug: "KOSPI" -> "kospi", "KOSPI 200" -> "kospi-200"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@cache
def _factories() -> dict[str, Callable[[str, Theme], ChartTemplate]]:
    """Every family's template factories by template id (an id declared twice is a mistake)."""
    out: dict[str, Callable[[str, Theme], ChartTemplate]] = {}
    for family in FAMILIES:
        for template_id, factory in family.templates.items():
            if template_id in out:
                raise ValueError(f"two chart families declare the template {template_id!r}")
            out[template_id] = factory
    return out


class TemplateCache:
    """Chart templates kept on disk between builds, keyed by the code fingerprint (which covers
    the chart modules, the theme and the Altair version) and the settings a template depends on.

    Building the catalogue's templates with Altair (and its schema validation) takes a second or
    two, on every build, for specs that only a change of code or settings changes."""

    def __init__(self, folder: Path | None, code: str):
        self.folder = folder
        self.code = code

    def _path(self, key: tuple) -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.blake2b(repr((self.code, key)).encode("utf-8"), digest_size=16).hexdigest()
        return self.folder / f"{name}.json"

    def get(self, key: tuple) -> ChartTemplate | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return ChartTemplate(raw["id"], raw["title"], raw["spec"], tuple(raw["columns"]), raw["headers"], raw["kinds"], raw.get("lang", "en"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: tuple, template: ChartTemplate) -> None:
        path = self._path(key)
        if path is None:
            return
        text = json.dumps(
            {"id": template.id, "title": template.title, "spec": template.spec, "columns": list(template.columns),
             "headers": template.headers, "kinds": template.kinds, "lang": template.lang},
            ensure_ascii=False,
        )
        write_cache_file(path, text.encode("utf-8"))


class Catalogue:
    """Chart templates for one build; page methods ask the families for a page's charts."""

    def __init__(
        self,
        data: Dataset,
        hist: History,
        *,
        images: StaticImages | None = None,
        fallbacks: bool = True,
        template_cache: TemplateCache | None = None,
        lang: str = "en",
        color_convention: str | None = None,
    ):
        self.data = data
        self.hist = hist
        self.index_name = data.config.headline_index
        #: the edition's colours and language (its words: ``self.words``, generator/charts/words.py)
        self.theme = Theme(color_convention or data.config.color_convention, lang)
        #: the build's static-image renderer and its cache (generator/charts/page_images.py)
        self.images = images if images is not None else StaticImages()
        #: whether charts carry their static SVGs (off to time specs alone)
        self.fallbacks = fallbacks
        self._built: dict[str, ChartTemplate] = {}
        #: templates from earlier builds of the same code and settings (None: always build them)
        self.template_cache = template_cache
        self._names: dict[str, str] | None = None

    # ----------------------------------------------------------------- templates

    def template(self, template_id: str) -> ChartTemplate:
        """One template, built (and schema-checked by Altair) the first time a page needs it,
        then reused by every page of the build."""
        made = self._built.get(template_id)
        if made is None:
            cache, key = self.template_cache, (template_id, self.index_name, self.theme.convention, self.theme.lang)
            made = cache.get(key) if cache is not None else None
            if made is None:
                made = _factories()[template_id](self.index_name, self.theme)
                if cache is not None:
                    cache.put(key, made)
            self._built[template_id] = made
        return made

    @property
    def templates(self) -> dict[str, ChartTemplate]:
        """Every template of the catalogue (building those not yet built)."""
        return {key: self.template(key) for key in _factories()}

    @property
    def words(self) -> ChartWords:
        """The edition's chart words (its catalogue's and formatter's)."""
        return self.theme.words

    def for_edition(self, lang: str, color_convention: str) -> Catalogue:
        """The catalogue of another edition: the same data and image renderer, its own
        language and colours (and so its own templates)."""
        if (lang, color_convention) == (self.theme.lang, self.theme.convention):
            return self
        return Catalogue(self.data, self.hist, images=self.images, fallbacks=self.fallbacks,
                         template_cache=self.template_cache, lang=lang, color_convention=color_convention)

    def names(self) -> dict[str, str]:
        """Stock names by ticker, for charts that name stocks (their Korean names in Korean)."""
        if self._names is None:
            self._names = {ticker: self.words.stock_name(n) for ticker, n in stock_names(self.data).items()}
        return self._names

    # ----------------------------------------------------------------- pages

    def report_charts(self, day: dt.date, snap: Snapshot) -> list[Chart]:
        """The charts of a day's report, the headline chart (the index, 3 months) first, without
        their static images (``page_images.attach_fallback`` adds them)."""
        made = (make(self, day, snap) for family in FAMILIES for make in family.report)
        return [c for c in made if c is not None]

    def home_charts(self, day: dt.date, snap: Snapshot) -> list[Chart]:
        """The home page shows the latest report, so it has that report's charts."""
        return self.report_charts(day, snap)

    def indicator_charts(self, slug: str) -> list[Chart]:
        """An indicator page's charts over the whole history (weekly points beyond two years).

        Slugs: "kospi" (the headline index; its own slug, e.g. "kosdaq", works too),
        "investor-flows", "margin-loans", "stock-lending"; any other slug has no charts."""
        if slug == index_slug(self.index_name):
            slug = INDEX_PAGE
        for family in FAMILIES:
            make = family.indicators.get(slug)
            if make is not None:
                return [c for c in make(self) if c is not None]
        return []

    def stock_charts(self, ticker: str) -> list[Chart]:
        """A tracked stock's price history with its record highs, and its lending balance."""
        made = (make(self, ticker) for family in FAMILIES for make in family.stock)
        return [c for c in made if c is not None]
