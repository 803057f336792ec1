"""Activation functions as single ops: GELU (exact and tanh), SiLU, Mish, ELU, Softplus,
LeakyReLU, Hardtanh, Hardshrink, Softshrink.

Each runs as a few in-place numpy passes forward (instead of five to ten composed Tensor
ops, each allocating its output and recording a node). Its gradient is ``g * f'(x)``, where
``f'`` is again a single op (reusing what forward computed, e.g. Phi(x) for GELU) whose own
backward is ``f''`` written with Tensor ops, so gradients of every order exist.

The array code avoids ``np.where`` on data-dependent masks: numpy's where branches per
element and runs ~10x slower than a ufunc on random signs. Selections are ``maximum`` /
``minimum`` / ``copysign`` or arithmetic with a mask instead.
"""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np

from .._dtypes import HALF_NP, scalar_type_name
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..autograd.grad_mode import is_grad_enabled
from ..backends import ascontiguous, fused, on_host
from ..backends.chunked import for_chunks
from ..backends.memory_order import empty_preserving, in_memory_order
from ..backends.numpy_backend import astype
from .elementwise import const, slope, where

_SQRT_HALF = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_K = math.sqrt(2 / math.pi)  # the tanh approximation of GELU: tanh(K * (x + C x^3))
_C = 0.044715
_AS_P = 0.3275911  # Abramowitz & Stegun 7.1.26: erfc(z) ~ t * poly(t) * exp(-z^2)
_AS_POLY = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
_AS_C = math.sqrt(2) / _AS_P


# ---- array helpers -------------------------------------------------------------------------
def sigmoid_array(x):
    """The logistic function 1 / (1 + exp(-x)) of an array: exact in both tails (exp(-x)
    overflows to inf for very negative x, giving the right limit 0)."""
    t = np.negative(x, out=empty_preserving(x))  # an array even for 0-d x (out= needs one)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1
    return np.divide(1, t, out=t)


def softplus_array(x):
    """log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|))."""
    t = np.abs(x, out=empty_preserving(x))  # an array even for 0-d x (a ufunc returns a scalar)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    t += np.maximum(x, 0)
    return t


_SIGN = np.uint32(0x80000000)
_F32_MATH = (np.dtype(np.float32), *HALF_NP)  # dtypes GELU computes in float32


def _ndtr_chunk(x, cdf, pdf) -> None:
    """Phi(x) into ``cdf`` and phi(x) into ``pdf`` for a float32 chunk: A&S 7.1.26 for erfc
    (absolute error below 1.5e-7, the float32 resolution near 1), its constants folded to
    save passes, and phi from the exp(-x^2/2) it needs anyway."""
    f = np.float32
    t = pdf  # t = 1 / (1 + p |x| / sqrt 2) = c / (c + |x|) lives in pdf until the exp is taken
    np.abs(x, out=t)
    t += f(_AS_C)
    np.divide(f(_AS_C), t, out=t)
    np.multiply(t, f(-0.5 * _AS_POLY[0]), out=cdf)
    for c in _AS_POLY[1:]:
        cdf += f(-0.5 * c)
        cdf *= t
    np.square(x, out=t)
    t *= f(-0.5)
    np.exp(t, out=t)  # exp(-x^2 / 2)
    cdf *= t
    cdf += 0.5  # 0.5 - erfc(|x| / sqrt 2) / 2 = erf(|x| / sqrt 2) / 2, never negative
    # copysign(cdf, x) as a bitwise OR of x's sign bit: 5x faster than np.copysign
    bits = np.bitwise_and(x.view(np.uint32), _SIGN)
    np.bitwise_or(cdf.view(np.uint32), bits, out=cdf.view(np.uint32))
    cdf += 0.5  # Phi(x) = 0.5 + sign(x) erf(|x| / sqrt 2) / 2
    t *= f(_INV_SQRT_2PI)


def _ndtr_into(x, cdf) -> None:
    _ndtr_chunk(x, cdf, np.empty_like(x))


def _gelu_into(x, out, deriv) -> None:
    _ndtr_chunk(x, out, deriv)  # Phi(x) into out, phi(x) into deriv
    deriv *= x
    deriv += out
    out *= x


def _sweep(body, x, n_out: int) -> list:
    """``body(x, *outs)`` over a float32 array in L2-sized chunks (many passes over a chunk
    that stays in cache beat a few over arrays that do not fit); the ``n_out`` outputs come
    back shaped like x. One thread: GELU follows a matrix product, whose OpenBLAS workers
    still spin on the other core (a second thread made it 1.4x slower there). A dense
    non-contiguous x is swept in memory order, so the outputs keep its strides."""
    if not x.flags.c_contiguous:
        kept = in_memory_order(lambda v: _sweep(body, v, n_out), x)
        if kept is not None:
            return kept
    flat = ascontiguous(x).reshape(-1)
    outs = [np.empty_like(flat) for _ in range(n_out)]
    for_chunks(body, (flat, *outs), chunk=1 << 16, threads=1)
    return [o.reshape(x.shape) for o in outs]


def _ndtr_f32(x):
    """The normal CDF Phi(x) of a float32 array."""
    return _sweep(_ndtr_into, x, 1)[0]


def _gelu_f32(x) -> tuple:
    """GELU of a float32 array and its derivative Phi(x) + x phi(x), in one chunked sweep."""
    out, deriv = _sweep(_gelu_into, x, 2)
    return out, deriv


def _erfc_series(s):
    """erfc(s) = 1 - 2/sqrt(pi) sum (-1)^n s^(2n+1) / (n! (2n+1)), for 0 <= s <= 1.5."""
    term, total = s.copy(), s.copy()
    s2 = s * s
    for n in range(1, 60):
        term *= -s2 / n
        total += term / (2 * n + 1)
    return 1 - total * (2 / math.sqrt(math.pi))


def _erfc_fraction(s):
    """erfc(s) = exp(-s^2)/sqrt(pi) / (s + 1/2 / (s + 1 / (s + 3/2 / ..., for s >= 1.5."""
    frac = np.zeros_like(s)
    for k in range(120, 0, -1):
        frac = (k / 2) / (s + frac)
    return np.exp(-s * s) / (math.sqrt(math.pi) * (s + frac))


def _ndtr_f64(x):
    """Phi(x) in float64 to about 1e-15: the Maclaurin series of erf near 0 and a
    continued fraction of erfc in the tails. The host evaluates each on its own entries; a
    device evaluates both everywhere and selects (a mask read back would be a sync)."""
    z = np.abs(x) * _SQRT_HALF
    near = z < 1.5  # the series loses relative accuracy in the tail beyond; the fraction takes over
    if on_host(z):
        erfc = np.empty_like(z)
        erfc[near] = _erfc_series(z[near])
        erfc[~near] = _erfc_fraction(z[~near])
    else:  # (NaN takes the fraction, as on the host)
        erfc = np.where(near, _erfc_series(np.minimum(z, 1.5)), _erfc_fraction(np.maximum(z, 1.5)))
    lower = erfc * 0.5  # Phi(-|x|), kept to full relative precision in the lower tail
    return np.where(x >= 0, 1 - lower, lower)


def ndtr_array(x):
    """The standard normal CDF of a floating point array, in its own dtype."""
    if x.dtype == np.float64:
        return _ndtr_f64(x)
    return _ndtr_f32(x.astype(np.float32, copy=False)).astype(x.dtype, copy=False)


def normal_pdf(x):
    """The standard normal density of an array."""
    t = np.square(x, out=empty_preserving(x))  # an array even for 0-d x (out= needs one)
    t *= -0.5
    np.exp(t, out=t)
    t *= _INV_SQRT_2PI
    return t


def _gelu_tanh_inner(x):
    """tanh(K (x + C x^3)), the gate of the tanh form of GELU."""
    u = np.square(x, out=empty_preserving(x))  # an array for a 0-d x too (tanh's out=)
    u *= _C
    u += 1
    u *= x
    u *= _K
    return np.tanh(u, out=u)


# ---- the op pattern ------------------------------------------------------------------------
class Pointwise(Op):
    """``y = f(x, *params)``; backward is ``g * df(x, *params)``. Subclasses give ``f`` on
    arrays (it may keep intermediate arrays on ``self`` for ``df``) and ``df`` on Tensors
    (an op or a Tensor expression, so that it is differentiable in turn)."""

    @staticmethod
    def forward(ctx, x, *params):
        ctx.save_for_backward(x)
        ctx.params = params
        if x.itemsize == 2 and x.dtype in HALF_NP:  # PyTorch's kernels: float32, rounded once
            return ctx.f(x.astype(np.float32), *params).astype(x.dtype)
        out = ctx.f(x, *params)
        return out if out.dtype == x.dtype else out.astype(x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if x._data.itemsize == 2 and x._data.dtype in HALF_NP:  # g df(x) in float32, rounded once
            d = g.float() * ctx.df(x.float(), *ctx.params)
            return (d.to(x.dtype),) + (None,) * len(ctx.params)
        d = ctx.df(x, *ctx.params)
        if is_grad_enabled():  # create_graph: the product must be recorded
            d = g * d
        else:  # d is a fresh array of our own: scale it in place
            np.multiply(d._data, g._data, out=d._data)
        return (d,) + (None,) * len(ctx.params)


def _const(x: Tensor, values) -> Tensor:
    """A piecewise-constant derivative (an array) as a tensor in x's dtype, of zero gradient."""
    return slope(x, values.astype(x._data.dtype, copy=False))


class Gelu(Pointwise):
    def f(self, x, approximate):
        self.deriv = None
        kernel = fused(x, "gelu")
        if kernel is not None:
            self.gate = None  # the derivative's kernel recomputes it
            return kernel(x, approximate)
        if approximate == "tanh":
            self.gate = _gelu_tanh_inner(x)
            out = self.gate + 1
            out *= x
            out *= 0.5
            return out
        if x.dtype in _F32_MATH:  # the derivative comes almost free with the value
            out, self.deriv = _gelu_f32(astype(x, np.float32, copy=False))
            self.gate = None
            return astype(out, x.dtype, copy=False)  # float16: rounded once, as PyTorch does
        self.gate = ndtr_array(x)
        return x * self.gate

    @staticmethod
    def backward(ctx, g):
        if ctx.deriv is None or is_grad_enabled():  # create_graph: differentiate GeluGrad
            return Pointwise.backward(ctx, g)
        _ = ctx.saved_tensors  # the saved input's version check (and unpack hooks) as PyTorch's
        gx = np.multiply(astype(g._data, np.float32, copy=False), ctx.deriv)
        return make_tensor(astype(gx, g._data.dtype, copy=False)), None  # float16: rounded once

    def df(self, x, approximate):
        return GeluGrad.apply(x, approximate, self.gate)


class GeluGrad(Pointwise):
    """d gelu / dx, from the forward's gate (Phi(x), or the tanh) when it is given."""

    def f(self, x, approximate, gate):
        kernel = fused(x, "gelu_grad")
        if kernel is not None:
            return kernel(x, approximate)
        if approximate == "tanh":
            t = _gelu_tanh_inner(x) if gate is None else gate
            du = np.square(x, out=np.empty_like(x))
            du *= 3 * _C * _K
            du += _K
            du *= x
            du *= 1 - t * t
            du += 1 + t
            du *= 0.5  # 0.5 (1 + t) + 0.5 x (1 - t^2) K (1 + 3 C x^2)
            return du
        cdf = ndtr_array(x) if gate is None else gate
        out = normal_pdf(x)
        out *= x
        out += cdf  # Phi(x) + x phi(x)
        return out

    def df(self, x, approximate, gate):
        if approximate == "tanh":
            t = ((x * x * _C + 1) * x * _K).tanh()
            s = 1 - t * t
            du = (x * x * (3 * _C) + 1) * _K
            return s * du + 0.5 * x * s * (x * (6 * _C * _K) - 2 * t * du * du)
        return (x * x * -0.5).exp() * _INV_SQRT_2PI * (2 - x * x)


class Silu(Pointwise):
    def f(self, x):
        self.s = sigmoid_array(x)
        return x * self.s

    def df(self, x):
        return SiluGrad.apply(x, self.s)


class SiluGrad(Pointwise):
    def f(self, x, s):
        out = 1 - s
        out *= x
        out += 1
        out *= s  # s (1 + x (1 - s))
        return out

    def df(self, x, s):
        s = x.sigmoid()
        return s * (1 - s) * (2 + x * (1 - 2 * s))


class Mish(Pointwise):
    def f(self, x):
        sp = softplus_array(x)  # an array even for 0-d x
        self.t = np.tanh(sp, out=sp)
        return x * self.t

    def df(self, x):
        return MishGrad.apply(x, self.t)


class MishGrad(Pointwise):
    def f(self, x, t):
        out = np.square(t, out=empty_preserving(t))  # an array even for 0-d t
        np.subtract(1, out, out=out)
        out *= x
        out *= sigmoid_array(x)
        out += t  # t + x (1 - t^2) sigmoid(x)
        return out

    def df(self, x, t):
        s = x.sigmoid()
        t = Softplus.apply(x, 1.0, math.inf).tanh()
        u = (1 - t * t) * s
        return 2 * u + x * u * (1 - s - 2 * t * s)


class Elu(Pointwise):
    def f(self, x, alpha):
        neg = np.minimum(x, 0, out=empty_preserving(x))  # an array even for 0-d x
        np.expm1(neg, out=neg)
        neg *= alpha
        neg += np.maximum(x, 0)
        return neg

    def df(self, x, alpha):
        return EluGrad.apply(x, alpha)


class EluGrad(Pointwise):
    def f(self, x, alpha):
        d = np.minimum(x, 0, out=empty_preserving(x))
        np.exp(d, out=d)
        d *= alpha
        d -= 1
        d *= x <= 0
        d += 1  # 1 where x > 0, alpha exp(x) elsewhere
        return d

    def df(self, x, alpha):
        return _const(x, x._data <= 0) * x.clamp(max=0).exp() * alpha


class _FromResult(Op):
    """The in-place form of an activation (PyTorch's ``*Backward1`` nodes): the input is
    overwritten, so the node saves the result and takes the derivative from it; a later
    in-place change of the result makes backward raise, as in PyTorch. ``f`` on arrays and
    ``df_of_result`` on Tensors, as Pointwise's."""

    @staticmethod
    def forward(ctx, x, *params):
        ctx.params = params
        out = ctx.f(x.astype(np.float32) if x.dtype in HALF_NP else x, *params)
        out = out.astype(x.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return (g * ctx.df_of_result(y, *ctx.params),) + (None,) * len(ctx.params)


_NEGATIVE_SLOPE = (
    "In-place {} backward calculation is triggered with a negative slope which is not supported. "
    "This is caused by calling in-place forward function with a negative slope, please call "
    "out-of-place version instead."
)


class EluFromResult(_FromResult):
    """elu_/selu_/celu_: y = scale * x where x > 0, else alpha * scale * expm1(input_scale * x)
    (PyTorch's kernel); dy/dx = scale above 0, input_scale * (y + alpha * scale) below."""

    def f(self, x, alpha, scale, input_scale):
        neg = np.minimum(x, 0, out=empty_preserving(x))
        if input_scale != 1:
            neg *= input_scale
        np.expm1(neg, out=neg)
        neg *= alpha * scale
        pos = np.maximum(x, 0)
        if scale != 1:
            pos *= scale
        neg += pos
        return neg

    def df_of_result(self, y, alpha, scale, input_scale):
        if alpha < 0:
            raise RuntimeError(_NEGATIVE_SLOPE.format("elu"))
        # (PyTorch's double backward counts only results below 0, its backward those at 0 too)
        at_or_below = (y._data <= 0).astype(y._data.dtype)
        constant = at_or_below * (alpha * scale * input_scale - scale) + scale
        return _const(y, y._data < 0) * y * input_scale + _const(y, constant)


class LeakyReluFromResult(_FromResult):
    """leaky_relu_: the derivative is 1 where the result is positive, else the slope."""

    def f(self, x, slope):
        return LeakyRelu.f(self, x, slope)

    def df_of_result(self, y, slope):
        if slope < 0:
            raise RuntimeError(
                _NEGATIVE_SLOPE.format("leakyReLu") + " File an issue at "
                "https://github.com/pytorch/pytorch if you do require supporting in-place "
                "leakRelu backward calculation with negative slope"
            )
        d = np.multiply(y._data > 0, 1 - slope, dtype=y._data.dtype)
        d += slope
        return _const(y, d)


class Softplus(Pointwise):
    def f(self, x, beta, threshold):
        bx = x * beta if beta != 1 else x
        out = softplus_array(bx)
        if beta != 1:
            out /= beta
        linear = bx > threshold  # PyTorch's switch to the identity, far in the linear regime
        if not on_host(linear) or linear.any():  # a device does not look: no sync
            out = np.where(linear, x, out)
        return out

    def df(self, x, beta, threshold):
        return SoftplusGrad.apply(x, beta, threshold)


class SoftplusGrad(Pointwise):
    def f(self, x, beta, threshold):
        bx = x * beta if beta != 1 else x
        d = sigmoid_array(bx)
        linear = bx > threshold
        if not on_host(linear) or linear.any():
            d = np.where(linear, 1, d)
        return d

    def df(self, x, beta, threshold):
        s = (x * beta).sigmoid()
        return _const(x, x._data * beta <= threshold) * s * (1 - s) * beta


class LeakyRelu(Pointwise):
    def f(self, x, slope):
        scaled = np.multiply(x, slope, out=empty_preserving(x))
        return (
            np.maximum(x, scaled, out=scaled) if slope <= 1 else np.minimum(x, scaled, out=scaled)
        )

    def df(self, x, slope):
        d = np.multiply(x._data > 0, 1 - slope, dtype=x._data.dtype)
        d += slope
        return _const(x, d)


class Hardtanh(Pointwise):
    def f(self, x, lo, hi):
        return np.clip(x, lo, hi)

    def df(self, x, lo, hi):
        d = x._data
        return _const(x, (d > lo) & (d < hi))


class Hardsigmoid(Pointwise):
    """relu6(x + 3) / 6 as PyTorch's one kernel: it saves x (not x + 3); its gradient is
    g times float32's 1/6 strictly inside (-3, 3) and 0 elsewhere (a NaN g too)."""

    def f(self, x):
        return np.clip(x + 3, 0, 6) / 6

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        d = x._data
        return (where(const((d > -3) & (d < 3)), g * _SIXTH, 0.0),)


_SIXTH = float(np.float32(1) / np.float32(6))  # PyTorch's constant, in every dtype


def _beyond(x, lambd):
    """Not |x| <= lambd, lambd in x's dtype: the shrink masks of PyTorch's scalar kernels (a
    NaN is beyond; its vector kernels, which long tensors take, differ in NaN and 0 signs)."""
    return ~(np.abs(x) <= x.dtype.type(lambd))


def _outside(x, lambd):
    """|x| > lambd, lambd in x's dtype: the shrink gradients' masks of PyTorch's vector
    kernels, which all but the last few elements of a tensor take (a NaN gets no gradient, as
    in hardtanh's; PyTorch's scalar tail passes it)."""
    return np.abs(x) > x.dtype.type(lambd)


class Hardshrink(Pointwise):
    def f(self, x, lambd):
        out = np.zeros_like(x)  # +0 where x is shrunk (an infinite x too, as PyTorch)
        np.copyto(out, x, where=_beyond(x, lambd))  # a NaN stays
        return out

    def df(self, x, lambd):
        return _const(x, _outside(x._data, lambd))


class Softshrink(Pointwise):
    def f(self, x, lambd):
        if x.dtype in HALF_NP:  # PyTorch subtracts in float32 and rounds once
            x = x.astype(np.float32)
        out = np.subtract(x, np.clip(x, -lambd, lambd), out=empty_preserving(x))  # x -+ lambd
        # beyond the bounds, else 0
        return np.copysign(out, x, out=out)  # PyTorch's x * 0 within keeps x's sign

    def df(self, x, lambd):
        return _const(x, _outside(x._data, lambd))


# ---- functional forms ----------------------------------------------------------------------
def _float(input: Tensor, kernel: str) -> Tensor:
    _not_integral(input, kernel)
    return input


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Mirrors ``torch.nn.functional.gelu`` (``approximate`` 'none' or 'tanh')."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return Gelu.apply(_float(input, "GeluKernelImpl"), approximate)


def silu(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.silu``: x * sigmoid(x)."""
    return Silu.apply(_float(input, "silu_cpu"))


def mish(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.mish``: x * tanh(softplus(x))."""
    return Mish.apply(_float(input, "mish_cpu"))


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.elu``."""
    return Elu.apply(_float(input, "elu_cpu"), float(alpha))


def elu_in_place(input: Tensor, alpha: float, scale: float = 1.0, input_scale: float = 1.0):
    """The op ``elu_`` (and selu_, celu_) runs: elu saving its result (PyTorch's EluBackward1)."""
    return EluFromResult.apply(_float(input, "elu_cpu"), float(alpha), scale, input_scale)


def leaky_relu_in_place(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """The op ``leaky_relu_`` runs: leaky_relu saving its result (LeakyReluBackward1)."""
    _not_integral(input, "leaky_relu_cpu")
    return LeakyReluFromResult.apply(input, float(negative_slope))


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Mirrors ``torch.nn.functional.softplus``: log(1 + exp(beta x)) / beta, linear where
    beta x > threshold."""
    return Softplus.apply(_float(input, "softplus_cpu"), float(beta), float(threshold))


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Mirrors ``torch.nn.functional.leaky_relu``."""
    _not_integral(input, "leaky_relu_cpu")
    return LeakyRelu.apply(input, float(negative_slope))


def _not_integral(input: Tensor, kernel: str) -> None:
    """PyTorch's refusal of an integer or bool input by a float-only CPU ``kernel``."""
    dt = input._data.dtype
    if dt.kind not in "fV":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """Mirrors ``torch.nn.functional.hardshrink``: 0 where |x| <= lambd, else x (NaN stays)."""
    _not_integral(input, "hardshrink_cpu")
    dt = input._data.dtype
    if dt in HALF_NP:  # PyTorch compares 16-bit floats with lambd rounded to their dtype
        lambd = dt.type(lambd)
    return Hardshrink.apply(input, float(lambd))


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """Mirrors ``torch.nn.functional.softshrink``: x - lambd * sign(x) where |x| > lambd, else
    x * 0 (PyTorch's signed zero; NaN stays)."""
    _not_integral(input, "softshrink_check")
    if lambd < 0:
        top = float(ml_dtypes.finfo(input._data.dtype).max)
        raise RuntimeError(
            f"lambda must be in range [0, {top:g}] for input dtype "
            f"{scalar_type_name(input._data.dtype)}, but found {lambd}"
        )
    return Softshrink.apply(input, float(lambd))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.hardtanh`` (no gradient at the bounds, like PyTorch)."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    return Hardtanh.apply(input, min_val, max_val)
