"""Cumulative ops along a dim: cumprod, cummax/cummin (values and indices), logcumsumexp.
Their backward passes are written with Tensor ops (cumprod and logcumsumexp use themselves),
so every order of gradient exists."""

from __future__ import annotations

import ml_dtypes
import numpy as np

from .._dtypes import scalar_type_name
from .._numpy_warnings import numpy_quiet
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, name_node
from ..autograd.grad_mode import is_grad_enabled
from ..backends import ascontiguous, to_backend, xp_of
from .elementwise import const, where
from .reduce import scan_input, wrap_dim
from .return_types import return_type
from .shape import cat

_cummax_result = return_type("cummax")
_cummin_result = return_type("cummin")


def _reverse_cumsum(x: Tensor, dim: int) -> Tensor:
    """sum_{k >= i} x_k along ``dim``."""
    return x.flip(dim).cumsum(dim).flip(dim)


class Cumprod(Op):
    """Gradient sum_{k >= i} g_k prod_{j <= k, j != i} x_j. Without zeros it is
    reverse_cumsum(g * out) / x. With zeros (z the first zero of a slice): i < z as before,
    i == z: sum_{k >= z} g_k cumprod(x with x_z = 1)_k, i > z: 0 - right in value but not
    in derivative, so under create_graph the O(n^2) form E_i sum_{k >= i} g_k C_ik
    (E the exclusive cumprod, C_ik = prod_{i < j <= k} x_j) is used instead."""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        if a.dtype.kind in "fV" and a.dtype != np.float64:  # PyTorch's CPU scan accumulates
            wide = np.float64 if a.dtype == np.float32 else np.float32  # float in double
            out = np.cumprod(a, axis=dim, dtype=wide).astype(a.dtype)
        else:  # in a's dtype: numpy's would be int64 for small integers
            out = np.cumprod(a, axis=dim, dtype=a.dtype)
        out = ascontiguous(out)  # PyTorch's scans give contiguous results
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        d = ctx.dim
        if x._data.size <= 1 or x.shape[d] == 1:  # PyTorch's cumprod_backward passes it on
            return g, None
        zero = x._data == 0
        if not zero.any():
            return _reverse_cumsum(g * out, d) / x, None
        if is_grad_enabled():
            return _cumprod_grad_quadratic(x, g, d), None
        seen = np.cumsum(zero, axis=d)  # zeros at or before each position
        first = const(zero & (seen == 1))
        before = const(seen == 0)
        safe = where(const(zero), 1.0, x)
        # PyTorch's: the product of the elements before the zero times the sum over k up to
        # the next zero (an inf before it times the sum, not a sum of infs; none past it)
        head = where(before, x, 1.0).prod(d, keepdim=True)
        run = const(seen == 1)
        after = where(run & ~first, x, 1.0).cumprod(d)
        at_first = head * _reverse_cumsum(where(run, g, 0.0) * after, d)
        # (the products past a zero left out: a NaN there reaches no element before it)
        prefix = _reverse_cumsum(where(before, g * out, 0.0), d) / safe
        grad = where(before, prefix, where(first, at_first, 0.0))
        return grad, None


def _cumprod_grad_quadratic(x: Tensor, g: Tensor, d: int) -> Tensor:
    """cumprod's gradient without division, differentiable at zeros: n^2 memory per slice."""
    x, g = x.movedim(d, -1), g.movedim(d, -1)
    n = x.shape[-1]
    ones = make_tensor(np.ones_like(x._data, shape=x.shape[:-1] + (1,)))
    exclusive = cat([ones, x.narrow(-1, 0, n - 1)], -1).cumprod(-1)
    i, j = np.indices((n, n), sparse=True)
    after = const(to_backend(j > i, x._data))  # C_ik = prod over i < j <= k
    c = where(after, x.unsqueeze(-2), 1.0).cumprod(-1)
    upper = const(to_backend((j >= i).astype(x._data.dtype), x._data))
    return (exclusive * (c * g.unsqueeze(-2) * upper).sum(-1)).movedim(-1, d)


def cumprod(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Mirrors ``torch.cumprod`` (integers accumulate in int64, as in PyTorch)."""
    d = wrap_dim(dim, input._data.ndim)  # checked first, as PyTorch does
    input = scan_input(input, dtype, "cumprod_out_cpu")
    if dtype is None and input._data.dtype.kind in "biu":
        input = input.long()
    if input._data.ndim == 0:
        return name_node(input.clone(), "CumprodBackward0", input)
    return Cumprod.apply(input, d)


def _accumulate(ufunc, x, axis: int):
    """``ufunc.accumulate(x, axis)`` (an associative ufunc) on any device: cupy accumulates
    only add and multiply, so device arrays take log2(n) whole-array passes instead
    (Hillis-Steele: each pass combines every element with the one ``k`` before it)."""
    if type(x) is np.ndarray:
        return ufunc.accumulate(x, axis=axis)
    out, n, k = x.copy(), x.shape[axis], 1
    lead = (slice(None),) * axis
    while k < n:
        out[lead + (slice(k, None),)] = ufunc(
            out[lead + (slice(k, None),)], out[lead + (slice(0, n - k),)]
        )
        k *= 2
    return out


def _cumulative_extreme(input: Tensor, dim: int, largest: bool, result):
    """Running max/min along ``dim`` and where it was found (the last of ties; a NaN, once
    seen, is the extreme from then on, as in PyTorch). Values are gathered: differentiable."""
    x = input._data
    if x.ndim == 0:
        if dim not in (0, -1):
            raise IndexError(
                f"cum{'max' if largest else 'min'}(): Expected reduction dim -1 or 0 for scalar "
                f"but got {dim}"
            )
        idx = make_tensor(np.zeros_like(x, np.int64, shape=()))
        value = input.gather(0, idx)  # it saves input, as PyTorch's
        return result(name_node(value, f"Cum{'max' if largest else 'min'}Backward0", input), idx)
    d = wrap_dim(dim, x.ndim) if x.size else 0  # PyTorch checks no dim of an empty input
    with numpy_quiet():  # (NaNs compared silently, as in PyTorch)
        running = _accumulate(np.fmax if largest else np.fmin, x, d)  # NaNs skipped here
    if x.dtype.kind in "fV":
        nan = np.isnan(x)
        seen_nan = _accumulate(np.logical_or, nan, d)
        hit = nan | (~seen_nan & (x == running))
    else:
        hit = x == running
    positions = xp_of(x).arange(x.shape[d]).reshape((-1,) + (1,) * (x.ndim - 1 - d))
    idx = _accumulate(np.maximum, np.where(hit, positions, 0), d).astype(np.int64)
    idx = make_tensor(ascontiguous(idx))  # contiguous whatever the input's layout, as PyTorch's
    name = "CummaxBackward0" if largest else "CumminBackward0"
    return result(name_node(input.gather(d, idx), name), idx)


def cummax(input: Tensor, dim: int):
    """Mirrors ``torch.cummax``: (values, indices) of the running maximum along ``dim``."""
    return _cumulative_extreme(input, dim, True, _cummax_result)


def cummin(input: Tensor, dim: int):
    """Mirrors ``torch.cummin``: (values, indices) of the running minimum along ``dim``."""
    return _cumulative_extreme(input, dim, False, _cummin_result)


class LogCumSumExp(Op):
    """log(cumsum(exp(x))), computed without overflow by np.logaddexp.accumulate. Gradient
    sum_{k >= i} g_k exp(x_i - out_k), split by the sign of g and done in log space
    (the formula of TensorFlow and PyTorch), so nothing overflows there either."""

    torch_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        x = a  # PyTorch's CPU scan accumulates float32 in double, float16 in float
        if a.dtype != np.float64:
            x = a.astype(np.float64 if a.dtype == np.float32 else np.float32)
        out = _accumulate(np.logaddexp, x, dim).astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        d = ctx.dim
        lowest = float(ml_dtypes.finfo(x._data.dtype).min) / 4  # log(0), finite; no overflow below
        grad = 0.0
        for sign in (1.0, -1.0):
            part = const(g._data * sign > 0)
            log_g = where(part, where(part, g * sign, 1.0).log(), lowest)
            term = (LogCumSumExp.apply((log_g - out).flip(d), d).flip(d) + x).exp()
            grad = grad + term * sign
        return grad, None

    @staticmethod
    def jvp(ctx, t, _dim):
        """PyTorch's logcumsumexp_jvp: cumsum(t e^(x-m)) / cumsum(e^(x-m)), m the max along
        dim (the backward's log-space split is not differentiable in its gradient at 0)."""
        x, _ = ctx.saved_tensors
        d = ctx.dim
        e = (x - x.amax(d, keepdim=True)).exp() if x.numel() else x.exp()
        return (t * e).cumsum(d) / e.cumsum(d)


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """Mirrors ``torch.logcumsumexp``: log(cumsum(exp(input))) along ``dim``, stably."""
    d = wrap_dim(dim, input._data.ndim)  # checked first, as PyTorch does
    if input._data.dtype.kind not in "fV":
        kind = scalar_type_name(input._data.dtype)  # PyTorch has no such kernel
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{kind}'")
    if input._data.ndim == 0:
        return name_node(input.clone(), "LogcumsumexpBackward0", input)
    return LogCumSumExp.apply(input, d)
