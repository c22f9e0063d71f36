"""The build: every stage in order, and nothing published until everything has rendered.

load -> validate -> analyse -> snapshot -> chart -> render -> write. Library code: it returns
a ``BuildResult`` and raises ``ContentError``/``BuildError``; the CLI does the talking.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from generator.analysis.history import analyse
from generator.charts.catalogue import Catalogue
from generator.config import load_config
from generator.dataset import Dataset
from generator.errors import Problem
from generator.load import load_content
from generator.pages import archive_context, chart_csv, render_report, reports, snapshot_json
from generator.render import Renderer, templates_dir
from generator.snapshot import make_snapshots
from generator.validate import validate
from generator.write import Staging, WriteResult, build_lock, clean_stale_staging


@dataclass
class BuildResult:
    """What a build did, for the one-line summary."""

    reports: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    write: WriteResult | None = None


def build_time() -> dt.datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def load_dataset(content: Path) -> Dataset:
    """Stages 1-2: read and check the content (also used by ``check``)."""
    config, warnings = load_config(content)
    raw = load_content(content)
    return validate(raw, config, warnings)


def build(content: Path, out: Path, *, when: dt.datetime | None = None) -> BuildResult:
    """Build the site from ``content`` into ``out``."""
    started = time.perf_counter()
    when = when or build_time()
    data = load_dataset(content)
    hist = analyse(data)
    snapshots = make_snapshots(data, hist)
    all_reports = reports(snapshots, data.config.headline_index)
    catalogue = Catalogue(data, hist)
    renderer = Renderer(data.config, when)
    with build_lock(out):
        clean_stale_staging(out)
        staging = Staging(out)
        try:
            _write_all(staging, data, all_reports, catalogue, renderer)
            result = staging.publish()
        except BaseException:
            staging.discard()
            raise
    return BuildResult(
        reports=len(all_reports),
        written=len(result.written),
        unchanged=len(result.unchanged),
        removed=len(result.removed),
        seconds=time.perf_counter() - started,
        warnings=data.warnings,
        write=result,
    )


def _write_all(staging: Staging, data: Dataset, all_reports, catalogue: Catalogue, renderer: Renderer) -> None:
    for report in all_reports:
        staging.add(f"data/snapshots/{report.day.isoformat()}.json", snapshot_json(report.snap))
        html, ctx = render_report(renderer, data, report, catalogue)
        staging.add(report.path + "index.html", html)
        for chart in ctx["charts"]:
            staging.add(report.path + chart.csv_name, chart_csv(chart))
    if all_reports:
        latest = all_reports[-1]
        html, _ = render_report(renderer, data, latest, catalogue, page_path="index.html")
        staging.add("index.html", html)
    staging.add("archive/index.html", renderer.render("archive.html", "archive/index.html", **archive_context(data, all_reports)))
    from generator.markup import render_markdown

    for slug, page in data.pages.items():
        staging.add(f"{slug}/index.html", renderer.render("page.html", f"{slug}/index.html", page=page, body=render_markdown(page.body), title=page.title))
    _assets(staging)


def _assets(staging: Staging) -> None:
    """Stylesheet, scripts and the Vega bundle, served by the site itself (no CDN)."""
    assets = templates_dir() / "assets"
    for path in sorted(assets.rglob("*")):
        if path.is_file():
            staging.add("assets/" + path.relative_to(assets).as_posix(), path.read_bytes())
    staging.add("assets/vega.js", vl_convert.javascript_bundle())
