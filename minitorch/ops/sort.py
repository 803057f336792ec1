"""Sorting and selection: sort, argsort, topk, kthvalue, mode (values are gathered, so they
are differentiable). Among equal values the indices are those PyTorch's CPU kernels report
(tie_order.py replays their algorithms for the rows where ties decide the answer)."""

from __future__ import annotations

import functools

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import name_node
from ..backends import ascontiguous, on_host, xp_of
from ..backends.memory_order import in_memory_order
from . import tie_order
from .index import SortedValues
from .reduce import select_along, wrap_dim
from .return_types import return_type

_sort_result = return_type("sort")
_topk_result = return_type("topk")
_kthvalue_result = return_type("kthvalue")
_mode_result = return_type("mode")


def _stable_by_keyword(fn):
    """PyTorch's parser for sort/argsort: ``stable`` selects an overload whose ``dim`` and
    ``descending`` are keywords; the other takes at most those two by position."""

    @functools.wraps(fn)
    def parsed(input, *args, **kwargs):
        if len(args) > 2 or (args and "stable" in kwargs):
            got = ", ".join([type(a).__name__ for a in (input, *args)] + [f"{k}={type(v).__name__}" for k, v in kwargs.items()])  # fmt: skip
            raise TypeError(
                f"{fn.__name__}() received an invalid combination of arguments - got ({got}), "
                "but expected one of:"
            )
        return fn(input, *args, **kwargs)

    return parsed


@_stable_by_keyword
def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """Mirrors ``torch.argsort``."""
    x = input._data
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return make_tensor(np.zeros_like(x, np.int64, shape=()))
    if x.dtype.kind == "b" and descending:  # PyTorch's bool sort compares as integers
        x = x.view(np.uint8)
    if not x.flags.c_contiguous:  # sorted in memory order: the indices keep x's strides
        kept = in_memory_order(lambda v, axis: _argsort_array(v, axis, descending, stable), x, d)
        if kept is not None:
            return make_tensor(kept)
    return make_tensor(_argsort_array(x, d, descending, stable))


def _sort_key(x, descending: bool):
    """What numpy sorts ascending to order ``x`` (descending: negated; ~ cannot overflow)."""
    x = tie_order.comparable(x)
    return (~x if x.dtype.kind in "iu" else -x) if descending else x


def _argsort_array(x, d: int, descending: bool, stable: bool):
    key = _sort_key(x, descending)
    order = np.argsort(key, axis=d, kind="stable")
    # NaN is the largest (a device's values are not looked at for NaNs: that read would stall it)
    if descending and x.dtype.kind in "fV" and (not on_host(x) or np.isnan(x).any()):
        not_nan = ~np.isnan(np.take_along_axis(x, order, axis=d))
        order = np.take_along_axis(order, np.argsort(not_nan, axis=d, kind="stable"), axis=d)
    order = order.astype(np.int64, copy=False)
    if stable or not _runs_std_sort(x, d, descending):
        return order
    tied = tie_order.has_ties(x, order, d, 0, x.shape[d])
    return tie_order.replay(x, order, d, tied, descending, tie_order.std_sort)


def _runs_std_sort(x, d: int, descending: bool) -> bool:
    """Whether PyTorch's CPU sort (stable=False) runs std::sort, which orders ties its own way
    beyond 16 elements, on ``x``: not on 1-D integer tensors of 32768 elements or more
    sorted ascending (a stable radix sort), nor along an expanded dim (stride 0: its values
    are equal, and PyTorch's indices count up), nor on the GPU."""
    if not isinstance(x, np.ndarray) or x.shape[d] <= 16 or x.strides[d] == 0:
        return False
    return not (x.ndim == 1 and x.dtype.kind in "iu" and x.size >= 32768 and not descending)


_NOT_GIVEN = object()  # (stable=None takes PyTorch's overload with stable too)


@_stable_by_keyword
def sort(input: Tensor, dim: int = -1, descending: bool = False, stable=_NOT_GIVEN):
    """Mirrors ``torch.sort``: (values, indices); the node of the overload with ``stable``,
    SortBackward1, when it is given."""
    name = f"SortBackward{int(stable is not _NOT_GIVEN)}"
    idx = argsort(input, dim=dim, descending=descending, stable=stable is not _NOT_GIVEN and bool(stable))  # fmt: skip
    if input._data.ndim == 0:  # a copy of the scalar
        return _sort_result(name_node(input.clone(), name, input), idx)
    values = SortedValues.apply(input, wrap_dim(dim, input._data.ndim), idx)
    return _sort_result(name_node(values, name), idx)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """Mirrors ``torch.topk``: the ``k`` largest (or smallest) values along ``dim`` and
    their indices."""
    if isinstance(dim, bool):  # PyTorch's parser takes no bool for an int (topk(4, True))
        raise TypeError("topk(): argument 'dim' (position 2) must be int, not bool")
    x = input._data
    d = wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if x.dtype.kind == "b":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    if not x.ndim:  # a scalar is its own top value (for k=0 too), at index 0
        values, idx = topk(input.reshape(1), 1, 0, largest, sorted)
        return _topk_result(name_node(values.reshape(()), "TopkBackward0"), idx.reshape(()))
    order = _first_of_stable_order(x, d, min(k + 1, n), largest)
    idx = ascontiguous(order[(slice(None),) * d + (slice(0, k),)])
    if k and isinstance(x, np.ndarray):
        idx = _topk_ties(x, order, idx, d, k, largest, sorted)
    idx = make_tensor(idx)
    return _topk_result(name_node(SortedValues.apply(input, d, idx), "TopkBackward0"), idx)


def _first_of_stable_order(x, d: int, m: int, descending: bool):
    """The first ``m`` positions along ``d`` of the stable argsort of ``x`` (of all of it where
    ``m`` is not small). Position ``m - 1`` may hold another of several equal values; the
    first ``m - 1`` are exact where it differs from them."""
    n = x.shape[d]
    if m * 8 > n or not isinstance(x, np.ndarray) or x.dtype.kind in "fV" and np.isnan(x).any():
        return _argsort_array(x, d, descending, True)
    key = _sort_key(x, descending)
    candidates = np.argpartition(key, m - 1, axis=d)[(slice(None),) * d + (slice(0, m),)]
    candidates.sort(axis=d)  # in index order, so that the stable sort keeps ties so
    by_key = np.argsort(np.take_along_axis(key, candidates, axis=d), axis=d, kind="stable")
    return np.take_along_axis(candidates, by_key, axis=d).astype(np.int64, copy=False)


def _topk_ties(x, order, idx, d: int, k: int, largest: bool, sorted: bool):
    """The indices PyTorch's topk reports where its selection is not the stable order: rows
    with equal values among the first k + 1, and every row when ``sorted=False`` leaves
    std::nth_element's arrangement (k * 64 > n)."""
    n = x.shape[d]
    if not sorted and k * 64 > n and k > 1:
        redo = np.ones(idx.size // k, bool)
    else:
        redo = tie_order.has_ties(x, order, d, 0, min(k + 1, n))
    return tie_order.replay(
        x, idx, d, redo, largest, lambda keys: tie_order.topk_order(keys, k, sorted)
    )


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """Mirrors ``torch.kthvalue``: the k-th smallest value along ``dim`` (1-based) and its
    index (among equal values, the one ATen's quickselect leaves there)."""
    x = input._data
    d = wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if n == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if x.dtype.kind == "b" and x.ndim:  # (a 0-d bool is its own k-th value)
        raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
    if not x.ndim:
        value = name_node(input.clone(), "KthvalueBackward0", input)
        return _kthvalue_result(value, make_tensor(np.zeros_like(x, np.int64, shape=())))
    order = _argsort_array(x, d, False, True)
    idx = np.take(order, [k - 1], axis=d)
    if isinstance(x, np.ndarray):  # the one ATen's quickselect leaves at k among ties
        tied = tie_order.has_ties(x, order, d, max(k - 2, 0), k + 1)
        idx = tie_order.replay(
            x, idx, d, tied, False, lambda keys: [tie_order.quick_select(keys, k - 1)]
        )
    idx = idx.astype(np.int64, copy=False)
    return _kthvalue_result(*select_along(input, d, idx, keepdim, "KthvalueBackward0"))


def mode(input: Tensor, dim: int = -1, keepdim: bool = False):
    """Mirrors ``torch.mode``: the most frequent value along ``dim`` (the smallest of those
    tied) and the index of its occurrence that std::sort leaves last (the last one, in rows
    of up to 16)."""
    x = input._data
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        value = name_node(input.clone(), "ModeBackward0", input)
        return _mode_result(value, make_tensor(np.zeros_like(x, np.int64, shape=())))
    n = x.shape[d]
    if n == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    s = np.sort(x, axis=d)
    pos = xp_of(x).arange(n).reshape((n,) + (1,) * (x.ndim - d - 1))
    new_run = np.ones_like(s, dtype=bool)
    head, tail = ((slice(None),) * d + (slice(a, b),) for a, b in ((1, None), (None, -1)))
    new_run[head] = s[head] != s[tail]  # (not a difference: inf - inf is NaN)
    # each run's start, looked up by run number (cupy has no maximum.accumulate): the starts
    # written to a table by number, the others to a spare last place
    run = np.cumsum(new_run, axis=d) - 1
    starts = np.zeros_like(run, shape=run.shape[:d] + (n + 1,) + run.shape[d + 1 :])
    np.put_along_axis(starts, np.where(new_run, run, n), np.broadcast_to(pos, run.shape), d)
    run_start = np.take_along_axis(starts, run, axis=d)
    length = pos - run_start + 1  # at each element: how many equal ones end there
    best = np.expand_dims(np.argmax(length, axis=d), d)
    value = np.take_along_axis(s, best, axis=d)
    idx = np.expand_dims(np.where(x == value, pos, -1).max(axis=d), d).astype(np.int64)
    if n > 16 and isinstance(x, np.ndarray):
        repeated = np.take_along_axis(length, best, axis=d).reshape(-1) > 1
        idx = tie_order.replay(x, idx, d, repeated, False, _mode_index)
    if x.dtype.kind in "fV" and n <= 16 and isinstance(x, np.ndarray):
        nan = np.isnan(x).any(axis=d, keepdims=True)
        if nan.any():  # replayed on the values: NaN neither sorts nor equals as others do
            rows = tie_order.rows(x, d)[nan.reshape(-1)].tolist()
            idx = tie_order.rows(idx, d).copy()
            idx[nan.reshape(-1), 0] = [_mode_index_with_nans(row) for row in rows]
            idx = np.moveaxis(idx.reshape(np.moveaxis(value, d, -1).shape), -1, d)
    return _mode_result(*select_along(input, d, idx, keepdim, "ModeBackward0"))


def _mode_index_with_nans(row: list) -> int:
    """The index PyTorch's mode kernel reports for a row of up to 16 values holding a NaN:
    std::sort's insertion sort with ``<`` (false for NaN), then the first longest run of
    elements ``==`` their neighbour (a NaN is a run of its own)."""
    s = list(enumerate(row))
    for i in range(1, len(s)):
        item, j = s[i], i
        if item[1] < s[0][1]:
            j = 0
        else:
            while item[1] < s[j - 1][1]:
                j -= 1
        s[j + 1 : i + 1] = s[j:i]
        s[j] = item
    best = run = 0
    for i, (k, v) in enumerate(s):
        run += 1
        if i == len(s) - 1 or v != s[i + 1][1]:
            if run > best:
                best, index = run, k
            run = 0
    return index


def _mode_index(keys) -> list:
    """PyTorch's mode kernel std::sorts the row and reports the last element of the first
    longest run."""
    counts = np.bincount(keys)
    end = int(np.cumsum(counts)[np.argmax(counts)]) - 1
    return [tie_order.std_sort(keys)[end]]
