"""Milestones: round levels reached or passed for the first time ever.

A level L (a multiple of ``step``) is a milestone on the day whose value first reaches it:
the highest earlier value is below L and the day's value is at or above L. As with records,
the first day of data has nothing to compare with and has no milestones.

Levels are found by dividing by ``step`` and then checked by multiplying back, because a
float quotient can round up across a whole number (1.7 / 0.1 == 17.0 while 17 * 0.1 is
1.7000000000000002) and the report must never say a level was crossed that was not reached.
A level is ``k * step`` rounded to 9 decimals, so a step of 0.1 gives 1.7, not 1.7000000000000002.
"""

from __future__ import annotations

import math

import numpy as np


def level(k: int, step: float) -> float:
    """The k-th round level."""
    return round(k * step, 9)


def _highest_reached(value: float, step: float) -> int:
    """The largest k with level(k) <= value."""
    k = math.floor(value / step)
    while level(k, step) > value:
        k -= 1
    while level(k + 1, step) <= value:
        k += 1
    return k


def milestones(values: np.ndarray, step: float) -> list[list[float]]:
    """For each position, the round levels first reached there (ascending)."""
    if step <= 0:
        raise ValueError("milestone step must be positive")
    v = np.asarray(values, dtype=float)
    out: list[list[float]] = [[] for _ in range(len(v))]
    if len(v) < 2:
        return out
    before = np.maximum.accumulate(v)[:-1]
    for i in np.flatnonzero(v[1:] > before) + 1:
        lowest = _highest_reached(float(before[i - 1]), step) + 1  # first multiple above the earlier maximum
        highest = _highest_reached(float(v[i]), step)
        out[i] = [_clean(level(k, step)) for k in range(lowest, highest + 1)]
    return out


def _clean(level: float) -> float | int:
    return int(level) if float(level).is_integer() else level
