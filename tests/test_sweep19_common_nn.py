"""Session 10 sweep of PyTorch's older nn test tables (torch.testing._internal.common_nn, run
by tests/test_common_nn.py): a short program for each divergence fixed, checked against
PyTorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


@program
def layer_norm_of_a_long_float32_row(torch):
    # common_nn's LayerNorm_3d_no_affine_large_feature: the variance of 2**20 features summed
    # in one float32 running sum lost digits (output off by ~1e-4 relative)
    torch.manual_seed(0)
    x = torch.rand(2, 2**20) * 4 + 1
    return torch.nn.functional.layer_norm(x, [2**20])[:, :1000]


def _double_backward(torch, f):
    x = torch.tensor([[-1.5, 0.2, 0.7], [-0.3, 2.0, -0.6]], dtype=torch.float64)
    x.requires_grad_()
    torch.manual_seed(0)
    (g,) = torch.autograd.grad(f(x).mul(x.detach() + 1).sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.pow(2).sum(), x)
    return g, g.requires_grad, gg


@program
def hardshrink_gradient_penalty(torch):
    # common_nn's Hardshrink gradgradcheck: the first gradient stays in the graph (of zero
    # gradient), as PyTorch's HardshrinkBackward (it was a constant: backward() of it raised)
    return _double_backward(torch, torch.nn.Hardshrink(0.5))


@program
def softshrink_gradient_penalty(torch):
    return _double_backward(torch, torch.nn.Softshrink(0.5))


@program
def rrelu_gradient_penalty(torch):
    return _double_backward(torch, torch.nn.RReLU(0.1, 0.3))


@program
def shrink_of_float16_compares_lambd_as_pytorch(torch):
    x = torch.tensor([0.5, -0.5, 0.39990234375, -0.4, 1.0], dtype=torch.float16)
    x.requires_grad_()
    s = torch.nn.functional.softshrink(x, 0.4)  # x - lambd in float32, rounded once
    h = torch.nn.functional.hardshrink(x, 0.3999)  # lambd rounded to float16
    (s + h).sum().backward()
    return s.double(), h.double(), x.grad.double()  # float64: compared to the last bit


@error(NotImplementedError, r"\"hardshrink_cpu\" not implemented for 'Long'")
def hardshrink_of_int64(torch):
    return torch.nn.functional.hardshrink(torch.tensor([1, -2, 0]))


@error(NotImplementedError, r"\"softshrink_check\" not implemented for 'Long'")
def softshrink_of_int64(torch):
    return torch.nn.functional.softshrink(torch.tensor([1, -2, 0]), -1.0)


@program
def nll_loss_gradient_penalty(torch):
    # common_nn's NLLLoss_no_reduce gradgradcheck: the gradient of nll_loss in the graph (of
    # zero gradient) as PyTorch's nll_loss_backward; it was a constant
    loss = torch.nn.NLLLoss(torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64), reduction="none")
    x = torch.tensor([[-1.5, 0.2, 0.7], [-0.3, 2.0, -0.6]], dtype=torch.float64)
    x.requires_grad_()
    (g,) = torch.autograd.grad(loss(x, torch.tensor([2, 0])).sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.pow(2).sum(), x)
    return g, g.requires_grad, gg


@program
def replicate_and_reflect_pad_gradient_penalty(torch):
    # common_nn's ReplicationPad3d gradgradcheck: the pad's gradient stays in the graph (of
    # zero gradient) as PyTorch's ReplicationPadNdBackward; it was a constant (index_select's)
    x = torch.arange(1.0, 9.0, dtype=torch.float64).reshape(1, 1, 2, 2, 2).requires_grad_()
    found = []
    for mode in ("replicate", "reflect"):
        y = torch.nn.functional.pad(x, (1, 1, 0, 1, 1, 0), mode=mode)
        w = torch.arange(y.numel(), dtype=torch.float64).cos().reshape(y.shape)
        (g,) = torch.autograd.grad((y * w).sum(), x, create_graph=True)
        (gg,) = torch.autograd.grad(g.pow(2).sum(), x)
        found += [g, g.requires_grad, gg]
    return found
