"""ASGD (mirrors ``torch.optim.ASGD``)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._flat import Bucket, FlatOptimizer, prepare_grad
from .optimizer import LOADED_FLAGS, check_options, scalar_state


class ASGD(FlatOptimizer):
    """Mirrors ``torch.optim.ASGD``: SGD with the step size ``eta`` decaying as
    ``lr / (1 + lambd lr t)^alpha`` and weight decay by ``1 - lambd eta``, plus a running
    average ``ax`` of the parameters from step ``t0`` on. ``eta`` and ``mu`` (the averaging
    rate) are 0-d state tensors per parameter, as in PyTorch."""

    _loaded_group_defaults = LOADED_FLAGS

    capturable_tensors = "params, mus, etas, and state_steps"

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_options(lr=lr, weight_decay=weight_decay, differentiable=differentiable)
        defaults = dict(
            lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach,
            maximize=maximize, differentiable=differentiable, capturable=capturable,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        return {"ax": 0}

    def _phase(self, state: dict) -> tuple:
        """Parameters share a bucket when their step, eta and mu agree (eta follows the lr
        of the steps a parameter took: one that skipped a step under a scheduler differs)."""
        return tuple(float(state[k]) if k in state else None for k in ("step", "eta", "mu"))

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        step = float(b.steps[0])
        lr, lambd = float(group["lr"]), group["lambd"]
        scalars = [_eta_mu(st, lr) for st in b.states]
        eta, mu = (float(t._data) for t in scalars[0])  # one bucket: one step count
        arrays = (b.flat, b.grad, b.tmp, b.bufs["ax"])
        b.run(_asgd, arrays, group["weight_decay"], group["maximize"], lambd, eta, mu)
        # PyTorch makes them tensors of the default dtype (of a tensor lr's, for eta) before
        # copying them into the state: a float64 parameter's loaded eta and mu are float64,
        # their values float32's
        default = b.steps.dtype.type
        lr_dtype = group["lr"]._data.dtype.type if isinstance(group["lr"], Tensor) else default
        new_eta = lr_dtype(lr / ((1 + lambd * lr * step) ** group["alpha"]))
        new_mu = default(1 / max(1, step - group["t0"]))
        for eta_t, mu_t in scalars:
            eta_t._data[...] = new_eta
            mu_t._data[...] = new_mu


def _eta_mu(state: dict, lr: float) -> tuple:
    """The parameter's ``eta`` (lr at first) and ``mu`` (1) state tensors, after ``step`` in
    its state dict as in PyTorch."""
    if "eta" not in state:
        rest = [(k, v) for k, v in state.items() if k != "step"]
        step = state["step"]
        state.clear()
        state.update(
            [
                ("step", step),
                ("eta", scalar_state(lr)),
                ("mu", scalar_state(1.0)),
                *rest,
            ]
        )
    return state["eta"], state["mu"]


def _asgd(p, g, t, ax, wd, maximize, lambd, eta, mu) -> None:
    prepare_grad(p, g, t, wd, maximize)
    p *= 1 - lambd * eta
    np.multiply(g, eta, out=t)
    p -= t
    if mu != 1:  # ax += mu (p - ax)
        np.subtract(p, ax, out=t)
        t *= mu
        ax += t
    else:
        ax[...] = p
