"""An MLP on the bundled 8x8 handwritten digits, trained with the Trainer: the smallest
complete recipe (data split, DataLoaders, model, Adam with a cosine schedule, fit, plot).

    python examples/mlp_digits.py                  # 30 epochs on the CPU, seconds
    python examples/mlp_digits.py --device cuda    # on a GPU
    python examples/mlp_digits.py --smoke          # 2 epochs: what the test suite runs

Prints the validation accuracy it reached and writes the loss curve to
``<out>/loss_curve.png`` (default ``runs/mlp_digits``).
"""

from __future__ import annotations

import argparse
import os
import time

import minitorch as torch
from minitorch import nn, optim
from minitorch.data import DataLoader, load_digits, random_split
from minitorch.training import Trainer, plot_history


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/mlp_digits", help="folder for the loss curve")
    p.add_argument("--smoke", action="store_true", help="2 epochs, to check that it runs")
    return p.parse_args()


def main() -> None:
    args = parse_args()
    epochs = 2 if args.smoke else args.epochs
    torch.manual_seed(args.seed)

    digits = load_digits(flatten=True)  # (1797, 64) pixels in [0, 1], labels 0..9
    n_val = len(digits) // 5
    train_set, val_set = random_split(
        digits, [len(digits) - n_val, n_val], generator=torch.Generator().manual_seed(args.seed)
    )
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, drop_last=True)
    val_loader = DataLoader(val_set, batch_size=512)

    model = nn.Sequential(
        nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.1),
        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.1),
        nn.Linear(256, 10),
    ).to(args.device)  # fmt: skip
    optimizer = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(train_loader))
    trainer = Trainer(
        model,
        optimizer,
        nn.functional.cross_entropy,
        scheduler=scheduler,
        scheduler_interval="step",  # the cosine runs over optimizer steps, not epochs
        device=args.device,
    )

    start = time.perf_counter()
    history = trainer.fit(train_loader, val_loader, epochs=epochs)
    elapsed = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    plot_history(history, os.path.join(args.out, "loss_curve.png"), title="MLP on digits")
    last = history[-1]
    print(f"epochs: {epochs}, {elapsed:.1f} s on {args.device}")
    print(f"train_loss: {last['train_loss']:.4f}  val_loss: {last['val_loss']:.4f}")
    print(f"val_acc: {last['val_acc']:.4f}")
    print(f"loss curve: {os.path.join(args.out, 'loss_curve.png')}")


if __name__ == "__main__":
    main()
