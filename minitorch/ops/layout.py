"""More shape ops: diagonals (diagonal, diag, diag_embed, trace), sliding windows
(``Tensor.unfold``), roll/rot90, grids (meshgrid, cartesian_prod, block_diag), stacking and
splitting helpers (atleast_*d, column_stack, dstack, tensor_split, hsplit/vsplit/dsplit),
diff, trapezoid/cumulative_trapezoid and ``Tensor.sum_to_size``. Views stay views: diagonal and unfold share memory."""

from __future__ import annotations

import weakref

import numpy as np

from .._dtypes import get_default_dtype, scalar_type_name
from .._tensor import Tensor, make_tensor
from .._warn_once import warn_once
from ..autograd.function import Op, name_node
from ..backends import ascontiguous, xp_of
from ..backends.memory_order import channels_last_order, strides_like_channels_last
from .elementwise import const
from .inplace import _address
from .reduce import normalize_dims, sum_array, wrap_dim
from .shape import _nonempty, _sizes, cat, pad, stack, view_at


def strided_view(a, shape: tuple, strides: tuple):
    """A view of ``a``'s memory (starting at its first element) with the given shape and
    byte strides. For numpy it is built on ``a``'s base array, so that ``link_view``
    recognises it as a view of ``a`` (``as_strided`` would hide the base)."""
    base = a if a.base is None else a.base
    if (
        isinstance(a, np.ndarray)
        and isinstance(base, np.ndarray)
        and (base.flags.c_contiguous or base.flags.f_contiguous)  # it exports a buffer
        and a.size
    ):
        offset = a.ctypes.data - base.ctypes.data
        return np.ndarray(shape, a.dtype, buffer=base, offset=offset, strides=strides)
    view = xp_of(a).lib.stride_tricks.as_strided(a, shape, strides)
    if not isinstance(view.base, type(view)):  # cupy's as_strided sets no base: kept here
        _STORAGE_ROOTS[id(view)] = storage_root(a)
        weakref.finalize(view, _STORAGE_ROOTS.pop, id(view), None)
    return view


_STORAGE_ROOTS: dict = {}  # id(a view strided_view made without a base) -> its storage_root


def storage_root(a):
    """The array whose memory ``a`` views (``a`` itself when it owns its memory): followed
    through ``base``, and for a view made by ``as_strided`` (whose base cupy does not set,
    nor numpy to an array) through what ``strided_view`` recorded."""
    root = a
    while True:
        base = root.base if isinstance(root.base, type(a)) else _STORAGE_ROOTS.get(id(root))
        if base is None:
            return root
        root = base


# ---- diagonals -----------------------------------------------------------------------------
def _diagonal_of(a, offset: int, d1: int, d2: int):
    """The diagonal of ``a`` over dims d1, d2 as a view, moved to the last dim."""
    start = (slice(None),) * (d2 if offset >= 0 else d1) + (slice(abs(offset), None),)
    whole, a = a, a[start]
    n = min(a.shape[d1], a.shape[d2])
    keep = [i for i in range(a.ndim) if i not in (d1, d2)]
    shape = tuple(a.shape[i] for i in keep) + (n,)
    strides = tuple(a.strides[i] for i in keep) + (a.strides[d1] + a.strides[d2],)
    if a.size == 0:  # PyTorch's strides, and its start: the offset is not applied when n == 0
        skip = abs(offset) * whole.strides[d2 if offset >= 0 else d1] if n else 0
        view = view_at(whole, shape, strides, skip)
        return np.zeros_like(a, shape=shape) if view is None else view
    return strided_view(a, shape, strides)


class Diagonal(Op):
    is_view = True

    @staticmethod
    def forward(ctx, a, offset, d1, d2):
        ctx.args = (a.shape, offset, d1, d2)
        return _diagonal_of(a, offset, d1, d2)

    @staticmethod
    def backward(ctx, g):
        return DiagonalScatter.apply(g, *ctx.args), None, None, None


class DiagonalScatter(Op):
    """zeros(shape) with ``src`` on a diagonal: diagonal's adjoint, and diag_embed."""

    @staticmethod
    def forward(ctx, src, shape, offset, d1, d2):
        ctx.args = (offset, d1, d2)
        out = np.zeros_like(src, shape=shape)
        if out.size:
            _diagonal_of(out, offset, d1, d2)[...] = src
        return out

    @staticmethod
    def backward(ctx, g):
        return Diagonal.apply(g, *ctx.args), None, None, None, None


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """Mirrors ``torch.diagonal``: a view of the diagonal over ``dim1``, ``dim2`` (``offset``
    above the main one when positive), appended as the last dim."""
    n = input._data.ndim
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)  # a tensor of < 2 dims fails one of these
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset, d1, d2)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Mirrors ``torch.diag_embed``: the last dim of ``input`` put on the diagonal of new
    square dims ``dim1``, ``dim2``."""
    shape = input._data.shape
    n = len(shape) + 1
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = (shape[-1] if shape else 1) + abs(offset)
    rest = iter(shape[:-1])
    out_shape = tuple(size if i in (d1, d2) else next(rest) for i in range(n))
    src = input if shape else input.reshape(1)
    return name_node(DiagonalScatter.apply(src, out_shape, offset, d1, d2), "DiagEmbedBackward0")


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """Mirrors ``torch.diag``: a vector's square diagonal matrix, or a matrix's diagonal
    (a copy)."""
    n = input._data.ndim
    if n == 1:
        return name_node(diag_embed(input, diagonal), "DiagEmbedBackward0")
    if n == 2:  # PyTorch's name for the copy of a diagonal
        return name_node(Diagonal.apply(input, diagonal, 0, 1).clone(), "DiagonalBackward0_copy")
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {n}D")


def trace(input: Tensor) -> Tensor:
    """Mirrors ``torch.trace`` (2-D only)."""
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input._data.ndim}")
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return Trace.apply(input)


class Trace(Op):
    """The sum of the main diagonal, one node as PyTorch's TraceBackward0."""

    @staticmethod
    def forward(ctx, a):
        ctx.eye = xp_of(a).eye(*a.shape, dtype=a.dtype) if a.dtype.kind in "fV" else None
        return sum_array(np.diagonal(a), (0,))

    @staticmethod
    def backward(ctx, g):
        return g * const(ctx.eye)


# ---- sliding windows -----------------------------------------------------------------------
class Unfold(Op):
    """``Tensor.unfold``: windows of ``size`` every ``step`` along ``dim``, a new last dim."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim, size, step):
        ctx.args = (a.shape, dim, size, step)
        count = (a.shape[dim] - size) // step + 1
        shape = a.shape[:dim] + (count,) + a.shape[dim + 1 :] + (size,)
        st = a.strides
        strides = st[:dim] + (st[dim] * step,) + st[dim + 1 :] + (st[dim],)
        if a.size == 0 or count == 0:  # still a view where numpy can make one
            view = view_at(a, shape, strides, 0)
            return np.zeros_like(a, shape=shape) if view is None else view
        return strided_view(a, shape, strides)

    @staticmethod
    def backward(ctx, g):
        return UnfoldBackward.apply(g, *ctx.args), None, None, None


class UnfoldBackward(Op):
    """The adjoint of Unfold: each window added back where it came from."""

    @staticmethod
    def forward(ctx, g, shape, dim, size, step):
        ctx.args = (dim, size, step)
        out = np.zeros_like(g, shape=shape)
        count = g.shape[dim]
        lead = (slice(None),) * dim
        for k in range(size):  # one pass per window offset, not per element
            out[lead + (slice(k, k + step * (count - 1) + 1, step),)] += g[..., k]
        return out

    @staticmethod
    def backward(ctx, gg):
        return Unfold.apply(gg, *ctx.args), None, None, None, None


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Mirrors ``Tensor.unfold``: a view with every window of ``size`` elements along
    ``dimension`` (``step`` apart) in a new last dim."""
    nd = input._data.ndim
    d = wrap_dim(dimension, nd)
    n = input._data.shape[d] if nd else 1  # PyTorch: a 0-d tensor is one element long
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if not nd:  # the one window, as shape (size,)
        return name_node(input.reshape(1)[:size], "UnfoldBackward0")
    return Unfold.apply(input, d, size, step)


class AsStrided(Op):
    """``as_strided`` of a contiguous array: ``size``/``stride`` in elements from ``offset``."""

    is_view = True

    @staticmethod
    def forward(ctx, a, size, stride, offset):
        ctx.args = (a.shape, size, stride, offset)
        flat = a.reshape(-1)[offset:]
        if flat.size == 0:
            return np.zeros_like(a, shape=size)
        return strided_view(flat, size, tuple(s * a.itemsize for s in stride))

    @staticmethod
    def backward(ctx, g):
        return AsStridedBackward.apply(g, *ctx.args), None, None, None


class AsStridedBackward(Op):
    """The adjoint of AsStrided: each element added to the place it was read from."""

    @staticmethod
    def forward(ctx, g, shape, size, stride, offset):
        ctx.args = (size, stride, offset)
        xp = xp_of(g)
        out = np.zeros_like(g, shape=(int(np.prod(shape)),))
        xp.add.at(out, _positions(xp, size, stride, offset), g.reshape(-1))
        return out.reshape(shape)

    @staticmethod
    def backward(ctx, gg):
        return AsStrided.apply(gg.contiguous(), *ctx.args), None, None, None, None


def _positions(xp, size, stride, offset):
    """The flat memory position of each element of a ``size``/``stride`` view at ``offset``."""
    flat = offset + sum(
        xp.arange(n).reshape((n,) + (1,) * (len(size) - k - 1)) * s
        for k, (n, s) in enumerate(zip(size, stride))
    )
    return xp.broadcast_to(flat, size).reshape(-1)


def _may_overlap(shape, stride) -> bool:
    """Whether a view of ``shape``/``stride`` may read one memory location twice."""
    extent = 1
    for n, s in sorted(((n, s) for n, s in zip(shape, stride) if n > 1), key=lambda d: d[1]):
        if s < extent:
            return True
        extent = s * n
    return False


class AsStridedOfStorage(Op):
    """``as_strided`` of any array: ``size``/``stride``/``offset`` in elements of the memory
    it views (its storage). The gradient is scattered into a storage-sized buffer and read
    back at the input's own places, from the flat ops above (so it differentiates again)."""

    is_view = True

    torch_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, a, size, stride, offset):
        store = _storage_array(a)
        item = a.itemsize
        start = (_address(a) - _address(store)) // item
        ctx.args = (store.size, size, stride, offset, a.shape, tuple(s // item for s in a.strides), start)  # fmt: skip
        flat = store[offset:]
        if flat.size == 0:
            return np.zeros_like(a, shape=size)
        return strided_view(flat, size, tuple(s * item for s in stride))

    @staticmethod
    def backward(ctx, g):
        n, size, stride, offset, shape, own_stride, start = ctx.args
        whole = AsStridedBackward.apply(g, (n,), size, stride, offset)
        if _may_overlap(shape, own_stride):  # PyTorch: shared among the input's elements there
            xp = xp_of(g._data)
            count = xp.zeros(n, g._data.dtype)
            xp.add.at(count, _positions(xp, shape, own_stride, start), 1)
            whole = whole / make_tensor(xp.maximum(count, 1))
        return AsStrided.apply(whole, shape, own_stride, start), None, None, None


def _storage_array(a):
    """The flat memory ``a`` views (its root array, in memory order: a view of it)."""
    root = storage_root(a)
    flat = root.reshape(-1, order="A" if root.flags.f_contiguous else "C")
    return flat if flat.dtype == a.dtype else flat.view(a.dtype)  # a dtype view (x.view(bf16))


def as_strided(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """Mirrors ``torch.as_strided``: a view of ``size`` whose element i is at ``offset +
    sum(i_k * stride_k)`` of the memory ``input`` views (its storage; ``offset`` defaults to
    ``input.storage_offset()``); writes reach the input, gradients add up where windows
    overlap."""
    size, stride = tuple(int(n) for n in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError(
            f"as_strided: Negative strides are not supported at the moment, got strides: "
            f"{list(stride)}"
        )
    offset = _storage_offset_of(input) if storage_offset is None else storage_offset
    reach = offset + (sum((n - 1) * s for n, s in zip(size, stride)) + 1 if all(size) else 0)
    item, stored = input._data.itemsize, _storage_array(input._data).size
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if reach > stored:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
            f"{offset}, and itemsize {item} requiring a storage size of {reach * item} are "
            f"out of bounds for storage of size {stored * item}"
        )
    return AsStridedOfStorage.apply(input, size, stride, offset)


# ---- roll and rotation ---------------------------------------------------------------------
def _rolled_channels_last(a, shifts: tuple, dims: tuple) -> bool:
    """Whether PyTorch's roll of ``a`` is channels-last: it rolls one dim at a time, each a
    cat of two narrows, which is channels-last when both narrows suggest it (an empty one,
    as for a shift by a multiple of the size, does not)."""
    strides = list(a.strides)
    for s, d in zip(shifts, dims):
        start = -s % a.shape[d] if a.shape[d] else 0
        for part in (a.shape[d] - start, start):
            if not strides_like_channels_last(a.shape[:d] + (part,) + a.shape[d + 1 :], strides):
                return False
        extent = 1  # the next roll's input: the dense channels-last cat
        for i in reversed(channels_last_order(a.ndim)):
            strides[i], extent = extent, extent * a.shape[i]
    return True


class Roll(Op):
    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.args = (shifts, dims)
        out = np.roll(a, shifts if dims is not None else shifts[0], dims)
        if dims is None or not _rolled_channels_last(a, shifts, dims):
            return ascontiguous(out)
        order = channels_last_order(a.ndim)
        return ascontiguous(out.transpose(order)).transpose(np.argsort(order))

    @staticmethod
    def backward(ctx, g):
        shifts, dims = ctx.args
        return Roll.apply(g, tuple(-s for s in shifts), dims), None, None


def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """Mirrors ``torch.roll``: elements shifted cyclically along ``dims`` (over the
    flattened tensor when ``dims`` is None)."""
    one = (int, np.integer)
    shifts = (int(shifts),) if isinstance(shifts, one) else tuple(int(s) for s in shifts)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll: shifts {list(shifts)} need dims, one per shift")
        return Roll.apply(input, shifts, None)
    dims = (dims,) if isinstance(dims, one) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    n = input._data.ndim
    if not n and dims:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    return Roll.apply(input, shifts, tuple(wrap_dim(d, n) for d in dims))


def rot90(input: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """Mirrors ``torch.rot90``: ``k`` quarter turns from the first of ``dims`` towards the
    second."""
    if not isinstance(k, (int, np.integer)):
        raise TypeError(f"rot90(): argument 'k' (position 1) must be int, not {type(k).__name__}")
    dims = tuple(dims)
    n = input._data.ndim
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    d0, d1 = wrap_dim(dims[0], n), wrap_dim(dims[1], n)
    if d0 == d1:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    return Rot90.apply(input, k % 4, d0, d1)


class Rot90(Op):
    """``rot90``'s node (PyTorch's ``Rot90Backward0``): a new tensor, no view; an odd
    number of turns leaves it transposed (its strides), as PyTorch's flip-then-transpose_."""

    torch_name = "Rot90Backward0"

    @staticmethod
    def forward(ctx, a, k, d0, d1):
        ctx.args = (k, d0, d1)
        flipped = np.flip(a, ((), (d1,), (d0, d1), (d0,))[k]).copy()
        return flipped.swapaxes(d0, d1) if k % 2 else flipped

    @staticmethod
    def backward(ctx, g):
        k, d0, d1 = ctx.args
        return Rot90.apply(g, -k % 4, d0, d1), None, None, None


def flipud(input: Tensor) -> Tensor:
    """Mirrors ``torch.flipud``: reverses dim 0."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return input.flip(0)


def fliplr(input: Tensor) -> Tensor:
    """Mirrors ``torch.fliplr``: reverses dim 1."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return input.flip(1)


# ---- grids ---------------------------------------------------------------------------------
def _tensor_list(tensors) -> list:
    """f(a, b) and f([a, b]) alike, as PyTorch's variadic tensor functions accept both."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return list(tensors[0])
    return list(tensors)


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Mirrors ``torch.meshgrid``: broadcast views of 1-D tensors over their joint grid;
    ``indexing`` 'ij' (the default) or 'xy' (the first two dims swapped)."""
    tensors = _tensor_list(tensors)
    if indexing is None:
        warn_once(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument.",
            stacklevel=4,
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if any(t._data.dtype != tensors[0]._data.dtype for t in tensors):  # checked before dims
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a tensor of shape {list(t.shape)}"
            )
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(tensors)
    for t, ax in zip(tensors, axes):
        shape[ax] = t._data.size
    out = []
    for t, ax in zip(tensors, axes):
        view = [1] * len(tensors)
        view[ax] = -1
        out.append(t.reshape(view).expand(shape))
    return tuple(out)


def cartesian_prod(*tensors) -> Tensor:
    """Mirrors ``torch.cartesian_prod``: every combination of the elements of 1-D tensors,
    one per row (itself for one tensor)."""
    tensors = _tensor_list(tensors)
    for t in tensors:
        if t._data.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


def block_diag(*tensors) -> Tensor:
    """Mirrors ``torch.block_diag``: the tensors (0-, 1- or 2-D) as blocks on the diagonal
    of a zero matrix."""
    blocks = []
    for i, t in enumerate(tensors):
        n = t._data.ndim
        if n > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {n} dimensions"
            )
        blocks.append(t.reshape(1, -1) if n < 2 else t)
    if not blocks:  # PyTorch: an empty (1, 0) matrix
        return make_tensor(np.zeros((1, 0), get_default_dtype().np))
    width = sum(b._data.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        cols = b._data.shape[1]
        rows.append(pad(b, (left, width - left - cols)))
        left += cols
    return name_node(cat(rows, 0), "BlockDiagBackward0")


# ---- stacking and splitting ----------------------------------------------------------------
def _atleast(tensors, make):
    tensors = tuple(tensors)
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        return tuple(make(t) for t in tensors[0])
    out = tuple(make(t) for t in tensors)
    return out[0] if len(out) == 1 else out


def _at_least_1d(t: Tensor) -> Tensor:
    return t.reshape(1) if t._data.ndim == 0 else t


def _at_least_2d(t: Tensor) -> Tensor:
    n = t._data.ndim
    return t.reshape(1, 1) if n == 0 else t.unsqueeze(0) if n == 1 else t


def _at_least_3d(t: Tensor) -> Tensor:
    n = t._data.ndim
    if n == 0:
        return t.reshape(1, 1, 1)
    if n == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1) if n == 2 else t


def atleast_1d(*tensors):
    """Mirrors ``torch.atleast_1d``: 0-d tensors become shape (1,)."""
    return _atleast(tensors, _at_least_1d)


def atleast_2d(*tensors):
    """Mirrors ``torch.atleast_2d``: shape () -> (1, 1), (n,) -> (1, n)."""
    return _atleast(tensors, _at_least_2d)


def atleast_3d(*tensors):
    """Mirrors ``torch.atleast_3d``: () -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _atleast(tensors, _at_least_3d)


def column_stack(tensors) -> Tensor:
    """Mirrors ``torch.column_stack``: 0-d and 1-d tensors as columns, then ``hstack``."""
    tensors = _nonempty(tensors, "column_stack")
    return cat([t.reshape(-1, 1) if t._data.ndim < 2 else t for t in tensors], 1)


def dstack(tensors) -> Tensor:
    """Mirrors ``torch.dstack``: concatenated along dim 2 after ``atleast_3d``."""
    return cat([_at_least_3d(t) for t in _nonempty(tensors, "dstack")], 2)


def tensor_split(
    input: Tensor,
    indices_or_sections=None,
    dim: int = 0,
    *,
    sections=None,
    indices=None,
    tensor_indices_or_sections=None,
) -> tuple:
    """Mirrors ``torch.tensor_split``: ``n`` nearly equal parts (the first ``size % n`` one
    longer), or the parts between the given indices; views. Its overloads' keywords
    (``sections=``, ``indices=``, ``tensor_indices_or_sections=``) name the same argument."""
    indices_or_sections = _one_of(
        "tensor_split", indices_or_sections, sections, indices, tensor_indices_or_sections
    )
    if not input._data.ndim:
        raise RuntimeError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    d = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if isinstance(indices_or_sections, Tensor):
        data = indices_or_sections._data
        if data.dtype != np.int64:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but "
                f"got {scalar_type_name(data.dtype)}"
            )
        if data.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {data.ndim} dims"
            )
        indices_or_sections = data.item() if data.ndim == 0 else data.tolist()
    if isinstance(indices_or_sections, (int, np.integer)):
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        small, extra = divmod(size, n)
        bounds, start = [], 0
        for i in range(n - 1):
            start += small + (i < extra)
            bounds.append(start)
    else:
        bounds = [int(i) for i in indices_or_sections]
    lead = (slice(None),) * d
    edges = [0] + bounds + [None]
    pieces = (input[lead + (slice(a, b),)] for a, b in zip(edges, edges[1:]))
    return tuple(name_node(p, "SliceBackward0") for p in pieces)  # even a whole one's


def _one_of(name: str, *choices):
    """The one argument given among the keywords of an op's overloads (``sections=``, ...)."""
    given = [a for a in choices if a is not None]
    if len(given) != 1:
        raise TypeError(f"{name}() takes the sections or indices once (got {len(given)} of them)")
    return given[0]


def _split_along(name: str, input: Tensor, choices: tuple, dim: int, min_dims: int):
    indices_or_sections = _one_of(name, *choices)
    if isinstance(indices_or_sections, str):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor, str), but "
            "expected one of:\n * (Tensor input, int sections)\n * (Tensor input, tuple of ints "
            "indices)"
        )
    n = input._data.ndim
    if n < min_dims:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a "
            f"tensor with {n} dimensions!"
        )
    if isinstance(indices_or_sections, int):
        size = input._data.shape[dim]
        if indices_or_sections == 0 or size % indices_or_sections:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                f"dimension {size} is not divisible by the split_size {indices_or_sections}!"
            )
    return tensor_split(input, indices_or_sections, dim)


def hsplit(input: Tensor, indices_or_sections=None, *, sections=None, indices=None) -> tuple:
    """Mirrors ``torch.hsplit``: ``tensor_split`` along dim 1 (dim 0 for 1-D), equal parts."""
    dim = 0 if input._data.ndim == 1 else 1
    return _split_along("hsplit", input, (indices_or_sections, sections, indices), dim, 1)


def vsplit(input: Tensor, indices_or_sections=None, *, sections=None, indices=None) -> tuple:
    """Mirrors ``torch.vsplit``: ``tensor_split`` along dim 0 of a tensor of >= 2 dims."""
    return _split_along("vsplit", input, (indices_or_sections, sections, indices), 0, 2)


def dsplit(input: Tensor, indices_or_sections=None, *, sections=None, indices=None) -> tuple:
    """Mirrors ``torch.dsplit``: ``tensor_split`` along dim 2 of a tensor of >= 3 dims."""
    return _split_along("dsplit", input, (indices_or_sections, sections, indices), 2, 3)


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """Mirrors ``torch.diff``: the ``n``-th forward difference along ``dim`` (for bool
    tensors, whether neighbours differ), after ``prepend``/``append`` are concatenated."""
    if input._data.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if n == 0 and prepend is None and append is None:  # (no dim checked, as in PyTorch)
        return input.clone()
    d = wrap_dim(dim, input._data.ndim)
    parts = [t for t in (prepend, input, append) if t is not None]
    for t in parts:
        if t._data.ndim != input._data.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for i, (a, b) in enumerate(zip(input._data.shape, t._data.shape)):
            if i != d and a != b:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of "
                    f"input except along the differencing dimension; input.size({i}) = {a}, "
                    f"but got tensor.size({i}) = {b}"
                )
    if n == 0:  # PyTorch's: a copy of the input; prepend and append are left out
        return input.clone()
    x = cat(parts, d) if len(parts) > 1 else input
    for _ in range(n):
        length = x._data.shape[d]
        if length == 0:
            break
        hi, lo = x.narrow(d, 1, length - 1), x.narrow(d, 0, length - 1)
        x = hi != lo if x._data.dtype == np.bool_ else hi - lo
    return x


def _trapezoids(name: str, y: Tensor, x, dx, dim: int) -> tuple:
    """The area of each trapezoid between neighbours along ``dim`` (and that dim)."""
    d = wrap_dim(dim, y._data.ndim)
    n = y._data.shape[d]
    if x is not None and x._data.ndim == 1 and x._data.shape[0] != n:
        raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
    m = max(n - 1, 0)
    pairs = y.narrow(d, 0, m) + y.narrow(d, min(n, 1), m)
    if x is None:
        return pairs * ((1.0 if dx is None else dx) / 2), d
    widths = diff(x, dim=-1 if x._data.ndim == 1 else d)
    if x._data.ndim == 1 and y._data.ndim > 1:  # a 1-D x runs along dim
        widths = widths.reshape([-1 if i == d else 1 for i in range(y._data.ndim)])
    return pairs * widths / 2, d


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx=None, dim: int = -1) -> Tensor:
    """Mirrors ``torch.trapezoid`` (and ``torch.trapz``): the trapezoid rule along ``dim``
    with sample points ``x`` or spacing ``dx`` (default 1)."""
    areas, d = _trapezoids("trapezoid", y, x, dx, dim)
    return areas.sum(d)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx=None, dim: int = -1):
    """Mirrors ``torch.cumulative_trapezoid``: the running trapezoid-rule integral."""
    areas, d = _trapezoids("cumulative_trapezoid", y, x, dx, dim)
    return areas.cumsum(d)


def gradient(input: Tensor, *, spacing=1, dim=None, edge_order: int = 1) -> tuple:
    """Mirrors ``torch.gradient``: one tensor per dim in ``dim`` (all dims when None) with
    the derivative estimated by central differences inside and one-sided ones of order
    ``edge_order`` (1 or 2) at the ends; ``spacing`` is a scalar, one scalar per dim, or one
    1-D tensor of sample coordinates per dim (numpy.gradient's formulas)."""
    ndim = input._data.ndim
    dims = list(range(ndim)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    if spacing is None:
        spacing = 1
    steps = list(spacing) if isinstance(spacing, (list, tuple)) else [spacing] * len(dims)
    if len(steps) != len(dims) and dim is None:
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
            f"equal to 'self.dim() = {ndim}', since dim argument was not given, but got a list "
            f"of length {len(steps)}"
        )
    if len(steps) != len(dims):
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
            f"arguments to have the same length, but got a spacing argument of length "
            f"{len(steps)} and a dim argument of length {len(dims)}."
        )
    dims = list(normalize_dims(dims, ndim)) if dims else []
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if any(input._data.shape[d] < edge_order + 1 for d in dims):
        raise RuntimeError(
            "torch.gradient expected each dimension size to be at least edge_order+1"
        )
    if input._data.dtype.kind in "biu":
        input = input.to(get_default_dtype())
    return tuple(_gradient_along(input, d, h, edge_order) for d, h in zip(dims, steps))


def _gradient_along(f: Tensor, d: int, h, edge_order: int) -> Tensor:
    n = f._data.shape[d]

    def at(start, length=1):
        return f.narrow(d, start % n, length)

    if not isinstance(h, Tensor):
        inner = (at(2, n - 2) - at(0, n - 2)) / (2 * h)
        if edge_order == 1:
            first, last = (at(1) - at(0)) / h, (at(-1) - at(-2)) / h
        else:
            first = (-1.5 * at(0) + 2 * at(1) - 0.5 * at(2)) / h
            last = (0.5 * at(-3) - 2 * at(-2) + 1.5 * at(-1)) / h
        return cat([first, inner, last], d)
    if h._data.ndim != 1 or h._data.shape[0] != n:
        raise RuntimeError(
            f"torch.gradient: the coordinates along dim {d} must be a 1-D tensor of the dim's "
            f"size {n}, got shape {list(h.shape)}"
        )
    step = diff(h).reshape([-1 if i == d else 1 for i in range(f._data.ndim)])
    dx1, dx2 = step.narrow(d, 0, n - 2), step.narrow(d, 1, n - 2)
    inner = (
        -dx2 / (dx1 * (dx1 + dx2)) * at(0, n - 2)
        + (dx2 - dx1) / (dx1 * dx2) * at(1, n - 2)
        + dx1 / (dx2 * (dx1 + dx2)) * at(2, n - 2)
    )
    s0, s1, sl2, sl1 = (step.narrow(d, i % (n - 1), 1) for i in (0, 1, -2, -1))
    if edge_order == 1:
        first, last = (at(1) - at(0)) / s0, (at(-1) - at(-2)) / sl1
    else:
        first = (
            -(2 * s0 + s1) / (s0 * (s0 + s1)) * at(0)
            + (s0 + s1) / (s0 * s1) * at(1)
            - s0 / (s1 * (s0 + s1)) * at(2)
        )
        last = (
            sl1 / (sl2 * (sl2 + sl1)) * at(-3)
            - (sl1 + sl2) / (sl2 * sl1) * at(-2)
            + (2 * sl1 + sl2) / (sl1 * (sl2 + sl1)) * at(-1)
        )
    return cat([first, inner, last], d)


def sum_to_size(input: Tensor, *size) -> Tensor:
    """Mirrors ``Tensor.sum_to_size``: summed down to ``size`` (which must expand to the
    tensor's shape)."""
    size = _sizes(size)
    shape = input._data.shape
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != shape[lead + i] for i, s in enumerate(size)):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    if not size:  # PyTorch's sum_to: a full sum, even of a 0-d tensor (int64 for integers)
        return input.sum()
    dims = [*range(lead), *(lead + i for i, s in enumerate(size) if s == 1 != shape[lead + i])]
    out = input.sum(dims, keepdim=True) if dims else input  # PyTorch's sum_to, SumBackward1
    return out.view(size) if lead else out


def storage_offset(input: Tensor) -> int:
    """Mirrors ``Tensor.storage_offset``: where the tensor starts in its base's memory, in
    elements (0 for a tensor that owns its memory)."""
    data = input._data
    return (_address(data) - _address(storage_root(data))) // data.itemsize


_storage_offset_of = storage_offset  # as_strided's argument of that name hides it
