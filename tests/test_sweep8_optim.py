"""Session 8 compatibility sweep of optimizers' state and the unusual ways training code
handles it: param_groups edited mid-training, parameters added, frozen, replaced or edited
between steps, mixed dtypes and odd layouts, gradients replaced, state_dict round trips into
fresh optimizers, hooks, closures, schedulers after manual edits, deepcopy. Each program runs
with real PyTorch (the oracle) and with minitorch from the same seed (tests/sweep_harness.py),
and parameters, state tensors and learning rates are compared."""

from __future__ import annotations

import copy
import importlib

import numpy as np
import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


# ---- helpers the programs share ------------------------------------------------------------
def _params(torch, dtype="float32", shapes=((3,), (2, 2))):
    rng = np.random.default_rng(0)
    return [torch.nn.Parameter(torch.tensor(rng.standard_normal(s).astype(dtype))) for s in shapes]


def _loss(ps):
    """Different curvature per element, so adaptive optimizers differ per element."""
    return sum(((p - 0.3) ** 2 * (1 + i) + p.sin()).sum() for i, p in enumerate(ps))


def _train(opt, ps, steps=3):
    for _ in range(steps):
        opt.zero_grad()
        _loss(ps).backward()
        opt.step()


def _snapshot(opt, ps):
    """Parameters (cloned), each state dict (cloned) and each group's lr."""
    state = [{k: (v.clone() if hasattr(v, "clone") else v) for k, v in opt.state[p].items()}
             for p in ps if p in opt.state]  # fmt: skip
    return [p.detach().clone() for p in ps], state, [g["lr"] for g in opt.param_groups]


def _mlp(torch):
    nn = torch.nn
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))


def _mlp_loss(torch, model):
    x = torch.linspace(-1, 1, 15).reshape(5, 3)
    return ((model(x) - 0.5) ** 2).mean()


# ---- param_groups edited mid-training ------------------------------------------------------
@program
def adam_lr_betas_edited_in_place(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    out = []
    _train(opt, ps, 2)
    out.append(_snapshot(opt, ps))
    opt.param_groups[0]["lr"] = 0.01
    opt.param_groups[0]["betas"] = (0.5, 0.9)
    _train(opt, ps, 2)
    out.append(_snapshot(opt, ps))
    return out


@program
def sgd_weight_decay_momentum_edited(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.05, momentum=0.9)
    out = []
    _train(opt, ps, 2)
    for g in opt.param_groups:
        g["weight_decay"] = 0.1
        g["momentum"] = 0.5
        g["nesterov"] = True
    _train(opt, ps, 2)
    out.append(_snapshot(opt, ps))
    return out


@program
def sgd_momentum_switched_on_mid_training(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.05)
    _train(opt, ps, 2)
    opt.param_groups[0]["momentum"] = 0.9
    _train(opt, ps, 3)
    return _snapshot(opt, ps)


@program
def group_params_list_appended(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps[:1], lr=0.05)
    _train(opt, ps, 2)
    opt.param_groups[0]["params"].append(ps[1])
    _train(opt, ps, 3)
    return _snapshot(opt, ps), opt.state_dict()


@program
def add_param_group_after_steps_adam(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps[:1], lr=0.05)
    _train(opt, ps, 2)
    opt.add_param_group({"params": [ps[1]], "lr": 0.1, "betas": (0.8, 0.9)})
    _train(opt, ps, 3)
    return _snapshot(opt, ps), opt.state_dict()


@program
def add_param_group_after_steps_rmsprop_adagrad(torch):
    out = []
    for make in (lambda o, q: o.RMSprop(q, lr=0.01, momentum=0.5, centered=True),
                 lambda o, q: o.Adagrad(q, lr=0.1, lr_decay=0.01),
                 lambda o, q: o.NAdam(q, lr=0.05),
                 lambda o, q: o.RAdam(q, lr=0.05),
                 lambda o, q: o.ASGD(q, lr=0.05, t0=1),
                 lambda o, q: o.Rprop(q, lr=0.05),
                 lambda o, q: o.Adamax(q, lr=0.05),
                 lambda o, q: o.Adadelta(q)):  # fmt: skip
        ps = _params(torch)
        opt = make(torch.optim, ps[:1])
        _train(opt, ps, 2)
        opt.add_param_group({"params": ps[1:]})
        _train(opt, ps, 3)
        out.append((_snapshot(opt, ps), opt.state_dict()))
    return out


@program
def group_params_replaced_by_new_list(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    _train(opt, ps, 2)
    opt.param_groups[0]["params"] = [ps[1], ps[0]]
    _train(opt, ps, 2)
    return _snapshot(opt, ps), opt.state_dict()


# ---- frozen and unfrozen parameters --------------------------------------------------------
@program
def freeze_unfreeze_adam(torch):
    model = _mlp(torch)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    out = []
    for step in range(6):
        model[0].weight.requires_grad_(step not in (2, 3))
        if step == 2:
            model[0].weight.grad = None
        opt.zero_grad()
        _mlp_loss(torch, model).backward()
        opt.step()
        out.append([p.detach().clone() for p in model.parameters()])
    steps = [opt.state[p]["step"] for p in model.parameters()]
    return out, steps


@program
def freeze_without_dropping_grad(torch):
    # requires_grad off but the stale gradient kept: PyTorch keeps updating with it
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    _mlp_loss(torch, model).backward()
    opt.step()
    model[2].bias.requires_grad_(False)
    for _ in range(3):
        opt.zero_grad(set_to_none=False)
        _mlp_loss(torch, model).backward()
        opt.step()
    return list(model.parameters()), opt.state_dict()["state"]


@program
def grads_none_for_some_steps(torch):
    ps = _params(torch)
    opt = torch.optim.AdamW(ps, lr=0.05, weight_decay=0.1)
    out = []
    for step in range(5):
        opt.zero_grad()
        _loss(ps).backward()
        if step % 2:
            ps[0].grad = None
        opt.step()
        out.append(_snapshot(opt, ps))
    return out


# ---- parameter arrays replaced or edited between steps -------------------------------------
@program
def param_data_assigned_new_tensor(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 2)
    ps[0].data = torch.tensor([1.0, -2.0, 0.5])
    _train(opt, ps, 2)
    return _snapshot(opt, ps)


@program
def param_data_copy_and_inplace_edits(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    _train(opt, ps, 2)
    ps[0].data.copy_(torch.tensor([0.1, 0.2, 0.3]))
    with torch.no_grad():
        ps[1].mul_(0.5)
        ps[1][0, 1] = 3.0
    _train(opt, ps, 2)
    with torch.no_grad():
        ps[0].copy_(ps[0] * 2)
        ps[1].clamp_(-0.5, 0.5)
    _train(opt, ps, 1)
    return _snapshot(opt, ps)


@program
def param_data_assigned_other_shape(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    _train(opt, ps, 1)
    ps[0].data = torch.ones(5)
    opt.zero_grad()
    (ps[0] ** 2).sum().backward()
    opt.step()
    return ps[0]


@program
def weight_tied_after_optimizer(torch):
    nn = torch.nn
    emb, head = nn.Embedding(5, 3), nn.Linear(3, 5, bias=False)
    opt = torch.optim.Adam(list(emb.parameters()) + list(head.parameters()), lr=0.05)
    head.weight = emb.weight  # tied after the optimizer was made
    for _ in range(3):
        opt.zero_grad()
        logits = head(emb(torch.tensor([0, 2, 4])))
        nn.functional.cross_entropy(logits, torch.tensor([1, 2, 3])).backward()
        opt.step()
    return emb.weight, opt.state_dict()


@program
def param_edited_through_a_view(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    row = ps[1].detach()[0]
    _train(opt, ps, 2)
    row.fill_(0.25)  # an alias taken before the step still aliases the parameter
    _train(opt, ps, 2)
    return _snapshot(opt, ps), row


@program
def detached_alias_sees_every_step(torch):
    ps = _params(torch)
    alias = ps[0].detach()
    opt = torch.optim.SGD(ps, lr=0.1)
    seen = []
    for _ in range(3):
        opt.zero_grad()
        _loss(ps).backward()
        opt.step()
        seen.append(alias.clone())
    return seen, ps[0]


@program
def state_tensor_alias_sees_steps(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 1)
    m = opt.state[ps[0]]["exp_avg"]
    step = opt.state[ps[0]]["step"]
    before = m.clone()
    _train(opt, ps, 2)
    return before, m, step


@program
def state_edited_in_place_and_reset(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 2)
    opt.state[ps[0]]["exp_avg"].zero_()
    opt.state[ps[1]]["exp_avg_sq"].mul_(2)
    _train(opt, ps, 1)
    opt.state[ps[1]] = {}  # a reset of one parameter's state
    _train(opt, ps, 2)
    return _snapshot(opt, ps)


@program
def state_cleared_whole(torch):
    from collections import defaultdict

    ps = _params(torch)
    opt = torch.optim.RMSprop(ps, lr=0.01, momentum=0.5)
    _train(opt, ps, 2)
    opt.state = defaultdict(dict)
    _train(opt, ps, 2)
    return _snapshot(opt, ps)


@program
def state_step_replaced(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 3)
    for p in ps:
        opt.state[p]["step"] = torch.tensor(0.0)
    _train(opt, ps, 2)
    return _snapshot(opt, ps)


# ---- dtypes and layouts --------------------------------------------------------------------
@program
def mixed_dtypes_one_group(torch):
    a = _params(torch, "float64", ((3,),))[0]
    b = _params(torch, "float32", ((2, 2),))[0]
    out = []
    for make in (lambda q: torch.optim.Adam(q, lr=0.05, amsgrad=True),
                 lambda q: torch.optim.SGD(q, lr=0.05, momentum=0.9),
                 lambda q: torch.optim.RMSprop(q, lr=0.01, centered=True)):  # fmt: skip
        ps = [torch.nn.Parameter(a.detach().clone()), torch.nn.Parameter(b.detach().clone())]
        opt = make(ps)
        _train(opt, ps, 3)
        out.append((_snapshot(opt, ps), opt.state_dict()["state"]))
    return out


@program
def float16_parameter_sgd(torch):
    p = torch.nn.Parameter(torch.tensor([0.5, -1.0, 2.0], dtype=torch.float16))
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    for _ in range(3):
        opt.zero_grad()
        p.grad = (p.detach() * 2).to(torch.float16)
        opt.step()
    return p, opt.state[p]["momentum_buffer"]


@program
def transposed_and_strided_params(torch):
    base = torch.tensor(np.arange(12, dtype="float32").reshape(3, 4) / 10)
    ps = [torch.nn.Parameter(base.clone().t()), torch.nn.Parameter(base.clone()[:, ::2])]
    opt = torch.optim.Adam(ps, lr=0.05)
    for _ in range(3):
        opt.zero_grad()
        (ps[0] ** 3).sum().backward()
        (ps[1].sin()).sum().backward()
        opt.step()
    return _snapshot(opt, ps), [p.is_contiguous() for p in ps], [p.stride() for p in ps]


@program
def zero_size_and_scalar_params(torch):
    ps = [torch.nn.Parameter(torch.zeros(0, 3)), torch.nn.Parameter(torch.tensor(1.5)),
          torch.nn.Parameter(torch.ones(2))]  # fmt: skip
    opt = torch.optim.Adam(ps, lr=0.1, weight_decay=0.1)
    for _ in range(3):
        opt.zero_grad()
        (ps[0].sum() + ps[1] ** 2 + (ps[2] * ps[1]).sum()).backward()
        opt.step()
    return _snapshot(opt, ps), opt.state_dict()


@program
def non_contiguous_grad(torch):
    ps = _params(torch, shapes=((2, 3),))
    opt = torch.optim.Adam(ps, lr=0.05)
    for i in range(3):
        opt.zero_grad()
        g = torch.arange(6.0).reshape(3, 2).t() * (i + 1)
        ps[0].grad = g
        opt.step()
    return _snapshot(opt, ps)


@program
def grad_replaced_between_backward_and_step(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    for _ in range(3):
        opt.zero_grad()
        _loss(ps).backward()
        ps[0].grad = ps[0].grad.clamp(-0.5, 0.5)
        ps[1].grad.mul_(2)
        opt.step()
    return _snapshot(opt, ps)


@program
def zero_grad_keep_then_accumulate(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    for _ in range(3):
        opt.zero_grad(set_to_none=False)
        for _ in range(2):
            _loss(ps).backward()
        opt.step()
    return _snapshot(opt, ps), [p.grad for p in ps]


@program
def grad_accumulation_every_two_steps(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    for i in range(6):
        (_mlp_loss(torch, model) / 2).backward()
        if i % 2 == 1:
            opt.step()
            opt.zero_grad()
    return list(model.parameters())


# ---- state_dict ------------------------------------------------------------------------------
@program
def state_dict_mid_training_into_fresh_model(torch):
    out = []
    for make in (lambda q: torch.optim.Adam(q, lr=0.01, amsgrad=True),
                 lambda q: torch.optim.SGD(q, lr=0.1, momentum=0.9),
                 lambda q: torch.optim.RMSprop(q, lr=0.01, centered=True, momentum=0.1),
                 lambda q: torch.optim.Adagrad(q, lr=0.1),
                 lambda q: torch.optim.NAdam(q, lr=0.01),
                 lambda q: torch.optim.ASGD(q, lr=0.01, t0=2)):  # fmt: skip
        torch.manual_seed(0)
        model = _mlp(torch)
        opt = make(model.parameters())
        for _ in range(3):
            opt.zero_grad()
            _mlp_loss(torch, model).backward()
            opt.step()
        msd, osd = copy.deepcopy(model.state_dict()), copy.deepcopy(opt.state_dict())
        torch.manual_seed(1)
        model2 = _mlp(torch)
        model2.load_state_dict(msd)
        opt2 = make(model2.parameters())
        opt2.load_state_dict(osd)
        for m, o in ((model, opt), (model2, opt2)):
            for _ in range(3):
                o.zero_grad()
                _mlp_loss(torch, m).backward()
                o.step()
        out.append((list(model2.parameters()), opt2.state_dict()))
        out.append([(a - b).abs().max() for a, b in zip(model.parameters(), model2.parameters())])
    return out


@program
def state_dict_contents_and_types(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 2)
    sd = opt.state_dict()
    st = sd["state"][0]
    return (sorted(sd), list(st), type(st["step"]).__name__, st["step"].dtype,
            st["step"].shape, st["step"].requires_grad, sd["param_groups"])  # fmt: skip


@program
def state_dict_param_names(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(model.named_parameters(), lr=0.1, momentum=0.9)
    _mlp_loss(torch, model).backward()
    opt.step()
    sd = opt.state_dict()
    opt2 = torch.optim.SGD(model.named_parameters(), lr=0.5)
    opt2.load_state_dict(sd)
    return sd["param_groups"], opt2.param_groups[0]["param_names"], opt2.param_groups[0]["lr"]


@program
def state_dict_is_live_until_copied(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 1)
    sd = opt.state_dict()
    snapshot = copy.deepcopy(sd)
    _train(opt, ps, 2)
    return sd["state"], snapshot["state"]


@program
def load_state_dict_then_edit_lr(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    _train(opt, ps, 2)
    sd = opt.state_dict()
    opt2 = torch.optim.SGD(ps, lr=0.3)
    opt2.load_state_dict(sd)
    opt2.param_groups[0]["lr"] = 0.01
    _train(opt2, ps, 2)
    return _snapshot(opt2, ps), sd["param_groups"][0]["lr"]


@program
def load_state_dict_float64_state_into_float32(torch):
    ps64 = _params(torch, "float64")
    opt = torch.optim.Adam(ps64, lr=0.05)
    _train(opt, ps64, 2)
    ps = _params(torch)
    opt2 = torch.optim.Adam(ps, lr=0.05)
    opt2.load_state_dict(opt.state_dict())
    st = opt2.state[ps[0]]
    _train(opt2, ps, 1)
    return st["exp_avg"].dtype, st["step"].dtype, _snapshot(opt2, ps)


@error(ValueError, r"doesn't match the size of optimizer's group")
def load_state_dict_group_size_mismatch(torch):
    ps = _params(torch)
    sd = torch.optim.SGD(ps, lr=0.1).state_dict()
    torch.optim.SGD(ps[:1], lr=0.1).load_state_dict(sd)


@error(ValueError, r"loaded state dict has a different number of parameter groups")
def load_state_dict_group_count_mismatch(torch):
    ps = _params(torch)
    sd = torch.optim.SGD([{"params": ps[:1]}, {"params": ps[1:]}], lr=0.1).state_dict()
    torch.optim.SGD(ps, lr=0.1).load_state_dict(sd)


@program
def load_state_dict_keeps_extra_group_keys(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    opt.param_groups[0]["my_tag"] = "backbone"
    sd = opt.state_dict()
    opt2 = torch.optim.SGD(ps, lr=0.2)
    opt2.load_state_dict(sd)
    return opt2.param_groups[0]["my_tag"], sorted(opt2.param_groups[0])


# ---- hooks -----------------------------------------------------------------------------------
@program
def state_dict_hooks(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    seen = []

    def post(optimizer, sd):
        sd["extra"] = 1
        return sd

    opt.register_state_dict_pre_hook(lambda o: seen.append("pre"))
    opt.register_state_dict_post_hook(post)
    _train(opt, ps, 1)
    sd = opt.state_dict()

    def load_pre(optimizer, sd):
        seen.append(("load_pre", sorted(sd)))
        sd = dict(sd)
        sd.pop("extra")
        return sd

    opt2 = torch.optim.SGD(ps, lr=0.3)
    opt2.register_load_state_dict_pre_hook(load_pre)
    opt2.register_load_state_dict_post_hook(
        lambda o: seen.append(("post", o.param_groups[0]["lr"]))
    )
    opt2.load_state_dict(sd)
    return seen, sorted(sd)


@program
def step_hooks_modify_grads_and_count(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    calls = []

    def clip(o, args, kwargs):
        for g in o.param_groups:
            for p in g["params"]:
                p.grad.clamp_(-0.1, 0.1)

    opt.register_step_pre_hook(clip)
    opt.register_step_post_hook(lambda o, a, k: calls.append(o.state[ps[0]]["step"].item()))
    _train(opt, ps, 3)
    return _snapshot(opt, ps), calls


@program
def global_optimizer_step_hooks(torch):
    module = importlib.import_module(f"{torch.__name__}.optim.optimizer")
    register_optimizer_step_pre_hook = module.register_optimizer_step_pre_hook
    register_optimizer_step_post_hook = module.register_optimizer_step_post_hook
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    seen = []
    h1 = register_optimizer_step_pre_hook(lambda o, a, k: seen.append(("pre", type(o).__name__)))
    h2 = register_optimizer_step_post_hook(lambda o, a, k: seen.append("post"))
    try:
        _train(opt, ps, 2)
    finally:
        h1.remove()
        h2.remove()
    _train(opt, ps, 1)
    return seen


# ---- lr as a tensor, closures, flags -------------------------------------------------------
@program
def lr_tensor_edited_in_place(torch):
    ps = _params(torch)
    lr = torch.tensor(0.05)
    opt = torch.optim.Adam(ps, lr=lr)
    _train(opt, ps, 2)
    opt.param_groups[0]["lr"].fill_(0.01)
    _train(opt, ps, 2)
    return _snapshot(opt, ps), lr


@program
def closure_with_sgd_and_adam(torch):
    out = []
    for make in (lambda q: torch.optim.SGD(q, lr=0.1), lambda q: torch.optim.Adam(q, lr=0.1)):
        ps = _params(torch)
        opt = make(ps)
        losses = []
        for _ in range(3):

            def closure(opt=opt, ps=ps):
                opt.zero_grad()
                loss = _loss(ps)
                loss.backward()
                return loss

            losses.append(opt.step(closure))
        out.append((losses, ps))
    return out


@program
def lbfgs_closure_multiple_groups(torch):
    ps = _params(torch, "float64")
    opt = torch.optim.LBFGS(ps, lr=0.5, max_iter=5, history_size=3)

    def closure():
        opt.zero_grad()
        loss = _loss(ps)
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(3)]
    return losses, ps, opt.state[ps[0]]["n_iter"], opt.state[ps[0]]["func_evals"]


@program
def flags_foreach_fused_maximize(torch):
    out = []
    for kw in ({"foreach": True}, {"foreach": False}, {"fused": True}, {"maximize": True}):
        for name in ("Adam", "AdamW", "SGD"):
            ps = _params(torch)
            opt = getattr(torch.optim, name)(ps, lr=0.05, **kw)
            _train(opt, ps, 2)
            out.append((_snapshot(opt, ps), opt.param_groups[0]))
    return out


@error(RuntimeError, r"`fused` and `foreach` cannot be `True` together")
def fused_and_foreach(torch):
    torch.optim.Adam(_params(torch), fused=True, foreach=True)


# ---- schedulers with manual edits ------------------------------------------------------------
@program
def scheduler_after_manual_lr_edit(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    opt.param_groups[0]["lr"] = 0.05
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        _train(opt, ps, 1)
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, opt.param_groups[0]["initial_lr"], sched.get_last_lr(), ps


@program
def manual_lr_edit_under_scheduler(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    lrs = []
    for i in range(5):
        _train(opt, ps, 1)
        if i == 2:
            opt.param_groups[0]["lr"] = 0.5
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, sched.get_last_lr(), ps


@program
def scheduler_with_added_param_group(torch):
    ps = _params(torch)
    opt = torch.optim.SGD(ps[:1], lr=0.1)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.5**e)
    _train(opt, ps, 1)
    sched.step()
    opt.add_param_group({"params": ps[1:], "lr": 0.2})
    _train(opt, ps, 1)
    return [g["lr"] for g in opt.param_groups], [sorted(g) for g in opt.param_groups]


@program
def scheduler_before_optimizer_warns(torch):
    import warnings

    ps = _params(torch)
    opt = torch.optim.SGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched.step()
        _train(opt, ps, 1)
    words = [("lr_scheduler.step()" in str(w.message)) for w in caught]
    return any(words), opt.param_groups[0]["lr"], ps


@program
def reduce_on_plateau_with_two_groups(torch):
    ps = _params(torch)
    opt = torch.optim.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.5}], lr=0.1)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5,
                                                       min_lr=[0.01, 0.2])  # fmt: skip
    lrs = []
    for _ in range(5):
        _train(opt, ps, 1)
        sched.step(1.0)
        lrs.append([g["lr"] for g in opt.param_groups])
    return lrs, ps


# ---- several optimizers, deepcopy, GradScaler ------------------------------------------------
@program
def two_optimizers_disjoint_parts(torch):
    model = _mlp(torch)
    opt1 = torch.optim.Adam(model[0].parameters(), lr=0.01)
    opt2 = torch.optim.SGD(model[2].parameters(), lr=0.1, momentum=0.9)
    for i in range(4):
        opt1.zero_grad()
        opt2.zero_grad()
        _mlp_loss(torch, model).backward()
        opt1.step()
        if i % 2 == 0:
            opt2.step()
    return list(model.parameters()), opt1.state_dict(), opt2.state_dict()


@program
def deepcopy_optimizer(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    _train(opt, ps, 2)
    clone = copy.deepcopy(opt)
    qs = clone.param_groups[0]["params"]
    _train(opt, ps, 1)
    _train(clone, qs, 2)
    return _snapshot(opt, ps), _snapshot(clone, qs), qs[0] is ps[0]


@program
def deepcopy_model_and_optimizer_together(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    _mlp_loss(torch, model).backward()
    opt.step()
    model2, opt2 = copy.deepcopy((model, opt))
    for m, o in ((model, opt), (model2, opt2)):
        o.zero_grad()
        _mlp_loss(torch, m).backward()
        o.step()
    same = [a is b for a, b in zip(model2.parameters(), opt2.param_groups[0]["params"])]
    return list(model.parameters()), list(model2.parameters()), same


@program
def grad_scaler_unscale_clip_step(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    norms = []
    for _ in range(3):
        opt.zero_grad()
        scaler.scale(_mlp_loss(torch, model)).backward()
        scaler.unscale_(opt)
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), 0.05))
        scaler.step(opt)
        scaler.update()
    return list(model.parameters()), norms, scaler.get_scale()


@program
def grad_scaler_skips_inf_step(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=1)
    scales = []
    for i in range(3):
        opt.zero_grad()
        scaler.scale(_loss(ps)).backward()
        if i == 1:
            ps[0].grad[0] = float("inf")
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    return _snapshot(opt, ps), scales


# ---- errors ----------------------------------------------------------------------------------
@error(ValueError, r"some parameters appear in more than one parameter group")
def add_param_group_existing_param(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.1)
    opt.add_param_group({"params": ps[1]})


@error(ValueError, r"can't optimize a non-leaf Tensor")
def non_leaf_param(torch):
    p = torch.nn.Parameter(torch.ones(2))
    torch.optim.SGD([p * 2], lr=0.1)


@error(TypeError, r"optimizer can only optimize Tensors")
def non_tensor_param(torch):
    torch.optim.SGD([1.0], lr=0.1)


@error(ValueError, r"Invalid learning rate: -0.1")
def negative_lr(torch):
    torch.optim.Adam(_params(torch), lr=-0.1)


@error(ValueError, r"Invalid beta parameter at index 1")
def bad_beta(torch):
    torch.optim.AdamW(_params(torch), betas=(0.9, 1.0))


@error(ValueError, r"optimizer got an empty parameter list")
def empty_params(torch):
    torch.optim.SGD([], lr=0.1)


@error(TypeError, r"params argument given to the optimizer should be an iterable of Tensors")
def single_tensor_params(torch):
    torch.optim.SGD(_params(torch)[0], lr=0.1)


@error(TypeError, r"ordered collections")
def set_of_params(torch):
    ps = _params(torch)
    torch.optim.SGD(ps[:1], lr=0.1).add_param_group({"params": set(ps[1:])})


@error(ValueError, r"parameter group didn't specify a value of required optimization parameter")
def missing_required_lr(torch):
    Optimizer = torch.optim.Optimizer
    required = importlib.import_module(f"{torch.__name__}.optim.optimizer").required

    class MyOpt(Optimizer):
        def __init__(self, params, lr=required):
            super().__init__(params, dict(lr=lr))

    MyOpt(_params(torch))


# ---- round 2: state order, custom optimizers, checkpoints -------------------------------------
@program
def state_order_follows_first_step(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    (ps[1] ** 2).sum().backward()
    opt.step()
    _train(opt, ps, 2)
    sd = opt.state_dict()
    return list(sd["state"]), sd


@program
def state_order_mixed_dtypes_interleaved(torch):
    rng = np.random.default_rng(1)
    ps = [torch.nn.Parameter(torch.tensor(rng.standard_normal(3).astype(dt)))
          for dt in ("float32", "float64", "float32", "float64")]  # fmt: skip
    opt = torch.optim.SGD(ps, lr=0.05, momentum=0.9)
    _train(opt, ps, 2)
    sd = opt.state_dict()
    return list(sd["state"]), sd, list(opt.state.values())


@program
def state_order_two_groups_mixed_dtypes(torch):
    rng = np.random.default_rng(2)
    ps = [torch.nn.Parameter(torch.tensor(rng.standard_normal(2).astype(dt)))
          for dt in ("float64", "float32", "float64", "float32")]  # fmt: skip
    opt = torch.optim.Adam([{"params": ps[:2]}, {"params": ps[2:], "lr": 0.1}], lr=0.05)
    _train(opt, ps, 2)
    return list(opt.state_dict()["state"]), list(opt.state_dict()["state"].values())


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(4\)")
def load_state_dict_of_other_shapes_then_step(torch):
    ps = _params(torch, shapes=((3,), (4,)))
    opt = torch.optim.Adam(ps, lr=0.1)
    _train(opt, ps, 1)
    qs = _params(torch, shapes=((4,), (3,)))
    opt2 = torch.optim.Adam(qs, lr=0.1)
    opt2.load_state_dict(opt.state_dict())
    _train(opt2, qs, 1)


@error(ValueError, r"lr as a Tensor is not supported for capturable=False and foreach=True")
def lr_tensor_with_foreach(torch):
    torch.optim.Adam(_params(torch), lr=torch.tensor(0.01), foreach=True)


@error(ValueError, r"Tensor lr must be 1-element")
def lr_tensor_of_two_elements(torch):
    torch.optim.SGD(_params(torch), lr=torch.tensor([0.1, 0.2]))


class _Custom:
    """A user-written optimizer, as in tutorials: state made lazily, updated in place."""

    @staticmethod
    def make(torch):
        class MomentumSGD(torch.optim.Optimizer):
            def __init__(self, params, lr=0.01, momentum=0.9):
                super().__init__(params, dict(lr=lr, momentum=momentum))

            @torch.no_grad()
            def step(self, closure=None):
                loss = None
                if closure is not None:
                    with torch.enable_grad():
                        loss = closure()
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        if len(state) == 0:
                            state["step"] = 0
                            state["buf"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                        state["step"] += 1
                        buf = state["buf"]
                        buf.mul_(group["momentum"]).add_(p.grad)
                        p.add_(buf, alpha=-group["lr"])
                return loss

        return MomentumSGD


@program
def custom_optimizer_with_scheduler_and_state_dict(torch):
    MomentumSGD = _Custom.make(torch)
    ps = _params(torch)
    opt = MomentumSGD(ps, lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    lrs = []
    for _ in range(3):
        _train(opt, ps, 1)
        sched.step()
        lrs.append(sched.get_last_lr())
    sd = opt.state_dict()
    opt2 = MomentumSGD(ps, lr=0.5)
    opt2.load_state_dict(sd)
    _train(opt2, ps, 2)
    return ps, lrs, opt2.state_dict(), repr(opt2).splitlines()


@program
def custom_optimizer_step_hooks_and_closure(torch):
    MomentumSGD = _Custom.make(torch)
    ps = _params(torch)
    opt = MomentumSGD(ps, lr=0.1)
    seen = []
    opt.register_step_post_hook(lambda o, a, k: seen.append(len(a)))

    def closure():
        opt.zero_grad()
        loss = _loss(ps)
        loss.backward()
        return loss

    losses = [opt.step(closure) for _ in range(2)]
    return losses, seen, ps


@program
def checkpoint_through_save_load(torch):
    import io

    model = _mlp(torch)
    opt = torch.optim.AdamW(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.7)
    for _ in range(2):
        opt.zero_grad()
        _mlp_loss(torch, model).backward()
        opt.step()
        sched.step()
    buf = io.BytesIO()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict()}, buf)  # fmt: skip
    buf.seek(0)
    ck = torch.load(buf)
    torch.manual_seed(3)
    model2 = _mlp(torch)
    model2.load_state_dict(ck["model"])
    opt2 = torch.optim.AdamW(model2.parameters(), lr=0.01)
    opt2.load_state_dict(ck["opt"])
    sched2 = torch.optim.lr_scheduler.StepLR(opt2, 1, gamma=0.7)
    sched2.load_state_dict(ck["sched"])
    for m, o, s in ((model, opt, sched), (model2, opt2, sched2)):
        for _ in range(2):
            o.zero_grad()
            _mlp_loss(torch, m).backward()
            o.step()
            s.step()
    return (
        list(model2.parameters()),
        opt2.state_dict(),
        sched2.get_last_lr(),
        [(a - b).abs().max() for a, b in zip(model.parameters(), model2.parameters())],
    )


@program
def load_state_dict_partial_state(torch):
    ps = _params(torch)
    opt = torch.optim.Adam(ps, lr=0.05)
    (ps[0] ** 2).sum().backward()
    opt.step()
    sd = opt.state_dict()
    qs = _params(torch)
    opt2 = torch.optim.Adam(qs, lr=0.05)
    opt2.load_state_dict(sd)
    _train(opt2, qs, 2)
    return _snapshot(opt2, qs), list(opt2.state_dict()["state"])


@program
def lbfgs_state_dict_round_trip(torch):
    ps = _params(torch, "float64")
    opt = torch.optim.LBFGS(ps, lr=0.5, max_iter=3, history_size=3)

    def closure(o, q):
        def run():
            o.zero_grad()
            loss = _loss(q)
            loss.backward()
            return loss

        return run

    opt.step(closure(opt, ps))
    qs = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    opt2 = torch.optim.LBFGS(qs, lr=0.5, max_iter=3, history_size=3)
    opt2.load_state_dict(copy.deepcopy(opt.state_dict()))
    opt.step(closure(opt, ps))
    opt2.step(closure(opt2, qs))
    return ps, qs, opt2.state[qs[0]]["n_iter"]


@program
def model_double_after_optimizer(torch):
    model = _mlp(torch)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    model.double()
    x = torch.linspace(-1, 1, 15, dtype=torch.float64).reshape(5, 3)
    for _ in range(3):
        opt.zero_grad()
        ((model(x) - 0.5) ** 2).mean().backward()
        opt.step()
    return list(model.parameters()), opt.state_dict()["state"]


@program
def maximize_toggled_mid_training(torch):
    ps = _params(torch)
    opt = torch.optim.RMSprop(ps, lr=0.01, momentum=0.5)
    _train(opt, ps, 2)
    opt.param_groups[0]["maximize"] = True
    _train(opt, ps, 2)
    return _snapshot(opt, ps)


@program
def asgd_rprop_state_contents(torch):
    out = []
    for make in (lambda q: torch.optim.ASGD(q, lr=0.05, t0=1),
                 lambda q: torch.optim.Rprop(q, lr=0.05),
                 lambda q: torch.optim.Adagrad(q, lr=0.1),
                 lambda q: torch.optim.Adadelta(q, lr=0.5)):  # fmt: skip
        ps = _params(torch)
        opt = make(ps)
        _train(opt, ps, 3)
        out.append((opt.state_dict(), ps))
    return out


@program
def named_params_add_param_group(torch):
    model = _mlp(torch)
    opt = torch.optim.Adam(model[0].named_parameters(), lr=0.01)
    opt.add_param_group({"params": list(model[2].named_parameters()), "lr": 0.1})
    _mlp_loss(torch, model).backward()
    opt.step()
    return opt.state_dict()["param_groups"], list(model.parameters())


@error(ValueError, r"all optimizer param groups should be with/without names")
def named_and_unnamed_groups(torch):
    model = _mlp(torch)
    opt = torch.optim.Adam(model[0].named_parameters(), lr=0.01)
    opt.add_param_group({"params": list(model[2].parameters())})


@program
def swa_averaged_model_with_swalr(torch):
    swa = torch.optim.swa_utils
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    avg = swa.AveragedModel(model)
    sched = swa.SWALR(opt, swa_lr=0.05, anneal_epochs=2)
    lrs = []
    for _ in range(4):
        opt.zero_grad()
        _mlp_loss(torch, model).backward()
        opt.step()
        avg.update_parameters(model)
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return list(avg.parameters()), avg.n_averaged, lrs


# ---- round 3: aliasing, betas forms, grads assigned -----------------------------------------
@program
def vector_to_parameters_then_step(torch):
    utils = torch.nn.utils
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    vec = utils.parameters_to_vector(model.parameters()) * 0.5
    utils.vector_to_parameters(vec, model.parameters())
    _mlp_loss(torch, model).backward()
    opt.step()
    return vec, utils.parameters_to_vector(model.parameters())


@program
def param_data_is_view_of_shared_buffer(torch):
    big = torch.zeros(2, 3)
    ps = [torch.nn.Parameter(torch.zeros(3)), torch.nn.Parameter(torch.zeros(3))]
    ps[0].data = big[0]
    ps[1].data = big[1]
    opt = torch.optim.Adam(ps, lr=0.1)
    _train(opt, ps, 2)
    return big, ps


@program
def model_state_dict_aliases_params(torch):
    model = _mlp(torch)
    before = model.state_dict()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for i in range(3):
        opt.zero_grad()
        _mlp_loss(torch, model).backward()
        opt.step()
        if i == 0:
            after = model.state_dict()
    return dict(before), dict(after), list(model.parameters())


@program
def model_load_state_dict_mid_training(torch):
    model = _mlp(torch)
    start = copy.deepcopy(model.state_dict())
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for i in range(4):
        opt.zero_grad()
        _mlp_loss(torch, model).backward()
        opt.step()
        if i == 1:
            model.load_state_dict(start)
    return list(model.parameters())


@program
def one_param_in_two_optimizers(torch):
    ps = _params(torch)
    opt1 = torch.optim.SGD(ps, lr=0.1, momentum=0.9)
    opt2 = torch.optim.Adam(ps[:1], lr=0.05)
    for _ in range(3):
        opt1.zero_grad()
        _loss(ps).backward()
        opt1.step()
        opt2.step()
    return _snapshot(opt1, ps), _snapshot(opt2, ps[:1])


@program
def betas_as_tensors_and_list(torch):
    out = []
    for betas in ((torch.tensor(0.8), torch.tensor(0.9)), [0.8, 0.9]):
        ps = _params(torch)
        opt = torch.optim.Adam(ps, lr=0.05, betas=betas)
        _train(opt, ps, 2)
        out.append((ps, opt.param_groups[0]["betas"]))
    return out


@error(ValueError, r"betas\[0\] as a Tensor is not supported for capturable=False")
def betas_tensor_with_foreach(torch):
    torch.optim.Adam(_params(torch), betas=(torch.tensor(0.9), torch.tensor(0.99)), foreach=True)


@error(ValueError, r"betas must be either both floats or both Tensors")
def betas_int_and_float(torch):
    torch.optim.Adam(_params(torch), betas=(0, 0.99))


@error(RuntimeError, r"attempting to assign a gradient of size '\[4\]' to a tensor of size")
def grad_of_other_shape(torch):
    p = _params(torch)[0]
    p.grad = torch.ones(4)


@error(RuntimeError, r"attempting to assign a gradient with dtype 'double' to a tensor")
def grad_of_other_dtype(torch):
    p = _params(torch)[0]
    p.grad = torch.ones(3, dtype=torch.float64)


@program
def zero_grad_keep_on_a_grad_view(torch):
    ps = _params(torch)
    big = torch.ones(7)
    ps[0].grad = big[:3]
    ps[1].grad = big[3:].view(2, 2)
    opt = torch.optim.SGD(ps, lr=0.1)
    opt.step()
    opt.zero_grad(set_to_none=False)
    return big, ps


@program
def frozen_param_with_manual_grad(torch):
    ps = _params(torch)
    ps[1].requires_grad_(False)
    opt = torch.optim.Adam(ps, lr=0.1)
    ps[1].grad = torch.ones(2, 2)
    _train(opt, ps[:1], 1)
    return ps, list(opt.state_dict()["state"])


@program
def ema_of_params_next_to_optimizer(torch):
    model = _mlp(torch)
    ema = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.AdamW(model.parameters(), lr=0.01)
    for _ in range(3):
        opt.zero_grad()
        _mlp_loss(torch, model).backward()
        opt.step()
        with torch.no_grad():
            for e, p in zip(ema, model.parameters()):
                e.mul_(0.9).add_(p, alpha=0.1)
    return ema


@pytest.mark.parametrize("name", list(SWEEP.programs))
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)
