"""Muon (mirrors ``torch.optim.Muon``): SGD with Nesterov momentum whose update of each 2-D
parameter is orthogonalized by a Newton-Schulz iteration run in bfloat16, as PyTorch's."""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor, make_tensor
from .adafactor import lerp_, scale_
from .optimizer import Optimizer

_NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


class Muon(Optimizer):
    """Mirrors ``torch.optim.Muon`` (2-D parameters only; the bfloat16 arithmetic of its
    Newton-Schulz iteration is reproduced on float32 arrays rounded to bfloat16)."""

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        weight_decay: float = 0.1,
        momentum: float = 0.95,
        nesterov: bool = True,
        ns_coefficients: tuple[float, float, float] = _NS_COEFFICIENTS,
        eps: float = 1e-7,
        ns_steps: int = 5,
        adjust_lr_fn: str | None = None,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = dict(
            lr=lr,
            weight_decay=weight_decay,
            momentum=momentum,
            nesterov=nesterov,
            ns_coefficients=ns_coefficients,
            eps=eps,
            ns_steps=ns_steps,
            adjust_lr_fn=adjust_lr_fn,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(
                        "Muon only supports 2D parameters whereas we found a parameter with "
                        f"size: {p.size()}"
                    )

    def step(self, closure=None):
        """Mirrors ``Muon.step``: one update of every parameter that has a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, momentum = float(group["lr"]), group["momentum"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                g = p._grad._data
                if g.ndim != 2:
                    raise ValueError("Param gradient must be a 2D matrix")
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = make_tensor(np.zeros_like(g))
                buf = state["momentum_buffer"]._data
                lerp_(buf, g, 1 - momentum)
                update = buf
                if group["nesterov"]:
                    update = g.copy()
                    lerp_(update, buf, momentum)
                update = _orthogonalize(
                    update, group["ns_coefficients"], group["ns_steps"], group["eps"]
                )
                x = p._data
                scale_(x, 1 - lr * group["weight_decay"])
                update = update.astype(np.result_type(x, np.float32), copy=False)
                x -= _adjust_lr(lr, group["adjust_lr_fn"], x.shape) * update
                vc = p._vc
                if vc is not None:
                    vc[0] += 1
        return loss


def _orthogonalize(grad, coefficients: tuple, steps: int, eps: float):
    """PyTorch's ``_zeropower_via_newtonschulz``: the quintic Newton-Schulz iteration towards
    the orthogonal factor of ``grad``, every result rounded to bfloat16 as PyTorch's."""
    if steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if grad.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = coefficients
    x = _bf16(grad)
    tall = grad.shape[0] > grad.shape[1]
    if tall:
        x = x.T
    norm = _bf16(np.sqrt(np.vdot(x, x), dtype=np.float32))
    x = _bf16(x / np.maximum(norm, float(_bf16(np.array(eps)))))
    for _ in range(steps):
        gram = _bf16(x @ x.T)
        gram = _bf16(b * gram + c * (gram @ gram))
        x = _bf16(a * x + gram @ x)
    return x.T if tall else x


def _bf16(x):
    """Values rounded once to the nearest bfloat16 (ties to even), returned as float32: the
    low mantissa bits of float64 (or float32) are rounded off in the integer view."""
    if x.dtype != np.float64:
        x = x.astype(np.float32, copy=False)
    uint = np.uint64 if x.dtype == np.float64 else np.uint32
    drop = uint(45 if x.dtype == np.float64 else 16)  # mantissa bits beyond bfloat16's 7
    bits = x.view(uint)
    half = (uint(1) << (drop - uint(1))) - uint(1)
    bits = (bits + half + ((bits >> drop) & uint(1))) >> drop << drop
    return bits.view(x.dtype).astype(np.float32)


def _adjust_lr(lr: float, adjust_lr_fn: str | None, shape: tuple) -> float:
    """PyTorch's ``_adjust_lr``: the lr scaled for the parameter's shape."""
    rows, cols = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        return lr * math.sqrt(max(1, rows / cols))
    if adjust_lr_fn == "match_rms_adamw":
        return lr * 0.2 * math.sqrt(max(rows, cols))
    return lr
