"""Floating ``arange`` values rounded as PyTorch's CPU kernel rounds them."""

from __future__ import annotations

import numpy as np

from ._linspace import fma64

ONE_THREAD = 32768  # PyTorch's grain size: longer ranges are split between threads


def float_arange(start: float, step: float, n: int, dtype: np.dtype) -> np.ndarray:
    """``torch.arange(start, start + n * step, step)`` in float16/32/64, as the kernel's
    256-bit vectors compute it: each vector starts at start + i0 * step rounded to ``dtype``
    and adds k * step to it, in double (float for float16), with fused multiply-adds; the
    tail that does not fill a step of two vectors is start + i * step. PyTorch's values (e.g.
    arange(-5, 5, 0.2) has -2.98e-09 where a plain formula gives 0, and arange(-8, 8, 0.1) a
    positive 4.4e-16 where it gives 0) decide signs near zero: relu's gradient there, and
    sci-mode printing."""
    lanes = 32 // dtype.itemsize
    acc = np.float32 if dtype == np.float16 else np.float64
    start, step = acc(start), acc(step)
    fma = fma64 if acc == np.float64 else _fma32
    idx = np.arange(n, dtype=acc)
    k = idx % lanes
    base = fma(step, idx - k, start).astype(dtype).astype(acc)
    out = fma(k, step, base)
    tail = n - n % (2 * lanes)
    out[tail:] = fma(step, idx[tail:], start)
    return out.astype(dtype)


def _fma32(a, b, c):
    """``a * b + c`` in float32 with one rounding (the product of a float and an index
    below 2^29 is exact in double)."""
    return (np.float64(a) * b + c).astype(np.float32)
