"""Where host time goes on the GPU: cProfile of minitorch's GPU workloads (one file each under
$OUT), and the floor of one cupy / torch elementwise launch on 16 floats.

    python3 benchmarks/gpu_profile.py [seconds per workload]
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cupy  # noqa: E402
import torch  # noqa: E402
from workloads import GPU_EXTRA, WORKLOADS  # noqa: E402

import minitorch  # noqa: E402

OUT = os.environ.get("OUT", "benchmarks/gpu_out")
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
ALL = {**WORKLOADS, **GPU_EXTRA}


def launch_floor() -> str:
    """Microseconds per call of a few elementwise launches, cupy and torch, 16 floats."""
    a, t = cupy.ones(16, cupy.float32), torch.ones(16, device="cuda")
    m = minitorch.ones(16, device="cuda")
    rows = []
    for name, fn in [
        ("cupy a * 1.0001", lambda: a * 1.0001),
        ("cupy tanh(a)", lambda: cupy.tanh(a)),
        ("cupy a.sum()", lambda: a.sum()),
        ("cupy empty(16)", lambda: cupy.empty(16, cupy.float32)),
        ("torch t * 1.0001", lambda: t * 1.0001),
        ("minitorch m * 1.0001", lambda: m * 1.0001),
        ("minitorch m.tanh()", lambda: m.tanh()),
    ]:
        for _ in range(200):
            fn()
        cupy.cuda.Device().synchronize()
        t0 = time.perf_counter()
        for _ in range(2000):
            fn()
        cupy.cuda.Device().synchronize()
        rows.append(f"{name:28s} {(time.perf_counter() - t0) / 2000 * 1e6:8.2f} us")
    return "\n".join(rows)


def profile(name: str) -> str:
    factory, kwargs, unit, _ = ALL[name]
    step = factory(minitorch, "cuda", **kwargs)
    for _ in range(3):
        step()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < SECONDS / 3:
        step()
        n += 1
    plain = (time.perf_counter() - t0) / n
    prof = cProfile.Profile()
    k, t0 = 0, time.perf_counter()
    prof.enable()
    while time.perf_counter() - t0 < SECONDS:
        step()
        k += 1
    prof.disable()
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text)
    stats.sort_stats("tottime").print_stats(45)
    stats.sort_stats("cumulative").print_stats(60)
    head = f"{name}: {plain * 1e3:.3f} ms/step unprofiled, {k} steps profiled\n"
    return head + text.getvalue()


if __name__ == "__main__":
    summary = [launch_floor()]
    print(summary[0], flush=True)
    for name in sys.argv[2:] or ["W4 op", "W1 train", "W3 train", "nanoGPT amp", "W2 train"]:
        try:
            report = profile(name)
        except Exception as e:  # noqa: BLE001 - one workload's failure must not hide the others
            report = f"{name}: FAILED {type(e).__name__}: {e}"
        summary.append(report.splitlines()[0])
        print(summary[-1], flush=True)
        with open(os.path.join(OUT, name.replace(" ", "_") + ".txt"), "w") as f:
            f.write(report)
