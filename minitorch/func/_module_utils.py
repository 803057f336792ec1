"""``replace_all_batch_norm_modules_`` and ``debug_unwrap`` of ``torch.func``."""

from __future__ import annotations

from .._tensor import Tensor
from ..nn.modules.module import Module
from ..nn.modules.normalization import _BatchNorm


def replace_all_batch_norm_modules_(root: Module) -> Module:
    """Mirrors ``torch.func.replace_all_batch_norm_modules_``: every BatchNorm in ``root``
    stops tracking running statistics (they become None, so it normalizes with the batch's
    own, as per-sample ``vmap`` needs); returns ``root``."""
    for module in root.modules():
        if isinstance(module, _BatchNorm) and module.track_running_stats:
            module.running_mean = None
            module.running_var = None
            module.num_batches_tracked = None
            module.track_running_stats = False
    return root


def debug_unwrap(tensor: Tensor, *, recurse: bool = True) -> Tensor:
    """Mirrors ``torch.func.debug_unwrap``: minitorch's transforms wrap nothing, so the
    tensor itself."""
    return tensor
