"""Host cost of the cupy calls that minitorch's GPU ops make, and of their alternatives:
microseconds per call (2000 calls, then one synchronize), so the cheapest way is chosen
by measurement.  python3 benchmarks/gpu_calls.py"""

from __future__ import annotations

import os
import time

import cupy
import cupy.cublas
import numpy as np
import torch


def per_call(fn, n: int = 2000, warmup: int = 100) -> float:
    """Microseconds per call of ``fn`` over ``n`` calls, the device synchronized after."""
    for _ in range(warmup):
        fn()
    cupy.cuda.Device().synchronize()
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    cupy.cuda.Device().synchronize()
    return (time.perf_counter() - t0) / n * 1e6


def main() -> None:
    rng = np.random.default_rng(0)

    def dev(*shape, dtype=np.float32):
        return cupy.asarray(rng.standard_normal(shape).astype(dtype))

    a, b, c = dev(128, 784), dev(784, 512), dev(128, 512)
    x3, w = dev(8, 128, 384), dev(384, 1536)
    h3 = x3.astype(cupy.float16)
    wh = w.astype(cupy.float16)
    g16, y16 = dev(16), cupy.tanh(dev(16))
    ones512 = cupy.ones(128, cupy.float32)
    tanh_grad = cupy.ElementwiseKernel("T g, T y", "T z", "z = g * (1 - y * y)", "mt_tanh_grad")
    ta, tb = torch.randn(128, 784, device="cuda"), torch.randn(784, 512, device="cuda")
    out = cupy.empty((128, 512), cupy.float32)
    rows = [
        ("matmul 2-D", lambda: cupy.matmul(a, b)),
        ("matmul 2-D out=", lambda: cupy.matmul(a, b, out=out)),
        ("dot 2-D", lambda: cupy.dot(a, b)),
        ("a.dot(b)", lambda: a.dot(b)),
        ("dot 2-D out=", lambda: cupy.dot(a, b, out=out)),
        ("cublas.gemm NN", lambda: cupy.cublas.gemm("N", "N", a, b)),
        ("matmul a @ b.T view", lambda: cupy.matmul(c, b.T)),
        ("dot a @ b.T view", lambda: cupy.dot(c, b.T)),
        ("matmul 3-D @ 2-D", lambda: cupy.matmul(x3, w)),
        ("dot reshape 3-D", lambda: cupy.dot(x3.reshape(-1, 384), w).reshape(8, 128, 1536)),
        ("matmul 3-D fp16", lambda: cupy.matmul(h3, wh)),
        ("dot reshape 3-D fp16", lambda: cupy.dot(h3.reshape(-1, 384), wh)),
        ("torch mm 2-D", lambda: ta @ tb),
        ("c.sum(axis=0)", lambda: c.sum(axis=0)),
        ("ones @ c", lambda: cupy.matmul(ones512, c)),
        ("ones_like + ones @ c", lambda: cupy.matmul(cupy.ones_like(c, shape=(128,)), c)),
        ("c.sum()", lambda: c.sum()),
        ("c.max(axis=1)", lambda: c.max(axis=1)),
        ("c.astype(float16)", lambda: c.astype(cupy.float16)),
        ("c * 2.0", lambda: c * 2.0),
        ("cupy.multiply(c, 2.0, out=)", lambda: cupy.multiply(c, 2.0, out=out)),
        ("c * c", lambda: c * c),
        ("tanh_grad 3 ufuncs", lambda: g16 * (1 - y16 * y16)),
        ("tanh_grad ElementwiseKernel", lambda: tanh_grad(g16, y16)),
        ("cupy.empty_like", lambda: cupy.empty_like(c)),
        ("c.reshape(-1)", lambda: c.reshape(-1)),
        ("c.copy()", lambda: c.copy()),
        ("cupy.where", lambda: cupy.where(c > 0, c, 0.0)),
        ("c.fill(0)", lambda: c.fill(0)),
    ]
    for name, fn in rows:
        try:
            print(f"{name:32s} {per_call(fn):8.2f} us", flush=True)
        except Exception as e:  # noqa: BLE001 - one failing call must not hide the others
            print(f"{name:32s} FAILED {type(e).__name__}: {e}", flush=True)
    print(
        "CUPY_ACCELERATORS",
        os.environ.get("CUPY_ACCELERATORS"),
        "accelerators",
        cupy._core.get_reduction_accelerators(),
        cupy._core.get_routine_accelerators(),
    )
    cupy._core.set_reduction_accelerators([])
    cupy._core.set_routine_accelerators([])
    print(f"{'c.sum(axis=0) no cub':32s} {per_call(lambda: c.sum(axis=0)):8.2f} us")
    print(f"{'c.max(axis=1) no cub':32s} {per_call(lambda: c.max(axis=1)):8.2f} us")


if __name__ == "__main__":
    main()
