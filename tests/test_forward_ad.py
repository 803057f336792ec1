"""Forward-mode AD (minitorch.autograd.forward_ad): tangents of ops, in-place changes,
custom Functions, forward-over-reverse, against PyTorch's forward AD (skipped without it),
and against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch
import minitorch.autograd.forward_ad as fwAD


def _tangent_of(fw, fn, *arrays, tangents=None, dtype="float64"):
    """fn(fw, *duals) inside a dual level: (primal, tangent) of its output as arrays."""
    ad = fw.autograd.forward_ad
    dt = getattr(fw, dtype)
    rng = np.random.default_rng(7)
    with ad.dual_level():
        duals = []
        for i, a in enumerate(arrays):
            t = tangents[i] if tangents else rng.standard_normal(np.shape(a))
            duals.append(ad.make_dual(fw.tensor(a, dtype=dt), fw.tensor(t, dtype=dt)))
        out = fn(fw, *duals)
        primal, tangent = ad.unpack_dual(out)
        return primal.detach().numpy(), None if tangent is None else tangent.numpy()


rng = np.random.default_rng(0)
A = rng.standard_normal((3, 4))
B = rng.standard_normal((4,))
P = rng.uniform(0.5, 2.0, (3, 4))
M = rng.standard_normal((4, 4)) + 4 * np.eye(4)
IMG = rng.standard_normal((2, 3, 6, 6))
W = rng.standard_normal((4, 3, 3, 3))

OPS = {
    "exp": (lambda t, x: x.exp(), A),
    "log": (lambda t, x: x.log(), P),
    "sin_tanh": (lambda t, x: x.sin().tanh(), A),
    "sigmoid_sqrt": (lambda t, x: x.sigmoid().sqrt(), A),
    "relu_abs": (lambda t, x: t.relu(x) + x.abs(), A),
    "gelu": (lambda t, x: t.nn.functional.gelu(x), A),
    "gelu_tanh": (lambda t, x: t.nn.functional.gelu(x, approximate="tanh"), A),
    "softplus_silu": (lambda t, x: t.nn.functional.softplus(x) * t.nn.functional.silu(x), A),
    "pow": (lambda t, x: x**3 + x.pow(2.5).sum(), P),
    "broadcast_ops": (lambda t, x, y: (x * y - x / (y.abs() + 1)) ** 2, A, B),
    "maximum_atan2": (lambda t, x, y: t.maximum(x, y) + t.atan2(x, y + 3), A, B),
    "where": (lambda t, x: t.where(x > 0, x * 2, -x), A),
    "clamp": (lambda t, x: x.clamp(-0.5, 0.5), A),
    "sum_mean": (lambda t, x: x.sum(1) + x.mean(0).sum(), A),
    "max_min": (lambda t, x: x.max(1).values + x.min(), A),
    "var_std": (lambda t, x: x.var(1) + x.std(0, unbiased=False).sum(), A),
    "logsumexp_norm": (lambda t, x: x.logsumexp(1) + x.norm(), A),
    "softmax": (lambda t, x: x.softmax(1) + x.log_softmax(0), A),
    "cumsum_prod": (lambda t, x: x.cumsum(1) * x.prod(0), A),
    "matmul": (lambda t, x, y: x @ y + (x @ x.T).sum(), A, B),
    "einsum": (lambda t, x: t.einsum("ij,kj->ik", x, x), A),
    "inverse_det": (lambda t, m: t.linalg.inv(m) * t.linalg.det(m), M),
    "solve": (lambda t, m, y: t.linalg.solve(m, y), M, B),
    "views": (lambda t, x: x.T.reshape(2, 6)[:, 1:4].permute(1, 0).flip(0), A),
    "index_gather": (lambda t, x: x[[0, 2], 1:] + x.gather(1, t.tensor([[0], [3]])).sum(), A),
    "cat_stack_split": (
        lambda t, x: t.cat([x, x * 2]) + t.stack(list(x.split(1))).reshape(3, 4).repeat(2, 1),
        A,
    ),  # fmt: skip
    "expand_roll_pad": (lambda t, x: t.nn.functional.pad(x.roll(1, 1), (1, 2)) * 2, A),
    "linear": (lambda t, x, w: t.nn.functional.linear(x, w[:2], w[2, :2]), A, A),
    "layer_norm": (lambda t, x, w: t.nn.functional.layer_norm(x, (4,), w[0], w[1]), A, A),
    "conv_pool": (
        lambda t, x, w: t.nn.functional.max_pool2d(t.nn.functional.conv2d(x, w, padding=1), 2),
        IMG,
        W,
    ),  # fmt: skip
    "avg_pool_bn": (
        lambda t, x: t.nn.functional.batch_norm(
            t.nn.functional.avg_pool2d(x, 2), None, None, training=True
        ),
        IMG,
    ),  # fmt: skip
    "cross_entropy": (lambda t, x: t.nn.functional.cross_entropy(x, t.tensor([0, 3, 1])), A),
    "mse_l1": (
        lambda t, x, y: t.nn.functional.mse_loss(x[0], y) + t.nn.functional.l1_loss(x[1], y),
        A,
        B,
    ),  # fmt: skip
    "attention": (
        lambda t, q: t.nn.functional.scaled_dot_product_attention(q, q * 2, q, is_causal=True),
        IMG[0],
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", list(OPS))
def test_tangents_match_pytorch(torch, name):
    fn, *arrays = OPS[name]
    expected = _tangent_of(torch, fn, *arrays)
    actual = _tangent_of(minitorch, fn, *arrays)
    np.testing.assert_allclose(actual[0], expected[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(actual[1], expected[1], rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("name", ["exp", "broadcast_ops", "solve", "conv_pool", "views"])
def test_tangents_are_directional_derivatives(name):
    fn, *arrays = OPS[name]
    tangents = [np.random.default_rng(1).standard_normal(np.shape(a)) for a in arrays]
    _, tangent = _tangent_of(minitorch, fn, *arrays, tangents=tangents)
    eps = 1e-6

    def at(step):
        xs = [minitorch.tensor(a + step * t) for a, t in zip(arrays, tangents)]
        return fn(minitorch, *xs).numpy()

    np.testing.assert_allclose(tangent, (at(eps) - at(-eps)) / (2 * eps), rtol=1e-5, atol=1e-7)


def test_float32_tangents_and_module(torch):
    def program(fw):
        fw.manual_seed(0)
        model = fw.nn.Sequential(fw.nn.Linear(4, 8), fw.nn.Tanh(), fw.nn.Linear(8, 2))
        ad = fw.autograd.forward_ad
        with ad.dual_level():
            x = ad.make_dual(fw.ones(3, 4), fw.arange(12.0).reshape(3, 4) / 10)
            out = model(x)
            with fw.no_grad():  # forward AD does not depend on grad mode
                again = model(x)
            tangents = [ad.unpack_dual(out).tangent, ad.unpack_dual(again).tangent]
            return [t.detach() for t in tangents] + [tangents[0].requires_grad]

    expected, actual = program(torch), program(minitorch)
    assert actual[2] == expected[2]  # differentiable: the parameters require grad
    for e, a in zip(expected[:2], actual[:2]):
        assert a.dtype == minitorch.float32
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-5, atol=1e-6)
    assert actual[2] == expected[2]


def test_inplace_changes_carry_tangents(torch):
    def program(fw):
        ad = fw.autograd.forward_ad
        with ad.dual_level():
            x = ad.make_dual(fw.tensor([1.0, 2.0, 3.0]), fw.tensor([1.0, 0.0, 0.5]))
            z = fw.zeros(3)
            z.add_(x)  # a plain tensor takes the tangent
            w = fw.zeros(3)
            w[1] = x[0]  # setitem through a view
            y = x.clone()
            y.mul_(x)
            y[0:2].mul_(3)  # in place on a view: the base's tangent changes there
            c = fw.ones(3)
            c.copy_(x * 2)
            base = x * 1
            early_view = base[0:2]
            base.mul_(2)  # the earlier view's tangent follows its base's
            late_view = base[1:3]
            late_view.add_(ad.make_dual(fw.zeros(2), fw.tensor([5.0, 7.0])))
            outs = (z, w, y, c, early_view, base, late_view)
            return [ad.unpack_dual(t).tangent for t in outs]

    for e, a in zip(program(torch), program(minitorch)):
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-6)


def test_custom_function_jvp_and_missing_jvp(torch):
    def program(fw):
        class Scale(fw.autograd.Function):
            @staticmethod
            def forward(ctx, a, b, k):
                ctx.save_for_forward(a, b)
                ctx.k = k
                return a * b * k

            @staticmethod
            def jvp(ctx, ta, tb, tk):
                a, b = ctx.saved_tensors
                assert tk is None  # a number gets no tangent; tensors without one get zeros
                return (ta * b + a * tb) * ctx.k

        ad = fw.autograd.forward_ad
        with ad.dual_level():
            x = ad.make_dual(fw.tensor([1.0, 2.0]), fw.tensor([1.0, -1.0]))
            return ad.unpack_dual(Scale.apply(x, fw.tensor([3.0, 4.0]), 2.0)).tangent

    np.testing.assert_allclose(program(minitorch).numpy(), program(torch).numpy())

    class NoJvp(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    with fwAD.dual_level():
        x = fwAD.make_dual(minitorch.ones(2), minitorch.ones(2))
        with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
            NoJvp.apply(x)


def test_forward_over_reverse_hessian_vector_product(torch):
    def program(fw):
        ad = fw.autograd.forward_ad
        p = fw.tensor([0.5, -1.0, 2.0], dtype=fw.float64, requires_grad=True)
        v = fw.tensor([1.0, 2.0, -0.5], dtype=fw.float64)
        with ad.dual_level():
            x = ad.make_dual(p, v)
            y = (x.exp() * x.sin()).sum() + (x**3).prod()
            (g,) = fw.autograd.grad(y, x, create_graph=True)
            tangent = ad.unpack_dual(g).tangent
            return tangent.detach()

    np.testing.assert_allclose(program(minitorch).numpy(), program(torch).numpy(), rtol=1e-10)


def test_levels_and_dual_tensors_behave_as_pytorch():
    p, v = minitorch.tensor([1.0, 2.0]), minitorch.tensor([0.5, 0.0])
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        fwAD.make_dual(p, v)
    assert fwAD.unpack_dual(p).tangent is None and fwAD.unpack_dual(p).primal is p
    with fwAD.dual_level() as level:
        assert level == 0
        with pytest.raises(RuntimeError, match="Nested forward mode AD is not supported"):
            fwAD.enter_dual_level()
        x = fwAD.make_dual(p, v)
        unpacked = fwAD.unpack_dual(x)
        assert type(unpacked).__name__ == "UnpackedDualTensor"
        assert unpacked._fields == ("primal", "tangent")
        assert unpacked.tangent is v and fwAD.unpack_dual(unpacked.primal).tangent is None
        assert fwAD.unpack_dual(p).tangent is None  # the primal itself stays plain
        assert fwAD.unpack_dual(x.detach()).tangent is None
        assert fwAD.unpack_dual(x.clone()).tangent is not None
        assert repr(x * 2) == "tensor([2., 4.], tangent=tensor([1., 0.]))"
        assert repr(fwAD.make_dual(minitorch.tensor(1.5), minitorch.tensor(2.0))) == (
            "tensor(1.5000, tangent=2.0)"
        )
        with pytest.raises(RuntimeError, match="already has a forward gradient at the same level 0"):  # fmt: skip
            fwAD.make_dual(x, v)
        with pytest.raises(RuntimeError, match=r"Tensor is of size \[2\] while the given forward gradient is of size \[3\]"):  # fmt: skip
            fwAD.make_dual(p, minitorch.ones(3))
        with pytest.raises(ValueError, match="Expected primal to be floating point"):
            fwAD.make_dual(minitorch.tensor([1, 2]), minitorch.tensor([1, 2]))
    assert fwAD.unpack_dual(x).tangent is None  # tangents end with their level
    assert repr(x) == "tensor([1., 2.])"


def test_tensors_without_tangents_cost_nothing_after_the_level():
    from minitorch.autograd import observers

    with fwAD.dual_level():
        assert observers.active
    assert observers.forward_ad is None and not observers.active


def test_exit_without_a_level_and_list_arguments_raise():
    with pytest.raises(RuntimeError, match="Dual level must be a positive number"):
        fwAD.exit_dual_level()

    class ListOp(minitorch.autograd.function.Op):
        @staticmethod
        def forward(ctx, tensors):
            return tensors[0]._data * 1

    with fwAD.dual_level():
        x = fwAD.make_dual(minitorch.ones(2), minitorch.ones(2))
        with pytest.raises(NotImplementedError, match="with a list of dual tensors is not supported"):  # fmt: skip
            ListOp.apply([x])


def test_a_long_level_does_not_keep_dead_tensors():
    import gc

    with fwAD.dual_level():
        x = fwAD.make_dual(minitorch.ones(100), minitorch.ones(100))
        for _ in range(50):
            y = (x * 2).sin()
        del y
        gc.collect()
        assert len(fwAD._tangents) <= 3 and len(fwAD._by_array) <= 3
