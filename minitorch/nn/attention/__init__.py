"""``minitorch.nn.attention``: mirrors ``torch.nn.attention``'s kernel choice for
``scaled_dot_product_attention``. minitorch has one implementation (the fused op of
minitorch/ops/attention.py, with the math path's results), so every backend choice runs it."""

from __future__ import annotations

import contextlib
import enum


class SDPBackend(enum.Enum):
    """Mirrors ``torch.nn.attention.SDPBackend``: as PyTorch's enum, ``int()`` gives its value
    but it is not equal to that int."""

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __hash__(self) -> int:
        return hash(self.value)


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority: bool = False):
    """Mirrors ``torch.nn.attention.sdpa_kernel``: checks the choice; attention inside runs
    minitorch's single kernel whichever backends are named."""
    chosen = list(backends) if isinstance(backends, (list, tuple, set)) else [backends]
    if not all(isinstance(b, SDPBackend) for b in chosen):
        raise AssertionError(
            "Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
            f"got {type(backends).__name__}"
        )
    yield
