"""Normalization: layer_norm, batch_norm (training and eval, running statistics), group_norm,
rms_norm and their layers, against PyTorch and finite differences (first and second order)."""

from __future__ import annotations

import numpy as np
import pytest
from nn_oracle import compare_fn, compare_module, load_torch_state

import minitorch
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def leaf64(*shape):
    return minitorch.tensor(rng.standard_normal(shape), requires_grad=True)


# ---- functional forms against PyTorch ----------------------------------------------------------
@pytest.mark.parametrize(
    "shape, ns, affine",
    [
        ((4, 6), (6,), (True, True)),
        ((2, 3, 4, 5), (4, 5), (True, False)),
        ((3, 7), (7,), (False, False)),
    ],
)
def test_layer_norm_matches_torch(torch, shape, ns, affine):
    ns_t = (ns,) if isinstance(ns, int) else ns
    ins = [rand(*shape)] + [rand(*ns_t) for a in affine if a]

    def f(lib, x, *p):
        w = p[0] if affine[0] else None
        b = p[1] if affine[1] else None
        return lib.nn.functional.layer_norm(x, ns, w, b, eps=1e-4)

    compare_fn(torch, f, *ins, grad=tuple(range(len(ins))), tol=dict(rtol=1e-4, atol=1e-5))


@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5), (2, 3, 4, 5)])
def test_batch_norm_training_matches_torch(torch, shape):
    x, w, b = rand(*shape), rand(3), rand(3)
    compare_fn(
        torch,
        lambda lib, x, w, b: lib.nn.functional.batch_norm(x, None, None, w, b, True),
        x,
        w,
        b,
        grad=(0, 1, 2),
        tol=dict(rtol=1e-4, atol=1e-5),
    )


def test_batch_norm_eval_matches_torch(torch):
    x, w, b = rand(4, 3, 5), rand(3), rand(3)
    rm, rv = rand(3), np.abs(rand(3)) + 0.5
    compare_fn(
        torch,
        lambda lib, x, w, b, rm, rv: lib.nn.functional.batch_norm(x, rm, rv, w, b, False),
        x, w, b, rm, rv,
        grad=(0, 1, 2),
    )  # fmt: skip


def test_batch_norm_updates_running_stats_like_torch(torch):
    x = rand(6, 3, 4)
    rm, rv = minitorch.zeros(3), minitorch.ones(3)
    t_rm, t_rv = torch.zeros(3), torch.ones(3)
    for _ in range(2):
        F.batch_norm(minitorch.tensor(x), rm, rv, training=True, momentum=0.3)
        torch.nn.functional.batch_norm(torch.tensor(x), t_rm, t_rv, training=True, momentum=0.3)
    np.testing.assert_allclose(rm.numpy(), t_rm.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rv.numpy(), t_rv.numpy(), rtol=1e-5, atol=1e-6)
    assert rm._version == t_rm._version  # written in place by the kernel: no version bump


@pytest.mark.parametrize("groups, affine", [(2, True), (1, False), (6, True)])
def test_group_norm_matches_torch(torch, groups, affine):
    ins = [rand(2, 6, 3, 2)] + ([rand(6), rand(6)] if affine else [])
    compare_fn(
        torch,
        lambda lib, x, *p: lib.nn.functional.group_norm(x, groups, *p),
        *ins,
        grad=tuple(range(len(ins))),
        tol=dict(rtol=1e-4, atol=1e-5),
    )


@pytest.mark.parametrize("eps", [None, 1e-3])
def test_rms_norm_matches_torch(torch, eps):
    compare_fn(
        torch,
        lambda lib, x, w: lib.nn.functional.rms_norm(x, (3, 4), w, eps),
        rand(2, 3, 4),
        rand(3, 4),
        grad=(0, 1),
        tol=dict(rtol=1e-4, atol=1e-5),
    )


def test_float32_stays_float32_and_float64_works():
    x = minitorch.randn(4, 5, requires_grad=True)
    y = F.layer_norm(x, (5,), minitorch.ones(5), minitorch.zeros(5))
    y.sum().backward()
    assert y.dtype == minitorch.float32 and x.grad.dtype == minitorch.float32
    assert F.rms_norm(x.double(), (5,)).dtype == minitorch.float64


# ---- finite differences, first and second order ------------------------------------------------
def test_norm_gradcheck_and_gradgradcheck():
    x = leaf64(3, 4, 2)
    w4, b4, w2 = leaf64(4), leaf64(4), leaf64(4, 2)
    rm, rv = minitorch.tensor(rng.standard_normal(4)), minitorch.tensor(rng.random(4) + 0.5)
    cases = [
        (lambda x, w, b: F.layer_norm(x, (2,), w[:2], b[:2]), (x, w4, b4)),
        (lambda x, w: F.layer_norm(x, (4, 2), w), (x, w2)),
        (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x, w4, b4)),
        (lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False), (x, w4, b4)),
        (lambda x, w, b: F.group_norm(x, 2, w, b), (x, w4, b4)),
        (lambda x, w: F.rms_norm(x, (4, 2), w, 1e-3), (x, w2)),
        (lambda x: F.layer_norm(x, (4, 2)), (x,)),
    ]
    for fn, args in cases:
        assert gradcheck(fn, args)
        assert gradgradcheck(fn, args)


@pytest.mark.parametrize(
    "shape, params, layout",
    [
        ((2, 2, 8, 8), "wb", "contiguous"),  # 64 values per (n, c): one BLAS dot per row
        ((2, 2, 8, 8), "", "contiguous"),
        ((2, 2, 8, 8), "b", "channels_last"),  # the generic path
        ((5, 3), "w", "contiguous"),  # BatchNorm1d's (N, C)
        ((3, 2, 5), "wb", "contiguous"),
    ],
)
def test_batch_norm_training_gradcheck_per_channel(shape, params, layout):
    """batch_norm in training on an (N, C, rest) view, with each of weight and bias or none."""
    x = leaf64(*shape)
    if layout == "channels_last":
        x = x.detach().to(memory_format=minitorch.channels_last).requires_grad_()
    c = shape[1]
    w = leaf64(c) if "w" in params else None
    b = leaf64(c) if "b" in params else None
    leaves = tuple(t for t in (x, w, b) if t is not None)

    def fn(*args):
        it = iter(args)
        xx, ww, bb = (
            next(it),
            next(it) if w is not None else None,
            next(it) if b is not None else None,
        )
        return F.batch_norm(xx, None, None, ww, bb, training=True)

    assert gradcheck(fn, leaves)
    assert gradgradcheck(fn, leaves)


def test_create_graph_first_order_equals_fast_path():
    """The raw-array backward and the differentiable one agree."""
    x, w, b = (minitorch.tensor(rand(*s), requires_grad=True) for s in ((4, 6), (6,), (6,)))
    gy = minitorch.tensor(rand(4, 6))
    fast = minitorch.autograd.grad(F.layer_norm(x, (6,), w, b), (x, w, b), gy)
    slow = minitorch.autograd.grad(F.layer_norm(x, (6,), w, b), (x, w, b), gy, create_graph=True)
    for a, s in zip(fast, slow):
        np.testing.assert_allclose(a.numpy(), s.detach().numpy(), rtol=1e-5, atol=1e-6)


# ---- modules -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.LayerNorm(5), (2, 3, 5)),
        (lambda nn: nn.LayerNorm([3, 5], elementwise_affine=False), (2, 3, 5)),
        (lambda nn: nn.LayerNorm(5, bias=False), (4, 5)),
        (lambda nn: nn.GroupNorm(2, 4), (2, 4, 3)),
        (lambda nn: nn.RMSNorm([3, 5]), (2, 3, 5)),
        (lambda nn: nn.BatchNorm1d(4), (6, 4)),
        (lambda nn: nn.BatchNorm1d(4, affine=False), (3, 4, 5)),
        (lambda nn: nn.BatchNorm2d(3, momentum=None), (2, 3, 4, 4)),
        (lambda nn: nn.BatchNorm2d(3, track_running_stats=False), (2, 3, 4, 4)),
    ],
)
def test_norm_modules_match_torch(torch, make, shape):
    compare_module(torch, make, rand(*shape), tol=dict(rtol=1e-4, atol=1e-5))
    assert repr(make(minitorch.nn)) == repr(make(torch.nn))


def _randomise(torch_module, torch):
    with torch.no_grad():
        for p in torch_module.parameters():
            p.uniform_(0.5, 1.5)


@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_running_stats_and_eval_match_torch(torch, momentum):
    t = torch.nn.BatchNorm2d(3, momentum=momentum)
    _randomise(t, torch)
    m = minitorch.nn.BatchNorm2d(3, momentum=momentum)
    load_torch_state(m, t)
    for _ in range(3):
        x = rand(4, 3, 2, 2) * 2 + 1
        m(minitorch.tensor(x))
        t(torch.tensor(x))
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(
            getattr(m, name).numpy(), getattr(t, name).numpy(), rtol=1e-5, atol=1e-6
        )
    m.eval()
    t.eval()
    x = rand(2, 3, 2, 2)
    np.testing.assert_allclose(
        m(minitorch.tensor(x)).detach().numpy(),
        t(torch.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-5,
    )
    assert [n for n, _ in m.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert list(m.state_dict()) == list(t.state_dict())


def test_norm_errors():
    with pytest.raises(
        RuntimeError, match=r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\]"
    ):
        F.layer_norm(minitorch.randn(2, 5), (4,))
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        minitorch.nn.BatchNorm2d(3)(minitorch.randn(2, 3, 4))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        minitorch.nn.BatchNorm1d(3)(minitorch.randn(1, 3))
    with pytest.raises(ValueError, match=r"num_channels \(\d+\) must be divisible by num_groups"):
        minitorch.nn.GroupNorm(4, 6)
    with pytest.raises(RuntimeError, match="Expected number of channels in input to be divisible"):
        F.group_norm(minitorch.randn(2, 6, 3), 4)
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements"):
        F.batch_norm(minitorch.randn(2, 3), minitorch.zeros(4), minitorch.ones(3))
