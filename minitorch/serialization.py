"""save / load without pickle: the safetensors format, written and read here directly.

A file is: 8 bytes (little-endian u64) header length N, N bytes of JSON header, then the raw
little-endian bytes of every array. The header maps each array's key to
``{"dtype", "shape", "data_offsets"}``; minitorch stores the nested structure of the saved
object (dicts, OrderedDicts, Counters, lists, tuples, sets, numbers, numpy scalars, strings,
bytes, None, dtypes, devices, Sizes, argparse Namespaces) as JSON in the header's
``__metadata__["minitorch"]``, with each tensor replaced by a reference to its key. Files
written by other safetensors writers (e.g. PyTorch's ``safetensors.torch.save_file``) load as
a flat ``{name: Tensor}`` dict. Loading parses JSON and copies bytes: it can never run code.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import pickle  # only for its exception type: nothing here unpickles
import struct
import tempfile
from collections import Counter, OrderedDict

import numpy as np

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # numpy < 2
    byte_bounds = np.byte_bounds

from ._tensor import Size, Tensor, make_tensor
from .backends import Device, get_backend

_DTYPES = {
    "F16": np.float16, "F32": np.float32, "F64": np.float64, "I8": np.int8, "I16": np.int16,
    "I32": np.int32, "I64": np.int64, "U8": np.uint8, "U16": np.uint16, "U32": np.uint32,
    "U64": np.uint64, "BOOL": np.bool_,
}  # fmt: skip
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}
_MAX_HEADER = 100 * 1024 * 1024


_safe_globals: list = []


def add_safe_globals(safe_globals: list) -> None:
    """Mirrors ``torch.serialization.add_safe_globals``: in PyTorch, classes its weights_only
    unpickler may build. minitorch never unpickles (``load`` builds only what ``save``
    writes), so the list is only kept, for ``get_safe_globals``."""
    _safe_globals.extend(safe_globals)


def get_safe_globals() -> list:
    """Mirrors ``torch.serialization.get_safe_globals``."""
    return list(_safe_globals)


def clear_safe_globals() -> None:
    """Mirrors ``torch.serialization.clear_safe_globals``."""
    _safe_globals.clear()


class safe_globals:  # noqa: N801 (PyTorch's name)
    """Mirrors the ``torch.serialization.safe_globals`` context manager: adds to the list of
    ``add_safe_globals`` for the block."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = safe_globals

    def __enter__(self) -> None:
        self.initial = get_safe_globals()
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc) -> None:
        _safe_globals[:] = self.initial


class UnsafeOrCorruptFileError(RuntimeError, pickle.UnpicklingError):
    """Raised for files that are truncated, corrupted, or not safetensors (e.g. a pickle);
    code catching PyTorch's RuntimeError or UnpicklingError for a bad checkpoint catches it."""


class EmptyFileError(UnsafeOrCorruptFileError, EOFError):
    """An empty file, for which PyTorch raises EOFError."""


def save(obj, f, **_ignored) -> None:
    """Mirrors ``torch.save`` for nested dicts/lists/tuples of tensors, numpy arrays, numbers,
    strings and None. The write is atomic: a crash mid-write leaves the old file intact.
    PyTorch's pickle options (``pickle_module``, ``pickle_protocol``,
    ``_use_new_zipfile_serialization``) are accepted and have no effect: nothing is pickled."""
    arrays: dict = {}
    structure = _encode(obj, arrays, {})
    header: dict = {}
    offset = 0
    blobs = []
    for key, arr, *_ in arrays.values():
        arr = np.asarray(arr, order="C")  # (ascontiguousarray would make a 0-d array 1-d)
        if arr.dtype not in _CODES:
            raise TypeError(f"save: dtype {arr.dtype} of {key!r} is not supported")
        raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).reshape(-1).view(np.uint8)
        header[key] = {
            "dtype": _CODES[arr.dtype],
            "shape": list(arr.shape),
            "data_offsets": [offset, offset + raw.nbytes],
        }
        blobs.append(raw)
        offset += raw.nbytes
    header["__metadata__"] = {"minitorch": json.dumps(structure, allow_nan=False)}
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)  # the format pads the header to 8 bytes
    if hasattr(f, "write"):
        _write(f, head, blobs)
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist.")
    if os.path.isdir(path):
        raise RuntimeError(f"save: {path} is a directory; give the path of a file to write")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            _write(out, head, blobs)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _write(out, head: bytes, blobs: list) -> None:
    out.write(struct.pack("<Q", len(head)))
    out.write(head)
    for raw in blobs:
        out.write(raw)


def _store(arrays: dict, source: np.ndarray) -> str:
    """The key of numpy array ``source``, stored once however often it is referenced."""
    entry = arrays.get(("array", id(source)))
    if entry is None:
        entry = arrays[("array", id(source))] = (f"t{len(arrays)}", source)
    return entry[0]


def _store_view(arrays: dict, data) -> dict:
    """Where backend array ``data`` lies in the storage it views (the memory at the bottom of
    its chain of bases), which is stored whole and once, as PyTorch saves a tensor's storage:
    tensors saved together that share memory (views, tied weights) load sharing it, with
    their shapes, strides and storage offsets."""
    root = data
    while isinstance(root.base, type(data)):
        root = root.base
    entry = arrays.get(("storage", id(root)))
    if entry is None:
        span, low = _span(root)
        typed = span[: span.size // data.itemsize * data.itemsize].view(data.dtype)
        if data.flags.c_contiguous and data.size == typed.size:  # other readers see its shape
            typed = typed.reshape(data.shape)
        host = typed if isinstance(typed, np.ndarray) else typed.get()
        entry = arrays[("storage", id(root))] = (f"t{len(arrays)}", host, root, low)
    elif entry[1].dtype != data.dtype:
        raise RuntimeError(
            "Cannot save multiple tensors or storages that view the same data as different types"
        )
    item = data.itemsize
    offset = (_address(data) - entry[3]) // item
    if not data.size:  # numpy may place an empty array anywhere
        offset = min(max(offset, 0), entry[1].size)
    return {
        "__tensor__": entry[0],
        "shape": list(data.shape),
        "stride": [s // item for s in data.strides],
        "offset": offset,
    }


def _span(root):
    """The bytes (a 1-D uint8 array, not a copy) that array ``root`` spans, and the address
    of the first."""
    if root.flags.c_contiguous or root.flags.f_contiguous:
        flat = root.ravel(order="K")  # a view, in memory order
        return flat.view("uint8"), _address(flat)
    low, high = byte_bounds(root)  # a strided root: a numpy array made over foreign memory
    return np.frombuffer((ctypes.c_char * (high - low)).from_address(low), np.uint8), low


def _address(a) -> int:
    return a.__array_interface__["data"][0] if isinstance(a, np.ndarray) else a.data.ptr


def _encode(obj, arrays: dict, tensors: dict):
    if isinstance(obj, Tensor):
        node = _store_view(arrays, obj._data)
        node["requires_grad"] = bool(obj.requires_grad)
        # a tensor saved twice loads as one object, as pickle's memo gives it in PyTorch
        node["obj"] = tensors.setdefault(id(obj), len(tensors))
        if _is_parameter(obj):
            node["parameter"] = True
        if obj.device.type != "cpu":
            node["device"] = str(obj.device)  # where load puts it back, as PyTorch does
        return node
    if isinstance(obj, np.ndarray):
        return {"__ndarray__": _store(arrays, obj)}
    if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":  # loads as the same type
        return {"__npscalar__": obj.dtype.str, "value": _encode(obj.item(), arrays, tensors)}
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"__float__": repr(obj)}
    if isinstance(obj, complex):
        return {"__complex__": [_encode(v, arrays, tensors) for v in (obj.real, obj.imag)]}
    if isinstance(obj, (bytes, bytearray)):
        return {"__bytes__": obj.hex(), "mutable": isinstance(obj, bytearray)}
    if isinstance(obj, (set, frozenset)):
        items = [_encode(v, arrays, tensors) for v in obj]
        return {"__set__": items, "frozen": isinstance(obj, frozenset)}
    if isinstance(obj, Counter):  # vocabularies' counts
        return {"__counter__": _pairs(obj, arrays, tensors)}
    if isinstance(obj, argparse.Namespace):  # a training script's arguments
        return {"__namespace__": _pairs(vars(obj), arrays, tensors)}
    if isinstance(obj, OrderedDict):  # state_dict()s are OrderedDicts, and load gives them back
        node = {"__odict__": _pairs(obj, arrays, tensors)}
        if hasattr(obj, "_metadata"):  # a state_dict's module versions
            node["metadata"] = _encode(obj._metadata, arrays, tensors)
        return node
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in obj):
            return {k: _encode(v, arrays, tensors) for k, v in obj.items()}
        return {"__dict__": _pairs(obj, arrays, tensors)}
    if isinstance(obj, Size):
        return {"__size__": list(obj)}
    if isinstance(obj, tuple):
        return {"__tuple__": [_encode(v, arrays, tensors) for v in obj]}
    if isinstance(obj, list):
        return [_encode(v, arrays, tensors) for v in obj]
    from ._dtypes import dtype  # noqa: PLC0415

    if isinstance(obj, dtype):
        return {"__dtype__": obj.name}
    if isinstance(obj, Device):
        return {"__device__": str(obj)}
    name = type(obj).__name__
    if hasattr(obj, "state_dict"):  # a whole module or optimizer, which PyTorch pickles
        what = f"save its state_dict() instead and load that into a new {name} with load_state_dict"
    else:
        what = "save tensors, numpy arrays, numbers, strings, None and dicts/lists/tuples of them"
    raise TypeError(f"save: objects of type {name} can't be saved without pickle; {what}")


def _pairs(obj: dict, arrays: dict, tensors: dict) -> list:
    return [[_encode(k, arrays, tensors), _encode(v, arrays, tensors)] for k, v in obj.items()]


def load(f, map_location=None, weights_only: bool = True, **_ignored):
    """Mirrors ``torch.load`` for files written by ``save`` (or any safetensors file).
    Tensors go back to the device they were saved from unless ``map_location`` says
    otherwise: a device ('cpu', 'cuda:1'), a dict from saved to new locations
    (``{'cuda:0': 'cpu'}``), or ``f(tensor, location)`` returning the tensor where it should
    be (PyTorch passes a storage; its usual ``lambda storage, loc: storage`` and
    ``storage.cuda(i)`` work on the CPU tensor given here)."""
    if hasattr(f, "read"):
        data = f.read()
        name = getattr(f, "name", "<stream>")
    else:
        name = os.fspath(f)
        with open(name, "rb") as fh:
            data = fh.read()
    header, body = _parse(data, name)
    arrays = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        arrays[key] = _array(key, info, body, name)
    meta = header.get("__metadata__") or {}
    if "minitorch" not in meta:
        return {k: _tensor(a, "cpu", map_location) for k, a in arrays.items()}
    try:
        return _decode(json.loads(meta["minitorch"]), arrays, map_location, {})
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise UnsafeOrCorruptFileError(f"{name}: corrupted structure metadata ({e!r})") from None


def _parse(data: bytes, name: str):
    if len(data) < 8:
        error = EmptyFileError if not data else UnsafeOrCorruptFileError
        raise error(f"{name}: file is too short to be a checkpoint (truncated?)")
    pickle_like = data[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05", b"PK")
    if pickle_like and data[8:9] != b"{":  # a header length can start with those bytes too
        raise UnsafeOrCorruptFileError(
            f"{name}: this looks like a pickle / torch.save zip file. minitorch never unpickles "
            "(loading a pickle can run arbitrary code); export the tensors with "
            "safetensors (safetensors.torch.save_file) and load that file instead"
        )
    (n,) = struct.unpack("<Q", data[:8])
    if n > _MAX_HEADER or 8 + n > len(data):
        raise UnsafeOrCorruptFileError(
            f"{name}: not a safetensors/minitorch checkpoint, or truncated (header of {n} bytes "
            f"in a file of {len(data)} bytes)"
        )
    try:
        header = json.loads(data[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UnsafeOrCorruptFileError(f"{name}: corrupted header ({e})") from None
    if not isinstance(header, dict):
        raise UnsafeOrCorruptFileError(f"{name}: corrupted header (not a JSON object)")
    return header, memoryview(data)[8 + n :]


def _array(key: str, info, body, name: str) -> np.ndarray:
    try:
        code, shape, (start, end) = info["dtype"], tuple(info["shape"]), info["data_offsets"]
    except (KeyError, TypeError, ValueError):
        raise UnsafeOrCorruptFileError(f"{name}: corrupted entry for {key!r}") from None
    if code == "BF16":  # no bfloat16 in numpy: widen to float32 exactly
        raw = np.frombuffer(body[start:end], dtype="<u2").astype(np.uint32) << 16
        return raw.view(np.float32).reshape(shape).copy()
    if code not in _DTYPES:
        raise UnsafeOrCorruptFileError(f"{name}: unsupported dtype {code!r} for {key!r}")
    dt = np.dtype(_DTYPES[code]).newbyteorder("<")
    expected = int(np.prod(shape, dtype=np.int64)) * dt.itemsize
    if not 0 <= start <= end <= len(body) or end - start != expected:
        raise UnsafeOrCorruptFileError(
            f"{name}: data of {key!r} is out of range or of the wrong size (truncated or corrupted)"
        )
    return (
        np.frombuffer(body[start:end], dtype=dt)
        .astype(dt.newbyteorder("="), copy=True)
        .reshape(shape)
    )


def _tensor(arr: np.ndarray, saved: str, map_location, requires_grad: bool = False) -> Tensor:
    """The tensor of ``arr``, saved on device ``saved``, where ``map_location`` puts it."""
    t = make_tensor(arr)
    if callable(map_location):
        placed = map_location(t, saved)
        target = saved if placed is None else None
        t = t if placed is None else placed
    elif isinstance(map_location, dict):
        target = map_location.get(saved, saved)
    else:
        target = saved if map_location is None else map_location
    if target is not None and Device(target).type != "cpu":
        try:
            get_backend(target)
        except RuntimeError:
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "torch.cuda.is_available() is False. If you are running on a CPU-only machine, "
                "please use torch.load with map_location=torch.device('cpu') to map your "
                "storages to the CPU."
            ) from None
        t = t.to(target)
    t.requires_grad = requires_grad
    return t


def _decode(node, arrays: dict, map_location, memo: dict):
    if isinstance(node, list):
        return [_decode(v, arrays, map_location, memo) for v in node]
    if not isinstance(node, dict):
        return node
    if "__tensor__" in node:
        t = memo.get(node.get("obj"))
        if t is None:
            saved, grad = node.get("device", "cpu"), node.get("requires_grad", False)
            if "stride" in node:
                t = _view(node, _storage(node["__tensor__"], saved, arrays, map_location, memo))
                t.requires_grad = grad
            else:  # a file written before storages were saved: the array is the tensor
                t = _tensor(arrays[node["__tensor__"]], saved, map_location, grad)
            if node.get("parameter"):
                from .nn.parameter import Parameter  # noqa: PLC0415 (nn imports this package)

                t = Parameter(t, t.requires_grad)
            if "obj" in node:
                memo[node["obj"]] = t
        return t
    if "__ndarray__" in node:
        return arrays[node["__ndarray__"]]
    if "__npscalar__" in node:
        value = _decode(node["value"], arrays, map_location, memo)
        return np.dtype(node["__npscalar__"]).type(value)
    if "__tuple__" in node:
        return tuple(_decode(v, arrays, map_location, memo) for v in node["__tuple__"])
    for tag, kind in (("__dict__", dict), ("__odict__", OrderedDict)):
        if tag in node:
            d = kind(
                (
                    _hashable(_decode(k, arrays, map_location, memo)),
                    _decode(v, arrays, map_location, memo),
                )
                for k, v in node[tag]
            )
            if "metadata" in node:
                d._metadata = _decode(node["metadata"], arrays, map_location, memo)
            return d
    if "__size__" in node:
        return Size(node["__size__"])
    if "__complex__" in node:
        return complex(*(_decode(v, arrays, map_location, memo) for v in node["__complex__"]))
    if "__bytes__" in node:
        return (bytearray if node["mutable"] else bytes).fromhex(node["__bytes__"])
    if "__set__" in node:
        items = (_hashable(_decode(v, arrays, map_location, memo)) for v in node["__set__"])
        return (frozenset if node["frozen"] else set)(items)
    if "__counter__" in node:
        return Counter(_decode({"__dict__": node["__counter__"]}, arrays, map_location, memo))
    if "__namespace__" in node:
        fields = _decode({"__dict__": node["__namespace__"]}, arrays, map_location, memo)
        return argparse.Namespace(**fields)
    if "__device__" in node:
        return Device(node["__device__"])
    if "__float__" in node:
        return float(node["__float__"])
    if "__dtype__" in node:
        from . import _dtypes  # noqa: PLC0415

        return getattr(_dtypes, node["__dtype__"] if node["__dtype__"] != "bool" else "bool_")
    return {k: _decode(v, arrays, map_location, memo) for k, v in node.items()}


def _storage(key: str, saved: str, arrays: dict, map_location, memo: dict):
    """The array of storage ``key``, placed once where ``map_location`` puts it."""
    placed = memo.get(("storage", key))
    if placed is None:
        placed = memo[("storage", key)] = _tensor(arrays[key], saved, map_location)._data
    return placed


def _view(node: dict, storage) -> Tensor:
    """The tensor that ``node`` says lies in ``storage`` (a flat array)."""
    item = storage.itemsize
    shape, offset = tuple(node["shape"]), node["offset"] * item
    strides = tuple(s * item for s in node["stride"])
    if isinstance(storage, np.ndarray):
        return make_tensor(np.ndarray(shape, storage.dtype, storage, offset, strides))
    memptr = storage.data + offset  # a GPU storage (cupy)
    return make_tensor(type(storage)(shape, storage.dtype, memptr=memptr, strides=strides))


def _is_parameter(t: Tensor) -> bool:
    from .nn.parameter import Parameter  # noqa: PLC0415 (nn imports this package)

    return isinstance(t, Parameter)


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key
