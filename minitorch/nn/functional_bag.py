"""``embedding_bag`` (mirrors ``torch.nn.functional.embedding_bag``; ``minitorch.nn.functional``
re-exports it): the sum, mean or max of the embeddings of each bag of indices, composed of
an embedding lookup and index_add (max: one gather of padded bags), so gradients flow as for
``embedding``."""

from __future__ import annotations

import numpy as np

from .. import factories, ops
from .._dtypes import HALF_NP
from .._tensor import Tensor, make_tensor
from ..backends import to_backend
from ..ops.embedding import check_indices, embedding

__all__ = ["embedding_bag"]


def _bags(input: Tensor, offsets, per_sample_weights, include_last_offset: bool):
    """(flat indices, flat weights or None, bag start offsets) of 1-D input with offsets or
    of 2-D input (one bag per row)."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                "mini-batch of fixed length sequences. However, found offsets of type "
                f"{type(offsets)}"
            )
        rows, length = input.shape
        starts = np.arange(0, rows * length, length)
        weights = None if per_sample_weights is None else per_sample_weights.reshape(-1)
        return input.reshape(-1), weights, starts
    if input.ndim != 1:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}"
        )
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.ndim != 1:
        raise ValueError(f"offsets has to be a 1D Tensor, but got shape {tuple(offsets.shape)}")
    if not np.issubdtype(offsets.dtype.np, np.integer):
        raise TypeError(
            f"embedding_bag: offsets must be int64 or int32, got {offsets.dtype} "
            "(call .long() on the offsets)"
        )
    starts = np.asarray(offsets.cpu()._data, dtype=np.int64)
    _check_offsets(starts, input.shape[0], include_last_offset)
    if include_last_offset:
        starts = starts[:-1]
    if not starts.size:  # no bags: no index belongs to one
        input = input[:0]
        per_sample_weights = None if per_sample_weights is None else per_sample_weights[:0]
    return input, per_sample_weights, starts


def _check_offsets(starts: np.ndarray, n: int, include_last_offset: bool) -> None:
    """PyTorch's checks of bag offsets, plus two it lacks: non-decreasing order (PyTorch fails
    on it with an internal assertion, or for mode='max' gives bags of the wrong indices) and,
    with include_last_offset, offsets[-1] == len(input) (PyTorch's sum leaves the indices
    past it out but gives their weight rows uninitialized gradients, its mean divides by the
    count up to the end of input, its max takes the last bag to the end)."""
    if include_last_offset and starts.size == 0:
        raise RuntimeError("include_last_offset: number of offset should be at least 1")
    if starts.size == 0:
        return
    if starts[0] != 0:
        raise RuntimeError(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
            f"from position 0. However, got {starts[0]}"
        )
    if starts[-1] > n:
        raise RuntimeError(
            f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] "
            f"of {starts[-1]}"
        )
    if include_last_offset and starts[-1] != n:
        raise ValueError(
            f"embedding_bag: with include_last_offset=True, offsets[-1] ({starts[-1]}) has to "
            f"be the input's length {n} (PyTorch gives inconsistent bags and gradients "
            "otherwise); slice the input to input[:offsets[-1]]"
        )
    if (np.diff(starts) < 0).any():
        raise RuntimeError(
            f"embedding_bag: offsets has to be non-decreasing (bag i holds input[offsets[i]:"
            f"offsets[i+1]]), but got {starts.tolist()}"
        )


def embedding_bag(
    input: Tensor,
    weight: Tensor,
    offsets: Tensor | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Tensor | None = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.embedding_bag``: one row per bag (empty bags give
    zeros; indices equal to ``padding_idx`` are left out of their bag)."""
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})"
        )
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, but got {mode}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub."
        )
    check_indices(input, "embedding_bag")
    flat, weights, starts = _bags(input, offsets, per_sample_weights, include_last_offset)
    if weights is not None and weights._data.dtype != weight._data.dtype:
        raise RuntimeError(
            "Expected tensor for argument #1 'weight' to have the same type as tensor for "
            f"argument #1 'per_sample_weights'; but type {weight.type()} does not equal "
            f"{weights.type()} (while checking arguments for embedding_bag)"
        )
    n, bags = flat.shape[0], starts.size
    bag = np.searchsorted(starts, np.arange(n), side="right") - 1  # each index's bag
    if padding_idx is not None:
        num = weight.shape[0]
        if not -num <= padding_idx < num:
            raise RuntimeError(
                f"padding_idx must be within the number of embeddings, {-num} through {num - 1}, "
                f"but got {padding_idx}"
            )
        keep = np.flatnonzero(flat.cpu()._data != padding_idx % weight.shape[0])
        flat, bag = flat[keep], bag[keep]
        weights = None if weights is None else weights[keep]
    rows = embedding(flat, weight, None, max_norm, norm_type, scale_grad_by_freq)
    narrow = mode != "max" and weight._data.dtype in HALF_NP
    if narrow:  # PyTorch weighs and sums 16-bit float rows in float32
        rows = rows.float()
        weights = None if weights is None else weights.float()
    if weights is not None:
        rows = rows * weights.unsqueeze(-1)
    zeros = factories.zeros((bags, weight.shape[1]), dtype=rows.dtype, device=weight.device)
    if mode == "max":
        if not bags:
            return rows  # (0, embedding_dim), still connected to weight
        # Every bag gathered to the longest bag's length (a short bag repeats its last row,
        # after the original: the first maximum gets the gradient, as PyTorch's); an empty
        # bag reads a zero row past the embeddings.
        counts = np.bincount(bag, minlength=bags)
        begins = np.cumsum(counts) - counts
        steps = np.minimum(np.arange(max(int(counts.max()), 1)), np.maximum(counts, 1)[:, None] - 1)
        taps = np.where(counts[:, None] > 0, begins[:, None] + steps, rows.shape[0])
        table = ops.cat([rows, zeros[:1]])
        index = make_tensor(to_backend(taps.reshape(-1), weight._data))
        return table.index_select(0, index).unflatten(0, taps.shape).max(1).values
    out = zeros.index_add(0, make_tensor(to_backend(bag, weight._data)), rows)
    if narrow:  # the bag sums rounded once; a mean divides the rounded sum
        out = out.to(weight.dtype)
    if mode == "mean":
        counts = np.maximum(np.bincount(bag, minlength=bags), 1).astype(out._data.dtype)
        out = out / make_tensor(to_backend(counts[:, None], weight._data))
    return out
