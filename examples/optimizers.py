"""Trains the same small MLP (2-32-32-1, tanh) to fit a noisy 2-D function with each optimizer
of minitorch.optim, from the same initial weights, and plots their loss curves on one figure.

    python examples/optimizers.py                       # 300 steps, writes optimizers.png
    python examples/optimizers.py --smoke --out x.png   # 5 steps, what the test suite runs

Each run uses mini-batches of 64 drawn in the same order; LBFGS takes full-batch steps with a
strong-Wolfe line search and a closure (it re-evaluates the model several times per step).
A cosine learning-rate schedule is added to the SGD-momentum run to show a scheduler at work.
"""

from __future__ import annotations

import argparse
import copy

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import minitorch as torch  # noqa: E402
from minitorch import nn, optim  # noqa: E402


def make_data(n: int = 512, seed: int = 0):
    """Inputs in [-2, 2]^2 and targets sin(x0) * cos(x1) + noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, (n, 2)).astype(np.float32)
    y = (np.sin(x[:, :1]) * np.cos(x[:, 1:]) + 0.05 * rng.standard_normal((n, 1))).astype(
        np.float32
    )
    return torch.tensor(x), torch.tensor(y)


OPTIMIZERS = {
    "SGD": lambda p: optim.SGD(p, lr=0.05),
    "SGD momentum + cosine LR": lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "Adam": lambda p: optim.Adam(p, lr=3e-3),
    "AdamW": lambda p: optim.AdamW(p, lr=1e-2, weight_decay=5e-2),
    "RMSprop": lambda p: optim.RMSprop(p, lr=1e-3),
    "Adagrad": lambda p: optim.Adagrad(p, lr=3e-2),
    "LBFGS": lambda p: optim.LBFGS(p, lr=1, max_iter=4, line_search_fn="strong_wolfe"),
}


def train(name: str, model: nn.Module, x, y, steps: int, batch: int = 64) -> list:
    """Trains ``model`` in place; returns the full-data loss after every step."""
    opt = OPTIMIZERS[name](model.parameters())
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps) if "cosine" in name else None
    order = np.random.default_rng(1).integers(0, x.shape[0], (steps, batch))
    losses = []
    for step in range(steps):
        if isinstance(opt, optim.LBFGS):

            def closure():
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(x), y)
                loss.backward()
                return loss

            opt.step(closure)
        else:
            idx = torch.tensor(order[step])
            opt.zero_grad()
            nn.functional.mse_loss(model(x[idx]), y[idx]).backward()
            opt.step()
            if sched is not None:
                sched.step()
        with torch.no_grad():
            losses.append(nn.functional.mse_loss(model(x), y).item())
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--smoke", action="store_true", help="5 steps (for the test suite)")
    parser.add_argument("--out", default="optimizers.png", help="where to save the figure")
    args = parser.parse_args()
    steps = 5 if args.smoke else args.steps

    torch.manual_seed(0)
    x, y = make_data()
    model = nn.Sequential(
        nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)
    )
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name in OPTIMIZERS:
        curve = train(name, copy.deepcopy(model), x, y, steps)
        print(f"{name:<26} final loss {curve[-1]:.4f}")
        ax.plot(range(1, steps + 1), curve, label=name)
    ax.set(xlabel="step", ylabel="MSE on all data", yscale="log", title="Same model, same data")
    ax.legend(fontsize="small", ncol=2)
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
