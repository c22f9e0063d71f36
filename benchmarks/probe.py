"""Measurements taken inside one build process, printed as JSON for ``benchmarks/run.py``.

``stages``: a full re-render (``--force``) through the library, with the time of every step the build reports
(``BuildResult.timings``: load, validate, analyse, snapshots, each page family, publish).

``pages``: what one report page's charts cost: the charts with their rows and the spec as JSON
for every page (``Catalogue.report_charts`` + ``Chart.spec_json``), and the static SVG of the
headline chart (``images.render_svg``) and its PNG card (``images.render_card``) for an even
sample of pages, uncached.

Run as ``python -m benchmarks.probe stages|pages --content DIR [...]``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import sys
import time
from pathlib import Path


def stages(content: Path, out: Path, jobs: int | None) -> dict:
    """A full re-render, step by step (the caller decides whether chart images are cached)."""
    from generator.build import build

    kwargs = {"jobs": jobs} if jobs else {}
    started = time.perf_counter()
    result = build(content, out, force=True, **kwargs)
    return {"total": time.perf_counter() - started, "timings": dict(getattr(result, "timings", {}) or {})}


def _summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    return {
        "n": len(samples),
        "mean_ms": statistics.fmean(samples) * 1000,
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
        "total_s": sum(samples),
    }


def pages(content: Path, svg_sample: int) -> dict:
    """Chart cost per report page: specs for every page, SVG for a sample."""
    from generator.analysis.history import analyse
    from generator.build import load_dataset
    from generator.charts import images, page_images
    from generator.charts.catalogue import Catalogue
    from generator.snapshot import make_snapshots

    data = load_dataset(content)
    hist = analyse(data)
    snapshots = make_snapshots(data, hist)
    catalogue = Catalogue(data, hist)
    started = time.perf_counter()
    catalogue.templates  # noqa: B018 - built once per build; timed on its own
    templates = time.perf_counter() - started

    # The spec cost alone: without the static SVG fallback where the catalogue can leave it out
    # (the SVG is timed on its own below).
    no_images = {"fallback": False} if "fallback" in inspect.signature(catalogue.report_charts).parameters else {}
    spec_times, headline = [], []
    for day, snap in snapshots.items():
        t0 = time.perf_counter()
        charts = catalogue.report_charts(day, snap, **no_images)
        for chart in charts:
            chart.spec_json()
        spec_times.append(time.perf_counter() - t0)
        headline.append(charts[0].spec if charts else None)

    svg_times, card_times = [], []
    days = [i for i, spec in enumerate(headline) if spec is not None]
    step = max(1, len(days) // max(1, svg_sample))
    if days:  # the first drawing starts the JavaScript engine and compiles the template: not a page's cost
        images.render_card(images.render_svg(images.static_spec(headline[days[0]])), "warm-up", "", "")
    title = page_images.card_title(catalogue)
    for i in days[::step][:svg_sample]:
        t0 = time.perf_counter()
        svg = images.render_svg(images.static_spec(headline[i]))
        t1 = time.perf_counter()
        images.render_card(svg, title, f"page {i}", "KOSPI Report")
        svg_times.append(t1 - t0)
        card_times.append(time.perf_counter() - t1)
    return {
        "pages": len(spec_times),
        "templates_s": templates,
        "spec": _summary(spec_times),
        "svg": _summary(svg_times),
        "card": _summary(card_times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("stages", "pages"))
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--svg-sample", type=int, default=20)
    args = parser.parse_args(argv)
    if args.what == "stages":
        found = stages(args.content, args.out or args.content.parent / "stages-site", args.jobs)
    else:
        found = pages(args.content, args.svg_sample)
    sys.stdout.write(json.dumps(found) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
