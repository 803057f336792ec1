"""Convolution layers: Conv1d/2d/3d, ConvTranspose1d/2d/3d (mirror ``torch.nn``)."""

from __future__ import annotations

import math

from ... import factories
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(v, n: int) -> tuple:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


class _ConvNd(Module):
    """Shared parameters, initialisation and repr of the convolution layers."""

    _n = 2
    _transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride,
        padding,
        dilation,
        groups: int,
        bias: bool,
        padding_mode: str,
        output_padding=0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        n = self._n
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {_PADDING_MODES}, but got padding_mode='{padding_mode}'"
            )
        if padding_mode != "zeros" and self._transposed:
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        stride = _ntuple(stride, n)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                valid = {"same", "valid"}  # PyTorch prints this set
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {valid}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = _ntuple(padding, n)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _ntuple(kernel_size, n)
        self.stride = stride
        self.padding = padding
        self.dilation = _ntuple(dilation, n)
        self.transposed = self._transposed
        self.output_padding = _ntuple(output_padding, n)
        self.groups = groups
        self.padding_mode = padding_mode
        shape = (
            (in_channels, out_channels // groups) if self._transposed
            else (out_channels, in_channels // groups)
        ) + self.kernel_size  # fmt: skip
        self.weight = Parameter(factories.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(factories.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: kaiming_uniform_(a=sqrt(5)) weights, uniform(+-1/sqrt(fan_in)) bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _padded(self, input: Tensor) -> Tensor:
        """The input padded by ``padding_mode`` (non-zero modes pad before the convolution)."""
        if isinstance(self.padding, str):
            k = [d * (size - 1) for d, size in zip(self.dilation, self.kernel_size)]
            pad = [0] * 2 * len(k) if self.padding == "valid" else [
                v for t in reversed(k) for v in (t // 2, t - t // 2)
            ]  # fmt: skip
        else:
            pad = [p for p in reversed(self.padding) for _ in range(2)]
        return F.pad(input, pad, mode=self.padding_mode)

    def _padding_arg(self):
        return self.padding if self.padding_mode == "zeros" else 0

    def _input(self, input: Tensor) -> Tensor:
        return input if self.padding_mode == "zeros" else self._padded(input)

    def forward(self, input: Tensor) -> Tensor:
        conv = (F.conv1d, F.conv2d, F.conv3d)[self._n - 1]
        return conv(
            self._input(input), self.weight, self.bias, self.stride, self._padding_arg(),
            self.dilation, self.groups,
        )  # fmt: skip

    def extra_repr(self) -> str:
        n = self._n
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
            f", stride={self.stride}"
        )
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


def _conv_layer_init(
    self,
    in_channels: int,
    out_channels: int,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
    bias: bool = True,
    padding_mode: str = "zeros",
    device=None,
    dtype=None,
) -> None:
    """The constructor of Conv1d, Conv2d and Conv3d (PyTorch's signature and defaults)."""
    _ConvNd.__init__(
        self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
        padding_mode, device=device, dtype=dtype,
    )  # fmt: skip


class Conv2d(_ConvNd):
    """Mirrors ``torch.nn.Conv2d``: input (N, C_in, H, W) -> (N, C_out, H_out, W_out)."""

    _n = 2

    __init__ = _conv_layer_init


class Conv3d(_ConvNd):
    """Mirrors ``torch.nn.Conv3d``: input (N, C_in, D, H, W) -> (N, C_out, D', H', W')."""

    _n = 3

    __init__ = _conv_layer_init


class Conv1d(_ConvNd):
    """Mirrors ``torch.nn.Conv1d``: input (N, C_in, L) -> (N, C_out, L_out)."""

    _n = 1

    __init__ = _conv_layer_init


class _ConvTransposeNd(_ConvNd):
    _transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            padding_mode, output_padding, device=device, dtype=dtype,
        )  # fmt: skip

    def _output_padding(self, input: Tensor, output_size) -> tuple:
        """output_padding, or the one that gives ``output_size`` (PyTorch's rule and messages:
        ``output_size`` may lead with the batch and channel sizes)."""
        if output_size is None:
            return self.output_padding
        n = self._n
        lead = 2 if input.ndim == n + 2 else 1
        if len(output_size) == lead + n:
            output_size = output_size[lead:]
        if len(output_size) != n:
            raise ValueError(
                f"ConvTranspose{n}D: for {input.ndim}D input, output_size must have {n} or "
                f"{lead + n} elements (got {len(output_size)})"
            )
        lo = [
            (input.shape[lead + d] - 1) * self.stride[d] - 2 * self.padding[d]
            + self.dilation[d] * (self.kernel_size[d] - 1) + 1
            for d in range(n)
        ]  # fmt: skip
        hi = [lo[d] + self.stride[d] - 1 for d in range(n)]
        if any(not lo[d] <= output_size[d] <= hi[d] for d in range(n)):
            raise ValueError(
                f"requested an output size of {output_size}, but valid sizes range from {lo} to "
                f"{hi} (for an input of {input.size()[2:]})"
            )
        return tuple(output_size[d] - lo[d] for d in range(n))

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self._n - 1]
        return fn(
            input, self.weight, self.bias, self.stride, self.padding,
            self._output_padding(input, output_size), self.groups, self.dilation,
        )  # fmt: skip


class ConvTranspose2d(_ConvTransposeNd):
    """Mirrors ``torch.nn.ConvTranspose2d`` (weight (C_in, C_out / groups, kh, kw));
    ``forward(input, output_size=None)``."""

    _n = 2


class ConvTranspose1d(_ConvTransposeNd):
    """Mirrors ``torch.nn.ConvTranspose1d``."""

    _n = 1


class ConvTranspose3d(_ConvTransposeNd):
    """Mirrors ``torch.nn.ConvTranspose3d`` (weight (C_in, C_out / groups, kd, kh, kw))."""

    _n = 3
