"""Less common elementwise math, forward and backward side by side: inverse trigonometric
and hyperbolic functions, log2/log10/exp2/expm1, erf/erfc/erfinv, sinc, logit, atan2, hypot,
fmod, logaddexp, xlogy, lerp, addcmul/addcdiv, nan_to_num, clamp_min/clamp_max.

Unary ops share one pattern: ``y = f(x)`` on arrays, gradient ``g * df(x, y)`` where ``df``
is written with Tensor ops, so every order of gradient exists.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, edges_at, name_node
from ..backends import on_host
from ..backends.memory_order import copy_preserving, in_memory_order
from .elementwise import (
    _floating,
    _promote,
    broadcast_error,
    clamp,
    const,
    cos,
    exp,
    mul,
    refuse_bools,
    unbroadcast,
    where,
)
from .inplace import _method as inplace_method

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


# ---- erf, erfc, erfinv on float64 arrays ---------------------------------------------------
# erf(z) = 2/sqrt(pi) sum_n (-1)^n z^(2n+1) / (n! (2n+1)): 40 terms reach 1e-16 for z < 2
_ERF_SERIES = [
    _TWO_OVER_SQRT_PI * (-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(39, -1, -1)
]
_ERF_CUT = 2.0  # below: the series; above: the continued fraction of erfc


def _erf_erfc(x):
    """(erf(x), erfc(x)) of a float64 array, each to about 1e-15 relative error: the series
    of erf near 0 and a continued fraction of erfc in the tails (which keeps erfc's relative
    precision where it is tiny). On the host each formula runs on its own elements; on a
    device both run everywhere and a select combines them (masking out the elements would
    read their count back to the host: a sync). NaN goes the tail's way and stays NaN."""
    z = np.abs(x)
    near = z < _ERF_CUT
    split = on_host(z)
    series = _erf_series(z[near] if split else z)
    tail = _erfc_tail(z[~near] if split else z)
    if split:
        erf, erfc = np.empty_like(z), np.empty_like(z)
        erf[near], erfc[near] = series, 1 - series
        erf[~near], erfc[~near] = 1 - tail, tail
    else:
        erf, erfc = np.where(near, series, 1 - tail), np.where(near, 1 - series, tail)
    return np.copysign(erf, x), np.where(x < 0, 2 - erfc, erfc)


def _erf_series(s):
    """erf(s) for 0 <= s < _ERF_CUT, by its Taylor series (Horner in s^2)."""
    t = s * s
    series = np.full_like(s, _ERF_SERIES[0])
    with np.errstate(over="ignore", invalid="ignore"):  # s far from 0 on devices
        for c in _ERF_SERIES[1:]:
            series *= t
            series += c
        series *= s
    return series


def _erfc_tail(s):
    """erfc(s) for s >= _ERF_CUT: exp(-s^2)/sqrt(pi) / (s + 1/2 / (s + 1 / (s + 3/2 / ..."""
    frac = np.zeros_like(s)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):  # s near 0 on devices
        for k in range(40, 0, -1):
            frac = (k / 2) / (s + frac)
        return np.exp(-s * s) / (math.sqrt(math.pi) * (s + frac))


def _in_float64(fn):
    """Runs a float64 array function on any float dtype, rounding the result once: numpy
    has no erf, and ours needs float64 to reach float32's last bit."""

    def run(a):
        if not a.flags.c_contiguous:  # a dense input's strides kept, as PyTorch keeps them
            kept = in_memory_order(run, a)
            if kept is not None:
                return kept
        flat = a.astype(np.float64).reshape(-1)  # 1-D: masks index it, ufuncs return arrays
        return fn(flat).reshape(a.shape).astype(a.dtype, copy=False)

    return run


@_in_float64
def erf_array(x):
    """erf of a float array."""
    return _erf_erfc(x)[0]


@_in_float64
def erfc_array(x):
    """erfc (1 - erf) of a float array, exact in relative terms in the upper tail."""
    return _erf_erfc(x)[1]


@_in_float64
def erfinv_array(y):
    """The inverse of erf: Winitzki's closed form as the start (relative error 2e-3), then
    three Halley steps on erf(x) = |y| (on erfc(x) = 1 - |y| in the tails, which is exact
    there). +-inf at +-1, nan outside [-1, 1]."""
    w = np.abs(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 0.147
        ln = np.log1p(-w * w)
        t1 = 2 / (math.pi * a) + ln / 2
        x = np.sqrt(np.sqrt(t1 * t1 - ln / a) - t1)
        tail = w > 0.5
        rest = 1 - w  # exact for w > 0.5
        for _ in range(3):
            erf, erfc = _erf_erfc(x)
            f = np.where(tail, rest - erfc, erf - w)
            x = x - f / (_TWO_OVER_SQRT_PI * np.exp(-x * x) + x * f)  # f'' = -2x f'
    x = np.where(w == 1, np.inf, np.where(w > 1, np.nan, x))
    return np.copysign(x, y)


# ---- unary ops -----------------------------------------------------------------------------
class Unary(Op):
    """``y = f(x)``; subclasses set ``f`` (arrays) and ``df(x, y)`` (Tensor ops)."""

    @staticmethod
    def forward(ctx, a):
        out = ctx.f(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * ctx.df(x, y)


def _unary(name: str, f, df):
    """The op class (named for its grad_fn, e.g. ``AsinBackward0``) and functional form of
    ``torch.<name>``: float math, integers computed in the default float dtype."""
    cls = type(name.capitalize(), (Unary,), {"f": staticmethod(f), "df": staticmethod(df)})

    def op(input: Tensor) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return cls.apply(_floating(input))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors ``torch.{name}``."
    return op


def sinc_array(x):
    """sin(pi x) / (pi x), and 1 at 0, in x's dtype (PyTorch's formula), from functions
    numpy and cupy compute alike. Not np.sinc: on a GPU it dispatches to cupy.sinc, which
    gives 1 unless |x| > 1e-9, so 1 for NaN (NaN in numpy and PyTorch), and rounds
    otherwise (sinpi(x) over a double pi x)."""
    y = x * np.pi
    return np.where(x == 0, x.dtype.type(1), np.sin(y) / y)


def _sinc_derivative(x: Tensor, y: Tensor) -> Tensor:
    """PyTorch's (pi x cos(pi x) - sin(pi x)) / (pi x^2), and 0 at x = 0."""
    zero = const(x._data == 0)
    safe = where(zero, 1.0, x)
    px = safe * math.pi
    return where(zero, 0.0, (px * cos(px) - px.sin()) / (safe * safe * math.pi))


tan = _unary("tan", np.tan, lambda x, y: y * y + 1.0)
asin = _unary("asin", np.arcsin, lambda x, y: (1.0 - x * x).rsqrt())
acos = _unary("acos", np.arccos, lambda x, y: -(1.0 - x * x).rsqrt())
atan = _unary("atan", np.arctan, lambda x, y: (x * x + 1.0).reciprocal())
sinh = _unary("sinh", np.sinh, lambda x, y: cosh(x))
cosh = _unary("cosh", np.cosh, lambda x, y: sinh(x))
asinh = _unary("asinh", np.arcsinh, lambda x, y: (x * x + 1.0).rsqrt())
acosh = _unary("acosh", np.arccosh, lambda x, y: (x * x - 1.0).rsqrt())
atanh = _unary("atanh", np.arctanh, lambda x, y: (1.0 - x * x).reciprocal())
log2 = _unary("log2", np.log2, lambda x, y: (x * _LN2).reciprocal())
log10 = _unary("log10", np.log10, lambda x, y: (x * _LN10).reciprocal())
exp2 = _unary("exp2", np.exp2, lambda x, y: y * _LN2)
expm1 = _unary("expm1", np.expm1, lambda x, y: y + 1.0)
erf = _unary("erf", erf_array, lambda x, y: exp(-x * x) * _TWO_OVER_SQRT_PI)
erfc = _unary("erfc", erfc_array, lambda x, y: exp(-x * x) * -_TWO_OVER_SQRT_PI)
erfinv = _unary("erfinv", erfinv_array, lambda x, y: exp(y * y) * (math.sqrt(math.pi) / 2))
sinc = _unary("sinc", sinc_array, _sinc_derivative)
_logit = _unary("logit", lambda x: np.log(x / (1 - x)), lambda x, y: (x * (1.0 - x)).reciprocal())
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """Mirrors ``torch.logit``: log(x / (1 - x)), with x clamped to [eps, 1 - eps] first
    when ``eps`` is given (gradient 0 outside)."""
    if eps is not None:
        input = clamp(_floating(input), eps, 1.0 - eps)
    return _logit(input)


def frac(input: Tensor) -> Tensor:
    """Mirrors ``torch.frac``: x - trunc(x) (gradient 1)."""
    if input._data.dtype.kind != "f":
        dtype = _dtypes.scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"frac_cpu\" not implemented for '{dtype}'")
    return Frac.apply(input)


class Frac(Op):
    """x - trunc(x), one node as PyTorch's FracBackward0 (gradient 1)."""

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


def clamp_min(input: Tensor, min) -> Tensor:
    """Mirrors ``torch.clamp_min``."""
    return name_node(clamp(input, min=min), f"ClampMinBackward{int(isinstance(min, Tensor))}")


def clamp_max(input: Tensor, max) -> Tensor:
    """Mirrors ``torch.clamp_max``."""
    return name_node(clamp(input, max=max), f"ClampMaxBackward{int(isinstance(max, Tensor))}")


class NanToNum(Op):
    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.finite = np.isfinite(a)
        out = copy_preserving(a)
        return np.nan_to_num(out, copy=False, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        return g * const(ctx.finite), None, None, None


def nan_to_num(input: Tensor, nan: float = 0.0, posinf=None, neginf=None) -> Tensor:
    """Mirrors ``torch.nan_to_num``: NaN, +inf and -inf replaced (by default with 0 and the
    dtype's largest and lowest values); the gradient is 0 at the replaced elements."""
    if input._data.dtype.kind != "f":
        return make_tensor(input._data.copy())
    return NanToNum.apply(input, nan, posinf, neginf)


square_ = inplace_method(lambda x: mul(x, x), None, "square")


# ---- binary ops ----------------------------------------------------------------------------
def _operands(name: str, input, other, to_float: bool = True) -> tuple:
    """Two Tensors of PyTorch's result dtype (a number becomes a 0-d tensor on the other
    operand's device), checked to broadcast."""
    a, b = _promote(input, other, to_float)
    if not isinstance(b, Tensor):
        b = make_tensor(np.full_like(a._data, b, shape=()))
    if not isinstance(a, Tensor):
        a = make_tensor(np.full_like(b._data, a, shape=()))
    err = broadcast_error(name, a, b)
    if err is not None:
        raise err
    return a, b


def float_operands(name: str, input, other) -> tuple:
    """``_operands`` of an op PyTorch has only floating-point kernels for: integer or bool
    operands raise its NotImplementedError."""
    a, b = _operands(name, input, other, to_float=False)
    if a._data.dtype.kind != "f":
        dtype = _dtypes.scalar_type_name(a._data.dtype)
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dtype}'")
    return a, b


class Atan2(Op):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        d = a * a + b * b
        r = g / d.masked_fill(d == 0, float("inf"))  # 0 at the origin, as in PyTorch (not nan)
        return (
            unbroadcast(r * b, a.shape) if na else None,
            unbroadcast(-r * a, b.shape) if nb else None,
        )


class Hypot(Op):
    @staticmethod
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        r = g / out
        return (
            unbroadcast(r * a, a.shape) if na else None,
            unbroadcast(r * b, b.shape) if nb else None,
        )


class Fmod(Op):
    torch_name = "FmodBackward1"  # of two tensors; FmodByNumber is PyTorch's FmodBackward0

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.fmod(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g, a.shape) if na else None
        gb = unbroadcast(-g * const(np.trunc(a._data / b._data)), b.shape) if nb else None
        return ga, gb


class Remainder(Op):
    """PyTorch's kernel: fmod, plus the divisor where the signs differ (exact for large
    quotients, x % inf == x for x >= 0, signed zeros kept)."""

    torch_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        mod = np.fmod(a, b)
        return np.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g, a.shape) if na else None
        gb = unbroadcast(-g * const(np.floor(a._data / b._data)), b.shape) if nb else None
        return ga, gb


class FmodByNumber(Fmod):
    torch_name = "FmodBackward0"
    _torch_edges = edges_at(0)  # the number is no input of PyTorch's node


class RemainderByNumber(Remainder):
    torch_name = "RemainderBackward0"
    _torch_edges = edges_at(0)


class LogAddExp(Op):
    torch_name = "LogaddexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        out = np.logaddexp(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g * exp(a - out), a.shape) if na else None
        gb = unbroadcast(g * exp(b - out), b.shape) if nb else None
        return ga, gb


class XLogY(Op):
    """x * log(y), 0 where x == 0 (unless y is NaN)."""

    torch_name = "XlogyBackward0"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y))

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = gy = None
        if nx:  # PyTorch's rule: g log(y), also where x == 0 (0 there only when y <= 0)
            zero = const((x._data == 0) & (y._data <= 0))
            gx = unbroadcast(where(zero, 0.0, XLogY.apply(g, y)), x.shape)
        if ny:
            gy = unbroadcast(g * x / y, y.shape)
        return gx, gy


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.atan2``: the angle of the point (other, input)."""
    return Atan2.apply(*_operands("atan2", input, other))


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.hypot``: sqrt(input^2 + other^2) without overflow."""
    return Hypot.apply(*float_operands("hypot", input, other))


def fmod(input: Tensor, other) -> Tensor:
    """Mirrors ``torch.fmod``: the C remainder (its sign follows the dividend)."""
    refuse_bools("fmod_cpu", input, other)
    a, b = _operands("fmod", input, other, to_float=False)
    if a._data.dtype.kind != "f" and not b._data.all():
        raise RuntimeError("ZeroDivisionError: fmod of integers by zero")
    return (Fmod if isinstance(other, Tensor) else FmodByNumber).apply(a, b)


def remainder_of(input, other) -> Tensor:
    """The op behind ``torch.remainder`` (operands already promoted, bools excluded)."""
    a, b = _operands("remainder", input, other, to_float=False)
    if a._data.dtype.kind != "f" and not b._data.all():
        raise RuntimeError("ZeroDivisionError")
    return (Remainder if isinstance(other, Tensor) else RemainderByNumber).apply(a, b)


def _pick_first(name: str, input, other, a_wins) -> Tensor:
    """``input`` where ``a_wins(a, b)`` or ``other`` is NaN, else ``other`` (gradient to
    the one picked, as PyTorch's fmax/fmin)."""
    a, b = _operands(name, input, other, to_float=False)
    return where(const(a_wins(a._data, b._data) | np.isnan(b._data)), a, b)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.fmax``: the elementwise maximum, ignoring a NaN when one side has it."""
    return _pick_first("fmax", input, other, np.greater_equal)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.fmin``: the elementwise minimum, ignoring a NaN when one side has it."""
    return _pick_first("fmin", input, other, np.less_equal)


def copysign(input, other) -> Tensor:
    """Mirrors ``torch.copysign``: |input| with the sign bit of ``other`` (no gradient to
    ``other``)."""
    a, b = _operands("copysign", input, other)
    return a.abs() * const(np.where(np.signbit(b._data), a._data.dtype.type(-1), 1))


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.logaddexp``: log(exp(input) + exp(other)), computed stably."""
    return LogAddExp.apply(*float_operands("logaddexp", input, other))


def xlogy(input, other) -> Tensor:
    """Mirrors ``torch.xlogy``: input * log(other), 0 where input is 0."""
    return XLogY.apply(*_operands("xlogy", input, other))


class Lerp(Op):
    """start + weight (end - start), as PyTorch computes it: from ``end`` when |weight| is
    at least 0.5, so that weight 1 gives ``end`` exactly."""

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.save_for_backward(a, b, w)
        diff = b - a
        if isinstance(w, float):
            return a + w * diff if abs(w) < 0.5 else b - diff * (1 - w)
        return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))

    @staticmethod
    def backward(ctx, g):
        a, b, w = ctx.saved_tensors
        na, nb, nw = ctx.needs_input_grad
        ga = unbroadcast(g * (1.0 - w), a.shape) if na else None
        gb = unbroadcast(g * w, b.shape) if nb else None
        gw = unbroadcast(g * (b - a), w.shape) if nw else None
        return ga, gb, gw


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """Mirrors ``torch.lerp``: input + weight * (end - input); ``weight`` a number or a
    tensor of the same dtype."""
    tensors = (("end", end),) + ((("weight", weight),) if isinstance(weight, Tensor) else ())
    dtype = input._data.dtype
    for what, t in tensors:
        if t._data.dtype != dtype:
            expected, got = (_dtypes.CPP_NAMES[d.name][0] for d in (dtype, t._data.dtype))
            raise RuntimeError(f"expected dtype {expected} for `{what}` but got dtype {got}")
    if dtype.kind != "f":
        kernel = "lerp_kernel_tensor" if len(tensors) > 1 else "lerp_kernel_scalar"
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(dtype)}'"
        )
    for _, t in tensors:
        err = broadcast_error("lerp", input, t)
        if err is not None:
            raise err
    if isinstance(weight, Tensor):
        return name_node(Lerp.apply(input, end, weight), "LerpBackward1")
    return Lerp.apply(input, end, float(weight))


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """Mirrors ``torch.addcmul``: input + value * tensor1 * tensor2."""
    prod = tensor1 * tensor2
    if isinstance(value, float) and input._data.dtype.kind in "biu" and prod._data.dtype.kind in "biu":  # fmt: skip
        value = int(value)  # PyTorch casts value to the integer result type (2.5 -> 2)
    return name_node(input + (prod if value == 1 else prod * value), "AddcmulBackward0")


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """Mirrors ``torch.addcdiv``: input + value * tensor1 / tensor2."""
    if tensor1._data.dtype.kind != "f" and tensor2._data.dtype.kind != "f":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported: convert tensor1 or tensor2 "
            "to a floating point dtype (e.g. tensor1.float())"
        )
    quot = tensor1 / tensor2
    return name_node(input + (quot if value == 1 else quot * value), "AddcdivBackward0")


lerp_ = inplace_method(lerp, None, "lerp")
addcmul_ = inplace_method(addcmul, None, "addcmul")
addcdiv_ = inplace_method(addcdiv, None, "addcdiv")
clamp_min_ = inplace_method(clamp_min, None, "clamp_min")
clamp_max_ = inplace_method(clamp_max, None, "clamp_max")
nan_to_num_ = inplace_method(nan_to_num, None, "nan_to_num")
