"""float32 ``arange`` values rounded as PyTorch's CPU kernel rounds them."""

from __future__ import annotations

import numpy as np

_LANES, _BLOCK = 8, 16  # the kernel's double lanes per vector, and elements per loop step
ONE_THREAD = 32768  # PyTorch's grain size: longer ranges are split between threads


def _fma(a, b, c):
    """``a * b + c`` rounded once to float64 (long double holds the product of a double
    and a small integer exactly on x86; elsewhere this is the plain double expression)."""
    return (np.longdouble(a) * b + np.longdouble(c)).astype(np.float64)


def float32_arange(start: float, step: float, n: int) -> np.ndarray:
    """``torch.arange(start, start + n * step, step)`` in float32: each vector of 8 starts
    at float32(start + i0 * step) and adds k * step to it in double; the tail that does not
    fill a 16-element step is start + i * step. PyTorch's values (e.g. arange(-5, 5, 0.2)
    has -2.98e-09 where a plain formula gives 0, and arange(-8, 8, 0.1) a positive 4.4e-16
    where it gives 0) decide signs near zero: relu's gradient there, and sci-mode printing."""
    idx = np.arange(n)
    k = idx % _LANES
    base = _fma(step, idx - k, start).astype(np.float32).astype(np.float64)
    out = _fma(k, step, base)
    tail = n - n % _BLOCK
    out[tail:] = _fma(step, idx[tail:], start)
    return out.astype(np.float32)
