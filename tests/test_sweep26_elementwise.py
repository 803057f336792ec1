"""Session 16 sweep of elementwise math: one focused program for each divergence the
elementwise fuzzer (tests/test_fuzz_elementwise.py) found, checked against PyTorch
(tests/sweep_harness.py)."""

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _f64(torch, values, grad=False):
    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


# ---- torch.special's out= ----------------------------------------------------------------------
@program
def special_functions_take_out(torch):
    x = torch.tensor([0.25, 0.5, 2.0], dtype=torch.float64)
    results = []
    for name in ("erfinv", "i1e", "psi", "gammaln", "expit", "ndtri", "erfcx", "log1p", "exp2"):
        out = torch.empty(3, dtype=torch.float64)
        r = getattr(torch.special, name)(x / 4 if name == "erfinv" else x, out=out)
        results.append((r is out, out))
    out = torch.empty(3, dtype=torch.float32)
    torch.special.xlogy(x, x, out=out)  # cast to out's dtype
    return results, out, torch.special.polygamma(1, x, out=torch.empty(3, dtype=torch.float64))


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def special_out_of_an_integer_dtype(torch):
    torch.special.spherical_bessel_j0(torch.tensor([1, 2]), out=torch.empty(2, dtype=torch.long))


@program
def angle_and_arctan2_take_out(torch):
    x = torch.tensor([-1.0, 0.0, 2.0])
    a, b = torch.empty(3), torch.empty(3, dtype=torch.float32)
    return torch.angle(x, out=a), torch.arctan2(x.double(), x.flip(0).double(), out=b), a, b


# ---- Tensor-only signatures ----------------------------------------------------------------------
@error(TypeError, r"special_gammainc\(\): argument 'other' \(position 2\) must be Tensor, not int")
def gammainc_of_a_number(torch):
    torch.special.gammainc(torch.tensor([1.0, 2.0]), 2)


@error(TypeError, r"igammac\(\): argument 'other' \(position 2\) must be Tensor, not float")
def igammac_of_a_number(torch):
    torch.igammac(torch.tensor([1.0, 2.0]), 2.0)


@error(TypeError, r"arctan2\(\): argument 'other' \(position 2\) must be Tensor, not float")
def arctan2_names_itself(torch):
    torch.arctan2(torch.tensor([1.0]), 1.0)


@error(TypeError, r"clamp_min\(\) received an invalid combination of arguments")
def clamp_min_of_none(torch):
    torch.clamp_min(torch.tensor([5]), None)


@error(TypeError, r"clamp_max\(\) received an invalid combination of arguments")
def clamp_max_of_none(torch):
    torch.clamp_max(torch.tensor([5.0]), None)


# ---- special.round is round's decimals overload -----------------------------------------------
@error(NotImplementedError, r"\"round_vml_cpu\" not implemented for 'Long'")
def special_round_of_integers(torch):
    torch.special.round(torch.tensor([3]))


@program
def special_round_node_and_decimals(torch):
    x = torch.tensor([1.25, -2.5, 0.5], requires_grad=True)
    y = torch.special.round(x)
    return type(y.grad_fn).__name__, y, torch.special.round(x, decimals=1), torch.round(torch.tensor([3]))  # fmt: skip


# ---- values and gradients at edges -------------------------------------------------------------
@program
def logit_with_eps_above_half(torch):
    # PyTorch's x < eps ? eps : (x > 1 - eps ? 1 - eps : x), not a clamp (whose max wins)
    x = _f64(torch, [0.0, 1.0, 0.5, 0.7, float("nan")], grad=True)
    y = torch.logit(x, eps=0.6)
    (g,) = torch.autograd.grad(y.sum(), x)
    return y, g, torch.special.logit(x.detach().float(), eps=0.75)


@program
def sinc_gradient_at_tiny_arguments(torch):
    # PyTorch's mask is pi x^2 == 0 (underflowed), not x == 0
    x = _f64(torch, [5e-324, 1e-310, 1e-200, 1e-100, -1e-170, 0.0, 0.5], grad=True)
    return torch.autograd.grad(torch.sinc(x).sum(), x)


@program
def lgamma_of_subnormals_and_tiny_numbers(torch):
    x = _f64(torch, [5e-324, -5e-324, 1e-310, 1e-300, -1e-200, 1e-20, -0.0, 0.0])
    return torch.lgamma(x), torch.special.gammaln(x), torch.mvlgamma(x.abs() + 1e-300, 1)


@error(RuntimeError, r"The input tensor may not be a boolean tensor")
def mvlgamma_of_bools(torch):
    torch.special.multigammaln(torch.tensor([True, False]), 2)


@error(TypeError, r"special_softmax\(\) got an unexpected keyword argument 'out'")
def special_softmax_has_no_out(torch):
    torch.special.softmax(torch.tensor([1.0, 2.0]), 0, out=torch.empty(2))


@error(TypeError, r"clip\(\) received an invalid combination of arguments")
def clip_names_itself(torch):
    torch.clip(torch.tensor([1.0, 8.0]), min=torch.tensor([5.0, 0.0]), max=2.5)


@error(NotImplementedError, r"\"zeta_cpu\" not implemented for 'Half'")
def zeta_of_half_floats(torch):
    torch.special.zeta(torch.tensor([2.0], dtype=torch.float16), 2.0)


@error(NotImplementedError, r"\"zeta_cpu\" not implemented for 'BFloat16'")
def zeta_promoting_to_bfloat16(torch):
    torch.special.zeta(torch.tensor([2]), torch.tensor([2.0], dtype=torch.bfloat16))


@program
def softmax_of_empty_integer_tensors(torch):
    e = torch.zeros(0, 3, dtype=torch.int32)
    return torch.special.softmax(e, 0), torch.log_softmax(e, 1), torch.softmax(e.long(), -1)


@program
def integer_division_by_zero_of_empty_tensors(torch):
    e = torch.zeros(0, 3, dtype=torch.int64)
    z = torch.zeros(3, dtype=torch.int64)
    return (torch.fmod(e, 0), torch.remainder(e, z), e % 0, torch.div(e, z, rounding_mode="trunc"),
            e // 0)  # fmt: skip


@error(RuntimeError, r"ZeroDivisionError")
def integer_remainder_by_zero_still_raises(torch):
    torch.remainder(torch.tensor([3, 4]), torch.tensor([1, 0]))


@program
def copysign_nan_signs_and_gradient(torch):
    nan, inf = float("nan"), float("inf")
    x = _f64(torch, [nan, 0.0, -0.0, inf, -2.0, 3.0], grad=True)
    y = torch.copysign(x, _f64(torch, [-1.0, -1.0, 1.0, -1.0, nan, -0.0]))
    # PyTorch's result / self: NaN at NaN and inf (and its second derivative at 0)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    b = torch.copysign(torch.tensor([nan, 1.0], dtype=torch.bfloat16), -1.0)
    return y.signbit(), y, g, h, b.signbit()


@error(RuntimeError, r"^ldexp can't be cast to the desired output type Long")
def ldexp_in_place_on_integers(torch):
    torch.tensor([4]).ldexp_(torch.tensor([3]))


@error(RuntimeError, r"^mvlgamma: result type Short can't be cast to the desired output type Float")
def mvlgamma_in_place_on_integers(torch):
    torch.tensor([4, 5], dtype=torch.int16).mvlgamma_(2)


@program
def addcdiv_of_mixed_dtypes_rounds_once(torch):
    # bfloat16 with an integer tensor: computed in float32, rounded once (as for one dtype)
    x = torch.tensor([0.0, -2.0, 100.0], dtype=torch.bfloat16)
    t1 = torch.tensor([64, -3, 2])
    t2 = torch.tensor([1.5, 2.5, 3.741], dtype=torch.bfloat16)
    h = torch.tensor([-2.0, 0.1], dtype=torch.float16)
    y = torch.addcdiv(x, t1, t2, value=-1.5)
    return y.dtype, y.float(), torch.addcmul(h, torch.tensor([3, 1]), h, value=0.7)


@program
def gcd_and_lcm_at_the_most_negative_integer(torch):
    # PyTorch's Euclid on C's abs, which leaves -2**63 negative
    low = -(2**63)
    a = torch.tensor([3, -2, 63, 8, 63, -15, 0, 0, low, 12])
    b = torch.tensor([low, low, low, 4, 6, 0, 0, 5, low, -18])
    small = torch.tensor([4, -6, -128], dtype=torch.int16), torch.tensor([6, -128, 3], dtype=torch.int16)  # fmt: skip
    zero_dim = torch.gcd(torch.tensor(7), torch.tensor(21)), torch.lcm(torch.tensor(4), torch.tensor(6))  # fmt: skip
    return torch.gcd(a, b), torch.lcm(a, b), torch.lcm(*small), torch.gcd(a[:3], torch.tensor(6)), zero_dim  # fmt: skip


@program
def clamp_with_tensor_bounds_keeps_x_at_ties(torch):
    z, n = torch.tensor([0.0]), torch.tensor([-0.0])
    return [t.signbit() for t in (torch.clamp_min(z, n), torch.clamp(n, min=z), torch.clamp(z, max=n), torch.clamp(n, z, z))]  # fmt: skip


@program
def number_to_the_power_of_a_one_element_tensor(torch):
    return torch.pow(3, torch.tensor(2, dtype=torch.int8)), 2.0 ** torch.tensor([0.5]), torch.tensor([4]).ldexp(torch.tensor([3]))  # fmt: skip


@error(TypeError, r"rsub\(\) received an invalid combination of arguments")
def rsub_of_a_number_first(torch):
    torch.rsub(2.0, torch.tensor([1.0]))


@error(RuntimeError, r"^value cannot be converted to type float without overflow")
def clamp_of_float32_by_a_bound_beyond_its_range(torch):
    torch.clamp(torch.tensor([1, 2], dtype=torch.int8), max=1e300)


@error(RuntimeError, r"^value cannot be converted to type float without overflow")
def lerp_of_bfloat16_by_a_weight_beyond_float32(torch):
    torch.lerp(torch.zeros(0, dtype=torch.bfloat16), torch.ones(0, dtype=torch.bfloat16), 1e39)


@error(RuntimeError, r"^value cannot be converted to type float without overflow")
def where_of_an_integer_tensor_and_a_huge_float(torch):
    torch.where(torch.tensor([False]), torch.tensor([1], dtype=torch.int32), 1e300)


@program
def scalars_beyond_float32_where_they_are_kept(torch):
    z16, z64 = torch.zeros(1, dtype=torch.float16), torch.zeros(1, dtype=torch.float64)
    return (torch.where(torch.tensor([False]), z16, 1e300), torch.lerp(z64, z64 + 1, 1e300),
            torch.lerp(z16, z16 + 1, 1e5), torch.clamp(z64, max=1e300), torch.clamp(z64.float(), max=float("inf")))  # fmt: skip


@error(NotImplementedError, r"\"clamp_cpu\" not implemented for 'Bool'")
def clamp_of_bools_between_bool_tensors(torch):
    t = torch.tensor([True, False])
    t.clip_(min=torch.tensor([False, True]), max=torch.tensor([False]))


@program
def clamp_of_bools_by_one_bool_tensor(torch):
    t, f = torch.tensor([True, False]), torch.tensor([False, True])
    return torch.clamp_min(t, f), torch.clamp(t, max=f), torch.clamp(t, torch.tensor([0]), None)


@error(TypeError, r"clip_\(\) received an invalid combination of arguments")
def clip_in_place_names_itself(torch):
    torch.zeros(3).clip_(min=0.0, max=torch.ones(3))


@error(TypeError, r"arctan2_\(\): argument 'other' \(position 1\) must be Tensor, not float")
def arctan2_in_place_names_itself(torch):
    torch.zeros(3).arctan2_(2.0)


@error(RuntimeError, r"^value cannot be converted to type float without overflow")
def where_of_two_numbers_beyond_float32(torch):
    torch.where(torch.tensor([False]), 1e300, False)


@error(NotImplementedError, r"\"addcmul_cpu_out\" not implemented for 'Bool'")
def addcmul_of_bools(torch):
    t = torch.tensor([True])
    torch.addcmul(t, t, t, value=0)


@program
def clamp_min_in_place_of_half_floats_keeps_x_at_ties(torch):
    out = []
    for dtype in (torch.float16, torch.bfloat16, torch.float32):
        x = torch.tensor([0.0, 3.0, 1.0], dtype=dtype)
        x.clamp_min_(torch.tensor([-0.0, 1.0, float("nan")], dtype=dtype))
        out.append((x.signbit(), x.float()))
    return out


@error(RuntimeError, r"result type Long can't be cast to the desired output type Bool")
def square_in_place_of_bools(torch):
    torch.tensor([], dtype=torch.bool).square_()


@error(TypeError, r"^arctan2\(\): argument 'other' \(position 1\) must be Tensor, not float")
def arctan2_method_counts_after_self(torch):
    torch.tensor([1.0]).arctan2(1.0)


@error(TypeError, r"^heaviside\(\): argument 'values' \(position 1\) must be Tensor, not int")
def heaviside_method_counts_after_self(torch):
    torch.tensor([1.0]).heaviside(0)


@error(TypeError, r"^maximum\(\): argument 'other' \(position 1\) must be Tensor, not float")
def maximum_method_counts_after_self(torch):
    torch.tensor([1.0]).maximum(0.5)
