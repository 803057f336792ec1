"""finfo and iinfo: the numerical limits of dtypes (mirror ``torch.finfo``/``torch.iinfo``)."""

from __future__ import annotations

import numpy as np

from . import _dtypes


class finfo:
    """Mirrors ``torch.finfo``: bits, eps, max, min, tiny (= smallest_normal), resolution
    of a floating point dtype (the default dtype when none is given)."""

    __module__ = "minitorch"  # prints as <class 'minitorch.finfo'>

    def __init__(self, type=None) -> None:
        d = _dtypes.get_default_dtype() if type is None else _as_dtype(type)
        if not d.is_floating_point:
            raise TypeError(
                f"finfo() requires a floating point input type, got {d.name}: use iinfo for "
                "integer dtypes"
            )
        self.dtype = d.name
        if d is _dtypes.bfloat16:  # float32's range with 8 significant bits
            f32 = np.finfo(np.float32)
            self.bits, self.eps, self.resolution = 16, 2.0**-7, 0.01
            self.max = float(np.float32(2.0**128 - 2.0**120))
            self.min, self.tiny = -self.max, float(f32.smallest_normal)
            self.smallest_normal = self.tiny
            return
        info = np.finfo(d.np)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """Mirrors ``torch.iinfo``: bits, max, min of an integer dtype (bool is not one)."""

    __module__ = "minitorch"  # prints as <class 'minitorch.iinfo'>

    def __init__(self, type) -> None:
        d = _as_dtype(type)
        if d.is_floating_point or d.np == np.bool_:
            raise TypeError(
                f"iinfo() requires an integer input type, got {d.name}: use finfo for "
                "floating point dtypes"
            )
        info = np.iinfo(d.np)
        self.dtype = d.name
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def _as_dtype(type) -> _dtypes.dtype:
    """A minitorch dtype from a dtype (or a tensor's dtype, as PyTorch also accepts)."""
    if isinstance(type, _dtypes.dtype):
        return type
    try:
        return _dtypes.from_numpy_dtype(_dtypes.to_numpy_dtype(type))
    except (TypeError, KeyError, ValueError):
        raise TypeError(f"finfo/iinfo: expected a dtype, got {type!r}") from None
