"""Report pages ``/reports/YYYY-MM-DD/``, their chart CSVs, and snapshots ``/data/snapshots/YYYY-MM-DD.json``.

A report whose inputs are unchanged since the last build is carried over, not rendered: its
key is the digest of every dated row up to its day (``DayDigests``), its neighbours, its
commentary, its published revisions and the settings, and the files it was published with come
from the build state (generator/incremental.py). So a build that adds a day computes nothing
for the thousands of days before it.

The pages that are rendered get their headline chart's static SVG fallback and PNG social card
(``card.png``, the page's ``og:image``), drawn a batch at a time by spawned image workers and
cached by content hash (generator/charts/images.py), while forked page workers render the
previous batch's pages (generator/workers.py): both kinds of work keep every core busy, and
the build itself only hands out work and records what was written. A snapshot that differs
from the published one is a revision: the old one is kept as ``YYYY-MM-DD.vN.json`` and the
page says what changed (generator/revisions.py).
"""

from __future__ import annotations

from collections import defaultdict, deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict

from generator import revisions, workers
from generator.charts.images import RenderStats, default_cache_dir
from generator.incremental import DayDigests
from generator.load import LINE
from generator.pages import chart_files, render_report, snapshot_json
from generator.site.context import ReportPages, SiteContext, Written
from generator.write import Staging, digest

#: Reports whose images are drawn together (bounds the images held in memory at once).
IMAGE_BATCH = 96
#: Reports per page-worker task: small enough that the workers finish a batch together.
TASK_PAGES = 12
#: Below this many reports to render, worker processes cost more than they save.
PARALLEL_PAGES = 8
CARD = "card.png"


def write(ctx: SiteContext, staging: Staging, written: Written) -> ReportPages:
    published = revisions.load_record(staging.out)
    by_day: dict[str, list[revisions.Revision]] = defaultdict(list)
    for rev in published:
        by_day[rev.date].append(rev)
    for kept in revisions.kept_versions(staging.out):
        staging.keep(kept)
    digests = DayDigests(ctx.data)
    shared = _shared_inputs(ctx)
    todo: list[int] = []
    for n, report in enumerate(ctx.reports):
        day = report.day.isoformat()
        note = ctx.data.commentary.get(report.day)
        key = ctx.keys.key(
            "report",
            shared,
            digests.upto(report.day),
            report.previous,
            report.next,
            [note.title, note.summary, note.author, note.body, note.published, note.updated] if note else None,
            [asdict(r) for r in by_day[day]],
        )
        if not ctx.keys.reuse(staging, report.path, key):
            todo.append(n)
    jobs = ctx.worker_count()
    if jobs > 1 and len(todo) >= PARALLEL_PAGES:
        new, stats = _render_in_workers(ctx, staging, todo, by_day, jobs)
    else:
        new, stats = _render_here(ctx, staging, todo, by_day)
    new.sort(key=lambda r: (r.date, r.version))  # workers finish in any order
    for rev in new:
        by_day[rev.date].append(rev)
    staging.add(revisions.RECORD, revisions.record_json(published + new))
    return ReportPages(revisions=new, revisions_by_day=dict(by_day), images=stats)


def _shared_inputs(ctx: SiteContext) -> str:
    """What every report reads beyond its own days: the settings, the stock list and the tickers followed."""
    stocks = ctx.data.stocks.drop(columns=[c for c in (LINE,) if c in ctx.data.stocks.columns])
    text = repr((ctx.data.config, stocks.to_csv(index=False), ctx.data.tracked_tickers))
    return digest(text.encode("utf-8"))


def render_one(ctx: SiteContext, staging: Staging, n: int, by_day: dict, *, card: bool) -> tuple[list[str], list]:
    """Render report ``n`` with its snapshot and CSVs (and its card, with ``card``) into
    ``staging``; returns the files it was published with and the revisions it found."""
    report = ctx.reports[n]
    day = report.day.isoformat()
    snap_path = f"data/snapshots/{day}.json"
    text = snapshot_json(report.snap)
    day_revisions = list(by_day.get(day, []))
    found = revisions.detect(
        staging.out, report.day, text, staging.previous.get(snap_path), digest(text.encode()), day_revisions, ctx.when.date()
    )
    new = []
    if found:
        rev, old_text = found
        staging.add(rev.kept_path, old_text)
        day_revisions.append(rev)
        new.append(rev)
    staging.add(snap_path, text)
    charts = ctx.catalogue.report_charts(report.day, report.snap, fallback=False)
    ctx.catalogue.attach_fallback(charts)
    html, _ = render_report(ctx.renderer, ctx.data, report, ctx.catalogue, charts=charts, revisions=day_revisions)
    staging.add(report.path + "index.html", html)
    files = [snap_path, report.path + "index.html"]
    for chart in charts:
        for name, text in chart_files(chart).items():
            staging.add(report.path + name, text)
            files.append(report.path + name)
    if charts and charts[0].template.id == "index-3m":
        files.append(report.path + CARD)
        if card:
            png = ctx.catalogue.card_png(report.day, report.snap, charts[0])
            if png is not None:
                staging.add(report.path + CARD, png)
            else:
                files.pop()
    return files, new


def _render_here(ctx: SiteContext, staging: Staging, todo: list[int], by_day: dict) -> tuple[list, RenderStats]:
    """Render in this process (a few pages: a new day and its neighbour)."""
    images = ctx.catalogue.images
    images.configure(default_cache_dir())
    stats = RenderStats()
    new: list = []
    total, done = len(ctx.reports), len(ctx.reports) - len(todo)
    with images.session():
        for start in range(0, len(todo), IMAGE_BATCH):
            batch = todo[start : start + IMAGE_BATCH]
            stats.add(ctx.catalogue.prepare_report_images([(ctx.reports[n].day, ctx.reports[n].snap) for n in batch]))
            for n in batch:
                files, found = render_one(ctx, staging, n, by_day, card=True)
                ctx.keys.record(ctx.reports[n].path, files)
                new.extend(found)
                done += 1
                if ctx.progress and (done % 50 == 0 or done == total):
                    ctx.progress("reports", done, total)
            images.forget()
    if ctx.progress and not todo:
        ctx.progress("reports", total, total)
    return new, stats


def _task(numbers: list[int], svgs: dict[str, bytes]) -> tuple:
    """In a page worker: render these reports, their static SVGs given, their cards left to the build."""
    build = workers.state()
    ctx, staging, by_day = build["ctx"], build["staging"], build["by_day"]
    staging.take()  # what the build had placed before the fork is the build's, not ours
    ctx.catalogue.images.memory.update(svgs)
    pages, new = [], []
    for n in numbers:
        files, found = render_one(ctx, staging, n, by_day, card=False)
        pages.append((n, files))
        new.extend(found)
    ctx.catalogue.images.forget()
    return staging.take(), pages, new


def _render_in_workers(ctx: SiteContext, staging: Staging, todo: list[int], by_day: dict, jobs: int) -> tuple[list, RenderStats]:
    """Draw the images of the next batches in spawned image workers while forked page workers
    render the batches whose images are done; the build writes the cards and records what the
    workers wrote. Two batches of images are in flight at a time, so the image workers never
    wait for the build."""
    images = ctx.catalogue.images
    images.configure(default_cache_dir(), jobs)
    stats = RenderStats()
    new: list = []
    total, done = len(ctx.reports), len(ctx.reports) - len(todo)
    pages: set[Future] = set()
    batches = [todo[i : i + IMAGE_BATCH] for i in range(0, len(todo), IMAGE_BATCH)]
    drawing: deque = deque()

    def collect(futures: set[Future]) -> None:
        nonlocal done
        for future in futures:
            placed, rendered, found = workers.result(future)
            staging.merge(placed)
            for n, files in rendered:
                ctx.keys.record(ctx.reports[n].path, files)
            new.extend(found)
            done += len(rendered)
            if ctx.progress:
                ctx.progress("reports", done, total)

    with workers.page_pool(jobs, ctx=ctx, staging=staging, by_day=by_day) as pool, images.session():
        for batch in batches:
            heads = {n: ctx.catalogue.report_images(ctx.reports[n].day, ctx.reports[n].snap) for n in batch}
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
