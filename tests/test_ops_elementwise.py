"""Elementwise ops: gradcheck/gradgradcheck in float64, PyTorch oracle (values, dtypes and
gradients in float32 and float64), comparisons, and the errors of binary ops."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import Case, assert_same, cases, check_against_torch, check_gradients

import minitorch

COND = np.array([[True, False, True, False]])  # broadcasts against (3, 1) and (4,)

ELEMENTWISE = {
    "add": Case(lambda m, a, b: a + b, [(3, 4), (3, 4)]),
    "add_broadcast": Case(lambda m, a, b: m.add(a, b, alpha=2), [(3, 1), (4,)]),
    "add_0d": Case(lambda m, a, b: a + b, [(), (2, 3)]),
    "add_scalar": Case(lambda m, a: 2.5 + a, [(3,)]),
    "sub_broadcast": Case(lambda m, a, b: a - b, [(2, 1, 3), (4, 1)]),
    "sub_scalar_left": Case(lambda m, a: 1 - a, [(2, 3)]),
    "mul_broadcast": Case(lambda m, a, b: a * b, [(1, 3), (2, 1)]),
    "mul_0d_both": Case(lambda m, a, b: a * b, [(), ()]),
    "mul_scalar": Case(lambda m, a: a * 3, [(2, 2)]),
    "div_broadcast": Case(lambda m, a, b: a / b, [(2, 3), (3,)], domain="pos"),
    "div_size1": Case(lambda m, a, b: a / b, [(1, 3), (2, 1)]),
    "rdiv_scalar": Case(lambda m, a: 2 / a, [(4,)]),
    "div_scalar": Case(lambda m, a: a / 4, [(4,)]),
    "neg": Case(lambda m, a: -a, [(2, 3)]),
    "pow_tensors": Case(lambda m, a, b: a**b, [(2, 3), (3,)], domain="pos"),
    "pow_scalar_exp": Case(lambda m, a: a**3, [(2, 3)]),
    "pow_fractional_exp": Case(lambda m, a: a**0.5, [(2, 3)], domain="pos"),
    "pow_negative_exp": Case(lambda m, a: m.pow(a, -2), [(2, 3)]),
    "pow_zero_exp": Case(lambda m, a: a**0, [(3,)]),
    "pow_scalar_base": Case(lambda m, a: 2.0**a, [(2, 3)]),
    "pow_0d_exp": Case(lambda m, a, b: a**b, [(3,), ()], domain="pos"),
    "exp": Case(lambda m, a: a.exp(), [(2, 3)]),
    "log": Case(lambda m, a: m.log(a), [(2, 3)], domain="pos"),
    "log1p": Case(lambda m, a: a.log1p(), [(2, 3)], domain="unit"),
    "sqrt": Case(lambda m, a: a.sqrt(), [(2, 3)], domain="pos"),
    "rsqrt": Case(lambda m, a: m.rsqrt(a), [(2, 3)], domain="pos"),
    "abs": Case(lambda m, a: a.abs(), [(2, 3)]),
    "sign": Case(lambda m, a: a.sign() * a, [(2, 3)]),
    "sin": Case(lambda m, a: a.sin(), [(2, 3)]),
    "cos": Case(lambda m, a: m.cos(a), [(2, 3)]),
    "tanh": Case(lambda m, a: a.tanh(), [(2, 3)]),
    "sigmoid": Case(lambda m, a: m.sigmoid(a * 4), [(2, 3)]),
    "relu": Case(lambda m, a: a.relu(), [(2, 3)]),
    "reciprocal": Case(lambda m, a: a.reciprocal(), [(2, 3)]),
    "square": Case(lambda m, a: a.square(), [(2, 3)]),
    "clamp": Case(lambda m, a: a.clamp(-1.0, 1.0), [(3, 4)]),
    "clamp_min": Case(lambda m, a: m.clamp(a, min=0.5), [(3, 4)]),
    "clamp_max": Case(lambda m, a: a.clamp(max=-0.5), [(3, 4)]),
    "clamp_tensor_bounds": Case(lambda m, a, lo, hi: a.clamp(lo, hi * 3), [(3, 4), (4,), (3, 1)]),
    "maximum": Case(lambda m, a, b: m.maximum(a, b), [(3, 4), (4,)]),
    "minimum": Case(lambda m, a, b: m.minimum(a, b), [(3, 1), (1, 4)]),
    "max_binary": Case(lambda m, a, b: m.max(a, b), [(2, 3), (2, 3)]),
    "maximum_ties": Case(lambda m, a: m.maximum(a, a.detach()), [(3,)], fd=False),
    "where": Case(lambda m, a, b: m.where(m.tensor(COND), a, b), [(3, 1), (4,)]),
    "where_scalar": Case(lambda m, a: m.where(m.tensor(COND), a, 0.5), [(3, 4)]),
    "where_0d": Case(lambda m, a, b: m.where(m.tensor(COND), a, b), [(), (3, 4)]),
    "remainder": Case(lambda m, a: a % 0.7, [(2, 3)]),
    "chain": Case(lambda m, a, b: ((a * b).sigmoid() + (a - b).abs()).log(), [(3, 4), (4,)]),
}


@pytest.mark.parametrize("case", cases(ELEMENTWISE, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(ELEMENTWISE))
def test_matches_torch(case, dtype, torch):
    check_against_torch(case, torch, dtype)
