"""Normalization as one fused op: layer_norm, batch_norm (training), group_norm and rms_norm
all normalise over some axes, then scale and shift.

The op's forward and usual backward run on raw arrays (a few passes over the input, no
graph of intermediate tensors). When a graph of the backward is asked for
(``create_graph=True``), backward instead differentiates the same formula written with
Tensor ops, so higher-order gradients are exact.
"""

from __future__ import annotations

import math

import numpy as np

from .._dtypes import BF16_NP, HALF_NP
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, edges_at
from ..autograd.grad_mode import state
from ..backends import fused, ones_vector
from .reduce import mean_blas, sum_array
from .reference_grads import reference_grads

_BLAS_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def sum_to_shape(a, shape: tuple):
    """Sums a raw array down to a broadcastable ``shape`` (the adjoint of broadcasting)."""
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and a.shape[lead + i] != 1
    )
    return sum_array(a, axes).reshape(shape) if axes else a


def _rows_layout(x, w, b, axes: tuple) -> bool:
    """Whether the statistics can run on a 2-D (rows, features) view: the normalised axes
    are the trailing ones and the parameters are shaped like them (layer/rms/group norm)."""
    k = len(axes)
    feat = x.shape[x.ndim - k :]
    return axes == tuple(range(x.ndim - k, x.ndim)) and all(
        p is None or p.shape == feat for p in (w, b)
    )


def _mean(a, axes, rows: bool):
    """Mean over the normalised axes, kept as a broadcastable dim. On rows it is a
    matrix-vector product, several times faster than numpy's reduction of short rows."""
    if rows:
        n = a.shape[1]
        return np.matmul(a, np.full_like(a, 1.0 / n, shape=(n,))).reshape(-1, 1)
    return mean_blas(a, axes, True)


def _dot_mean(a, b, axes, rows: bool):
    """mean(a * b) over the normalised axes, without a temporary on rows (a batched BLAS
    dot: einsum's single running sum loses float32 digits on long rows)."""
    if rows:
        return np.matmul(a[:, None, :], b[:, :, None]).reshape(-1, 1) * (1.0 / a.shape[1])
    return mean_blas(np.multiply(a, b), axes, True)


class Normalize(Op):
    """y = (x - mean) / sqrt(var + eps) * w + b over ``axes`` (biased variance); without
    ``center`` no mean is subtracted and var is the mean square (RMS norm). ``w`` and ``b``
    (optional) are shaped like the normalised trailing axes (layer/rms/group norm), or hold
    one value per channel (dim 1) when the axes are all the others (batch norm). ``stats``,
    when a list, receives (mean, var) arrays.
    ``stats_dtype``: the dtype the mean and 1/std are rounded to before they normalise
    (PyTorch's batch_norm keeps them in its 16-bit parameters' dtype; in bfloat16 it rounds
    the sum of squares and the variance too, and gives the rounded mean to ``stats``), or
    None."""

    _torch_edges = edges_at(0, 1, 2)  # PyTorch's native norms: (input, weight, bias)

    @staticmethod
    def forward(ctx, x, w, b, axes, eps, center, stats, stats_dtype=None):
        inputs = (x, w, b)
        narrow = x.dtype in HALF_NP  # PyTorch computes in float32 and rounds once
        if narrow:
            x, w, b = (None if a is None else a.astype(np.float32) for a in inputs)
        rows = x.size > 0 and _rows_layout(x, w, b, axes)  # (an empty x may have no features)
        channels = not rows and _per_channel(x, axes)
        if not rows:
            if channels:  # per-channel parameters, as (C, 1, ..., 1)
                w, b = (None if p is None else p.reshape(_channel_shape(x)) for p in (w, b))
            ctx.param_shape = next((p.shape for p in (w, b) if p is not None), None)
            if channels and center and stats_dtype is None and _channels_layout(x):
                y, xc, rstd = _channels_forward(x, w, b, eps, stats)
                ctx.args = (axes, eps, center, "channels")
                ctx.save_for_backward(*inputs, xc, rstd)  # xc: x - mean, as (N, C, rest)
                return y.reshape(x.shape).astype(inputs[0].dtype, copy=False)
        xv, wv, bv = x, w, b
        if rows:  # (rows, features) views; parameters flattened to (features,)
            n = math.prod(x.shape[x.ndim - len(axes) :])
            xv = x.reshape(-1, n)
            wv = None if w is None else w.reshape(n)
            bv = None if b is None else b.reshape(n)
        kernel = fused(x, "layer_norm") if rows and center and stats is None else None
        if kernel is not None and all(p is None or p.dtype == x.dtype for p in (w, b)):
            y, xhat, rstd = kernel(xv, wv, bv, eps)  # the same y, xhat, rstd in one pass
            ctx.args = (axes, eps, center, rows)
            ctx.save_for_backward(*inputs, xhat, rstd)
            return y.reshape(x.shape).astype(inputs[0].dtype, copy=False)
        if center:
            mean = _mean(xv, axes, rows)
            xc = xv - mean
        else:
            mean, xc = None, xv
        var = _dot_mean(xc, xc, axes, rows)
        if stats_dtype == BF16_NP:  # the sum of squares and the variance rounded too
            count = xv.size // var.size
            squares = rounded(var * count, stats_dtype)
            var = squares / count  # for the running variance
            var_used = rounded(squares / rounded(count, stats_dtype), stats_dtype)
        else:
            var_used = var
        if stats is not None:
            stats.append((mean if stats_dtype != BF16_NP else rounded(mean, BF16_NP), var))
        rstd = _inv_std(var_used, eps) if channels else 1.0 / np.sqrt(var_used + eps)
        if stats_dtype is not None:  # the mean and 1/std that normalise, rounded
            xc = xv - rounded(mean, stats_dtype)
            rstd = rounded(rstd, stats_dtype)
        xhat = np.multiply(xc, rstd, out=xc) if center else xc * rstd
        if wv is not None:
            y = xhat * wv
            if bv is not None:
                np.add(y, bv, out=y)
        else:  # never y itself: an in-place op on the output must not change the saved xhat
            y = xhat + bv if bv is not None else xhat.copy()
        ctx.args = (axes, eps, center, rows)
        ctx.save_for_backward(*inputs, xhat, rstd)  # xhat, rstd: only for the raw path
        if not rows and not x.flags.c_contiguous:  # (batch norm) the input's layout kept
            out = np.empty_like(inputs[0])
            np.copyto(out, y, casting="unsafe")
            return out
        return y.reshape(x.shape).astype(inputs[0].dtype, copy=False)

    @staticmethod
    def backward(ctx, gy):
        x, w, b, xhat, rstd = ctx.saved_tensors
        axes, eps, center, rows = ctx.args
        needs = ctx.needs_input_grad[:3]
        if state.enabled:
            reference = lambda x, w, b: normalize_reference(x, w, b, axes, eps, center)  # noqa: E731
            return reference_grads(reference, (x, w, b), needs, gy) + (None,) * 5
        if rows == "channels":
            grads = _channels_backward(gy._data, xhat._data, rstd._data, w, needs)
            wrap = [_as_grad(a, t) for a, t in zip(grads, (x, w, b))]
            return (*wrap, None, None, None, None, None)
        xh, r = xhat._data, rstd._data
        g = gy._data.reshape(xh.shape).astype(xh.dtype, copy=False)
        gx = gw = gb = None
        kernel = fused(xh, "layer_norm_backward") if rows and center and needs[0] else None
        if kernel is None and rows and xh.dtype in _BLAS_DTYPES:
            wv = None if w is None else w._data.reshape(-1).astype(xh.dtype, copy=False)
            grads = _rows_backward(g, xh, r, wv, needs, center)
            wrap = [_as_grad(a, t) for a, t in zip(grads, (x, w, b))]
            return (*wrap, None, None, None, None, None)
        if kernel is not None:
            wv = None if w is None else w._data.reshape(-1).astype(xh.dtype, copy=False)
            gx = _as_grad(kernel(g, xh, r, wv), x)
        elif needs[0]:
            wv = None if w is None else w._data.astype(xh.dtype, copy=False)
            gxhat = (
                g * wv.reshape(xh.shape[1:] if rows else ctx.param_shape) if w is not None else g
            )
            gx = xh * _dot_mean(gxhat, xh, axes, rows)
            np.subtract(gxhat, gx, out=gx)
            if center:
                gx -= _mean(gxhat, axes, rows)
            gx = _as_grad(np.multiply(gx, r, out=gx), x)
        if needs[1]:
            gw = g * xh
            gw = _as_grad(sum_array(gw, (0,)) if rows else sum_to_shape(gw, ctx.param_shape), w)
        if needs[2]:
            gb = _as_grad(sum_array(g, (0,)) if rows else sum_to_shape(g, ctx.param_shape), b)
        return gx, gw, gb, None, None, None, None, None


def rounded(a, dtype):
    """A float32 array (of any device, or a number) rounded to ``dtype`` and back."""
    a = a.astype(np.float32, copy=False) if hasattr(a, "astype") else np.float32(a)
    return a.astype(dtype).astype(np.float32)


def _as_grad(a, like: Tensor):
    """A raw gradient as the gradient of ``like``: its shape and dtype (float16 and bfloat16
    inputs' gradients are computed in float32)."""
    if a is None:
        return None
    if a.shape != like._data.shape:
        a = a.reshape(like._data.shape)
    return make_tensor(a.astype(like._data.dtype, copy=False))


def _rows_backward(g, xh, rstd, w, needs, center: bool) -> tuple:
    """The raw-array gradients of Normalize over (rows, features) arrays: every reduction is
    a matrix-vector product (BLAS), and the one product g * xhat serves both the weight's
    gradient and the input's."""
    n = xh.shape[1]
    gxh = np.multiply(g, xh) if needs[0] or needs[1] else None
    ones = ones_vector(xh, xh.shape[0])
    gw = np.matmul(ones, gxh) if needs[1] else None
    gb = np.matmul(ones, g) if needs[2] else None
    gx = None
    if needs[0]:  # gx = rstd * (gxhat - xhat * mean(gxhat * xhat) - mean(gxhat)), gxhat = g * w
        per_row = np.full_like(xh, 1.0 / n, shape=(n,)) if w is None else w * (1.0 / n)
        dot = np.matmul(gxh, per_row).reshape(-1, 1)
        gx = g * w if w is not None else g.copy()
        gx -= np.multiply(xh, dot, out=gxh)
        if center:
            gx -= np.matmul(g, per_row).reshape(-1, 1)
        gx *= rstd
    return gx, gw, gb


def _channel_shape(x) -> tuple:
    """The shape per-channel parameters broadcast in against an (N, C, *) array."""
    return (x.shape[1],) + (1,) * (x.ndim - 2)


def _per_channel(x, axes: tuple) -> bool:
    """Whether ``axes`` are all of x's but dim 1 (batch norm's): the parameters then hold one
    value per channel."""
    return x.ndim >= 2 and axes == (0, *range(2, x.ndim))


def _channels_layout(x) -> bool:
    """Whether batch norm's statistics can run on an (N, C, rest) view of x, float32 or
    float64 and C-contiguous."""
    return x.size > 0 and x.dtype in _BLAS_DTYPES and x.flags.c_contiguous


def _channel_sum(a):
    """The per-channel sums of an (N, C, rest) array, as (1, C, 1)."""
    return sum_array(a, (0, 2), True)


def _channel_dot(a, b):
    """The per-channel sums of a * b of two (N, C, rest) arrays, as (1, C, 1): on long rows
    one BLAS dot per (n, c) row, with no temporary product."""
    if a.shape[2] >= 64:
        return np.matmul(a[:, :, None, :], b[:, :, :, None]).sum(0).reshape(1, -1, 1)
    return _channel_sum(np.multiply(a, b))


def _inv_std(var, eps: float):
    """1 / sqrt(var + eps), but 0 where var and eps are both 0 (PyTorch's batch norm InvStd:
    instance_norm's eps=0 on a constant channel gives 0, not NaN)."""
    rstd = 1.0 / np.sqrt(var + eps)
    return rstd if eps else np.where(var == 0, rstd.dtype.type(0), rstd)


def _channels_forward(x, w, b, eps: float, stats):
    """Batch norm's forward on an (N, C, rest) view: (y, x - mean, 1/std), the statistics
    per channel."""
    x3 = x.reshape(x.shape[0], x.shape[1], -1)
    count = x3.shape[0] * x3.shape[2]
    mean = _channel_sum(x3)
    mean *= 1.0 / count
    xc = x3 - mean
    var = _channel_dot(xc, xc)
    var *= 1.0 / count
    if stats is not None:
        stats.append((mean, var))
    rstd = _inv_std(var, eps)
    y = np.multiply(xc, rstd if w is None else rstd * w.reshape(rstd.shape))
    if b is not None:
        y += b.reshape(rstd.shape)
    return y, xc, rstd


def _channels_backward(g, xc, rstd, w: Tensor | None, needs) -> tuple:
    """The raw gradients of ``_channels_forward`` (xc: x - mean as (N, C, rest)): with
    xhat = xc * rstd, gx = w * rstd * (g - mean(g) - xhat * mean(g * xhat)) per channel."""
    g = g.reshape(xc.shape).astype(xc.dtype, copy=False)
    count = xc.shape[0] * xc.shape[2]
    g_sum = _channel_sum(g)
    gx_dot = _channel_dot(g, xc) if needs[0] or needs[1] else None
    gx = gw = None
    if needs[0]:
        scale = rstd if w is None else rstd * w._data.reshape(rstd.shape).astype(xc.dtype)
        gx = np.subtract(g, g_sum * (1.0 / count))
        gx -= np.multiply(xc, rstd * rstd * gx_dot * (1.0 / count))
        gx *= scale
    if needs[1]:
        gw = gx_dot * rstd
    return gx, gw, g_sum if needs[2] else None


def normalize_reference(x: Tensor, w, b, axes: tuple, eps: float, center: bool) -> Tensor:
    """Normalize written with Tensor ops: what higher-order gradients differentiate."""
    if center:
        x = x - x.mean(axes, keepdim=True)
    y = x * ((x * x).mean(axes, keepdim=True) + eps).rsqrt()
    if _per_channel(x, axes):
        w, b = (None if p is None else p.reshape(_channel_shape(x)) for p in (w, b))
    if w is not None:
        y = y * w
    return y + b if b is not None else y


def normalize(
    input: Tensor, weight, bias, axes: tuple, eps: float, center: bool = True, stats=None,
    stats_dtype=None,
) -> Tensor:  # fmt: skip
    """Runs the fused Normalize op (see its docstring)."""
    return Normalize.apply(input, weight, bias, axes, eps, center, stats, stats_dtype)


__all__ = ["Normalize", "normalize", "normalize_reference"]
