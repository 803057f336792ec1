"""lgamma, digamma and polygamma (n >= 1) as differentiable ops, for the densities of Gamma,
Beta, Dirichlet, Poisson and Binomial. Private to this package: minitorch has no public
``lgamma`` yet; when it gains one, these should be replaced by it.

Each is the asymptotic (Stirling) series at z = x + 8, brought back to x by the recurrence
Gamma(x + 1) = x Gamma(x); lgamma and digamma take x < 1/2 through the reflection formula.
Computed in float64 and rounded once to the input's dtype (about 1e-14 relative error).
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..ops.elementwise import _floating
from ..ops.special import Unary, _in_float64

_SHIFT = 8
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)  # B_2 .. B_14
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _reflected(x):
    """(y, reflect): y = 1 - x where x < 1/2 (so y >= 1/2 everywhere), else x."""
    reflect = x < 0.5
    return np.where(reflect, 1 - x, x), reflect


def _pole(x):
    """Where x is a non-positive integer (Gamma has a pole there)."""
    return (x <= 0) & (x == np.floor(x))


@_in_float64
def lgamma_array(x):
    """log |Gamma(x)| of a float array (inf at the non-positive integers)."""
    y, reflect = _reflected(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = y + _SHIFT
        series = sum(b / (2 * k * (2 * k - 1) * z ** (2 * k - 1)) for k, b in _enumerate())
        out = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series
        out -= sum(np.log(y + k) for k in range(_SHIFT))
        out = np.where(reflect, np.log(np.pi / np.abs(np.sin(np.pi * x))) - out, out)
    return np.where((x == np.inf) | _pole(x), np.inf, out)


@_in_float64
def digamma_array(x):
    """d/dx lgamma(x) of a float array."""
    y, reflect = _reflected(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = y + _SHIFT
        out = np.log(z) - 0.5 / z - sum(b / (2 * k * z ** (2 * k)) for k, b in _enumerate())
        out -= sum(1 / (y + k) for k in range(_SHIFT))
        out = np.where(reflect, out - np.pi / np.tan(np.pi * x), out)
    out = np.where(x == 0, -np.inf, np.where(_pole(x), np.nan, out))
    return np.where(x == np.inf, np.inf, out)


def _polygamma_array(n: int):
    """The array function of the n-th derivative of digamma (n >= 1; x > 0, NaN elsewhere)."""
    sign, n_fact = (-1) ** (n + 1), math.factorial(n)
    coef = [b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) for k, b in _enumerate()]

    @_in_float64
    def f(x):
        with np.errstate(invalid="ignore", divide="ignore"):
            z = x + _SHIFT
            out = math.factorial(n - 1) / z**n + n_fact / (2 * z ** (n + 1))
            out += sum(c / z ** (2 * k + n) for (k, _), c in zip(_enumerate(), coef))
            out += n_fact * sum(1 / (x + k) ** (n + 1) for k in range(_SHIFT))
        return np.where(x > 0, sign * out, np.nan)

    return f


def _enumerate():
    return enumerate(_BERNOULLI, start=1)


def _unary_op(name: str, f, df):
    cls = type(name, (Unary,), {"f": staticmethod(f), "df": staticmethod(df)})
    return lambda x: cls.apply(_floating(x))


_polygamma_ops: dict = {}


def polygamma(n: int, x: Tensor) -> Tensor:
    """Mirrors ``torch.polygamma`` for n >= 1 and x > 0 (every order differentiable)."""
    op = _polygamma_ops.get(n)
    if op is None:
        op = _polygamma_ops[n] = _unary_op(
            f"Polygamma{n}", _polygamma_array(n), lambda x, y: polygamma(n + 1, x)
        )
    return op(x)


lgamma = _unary_op("Lgamma", lgamma_array, lambda x, y: digamma(x))
digamma = _unary_op("Digamma", digamma_array, lambda x, y: polygamma(1, x))
