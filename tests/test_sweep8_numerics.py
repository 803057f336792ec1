"""Session 7 compatibility sweep of numbers at realistic sizes (1e4-1e6 elements, long rows,
many classes, many duplicates, many optimizer steps): where PyTorch's CPU kernels accumulate
in another precision or order than numpy, results drift apart as sizes grow. Each program
runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py). ``EXACT``
marks programs whose order of accumulation is PyTorch's, so the numbers are the same bits.

Inputs come from float64 draws cast down (PyTorch's float32 normals may differ from ours in
the last place; its float64 ones and all uniforms are the same bits)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
EXACT = {"rtol": 0, "atol": 0}


test_program_matches_pytorch = SWEEP.test()


def _randn(torch, *shape, dtype=None, grad=False):
    x = torch.randn(*shape, dtype=torch.float64).to(dtype or torch.float32)
    return x.requires_grad_(grad)


# ---- scans: PyTorch's CPU cumulative ops accumulate float32 in double -------------------------
@program
def logcumsumexp_long_row(torch):
    x = (torch.rand(100_000, dtype=torch.float64) * 10).float().requires_grad_()
    y = torch.logcumsumexp(x, 0)
    y[-1].backward()
    rows = torch.logcumsumexp(x.detach().reshape(100, 1000), 1)
    return y, rows, x.grad


# ---- scatter-adds with many duplicates: accumulated in index order ----------------------------
@program(tol=EXACT)
def index_add_many_duplicates_few_rows(torch):
    x = _randn(torch, 10, 8)
    index = torch.randint(0, 10, (50_000,))
    source = _randn(torch, 50_000, 8)
    return x.index_add(0, index, source), torch.zeros(10, 8).index_add_(0, index, source)


@program(tol=EXACT)
def embedding_backward_many_tokens(torch):
    emb = torch.nn.Embedding(1000, 16)
    tokens = torch.randint(0, 1000, (64, 1024))
    upstream = _randn(torch, 64, 1024, 16)
    (emb(tokens) * upstream).sum().backward()
    x = _randn(torch, 1000, 16)
    return emb.weight.grad, x.index_add(0, tokens.flatten(), upstream.view(-1, 16))


@program(tol=EXACT)
def embedding_backward_small_vocab(torch):
    emb = torch.nn.Embedding(65, 32)  # a character-level model: every token repeats
    tokens = torch.randint(0, 65, (16, 256))
    upstream = _randn(torch, 16, 256, 32)
    (emb(tokens) * upstream).sum().backward()
    return emb.weight.grad


# ---- linspace: rounded as PyTorch's kernel (from both ends, fused multiply-adds) ---------------
@program(tol=EXACT)
def linspace_grids_float32(torch):
    grid = torch.linspace(-5, 5, 1001)
    angles = torch.linspace(0, 2 * torch.pi, 1000)
    unit = torch.linspace(0, 1, 100_000)
    return grid, angles, unit, torch.linspace(1, 0, 50), (grid > 0).sum(), torch.sign(grid)


@program(tol=EXACT)
def linspace_float64_midpoint_sign(torch):
    x = torch.linspace(-100, 100, 200_001, dtype=torch.float64)
    return x, torch.atan2(x, x.flip(0))[99_995:100_005], torch.floor(x / 0.37)


@program(tol=EXACT)
def linspace_float16_and_integers(torch):
    return (
        torch.linspace(-3.7, 11.3, 1001, dtype=torch.float16),
        torch.linspace(2.7, -3.9, 33, dtype=torch.int64),
        torch.linspace(0, 255, 1000, dtype=torch.uint8),
        torch.linspace(0, 1, 1), torch.linspace(0, 1, 0), torch.linspace(3, 3, 10),
    )  # fmt: skip


@error(NotImplementedError, r"\"linspace_cpu\" not implemented for 'Bool'")
def linspace_bool(torch):
    return torch.linspace(0, 1, 5, dtype=torch.bool)


@program(tol=EXACT)
def arange_float64_and_float16_steps(torch):
    x = torch.arange(-5, 5, 0.001, dtype=torch.float64)
    h = torch.arange(-5, 5, 0.01, dtype=torch.float16)
    return x, h, torch.arange(10, -10, -0.01, dtype=torch.float64), (x > 0).sum(), torch.sign(h)


# ---- float16 with Python numbers: mul/div in float32 (the number unrounded), add/sub rounded ---
@program
def float16_scaled_by_numbers(torch):
    x = (torch.rand(10_000, dtype=torch.float64) * 2000 - 1000).half().requires_grad_()
    y = x / 1e5 + x * 1e-5 - 3e-6 * x + 1e-3 + x / 7.1e4
    upstream = torch.rand(10_000, dtype=torch.float64).half() * 7
    y.backward(upstream)
    return y, x.grad, 70_000 / x.detach(), x.detach() - 1e-3, x.detach() * 7e4


@program
def float16_in_place_scaling(torch):
    x = (torch.rand(10_000, dtype=torch.float64) * 2000 - 1000).half()
    a, b, c, d = x.clone(), x.clone(), x.clone(), x.clone()
    a.mul_(1e-5)
    b /= 1e5
    c -= 1e-3
    d.add_(x, alpha=1e-5)
    return a, b, c, d


# ---- realistic sizes that already agree (guards: accumulation dtypes of sums and moments) ----
@program
def long_row_scans_and_moments(torch):
    x = (torch.rand(100_000, dtype=torch.float64) + 100).float()
    rows = x.view(100, 1000)
    return (
        x.cumsum(0), (x / 100).cumprod(0)[:2000], x.var(), rows.std(1), torch.var_mean(rows, 0),
        x.half().sum(), x.half().mean(), (x > 100.5).sum(), x.int().sum(),
    )  # fmt: skip


@program
def cross_entropy_vocabulary_label_smoothing(torch):
    logits = _randn(torch, 64, 1000, grad=True)
    target = torch.randint(0, 1000, (64,))
    loss = torch.nn.functional.cross_entropy(logits * 3, target, label_smoothing=0.1)
    loss.backward()
    return loss, logits.grad
