"""``minitorch.cuda.amp``: the deprecated ``torch.cuda.amp`` names that older mixed-precision
code imports: ``autocast()`` is ``minitorch.autocast('cuda', ...)`` and ``GradScaler()`` is
``minitorch.amp.GradScaler('cuda', ...)``, with the old signatures and PyTorch's
FutureWarning. Without a GPU both disable themselves with a warning, as in PyTorch."""

from __future__ import annotations

import warnings

from .. import _dtypes
from ..amp import GradScaler as _GradScaler
from ..amp import autocast as _autocast
from ..amp import custom_bwd as _custom_bwd
from ..amp import custom_fwd as _custom_fwd


def _deprecated(name: str, new_form: str = "'cuda', args...") -> None:
    warnings.warn(
        f"`minitorch.cuda.amp.{name}(args...)` is deprecated. Please use "
        f"`minitorch.amp.{name}({new_form})` instead.",
        FutureWarning,
        stacklevel=3,
    )


def custom_fwd(fwd=None, *, cast_inputs=None):
    """Mirrors the deprecated ``torch.cuda.amp.custom_fwd``: ``amp.custom_fwd`` for 'cuda'."""
    _deprecated("custom_fwd", "args..., device_type='cuda'")
    return _custom_fwd(fwd, device_type="cuda", cast_inputs=cast_inputs)


def custom_bwd(bwd=None):
    """Mirrors the deprecated ``torch.cuda.amp.custom_bwd``: ``amp.custom_bwd`` for 'cuda'."""
    _deprecated("custom_bwd", "args..., device_type='cuda'")
    return _custom_bwd(bwd, device_type="cuda")


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
