"""The gamma function family and the modified Bessel functions I0, I1 as differentiable ops,
forward and backward side by side: lgamma, digamma, polygamma (and Hurwitz zeta), mvlgamma,
igamma/igammac, i0, i0e, i1, i1e, the normal distribution's ndtr, ndtri, log_ndtr, and erfcx,
entr, xlog1py.

numpy has none of these: the array code below computes them in float64 (rounding the result
once for float32/float16), each to about 1e-15 relative error away from poles and zeros:
a series around 2 and Lanczos' approximation for lgamma, the asymptotic series after a shift
by recurrence for digamma, Euler-Maclaurin summation for zeta (hence polygamma), Cephes'
Chebyshev series for the Bessel functions (as PyTorch), a series and a
continued fraction for the incomplete gamma functions, Halley steps on the normal CDF for
ndtri. Each derivative is again one of these ops (lgamma' = digamma, digamma' = polygamma(1),
I0' = I1, ...), so gradients of every order exist.
"""

from __future__ import annotations

import functools
import math
import operator

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ..autograd.function import Op, name_node
from ..backends import on_host, to_backend
from ..backends.memory_order import empty_preserving
from .cephes_bessel import i_scaled_array
from .elementwise import _floating, const, exp, require_tensors, unbroadcast, where
from .igamma_asymptotic import asymptotic_region, igamma_asymptotic
from .special import (
    _by_precision,
    _in_float64,
    _operands,
    _unary,
    binary_layout,
    erf,
    erfc,
    erfc_array,
)

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_SQRT_2PI = math.sqrt(2 * math.pi)


def _sinpi(x):
    """sin(pi x) with the argument reduced exactly first (x - 2 round(x / 2) in [-1, 1])."""
    return np.sin(np.pi * (x - 2 * np.round(x / 2)))


def _poles(x):
    """Where x is 0 or a negative integer: the poles of gamma and its derivatives."""
    return (x <= 0) & (x == np.floor(x))


# ---- lgamma: a series around 2 below 5/2 (exact zeros at 1 and 2), Lanczos above, ---------
# ---- reflection below 1/2 ------------------------------------------------------------------
_LANCZOS_G = 7.0
_LANCZOS = (
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
)
_EULER_GAMMA = 0.57721566490153286


def _lgamma_lanczos(x):
    """log Gamma(x) for x >= 5/2."""
    z = x - 1
    series = np.full_like(z, _LANCZOS[0])
    for k, c in enumerate(_LANCZOS[1:], start=1):
        series += c / (z + k)
    t = z + _LANCZOS_G + 0.5
    return _HALF_LOG_2PI + (z + 0.5) * np.log(t) - t + np.log(series)


def _lgamma_near_2(t):
    """log Gamma(2 + t) for |t| <= 1/2: (1 - gamma) t + sum_k (-1)^k (zeta(k) - 1) t^k / k."""
    out = np.zeros_like(t)
    for k in range(len(_ZETA_MINUS_1) + 1, 1, -1):
        out += (-1) ** k * _ZETA_MINUS_1[k - 2] / k
        out *= t
    out += 1 - _EULER_GAMMA
    return out * t


def _lgamma_positive(x):
    """log Gamma(x) for x >= 1/2 (Gamma(x) = Gamma(x + 1) / x below 3/2)."""
    low = x < 1.5
    near = np.where(low, _lgamma_near_2(x - 1) - np.log1p(x - 1), _lgamma_near_2(x - 2))
    return np.where(x < 2.5, near, _lgamma_lanczos(np.maximum(x, 2.5)))


@_in_float64
def lgamma_array(x):
    """log |Gamma(x)| of a float array (inf at the poles and at +-inf)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        small = x < 0.5
        out = _lgamma_positive(np.where(small, 1 - x, x))
        reflected = np.log(np.pi / np.abs(_sinpi(x))) - out  # Gamma(x) Gamma(1-x) = pi/sin(pi x)
        out = np.where(small, reflected, out)
        out = np.where(np.abs(x) < 2.0**-60, -np.log(np.abs(x)), out)  # pi / sin(pi x) overflows
        return np.where(_poles(x) | np.isinf(x), np.inf, out)


# ---- digamma: shift x up by 10 with psi(x) = psi(x + 1) - 1/x, then the asymptotic series --
_SHIFT = 10
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)  # B_2 .. B_14


def _digamma_positive(x):
    y = x + _SHIFT
    total = np.zeros_like(x)
    for k in range(_SHIFT):
        total += 1 / (x + k)
    inv2 = 1 / (y * y)
    tail = np.zeros_like(x)
    for k in range(len(_BERNOULLI), 0, -1):  # sum B_2k / (2k y^2k), Horner in 1/y^2
        tail += _BERNOULLI[k - 1] / (2 * k)
        tail *= inv2
    return np.log(y) - 0.5 / y - tail - total


@_in_float64
def digamma_array(x):
    """psi(x) = d/dx log Gamma(x) of a float array: -inf at 0, +inf at -0, nan at the
    negative integers and at -inf (PyTorch's values)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        neg = x < 0
        out = _digamma_positive(np.where(neg, 1 - x, x))
        r = x - np.round(x)
        out = np.where(neg, out - np.pi / np.tan(np.pi * r), out)  # reflection
        out = np.where(x == 0, np.copysign(np.inf, -x), out)
        out = np.where(neg & (x == np.floor(x)), np.nan, out)
        return np.where(x == np.inf, np.inf, out)


# ---- Hurwitz zeta by Euler-Maclaurin summation (as Cephes' zeta) -----------------------------
_EM = (  # (2k)! / B_2k
    12.0,
    -720.0,
    30240.0,
    -1209600.0,
    47900160.0,
    -1.8924375803183791606e9,
    7.47242496e10,
    -2.950130727918164224e12,
    1.1646782814350067249e14,
    -4.5979787224074726105e15,
    1.8152105401943546773e17,
    -7.1661652561756670113e18,
)


def _zeta(s, q, exact: bool = False):
    """zeta(s, q) = sum_k (q + k)^-s for float64 arrays, s > 1, q > 0: the first 9 terms
    directly, then the Euler-Maclaurin tail. Where (q + 9)^-s underflows the tail is no term
    if the sum so far is positive (PyTorch stops there), else (with ``exact`` False) it stays
    as PyTorch computes it on: NaN from its factors' overflow (s ~ 1e20) times 0."""
    n = 9
    total = np.zeros_like(s + q)
    for k in range(n):
        total += np.power(q + k, -s)
    a = q + n
    b = first = np.power(a, -s)
    tail = b * a / (s - 1) + 0.5 * b  # the term at a, half of it taken back by the formula
    fact, k = np.ones_like(total), 0.0
    for c in _EM:
        fact = fact * (s + k)
        b = b / a
        tail += fact * b / c
        fact = fact * (s + k + 1)
        b = b / a
        k += 2
    gone = first == 0
    total += np.where(gone if exact else gone & (total > 0), 0.0, tail)
    return total


# zeta(k) - 1 = zeta(k, 2) for k = 2..41, as Python floats (constants for any device)
_ZETA_MINUS_1 = tuple(_zeta(np.arange(2.0, 42.0), np.array(2.0)).tolist())


def _zeta_of_negative(s, q):
    """zeta(s, q) for q < 0 not an integer and s an integer (nan for other s): with
    f = q + m in (0, 1), the m terms (f - j)^-s = (-1)^s (j - f)^-s, j = 1..m, are
    zeta(s, 1 - f) - zeta(s, 1 - q) (a sum of all m terms one by one, as PyTorch, takes
    seconds for q = -5e6)."""
    f = q - np.floor(q)
    sign = np.where(s == np.floor(s), np.where(np.fmod(s, 2) == 0, 1.0, -1.0), np.nan)
    return _zeta(s, f) + sign * (_zeta(s, 1 - f) - _zeta(s, 1 - q, exact=True))


def zeta_array(s, q):
    """Hurwitz zeta of float arrays in their result dtype: inf at s == 1 and at the poles
    q = 0, -1, ...; nan for s < 1."""
    dtype = q.dtype
    s64 = s.astype(np.float64) if hasattr(s, "astype") else float(s)
    q64 = q.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _zeta(s64, np.where(q64 <= 0, 0.5, q64))
        negative = (q64 < 0) & ~_poles(q64)
        # only integer s has real terms (q + k)^-s there: nan otherwise (a rare pass, skipped
        # where the host sees no such q; a device's q is not read back)
        if not on_host(negative) or np.any(negative):
            at = _zeta_of_negative(s64 + np.zeros_like(q64), np.where(negative, q64, -0.5))
            out = np.where(negative, at, out)
        # s = inf: PyTorch's sum meets a term |q + k| < 1, (q + k)^-inf = inf, before q + k > 1
        out = np.where(_poles(q64) | (s64 == 1) | ((s64 == np.inf) & (q64 < 0)), np.inf, out)
        # (np.less: a numpy bool for a number s, as cupy's where takes no Python bool)
        out = np.where(np.less(s64, 1), np.nan, out)
    return out.astype(dtype, copy=False)


def _trigamma(x):
    """PyTorch's trigamma (calc_trigamma): reflection below 1/2 (large finite values near
    the poles, as PyTorch), six recurrence steps, then the asymptotic series."""
    t = x.astype(np.float32 if x.dtype == np.float16 else x.dtype)  # PyTorch's precision
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        low = t < 0.5
        out = np.where(low, -((np.pi / np.sin(np.pi * t)) ** 2), t.dtype.type(0))
        t = np.where(low, 1 - t, t)
        for _ in range(6):
            out += 1 / (t * t)
            t = t + 1
        ixx = 1 / (t * t)
        out += (1 + 1 / (2 * t) + ixx * (1 / 6 - ixx * (1 / 30 - ixx / 42))) / t
    return np.where(low, -out, out).astype(x.dtype, copy=False)


def polygamma_array(n: int, x):
    """The n-th derivative of digamma, n >= 1: (-1)^(n+1) n! zeta(n + 1, x) (trigamma as
    PyTorch computes it)."""
    if n == 1:
        return _trigamma(x)
    out = zeta_array(n + 1.0, x)
    return out * (math.factorial(n) * (-1) ** (n + 1))


# ---- modified Bessel functions I0, I1 (Cephes' Chebyshev series, cephes_bessel.py) -------
@_in_float64
def i0e_array(x):
    """I0(x) e^-|x|."""
    return i_scaled_array(x, 0)


@_in_float64
def i1e_array(x):
    """I1(x) e^-|x|."""
    return i_scaled_array(x, 1)


def _grow(x, single: bool):
    """e^|x| in the input's precision, as PyTorch's i0/i1 multiply by it: inf beyond |x| ~
    88.7 in float32 (where I0 itself still fits), ~709.8 in float64."""
    with np.errstate(over="ignore"):
        return np.exp(np.abs(x.astype(np.float32) if single else x)).astype(np.float64)


@_by_precision
def i0_array(x, single: bool):
    """I0(x)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return i_scaled_array(x, 0) * _grow(x, single)


@_by_precision
def i1_array(x, single: bool):
    """I1(x)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return i_scaled_array(x, 1) * _grow(x, single)


# ---- the normal distribution: ndtri by Halley steps, log_ndtr in the far tail -------------
@_in_float64
def ndtri_array(p):
    """The inverse of the standard normal CDF: A&S 26.2.23 (error < 4.5e-4) as the start,
    then three Halley steps on Phi(x) = min(p, 1 - p) in the lower tail, where
    Phi(x) = erfc(-x / sqrt 2) / 2 keeps full relative precision."""
    w = np.minimum(p, 1 - p)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.sqrt(-2 * np.log(w))
        num = 2.515517 + t * (0.802853 + t * 0.010328)
        den = 1 + t * (1.432788 + t * (0.189269 + t * 0.001308))
        x = num / den - t
        for _ in range(3):
            f = erfc_array(-x / math.sqrt(2)) / 2 - w
            pdf = np.exp(-x * x / 2) / _SQRT_2PI
            x = x - f / (pdf + x * f / 2)  # Phi'' = -x phi
        tiny = w < 1e-250  # Phi(x) nears the subnormals: Newton steps on log Phi instead,
        for _ in range(2):  # log(erfcx(-x / sqrt 2) / 2) - x^2 / 2, whose slope is
            r = erfcx_array(-x[tiny] / math.sqrt(2))  # sqrt(2 / pi) / erfcx(-x / sqrt 2)
            x[tiny] -= (np.log(r / 2) - x[tiny] ** 2 / 2 - np.log(w[tiny])) * r / _SQRT_2_OVER_PI
        x = np.where(w == 0, -np.inf, np.where(w == 0.5, 0.0, x))
        x = np.where(p > 0.5, -x, x)
        return np.where((p < 0) | (p > 1), np.nan, x)


_LOG_NDTR_TAIL = -30.0
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_FRAC_SQRT_2 = 0.707106781186547524400844362104849039  # PyTorch's c10::frac_sqrt_2


@_by_precision
def log_ndtr_array(x, single: bool):
    """log Phi(x): log1p(-Phi(-x)) above 0, log Phi(x) below, and below -30 (where Phi
    nears the end of float64) PyTorch's log(erfcx(-t) / 2) - t^2, t = x / sqrt(2) (its
    rounding of t^2 is what its gradient exp(-(y + x^2 / 2)) cancels against). float32:
    PyTorch's own steps in float32."""
    if single:
        return _log_ndtr_float32(x.astype(np.float32))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        upper = np.log1p(-erfc_array(x / math.sqrt(2)) / 2)
        lower = np.log(erfc_array(-x / math.sqrt(2)) / 2)
        t = np.where(x < _LOG_NDTR_TAIL, x, _LOG_NDTR_TAIL) * _FRAC_SQRT_2
        tail = np.log(erfcx_array(-t) / 2) - t * t
        return np.where(x > 0, upper, np.where(x < _LOG_NDTR_TAIL, tail, lower))


def _log_ndtr_float32(x):
    """PyTorch's calc_log_ndtr in float32: log(erfcx(-t) / 2) - t^2 below -1, else
    log1p(-erfc(t) / 2), t = x / sqrt(2), each step rounded to float32 (far out, its
    gradient exp(-(y + x^2 / 2)) keeps only the last bits of y: 1.6% at x = -700)."""
    two = np.float32(2)
    t = x * np.float32(_FRAC_SQRT_2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        low = np.log(erfcx_array(-t) / two) - t * t
        return np.where(x < -1, low, np.log1p(-erfc_array(t) / two))


# ---- regularized incomplete gamma: series below x = a + 1, continued fraction above ------
_EPS = 1e-15
_MAXLOG = 7.09782712893383996843e2  # Cephes' log(DBL_MAX), as PyTorch's igamma
_MAX_ITERATIONS = 100_000


def _converge(step, state: dict) -> dict:
    """Runs ``step(state, k)`` (which updates the 1-D arrays of ``state`` and returns each
    element's relative change) for k = 1, 2, ... until every element has converged; the
    number of terms grows like sqrt(a) near x = a, so converged elements are set aside
    (every 16 terms) and the rest go on alone. Returns the final arrays, in order."""
    done = {key: np.empty_like(v) for key, v in state.items()}
    left = np.flatnonzero(np.ones_like(state["x"], dtype=bool))  # on x's device
    for k in range(1, _MAX_ITERATIONS):
        if not left.size:
            return done
        change = step(state, k)
        if k % 16 == 0:
            going = change > _EPS
            if not going.all():
                for key, v in state.items():
                    done[key][left[~going]] = v[~going]
                left, state = left[going], {key: v[going] for key, v in state.items()}
    for key, v in state.items():
        done[key][left] = v
    return done


def _igamma_series(a, x):
    """P(a, x) = x^a e^-x / Gamma(a + 1) sum_n x^n / ((a + 1) ... (a + n)), for 1-D arrays."""

    def step(st, k):
        st["term"] *= st["x"] / (st["a"] + k)
        st["total"] += st["term"]
        return np.abs(st["term"] / st["total"])

    state = {"a": a, "x": x, "term": np.ones_like(x), "total": np.ones_like(x)}
    total = _converge(step, state)["total"]
    return np.exp(a * np.log(x) - x - lgamma_array(a + 1)) * total


def _igammac_fraction(a, x):
    """Q(a, x) = x^a e^-x / Gamma(a) / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)), by the
    modified Lentz method, for 1-D arrays."""
    tiny = 1e-300
    b = x + 1 - a
    d = 1 / np.where(b == 0, tiny, b)
    state = {"a": a, "x": x, "b": b, "c": np.full_like(x, 1 / tiny), "d": d, "h": d}

    def step(st, k):
        an = -k * (k - st["a"])
        st["b"] = st["b"] + 2
        d = an * st["d"] + st["b"]
        d = 1 / np.where(d == 0, tiny, d)
        c = st["b"] + an / st["c"]
        c = np.where(c == 0, tiny, c)
        st["c"], st["d"] = c, d
        delta = d * c
        st["h"] = st["h"] * delta
        return np.abs(delta - 1)

    h = _converge(step, state)["h"]
    return np.exp(a * np.log(x) - x - lgamma_array(a)) * h


def igamma_arrays(a, x):
    """(P(a, x), Q(a, x)), the regularized lower and upper incomplete gamma functions, in
    the arrays' result dtype, with PyTorch's values at the edges, in its order: nan for a or
    x < 0; at a = 0, P = 1 for x > 0 (nan else); P = 0 at x = 0; at a = inf, P = 0 (nan
    for x = inf); P = 1 at x = inf."""
    dtype = a.dtype  # the same as x's (the op promotes both)
    shape = np.broadcast_shapes(np.shape(a), np.shape(x))
    a64, x64 = (np.broadcast_to(v.astype(np.float64), shape).ravel() for v in (a, x))
    with np.errstate(all="ignore"):
        edges = [
            ((a64 < 0) | (x64 < 0), np.nan),
            (a64 == 0, np.where(x64 > 0, 1.0, np.nan)),
            (x64 == 0, 0.0),
            (a64 == np.inf, np.where(x64 == np.inf, np.nan, 0.0)),
            (x64 == np.inf, 1.0),
            (np.isnan(a64) | np.isnan(x64), np.nan),
        ]
        edge = functools.reduce(operator.or_, [where for where, _ in edges])
        p = np.select([where for where, _ in edges], [value for _, value in edges], np.nan)
        q = 1 - p  # nan stays nan
        # the expansions run only off the edges (from a or x < 0 they never converge)
        asymptotic = asymptotic_region(a64, x64) & ~edge
        wide = np.float64 if dtype == np.float64 else np.float32  # PyTorch's precision
        p[asymptotic] = igamma_asymptotic(a64[asymptotic], x64[asymptotic], True, wide)
        q[asymptotic] = igamma_asymptotic(a64[asymptotic], x64[asymptotic], False, wide)
        edge |= asymptotic
        series, fraction = (x64 < a64 + 1) & ~edge, (x64 >= a64 + 1) & ~edge
        p[series] = _igamma_series(a64[series], x64[series])
        q[series] = 1 - p[series]
        q[fraction] = _igammac_fraction(a64[fraction], x64[fraction])
        p[fraction] = 1 - q[fraction]
        # PyTorch's P by its series (x <= 1 or x <= a) is 0 where the series' factor
        # x^a e^-x / Gamma(a) underflows (e^-745 / Gamma(5e-324), not the limit 1 as a -> 0)
        under = ~edge & ((x64 <= 1) | (x64 <= a64)) & (np.abs(a64 - x64) > 0.4 * a64)
        under &= a64 * np.log(x64) - x64 - lgamma_array(a64) < -_MAXLOG
        p[under] = 0.0
    return p.reshape(shape).astype(dtype, copy=False), q.reshape(shape).astype(dtype, copy=False)


_ERFCX_ASYMPTOTIC = 25.0
_ISPI = 0.56418958354775628695  # 1 / sqrt(pi), PyTorch's erfcx constant


def _erfcx_nonnegative(x):
    """exp(x^2) erfc(x) for x >= 0: the product up to 25 (erfc's tail computes the same
    exp(-x^2), so the roundings cancel), and beyond, where erfc nears float64's end, the
    asymptotic series 1 / (x sqrt(pi)) sum_n (-1)^n (2n - 1)!! / (2 x^2)^n, six terms
    (error ~3e-15)."""
    near = np.minimum(x, _ERFCX_ASYMPTOTIC)
    product = np.exp(near * near) * erfc_array(near)
    u = 1 / (2 * x * x)
    series = 1 + u * (-1 + u * (3 + u * (-15 + u * (105 - u * 945))))
    # beyond 5e7 PyTorch's 1 / (x sqrt(pi)) (its derivative 2 x erfcx(x) - 2 / sqrt(pi) is 0)
    far = np.where(x > 5e7, _ISPI / x, series / (x * math.sqrt(math.pi)))
    return np.where(x < _ERFCX_ASYMPTOTIC, product, far)


@_by_precision
def erfcx_array(x, single: bool):
    """exp(x^2) erfc(x); below 0, 2 exp(x^2) - erfcx(-x) with exp(x^2) in the input's
    precision, as PyTorch (float32: x^2 rounded to float32 first, ~x^2 ulps off the exact
    value)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        positive = _erfcx_nonnegative(np.abs(x))
        x_in = x.astype(np.float32) if single else x
        grow = np.exp(x_in * x_in).astype(np.float64, copy=False)
        return np.where(x < 0, 2 * grow - positive, positive)


# ---- ops ---------------------------------------------------------------------------------
def _not_tiny(x: Tensor, name: str):
    """PyTorch's i1/i1e backward: |x| > eps (not NaN), and x there, eps elsewhere; its
    kernel ``<name>_backward`` has no 16-bit floats."""
    if x._data.dtype in _dtypes.HALF_NP:
        kind = _dtypes.scalar_type_name(x._data.dtype)
        raise NotImplementedError(f"\"{name}_backward\" not implemented for '{kind}'")
    eps = float(np.finfo(x._data.dtype).eps)
    big = const(np.abs(x._data) > eps)
    return big, where(big, x, eps)


def _bessel_i1_derivative(x: Tensor, y: Tensor) -> Tensor:
    """I1' = I0 - I1 / x, and 1/2 where |x| <= eps or x is NaN (PyTorch's i1_backward)."""
    big, safe = _not_tiny(x, "i1")
    return where(big, i0(safe) - y / safe, 0.5)


def _bessel_i1e_derivative(x: Tensor, y: Tensor) -> Tensor:
    """(I1 e^-|x|)' = I0e - I1e (sign(x) + 1 / x), and 1/2 where |x| <= eps or x is NaN."""
    big, safe = _not_tiny(x, "i1e")
    return where(big, i0e(safe) - y * (safe.sign() + 1 / safe), 0.5)


lgamma = _unary("lgamma", lgamma_array, lambda x, y: digamma(x))
digamma = _unary("digamma", digamma_array, lambda x, y: polygamma(1, x))
i0 = _unary("i0", i0_array, lambda x, y: i1(x))
i1 = _unary("i1", i1_array, _bessel_i1_derivative, "SpecialI1Backward0", "xy")
i0e = _unary("i0e", i0e_array, lambda x, y: i1e(x) - x.sign() * y, "SpecialI0EBackward0", "xy")
i1e = _unary("i1e", i1e_array, _bessel_i1e_derivative, "SpecialI1EBackward0", "xy")
erfcx = _unary(
    "erfcx",
    erfcx_array,
    lambda x, y: 2 * x * y - 2 / math.sqrt(math.pi),
    "SpecialErfcxBackward0",
    "xy",
)
ndtri = _unary(
    "ndtri", ndtri_array, lambda x, y: exp(y * y / 2) * _SQRT_2PI, "SpecialNdtriBackward0", "y"
)
log_ndtr = _unary(
    "log_ndtr",
    log_ndtr_array,
    lambda x, y: exp(x * x / -2 - y) * (1 / _SQRT_2PI),
    "SpecialLogNdtrBackward0",
    "xy",
)


class Polygamma(Op):
    """The n-th derivative of digamma (n >= 1); its gradient is polygamma(n + 1)."""

    @staticmethod
    def forward(ctx, x, n):
        ctx.save_for_backward(x)
        ctx.n = n
        out = polygamma_array(n, x)
        if x.flags.c_contiguous or out.strides == x.strides:
            return out
        laid = empty_preserving(x, out.dtype)  # x's layout, as PyTorch's unary kernels
        laid[...] = out
        return laid

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * Polygamma.apply(x, ctx.n + 1), None


def polygamma(n: int, input: Tensor) -> Tensor:
    """Mirrors ``torch.polygamma``: the n-th derivative of digamma (n = 0: digamma)."""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return digamma(input)
    return Polygamma.apply(_floating(input), int(n))


def mvlgamma(input: Tensor, p: int) -> Tensor:
    """Mirrors ``torch.mvlgamma``: the log of the multivariate gamma function of dimension
    ``p``, sum_j lgamma(x - j/2) + p (p - 1) / 4 log(pi)."""
    if input._data.dtype == np.bool_:  # PyTorch's order: the dtype, then p
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _floating(input)
    # PyTorch's order: lgamma(x - (p - 1) / 2), ..., lgamma(x) summed in one reduction
    shifts = np.arange(-(p - 1) / 2, 0.5, 0.5).astype(x._data.dtype)
    args = x.unsqueeze(-1) + const(to_backend(shifts, x._data))
    out = lgamma(args).sum(-1) + p * (p - 1) / 4 * math.log(math.pi)
    return name_node(out, "MvlgammaBackward0")


def ndtr(input: Tensor) -> Tensor:
    """Mirrors ``torch.special.ndtr``: the standard normal CDF, erfc(-x / sqrt 2) / 2
    (exact in relative terms in the lower tail). 16-bit floats: PyTorch's composition
    (1 + erf(x / sqrt 2)) / 2, each step rounded to the dtype."""
    x = _floating(input)
    if x._data.dtype in _dtypes.HALF_NP:
        return (erf(x * math.sqrt(0.5)) + 1) * 0.5
    return erfc(x * -math.sqrt(0.5)) * 0.5


class SpecialZeta(Op):
    """The Hurwitz zeta function zeta(s, q); d/dq = -s zeta(s + 1, q); w.r.t. s PyTorch has
    no derivative, and neither do we."""

    @staticmethod
    def forward(ctx, s, q):
        ctx.save_for_backward(s, q)
        with np.errstate(all="ignore"):
            return binary_layout(zeta_array(s, q), s, q)

    @staticmethod
    def backward(ctx, g):
        s, q = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        return None, unbroadcast(g * -s * SpecialZeta.apply(s + 1.0, q), q.shape)


def zeta(input, other) -> Tensor:
    """Mirrors ``torch.special.zeta``: the Hurwitz zeta function sum_k (other + k)^-input,
    differentiable w.r.t. ``other`` only (as in PyTorch)."""
    a, q = _operands("zeta", input, other)
    if a._data.dtype in _dtypes.HALF_NP:  # PyTorch's kernel: float32 and float64 only
        kind = _dtypes.scalar_type_name(a._data.dtype)
        raise NotImplementedError(f"\"zeta_{a.device.type}\" not implemented for '{kind}'")
    return SpecialZeta.apply(a, q)


def _entr_array(x):
    """-x log x for x > 0, 0 at 0, -inf below 0 (NaN stays NaN)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x > 0, -x * np.log(x), 0.0)
    return np.where(x < 0, -np.inf, np.where(np.isnan(x), np.nan, out)).astype(x.dtype)


def _entr_derivative(x: Tensor, y: Tensor) -> Tensor:
    """PyTorch's -(1 + log x) everywhere: inf at 0, NaN below."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(x.log() + 1.0)


entr = _unary("entr", _entr_array, _entr_derivative, "SpecialEntrBackward0")


class SpecialXlog1Py(Op):
    """x * log1p(y), 0 where x == 0 (unless y is NaN); PyTorch's gradients: w.r.t. x
    xlog1py(g, y), 0 where x == 0 and y <= -1; w.r.t. y g x / (1 + y)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return binary_layout(np.where((x == 0) & ~np.isnan(y), 0, x * np.log1p(y)), x, y)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = gy = None
        if nx:
            zero = const((x._data == 0) & (y._data <= -1))
            gx = unbroadcast(where(zero, 0.0, SpecialXlog1Py.apply(g, y)), x.shape)
        if ny:
            with np.errstate(divide="ignore", invalid="ignore"):  # inf/NaN at y = -1, as PyTorch
                gy = unbroadcast(g * x / (y + 1.0), y.shape)
        return gx, gy


def xlog1py(input, other) -> Tensor:
    """Mirrors ``torch.special.xlog1py``: input * log1p(other), 0 where input is 0."""
    return SpecialXlog1Py.apply(*_operands("xlog1py", input, other))


class Igamma(Op):
    """P(a, x); the gradient w.r.t. x is x^(a-1) e^-x / Gamma(a); w.r.t. a PyTorch has none,
    and neither do we."""

    upper = False  # Igammac: Q(a, x) = 1 - P(a, x)

    @classmethod
    def forward(cls, ctx, a, x):
        ctx.save_for_backward(a, x)
        return binary_layout(igamma_arrays(a, x)[1 if cls.upper else 0], a, x)

    @classmethod
    def backward(cls, ctx, g):
        a, x = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            name = "igammac" if cls.upper else "igamma"
            raise NotImplementedError(f"the derivative for '{name}: input' is not implemented.")
        density = exp((a - 1.0) * x.log() - x - lgamma(a))
        return None, unbroadcast(g * (-density if cls.upper else density), x.shape)


class Igammac(Igamma):
    upper = True


def _igamma(op: type, input, other) -> Tensor:
    name = op.__name__.lower()
    require_tensors(name, input, other)
    a, x = _operands(name, input, other, to_float=False)
    if a._data.dtype.kind not in "fV":
        kind = _dtypes.scalar_type_name(a._data.dtype)
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{kind}'")
    return op.apply(a, x)


def igamma(input, other) -> Tensor:
    """Mirrors ``torch.igamma`` (``torch.special.gammainc``): the regularized lower
    incomplete gamma function P(input, other); differentiable w.r.t. ``other`` only."""
    return _igamma(Igamma, input, other)


def igammac(input, other) -> Tensor:
    """Mirrors ``torch.igammac`` (``torch.special.gammaincc``): Q(input, other) = 1 - P."""
    return _igamma(Igammac, input, other)
