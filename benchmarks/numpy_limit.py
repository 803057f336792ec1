"""The numpy limit of W1 on this machine: the MLP workload (784-512-512-10, ReLU,
cross-entropy, Adam, batch 128) hand-written in numpy with preallocated buffers, beside
minitorch and PyTorch, alternating. No framework on numpy can beat this number; it tells
how much of the gap to PyTorch is BLAS and how much is framework overhead.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/numpy_limit.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import frameworks, seconds_per_step  # noqa: E402
from workloads import make_mlp_infer, make_mlp_train  # noqa: E402


def make_numpy_mlp(batch: int = 128, train: bool = True):
    """One W1 step in plain numpy (float32, buffers reused, in-place Adam)."""
    rng = np.random.default_rng(0)
    sizes = [784, 512, 512, 10]
    Ws = [
        (rng.standard_normal((o, i)) / np.sqrt(i)).astype(np.float32)
        for i, o in zip(sizes, sizes[1:])
    ]
    bs = [np.zeros(o, np.float32) for o in sizes[1:]]
    params = Ws + bs
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rng.standard_normal((batch, 784)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    acts = [np.empty((batch, o), np.float32) for o in sizes[1:]]
    state = {"t": 0}

    def step():
        h = x
        for k, (W, b) in enumerate(zip(Ws, bs)):
            np.matmul(h, W.T, out=acts[k])
            acts[k] += b
            if k < 2:
                np.maximum(acts[k], 0, out=acts[k])
            h = acts[k]
        if not train:
            return
        z = h - h.max(1, keepdims=True)  # softmax cross-entropy gradient
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        p[np.arange(batch), y] -= 1
        g = p / batch
        grads_W, grads_b = [None] * 3, [None] * 3
        for k in (2, 1, 0):
            inp = acts[k - 1] if k else x
            grads_W[k] = g.T @ inp
            grads_b[k] = g.sum(0)
            if k:
                g = g @ Ws[k]
                g *= acts[k - 1] > 0
        state["t"] += 1
        t = state["t"]
        c1, c2 = 1 - 0.9**t, 1 - 0.999**t
        for prm, gr, mm, vv in zip(params, grads_W + grads_b, m, v):
            mm *= 0.9
            mm += 0.1 * gr
            vv *= 0.999
            vv += 0.001 * gr * gr
            denom = np.sqrt(vv / c2)
            denom += 1e-8
            prm -= (1e-3 / c1) * mm / denom

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    fws = frameworks()
    for name, make, np_train in (
        ("W1 train", make_mlp_train, True),
        ("W1 infer", make_mlp_infer, False),
    ):
        steps = {fw: make(mod, "cpu") for fw, mod in fws}
        steps["numpy"] = make_numpy_mlp(train=np_train)
        samples = {k: [] for k in steps}
        for _ in range(args.repeats):
            for k, s in steps.items():
                samples[k].append(seconds_per_step(s, args.seconds) * 1e3)
        limit = statistics.median(samples["numpy"])
        print(f"{name}: ms per step (median [min-max]); speed relative to the numpy limit")
        for k, s in samples.items():
            med = statistics.median(s)
            print(
                f"  {k:<10} {med:7.3f} [{min(s):.3f}-{max(s):.3f}]  {limit / med:.2f}x of the numpy limit"
            )


if __name__ == "__main__":
    main()
