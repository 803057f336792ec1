"""The CUDA backend: cupy arrays, cupy's random streams, memory pool statistics."""

from __future__ import annotations

import os

import numpy as np

try:
    import cupy
except ImportError:  # pragma: no cover - depends on the machine
    cupy = None

INSTALL_HINT = (
    "CUDA tensors need cupy: install it with `pip install 'minitorch[cuda]'` "
    "(or the cupy wheel that matches your CUDA, e.g. `pip install cupy-cuda12x`)"
)


def available() -> bool:
    """Whether cupy imports and sees at least one GPU."""
    if cupy is None:
        return False
    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - no driver, no device: all mean "not available"
        return False


def refuse_bfloat16(array) -> None:
    """cupy has no bfloat16 type: a clear error for a host array of one going to the GPU."""
    if array.dtype.kind == "V":  # ml_dtypes' bfloat16
        raise TypeError(
            "minitorch has no bfloat16 tensors on cuda: cupy, its GPU array library, has no "
            "bfloat16 type. Use minitorch.float16 or float32 on the GPU"
        )


class _CupyRng:
    """numpy.random.Generator's methods (the ones minitorch uses) on a cupy stream."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._state = cupy.random.RandomState(seed % 2**63)

    def random(self, shape, dtype=np.float32):
        if np.dtype(dtype) == np.float16:
            return self._state.random_sample(shape, dtype=np.float32).astype(np.float16)
        return self._state.random_sample(shape, dtype=dtype)

    def standard_normal(self, shape, dtype=np.float32):
        if np.dtype(dtype) == np.float16:
            return self._state.standard_normal(shape, dtype=np.float32).astype(np.float16)
        return self._state.standard_normal(shape, dtype=dtype)

    def standard_gamma(self, alpha, dtype=np.float64):
        return self._state.standard_gamma(alpha, size=alpha.shape, dtype=dtype)

    def poisson(self, rate):
        return self._state.poisson(rate, size=rate.shape)

    def binomial(self, count, prob):
        shape = np.broadcast_shapes(count.shape, prob.shape)
        return self._state.binomial(count, prob, size=shape)

    def uniform_values(self, shape, dtype, low: float, high: float):
        u = self.random(shape, np.float64 if np.dtype(dtype) == np.float64 else np.float32)
        return (u * (high - low) + low).astype(dtype, copy=False)

    def normal_values(self, shape, dtype, mean: float, std: float):
        z = self.standard_normal(shape, np.float64 if np.dtype(dtype) == np.float64 else np.float32)
        return (z * std + mean).astype(dtype, copy=False)

    per_element_normal_values = normal_values  # the CPU stream's name for normal_ of a view

    def log_normal_values(self, shape, dtype, mean: float, std: float):
        return cupy.exp(self.standard_normal(shape, np.float64) * std + mean).astype(dtype)

    def words(self, n: int):
        return self._state.randint(0, 2**32, n, dtype=np.uint64)

    def random_int64(self) -> int:
        return int(self._state.randint(0, 2**63 - 1, dtype=np.int64))

    def integers(self, low, high, shape, dtype=np.int64):
        return self._state.randint(low, high, shape, dtype=dtype)

    def permutation(self, n):
        return self._state.permutation(n)

    def choice(self, n, size, replace=True, p=None):
        return self._state.choice(n, size, replace=replace, p=p)


class CudaUnavailableError(RuntimeError, AssertionError):
    """CUDA asked for where there is none: a RuntimeError, and also the AssertionError that
    PyTorch's CPU build raises ("Torch not compiled with CUDA enabled"), so code that catches
    either keeps working."""


class CupyBackend:
    """Array module, random streams, synchronisation and memory stats for CUDA devices."""

    name = "cuda"

    def __init__(self) -> None:
        if not available():
            raise CudaUnavailableError(
                "CUDA is not available: " + (INSTALL_HINT if cupy is None else "no GPU was found")
            )
        self.xp = cupy
        self._peak = self._peak_reserved = 0
        self.use_fused = os.environ.get("MINITORCH_FUSED", "1") != "0"

    @property
    def device(self):
        from . import Device  # noqa: PLC0415

        return Device("cuda", cupy.cuda.runtime.getDevice())

    def make_rng(self, seed: int):
        return _CupyRng(seed)

    def rng_state(self, rng) -> dict:
        raise NotImplementedError("saving a CUDA generator's state is not supported; reseed it")

    def set_rng_state(self, rng, state) -> None:
        raise NotImplementedError("restoring a CUDA generator's state is not supported; reseed it")

    def from_host(self, array, index: int | None):
        refuse_bfloat16(array)
        with cupy.cuda.Device(index):  # None: the current GPU (torch.cuda.set_device)
            return cupy.asarray(array)

    def kernel(self, name: str):
        """The fused kernel registered for op ``name`` (cupy_kernels.KERNELS), or None when
        there is none or fused kernels are off (``use_fused``; MINITORCH_FUSED=0)."""
        if not self.use_fused:
            return None
        from .cupy_kernels import KERNELS  # noqa: PLC0415 (compiles nothing until called)

        return KERNELS.get(name)

    def synchronize(self) -> None:
        """Waits for the work of all streams on the current GPU, as torch.cuda.synchronize."""
        cupy.cuda.Device().synchronize()

    @staticmethod
    def linalg_errors():
        """A block in which cupy.linalg raises numpy's LinAlgError for a singular or not
        positive-definite input, as numpy.linalg does (cupy's default ignores the solver's
        status and returns what it computed); reading the status syncs, as PyTorch's
        CUDA checks do."""
        import cupyx  # noqa: PLC0415

        return cupyx.errstate(linalg="raise")

    @staticmethod
    def matmul(a, b, bias=None, scale=None, dtype=None):
        """``(a @ b) * scale + bias`` (each part optional, in place), in ``dtype`` (default:
        the operands'): float16 products run on cuBLAS tensor cores, accumulating in
        float32."""
        out = cupy.matmul(a, b)
        if scale is not None:
            out *= scale
        if bias is not None:
            out += bias
        return out if dtype is None else out.astype(dtype, copy=False)

    def memory_allocated(self) -> int:
        used = cupy.get_default_memory_pool().used_bytes()
        self._peak = max(self._peak, used)
        return used

    def max_memory_allocated(self) -> int:
        """Peak of the pool's used bytes, sampled at each memory query and at synchronize;
        cupy keeps no exact peak of its own."""
        return max(self._peak, self.memory_allocated())

    def memory_reserved(self) -> int:
        """Bytes held by cupy's pool, in use or cached."""
        total = cupy.get_default_memory_pool().total_bytes()
        self._peak_reserved = max(self._peak_reserved, total)
        return total

    def max_memory_reserved(self) -> int:
        """Peak of the pool's bytes, sampled at each memory query and before ``empty_cache``
        (the only time the pool gives memory back)."""
        return max(self._peak_reserved, self.memory_reserved())

    def reset_peak_memory_stats(self) -> None:
        self._peak = self._peak_reserved = 0

    def empty_cache(self) -> None:
        self.memory_reserved()
        cupy.get_default_memory_pool().free_all_blocks()
