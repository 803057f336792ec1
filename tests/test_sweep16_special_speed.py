"""Session 9 sweep of the fast erf / erfc / erfinv (minitorch/ops/special.py): piecewise
polynomials fitted to < 1e-17 (3e-11 for float32 and float16 inputs) instead of a 40-term
series and a 40-step continued fraction; libm element by element for small host arrays.
Checked against PyTorch (programs and dense grids, in ulps of the dtype) and math.erf/erfc."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep(float64={"rtol": 1e-14, "atol": 1e-320})  # 1e-320: a subnormal's last bit
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


SPECIAL = [0.0, -0.0, 1e-310, -1e-310, 5e-324, math.inf, -math.inf, math.nan, 0.5, 5.0, 27.0]


def _grid(torch, n, dtype):
    """n values over [-7, 7], then the special ones: n above 256 takes the vectorised path."""
    x = torch.linspace(-7, 7, n, dtype=torch.float64)
    return torch.cat([x, torch.tensor(SPECIAL, dtype=torch.float64)]).to(dtype)


# ---- values, both paths, every float dtype --------------------------------------------------
@program
def erf_small_float32(torch):
    return torch.erf(_grid(torch, 9, torch.float32))


@program
def erfc_large_float64(torch):
    return torch.erfc(_grid(torch, 5001, torch.float64))


@program
def erf_large_float64_with_negative_zero_sign(torch):
    y = torch.erf(_grid(torch, 1001, torch.float64))
    return y, torch.signbit(y)


@program
def erfc_large_float32(torch):
    return torch.erfc(_grid(torch, 3001, torch.float32))


@program
def erf_large_float16(torch):
    return torch.erfc(_grid(torch, 2001, torch.float16))


@program
def erfinv_large_float64(torch):
    y = torch.linspace(-1, 1, 4001, dtype=torch.float64)
    return torch.erfinv(torch.cat([y, torch.tensor([1.5, -2.0, math.nan, -0.0, 1e-300])]))


@program
def erfinv_small_float32_tails(torch):
    return torch.erfinv(torch.tensor([0.999999, -0.9999999, 1 - 2**-24, 0.5, -1.0, 1.0]))


@program
def erfc_float64_upper_tail(torch):
    return torch.erfc(torch.linspace(5, 27.2, 2000, dtype=torch.float64))


@program
def erf_non_contiguous_large(torch):
    x = torch.linspace(-4, 4, 1200).reshape(30, 40).t()
    return torch.erf(x), torch.erf(x[:, ::3])


@program
def erf_of_integer_tensor(torch):
    return torch.erf(torch.arange(-400, 400)), torch.erfc(torch.tensor([3]))


# ---- gradients, and what users build from erf -----------------------------------------------
@program
def gelu_by_erf_backward(torch):
    x = torch.linspace(-6, 6, 2000, requires_grad=True)
    y = 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
    y.sum().backward()
    return y, x.grad, torch.nn.functional.gelu(x)


@program(tol={"rtol": 1e-13, "atol": 0})  # erfc(3x) erfinv(x)' cancels near x = 0.5
def erfc_erfinv_backward_float64(torch):
    x = torch.linspace(-0.99, 0.99, 600, dtype=torch.float64, requires_grad=True)
    (torch.erfc(x * 3) * torch.erfinv(x)).sum().backward()
    return x.grad


@program
def ndtr_and_trunc_normal(torch):
    torch.manual_seed(0)
    w = torch.nn.init.trunc_normal_(torch.empty(300, 4), std=0.02)
    return torch.special.ndtr(torch.linspace(-9, 9, 500)), w


def test_gradients_float64():
    x = minitorch.tensor([[-2.5, -0.3, 0.1], [0.7, 1.9, 6.0]], dtype=minitorch.float64)
    x.requires_grad_(True)
    y = minitorch.tensor([-0.9, -0.2, 0.4], dtype=minitorch.float64, requires_grad=True)
    for fn, arg in [(minitorch.erf, x), (minitorch.erfc, x), (minitorch.erfinv, y)]:
        assert gradcheck(fn, (arg,))
        assert gradgradcheck(fn, (arg,))


# ---- accuracy over dense grids, in ulps -------------------------------------------------------
def _ulps(actual: np.ndarray, expected: np.ndarray) -> float:
    """The largest |actual - expected| in ulps of expected's dtype; both NaN counts as 0."""
    assert np.array_equal(np.isnan(actual), np.isnan(expected))
    assert np.array_equal(np.isinf(actual), np.isinf(expected))
    finite = np.isfinite(expected)
    a, e = actual[finite].astype(np.float64), expected[finite]
    ulp = np.spacing(np.abs(e)).astype(np.float64)
    return float(np.max(np.abs(a - e) / ulp)) if a.size else 0.0


def _dense(dtype: str) -> np.ndarray:
    x = np.concatenate([np.linspace(-30, 30, 60001), np.logspace(-320, 1.4, 4000), SPECIAL])
    return np.concatenate([x, -x]).astype(dtype)


@pytest.mark.parametrize(
    "name, dtype, bound",
    [("erf", "float64", 4), ("erfc", "float64", 4), ("erf", "float32", 1)]
    + [("erfc", "float32", 1), ("erfc", "float16", 0)],
)
def test_dense_grid_against_pytorch(torch, name, dtype, bound):
    x = _dense(dtype)
    ours = getattr(minitorch, name)(minitorch.tensor(x)).numpy()
    theirs = getattr(torch, name)(torch.tensor(x)).numpy()
    assert _ulps(ours, theirs) <= bound


@pytest.mark.parametrize("dtype, bound", [("float64", 4), ("float32", 1), ("float16", 1)])
def test_erfinv_dense_grid_against_pytorch(torch, dtype, bound):
    y = np.concatenate([np.linspace(-1, 1, 40001), 1 - np.logspace(-16, -1, 500), SPECIAL])
    y = np.concatenate([y, -y]).astype(dtype)
    ours = minitorch.erfinv(minitorch.tensor(y)).numpy()
    theirs = torch.erfinv(torch.tensor(y)).numpy()
    assert _ulps(ours, theirs) <= bound


def test_float16_erf_is_correctly_rounded():
    """PyTorch's float16 erf rounds its float32 approximation, up to 4 float16 ulps off
    below 1e-4 (erf(8.6e-5) = 9.7119e-5, PyTorch 9.7334e-5); ours rounds the true value."""
    x = _dense("float16")
    exact = np.array([math.erf(v) for v in x.astype(np.float64)]).astype(np.float16)
    assert _ulps(minitorch.erf(minitorch.tensor(x)).numpy(), exact) <= 0


@pytest.mark.parametrize("n", [100, 5000])
def test_float64_against_libm(n):
    """erfc to a few ulps where it is tiny (the old continued fraction lost 400 there,
    exp(-x*x) carrying x*x's rounding error), erf to 2; small and large arrays."""
    x = np.concatenate([np.linspace(0.3, 27, n), -np.linspace(0, 6, n)])
    erf = minitorch.erf(minitorch.tensor(x)).numpy()
    erfc = minitorch.erfc(minitorch.tensor(x)).numpy()
    assert _ulps(erf, np.array([math.erf(v) for v in x])) <= 2
    assert _ulps(erfc, np.array([math.erfc(v) for v in x])) <= 4


def test_erfcx_at_minus_infinity_is_infinite():
    x = minitorch.tensor([-math.inf] * 300 + [math.inf], dtype=minitorch.float64)
    assert minitorch.special.erfcx(x).tolist() == [math.inf] * 300 + [0.0]
