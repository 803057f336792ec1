"""Order statistics and NaN-aware reductions: median/nanmedian, quantile/nanquantile,
nansum/nanmean, aminmax. Selected values are gathered from the input, so gradients flow
to the elements chosen (split between the two neighbours that a quantile interpolates)."""

from __future__ import annotations

import numpy as np

from .._dtypes import scalar_type_name
from .._numpy_warnings import numpy_quiet
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import cpu_float32_function
from ..autograd import forward_ad
from ..autograd.function import Op, name_node
from ..backends import ascontiguous, to_backend
from . import tie_order
from .elementwise import WhereSaving, const, where
from .index import SortedValues
from .reduce import (
    EvenlyRead,
    _expand_back,
    amax,
    amin,
    check_result_dtype,
    normalize_dims,
    select_along,
    sum_array,
    wrap_dim,
)
from .return_types import return_type
from .sort import _argsort_array
from .special import lerp

_median_result = return_type("median")
_nanmedian_result = return_type("nanmedian")
_aminmax_result = return_type("aminmax", ("min", "max"))


def _median(input: Tensor, dim, keepdim: bool, skip_nan: bool, result):
    """The lower median (no averaging, as PyTorch): with NaNs, NaN (``skip_nan`` False) or
    the median of the rest."""
    x = input._data
    if x.dtype.kind == "b" and (x.size or dim is not None):  # (an empty one is a NaN: True)
        if dim is not None:
            wrap_dim(dim, x.ndim)  # checked first, as PyTorch does
        kernel = "median_cpu" if dim is None else "median_out"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if dim is None:
        if x.size == 0:
            if not input.requires_grad and not forward_ad.is_dual(input):
                with numpy_quiet():  # (an integer NaN: PyTorch's cast of it, silently)
                    return make_tensor(np.full_like(x, np.nan, shape=()))
            name = "NanmedianBackward0" if skip_nan else "MedianBackward0"
            return name_node(input.sum() + np.nan, name)  # NaN, in the graph as PyTorch's
        value = _median(input.reshape(-1), 0, False, skip_nan, result).values.detach()
        v = value._data
        ties = (x == v) | (np.isnan(x) & np.isnan(v)) if x.dtype.kind in "fV" else x == v
        if not input.requires_grad and not forward_ad.is_dual(input):
            return value
        # PyTorch shares the gradient evenly among the elements equal to the median: the
        # extreme of those (the others set past it) splits it so; input saved, as PyTorch's
        smallest = bool(v == -np.inf)
        fill = x.dtype.type(np.inf if smallest else -np.inf)
        picked = WhereSaving.apply(const(ties), input, fill)
        name = "NanmedianBackward0" if skip_nan else "MedianBackward0"
        every = tuple(range(x.ndim))
        return name_node(EvenlyRead.apply(picked, every, False, not smallest, True), name)
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        value = name_node(input.clone(), f"{'Nanm' if skip_nan else 'M'}edianBackward1", input)
        return result(value, make_tensor(np.zeros_like(x, np.int64, shape=())))
    n = x.shape[d]
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    # NaNs sort last (numpy sorts bfloat16 NaNs first: in float32)
    order = np.argsort(x.astype(np.float32) if x.dtype.kind == "V" else x, axis=d, kind="stable")
    nan = np.isnan(x) if x.dtype.kind in "fV" else np.zeros_like(x, bool)
    nans = nan.sum(axis=d, keepdims=True)
    if skip_nan:
        pos = np.maximum(n - nans - 1, 0) // 2
    else:
        pos = np.where(nans > 0, n - nans, (n - 1) // 2)  # the first NaN, else the middle
    pos = np.broadcast_to(pos, x.shape[:d] + (1,) + x.shape[d + 1 :])
    idx = ascontiguous(np.take_along_axis(order, pos, axis=d).astype(np.int64))  # (as PyTorch's)
    if skip_nan and n > 3 and isinstance(x, np.ndarray):  # all NaN: nth_element's pick
        all_nan = (nans == n).reshape(-1)
        idx = tie_order.replay(x, idx, d, all_nan, False, lambda k: tie_order.nth_element(k, 0))
    name = "NanmedianBackward1" if skip_nan else "MedianBackward1"
    return result(*select_along(input, d, idx, keepdim, name))


def median(input: Tensor, dim=None, keepdim: bool = False):
    """Mirrors ``torch.median``: the lower median of all elements, or (values, indices)
    along ``dim``; NaN where a NaN is present."""
    return _median(input, dim, keepdim, False, _median_result)


def nanmedian(input: Tensor, dim=None, keepdim: bool = False):
    """Mirrors ``torch.nanmedian``: ``median`` ignoring NaNs."""
    return _median(input, dim, keepdim, True, _nanmedian_result)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")
_ROUNDINGS = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}


def _quantile(input: Tensor, q, dim, keepdim: bool, interpolation: str, skip_nan: bool):
    """quantile/nanquantile; the checks in PyTorch's order, with its messages (which say
    quantile() for both)."""
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            "quantile() interpolation must be one of linear, lower, higher, midpoint or "
            f"nearest, but got {interpolation}"
        )
    data = input._data
    if data.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if isinstance(q, Tensor) and q._data.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if data.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if isinstance(q, Tensor) and q._data.dtype != data.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    scalar_q, qt = not isinstance(q, Tensor) or q._data.ndim == 0, q
    if isinstance(q, Tensor):
        qs = q._data.astype(np.float64).reshape(-1)
    else:
        qs = to_backend(np.asarray(q, np.float64).reshape(-1), data)
    if qs.size and ((qs < 0) | (qs > 1)).any():
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    x = input
    if dim is None:
        x, d = input.reshape(-1), 0
    else:
        d = wrap_dim(dim, input._data.ndim)
        if input._data.ndim == 0:
            x, d = input.reshape(1), 0
    data = x._data
    n = data.shape[d]
    order = _argsort_array(data, d, False, False)  # PyTorch's sort: NaNs last, its tie order
    srt = SortedValues.apply(x, d, make_tensor(order.astype(np.int64)))
    nans = np.isnan(data).sum(axis=d, keepdims=True)
    # ranks in the input's dtype, as PyTorch computes them (0.3 * 1000 is 300 in float32)
    q = qs.astype(data.dtype).reshape((-1,) + (1,) * data.ndim)  # q along a new leading dim
    if skip_nan:  # an all-NaN slice gets rank 0: its quantile is that NaN
        scale, shift = np.maximum(n - 1 - nans, 0).astype(data.dtype), data.dtype.type(0)
    else:  # a slice holding a NaN gets the last rank: its quantile is a NaN (sorted last)
        scale = np.where(nans > 0, 0, n - 1).astype(data.dtype)
        shift = np.where(nans > 0, n - 1, 0).astype(data.dtype)
    rank = q * scale + shift
    if interpolation in _ROUNDINGS:
        rank = _ROUNDINGS[interpolation](rank)  # round: half to even, as PyTorch
    full = np.broadcast_shapes(rank.shape, (1,) + data.shape[:d] + (1,) + data.shape[d + 1 :])
    expanded = srt.unsqueeze(0).expand(len(qs), *srt._data.shape)
    below = expanded.gather(d + 1, make_tensor(np.broadcast_to(rank.astype(np.int64), full)))
    out = below
    if interpolation in ("linear", "midpoint"):
        hi = np.broadcast_to(np.ceil(rank).astype(np.int64), full)
        if interpolation == "midpoint":
            w = const(np.broadcast_to(np.full_like(rank, 0.5), full))
        elif isinstance(qt, Tensor) and (qt.requires_grad or forward_ad.is_dual(qt)):  # as PyTorch
            w = qt.reshape(q.shape) * const(scale) + const(shift - np.floor(rank))
            w = where(const(scale == 0), 0.0, w)  # no gradient where a NaN fixes the rank
        else:
            w = const(np.broadcast_to(rank - np.floor(rank), full))
        out = lerp(below, expanded.gather(d + 1, make_tensor(hi)), w)
    out = out.squeeze(d + 1)
    if keepdim and input._data.ndim:
        out = (
            out.unsqueeze(d + 1)
            if dim is not None
            else out.reshape((-1,) + (1,) * input._data.ndim)
        )
    return out.squeeze(0) if scalar_q else out


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def quantile(
    input: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear"
) -> Tensor:
    """Mirrors ``torch.quantile``: the ``q``-quantiles (a number or a 1-D tensor, which adds
    a leading dim) of all elements or along ``dim``; NaN for slices holding a NaN."""
    return _quantile(input, q, dim, keepdim, interpolation, False)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def nanquantile(
    input: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear"
) -> Tensor:
    """Mirrors ``torch.nanquantile``: ``quantile`` ignoring NaNs."""
    return _quantile(input, q, dim, keepdim, interpolation, True)


class Nansum(Op):
    """The sum with NaNs counted as zero. The gradient is PyTorch's ``grad * ~isnan(x)``:
    0 at NaNs, unless the incoming gradient is infinite or NaN (an all-NaN slice's nanmean)."""

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        nan = np.isnan(a)
        ctx.args = (a.shape, dims, keepdim)
        ctx.kept = (~nan).astype(a.dtype)
        return sum_array(np.where(nan, a.dtype.type(0), a), dims, keepdim)

    @staticmethod
    def backward(ctx, g):
        shape, dims, keepdim = ctx.args
        return _expand_back(g, shape, dims, keepdim) * const(ctx.kept), None, None


def nansum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.nansum``: the sum with NaNs counted as zero (and getting zero
    gradient)."""
    if dtype is not None:
        check_result_dtype(input, dtype)
        if dtype.np.kind in "biu" and input._data.dtype.kind in "fV":  # NaNs summed as 0
            input = make_tensor(np.where(np.isnan(input._data), 0, input._data))
        input = input.to(dtype)
    if input._data.dtype.kind not in "fV":
        return input.sum(dim, keepdim, dtype=dtype)
    return Nansum.apply(input, normalize_dims(dim, input._data.ndim), keepdim)


def nanmean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.nanmean``: the mean of the non-NaN elements."""
    if input._data.dtype.kind not in "fV":
        raise RuntimeError(
            "nanmean(): expected input to have floating point or complex dtype but got "
            f"{scalar_type_name(input._data.dtype)}"
        )
    if dtype is not None:
        if dtype.np.kind not in "fV":
            raise RuntimeError(
                "nanmean(): could not infer output dtype. Optional dtype must be either a "
                f"floating point or complex dtype. Got: {scalar_type_name(dtype.np)}"
            )
        input = input.to(dtype)
    dims = normalize_dims(dim, input._data.ndim)
    count = (~np.isnan(input._data)).sum(axis=dims, keepdims=keepdim)
    return nansum(input, dims, keepdim) / const(count.astype(input._data.dtype))


def aminmax(input: Tensor, *, dim=None, keepdim: bool = False):
    """Mirrors ``torch.aminmax``: (min, max) over all elements or along ``dim``."""
    shape = input._data.shape
    if dim is None and input._data.size == 0:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
            "identity."
        )
    if dim is not None and shape and shape[wrap_dim(dim, len(shape))] == 0:
        d = wrap_dim(dim, len(shape))
        raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
    dims = () if dim is None else dim
    low, high = amin(input, dims, keepdim), amax(input, dims, keepdim)
    return _aminmax_result(name_node(low, "AminmaxBackward0"), name_node(high, "AminmaxBackward0"))
