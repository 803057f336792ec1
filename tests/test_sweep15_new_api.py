"""Session 9 sweep (C) of the names PyTorch 2.13 has and minitorch lacked: the Adafactor and
Muon optimizers (step by step against PyTorch: values, state_dicts, resumption, errors).
Each program runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import numpy as np
import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _params(torch, shapes, dtype="float32", seed=1):
    rng = np.random.default_rng(seed)
    return [torch.nn.Parameter(torch.tensor(rng.standard_normal(s).astype(dtype))) for s in shapes]


def _loss(ps):
    """Different curvature per element, so adaptive optimizers differ per element."""
    return sum(((p - 0.3) ** 2 * (1 + i) + p.sin()).sum() for i, p in enumerate(ps))


def _train(opt, ps, steps=5):
    for _ in range(steps):
        opt.zero_grad()
        _loss(ps).backward()
        opt.step()
    return [p.detach().clone() for p in ps]


def _state(opt):
    """The optimizer's state_dict with tensors cloned."""
    sd = opt.state_dict()
    state = {k: {n: v.clone() for n, v in s.items()} for k, s in sd["state"].items()}
    return state, sd["param_groups"]


def _run(torch, make, shapes, dtype="float32", steps=5):
    ps = _params(torch, shapes, dtype)
    opt = make(torch.optim, ps)
    return _train(opt, ps, steps), _state(opt)


# ---------------------------------------------------------------- Adafactor


@program
def adafactor_defaults_vector_matrix_stack_scalar(torch):
    return _run(torch, lambda o, ps: o.Adafactor(ps), [(3,), (4, 5), (2, 3, 4), ()], steps=7)


@program
def adafactor_lr_weight_decay_maximize(torch):
    make = lambda o, ps: o.Adafactor(ps, lr=0.1, weight_decay=0.05, maximize=True)  # noqa: E731
    return _run(torch, make, [(5,), (3, 2)])


@program
def adafactor_eps_d_beta2_decay(torch):
    make = lambda o, ps: o.Adafactor(ps, eps=(1e-6, 1e-2), d=2.0, beta2_decay=-0.5)  # noqa: E731
    return _run(torch, make, [(6,), (2, 2, 3)])


@program
def adafactor_float64(torch):
    return _run(torch, lambda o, ps: o.Adafactor(ps, lr=0.05), [(4,), (3, 3)], "float64")


@program
def adafactor_tall_and_wide_4d(torch):
    return _run(torch, lambda o, ps: o.Adafactor(ps), [(7, 2), (1, 2, 2, 5)])


@program
def adafactor_foreach_flag_same_numbers(torch):
    return _run(torch, lambda o, ps: o.Adafactor(ps, foreach=False), [(3,), (2, 4)])


@program
def adafactor_tensor_lr(torch):
    return _run(torch, lambda o, ps: o.Adafactor(ps, lr=torch.tensor(0.02)), [(3,), (2, 4)])


@program
def adafactor_param_groups_and_missing_grad(torch):
    ps = _params(torch, [(3,), (2, 3), (4,)])
    opt = torch.optim.Adafactor([{"params": ps[:2]}, {"params": ps[2:], "lr": 0.1}])
    for _ in range(3):
        opt.zero_grad()
        _loss(ps[:2]).backward()  # ps[2] has no gradient: no state, not moved
        opt.step()
    return [p.detach().clone() for p in ps], _state(opt), len(opt.state)


@program
def adafactor_state_dict_resume(torch):
    ps = _params(torch, [(3,), (3, 4)])
    opt = torch.optim.Adafactor(ps, weight_decay=0.01)
    _train(opt, ps, 3)
    saved = opt.state_dict()
    ps2 = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    opt2 = torch.optim.Adafactor(ps2, weight_decay=0.01)
    opt2.load_state_dict(saved)
    return _train(opt, ps, 3), _train(opt2, ps2, 3), _state(opt2)


@program
def adafactor_linear_model_training(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    opt = torch.optim.Adafactor(model.parameters(), lr=0.05)
    x = torch.linspace(-2, 2, 24).reshape(6, 4)
    y = torch.tensor([0, 1, 1, 0, 1, 0])
    losses = []
    for _ in range(6):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, [p.detach() for p in model.parameters()]


@program
def adafactor_zero_grad_and_zero_param(torch):
    p = torch.nn.Parameter(torch.zeros(2, 3))
    opt = torch.optim.Adafactor([p])
    p.grad = torch.zeros(2, 3)
    opt.step()
    return p.detach().clone(), _state(opt)


@program
def adafactor_repr(torch):
    return repr(torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))]))


@error(ValueError, r"Learning rate should be >= 0 but is: -0.1")
def adafactor_negative_lr(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], lr=-0.1)


@error(ValueError, r"beta2_decay should be <= 0 but is: 0.5")
def adafactor_positive_beta2_decay(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], beta2_decay=0.5)


@error(ValueError, r"epsilon1 should be >= 0 but is: -1")
def adafactor_negative_eps1(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], eps=(-1.0, 1e-3))


@error(ValueError, r"epsilon2 should be >= 0 but is: -1")
def adafactor_negative_eps2(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], eps=(None, -1.0))


@error(ValueError, r"Clipping threshold d should be >= 1 but is: 0.5")
def adafactor_small_d(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], d=0.5)


@error(ValueError, r"weight_decay should be >= 0 but is: -0.1")
def adafactor_negative_weight_decay(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], weight_decay=-0.1)


@error(ValueError, r"Tensor lr must be 1-element")
def adafactor_tensor_lr_two_elements(torch):
    torch.optim.Adafactor([torch.nn.Parameter(torch.ones(2))], lr=torch.tensor([0.1, 0.2]))


# ---------------------------------------------------------------- Muon


@program
def muon_defaults_wide_and_tall(torch):
    return _run(torch, lambda o, ps: o.Muon(ps), [(4, 6), (7, 3), (5, 5)], steps=6)


@program
def muon_no_nesterov_lr_weight_decay(torch):
    make = lambda o, ps: o.Muon(ps, lr=0.02, weight_decay=0.0, nesterov=False)  # noqa: E731
    return _run(torch, make, [(3, 8), (6, 2)])


@program
def muon_adjust_lr_match_rms_adamw(torch):
    make = lambda o, ps: o.Muon(ps, lr=0.01, adjust_lr_fn="match_rms_adamw")  # noqa: E731
    return _run(torch, make, [(3, 8), (9, 2)])


@program
def muon_adjust_lr_original_momentum_ns_steps(torch):
    make = lambda o, ps: o.Muon(ps, adjust_lr_fn="original", momentum=0.8, ns_steps=3)  # noqa: E731
    return _run(torch, make, [(8, 3)])


@program
def muon_custom_coefficients_eps(torch):
    make = lambda o, ps: o.Muon(ps, ns_coefficients=(2.0, -1.5, 0.5), eps=1e-5)  # noqa: E731
    return _run(torch, make, [(4, 4), (2, 5)])


@program
def muon_float64_params(torch):
    return _run(torch, lambda o, ps: o.Muon(ps, lr=0.05), [(3, 4)], "float64")


@program
def muon_state_dict_resume(torch):
    ps = _params(torch, [(3, 5), (4, 2)])
    opt = torch.optim.Muon(ps, lr=0.02)
    _train(opt, ps, 2)
    saved = opt.state_dict()
    ps2 = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    opt2 = torch.optim.Muon(ps2, lr=0.02)
    opt2.load_state_dict(saved)
    return _train(opt, ps, 3), _train(opt2, ps2, 3), _state(opt2)


@program
def muon_hidden_weights_with_adamw_for_the_rest(torch):
    """The usual recipe: Muon for the hidden matrices, AdamW for biases and the head."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    hidden = [model[0].weight]
    rest = [model[0].bias, model[2].weight, model[2].bias]
    opts = [torch.optim.Muon(hidden, lr=0.02), torch.optim.AdamW(rest, lr=1e-2)]
    x = torch.linspace(-1, 1, 40).reshape(8, 5)
    y = torch.arange(8) % 3
    losses = []
    for _ in range(5):
        for o in opts:
            o.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        for o in opts:
            o.step()
        losses.append(loss.item())
    return losses, [p.detach() for p in model.parameters()]


@program
def muon_zero_gradient(torch):
    p = torch.nn.Parameter(torch.ones(2, 3))
    opt = torch.optim.Muon([p])
    p.grad = torch.zeros(2, 3)
    opt.step()
    return p.detach().clone(), _state(opt)


@error(ValueError, r"Muon only supports 2D parameters whereas we found a parameter with size")
def muon_rejects_vector(torch):
    torch.optim.Muon([torch.nn.Parameter(torch.ones(3))])


@error(ValueError, r"Muon only supports 2D parameters whereas we found a parameter with size")
def muon_rejects_conv_weight(torch):
    torch.optim.Muon(torch.nn.Conv2d(2, 3, 3).parameters())


@error(ValueError, r"Adjust learning rate function spectral is not supported")
def muon_bad_adjust_lr_fn(torch):
    torch.optim.Muon([torch.nn.Parameter(torch.ones(2, 2))], adjust_lr_fn="spectral")


@error(ValueError, r"Learning rate should be >= 0 but is: -1")
def muon_negative_lr(torch):
    torch.optim.Muon([torch.nn.Parameter(torch.ones(2, 2))], lr=-1.0)


@error(ValueError, r"momentum should be >= 0 but is: -0.5")
def muon_negative_momentum(torch):
    torch.optim.Muon([torch.nn.Parameter(torch.ones(2, 2))], momentum=-0.5)


@error(ValueError, r"weight decay should be >= 0 but is: -0.5")
def muon_negative_weight_decay(torch):
    torch.optim.Muon([torch.nn.Parameter(torch.ones(2, 2))], weight_decay=-0.5)


@error(ValueError, r"Number of steps must be less than 100 for computational efficiency")
def muon_too_many_ns_steps(torch):
    p = torch.nn.Parameter(torch.ones(2, 2))
    opt = torch.optim.Muon([p], ns_steps=100)
    p.grad = torch.ones(2, 2)
    opt.step()


@error(ValueError, r"Coefficients must be a tuple of exactly 3 values")
def muon_two_coefficients(torch):
    p = torch.nn.Parameter(torch.ones(2, 2))
    opt = torch.optim.Muon([p], ns_coefficients=(1.0, 2.0))
    p.grad = torch.ones(2, 2)
    opt.step()


@pytest.mark.parametrize("name", list(SWEEP.programs))
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


def test_optimizers_exported_as_in_pytorch():
    import minitorch

    assert {"Adafactor", "Muon"} <= set(minitorch.optim.__all__)
    assert minitorch.optim.Adafactor.__module__ == "minitorch.optim.adafactor"
