"""PyTorch compatibility of tensor-manipulation and numerics code as real programs write it
(masking, sampling, metrics, beam search, hand-written losses): each snippet runs with
``lib = minitorch`` and ``lib = torch`` and must give the same values, dtypes, shapes and
errors. Each test covers an op that differed from PyTorch, or a whole program."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest
from opcheck import Case, cases, check_against_torch, check_gradients

import minitorch

MASK = [[True, False, True], [False, True, True]]


def _same(a, t) -> None:
    """minitorch result ``a`` equals PyTorch result ``t`` (tensors, numbers, nested tuples)."""
    if isinstance(t, (tuple, list)):
        assert type(a).__name__ == type(t).__name__ and len(a) == len(t)
        for x, y in zip(a, t):
            _same(x, y)
    elif hasattr(t, "dtype") and hasattr(t, "shape"):
        assert str(a.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], (a.dtype, t.dtype)
        assert tuple(a.shape) == tuple(t.shape), (a.shape, t.shape)
        np.testing.assert_allclose(a.detach().numpy(), t.detach().numpy(), rtol=1e-6, atol=1e-7)
    elif type(t).__name__ == "dtype":
        assert str(a).split(".")[-1] == str(t).split(".")[-1], (a, t)
    elif isinstance(t, (int, float)):
        assert type(a) is type(t) and a == pytest.approx(t, rel=1e-6), (a, t)
    else:  # strings, bools, None: pytest.approx refuses non-numbers (pytest >= 9.2)
        assert type(a) is type(t) and a == t, (a, t)


def _both(fn, torch) -> None:
    _same(fn(minitorch), fn(torch))


def _same_error(fn, torch) -> None:
    """Both libraries raise the same exception type, minitorch's message naming the op."""
    with pytest.raises(Exception) as expected:
        fn(torch)
    with pytest.raises(type(expected.value)):
        fn(minitorch)


GRAD = {
    "masked_scatter": Case(lambda m, a, s: a.masked_scatter(m.tensor(MASK), s), [(2, 3), (5,)]),
    "masked_scatter_broadcast": Case(
        lambda m, a, s: m.masked_scatter(a, m.tensor(MASK[0]), s), [(2, 3), (2, 3)]
    ),
    "kthvalue": Case(lambda m, a: a.kthvalue(2, dim=0, keepdim=True), [(3, 4)]),
    "mode": Case(lambda m, a: m.mode(a.round(), 1).values, [(2, 6)], fd=False),
    "fmax": Case(lambda m, a, b: m.fmax(a, b), [(2, 3), (3,)]),
    "fmin": Case(lambda m, a, b: a.fmin(b), [(2, 3), (2, 1)]),
    "copysign": Case(lambda m, a, b: m.copysign(a, b.detach()), [(2, 3), (3,)]),
    "norm_nuc": Case(lambda m, a: m.norm(a, p="nuc"), [(3, 2)]),
    "pdist": Case(lambda m, a: m.pdist(a), [(4, 3)]),
    "pdist_p1": Case(lambda m, a: m.pdist(a, p=1), [(3, 2)], gradgrad=False),
    "cosine_similarity": Case(lambda m, a, b: m.cosine_similarity(a, b, dim=-1), [(2, 3), (3,)]),
    "combinations": Case(lambda m, a: m.combinations(a, 2), [(4,)]),
    "diagflat": Case(lambda m, a: m.diagflat(a, 1), [(2, 2)]),
    "renorm": Case(lambda m, a: m.renorm(a, 2, 0, 1.0), [(3, 4)]),
    "renorm_p1_dim1": Case(lambda m, a: a.renorm(1, 1, 1.5), [(3, 2)]),
    "trapezoid_x": Case(lambda m, y, x: m.trapezoid(y, x), [(2, 4), (4,)]),
    "trapezoid_dx_dim0": Case(lambda m, y: m.trapezoid(y, dx=0.5, dim=0), [(3, 2)]),
    "cumulative_trapezoid": Case(lambda m, y, x: m.cumulative_trapezoid(y, x), [(2, 3), (2, 3)]),
    "cov": Case(lambda m, a: m.cov(a), [(3, 5)]),
    "cov_weighted": Case(
        lambda m, a, w: m.cov(a, aweights=w.abs(), fweights=m.tensor([1, 2, 1, 3])), [(2, 4), (4,)]
    ),
    "corrcoef": Case(lambda m, a: a.corrcoef(), [(3, 4)]),
    "inner": Case(lambda m, a, b: m.inner(a, b), [(2, 3), (4, 3)]),
    "float_power": Case(lambda m, a, b: m.float_power(a.abs(), b), [(2, 3), (3,)]),
    "logaddexp2": Case(lambda m, a, b: m.logaddexp2(a, b), [(2, 3), (3,)]),
    "deg2rad": Case(lambda m, a: m.deg2rad(a).sin() + a.rad2deg(), [(3,)]),
    "einsum_sublist": Case(
        lambda m, a, b: m.einsum(a, [0, 1], b, [1, Ellipsis], [Ellipsis, 0]), [(2, 3), (3, 4)]
    ),
    "addr": Case(lambda m, a, u, v: m.addr(a, u, v, beta=0.5, alpha=2), [(2, 3), (2,), (3,)]),
    "chain_matmul": Case(lambda m, a, b, c: m.chain_matmul(a, b, c), [(2, 3), (3, 4), (4, 2)]),
    "matrix_power": Case(lambda m, a: a.matrix_power(3), [(2, 2)]),
    "as_strided_windows": Case(lambda m, a: a.as_strided((4, 3), (1, 1)), [(6,)]),
    "as_strided_offset": Case(lambda m, a: m.as_strided(a, (2, 2), (3, 1), 1), [(2, 4)]),
}


@pytest.mark.parametrize("case", cases(GRAD, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("case", cases(GRAD))
def test_grad_matches_torch(case, torch):
    check_against_torch(case, torch, "float64")


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_masking_and_scatter_forms(torch):
    def program(lib):
        x = lib.zeros(2, 3)
        m = lib.tensor(MASK)
        y = x.clone()
        y.masked_scatter_(m, lib.arange(1.0, 9.0))
        idx = lib.tensor([0, 0, 1])
        added = lib.zeros(3).scatter(0, idx, 2.0, reduce="add")
        multiplied = lib.ones(3).scatter(0, idx, lib.tensor([2.0, 3.0, 4.0]), reduce="multiply")
        return x.masked_scatter(m, lib.arange(10.0)), y, added, multiplied

    _both(program, torch)


def test_masking_errors(torch):
    x = [[1.0, 2.0], [3.0, 4.0]]
    for fn in (
        lambda lib: lib.tensor(x).masked_scatter(lib.tensor([True, True]), lib.ones(3)),
        lambda lib: lib.tensor(x).masked_scatter(lib.tensor([1, 0]), lib.ones(4)),
        lambda lib: lib.tensor(x).masked_scatter(lib.tensor([True, True]), lib.ones(4).long()),
        lambda lib: lib.tensor(x).scatter(0, lib.tensor([[0]]), 1.0, reduce="max"),
    ):
        _same_error(fn, torch)
    with pytest.raises(RuntimeError, match="Number of elements of source"):
        minitorch.ones(2, 2).masked_scatter(minitorch.tensor([True, True]), minitorch.ones(3))


def test_where_wants_a_bool_condition(torch):
    _same_error(lambda lib: lib.where(lib.tensor([1, 0]), lib.ones(2), lib.zeros(2)), torch)
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        minitorch.where(minitorch.tensor([1.0, 0.0]), minitorch.ones(2), minitorch.zeros(2))
    _both(lambda lib: lib.where(lib.tensor([True, False]), 1.0, lib.tensor([2, 3])), torch)


def test_nonzero_of_0d(torch):
    _both(
        lambda lib: (
            lib.tensor(0).nonzero(),
            lib.tensor(3).nonzero(),
            lib.tensor(3.0).nonzero(as_tuple=True),
            lib.argwhere(lib.tensor(True)),
        ),
        torch,
    )


def test_selection_ops(torch):
    x = [[3.0, 1.0, 2.0, 7.0], [0.0, -1.0, 5.0, 4.0], [4.0, 8.0, 6.0, 1.0]]

    def program(lib):
        t = lib.tensor(x)
        ints = lib.tensor([[1, 2, 2, 3, 3], [4, 4, 1, 1, 0]])
        return (
            t.kthvalue(2, dim=1),
            lib.kthvalue(t, 1, 0, True),
            ints.mode(),
            lib.mode(ints, 0),
            lib.mode(ints, keepdim=True).indices,
        )

    _both(program, torch)
    assert repr(minitorch.tensor([1, 1]).mode()).startswith("minitorch.return_types.mode(")
    with pytest.raises(RuntimeError, match="kthvalue"):
        minitorch.ones(3).kthvalue(4)


def test_unique_consecutive_and_histogram(torch):
    def program(lib):
        x = lib.tensor([1, 1, 2, 2, 3, 1, 1])
        rows = lib.tensor([[1, 1], [1, 1], [2, 3], [1, 1]])
        h = lib.histogram(lib.tensor([1.0, 2.0, 1.0, 4.0, 0.5]), bins=4, range=(0.0, 4.0))
        return (
            lib.unique_consecutive(x),
            x.unique_consecutive(return_inverse=True, return_counts=True),
            lib.unique_consecutive(rows, return_counts=True, dim=0),
            h.hist,
            h.bin_edges,
            lib.histogram(lib.tensor([1.0, 2.0]), lib.tensor([0.0, 1.5, 3.0])),
        )

    _both(program, torch)


def test_integer_and_bit_ops(torch):
    def program(lib):
        a, b = lib.tensor([12, 10, -7]), lib.tensor([1, 3, 2])
        return (
            a << 1,
            a >> b,
            1 << b,
            lib.bitwise_left_shift(a, 2),
            a.bitwise_right_shift(1),
            a.bitwise_and(6),
            5 ^ a,
            lib.gcd(a, b * 4),
            lib.lcm(a, b),
            lib.square(lib.tensor([True, False])),
        )

    _both(program, torch)


def test_float_helpers(torch):
    nan, inf = float("nan"), float("inf")

    def program(lib):
        x = lib.tensor([-1.5, 0.0, 2.5, nan, inf, -inf])
        y = lib.tensor([1.0, nan, -2.0, 0.5, nan, -1.0])
        ints = lib.tensor([3, -2, 0])
        return (
            lib.fmax(x, y),
            lib.fmin(x, y),
            x.fmax(lib.tensor(0.0)),
            lib.fmax(ints, lib.tensor([1, 1, 1])),
            lib.copysign(x, -1.0),
            lib.copysign(ints, lib.tensor([-0.0, 1.0, -2.0])),
            lib.isposinf(x),
            x.isneginf(),
            lib.isreal(ints),
            lib.sgn(x),
            lib.fix(x),
            x.fix(),
            lib.rsub(x, 1),
            lib.rsub(ints, 10, alpha=2),
        )

    _both(program, torch)


def test_all_any_of_uint8_stay_uint8(torch):
    _both(
        lambda lib: (
            lib.tensor([1, 2], dtype=lib.uint8).all(),
            lib.any(lib.tensor([[0, 2], [0, 0]], dtype=lib.uint8), 1, keepdim=True),
            lib.tensor([1, 0]).all(),
        ),
        torch,
    )


def test_float_only_ops_reject_integers(torch):
    for fn in (
        lambda lib: lib.softmax(lib.tensor([1, 2]), 0),
        lambda lib: lib.tensor([1, 2]).log_softmax(-1),
        lambda lib: lib.nn.functional.softmax(lib.tensor([True]), dim=0),
        lambda lib: lib.tensor([3, 4]).norm(),
        lambda lib: lib.norm(lib.tensor([3, 4]), p=1),
    ):
        _same_error(fn, torch)
    with pytest.raises(RuntimeError, match="Expected a floating point"):
        minitorch.tensor([3, 4]).norm()
    _both(lambda lib: lib.softmax(lib.tensor([1, 2]), 0, dtype=lib.float32), torch)


def test_numpy_argument_names(torch):
    """PyTorch's argument parser takes ``axis`` for ``dim`` and ``keepdims`` for ``keepdim``."""
    x = [[3.0, 1.0, 2.0], [0.0, -1.0, 5.0]]

    def program(lib):
        t = lib.tensor(x)
        return (
            t.sum(axis=0),
            lib.sum(t, axis=1, keepdims=True),
            t.mean(axis=-1, keepdims=True),
            t.max(axis=1),
            lib.argmax(t, axis=0),
            t.std(axis=0),
            lib.var(t, axis=1, keepdims=True),
            t.amax(axis=1),
            lib.all(t > -2, axis=1),
            lib.cat([t, t], axis=1),
            lib.stack([t, t], axis=0),
            lib.cumsum(t, axis=1),
            t.sort(axis=0),
            lib.softmax(t, axis=-1),
            t.unsqueeze(axis=0),
            lib.logsumexp(t, axis=1, keepdims=True),
        )

    _both(program, torch)


def test_shape_and_conversion_aliases(torch):
    def program(lib):
        a = lib.arange(6.0).reshape(2, 3)
        v = lib.tensor([1.7, -1.7, 300.0])
        return (
            a.H,
            lib.ones(2, 3, 4).mH.shape,
            lib.row_stack([a, a]),
            lib.ger(lib.tensor([1.0, 2.0]), lib.tensor([3.0])),
            a[0].ger(a[1]),
            lib.diagflat(lib.tensor([[1, 2]])),
            a.diagflat(-1).shape,
            lib.combinations(lib.tensor([1, 2, 3]), 2),
            lib.combinations(lib.tensor([1.0, 2.0]), 3),
            lib.combinations(lib.tensor([1, 2]), with_replacement=True),
            v.short(),
            v.char(),
            lib.pairwise_distance(a, a.flip(0)),
        )

    _both(program, torch)
    _same_error(lambda lib: lib.ones(3).H, torch)
    _same_error(lambda lib: lib.ones(2, 2, 2).H, torch)
    _same_error(lambda lib: lib.ones(3).mH, torch)


def test_size_keyword_and_random_fills(torch):
    def program(lib):
        g = lib.Generator().manual_seed(0)
        x = lib.empty(50).geometric_(0.3, generator=g)
        y = lib.empty(50, dtype=lib.float64).log_normal_(0.0, 0.5)
        z = lib.empty(3).cauchy_()
        k = lib.poisson(lib.full((50,), 4.0), generator=g)
        return (
            lib.zeros(size=(2, 3)),
            lib.ones(size=[2]),
            lib.empty(size=(1, 2)).shape,
            lib.rand(size=(2,)).shape,
            lib.randn(size=(3, 1), dtype=lib.float64).dtype,
            (x.dtype, bool((x >= 1).all()), bool((x == x.round()).all())),
            (y.dtype, bool((y > 0).all())),
            z.shape,
            (k.dtype, bool((k >= 0).all()), bool((k == k.round()).all())),
        )

    _both(program, torch)
    _same_error(lambda lib: lib.rand(2, dtype=lib.long), torch)
    _same_error(lambda lib: lib.histc(lib.tensor([1, 2]), bins=3), torch)


def test_tensor_from_numpy_scalars_keeps_their_dtype(torch):
    """Metrics code builds tensors from numpy results: float64 numpy scalars and 0-d tensors
    keep their dtype inside lists, as in PyTorch; Python floats give the default dtype."""

    _both(
        lambda lib: [
            lib.tensor(v).dtype
            for v in (
                [np.float64(0.5), 2],
                [[np.float64(1.0)], [2.0]],
                [np.float32(1.5), 2.0],
                [np.int32(1)],
                [np.int32(1), 2],
                [np.int8(1), np.uint8(2)],
                [np.float16(1.0), 2.0],
                [lib.tensor(1.0, dtype=lib.float64), 2.0],
                [lib.tensor(1, dtype=lib.int32)],
                [lib.tensor(1.0), lib.tensor(2.0)],
                [1.5, 2],
                [True, 2],
            )
        ],
        torch,
    )


def test_nan_sorts_as_the_largest(torch):
    nan, inf = float("nan"), float("inf")
    x = [3.0, nan, 1.0, inf, nan, 2.0]

    def program(lib):
        t = lib.tensor(x)
        return (
            t.sort(descending=True),
            t.sort(descending=True, stable=True),
            t.sort(),
            t.argsort(descending=True),
            t.topk(3),
            t.topk(2, largest=False),
            t.view(2, 3).sort(0, descending=True),
            lib.tensor([1.0, nan, 1.0, nan]).unique(return_inverse=True, return_counts=True),
        )

    _both(program, torch)


def test_dtype_questions_and_fill_diagonal(torch):
    def program(lib):
        x = lib.zeros(7, 3)
        x.fill_diagonal_(1.5, wrap=True)
        y = lib.zeros(3, 3, dtype=lib.long).fill_diagonal_(4)
        w = lib.ones(2, 2, requires_grad=True)
        z = w * 1
        z.fill_diagonal_(0)
        z.sum().backward()
        return (
            x,
            y,
            w.grad,
            lib.result_type(lib.tensor([1]), 1.0),
            lib.result_type(lib.tensor([1], dtype=lib.int32), lib.tensor(1)),
            lib.result_type(2, lib.tensor([1], dtype=lib.uint8)),
            lib.can_cast(lib.float32, lib.int32),
            lib.can_cast(lib.int64, lib.uint8),
            lib.can_cast(lib.int8, lib.bool),
            lib.float16.is_complex,
            lib.is_complex(lib.ones(1)),
            lib.ones(1).is_complex(),
            lib.is_nonzero(lib.tensor([1.5])),
            lib.tensor([[0]]).is_nonzero(),
        )

    _both(program, torch)
    _same_error(lambda lib: lib.is_nonzero(lib.tensor([1, 2])), torch)
    _same_error(lambda lib: lib.zeros(2, 3, 2).fill_diagonal_(1), torch)


def test_int_index_apart_from_index_arrays(torch):
    """PyTorch applies integer indices before index arrays (numpy counts them among the
    arrays), so ``x[0, :, idx]`` keeps the sliced dim first."""

    def program(lib):
        x = lib.arange(120.0).reshape(2, 3, 4, 5)
        y = lib.zeros(2, 3, 4)
        y[0, :, [1, 2]] = lib.arange(6.0).reshape(3, 2)
        y[1, :, [0, 3]] += 1
        w = lib.arange(24.0, requires_grad=True)
        v = w.view(2, 3, 4)[1, :, [0, 3]]
        (v * lib.arange(6.0).reshape(3, 2)).sum().backward()
        return (
            x[0, :, [1, 2]],
            x[:, [0, 1], :, 0],
            x[0, ..., [1, 2]],
            x[1, :, 2, [0, 4]],
            x[0, None, :, [1, 2]].shape,
            x[0, :, lib.tensor([[1, 2], [0, 0]])].shape,
            x[-1, :, [True, False, True, False]].shape,
            x[[0, 1], 2, [1, 2]],
            y,
            v,
            w.grad,
        )

    _both(program, torch)


def test_float64_from_python_floats_keeps_full_precision(torch):
    """``tensor([0.1], dtype=float64)`` is the float64 nearest 0.1, not float32's 0.1 widened."""
    _both(
        lambda lib: [
            lib.tensor([0.1, 1e-45, 1 / 3], dtype=lib.float64).tolist(),
            lib.tensor([[0.1]], dtype=lib.float64).item(),
            lib.as_tensor([0.1], dtype=lib.float64).item(),
            lib.tensor(0.1, dtype=lib.float64).item(),
            lib.tensor([16777217], dtype=lib.float64).item(),
        ],
        torch,
    )


def test_grad_fn_names_as_pytorch_prints_them(torch):
    """``print(loss)`` and friends show ``grad_fn=<...>``: the node names are PyTorch's."""

    def program(lib):
        F = lib.nn.functional
        lib.manual_seed(0)
        x = lib.randn(3, 4, requires_grad=True)
        x3 = lib.randn(2, 3, 4, requires_grad=True)
        v = lib.randn(4, requires_grad=True)
        w, b = lib.randn(5, 4, requires_grad=True), lib.randn(5, requires_grad=True)
        y, p = lib.tensor([0, 1, 2]), lib.rand(3, 4)
        outs = [
            F.cross_entropy(x, y),
            F.cross_entropy(x, y, label_smoothing=0.1),
            F.cross_entropy(x, p),
            F.nll_loss(x.log_softmax(1), y, reduction="sum"),
            F.mse_loss(x, p),
            F.smooth_l1_loss(x, p),
            F.huber_loss(x, p),
            F.binary_cross_entropy(x.sigmoid(), p),
            F.binary_cross_entropy_with_logits(x, p),
            F.linear(x, w, b),
            F.linear(x, w),
            F.linear(x3, w, b),
            x @ w.t(),
            v @ v,
            x @ v,
            v @ w.t(),
            lib.bmm(x3, x3.transpose(1, 2)),
            x3 @ x3.transpose(1, 2),
            x.sum(1),
            x.mean(1),
            x.max(),
            x.min(0).values,
            x.view(-1),
            x.t().reshape(-1),
            x.unsqueeze(0),
            x.unsqueeze(0).squeeze(),
            x.unsqueeze(0).squeeze(0),
            x.t(),
            x.transpose(0, 1),
            x.T,
            x[0],
            x[:, 1:],
            x[None],
            x[..., 0],
            x[[0, 1]],
            x[x > 0],
            lib.stack([x, x]),
            x.double(),
            x.norm(),
            x.std(),
            x.var(1),
            x.clamp(0, 1),
            x.clamp(min=lib.zeros(4)),
            x.unbind(0)[1],
            2**x,
            x.abs() ** x,
            1 - x,
            x.logsumexp(1),
            x.square(),
            x.tril(),
            x.triu(1),
        ]
        return [o.grad_fn.name() for o in outs]

    assert program(minitorch) == program(torch)
    printed = repr(
        minitorch.nn.functional.mse_loss(minitorch.ones(2, requires_grad=True), minitorch.zeros(2))
    )
    assert printed == "tensor(1., grad_fn=<MseLossBackward0>)"


def test_roc_auc_by_hand(torch):
    def program(lib):
        scores = lib.tensor([0.1, 0.4, 0.35, 0.8, 0.65])
        labels = lib.tensor([0, 0, 1, 1, 1])
        order = scores.argsort(descending=True)
        hits = labels[order]
        tpr = lib.cat([lib.zeros(1), hits.cumsum(0).float() / hits.sum()])
        fpr = lib.cat([lib.zeros(1), (1 - hits).cumsum(0).float() / (1 - hits).sum()])
        return (
            lib.trapezoid(tpr, fpr),
            lib.trapz(tpr, fpr),
            lib.trapezoid(lib.tensor([1, 2, 3])),
            lib.trapezoid(lib.tensor([5.0])),
            lib.trapezoid(lib.zeros(2, 0)),
            lib.cumulative_trapezoid(tpr, dx=0.5),
        )

    _both(program, torch)


def test_smaller_tensor_functions(torch):
    def program(lib):
        x = lib.tensor([[1.0, 2.0, 4.0], [2.0, 1.0, 0.5]])
        scores = lib.tensor([[0.1, 0.7, 0.2], [0.9, 0.05, 0.3]])
        flat = scores.argmax()
        return (
            lib.cov(x, correction=0),
            lib.cov(lib.tensor([[1, 2, 4]])),
            lib.cov(lib.tensor([1.0, 2.0, 3.0])),
            lib.unravel_index(flat, scores.shape),
            lib.unravel_index(lib.tensor([5, 1, -1]), (2, 3)),
            lib.float_power(lib.tensor([2]), 2),
            lib.float_power(2, lib.tensor([0.5])),
            lib.heaviside(lib.tensor([-1.0, 0.0, 2.0]), lib.tensor([0.5])),
            lib.deg2rad(lib.tensor([180])),
            lib.inner(lib.tensor([1, 2]), lib.tensor([3, 4])),
            lib.vdot(lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])),
            lib.scalar_tensor(3),
            lib.asarray([1, 2]),
            lib.asarray(np.array([1.5]), dtype=lib.float64),
            lib.msort(lib.tensor([[3, 1], [1, 2]])),
            lib.signbit(lib.tensor([-0.0, 1.0, -2.0])),
            x.positive(),
            lib.conj(x),
            x.resolve_neg(),
            x.adjoint(),
            x.greater(1),
            x.less_equal(1),
            x.not_equal(2),
            x.is_signed(),
            lib.tensor([1], dtype=lib.uint8).is_signed(),
            x.is_same_size(x[0]),
            x.is_conj(),
            lib.tensor([1, 2, 3]).split_with_sizes([1, 2]),
        )

    _both(program, torch)
    _same_error(lambda lib: lib.heaviside(lib.tensor([1]), lib.tensor([0.5])), torch)
    _same_error(lambda lib: lib.cov(lib.ones(2, 2, 2)), torch)


def test_in_place_forms(torch):
    def program(lib):
        m = lib.tensor([True, False, True])
        view = m[1:]
        m &= lib.tensor([True, True, False])
        a = lib.tensor([12, 10])
        a |= 1
        a ^= 3
        a <<= 1
        a >>= 2
        b = lib.tensor([6, 9])
        b.bitwise_and_(3)
        b.gcd_(lib.tensor([4, 6]))
        x = lib.tensor([1.5, -2.5, 3.0])
        x.cumprod_(0)
        y = lib.tensor([-1.7, 2.2])
        y.fix_()
        w = lib.tensor([1.0, 2.0])
        w.exp2_()
        w.copysign_(lib.tensor([-1.0, 1.0]))
        c = lib.tensor([3.0, 1.0])
        c.greater_(2)
        r = lib.ones(2, 3)
        r.renorm_(2, 0, 1.0)
        return m, view, a, b, x, y, w, c, r

    _both(program, torch)


def test_products_in_other_spellings(torch):
    def program(lib):
        a, b = lib.arange(6.0).reshape(2, 3), lib.arange(12.0).reshape(3, 4)
        return (
            lib.einsum(a, [0, 1], b, [1, 2], [0, 2]),
            lib.einsum(a, [Ellipsis, 1], b, [1, 2]),
            lib.addr(lib.zeros(2, 2), lib.ones(2), lib.tensor([1.0, 2.0])),
            lib.ones(2, 2).addr(lib.ones(2), lib.ones(2), beta=2, alpha=0.5),
            lib.chain_matmul(lib.ones(2, 3), lib.ones(3, 2)),
            lib.matrix_power(lib.tensor([[2.0, 0.0], [1.0, 2.0]]), -2),
            lib.tensor([[1.0, 1.0], [0.0, 1.0]]).matrix_power(0),
        )

    _both(program, torch)


def test_default_generator_and_fork_rng(torch):
    def program(lib):
        g = lib.default_generator
        g.manual_seed(3)
        seeded = lib.initial_seed()
        lib.manual_seed(0)
        first = lib.rand(1)
        with lib.random.fork_rng():
            lib.rand(5)
        after_fork = lib.rand(1)
        lib.manual_seed(0)
        lib.rand(1)
        return seeded, lib.equal(after_fork, lib.rand(1)), first.shape, g is lib.default_generator

    _both(program, torch)


def test_strides_of_inserted_dims_and_layout(torch):
    def program(lib):
        x = lib.zeros(2, 3)
        return (
            x[:, None].stride(),
            x[None].stride(),
            x[..., None].stride(),
            lib.zeros(3, 1)[:, :, None].stride(),
            x[:, 0:1].stride(),
            lib.zeros(1, 3).expand(2, 3).stride(),
            str(x.layout),
            x.layout == lib.strided,
        )

    _both(program, torch)


def test_python_numbers_out_of_an_integer_dtype_raise(torch):
    for value, name in (([300], "uint8"), ([2**31], "int32"), ([1.5e10], "int32"), (500, "int8")):
        _same_error(lambda lib, v=value, n=name: lib.tensor(v, dtype=getattr(lib, n)), torch)
    _same_error(lambda lib: lib.tensor([2**63]), torch)
    with pytest.raises(RuntimeError, match="cannot be converted to type int32 without overflow"):
        minitorch.tensor([2**31], dtype=minitorch.int32)
    _both(
        lambda lib: (
            lib.tensor([-1], dtype=lib.uint8),
            lib.tensor([3e9], dtype=lib.int64),
            lib.tensor(np.array([300]), dtype=lib.uint8),
            lib.tensor(2**63 - 1),
        ),
        torch,
    )


def test_median_gradient_is_shared_among_ties(torch):
    def program(lib):
        grads = []
        for values, fn in (
            ([1.0, 2.0, 2.0, 5.0], lambda t: t.median()),
            ([[1.0, 2.0], [2.0, 5.0]], lambda t: lib.median(t)),
            ([1.0, 2.0, 2.0, 5.0], lambda t: t.nanmedian()),
            ([1.0, float("nan"), 2.0], lambda t: t.median()),
        ):
            x = lib.tensor(values, requires_grad=True)
            y = fn(x)
            y.backward()
            grads += [y, x.grad, y.grad_fn.name()]
        return grads

    _both(program, torch)


def test_index_fill_counts_negative_indices_from_the_end(torch):
    x = [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    _both(lambda lib: lib.tensor(x).index_fill(1, lib.tensor([-1, 0]), -7.0), torch)
    _same_error(lambda lib: lib.tensor(x).index_fill(1, lib.tensor([-4]), 0.0), torch)


def test_keyword_argument_names(torch):
    """Programs pass arguments by PyTorch's keyword names."""

    def program(lib):
        x = lib.arange(6.0).reshape(2, 3)
        idx = lib.tensor([[0], [2]])
        return (
            x.reshape(shape=(3, 2)),
            lib.reshape(x, shape=(-1,)),
            x.view(size=(3, 2)),
            x.permute(dims=(1, 0)),
            lib.permute(x, dims=(1, 0)),
            lib.ones(1, 3).expand(size=(2, 3)),
            x.flip(dims=(0,)),
            lib.flip(x, dims=[1]),
            x.tile(dims=(2,)),
            x.split(split_size=1, dim=0),
            lib.split(x, split_size_or_sections=[1, 2], dim=1),
            lib.gather(x, 1, idx, sparse_grad=False),
            x.swapaxes(axis0=0, axis1=1),
            lib.swapdims(x, dim0=1, dim1=0),
            lib.max(x, other=lib.ones(3)),
            x.min(other=lib.full((3,), 2.0)),
            lib.dot(x[0], tensor=x[1]),
        )

    _both(program, torch)


def test_var_and_std_of_float32_round_once_as_pytorch(torch):
    """PyTorch's CPU var/std accumulate float32 input in double and round once: the
    printed ``.item()`` then agrees to the last digit."""
    rng = np.random.default_rng(0)
    data = [
        (rng.standard_normal(shape) * scale + shift).astype(np.float32)
        for shape, scale, shift in (((1000,), 30.0, 7.0), ((7, 50), 0.1, -3.0), ((10,), 1.0, 0.0))
    ]
    data.append(np.arange(10, dtype=np.float32) / 3)

    def program(lib):
        out = []
        for a in data:
            t = lib.tensor(a)
            out += [t.var(), t.std(), t.var(0, correction=0), lib.std_mean(t)[0]]
            out += [lib.var_mean(t, -1, keepdim=True)[0]]
        return [o.numpy() for o in out]

    for mine, theirs in zip(program(minitorch), program(torch), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_cumsum_and_cumprod_of_float32_match_pytorch_bitwise(torch):
    """PyTorch's CPU scans accumulate float32 in double: running totals (positions from a
    mask, cumulative probabilities in nucleus sampling) agree to the last bit."""
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((3, 257)) * 7).astype(np.float32)
    p = (1 + 0.01 * rng.standard_normal((2, 64))).astype(np.float32)

    def program(lib):
        t = lib.tensor(a)
        return [t.cumsum(1), t.cumsum(0), lib.tensor(p).cumprod(1), lib.cumsum(t, -1, dtype=None)]

    for mine, theirs in zip(program(minitorch), program(torch), strict=True):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


METRICS_PROGRAM = """
torch.manual_seed(0)
logits = torch.tensor([[2.0, 0.5, 0.1, -1.0], [0.2, 0.1, 3.0, 0.3], [1.0, 1.5, 0.2, 0.1], [0.0, 0.1, 0.2, 2.5], [0.3, 2.2, 0.1, 0.0]])
target = torch.tensor([0, 2, 0, 3, 1])
def accuracy(output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk)
        batch_size = target.size(0)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        res = []
        for k in topk:
            correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
            res.append(correct_k.mul_(100.0 / batch_size))
        return res
print(accuracy(logits, target, topk=(1, 2)))
probs = torch.softmax(logits, dim=1)
print(probs.sum(dim=1))
print(torch.argmax(probs, dim=1))
conf = torch.zeros(4, 4, dtype=torch.int64)
for t, p in zip(target.view(-1), logits.argmax(1).view(-1)):
    conf[t.long(), p.long()] += 1
print(conf)
print(conf.diag() / conf.sum(1))
print(f"acc={conf.trace().item() / conf.sum().item():.4f}")
loss = torch.nn.functional.cross_entropy(logits, target)
print(loss, loss.item())
print(torch.nn.functional.nll_loss(torch.log_softmax(logits, 1), target, reduction='none'))
x = torch.linspace(-1, 1, 5)
print(x, x.dtype, x.shape)
print(torch.bucketize(x, torch.tensor([-0.5, 0.0, 0.5])))
print(torch.unique(target, return_counts=True))
print(torch.stack([x, x ** 2]).T)
print(torch.where(x > 0, x, torch.zeros_like(x)))
print(x.masked_fill(x < 0, float('-inf')).softmax(0))
print(torch.cumsum(x, 0), torch.cumprod(x + 2, 0))
print(x.view(-1, 1) * x.view(1, -1))
print(torch.einsum('i,j->ij', x, x).sum(), torch.outer(x, x).trace())
"""

ATTENTION_PROGRAM = """
d_model, max_len = 6, 4
pe = torch.zeros(max_len, d_model)
position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
pe[:, 0::2] = torch.sin(position * div_term)
pe[:, 1::2] = torch.cos(position * div_term)
pe = pe.unsqueeze(0).transpose(0, 1)
print(pe.shape)
print(pe[:, 0, :])
mask = (torch.triu(torch.ones(4, 4)) == 1).transpose(0, 1)
mask = mask.float().masked_fill(mask == 0, float('-inf')).masked_fill(mask == 1, float(0.0))
print(mask)
scores = torch.arange(16.).view(4, 4) / 4 + mask
attn = scores.softmax(-1)
print(attn)
print(attn.max(dim=-1))
print(attn.argmax(-1).tolist())
beam = torch.tensor([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]]).log()
scores = beam.view(-1)
top_scores, top_ids = scores.topk(3)
print(top_scores, top_ids // 3, top_ids % 3)
print(torch.div(top_ids, 3, rounding_mode='floor'))
onehot = torch.nn.functional.one_hot(torch.tensor([2, 0, 1]), num_classes=3)
print(onehot, onehot.dtype)
print(onehot.float() @ torch.tensor([1.0, 10.0, 100.0]))
x = torch.arange(24).reshape(2, 3, 4)
print(x[..., 1:3], x[:, [0, 2]], x[x % 5 == 0])
print(x.flip(-1)[0], x.roll(1, dims=2)[1, 0], x.permute(2, 0, 1).shape, x.movedim(0, -1).shape)
print(torch.cat([x, x], dim=1).shape, torch.chunk(x, 2, dim=2)[1].shape, x.split([1, 3], dim=2)[1].sum())
print(x.float().mean(dim=(0, 2)), x.sum(-1, keepdim=True).shape, x.max(), x.min(dim=1).indices)
print(torch.nonzero(x[0] > 8), torch.nonzero(x[0] > 8, as_tuple=True))
print(x.float().std(dim=1), x.float().var(unbiased=False))
print(torch.quantile(x.float(), 0.25), torch.median(x[0]), x[0].mode(dim=1))
print(torch.finfo(torch.float32).eps, torch.iinfo(torch.int32).max, torch.finfo(torch.float16).max)
"""


@pytest.mark.parametrize(
    "source", [METRICS_PROGRAM, ATTENTION_PROGRAM], ids=["metrics", "attention"]
)
def test_whole_program_prints_what_pytorch_prints(source, torch):
    """A script written for PyTorch, run with ``torch`` bound to each library: the printed
    text is the same (up to the library's name)."""

    def run(lib) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(source, {"torch": lib, "math": math})
        return out.getvalue().replace("minitorch", "torch")

    assert run(minitorch) == run(torch)


def test_as_strided_sliding_windows(torch):
    def program(lib):
        x = lib.arange(10.0)
        w = lib.zeros(6)
        w.as_strided((2, 2), (2, 1))[1, 1] = 5.0
        return (
            x.as_strided((3, 4), (2, 1)),
            x[2:].as_strided((2, 2), (1, 1), 3),
            lib.as_strided(x, (2,), (3,), 1),
            x.as_strided((0, 3), (1, 1)),
            w,
        )

    _both(program, torch)
    _same_error(lambda lib: lib.arange(10.0).as_strided((3, 4), (4, 1)), torch)
    _same_error(lambda lib: lib.arange(10.0).as_strided((3,), (-1,)), torch)
