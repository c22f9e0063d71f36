"""The tracked stocks' stock-lending balances taken together, with their records.

Each stock publishes its balance on its own days, so the total is taken on every date any of
them has, each stock counted at its latest balance on or before that date; records are those of
the total, as for any balance series (generator/analysis/records.py).
"""

from __future__ import annotations

import numpy as np

from generator.analysis.history import History
from generator.analysis.records import records
from generator.analysis.series import Series


def lending_total(hist: History, tickers: list[str]) -> Series | None:
    """The balances of ``tickers`` summed on every date any of them has; None without any."""
    series = [hist.stock_lending[t] for t in tickers if t in hist.stock_lending]
    if not series:
        return None
    dates = np.unique(np.concatenate([s.dates for s in series]))
    total = np.zeros(len(dates))
    for s in series:
        pos = s.at(dates)
        values = np.array([f["balance"] for f in s.facts], dtype=float)
        total += np.where(pos >= 0, values[np.maximum(pos, 0)], 0.0)
    rec = records(total)
    facts = []
    for i, d in enumerate(dates):
        prev = None if rec.previous_index[i] < 0 else {"value": float(rec.previous_value[i])}
        facts.append({"as_of": str(d), "balance": int(round(total[i])), "record": bool(rec.record[i]), "previous_record": prev})
    return Series(dates, facts)
