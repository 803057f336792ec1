"""jacobian(vectorize=True) vs row by row, on functions with a 256-element output of a
64-element float32 input:
  mlp:       f(x) = sigmoid(W2 @ tanh(W1 @ x)) * sum(x)   (every backward has batching rules)
  mlp+index: f(x) + x.index_select(0, [0])**2   (IndexSelectBackward0 falls back to
             one call per row; every other node runs once for all rows)

Prints milliseconds per jacobian (median, min, max of 5 samples, frameworks alternating) for
minitorch and, when installed, PyTorch, each with vectorize False and True, and the speed-ups.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/jacobian_vectorize.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def make_function(torch, with_index: bool, n_in: int = 64, n_hidden: int = 128, n_out: int = 256):
    rng = np.random.default_rng(0)
    W1 = torch.tensor(rng.standard_normal((n_hidden, n_in)).astype(np.float32) / 8)
    W2 = torch.tensor(rng.standard_normal((n_out, n_hidden)).astype(np.float32) / 11)
    x = torch.tensor(rng.standard_normal(n_in).astype(np.float32))
    idx = torch.tensor([0])

    def f(t):
        y = (W2 @ (W1 @ t).tanh()).sigmoid() * t.sum()  # (256,)
        return y + t.index_select(0, idx) ** 2 if with_index else y

    return f, x


def run(torch, with_index: bool, vectorize: bool, inner: int) -> float:
    """Milliseconds per jacobian, averaged over ``inner`` calls."""
    f, x = make_function(torch, with_index)
    jacobian = torch.autograd.functional.jacobian
    jacobian(f, x, vectorize=vectorize)  # warm-up
    t0 = time.perf_counter()
    for _ in range(inner):
        J = jacobian(f, x, vectorize=vectorize)
    assert tuple(J.shape) == (256, 64)
    return (time.perf_counter() - t0) / inner * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    frameworks = common.frameworks()
    inner = {False: 2, True: 20}
    cases = [(name, fw, idx, v) for idx in (False, True) for name, fw in frameworks for v in (0, 1)]
    samples = {c[:1] + c[2:]: [] for c in cases}
    for _ in range(args.repeats):  # A B A B ...
        for name, fw, idx, v in cases:
            samples[(name, idx, v)].append(run(fw, idx, bool(v), inner[bool(v)]))
    head = f"{'function':<10} {'framework':<10} {'vectorize':>9} {'ms (median)':>12}"
    print(f"{head} {'min':>9} {'max':>9}")
    med = {}
    for (name, idx, v), s in samples.items():
        med[(name, idx, v)] = m = statistics.median(s)
        fn = "mlp+index" if idx else "mlp"
        print(f"{fn:<10} {name:<10} {bool(v)!s:>9} {m:>12.3f} {min(s):>9.3f} {max(s):>9.3f}")
    for idx in (False, True):
        for name, _ in frameworks:
            speedup = med[(name, idx, 0)] / med[(name, idx, 1)]
            fn = "mlp+index" if idx else "mlp"
            print(f"{fn}: {name} vectorize=True is {speedup:.1f}x faster than row by row")


if __name__ == "__main__":
    main()
