"""autocast: regions where matmul-like ops run in a 16-bit float (bfloat16 by default on
"cpu", float16 on "cuda") and precision-sensitive ops in float32 (mirrors ``torch.autocast``).

``Function.apply`` checks the module flag ``active`` (one attribute check while no thread
has an autocast region open) and then calls ``cast_inputs``, which looks the op up in the
policy table and casts its floating inputs with the differentiable ``Cast`` op.
"""

from __future__ import annotations

import functools
import threading
import warnings

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ..autograd.grad_mode import state as grad_state
from ..backends.cupy_backend import available as cuda_available
from .policy import LOWER, policy_named, policy_of

active = False  # some thread has an enabled autocast region open: apply takes its slow path
_enabled_regions = 0  # over all threads; guarded by _lock
_lock = threading.Lock()

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
# the autocast dtypes per device (first: the default); cupy has no bfloat16
_LOW_DTYPES = {"cpu": (_dtypes.bfloat16, _dtypes.float16), "cuda": (_dtypes.float16,)}


def _floating(dt: np.dtype) -> bool:
    """float16/32/64 (numpy kind "f") and bfloat16 (ml_dtypes' kind "V")."""
    return dt.kind in "fV"


class _State(threading.local):
    def __init__(self) -> None:
        self.dtypes = {}  # device type -> numpy low dtype, for the devices autocast is on for
        self.fast = {}  # device type -> its autocast dtype, set by regions enabled or not
        self.depth = 0  # open autocast regions, enabled or not
        self.cache_enabled = True
        self.cache = {}  # (id(leaf), dtype, grad mode) -> (leaf, its version, cast)


_state = _State()


def _count_region(delta: int) -> None:
    global active, _enabled_regions
    with _lock:
        _enabled_regions += delta
        active = _enabled_regions > 0


class autocast:
    """Mirrors ``torch.autocast(device_type, dtype, enabled, cache_enabled)``: a context
    manager and decorator, nestable and thread-local. Inside it, ops in the device's policy
    table run in ``dtype`` (matmul, linear, conv, attention; ``None``: this thread's
    autocast dtype for the device, at first bfloat16 on "cpu" and float16 on "cuda") or in float32 (losses, linalg, 3-d pools, padding; on "cuda" also
    softmax, norms, sum/mean, exp, log, pow); other ops take their inputs' widest type.
    float64 tensors are never cast. ``cache_enabled`` casts each float32 parameter once per
    region."""

    def __init__(
        self,
        device_type: str,
        dtype: _dtypes.dtype | None = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ValueError(
                f"Expected `device_type` of type `str`, got: `{type(device_type).__name__}`"
            )
        if device_type not in ("cpu", "cuda"):
            raise RuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}': "
                "minitorch supports 'cpu' and 'cuda'"
            )
        supported = _LOW_DTYPES[device_type]
        dtype = get_autocast_dtype(device_type) if dtype is None else dtype  # as PyTorch
        if enabled and dtype not in supported:
            names = ", ".join(f"minitorch.{d.name}" for d in supported)
            device = device_type.upper()
            warnings.warn(
                f"In {device} autocast, but the target dtype is not supported. Disabling "
                f"autocast.\n{device} Autocast only supports dtypes of {names} currently.",
                stacklevel=2,
            )
            enabled = False
        if enabled and device_type == "cuda" and not cuda_available():
            warnings.warn(
                "CUDA is not available or torch_xla is imported. Disabling autocast.",
                stacklevel=2,
            )
            enabled = False
        self.device = device_type
        self.fast_dtype = dtype
        self._enabled = bool(enabled)
        # None: this thread's setting when the region is made (as PyTorch reads it)
        self._cache_enabled = _state.cache_enabled if cache_enabled is None else cache_enabled
        self._saved: list = []  # what each (re-)entry of this object restores

    def __enter__(self) -> autocast:
        s = _state
        self._saved.append((s.dtypes.get(self.device), s.fast.get(self.device), s.cache_enabled))
        s.fast[self.device] = self.fast_dtype  # as PyTorch sets it, enabled or not
        if self._enabled:
            s.dtypes[self.device] = self.fast_dtype.np
        else:
            s.dtypes.pop(self.device, None)
        s.cache_enabled = bool(self._cache_enabled)
        s.depth += 1
        self._counted = self._enabled
        if self._counted:
            _count_region(1)
        return self

    def __exit__(self, *exc) -> None:
        s = _state
        low, fast, s.cache_enabled = self._saved.pop()
        if fast is None:
            s.fast.pop(self.device, None)
        else:
            s.fast[self.device] = fast
        if low is None:
            s.dtypes.pop(self.device, None)
        else:
            s.dtypes[self.device] = low
        s.depth -= 1
        if s.depth == 0:
            s.cache.clear()
        if self._counted:
            _count_region(-1)

    def __call__(self, fn):
        args = (self.device, self.fast_dtype, self._enabled, self._cache_enabled)

        @functools.wraps(fn)
        def wrapper(*a, **kw):
            with autocast(*args):
                return fn(*a, **kw)

        return wrapper


def is_autocast_enabled(device_type: str = "cuda") -> bool:
    """Mirrors ``torch.is_autocast_enabled(device_type)`` (this thread)."""
    return device_type in _state.dtypes


def get_autocast_dtype(device_type: str) -> _dtypes.dtype:
    """Mirrors ``torch.get_autocast_dtype``: the low dtype autocast uses on ``device_type``
    (the innermost region's, enabled or not, or ``set_autocast_dtype``'s)."""
    fast = _state.fast.get(device_type)
    if fast is None:
        return _LOW_DTYPES["cpu" if device_type == "cpu" else "cuda"][0]
    return fast


def set_autocast_dtype(device_type: str, dtype: _dtypes.dtype) -> None:
    """Mirrors ``torch.set_autocast_dtype``: the dtype autocast uses on ``device_type`` in
    this thread from now on (an enabled region there switches to it too)."""
    s = _state
    s.fast[device_type] = dtype
    if device_type in s.dtypes:
        s.dtypes[device_type] = dtype.np


def will_cast(op: str, *tensors: Tensor) -> bool:
    """Whether this thread's autocast casts all ``tensors`` to one dtype for the op that the
    policy tables name ``op`` ("ops.conv.Conv"): each floating, not float64, on a device
    autocast is on for, and the op listed there. Functions that check their inputs' dtypes
    before the op runs skip that check then (a float64 or integer tensor is not cast, so
    PyTorch's check of the op itself raises)."""
    if not active:
        return False
    lows = _state.dtypes
    for t in tensors:
        dt = t._data.dtype
        if not _floating(dt) or dt == _F64 or _device_type(t._data) not in lows:
            return False
    return bool(tensors) and policy_named(op, _device_type(tensors[0]._data)) is not None


def cast_dtype(op: str, t: Tensor) -> np.dtype:
    """The numpy dtype ``t`` has when the op that the policy tables name ``op`` runs in this
    thread's autocast (its own dtype where it is not cast): for the words of the errors that
    functions checking dtypes before the op raise."""
    if not will_cast(op, t):
        return t._data.dtype
    device = _device_type(t._data)
    return _state.dtypes[device] if policy_named(op, device) is LOWER else _F32


def _device_type(array) -> str:
    return "cpu" if type(array) is np.ndarray else "cuda"


def cast_inputs(cls: type, args: tuple) -> tuple:
    """The arguments op ``cls`` runs on in this thread's autocast regions: its floating
    tensors (float64 excepted) on an autocast device, cast as the policy table says."""
    lows = _state.dtypes
    first = next((a for a in args if isinstance(a, Tensor)), None)
    if first is None or not lows:
        return args
    device = _device_type(first._data)
    policy = policy_of(cls, device)
    low = lows.get(device)
    if policy is None or low is None:
        return args
    target = low if policy is LOWER else _F32
    out = None
    for i, a in enumerate(args):
        if not isinstance(a, Tensor):
            continue
        dt = a._data.dtype
        if not _floating(dt) or dt == _F64 or _device_type(a._data) != device:
            continue
        if dt != target:
            if out is None:
                out = list(args)
            out[i] = _cast(a, target)
    if out is None:
        return args
    if policy is LOWER and not getattr(cls, "checks_dtypes", False):
        _check_agree(cls, out)
    return tuple(out)


def float32_function(fn):
    """Runs ``fn`` (a loss composed of several ops) on float32 copies of its floating
    tensor arguments (float64 excepted) inside autocast, as PyTorch's float32 policy casts
    such losses (and cdist) as a whole on both devices."""
    return _casting_function(fn, _to_float32)


def cpu_float32_function(fn):
    """``float32_function`` for the ops only PyTorch's CPU float32 list names (3-d pools,
    reflection/replication padding, grid_sample, fractional_max_pool2d): on "cuda" they run
    on their inputs as they come."""
    return _casting_function(fn, _to_float32_on_cpu, excluded=("cpu",))


def cpu_float32(t: Tensor) -> Tensor:
    """``t`` as an op of PyTorch's CPU float32 list gets it inside autocast: a float32 copy
    of a 16-bit float tensor on the CPU (for functions that are on that list in some modes
    only, as ``pad``'s reflect and replicate); ``t`` itself elsewhere."""
    return _to_float32_on_cpu(t) if active and _state.dtypes else t


def lower_precision_function(fn):
    """Runs ``fn`` (an op composed of several that PyTorch's autocast lists as lower
    precision: prelu) on copies of its floating tensor arguments (float64 excepted) in the
    autocast dtype of their device."""
    return _casting_function(fn, _to_low)


def promote_function(fn):
    """Runs ``fn`` (cat, stack, index_copy: PyTorch's autocast "promote" list) on its
    floating tensors (float64 excepted, in lists too) cast to the type autocast's
    ``prioritize`` finds, in argument order from the autocast dtype: float32 once one is
    float32, else the autocast dtype; another 16-bit dtype before any float32 is its error."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not (active and _state.dtypes):
            return fn(*args, **kwargs)
        values = list(args) + list(kwargs.values())
        flat = [t for v in values for t in (v if isinstance(v, (list, tuple)) else (v,))]
        first = next((t for t in flat if isinstance(t, Tensor)), None)
        low = first is not None and _state.dtypes.get(_device_type(first._data))
        if not low:
            return fn(*args, **kwargs)
        current = low
        for t in flat:
            if not _promoted_eligible(t, first):
                continue
            dt = t._data.dtype
            if current == _F32 or dt == _F32:
                current = _F32
            elif current != dt:  # as at::autocast::prioritize
                raise RuntimeError("Unexpected floating ScalarType in at::autocast::prioritize")

        def cast(v):
            if isinstance(v, (list, tuple)):
                return type(v)(cast(t) for t in v)
            eligible = _promoted_eligible(v, first) and v._data.dtype != current
            return _cast(v, current) if eligible else v

        return fn(*(cast(a) for a in args), **{k: cast(v) for k, v in kwargs.items()})

    return wrapper


def _promoted_eligible(t, first: Tensor) -> bool:
    """A floating tensor, not float64, on ``first``'s device (what promote_function casts)."""
    if not isinstance(t, Tensor):
        return False
    dt = t._data.dtype
    return _floating(dt) and dt != _F64 and type(t._data) is type(first._data)


def without_autocast(fn):
    """Runs ``fn`` (the in-place form of an op on the autocast lists: ``addmm_``) on its
    arguments as they come, with autocast off inside: PyTorch's in-place ops are on no list."""
    return _casting_function(fn, lambda a: a)


def _casting_function(fn, cast, excluded=("cpu", "cuda")):
    """``fn`` on its arguments as ``cast`` gives them, run as PyTorch runs a listed op: with
    autocast off inside for the ``excluded`` device types (its inner ops are not cast again)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        s = _state
        if not (active and s.dtypes):
            return fn(*args, **kwargs)
        args = tuple(cast(a) for a in args)
        kwargs = {k: cast(v) for k, v in kwargs.items()}
        saved = s.dtypes
        s.dtypes = {d: low for d, low in saved.items() if d not in excluded}
        try:
            return fn(*args, **kwargs)
        finally:
            s.dtypes = saved

    return wrapper


def _to_float32(a):
    if not isinstance(a, Tensor):
        return a
    dt = a._data.dtype
    if not _floating(dt) or dt == _F64 or dt == _F32 or _device_type(a._data) not in _state.dtypes:
        return a
    return _cast(a, _F32)


def _to_float32_on_cpu(a):
    return _to_float32(a) if isinstance(a, Tensor) and type(a._data) is np.ndarray else a


def _to_low(a):
    if not isinstance(a, Tensor):
        return a
    dt = a._data.dtype
    low = _state.dtypes.get(_device_type(a._data)) if _floating(dt) and dt != _F64 else None
    return a if low is None or dt == low else _cast(a, low)


def _check_agree(cls: type, args: list) -> None:
    kinds = {a._data.dtype for a in args if isinstance(a, Tensor) and _floating(a._data.dtype)}
    if len(kinds) > 1:
        names = " and ".join(sorted(str(_dtypes.from_numpy_dtype(k)) for k in kinds))
        raise RuntimeError(
            f"autocast: {cls.__name__} got floating inputs of dtypes {names}. autocast leaves "
            "float64 tensors alone (as PyTorch does); convert them with .float() first, or "
            "run this op outside the autocast region."
        )


def _cast(t: Tensor, np_dtype) -> Tensor:
    """``t`` cast to ``np_dtype``; a float32 leaf that requires grad (a parameter) is cast
    once per region and grad mode (a cast made under no_grad has no graph)."""
    from ..ops.elementwise import Cast  # noqa: PLC0415  (ops import the core, which imports us)

    s = _state
    if not (s.cache_enabled and t.requires_grad and t.grad_fn is None and np_dtype != _F32):
        return Cast.apply(t, np_dtype)
    key = (id(t), np_dtype, grad_state.enabled)
    version = t._vc[0] if t._vc else 0
    hit = s.cache.get(key)
    if hit is not None and hit[1] == version:  # an in-place update (optimizer step) re-casts
        return hit[2]
    out = Cast.apply(t, np_dtype)
    s.cache[key] = (t, version, out)
    return out
