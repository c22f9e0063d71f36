"""The site's page families: one module each, every one with ``write(ctx, staging, written)``.

``FAMILIES`` lists them, in the order the build runs them; each is imported here, so a missing
or misspelt family is an import error, never a page silently left out. A family that later
ones depend on returns a typed record of what it wrote (generator/site/context.py): the report
pages hand their revisions to the feeds and the build, the research page its reserved slug to
the standalone pages. Families that list every page (sitemap, search index) run last, so they
see all the others. Each family's URLs are part of the public contract in docs/urls.md.

Families marked ``in_worker`` read only what the build computed before the site was written,
write only pages of their own and hand nothing on, so ``write_site`` runs each in a forked
worker while the build runs the others; their files are merged in before the first family that
lists the whole site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from generator.site import (
    archive,
    assets,
    downloads,
    feeds,
    home,
    indicators,
    reports,
    research,
    search,
    static_pages,
    stocks,
)
from generator.site.context import ReportPages, ResearchPages, SiteContext, Written
from generator.write import Staging

__all__ = ["FAMILIES", "Family", "ReportPages", "ResearchPages", "SiteContext", "Written", "families", "write_site"]


@dataclass(frozen=True)
class Family:
    """A page family: its name (for progress and errors), its ``write`` and how it is scheduled."""

    name: str
    write: Callable[[SiteContext, Staging, Written], object]
    #: may run in a forked worker beside the others (reads nothing another family writes)
    in_worker: bool = False
    #: lists the whole site: runs after every edition has written its pages
    lists_site: bool = False
    #: writes files every edition shares: only the first edition runs it
    first_edition_only: bool = False


FAMILIES: tuple[Family, ...] = (
    Family("reports", reports.write),
    Family("home", home.write),
    Family("archive", archive.write),
    Family("indicators", indicators.write, in_worker=True),
    Family("stocks", stocks.write, in_worker=True),
    Family("research", research.write),
    Family("static_pages", static_pages.write),
    Family("downloads", downloads.write, in_worker=True),
    Family("assets", assets.write, first_edition_only=True),
    Family("feeds", feeds.write, lists_site=True),
    Family("search", search.write, lists_site=True, first_edition_only=True),
)


def families() -> list[Family]:
    """The page families in build order."""
    return list(FAMILIES)


def _family_task(family: Family, ctx: SiteContext, staging: Staging, written: Written) -> tuple:
    """In a worker: run one family; hand back its files and what it returned."""
    staging.take()  # what the build had placed before the fork is the build's
    result = family.write(ctx, staging, written)
    return staging.take(), result


def write_site(ctx: SiteContext, staging: Staging, done: Callable[[str], None]) -> Written:
    """Run every family in order (``done(name)`` after each) for every edition: the first
    edition's pages, then each other edition's under its prefix, then the families that list
    the whole site. Returns what the first edition's families wrote."""
    from generator.editions import EditionStaging

    chosen = families()
    if not ctx.other_editions:
        return _write_edition(ctx, staging, done, chosen, Written())
    written = _write_edition(ctx, staging, done, [f for f in chosen if not f.lists_site], Written())
    for other in ctx.other_editions:
        prefix = other.renderer.edition.prefix
        # An EditionStaging is a Staging to the families: it forwards what it does not re-path.
        view = cast(Staging, EditionStaging(staging, prefix))
        own = [f for f in chosen if not f.first_edition_only]
        _write_edition(other, view, _prefixed(done, prefix), own, Written())
    return _write_edition(ctx, staging, done, [f for f in chosen if f.lists_site], written)


def _prefixed(done: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    """``done`` for another edition's pages, whose names carry the edition's prefix."""
    return lambda name: done(prefix + name)


def _write_edition(ctx: SiteContext, staging: Staging, done: Callable[[str], None], chosen: list[Family], written: Written) -> Written:
    """Run these families for one edition; with more than one job, the ``in_worker``
    families run in forked workers meanwhile."""
    from generator import processes

    if ctx.worker_count() <= 1:
        for family in chosen:
            written = written.adding(family.write(ctx, staging, written))
            done(family.name)
        return written
    # The worker families start first, each in a process that ends when its pages are done:
    # they need nothing the others write, so they run beside the report pages.
    pending = {f.name: processes.fork_task(_family_task, f, ctx, staging, written) for f in chosen if f.in_worker}
    try:
        for family in chosen:
            if family.in_worker:
                continue
            if family.lists_site:
                written = _merge(staging, pending, done, written)
            written = written.adding(family.write(ctx, staging, written))
            done(family.name)
        return _merge(staging, pending, done, written)
    finally:
        for task in pending.values():  # a family failed: do not leave the others running
            task.cancel()


def _merge(staging: Staging, pending: dict, done: Callable[[str], None], written: Written) -> Written:
    for name in list(pending):
        placed, result = pending.pop(name).result()
        staging.merge(placed)
        written = written.adding(result)
        done(name)
    return written
