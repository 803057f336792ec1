"""Tensor factories (tensor, zeros, arange, randn, ...) and numpy/DLPack interop."""

from __future__ import annotations

import functools
import math
import operator
import warnings

import numpy as np

from . import _dtypes
from ._complex import no_complex
from ._float_arange import ONE_THREAD, float_arange
from ._linspace import linspace_values, logspace_values
from ._numpy_warnings import numpy_quiet
from ._tensor import Tensor, check_can_require_grad, make_tensor
from ._warn_once import warn_once
from .autograd import forward_ad
from .autograd.grad_mode import is_grad_enabled
from .autograd.underivable import ZeroDerivative
from .backends import checked_index, get_backend, on_host, to_device
from .backends.memory_order import (
    copy_preserving,
    dense_order,
    format_order,
    laid_out,
)
from .backends.numpy_backend import astype
from .random import generator_rng, multinomial_draws


def _finish(data, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if dtype is not None:
        data = astype(data, _dtypes.to_numpy_dtype(dtype), copy=False)
    if device is not None:
        data = to_device(data, device)
    t = make_tensor(data)
    if requires_grad:
        check_can_require_grad(data)
        t.requires_grad = True
    return t


def _to_array(data, dtype=None, device=None):
    """A new backend array from Python data, numpy arrays or tensors (PyTorch's inference:
    Python floats give the default float dtype, ints int64, bools bool)."""
    if isinstance(data, Tensor):
        arr = data._data.copy(order="K")  # PyTorch's clone keeps the dims' memory order
    elif isinstance(data, (np.ndarray, np.generic)):  # numpy keeps its dtype, as in PyTorch
        if isinstance(data, np.str_ | np.bytes_):  # read as Python str/bytes are
            raise TypeError(f"new(): invalid data type '{_type_name(data)}'")
        if isinstance(data, np.generic) and dtype is not None:
            kind = _dtypes.to_numpy_dtype(dtype).kind
            if kind in "iub":
                _check_indices(data, kind == "b")
        _check_numpy_kind(data)
        _check_strides(data)
        arr = np.array(data)
    elif hasattr(data, "__cuda_array_interface__") or type(data).__module__.startswith("cupy"):
        arr = data.copy()
    else:
        if isinstance(data, (list, tuple)) and data and isinstance(data[0], np.ndarray):
            warn_once(
                "Creating a tensor from a list of numpy.ndarrays is extremely slow. Please "
                "consider converting the list to a single numpy.ndarray with numpy.array() "
                "before converting to a tensor.",
                stacklevel=4,
            )
        try:
            items = _unwrap(data)
        except RecursionError:  # a list holding itself (checked only on this error path)
            raise TypeError("new(): self-referential lists are incompatible") from None
        try:
            arr = np.array(items)
        except ValueError:
            arr = np.array(None, dtype=object)
        except TypeError:  # a sequence object whose items can't be read
            if isinstance(items, list):
                raise
            name = type(data).__name__
            raise ValueError(f"could not determine the shape of object type '{name}'") from None
        if arr.dtype == object and (odd := _odd_type(items)) is not None and odd is not str:
            if dtype is None:  # None or an object among numbers
                raise RuntimeError(f"Could not infer dtype of {_tp_name(odd)}")
            _raise_not_number(odd, dtype)
        if dtype is not None and arr.dtype.kind in "fbVO":  # (only then may one be odd)
            if (kind := _dtypes.to_numpy_dtype(dtype).kind) in "iub":
                _check_indices(data, kind == "b")
        big = arr.dtype in (np.uint64, object)  # ints beyond int64 (or a ragged list)
        if arr.dtype == np.float64 and dtype is None and abs(arr).max(initial=0) >= 2.0**63:
            big = not _has_float(items)  # numpy's float64 for ints beyond int64: PyTorch's error
            arr = arr.astype(np.uint64) if big else arr
        elif big and dtype is None and _has_float(items):
            dtype = _entry_dtype(data)  # a float among them: all read as floats
        if big and dtype is not None and _dtypes.to_numpy_dtype(dtype).kind in "fVb":
            try:  # read as Python floats, as PyTorch does for a float (or bool) dtype
                arr = np.array(items, dtype=np.float64)
            except (TypeError, ValueError):
                pass
        if arr.dtype.kind == "f" and dtype is None:  # PyTorch's float dtype for the entries
            with numpy_quiet():  # (a number beyond float16's range is inf, silently)
                arr = arr.astype(_entry_dtype(data).np, copy=False)
        elif arr.dtype == np.uint64:  # beyond int64, as PyTorch reads Python ints
            raise ValueError("Overflow when unpacking long long")
        elif arr.dtype == object:
            odd = _odd_type(items)
            if odd is not None:
                raise RuntimeError(f"Could not infer dtype of {_tp_name(odd)}")
            target = None if dtype is None else _dtypes.to_numpy_dtype(dtype)
            if target is not None and target.kind in "iu":  # ints beyond int64 among others
                error = _first_unfit(items, np.iinfo(target), target)
                if error is not None:
                    raise error
            raise _ragged_error(items)
        elif arr.dtype.kind not in "biufc" and arr.dtype != _dtypes.BF16_NP:  # (bfloat16
            first = items  # 0-d tensors among the items give a bfloat16 array)
            while isinstance(first, (list, tuple)) and first:
                first = first[0]
            if isinstance(first, str) and first is not items:  # PyTorch reads it as a sequence
                raise ValueError("too many dimensions 'str'")
            if dtype is not None and not isinstance(first, (str, bytes)):  # after a number
                _raise_not_number(_odd_type(items), dtype)
            name = {"U": "str", "S": "bytes"}.get(arr.dtype.kind, type(data).__name__)
            raise TypeError(f"new(): invalid data type '{name}'")
        if dtype is not None and arr.size:
            _check_fits(arr, _dtypes.to_numpy_dtype(dtype), items)
    if arr.dtype.kind == "c":
        raise NotImplementedError(no_complex(f"tensor() of {arr.dtype} data"))
    if arr.dtype not in _dtypes._FROM_NP:
        arr = arr.astype(_dtypes.get_default_dtype().np if arr.dtype.kind in "fV" else np.int64)
    if dtype is not None:
        with numpy_quiet():  # a number beyond a float dtype's range is inf, silently
            arr = astype(arr, _dtypes.to_numpy_dtype(dtype), copy=False)
    if device is not None:
        arr = to_device(arr, device)
    return arr


def _check_indices(data, to_bool: bool, nested: bool = False) -> None:
    """PyTorch reads each number it stores into an integer or bool dtype as an index: a
    numpy float other than float64 (a Python float), a numpy bool (but into bool) or, in a
    list, a floating tensor is its TypeError."""
    if isinstance(data, (list, tuple)):
        for x in data:
            _check_indices(x, to_bool, True)
    elif isinstance(data, Tensor):
        if nested and data._data.dtype.kind in "fV":
            raise TypeError("only integer tensors of a single element can be converted to an index")
    elif isinstance(data, np.generic) and not isinstance(data, float):
        if isinstance(data, np.floating) or (isinstance(data, np.bool_) and not to_bool):
            raise TypeError(
                f"'numpy.{type(data).__name__}' object cannot be interpreted as an integer"
            )


def _check_fits(arr, target, items) -> None:
    """PyTorch refuses Python numbers out of an integer dtype's range: it stores the
    elements one by one, so the first that does not fit decides the error (a Python int
    beyond int64 fails when it is read). Negative integers wrap into unsigned dtypes,
    negative floats do not (numpy's array of a mixed list no longer tells them apart: the
    Python objects do)."""
    if target.kind not in "iu" or arr.dtype.kind not in "iuf" or np.can_cast(arr.dtype, target):
        return
    info = np.iinfo(target)
    low = info.min if target.kind == "i" else -int(info.max)  # (down to -max wraps)
    from_float = arr.dtype.kind == "f" and target.kind == "u"
    fraction = from_float and ((arr < 0) & (arr != np.ceil(arr))).any()
    over = arr.max() > info.max or arr.min() < low or np.isnan(arr).any() or fraction
    if over or from_float and (arr < 0).any() or abs(arr).max() >= 2.0**63:
        error = _first_unfit(items, info, target)
        if error is not None:
            raise error
    if over:
        raise RuntimeError(f"value cannot be converted to type {target} without overflow")


def _first_unfit(items, info, target):
    """The error of the first Python number in the nested lists that ``target`` cannot
    store, or None."""
    if isinstance(items, (list, tuple)):
        errors = (_first_unfit(x, info, target) for x in items)
        return next((e for e in errors if e is not None), None)
    if isinstance(items, bool) or not isinstance(items, (int, float)):
        return None  # (tensors and arrays among the items: checked as a whole)
    if type(items) is int and not -(2**63) <= items < 2**63:
        return ValueError("Overflow when unpacking long long")
    low = -int(info.max) if type(items) is int and target.kind == "u" else info.min
    if math.isfinite(items) and low <= items <= info.max:
        return None
    return RuntimeError(f"value cannot be converted to type {target} without overflow")


def _unwrap(data):
    """Tensors in nested lists are scalars, as PyTorch reads them: one-element tensors
    become 0-d numpy arrays (their dtype counts), larger ones raise."""
    if isinstance(data, (list, tuple)):
        return [_unwrap(x) for x in data]
    if isinstance(data, Tensor):
        if data._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        arr = data._data.reshape(())
        return arr if isinstance(arr, np.ndarray) else arr.item()
    return data


_PYTHON_NUMBERS = {float, int, bool}


def _ragged_error(items) -> Exception:
    """PyTorch's error for nested lists that are no (N, M, ...) block: it takes the shape
    from the first element at each depth and checks every sequence against it (numpy
    arrays in the lists are sequences too)."""
    items = _listed(items)
    sizes, first = [], items
    while isinstance(first, (list, tuple)):
        sizes.append(len(first))
        if not first:
            break
        first = first[0]

    def check(x, depth: int) -> Exception | None:
        if depth == len(sizes):
            if isinstance(x, (list, tuple)):
                return TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
            return None
        if not isinstance(x, (list, tuple)):
            return TypeError("not a sequence")
        if len(x) != sizes[depth]:
            return ValueError(
                f"expected sequence of length {sizes[depth]} at dim {depth} (got {len(x)})"
            )
        return next((e for e in (check(v, depth + 1) for v in x) if e is not None), None)

    # a block numpy could not make numeric holds ints beyond 64 bits
    return check(items, 0) or ValueError("Overflow when unpacking long long")


def _listed(x):
    """Nested lists with the numpy arrays (of one or more dims) in them made lists."""
    if isinstance(x, np.ndarray) and x.ndim:
        return x.tolist()
    return [_listed(v) for v in x] if isinstance(x, (list, tuple)) else x


def _odd_type(items) -> type | None:
    """The type of the first entry of nested lists that is no number or array (None, an
    object), if any."""
    if isinstance(items, (list, tuple)):
        return next((t for t in map(_odd_type, items) if t is not None), None)
    return None if isinstance(items, (int, float, np.generic, np.ndarray)) else type(items)


def _tp_name(t: type) -> str:
    """A type's name as PyTorch's messages write it (CPython's ``tp_name``: a C type's module
    and name, such as ``numpy.ndarray`` or ``collections.OrderedDict``; a Python class its
    name)."""
    if t.__flags__ & (1 << 9) or t.__module__ == "builtins":  # Py_TPFLAGS_HEAPTYPE
        return t.__name__
    return f"{t.__module__}.{t.__qualname__}"


def _raise_not_number(odd: type, dtype) -> None:
    """PyTorch's error for an entry of type ``odd`` read as a number of ``dtype``."""
    if _dtypes.to_numpy_dtype(dtype).kind in "iub":
        raise TypeError(f"'{_tp_name(odd)}' object cannot be interpreted as an integer")
    raise TypeError(f"must be real number, not {_tp_name(odd)}")


def _has_float(items) -> bool:
    """Whether nested lists hold a float (PyTorch then reads every number as a float)."""
    if isinstance(items, (list, tuple)):
        return any(map(_has_float, items))
    return isinstance(items, (float, np.floating)) or (
        isinstance(items, np.ndarray) and items.dtype.kind in "fV"
    )


def _entry_dtype(data):
    """PyTorch's inferred dtype of (nested lists of) numbers: the promotion of the entries'
    types, Python floats the default dtype, ints int64, bools bool, numpy scalars, arrays and
    tensors their own (``[np.float16(1), 2]`` is float16)."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        try:
            return _dtypes.from_numpy_dtype(data.dtype.newbyteorder("="))
        except TypeError:  # a dtype minitorch lacks (its own error comes later)
            return _dtypes.get_default_dtype()
    if not isinstance(data, (list, tuple)):
        kinds = {type(data)}
    else:
        kinds = set(map(type, data))
        if not kinds <= _PYTHON_NUMBERS:
            return functools.reduce(_dtypes.promote_types, map(_entry_dtype, data))
    if kinds == {bool}:
        return _dtypes.bool_
    return _dtypes.int64 if kinds == {int} or kinds == {int, bool} else _dtypes.get_default_dtype()


def tensor(
    data, *, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False
) -> Tensor:
    """Mirrors ``torch.tensor``: always copies ``data``."""
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()"
            ".clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    return _finish(_to_array(data, dtype, device), None, None, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Mirrors ``torch.as_tensor``: shares memory with a tensor or numpy array when it can."""
    if isinstance(data, Tensor):
        out = data
        if dtype is not None:
            out = out.to(dtype)
        return out.to(device) if device is not None else out
    if isinstance(data, np.ndarray) and data.dtype in _dtypes._FROM_NP:
        _check_shareable(data)
        return _finish(_plain(data), dtype, device)
    return _finish(_to_array(data, dtype, device))


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """Mirrors ``torch.from_numpy``: shares memory."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {_type_name(ndarray)})")
    _check_numpy_kind(ndarray)
    _check_shareable(ndarray)
    _dtypes.from_numpy_dtype(ndarray.dtype)
    return make_tensor(_plain(ndarray))


def _plain(array: np.ndarray) -> np.ndarray:
    """The array as a plain ndarray sharing its memory (a masked array's mask and a matrix's
    2-D rules are numpy's, not the tensor's: PyTorch reads only the data)."""
    return array if type(array) is np.ndarray else array.view(np.ndarray)


def _check_numpy_kind(array) -> None:
    """Numpy arrays of strings, objects or dates hold no numbers (and long doubles no dtype
    of PyTorch's): PyTorch's TypeError."""
    if array.dtype.kind not in "biufc" or (array.dtype.kind == "f" and array.itemsize > 8):
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. The only "
            "supported types are: " + ", ".join(d.name for d in _dtypes.ALL) + "."
        )


def _check_strides(array) -> None:
    """PyTorch reads a numpy array's memory as it lies: one with a negative stride, a stride
    that is no multiple of the element size, or a non-native byte order is refused."""
    if any(s < 0 for s in array.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with "
            "negative strides are not currently supported. (You can probably work around "
            "this by making a copy of your array  with array.copy().) "
        )
    if any(s % array.itemsize for s in array.strides):
        raise ValueError(
            "given numpy array strides not a multiple of the element byte size. Copy the "
            "numpy array to reallocate the memory."
        )
    if not array.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported."
        )


def _check_shareable(array) -> None:
    """The checks of PyTorch's numpy import for a tensor sharing ``array``'s memory."""
    _check_strides(array)
    if not array.flags.writeable:  # TORCH_WARN_ONCE
        warn_once(
            "The given NumPy array is not writable, and PyTorch does not support non-writable "
            "tensors. This means writing to this tensor will result in undefined behavior. You "
            "may want to copy the array to protect its data or make it writable before "
            "converting it to a tensor. (In minitorch, writing to it raises.)",
            stacklevel=4,
        )


def from_dlpack(ext_tensor) -> Tensor:
    """Mirrors ``torch.from_dlpack``: shares memory with any DLPack producer or capsule."""
    if type(ext_tensor).__name__ == "PyCapsule":
        from .utils.dlpack import from_dlpack as from_capsule  # noqa: PLC0415

        return from_capsule(ext_tensor)
    if hasattr(ext_tensor, "__dlpack_device__") and ext_tensor.__dlpack_device__()[0] == 2:
        return make_tensor(get_backend("cuda").xp.from_dlpack(ext_tensor))
    return make_tensor(np.from_dlpack(ext_tensor))


def _given_shape(shape: tuple, size, name: str, negative: str | None = None) -> tuple:
    """A factory's sizes, given as ``*shape`` or ``size=``; none at all is PyTorch's
    TypeError (``torch.zeros(())`` makes a 0-d tensor, ``torch.zeros()`` raises)."""
    if size is not None:
        return _shape((size,), negative, name)
    if not shape:
        if name in ("rand", "randn"):
            raise TypeError(f"{name}() received an invalid combination of arguments - got ()")
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    return _shape(shape, negative, name)


def _shape(size, negative: str | None = None, name: str = "") -> tuple:
    """The sizes as a tuple of ints; ``negative``: the message of a negative size where
    PyTorch's factory has its own; ``name``: the factory that a TypeError names."""
    bare = len(size) == 1 and not isinstance(size[0], (tuple, list))
    unpacked = len(size) > 1  # sizes given as separate arguments
    if not bare and not unpacked:
        size = size[0]
    try:
        shape = tuple(operator.index(s) for s in size)
    except TypeError:
        pos, bad = next((i, s) for i, s in enumerate(size) if not _is_index(s))
        what = _type_name(bad)
        if bare:
            detail = f"(position 1) must be tuple of ints, not {what}"
        elif pos == 0 and unpacked and name not in ("rand", "randn"):  # zeros((2, 3), 1)
            raise TypeError(
                f"{name}() takes 1 positional argument but {len(size)} were given"
            ) from None
        elif pos == 0:  # PyTorch's parser words the first element and the others differently
            detail = (
                f"(position 1) must be tuple of ints, but found element of type {what} at pos 0"
            )
        else:
            detail = f'failed to unpack the object at pos {pos + 1} with error "type must be tuple of ints,but got {what}"'  # fmt: skip
        raise TypeError(f"{name}(): " * bool(name) + f"argument 'size' {detail}") from None
    if any(s < 0 for s in shape):
        bad = next(s for s in shape if s < 0)
        raise RuntimeError(
            negative or f"Trying to create tensor with negative dimension {bad}: {list(shape)}"
        )
    return shape


def _type_name(x) -> str:
    """The name of ``x``'s type as PyTorch's argument errors spell it (``numpy.ndarray``)."""
    return _tp_name(type(x))


def _is_index(s) -> bool:
    try:
        operator.index(s)
    except TypeError:
        return False
    return True


def _check_storage_size(shape, stride, itemsize: int) -> None:
    """PyTorch's error for a tensor whose bytes overflow int64 (``stride``: None when
    contiguous)."""
    extent = math.prod(shape) if stride is None else 1 + sum((n - 1) * s for n, s in zip(shape, stride))  # fmt: skip
    if all(shape) and extent * itemsize > np.iinfo(np.int64).max:
        strides = "" if stride is None else f" and strides={list(stride)}"
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}{strides}")


def _creator(np_fn, name):
    negative = f"{name}: Dimension size must be non-negative." if name == "zeros" else None

    def create(
        *shape,
        size=None,
        dtype=None,
        device=None,
        requires_grad: bool = False,
        out=None,
        layout=None,
        pin_memory=False,
    ) -> Tensor:
        if size is not None and shape:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        dt = _dtypes.to_numpy_dtype(dtype or _dtypes.get_default_dtype())
        xp = get_backend(device).xp
        shape = _given_shape(shape, size, name, negative)
        try:
            data = getattr(xp, np_fn)(shape, dtype=dt)
        except ValueError:  # numpy's 'array is too big'
            _check_storage_size(shape, None, dt.itemsize)
            raise
        return _finish(data, None, None, requires_grad)

    create.__name__ = create.__qualname__ = name
    create.__doc__ = f"Mirrors ``torch.{name}``."
    return create


zeros = _creator("zeros", "zeros")
ones = _creator("ones", "ones")
_empty = _creator("empty", "empty")


def empty(*size, memory_format=None, **kwargs) -> Tensor:
    """Mirrors ``torch.empty``; ``memory_format=torch.channels_last`` (or
    ``channels_last_3d``) lays the tensor out channels-last."""
    out = _empty(*size, **kwargs)
    name = getattr(memory_format, "name", "contiguous_format")
    if name == "contiguous_format":
        return out
    if name == "preserve_format":
        raise RuntimeError("unsupported memory format Preserve")
    a = out._data
    order = format_order(name, a.ndim)
    out._data = (
        get_backend(out.device)
        .xp.empty(tuple(a.shape[d] for d in order), dtype=a.dtype)
        .transpose(np.argsort(order).tolist())
    )
    return out


def full(size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Mirrors ``torch.full`` (the dtype follows ``fill_value`` when not given)."""
    if _is_index(size):  # torch.full(2, x): the size must be a sequence
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {_type_name(size)}"
        )
    if not isinstance(fill_value, (bool, int, float, np.generic, Tensor)) or (
        isinstance(fill_value, Tensor) and fill_value._data.ndim  # only a 0-d one is a Number
    ):
        raise TypeError(
            "full(): argument 'fill_value' (position 2) must be Number, not "
            f"{type(fill_value).__name__}"
        )
    if isinstance(fill_value, np.generic):  # as a Python number (a numpy bool as a float)
        fill_value = float(fill_value) if fill_value.dtype == np.bool_ else fill_value.item()
    elif isinstance(fill_value, Tensor):  # a 0-d one is read as its number (its kind's dtype)
        fill_value = fill_value.item()
    if type(fill_value) is int:  # read as a Scalar first
        from .ops.elementwise import check_int_scalar  # noqa: PLC0415

        check_int_scalar(fill_value)
    if dtype is None:
        dtype = _dtypes.result_type([], [], [fill_value])
    shape = _shape((size,))  # checked before the value's range
    xp = get_backend(device).xp
    target = _dtypes.to_numpy_dtype(dtype)
    if isinstance(fill_value, (float, int)):  # range-checked, then wrapped as PyTorch does
        from .ops.index import check_fill_value  # noqa: PLC0415

        fill_value = check_fill_value("", fill_value, target)
        fill_value = np.asarray(fill_value).astype(target).item()
    data = xp.full(shape, fill_value, dtype=target)
    return _finish(data, None, None, requires_grad)


def _in_layout_of(input: Tensor, memory_format, create, caller: str) -> Tensor:
    """``create(shape)`` laid out as PyTorch's ``*_like(input, memory_format=...)``: a
    non-contiguous input's strides kept (preserve_format, the default), C order
    (contiguous_format) or NHWC order (channels_last); ``caller`` the function refusing
    an input that is not a tensor."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{caller}(): argument 'input' (position 1) must be Tensor, not {_type_name(input)}"
        )
    a = input._data
    name = getattr(memory_format, "name", "preserve_format")
    if name == "contiguous_format" or a.flags.c_contiguous and name == "preserve_format":
        return create(a.shape)
    order = dense_order(a) if name == "preserve_format" else format_order(name, a.ndim)
    out = create(tuple(a.shape[d] for d in order))
    out._data = out._data.transpose(np.argsort(order).tolist())
    return out


def _like(fn, name):
    def create(
        input: Tensor, *, dtype=None, device=None, requires_grad: bool = False, memory_format=None,
        layout=None, pin_memory: bool = False,
    ) -> Tensor:  # fmt: skip
        return _in_layout_of(
            input,
            memory_format,
            lambda shape: fn(
                shape,
                dtype=dtype or input.dtype,
                device=device or input.device,
                requires_grad=requires_grad,
            ),
            name,
        )

    create.__name__ = create.__qualname__ = name
    create.__doc__ = f"Mirrors ``torch.{name}``."
    return create


zeros_like = _like(zeros, "zeros_like")
ones_like = _like(ones, "ones_like")
empty_like = _like(empty, "empty_like")


def full_like(
    input: Tensor,
    fill_value,
    *,
    dtype=None,
    device=None,
    requires_grad: bool = False,
    memory_format=None,
) -> Tensor:
    """Mirrors ``torch.full_like``."""
    return _in_layout_of(
        input,
        memory_format,
        lambda shape: full(
            shape,
            fill_value,
            dtype=dtype or input.dtype,
            device=device or input.device,
            requires_grad=requires_grad,
        ),
        "full_like",
    )


def arange(
    start=None, end=None, step=None, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    """Mirrors ``torch.arange`` (int64 for integer arguments, else the default float): its
    overloads ``arange(end)``, ``arange(start, end)`` and ``arange(start, end, step)``."""
    if end is None and step is not None:  # arange(3, step=0.5) matches no overload
        got = ", ".join(
            f"{k}={type(v).__name__}" if k else type(v).__name__
            for k, v in (("", start), ("step", step))
            if v is not None
        )
        raise TypeError(
            f"arange() received an invalid combination of arguments - got ({got}), but expected "
            "one of:\n * (Number end, ...)\n * (Number start, Number end, ...)\n * (Number start, "
            "Number end, Number step, ...)"
        )
    if end is None or start is None:  # arange(end) or arange(end=...)
        start, end = 0, start if end is None else end
    step = 1 if step is None else step
    if isinstance(end, Tensor) and end._data.ndim and start == 0:
        raise TypeError("arange(): argument 'end' (position 1) must be Number, not Tensor")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        dtype = (
            _dtypes.int64
            if all(isinstance(v, (int, np.integer)) for v in values)
            else _dtypes.get_default_dtype()
        )
    start, end, step = values
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    integral = np_dtype.kind in "iub" and not all(type(v) is int for v in values)
    if integral and np_dtype == np.int64:
        start, end, step = (int(v) for v in values)  # PyTorch truncates the bounds first
        if step == 0:
            raise ValueError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = max(int(np.ceil((end - start) / step)), 0)
    if n > np.iinfo(np.int64).max:
        raise RuntimeError("invalid size, possible overflow?")
    if np_dtype.kind in "fV" and n <= ONE_THREAD:
        return _finish(float_arange(start, step, n, np_dtype), None, device, requires_grad)
    xp = get_backend(device).xp
    if np_dtype.kind in "fV":
        data = start + step * xp.arange(n, dtype=np.float64)
    elif integral and np_dtype != np.int64:  # the size from the values, truncated start/step
        data = int(start) + int(step) * xp.arange(n, dtype=np.int64)
    else:
        data = xp.arange(start, end, step)
    return _finish(data, dtype, None, requires_grad)


def linspace(
    start, end, steps: int, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    """Mirrors ``torch.linspace`` (rounded as PyTorch's CPU kernel, see _linspace)."""
    start, end, steps = _range_arguments(start, end, steps, "linspace")
    np_dtype = _dtypes.to_numpy_dtype(dtype or _dtypes.get_default_dtype())
    if np_dtype == np.bool_ and steps:  # (no kernel runs for no steps)
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    from .ops.index import check_fill_value  # noqa: PLC0415

    for bound in (start, end)[: min(steps, 2)]:  # the bounds used must fit the dtype
        check_fill_value("", bound, np_dtype)  # (as PyTorch's scalars)
    for bound in (start, end):  # any Python number must be a Scalar
        check_fill_value("", bound, np.dtype(np.float64))
    with numpy_quiet():  # NaN or infinite bounds give NaN silently
        values = linspace_values(start, end, steps, np_dtype, get_backend(device).xp)
    return _finish(values, None, None, requires_grad)


def _range_arguments(start, end, steps, name: str) -> tuple:
    """linspace/logspace's ``start``, ``end`` as numbers (0-d tensors give their values) and
    ``steps`` as an int (a one-element integer tensor or numpy int gives its value)."""
    if not isinstance(steps, (int, np.integer, Tensor)):
        got = ", ".join(type(v).__name__ for v in (start, end, steps))
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({got}), but "
            "expected one of: (Tensor or Number start, Tensor or Number end, int steps)"
        )
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative, got {steps}")
    dims = [
        f"{which} with {v.ndim} dimension(s)"
        for which, v in (("start", start), ("end", end))
        if isinstance(v, Tensor) and v.ndim
    ]
    if dims:
        raise RuntimeError(
            f"{name} only supports 0-dimensional start and end tensors, but got "
            f"{' and '.join(dims)}."
        )
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    return start, end, steps.__index__()


def logspace(
    start,
    end,
    steps: int,
    base: float = 10.0,
    *,
    dtype=None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """Mirrors ``torch.logspace``."""
    start, end, steps = _range_arguments(start, end, steps, "logspace")
    dtype = dtype or _dtypes.get_default_dtype()
    kind = _dtypes.to_numpy_dtype(dtype).kind
    if kind == "b":
        raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
    xp = get_backend(device).xp
    if kind in "iu":  # PyTorch truncates the exponents' bounds to the integer dtype first
        return _finish(xp.logspace(int(start), int(end), steps, base=base), dtype, None, requires_grad)  # fmt: skip
    values = logspace_values(start, end, steps, base, _dtypes.to_numpy_dtype(dtype), xp)
    return _finish(values, None, None, requires_grad)


def eye(
    n: int, m: int | None = None, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    """Mirrors ``torch.eye``."""
    if not _is_index(n):
        raise TypeError(f"eye(): argument 'n' (position 1) must be int, not {_type_name(n)}")
    if m is not None and not _is_index(m):
        raise TypeError(
            f"eye() received an invalid combination of arguments - got (int, {_type_name(m)}), "
            "but expected one of:\n * (int n, *, torch.dtype dtype = None, ...)\n * (int n, int "
            "m, *, torch.dtype dtype = None, ...)"
        )
    for name, size in (("n", n), ("m", m)):
        if size is not None and size < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {size}")
    xp = get_backend(device).xp
    return _finish(
        xp.eye(n, m, dtype=_dtypes.to_numpy_dtype(dtype or _dtypes.get_default_dtype())),
        None,
        None,
        requires_grad,
    )


def _triangle_indices(np_fn, row: int, col: int, offset: int, dtype, device) -> Tensor:
    if row < 0 or col < 0:
        raise RuntimeError(
            f"{'row' if row < 0 else 'col'} must be non-negative, got{min(row, col)}"
        )
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    if np_dtype not in (np.int32, np.int64):
        name = np_fn.__name__  # numpy's tril_indices / triu_indices, PyTorch's names too
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{_dtypes.scalar_type_name(np_dtype)}'"
        )
    index = np.stack(np_fn(row, offset, col)).astype(np_dtype)
    return _finish(index, None, device)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None, layout=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.tril_indices``: the (2, N) row/column indices of the lower triangle
    of a row x col matrix, row by row."""
    return _triangle_indices(np.tril_indices, row, col, offset, dtype or _dtypes.int64, device)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None, layout=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.triu_indices``: the (2, N) indices of the upper triangle."""
    return _triangle_indices(np.triu_indices, row, col, offset, dtype or _dtypes.int64, device)


def _new_like(fn, name: str):
    """``Tensor.new_zeros`` and friends: ``fn`` with the tensor's dtype and device."""

    def method(
        self: Tensor, *args, dtype=None, device=None, requires_grad: bool = False, **kwargs
    ) -> Tensor:
        return fn(
            *args,
            dtype=dtype or self.dtype,
            device=device or self.device,
            requires_grad=requires_grad,
            **kwargs,
        )

    method.__name__ = name
    method.__doc__ = f"Mirrors ``Tensor.{name}`` (the dtype and device of ``self`` by default)."
    return method


new_zeros = _new_like(_creator("zeros", "new_zeros"), "new_zeros")  # without zeros' own message
new_ones = _new_like(_creator("ones", "new_ones"), "new_ones")  # its errors name new_ones
new_empty = _new_like(empty, "new_empty")
new_full = _new_like(full, "new_full")
new_tensor = _new_like(tensor, "new_tensor")


# ---- random ----------------------------------------------------------------------------------
def _rng(generator, device):
    return generator_rng(generator, device)


def _float_dtype(dtype, kernel: str = "normal_kernel_cpu", empty: bool = False):
    """The numpy dtype of a random float factory; another dtype raises PyTorch's error of
    its ``kernel`` (``check_uniform_bounds`` for the uniform ones), except for an ``empty``
    result of normal_ (PyTorch returns it before checking its dtype)."""
    dt = _dtypes.to_numpy_dtype(dtype or _dtypes.get_default_dtype())
    if dt.kind not in "fV" and not empty:  # NotImplementedError, as PyTorch raises
        name = _dtypes.scalar_type_name(dt)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")
    return dt


def _fill_out(out: Tensor, shape: tuple, dtype, fill, name: str) -> Tensor:
    """A random factory's ``out=`` as PyTorch runs it: ``out`` resized to ``shape`` (a new
    C-order array when its shape differs), then filled in place by ``fill(out)``, in its
    memory order (a transposed ``out`` gets the values an in-place fill of it gets)."""
    if out.requires_grad and is_grad_enabled():
        from .ops.out_arg import no_autograd_message  # noqa: PLC0415

        raise RuntimeError(no_autograd_message(name, True))
    if dtype is not None and _dtypes.to_numpy_dtype(dtype) != out._data.dtype:
        raise RuntimeError(
            f"dtype {_dtypes.scalar_type_name(_dtypes.to_numpy_dtype(dtype))} does not match "
            f"dtype of out parameter ({_dtypes.scalar_type_name(out._data.dtype)})"
        )
    if tuple(out._data.shape) != shape:
        out._data = get_backend(out.device).xp.empty(shape, out._data.dtype)
    return fill(out)


def rand(
    *shape,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
    layout=None,
) -> Tensor:
    """Mirrors ``torch.rand``: uniform on [0, 1)."""
    shape = _given_shape(shape, size, "rand")
    if out is not None:
        from .ops.random_fill import uniform_  # noqa: PLC0415

        return _fill_out(out, shape, dtype, lambda t: uniform_(t, generator=generator), "rand")
    dt = _float_dtype(dtype, "check_uniform_bounds")
    rng = _rng(generator, device)
    data = rng.random(shape, dtype=dt)
    return _finish(data, dt, device, requires_grad)


def randn(
    *shape,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
    layout=None,
) -> Tensor:
    """Mirrors ``torch.randn``: standard normal."""
    shape = _given_shape(shape, size, "randn")
    if out is not None:
        from .ops.random_fill import normal_  # noqa: PLC0415

        return _fill_out(out, shape, dtype, lambda t: normal_(t, generator=generator), "randn")
    dt = _float_dtype(dtype, empty=0 in shape)
    rng = _rng(generator, device)
    data = rng.normal_values(shape, dt, 0.0, 1.0)  # float16 has its own draw sequence
    return _finish(data, dt, device, requires_grad)


def _random_like(fn, strided_fn, name):
    """A random ``*_like`` factory: a dense non-contiguous input keeps its layout (PyTorch's
    ``empty_like``) and is filled in memory order by ``strided_fn``, the sampler PyTorch uses
    for a non-contiguous tensor; any other input gets ``fn(input.shape)``."""

    def create(
        input: Tensor,
        *,
        generator=None,
        dtype=None,
        device=None,
        requires_grad: bool = False,
        memory_format=None,
    ) -> Tensor:
        kw = {"dtype": dtype or input.dtype, "device": device or input.device}
        kw["generator"] = generator
        order = _fill_order(input._data, memory_format)
        if order is None:
            return fn(input._data.shape, requires_grad=requires_grad, **kw)
        data = laid_out(lambda shape: strided_fn(shape, **kw)._data, input._data.shape, order)
        return _finish(data, None, None, requires_grad)

    create.__name__ = name
    create.__doc__ = f"Mirrors ``torch.{name}``."
    return create


def _fill_order(a, memory_format) -> tuple | None:
    """The memory order (outermost dim first) of ``empty_like(a, memory_format=...)`` when
    it is not the logical order (size-1 dims aside), else None."""
    name = getattr(memory_format, "name", "preserve_format")
    if name == "contiguous_format":
        return None
    # preserve_format: a dense input's strides, a non-dense one's order made dense (PyTorch)
    order = dense_order(a) if name == "preserve_format" else format_order(name, a.ndim)
    visited = [d for d in order if a.shape[d] != 1]
    return None if visited == sorted(visited) else order


def _per_element_randn(shape: tuple, dtype=None, device=None, generator=None) -> Tensor:
    """N(0, 1) values from PyTorch's per-element sampler (``normal_`` of a non-contiguous
    tensor)."""
    dt = _float_dtype(dtype)
    draw = np.float32 if dt == np.float16 else dt
    data = _rng(generator, device).per_element_normal_values(shape, draw, 0.0, 1.0)
    return _finish(data, dt, device)


rand_like = _random_like(rand, rand, "rand_like")
randn_like = _random_like(randn, _per_element_randn, "randn_like")


def randint(
    low=None,
    high=None,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
    layout=None,
) -> Tensor:
    """Mirrors ``torch.randint(low=0, high, size)`` (``layout``: strided, the only one)."""
    one_bound = size is None or high is None  # randint(high, size)
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if _is_index(size) and one_bound:
        raise TypeError(
            f"randint(): argument 'size' (position 2) must be tuple of ints, not {_type_name(size)}"
        )
    if _is_index(size):
        got = ", ".join(_type_name(v) for v in (low, high, size))
        raise TypeError(
            f"randint() received an invalid combination of arguments - got ({got}), but "
            "expected one of:\n * (int high, tuple of ints size, ...)\n * (int low, int high, "
            "tuple of ints size, ...)"
        )
    if one_bound and not _is_index(high):
        raise TypeError(f"randint(): argument 'high' (position 1) must be int, not {_type_name(high)}")  # fmt: skip
    if low is None:  # randint(high=5, size=(3,))
        low = 0
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if out is not None:
        from .ops.random_fill import random_  # noqa: PLC0415

        fill = lambda t: random_(t, low, high, generator=generator)  # noqa: E731
        return _fill_out(out, _shape((size,)), dtype, fill, "randint")
    if dtype is not None:
        from .ops.random_fill import check_random_bounds, representable_bounds  # noqa: PLC0415

        check_random_bounds(dtype.np, low, high)
        if dtype.is_floating_point:
            low, high = representable_bounds(dtype.np, low, high)
    data = _rng(generator, device).integers(low, high, _shape((size,)), dtype=np.int64)
    return _finish(data, dtype or _dtypes.int64, device, requires_grad)


def randperm(
    n: int,
    *,
    generator=None,
    out=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """Mirrors ``torch.randperm`` (``out=``: resized to (n,) and written in place, in its
    dtype)."""
    if not _is_index(n):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not {_type_name(n)}")
    n = operator.index(n)
    if n < 0 and out is not None:
        raise RuntimeError(f"n must be non-negative, got{n}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if out is not None:
        from .ops.random_fill import write_draws  # noqa: PLC0415

        _check_randperm_size(n, out._data.dtype)
        fill = lambda t: write_draws(t, _rng(generator, t.device).permutation(n))  # noqa: E731
        return _fill_out(out, (n,), dtype, fill, "randperm")
    _check_randperm_size(n, _dtypes.to_numpy_dtype(dtype or _dtypes.int64))
    data = _rng(generator, device).permutation(n).astype(np.int64)
    return _finish(data, dtype or _dtypes.int64, device, requires_grad)


_RANDPERM_LIMITS = {"float16": (2049, "2049"), "float32": (2**24 + 1, "2^24+1"), "float64": (2**53 + 1, "2^53+1")}  # fmt: skip


def _check_randperm_size(n: int, np_dtype) -> None:
    """PyTorch's errors for a permutation whose values ``np_dtype`` can't hold exactly."""
    if np_dtype == np.bool_:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    limit, spelled = _RANDPERM_LIMITS.get(np_dtype.name, (n, ""))
    if n > limit:
        name = _dtypes.CPP_NAMES[np_dtype.name][1]
        raise RuntimeError(f"n cannot be greater than {spelled} for {name} type.")
    if np_dtype.kind in "iu" and n - 1 > np.iinfo(np_dtype).max:
        raise RuntimeError(f"value cannot be converted to type {np_dtype}_t without overflow")


def _as_number(v):
    """``v``'s value when it is a 0-d tensor that does not require grad (PyTorch's parser
    takes one for a float argument), else ``v``."""
    if isinstance(v, Tensor) and not v._data.ndim and not v.requires_grad:
        return v.item()
    return v


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, **kwargs) -> Tensor:
    """Mirrors ``torch.normal`` for scalar or tensor mean/std; ``out=`` of the (float mean,
    float std, size) overload is resized and filled in place by ``normal_`` (in its dtype
    and memory order), that of the tensor overloads gets the result written into it."""
    if out is None:
        return _normal(mean, std, size, generator=generator, **kwargs)
    if size is None:
        from .ops.out_arg import with_out  # noqa: PLC0415

        return with_out(_normal, aten="normal")(mean, std, generator=generator, out=out, **kwargs)
    from .ops.random_fill import normal_  # noqa: PLC0415

    mean, std = (_as_number(v) for v in (mean, std))
    fill = lambda t: normal_(t, mean, std, generator=generator)  # noqa: E731
    return _fill_out(out, _shape((size,)), kwargs.get("dtype"), fill, "normal")


def _normal(
    mean=0.0,
    std=1.0,
    size=None,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory: bool = False,
    requires_grad: bool = False,
) -> Tensor:
    """``torch.normal`` without ``out=``."""
    if size is not None:  # (float mean, float std, size): a 0-d tensor reads as a number
        mean, std = (_as_number(v) for v in (mean, std))
    elif not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        kinds = ", ".join(type(v).__name__ for v in (mean, std))
        raise TypeError(
            f"normal() received an invalid combination of arguments - got ({kinds}), but "
            "expected one of:\n * (Tensor mean, Tensor std, *, torch.Generator generator = None, "
            "Tensor out = None)\n * (float mean, float std, tuple of ints size, ...)"
        )
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if size is not None and (isinstance(mean, Tensor) or isinstance(std, Tensor)):
        kinds = ", ".join(type(v).__name__ for v in (mean, std))
        raise TypeError(
            f"normal() received an invalid combination of arguments - got ({kinds}, size=tuple)"
        )
    try:
        shape = (
            _shape((size,)) if size is not None else np.broadcast_shapes(np.shape(m), np.shape(s))
        )
    except ValueError:
        from .ops.shape import _mismatch  # noqa: PLC0415  (PyTorch's broadcast message)

        raise _mismatch([np.shape(m), np.shape(s)]) from None
    like = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    dt = _float_dtype(dtype or (like.dtype if like is not None else None), empty=0 in shape)
    if not isinstance(std, Tensor) and not s >= 0:  # (NaN too)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {s:g}")
    if not np.all(s >= 0):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    rng = _rng(generator, device if like is None else like.device)  # on the tensors' device
    if not isinstance(std, Tensor):  # as PyTorch: normal_(0, std) (or normal_(mean, std)),
        tensor_mean = isinstance(mean, Tensor)  # then + mean (a 0-d tensor too)
        z = rng.normal_values(shape, dt, 0.0 if tensor_mean else m, s)
        z = z + m if tensor_mean else z
    else:
        z = rng.normal_values(shape, dt, 0.0, 1.0) * s + m  # normal_(0, 1) * std + mean
    out = _finish(z.astype(dt, copy=False), None, device, requires_grad)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if any(t.requires_grad for t in tensors):  # PyTorch's node of normal's overload: zeros
        overload = 3 if len(tensors) == 2 else 1 if tensors[0] is mean else 2
        out = ZeroDerivative.apply(out._data, f"NormalBackward{overload}", *tensors)
    return forward_ad.zero_tangent(out, mean, std)


def randint_like(
    input: Tensor,
    low=None,
    high=None,
    *,
    generator=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
    memory_format=None,
) -> Tensor:
    """Mirrors ``torch.randint_like(input, high)``, ``(input, low, high)`` and
    ``(input, high=...)`` (``low`` defaults to 0)."""
    if high is None:
        if low is None:
            raise TypeError("randint_like() missing required argument 'high'")
        low, high = 0, low
    elif low is None:
        low = 0
    kw = {"dtype": dtype or input.dtype, "device": device or input.device}
    order = _fill_order(input._data, memory_format)  # filled in empty_like's memory order

    def draw(shape):
        return randint(low, high, shape, generator=generator, **kw)._data

    data = draw(input._data.shape) if order is None else laid_out(draw, input._data.shape, order)
    return _finish(data, None, None, requires_grad)


def _check_multinomial_rows(rows: np.ndarray, rng, num_samples: int) -> None:
    """PyTorch's checks of multinomial with replacement (more than one sample): row by row,
    entry by entry, the first bad entry or empty row names the error (the rows before it
    have drawn their samples from ``rng``, as in PyTorch)."""
    bad = ~(rows >= 0) | ~np.isfinite(rows)
    fails = bad.any(1) | (rows.sum(1) <= 0)
    if not fails.any():
        return
    row = int(fails.argmax())
    rng.random(row * num_samples)
    if bad[row].any():
        what = "< 0" if not rows[row, bad[row].argmax()] >= 0 else "= infinity or NaN"
        raise RuntimeError(
            f"invalid multinomial distribution (encountering probability entry {what})"
        )
    raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def _check_multinomial_rows_later(rows) -> None:
    """The checks of ``_check_multinomial_rows`` on a device, not read back (PyTorch's CUDA
    kernel asserts on the device): the first bad row's error is left pending, to raise at
    the next host sync (see ``checked_index``)."""
    bad = ~(rows >= 0) | ~np.isfinite(rows)
    first_bad = np.take_along_axis(rows, bad.argmax(1)[:, None], 1)[:, 0]
    # 0: a valid row, else the index of its error in _MULTINOMIAL_ERRORS
    code = np.where(bad.any(1), np.where(first_bad >= 0, 2, 1), np.where(rows.sum(1) > 0, 0, 3))
    checked_index(code, 1, _multinomial_error, "multinomial")


_MULTINOMIAL_ERRORS = (
    None,
    "encountering probability entry < 0",
    "encountering probability entry = infinity or NaN",
    "sum of probabilities <= 0",
)


def _multinomial_error(code: int) -> RuntimeError:
    return RuntimeError(f"invalid multinomial distribution ({_MULTINOMIAL_ERRORS[code]})")


def multinomial(
    input: Tensor, num_samples: int, replacement: bool = False, *, generator=None
) -> Tensor:
    """Mirrors ``torch.multinomial`` (rows of unnormalised probabilities; without replacement,
    categories of probability 0 come after all others, as in PyTorch). A device's rows are
    drawn on the device, from its generator."""
    if input._data.dtype.kind not in "fV":
        raise RuntimeError(
            "multinomial only supports floating-point dtypes for input, got: "
            f"{_dtypes.scalar_type_name(input._data.dtype)}"
        )
    if input._data.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got shape {list(input.shape)}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > input._data.shape[-1]:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if input._data.shape[-1] > 2**24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    if replacement and num_samples > 1 and not on_host(input._data):
        # drawn on the device from its generator, nothing read back (as PyTorch's CUDA kernel)
        probs = input._data
        rows = probs.reshape(math.prod(probs.shape[:-1]), probs.shape[-1])
        if not rows.shape[1] and rows.shape[0]:  # (known from the shape alone)
            raise _multinomial_error(3)
        if rows.size:
            _check_multinomial_rows_later(rows)
        out = multinomial_draws(_rng(generator, input.device), rows, num_samples, True)
        return make_tensor(out.reshape(probs.shape[:-1] + (num_samples,)))
    # on the input's device: checked with host reads (as PyTorch), drawn from its generator
    p = copy_preserving(input.detach()._data, np.float64)  # laid out as empty_like's
    rows = p.reshape(math.prod(p.shape[:-1]), p.shape[-1])  # (one row of 0 categories too)
    rng = _rng(generator, input.device)
    if replacement and num_samples > 1:
        _check_multinomial_rows(rows, rng, num_samples)
    elif not p.shape[-1]:  # PyTorch's one-draw path checks the rows with aminmax first
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
            "identity."
        )
    elif not np.isfinite(p).all() or (p < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rows = rows.astype(_float_dtype(input.dtype), copy=False)
    out = multinomial_draws(rng, rows, num_samples, replacement)
    out = out.reshape(p.shape[:-1] + (num_samples,))
    return _finish(out, None, input.device)
