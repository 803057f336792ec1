"""Distances and the margin losses of metric learning (mirror the corresponding parts of
``torch.nn.functional``; ``minitorch.nn.functional`` re-exports them). Each is composed of
differentiable ops, with PyTorch's formulas (and epsilons)."""

from __future__ import annotations

from .. import ops
from .._tensor import Tensor
from ..factories import zeros_like
from ..ops.loss import _reduce, legacy_reduction

__all__ = [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "pairwise_distance",
    "triplet_margin_loss",
]


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """Mirrors ``torch.nn.functional.pairwise_distance``: ||x1 - x2 + eps||_p over the last
    dimension."""
    return (x1 - x2 + eps).norm(p, -1, keepdim=keepdim)


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
