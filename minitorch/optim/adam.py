"""Adam (mirrors ``torch.optim.Adam``), with AdamW's decoupled weight decay as an option."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..backends import fused
from ._flat import Bucket, FlatOptimizer
from .optimizer import check_options


class Adam(FlatOptimizer):
    """Mirrors ``torch.optim.Adam`` (``foreach``/``fused``/``capturable`` are accepted and
    ignored: every bucket is updated with whole-array operations anyway)."""

    _loaded_group_defaults = dict(
        amsgrad=False,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        decoupled_weight_decay=False,
        fused=None,
    )

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError(
                "lr as a Tensor is not supported for capturable=False and foreach=True"
            )
        check_options(lr=lr, eps=eps, weight_decay=weight_decay, differentiable=differentiable,
                      fused=fused)  # fmt: skip
        check_options(fused=fused, foreach=foreach)
        defaults = dict(
            lr=lr,
            betas=_check_betas(betas, foreach and not capturable),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _fills(self, group: dict) -> dict:
        fills = {"exp_avg": 0, "exp_avg_sq": 0}
        if group["amsgrad"]:
            fills["max_exp_avg_sq"] = 0
        return fills

    def _update(self, group: dict, b: Bucket) -> None:
        b.steps += 1
        step = float(b.steps[0])
        lr, wd = group["lr"], group["weight_decay"]
        if isinstance(lr, Tensor):  # its products are PyTorch's 0-d tensor ops, rounded to
            # its dtype (its fused kernel reads the number)
            lr = float(lr) if group["fused"] else lr._data.dtype.type(float(lr))
        beta1, beta2 = map(float, group["betas"])  # floats or 0-d Tensors
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        # p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), with sqrt(bc2) moved into the numerator
        scale = float(lr / bias_correction1) * bias_correction2_sqrt
        decay = 1.0
        if wd != 0 and group["decoupled_weight_decay"]:
            decay, wd = float(1 - lr * wd), 0
        bufs = b.bufs
        arrays = (b.flat, b.grad, b.tmp, bufs["exp_avg"], bufs["exp_avg_sq"])
        arrays += (bufs.get("max_exp_avg_sq"),)
        eps = group["eps"] * bias_correction2_sqrt
        kernel = fused(b.flat, "adam")  # a backend's one-pass kernel, where it has one
        if kernel is not None:
            b.run(kernel, arrays, wd, group["maximize"], decay, beta1, beta2, eps, scale)
            return
        c1 = 1 - beta1  # the gradient is scaled by it while being copied (see _adam_scaled)
        grad_scale = -c1 if group["maximize"] else c1
        b.run(_adam_scaled, arrays, wd, decay, beta1, beta2, eps, scale, grad_scale=grad_scale)


def _check_betas(betas, foreach: bool) -> tuple:
    """PyTorch's checks of Adam's betas: in [0, 1), both floats or both 1-element Tensors
    (kept as 0-d Tensors, not with ``foreach`` unless capturable)."""
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
    if not (all(isinstance(b, float) for b in betas) or all(isinstance(b, Tensor) for b in betas)):
        raise ValueError("betas must be either both floats or both Tensors")
    for i, beta in enumerate(betas):
        if isinstance(beta, Tensor):
            if foreach:
                raise ValueError(
                    f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True"
                )
            if beta.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
    return tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() else b for b in betas)


def _adam(p, g, t, m, v, v_max, wd, maximize, decay, beta1, beta2, eps, scale) -> None:
    """One Adam step given the plain gradient ``g`` (the contract of the backends' fused
    "adam" kernels)."""
    np.multiply(g, -(1 - beta1) if maximize else 1 - beta1, out=g)
    _adam_scaled(p, g, t, m, v, v_max, wd, decay, beta1, beta2, eps, scale)


def _adam_scaled(p, g, t, m, v, v_max, wd, decay, beta1, beta2, eps, scale) -> None:
    """One Adam step on (a chunk of) a bucket, where ``g`` is ``(1 - beta1) * grad``
    (negated when maximizing): scaling the gradient while it is copied saves a pass."""
    c1 = 1 - beta1
    if wd != 0:  # L2: grad += wd * p
        np.multiply(p, c1 * wd, out=t)
        g += t
    if decay != 1.0:
        p *= decay
    m *= beta1  # m = beta1 m + (1 - beta1) grad
    m += g
    np.multiply(g, g, out=t)  # v = beta2 v + (1 - beta2) grad^2
    t *= (1 - beta2) / (c1 * c1)
    v *= beta2
    v += t
    if v_max is not None:
        np.maximum(v_max, v, out=v_max)
        v = v_max
    np.sqrt(v, out=t)
    t += eps
    np.divide(m, t, out=t)
    t *= -scale
    p += t
