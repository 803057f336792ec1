"""Adagrad (mirrors ``torch.optim.Adagrad``)."""

from __future__ import annotations

import numpy as np

from .._tensor import make_tensor
from ._flat import Bucket, FlatOptimizer, prepare_grad
from .optimizer import check_options, scalar_state


class Adagrad(FlatOptimizer):
    """Mirrors ``torch.optim.Adagrad`` (``foreach``/``fused`` are accepted and ignored). As in
    PyTorch, the state (``step`` and ``sum``) exists from construction on."""

    _loaded_group_defaults = dict(foreach=None, maximize=False, differentiable=False, fused=None)

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_options(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            eps=eps,
            initial_accumulator_value=initial_accumulator_value,
            differentiable=differentiable,
            fused=fused,
        )
        check_options(fused=fused, foreach=foreach)
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = scalar_state(0.0, bool(group["fused"]))
                state["sum"] = make_tensor(np.full_like(p._data, initial_accumulator_value))

    def _fills(self, group: dict) -> dict:
        return {"sum": group["initial_accumulator_value"]}

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        step = float(b.steps[0])
        clr = float(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
        arrays = (b.flat, b.grad, b.tmp, b.bufs["sum"])
        args = (group["weight_decay"], group["maximize"], group["eps"], clr)
        b.run(_adagrad, arrays, *args)


def _adagrad(p, g, t, s, wd, maximize, eps, clr) -> None:
    prepare_grad(p, g, t, wd, maximize)
    np.multiply(g, g, out=t)  # s += g^2; p -= clr * g / (sqrt(s) + eps)
    s += t
    np.sqrt(s, out=t)
    t += eps
    np.divide(g, t, out=t)
    t *= -clr
    p += t
