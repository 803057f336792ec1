"""Property-based tests: random chains of ops on random mutually broadcastable shapes give
PyTorch's values and gradients (float64), and random chains of shape ops do too."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import assert_same

import minitorch

torch = pytest.importorskip("torch")  # the oracle; every test here needs it
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies
hnp = pytest.importorskip("hypothesis.extra.numpy")

SETTINGS = hypothesis.settings(
    max_examples=40, deadline=None, derandomize=True, database=None, print_blob=True
)


UNARY = {
    "tanh": lambda m, x: x.tanh(),
    "sigmoid": lambda m, x: m.sigmoid(x),
    "sin": lambda m, x: x.sin(),
    "cos": lambda m, x: m.cos(x),
    "abs": lambda m, x: x.abs(),
    "relu": lambda m, x: x.relu(),
    "neg": lambda m, x: -x,
    "square": lambda m, x: x * x,
    "log_abs": lambda m, x: (x.abs() + 1).log(),
    "sqrt": lambda m, x: (x * x + 1).sqrt(),
    "rsqrt": lambda m, x: (x * x + 1).rsqrt(),
    "exp": lambda m, x: x.tanh().exp(),
    "clamp": lambda m, x: x.clamp(-0.5, 0.5),
    "affine": lambda m, x: x * 0.5 + 0.1,
    "rdiv": lambda m, x: 1.0 / (x * x + 1),
    "pow": lambda m, x: (x.abs() + 0.5) ** 1.5,
    "softmax": lambda m, x: x.softmax(-1) if x.ndim else x,
    "log_softmax": lambda m, x: x.log_softmax(-1) if x.ndim else x,
    "logsumexp": lambda m, x: x.logsumexp(-1, keepdim=True) if x.ndim else x,
    "mean": lambda m, x: x.mean(0, keepdim=True) if x.ndim else x,
    "sum": lambda m, x: x.sum(-1, keepdim=True) if x.ndim else x,
    "amax": lambda m, x: x.amax(-1, keepdim=True) if x.ndim else x,
    "var": lambda m, x: x.var(-1, keepdim=True, correction=0) if x.ndim else x,
    "cumsum": lambda m, x: x.cumsum(-1) if x.ndim else x,
    "flip": lambda m, x: x.flip(-1) if x.ndim else x,
}

BINARY = {
    "add": lambda m, x, y: x + y,
    "sub": lambda m, x, y: x - y,
    "mul": lambda m, x, y: x * y,
    "div": lambda m, x, y: x / (y * y + 1),
    "maximum": lambda m, x, y: m.maximum(x, y),
    "minimum": lambda m, x, y: m.minimum(x, y),
    "where": lambda m, x, y: m.where(x > y, x, y * 2),
    "pow": lambda m, x, y: (x.abs() + 0.5) ** y.tanh(),
    "atan_like": lambda m, x, y: (x * y).sigmoid() * (x - y).tanh(),
}

STEP = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), st.just(0)),
    st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), st.integers(0, 2)),
)


def _run(lib, inputs, steps):
    cur = inputs[0]
    for kind, name, arg in steps:
        cur = UNARY[name](lib, cur) if kind == "unary" else BINARY[name](lib, cur, inputs[arg])
    return cur


@SETTINGS
@hypothesis.given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3),
    steps=st.lists(STEP, min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_random_op_chains_match_torch(shapes, steps, seed):
    rng = np.random.default_rng(seed)
    data = [rng.uniform(-2, 2, s) for s in shapes.input_shapes]
    xs = [minitorch.tensor(d, requires_grad=True) for d in data]
    txs = [torch.tensor(d, requires_grad=True) for d in data]
    out, expected = _run(minitorch, xs, steps), _run(torch, txs, steps)
    assert_same(out, expected, rtol=1e-9, atol=1e-12)
    g = rng.standard_normal(tuple(expected.shape))
    out.backward(minitorch.tensor(g))
    expected.backward(torch.tensor(g))
    for x, tx in zip(xs, txs):
        if tx.grad is None:
            assert x.grad is None or not x.grad.numpy().any()
        else:
            assert_same(x.grad, tx.grad, rtol=1e-9, atol=1e-12)


SHAPE_STEPS = {
    "transpose": lambda m, x: x.transpose(0, -1),
    "T": lambda m, x: x.permute(*range(x.ndim - 1, -1, -1)),
    "flatten": lambda m, x: x.flatten(),
    "unsqueeze": lambda m, x: x.unsqueeze(0),
    "squeeze": lambda m, x: x.squeeze(),
    "expand": lambda m, x: x.unsqueeze(0).expand(2, *x.shape),
    "flip": lambda m, x: x.flip(0),
    "slice": lambda m, x: x[1:],
    "step_slice": lambda m, x: x[::2],
    "index": lambda m, x: x[[0, -1]],
    "cat": lambda m, x: m.cat([x, x * 2], 0),
    "stack": lambda m, x: m.stack([x, x.flip(0)], -1),
    "repeat": lambda m, x: x.repeat(2, *([1] * (x.ndim - 1))),
    "chunk": lambda m, x: x.chunk(2)[0] * 3,
    "contiguous_reshape": lambda m, x: x.contiguous().reshape(-1, 1),
    "mul_self_T": lambda m, x: x * x.flip(0),
}


@SETTINGS
@hypothesis.given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=3),
    steps=st.lists(st.sampled_from(sorted(SHAPE_STEPS)), min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_random_shape_chains_match_torch(shape, steps, seed):
    data = np.random.default_rng(seed).standard_normal(shape)
    x, tx = minitorch.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    out, expected = x, tx
    for name in steps:
        if out.ndim == 0 or out.shape[0] < 2:  # every step wants a leading dim of 2+
            out, expected = out.reshape(-1).repeat(2), expected.reshape(-1).repeat(2)
        out, expected = SHAPE_STEPS[name](minitorch, out), SHAPE_STEPS[name](torch, expected)
    assert_same(out, expected)
    (out * out).sum().backward()
    (expected * expected).sum().backward()
    assert_same(x.grad, tx.grad, rtol=1e-12, atol=1e-12)
