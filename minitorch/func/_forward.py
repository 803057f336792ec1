"""Forward-mode tangents for ``jvp`` and ``jacfwd`` where a user Function gives its own
``jvp`` rule: PyTorch's transforms run forward mode, so that rule (not the Function's
backward) decides the result. Everything else keeps the reverse-mode transforms."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from .._tensor import Tensor
from ..autograd import forward_ad
from ..factories import zeros_like
from ..utils._rng import RngSnapshot
from ._pytree import flatten, unflatten
from ._running import running


def usable() -> bool:
    """Whether forward mode is free to use (one dual level at a time)."""
    return forward_ad._level is None


def random_streams():
    """Taken before the reverse-mode pass: a context (``with replay():``) in which the
    forward-mode pass draws the same random numbers. Under vmap's randomness='error' no draw
    can happen and there is nothing to replay."""
    try:
        return RngSnapshot().replay
    except RuntimeError:
        return nullcontext


def forward_tangents(
    func: Callable, args: tuple, kwargs: dict, nums: tuple, tangents: list, has_aux: bool
) -> list:
    """The tangents of ``func``'s output leaves (zeros where an output carries none) when
    the leaves of the arguments at ``nums`` move along ``tangents``."""
    leaves, spec = flatten(tuple(args[i] for i in nums))
    with forward_ad.dual_level(), running("jvp"):
        duals = [forward_ad.make_dual(p.detach(), t.detach()) for p, t in zip(leaves, tangents)]
        new_args = list(args)
        for i, value in zip(nums, unflatten(spec, duals)):
            new_args[i] = value
        out = func(*new_args, **kwargs)
        outs = flatten(out[0] if has_aux else out)[0]
        return [_tangent(o) for o in outs if isinstance(o, Tensor)]


def _tangent(o: Tensor) -> Tensor:
    tangent = forward_ad.unpack_dual(o).tangent
    return zeros_like(o.detach()) if tangent is None else tangent.detach()
