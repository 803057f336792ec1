"""Session-6 compatibility sweep of the training area (optim, lr_scheduler, data, mixed
precision, training utilities): short PyTorch programs run on real PyTorch (the oracle) and on
minitorch, with results compared value by value (tensors: values, shape, dtype and
requires_grad; other values: type and value), and for programs that must fail, the exception
type and the key words of PyTorch's message. Weights come from numpy, never from the random
streams, except where a program checks the stream itself."""

from __future__ import annotations

import io
import math
import warnings
from collections import namedtuple

import numpy as np
import pytest

import minitorch

PROGRAMS: dict = {}
ERRORS: dict = {}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


def error(*words: str):
    """Registers a program that must raise PyTorch's exception type, with ``words`` in both
    libraries' messages."""

    def register(fn):
        ERRORS[fn.__name__] = (fn, words)
        return fn

    return register


# ---- the harness ---------------------------------------------------------------------------
def _plain(value):
    """Tensors become (values, dtype name, shape, requires_grad); containers are walked."""
    if hasattr(value, "detach") and hasattr(value, "dtype"):
        dtype = str(value.dtype).rsplit(".", 1)[-1]
        array = value.detach().cpu().float().numpy() if dtype == "bfloat16" else None
        if array is None:
            array = value.detach().cpu().numpy()
        return ("tensor", array, dtype, tuple(value.shape), value.requires_grad)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if type(value).__module__ in ("torch", "minitorch") and "dtype" in type(value).__name__:
        return ("dtype", str(value).rsplit(".", 1)[-1])
    return value


def _same(ours, theirs, path, rtol, atol):
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs), (path, ours, theirs)
        for k in theirs:
            _same(ours[k], theirs[k], f"{path}[{k!r}]", rtol, atol)
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), (path, ours, theirs)
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _same(a, b, f"{path}[{i}]", rtol, atol)
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype, (path, ours, theirs)
        assert ours.shape == theirs.shape, (path, ours.shape, theirs.shape)
        if theirs.dtype.kind in "biu":
            np.testing.assert_array_equal(ours, theirs, err_msg=path)
        else:
            np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=path)
    elif isinstance(theirs, float):
        assert type(ours) is float, (path, ours, theirs)
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=path)
    else:
        assert type(ours) is type(theirs) and ours == theirs, (path, ours, theirs)


def _run(lib, fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _plain(fn(lib))
    # numpy's floating-point warnings (overflow, inf - inf) are left out: minitorch's ops
    # let numpy warn where PyTorch is silent (noted in the session report, not fixed here)
    numpy_fp = ("encountered in",)
    kept = [w for w in caught if not any(s in str(w.message) for s in numpy_fp)]
    return result, sorted({w.category.__name__ for w in kept})


def tolerance(rtol, atol):
    def mark(fn):
        fn.tol = (rtol, atol)
        return fn

    return mark


# ---- helpers the programs share ------------------------------------------------------------
def _params(lib, dtype="float32", shapes=((3,), (2, 2))):
    rng = np.random.default_rng(0)
    return [lib.nn.Parameter(lib.tensor(rng.standard_normal(s).astype(dtype))) for s in shapes]


def _quadratic(lib, ps):
    """A loss with different curvature per element, so adaptive optimizers differ."""
    return sum(((p - 0.3) ** 2 * (1 + i) + p.sin()).sum() for i, p in enumerate(ps))


def _optimize(lib, make, steps=20, dtype="float32", closure=False):
    ps = _params(lib, dtype)
    opt = make(lib.optim, ps)
    losses = []
    for _ in range(steps):

        def step_closure():
            opt.zero_grad()
            loss = _quadratic(lib, ps)
            loss.backward()
            return loss

        if closure:
            losses.append(opt.step(step_closure).item())
        else:
            losses.append(step_closure().item())
            opt.step()
    return losses, ps, opt.state_dict()


# ---- optimizers: every flag, 20 steps, final params and state_dict ---------------------------
OPTIMIZER_RUNS = {
    "sgd_plain": lambda o, ps: o.SGD(ps, lr=0.05),
    "sgd_momentum_dampening_wd": lambda o, ps: o.SGD(
        ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01
    ),
    "sgd_nesterov_maximize": lambda o, ps: o.SGD(
        ps, lr=0.01, momentum=0.8, nesterov=True, maximize=True
    ),
    "adam_amsgrad_wd": lambda o, ps: o.Adam(
        ps, lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True
    ),
    "adam_maximize": lambda o, ps: o.Adam(ps, lr=0.01, maximize=True),
    "adamw_amsgrad": lambda o, ps: o.AdamW(ps, lr=0.05, weight_decay=0.5, amsgrad=True),
    "adam_decoupled": lambda o, ps: o.Adam(
        ps, lr=0.05, weight_decay=0.5, decoupled_weight_decay=True
    ),
    "rmsprop_centered_momentum": lambda o, ps: o.RMSprop(
        ps, lr=0.01, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.1
    ),
    "rmsprop_plain": lambda o, ps: o.RMSprop(ps, lr=0.01, eps=1e-6),
    "adagrad_lr_decay": lambda o, ps: o.Adagrad(
        ps, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.05
    ),
    "adamax": lambda o, ps: o.Adamax(ps, lr=0.05, weight_decay=0.1),
    "nadam": lambda o, ps: o.NAdam(ps, lr=0.05, momentum_decay=0.005),
    "nadam_decoupled": lambda o, ps: o.NAdam(
        ps, lr=0.05, weight_decay=0.2, decoupled_weight_decay=True
    ),
    "radam": lambda o, ps: o.RAdam(ps, lr=0.05, weight_decay=0.1),
    "radam_decoupled": lambda o, ps: o.RAdam(
        ps, lr=0.05, weight_decay=0.1, decoupled_weight_decay=True
    ),
    "asgd": lambda o, ps: o.ASGD(ps, lr=0.05, t0=5, lambd=1e-3, weight_decay=0.01),
    "rprop": lambda o, ps: o.Rprop(ps, lr=0.05, etas=(0.4, 1.3), step_sizes=(1e-4, 1)),
    "adadelta": lambda o, ps: o.Adadelta(ps, lr=1.0, rho=0.8, weight_decay=0.01),
    "adam_lr_tensor": lambda o, ps: o.Adam(ps, lr=minitorch_or_torch_tensor(o, 0.05)),
    "sgd_groups": lambda o, ps: o.SGD(
        [{"params": ps[:1], "momentum": 0.9}, {"params": ps[1:], "lr": 0.2}], lr=0.05
    ),
    "adam_groups_betas": lambda o, ps: o.Adam(
        [{"params": ps[:1], "betas": (0.5, 0.6)}, {"params": ps[1:], "amsgrad": True}], lr=0.05
    ),
}


def minitorch_or_torch_tensor(optim_module, value):
    """``lr`` as a 0-d tensor of the library the optimizer module belongs to."""
    lib = minitorch if optim_module is minitorch.optim else __import__("torch")
    return lib.tensor(value)


def _make_optimizer_program(name):
    def run(lib):
        return _optimize(lib, OPTIMIZER_RUNS[name])

    run.__name__ = f"optim_{name}"
    return run


for _name in OPTIMIZER_RUNS:
    program(_make_optimizer_program(_name))


@program
def optim_float64_adam(lib):
    return _optimize(lib, lambda o, ps: o.Adam(ps, lr=0.1, amsgrad=True), dtype="float64")


def _lbfgs(lib, steps, dtype="float32", **options):
    """Losses, parameters, counters, and the kinds of the state's entries: the curvature
    pairs of a converged run are rounding noise (numpy's and PyTorch's dot products sum in
    other orders), so only their types and dtypes are compared."""
    losses, ps, state_dict = _optimize(
        lib, lambda o, ps: o.LBFGS(ps, **options), steps=steps, dtype=dtype, closure=True
    )
    state = state_dict["state"][0]

    def kind(v):
        if isinstance(v, list):
            return [kind(x) for x in v]
        dtype = str(getattr(v, "dtype", "")).rsplit(".", 1)[-1]
        return (type(v).__name__.replace("Parameter", "Tensor"), dtype)

    kinds = {k: kind(v) for k, v in state.items()}
    return losses, ps, state["n_iter"], state["func_evals"], kinds, state_dict["param_groups"]


@program
def optim_lbfgs(lib):
    # float64: in float32 the iteration count of a converged run hangs on 1-ulp differences
    # of sin (numpy's and PyTorch's SIMD kernels), which differ by machine
    return _lbfgs(lib, 4, "float64", lr=0.5, history_size=4)


@program
def optim_lbfgs_strong_wolfe(lib):
    return _lbfgs(lib, 3, lr=1, max_iter=10, line_search_fn="strong_wolfe")


@program
def optim_none_grad_skipped(lib):
    ps = _params(lib)
    opt = lib.optim.Adam(ps, lr=0.1)
    (ps[0] ** 2).sum().backward()
    opt.step()
    return ps, ps[1].grad is None, sorted(opt.state_dict()["state"])


@program
def optim_zero_grad_keep(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps, lr=0.1)
    (ps[0] ** 2).sum().backward()
    opt.zero_grad(set_to_none=False)
    return ps[0].grad, ps[1].grad


@program
def optim_add_param_group(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps[:1], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": ps[1], "lr": 0.01})
    for _ in range(3):
        opt.zero_grad()
        _quadratic(lib, ps).backward()
        opt.step()
    return ps, opt.state_dict()


@error("some parameters appear in more than one parameter group")
def optim_duplicate_across_groups(lib):
    ps = _params(lib)
    lib.optim.SGD([{"params": ps}, {"params": ps[:1]}], lr=0.1)


@program
def optim_state_dict_fresh(lib):
    ps = _params(lib)
    out = []
    for make in OPTIMIZER_RUNS.values():
        out.append(make(lib.optim, ps).state_dict())
    return out


@program
def optim_hooks(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps, lr=0.1)
    seen = []
    h1 = opt.register_step_pre_hook(lambda o, a, k: seen.append(("pre", len(a), sorted(k))))
    opt.register_step_post_hook(lambda o, a, k: seen.append(("post", o.param_groups[0]["lr"])))
    _quadratic(lib, ps).backward()
    opt.step()
    h1.remove()
    opt.step()
    return seen


@program
def optim_load_state_dict_then_continue(lib):
    ps = _params(lib)
    opt = lib.optim.Adam(ps, lr=0.05, amsgrad=True)
    for _ in range(3):
        opt.zero_grad()
        _quadratic(lib, ps).backward()
        opt.step()
    sd = opt.state_dict()
    qs = [lib.nn.Parameter(p.detach().clone()) for p in ps]
    opt2 = lib.optim.Adam(qs, lr=0.01)
    opt2.load_state_dict(sd)
    for _ in range(3):
        opt2.zero_grad()
        _quadratic(lib, qs).backward()
        opt2.step()
    return qs, opt2.state_dict(), opt2.param_groups[0]["lr"]


# ---- lr schedulers ---------------------------------------------------------------------------
def _schedule(lib, make_opt, make_sched, steps=40, metrics=None):
    """Every group's lr (and momentum/beta1) after each step, get_last_lr, the state_dict."""
    ps = _params(lib)
    opt = make_opt(lib.optim, ps)
    sched = make_sched(lib.optim.lr_scheduler, opt)
    trace = []
    for i in range(steps):
        opt.zero_grad()
        _quadratic(lib, ps).backward()
        opt.step()
        sched.step() if metrics is None else sched.step(metrics(i))
        trace.append([(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups])
    state = {k: v for k, v in sched.state_dict().items() if not k.startswith("_")}
    return trace, sched.get_last_lr(), ps, getattr(sched, "last_epoch", None), state


def _two_groups(o, ps):
    return o.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.02}], lr=0.1, momentum=0.9)


SCHEDULE_RUNS = {
    "step": lambda S, o: S.StepLR(o, 7, gamma=0.3),
    "multistep": lambda S, o: S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.5),
    "exponential": lambda S, o: S.ExponentialLR(o, gamma=0.93),
    "cosine_eta_min": lambda S, o: S.CosineAnnealingLR(o, T_max=15, eta_min=1e-3),
    "warm_restarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=3, eta_min=0.001),
    "linear": lambda S, o: S.LinearLR(o, start_factor=0.1, end_factor=0.7, total_iters=9),
    "constant": lambda S, o: S.ConstantLR(o, factor=0.2, total_iters=6),
    "polynomial": lambda S, o: S.PolynomialLR(o, total_iters=25, power=1.5),
    "lambda": lambda S, o: S.LambdaLR(o, lr_lambda=lambda e: 1 / (1 + 0.1 * e)),
    "multiplicative": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.97 if e % 2 else 1.0),
    "onecycle_cos": lambda S, o: S.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=40),
    "onecycle_three_linear": lambda S, o: S.OneCycleLR(
        o, 0.3, epochs=4, steps_per_epoch=10, anneal_strategy="linear", three_phase=True
    ),
    "cyclic_triangular2_momentum": lambda S, o: S.CyclicLR(
        o, 0.001, 0.1, step_size_up=4, step_size_down=6, mode="triangular2"
    ),
    "cyclic_exp_range": lambda S, o: S.CyclicLR(
        o, [0.01, 0.002], 0.2, step_size_up=5, mode="exp_range", gamma=0.97
    ),
    "cyclic_scale_fn_cycle": lambda S, o: S.CyclicLR(
        o,
        0.01,
        0.1,
        3,
        scale_fn=lambda c: 0.5 ** (c - 1),
        scale_mode="cycle",
        cycle_momentum=False,
    ),  # fmt: skip
    "sequential": lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, 0.01, total_iters=5), S.CosineAnnealingLR(o, 30, 1e-4)], [5]
    ),
    "chained": lambda S, o: S.ChainedScheduler(
        [S.StepLR(o, 4, 0.8), S.ExponentialLR(o, 0.99), S.ConstantLR(o, 0.5, total_iters=3)]
    ),
}


def _make_schedule_program(name):
    def run(lib):
        return _schedule(lib, _two_groups, SCHEDULE_RUNS[name])

    run.__name__ = f"sched_{name}"
    return run


for _name in SCHEDULE_RUNS:
    program(_make_schedule_program(_name))


@program
def sched_onecycle_adam_betas(lib):
    make = lambda S, o: S.OneCycleLR(o, 0.05, total_steps=40, base_momentum=0.7)  # noqa: E731
    return _schedule(lib, lambda o, ps: o.Adam(ps, lr=0.01, betas=(0.9, 0.99)), make)


@program
def sched_cyclic_adam_betas(lib):
    make = lambda S, o: S.CyclicLR(o, 0.001, 0.01, 5, base_momentum=0.8)  # noqa: E731
    return _schedule(lib, lambda o, ps: o.Adam(ps, lr=0.01), make)


@error("optimizer must support momentum")
def sched_cyclic_momentum_without_momentum(lib):
    opt = lib.optim.Adagrad(_params(lib), lr=0.1)
    lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)


@error("Tried to step", "times")
def sched_onecycle_past_total_steps(lib):
    opt = lib.optim.SGD(_params(lib), lr=0.1)
    sched = lib.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=3)
    for _ in range(5):
        opt.step()
        sched.step()


def _plateau_metrics(i):
    return [1.0, 0.9, 0.95, 0.95, 0.95, 0.9, 0.89999, 0.95, 0.95, 0.95][i % 10] - 0.001 * (i // 10)


PLATEAU_RUNS = {
    "min_rel": dict(patience=1),
    "max_abs_cooldown": dict(mode="max", threshold_mode="abs", threshold=0.01, cooldown=2),
    "min_lr_list_eps": dict(factor=0.5, patience=0, min_lr=[0.05, 0.001], eps=1e-3),
    "min_abs": dict(threshold=0.1, threshold_mode="abs", patience=2, factor=0.3),
}


def _make_plateau_program(name):
    def run(lib):
        make = lambda S, o: S.ReduceLROnPlateau(o, **PLATEAU_RUNS[name])  # noqa: E731
        return _schedule(lib, _two_groups, make, metrics=_plateau_metrics)

    run.__name__ = f"plateau_{name}"
    return run


for _name in PLATEAU_RUNS:
    program(_make_plateau_program(_name))


@program
def plateau_tensor_metric_and_state(lib):
    opt = _two_groups(lib.optim, _params(lib))
    sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    for v in [1.0, 2.0, 3.0]:
        sched.step(lib.tensor(v))
    return sched.get_last_lr(), sched.num_bad_epochs, sched.best, sched.last_epoch


@program
def sched_warm_restarts_fractional(lib):
    opt = _two_groups(lib.optim, _params(lib))
    sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2)
    out = []
    for epoch in range(6):
        for i in range(5):
            sched.step(epoch + i / 5)
            out.append((sched.get_last_lr(), sched.T_cur, sched.T_i))
    return out


@program
def sched_two_on_one_optimizer(lib):
    """Two independent schedulers stepped on the same optimizer compose multiplicatively."""
    opt = _two_groups(lib.optim, _params(lib))
    S = lib.optim.lr_scheduler
    a, b = S.ExponentialLR(opt, 0.9), S.StepLR(opt, 3, 0.5)
    out = []
    for _ in range(10):
        opt.step()
        a.step()
        b.step()
        out.append((a.get_last_lr(), b.get_last_lr()))
    return out


@program
def sched_resume_last_epoch(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps, lr=0.1)
    S = lib.optim.lr_scheduler
    sched = S.CosineAnnealingLR(opt, T_max=10)
    for _ in range(4):
        opt.step()
        sched.step()
    state = sched.state_dict()
    opt2 = lib.optim.SGD(ps, lr=0.1)
    sched2 = S.CosineAnnealingLR(opt2, T_max=10)
    sched2.load_state_dict(state)
    out = []
    for _ in range(4):
        opt2.step()
        sched2.step()
        out.append(sched2.get_last_lr())
    opt3 = lib.optim.SGD([{"params": ps, "initial_lr": 0.1}], lr=0.1)
    sched3 = S.StepLR(opt3, 2, 0.5, last_epoch=5)
    return out, sched3.get_last_lr(), opt3.param_groups[0]["lr"], sched3.last_epoch


@program
def sched_step_order_warning(lib):
    opt = lib.optim.SGD(_params(lib), lr=0.1)
    sched = lib.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    sched.step()
    return sched.get_last_lr()


@program
def sched_state_dict_keys(lib):
    opt = _two_groups(lib.optim, _params(lib))
    S = lib.optim.lr_scheduler
    out = {}
    for name, make in SCHEDULE_RUNS.items():
        if name in ("sequential", "chained"):
            continue
        state = make(S, opt).state_dict()
        out[name] = sorted(k for k in state if not callable(state[k]))
    return out


# ---- data ------------------------------------------------------------------------------------
Point = namedtuple("Point", ["x", "y"])


def _collate(lib):
    return lib.utils.data.default_collate


@program
def collate_python_numbers(lib):
    c = _collate(lib)
    return c([1, 2, 3]), c([1.5, 2.0]), c([True, False]), c(["a", "b"]), c([b"x", b"y"])


@program
def collate_numpy(lib):
    c = _collate(lib)
    out = [
        c([np.arange(3, dtype=dt), np.ones(3, dtype=dt)]) for dt in ("int32", "float64", "uint8")
    ]
    out.append(c([np.float32(1.5), np.float32(2.5)]))
    out.append(c([np.int64(1), np.int64(2)]))
    out.append(c([np.array(1.0), np.array(2.0)]))
    out.append(c([np.bool_(True), np.bool_(False)]))
    return out


@program
def collate_nested(lib):
    c = _collate(lib)
    t = lib.tensor
    batch = [
        {"a": t([1.0, 2.0]), "b": (t(1), [t(2), 3]), "c": Point(1, 2.5), "d": "s0"},
        {"a": t([3.0, 4.0]), "b": (t(4), [t(5), 6]), "c": Point(3, 4.5), "d": "s1"},
    ]
    out = c(batch)
    return out, type(out["c"]).__name__, type(out["b"]).__name__, type(out["b"][1]).__name__


@program
def collate_tensors_of_dtypes(lib):
    c = _collate(lib)
    t = lib.tensor
    return [
        c([t([1, 2], dtype=dt), t([3, 4], dtype=dt)])
        for dt in (lib.int8, lib.float64, lib.bool, lib.float16)
    ]


@error("each element in list of batch should be of equal size")
def collate_ragged_lists(lib):
    _collate(lib)([[1, 2], [3]])


@error("stack expects each tensor to be equal size")
def collate_ragged_tensors(lib):
    _collate(lib)([lib.zeros(2), lib.zeros(3)])


@program
def collate_convert(lib):
    from_numpy = lib.utils.data.default_convert
    return from_numpy(np.arange(3)), from_numpy([np.ones(2), 1.5]), from_numpy({"k": np.zeros(1)})


def _dataset(lib, n=10):
    x = lib.tensor(np.arange(2 * n, dtype=np.float32).reshape(n, 2))
    return lib.utils.data.TensorDataset(x, lib.arange(n))


@program
def loader_drop_last_len(lib):
    D = lib.utils.data
    ds = _dataset(lib)
    a = D.DataLoader(ds, batch_size=3)
    b = D.DataLoader(ds, batch_size=3, drop_last=True)
    return len(a), len(b), [x for x in a], [y for _, y in b]


@program
def loader_batch_size_none(lib):
    D = lib.utils.data
    loader = D.DataLoader(_dataset(lib, 3), batch_size=None)
    return list(loader), len(loader)


@program
def loader_batch_sampler(lib):
    D = lib.utils.data
    ds = _dataset(lib)
    bs = D.BatchSampler(D.SequentialSampler(ds), batch_size=4, drop_last=False)
    loader = D.DataLoader(ds, batch_sampler=bs)
    return len(bs), list(bs), len(loader), [y for _, y in loader]


@program
def loader_collate_fn(lib):
    D = lib.utils.data
    ds = [(np.float32(i), f"item{i}") for i in range(5)]
    loader = D.DataLoader(ds, batch_size=2, collate_fn=lambda b: [x for x, _ in b])
    default = D.DataLoader(ds, batch_size=2)
    return list(loader), list(default)


@error("sampler option is mutually exclusive with shuffle")
def loader_sampler_and_shuffle(lib):
    D = lib.utils.data
    ds = _dataset(lib)
    D.DataLoader(ds, sampler=D.SequentialSampler(ds), shuffle=True)


@error("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler")
def loader_batch_sampler_and_batch_size(lib):
    D = lib.utils.data
    ds = _dataset(lib)
    D.DataLoader(ds, batch_size=2, batch_sampler=[[0, 1]])


@program
def loader_seeded_shuffle_generator(lib):
    D = lib.utils.data
    ds = _dataset(lib)
    g = lib.Generator().manual_seed(7)
    loader = D.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
    return [y for _, y in loader], [y for _, y in loader]


@program
def loader_global_seed_shuffle(lib):
    D = lib.utils.data
    lib.manual_seed(3)
    loader = D.DataLoader(_dataset(lib), batch_size=3, shuffle=True)
    return [y for _, y in loader]


@program
def samplers(lib):
    D = lib.utils.data
    lib.manual_seed(1)
    g = lib.Generator().manual_seed(5)
    return (
        list(D.SequentialSampler(range(4))),
        list(D.RandomSampler(range(6), generator=g)),
        list(D.RandomSampler(range(5), replacement=True, num_samples=8)),
        len(D.RandomSampler(range(5), num_samples=3)),
        list(D.SubsetRandomSampler([7, 3, 9])),
        list(D.WeightedRandomSampler([0.1, 0.5, 0.4], 6)),
        list(D.BatchSampler(range(7), 3, drop_last=True)),
        len(D.BatchSampler(range(7), 3, drop_last=False)),
    )


@program
def datasets_concat_subset_split(lib):
    D = lib.utils.data
    ds = _dataset(lib, 6)
    cat = D.ConcatDataset([ds, _dataset(lib, 4)])
    sub = D.Subset(D.Subset(cat, [9, 8, 1, 0, 5]), [0, 2])
    lib.manual_seed(2)
    parts = D.random_split(range(10), [0.5, 0.3, 0.2])
    g = lib.Generator().manual_seed(4)
    parts2 = D.random_split(range(7), [0.5, 0.5], generator=g)
    return (
        len(cat), cat[7], cat[-1], cat.cumulative_sizes, len(sub), sub[1],
        [list(p) for p in parts], [list(p) for p in parts2], [len(p) for p in parts2],
    )  # fmt: skip


@error("Sum of input lengths does not equal the length of the input dataset")
def random_split_bad_lengths(lib):
    lib.utils.data.random_split(range(10), [3, 3])


@error("absolute value of index should not exceed dataset length")
def concat_index_out_of_range(lib):
    D = lib.utils.data
    D.ConcatDataset([_dataset(lib, 2), _dataset(lib, 2)])[-5]


def _counting_iterable(lib):
    class Counting(lib.utils.data.IterableDataset):
        def __init__(self, start, end):
            self.start, self.end = start, end

        def __iter__(self):
            info = lib.utils.data.get_worker_info()
            if info is None:
                return iter(range(self.start, self.end))
            per = int(math.ceil((self.end - self.start) / info.num_workers))
            lo = self.start + info.id * per
            return iter(range(lo, min(lo + per, self.end)))

    return Counting


@program
def iterable_no_workers(lib):
    D = lib.utils.data
    ds = _counting_iterable(lib)(3, 10)
    return (
        list(D.DataLoader(ds, batch_size=3)),
        list(D.DataLoader(ds, batch_size=3, drop_last=True)),
        D.get_worker_info() is None,
    )


@program
def iterable_two_workers(lib):
    D = lib.utils.data
    ds = _counting_iterable(lib)(3, 7)
    return sorted(int(x) for x in D.DataLoader(ds, num_workers=2))


@program
def chain_dataset(lib):
    D = lib.utils.data
    C = _counting_iterable(lib)
    return list(D.ChainDataset([C(0, 2), C(5, 7)])), list(C(0, 3) + C(8, 9))


@error("has no len()")
def iterable_len(lib):
    D = lib.utils.data
    len(D.DataLoader(_counting_iterable(lib)(0, 4)))


@error("DataLoader with IterableDataset: expected unspecified shuffle option")
def iterable_shuffle(lib):
    lib.utils.data.DataLoader(_counting_iterable(lib)(0, 4), shuffle=True)


@program
def worker_init_fn_and_info(lib):
    """worker_init_fn changes the worker's copy of the dataset (worker 0 loads batch 0,
    worker 1 batch 1, ...)."""
    D = lib.utils.data

    class Info(D.Dataset):
        offset = 0

        def __len__(self):
            return 6

        def __getitem__(self, i):
            info = D.get_worker_info()
            return (i + self.offset, info.id, info.num_workers)

    def init(worker_id):
        D.get_worker_info().dataset.offset = 100 * (worker_id + 1)

    loader = D.DataLoader(Info(), batch_size=2, num_workers=2, worker_init_fn=init)
    return list(loader), Info.offset


@program
def dataset_add_and_tensor_dataset(lib):
    D = lib.utils.data
    ds = _dataset(lib, 2) + _dataset(lib, 3)
    return type(ds).__name__, len(ds), ds[3], len(D.TensorDataset(lib.zeros(4, 1)))


@error("Size mismatch between tensors")
def tensor_dataset_mismatch(lib):
    lib.utils.data.TensorDataset(lib.zeros(3), lib.zeros(4))


# ---- mixed precision on CPU ------------------------------------------------------------------
def _mlp(lib):
    rng = np.random.default_rng(3)
    m = lib.nn.Sequential(
        lib.nn.Linear(6, 8), lib.nn.LayerNorm(8), lib.nn.ReLU(), lib.nn.Linear(8, 3)
    )
    with lib.no_grad():
        for p in m.parameters():
            p.copy_(lib.tensor(0.5 * rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    x = lib.tensor(rng.standard_normal((5, 6)).astype(np.float32))
    return m, x, lib.tensor([0, 2, 1, 1, 0])


AUTOCAST_OPS = {
    "linear": lambda F, x, h, t: F.linear(x, x[:3]),
    "matmul": lambda F, x, h, t: x @ x.T,
    "bmm": lambda F, x, h, t: x[None].bmm(x.T[None]),
    "conv1d": lambda F, x, h, t: F.conv1d(x.T[None], x[:2, :, None]),
    "conv2d": lambda F, x, h, t: F.conv2d(x[None, None], x[None, None, :2, :2]),
    "softmax": lambda F, x, h, t: F.softmax(h, -1),
    "log_softmax": lambda F, x, h, t: F.log_softmax(h, 1),
    "cross_entropy": lambda F, x, h, t: F.cross_entropy(h, t),
    "mse_loss": lambda F, x, h, t: F.mse_loss(h, h.detach() * 0.5),
    "mse_none": lambda F, x, h, t: F.mse_loss(h, x[:, :3], reduction="none"),
    "nll_loss": lambda F, x, h, t: F.nll_loss(h, t),
    "smooth_l1": lambda F, x, h, t: F.smooth_l1_loss(h, h * 0),
    "huber": lambda F, x, h, t: F.huber_loss(h, h * 0, reduction="sum"),
    "sum": lambda F, x, h, t: h.sum(),
    "mean_dim": lambda F, x, h, t: h.mean(1),
    "exp": lambda F, x, h, t: h.exp(),
    "layer_norm": lambda F, x, h, t: F.layer_norm(h, (3,)),
    "add_mixed": lambda F, x, h, t: h + x[:, :3],
    "mul_scalar": lambda F, x, h, t: h * 2.5,
    "relu": lambda F, x, h, t: F.relu(h),
    "sdpa": lambda F, x, h, t: F.scaled_dot_product_attention(x[None], x[None], x[None]),
    "einsum": lambda F, x, h, t: (
        __import__("torch").einsum("ij,kj->ik", x, x)
        if F.__name__.startswith("torch")
        else minitorch.einsum("ij,kj->ik", x, x)
    ),
    "float64_linear": lambda F, x, h, t: F.linear(x.double(), x[:2].double()),
}


def _make_autocast_program(name):
    def run(lib):
        F = lib.nn.functional
        rng = np.random.default_rng(4)
        x = lib.tensor(rng.standard_normal((5, 6)).astype(np.float32), requires_grad=True)
        t = lib.tensor([0, 2, 1, 1, 0])
        with lib.autocast("cpu", dtype=lib.float16):
            h = F.linear(x, x[:3].detach())
            out = AUTOCAST_OPS[name](F, x, h, t)
        grad = lib.autograd.grad(out.float().sum(), x)[0] if out.requires_grad else None
        return out, grad

    run.__name__ = f"autocast_{name}"
    return tolerance(2e-3, 2e-3)(run)


for _name in AUTOCAST_OPS:
    program(_make_autocast_program(_name))


@program
@tolerance(2e-3, 2e-3)
def autocast_model_training_step(lib):
    m, x, t = _mlp(lib)
    opt = lib.optim.SGD(m.parameters(), lr=0.1)
    out = []
    for _ in range(3):
        opt.zero_grad()
        with lib.autocast(device_type="cpu", dtype=lib.float16):
            logits = m(x)
            loss = lib.nn.functional.cross_entropy(logits, t)
        loss.backward()
        opt.step()
        out.append((logits.dtype, loss.dtype, m[0].weight.grad.dtype, loss))
    return out, list(m.parameters())


@program
def autocast_flags_and_nesting(lib):
    out = [lib.is_autocast_enabled("cpu")]
    with lib.autocast("cpu", dtype=lib.float16):
        out.append((lib.is_autocast_enabled("cpu"), lib.get_autocast_dtype("cpu")))
        with lib.autocast("cpu", enabled=False):
            out.append(lib.is_autocast_enabled("cpu"))
            x = lib.ones(2, 2)
            out.append((x @ x).dtype)
        out.append(lib.is_autocast_enabled("cpu"))
        x = lib.ones(2, 2)
        out.append((x @ x).dtype)
    out.append(lib.is_autocast_enabled("cpu"))

    @lib.autocast("cpu", dtype=lib.float16)
    def decorated(a):
        return lib.mm(a, a)

    out.append(decorated(lib.ones(2, 2)).dtype)
    return out


# ---- GradScaler ------------------------------------------------------------------------------
def _scaler(lib, **kwargs):
    return lib.amp.GradScaler("cpu", **kwargs)


@program
def scaler_growth_and_backoff(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps, lr=0.1)
    scaler = _scaler(
        lib, init_scale=2.0**4, growth_interval=2, growth_factor=4.0, backoff_factor=0.25
    )
    trace = []
    for i in range(8):
        opt.zero_grad()
        loss = _quadratic(lib, ps)
        if i in (3, 4):
            loss = loss * float("inf")
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        trace.append((scaler.get_scale(), [p.detach().clone() for p in ps]))
    return trace, scaler.state_dict(), scaler.is_enabled(), scaler.get_growth_interval()


@program
def scaler_unscale_and_clip(lib):
    ps = _params(lib)
    opt = lib.optim.Adam(ps, lr=0.1)
    scaler = _scaler(lib)
    scaler.scale(_quadratic(lib, ps)).backward()
    scaler.unscale_(opt)
    grads = [p.grad.clone() for p in ps]
    norm = lib.nn.utils.clip_grad_norm_(ps, max_norm=1.0)
    scaler.step(opt)
    scaler.update()
    return grads, norm, ps, scaler.get_scale()


@error("unscale_() has already been called on this optimizer since the last update()")
def scaler_unscale_twice(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps, lr=0.1)
    scaler = _scaler(lib)
    scaler.scale(_quadratic(lib, ps)).backward()
    scaler.unscale_(opt)
    scaler.unscale_(opt)


@error("No inf checks were recorded for this optimizer")
def scaler_step_without_grads(lib):
    ps = _params(lib)
    opt = lib.optim.SGD(ps, lr=0.1)
    scaler = _scaler(lib)
    scaler.scale(_quadratic(lib, ps))
    scaler.step(opt)


@program
def scaler_disabled_and_state_dict(lib):
    scaler = _scaler(lib, enabled=False)
    t = lib.tensor([1.0, 2.0])
    loaded = _scaler(lib)
    loaded.load_state_dict({"scale": 8.0, "growth_factor": 3.0, "backoff_factor": 0.5,
                            "growth_interval": 7, "_growth_tracker": 2})  # fmt: skip
    return scaler.scale(t), scaler.state_dict(), scaler.get_scale(), loaded.state_dict()


@program
def scaler_scale_nested_outputs(lib):
    scaler = _scaler(lib, init_scale=4.0)
    t = lib.tensor([1.0, 2.0])
    nested = scaler.scale([t, (t * 2, [t])])
    lazy = scaler.scale(x for x in (t, t + 1))
    return nested, type(lazy).__name__, list(lazy)


# ---- training utilities: clipping, checkpoints -----------------------------------------------
@program
def clip_norm_with_none_grads(lib):
    ps = _params(lib, shapes=((3,), (2, 2), (4,)))
    _quadratic(lib, ps[:2]).backward()
    norm = lib.nn.utils.clip_grad_norm_(ps, max_norm=0.5)
    norm_inf = lib.nn.utils.clip_grad_norm_(ps, 0.1, norm_type="inf")
    lib.nn.utils.clip_grad_value_(ps, clip_value=0.05)
    return norm, norm_inf, [p.grad for p in ps[:2]], ps[2].grad is None


@program
def clip_norm_single_tensor_and_foreach(lib):
    p = _params(lib)[0]
    (p**3).sum().backward()
    n1 = lib.nn.utils.clip_grad_norm_(p, 1.0, norm_type=1.0, foreach=True)
    n2 = lib.nn.utils.clip_grad_norm_([p], 2.0, norm_type=3)
    return n1, n2, p.grad


@program
def clip_norm_no_grads(lib):
    ps = _params(lib)
    return lib.nn.utils.clip_grad_norm_(ps, 1.0)


@error("The total norm of order 2.0 for gradients from `parameters` is non-finite")
def clip_norm_nonfinite(lib):
    ps = _params(lib)
    (ps[0] * float("inf")).sum().backward()
    lib.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)


@program
def clip_get_total_norm(lib):
    ps = _params(lib)
    _quadratic(lib, ps).backward()
    grads = [p.grad for p in ps]
    total = lib.nn.utils.get_total_norm(grads, norm_type=2.0)
    lib.nn.utils.clip_grads_with_norm_(ps, 0.5, total)
    return total, grads


def _checkpoint(lib, buffer_or_path, **load_kwargs):
    m, x, t = _mlp(lib)
    opt = lib.optim.AdamW(m.parameters(), lr=0.01)
    sched = lib.optim.lr_scheduler.StepLR(opt, 2, 0.5)
    for _ in range(3):
        opt.zero_grad()
        lib.nn.functional.cross_entropy(m(x), t).backward()
        opt.step()
        sched.step()
    ckpt = {"model": m.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
            "epoch": 3, "loss": 0.25}  # fmt: skip
    lib.save(ckpt, buffer_or_path)
    if isinstance(buffer_or_path, io.BytesIO):
        buffer_or_path.seek(0)
    loaded = lib.load(buffer_or_path, **load_kwargs)
    m2, _, _ = _mlp(lib)
    m2.load_state_dict(loaded["model"])
    opt2 = lib.optim.AdamW(m2.parameters(), lr=0.01)
    opt2.load_state_dict(loaded["optim"])
    sched2 = lib.optim.lr_scheduler.StepLR(opt2, 2, 0.5)
    sched2.load_state_dict(loaded["sched"])
    for _ in range(2):
        opt2.zero_grad()
        lib.nn.functional.cross_entropy(m2(x), t).backward()
        opt2.step()
        sched2.step()
    return (list(m2.parameters()), opt2.state_dict(), sched2.state_dict(), loaded["epoch"],
            loaded["loss"], sorted(loaded))  # fmt: skip


@program
def checkpoint_bytesio_weights_only(lib):
    return _checkpoint(lib, io.BytesIO(), weights_only=True)


@program
def checkpoint_bytesio_map_location(lib):
    return _checkpoint(lib, io.BytesIO(), map_location="cpu")


@program
def checkpoint_map_location_device(lib):
    return _checkpoint(lib, io.BytesIO(), map_location=lib.device("cpu"), weights_only=False)


@program
def save_load_tensors_and_containers(lib):
    buf = io.BytesIO()
    t = lib.arange(6).reshape(2, 3)
    obj = {"ints": t, "view": t[:, 1], "f16": lib.ones(2, dtype=lib.float16), "b": lib.tensor([True]),
           "list": [1, 2.5, "s", None], "tuple": (lib.zeros(1),), "scalar": lib.tensor(3.5)}  # fmt: skip
    lib.save(obj, buf)
    buf.seek(0)
    out = lib.load(buf)
    return out, out["view"].shape  # (PyTorch loads the view as a view of "ints": not here)


@program
def load_pytorch_optimizer_state_dict_numbers(lib):
    """An optimizer state_dict with every tensor state (step counters included) continues
    with the same numbers after a round trip through save/load."""
    ps = _params(lib)
    opt = lib.optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True)
    for _ in range(2):
        opt.zero_grad()
        _quadratic(lib, ps).backward()
        opt.step()
    buf = io.BytesIO()
    lib.save(opt.state_dict(), buf)
    buf.seek(0)
    state = lib.load(buf)
    opt2 = lib.optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True)
    opt2.load_state_dict(state)
    for _ in range(2):
        opt2.zero_grad()
        _quadratic(lib, ps).backward()
        opt2.step()
    return ps, opt2.state_dict()


@program
def cuda_amp_names(lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler = lib.cuda.amp.GradScaler(enabled=False)
        t = lib.ones(2)
        with lib.cuda.amp.autocast(enabled=False):
            out = t @ t
    return scaler.is_enabled(), out, lib.amp.GradScaler("cpu", init_scale=2.0).get_scale()


# ---- errors users hit ------------------------------------------------------------------------
@error("Invalid learning rate: -0.1")
def err_negative_lr(lib):
    lib.optim.SGD(_params(lib), lr=-0.1)


@error("Invalid beta parameter at index 1: 1.0")
def err_adam_beta(lib):
    lib.optim.Adam(_params(lib), betas=(0.9, 1.0))


@error("Nesterov momentum requires a momentum and zero dampening")
def err_nesterov(lib):
    lib.optim.SGD(_params(lib), lr=0.1, nesterov=True)


@error("params argument given to the optimizer should be an iterable of Tensors or dicts")
def err_single_tensor(lib):
    lib.optim.Adam(_params(lib)[0])


@error("can't optimize a non-leaf Tensor")
def err_non_leaf(lib):
    lib.optim.SGD([_params(lib)[0] * 2], lr=0.1)


@error("optimizer got an empty parameter list")
def err_empty_params(lib):
    lib.optim.SGD([], lr=0.1)


@error("loaded state dict has a different number of parameter groups")
def err_load_group_count(lib):
    ps = _params(lib)
    a = lib.optim.SGD([{"params": ps[:1]}, {"params": ps[1:]}], lr=0.1)
    lib.optim.SGD(ps, lr=0.1).load_state_dict(a.state_dict())


@error("loaded state dict contains a parameter group that doesn't match the size of optimizer")
def err_load_group_size(lib):
    ps = _params(lib)
    a = lib.optim.SGD(ps[:1], lr=0.1)
    lib.optim.SGD(ps, lr=0.1).load_state_dict(a.state_dict())


@error("is not an Optimizer")
def err_sched_not_optimizer(lib):
    lib.optim.lr_scheduler.StepLR(_params(lib), 2)


@error("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
def err_linear_start_factor(lib):
    lib.optim.lr_scheduler.LinearLR(lib.optim.SGD(_params(lib), lr=0.1), start_factor=2.0)


@error("You must define either total_steps OR (epochs AND steps_per_epoch)")
def err_onecycle_no_total(lib):
    lib.optim.lr_scheduler.OneCycleLR(lib.optim.SGD(_params(lib), lr=0.1), max_lr=0.1)


@error("Expected positive integer T_0")
def err_warm_restarts_t0(lib):
    lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(lib.optim.SGD(_params(lib), lr=0.1), 0)


@error("Factor should be < 1.0.")
def err_plateau_factor(lib):
    lib.optim.lr_scheduler.ReduceLROnPlateau(lib.optim.SGD(_params(lib), lr=0.1), factor=1.5)


@error("mode", "is unknown!")
def err_plateau_mode(lib):
    lib.optim.lr_scheduler.ReduceLROnPlateau(lib.optim.SGD(_params(lib), lr=0.1), mode="avg")


@error("Sequential Schedulers expects number of schedulers provided to be one more than")
def err_sequential_milestones(lib):
    opt = lib.optim.SGD(_params(lib), lr=0.1)
    S = lib.optim.lr_scheduler
    S.SequentialLR(opt, [S.StepLR(opt, 2), S.StepLR(opt, 3)], milestones=[2, 4])


@error("Expected 2 lr_lambdas, but got 3")
def err_lambda_count(lib):
    opt = lib.optim.SGD([{"params": p} for p in _params(lib)], lr=0.1)
    lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0] * 3)


@error("min_lr")
def err_plateau_min_lr_count(lib):
    opt = lib.optim.SGD(_params(lib), lr=0.1)
    lib.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1, 0.2])


@error("batch_size should be a positive integer value")
def err_batch_sampler_size(lib):
    lib.utils.data.BatchSampler(range(3), 0, False)


@error("num_samples should be a positive integer value, but got num_samples=0")
def err_random_sampler_zero(lib):
    lib.utils.data.RandomSampler(range(3), num_samples=0)


@error("Sum of input lengths does not equal the length of the input dataset")
def err_random_split_fractions(lib):
    lib.utils.data.random_split(range(10), [0.5, 0.6])


# ---- more data programs ----------------------------------------------------------------------
@program
def loader_dict_samples_numpy(lib):
    D = lib.utils.data

    class Dicts(D.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.full(2, i, dtype=np.float32), "y": i % 2, "w": float(i) / 2,
                    "meta": Point(i, str(i))}  # fmt: skip

    return list(D.DataLoader(Dicts(), batch_size=2, pin_memory=False))


@program
def loader_iterable_with_len(lib):
    D = lib.utils.data

    class Sized(D.IterableDataset):
        def __iter__(self):
            return iter(range(7))

        def __len__(self):
            return 7

    loader = D.DataLoader(Sized(), batch_size=3)
    loader_drop = D.DataLoader(Sized(), batch_size=3, drop_last=True)
    return len(loader), len(loader_drop), list(loader_drop)


@program
def loader_persistent_workers_epochs(lib):
    D = lib.utils.data
    loader = D.DataLoader(_dataset(lib, 6), batch_size=4, num_workers=2, persistent_workers=True,
                          prefetch_factor=3)  # fmt: skip
    return [[y for _, y in loader] for _ in range(2)]


@program
def distributed_sampler(lib):
    D = lib.utils.data
    ds = range(11)
    out = []
    for rank in range(3):
        s = D.distributed.DistributedSampler(ds, num_replicas=3, rank=rank, shuffle=False)
        d = D.DistributedSampler(ds, num_replicas=3, rank=rank, shuffle=False, drop_last=True)
        out.append((list(s), len(s), list(d), len(d)))
    s = D.DistributedSampler(ds, num_replicas=2, rank=1, shuffle=True, seed=3)
    s.set_epoch(2)
    return out, list(s)


@program
def subset_attributes_and_random_split_generator(lib):
    D = lib.utils.data
    g = lib.Generator().manual_seed(42)
    train, val = D.random_split(_dataset(lib, 8), [6, 2], generator=g)
    return train.indices, val.indices, len(train.dataset), val[1], type(train).__name__


@program
def sampler_with_generator_in_loader(lib):
    D = lib.utils.data
    ds = _dataset(lib, 7)
    g = lib.Generator().manual_seed(11)
    loader = D.DataLoader(ds, batch_size=3, sampler=D.RandomSampler(ds, generator=g))
    w = D.WeightedRandomSampler(lib.tensor([0.0, 1.0, 3.0]), 5, replacement=True,
                                generator=lib.Generator().manual_seed(1))  # fmt: skip
    return [y for _, y in loader], list(w), len(w)


@program
def stack_dataset_and_concat_len(lib):
    D = lib.utils.data
    a, b = _dataset(lib, 3), D.TensorDataset(lib.ones(3, 2))
    stacked = D.StackDataset(a, b)
    named = D.StackDataset(inp=a, tgt=b)
    return len(stacked), stacked[1], named[2], len(D.ConcatDataset([a, b, a]))


@program
def optim_lbfgs_float64_resume(lib):
    """LBFGS in float64, its state saved and loaded into a new optimizer, one more step."""
    ps = _params(lib, "float64")
    opt = lib.optim.LBFGS(ps, lr=0.8, max_iter=3, history_size=3)

    def closure():
        opt.zero_grad()
        loss = _quadratic(lib, ps)
        loss.backward()
        return loss

    first = [opt.step(closure).item() for _ in range(2)]
    buf = io.BytesIO()
    lib.save(opt.state_dict(), buf)
    buf.seek(0)
    opt = lib.optim.LBFGS(ps, lr=0.8, max_iter=3, history_size=3)
    opt.load_state_dict(lib.load(buf))
    state = opt.state_dict()["state"][0]
    return first, opt.step(closure).item(), ps, state["ro"], state["H_diag"], state["n_iter"]


# ---- the tests (after every program is registered) ----------------------------------------
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program(torch, name):
    fn = PROGRAMS[name]
    theirs, their_warnings = _run(torch, fn)
    ours, our_warnings = _run(minitorch, fn)
    tol = getattr(fn, "tol", (1e-5, 1e-6))
    _same(ours, theirs, name, *tol)
    assert our_warnings == their_warnings


@pytest.mark.parametrize("name", list(ERRORS))
def test_error(torch, name):
    fn, words = ERRORS[name]
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(Exception) as ours:
        fn(minitorch)
    assert type(ours.value).__name__ == type(theirs.value).__name__, (ours.value, theirs.value)
    for word in words:
        assert word in str(theirs.value), (word, str(theirs.value))
        assert word in str(ours.value), (word, str(ours.value))
