"""Indexing ops: ``x[idx]``, ``x[idx] = v``, gather / scatter_add, index_select / index_add,
masked_fill. Each op's backward is its partner op, so every order of gradient works."""

from __future__ import annotations

import math
import re
import warnings

import ml_dtypes
import numpy as np

from .. import _dtypes
from .._memory_format import contiguous_format
from .._tensor import Tensor, make_tensor
from ..autograd import forward_ad
from ..autograd.function import Op, name_node
from ..backends import (
    ascontiguous,
    checked_index,
    on_host,
    to_backend,
    to_device,
    ufunc_at,
    xp_of,
)
from .elementwise import broadcast_error, check_int_scalar, parsed_number, unbroadcast
from .reduce import wrap_dim
from .shape import basic_index_view

_INDEX_DTYPES = tuple(np.dtype(t) for t in (np.int64, np.int32, np.uint8, np.bool_))


def normalize_index(index, shape: tuple | None = None):
    """Converts a PyTorch index (ints, slices, None, Ellipsis, tensors, lists, tuples, ranges,
    bool masks) to a numpy one. Returns (index, basic): basic indexing gives a view. Given the
    indexed tensor's ``shape``, its ints are checked (in PyTorch's order and words) and an
    Ellipsis among index arrays becomes its full slices: PyTorch reads arrays around an
    Ellipsis of no dims as adjacent (numpy does not)."""
    if shape and _plain(index, shape):  # the common x[i], x[a:b], x[:, i]: a view
        return (*index, Ellipsis) if type(index) is tuple else (index, Ellipsis), True
    if type(index) is Tensor and shape and index._data.ndim and index._data.dtype in INT_OR_LONG:
        return (index._data,), False  # x[idx]: rows picked by an integer tensor
    ndim = None if shape is None else len(shape)
    if isinstance(index, list) and any(
        isinstance(i, (list, tuple, Tensor, slice)) or i is None or i is Ellipsis for i in index
    ):
        index = tuple(index)  # PyTorch reads x[[[0, 1], [1, 0]]] as x[[0, 1], [1, 0]]
    if ndim == 0 and isinstance(index, (int, np.integer, slice)) and not isinstance(index, bool):
        if isinstance(index, slice):  # PyTorch's own words for one int or slice of a 0-d tensor
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    if not isinstance(index, tuple):
        index = (index,)
    if ndim is not None:
        _check_ints(index, shape)
    out, basic, bad_dtype = [], True, False
    for item in index:
        if item is Ellipsis and any(i is Ellipsis for i in out):
            continue  # PyTorch: an Ellipsis after the first spans no dims
        if isinstance(item, Tensor) and item._data.ndim == 0 and item._data.dtype.kind in "iub":
            if item._data.dtype.kind == "b" or item._data.dtype == np.uint8:
                item = bool(item._data)  # PyTorch indexes with it as with True or False
            else:  # ... and with this as with an int (a view)
                item = int(item._data)
        if isinstance(item, (Tensor, list, tuple, range, np.ndarray)):
            listed = not isinstance(item, Tensor)
            item = np.asarray(item) if listed else item._data
            if item.dtype.kind in "fV" and item.size == 0 and listed:
                item = item.astype(np.int64)  # x[[]] selects nothing (an empty float tensor raises)
            bad_dtype = bad_dtype or item.dtype not in _INDEX_DTYPES
            if item.dtype == np.uint8:
                warnings.warn(
                    "indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                    "torch.bool instead.",
                    UserWarning,
                    stacklevel=3,
                )
                item = item.astype(bool)  # PyTorch reads a byte tensor as a mask
            basic = False
        elif isinstance(item, slice):
            if item.step is not None and item.step <= 0:
                raise ValueError(
                    "step must be greater than zero" if item.step else "slice step cannot be zero"
                )
        elif isinstance(item, (bool, np.bool_)):
            basic = False  # PyTorch unsqueezes and indexes the new dim with a tensor: a copy
        elif not (item is None or item is Ellipsis or isinstance(item, (int, np.integer))):
            if hasattr(item, "__cuda_array_interface__"):  # a device array (a saved index)
                basic = False
            elif hasattr(item, "__index__"):
                item = item.__index__()
            else:
                from ..factories import _type_name  # noqa: PLC0415

                raise IndexError(
                    "only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                    f"Variables are valid indices (got {_type_name(item)})"
                )
        out.append(item)
    if bad_dtype:  # PyTorch checks the index tensors after applying the other items
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if basic and Ellipsis not in out:
        out.append(Ellipsis)  # numpy then returns a 0-d view instead of a scalar
    elif not basic and ndim is not None:
        at = [p for p, i in enumerate(out) if i is Ellipsis]
        span = ndim - sum(_dims_used(i) for i in out)
        if at and span >= 0:
            out[at[0] : at[0] + 1] = [slice(None)] * span
    return tuple(out), basic


def _plain(index, shape: tuple) -> bool:
    """Whether ``index`` is an int in range, a slice of positive (or no) step, or a tuple of
    at most ``len(shape)`` of them: numpy reads those as PyTorch does."""
    items = index if type(index) is tuple else (index,)
    if len(items) > len(shape):
        return False
    for item, size in zip(items, shape):
        kind = type(item)
        if kind is int:
            if not -size <= item < size:
                return False
        elif kind is not slice or not (
            item.step is None or (type(item.step) is int and item.step > 0)
        ):
            return False
    return True


def _count_dims(item) -> int:
    """The dims that PyTorch counts for one index item: a bool or byte tensor its own, any
    other item but None, Ellipsis, True and False one."""
    data = item._data if isinstance(item, Tensor) else item  # (an array: a split index's)
    if hasattr(data, "dtype"):
        return data.ndim if data.dtype in (np.bool_, np.uint8) else 1
    return int(not (item is None or item is Ellipsis or item is True or item is False))


def _check_ints(index: tuple, shape: tuple) -> None:
    """PyTorch's errors for too many indices, then (item by item, until one that fails
    otherwise: a bad slice step or type) for an int, or a 0-d integer tensor, out of range;
    it names the int's place in ``index``."""
    counts = [_count_dims(item) for item in index]
    if sum(counts) > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim = 0
    for pos, (item, count) in enumerate(zip(index, counts)):
        if item is Ellipsis:
            dim += len(shape) - sum(counts)
            continue
        if isinstance(item, Tensor) and not item._data.ndim and item._data.dtype.kind == "i":
            item = int(item._data)
        if dim >= len(shape):  # (after a second Ellipsis)
            return
        if isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)):
            if not -shape[dim] <= item < shape[dim]:
                raise IndexError(
                    f"index {item} is out of bounds for dimension {pos} with size {shape[dim]}"
                )
        elif isinstance(item, slice) and item.step is not None and item.step <= 0:
            return
        elif not isinstance(item, (Tensor, list, tuple, range, np.ndarray, slice, type(None))):
            if item is not Ellipsis and not isinstance(item, (bool, np.bool_)):
                return
        dim += count


def _index_kind(item) -> str:
    if isinstance(item, (bool, np.bool_)):
        return "bool"
    if isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)):
        return "int"
    if hasattr(item, "dtype"):
        return "array"
    return "other"


def _one_run(kinds: list, members: tuple) -> bool:
    at = [p for p, k in enumerate(kinds) if k in members]
    return at[-1] - at[0] + 1 == len(at)


def split_ints(index: tuple):
    """PyTorch applies integer indices first (each removes its dim) and only then the index
    arrays; numpy counts integers among the arrays. Where that places the result's dims
    differently (an int apart from the arrays: ``x[0, :, [1, 2]]``), returns the two steps
    (ints, the rest) of PyTorch's order; else None (one numpy index gives the same)."""
    kinds = [_index_kind(i) for i in index]
    if "int" not in kinds or ("array" not in kinds and "bool" not in kinds):
        return None
    without_ints = [k for k in kinds if k != "int"]
    if _one_run(kinds, ("int", "array", "bool")) == _one_run(without_ints, ("array", "bool")):
        return None
    first, rest = [], []
    for item, kind in zip(index, kinds):
        if kind == "int":
            first.append(item)
        elif item is None:
            rest.append(item)
        elif item is Ellipsis:
            first.append(item)
            rest.append(item)
        else:
            first.extend([slice(None)] * _dims_used(item))
            rest.append(item)
    if Ellipsis not in first:
        first.append(Ellipsis)
    return tuple(first), tuple(rest)


def basic_first(index: tuple, shape: tuple):
    """PyTorch's ``x[index] = v`` with index tensors among ints, Nones or partial slices, or
    with True or False (a new dim, indexed by a tensor of one index or none), applies those
    first (a view of x) and then puts into that view (so its node is CopySlices): the two
    steps (the basic index, the rest), or None when there is no such mix."""
    kinds = [_index_kind(i) for i in index]
    if "bool" not in kinds and ("array" not in kinds or not any(
        k == "int" or i is None or (isinstance(i, slice) and not _whole(i, n))
        for i, k, n in zip(index, kinds, _dims_of(index, shape))
    )):  # fmt: skip
        return None
    first, rest = [], []
    for item, kind in zip(index, kinds):
        if kind == "bool":
            first.append(None)
            rest.append(np.zeros(int(item), np.int64))
        elif kind == "array":
            first.extend([slice(None)] * _dims_used(item))
            rest.append(item)
        elif kind != "int":
            first.append(item)
            rest.append(item if item is Ellipsis else slice(None))
        else:
            first.append(item)
    return tuple(first), tuple(rest)


def _whole(item: slice, n: int) -> bool:
    """Whether PyTorch skips slicing a dim of size ``n`` by ``item`` (within a tuple)."""
    stop = item.stop is None or item.stop >= n
    return item.start in (None, 0) and stop and item.step in (None, 1)


def _dims_of(index: tuple, shape: tuple) -> list:
    """The size of the dim of ``shape`` that each item of ``index`` (a numpy one) starts at
    (None past the last dim)."""
    used = [_dims_used(i) for i in index]
    sizes, dim = [], 0
    for item, n in zip(index, used):
        if item is Ellipsis:
            dim = len(shape) - sum(used) + dim
        sizes.append(shape[dim] if dim < len(shape) else None)
        dim += n
    return sizes


def _dims_used(item) -> int:
    """How many dims of the indexed tensor one index item consumes."""
    if item is None or item is Ellipsis or isinstance(item, bool):  # True/False: a new dim
        return 0
    return item.ndim if hasattr(item, "dtype") and item.dtype == bool else 1


def numpy_index_error(error: IndexError, shape: tuple, index: tuple) -> str:
    """numpy's IndexError message for ``x[index]`` (``x`` of ``shape``) in PyTorch's words."""
    text = str(error)
    if text.startswith("too many indices"):  # (index_put counts a mask as one index)
        too_many = f"too many indices for tensor of dimension {len(shape)}"
        return _mask_mismatch(shape, index) or too_many
    if text.startswith("shape mismatch: indexing arrays"):
        shapes = ", ".join(
            f"[{', '.join(n for n in s.split(',') if n)}]" for s in re.findall(r"\(([^)]*)\)", text)
        )
        return f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"  # fmt: skip
    if text.startswith("boolean index did not match"):
        return _mask_mismatch(shape, index) or text
    if text.endswith(" with size 0") and any(getattr(i, "ndim", 0) for i in index):
        return "index is out of bounds for dimension with size 0"  # an index tensor's words
    bad = re.fullmatch(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", text)
    if bad:  # PyTorch names the index tensor (its place among them), not the tensor's dim
        return f"index {bad[1]} is out of bounds for dimension {_array_place(index, len(shape), int(bad[2]))} with size {bad[3]}"  # fmt: skip
    return text.replace(" axis ", " dimension ")


def _array_place(index: tuple, ndim: int, axis: int) -> int:
    """The place among ``index``'s arrays of the one that indexes dim ``axis``."""
    dim = place = 0
    for pos, item in enumerate(index):
        if item is Ellipsis:
            dim = ndim - sum(_dims_used(i) for i in index[pos + 1 :])
            continue
        if hasattr(item, "dtype") and not isinstance(item, np.generic):
            if dim == axis:
                return place
            place += 1
        place += isinstance(item, bool)  # True/False: PyTorch indexes its new dim by a tensor
        dim += _dims_used(item)
    return axis


def checked_arrays(index: tuple, data, op: str = "index") -> tuple:
    """``index`` (a numpy one into the array ``data``, for ``op``: index, index_put_) with its
    device integer arrays checked on the device and clipped (``checked_index``; numpy raises
    for a host one, cupy would wrap a bad index around). Nothing is checked where the arrays
    broadcast to nothing (no index is read, as in PyTorch)."""
    if on_host(data):  # (so are its index arrays)
        return index
    shape = data.shape
    ints = [hasattr(i, "dtype") and i.dtype.kind in "iu" for i in index]
    arrays = [a and not on_host(i) for i, a in zip(index, ints)]
    if not any(arrays):
        return index
    try:
        if not math.prod(np.broadcast_shapes(*(i.shape for i, a in zip(index, ints) if a))):
            return index
    except ValueError:  # the op raises PyTorch's error for the shapes
        return index
    out, dim = [], 0
    for item, is_array in zip(index, arrays):
        if item is Ellipsis:
            dim = len(shape) - sum(_dims_used(i) for i in index) + dim
        elif is_array and dim < len(shape):
            n = shape[dim]
            if not n and any(getattr(i, "ndim", 0) for i in index):  # as numpy_index_error
                raise IndexError("index is out of bounds for dimension with size 0")
            error = _index_error(_array_place(index, len(shape), dim), n)
            item = checked_index(item, n, error, op, low=-n)
        out.append(item)
        dim += _dims_used(item)
    return tuple(out)


def _index_error(place: int, n: int):
    """The IndexError (of a bad index) that PyTorch raises for the index tensor at ``place``
    among them, into a dim of size ``n``."""
    return lambda i: IndexError(f"index {i} is out of bounds for dimension {place} with size {n}")


def check_empty_masks(shape: tuple, index: tuple) -> None:
    """numpy takes an empty bool mask for a dim of any size (selecting nothing); PyTorch
    checks its shape as any mask's."""
    if any(getattr(i, "dtype", None) == np.bool_ and not i.size for i in index):
        if msg := _mask_mismatch(shape, index):
            raise IndexError(msg)


def _mask_mismatch(shape: tuple, index: tuple) -> str | None:
    """PyTorch's message for a bool mask that does not fit the dims it indexes, counted in
    the tensor that the index's ints, slices, Nones and bools (a new dim each) leave
    (PyTorch applies them first)."""
    arrays = [hasattr(i, "dtype") and not isinstance(i, np.generic) for i in index]
    basic = []
    for item, is_array in zip(index, arrays):
        new_dim = None if isinstance(item, bool) else item
        basic.extend([slice(None)] * _dims_used(item) if is_array else [new_dim])
    try:  # basic indexing of a zero-strided stand-in: the shape, without the data
        sliced = np.broadcast_to(np.zeros((), np.int8), shape)[tuple(basic)].shape
    except IndexError:  # too many dims: index_put's masks are read from the first dim
        sliced = shape
    kept = [
        _dims_used(i) if a else int(not (i is Ellipsis or _index_kind(i) == "int"))
        for i, a in zip(index, arrays)
    ]
    dim = 0
    for pos, (item, is_array) in enumerate(zip(index, arrays)):
        if item is Ellipsis:
            dim = len(sliced) - sum(kept[pos + 1 :])
        elif is_array and item.dtype == bool:
            for j, n in enumerate(item.shape):
                if dim + j < len(sliced) and n != sliced[dim + j]:
                    return (
                        f"The shape of the mask {list(item.shape)} at index {j} does not match "
                        f"the shape of the indexed tensor {list(sliced)} at index {dim + j}"
                    )
        dim += kept[pos]
    return None


def indexed_shape(shape: tuple, index: tuple) -> tuple:
    """The shape of ``x[index]`` (a numpy index, ``x`` of ``shape``), or PyTorch's error for
    its masks' shapes, its tensors' broadcast and index tensors into an empty dim; the index
    values are not read: where the result is empty, PyTorch checks none of them."""
    check_empty_masks(shape, index)
    used = [_dims_used(i) for i in index]
    sizes, items, dim = list(shape), [], 0
    for item, n in zip(index, used):
        if item is Ellipsis:
            dim = len(shape) - sum(used) + dim
        elif hasattr(item, "dtype") and not isinstance(item, np.generic):
            if item.dtype.kind == "b":
                item = to_device(item, "cpu")
            else:  # an index that lies in any dim (of size 1 at least)
                item = np.zeros(item.shape, np.int64)
                if dim < len(sizes):
                    sizes[dim] = max(sizes[dim], 1)
        items.append(item)
        dim += n
    try:  # a zero-strided stand-in: no memory
        out = np.broadcast_to(np.zeros((), np.int8), tuple(sizes))[tuple(items)].shape
    except IndexError as e:
        raise IndexError(numpy_index_error(e, shape, index)) from None
    check_empty_dims(shape, index)
    return out


def reading_none(index: tuple) -> tuple:
    """``index`` (whose result is empty, checked by ``indexed_shape``) with its integer
    arrays all zeros: the same result, read from no index (PyTorch checks none of them)."""
    is_int = [hasattr(i, "dtype") and i.dtype.kind in "iu" and i.ndim for i in index]
    return tuple(np.zeros_like(i) if a else i for i, a in zip(index, is_int))


def check_empty_dims(shape: tuple, index: tuple) -> None:
    """PyTorch's error for index tensors (not empty) into a dim of size 0 (no index fits),
    found even where the result is empty (when no index is read)."""
    used = [_dims_used(i) for i in index]
    arrays, dim, empty = [], 0, False
    for item, n in zip(index, used):
        if item is Ellipsis:
            dim = len(shape) - sum(used) + dim
        elif isinstance(item, bool):
            arrays.append((int(item),))
        elif hasattr(item, "dtype") and not isinstance(item, np.generic):
            if item.dtype.kind == "b":
                arrays.append((int(np.count_nonzero(to_device(item, "cpu"))),))
            else:
                arrays.append(item.shape)
                empty = empty or dim < len(shape) and shape[dim] == 0
        dim += n
    if empty and math.prod(np.broadcast_shapes(*arrays)):
        raise IndexError("index is out of bounds for dimension with size 0")


def check_put(x, index: tuple, values, accumulate: bool = False) -> tuple:
    """PyTorch's checks of ``x[index] = values`` (index_put), in its order: the index (its
    masks' shapes, the broadcast of its tensors), the broadcast of ``values`` to the indexed
    shape, their dtypes, the range of the indices (unless none is read). Returns the indexed
    shape."""
    target = indexed_shape(x.shape, index)
    try:
        np.broadcast_to(values, target)
    except ValueError:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast "
            f"to indexing result of shape {list(target)}"
        ) from None
    check_put_dtype(x, index, values, accumulate)
    if not math.prod(target):  # PyTorch reads no index (see ``reading_none``)
        return target
    try:
        x[index]
    except IndexError as e:
        raise IndexError(numpy_index_error(e, x.shape, index)) from None
    return target


def check_put_dtype(x, index: tuple, values, accumulate: bool = False) -> None:
    """``x[index] = values`` (PyTorch's index_put) needs ``values`` of ``x``'s dtype, unless
    one element goes in through a single bool mask (PyTorch then fills it in, cast)."""
    if values.dtype == x.dtype:
        return
    arrays = [i for i in index if hasattr(i, "dtype") and not isinstance(i, np.generic)]
    if accumulate or values.size != 1 or len(arrays) != 1 or arrays[0].dtype != bool:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{_dtypes.scalar_type_name(x.dtype)} for the destination and "
            f"{_dtypes.scalar_type_name(values.dtype)} for the source."
        )


def _layout_of(out, a):
    """``out`` (read from ``a`` by index arrays) C-contiguous when ``a`` is, as PyTorch's
    (numpy may lay it out after an index array's or the indexed dims' strides)."""
    return ascontiguous(out) if a.flags.c_contiguous else out


class BasicIndex(Op):
    is_view = True

    @staticmethod
    def forward(ctx, a, index):
        ctx.args = (a.shape, index, True)
        out = a[index]
        if out.size == 0 or None in index:  # numpy's strides/start differ from PyTorch's
            return basic_index_view(a, index, out)
        return out

    @staticmethod
    def backward(ctx, g):
        return IndexIntoZeros.apply(g, *ctx.args), None


class AdvancedIndex(Op):
    torch_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, a, index):
        index = index if on_host(a) else _mask_free(index)
        ctx.args = (a.shape, index, False)
        return _layout_of(a[index], a)

    @staticmethod
    def backward(ctx, g):
        return IndexIntoZeros.apply(g, *ctx.args), None


class IndexIntoZeros(Op):
    """zeros(shape)[index] += g: the adjoint of indexing (repeated indices accumulate)."""

    @staticmethod
    def forward(ctx, g, shape, index, basic):
        ctx.args = (index, basic)
        out = np.zeros_like(g, shape=shape)  # on g's device (np.zeros would be host memory)
        if basic:
            out[index] = g
        else:  # the array module's add.at: np.add.at does not dispatch to cupy
            xp_of(g).add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, gg):
        index, basic = ctx.args
        return (BasicIndex if basic else AdvancedIndex).apply(gg, index), None, None, None


def _mask_free(index):
    """A device array's index with each boolean array (of one or more dims) as its nonzero()
    integer arrays (numpy's meaning of a mask): a mask's count is read back once, here, and
    the gradient's scatter and gather take integer indices that read nothing back, as
    PyTorch's index and index_put turn masks into indices."""
    keys = index if isinstance(index, tuple) else (index,)
    out = []
    for k in keys:
        is_mask = getattr(k, "dtype", None) == np.bool_ and k.ndim
        out.extend(k.nonzero() if is_mask else (k,))
    return tuple(out)


class IndexPut(Op):
    """out = a.clone(); out[index] = v (the out-of-place form of ``a[index] = v``)."""

    @staticmethod
    def forward(ctx, a, index, v):
        index = index if on_host(a) else _mask_free(index)
        ctx.args = (index, np.shape(v))
        out = a.copy(order="K")  # PyTorch keeps the layout (clone preserving it)
        out[index] = v
        return out

    @staticmethod
    def backward(ctx, g):
        index, vshape = ctx.args
        na, _, nv = ctx.needs_input_grad
        ga = IndexPut.apply(g, index, 0) if na else None
        gv = unbroadcast(g[index], vshape) if nv else None
        return ga, None, gv


class IndexAccumulate(Op):
    """out = a.clone(); out[index] += v, repeated indices included, added one by one in
    a's dtype as PyTorch's kernel does (index_put with ``accumulate``)."""

    torch_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, a, index, v):
        ctx.args = (index, np.shape(v))
        out = a.copy(order="K")
        ufunc_at("add", out, index, v)
        return out

    @staticmethod
    def backward(ctx, g):
        index, vshape = ctx.args
        na, _, nv = ctx.needs_input_grad
        return g if na else None, None, unbroadcast(g[index], vshape) if nv else None


def _full_index(index_arr, dim: int) -> tuple:
    """The numpy index that picks ``index_arr`` along ``dim`` and aranges elsewhere."""
    xp, n = xp_of(index_arr), index_arr.ndim
    if not n:  # a 0-d index picks one element of a 1-d tensor
        return (index_arr,)
    grids = [
        xp.arange(s).reshape((1,) * i + (s,) + (1,) * (n - i - 1))
        for i, s in enumerate(index_arr.shape)
    ]  # np.indices(shape, sparse=True), on the index's device
    grids[dim] = index_arr
    return tuple(grids)


class Gather(Op):
    saves_input = True  # PyTorch's gather saves its input (checked for in-place changes)

    @staticmethod
    def forward(ctx, a, dim, index, clipped=None):
        """``clipped``: ``index`` as ``checked_index`` returned it, read instead of it (the
        index tensor itself is saved, for its version check)."""
        ctx.args = (a.shape, dim, clipped)
        saved = a if ctx.saves_input else None
        ctx.save_for_backward(saved, index)  # version-checked, as PyTorch's (sort's indices too)
        return _layout_of(a[_full_index(index if clipped is None else clipped, dim)], a)

    @staticmethod
    def backward(ctx, g):
        shape, dim, clipped = ctx.args
        _, index = ctx.saved_tensors
        zeros = make_tensor(np.zeros_like(g._data, shape=shape))
        at = index if clipped is None else clipped
        return ScatterAdd.apply(zeros, dim, at, g), None, None, None


class SortedValues(Gather):
    """The values sort, topk and quantile take from their input by index: PyTorch's
    SortBackward0 and TopkBackward0 save the indices only, so the input may change in place
    before backward."""

    saves_input = False

    torch_name = "SortBackward0"


class ScatterAdd(Op):
    """out = a.clone(); out[index[i, j], j] += src[i, j] (dim 0); src may be larger than
    index, and only its leading ``index.shape`` block is used."""

    @staticmethod
    def forward(ctx, a, dim, index, src):
        used = tuple(slice(0, n) for n in index.shape[: src.ndim])  # (an empty index: any src)
        ctx.args = (dim, index, src.shape, used)
        if a.dtype in _dtypes.HALF_NP:  # PyTorch sums 16-bit floats in float32, rounds once
            out = a.astype(np.float32)
            xp_of(out).add.at(out, _full_index(index, dim), src[used].astype(np.float32))
            return out.astype(a.dtype)
        out = a.copy()
        ufunc_at("add", out, _full_index(index, dim), src[used])
        return out

    @staticmethod
    def backward(ctx, g):
        dim, index, src_shape, used = ctx.args
        na, _, _, ns = ctx.needs_input_grad
        gs = None
        if ns:
            gs = Gather.apply(g, dim, index)
            if gs._data.shape != src_shape:  # the unused part of src gets zero gradient
                gs = IndexIntoZeros.apply(gs, src_shape, used, True)
        return g if na else None, None, None, gs


class IndexSelect(Op):
    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.args = (a.shape, dim, index)
        return np.take(a, index, axis=dim)

    @staticmethod
    def backward(ctx, g):
        shape, dim, index = ctx.args
        zeros = make_tensor(np.zeros_like(g._data, shape=shape))
        return IndexAdd.apply(zeros, dim, make_tensor(index), g), None, None


def _add_rows_at(out, dim: int, index, src) -> None:
    """out[index[i]] += src[i] along ``dim``, repeated indices accumulating one after the
    other in index order, as PyTorch's CPU index_add and embedding backward do (a different
    order drifts apart from PyTorch's float32 sums as duplicates grow). On numpy, with rows
    of several elements and few duplicates of a row (an embedding's backward, index_add of
    a batch), each pass adds the next duplicate of every row at once, 2-14x faster than
    add.at, which works element by element; add.at otherwise (np.add.at does not dispatch
    to cupy)."""
    xp = xp_of(out)
    if xp is np and src.ndim > 1 and index.size:
        to, fro = np.moveaxis(out, dim, 0), np.moveaxis(src, dim, 0)  # views, rows along dim
        order = np.argsort(index, kind="stable")
        rows = index[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        counts = np.diff(np.r_[starts, rows.size])
        if counts.max() * 2048 < src.size:  # few passes: a pass costs about 2048 add.at adds
            by_count = np.argsort(-counts, kind="stable")
            starts, counts = starts[by_count], counts[by_count]
            dest = rows[starts]
            for r in range(counts[0]):
                k = np.searchsorted(-counts, -r)  # the rows with more than r duplicates
                to[dest[:k]] += fro[order[starts[:k] + r]]
            return
    ufunc_at("add", out, (slice(None),) * dim + (index,), src)


class IndexAdd(Op):
    _saved_for = ((3,),)  # PyTorch saves source when source's gradient is wanted

    @staticmethod
    def forward(ctx, a, dim, index, src):
        ctx.args = (dim, index)
        ctx.save_for_backward(src)  # for its version check only
        out = a.copy()
        if out.size:  # into an empty self nothing is added (nor an index checked)
            _add_rows_at(out, dim, index, src)
        return out

    @staticmethod
    def backward(ctx, g):
        dim, index = ctx.args
        _checked = ctx.saved_tensors  # raises if source changed in place
        na, _, _, ns = ctx.needs_input_grad
        if ns and 0 in g._data.shape:  # the indices of an empty self were never checked
            _check_select_range(index, g._data.shape, dim)
        return g if na else None, None, None, IndexSelect.apply(g, dim, index) if ns else None


class MaskedFill(Op):
    @staticmethod
    def forward(ctx, a, mask, value):
        ctx.mask, ctx.value_dtype = mask, getattr(value, "dtype", None)
        fill = value.astype(a.dtype) if hasattr(value, "astype") else a.dtype.type(value)
        out = np.where(mask, fill, a)  # a scalar or 0-d array: cupy takes no numpy array
        return ascontiguous(out)  # np.where keeps a transposed layout; PyTorch's is contiguous

    @staticmethod
    def backward(ctx, g):
        mask = ctx.mask
        ng = MaskedFill.apply(g, make_tensor(mask), 0) if ctx.needs_input_grad[0] else None
        gv = None
        if ctx.needs_input_grad[2]:
            gv = (g * make_tensor(mask.astype(g._data.dtype))).sum()
            if gv._data.dtype != ctx.value_dtype:  # the value's own dtype, as PyTorch's
                gv = gv.to(_dtypes.from_numpy_dtype(ctx.value_dtype))
        return ng, None, gv


# ---- functional forms ------------------------------------------------------------------------
def getitem(input: Tensor, index) -> Tensor:
    """``x[index]`` with PyTorch's indexing rules (basic indexing gives a view)."""
    whole = isinstance(index, slice)  # x[a:b] slices even a whole dim
    index, basic = normalize_index(index, input._data.shape)
    if basic:
        out = BasicIndex.apply(input, index)
        if out.grad_fn is not None:
            out.grad_fn.torch_name = basic_index_name(index, input._data.shape, whole)
        return out
    check_empty_masks(input._data.shape, index)
    steps = split_ints(index)
    if steps is not None:
        input, index = BasicIndex.apply(input, steps[0]), steps[1]
    index = checked_arrays(index, input._data)
    try:
        return AdvancedIndex.apply(input, index)
    except IndexError as e:
        shape = indexed_shape(input._data.shape, index)
        if not math.prod(shape):  # PyTorch reads no index (nor checks its range)
            return AdvancedIndex.apply(input, reading_none(index))
        raise IndexError(numpy_index_error(e, input._data.shape, index)) from None


def basic_index_name(index: tuple, shape: tuple, whole: bool = False) -> str:
    """PyTorch indexes item by item; its node is that of the last item that did something (a
    slice from 0 of a whole dim does nothing unless ``whole``), else an alias's."""
    name = "AliasBackward0"
    for item, n in zip(index, _dims_of(index, shape)):
        if item is None:
            name = "UnsqueezeBackward0"
        elif isinstance(item, slice):
            if whole or not _whole(item, n):
                name = "SliceBackward0"
        elif item is not Ellipsis:
            name = "SelectBackward0"
    return name


def tensor_arg(op: str, name: str, position: int, value) -> None:
    """PyTorch's TypeError where ``op`` takes a tensor ``name`` (``position``: in the method
    form) and was given something else."""
    if not isinstance(value, Tensor):
        raise not_a_tensor(op, name, position, value)


def not_a_tensor(op: str, name: str, position: int, value) -> TypeError:
    """The TypeError of ``tensor_arg`` (``value`` is no tensor)."""
    from ..factories import _type_name  # noqa: PLC0415

    return TypeError(
        f"{op}(): argument '{name}' (position {position}) must be Tensor, not {_type_name(value)}"
    )


def check_tensor_and_value(op: str, *args) -> None:
    """PyTorch's TypeError for ``op(..., tensor, value)``, whose last two arguments must be
    a tensor and a number or a tensor (masked_fill, index_fill, scatter)."""
    *_, tensor, value = args
    if not isinstance(tensor, Tensor) or not isinstance(value, (Tensor, int, float, np.generic)):
        from ..factories import _type_name  # noqa: PLC0415 (error path only)

        got = ", ".join("Tensor" if isinstance(a, Tensor) else _type_name(a) for a in args)
        raise TypeError(
            f"{op}() received an invalid combination of arguments - got ({got}), but expected "
            "one of:\n * (..., Tensor, Number)\n * (..., Tensor, Tensor)"
        )


LONG = (np.dtype(np.int64),)
INT_OR_LONG = (np.dtype(np.int64), np.dtype(np.int32))


def _as_index(index: Tensor, message: str, dtypes: tuple = INT_OR_LONG, error=RuntimeError,
              empty_ok: bool = False):  # fmt: skip
    """The array of an index tensor, or PyTorch's ``error`` with ``message`` (``{}``: the
    index's scalar-type name) when its dtype is not one of ``dtypes`` (``empty_ok``: an empty
    index of any dtype is taken, as int64, as by PyTorch's gather and scatter)."""
    data = index._data if isinstance(index, Tensor) else np.asarray(index)
    if data.dtype not in dtypes:
        if empty_ok and not data.size:
            return data.astype(np.int64)
        raise error(message.format(_dtypes.scalar_type_name(data.dtype)))
    return data


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Mirrors ``torch.gather`` (``sparse_grad`` is accepted; gradients are dense)."""
    tensor_arg("gather", "index", 2, index)
    d = wrap_dim(dim, input._data.ndim)
    idx = _as_index(index, "gather(): Expected dtype int32/int64 for index", empty_ok=True)
    if not idx.size:  # PyTorch checks nothing more: an empty result of the index's shape
        return name_node(input.reshape(-1)[:0].reshape(idx.shape), "GatherBackward0")
    shape, ishape = input._data.shape or (1,), idx.shape or (1,)  # 0-d counts as 1-d
    if len(ishape) != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for i, (n, m) in enumerate(zip(ishape, shape)):
        if i != d and n > m:
            raise RuntimeError(
                f"gather(): Size does not match at dimension {i} expected index "
                f"{list(idx.shape)} to be no larger than self {list(input.shape)} apart from "
                f"dimension {d}"
            )
    clipped = _check_range(idx, shape[d], d, "gather")
    clipped = None if clipped is idx else clipped.reshape(ishape)
    if idx is index._data:  # the index tensor itself: backward checks its version
        idx = index
    if input._data.ndim and idx.ndim:
        return Gather.apply(input, d, idx, clipped)
    out = Gather.apply(input.reshape(shape), d, idx.reshape(ishape), clipped).reshape(index.shape)
    return name_node(out, "GatherBackward0")


SCATTER_INDEX = "scatter(): Expected dtype int32/int64 for index"


def check_scatter(input: Tensor, d: int, idx, src: Tensor | None):
    """PyTorch's checks of scatter, scatter_add and scatter_reduce: ``src`` (None for a
    number) of self's dtype, a non-empty ``idx`` with self's number of dims, no larger than
    self apart from dim ``d`` and no larger than ``src``, its values in range. Returns
    ``idx``; an empty one (of any shape, as PyTorch takes it) with self's number of dims."""
    if src is not None and src._data.dtype != input._data.dtype:
        raise RuntimeError(
            "scatter(): Expected self.dtype to be equal to src.dtype, got "
            f"{_dtypes.scalar_type_name(input._data.dtype)} and "
            f"{_dtypes.scalar_type_name(src._data.dtype)}"
        )
    if idx.size == 0:
        return idx.reshape((0,) * max(input._data.ndim, 1))
    shape, ishape = input._data.shape or (1,), idx.shape or (1,)  # 0-d counts as 1-d
    if len(ishape) != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None and len(src._data.shape or (1,)) != len(ishape):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    wrong = any(i != d and n > m for i, (n, m) in enumerate(zip(ishape, shape)))
    if src is not None:
        wrong = wrong or any(n > m for n, m in zip(ishape, src._data.shape or (1,)))
    if wrong:
        raise RuntimeError(
            f"Expected index {list(idx.shape)} to be no larger than self {list(input.shape)} "
            f"apart from dimension {d}"
            + (f" and to be no larger size than src {list(src.shape)}" if src is not None else "")
        )
    return _check_range(idx, shape[d], d, "scatter")


def scatter_as_1d(op, input: Tensor, dim: int, index: Tensor, src, *args, **kwargs) -> Tensor:
    """``op`` (scatter, scatter_add, scatter_reduce) on a 0-d ``input`` (checked), read as a
    1-element vector as PyTorch does, with the 0-d or 1-d ``index`` and ``src`` (a tensor
    or a number) read as vectors; the result is 0-d again."""
    src = src.reshape(-1) if isinstance(src, Tensor) else src
    out = op(input.reshape(1), dim, index.reshape(-1), src, *args, **kwargs)
    if out.grad_fn is None:
        return out.reshape(())
    return name_node(out.reshape(()), type(out.grad_fn).__name__)  # op's node, as PyTorch's


def _check_range(idx, n: int, dim: int, name: str, error=RuntimeError):
    """``idx``, whose indices must lie in [0, n): PyTorch's gather/scatter/index_select take
    no negatives. A host index is checked now; a device's is not read back, but checked on
    the device and clipped (``checked_index``: PyTorch's CUDA kernels assert on the device)."""
    return checked_index(
        idx,
        n,
        lambda i: error(f"{name}(): index {i} is out of bounds for dimension {dim} with size {n}"),
        name,
    )


def _out_of_range_in_self(message: str) -> IndexError:
    return IndexError(f"index out of range in self: {message}")  # PyTorch's words


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """Mirrors ``torch.scatter_add``."""
    tensor_arg("scatter_add", "index", 2, index)
    tensor_arg("scatter_add", "src", 3, src)
    d = wrap_dim(dim, input._data.ndim)
    idx = _as_index(index, SCATTER_INDEX, empty_ok=True)
    idx = check_scatter(input, d, idx, src)
    if not input._data.ndim:
        return scatter_as_1d(scatter_add, input, d, index, src)
    return ScatterAdd.apply(input, d, idx, src)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """Mirrors ``torch.index_select``."""
    tensor_arg("index_select", "index", 2, index)
    d = wrap_dim(dim, input._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    idx = _as_index(index, "index_select(): Expected dtype int32 or int64 for index")
    if input._data.ndim == 0:
        if idx.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
            )
        idx = _check_range(idx, 1, d, "index_select", _out_of_range_in_self)
        out = IndexSelect.apply(input.reshape(1), 0, idx.reshape(-1)).reshape(())
        return name_node(out, "IndexSelectBackward0")
    idx = _check_select_range(idx, input._data.shape, d)
    return IndexSelect.apply(input, d, idx.reshape(-1))


def _check_select_range(idx, shape: tuple, d: int):
    """index_select's range check, in PyTorch's words: its kernels for dim 1 and for an
    empty self (of several dims) say them their own way. Returns ``idx`` (clipped on a
    device, see ``_check_range``)."""
    if len(shape) > 1 and idx.size and (d == 1 or 0 in shape):
        if not shape[d]:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        n = shape[d]
        error = lambda i: RuntimeError(
            f"INDICES element is out of DATA bounds, id={i} axis_dim={n}"
        )
        return checked_index(idx, n, error, "index_select")
    return _check_range(idx, shape[d], d, "index_select", _out_of_range_in_self)


def _repeated_indices(counts, output_size) -> np.ndarray:
    """``torch.repeat_interleave(counts)`` on a host array: 0, 1, ... each ``counts[i]`` times."""
    if counts.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if counts.dtype.kind not in "iu":
        name = _dtypes.scalar_type_name(counts.dtype)
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{name}'")
    if counts.size and counts.min() < 0:
        raise RuntimeError("repeats can not be negative")
    index = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    if output_size is not None and index.size != output_size:
        raise RuntimeError("allocated size does not match required size")
    return index


def repeat_interleave(input: Tensor, repeats=None, dim: int | None = None, *, output_size=None):
    """Mirrors ``torch.repeat_interleave``: each slice along ``dim`` (of the flattened input
    when ``dim`` is None) ``repeats`` times in a row (an int, or one count per slice); with
    only a tensor of counts, the indices 0, 1, ... each repeated that many times. It is an
    index_select (counts in a tensor) or a view of an expanded copy (an int), as PyTorch's;
    its gradient sums the copies."""
    if repeats is None:  # torch.repeat_interleave(counts)
        index = _repeated_indices(input.cpu()._data, output_size)
        return make_tensor(to_backend(index.astype(input._data.dtype, copy=False), input._data))
    if dim is None:
        input, dim = input.reshape(-1), 0
    if not input._data.ndim:  # PyTorch asks a 0-d tensor for its size at dim (or unsqueezes)
        if isinstance(repeats, Tensor):
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        wrap_dim(wrap_dim(dim, 0) + 1, 0)
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d]
    if isinstance(repeats, Tensor):
        reps = repeats.cpu()._data
        if reps.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if reps.size != n and reps.size == 1:
            reps = np.broadcast_to(reps.reshape(-1), (n,))
        elif reps.size != n:
            raise RuntimeError(
                "repeats must have the same size as input along dim, but got "
                f"repeats.size(0) = {reps.size} and input.size({d}) = {n}"
            )
        index = _repeated_indices(reps.reshape(-1), output_size)
    else:
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        if output_size is not None and output_size != n * repeats:
            raise RuntimeError(
                f"repeat_interleave: Invalid output_size, expected {n * repeats} but got "
                f"{output_size}"
            )
        # PyTorch's: each slice expanded along a new dim, copied, viewed as one dim
        grown = input.unsqueeze(d + 1)
        sizes = grown.shape[: d + 1] + (repeats,) + grown.shape[d + 2 :]
        return grown.expand(sizes).clone(memory_format=contiguous_format).flatten(d, d + 1)
    return IndexSelect.apply(input, d, to_backend(index, input._data))


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """Mirrors ``torch.index_add``: a copy of ``input`` with ``alpha * source``'s slices
    added to its slices ``index`` along ``dim`` (repeated indices accumulate)."""
    d, idx = check_index_source("index_add", input, dim, index, source, alpha)
    if alpha != 1:
        kind = source._data.dtype.kind
        source = source * (bool(alpha) if kind == "b" else int(alpha) if kind in "iu" else alpha)
    if not input._data.ndim:
        out = IndexAdd.apply(input.reshape(1), 0, idx.reshape(-1), source.reshape(1))
        return name_node(out.reshape(()), "IndexAddBackward0")
    return IndexAdd.apply(input, d, idx.reshape(-1), source)


def check_index_source(op: str, input: Tensor, dim: int, index: Tensor, source: Tensor,
                       alpha=1):  # fmt: skip
    """PyTorch's checks of ``op`` (index_add with ``alpha``, index_reduce): a vector
    ``index`` of in-range int32/int64 values, one per slice of ``source`` along ``dim``,
    whose other dims and dtype are ``input``'s. Returns the wrapped dim and the index array."""
    tensor_arg(op, "index", 2, index)
    tensor_arg(op, "source", 3, source)
    x, src = input._data, source._data
    d = wrap_dim(dim, x.ndim)  # (PyTorch's first check)
    idx = _as_index(index, f"{op}_(): Expected dtype int32/int64 for index but got: {{}}")
    if idx.ndim > 1:
        raise IndexError(
            f"{op}_(): Index is supposed to be a vector, but got dim: {idx.ndim} with "
            f"type: {_dtypes.scalar_type_name(idx.dtype)} and size: {list(idx.shape)}"
        )
    if src.dtype != x.dtype:
        raise RuntimeError(
            f"{op}_(): self ({_dtypes.scalar_type_name(x.dtype)}) and source "
            f"({_dtypes.scalar_type_name(src.dtype)}) must have the same scalar type"
        )
    if d != 0 and d >= src.ndim:
        raise RuntimeError(
            f"{op}_(): Indexing dim {d} is out of bounds of the source tensor with dim {src.ndim}"
        )
    n = src.shape[d] if src.ndim else 1
    if idx.size != n and x.ndim and not src.ndim:  # PyTorch reads the 0-d source's size(dim)
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if idx.size != n:
        raise RuntimeError(
            f"{op}_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
            f"({n}), for dim: {d}"
        )
    x_rest, src_rest = x.shape, src.shape
    if x.ndim and src.ndim:
        x_rest, src_rest = x.shape[:d] + x.shape[d + 1 :], src.shape[:d] + src.shape[d + 1 :]
    if x_rest != src_rest:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(x.shape)} source.shape = {list(src.shape)}"
        )
    if op == "index_add" and x.ndim > 1:
        # PyTorch's index_add of several dims checks nothing for an empty self; along its
        # first or last dim it scatters (with alpha 1), with scatter's words
        if x.size and d in (0, x.ndim - 1) and alpha == 1:
            idx = _check_range(idx, x.shape[d], d, f"{op}_")
        elif x.size:
            idx = _check_range(idx, x.shape[d], d, f"{op}_", _out_of_range_in_self)
        return d, idx
    return d, _check_range(idx, x.shape[d] if x.ndim else 1, d, f"{op}_", _out_of_range_in_self)


_C_TYPES = {  # the C++ names PyTorch's scalar-conversion errors give
    "uint8": "uint8_t",
    "int8": "int8_t",
    "int16": "int16_t",
    "int32": "int",
    "int64": "int64_t",
    "float16": "c10::Half",
    "bfloat16": "c10::BFloat16",
    "float32": "float",
}


def check_fill_value(op: str, value, dtype: np.dtype, floats: bool = True):
    """``value`` as ``op`` stores it in ``dtype``, or PyTorch's error for a Python number
    it cannot store: inf, nan or out of range for an integer dtype (negative integers down
    to -max wrap into unsigned ones, as in PyTorch) and, when ``floats``, beyond a float
    dtype's range (float16's 65504). A numpy float64 is a Python float (its subclass)."""
    if type(value) is np.float64:
        value = float(value)
    if type(value) is int:  # (PyTorch's Scalar: for a bool tensor too)
        check_int_scalar(value)
    if type(value) not in (int, float) or dtype.kind == "b":
        return value
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        low = info.min if dtype.kind == "i" else -info.max if type(value) is int else 0
        fits = math.isfinite(value) and low <= value <= info.max
    elif floats and dtype.kind in "fV":
        fits = not math.isfinite(value) or abs(value) <= float(ml_dtypes.finfo(dtype).max)
    else:
        return value
    if not fits:  # (no op named: PyTorch's factories' words)
        raise RuntimeError(
            f"{op}: " * bool(op) + "value cannot be converted to type "
            f"{_C_TYPES.get(dtype.name, dtype.name)} without overflow"
        )
    if dtype == np.float16 and type(value) is float:  # PyTorch's Half(float(value))
        return float(np.float32(value))
    return int(value) % (info.max + 1) if dtype.kind == "u" and value < 0 else value


def check_mask_and_value(mask: Tensor, value) -> None:
    """masked_fill_'s checks, in PyTorch's order: a 0-d value tensor, then a bool mask."""
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s)."
        )
    if mask._data.dtype != np.bool_:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_dtypes.CPP_NAMES.get(mask._data.dtype.name, (mask._data.dtype.name,))[0]}"
        )


def masked_fill(input: Tensor, mask: Tensor, value) -> Tensor:
    """Mirrors ``torch.masked_fill`` (``value`` a number or a 0-d tensor)."""
    check_tensor_and_value("masked_fill", mask, value)
    m = mask._data
    try:
        out_shape = np.broadcast_shapes(input._data.shape, m.shape)
    except ValueError:
        raise broadcast_error("masked_fill", m, input) from None
    check_mask_and_value(mask, value)  # (PyTorch broadcasts, then runs masked_fill_)
    overload_tensor = isinstance(value, Tensor)  # PyTorch's node: MaskedFillBackward1
    if overload_tensor and not value.requires_grad and not forward_ad.is_dual(value):
        value = value._data.item()
    value = check_fill_value("", parsed_number(value), input._data.dtype)  # PyTorch's words
    if out_shape != input._data.shape:
        input = input.expand(tuple(out_shape))
    out = MaskedFill.apply(input, m, value)
    return name_node(out, "MaskedFillBackward1") if overload_tensor else out


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """Mirrors ``torch.masked_select``."""
    tensor_arg("masked_select", "mask", 1, mask)
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got {mask.dtype}")
    try:
        shape = np.broadcast_shapes(input._data.shape, mask._data.shape)
    except ValueError:
        raise broadcast_error("masked_select", mask, input) from None
    if input._data.shape != shape:
        input = input.expand(tuple(shape))
    return name_node(input[mask.expand(tuple(shape))], "MaskedSelectBackward0")


def nonzero(input: Tensor, *, as_tuple: bool = False):
    """Mirrors ``torch.nonzero``."""
    x = input._data
    idx = np.nonzero(x if x.ndim else x.reshape(1))  # a 0-d tensor counts as one element
    if as_tuple:
        return tuple(make_tensor(i.astype(np.int64)) for i in idx)
    return make_tensor(np.stack(idx)[: x.ndim].astype(np.int64).T)  # PyTorch's layout


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """Mirrors ``torch.nonzero_static``: ``nonzero(input)`` cut to ``size`` rows, or padded
    to them with rows of ``fill_value``."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    found = nonzero(input)._data
    out = np.full_like(found, fill_value, shape=(size, found.shape[1]))
    k = min(size, found.shape[0])
    out[:k] = found[:k]
    return make_tensor(out)


def argwhere(input: Tensor) -> Tensor:
    """Mirrors ``torch.argwhere``: the indices of the nonzero elements, one row each."""
    return nonzero(input)
