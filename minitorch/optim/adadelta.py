"""Adadelta (mirrors ``torch.optim.Adadelta``)."""

from __future__ import annotations

import numpy as np

from ._flat import Bucket, FlatOptimizer, prepare_grad
from .optimizer import LOADED_FLAGS, check_options


class Adadelta(FlatOptimizer):
    """Mirrors ``torch.optim.Adadelta``: ``delta = sqrt(acc_delta + eps) / sqrt(square_avg +
    eps) * g`` with running averages of g^2 (``square_avg``) and delta^2 (``acc_delta``)."""

    _loaded_group_defaults = LOADED_FLAGS

    def __init__(
        self,
        params,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_options(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        if rho > 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_options(differentiable=differentiable)
        defaults = dict(
            lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
            capturable=capturable, foreach=foreach, differentiable=differentiable,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        return {"square_avg": 0, "acc_delta": 0}

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        arrays = (b.flat, b.grad, b.tmp, b.bufs["square_avg"], b.bufs["acc_delta"])
        args = (group["weight_decay"], group["maximize"], group["rho"], group["eps"])
        b.run(_adadelta, arrays, *args, float(group["lr"]))


def _adadelta(p, g, t, s, acc, wd, maximize, rho, eps, lr) -> None:
    prepare_grad(p, g, t, wd, maximize)
    s *= rho  # s = rho s + (1 - rho) g^2
    np.multiply(g, g, out=t)
    t *= 1 - rho
    s += t
    np.add(acc, eps, out=t)  # delta = sqrt(acc + eps) / sqrt(s + eps) * g
    np.sqrt(t, out=t)
    g *= t
    np.add(s, eps, out=t)
    np.sqrt(t, out=t)
    np.divide(g, t, out=g)
    acc *= rho  # acc = rho acc + (1 - rho) delta^2
    np.multiply(g, g, out=t)
    t *= 1 - rho
    acc += t
    g *= -lr
    p += g
