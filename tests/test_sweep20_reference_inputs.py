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


@program
def as_strided_scatter_of_views_keeps_their_storage(torch):
    src = -torch.arange(1.0, 5.0).reshape(2, 2)
    base = torch.arange(18.0).reshape(3, 6)
    out = []
    for view in (base[:, ::2], base[1:, 2:], base.t(), torch.arange(3.0).expand(2, 3)):
        y = torch.as_strided_scatter(view, src, (2, 2), (1, 2), 1)
        out += [y, torch.tensor(y.stride()), torch.tensor(y.storage_offset())]
    s = src.double().requires_grad_()  # (PyTorch's gradient of the input is wrong: not compared)
    y = torch.as_strided_scatter(base[:, ::2].double(), s, (2, 2), (1, 2), 1)
    return out + list(
        torch.autograd.grad(y, s, torch.arange(9.0, dtype=torch.float64).reshape(3, 3))
    )


_BESSEL_POINTS = [0.0, -0.0, 1e-300, 0.5, -3.0, 7.99, 8.0, -8.0, 8.01, 30.0, -88.5, 89.0, 700.0,
                  710.0, float("inf"), -float("inf"), float("nan")]  # fmt: skip


@program
def modified_bessel_i_at_the_edges(torch):
    out = []
    for dtype in (torch.float32, torch.float64):
        x = torch.tensor(_BESSEL_POINTS, dtype=dtype)
        out += [torch.i0(x), torch.special.i1(x), torch.special.i0e(x), torch.special.i1e(x)]
    x = torch.tensor([0.25, -3.0, 7.99, 8.01, -30.0], dtype=torch.float64, requires_grad=True)
    fns = (torch.i0, torch.special.i1, torch.special.i0e, torch.special.i1e)
    return out + [torch.autograd.grad(f(x).sum(), x)[0] for f in fns]


@program
def float32_resize_of_a_large_image(torch):
    F = torch.nn.functional
    x = torch.linspace(-20.0, 20.0, 345 * 456).reshape(1, 1, 345, 456).sin() * 5
    return [
        F.interpolate(x, (270, 270), mode="bilinear", align_corners=False),
        F.interpolate(x, (270, 270), mode="bilinear", align_corners=True),
        F.interpolate(x, (270, 270), mode="bilinear", antialias=True),
        F.interpolate(x, (270, 270), mode="bicubic", antialias=True),
        F.interpolate(x[0], 300, mode="linear"),
    ]


@program
def igamma_of_large_a_near_x(torch):
    a = [1e20, 4988429.2, 21.0, 150.0, 199.9, 200.1, 1e10, 1e6, 5e3]
    x = [1e20, 4988429.2, 22.0, 120.0, 190.0, 201.0, 1e10 + 1e5, 1e6 - 3e3, 5.1e3]
    a, x = torch.tensor(a, dtype=torch.float64), torch.tensor(x, dtype=torch.float64)
    return torch.igamma(a, x), torch.igammac(a, x), torch.igamma(a.float(), x.float())


@program
def airy_ai_and_modified_bessel_k_as_pytorchs_kernels(torch):
    x = torch.linspace(-12.0, 12.0, 481, dtype=torch.float64)
    edges = [-2.09, 2.09, 0.0, -0.0, 2.0, 8.3203353, 103.9, 1e-300, float("inf"), -float("inf")]
    x = torch.cat([x, torch.tensor(edges + [float("nan")], dtype=torch.float64)])
    special = torch.special
    out = []
    for t in (x, x.float()):
        out += [special.airy_ai(t), special.modified_bessel_k0(t), special.modified_bessel_k1(t)]
        out += [special.scaled_modified_bessel_k0(t), special.scaled_modified_bessel_k1(t)]
    return out


@program
def zeta_of_a_huge_exponent(torch):
    s = [1e20, 1e20, 1e20, 1e20, 1e20, 501.0, 1e20, 3.0, 4.0]
    q = [0.5, 1.0, 2.0, -0.5, -1001.2, 501.0, 1e-3, 2.5, -4988429.2]
    s, q = torch.tensor(s, dtype=torch.float64), torch.tensor(q, dtype=torch.float64)
    inf = torch.tensor([float("inf")], dtype=torch.float64)
    return torch.special.zeta(s, q), torch.polygamma(4, inf)


@program
def laguerre_of_huge_degrees(torch):
    """L_n(0) = 1 straight away, as PyTorch: the recurrence ran n steps (1e6: ~6 s; 1e20, one
    of PyTorch's reference inputs, never ended; PyTorch's n of 1e20 overflows its int64: 0)."""
    x = torch.tensor([0.0, -0.0, 0.0, 0.5, 0.0], dtype=torch.float64)
    n = torch.tensor([1e20, 3e5, -2.0, 3.0, 1e6], dtype=torch.float64)
    return torch.special.laguerre_polynomial_l(x, n)
