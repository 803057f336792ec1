"""Which of several equal elements PyTorch's CPU sort, topk, kthvalue and mode report. Those
kernels run libstdc++'s std::sort (introsort: not stable beyond 16 elements), std::nth_element,
std::partial_sort (a heap) and ATen's quick_select_template on each row, so the indices of
equal values follow these algorithms, not a stable order. They are replayed here, exactly, on
integer keys (a value's rank in its row, NaNs tied as the largest): callers sort stably with
numpy first and send only the rows whose answer depends on ties."""

from __future__ import annotations

import numpy as np

_THRESHOLD = 16  # libstdc++'s _S_threshold: std::sort leaves ranges this short to insertion
_VECTORIZED = 1024  # partitions of longer ranges run as numpy array operations


def comparable(x):
    """``x`` as numpy compares it like PyTorch: bfloat16 in float32 (numpy sorts bfloat16 NaNs
    first; float32 holds every bfloat16 exactly)."""
    return x.astype(np.float32) if x.dtype.kind == "V" else x


def row_keys(x, descending: bool):
    """Integer keys of a 2-D array's rows ordering as PyTorch's comparators do: equal values
    (NaNs among themselves) share a key, NaN is the largest (the smallest when
    ``descending``)."""
    x = comparable(x)
    order = np.argsort(x, axis=1, kind="stable")
    s = np.take_along_axis(x, order, axis=1)
    step = s[:, 1:] != s[:, :-1]
    if s.dtype.kind == "f":
        step &= ~(np.isnan(s[:, 1:]) & np.isnan(s[:, :-1]))
    rank = np.zeros(s.shape, np.int64)
    np.cumsum(step, axis=1, out=rank[:, 1:])
    keys = np.empty_like(rank)
    np.put_along_axis(keys, order, -rank if descending else rank, axis=1)
    return keys


def has_ties(x, order, d: int, lo: int, hi: int):
    """Per row along ``d``: whether two of the sorted positions ``lo:hi`` (of the row's
    stable argsort ``order``) hold equal values (NaNs equal)."""
    s = np.take_along_axis(rows(comparable(x), d), rows(order, d)[:, lo:hi], axis=1)
    tied = (s[:, 1:] == s[:, :-1]).any(axis=1)
    if s.dtype.kind == "f" and s.shape[1] > 1:  # sorted NaNs sit at an end, side by side
        tied |= np.isnan(s[:, :2]).all(axis=1) | np.isnan(s[:, -2:]).all(axis=1)
    return tied


def rows(a, d: int):
    """``a`` as a 2-D array with the sorted dim ``d`` last."""
    last = a if d == a.ndim - 1 else np.moveaxis(a, d, -1)
    return last.reshape(-1, a.shape[d])


def replay(x, indices, d: int, redo, descending: bool, algorithm):
    """``indices`` (along ``d`` of ``x``) with the rows where ``redo`` is set replaced by
    ``algorithm(keys of that row of x)``: the order PyTorch's kernel leaves ties in."""
    redo = np.flatnonzero(redo)
    if not redo.size:
        return indices
    out = rows(indices, d).copy()
    for r, keys in zip(redo.tolist(), row_keys(rows(x, d)[redo], descending)):
        out[r] = algorithm(keys)
    return np.ascontiguousarray(np.moveaxis(out.reshape(np.moveaxis(indices, d, -1).shape), -1, d))


def std_sort(keys) -> list:
    """The permutation ``std::sort`` leaves a row of ``keys`` in (comparator: less)."""
    k, ix = keys.copy(), np.arange(len(keys))
    _introsort(k, ix, 0, len(k), 2 * _lg(len(k)))
    return ix[np.argsort(k, kind="stable")].tolist()  # __final_insertion_sort, see _finish


def topk_order(keys, k_: int, sorted_: bool) -> list:
    """The first ``k_`` indices of a row as PyTorch's topk leaves them: ``std::partial_sort``
    when k * 64 <= n, else ``std::nth_element`` and, when ``sorted_``, ``std::sort`` of the
    first k - 1 (keys: smaller is better)."""
    n = len(keys)
    if k_ * 64 <= n:
        k, ix = keys.tolist(), list(range(n))
        _heap_select(k, ix, 0, k_, n)
        _sort_heap(k, ix, 0, k_)
        return ix[:k_]
    k, ix = keys.copy(), np.arange(n)
    _nth_element(k, ix, 0, k_ - 1, n)
    k, ix = k[: k_ - 1].tolist(), ix[:k_].tolist()
    if sorted_ and k_ > 1:
        _introsort(k, ix, 0, k_ - 1, 2 * _lg(k_ - 1))
        _finish(k, ix, 0, k_ - 1)
    return ix


def nth_element(keys, nth: int) -> list:
    """The index ``std::nth_element`` leaves at ``nth`` of a row of ``keys``."""
    k, ix = keys.copy(), np.arange(len(keys))
    _nth_element(k, ix, 0, nth, len(k))
    return [int(ix[nth])]


def quick_select(keys, kth: int) -> int:
    """The index ATen's ``quick_select_template`` (kthvalue) leaves at 0-based ``kth``."""
    k, ix = keys.tolist(), list(range(len(keys)))
    lo, hi = 0, len(k) - 1
    while hi > lo:
        if hi == lo + 1:
            if k[lo] > k[hi]:
                _swap(k, ix, lo, hi)
            break
        _swap(k, ix, (lo + hi) >> 1, lo + 1)
        if k[lo + 1] > k[hi]:
            _swap(k, ix, lo + 1, hi)
        if k[lo] > k[hi]:
            _swap(k, ix, lo, hi)
        if k[lo + 1] > k[lo]:
            _swap(k, ix, lo + 1, lo)
        i, j, pivot = lo + 1, hi, k[lo]
        while True:
            i += 1
            while pivot > k[i]:
                i += 1
            j -= 1
            while k[j] > pivot:
                j -= 1
            if j < i:
                break
            _swap(k, ix, i, j)
        _swap(k, ix, lo, j)
        if j <= kth:
            lo = i
        if j >= kth:
            hi = j - 1
    return ix[kth]


# ---- libstdc++'s algorithms (bits/stl_algo.h, bits/stl_heap.h) on a key list and an index list
def _lg(n: int) -> int:
    return n.bit_length() - 1


def _swap(k: list, ix: list, a: int, b: int) -> None:
    k[a], k[b] = k[b], k[a]
    ix[a], ix[b] = ix[b], ix[a]


def _finish(k: list, ix: list, first: int, last: int) -> None:
    """``__insertion_sort``: it keeps equal keys in their current order, so it is a stable
    sort (Python's); ``__final_insertion_sort`` after the introsort loop is one too, since
    that loop leaves every element within its block."""
    order = sorted(range(first, last), key=k.__getitem__)
    ix[first:last] = [ix[i] for i in order]
    k[first:last] = [k[i] for i in order]


def _lists(k, ix, first: int, last: int):
    """Short ranges of numpy rows continue as Python lists (much faster per element)."""
    return k[first:last].tolist(), ix[first:last].tolist()


def _introsort(k, ix, first: int, last: int, depth: int) -> None:
    while last - first > _THRESHOLD:
        if type(k) is np.ndarray and last - first <= _VECTORIZED:
            kl, il = _lists(k, ix, first, last)
            _introsort(kl, il, 0, last - first, depth)
            k[first:last], ix[first:last] = kl, il
            return
        if depth == 0:
            kl, il = _lists(k, ix, first, last) if type(k) is np.ndarray else (k, ix)
            off = first if kl is k else 0
            _heap_select(kl, il, off, off + last - first, off + last - first)
            _sort_heap(kl, il, off, off + last - first)
            if kl is not k:
                k[first:last], ix[first:last] = kl, il
            return
        depth -= 1
        cut = _partition_pivot(k, ix, first, last)
        _introsort(k, ix, cut, last, depth)
        last = cut


def _nth_element(k, ix, first: int, nth: int, last: int) -> None:
    depth = 2 * _lg(last - first)
    while last - first > 3:
        if type(k) is np.ndarray and last - first <= _VECTORIZED:
            kl, il = _lists(k, ix, first, last)
            _nth_element(kl, il, 0, nth - first, last - first)
            k[first:last], ix[first:last] = kl, il
            return
        if depth == 0:
            kl, il = _lists(k, ix, first, last) if type(k) is np.ndarray else (k, ix)
            off = first if kl is k else 0
            _heap_select(kl, il, off, off + nth - first + 1, off + last - first)
            _swap(kl, il, off, off + nth - first)
            if kl is not k:
                k[first:last], ix[first:last] = kl, il
            return
        depth -= 1
        cut = _partition_pivot(k, ix, first, last)
        if cut <= nth:
            first = cut
        else:
            last = cut
    if type(k) is np.ndarray:
        order = first + np.argsort(k[first:last], kind="stable")
        k[first:last], ix[first:last] = k[order], ix[order]
    else:
        _finish(k, ix, first, last)


def _partition_pivot(k: list, ix: list, first: int, last: int) -> int:
    """``__unguarded_partition_pivot``: the median of three moved to ``first``, then Hoare's
    partition of the rest around it."""
    a, b, c = first + 1, first + (last - first) // 2, last - 1
    if k[a] < k[b]:
        m = b if k[b] < k[c] else c if k[a] < k[c] else a
    else:
        m = a if k[a] < k[c] else c if k[b] < k[c] else b
    _swap(k, ix, first, m)
    if type(k) is np.ndarray:
        return _partition_arrays(k, ix, first, last)
    pivot, lo, hi = k[first], first + 1, last
    while True:
        while k[lo] < pivot:
            lo += 1
        hi -= 1
        while pivot < k[hi]:
            hi -= 1
        if lo >= hi:
            return lo
        k[lo], k[hi] = k[hi], k[lo]  # _swap, inlined: this loop is where the time goes
        ix[lo], ix[hi] = ix[hi], ix[lo]
        lo += 1


def _partition_arrays(k, ix, first: int, last: int) -> int:
    """The same partition as array operations: the left scan stops at the elements not less
    than the pivot (in order), the right scan at those not greater (from the end, the pivot
    itself last); the i-th stops of the two are swapped until they cross."""
    keys = k[first:last]
    pivot = keys[0]
    left = 1 + np.flatnonzero(keys[1:] >= pivot)
    right = np.flatnonzero(keys <= pivot)[::-1]
    n = min(len(left), len(right))
    crossed = left[:n] >= right[:n]
    m = int(np.argmax(crossed)) if crossed.any() else n
    if m == len(left):
        cut = right[m - 1]
    else:
        cut = left[m] if m == 0 else min(left[m], right[m - 1])
    a, b = first + left[:m], first + right[:m]
    k[a], k[b] = k[b], k[a]
    ix[a], ix[b] = ix[b], ix[a]
    return first + int(cut)


def _adjust_heap(k: list, ix: list, first: int, hole: int, length: int, key, index) -> None:
    top = child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if k[first + child] < k[first + child - 1]:
            child -= 1
        k[first + hole], ix[first + hole] = k[first + child], ix[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        k[first + hole], ix[first + hole] = k[first + child - 1], ix[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and k[first + parent] < key:
        k[first + hole], ix[first + hole] = k[first + parent], ix[first + parent]
        hole, parent = parent, (parent - 1) // 2
    k[first + hole], ix[first + hole] = key, index


def _pop_heap(k: list, ix: list, first: int, last: int, result: int) -> None:
    key, index = k[result], ix[result]
    k[result], ix[result] = k[first], ix[first]
    _adjust_heap(k, ix, first, 0, last - first, key, index)


def _heap_select(k: list, ix: list, first: int, middle: int, last: int) -> None:
    n = middle - first
    for parent in range((n - 2) // 2, -1, -1) if n > 1 else ():  # __make_heap
        _adjust_heap(k, ix, first, parent, n, k[first + parent], ix[first + parent])
    if middle == last:
        return
    # the top only gets smaller: what is not below it now is never taken
    for i in (middle + np.flatnonzero(np.array(k[middle:last]) < k[first])).tolist():
        if k[i] < k[first]:
            _pop_heap(k, ix, first, middle, i)


def _sort_heap(k: list, ix: list, first: int, last: int) -> None:
    while last - first > 1:
        last -= 1
        _pop_heap(k, ix, first, last, last)
