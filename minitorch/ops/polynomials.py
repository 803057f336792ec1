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


def _chebyshev_t(x, degree):
    """PyTorch's chebyshev_polynomial_t_forward: +-1 at |x| = 1, cos(n acos x) for |x| < 1
    and n > 6, the recurrence elsewhere."""
    closed = (np.abs(x) < 1) & (degree > 6)
    with np.errstate(invalid="ignore"):
        out = _evaluate(np.where(closed, np.nan, x), degree, *_FAMILIES["chebyshev_polynomial_t"])
        out = np.where(closed, np.cos(degree * np.arccos(x)), out)
        odd_at_minus_1 = (x < 0) & (np.fmod(degree, 2) == 1)
        return np.where((np.abs(x) == 1) & (degree >= 0), np.where(odd_at_minus_1, -1, 1), out)


def _chebyshev(p1):
    """The Chebyshev families share P_{k+1} = 2x P_k - P_{k-1}; they differ in P_1."""
    return p1, lambda k, x, cur, prev: 2 * x * cur - prev


_FAMILIES = {
    "chebyshev_polynomial_t": _chebyshev(lambda x: x),
    "chebyshev_polynomial_u": _chebyshev(lambda x: 2 * x),
    "chebyshev_polynomial_v": _chebyshev(lambda x: 2 * x - 1),
    "chebyshev_polynomial_w": _chebyshev(lambda x: 2 * x + 1),
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
        if name.endswith("chebyshev_polynomial_t"):  # (the shifted one of 2x - 1, as PyTorch)
            out = _chebyshev_t(xs, degree).astype(xs.dtype, copy=False)
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
