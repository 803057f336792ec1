"""LR schedulers against PyTorch: learning rates (and cycled momentum) over 100 steps,
state_dict resume, the step-order warning, and error messages."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch
from minitorch.optim import SGD, Adagrad, Adam
from minitorch.optim import lr_scheduler as S


def make_opt(fw, kind: str = "SGD"):
    """Two parameter groups with different learning rates."""
    groups = [{"params": [fw.zeros(2, requires_grad=True)], "lr": 0.1 * (i + 1)} for i in range(2)]
    if kind == "SGD":
        return fw.optim.SGD(groups, lr=0.1, momentum=0.9)
    return fw.optim.Adam(groups, lr=0.1)


SCHEDULERS = {
    "LambdaLR": lambda L, o: L.LambdaLR(o, [lambda e: 0.95**e, lambda e: 1 / (1 + e)]),
    "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, lambda e: 0.97),
    "StepLR": lambda L, o: L.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda L, o: L.MultiStepLR(o, [10, 30, 30, 70], gamma=0.5),
    "ConstantLR": lambda L, o: L.ConstantLR(o, factor=0.25, total_iters=13),
    "LinearLR": lambda L, o: L.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=37),
    "ExponentialLR": lambda L, o: L.ExponentialLR(o, gamma=0.97),
    "PolynomialLR": lambda L, o: L.PolynomialLR(o, total_iters=60, power=2.0),
    "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, T_max=30, eta_min=1e-3),
    "CosineAnnealingWarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, 7, 2, 1e-3),
    "OneCycleLR": lambda L, o: L.OneCycleLR(o, [1.0, 2.0], total_steps=101),
    "OneCycleLR-3phase-linear": lambda L, o: L.OneCycleLR(
        o, 1.0, epochs=10, steps_per_epoch=11, three_phase=True, anneal_strategy="linear"
    ),
    "CyclicLR-triangular2": lambda L, o: L.CyclicLR(
        o, 0.01, 0.1, step_size_up=7, step_size_down=5, mode="triangular2"
    ),
    "CyclicLR-exp_range": lambda L, o: L.CyclicLR(
        o, [0.01, 0.02], 0.1, step_size_up=9, mode="exp_range", gamma=0.98
    ),
    "CyclicLR-scale_fn": lambda L, o: L.CyclicLR(
        o, 0.01, 0.1, step_size_up=4, scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations"
    ),
    "SequentialLR": lambda L, o: L.SequentialLR(
        o,
        [L.LinearLR(o, 0.1, total_iters=10), L.CosineAnnealingLR(o, 40), L.ExponentialLR(o, 0.9)],
        milestones=[10, 50],
    ),
    "ChainedScheduler": lambda L, o: L.ChainedScheduler(
        [L.ExponentialLR(o, 0.99), L.StepLR(o, 10, 0.5)]
    ),
}


def trace(fw, name: str, kind: str, steps: int = 100):
    """Learning rates and momenta (SGD momentum or Adam beta1) after each step."""
    opt = make_opt(fw, kind)
    sched = SCHEDULERS[name](fw.optim.lr_scheduler, opt)
    lrs, moms = [], []
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
        moms.append([g.get("momentum", g.get("betas", (0,))[0]) for g in opt.param_groups])
    return np.array(lrs), np.array(moms)


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_learning_rates_match_pytorch(torch, name, kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the right call order gives no warning
        ours = trace(minitorch, name, kind)
    theirs = trace(torch, name, kind)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-13, atol=1e-15)


def test_reduce_lr_on_plateau_matches_pytorch(torch):
    metrics = [1.0 / (1 + i) if i < 20 else 1.0 + (i % 5) * 0.01 for i in range(100)]
    for mode, sign in (("min", 1), ("max", -1)):
        for threshold_mode in ("rel", "abs"):
            results = []
            for fw in (minitorch, torch):
                opt = make_opt(fw)
                sched = fw.optim.lr_scheduler.ReduceLROnPlateau(
                    opt,
                    mode,
                    factor=0.5,
                    patience=3,
                    threshold_mode=threshold_mode,
                    cooldown=2,
                    min_lr=[0.01, 0.02],
                )
                lrs = []
                for m in metrics:
                    opt.step()
                    sched.step(sign * m)
                    lrs.append(sched.get_last_lr())
                results.append(lrs)
            assert results[0] == results[1]


RESUMABLE = [
    "CosineAnnealingLR",
    "OneCycleLR",
    "CyclicLR-triangular2",
    "SequentialLR",
    "LambdaLR",
    "CosineAnnealingWarmRestarts",
]


@pytest.mark.parametrize("name", RESUMABLE)
def test_state_dict_resume_continues_exactly(name):
    straight = trace(minitorch, name, "SGD", steps=60)
    opt = make_opt(minitorch)
    sched = SCHEDULERS[name](minitorch.optim.lr_scheduler, opt)
    for _ in range(25):
        opt.step()
        sched.step()
    opt_state, sched_state = opt.state_dict(), sched.state_dict()
    opt2 = make_opt(minitorch)
    sched2 = SCHEDULERS[name](minitorch.optim.lr_scheduler, opt2)
    opt2.load_state_dict(opt_state)
    sched2.load_state_dict(sched_state)
    lrs = []
    for _ in range(35):
        opt2.step()
        sched2.step()
        lrs.append(sched2.get_last_lr())
    np.testing.assert_array_equal(np.array(lrs), straight[0][25:])


def test_state_dict_excludes_optimizer_and_lambdas():
    opt = make_opt(minitorch)
    sd = S.LambdaLR(opt, lambda e: 1.0).state_dict()
    assert "optimizer" not in sd and sd["lr_lambdas"] == [None, None]
    assert sd["base_lrs"] == [0.1, 0.2] and sd["last_epoch"] == 0


def test_initial_lr_and_resume_with_last_epoch():
    opt = make_opt(minitorch)
    S.StepLR(opt, 3)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.2]
    fresh = make_opt(minitorch)
    with pytest.raises(KeyError, match=r"'initial_lr' is not specified in param_groups\[0\]"):
        S.StepLR(fresh, 3, last_epoch=5)


def test_step_order_warnings():
    opt = make_opt(minitorch)
    sched = S.StepLR(opt, 3)
    with pytest.warns(UserWarning, match=r"`lr_scheduler.step\(\)` before `optimizer.step\(\)`"):
        sched.step()
    with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
        sched.get_lr()
    with pytest.warns(UserWarning, match="epoch parameter in `scheduler.step\\(\\)`"):
        sched.step(10)
    assert sched.get_last_lr() == [0.1 * 0.1**3, 0.2 * 0.1**3]  # closed form at epoch 10


def test_scheduler_drives_the_optimizer_updates():
    p = minitorch.ones(1, requires_grad=True)
    opt = SGD([p], lr=1.0)
    sched = S.MultiStepLR(opt, [1], gamma=0.5)
    for _ in range(2):
        p.grad = minitorch.ones(1)
        opt.step()
        sched.step()
    assert p.tolist() == [1.0 - 1.0 - 0.5]


def test_errors():
    opt = make_opt(minitorch)
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        S.StepLR([], 3)
    with pytest.raises(
        ValueError, match="Starting multiplicative factor expected to be greater than 0"
    ):
        S.LinearLR(opt, start_factor=0)
    with pytest.raises(
        ValueError, match="Constant multiplicative factor expected to be between 0 and 1"
    ):
        S.ConstantLR(opt, factor=2)
    with pytest.raises(ValueError, match="You must define either total_steps OR"):
        S.OneCycleLR(opt, 1.0)
    with pytest.raises(ValueError, match="Expected float between 0 and 1 pct_start"):
        S.OneCycleLR(opt, 1.0, total_steps=10, pct_start=2)
    with pytest.raises(
        ValueError, match="Tried to step 3 times. The specified number of total steps is 2"
    ):
        opt2 = make_opt(minitorch)
        one = S.OneCycleLR(opt2, 1.0, total_steps=2)
        opt2.step()
        for _ in range(3):
            one.step()
    with pytest.raises(ValueError, match="Expected positive integer T_0, but got 0"):
        S.CosineAnnealingWarmRestarts(opt, 0)
    with pytest.raises(
        ValueError, match="max_lr must have the same length as optimizer.param_groups"
    ):
        S.CyclicLR(opt, 0.01, [0.1, 0.2, 0.3])
    adagrad = Adagrad([minitorch.ones(1, requires_grad=True)])
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        S.CyclicLR(adagrad, 0.01, 0.1)
    with pytest.raises(ValueError, match="expects number of schedulers provided to be one more"):
        S.SequentialLR(opt, [S.StepLR(opt, 2), S.StepLR(opt, 3)], milestones=[])
    other = Adam([minitorch.ones(1, requires_grad=True)])
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        S.SequentialLR(opt, [S.StepLR(opt, 2), S.StepLR(other, 3)], milestones=[4])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        S.ChainedScheduler([S.ReduceLROnPlateau(opt)])
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        S.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode avg is unknown"):
        S.ReduceLROnPlateau(opt, mode="avg")
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 3"):
        S.LambdaLR(opt, [lambda e: 1.0] * 3)
