"""RMSprop (mirrors ``torch.optim.RMSprop``)."""

from __future__ import annotations

import numpy as np

from ._flat import Bucket, FlatOptimizer, prepare_grad
from .optimizer import check_options


class RMSprop(FlatOptimizer):
    """Mirrors ``torch.optim.RMSprop`` (``foreach``/``capturable`` are accepted and ignored)."""

    _loaded_group_defaults = dict(
        momentum=0,
        centered=False,
        foreach=None,
        maximize=False,
        differentiable=False,
        capturable=False,
    )

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_options(
            lr=lr,
            eps=eps,
            momentum=momentum,
            weight_decay=weight_decay,
            alpha=alpha,
            differentiable=differentiable,
        )
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        fills = {"square_avg": 0}
        if group["momentum"] > 0:
            fills["momentum_buffer"] = 0
        if group["centered"]:
            fills["grad_avg"] = 0
        return fills

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        bufs = b.bufs
        arrays = (b.flat, b.grad, b.tmp, bufs["square_avg"])
        arrays += (bufs.get("grad_avg"), bufs.get("momentum_buffer"))
        args = (group["weight_decay"], group["maximize"], float(group["lr"]), group["alpha"])
        b.run(_rmsprop, arrays, *args, group["eps"], group["momentum"])


def _rmsprop(p, g, t, v, g_avg, buf, wd, maximize, lr, alpha, eps, momentum) -> None:
    prepare_grad(p, g, t, wd, maximize)
    v *= alpha  # v = alpha v + (1 - alpha) g^2
    np.multiply(g, g, out=t)
    t *= 1 - alpha
    v += t
    if g_avg is not None:  # centered: the denominator is sqrt(v - lerp(g_avg, g, 1 - alpha)^2)
        np.subtract(g, g_avg, out=t)
        t *= 1 - alpha
        g_avg += t
        np.multiply(g_avg, g_avg, out=t)
        np.subtract(v, t, out=t)
        np.sqrt(t, out=t)
    else:
        np.sqrt(v, out=t)
    t += eps
    np.divide(g, t, out=t)
    if buf is not None:  # buf = momentum * buf + g / denominator
        buf *= momentum
        buf += t
        np.multiply(buf, -lr, out=t)
    else:
        t *= -lr
    p += t
