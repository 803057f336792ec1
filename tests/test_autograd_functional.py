"""autograd.functional against torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp,
hvp with single and tuple inputs/outputs, create_graph, strict and vectorize; the batching
rules behind vectorize=True; and examples/higher_order.py in its quick mode."""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import functional as AF
from minitorch.autograd import observers
from minitorch.autograd._batching import BatchedArray, Unbatchable
from minitorch.autograd.profiler import profile

RNG = np.random.default_rng(0)
X = RNG.standard_normal(5)
Y = RNG.standard_normal((3, 5))
M = RNG.standard_normal((4, 5))


def _pair(torch):
    """The same inputs for both frameworks (float64)."""
    return (minitorch.tensor(X), minitorch.tensor(Y)), (torch.tensor(X), torch.tensor(Y))


def f_single(lib):
    m = lib.tensor(M)
    return lambda x: (m @ x).tanh() * x.sum() + (x * x).exp().mean()


def f_tuple_in(lib):
    return lambda x, y: (y @ x).sigmoid() * (y * y).sum(0)[:3]


def f_tuple_out(lib):
    return lambda x, y: ((y @ x).sin(), (x * x).sum(), y.exp() * x)


def f_scalar(lib):
    m = lib.tensor(M)
    return lambda x: ((m @ x).tanh() ** 2).sum() + (x**3).sum() * x[0]


def f_scalar2(lib):
    return lambda x, y: ((y @ x).cos() * (x * x).sum()).sum() + (y**2 * x).sum()


def _close_nested(a, b, **kw):
    if isinstance(b, (tuple, list)):  # PyTorch's forward-mode jacobian returns lists
        assert type(a) is type(b) and len(a) == len(b)
        for u, v in zip(a, b):
            _close_nested(u, v, **kw)
    else:
        assert not isinstance(a, (tuple, list))
        assert tuple(a.shape) == tuple(b.shape)
        assert_close(a, b, **kw)


# ---- jacobian --------------------------------------------------------------------------------
@pytest.mark.parametrize("vectorize", [False, True])
@pytest.mark.parametrize("case", ["single", "tuple_in", "tuple_out"])
def test_jacobian_matches_torch(torch, case, vectorize):
    (mx, my), (tx, ty) = _pair(torch)
    if case == "single":
        got = AF.jacobian(f_single(minitorch), mx, vectorize=vectorize)
        want = torch.autograd.functional.jacobian(f_single(torch), tx, vectorize=vectorize)
    else:
        fn = f_tuple_in if case == "tuple_in" else f_tuple_out
        got = AF.jacobian(fn(minitorch), (mx, my), vectorize=vectorize)
        want = torch.autograd.functional.jacobian(fn(torch), (tx, ty), vectorize=vectorize)
    _close_nested(got, want, rtol=1e-10, atol=1e-12)


def test_jacobian_forward_mode_matches_torch(torch):
    (mx, my), (tx, ty) = _pair(torch)
    got = AF.jacobian(f_tuple_out(minitorch), (mx, my), vectorize=True, strategy="forward-mode")
    want = torch.autograd.functional.jacobian(
        f_tuple_out(torch), (tx, ty), vectorize=True, strategy="forward-mode"
    )
    _close_nested(got, want, rtol=1e-10, atol=1e-12)
    with pytest.raises(NotImplementedError, match="only implemented for `vectorize=True`"):
        AF.jacobian(f_single(minitorch), mx, strategy="forward-mode")


@pytest.mark.parametrize("vectorize", [False, True])
def test_jacobian_create_graph_is_differentiable(torch, vectorize):
    mx, tx = minitorch.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    J = AF.jacobian(f_single(minitorch), mx, create_graph=True, vectorize=vectorize)
    TJ = torch.autograd.functional.jacobian(
        f_single(torch), tx, create_graph=True, vectorize=vectorize
    )
    assert J.requires_grad
    (J * J).sum().backward()
    (TJ * TJ).sum().backward()
    assert_close(mx.grad, tx.grad, rtol=1e-10, atol=1e-12)
    # without create_graph the result is detached
    assert not AF.jacobian(f_single(minitorch), mx, vectorize=vectorize).requires_grad


def test_jacobian_unrelated_input_and_strict(torch):
    mx, my = minitorch.tensor(X), minitorch.tensor(Y)
    for vectorize in (False, True):
        J = AF.jacobian(lambda x, y: x * 2, (mx, my), vectorize=vectorize)
        assert J[1].shape == (5, 3, 5) and float(J[1].abs().sum()) == 0
        assert_close(J[0], 2 * np.eye(5))
    with pytest.raises(
        RuntimeError, match="Output 0 of the user-provided function is independent of input 1"
    ):
        AF.jacobian(lambda x, y: x * 2, (mx, my), strict=True)
    with pytest.raises(RuntimeError, match="`strict=True` and `vectorized=True`"):
        AF.jacobian(lambda x: x * 2, mx, strict=True, vectorize=True)
    with pytest.raises(
        RuntimeError, match="Output 0 of the user-provided function does not require gradients"
    ):
        AF.jacobian(lambda x: minitorch.ones(2), mx, strict=True)


def test_jacobian_type_errors():
    with pytest.raises(
        TypeError, match="The inputs given to jacobian must be either a Tensor or a tuple"
    ):
        AF.jacobian(lambda x: x, [1.0, 2.0])
    with pytest.raises(TypeError, match="outputs of the user-provided function given to jacobian"):
        AF.jacobian(lambda x: 3.0, minitorch.tensor(X))


def test_jacobian_keeps_float32():
    x = minitorch.randn(4)
    for vectorize in (False, True):
        J = AF.jacobian(lambda t: (t * t).tanh(), x, vectorize=vectorize)
        assert J.dtype == minitorch.float32


# ---- hessian ---------------------------------------------------------------------------------
@pytest.mark.parametrize("vectorize", [False, True])
def test_hessian_matches_torch(torch, vectorize):
    (mx, my), (tx, ty) = _pair(torch)
    got = AF.hessian(f_scalar(minitorch), mx, vectorize=vectorize)
    want = torch.autograd.functional.hessian(f_scalar(torch), tx, vectorize=vectorize)
    _close_nested(got, want, rtol=1e-10, atol=1e-12)
    got = AF.hessian(f_scalar2(minitorch), (mx, my), vectorize=vectorize)
    want = torch.autograd.functional.hessian(f_scalar2(torch), (tx, ty), vectorize=vectorize)
    _close_nested(got, want, rtol=1e-10, atol=1e-12)


def test_hessian_forward_over_reverse_and_create_graph(torch):
    (mx, _), (tx, _) = _pair(torch)
    got = AF.hessian(
        f_scalar(minitorch), mx, vectorize=True, outer_jacobian_strategy="forward-mode"
    )
    want = torch.autograd.functional.hessian(f_scalar(torch), tx)
    _close_nested(got, want, rtol=1e-10, atol=1e-12)
    mx.requires_grad_()
    tx.requires_grad_()
    H = AF.hessian(f_scalar(minitorch), mx, create_graph=True)
    TH = torch.autograd.functional.hessian(f_scalar(torch), tx, create_graph=True)
    H.sum().backward()
    TH.sum().backward()
    assert_close(mx.grad, tx.grad, rtol=1e-10, atol=1e-12)


def test_hessian_errors():
    x = minitorch.tensor(X)
    with pytest.raises(RuntimeError, match="hessian should return a single Tensor"):
        AF.hessian(lambda t: (t.sum(), t.sum()), x)
    with pytest.raises(RuntimeError, match="should contain a single element"):
        AF.hessian(lambda t: t * 2, x)
    with pytest.raises(
        RuntimeError,
        match="jacobian of the user-provided function with respect to input 0 is independent",
    ):
        AF.hessian(lambda t: (t * 2).sum(), x, strict=True)


# ---- vjp / jvp / vhp / hvp -------------------------------------------------------------------
def _products(torch, name, fn):
    (mx, my), (tx, ty) = _pair(torch)
    v_in = (
        (minitorch.tensor(X * 0.5), minitorch.tensor(Y - 1)),
        (torch.tensor(X * 0.5), torch.tensor(Y - 1)),
    )
    if name == "vjp":
        out = fn(torch)(tx, ty)
        tv = (
            tuple(torch.ones_like(o) * 0.7 for o in out)
            if isinstance(out, tuple)
            else torch.ones_like(out) * 0.7
        )
        mv = (
            tuple(minitorch.tensor(t.numpy()) for t in tv)
            if isinstance(tv, tuple)
            else minitorch.tensor(tv.numpy())
        )
    else:
        mv, tv = v_in
    return (mx, my), (tx, ty), mv, tv


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", ["vjp", "jvp", "vhp", "hvp"])
def test_products_match_torch(torch, name, create_graph):
    fn = f_tuple_out if name in ("vjp", "jvp") else f_scalar2
    (mx, my), (tx, ty), mv, tv = _products(torch, name, fn)
    if create_graph:
        for t in (mx, my, tx, ty):
            t.requires_grad_()
    out, res = getattr(AF, name)(fn(minitorch), (mx, my), mv, create_graph=create_graph)
    tout, tres = getattr(torch.autograd.functional, name)(
        fn(torch), (tx, ty), tv, create_graph=create_graph
    )
    _close_nested(out, tout, rtol=1e-10, atol=1e-12)
    _close_nested(res, tres, rtol=1e-10, atol=1e-12)
    if create_graph:  # the products are differentiable
        sum(r.sum() for r in res).backward()
        sum(r.sum() for r in tres).backward()
        assert_close(mx.grad, tx.grad, rtol=1e-10, atol=1e-12)
        assert_close(my.grad, ty.grad, rtol=1e-10, atol=1e-12)
    else:
        assert not any(r.requires_grad for r in res)


def test_products_single_tensor_and_v_none(torch):
    s = minitorch.tensor(0.3)
    ts = torch.tensor(0.3, dtype=torch.float64)
    for name in ("vjp", "jvp", "vhp", "hvp"):
        out, res = getattr(AF, name)(lambda t: (t**3).sin(), s)
        tout, tres = getattr(torch.autograd.functional, name)(lambda t: (t**3).sin(), ts)
        assert isinstance(res, minitorch.Tensor)
        assert_close(res, tres, rtol=1e-12)
    (mx, _), (tx, _) = _pair(torch)
    _, res = AF.vjp(f_scalar(minitorch), mx)  # scalar output: v may be omitted
    _, tres = torch.autograd.functional.vjp(f_scalar(torch), tx)
    assert_close(res, tres, rtol=1e-10)


def test_products_errors():
    x, y = minitorch.tensor(X), minitorch.tensor(Y)
    with pytest.raises(
        RuntimeError,
        match="The vector v can only be None if the user-provided function returns a single Tensor with a single element",
    ):
        AF.vjp(lambda t: t * 2, x)
    with pytest.raises(
        RuntimeError,
        match="The vector v can only be None if the input to the user-provided function",
    ):
        AF.jvp(lambda t: t * 2, x)
    with pytest.raises(
        RuntimeError, match=r"v has invalid size: should be minitorch.Size\(\[5\]\)"
    ):
        AF.jvp(lambda t: t * 2, x, minitorch.ones(4))
    with pytest.raises(RuntimeError, match="v is a tuple of invalid length: should be 2 but got 1"):
        AF.jvp(lambda a, b: a * 2, (x, y), (minitorch.ones(5),))
    with pytest.raises(RuntimeError, match="function given to hvp should contain a single element"):
        AF.hvp(lambda t: t * 2, x, minitorch.ones(5))
    with pytest.raises(
        RuntimeError, match="The output of the user-provided function is independent of input 1"
    ):
        AF.vjp(lambda a, b: (a * 2).sum(), (x, y), strict=True)
    _, (ga, gb) = AF.vjp(lambda a, b: (a * 2).sum(), (x, y))  # not strict: zeros
    assert float(gb.abs().sum()) == 0 and gb.shape == (3, 5)


# ---- vectorize: one backward pass, correct for every op ------------------------------------
def _many_ops(lib, x, W):
    """Exercises ops with a batching rule and ops that fall back to one call per row."""
    idx = lib.tensor([1, 2])
    return lib.cat(
        [
            (W @ x).tanh() * x.sum(),
            x[1:3],
            x.sigmoid().relu(),
            lib.softmax(W, 1).sum(0),
            lib.log_softmax(W, 0)[0],
            x.reshape(2, 4).t().flatten(),
            (x.abs() + 1).log(),
            x.clamp(-0.5, 0.5),
            x.pow(2),
            x.unsqueeze(0).expand(3, 8).sum(0),
            lib.where(x > 0, x, 2 * x),
            x.cumsum(0),
            x.max(0)[0].reshape(1),
            x.prod().reshape(1),
            x.norm().reshape(1),
            x.var().reshape(1),
            x.flip(0),
            lib.stack([x, x * 2]).sum(0),
            x[None, :].repeat(2, 1).sum(0),
            lib.tril(W[:, :5]).sum(1),
            x.logsumexp(0).reshape(1),
            x.amax().reshape(1),
            x.gather(0, idx),
            x.index_select(0, idx),
            x.masked_fill(x > 0, 0.0),
            W.t() @ (W @ x),
            (x.unsqueeze(1) @ x.unsqueeze(0)).mean(1),
            x[lib.tensor([0, 2, 2])],  # repeated indices accumulate in backward
            W[:, lib.tensor([1, 3])].sum(0),
            W[lib.tensor([4, 0]), 1],
            x[x > 0].sum().reshape(1),
        ]
    )


def test_vectorize_matches_torch_on_many_ops(torch):
    x, W = RNG.standard_normal(8), RNG.standard_normal((5, 8))
    got = AF.jacobian(
        lambda a, b: _many_ops(minitorch, a, b),
        (minitorch.tensor(x), minitorch.tensor(W)),
        vectorize=True,
    )
    want = torch.autograd.functional.jacobian(
        lambda a, b: _many_ops(torch, a, b), (torch.tensor(x), torch.tensor(W))
    )
    _close_nested(got, want, rtol=1e-9, atol=1e-12)


def test_vectorize_runs_each_node_once():
    """Row by row, every backward node runs once per output element; vectorized, once."""
    x = minitorch.randn(6)
    W = minitorch.randn(16, 6)
    fn = lambda t: (W @ t).tanh() * t.sum()  # noqa: E731
    counts = {}
    for vectorize in (False, True):
        with profile() as prof:
            AF.jacobian(fn, x, vectorize=vectorize)
        counts[vectorize] = {e.key: e.count for e in prof.key_averages()}
    assert counts[False]["TanhBackward0"] == 16
    assert counts[False]["MvBackward0"] == 16
    assert counts[True]["TanhBackward0"] == 1
    assert counts[True]["MvBackward0"] == 1
    assert observers.batch_rows == 0 and not observers.active


def test_vectorize_with_hooks_uses_plain_tensors():
    seen = []
    x = minitorch.randn(3)

    def fn(t):
        y = t * 2
        y.register_hook(lambda g: seen.append(type(g._data)) or g * 3)
        return y.exp()

    J = AF.jacobian(fn, x, vectorize=True)
    assert_close(J, np.diag(6 * np.exp(2 * x.numpy())), rtol=1e-5)
    assert seen and all(t is np.ndarray for t in seen)


def test_user_function_in_vectorized_jacobian():
    class Cube(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t**3

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return g * 3 * t * t

    x = minitorch.tensor([1.0, 2.0, -1.5], dtype=minitorch.float64)
    J = AF.jacobian(lambda t: Cube.apply(t).sin(), x, vectorize=True)
    xs = x.numpy()
    assert_close(J, np.diag(np.cos(xs**3) * 3 * xs**2), rtol=1e-12)


# ---- the batching rules ----------------------------------------------------------------------
B = 3


def _rows(*shape):
    return RNG.standard_normal((B, *shape))


def _b(*shape):
    return BatchedArray(_rows(*shape))


RULE_CASES = [
    ("add plain of higher rank", lambda a, b: a + b, (_b(4), RNG.standard_normal((2, 3, 4)))),
    ("mul two batched ranks", lambda a, b: a * b, (_b(3, 1), _b(4))),
    ("matmul batched @ plain", lambda a, b: a @ b, (_b(2, 4), RNG.standard_normal((4, 3)))),
    ("matmul plain @ batched vec", lambda a, b: a @ b, (RNG.standard_normal((2, 4)), _b(4))),
    ("matmul batched vec @ plain 3d", np.matmul, (_b(4), RNG.standard_normal((2, 4, 3)))),
    ("matmul vec @ vec", np.matmul, (_b(4), _b(4))),
    ("matmul 3d @ batched 2d", np.matmul, (RNG.standard_normal((5, 2, 4)), _b(4, 3))),
    ("sum axes keepdims", lambda a: a.sum((0, 2), keepdims=True), (_b(2, 3, 4),)),
    ("mean all", lambda a: a.mean(), (_b(2, 3),)),
    ("np.sum negative axis", lambda a: np.sum(a, axis=-1), (_b(2, 3),)),
    ("max axis", lambda a: np.amax(a, axis=1), (_b(2, 3),)),
    ("reshape -1", lambda a: a.reshape(3, -1), (_b(2, 3, 2),)),
    ("transpose", lambda a: a.transpose((2, 0, 1)), (_b(2, 3, 4),)),
    ("mT", lambda a: a.mT, (_b(2, 3, 4),)),
    ("broadcast_to", lambda a: np.broadcast_to(a, (2, 3, 4)), (_b(3, 1),)),
    ("where", lambda a, b: np.where(b > 0, a, 0.0), (_b(4), RNG.standard_normal((2, 4)))),
    ("basic getitem", lambda a: a[1:, None, ..., 0], (_b(3, 4),)),
    (
        "concatenate mixed",
        lambda a, b: np.concatenate([a, b], axis=1),
        (_b(2, 3), RNG.standard_normal((2, 2))),
    ),
    ("stack", lambda a, b: np.stack([a, b], axis=-1), (_b(2, 3), _b(2, 3))),
    ("moveaxis", lambda a: np.moveaxis(a, 0, -1), (_b(2, 3, 4),)),
    ("expand_dims", lambda a: np.expand_dims(a, -1), (_b(2, 3),)),
    ("squeeze", lambda a: a.squeeze(), (_b(1, 3, 1),)),
    ("flip", lambda a: np.flip(a, (0,)), (_b(2, 3),)),
    ("cumsum", lambda a: np.cumsum(a, axis=-1), (_b(2, 3),)),
    ("triu", lambda a: np.triu(a, 1), (_b(3, 3),)),
    ("pad", lambda a: np.pad(a, ((1, 0), (0, 2)), constant_values=0.5), (_b(2, 3),)),
    ("tile", lambda a: np.tile(a, (2, 1, 3)), (_b(2, 3),)),
    ("zeros_like", lambda a: np.zeros_like(a) + a, (_b(2, 3),)),
    ("astype", lambda a: a.astype(np.float32), (_b(2, 3),)),
    ("clip", lambda a: np.clip(a, -0.5, 0.5), (_b(2, 3),)),
    ("index array", lambda a: a[np.array([2, 0, 2])], (_b(3, 4),)),
    ("adjacent index arrays", lambda a: a[:, np.array([1, 0]), 2], (_b(2, 3, 4),)),
    ("bool mask", lambda a: a[..., np.array([True, False, True])], (_b(2, 3),)),
    ("zeros_like shape", lambda a: np.zeros_like(a, shape=(2, 2)) + a[0, 0], (_b(3, 4),)),
    ("full_like", lambda a: np.full_like(a, 2.5) * a, (_b(3, 4),)),
]


def test_ufunc_at_and_advanced_setitem_rules():
    index = (np.array([0, 2, 0]),)
    for values in (_b(3, 4), RNG.standard_normal(4)):
        target = _b(3, 4)
        rows = [target.phys[i].copy() for i in range(B)]
        np.add.at(target, index, values)
        for i in range(B):
            v = values.phys[i] if isinstance(values, BatchedArray) else values
            np.add.at(rows[i], index, v)  # index 0 twice: accumulates
            np.testing.assert_allclose(target.phys[i], rows[i])
    target, v = _b(3, 4), _b(2)
    target[np.array([1, 2]), 3] = v
    for i in range(B):
        np.testing.assert_array_equal(target.phys[i][[1, 2], 3], v.phys[i])


@pytest.mark.parametrize("name,fn,args", RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_batching_rule(name, fn, args):
    got = fn(*args)
    assert isinstance(got, BatchedArray)
    for i in range(B):
        row = [a.phys[i] if isinstance(a, BatchedArray) else a for a in args]
        want = fn(*row)
        assert got.shape == want.shape
        np.testing.assert_allclose(got.phys[i], want, rtol=1e-6, atol=1e-12)


def test_setitem_rule():
    a, v = _b(3, 4), _b(4)
    a[1:] = v
    for i in range(B):
        assert (a.phys[i][1:] == v.phys[i]).all()


@pytest.mark.parametrize(
    "fn",
    [
        lambda a: a.reshape(1, 3, 1)[np.array([0]), :, np.array([0])],  # arrays apart
        lambda a: a[a > 0],  # an index that differs per row
        lambda a: np.add.at(np.zeros(3), [0], a),  # in place into a plain array
        lambda a: np.asarray(a),
        lambda a: bool(a.sum() > 0),
        lambda a: np.einsum("i->", a),
        lambda a: np.exp(a, out=np.empty(3)),
    ],
)
def test_unbatchable_raises(fn):
    with pytest.raises(Unbatchable):
        fn(_b(3))


def test_setitem_into_plain_array_raises():
    z = np.zeros(3)
    with pytest.raises(Unbatchable):
        z[:] = _b(3)


# ---- the example -----------------------------------------------------------------------------
def test_higher_order_example_quick():
    path = pathlib.Path(__file__).parent.parent / "examples" / "higher_order.py"
    spec = importlib.util.spec_from_file_location("higher_order_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    res = module.main(quick=True)
    assert res["grad_of_grad_error"] < 1e-10
    assert res["hvp_error"] < 1e-10
    assert res["forward_hvp_error"] < 1e-10
    assert res["newton_grad_norm"] < 1e-10
    assert res["newton_cg_grad_norm"] < 1e-10


@pytest.mark.parametrize(
    "vectorize,strategy", [(False, "reverse-mode"), (True, "reverse-mode"), (True, "forward-mode")]
)
def test_jacobian_edge_shapes(vectorize, strategy):
    kw = dict(vectorize=vectorize, strategy=strategy)
    x = minitorch.tensor(X)
    if strategy == "forward-mode":  # PyTorch's reverse mode raises on empty outputs
        assert AF.jacobian(lambda t: t[:0] * 2, x, **kw).shape == (0, 5)
        assert AF.jacobian(
            lambda t: t * 2, minitorch.zeros(0, dtype=minitorch.float64), **kw
        ).shape == (0, 0)
    s = minitorch.tensor(0.5, dtype=minitorch.float64)
    J = AF.jacobian(lambda t: (t * minitorch.ones(4, dtype=minitorch.float64)).exp(), s, **kw)
    assert J.shape == (4,)
    assert_close(J, np.full(4, np.exp(0.5)), rtol=1e-12)
    J = AF.jacobian(lambda t: t, x, **kw)  # the output is the input itself
    assert_close(J, np.eye(5))
