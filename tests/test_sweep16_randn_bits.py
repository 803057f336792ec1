"""Session 9 sweep: float32 normal draws are PyTorch's bit for bit (up to
``cpu_random._EXACT_NORMALS`` values), because the Box-Muller log, sin and cos are computed
as PyTorch's AVX2/AVX-512 kernel computes them. Programs return the draws' bits
(``view(int32)``), so one unit in the last place fails them."""

from __future__ import annotations

import numpy as np
from sweep_harness import Sweep

from minitorch.backends import cpu_random

SWEEP = Sweep()
program = SWEEP.program


test_program_matches_pytorch = SWEEP.test()


def bits(torch, *xs):
    return [x.contiguous().view(torch.int32) for x in xs]


@program
def randn_block_sizes(torch):
    out = []
    for seed, n in ((0, 16), (1, 17), (2, 32), (3, 47), (4, 600)):
        torch.manual_seed(seed)
        out.append(bits(torch, torch.randn(n)))
    return out


@program
def randn_matrix(torch):
    torch.manual_seed(0)
    x = torch.randn(4, 8)
    return bits(torch, x, x.t()), x.tolist()


@program
def normal_mean_std(torch):
    torch.manual_seed(7)
    a = torch.empty(64).normal_(0.5, 2.5)
    b = torch.empty(3, 40).normal_(-1.0, 0.01)
    return bits(torch, a), bits(torch, b)


@program
def init_normal_weight(torch):
    torch.manual_seed(11)
    w = torch.empty(32, 20)
    torch.nn.init.normal_(w, mean=0.1, std=0.02)
    return bits(torch, w.detach())


@program
def normal_with_tensors(torch):
    torch.manual_seed(5)
    mean = torch.arange(48, dtype=torch.float32) / 48
    return bits(torch, torch.normal(mean, torch.full((48,), 0.3))), bits(
        torch, torch.normal(1.0, 3.0, (50,))
    )


@program
def randn_like_and_generator(torch):
    g = torch.Generator().manual_seed(123)
    a = torch.randn(5, 7, generator=g)
    torch.manual_seed(9)
    b = torch.randn_like(a)
    return bits(torch, a), bits(torch, b)


@program
def randn_at_exact_limit(torch):
    torch.manual_seed(21)
    return bits(torch, torch.randn(64, 64))


@program
def randn_extreme_uniforms(torch):
    # 200 blocks: every octant of theta, radii from near 0 to the tails
    torch.manual_seed(2024)
    x = torch.randn(16 * 200)
    return bits(torch, x), x.abs().max()


def test_fused_multiply_add_rounds_once():
    a = np.array([1 + 2**-12], np.float32)
    c = np.float32(-(1 + 2**-11))
    out, wide = np.empty(1, np.float32), np.empty(1)
    # a * a = 1 + 2**-11 + 2**-24: one rounding keeps 2**-24, two would lose it
    cpu_random._fma(a, a.astype(np.float64), c, out, wide)  # (one operand float64: exact)
    assert out[0] == np.float32(2**-24)
    assert np.float32(a[0] * a[0]) + c == 0


def test_cephes_log_and_sincos_edges():
    log = cpu_random._cephes_log(np.array([1.0, 0.5, 2.0**-24, 0.75], np.float32))
    assert log[0] == 0 and log.dtype == np.float32
    np.testing.assert_allclose(log, np.log([1.0, 0.5, 2.0**-24, 0.75]), rtol=2e-7)
    theta = np.float32(2 * np.pi) * np.arange(0, 1, 1 / 64, dtype=np.float32)
    sin, cos = cpu_random._cephes_sincos(theta)
    np.testing.assert_allclose(sin, np.sin(theta.astype(np.float64)), atol=3e-7)
    np.testing.assert_allclose(cos, np.cos(theta.astype(np.float64)), atol=3e-7)
