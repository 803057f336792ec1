"""minitorch.signal.windows against torch.signal.windows: every window at lengths 0 to 33,
symmetric and periodic, float32 and float64, the windows' own parameters, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

NAMES = ("bartlett", "blackman", "cosine", "exponential", "gaussian", "hamming", "hann",
         "kaiser", "nuttall")  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype, tol", [("float32", 1e-6), ("float64", 1e-13)])
def test_windows_match_pytorch(torch, name, dtype, tol):
    for M in (0, 1, 2, 5, 8, 33):
        for sym in (True, False):
            want = getattr(torch.signal.windows, name)(M, sym=sym, dtype=getattr(torch, dtype))
            got = getattr(minitorch.signal.windows, name)(
                M, sym=sym, dtype=getattr(minitorch, dtype)
            )
            assert got.dtype == getattr(minitorch, dtype) and tuple(got.shape) == tuple(want.shape)
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize(
    "name, kwargs",
    [("gaussian", {"std": 2.5}), ("gaussian", {"std": 0.3, "sym": False}),
     ("exponential", {"tau": 3.0}), ("exponential", {"center": 1.0, "sym": False}),
     ("kaiser", {"beta": 0.0}), ("kaiser", {"beta": 30.0, "sym": False}),
     ("general_cosine", {"a": [0.3, 0.5, 0.2]}), ("general_hamming", {"alpha": 0.6, "sym": False})],
)  # fmt: skip
def test_window_parameters_match_pytorch(torch, name, kwargs):
    want = getattr(torch.signal.windows, name)(7, **kwargs)
    got = getattr(minitorch.signal.windows, name)(7, **kwargs)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-6)
    assert minitorch.signal.windows.hann(4, requires_grad=True).requires_grad


@pytest.mark.parametrize(
    "name, M, kwargs, error, match",
    [("gaussian", 5, {"std": -1}, ValueError, "Standard deviation must be positive, got: -1"),
     ("exponential", 5, {"center": 1.0}, ValueError, "Center must be None for symmetric"),
     ("exponential", 5, {"tau": 0}, ValueError, "Tau must be positive, got: 0"),
     ("kaiser", 5, {"beta": -1}, ValueError, "beta must be non-negative, got: -1"),
     ("general_cosine", 5, {"a": []}, ValueError, "Coefficients cannot be empty"),
     ("general_cosine", 5, {"a": 3}, TypeError, "Coefficients must be a list/tuple"),
     ("hann", -1, {}, ValueError, "general_cosine requires non-negative window length, got M=-1"),
     ("bartlett", 4, {"dtype": "int64"}, ValueError, "bartlett expects float32 or float64 dtypes")],
)  # fmt: skip
def test_window_errors_match_pytorch(torch, name, M, kwargs, error, match):
    for lib in (torch, minitorch):
        args = dict(kwargs)
        if "dtype" in args:
            args["dtype"] = getattr(lib, args["dtype"])
        with pytest.raises(error, match=match):
            getattr(lib.signal.windows, name)(M, **args)
