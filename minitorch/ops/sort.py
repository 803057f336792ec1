"""Sorting and selection: sort, argsort, topk, kthvalue, mode (values are gathered, so they
are differentiable)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import name_node
from ..backends import ascontiguous
from ..backends.memory_order import in_memory_order
from .reduce import wrap_dim
from .return_types import return_type

_sort_result = return_type("sort")
_topk_result = return_type("topk")
_kthvalue_result = return_type("kthvalue")
_mode_result = return_type("mode")


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """Mirrors ``torch.argsort``."""
    x = input._data
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return make_tensor(np.zeros_like(x, np.int64, shape=()))
    if not x.flags.c_contiguous:  # sorted in memory order: the indices keep x's strides
        kept = in_memory_order(lambda v, axis: _argsort_array(v, axis, descending), x, d)
        if kept is not None:
            return make_tensor(kept)
    return make_tensor(_argsort_array(x, d, descending))


def _argsort_array(x, d: int, descending: bool):
    order = np.argsort(-x if descending and x.dtype.kind != "b" else x, axis=d, kind="stable")
    if descending and x.dtype.kind == "b":
        order = np.flip(np.argsort(x, axis=d, kind="stable"), d)
    elif descending and x.dtype.kind == "f" and np.isnan(x).any():  # NaN is the largest
        not_nan = ~np.isnan(np.take_along_axis(x, order, axis=d))
        order = np.take_along_axis(order, np.argsort(not_nan, axis=d, kind="stable"), axis=d)
    return order.astype(np.int64, copy=False)


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """Mirrors ``torch.sort``: (values, indices)."""
    idx = argsort(input, dim, descending, stable)
    if input._data.ndim == 0:
        return _sort_result(input, idx)
    values = input.gather(wrap_dim(dim, input._data.ndim), idx)
    return _sort_result(name_node(values, "SortBackward0"), idx)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """Mirrors ``torch.topk``: the ``k`` largest (or smallest) values along ``dim`` and
    their indices."""
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d] if input._data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"selected index k out of range (k={k}, dimension {d} has size {n})")
    if not input._data.ndim:  # a scalar is its own top value (for k=0 too), at index 0
        values, idx = topk(input.reshape(1), 1, 0, largest, sorted)
        return _topk_result(name_node(values.reshape(()), "TopkBackward0"), idx.reshape(()))
    idx = argsort(input, d, descending=largest)
    idx = make_tensor(ascontiguous(idx._data[(slice(None),) * d + (slice(0, k),)]))
    return _topk_result(name_node(input.gather(d, idx), "TopkBackward0"), idx)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """Mirrors ``torch.kthvalue``: the k-th smallest value along ``dim`` (1-based) and its
    index. Among equal values the first is reported (PyTorch leaves which one unspecified)."""
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d] if input._data.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    idx = argsort(input, d).narrow(d, k - 1, 1) if input._data.ndim else argsort(input)
    values = input.gather(d, idx) if input._data.ndim else input.clone()
    if not keepdim and input._data.ndim:
        values, idx = values.squeeze(d), idx.squeeze(d)
    return _kthvalue_result(values, idx)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False):
    """Mirrors ``torch.mode``: the most frequent value along ``dim`` (the smallest of those
    tied) and the index of its last occurrence."""
    x = input._data
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return _mode_result(input.clone(), make_tensor(np.zeros_like(x, np.int64, shape=())))
    n = x.shape[d]
    if n == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    s = np.sort(x, axis=d)
    pos = np.arange(n).reshape((n,) + (1,) * (x.ndim - d - 1))
    new_run = np.ones_like(s, dtype=bool)
    new_run[(slice(None),) * d + (slice(1, None),)] = np.diff(s, axis=d) != 0
    run_start = np.maximum.accumulate(np.where(new_run, pos, 0), axis=d)
    length = pos - run_start + 1  # at each element: how many equal ones end there
    best = np.expand_dims(np.argmax(length, axis=d), d)
    value = np.take_along_axis(s, best, axis=d)
    idx = np.expand_dims(np.where(x == value, pos, -1).max(axis=d), d).astype(np.int64)
    values = input.gather(d, make_tensor(idx))
    if not keepdim:
        values, idx = values.squeeze(d), idx.squeeze(d)
    return _mode_result(values, make_tensor(idx))
