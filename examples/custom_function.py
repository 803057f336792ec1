"""Writing your own differentiable op: a fused, numerically stable softplus as an
``autograd.Function``, checked with ``gradcheck`` and ``gradgradcheck``, then used as the
activation of a Module that is trained.

    python examples/custom_function.py                  # CPU, seconds
    python examples/custom_function.py --device cuda    # on a GPU
    python examples/custom_function.py --smoke          # a few epochs: what the tests run

softplus(x) = log(1 + exp(beta * x)) / beta. Written naively it overflows: exp(100) is inf in
float32, so the value is inf and the gradient NaN. The fused form
max(x, 0) + log1p(exp(-beta * |x|)) / beta never exponentiates a positive number, and its
gradient, sigmoid(beta * x), is computed from the saved input in one expression instead of
being chained back through four ops. The backward is written with tensor ops, so it is itself
differentiable (second derivatives work; gradgradcheck checks them).

Prints each check and the fit reached; writes ``<out>/loss_curve.png``.
"""

from __future__ import annotations

import argparse
import math
import os

import minitorch as torch
from minitorch import nn
from minitorch.autograd import Function, gradcheck, gradgradcheck
from minitorch.data import DataLoader, TensorDataset
from minitorch.training import Trainer, plot_history


class StableSoftplus(Function):
    """softplus(x, beta) = log(1 + exp(beta x)) / beta, without overflow."""

    @staticmethod
    def forward(ctx, x, beta: float):
        ctx.save_for_backward(x)  # the input is all the backward needs
        ctx.beta = beta  # a plain number: kept as an attribute
        return x.clamp(min=0) + torch.log1p(torch.exp(-beta * x.abs())) / beta

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * torch.sigmoid(ctx.beta * x), None  # no gradient for beta


class Softplus(nn.Module):
    """The custom op as a layer."""

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = beta

    def forward(self, x):
        return StableSoftplus.apply(x, self.beta)

    def extra_repr(self) -> str:
        return f"beta={self.beta}"


def check_the_op() -> None:
    """The naive and the fused op side by side at large inputs, then the gradient checks."""
    x = torch.tensor([-100.0, -1.0, 0.0, 1.0, 100.0], requires_grad=True)
    naive = torch.log(1 + torch.exp(x))
    naive.sum().backward()
    print(f"naive  log(1 + exp(x)): {naive.detach().tolist()}, grad {x.grad.tolist()}")
    x.grad = None
    fused = StableSoftplus.apply(x, 1.0)
    fused.sum().backward()
    print(f"StableSoftplus:         {fused.detach().tolist()}, grad {x.grad.tolist()}")
    builtin = nn.functional.softplus(x.detach(), beta=1.0, threshold=1e9)
    assert torch.allclose(fused.detach(), builtin), "disagrees with F.softplus"

    x64 = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    for beta in (0.5, 1.0, 3.0):
        assert gradcheck(lambda t, b=beta: StableSoftplus.apply(t, b), (x64,))
        assert gradgradcheck(lambda t, b=beta: StableSoftplus.apply(t, b), (x64,))
    print("gradcheck and gradgradcheck (float64, beta 0.5, 1, 3): passed")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=150)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/custom_function", help="folder for the loss curve")
    p.add_argument("--smoke", action="store_true", help="a few epochs, to check that it runs")
    args = p.parse_args()
    if args.smoke:
        args.epochs = 3
    return args


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    check_the_op()

    # A 1-D regression: noisy samples of sin(2 pi x) * exp(-x^2) on [-2, 2].
    x = torch.linspace(-2, 2, 512).unsqueeze(1)  # (512, 1)
    y = torch.sin(2 * math.pi * x) * torch.exp(-(x**2)) + 0.05 * torch.randn(512, 1)
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    model = nn.Sequential(
        nn.Linear(1, 64), Softplus(beta=4.0),
        nn.Linear(64, 64), Softplus(beta=4.0),
        nn.Linear(64, 1),
    ).to(args.device)  # fmt: skip
    print(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    trainer = Trainer(
        model, optimizer, nn.functional.mse_loss, scheduler=scheduler, device=args.device
    )
    history = trainer.fit(loader, epochs=args.epochs)

    os.makedirs(args.out, exist_ok=True)
    plot_history(history, os.path.join(args.out, "loss_curve.png"), title="Softplus MLP")
    mse = trainer.evaluate(DataLoader(TensorDataset(x, y), batch_size=512))["loss"]
    print(f"epochs: {args.epochs} on {args.device}")
    print(f"fit_mse: {mse:.5f} (the noise alone gives 0.0025)")
    print(f"loss curve: {os.path.join(args.out, 'loss_curve.png')}")


if __name__ == "__main__":
    main()
