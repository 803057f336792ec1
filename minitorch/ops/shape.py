"""Shape ops: views (reshape, permute, expand, ...) and copies (cat, flip, pad, repeat, tril)."""

from __future__ import annotations

import math
import operator

import numpy as np

from .._memory_format import contiguous_format
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, name_node
from ..autograd.grad_mode import state
from ..backends import ascontiguous
from ..backends.memory_order import (
    channels_last_order,
    empty_in_order,
    empty_preserving,
    suggests_channels_last,
)
from .reduce import normalize_dims, wrap_dim


def _sizes(args) -> tuple:
    """Accepts f(2, 3), f((2, 3)) and f([2, 3]) like PyTorch (ints, integer 0-d tensors; a
    float is PyTorch's TypeError, not truncated)."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer, float)):
        args = args[0]
    sizes = []
    for s in args:
        try:
            sizes.append(operator.index(s))
        except TypeError:
            raise TypeError(f"type must be tuple of ints,but got {type(s).__name__}") from None
    return tuple(sizes)


def _required(name: str, arg: str, given: tuple, keyword) -> tuple:
    """The sizes given one by one, as one sequence or by keyword; PyTorch's TypeError when
    none is given (``x.reshape()``)."""
    if keyword is not None:
        return _sizes((keyword,))
    if not given:
        raise TypeError(f'{name}() missing 1 required positional arguments: "{arg}"')
    return _sizes(given)


def _infer_shape(shape: tuple, numel: int, src: tuple) -> tuple:
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for i, s in enumerate(shape):
        if s != -1:
            if s < 0:
                raise RuntimeError(
                    f"invalid shape dimension {s} at index {i} of shape {list(shape)}"
                )
            known *= s
    if -1 in shape:
        if known == 0 and numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(
            f"shape '{list(shape)}' is invalid for input of size {numel} (input shape {list(src)})"
        )
    return shape


class Reshape(Op):
    """reshape/view/flatten/squeeze/unsqueeze: a view when the memory layout allows."""

    is_view = True

    torch_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        out = a.reshape(shape)
        if not a.flags.c_contiguous and out.size > 1 and not np.may_share_memory(out, a):
            ctx.torch_name = "UnsafeViewBackward0"  # it copied, as PyTorch's clone + view
            ctx.is_view = False  # (no view of a view made under no_grad: _check_view)
        return out

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


class UnsafeView(Reshape):
    """PyTorch's ``_unsafe_view``: a reshape that shares the input's memory but not its
    version counter, so an op that saved the result does not see the input's in-place
    changes (kron's operands)."""

    is_view = False

    torch_name = "UnsafeViewBackward0"


class Permute(Op):
    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, g):
        return g.permute(np.argsort(ctx.dims).tolist()), None


class Expand(Op):
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        from .elementwise import unbroadcast  # noqa: PLC0415

        return unbroadcast(g, ctx.shape), None


class Flip(Op):
    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        if a.flags.c_contiguous:
            return np.flip(a, dims).copy()
        out = empty_preserving(a)  # PyTorch keeps a dense input's strides
        out[...] = np.flip(a, dims)
        return out

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dims), None


class Cat(Op):
    tensor_list = True

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        ctx.sizes = [a.shape[dim] for a in arrays]
        if arrays[0].ndim > 3 and all(suggests_channels_last(a) for a in arrays):
            # PyTorch's: channels-last when every input's strides suggest it
            shape = list(arrays[0].shape)
            shape[dim] = sum(ctx.sizes)
            out = empty_in_order(
                arrays[0], np.result_type(*arrays), channels_last_order(len(shape)), shape
            )
            return np.concatenate(arrays, axis=dim, out=out)
        return ascontiguous(np.concatenate(arrays, axis=dim))  # numpy keeps a transposed layout

    @staticmethod
    def backward(ctx, g):
        grads = [None]
        start = 0
        for need, n in zip(ctx.needs_input_grad[1:], ctx.sizes):
            grads.append(g.narrow(ctx.dim, start, n) if need else None)
            start += n
        return tuple(grads)


class Stack(Op):
    """stack as one node (PyTorch's StackBackward0, an edge per input): each input's gradient
    is its slice of the output's."""

    tensor_list = True

    torch_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        return ascontiguous(np.stack(arrays, axis=dim))

    @staticmethod
    def backward(ctx, g):
        needs = ctx.needs_input_grad[1:]
        return (None, *(g.select(ctx.dim, i) if need else None for i, need in enumerate(needs)))


class Pad(Op):
    @staticmethod
    def forward(ctx, a, widths, value):
        ctx.slices = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, a.shape))
        return np.pad(a, widths, constant_values=value)

    @staticmethod
    def backward(ctx, g):
        return g[ctx.slices], None, None


class Repeat(Op):
    @staticmethod
    def forward(ctx, a, reps):
        ctx.shape = a.shape
        ctx.reps = reps
        return ascontiguous(np.tile(a, reps))  # numpy's copy for reps of ones keeps a's layout

    @staticmethod
    def backward(ctx, g):
        shape = (1,) * (len(ctx.reps) - len(ctx.shape)) + ctx.shape
        split = []
        for r, s in zip(ctx.reps, shape):
            split += [r, s]
        g = g.reshape(split).sum(tuple(range(0, len(split), 2)))
        return g.reshape(ctx.shape), None


class Triangle(Op):
    """tril / triu: keeps one triangle of the last two dims."""

    @staticmethod
    def forward(ctx, a, diagonal, upper):
        ctx.args = (diagonal, upper)
        return ascontiguous((np.triu if upper else np.tril)(a, diagonal))  # PyTorch's layout

    @staticmethod
    def backward(ctx, g):
        diagonal, upper = ctx.args
        return Triangle.apply(g, diagonal, upper), None, None


# ---- functional forms ------------------------------------------------------------------------
def reshape(input: Tensor, *sizes, shape=None) -> Tensor:
    """Mirrors ``torch.reshape`` (sizes as arguments, one sequence, or ``shape=``)."""
    shape = _required("reshape", "shape", sizes, shape)
    shape = _infer_shape(shape, input._data.size, input._data.shape)
    out = Reshape.apply(input, shape)  # a new view even to the same shape, as PyTorch's
    if out.grad_fn is not None and out._base is not None and not input.is_contiguous():
        name_node(out, "ReshapeAliasBackward0")  # PyTorch's _reshape_alias of a strided view
    return out


def view(input: Tensor, *shape, size=None) -> Tensor:
    """Mirrors ``Tensor.view``: like reshape, but never copies (``size=`` as keyword)."""
    if size is not None:
        shape = (size,)
    if not shape:
        raise TypeError(
            "view() received an invalid combination of arguments - got (), but expected one "
            "of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n"
        )
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        return _view_dtype(input, shape[0])
    shape = _infer_shape(_sizes(shape), input._data.size, input._data.shape)
    data = input._data
    if data.size > 1 and not np.may_share_memory(data.reshape(shape), data):  # needed a copy
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            f"dimension spans across two contiguous subspaces): shape {list(data.shape)}, "
            f"strides {list(input.stride())} to {list(shape)}. Use .reshape(...) instead."
        )
    return Reshape.apply(input, shape)


def _view_dtype(input: Tensor, dtype) -> Tensor:
    """``Tensor.view(dtype)``: the same bytes read as another dtype (of another element size,
    the last dimension shrinks or grows by the ratio of the sizes, as in PyTorch). Not
    differentiable: the result never requires grad, as in PyTorch."""
    from .._dtypes import scalar_type_name, to_numpy_dtype  # noqa: PLC0415
    from .._tensor import make_tensor, version_cell  # noqa: PLC0415
    from .layout import storage_offset  # noqa: PLC0415

    dt = to_numpy_dtype(dtype)
    data = input._data
    if dt.itemsize != data.itemsize:  # the last dimension shrinks or grows by the size ratio
        names = (scalar_type_name(data.dtype), scalar_type_name(dt))
        what = "to view {} as {} (different element sizes)".format(*names)
        if data.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        ratio = dt.itemsize // data.itemsize
        if ratio > 1 and data.shape[-1] % ratio:
            raise RuntimeError(
                f"self.size(-1) must be divisible by {ratio} {what}, but got {data.shape[-1]}"
            )
        strides = input.stride()
        if strides[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides[-1]}")
        if ratio > 1:
            for name, n in [("storage_offset()", storage_offset(input)),
                            *((f"stride({i})", s) for i, s in enumerate(strides[:-1]))]:  # fmt: skip
                if n % ratio:
                    raise RuntimeError(
                        f"self.{name} must be divisible by {ratio} {what}, but got {n}"
                    )
    if input._vc is None:  # no tracked view (``_base`` stays None), one version counter
        input._vc = version_cell()
    return make_tensor(data.view(dt), vc=input._vc)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Mirrors ``torch.flatten``."""
    shape = input._data.shape
    if not shape:  # a 0-d tensor's dims wrap as a 1-d tensor's
        wrap_dim(start_dim, 1), wrap_dim(end_dim, 1)
        return input.reshape(1)
    s, e = wrap_dim(start_dim, len(shape)), wrap_dim(end_dim, len(shape))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:  # nothing to flatten: the tensor itself, as PyTorch's
        return input
    n = 1
    for d in shape[s : e + 1]:
        n *= d
    return input.reshape(shape[:s] + (n,) + shape[e + 1 :])


def unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """Mirrors ``torch.unflatten``."""
    shape = input._data.shape
    d = wrap_dim(dim, len(shape))
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if not shape:
        raise RuntimeError(
            f"unflatten got an unexpected error:\nDimension specified as {d} but tensor has no "
            "dimensions"
        )
    try:
        sizes = _infer_shape(sizes, shape[d], shape)
    except RuntimeError as e:  # PyTorch words the size mismatch for unflatten
        if not str(e).startswith("shape '"):
            raise RuntimeError(f"unflatten got an unexpected error:\n{e}") from None
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} "
            f"({shape[d]}) in the input tensor"
        ) from None
    return input.view(shape[:d] + sizes + shape[d + 1 :])  # always a view (ViewBackward0)


def squeeze(input: Tensor, dim=None) -> Tensor:
    """Mirrors ``torch.squeeze`` (dim may be an int or a tuple)."""
    shape = input._data.shape
    if dim is None:
        dims = range(len(shape))
    else:  # an empty tuple of dims squeezes nothing (a reduction's () means every dim)
        empty = isinstance(dim, (tuple, list)) and not dim
        dims = () if empty else normalize_dims(dim, len(shape))
    new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    out = input.reshape(new) if new != shape else input.view(shape)  # always a new view
    version = 0 if dim is None else 1 if isinstance(dim, (int, np.integer)) else 2
    return name_node(out, f"SqueezeBackward{version}")


class Unsqueeze(Op):
    """A size-1 dim inserted at ``d``, with PyTorch's stride for it (numpy's reshape of a
    non-contiguous array picks another)."""

    is_view = True

    torch_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, a, d):
        ctx.shape = shape = a.shape
        if a.flags.c_contiguous:
            return a.reshape(shape[:d] + (1,) + shape[d:])
        index = (slice(None),) * d + (None,)
        return basic_index_view(a, index, a[index])

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Mirrors ``torch.unsqueeze``."""
    return Unsqueeze.apply(input, wrap_dim(dim, input._data.ndim + 1))


def permute(input: Tensor, *order, dims=None) -> Tensor:
    """Mirrors ``torch.permute`` (``dims=`` as keyword too)."""
    dims = _required("permute", "dims", order, dims)
    n = input._data.ndim
    if len(dims) != n:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match "
            f"the length of the desired ordering of dimensions i.e. input.dim() = {n} is not "
            f"equal to len(dims) = {len(dims)}"
        )
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Mirrors ``torch.transpose``."""
    n = input._data.ndim
    dims = list(range(n))
    a, b = wrap_dim(dim0, max(n, 1)), wrap_dim(dim1, max(n, 1))  # a 0-d tensor's as 1-d's
    if n == 0:
        return name_node(input.view(()), "TransposeBackward0")  # a new view, as PyTorch's
    dims[a], dims[b] = dims[b], dims[a]
    return name_node(Permute.apply(input, tuple(dims)), "TransposeBackward0")


def t(input: Tensor) -> Tensor:
    """Mirrors ``torch.t`` (tensors of at most 2 dims)."""
    if input._data.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {input._data.ndim}D"
        )
    if input._data.ndim == 2:
        return name_node(input.transpose(0, -1), "TBackward0")
    return name_node(input.view(input._data.shape), "TBackward0")  # a new view, as PyTorch's


def expand(input: Tensor, *sizes, size=None) -> Tensor:
    """Mirrors ``Tensor.expand`` (-1 keeps a size; ``size=`` as keyword too)."""
    sizes = _required("expand", "size", sizes, size)
    shape = input._data.shape
    if len(sizes) < len(shape):
        name = input.type()
        if input._data.dtype.kind in "bV":  # no legacy class: PyTorch names its type
            from .._dtypes import scalar_type_name  # noqa: PLC0415 (error path only)

            name = f"{input.device.type.upper()}{scalar_type_name(input._data.dtype)}Type"
        raise RuntimeError(
            f"expand({name}{{{list(shape)}}}, size={list(sizes)}): the number of sizes "
            f"provided ({len(sizes)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    for i, s in enumerate(sizes[:lead]):
        if s < 0:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                f"non-existing dimension {i}"
            )
    target = tuple(
        (shape[i - lead] if s == -1 else s) if i >= lead else s for i, s in enumerate(sizes)
    )
    for i in reversed(range(len(shape))):  # PyTorch reports the last mismatch
        s = shape[i]
        if s != 1 and s != target[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[lead + i]}) must match the existing "
                f"size ({s}) at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}."
                f"  Tensor sizes: {list(shape)}"
            )
    return Expand.apply(input, target)  # a new view even to the same shape, as PyTorch's


def broadcast_to(input: Tensor, *size) -> Tensor:
    """Mirrors ``torch.broadcast_to`` (sizes as one sequence or, as a method, one by one)."""
    return expand(input, _required("broadcast_to", "size", size, None))


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``Tensor.expand_as``."""
    if not isinstance(other, Tensor):
        from .index import not_a_tensor  # noqa: PLC0415  (index imports this module)

        raise not_a_tensor("expand_as", "other", 1, other)
    return expand(input, other._data.shape)


def broadcast_tensors(*tensors) -> tuple:
    """Mirrors ``torch.broadcast_tensors``."""
    shapes = [t._data.shape for t in tensors]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise _mismatch(shapes) from None
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


def _mismatch(shapes: list) -> RuntimeError:
    """PyTorch's error for the first of ``shapes`` that does not broadcast with those before."""
    shape = ()
    for s in shapes:
        for i in range(1, min(len(shape), len(s)) + 1):
            if 1 != shape[-i] != s[-i] != 1:
                return RuntimeError(
                    f"The size of tensor a ({shape[-i]}) must match the size of tensor b "
                    f"({s[-i]}) at non-singleton dimension {max(len(shape), len(s)) - i}"
                )
        shape = np.broadcast_shapes(shape, s)
    return RuntimeError(f"shapes {shapes} do not broadcast")


def contiguous(input: Tensor, memory_format=contiguous_format) -> Tensor:
    """Mirrors ``Tensor.contiguous``: itself when already contiguous in ``memory_format``
    (C order by default, or ``torch.channels_last``), else a copy in that order."""
    if input._data.flags.c_contiguous and memory_format is contiguous_format:
        return input
    if input.is_contiguous(memory_format):
        return input
    if getattr(memory_format, "name", None) == "preserve_format":
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    return input.clone(memory_format=memory_format or contiguous_format)


def flip(input: Tensor, *order, dims=None) -> Tensor:
    """Mirrors ``torch.flip`` (``x.flip(0, 1)``, ``x.flip((0, 1))``, ``x.flip(dims=...)``)."""
    if not order and dims is None:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    order = _sizes(order if dims is None else (dims,))
    dims = tuple(wrap_dim(d, input._data.ndim) for d in order)
    for k, d in enumerate(dims):
        if d in dims[:k]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if not dims or input._data.ndim == 0:
        return name_node(input.clone(), "FlipBackward0", input)
    return Flip.apply(input, dims)


def _tensor_list(tensors, name: str) -> list:
    """The ``tensors`` argument of cat/stack as a list, with PyTorch's TypeErrors for a
    Tensor in its place or an element that is no Tensor."""
    if isinstance(tensors, Tensor):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"
        )
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            kind = type(t)
            where = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {where}{kind.__name__}"
            )
    return tensors


def cat(tensors, dim: int = 0) -> Tensor:
    """Mirrors ``torch.cat`` (promotes dtypes; 1-D empty tensors next to tensors of other
    ranks are skipped, as PyTorch does, but their dtypes still take part in the promotion)."""
    tensors = _tensor_list(tensors, "cat")
    dtypes = {t._data.dtype for t in tensors}
    kept = [t for t in tensors if not (t._data.ndim == 1 and t._data.shape[0] == 0)]
    every = tensors if len(kept) < len(tensors) and any(t._data.ndim != 1 for t in kept) else ()
    if every:
        tensors = kept
    elif tensors and not kept:  # only 1-D empties: PyTorch joins them along any dim
        dim = 0
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {i}) cannot be concatenated; use stack"
            )
    ref = tensors[0]
    try:
        d = wrap_dim(operator.index(dim), ref._data.ndim)
    except TypeError:
        raise TypeError(f"cat(): argument 'dim' must be int, not {type(dim).__name__}") from None
    for i, t in enumerate(tensors):
        if t._data.ndim != ref._data.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref._data.ndim} and "
                f"{t._data.ndim}"
            )
        for j, (a, b) in enumerate(zip(t._data.shape, ref._data.shape)):
            if j != d and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {b} "
                    f"but got size {a} for tensor number {i} in the list."
                )
    if every:  # the skipped 1-D empties join as empty slices (on any device, as they were
        # skipped), so they get (empty) gradients
        empty = ref._data.shape[:d] + (0,) + ref._data.shape[d + 1 :]
        tensors = [t.reshape(empty).to(ref.device) if t._data.ndim == 1 else t for t in every]
    return Cat.apply(d, *_promoted(tensors, dtypes))


def _promoted(tensors: list, dtypes: set) -> list:
    """``tensors`` in the result type of ``dtypes`` (cat and stack promote as PyTorch does)."""
    if len(dtypes) <= 1:
        return tensors
    from .._dtypes import from_numpy_dtype, promote_types  # noqa: PLC0415

    dtypes = set(dtypes)
    rt = from_numpy_dtype(dtypes.pop())
    for dt in dtypes:
        rt = promote_types(rt, from_numpy_dtype(dt))
    return [t.to(rt) for t in tensors]


concat = concatenate = cat


def stack(tensors, dim: int = 0) -> Tensor:
    """Mirrors ``torch.stack``."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._data.shape
    d = wrap_dim(dim, len(shape) + 1)  # PyTorch checks the dim first
    for i, t in enumerate(tensors):
        if t._data.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 "
                f"and {list(t.shape)} at entry {i}"
            )
    return Stack.apply(d, *_promoted(tensors, {t._data.dtype for t in tensors}))


def _nonempty(tensors, name: str) -> list:
    """The tensors of hstack/vstack/dstack, PyTorch's error when there are none."""
    tensors = _tensor_list(tensors, name)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors) -> Tensor:
    """Mirrors ``torch.hstack``: concatenated along dim 1, or dim 0 for vectors (0-d tensors
    read as vectors)."""
    tensors = [t.reshape(1) if t._data.ndim == 0 else t for t in _nonempty(tensors, "hstack")]
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    """Mirrors ``torch.vstack``: concatenated along dim 0 after ``atleast_2d``."""
    tensors = _nonempty(tensors, "vstack")
    return cat([t.reshape(1, -1) if t._data.ndim < 2 else t for t in tensors], 0)


def _narrow_index(input: Tensor, dim: int, start, length: int, copy: bool) -> tuple:
    """The basic index of ``narrow`` (``copy``: of ``narrow_copy``, whose checks word some
    errors differently), after PyTorch's checks; ``start`` may be a 0-d integer tensor."""
    ndim = input._data.ndim
    if not ndim:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(start, Tensor):
        if start._data.ndim or start._data.dtype.kind not in "iu":
            raise RuntimeError("start must be an 0-dim integral Tensor.")
        start = int(start._data)
    if copy and dim >= ndim:  # PyTorch's narrow_copy asserts before wrapping the dim
        raise RuntimeError(
            "Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false."
        )
    d = wrap_dim(dim, ndim)
    n = input._data.shape[d]
    if not -n <= start <= n:
        raise IndexError(
            f"start out of range (expected to be in range of [{-n}, {n}], but got {start})"
        )
    if start < 0:
        start += n
    if length < 0 and not copy:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > n or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return (slice(None),) * d + (slice(start, start + length),)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """Mirrors ``torch.narrow`` (a view, SliceBackward0 even of the whole dim)."""
    return name_node(input[_narrow_index(input, dim, start, length, False)], "SliceBackward0")


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """Mirrors ``torch.narrow_copy``: ``narrow``, copied (PyTorch's node NarrowCopyBackward0)."""
    out = input[_narrow_index(input, dim, start, length, True)].clone()
    return name_node(out, "NarrowCopyBackward0", input)


def split(tensor: Tensor, split_size_or_sections=None, dim: int = 0, *, split_size=None):
    """Mirrors ``torch.split`` (views; ``Tensor.split`` names the sizes ``split_size``)."""
    if split_size_or_sections is None:
        split_size_or_sections = split_size
    return _split(Split, tensor, split_size_or_sections, dim)


def unsafe_split(tensor: Tensor, split_size: int, dim: int = 0) -> tuple:
    """Mirrors ``torch.unsafe_split``: ``split`` whose pieces are no tracked views."""
    return _split(UnsafeSplit, tensor, split_size, dim)


def unsafe_split_with_sizes(input: Tensor, split_sizes, dim: int = 0) -> tuple:
    """Mirrors ``torch.unsafe_split_with_sizes``: ``split_with_sizes``, pieces untracked."""
    return _split(UnsafeSplit, input, list(split_sizes), dim)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """Mirrors ``torch.unsafe_chunk``: ``chunk`` whose pieces are no tracked views."""
    return _chunk(UnsafeSplit, input, chunks, dim)


def _split(op, tensor: Tensor, split_size_or_sections, dim: int) -> tuple:
    if not tensor._data.ndim:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, tensor._data.ndim)
    n = tensor._data.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={step}"
            )
        if step == 0 and n != 0:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
            )
        sizes = [min(step, n - i) for i in range(0, n, step)] if n else [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                f"size at dimension {d}), but got split_sizes={sizes}"
            )
    if not sizes:  # split_with_sizes(x, []) of a dim of size 0
        return ()
    pieces = op.apply(tensor, d, tuple(sizes))
    if not isinstance(split_size_or_sections, int):
        name_node(pieces[0], op.__name__ + "WithSizesBackward0")
    return pieces


class Split(Op):
    """The pieces of ``a`` along ``dim`` as views; backward writes the pieces' gradients
    into one array (zeros where a piece got none), as PyTorch's SplitBackward does, instead
    of one zero-filled input-sized array per piece."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim, sizes):
        ctx.set_materialize_grads(False)
        ctx.args = (dim, sizes)
        lead = (slice(None),) * dim
        ends = np.cumsum(sizes).tolist()
        pieces = [(a[i], i) for i in (lead + (slice(e - s, e),) for s, e in zip(sizes, ends))]
        return tuple(p if p.size else basic_index_view(a, i, p) for p, i in pieces)

    @staticmethod
    def backward(ctx, *grads):
        dim, sizes = ctx.args
        like = next(g for g in grads if g is not None)._data
        if not state.enabled and all(g is not None for g in grads):
            whole = _joined_views([g._data for g in grads], dim)
            if whole is not None:
                return make_tensor(whole), None, None
        pieces = [
            g if g is not None else make_tensor(np.zeros_like(like, shape=_resized(like, dim, s)))
            for g, s in zip(grads, sizes)
        ]
        return cat(pieces, dim), None, None


class UnsafeSplit(Split):
    """``Split`` as ``torch.unsafe_split``: the pieces share the input's memory but are not
    linked to it as views (own version counters; changed in place freely, as in PyTorch)."""

    is_view = False


def _joined_views(pieces: list, dim: int):
    """The array whose consecutive slices along ``dim`` the pieces are, when a backward
    wrote them so (attention's gradients of a fused qkv projection); None otherwise."""
    base = pieces[0].base
    if type(base) is not np.ndarray or not base.flags.c_contiguous:
        return None
    if base.dtype != pieces[0].dtype:  # a view of other bits (relu's gradient is made so)
        return None
    shape = _resized(pieces[0], dim, sum(p.shape[dim] for p in pieces))
    if base.size != math.prod(shape) or any(p.base is not base for p in pieces):
        return None
    whole, start = base.reshape(shape), 0
    for p in pieces:
        part = whole[(slice(None),) * dim + (slice(start, start + p.shape[dim]),)]
        start += p.shape[dim]
        if part.strides != p.strides or part.shape != p.shape or address(part) != address(p):
            return None
    return whole


def address(a) -> int:
    """Where a numpy array's first element lies in memory."""
    return a.__array_interface__["data"][0]


def view_at(a, shape: tuple, strides: tuple, offset: int):
    """A view of ``a``'s memory with PyTorch's byte ``strides``, starting ``offset`` bytes
    after ``a``'s first element (numpy gives an inserted size-1 dim stride 0 and leaves an
    empty slice at ``a``'s start). Built on ``a``'s base, so that ``link_view`` sees a view;
    None where that base exports no buffer (a device array) or cannot hold the view (an empty
    slice starting past the end of an empty buffer)."""
    base = a if a.base is None else a.base
    if not (isinstance(base, np.ndarray) and (base.flags.c_contiguous or base.flags.f_contiguous)):
        return None
    start = address(a) - address(base) + offset
    try:
        return np.ndarray(shape, a.dtype, buffer=base, offset=start, strides=strides)
    except ValueError:
        return None


def basic_index_view(a, index: tuple, out):
    """``out = a[index]`` (basic indexing) with the strides and start PyTorch gives it: an
    inserted dim's stride is the extent of the dim it precedes in ``a`` (1 at the end), an
    empty slice starts where its ``start`` points."""
    if any(type(i) is bool for i in index):  # numpy's new dim of size 1 or 0, as PyTorch's
        return out
    consumed = sum(i is not None and i is not Ellipsis for i in index)
    shape, strides = a.shape, a.strides
    k, offset, out_strides = 0, 0, []
    for item in index:
        if item is None:
            out_strides.append(shape[k] * strides[k] if k < a.ndim else a.itemsize)
        elif item is Ellipsis:
            n = a.ndim - consumed
            out_strides += strides[k : k + n]
            k += n
        elif isinstance(item, slice):
            start, _, step = item.indices(shape[k])
            offset += start * strides[k]
            out_strides.append(step * strides[k])
            k += 1
        else:
            offset += (item + shape[k] if item < 0 else item) * strides[k]
            k += 1
    view = view_at(a, out.shape, (*out_strides, *strides[k:]), offset)
    return out if view is None else view


def _resized(a, dim: int, size: int) -> tuple:
    return a.shape[:dim] + (size,) + a.shape[dim + 1 :]


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """Mirrors ``torch.chunk``."""
    return _chunk(Split, input, chunks, dim)


def _chunk(op, input: Tensor, chunks: int, dim: int) -> tuple:
    if not input._data.ndim:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input._data.ndim)
    if input._data.shape[d] == 0:  # PyTorch: ``chunks`` empty pieces
        return _split(op, input, [0] * chunks, d)
    return _split(op, input, int(-(-input._data.shape[d] // chunks)), d)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    """Mirrors ``torch.unbind``."""
    d = wrap_dim(dim, input._data.ndim)
    if not input._data.ndim:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if not input._data.shape[d]:
        return ()
    return Unbind.apply(input, d)


class Unbind(Op):
    """The slices of ``a`` along ``dim`` as views of one node (PyTorch's UnbindBackward0):
    backward stacks the slices' gradients, zeros where one got none."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.set_materialize_grads(False)
        ctx.args = dim
        lead = (slice(None),) * dim
        slices = [(a[i], i) for i in (lead + (k, ...) for k in range(a.shape[dim]))]  # 0-d: views
        return tuple(p if p.size else basic_index_view(a, i, p) for p, i in slices)

    @staticmethod
    def backward(ctx, *grads):
        like = next(g for g in grads if g is not None)._data
        zeros = None
        pieces = []
        for g in grads:
            if g is None:
                zeros = zeros if zeros is not None else make_tensor(np.zeros_like(like))
                g = zeros
            pieces.append(g)
        return stack(pieces, ctx.args), None


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """Mirrors ``torch.select``."""
    if not input._data.ndim:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
            f"dimension {d}"
        )
    return input[(slice(None),) * d + (index,)]


def pad(input: Tensor, pad, mode: str = "constant", value=None) -> Tensor:
    """Mirrors ``torch.nn.functional.pad`` (constant mode): ``pad`` lists (left, right)
    amounts starting from the last dimension."""
    if mode != "constant":
        raise NotImplementedError(f"pad mode {mode!r}: only 'constant' is supported")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input._data.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {input._data.ndim}"
        )
    widths = [(0, 0)] * input._data.ndim
    for i in range(len(pad) // 2):
        widths[input._data.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    if any(n + min(lo, 0) + min(hi, 0) < 0 for n, (lo, hi) in zip(input.shape, widths)):
        raise RuntimeError("narrow(): length must be non-negative.")  # PyTorch crops by narrow
    if any(lo < 0 or hi < 0 for lo, hi in widths):  # negative padding crops
        index = tuple(slice(-lo if lo < 0 else 0, hi if hi < 0 else None) for lo, hi in widths)
        input = input[index]
        widths = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
    return Pad.apply(input, tuple(widths), 0 if value is None else value)


def repeat(input: Tensor, *sizes, repeats=None) -> Tensor:
    """Mirrors ``Tensor.repeat`` (the counts as arguments, one sequence, or ``repeats=``)."""
    reps = _required("repeat", "repeats", sizes, repeats)
    if len(reps) < input._data.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    if any(r < 0 for r in reps):
        shape = (1,) * (len(reps) - input._data.ndim) + input._data.shape
        sizes = [n * r for n, r in zip(shape, reps)]
        bad = next(s for s in sizes if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {sizes}")
    return Repeat.apply(input, reps)


def tile(input: Tensor, *reps, dims=None) -> Tensor:
    """Mirrors ``torch.tile``: ``repeat`` with ``dims`` padded by leading ones."""
    reps = _required("tile", "dims", reps, dims)
    return repeat(input, (1,) * (input._data.ndim - len(reps)) + reps)  # repeat's checks


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """Mirrors ``torch.tril``."""
    _check_matrix(input, "tril")
    return name_node(Triangle.apply(input, diagonal, False), "TrilBackward0")


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """Mirrors ``torch.triu``."""
    _check_matrix(input, "triu")
    return name_node(Triangle.apply(input, diagonal, True), "TriuBackward0")


def _check_matrix(input: Tensor, name: str) -> None:
    if input._data.ndim < 2:
        raise RuntimeError(
            f"{name}: input tensor must have at least 2 dimensions (got shape {list(input.shape)})"
        )


def movedim(input: Tensor, source, destination) -> Tensor:
    """Mirrors ``torch.movedim``."""
    n = input._data.ndim
    one = (int, np.integer)
    given = [[source] if isinstance(source, one) else list(source)]
    given.append([destination] if isinstance(destination, one) else list(destination))
    src, dst = ([wrap_dim(s, n) for s in dims] for dims in given)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({given[0]} dims) should "
            f"contain the same number of dims as destination ({given[1]} dims)"
        )
    for name, dims, asked in (("source", src, given[0]), ("destination", dst, given[1])):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({asked})")
    if not n:  # a 0-d tensor's dims wrap as a 1-d one's: an alias, as PyTorch's
        return name_node(input.view(()), "AliasBackward0", input)
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, order)
