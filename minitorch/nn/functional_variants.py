"""Functional variants of torch.nn.functional: the ``*_with_indices`` pooling forms and
``pdist``."""

from __future__ import annotations

from .. import factories
from .._tensor import Tensor
from ..ops.elementwise import where
from .functional_conv import adaptive_max_pool1d, adaptive_max_pool2d, max_pool1d, max_pool2d

__all__ = [
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "pdist",
]


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_pool1d_with_indices``: always (output, indices),
    whatever ``return_indices`` says."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_pool2d_with_indices``: always (output, indices)."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size,
                                     return_indices: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.adaptive_max_pool1d_with_indices``: always (output,
    indices)."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size,
                                     return_indices: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.adaptive_max_pool2d_with_indices``: always (output,
    indices)."""
    return adaptive_max_pool2d(input, output_size, True)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """Mirrors ``torch.nn.functional.pdist`` / ``torch.pdist``: the p-norm distances between
    every pair of rows i < j of an (N, M) input, in row-major order of the pairs."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    i, j = factories.triu_indices(n, n, 1, device=input.device)
    diff = input[i] - input[j]
    if p == 0:  # the count of differing coordinates, in the graph with a zero gradient
        return where(diff != 0, 1.0, diff * 0).sum(1)
    return diff.norm(p, dim=1)
