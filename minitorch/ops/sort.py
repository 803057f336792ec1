"""Sorting and selection: sort, argsort, topk (values are gathered, so they are differentiable)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from .reduce import wrap_dim
from .return_types import return_type

_sort_result = return_type("sort")
_topk_result = return_type("topk")


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """Mirrors ``torch.argsort``."""
    x = input._data
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return make_tensor(np.zeros_like(x, np.int64, shape=()))
    order = np.argsort(-x if descending and x.dtype.kind != "b" else x, axis=d, kind="stable")
    if descending and x.dtype.kind == "b":
        order = np.flip(np.argsort(x, axis=d, kind="stable"), d)
    return make_tensor(order.astype(np.int64, copy=False))


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """Mirrors ``torch.sort``: (values, indices)."""
    idx = argsort(input, dim, descending, stable)
    if input._data.ndim == 0:
        return _sort_result(input, idx)
    return _sort_result(input.gather(wrap_dim(dim, input._data.ndim), idx), idx)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """Mirrors ``torch.topk``: the ``k`` largest (or smallest) values along ``dim`` and
    their indices."""
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d] if input._data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"selected index k out of range (k={k}, dimension {d} has size {n})")
    idx = argsort(input, d, descending=largest)
    idx = make_tensor(idx._data[(slice(None),) * d + (slice(0, k),)])
    return _topk_result(input.gather(d, idx), idx)
