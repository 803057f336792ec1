"""Functional variants of torch.nn.functional: the ``*_with_indices`` pooling forms and
``pdist`` (minitorch.pdist, as torch.nn.functional.pdist is torch.pdist)."""

from __future__ import annotations

from .._tensor import Tensor
from ..ops.products import pdist  # noqa: F401  (torch.nn.functional.pdist is torch.pdist)
from .functional_conv import (
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    adaptive_max_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)

__all__ = [
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "max_pool3d_with_indices",
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


def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_pool3d_with_indices``: always (output, indices)."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size,
                                     return_indices: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.adaptive_max_pool3d_with_indices``: always (output,
    indices)."""
    return adaptive_max_pool3d(input, output_size, True)
