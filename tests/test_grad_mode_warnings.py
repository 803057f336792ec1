"""Where PyTorch warns about converting a tensor that requires grad to a Python number: only
with grad mode on, so not inside a built-in optimizer's step, which runs with grad mode off
(LBFGS converts its closure's loss with ``float``)."""

from __future__ import annotations

import warnings

import minitorch
from minitorch import _warn_once

CONVERTING = "Converting a tensor with requires_grad=True to a scalar"


def _conversion_warnings(fn) -> int:
    """How many conversion warnings ``fn()`` gives, the warn-once registry cleared first."""
    _warn_once._given = {m for m in _warn_once._given if not m.startswith(CONVERTING)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return sum(CONVERTING in str(w.message) for w in caught)


def test_float_of_a_leaf_warns_only_with_grad_mode_on():
    x = minitorch.ones(1, requires_grad=True)
    assert _conversion_warnings(lambda: float(x)) == 1

    def under_no_grad():
        with minitorch.no_grad():
            assert float(x) == 1.0

    assert _conversion_warnings(under_no_grad) == 0


def test_lbfgs_step_gives_no_conversion_warning():
    p = minitorch.nn.Parameter(minitorch.tensor([1.0, -2.0, 0.5]))
    opt = minitorch.optim.LBFGS([p], max_iter=3)

    def closure():
        opt.zero_grad()
        loss = (p**2).sum()
        loss.backward()
        return loss

    assert _conversion_warnings(lambda: opt.step(closure)) == 0
    assert float(p.detach().abs().max()) < 0.5  # it did optimise


def test_step_hooks_closures_and_user_steps_keep_grad_mode_on():
    p = minitorch.nn.Parameter(minitorch.ones(2))
    seen = []
    sgd = minitorch.optim.SGD([p], lr=0.1)
    sgd.register_step_pre_hook(lambda *a: seen.append(("hook", minitorch.is_grad_enabled())))
    p.grad = minitorch.ones(2)

    def closure():
        seen.append(("closure", minitorch.is_grad_enabled()))
        return minitorch.tensor(0.0)

    sgd.step(closure)

    class Mine(minitorch.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {})

        def step(self, closure=None):
            seen.append(("user step", minitorch.is_grad_enabled()))

    Mine([p]).step()
    assert seen == [("hook", True), ("closure", True), ("user step", True)]
    assert minitorch.is_grad_enabled()
    assert p.detach().tolist() == [0.8999999761581421] * 2
