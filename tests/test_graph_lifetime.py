"""Graph lifetime: backward frees what it used, nothing leaks across training steps, and no
node holds its own output (so graphs die by reference counting, without the cycle collector)."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from contextlib import contextmanager

import numpy as np
import pytest

import minitorch
from minitorch.autograd import Function


@contextmanager
def no_cycle_collector():
    """Everything below must die by reference counting alone."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def graph_nodes(t) -> list:
    """Every node reachable from ``t.grad_fn``."""
    seen, stack = {}, [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(n for n, _ in node.next_functions)
    return list(seen.values())


def saved_arrays(nodes) -> list:
    """The arrays the nodes saved for backward, except the user's own leaf tensors (inputs
    are saved as their Tensors, outputs as arrays)."""
    out = []
    for node in nodes:
        for entry in node._saved or ():
            value = entry[0]
            if isinstance(value, minitorch.Tensor):
                if value.is_leaf and value._base is None:
                    continue
                value = value._data
            if isinstance(value, np.ndarray):
                out.append(value)
    return out


def build(x, w):
    """A small graph with saved inputs and outputs, views, reductions and in-place ops."""
    h = (x @ w.t()).tanh()  # saves an input view and an output
    h = h * h.sigmoid()
    h[:, 0].mul_(2)  # in-place on a view: CopySlices
    h = h.reshape(-1).exp()
    return h.log1p().mean()


def leaf_pair():
    x = minitorch.randn(4, 3)
    w = minitorch.randn(5, 3, requires_grad=True)
    return x, w


def test_backward_frees_saved_arrays_and_graph_dies_with_its_output():
    x, w = leaf_pair()
    with no_cycle_collector():
        loss = build(x, w)
        nodes = graph_nodes(loss)
        node_refs = [weakref.ref(n) for n in nodes]
        array_refs = [weakref.ref(a) for a in saved_arrays(nodes)]
        assert len(node_refs) > 8 and len(array_refs) >= 4
        del nodes
        loss.backward()
        assert all(r() is None for r in array_refs), "saved arrays alive after backward()"
        assert sum(r() is not None for r in node_refs) > 0  # the graph lives while loss does
        del loss
        alive = [r() for r in node_refs if r() is not None]
        assert [n.name() for n in alive] == [
            "torch::autograd::AccumulateGrad"
        ]  # w's own node stays with w
    assert w.grad is not None


def test_retain_graph_keeps_saved_arrays_until_the_last_backward():
    x, w = leaf_pair()
    with no_cycle_collector():
        loss = build(x, w)
        array_refs = [weakref.ref(a) for a in saved_arrays(graph_nodes(loss))]
        loss.backward(retain_graph=True)
        assert all(r() is not None for r in array_refs)
        loss.backward()
        assert all(r() is None for r in array_refs)


def test_graph_without_backward_dies_with_its_output():
    x, w = leaf_pair()
    with no_cycle_collector():
        loss = build(x, w)
        refs = [weakref.ref(n) for n in graph_nodes(loss)]
        refs += [weakref.ref(a) for a in saved_arrays(graph_nodes(loss))]
        del loss
        alive = [r() for r in refs if r() is not None]
        assert [getattr(n, "name", lambda: "array")() for n in alive] == [
            "torch::autograd::AccumulateGrad"
        ]


def test_create_graph_gradients_die_when_dropped():
    with no_cycle_collector():
        x = minitorch.tensor([0.5, 1.5], requires_grad=True)
        y = (x.sin() * x).sum()
        (g,) = minitorch.autograd.grad(y, x, create_graph=True)
        refs = [weakref.ref(n) for n in {*graph_nodes(g), *graph_nodes(y)}]
        (g * g).sum().backward()
        del g, y
        alive = [r() for r in refs if r() is not None]
        assert [n.name() for n in alive] == ["torch::autograd::AccumulateGrad"]
        assert x.grad is not None


class TwoOutputs(Function):
    @staticmethod
    def forward(ctx, x):
        a, b = x * 2, x.exp()
        ctx.save_for_backward(b)
        return a, b

    @staticmethod
    def backward(ctx, ga, gb):
        (b,) = ctx.saved_tensors
        return ga * 2 + gb * b


OUTPUT_MAKERS = {
    "exp saves output": lambda x: x.exp(),
    "mul saves inputs": lambda x: x * x,
    "view": lambda x: (x * 1)[1:],
    "sigmoid": lambda x: x.sigmoid(),
    "max with indices": lambda x: x.max(0)[0],
    "custom two outputs": lambda x: TwoOutputs.apply(x)[1],
    "rebased in place": lambda x: (x * 1).exp_(),
    "rebased view base": lambda x: _setitem((x * 1), x[0] * 3),
}


def _setitem(t, v):
    t[1] = v
    return t


@pytest.mark.parametrize("name", list(OUTPUT_MAKERS))
def test_node_never_holds_its_own_output(name):
    x = minitorch.tensor([0.5, 1.0, 1.5], requires_grad=True)
    with no_cycle_collector():
        y = OUTPUT_MAKERS[name](x)
        node = y.grad_fn
        assert node is not None
        ref = weakref.ref(y)
        del y
        assert ref() is None, f"{node.name()} keeps its output alive"
        del node
        assert gc.collect() == 0  # nothing needed the cycle collector


def test_saved_output_can_still_be_used_after_its_tensor_died():
    x = minitorch.tensor([0.0, 1.0], requires_grad=True)
    y = x.exp()
    loss = (y * 2).sum()
    del y  # ExpBackward0 saved the array, not the Tensor
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([0.0, 1.0]), rtol=1e-6)


def test_training_loop_memory_does_not_grow():
    """1,000 training-like steps (forward with views and in-place ops, backward, an SGD
    update in place under no_grad, zero_grad) leave no objects behind; then a traced run
    shows that no memory (e.g. a 32 KiB activation per step) is kept either."""
    rng = np.random.default_rng(0)

    def randn(*shape, scale=1.0, requires_grad=False):
        x = rng.standard_normal(shape) * scale
        return minitorch.tensor(x, dtype=minitorch.float32, requires_grad=requires_grad)

    w1 = randn(128, 16, scale=0.1, requires_grad=True)
    w2 = randn(1, 128, scale=0.1, requires_grad=True)
    data, target = randn(64, 16), randn(64, 1)

    def step():
        h = data @ w1.t()  # (64, 128): 32 KiB
        h = h.clamp(min=0)
        h[:, :4] = h[:, :4] * 0.5
        out = h @ w2.t()
        loss = ((out - target) ** 2).mean()
        loss.backward()
        with minitorch.no_grad():
            for p in (w1, w2):
                p.sub_(p.grad * 0.01)
                p.grad = None
        return loss.item()

    first = step()
    for _ in range(99):
        step()
    gc.collect()
    objects = len(gc.get_objects())
    for _ in range(900):
        last = step()
    gc.collect()
    left = len(gc.get_objects()) - objects
    assert left < 50, f"{left} more objects alive after 900 more steps"
    assert last < first  # it trains
    assert len(w1._views) < 64  # the registry of views of a parameter stays pruned

    tracemalloc.start()
    try:
        for _ in range(30):
            step()
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(100):
            step()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert grown < 256 * 1024, f"memory grew by {grown} bytes over 100 steps"
