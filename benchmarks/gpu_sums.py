"""Column and row sums on the GPU: cupy's reduction against products with ones (what
ops/reduce.py's sum_blas does), microseconds per call with the device synchronized.

    python3 benchmarks/gpu_sums.py
"""

from __future__ import annotations

import os
import sys

import cupy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpu_calls import per_call  # noqa: E402


def compare(rows: int, cols: int) -> str:
    a = cupy.random.standard_normal((rows, cols), dtype=cupy.float32)

    def timed(fn) -> float:
        return per_call(fn, n=200, warmup=10)

    col_sum = timed(lambda: a.sum(axis=0))
    col_ones = timed(lambda: cupy.matmul(cupy.ones_like(a, shape=(rows,)), a))
    row_sum = timed(lambda: a.sum(axis=1))
    row_ones = timed(lambda: cupy.matmul(a, cupy.ones_like(a, shape=(cols,))))
    return (
        f"({rows:5d}, {cols:4d}) columns: sum {col_sum:8.1f} ones {col_ones:8.1f} us | "
        f"rows: sum {row_sum:8.1f} ones {row_ones:8.1f} us"
    )


for shape in [(128, 512), (1024, 384), (16384, 384), (16384, 1536), (16384, 65)]:
    print(compare(*shape), flush=True)
