"""Data loading: one shuffled epoch over MNIST-sized arrays (60,000 x 784 float32 plus int64
labels) in batches of 128 through TensorDataset + DataLoader. Prints seconds per epoch for
minitorch (with and without worker threads) and, when installed, PyTorch, run alternately.

The budget: well under 10% of a W1 MLP epoch (469 steps at ~200 steps/s, about 2.3 s), so
under 0.2 s.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/data_loading.py
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

MLP_EPOCH_S = 469 / 200  # W1: batches per epoch / training steps per second


def run(torch, x: np.ndarray, y: np.ndarray, num_workers: int = 0) -> float:
    """One epoch, touching every batch; returns seconds."""
    ds = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(ds, batch_size=128, shuffle=True, num_workers=num_workers)
    t0 = time.perf_counter()
    n = 0
    for _xb, yb in loader:
        n += yb.shape[0]
    elapsed = time.perf_counter() - t0
    assert n == len(x), (n, len(x))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import minitorch
    import minitorch.utils.data  # noqa: F401  (torch.utils.data's twin, as an attribute)

    rng = np.random.default_rng(0)
    x = rng.random((60_000, 784), dtype=np.float32)
    y = rng.integers(0, 10, 60_000)
    cases = [("minitorch", minitorch, 0), ("minitorch (2 worker threads)", minitorch, 2)]
    try:
        import torch

        torch.set_num_threads(2)
        cases.append(("pytorch", torch, 0))
    except ImportError:
        pass
    samples: dict = {name: [] for name, _, _ in cases}
    for _name, fw, workers in cases:  # warm-up
        run(fw, x, y, workers)
    for _ in range(args.repeats):  # alternate A B C A B C ...
        for name, fw, workers in cases:
            samples[name].append(run(fw, x, y, workers))
    print(f"{'loader':<30} {'s/epoch (median)':>17} {'min':>7} {'max':>7} {'% of MLP epoch':>15}")
    for name, s in samples.items():
        med = statistics.median(s)
        print(
            f"{name:<30} {med:>17.3f} {min(s):>7.3f} {max(s):>7.3f} "
            f"{100 * med / MLP_EPOCH_S:>14.1f}%"
        )
    print(f"target: < 0.2 s per epoch (MLP epoch ~{MLP_EPOCH_S:.1f} s)")


if __name__ == "__main__":
    main()
