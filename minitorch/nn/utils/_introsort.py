"""The order in which PyTorch's CPU ``torch.sort(keys, descending=True)`` (unstable) puts
ties: its kernel runs libstdc++'s ``std::sort``, an introsort (median-of-three quicksort
down to 16-element runs, heapsort past a depth limit, then one insertion sort), and that
order is reproduced here exactly. Python loops: meant for short keys such as a batch's
sequence lengths."""

from __future__ import annotations

import numpy as np

_THRESHOLD = 16  # libstdc++'s _S_threshold


def descending_order(keys) -> np.ndarray:
    """Mirrors ``torch.sort(keys, descending=True).indices`` on the CPU, ties included."""
    k = list(keys)
    a = list(range(len(k)))

    def comp(i: int, j: int) -> bool:
        return k[i] > k[j]

    def linear_insert(i: int) -> None:
        v, j = a[i], i
        while comp(v, a[j - 1]):
            a[j] = a[j - 1]
            j -= 1
        a[j] = v

    def insertion_sort(first: int, last: int) -> None:
        for i in range(first + 1, last):
            if comp(a[i], a[first]):
                a[first : i + 1] = [a[i]] + a[first:i]
            else:
                linear_insert(i)

    def adjust_heap(first: int, hole: int, n: int, value: int) -> None:
        top, child = hole, hole
        while child < (n - 1) // 2:
            child = 2 * (child + 1)
            if comp(a[first + child], a[first + child - 1]):
                child -= 1
            a[first + hole] = a[first + child]
            hole = child
        if n % 2 == 0 and child == (n - 2) // 2:
            child = 2 * (child + 1)
            a[first + hole] = a[first + child - 1]
            hole = child - 1
        parent = (hole - 1) // 2
        while hole > top and comp(a[first + parent], value):
            a[first + hole] = a[first + parent]
            hole, parent = parent, (parent - 1) // 2
        a[first + hole] = value

    def heap_sort(first: int, last: int) -> None:
        n = last - first
        for parent in range((n - 2) // 2, -1, -1):
            adjust_heap(first, parent, n, a[first + parent])
        while last - first > 1:
            last -= 1
            value, a[last] = a[last], a[first]
            adjust_heap(first, 0, last - first, value)

    def pivot_partition(first: int, last: int) -> int:
        x, y, z = first + 1, first + (last - first) // 2, last - 1
        if comp(a[x], a[y]):
            m = y if comp(a[y], a[z]) else z if comp(a[x], a[z]) else x
        else:
            m = x if comp(a[x], a[z]) else z if comp(a[y], a[z]) else y
        a[first], a[m] = a[m], a[first]
        lo, hi = first + 1, last
        while True:
            while comp(a[lo], a[first]):
                lo += 1
            hi -= 1
            while comp(a[first], a[hi]):
                hi -= 1
            if lo >= hi:
                return lo
            a[lo], a[hi] = a[hi], a[lo]
            lo += 1

    def introsort(first: int, last: int, depth: int) -> None:
        while last - first > _THRESHOLD:
            if depth == 0:
                heap_sort(first, last)
                return
            depth -= 1
            cut = pivot_partition(first, last)
            introsort(cut, last, depth)
            last = cut

    n = len(a)
    if n > 1:
        introsort(0, n, 2 * (n.bit_length() - 1))
        insertion_sort(0, min(n, _THRESHOLD))
        for i in range(_THRESHOLD, n):
            linear_insert(i)
    return np.array(a, dtype=np.int64)
