"""What work over many segments at once shares."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector over a batch (reference counting still frees).

    Matching, enforcing, checking and writing a workbook allocate objects by the million
    and no cycles; the collector's passes would rescan the large live heap (every record)
    again and again, a third of the time of a 100,000-segment workbook.

    The collector is one per process, and batches run in several threads at once (the
    TUI's workers): pauses are counted under a lock, the first one stops the collector and
    the last one to end starts it again (if it ran before the first), so two overlapping
    pauses never turn it back on early.
    """
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
