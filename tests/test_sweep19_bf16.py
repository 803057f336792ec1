"""Sweep 19: bfloat16 and CPU autocast, third pass, against PyTorch 2.13: PyTorch's OpInfo
samples in bfloat16 and its CPU autocast lists. bfloat16 results are compared bit for bit
(as int16 views: the harness reads tensors through numpy, which PyTorch refuses for
bfloat16)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def bits(torch, t):
    """(dtype, bits) of a tensor: an int16 view of a bfloat16 one."""
    t = t.detach()
    return str(t.dtype), t.view(torch.int16) if t.dtype == torch.bfloat16 else t


def leaves(torch, *shapes, dtype="bfloat16", seed=0):
    """bfloat16 leaves of standard normal values (drawn in float32 from ``seed``)."""
    g = torch.Generator().manual_seed(seed)
    dt = getattr(torch, dtype)
    return [torch.randn(*s, generator=g).to(dt).requires_grad_() for s in shapes]


def with_grads(torch, out, *xs):
    """The output's bits and each leaf's gradient's for a cosine-weighted sum (every
    element of the output gradient different)."""
    w = torch.arange(out.numel()).reshape(out.shape).cos().to(out.dtype)
    grads = torch.autograd.grad(out, xs, w, allow_unused=True)
    return [bits(torch, out)] + [None if g is None else bits(torch, g) for g in grads]


# ---- ops that raised or lost the dtype on bfloat16 ----------------------------------------------
@program
def scatter_reduce_amax_amin_mean_of_bfloat16(torch):
    (src,) = leaves(torch, (6,))
    index = torch.tensor([0, 1, 0, 1, 2, 0])
    base = torch.tensor([1.5, -2.0, 0.25]).bfloat16()
    outs = [base.scatter_reduce(0, index, src, r) for r in ("amax", "amin", "mean")]
    outs.append(base.scatter_reduce(0, index, src, "mean", include_self=False))
    return [bits(torch, o) for o in outs]


@program
def index_reduce_of_bfloat16(torch):
    (src,) = leaves(torch, (4, 3))
    base = torch.ones(3, 3).bfloat16()
    index = torch.tensor([0, 2, 0, 1])
    return [bits(torch, base.index_reduce(0, index, src, r)) for r in ("amax", "amin", "mean")]


@program
def scatter_add_of_16_bit_floats_sums_in_float32(torch):
    g = torch.Generator().manual_seed(0)
    src, index = torch.randn(600, generator=g), torch.randint(0, 3, (600,), generator=g)
    base = torch.tensor([1.5, -2.0, 0.25])
    return [
        bits(torch, base.to(dt).scatter_add(0, index, src.to(dt)))
        for dt in (torch.bfloat16, torch.float16)
    ]


@program
def einsum_sums_of_one_bfloat16_operand(torch):
    (x,) = leaves(torch, (50, 7))
    return [bits(torch, torch.einsum(eq, x)) for eq in ("ij->", "ij->j", "ij->ji")]


@program
def multi_head_attention_takes_a_bfloat16_attn_mask(torch):
    q, w, b, ow, ob = leaves(torch, (3, 4), (12, 4), (12,), (4, 4), (4,))
    mask = torch.triu(torch.full((3, 3), float("-inf")), 1).bfloat16()
    out, weights = torch.nn.functional.multi_head_attention_forward(
        q, q, q, 4, 1, w, b, None, None, False, 0.0, ow, ob, training=False, attn_mask=mask
    )
    return out.dtype, weights.dtype


@program
def igamma_igammac_and_grid_sample_take_bfloat16(torch):
    a = torch.rand(6).bfloat16() + 1
    x = torch.rand(6).bfloat16()
    image, grid = torch.randn(1, 2, 4, 5).bfloat16(), torch.rand(1, 3, 3, 2).bfloat16()
    sampled = torch.nn.functional.grid_sample(image, grid, align_corners=False)
    return bits(torch, torch.igamma(a, x)), bits(torch, torch.igammac(a, x)), sampled.dtype


@program
def rsqrt_and_div_gradients_in_pytorchs_formulas(torch):
    x, y = leaves(torch, (256,), (256,))
    return with_grads(torch, x.abs().rsqrt(), x) + with_grads(torch, x / y, x, y)


@program
def addr_of_bfloat16_with_beta_and_alpha(torch):
    i, v1, v2 = leaves(torch, (50, 60), (50,), (60,))
    return bits(torch, torch.addr(i, v1, v2, beta=0.6, alpha=0.2))


@program
def as_strided_of_a_bfloat16_dtype_view(torch):
    x = torch.arange(1, 9, dtype=torch.int16).mul(1000).view(torch.bfloat16)
    return bits(torch, x.as_strided((2, 2), (1, 2), 1))


@program
def cov_corrcoef_sinc_frexp_keep_bfloat16(torch):
    (x,) = leaves(torch, (3, 6))
    mantissa, exponent = torch.frexp(x)
    return [bits(torch, t) for t in (torch.cov(x), torch.corrcoef(x), torch.sinc(x), mantissa)] + [
        exponent
    ]


@program
def linalg_vecdot_and_matrix_norm_of_bfloat16(torch):
    x, y = leaves(torch, (3, 5), (3, 5))
    la = torch.linalg
    return [bits(torch, t) for t in (la.vecdot(x, y), la.matrix_norm(x), la.matrix_norm(x, 1))]


# ---- 16-bit floats computed in float32 and rounded once -----------------------------------------
@program
def addcmul_addcdiv_lerp_of_bfloat16_round_once(torch):
    a, b, c = leaves(torch, (64,), (64,), (64,))
    return [
        bits(torch, torch.addcmul(a, b, c, value=0.3)),
        bits(torch, torch.addcdiv(a, b, c, value=0.3)),
        bits(torch, torch.lerp(a, b, c)),
    ]


@program
def addcmul_addcdiv_gradients_in_pytorchs_formulas(torch):
    a, b, c = leaves(torch, (64,), (64,), (64,))
    return [
        with_grads(torch, torch.addcmul(a, b, c, value=0.3), a, b, c),
        with_grads(torch, torch.addcdiv(a, b, c, value=0.3), a, b, c),
    ]


@program
def avg_pools_of_bfloat16_in_float32_with_bfloat16_gradients(torch):
    (x,) = leaves(torch, (2, 3, 7, 7))
    F = torch.nn.functional
    pooled = F.avg_pool2d(x, 3, 2, 1)
    (grad,) = torch.autograd.grad(pooled.float().sum(), x)
    return [
        bits(torch, pooled),
        str(grad.dtype),
        bits(torch, F.adaptive_avg_pool2d(x, 3)),
        bits(torch, F.avg_pool1d(x[0], 3)),
    ]


@program
def group_norm_of_bfloat16_with_weight_and_bias(torch):
    x, w, b = leaves(torch, (4, 8, 5), (8,), (8,))
    return bits(torch, torch.nn.functional.group_norm(x, 2, w, b))


@program
def glu_and_bilinear_interpolation_of_bfloat16(torch):
    (x,) = leaves(torch, (2, 4, 5, 6))
    F = torch.nn.functional
    return [
        bits(torch, F.glu(x, 1)),
        bits(torch, F.interpolate(x, scale_factor=2, mode="bilinear")),
        bits(torch, F.interpolate(x, size=(3, 9), mode="bilinear", align_corners=True)),
    ]


def _activation_program(name: str, dtype: str):
    def prog(torch):
        (x,) = leaves(torch, (512,), dtype=dtype)
        return with_grads(torch, getattr(torch.nn.functional, name)(x), x)

    prog.__name__ = f"{name}_of_{dtype}_and_its_gradient_bit_for_bit"
    SWEEP.program(prog)


# PyTorch's activation kernels (and their backward) compute 16-bit floats in float32 and
# round once (float16 sigmoid's backward rounds each step, in PyTorch's order)
for _name in ("silu", "mish", "softplus", "elu", "leaky_relu", "sigmoid", "tanh"):
    for _dtype in ("bfloat16", "float16"):
        _activation_program(_name, _dtype)


@program
def gelu_tanh_and_hardswish_of_bfloat16_round_once(torch):
    (x,) = leaves(torch, (512,))
    F = torch.nn.functional
    return [
        with_grads(torch, F.gelu(x, approximate="tanh"), x),
        bits(torch, F.hardswish(x * 3)),
        bits(torch, F.hardsigmoid(x * 3)),
    ]


@program
def huber_loss_of_bfloat16_rounds_each_step(torch):
    x, t = leaves(torch, (64,), (64,))
    F = torch.nn.functional
    return [bits(torch, F.huber_loss(x, t, reduction="none")), bits(torch, F.huber_loss(x, t))]


@program
def conv3d_and_conv_transpose3d_of_bfloat16_convolve_in_float32(torch):
    x, w, b = leaves(torch, (2, 3, 4, 4, 4), (4, 3, 3, 3, 3), (4,))
    t, wt = leaves(torch, (1, 6, 3, 3, 3), (6, 2, 2, 2, 2), seed=1)
    F = torch.nn.functional
    return [
        with_grads(torch, F.conv3d(x, w, b, padding=1), x, w, b),
        with_grads(torch, F.conv_transpose3d(t, wt, groups=3, stride=2), t, wt),
    ]


# ---- PyTorch's CPU autocast lists (torch.testing._internal.autocast_test_lists) -----------------
@program
def reflection_and_replication_pad_run_in_float32_under_cpu_autocast(torch):
    x = torch.randn(2, 3, 8).bfloat16()
    F = torch.nn.functional
    outs = []
    for dtype in (torch.bfloat16, torch.float16):
        with torch.autocast("cpu", dtype=dtype):
            outs += [F.pad(x, (3, 3), mode="reflect"), F.pad(x.half(), (2, 1), mode="replicate")]
            outs += [F.pad(x, (1, 2), mode="circular"), F.pad(x, (1, 1))]
    return [bits(torch, o) for o in outs]


@program
def conv3d_under_cpu_autocast_rounds_once(torch):
    x, w, b = (torch.randn(*s) for s in ((2, 3, 5, 5, 5), (4, 3, 3, 3, 3), (4,)))
    with torch.autocast("cpu"):
        return bits(torch, torch.nn.functional.conv3d(x, w, b, padding=1))


@program
def aten_poisson_nll_loss_takes_its_options_in_order(torch):
    x, t = torch.randn(8, 8), torch.rand(8, 8)
    with torch.autocast("cpu"):
        low = torch.poisson_nll_loss(x.bfloat16(), t.bfloat16(), True, False, 1e-8, 1)
    return torch.poisson_nll_loss(x, t, False, True, 1e-6, 2), low


# ---- optimizer steps on bfloat16 parameters ------------------------------------------------------
def _sgd_steps(torch, n: int, **options):
    """Three SGD steps on a bfloat16 parameter of ``n`` elements. PyTorch's vectorised loop
    covers a multiple of its vector width (96); a shorter tensor (20) runs its scalar loop,
    which rounds alpha * grad to bfloat16 before adding."""
    g = torch.Generator().manual_seed(0)
    p = torch.randn(n, generator=g).bfloat16().requires_grad_()
    opt = torch.optim.SGD([p], **options)
    for _ in range(3):
        p.grad = torch.randn(n, generator=g).bfloat16()
        opt.step()
    return bits(torch, p)


@program
def sgd_steps_on_bfloat16_add_with_alpha_as_pytorch(torch):
    return [
        _sgd_steps(torch, n, **options)
        for n in (96, 20)
        for options in (
            {"lr": 0.1},
            {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01},
            {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1},
            {"lr": 0.1, "momentum": 0.9, "dampening": 0.3},
        )
    ]


test_program = SWEEP.test()
