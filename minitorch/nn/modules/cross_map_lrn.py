"""Legacy (Lua Torch) local response normalization across channels (mirrors
``torch.nn.CrossMapLRN2d``), with PyTorch's exact windows, quirks included."""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...backends import to_backend
from ...ops.elementwise import const
from .module import Module

__all__ = ["CrossMapLRN2d"]


def _band(like, lo: int, hi: int, keep_first_from: int | None = None):
    """The (C, C) 0/1 matrix (``like``'s dtype and device, C its channels) whose row c selects
    channels c+lo .. c+hi (clipped); with ``keep_first_from``, rows from there on also select
    channel 0 (PyTorch's running sum never removes it)."""
    channels = like.shape[1]
    c = np.arange(channels)
    offset = c[None, :] - c[:, None]
    band = (offset >= lo) & (offset <= hi)
    if keep_first_from is not None:
        band[keep_first_from:, 0] = True
    return to_backend(band.astype(like.dtype), like)


def _channel_sum(band: np.ndarray, x):
    """``sum_j band[c, j] * x[:, j]`` over the channels of an (N, C, H, W) array or Tensor."""
    n, c, h, w = x.shape
    return (band @ x.reshape(n, c, h * w)).reshape(n, c, h, w)


class _CrossMapLRN2d(Op):
    @staticmethod
    def forward(ctx, x, size: int, alpha: float, beta: float, k: float):
        if x.ndim != 4:
            raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {x.ndim}D instead.")
        pre_pad = int((size - 1) / 2 + 1)
        band = _band(x, 1 - pre_pad, pre_pad - 1, pre_pad)
        scale = _channel_sum(band, x * x)
        scale *= alpha / size
        scale += k
        out = scale ** (-beta) * x
        ctx.scale, ctx.size, ctx.alpha, ctx.beta = scale, size, alpha, beta
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, g):
        # PyTorch's hand-written gradient, window (c - p .. c + size - 1 - p) included; the
        # scale is a constant of it, as in PyTorch
        x, out = ctx.saved_tensors
        size = ctx.size
        p = int(size - (size - 1) / 2)
        channels = x.shape[1]
        if p > size - 1:  # PyTorch's narrow of its padded buffer fails (size 1)
            raise RuntimeError(
                f"start ({p}) + length ({channels}) exceeds dimension size ({channels + size - 1})."
            )
        scale = const(ctx.scale)
        band = const(_band(ctx.scale, -p, size - 1 - p))
        accum = _channel_sum(band, g * out / scale)
        return (
            scale ** (-ctx.beta) * g - x * accum * (2 * ctx.alpha * ctx.beta / size),
            None,
            None,
            None,
            None,
        )


class CrossMapLRN2d(Module):
    """Mirrors ``torch.nn.CrossMapLRN2d``: ``x / (k + alpha / size * sum of x^2 over a
    window of channels) ** beta`` on (N, C, H, W) inputs."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return _CrossMapLRN2d.apply(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
