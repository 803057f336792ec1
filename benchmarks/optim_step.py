"""Optimizer step time: one ``Adam.step()`` over the parameters of the W1 MLP (784-512-512-10
weights and biases, float32, random gradients), minitorch against ``torch.optim.Adam``
(default: foreach) in the same run, alternating, median of 5. A second workload has many small
tensors (400 of 1,000 elements), where per-tensor Python loops would dominate. The steps run
alone here; in training they follow a backward, whose matrix products leave OpenBLAS's workers
spinning (benchmarks/README.md, session 17).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/optim_step.py
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

W1_SHAPES = [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]
SMALL_SHAPES = [(1000,)] * 400


def make_step(torch, shapes: list, name: str = "Adam"):
    """An optimizer over random parameters with random gradients; returns its ``step``."""
    rng = np.random.default_rng(0)
    params = []
    for s in shapes:
        p = torch.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
        p.grad = torch.tensor(rng.standard_normal(s).astype(np.float32))
        params.append(p)
    opt = getattr(torch.optim, name)(params, lr=1e-3)
    opt.step()  # warm-up: state and buffers exist from here on
    return opt.step


def measure(step, inner: int) -> float:
    """Milliseconds per step, the mean of ``inner`` steps."""
    t0 = time.perf_counter()
    for _ in range(inner):
        step()
    return (time.perf_counter() - t0) / inner * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--inner", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="for both frameworks")
    args = parser.parse_args()
    import minitorch  # its updates run on one thread (see minitorch/optim/_flat.py)

    frameworks = [("minitorch", minitorch)]
    try:
        import torch

        torch.set_num_threads(args.threads)
        frameworks.append(("pytorch", torch))
    except ImportError:
        pass
    try:  # numpy's BLAS is not used by the step, but keep both frameworks on equal threads
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    except ImportError:
        pass

    print(f"{'workload':<22} {'framework':<10} {'ms/step (median)':>17} {'min':>8} {'max':>8}")
    for label, shapes in (("Adam W1 MLP", W1_SHAPES), ("Adam 400 x 1k tensors", SMALL_SHAPES)):
        steps = {name: make_step(fw, shapes) for name, fw in frameworks}
        samples: dict = {name: [] for name in steps}
        for _ in range(args.repeats):  # alternate A B A B
            for name, step in steps.items():
                samples[name].append(measure(step, args.inner))
        for name, s in samples.items():
            med = statistics.median(s)
            print(f"{label:<22} {name:<10} {med:>17.3f} {min(s):>8.3f} {max(s):>8.3f}")
        if "pytorch" in samples:
            ratio = statistics.median(samples["minitorch"]) / statistics.median(samples["pytorch"])
            print(f"{label:<22} minitorch / pytorch step time: {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
