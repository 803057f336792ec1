"""The CPU backend: numpy arrays, numpy's PCG64 generator."""

from __future__ import annotations

import ctypes
import os
import sys

import numpy as np


def keep_freed_memory() -> bool:
    """Asks glibc to serve large arrays from its heap and keep freed memory for reuse,
    instead of mmap-ing every large array afresh and returning it on free: a fresh 7 MB
    array then costs no page faults (several times faster matmul outputs here, see
    benchmarks/README.md). Like a caching allocator, the process keeps its peak memory.
    Set MINITORCH_MALLOC_TUNING=0 to leave malloc alone. Returns whether it applied."""
    if os.environ.get("MINITORCH_MALLOC_TUNING", "1") == "0" or not sys.platform.startswith(
        "linux"
    ):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    ok = libc.mallopt(m_mmap_threshold, 1 << 30) == 1
    return ok and libc.mallopt(m_trim_threshold, (1 << 31) - 1) == 1


MALLOC_TUNED = keep_freed_memory()


class NumpyBackend:
    """Array module, random streams and (trivial) synchronisation for the CPU."""

    xp = np
    name = "cpu"

    @property
    def device(self):
        from . import Device  # noqa: PLC0415

        return Device("cpu")

    def make_rng(self, seed: int):
        return np.random.Generator(np.random.PCG64(seed))

    def rng_state(self, rng) -> dict:
        return rng.bit_generator.state

    def set_rng_state(self, rng, state: dict) -> None:
        rng.bit_generator.state = state

    def synchronize(self) -> None:
        """Nothing to wait for on the CPU."""

    def kernel(self, name: str) -> None:
        """No fused kernels: ops run their numpy code."""
        return None

    @staticmethod
    def matmul(a, b):
        """np.matmul, but float16 products accumulate in float32 (BLAS) and round once to
        float16, as GPUs do: numpy's own float16 matmul has no BLAS and is ~100x slower."""
        if a.dtype != np.float16:
            return np.matmul(a, b)
        with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN are answers here
            return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(np.float16)
