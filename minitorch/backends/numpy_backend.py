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
    def matmul(a, b, bias=None):
        """``a @ b (+ bias)``. float16 operands are multiplied on float32 BLAS and the sum
        (bias included) is rounded once to float16, as GPUs and PyTorch's CPU addmm do:
        numpy's own float16 matmul has no BLAS and is ~100x slower."""
        if a.dtype != _F16:
            out = np.matmul(a, b)
            if bias is not None:
                out += bias
            return out
        out = np.matmul(half_to_float(a), half_to_float(b))
        if bias is not None:
            out += half_to_float(bias)
        with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN are answers here
            return out.astype(np.float16)


_F16 = np.dtype(np.float16)
_HALF_IN_FLOAT = np.uint32(0x8FFFE000).view(np.int32)  # sign, exponent and mantissa of a half
_REBIAS = np.float32(2.0**112)  # 2^(127 - 15): a half's exponent bias to a float's


def half_to_float(h: np.ndarray) -> np.ndarray:
    """``h.astype(np.float32)`` for a float16 array, 2-3x faster: numpy converts float16
    element by element in software (no F16C in its x86 baseline). The 16 bits, sign-extended
    and shifted left by 13, hold the half's sign in bit 31 and its exponent and mantissa
    where a float's low exponent bits and mantissa sit; the mask clears the sign's copies in
    bits 28-30, and multiplying by 2^112 rebiases the exponent (exactly, subnormal halves
    included). Inf and NaN halves come out as finite floats of magnitude >= 2^16, above every
    finite half (65504): two reductions find them, and they are copied the slow way."""
    out = np.empty_like(h, dtype=np.float32)
    bits = out.view(np.int32)
    np.left_shift(h.view(np.int16), 13, out=bits, dtype=np.int32)
    np.bitwise_and(bits, _HALF_IN_FLOAT, out=bits)
    out *= _REBIAS
    if out.size and not (out.max() < 65536 and out.min() > -65536):
        special = ~np.isfinite(h)
        out[special] = h[special]
    return out


def astype(a, dtype, copy: bool = True):
    """``a.astype(dtype, copy=copy)`` for an array of any device; float16 to float32 on the
    host runs through ``half_to_float``."""
    if type(a) is np.ndarray and a.dtype == _F16 and dtype == np.float32:
        return half_to_float(a)
    return a.astype(dtype, copy=copy)


def half_relu(a):
    """PyTorch's relu of a float16 array, on its bits: the negative numbers other than -0.0
    and NaN (bits 0x8001-0xFC00) become 0. numpy's float16 ``maximum`` converts each element
    in software, ~100x slower."""
    bits = a.view(np.uint16)
    keep = np.subtract(bits, np.uint16(0x8001)) > 0x7BFF  # wraps around below 0x8001
    return np.multiply(bits, keep).view(a.dtype)


def half_relu_grad(g, out):
    """PyTorch's relu backward (``threshold_backward``) for float16, on the bits: ``g``
    where the relu output ``out`` is not +-0 (NaN outputs pass ``g``), else 0."""
    keep = np.bitwise_and(out.view(np.uint16), np.uint16(0x7FFF)) != 0
    return np.multiply(g.view(np.uint16), keep).view(g.dtype)
