"""Session 18 sweep (the lead's own programs), run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


@program(tol={"rtol": 0, "atol": 0})  # bit for bit: PyTorch's kernel is one fmadd per element
def lerp_rounds_once_in_float32_and_16_bit(torch):
    rng = np.random.default_rng(5)
    a, b = (torch.tensor(rng.standard_normal((64, 33)).astype(np.float32) * 3) for _ in range(2))
    w = torch.tensor(rng.uniform(-1, 2, (64, 33)).astype(np.float32))
    out = [torch.lerp(a, b, weight) for weight in (0.3, 0.7, 1.0, -0.6, 0.1, w)]
    out += [a.clone().lerp_(b, 0.1), torch.lerp(a.T, b.T, w.T), torch.lerp(a, b[:1], w[:, :1])]
    for dtype in (torch.float16, torch.bfloat16):
        h = [x.to(dtype) for x in (a, b, w)]
        out += [torch.lerp(h[0], h[1], 0.3).float(), torch.lerp(*h).float()]
    return out


@program
def floor_division_by_a_python_number(torch):
    x = torch.tensor([-3.5, -0.0, 0.0, 2.25, float("inf"), float("nan"), 7.0])
    return [x // 0.75, x.div(0.7, rounding_mode="floor"), x // -2.0, x // 0.0, 5.0 // (x + 1)]


@program
def arithmetic_of_two_python_numbers(torch):
    """PyTorch's parser takes a number as the input of add/sub/mul/div and their aliases."""
    return [
        torch.add(2, 3),
        torch.add(2, 3.5),
        torch.add(True, False),
        torch.add(2, 3, alpha=2),
        torch.sub(2.0, 3),
        torch.mul(2, 3.5),
        torch.multiply(3, 4),
        torch.div(2, 3),
        torch.true_divide(7, 2),
        torch.div(7, 2, rounding_mode="floor"),
        torch.floor_divide(-7, 2),
        torch.floor_divide(7.5, 2),
        torch.add(np.float64(2.0), 3),
    ]


@error(TypeError, r"remainder\(\) received an invalid combination of arguments - got \(int, int\)")
def remainder_of_two_python_numbers(torch):
    torch.remainder(2, 3)


@error(TypeError, r"add\(\): argument 'input' \(position 1\) must be Tensor, not list")
def add_of_a_list_and_a_number(torch):
    torch.add([1], 2)


@error(RuntimeError, r"masked_fill_ only supports a 0-dimensional value tensor")
def masked_fill_in_place_checks_the_value_before_the_shapes(torch):
    torch.zeros(2, 3).masked_fill_(torch.ones(4, dtype=torch.bool), torch.ones(2))


@error(RuntimeError, r"masked_fill_ only supports boolean masks, but got mask with dtype unsigned")
def masked_fill_in_place_checks_the_mask_dtype_before_the_shapes(torch):
    torch.zeros(2, 3).masked_fill_(torch.ones(4, dtype=torch.uint8), 1.0)


@error(RuntimeError, r"The size of tensor a \(4\) must match the size of tensor b \(3\)")
def masked_fill_checks_the_shapes_before_the_mask_dtype(torch):
    torch.zeros(2, 3).masked_fill(torch.ones(4, dtype=torch.uint8), 1.0)


@error(RuntimeError, r"masked_fill_ only supports a 0-dimensional value tensor")
def masked_fill_checks_the_value_before_the_mask_dtype(torch):
    torch.zeros(2, 3).masked_fill(torch.ones(3, dtype=torch.uint8), torch.ones(2))
