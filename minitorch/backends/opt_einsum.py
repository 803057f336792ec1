"""``minitorch.backends.opt_einsum``: mirrors ``torch.backends.opt_einsum``. minitorch's einsum
is numpy's, which orders contractions itself; the opt_einsum package is not used, so
``is_available`` is False and ``enabled`` False, as in PyTorch without the package."""

from __future__ import annotations

import contextlib

enabled = False
strategy = None


def is_available() -> bool:
    """Mirrors ``torch.backends.opt_einsum.is_available``: False (minitorch does not use it)."""
    return False


def get_opt_einsum():
    """Mirrors ``torch.backends.opt_einsum.get_opt_einsum``: None, the package is not used."""
    return None


def set_flags(_enabled=None, _strategy=None):
    """Mirrors ``torch.backends.opt_einsum.set_flags``: returns the old (enabled, strategy);
    turning it on or choosing a strategy raises PyTorch's ValueError."""
    orig = (enabled, None)
    if _enabled:
        raise ValueError(
            f"opt_einsum is not available, so setting `enabled` to {_enabled} will not reap "
            "the benefits of calculating an optimal path for einsum. torch.einsum will "
            "fall back to contracting from left to right. To enable this optimal path "
            "calculation, please install opt-einsum."
        )
    if _strategy is not None:
        raise ValueError(
            f"opt_einsum is not available, so setting `strategy` to {_strategy} will not be "
            "meaningful. torch.einsum will bypass path calculation and simply contract from "
            "left to right. Please install opt_einsum or unset `strategy`."
        )
    return orig


@contextlib.contextmanager
def flags(enabled=None, strategy=None):
    """Mirrors ``torch.backends.opt_einsum.flags``: ``set_flags`` for the block."""
    set_flags(enabled, strategy)
    yield
