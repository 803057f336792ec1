"""Mixed precision (mirrors ``torch.amp``): ``autocast`` regions and ``GradScaler``."""

from .autocast_mode import autocast, get_autocast_dtype, is_autocast_enabled
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "get_autocast_dtype", "is_autocast_enabled"]
