"""A new commentary file for a trading day, started from the data.

Editors write the day's note against a deadline; starting from a file that already has valid
front matter and the data-written lede means the first draft builds, and the editor's time goes
into the story rather than into the format. Library code: returns text and raises, never prints.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.analysis.history import analyse
from generator.dataset import Dataset
from generator.errors import ContentError
from generator.snapshot import make_snapshots
from generator.story import stories

#: Korea Standard Time: commentary is published with Seoul's offset, as readers see it.
KST = dt.timezone(dt.timedelta(hours=9), "KST")


def commentary_path(content: Path, day: dt.date) -> Path:
    """Where the commentary for ``day`` lives."""
    return content / "commentary" / f"{day.isoformat()}.md"


def latest_day(data: Dataset) -> dt.date:
    """The latest trading day in the data (the usual day to write about)."""
    days = data.trading_days
    if not days:
        raise ContentError.single("index_daily.csv", None, None, f"has no rows for {data.config.headline_index}")
    return days[-1]


def require_day(data: Dataset, content: Path, day: dt.date) -> None:
    """Refuse a day the report has no data for: its commentary would not build."""
    days = data.trading_days
    if day in set(days):
        return
    where = content / "data" / "index_daily.csv"
    hint = f" (the data runs from {days[0]} to {days[-1]})" if days else ""
    raise ContentError.single(
        where, None, None, f"has no {data.config.headline_index} row for {day}: not a trading day in the data{hint}"
    )


def scaffold(data: Dataset, day: dt.date, now: dt.datetime) -> str:
    """The text of a new commentary file for ``day``: front matter, then the lede as the first paragraph.

    ``published`` is ``now`` in Seoul time (``now`` must be timezone-aware).
    """
    snapshots = make_snapshots(data, analyse(data))
    story = stories(snapshots, data.config)[day]
    lede = " ".join(story.lede)
    published = now.astimezone(KST).replace(microsecond=0).isoformat()
    lines = [
        "---",
        f"title: {_quoted(story.headline)}",
        'summary: ""  # one sentence for the archive, the feed and search results',
        f"author: {_quoted(data.config.author)}",
        f"published: {_quoted(published)}",
        "---",
        "",
    ]
    if lede:
        lines += [lede, ""]
    return "\n".join(lines)


def write_new(path: Path, text: str, *, force: bool) -> None:
    """Create the file; refuse to replace an existing one unless ``force``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "w" if force else "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ContentError.single(path, None, None, "already exists; use --force to replace it") from None


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
