"""Milestones: round levels reached for the first time ever.

A level L (a multiple of ``step``) is a milestone on the day whose value first reaches it:
the highest earlier value is below L and the day's value is at or above L. As with records,
the first day of data has nothing to compare with and has no milestones.
"""

from __future__ import annotations

import math

import numpy as np


def milestones(values: np.ndarray, step: float) -> list[list[float]]:
    """For each position, the round levels first reached there (ascending)."""
    v = np.asarray(values, dtype=float)
    out: list[list[float]] = [[] for _ in range(len(v))]
    if len(v) < 2:
        return out
    before = np.maximum.accumulate(v)[:-1]
    for i in np.flatnonzero(v[1:] > before) + 1:
        lowest = math.floor(before[i - 1] / step) + 1  # first multiple above the earlier maximum
        highest = math.floor(v[i] / step)
        out[i] = [_clean(k * step) for k in range(lowest, highest + 1)]
    return out


def _clean(level: float) -> float | int:
    return int(level) if float(level).is_integer() else level
