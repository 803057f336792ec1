"""Counting and searching (no gradient): unique, unique_consecutive, bincount, histc,
histogram, histogramdd, searchsorted, bucketize, isin."""

from __future__ import annotations

import builtins
import math

import numpy as np

from .._dtypes import CPP_NAMES, scalar_type_name
from .._linspace import linspace_values
from .._numpy_warnings import numpy_quiet
from .._tensor import Tensor, _dim_error, make_tensor
from .._warn_once import warn_once
from ..autograd import forward_ad
from ..autograd.underivable import NotImplementedFormula, Underivable, no_forward_ad
from ..backends import ascontiguous, on_host, to_backend, xp_of
from . import tie_order
from .elementwise import _promote
from .reduce import wrap_dim
from .return_types import return_type

_histogram_result = return_type("histogram", ("hist", "bin_edges"))
_histogramdd_result = return_type("histogramdd", ("hist", "bin_edges"))


def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
):
    """Mirrors ``torch.unique``: the distinct elements (or slices along ``dim``), sorted,
    with the inverse indices (shaped like the input, or along ``dim``) and counts if asked.
    The result is sorted even when ``sorted=False``, as PyTorch's CPU kernel does."""
    x = input._data
    op, node = (
        ("_unique2", "Unique2Backward0") if dim is None else ("unique_dim", "UniqueDimBackward0")
    )
    if dim is not None and forward_ad.is_dual(input):
        raise no_forward_ad(op)
    dim = None if dim is None else _unique_dim(x, dim)

    def distinct(x):
        values, inverse, counts = np.unique(  # (numpy sorts bfloat16 NaNs first: in float32)
            x.astype(np.float32) if x.dtype.kind == "V" else x,
            return_inverse=True,
            return_counts=True,
            axis=dim,
            equal_nan=False,
        )  # each NaN is distinct, as in PyTorch
        out = [values.astype(x.dtype, copy=False)]
        if dim is None and x.dtype.kind in "fV" and isinstance(x, np.ndarray):
            _std_sort_ties(x.reshape(-1), out[0], inverse.reshape(-1) if return_inverse else None)
        if return_inverse:
            out.append(inverse.reshape(x.shape if dim is None else -1).astype(np.int64, copy=False))
        if return_counts:
            out.append(counts.astype(np.int64, copy=False))
        return out[0] if len(out) == 1 else tuple(out)

    return NotImplementedFormula.apply(input, op, node, distinct)


def _std_sort_ties(flat, values, inverse) -> None:
    """Where PyTorch's CPU unique (std::sort, then the first of each run of equal elements)
    decides among ties of ``flat``: the zero kept among ``values`` when both signs occur, and
    which NaN (each one distinct, last) is which in ``inverse`` if given (set in place)."""
    zeros, nans = flat == 0, np.isnan(flat)
    signs = np.signbit(flat[zeros])
    mixed = signs.any() and not signs.all()
    if not mixed and (inverse is None or nans.sum() < 2):
        return
    order = tie_order.std_sort(tie_order.row_keys(flat[None], False)[0])
    if mixed:
        values[values == 0] = flat[next(i for i in order if zeros[i])]
    if inverse is not None:
        nan_order = [i for i in order if nans[i]]
        inverse[nan_order] = len(values) - len(nan_order) + np.arange(len(nan_order))


def _unique_dim(x, dim: int) -> int:
    """``dim`` of unique/unique_consecutive, wrapped (PyTorch's checks, in its words)."""
    if x.ndim == 0:
        raise _dim_error(dim, 0)
    dim = wrap_dim(dim, x.ndim)
    if x.size == 0 and x.shape[dim] != 0:
        raise RuntimeError(
            "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"
        )
    if x.shape.count(0) > 1:
        raise RuntimeError(
            "Number of zero sized dimensions is more than one, so unique cannot be applied "
        )
    return dim


def unique_consecutive(
    input: Tensor, return_inverse: bool = False, return_counts: bool = False, dim=None
):
    """Mirrors ``torch.unique_consecutive``: drops each element (or slice along ``dim``)
    equal to the one before it, with inverse indices and run lengths if asked."""
    if dim is not None and forward_ad.is_dual(input):
        raise no_forward_ad("unique_consecutive")
    d = None if dim is None else _unique_dim(input._data, dim)

    def runs(x):
        lead = x.reshape(-1, 1) if d is None else np.moveaxis(x, d, 0)
        rows = lead.reshape(lead.shape[0], math.prod(lead.shape[1:]))
        starts = np.ones_like(rows, dtype=bool, shape=rows.shape[0])  # (on x's device)
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
        first = np.flatnonzero(starts)
        # (along a dim: laid out with that dim outermost, as PyTorch's)
        out = [x.reshape(-1)[first] if d is None else np.moveaxis(ascontiguous(lead[first]), 0, d)]
        if return_inverse:
            inverse = np.cumsum(starts) - 1
            out.append(inverse.reshape(x.shape if d is None else -1).astype(np.int64))
        if return_counts:
            out.append(np.diff(np.append(first, rows.shape[0])).astype(np.int64))
        return out[0] if len(out) == 1 else tuple(out)

    return NotImplementedFormula.apply(
        input, "unique_consecutive", "UniqueConsecutiveBackward0", runs
    )


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Mirrors ``torch.bincount``: how often each value 0..max occurs in a 1-D tensor of
    non-negative ints (the sum of ``weights`` at those places when given)."""
    x = input._data
    if x.dtype.kind not in "iu":
        raise NotImplementedError(
            f"\"bincount_cpu\" not implemented for '{scalar_type_name(x.dtype)}'"
        )
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if x.ndim == 1 and x.size == 0:  # int64 zeros, weights or not (as PyTorch)
        return make_tensor(np.zeros_like(x, np.int64, shape=(minlength,)))
    if x.ndim != 1 or x.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return make_tensor(np.bincount(x, minlength=minlength).astype(np.int64, copy=False))
    w = weights._data
    if w.shape != x.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    if w.dtype != np.float32:  # summed in double, one by one as np.bincount does
        return make_tensor(np.bincount(x, w.astype(np.float64, copy=False), minlength=minlength))
    out = np.zeros_like(w, shape=(builtins.max(int(x.max()) + 1, minlength),))
    xp_of(w).add.at(out, x, w)  # float32 weights summed in float32, in order, as PyTorch
    return make_tensor(out)


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """Mirrors ``torch.histc``: counts in ``bins`` equal bins over [min, max] (the data's
    range when both are 0); elements outside are ignored, ``max`` falls in the last bin."""
    x = input._data
    lo, hi = float(min), float(max)
    if lo != hi:  # a given range is checked before PyTorch's kernel lookup, bins too
        _check_histc_range(lo, hi)
    _check_bins(bins)
    if x.dtype.kind in "iu":  # the range is converted to the input's type before the lookup
        lo, hi = _histc_range(x, lo, hi)
        if lo == hi:  # (2**62 +- 1 in double)
            raise RuntimeError("torch.histc: max must be larger than min")
        info = np.iinfo(x.dtype)  # (compared in double, as c10's checked conversion)
        if lo < float(info.min) or hi > float(info.max):
            raise RuntimeError(
                f"value cannot be converted to type {x.dtype.name}_t without overflow"
            )
    if x.dtype.kind not in "fV":  # PyTorch's kernel lookup fails (a bool one a step earlier)
        kernel = "linspace_cpu" if x.dtype.kind == "b" else "histogram_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(x.dtype)}'")
    lo, hi = _histc_range(x, lo, hi)
    inside = x[(x >= lo) & (x <= hi)]
    pos = ((inside - x.dtype.type(lo)) * bins / x.dtype.type(hi - lo)).astype(np.int64)
    np.minimum(pos, bins - 1, out=pos)  # x == max goes to the last bin
    return make_tensor(np.bincount(pos, minlength=bins).astype(x.dtype))


def _histc_range(x, lo: float, hi: float) -> tuple:
    """histc's range (checked): the data's when none is given, widened by 1 if empty."""
    if lo == hi and x.size:
        with numpy_quiet():  # (NaN, silently)
            lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    _check_histc_range(lo, hi)
    return lo, hi


def _check_histc_range(lo: float, hi: float) -> None:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")


def _check_bins(bins) -> None:
    if not isinstance(bins, Tensor) and bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")


def histogram(input: Tensor, bins=100, *, range=None, weight=None, density: bool = False):
    """Mirrors ``torch.histogram``: (hist, bin_edges) of a float32/float64 tensor, with
    ``bins`` a count (equal bins over ``range``, else the data's range) or a tensor of
    edges; PyTorch's checks and messages."""
    x = input._data
    if x.dtype not in (np.float32, np.float64):
        raise NotImplementedError(
            f"\"histogramdd\" not implemented for '{scalar_type_name(x.dtype)}'"
        )
    _check_bins(bins)
    name = CPP_NAMES[x.dtype.name][0]
    if isinstance(bins, Tensor) and bins._data.dtype != x.dtype:
        raise RuntimeError(
            "torch.histogramdd: input tensor and bins tensors should have the same dtype, but "
            f"got input with dtype {name} and bins for dimension 0 with dtype "
            f"{CPP_NAMES.get(bins._data.dtype.name, ('', bins._data.dtype.name))[0]}"
        )
    w = None if weight is None else weight._data
    if w is not None and w.dtype != x.dtype:
        raise RuntimeError(
            "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor "
            f"should have the same dtype, but got input({name}), and "
            f"weight({CPP_NAMES.get(w.dtype.name, ('', w.dtype.name))[0]})"
        )
    if w is not None and w.size != x.size:
        raise RuntimeError(
            "torch.histogramdd: if weight tensor is provided it should have the same shape as "
            "the input tensor excluding its innermost dimension, but got input with shape "
            f"[{x.size}, 1] and weight with shape {list(w.shape)}"
        )
    pairs = None if range is None else [range]

    def count(x, w, b):
        w = None if w is None else w.reshape(-1)
        hist, edges = _histogramdd(x.reshape(-1, 1), [b], pairs, w, density)
        return hist, edges[0]

    return _histogram_result(*Underivable.apply(input, "histogram", count, weight, bins))


def _histogramdd(points, bins: list, pairs, w, density: bool):
    """PyTorch's histogramdd kernel on the (N, D) ``points``: per dim, the edges given or
    ``linspace`` over the range (the data's when None) in the points' dtype; bin i of a dim
    holds edges[i] <= x < edges[i + 1] (the last its right edge too), points outside any
    dim's edges are left out. Returns (hist, [edges per dim])."""
    dtype, n_dims = points.dtype, points.shape[1]
    edges, index, inside = [], 0, np.ones_like(points[:, 0], dtype=bool)
    for i in builtins.range(n_dims):
        col, b = points[:, i], bins[i]
        if not isinstance(b, int):  # the edges
            e = b._data if isinstance(b, Tensor) else b
        else:
            lo, hi = (col.min(), col.max()) if col.size else (0.0, 1.0)
            lo, hi = (float(lo), float(hi)) if pairs is None else pairs[i]
            if not (np.isfinite(lo) and np.isfinite(hi)):
                raise RuntimeError(
                    f"torch.histogramdd: dimension {i}'s range [{lo:g}, {hi:g}] is not finite"
                )
            if lo > hi:
                raise RuntimeError(
                    f"torch.histogramdd: min should not exceed max, but got min {lo:g} max "
                    f"{hi:g} for dimension {i}"
                )
            if lo == hi:  # widened as numpy does
                lo, hi = lo - 0.5, hi + 0.5
            e = linspace_values(lo, hi, b + 1, dtype, xp_of(points))
        n = e.shape[0] - 1
        inside &= (col >= e[0]) & (col <= e[-1])
        pos = np.clip(np.searchsorted(e, col, side="right") - 1, 0, n - 1)
        index = index * n + pos
        edges.append(e)
    shape = tuple(e.shape[0] - 1 for e in edges)
    weights = None if w is None else w[inside]
    hist = np.bincount(index[inside], weights, minlength=math.prod(shape)).astype(dtype)
    hist = hist.reshape(shape)
    if density:
        hist = hist / hist.sum()
        for i, e in enumerate(edges):
            hist = hist / np.diff(e).reshape((-1,) + (1,) * (n_dims - 1 - i))
    return hist, edges


def histogramdd(input: Tensor, bins, *, range=None, weight=None, density: bool = False):
    """Mirrors ``torch.histogramdd``: the D-dimensional histogram of the points in the rows
    of ``input`` (its last dim is D); ``bins`` a count, one count per dim or one tensor of
    edges per dim, ``range`` the flat (min, max) pairs of the dims."""
    x = input._data
    if x.dtype not in (np.float32, np.float64):
        raise NotImplementedError(
            f"\"histogramdd\" not implemented for '{scalar_type_name(x.dtype)}'"
        )
    d = x.shape[-1]
    pairs = None if range is None else [tuple(range[2 * i : 2 * i + 2]) for i in builtins.range(d)]
    counts = [bins] * d if isinstance(bins, int) else list(bins)
    if len(counts) != d:
        raise RuntimeError(
            "histogramdd: The size of bins must be equal to the innermost dimension of the input."
            if all(isinstance(b, int) for b in counts)
            else f"torch.histogramdd: expected {d} sequences of bin edges for a {d}-dimensional "
            f"histogram but got {len(counts)}"
        )

    def bin_edges(x, *b):  # PyTorch's two kernels: the edges, then the counts in them
        return tuple(_histogramdd(x.reshape(-1, d), list(b), pairs, None, False)[1])

    edges = tuple(counts)  # tensors of edges are returned as they are
    if all(isinstance(b, int) for b in counts):
        edges = Underivable.apply(input, "_histogramdd_bin_edges", bin_edges, *counts)
        edges = edges if isinstance(edges, tuple) else (edges,)

    def count(x, w, *e):
        w = None if w is None else w.reshape(-1)
        return _histogramdd(x.reshape(-1, d), list(e), None, w, density)[0]

    hist = Underivable.apply(input, "_histogramdd_from_bin_cts", count, weight, *edges)
    return _histogramdd_result(hist, edges)


def searchsorted(
    sorted_sequence: Tensor,
    input,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Tensor | None = None,
) -> Tensor:
    """Mirrors ``torch.searchsorted``: for each value, the index where it would be inserted
    into the sorted last dim of ``sorted_sequence`` (1-D, or one row per leading index of
    ``input``) to keep it sorted; after equal elements when ``right``/``side='right'``."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(
                f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
            )
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of "
                "left while right was True"
            )
        right = side == "right"
    given = (("input value", input), ("boundary", sorted_sequence), ("sorter", sorter))
    seq = sorted_sequence._data
    if isinstance(input, Tensor) and input._data.dtype != seq.dtype:  # compared in PyTorch's
        # result type of the two
        sorted_sequence, input = _promote(sorted_sequence, input, False)
        seq = sorted_sequence._data
    elif not isinstance(input, Tensor) and seq.dtype.kind == "b":  # a number lifts bools
        seq = _promote(sorted_sequence, input, False)[0]._data
    if seq.dtype.kind == "b" and (not isinstance(input, Tensor) or input._data.size):
        raise NotImplementedError("\"searchsorted_out_cpu\" not implemented for 'Bool'")
    if seq.ndim == 0:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
            "dimension"
        )
    scalar = not isinstance(input, Tensor)
    values = to_backend(np.asarray(input), seq) if scalar else input._data
    if scalar and type(input) is int and seq.dtype.kind in "iu":  # in the boundaries' type
        values = values.astype(seq.dtype)  # (wrapping, as C++'s cast: -1 is 255 for uint8)
    if seq.ndim > 1 and values.ndim == 0:
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor "
            f"dimension is 1, but we got boundaries tensor dim({seq.ndim}) and input value's "
            "dim(0) numel(1)"
        )
    if seq.ndim > 1 and seq.shape[:-1] != values.shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}"
        )
    if sorter is not None:
        if sorter._data.dtype != np.int64:
            raise RuntimeError(
                "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                f"{scalar_type_name(sorter._data.dtype)}"
            )
        if sorter._data.shape != seq.shape:
            raise RuntimeError(
                "torch.searchsorted(): boundary and sorter must have the same size, but got "
                f"boundary tensor {list(seq.shape)}and got sorter tensor "
                f"{list(sorter._data.shape)}"
            )
        order = sorter._data
        if order.size and not (0 <= order.min() and order.max() < seq.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
        seq = np.take_along_axis(seq, order, axis=-1)
    for name, t in given:
        if isinstance(t, Tensor) and not t.is_contiguous():
            warn_once(
                f"torch.searchsorted(): {name} tensor is non-contiguous, this will lower the "
                "performance due to extra data copy when converting non-contiguous tensor to "
                f"contiguous, please use contiguous {name} tensor if possible. This message will "
                "only appear once per program."
            )
    if seq.dtype.kind == "V":  # numpy's search misplaces bfloat16 NaNs; float32 holds them
        seq, values = seq.astype(np.float32), values.astype(np.float32)
    # (a device's boundaries are not looked at for NaNs: that read would stall it)
    nan_free = seq.dtype.kind not in "fV" or (on_host(seq) and not np.isnan(seq).any())
    if seq.ndim == 1 and nan_free:
        out = np.searchsorted(seq, values, side="right" if right else "left")
    else:
        out = _binary_search(seq.reshape(math.prod(seq.shape[:-1]), seq.shape[-1]), values, right)
    return make_tensor(ascontiguous(out.astype(np.int32 if out_int32 else np.int64)))


def _binary_search(rows, values, right: bool):
    """ATen's lower/upper bound (``!(mid >= v)`` / ``!(mid > v)`` moves right) for all values
    at once, each in its row of ``rows`` (one row for all when there is one): the answer
    PyTorch gives where NaNs in the boundaries leave numpy's sort order."""
    n = rows.shape[1]
    v = values.reshape(rows.shape[0], -1) if rows.shape[0] > 1 else values.reshape(1, -1)
    start = np.zeros_like(v, dtype=np.int64)
    end = np.full_like(v, n, dtype=np.int64)
    r = xp_of(rows).arange(rows.shape[0])[:, None]
    for _ in range(n.bit_length()):  # each step halves (at least) every interval of <= n
        active = start < end
        mid = (start + end) >> 1
        at = rows[r, np.minimum(mid, n - 1)]
        go_right = active & ~((at > v) if right else (at >= v))
        start = np.where(go_right, mid + 1, start)
        end = np.where(active & ~go_right, mid, end)
    return start.reshape(np.shape(values))


def bucketize(input, boundaries: Tensor, *, out_int32: bool = False, right: bool = False):
    """Mirrors ``torch.bucketize``: the bucket of each element given 1-D ``boundaries``
    (boundaries[i-1] < x <= boundaries[i]; with ``right``, boundaries[i-1] <= x <
    boundaries[i])."""
    if boundaries._data.ndim != 1:
        raise RuntimeError(
            f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})"
        )
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Mirrors ``torch.isin``: whether each element of ``elements`` is in ``test_elements``
    (either may be a number)."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        got = ", ".join(type(v).__name__ for v in (elements, test_elements))
        raise TypeError(
            f"isin() received an invalid combination of arguments - got ({got}), but expected "
            "one of: (Tensor elements, Tensor test_elements), (Number element, Tensor "
            "test_elements), (Tensor elements, Number test_element)"
        )
    for t in (elements, test_elements):
        if isinstance(t, Tensor) and t._data.dtype.kind == "b":
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    if isinstance(elements, Tensor) and isinstance(test_elements, Tensor):
        elements, test_elements = _promote(elements, test_elements, False)  # (bfloat16 and int)
    if isinstance(elements, Tensor):
        a = elements._data
    else:
        a = to_backend(np.asarray(elements), test_elements._data)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    if "V" in (a.dtype.kind, b.dtype.kind):  # numpy's isin sorts bfloat16 NaNs first: in float32
        a, b = a.astype(np.float32), b.astype(np.float32)
    return make_tensor(np.isin(a, to_backend(b, a), assume_unique=assume_unique, invert=invert))
