"""Session 10 sweep of PyTorch's reference inputs (OpInfo ``reference_inputs``: NaN, inf,
-0, huge and tiny values, boundaries, large tensors) for the special functions: each program
runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program


test_program_matches_pytorch = SWEEP.test()


_NEGATIVE_Q = [-1001.2, -13438.3, -4988429.2, -2.5, -0.5, -1e20, -3.0, -0.0, -1e-300]


@program
def zeta_of_far_negative_q(torch):
    s = torch.tensor([3.0, 3, 3, 4, 2, 3, 3, 3, 4, 2.5, float("nan")], dtype=torch.float64)
    q = torch.tensor(_NEGATIVE_Q + [-1001.2, float("nan")], dtype=torch.float64)
    return torch.special.zeta(s, q)


@program
def polygamma_of_far_negative_x(torch):
    x = torch.tensor(_NEGATIVE_Q, dtype=torch.float64)
    return [torch.polygamma(n, x) for n in (2, 3, 4)]


@program
def zeta_of_a_far_negative_q(torch):  # was slow: a loop of ~5e6 terms per element
    q = torch.tensor([-4988429.2], dtype=torch.float64)  # PyTorch's loop: ~0.08 s per element
    return torch.special.zeta(torch.tensor([3.0], dtype=torch.float64), q)


@program
def chebyshev_t_of_huge_degrees(torch):
    x = [0.5, 1.5, -1.5, 1.0, -1.0, 0.5, 1.5, 1.5, -1.5, 1e20, -0.3, float("nan"), 0.5, -1, -1]
    n = [10, 1e20, 1e6, 7, 7, 1e20, -1, 5000, 5001, 3, -1e20, 3, float("nan"), -3, 4]
    x, n = torch.tensor(x, dtype=torch.float64), torch.tensor(n, dtype=torch.float64)
    return torch.special.chebyshev_polynomial_t(x, n), torch.special.chebyshev_polynomial_t(
        x.float(), n.float()
    )


@program
def igamma_at_the_edges(torch):
    v = [0.0, -0.0, 1.0, -1.0, 2.5, float("inf"), float("nan"), 1e-300, 12.0]
    a = torch.tensor(v, dtype=torch.float64).repeat_interleave(len(v))
    x = torch.tensor(v, dtype=torch.float64).repeat(len(v))
    zero_d = torch.tensor(3.0, dtype=torch.float64)
    return torch.igamma(a, x), torch.igammac(a, x), torch.igamma(zero_d, zero_d)


@program
def igamma_of_a_large_batch(torch):  # was slow: series to 1e-16 on every element
    a = torch.linspace(0.01, 9.0, 40000, dtype=torch.float64).reshape(200, 200)
    return torch.igamma(a, a.flip(0)), torch.igammac(a, a.flip(1))


@program(tol={"rtol": 5e-7, "atol": 1e-7})  # the float32 sweep's tolerance, 1.3e-6, or less
def erfcx_of_negative_float32(torch):
    x = torch.tensor([-9.2, -8.7, -6.3, -6.0, -3.3, -0.5, -0.0, 0.7, 30.0, float("-inf")])
    return torch.special.erfcx(x), torch.special.erfcx(x.double())


@program(tol={"rtol": 1e-12, "atol": 1e-14})
def bessel_j_y_just_above_5(torch):
    x = torch.tensor([5.0000851, 5.0041331, 6.3, 8.9, -5.2, 4.9, 0.0, 1e-6, 30.0, float("inf")])
    x = x.double()
    special = torch.special
    return [
        f(x) for f in (special.bessel_j0, special.bessel_j1, special.bessel_y0, special.bessel_y1)
    ]


@program
def i1_i1e_gradients_at_nan_and_tiny(torch):
    x = torch.tensor([float("nan"), 0.0, 1e-17, -1e-300, 2.5, -30.0], dtype=torch.float64)
    x.requires_grad_()
    return [torch.autograd.grad(f(x).sum(), x)[0] for f in (torch.special.i1, torch.special.i1e)]


@program(tol={"rtol": 1e-12, "atol": 0.0})
def log_ndtr_gradient_far_below(torch):
    x = torch.tensor([-4988429.2, -1e5, -35.0, -31.0, -1e20], dtype=torch.float64)
    x.requires_grad_()
    y = torch.special.log_ndtr(x)
    return y, torch.autograd.grad(y.sum(), x)[0]


_SPECIAL = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.0, 6.0, -1.0, 0.5, -0.5, 2.0]


def _grad_at_special_values(torch, fn):
    x = torch.tensor(_SPECIAL, dtype=torch.float64, requires_grad=True)
    y = fn(x, x.detach().flip(0))
    return y, torch.autograd.grad(y.sum(), x)[0]


@program
def logit_gradient_at_0_1_and_outside(torch):
    return _grad_at_special_values(torch, lambda x, other: torch.logit(x))


@program
def logaddexp_gradient_at_inf(torch):
    return _grad_at_special_values(torch, torch.logaddexp)


@program
def remainder_gradient_of_the_divisor_at_inf(torch):
    return _grad_at_special_values(torch, lambda x, other: torch.remainder(other + 3, x))


@program
def threshold_passes_nan(torch):
    x = torch.tensor(_SPECIAL, dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.threshold(x, 0.1533203125, -9.0)
    return y, torch.autograd.grad(y.sum(), x)[0]


@program
def maximum_minimum_gradients_at_nan(torch):
    out = []
    for fn in (torch.maximum, torch.minimum, torch.max, torch.min):
        a = torch.tensor([1.0, float("nan"), 2.0, 3.0, float("nan")], requires_grad=True)
        b = torch.tensor([1.0, 1.0, float("nan"), 4.0, float("nan")], requires_grad=True)
        out += [fn(a, b), *torch.autograd.grad(fn(a, b).sum(), (a, b))]
    return out


@program
def i0_i1_of_float32_overflow_as_exp(torch):
    x = torch.tensor([-89.0, 89.0, 88.7, 88.8, 0.0, 700.0])
    window = torch.signal.windows.kaiser(64, beta=100.0)
    return torch.i0(x), torch.special.i1(x), torch.i0(x.double()), window


@program
def zeta_of_a_broadcast_negative_q(torch):
    s = torch.tensor([[2.0], [3.0], [4.5]], dtype=torch.float64)
    q = torch.tensor([-2.5, -0.5, 1.5, -3.0], dtype=torch.float64)
    return torch.special.zeta(s, q), torch.special.zeta(s.T + 1, s - 10.5)
