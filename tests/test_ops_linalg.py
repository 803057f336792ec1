"""Matrix products: matmul in every rank combination (and ``@``, mm, bmm, mv, dot, outer),
gradcheck/gradgradcheck, the PyTorch oracle, dtypes and the shape errors."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import Case, cases, check_against_torch, check_gradients

import minitorch

MATMUL = {
    "vec_vec": Case(lambda m, a, b: a @ b, [(3,), (3,)]),
    "mat_vec": Case(lambda m, a, b: a @ b, [(2, 3), (3,)]),
    "vec_mat": Case(lambda m, a, b: m.matmul(a, b), [(3,), (3, 4)]),
    "mat_mat": Case(lambda m, a, b: a @ b, [(2, 3), (3, 4)]),
    "batched": Case(lambda m, a, b: a.matmul(b), [(2, 2, 3), (2, 3, 4)]),
    "batch_broadcast": Case(lambda m, a, b: a @ b, [(2, 1, 2, 3), (3, 3, 2)]),
    "batch_mat": Case(lambda m, a, b: a @ b, [(2, 2, 3), (3, 2)]),
    "mat_batch": Case(lambda m, a, b: a @ b, [(2, 3), (2, 3, 2)]),
    "batch_vec": Case(lambda m, a, b: a @ b, [(2, 2, 3), (3,)]),
    "vec_batch": Case(lambda m, a, b: a @ b, [(3,), (2, 3, 2)]),
    "size1_dims": Case(lambda m, a, b: a @ b, [(1, 3), (3, 1)]),
    "transposed": Case(lambda m, a, b: a.mT @ b.T, [(2, 3, 2), (4, 3)]),
    "mm": Case(lambda m, a, b: m.mm(a, b), [(2, 3), (3, 2)]),
    "bmm": Case(lambda m, a, b: a.bmm(b), [(2, 2, 3), (2, 3, 1)]),
    "mv": Case(lambda m, a, b: m.mv(a, b), [(2, 3), (3,)]),
    "dot": Case(lambda m, a, b: a.dot(b), [(4,), (4,)]),
    "outer": Case(lambda m, a, b: m.outer(a, b), [(2,), (3,)]),
    "quadratic_form": Case(lambda m, a, b: (a @ b @ a).tanh(), [(3,), (3, 3)]),
}


@pytest.mark.parametrize("case", cases(MATMUL, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(MATMUL))
def test_matches_torch(case, dtype, torch):
    check_against_torch(case, torch, dtype)


def test_float32_matmul_stays_float32_and_is_numpy_matmul():
    a = np.random.default_rng(0).standard_normal((8, 5)).astype(np.float32)
    out = minitorch.from_numpy(a) @ minitorch.from_numpy(a.T.copy())
    assert out.dtype is minitorch.float32
    np.testing.assert_array_equal(out.numpy(), a @ a.T)


def test_integer_matmul_matches_torch(torch):
    a = np.arange(6).reshape(2, 3)
    out = minitorch.tensor(a) @ minitorch.tensor(a.T)
    assert out.dtype is minitorch.int64
    assert out.tolist() == (torch.tensor(a) @ torch.tensor(a.T)).tolist()


@pytest.mark.parametrize(
    "sa, sb, text",
    [
        (
            (2, 3),
            (2, 3),
            r"matmul: mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\); "
            r"input shapes \[2, 3\] and \[2, 3\]",
        ),
        ((5,), (3,), r"inconsistent tensor size, expected tensor \[5\] and src \[3\]"),
        ((2, 3), (4,), r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"),
        (
            (2, 2, 3),
            (3, 3, 2),
            r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton "
            r"dimension 0; input shapes \[2, 2, 3\] and \[3, 3, 2\]",
        ),
        ((), (3,), r"both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
    ],
)
def test_matmul_shape_errors_name_both_shapes(sa, sb, text):
    with pytest.raises(RuntimeError, match=text):
        minitorch.ones(sa) @ minitorch.ones(sb)


def test_matmul_dtype_mismatch_raises():
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        minitorch.ones(2, 2) @ minitorch.ones(2, 2, dtype=minitorch.float64)


@pytest.mark.parametrize(
    "call, text",
    [
        (lambda: minitorch.mm(minitorch.ones(2), minitorch.ones(2, 2)), "self must be a matrix"),
        (lambda: minitorch.bmm(minitorch.ones(2, 2), minitorch.ones(2, 2)), "batch1 must be a 3D"),
        (lambda: minitorch.dot(minitorch.ones(2, 2), minitorch.ones(2)), "1D tensors expected"),
    ],
)
def test_rank_checks(call, text):
    with pytest.raises(RuntimeError, match=text):
        call()
