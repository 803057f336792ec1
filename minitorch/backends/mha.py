"""``minitorch.backends.mha``: mirrors ``torch.backends.mha``, the switch of the inference
fast path of MultiheadAttention, TransformerEncoderLayer and TransformerEncoder. minitorch
computes the same numbers either way; what the switch changes is what PyTorch's fast path
shows: fully masked rows come out NaN, and TransformerEncoder's padded positions 0."""

from __future__ import annotations

_is_fastpath_enabled: bool = True


def get_fastpath_enabled() -> bool:
    """Mirrors ``torch.backends.mha.get_fastpath_enabled``."""
    return _is_fastpath_enabled


def set_fastpath_enabled(value: bool) -> None:
    """Mirrors ``torch.backends.mha.set_fastpath_enabled``."""
    global _is_fastpath_enabled
    _is_fastpath_enabled = value
