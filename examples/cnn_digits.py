"""A small CNN (Conv2d, BatchNorm2d, MaxPool2d, Dropout) trained with the Trainer on the
bundled 8x8 digits, or on MNIST / Fashion-MNIST when you have their IDX files.

    python examples/cnn_digits.py                                    # bundled digits, CPU
    python examples/cnn_digits.py --dataset mnist --data-dir data    # data/MNIST/raw/*-ubyte[.gz]
    python examples/cnn_digits.py --dataset fashion-mnist --data-dir data --epochs 5
    python examples/cnn_digits.py --device cuda                      # on a GPU
    python examples/cnn_digits.py --smoke                            # seconds: what the tests run

``--data-dir`` is laid out as torchvision's ``root``: the four IDX files (gzipped or not) in
``<data-dir>/MNIST/raw/`` or ``<data-dir>/FashionMNIST/raw/``. The network ends in a global
average pool, so the same layers serve 8x8 and 28x28 images.

Prints the validation accuracy it reached (for MNIST: on the 10,000 test images) and writes
the loss curve to ``<out>/loss_curve.png`` (default ``runs/cnn_<dataset>``).
"""

from __future__ import annotations

import argparse
import os
import time

import minitorch as torch
from minitorch import nn, optim
from minitorch.data import (
    MNIST,
    DataLoader,
    FashionMNIST,
    Subset,
    load_digits,
    random_split,
    transforms,
)
from minitorch.training import Trainer, plot_history


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="digits", choices=["digits", "mnist", "fashion-mnist"])
    p.add_argument("--data-dir", default=None, help="torchvision-style root for the IDX files")
    p.add_argument("--epochs", type=int, default=None, help="default: 20 (digits), 3 (MNIST)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="folder for the loss curve")
    p.add_argument("--smoke", action="store_true", help="1 epoch on a few batches")
    args = p.parse_args()
    if args.dataset != "digits" and args.data_dir is None:
        p.error(f"--dataset {args.dataset} needs --data-dir (the folder that holds its IDX files)")
    if args.epochs is None:
        args.epochs = 20 if args.dataset == "digits" else 3
    args.epochs = 1 if args.smoke else args.epochs
    args.out = args.out or os.path.join("runs", f"cnn_{args.dataset}")
    return args


def make_cnn(num_classes: int = 10) -> nn.Module:
    """Three conv blocks, global average pooling, dropout and a linear classifier."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),    # (B, 32, H, W)
        nn.MaxPool2d(2),                                                  # (B, 32, H/2, W/2)
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.MaxPool2d(2),                                                  # (B, 64, H/4, W/4)
        nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),                            # (B, 128)
        nn.Dropout(0.3),
        nn.Linear(128, num_classes),
    )  # fmt: skip


def load_data(args):
    """(train_set, val_set) of ((1, H, W) float image, int label) pairs."""
    if args.dataset == "digits":
        digits = load_digits()  # (1797, 1, 8, 8) in [0, 1]
        n_val = len(digits) // 5
        gen = torch.Generator().manual_seed(args.seed)
        return random_split(digits, [len(digits) - n_val, n_val], generator=gen)
    dataset = MNIST if args.dataset == "mnist" else FashionMNIST
    to_input = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    return (
        dataset(args.data_dir, train=True, transform=to_input),
        dataset(args.data_dir, train=False, transform=to_input),
    )


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    train_set, val_set = load_data(args)
    if args.smoke:
        train_set, val_set = Subset(train_set, range(256)), Subset(val_set, range(128))
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, drop_last=True)
    val_loader = DataLoader(val_set, batch_size=500)

    model = make_cnn().to(args.device)
    optimizer = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2)
    scheduler = optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, total_steps=args.epochs * len(train_loader)
    )
    trainer = Trainer(
        model,
        optimizer,
        nn.functional.cross_entropy,
        scheduler=scheduler,
        scheduler_interval="step",
        device=args.device,
    )

    start = time.perf_counter()
    history = trainer.fit(train_loader, val_loader, epochs=args.epochs)
    elapsed = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    plot_history(history, os.path.join(args.out, "loss_curve.png"), title=f"CNN on {args.dataset}")
    last = history[-1]
    print(f"{args.dataset}: {len(train_set)} training and {len(val_set)} validation images")
    print(f"epochs: {args.epochs}, {elapsed:.1f} s on {args.device}")
    print(f"train_loss: {last['train_loss']:.4f}  val_loss: {last['val_loss']:.4f}")
    print(f"val_acc: {last['val_acc']:.4f}")
    print(f"loss curve: {os.path.join(args.out, 'loss_curve.png')}")


if __name__ == "__main__":
    main()
