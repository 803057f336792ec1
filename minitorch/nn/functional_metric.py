"""Distances and the margin losses of metric learning (mirror the corresponding parts of
``torch.nn.functional``; ``minitorch.nn.functional`` re-exports them). Each is composed of
differentiable ops, with PyTorch's formulas (and epsilons)."""

from __future__ import annotations

import math

from .. import _dtypes, ops
from .._dtypes import HALF_NP, int64
from .._tensor import Tensor
from ..amp.autocast_mode import float32_function
from ..backends import on_host
from ..factories import arange, zeros_like
from ..ops.activation import softplus
from ..ops.loss import (
    _check_in_place_factor,
    _check_reduction,
    _reduce,
    check_no_requires_grad,
    legacy_reduction,
)
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


def _check_triplet_dims(anchor: Tensor, positive: Tensor, negative: Tensor) -> None:
    a, p, n = anchor.dim(), positive.dim(), negative.dim()
    if not a == p == n:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of "
            f"dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ops.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), reduction)


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
    _check_reduction(reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    distance = pairwise_distance if distance_function is None else distance_function
    d_pos, d_neg = distance(anchor, positive), distance(anchor, negative)
    if swap:
        d_neg = ops.minimum(d_neg, distance(positive, negative))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), reduction)


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if not input1.dim() == input2.dim() == target.dim():
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if not input1.ndim == input2.ndim == target.ndim + 1:
        raise RuntimeError(
            f"{target.ndim}D target tensor expects {target.ndim + 1}D input tensors, but found "
            f"inputs with sizes {list(input1.shape)} and {list(input2.shape)}."
        )
    eps = 1e-12  # PyTorch's EPSILON
    dim = input1.ndim - 1
    cos = (input1 * input2).sum(dim) / (
        ((input1 * input1).sum(dim) + eps) * ((input2 * input2).sum(dim) + eps)
    ).sqrt()
    zeros = zeros_like(cos)
    loss = ops.where(target == 1, 1 - cos, zeros) + ops.where(
        target == -1, (cos - margin).clamp(min=0), zeros
    )
    return _reduce(loss, reduction)


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    zeros = zeros_like(input)
    loss = ops.where(target != 1, (margin - input).clamp(min=0), zeros) + ops.where(
        target != -1, input, zeros
    )
    return _reduce(loss, reduction)


@float32_function
def soft_margin_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors ``torch.nn.functional.soft_margin_loss``: log(1 + exp(-y x))."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    check_no_requires_grad(target, "target", "soft_margin_loss")
    # PyTorch's formula, overflow to inf included, computed in place on -input: in its shape
    # and dtype
    _check_in_place_factor(input, target)
    loss = (-input * target).to(input.dtype).exp().log1p()
    return _reduce(loss, reduction)


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    loss = -(target * _logsigmoid(input) + (1 - target) * _logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.ndim - 1) / input.shape[-1]
    if reduction not in ("none", "mean", "sum"):  # PyTorch's words, checked last
        raise ValueError(f"{reduction} is not valid")
    return _reduce(loss, reduction)


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    check_no_requires_grad(weight, "weight", "multi_margin_loss")
    _check_margin_input(input)
    n, c = (input.shape[0], input.shape[1]) if input.ndim == 2 else (1, input.numel())
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}."
        )
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"inconsistent weight size, expected {c} but got {list(weight.shape)}")
    _check_cpu_kernel(input, "multi_margin_loss_cpu_kernel")
    _check_scalar_type(target, int64)
    if weight is not None:
        _check_scalar_type(weight, input.dtype)
    if on_host(target._data) and ((target < 0) | (target >= c)).any():  # (no device read)
        raise RuntimeError("target out of range")
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
    return _reduce(loss, reduction)


@float32_function
def multilabel_margin_loss(
    input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors ``torch.nn.functional.multilabel_margin_loss``: with the target classes
    y[0], y[1], ... up to the first -1, the sum over each target j and each non-target class
    i of max(0, 1 - (x[y[j]] - x[i])), divided by the number of classes."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    _check_margin_input(input)
    if tuple(target.shape) != tuple(input.shape):
        sizes = f"{list(target.shape)} for input of size: {list(input.shape)}"
        raise RuntimeError(f"inconsistent target size: {sizes}")
    C = input.shape[-1] if input.ndim else 1
    x, y = input.reshape(-1, C), target.reshape(-1, C)
    if on_host(y._data) and ((y < -1) | (y >= C)).any():  # (no device read)
        raise RuntimeError("argument #2 'target' is out of range")
    _check_cpu_kernel(input, "multilabel_margin_loss_forward_out_frame")
    _check_scalar_type(target, int64)
    listed = (y >= 0).cumprod(1).bool()  # the targets before the first -1
    yc = y.clamp(min=0)
    is_target = ((yc.unsqueeze(2) == arange(C, device=y.device)) & listed.unsqueeze(2)).any(1)
    z = (1 - x.gather(1, yc).unsqueeze(2) + x.unsqueeze(1)).clamp(min=0)  # [n, j, i]
    loss = (z * (listed.unsqueeze(2) & ~is_target.unsqueeze(1))).sum((1, 2)) / C
    if input.ndim < 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def _check_margin_input(input: Tensor) -> None:
    """PyTorch's check of the multi(label) margin losses' input: (C,) or (N, C), C > 0."""
    if input.ndim > 2 or (input.ndim and input.shape[-1] == 0):
        raise RuntimeError(
            "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(input.shape)}"
        )


def _check_cpu_kernel(input: Tensor, kernel: str) -> None:
    """PyTorch's CPU kernels of the margin losses have no float16 or bfloat16 version."""
    if input._data.dtype in HALF_NP and on_host(input._data):
        name = _dtypes.scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")


def _check_scalar_type(t: Tensor, dtype) -> None:
    if t.dtype != dtype:
        found, expected = (_dtypes.scalar_type_name(d.np) for d in (t.dtype, dtype))
        raise RuntimeError(f"expected scalar type {expected} but found {found}")
