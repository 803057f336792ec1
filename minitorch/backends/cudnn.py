"""``minitorch.backends.cudnn``: mirrors ``torch.backends.cudnn``'s flags so that the usual
setup lines (``torch.backends.cudnn.benchmark = True``, ``.deterministic = True``) run.

minitorch does not use cuDNN: the flags are stored and have no effect."""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def version() -> None:
    """Mirrors ``torch.backends.cudnn.version``: None, as PyTorch without cuDNN."""
    return None


def is_available() -> bool:
    """Mirrors ``torch.backends.cudnn.is_available``: False (minitorch does not use cuDNN)."""
    return False
