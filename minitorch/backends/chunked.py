"""Elementwise work over big CPU arrays in cache-sized chunks, split between threads.

A formula of many ufunc passes runs faster over chunks that stay in the core's L2 cache
than over whole arrays that do not fit, and numpy releases the GIL inside each ufunc, so
the chunks of one call can run on several cores. The optimizers' updates and GELU use it;
see benchmarks/optim_step.py for the measurements behind the sizes.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

CHUNK = 1 << 17  # elements per chunk: measured best (L2-sized arrays, few GIL hand-overs)
MAX_THREADS = 4  # at most this many threads split one call's chunks
THREADS = min(MAX_THREADS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
_pool: ThreadPoolExecutor | None = None


def for_chunks(
    kernel, arrays: tuple, args: tuple = (), before=None, chunk: int = 0, threads: int = 0
) -> None:
    """Runs ``kernel(*slices, *args)`` over matching chunks of equal-length 1-D arrays
    (``None`` entries pass through), after ``before(lo, hi)`` when given. The kernel must be
    elementwise. Large CPU arrays go in cache-sized chunks (``chunk`` elements, default
    CHUNK), which ``threads`` threads (default THREADS) take one at a time until none is
    left; device arrays in one call. Taking chunks rather than fixed shares matters right
    after a matrix product: OpenBLAS's workers keep spinning on the other cores for a while,
    and a thread that shares its core with one does less."""
    n = arrays[0].shape[0]
    chunk = chunk or CHUNK
    if n < 2 * chunk or type(arrays[0]) is not np.ndarray:  # small, or on a GPU: one call
        chunk = max(n, 1)
    starts = range(0, n, chunk)
    parts = min(threads or THREADS, len(starts))
    claim = iter(starts).__next__  # one chunk per call; atomic under the GIL

    def run() -> None:
        for a in iter(claim, None):
            b = min(a + chunk, n)
            if before is not None:
                before(a, b)
            kernel(*(x if x is None else x[a:b] for x in arrays), *args)

    if parts < 2:
        run()
        return
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(MAX_THREADS - 1, thread_name_prefix="minitorch-chunks")
    futures = [_pool.submit(run) for _ in range(parts - 1)]
    run()
    for f in futures:
        f.result()


def _forget_pool() -> None:
    global _pool
    _pool = None  # a forked child has none of the parent's threads


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
