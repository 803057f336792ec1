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


SPECIAL = np.array([[-np.inf, -2.5, -1.0, -0.5, 0.0], [0.5, 1.5, 2.5, np.inf, np.nan]], np.float32)
INTS = np.array([[-7, -3, 0, 2, 9]], np.int64)

NO_GRAD = {
    "eq_tensor": lambda m, x, i: x == x.flip(1),
    "ne_scalar": lambda m, x, i: x != 0.5,
    "lt_broadcast": lambda m, x, i: x < x[:1].T[:2],
    "le_int_float": lambda m, x, i: i <= 0.5,
    "gt_reflected": lambda m, x, i: 1 > x,
    "ge_fn": lambda m, x, i: m.ge(x, i.to(m.float32)[:, :1]),
    "isnan": lambda m, x, i: x.isnan(),
    "isinf": lambda m, x, i: m.isinf(x),
    "isfinite": lambda m, x, i: x.isfinite(),
    "isnan_int": lambda m, x, i: i.isnan(),
    "logical_and": lambda m, x, i: m.logical_and(x > 0, i),
    "logical_or": lambda m, x, i: (x > 1).logical_or(x < -1),
    "logical_xor": lambda m, x, i: m.logical_xor(x > 0, x.isfinite()),
    "logical_not": lambda m, x, i: i.logical_not(),
    "and_or_xor_bool": lambda m, x, i: ((x > 0) & (i > 0)) | ((x < 0) ^ (i < 0)),
    "invert_bool": lambda m, x, i: ~(x > 0),
    "bitwise_int": lambda m, x, i: (i & 3) | (i ^ 5),
    "floor": lambda m, x, i: x.floor(),
    "ceil": lambda m, x, i: m.ceil(x),
    "round_half_even": lambda m, x, i: x.round(),
    "round_decimals": lambda m, x, i: (x / 3).round(decimals=2),
    "trunc": lambda m, x, i: x.trunc(),
    "floor_int": lambda m, x, i: i.floor(),
    "floordiv_int": lambda m, x, i: i // 2,
    "floordiv_neg_divisor": lambda m, x, i: i // -4,
    "floordiv_float": lambda m, x, i: x // 0.75,
    "remainder_int": lambda m, x, i: i % 3,
    "remainder_neg_divisor": lambda m, x, i: i % -4,
    "remainder_float": lambda m, x, i: x % -0.75,
    "div_trunc_int": lambda m, x, i: m.div(i, 4, rounding_mode="trunc"),
    "div_floor_int": lambda m, x, i: m.div(i, -4, rounding_mode="floor"),
    "div_floor_float": lambda m, x, i: x.div(0.7, rounding_mode="floor"),
    "true_div_int": lambda m, x, i: i / 2,
    "int_ops": lambda m, x, i: (i * 3 + 1 - i) ** 2,
    "abs_neg_sign_int": lambda m, x, i: (-i).abs() + i.sign(),
    "relu_int": lambda m, x, i: i.relu(),
    "clamp_int": lambda m, x, i: i.clamp(-2, 3),
    "clamp_int_float_bound": lambda m, x, i: i.clamp(min=0.5),
    "maximum_int_float": lambda m, x, i: m.maximum(i, x[:1]),
    "where_scalars_float": lambda m, x, i: m.where(x > 0, 1.0, 0.5),
    "where_scalars_int": lambda m, x, i: m.where(x > 0, 1, 0),
    "where_int_tensor_float_scalar": lambda m, x, i: m.where(i > 0, i, 0.5),
    "sqrt_int": lambda m, x, i: i.abs().sqrt(),
    "exp_bool": lambda m, x, i: (x > 0).exp(),
    "sigmoid_of_inf": lambda m, x, i: x.sigmoid(),
    "tanh_of_inf": lambda m, x, i: x.tanh(),
    "relu_nan": lambda m, x, i: x.relu(),
    "maximum_nan": lambda m, x, i: m.maximum(x, x.flip(1)),
    "sign_special": lambda m, x, i: x.sign(),
    "sum_bool_add": lambda m, x, i: (x > 0) + (x < 1),
    "bool_times_int": lambda m, x, i: (x > 0) * 3,
    "add_bool_scalar": lambda m, x, i: (x > 0) + True,
}


@pytest.mark.parametrize("name", NO_GRAD)
def test_elementwise_values_and_dtypes_match_torch(name, torch):
    fn = NO_GRAD[name]
    with np.errstate(all="ignore"):
        out = fn(minitorch, minitorch.tensor(SPECIAL), minitorch.tensor(INTS))
    assert_same(out, fn(torch, torch.tensor(SPECIAL), torch.tensor(INTS)))


def test_rounding_has_zero_gradient_like_torch():
    x = minitorch.tensor([0.4, 1.6, -2.5], requires_grad=True)
    (x.floor() + x.ceil() + x.round() + x.trunc() + x.sign()).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_pow_gradient_at_zero_matches_torch(torch):
    """0 ** b: d/db is 0 (not NaN) for b >= 0, and d/da is finite for b >= 1."""
    data = ([0.0, 0.0, 2.0], [2.0, 0.0, 1.5])
    a, b = (minitorch.tensor(v, requires_grad=True) for v in data)
    ta, tb = (torch.tensor(v, requires_grad=True) for v in data)
    with np.errstate(divide="ignore", invalid="ignore"):
        (a**b).sum().backward()
    (ta**tb).sum().backward()
    assert_same(a.grad, ta.grad)
    assert_same(b.grad, tb.grad)


@pytest.mark.parametrize(
    "op, call",
    [
        ("add", lambda a, b: a + b),
        ("sub", lambda a, b: minitorch.sub(a, b)),
        ("mul", lambda a, b: a * b),
        ("div", lambda a, b: a / b),
        ("pow", lambda a, b: a**b),
        ("maximum", minitorch.maximum),
        ("minimum", lambda a, b: minitorch.min(a, b)),
        ("where", lambda a, b: minitorch.where(a > 0, a, b)),
        ("eq", lambda a, b: a == b),
        ("lt", lambda a, b: a < b),
        ("logical_and", minitorch.logical_and),
    ],
)
def test_shape_mismatch_names_op_and_both_shapes(op, call):
    a, b = minitorch.ones(2, 3), minitorch.ones(4)
    with pytest.raises(
        RuntimeError,
        match=rf"{op}: The size of tensor a \(3\) must match the size of tensor b \(4\) at "
        r"non-singleton dimension 1; the shapes are \[2, 3\] and \[4\]",
    ):
        call(a, b)


def test_shape_mismatch_with_grad_leaves_no_graph():
    a = minitorch.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"mul: .*\[2, 3\] and \[2\]"):
        a * minitorch.ones(2)
    assert a.grad is None


def test_bool_negation_and_subtraction_raise():
    b = minitorch.tensor([True, False])
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        -b
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool"):
        b - b


def test_integer_to_negative_power_raises():
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        minitorch.tensor([2, 3]) ** -1


def test_clamp_without_bounds_raises():
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        minitorch.ones(2).clamp()
