"""Adam's variants: Adamax, NAdam, RAdam (mirror ``torch.optim.Adamax`` / ``NAdam`` /
``RAdam``), each an update kernel over a bucket's flat arrays, as Adam's."""

from __future__ import annotations

import numpy as np

from ._flat import Bucket, FlatOptimizer, prepare_grad
from .optimizer import LOADED_FLAGS, check_options, scalar_state


def _betas(betas) -> tuple[float, float]:
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
    return float(betas[0]), float(betas[1])


def _moments(g, t, m, v, beta1: float, beta2: float) -> None:
    """m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2 (``t`` is scratch)."""
    m *= beta1
    np.multiply(g, 1 - beta1, out=t)
    m += t
    v *= beta2
    np.multiply(g, g, out=t)
    t *= 1 - beta2
    v += t


def _decay_weights(group: dict, b: Bucket) -> float:
    """AdamW-style decay applied now when ``decoupled_weight_decay``; else the L2 factor."""
    wd = group["weight_decay"]
    if wd != 0 and group["decoupled_weight_decay"]:
        b.flat *= 1 - float(group["lr"]) * wd
        return 0
    return wd


class Adamax(FlatOptimizer):
    """Mirrors ``torch.optim.Adamax``: Adam with the infinity norm, ``u = max(beta2 u,
    |g| + eps)``, ``p -= lr / (1 - beta1^t) * m / u``."""

    _loaded_group_defaults = LOADED_FLAGS

    def __init__(
        self,
        params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_options(lr=lr, eps=eps, weight_decay=weight_decay, differentiable=differentiable)
        defaults = dict(
            lr=lr, betas=_betas(betas), eps=eps, weight_decay=weight_decay, foreach=foreach,
            maximize=maximize, differentiable=differentiable, capturable=capturable,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        return {"exp_avg": 0, "exp_inf": 0}

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        beta1, beta2 = group["betas"]
        clr = float(group["lr"]) / (1 - beta1 ** float(b.steps[0]))
        arrays = (b.flat, b.grad, b.tmp, b.bufs["exp_avg"], b.bufs["exp_inf"])
        args = (group["weight_decay"], group["maximize"], beta1, beta2, group["eps"], clr)
        b.run(_adamax, arrays, *args)


def _adamax(p, g, t, m, u, wd, maximize, beta1, beta2, eps, clr) -> None:
    prepare_grad(p, g, t, wd, maximize)
    m *= beta1
    np.multiply(g, 1 - beta1, out=t)
    m += t
    u *= beta2
    np.abs(g, out=t)
    t += eps
    np.maximum(u, t, out=u)
    np.divide(m, u, out=t)
    t *= -clr
    p += t


class NAdam(FlatOptimizer):
    """Mirrors ``torch.optim.NAdam``: Adam with Nesterov momentum, the momentum schedule
    ``mu_t = beta1 (1 - 0.96^(t momentum_decay) / 2)`` and its running product ``mu_product``
    (a 0-d state tensor per parameter, as in PyTorch)."""

    _loaded_group_defaults = dict(
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        decoupled_weight_decay=False,
    )

    capturable_tensors = "params, mu_products and state_steps"

    def __init__(
        self,
        params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_options(
            lr=lr, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
            differentiable=differentiable,
        )  # fmt: skip
        defaults = dict(
            lr=lr, betas=_betas(betas), eps=eps, weight_decay=weight_decay,
            momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize, foreach=foreach, capturable=capturable,
            differentiable=differentiable,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        return {"exp_avg": 0, "exp_avg_sq": 0}

    def _phase(self, state: dict) -> tuple:
        """Parameters share a bucket when their step and mu_product agree (the product
        follows the beta1 of the steps taken: a scheduler's momentum cycle changes it), in
        value and dtype (a float64 parameter's loaded product is float64)."""
        prod = state.get("mu_product")
        return super()._phase(state), None if prod is None else (float(prod), prod.dtype)

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        step = float(b.steps[0])
        lr = float(group["lr"])
        beta1, beta2 = group["betas"]
        wd = _decay_weights(group, b)
        mu = beta1 * (1 - 0.5 * 0.96 ** (step * group["momentum_decay"]))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * group["momentum_decay"]))
        products = [_mu_product(st) for st in b.states]
        for prod in products:
            prod._data *= prod._data.dtype.type(mu)
        mu_product = float(products[0]._data)  # one bucket: one step count, one product
        arrays = (b.flat, b.grad, b.tmp, b.bufs["exp_avg"], b.bufs["exp_avg_sq"])
        args = (wd, group["maximize"], beta1, beta2, group["eps"], 1 - beta2**step)
        grad_scale = -lr * (1 - mu) / (1 - mu_product)
        avg_scale = -lr * mu_next / (1 - mu_product * mu_next)
        b.run(_nadam, arrays, *args, grad_scale, avg_scale)


def _mu_product(state: dict):
    """The parameter's ``mu_product`` (1 at first), second in its state dict as in PyTorch."""
    prod = state.get("mu_product")
    if prod is None:
        prod = scalar_state(1.0)
        rest = [(k, v) for k, v in state.items() if k != "step"]
        step = state["step"]
        state.clear()
        state.update([("step", step), ("mu_product", prod), *rest])
    return prod


def _nadam(p, g, t, m, v, wd, maximize, beta1, beta2, eps, bc2, grad_scale, avg_scale) -> None:
    prepare_grad(p, g, t, wd, maximize)
    _moments(g, t, m, v, beta1, beta2)
    np.divide(v, bc2, out=t)  # denom = sqrt(v / (1 - beta2^t)) + eps
    np.sqrt(t, out=t)
    t += eps
    np.divide(g, t, out=g)
    g *= grad_scale
    p += g
    np.divide(m, t, out=t)
    t *= avg_scale
    p += t


class RAdam(FlatOptimizer):
    """Mirrors ``torch.optim.RAdam``: Adam whose adaptive step is switched on (and rectified)
    once the variance estimate is tractable (``rho_t > 5``); before, plain momentum SGD."""

    _loaded_group_defaults = dict(
        foreach=None,
        maximize=False,
        differentiable=False,
        decoupled_weight_decay=False,
        capturable=False,
    )

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_options(lr=lr, eps=eps, weight_decay=weight_decay, differentiable=differentiable)
        defaults = dict(
            lr=lr, betas=_betas(betas), eps=eps, weight_decay=weight_decay, maximize=maximize,
            foreach=foreach, capturable=capturable, decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        return {"exp_avg": 0, "exp_avg_sq": 0}

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        step = float(b.steps[0])
        lr = float(group["lr"])
        beta1, beta2 = group["betas"]
        wd = _decay_weights(group, b)
        bc1, bc2 = 1 - beta1**step, 1 - beta2**step
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2**step / bc2
        rect = 0.0  # 0: no adaptive term yet
        if rho_t > 5.0:
            rect = (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            rect = rect**0.5 * bc2**0.5
        arrays = (b.flat, b.grad, b.tmp, b.bufs["exp_avg"], b.bufs["exp_avg_sq"])
        args = (wd, group["maximize"], beta1, beta2, group["eps"], lr / bc1, rect)
        b.run(_radam, arrays, *args)


def _radam(p, g, t, m, v, wd, maximize, beta1, beta2, eps, lr_bc1, rect) -> None:
    prepare_grad(p, g, t, wd, maximize)
    _moments(g, t, m, v, beta1, beta2)
    if rect:  # p -= lr m / bc1 * rect sqrt(bc2) / (sqrt(v) + eps)
        np.sqrt(v, out=t)
        t += eps
        np.divide(m, t, out=t)
        t *= -lr_bc1 * rect
    else:
        np.multiply(m, -lr_bc1, out=t)
    p += t
