"""``torch.preserve_format``, ``torch.contiguous_format``, ``torch.channels_last``: the
memory formats that code passes as ``memory_format=`` (optimizers copied from PyTorch
write ``zeros_like(p, memory_format=torch.preserve_format)``). ``clone``/``contiguous``
honour all three; ``*_like`` factories honour preserve_format and contiguous_format (a
channels_last request gives a contiguous result). Result strides follow PyTorch's rules
(minitorch/backends/memory_order.py)."""

from __future__ import annotations


class memory_format:
    """Mirrors ``torch.memory_format``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")


class layout(memory_format):
    """Mirrors ``torch.layout``: every minitorch tensor is dense (``torch.strided``)."""

    __slots__ = ()


strided = layout("strided")
