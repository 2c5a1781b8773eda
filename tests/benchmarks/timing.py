"""What the benchmark scripts share: the best of several timed runs."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_of(runs: int, fn: Callable[[], T], *, clock: Callable[[], float] = time.perf_counter,
            collect: bool = False) -> tuple[float, T]:
    """The shortest time of `runs` calls of `fn` by `clock` (wall time, or
    `time.process_time` for CPU time), and the last result; with `collect`, a garbage
    collection before each call so that none lands in one."""
    best = float("inf")
    result: T
    for _ in range(runs):
        if collect:
            gc.collect()
        start = clock()
        result = fn()
        best = min(best, clock() - start)
    return best, result
