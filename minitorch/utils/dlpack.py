"""``minitorch.utils.dlpack``: mirrors ``torch.utils.dlpack`` (DLPack capsules in and out)."""

from __future__ import annotations

from .._tensor import Tensor
from ..factories import from_dlpack as _from_producer


class _Capsule:
    """A DLPack capsule (``PyCapsule``, host memory) presented as a producer to numpy."""

    def __init__(self, capsule) -> None:
        self._capsule = capsule

    def __dlpack__(self, **kwargs):
        return self._capsule

    def __dlpack_device__(self) -> tuple:
        return (1, 0)


def from_dlpack(ext_tensor) -> Tensor:
    """Mirrors ``torch.utils.dlpack.from_dlpack``: a tensor sharing the memory of a DLPack
    producer (an object with ``__dlpack__``) or of a host DLPack capsule."""
    if type(ext_tensor).__name__ == "PyCapsule":
        ext_tensor = _Capsule(ext_tensor)
    return _from_producer(ext_tensor)


def to_dlpack(tensor: Tensor):
    """Mirrors ``torch.utils.dlpack.to_dlpack``: a DLPack capsule sharing ``tensor``'s memory."""
    return tensor.__dlpack__(max_version=(1, 0))
