"""Neural-network primitives that deserve their own op: softmax and log_softmax (one
stable pass each, backward from the saved output)."""

from __future__ import annotations

import warnings

import numpy as np

from .._dtypes import HALF_NP, scalar_type_name
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..autograd.grad_mode import state
from ..backends import ascontiguous, fused
from .reduce import wrap_dim


def _wide(a):
    """float16 and bfloat16 are computed in float32 and rounded once, as PyTorch does."""
    return a.astype(np.float32) if a.dtype in HALF_NP else a


def _lastdim_rounded(v, a, axis):
    """PyTorch's log_softmax over the last dim of a float16/bfloat16 tensor keeps the sum of
    exponentials and its log in the input's dtype (its other dims stay in float32)."""
    if a.dtype in HALF_NP and (axis is None or axis == a.ndim - 1):
        return v.astype(a.dtype).astype(np.float32)
    return v


def _kernel(a, dim: int, name: str):
    """The backend's fused kernel for a softmax over the last dim, or None (and for an empty
    array, which the kernels' rows do not take)."""
    return fused(a, name) if dim == a.ndim - 1 and a.size else None


def _fused_backward(ctx, y: Tensor, g: Tensor, log: bool):
    """The first-order gradient by the backend's fused kernel, or None (no kernel, or a
    graph of the backward is being built)."""
    kernel = None if state.enabled else _kernel(y._data, ctx.dim, "softmax_backward")
    return None if kernel is None else make_tensor(kernel(y._data, g._data, log))


def _forward(a, dim: int, log: bool):
    """softmax (or log_softmax) of array ``a`` along ``dim`` in one stable pass."""
    kernel = _kernel(a, dim, "softmax")
    if kernel is not None:
        return kernel(a, log)
    if a.size == 0:  # numpy's max of an empty dim has no identity
        return a.copy()
    # contiguous, as PyTorch's; cupy has no axis 0 of a 0-d array
    x, axis = ascontiguous(_wide(a)), dim if a.ndim else None
    shifted = x - x.max(axis=axis, keepdims=True)
    if log:
        lse = np.log(_lastdim_rounded(np.exp(shifted).sum(axis=axis, keepdims=True), a, axis))
        out = shifted - _lastdim_rounded(lse, a, axis)
    else:  # PyTorch's CPU kernel multiplies by 1/sum over the last dim, divides otherwise
        e = np.exp(shifted)
        total = e.sum(axis=axis, keepdims=True)
        out = e * np.reciprocal(total) if axis is None or axis == x.ndim - 1 else e / total
    return out.astype(a.dtype, copy=False)


class Softmax(Op):
    @staticmethod
    def forward(ctx, a, dim):
        out = _forward(a, dim, False)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        gx = _fused_backward(ctx, y, g, False)
        if gx is None:
            gy = g * y
            gx = gy - y * gy.sum(ctx.dim, keepdim=True)
        return gx, None


class LogSoftmax(Op):
    @staticmethod
    def forward(ctx, a, dim):
        out = _forward(a, dim, True)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        gx = _fused_backward(ctx, y, g, True)
        if gx is None:
            gx = g - y.exp() * g.sum(ctx.dim, keepdim=True)
        return gx, None


def implicit_softmax_dim(name: str, ndim: int, stacklevel: int = 4) -> int:
    """PyTorch's legacy dim for a softmax called without one, with its deprecation warning
    (``stacklevel`` as PyTorch's ``_stacklevel``: 3 points at the caller of the caller)."""
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _prepare(input: Tensor, dim, dtype, name: str):
    if dim is None:
        dim = implicit_softmax_dim(name, input._data.ndim)
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind not in "fV" and input._data.size:  # PyTorch's kernel lookup
        last = "_lastdim" if wrap_dim(dim, input._data.ndim) == max(input._data.ndim - 1, 0) else ""
        raise NotImplementedError(
            f'"{name}{last}_kernel_impl" not implemented for '
            f"'{scalar_type_name(input._data.dtype)}'"
        )
    return input, wrap_dim(dim, input._data.ndim)


def softmax(input: Tensor, dim=None, dtype=None) -> Tensor:
    """Mirrors ``torch.softmax``."""
    input, d = _prepare(input, dim, dtype, "softmax")
    return Softmax.apply(input, d)


def log_softmax(input: Tensor, dim=None, dtype=None) -> Tensor:
    """Mirrors ``torch.log_softmax``."""
    input, d = _prepare(input, dim, dtype, "log_softmax")
    return LogSoftmax.apply(input, d)
