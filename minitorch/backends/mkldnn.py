"""``minitorch.backends.mkldnn``: mirrors ``torch.backends.mkldnn``'s flag and check, so that
setup lines (``torch.backends.mkldnn.enabled = False``) run. minitorch does not use oneDNN: the
flag is stored and has no effect."""

enabled = True


def is_available() -> bool:
    """Mirrors ``torch.backends.mkldnn.is_available``: False (minitorch does not use oneDNN)."""
    return False
