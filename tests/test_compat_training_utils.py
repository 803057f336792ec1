"""Training utilities run as PyTorch programs on minitorch and on PyTorch (the oracle):
lr schedulers, the optimizer API, torch.utils.data, checkpoints through save/load and
nn.utils.rnn packing. Each program takes the library as ``lib`` and returns what a training
script would print; both results must agree (numbers to float32 tolerance, strings, types
and lengths exactly, and the same warning categories).

Weights and data come from numpy, never from the libraries' random streams. Where a program
uses a random stream (shuffling, random_split, samplers), the two libraries draw different
numbers by design, so only the deterministic parts are compared: lengths, which keys appear,
batch sizes, and reproducibility under the same seed."""

from __future__ import annotations

import copy
import io
import warnings
from collections import namedtuple

import numpy as np
import pytest

import minitorch


# ---- the harness ---------------------------------------------------------------------------
def _plain(value):
    """Tensors become numpy arrays, containers are walked (namedtuples become tuples)."""
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value] if isinstance(value, list) else tuple(map(_plain, value))
    return value


def _same(ours, theirs, path="result", rtol=1e-5, atol=1e-6):
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs), path
        for k in theirs:
            _same(ours[k], theirs[k], f"{path}[{k!r}]", rtol, atol)
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), (path, ours, theirs)
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _same(a, b, f"{path}[{i}]", rtol, atol)
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype, (path, ours, theirs)
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=path)
    elif isinstance(theirs, float):
        assert type(ours) is float, (path, ours, theirs)
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=path)
    else:
        assert type(ours) is type(theirs) and ours == theirs, (path, ours, theirs)


def _both(torch, program, rtol=1e-5, atol=1e-6):
    """Runs ``program(torch)`` and ``program(minitorch)`` and compares results and the
    categories of the warnings they raised."""
    results, categories = [], []
    for lib in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results.append(_plain(program(lib)))
        categories.append(sorted({w.category.__name__ for w in caught}))
    _same(results[1], results[0], rtol=rtol, atol=atol)
    assert categories[1] == categories[0]
    return results


def _params(lib, n=2):
    rng = np.random.default_rng(0)
    return [
        lib.nn.Parameter(lib.tensor(rng.standard_normal(3).astype(np.float32))) for _ in range(n)
    ]


def _model(lib):
    rng = np.random.default_rng(1)
    m = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 2))
    with lib.no_grad():
        for p in m.parameters():
            p.copy_(lib.tensor(0.5 * rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    return m


def _data(lib):
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((16, 4)), rng.standard_normal((16, 2))
    return lib.tensor(x.astype(np.float32)), lib.tensor(y.astype(np.float32))


def _train(lib, m, opt, steps, x, y, sched=None):
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = lib.nn.functional.mse_loss(m(x), y)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        losses.append(loss.item())
    return losses


def _sgd(lib, ps):
    return lib.optim.SGD(ps, lr=0.1, momentum=0.9)


def _sgd2(lib, ps):
    """Two param groups with different lrs."""
    return lib.optim.SGD(
        [{"params": [ps[0]]}, {"params": ps[1:], "lr": 0.01}], lr=0.1, momentum=0.9
    )


def _adam(lib, ps):
    return lib.optim.Adam(ps, lr=0.01)


def _drive(lib, make_opt, make_sched, steps=12, metrics=None):
    """The lrs (and momenta / beta1) of every group after each epoch, get_last_lr(), params."""
    ps = _params(lib)
    opt = make_opt(lib, ps)
    sched = make_sched(lib.optim.lr_scheduler, opt)
    lrs, momenta = [], []
    for i in range(steps):
        opt.zero_grad()
        sum((p**2).sum() for p in ps).backward()
        opt.step()
        sched.step() if metrics is None else sched.step(metrics[i])
        lrs.append([g["lr"] for g in opt.param_groups])
        momenta.append([g.get("momentum", g.get("betas", (None,))[0]) for g in opt.param_groups])
    return lrs, momenta, sched.get_last_lr(), ps


# ---- lr_scheduler --------------------------------------------------------------------------
SCHEDULERS = {
    "StepLR": lambda S, o: S.StepLR(o, 3, gamma=0.5),
    "MultiStepLR": lambda S, o: S.MultiStepLR(o, [2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda S, o: S.ExponentialLR(o, 0.9),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.001),
    "WarmRestarts_Tmult": lambda S, o: S.CosineAnnealingWarmRestarts(o, 2, T_mult=2, eta_min=0.01),
    "OneCycle_cos": lambda S, o: S.OneCycleLR(o, max_lr=1.0, total_steps=12),
    "OneCycle_linear_3phase": lambda S, o: S.OneCycleLR(
        o,
        [1.0, 0.5],
        total_steps=12,
        anneal_strategy="linear",
        three_phase=True,
        div_factor=10,
        final_div_factor=100,
    ),  # fmt: skip
    "OneCycle_epochs": lambda S, o: S.OneCycleLR(
        o, 0.5, epochs=3, steps_per_epoch=4, pct_start=0.25
    ),
    "Cyclic_triangular": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=2),
    "Cyclic_triangular2": lambda S, o: S.CyclicLR(
        o, [0.01, 0.001], [0.1, 0.05], step_size_up=2, step_size_down=3, mode="triangular2"
    ),
    "Cyclic_exp_range": lambda S, o: S.CyclicLR(o, 0.01, 0.1, 2, mode="exp_range", gamma=0.9),
    "Cyclic_scale_fn": lambda S, o: S.CyclicLR(
        o, 0.01, 0.1, 2, scale_fn=lambda x: 1 / (x + 1), scale_mode="iterations"
    ),
    "LambdaLR": lambda S, o: S.LambdaLR(o, lambda e: 0.95**e),
    "LambdaLR_per_group": lambda S, o: S.LambdaLR(o, [lambda e: 0.95**e, lambda e: 1 / (e + 1)]),
    "MultiplicativeLR": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.9),
    "LinearLR": lambda S, o: S.LinearLR(o, start_factor=0.25, total_iters=4),
    "LinearLR_end": lambda S, o: S.LinearLR(o, 1.0, end_factor=0.1, total_iters=6),
    "ConstantLR": lambda S, o: S.ConstantLR(o, factor=0.5, total_iters=3),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=6, power=2.0),
    "SequentialLR": lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, 0.1, total_iters=3), S.CosineAnnealingLR(o, T_max=6)], milestones=[3]
    ),
    "SequentialLR_3": lambda S, o: S.SequentialLR(
        o,
        [S.ConstantLR(o, 0.5, total_iters=2), S.StepLR(o, 2, 0.5), S.ExponentialLR(o, 0.9)],
        milestones=[2, 6],
    ),  # fmt: skip
    "ChainedScheduler": lambda S, o: S.ChainedScheduler(
        [S.ConstantLR(o, 0.1, total_iters=3), S.ExponentialLR(o, 0.9)]
    ),
    "Chained_cosine_exp": lambda S, o: S.ChainedScheduler(
        [S.CosineAnnealingLR(o, T_max=6), S.ExponentialLR(o, 0.9)], optimizer=o
    ),
}


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_scheduler_schedule(torch, name):
    """Two param groups with different lrs, SGD with momentum (cycled by OneCycle/Cyclic)."""
    _both(torch, lambda lib: _drive(lib, _sgd2, SCHEDULERS[name]))


@pytest.mark.parametrize(
    "make, steps",
    [
        (lambda S, o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01), 23),  # rises past T_max
        (lambda S, o: S.PolynomialLR(o, total_iters=4, power=0.5), 8),
        (
            lambda S, o: S.OneCycleLR(o, 0.1, total_steps=12, base_momentum=0.8, max_momentum=0.95),
            12,
        ),
        (lambda S, o: S.CyclicLR(o, 0.001, 0.01, step_size_up=3), 12),  # cycles Adam's beta1
    ],
)
def test_scheduler_long_run_and_adam_betas(torch, make, steps):
    _both(torch, lambda lib: _drive(lib, _adam, make, steps))


PLATEAU_LOSSES = [1.0, 0.9, 0.9, 0.9, 0.95, 0.9, 0.89, 0.89, 0.89, 0.89] + [0.5] * 8


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"mode": "max"},
        {"patience": 1, "factor": 0.5},
        {"patience": 1, "cooldown": 2, "factor": 0.5, "min_lr": 0.02},
        {"patience": 0, "threshold": 0.05, "threshold_mode": "abs"},
        {"patience": 0, "threshold": 0.05, "threshold_mode": "rel", "mode": "max"},
        {"patience": 1, "min_lr": [0.05, 0.005], "eps": 1e-3},
        {"patience": 0, "factor": 0.1, "eps": 0.05},
    ],
)
def test_reduce_lr_on_plateau(torch, kwargs):
    def program(lib):
        make = lambda S, o: S.ReduceLROnPlateau(o, **kwargs)  # noqa: E731
        return _drive(lib, _sgd2, make, len(PLATEAU_LOSSES), PLATEAU_LOSSES)

    _both(torch, program)


def test_reduce_lr_on_plateau_metric_types_and_resume(torch):
    """Metrics as tensors and numpy scalars; state_dict() into a fresh scheduler mid-run."""

    def program(lib):
        S = lib.optim.lr_scheduler
        opt = _sgd(lib, _params(lib))
        sched = S.ReduceLROnPlateau(opt, patience=1, cooldown=1)
        for v in PLATEAU_LOSSES[:7]:
            sched.step(lib.tensor(v) if v > 0.9 else np.float32(v))
        opt2 = _sgd(lib, _params(lib))
        opt2.load_state_dict(opt.state_dict())
        sched2 = S.ReduceLROnPlateau(opt2)
        sched2.load_state_dict(sched.state_dict())
        lrs = []
        for v in PLATEAU_LOSSES[7:]:
            sched2.step(v)
            lrs.append(opt2.param_groups[0]["lr"])
        return (
            lrs,
            sched2.num_bad_epochs,
            sched2.cooldown_counter,
            sched2.best,
            sched2.get_last_lr(),
        )

    _both(torch, program)


ROUND_TRIP = {
    "StepLR": lambda S, o: S.StepLR(o, 3, gamma=0.5),
    "CosineAnnealingWarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, 2, T_mult=2),
    "OneCycleLR": lambda S, o: S.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=12),
    "CyclicLR": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=2, mode="triangular2"),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=6, power=2.0),
    "SequentialLR": SCHEDULERS["SequentialLR"],
    "ChainedScheduler": SCHEDULERS["ChainedScheduler"],
}


@pytest.mark.parametrize("name", list(ROUND_TRIP))
def test_scheduler_state_dict_round_trip(torch, name):
    """Train 4 epochs, save optimizer + scheduler state, rebuild both, load, continue 5."""

    def program(lib):
        S = lib.optim.lr_scheduler
        ps = _params(lib)
        opt = _sgd2(lib, ps)
        sched = ROUND_TRIP[name](S, opt)
        for _ in range(4):
            opt.zero_grad()
            sum((p**2).sum() for p in ps).backward()
            opt.step()
            sched.step()
        state = sched.state_dict()
        keys = sorted(state)  # PyTorch's CyclicLR.load_state_dict pops a key from its argument
        ps2 = _params(lib)
        with lib.no_grad():
            for a, b in zip(ps2, ps):
                a.copy_(b)
        opt2 = _sgd2(lib, ps2)
        opt2.load_state_dict(opt.state_dict())
        sched2 = ROUND_TRIP[name](S, opt2)
        sched2.load_state_dict(state)
        lrs = []
        for _ in range(5):
            opt2.zero_grad()
            sum((p**2).sum() for p in ps2).backward()
            opt2.step()
            sched2.step()
            lrs.append(sched2.get_last_lr())
        return keys, lrs, getattr(sched2, "last_epoch", None), ps2

    _both(torch, program)


@pytest.mark.parametrize(
    "make",
    [
        lambda S, o: S.StepLR(o, 3, gamma=0.5, last_epoch=4),
        lambda S, o: S.MultiStepLR(o, [2, 5, 7], gamma=0.5, last_epoch=4),
        lambda S, o: S.ExponentialLR(o, 0.5, last_epoch=4),
        lambda S, o: S.CosineAnnealingLR(o, T_max=6, last_epoch=4),
        lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3, last_epoch=4),
        lambda S, o: S.LambdaLR(o, lambda e: 0.5**e, last_epoch=4),
        lambda S, o: S.LinearLR(o, 0.5, total_iters=6, last_epoch=4),
    ],
)
def test_scheduler_last_epoch_resume(torch, make):
    """``last_epoch=4`` with ``initial_lr`` in the groups (as a loaded optimizer has it)."""

    def program(lib):
        opt = _sgd2(lib, _params(lib))
        for g in opt.param_groups:
            g["initial_lr"] = g["lr"]
        sched = make(lib.optim.lr_scheduler, opt)
        out = [[g["lr"] for g in opt.param_groups], sched.get_last_lr(), sched.last_epoch]
        for _ in range(3):
            opt.step()
            sched.step()
            out.append(sched.get_last_lr())
        return out

    _both(torch, program)


def test_scheduler_last_epoch_without_initial_lr_raises(torch):
    for lib in (torch, minitorch):
        opt = _sgd(lib, _params(lib))
        with pytest.raises(KeyError, match="initial_lr.*param_groups\\[0\\]"):
            lib.optim.lr_scheduler.StepLR(opt, 3, last_epoch=4)


def test_scheduler_warnings_step_order_epoch_and_get_lr(torch):
    """scheduler.step() before optimizer.step() warns, as do step(epoch) and get_lr()."""

    def program(lib):
        S = lib.optim.lr_scheduler
        opt = _sgd(lib, _params(lib))
        sched = S.StepLR(opt, 2)
        with warnings.catch_warnings(record=True) as order:
            warnings.simplefilter("always")
            sched.step()
            opt.step()
            sched.step()
        sched.step(7)
        return [str(w.message)[:40] for w in order], sched.get_last_lr(), sched.get_lr()

    torch_out, ours = _both(torch, program)
    assert torch_out[0] == ["Detected call of `lr_scheduler.step()` b"]


def test_warm_restarts_fractional_epochs(torch):
    """The documented ``scheduler.step(epoch + i / iters)`` pattern, then jumps back and forth."""

    def program(lib):
        opt = _sgd(lib, _params(lib))
        sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2, T_mult=2, eta_min=1e-3)
        lrs = []
        for epoch in range(5):
            for i in range(4):
                opt.step()
                sched.step(epoch + i / 4)
                lrs.append(sched.get_last_lr()[0])
        for epoch in (1, 9, 2):
            sched.step(epoch)
            lrs.append(sched.get_last_lr()[0])
        return lrs, sched.T_i, sched.last_epoch

    _both(torch, program)


@pytest.mark.parametrize("name", ["CosineAnnealingLR", "StepLR", "LinearLR", "MultiplicativeLR"])
def test_scheduler_after_manual_lr_edit(torch, name):
    """Chainable schedulers continue from an lr edited by hand; closed forms ignore it."""

    def program(lib):
        opt = _sgd(lib, _params(lib))
        sched = SCHEDULERS[name if name != "LinearLR" else "LinearLR_end"](
            lib.optim.lr_scheduler, opt
        )
        out = []
        for i in range(10):
            opt.step()
            sched.step()
            if i == 3:
                for g in opt.param_groups:
                    g["lr"] *= 0.5
            out.append([opt.param_groups[0]["lr"], *sched.get_last_lr()])
        return out

    _both(torch, program)


def test_custom_scheduler_and_optimizer_subclasses(torch):
    """A warmup LRScheduler subclass, an old-style _LRScheduler, a hand-written Optimizer."""

    def program(lib):
        class Warmup(lib.optim.lr_scheduler.LRScheduler):
            def __init__(self, optimizer, warmup, last_epoch=-1):
                self.warmup = warmup
                super().__init__(optimizer, last_epoch)

            def get_lr(self):
                return [b * min(1.0, (self.last_epoch + 1) / self.warmup) for b in self.base_lrs]

        class Halving(lib.optim.lr_scheduler._LRScheduler):
            def get_lr(self):
                return [b * 0.5**self.last_epoch for b in self.base_lrs]

        class MySGD(lib.optim.Optimizer):
            def __init__(self, params, lr=0.01, momentum=0.0):
                super().__init__(params, {"lr": lr, "momentum": momentum})

            @lib.no_grad()
            def step(self, closure=None):
                loss = None
                if closure is not None:
                    with lib.enable_grad():
                        loss = closure()
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        if "buf" not in state:
                            state["buf"] = lib.zeros_like(p)
                        state["buf"].mul_(group["momentum"]).add_(p.grad)
                        p.add_(state["buf"], alpha=-group["lr"])
                return loss

        x, y = _data(lib)
        m = _model(lib)
        opt = MySGD(m.parameters(), lr=0.1, momentum=0.9)
        sched = Warmup(opt, 4)
        losses = _train(lib, m, opt, 6, x, y, sched)

        def closure():
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(m(x), y)
            loss.backward()
            return loss

        last = opt.step(closure).item()
        opt2 = lib.optim.SGD(m.parameters(), lr=0.1)
        halving = Halving(opt2)
        for _ in range(3):
            opt2.step()
            halving.step()
        state = opt.state_dict()
        return (
            losses, last, sched.get_last_lr(), halving.get_last_lr(), list(m.parameters()),
            sorted(state["state"][0]), state["param_groups"], opt.defaults, sorted(sched.state_dict()),
        )  # fmt: skip

    _both(torch, program)


def test_lambda_lr_state_dict_keeps_callable_objects(torch):
    def program(lib):
        class Warm:
            def __init__(self, n):
                self.n = n

            def __call__(self, e):
                return min(1.0, (e + 1) / self.n)

        opt = _sgd2(lib, _params(lib))
        state = lib.optim.lr_scheduler.LambdaLR(opt, [Warm(3), lambda e: 1.0]).state_dict()
        return sorted(state), state["lr_lambdas"], state["base_lrs"]

    _both(torch, program)


# ---- optimizer API -------------------------------------------------------------------------
OPTIMIZERS = {
    "SGD_nesterov": lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "Adam_amsgrad": lambda lib, p: lib.optim.Adam(p, lr=0.01, amsgrad=True, weight_decay=1e-2),
    "AdamW": lambda lib, p: lib.optim.AdamW(p, lr=0.01),
    "RMSprop_centered": lambda lib, p: lib.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda lib, p: lib.optim.Adagrad(p, lr=0.1, lr_decay=0.01),
    "Adadelta": lambda lib, p: lib.optim.Adadelta(p, lr=1.0),
    "Adamax": lambda lib, p: lib.optim.Adamax(p, lr=0.01),
    "NAdam": lambda lib, p: lib.optim.NAdam(p, lr=0.01),
    "RAdam": lambda lib, p: lib.optim.RAdam(p, lr=0.01),
    "ASGD": lambda lib, p: lib.optim.ASGD(p, lr=0.01),
    "Rprop": lambda lib, p: lib.optim.Rprop(p, lr=0.01),
}  # fmt: skip


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_state_dict_round_trip_mid_training(torch, name):
    """3 steps, state_dict() into a fresh model + optimizer, 4 more steps on both copies."""

    def program(lib):
        make = OPTIMIZERS[name]
        x, y = _data(lib)
        m = _model(lib)
        opt = make(lib, m.parameters())
        first = _train(lib, m, opt, 3, x, y)
        # deep copy: PyTorch's state_dict() and load_state_dict() alias the state tensors, so
        # opt2's steps would update opt's buffers too; minitorch's load copies them
        state = copy.deepcopy(opt.state_dict())
        m2 = _model(lib)
        m2.load_state_dict(m.state_dict())
        opt2 = make(lib, m2.parameters())
        opt2.load_state_dict(state)
        resumed = _train(lib, m2, opt2, 4, x, y)
        _train(lib, m, opt, 4, x, y)
        groups = state["param_groups"]
        return (
            first,
            resumed,
            list(m2.parameters()),
            list(m.parameters()),
            groups,
            sorted(state["state"][0]),
        )

    _both(torch, program, rtol=1e-4, atol=1e-5)


def test_param_group_edits_add_param_group_and_zero_grad(torch):
    def program(lib):
        x, y = _data(lib)
        m = _model(lib)
        opt = lib.optim.Adam(m[0].parameters(), lr=0.01)
        losses = []
        for epoch in range(3):
            for g in opt.param_groups:
                g["lr"] = 0.01 * 0.5**epoch
            losses.append(_train(lib, m, opt, 2, x, y))
        opt.add_param_group({"params": m[2].parameters(), "lr": 0.001, "betas": (0.8, 0.9)})
        losses.append(_train(lib, m, opt, 3, x, y))
        opt.zero_grad(set_to_none=False)
        zeroed = [p.grad for p in m.parameters()]
        opt.zero_grad()
        groups = [(g["lr"], g["betas"], g["eps"], sorted(g)) for g in opt.param_groups]
        return (
            losses,
            list(m.parameters()),
            zeroed,
            [p.grad is None for p in m.parameters()],
            groups,
        )

    _both(torch, program)
    for lib in (torch, minitorch):
        m = _model(lib)
        opt = lib.optim.SGD(m.parameters(), lr=0.1)
        with pytest.raises(
            ValueError, match="some parameters appear in more than one parameter group"
        ):
            opt.add_param_group({"params": m[0].weight})


def test_no_weight_decay_for_biases(torch):
    """The usual AdamW recipe: weight decay on weights only, through per-group options."""

    def program(lib):
        x, y = _data(lib)
        m = _model(lib)
        named = list(m.named_parameters())
        groups = [
            {"params": [p for n, p in named if n.endswith("weight")], "weight_decay": 0.1},
            {"params": [p for n, p in named if n.endswith("bias")], "weight_decay": 0.0},
        ]
        opt = lib.optim.AdamW(groups, lr=0.01)
        return _train(lib, m, opt, 5, x, y), list(m.parameters()), repr(opt)

    _both(torch, program, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "NAdam", "Rprop"])
def test_maximize(torch, name):
    def program(lib):
        x, y = _data(lib)
        m = _model(lib)
        opt = getattr(lib.optim, name)(m.parameters(), lr=0.01, maximize=True)
        scores = []
        for _ in range(4):
            opt.zero_grad()
            score = -lib.nn.functional.mse_loss(m(x), y)
            score.backward()
            opt.step()
            scores.append(score.item())
        return scores, list(m.parameters())

    _both(torch, program, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("SGD", {"foreach": True}),
        ("Adam", {"foreach": False}),
        ("AdamW", {"fused": True}),
        ("Adam", {"fused": True}),
        ("SGD", {"fused": True}),
        ("Adagrad", {"fused": True}),
        ("RMSprop", {"foreach": True, "differentiable": False}),
        ("NAdam", {"capturable": False, "foreach": None}),
    ],
)
def test_foreach_and_fused_keywords(torch, name, kwargs):
    def program(lib):
        x, y = _data(lib)
        m = _model(lib)
        opt = getattr(lib.optim, name)(m.parameters(), lr=0.01, **kwargs)
        return _train(lib, m, opt, 2, x, y), list(m.parameters()), sorted(opt.param_groups[0])

    _both(torch, program, rtol=1e-4, atol=1e-5)


# ---- torch.utils.data ----------------------------------------------------------------------
def _tensor_dataset(lib, n=10):
    x = lib.arange(n * 2, dtype=lib.float32).reshape(n, 2)
    return lib.utils.data.TensorDataset(x, lib.arange(n))


def test_dataloader_batching(torch):
    def program(lib):
        D = lib.utils.data
        ds = _tensor_dataset(lib)
        sub = D.Subset(ds, [1, 3, 5, 7])
        cat = D.ConcatDataset([sub, _tensor_dataset(lib, 3)])
        batches = lambda **kw: list(D.DataLoader(cat, **kw))  # noqa: E731
        return (
            len(ds), ds[3], ds[-1], len(sub), sub[2], len(cat), cat[4], cat[-1],
            cat.cumulative_sizes, batches(batch_size=3), batches(batch_size=3, drop_last=True),
            batches(batch_size=None)[:3], len(D.DataLoader(cat, batch_size=3)),
            len(D.DataLoader(cat, batch_size=3, drop_last=True)),
            batches(batch_size=3, collate_fn=lambda batch: [int(t[1]) for t in batch]),
            batches(batch_size=2, collate_fn=lambda batch: batch)[0],
            type(ds + ds).__name__, len(ds + ds),
        )  # fmt: skip

    _both(torch, program)


def test_samplers_and_batch_samplers(torch):
    def program(lib):
        D = lib.utils.data
        ds = _tensor_dataset(lib, 9)
        labels = lambda loader: [b[1] for b in loader]  # noqa: E731
        g = lib.Generator().manual_seed(0)
        weighted = D.WeightedRandomSampler([0.0, 1.0, 0.0, 2.0], 20, generator=g)
        rand = D.RandomSampler(range(4), num_samples=10)
        order = list(rand)
        return (
            list(D.SequentialSampler(range(5))),
            list(D.BatchSampler(D.SequentialSampler(range(7)), 3, False)),
            list(D.BatchSampler(range(7), 3, True)),
            len(D.BatchSampler(range(7), 3, False)), len(D.BatchSampler(range(7), 3, True)),
            sorted(D.SubsetRandomSampler([2, 4, 6, 8], generator=g)),
            len(weighted), sorted(set(weighted)), type(next(iter(weighted))).__name__,
            len(rand), sorted(order[:4]), sorted(order[4:8]),  # whole permutations first
            len(D.RandomSampler(range(6), replacement=True, num_samples=15)),
            labels(D.DataLoader(ds, batch_size=2, sampler=D.SequentialSampler(ds))),
            labels(D.DataLoader(ds, batch_sampler=D.BatchSampler(range(9), 4, False))),
            labels(D.DataLoader(ds, batch_size=None, sampler=D.BatchSampler(range(9), 4, False))),
            sorted(lib.cat(labels(D.DataLoader(ds, 4, sampler=D.SubsetRandomSampler(range(5))))).tolist()),
            [len(b) for b in labels(D.DataLoader(ds, 4, sampler=D.WeightedRandomSampler([1.0] * 9, 6)))],
        )  # fmt: skip

    _both(torch, program)


def test_shuffle_with_generator_and_random_split(torch):
    """Different random streams by design: compare sizes, coverage and reproducibility."""

    def program(lib):
        D = lib.utils.data
        ds = _tensor_dataset(lib, 9)

        def epoch(seed=None, **kw):
            g = None if seed is None else lib.Generator().manual_seed(seed)
            return [b[1] for b in D.DataLoader(ds, batch_size=4, shuffle=True, generator=g, **kw)]

        same = lambda a, b: all(bool((x == y).all()) for x, y in zip(a, b))  # noqa: E731
        lib.manual_seed(5)
        seeded = epoch()
        lib.manual_seed(5)
        train, val = D.random_split(ds, [0.8, 0.2], generator=lib.Generator().manual_seed(42))
        return (
            sorted(lib.cat(epoch(3)).tolist()), [len(b) for b in epoch(3)],
            [len(b) for b in epoch(3, drop_last=True)], same(epoch(3), epoch(3)),
            same(seeded, epoch()), len(train), len(val), sorted(train.indices + val.indices),
            type(train).__name__, type(train.dataset).__name__, len(D.DataLoader(train, 3)),
            [len(p) for p in D.random_split(range(10), [5, 3, 2], generator=lib.Generator())],
            [len(p) for p in D.random_split(range(11), [0.5, 0.25, 0.25])],
            [len(p) for p in D.random_split(range(7), [0.3, 0.3, 0.4])],
        )  # fmt: skip

    _both(torch, program)
    for lib in (torch, minitorch):
        with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
            lib.utils.data.random_split(range(10), [5, 4])


Point = namedtuple("Point", ["x", "y"])


def test_default_collate(torch):
    def program(lib):
        dc = lib.utils.data.default_collate
        return (
            dc([{"a": lib.tensor([1.0, 2.0]), "b": 3, "c": "s1"}, {"a": lib.tensor([3.0, 4.0]), "b": 4, "c": "s2"}]),
            dc([(1, 2.5), (3, 4.5)]), type(dc([(1, 2), (3, 4)])).__name__,
            dc([Point(1, np.float32(2)), Point(3, np.float32(4))]),
            type(dc([Point(1, 2.0), Point(3, 4.0)])).__name__,
            dc([np.arange(3), np.arange(3, 6)]), dc([np.ones(2, np.float32), np.zeros(2, np.float32)]),
            dc([np.float64(1.5), np.float64(2.5)]), dc([np.int32(1), np.int32(2)]),
            dc([True, False]), dc([1, 2, 3]), dc([1.0, 2.0]), dc(["a", "b"]), dc([b"ab", b"cd"]),
            dc([[1, 2], [3, 4]]), dc([{"x": [lib.ones(2), 1]}, {"x": [lib.zeros(2), 2]}]),
            lib.utils.data.default_convert({"a": np.ones(2), "b": (np.float32(1.0), 2)}),
        )  # fmt: skip

    _both(torch, program)
    from minitorch.utils.data._utils.collate import default_collate  # the private path scripts use

    assert default_collate is minitorch.utils.data.default_collate


def test_dict_dataset_and_iterable_dataset(torch):
    def program(lib):
        D = lib.utils.data

        class Records(D.Dataset):
            def __len__(self):
                return 5

            def __getitem__(self, i):
                return {"x": np.full((2,), i, dtype=np.float32), "y": i, "name": f"n{i}"}

        class Counter(D.IterableDataset):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n))

        class Sized(Counter):
            def __len__(self):
                return self.n

        try:
            len(D.DataLoader(Counter(7), batch_size=3))
            unsized = "no error"
        except TypeError:
            unsized = "TypeError"
        return (
            list(D.DataLoader(Records(), batch_size=2)), list(D.DataLoader(Counter(7), batch_size=3)),
            list(D.DataLoader(Counter(7), batch_size=3, drop_last=True)),
            list(D.DataLoader(Counter(4), batch_size=None)), len(D.DataLoader(Sized(7), batch_size=3)),
            len(D.DataLoader(Sized(7), batch_size=3, drop_last=True)), unsized,
            list(D.ChainDataset([Counter(2), Counter(3)])),
        )  # fmt: skip

    _both(torch, program)


# ---- checkpoints ---------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["bytesio", "file"])
def test_checkpoint_save_load_resume(torch, where, tmp_path):
    """{model, optimizer, scheduler, epoch, ...} saved mid-training, loaded, training resumed:
    the resumed run matches the uninterrupted one and PyTorch's."""

    def program(lib):
        x, y = _data(lib)
        m = _model(lib)
        opt = lib.optim.Adam(m.parameters(), lr=0.01)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2, gamma=0.5)
        first = _train(lib, m, opt, 3, x, y, sched)
        checkpoint = {
            "model": m.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
            "epoch": 3, "loss": first[-1], "name": "run1", "cfg": {"betas": (0.9, 0.999)},
        }  # fmt: skip
        if where == "file":
            path = tmp_path / f"{lib.__name__}.pt"
            lib.save(checkpoint, path)
            loaded = lib.load(path, weights_only=True)
        else:
            buffer = io.BytesIO()
            lib.save(checkpoint, buffer)
            buffer.seek(0)
            loaded = lib.load(buffer, map_location="cpu")
        step = float(loaded["optimizer"]["state"][0]["step"])  # before PyTorch updates it in place
        m2 = _model(lib)
        m2.load_state_dict(loaded["model"])
        opt2 = lib.optim.Adam(m2.parameters(), lr=0.5)
        opt2.load_state_dict(loaded["optimizer"])
        sched2 = lib.optim.lr_scheduler.StepLR(opt2, 2, gamma=0.5)
        sched2.load_state_dict(loaded["scheduler"])
        resumed = _train(lib, m2, opt2, 4, x, y, sched2)
        assert resumed == _train(lib, m, opt, 4, x, y, sched)
        return (
            first, resumed, list(m2.parameters()), sched2.get_last_lr(), step,
            {k: loaded[k] for k in ("epoch", "loss", "name", "cfg")}, list(loaded["model"]),
            type(loaded["model"]).__name__,
        )  # fmt: skip

    _both(torch, program, rtol=1e-4, atol=1e-5)


def test_save_load_shares_storage_and_keeps_parameters(torch):
    """One tensor saved twice (tied weights) loads as tensors sharing storage, and a Parameter
    loads as a Parameter, as in PyTorch (minitorch stored two copies and plain Tensors)."""

    def program(lib):
        t = lib.arange(4.0)
        p = lib.nn.Parameter(lib.ones(2))
        buffer = io.BytesIO()
        lib.save({"a": t, "b": t, "p": p, "f64": lib.ones(2, dtype=lib.float64)}, buffer)
        buffer.seek(0)
        loaded = lib.load(buffer)
        loaded["a"].add_(1)
        q = loaded["p"]
        return loaded["b"], type(q).__name__, q.requires_grad, q, loaded["f64"]

    _both(torch, program)


# ---- nn.utils.rnn --------------------------------------------------------------------------
def _sequences(lib):
    rng = np.random.default_rng(3)
    return [lib.tensor(rng.standard_normal((n, 3)).astype(np.float32)) for n in (4, 2, 5, 1)]


def test_pad_and_pack(torch):
    def program(lib):
        R = lib.nn.utils.rnn
        seqs = _sequences(lib)
        lengths = [len(s) for s in seqs]
        padded = R.pad_sequence(seqs, batch_first=True)
        packed = R.pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
        by_sequence = R.pack_sequence(seqs, enforce_sorted=False)
        by_length = R.pack_sequence(sorted(seqs, key=len, reverse=True))
        return (
            R.pad_sequence(seqs), R.pad_sequence(seqs, batch_first=True, padding_value=-1.0),
            R.pad_sequence([lib.tensor([1, 2, 3]), lib.tensor([4])], True, padding_side="left"),
            R.pad_sequence(seqs, padding_side="left", padding_value=9),
            tuple(packed), type(packed).__name__,
            R.pad_packed_sequence(packed, batch_first=True),
            R.pad_packed_sequence(packed, padding_value=-2.0, total_length=7),
            R.pack_padded_sequence(R.pad_sequence(seqs), lib.tensor(lengths), enforce_sorted=False).data,
            tuple(by_sequence), by_length.data, by_length.batch_sizes, by_length.sorted_indices,
            R.unpack_sequence(by_sequence), R.unpad_sequence(padded, lib.tensor(lengths), True),
        )  # fmt: skip

    _both(torch, program)
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
            lib.nn.utils.rnn.pack_sequence(_sequences(lib))


def test_packed_sequence_device_and_dtype_methods(torch):
    """.cpu(), .double(), .float(), .long() ... (minitorch's PackedSequence had only .to)."""

    def program(lib):
        packed = lib.nn.utils.rnn.pack_sequence(_sequences(lib), enforce_sorted=False)
        double = packed.double()
        return (
            type(packed.cpu()).__name__, double.data, double.batch_sizes, double.sorted_indices,
            double.float().data, packed.long().data, packed.half().data, packed.int().data,
            packed.is_cuda, packed.is_pinned(),
        )  # fmt: skip

    _both(torch, program)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("bidirectional, layers, batch_first", [(False, 1, False), (True, 2, True)])
def test_packed_sequences_through_recurrent_layers(torch, kind, bidirectional, layers, batch_first):
    """Outputs, final states and gradients of inputs and weights."""

    def program(lib):
        R = lib.nn.utils.rnn
        rng = np.random.default_rng(4)
        rnn = getattr(lib.nn, kind)(
            3, 5, layers, bidirectional=bidirectional, batch_first=batch_first
        )
        with lib.no_grad():
            for p in rnn.parameters():
                p.copy_(lib.tensor(0.4 * rng.standard_normal(tuple(p.shape)).astype(np.float32)))
        seqs = [s.requires_grad_() for s in _sequences(lib)]
        lengths = lib.tensor([len(s) for s in seqs])
        padded = R.pad_sequence(seqs, batch_first=batch_first)
        packed = R.pack_padded_sequence(padded, lengths, batch_first, enforce_sorted=False)
        out, h = rnn(packed)
        states = list(h) if kind == "LSTM" else [h]
        unpacked, out_lengths = R.pad_packed_sequence(out, batch_first=batch_first)
        (unpacked.pow(2).sum() + 0.5 * sum(s.sum() for s in states)).backward()
        grads = [s.grad for s in seqs] + [p.grad for p in rnn.parameters()]
        return type(out).__name__, tuple(out), unpacked, out_lengths, states, grads

    _both(torch, program, rtol=1e-4, atol=1e-5)


def test_packed_gru_text_classifier(torch):
    """Embedding -> packed bidirectional GRU -> last hidden states -> Linear; 3 SGD steps."""

    def program(lib):
        nn, R = lib.nn, lib.nn.utils.rnn
        rng = np.random.default_rng(6)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(20, 6, padding_idx=0)
                self.rnn = nn.GRU(6, 8, batch_first=True, bidirectional=True)
                self.fc = nn.Linear(16, 3)

            def forward(self, x, lengths):
                packed = R.pack_padded_sequence(
                    self.emb(x), lengths.cpu(), batch_first=True, enforce_sorted=False
                )
                _, h = self.rnn(packed)
                return self.fc(lib.cat([h[-2], h[-1]], dim=1))

        net = Net()
        with lib.no_grad():
            for p in net.parameters():
                p.copy_(lib.tensor(0.3 * rng.standard_normal(tuple(p.shape)).astype(np.float32)))
        tokens = [lib.tensor(rng.integers(1, 20, n)) for n in (5, 3, 6, 2)]
        x = R.pad_sequence(tokens, batch_first=True)
        lengths, y = lib.tensor([len(t) for t in tokens]), lib.tensor([0, 2, 1, 1])
        opt = lib.optim.SGD(net.parameters(), lr=0.5)
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(x, lengths), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, list(net.parameters())

    _both(torch, program, rtol=1e-4, atol=1e-5)


def test_packed_lstm_initial_states_follow_the_batch_order(torch):
    """h0/c0 are given in the caller's batch order; packing sorts the batch, so they must be
    permuted with it (and the final states permuted back)."""

    def program(lib):
        R = lib.nn.utils.rnn
        rng = np.random.default_rng(5)
        lstm = lib.nn.LSTM(3, 4)
        with lib.no_grad():
            for p in lstm.parameters():
                p.copy_(lib.tensor(0.4 * rng.standard_normal(tuple(p.shape)).astype(np.float32)))
        h0, c0 = (lib.tensor(rng.standard_normal((1, 4, 4)).astype(np.float32)) for _ in "hc")
        out, (h, c) = lstm(R.pack_sequence(_sequences(lib), enforce_sorted=False), (h0, c0))
        return R.pad_packed_sequence(out)[0], h, c

    _both(torch, program, rtol=1e-4, atol=1e-5)


def test_packed_sequence_built_from_a_module_applied_to_data(torch):
    """The usual trick: run a per-step module on ``packed.data`` and rebuild the sequence."""

    def program(lib):
        R = lib.nn.utils.rnn
        emb = lib.nn.Embedding(10, 3)
        with lib.no_grad():
            emb.weight.copy_(lib.arange(30, dtype=lib.float32).reshape(10, 3))
        packed = R.pack_sequence([lib.tensor([5, 6, 7]), lib.tensor([8])])
        embedded = R.PackedSequence(emb(packed.data), *packed[1:])
        return tuple(packed), R.pad_packed_sequence(embedded, batch_first=True)

    _both(torch, program)


def test_pack_length_longer_than_padding_raises():
    """PyTorch packs garbage when a length exceeds the padded length; minitorch says so."""
    R = minitorch.nn.utils.rnn
    with pytest.raises(RuntimeError, match=r"a length \(4\) exceeds the padded sequence length 3"):
        R.pack_padded_sequence(minitorch.ones(3, 2, 1), [4, 3])
