"""Rprop (mirrors ``torch.optim.Rprop``)."""

from __future__ import annotations

import numpy as np

from ._flat import Bucket, FlatOptimizer
from .optimizer import LOADED_FLAGS, check_options


class Rprop(FlatOptimizer):
    """Mirrors ``torch.optim.Rprop``: each weight moves by its own ``step_size`` against the
    sign of its gradient; the step grows by ``etas[1]`` while the sign holds and shrinks by
    ``etas[0]`` when it flips (then that gradient counts as 0), within ``step_sizes``."""

    _loaded_group_defaults = LOADED_FLAGS

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_options(lr=lr, differentiable=differentiable)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(
            lr=lr, etas=tuple(etas), step_sizes=tuple(step_sizes), foreach=foreach,
            maximize=maximize, differentiable=differentiable, capturable=capturable,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        return {"prev": 0, "step_size": float(group["lr"])}

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        arrays = (b.flat, b.grad, b.tmp, b.bufs["prev"], b.bufs["step_size"])
        b.run(_rprop, arrays, group["maximize"], *group["etas"], *group["step_sizes"])


def _rprop(p, g, t, prev, size, maximize, eta_minus, eta_plus, size_min, size_max) -> None:
    if maximize:
        np.negative(g, out=g)
    np.multiply(g, prev, out=t)
    np.sign(t, out=t)  # +1: same sign as before, -1: flipped, 0: either is zero
    factor = np.where(t > 0, eta_plus, np.where(t < 0, eta_minus, 1.0)).astype(t.dtype)
    size *= factor
    np.clip(size, size_min, size_max, out=size)
    g[factor == eta_minus] = 0  # after a flip: no move now, and no sign to compare next time
    np.sign(g, out=t)
    t *= size
    p -= t
    prev[...] = g
