"""``minitorch.backends.cuda``: mirrors the flags of ``torch.backends.cuda`` that training
scripts set (``torch.backends.cuda.matmul.allow_tf32 = True``). They are stored and have no
effect: cupy picks its own matmul precision."""

from types import SimpleNamespace

matmul = SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True)


def is_built() -> bool:
    """Mirrors ``torch.backends.cuda.is_built``: whether cupy (minitorch's CUDA) imports."""
    from .cupy_backend import cupy  # noqa: PLC0415

    return cupy is not None
