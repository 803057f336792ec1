"""Session 18's fixes found by the torch.special fuzzer (tests/test_fuzz_special.py), each
pinned by a focused program compared with PyTorch."""

from __future__ import annotations

import math

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()

INF, NAN = math.inf, math.nan


# ---- the orthogonal polynomials: float32/float64 kernels only; numbers only with a Tensor ----
@error(NotImplementedError, r"\"hermite_polynomial_h_cpu\" not implemented for 'Half'")
def hermite_polynomial_refuses_float16(torch):
    x = torch.tensor([0.5, -1.0], dtype=torch.float16)
    return torch.special.hermite_polynomial_h(x, torch.tensor([2.0, 3.0], dtype=torch.float16))


@error(NotImplementedError, r"\"chebyshev_polynomial_u_cpu\" not implemented for 'BFloat16'")
def chebyshev_polynomial_number_x_bfloat16_degree(torch):
    return torch.special.chebyshev_polynomial_u(0.5, torch.tensor([2.0], dtype=torch.bfloat16))


@program
def legendre_polynomial_float32_x_bfloat16_degree_promotes(torch):
    x = torch.tensor([0.5, -0.25, 1.0])
    n = torch.tensor([2.0, 3.0, 4.0], dtype=torch.bfloat16)
    return torch.special.legendre_polynomial_p(x, n), torch.special.laguerre_polynomial_l(x, n)


@error(TypeError, r"special_shifted_chebyshev_polynomial_w\(\) received an invalid combination")
def shifted_chebyshev_polynomial_of_two_numbers(torch):
    return torch.special.shifted_chebyshev_polynomial_w(1.0, -1)


@error(TypeError, r"special_xlog1py\(\) received an invalid combination of arguments")
def special_xlog1py_of_two_numbers(torch):
    return torch.special.xlog1py(2.0, 0.5)


@error(TypeError, r"special_zeta\(\) received an invalid combination of arguments")
def special_zeta_of_two_numbers(torch):
    return torch.special.zeta(2.0, 1)


@error(TypeError, r"special_xlogy\(\) received an invalid combination of arguments")
def special_xlogy_of_two_numbers(torch):
    return torch.special.xlogy(True, -0.0)


@error(TypeError, r"xlogy\(\) received an invalid combination of arguments")
def xlogy_of_two_numbers(torch):
    return torch.xlogy(2, 3.0)


@error(TypeError, r"float_power\(\) received an invalid combination of arguments")
def float_power_of_two_numbers(torch):
    return torch.float_power(True, -0.0)


@program
def xlogy_number_first_still_works(torch):
    y = torch.tensor([0.5, 0.0, INF])
    return torch.special.xlogy(2.0, y), torch.special.xlog1py(0, y), torch.special.zeta(2.0, y)


# ---- logit: PyTorch's backward kernel, and under create_graph its recorded formula ----------
def _logit_grads(torch, values, eps, weights, dtype=None):
    x = torch.tensor(values, dtype=dtype or torch.float64, requires_grad=True)
    w = torch.tensor(weights, dtype=x.dtype)
    y = torch.logit(x, eps)
    (plain,) = torch.autograd.grad((y * w).sum(), x, retain_graph=True)
    (first,) = torch.autograd.grad((y * w).sum(), x, create_graph=True)
    (second,) = torch.autograd.grad((first * first.detach().tanh()).sum(), x)
    return y, plain, first, second, type(y.grad_fn).__name__


EDGES = [-0.0, 0.0, 1.0, 0.5, 1e-300, -0.5, 2.0, NAN, 0.1]
SIGNS = [-1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]


@program
def logit_gradients_at_the_edges_without_eps(torch):
    # plain backward: g * inf at 0 and 1 (the gradient's sign); create_graph: g / (x (1 - x))
    # (the signs of x and 1 - x), NaN outside [0, 1]; its derivative NaN at 0 and 1
    return _logit_grads(torch, EDGES, None, SIGNS)


@program
def logit_gradients_with_eps(torch):
    return [_logit_grads(torch, EDGES, eps, SIGNS) for eps in (0.0, 0.1, 0.6)]


@program
def logit_negative_eps_clamps_nothing(torch):
    # forward and plain backward as without eps; create_graph's formula takes eps as given
    return _logit_grads(torch, [-0.0, 0.0, 1.0, 0.5, -0.05, 1.05, 2.0], -0.1, [1.0] * 7)


@program(tol={"rtol": 1e-5, "atol": 1e-6})
def logit_float32_second_derivative_outside_eps(torch):
    return _logit_grads(torch, [0.9, 0.0, 0.999, -0.5], 1e-6, [1.0] * 4, torch.float32)


# ---- the gamma family at its edges ------------------------------------------------------------
@program
def igamma_of_a_subnormal_shape_underflows_to_zero(torch):
    # PyTorch's series factor x^a e^-x / Gamma(a) underflows (lgamma(5e-324) = 744.4): P = 0
    a = torch.tensor([5e-324, 5e-324, 1e-310, 1e-320, 5e-324, 0.5], dtype=torch.float64)
    x = torch.tensor([0.5, 1e-10, 0.5, 1.0, 2.0, 0.3], dtype=torch.float64)
    return torch.igamma(a, x), torch.special.gammainc(a, x)


@program
def zeta_of_infinite_order_at_negative_q(torch):
    s = torch.full((6,), INF)
    q = torch.tensor([-0.5, -2.5, 0.5, 1.0, -3.0, -0.0])
    return torch.special.zeta(s, q), torch.special.zeta(s.double(), q.double())


@error(RuntimeError, r"The input tensor may not be a boolean tensor")
def mvlgamma_checks_bool_input_before_p(torch):
    return torch.mvlgamma(torch.tensor([False]), 0)


# ---- erfcx far out, ndtri in the subnormals ---------------------------------------------------
@program
def erfcx_far_out_and_its_derivatives(torch):
    # beyond 5e7 PyTorch's erfcx is 1 / (x sqrt(pi)): 2 x erfcx(x) - 2 / sqrt(pi) is 0 there,
    # and so is the second derivative (2 erfcx + 2 x times that 0)
    x = torch.tensor([1e300, 6e7, 1e10, 1e200, 60.0, INF], dtype=torch.float64, requires_grad=True)
    y = torch.special.erfcx(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (g2,) = torch.autograd.grad(g.sum(), x)
    return y, g, g2


@program
def ndtri_of_subnormal_probabilities(torch):
    p = torch.tensor([5e-324, 1e-320, 1e-310, 2.2e-308, 1e-300, 1e-240, 0.3], dtype=torch.float64)
    return torch.special.ndtri(p), torch.special.ndtri(1 - p)


# ---- ldexp_: the cast of its float result checked before the shapes ------------------------
@error(RuntimeError, r"ldexp can't be cast to the desired output type Bool")
def ldexp_in_place_of_bools_growing_shape(torch):
    x = torch.tensor([[False, True, False]])
    return x.ldexp_(torch.tensor([[[True, False, True]]]))


# ---- i1/i1e: PyTorch's backward kernels have no 16-bit floats -----------------------------
@error(NotImplementedError, r"\"i1_backward\" not implemented for 'Half'")
def i1_backward_of_float16(torch):
    x = torch.tensor([2.0, -0.5], dtype=torch.float16, requires_grad=True)
    torch.special.i1(x).sum().backward()


@error(NotImplementedError, r"\"i1e_backward\" not implemented for 'BFloat16'")
def i1e_backward_of_bfloat16(torch):
    x = torch.tensor([2.0, -0.5], dtype=torch.bfloat16, requires_grad=True)
    torch.special.i1e(x).sum().backward()


# ---- binary special ops keep a non-contiguous first operand's layout (TensorIterator's) -----
@program
def binary_special_ops_keep_the_first_operands_strides(torch):
    x = torch.arange(1.0, 7.0, dtype=torch.float64).reshape(3, 2).t()
    y = torch.full((2, 3), 0.5, dtype=torch.float64)
    wide = torch.ones(4, 1, 1, dtype=torch.float64)
    special = torch.special
    results = [
        torch.hypot(x, y), torch.atan2(x, y), torch.logaddexp(x, y), torch.copysign(x, -y),
        torch.nextafter(x, y), torch.xlogy(x, y), torch.igamma(x, y), torch.igammac(x, wide),
        special.xlog1py(x, y), special.zeta(x + 1, y), special.chebyshev_polynomial_t(x / 7, 3),
        special.legendre_polynomial_p(x / 7, y), special.hermite_polynomial_h(x, wide),
    ]  # fmt: skip
    return [(r, r.stride()) for r in results]


@program
def pow_float_power_and_polygamma_keep_a_transposed_layout(torch):
    x = torch.arange(1.0, 7.0).reshape(3, 2).t()
    y = torch.full((2, 3), 2.0)
    results = [torch.pow(x, y), torch.float_power(x, y), x**y, torch.pow(x, torch.ones(4, 1, 1))]
    results += [torch.polygamma(n, x.to(dt)) for n in (1, 3) for dt in (torch.float16, torch.float64)]  # fmt: skip
    return [(r, r.stride()) for r in results]


# ---- ldexp: 2**other in a floating other's own dtype (PyTorch's pow(2, other)) -------------
@program
def ldexp_power_of_two_in_the_exponents_dtype(torch):
    a = torch.tensor([-27.0, 3.0, 1.5], dtype=torch.bfloat16, requires_grad=True)
    b = torch.tensor([100.0, 0.5, -30.0], dtype=torch.float16, requires_grad=True)
    y = torch.ldexp(a, b)  # float32, but 2**100 is inf in float16
    y.sum().backward()
    wide = torch.ldexp(torch.tensor([1.0, 3.0], dtype=torch.float64), b[:2].detach())
    narrow = torch.ldexp(a.detach(), torch.tensor([100, 2, 1]))  # bfloat16
    return y, a.grad.float(), b.grad, wide, narrow.dtype, narrow.float()


# ---- Chebyshev U, V, W (and the shifted T, U, V, W): PyTorch's closed forms above a degree ----
@program(tol={"rtol": 1e-13, "atol": 0.0})
def chebyshev_polynomials_of_high_degree_take_the_closed_form(torch):
    # sin((n + 1) t) / sin t, cos((n + 1/2) t) / cos(t / 2)... for |x| < 1 (x = cos t): the
    # recurrence of 20000 steps drifts ~1e-12 from it
    x = torch.tensor([-0.55, 0.35], dtype=torch.float64)
    special = torch.special
    return [
        [getattr(special, f"{prefix}chebyshev_polynomial_{kind}")(v, 20000) for kind in "tuvw"]
        for prefix, v in (("", x), ("shifted_", (x + 1) / 2))
    ]


# ---- log_ndtr in float32: PyTorch's steps in float32 (the far tail's gradient reads y's last bits)
@program
def log_ndtr_float32_far_tail_and_its_gradient(torch):
    # y = log(erfcx(-t) / 2) - t^2 rounded as PyTorch rounds it: exp(-(y + x^2 / 2)) keeps
    # only its last bits at x = -700 (an ulp of y there moves the gradient by 1.6%)
    x = torch.tensor([-700.0, -300.5, -45.25, -8.608, -1.5, 0.5], requires_grad=True)
    y = torch.special.log_ndtr(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    return y, g


@error(RuntimeError, r"mvlgamma: result type Half can't be cast to the desired output type Half")
def multigammaln_out_of_another_kind(torch):
    x = torch.tensor([2.5, 3.0], dtype=torch.float16)
    return torch.special.multigammaln(x, 2, out=torch.empty(2, dtype=torch.long))


# ---- pow/float_power: the exponent's gradient keeps log(0) in the graph (PyTorch's where) ----
@program
def float_power_second_derivative_at_a_zero_base(torch):
    # PyTorch's g * where(base == 0 & exponent >= 0, 0, result * log(base)): the masked
    # branch still gets a zero gradient, 0 * log(0) (and 0 / 0 through log), so the second
    # derivatives are NaN there (they were 0 with the log guarded and outside the where)
    a = torch.tensor([0.0, 30.0, 2.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([4.353, 0.78, 0.0], dtype=torch.float64, requires_grad=True)
    _, gb = torch.autograd.grad(torch.float_power(a, b).sum(), (a, b), create_graph=True)
    second = torch.autograd.grad((gb * gb.detach().tanh()).sum(), (a, b))
    c = torch.tensor([4.5, -1.0, 0.0], dtype=torch.float64, requires_grad=True)
    (gc,) = torch.autograd.grad((0.0**c).sum(), c, create_graph=True)  # a number base
    return gb, second, gc, torch.autograd.grad(gc.sum(), c)


# ---- hypot: PyTorch's grad * self / result (second derivatives of tiny values stay finite) ---
@program
def hypot_second_derivative_of_tiny_values(torch):
    a = torch.tensor([1e-30, 3.0, 0.0], requires_grad=True)
    b = torch.tensor([1e-30, 4.0, 0.0], requires_grad=True)
    ga, _ = torch.autograd.grad(torch.hypot(a, b).sum(), (a, b), create_graph=True)
    return ga, torch.autograd.grad((ga * ga.detach().tanh()).sum(), (a, b))
