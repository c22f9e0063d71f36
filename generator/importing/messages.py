"""Problems an editor can act on: a systematic problem is one message, not two thousand.

One wrong date format in an export of 2,009 rows used to print 2,009 lines that all said the
same thing. Problems of one file and column whose messages differ only in the cell they quote
(and the numbers in it) are one problem here: the first message, how many rows have it and
their first lines. The count it stands for travels with it (``Omitted.count``), so a summary
counts what was printed plus what was folded in.
"""

from __future__ import annotations

import re
from collections import defaultdict

from generator.errors import Omitted, Problem

#: More rows than this with the same problem are folded into one message.
FOLD_AFTER = 3
#: How many line numbers a folded message shows.
SHOW_LINES = 5

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"[+-]?\d[\d,.]*%?")


def template(message: str) -> str:
    """The message with the quoted cell and every number blanked: what rows share."""
    return _NUMBER.sub("#", _QUOTED.sub("'…'", message))


def fold(problems: list[Problem]) -> list[Problem]:
    """``problems`` with every group of more than ``FOLD_AFTER`` alike problems (same file,
    column and message template) replaced by one ``Omitted`` problem at the group's first line."""
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.path, p.column, p.severity, template(p.message))].append(p)
    out: list[Problem] = []
    for group in groups.values():
        if len(group) <= FOLD_AFTER:
            out += group
            continue
        group.sort(key=lambda p: p.line if p.line is not None else -1)
        first = group[0]
        lines = [str(p.line) for p in group if p.line is not None]
        shown = ", ".join(lines[:SHOW_LINES])
        more = f" and {len(lines) - SHOW_LINES} more" if len(lines) > SHOW_LINES else ""
        out.append(
            Omitted(
                first.path,
                first.line,
                first.column,
                f"{first.message} -- the same on {len(group)} rows (lines {shown}{more})",
                first.severity,
                count=len(group),
            )
        )
    return out
