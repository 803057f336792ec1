"""The legacy typed constructors of ``torch.cuda`` (``torch.cuda.FloatTensor([1, 2])``,
``isinstance(t, torch.cuda.LongTensor)``): CPU ``minitorch.FloatTensor`` and kin on the GPU.
Without one, calling them raises PyTorch's TypeError."""

from __future__ import annotations

from .. import _legacy
from .._tensor import Tensor
from ..backends import cupy_backend


class _CudaTypedTensor(_legacy._TypedTensor):
    """``FloatTensor(...)`` builds a CUDA Tensor of the dtype; ``isinstance`` checks a CUDA
    tensor's dtype."""

    def __call__(cls, *args, device=None):
        if not cupy_backend.available():
            raise TypeError(
                f"type torch.cuda.{cls.__name__} not available. Torch not compiled with CUDA enabled."
            )
        return super().__call__(*args, device="cuda" if device is None else device)

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype and obj.is_cuda


def _typed(cpu: _legacy._TypedTensor) -> type:
    name = cpu.__name__
    doc = f"Mirrors the legacy ``torch.cuda.{name}``: a CUDA {cpu.dtype} Tensor constructor."
    return _CudaTypedTensor(name, (), {"dtype": cpu.dtype, "__doc__": doc})


FloatTensor = _typed(_legacy.FloatTensor)
DoubleTensor = _typed(_legacy.DoubleTensor)
HalfTensor = _typed(_legacy.HalfTensor)
LongTensor = _typed(_legacy.LongTensor)
IntTensor = _typed(_legacy.IntTensor)
ShortTensor = _typed(_legacy.ShortTensor)
CharTensor = _typed(_legacy.CharTensor)
ByteTensor = _typed(_legacy.ByteTensor)
BoolTensor = _typed(_legacy.BoolTensor)
