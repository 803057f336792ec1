"""Mixed precision (mirrors ``torch.amp``): ``autocast`` regions, ``GradScaler``, and the
``custom_fwd`` / ``custom_bwd`` decorators of custom Functions."""

from .autocast_mode import autocast, get_autocast_dtype, is_autocast_enabled
from .custom_function import custom_bwd, custom_fwd, is_autocast_available
from .grad_scaler import GradScaler

__all__ = [
    "GradScaler",
    "autocast",
    "custom_bwd",
    "custom_fwd",
    "get_autocast_dtype",
    "is_autocast_available",
    "is_autocast_enabled",
]
