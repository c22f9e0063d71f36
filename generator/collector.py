"""The cyclic garbage collector, paused while a build creates what it keeps.

Loading the data, analysing it and building the snapshots (or reading them from the day cache)
create millions of small objects that live as long as the build. Python's cyclic collector runs
every few hundred allocations and walks the objects of each generation it collects, so it walks
these again and again, although none of them is garbage: about a tenth of that work on a
10-year history, and five times the work of reading the day cache. Pausing it while they are
created, then letting it run as before, keeps the rest of the build (and any cycles created in
the pause, which the next collection finds) as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is left as it was found."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
