"""Session 13 compatibility sweep (O1) of optimizers, LR schedulers, weight averaging and data
loading, as PyTorch's own tests (test/optim/test_lrscheduler.py, test_swa_utils.py,
test_optim.py, test/test_dataloader.py) check them: the call-order warnings of schedulers,
resuming, nested composite schedulers, tensor learning rates, SWA's averaging functions and
update_bn, optimizer state isolation. Each program runs with real PyTorch (the oracle) and with
minitorch from the same seed (tests/sweep_harness.py)."""

from __future__ import annotations

import functools
import itertools
import types
import warnings

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _warnings(fn):
    """``fn()``'s result and the first words of each warning it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [str(w.message)[:60] for w in caught]


def _opt(torch, lr2=None):
    """SGD over two small conv layers, the second group with a tensor lr (PyTorch's setUp)."""
    c1, c2 = torch.nn.Conv2d(1, 1, 1), torch.nn.Conv2d(1, 1, 1)
    lr2 = torch.tensor(0.5) if lr2 is None else lr2
    return torch.optim.SGD([{"params": c1.parameters()}, {"params": c2.parameters(), "lr": lr2}],
                           lr=0.05)  # fmt: skip


def _lrs(opt):
    return [g["lr"] for g in opt.param_groups]


def _overriding_step(opt):
    """Replaces ``opt.step`` on the instance by a method calling the original."""
    old = opt.step

    def new_step(o, *args, **kwargs):
        return old(*args, **kwargs)

    opt.step = types.MethodType(new_step, opt)


# ---- LR schedulers: call-order warnings ------------------------------------------------------
@program
def scheduler_step_overridden_after_init_warns(torch):
    opt = _opt(torch)
    sched = torch.optim.lr_scheduler.StepLR(opt, gamma=0.1, step_size=3)
    _overriding_step(opt)

    def loop():
        for _ in range(4):
            opt.step()
            sched.step()
        return _lrs(opt)

    return _warnings(loop)


@program
def scheduler_resumed_step_overridden_warns(torch):
    opt = _opt(torch)
    for group in opt.param_groups:
        group["initial_lr"] = 0.01
    sched = torch.optim.lr_scheduler.StepLR(opt, gamma=0.1, step_size=3, last_epoch=10)
    _overriding_step(opt)

    def loop():
        for _ in range(4):
            sched.step()
            opt.step()
        return _lrs(opt)

    return _warnings(loop)


@program
def scheduler_step_overridden_before_init_is_tracked(torch):
    opt = _opt(torch)
    _overriding_step(opt)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)

    def loop():
        for _ in range(3):
            opt.step()
            sched.step()
        return _lrs(opt), sched.get_last_lr()

    return _warnings(loop)


@program
def scheduler_before_overridden_step_warns_order(torch):
    opt = _opt(torch)
    _overriding_step(opt)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    return _warnings(lambda: (sched.step(), _lrs(opt)))


@program
def scheduler_old_pattern_resuming_warns(torch):
    opt = _opt(torch)
    for group in opt.param_groups:
        group["initial_lr"] = 0.01
    sched = torch.optim.lr_scheduler.StepLR(opt, gamma=0.1, step_size=3, last_epoch=10)

    def loop():
        for _ in range(5):
            sched.step()
            opt.step()
        return _lrs(opt)

    return _lrs(opt), _warnings(loop)


@error(KeyError, r"param 'initial_lr' is not specified in param_groups\[0\] when resuming "
       r"scheduler with last_epoch >= 0.\\nThis typically happens when")  # fmt: skip
def scheduler_resume_without_initial_lr_message(torch):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.randn(2, 2))], 0.1)
    torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.1, last_epoch=1)


@program
def nested_sequential_and_chained_match_direct(torch):
    L = torch.optim.lr_scheduler

    def run(sched):
        out = []
        for _ in range(5):
            out.append(sched.get_last_lr()[0])
            sched.optimizer.step()
            sched.step()
        return out

    def seq(opt):
        return L.SequentialLR(opt, [L.ConstantLR(opt, factor=0.5, total_iters=2),
                                    L.ConstantLR(opt, factor=0.2, total_iters=10)], milestones=[2])  # fmt: skip

    def chain(opt):
        return L.ChainedScheduler([L.ConstantLR(opt, factor=0.5, total_iters=2),
                                   L.ExponentialLR(opt, gamma=0.9)], optimizer=opt)  # fmt: skip

    out = []
    for make in (seq, chain):
        direct = make(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1))
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        nested = L.SequentialLR(opt, [make(opt)], milestones=[])
        out += [run(direct), run(nested)]
    return out


@program
def sequential_of_sequential_last_lr(torch):
    L = torch.optim.lr_scheduler
    opt = torch.optim.SGD([torch.nn.Parameter(torch.tensor(1.0))], lr=0.1)
    inner = L.SequentialLR(opt, [L.ConstantLR(opt, factor=0.5, total_iters=2),
                                 L.ExponentialLR(opt, gamma=0.9)], milestones=[2])  # fmt: skip
    outer = L.SequentialLR(opt, [inner, L.ExponentialLR(opt, gamma=0.8)], milestones=[3])
    out = [outer.get_last_lr(), inner.get_last_lr()]
    for _ in range(6):
        opt.step()
        outer.step()
        out.append(outer.get_last_lr())
    return out


@program
def sequential_tensor_lr_base_lrs_not_aliased(torch):
    L = torch.optim.lr_scheduler
    opt = torch.optim.SGD([torch.nn.Parameter(torch.tensor(1.0))], lr=torch.tensor(0.1))
    sched = L.SequentialLR(opt, [L.ConstantLR(opt, factor=0.5, total_iters=1)], milestones=[])
    opt.param_groups[0]["lr"].add_(1.0)
    return sched.get_last_lr(), opt.param_groups[0]["initial_lr"], sched._schedulers[0].base_lrs


@program
def plateau_tensor_and_float_lrs_keep_types(torch):
    a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([{"params": [a], "lr": torch.tensor([0.1])}, {"params": [b], "lr": 0.2}])
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0, min_lr=0.001)
    for metric in (1.0, 1.0, 2.0, 1.0):
        sched.step(metric)
    return [(type(lr).__name__, lr) for lr in _lrs(opt)], sched.get_last_lr()


@program
def optimizer_load_state_dict_clones_state(torch):
    p1, p2 = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(2))
    opt1 = torch.optim.SGD([p1], lr=0.1, momentum=0.9)
    opt2 = torch.optim.SGD([p2], lr=0.1, momentum=0.9)
    p1.grad = torch.ones_like(p1)
    opt1.step()
    opt2.load_state_dict(opt1.state_dict())
    buf1, buf2 = opt1.state[p1]["momentum_buffer"], opt2.state[p2]["momentum_buffer"]
    shared = buf1.data_ptr() == buf2.data_ptr()
    p2.grad = torch.full_like(p2, 2.0)
    opt2.step()
    return shared, buf1, buf2, p2


# ---- weight averaging (swa_utils) ------------------------------------------------------------
@error(RuntimeError, r"Integer division with addcdiv is no longer supported")
def swa_multi_avg_fn_with_int_buffer(torch):
    U = torch.optim.swa_utils
    model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3))
    avg = U.AveragedModel(model, multi_avg_fn=U.get_swa_multi_avg_fn(), use_buffers=True)
    for _ in range(2):  # num_batches_tracked is averaged with a tensor count: addcdiv refuses
        model(torch.randn(4, 3))
        avg.update_parameters(model)


@error(RuntimeError, r"For integral input tensors, argument alpha must not be a floating point")
def swa_multi_avg_fn_int_tensors_int_count(torch):
    avg = [torch.tensor([1, 2])]
    torch.optim.swa_utils.get_swa_multi_avg_fn()(avg, [torch.tensor([3, 4])], 1)


@program
def swa_and_ema_functions(torch):
    U = torch.optim.swa_utils
    a, b = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 5.0])
    out = [U.get_ema_avg_fn(0.9)(a, b, torch.tensor(3)), U.get_swa_avg_fn()(a, b, 3)]
    ours = [torch.tensor([1.0, 2.0]), torch.tensor([0.5])]
    theirs = [torch.tensor([3.0, 4.0]), torch.tensor([1.5])]
    U.get_swa_multi_avg_fn()(ours, theirs, torch.tensor(1))
    out.append([t.clone() for t in ours])
    U.get_ema_multi_avg_fn(0.8)(ours, theirs, torch.tensor(1))
    out.append(ours)
    return out


@program
def averaged_model_ema_and_swa_with_buffers(torch):
    U = torch.optim.swa_utils
    out = []
    for use_multi, use_buffers in itertools.product((True, False), (True, False)):
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Conv2d(1, 5, 3), torch.nn.BatchNorm2d(5, momentum=0.3),
                                  torch.nn.Linear(5, 10))  # fmt: skip
        if use_multi:
            avg = U.AveragedModel(net, multi_avg_fn=U.get_ema_multi_avg_fn(0.9),
                                  use_buffers=use_buffers)  # fmt: skip
        else:
            avg = U.AveragedModel(net, avg_fn=lambda pa, p, n: 0.9 * pa + 0.1 * p,
                                  use_buffers=use_buffers)  # fmt: skip
        for _ in range(3):
            for p in net.parameters():
                p.detach().add_(torch.randn_like(p))
            net(torch.randn(2, 1, 4, 7))
            avg.update_parameters(net)
        out.append([t.clone() for t in itertools.chain(avg.module.parameters(),
                                                       avg.module.buffers())])  # fmt: skip
    return out


@program
def averaged_model_state_dict_round_trip(torch):
    U = torch.optim.swa_utils
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 5, 3), torch.nn.Linear(5, 10))
    a, b = U.AveragedModel(net), U.AveragedModel(net)
    for _ in range(3):
        for p in net.parameters():
            p.detach().add_(torch.randn_like(p))
        a.update_parameters(net)
    sd = a.state_dict()
    b.load_state_dict(sd)
    return list(sd), b.n_averaged, list(b.parameters())


@program
def update_bn_keeps_mode_and_momentum(torch):
    x, y = torch.rand(40, 5), torch.rand(40)
    data = torch.utils.data
    dl_x = data.DataLoader(data.TensorDataset(x), batch_size=5, shuffle=True)
    dl_xy = data.DataLoader(data.TensorDataset(x, y), batch_size=5, shuffle=True)
    model = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.BatchNorm1d(7, momentum=0.3))
    torch.optim.swa_utils.update_bn(dl_xy, model)
    bn = model[1]
    first = [bn.running_mean.clone(), bn.running_var.clone(), bn.num_batches_tracked.clone()]
    model.eval()
    torch.optim.swa_utils.update_bn(dl_x, model)
    return first, bn.running_mean, bn.running_var, bn.momentum, model.training


@error(TypeError, r"linear\(\): argument 'input' \(position 1\) must be Tensor, not dict")
def update_bn_dict_batches_reach_linear(torch):
    model = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.BatchNorm1d(7))
    torch.optim.swa_utils.update_bn([{"x": torch.rand(4, 5)}], model)


@error(TypeError, r"linear\(\): argument 'weight' \(position 2\) must be Tensor, not list")
def linear_weight_not_a_tensor(torch):
    torch.nn.functional.linear(torch.ones(2, 2), [[1.0, 2.0]])


# ---- optimizers: state dicts of older versions, hooks, state_dict indices --------------------
_OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
               "RAdam", "ASGD", "Rprop", "Adafactor")  # fmt: skip
_FLAGS = ("maximize", "foreach", "differentiable", "capturable", "fused", "nesterov", "amsgrad",
          "centered", "decoupled_weight_decay")  # fmt: skip


def _primed(torch, name, steps=3, **kw):
    """An optimizer of ``name`` over a weight and a bias after ``steps`` closure steps."""
    w, b, x = (
        torch.nn.Parameter(torch.randn(4, 3)),
        torch.nn.Parameter(torch.randn(4)),
        torch.randn(3),
    )
    opt = getattr(torch.optim, name)([w, b], lr=0.01, **kw)

    def closure():
        opt.zero_grad()
        loss = (w.mv(x) + b).pow(2).sum()
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
    return opt, closure, w


def _scalars(opt, p):
    return {k: (type(v).__name__, v) for k, v in opt.state[p].items() if getattr(v, "ndim", 0) == 0}


@program
def load_state_dict_without_newer_flags(torch):
    out = []
    for name in _OPTIMIZERS[:-1]:  # PyTorch's Adafactor fills in only foreach
        opt, closure, w = _primed(torch, name)
        sd = opt.state_dict()
        for group in sd["param_groups"]:
            for key in _FLAGS:
                group.pop(key, None)
        opt.load_state_dict(sd)
        group = {k: v for k, v in opt.param_groups[0].items() if k != "params"}
        opt.step(closure)
        out.append((name, group, w.detach().clone()))
    return out


@program
def load_state_dict_with_number_steps(torch):
    out = []
    for name in _OPTIMIZERS:
        opt, closure, w = _primed(torch, name)
        sd = opt.state_dict()
        for st in sd["state"].values():
            for key in ("step", "mu_product", "eta", "mu"):
                if key in st:
                    st[key] = st[key].item()
        opt.load_state_dict(sd)
        loaded = _scalars(opt, w)
        opt.step(closure)
        out.append((name, loaded, _scalars(opt, w), w.detach().clone()))
    return out


@program
def load_state_dict_number_steps_float64_default(torch):
    torch.set_default_dtype(torch.float64)
    try:
        opt, closure, w = _primed(torch, "Adam")
        sd = opt.state_dict()
        for st in sd["state"].values():
            st["step"] = int(st["step"].item())
        opt.load_state_dict(sd)
        return opt.state[w]["step"], w.dtype
    finally:
        torch.set_default_dtype(torch.float32)


@program
def state_dict_indices_of_repeated_groups(torch):
    out = []
    for name in ("SGD", "Adam"):
        opt, closure, w = _primed(torch, name, steps=1)
        opt.param_groups.extend(opt.param_groups)
        sd = opt.state_dict()
        out.append(([g["params"] for g in sd["param_groups"]], list(sd["state"])))
    return out


@program
def optimizer_and_global_step_hooks_order(torch):
    import importlib

    module = importlib.import_module(torch.__name__ + ".optim.optimizer")
    opt, closure, w = _primed(torch, "SGD", steps=0)
    log = []
    own_pre = opt.register_step_pre_hook(lambda o, a, k: log.append(("pre", len(a), sorted(k))))
    opt.register_step_post_hook(lambda o, a, k: log.append(("post", len(a), sorted(k))))
    glob_pre = module.register_optimizer_step_pre_hook(lambda o, a, k: log.append("global pre"))
    glob_post = module.register_optimizer_step_post_hook(lambda o, a, k: log.append("global post"))
    try:
        opt.step(closure)
        own_pre.remove()
        opt.step(closure=closure)
    finally:
        glob_pre.remove()
        glob_post.remove()
    opt.step(closure)
    return log


@error(RuntimeError, r"must return None or a tuple of \(new_args, new_kwargs\), but got 5")
def step_pre_hook_returning_other_value(torch):
    opt, closure, w = _primed(torch, "SGD", steps=0)
    opt.register_step_pre_hook(lambda o, a, k: 5)
    opt.step(closure)


@program
def state_dict_hooks_order_and_replacement(torch):
    opt, closure, w = _primed(torch, "Adam", steps=1)
    log = []

    def post(o, sd):
        log.append("post")
        return {**sd, "extra": 1}

    def load_pre(o, sd):
        log.append(("load pre", sorted(sd)))
        return {k: v for k, v in sd.items() if k != "extra"}

    opt.register_state_dict_pre_hook(lambda o: log.append("pre"))
    opt.register_state_dict_post_hook(post)
    opt.register_state_dict_post_hook(lambda o, sd: log.append(("first", sorted(sd))), prepend=True)
    opt.register_load_state_dict_pre_hook(load_pre)
    opt.register_load_state_dict_post_hook(lambda o: log.append("load post"))
    sd = opt.state_dict()
    opt.load_state_dict(sd)
    return log, sorted(sd)


@program
def optimizer_scalar_state_follows_float64_default(torch):
    torch.set_default_dtype(torch.float64)
    try:
        out = []
        for name in _OPTIMIZERS:
            opt, closure, w = _primed(torch, name)
            out.append((name, w, {k: v.dtype for k, v in opt.state[w].items()}, _scalars(opt, w)))
        return out
    finally:
        torch.set_default_dtype(torch.float32)


@program
def optimizer_state_dict_through_weights_only_load(torch):
    import io

    out = []
    for name in _OPTIMIZERS:
        torch.manual_seed(0)
        opt, closure, w = _primed(torch, name, steps=2)
        buffer = io.BytesIO()
        torch.save(opt.state_dict(), buffer)
        buffer.seek(0)
        torch.manual_seed(0)
        opt2, closure2, w2 = _primed(torch, name, steps=0)
        with torch.no_grad():
            w2.copy_(w)
        opt2.load_state_dict(torch.load(buffer, weights_only=True))
        opt.step(closure)
        opt2.step(closure2)
        out.append((name, _scalars(opt2, w2), w2))
    return out


@program
def optimizer_steps_without_and_with_zero_grads(torch):
    out = []
    for name in _OPTIMIZERS:
        opt, closure, w = _primed(torch, name, steps=0)
        opt.step()  # no gradients: no state, nothing moves
        out.append((name, len(opt.state), w.detach().clone()))
        for p in (p for g in opt.param_groups for p in g["params"]):
            p.grad = torch.zeros_like(p)
        opt.step()
        out.append((w.detach().clone(), {k: v for k, v in opt.state[w].items()}))
    return out


@program
def fused_and_foreach_flags_on_cpu(torch):
    out = []
    for name in ("SGD", "Adam", "AdamW", "Adagrad"):
        for kw in ({"fused": True}, {"fused": True, "foreach": True},
                   {"fused": True, "differentiable": True}, {"fused": False, "foreach": False}):  # fmt: skip
            try:
                opt, closure, w = _primed(torch, name, steps=2, **kw)
                out.append((name, sorted(kw), w))
            except RuntimeError as e:
                out.append((name, sorted(kw), str(e)))
    return out


# ---- LR schedulers: state dicts through save/load, checkpoints, tensor lrs, references -------
def _schedulers(torch):
    """One constructor per scheduler class (PyTorch's test_lr_scheduler_state_dict_load)."""
    L, U = torch.optim.lr_scheduler, torch.optim.swa_utils
    return [
        lambda o, **kw: L.LambdaLR(o, lr_lambda=lambda e: e // 10, **kw),
        lambda o, **kw: L.MultiplicativeLR(o, lr_lambda=lambda e: 0.95, **kw),
        lambda o, **kw: L.StepLR(o, step_size=30, **kw),
        lambda o, **kw: L.MultiStepLR(o, milestones=[30, 80], **kw),
        L.ConstantLR,
        L.LinearLR,
        lambda o, **kw: L.ExponentialLR(o, gamma=0.9, **kw),
        L.PolynomialLR,
        lambda o, **kw: L.CosineAnnealingLR(o, T_max=10, **kw),
        lambda o, **kw: L.CosineAnnealingWarmRestarts(o, T_0=20, **kw),
        lambda o, **kw: L.CyclicLR(o, base_lr=0.01, max_lr=0.1, **kw),
        lambda o, **kw: L.OneCycleLR(o, max_lr=0.01, total_steps=10, **kw),
        lambda o, **kw: U.SWALR(o, swa_lr=0.01, **kw),
        lambda o, **kw: L.ChainedScheduler([L.ConstantLR(o), L.ConstantLR(o)], **kw),
        lambda o, **kw: L.SequentialLR(o, [L.ConstantLR(o), L.ConstantLR(o)], milestones=[2], **kw),
        L.ReduceLROnPlateau,
    ]


@program
def scheduler_state_dicts_through_save_and_load(torch):
    import io

    out = []
    for make in _schedulers(torch):
        for weights_only in (True, False):
            opt = _opt(torch)
            sched = make(opt)
            sd = sched.state_dict()
            buffer = io.BytesIO()
            torch.save(sd, buffer)
            buffer.seek(0)
            loaded = torch.load(buffer, weights_only=weights_only)
            again = make(opt)
            again.load_state_dict(loaded)
            out.append((sorted(loaded), again.get_last_lr(), _lrs(opt)))
    return out


@program
def scheduler_recreated_with_last_epoch_zero(torch):
    out = []
    for make in _schedulers(torch)[:13]:
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 3)
        opt = torch.optim.AdamW(model.parameters())
        sched = make(opt)
        opt.step()
        sched.step()
        opt2 = torch.optim.AdamW(model.parameters())
        opt2.load_state_dict(opt.state_dict())
        out.append((make(opt2, last_epoch=0).get_last_lr(), _lrs(opt), _lrs(opt2)))
    return out


@program
def scheduler_tensor_lr_edited_keeps_initial_lr(torch):
    out = []
    for make in _schedulers(torch)[:10]:
        lr = torch.as_tensor(0.1)
        opt = torch.optim.SGD([torch.nn.Parameter(torch.randn(1))], lr=lr)
        sched = make(opt)
        for epoch in range(2):
            opt.step()
            sched.step(epoch)
            lr.multiply_(0.1)
            group = opt.param_groups[0]
            aliased = sched.base_lrs[0] is group["initial_lr"]
            out.append((group["initial_lr"], sched.base_lrs, aliased, group["lr"]))
    return out


@program
def cyclic_and_onecycle_tensor_options_edited(torch):
    lr, max_lr = torch.as_tensor(0.1), torch.as_tensor(0.2)
    base_m, max_m = torch.as_tensor(0.8), torch.as_tensor(0.9)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.randn(1))], lr=lr)
    L = torch.optim.lr_scheduler
    sched = L.CyclicLR(opt, base_lr=lr, max_lr=max_lr, base_momentum=base_m, max_momentum=max_m)
    out = []
    for epoch in range(2):
        for t in (lr, max_lr, base_m, max_m):
            t.multiply_(0.5)
        opt.step()
        sched.step(epoch)
        out.append(({k: v for k, v in opt.param_groups[0].items() if k != "params"},
                    sched.base_lrs, sched.max_lrs))  # fmt: skip
    lr, base_m, max_m = torch.as_tensor(0.1), torch.as_tensor(0.85), torch.as_tensor(0.95)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.randn(1))], lr=lr)
    sched = L.OneCycleLR(opt, max_lr=lr, total_steps=10, base_momentum=base_m, max_momentum=max_m)
    for epoch in range(2):
        for t in (lr, base_m, max_m):
            t.multiply_(0.5)
        opt.step()
        sched.step(epoch)
        out.append({k: v for k, v in opt.param_groups[0].items() if k != "params"})
    return out


@program
def plateau_with_param_group_added_midway(torch):
    out = []
    for min_lr in (0, [1e-5, 1e-4]):
        opt = _opt(torch)
        for group in opt.param_groups:
            group["lr"] = 0.5
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, threshold=0.1, patience=5, cooldown=5, min_lr=min_lr
        )
        for epoch, metric in enumerate([1] * 7 + [0.6] + [0.5] * 12):
            if epoch == 8:
                opt.add_param_group({"params": [torch.nn.Parameter(torch.rand(2, 3))], "lr": 0.05})
                if isinstance(min_lr, list):
                    sched.min_lrs.append(1e-6)
            opt.step()
            sched.step(metric)
            out.append(_lrs(opt))
    return out


@error(RuntimeError, r"The number of param groups in the `optimizer` \(3\) differs from when")
def plateau_min_lr_list_after_group_added(torch):
    opt = _opt(torch)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=[1e-5, 1e-4])
    opt.add_param_group({"params": [torch.nn.Parameter(torch.rand(2, 3))], "lr": 0.05})
    opt.step()
    sched.step(1)
    opt.step()
    sched.step(1.3)


@program
def cosine_then_cyclic_on_one_optimizer(torch):
    opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.5)
    L = torch.optim.lr_scheduler
    cosine = L.CosineAnnealingLR(opt, T_max=20, eta_min=0.1)
    cyclic = L.CyclicLR(opt, base_lr=0.1, max_lr=0.3, step_size_up=1, step_size_down=3)
    out = []
    for i in range(40):
        opt.step()
        (cosine if i <= cosine.T_max else cyclic).step()
        out.append(opt.param_groups[0]["lr"])
    return out


@program
def schedulers_hold_no_reference_cycles(torch):
    import gc
    import weakref

    def stepped(override):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(2))], lr=0.5)
        if override:
            _overriding_step(opt)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0)
        opt.step()
        sched.step()
        return weakref.ref(sched), weakref.ref(opt)

    gc.disable()
    try:
        refs = [stepped(False), stepped(True)]
        return [(s() is None, o() is None) for s, o in refs]
    finally:
        gc.enable()


@program
def composite_schedulers_of_another_optimizer_message(torch):
    L = torch.optim.lr_scheduler
    opt, other = _opt(torch), torch.optim.Adam([torch.nn.Parameter(torch.ones(1))], lr=0.1)
    out = []
    for make in (lambda: L.SequentialLR(opt, [L.ConstantLR(opt), L.ConstantLR(other)], [1]),
                 lambda: L.ChainedScheduler([L.ConstantLR(other)], optimizer=opt)):  # fmt: skip
        try:
            make()
        except ValueError as e:
            out.append(str(e))
    return out


@program
def grad_scaler_skipped_first_step_then_scheduler_warns(torch):
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([p], lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**10)

    def loop():
        out = []
        for g in (float("inf"), 1.0, 1.0):
            opt.zero_grad()
            scaler.scale((p * g).sum()).backward()
            scaler.step(opt)
            scaler.update()
            sched.step()
            out.append((p.detach().clone(), sched.get_last_lr(), scaler.get_scale()))
        return out

    return _warnings(loop)


@program
def swalr_cos_anneal_with_tensor_lr_group(torch):
    opt = torch.optim.SGD([{"params": [torch.nn.Parameter(torch.ones(2))]},
                           {"params": [torch.nn.Parameter(torch.ones(1))], "lr": torch.tensor(0.3)}],
                          lr=0.5)  # fmt: skip
    sched = torch.optim.swa_utils.SWALR(opt, swa_lr=[0.05, 0.01], anneal_epochs=4)
    out = [sched.get_last_lr()]
    for _ in range(6):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    return out, sched.state_dict()


@program
def update_bn_momentum_none_and_untracked(torch):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4, momentum=None),
                                torch.nn.BatchNorm1d(4, track_running_stats=False))  # fmt: skip
    torch.optim.swa_utils.update_bn([torch.randn(5, 3) for _ in range(3)], model, device="cpu")
    bn = model[1]
    return (
        bn.running_mean,
        bn.running_var,
        bn.momentum,
        bn.num_batches_tracked,
        model[2].running_mean,
    )


@error(AssertionError, r"Only one of avg_fn and multi_avg_fn should be provided")
def averaged_model_avg_fn_and_multi_avg_fn(torch):
    U = torch.optim.swa_utils
    U.AveragedModel(torch.nn.Linear(2, 2), avg_fn=U.get_ema_avg_fn(0.5),
                    multi_avg_fn=U.get_ema_multi_avg_fn(0.9))  # fmt: skip


@program
def plateau_nan_inf_tensor_and_numpy_metrics(torch):
    opt = _opt(torch)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    out = []
    for metric in (float("nan"), 1.0, float("inf"), float("nan"), 2.0, torch.tensor(0.5),
                   np.float32(0.1)):  # fmt: skip
        sched.step(metric)
        out.append((_lrs(opt), float(sched.best), sched.num_bad_epochs))
    return out


@program
def plateau_eps_stops_tiny_reductions_and_cooldown(torch):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1e-8)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5, eps=1e-8)
    out = []
    for _ in range(3):
        sched.step(1.0)
        out.append(_lrs(opt))
    opt = _opt(torch)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, cooldown=2, mode="max",
                                                       threshold=0.5, threshold_mode="abs")  # fmt: skip
    for metric in (1, 1, 1, 1, 3, 3.2, 1, 1, 1, 1):
        sched.step(metric)
        out.append((_lrs(opt), sched.num_bad_epochs, sched.cooldown_counter, sched.in_cooldown))
    return out


@error(ValueError, r"Tried to step 4 times. The specified number of total steps is 3")
def onecycle_stepped_past_total_steps(torch):
    opt = _opt(torch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(4):
        opt.step()
        sched.step()


# ---- data loading ----------------------------------------------------------------------------
def _counted_iterable(torch, n, reported, sharded=False):
    """An IterableDataset of ``n`` numbers whose ``__len__`` reports ``reported``; ``sharded``:
    each worker yields its share."""

    class Numbers(torch.utils.data.IterableDataset):
        def __iter__(self):
            info = torch.utils.data.get_worker_info()
            if sharded and info is not None:
                return iter(range(info.id, n, info.num_workers))
            return iter(range(n))

        def __len__(self):
            return reported

    return Numbers()


def _length_warnings(fn):
    out, caught = _warnings(fn)
    return out, [w.split(" <")[0] for w in caught]


def _len_and_batches(torch, loader):
    return len(loader), [(type(b).__name__, torch.as_tensor(b).tolist()) for b in loader]


@program
def iterable_dataset_longer_than_its_len_warns(torch):
    data = torch.utils.data
    out = []
    for n, reported, batch_size, drop_last in ((5, 3, 1, False), (5, 3, 2, False), (7, 10, 3, True),
                                               (7, 4, 3, True), (6, 6, None, False)):  # fmt: skip
        loader = data.DataLoader(_counted_iterable(torch, n, reported), batch_size=batch_size,
                                 drop_last=drop_last)  # fmt: skip
        out.append(_length_warnings(functools.partial(_len_and_batches, torch, loader)))
    return out


@program
def iterable_dataset_len_warning_needs_len_first(torch):
    loader = torch.utils.data.DataLoader(_counted_iterable(torch, 5, 2), batch_size=None)
    first = _length_warnings(lambda: [int(b) for b in loader])
    len(loader)
    return first, _length_warnings(lambda: [int(b) for b in loader])


@program
def iterable_dataset_len_warning_with_workers(torch):
    dataset = _counted_iterable(torch, 6, 4, sharded=True)
    loader = torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=2)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = len(loader), sorted(int(b) for b in loader)
    messages = [str(w.message) for w in caught]
    return out, len(messages), all("For multiprocessing data-loading" in m for m in messages)


@error(RuntimeError, r"Caught RuntimeError in DataLoader worker process 0")
def worker_init_fn_error_is_wrapped(torch):
    def init(worker_id):
        raise RuntimeError("Error in worker_init_fn")

    dataset = torch.utils.data.TensorDataset(torch.arange(4.0))
    list(torch.utils.data.DataLoader(dataset, num_workers=2, worker_init_fn=init))


@program
def collate_keeps_custom_mapping_and_sequence_types(torch):
    import collections

    data = torch.utils.data

    class Record(collections.abc.MutableMapping):
        def __init__(self, items):
            self.items = dict(items)

        def __getitem__(self, k):
            return self.items[k]

        def __setitem__(self, k, v):
            self.items[k] = v

        def __delitem__(self, k):
            del self.items[k]

        def __iter__(self):
            return iter(self.items)

        def __len__(self):
            return len(self.items)

    class Pair(collections.abc.Sequence):
        def __init__(self, *values):
            self.values = list(values)

        def __getitem__(self, i):
            return self.values[i]

        def __len__(self):
            return len(self.values)

    batch = data.default_collate([Record({"a": 1, "b": torch.ones(2)}), Record({"a": 2, "b": torch.zeros(2)})])  # fmt: skip
    converted = data.default_convert(Record({"x": np.ones(2)}))
    pairs = data.default_collate([Pair(1, 2), Pair(3, 4)])
    ordered = data.default_collate([collections.OrderedDict(b=1, a=2), collections.OrderedDict(b=3, a=4)])  # fmt: skip
    return (type(batch).__name__, dict(batch), type(converted).__name__, dict(converted),
            type(pairs).__name__, list(pairs), type(ordered).__name__, list(ordered.items()))  # fmt: skip


@program
def collate_numpy_memmap_rows(torch):
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        rows = np.memmap(os.path.join(tmp, "rows.npy"), dtype=np.float32, mode="w+", shape=(4, 3))
        rows[:] = np.arange(12).reshape(4, 3)
        out = (torch.utils.data.default_collate(list(rows)), torch.utils.data.default_convert(rows))
        del rows
        return out


@program
def loader_indices_beyond_32_bits(torch):
    data = torch.utils.data

    class Huge(data.Dataset):
        def __getitem__(self, i):
            return i

        def __len__(self):
            return 2**40

    class Far(data.Sampler):
        def __iter__(self):
            return iter([2**33, 2**35, 2**39])

        def __len__(self):
            return 3

    return list(data.DataLoader(Huge(), batch_size=2, sampler=Far()))


test_program_matches_pytorch = SWEEP.test()
