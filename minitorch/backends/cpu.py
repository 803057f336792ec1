"""``minitorch.backends.cpu``: mirrors ``torch.backends.cpu``. minitorch's CPU kernels are
numpy's, which pick their SIMD at run time; ``get_cpu_capability`` reports the level PyTorch
would dispatch to on this CPU, for scripts that log or branch on it."""

from __future__ import annotations

import os
import platform
import warnings

# PyTorch's DispatchStub (compute_cpu_capability): AVX512 needs AVX-512 F/BW/VL/DQ and FMA,
# AVX2 needs AVX2 and FMA; ATEN_CPU_CAPABILITY=avx512/avx2/default overrides the CPU.
_LEVELS = (
    ("AVX512", {"avx512f", "avx512bw", "avx512vl", "avx512dq", "fma"}),
    ("AVX2", {"avx2", "fma"}),
)


def _cpu_flags() -> set[str]:
    """The CPU's feature flags as Linux lists them (none elsewhere or when unreadable)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def get_cpu_capability() -> str:
    """Mirrors ``torch.backends.cpu.get_cpu_capability``: "AVX512", "AVX2" or "DEFAULT" on x86
    (PyTorch's rule, from the CPU's flags or ATEN_CPU_CAPABILITY), "DEFAULT" elsewhere."""
    forced = os.environ.get("ATEN_CPU_CAPABILITY")
    if forced is not None:
        if forced in ("avx512", "avx2", "default"):
            return forced.upper()
        warnings.warn(f"ignoring invalid value for ATEN_CPU_CAPABILITY: {forced}", stacklevel=2)
    if platform.machine().lower() not in ("x86_64", "amd64", "i386", "i686"):
        return "DEFAULT"
    flags = _cpu_flags()
    return next((name for name, needs in _LEVELS if needs <= flags), "DEFAULT")
