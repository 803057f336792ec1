"""Tensor.to: dtype casts and device moves, both differentiable."""

from __future__ import annotations

from .. import _dtypes
from .._memory_format import channels_last, channels_last_3d, contiguous_format, preserve_format
from .._tensor import Tensor
from ..autograd.function import Op, name_node
from ..backends import Device, concrete, device_of, to_device
from ..backends.cupy_backend import available as cuda_available
from ..backends.memory_order import suggests_channels_last
from .elementwise import to_dtype


def _suggested_format(a):
    """ATen's ``suggest_memory_format`` of an array."""
    if not suggests_channels_last(a):
        return contiguous_format
    return channels_last if a.ndim == 4 else channels_last_3d


class ToDevice(Op):
    @staticmethod
    def forward(ctx, a, device):
        ctx.source = device_of(a)
        return to_device(a, device)

    @staticmethod
    def backward(ctx, g):
        return g.to(ctx.source), None


_TO_OVERLOADS = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)"
)


def _is_dtype(a) -> bool:
    return isinstance(a, _dtypes.dtype) or a in (float, int, bool)


def _parse(args, kwargs):
    """(device, dtype, copy) of ``to``'s overloads: ``to(device, dtype, non_blocking, copy)``,
    ``to(dtype, non_blocking, copy)``, ``to(other, non_blocking, copy)``; other positional
    arguments raise PyTorch's TypeError."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    first, rest, valid = (args[0], args[1:], True) if args else (None, (), True)
    if isinstance(first, Tensor):
        device, dtype = first.device, first.dtype
    elif _is_dtype(first):
        dtype = first
    elif first is None or isinstance(first, (str, Device, int)) and not isinstance(first, bool):
        device = first if first is not None else device
        if rest:  # the second positional of to(device, dtype, ...) is the dtype
            valid = rest[0] is None or _is_dtype(rest[0])
            dtype = rest[0] if rest[0] is not None else dtype
            rest = rest[1:]
    else:
        valid = False
    if not valid or len(rest) > 2 or not all(isinstance(a, bool) for a in rest):
        got = ", ".join(_type_name(a) for a in args)
        raise TypeError(
            f"to() received an invalid combination of arguments - got ({got}), but expected "
            f"one of:\n{_TO_OVERLOADS}"
        )
    return device, dtype, len(rest) > 1 and rest[1]


def _type_name(a) -> str:
    if isinstance(a, Tensor):
        return "Tensor"
    if isinstance(a, (Device, _dtypes.dtype)):
        return "torch." + type(a).__name__.lower()
    return type(a).__name__


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
        # PyTorch's to_will_alias: the input itself when its suggested format is the one
        # asked for (a transposed tensor for contiguous_format too), else a copy in it
        if out is not input or copy or _suggested_format(out._data) is not memory_format:
            out = out.clone(memory_format=memory_format)
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
