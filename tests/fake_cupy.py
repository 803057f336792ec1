"""A strict stand-in for cupy on the CPU, so that device-correctness is tested without a GPU.

``FakeArray`` wraps a numpy array and behaves as a cupy array does towards numpy: numpy
functions and ufuncs dispatch to it (``__array_ufunc__`` / ``__array_function__``), reductions
return 0-d arrays, and it refuses what cupy 14 refuses: a host (numpy) array mixed into an
operation, ``np.asarray`` of it, ``operator.index`` of it, the numpy functions, ufuncs,
keyword arguments and array methods cupy lacks, ufunc methods beyond cupy's (``at`` for its
scatter kernels' ufuncs and dtypes, ``reduce``/``accumulate`` for add and multiply).
``FakeCupyBackend`` stands in the 'cuda' backend slot (see ``installed``); it registers no
fused kernels, so the generic op paths run. Real cupy runs the same tests on a GPU
(tests/test_cuda.py).

Every device->host transfer (``bool``/``float``/``int``/``complex`` of an
array, ``item``, ``get``, ``tolist``, ``repr``, ``np.asarray``) and every operation whose
result size depends on the data (boolean-mask indexing, ``nonzero`` and kin: cupy reads the
size back to the host) is a host synchronisation on a GPU; ``host_syncs()`` records them.
"""

from __future__ import annotations

import contextlib
import functools
import numbers
import sys
import warnings
import weakref

import numpy as np

from minitorch import backends
from minitorch.backends.cpu_random import CPUStream
from minitorch.backends.cupy_backend import refuse_bfloat16
from minitorch.ops import activation as act

_live: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_sync_logs: list[list] = []  # the logs of the active host_syncs() blocks


@contextlib.contextmanager
def host_syncs():
    """Records the host synchronisations made in the block: yields a list that gets one
    "what at file:line (function)" entry per sync, naming the first caller outside this file
    and numpy."""
    log: list = []
    _sync_logs.append(log)
    try:
        yield log
    finally:
        _sync_logs.remove(log)


def _sync(what: str) -> None:
    if not _sync_logs:
        return
    frame = sys._getframe(2)
    while frame is not None and (
        frame.f_code.co_filename == __file__ or "/numpy/" in frame.f_code.co_filename
    ):
        frame = frame.f_back
    where = "?" if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"
    name = "" if frame is None else f" ({frame.f_code.co_name})"
    for log in _sync_logs:
        log.append(f"{what} at {where}{name}")


# numpy functions whose output size depends on the data (cupy syncs to size the result),
# and shares_memory (cupy compares the element addresses on the device and reads back)
_DATA_SIZED = {"nonzero", "argwhere", "flatnonzero", "unique", "extract", "compress", "place"}
_DATA_SIZED.update(("shares_memory", "bincount"))  # (bincount reads x's min and max back)


def _check_data_sized(name: str, args, kwargs) -> None:
    one_arg_where = name == "where" and len(args) + len(kwargs) == 1
    if name in _DATA_SIZED or one_arg_where:
        _sync(f"{name}()")


def _wrapped_key(shape: tuple, key):
    """``key`` with its integer arrays taken modulo the size of the dim each indexes: cupy
    wraps an out-of-range integer-array index around (numpy raises IndexError)."""
    keys = key if isinstance(key, tuple) else (key,)
    arrays = [isinstance(k, (np.ndarray, list)) for k in keys]
    if not any(arrays):
        return key
    consumed = [
        0 if k is None or k is Ellipsis else np.ndim(k) if np.asarray(k).dtype == np.bool_ else 1
        for k in keys
    ]
    if Ellipsis in [k for k in keys if not isinstance(k, (np.ndarray, list))]:
        e = next(i for i, k in enumerate(keys) if k is Ellipsis)
        consumed[e] = len(shape) - sum(consumed)
    out, dim = [], 0
    for k, n in zip(keys, consumed):
        a = np.asarray(k) if isinstance(k, (np.ndarray, list)) else None
        if a is not None and a.dtype.kind in "iu" and dim < len(shape) and shape[dim]:
            k = a % shape[dim]
        out.append(k)
        dim += n
    return tuple(out) if isinstance(key, tuple) else out[0]


def _has_mask(key) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, (FakeArray, np.ndarray)) and k.dtype == np.bool_ for k in keys)


class _DeviceId:
    id = 0


class _Pointer:
    def __init__(self, ptr: int) -> None:
        self.ptr = ptr


class _Flags:
    def __init__(self, a: np.ndarray) -> None:
        self.c_contiguous = a.flags.c_contiguous
        self.f_contiguous = a.flags.f_contiguous
        self.owndata = a.flags.owndata


def host_error(x) -> TypeError:
    return TypeError(f"Unsupported type {type(x)} (a host array given to a device operation)")


_REDUCTIONS = {
    "sum",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "mean",
    "var",
    "std",
    "cumsum",
    "cumprod",
    "argmax",
    "argmin",
    "all",
    "any",
    "nansum",
    "nanmax",
    "nanmin",
}


def _check_axis(name: str, args, kwargs) -> None:
    """cupy raises AxisError for a reduction over axis 0 (or -1) of a 0-d array."""
    a = args[0] if args else None
    axis = kwargs.get("axis")
    if name in _REDUCTIONS and isinstance(a, FakeArray) and a.ndim == 0 and axis not in (None, ()):
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 0")


def _cupy_sinc(x: np.ndarray) -> np.ndarray:
    """cupy.sinc, which np.sinc dispatches to: ``|x| > 1e-9 ? sinpi(x) / (pi x) : 1`` with
    pi a double, so NaN gives 1 (numpy and PyTorch: NaN)."""
    with np.errstate(all="ignore"):
        xd = x.astype(np.float64)
        half_turns = xd - 2 * np.round(xd / 2)  # sinpi reduces exactly: sinpi(integer) = 0
        y = np.sin(np.pi * half_turns).astype(x.dtype) / (np.pi * xd)
    return np.where(np.abs(x) > 1e-9, y, 1).astype(x.dtype)


def _cupy_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """cupy.linalg.solve (cupy 14): ``b`` is (M,) (for every matrix of the stack) or has
    exactly ``a``'s shape but the last dim, (..., M, K): cupy does not broadcast batch dims
    as numpy does."""
    if b.ndim == 0:
        raise ValueError("b must have at least one dimension")
    if b.ndim == 1:
        if a.shape[-1] != b.size:
            raise ValueError(
                "a must have (..., M, M) shape and b must have (M,) for one-dimensional b"
            )
    elif a.shape[:-1] != b.shape[:-1]:
        raise ValueError(
            "a must have (..., M, M) shape and b must have (..., M, K) for multidimensional b"
        )
    return np.linalg.solve(a, b)


_linalg_raise = [False]  # cupyx.errstate(linalg=...) here: cupy's default is 'ignore'


def _cupy_linalg(fn):
    """cupy.linalg's ``fn`` (inv, solve, cholesky): for a singular or not positive-definite
    input it raises numpy's LinAlgError only under ``cupyx.errstate(linalg='raise')`` (the
    backend's ``linalg_errors``); by default it returns what the solver computed (here NaN)."""

    def run(a, *rest):
        try:
            return fn(a, *rest)
        except np.linalg.LinAlgError:
            if _linalg_raise[0]:
                raise
            shape = a.shape if not rest else a.shape[:-1] if rest[0].ndim == 1 else rest[0].shape
            return np.full(shape, np.nan, np.result_type(a, *rest, np.float16))

    return run


def _cupy_where(condition, *values):
    """cupy.where, which calls ``condition.astype``: a Python bool condition fails."""
    if not hasattr(condition, "astype"):
        raise AttributeError(f"'{type(condition).__name__}' object has no attribute 'astype'")
    return np.where(condition, *values)


def _cupy_take_along_axis(a, indices, axis):
    """cupy.take_along_axis: ``axis`` has no default (numpy's is -1), integer indices of
    ``a``'s ndim only."""
    if indices.dtype.kind not in "iu":
        raise IndexError("`indices` must be an integer array")
    if axis is not None and a.ndim != indices.ndim:
        raise ValueError("`indices` and `a` must have the same number of dimensions")
    n = a.size if axis is None else a.shape[axis]
    return np.take_along_axis(a, indices % n if n else indices, axis)  # (wrapped, see take)


def _cupy_take(a, indices, axis=None, out=None):
    """cupy.take (and ndarray.take): an out-of-range index wraps around (numpy raises)."""
    return np.take(a, indices, axis, out, mode="wrap")


# numpy functions that cupy implements with other semantics (numpy's names dispatch to them)
_CUPY_VERSIONS = {
    np.sinc: _cupy_sinc,
    np.linalg.solve: _cupy_linalg(_cupy_solve),
    np.linalg.inv: _cupy_linalg(np.linalg.inv),
    np.linalg.cholesky: _cupy_linalg(np.linalg.cholesky),
    np.where: _cupy_where,
    np.take_along_axis: _cupy_take_along_axis,
    np.take: _cupy_take,
}

# What cupy 14 lacks or refuses (read off cupy 14.2's namespace and signatures). cupy's
# __array_function__ looks the numpy function up by module and name in cupy: a name cupy
# lacks returns NotImplemented, so numpy raises TypeError; the array module lacks it too.
_CUPY_LACKS = frozenset(
    "numpy." + name
    for name in (
        "block busday_count busday_offset datetime_as_string einsum_path geomspace "
        "histogram_bin_edges insert is_busday nanpercentile nanquantile polyder polydiv "
        "polyint unstack errstate frompyfunc nditer ndenumerate isnat spacing vecdot vecmat "
        "matvec longdouble float128 object_ str_ bytes_ void datetime64 timedelta64 memmap "
        "linalg.diagonal linalg.matrix_norm linalg.multi_dot linalg.outer linalg.svdvals "
        "linalg.tensordot linalg.trace linalg.vecdot linalg.vector_norm random.SeedSequence "
        "random.MT19937 random.PCG64 random.Philox random.SFC64 random.get_state "
        "random.set_state"
    ).split()
)
# keyword arguments of numpy functions that cupy's counterparts do not take (TypeError)
_WHERE, _INITIAL = ("where",), ("initial", "where")
_CUPY_REFUSES_KWARGS = {
    **dict.fromkeys(("all", "any", "mean", "nanmean"), _WHERE),
    **dict.fromkeys(("amax", "amin", "max", "min", "nanmax", "nanmin"), _INITIAL),
    **dict.fromkeys(("sum", "prod", "nansum", "nanprod"), _INITIAL),
    **dict.fromkeys(("std", "var", "nanstd", "nanvar"), ("where", "mean", "correction")),
    **dict.fromkeys(("sort", "argsort"), ("order", "stable")),
    **dict.fromkeys(("partition", "argpartition"), ("kind", "order")),
    **dict.fromkeys(("empty_like", "zeros_like", "ones_like", "full_like"), ("device",)),
    **dict.fromkeys(("concatenate", "concat", "stack"), ("arrays",)),
    **dict.fromkeys(("broadcast_to", "broadcast_arrays", "copy"), ("subok",)),
    "clip": ("min", "max"),
    "count_nonzero": ("keepdims",),
    "take": ("mode",),
    "einsum": ("out", "order", "casting"),
    "take_along_axis": ("arr",),
    "unique": ("sorted",),
    "reshape": ("shape",),
    "isin": ("kind",),
    "lexsort": ("axis",),
    "linspace": ("device",),
    "unravel_index": ("shape",),
    "percentile": ("weights",),
    "quantile": ("weights",),
    "linalg.cholesky": ("upper",),
    "linalg.svd": ("hermitian",),
    "linalg.pinv": ("hermitian", "rtol"),
    "linalg.matrix_rank": ("hermitian", "rtol"),
}
_CUPY_REFUSES_KWARGS = {"numpy." + k: v for k, v in _CUPY_REFUSES_KWARGS.items()}


def _check_cupy_call(qualname: str, kwargs) -> None:
    """cupy's TypeError for a keyword argument its function does not take."""
    for k in _CUPY_REFUSES_KWARGS.get(qualname, ()):
        if k in kwargs:
            name = qualname.rsplit(".", 1)[1]
            raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")


# ndarray methods as cupy 14 declares them (core.pyx): the parameters each takes
_METHOD_PARAMS = {
    **dict.fromkeys(("all", "any", "max", "min", "ptp"), ("axis", "out", "keepdims")),
    **dict.fromkeys(("argmax", "argmin"), ("axis", "out", "dtype", "keepdims")),
    **dict.fromkeys(("sum", "prod", "mean"), ("axis", "dtype", "out", "keepdims")),
    **dict.fromkeys(("var", "std"), ("axis", "dtype", "out", "ddof", "keepdims")),
    **dict.fromkeys(("cumsum", "cumprod"), ("axis", "dtype", "out")),
    **dict.fromkeys(("sort", "argsort"), ("axis", "kind")),
    **dict.fromkeys(("partition", "argpartition"), ("kth", "axis")),
    **dict.fromkeys(("copy", "ravel", "flatten"), ("order",)),
    **dict.fromkeys(("nonzero", "tolist", "conj", "conjugate"), ()),
    "astype": ("dtype", "order", "casting", "subok", "copy"),
    "view": ("dtype", "type"),
    "fill": ("value",),
    "squeeze": ("axis",),
    "swapaxes": ("axis1", "axis2"),
    "take": ("indices", "axis", "out"),
    "put": ("indices", "values", "mode"),
    "repeat": ("repeats", "axis"),
    "searchsorted": ("v", "side", "sorter"),
    "diagonal": ("offset", "axis1", "axis2"),
    "trace": ("offset", "axis1", "axis2", "dtype", "out"),
    "clip": ("min", "max", "out"),
    "round": ("decimals", "out"),
    "dot": ("b", "out"),
    "tobytes": ("order",),
}
# numpy ndarray attributes cupy's ndarray does not have (AttributeError)
_NOT_ON_CUPY_ARRAYS = frozenset(
    ("ctypes", "getfield", "setfield", "resize", "setflags", "to_device")
)


def _check_method(array: np.ndarray, name: str, args, kwargs) -> None:
    """cupy's errors for a method call its ndarray refuses: a parameter it does not take,
    ``astype``'s ``casting``/``subok``, a sort ``kind`` other than stable, an in-place sort
    or partition of an array that is not C-contiguous."""
    params = _METHOD_PARAMS.get(name)
    if params is None:
        return
    if len(args) > len(params):
        raise TypeError(f"{name}() takes at most {len(params)} positional arguments")
    for k in kwargs:
        if k not in params:
            raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")
    if name == "astype":
        for k in ("casting", "subok"):
            if kwargs.get(k) is not None or len(args) > params.index(k):
                raise TypeError(f"{k} is not supported yet")
    if name in ("sort", "argsort"):
        kind = kwargs.get("kind", args[1] if len(args) > 1 else None)
        if kind is not None and kind != "stable":
            raise ValueError("kind can only be None or 'stable'")
    if name in ("sort", "partition") and not array.flags.c_contiguous:  # in place: thrust's
        raise NotImplementedError("Sorting non-contiguous array is not supported.")


# cupy's ufunc methods (_kernel.pyx): ``at`` for the ufuncs with a scatter kernel, in the
# dtypes each kernel takes (checked for an integer-array index); reduce/accumulate for add
# and multiply, reduceat for add; a call takes out, dtype and casting only
_I32, _U32, _I64, _U64 = (np.dtype(t) for t in (np.int32, np.uint32, np.int64, np.uint64))
_F16, _F32, _F64 = (np.dtype(t) for t in (np.float16, np.float32, np.float64))
_SCATTER_DTYPES = {
    "add": (_I32, _F16, _F32, _F64, _U32, _U64),
    "subtract": (_I32, _U32),
    "maximum": (_I32, _F32, _F64, _U32, _U64),
    "minimum": (_I32, _F32, _F64, _U32, _U64),
    **dict.fromkeys(("bitwise_and", "bitwise_or", "bitwise_xor"), (_I32, _I64, _U32, _U64)),
}
_UFUNC_METHODS = {"reduce": ("add", "multiply"), "accumulate": ("add", "multiply")}
_UFUNC_METHODS["reduceat"] = ("add",)
_UFUNC_CALL_KWARGS = frozenset(("out", "dtype", "casting"))
_UFUNC_METHOD_KWARGS = frozenset(("axis", "dtype", "out", "keepdims"))
_COMPARISONS = frozenset(("greater", "greater_equal", "less", "less_equal", "equal", "not_equal"))


def _has_array_index(indices) -> bool:
    """Whether cupy's scatter takes ``indices`` through its integer-array kernel: an
    integer array (or list) among them, or more than one array (a lone boolean mask has a
    kernel of its own, and slices alone an elementwise update)."""
    keys = indices if isinstance(indices, tuple) else (indices,)
    arrays = [k for k in keys if isinstance(k, (FakeArray, np.ndarray, list))]
    if len(arrays) > 1:
        return True
    return bool(arrays) and np.asarray(unwrap(arrays[0], host_ok=True)).dtype != np.bool_


def _cupy_at(ufunc, a, indices, b=None) -> None:
    """``cupy.<ufunc>.at`` (which ``np.<ufunc>.at`` of a device array dispatches to): a
    scatter kernel of the ufunc, the values cast to ``a``'s dtype."""
    name = ufunc.__name__
    dtypes = _SCATTER_DTYPES.get(name)
    if dtypes is None:
        raise NotImplementedError(f"`cupy_{name}.at` is not supported yet")
    if not isinstance(a, FakeArray):
        raise host_error(a)
    if _has_mask(indices):  # cupy's scatter counts a mask's Trues on the host
        _sync("boolean-mask ufunc.at")
    if _has_array_index(indices) and a.dtype not in dtypes:
        names = ", ".join(str(d) for d in dtypes)
        raise TypeError(f"cupy.{name}.at only supports {names} as data type")
    values = np.asarray(unwrap(b)).astype(a.dtype)
    ufunc.at(a.a, _wrapped_key(a.shape, unwrap(indices, host_ok=True)), values)


def wrap(x):
    """The FakeArray of a numpy result (the same object for the same numpy array)."""
    if isinstance(x, np.ndarray):
        f = _live.get(id(x))
        if f is None or f.a is not x:
            f = FakeArray(x)
        return f
    if isinstance(x, np.generic):
        return FakeArray(np.asarray(x))  # cupy reductions return 0-d arrays
    if isinstance(x, tuple):
        return tuple(wrap(v) for v in x)
    if isinstance(x, list):
        return [wrap(v) for v in x]
    return x


def unwrap(x, host_ok: bool = False):
    """numpy arrays from FakeArrays (in nested lists/tuples/dicts); a host array raises
    unless ``host_ok`` (indices and assigned values, which cupy copies over)."""
    if isinstance(x, FakeArray):
        return x.a
    if isinstance(x, np.ndarray):
        if not host_ok:
            raise host_error(x)
        return x
    if isinstance(x, (tuple, list)):
        return type(x)(unwrap(v, host_ok) for v in x)
    if isinstance(x, dict):
        return {k: unwrap(v, host_ok) for k, v in x.items()}
    if hasattr(x, "_data") and type(x).__name__ == "Tensor":
        raise TypeError("a minitorch Tensor reached the array module")
    return x


class FakeArray(np.lib.mixins.NDArrayOperatorsMixin):
    """A device array: a numpy array that numpy code may only combine with device arrays."""

    __slots__ = ("a", "__weakref__")
    __array_priority__ = 100

    def __init__(self, a: np.ndarray) -> None:
        self.a = a
        _live[id(a)] = self

    # ---- the array protocol ---------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        _sync("np.asarray")
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. Please use `.get()` to "
            "construct a NumPy array explicitly."
        )

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        if f"numpy.{name}" in _CUPY_LACKS:
            return NotImplemented  # cupy has no such ufunc: numpy raises TypeError
        if method == "at":
            _cupy_at(ufunc, *inputs, **kwargs)
            return None
        if method in _UFUNC_METHODS and name not in _UFUNC_METHODS[method]:
            raise NotImplementedError(f"`cupy_{name}.{method}` is not supported yet")
        if method == "__call__" and not _UFUNC_CALL_KWARGS.issuperset(kwargs):
            raise TypeError(f"Wrong arguments {kwargs}")
        if method in ("reduce", "accumulate") and not _UFUNC_METHOD_KWARGS.issuperset(kwargs):
            raise TypeError(f"{method}() got an unexpected keyword argument")
        if method == "reduce":
            _check_axis("sum", inputs, kwargs)
        if name in _COMPARISONS:  # cupy takes a 0-d host array as its Python scalar here
            inputs = tuple(
                x.item() if isinstance(x, np.ndarray) and x.ndim == 0 else x for x in inputs
            )
        if ufunc is np.floor_divide and method == "__call__":  # cupy: floor(x / y) for floats
            x, y = unwrap(inputs)
            if np.result_type(x, y).kind == "f":
                with np.errstate(all="ignore"):
                    return wrap(np.floor(np.true_divide(x, y)))
        for x in inputs:
            if not isinstance(x, (FakeArray, np.ndarray, numbers.Number, np.generic)):
                return NotImplemented
        out = kwargs.get("out")
        kwargs = unwrap(kwargs)
        result = getattr(ufunc, method)(*unwrap(inputs), **kwargs)
        if out is not None:
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return wrap(result)

    def __array_function__(self, func, types, args, kwargs):
        if not all(issubclass(t, (FakeArray, np.ndarray)) for t in types):
            return NotImplemented
        qualname = f"{func.__module__}.{func.__name__}"
        if qualname in _CUPY_LACKS:
            return NotImplemented  # numpy raises TypeError: no implementation found
        _check_cupy_call(qualname, kwargs)
        _check_axis(func.__name__, args, kwargs)
        _check_data_sized(func.__name__, args, kwargs)
        out = kwargs.get("out")
        func = _CUPY_VERSIONS.get(func, func)
        result = func(*unwrap(args), **unwrap(kwargs))
        return out if out is not None else wrap(result)

    def get(self) -> np.ndarray:
        """Mirrors ``cupy.ndarray.get``: a host copy."""
        _sync("get()")
        return self.a.copy()

    def item(self):
        _sync("item()")
        if self.a.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return self.a.item()

    def tolist(self):
        _sync("tolist()")
        return self.a.tolist()

    # ---- attributes -----------------------------------------------------------------------
    device = _DeviceId()

    @property
    def __cuda_array_interface__(self) -> dict:
        return {"shape": self.a.shape, "typestr": self.a.dtype.str, "version": 3}

    @property
    def shape(self):
        return self.a.shape

    @shape.setter
    def shape(self, value) -> None:
        self.a.shape = value

    dtype = property(lambda self: self.a.dtype)
    ndim = property(lambda self: self.a.ndim)
    size = property(lambda self: self.a.size)
    strides = property(lambda self: self.a.strides)
    itemsize = property(lambda self: self.a.itemsize)
    nbytes = property(lambda self: self.a.nbytes)
    flags = property(lambda self: _Flags(self.a))
    T = property(lambda self: wrap(self.a.T))
    real = property(lambda self: wrap(self.a.real))
    imag = property(lambda self: wrap(self.a.imag))

    @property
    def base(self):
        """The array this one views, None for one that owns its memory or that cupy made
        from a memory pointer (``as_strided``: numpy's base is then no array)."""
        return wrap(self.a.base) if isinstance(self.a.base, np.ndarray) else None

    @property
    def data(self):
        return _Pointer(self.a.__array_interface__["data"][0])

    def __getattr__(self, name):
        if name.startswith("__") or name in _NOT_ON_CUPY_ARRAYS:
            # no __array_interface__ and such: numpy may not peek
            raise AttributeError(f"'cupy.ndarray' object has no attribute '{name}'")
        attr = getattr(self.a, name)
        if not callable(attr):
            return attr
        if name == "take":
            attr = functools.partial(_cupy_take, self.a)

        def method(*args, **kwargs):
            _check_method(self.a, name, args, kwargs)
            _check_axis(name, (self, *args), kwargs)
            _check_data_sized(name, (self, *args), kwargs)
            return wrap(attr(*unwrap(args), **unwrap(kwargs)))

        return method

    # ---- Python protocols -----------------------------------------------------------------
    def __getitem__(self, key):
        if _has_mask(key):
            _sync("boolean-mask indexing")
        return wrap(self.a[_wrapped_key(self.a.shape, unwrap(key, host_ok=True))])

    def __setitem__(self, key, value) -> None:
        if _has_mask(key):
            _sync("boolean-mask assignment")
        self.a[_wrapped_key(self.a.shape, unwrap(key, host_ok=True))] = unwrap(value, host_ok=True)

    def __len__(self) -> int:
        return len(self.a)

    def __iter__(self):
        return (self[i] for i in range(len(self.a)))

    def __bool__(self) -> bool:
        _sync("bool()")
        if not self.a.size:  # cupy: False, with a DeprecationWarning (numpy raises)
            warnings.warn("The truth value of an empty array is ambiguous", DeprecationWarning, 2)
            return False
        return bool(self.a)

    def __float__(self) -> float:
        _sync("float()")
        return float(self.a)

    def __int__(self) -> int:
        _sync("int()")
        return int(self.a)

    def __complex__(self) -> complex:
        _sync("complex()")
        return complex(self.a)

    def __repr__(self) -> str:
        _sync("repr()")
        return f"fake_cupy.array({self.a!r})"

    def __format__(self, spec: str) -> str:
        _sync("format()")
        return format(self.a, spec)

    def __imatmul__(self, other):
        return NotImplemented  # cupy has no in-place matmul: ``a @= b`` binds a new array

    def __copy__(self):
        return wrap(self.a.copy())

    def __deepcopy__(self, memo):
        return wrap(self.a.copy())

    __hash__ = None


class _Ufunc:
    """A numpy ufunc on device arrays, with ``.at`` (cupy has ``cupy.add.at``)."""

    def __init__(self, uf) -> None:
        self._uf = uf

    def __call__(self, *args, **kwargs):
        return self._uf(*args, **kwargs)

    def at(self, a, indices, b=None) -> None:
        _cupy_at(self._uf, a, indices, b)

    def __getattr__(self, name):
        return getattr(self._uf, name)


_FROM_HOST = {"asarray", "array", "ascontiguousarray", "asanyarray"}


class _Module:
    """The array module of the fake device: numpy's names, creating and taking device arrays."""

    ndarray = FakeArray

    def __init__(self, np_module) -> None:
        self._np = np_module

    def __getattr__(self, name):
        qualname = f"{self._np.__name__}.{name}"
        if qualname in _CUPY_LACKS:
            raise AttributeError(f"module 'cupy' has no attribute '{name}'")
        attr = getattr(self._np, name)
        if isinstance(attr, np.ufunc):
            return _Ufunc(attr)
        if isinstance(attr, type(np)):
            return _Module(attr)
        if not callable(attr) or isinstance(attr, type):
            return attr
        host_ok = name in _FROM_HOST
        attr = _CUPY_VERSIONS.get(attr, attr)

        def fn(*args, **kwargs):
            _check_cupy_call(qualname, kwargs)
            _check_data_sized(name, args, kwargs)
            return wrap(attr(*unwrap(args, host_ok), **unwrap(kwargs, host_ok)))

        return fn


fake_cupy = _Module(np)


class _FakeRng:
    """The generator methods minitorch uses, on device arrays (the CPU stream underneath);
    Python ints (seeds for new streams) stay on the host."""

    def __init__(self, seed: int) -> None:
        self._g = CPUStream(seed)

    def __getattr__(self, name):
        fn = getattr(self._g, name)

        def call(*a, **k):
            result = fn(*unwrap(a), **unwrap(k))
            return result if isinstance(result, int) else wrap(np.asarray(result))

        return call


def _softmax(a, log=False):
    m = a.max(axis=-1, keepdims=True)
    lse = np.log(np.exp(a - m).sum(axis=-1, keepdims=True)) + m
    return a - lse if log else np.exp(a - lse)


def _softmax_backward(y, g, log=False):
    if log:
        return g - np.exp(y) * g.sum(axis=-1, keepdims=True)
    return y * (g - (g * y).sum(axis=-1, keepdims=True))


def _layer_norm(x, w, b, eps):
    xc = x - x.mean(axis=-1, keepdims=True)
    rstd = 1 / np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + eps)
    xhat = xc * rstd
    y = xhat if w is None else xhat * w
    return (y if b is None else y + b), xhat, rstd


def _layer_norm_backward(g, xhat, rstd, w):
    gh = g if w is None else g * w
    a = (gh * xhat).mean(axis=-1, keepdims=True)
    return (gh - xhat * a - gh.mean(axis=-1, keepdims=True)) * rstd


def _cross_entropy(x, target, ignore_index, smoothing):
    n = x.shape[1]
    valid = target != ignore_index
    t = np.where(valid, target, 0)
    bad = (t < 0) | (t >= n)
    t = np.where(bad, 0, t)
    lse = np.log(np.exp(x - x.max(axis=1, keepdims=True)).sum(axis=1)) + x.max(axis=1)
    picked = np.take_along_axis(x, t[:, None], 1)[:, 0]
    loss = (1 - smoothing) * (lse - picked) + smoothing * (lse - x.mean(axis=1))
    nan = x.dtype.type(np.nan)  # as the kernel: NaN loss and lse for a target out of range
    loss = np.where(bad, nan, np.where(valid, loss, 0)).astype(x.dtype)
    return loss, np.where(bad, nan, lse).astype(x.dtype)


def _cross_entropy_backward(x, lse, target, scale, ignore_index, smoothing):
    n = x.shape[1]
    valid = target != ignore_index
    columns = np.cumsum(np.ones_like(x, dtype=np.int64), axis=1) - 1
    onehot = columns == np.where(valid, target, 0)[:, None]
    q = np.where(onehot, 1 - smoothing, 0) + smoothing / n
    s = scale.reshape(-1, 1) if scale.ndim else scale
    return np.where(valid[:, None], (np.exp(x - lse[:, None]) - q) * s, 0).astype(x.dtype)


def _gelu(x, approximate):
    if approximate == "tanh":
        return 0.5 * x * (1 + act._gelu_tanh_inner(x))
    return x * act.ndtr_array(x)


def _gelu_grad(x, approximate):
    if approximate == "tanh":
        t = act._gelu_tanh_inner(x)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * act._K * (1 + 3 * act._C * x * x)
    return act.ndtr_array(x) + x * act.normal_pdf(x)


def _adam(*args):
    from minitorch.optim.adam import _adam

    _adam(*args)


def _sgd(*args):
    from minitorch.optim.sgd import _sgd

    _sgd(*args)


REFERENCE_KERNELS = {
    "relu_grad": lambda g, y: np.where(y != 0, g, np.zeros_like(g)),
    "tanh_grad": lambda g, y: g * (1 - y * y),
    "sigmoid_grad": lambda g, y: g * (1 - y) * y,
    "softmax": _softmax,
    "softmax_backward": _softmax_backward,
    "layer_norm": _layer_norm,
    "layer_norm_backward": _layer_norm_backward,
    "cross_entropy": _cross_entropy,
    "cross_entropy_backward": _cross_entropy_backward,
    "gelu": _gelu,
    "gelu_grad": _gelu_grad,
    "adam": _adam,
    "sgd": _sgd,
}


class FakeCupyBackend:
    """The 'cuda' backend on FakeArrays. Its "fused kernels" (``use_fused``) are numpy
    references with the signatures of cupy_kernels.KERNELS, to test how ops call them."""

    name = "cuda"
    xp = fake_cupy
    use_fused = False

    @property
    def device(self):
        return backends.Device("cuda", 0)

    def make_rng(self, seed: int):
        return _FakeRng(seed)

    def from_host(self, array, index):
        host = np.array(unwrap(array, host_ok=True))
        refuse_bfloat16(host)  # as the real backend: cupy has no bfloat16
        return wrap(host)

    def synchronize(self) -> None:
        """Nothing queued."""

    @staticmethod
    @contextlib.contextmanager
    def linalg_errors():
        """``cupyx.errstate(linalg='raise')`` of the fake (see ``_cupy_linalg``)."""
        saved, _linalg_raise[0] = _linalg_raise[0], True
        try:
            yield
        finally:
            _linalg_raise[0] = saved

    @staticmethod
    def matmul(a, b, bias=None, scale=None, dtype=None):
        out = np.matmul(a, b)
        if scale is not None:
            out *= scale
        if bias is not None:
            out += bias
        return out if dtype is None else out.astype(dtype, copy=False)

    def kernel(self, name: str):
        return REFERENCE_KERNELS.get(name) if self.use_fused else None


@contextlib.contextmanager
def installed(fused: bool = False):
    """The fake backend in the 'cuda' slot (and its generators fresh) for the block; with
    ``fused`` its reference kernels are on."""
    from minitorch import random as mt_random

    saved = backends._backends.get("cuda")
    checks = backends._pending.pop(backends.Device("cuda", 0), None)  # a real GPU's, kept
    backends._backends["cuda"] = FakeCupyBackend()
    backends._backends["cuda"].use_fused = fused
    gens = {k: v for k, v in mt_random._generators.items() if k.startswith("cuda")}
    for k in gens:
        del mt_random._generators[k]
    try:
        yield
    finally:
        backends._pending.pop(backends.Device("cuda", 0), None)  # the fake device's checks
        if checks is not None:
            backends._pending[backends.Device("cuda", 0)] = checks
        if saved is None:
            backends._backends.pop("cuda", None)
        else:
            backends._backends["cuda"] = saved
        for k in [k for k in mt_random._generators if k.startswith("cuda")]:
            del mt_random._generators[k]
        mt_random._generators.update(gens)
