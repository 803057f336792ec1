"""Tensors in shared memory, for training across processes (``Tensor.share_memory_``,
``Module.share_memory``: Hogwild-style code with ``minitorch.multiprocessing``).

A shared tensor's memory is a file in memory (``memfd``) mapped shared: a child made by
``fork`` writes into the same pages, and one made by ``spawn`` receives the file descriptor
when the tensor goes through ``multiprocessing`` (its ``ForkingPickler``, which is how
``Process`` arguments and ``Queue`` items travel) and maps the same pages. As in PyTorch, a
tensor sent that way is moved to shared memory first. Only that pickler sends them this
way: a plain ``pickle`` copies the bytes."""

from __future__ import annotations

import ctypes
import mmap
import os
import weakref
from multiprocessing.reduction import DupFd, ForkingPickler

import numpy as np

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # numpy < 2
    byte_bounds = np.byte_bounds

from ._tensor import Tensor, make_tensor


class SharedBlock(mmap.mmap):
    """A shared mapping of an in-memory file; ``fd`` is the file, kept open to pass on."""

    fd: int


def _block(nbytes: int, fd: int | None = None) -> SharedBlock:
    if fd is None:
        fd = os.memfd_create("minitorch-tensor", os.MFD_CLOEXEC)
        os.ftruncate(fd, max(nbytes, 1))
    block = SharedBlock(fd, max(nbytes, 1))
    block.fd = fd
    weakref.finalize(block, os.close, fd)  # the file lives as long as its mapping is used
    return block


def _root(a):
    """The object at the bottom of an array's chain of bases."""
    while isinstance(a, np.ndarray):
        a = a.base
    return a.obj if isinstance(a, memoryview) else a


def is_shared_array(a) -> bool:
    """Whether ``a`` lives in a shared block."""
    return isinstance(_root(a), SharedBlock)


def share_memory_(t: Tensor) -> Tensor:
    """Mirrors ``Tensor.share_memory_``: moves the tensor's memory, with every live view of
    it, into shared memory (a no-op when it is there already, and for a GPU tensor). The
    bytes the base tensor spans are copied as they lie, so every view keeps its layout."""
    data = t._data
    if not isinstance(data, np.ndarray) or is_shared_array(data):
        return t
    base = t._base if t._base is not None else t
    low, high = byte_bounds(base._data)
    block = _block(high - low)
    if high > low:
        span = (ctypes.c_char * (high - low)).from_address(low)
        np.frombuffer(block, np.uint8, count=high - low)[...] = np.frombuffer(span, np.uint8)
    for v in (base, *_live_views(base)):
        a = v._data
        offset = a.__array_interface__["data"][0] - low
        if a.size == 0:
            v._data = np.ndarray(a.shape, a.dtype, buffer=block)
        elif 0 <= offset and byte_bounds(a)[1] <= high:  # inside the base's bytes
            v._data = np.ndarray(a.shape, a.dtype, buffer=block, offset=offset, strides=a.strides)
    return t


def _live_views(base: Tensor) -> list:
    refs = getattr(base, "_views", ())
    return [v for v in (r() for r in refs) if v is not None]


def is_shared(t: Tensor) -> bool:
    """Mirrors ``Tensor.is_shared``: the tensor's memory is shared (GPU memory counts)."""
    return not isinstance(t._data, np.ndarray) or is_shared_array(t._data)


def _rebuild(cls, fd, nbytes: int, offset: int, dtype: str, shape, strides, requires_grad):
    block = _block(nbytes, fd.detach() if hasattr(fd, "detach") else fd)
    data = np.ndarray(shape, np.dtype(dtype), buffer=block, offset=offset, strides=strides)
    if cls is Tensor:
        return make_tensor(data, requires_grad)
    if requires_grad:  # a Parameter
        return cls(make_tensor(data), requires_grad=True)
    return cls(make_tensor(data))


def _reduce(t: Tensor):
    """How ``multiprocessing`` sends a tensor: its shared block's file descriptor and where the
    tensor lies in it (the tensor is moved to shared memory first)."""
    if not isinstance(t._data, np.ndarray):
        raise RuntimeError(
            "minitorch.multiprocessing sends CPU tensors only; move a CUDA tensor to the CPU "
            "(t.cpu()) before putting it in a Queue or Process arguments"
        )
    if t.grad_fn is not None:
        raise RuntimeError(
            "Cowardly refusing to serialize non-leaf tensor which requires_grad, since autograd "
            "does not support crossing process boundaries.  If you just want to transfer the "
            "data, call detach() on the tensor before serializing (e.g., putting it on the "
            "queue)."
        )
    share_memory_(t)
    data = t._data
    block = _root(data)
    offset = data.__array_interface__["data"][0] - np.frombuffer(block, np.uint8).ctypes.data
    args = (type(t), DupFd(block.fd), len(block), offset, data.dtype.str, data.shape,
            data.strides, t.requires_grad)  # fmt: skip
    return _rebuild, args


def register_reductions() -> None:
    """Teaches ``multiprocessing``'s pickler (only it) to send tensors through shared memory."""
    from .nn.parameter import Buffer, Parameter  # noqa: PLC0415 (nn imports the core)

    for cls in (Tensor, Parameter, Buffer):
        ForkingPickler.register(cls, _reduce)
