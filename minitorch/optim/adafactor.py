"""Adafactor (mirrors ``torch.optim.Adafactor``): Adam-like steps whose second moment of a
matrix (or a stack of matrices) is kept factored as a row and a column mean."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from .optimizer import Optimizer, scalar_state


class Adafactor(Optimizer):
    """Mirrors ``torch.optim.Adafactor`` (PyTorch's single-tensor algorithm; ``foreach`` is
    accepted and gives the same numbers)."""

    _loaded_group_defaults = dict(foreach=None)

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
            state["step"] = scalar_state(0.0)
            if g.ndim > 1:
                row_shape, col_shape = (*g.shape[:-1], 1), (*g.shape[:-2], 1, g.shape[-1])
                state["row_var"] = make_tensor(np.zeros_like(g, shape=row_shape))
                state["col_var"] = make_tensor(np.zeros_like(g, shape=col_shape))
            else:
                state["variance"] = make_tensor(np.zeros_like(g))
        if group["maximize"]:
            g = -g
        step_t = state["step"]._data
        step_t += 1
        step = float(step_t)
        one_minus_beta2 = step ** group["beta2_decay"]
        rho = min(lr, 1 / step**0.5)
        alpha = max(eps2, _norm(x) / x.size**0.5) * rho  # as PyTorch: empty raises here
        if group["weight_decay"] != 0:
            scale_(x, 1 - lr * group["weight_decay"])
        if g.ndim > 1:
            row_var, col_var = state["row_var"]._data, state["col_var"]._data
            lerp_(row_var, _mean_square(g, -1), one_minus_beta2)
            lerp_(col_var, _mean_square(g, -2), one_minus_beta2)
            var_estimate = row_var @ col_var
            var_estimate /= np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
        else:
            var_estimate = state["variance"]._data
            lerp_(var_estimate, g * g, one_minus_beta2)
        # eps1 squared: the root is taken next
        update = _rsqrt(np.maximum(var_estimate, eps1 * eps1))
        update *= g
        denom = max(1.0, _norm(update) / (update.size**0.5 * group["d"]))
        np.add(_opmath(x), _opmath(update) * (-alpha / denom), out=x, casting="same_kind")
        vc = p._vc
        if vc is not None:
            vc[0] += 1


def _opmath(a):
    """The array PyTorch computes with: float16 in float32, others as they are."""
    return a.astype(np.float32) if a.dtype == np.float16 else a


def scale_(a, factor: float) -> None:
    """``a.mul_(factor)``: the factor kept in float32 for float16 arrays, as PyTorch's."""
    np.multiply(_opmath(a), factor, out=a, casting="same_kind")


def _norm(a) -> float:
    """``a.norm(2).item()``: accumulated in float32 for float16, rounded to ``a``'s dtype."""
    b = _opmath(a).reshape(-1)
    return float(np.sqrt(np.dot(b, b)).astype(a.dtype))


def _mean_square(g, axis: int):
    """``g.norm(dim=axis, keepdim=True).square_().div_(g.size(axis))``, rounded as PyTorch."""
    a = _opmath(g)
    norm = np.sqrt(np.einsum("...i,...i->...", *(np.moveaxis(a, axis, -1),) * 2))
    norm = np.expand_dims(norm, axis).astype(g.dtype, copy=False)
    square = np.square(_opmath(norm)).astype(g.dtype, copy=False)
    return (_opmath(square) / g.shape[axis]).astype(g.dtype, copy=False)


def _rsqrt(a):
    """``a.rsqrt()``: one rounding to ``a``'s dtype."""
    return (1 / np.sqrt(_opmath(a))).astype(a.dtype, copy=False)


def lerp_(start, end, weight: float) -> None:
    """``start.lerp_(end, weight)`` in place, rounded as PyTorch's kernel: in float32 for
    float16, from ``end`` when the weight is at least 0.5 (exact at 0 and 1), and for float16
    and float32 with its fused multiply-add (exact in float64, then rounded)."""
    op = np.float64 if start.dtype == np.float64 else np.float32
    s, e = start.astype(op, copy=False), end.astype(op, copy=False)
    w = op(weight)
    diff = (e - s).astype(np.float64, copy=False)
    if abs(weight) < 0.5:
        exact = s.astype(np.float64) + diff * np.float64(w)
    else:
        exact = e.astype(np.float64) - diff * np.float64(op(1) - w)
    np.copyto(start, exact.astype(op, copy=False), casting="same_kind")
