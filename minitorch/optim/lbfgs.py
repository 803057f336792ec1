"""L-BFGS with an optional strong-Wolfe line search (mirrors ``torch.optim.LBFGS``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._tensor import make_tensor
from ._flat import Bucket
from .optimizer import Optimizer, check_options


class LBFGS(Optimizer):
    """Mirrors ``torch.optim.LBFGS``: one parameter group; ``step(closure)`` runs up to
    ``max_iter`` iterations, each re-evaluating the closure. The parameters are updated as
    one flat vector (their arrays become views into it)."""

    def __init__(
        self,
        params,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        check_options(lr=lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        kinds = {(p._data.dtype, type(p._data)) for p in self._params}
        if len(kinds) != 1:
            raise ValueError(
                "LBFGS optimizes its parameters as one flat vector: they must share one dtype "
                f"and device, got dtypes {sorted(str(k[0]) for k in kinds)}"
            )
        if len({id(p) for p in self._params}) != len(self._params):
            raise ValueError(
                "LBFGS: a parameter is listed twice; minitorch's LBFGS updates each parameter "
                "once (PyTorch's would move it along both listings): pass each parameter once"
            )
        if len(self._params) > 1 and any(p._base is not None for p in self._params):
            raise ValueError(
                "LBFGS: a parameter is a view of another tensor; pass the tensor it views"
            )
        self._bucket: Bucket | None = None

    def _flat(self) -> Bucket:
        b = self._bucket
        if b is None or not b.valid(None):
            b = self._bucket = Bucket(self._params, [{} for _ in self._params], {}, False, None)
        return b

    def _flat_grad(self, b: Bucket):
        """A fresh flat copy of the gradients (zeros where a parameter has none)."""
        grads = [
            p._grad._data.reshape(-1) if p._grad is not None else np.zeros_like(p._data).ravel()
            for p in self._params
        ]
        return np.concatenate(grads, out=np.empty_like(b.flat))

    def _add_grad(self, b: Bucket, t: float, d) -> None:
        np.multiply(d, t, out=b.tmp)
        b.flat += b.tmp
        b.finish()

    def _directional_evaluate(self, closure: Callable, b: Bucket, x, t: float, d):
        """Loss and flat gradient at ``x + t d``; the parameters are restored to ``x``."""
        self._add_grad(b, t, d)
        loss = float(self._evaluate(closure))
        flat_grad = self._flat_grad(b)
        np.copyto(b.flat, x)
        b.finish()
        return loss, flat_grad

    def step(self, closure: Callable | None = None):
        """Mirrors ``LBFGS.step``: returns the loss of the first closure evaluation."""
        if closure is None:  # PyTorch: a TypeError (closure is a required argument)
            raise TypeError(
                "LBFGS.step() missing 1 required positional argument: 'closure' (LBFGS.step "
                "needs a closure that clears the gradients, re-evaluates the model and returns "
                "the loss; it is called several times per step)"
            )
        if len(self.param_groups) != 1:  # add_param_group is not refused, stepping is
            raise AssertionError(
                f"Expected exactly one param_group, but got {len(self.param_groups)}"
            )
        group = self.param_groups[0]
        lr = _scalar(group["lr"])  # a Python number stays one (an int lr too), as PyTorch's
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._evaluate(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        b = self._flat()
        b.begin()
        flat_grad = self._flat_grad(b)
        if flat_grad.size == 0:  # PyTorch's flat_grad.abs().max() of no elements
            raise RuntimeError(
                "max(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                "the reduction dim with the 'dim' argument."
            )
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d = _array(state.get("d"))
        t = _scalar(state.get("t"))
        old_dirs = [x._data for x in state.get("old_dirs", [])]
        old_stps = [x._data for x in state.get("old_stps", [])]
        ro = [x._data[()] for x in state.get("ro", [])]
        h_diag = _scalar(state.get("H_diag"))
        prev_flat_grad = _array(state.get("prev_flat_grad"))
        prev_loss = state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro, h_diag = [], [], [], 1  # an int, as PyTorch's
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = np.dot(y, s)  # scalars in the parameters' dtype, as PyTorch's 0-d tensors
                if ys > 1e-10:  # update the memory only when the curvature is positive
                    if len(old_dirs) == history_size:
                        del old_dirs[0], old_stps[0], ro[0]
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / np.dot(y, y)
                d = _two_loop(flat_grad, old_dirs, old_stps, ro, h_diag, state, history_size)

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                np.copyto(prev_flat_grad, flat_grad)
            prev_loss = loss

            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr
            else:
                t = lr
            gtd = np.dot(flat_grad, d)
            if gtd > -tolerance_change:  # not a descent direction
                break

            ls_func_evals = 0
            if group["line_search_fn"] is not None:
                if group["line_search_fn"] != "strong_wolfe":  # PyTorch checks it here
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = b.flat.copy()

                def obj_func(t, d, x_init=x_init):
                    return self._directional_evaluate(closure, b, x_init, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    obj_func, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(b, t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(b, t, d)
                if n_iter != max_iter:
                    loss = float(self._evaluate(closure))
                    flat_grad = self._flat_grad(b)
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change:
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        state["d"] = make_tensor(d)
        state["t"] = _to_state(t)
        state["old_dirs"] = [make_tensor(x) for x in old_dirs]
        state["old_stps"] = [make_tensor(x) for x in old_stps]
        state["ro"] = [_to_state(x) for x in ro]
        state["H_diag"] = _to_state(h_diag)
        if "al" in state:
            state["al"] = [_to_state(x) for x in state["al"]]
        state["prev_flat_grad"] = make_tensor(prev_flat_grad)
        state["prev_loss"] = prev_loss
        return orig_loss


def _array(t):
    return None if t is None else t._data


def _scalar(t):
    """A state scalar: PyTorch keeps these as 0-d tensors (``1`` before any update)."""
    return t._data[()] if hasattr(t, "_data") else t


def _to_state(x):
    """A scalar computed from the parameters (a numpy scalar, or a 0-d device array) as the
    0-d tensor PyTorch stores; Python numbers and None are kept."""
    if isinstance(x, np.generic):
        return make_tensor(np.asarray(x))
    return x if x is None or isinstance(x, (int, float)) else make_tensor(x)


def _two_loop(flat_grad, old_dirs, old_stps, ro, h_diag, state, history_size):
    """The L-BFGS two-loop recursion: the direction -H g from the stored curvature pairs."""
    al = [_scalar(x) for x in state.get("al", [None] * history_size)]
    state["al"] = al
    q = -flat_grad
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = np.dot(old_stps[i], q) * ro[i]
        q -= old_dirs[i] * al[i]
    r = q * h_diag
    for i in range(len(old_dirs)):
        be_i = np.dot(old_dirs[i], r) * ro[i]
        r += old_stps[i] * (al[i] - be_i)
    return r


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None) -> float:
    """Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to ``bounds``."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, lo), hi)


def _strong_wolfe(obj_func, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Line search along ``d`` for a step ``t`` meeting the strong Wolfe conditions
    (bracketing, then zoom by cubic interpolation); returns (f, g, t, evaluations). The
    directional derivatives (and the steps computed from them) are numpy scalars of the
    parameters' dtype, as PyTorch's 0-d tensors: its tests run in float32 for float32
    parameters, and a step kept from a Python number stays one."""
    d_norm = np.abs(d).max()
    f_new, g_new = obj_func(t, d)
    ls_func_evals = 1
    gtd_new = np.dot(g_new, d)

    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        # extrapolate
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        t_prev, t = (
            t,
            _cubic_interpolate(
                t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step)
            ),
        )
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = obj_func(t, d)
        ls_func_evals += 1
        gtd_new = np.dot(g_new, d)
        ls_iter += 1

    if ls_iter == max_ls:  # reached the evaluation budget while extrapolating
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # zoom until the bracket is small enough or the conditions hold
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # keep t away from the bracket's ends unless the last steps made progress
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = obj_func(t, d)
        ls_func_evals += 1
        gtd_new = np.dot(g_new, d)
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new, gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new, gtd_new

    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals
