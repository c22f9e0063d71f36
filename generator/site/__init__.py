"""The site's page families: one module each, every one with ``write(ctx, staging)``.

``FAMILIES`` is the order the build runs them in; a family module that is absent is skipped.
Families that list every page (sitemap, search index) run last, so they see all the others.
Each family's URLs are part of the public contract in docs/urls.md.

Families in ``IN_WORKERS`` read only what the build computed before the site was written and
write only pages of their own, so ``write_site`` runs each in a forked worker while the build
runs the others; their files are merged in before ``WAIT_FOR_WORKERS`` (the sitemap and the
search index list every page).
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
#: Families that may run in a worker process, beside the others.
IN_WORKERS = ("stocks", "indicators", "downloads")
#: The first family that needs every page written.
WAIT_FOR_WORKERS = "feeds"


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
    #: the site's other language editions, each a context of its own (generator/editions.py)
    other_editions: list[SiteContext] = field(default_factory=list)

    def worker_count(self) -> int:
        """How many worker processes this build uses (``--jobs``, else one per core)."""
        from generator.workers import default_jobs

        return self.jobs or default_jobs()


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


def _family_task(name: str, ctx: SiteContext, staging: Staging) -> tuple:
    """In a worker: run one family; hand back its files and what it left in ``ctx.shared``."""
    staging.take()  # what the build had placed before the fork is the build's
    before = set(ctx.shared)
    module = importlib.import_module(f"generator.site.{name}")
    module.write(ctx, staging)
    return staging.take(), {k: v for k, v in ctx.shared.items() if k not in before}


#: Families that list the whole site: they run after every edition has written its pages.
LAST = ("feeds", "search")
#: Families whose files every edition shares: only the first edition runs them.
FIRST_EDITION_ONLY = ("assets", "search")


def write_site(ctx: SiteContext, staging: Staging, done: Callable[[str], None]) -> None:
    """Run every family in order (``done(name)`` after each) for every edition: the first
    edition's pages, then each other edition's under its prefix, then the families that list
    the whole site."""
    from generator.editions import EditionStaging

    chosen = families()
    if not ctx.other_editions:
        _write_edition(ctx, staging, done, chosen)
        return
    _write_edition(ctx, staging, done, [f for f in chosen if f[0] not in LAST])
    for other in ctx.other_editions:
        prefix = other.renderer.edition.prefix
        view = EditionStaging(staging, prefix)
        own = [f for f in chosen if f[0] not in FIRST_EDITION_ONLY]
        _write_edition(other, view, lambda name, prefix=prefix: done(prefix + name), own)  # type: ignore[arg-type]
    _write_edition(ctx, staging, done, [f for f in chosen if f[0] in LAST])


def _write_edition(ctx: SiteContext, staging: Staging, done: Callable[[str], None], chosen: list) -> None:
    """Run these families for one edition; with more than one job, the ``IN_WORKERS``
    families run in forked workers meanwhile."""
    from generator import workers

    if ctx.worker_count() <= 1:
        for name, write in chosen:
            write(ctx, staging)
            done(name)
        return
    # The worker families start first, each in a process that ends when its pages are done:
    # they need nothing the others write, so they run beside the report pages.
    pending = {name: workers.fork_task(_family_task, name, ctx, staging) for name, _ in chosen if name in IN_WORKERS}
    try:
        for name, write in chosen:
            if name in IN_WORKERS:
                continue
            if name == WAIT_FOR_WORKERS:
                _merge(ctx, staging, pending, done)
            write(ctx, staging)
            done(name)
        _merge(ctx, staging, pending, done)
    finally:
        for task in pending.values():  # a family failed: do not leave the others running
            task.cancel()


def _merge(ctx: SiteContext, staging: Staging, pending: dict, done: Callable[[str], None]) -> None:
    for name in list(pending):
        placed, shared = pending.pop(name).result()
        staging.merge(placed)
        ctx.shared.update(shared)
        done(name)
