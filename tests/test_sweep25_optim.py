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
