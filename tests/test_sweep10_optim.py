"""Session 8 compatibility sweep (O) of optimizers and LR schedulers: duplicate parameters,
scheduler chains, compositions and resumption, ReduceLROnPlateau's modes, OneCycleLR/CyclicLR
options and momentum cycling, every optimizer's options (weight decay, amsgrad, centered,
momentum, decoupled decay, maximize, capturable, tensor lr), closures and LBFGS' strong Wolfe
search, optimizer state_dicts. Each program runs with real PyTorch (the oracle) and with
minitorch from the same seed (tests/sweep_harness.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _params(torch, dtype="float32", shapes=((3,), (2, 2))):
    rng = np.random.default_rng(1)
    return [torch.nn.Parameter(torch.tensor(rng.standard_normal(s).astype(dtype))) for s in shapes]


def _loss(ps):
    """Different curvature per element, so adaptive optimizers differ per element."""
    return sum(((p - 0.3) ** 2 * (1 + i) + p.sin()).sum() for i, p in enumerate(ps))


def _train(opt, ps, steps=4, loss=_loss):
    for _ in range(steps):
        opt.zero_grad()
        loss(ps).backward()
        opt.step()
    return [p.detach().clone() for p in ps]


def _state(opt):
    """The optimizer's state_dict with tensors cloned (keys, group options and values)."""
    sd = opt.state_dict()
    state = {k: {n: (v.clone() if hasattr(v, "clone") else v) for n, v in s.items()}
             for k, s in sd["state"].items()}  # fmt: skip
    groups = [{k: v for k, v in g.items() if not callable(v)} for g in sd["param_groups"]]
    return state, groups


def _lrs(torch, make, steps=12, lr=0.1, momentum=None):
    """The lr (and momentum) of each group after each scheduler step."""
    ps = _params(torch)
    kw = {} if momentum is None else {"momentum": momentum}
    opt = torch.optim.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": lr * 2}], lr=lr, **kw)
    sched = make(torch.optim.lr_scheduler, opt)
    out = [sched.get_last_lr()]
    for _ in range(steps):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
        if momentum is not None:
            out.append([g["momentum"] for g in opt.param_groups])
    return out


# ---- the same parameter listed twice in one group -------------------------------------------
def _duplicated(torch, name, **kw):
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0, -3.0]))
    q = torch.nn.Parameter(torch.tensor([0.5, -0.5]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt = getattr(torch.optim, name)([p, q, p], **kw)
    messages = [str(w.message) for w in caught]
    _train(opt, [p, q])
    return [p, q], _state(opt), messages


@program
def duplicate_param_sgd(torch):
    return _duplicated(torch, "SGD", lr=0.1)


@program
def duplicate_param_sgd_momentum_nesterov(torch):
    return _duplicated(torch, "SGD", lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)


@program
def duplicate_param_adam(torch):
    return _duplicated(torch, "Adam", lr=0.1, amsgrad=True)


@program
def duplicate_param_adamw(torch):
    return _duplicated(torch, "AdamW", lr=0.1, weight_decay=0.1)


@program
def duplicate_param_other_optimizers(torch):
    out = []
    for name, kw in [
        ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
        ("Adagrad", dict(lr=0.1)),
        ("Adadelta", dict()),
        ("Adamax", dict(lr=0.1)),
        ("NAdam", dict(lr=0.1)),
        ("RAdam", dict(lr=0.1)),
        ("Rprop", dict(lr=0.01)),
        ("ASGD", dict(lr=0.01, t0=1)),
    ]:
        out.append(_duplicated(torch, name, **kw))
    return out


@program
def duplicate_param_in_added_group(torch):
    ps = _params(torch)
    opt = torch.optim.SGD([ps[0]], lr=0.1, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt.add_param_group({"params": [ps[1], ps[1]], "lr": 0.01})
    _train(opt, ps)
    return ps, _state(opt)


@error(ValueError, r"some parameters appear in more than one parameter group")
def param_in_two_groups_at_construction(torch):
    ps = _params(torch)
    torch.optim.Adam([{"params": ps}, {"params": [ps[1]], "lr": 0.1}])


@program
def state_dict_indices_with_duplicates_and_two_groups(torch):
    ps = _params(torch, shapes=((2,), (3,), (1,)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = torch.optim.Adam([{"params": [ps[0], ps[1], ps[0]]}, {"params": [ps[2]]}])
    _train(opt, ps, 2)
    return _state(opt)


# ---- LR schedulers: chains, compositions, options --------------------------------------------
@program
def sequential_linear_warmup_then_cosine(torch):
    def make(S, o):
        warm = S.LinearLR(o, start_factor=0.01, total_iters=4)
        cos = S.CosineAnnealingLR(o, T_max=8, eta_min=1e-4)
        return S.SequentialLR(o, [warm, cos], milestones=[4])

    return _lrs(torch, make, 14)


@program
def sequential_three_with_constant_and_exponential(torch):
    def make(S, o):
        a = S.ConstantLR(o, factor=0.5, total_iters=3)
        b = S.ExponentialLR(o, gamma=0.8)
        c = S.StepLR(o, step_size=2, gamma=0.3)
        return S.SequentialLR(o, [a, b, c], milestones=[3, 6])

    return _lrs(torch, make, 12)


@program
def chained_constant_and_exponential(torch):
    def make(S, o):
        return S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2),
                                   S.ExponentialLR(o, gamma=0.9)])  # fmt: skip

    return _lrs(torch, make, 8)


@program
def chained_with_optimizer_argument(torch):
    def make(S, o):
        return S.ChainedScheduler(
            [S.LinearLR(o, 0.5, 1.0, total_iters=3), S.MultiStepLR(o, [2, 5], 0.5)], optimizer=o
        )

    return _lrs(torch, make, 8)


@program
def lambda_lr_per_group_lambdas(torch):
    def make(S, o):
        return S.LambdaLR(o, [lambda e: 1 / (1 + e), lambda e: 0.9**e])

    return _lrs(torch, make, 6)


@program
def multiplicative_lr_decay(torch):
    return _lrs(torch, lambda S, o: S.MultiplicativeLR(o, lambda e: 0.95 if e < 4 else 1.0), 8)


@program
def onecycle_cos_default(torch):
    return _lrs(torch, lambda S, o: S.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=10), 9, 0.1, 0.9)


@program
def onecycle_three_phase_linear(torch):
    def make(S, o):
        return S.OneCycleLR(o, max_lr=0.8, epochs=2, steps_per_epoch=6, pct_start=0.25,
                            anneal_strategy="linear", three_phase=True, div_factor=10,
                            final_div_factor=100)  # fmt: skip

    return _lrs(torch, make, 11, 0.1, 0.9)


@program
def onecycle_with_adam_betas_cycled(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=6, max_momentum=0.95)
    out = []
    for _ in range(5):
        out.append(_train(opt, ps, 1))
        sched.step()
        out.append((sched.get_last_lr(), opt.param_groups[0]["betas"]))
    return out


@program
def onecycle_no_momentum_cycling(torch):
    def make(S, o):
        return S.OneCycleLR(o, max_lr=1.0, total_steps=8, cycle_momentum=False)

    return _lrs(torch, make, 7, 0.1, 0.0)


@error(ValueError, r"Tried to step 4 times\. The specified number of total steps is 3")
def onecycle_stepped_too_often(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(4):
        opt.step()
        sched.step()


@program
def cyclic_triangular_momentum(torch):
    def make(S, o):
        return S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=2)

    return _lrs(torch, make, 12, 0.1, 0.9)


@program
def cyclic_triangular2_and_exp_range(torch):
    out = []
    for mode in ("triangular2", "exp_range"):

        def make(S, o, mode=mode):
            return S.CyclicLR(o, [0.01, 0.02], [0.1, 0.3], step_size_up=2, mode=mode,
                              gamma=0.9, cycle_momentum=False)  # fmt: skip

        out.append(_lrs(torch, make, 10))
    return out


@program
def cyclic_custom_scale_fn_iterations(torch):
    def make(S, o):
        return S.CyclicLR(o, 0.01, 0.1, step_size_up=2, scale_fn=lambda x: 1 / (x + 1),
                          scale_mode="iterations", cycle_momentum=False)  # fmt: skip

    return _lrs(torch, make, 8)


@program
def cyclic_with_adam_and_momentum_off(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.01)
    sched = torch.optim.lr_scheduler.CyclicLR(
        opt, 0.001, 0.01, step_size_up=2, cycle_momentum=False
    )
    out = []
    for _ in range(4):
        out.append(_train(opt, ps, 1))
        sched.step()
        out.append(sched.get_last_lr())
    return out


@program
def cyclic_adam_momentum_cycles_betas(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.01)
    sched = torch.optim.lr_scheduler.CyclicLR(opt, 0.001, 0.01, step_size_up=2)
    out = []
    for _ in range(4):
        out.append(_train(opt, ps, 1))
        sched.step()
        out.append((sched.get_last_lr(), opt.param_groups[0]["betas"]))
    return out


@program
def cosine_warm_restarts_fractional_epochs(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        opt, T_0=3, T_mult=2, eta_min=0.001
    )
    out = []
    iters = 4
    for epoch in range(8):
        for i in range(iters):
            opt.step()
            sched.step(epoch + i / iters)
            out.append(sched.get_last_lr())
    out.append(sched.T_cur)
    out.append(sched.T_i)
    return out


@program
def cosine_warm_restarts_plain_steps(torch):
    return _lrs(torch, lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=1), 10)


@program
def cosine_warm_restarts_jump_back(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=3)
    out = []
    for e in [0.5, 7.25, 1.0, 30.0, 2.5]:
        sched.step(e)
        out.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
    return out


def _plateau(torch, metrics, **kw):
    ps = _params(torch)
    opt = torch.optim.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.05}], lr=0.1)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
    out = []
    for m in metrics:
        opt.step()
        sched.step(m)
        out.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter))
    out.append(sched.best)
    return out


_METRICS = [1.0, 0.99, 0.995, 0.98, 0.985, 0.99, 0.97, 0.97, 0.99, 1.2, 1.3, 0.5, 0.6, 0.7]


@program
def plateau_min_rel_cooldown(torch):
    return _plateau(torch, _METRICS, patience=1, cooldown=2, factor=0.5, threshold=0.01)


@program
def plateau_max_abs(torch):
    return _plateau(torch, [-m for m in _METRICS], mode="max", threshold_mode="abs",
                    threshold=0.005, patience=2)  # fmt: skip


@program
def plateau_min_lr_list_and_eps(torch):
    return _plateau(torch, [1.0] * 12, patience=0, factor=0.3, min_lr=[0.01, 0.004], eps=1e-3)


@program
def plateau_zero_patience_max_rel(torch):
    return _plateau(torch, list(range(10)) + [3, 2, 1], mode="max", patience=0, factor=0.1,
                    threshold=0.2)  # fmt: skip


@program
def plateau_metric_as_tensor(torch):
    return _plateau(torch, [torch.tensor(m) for m in _METRICS[:8]], patience=1)


@program
def plateau_state_dict_resume(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    S = torch.optim.lr_scheduler
    sched = S.ReduceLROnPlateau(opt, patience=1, cooldown=1)
    for m in _METRICS[:6]:
        sched.step(m)
    sd = sched.state_dict()
    opt2 = torch.optim.SGD(ps, lr=0.1)
    fresh = S.ReduceLROnPlateau(opt2, patience=5)
    fresh.load_state_dict(sd)
    out = [sorted(k for k in sd if k != "mode_worse"), sd["best"], sd["num_bad_epochs"]]
    for m in _METRICS[6:]:
        sched.step(m)
        fresh.step(m)
        out.append((sched.get_last_lr(), fresh.get_last_lr(), opt2.param_groups[0]["lr"]))
    return out


@program
def polynomial_linear_constant(torch):
    out = []
    for make in (
        lambda S, o: S.PolynomialLR(o, total_iters=5, power=0.5),
        lambda S, o: S.PolynomialLR(o, total_iters=4),
        lambda S, o: S.LinearLR(o, start_factor=1.0, end_factor=0.05, total_iters=6),
        lambda S, o: S.ConstantLR(o, factor=1 / 3, total_iters=2),
    ):
        out.append(_lrs(torch, make, 8))
    return out


@program
def step_with_epoch_argument_closed_form(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    S = torch.optim.lr_scheduler
    scheds = [S.StepLR(opt, 3, 0.5)]
    out = []
    for e in [1, 2, 7, 3, 10]:
        opt.step()
        scheds[0].step(e)
        out.append((scheds[0].get_last_lr(), scheds[0].last_epoch))
    return out


@program
def scheduler_state_dict_resume_mid_schedule(torch):
    S = torch.optim.lr_scheduler
    out = []
    for make in (
        lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=12),
        lambda o: S.CyclicLR(o, 0.01, 0.1, step_size_up=3),
        lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
        lambda o: S.SequentialLR(
            o, [S.LinearLR(o, 0.1, total_iters=3), S.ExponentialLR(o, 0.9)], milestones=[3]
        ),  # fmt: skip
        lambda o: S.ChainedScheduler([S.StepLR(o, 2, 0.5), S.ExponentialLR(o, 0.95)]),
    ):
        ps = _params(torch)
        opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
        sched = make(opt)
        for _ in range(5):
            opt.step()
            sched.step()
        sd_opt, sd = opt.state_dict(), sched.state_dict()
        opt2 = torch.optim.SGD(_params(torch), lr=0.1, momentum=0.9)
        sched2 = make(opt2)
        opt2.load_state_dict(sd_opt)
        sched2.load_state_dict(sd)
        for _ in range(4):
            opt.step()
            sched.step()
            opt2.step()
            sched2.step()
            out.append((sched.get_last_lr(), sched2.get_last_lr(), opt2.param_groups[0]["lr"],
                        opt2.param_groups[0]["momentum"]))  # fmt: skip
    return out


@program
def scheduler_state_dict_keys(torch):
    S = torch.optim.lr_scheduler
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    out = []
    for sched in (
        S.StepLR(opt, 2),
        S.LinearLR(opt),
        S.OneCycleLR(opt, 1.0, total_steps=10),
        S.CosineAnnealingWarmRestarts(opt, 2),
        S.PolynomialLR(opt),
    ):
        sd = sched.state_dict()
        out.append(sorted(k for k in sd if k not in ("_anneal_func", "anneal_func")))
        out.append([sd[k] for k in sorted(sd) if isinstance(sd[k], (int, float, bool, str))
                    and k != "_anneal_func_type"])  # fmt: skip
    return out


@program
def get_last_lr_before_and_after_steps(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    out = [sched.get_last_lr(), sched.last_epoch, opt.param_groups[0]["initial_lr"]]
    opt.step()
    sched.step()
    out += [sched.get_last_lr(), sched.last_epoch, sched.base_lrs]
    return out


@program
def scheduler_resume_with_last_epoch(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    for g in opt.param_groups:
        g["initial_lr"] = 0.2
    S = torch.optim.lr_scheduler
    sched = S.ExponentialLR(opt, 0.5, last_epoch=3)
    out = [sched.get_last_lr(), sched.last_epoch]
    opt.step()
    sched.step()
    out += [sched.get_last_lr(), sched.last_epoch]
    return out


@error(KeyError, r"param 'initial_lr' is not specified in param_groups\[0\] when resuming")
def scheduler_resume_without_initial_lr(torch):
    opt = torch.optim.SGD(_params(torch), lr=0.1)
    torch.optim.lr_scheduler.StepLR(opt, 2, last_epoch=4)


@program
def scheduler_step_before_optimizer_warns(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched.step()
        opt.step()
        sched.step()
    return [str(w.message)[:60] for w in caught], [w.category.__name__ for w in caught]


@program
def scheduler_step_twice_without_optimizer_step(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    opt.step()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched.step()
        sched.step()
    return [str(w.message)[:60] for w in caught], sched.get_last_lr()


@program
def scheduler_epoch_argument_deprecated(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.5)
    opt.step()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched.step(3)
    return [(w.category.__name__, str(w.message)[:50]) for w in caught], sched.get_last_lr()


@program
def scheduler_get_lr_called_directly(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    opt.step()
    sched.step()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lr = sched.get_lr()
    return lr, [str(w.message)[:40] for w in caught]


@program
def two_schedulers_on_one_optimizer(torch):
    def make(S, o):
        a = S.StepLR(o, 2, 0.5)
        b = S.LambdaLR(o, lambda e: 1.0)
        return S.ChainedScheduler([a, b])

    out = _lrs(torch, make, 5)
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=1.0)
    S = torch.optim.lr_scheduler
    s1, s2 = S.ExponentialLR(opt, 0.5), S.MultiStepLR(opt, [2], 0.1)
    for _ in range(4):
        opt.step()
        s1.step()
        s2.step()
        out.append((s1.get_last_lr(), s2.get_last_lr(), opt.param_groups[0]["lr"]))
    return out


@program
def scheduler_with_tensor_lr(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=torch.tensor(0.01))
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    out = []
    for _ in range(3):
        out.append(_train(opt, ps, 1))
        sched.step()
        out.append((opt.param_groups[0]["lr"], sched.get_last_lr()))
    return out


@program
def linear_lr_tensor_lr_warmup(torch):
    ps = _params(torch)
    opt = torch.optim.AdamW(ps, lr=torch.tensor(0.02))
    sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
    out = []
    for _ in range(4):
        out.append(_train(opt, ps, 1))
        sched.step()
        out.append(opt.param_groups[0]["lr"])
    return out


# ---- every optimizer's options, compared with their state dicts ----------------------------
def _run_opt(torch, name, steps=5, dtype="float32", loss=_loss, **kw):
    ps = _params(torch, dtype)
    opt = getattr(torch.optim, name)(ps, **kw)
    _train(opt, ps, steps, loss)
    return ps, _state(opt)


_CASES = {
    "rprop_etas_step_sizes": ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(0.01, 0.2))),
    "rprop_maximize": ("Rprop", dict(lr=0.02, maximize=True)),
    "asgd_t0_small": ("ASGD", dict(lr=0.05, lambd=1e-3, alpha=0.5, t0=2, weight_decay=0.01)),
    "asgd_maximize": ("ASGD", dict(lr=0.02, maximize=True)),
    "adagrad_decay_init_acc": (
        "Adagrad",
        dict(lr=0.2, lr_decay=0.1, weight_decay=0.05, initial_accumulator_value=0.3, eps=1e-6),
    ),
    "adadelta_lr_rho_wd": ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1)),
    "adadelta_maximize": ("Adadelta", dict(maximize=True)),
    "rmsprop_centered_momentum_wd": (
        "RMSprop",
        dict(lr=0.01, alpha=0.9, momentum=0.8, centered=True, weight_decay=0.05),
    ),
    "rmsprop_momentum_only": ("RMSprop", dict(lr=0.02, momentum=0.5)),
    "rmsprop_centered_maximize": ("RMSprop", dict(lr=0.01, centered=True, maximize=True)),
    "nadam_decoupled_wd": ("NAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
    "nadam_l2_momentum_decay": ("NAdam", dict(lr=0.05, weight_decay=0.1, momentum_decay=0.01)),
    "nadam_maximize": ("NAdam", dict(lr=0.01, maximize=True, betas=(0.8, 0.9))),
    "radam_decoupled": ("RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
    "radam_l2_beta2_small": ("RAdam", dict(lr=0.05, weight_decay=0.1, betas=(0.9, 0.6))),
    "adamax_wd_maximize": ("Adamax", dict(lr=0.05, weight_decay=0.1, maximize=True)),
    "adam_amsgrad_wd": ("Adam", dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
    "adam_decoupled_flag": ("Adam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
    "adamw_amsgrad_maximize": ("AdamW", dict(lr=0.05, amsgrad=True, maximize=True)),
    "sgd_dampening": ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.5, weight_decay=1e-2)),
    "sgd_nesterov_maximize": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, maximize=True)),
    "sgd_foreach_true": ("SGD", dict(lr=0.05, momentum=0.5, foreach=True)),
    "adam_foreach_true": ("Adam", dict(lr=0.05, foreach=True)),
    "adam_fused_true": ("Adam", dict(lr=0.05, fused=True)),
    "adamw_fused_amsgrad": ("AdamW", dict(lr=0.05, fused=True, amsgrad=True)),
    "sgd_fused": ("SGD", dict(lr=0.05, momentum=0.9, fused=True)),
    "adagrad_fused": ("Adagrad", dict(lr=0.05, fused=True)),
}


def _case_program(case):
    name, kw = _CASES[case]

    def prog(torch):
        return _run_opt(torch, name, **kw)

    prog.__name__ = case
    return prog


for _case in _CASES:
    program(_case_program(_case))


def _capturable_program(name, kw):
    def prog(torch):  # PyTorch's capturable kernels are for accelerators only
        _run_opt(torch, name, capturable=True, **kw)

    prog.__name__ = f"{name.lower()}_capturable_on_cpu"
    return prog


for _name, _kw in [("Adam", dict(foreach=False)), ("AdamW", {}), ("Rprop", {}), ("ASGD", {}),
                   ("NAdam", {}), ("RAdam", {}), ("Adamax", {}), ("Adadelta", {}),
                   ("RMSprop", {})]:  # fmt: skip
    error(AssertionError, r"If capturable=True, params.* must be on supported devices")(
        _capturable_program(_name, _kw)
    )


@program
def float64_params_every_optimizer(torch):
    out = []
    for name, kw in [("Adam", dict(lr=0.05, amsgrad=True)), ("NAdam", {}), ("RAdam", {}),
                     ("ASGD", dict(t0=2)), ("Rprop", {}), ("Adadelta", {}),
                     ("RMSprop", dict(centered=True)), ("Adamax", {}), ("Adagrad", {})]:  # fmt: skip
        out.append(_run_opt(torch, name, dtype="float64", **kw))
    return out


@program
def tensor_lr_optimizers(torch):
    out = []
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "NAdam", "RAdam", "Adamax"):
        ps = _params(torch)
        opt = getattr(torch.optim, name)(ps, lr=torch.tensor(0.03))
        out.append((_train(opt, ps, 3), _state(opt)))
    return out


@program
def optimizer_defaults_and_group_keys(torch):
    ps = _params(torch)
    out = []
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
                 "RAdam", "Rprop", "ASGD", "LBFGS"):  # fmt: skip
        opt = getattr(torch.optim, name)(ps, lr=0.01)
        out.append((name, sorted(opt.defaults), sorted(opt.param_groups[0])))
        out.append([opt.defaults[k] for k in sorted(opt.defaults)])
    return out


@program
def add_param_group_takes_defaults(torch):
    ps = _params(torch, shapes=((3,), (2, 2), (2,)))
    opt = torch.optim.Adam(ps[:1], lr=0.02, betas=(0.8, 0.9), weight_decay=0.01)
    _train(opt, ps[:1], 2, lambda q: _loss(q))
    opt.add_param_group({"params": ps[1:], "lr": 0.1, "amsgrad": True})
    out = [sorted(opt.param_groups[1].items(), key=lambda kv: kv[0])[1:]]
    out.append([(k, v) for k, v in opt.param_groups[1].items() if k != "params"])
    _train(opt, ps, 3)
    out.append((ps, _state(opt)))
    return out


@program
def add_param_group_with_scheduler_running(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps[:1], lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    opt.step()
    sched.step()
    opt.add_param_group({"params": ps[1:], "lr": 0.3})
    out = [[g["lr"] for g in opt.param_groups], "initial_lr" in opt.param_groups[1]]
    opt.step()
    sched.step()
    out.append([g["lr"] for g in opt.param_groups])
    return out


@program
def maximize_equals_minimizing_negated(torch):
    out = []
    for name in ("SGD", "Adam", "RMSprop", "Adagrad", "NAdam", "RAdam", "Adamax", "Adadelta"):
        ps = _params(torch)
        opt = getattr(torch.optim, name)(ps, lr=0.02, maximize=True)
        out.append(_train(opt, ps, 3, lambda q: -_loss(q)))
    return out


@program(tol={"rtol": 1e-8, "atol": 1e-10})  # rounding differences grow along the valley
def lbfgs_strong_wolfe_rosenbrock(torch):
    x = torch.nn.Parameter(torch.tensor([-1.5, 2.0], dtype=torch.float64))
    opt = torch.optim.LBFGS([x], lr=1, max_iter=30, history_size=5, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        loss.backward()
        return loss

    losses = [opt.step(closure) for _ in range(3)]
    st = opt.state[x]
    return x, losses, st["func_evals"], st["n_iter"], len(st["old_dirs"])


@program
def lbfgs_plain_float32_model(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    x = torch.linspace(-1, 1, 18).reshape(6, 3)
    y = x.sum(1, keepdim=True).sin()
    opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=6, tolerance_change=1e-7)

    def closure():
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss

    losses = [opt.step(closure).detach() for _ in range(2)]
    return losses, [p.detach() for p in model.parameters()]


@program
def closure_returns_loss_for_each_optimizer(torch):
    out = []
    for name in ("SGD", "Adam", "Rprop", "ASGD", "Adadelta"):
        ps = _params(torch)
        opt = getattr(torch.optim, name)(ps, lr=0.01)

        def closure(opt=opt, ps=ps):
            opt.zero_grad()
            loss = _loss(ps)
            loss.backward()
            return loss

        out.append([opt.step(closure).detach() for _ in range(2)] + [p.detach() for p in ps])
    return out


# ---- errors and odd-but-legal arguments -----------------------------------------------------
@error(RuntimeError, r"only 'strong_wolfe' is supported")
def lbfgs_unknown_line_search_refused_at_step(torch):
    x = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.LBFGS([x], line_search_fn="backtracking")  # accepted here, as PyTorch

    def closure():
        opt.zero_grad()
        loss = (x**2).sum()
        loss.backward()
        return loss

    opt.step(closure)


@error(TypeError, r"LBFGS.step\(\) missing 1 required positional argument: 'closure'")
def lbfgs_step_without_closure(torch):
    torch.optim.LBFGS([torch.nn.Parameter(torch.ones(2))]).step()


@error(TypeError, r"param_group must be a dict, but got <class 'list'>")
def add_param_group_given_a_list(torch):
    ps = _params(torch)
    torch.optim.SGD(ps[:1], lr=0.1).add_param_group(ps[1:])


@program
def retained_grad_non_leaf_is_optimized(torch):
    base = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
    x = base * 2
    x.retain_grad()
    opt = torch.optim.SGD([x], lr=0.1, momentum=0.5)
    for _ in range(2):
        (x**2).sum().backward(retain_graph=True)
        opt.step()
    return x.detach(), x.grad, base.grad


@program
def scheduler_on_empty_added_group(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    opt.add_param_group({"params": [], "lr": 0.5})
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.5)
    opt.step()
    sched.step()
    return sched.get_last_lr(), opt.state_dict()["param_groups"][1]["params"]


@program
def zero_size_param_every_optimizer(torch):
    out = []
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
                 "RAdam", "Rprop", "ASGD"):  # fmt: skip
        e = torch.nn.Parameter(torch.zeros(0, 3))
        s = torch.nn.Parameter(torch.tensor(2.0))
        opt = getattr(torch.optim, name)([e, s], lr=0.1)
        for _ in range(2):
            opt.zero_grad()
            (e.sum() + s**2).backward()
            opt.step()
        out.append((s.detach(), _state(opt)))
    return out


@program
def sgd_momentum_with_int_lr_and_zero_lr(torch):
    ps = _params(torch)
    opt = torch.optim.SGD([{"params": ps[:1], "lr": 0}, {"params": ps[1:]}], lr=1, momentum=0.5)
    return _train(opt, ps, 2, lambda q: 0.1 * _loss(q)), _state(opt)


@program
def rprop_sign_flips_hit_step_size_bounds(torch):
    x = torch.nn.Parameter(torch.tensor([3.0, -2.0, 0.0, 1e-3]))
    opt = torch.optim.Rprop([x], lr=0.5, etas=(0.25, 2.0), step_sizes=(0.1, 1.0))
    out = []
    for _ in range(6):
        opt.zero_grad()
        (x.abs() * torch.tensor([1.0, 2.0, 1.0, 3.0])).sum().backward()
        opt.step()
        out.append((x.detach().clone(), opt.state[x]["step_size"].clone(),
                    opt.state[x]["prev"].clone()))  # fmt: skip
    return out


@program
def asgd_averaging_starts_after_t0(torch):
    ps = _params(torch)
    opt = torch.optim.ASGD(ps, lr=0.05, t0=3, lambd=0.01)
    out = []
    for _ in range(6):
        _train(opt, ps, 1)
        st = opt.state[ps[0]]
        out.append((st["eta"].clone(), st["mu"].clone(), st["ax"].clone(), st["step"].clone()))
    return out


@program
def radam_rectification_switch(torch):
    ps = _params(torch)
    opt = torch.optim.RAdam(ps, lr=0.1, betas=(0.9, 0.999))
    return [_train(opt, ps, 1) for _ in range(8)]


@program
def adagrad_state_present_before_first_step(torch):
    ps = _params(torch)
    opt = torch.optim.Adagrad(ps, lr=0.1, initial_accumulator_value=0.5)
    sd = _state(opt)
    return sd, _train(opt, ps, 1), _state(opt)


@program
def adam_state_dict_load_then_continue_float64(torch):
    ps = _params(torch, "float64")
    opt = torch.optim.Adam(ps, lr=0.05, amsgrad=True)
    _train(opt, ps, 3)
    sd = opt.state_dict()
    qs = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    opt2 = torch.optim.Adam(qs, lr=0.5)
    opt2.load_state_dict(sd)
    return _train(opt, ps, 2), _train(opt2, qs, 2), _state(opt2)


@program
def nadam_mu_product_resumed(torch):
    ps = _params(torch)
    opt = torch.optim.NAdam(ps, lr=0.05)
    _train(opt, ps, 3)
    qs = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    opt2 = torch.optim.NAdam(qs, lr=0.05)
    opt2.load_state_dict(opt.state_dict())
    return _train(opt, ps, 2), _train(opt2, qs, 2), _state(opt2)


@program
def lr_edit_then_scheduler_base_lrs(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)
    out = []
    for i in range(6):
        opt.step()
        sched.step()
        if i == 2:
            opt.param_groups[0]["lr"] = 0.5
        out.append(sched.get_last_lr())
    return out, sched.base_lrs


@program
def cosine_annealing_past_t_max(torch):
    return _lrs(torch, lambda S, o: S.CosineAnnealingLR(o, T_max=3, eta_min=0.01), 10)


@program
def multistep_repeated_milestones(torch):
    return _lrs(torch, lambda S, o: S.MultiStepLR(o, [2, 2, 5], gamma=0.5), 7)


@program
def step_lr_gamma_above_one(torch):
    return _lrs(torch, lambda S, o: S.StepLR(o, 2, gamma=2.0), 6)


@program
def sequential_lr_with_plateau_free_chain_state(torch):
    S = torch.optim.lr_scheduler
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=1.0)
    sched = S.SequentialLR(
        opt, [S.ConstantLR(opt, 0.5, total_iters=2), S.ExponentialLR(opt, 0.5)], milestones=[2]
    )
    sd = sched.state_dict()
    return sorted(sd), sd["_milestones"], sd["last_epoch"], [sorted(s) for s in sd["_schedulers"]]


@program
def swalr_after_warm_training(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.5)
    swa = torch.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="linear")
    out = []
    for _ in range(5):
        opt.step()
        swa.step()
        out.append(swa.get_last_lr())
    return out


# ---- user-defined schedulers -----------------------------------------------------------------
def _warmup_class(torch, base):
    class Warmup(base):
        def __init__(self, optimizer, warmup, last_epoch=-1):
            self.warmup = warmup
            super().__init__(optimizer, last_epoch)

        def get_lr(self):
            scale = min(1.0, (self.last_epoch + 1) / self.warmup)
            return [b * scale for b in self.base_lrs]

    return Warmup


@program
def custom_scheduler_subclass(torch):
    Warmup = _warmup_class(torch, torch.optim.lr_scheduler.LRScheduler)
    out = _lrs(torch, lambda S, o: Warmup(o, 3), 5)
    Old = _warmup_class(torch, torch.optim.lr_scheduler._LRScheduler)
    return out + _lrs(torch, lambda S, o: Old(o, 2), 3)


@program
def custom_scheduler_state_dict_and_chain(torch):
    Warmup = _warmup_class(torch, torch.optim.lr_scheduler.LRScheduler)
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.2)
    S = torch.optim.lr_scheduler
    sched = S.SequentialLR(opt, [Warmup(opt, 3), S.ExponentialLR(opt, 0.5)], milestones=[3])
    out = []
    for _ in range(6):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    sd = Warmup(opt, 4).state_dict()
    return out, sorted(sd), sd["warmup"]


@program
def custom_scheduler_relative_get_lr(torch):
    class Halve(torch.optim.lr_scheduler.LRScheduler):
        def get_lr(self):
            if self.last_epoch == 0:
                return [g["lr"] for g in self.optimizer.param_groups]
            return [g["lr"] * 0.5 for g in self.optimizer.param_groups]

    return _lrs(torch, lambda S, o: Halve(o), 4)


@program
def onecycle_resume_with_last_epoch(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    S = torch.optim.lr_scheduler
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    for _ in range(4):
        opt.step()
        sched.step()
    resumed = S.OneCycleLR(opt, max_lr=1.0, total_steps=10, last_epoch=3)
    out = [resumed.get_last_lr(), resumed.last_epoch]
    for _ in range(3):
        opt.step()
        resumed.step()
        out.append((resumed.get_last_lr(), opt.param_groups[0]["momentum"]))
    return out


@program
def exponential_lr_with_sgd_training_loop(torch):
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    x = torch.linspace(-1, 1, 12).reshape(4, 3)
    y = x.sum(1, keepdim=True)
    for _ in range(3):
        for _ in range(2):
            opt.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            opt.step()
        sched.step()
    return [p.detach() for p in model.parameters()], sched.get_last_lr(), _state(opt)


@pytest.mark.parametrize("name", list(SWEEP.programs))
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)
