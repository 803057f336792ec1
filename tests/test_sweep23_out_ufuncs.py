"""Session 13 sweep of ``out=`` dtype rules and the element-wise ops' corner values: PyTorch
refuses an out of another dtype for several op groups (each with its own words) where others
cast; integer division, powers and shifts, nan comparisons, clamp bounds, xlogy at 0 (checked
against PyTorch, tests/sweep_harness.py)."""

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _f(torch):
    return torch.tensor([1.5, -2.5, 3.0])


def _f64(torch, *shape):
    return torch.empty(shape, dtype=torch.float64)


# ---- out of another dtype: "Found dtype X but expected Y" (element-wise rounding/sign ops) ------
@error(RuntimeError, r"Found dtype Double but expected Float")
def abs_out_double(torch):
    torch.abs(_f(torch), out=_f64(torch, 3))


@error(RuntimeError, r"Found dtype Double but expected Float")
def neg_out_double(torch):
    torch.neg(_f(torch), out=_f64(torch, 3))


@error(RuntimeError, r"Found dtype Double but expected Float")
def floor_ceil_round_out_double(torch):
    for fn in (torch.floor, torch.ceil, torch.trunc, torch.frac, torch.sign, torch.sgn):
        try:
            fn(_f(torch), out=_f64(torch, 3))
        except RuntimeError:
            pass
        else:
            raise AssertionError(fn.__name__)
    torch.round(_f(torch), decimals=1, out=_f64(torch, 3))


@error(RuntimeError, r"Found dtype Int but expected Long")
def bitwise_not_out_int(torch):
    torch.bitwise_not(torch.tensor([1, 2]), out=torch.empty(2, dtype=torch.int32))


@error(RuntimeError, r"Found dtype Float but expected Long")
def abs_int_into_float(torch):
    torch.abs(torch.tensor([1, -2]), out=torch.empty(2))


@error(RuntimeError, r"Found dtype Double but expected Float")
def clamp_number_bounds_out_double(torch):
    torch.clamp(_f(torch), -1, 1, out=_f64(torch, 3))


@error(RuntimeError, r"Found dtype Double but expected Float")
def clamp_min_out_double(torch):
    torch.clamp_min(_f(torch), -1, out=_f64(torch, 3))


@error(RuntimeError, r"Found dtype Half but expected Float")
def clamp_max_out_half(torch):
    torch.clamp_max(_f(torch), 1, out=torch.empty(3, dtype=torch.float16))


@program
def clamp_tensor_bounds_cast_into_out(torch):
    out = _f64(torch, 3)
    r = torch.clamp(_f(torch), min=torch.zeros(3), out=out)
    r2 = torch.clamp_max(_f(torch), torch.ones(3), out=_f64(torch, 3))
    return out, r is out, r2


# ---- "Expected out tensor to have dtype float, but got double instead" (BLAS, tril/triu) ------
@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def mm_out_double(torch):
    torch.mm(torch.ones(2, 2), torch.ones(2, 2), out=_f64(torch, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def addmm_out_double(torch):
    torch.addmm(torch.ones(2, 2), torch.ones(2, 2), torch.ones(2, 2), out=_f64(torch, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def bmm_out_double(torch):
    torch.bmm(torch.ones(1, 2, 2), torch.ones(1, 2, 2), out=_f64(torch, 1, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def baddbmm_out_double(torch):
    b = torch.ones(1, 2, 2)
    torch.baddbmm(b, b, b, out=_f64(torch, 1, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def addmv_out_double(torch):
    torch.addmv(torch.ones(2), torch.ones(2, 2), torch.ones(2), out=_f64(torch, 2))


@error(RuntimeError, r"Expected out tensor to have dtype long int, but got float instead")
def tril_long_out_float(torch):
    torch.tril(torch.ones(2, 2, dtype=torch.int64), out=torch.empty(2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def triu_out_double(torch):
    torch.triu(torch.ones(2, 2), out=_f64(torch, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def matmul_matrices_out_double(torch):
    torch.matmul(torch.ones(3, 2, 2), torch.ones(2, 2), out=_f64(torch, 3, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def cross_out_double(torch):
    torch.cross(torch.ones(3), torch.ones(3), dim=0, out=_f64(torch, 3))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def diag_out_double(torch):
    torch.diag(torch.ones(3), out=_f64(torch, 3, 3))


# ---- matrix-vector and vector products ----------------------------------------------------------
@error(RuntimeError, r"addmv input tensors must have the same dtype, but got Double, Float, and Float")  # fmt: skip
def matmul_matrix_vector_out_double(torch):
    torch.matmul(torch.ones(2, 2), torch.ones(2), out=_f64(torch, 2))


@error(
    RuntimeError, r"addmv input tensors must have the same dtype, but got Long, Float, and Float"
)
def mv_out_long(torch):
    torch.mv(torch.ones(2, 2), torch.ones(2), out=torch.empty(2, dtype=torch.int64))


@error(RuntimeError, r"result dtype Double does not match input dtype Float")
def matmul_vectors_out_double(torch):
    torch.matmul(torch.ones(2), torch.ones(2), out=_f64(torch))


@error(RuntimeError, r"result dtype Float does not match input dtype Double")
def dot_double_out_float(torch):
    x = torch.ones(2, dtype=torch.float64)
    torch.dot(x, x, out=torch.empty(()))


@error(RuntimeError, r"result dtype Double does not match input dtype Float")
def vdot_out_double(torch):
    torch.vdot(torch.ones(2), torch.ones(2), out=_f64(torch))


@error(RuntimeError, r"tensordot: Expected the output tensor to have dtype Float, but got an output tensor with dtype Double")  # fmt: skip
def tensordot_out_double(torch):
    torch.tensordot(torch.ones(2, 2), torch.ones(2, 2), out=_f64(torch))


@error(RuntimeError, r"tensordot: Expected the output tensor to have dtype Float")
def inner_out_double(torch):
    torch.inner(torch.ones(2), torch.ones(2), out=_f64(torch))


@program
def outer_kron_addr_cast_into_out(torch):
    a = torch.tensor([1.0, 2.0])
    r1 = torch.outer(a, a, out=_f64(torch, 2, 2))
    r2 = torch.kron(a, a, out=_f64(torch, 4))
    r3 = torch.addr(torch.ones(2, 2), a, a, out=_f64(torch, 2, 2))
    return r1, r2, r3


# ---- indexing ops and their own words ----------------------------------------------------------
@error(RuntimeError, r"index_select\(\): self and result must have the same scalar type")
def index_select_out_double(torch):
    torch.index_select(_f(torch), 0, torch.tensor([0]), out=_f64(torch, 1))


@error(RuntimeError, r"masked_select\(\): self and result must have the same scalar type")
def masked_select_out_double(torch):
    torch.masked_select(_f(torch), torch.tensor([True, False, True]), out=_f64(torch, 2))


@error(RuntimeError, r"take\(\): self and out expected to have the same dtype, but got self.dtype = Float and out.dtype = Double")  # fmt: skip
def take_out_double(torch):
    torch.take(_f(torch), torch.tensor([0]), out=_f64(torch, 1))


@error(RuntimeError, r"nan_to_num: dtype of out: Double should be same as input: Long")
def nan_to_num_long_out_double(torch):
    torch.nan_to_num(torch.tensor([1]), out=_f64(torch, 1))


@error(RuntimeError, r"Expected out type to be Float but got Long")
def where_out_long(torch):
    torch.where(torch.tensor([True, False, True]), _f(torch), _f(torch), out=torch.empty(3, dtype=torch.int64))  # fmt: skip


@error(RuntimeError, r"Expected out type to be Double but got Float")
def where_promoted_out_float(torch):
    c = torch.tensor([True])
    torch.where(c, torch.tensor([1.0]), torch.tensor([2.0], dtype=torch.float64), out=torch.empty(1))  # fmt: skip


@error(RuntimeError, r"heaviside is not yet implemented for tensors with different dtypes")
def heaviside_out_long(torch):
    torch.heaviside(_f(torch), _f(torch), out=torch.empty(3, dtype=torch.int64))


@error(RuntimeError, r"signbit does not support non-boolean outputs")
def signbit_out_float(torch):
    torch.signbit(_f(torch), out=torch.empty(3))


@program
def same_dtype_outs_still_work(torch):
    x = _f(torch)
    outs = [torch.empty(3) for _ in range(4)]
    torch.abs(x, out=outs[0])
    torch.clamp(x, -1, 1, out=outs[1])
    torch.where(x > 0, x, -x, out=outs[2])
    torch.nan_to_num(x, out=outs[3])
    mm = torch.matmul(torch.ones(2, 2), torch.ones(2), out=torch.empty(2))
    return outs, mm, torch.signbit(x, out=torch.empty(3, dtype=torch.bool))


@program
def elementwise_float_ops_cast_into_double_out(torch):
    x = _f(torch)
    return (
        torch.add(x, 1, out=_f64(torch, 3)),
        torch.hypot(x, x, out=_f64(torch, 3)),
        torch.cumsum(x, 0, out=_f64(torch, 3)),
        torch.eq(x, x, out=_f64(torch, 3)),
        torch.sqrt(torch.tensor([4]), out=_f64(torch, 1)),
    )


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def softmax_out_double(torch):
    torch.softmax(torch.ones(2), 0, out=_f64(torch, 2))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def log_softmax_out_double(torch):
    torch.log_softmax(torch.ones(2), 0, out=_f64(torch, 2))


# ---- float_power and frexp outs ------------------------------------------------------------------
@error(RuntimeError, r"the output given to float_power has dtype Float but the operation's result requires dtype Double")  # fmt: skip
def float_power_out_float(torch):
    torch.float_power(torch.tensor([2.0]), 2, out=torch.empty(1))


@program
def float_power_values(torch):
    i = torch.tensor([2, 3])
    return (
        torch.float_power(i, 2),
        torch.float_power(i, -1),
        torch.float_power(torch.tensor([2.0]), torch.tensor([0.5])),
        torch.float_power(i, 2, out=_f64(torch, 2)),
    )


@error(RuntimeError, r"the base given to float_power_ has dtype Float but the operation's result requires dtype Double")  # fmt: skip
def float_power_inplace_float(torch):
    torch.tensor([2.0]).float_power_(2)


@error(RuntimeError, r"torch.frexp\(\) expects exponent to have int dtype but got long int")
def frexp_out_long_exponent(torch):
    torch.frexp(torch.tensor([8.5]), out=(torch.empty(1), torch.empty(1, dtype=torch.int64)))


@error(RuntimeError, r"torch.frexp\(\) expects mantissa to have dtype float but got double")
def frexp_out_double_mantissa(torch):
    torch.frexp(torch.tensor([8.5]), out=(_f64(torch, 1), torch.empty(1, dtype=torch.int32)))


@program
def frexp_values_and_out(torch):
    x = torch.tensor([8.0, 0.0, -3.0, float("inf"), float("nan")])
    m, e = torch.empty(5), torch.empty(5, dtype=torch.int32)
    r = torch.frexp(x, out=(m, e))
    return torch.frexp(x), torch.frexp(x.double()), m, e, r.mantissa is m


@error(RuntimeError, r"torch.frexp\(\) only supports floating-point dtypes")
def frexp_int(torch):
    torch.frexp(torch.tensor([8]))


# ---- out overlapping an input partly (element-wise ops) ----------------------------------------
_OVERLAP = r"some elements of the input tensor and the written-to tensor refer to a single memory location"  # fmt: skip


@error(RuntimeError, _OVERLAP)
def add_out_shifted_view_of_input(torch):
    x = torch.arange(6.0)
    torch.add(x[:4], 1, out=x[2:])


@error(RuntimeError, _OVERLAP)
def exp_out_shifted_view_of_input(torch):
    x = torch.arange(6.0)
    torch.exp(x[:4], out=x[1:5])


@error(RuntimeError, _OVERLAP)
def where_out_overlaps_other(torch):
    x = torch.arange(6.0)
    torch.where(x[:4] > 1, x[:4], x[2:], out=x[:4])


@error(RuntimeError, _OVERLAP)
def clamp_out_overlaps_input(torch):
    x = torch.arange(6.0)
    torch.clamp(x[:4], 0, out=x[1:5])


@program
def out_may_be_input_or_disjoint_or_strided(torch):
    x = torch.arange(6.0)
    torch.add(x, 1, out=x)  # exactly the input
    torch.exp(x[:3], out=x[3:])  # disjoint halves
    y = torch.arange(6.0)
    torch.mul(y[::2], 2, out=y[1::2])  # interleaved strided views: allowed
    z = torch.arange(4.0)
    mm = torch.mm(z.view(2, 2), torch.eye(2), out=torch.empty(2, 2))
    return x, y, mm


# ---- element-wise corner values -----------------------------------------------------------------
@error(NotImplementedError, r"\"ldexp_cpu_exp\" not implemented for 'Bool'")
def ldexp_float_by_bool_exponent(torch):
    torch.ldexp(torch.tensor([1.0, 2.0]), torch.tensor([True, False]))


@program
def ldexp_values(torch):
    e = torch.tensor([2, -1])
    return (
        torch.ldexp(torch.tensor([1.0, 2.0]), e),
        torch.ldexp(torch.tensor([1, 2]), e),
        torch.ldexp(torch.tensor([1, 2]), torch.tensor([True, False])),
        torch.ldexp(torch.tensor([1.0]), torch.tensor([3.0], dtype=torch.float64)),
    )


@error(RuntimeError, r"ZeroDivisionError")
def int_remainder_by_zero(torch):
    torch.remainder(torch.tensor([5]), torch.tensor([0]))


@error(RuntimeError, r"ZeroDivisionError")
def int_floor_divide_by_zero(torch):
    torch.tensor([1, -1]) // torch.tensor([0, 0])


@error(RuntimeError, r"ZeroDivisionError")
def int_fmod_by_zero_number(torch):
    torch.fmod(torch.tensor([5]), 0)


@program
def division_and_remainder_signs(torch):
    a, b = torch.tensor([-7, 7, -7, 7]), torch.tensor([3, -3, -3, 3])
    f = torch.tensor([5.0, -5.0, 0.0])
    return (
        torch.remainder(a, b),
        torch.fmod(a, b),
        a // 2,
        torch.div(a, b, rounding_mode="trunc"),
        torch.div(a, b, rounding_mode="floor"),
        torch.tensor([1, -1, 0]) / torch.tensor([0, 0, 0]),
        torch.div(f, 0.0, rounding_mode="floor"),
        torch.div(f, 0.0, rounding_mode="trunc"),
        torch.remainder(torch.tensor([-7.5, 7.5, -0.0]), 2.0),
        torch.fmod(torch.tensor([-7.5, 7.5, -0.0]), -2.0),
        torch.remainder(torch.tensor([1.0, -1.0]), 0.0),
        torch.remainder(torch.tensor([1.0, -1.0]), float("inf")),
        torch.tensor([1.0, -1.0]) // float("inf"),
        torch.remainder(5, torch.tensor([3, -3])),
    )


@error(RuntimeError, r"Integers to negative integer powers are not allowed")
def int_pow_negative_number(torch):
    torch.pow(torch.tensor([2, 3]), -1)


@program
def pow_corner_values(torch):
    return (
        torch.pow(torch.tensor([2, 3, 1, -1]), torch.tensor([-1, 2, -2, -3])),  # tensor: no check
        torch.pow(2, torch.tensor([-1, 2])),
        torch.pow(torch.tensor([2, 3]), 0.5),
        torch.pow(torch.tensor([0]), 0),
        torch.pow(torch.tensor([-2.0]), 0.5),
        torch.pow(torch.tensor([0.0, -0.0]), -1.0),
        torch.pow(torch.tensor([3], dtype=torch.uint8), 6),
        torch.pow(torch.tensor([True, False]), 2),
    )


@program
def shifts_beyond_width(torch):
    one = torch.tensor([1, 1, 1])
    return (
        torch.bitwise_left_shift(one, torch.tensor([63, 64, 65])),
        torch.bitwise_right_shift(torch.tensor([-8, 8, -1]), torch.tensor([64, 64, 100])),
        torch.tensor([1], dtype=torch.int8) << 9,
        torch.tensor([-128], dtype=torch.int8) >> 9,
        torch.tensor([255], dtype=torch.uint8) << 1,
        torch.tensor([1], dtype=torch.int32) << 33,
        torch.bitwise_left_shift(1, torch.tensor([3])),
    )


@program
def comparisons_and_extrema_with_nan(torch):
    nan = float("nan")
    a, b = torch.tensor([nan, 1.0, nan]), torch.tensor([nan, nan, 1.0])
    cmp = [f(a, b) for f in (torch.eq, torch.ne, torch.lt, torch.le, torch.gt, torch.ge)]
    ext = [f(a, b) for f in (torch.maximum, torch.minimum, torch.fmax, torch.fmin)]
    inf = torch.tensor([float("inf"), -float("inf"), nan])
    return cmp, ext, torch.maximum(inf, inf.flip(0)), torch.isclose(a, a, equal_nan=True)


@program
def clamp_nan_and_crossed_bounds(torch):
    x = torch.tensor([0.0, 1.0, 5.0, float("nan")])
    return (
        torch.clamp(x, 0.0, 0.5),
        torch.clamp(x, float("nan"), 0.5),
        torch.clamp(x, 0.0, float("nan")),
        torch.clamp(x, 3.0, 2.0),
        torch.clamp(x, torch.tensor([3.0]), torch.tensor([2.0])),
        torch.clamp(x, torch.tensor([float("nan")]), torch.tensor([2.0])),
        torch.clamp(torch.tensor([1, 5]), 1.5, 3.5),
        torch.clamp(torch.tensor([1, 5]), torch.tensor([1.5])),
    )


@program
def xlogy_xlog1py_at_zero(torch):
    nan = float("nan")
    return (
        torch.xlogy(
            torch.tensor([0.0, 0.0, 1.0, nan, 0.0]), torch.tensor([0.0, nan, 0.0, 1.0, -1.0])
        ),  # fmt: skip
        torch.special.xlog1py(
            torch.tensor([0.0, 0.0, 1.0, nan, 0.0]), torch.tensor([-1.0, nan, -1.0, 1.0, -2.0])
        ),  # fmt: skip
        torch.xlogy(torch.tensor([0, 2]), torch.tensor([0, 3])),
        torch.xlogy(2, torch.tensor([3.0])),
        torch.xlogy(torch.tensor([0.0]), 0),
        torch.special.entr(torch.tensor([0.0, -1.0, 0.5, float("inf"), nan])),
    )


@program
def copysign_nextafter_signs(torch):
    return (
        torch.copysign(torch.tensor([1.0, -2.0, 0.0]), torch.tensor([-0.0, 0.0, -1.0])),
        torch.copysign(torch.tensor([1, -2]), torch.tensor([-1, 1])),
        torch.copysign(torch.tensor([1, -2]), -0.0),
        torch.copysign(torch.tensor([True]), torch.tensor([False])),
        torch.nextafter(
            torch.tensor([1.0, 0.0], dtype=torch.float64),
            torch.tensor([2.0, -1.0], dtype=torch.float64),
        ),  # fmt: skip
        torch.nextafter(torch.tensor([1.0, 0.0]), torch.tensor([2.0, -1.0])),
    )


@program
def binary_ufuncs_across_dtypes(torch):
    kinds = (torch.bool, torch.uint8, torch.int32, torch.int64, torch.float16, torch.float64)
    out = []
    for da in kinds:
        for db in kinds:
            a = torch.tensor([3, -2, 0]).to(da)
            b = torch.tensor([-1, 2, 0]).to(db)
            for fn in (torch.copysign, torch.hypot, torch.fmax, torch.heaviside):
                try:
                    out.append(fn(a, b))
                except (RuntimeError, NotImplementedError) as e:
                    out.append(type(e).__name__)
    return out


# ---- casting rules of out= and in-place ops -------------------------------------------------------
@error(RuntimeError, r"result type Float can't be cast to the desired output type Int")
def float_result_into_int_out(torch):
    torch.mul(torch.ones(2), 2, out=torch.empty(2, dtype=torch.int32))


@error(RuntimeError, r"result type Long can't be cast to the desired output type Bool")
def long_result_into_bool_out(torch):
    torch.add(torch.tensor([1]), 1, out=torch.empty(1, dtype=torch.bool))


@error(RuntimeError, r"can't be cast to the desired output type")
def int_tensor_imul_float(torch):
    y = torch.tensor(3, dtype=torch.int32)
    y *= torch.tensor(1.5)


@program
def out_casts_and_resizes(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r1 = torch.add(torch.ones(2), 1, out=torch.empty(3))
    r2 = torch.add(torch.ones(2), 1, out=torch.empty(0))
    r3 = torch.add(torch.ones(2, 1), torch.ones(3), out=torch.empty(2, 3))
    r4 = torch.logical_not(torch.tensor([True]), out=torch.empty(1, dtype=torch.int64))
    r5 = torch.lt(torch.ones(1), 2, out=torch.empty(1))
    r6 = torch.floor_divide(torch.tensor([3]), 2, out=torch.empty(1))
    r7 = torch.add(torch.ones(1, dtype=torch.float64), 1, out=torch.empty(1, dtype=torch.float16))
    x = torch.tensor(1.5)
    x *= torch.tensor(3, dtype=torch.int32)
    return r1, r2, r3, r4, r5, r6, r7, x, [str(m.message)[:60] for m in w]


# ---- more out dtype rules (inverse, isin, nonzero, take_along_dim, slice_scatter, ...) -----------
@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def inverse_out_double(torch):
    torch.inverse(torch.eye(2), out=_f64(torch, 2, 2))


@error(RuntimeError, r"Expected out tensor to have dtype bool, but got long int instead")
def isin_out_long(torch):
    torch.isin(torch.tensor([1, 2]), torch.tensor([2]), out=torch.empty(2, dtype=torch.int64))


@error(RuntimeError, r"Expected out tensor to have dtype long int, but got int instead")
def take_along_dim_out_int(torch):
    i = torch.tensor([[0, 1]])
    torch.take_along_dim(torch.tensor([[1, 2]]), i, out=torch.empty(1, 2, dtype=torch.int32))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got c10::Half instead")
def slice_scatter_out_half(torch):
    torch.slice_scatter(torch.zeros(4), torch.ones(2), start=1, end=3, out=torch.empty(4, dtype=torch.float16))  # fmt: skip


@error(
    RuntimeError, r"nonzero: Expected out tensor to have scalar type Long but got scalar typeInt"
)
def nonzero_out_int(torch):
    torch.nonzero(torch.tensor([1, 0, 2]), out=torch.empty(2, 1, dtype=torch.int32))


@error(RuntimeError, r"isposinf does not support non-boolean outputs")
def isposinf_out_float(torch):
    torch.isposinf(torch.tensor([1.0, float("inf")]), out=torch.empty(2))


@error(RuntimeError, r"isneginf does not support non-boolean outputs")
def isneginf_out_long(torch):
    torch.isneginf(torch.tensor([1.0]), out=torch.empty(1, dtype=torch.int64))


@error(RuntimeError, r"cholesky_inverse: Expected result to be safely castable from Float dtype, but got result with dtype Long")  # fmt: skip
def cholesky_inverse_out_long(torch):
    torch.cholesky_inverse(torch.eye(2), out=torch.empty(2, 2, dtype=torch.int64))


@error(RuntimeError, r"ldexp can't be cast to the desired output type Long")
def ldexp_out_long(torch):
    torch.ldexp(torch.ones(2), torch.tensor([1, 2]), out=torch.empty(2, dtype=torch.int64))


@error(RuntimeError, r"Expected canCast\( typeMetaToScalarType\(self.dtype\(\)\), typeMetaToScalarType\(out.dtype\(\)\)\) to be true")  # fmt: skip
def max_full_reduction_out_long(torch):
    torch.max(torch.ones(2, 2), out=torch.empty((), dtype=torch.int64))


@program
def new_rules_keep_valid_outs(torch):
    nz = torch.empty(0, dtype=torch.int64)
    torch.nonzero(torch.tensor([1, 0, 2]), out=nz)
    inv = torch.inverse(torch.eye(2) * 2, out=torch.empty(2, 2))
    isin = torch.isin(torch.tensor([1, 2]), torch.tensor([2]), out=torch.empty(2, dtype=torch.bool))
    m = torch.max(torch.ones(2, 2), out=_f64(torch))
    return nz, inv, isin, m, torch.isposinf(torch.tensor([float("inf")]), out=torch.empty(1, dtype=torch.bool))  # fmt: skip


# ---- functions without out= ---------------------------------------------------------------------
@error(TypeError, r"clone\(\) got an unexpected keyword argument 'out'")
def clone_has_no_out(torch):
    torch.clone(torch.ones(2), out=torch.empty(2))


@error(TypeError, r"isnan\(\) got an unexpected keyword argument 'out'")
def isnan_has_no_out(torch):
    torch.isnan(torch.ones(2), out=torch.empty(2, dtype=torch.bool))


@error(TypeError, r"relu\(\) got an unexpected keyword argument 'out'")
def relu_has_no_out(torch):
    torch.relu(torch.ones(2), out=torch.empty(2))


@error(TypeError, r"flatten\(\) got an unexpected keyword argument 'out'")
def flatten_has_no_out(torch):
    torch.flatten(torch.ones(2, 2), out=torch.empty(4))


@error(TypeError, r"isclose\(\) got an unexpected keyword argument 'out'")
def isclose_has_no_out(torch):
    torch.isclose(torch.ones(2), torch.ones(2), out=torch.empty(2, dtype=torch.bool))


@error(TypeError, r"rsub\(\) received an invalid combination of arguments - got \(Tensor, Tensor, out=Tensor\)")  # fmt: skip
def rsub_has_no_out(torch):
    torch.rsub(torch.ones(2), torch.ones(2), out=torch.empty(2))


@error(TypeError, r"count_nonzero\(\) received an invalid combination of arguments - got \(Tensor, out=Tensor\)")  # fmt: skip
def count_nonzero_has_no_out(torch):
    torch.count_nonzero(torch.ones(2), out=torch.empty((), dtype=torch.int64))


@error(RuntimeError, r"Found dtype Double but expected Float")
def lerp_tensor_weight_out_double(torch):
    torch.lerp(torch.ones(2), torch.zeros(2), torch.full((2,), 0.5), out=_f64(torch, 2))


@program
def lerp_number_weight_casts_into_out(torch):
    return torch.lerp(torch.ones(2), torch.zeros(2), 0.25, out=_f64(torch, 2))


@error(RuntimeError, r"matrix_power: Expected result to be safely castable from Float dtype, but got result with dtype Long")  # fmt: skip
def matrix_power_out_long(torch):
    torch.matrix_power(torch.eye(2), 0, out=torch.empty(2, 2, dtype=torch.int64))


@error(RuntimeError, r"mvlgamma: result type Double can't be cast to the desired output type Double")  # fmt: skip
def mvlgamma_out_int(torch):
    torch.mvlgamma(torch.full((2,), 4.0, dtype=torch.float64), 2, out=torch.empty(2, dtype=torch.int32))  # fmt: skip


@error(TypeError, r"roll\(\) got an unexpected keyword argument 'out'")
def roll_has_no_out(torch):
    torch.roll(torch.eye(2), 1, out=torch.empty(2, 2))


@error(TypeError, r"unsqueeze\(\) got an unexpected keyword argument 'out'")
def unsqueeze_has_no_out(torch):
    torch.unsqueeze(torch.ones(2), 0, out=torch.empty(1, 2))


# ---- special functions PyTorch computes for float32/float64 only ---------------------------------
@error(NotImplementedError, r"\"erfcx_cpu\" not implemented for 'Half'")
def erfcx_half(torch):
    torch.special.erfcx(torch.ones(2, dtype=torch.float16))


@error(NotImplementedError, r"\"bessel_j0_cpu\" not implemented for 'BFloat16'")
def bessel_j0_bfloat16(torch):
    torch.special.bessel_j0(torch.ones(2, dtype=torch.bfloat16))


@program(tol={"rtol": 1e-3, "atol": 1e-3})  # 16-bit results
def special_functions_reject_16bit_floats(torch):
    names = ("airy_ai", "bessel_j1", "bessel_y0", "log_ndtr", "modified_bessel_i0", "ndtri")
    names += ("scaled_modified_bessel_k1", "spherical_bessel_j0", "i0e", "ndtr", "entr")
    out = []
    for name in names:
        for dt in (torch.float16, torch.bfloat16):
            try:
                out.append(getattr(torch.special, name)(torch.full((2,), 0.5, dtype=dt)).float())
            except NotImplementedError as e:
                out.append(str(e))
    return out, torch.special.erfcx(torch.tensor([0.5, 2.0]))


@error(TypeError, r"where\(\): argument 'other' \(position 3\) must be Tensor, not float")
def where_out_number_other(torch):
    torch.where(torch.tensor([True, False]), torch.ones(2), 0.0, out=torch.empty(2))


@error(TypeError, r"where\(\): argument 'input' \(position 2\) must be Tensor, not int")
def where_out_number_input(torch):
    torch.where(torch.tensor([True, False]), 1, torch.ones(2), out=torch.empty(2))


@program
def where_numbers_without_out(torch):
    c = torch.tensor([True, False])
    return torch.where(c, 1.0, torch.zeros(2)), torch.where(c, torch.ones(2), 0)
