"""The classical orthogonal polynomials of ``torch.special``: Chebyshev (T, U, V, W and their
shifted forms), Hermite (H, He), Laguerre (L) and Legendre (P), evaluated at ``input`` for the
degrees ``n`` (both broadcast; n is truncated to an integer; negative n gives 0). Each runs
its three-term recurrence P_{k+1} = a_k(x) P_k - b_k P_{k-1} up to the largest degree asked
for. As in PyTorch they have no gradient.
"""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from .elementwise import _invalid_combination
from .special import _operands, binary_layout


def _degrees(n):
    """PyTorch's ``static_cast<int64_t>(n)`` (on x86): NaN and |n| >= 2^63 give INT64_MIN,
    a negative degree (the polynomial is 0 there)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(n) < 2.0**63, np.trunc(n), -1)


def _evaluate(x, degree, first, step):
    """P_n(x) for arrays x and integer-valued ``degree`` (float, same dtype): P_0 = 1,
    P_1 = ``first(x)``, P_{k+1} = ``step(k, x, P_k, P_{k-1})``. The recurrence stops once
    every element still short of its degree is NaN (it stays NaN: an overflow, x = NaN)."""
    x, degree = np.broadcast_arrays(x, degree)
    prev, cur = np.ones_like(x), first(x)
    out = np.where(degree == 0, prev, np.where(degree == 1, cur, np.zeros_like(x)))
    top = int(degree.max()) if degree.size else 0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, top):
            prev, cur = cur, step(k, x, cur, prev)
            out = np.where(degree == k + 1, cur, out)
            if k % 16 == 0 and not np.any((degree > k + 1) & ~np.isnan(cur)):
                return np.where(degree > k + 1, np.nan, out)
    return out


# the degree above which PyTorch's Chebyshev kernels take the closed form inside (-1, 1)
_CLOSED_ABOVE = {"t": 6, "u": 8, "v": 8, "w": 8, "shifted_t": 6, "shifted_u": 6,
                 "shifted_v": 6, "shifted_w": 4}  # fmt: skip


def _rounded(fn):
    """``fn`` of a float32 array computed in float64 and rounded once: libm's float32
    functions, which PyTorch's scalar kernels call, are (nearly) correctly rounded; numpy's
    vectorized ones are off by ulps that a degree of hundreds multiplies."""
    return lambda v: fn(v.astype(np.float64)).astype(v.dtype) if v.dtype == np.float32 else fn(v)


_acos, _cos, _sin = _rounded(np.arccos), _rounded(np.cos), _rounded(np.sin)


def _closed_form(kind: str, x, n):
    """PyTorch's Chebyshev ``kind`` of x = cos(t) in (-1, 1), in x's precision: cos(n t),
    sin((n + 1) t) / sin(t), cos((n + 1/2) t) / cos(t / 2), sin((n + 1/2) t) / sin(t / 2),
    and its values where the denominators are 0 (at the ends, as rounding leaves them)."""
    t = _acos(x)
    odd = np.fmod(n, 2) == 1
    two_n_1 = np.where(odd, -(n + n + 1), n + n + 1)
    if kind.endswith("t"):
        return _cos(n * t)
    if kind.endswith("u"):
        s = _sin(t)
        return np.where(s != 0, _sin((n + 1) * t) / s, (n + 1) * _cos((n + 1) * t) / x)
    if kind.endswith("v"):
        return np.where(_sin(t / 2) != 1, _cos((n + 0.5) * t) / _cos(t / 2), two_n_1)
    parity = np.where(odd, x.dtype.type(-1), x.dtype.type(1))
    end = parity if kind == "shifted_w" else np.where(x > 0, n + n + 1, parity)
    return np.where(_cos(t / 2) != 1, _sin((n + 0.5) * t) / _sin(t / 2), end)


def _chebyshev(kind: str, x, degree):
    """PyTorch's Chebyshev kernels of x (2x - 1 for the shifted ones): the closed form for
    |x| < 1 above a degree, the recurrence elsewhere; T is +-1 at |x| = 1 at once."""
    closed = (np.abs(x) < 1) & (degree > _CLOSED_ABOVE[kind])
    family = _FAMILIES["chebyshev_polynomial_" + kind[-1]]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        out = _evaluate(np.where(closed, np.nan, x), degree, *family)
        out = np.where(closed, _closed_form(kind, x, degree), out)
        if not kind.endswith("t"):
            return out
        odd_at_minus_1 = (x < 0) & (np.fmod(degree, 2) == 1)
        return np.where((np.abs(x) == 1) & (degree >= 0), np.where(odd_at_minus_1, -1, 1), out)


def _chebyshev_family(p1):
    """The Chebyshev families share P_{k+1} = 2x P_k - P_{k-1}; they differ in P_1."""
    return p1, lambda k, x, cur, prev: 2 * x * cur - prev


_FAMILIES = {
    "chebyshev_polynomial_t": _chebyshev_family(lambda x: x),
    "chebyshev_polynomial_u": _chebyshev_family(lambda x: 2 * x),
    "chebyshev_polynomial_v": _chebyshev_family(lambda x: 2 * x - 1),
    "chebyshev_polynomial_w": _chebyshev_family(lambda x: 2 * x + 1),
    "hermite_polynomial_h": (lambda x: 2 * x, lambda k, x, cur, prev: 2 * x * cur - 2 * k * prev),
    "hermite_polynomial_he": (lambda x: x, lambda k, x, cur, prev: x * cur - k * prev),
    "laguerre_polynomial_l": (
        lambda x: 1 - x,
        lambda k, x, cur, prev: ((2 * k + 1 - x) * cur - k * prev) / (k + 1),
    ),
    "legendre_polynomial_p": (
        lambda x: x,
        lambda k, x, cur, prev: ((2 * k + 1) * x * cur - k * prev) / (k + 1),
    ),
}


def _polynomial(name: str, shifted: bool = False):
    first, step = _FAMILIES[name.replace("shifted_", "")]

    def fn(input, n) -> Tensor:
        if not isinstance(input, Tensor) and not isinstance(n, Tensor):
            raise _invalid_combination(f"special_{name}", input, n)
        x, deg = _operands(name, input, n)
        if x._data.dtype in _dtypes.HALF_NP:  # PyTorch's kernels: float32/float64 only
            kind = _dtypes.scalar_type_name(x._data.dtype)
            raise NotImplementedError(f"\"{name}_{x.device.type}\" not implemented for '{kind}'")
        xs = 2 * x._data - 1 if shifted else x._data
        degree = _degrees(deg._data)
        if name == "laguerre_polynomial_l":  # L_n(0) = 1 at once, as PyTorch (not n steps)
            degree = np.where((xs == 0) & (degree > 0), 0, degree)
        if "chebyshev" in name:  # ("shifted_" + the letter, or the letter)
            kind = name.replace("chebyshev_polynomial_", "")
            out = _chebyshev(kind, xs, degree).astype(xs.dtype, copy=False)
        else:
            out = _evaluate(xs, degree, first, step)
        return make_tensor(binary_layout(out, x._data, deg._data))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors ``torch.special.{name}(input, n)`` (no gradient)."
    return fn


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t")
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u")
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v")
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w")
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t", shifted=True)
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u", shifted=True)
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v", shifted=True)
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w", shifted=True)
hermite_polynomial_h = _polynomial("hermite_polynomial_h")
hermite_polynomial_he = _polynomial("hermite_polynomial_he")
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l")
legendre_polynomial_p = _polynomial("legendre_polynomial_p")
