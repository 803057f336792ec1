"""minitorch.accelerator: mirrors ``torch.accelerator``, the device-agnostic view of the
current accelerator (here CUDA through cupy, when there is one). Without one, as in
PyTorch, ``is_available()`` is False, ``current_accelerator()`` is None and the calls that
need a device raise."""

from __future__ import annotations

from . import cuda
from .backends import Device as _device

_NONE = "Cannot access accelerator device when none is available."


def _require() -> None:
    if not cuda.is_available():
        raise RuntimeError(_NONE)


def is_available() -> bool:
    """Mirrors ``torch.accelerator.is_available``."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> _device | None:
    """Mirrors ``torch.accelerator.current_accelerator``: ``device("cuda")`` or None."""
    return _device("cuda") if cuda.is_available() else None


def device_count() -> int:
    """Mirrors ``torch.accelerator.device_count``."""
    return cuda.device_count()


def current_device_index() -> int:
    """Mirrors ``torch.accelerator.current_device_index``."""
    _require()
    return cuda.current_device()


def synchronize(device=None, /) -> None:
    """Mirrors ``torch.accelerator.synchronize``."""
    _require()
    cuda.synchronize(device)


def empty_cache() -> None:
    """Mirrors ``torch.accelerator.empty_cache``."""
    _require()
    cuda.empty_cache()


def memory_allocated(device_index=None, /) -> int:
    """Mirrors ``torch.accelerator.memory_allocated``."""
    _require()
    return cuda.memory_allocated(device_index)


def max_memory_allocated(device_index=None, /) -> int:
    """Mirrors ``torch.accelerator.max_memory_allocated``."""
    _require()
    return cuda.max_memory_allocated(device_index)


def reset_peak_memory_stats(device_index=None, /) -> None:
    """Mirrors ``torch.accelerator.reset_peak_memory_stats``."""
    _require()
    cuda.reset_peak_memory_stats(device_index)


current_device_idx = current_device_index
