"""Tensor.to: dtype casts and device moves, both differentiable."""

from __future__ import annotations

from .. import _dtypes
from .._memory_format import preserve_format
from .._tensor import Tensor
from ..autograd.function import Op, name_node
from ..backends import Device, concrete, device_of, to_device
from ..backends.cupy_backend import available as cuda_available
from .elementwise import to_dtype


class ToDevice(Op):
    @staticmethod
    def forward(ctx, a, device):
        ctx.source = device_of(a)
        return to_device(a, device)

    @staticmethod
    def backward(ctx, g):
        return g.to(ctx.source), None


def _parse(args, kwargs):
    """(device, dtype, copy) of ``to``'s overloads: ``to(device, dtype, non_blocking, copy)``,
    ``to(dtype, non_blocking, copy)``, ``to(other, non_blocking, copy)``."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    flags = [a for a in args if isinstance(a, bool)]  # non_blocking, then copy
    for a in args:
        if a is None or isinstance(a, bool):
            continue
        if isinstance(a, Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, _dtypes.dtype) or a in (float, int, bool):
            dtype = a
        elif isinstance(a, (str, Device, int)):
            device = a
        else:
            raise TypeError(f"to() received an invalid argument {a!r}")
    return device, dtype, len(flags) > 1 and flags[1]


def to(
    input: Tensor,
    *args,
    non_blocking: bool = False,
    copy: bool = False,
    memory_format=None,
    **kwargs,
) -> Tensor:
    """Mirrors ``Tensor.to(device=None, dtype=None, non_blocking=False, copy=False,
    memory_format=torch.preserve_format)``."""
    device, dtype, copied = _parse(args, kwargs)
    copy = copy or copied
    out = input
    if device is not None:
        dev = concrete(device)
        if dev != device_of(out._data):
            out = ToDevice.apply(out, dev)
    if dtype is not None:
        out = to_dtype(out, dtype)
    if memory_format is not None and memory_format is not preserve_format:
        out = out.contiguous(memory_format=memory_format)
    if copy and out is input:
        out = input.clone()
    return name_node(out, "ToCopyBackward0", input)  # PyTorch's node of a copy, any kind


def cpu(input: Tensor, memory_format=None) -> Tensor:
    """Mirrors ``Tensor.cpu``."""
    return to(input, "cpu")


def pin_memory(input: Tensor, device=None) -> Tensor:
    """Mirrors ``Tensor.pin_memory``: with a GPU, a CPU tensor comes back as it is (its
    copy to the GPU works the same, without overlap); without one, PyTorch's error."""
    if not cuda_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    if device_of(input._data).type != "cpu":
        raise RuntimeError(f"cannot pin a tensor on {input.device}: only CPU tensors can be pinned")
    return input


def is_pinned(input: Tensor, device=None) -> bool:
    """Mirrors ``Tensor.is_pinned``: always False (minitorch does not pin host memory)."""
    return False


def cuda(input: Tensor, device=None, non_blocking: bool = False, memory_format=None) -> Tensor:
    """Mirrors ``Tensor.cuda``."""
    return to(
        input,
        Device("cuda", device if isinstance(device, int) else None)
        if not isinstance(device, (str, Device))
        else device,
    )
