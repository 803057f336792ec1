"""PyTorch's result layouts (strides) for arrays: ``memory_format=torch.preserve_format``
keeps a dense input's memory order (a transposed or channels-last tensor gives a result of
the same strides), other inputs (expanded, sliced with steps) get dense strides in their
stride order, broadcast dims ranked as in a contiguous tensor (ATen's ``infer_dense_strides``).
C-contiguous arrays take none of these paths: callers test ``a.flags.c_contiguous`` first."""

from __future__ import annotations

import numpy as np

from . import xp_of


def non_overlapping_and_dense(a) -> bool:
    """PyTorch's ``is_non_overlapping_and_dense``: the elements fill their memory without
    gaps, in any order of the dims (a transposed or permuted dense array too)."""
    expected = a.itemsize
    for stride, n in sorted((s, n) for s, n in zip(a.strides, a.shape) if n != 1):
        if stride != expected:
            return False
        expected *= n
    return True


def _should_swap(operands: list, shape, d0: int, d1: int) -> int:
    for strides in operands:  # the first operand whose strides order the two dims decides
        s0, s1 = strides[d0], strides[d1]
        if s0 == 0 or s1 == 0:  # a broadcast dim: ask the next operand
            continue
        if s0 != s1:
            return 1 if s0 > s1 else -1
        if shape[d0] > shape[d1]:
            return 1
    return 0  # ambiguous: as in a contiguous tensor


def dense_order(a) -> tuple:
    """The dims of ``a`` from outermost to innermost in PyTorch's preserve_format order:
    ``a.transpose(order)`` of a dense array is C-contiguous."""
    return iteration_order((a,), a.shape)


def iteration_order(arrays, shape: tuple) -> tuple:
    """The dims of ``shape`` from outermost to innermost as ATen's TensorIterator orders them
    for operands ``arrays`` broadcast to ``shape`` (its ``reorder_dimensions``): the order of
    its result's memory. Broadcast dims (stride 0) leave the decision to the next operand."""
    n = len(shape)
    operands = []
    for a in arrays:
        lead = n - a.ndim  # new leading dims and size-1 dims grown by broadcasting: stride 0
        dims = zip(a.shape, a.strides, shape[lead:])
        operands.append((0,) * lead + tuple(0 if k == 1 and m != 1 else s for k, s, m in dims))
    perm = list(range(n - 1, -1, -1))  # innermost first, as ATen sorts
    for i in range(1, n):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            cmp = _should_swap(operands, shape, perm[d0], perm[d1])
            if cmp > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif cmp < 0:
                break
    return tuple(reversed(perm))


def iterator_layout(out, arrays):
    """``out``, computed from ``arrays`` (numpy's layout), in the memory order of ATen's
    TensorIterator for these operands (a copy when it is another)."""
    order = iteration_order(arrays, out.shape)
    if out.transpose(order).flags.c_contiguous:
        return out
    copy = laid_out(lambda shape: xp_of(out).empty(shape, out.dtype), out.shape, order)
    copy[...] = out
    return copy


def _inverse(order: tuple) -> tuple:
    inv = [0] * len(order)
    for i, d in enumerate(order):
        inv[d] = i
    return tuple(inv)


def laid_out(make, shape: tuple, order):
    """``make(the shape in memory order)`` seen in logical axis order: an array of ``shape``
    whose dims lie in memory in ``order`` (outermost first)."""
    return make(tuple(shape[d] for d in order)).transpose(_inverse(order))


def empty_in_order(a, dtype, order: tuple, shape: tuple | None = None):
    """An uninitialised array shaped like ``a`` (or ``shape``), on its device, whose dims
    lie in memory in ``order``."""
    make = lambda shape: xp_of(a).empty(shape, dtype=dtype)  # noqa: E731
    return laid_out(make, a.shape if shape is None else shape, order)


def memory_axis_order(like, dense: bool = True) -> list | None:
    """The axes of an array whose memory is not visited in logical order (a transposed
    view), outermost first in memory, as PyTorch's random fills visit them (TensorIterator's
    order). With ``dense``, only for a dense array: the layout PyTorch's ``empty_like``
    keeps. None when the logical order is the fill order (or memory runs backwards, which
    no PyTorch tensor does)."""
    shape, strides = like.shape, like.strides
    axes = sorted((d for d in range(like.ndim) if shape[d] != 1), key=lambda d: strides[d])
    size = like.itemsize
    for d in axes:
        if strides[d] < 0 or dense and strides[d] != size:  # is_non_overlapping_and_dense
            return None
        size *= shape[d]
    order = sorted(range(like.ndim), key=lambda d: -strides[d] if shape[d] != 1 else 0)
    visited = [d for d in order if shape[d] != 1]  # size-1 axes never change the order
    return None if visited == sorted(visited) else order


def draw_in_layout(like, draw, dense: bool = True):
    """``draw(shape)`` laid out as PyTorch fills ``like`` (an in-place fill of a view,
    ``dense=False``) or ``empty_like(like)``: in memory order (``draw`` then gets the shape
    in memory order and the result is a view in ``like``'s axis order), else
    ``draw(like.shape)``."""
    order = memory_axis_order(like, dense)
    return draw(like.shape) if order is None else laid_out(draw, like.shape, order)


def empty_preserving(a, dtype=None):
    """An uninitialised array shaped like ``a`` with PyTorch's preserve_format strides
    (``torch.empty_like(t)`` of a tensor with ``a``'s strides)."""
    if a.flags.c_contiguous:
        return np.empty_like(a, dtype)
    return empty_in_order(a, a.dtype if dtype is None else dtype, dense_order(a))


def copy_preserving(a, dtype=None):
    """A copy of ``a`` (converted to ``dtype``) with PyTorch's preserve_format strides."""
    if a.flags.c_contiguous:
        return a.copy() if dtype is None else a.astype(dtype)
    out = empty_preserving(a, dtype)
    out[...] = a
    return out


def in_memory_order(fn, a, axis: int | None = None):
    """``fn`` (a function of a C-contiguous array that returns arrays shaped like its
    input, elementwise or along one ``axis``) applied to a dense non-contiguous ``a``
    without a copy: run on the contiguous permuted view (``fn(view, axis in the view)``
    when an axis is given) and permute the results back, so they keep ``a``'s strides.
    Returns None when ``a`` is not dense (the caller copies it)."""
    order = dense_order(a)
    view = a.transpose(order)
    if not view.flags.c_contiguous:
        return None
    inv = _inverse(order)
    out = fn(view) if axis is None else fn(view, order.index(axis))
    if isinstance(out, (list, tuple)):
        return type(out)(o.transpose(inv) for o in out)
    return out.transpose(inv)


_CHANNELS_LAST = {4: (0, 2, 3, 1), 5: (0, 2, 3, 4, 1)}


def is_channels_last(a) -> bool:
    """Whether ``a`` is a dense 4-D (5-D) array in NHWC (NDHWC) order and not C-contiguous:
    the layout that PyTorch's ``suggest_memory_format`` keeps in ops that otherwise give
    contiguous results (``roll``)."""
    order = _CHANNELS_LAST.get(a.ndim)
    return order is not None and not a.flags.c_contiguous and a.transpose(order).flags.c_contiguous


def element_strides(a) -> tuple:
    """PyTorch's strides of an array, in elements (``Tensor.stride()``): a size-1 dim that
    numpy gives stride 0, as ``x[:, None]`` does, gets the next dim's extent, and a new
    empty array (numpy zeroes its strides) contiguous ones."""
    s = [n // a.itemsize for n in a.strides]
    fresh = a.size == 0 and not any(s)
    for d in range(a.ndim - 1, -1, -1):
        if fresh:
            s[d] = s[d + 1] * max(a.shape[d + 1], 1) if d + 1 < a.ndim else 1
        elif s[d] == 0 and a.shape[d] == 1:
            s[d] = s[d + 1] * a.shape[d + 1] if d + 1 < a.ndim else 1
    return tuple(s)


def suggests_channels_last(a) -> bool:
    """ATen's ``suggest_memory_format`` of an array is channels-last (3d): its strides are
    ordered so, dense or not (a slice of a channels-last tensor)."""
    return a.ndim in _CHANNELS_LAST and strides_like_channels_last(a.shape, element_strides(a))


def strides_like_channels_last(shape: tuple, strides: tuple) -> bool:
    """ATen's ``is_channels_last_strides_2d`` (``_3d``): whether ``suggest_memory_format``
    names channels-last for a tensor of these sizes and strides (ambiguous size-1 dims and
    empty tensors count as contiguous)."""
    order = _CHANNELS_LAST.get(len(shape))
    if order is None or strides[1] == 0:
        return False
    low = 0
    for d in (order[-1], *order[-2:0:-1], 0):  # C, W, H (D), N: innermost first
        if shape[d] == 0 or strides[d] < low or (d == 0 and low == strides[1]):
            return False
        low = strides[d] * max(shape[d], 1)
    return True


def channels_last_order(ndim: int) -> tuple:
    """The memory order of the channels-last format of a 4-D or 5-D tensor."""
    return format_order("channels_last" if ndim == 4 else "channels_last_3d", ndim)


def format_order(name: str, ndim: int) -> tuple:
    """The memory order (outermost dim first) of ``torch.channels_last`` (4-D) or
    ``torch.channels_last_3d`` (5-D) for an ``ndim``-D tensor; PyTorch's error otherwise."""
    rank = 4 if name == "channels_last" else 5
    if ndim != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {name} format")
    return _CHANNELS_LAST[rank]
