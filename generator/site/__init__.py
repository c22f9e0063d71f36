"""The site's page families: one module each, every one with ``write(ctx, staging)``.

``FAMILIES`` is the order the build runs them in; a family module that is absent is skipped.
Families that list every page (sitemap, search index) run last, so they see all the others.
Each family's URLs are part of the public contract in docs/urls.md.
"""

from __future__ import annotations

import importlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.analysis.history import History
from generator.charts.catalogue import Catalogue
from generator.dataset import Dataset
from generator.incremental import PageKeys
from generator.pages import Report
from generator.render import Renderer
from generator.write import Staging

FAMILIES = (
    "reports",
    "home",
    "archive",
    "indicators",
    "stocks",
    "research",
    "static_pages",
    "downloads",
    "assets",
    "feeds",
    "search",
)


@dataclass
class SiteContext:
    """Everything a page family needs, computed once per build."""

    data: Dataset
    hist: History
    snapshots: dict
    reports: list[Report]
    catalogue: Catalogue
    renderer: Renderer
    when: dt.datetime
    keys: PageKeys
    #: ``progress(stage, done, total)`` for long builds (the CLI shows a bar); may be None
    progress: Callable[[str, int, int], None] | None = None
    #: families may leave facts for later ones here (e.g. which days each stock led)
    shared: dict = field(default_factory=dict)
    #: worker processes for pages and images (None: one per core; 1: everything in the build process)
    jobs: int | None = None


def families() -> list[tuple[str, Callable[[SiteContext, Staging], None]]]:
    out = []
    for name in FAMILIES:
        try:
            module = importlib.import_module(f"generator.site.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"generator.site.{name}":
                continue
            raise
        out.append((name, module.write))
    return out
