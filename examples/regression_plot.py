"""Softmax regression on learned features: an MLP that separates three interleaved 2-D
spirals, and a picture of the decision boundary it found.

    python examples/regression_plot.py                  # CPU, well under a minute
    python examples/regression_plot.py --device cuda    # on a GPU
    python examples/regression_plot.py --smoke          # a few epochs: what the tests run

Prints the training accuracy and writes ``<out>/decision_boundary.png`` (the predicted class
over the plane, with the training points on top) and ``<out>/loss_curve.png``.
"""

from __future__ import annotations

import argparse
import os
import time

import minitorch as torch
from minitorch import nn
from minitorch.data import DataLoader, TensorDataset, make_spirals
from minitorch.training import Trainer, plot_history


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=1500)
    p.add_argument("--epochs", type=int, default=150)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/regression_plot", help="folder for the plots")
    p.add_argument("--smoke", action="store_true", help="a few epochs, to check that it runs")
    args = p.parse_args()
    if args.smoke:
        args.epochs = 3
    return args


@torch.no_grad()
def plot_boundary(model, x, y, device: str, path: str) -> None:
    """Colours a 300x300 grid by the class the model predicts there."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt

    model.eval()
    side = torch.linspace(-1.3, 1.3, 300)
    gx, gy = torch.meshgrid(side, side, indexing="xy")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1).to(device)  # (90000, 2)
    pred = model(grid).argmax(dim=1).reshape(300, 300).cpu().numpy()
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    colors = ["tab:red", "tab:blue", "tab:green"]  # class k: light area, dark points
    ax.contourf(
        gx.numpy(), gy.numpy(), pred, levels=[-0.5, 0.5, 1.5, 2.5], colors=colors, alpha=0.25
    )
    ax.scatter(x[:, 0].numpy(), x[:, 1].numpy(), c=[colors[k] for k in y.tolist()], s=6)
    ax.set(title="decision boundary", xlabel="x1", ylabel="x2", aspect="equal")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    x, y = make_spirals(args.points, n_classes=3, turns=1.25, noise=0.02)  # (N, 2), (N,)
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)

    model = nn.Sequential(
        nn.Linear(2, 128), nn.GELU(),
        nn.Linear(128, 128), nn.GELU(),
        nn.Linear(128, 3),
    ).to(args.device)  # fmt: skip
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    trainer = Trainer(
        model, optimizer, nn.functional.cross_entropy, scheduler=scheduler, device=args.device
    )

    start = time.perf_counter()
    history = trainer.fit(loader, epochs=args.epochs)
    elapsed = time.perf_counter() - start
    train_acc = trainer.evaluate(DataLoader(TensorDataset(x, y), batch_size=1024))["acc"]

    os.makedirs(args.out, exist_ok=True)
    plot_history(history, os.path.join(args.out, "loss_curve.png"), title="MLP on spirals")
    plot_boundary(model, x, y, args.device, os.path.join(args.out, "decision_boundary.png"))
    print(f"epochs: {args.epochs}, {elapsed:.1f} s on {args.device}")
    print(f"train_loss: {history[-1]['train_loss']:.4f}")
    print(f"train_acc: {train_acc:.4f}")
    print(f"plots: {args.out}/decision_boundary.png, {args.out}/loss_curve.png")


if __name__ == "__main__":
    main()
