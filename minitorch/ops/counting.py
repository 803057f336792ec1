"""Counting and searching (no gradient): unique, unique_consecutive, bincount, histc,
histogram, searchsorted, bucketize, isin."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..backends import to_backend
from .reduce import wrap_dim
from .return_types import return_type

_histogram_result = return_type("histogram", ("hist", "bin_edges"))


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
    if dim is not None:
        dim = wrap_dim(dim, x.ndim)
    values, inverse, counts = np.unique(
        x, return_inverse=True, return_counts=True, axis=dim, equal_nan=False
    )  # each NaN is distinct, as in PyTorch
    out = [make_tensor(values)]
    if return_inverse:
        inverse = inverse.reshape(x.shape if dim is None else -1)
        out.append(make_tensor(inverse.astype(np.int64, copy=False)))
    if return_counts:
        out.append(make_tensor(counts.astype(np.int64, copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(
    input: Tensor, return_inverse: bool = False, return_counts: bool = False, dim=None
):
    """Mirrors ``torch.unique_consecutive``: drops each element (or slice along ``dim``)
    equal to the one before it, with inverse indices and run lengths if asked."""
    x = input._data
    d = None if dim is None else wrap_dim(dim, x.ndim)
    rows = x.reshape(-1, 1) if d is None else np.moveaxis(x, d, 0).reshape(x.shape[d], -1)
    starts = np.ones(rows.shape[0], dtype=bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    first = np.flatnonzero(starts)
    values = x.reshape(-1)[first] if d is None else np.take(x, first, axis=d)
    out = [make_tensor(values)]
    if return_inverse:
        inverse = np.cumsum(starts) - 1
        out.append(make_tensor(inverse.reshape(x.shape if d is None else -1).astype(np.int64)))
    if return_counts:
        out.append(make_tensor(np.diff(np.append(first, rows.shape[0])).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Mirrors ``torch.bincount``: how often each value 0..max occurs in a 1-D tensor of
    non-negative ints (the sum of ``weights`` at those places when given)."""
    x = input._data
    if x.ndim != 1 or x.dtype.kind not in "iub" or (x.size and x.min() < 0):
        raise RuntimeError(
            "bincount only supports 1-d non-negative integral inputs; got shape "
            f"{list(input.shape)} and dtype {input.dtype}"
        )
    if minlength < 0:
        raise RuntimeError(f"minlength should be >= 0, got {minlength}")
    if weights is None:
        return make_tensor(np.bincount(x, minlength=minlength).astype(np.int64, copy=False))
    w = weights._data
    if w.shape != x.shape:
        raise RuntimeError(
            f"bincount: weights of shape {list(weights.shape)} must have the input's shape "
            f"{list(input.shape)}"
        )
    dtype = w.dtype if w.dtype.kind == "f" else np.float64
    return make_tensor(np.bincount(x, w, minlength=minlength).astype(dtype, copy=False))


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """Mirrors ``torch.histc``: counts in ``bins`` equal bins over [min, max] (the data's
    range when both are 0); elements outside are ignored, ``max`` falls in the last bin."""
    x = input._data
    if x.dtype.kind != "f":  # NotImplementedError (a RuntimeError), as PyTorch raises
        raise NotImplementedError(
            f"histc: expected a floating point tensor, got {input.dtype}: use .float()"
        )
    if bins <= 0:
        raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi or not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(
            f"torch.histc(): max must be larger than min and both finite, got [{lo}, {hi}]"
        )
    inside = x[(x >= lo) & (x <= hi)]
    pos = ((inside - x.dtype.type(lo)) * bins / x.dtype.type(hi - lo)).astype(np.int64)
    np.minimum(pos, bins - 1, out=pos)  # x == max goes to the last bin
    return make_tensor(np.bincount(pos, minlength=bins).astype(x.dtype))


def histogram(input: Tensor, bins=100, *, range=None, weight=None, density: bool = False):
    """Mirrors ``torch.histogram``: (hist, bin_edges) of a float tensor, with ``bins`` a
    count (equal bins over ``range``, else the data's range) or a tensor of edges."""
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"torch.histogram: input tensor must be floating point, got {input.dtype}"
        )
    edges = bins._data if isinstance(bins, Tensor) else bins
    w = None if weight is None else weight._data
    hist, edges = np.histogram(x, edges, range=range, weights=w, density=density)
    return _histogram_result(make_tensor(hist.astype(x.dtype)), make_tensor(edges.astype(x.dtype)))


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
            raise RuntimeError(f"side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError(
                "side and right can't be set to opposites, got side of left while right was True"
            )
        right = side == "right"
    seq = sorted_sequence._data
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, axis=-1)
    scalar = not isinstance(input, Tensor)
    values = to_backend(np.asarray(input), seq) if scalar else input._data
    how = "right" if right else "left"
    if seq.ndim == 1:
        out = np.searchsorted(seq, values, side=how)
    else:
        if values.shape[:-1] != seq.shape[:-1]:
            raise RuntimeError(
                "torch.searchsorted(): boundaries tensor should be 1 dimension or the first "
                "N-1 dimensions of boundaries tensor and input value tensor must match, but "
                f"we got boundaries tensor {list(seq.shape)} and input value tensor "
                f"{list(values.shape)}"
            )
        rows_seq = seq.reshape(-1, seq.shape[-1])
        rows_val = values.reshape(-1, values.shape[-1])
        out = np.stack(
            [np.searchsorted(s, v, side=how) for s, v in zip(rows_seq, rows_val)]
        ).reshape(values.shape)  # one call per row of the sequence
    return make_tensor(out.astype(np.int32 if out_int32 else np.int64))


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
    if isinstance(elements, Tensor):
        a = elements._data
    else:
        a = to_backend(np.asarray(elements), test_elements._data)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return make_tensor(np.isin(a, to_backend(b, a), assume_unique=assume_unique, invert=invert))
