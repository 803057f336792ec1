"""Pooling layers: MaxPool1d/2d/3d, MaxUnpool1d/2d/3d, AvgPool1d/2d/3d, LPPool1d/2d/3d,
AdaptiveAvgPool1d/2d/3d, AdaptiveMaxPool1d/2d/3d (mirror ``torch.nn``)."""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional_conv as F
from .conv import _ntuple
from .module import Module

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
]


class _MaxPoolNd(Module):
    """MaxPool1d/2d/3d: the settings of ``fn``, PyTorch's max_pool1d/2d/3d."""

    fn = None

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )

    def forward(self, input: Tensor):
        return type(self).fn(
            input, self.kernel_size, self.stride, self.padding, self.dilation,
            ceil_mode=self.ceil_mode, return_indices=self.return_indices,
        )  # fmt: skip


class MaxPool2d(_MaxPoolNd):
    """Mirrors ``torch.nn.MaxPool2d``."""

    fn = staticmethod(F.max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """Mirrors ``torch.nn.MaxPool3d``."""

    fn = staticmethod(F.max_pool3d)


class MaxPool1d(_MaxPoolNd):
    """Mirrors ``torch.nn.MaxPool1d``."""

    fn = staticmethod(F.max_pool1d)


class _MaxUnpoolNd(Module):
    n = 2

    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, self.n)
        self.stride = _ntuple(stride if stride is not None else kernel_size, self.n)
        self.padding = _ntuple(padding, self.n)

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        return F._max_unpool(
            input, indices, self.kernel_size, self.stride, self.padding, output_size, self.n
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool2d(_MaxUnpoolNd):
    """Mirrors ``torch.nn.MaxUnpool2d``: ``forward(input, indices, output_size=None)``."""


class MaxUnpool1d(_MaxUnpoolNd):
    """Mirrors ``torch.nn.MaxUnpool1d``: ``forward(input, indices, output_size=None)``."""

    n = 1


class MaxUnpool3d(_MaxUnpoolNd):
    """Mirrors ``torch.nn.MaxUnpool3d``: ``forward(input, indices, output_size=None)``."""

    n = 3


class _AvgPoolNd(Module):
    """AvgPool2d and AvgPool3d: the settings of ``fn``, PyTorch's avg_pool2d/3d."""

    fn = None

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override=None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        return type(self).fn(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad, self.divisor_override,
        )  # fmt: skip


class AvgPool2d(_AvgPoolNd):
    """Mirrors ``torch.nn.AvgPool2d``."""

    fn = staticmethod(F.avg_pool2d)


class AvgPool3d(_AvgPoolNd):
    """Mirrors ``torch.nn.AvgPool3d``: input (N, C, D, H, W) or (C, D, H, W)."""

    fn = staticmethod(F.avg_pool3d)


def _single(v) -> tuple:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


class AvgPool1d(Module):
    """Mirrors ``torch.nn.AvgPool1d``."""

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad,
        )  # fmt: skip


class _LPPoolNd(Module):
    n = 2

    def __init__(self, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False):
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return F._lp_pool(
            input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode, self.n
        )

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, ceil_mode={self.ceil_mode}"
        )


class LPPool2d(_LPPoolNd):
    """Mirrors ``torch.nn.LPPool2d``: the p-norm of each window."""


class LPPool1d(_LPPoolNd):
    """Mirrors ``torch.nn.LPPool1d``: the p-norm of each window."""

    n = 1


class LPPool3d(_LPPoolNd):
    """Mirrors ``torch.nn.LPPool3d``: the p-norm of each window."""

    n = 3


class _AdaptiveAvgPoolNd(Module):
    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Mirrors ``torch.nn.AdaptiveAvgPool2d`` (None in output_size keeps that input size)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """Mirrors ``torch.nn.AdaptiveAvgPool3d`` (None in output_size keeps that input size)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool3d(input, self.output_size)


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Mirrors ``torch.nn.AdaptiveAvgPool1d``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool1d(input, self.output_size)


class _AdaptiveMaxPoolNd(Module):
    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Mirrors ``torch.nn.AdaptiveMaxPool2d`` (None in output_size keeps that input size)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Mirrors ``torch.nn.AdaptiveMaxPool1d``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Mirrors ``torch.nn.AdaptiveMaxPool3d`` (None in output_size keeps that input size)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_max_pool3d(input, self.output_size, self.return_indices)
