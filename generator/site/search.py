"""Search ``/pagefind/``: Pagefind indexes of the finished site, searched in the reader's browser.

Runs last, on the staging folder, so it sees every page; only elements marked
``data-pagefind-body`` (each report's article, the standalone pages) are indexed, and charts'
data tables are skipped (``data-pagefind-ignore``). Pagefind is optional
(``pip install 'kospi-report[search]'``): without it the build warns and skips search, and
``/search/`` says search is unavailable.

The index is split by year so that a day's build re-indexes one year, not decades: the main
bundle ``/pagefind/`` holds the newest year's reports and the standalone pages (it carries the
search page's scripts); each earlier year's reports are a bundle of their own at
``/pagefind/years/YYYY/``, which the search page merges in (Pagefind's ``mergeIndex``). A
bundle whose pages are byte for byte those it was built from is carried over as it is; the
bundles that must be rebuilt are indexed at the same time, one Pagefind process each.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.site.context import SiteContext, Written
from generator.write import Staging

#: Where the search bundle is served.
BUNDLE = "pagefind"
#: Where each earlier year's bundle is served: ``pagefind/years/2024/``.
YEARS = f"{BUNDLE}/years"
#: What marks a page's searchable text.
BODY = b"data-pagefind-body"


@cache
def executable() -> Path | None:
    """The Pagefind binary that the ``pagefind`` Python package installs, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        path = get_executable()
    except Exception:  # noqa: BLE001 - any failure to locate it means "not installed"
        return None
    return Path(path) if path else None


def available() -> bool:
    return executable() is not None


def years(ctx: SiteContext) -> list[int]:
    """The years of the site's reports, oldest first (every edition reports the same days)."""
    return sorted({r.day.year for r in ctx.reports})


def merged_bundles(ctx: SiteContext) -> list[str]:
    """Site paths of the yearly bundles the search page merges into the main one, newest first."""
    return [f"{YEARS}/{year}/" for year in reversed(years(ctx)[:-1])]


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: where it is served and the pages it holds."""

    path: str  # "pagefind/" or "pagefind/years/2024/"
    pages: tuple[str, ...]


def bundles(ctx: SiteContext, staging: Staging) -> list[Bundle]:
    """The main bundle (newest year's reports and every other page with searchable text) and
    one per earlier year."""
    by_year: dict[int, list[str]] = {}
    # Every edition's reports of a year share that year's bundle (Pagefind keeps one index per
    # language inside it), so a day's build re-indexes one year in every language.
    for edition in [ctx, *ctx.other_editions]:
        for report in edition.reports:
            by_year.setdefault(report.day.year, []).append(edition.renderer.edition.prefix + report.path + "index.html")
    reports = {page for pages in by_year.values() for page in pages}
    others = [
        p for p in sorted(staging.hashes)
        if p.endswith(".html") and p not in reports and p != "index.html" and BODY in (staging.path / p).read_bytes()
    ]
    ordered = sorted(by_year)
    newest = by_year[ordered[-1]] if ordered else []
    out = [Bundle(f"{BUNDLE}/", tuple(newest + others))]
    out += [Bundle(f"{YEARS}/{year}/", tuple(by_year[year])) for year in ordered[:-1]]
    return out


def _command(exe: Path, site: Path, pages: tuple[str, ...], output: Path) -> list[str]:
    # One glob naming every page: "{reports/2024-01-02/index.html,about/index.html}".
    return [str(exe), "--site", str(site), "--glob", "{" + ",".join(pages) + "}", "--output-path", str(output), "--silent"]


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    exe = executable()
    if exe is None:
        ctx.data.warnings.append(
            Problem(BUNDLE, None, None, "Pagefind is not installed, so the site has no search "
                    "(install it with: pip install 'kospi-report[search]')", "warning")
        )
        return
    todo = []
    for bundle in bundles(ctx, staging):
        if not bundle.pages:
            continue
        # (The Pagefind release is in the key through the code fingerprint.)
        key = ctx.keys.key("search", bundle.path, [(p, staging.hashes[p]) for p in bundle.pages])
        if not ctx.keys.reuse(staging, bundle.path, key, counted=False):
            todo.append(bundle)
    with tempfile.TemporaryDirectory(prefix="kospi-search-") as tmp:
        running: list[tuple[Bundle, Path, subprocess.Popen]] = []
        limit = ctx.worker_count()
        for n, bundle in enumerate(todo):
            while len(running) >= limit:
                _finish(ctx, staging, *running.pop(0))
            output = Path(tmp) / str(n)
            command = _command(exe, staging.path, bundle.pages, output)
            running.append((bundle, output, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
        while running:
            _finish(ctx, staging, *running.pop(0))


def _finish(ctx: SiteContext, staging: Staging, bundle: Bundle, output: Path, process: subprocess.Popen) -> None:
    """Wait for one Pagefind run and place its bundle in the staging folder."""
    out, err = process.communicate()
    if process.returncode != 0:
        detail = (err or out).strip().splitlines()
        raise BuildError(f"building the search index failed: {detail[-1] if detail else f'exit status {process.returncode}'}")
    files = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        relpath = bundle.path + path.relative_to(output).as_posix()
        staging.add(relpath, path.read_bytes())
        files.append(relpath)
    ctx.keys.record(bundle.path, files)
