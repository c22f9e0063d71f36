"""Which process draws and renders which report pages, and when.

The report pages that must be rendered get their headline chart's static SVG fallback and PNG
social card, drawn a batch at a time by spawned image workers and cached by content hash
(generator/charts/images.py), while forked page workers (generator/processes.py) render the
previous batch's pages: both kinds of work keep every core busy, and the build itself only
hands out work and records what was written. A few pages (a new day and its neighbour) are
rendered in the build's own process, where starting workers would cost more than it saves.

What a page is, is the caller's: ``render(n, card)`` renders report ``n`` into the staging
folder (drawing its card itself with ``card``) and returns the files it wrote and the revisions
it found (generator/site/reports.py ``render_one``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import cast

from generator import processes
from generator.cache import default_cache_dir
from generator.charts import page_images
from generator.charts.images import RenderStats
from generator.revisions import Revision
from generator.site.context import SiteContext
from generator.write import Staging

#: Reports whose images are drawn together (bounds the images held in memory at once).
IMAGE_BATCH = 96
#: Reports per page-worker task: small enough that the workers finish a batch together.
TASK_PAGES = 12
#: Below this many reports to render, worker processes cost more than they save.
PARALLEL_PAGES = 8
#: The social card's file name, beside its report page.
CARD = "card.png"

#: ``render(n, card=...)`` -> (files written, revisions found) for report number ``n``.
RenderOne = Callable[..., tuple[list[str], list[Revision]]]
#: A page worker's answer (``_task``): what it placed in the staging folder
#: (``Staging.take``), the files each report wrote, and the revisions found.
TaskAnswer = tuple[tuple[dict[str, str], list[str], list[str]], list[tuple[int, list[str]]], list[Revision]]


def render_reports(ctx: SiteContext, staging: Staging, todo: list[int], render: RenderOne) -> tuple[list[Revision], RenderStats]:
    """Render reports ``todo`` (numbers into ``ctx.reports``), in workers when there are enough
    of them and more than one job; returns the revisions found and how the images were drawn."""
    jobs = ctx.worker_count()
    if jobs > 1 and len(todo) >= PARALLEL_PAGES:
        return _render_in_workers(ctx, staging, todo, render, jobs)
    return _render_here(ctx, staging, todo, render)


def _render_here(ctx: SiteContext, staging: Staging, todo: list[int], render: RenderOne) -> tuple[list[Revision], RenderStats]:
    """Render in this process (a few pages: a new day and its neighbour)."""
    images = ctx.catalogue.images
    images.configure(default_cache_dir())
    stats = RenderStats()
    new: list[Revision] = []
    total, done = len(ctx.reports), len(ctx.reports) - len(todo)
    with images.session():
        for start in range(0, len(todo), IMAGE_BATCH):
            batch = todo[start : start + IMAGE_BATCH]
            stats.add(page_images.prepare_report_images(ctx.catalogue, [(ctx.reports[n].day, ctx.reports[n].snap) for n in batch]))
            for n in batch:
                files, found = render(n, card=True)
                ctx.keys.record(ctx.reports[n].path, files)
                new.extend(found)
                done += 1
                if ctx.progress and (done % 50 == 0 or done == total):
                    ctx.progress("reports", done, total)
            images.forget()
    if ctx.progress and not todo:
        ctx.progress("reports", total, total)
    return new, stats


def _task(numbers: list[int], svgs: dict[str, bytes]) -> TaskAnswer:
    """In a page worker: render these reports, their static SVGs given, their cards left to the build."""
    build = processes.state()
    ctx, staging, render = build["ctx"], build["staging"], build["render"]
    staging.take()  # what the build had placed before the fork is the build's, not ours
    ctx.catalogue.images.memory.update(svgs)
    pages: list[tuple[int, list[str]]] = []
    new: list[Revision] = []
    for n in numbers:
        files, found = render(n, card=False)
        pages.append((n, files))
        new.extend(found)
    ctx.catalogue.images.forget()
    return staging.take(), pages, new


def _render_in_workers(
    ctx: SiteContext, staging: Staging, todo: list[int], render: RenderOne, jobs: int
) -> tuple[list[Revision], RenderStats]:
    """Draw the images of the next batches in spawned image workers while forked page workers
    render the batches whose images are done; the build writes the cards and records what the
    workers wrote. Two batches of images are in flight at a time, so the image workers never
    wait for the build."""
    images = ctx.catalogue.images
    images.configure(default_cache_dir(), jobs)
    stats = RenderStats()
    new: list[Revision] = []
    total, done = len(ctx.reports), len(ctx.reports) - len(todo)
    pages: set[Future] = set()
    batches = [todo[i : i + IMAGE_BATCH] for i in range(0, len(todo), IMAGE_BATCH)]
    drawing: deque = deque()

    def collect(futures: set[Future]) -> None:
        nonlocal done
        for future in futures:
            # Every page-pool task is ``_task``; the worker's answer crossed a pipe untyped.
            placed, rendered, found = cast(TaskAnswer, processes.result(future))
            staging.merge(placed)
            for n, files in rendered:
                ctx.keys.record(ctx.reports[n].path, files)
            new.extend(found)
            done += len(rendered)
            if ctx.progress:
                ctx.progress("reports", done, total)

    with processes.page_pool(jobs, ctx=ctx, staging=staging, render=render) as pool, images.session():
        for batch in batches:
            heads = {n: page_images.report_images(ctx.catalogue, ctx.reports[n].day, ctx.reports[n].snap) for n in batch}
            drawing.append((batch, heads, images.submit([h for hs in heads.values() for h in hs])))
            if len(drawing) < 2 and batch is not batches[-1]:
                continue
            while drawing and (len(drawing) >= 2 or batch is batches[-1]):
                ready, ready_heads, pending = drawing.popleft()
                stats.add(pending.wait())
                svgs: dict[int, dict[str, bytes]] = {}
                for n, hs in ready_heads.items():
                    svgs[n] = {h.svg_key: images.svg_text(h.spec).encode("utf-8") for h in hs}
                    for head in hs:
                        if head.card:
                            staging.add(ctx.reports[n].path + CARD, images.card(head))
                all_heads = [h for hs in ready_heads.values() for h in hs]
                images.forget([h.svg_key for h in all_heads] + [h.card_key for h in all_heads if h.card])
                for part in range(0, len(ready), TASK_PAGES):
                    numbers = ready[part : part + TASK_PAGES]
                    pages.add(pool.submit(_task, numbers, {k: v for n in numbers for k, v in svgs.get(n, {}).items()}))
                finished, pages = wait(pages, timeout=0, return_when=FIRST_COMPLETED)
                collect(finished)
        collect(wait(pages).done)
    return new, stats
