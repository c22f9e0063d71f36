"""Records: a value strictly above every earlier value in the data.

``previous_record`` on a day is the highest earlier value and the first date it was reached.
The first value of a series has nothing earlier to beat, so it is not a record and has no
previous record: a report does not call the first day of its data "a record".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Records:
    """Per-position record facts for one series (arrays aligned with the input)."""

    record: np.ndarray  # bool
    previous_value: np.ndarray  # float, NaN where there is no earlier value
    previous_index: np.ndarray  # int position of the first date the previous record was reached, -1 if none


def records(values: np.ndarray) -> Records:
    """Compute record flags and previous records for a series in date order.

    Vectorised: the running maximum before each position is the previous record, and the
    position where that maximum was first reached is the last strict new high before it.
    """
    v = np.asarray(values, dtype=float)
    n = len(v)
    if n == 0:
        return Records(np.zeros(0, bool), np.zeros(0), np.zeros(0, int))
    running = np.maximum.accumulate(v)
    prev_max = np.empty(n)
    prev_max[0] = np.nan
    prev_max[1:] = running[:-1]
    # A position sets a new running maximum when it is strictly above everything before it.
    new_high = np.empty(n, dtype=bool)
    new_high[0] = True
    new_high[1:] = v[1:] > running[:-1]
    first_reached = np.where(new_high, np.arange(n), 0)
    first_reached = np.maximum.accumulate(first_reached)
    prev_index = np.empty(n, dtype=int)
    prev_index[0] = -1
    prev_index[1:] = first_reached[:-1]
    record = np.zeros(n, dtype=bool)
    record[1:] = new_high[1:]
    return Records(record, prev_max, prev_index)
