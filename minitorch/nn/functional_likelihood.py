"""The negative log-likelihood losses of count and regression models: Poisson and Gaussian
(mirror ``torch.nn.functional.poisson_nll_loss`` and ``gaussian_nll_loss``;
``minitorch.nn.functional`` re-exports them). Composed of differentiable ops, with PyTorch's
formulas and epsilons."""

from __future__ import annotations

import math

from .._tensor import Tensor
from ..amp.autocast_mode import float32_function
from ..factories import full_like
from ..ops.loss import _check_reduction, _reduce, legacy_reduction

__all__ = ["gaussian_nll_loss", "poisson_nll_loss"]


@float32_function
def poisson_nll_loss(
    input: Tensor,
    target: Tensor,
    log_input: bool = True,
    full: bool = False,
    size_average=None,
    eps: float = 1e-8,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.poisson_nll_loss``: exp(x) - y x (``log_input``) or
    x - y log(x + eps); ``full`` adds Stirling's term y log y - y + log(2 pi y) / 2 where
    y > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + (target * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(target <= 1, 0.0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(
    input: Tensor,
    target: Tensor,
    var: Tensor | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.gaussian_nll_loss``: (log(var) + (x - y)^2 / var) / 2,
    var clamped below at ``eps`` (the clamp passes gradients through, as PyTorch's does);
    var may lack the last dimension or have size 1 in one dimension (shared variances)."""
    if not isinstance(var, Tensor):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = full_like(input, float(var))
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    shape, vshape = tuple(input.shape), tuple(var.shape)
    if vshape != shape:
        if shape[:-1] == vshape:  # one variance per sample
            var = var.unsqueeze(-1)
        elif len(shape) != len(vshape) or sum(v for x, v in zip(shape, vshape) if x != v) != 1:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var + (var.clamp(min=eps) - var).detach()
    loss = ((input - target) ** 2 / var + var.log()) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)
