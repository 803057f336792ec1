"""``minitorch.cpu`` (mirrors ``torch.cpu``): the CPU's device queries, and the deprecated
``torch.cpu.amp`` in ``minitorch.cpu.amp``."""

from __future__ import annotations


def is_available() -> bool:
    """Mirrors ``torch.cpu.is_available``: always True."""
    return True


def device_count() -> int:
    """Mirrors ``torch.cpu.device_count``: always 1."""
    return 1


def current_device() -> str:
    """Mirrors ``torch.cpu.current_device``: always ``'cpu'``."""
    return "cpu"


def synchronize(device=None) -> None:
    """Mirrors ``torch.cpu.synchronize``: CPU ops are synchronous, so nothing to wait for."""


from . import amp  # noqa: E402  (the deprecated torch.cpu.amp)
