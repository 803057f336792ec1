"""Distances and the margin losses of metric learning (mirror the corresponding parts of
``torch.nn.functional``; ``minitorch.nn.functional`` re-exports them). Each is composed of
differentiable ops, with PyTorch's formulas (and epsilons)."""

from __future__ import annotations

import math

from .. import _dtypes, ops
from .._dtypes import int64
from .._tensor import Tensor
from ..amp.autocast_mode import float32_function
from ..factories import arange, zeros_like
from ..ops.activation import softplus
from ..ops.loss import _reduce, legacy_reduction
from ..ops.products import pairwise_distance

__all__ = [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "pairwise_distance",
    "soft_margin_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]


@float32_function
def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.triplet_margin_loss``: max(d(a, p) - d(a, n) + margin,
    0), with d the pairwise distance (``swap``: d(a, n) is min(d(a, n), d(p, n)))."""
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ops.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    loss = (margin + d_pos - d_neg).clamp(min=0)
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


def triplet_margin_with_distance_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    *,
    distance_function=None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.triplet_margin_with_distance_loss``: max(d(a, p) -
    d(a, n) + margin, 0) for any distance function (default: pairwise_distance)."""
    distance = pairwise_distance if distance_function is None else distance_function
    d_pos, d_neg = distance(anchor, positive), distance(anchor, negative)
    if swap:
        d_neg = ops.minimum(d_neg, distance(positive, negative))
    return _reduce((margin + d_pos - d_neg).clamp(min=0), reduction)


@float32_function
def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.margin_ranking_loss``: max(-y (x1 - x2) + margin, 0)."""
    loss = (-target * (input1 - input2) + margin).clamp(min=0)
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


@float32_function
def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.cosine_embedding_loss``: 1 - cos(x1, x2) where y = 1,
    max(cos(x1, x2) - margin, 0) where y = -1."""
    eps = 1e-12  # PyTorch's EPSILON
    dim = input1.ndim - 1
    cos = (input1 * input2).sum(dim) / (
        ((input1 * input1).sum(dim) + eps) * ((input2 * input2).sum(dim) + eps)
    ).sqrt()
    zeros = zeros_like(cos)
    loss = ops.where(target == 1, 1 - cos, zeros) + ops.where(
        target == -1, (cos - margin).clamp(min=0), zeros
    )
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


@float32_function
def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.hinge_embedding_loss``: x where y = 1,
    max(margin - x, 0) where y = -1."""
    zeros = zeros_like(input)
    loss = ops.where(target != 1, (margin - input).clamp(min=0), zeros) + ops.where(
        target != -1, input, zeros
    )
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


@float32_function
def soft_margin_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors ``torch.nn.functional.soft_margin_loss``: log(1 + exp(-y x))."""
    loss = softplus(-target * input)
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


def multilabel_soft_margin_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.multilabel_soft_margin_loss``: the class-weighted
    binary cross-entropy of sigmoid(x), averaged over the classes (the last dimension)."""
    loss = -(target * _logsigmoid(input) + (1 - target) * _logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.ndim - 1) / input.shape[-1]
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


def _logsigmoid(x: Tensor) -> Tensor:
    return -softplus(-x, 1.0, math.inf)


@float32_function
def multi_margin_loss(
    input: Tensor,
    target: Tensor,
    p: int = 1,
    margin: float = 1.0,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.multi_margin_loss``: the sum over classes j != y of
    max(0, margin - x[y] + x[j])^p (times weight[y]), divided by the number of classes."""
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    y = target.reshape(-1, 1)
    z = (margin - x.gather(1, y) + x).clamp(min=0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[y]
    other = arange(x.shape[1], device=x.device) != y  # j != y
    loss = (z * other).sum(1) / x.shape[1]
    if input.ndim != 2:
        loss = loss.reshape(target.shape)
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))


@float32_function
def multilabel_margin_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors ``torch.nn.functional.multilabel_margin_loss``: with the target classes
    y[0], y[1], ... up to the first -1, the sum over each target j and each non-target class
    i of max(0, 1 - (x[y[j]] - x[i])), divided by the number of classes."""
    if tuple(target.shape) != tuple(input.shape):
        sizes = f"{list(target.shape)} for input of size: {list(input.shape)}"
        raise RuntimeError(f"inconsistent target size: {sizes}")
    if target.dtype != int64:
        name = _dtypes.CPP_NAMES.get(target._data.dtype.name, (None, target.dtype))[1]
        raise RuntimeError(f"expected scalar type Long but found {name}")
    C = input.shape[-1] if input.ndim else 1
    x, y = input.reshape(-1, C), target.reshape(-1, C)
    if ((y < -1) | (y >= C)).any():
        raise RuntimeError("argument #2 'target' is out of range")
    listed = (y >= 0).cumprod(1).bool()  # the targets before the first -1
    yc = y.clamp(min=0)
    is_target = ((yc.unsqueeze(2) == arange(C, device=y.device)) & listed.unsqueeze(2)).any(1)
    z = (1 - x.gather(1, yc).unsqueeze(2) + x.unsqueeze(1)).clamp(min=0)  # [n, j, i]
    loss = (z * (listed.unsqueeze(2) & ~is_target.unsqueeze(1))).sum((1, 2)) / C
    if input.ndim < 2:
        loss = loss.reshape(())
    return _reduce(loss, legacy_reduction(size_average, reduce, reduction))
