"""Which ``minitorch.func`` transforms are running (user Functions check that they support
them, as PyTorch's ``Function.apply`` does under functorch)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..autograd.function import transforms


@contextmanager
def running(*kinds: str) -> Iterator[None]:
    """Marks transforms of ``kinds`` ("vmap", "grad", "jvp") running inside the block."""
    transforms.extend(kinds)
    try:
        yield
    finally:
        del transforms[len(transforms) - len(kinds) :]
