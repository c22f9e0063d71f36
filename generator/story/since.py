""""Since" questions a reporter asks of a series: when was it last this big?

"The steepest fall since March 19, 2020" is the last earlier day whose fall was at least as
steep; "the highest close since" is the last earlier close at least as high. Both are the
*previous at-least* of a value in its series, answered here for every day at once with a
monotonic stack, so a history of decades costs one pass. A tie counts: a day that equalled
today's move is "at least as big", so today is the biggest *since* that day, never "the
biggest ever" while an equal day exists.
"""

from __future__ import annotations

import numpy as np


def previous_at_least(values: np.ndarray) -> np.ndarray:
    """For each position, the last earlier position whose value is >= its own (-1 if none).

    NaN neither answers nor asks: a NaN position gets -1 and is never an answer.
    """
    v = np.asarray(values, dtype=float)
    out = np.full(len(v), -1, dtype=int)
    stack: list[int] = []  # positions with non-increasing values, bottom to top
    vals = v.tolist()
    for i, x in enumerate(vals):
        if x != x:  # NaN
            continue
        # Positions below x can never answer for i or for anything after i (i is later and >= them).
        while stack and vals[stack[-1]] < x:
            stack.pop()
        if stack:
            out[i] = stack[-1]
        stack.append(i)
    return out


def previous_at_most(values: np.ndarray) -> np.ndarray:
    """For each position, the last earlier position whose value is <= its own (-1 if none)."""
    return previous_at_least(-np.asarray(values, dtype=float))


def run_end(signs: np.ndarray, start: int) -> int:
    """The last position of the run of equal, non-zero signs that contains ``start``."""
    s = np.asarray(signs)
    end = start
    while end + 1 < len(s) and s[end + 1] == s[start] and s[start] != 0:
        end += 1
    return end
