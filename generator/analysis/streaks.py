"""Streaks: consecutive trading days of gains (positive count) or losses (negative).

An unchanged close resets the streak to 0; the first day, with no previous close, is 0.
"""

from __future__ import annotations

import numpy as np


def streaks(closes: np.ndarray) -> np.ndarray:
    """Signed run length of gains/losses ending at each position."""
    c = np.asarray(closes, dtype=float)
    n = len(c)
    out = np.zeros(n, dtype=int)
    if n < 2:
        return out
    direction = np.sign(np.diff(c)).astype(int)
    # Run ids change whenever the direction changes; count positions within each run.
    change = np.empty(n - 1, dtype=bool)
    change[0] = True
    change[1:] = direction[1:] != direction[:-1]
    run_start = np.maximum.accumulate(np.where(change, np.arange(n - 1), 0))
    length = np.arange(n - 1) - run_start + 1
    out[1:] = direction * length
    return out
