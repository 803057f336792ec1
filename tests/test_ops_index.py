"""Indexing: ``x[...]`` with ints, slices, None, Ellipsis, integer arrays and boolean masks,
``x[...] = v``, gather / scatter_add / index_select / index_add / masked_fill; gradcheck,
gradgradcheck, the PyTorch oracle, and the errors for bad indices."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import Case, assert_same, cases, check_against_torch, check_gradients

import minitorch
from minitorch.autograd import gradcheck

MASK = np.array([[True, False, True], [False, False, True]])
IDX = np.array([[0, 0], [2, 1]])


def put(m, x, index, value):
    """``y = x.clone(); y[index] = value``: the out-of-place form of ``__setitem__``."""
    y = x * 1
    y[index] = value
    return y


def const(m, array):
    return m.tensor(array)


INDEXING = {
    "int": Case(lambda m, a: a[1], [(2, 3)]),
    "negative_int": Case(lambda m, a: a[-1, -2], [(2, 3)]),
    "int_to_0d": Case(lambda m, a: a[0, 1] * 2, [(2, 3)]),
    "slice": Case(lambda m, a: a[:, 1:], [(2, 3)]),
    "slice_step": Case(lambda m, a: a[::2, ::2], [(3, 4)]),
    "slice_out_of_range": Case(lambda m, a: a[1:10], [(3, 2)]),
    "none": Case(lambda m, a: a[None, :, None], [(2, 3)]),
    "ellipsis": Case(lambda m, a: a[..., 1], [(2, 2, 3)]),
    "ellipsis_none": Case(lambda m, a: a[None, ..., None, 0], [(2, 3)]),
    "int_list": Case(lambda m, a: a[[1, 0, 1]], [(2, 3)]),
    "int_tensor": Case(lambda m, a: a[:, const(m, [2, 0, 2])], [(2, 3)]),
    "int_tensor_2d": Case(lambda m, a: a[const(m, IDX)], [(3, 2)]),
    "two_int_arrays": Case(lambda m, a: a[[0, 1, 1], [2, 0, 2]], [(2, 3)]),
    "array_and_slice": Case(lambda m, a: a[[1, 0], 1:], [(2, 3)]),
    "bool_mask": Case(lambda m, a: a[const(m, MASK)], [(2, 3)]),
    "bool_mask_rows": Case(lambda m, a: a[const(m, [True, False, True])], [(3, 2)]),
    "bool_from_compare": Case(lambda m, a: a[a > 0], [(2, 3)]),
    "bool_list_cols": Case(lambda m, a: a[:, [True, False, True]], [(2, 3)]),
    "setitem_int": Case(lambda m, a, v: put(m, a, 0, v), [(2, 3), (3,)]),
    "setitem_broadcast": Case(lambda m, a, v: put(m, a, (slice(None), 1), v), [(2, 3), ()]),
    "setitem_scalar": Case(lambda m, a: put(m, a, (..., 0), 2.5), [(2, 3)]),
    "setitem_mask": Case(lambda m, a: put(m, a, const(m, MASK), 0.0), [(2, 3)]),
    "setitem_mask_tensor": Case(lambda m, a, v: put(m, a, const(m, MASK), v), [(2, 3), (3,)]),
    "setitem_int_array": Case(lambda m, a, v: put(m, a, [1, 0], v), [(3, 2), (2, 2)]),
    "gather": Case(lambda m, a: a.gather(1, const(m, IDX)), [(2, 3)]),
    "gather_dim0": Case(lambda m, a: m.gather(a, 0, const(m, [[1, 0, 1]])), [(2, 3)]),
    "scatter_add": Case(lambda m, a, s: a.scatter_add(1, const(m, IDX), s), [(2, 3), (2, 2)]),
    "index_select": Case(lambda m, a: a.index_select(1, const(m, [2, 0, 2])), [(2, 3)]),
    "index_select_0d_index": Case(lambda m, a: m.index_select(a, 0, const(m, 1)), [(2, 3)]),
    "index_add": Case(lambda m, a, s: a.index_add(0, const(m, [1, 1]), s), [(2, 3), (2, 3)]),
    "masked_fill": Case(lambda m, a: a.masked_fill(const(m, MASK), -1.0), [(2, 3)]),
    "masked_fill_broadcast": Case(lambda m, a: a.masked_fill(const(m, MASK[0]), 0.5), [(2, 3)]),
    "masked_fill_0d_tensor": Case(
        lambda m, a, v: m.masked_fill(a, const(m, MASK), v), [(2, 3), ()]
    ),
    "masked_fill_expands": Case(lambda m, a: a.masked_fill(const(m, MASK), 1.0), [(1, 3)]),
    "masked_select": Case(lambda m, a: a.masked_select(const(m, MASK[0])), [(2, 3)]),
}


@pytest.mark.parametrize("case", cases(INDEXING, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(INDEXING))
def test_matches_torch(case, dtype, torch):
    check_against_torch(case, torch, dtype)


@pytest.mark.parametrize(
    "index",
    [
        (0,),
        (slice(None), 1),
        (Ellipsis, slice(1, 3)),
        (None, 1),
        (slice(None, None, 2),),
        (1, slice(0, 2)),
    ],
)
def test_basic_indexing_is_a_view(index):
    x = minitorch.zeros(2, 3)
    v = x[index]
    x[...] = 1.0
    assert v.numpy().min() == 1.0
    assert v._version == x._version


def test_advanced_indexing_copies():
    x = minitorch.zeros(2, 3)
    v = x[[0, 1]]
    x[...] = 1.0
    assert v.numpy().max() == 0.0


def test_setitem_in_place_bumps_version_and_writes_through_views():
    x = minitorch.zeros(2, 3)
    row = x[1]
    row[1:] = minitorch.tensor([5.0, 6.0])
    assert x.tolist() == [[0.0, 0.0, 0.0], [0.0, 5.0, 6.0]]
    assert x._version == row._version == 1


def test_scatter_add_with_src_larger_than_index():
    """Only src's leading index-shaped block is used; the rest gets zero gradient (PyTorch's
    own backward rejects this case, so finite differences are the oracle)."""
    case = Case(lambda m, a, s: m.scatter_add(a, 0, const(m, [[1, 1, 0]]), s), [(2, 3), (2, 4)])
    check_gradients(case)
    out = minitorch.zeros(2, 3).scatter_add(0, minitorch.tensor([[1, 1, 0]]), minitorch.ones(2, 4))
    assert out.tolist() == [[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]


def test_list_of_lists_is_read_as_a_tuple_of_indices():
    """PyTorch 2.x (deprecated there, still its behaviour): x[[[0, 1], [1, 0]]] is x[[0, 1], [1, 0]]."""
    x = minitorch.arange(6).reshape(2, 3)
    assert x[[[0, 1], [1, 0]]].tolist() == x[[0, 1], [1, 0]].tolist() == [1, 3]


def test_repeated_indices_accumulate_gradients():
    x = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


NO_GRAD = {
    "nonzero": lambda m, x: (x > 0).nonzero(),
    "nonzero_tuple": lambda m, x: m.nonzero(x > 0, as_tuple=True),
    "where_one_arg": lambda m, x: m.where(x > 0),
    "empty_list": lambda m, x: x[[]],
    "empty_int_tensor": lambda m, x: x[m.tensor([], dtype=m.int64)],
    "int_tensor_0d": lambda m, x: x[m.tensor(1)],
    "numpy_int": lambda m, x: x[np.int64(1)],
    "numpy_array": lambda m, x: x[np.array([1, 0])],
    "true_index": lambda m, x: x[True],
    "false_index": lambda m, x: x[False],
    "int_index_of_int": lambda m, x: (x > 0).long()[1, [0, 2]],
    "broadcast_index_arrays": lambda m, x: x[m.tensor([[0], [1]]), m.tensor([0, 2])],
    "index_2d_cols": lambda m, x: x[:, m.tensor([[0, 1], [1, 2]])],
}


@pytest.mark.parametrize("name", NO_GRAD)
def test_more_indexing_matches_torch(name, torch):
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    out, expected = (
        NO_GRAD[name](minitorch, minitorch.tensor(x)),
        NO_GRAD[name](torch, torch.tensor(x)),
    )
    if isinstance(expected, tuple):
        assert len(out) == len(expected)
        for o, e in zip(out, expected):
            assert_same(o, e)
    else:
        assert_same(out, expected)


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda x: x[2], IndexError, "index 2 is out of bounds for dimension 0 with size 2"),
        (lambda x: x[-3], IndexError, "index -3 is out of bounds for dimension 0 with size 2"),
        (lambda x: x[0, 3], IndexError, "index 3 is out of bounds for dimension 1 with size 3"),
        (lambda x: x[0, 0, 0], IndexError, "too many indices"),
        (lambda x: x[[0, 2]], IndexError, "index 2 is out of bounds"),
        (lambda x: x[:, [3]], IndexError, "index 3 is out of bounds"),
        (lambda x: x[1.5], IndexError, r"valid indices \(got float\)"),
        (lambda x: x[minitorch.tensor([0.0])], IndexError, "tensors used as indices must be long"),
        (lambda x: x[:, ::-1], ValueError, "step must be greater than zero"),
        (
            lambda x: x.gather(1, minitorch.tensor([[3]])),
            RuntimeError,
            r"gather\(\): index 3 is out of bounds for dimension 1 with size 3",
        ),
        (
            lambda x: x.gather(1, minitorch.tensor([[-1]])),
            RuntimeError,
            r"gather\(\): index -1 is out of bounds for dimension 1 with size 3",
        ),
        (
            lambda x: x.gather(1, minitorch.tensor([0])),
            RuntimeError,
            "Index tensor must have the same number of dimensions as input tensor",
        ),
        (
            lambda x: x.gather(1, minitorch.zeros(3, 1, dtype=minitorch.int64)),
            RuntimeError,
            r"Size does not match at dimension 0 expected index \[3, 1\] to be no larger than "
            r"self \[2, 3\] apart from dimension 1",
        ),
        (
            lambda x: x.gather(1, minitorch.tensor([[0.0]])),
            RuntimeError,
            "Expected dtype int32/int64 for index",
        ),
        (
            lambda x: x.scatter_add(1, minitorch.tensor([[3]]), minitorch.ones(1, 1)),
            RuntimeError,
            r"index 3 is out of bounds for dimension 1 with size 3",
        ),
        (
            lambda x: x.scatter_add(
                1, minitorch.tensor([[0]]), minitorch.ones(1, 1, dtype=minitorch.float64)
            ),
            RuntimeError,
            "Expected self.dtype to be equal to src.dtype",
        ),
        (
            lambda x: x.scatter_add(1, minitorch.tensor([[0, 1]]), minitorch.ones(1, 1)),
            RuntimeError,
            r"Expected index \[1, 2\] to be no larger than self \[2, 3\] apart from dimension 1 "
            r"and to be no larger size than src \[1, 1\]",
        ),
        (
            lambda x: x.index_select(0, minitorch.tensor([2])),
            IndexError,
            r"index_select\(\): index 2 is out of bounds for dimension 0 with size 2",
        ),
        (
            lambda x: x.index_select(0, minitorch.tensor([[0]])),
            IndexError,
            "Index is supposed to be a vector",
        ),
        (
            lambda x: x.masked_fill(minitorch.ones(2, 3), 0.0),
            RuntimeError,
            "only supports boolean masks",
        ),
        (
            lambda x: x.masked_fill(x > 0, minitorch.ones(2)),
            RuntimeError,
            "0-dimensional value tensor",
        ),
    ],
)
def test_index_errors(call, error, text):
    with pytest.raises(error, match=text):
        call(minitorch.ones(2, 3))


@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_prod_gradient_matches_pytorch(torch, include_self):
    """The product of the other factors, with zeros in self and src (one or two at a place)."""
    rng = np.random.default_rng(0)
    cases = [
        ([[2.0, 0.0, 3.0, 1.5], [1.0, 4.0, 0.0, 2.0]], [[5.0, 0.0, 2.0], [0.0, 0.0, 3.0]],
         [[0, 1, 0], [2, 2, 1]]),
        (rng.standard_normal((3, 5)), rng.standard_normal((3, 4)), rng.integers(0, 5, (3, 4))),
    ]  # fmt: skip

    def program(fw, x, src, index):
        x = fw.tensor(x, dtype=fw.float64, requires_grad=True)
        src = fw.tensor(src, dtype=fw.float64, requires_grad=True)
        out = x.scatter_reduce(1, fw.tensor(index), src, "prod", include_self=include_self)
        weights = fw.arange(float(out.numel()), dtype=fw.float64).reshape(out.shape) + 1
        (out * weights).sum().backward()
        return [out.detach().numpy(), x.grad.numpy(), src.grad.numpy()]

    for case in cases:
        for expected, actual in zip(program(torch, *case), program(minitorch, *case)):
            np.testing.assert_array_equal(actual, expected)


def test_scatter_reduce_prod_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(1)
    x = minitorch.tensor(rng.standard_normal((3, 5)), requires_grad=True)
    src = minitorch.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    index = minitorch.tensor(rng.integers(0, 5, (3, 4)))
    assert gradcheck(lambda x, s: x.scatter_reduce(1, index, s, "prod"), (x, src))
    assert minitorch.autograd.gradgradcheck(
        lambda x, s: x.scatter_reduce(1, index, s, "prod", include_self=False), (x, src)
    )
