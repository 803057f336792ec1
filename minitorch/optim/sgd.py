"""Stochastic gradient descent with momentum (mirrors ``torch.optim.SGD``)."""

from __future__ import annotations

import numpy as np

from ..backends import fused
from ._flat import Bucket, FlatOptimizer, add_scaled, prepare_grad
from .optimizer import check_options


class SGD(FlatOptimizer):
    """Mirrors ``torch.optim.SGD`` (``foreach``/``fused`` are accepted and ignored)."""

    _loaded_group_defaults = dict(
        nesterov=False, maximize=False, foreach=None, differentiable=False, fused=False
    )

    has_step = False

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_options(
            lr=lr, momentum=momentum, weight_decay=weight_decay, differentiable=differentiable,
            fused=fused,
        )  # fmt: skip
        check_options(fused=fused, foreach=foreach)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        # the buffer starts as a copy of the first gradient, so it has no fill value
        return {"momentum_buffer": None} if group["momentum"] != 0 else {}

    def _phase(self, state: dict) -> bool:
        """Whether the momentum buffer already holds a running average."""
        return state.get("momentum_buffer") is not None

    def _update(self, group: dict, b: Bucket) -> None:
        buf = b.bufs.get("momentum_buffer")
        first = not b.phase
        b.phase = True
        args = (group["weight_decay"], group["maximize"], float(group["lr"]), group["momentum"])
        args += (group["dampening"], group["nesterov"], first)
        b.run(fused(b.flat, "sgd") or _sgd, (b.flat, b.grad, b.tmp, buf), *args)


def _sgd(p, g, t, buf, wd, maximize, lr, momentum, dampening, nesterov, first) -> None:
    prepare_grad(p, g, t, wd, maximize)
    if buf is not None:
        if first:
            np.copyto(buf, g)
        else:  # buf = momentum * buf + (1 - dampening) * g
            buf *= momentum
            if dampening != 0:
                add_scaled(buf, g, 1 - dampening, t)
            else:
                buf += g
        if nesterov:  # g = g + momentum * buf
            add_scaled(g, buf, momentum, t)
        else:
            g = buf
    add_scaled(p, g, -lr, t)
