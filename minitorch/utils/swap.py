"""``swap_tensors`` (mirrors ``torch.utils.swap_tensors``)."""

from __future__ import annotations

import copyreg
import weakref

from .._tensor import Tensor


def swap_tensors(t1: Tensor, t2: Tensor) -> None:
    """Mirrors ``torch.utils.swap_tensors``: ``t1`` and ``t2`` exchange everything (class,
    data, autograd state, attributes), so references to either see the other's contents."""
    if weakref.getweakrefs(t1):
        raise RuntimeError("Cannot swap t1 because it has weakref associated with it")
    if weakref.getweakrefs(t2):
        raise RuntimeError("Cannot swap t2 because it has weakref associated with it")
    slots = set(copyreg._slotnames(type(t1)))
    if slots != set(copyreg._slotnames(type(t2))):
        raise RuntimeError("Cannot swap t1 and t2 if they have different slots")
    t1.__class__, t2.__class__ = t2.__class__, t1.__class__
    if hasattr(t1, "__dict__") and hasattr(t2, "__dict__"):
        t1.__dict__, t2.__dict__ = t2.__dict__, t1.__dict__
    missing = object()
    for slot in slots - {"__weakref__", "__dict__"}:
        a, b = getattr(t1, slot, missing), getattr(t2, slot, missing)
        for target, value in ((t1, b), (t2, a)):
            if value is missing:
                if hasattr(target, slot):
                    delattr(target, slot)
            else:
                setattr(target, slot, value)
