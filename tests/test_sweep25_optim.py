"""Sweep 25 (optimizer and LR-scheduler fuzzing): one focused program per divergence that the
random programs of tests/test_fuzz_optim.py found. Each program runs with PyTorch 2.13 (the
oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import copy

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _two_groups_after(torch, make_scheduler, opt_cls=None, **opt_kwargs):
    """An optimizer of one group, a scheduler on it, then a second group added."""
    x = torch.ones(2, requires_grad=True)
    opt = (opt_cls or torch.optim.SGD)([x], lr=0.1, **opt_kwargs)
    sched = make_scheduler(torch, opt)
    x.grad = torch.ones(2)
    opt.step()
    opt.add_param_group({"params": [torch.zeros(3, requires_grad=True)], "lr": 0.05})
    sched.step()
    return [g["lr"] for g in opt.param_groups]


@program
def step_lr_after_add_param_group(torch):
    # StepLR reads the groups' lrs only: the added group decays too
    return _two_groups_after(torch, lambda t, o: t.optim.lr_scheduler.StepLR(o, 1, gamma=0.5))


@error(ValueError, r"^zip\(\) argument 2 is shorter than argument 1")
def lambda_lr_after_add_param_group(torch):
    _two_groups_after(torch, lambda t, o: t.optim.lr_scheduler.LambdaLR(o, lambda e: 0.9**e))


@error(ValueError, r"^zip\(\) argument 2 is longer than argument 1")
def multiplicative_lr_after_add_param_group(torch):
    # its lambdas (one per group it was made with) are zipped with the groups
    _two_groups_after(torch, lambda t, o: t.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.9))


@error(ValueError, r"^zip\(\) argument 2 is shorter than argument 1")
def cosine_warm_restarts_after_add_param_group(torch):
    _two_groups_after(
        torch, lambda t, o: t.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2)
    )


@error(ValueError, r"^zip\(\) argument 2 is shorter than argument 1")
def cyclic_lr_momentum_after_add_param_group(torch):
    # the momentums are computed first, then zipped with the groups
    _two_groups_after(
        torch,
        lambda t, o: t.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=2),
        momentum=0.9,
    )


@program
def cosine_annealing_after_add_param_group(torch):
    # away from the bottom of the cosine PyTorch reads the groups only: no error
    return _two_groups_after(torch, lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, 4))


@program
def asgd_float64_parameter_loaded_eta_and_mu(torch):
    # loading casts eta and mu to the float64 parameter's dtype, but PyTorch computes their
    # new values as tensors of the default dtype: float32 values (minitorch: float64 ones)
    p = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.ASGD([p], lr=0.05, lambd=0.1, t0=1.0)
    out = []
    for i in range(4):
        p.grad = p.detach() * (i + 1) + 0.25
        opt.step()
        if i == 1:
            new = torch.optim.ASGD([p], lr=0.05, lambd=0.1, t0=1.0)
            new.load_state_dict(copy.deepcopy(opt.state_dict()))
            opt = new
        out.append(p.clone())
    st = opt.state[p]
    return out, st["eta"], st["mu"], st["ax"]


@program
def asgd_eta_of_a_parameter_that_skipped_a_step(torch):
    # two parameters with the same step count but different eta (one skipped a step while
    # the scheduler changed the lr) were updated with one eta
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([0.5, -1.0], requires_grad=True)
    opt = torch.optim.ASGD([a, b], lr=0.5, lambd=0.5)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)
    for skip in (a, b, None):
        for p in (a, b):
            p.grad = None if p is skip else torch.ones_like(p)
        opt.step()
        sched.step()
    return a, b, opt.state[a]["eta"], opt.state[b]["eta"]


@program
def nadam_mu_product_of_a_parameter_that_skipped_a_step(torch):
    # mu_product follows each step's beta1: with OneCycleLR cycling the momentum, two
    # parameters with the same step count differ (they were updated with one product)
    a = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.NAdam([a, b], lr=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=6)
    for skip in (a, b, None, None):
        for p in (a, b):
            p.grad = None if p is skip else torch.ones_like(p)
        opt.step()
        sched.step()
    return a, b, opt.state[a]["mu_product"], opt.state[b]["mu_product"]


@program
def nadam_loaded_float64_mu_product_beside_a_float32_one(torch):
    # a float64 parameter's loaded mu_product is float64 (multiplied in float64), that of one
    # first stepped after loading is float32: at the same step count they shared a bucket
    # and one product
    a = torch.tensor(0.75, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(-0.5, dtype=torch.float64, requires_grad=True)
    c = torch.tensor([[1.0, -2.0, 0.5], [0.25, 3.0, -1.5]], dtype=torch.float64)
    c.requires_grad_()

    def make():
        group = {"params": [a, b, c], "betas": (0.5, 0.9), "eps": 1e-3, "weight_decay": 0.1}
        return torch.optim.NAdam([group], lr=0.1)

    opt = make()
    for k, skip in enumerate((c, b, None)):
        for p in (a, b, c):
            p.grad = None if p is skip else p.detach() * 2 + 1
        opt.step()
        if k == 0:
            new = make()
            new.load_state_dict(opt.state_dict())
            opt = new
    return a, b, c, opt.state[b]["mu_product"], opt.state[c]["mu_product"]


@program
def adafactor_group_added_after_load_state_dict(torch):
    # loading runs PyTorch's __setstate__, which gives the defaults 'differentiable': a
    # group added afterwards has the key (Adafactor, LBFGS and Muon lack it before)
    x = torch.ones(2, 2, requires_grad=True)
    opt = torch.optim.Adafactor([x])
    before = list(opt.defaults)
    opt.load_state_dict(opt.state_dict())
    opt.add_param_group({"params": [torch.zeros(3, requires_grad=True)]})
    return before, list(opt.defaults), list(opt.param_groups[1])


def _lbfgs(torch, params, **kwargs):
    opt = torch.optim.LBFGS(params, **kwargs)

    def closure():
        opt.zero_grad()
        loss = sum(((p - 0.5) ** 2 * 3 + p.sin()).sum() for p in params)
        loss.backward()
        return loss

    return opt, closure


@error(AssertionError, r"^Expected exactly one param_group, but got 2")
def lbfgs_step_after_add_param_group(torch):
    # adding a group is allowed, stepping then is PyTorch's AssertionError
    opt, closure = _lbfgs(torch, [torch.ones(3, requires_grad=True)])
    opt.add_param_group({"params": [torch.zeros(2, requires_grad=True)]})
    opt.step(closure)


@error(RuntimeError, r"^max\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
def lbfgs_of_empty_parameters(torch):
    opt, closure = _lbfgs(torch, [torch.zeros(0, requires_grad=True)])
    opt.step(closure)


@program
def lbfgs_state_scalars_keep_pytorchs_types(torch):
    # H_diag starts as the int 1; a step length the line search kept from the first
    # iteration's guess is a 0-d tensor, one it kept from an int lr stays the int
    outs = []
    for kwargs in (dict(max_iter=1), dict(max_iter=1, line_search_fn="strong_wolfe")):
        p = torch.tensor([1.5, -0.5, 2.0], dtype=torch.float64, requires_grad=True)
        opt, closure = _lbfgs(torch, [p], **kwargs)
        opt.step(closure)
        state = opt.state[p]
        outs += [state["H_diag"], state["t"], p.detach().clone()]
    p = torch.tensor([1.5, -0.5, 2.0], dtype=torch.float64, requires_grad=True)
    opt, closure = _lbfgs(torch, [p], max_iter=4, line_search_fn="strong_wolfe")
    opt.step(closure)
    return outs, opt.state[p]["t"], p


@program
def fused_step_counters_are_float32_under_a_float64_default(torch):
    # PyTorch's fused kernels take float32 step counts whatever the default dtype
    prev = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        steps = []
        for cls in (torch.optim.Adam, torch.optim.AdamW, torch.optim.Adagrad):
            x = torch.ones(3, requires_grad=True)
            y = torch.ones(2, requires_grad=True)
            opt = cls([{"params": [x], "fused": True}, {"params": [y]}], lr=0.1)
            x.grad, y.grad = torch.ones(3), torch.ones(2)
            opt.step()
            steps += [opt.state[x]["step"], opt.state[y]["step"], x, y]
        return steps
    finally:
        torch.set_default_dtype(prev)


@program
def tensor_lr_shared_by_groups_after_load_state_dict(torch):
    # the optimizer's default tensor lr is one tensor in every group; loading deep-copies the
    # groups' options at once, so they still share it: ReduceLROnPlateau's in-place update
    # of group 0 is seen (and applied again) by group 1
    x = torch.ones(2, requires_grad=True)
    y = torch.ones(3, requires_grad=True)
    opt = torch.optim.RMSprop([{"params": [x]}, {"params": [y]}], lr=torch.tensor(0.01))
    new = torch.optim.RMSprop([{"params": [x]}, {"params": [y]}], lr=torch.tensor(0.01))
    new.load_state_dict(opt.state_dict())
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(new, factor=0.1, patience=0)
    lrs = []
    for metric in (1.0, 2.0, 3.0):
        x.grad, y.grad = torch.ones(2), torch.ones(3)
        new.step()
        sched.step(metric)
        lrs.append([g["lr"].clone() for g in new.param_groups])
    return lrs, new.param_groups[0]["lr"] is new.param_groups[1]["lr"], x, y


@program
def adam_float32_tensor_lr_with_float64_parameters(torch):
    # PyTorch computes lr / bias_correction1 and 1 - lr * weight_decay as 0-d float32 tensor
    # ops: the float64 parameters move by float32-rounded amounts (not with fused=True, whose
    # kernel reads the number)
    outs = []
    cases = [(torch.optim.Adam, {}), (torch.optim.AdamW, {"weight_decay": 0.1})]
    cases.append((torch.optim.AdamW, {"weight_decay": 0.1, "fused": True}))
    for cls, kwargs in cases:
        p = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
        opt = cls([p], lr=torch.tensor(0.01), betas=(0.5, 0.9), **kwargs)
        for i in range(3):
            p.grad = p.detach() * (i + 1) - 0.3
            opt.step()
        outs.append(p)
    return outs
