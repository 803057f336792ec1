"""``torch.cuda.nvtx``: NVTX ranges and marks for profilers (Nsight Systems), through
``cupy.cuda.nvtx``. Without cupy's NVTX they raise PyTorch's "NVTX functions not installed"
RuntimeError. (``range_start``/``range_end``, NVTX's cross-thread ranges, are not offered:
cupy does not wrap them.)"""

from __future__ import annotations

import contextlib
import threading

from ..backends import cupy_backend
from ..backends.cupy_backend import CudaUnavailableError

_depth = threading.local()  # the open push/pop ranges of each thread, as NVTX counts them


def _nvtx():
    nvtx = getattr(getattr(cupy_backend.cupy, "cuda", None), "nvtx", None)
    if nvtx is None or not getattr(nvtx, "available", True):
        raise CudaUnavailableError(
            "NVTX functions not installed. Are you sure you have a CUDA build? (minitorch "
            "calls NVTX through cupy: " + cupy_backend.INSTALL_HINT + ")"
        )
    return nvtx


def range_push(msg: str) -> int:
    """Mirrors ``torch.cuda.nvtx.range_push``: opens a nested range; its zero-based depth."""
    _nvtx().RangePush(msg)
    _depth.value = getattr(_depth, "value", 0) + 1
    return _depth.value - 1


def range_pop() -> int:
    """Mirrors ``torch.cuda.nvtx.range_pop``: closes the innermost range; its depth (-1 when
    none was open, as NVTX returns)."""
    _nvtx().RangePop()
    depth = getattr(_depth, "value", 0)
    _depth.value = max(depth - 1, 0)
    return depth - 1


def mark(msg: str) -> None:
    """Mirrors ``torch.cuda.nvtx.mark``: an instantaneous event."""
    _nvtx().Mark(msg)


@contextlib.contextmanager
def range(msg: str, *args, **kwargs):  # noqa: A001 (PyTorch's name)
    """Mirrors ``torch.cuda.nvtx.range``: a range around the block (or the decorated function);
    ``msg.format(*args, **kwargs)`` names it."""
    range_push(msg.format(*args, **kwargs))
    try:
        yield
    finally:
        range_pop()
