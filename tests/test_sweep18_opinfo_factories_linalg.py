"""Session 10: divergences PyTorch's OpInfo database (tests/opinfo_harness.py) found in the
factories, random functions, linear algebra and quantiles, each a program run with real
PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


# ---- factories ------------------------------------------------------------------------------
@program
def normal_of_numbers_with_layout_and_requires_grad(torch):
    torch.manual_seed(3)
    t = torch.normal(1.6, 0.3, (2, 2, 2), dtype=torch.float64, layout=torch.strided)
    g = torch.normal(0.0, 1.0, (3,), requires_grad=True)
    return t, g.requires_grad, g.is_leaf


@program
def arange_of_float_bounds_in_small_integer_dtypes(torch):
    """The size comes from the float bounds, the values from the truncated start and step
    (int64 truncates the bounds first)."""
    return [
        torch.arange(*args, dtype=dtype)
        for args in ((0.0, -8.000001, -4.0), (2.1, -2.9, -1.0), (3.1,), (-2.5, 3, 1.5))
        for dtype in (torch.int32, torch.uint8, torch.int64)
    ]


@program
def factories_take_the_dtype_of_out(torch):
    outs = [torch.zeros(0, dtype=torch.int32), torch.zeros(0, dtype=torch.float64)]
    torch.arange(0.0, 3.5, out=outs[0])
    torch.linspace(0, 1, 7, out=outs[1])
    full = torch.full((2,), 1.5, out=torch.zeros(0, dtype=torch.long))
    return outs, full, torch.eye(2, out=torch.zeros(0, dtype=torch.long))


@error(ValueError, r"step must be nonzero")
def arange_into_a_long_out_with_a_fractional_step(torch):
    return torch.arange(0, 64, 0.5, out=torch.zeros(0, dtype=torch.long))


@program
def logspace_and_linspace_of_0d_tensor_bounds(torch):
    a, b = torch.tensor(-3.0), torch.tensor(0.5, dtype=torch.float64)
    return (
        torch.logspace(a, b, 5, 2.0),
        torch.logspace(a, 0, 4),
        torch.logspace(0, b, 3, 1.1, dtype=torch.float64),
        torch.linspace(a, b, 6),
    )


@error(RuntimeError, r"logspace only supports 0-dimensional start and end tensors, but got "
       r"start with 1 dimension\(s\) and end with 1 dimension\(s\)\.")  # fmt: skip
def logspace_of_1d_tensor_bounds(torch):
    return torch.logspace(torch.zeros(2), torch.zeros(2), 1)


@error(RuntimeError, r"linspace only supports 0-dimensional start and end tensors, but got "
       r"end with 1 dimension\(s\)\.")  # fmt: skip
def linspace_of_a_1d_end(torch):
    return torch.linspace(0, torch.zeros(2), 1)


@error(TypeError, r"linspace\(\) received an invalid combination of arguments - got "
       r"\(int, int, float\)")  # fmt: skip
def linspace_with_float_steps(torch):
    return torch.linspace(0, 3, 1.0)
