"""``minitorch.version`` (mirrors ``torch.version``): what scripts look at before using a
GPU toolkit (``torch.version.cuda``, ``torch.version.hip``)."""

from __future__ import annotations

__version__ = "0.1.0"
hip = None  # no ROCm build
rocm = None
xpu = None
debug = False
git_version = "unknown"


def __getattr__(name: str):
    """``cuda``: the CUDA runtime version of cupy's build ("12.4"), or None without cupy
    (looked up on first use, so that importing minitorch never imports cupy)."""
    if name != "cuda":
        raise AttributeError(f"module 'minitorch.version' has no attribute '{name}'")
    from .backends.cupy_backend import cupy  # noqa: PLC0415

    if cupy is None:
        return None
    v = cupy.cuda.runtime.runtimeGetVersion()
    return f"{v // 1000}.{v % 1000 // 10}"
