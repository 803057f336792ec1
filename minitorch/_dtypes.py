"""dtypes (``torch.float32`` ...) and PyTorch's type-promotion rules."""

from __future__ import annotations

import ml_dtypes
import numpy as np

BF16_NP = np.dtype(ml_dtypes.bfloat16)  # numpy has no bfloat16; ml_dtypes rounds as PyTorch does
# the 16-bit floats PyTorch's CPU kernels compute in float32 and round once
HALF_NP = (np.dtype(np.float16), BF16_NP)


class dtype:
    """A tensor element type; mirrors ``torch.dtype``. Wraps one numpy dtype."""

    __module__ = "minitorch"  # type(x.dtype) prints <class 'minitorch.dtype'>
    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")
    is_complex = False  # no complex dtypes here

    def __init__(self, name: str, np_dtype: type) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        kind = "f" if self.np == BF16_NP else self.np.kind  # ml_dtypes' kind is "V"
        self.is_floating_point = kind == "f"
        self.is_signed = kind in "fi"
        self.itemsize = self.np.itemsize
        self._category = {"b": 0, "u": 1, "i": 1, "f": 2}[kind]

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return self.name


# how PyTorch's messages name each dtype: (its C++ type, its scalar type)
CPP_NAMES = {
    "float16": ("c10::Half", "Half"),
    "float32": ("float", "Float"),
    "float64": ("double", "Double"),
    "bfloat16": ("c10::BFloat16", "BFloat16"),
    "int64": ("long int", "Long"),
    "int32": ("int", "Int"),
    "int16": ("short int", "Short"),
    "int8": ("signed char", "Char"),
    "uint8": ("unsigned char", "Byte"),
    "bool": ("bool", "Bool"),
}


def scalar_type_name(np_dtype) -> str:
    """PyTorch's scalar-type name of a numpy dtype ("Float" for float32, as its messages
    print it); numpy's name for a dtype PyTorch lacks."""
    return CPP_NAMES.get(np.dtype(np_dtype).name, ("", np.dtype(np_dtype).name))[1]


bool_ = dtype("bool", np.bool_)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)


bfloat16 = dtype("bfloat16", BF16_NP)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64)
_FROM_NP = {d.np: d for d in ALL}
_default_float = [float32]


def from_numpy_dtype(np_dtype) -> dtype:
    """The minitorch dtype of a numpy dtype; raises TypeError for unsupported ones."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        d = _FROM_NP.get(np.dtype(np_dtype))
        if d is None:
            raise TypeError(
                f"numpy dtype {np.dtype(np_dtype)} is not supported; supported: "
                + ", ".join(x.name for x in ALL)
            ) from None
        return d


def to_numpy_dtype(d) -> np.dtype:
    """Accepts a minitorch dtype, a numpy dtype or a Python type (float is float64, int is
    int64, bool is bool, as in PyTorch)."""
    if isinstance(d, dtype):
        return d.np
    if d is float:  # Python's float is a double, as in PyTorch
        return np.dtype(np.float64)
    if d is int:
        return np.dtype(np.int64)
    if d is bool:
        return np.dtype(np.bool_)
    if isinstance(d, str):  # PyTorch takes no dtype names ("float32") where a dtype is asked
        raise TypeError(f"argument 'dtype' must be minitorch.dtype, not str ({d!r})")
    return from_numpy_dtype(d).np


def get_default_dtype() -> dtype:
    """Mirrors ``torch.get_default_dtype``."""
    return _default_float[0]


def set_default_dtype(d: dtype) -> None:
    """Mirrors ``torch.set_default_dtype`` (float32, float64, float16 or bfloat16)."""
    if not isinstance(d, dtype) or d not in (float32, float64, float16, bfloat16):
        raise TypeError(f"only floating-point types are supported as the default type (got {d})")
    _default_float[0] = d


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """Mirrors ``torch.promote_types``."""
    a, b = type1, type2
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    if a._category == 2 and a.itemsize == b.itemsize:  # float16 with bfloat16
        return float32
    if a is uint8 or b is uint8:  # uint8 with a signed int goes to int16, like PyTorch
        other = b if a is uint8 else a
        return int16 if other is int8 else other
    return a if a.itemsize >= b.itemsize else b


def scalar_category(value) -> int:
    """The promotion category of a Python scalar: 0 bool, 1 int, 2 float (a numpy integer an
    int, a numpy bool a float, as PyTorch's argument parser reads them)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, np.integer)):
        return 1
    return 2


def result_type(dims: list, zero_dims: list, scalars: list) -> dtype:
    """PyTorch's result_type: tensors with dims win inside a category; 0-d tensors and
    Python scalars only lift the category (to the default dtype for a float scalar)."""
    result = None
    for d in dims:
        result = d if result is None else promote_types(result, d)
    best = None
    for d in zero_dims:
        best = d if best is None else promote_types(best, d)
    if best is not None and (result is None or best._category > result._category):
        result = best
    base = result
    for s in scalars:
        cat = scalar_category(s)
        if result is None or cat > result._category:
            result = {0: bool_, 1: int64, 2: _default_float[0]}[cat]
    if result is int64 and (base is None or base is bool_):  # the scalars chose an integer
        _refuse_uint64(base, scalars)
    return result


def uint64_promotion_error(first: str, second: str) -> RuntimeError:
    """PyTorch's error for a uint64 (a Python int in [2**63, 2**64)) promoted with another
    dtype, by their names."""
    return RuntimeError(
        "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
        f"{first} and {second}"
    )


def _refuse_uint64(base, scalars: list) -> None:
    """Raises where a Python int in [2**63, 2**64) (PyTorch's uint64 scalar) meets the bool
    tensors of dtype ``base`` or, among scalars alone, another scalar's dtype (promoted in
    order)."""
    names = ["UInt64" if type(s) is int and s >= 2**63 else ("Bool", "Long", "Double")[scalar_category(s)] for s in scalars]  # fmt: skip
    if "UInt64" not in names:
        return
    if base is not None:
        raise uint64_promotion_error("Bool", "UInt64")
    current = names[0]
    for name in names[1:]:
        if "UInt64" in (current, name) and current != name:
            raise uint64_promotion_error(current, name)
        current = name if current == "Bool" else current
