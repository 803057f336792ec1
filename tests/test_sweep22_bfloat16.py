"""Sweep 22: bfloat16 results rounded where PyTorch's CPU kernels round them (found by the
OpInfo harness in bfloat16, which its default dtypes leave out).

- scaled_dot_product_attention of 16-bit floats: PyTorch's math kernel (inputs that are
  not 4-D, dropout) works in float32 throughout and rounds the output (and each gradient)
  once; its flash kernel rounds the unnormalised weights exp(s - max) to the dtype for the
  product with v and divides by the float32 sum of the weights at the end;
- batch_norm of bfloat16 with bfloat16 (or no) parameters keeps the batch's mean, sum of
  squares, variance and 1/std in bfloat16 and updates the running statistics in bfloat16
  arithmetic (float16: the mean and 1/std rounded, the running statistics updated in float32
  and rounded once); in evaluation it scales and shifts in float32 and rounds once;
  instance_norm of 16-bit floats is that batch_norm of the (1, N * C, ...) view, running
  statistics or not.

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


@program(tol=BF16)
def batch_norm_bfloat16_keeps_statistics_in_bfloat16(torch):
    x = _pattern(torch, (6, 5, 7)) + 3
    w, b = _pattern(torch, (5,), mod=29) / 4, _pattern(torch, (5,), mod=31)
    mean, var = _pattern(torch, (5,), mod=23) / 8, _pattern(torch, (5,), mod=19) / 16 + 1
    F = torch.nn.functional
    out = F.batch_norm(x, mean, var, w, b, training=True, momentum=0.3, eps=1e-5)
    no_stats = F.batch_norm(x, None, None, None, None, training=True)
    return out.float(), mean.float(), var.float(), no_stats.float()


@program(tol=BF16)
def batch_norm_bfloat16_eval_scales_in_float32(torch):
    x = _pattern(torch, (6, 5, 7))
    w, b = _pattern(torch, (5,), mod=29) / 4, _pattern(torch, (5,), mod=31)
    mean, var = _pattern(torch, (5,), mod=23) / 8, _pattern(torch, (5,), mod=19) / 16 + 1
    F = torch.nn.functional
    return F.batch_norm(x, mean, var, w, b, eps=0.6).float()


@program(tol=BF16)
def instance_norm_bfloat16_is_batch_norm_of_the_instances(torch):
    x = _pattern(torch, (3, 4, 9)) + 2
    w = _pattern(torch, (4,), mod=29) / 4
    mean, var = _pattern(torch, (4,), mod=23) / 8, _pattern(torch, (4,), mod=19) / 16 + 1
    F = torch.nn.functional
    return (
        F.instance_norm(x).float(),
        F.instance_norm(x, mean, var, w, use_input_stats=True, momentum=0.5).float(),
        mean.float(),
        var.float(),
    )


@program(tol={"rtol": 0, "atol": 1e-4})  # float16 results to a fraction of their ulp
def batch_norm_float16_running_statistics_rounded_once(torch):
    x = _pattern(torch, (6, 5, 7), torch.float16) * 3 + 1
    mean = _pattern(torch, (5,), torch.float16, mod=37) / 8
    var = _pattern(torch, (5,), torch.float16, mod=19) / 16 + 1
    out = torch.nn.functional.batch_norm(x, mean, var, training=True, momentum=0.1)
    return out.float(), mean.float(), var.float()


@program(tol=BF16)
def ndtr_bfloat16_composes_erf_in_bfloat16(torch):
    x = _pattern(torch, (40,)) / 2 - 0.5
    return torch.special.ndtr(x).float(), torch.special.ndtr(x.half()).float()


@program(tol=BF16)
def index_reduce_mean_bfloat16_adds_in_bfloat16(torch):
    x = _pattern(torch, (4, 5)).requires_grad_()
    src = (_pattern(torch, (4, 12), mod=101) * 8).requires_grad_()
    index = torch.tensor([0, 2, 0, 4, 0, 2, 0, 1, 0, 2, 0, 4])
    out = x.index_reduce(1, index, src, "mean")
    out.float().sum().backward()
    excluded = x.detach().index_reduce(1, index, src.detach(), "mean", include_self=False)
    return out.float(), excluded.float(), x.grad.float(), src.grad.float()


@program(tol=BF16)
def embedding_max_norm_bfloat16_rounds_the_norm(torch):
    weight = _pattern(torch, (6, 5), mod=37)
    index = torch.tensor([[0, 2, 5], [1, 2, 3]])
    F = torch.nn.functional
    out = F.embedding_bag(index, weight, max_norm=1.0, mode="sum")
    return out.float(), weight.float()


@program(tol=BF16)
def adaptive_avg_pool3d_bfloat16_sums_in_bfloat16(torch):
    x = (_pattern(torch, (2, 2, 8, 7, 9), mod=101) * 4 + 3).requires_grad_()
    F = torch.nn.functional
    out = F.adaptive_avg_pool3d(x, (5, 3, 4))
    out.float().sum().backward()
    area = F.interpolate(x.detach(), (3, 3, 3), mode="area")
    whole = F.adaptive_avg_pool3d(x.detach(), 1)  # PyTorch's mean: float32, rounded once
    return out.float(), area.float(), x.grad.float(), whole.float()


@program(tol=BF16)
def linear_cross_entropy_chunked_bfloat16_in_float32(torch):
    x, w = _pattern(torch, (8, 8)) / 2, _pattern(torch, (6, 8), mod=101) / 2
    target = torch.tensor([0, 5, 2, 3, 1, 4, 0, 2])
    options = torch.nn.LinearCrossEntropyOptions(batch_chunk_size=3)
    F = torch.nn.functional
    return F.linear_cross_entropy(x, w, target, reduction="none", options=options).float()
