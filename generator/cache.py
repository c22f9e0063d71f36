"""The build cache: work an earlier build did that a later one can reuse, outside the site.

Rendered chart images, chart templates, templates compiled to Vega, the Vega bundle and the
exchange's sessions are kept between builds in one folder, named by a hash of what made them,
so one cache serves every build on the machine (a rebuild, a preview into another folder, the
test suite's builds into temporary folders) and a change of code or input never reads a stale
entry. The cache lives outside the output folder, so it is never published; losing it only
costs time.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.files import write_atomic

CACHE_ENV = "KOSPI_REPORT_CHART_CACHE"


def default_cache_dir() -> Path | None:
    """Where rendered images are cached: ``$KOSPI_REPORT_CHART_CACHE`` when set (empty or "off"
    disables the cache), else ``kospi-report/charts`` in the user's cache folder
    (``$XDG_CACHE_HOME``, default ``~/.cache``).

    Entries are named by content hash, so one cache serves every build on the machine: a
    rebuild, a preview into another folder and the test suite's builds into temporary folders
    all skip the images an earlier build rendered; and the cache lives outside the output
    folder, so it is never published. The build keeps two small things beside the images, in
    ``templates/`` (chart templates), ``vega/`` (templates compiled to Vega) and ``calendar/``
    (the exchange's sessions)."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "off", "none", "0") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kospi-report" / "charts"


def write_cache_file(path: Path, data: bytes) -> None:
    """Write a cache file atomically (readers never see half of one); a cache that cannot be
    written only costs time, so a failure is ignored."""
    try:
        write_atomic(path, data)
    except OSError:
        pass
