"""The Bessel functions of ``torch.special`` that have no gradient there: J0, J1, Y0, Y1
(PyTorch's own kernels, cephes_bessel.py), K0, K1 (plain and scaled by e^x) and the Airy
function Ai (through K_1/3 and J_+-1/3). (I0, I1 and their scaled forms are differentiable
ops in ``gamma.py``.) K and Ai are computed in float64 to about 1e-15 (checked against
mpmath) and rounded once:

- near 0 (|x| <= 2) the power series (for Y and K the Neumann-type series with log(x/2));
- in the middle, quadrature of an integral representation, exponentially accurate for these
  smooth integrands: J_n by the trapezoidal rule over a full period, Y_n and e^x K_n by
  Gauss-Legendre / trapezoidal sums;
- far out (x >= 25 for J/Y, 20 for K) Hankel's asymptotic expansion.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial.legendre import leggauss

from .._tensor import Tensor, make_tensor
from .cephes_bessel import j_array, y_array
from .elementwise import _floating
from .gamma import _BESSEL_CUT, _EULER_GAMMA, _hankel, _horner, _series

_HARMONIC = [0.0]  # H_k = 1 + 1/2 + ... + 1/k
for _k in range(1, 40):
    _HARMONIC.append(_HARMONIC[-1] + 1 / _k)
_SMALL = 2.0


def _log_series(t, nu: int, sign: int):
    """The series next to the logarithm in Y_nu (sign -1) and K_nu (sign +1), t = x^2 / 4:
    nu = 0: sum_k H_k (sign t)^k / k!^2; nu = 1: sum_k (psi(k+1) + psi(k+2)) (sign t)^k /
    (k! (k+1)!)."""
    if nu == 0:
        coeffs = [sign**k * _HARMONIC[k] / math.factorial(k) ** 2 for k in range(30)]
    else:
        coeffs = [
            sign**k
            * (_HARMONIC[k] + _HARMONIC[k + 1] - 2 * _EULER_GAMMA)
            / (math.factorial(k) * math.factorial(k + 1))
            for k in range(30)
        ]
    return _horner(t, coeffs)


# ---- K0, K1 ------------------------------------------------------------------------------
_K_NODES = np.arange(0.0, 4.0, 0.05)  # e^x K: x (cosh 4 - 1) > 52 for x > 2, nothing is left


def _k_small(x, nu: int):
    """K_nu(x), 0 < x <= 2."""
    t, log_half = x * x / 4, np.log(x / 2)
    if nu == 0:
        return -(log_half + _EULER_GAMMA) * _series(t, 0) + _log_series(t, 0, 1)
    return 1 / x + log_half * (x / 2) * _series(t, 1) - x / 4 * _log_series(t, 1, 1)


def _k_middle(x, nu: int):
    """e^x K_nu(x) = int_0^inf exp(-x (cosh t - 1)) cosh(nu t) dt: the integrand is even in
    t, so the trapezoidal rule converges exponentially."""
    h = float(_K_NODES[1])
    out = np.zeros_like(x)
    for t in _K_NODES.tolist():
        out += (h / 2 if t == 0 else h) * math.cosh(nu * t) * np.exp(-x * (math.cosh(t) - 1))
    return out


def k_scaled_array(x, nu: int):
    """e^x K_nu(x) of a float64 array: inf at 0, 0 at inf, nan below 0."""
    with np.errstate(all="ignore"):
        small, far = x <= _SMALL, x >= _BESSEL_CUT
        xs = np.where(small & (x > 0), x, 1.0)
        xm = np.where(small | far, 3.0, x)
        xf = np.where(far, x, _BESSEL_CUT)
        out = np.where(small, _k_small(xs, nu) * np.exp(xs), _k_middle(xm, nu))
        out = np.where(far, _hankel(xf, nu) * np.sqrt(np.pi / (2 * xf)), out)
        out = np.where(x == 0, np.inf, np.where(x == np.inf, 0.0, out))
        return np.where((x < 0) | np.isnan(x), np.nan, out)


# ---- J_nu far out (Airy's J_+-1/3; J0, J1, Y0, Y1 are PyTorch's kernels, cephes_bessel.py) -
_JY_FAR = 25.0
_GL_THETA, _GL_THETA_W = (v * np.pi / 2 for v in (leggauss(80)[0] + 1, leggauss(80)[1]))
_T_END = 4.0  # the second integral: x sinh 4 > 54 for x > 2
_GL_T, _GL_T_W = (v * _T_END / 2 for v in (leggauss(60)[0] + 1, leggauss(60)[1]))


def _jy_far(x, nu: int):
    """(J_nu, Y_nu) for x >= 25: sqrt(2 / (pi x)) (P cos chi -+ Q sin chi ...), chi = x -
    (nu/2 + 1/4) pi, with cos/sin of chi from those of x (exact for any x)."""
    mu = 4 * nu * nu
    term, p, q = np.ones_like(x), np.ones_like(x), np.zeros_like(x)
    for k in range(1, 30):
        term = term * (mu - (2 * k - 1) ** 2) / (8 * k * x)
        sign = (-1) ** (k // 2)
        if k % 2:
            q += sign * term
        else:
            p += sign * term
    phase = (nu / 2 + 0.25) * math.pi
    cos_chi = np.cos(x) * math.cos(phase) + np.sin(x) * math.sin(phase)
    sin_chi = np.sin(x) * math.cos(phase) - np.cos(x) * math.sin(phase)
    scale = np.sqrt(2 / (np.pi * x))
    return scale * (p * cos_chi - q * sin_chi), scale * (p * sin_chi + q * cos_chi)


# ---- Airy Ai: Maclaurin series for -3 <= x <= 2.2, through K_1/3 above and J_+-1/3 below --
_AI0, _AI0_SLOPE = 0.355028053887817239, 0.258819403792806798  # Ai(0), -Ai'(0)
_AIRY_F = [1.0]  # Ai = Ai(0) f(x) + Ai'(0) g(x), f = sum f_k x^3k, g = sum g_k x^(3k+1)
_AIRY_G = [1.0]
for _k in range(1, 30):
    _AIRY_F.append(_AIRY_F[-1] / ((3 * _k - 1) * 3 * _k))
    _AIRY_G.append(_AIRY_G[-1] / (3 * _k * (3 * _k + 1)))
_GL_J, _GL_J_W = (v * np.pi / 2 for v in (leggauss(100)[0] + 1, leggauss(100)[1]))


def _j_fractional(z, nu: float):
    """J_nu(z) for non-integer nu and 3 < z < 25: 1/pi int_0^pi cos(nu theta - z sin theta)
    d theta - sin(nu pi)/pi int_0^inf exp(-z sinh t - nu t) dt, by Gauss-Legendre sums."""
    out = np.zeros_like(z)
    for theta, w in zip(_GL_J.tolist(), _GL_J_W.tolist()):
        out += w * np.cos(nu * theta - z * math.sin(theta))
    tail = np.zeros_like(z)
    for t, w in zip(_GL_T.tolist(), _GL_T_W.tolist()):
        tail += w * np.exp(-z * math.sinh(t) - nu * t)
    return (out - math.sin(nu * math.pi) * tail) / np.pi


def airy_ai_array(x):
    """Ai(x) of a float64 array: the Maclaurin series near 0; above, (1/pi) sqrt(x/3) K_1/3(z)
    and below, sqrt(-x)/3 (J_1/3(z) + J_-1/3(z)), z = 2/3 |x|^(3/2) (nan at +-inf, as
    PyTorch gives)."""
    flat = x.reshape(-1)
    out = np.full_like(flat, np.nan)  # +-inf and nan stay nan
    with np.errstate(all="ignore"):
        z = 2 / 3 * np.abs(flat) ** 1.5
        near = (flat >= -3) & (flat <= 2.2)
        above, below = (flat > 2.2) & (flat < np.inf), (flat < -3) & (flat > -np.inf)
        # each method runs on its own elements only
        xn = flat[near]
        cube = xn * xn * xn
        out[near] = _AI0 * _horner(cube, _AIRY_F) - _AI0_SLOPE * xn * _horner(cube, _AIRY_G)
        mid, far = above & (z < _BESSEL_CUT), above & (z >= _BESSEL_CUT)
        k_mid = _k_middle(z[mid], 1 / 3)
        out[mid] = np.sqrt(flat[mid] / 3) / np.pi * k_mid * np.exp(-z[mid])
        zf = z[far]
        k_far = _hankel(zf, 1 / 3) * np.sqrt(np.pi / (2 * zf))
        out[far] = np.sqrt(flat[far] / 3) / np.pi * k_far * np.exp(-zf)
        mid, far = below & (z < _JY_FAR), below & (z >= _JY_FAR)
        zb, zf = z[mid], z[far]
        out[mid] = np.sqrt(-flat[mid]) / 3 * (_j_fractional(zb, 1 / 3) + _j_fractional(zb, -1 / 3))
        j_far = _jy_far(zf, 1 / 3)[0] + _jy_far(zf, -1 / 3)[0]
        out[far] = np.sqrt(-flat[far]) / 3 * j_far
    return out.reshape(x.shape)


def _no_grad(name: str, array_fn):
    def fn(input: Tensor) -> Tensor:
        x = _floating(input)._data
        return make_tensor(array_fn(x.astype(np.float64, copy=False)).astype(x.dtype, copy=False))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors ``torch.special.{name}`` (no gradient, as in PyTorch)."
    return fn


def _k_plain(nu: int):
    def array_fn(x):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.where(x == np.inf, 0.0, k_scaled_array(x, nu) * np.exp(-x))

    return array_fn


def _pytorch_kernel(name: str, array_fn, nu: int):
    """A J/Y function as PyTorch computes it: in the input's precision (16-bit floats in
    float32, rounded once)."""

    def fn(input: Tensor) -> Tensor:
        x = _floating(input)._data
        own = x.dtype if x.dtype.itemsize >= 4 else np.float32
        return make_tensor(array_fn(x.astype(own, copy=False), nu).astype(x.dtype, copy=False))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors ``torch.special.{name}`` (no gradient, as in PyTorch)."
    return fn


bessel_j0 = _pytorch_kernel("bessel_j0", j_array, 0)
bessel_j1 = _pytorch_kernel("bessel_j1", j_array, 1)
bessel_y0 = _pytorch_kernel("bessel_y0", y_array, 0)
bessel_y1 = _pytorch_kernel("bessel_y1", y_array, 1)
modified_bessel_k0 = _no_grad("modified_bessel_k0", _k_plain(0))
modified_bessel_k1 = _no_grad("modified_bessel_k1", _k_plain(1))
scaled_modified_bessel_k0 = _no_grad("scaled_modified_bessel_k0", lambda x: k_scaled_array(x, 0))
scaled_modified_bessel_k1 = _no_grad("scaled_modified_bessel_k1", lambda x: k_scaled_array(x, 1))
airy_ai = _no_grad("airy_ai", airy_ai_array)
