"""Session 11 sweep of PyTorch's reference inputs (OpInfo ``reference_inputs``: NaN, inf, -0,
huge and tiny values, large tensors) and of its samples made non-contiguous: each program
runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program


test_program_matches_pytorch = SWEEP.test()


def _nan_rows(torch, dtype):
    """A tensor of 64 elements (PyTorch's vector kernels take all of them) with NaN, +-inf,
    +-0 and values around the shrink bounds."""
    v = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 0.5, -0.5, 0.7, -0.2, 3.0]
    x = torch.tensor((v * 7)[:64], dtype=dtype)
    return x.requires_grad_()


@program
def shrink_gradients_at_nan(torch):
    out = []
    for dtype in (torch.float32, torch.float64):
        for fn in (torch.nn.functional.hardshrink, torch.nn.functional.softshrink):
            x = _nan_rows(torch, dtype)
            (grad,) = torch.autograd.grad(fn(x), x, torch.ones(64, dtype=dtype))
            out += [fn(x.detach()), grad]
    return out
