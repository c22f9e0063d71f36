"""The build: every stage in order, and nothing published until everything has rendered.

load -> validate -> analyse -> snapshot -> story -> chart -> render -> write. Library code: it returns
a ``BuildResult`` and raises ``ContentError``/``BuildError``; the CLI does the talking.
A build whose inputs are exactly those of the published site stops at once
(generator/incremental.py); otherwise unchanged pages are carried over, not rendered.

Before anything is written the output folder is claimed (``write.claim_output``: the build
replaces only folders it made) and the data is compared with what was published
(generator/shrink.py: a build that would drop most of a series refuses unless allowed).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from generator import shrink
from generator.analysis.history import analyse
from generator.cache import default_cache_dir
from generator.calendar_checks import calendar_problems
from generator.charts.catalogue import Catalogue, TemplateCache
from generator.collector import cyclic_gc_paused
from generator.config import load_config
from generator.dataset import Dataset
from generator.day_cache import DayCache
from generator.editions import EditionKeys, edition_data, editions
from generator.errors import ContentError, Problem
from generator.incremental import PageKeys, code_fingerprint, fingerprint, up_to_date
from generator.load import load_content
from generator.render import Renderer
from generator.report import reports
from generator.revisions import Revision
from generator.site import SiteContext, write_site
from generator.snapshot import make_snapshots
from generator.validate import validate
from generator.write import Staging, WriteResult, build_lock, claim_output, clean_stale_staging, writing

Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    """What a build did, for the one-line summary."""

    reports: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    rendered: int = 0  # report pages rendered this time
    reused: int = 0  # report pages carried over unchanged
    up_to_date: bool = False  # nothing to do: the published site matches the inputs
    warnings: list[Problem] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    write: WriteResult | None = None
    #: seconds per step (fingerprint, load and validate, analyse, ... each page family, publish),
    #: in the order they ran: the benchmark's step-by-step table
    timings: dict[str, float] = field(default_factory=dict)


class _Steps:
    """Times the build's steps, so a slow build says where its time went."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - self._last
        self._last = now


def build_time() -> dt.datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def load_dataset(content: Path) -> Dataset:
    """Stages 1-2: read and check the content (also used by ``check``)."""
    config, warnings = load_config(content)
    raw = load_content(content)
    return validate(raw, config, warnings)


def build(
    content: Path,
    out: Path,
    *,
    when: dt.datetime | None = None,
    force: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    allow_shrink: bool = False,
) -> BuildResult:
    """Build the site from ``content`` into ``out``.

    ``force`` renders every page even when its inputs are unchanged; ``strict`` refuses to
    publish while there are warnings (a stale series, a missing trading day ...); ``jobs`` is
    how many worker processes render pages and chart images (default: one per core; 1 renders
    everything in this process); ``allow_shrink`` lets the build drop most or all of a
    published series (generator/shrink.py).

    Raises ``UsageError`` for an output folder the build may not replace, ``ContentError``
    for the content's problems and ``BuildError`` when the site cannot be written.
    """
    shown = out
    out = claim_output(out, content)
    started = time.perf_counter()
    steps = _Steps()
    when = when or build_time()
    code = code_fingerprint()
    try:
        inputs = fingerprint(content, code)
    except OSError:  # a content file that cannot be read: the load stage names it
        inputs = ""
    steps.done("fingerprint")
    if not force and up_to_date(out, inputs):
        return BuildResult(up_to_date=True, seconds=time.perf_counter() - started, timings=steps.timings)
    with cyclic_gc_paused():
        data = load_dataset(content)
        steps.done("load and validate")
        data.warnings = data.warnings + calendar_problems(data, content)
        steps.done("calendar checks")
        if strict and data.warnings:
            raise ContentError([replace(w, severity="error") for w in data.warnings])
        days = shrink.series_days(data)
        if not allow_shrink:
            cuts = shrink.shrinkage(shrink.published_days(out, data.config.headline_index), days)
            if cuts:
                raise ContentError(shrink.problems(cuts, content))
        hist = analyse(data)
        steps.done("analyse")
        cache = default_cache_dir()
        days_cache = DayCache(cache, code, data, force=force)
        snapshots = make_snapshots(data, hist, days_cache)
        steps.done("snapshots")
    all_reports = reports(snapshots, data.config, cache=days_cache)
    steps.done("ledes")
    all_editions = editions(data.config)
    catalogue = Catalogue(data, hist, template_cache=TemplateCache(cache / "templates" if cache else None, code),
                          lang=all_editions[0].lang, color_convention=all_editions[0].color_convention)
    loaded, data = data, edition_data(data, all_editions[0])
    renderer = Renderer(data.config, when, edition=all_editions[0], all_editions=all_editions)
    with build_lock(out), writing(shown):
        clean_stale_staging(out)
        staging = Staging(out)
        keys = PageKeys(out, code, force=force)
        ctx = SiteContext(data, hist, snapshots, all_reports, catalogue, renderer, when, keys, progress, jobs=jobs)
        for edition in all_editions[1:]:
            ctx.other_editions.append(SiteContext(
                edition_data(loaded, edition), hist, snapshots, reports(snapshots, data.config, edition.lang, days_cache),
                catalogue.for_edition(edition.lang, edition.color_convention),
                Renderer(data.config, when, edition=edition, all_editions=all_editions), when,
                # EditionKeys is PageKeys to the families: it forwards what it does not re-path.
                cast(PageKeys, EditionKeys(keys, edition.prefix)), progress, jobs=jobs,
            ))
        days_cache.save()
        try:

            def done(name: str) -> None:
                steps.done(f"pages: {name}")
                if progress:
                    progress(name, 1, 1)

            written = write_site(ctx, staging, done)
            staging.add(shrink.RECORD, shrink.record_json(days))
            keys.save(staging, inputs)
            result = staging.publish()
            steps.done("publish")
        except BaseException:
            staging.discard()
            raise
    return BuildResult(
        reports=len(all_reports),
        written=len(result.written),
        unchanged=len(result.unchanged),
        removed=len(result.removed),
        seconds=time.perf_counter() - started,
        rendered=keys.rendered,
        reused=keys.reused,
        warnings=data.warnings,
        revisions=written.reports.revisions,
        write=result,
        timings=steps.timings,
    )
