"""Process-wide switches of ``torch`` that training scripts set in their first lines
(determinism, threads, matmul precision, ``torch.compile``). minitorch's CPU ops are already
deterministic and it has no compiler, so these keep their values for the getters and change
no result: scripts that call them run unchanged, with the same numbers."""

from __future__ import annotations

import os
import warnings

from .backends import Device, check_default_device, chunked
from .backends.blas_threads import set_blas_threads

_state = {
    "deterministic": False,
    "warn_only": False,
    "threads": os.cpu_count() or 1,
    "interop_threads": os.cpu_count() or 1,
    "matmul_precision": "highest",
    "warn_always": False,
}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Mirrors ``torch.use_deterministic_algorithms`` (minitorch's ops are deterministic
    either way)."""
    _state["deterministic"], _state["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """Mirrors ``torch.are_deterministic_algorithms_enabled``."""
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """Mirrors ``torch.is_deterministic_algorithms_warn_only_enabled``."""
    return _state["warn_only"]


def set_warn_always(b: bool) -> None:
    """Mirrors ``torch.set_warn_always`` (kept for the getter: minitorch's warnings follow
    Python's ``warnings`` filters)."""
    _state["warn_always"] = bool(b)


def is_warn_always_enabled() -> bool:
    """Mirrors ``torch.is_warn_always_enabled``."""
    return _state["warn_always"]


def set_num_threads(num: int) -> None:
    """Mirrors ``torch.set_num_threads``: the threads of numpy's BLAS (where its OpenBLAS
    can be found in the process) and of minitorch's chunked elementwise passes."""
    if int(num) <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {num}")
    _state["threads"] = int(num)
    set_blas_threads(int(num))
    chunked.THREADS = min(chunked.MAX_THREADS, int(num))


def get_num_threads() -> int:
    """Mirrors ``torch.get_num_threads``."""
    return _state["threads"]


def set_num_interop_threads(num: int) -> None:
    """Mirrors ``torch.set_num_interop_threads`` (minitorch runs no inter-op thread pool:
    the number is kept for the getter)."""
    if int(num) <= 0:
        raise RuntimeError(f"set_num_interop_threads expects a positive integer, got {num}")
    _state["interop_threads"] = int(num)


def get_num_interop_threads() -> int:
    """Mirrors ``torch.get_num_interop_threads``."""
    return _state["interop_threads"]


def set_float32_matmul_precision(precision: str) -> None:
    """Mirrors ``torch.set_float32_matmul_precision`` ('highest', 'high' or 'medium'; any
    other value warns and changes nothing); float32 matmuls stay float32 in minitorch."""
    if precision not in ("highest", "high", "medium"):
        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the "
            "set_float32_matmul_precision call has no effect.",
            stacklevel=2,
        )
        return
    _state["matmul_precision"] = precision


def get_float32_matmul_precision() -> str:
    """Mirrors ``torch.get_float32_matmul_precision``."""
    return _state["matmul_precision"]


def compile(model=None, **kwargs):  # noqa: A001  (torch.compile's name)
    """Mirrors ``torch.compile``: minitorch has no compiler, so a function comes back
    unchanged and a module wrapped in an ``OptimizedModule`` (``_orig_mod``, state_dict keys
    ``_orig_mod.*`` as PyTorch's) that runs it as it is; works as ``compile(m)``,
    ``@compile`` and ``@compile(mode=...)``."""
    from .nn.modules.module import Module  # noqa: PLC0415  (nn imports the core, not back)
    from .nn.modules.optimized import OptimizedModule  # noqa: PLC0415

    if model is None:
        return compile
    return OptimizedModule(model) if isinstance(model, Module) else model


def set_default_device(device) -> None:
    """Mirrors ``torch.set_default_device`` for the CPU (and None), minitorch's only
    default device; another device raises NotImplementedError."""
    check_default_device(device)


def get_default_device() -> Device:
    """Mirrors ``torch.get_default_device``: always the CPU here."""
    return Device("cpu")
