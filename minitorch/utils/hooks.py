"""``minitorch.utils.hooks``: mirrors ``torch.utils.hooks.RemovableHandle`` (what every
``register_*hook`` returns)."""

from .._tensor import RemovableHandle

__all__ = ["RemovableHandle"]
