"""Recurrent layers' training step time: forward + backward of nn.LSTM, nn.GRU, nn.RNN (and an
LSTMCell run in a Python loop) at tutorial sizes, minitorch against PyTorch in the same run,
both held to the same thread count, alternating, median of 5.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/rnn_speed.py [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from common import frameworks

# (name, layer, batch, seq, input, hidden, num_layers)
WORKLOADS = [
    ("char-rnn LSTM", "LSTM", 32, 50, 64, 128, 1),
    ("char-rnn LSTM 2x256", "LSTM", 32, 50, 64, 256, 2),
    ("time-series LSTM", "LSTM", 64, 30, 8, 64, 1),
    ("char-rnn GRU", "GRU", 32, 50, 64, 128, 1),
    ("GRU bidir 2x64", "GRU", 16, 40, 32, 64, 2),
    ("RNN tanh", "RNN", 32, 50, 64, 128, 1),
    ("LSTMCell loop", "LSTMCell", 32, 50, 64, 128, 1),
]


def make_step(torch, layer: str, batch: int, seq: int, inp: int, hidden: int, layers: int):
    """One training step (forward, sum of outputs, backward) of the workload."""
    torch.manual_seed(0)
    x = torch.tensor(np.random.default_rng(0).standard_normal((seq, batch, inp), np.float32))
    if layer == "LSTMCell":
        cell = torch.nn.LSTMCell(inp, hidden)

        def step():
            h = c = torch.zeros(batch, hidden)
            outs = []
            for t in range(seq):
                h, c = cell(x[t], (h, c))
                outs.append(h)
            torch.stack(outs).sum().backward()

        return step
    bidir = layer == "GRU" and layers == 2
    module = getattr(torch.nn, layer)(inp, hidden, layers, bidirectional=bidir)

    def step():
        out, _ = module(x)
        out.sum().backward()

    return step


def measure(step, inner: int) -> float:
    """Milliseconds per step, the mean of ``inner`` steps."""
    t0 = time.perf_counter()
    for _ in range(inner):
        step()
    return (time.perf_counter() - t0) / inner * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--inner", type=int, default=3)
    args = parser.parse_args()
    fws = frameworks("cpu", threads=args.threads)
    print(f"{'workload':24s} " + " ".join(f"{n + ' ms':>13s}" for n, _ in fws) + "   ratio")
    for name, *spec in WORKLOADS:
        steps = [make_step(fw, *spec) for _, fw in fws]
        for step in steps:
            step()  # warm-up
        times = [[] for _ in fws]
        for _ in range(args.repeats):
            for k, step in enumerate(steps):
                times[k].append(measure(step, args.inner))
        medians = [statistics.median(t) for t in times]
        ratio = f"{medians[0] / medians[1]:7.2f}x" if len(medians) > 1 else ""
        print(f"{name:24s} " + " ".join(f"{m:13.2f}" for m in medians) + "  " + ratio)


if __name__ == "__main__":
    main()
