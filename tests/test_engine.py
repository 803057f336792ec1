"""The backward engine: traversal, accumulation, retain_graph, create_graph, inputs=,
autograd.grad, hooks, retain_grad, detach, and gradients of whole graphs against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch import autograd


def leaf(values, dtype=None):
    return minitorch.tensor(values, dtype=dtype, requires_grad=True)


# ---- traversal -------------------------------------------------------------------------------
def test_long_chain_runs_without_recursion():
    x = leaf(1.0, minitorch.float64)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    assert x.grad.item() == pytest.approx(1.00001**100_000, rel=1e-9)


def test_each_node_runs_once_with_summed_gradient():
    calls = []

    class Double(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            calls.append(g.tolist())
            return g * 2

    a = leaf([1.0, 2.0])
    b = Double.apply(a)
    (b * 3 + b * 4 + b).sum().backward()
    assert calls == [[8.0, 8.0]]  # one call, with the three paths' gradients summed
    assert_close(a.grad, [16.0, 16.0])


def test_diamond_graph(torch):
    grads = []
    for L in (minitorch, torch):
        a = L.tensor([1.0, -2.0, 3.0], requires_grad=True)
        b = a * 2
        c = a.exp()
        d = b * c + b.sin()
        e = (d * c).sum()
        e.backward()
        grads.append(a.grad)
    assert_close(grads[0], grads[1], rtol=1e-5)


def test_reused_non_leaf():
    a = leaf([1.0, 2.0, 3.0])
    b = a + a
    c = b * b
    c.sum().backward()
    assert_close(a.grad, [8.0, 16.0, 24.0])  # dc/da = 2b * 2 = 8a


def test_random_graph_with_reuse_matches_torch(torch):
    rng = np.random.default_rng(3)
    x0 = rng.uniform(0.5, 1.5, (4, 3))
    y0 = rng.uniform(0.5, 1.5, (3,))
    ops = [rng.integers(0, 6, 3) for _ in range(12)]

    def build(L):
        x = L.tensor(x0, requires_grad=True)
        y = L.tensor(y0, requires_grad=True)
        pool = [x, y * 1, x.sum(0), (x @ y).unsqueeze(1)]
        for kind, i, j in ops:
            p, q = pool[int(i) % len(pool)], pool[int(j) % len(pool)]
            new = [p + q, p * q, (p - q).tanh(), p.exp() / (1 + q * q), p.sigmoid() * q, p.abs()]
            pool.append(new[int(kind)])
        loss = sum(t.sum() for t in pool[-4:])
        loss.backward()
        return x.grad, y.grad

    (gx, gy), (tx, ty) = build(minitorch), build(torch)
    assert_close(gx, tx, rtol=1e-4, atol=1e-5)
    assert_close(gy, ty, rtol=1e-4, atol=1e-5)


def test_no_node_recorded_when_nothing_requires_grad():
    x = minitorch.ones(3)
    y = (x * 2).exp().sum()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf
    w = leaf([1.0, 2.0, 3.0])
    with minitorch.no_grad():
        z = w * 2
    assert z.grad_fn is None and not z.requires_grad
    assert (x * w).grad_fn is not None


def test_backward_on_a_leaf_itself():
    x = leaf(3.0)
    x.backward()
    assert x.grad.item() == 1.0


# ---- accumulation and retain_graph ----------------------------------------------------------
def test_gradients_accumulate_until_zeroed():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    first = x.grad
    (x * 3).sum().backward()
    assert x.grad is first  # accumulated in place
    assert_close(x.grad, [6.0, 6.0])
    x.grad.zero_()
    assert_close(x.grad, [0.0, 0.0])
    x.grad = None
    (x * 5).sum().backward()
    assert_close(x.grad, [5.0, 5.0])


def test_retain_graph_then_free():
    z = leaf(1.0)
    y = z**2
    y.backward(retain_graph=True)
    assert z.grad.item() == 2.0
    y.backward()
    assert z.grad.item() == 4.0
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    assert z.grad.item() == 4.0


def test_grad_dtype_follows_leaf():
    h = minitorch.randn(3, dtype=minitorch.float16, requires_grad=True)
    (h.float() * 2).sum().backward()
    assert h.grad.dtype == minitorch.float16
    assert_close(h.grad, [2.0, 2.0, 2.0])


# ---- create_graph: higher-order gradients ---------------------------------------------------
def test_higher_order_gradients_match_torch(torch):
    out = []
    for L in (minitorch, torch):
        x = L.tensor([0.3, -1.2, 2.0], dtype=L.float64, requires_grad=True)
        y = (x.sin() * x.exp() + x**3).sum()
        (g1,) = L.autograd.grad(y, x, create_graph=True)
        (g2,) = L.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = L.autograd.grad(g2.sum(), x)
        out.append((g1, g2, g3))
    for m, t in zip(*out):
        assert_close(m, t, rtol=1e-10)


def test_grad_of_grad_article_example():
    x = leaf(1.0)
    y = x**2
    (g,) = autograd.grad(y, x, create_graph=True)
    assert g.item() == 2.0 and g.requires_grad
    z = g**3
    z.backward()
    assert x.grad.item() == 24.0  # d(2x)^3/dx = 24 x^2


def test_hessian_vector_product_matches_torch(torch):
    a0 = np.array([[2.0, 1.0], [1.0, 3.0]])
    out = []
    for L in (minitorch, torch):
        x = L.tensor([1.0, -1.0], dtype=L.float64, requires_grad=True)
        A = L.tensor(a0)
        f = (x @ A @ x) * 0.5 + (x**4).sum()
        (g,) = L.autograd.grad(f, x, create_graph=True)
        v = L.tensor([1.0, 2.0], dtype=L.float64)
        (hv,) = L.autograd.grad(g, x, grad_outputs=v)
        out.append(hv)
    assert_close(out[0], out[1])
    assert_close(out[0], a0 @ [1.0, 2.0] + 12 * np.array([1.0, 1.0]) * [1.0, 2.0])


def test_backward_create_graph_gives_differentiable_grad():
    x = leaf([1.0, 2.0])
    (x**3).sum().backward(create_graph=True)
    g = x.grad
    assert g.requires_grad and g.grad_fn is not None
    assert_close(g, [3.0, 12.0])
    x.grad = None
    g.sum().backward()
    assert_close(x.grad, [6.0, 12.0])


# ---- inputs= and autograd.grad ---------------------------------------------------------------
def test_backward_inputs_only_accumulates_there():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (a * b).sum().backward(inputs=[a])
    assert_close(a.grad, [3.0, 4.0])
    assert b.grad is None


def test_backward_inputs_non_leaf_gets_grad(torch):
    for L in (minitorch, torch):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        (y * y).sum().backward(inputs=[y])
        assert_close(y.grad, [4.0, 8.0])
        assert x.grad is None


def test_backward_inputs_with_retain_grad_counts_once():
    x = leaf([1.0, 2.0])
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward(inputs=[y])
    assert_close(y.grad, [4.0, 8.0])


def test_backward_inputs_empty_raises():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
        (x * 2).sum().backward(inputs=[])


def test_grad_returns_without_touching_dot_grad():
    x = leaf([1.0, 2.0])
    (g,) = autograd.grad((x * x).sum(), x)
    assert_close(g, [2.0, 4.0])
    assert x.grad is None


def test_grad_allow_unused():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    with pytest.raises(RuntimeError, match=r"index 1.*not have been used.*allow_unused=True"):
        autograd.grad((a * 2).sum(), [a, b])
    ga, gb = autograd.grad((a * 2).sum(), [a, b], allow_unused=True)
    assert_close(ga, [2.0, 2.0])
    assert gb is None
    ga, gb = autograd.grad((a * 2).sum(), [a, b], materialize_grads=True)
    assert_close(gb, [0.0, 0.0])


def test_grad_of_non_scalar_needs_grad_outputs():
    x = leaf([1.0, 2.0])
    y = x * x
    (g,) = autograd.grad(y, x, grad_outputs=minitorch.tensor([1.0, 10.0]), retain_graph=True)
    assert_close(g, [2.0, 40.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        autograd.grad(y, x)


def test_grad_of_several_outputs_and_inputs():
    a, b = leaf(2.0), leaf(3.0)
    ga, gb = autograd.grad([a * b, a + b], [a, b])
    assert (ga.item(), gb.item()) == (4.0, 3.0)


def test_grad_frees_graph_by_default():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    autograd.grad(y, x)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        autograd.grad(y, x)


# ---- hooks and retain_grad -------------------------------------------------------------------
def test_leaf_hook_changes_grad_and_handle_removes_it():
    x = leaf([1.0, 2.0])
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0]]
    assert_close(x.grad, [30.0, 30.0])
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    assert_close(x.grad, [3.0, 3.0])
    assert len(seen) == 1


def test_leaf_hook_runs_in_autograd_grad(torch):
    for L in (minitorch, torch):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: g * 10)
        (g,) = L.autograd.grad((x * 3).sum(), x)
        assert_close(g, [30.0, 30.0])


def test_non_leaf_hook_changes_what_flows_on(torch):
    out = []
    for L in (minitorch, torch):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g + 1)
        (y * y).sum().backward()
        out.append(x.grad)
    assert_close(out[0], out[1])
    assert_close(out[0], [10.0, 18.0])


def test_hooks_run_in_registration_order_and_handle_is_context_manager():
    x = leaf([1.0])
    y = x * 1
    with y.register_hook(lambda g: g * 2):
        y.register_hook(lambda g: g + 1)
        y.sum().backward(retain_graph=True)
    assert x.grad.item() == 3.0  # (1 * 2) + 1
    x.grad = None
    y.sum().backward()
    assert x.grad.item() == 2.0  # only the second hook is left: 1 + 1


def test_gradient_kept_by_a_hook_is_not_changed_by_later_accumulation(torch):
    for L in (minitorch, torch):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        leaf_seen, sum_seen = [], []
        x.register_hook(leaf_seen.append)
        (x * 3).sum().backward()
        y = x + 1  # Add passes its gradient through unchanged
        y.register_hook(sum_seen.append)
        y.sum().backward()
        (x * 3).sum().backward()
        assert_close(leaf_seen[0], [3.0, 3.0])
        assert_close(sum_seen[0], [1.0, 1.0])
        assert_close(x.grad, [7.0, 7.0])


def test_hook_returning_none_keeps_grad():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: None)
    (x * 2).sum().backward()
    assert_close(x.grad, [2.0, 2.0])


def test_register_hook_needs_requires_grad():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        minitorch.ones(2).register_hook(lambda g: g)


def test_retain_grad_keeps_non_leaf_grad():
    a = leaf([1.0, 2.0, 3.0])
    b = a + 3
    c = b * 2
    b.retain_grad()
    c.mean().backward()
    assert b.retains_grad and not c.retains_grad
    assert_close(b.grad, [2 / 3] * 3)
    assert_close(a.grad, [2 / 3] * 3)
    assert c.grad is None
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        minitorch.ones(2).retain_grad()


def test_retain_grad_accumulates_over_backward_calls():
    a = leaf([1.0, 2.0])
    b = a * 2
    b.retain_grad()
    y = (b * b).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert_close(b.grad, [8.0, 16.0])


# ---- detach, requires_grad_ ------------------------------------------------------------------
def test_detach_shares_data_without_history():
    a = leaf([1.0, 2.0])
    b = a * 2
    d = b.detach()
    assert d.grad_fn is None and not d.requires_grad and d.is_leaf
    assert_close(d, [2.0, 4.0])
    c = a * d
    c.sum().backward()
    assert_close(a.grad, [2.0, 4.0])  # d is a constant


def test_detach_in_place():
    a = leaf([1.0, 2.0])
    b = a * 2
    assert b.detach_() is b
    assert b.grad_fn is None and not b.requires_grad and b.is_leaf
    v = (a * 1)[0]
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        v.detach_()


def test_requires_grad_():
    x = minitorch.ones(2)
    assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
    (x * 3).sum().backward()
    assert_close(x.grad, [3.0, 3.0])
    x.requires_grad_(False)
    assert not x.requires_grad
    y = leaf([1.0]) * 2
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)
    z = minitorch.ones(2) * 2  # a result that needs no grad is a leaf: it may start one
    z.requires_grad_()
    assert z.is_leaf and z.requires_grad
