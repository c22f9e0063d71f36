"""What the page families read: the build's context, and what earlier families wrote.

``SiteContext`` is computed once per build (per edition) before any page is written. A family
that later ones depend on returns a typed record of what it wrote (``ReportPages``,
``ResearchPages``); ``write_site`` collects them in ``Written`` and hands it to every family, so
a dependency between families is a typed attribute, not a key in a shared dictionary, and reading
one before its family ran is an error naming both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from generator.analysis.history import History
from generator.charts.catalogue import Catalogue
from generator.charts.images import RenderStats
from generator.dataset import Dataset
from generator.incremental import PageKeys
from generator.render import Renderer
from generator.report import Report
from generator.revisions import Revision


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
    #: worker processes for pages and images (None: one per core; 1: everything in the build process)
    jobs: int | None = None
    #: the site's other language editions, each a context of its own (generator/editions.py)
    other_editions: list[SiteContext] = field(default_factory=list)

    def worker_count(self) -> int:
        """How many worker processes this build uses (``--jobs``, else one per core)."""
        from generator.processes import default_jobs

        return self.jobs or default_jobs()


@dataclass(frozen=True)
class ReportPages:
    """What the report family wrote: the revisions it found, for the feeds and the build's summary."""

    #: revisions found by this build, in date order
    revisions: list[Revision]
    #: every revision of each day (published before and found now), by ISO date
    revisions_by_day: dict[str, list[Revision]]
    #: how the static chart images were drawn (rendered, from the cache)
    images: RenderStats


@dataclass(frozen=True)
class ResearchPages:
    """What the research family wrote: the content-page slugs it published itself."""

    reserved_slugs: frozenset[str]


class FamilyOrderError(RuntimeError):
    """A family read what another writes before that one ran (the order of ``FAMILIES``)."""


@dataclass(frozen=True)
class Written:
    """What the families of one edition have written so far, for the families after them."""

    report_pages: ReportPages | None = None
    research_pages: ResearchPages | None = None

    @property
    def reports(self) -> ReportPages:
        if self.report_pages is None:
            raise FamilyOrderError("the report pages have not been written yet: list `reports` earlier in FAMILIES")
        return self.report_pages

    @property
    def research(self) -> ResearchPages:
        if self.research_pages is None:
            raise FamilyOrderError("the research page has not been written yet: list `research` earlier in FAMILIES")
        return self.research_pages

    def adding(self, result: object) -> Written:
        """These records with a family's result added (``None``: it hands nothing on)."""
        if result is None:
            return self
        if isinstance(result, ReportPages):
            return replace(self, report_pages=result)
        if isinstance(result, ResearchPages):
            return replace(self, research_pages=result)
        raise TypeError(f"a page family returned {type(result).__name__}, which no later family reads")
