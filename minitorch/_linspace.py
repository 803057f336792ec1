"""``linspace`` values rounded as PyTorch's CPU kernel rounds them: computed in the output
dtype, the first half as start + step * i and the second half as end - step * (steps - 1 - i)
(so both ends are exact), each a fused multiply-add in float32/float64 (the compiled kernel
contracts it), one rounding per operation in float16, in double for integer dtypes. Where a
plain double formula gives 0 (linspace(-100, 100, 200001)[100000]), PyTorch has -2.1e-14:
signs, floors and remainders downstream depend on it."""

from __future__ import annotations

import math

import numpy as np

_SPLIT = 134217729.0  # 2^27 + 1: Veltkamp's splitter of a double into two 26-bit halves


def _split(a):
    big = a * _SPLIT
    hi = big - (big - a)
    return hi, a - hi


def fma64(a, b, c):
    """``a * b + c`` in float64 with one rounding (Dekker's exact product and Knuth's exact
    sum; a tie after the first rounding can still round twice, which is rare). Where the
    plain sum is infinite or NaN it is the result (the error terms are NaN there)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    product_error = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    z = s - p
    sum_error = (p - (s - z)) + (c - z)
    return np.where(np.isfinite(s), s + (sum_error + product_error), s)


def linspace_values(start: float, end: float, steps: int, dtype: np.dtype, xp):
    """``torch.linspace(start, end, steps)`` of ``dtype`` as an array of the array module
    ``xp``."""
    if dtype.kind in "fV" and dtype.itemsize == 2:  # a double becomes Half/BFloat16 through
        # float, as in C++
        start, end = float(np.float32(start)), float(np.float32(end))
    if steps <= 1:
        return xp.full((steps,), start, dtype=np.float64).astype(dtype)
    i = xp.arange(steps)
    first = i < steps // 2
    k = xp.where(first, i, steps - 1 - i).astype(np.float64)
    if dtype.kind not in "fV":  # integer dtypes step in double, truncated as the C++ cast does
        s, e = float(np.asarray(start).astype(dtype)), float(np.asarray(end).astype(dtype))
        step = (e - s) / (steps - 1)
        out = fma64(xp.where(first, step, -step), k, xp.where(first, s, e))
        return xp.trunc(out).astype(dtype)
    t = dtype.type
    s, e = t(start), t(end)
    step = (e - s) / t(steps - 1)
    base = xp.where(first, s, e)
    if dtype.itemsize == 2:  # c10::Half/BFloat16 round after every operation, the index too
        return base + xp.where(first, step, -step) * k.astype(dtype)
    signed = xp.where(first, step, -step).astype(np.float64)
    if dtype == np.float32:  # a float32 step times an index below 2^29 is exact in double
        return (signed * k + base).astype(dtype)
    return fma64(signed, k, base)


def logspace_values(start: float, end: float, steps: int, base: float, dtype: np.dtype, xp):
    """``torch.logspace(start, end, steps, base)`` of a floating ``dtype`` as PyTorch's CPU
    kernel computes it: the bounds in the output dtype, the exponents in double from both
    ends (start + step * i, then end - step * (steps - 1 - i)), each ``pow(base, exponent)``
    in double (libm's, as Python's; numpy's SIMD power differs in the last bit), then cast."""
    if steps == 1:  # pow(base, start) of the start as given
        return _cast(xp.asarray([_pow(base, float(start))]), dtype)
    if dtype.itemsize == 2:  # a double becomes Half/BFloat16 through float
        start, end = np.float32(start), np.float32(end)
    s, e = dtype.type(start), dtype.type(end)
    step = float(e - s) / (steps - 1) if steps else 0.0  # the difference in the dtype
    s, e = float(s), float(e)
    half = steps // 2
    exponents = [s + step * i for i in range(half)]
    exponents += [e - step * (steps - 1 - i) for i in range(half, steps)]
    return _cast(xp.asarray([_pow(base, x) for x in exponents], dtype=np.float64), dtype)


def _cast(values, dtype: np.dtype):
    """Doubles cast to ``dtype`` as C++ does (to Half/BFloat16 through float)."""
    return (values.astype(np.float32) if dtype.itemsize == 2 else values).astype(dtype)


def _pow(base: float, exponent: float) -> float:
    """C's ``pow``: libm's through ``math.pow``, whose errors are NaN or infinities (exact
    in numpy too)."""
    try:
        return math.pow(base, exponent)
    except (ValueError, OverflowError):
        with np.errstate(all="ignore"):
            return float(np.power(base, exponent))
