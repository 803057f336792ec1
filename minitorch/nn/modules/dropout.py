"""Dropout layers (mirror ``torch.nn.Dropout``, ``Dropout1d``, ``Dropout2d``, ``Dropout3d``,
``AlphaDropout``, ``FeatureAlphaDropout``)."""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Mirrors ``torch.nn.Dropout``: random zeroing with 1/(1-p) scaling while training,
    the identity in ``eval()``. Masks come from minitorch's seeded generator."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Mirrors ``torch.nn.Dropout1d``: zeroes whole channels of (N, C, L)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Mirrors ``torch.nn.Dropout2d``: zeroes whole channels of (N, C, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Mirrors ``torch.nn.Dropout3d``: zeroes whole channels of (N, C, D, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Mirrors ``torch.nn.AlphaDropout``: dropout that keeps SELU's self-normalisation
    (``inplace`` is kept but, as in PyTorch, not passed on: the input is left unchanged)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Mirrors ``torch.nn.FeatureAlphaDropout``: alpha dropout of whole channels (not in
    place, whatever ``inplace`` says, as in PyTorch)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.feature_alpha_dropout(input, self.p, self.training)
