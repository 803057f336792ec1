"""``minitorch.backends.mps``: mirrors ``torch.backends.mps`` (minitorch has no Apple MPS
backend), so device-selection code falls through to the CPU."""


def is_available() -> bool:
    """Mirrors ``torch.backends.mps.is_available``: always False."""
    return False


def is_built() -> bool:
    """Mirrors ``torch.backends.mps.is_built``: always False."""
    return False
