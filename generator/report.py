"""One day's report: its snapshot, the story written from it, and the days either side.

The build makes one ``Report`` per trading day once the snapshots are made and the stories
written; every page family reads them (the report pages in generator/site/reports.py most of all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.config import SiteConfig
from generator.snapshot_types import Snapshot
from generator.story import Story, stories

if TYPE_CHECKING:  # pragma: no cover
    from generator.day_cache import DayCache


@dataclass(frozen=True)
class Report:
    """One day's report: its snapshot and everything written from it."""

    day: dt.date
    snap: Snapshot
    story: Story
    previous: dt.date | None
    next: dt.date | None

    @property
    def path(self) -> str:
        return f"reports/{self.day.isoformat()}/"

    @property
    def lede(self) -> list[str]:
        """The lede's sentences, plain text."""
        return self.story.lede

    @property
    def headline(self) -> str:
        """The data-written headline (an editor's title, where there is one, wins on the page)."""
        return self.story.headline


def reports(snapshots: Mapping[dt.date, Snapshot], config: SiteConfig, lang: str | None = None, cache: DayCache | None = None) -> list[Report]:
    """Every day's report, its story written in ``lang`` (the site's first edition's language by
    default); days in ``cache`` take their story from it."""
    days = list(snapshots)
    written = stories(snapshots, config, lang or config.editions[0], cache)
    return [
        Report(
            day=day,
            snap=snapshots[day],
            story=written[day],
            previous=days[i - 1] if i else None,
            next=days[i + 1] if i + 1 < len(days) else None,
        )
        for i, day in enumerate(days)
    ]
