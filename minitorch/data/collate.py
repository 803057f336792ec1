"""Collation: turning a list of samples into a batch. Mirrors
``torch.utils.data._utils.collate`` (``default_collate``, ``default_convert``, ``collate`` with a
type -> function registry), with PyTorch's output types: tensors are stacked, numpy arrays become
tensors of their own dtype, Python floats float64, ints int64, bools bool, strings stay a
sequence, tuples become lists, namedtuples, lists and dicts keep their type."""

from __future__ import annotations

import collections.abc
import copy
import re

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ..factories import as_tensor, tensor
from ..ops import stack

np_str_obj_array_pattern = re.compile(r"[SaUO]")  # numpy dtype codes default_collate can't batch
default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def collate_tensor_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    """Mirrors ``torch.utils.data._utils.collate.collate_tensor_fn``: stacks along a new dim 0."""
    return stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map: dict | None = None):
    """Mirrors ``collate_numpy_array_fn``: the arrays as tensors, collated by ``collate_fn_map``."""
    if np_str_obj_array_pattern.search(batch[0].dtype.str):
        raise TypeError(default_collate_err_msg_format.format(batch[0].dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    """Mirrors ``collate_numpy_scalar_fn``: numpy scalars as one tensor of their dtype."""
    return as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    """Mirrors ``collate_float_fn``: Python floats as a float64 tensor."""
    return tensor(batch, dtype=_dtypes.float64)


def collate_int_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    """Mirrors ``collate_int_fn``: Python ints (and bools) as ``torch.tensor(batch)``."""
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map: dict | None = None):
    """Mirrors ``collate_str_fn``: strings and bytes stay as they are."""
    return batch


default_collate_fn_map: dict = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def _rebuild(elem, items: dict | list):
    """A container like ``elem`` holding ``items`` (a mutable one is copied and filled in),
    or ``items`` itself when that type can't be rebuilt, as PyTorch's collate does."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(items)
            return clone
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def collate(batch, *, collate_fn_map: dict | None = None):
    """Mirrors ``torch.utils.data._utils.collate.collate``: collates ``batch`` by the type of
    its first element, looked up in ``collate_fn_map`` (exact type first, then subclasses in
    insertion order), recursing into mappings, namedtuples and sequences."""
    elem = batch[0]
    if collate_fn_map is not None:
        fn = collate_fn_map.get(type(elem))
        if fn is None:
            fn = next((f for t, f in collate_fn_map.items() if isinstance(elem, t)), None)
        if fn is not None:
            return fn(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        items = {
            key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem
        }
        return _rebuild(elem, items)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(collate(s, collate_fn_map=collate_fn_map) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        items = [collate(s, collate_fn_map=collate_fn_map) for s in zip(*batch)]
        return items if isinstance(elem, tuple) else _rebuild(elem, items)
    raise TypeError(default_collate_err_msg_format.format(type(elem)))


def default_collate(batch):
    """Mirrors ``torch.utils.data.default_collate``: a list of samples -> one batch."""
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Mirrors ``torch.utils.data.default_convert`` (used when auto-batching is off): numpy
    arrays and scalars (but strings) become tensors, inside containers too; everything else is
    unchanged."""
    if isinstance(data, Tensor):
        return data
    kind = type(data)
    if kind.__module__ == "numpy" and kind.__name__ not in ("str_", "string_"):  # PyTorch's test
        if kind.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str):
            return data
        return as_tensor(data)  # (datetimes, bytes_...: its error)
    if isinstance(data, collections.abc.Mapping):
        items = {key: default_convert(data[key]) for key in data}
        return _rebuild(data, items)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, str | bytes):
        items = [default_convert(d) for d in data]
        return _rebuild(data, items)
    return data
