"""``minitorch.backends.openmp``: mirrors ``torch.backends.openmp`` (minitorch runs no OpenMP
of its own; numpy's BLAS brings its own threads)."""


def is_available() -> bool:
    """Mirrors ``torch.backends.openmp.is_available``: False, minitorch is not built with
    OpenMP."""
    return False
