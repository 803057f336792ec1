"""Scaled dot-product attention as one fused op: softmax(q k^T * scale + mask) v, with an
optional dropout of the attention weights.

One op instead of seven (matmul, scale, mask, softmax, dropout, matmul and their
backwards) saves the per-op overhead and the passes over the (..., L, S) score matrix; the
softmax runs in place. Rows whose every position is masked give zeros, as PyTorch's math
path does. When a graph of the backward is asked for (``create_graph=True``), backward
differentiates the same computation written with Tensor ops, so higher-order gradients are
exact.
"""

from __future__ import annotations

import numpy as np

from .._dtypes import HALF_NP
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, name_node
from ..autograd.grad_mode import state
from ..backends import ascontiguous, fused, on_host
from ..backends.numpy_backend import astype
from .elementwise import const
from .index import masked_fill
from .linalg import matmul_arrays
from .nn import softmax
from .norm import sum_to_shape
from .reduce import sum_array
from .reference_grads import reference_grads
from .shape import address

_F32 = np.dtype(np.float32)


def scores_dtype(dtype):
    """The dtype the softmax runs in: float32 for 16-bit float inputs (as fused kernels do)."""
    return _F32 if dtype in HALF_NP else dtype


def _softmax_rows(q, kt, mask):
    """softmax(q @ kt + mask) over the last axis, computed in place in a fresh array; rows
    with nothing to attend to give zeros.

    A backend's fused softmax runs when there is one (one pass, no host sync). Otherwise
    every row is shifted by one number, the largest score (softmax does not change when a
    row is shifted), and the shift is folded into a small mask, so masking and shifting
    take one pass. If a row's sum then leaves float32's normal range (its scores lie far
    below the largest, or it is fully masked), the exact row-maximum path runs."""
    s = _scores(q, kt)
    if s.size == 0:  # no queries or no keys: nothing to normalise (the output is zeros)
        return s
    kernel = fused(s, "softmax")
    if kernel is not None:
        s = _add_mask(s, mask)
        p = kernel(s)
        if mask is not None:  # the kernel gives NaN for a fully masked row
            p = np.where((s == -np.inf).all(axis=-1, keepdims=True), 0, p)
        return p
    m = s.max()
    if on_host(m) and np.isfinite(m):  # a device takes the exact path: no sync
        if mask is None:
            s -= m
        elif mask.size < s.size:
            s = _add_mask(s, mask - m)
        else:
            s = _add_mask(s, mask)
            s -= m
        np.exp(s, out=s)
        total = sum_array(s, (s.ndim - 1,), True)  # by BLAS: short rows
        if total.min() >= 1e-20:
            s /= total
            return s
        s = _scores(q, kt)
    s = _add_mask(s, mask)
    m = s.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # a row with nothing to attend to: exp(-inf) = 0
    p = np.exp(np.subtract(s, m, out=s), out=s)
    total = p.sum(axis=-1, keepdims=True)
    p /= np.where(total == 0, 1, total)
    return p


_KV_BLOCK = 512  # the keys PyTorch's CPU flash kernel takes at a time


def _flash_half(q, k, v, mask, scale):
    """PyTorch's CPU flash kernel on 16-bit q, k, v: float32 scores q k^T * scale + mask; over
    blocks of 512 keys, a running row maximum m, exp(s - m) rounded to the inputs' dtype for
    the product with v (float32 sums; the earlier blocks' sums rescaled when m grows); the
    float32 sum of the unrounded exponentials divides at the end (a row with nothing to
    attend to gives zeros). Returns the output and the float32 softmax weights."""
    s = _add_mask(matmul_arrays(q, k.swapaxes(-1, -2), scale=scale, dtype=_F32), mask)
    out = total = m = None
    for start in range(0, s.shape[-1], _KV_BLOCK):
        block = s[..., start : start + _KV_BLOCK]
        top = block.max(axis=-1, keepdims=True)
        top = top if m is None else np.maximum(m, top)
        top = np.where(top == -np.inf, 0, top)  # nothing to attend to yet: exp(-inf) = 0
        e = np.exp(block - top)
        part = matmul_arrays(astype(e, v.dtype), v[..., start : start + _KV_BLOCK, :], dtype=_F32)
        if m is None:
            out, total = part, e.sum(axis=-1, keepdims=True)
        else:
            shrink = np.exp(m - top)
            out, total = out * shrink + part, total * shrink + e.sum(axis=-1, keepdims=True)
        m = top
    total = np.where(total == 0, 1, total)
    out *= 1 / total
    return astype(out, v.dtype), np.exp(s - m) / total


def _scores(q, kt):
    """q @ kt in the softmax's dtype, as a fresh array of its own."""
    return matmul_arrays(q, kt, dtype=scores_dtype(q.dtype))


def _add_mask(s, mask):
    """s + mask, in place where the mask does not broadcast s to a bigger shape."""
    if mask is None:
        return s
    full = np.broadcast_shapes(s.shape, mask.shape) == s.shape
    return np.add(s, mask, out=s) if full else s + mask


class Attention(Op):
    """softmax(q @ k^T * scale + mask) (* drop) @ v over the last two dims, batch dims
    broadcast. ``mask`` is an additive float array (-inf forbids) or None; ``drop`` an
    array of dropout factors (0 or 1 / (1 - p)) shaped like the weights, or None.
    ``like_q``: the output is laid out in memory as q is (PyTorch's flash kernel does that,
    so a (B, L, H, E) query transposed to (B, H, L, E) gives an output that views back)."""

    @staticmethod
    def forward(ctx, q, k, v, mask, scale, drop, like_q):
        saved, half = (q, k, v), q.dtype if q.dtype in HALF_NP and not like_q else None
        if half is not None:  # PyTorch's math kernel: float32 throughout, rounded once
            q, k, v = (astype(a, _F32) for a in saved)
        into = np.empty_like(q) if like_q and not q.flags.c_contiguous else None
        if like_q and q.dtype in HALF_NP:
            out, p = _flash_half(q, k, v, mask, scale)
        else:
            kt = np.empty_like(k, shape=k.shape[:-2] + k.shape[:-3:-1])
            np.multiply(k.swapaxes(-1, -2), scale, out=kt)  # the copy batched matmul wants
            p = _softmax_rows(q, kt, mask)
            weights = p if drop is None else p * drop
            out = matmul_arrays(astype(weights, v.dtype, copy=False), v, out=into)
        if into is not None and out is not into:  # 16-bit: made by the backend's kernel
            into[...] = out
            out = into
        ctx.args = (mask, scale, drop, half)
        ctx.save_for_backward(*saved, p, out)  # p, out: only for the raw-array backward
        return out if half is None else astype(out, half)

    @staticmethod
    def backward(ctx, g):
        q, k, v, p, out = ctx.saved_tensors
        mask, scale, drop, half = ctx.args
        needs = ctx.needs_input_grad[:3]
        if half is None:
            return _grads(needs, g, q, k, v, p, out, mask, scale, drop) + (None,) * 4
        # 16-bit inputs of the math kernel: float32 gradients, each rounded once
        grads = _grads(needs, g.float(), q.float(), k.float(), v.float(), p, out, mask, scale, drop)
        return tuple(None if t is None else t.to(q.dtype) for t in grads) + (None,) * 4


def _grads(needs, g, q, k, v, p, out, mask, scale, drop) -> tuple:
    """The gradients of q, k and v (None where ``needs`` says no)."""
    if state.enabled:
        reference = lambda q, k, v: attention_reference(q, k, v, mask, scale, drop)  # noqa: E731
        return reference_grads(reference, (q, k, v), needs, g)
    p = p._data
    gd, qd, kd, vd = g._data, q._data, k._data, v._data
    gq = gk = gv = None
    into = _grad_buffers((qd, kd, vd), p.shape[:-2])
    if needs[2]:
        weights = p if drop is None else p * drop
        wt = astype(weights.swapaxes(-1, -2), vd.dtype, copy=False)
        gv = sum_to_shape(matmul_arrays(wt, gd, out=into[2]), vd.shape)
    if needs[0] or needs[1]:
        vt = ascontiguous(vd.swapaxes(-1, -2))
        gs = matmul_arrays(gd, vt, dtype=p.dtype)  # d loss / d weights
        if drop is not None:
            gs *= drop
        # sum_s gs * p = sum_e g * out: the (L, E) product is the smaller one
        gl, ol = gd, out._data
        if gd.dtype in HALF_NP:  # summed in float32 (numpy's einsum has no bfloat16)
            gl, ol = gd.astype(np.float32), ol.astype(np.float32)
        gs -= np.einsum("...le,...le->...l", gl, ol)[..., None]
        gs *= p
        gs = astype(gs, qd.dtype, copy=False)  # d loss / d scores, before the scale:
        if needs[0]:  # it is applied to the smaller (..., L or S, E) products instead
            gq = sum_to_shape(matmul_arrays(gs, kd, scale=scale, out=into[0]), qd.shape)
        if needs[1]:
            gk = matmul_arrays(gs.swapaxes(-1, -2), qd, scale=scale, out=into[1])
            gk = sum_to_shape(gk, kd.shape)
    wrap = lambda a: None if a is None else make_tensor(a)  # noqa: E731
    return wrap(gq), wrap(gk), wrap(gv)


def _grad_buffers(arrays: tuple, batch: tuple) -> list:
    """Arrays for the gradients of q, k and v, laid out in memory as the inputs are; None
    where an input's batch dimensions are not ``batch`` (they broadcast). When
    the three are views that split one contiguous array between them (the output of a
    fused qkv projection), the buffers are the same views of one new array, so the split's
    backward takes that array as it is instead of concatenating (see ``Split``)."""
    base = arrays[0].base
    shared = (
        type(base) is np.ndarray
        and base.flags.c_contiguous
        and all(a.base is base for a in arrays)
        and 0 < base.size == sum(a.size for a in arrays)
        and not any(np.shares_memory(a, b) for i, a in enumerate(arrays) for b in arrays[i + 1 :])
    )
    whole = np.empty_like(base) if shared else None
    out = []
    for a in arrays:
        if a.shape[:-2] != batch:
            out.append(None)
        elif whole is None:
            out.append(np.empty_like(a))
        else:
            offset = address(a) - address(base)
            out.append(np.ndarray(a.shape, a.dtype, whole, offset, a.strides))
    return out


def attention_reference(q: Tensor, k: Tensor, v: Tensor, mask, scale: float, drop) -> Tensor:
    """Attention written with Tensor ops: what higher-order gradients differentiate (and
    the path for a mask that needs a gradient itself)."""
    scores = (q @ k.mT) * scale
    if mask is not None:
        # PyTorch adds the mask in place: the scores keep their dtype (bfloat16 scores, a
        # float32 mask)
        scores = scores + (mask.to(scores.dtype) if isinstance(mask, Tensor) else const(mask))
        dead = ~(scores._data > -np.inf).any(axis=-1, keepdims=True)
        if not on_host(dead) or dead.any():  # a zero row, no NaN in softmax or its gradient
            rows = make_tensor(dead)
            weights = masked_fill(softmax(masked_fill(scores, rows, 0.0), -1), rows, 0.0)
        else:
            weights = softmax(scores, -1)
    else:
        weights = softmax(scores, -1)
    if drop is not None:  # (drawn in the float32 of 16-bit inputs' scores: 0 or 1 / (1 - p))
        weights = weights * const(drop.astype(weights._data.dtype, copy=False))
    return weights @ v


def attention(
    query: Tensor, key: Tensor, value: Tensor, mask=None, scale: float = 1.0, drop=None,
    flash: bool = False,
):  # fmt: skip
    """Runs the fused Attention op (see its docstring), its node named as PyTorch's CPU
    kernels name theirs (``flash``: PyTorch would run its flash kernel on these inputs)."""
    out = Attention.apply(query, key, value, mask, scale, drop, flash)
    math = "MmBackward0" if query._data.ndim == 2 else "UnsafeViewBackward0"  # its last product
    if out._data.dtype in HALF_NP:  # the math kernel's float32 result cast back
        math = "ToCopyBackward0"
    return name_node(out, _FLASH_NODE if flash else math)


_FLASH_NODE = "ScaledDotProductFlashAttentionForCpuBackward0"


__all__ = ["Attention", "attention", "attention_reference", "scores_dtype"]
