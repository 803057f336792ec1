"""``minitorch.backends.mkl``: mirrors ``torch.backends.mkl``. minitorch's CPU math is numpy's,
so MKL is there exactly when numpy was built against it (conda's numpy; pip's uses OpenBLAS).
``is_available`` says that, where PyTorch's CPU wheels (built with MKL) say True."""

from __future__ import annotations

import numpy as np

VERBOSE_OFF = 0
VERBOSE_ON = 1


def is_available() -> bool:
    """Mirrors ``torch.backends.mkl.is_available``: whether numpy, which runs minitorch's CPU
    math, is built against MKL."""
    config = getattr(np, "__config__", None)
    deps = getattr(config, "CONFIG", {}).get("Build Dependencies", {})
    return any(
        "mkl" in str(deps.get(lib, {}).get("name", "")).lower() for lib in ("blas", "lapack")
    )


class verbose:
    """Mirrors ``torch.backends.mkl.verbose(level)``: a context for MKL's verbose log. minitorch
    does not drive MKL itself: the block runs unchanged (set MKL_VERBOSE=1 to log numpy's)."""

    def __init__(self, enable) -> None:
        self.enable = enable

    def __enter__(self):
        return None if self.enable == VERBOSE_OFF else self

    def __exit__(self, *exc) -> bool:
        return False
