"""Terms a market report uses that a reader may not know, explained once a week.

A lede that explains "margin loans, money investors borrow to buy shares" every day reads
like boilerplate; one that never does loses the new reader. So a lede explains a term when
no lede of the past ``EXPLAIN_EVERY_DAYS`` days did, and otherwise links the term to the
glossary page (``/glossary/``), which holds every definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: A term explained in a lede is not explained again in ledes for this many days.
EXPLAIN_EVERY_DAYS = 7


@dataclass(frozen=True)
class Term:
    """A glossary entry: its anchor, its name, the short explanation a lede uses (an
    appositive), and the glossary's fuller definition."""

    slug: str
    name: str
    appositive: str
    definition: str


TERMS: dict[str, Term] = {
    t.slug: t
    for t in (
        Term(
            "margin-loans",
            "Margin loans",
            "money investors borrow to buy shares",
            "Money investors borrow from their brokers to buy shares, with the shares as collateral. "
            "A rising balance means more of the market's buying is borrowed; after a sharp fall, brokers "
            "sell the shares of borrowers who cannot add collateral, which can deepen the fall.",
        ),
        Term(
            "stock-lending",
            "Stock-lending balances",
            "shares borrowed often ahead of short selling",
            "Shares that have been lent and not yet returned. Short sellers must borrow shares before "
            "they sell them, so a growing balance is often an early sign of short selling to come; while "
            "short selling is banned, borrowing serves other trades.",
        ),
        Term(
            "correction",
            "Correction",
            "a fall of 10 percent or more from the record close",
            "A close 10 percent or more below the index's record close.",
        ),
        Term(
            "bear-market",
            "Bear market",
            "a fall of 20 percent or more from the record close",
            "A close 20 percent or more below the index's record close.",
        ),
        Term(
            "sidecar",
            "Sidecar",
            "a five-minute pause in program trading",
            "A five-minute suspension of program trading that the exchange orders when index futures "
            "move 5 percent (KOSPI 200) or 6 percent (KOSDAQ 150) from the previous close for a minute.",
        ),
        Term(
            "circuit-breaker",
            "Circuit breaker",
            "a halt of all trading after a steep fall",
            "A halt of all trading for 20 minutes when the index falls 8 percent, and again at 15 percent, "
            "from the previous close; at 20 percent trading ends for the day.",
        ),
        Term(
            "net-buying",
            "Net buying",
            "shares bought minus shares sold, in won",
            "The value of the shares an investor type bought minus the value it sold that day, in won. "
            "Foreigners, institutions and individuals are the exchange's investor types.",
        ),
    )
}


class Explainer:
    """Decides, day by day in date order, whether a lede explains a term or links it."""

    def __init__(self) -> None:
        self.last: dict[str, dt.date] = {}

    def explain(self, slug: str, day: dt.date) -> bool:
        """True when the lede of ``day`` should explain the term (and note that it did)."""
        last = self.last.get(slug)
        if last is not None and 0 <= (day - last).days < EXPLAIN_EVERY_DAYS:
            return False
        self.last[slug] = day
        return True
