"""Session 9 sweep (C) of the names PyTorch 2.13 has and minitorch lacked: the Adafactor and
Muon optimizers (step by step against PyTorch: values, state_dicts, resumption, errors).
Each program runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import numpy as np
import pytest
from fake_cupy import installed
from sweep_harness import Sweep

import minitorch

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
def adafactor_float16_params_weight_decay(torch):
    """float16 state and steps, computed in float32 and rounded as PyTorch's kernels."""
    p = torch.nn.Parameter(torch.linspace(-1, 1, 6).reshape(2, 3).half())
    q = torch.nn.Parameter(torch.linspace(-1, 1, 4).half())
    opt = torch.optim.Adafactor([p, q], weight_decay=0.1, lr=0.03)
    for _ in range(6):
        opt.zero_grad()
        ((p.float() - 0.3) ** 2).sum().backward()
        (q.float() ** 3).sum().backward()
        opt.step()
    return p.detach().clone(), q.detach().clone(), _state(opt)


@program
def adafactor_lerp_rounding_many_steps(torch):
    """beta2 crosses 0.5 (lerp's two formulas) and the lerp is fused as PyTorch's."""
    return _run(torch, lambda o, ps: o.Adafactor(ps, lr=0.3), [(40,), (8, 9)], steps=12)


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
def muon_float16_params(torch):
    p = torch.nn.Parameter(torch.linspace(-1, 1, 6).reshape(2, 3).half())
    opt = torch.optim.Muon([p], lr=0.03)
    for _ in range(5):
        opt.zero_grad()
        ((p.float() - 0.3) ** 2).sum().backward()
        opt.step()
    return p.detach().clone(), _state(opt)


@program
def muon_with_lr_scheduler(torch):
    ps = _params(torch, [(3, 4)])
    opt = torch.optim.Muon(ps, lr=0.5)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 4)
    out = []
    for _ in range(5):
        opt.zero_grad()
        _loss(ps).backward()
        opt.step()
        sched.step()
        out.append(ps[0].detach().clone())
    return out, sched.get_last_lr()


@error(ZeroDivisionError, r"float division by zero")
def adafactor_empty_parameter(torch):
    w = torch.nn.Parameter(torch.zeros(0, 3))
    opt = torch.optim.Adafactor([w])
    w.grad = torch.zeros(0, 3)
    opt.step()


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


# ---------------------------------------------------------------- linear_cross_entropy


def _lce_inputs(torch, n=5, c=4, k=3, out=(), dtype="float32"):
    rng = np.random.default_rng(3)
    x = torch.tensor(rng.standard_normal((n, k)).astype(dtype), requires_grad=True)
    w = torch.tensor(rng.standard_normal((c, *out, k)).astype(dtype), requires_grad=True)
    b = torch.tensor(rng.standard_normal((c, *out)).astype(dtype), requires_grad=True)
    return x, w, b


def _with_grads(loss, *tensors):
    loss.sum().backward()
    return loss, [t.grad for t in tensors]


@program
def linear_cross_entropy_class_indices_with_bias(torch):
    x, w, b = _lce_inputs(torch)
    target = torch.tensor([0, 3, 1, 1, 2])
    loss = torch.nn.functional.linear_cross_entropy(x, w, target, linear_bias=b)
    return _with_grads(loss, x, w, b)


@program
def linear_cross_entropy_weight_ignore_index_sum(torch):
    x, w, _ = _lce_inputs(torch)
    target = torch.tensor([0, 3, -100, 1, 2])
    weight = torch.tensor([1.0, 2.0, 0.5, 1.5])
    loss = torch.nn.functional.linear_cross_entropy(x, w, target, weight=weight, reduction="sum")
    return _with_grads(loss, x, w)


@program
def linear_cross_entropy_explicit_ignore_index_none_reduction(torch):
    x, w, _ = _lce_inputs(torch, dtype="float64")
    target = torch.tensor([0, 3, 2, 1, 2])
    loss = torch.nn.functional.linear_cross_entropy(
        x, w, target, reduction="none", ignore_index=2, label_smoothing=0.1
    )
    return _with_grads(loss, x, w)


@program
def linear_cross_entropy_probability_targets(torch):
    x, w, _ = _lce_inputs(torch)
    target = torch.linspace(0, 1, 20).reshape(5, 4).softmax(1)
    loss = torch.nn.functional.linear_cross_entropy(x, w, target)
    return _with_grads(loss, x, w)


@program
def linear_cross_entropy_unbatched(torch):
    x, w, b = _lce_inputs(torch, n=1)
    loss = torch.nn.functional.linear_cross_entropy(x[0], w, torch.tensor(2), linear_bias=b)
    return _with_grads(loss, w, b)


@program
def linear_cross_entropy_k_dimensional(torch):
    x, w, b = _lce_inputs(torch, out=(2, 3))
    target = torch.arange(30).reshape(5, 2, 3) % 4
    loss = torch.nn.functional.linear_cross_entropy(x, w, target, linear_bias=b)
    return _with_grads(loss, x, w, b)


@program
def linear_cross_entropy_options_chunked(torch):
    x, w, b = _lce_inputs(torch, n=7)
    target = torch.tensor([0, 3, 1, 1, 2, 0, 3])
    options = torch.nn.LinearCrossEntropyOptions(batch_chunk_size=2)
    loss = torch.nn.functional.linear_cross_entropy(x, w, target, linear_bias=b, options=options)
    none = torch.nn.functional.linear_cross_entropy(x, w, target, reduction="none", options=options)
    return _with_grads(loss, x, w, b), none.detach(), repr(options)


@program
def linear_cross_entropy_options_ignored_warns(torch):
    import warnings

    x, w, _ = _lce_inputs(torch)
    options = torch.nn.LinearCrossEntropyOptions()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = torch.nn.functional.linear_cross_entropy(
            x, w, torch.tensor([0, 3, 1, 1, 2]), label_smoothing=0.2, options=options
        )
    return loss, [str(c.message).replace("minitorch", "torch") for c in caught]


@program
def linear_cross_entropy_loss_module_training(torch):
    torch.manual_seed(0)
    model = torch.nn.Linear(6, 5)
    head = torch.nn.LinearCrossEntropyLoss(5, 4, bias=True, label_smoothing=0.05)
    opt = torch.optim.SGD([*model.parameters(), *head.parameters()], lr=0.1)
    x = torch.linspace(-1, 1, 48).reshape(8, 6)
    y = torch.tensor([0, 1, 2, 3, 3, 2, 1, 0])
    losses = []
    for _ in range(4):
        opt.zero_grad()
        loss = head(model(x).tanh(), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, dict(head.state_dict()), repr(head)


@program
def linear_cross_entropy_loss_module_k_dim_weight(torch):
    torch.manual_seed(1)
    head = torch.nn.LinearCrossEntropyLoss(
        3,
        4,
        out_features=(2,),
        bias=True,
        weight=torch.tensor([1.0, 2.0, 1.0, 0.5]),
        ignore_index=1,
    )
    x = torch.linspace(-1, 1, 15).reshape(5, 3)
    loss = head(x, torch.tensor([[0, 1], [2, 3], [3, 3], [1, 0], [2, 2]]))
    loss.backward()
    return (
        loss,
        head.linear.weight.grad,
        head.linear.bias.grad,
        [n for n, _ in head.named_buffers()],
    )


@error(RuntimeError, r"expected input with dimensionality 1 or 2, got 3")
def linear_cross_entropy_3d_input(torch):
    torch.nn.functional.linear_cross_entropy(torch.ones(2, 2, 3), torch.ones(4, 3), torch.zeros(2))


@error(RuntimeError, r"expected linear_weight with dimensionality at least 2, got 1")
def linear_cross_entropy_1d_weight(torch):
    torch.nn.functional.linear_cross_entropy(torch.ones(2, 3), torch.ones(3), torch.zeros(2))


@error(RuntimeError, r"expected equal input and linear_weight last dimensions \(in_features\)")
def linear_cross_entropy_in_features_mismatch(torch):
    t = torch.zeros(2, dtype=torch.int64)
    torch.nn.functional.linear_cross_entropy(torch.ones(2, 3), torch.ones(4, 5), t)


@error(RuntimeError, r"expected linear_bias shape \(4,\), got \(3,\)")
def linear_cross_entropy_bias_shape(torch):
    t = torch.zeros(2, dtype=torch.int64)
    torch.nn.functional.linear_cross_entropy(
        torch.ones(2, 3), torch.ones(4, 3), t, linear_bias=torch.ones(3)
    )


@error(RuntimeError, r"requires batched input, \(N, 3\), got unbatched input")
def linear_cross_entropy_k_dim_unbatched(torch):
    t = torch.zeros(2, dtype=torch.int64)
    torch.nn.functional.linear_cross_entropy(torch.ones(3), torch.ones(4, 2, 3), t)


@error(RuntimeError, r"ignore_index cannot be specified when target contains probabilities")
def linear_cross_entropy_probabilities_with_ignore_index(torch):
    torch.nn.functional.linear_cross_entropy(
        torch.ones(2, 3), torch.ones(4, 3), torch.ones(2, 4) / 4, ignore_index=0
    )


@error(RuntimeError, r"expected weight shape to be \(4,\), got \(3,\)")
def linear_cross_entropy_loss_weight_shape(torch):
    torch.nn.LinearCrossEntropyLoss(3, 4, weight=torch.ones(3))


@error(RuntimeError, r"expected label_smoothing to be in range \[0, 1\], got 1.5")
def linear_cross_entropy_loss_label_smoothing(torch):
    torch.nn.LinearCrossEntropyLoss(3, 4, label_smoothing=1.5)


@error(ValueError, r"invalid acc_policy: 'fast'")
def linear_cross_entropy_options_acc_policy(torch):
    torch.nn.LinearCrossEntropyOptions(acc_policy="fast")


@error(ValueError, r"invalid chunking_method: 'aspect_ratio:0'")
def linear_cross_entropy_options_chunking_method(torch):
    torch.nn.LinearCrossEntropyOptions(chunking_method="aspect_ratio:0")


@error(ValueError, r"batch_chunk_size must be positive int or None, got 0")
def linear_cross_entropy_options_chunk_size(torch):
    torch.nn.LinearCrossEntropyOptions(batch_chunk_size=0)


@error(ValueError, r"acc_dtype must be one of")
def linear_cross_entropy_options_acc_dtype(torch):
    torch.nn.LinearCrossEntropyOptions(acc_dtype=torch.int32)


# ---------------------------------------------------------------- swap_tensors, memory formats


@program
def swap_tensors_parameter_and_tensor(torch):
    a = torch.nn.Parameter(torch.ones(2))
    b = torch.zeros(3)
    torch.utils.swap_tensors(a, b)
    return type(a).__name__, a, type(b).__name__, b


@program
def swap_tensors_module_weight_keeps_identity(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 3)
    w = m.weight
    torch.utils.swap_tensors(m.weight, torch.nn.Parameter(torch.full((3, 2), 0.5)))
    loss = m(torch.ones(1, 2)).sum()
    loss.backward()
    return w is m.weight, m.weight, m.weight.grad, loss


@error(RuntimeError, r"Cannot swap t1 because it has weakref associated with it")
def swap_tensors_weakref(torch):
    import weakref

    a, b = torch.ones(2), torch.zeros(2)
    ref = weakref.ref(a)  # noqa: F841  (the live weakref is the point)
    torch.utils.swap_tensors(a, b)


@program
def convert_conv2d_weight_memory_format_nested(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3),
        torch.nn.ReLU(),
        torch.nn.Sequential(torch.nn.ConvTranspose2d(4, 2, 2)),
    )
    out = torch.nn.utils.convert_conv2d_weight_memory_format(m, torch.channels_last)
    x = torch.linspace(-1, 1, 150).reshape(2, 3, 5, 5)
    return (out is m, m[0].weight.stride(), m[2][0].weight.stride(), type(m[0].weight).__name__,
            m[0].weight.is_contiguous(memory_format=torch.channels_last), m(x))  # fmt: skip


@program
def convert_conv3d_weight_memory_format(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Conv3d(2, 3, 2), torch.nn.Conv2d(1, 1, 1))
    torch.nn.utils.convert_conv3d_weight_memory_format(m, torch.channels_last_3d)
    return m[0].weight.stride(), m[1].weight.stride(), m[0].weight


# ---------------------------------------------------------------- CrossMapLRN2d


def _lrn(torch, size, channels, dtype="float32", **kw):
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((2, channels, 3, 2)).astype(dtype), requires_grad=True)
    g = torch.tensor(rng.standard_normal((2, channels, 3, 2)).astype(dtype))
    y = torch.nn.CrossMapLRN2d(size, **kw)(x)
    y.backward(g)
    return y, x.grad


@program
def cross_map_lrn2d_defaults(torch):
    return _lrn(torch, 5, 8)


@program
def cross_map_lrn2d_float64_channel_zero_kept_in_the_window(torch):
    """PyTorch's running sum never drops channel 0; its gradient uses its own window."""
    return _lrn(torch, 3, 7, "float64", alpha=0.5, beta=0.75, k=1.5)


@program
def cross_map_lrn2d_even_size_and_few_channels(torch):
    return _lrn(torch, 4, 7, "float64", alpha=0.3), _lrn(torch, 6, 2, "float64", alpha=0.3)


@program
def cross_map_lrn2d_in_a_model(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 6, 3), torch.nn.CrossMapLRN2d(3, alpha=0.1))
    x = torch.linspace(-1, 1, 50).reshape(1, 2, 5, 5)
    model(x).square().sum().backward()
    return model(x), model[0].weight.grad, repr(model)


@error(ValueError, r"CrossMapLRN2d: Expected input to be 4D, got 3D instead.")
def cross_map_lrn2d_3d_input(torch):
    torch.nn.CrossMapLRN2d(3)(torch.ones(2, 3, 4))


@error(RuntimeError, r"start \(1\) \+ length \(3\) exceeds dimension size \(3\)")
def cross_map_lrn2d_size_one_backward(torch):
    _lrn(torch, 1, 3)


@pytest.mark.parametrize("name", list(SWEEP.programs))
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


def test_optimizers_exported_as_in_pytorch():
    assert {"Adafactor", "Muon"} <= set(minitorch.optim.__all__)
    assert {"LinearCrossEntropyLoss", "LinearCrossEntropyOptions"} <= set(
        minitorch.nn.modules.__all__
    )


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_device_arrays_stay_on_the_device(dtype):
    """On tests/fake_cupy.py's device (which refuses host arrays mixed in), the optimizers,
    linear_cross_entropy and CrossMapLRN2d give the CPU's numbers."""

    def run(device):
        dt = getattr(minitorch, dtype)
        rng = np.random.default_rng(0)
        shapes = [(4, 5), (3,), (2, 3, 4), (6, 3)]
        ps = [minitorch.nn.Parameter(minitorch.tensor(rng.standard_normal(s), dtype=dt, device=device))
              for s in shapes]  # fmt: skip
        opts = [minitorch.optim.Adafactor(ps[:3], weight_decay=0.1), minitorch.optim.Muon(ps[3:])]
        for _ in range(3):
            for o in opts:
                o.zero_grad()
            sum(((p - 0.3) ** 2).sum() for p in ps).backward()
            for o in opts:
                o.step()
        x = minitorch.linspace(-1, 1, 15, device=device, dtype=dt).reshape(5, 3).requires_grad_()
        w = minitorch.linspace(-1, 1, 12, device=device, dtype=dt).reshape(4, 3)
        target = minitorch.tensor([0, 1, 2, 3, 0], device=device)
        minitorch.nn.functional.linear_cross_entropy(x, w, target).backward()
        z = minitorch.linspace(-1, 1, 48, device=device, dtype=dt).reshape(2, 6, 2, 2)
        z.requires_grad_()
        y = minitorch.nn.CrossMapLRN2d(3, alpha=0.5)(z)
        y.sum().backward()
        return [t.detach().cpu().numpy() for t in (*ps, x.grad, y, z.grad)]

    expected = run("cpu")
    with installed():
        actual = run("cuda")
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)
