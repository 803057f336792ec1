"""Writing by index: scatter (tensor or number), scatter_reduce, index_put, index_fill,
index_copy, and
reading by flat or per-dim index: take, take_along_dim. Backward of each is a gather or an
index, so gradients of every order exist; the in-place forms (``scatter_``, ...) are the
out-of-place op written back, as for every in-place op."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._dtypes import scalar_type_name
from .._tensor import Tensor, make_tensor
from ..autograd import forward_ad
from ..autograd.function import Op, name_node
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.underivable import Underivable
from ..backends import ascontiguous, checked_index, on_host, ufunc_at, xp_of
from .elementwise import broadcast_error, parsed_number, where
from .index import (
    LONG,
    SCATTER_INDEX,
    Gather,
    IndexAccumulate,
    IndexIntoZeros,
    IndexPut,
    _as_index,
    _check_range,
    _full_index,
    check_fill_value,
    check_put,
    check_scatter,
    check_tensor_and_value,
    checked_arrays,
    gather,
    masked_fill,
    normalize_index,
    reading_none,
    scatter_add,
    scatter_as_1d,
    tensor_arg,
)
from .inplace import _method as inplace_method
from .inplace import overlaps
from .layout import _storage_array
from .reduce import wrap_dim


class Scatter(Op):
    """out = a.clone(); out[index[i, j], j] = src[i, j] (dim 0), ``src`` an array (its
    leading ``index.shape`` block is used) or a number. Where an index repeats, which
    write wins is unspecified, as in PyTorch."""

    @staticmethod
    def forward(ctx, a, dim, index, src):
        ctx.args = (dim, index, np.shape(src))
        out = a.copy()
        if np.ndim(src):  # an array, not a number (of any dims for an empty index)
            src = src[tuple(slice(0, n) for n in index.shape[: src.ndim])]
        out[_full_index(index, dim)] = src
        return out

    @staticmethod
    def backward(ctx, g):
        dim, index, src_shape = ctx.args
        na, _, _, ns = ctx.needs_input_grad
        ga = Scatter.apply(g, dim, index, 0) if na else None  # overwritten: no gradient
        gs = None
        if ns:
            gs = Gather.apply(g, dim, index)
            if gs._data.shape != src_shape:  # the unused part of src gets zero gradient
                used = tuple(slice(0, n) for n in index.shape)
                gs = IndexIntoZeros.apply(gs, src_shape, used, True)
        return ga, None, None, gs

    @staticmethod
    def jvp(ctx, ta, _dim, _index, ts):
        """The tangents scattered as the values were: where an index repeats, the winning
        write's tangent (the backward gives every write a gradient)."""
        dim, index, _ = ctx.args
        return Scatter.apply(ta, dim, index, 0 if ts is None else ts)


def scatter(input: Tensor, dim: int, index: Tensor, src=None, value=None, *, reduce=None):
    """Mirrors ``torch.scatter``: a copy of ``input`` with ``src[i][j]`` (or the number
    ``value``) written at ``[index[i][j]][j]`` (dim 0; likewise for other dims)."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() needs either src (a tensor) or value (a number)")
    check_tensor_and_value("scatter", dim, index, src)
    if reduce is not None:  # PyTorch's older form of scatter_reduce (include_self)
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        tensors = (src,) if isinstance(src, Tensor) else ()
        if not isinstance(src, Tensor):  # (an empty index of any shape: as self's dims)
            shape = index._data.shape if index._data.size else (0,) * max(input._data.ndim, 1)
            src = make_tensor(np.full_like(input._data, _scatter_value(src, input, index), shape=shape))  # fmt: skip
        out = scatter_reduce(
            input.detach(), dim, index, src.detach(), "sum" if reduce == "add" else "prod"
        )  # no derivative: PyTorch's NotImplemented node
        return Underivable.apply(input, "scatter", lambda *_: out._data, *tensors)
    d = wrap_dim(dim, input._data.ndim)
    idx = _as_index(index, SCATTER_INDEX, empty_ok=True)
    idx = check_scatter(input, d, idx, src if isinstance(src, Tensor) else None)
    if not input._data.ndim:
        return scatter_as_1d(scatter, input, d, index, src)
    if not isinstance(src, Tensor):
        value = input._data.dtype.type(_scatter_value(src, input, idx))
        return name_node(Scatter.apply(input, d, idx, value), "ScatterBackward1")
    return Scatter.apply(input, d, idx, src)


def _scatter_value(value, input: Tensor, index) -> object:
    """The number scatter writes into ``input``, checked and converted as a fill value (none
    is written, nor checked, for an empty ``index``)."""
    if not np.size(index._data if isinstance(index, Tensor) else index):
        return 0
    return check_fill_value("", parsed_number(value), input._data.dtype)


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """Mirrors ``torch.masked_scatter``: a copy of ``input`` with the elements where
    ``mask`` (broadcast) is True taken from ``source``'s leading elements in order."""
    tensor_arg("masked_scatter", "mask", 1, mask)
    tensor_arg("masked_scatter", "source", 2, source)
    try:  # PyTorch's order: the shapes, source's dtype, the mask's
        shape = np.broadcast_shapes(input._data.shape, mask._data.shape)
    except ValueError:
        raise broadcast_error("masked_scatter", mask, input) from None
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got"
            f"{scalar_type_name(input._data.dtype)} and {scalar_type_name(source._data.dtype)}"
        )
    if mask._data.dtype != np.bool_:
        raise RuntimeError(
            "masked_scatter_ only supports boolean masks, but got mask with dtype "
            f"{_dtypes.scalar_type_name(mask._data.dtype)}"
        )
    m = np.broadcast_to(mask._data, shape)
    n = source._data.size
    if on_host(m) and n < m.sum():  # a device's count is not read back (PyTorch's CUDA
        raise RuntimeError("Number of elements of source < number of ones in mask")  # asserts)
    # each True takes source's element at its place among the Trues: a gather and a where,
    # with no count of the Trues (a host read on a device)
    at = np.clip(np.cumsum(m.reshape(-1)) - 1, 0, max(n - 1, 0)).reshape(shape)
    flat = source.reshape(-1)
    if not n:  # a zero no True may take, of source (its gradient: zeros of its shape)
        flat = flat.sum(dtype=source.dtype).reshape(1)
    out = where(make_tensor(m), flat[make_tensor(at)], input).contiguous()
    return name_node(out, "MaskedScatterBackward0")


def _put_index(indices) -> tuple:
    """The numpy index of ``index_put``'s tuple (or list) of index tensors."""
    for i, item in enumerate(indices):
        if not isinstance(item, Tensor):
            from ..factories import _type_name  # noqa: PLC0415

            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {_type_name(item)}"
            )
    idx, _ = normalize_index(tuple(indices))
    kept = (  # a 0-d index tensor stays a tensor (normalize_index reads it as an int)
        t._data if t._data.ndim == 0 and t._data.dtype.kind == "i" else i
        for t, i in zip(indices, idx)
    )
    return (*kept, *idx[len(indices) :])


def index_put(input: Tensor, indices, values: Tensor, accumulate: bool = False) -> Tensor:
    """Mirrors ``torch.index_put``: a copy of ``input`` with ``values`` written at
    ``input[indices]`` (added there, repeated indices included, when ``accumulate``)."""
    if isinstance(indices, Tensor):
        raise TypeError(
            "index_put(): argument 'indices' (position 1) must be tuple of Tensors, not Tensor"
        )
    tensor_arg("index_put", "values", 2, values)
    if len(indices) > input._data.ndim:
        raise IndexError(
            f"too many indices for tensor of dimension {input._data.ndim} (got {len(indices)})"
        )
    idx = _put_index(indices)
    target = check_put(input._data, idx, values._data, accumulate)
    idx = checked_arrays(idx, input._data, "index_put_")
    if values.requires_grad and values.dtype != input.dtype:
        values = values.to(input.dtype)  # (its gradient in its own dtype)
    if not math.prod(target):  # nothing to write: PyTorch reads no index (a 0-d one neither)
        idx = tuple(np.zeros_like(i) if getattr(i, "ndim", 1) == 0 else i for i in reading_none(idx))  # fmt: skip
    if not accumulate:
        return IndexPut.apply(input, idx, values)
    return IndexAccumulate.apply(input, idx, values)


def _put_along(input: Tensor, d: int, idx, value, name: str) -> Tensor:
    """A copy of ``input`` with ``value`` put at ``idx`` (a vector or 0-d index array of
    in-range ints) along dim ``d`` (a 0-d ``input`` is read as one element)."""
    x = input._data
    if not x.size and x.ndim and not math.prod(x.shape[:d] + x.shape[d + 1 :]):
        # nothing is written into an empty self (PyTorch checks no index): no index, and
        # no slice of a source
        idx = idx.reshape(-1)[:0]
        if isinstance(value, Tensor) and value.ndim == x.ndim:
            value = value[(slice(None),) * d + (slice(0, 0),)]
    idx = _check_range(idx, x.shape[d] if x.ndim else 1, d, name, IndexError)
    if not x.ndim:
        if isinstance(value, Tensor):
            value = value.reshape(-1)
        return IndexPut.apply(input.reshape(1), (idx.reshape(-1),), value).reshape(())
    return IndexPut.apply(input, (slice(None),) * d + (idx.reshape(-1),), value)


def index_fill(input: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """Mirrors ``torch.index_fill``: a copy of ``input`` with ``value`` (a number or a 0-d
    tensor) at the positions ``index`` along ``dim`` (negative ones count from the end)."""
    check_tensor_and_value("index_fill", dim, index, value)
    if isinstance(value, Tensor) and value._data.ndim != 0:  # (PyTorch checks this first)
        raise RuntimeError(
            "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s)."
        )
    data = _as_index(index, "index_fill_(): Expected dtype int64 for index.", LONG, IndexError)
    d = wrap_dim(dim, input._data.ndim)
    if data.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    n = input._data.shape[d] if input._data.ndim else 1
    data = np.where((data < 0) & (data >= -n), data + n, data)
    name = "IndexFillBackward1" if isinstance(value, Tensor) else "IndexFillBackward0"
    if isinstance(value, Tensor):
        if not value.requires_grad and not forward_ad.is_dual(value):
            value = value._data.item()
        else:  # each position filled once: a repeated index adds no more to value's gradient
            data = np.unique(data)
            value = value.to(input.dtype)  # (its gradient in its own dtype)
    if not isinstance(value, Tensor):
        value = check_fill_value("", parsed_number(value), input._data.dtype)  # PyTorch's words
    return name_node(_put_along(input, d, data, value, "index_fill"), name)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """Mirrors ``torch.index_copy``: a copy of ``input`` whose slices ``index`` along
    ``dim`` are the slices of ``source`` (a 0-d source: one element for one index)."""
    tensor_arg("index_copy", "index", 2, index)
    tensor_arg("index_copy", "source", 3, source)
    d = wrap_dim(dim, input._data.ndim)
    idx, x, src = index._data, input._data, source._data
    if idx.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {idx.ndim})")
    if src.ndim == 0 and idx.size != 1:
        raise IndexError(
            f"index_copy_(): When source is scalar, index should have one element (got {idx.size})"
        )
    if src.ndim and x.ndim and src.ndim != x.ndim:
        raise IndexError(
            "index_copy_(): When source and destination are not scalars, their dimensionality "
            f"must match. Source dimensionality ({src.ndim}), destination dimensionality "
            f"({x.ndim})"
        )
    idx = _as_index(index, "index_copy_(): Expected a long tensor for index, but got {}", LONG)
    if src.dtype != x.dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{scalar_type_name(x.dtype)} and (source) {scalar_type_name(src.dtype)}"
        )
    x_slice, src_slice = x.shape[:d] + x.shape[d + 1 :], src.shape[:d] + src.shape[d + 1 :]
    if x_slice != src_slice:
        raise RuntimeError(
            "index_copy_(): Source/destination tensor must have same slice shapes. Destination "
            f"slice shape: {' '.join(map(str, x_slice))} at dimension {d} and source slice "
            f"shape: {' '.join(map(str, src_slice))} at dimension 0."
        )
    if src.ndim and idx.size != src.shape[d]:
        raise IndexError(
            f"index_copy_(): Number of indices ({idx.size}) should be equal to source.size(dim) "
            f"({src.shape[d]})"
        )
    out = _put_along(input.contiguous(), d, idx, source, "index_copy_")  # as PyTorch's
    return name_node(out, "IndexCopyBackward0")


def take(input: Tensor, index: Tensor) -> Tensor:
    """Mirrors ``torch.take``: ``input`` read as 1-D at ``index`` (the result has the
    index's shape)."""
    tensor_arg("take", "index", 1, index)
    idx = _as_index(index, "take(): Expected a long tensor for index, but got {}", LONG)
    if input._data.size == 0 and idx.size:
        raise IndexError("take(): tried to take from an empty tensor")
    out = input.reshape(-1)[make_tensor(_flat_index(idx, input._data.size, "take"))]
    return name_node(out, "TakeBackward0", input)


def _flat_index(idx, n: int, op: str):
    """take/put's indices into ``n`` elements (negative ones count from the end), checked
    (on a device: clipped, the check left pending, see ``checked_index``)."""

    def error(i: int) -> IndexError:
        return IndexError(f"out of range: tried to access index {i} on a tensor of {n} elements.")

    idx = checked_index(idx, n, error, op, low=-n)
    return np.where(idx < 0, idx + n, idx)


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """Mirrors ``torch.Tensor.put``: ``input`` read as 1-D gets ``source`` at ``index``
    (negative indices count from the end; ``accumulate`` adds, repeated indices included)."""
    tensor_arg("put", "index", 1, index)
    tensor_arg("put", "source", 2, source)
    idx = _as_index(index, "put_(): Expected a long tensor for index, but got {}", LONG)
    n = input._data.size
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{scalar_type_name(input._data.dtype)} and source.dtype = "
            f"{scalar_type_name(source._data.dtype)}"
        )
    if source._data.size != idx.size:
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source._data.size}, index.numel() = {idx.size}"
        )
    if n == 0 and idx.size:
        raise IndexError("put_(): Tried to put elements into an empty tensor")
    flat = _flat_index(idx, n, "put_").reshape(-1)
    if input._data.ndim == 0:  # one element: put into it read as 1-D
        out = index_put(input.reshape(1), (make_tensor(flat),), source.reshape(-1), accumulate)
        return name_node(out.reshape(()), "PutBackward0", input)
    at = tuple(make_tensor(i) for i in xp_of(flat).unravel_index(flat, input._data.shape))
    out = index_put(input, at, source.reshape(-1), accumulate)  # keeps input's layout
    return name_node(out, "PutBackward0", input)


def _scatter_into(name: str, input: Tensor, src: Tensor, view, clone=None) -> Tensor:
    """A copy of ``input`` (made by ``clone``, default ``Tensor.clone``) whose part ``view(copy)``
    is replaced by ``src`` (its exact shape)."""
    out = input.clone() if clone is None else clone(input)
    part = view(out)
    if part.shape != src.shape:
        raise RuntimeError(
            f"{name}(): expected src to have a size equal to the slice of self. src size = "
            f"{list(src.shape)}, slice size = {list(part.shape)}"
        )
    part.copy_(src)
    return out


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """Mirrors ``torch.select_scatter``: ``input`` with ``input.select(dim, index)`` set to
    ``src`` (gradients reach both)."""
    return _scatter_into("select_scatter", input, src, lambda t: t.select(dim, index))


def slice_scatter(
    input: Tensor, src: Tensor, dim: int = 0, start=None, end=None, step: int = 1
) -> Tensor:
    """Mirrors ``torch.slice_scatter``: ``input`` with the slice start:end:step of ``dim``
    set to ``src``."""
    d = wrap_dim(dim, input._data.ndim)
    index = (slice(None),) * d + (slice(start, end, step),)
    return _scatter_into("slice_scatter", input, src, lambda t: t[index])


def diagonal_scatter(
    input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1
) -> Tensor:
    """Mirrors ``torch.diagonal_scatter``: ``input`` with a diagonal set to ``src``."""
    return _scatter_into("diagonal_scatter", input, src, lambda t: t.diagonal(offset, dim1, dim2))


def as_strided_scatter(input: Tensor, src: Tensor, size, stride, storage_offset=None) -> Tensor:
    """Mirrors ``torch.as_strided_scatter``: a copy of ``input`` whose
    ``as_strided(size, stride, storage_offset)`` view (of the copy's memory) is set to
    ``src``."""
    return _scatter_into(
        "as_strided_scatter",
        input,
        src,
        lambda t: t.as_strided(size, stride, storage_offset),
        _clone_preserve_strides,
    )


def _clone_preserve_strides(t: Tensor) -> Tensor:
    """PyTorch's clone_preserve_strides: ``t`` at its strides and storage offset in a copy of
    all the memory it views (a plain clone where its elements overlap)."""
    if overlaps(t._data):
        return t.clone()
    whole = t.as_strided((_storage_array(t._data).size,), (1,), 0).clone()
    return whole.as_strided(t.shape, t.stride(), t.storage_offset())


def _wrapped(idx, size: int, indices: Tensor, count: int) -> Tensor:
    """``indices`` (array ``idx``) modulo ``size`` when some lie outside [0, size): PyTorch's
    take_along_dim along a dim wraps every index so (gather itself raises), once broadcast
    (``count`` indices: none, nothing to divide). A device's indices are wrapped without
    looking (reading them back would stall the GPU)."""
    if size and idx.size and (not on_host(idx) or idx.min() < 0 or idx.max() >= size):
        return make_tensor(idx % size)
    if not size and count:  # PyTorch's modulo by the empty dim's size
        raise RuntimeError("ZeroDivisionError")
    return indices


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Mirrors ``torch.take_along_dim``: ``gather`` after broadcasting ``input`` and
    ``indices`` against each other in every dim but ``dim`` (1-D reads when ``dim`` is
    None)."""
    tensor_arg("take_along_dim", "indices", 1, indices)
    if dim is None:  # PyTorch's views (which a non-contiguous tensor may refuse), gather's checks
        return gather(input.view(-1), 0, indices.view(-1))
    idx = _as_index(
        indices, "torch.take_along_dim(): dtype of indices should be Long but got {}", LONG
    )
    n = input._data.ndim
    if indices._data.ndim != n:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {n} dimensions for input, and {indices._data.ndim} "
            "dimensions for indices"
        )
    d = wrap_dim(dim, n)
    a, b = list(input._data.shape), list(indices._data.shape)
    a[d] = b[d] = 1
    try:
        shape = np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        stand_ins = (np.broadcast_to(np.zeros((), np.int8), tuple(s)) for s in (a, b))
        raise broadcast_error("take_along_dim", *stand_ins) from None
    indices = _wrapped(idx, input._data.shape[d], indices, math.prod(shape) * idx.shape[d])
    return gather(
        input.expand(*shape[:d], input._data.shape[d], *shape[d + 1 :]),
        d,
        indices.expand(*shape[:d], indices._data.shape[d], *shape[d + 1 :]),
    )


_REDUCE_UFUNC = {"prod": "multiply", "amax": "maximum", "amin": "minimum"}  # of the array module


def _reduce_identity(reduce: str, dtype):
    if reduce in ("sum", "mean"):
        return dtype.type(0)
    if reduce == "prod" or dtype.kind == "b":
        return dtype.type(reduce != "amax")  # bool: False is amax's identity, True amin's
    if dtype.kind in "fV":
        return dtype.type(-np.inf if reduce == "amax" else np.inf)
    info = np.iinfo(dtype)
    return dtype.type(info.min if reduce == "amax" else info.max)


def _multiply_at(result, at, src, dim: int) -> None:
    """``result[at] *= src`` element by element, repeated places multiplied in index order
    (``at`` is ``_full_index`` along ``dim``): the array module's ``multiply.at``, or where
    it has none (cupy's ufuncs scatter add, maximum and minimum only) one index slice along
    ``dim`` after another: places repeat only along ``dim``, so within a slice a plain
    indexed product does it, and the factors meet in the same order."""
    try:
        xp_of(result).multiply.at(result, at, src)
    except NotImplementedError:
        for j in range(src.shape[dim]):
            part = (slice(None),) * dim + (slice(j, j + 1),)
            place = tuple(a if a.shape[dim] == 1 else a[part] for a in at)
            result[place] = result[place] * src[part]


class ScatterProd(Op):
    """scatter_reduce's 'prod': ``x`` where ``own`` (else 1) times every ``src[block]``
    element scattered to the same place (``at``; ``idx`` along ``dim``). Its gradient is
    PyTorch's formula, in differentiable ops: the product of the other factors, found by
    dividing the result by the factor unless that factor is the one zero among them (twice
    differentiable, but for src's where two zeros meet, as in PyTorch)."""

    @staticmethod
    def forward(ctx, x, src, at, own, block, dim, idx, include_self):
        result = ascontiguous(np.where(own, x, x.dtype.type(1)))
        _multiply_at(result, at, src[block], dim)
        ctx.args = (block, dim, idx, include_self)
        ctx.save_for_backward(x, src)
        return result

    @staticmethod
    def backward(ctx, g):
        x, src = ctx.saved_tensors
        block, dim, idx, include_self = ctx.args
        needs_x, needs_src = ctx.needs_input_grad[:2]
        index = make_tensor(idx)
        gx = gs = None
        if needs_x:  # the product with this factor set to 1, over the factor
            masked = x.masked_fill(x == 0, 1)
            others = scatter_reduce(masked, dim, index, src, "prod", include_self=include_self)
            gx = g * others / masked
            if not include_self:
                gx = gx.scatter(dim, index, 0)
        if needs_src:
            part = src[block]
            zero = part == 0
            zeros = scatter_add(x.new_zeros(x.shape), dim, index, zero.to(x.dtype))
            lone = zero & (zeros.gather(dim, index) == 1)
            result = scatter_reduce(x, dim, index, part, "prod", include_self=include_self)
            others = scatter_reduce(
                x, dim, index, part.masked_fill(lone, 1), "prod", include_self=include_self
            )
            divided = (g * result).gather(dim, index) / part.masked_fill(zero, 1)
            gs = where(lone, (g * others).gather(dim, index), divided)
            if is_grad_enabled() and bool((zeros._data > 1).any()):
                gs = SrcZerosError.apply(gs)
            if gs.shape != src.shape:  # the unused part of src gets zero gradient
                gs = IndexIntoZeros.apply(gs, src.shape, block, True)
        return gx, gs, None, None, None, None, None, None


class SrcZerosError(Op):
    """PyTorch's DelayedError on src's gradient of a 'prod' scatter_reduce where two zeros
    of src meet: the gradient passes, its derivative raises."""

    torch_name = "Error"

    @staticmethod
    def forward(ctx, g):
        return g

    @staticmethod
    def backward(ctx, gg):
        raise RuntimeError(
            "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src "
            "are scattered to the same position in self"
        )


def scatter_reduce(
    input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """Mirrors ``torch.scatter_reduce``: a copy of ``input`` where each ``src`` element is
    reduced ('sum', 'prod', 'mean', 'amax', 'amin') into ``[index[i][j]][j]`` (dim 0),
    together with the element already there when ``include_self``. Gradients: 'sum' and
    'mean' flow to every contributor, 'amax'/'amin' are shared evenly among the elements
    equal to the result, 'prod' is the product of the other factors, as in PyTorch."""
    tensor_arg("scatter_reduce", "index", 2, index)
    tensor_arg("scatter_reduce", "src", 3, src)
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # PyTorch takes these too
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(
            f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )
    d = wrap_dim(dim, input._data.ndim)
    idx = _as_index(index, SCATTER_INDEX, empty_ok=True)
    try:
        idx = check_scatter(input, d, idx, src)
    except RuntimeError as e:  # PyTorch's kernel checks the range after its dtype dispatch
        # (with include_self=False its scatter of the identity first checks it)
        mean_of_bools = reduce == "mean" and input.dtype == _dtypes.bool_ and include_self
        if "is out of bounds" not in str(e) or not mean_of_bools:
            raise
    if reduce == "mean" and input._data.dtype == np.bool_:  # (an empty index: no scatter)
        kernel = "scatter_gather_tensor_cpu_reduce_mean" if idx.size else "div_floor_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if not input._data.ndim:
        return scatter_as_1d(
            scatter_reduce, input, d, index, src, reduce, include_self=include_self
        )
    if not idx.size and (reduce != "prod" or src._data.ndim != idx.ndim):
        # nothing scattered: self's values (src in the graph, as in PyTorch's; 'prod' keeps
        # its gradient formula, whose derivatives PyTorch's create_graph shows)
        return name_node(scatter_add(input, d, index, src), "ScatterReduceBackward0", input)
    x, at = input._data, _full_index(idx, d)
    block = tuple(slice(0, n) for n in idx.shape)  # the part of src that is scattered
    touched = np.zeros_like(x, dtype=bool)
    touched[at] = True
    own = np.ones_like(touched) if include_self else ~touched  # where input's element takes part
    if reduce in ("sum", "mean"):
        base = input if include_self else input * make_tensor(own.astype(x.dtype))
        total = scatter_add(base, d, index, src)
        if reduce == "sum":
            return name_node(total, "ScatterReduceBackward0", input)
        count = own.astype(x.dtype)
        ufunc_at("add", count, at, 1)
        count = make_tensor(np.maximum(count, 1))
        mean = total / count if x.dtype.kind in "fV" else total.div(count, rounding_mode="floor")
        return name_node(mean, "ScatterReduceBackward0", input)
    if reduce == "prod":
        product = ScatterProd.apply(input, src, at, own, block, d, idx, include_self)
        return name_node(product, "ScatterReduceBackward0", input)
    result = ascontiguous(np.where(own, x, _reduce_identity(reduce, x.dtype)))
    ufunc_at(_REDUCE_UFUNC[reduce], result, at, src._data[block])
    tracked = is_grad_enabled() and (input.requires_grad or src.requires_grad)
    if not (tracked or forward_ad.is_dual(input) or forward_ad.is_dual(src)):
        return make_tensor(result)
    # amax/amin: the result as a weighted sum of the elements equal to it (weights 1/ties)
    self_tie = x == result  # counted as a tie even where self takes no part, as PyTorch does
    own_tie = own & self_tie
    src_tie = np.zeros_like(src._data, dtype=bool)
    src_tie[block] = src._data[block] == result[at]
    ties = self_tie.astype(x.dtype)
    ufunc_at("add", ties, at, src_tie[block].astype(x.dtype))
    w_src = np.zeros_like(src._data)
    w_src[block] = src_tie[block] / ties[at]
    # the elements not taking part are zeroed, not weighted by 0: an infinite one (a -inf
    # initial value, as in a max-pool over graph nodes) times 0 would make the result nan
    kept = masked_fill(input, make_tensor(~own_tie), 0) * make_tensor(own_tie / np.maximum(ties, 1))
    chosen = masked_fill(src, make_tensor(~src_tie), 0) * make_tensor(w_src)
    out = scatter_add(kept, d, index, chosen)
    gap = np.where(result == out._data, 0, result - out._data)  # 0 also for an infinite extreme
    exact = out + make_tensor(gap)  # exactly the extreme values
    return name_node(exact, "ScatterReduceBackward0", input)


def fill_diagonal_(input: Tensor, fill_value, wrap: bool = False) -> Tensor:
    """Mirrors ``Tensor.fill_diagonal_``: fills the main diagonal through a strided view, as
    PyTorch does (so its node is CopySlices); with ``wrap``, a tall matrix's diagonal goes on
    below the square, one row skipped each time (as numpy's ``fill_diagonal``)."""
    shape = input.shape
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and len(set(shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    size, step = min(shape), sum(input.stride())
    offset = input.storage_offset()
    input.as_strided((size,), (step,), offset).fill_(fill_value)
    height, width = shape[0], shape[1]
    if wrap and len(shape) == 2 and height > width + 1:
        wrapped = -(-input.numel() // (width + 1)) - size
        start = offset + input.stride(0) * (width + 1)
        input.as_strided((wrapped,), (step,), start).fill_(fill_value)
    return input


scatter_ = inplace_method(scatter, None, "scatter")
_scatter_reduce_ = inplace_method(scatter_reduce, None, "scatter_reduce")


def scatter_reduce_(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                    include_self: bool = True) -> Tensor:  # fmt: skip
    """Mirrors ``Tensor.scatter_reduce_`` ('mean' of bools: PyTorch's NotImplementedError, not
    the in-place cast error of an element-wise op)."""
    if reduce == "mean" and isinstance(input, Tensor) and input._data.dtype == np.bool_:
        scatter_reduce(input, dim, index, src, reduce, include_self=include_self)  # raises
    return _scatter_reduce_(input, dim, index, src, reduce, include_self=include_self)


_masked_scatter_ = inplace_method(masked_scatter, None, "masked_scatter", apart=False)


def masked_scatter_(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """Mirrors ``Tensor.masked_scatter_``: ``mask`` expands to ``input``'s shape (PyTorch's
    expand error when it cannot), after the check of source's dtype."""
    if isinstance(mask, Tensor) and isinstance(source, Tensor) and source.dtype == input.dtype:
        mask = mask.expand(input.shape)
    return _masked_scatter_(input, mask, source)


_index_put_ = inplace_method(index_put, None, "index_put")


def index_put_(input: Tensor, indices, values, accumulate: bool = False) -> Tensor:
    """Mirrors ``Tensor.index_put_`` (``values`` may share no memory with ``input``)."""
    if isinstance(values, Tensor) and np.may_share_memory(input._data, values._data):
        from .out_arg import _check_no_overlap  # noqa: PLC0415  (out_arg imports inplace)

        _check_no_overlap(input, (values,))
    return _index_put_(input, indices, values, accumulate)


put_ = inplace_method(put, None, "put")
index_fill_ = inplace_method(index_fill, None, "index_fill", apart=False)  # (a 0-d value: its item)
index_copy_ = inplace_method(index_copy, None, "index_copy")
