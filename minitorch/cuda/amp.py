"""``minitorch.cuda.amp``: the deprecated ``torch.cuda.amp`` names that older mixed-precision
code imports: ``autocast()`` is ``minitorch.autocast('cuda', ...)`` and ``GradScaler()`` is
``minitorch.amp.GradScaler('cuda', ...)``, with the old signatures and PyTorch's
FutureWarning. Without a GPU both disable themselves with a warning, as in PyTorch."""

from __future__ import annotations

import warnings

from .. import _dtypes
from ..amp import GradScaler as _GradScaler
from ..amp import autocast as _autocast


def _deprecated(name: str) -> None:
    warnings.warn(
        f"`minitorch.cuda.amp.{name}(args...)` is deprecated. Please use "
        f"`minitorch.amp.{name}('cuda', args...)` instead.",
        FutureWarning,
        stacklevel=3,
    )


class autocast(_autocast):
    """Mirrors the deprecated ``torch.cuda.amp.autocast(enabled=True, dtype=float16,
    cache_enabled=True)`` (context manager and decorator)."""

    def __init__(self, enabled: bool = True, dtype=_dtypes.float16, cache_enabled: bool = True):
        _deprecated("autocast")
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_GradScaler):
    """Mirrors the deprecated ``torch.cuda.amp.GradScaler(init_scale, growth_factor,
    backoff_factor, growth_interval, enabled)``."""

    def __init__(
        self,
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        _deprecated("GradScaler")
        super().__init__(
            "cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled
        )
