"""Search ``/pagefind/``: a Pagefind index of the finished site, searched in the reader's browser.

Runs last, on the staging folder, so it sees every page; only elements marked
``data-pagefind-body`` (each report's article, the standalone pages) are indexed, and charts'
data tables are skipped (``data-pagefind-ignore``). The index files are added to the staging
folder like any other page, so unchanged ones are carried over by the next build. Pagefind is
optional (``pip install 'kospi-report[search]'``): without it the build warns and skips search,
and ``/search/`` says search is unavailable.
"""

from __future__ import annotations

import subprocess
import tempfile
from functools import cache
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.site import SiteContext
from generator.write import Staging

#: Where the search bundle is served.
BUNDLE = "pagefind"


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


def write(ctx: SiteContext, staging: Staging) -> None:
    exe = executable()
    if exe is None:
        ctx.data.warnings.append(
            Problem(BUNDLE, None, None, "Pagefind is not installed, so the site has no search "
                    "(install it with: pip install 'kospi-report[search]')", "warning")
        )
        return
    with tempfile.TemporaryDirectory(prefix="kospi-search-") as tmp:
        bundle = Path(tmp) / BUNDLE
        command = [str(exe), "--site", str(staging.path), "--output-path", str(bundle), "--silent"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise BuildError(f"building the search index failed: {detail[-1] if detail else f'exit status {done.returncode}'}")
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            staging.add(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
