"""FractionalMaxPool2d and FractionalMaxPool3d (mirror ``torch.nn``)."""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional_fractional as F
from ..functional_conv import _tuple
from .module import Module

__all__ = ["FractionalMaxPool2d", "FractionalMaxPool3d"]


class _FractionalMaxPoolNd(Module):
    _n = 0

    def __init__(self, kernel_size, output_size=None, output_ratio=None,
                 return_indices: bool = False, _random_samples: Tensor | None = None) -> None:  # fmt: skip
        super().__init__()
        name = type(self).__name__
        if self._n == 3 and any(k <= 0 for k in _tuple(kernel_size, 3, "kernel_size")):
            raise ValueError(f"kernel_size must be greater than 0, but got {kernel_size}")
        self.kernel_size = _tuple(kernel_size, self._n, "kernel_size")
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = None if output_size is None else _tuple(output_size, self._n, "")
        self.output_ratio = None
        if output_ratio is not None:
            ratio = tuple(output_ratio) if isinstance(output_ratio, (tuple, list)) else (output_ratio,)  # fmt: skip
            self.output_ratio = ratio * self._n if len(ratio) == 1 else ratio
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")  # fmt: skip
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Tensor):
        pool = F.fractional_max_pool2d if self._n == 2 else F.fractional_max_pool3d
        return pool(input, self.kernel_size, self.output_size, self.output_ratio,
                    self.return_indices, _random_samples=self._random_samples)  # fmt: skip


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Mirrors ``torch.nn.FractionalMaxPool2d``: input (N, C, H, W) or (C, H, W)."""

    _n = 2


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Mirrors ``torch.nn.FractionalMaxPool3d``: input (N, C, T, H, W) or (C, T, H, W)."""

    _n = 3
