"""Elementwise ops, forward and backward side by side. Broadcasting is undone in backward
by ``unbroadcast``; backward formulas use Tensor ops, so they are differentiable too."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._memory_format import preserve_format
from .._numpy_warnings import numpy_quiet
from .._tensor import InferenceCell, Tensor, make_tensor
from ..autograd.function import Op, edges_at, name_node, raw_backward
from ..autograd.grad_mode import state
from ..backends import fused, on_host, xp_of
from ..backends.memory_order import (
    copy_preserving,
    empty_in_order,
    empty_preserving,
    format_order,
    iteration_order,
    iterator_layout,
    laid_out,
)
from ..backends.numpy_backend import astype, half_relu, half_relu_grad


def unbroadcast(g: Tensor, shape: tuple) -> Tensor:
    """Sums a gradient down to ``shape``: the adjoint of broadcasting."""
    gs = g._data.shape
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and gs[lead + i] != 1
    )
    if axes:
        g = g.sum(axes)
    return g.reshape(shape) if g._data.shape != shape else g


def const(array) -> Tensor:
    """Wraps an array computed in backward that is a constant (a mask, a shape helper)."""
    return make_tensor(array)


class _Slope(Op):
    """The derivative ``values`` of a piecewise-linear op at ``x``, recorded as a function of
    ``x`` whose own gradient is zero."""

    @staticmethod
    def forward(ctx, x, values):
        return values

    @staticmethod
    def backward(ctx, g):
        return make_tensor(np.zeros_like(g._data)), None


def slope(x: Tensor, values) -> Tensor:
    """The derivative array of a piecewise-linear op (relu, leaky_relu, hardtanh, abs) at ``x``.
    When a graph of backward is built (create_graph) it stays connected to ``x`` with a zero
    gradient, as PyTorch's ``threshold_backward`` etc. are: a gradient penalty through a ReLU
    network then gives the biases a zero ``.grad``, not None."""
    if state.enabled and x.requires_grad:
        return _Slope.apply(x, values)
    return make_tensor(values)


# ---- binary arithmetic ---------------------------------------------------------------------
def _shape(x) -> tuple:
    return x.shape if hasattr(x, "shape") else ()


def _binary(ufunc, a, b):
    """``ufunc(a, b)`` laid out as PyTorch lays it out: numpy gives a non-contiguous first
    operand next to an operand of another order a C-ordered result, PyTorch keeps the
    strides of the first (when it is not broadcast); operands that broadcast get
    TensorIterator's order of their dims (numpy's differs)."""
    if type(b) in _PY_SCALARS or type(a) in _PY_SCALARS:
        return ufunc(a, b)
    if a.flags.c_contiguous and (b.flags.c_contiguous or a.shape == b.shape):
        return ufunc(a, b)
    if a.dtype != b.dtype or ufunc is np.true_divide and a.dtype.kind not in "fcV":
        return ufunc(a, b)  # (integers divide into floats)
    return ufunc(a, b, out=binary_result(a, b, a.dtype))


def binary_result(a, b, dtype):
    """An empty result of a binary op of arrays ``a`` and ``b`` laid out as PyTorch lays it
    out: ``a``'s strides when it is not broadcast, else TensorIterator's order of the dims."""
    shape = np.broadcast_shapes(a.shape, b.shape)
    if 0 not in a.strides and shape == a.shape:
        return empty_preserving(a, dtype)
    order = iteration_order((a, b), shape)
    return laid_out(lambda s: xp_of(a).empty(s, dtype), shape, order)


_HALF, _BF16 = _dtypes.HALF_NP


def _in_float32(ufunc, a, b, dtype):
    """A float16 or bfloat16 array times or over a Python number, as PyTorch's mul/div
    kernels compute it: in float32 with the number unrounded, rounded once (numpy rounds the
    number to float16 first: x / 1e5 became x / inf = 0, x * 1e-5 was 0.14% off). PyTorch's
    add/sub do round the number to float16, as numpy does."""
    return ufunc(a, b, dtype=np.float32).astype(dtype)


def _scale(ufunc, a, b):
    """``ufunc(a, b)`` of Mul or Div: a 16-bit float array with a Python number in float32."""
    if type(b) in _PY_SCALARS:
        d = a.dtype
        return ufunc(a, b) if d is not _HALF and d is not _BF16 else _in_float32(ufunc, a, b, d)
    if type(a) in _PY_SCALARS:
        d = b.dtype
        return ufunc(a, b) if d is not _HALF and d is not _BF16 else _in_float32(ufunc, a, b, d)
    return _binary(ufunc, a, b)


class Add(Op):
    _saved_constants = {"alpha": 1}
    _torch_edges = edges_at(0, 1, reflected=(1, 0))

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = (_shape(a), _shape(b))
        return _binary(np.add, a, b)

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        na, nb = ctx.needs_input_grad
        return unbroadcast(g, sa) if na else None, unbroadcast(g, sb) if nb else None


class Sub(Op):
    _saved_constants = {"alpha": 1}
    _torch_edges = edges_at(0, 1, reflected=(1,))

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = (_shape(a), _shape(b))
        return _binary(np.subtract, a, b)

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        na, nb = ctx.needs_input_grad
        return unbroadcast(g, sa) if na else None, unbroadcast(-g, sb) if nb else None


def fused_multiply_add(a, b, c):
    """``a + b * c`` rounded once for float32 operands, as PyTorch's CPU kernels compute it
    (``fmadd``: add with alpha, addcmul): the float32 product is exact in float64. Other
    dtypes round twice (float64 has no wider type here). Laid out as ``a``."""
    out = _binary(np.add, a, b * c)  # (its layout is PyTorch's)
    if a.dtype == np.float32 and b.dtype == c.dtype == np.float32:
        if isinstance(out, np.generic):  # numpy's 0-d result
            out = np.array(out)
        np.add(a, np.multiply(b, c, dtype=np.float64), out=out, casting="unsafe")
    return out


def lerp_values(a, b, w):
    """``a + w * (b - a)`` as PyTorch's CPU kernel computes it: ``fmadd(w, b - a, a)`` where
    |w| < 0.5, else ``fmadd(w - 1, b - a, b)`` (so w = 1 gives ``b`` exactly), each rounded
    once for float32 (see fused_multiply_add); ``w`` a Python float or an array."""
    diff = b - a
    if isinstance(w, float):
        weight = diff.dtype.type(w)
        small = -0.5 < w < 0.5
        return fused_multiply_add(a if small else b, weight if small else weight - 1, diff)
    small = np.abs(w) < 0.5
    return fused_multiply_add(np.where(small, a, b), np.where(small, w, w - 1), diff)


class AddScaled(Op):
    """a + alpha * b: PyTorch's one node (named ``name``) for add/sub with ``alpha=``."""

    @staticmethod
    def forward(ctx, a, b, alpha, name):
        ctx.shapes = (_shape(a), _shape(b))
        ctx.alpha = alpha
        ctx.torch_name = name
        d = a.dtype
        if d is _HALF or d is _BF16:  # PyTorch's kernel: alpha in the dtype, the rest in
            scale = np.float32(np.asarray(alpha, dtype=d))  # float32, rounded once
            return fused_multiply_add(a.astype(np.float32), b.astype(np.float32), scale).astype(d)
        if d == np.float32 and b.dtype == np.float32:  # one rounding, alpha in float32
            return fused_multiply_add(a, b, np.float32(alpha))
        return _binary(np.add, a, _scale(np.multiply, b, alpha))

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        na, nb, _, _ = ctx.needs_input_grad
        ga = unbroadcast(g, sa) if na else None
        return ga, unbroadcast(g * ctx.alpha, sb) if nb else None, None, None


class Mul(Op):
    _torch_edges = edges_at(0, 1, reflected=(1, 0))
    _saved_for = ((1,), (0,))  # a for b's gradient, b for a's

    @staticmethod
    def forward(ctx, a, b):
        # a Python number gets no gradient, so the other operand is not saved: as in
        # PyTorch, x[i] = x[i] * 0.5 may then change it in place
        ctx.save_for_backward(
            None if type(b) in _PY_SCALARS else a, None if type(a) in _PY_SCALARS else b
        )
        return _scale(np.multiply, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        if not state.enabled and (a is None or b is None):  # x * 2.0: one raw product
            gd, number = g._data, b if a is None else a
            if gd.dtype is _HALF or gd.dtype is _BF16:
                gx = make_tensor(_in_float32(np.multiply, gd, number, gd.dtype))
            else:
                gx = make_tensor(np.multiply(gd, number, out=np.empty_like(gd)))
            return (gx, None) if a is None else (None, gx)
        ga = (g * b if a is None else unbroadcast(g * b, a.shape)) if na else None
        gb = (g * a if b is None else unbroadcast(g * a, b.shape)) if nb else None
        return ga, gb


class Div(Op):
    _torch_edges = edges_at(0, 1, reflected=(1, 0))
    _saved_for = ((1,), (0, 1))  # a for b's gradient, b for both

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(None if type(b) in _PY_SCALARS else a, b)  # as in Mul
        return _scale(np.true_divide, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = (g / b if a is None else unbroadcast(g / b, a.shape)) if na else None
        gb = unbroadcast(-g * ((a / b) / b), b.shape) if nb else None  # PyTorch's formula
        return ga, gb


class Pow(Op):
    _saved_names = ("self", "exponent", "result")

    @staticmethod
    def forward(ctx, a, b):
        if type(b) in _ROOT_EXPONENTS and (b == 0.5 or b == -0.5) and a.dtype != _HALF:
            out = _root(a, b)
        else:
            out = _binary(np.power, a, b)
            if getattr(b, "size", 0) == 1 and hasattr(a, "dtype") and a.dtype.kind == "f":
                out = _pow_of_half(a, b, out)
        if isinstance(b, (int, float)):
            ctx.save_for_backward(a, b)
        else:  # a tensor exponent: PyTorch saves the result too (changing it in place raises)
            ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, *result = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = gb = None
        if na:
            if isinstance(b, Tensor):
                ga = g * b * a ** (b - 1)
                zero_exp = b._data == 0
                if not on_host(zero_exp) or zero_exp.any():  # d/da a**0 is 0, also at a = 0
                    ga = where(const(zero_exp), 0.0, ga)
                ga = unbroadcast(ga, a.shape)
            else:
                ga = g * 0.0 if b == 0 else g * (b * a ** (b - 1))
        if nb:
            (out,) = result
            if isinstance(a, Tensor):
                # d/db a**b = a**b log a, taken as 0 where a == 0 and b >= 0: PyTorch's
                # g * where(.., 0, result * log(a)), whose masked branch (0 * log(0)) makes
                # the second derivatives NaN there
                zero = (a._data == 0) & (b._data >= 0)
                gb = unbroadcast(g * where(const(zero), 0.0, out * a.log()), b.shape)
            elif a != 0:
                gb = g * out * float(np.log(a))
            else:  # 0 ** b: -inf for b < 0, taken as 0 where b >= 0 (PyTorch's formula)
                gb = g * where(const(b._data >= 0), 0.0, out * -np.inf)
        return ga, gb


_ROOT_EXPONENTS = (float, _BF16.type)  # a number exponent (bfloat16-rounded for bfloat16)


def _root(a, b: float):
    """a ** 0.5 and a ** -0.5 as PyTorch's pow computes them, with its sqrt and rsqrt kernels
    (NaN at -inf; numpy's power gives inf and 0), bfloat16 in float32."""
    x = a.astype(np.float32) if a.dtype == _BF16 else a
    out = np.sqrt(x) if b > 0 else 1 / np.sqrt(x)
    return out.astype(a.dtype, copy=False)


def _pow_of_half(a, b, out):
    """``out`` (numpy's a ** b) as PyTorch's pow by a tensor exponent b of one element: numpy
    takes its sqrt for b = 0.5 (NaN at -inf, -0 at -0), PyTorch's pow gives inf and 0."""
    xp = xp_of(a)
    half = b == 0.5
    return xp.where(half & xp.isneginf(a), xp.inf, xp.where(half, out + 0.0, out)).astype(out.dtype)


class Maximum(Op):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _binary(np.maximum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _select_grads(ctx, g, a, b, a._data > b._data, a._data < b._data)


class Minimum(Op):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _binary(np.minimum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return _select_grads(ctx, g, a, b, a._data < b._data, a._data > b._data)


def _select_grads(ctx, g, a, b, a_wins, b_wins):
    """Gradients of max/min of two tensors: to the winner, split evenly on ties, and whole
    to both where one is NaN (as PyTorch: each loses its gradient only where the other wins)."""
    half_tie = 0.5 * (a._data == b._data)
    dt = g._data.dtype
    na, nb = ctx.needs_input_grad
    ga = unbroadcast(g * const((1.0 - b_wins - half_tie).astype(dt)), a.shape) if na else None
    gb = unbroadcast(g * const((1.0 - a_wins - half_tie).astype(dt)), b.shape) if nb else None
    return ga, gb


class Where(Op):
    _torch_edges = edges_at(1, 2)

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.cond = cond
        ctx.shapes = (np.shape(a), np.shape(b))
        arrays = [x for x in (cond, a, b) if hasattr(x, "flags")]
        if all(x.flags.c_contiguous for x in arrays):
            return np.where(cond, a, b)
        return iterator_layout(np.where(cond, a, b), arrays)

    @staticmethod
    def backward(ctx, g):
        cond = const(ctx.cond)
        sa, sb = ctx.shapes
        _, na, nb = ctx.needs_input_grad
        ga = unbroadcast(where(cond, g, 0.0), sa) if na else None
        gb = unbroadcast(where(cond, 0.0, g), sb) if nb else None
        return None, ga, gb


class WhereSaving(Where):
    """``where(cond, a, b)`` as the node of an op PyTorch computes in one kernel (fmax,
    threshold, prelu): the tensor operands are saved as that op saves them, so changing
    one in place before backward raises."""

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.save_for_backward(a, b)
        return Where.forward(ctx, cond, a, b)

    @staticmethod
    def backward(ctx, g):
        _checked = ctx.saved_tensors  # raises if an operand changed in place
        return Where.backward(ctx, g)


# ---- unary ---------------------------------------------------------------------------------
class Neg(Op):
    @staticmethod
    def forward(ctx, a):
        return np.negative(a)

    @staticmethod
    def backward(ctx, g):
        return -g


class Exp(Op):
    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / a


class Log1p(Op):
    torch_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a + 1.0)


class Sqrt(Op):
    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g / (out * 2.0)


class Rsqrt(Op):
    @staticmethod
    def forward(ctx, a):
        if a.dtype is _BF16:  # one rounding, as PyTorch's kernel
            out = astype(1.0 / np.sqrt(astype(a, np.float32)), _BF16)
        else:
            out = 1.0 / np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * -0.5 * (out * out * out)  # PyTorch: -0.5 * grad * result.pow(3), y*y*y


class Reciprocal(Op):
    @staticmethod
    def forward(ctx, a):
        out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -g * out * out


class Abs(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * slope(a, _sign(a._data))


def _sign(a):
    """``np.sign`` with PyTorch's sign(nan) = 0."""
    out = np.sign(a, out=empty_preserving(a))  # an array even for 0-d a (out= below)
    if out.dtype.kind in "fV":
        np.copyto(out, 0, where=np.isnan(out))  # (nan_to_num scans for infs too; a masked
        # write out[mask] = 0 would read the mask's count back from a device)
    return out


class Sign(Op):
    @staticmethod
    def forward(ctx, a):
        if a.dtype == np.bool_:
            return copy_preserving(a)
        return _sign(a)

    @staticmethod
    def backward(ctx, g):  # zeros, as PyTorch's: a NaN or inf gradient gives 0 too
        return make_tensor(np.zeros_like(g._data))


class Sin(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * a.cos()


class Cos(Op):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return -g * a.sin()


class Tanh(Op):
    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        if raw_backward():
            return (make_tensor(_tanh_grad(g._data, *ctx.saved_arrays)),)
        (out,) = ctx.saved_tensors
        return (TanhGrad.apply(g, out),)


def _tanh_grad(g, y):
    """g * (1 - y**2) as PyTorch's tanh_backward kernel computes it."""
    kernel = fused(y, "tanh_grad")  # (None on the CPU)
    if kernel is not None and g.dtype == y.dtype:
        return kernel(g, y)
    if y.dtype == np.float32:  # PyTorch's 1 - y*y is one fused multiply-add: exact in float64
        t = 1.0 - np.square(y, dtype=np.float64)
        return np.multiply(g, t, dtype=np.float32, casting="same_kind")
    if y.dtype in _dtypes.HALF_NP:  # PyTorch's kernel: float32, rounded once
        y32 = y.astype(np.float32)
        return (g.astype(np.float32) * (1 - y32 * y32)).astype(y.dtype)
    return g * (1 - y * y)


class TanhGrad(Op):
    """g * (1 - y**2) in one op (tanh's backward is on the hot path); differentiable."""

    @staticmethod
    def forward(ctx, g, y):
        ctx.save_for_backward(g, y)
        return _tanh_grad(g, y)

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.saved_tensors
        return gg * (1.0 - y * y), gg * g * y * -2.0


def sigmoid_values(a):
    """The logistic function of an array as ``torch.sigmoid`` computes it (float16 and
    bfloat16 through float32, one rounding); shared by Sigmoid and the fused recurrent steps."""
    x = a.astype(np.float32) if a.dtype in _dtypes.HALF_NP else a
    e = np.exp(-np.abs(x))  # never overflows
    # 1 / (1 + e) for x >= 0, e / (1 + e) below: max(e, x >= 0) picks the numerator
    # without np.where, whose select is slow on mixed signs
    out = np.maximum(e, x >= 0, out=empty_preserving(x))
    return np.divide(out, e + 1, out=out).astype(a.dtype, copy=False)


class Sigmoid(Op):
    @staticmethod
    def forward(ctx, a):
        out = sigmoid_values(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        if raw_backward():
            return (make_tensor(_sigmoid_grad(g._data, *ctx.saved_arrays)),)
        (out,) = ctx.saved_tensors
        return (SigmoidGrad.apply(g, out),)


def _sigmoid_grad(g, y):
    """g * y * (1 - y) as PyTorch's sigmoid_backward kernel computes it."""
    kernel = fused(y, "sigmoid_grad")  # (None on the CPU)
    if kernel is not None and g.dtype == y.dtype:
        return kernel(g, y)
    if y.dtype == _dtypes.BF16_NP:  # PyTorch's kernel: float32, rounded once
        y32 = y.astype(np.float32)
        return (g.astype(np.float32) * (1 - y32) * y32).astype(y.dtype)
    return g * (1 - y) * y  # PyTorch's order (float16 rounds each step)


class SigmoidGrad(Op):
    """g * y * (1 - y) in one op; differentiable."""

    @staticmethod
    def forward(ctx, g, y):
        ctx.save_for_backward(g, y)
        return _sigmoid_grad(g, y)

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.saved_tensors
        return gg * y * (1.0 - y), gg * g * (1.0 - 2.0 * y)


class Relu(Op):
    @staticmethod
    def forward(ctx, a):
        if a.dtype == np.bool_:
            raise RuntimeError("Boolean inputs not supported for relu")
        out = half_relu(a) if a.dtype == np.float16 else np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        if state.enabled:  # create_graph: the product is recorded
            return g * slope(out, (out._data != 0).astype(g._data.dtype))
        return make_tensor(relu_grad(g._data, out._data))


_UNSIGNED = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def relu_grad(g, out):
    """PyTorch's relu backward (``threshold_backward``): ``g`` where the relu output is not
    0 (NaN outputs pass ``g``), else +0. On the bits, so an inf or NaN gradient at a zero
    output gives 0 (not inf * 0 = NaN); as fast as a float multiply by the mask."""
    kernel = fused(out, "relu_grad")  # (None on the CPU)
    if kernel is not None and g.dtype == out.dtype:
        return kernel(g, out)
    if g.dtype == np.float16:  # numpy's float16 comparisons are slow: those on bits are not
        return half_relu_grad(g, out)
    if g.dtype.kind not in "fV" or g.dtype != out.dtype:
        return np.multiply(g, out != 0, dtype=g.dtype)
    u = _UNSIGNED[g.dtype.itemsize]
    return np.multiply(g.view(u), out != 0, dtype=u).view(g.dtype)


class Clamp(Op):
    torch_name = "ClampBackward1"  # PyTorch's name for number bounds

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a)
        ctx.bounds = (lo, hi)
        return np.clip(a, lo, hi).astype(a.dtype, copy=False)  # bfloat16: numpy gives float32

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        x = a._data
        keep = np.ones_like(x, dtype=bool) if lo is None else x >= lo
        if hi is not None:
            keep &= x <= hi
        # where, not a product: an inf/nan gradient from a clamped place stays out (PyTorch)
        return where(const(keep), g, 0.0), None, None


class ClampTensor(Op):
    """clamp with tensor bounds: PyTorch's clamp_backward / clamp_backward_min_max (where x
    equals a bound the gradient goes to x; with min > max, to max)."""

    torch_name = "ClampBackward0"
    _torch_edges = edges_at(0, 1, 2)  # clamp(self, min=None, max=None): optional tensors

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x, lo, hi)
        # x itself where equal (0 and -0: numpy's maximum picks either, by dtype); NaN bounds win
        out = x if lo is None else np.where((x < lo) | np.isnan(lo), lo, x)
        return out if hi is None else np.where((out > hi) | np.isnan(hi), hi, out)

    @staticmethod
    def backward(ctx, g):
        x, lo, hi = ctx.saved_tensors
        nx, nlo, nhi = ctx.needs_input_grad
        x, lo_, hi_ = x._data, getattr(lo, "_data", None), getattr(hi, "_data", None)
        mask = lambda m: const(xp_of(x).asarray(m))  # noqa: E731  (0-d compares give scalars)
        both = lo is not None and hi is not None
        keep = (True if lo is None else x >= lo_) & (True if hi is None else x <= hi_)
        gx = unbroadcast(where(mask(keep), g, 0.0), x.shape) if nx else None
        glo = ghi = None
        if nlo:
            low = (x < lo_) & (lo_ < hi_) if both else x < lo_
            glo = unbroadcast(where(mask(low), g, 0.0), lo.shape)
        if nhi:
            high = (x > hi_) | (hi_ < lo_) if both else x > hi_
            ghi = unbroadcast(where(mask(high), g, 0.0), hi.shape)
        return gx, glo, ghi


class Cast(Op):
    torch_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, np_dtype):
        ctx.in_dtype = a.dtype
        if a.flags.c_contiguous or 0 not in a.strides:  # numpy keeps other inputs' strides
            return astype(a, np_dtype)
        return copy_preserving(a, np_dtype)  # numpy would put a broadcast dim innermost

    @staticmethod
    def backward(ctx, g):
        return g.to(_dtypes.from_numpy_dtype(ctx.in_dtype)), None


class Clone(Op):
    @staticmethod
    def forward(ctx, a, order):
        if order is None:  # contiguous_format
            return a.copy()
        if order is preserve_format:
            return copy_preserving(a)
        out = empty_in_order(a, a.dtype, order)
        out[...] = a
        return out

    @staticmethod
    def backward(ctx, g):
        return g, None


# ---- functional forms with PyTorch's type promotion ------------------------------------------
_PY_SCALARS = (bool, int, float)
_BOOL = np.dtype(np.bool_)


class OperandTypeError(TypeError):
    """An operand a binary op does not take (a list, a string, None): PyTorch's functions
    raise TypeError, its operators return NotImplemented (so ``t == [1]`` is False and
    ``[1, 2] * torch.tensor(2)`` repeats the list, as Python's own rules say)."""


OPERANDS = (bool, int, float, complex, np.generic)


def check_operand(x) -> None:
    """Raises OperandTypeError unless ``x`` is a Tensor, a number or a device array (a numpy
    array is none: PyTorch's operators leave it to numpy, its functions refuse it)."""
    if not isinstance(x, (Tensor, *OPERANDS)) and not hasattr(x, "__cuda_array_interface__"):
        name = type(x).__name__
        if type(x).__module__ == "numpy":
            name = f"numpy.{name}"
        raise OperandTypeError(f"argument 'other' must be Tensor, not {name}")


def lift(x, like: Tensor):
    """Turns an array operand into a Tensor on ``like``'s device (see check_operand)."""
    from ..factories import as_tensor  # noqa: PLC0415

    check_operand(x)
    return as_tensor(x, device=like.device)


def _promote(a, b, to_float: bool, unrounded: bool = False):
    """Casts the operands of a binary op to PyTorch's result type (scalars stay weak; for a
    bfloat16 tensor a number is rounded to bfloat16, as PyTorch's kernels do, unless
    ``unrounded``: mul and div keep it whole)."""
    if type(b) is float and type(a) is Tensor and a._data.dtype.kind == "f":
        return a, b  # the hot case: float tensor and Python float
    if isinstance(b, Tensor):
        if not isinstance(a, Tensor):
            return (
                _promote(b, a, to_float, unrounded)[::-1]
                if isinstance(a, (*_PY_SCALARS, np.generic))  # a number (bf16-rounded ones too)
                else _promote(lift(a, b), b, to_float)
            )
        da, db = a._data.dtype, b._data.dtype
        if da is db and (not to_float or da.kind in "fV"):
            return a, b
        ta, tb = _dtypes.from_numpy_dtype(da), _dtypes.from_numpy_dtype(db)
        dims, zeros = [], []
        (dims if a._data.ndim else zeros).append(ta)
        (dims if b._data.ndim else zeros).append(tb)
        rt = _dtypes.result_type(dims, zeros, [])
        if to_float and not rt.is_floating_point:
            rt = _dtypes.get_default_dtype()
        return (a if ta is rt else a.to(rt)), (b if tb is rt else b.to(rt))
    if isinstance(b, _PY_SCALARS) or isinstance(b, np.generic):
        b = parsed_number(b)
        if type(b) is int:
            check_scalar_int(b, a._data.dtype)
        kind = a._data.dtype.kind
        if kind == "V":  # bfloat16: numpy would give float32 for a Python number
            return a, b if unrounded else _BF16.type(float(b))  # (an int beyond int64 too)
        if kind != "f" and (type(b) is float or to_float):
            a = a.to(_dtypes.get_default_dtype())
        elif kind == "b" and type(b) is int:
            a = a.to(_dtypes.int64)
        elif kind in "iu" and type(b) is int:
            b = wrap_int(b, a._data.dtype)
        return a, b
    return _promote(a, lift(b, a), to_float)


def parsed_number(x):
    """A numpy scalar as PyTorch's argument parser reads it: the Python number of its kind
    (weak, as a Python number), a numpy bool a float; anything else as it is."""
    if isinstance(x, np.generic):
        return float(x) if isinstance(x, np.bool_) else x.item()
    return x


_INT_RANGES = {
    np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
    for t in (np.uint8, np.int8, np.int16, np.int32, np.int64, np.uint16, np.uint32, np.uint64)
}


def wrap_int(value: int, dtype: np.dtype) -> int:
    """An integer scalar cast to an integer tensor's dtype as PyTorch casts it, wrapping
    around (uint8 tensor + -1 adds 255, int8 tensor < 200 compares with -56); numpy 2
    refuses numbers out of the dtype's range."""
    lo, hi = _INT_RANGES[dtype]
    if lo <= value <= hi:
        return value
    check_int_scalar(value)
    return int(np.array(value, np.uint64 if value >= 2**63 else np.int64).astype(dtype))


def check_int_scalar(value: int) -> None:
    """PyTorch's OverflowError for a Python int that is no int64 or uint64 Scalar."""
    if not -(2**63) <= value < 2**64:
        raise OverflowError(
            "int too big to convert" if value > 0 else "can't convert negative int to unsigned"
        )


def check_scalar_int(value: int, dtype: np.dtype) -> None:
    """PyTorch's checks of a Python int beyond int64 given as a Scalar with a tensor of numpy
    ``dtype``: an OverflowError beyond uint64, and a uint64 promotes with no bool."""
    if not -(2**63) <= value < 2**63:
        check_int_scalar(value)
        if dtype.kind == "b":
            raise _dtypes.uint64_promotion_error("Bool", "UInt64")


def broadcast_error(op: str, a, b) -> RuntimeError | None:
    """PyTorch's error for operands whose shapes do not broadcast, naming ``op`` and both
    shapes; None when they do broadcast (the failure had another cause)."""
    sa, sb = _data(a).shape, _data(b).shape
    for i in range(1, min(len(sa), len(sb)) + 1):
        x, y = sa[-i], sb[-i]
        if x != y and x != 1 and y != 1:
            return RuntimeError(
                f"{op}: The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {max(len(sa), len(sb)) - i}; the shapes are "
                f"{list(sa)} and {list(sb)}"
            )
    return None


def _failed(op: str, a, b, e: ValueError) -> RuntimeError:
    """The error for a binary op whose numpy call raised ``e`` (the try/except sits in each
    op, not in a wrapper, to keep the hot path one call shorter)."""
    return broadcast_error(op, a, b) or RuntimeError(f"{op}: {e}")


def _check_alpha(input, other, alpha) -> None:
    """PyTorch refuses a float ``alpha`` when add/sub would run in an integer dtype, and a
    bool ``alpha`` unless it runs in bool."""
    is_bool = type(alpha) is bool
    if not (is_bool or isinstance(alpha, float)):
        return
    a, b = _promote(input, other, False)
    kind = (a if isinstance(a, Tensor) else b)._data.dtype.kind
    if is_bool and kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if not is_bool and kind in "biu":
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )


def add(input, other, *, alpha=1) -> Tensor:
    """Mirrors ``torch.add`` (``alpha`` scales ``other``)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = wrapped_number("add", input)
    if type(alpha) is not int:
        _check_alpha(input, other, alpha)
    if alpha != 1:
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            return _add_scaled("add", input, other, alpha)
        if type(other) is bool and getattr(input, "dtype", None) == _dtypes.bool_:  # an or
            other = bool(other and alpha)
        else:
            other = parsed_number(other) * alpha
    a, b = _promote(input, other, False)
    try:
        return Add.apply(a, b)
    except ValueError as e:
        raise _failed("add", a, b, e) from None


def wrapped_number(op: str, x) -> Tensor:
    """``x``, given as the ``input`` of add, sub, mul or div (and their aliases) with a number
    as ``other`` too: PyTorch's parser takes a number there as a 0-d tensor; anything else is
    its TypeError."""
    from ..factories import tensor  # noqa: PLC0415 (a rare path)

    if isinstance(x, (*_PY_SCALARS, np.generic)):
        return tensor(parsed_number(x))
    from .index import not_a_tensor  # noqa: PLC0415 (index imports this module)

    raise not_a_tensor(op, "input", 1, x)


def _add_scaled(op: str, input: Tensor, other: Tensor, alpha) -> Tensor:
    """input + alpha * other in the operands' result type, as one add/sub node."""
    a, b = _promote(input, other, False)
    dtype = a._data.dtype
    if dtype.kind in "iu" and type(alpha) is int:
        alpha = _integral_alpha(alpha, dtype)
    elif dtype.kind == "b":  # PyTorch takes alpha as a bool: a or (alpha and b)
        alpha = bool(alpha)
    try:
        return AddScaled.apply(a, b, alpha, "AddBackward0" if op == "add" else "SubBackward0")
    except ValueError as e:
        raise _failed(op, a, b, e) from None


def _integral_alpha(alpha: int, dtype) -> int:
    """alpha as the integer dtype holds it: PyTorch takes -max..max for unsigned types (a
    negative one wraps around) and raises beyond the range."""
    info = np.iinfo(dtype)
    low = -info.max if dtype.kind == "u" else info.min
    if not low <= alpha <= info.max:
        raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")
    return alpha % (info.max + 1) if alpha < 0 and dtype.kind == "u" else alpha


def refuse_bool_sub(input, other) -> None:
    """PyTorch's error for a subtraction with a bool operand."""
    da = input._data.dtype if isinstance(input, Tensor) else type(input)
    db = other._data.dtype if isinstance(other, Tensor) else type(other)
    bools = (da is _BOOL or da is bool) + (db is _BOOL or db is bool)
    if bools:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
            if bools == 2
            else "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def sub(input, other, *, alpha=1) -> Tensor:
    """Mirrors ``torch.sub``."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = wrapped_number("sub", input)
    refuse_bool_sub(input, other)
    if type(alpha) is not int:
        _check_alpha(input, other, alpha)
    if alpha != 1:
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            return _add_scaled("sub", input, other, -alpha)
        other = parsed_number(other) * alpha
    a, b = _promote(input, other, False)
    try:
        return Sub.apply(a, b)
    except ValueError as e:
        raise _failed("sub", a, b, e) from None


def _is_bool(x) -> bool:
    return type(x) is bool or (isinstance(x, Tensor) and x._data.dtype.kind == "b")


def refuse_bools(kernel: str, a, b) -> None:
    """PyTorch has no bool kernel for the integer arithmetic of two bools (//, %, fmod, **,
    <<, >>): it raises, where numpy would compute in int8."""
    if _is_bool(a) and _is_bool(b):
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def mul(input, other) -> Tensor:
    """Mirrors ``torch.mul``."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = wrapped_number("mul", input)
    a, b = _promote(input, other, False, True)
    try:
        return Mul.apply(a, b)
    except ValueError as e:
        raise _failed("mul", a, b, e) from None


def div(input, other, *, rounding_mode=None) -> Tensor:
    """Mirrors ``torch.div`` (true division; ``rounding_mode`` 'trunc' or 'floor')."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = wrapped_number("div", input)
    if rounding_mode is None:
        a, b = _promote(input, other, True, True)
        try:
            return Div.apply(a, b)
        except ValueError as e:
            raise _failed("div", a, b, e) from None
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    refuse_bools(f"div_{rounding_mode}_cpu", input, other)
    a, b = _promote(input, other, False)
    if not isinstance(a, Tensor):
        a = _scalar_like(b, a)
    divisor = b._data if isinstance(b, Tensor) else b
    host = np.isscalar(divisor) or on_host(divisor)  # a device divisor is not looked at
    if a._data.dtype.kind in "iu" and host and a._data.size and not np.all(divisor):
        raise RuntimeError("ZeroDivisionError")  # PyTorch's error for integer division by 0
    fn = _floor_divide if rounding_mode == "floor" else _trunc_divide
    try:
        return name_node(RoundedDivide.apply(a, b, fn), "DivBackward2")
    except ValueError as e:
        raise _failed("div", a, b, e) from None


def _floor_divide(x, y):
    """x / y rounded toward -inf with PyTorch's (and numpy's) rule for floats, written with
    ufuncs so that every device follows it (cupy's floor_divide is floor(x / y): inf, where
    PyTorch gives nan for inf // 0.75)."""
    if x.dtype.kind not in "fV":
        return np.floor_divide(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        mod = np.fmod(x, y)
        div = np.true_divide(x - mod, y)
        div -= (mod != 0) & ((y < 0) != (mod < 0))
        floor = np.floor(div)
        floor += (div - floor) > 0.5
        quotient = np.true_divide(x, y)
        floor = np.where(div != 0, floor, np.copysign(0.0, quotient))
        if not hasattr(y, "dtype"):  # a Python number (cupy's where takes no Python bool)
            return floor if y != 0 else quotient
        return np.where(y == 0, quotient, floor)


def _trunc_divide(x, y):
    """x / y rounded toward zero, exact for integers."""
    if x.dtype.kind in "fV":
        return np.trunc(np.true_divide(x, y))
    q = np.floor_divide(x, y)
    return q + ((q < 0) & (q * y != x))


def pow(input, exponent) -> Tensor:
    """Mirrors ``torch.pow``."""
    if isinstance(exponent, np.generic):
        exponent = parsed_number(exponent)
    if isinstance(exponent, Tensor):  # bool ** bool tensors; a Python exponent stays weak
        refuse_bools("pow", input, exponent)
    elif not isinstance(input, Tensor):  # torch.pow(2, 3): no overload takes two numbers
        raise TypeError(
            f"pow() received an invalid combination of arguments - got ({type(input).__name__}, "
            f"{type(exponent).__name__}), but expected one of:\n"
            " * (Tensor input, Tensor exponent, *, Tensor out = None)\n"
            " * (Number self, Tensor exponent, *, Tensor out = None)\n"
            " * (Tensor input, Number exponent, *, Tensor out = None)\n"
        )
    elif type(exponent) is int and exponent < 0 and input._data.dtype.kind in "iub":
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    elif type(exponent) is bool and input._data.dtype.kind == "b":  # x ** True is x, ** False 1
        return make_tensor(input._data | (not exponent))
    a, b = _promote(input, exponent, False)
    try:
        out = Pow.apply(a, b)
    except ValueError as e:
        if not (isinstance(b, Tensor) and "negative integer powers" in str(e)):
            raise _failed("pow", a, b, e) from None
        out = make_tensor(_integer_power(_data(a), b._data))
    if not isinstance(input, Tensor):  # PyTorch's result is contiguous here
        if not out._data.flags.c_contiguous:
            out._data = xp_of(out._data).ascontiguousarray(out._data)
        return name_node(out, "PowBackward2")
    return name_node(out, "PowBackward1") if isinstance(exponent, Tensor) else out


def _integer_power(base, exponent):
    """PyTorch's integer power by a tensor with negative exponents (numpy refuses them):
    1 ** -n is 1, (-1) ** -n is +-1, any other base ** -n is 0."""
    positive = np.power(base, np.maximum(exponent, 0))
    odd = (exponent % 2).astype(bool)
    negative = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
    return np.where(exponent < 0, negative, positive).astype(exponent.dtype)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.maximum``."""
    require_tensors("maximum", input, other)
    a, b = _promote(input, other, False)
    try:
        return Maximum.apply(a, b)
    except ValueError as e:
        raise _failed("maximum", a, b, e) from None


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.minimum``."""
    require_tensors("minimum", input, other)
    a, b = _promote(input, other, False)
    try:
        return Minimum.apply(a, b)
    except ValueError as e:
        raise _failed("minimum", a, b, e) from None


def where(condition, input=None, other=None) -> Tensor:
    """Mirrors ``torch.where(condition, input, other)``; scalars are allowed for either."""
    if input is None and other is None:
        from .index import nonzero  # noqa: PLC0415

        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        from ..factories import _type_name  # noqa: PLC0415 (error path only)

        got = ", ".join(_type_name(x) for x in (condition, input, other))
        raise TypeError(
            f"where() received an invalid combination of arguments - got ({got}), but expected "
            "one of:\n * (Tensor condition)\n * (Tensor condition, Tensor input, Tensor other, "
            "*, Tensor out = None)\n"
        )
    cond = _data(condition)
    if cond.dtype != np.bool_:
        if cond.dtype != np.uint8:  # PyTorch still takes uint8 (deprecated)
            raise RuntimeError(
                "where expected condition to be a boolean tensor, but got a tensor with dtype "
                f"{_dtypes.from_numpy_dtype(cond.dtype)}"
            )
        cond = cond.astype(bool)
    for v in (input, other):
        if type(v) is int:  # PyTorch's Scalar: an int64 or a uint64
            check_int_scalar(v)
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        dtype = (input if isinstance(input, Tensor) else other)._data.dtype
        if dtype.kind in "iu":  # a Python int must fit an integer tensor's dtype, as in PyTorch
            from .index import check_fill_value  # noqa: PLC0415

            input, other = (check_fill_value("", v, dtype) if type(v) is int else v for v in (input, other))  # fmt: skip
        a, b = _promote(input, other, False)
        if (a if isinstance(a, Tensor) else b)._data.dtype == np.float32:
            check_float32_scalar(input), check_float32_scalar(other)
    else:  # two scalars: PyTorch's dtype for them (float32 for floats, not numpy's float64)
        dt = _dtypes.result_type([], [], [input, other]).np
        if dt == np.float32:
            check_float32_scalar(input), check_float32_scalar(other)
        a, b = dt.type(input), dt.type(other)  # numpy scalars: any device takes them
    try:
        return Where.apply(make_tensor(cond), a, b)
    except ValueError as e:
        pairs = ((cond, a), (cond, b), (a, b))
        raise next(
            (err for x, y in pairs if (err := broadcast_error("where", x, y))),
            RuntimeError(f"where: {e}"),
        ) from None


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_float32_scalar(value) -> None:
    """PyTorch's error for a Python float beyond float32's range where a kernel converts a
    Scalar argument to float (clamp's bounds, where's value, lerp's weight)."""
    if type(value) is float and not -_FLOAT32_MAX <= value <= _FLOAT32_MAX and math.isfinite(value):
        raise RuntimeError("value cannot be converted to type float without overflow")


def _scalar_like(t: Tensor, value) -> Tensor:
    """A 0-d tensor holding ``value`` with ``t``'s dtype, on ``t``'s device."""
    with numpy_quiet():  # a number beyond the dtype's range is inf, silently
        return make_tensor(np.full_like(t._data, value, shape=()))


def _data(x):
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _floating(x: Tensor) -> Tensor:
    """Float-only math on an integer tensor runs in the default float dtype, as in PyTorch."""
    if not isinstance(x, Tensor):  # PyTorch's argument parser's words, the caller's name
        import sys  # noqa: PLC0415 (error path only)

        from ..factories import _type_name  # noqa: PLC0415

        name = sys._getframe(1).f_code.co_name.rstrip("_")  # (a factory's closure: no name)
        named = f"{name}(): " if name.isidentifier() and name != "op" else ""
        raise TypeError(f"{named}argument 'input' (position 1) must be Tensor, not {_type_name(x)}")  # fmt: skip
    return x if x._data.dtype.kind in "fV" else x.to(_dtypes.get_default_dtype())


def neg(input: Tensor) -> Tensor:
    """Mirrors ``torch.neg``."""
    if input._data.dtype.kind == "b":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return Neg.apply(input)


def exp(input: Tensor) -> Tensor:
    """Mirrors ``torch.exp``."""
    return Exp.apply(_floating(input))


def log(input: Tensor) -> Tensor:
    """Mirrors ``torch.log``."""
    return Log.apply(_floating(input))


def log1p(input: Tensor) -> Tensor:
    """Mirrors ``torch.log1p``."""
    return Log1p.apply(_floating(input))


def sqrt(input: Tensor) -> Tensor:
    """Mirrors ``torch.sqrt``."""
    return Sqrt.apply(_floating(input))


def rsqrt(input: Tensor) -> Tensor:
    """Mirrors ``torch.rsqrt``."""
    return Rsqrt.apply(_floating(input))


def reciprocal(input: Tensor) -> Tensor:
    """Mirrors ``torch.reciprocal``."""
    return Reciprocal.apply(_floating(input))


def abs(input: Tensor) -> Tensor:
    """Mirrors ``torch.abs`` (PyTorch has no bool kernel)."""
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return Abs.apply(input)


def sign(input: Tensor) -> Tensor:
    """Mirrors ``torch.sign``."""
    return Sign.apply(input)


def sin(input: Tensor) -> Tensor:
    """Mirrors ``torch.sin``."""
    return Sin.apply(_floating(input))


def cos(input: Tensor) -> Tensor:
    """Mirrors ``torch.cos``."""
    return Cos.apply(_floating(input))


def tanh(input: Tensor) -> Tensor:
    """Mirrors ``torch.tanh``."""
    return Tanh.apply(_floating(input))


def sigmoid(input: Tensor) -> Tensor:
    """Mirrors ``torch.sigmoid``."""
    return Sigmoid.apply(_floating(input))


def relu(input: Tensor) -> Tensor:
    """Mirrors ``torch.relu``."""
    return Relu.apply(input)


def clamp(input: Tensor, min=None, max=None) -> Tensor:
    """Mirrors ``torch.clamp`` (bounds may be numbers or tensors)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor) or not isinstance(input, Tensor):
        if not all(b is None or isinstance(b, Tensor) for b in (input, min, max)):
            if not isinstance(input, Tensor) or any(
                isinstance(b, Tensor) and (b._data.ndim or b.requires_grad) for b in (min, max)
            ):
                raise _clamp_overloads(input, min, max)
            # PyTorch's parser reads a 0-d tensor as a number: the overload of number bounds
            return clamp(input, *(b.item() if isinstance(b, Tensor) else b for b in (min, max)))
        # computed in the result type of all three (a tensor with dims wins in its category)
        operands = [t for t in (input, min, max) if t is not None]
        dims = [t.dtype for t in operands if t._data.ndim]
        rt = _dtypes.result_type(dims, [t.dtype for t in operands if not t._data.ndim], [])
        x, lo, hi = (t if t is None or t.dtype is rt else t.to(rt) for t in (input, min, max))
        if x._data.dtype == np.bool_ and lo is not None and hi is not None:  # (one bound: fine)
            raise NotImplementedError(f"\"clamp_{x.device.type}\" not implemented for 'Bool'")
        try:
            return ClampTensor.apply(x, lo, hi)
        except ValueError as e:
            raise _failed("clamp", x, lo if hi is None else hi, e) from None
    if isinstance(min, np.generic) or isinstance(max, np.generic):
        min, max = parsed_number(min), parsed_number(max)
    dtype = input._data.dtype
    if dtype.kind not in "fV" and (isinstance(min, float) or isinstance(max, float)):
        input = input.to(_dtypes.get_default_dtype())
    elif dtype.kind == "b":  # an integer bound promotes bools to int64; bools alone have no kernel
        if all(type(b) in (bool, type(None)) for b in (min, max)):
            kernel = "clamp_min" if max is None else "clamp_max" if min is None else "clamp"
            raise NotImplementedError(f"\"{kernel}_scalar_cpu\" not implemented for 'Bool'")
        input = input.to(_dtypes.int64)
    elif dtype.kind not in "fV" or dtype.itemsize == 2:  # bounds must fit the dtype, as in PyTorch
        from .index import check_fill_value  # noqa: PLC0415

        min, max = (check_fill_value("", b, dtype) for b in (min, max))  # (no op named)
    if input._data.dtype == np.float32:  # (an integer input computes in float32 too)
        check_float32_scalar(min), check_float32_scalar(max)
    return Clamp.apply(input, min, max)


def clip(input: Tensor, min=None, max=None) -> Tensor:
    """Mirrors ``torch.clip``: ``clamp``, named so in the errors of its overloads."""
    try:
        return clamp(input, min, max)
    except TypeError as e:
        raise TypeError(str(e).replace("clamp()", "clip()", 1)) from None


def _clamp_overloads(input, min, max) -> TypeError:
    """PyTorch's error for clamp's arguments that fit neither overload (tensor bounds or
    number bounds, of a tensor)."""
    from ..factories import _type_name  # noqa: PLC0415 (error path only)

    got = [_type_name(input)] + [_type_name(b) for b in (min,) if b is not None]
    got += [] if max is None else [("" if min is not None else "max=") + _type_name(max)]
    return TypeError(
        f"clamp() received an invalid combination of arguments - got ({', '.join(got)}), but "
        "expected one of:\n * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor "
        "out = None)\n * (Tensor input, Number min = None, Number max = None, *, Tensor out = "
        "None)\n"
    )


def to_dtype(input: Tensor, dtype) -> Tensor:
    """Differentiable dtype conversion (``Tensor.to(dtype)``); a no-op for the same dtype."""
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    if input._data.dtype == np_dtype:
        return input
    if np_dtype.kind not in "fcV" and input.requires_grad:
        input = input.detach()  # an integer or bool result carries no gradient (PyTorch's rule)
    return Cast.apply(input, np_dtype)


def clone(input: Tensor, *, memory_format=preserve_format) -> Tensor:
    """Mirrors ``torch.clone``: ``preserve_format`` keeps a dense input's strides,
    ``contiguous_format`` gives a C-ordered copy, ``channels_last`` an NHWC-ordered one."""
    name = getattr(memory_format, "name", "preserve_format")
    if name == "preserve_format":
        out = Clone.apply(input, preserve_format)
    elif name == "contiguous_format":
        out = Clone.apply(input, None)
    else:
        out = Clone.apply(input, format_order(name, input._data.ndim))
    if type(input._vc) is InferenceCell and not state.inference:
        out._vc = [1]  # PyTorch's clone copies into a normal tensor: that copy_ counts
    return out


class Rounding(Op):
    """floor, ceil, round, trunc, rounded division: piecewise constant, so zero gradient."""

    @staticmethod
    def forward(ctx, a, fn, args):
        if args and a.dtype in _dtypes.HALF_NP:  # PyTorch scales 16-bit floats in float32
            return fn(a.astype(np.float32), *args).astype(a.dtype)
        return fn(a, *args)

    @staticmethod
    def backward(ctx, g):
        return g * 0.0, None, None


class RoundedDivide(Op):
    """div with rounding_mode: piecewise constant, so zero gradients of both operands' shapes."""

    @staticmethod
    def forward(ctx, a, b, fn):
        ctx.shapes = (a.shape, np.shape(b))
        if fn is _floor_divide and a.dtype in _dtypes.HALF_NP:  # PyTorch floors 16-bit
            return fn(a.astype(np.float32), b).astype(a.dtype)  # floats in float32 (trunc:
        return fn(a, b)  # of the quotient rounded to 16 bits)

    @staticmethod
    def backward(ctx, g):
        zeros = [const(np.zeros_like(g._data, shape=s)) if need else None
                 for s, need in zip(ctx.shapes, ctx.needs_input_grad)]  # fmt: skip
        return zeros[0], zeros[1], None


def _round_with(input: Tensor, fn, name: str, args: tuple = ()) -> Tensor:
    kind = input._data.dtype.kind
    if kind == "b" or (args and kind not in "fV"):
        _refuse_rounding(f"{name}_cpu" if args else f"{name}_vml_cpu", input)
    if kind not in "fV":
        return make_tensor(input._data.copy())  # integers are already whole
    out = Rounding.apply(input, fn, args)  # PyTorch's FloorBackward0, RoundBackward1 (decimals)...
    return name_node(out, f"{name.capitalize()}Backward{1 if args else 0}")


def _refuse_rounding(kernel: str, input: Tensor):
    dtype = _dtypes.scalar_type_name(input._data.dtype)
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtype}'")


def _rounding(fn, name: str):
    def op(input: Tensor) -> Tensor:
        return _round_with(input, fn, name)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors ``torch.{name}`` (gradient zero)."
    return op


floor = _rounding(np.floor, "floor")
ceil = _rounding(np.ceil, "ceil")
trunc = _rounding(np.trunc, "trunc")


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:
    """Mirrors ``torch.round``: half to even, at ``decimals`` places (gradient zero; the
    node of the decimals overload, RoundBackward1, when ``decimals`` is given)."""
    if decimals == 0 and input._data.dtype.kind not in "fV":  # the decimals overload's kernel
        _refuse_rounding("round_vml_cpu", input)
    out = _round_with(input, np.round, "round", (decimals,) if decimals else ())
    return out if decimals is None else name_node(out, "RoundBackward1", input)


# ---- no gradient: comparisons, logic, tests ------------------------------------------------
_UNARY = object()


def require_tensors(name: str, *operands, names: tuple = ("input", "other")) -> None:
    """PyTorch's TypeError for a number where its signature takes only Tensors (the
    operands' parameter ``names``)."""
    for i, (what, value) in enumerate(zip(names, operands)):
        if not isinstance(value, Tensor):
            from ..factories import _type_name  # noqa: PLC0415 (error path only)

            raise TypeError(
                f"{name}(): argument '{what}' (position {i + 1}) must be Tensor, not "
                f"{_type_name(value)}"
            )


def _tensors_only(op):
    """``op`` refusing numbers as either operand, as PyTorch's Tensor-only signatures."""
    name = op.__name__

    def checked(input, other):
        require_tensors(name, input, other)
        return op(input, other)

    checked.__name__, checked.__doc__ = name, op.__doc__
    return checked


def _invalid_combination(name: str, input, other) -> TypeError:
    """PyTorch's TypeError for ``name(number, ...)`` where only ``other`` may be a number."""
    got = f"({type(input).__name__}, {type(other).__name__})"
    error = TypeError(
        f"{name}() received an invalid combination of arguments - got {got}, but expected one of:"
    )
    error.signature = True  # raised as is (not a missing dtype kernel)
    return error


def _tensor_input(name: str, input, other):
    """The array of ``input`` when it is a Tensor; a number there is PyTorch's TypeError."""
    if isinstance(input, Tensor):
        return input._data
    raise _invalid_combination(name, input, other)


def _nograd(fn, name: str, kernel: str | None = None, bools: bool = True, number_input=True):
    """``fn`` on arrays as an op without gradient; ``kernel``: PyTorch's name in its error
    for dtypes it has no kernel for (floats for bitwise ops), ``bools=False``: it refuses
    two bool operands; ``number_input=False``: a number as input is a TypeError (reflected
    operators call the op with one)."""

    def op(input, other=_UNARY):
        if not bools:
            refuse_bools(kernel, input, other)
        if other is not _UNARY and other is not None and not isinstance(other, OPERANDS):
            check_operand(other)
        try:
            if other is _UNARY:
                if not isinstance(input, Tensor):
                    from ..factories import _type_name  # noqa: PLC0415 (error path only)

                    raise TypeError(
                        f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{_type_name(input)}"
                    )
                return make_tensor(fn(input._data))
            if other is None:  # x == None is False, as in PyTorch (Python's fallback)
                return NotImplemented
            if not isinstance(other, Tensor):  # a number stays weak (numpy 2 keeps its kind)
                data = _tensor_input(name, input, other)
                if type(other) not in _PY_SCALARS:
                    other = parsed_number(other)
                if type(other) is int:
                    check_scalar_int(other, data.dtype)
                if type(other) is int and data.dtype.kind in "iu":
                    other = wrap_int(other, data.dtype)
                elif data.itemsize == 2 and data.dtype.kind in "fV":
                    with numpy_quiet():  # numpy's cast of a number beyond the range warns
                        return make_tensor(fn(data, other))
                return make_tensor(fn(data, other))
            if not isinstance(input, Tensor):
                if not number_input:
                    raise _invalid_combination(name, input, other)
                input = parsed_number(input)
                if type(input) is int and other._data.dtype.kind in "iu":
                    input = wrap_int(input, other._data.dtype)
                return make_tensor(fn(input, other._data))
            if input._data.dtype is not other._data.dtype:  # computed in PyTorch's result type
                input, other = _promote(input, other, False)
            return make_tensor(fn(input._data, other._data))
        except ValueError as e:
            raise (broadcast_error(name, input, other) or RuntimeError(f"{name}: {e}")) from None
        except TypeError as e:  # numpy has no loop for these dtypes (bitwise ops of floats)
            if kernel is None or hasattr(e, "signature"):
                raise
            operands = (input,) if other is _UNARY else _promote(input, other, False)
            dtype = next(x for x in operands if isinstance(x, Tensor))._data.dtype
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(dtype)}'"
            ) from None

    op.__name__ = name
    op.__doc__ = f"Mirrors ``torch.{name}`` (no gradient)."
    return op


eq = _nograd(np.equal, "eq", number_input=False)
ne = _nograd(np.not_equal, "ne", number_input=False)
lt = _nograd(np.less, "lt", number_input=False)
le = _nograd(np.less_equal, "le", number_input=False)
gt = _nograd(np.greater, "gt", number_input=False)
ge = _nograd(np.greater_equal, "ge", number_input=False)
logical_and = _tensors_only(_nograd(np.logical_and, "logical_and"))
logical_or = _tensors_only(_nograd(np.logical_or, "logical_or"))
logical_xor = _tensors_only(_nograd(np.logical_xor, "logical_xor"))
logical_not = _nograd(np.logical_not, "logical_not")
bitwise_and = _nograd(np.bitwise_and, "bitwise_and", "bitwise_and_cpu")
bitwise_or = _nograd(np.bitwise_or, "bitwise_or", "bitwise_or_cpu")
bitwise_xor = _nograd(np.bitwise_xor, "bitwise_xor", "bitwise_xor_cpu")
bitwise_not = _nograd(np.invert, "bitwise_not", "bitwise_not_cpu")
bitwise_left_shift = _nograd(np.left_shift, "bitwise_left_shift", "lshift_cpu", bools=False)
bitwise_right_shift = _nograd(np.right_shift, "bitwise_right_shift", "rshift_cpu", bools=False)


def _gcd(a, b):
    """PyTorch's calc_gcd: Euclid's algorithm on |a| and |b| in their dtype with C's
    remainder (C's abs leaves the most negative integer negative: gcd(63, -2**63) is -1)."""
    a, b = np.broadcast_arrays(a, b)
    dtype = np.result_type(a, b)
    if dtype.kind not in "iu":  # PyTorch's kernel error (empty operands too)
        raise TypeError("integers only")
    shape = a.shape
    a, b = np.abs(a.astype(dtype).ravel()), np.abs(b.astype(dtype).ravel())  # (1-D copies)
    while (nonzero := a != 0).any():
        a[nonzero], b[nonzero] = np.fmod(b[nonzero], a[nonzero]), a[nonzero]
    return b.reshape(shape)


def _lcm(a, b):
    """PyTorch's calc_lcm: |a / gcd * b|, 0 where the gcd is 0."""
    g = _gcd(a, b)
    return np.where(g == 0, 0, np.abs(a // np.where(g == 0, 1, g) * b)).astype(g.dtype)


gcd = _tensors_only(_nograd(_gcd, "gcd", "gcd_cpu"))
lcm = _tensors_only(_nograd(_lcm, "lcm", "lcm_cpu"))
isposinf = _nograd(lambda x: np.isinf(x) & (x > 0), "isposinf")
isneginf = _nograd(lambda x: np.isinf(x) & (x < 0), "isneginf")
isreal = _nograd(lambda x: np.ones_like(x, dtype=bool), "isreal")
isnan = _nograd(np.isnan, "isnan")
isinf = _nograd(np.isinf, "isinf")
isfinite = _nograd(np.isfinite, "isfinite")
