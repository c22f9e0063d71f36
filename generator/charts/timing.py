"""What charts cost per page, for the benchmark (benchmarks/, docs/performance.md).

Two figures matter as a site grows:

- **spec time per page**: filling the build's templates with a page's rows and serialising the
  specs to JSON (``Catalogue.report_charts`` + ``Chart.spec_json``), paid by every rendered page;
- **SVG time per page**: rendering a report's static images (the headline chart's SVG fallback
  and its PNG social card) with vl-convert, paid once per page and then served from the cache.

Library code: returns numbers, prints nothing. Example::

    from generator.charts.timing import measure_content
    t = measure_content(Path("content"), svg_pages=60, jobs=2)
    t.spec_ms_per_page, t.svg_ms_per_page
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.charts.catalogue import Catalogue
from generator.charts.images import StaticImages, default_jobs


@dataclass
class ChartTiming:
    """Chart costs of one build, per report page."""

    pages: int  # report pages the spec time was measured over
    templates_s: float  # building every template once (Altair + schema validation)
    spec_ms_per_page: float  # filling and serialising a report page's charts
    charts_per_page: float
    spec_bytes_per_page: float  # JSON of a report page's chart specs
    svg_pages: int  # report pages whose images were rendered (no cache)
    jobs: int  # worker processes for the images
    svg_ms_per_page: float  # wall-clock per page for SVG fallback + PNG card, workers' start-up included
    svg_bytes_per_page: float
    card_bytes_per_page: float

    def as_dict(self) -> dict:
        return asdict(self)


def measure(
    catalogue: Catalogue, days: list[tuple[dt.date, dict]], *, svg_pages: int | None = 40, jobs: int | None = None
) -> ChartTiming:
    """Time the catalogue's templates, every day's specs, and the static images of the last
    ``svg_pages`` days (all of them with None; 0 to skip) rendered afresh with ``jobs`` workers."""
    fallbacks = catalogue.fallbacks
    catalogue.fallbacks = False
    started = time.perf_counter()
    catalogue.templates  # noqa: B018 - build them all, once
    templates_s = time.perf_counter() - started

    charts = 0
    size = 0
    started = time.perf_counter()
    for day, snap in days:
        for chart in catalogue.report_charts(day, snap):
            size += len(chart.spec_json())
            charts += 1
    spec_s = time.perf_counter() - started
    catalogue.fallbacks = fallbacks

    chosen = days if svg_pages is None else days[len(days) - svg_pages :] if svg_pages else []
    workers = jobs or default_jobs()
    images = StaticImages(None, jobs=workers)  # no cache: the cost of a first build
    heads = [h for h in (catalogue.headline_images(day, snap) for day, snap in chosen) if h is not None]
    svg_s = 0.0
    svg_bytes = card_bytes = 0
    if heads:
        started = time.perf_counter()
        with images.session():
            images.prepare(heads, jobs=workers)
        svg_s = time.perf_counter() - started
        svg_bytes = sum(len(images.svg_text(h.spec)) for h in heads)
        card_bytes = sum(len(images.card(h)) for h in heads)
    n = max(1, len(days))
    k = max(1, len(heads))
    return ChartTiming(
        pages=len(days),
        templates_s=templates_s,
        spec_ms_per_page=spec_s / n * 1000,
        charts_per_page=charts / n,
        spec_bytes_per_page=size / n,
        svg_pages=len(heads),
        jobs=workers,
        svg_ms_per_page=svg_s / k * 1000 if heads else 0.0,
        svg_bytes_per_page=svg_bytes / k if heads else 0.0,
        card_bytes_per_page=card_bytes / k if heads else 0.0,
    )


def measure_content(
    content: Path, *, pages: int | None = None, svg_pages: int | None = 40, jobs: int | None = None
) -> ChartTiming:
    """``measure`` for a content folder: its last ``pages`` report days (all with None)."""
    from generator.analysis.history import analyse
    from generator.build import load_dataset
    from generator.snapshot import make_snapshots

    data = load_dataset(content)
    hist = analyse(data)
    snaps = make_snapshots(data, hist)
    days = list(snaps.items())
    if pages is not None:
        days = days[-pages:]
    catalogue = Catalogue(data, hist, images=StaticImages(None), fallbacks=False)
    return measure(catalogue, days, svg_pages=svg_pages, jobs=jobs)
