"""The CPU backend: numpy arrays, PyTorch's CPU random stream, and the float16 work numpy does
slowly in software (products, conversions, relu) done on float32 BLAS and integer passes."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

import ml_dtypes
import numpy as np

from .chunked import for_chunks
from .cpu_random import CPUStream


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
        """PyTorch's CPU stream (cpu_random.CPUStream): seeded programs draw its numbers."""
        return CPUStream(seed)

    def rng_state(self, rng) -> np.ndarray:
        return rng.state

    def set_rng_state(self, rng, state: np.ndarray) -> None:
        rng.state = state

    def synchronize(self) -> None:
        """Nothing to wait for on the CPU."""

    @staticmethod
    def linalg_errors():
        """numpy.linalg raises LinAlgError for a singular or not positive-definite input
        already (see the cupy backend's)."""
        return contextlib.nullcontext()

    def kernel(self, name: str) -> None:
        """No fused kernels: ops run their numpy code."""
        return None

    @staticmethod
    def matmul(a, b, bias=None, scale=None, dtype=None):
        """``(a @ b) * scale + bias`` (each part optional), in ``dtype`` (default: the
        operands'). float16 operands are multiplied on float32 BLAS and the result is
        rounded once at the end (not at all for a float32 ``dtype``), as GPUs and
        PyTorch's CPU kernels do: numpy's own float16 matmul has no BLAS and is ~100x
        slower, and its float16 arithmetic converts each element in software."""
        if a.dtype == _BF16:  # float32 products, rounded once (numpy's bf16 matmul gives float32)
            bias = None if bias is None else bias.astype(_F32)
            out = NumpyBackend.matmul(a.astype(_F32), b.astype(_F32), bias, scale)
            return out.astype(_BF16 if dtype is None else dtype)
        if a.dtype != _F16:
            out = np.matmul(a, b)
            if scale is not None:
                out *= scale
            if bias is not None:
                out += bias
            return out if dtype is None else out.astype(dtype, copy=False)
        with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN are answers here
            out = np.matmul(half_to_float(a), half_to_float(b))
            if scale is not None:
                out *= np.float32(scale)
            if bias is not None:
                out += half_to_float(bias)
        return (
            float_to_half(out) if dtype is None or dtype == _F16 else out.astype(dtype, copy=False)
        )


_F16, _F32 = np.dtype(np.float16), np.dtype(np.float32)
_BF16 = np.dtype(ml_dtypes.bfloat16)
_SMALL = 1024  # elements: below, numpy's own conversion beats our ~20 µs of calls

# numpy converts between float16 and float32 one element at a time in software (no F16C
# in its x86 baseline): ~1.4 ns and ~2.5 ns per element here, and 5-30x that for float16
# subnormals, which loss-scaled gradients are full of. The conversions below are whole-array
# integer and float passes instead, exact to the bit, at one cost for every value.


def half_to_float(h: np.ndarray) -> np.ndarray:
    """``h.astype(np.float32)`` for a float16 array (with ``h``'s strides when it is dense)."""
    if h.size < _SMALL:
        return h.astype(np.float32)
    if (out := _c_or_f(half_to_float, h)) is not None:
        return out
    out = np.empty_like(h, dtype=np.float32)
    special = []
    for_chunks(_half_to_float, (_flat(h).view(np.uint16), _flat(out)), (special,))
    if special:
        bad = ~np.isfinite(h)
        out[bad] = h[bad]
    return out


_HALF_IN_FLOAT = np.uint32(0x8FFFE000).view(np.int32)  # sign, exponent and mantissa of a half
_REBIAS = np.float32(2.0**112)  # 2^(127 - 15): a half's exponent bias to a float's
_ALL_HALVES = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)


def _half_to_float(u16, out, special: list) -> None:
    """One chunk: the 16 bits, sign-extended and shifted left by 13, hold the half's sign in
    bit 31 and its exponent and mantissa where a float's low exponent bits and mantissa
    sit; the mask clears the sign's copies in bits 28-30, and multiplying by 2^112 rebiases
    the exponent. Subnormal halves are float32 subnormals there, which the FPU multiplies
    ~50x slower: a chunk with many (judged from a sample) is looked up in a table of all
    halves instead. Inf and NaN halves come out as floats of magnitude >= 2^16, above every
    finite half (65504): two reductions find them, for the caller to fix."""
    if _many_subnormals(u16[::64]):
        np.take(_ALL_HALVES, u16, out=out)
        return
    bits = out.view(np.int32)
    np.left_shift(u16.view(np.int16), 13, out=bits, dtype=np.int32)
    np.bitwise_and(bits, _HALF_IN_FLOAT, out=bits)
    out *= _REBIAS
    if out.size and not (out.max() < 65536 and out.min() > -65536):
        special.append(True)


def _many_subnormals(u16) -> bool:
    """Whether more than 1/64 of these halves (bits) are subnormal: then a table lookup
    (~1.4 ns each) beats multiplying float32 subnormals (~0.5 ns, ~40 ns if subnormal)."""
    twice = np.left_shift(u16, 1)  # the sign shifted out: nonzero subnormals are 2..0x7FE
    twice -= 2
    return np.count_nonzero(twice < 0x7FD) * 64 > u16.size


def float_to_half(a: np.ndarray) -> np.ndarray:
    """``a.astype(np.float16)`` for a float32 array (inf beyond float16's range, without
    numpy's overflow warning; with ``a``'s strides when it is dense)."""
    if a.size < _SMALL:
        with np.errstate(over="ignore", invalid="ignore"):
            return a.astype(np.float16)
    if (out := _c_or_f(float_to_half, a)) is not None:
        return out
    out = np.empty_like(a, dtype=np.float16)
    beyond = []
    for_chunks(_float_to_half, (_flat(a), _flat(out).view(np.uint16)), (beyond,))
    if beyond:
        with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN are answers here
            big = ~(np.abs(a) < 65520)
            out[big] = a[big]
    return out


_EXPONENT = np.uint32(0x7F800000)
_MAGIC = np.uint32(0x06C00000)  # exponent + 13, mantissa 1.5: c = 1.5 * 2^(e + 13)
_SUBNORMAL_MAGIC = np.float32(0.75)  # c for |x| < 2^-14: the quantum 2^-24 of subnormal halves
_OFFSET = np.uint16(0xFA00)  # (0.75's bits >> 13) mod 2^16, taken back off
_HALF_LIMIT = 0x7C00 + 0x1FA00  # above: beyond float16 (inf), or NaN
_SIGN = np.uint16(0x8000)
_HIGH = 1 if sys.byteorder == "little" else 0  # the float's high half-word holds its sign


def _float_to_half(x, h, beyond: list) -> None:
    """One chunk: x + c, with c = 1.5 * 2^(e + 13) for x's exponent e (0.75 below
    float16's normal range), rounds x to float16's quantum there (the FPU rounds to nearest
    even), and the bits of x + c minus those of c count quanta: k = +-(1024 + mantissa) for
    a normal half, +-mantissa for a subnormal one. |k| plus c's exponent, shifted into
    place, is the half's magnitude (a carry out of the mantissa lands in the exponent, as
    it must); x's sign is ORed in. Values beyond float16 (and NaN) are found by one
    reduction, for the caller to convert."""
    c, k = np.empty(x.shape, np.uint32), np.empty(x.shape, np.int32)
    np.bitwise_and(x.view(np.uint32), _EXPONENT, out=c)
    c += _MAGIC
    np.fmax(c.view(np.float32), _SUBNORMAL_MAGIC, out=c.view(np.float32))
    with np.errstate(invalid="ignore"):  # a signalling NaN is "invalid" there
        np.add(x, c.view(np.float32), out=k.view(np.float32))
    np.subtract(k, c.view(np.int32), out=k)
    np.abs(k, out=k)
    c >>= 13
    np.add(k, c.view(np.int32), out=k)
    if k.size and k.max() > _HALF_LIMIT:
        beyond.append(True)
    np.copyto(h, k, casting="unsafe")  # the low 16 bits
    h -= _OFFSET
    h |= np.bitwise_and(x.view(np.uint16)[_HIGH::2], _SIGN)


def _c_or_f(fn, a: np.ndarray):
    """``fn(a)`` of an array in neither C nor Fortran order, with PyTorch's preserve_format
    strides: on its contiguous permuted view when it is dense, else on a dense copy in that
    order; None for an array in C or Fortran order."""
    if a.flags.c_contiguous or a.flags.f_contiguous:
        return None
    from .memory_order import copy_preserving, in_memory_order  # noqa: PLC0415  (a cycle)

    if min(a.strides) < 0:  # no PyTorch layout (a numpy flip): C order, as astype gives
        return fn(np.ascontiguousarray(a))
    out = in_memory_order(fn, a)
    return fn(copy_preserving(a)) if out is None else out


def _flat(a: np.ndarray) -> np.ndarray:
    """The elements of a C- or Fortran-ordered array in memory order, as a 1-D view."""
    return a.reshape(-1, order="A")


def astype(a, dtype, copy: bool = True):
    """``a.astype(dtype, copy=copy)`` for an array of any device; on the host, float16 to
    float32 runs through ``half_to_float`` and float32 to float16 through ``float_to_half``.
    float64 becomes float16 through float32, rounded twice, as PyTorch's cast does."""
    if type(a) is np.ndarray:
        if a.dtype == _F16 and dtype == np.float32:
            return half_to_float(a)
        if a.dtype == _F32 and dtype == np.float16:
            return float_to_half(a)
        if a.dtype == np.float64 and dtype == np.float16:
            return float_to_half(a.astype(_F32))
    elif a.dtype == np.float64 and dtype == np.float16:
        return a.astype(_F32).astype(dtype)
    return a.astype(dtype, copy=copy)


def half_relu(a):
    """PyTorch's relu of a float16 array, on its bits: the negative numbers other than -0.0
    and NaN (bits 0x8001-0xFC00) become 0. numpy's float16 ``maximum`` converts each element
    in software, ~50x slower."""
    bits = a.view(np.uint16)
    keep = np.subtract(bits, np.uint16(0x8001)) > 0x7BFF  # wraps around below 0x8001
    return np.multiply(bits, keep).view(a.dtype)


def half_relu_grad(g, out):
    """PyTorch's relu backward (``threshold_backward``) for float16, on the bits: ``g``
    where the relu output ``out`` is not +-0 (NaN outputs pass ``g``), else 0."""
    keep = np.bitwise_and(out.view(np.uint16), np.uint16(0x7FFF)) != 0
    return np.multiply(g.view(np.uint16), keep).view(g.dtype)
