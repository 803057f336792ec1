"""save / load without pickle: the safetensors format, written and read here directly.

A file is: 8 bytes (little-endian u64) header length N, N bytes of JSON header, then the raw
little-endian bytes of every array. The header maps each array's key to
``{"dtype", "shape", "data_offsets"}``; minitorch stores the nested structure of the saved
object (dicts, OrderedDicts, Counters, defaultdicts, lists, tuples, sets, numbers, numpy
scalars, strings, bytes, None, dtypes, devices, Sizes, argparse Namespaces) as JSON in the header's
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
import sys
import tempfile
import types
from collections import Counter, OrderedDict, defaultdict

import ml_dtypes
import numpy as np

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # numpy < 2
    byte_bounds = np.byte_bounds

from ._tensor import Size, Tensor, make_tensor
from .backends import Device, device_of, get_backend, synced

_DTYPES = {
    "F16": np.float16, "F32": np.float32, "F64": np.float64, "I8": np.int8, "I16": np.int16,
    "I32": np.int32, "I64": np.int64, "U8": np.uint8, "U16": np.uint16, "U32": np.uint32,
    "U64": np.uint64, "BOOL": np.bool_, "BF16": ml_dtypes.bfloat16,
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


def save(obj, f, pickle_module=None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, **_ignored) -> None:  # fmt: skip
    """Mirrors ``torch.save`` for nested dicts/lists/tuples of tensors, numpy arrays, numbers,
    strings and None. The write is atomic: a crash mid-write leaves the old file intact.
    PyTorch's pickle options (``pickle_module``, ``pickle_protocol``,
    ``_use_new_zipfile_serialization``) are accepted: nothing is pickled, but a protocol of 4
    or more makes ``load(weights_only=True)`` refuse the file, as PyTorch's does. Instances
    of classes (a whole Module, a named tuple) are saved as pickle saves them: their class
    by name and their ``__dict__``."""
    arrays: dict = {}
    structure = _encode(obj, arrays, {_SHARED: _shared(obj)})
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
    if _use_new_zipfile_serialization and pickle_protocol >= 4:  # PyTorch's loader refuses it
        header["__metadata__"]["pickle_protocol"] = str(pickle_protocol)
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
        host = typed if isinstance(typed, np.ndarray) else synced(typed).get()
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


_SHARED = "shared"  # the key, in _encode's memo, of the ids of the containers held twice


def _shared(obj) -> set:
    """The ids of the lists, tuples and dicts that ``obj``'s containers hold more than once:
    pickle's memo loads each as one object in PyTorch (a change through one name shows in the
    other)."""
    seen, shared, stack = set(), set(), [obj]
    while stack:
        o = stack.pop()
        if type(o) in (list, tuple, dict, OrderedDict):
            if id(o) in seen:
                shared.add(id(o))
                continue
            seen.add(id(o))
            stack.extend(o.values() if isinstance(o, dict) else o)
    return shared


def _encode(obj, arrays: dict, tensors: dict):
    if id(obj) in tensors[_SHARED]:  # a container held twice: once, then references to it
        seen = tensors.get(id(obj))
        if seen is not None:
            return {"__ref__": seen[0]}
        tensors[id(obj)] = (len(tensors), obj)
        if type(obj) in (list, tuple):
            tag = "__list__" if type(obj) is list else "__tuple__"
            node = {tag: [_encode(v, arrays, tensors) for v in obj]}
        elif type(obj) is dict:
            node = {"__dict__": _pairs(obj, arrays, tensors)}
        else:
            node = _odict(obj, arrays, tensors)
        node["obj"] = tensors[id(obj)][0]
        return node
    if isinstance(obj, Tensor):
        node = _store_view(arrays, obj._data)
        node["requires_grad"] = bool(obj.requires_grad)
        # a tensor saved twice loads as one object, as pickle's memo gives it in PyTorch
        node["obj"] = tensors.setdefault(id(obj), len(tensors))
        kind = _kind(obj)
        if kind == "parameter":
            node["parameter"] = True
        if obj.device.type != "cpu":
            node["device"] = str(obj.device)  # where load puts it back, as PyTorch does
        attrs = getattr(obj, "__dict__", None) or {}  # Python attributes: pickle keeps them
        if kind == "buffer":  # PyTorch's Buffer is a plain tensor marked by two attributes
            attrs = {**attrs, "persistent": obj.persistent, "_is_buffer": True}
        if attrs:
            node["attrs"] = _encode(attrs, arrays, tensors)
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
    if type(obj) is defaultdict:  # loads with its default_factory (a global, as pickle saves it)
        factory = obj.default_factory
        factory = factory if factory is None else _global_name(factory)
        return {"__defaultdict__": factory, "items": _pairs(obj, arrays, tensors)}
    if isinstance(obj, OrderedDict):  # state_dict()s are OrderedDicts, and load gives them back
        return _odict(obj, arrays, tensors)
    if type(obj) is dict:
        if all(isinstance(k, str) and not k.startswith("__") for k in obj):
            return {k: _encode(v, arrays, tensors) for k, v in obj.items()}
        return {"__dict__": _pairs(obj, arrays, tensors)}
    if isinstance(obj, Size):
        return {"__size__": list(obj)}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple, by its class
        args = [_encode(v, arrays, tensors) for v in obj]
        return {"__object__": _global_name(type(obj)), "args": args}
    if isinstance(obj, tuple):
        return {"__tuple__": [_encode(v, arrays, tensors) for v in obj]}
    if type(obj) is list:
        return [_encode(v, arrays, tensors) for v in obj]
    from ._dtypes import dtype  # noqa: PLC0415

    if isinstance(obj, dtype):
        return {"__dtype__": obj.name}
    if isinstance(obj, Device):
        return {"__device__": str(obj)}
    if obj is Ellipsis:
        return {"__global__": "builtins:Ellipsis"}
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)) or _by_name(obj):
        return {"__global__": _global_name(obj)}
    if isinstance(obj, (slice, range)):  # pickle saves them as their class and arguments
        args = (obj.start, obj.stop, obj.step)
        return {f"__{type(obj).__name__}__": [_encode(v, arrays, tensors) for v in args]}
    cls = type(obj)
    if cls.__reduce_ex__ is object.__reduce_ex__ and cls.__reduce__ is object.__reduce__:
        seen = tensors.get(id(obj))
        if seen is not None:  # the same object again (a shared submodule): one object on load
            return {"__ref__": seen[0]}
        obj.__reduce_ex__(2)  # pickle's TypeError for what it can't save (generators, locks)
        tensors[id(obj)] = (len(tensors), obj)
        node = {"__object__": _global_name(cls), "obj": tensors[id(obj)][0]}
        state = obj.__getstate__() if hasattr(obj, "__getstate__") else obj.__dict__
        if isinstance(obj, dict):  # a dict or list subclass: its items too, as pickle saves them
            node["dictitems"] = _pairs(obj, arrays, tensors)
        elif isinstance(obj, list):
            node["listitems"] = [_encode(v, arrays, tensors) for v in obj]
        node["state"] = _encode(state, arrays, tensors)  # after them, as load builds them
        return node
    raise TypeError(
        f"save: objects of type {cls.__name__} can't be saved without pickle; save tensors, "
        "numpy arrays, numbers, strings, containers of them, and objects pickle saves by "
        "their __dict__"
    )


def _by_name(obj) -> bool:
    """Whether pickle saves ``obj`` as a global: its ``__reduce__`` gives its name (numpy's
    functions, ``np.sum``)."""
    if type(obj).__reduce__ is object.__reduce__:
        return False
    try:
        return isinstance(obj.__reduce__(), str)
    except TypeError:  # what pickle can't save: the error comes below
        return False


def _odict(obj: OrderedDict, arrays: dict, tensors: dict) -> dict:
    node = {"__odict__": _pairs(obj, arrays, tensors)}
    if hasattr(obj, "_metadata"):  # a state_dict's module versions
        node["metadata"] = _encode(obj._metadata, arrays, tensors)
    return node


def _global_name(obj) -> str:
    """``module:qualname`` of a class or function, checked to name it as pickle checks."""
    module, qualname = getattr(obj, "__module__", None) or "builtins", obj.__qualname__
    if "<locals>" in qualname:
        raise AttributeError(f"Can't pickle local object {qualname!r}")
    try:
        found = _resolve(f"{module}:{qualname}")
    except (KeyError, AttributeError):
        found = None
    if found is not obj:
        raise pickle.PicklingError(
            f"Can't pickle {obj!r}: attribute lookup {qualname} on {module} failed"
        )
    return f"{module}:{qualname}"


def _resolve(name: str):
    """The class or function ``module:qualname`` names, in a module already imported
    (nothing is imported: loading runs no module's code)."""
    module, qualname = name.split(":")
    obj = sys.modules[module]
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _pairs(obj: dict, arrays: dict, tensors: dict) -> list:
    return [[_encode(k, arrays, tensors), _encode(v, arrays, tensors)] for k, v in obj.items()]


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **_ignored):  # fmt: skip
    """Mirrors ``torch.load`` for files written by ``save`` (or any safetensors file).
    Tensors go back to the device they were saved from unless ``map_location`` says
    otherwise: a device ('cpu', 'cuda:1'), a dict from saved to new locations
    (``{'cuda:0': 'cpu'}``), or ``f(tensor, location)`` returning the tensor where it should
    be (PyTorch passes a storage; its usual ``lambda storage, loc: storage`` and
    ``storage.cuda(i)`` work on the CPU tensor given here).

    ``weights_only`` (PyTorch's default: True unless a ``pickle_module`` is given) refuses, with PyTorch's UnpicklingError, what
    PyTorch's weights-only unpickler refuses (numpy arrays and scalars, frozensets, named
    tuples, class instances, functions) unless ``add_safe_globals`` / ``safe_globals``
    allowlist it. With ``weights_only=False`` objects are rebuilt as pickle does, from
    classes and functions already imported (nothing is imported, no saved code runs)."""
    weights_only = pickle_module is None if weights_only is None else bool(weights_only)
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if mmap and not isinstance(f, (str, os.PathLike)):
        raise ValueError("f must be a file path in order to use the mmap argument")
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
        if weights_only and int(meta.get("pickle_protocol", 2)) >= 4:
            raise pickle.UnpicklingError(_PROTOCOL_4)
        return _decode(json.loads(meta["minitorch"]), _Loading(arrays, map_location, weights_only))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise UnsafeOrCorruptFileError(f"{name}: corrupted structure metadata ({e!r})") from None


def _parse(data: bytes, name: str):
    if not data:  # PyTorch's error, from pickle
        raise EOFError("Ran out of input")
    if len(data) < 8:
        raise UnsafeOrCorruptFileError(f"{name}: file is too short to be a checkpoint (truncated?)")
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


def _decode(node, ctx: _Loading):  # noqa: C901, PLR0911, PLR0912 (one branch per kind)
    if isinstance(node, list):
        return [_decode(v, ctx) for v in node]
    if not isinstance(node, dict):
        return node
    if "__tensor__" in node:
        t = ctx.memo.get(node.get("obj"))
        if t is None:
            saved, grad = node.get("device", "cpu"), node.get("requires_grad", False)
            if "stride" in node:
                key = node["__tensor__"]
                placed = _storage(key, saved, ctx)
                if isinstance(placed, np.ndarray):
                    t = make_tensor(_strided(placed, node))
                else:  # on a GPU each tensor is copied there: views don't share memory there
                    t = make_tensor(_strided(ctx.arrays[key], node)).to(device_of(placed))
                t.requires_grad = grad
            else:  # a file written before storages were saved: the array is the tensor
                t = _tensor(ctx.arrays[node["__tensor__"]], saved, ctx.map_location, grad)
            if node.get("parameter"):
                from .nn.parameter import Parameter  # noqa: PLC0415 (nn imports this package)

                t = Parameter(t, t.requires_grad)
            if "obj" in node:
                ctx.memo[node["obj"]] = t
            t.__dict__.update(_decode(node.get("attrs", {}), ctx))
        return t
    if "__ndarray__" in node:
        array = ctx.arrays[node["__ndarray__"]]
        ctx.allow(_reconstruct, np.ndarray, np.dtype, type(array.dtype))
        return array
    if "__npscalar__" in node:
        dt = np.dtype(node["__npscalar__"])
        ctx.allow(_scalar, np.dtype, type(dt))
        return dt.type(_decode(node["value"], ctx))
    if "__ref__" in node:
        return ctx.memo[node["__ref__"]]
    if "__object__" in node:
        return _object(node, ctx)
    if "__global__" in node:
        ctx.allow(node["__global__"])
        return _resolve(node["__global__"])
    if "__tuple__" in node:
        return ctx.remember(node, tuple(_decode(v, ctx) for v in node["__tuple__"]))
    if "__list__" in node:  # a list held twice (remembered first: it may hold itself)
        items = ctx.remember(node, [])
        items.extend(_decode(v, ctx) for v in node["__list__"])
        return items
    for tag, kind in (("__dict__", dict), ("__odict__", OrderedDict)):
        if tag in node:
            d = ctx.remember(node, kind())
            d.update((_hashable(_decode(k, ctx)), _decode(v, ctx)) for k, v in node[tag])
            if "metadata" in node:
                d._metadata = _decode(node["metadata"], ctx)
            return d
    if "__size__" in node:
        return Size(node["__size__"])
    for tag, kind in (("__slice__", slice), ("__range__", range)):
        if tag in node:
            ctx.allow(kind)
            return kind(*(_decode(v, ctx) for v in node[tag]))
    if "__complex__" in node:
        return complex(*(_decode(v, ctx) for v in node["__complex__"]))
    if "__bytes__" in node:
        return (bytearray if node["mutable"] else bytes).fromhex(node["__bytes__"])
    if "__set__" in node:
        if node["frozen"]:
            ctx.allow(frozenset)
        items = (_hashable(_decode(v, ctx)) for v in node["__set__"])
        return (frozenset if node["frozen"] else set)(items)
    if "__defaultdict__" in node:
        factory = node["__defaultdict__"]
        ctx.allow(defaultdict, *([] if factory is None else [factory]))
        d = defaultdict(factory if factory is None else _resolve(factory))
        d.update(_decode({"__dict__": node["items"]}, ctx))
        return d
    if "__counter__" in node:
        return Counter(_decode({"__dict__": node["__counter__"]}, ctx))
    if "__namespace__" in node:
        ctx.allow(argparse.Namespace)
        fields = _decode({"__dict__": node["__namespace__"]}, ctx)
        return argparse.Namespace(**fields)
    if "__device__" in node:
        return Device(node["__device__"])
    if "__float__" in node:
        return float(node["__float__"])
    if "__dtype__" in node:
        from . import _dtypes  # noqa: PLC0415

        return getattr(_dtypes, node["__dtype__"] if node["__dtype__"] != "bool" else "bool_")
    return {k: _decode(v, ctx) for k, v in node.items()}


class _Loading:
    """What decoding one file needs: its arrays, ``map_location``, the objects built so far
    (by their index in the file) and whether to load weights only."""

    def __init__(self, arrays: dict, map_location, weights_only: bool) -> None:
        self.arrays, self.map_location, self.weights_only = arrays, map_location, weights_only
        self.memo: dict = {}

    def remember(self, node: dict, obj):
        """``obj``, kept as the object ``__ref__`` nodes name when ``node`` has an index."""
        if "obj" in node:
            self.memo[node["obj"]] = obj
        return obj

    def allow(self, *needed) -> None:
        """Raises PyTorch's weights-only error for the first of ``needed`` (globals, or their
        ``module:qualname``) that is not allowlisted."""
        if not self.weights_only:
            return
        allowed = {g[1] if isinstance(g, tuple) else _dotted(g) for g in _safe_globals}
        for g in needed:
            name = _dotted(g)
            if name not in allowed:
                raise pickle.UnpicklingError(_WEIGHTS_ONLY.format(name=name))


def _dotted(g) -> str:
    """A global as PyTorch's messages name it: ``module.qualname`` (a builtin: its name)."""
    if isinstance(g, str):
        module, _, qualname = g.rpartition(":")
    else:
        module, qualname = getattr(g, "__module__", None) or "builtins", g.__qualname__
    return qualname if module == "builtins" else f"{module}.{qualname}"


_reconstruct, _scalar = np.ndarray.__reduce__(np.zeros(0))[0], np.float64(0).__reduce__()[0]

_WEIGHTS_ONLY_HEAD = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, "
    "\x1b[1mdo those steps only if you trust the source of the checkpoint\x1b[0m. \n\t(1) In "
    "PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will "
    "likely succeed, but it can result in arbitrary code execution. Do it only if you got the "
    "file from a trusted source.\n\t(2) Alternatively, to load with `weights_only=True` please "
    "check the recommended steps in the following error message.\n\tWeightsUnpickler error: "
)
_WEIGHTS_ONLY_TAIL = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default "
    "with weights_only https://pytorch.org/docs/stable/generated/torch.load.html."
)
_WEIGHTS_ONLY = (
    _WEIGHTS_ONLY_HEAD
    + "Unsupported global: GLOBAL {name} was not an allowed global by default. Please use "
    "`torch.serialization.add_safe_globals([{name}])` or the "
    "`torch.serialization.safe_globals([{name}])` context manager to allowlist this global if "
    "you trust this class/function." + _WEIGHTS_ONLY_TAIL
)
_PROTOCOL_4 = (
    _WEIGHTS_ONLY_HEAD.replace(
        "\n\t(2) Alternatively, to load with `weights_only=True` please check the recommended "
        "steps in the following error message.\n\tWeightsUnpickler error: ",
        "\nPlease file an issue with the following so that we can make `weights_only=True` "
        "compatible with your use case: WeightsUnpickler error: \n\nUnsupported operand 149",
    ).replace(
        "This file can still be loaded, to do so you have two options, \x1b[1mdo those steps "
        "only if you trust the source of the checkpoint\x1b[0m. \n\t(1) ",
        "",
    )
    + _WEIGHTS_ONLY_TAIL
)


def _object(node: dict, ctx: _Loading):
    """The instance ``node`` describes, built as pickle builds it: a named tuple from its
    fields, another object by ``cls.__new__`` and its state (``__setstate__`` or its
    ``__dict__``), once however often it is referenced."""
    ctx.allow(node["__object__"])
    cls = _resolve(node["__object__"])
    if "args" in node:
        return cls.__new__(cls, *(_decode(v, ctx) for v in node["args"]))
    obj = ctx.memo[node["obj"]] = cls.__new__(cls)
    for k, v in node.get("dictitems", ()):
        obj[_hashable(_decode(k, ctx))] = _decode(v, ctx)
    if "listitems" in node:
        obj.extend(_decode(v, ctx) for v in node["listitems"])
    state = _decode(node["state"], ctx)
    if hasattr(obj, "__setstate__"):
        obj.__setstate__(state)
        return obj
    state, slots = state if isinstance(state, tuple) else (state, None)
    if state:
        obj.__dict__.update(state)
    for k, v in (slots or {}).items():
        setattr(obj, k, v)
    return obj


def _storage(key: str, saved: str, ctx: _Loading):
    """The array of storage ``key``, placed once where ``map_location`` puts it."""
    placed = ctx.memo.get(("storage", key))
    if placed is None:
        placed = _tensor(ctx.arrays[key], saved, ctx.map_location)._data
        ctx.memo[("storage", key)] = placed
    return placed


def _strided(storage: np.ndarray, node: dict) -> np.ndarray:
    """The array that ``node`` says lies in ``storage``: a view of it."""
    item = storage.itemsize
    strides = tuple(s * item for s in node["stride"])
    return np.ndarray(tuple(node["shape"]), storage.dtype, storage, node["offset"] * item, strides)


def _kind(t: Tensor) -> str | None:
    """What nn class ``t`` is an instance of: "parameter", "buffer", or None."""
    from .nn.parameter import Buffer, Parameter  # noqa: PLC0415 (nn imports this package)

    return "parameter" if isinstance(t, Parameter) else "buffer" if isinstance(t, Buffer) else None


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key
