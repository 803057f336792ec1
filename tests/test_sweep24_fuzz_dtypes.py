"""Session 14 sweep: the divergences the dtype fuzzer (tests/test_fuzz_dtypes.py) found, one
focused program each, run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py): numpy scalars as PyTorch's argument parser reads them, in-place
error order, Tensor-only signatures, bool matrix products, clamp/addcmul type promotion over
all operands, bfloat16 sorting and NaN handling, pow's sqrt/rsqrt exponents."""

from __future__ import annotations

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


# ---- numpy scalars: weak Python numbers of their kind, a numpy bool a float ------------------
@program
def numpy_integer_scalar_is_weak_in_bitwise_and_comparison(torch):
    b = torch.tensor([True, False])
    u = torch.tensor([2, 1, 253], dtype=torch.uint8)
    return (
        b & np.uint8(1),  # int64, as with a Python int
        np.int32(-2) >= u,  # -2 wraps to 254 in uint8, as a Python int does
        u <= np.int32(-2),
        torch.result_type(b, np.uint8(1)),
        torch.where(torch.tensor(False), 2, np.uint8(2)),
    )


@error(NotImplementedError, r"\"bitwise_or_cpu\" not implemented for 'Float'")
def numpy_bool_scalar_is_a_float_in_bitwise_or(torch):
    torch.tensor([1, 2]) | np.bool_(True)


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Short")
def numpy_bool_scalar_in_add_inplace_is_a_float(torch):
    torch.tensor([1, 2], dtype=torch.int16).add_(np.bool_(True))


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Byte")
def numpy_bool_scalar_in_bitwise_and_inplace(torch):
    x = torch.tensor([1, 2], dtype=torch.uint8)
    x &= np.bool_(True)


@error(RuntimeError, r"^Integers to negative integer powers are not allowed\.")
def integer_tensor_to_a_negative_numpy_integer_power(torch):
    torch.tensor(3, dtype=torch.uint8) ** np.int64(-1)


@error(TypeError, r"maximum\(\): argument 'other' \(position 2\) must be Tensor, not numpy\.int64")
def tensor_only_signature_names_the_numpy_type(torch):
    torch.maximum(torch.ones(2), np.int64(3))


# ---- in-place ops: the output's shape is checked before the result type and the kernel --------
@error(RuntimeError, r"^output with shape \[\] doesn't match the broadcast shape \[2, 3\]")
def inplace_shape_error_before_the_cast_error(torch):
    torch.tensor(-2, dtype=torch.int8).mul_(torch.ones(2, 3))


@error(RuntimeError, r"^output with shape \[\] doesn't match the broadcast shape \[3\]")
def inplace_shape_error_before_integer_division_by_zero(torch):
    torch.tensor(2, dtype=torch.int32).floor_divide_(torch.tensor([0, 0, 2], dtype=torch.int32))


@error(RuntimeError, r"^result type Char can't be cast to the desired output type Bool")
def inplace_cast_error_before_integer_division_by_zero(torch):
    torch.tensor([False, True]).floor_divide_(torch.tensor([0, 1], dtype=torch.int8))


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Int")
def inplace_bitwise_of_a_numpy_float_reports_the_cast(torch):
    torch.tensor([1, 5], dtype=torch.int32).bitwise_or_(np.float16(1.0))


# ---- Tensor-only signatures refuse numbers ----------------------------------------------------
@error(TypeError, r"^hypot\(\): argument 'other' \(position 2\) must be Tensor, not float")
def hypot_refuses_a_number(torch):
    torch.hypot(torch.ones(2), 1.5)


@error(TypeError, r"^isclose\(\): argument 'other' \(position 2\) must be Tensor, not float")
def isclose_refuses_a_number(torch):
    torch.isclose(torch.ones(2), 1.5)


@error(TypeError, r"^allclose\(\): argument 'other' \(position 2\) must be Tensor, not float")
def allclose_refuses_a_number(torch):
    torch.allclose(torch.ones(2), 1.5)


@error(TypeError, r"^dist\(\): argument 'other' \(position 2\) must be Tensor, not int")
def dist_refuses_a_number(torch):
    torch.dist(torch.ones(2), 1)


@error(TypeError, r"^addcdiv\(\): argument 'tensor2' \(position 3\) must be Tensor, not float")
def addcdiv_refuses_a_number_tensor2(torch):
    torch.addcdiv(torch.ones(2), torch.ones(2), 1.5)


@error(TypeError, r"^lerp\(\) received an invalid combination of arguments - got \(Tensor, int, float\)")  # fmt: skip
def lerp_refuses_a_number_end(torch):
    torch.lerp(torch.ones(2), 1, 0.5)


@error(TypeError, r"^lerp_\(\) received an invalid combination of arguments - got \(numpy\.int64, float\)")  # fmt: skip
def lerp_inplace_method_words_its_own_signature(torch):
    torch.ones(2).lerp_(np.int64(1), 0.5)


@error(TypeError, r"^logical_and_\(\): argument 'other' \(position 1\) must be Tensor, not float")
def inplace_method_argument_positions_do_not_count_self(torch):
    torch.ones(2).logical_and_(1.5)


@error(TypeError, r"^where\(\) received an invalid combination of arguments - got \(bool, Tensor, Tensor\)")  # fmt: skip
def where_refuses_a_number_condition(torch):
    torch.where(True, torch.ones(2), torch.ones(2))


# ---- bool matrix products have no CPU kernel ----------------------------------------------------
@program
def bool_matrix_products_raise_their_kernels_error(torch):
    m, v = torch.ones(3, 3, dtype=torch.bool), torch.ones(3, dtype=torch.bool)
    calls = {
        "@": lambda: m @ m,
        "mv": lambda: torch.mv(m, v),
        "dot": lambda: torch.dot(v, v),
        "bmm": lambda: torch.bmm(m[None], m[None]),
        "einsum": lambda: torch.einsum("ij,jk->ik", m, m),
        "linear": lambda: torch.nn.functional.linear(m, m),
        "addmm": lambda: torch.addmm(m, m, m),
        "addmv": lambda: torch.addmv(v, m, v),
        "baddbmm": lambda: torch.baddbmm(m[None], m[None], m[None]),
        "addbmm": lambda: torch.addbmm(m, m[None], m[None]),
    }
    out = {}
    for name, call in calls.items():
        try:
            call()
        except NotImplementedError as e:
            out[name] = str(e)
    return out, torch.einsum("i,j->ij", v, v), torch.outer(v, v)


# ---- type promotion over all operands -----------------------------------------------------------
@program
def clamp_with_tensor_bounds_promotes_all_three(torch):
    x = torch.tensor(2)
    return (
        torch.clamp(x, torch.tensor(-2, dtype=torch.int8), torch.ones(2, 3, dtype=torch.int16)),
        torch.clamp(torch.tensor([1, 5], dtype=torch.uint8), torch.tensor(-1), torch.tensor(3)),
        torch.clamp(torch.tensor([1, 5]), max=torch.tensor(2.5)),
    )


@error(TypeError, r"^clamp\(\) received an invalid combination of arguments - got \(Tensor, Tensor, float\)")  # fmt: skip
def clamp_refuses_a_tensor_and_a_number_bound(torch):
    torch.clamp(torch.ones(2), torch.ones(2), 3.0)


@error(TypeError, r"^clamp\(\) received an invalid combination of arguments - got \(int, Tensor, Tensor\)")  # fmt: skip
def clamp_refuses_a_number_input(torch):
    torch.clamp(2, torch.ones(2), torch.ones(2))


@program
def addcmul_and_addcdiv_compute_in_the_result_type_of_all_three(torch):
    return (
        torch.addcmul(
            torch.tensor([-1, -1], dtype=torch.int16),
            torch.tensor([255, 253], dtype=torch.uint8),  # no uint8 product (it would wrap)
            torch.tensor([255, 2], dtype=torch.uint8),
        ),
        torch.addcmul(  # bfloat16 and float16 0-d: float32
            torch.tensor(1.5, dtype=torch.bfloat16),
            torch.tensor(1.0, dtype=torch.float16),
            torch.tensor([-2, -3]),
        ),  # fmt: skip
        torch.addcdiv(  # in float64 throughout
            torch.tensor([1.5], dtype=torch.float64),
            torch.tensor([1.0]),
            torch.tensor([3], dtype=torch.int16),
        ),  # fmt: skip
    )


@program
def add_with_alpha_scales_a_bool_number_unless_the_result_is_bool(torch):
    return (
        torch.add(torch.tensor([0, 1]), True, alpha=2),
        torch.add(torch.tensor([0.5, 1.0]), True, alpha=2),
        torch.add(torch.tensor([False, True]), True, alpha=2),
    )


@program
def searchsorted_compares_in_the_result_type(torch):
    return (
        torch.searchsorted(torch.tensor([False, True, True]), torch.tensor([0, 1])),
        torch.searchsorted(
            torch.tensor([False, True, True]), torch.tensor(0.25, dtype=torch.float64)
        ),  # fmt: skip
        torch.bucketize(
            torch.tensor([float("nan"), 0.25, 3.0], dtype=torch.bfloat16),
            torch.tensor([-3, -2, -1], dtype=torch.int32),
        ),
    )


# ---- bfloat16 NaN and infinity handling ---------------------------------------------------------
@program
def bfloat16_sort_puts_nan_last(torch):
    x = torch.tensor([float("nan"), 0.25, 3.0, -1.0], dtype=torch.bfloat16)
    values, indices = x.sort()  # (the harness compares bfloat16 as float32)
    return values.float(), indices, x.argsort(), torch.searchsorted(values, torch.tensor([-2, 1]))


@program
def bfloat16_nan_to_num(torch):
    x = torch.tensor([1.0, float("inf"), -float("inf"), float("nan")], dtype=torch.bfloat16)
    return x.nan_to_num().float(), x.nan_to_num(2.0, posinf=3.0, neginf=-4.0).float()


@program
def pow_by_one_half_and_minus_one_half_use_sqrt_and_rsqrt(torch):
    x = [-float("inf"), -0.0, -1.0, 4.0, 3.0]
    return [
        torch.tensor(x, dtype=dtype).pow(e).double()
        for dtype in (torch.bfloat16, torch.float16, torch.float32, torch.float64)
        for e in (0.5, -0.5)
    ]


# ---- later rounds: numpy scalars and 0-d tensors as bounds, out= and message details ----------
@program
def clamp_reads_numpy_scalars_and_0d_tensor_bounds_as_numbers(torch):
    u = torch.tensor([255, 0, 5], dtype=torch.uint8)
    return (
        torch.clamp(u, max=np.int32(-2)),  # wraps to 254, as a Python int
        torch.clamp(torch.tensor(-3, dtype=torch.int16), max=np.float16(-1.0)),  # float32
        torch.clamp(torch.tensor([2, 3, 0]), torch.tensor(0.25, dtype=torch.float64), 0.0),
        torch.clamp(torch.tensor(False), torch.tensor(-2, dtype=torch.int32), np.bool_(True)),
    )


@error(RuntimeError, r"^result type Float can't be cast to the desired output type signed char")
def clamp_inplace_with_a_numpy_float_bound(torch):
    torch.tensor(5, dtype=torch.int8).clamp_(np.float32(3.0))


@error(RuntimeError, r"^result type Float can't be cast to the desired output type long int")
def clamp_min_inplace_names_the_cpp_type(torch):
    torch.tensor([1, 2]).clamp_min_(0.5)


@program
def add_and_sub_with_alpha_read_a_numpy_bool_as_a_float(torch):
    x = torch.tensor(1, dtype=torch.int8)
    return torch.sub(x, np.bool_(True), alpha=2), torch.add(x, np.bool_(True), alpha=2)


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow")
def fill_inplace_overflow_message_names_no_op(torch):
    torch.zeros(2, dtype=torch.uint8).fill_(-0.5)


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow")
def masked_fill_checks_a_numpy_float_value(torch):
    torch.zeros(2, dtype=torch.uint8).masked_fill(torch.tensor([True, False]), np.float64(-1.0))


@program
def masked_fill_takes_a_numpy_bool_value(torch):
    return torch.zeros(2, dtype=torch.int32).masked_fill(torch.tensor([True, False]), np.bool_(True))  # fmt: skip


@error(RuntimeError, r"^expand\(CPUBoolType\{\[3\]\}, size=\[\]\): the number of sizes provided \(0\)")  # fmt: skip
def expand_error_names_the_bool_type(torch):
    torch.ones(3, dtype=torch.bool).expand(())


@error(RuntimeError, r"^expand\(CPUBFloat16Type\{\[3\]\}, size=\[\]\)")
def setitem_of_a_larger_value_names_the_bfloat16_type(torch):
    x = torch.tensor(False)
    x[...] = torch.ones(3, dtype=torch.bfloat16)


@error(RuntimeError, r"^output with shape \[3\] doesn't match the broadcast shape \[2, 3\]")
def out_that_is_an_input_is_not_resized(torch):
    x = torch.tensor([1.5, 1.0, 2.0])
    torch.maximum(x, torch.ones(2, 3, dtype=torch.int64), out=x)


@program
def matmul_out_dtype_errors_follow_the_out_shape(torch):
    a = torch.ones(3, 3, dtype=torch.float64)
    messages = []
    for shape in [(), (0,), (1,), (2,), (3,), (3, 1)]:
        try:
            torch.matmul(a, a[0], out=torch.empty(shape, dtype=torch.int64))
        except RuntimeError as e:
            messages.append(str(e))
    return messages


@error(NotImplementedError, r"\"softmax_lastdim_kernel_impl\" not implemented for 'Short'")
def softmax_of_a_0d_integer_tensor(torch):
    torch.tensor(3, dtype=torch.int16).softmax(-1)


@program
def searchsorted_of_bool_boundaries_and_a_number(torch):
    b = torch.tensor([False, True, True])
    return torch.searchsorted(b, 0.5), torch.searchsorted(b, np.float64(-0.5))


@program
def lerp_with_a_0d_weight_computes_in_the_result_type_of_all_three(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    w = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
    y = torch.lerp(x, torch.tensor([2.0, 3.0]), w)  # float32: a 0-d weight does not widen
    y.sum().backward()
    return (
        torch.lerp(torch.tensor(True), torch.tensor(False), torch.tensor(1.5)),
        torch.lerp(torch.tensor([0, 1]), torch.tensor([2, 3]), torch.tensor(0.5)),
        torch.lerp(torch.tensor(0.0), torch.tensor(1.0), torch.tensor(0.3, dtype=torch.float64)),
        y, x.grad, w.grad,
    )  # fmt: skip


# ---- factories: dtype inference from 0-d tensors ---------------------------------------------
@program
def full_reads_a_0d_tensor_fill_value_as_its_number(torch):
    return (
        torch.full((2,), torch.tensor(-2)),  # int64, as an int
        torch.full((2,), torch.tensor(True)),  # bool
        torch.full((2,), torch.tensor(0.25, dtype=torch.bfloat16)),  # the default float
        torch.full_like(
            torch.ones(2, dtype=torch.int16), torch.tensor(-1.0, dtype=torch.bfloat16)
        ),  # fmt: skip
        torch.full((1,), torch.tensor(1.0), dtype=torch.uint8),
    )


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow")
def full_range_checks_a_0d_tensor_fill_value(torch):
    torch.full((1,), torch.tensor(-2.5, dtype=torch.float64), dtype=torch.uint8)


@error(RuntimeError, r"^upper bound and lower bound inconsistent with step sign")
def arange_step_sign_message(torch):
    torch.arange(0, 3, -0.5)


@program
def tensor_of_bfloat16_0d_tensors(torch):
    bf = torch.tensor(1.5, dtype=torch.bfloat16)
    return [
        t.float()
        for t in (
            torch.tensor([bf, torch.tensor(True)]),
            torch.tensor([bf, torch.tensor(2.5, dtype=torch.float16)]),
            torch.tensor([[bf], [bf]]),
        )
    ] + [torch.tensor([bf, torch.tensor(True)]).dtype]


@program
def numbers_stored_into_an_integer_dtype_are_read_as_indices(torch):
    messages = []
    for data, dtype in [
        ([np.float32(1.5)], torch.int64),
        (np.float16(1.5), torch.uint8),
        ([np.bool_(True)], torch.int8),
        ([torch.tensor(1.5)], torch.bool),
    ]:
        try:
            torch.tensor(data, dtype=dtype)
        except TypeError as e:
            messages.append(str(e))
    return messages, (
        torch.tensor([np.float64(1.5), np.int32(2)], dtype=torch.int64),  # a Python float
        torch.tensor([np.bool_(True)], dtype=torch.bool),
        torch.tensor([torch.tensor(True)], dtype=torch.int64),
        torch.tensor(torch.tensor(1.5), dtype=torch.int64),  # a tensor itself converts
    )


@program
def logaddexp_nextafter_heaviside_take_tensors_only(torch):
    messages = []
    for call in (
        lambda: torch.logaddexp(torch.ones(2), 1),
        lambda: torch.logaddexp2(torch.ones(2), 1.0),
        lambda: torch.nextafter(torch.ones(2), 1.0),
        lambda: torch.heaviside(torch.ones(2), np.int64(3)),
    ):
        try:
            call()
        except TypeError as e:
            messages.append(str(e))
    return messages
