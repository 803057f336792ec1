"""Normalization as one fused op: layer_norm, batch_norm (training), group_norm and rms_norm
all normalise over some axes, then scale and shift.

The op's forward and usual backward run on raw arrays (a few passes over the input, no
graph of intermediate tensors). When a graph of the backward is asked for
(``create_graph=True``), backward instead differentiates the same formula written with
Tensor ops, so higher-order gradients are exact.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.engine import grad
from ..autograd.function import Op
from ..autograd.grad_mode import state


def sum_to_shape(a, shape: tuple):
    """Sums a raw array down to a broadcastable ``shape`` (the adjoint of broadcasting)."""
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and a.shape[lead + i] != 1
    )
    return a.sum(axis=axes).reshape(shape) if axes else a


class Normalize(Op):
    """y = (x - mean) / sqrt(var + eps) * w + b over ``axes`` (biased variance); without
    ``center`` no mean is subtracted and var is the mean square (RMS norm). ``w`` and ``b``
    (optional) broadcast against x. ``stats``, when a list, receives (mean, var) arrays."""

    @staticmethod
    def forward(ctx, x, w, b, axes, eps, center, stats):
        if center:
            mean = x.mean(axis=axes, keepdims=True)
            xc = x - mean
        else:
            mean, xc = None, x
        var = np.square(xc).mean(axis=axes, keepdims=True)
        if stats is not None:
            stats.append((mean, var))
        rstd = 1.0 / np.sqrt(var + eps)
        xhat = np.multiply(xc, rstd, out=xc) if center else xc * rstd
        y = xhat
        if w is not None:
            y = xhat * w
        if b is not None:
            y = np.add(y, b, out=y) if y is not xhat else xhat + b
        ctx.args = (axes, eps, center)
        ctx.save_for_backward(x, w, b, xhat, rstd)  # xhat, rstd: only for the raw path
        return y

    @staticmethod
    def backward(ctx, gy):
        x, w, b, xhat, rstd = ctx.saved_tensors
        axes, eps, center = ctx.args
        needs = ctx.needs_input_grad[:3]
        if state.enabled:
            return _graph_grads(gy, (x, w, b), needs, axes, eps, center) + (None,) * 4
        g = gy._data
        xh, r = xhat._data, rstd._data
        gx = gw = gb = None
        if needs[0]:
            gxhat = g * w._data if w is not None else g
            proj = np.multiply(gxhat, xh).mean(axis=axes, keepdims=True)
            gx = gxhat - xh * proj
            if center:
                gx -= gxhat.mean(axis=axes, keepdims=True)
            gx = make_tensor(np.multiply(gx, r, out=gx))
        if needs[1]:
            gw = make_tensor(sum_to_shape(g * xh, w.shape))
        if needs[2]:
            gb = make_tensor(sum_to_shape(g, b.shape))
        return gx, gw, gb, None, None, None, None


def normalize_reference(x: Tensor, w, b, axes: tuple, eps: float, center: bool) -> Tensor:
    """Normalize written with Tensor ops: what higher-order gradients differentiate."""
    if center:
        x = x - x.mean(axes, keepdim=True)
    y = x * ((x * x).mean(axes, keepdim=True) + eps).rsqrt()
    if w is not None:
        y = y * w
    return y + b if b is not None else y


def _graph_grads(gy: Tensor, inputs: tuple, needs, axes, eps, center) -> tuple:
    wanted = [t for t, n in zip(inputs, needs) if n]
    grads = iter(
        grad(normalize_reference(*inputs, axes, eps, center), wanted, gy, create_graph=True)
    )
    return tuple(next(grads) if n else None for n in needs)


def normalize(
    input: Tensor, weight, bias, axes: tuple, eps: float, center: bool = True, stats=None
) -> Tensor:
    """Runs the fused Normalize op (see its docstring)."""
    return Normalize.apply(input, weight, bias, axes, eps, center, stats)


__all__ = ["Normalize", "normalize", "normalize_reference"]
