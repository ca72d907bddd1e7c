"""How the build asks Python's garbage collector to behave.

A 10,000-service build makes tens of millions of short-lived objects and keeps the checked directory (millions
of long-lived ones) to the end. With the default thresholds the collector runs thousands of times and rescans the
directory each time it reaches the older generations: about a tenth of the build's CPU time, measured.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young collections every 50,000 allocations instead of 700; cycles still get collected, far less often.
BUILD_THRESHOLDS = (50_000, 50, 100)


@contextmanager
def build_collector() -> Iterator[None]:
    """Raise the collector's thresholds for the build; restore them, and unfreeze what was frozen, afterwards."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def keep_until_the_end() -> None:
    """Move every object alive now out of the collector's reach until `build_collector` ends.

    Called once the project is checked: the directory lives for the whole build anyway. The collector then never
    rescans it, and a forked side process shares its memory pages instead of copying them when the collector runs.
    """
    gc.collect()
    gc.freeze()
