"""Adafactor (mirrors ``torch.optim.Adafactor``): Adam-like steps whose second moment of a
matrix (or a stack of matrices) is kept factored as a row and a column mean."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from .optimizer import Optimizer


class Adafactor(Optimizer):
    """Mirrors ``torch.optim.Adafactor`` (PyTorch's single-tensor algorithm; ``foreach`` is
    accepted and gives the same numbers)."""

    def __init__(
        self,
        params,
        lr: float | Tensor = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(
            lr=lr,
            beta2_decay=beta2_decay,
            eps=eps,
            d=d,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def step(self, closure=None):
        """Mirrors ``Adafactor.step``: one update of every parameter that has a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            eps1, eps2 = group["eps"]
            lr = float(group["lr"])
            for p in group["params"]:
                if p._grad is None:
                    continue
                if eps1 is None:  # as PyTorch: the first parameter's dtype sets it for the group
                    eps1 = float(np.finfo(p._data.dtype).eps)
                self._update(p, self.state[p], group, lr, eps1, eps2)
        return loss

    @staticmethod
    def _update(p: Tensor, state: dict, group: dict, lr: float, eps1: float, eps2: float):
        x, g = p._data, p._grad._data
        if not state:
            state["step"] = make_tensor(np.zeros((), np.float32))
            if g.ndim > 1:
                state["row_var"] = make_tensor(np.zeros((*g.shape[:-1], 1), g.dtype))
                state["col_var"] = make_tensor(np.zeros((*g.shape[:-2], 1, g.shape[-1]), g.dtype))
            else:
                state["variance"] = make_tensor(np.zeros_like(g))
        if group["maximize"]:
            g = -g
        step_t = state["step"]._data
        step_t += 1
        step = float(step_t)
        one_minus_beta2 = step ** group["beta2_decay"]
        rho = min(lr, 1 / step**0.5)
        alpha = max(eps2, _rms(x)) * rho
        if group["weight_decay"] != 0:
            x *= 1 - lr * group["weight_decay"]
        squared = g * g
        if g.ndim > 1:
            row_var, col_var = state["row_var"]._data, state["col_var"]._data
            lerp_(row_var, squared.mean(axis=-1, keepdims=True), one_minus_beta2)
            lerp_(col_var, squared.mean(axis=-2, keepdims=True), one_minus_beta2)
            update = row_var @ col_var
            update /= np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
        else:
            variance = state["variance"]._data
            lerp_(variance, squared, one_minus_beta2)
            update = variance.copy()
        np.maximum(update, eps1 * eps1, out=update)  # eps1 squared: the root is taken next
        np.sqrt(update, out=update)
        np.divide(g, update, out=update)
        x -= update * (alpha / max(1.0, _rms(update) / group["d"]))
        vc = p._vc
        if vc is not None:
            vc[0] += 1


def _rms(a) -> float:
    """``a.norm(2).item() / a.numel() ** 0.5``: nan for an empty array, as PyTorch's."""
    return float(np.sqrt(np.vdot(a, a))) / a.size**0.5 if a.size else float("nan")


def lerp_(start, end, weight: float) -> None:
    """``start.lerp_(end, weight)`` in place, with PyTorch's two formulas (exact at 0 and 1)."""
    if weight < 0.5:
        start += weight * (end - start)
    else:
        np.subtract(end, (end - start) * (1 - weight), out=start)
