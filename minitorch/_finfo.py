"""finfo and iinfo: the numerical limits of dtypes (mirror ``torch.finfo``/``torch.iinfo``)."""

from __future__ import annotations

import builtins

import numpy as np

from . import _dtypes

_DEFAULT = object()  # finfo() with no argument: the default dtype


class finfo:
    """Mirrors ``torch.finfo``: bits, eps, max, min, tiny (= smallest_normal), resolution
    of a floating point dtype (the default dtype when none is given)."""

    __module__ = "minitorch"  # prints as <class 'minitorch.finfo'>

    def __init__(self, type=_DEFAULT) -> None:
        d = _dtypes.get_default_dtype() if type is _DEFAULT else _as_dtype(type, "finfo")
        if not d.is_floating_point:
            raise TypeError(
                "minitorch.finfo() requires a floating point input type. Use minitorch.iinfo "
                "to handle 'minitorch.finfo'"
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

    def __eq__(self, other) -> bool:
        return builtins.type(other) is finfo and other.dtype == self.dtype

    __hash__ = None  # unhashable, as PyTorch's

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
        d = _as_dtype(type, "iinfo")
        if d.np == np.bool_:
            raise TypeError("minitorch.bool is not supported by minitorch.iinfo")
        if d.is_floating_point:
            raise TypeError(
                "minitorch.iinfo() requires an integer input type. Use minitorch.finfo to "
                "handle 'minitorch.iinfo'"
            )
        info = np.iinfo(d.np)
        self.dtype = d.name
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)

    def __eq__(self, other) -> bool:
        return builtins.type(other) is iinfo and other.dtype == self.dtype

    __hash__ = None  # unhashable, as PyTorch's

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def _as_dtype(type, who: str) -> _dtypes.dtype:
    """A minitorch dtype from a dtype or a Python scalar type (float, int, bool; complex is
    float64's finfo, as PyTorch's)."""
    if isinstance(type, _dtypes.dtype):
        return type
    if type in (float, int, bool, complex):
        return _dtypes.from_numpy_dtype(_dtypes.to_numpy_dtype(float if type is complex else type))
    raise TypeError(
        f"{who}(): argument 'type' (position 1) must be minitorch.dtype, not "
        f"{builtins.type(type).__name__}"
    )
