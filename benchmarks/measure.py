"""Timing (median wall-clock and CPU time) and peak memory (tracemalloc) of one call."""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall-clock and median CPU seconds (this process) of ``repeat`` calls.

    CPU time is reported beside wall-clock time because the benchmark machine is shared:
    other processes inflate wall-clock time, not this process's CPU time. (For DuckDB,
    which runs on several threads, CPU time is the sum over its threads.)
    """
    wall, cpu = [], []
    result = None
    for _ in range(max(1, repeat)):
        result = None
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        result = func()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), result


def peak_extra(func: Callable[[], Any]) -> int:
    """Peak bytes allocated during ``func()`` above what was allocated before it.

    tracemalloc traces Python objects and NumPy buffers (NumPy reports its allocations
    to tracemalloc), so this covers pandas frames with python-backed strings. It does
    not see memory allocated by C++ libraries such as DuckDB. The result of the call is
    counted (it is alive at the end of the call).
    """
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = func()
        peak = tracemalloc.get_traced_memory()[1]
        del result
    finally:
        tracemalloc.stop()
    return max(0, peak - before)


def frame_bytes(*frames: pd.DataFrame) -> tuple[int, int]:
    """Size of the frames: ``memory_usage(deep=True)`` and a shared-string-aware size.

    ``deep=True`` counts a string object once per row that points to it; pandas frames
    often share one string object between many rows (user agents, pages), so the second
    figure counts each distinct object once (pointers + distinct objects + numeric data).
    """
    deep = sum(int(f.memory_usage(deep=True, index=True).sum()) for f in frames)
    shallow = 0
    seen: dict[int, int] = {}
    for f in frames:
        shallow += int(f.memory_usage(deep=False, index=True).sum())
        for name in f.columns:
            col = f[name]
            if isinstance(col.dtype, pd.CategoricalDtype):
                cats = col.cat.categories
                if cats.dtype == object or pd.api.types.is_string_dtype(cats.dtype):
                    for v in cats:
                        seen.setdefault(id(v), sys.getsizeof(v))
            elif col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
                values = col.to_numpy(dtype=object)
                ids = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
                _, first = np.unique(ids, return_index=True)
                for i in first:
                    v = values[i]
                    seen.setdefault(id(v), sys.getsizeof(v))
    return deep, shallow + sum(seen.values())
