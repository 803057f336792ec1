"""Padding layers: ConstantPad, ZeroPad, ReflectionPad, ReplicationPad and CircularPad in
1d, 2d and 3d (mirror ``torch.nn``); each is ``nn.functional.pad`` with its arguments
stored, padding given as one int or (left, right[, top, bottom[, front, back]])."""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .conv import _ntuple
from .module import Module


class _PadNd(Module):
    mode = "constant"
    n = 1  # the number of padded (trailing) dimensions

    def __init__(self, padding, value: float = 0.0) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * self.n)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        if self.mode == "constant":
            return F.pad(input, self.padding, "constant", self.value)
        if input.ndim not in (self.n + 1, self.n + 2):
            raise ValueError(
                f"expected {self.n + 1}D or {self.n + 2}D input (got {input.ndim}D input)"
            )
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding, value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    extra_repr = _PadNd.extra_repr


__all__: list = []
for _kind, _base, _mode in (
    ("Constant", _ConstantPadNd, "constant"),
    ("Zero", _ZeroPadNd, "constant"),
    ("Reflection", _PadNd, "reflect"),
    ("Replication", _PadNd, "replicate"),
    ("Circular", _PadNd, "circular"),
):
    for _n in (1, 2, 3):
        _name = f"{_kind}Pad{_n}d"
        _doc = f"Mirrors ``torch.nn.{_name}``: ``F.pad(input, padding, {_mode!r})``."
        globals()[_name] = type(_name, (_base,), {"mode": _mode, "n": _n, "__doc__": _doc})
        __all__.append(_name)
