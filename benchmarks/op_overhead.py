"""W4: per-op overhead. A 16-element float32 tensor that requires grad; 100 times
``y = (y * 1.0001 + 0.001).tanh()``, then ``y.sum().backward()``. Prints microseconds per op
(forward + backward time / 300) for minitorch and, when installed, PyTorch, run alternately."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def run(torch, steps: int = 100) -> float:
    """One W4 pass; returns seconds."""
    x = torch.randn(16, requires_grad=True)
    t0 = time.perf_counter()
    y = x
    for _ in range(steps):
        y = (y * 1.0001 + 0.001).tanh()
    y.sum().backward()
    return time.perf_counter() - t0


def measure(torch, repeats: int, inner: int = 20) -> list:
    """Median-friendly samples: µs per op, each the mean over ``inner`` passes."""
    run(torch)  # warm-up
    out = []
    for _ in range(repeats):
        total = sum(run(torch) for _ in range(inner))
        out.append(total / inner / 300 * 1e6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    frameworks = common.frameworks()
    samples = {name: [] for name, _ in frameworks}
    for _ in range(args.repeats):  # alternate A B A B
        for name, fw in frameworks:
            samples[name] += measure(fw, 1)
    print(f"{'framework':<10} {'µs/op (median)':>15} {'min':>8} {'max':>8}")
    for name, s in samples.items():
        print(f"{name:<10} {statistics.median(s):>15.2f} {min(s):>8.2f} {max(s):>8.2f}")
    if "pytorch" in samples:
        ratio = statistics.median(samples["minitorch"]) / statistics.median(samples["pytorch"])
        print(f"minitorch / pytorch per-op time: {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
