"""The gamma function family and modified Bessel functions, forward and backward side by
side: lgamma, digamma, polygamma (and Hurwitz zeta), mvlgamma, i0, i0e, i1, i1e, and the
normal distribution's ndtr, ndtri, log_ndtr.

numpy has none of these: the array code below computes them in float64 (rounding the result
once for float32/float16), each to about 1e-15 relative error away from poles and zeros:
Lanczos' approximation for lgamma, the asymptotic series after a shift by recurrence for
digamma, Euler-Maclaurin summation for zeta (hence polygamma), power series near 0 and
Hankel's asymptotic series far from it for the Bessel functions, Halley steps on the
normal CDF for ndtri. Each derivative is again one of these ops (lgamma' = digamma,
digamma' = polygamma(1), I0' = I1, ...), so gradients of every order exist.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from .elementwise import _floating, const, exp, where
from .special import _in_float64, _operands, _unary, erfc, erfc_array

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


def _zeta(s, q):
    """zeta(s, q) = sum_k (q + k)^-s for float64 arrays, s > 1: the first N terms directly
    (N >= 9 and q + N > 9), then the Euler-Maclaurin tail."""
    lowest = float(np.min(q)) if q.size else 0.0
    n = 9 + (max(0, math.ceil(-lowest)) if np.isfinite(lowest) else 0)
    total = np.zeros_like(s + q)
    for k in range(n):
        total += np.power(q + k, -s)
    a = q + n
    b = np.power(a, -s)
    total += b * a / (s - 1) + 0.5 * b  # the term at a, half of it taken back by the formula
    fact, k = np.ones_like(total), 0.0
    for c in _EM:
        fact = fact * (s + k)
        b = b / a
        total += fact * b / c
        fact = fact * (s + k + 1)
        b = b / a
        k += 2
    return total


_ZETA_MINUS_1 = _zeta(np.arange(2.0, 42.0), np.array(2.0))  # zeta(k) - 1 = zeta(k, 2), k = 2..41


def zeta_array(s, q):
    """Hurwitz zeta of float arrays in their result dtype: inf at s == 1 and at the poles
    q = 0, -1, ...; nan for s < 1."""
    dtype = np.result_type(s, q)
    s64, q64 = (np.asarray(a, np.float64) for a in (s, q))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _zeta(s64, q64)
        out = np.where(_poles(q64) | (s64 == 1), np.inf, out)
        out = np.where(s64 < 1, np.nan, out)
    return out.astype(dtype, copy=False)


def polygamma_array(n: int, x):
    """The n-th derivative of digamma, n >= 1: (-1)^(n+1) n! zeta(n + 1, x)."""
    out = zeta_array(np.asarray(n + 1.0, x.dtype), x)
    return out * (math.factorial(n) * (-1) ** (n + 1))


# ---- modified Bessel functions I0, I1: power series below 20, Hankel's expansion above -----
_BESSEL_CUT = 20.0
_SERIES_TERMS = 80


def _series(t, nu: int):
    """sum_k t^k / (k! (k + nu)!) by Horner in t = x^2 / 4 (all terms positive)."""
    coeffs = [1 / (math.factorial(k) * math.factorial(k + nu)) for k in range(_SERIES_TERMS)]
    out = np.full_like(t, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        out *= t
        out += c
    return out


def _hankel(z, nu: int):
    """I_nu(z) e^-z sqrt(2 pi z) = sum_k (-1)^k a_k(nu) / z^k for z >= _BESSEL_CUT (its
    terms shrink until k ~ 2z, far past the 30 taken here)."""
    mu = 4 * nu * nu
    term, out = np.ones_like(z), np.ones_like(z)
    for k in range(1, 30):
        term = term * -(mu - (2 * k - 1) ** 2) / (k * 8 * z)
        out += term
    return out


def _bessel_scaled(x, nu: int):
    """I_nu(x) e^-|x| of a float64 array (I1 is odd, I0 even)."""
    z = np.abs(x)
    near = z < _BESSEL_CUT
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zn = np.where(near, z, 0.0)
        series = _series(zn * zn / 4, nu) * np.exp(-zn)
        if nu:
            series *= zn / 2
        zf = np.where(near, _BESSEL_CUT, z)
        far = _hankel(zf, nu) / np.sqrt(2 * np.pi * zf)
        out = np.where(near, series, far)
    return np.copysign(out, x) if nu else out


@_in_float64
def i0e_array(x):
    """I0(x) e^-|x|."""
    return _bessel_scaled(x, 0)


@_in_float64
def i1e_array(x):
    """I1(x) e^-|x|."""
    return _bessel_scaled(x, 1)


@_in_float64
def i0_array(x):
    """I0(x) (inf beyond |x| ~ 713)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _bessel_scaled(x, 0) * np.exp(np.abs(x))


@_in_float64
def i1_array(x):
    """I1(x)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _bessel_scaled(x, 1) * np.exp(np.abs(x))


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
        x = np.where(w == 0, -np.inf, np.where(w == 0.5, 0.0, x))
        x = np.where(p > 0.5, -x, x)
        return np.where((p < 0) | (p > 1), np.nan, x)


_LOG_NDTR_TAIL = -30.0


@_in_float64
def log_ndtr_array(x):
    """log Phi(x): log1p(-Phi(-x)) above 0, log Phi(x) below, and below -30 (where Phi
    nears the end of float64) the asymptotic series log(phi(x) / -x (1 - 1/x^2 + 3/x^4 -
    15/x^6 + 105/x^8))."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        upper = np.log1p(-erfc_array(x / math.sqrt(2)) / 2)
        lower = np.log(erfc_array(-x / math.sqrt(2)) / 2)
        u = np.where(x < _LOG_NDTR_TAIL, 1 / (x * x), 0.0)
        series = 1 + u * (-1 + u * (3 + u * (-15 + u * 105)))
        tail = -x * x / 2 - _HALF_LOG_2PI - np.log(-x) + np.log(series)
        return np.where(x > 0, upper, np.where(x < _LOG_NDTR_TAIL, tail, lower))


# ---- ops ---------------------------------------------------------------------------------
def _bessel_i1_derivative(x: Tensor, y: Tensor) -> Tensor:
    """I1' = I0 - I1 / x, and 1/2 at 0."""
    zero = const(x._data == 0)
    safe = where(zero, 1.0, x)
    return where(zero, 0.5, i0(x) - y / safe)


def _bessel_i1e_derivative(x: Tensor, y: Tensor) -> Tensor:
    """(I1 e^-|x|)' = I0e - I1e (sign(x) + 1 / x), and 1/2 at 0."""
    zero = const(x._data == 0)
    safe = where(zero, 1.0, x)
    return where(zero, 0.5, i0e(x) - y * (x.sign() + 1 / safe))


lgamma = _unary("lgamma", lgamma_array, lambda x, y: digamma(x))
digamma = _unary("digamma", digamma_array, lambda x, y: polygamma(1, x))
i0 = _unary("i0", i0_array, lambda x, y: i1(x))
i1 = _unary("i1", i1_array, _bessel_i1_derivative)
i0e = _unary("i0e", i0e_array, lambda x, y: i1e(x) - x.sign() * y)
i1e = _unary("i1e", i1e_array, _bessel_i1e_derivative)
ndtri = _unary("ndtri", ndtri_array, lambda x, y: exp(y * y / 2) * _SQRT_2PI)
log_ndtr = _unary("log_ndtr", log_ndtr_array, lambda x, y: exp(x * x / -2 - y) * (1 / _SQRT_2PI))


class Polygamma(Op):
    """The n-th derivative of digamma (n >= 1); its gradient is polygamma(n + 1)."""

    @staticmethod
    def forward(ctx, x, n):
        ctx.save_for_backward(x)
        ctx.n = n
        return polygamma_array(n, x)

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
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _floating(input)
    out = lgamma(x)
    for j in range(1, p):
        out = out + lgamma(x - j / 2)
    return out + p * (p - 1) / 4 * math.log(math.pi)


def ndtr(input: Tensor) -> Tensor:
    """Mirrors ``torch.special.ndtr``: the standard normal CDF, erfc(-x / sqrt 2) / 2
    (exact in relative terms in the lower tail)."""
    return erfc(_floating(input) * -math.sqrt(0.5)) * 0.5


def zeta(input, other) -> Tensor:
    """Mirrors ``torch.special.zeta``: the Hurwitz zeta function sum_k (other + k)^-input
    (no gradient, as in PyTorch)."""
    s, q = _operands("zeta", input, other)
    with np.errstate(all="ignore"):
        return make_tensor(zeta_array(s._data, q._data))
