"""Market events an editor records in ``content/data/events.csv``: told first on their day.

A sidecar, a circuit breaker, a trading halt or the start of a short-selling ban is the story
of its day whatever the figures say, so an event outranks every fact computed from the data.
The editor's own sentence (``text``) is the event's wording in the lede, and the optional
``headline`` (a short phrase such as "Short-selling ban takes effect") leads the day's headline;
``text_ko`` and ``headline_ko`` are the same in the Korean edition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.story.facts import Fact

#: Score of an editor's event: above anything the data can score.
EVENT_SCORE = 100.0


def event_facts(day: str, events: pd.DataFrame) -> list[Fact]:
    """The events dated ``day``, in file order."""
    if events is None or events.empty:
        return []
    dates = np.datetime_as_string(events["date"].to_numpy().astype("datetime64[D]"), unit="D")
    rows = events[dates == day]
    optional = {c: list(rows[c]) if c in rows.columns else [None] * len(rows) for c in ("headline", "text_ko", "headline_ko")}
    out = []
    for n, (kind, text) in enumerate(zip(rows["kind"], rows["text"], strict=True)):
        values = {"kind": str(kind), "text": str(text).strip()}
        for column, cells in optional.items():
            cell = cells[n]
            if isinstance(cell, str) and cell.strip():
                values[column] = cell.strip()
        out.append(Fact("event", str(kind), EVENT_SCORE, values))
    return out
