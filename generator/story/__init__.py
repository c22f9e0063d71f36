"""Stage 5, story: the story engine: what a day's report says, facts first and words second.

- **Facts** (``facts.py`` and one module per family: ``index_facts``, ``market_facts``,
  ``money_facts``, ``events``) are data computed from the snapshot and the history before the
  day, each with a kind, its values, the earlier day it is measured against and a score.
  ``engine.add_facts`` ranks them into the day's snapshot (``facts``), where every claim on the
  page can be checked. ``since.py`` holds the one primitive they share ("the last earlier
  day at least this big").
- **Realisers** word the ranked facts: ``english.py`` writes the headline, the lede and the
  section sentences; nothing language-specific lives in the fact layer, so another language
  is another realiser (``korean.py``, which tells the same facts as the English one). ``glossary.py`` keeps a term from being explained in every lede.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.config import SiteConfig
from generator.snapshot_types import Snapshot
from generator.story.english import Story, write_stories

if TYPE_CHECKING:  # pragma: no cover
    from generator.day_cache import DayCache

__all__ = ["Story", "stories"]


def stories(snapshots: Mapping[dt.date, Snapshot], config: SiteConfig, lang: str = "en", cache: DayCache | None = None) -> dict[dt.date, Story]:
    """Every day's story in the edition's language (and the site's style), written in date order;
    with a ``cache``, the days it holds are taken from it (generator/day_cache.py)."""
    if cache is not None:
        if lang == "ko":
            from generator.story.korean import Korean

            return cache.stories(snapshots, lang, lambda: Korean(config.headline_index))
        from generator.story.english import English

        return cache.stories(snapshots, lang, lambda: English(config.headline_index, config.index_style))
    if lang == "ko":
        from generator.story.korean import write_stories as write_korean

        return write_korean(snapshots, config.headline_index)
    return write_stories(snapshots, config.headline_index, config.index_style)
