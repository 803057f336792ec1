"""Batched gradients for ``jacobian(vectorize=True)``: a ``BatchedArray`` holds B independent
rows of one array and looks like a single row (``shape``, ``ndim``, ``dtype`` are a row's).
numpy functions, ufuncs and array methods applied to it run on all rows in one call, by the
rules below (the batch is the physical leading axis). Ops' backward formulas are written
against numpy, so a whole backward pass runs once for B grad_outputs.

What has no rule raises ``Unbatchable``; ``observers.run_backward`` then runs that node's
backward once per row and stacks the results, so every op stays correct, only slower.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin


class Unbatchable(Exception):
    """A numpy call on a BatchedArray that has no batching rule."""


class BatchedArray(NDArrayOperatorsMixin):
    """``phys[i]`` is row i; numpy sees ``phys[0]``'s shape (see the module docstring)."""

    __slots__ = ("phys",)

    def __init__(self, phys) -> None:
        self.phys = phys

    # ---- what a row looks like -------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.phys.shape[1:]

    @property
    def ndim(self) -> int:
        return self.phys.ndim - 1

    @property
    def size(self) -> int:
        return self.phys.size // self.phys.shape[0] if self.phys.shape[0] else 0

    @property
    def dtype(self):
        return self.phys.dtype

    @property
    def itemsize(self) -> int:
        return self.phys.itemsize

    @property
    def nbytes(self) -> int:
        return self.phys.nbytes

    base = None  # the profiler's "is this a fresh allocation" test
    # a row's layout is not tracked: ops that keep a non-contiguous input's strides
    # (minitorch.backends.memory_order) take their plain, C-ordered branch
    flags = SimpleNamespace(c_contiguous=True)

    @property
    def T(self) -> BatchedArray:
        return self.transpose()

    @property
    def mT(self) -> BatchedArray:
        return self.swapaxes(-2, -1)

    def __repr__(self) -> str:
        return f"BatchedArray(rows={self.phys.shape[0]}, shape={self.shape}, dtype={self.dtype})"

    # ---- anything that would need one value for all rows ---------------------------------------
    def __array__(self, dtype=None, copy=None):
        raise Unbatchable("a batched array cannot become one numpy array")

    def __bool__(self):
        raise Unbatchable("the truth value of a batched array differs per row")

    def item(self, *args):
        raise Unbatchable("item() of a batched array")

    # ---- methods -----------------------------------------------------------------------------
    def reshape(self, *shape, order="C") -> BatchedArray:
        shape = shape[0] if len(shape) == 1 and not isinstance(shape[0], int) else shape
        return BatchedArray(self.phys.reshape((self.phys.shape[0], *shape), order=order))

    def ravel(self) -> BatchedArray:
        return self.reshape(-1)

    flatten = ravel

    def transpose(self, *axes) -> BatchedArray:
        axes = axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes
        if not axes:
            axes = range(self.ndim - 1, -1, -1)
        return BatchedArray(self.phys.transpose((0, *_shift(axes, self.ndim))))

    def swapaxes(self, a: int, b: int) -> BatchedArray:
        n = self.ndim
        return BatchedArray(self.phys.swapaxes(_wrap(a, n) + 1, _wrap(b, n) + 1))

    def squeeze(self, axis=None) -> BatchedArray:
        if axis is None:
            axis = tuple(i for i, s in enumerate(self.shape) if s == 1)
        return BatchedArray(self.phys.squeeze(_axes(axis, self.ndim)))

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True) -> BatchedArray:
        return BatchedArray(self.phys.astype(dtype, order, casting, subok, copy))

    def copy(self, order="C") -> BatchedArray:
        return BatchedArray(self.phys.copy(order))

    def __getitem__(self, index) -> BatchedArray:
        return BatchedArray(self.phys[_batched_index(index)])

    def __setitem__(self, index, value) -> None:
        full = _batched_index(index)
        self.phys[full] = _align([value], self.phys[full].ndim - 1)[0]

    def _reduce(name):
        def method(self, axis=None, dtype=None, out=None, keepdims=False, **kw):
            if out is not None or kw:
                raise Unbatchable(f"{name} with out= or {sorted(kw)}")
            axes = _axes(axis, self.ndim)
            fn = getattr(self.phys, name)
            r = (
                fn(axes, dtype, keepdims=keepdims)
                if name in _TYPED
                else fn(axes, keepdims=keepdims)
            )
            return BatchedArray(r)

        method.__name__ = name
        return method

    sum, mean, prod, max, min, any, all = map(
        _reduce, ("sum", "mean", "prod", "max", "min", "any", "all")
    )
    del _reduce

    def cumsum(self, axis=None, dtype=None) -> BatchedArray:
        if axis is None:
            return self.reshape(-1).cumsum(0, dtype)
        return BatchedArray(self.phys.cumsum(_wrap(axis, self.ndim) + 1, dtype))

    def cumprod(self, axis=None, dtype=None) -> BatchedArray:
        if axis is None:
            return self.reshape(-1).cumprod(0, dtype)
        return BatchedArray(self.phys.cumprod(_wrap(axis, self.ndim) + 1, dtype))

    # ---- the numpy protocols -----------------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "at" and not kwargs:
            return _ufunc_at(ufunc, *inputs)
        if method != "__call__" or {"out", "where"} & kwargs.keys():
            raise Unbatchable(f"np.{ufunc.__name__}.{method} with {sorted(kwargs)}")
        if ufunc is np.matmul:
            return _matmul(*inputs, **kwargs)
        if ufunc.signature is not None:
            raise Unbatchable(f"generalised ufunc np.{ufunc.__name__}")
        out = ufunc(*_align(inputs), **kwargs)
        return tuple(map(BatchedArray, out)) if ufunc.nout > 1 else BatchedArray(out)

    def __array_function__(self, func, types, args, kwargs):
        rule = _RULES.get(func)
        if rule is None:
            raise Unbatchable(f"no batching rule for np.{func.__name__}")
        return rule(*args, **kwargs)


_TYPED = {"sum", "mean", "prod"}


def rows(x) -> int | None:
    """The number of rows of a batched array, None for anything else."""
    return x.phys.shape[0] if type(x) is BatchedArray else None


def physical(x, n: int):
    """``x`` as an array with ``n`` rows in front (a plain array is the same for every row)."""
    if type(x) is BatchedArray:
        return x.phys
    x = np.asarray(x) if not hasattr(x, "shape") else x
    return np.broadcast_to(x, (n, *x.shape))


def _wrap(axis: int, ndim: int) -> int:
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise Unbatchable(f"axis {axis} out of range for {ndim} dims")
    return axis % max(ndim, 1)


def _shift(axes, ndim: int) -> tuple:
    return tuple(_wrap(int(a), ndim) + 1 for a in axes)


def _axes(axis, ndim: int) -> tuple:
    """A row's reduction axes as physical axes (None means all of a row's axes)."""
    if axis is None:
        return tuple(range(1, ndim + 1))
    return _shift((axis,) if isinstance(axis, (int, np.integer)) else axis, ndim)


def _ndim(x) -> int:
    return x.ndim if type(x) is BatchedArray else np.ndim(x)


def _align(args, ndim: int | None = None) -> list:
    """Physical operands that broadcast row by row: each batched one gets unit axes after its
    batch axis so that a row's axes line up with the plain operands' axes."""
    if ndim is None:
        ndim = max(_ndim(a) for a in args)
    out = []
    for a in args:
        if type(a) is BatchedArray:
            pad = ndim - a.ndim
            a = a.phys[(slice(None),) + (None,) * pad] if pad > 0 else a.phys
        out.append(a)
    return out


def _batched_index(index) -> tuple:
    """A row's index as an index of the rows (a slice over the batch axis in front). Basic
    entries (ints, slices, None, Ellipsis) and index arrays next to each other qualify: numpy
    keeps adjacent index arrays' axes in place, but moves them to the front (before the batch
    axis) when other entries stand between them."""
    index = index if isinstance(index, tuple) else (index,)
    arrays = [i for i, item in enumerate(index) if _is_array_index(item)]
    for item in index:
        if isinstance(item, bool) or not (
            item is None
            or item is Ellipsis
            or isinstance(item, (int, slice, np.integer))
            or _is_array_index(item)
        ):
            raise Unbatchable(f"index entry of type {type(item).__name__}")
    if arrays:  # with an index array present, ints are advanced indices too
        arrays += [i for i, item in enumerate(index) if isinstance(item, (int, np.integer))]
        if max(arrays) - min(arrays) + 1 != len(arrays):
            raise Unbatchable("index arrays separated by other entries")
    return (slice(None), *index)


def _is_array_index(item) -> bool:
    if type(item) is BatchedArray:
        raise Unbatchable("an index that differs per row")
    return isinstance(item, list) or (hasattr(item, "ndim") and not isinstance(item, np.generic))


def _ufunc_at(ufunc, target, index, *values):
    """``ufunc.at(target, index, values)`` in place on a batched target."""
    if type(target) is not BatchedArray:
        raise Unbatchable(f"np.{ufunc.__name__}.at of a batched array into a plain one")
    full = _batched_index(index)
    sub_ndim = target.phys[full].ndim - 1
    ufunc.at(target.phys, full, *_align(values, sub_ndim))


def _matmul(a, b, **kwargs):
    if kwargs or _ndim(a) == 0 or _ndim(b) == 0:
        raise Unbatchable("matmul with scalars or keyword arguments")
    va, vb = _ndim(a) == 1, _ndim(b) == 1
    # vectors become a row (a) / a column (b), then the batch-of-matrix axes line up
    a = a[..., None, :] if va else a
    b = b[..., :, None] if vb else b
    x, y = _align([a, b])
    out = np.matmul(x, y)
    if vb:
        out = out[..., 0]
    if va:
        out = out[..., 0, :] if not vb else out[..., 0]
    return BatchedArray(out)


# ---- numpy functions -------------------------------------------------------------------------
def _elementwise(fn):
    def rule(*args, **kwargs):
        return BatchedArray(fn(*_align(args), **kwargs))

    return rule


def _method(name):
    def rule(a, *args, **kwargs):
        return getattr(a, name)(*args, **kwargs)

    return rule


def _like(fn):
    def rule(a, *args, dtype=None, shape=None, **kwargs):
        if kwargs:
            raise Unbatchable(f"np.{fn.__name__} with {sorted(kwargs)}")
        p = a.phys
        row = p.shape[1:] if shape is None else (shape,) if isinstance(shape, int) else shape
        return BatchedArray(fn(p, *args, dtype=dtype, shape=(p.shape[0], *row)))

    return rule


def _broadcast_to(a, shape):
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    p = _align([a], len(shape))[0]
    return BatchedArray(np.broadcast_to(p, (p.shape[0], *shape)))


def _expand_dims(a, axis):
    n = a.ndim + (1 if isinstance(axis, int) else len(axis))
    return BatchedArray(np.expand_dims(a.phys, _axes(axis, n)))


def _moveaxis(a, source, destination):
    n = a.ndim
    return BatchedArray(np.moveaxis(a.phys, _axes(source, n), _axes(destination, n)))


def _rows_of(arrays) -> int:
    for a in arrays:
        if type(a) is BatchedArray:
            return a.phys.shape[0]
    raise Unbatchable("no batched array")


def _concatenate(arrays, axis=0, **kwargs):
    if axis is None or kwargs:
        raise Unbatchable("concatenate with axis=None or keyword arguments")
    arrays = list(arrays)
    n = _rows_of(arrays)
    return BatchedArray(
        np.concatenate([physical(a, n) for a in arrays], _wrap(axis, _ndim(arrays[0])) + 1)
    )


def _stack(arrays, axis=0, **kwargs):
    if kwargs:
        raise Unbatchable("stack with keyword arguments")
    arrays = list(arrays)
    n = _rows_of(arrays)
    return BatchedArray(
        np.stack([physical(a, n) for a in arrays], _wrap(axis, _ndim(arrays[0]) + 1) + 1)
    )


def _where(cond, *xy):
    if len(xy) != 2:
        raise Unbatchable("np.where(cond) (the positions differ per row)")
    return BatchedArray(np.where(*_align((cond, *xy))))


def _flip(a, axis=None):
    return BatchedArray(np.flip(a.phys, _axes(axis, a.ndim)))


def _triangle(fn):
    def rule(a, k=0):
        if a.ndim < 2:
            raise Unbatchable(f"np.{fn.__name__} of a vector")
        return BatchedArray(fn(a.phys, k))

    return rule


def _pad(a, pad_width, mode="constant", constant_values=0):
    if mode != "constant" or np.ndim(constant_values) != 0:
        raise Unbatchable("np.pad other than with one constant")
    widths = np.broadcast_to(np.asarray(pad_width), (a.ndim, 2)).tolist()
    return BatchedArray(np.pad(a.phys, [(0, 0), *widths], constant_values=constant_values))


def _tile(a, reps):
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    n = max(len(reps), a.ndim)
    p = _align([a], n)[0]
    return BatchedArray(np.tile(p, (1,) + (1,) * (n - len(reps)) + reps))


def _result_type(*args):
    return np.result_type(*[a.dtype if type(a) is BatchedArray else a for a in args])


_RULES = {
    np.shape: lambda a: a.shape,
    np.ndim: lambda a: a.ndim,
    np.size: lambda a: a.size,
    np.result_type: _result_type,
    np.reshape: _method("reshape"),
    np.transpose: _method("transpose"),
    np.swapaxes: _method("swapaxes"),
    np.squeeze: _method("squeeze"),
    np.copy: _method("copy"),
    np.sum: _method("sum"),
    np.mean: _method("mean"),
    np.prod: _method("prod"),
    np.amax: _method("max"),
    np.max: _method("max"),
    np.amin: _method("min"),
    np.min: _method("min"),
    np.any: _method("any"),
    np.all: _method("all"),
    np.cumsum: _method("cumsum"),
    np.cumprod: _method("cumprod"),
    np.clip: _elementwise(np.clip),
    np.where: _where,
    np.broadcast_to: _broadcast_to,
    np.expand_dims: _expand_dims,
    np.moveaxis: _moveaxis,
    np.concatenate: _concatenate,
    np.stack: _stack,
    np.flip: _flip,
    np.tril: _triangle(np.tril),
    np.triu: _triangle(np.triu),
    np.pad: _pad,
    np.tile: _tile,
    np.zeros_like: _like(np.zeros_like),
    np.ones_like: _like(np.ones_like),
    np.empty_like: _like(np.empty_like),
    np.full_like: _like(np.full_like),
}
