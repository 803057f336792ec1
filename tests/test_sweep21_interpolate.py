"""Session 11 sweep: interpolate and grid_sample values in float32 and uint8, bit for bit
as PyTorch's CPU kernels compute them (their fused multiply-adds, their order of rounding,
uint8's fixed-point weights), run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
EXACT = {"rtol": 0, "atol": 0}

test_program_matches_pytorch = SWEEP.test()


def _rotation_grid(torch, size, align_corners):
    """A spatial-transformer tutorial's grid: rotate by 45 degrees and scale."""
    a = torch.deg2rad(torch.tensor(45.0))
    ca, sa = torch.cos(a), torch.sin(a)
    theta = torch.tensor([[[ca / 1.23, sa, 0.0], [-sa, ca / 1.34, 0.0]]])
    theta = theta.expand(size[0], 2, 3)
    return torch.nn.functional.affine_grid(theta, size, align_corners=align_corners)


def _image(torch, *shape):
    return torch.arange(float(torch.Size(shape).numel())).reshape(shape).remainder(251.0)


def _rotation_grid_elementwise(torch, size, align_corners):
    """The same rotation as plain float64 products of the pixel centres, rounded once to
    float32: the same bits on every machine (affine_grid's tiny matrix product is not: see
    below)."""
    n, _, h, w = size
    steps = [(torch.arange(k, dtype=torch.float64) * 2 + 1) / k - 1 for k in (w, h)]
    if align_corners:
        steps = [torch.linspace(-1, 1, k, dtype=torch.float64) for k in (w, h)]
    y, x = torch.meshgrid(steps[1], steps[0], indexing="ij")
    c, s = 0.5**0.5, 0.5**0.5
    grid = torch.stack([x * (c / 1.23) + y * s, -x * s + y * (c / 1.34)], -1)
    return grid.float().expand(n, h, w, 2)


# ---- affine_grid: one float32 ulp ------------------------------------------------------------
# PyTorch's grid is a batched matrix product of K = 3, whose rounding depends on the machine's
# BLAS kernel (fused multiply-adds on one CPU, separate products on another): the values agree
# to one float32 ulp, not bit for bit.
@program(tol={"rtol": 1.2e-7, "atol": 1.2e-7})
def affine_grid_float32_as_pytorch_linspace(torch):
    # base grid: linspace(-1, 1, n) * (n - 1) / n rounded in float32, as PyTorch's
    return [_rotation_grid(torch, (2, 3, 29, 41), a) for a in (False, True)]


# ---- grid_sample float32 (PyTorch's vectorised 2-D kernel fuses multiply-adds): exact --------
def _grid_sample_program(mode, padding_mode, align_corners):
    def prog(torch):
        x = _image(torch, 2, 3, 37, 45)
        grid = _rotation_grid_elementwise(torch, (2, 3, 29, 41), align_corners)
        return torch.nn.functional.grid_sample(x, grid, mode, padding_mode, align_corners)

    prog.__name__ = f"grid_sample_{mode}_{padding_mode}_{int(align_corners)}"
    SWEEP.program(prog, tol=EXACT)


for _mode in ("bilinear", "bicubic"):
    for _padding in ("zeros", "border", "reflection"):
        for _align in (False, True):
            _grid_sample_program(_mode, _padding, _align)


@program(tol=EXACT)
def grid_sample_random_grid_outside_the_image(torch):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 17, 23) * 100
    grid = torch.rand(2, 11, 13, 2) * 2.4 - 1.2
    F = torch.nn.functional
    return [
        F.grid_sample(x, grid, m, p, a)
        for m in ("bilinear", "bicubic")
        for p in ("zeros", "reflection")
        for a in (False, True)
    ]


@program(tol=EXACT)
def grid_sample_trilinear_float32(torch):
    # the 5-D kernel is PyTorch's scalar loop: weights (x weight * y weight) * z weight
    torch.manual_seed(0)
    x = torch.randn(1, 2, 5, 6, 7) * 100
    grid = torch.rand(1, 4, 3, 5, 3) * 2.4 - 1.2
    F = torch.nn.functional
    return [
        F.grid_sample(x, grid, "bilinear", p, a) for p in ("zeros", "border") for a in (False, True)
    ]


@program(tol={"rtol": 1e-4, "atol": 1e-5})  # PyTorch sums the grid's gradient its own way
def grid_sample_float32_gradients(torch):
    torch.manual_seed(0)
    x = torch.randn(1, 2, 6, 7, requires_grad=True)
    grid = (torch.rand(1, 4, 5, 2) * 2.2 - 1.1).requires_grad_()
    out = []
    for mode in ("bilinear", "bicubic"):
        y = torch.nn.functional.grid_sample(x, grid, mode, "border", False)
        gx, gg = torch.autograd.grad((y * torch.arange(40.0).reshape(1, 2, 4, 5)).sum(), (x, grid))
        out.append((y, gx, gg))
    return out


def test_fused_multiply_add_rounds_once_with_the_gradients_of_a_times_b_plus_c():
    import minitorch
    from minitorch.nn.functional_sampling import _FusedMultiplyAdd

    a = minitorch.tensor([[1.0 + 2.0**-23, 3.0]], requires_grad=True)
    b = minitorch.tensor([[1.0 - 2.0**-23], [0.5]], requires_grad=True)
    c = minitorch.tensor([-1.0, 2.0], requires_grad=True)
    out = _FusedMultiplyAdd.apply(a, b, c)
    assert out.dtype == minitorch.float32
    assert out[0, 0].item() == -(2.0**-46)  # a * b rounded first would give 0
    (ga, gb, gc) = minitorch.autograd.grad(out.pow(2).sum(), (a, b, c), create_graph=True)
    ref = a * b + c
    (ra, rb, rc) = minitorch.autograd.grad(ref.pow(2).sum(), (a, b, c), create_graph=True)
    for g, r in ((ga, ra), (gb, rb), (gc, rc)):
        assert g.shape == r.shape
        assert minitorch.allclose(g, r)
    (gga,) = minitorch.autograd.grad(ga.sum(), (a,))
    (rra,) = minitorch.autograd.grad(ra.sum(), (a,))
    assert minitorch.allclose(gga, rra)
    (number,) = minitorch.autograd.grad(_FusedMultiplyAdd.apply(a, 0.5, 1).sum(), (a,))
    assert number.tolist() == [[0.5, 0.5]]


# ---- interpolate bicubic float32: weights and sums as PyTorch's compiled kernel -----------
@program(tol=EXACT)
def interpolate_bicubic_float32_downscale(torch):
    x = _image(torch, 1, 3, 69, 91) * 1.37
    F = torch.nn.functional
    return [F.interpolate(x, size=(54, 54), mode="bicubic", align_corners=a) for a in (False, True)]


@program(tol=EXACT)
def interpolate_bicubic_float32_small_upsample(torch):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 4, 4) * 50
    F = torch.nn.functional
    return [
        F.interpolate(x, size=(9, 9), mode="bicubic"),
        F.interpolate(x, scale_factor=1.7, mode="bicubic", align_corners=True),
        F.interpolate(x, scale_factor=(2, 0.5), mode="bicubic"),
    ]


@program(tol=EXACT)
def interpolate_bicubic_half_weights_in_half(torch):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 9, 11) * 5
    F = torch.nn.functional
    return [
        F.interpolate(x.to(dt), size=(17, 5), mode="bicubic").float()
        for dt in (torch.float16, torch.bfloat16)
    ]


@program
def interpolate_bicubic_float32_gradient(torch):
    torch.manual_seed(0)
    x = torch.randn(1, 2, 5, 6, requires_grad=True)
    y = torch.nn.functional.interpolate(x, size=(8, 4), mode="bicubic")
    (g,) = torch.autograd.grad((y * torch.arange(64.0).reshape(1, 2, 8, 4)).sum(), (x,))
    return y, g


# ---- interpolate uint8: PyTorch's separable fixed-point kernel (int16 weights) ------------
@program
def interpolate_uint8_image_resize(torch):
    torch.manual_seed(0)
    img = torch.randint(0, 256, (1, 3, 45, 61), dtype=torch.uint8)
    F = torch.nn.functional
    return [
        F.interpolate(img, size=(31, 80), mode=mode, align_corners=align)
        for mode in ("bilinear", "bicubic")
        for align in (False, True)
    ]


@program
def interpolate_uint8_antialias_downscale(torch):
    torch.manual_seed(0)
    img = torch.randint(0, 256, (2, 3, 69, 91), dtype=torch.uint8)
    F = torch.nn.functional
    return [
        F.interpolate(img, size=(27, 27), mode=m, antialias=True) for m in ("bilinear", "bicubic")
    ]


@program
def interpolate_uint8_small_and_many_channels(torch):
    # 5 channels: PyTorch's generic separable kernel, the same int16 weights as its AVX2 one
    torch.manual_seed(0)
    img = torch.randint(0, 256, (2, 5, 4, 4), dtype=torch.uint8)
    F = torch.nn.functional
    return [
        F.interpolate(img, size=(5, 5), mode="bicubic"),
        F.interpolate(img, size=(3, 3), mode="bilinear"),
        F.interpolate(img, scale_factor=1.7, mode="bicubic", align_corners=True),
        F.interpolate(img, scale_factor=1.7, mode="bilinear", recompute_scale_factor=True),
    ]


# ---- interpolate linear modes: gradients through the taps -------------------------------
@program
def interpolate_bilinear_gradients(torch):
    torch.manual_seed(0)
    x = torch.randn(1, 2, 5, 6, dtype=torch.float64, requires_grad=True)
    F = torch.nn.functional
    outs = [F.interpolate(x, size=(8, 4), mode="bilinear", align_corners=a) for a in (False, True)]
    grads = torch.autograd.grad(sum((o * o).sum() for o in outs), (x,))
    return outs, grads, [o.grad_fn.name() for o in outs]


# ---- spatial transformer: affine_grid + grid_sample, gradients to theta -----------------
@program(tol={"rtol": 1e-4, "atol": 1e-4})  # PyTorch sums the grid's gradient its own way
def spatial_transformer_step(torch):
    torch.manual_seed(0)
    x = torch.randn(2, 1, 28, 28)
    theta = torch.tensor([[[0.9, 0.1, 0.05], [-0.1, 1.1, -0.02]]] * 2, requires_grad=True)
    F = torch.nn.functional
    grid = F.affine_grid(theta, x.size(), align_corners=False)
    out = F.grid_sample(x, grid, align_corners=False)
    loss = (out - x).pow(2).mean()
    loss.backward()
    return out, loss, theta.grad
