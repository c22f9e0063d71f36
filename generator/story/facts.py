"""A fact: one thing the data says about a day, with how newsworthy it is.

Facts are data, not words: a kind, the subject it is about (an index, an investor type, a
ticker, a market), its values, the earlier day it is measured against ("since") and a score.
They are written into the day's snapshot (``facts``), so every sentence the site writes can be
checked against the JSON of its day, and a realiser in any language can word them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, TypedDict

from generator.snapshot_types import FactDoc, FactKind

#: Facts measured against fewer earlier trading days than this are not "since" news:
#: "the biggest gain in a week" is not a story.
MIN_LOOKBACK = 20


class Since(TypedDict):
    """The "since" fields of a fact measured against history (``Fact(..., **since)``)."""

    since: str | None
    since_value: float | None
    data_begins: str
    lookback: int


@dataclass(frozen=True)
class Fact:
    """One newsworthy observation about a day.

    ``since`` is the last earlier day that matched or beat this one (None when nothing in the
    data did); ``since_value`` its value; ``data_begins`` the first day of the series, so "the
    biggest since at least June 2023" can be said when ``since`` is None; ``lookback`` how many
    trading days of the series lie between (or, with no ``since``, before) this day.
    """

    kind: FactKind
    subject: str
    score: float
    values: dict[str, Any] = field(default_factory=dict)
    since: str | None = None
    since_value: float | int | None = None
    data_begins: str | None = None
    lookback: int | None = None

    def to_json(self) -> FactDoc:
        """The snapshot form: optional keys only when they apply."""
        out: FactDoc = {"kind": self.kind, "subject": self.subject, "score": round(self.score, 1), "values": self.values}
        if self.lookback is not None and self.data_begins is not None:
            out["since"] = self.since
            out["since_value"] = self.since_value
            out["data_begins"] = self.data_begins
            out["lookback"] = self.lookback
        return out

    @staticmethod
    def from_json(doc: FactDoc) -> Fact:
        return Fact(
            kind=doc["kind"],
            subject=doc["subject"],
            score=doc["score"],
            values=doc.get("values", {}),
            since=doc.get("since"),
            since_value=doc.get("since_value"),
            data_begins=doc.get("data_begins"),
            lookback=doc.get("lookback"),
        )


def since_score(lookback: int) -> float:
    """How much a "since" reaches back, as news: 20 trading days (a month) scores 30, each
    doubling adds 10, so a year (~250 days) scores about 66 and a decade about 99."""
    if lookback < MIN_LOOKBACK:
        return 0.0
    return min(100.0, 30.0 + 10.0 * math.log2(lookback / MIN_LOOKBACK))


def move_score(change_pct: float | None) -> float:
    """How big a one-day index move is, as news, whatever its history: 1 % scores 25,
    2 % about 35, 4 % 50, 9 % 75."""
    if change_pct is None:
        return 0.0
    return 25.0 * math.sqrt(abs(change_pct))
