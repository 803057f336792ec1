"""minitorch.utils.checkpoint and minitorch.func (grad, vjp, jvp, jacrev, jacfwd, hessian,
vmap) against PyTorch, including the per-sample-gradient and Hessian tutorial patterns."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import minitorch
from minitorch.utils.checkpoint import checkpoint, checkpoint_sequential

RNG = np.random.default_rng(0)
W1, B1 = RNG.standard_normal((8, 4)), RNG.standard_normal(8)
W2, B2 = RNG.standard_normal((3, 8)), RNG.standard_normal(3)
X = RNG.standard_normal((5, 4))


def same(a, b, tol: float = 1e-10) -> None:
    """Equal pytrees of tensors (a minitorch one and a PyTorch one): structure, shapes,
    values."""
    if isinstance(a, dict):
        assert sorted(a) == sorted(b)
        for k in a:
            same(a[k], b[k], tol)
    elif isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y, tol)
    else:
        assert tuple(a.shape) == tuple(b.shape), (a.shape, b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=tol, atol=tol)


def mlp(L, dropout: float = 0.0):
    """A float64 MLP with fixed weights (the same in both libraries)."""
    net = L.nn.Sequential(
        L.nn.Linear(4, 8), L.nn.Tanh(), L.nn.Dropout(dropout), L.nn.Linear(8, 3)
    ).double()
    with L.no_grad():
        for p, w in zip(net.parameters(), (W1, B1, W2, B2)):
            p.copy_(L.tensor(w))
    return net


def grads_of(net, x) -> list:
    return [p.grad.numpy().copy() for p in net.parameters()] + [x.grad.numpy().copy()]


# ---- checkpoint ----------------------------------------------------------------------------
@pytest.mark.parametrize("reentrant", [True, False])
def test_checkpoint_with_dropout_gives_the_gradients_of_the_plain_run(reentrant):
    net = mlp(minitorch, dropout=0.5)
    x = minitorch.tensor(X, requires_grad=True)
    minitorch.manual_seed(3)
    y = checkpoint(net, x, use_reentrant=reentrant)
    (y * y).sum().backward()
    with_checkpoint = grads_of(net, x)
    net.zero_grad()
    x.grad = None
    minitorch.manual_seed(3)
    plain = net(x)
    (plain * plain).sum().backward()
    np.testing.assert_array_equal(y.detach().numpy(), plain.detach().numpy())
    for a, b in zip(with_checkpoint, grads_of(net, x)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_checkpoint_without_preserved_rng_state_draws_new_dropout_masks():
    net = mlp(minitorch, dropout=0.5)
    x = minitorch.tensor(X, requires_grad=True)
    minitorch.manual_seed(3)
    y = checkpoint(net, x, use_reentrant=False, preserve_rng_state=False)
    (y * y).sum().backward()
    recomputed = x.grad.numpy().copy()
    x.grad = None
    minitorch.manual_seed(3)
    (net(x) ** 2).sum().backward()
    assert not np.allclose(recomputed, x.grad.numpy())


@pytest.mark.parametrize("device", ["cpu", "fake-cuda"])
def test_recomputation_draws_the_dropout_mask_of_the_forward(device):
    """The gradient of dropout(x) is the forward's mask / (1 - p): the recomputation used
    the same mask. On tests/fake_cupy.py's device, whose generator (like cupy's) cannot save
    its state, the snapshot replays a seeded stream instead."""
    import contextlib  # noqa: PLC0415

    from fake_cupy import installed  # noqa: PLC0415

    with installed() if device == "fake-cuda" else contextlib.nullcontext():
        dev = "cuda" if device == "fake-cuda" else "cpu"
        x = minitorch.rand(400, device=dev).add(0.5).requires_grad_()
        drop = minitorch.nn.Dropout(0.5)
        y = checkpoint(lambda a: drop(a) * 3, x, use_reentrant=False)
        y.sum().backward()
        kept = (y != 0).cpu().numpy()
        assert 0 < kept.sum() < 400
        np.testing.assert_array_equal(x.grad.cpu().numpy(), kept * 6.0)
        f = minitorch.func.vmap(lambda a: a + minitorch.rand(3, device=dev), randomness="same")
        same_draws = f(minitorch.zeros(4, 3, device=dev)).cpu().numpy()
        np.testing.assert_array_equal(same_draws, np.broadcast_to(same_draws[0], (4, 3)))
        with pytest.raises(RuntimeError, match="randomness error mode"):
            minitorch.func.vmap(lambda a: a + minitorch.rand(3, device=dev))(x[:6].reshape(2, 3))


def test_checkpoint_keeps_no_graph_inside_and_recomputes_once():
    calls = []
    w = minitorch.tensor(W1, requires_grad=True)

    def segment(x):
        calls.append(1)
        return ((x @ w.t()).tanh() * 2).sin()

    x = minitorch.tensor(X, requires_grad=True)
    y = checkpoint(segment, x, use_reentrant=False)
    assert len(calls) == 1
    # one node for the whole segment, straight to the leaves x and w
    edges = [type(fn).__name__ for fn, _ in y.grad_fn.next_functions if fn is not None]
    assert edges == ["AccumulateGrad"] * 2
    y.sum().backward()
    assert len(calls) == 2
    checkpointed = (x.grad.numpy().copy(), w.grad.numpy().copy())
    x.grad = w.grad = None
    segment(x).sum().backward()
    np.testing.assert_allclose(checkpointed[0], x.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(checkpointed[1], w.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("reentrant", [True, False])
def test_checkpoint_matches_pytorch(torch, reentrant):
    results = []
    for L in (minitorch, torch):
        net = mlp(L)
        x = L.tensor(X, requires_grad=True)
        y, z = L.utils.checkpoint.checkpoint(
            lambda a, scale, net=net: (net(a) * scale, a.sum()), x, 3.0, use_reentrant=reentrant
        )
        (y.pow(2).sum() + z).backward()
        results.append((y, [p.grad for p in net.parameters()] + [x.grad]))
    same(*results)


def test_checkpoint_autograd_grad_and_double_backward_match_pytorch(torch):
    results = []
    for L in (minitorch, torch):
        net = mlp(L)
        x = L.tensor(X, requires_grad=True)
        y = L.utils.checkpoint.checkpoint(net, x, use_reentrant=False)
        (gx,) = L.autograd.grad(y.pow(2).sum(), [x], create_graph=True)
        (ggx,) = L.autograd.grad(gx.pow(2).sum(), [x])
        results.append((gx, ggx))
    same(*results)


def test_checkpoint_warnings_and_errors_match_pytorch(torch):
    for L in (minitorch, torch):
        x = L.ones(3, dtype=L.float64, requires_grad=True)
        cp = L.utils.checkpoint
        with pytest.warns(UserWarning, match="the use_reentrant parameter should be passed"):
            cp.checkpoint(lambda a: a * 2, x)
        with pytest.raises(ValueError, match="Unexpected keyword arguments: foo"):
            cp.checkpoint(lambda a, foo: a * foo, x, use_reentrant=True, foo=2)
        out = cp.checkpoint(lambda a, foo: a * foo, x, use_reentrant=False, foo=2)
        assert out.tolist() == [2.0, 2.0, 2.0]
        net = mlp(L)
        with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
            y = cp.checkpoint(net, L.tensor(X), use_reentrant=True)
        assert not y.requires_grad
        y = cp.checkpoint(net, L.tensor(X), use_reentrant=False)  # parameters still get grads
        y.sum().backward()
        assert net[0].weight.grad is not None
        with pytest.warns(UserWarning, match="checkpoint_sequential: the use_reentrant"):
            cp.checkpoint_sequential(mlp(L), 2, x.reshape(1, 3).expand(2, 3).repeat(1, 2)[:, :4])


def test_checkpoint_outputs_like_pytorch(torch):
    for L in (minitorch, torch):
        x = L.tensor(X, requires_grad=True)
        y, idx, none, three = L.utils.checkpoint.checkpoint(
            lambda a: (a.sin(), a.argmax(1), None, 3), x, use_reentrant=True
        )
        assert y.requires_grad and not idx.requires_grad and none is None and three == 3
        assert y.grad_fn.name() == "CheckpointFunctionBackward"
        identity = L.utils.checkpoint.checkpoint(lambda a: a, x, use_reentrant=False)
        identity.sum().backward()
        assert x.grad.tolist() == [[1.0] * 4] * 5
        net = mlp(L)
        with L.no_grad():
            out = L.utils.checkpoint.checkpoint(net, x, use_reentrant=False)
        assert not out.requires_grad


@pytest.mark.parametrize("reentrant", [True, False])
def test_checkpoint_sequential_matches_the_plain_model(torch, reentrant):
    results = []
    for L in (minitorch, torch):
        net = mlp(L)
        x = L.tensor(X, requires_grad=True)
        y = L.utils.checkpoint.checkpoint_sequential(net, 2, x, use_reentrant=reentrant)
        y.pow(2).sum().backward()
        results.append((y, [p.grad for p in net.parameters()] + [x.grad]))
    same(*results)
    net = mlp(minitorch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = checkpoint_sequential(list(net), 3, minitorch.tensor(X), use_reentrant=False)
    same(y, net(minitorch.tensor(X)))


# ---- func: the tutorials -------------------------------------------------------------------
def per_sample_grads(L):
    model = mlp(L)
    data, targets = L.tensor(X), L.tensor([0, 2, 1, 1, 0])
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def compute_loss(params, buffers, sample, target):
        batch, tgt = sample.unsqueeze(0), target.unsqueeze(0)
        predictions = L.func.functional_call(model, (params, buffers), (batch,))
        return L.nn.functional.cross_entropy(predictions, tgt)

    compute_sample_grad = L.func.vmap(L.func.grad(compute_loss), in_dims=(None, None, 0, 0))
    return compute_sample_grad(params, buffers, data, targets)


def test_per_sample_gradients_tutorial_matches_pytorch(torch):
    mine = per_sample_grads(minitorch)
    assert all(not g.requires_grad for g in mine.values())
    same(mine, per_sample_grads(torch))
    # and each row is the gradient of that sample alone
    model = mlp(minitorch)
    loss = minitorch.nn.functional.cross_entropy(
        model(minitorch.tensor(X[2:3])), minitorch.tensor([1])
    )
    loss.backward()
    np.testing.assert_allclose(mine["0.weight"][2].numpy(), model[0].weight.grad.numpy())


def hessian_tutorial(L):
    rng = np.random.default_rng(1)
    weight, bias = L.tensor(rng.standard_normal((4, 4))), L.tensor(rng.standard_normal(4))
    x, xs = L.tensor(rng.standard_normal(4)), L.tensor(rng.standard_normal((3, 4)))
    F = L.func

    def predict(weight, bias, x):
        return L.nn.functional.linear(x, weight, bias).tanh()

    return [
        F.jacrev(predict, argnums=2)(weight, bias, x),
        F.jacfwd(predict, argnums=2)(weight, bias, x),
        F.vmap(F.jacrev(predict, argnums=2), in_dims=(None, None, 0))(weight, bias, xs),
        F.hessian(predict, argnums=2)(weight, bias, x),
        F.jacfwd(F.jacrev(predict, argnums=2), argnums=2)(weight, bias, x),
        F.jacrev(F.jacrev(predict, argnums=2), argnums=2)(weight, bias, x),
        F.jacrev(predict, argnums=(0, 1))(weight, bias, x),
        F.vmap(F.hessian(predict, argnums=2), in_dims=(None, None, 0))(weight, bias, xs),
    ]


def test_jacobian_and_hessian_tutorial_matches_pytorch(torch):
    same(hessian_tutorial(minitorch), hessian_tutorial(torch))


def ensemble(L):
    import copy  # noqa: PLC0415

    models = [mlp(L) for _ in range(3)]
    with L.no_grad():
        for k, m in enumerate(models):
            for p in m.parameters():
                p.mul_(1.0 + k / 10)
    params, buffers = L.func.stack_module_state(models)
    base = copy.deepcopy(models[0])

    def fmodel(params, buffers, x):
        return L.func.functional_call(base, (params, buffers), (x,))

    data = L.tensor(X[:3])
    per_model = L.func.vmap(fmodel)(params, buffers, data.unsqueeze(1))
    same_batch = L.func.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, data)
    assert all(p.requires_grad and p.is_leaf for p in params.values())
    same_batch.sum().backward()  # gradients reach the stacked parameters
    return [
        {k: tuple(v.shape) for k, v in params.items()},
        per_model,
        same_batch,
        {k: v.grad for k, v in params.items()},
    ]


def test_model_ensembling_tutorial_matches_pytorch(torch):
    mine, theirs = ensemble(minitorch), ensemble(torch)
    assert mine[0] == {k: tuple(v) for k, v in theirs[0].items()}
    same(mine[1:], theirs[1:])


def test_stack_module_state_errors_and_functionalize_match_pytorch(torch):
    for L in (minitorch, torch):
        with pytest.raises(RuntimeError, match="Expected at least one model, got 0"):
            L.func.stack_module_state([])
        with pytest.raises(RuntimeError, match="same training/eval mode"):
            L.func.stack_module_state([L.nn.Linear(2, 2), L.nn.Linear(2, 2).eval()])
        with pytest.raises(RuntimeError, match="to be of the same class"):
            L.func.stack_module_state([L.nn.Linear(2, 2), L.nn.Tanh()])

        def f(x):
            y = x.clone()
            y.add_(1)
            return y

        assert L.func.functionalize(f)(L.ones(2)).tolist() == [2.0, 2.0]
        with pytest.raises(RuntimeError, match="received invalid argument for remove=x"):
            L.func.functionalize(f, remove="x")


# ---- func: each transform ------------------------------------------------------------------
def transforms(L):
    F = L.func
    x = L.tensor([0.5, -1.2, 2.0], dtype=L.float64)
    y = L.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=L.float64)

    def f(a):
        return (a.sin() * a).sum()

    def two(a, d):
        return (a * d["u"]).sum() + d["v"].exp().sum()

    def with_aux(a):
        return (a**2).sum(), {"mean": a.mean()}

    out, vjp_fn = F.vjp(lambda a, b: (a * 2, a.sum() * b), x, y)
    return [
        F.grad(f)(x),
        F.grad_and_value(f)(x),
        F.grad(two, argnums=(0, 1))(x, {"u": x * 3, "v": y}),
        F.grad(with_aux, has_aux=True)(x),
        F.grad_and_value(with_aux, has_aux=True)(x),
        F.grad(lambda a, b: (a * 2).sum())(x, y),
        F.grad(lambda a, b: (a * 2).sum(), argnums=1)(x, y),  # unused: zeros
        F.grad(F.grad(lambda a: a.sin()))(L.tensor(0.7, dtype=L.float64)),
        out,
        vjp_fn((L.ones(3, dtype=L.float64), L.ones(2, 2, dtype=L.float64))),
        F.jvp(lambda a: (a.sin(), a.sum()), (x,), (L.tensor([1.0, 0.0, 2.0], dtype=L.float64),)),
        F.jacrev(lambda a: (a * 2, a.sum()))(x),
        F.jacrev(lambda d: d["a"] * d["b"])({"a": x, "b": x.flip(0)}),
        F.vmap(F.vmap(lambda a: a * 2))(y),
        F.vmap(lambda a, b: a @ b, in_dims=(0, None))(y, y),
        F.vmap(lambda a, b: a * b, in_dims=(1, 0))(y, y),
        F.vmap(lambda a: (a.sum(), a * 2), out_dims=(0, 1))(y),
        F.vmap(lambda p: p[0] + p[1]["k"], in_dims=((0, {"k": None}),))((y, {"k": x[:2]})),
        F.vmap(lambda a, scale=1.0: a * scale)(y, scale=3.0),
        F.vmap(F.grad(f))(y),
        F.vmap(F.jacrev(lambda a: a.sin()))(y),
    ]


def test_transforms_match_pytorch(torch):
    same(transforms(minitorch), transforms(torch))


def test_results_are_differentiable_when_inputs_require_grad(torch):
    results = []
    for L in (minitorch, torch):
        x = L.tensor([0.5, -1.2, 2.0], dtype=L.float64, requires_grad=True)
        g = L.func.grad(lambda a: (a**3).sum())(x)
        assert g.requires_grad
        (gg,) = L.autograd.grad(g.sum(), [x])
        detached = L.func.grad(lambda a: (a**3).sum())(x.detach())
        assert not detached.requires_grad
        batched = L.func.vmap(lambda a: a.sin())(x.reshape(3, 1))
        batched.sum().backward()
        results.append((g, gg, x.grad))
    same(*results)


def test_linearize_and_batch_norm_replacement_match_pytorch(torch):
    results = []
    for L in (minitorch, torch):
        x = L.tensor([0.5, -1.2, 2.0], dtype=L.float64)
        out, jvp_fn = L.func.linearize(lambda a: (a.sin() * a).sum() * a, x)
        t1, t2 = L.ones(3, dtype=L.float64), L.tensor([1.0, 0.0, -2.0], dtype=L.float64)
        net = L.nn.Sequential(L.nn.Linear(4, 3), L.nn.BatchNorm1d(3)).double()
        assert L.func.replace_all_batch_norm_modules_(net) is net
        bn = net[1]
        assert bn.running_mean is None and bn.running_var is None and not bn.track_running_stats
        with L.no_grad():
            net[0].weight.copy_(L.tensor(W1[:3]))
        per_sample = L.func.vmap(net, in_dims=0)(L.tensor(X).reshape(5, 1, 4).repeat(1, 2, 1))
        assert L.func.debug_unwrap(x) is x
        results.append((out, jvp_fn(t1), jvp_fn(t2), per_sample))
    same(*results)


def test_top_level_vmap_is_func_vmap(torch):
    assert minitorch.vmap is minitorch.func.vmap
    assert torch.vmap is torch.func.vmap


def test_vmap_randomness_modes():
    F = minitorch.func
    with pytest.raises(RuntimeError, match="called random operation while in randomness error"):
        F.vmap(lambda a: a + minitorch.rand(()))(minitorch.ones(3))
    same_draws = F.vmap(lambda a: a + minitorch.rand(2), randomness="same")(minitorch.zeros(4, 2))
    assert np.allclose(same_draws.numpy(), same_draws.numpy()[0])
    different = F.vmap(lambda a: a + minitorch.rand(2), randomness="different")(
        minitorch.zeros(4, 2)
    )
    assert not np.allclose(different.numpy(), different.numpy()[0])
    with pytest.raises(RuntimeError, match="Only allowed values for randomness are"):
        F.vmap(lambda a: a, randomness="x")


ERROR_CASES = {
    "grad_non_scalar": lambda L: L.func.grad(lambda a: a * 2)(L.ones(3)),
    "grad_not_tensor": lambda L: L.func.grad(lambda a: [a.sum()])(L.ones(3)),
    "grad_aux_not_tuple": lambda L: L.func.grad(lambda a: a.sum(), has_aux=True)(L.ones(2)),
    "grad_argnum": lambda L: L.func.grad(lambda a: a.sum(), argnums=1)(L.ones(2)),
    "grad_int_input": lambda L: L.func.grad(lambda a: (a * a).sum())(L.tensor([1, 2])),
    "grad_number": lambda L: L.func.grad(lambda a: a.sum())(1.0),
    "vmap_sizes": lambda L: L.func.vmap(lambda a, b: a + b)(L.ones(3, 2), L.ones(4, 2)),
    "vmap_in_dim_range": lambda L: L.func.vmap(lambda a: a, in_dims=2)(L.ones(3)),
    "vmap_non_tensor": lambda L: L.func.vmap(lambda a: a)(1.0),
    "vmap_in_dims_type": lambda L: L.func.vmap(lambda a: a, in_dims=None)(L.ones(3)),
    "vmap_all_none": lambda L: L.func.vmap(lambda a: a, in_dims=(None,))(L.ones(3)),
    "vmap_no_inputs": lambda L: L.func.vmap(lambda: 1)(),
    "vmap_returns_float": lambda L: L.func.vmap(lambda a: 1.0)(L.ones(3)),
    "jvp_primals_tuple": lambda L: L.func.jvp(lambda a: a, L.ones(2), L.ones(2)),
}


@pytest.mark.parametrize("case", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_errors_match_pytorch(torch, case):
    outcomes = []
    for L in (torch, minitorch):
        with pytest.raises(Exception) as info:
            case(L)
        outcomes.append((type(info.value), re.sub(r"\b(mini)?torch\.", "", str(info.value))))
    assert outcomes[0] == outcomes[1]
