"""Questions about tensors and dtypes, answered without gradients: isclose, allclose, equal,
is_tensor, is_floating_point, is_complex, is_nonzero, numel, result_type, can_cast."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from .elementwise import broadcast_error, check_int_scalar, require_tensors
from .index import tensor_arg


def isclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """Mirrors ``torch.isclose``: |input - other| <= atol + rtol * |other|, elementwise
    (infinities are close to themselves; NaNs only with ``equal_nan``)."""
    require_tensors("isclose", input, other)
    a, b = input._data, other._data if isinstance(other, Tensor) else other
    if isinstance(other, Tensor) and a.dtype != b.dtype:
        names = (_dtypes.scalar_type_name(a.dtype), _dtypes.scalar_type_name(b.dtype))
        raise RuntimeError("{} did not match {}".format(*names))
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if tol < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {tol}")
    try:
        if a.dtype == np.bool_:
            return make_tensor(np.equal(a, b))
        return make_tensor(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
    except ValueError as e:
        raise broadcast_error("isclose", a, b) or RuntimeError(f"isclose: {e}") from None


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """Mirrors ``torch.allclose``: whether ``isclose`` holds everywhere."""
    require_tensors("allclose", input, other)
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """Mirrors ``torch.equal``: same shape and the same values (NaN equals nothing)."""
    tensor_arg("equal", "input", 1, input)
    tensor_arg("equal", "other", 2, other)
    return bool(input._data.shape == other._data.shape and (input._data == other._data).all())


def is_tensor(obj) -> bool:
    """Mirrors ``torch.is_tensor``."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """Mirrors ``torch.is_floating_point``."""
    return input._data.dtype.kind in "fV"


def is_complex(input: Tensor) -> bool:
    """Mirrors ``torch.is_complex`` (always False: minitorch has no complex dtypes)."""
    return False


def is_nonzero(input: Tensor) -> bool:
    """Mirrors ``torch.is_nonzero``: the truth of a one-element tensor."""
    n = input._data.size
    if n != 1:
        raise RuntimeError(
            f"Boolean value of Tensor with {'no values' if n == 0 else 'more than one value'} "
            "is ambiguous"
        )
    return bool(input._data.reshape(-1)[0])


def numel(input: Tensor) -> int:
    """Mirrors ``torch.numel``."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"numel(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    return int(input._data.size)


def result_type(tensor, other) -> _dtypes.dtype:
    """Mirrors ``torch.result_type``: the dtype an arithmetic op on the two (tensors or
    Python numbers) gives."""
    dims, zero_dims, scalars = [], [], []
    for x in (tensor, other):
        if isinstance(x, Tensor):
            (dims if x._data.ndim else zero_dims).append(x.dtype)
        else:
            if type(x) is int:
                check_int_scalar(x)
            scalars.append(x)
    return _dtypes.result_type(dims, zero_dims, scalars)


def can_cast(from_: _dtypes.dtype, to: _dtypes.dtype) -> bool:
    """Mirrors ``torch.can_cast``: whether type promotion allows the cast (no float to
    integer, no number to bool)."""
    return from_._category <= to._category


_LEGACY_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "bfloat16": "BFloat16Tensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}


def legacy_type(input: Tensor, dtype=None, non_blocking: bool = False, **kwargs):
    """Mirrors ``Tensor.type``: without ``dtype``, the legacy type name PyTorch code
    compares against ('torch.FloatTensor', 'torch.cuda.FloatTensor'); with a dtype or such
    a name ('torch.' or 'minitorch.' prefix), the tensor converted to it."""
    if dtype is None:
        cuda = ".cuda" if input.device.type == "cuda" else ""
        return f"torch{cuda}.{_LEGACY_NAMES[input.dtype.name]}"
    if isinstance(dtype, str):
        name = dtype.rsplit(".", 1)[-1]
        found = [d for d, legacy in _LEGACY_NAMES.items() if legacy == name]
        if not found:
            raise ValueError(f"invalid type: '{dtype}'")
        from .. import _dtypes  # noqa: PLC0415 (only for a string argument)

        converted = input.to(getattr(_dtypes, "bool_" if found[0] == "bool" else found[0]))
        return converted.cuda() if ".cuda." in dtype else converted
    if isinstance(dtype, type) and not hasattr(dtype, "dtype"):  # type(int): no tensor type
        raise ValueError(f"invalid type: '{dtype.__name__}'")
    dtype = getattr(dtype, "dtype", dtype)  # a dtype, or a class like FloatTensor
    if isinstance(dtype, property):  # the class Tensor itself: the default dtype
        from .. import _dtypes  # noqa: PLC0415 (only for this argument)

        dtype = _dtypes.get_default_dtype()
    return input.to(dtype)
