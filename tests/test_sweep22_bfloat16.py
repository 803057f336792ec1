"""Sweep 22: bfloat16 results rounded where PyTorch's CPU kernels round them (found by the
OpInfo harness in bfloat16, which its default dtypes leave out).

- scaled_dot_product_attention of 16-bit floats: PyTorch's math kernel (inputs that are
  not 4-D, dropout) works in float32 throughout and rounds the output (and each gradient)
  once; its flash kernel rounds the unnormalised weights exp(s - max) to the dtype for the
  product with v and divides by the float32 sum of the weights at the end.

The tolerances are the harness's (1e-3: below bfloat16's ulp from 1/128 up); each program's
inputs give a larger error without its fix."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
test_program_matches_pytorch = SWEEP.test()
BF16 = {"rtol": 1e-3, "atol": 1e-3}  # for bfloat16 results returned as float32


def _pattern(torch, shape, dtype=None, mod: int = 193):
    """Deterministic values in [-6, 6) on a 1/16 grid (exact in bfloat16)."""
    n = 1
    for s in shape:
        n *= s
    x = (torch.arange(n) * 37 % mod).reshape(shape) / 16.0 - 6.0
    return x.to(dtype or torch.bfloat16)


@program(tol=BF16)
def sdpa_math_kernel_bfloat16_in_float32(torch):
    q = _pattern(torch, (4, 3, 8)).requires_grad_()
    k = _pattern(torch, (4, 6, 8), mod=101).requires_grad_()
    v = _pattern(torch, (4, 6, 8), mod=89).requires_grad_()
    F = torch.nn.functional
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    (out.float() * _pattern(torch, (4, 3, 8), torch.float32, mod=53)).sum().backward()
    return out.float(), q.grad.float(), k.grad.float(), v.grad.float(), type(out.grad_fn).__name__


@program(tol=BF16)
def sdpa_flash_kernel_bfloat16_rounds_unnormalised_weights(torch):
    q = _pattern(torch, (2, 2, 5, 8)) / 2
    k = _pattern(torch, (2, 2, 7, 8), mod=101) / 2
    v = _pattern(torch, (2, 2, 7, 8), mod=89)
    F = torch.nn.functional
    return (
        F.scaled_dot_product_attention(q, k, v).float(),
        F.scaled_dot_product_attention(q, k, v, is_causal=True).float(),
    )
