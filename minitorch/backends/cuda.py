"""``minitorch.backends.cuda``: mirrors the flags of ``torch.backends.cuda`` that training
scripts set (``torch.backends.cuda.matmul.allow_tf32 = True``). They are stored and have no
effect: cupy picks its own matmul precision."""

import contextlib
from types import SimpleNamespace

matmul = SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True)


def is_built() -> bool:
    """Mirrors ``torch.backends.cuda.is_built``: whether cupy (minitorch's CUDA) imports."""
    from .cupy_backend import cupy  # noqa: PLC0415

    return cupy is not None


_sdp = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def _sdp_flag(name: str):
    def enabled() -> bool:
        return _sdp[name]

    def enable(on: bool) -> None:
        _sdp[name] = bool(on)

    enabled.__doc__ = f"Mirrors ``torch.backends.cuda.{name}_sdp_enabled`` (a stored flag)."
    enable.__doc__ = f"Mirrors ``torch.backends.cuda.enable_{name}_sdp`` (stored, no effect)."
    return enabled, enable


flash_sdp_enabled, enable_flash_sdp = _sdp_flag("flash")
mem_efficient_sdp_enabled, enable_mem_efficient_sdp = _sdp_flag("mem_efficient")
math_sdp_enabled, enable_math_sdp = _sdp_flag("math")
cudnn_sdp_enabled, enable_cudnn_sdp = _sdp_flag("cudnn")


@contextlib.contextmanager
def sdp_kernel(
    enable_flash: bool = True,
    enable_math: bool = True,
    enable_mem_efficient: bool = True,
    enable_cudnn: bool = True,
):
    """Mirrors the deprecated ``torch.backends.cuda.sdp_kernel``: sets the flags inside
    the block (minitorch's attention has one kernel, so they change nothing)."""
    saved = dict(_sdp)
    _sdp.update(
        flash=enable_flash, math=enable_math, mem_efficient=enable_mem_efficient, cudnn=enable_cudnn
    )
    try:
        yield
    finally:
        _sdp.update(saved)
