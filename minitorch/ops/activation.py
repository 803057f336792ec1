"""Activation functions as single ops: GELU (exact and tanh), SiLU, Mish, ELU, Softplus,
LeakyReLU, Hardtanh.

Each is one pass of numpy code forward (instead of five to ten composed Tensor ops, each
allocating its output and recording a node). Its gradient is ``g * f'(x)``, where ``f'`` is
again a single op whose own backward is ``f''`` written with Tensor ops, so gradients of
every order exist and first-order backward costs one fused pass.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op

_SQRT_HALF = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_K = math.sqrt(2 / math.pi)  # the tanh approximation of GELU: tanh(K * (x + C x^3))
_C = 0.044715


# ---- array helpers -------------------------------------------------------------------------
def sigmoid_array(x):
    """The logistic function of an array, without overflow for any input."""
    e = np.exp(-np.abs(x))
    r = np.reciprocal(e + 1)
    return np.where(x >= 0, r, e * r)


def _ndtr_f32(x):
    """The normal CDF Phi(x) in float32 or lower: Abramowitz & Stegun 7.1.26 for erfc
    (absolute error below 1.5e-7, the float32 resolution near 1), a dozen array passes."""
    z = np.abs(x) * x.dtype.type(_SQRT_HALF)
    t = np.reciprocal(z * x.dtype.type(0.3275911) + 1)
    poly = t * 1.061405429 - 1.453152027
    for c in (1.421413741, -0.284496736, 0.254829592):
        poly *= t
        poly += c
    poly *= t
    np.multiply(z, z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z
    poly *= 0.5  # now 0.5 * erfc(|x| / sqrt 2) = Phi(-|x|)
    return np.where(x >= 0, 1 - poly, poly)


def _ndtr_f64(x):
    """Phi(x) in float64 to about 1e-15: the Maclaurin series of erf near 0 and a
    continued fraction of erfc in the tails (the tails hold few elements in practice)."""
    z = np.abs(x) * _SQRT_HALF
    out = np.empty_like(z)
    near = z < 1.5  # the series loses relative accuracy in the tail beyond; the fraction takes over
    s = z[near]
    term, total = s.copy(), s.copy()  # erf(s) = 2/sqrt(pi) sum (-1)^n s^(2n+1) / (n! (2n+1))
    s2 = s * s
    for n in range(1, 60):
        term *= -s2 / n
        total += term / (2 * n + 1)
    out[near] = 0.5 - total / math.sqrt(math.pi)  # Phi(-|x|) = (1 - erf) / 2
    far = ~near
    s = z[far]
    frac = np.zeros_like(s)  # erfc(s) = exp(-s^2)/sqrt(pi) / (s + 1/2 / (s + 1 / (s + 3/2 / ...
    for k in range(120, 0, -1):
        frac = (k / 2) / (s + frac)
    out[far] = 0.5 * np.exp(-s * s) / (math.sqrt(math.pi) * (s + frac))
    return np.where(x >= 0, 1 - out, out)


def ndtr_array(x):
    """The standard normal CDF of a floating point array, in its own dtype."""
    if x.dtype == np.float64:
        return _ndtr_f64(x)
    return _ndtr_f32(x.astype(np.float32, copy=False)).astype(x.dtype, copy=False)


def normal_pdf(x):
    """The standard normal density of an array."""
    return np.exp(x * x * -0.5) * _INV_SQRT_2PI


# ---- the op pattern ------------------------------------------------------------------------
class Pointwise(Op):
    """``y = f(x, *params)``; backward is ``g * df(x, *params)``. Subclasses give ``f`` on
    arrays and ``df`` on Tensors (an op or a Tensor expression, so it is differentiable)."""

    @staticmethod
    def forward(ctx, x, *params):
        ctx.save_for_backward(x)
        ctx.params = params
        return ctx.f(x, *params)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return (g * ctx.df(x, *ctx.params),) + (None,) * len(ctx.params)


def _mask(x: Tensor, values) -> Tensor:
    """A piecewise-constant derivative, as a constant tensor in x's dtype."""
    return make_tensor(np.asarray(values, dtype=x._data.dtype))


class Gelu(Pointwise):
    @staticmethod
    def f(x, approximate):
        if approximate == "tanh":
            inner = np.tanh((x * x * _C + 1) * x * _K)
            inner += 1
            inner *= x
            inner *= 0.5
            return inner
        return x * ndtr_array(x)

    @staticmethod
    def df(x, approximate):
        return GeluGrad.apply(x, approximate)


class GeluGrad(Pointwise):
    @staticmethod
    def f(x, approximate):
        if approximate == "tanh":
            t = np.tanh((x * x * _C + 1) * x * _K)
            du = (x * x * (3 * _C) + 1) * _K
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
        return ndtr_array(x) + x * normal_pdf(x)

    @staticmethod
    def df(x, approximate):
        if approximate == "tanh":
            t = ((x * x * _C + 1) * x * _K).tanh()
            s = 1 - t * t
            du = (x * x * (3 * _C) + 1) * _K
            return s * du + 0.5 * x * s * (x * (6 * _C * _K) - 2 * t * du * du)
        return (x * x * -0.5).exp() * _INV_SQRT_2PI * (2 - x * x)


class Silu(Pointwise):
    @staticmethod
    def f(x):
        return x * sigmoid_array(x)

    @staticmethod
    def df(x):
        return SiluGrad.apply(x)


class SiluGrad(Pointwise):
    @staticmethod
    def f(x):
        s = sigmoid_array(x)
        return s * (1 + x * (1 - s))

    @staticmethod
    def df(x):
        s = x.sigmoid()
        return s * (1 - s) * (2 + x * (1 - 2 * s))


class Mish(Pointwise):
    @staticmethod
    def f(x):
        return x * np.tanh(np.logaddexp(0, x))

    @staticmethod
    def df(x):
        return MishGrad.apply(x)


class MishGrad(Pointwise):
    @staticmethod
    def f(x):
        t = np.tanh(np.logaddexp(0, x))
        return t + x * (1 - t * t) * sigmoid_array(x)

    @staticmethod
    def df(x):
        s = x.sigmoid()
        t = Softplus.apply(x, 1.0, 20.0).tanh()
        u = (1 - t * t) * s
        return 2 * u + x * u * (1 - s - 2 * t * s)


class Elu(Pointwise):
    @staticmethod
    def f(x, alpha):
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)) * alpha)

    @staticmethod
    def df(x, alpha):
        return EluGrad.apply(x, alpha)


class EluGrad(Pointwise):
    @staticmethod
    def f(x, alpha):
        return np.where(x > 0, 1, np.exp(np.minimum(x, 0)) * alpha).astype(x.dtype, copy=False)

    @staticmethod
    def df(x, alpha):
        return _mask(x, x._data <= 0) * x.clamp(max=0).exp() * alpha


class Softplus(Pointwise):
    @staticmethod
    def f(x, beta, threshold):
        bx = x * beta
        return np.where(bx > threshold, x, np.logaddexp(0, bx) / beta).astype(x.dtype, copy=False)

    @staticmethod
    def df(x, beta, threshold):
        return SoftplusGrad.apply(x, beta, threshold)


class SoftplusGrad(Pointwise):
    @staticmethod
    def f(x, beta, threshold):
        bx = x * beta
        return np.where(bx > threshold, 1, sigmoid_array(bx)).astype(x.dtype, copy=False)

    @staticmethod
    def df(x, beta, threshold):
        s = (x * beta).sigmoid()
        return _mask(x, x._data * beta <= threshold) * s * (1 - s) * beta


class LeakyRelu(Pointwise):
    @staticmethod
    def f(x, slope):
        return np.where(x > 0, x, x * slope)

    @staticmethod
    def df(x, slope):
        return _mask(x, np.where(x._data > 0, 1.0, slope))


class Hardtanh(Pointwise):
    @staticmethod
    def f(x, lo, hi):
        return np.clip(x, lo, hi)

    @staticmethod
    def df(x, lo, hi):
        d = x._data
        return _mask(x, (d > lo) & (d < hi))


# ---- functional forms ----------------------------------------------------------------------
def _float(input: Tensor, name: str) -> Tensor:
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"{name}: expected a floating point tensor, got {input.dtype}")
    return input


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Mirrors ``torch.nn.functional.gelu`` (``approximate`` 'none' or 'tanh')."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return Gelu.apply(_float(input, "gelu"), approximate)


def silu(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.silu``: x * sigmoid(x)."""
    return Silu.apply(_float(input, "silu"))


def mish(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.mish``: x * tanh(softplus(x))."""
    return Mish.apply(_float(input, "mish"))


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.elu``."""
    return Elu.apply(_float(input, "elu"), float(alpha))


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Mirrors ``torch.nn.functional.softplus``: log(1 + exp(beta x)) / beta, linear where
    beta x > threshold."""
    return Softplus.apply(_float(input, "softplus"), float(beta), float(threshold))


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Mirrors ``torch.nn.functional.leaky_relu``."""
    return LeakyRelu.apply(input, float(negative_slope))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.hardtanh`` (no gradient at the bounds, like PyTorch)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return Hardtanh.apply(input, min_val, max_val)
