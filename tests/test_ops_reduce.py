"""Reductions: gradcheck/gradgradcheck in float64, PyTorch oracle for values, indices and
gradients (float32 and float64), ties, zeros in prod, integer reductions, and bad dims."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import Case, assert_same, cases, check_against_torch, check_gradients

import minitorch


def with_zeros(m, a, n: int):
    """``a`` (2-D) with its first row's first ``n`` entries replaced by zeros."""
    mask = np.zeros(tuple(a.shape), bool)
    mask[0, :n] = True
    return a.masked_fill(m.tensor(mask), 0.0)


def tied(m, a):
    """Two equal rows: the first carries the gradient, the second is detached."""
    return m.stack([a, a.detach()])


REDUCTIONS = {
    "sum_all": Case(lambda m, a: a.sum(), [(2, 3)]),
    "sum_dim": Case(lambda m, a: a.sum(1), [(2, 3)]),
    "sum_dims_keepdim": Case(lambda m, a: m.sum(a, (0, -1), keepdim=True), [(2, 3, 4)]),
    "sum_0d": Case(lambda m, a: a.sum(), [()]),
    "sum_0d_dim": Case(lambda m, a: a.sum(0), [()]),
    "sum_size1": Case(lambda m, a: a.sum(1), [(3, 1)]),
    "sum_float64_dtype": Case(lambda m, a: a.sum(0, dtype=m.float64), [(2, 3)]),
    "mean_all": Case(lambda m, a: a.mean(), [(2, 3)]),
    "mean_dims": Case(lambda m, a: a.mean((0, 2)), [(2, 3, 2)]),
    "mean_keepdim": Case(lambda m, a: m.mean(a, -1, keepdim=True), [(2, 3)]),
    "var_all": Case(lambda m, a: a.var(), [(2, 3)]),
    "var_dim_biased": Case(lambda m, a: a.var(1, correction=0), [(2, 3)]),
    "var_correction2": Case(lambda m, a: m.var(a, 0, correction=2, keepdim=True), [(4, 3)]),
    "var_unbiased_false": Case(lambda m, a: a.var(0, unbiased=False), [(4, 2)]),
    "var_positional_legacy": Case(lambda m, a: a.var(1, False, True), [(2, 3)]),
    "std_positional_unbiased": Case(lambda m, a: m.std(a, False), [(2, 3)]),
    "var_mean": Case(lambda m, a: m.var_mean(a, 1, correction=0), [(2, 3)]),
    "std_mean": Case(lambda m, a: m.std_mean(a, 0, keepdim=True), [(3, 2)]),
    "std_all": Case(lambda m, a: a.std(), [(2, 3)]),
    "std_dims": Case(lambda m, a: m.std(a, (0, 1), correction=0), [(2, 3, 2)]),
    "max_all": Case(lambda m, a: a.max(), [(2, 3)]),
    "max_dim": Case(lambda m, a: a.max(1), [(2, 3)]),
    "max_dim_keepdim": Case(lambda m, a: m.max(a, 0, keepdim=True), [(2, 3)]),
    "max_0d": Case(lambda m, a: a.max(0), [()]),
    "min_all": Case(lambda m, a: a.min(), [(2, 3)]),
    "min_dim": Case(lambda m, a: a.min(-1), [(2, 3, 2)]),
    "max_ties": Case(lambda m, a: tied(m, a).max(), [(3,)], fd=False),
    "max_dim_ties": Case(lambda m, a: tied(m, a).max(0), [(3,)], fd=False),
    "min_dim_ties": Case(lambda m, a: tied(m, a).min(0), [(3,)], fd=False),
    "amax": Case(lambda m, a: a.amax(1), [(2, 3)]),
    "amax_all": Case(lambda m, a: m.amax(a), [(2, 3)]),
    "amin_dims": Case(lambda m, a: a.amin((0, 2), keepdim=True), [(2, 3, 2)]),
    "amax_ties": Case(lambda m, a: tied(m, a).amax(0), [(3,)], fd=False),
    "amin_ties_all": Case(lambda m, a: tied(m, a).amin(), [(3,)], fd=False),
    "prod_all": Case(lambda m, a: a.prod(), [(2, 3)]),
    "prod_dim": Case(lambda m, a: a.prod(1), [(2, 3)]),
    "prod_keepdim": Case(lambda m, a: m.prod(a, 0, keepdim=True), [(3, 2)]),
    "prod_0d": Case(lambda m, a: a.prod(), [()]),
    "prod_one_zero": Case(lambda m, a: with_zeros(m, a, 1).prod(1), [(2, 3)]),
    "prod_one_zero_all": Case(lambda m, a: with_zeros(m, a, 1).prod(), [(2, 3)]),
    "prod_two_zeros": Case(lambda m, a: with_zeros(m, a, 2).prod(1), [(2, 3)], gradgrad=False),
    "logsumexp": Case(lambda m, a: a.logsumexp(1), [(2, 3)]),
    "logsumexp_dims_keepdim": Case(lambda m, a: m.logsumexp(a * 30, (0, 1), True), [(2, 3)]),
    "cumsum": Case(lambda m, a: a.cumsum(1), [(2, 3)]),
    "cumsum_neg_dim": Case(lambda m, a: m.cumsum(a, -2), [(3, 2)]),
    "cumsum_0d": Case(lambda m, a: a.cumsum(0), [()]),
    "norm": Case(lambda m, a: a.norm(), [(2, 3)]),
    "norm_dim": Case(lambda m, a: m.norm(a, dim=1, keepdim=True), [(2, 3)]),
    "norm_p1": Case(lambda m, a: a.norm(1), [(2, 3)]),
    "norm_p3_dim": Case(lambda m, a: a.norm(3, dim=0), [(2, 3)]),
    "norm_inf": Case(lambda m, a: a.norm(float("inf"), dim=1), [(2, 3)]),
    "norm_zero_row": Case(lambda m, a: with_zeros(m, a, 3).norm(dim=1), [(2, 3)], gradgrad=False),
    "softmax": Case(lambda m, a: a.softmax(1), [(2, 3)]),
    "softmax_dim0": Case(lambda m, a: m.softmax(a, 0), [(2, 3)]),
    "softmax_0d": Case(lambda m, a: a.softmax(0), [()]),
    "softmax_large": Case(lambda m, a: (a * 300).softmax(-1), [(2, 3)]),
    "softmax_dtype": Case(lambda m, a: a.softmax(1, dtype=m.float64), [(2, 3)]),
    "log_softmax": Case(lambda m, a: a.log_softmax(-1), [(2, 3)]),
    "log_softmax_3d": Case(lambda m, a: m.log_softmax(a, 1), [(2, 3, 2)]),
    "log_softmax_large": Case(lambda m, a: (a * 300).log_softmax(1), [(2, 3)]),
}


@pytest.mark.parametrize("case", cases(REDUCTIONS, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(REDUCTIONS))
def test_matches_torch(case, dtype, torch):
    check_against_torch(case, torch, dtype)


NO_GRAD = {
    "argmax": lambda m, a: a.argmax(),
    "argmax_dim": lambda m, a: m.argmax(a, 1),
    "argmin_keepdim": lambda m, a: a.argmin(0, keepdim=True),
    "argmax_ties": lambda m, a: (a > 0).to(m.float32).argmax(1),
    "all_dim": lambda m, a: (a > -1).all(1),
    "any": lambda m, a: (a > 1.5).any(),
    "count_nonzero": lambda m, a: (a > 0).count_nonzero(),
    "sum_int": lambda m, a: (a * 10).to(m.int32).sum(0),
    "sum_bool": lambda m, a: (a > 0).sum(),
    "prod_int": lambda m, a: (a * 3).to(m.int64).prod(1),
    "cumsum_bool": lambda m, a: (a > 0).cumsum(1),
    "max_int_dim": lambda m, a: (a * 10).to(m.int32).max(1),
    "amax_int": lambda m, a: (a * 10).to(m.int64).amax(),
    "norm_p0": lambda m, a: a.norm(0),
    "var_single_element": lambda m, a: a[:1].var(0, correction=0),
    "amax_of_empty_rows": lambda m, a: a[:0].amax(1),
    "max_of_empty_rows": lambda m, a: a[:0].max(1),
    "logsumexp_of_empty_rows": lambda m, a: a[:0].logsumexp(1),
    "sum_of_empty": lambda m, a: a[:0].sum(0),
    "half_norm_no_overflow": lambda m, a: (a * 200).half().norm(),
    "half_softmax": lambda m, a: (a * 5).half().softmax(1),
    "half_sum": lambda m, a: (a * 5).half().sum(1),
    "half_sum_no_overflow": lambda m, a: m.tensor([6e4, 6e4, -6e4], dtype=m.float16).sum(),
    "half_cumsum": lambda m, a: m.tensor([6e4, 6e4, -6e4], dtype=m.float16).cumsum(0),
}


@pytest.mark.parametrize("name", NO_GRAD)
def test_no_grad_reductions_match_torch(name, torch):
    a = np.random.default_rng(0).uniform(-2, 2, (3, 4)).astype(np.float32)
    outs = NO_GRAD[name](minitorch, minitorch.tensor(a))
    touts = NO_GRAD[name](torch, torch.tensor(a))
    outs, touts = (outs, touts) if isinstance(outs, tuple) else ((outs,), (touts,))
    for o, t in zip(outs, touts):
        assert_same(o, t)


def test_max_returns_named_values_and_indices(torch):
    x = minitorch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]])
    out = x.max(dim=1)
    assert out.values.tolist() == [5.0, 7.0]
    assert out.indices.tolist() == [1, 0]
    assert out.indices.dtype is minitorch.int64
    values, indices = minitorch.min(x, 1, keepdim=True)
    assert values.shape == (2, 1) and indices.tolist() == [[0], [1]]


def test_sum_of_float32_stays_float32():
    x = minitorch.ones(1000, dtype=minitorch.float32)
    assert x.sum().dtype is minitorch.float32
    assert x.mean().dtype is minitorch.float32
    assert x.var().dtype is minitorch.float32
    assert x.norm().dtype is minitorch.float32


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.sum(2),
        lambda x: x.mean(-3),
        lambda x: x.max(5),
        lambda x: x.amax((0, 2)),
        lambda x: x.cumsum(2),
        lambda x: x.logsumexp(-4),
        lambda x: x.argmax(2),
        lambda x: x.softmax(2),
        lambda x: x.prod(3),
    ],
)
def test_bad_dim_raises_index_error(call):
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of"):
        call(minitorch.ones(2, 3))


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda x: x.amax(), RuntimeError, r"amax\(\): Expected reduction dim to be specified"),
        (lambda x: x.max(), RuntimeError, r"^max\(\): Expected reduction dim to be specified"),
        (lambda x: x.argmax(), IndexError, r"argmax\(\): Expected reduction dim to be specified"),
        (lambda x: x.argmin(), IndexError, r"argmin\(\): Expected reduction dim to be specified"),
        (
            lambda x: x.max(0),
            IndexError,
            r"max\(\): Expected reduction dim 0 to have non-zero size",
        ),
        (
            lambda x: x.amin(0),
            IndexError,
            r"amin\(\): Expected reduction dim 0 to have non-zero size",
        ),
        (
            lambda x: x.sum((1, -1)),
            RuntimeError,
            "dim 1 appears multiple times in the list of dims",
        ),
    ],
)
def test_max_like_reductions_of_empty_dims_raise(call, error, text):
    with pytest.raises(error, match=text):
        call(minitorch.zeros(0, 3))


def test_mean_of_integers_raises():
    with pytest.raises(RuntimeError, match=r"mean\(\): could not infer output dtype.*Got: Long"):
        minitorch.arange(4).mean()


def test_prod_double_backward_through_two_zeros():  # PyTorch's prod_safe_zeros_backward
    x = minitorch.tensor([0.0, 0.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    (g,) = minitorch.autograd.grad(x.prod(), x)
    assert g.tolist() == [0.0, 0.0, 0.0]
    (g,) = minitorch.autograd.grad(x.prod(), x, create_graph=True)
    (h,) = minitorch.autograd.grad(g[0], x)
    assert g.tolist() == [0.0, 0.0, 0.0] and h.tolist() == [0.0, 2.0, 0.0]


def test_std_of_a_constant_row_has_zero_gradient(torch):
    """PyTorch masks std's backward where std is 0: a constant row gives 0, not NaN."""
    data = [[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]
    grads = []
    for lib in (torch, minitorch):
        x = lib.tensor(data, requires_grad=True)
        (x.std(1).sum() + lib.std_mean(x[0])[0]).backward()
        grads.append(x.grad.numpy())
    assert not np.isnan(grads[1]).any()
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-6)
    assert minitorch.autograd.gradcheck(
        lambda t: t.std(1),
        (
            minitorch.tensor(
                [[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]], dtype=minitorch.float64, requires_grad=True
            ),
        ),
    )


def test_logsumexp_of_an_empty_dim_is_minus_inf(torch):
    for lib in (torch, minitorch):
        x = lib.zeros(2, 0, requires_grad=True)
        out = lib.logsumexp(x, 1)
        assert out.tolist() == [-float("inf")] * 2
        out.sum().backward()
        assert tuple(x.grad.shape) == (2, 0)


def test_sum_with_dtype_bool_says_whether_any_is_nonzero(torch):
    for lib in (torch, minitorch):
        t = lib.tensor([[0, 0], [1, 0]])
        assert t.sum(dtype=lib.bool).item() is True
        assert t.sum(0, dtype=lib.bool).tolist() == [True, False]
        assert t.sum(0, dtype=lib.bool).dtype == lib.bool


def test_zero_norm_counts_nonzeros_in_the_graph_and_pdist_refuses_negative_p(torch):
    for lib in (torch, minitorch):
        x = lib.tensor([[1.0, 2.0], [3.0, 5.0], [0.0, 1.0]], requires_grad=True)
        n = x.norm(0)
        assert n.item() == 5.0 and n.grad_fn is not None
        d = lib.pdist(x, 0)
        assert d.tolist() == [2.0, 2.0, 2.0]
        d.sum().backward()
        assert x.grad.tolist() == [[0.0, 0.0]] * 3
        with pytest.raises(RuntimeError, match="pdist only supports non-negative p values"):
            lib.pdist(x, -1)
