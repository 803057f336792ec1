"""Devices and the backend registry: one backend per device type ('cpu' on numpy, 'cuda' on
cupy), each giving the array module, a random generator, synchronize and memory stats."""

from __future__ import annotations

import builtins

import numpy as np

from .numpy_backend import NumpyBackend


class Device:
    """Mirrors ``torch.device``: ``Device('cpu')``, ``Device('cuda', 0)``, ``Device('cuda:1')``."""

    __module__, __qualname__ = "minitorch", "device"  # prints as <class 'minitorch.device'>
    __slots__ = ("type", "index")

    def __init__(self, type, index: int | None = None) -> None:
        if isinstance(type, Device):
            type, index = type.type, type.index if index is None else index
        elif isinstance(type, str) and ":" in type:
            name, idx = type.split(":", 1)
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            type, index = name, int(idx)
        elif isinstance(type, int):  # the current accelerator's device ``type``
            if type >= 0:
                from ..cuda import is_available  # noqa: PLC0415

                if not is_available():
                    raise RuntimeError("Cannot access accelerator device when none is available.")
            type, index = "cuda", type
        if type not in ("cpu", "cuda"):
            hint = (
                " (minitorch has no 'meta' device; a module moved to 'meta' only as the "
                "skeleton for torch.func.functional_call can stay on its device)"
                if type == "meta"
                else ""
            )
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {type}{hint}"
            )
        if isinstance(index, np.integer):
            index = int(index)
        if index is not None and (not isinstance(index, int) or index < 0):
            if not isinstance(index, int):
                raise TypeError(
                    "device(): argument 'index' (position 2) must be int, not "
                    f"{builtins.type(index).__name__}"
                )
            raise RuntimeError(f"Device index must not be negative (got {index})")
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        return isinstance(other, Device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __enter__(self) -> Device:
        """``with torch.device(d):`` sets the default device of factories; here only the
        CPU, which is already the default."""
        check_default_device(self)
        return self

    def __exit__(self, *exc) -> None:
        return None


def check_default_device(device) -> None:
    """minitorch's factories have no ambient device: making anything but the CPU the default
    device raises, naming what to do instead."""
    if device is not None and Device(device).type != "cpu":
        raise NotImplementedError(
            f"default device {str(device)!r}: minitorch has no ambient default device (only "
            "'cpu', already the default); pass device= to factories and call module.to(device)"
        )


_CPU = Device("cpu")
_backends: dict = {"cpu": NumpyBackend()}


def get_backend(device=None):
    """The backend object of a device (CPU when ``device`` is None)."""
    if device is None:
        return _backends["cpu"]
    kind = device.type if isinstance(device, Device) else Device(device).type
    backend = _backends.get(kind)
    if backend is None:
        from .cupy_backend import CupyBackend  # noqa: PLC0415  (imports cupy: only on demand)

        backend = _backends[kind] = CupyBackend()
    return backend


def concrete(device) -> Device:
    """``device`` as tensors on it report theirs: a bare ``cuda`` gets the current GPU's index."""
    dev = device if isinstance(device, Device) else Device(device)
    return get_backend(dev).device if dev.type == "cuda" and dev.index is None else dev


def device_of(array) -> Device:
    """The device an array lives on."""
    if isinstance(array, np.ndarray):
        return _CPU
    return Device("cuda", array.device.id)


def xp_of(array):
    """The array module of an array: numpy for host arrays (and numpy scalars), else the
    module of its device's backend (cupy). For creating arrays on an input's device."""
    if type(array) is np.ndarray or isinstance(array, (np.ndarray, np.generic)):
        return np
    return get_backend(device_of(array)).xp


_FUSED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def fused(array, name: str):
    """The fused kernel ``name`` that the backend of ``array``'s device registers, or None:
    always None on the CPU (numpy runs the op's own array code) and for dtypes other than
    float32/float64. A kernel computes what the op's array code computes, faster (see
    cupy_kernels.py for the names and signatures)."""
    if type(array) is np.ndarray or array.dtype not in _FUSED_DTYPES:
        return None
    return get_backend(device_of(array)).kernel(name)


def on_host(array) -> bool:
    """Whether ``array`` is in host memory, so that looking at its values (an ``if`` on
    them, ``.item()``) costs no device sync. Ops check values on the host (to raise an
    error, or to skip a pass that is rarely needed) only then: on a GPU each such read
    stalls the pipeline, so there they compute without looking."""
    return isinstance(array, (np.ndarray, np.generic))


def check_index(index, n: int, error):
    """Bounds check of an integer index array against [0, n), as each device does it. A
    host array is checked now, raising ``error(bad_value)`` like PyTorch's CPU kernels. A
    device array is not read back (that would stall the GPU for every step): the entries
    out of range come back as a boolean mask on the device, for the op to clip the indices
    and give NaN results there. (PyTorch's CUDA kernels check with a device-side assert,
    which also surfaces only later.) Returns None when nothing is left to flag."""
    if on_host(index):
        if index.size and (index.min() < 0 or index.max() >= n):
            flat = index.reshape(-1)  # the first one, as a CPU kernel's loop meets it
            raise error(int(flat[(flat < 0) | (flat >= n)][0]))
        return None
    return (index < 0) | (index >= n)


_pending: dict = {}  # device -> [(first bad index or any index, low, n, op, error)]
_PENDING_MAX = 1024  # read back sooner where nothing syncs for that long (bounded memory)


def checked_index(index, n: int, error, op: str, low: int = 0):
    """``index`` (an integer array) checked against [low, n) for ``op``, as each device does
    it. A host array is checked now, raising ``error(first bad value)`` like PyTorch's CPU
    kernels; it comes back as it is. A device array is not read back (that would stall the
    GPU for every step): the check is left pending on the device, to raise at the next host
    synchronisation (``raise_failed_checks``), as PyTorch's CUDA kernels assert on the device
    and the error surfaces at a later call; the index comes back clipped into [low, n), so
    that nothing is read or written out of bounds (cupy would wrap a bad index around: a
    silently wrong number). ``check_index`` is the other way, for ops that can mark bad rows
    NaN instead."""
    if on_host(index):
        if index.size:
            flat = index.reshape(-1)
            bad = flat[(flat < low) | (flat >= n)]  # (ufuncs: cheaper than min and max here)
            if bad.size:  # the first one, as a CPU kernel's loop meets it
                raise error(int(bad[0]))
        return index
    if not index.size:
        return index
    flat = index.reshape(-1)
    if n <= low:  # no index fits (an empty dim): an error for sure, read at once
        raise error(int(flat[0]))
    first = flat[((flat < low) | (flat >= n)).argmax()]  # the first bad one, else flat[0]
    device = device_of(index)
    checks = _pending.setdefault(device, [])
    checks.append((first, low, n, op, error))
    if len(checks) >= _PENDING_MAX:
        raise_failed_checks(device)
    return np.clip(index, low, n - 1)


def raise_failed_checks(device=None) -> None:
    """Reads the pending device-side index checks of ``device`` (of every device when None)
    back in one transfer, forgets them, and raises PyTorch's CUDA RuntimeError for the first
    that failed, naming its op and the bad index. Called where a sync happens anyway: a
    device->host copy, ``.item()`` and kin (see ``synced``), ``cuda.synchronize()``."""
    for dev in [device] if device is not None else list(_pending):
        checks = _pending.pop(dev, None)
        if not checks:
            continue
        values = xp_of(checks[0][0]).stack([c[0] for c in checks]).get().tolist()
        for value, (_, low, n, op, error) in zip(values, checks):
            if not low <= value < n:
                raise RuntimeError(
                    f"CUDA error: device-side assert triggered in {op}: {error(value)}"
                )


def synced(array):
    """``array``, about to be read back to the host, once the failed device-side checks of its
    device have raised (see ``checked_index``). Free on the host."""
    if _pending and not on_host(array):
        raise_failed_checks(device_of(array))
    return array


# the dtypes cupy's scatter kernels (its ufunc.at) take for an integer-array index
_AT_DTYPES = {
    "add": frozenset(map(np.dtype, ("int32", "uint32", "uint64", "float16", "float32", "float64"))),
    "maximum": frozenset(map(np.dtype, ("int32", "uint32", "uint64", "float32", "float64"))),
}
_AT_DTYPES["minimum"] = _AT_DTYPES["maximum"]
# where the others go: exactly, into a wider dtype (int64 runs as uint64, see ufunc_at)
_AT_WIDER = {np.dtype(t): np.dtype(np.int32) for t in ("bool", "int8", "int16", "uint8", "uint16")}
_AT_WIDER[np.dtype(np.float16)] = np.dtype(np.float32)
_SIGN_BIT = np.uint64(1 << 63)


def ufunc_at(name: str, out, index, values) -> None:
    """``<ufunc>.at(out, index, values)`` of ``out``'s array module for ufunc ``name`` (add,
    maximum or minimum), in every dtype. cupy's kernels take a few dtypes only (add: 32-bit
    ints, uint64, floats; maximum/minimum: no int64, float16 or bool); the others run
    through one that gives the same result: int64 as uint64 (the same bits: add wraps
    alike; maximum/minimum with the sign bit flipped, which keeps the order), narrower
    ints and bool in int32 and float16 in float32 (exact, cast back as numpy's at casts)."""
    ufunc = getattr(xp_of(out), name)
    wide = _AT_WIDER.get(out.dtype)
    if out.dtype in _AT_DTYPES[name] or (wide is None and out.dtype != np.int64):
        ufunc.at(out, index, values)  # (bfloat16 lives on the host only)
        return
    values = values.astype(out.dtype) if hasattr(values, "astype") else out.dtype.type(values)
    if out.dtype == np.int64:
        bits, values = out.view(np.uint64), values.view(np.uint64)
        if name == "add":
            ufunc.at(bits, index, values)
            return
        np.bitwise_xor(bits, _SIGN_BIT, out=bits)
        ufunc.at(bits, index, values ^ _SIGN_BIT)
        np.bitwise_xor(bits, _SIGN_BIT, out=bits)
        return
    work = out.astype(wide)
    ufunc.at(work, index, values.astype(wide))
    out[...] = work if out.dtype != np.bool_ else work != 0


_ONES: dict = {}  # (array type, device, dtype, n) -> the ones_vector made for it


def ones_vector(like, n: int):
    """``n`` ones in ``like``'s dtype and on its device, made once per (device, dtype, n): the
    operand that turns a sum into a matrix product (on a GPU a fill launch saved per use).
    Shared: callers only read it."""
    key = (type(like), device_of(like), like.dtype, n)
    ones = _ONES.get(key)
    if ones is None:
        if len(_ONES) >= 256:  # many distinct sizes (varying batches): start over
            _ONES.clear()
        ones = _ONES[key] = np.ones_like(like, shape=(n,))
    return ones


def ascontiguous(array):
    """``np.ascontiguousarray`` on any device (numpy's does not dispatch to cupy): the array
    itself when it is C-contiguous, else a C-ordered copy."""
    return array if array.flags.c_contiguous else array.copy()


def to_device(array, device):
    """The array on ``device`` (no copy when it is there already)."""
    dev = device if isinstance(device, Device) else Device(device)
    if dev.type == "cpu":
        return array if isinstance(array, np.ndarray) else synced(array).get()
    return get_backend(dev).from_host(array, dev.index)


def to_backend(array, like):
    """``array`` on the device of ``like``."""
    return to_device(array, device_of(like))


def same_device_error(op: str, a, b) -> RuntimeError:
    """The error for an op given tensors on two devices."""
    return RuntimeError(
        f"{op}: Expected all tensors to be on the same device, but found at least two "
        f"devices, {device_of(a)} and {device_of(b)}! Move them with .to(device) first."
    )


from . import cpu, cuda, cudnn, mha, mkl, mkldnn, mps, openmp, opt_einsum  # noqa: E402, F401  (torch.backends.*)
