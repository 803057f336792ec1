"""``minitorch.cpu.amp``: the deprecated ``torch.cpu.amp.autocast`` that older CPU
mixed-precision code uses: ``minitorch.autocast('cpu', ...)`` with the old signature
(bfloat16 by default)."""

from __future__ import annotations

import warnings

from .. import _dtypes
from ..amp import autocast as _autocast


class autocast(_autocast):
    """Mirrors the deprecated ``torch.cpu.amp.autocast(enabled=True, dtype=bfloat16,
    cache_enabled=True)`` (context manager and decorator)."""

    def __init__(self, enabled: bool = True, dtype=_dtypes.bfloat16, cache_enabled: bool = True):
        warnings.warn(
            "`minitorch.cpu.amp.autocast(args...)` is deprecated. Please use "
            "`minitorch.amp.autocast('cpu', args...)` instead.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__("cpu", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)
