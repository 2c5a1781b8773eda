"""What work over many segments at once shares."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector over a batch (reference counting still frees).

    Matching, enforcing, checking and writing a workbook allocate objects by the million
    and no cycles; the collector's passes would rescan the large live heap (every record)
    again and again, a third of the time of a 100,000-segment workbook. Nested pauses leave
    it as the outermost found it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
