"""Trains the same small MLP twice, in float32 and in mixed precision (autocast float16 +
GradScaler), from the same initial weights on the same batches, and prints both final losses
and the speed of each.

    python examples/amp_training.py                  # CPU, 200 steps
    python examples/amp_training.py --device cuda    # on a GPU (float16 matmuls on tensor cores)
    python examples/amp_training.py --smoke          # 4 steps: what the test suite runs

The mixed-precision loop is nanoGPT's: autocast around the forward pass and the loss only,
then scale, backward, step, update. ``scaler.step`` skips steps whose gradients hold inf/NaN,
and ``update`` then backs the scale off: the loop counts skipped steps by that drop.

On the CPU, numpy has no fast float16 arithmetic: a float16 matmul runs on float32 BLAS and
is rounded, and the casts cost time, so expect no speed-up there; it comes on GPUs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import minitorch as torch
from minitorch import nn
from minitorch.nn import functional as F


def make_data(n: int, device: str, seed: int = 0):
    """Ten Gaussian blobs in 64 dimensions, one class each."""
    rng = np.random.default_rng(seed)
    centers = 0.35 * rng.standard_normal((10, 64)).astype(np.float32)  # overlapping blobs
    labels = rng.integers(0, 10, n)
    x = centers[labels] + rng.standard_normal((n, 64)).astype(np.float32)
    return torch.tensor(x, device=device), torch.tensor(labels, device=device)


def make_model(device: str, width: int) -> nn.Module:
    torch.manual_seed(0)  # the same initial weights for both runs
    return nn.Sequential(
        nn.Linear(64, width), nn.GELU(),
        nn.Linear(width, width), nn.GELU(),
        nn.Linear(width, 10),
    ).to(device)  # fmt: skip


def train(amp: bool, steps: int, batch: int, width: int, device: str) -> dict:
    """Trains a fresh model; returns its final full-data loss, steps/s and skipped steps."""
    x, y = make_data(4096, device)
    model = make_model(device, width)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler(device, enabled=amp)
    order = np.random.default_rng(1).integers(0, x.shape[0], (steps, batch))
    skipped = 0
    t0 = time.perf_counter()
    for step in range(steps):
        idx = torch.tensor(order[step], device=device)
        with torch.autocast(device, dtype=torch.float16, enabled=amp):
            logits = model(x[idx])  # (batch, 10), float16 under autocast
            loss = F.cross_entropy(logits, y[idx])  # float32: losses run in float32
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scale = scaler.get_scale()
        scaler.step(opt)  # the one host sync per step: the inf/NaN flag
        scaler.update()
        skipped += scaler.get_scale() < scale
    if device == "cuda":
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - t0
    with torch.no_grad():
        final = F.cross_entropy(model(x), y).item()
    return {"final_loss": final, "steps_per_s": steps / elapsed, "skipped": skipped}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--smoke", action="store_true", help="4 small steps")
    args = parser.parse_args(argv)
    if args.smoke:
        args.steps, args.batch, args.width = 4, 32, 64
    results = {}
    for name, amp in (("float32", False), ("autocast+GradScaler", True)):
        r = results[name] = train(amp, args.steps, args.batch, args.width, args.device)
        print(
            f"{name:<20} final loss {r['final_loss']:.4f}   {r['steps_per_s']:8.1f} steps/s"
            f"   skipped steps: {r['skipped']}"
        )
    ratio = results["autocast+GradScaler"]["steps_per_s"] / results["float32"]["steps_per_s"]
    print(f"mixed precision speed / float32 speed on {args.device}: {ratio:.2f}x")
    return results


if __name__ == "__main__":
    main()
