"""Names PyTorch also exposes at the top level (``torch.conv2d``, ``torch.relu_``,
``torch.hann_window``, ``torch.range``...): aliases of the functional forms, the in-place
functions as calls of the Tensor methods, and the signal windows."""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np

from . import _dtypes
from ._tensor import Tensor, check_can_require_grad, make_tensor
from ._warn_once import warn_once
from .amp import get_autocast_dtype, is_autocast_enabled
from .autograd import forward_ad
from .autograd.function import name_node
from .autograd.underivable import ZeroDerivative
from .backends import xp_of
from .factories import _check_storage_size, arange, empty, tensor
from .linalg import geqrf, householder_product
from .nn import functional as F
from .ops.index import check_index_source
from .ops.index_write import scatter_reduce
from .ops.inplace import _method as inplace_method
from .ops.out_arg import with_out
from .ops.special import arctan2

# torch.<name> takes the same positional arguments as torch.nn.functional.<name>
_SAME_AS_FUNCTIONAL = (
    "conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d avg_pool1d max_pool1d max_pool2d "
    "max_pool3d adaptive_avg_pool1d adaptive_max_pool1d pixel_shuffle pixel_unshuffle celu "
    "selu prelu rrelu threshold hardshrink dropout alpha_dropout feature_alpha_dropout "
    "layer_norm group_norm instance_norm rms_norm bilinear channel_shuffle"
).split()

# torch.<name>_(input, ...) is input.<name>_(...) (and torch.is_inference(t) t.is_inference())
_INPLACE_METHODS = (
    "abs_ acos_ acosh_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ "
    "atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ erf_ erfc_ exp2_ exp_ "
    "expm1_ fix_ floor_ frac_ gcd_ i0_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ "
    "neg_ negative_ rad2deg_ reciprocal_ relu_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_ "
    "square_ tan_ tanh_ trunc_ xlogy_ zero_ fill_ detach_ resize_as_ index_put_ addmv_ "
    "is_inference"
).split()


def _method_call(name: str):
    def call(input: Tensor, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Mirrors ``torch.{name}``: ``input.{name}(...)``."
    return call


def _inplace_functional(name: str, fn):
    def call(input: Tensor, *args, **kwargs):
        return fn(input, *args, inplace=True, **kwargs)

    call.__name__ = call.__qualname__ = name + "_"
    call.__doc__ = f"Mirrors ``torch.{name}_``: ``nn.functional.{name}(..., inplace=True)``."
    return call


ALIASES: dict = {name: getattr(F, name) for name in _SAME_AS_FUNCTIONAL}
ALIASES.update({name: _method_call(name) for name in _INPLACE_METHODS})
ALIASES.update(
    {
        name + "_": _inplace_functional(name, getattr(F, name))
        for name in ("selu", "celu", "rrelu", "threshold", "dropout", "alpha_dropout")
    }
)


def batch_norm(
    input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled=True
):
    """Mirrors ``torch.batch_norm`` (its argument order differs from ``F.batch_norm``)."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def embedding(weight, input, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """Mirrors ``torch.embedding`` (weight first; padding_idx -1 means none)."""
    return F.embedding(
        input,
        weight,
        None if padding_idx == -1 else padding_idx,
        scale_grad_by_freq=scale_grad_by_freq,
        sparse=sparse,
    )


def detach(input: Tensor) -> Tensor:
    """Mirrors ``torch.detach``."""
    return input.detach()


def fill(input: Tensor, value) -> Tensor:
    """Mirrors ``torch.fill``: a new tensor like ``input`` holding ``value``, in the graph
    as PyTorch's (a zero gradient to ``input``; a 0-d tensor ``value`` gets the sum)."""
    out = input.clone().fill_(value)
    return name_node(out, "FillBackward1" if isinstance(value, Tensor) else "FillBackward0")


def real(input: Tensor) -> Tensor:
    """Mirrors ``torch.real``: a real tensor is its own real part."""
    return input.real


def imag(input: Tensor) -> Tensor:
    """Mirrors ``torch.imag`` (raises for real tensors, as PyTorch does)."""
    return input.imag


def is_signed(input: Tensor) -> bool:
    """Mirrors ``torch.is_signed``."""
    return input.is_signed()


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Mirrors ``torch.is_same_size``."""
    return tuple(input.shape) == tuple(other.shape)


def typename(obj) -> str:
    """Mirrors ``torch.typename``: ``torch.FloatTensor`` for a float32 CPU tensor."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if name is None:
        module, name = type(obj).__module__ or "", type(obj).__qualname__
    return name if module in ("", "builtins") else f"{module}.{name}"


def range(start=None, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:  # noqa: A001
    """Mirrors the deprecated ``torch.range``: like ``arange`` but the end is included,
    and the result is floating point by default."""
    if end is None:  # both bounds are required (PyTorch's argument parser's words)
        raise TypeError(
            'range() missing 1 required positional arguments: "end"'
            if start is not None
            else 'range() missing 2 required positional argument: "start", "end"'
        )
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its "
        "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
        "which produces values in [start, end).",
        UserWarning,
        stacklevel=3,  # the caller of with_out's wrapper
    )
    if step != 0 and (end - start) * step < 0:  # (a zero step is arange's error)
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    count = int(math.floor((end - start) / step)) + 1
    dtype = dtype or _dtypes.get_default_dtype()
    # the exclusive end half a step past the last value: safe from rounding, and for an
    # integer dtype (which truncates the bounds) a whole step
    beyond = count - (0.5 if dtype.is_floating_point else 0)
    return arange(
        start,
        start + beyond * step if count > 0 else start,
        step,
        dtype=dtype,
        device=device,
        requires_grad=requires_grad,
    )


def _window(name: str, symmetric, window_length: int, periodic: bool, dtype, device, requires_grad):
    if not isinstance(window_length, (int, np.integer)):
        raise TypeError(
            f"{name}(): argument 'window_length' (position 1) must be int, not "
            f"{type(window_length).__name__}"
        )
    if window_length < 0:
        raise RuntimeError(
            f"{name} requires non-negative window_length, got window_length={window_length}"
        )
    dtype = dtype or _dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if window_length <= 1:
        values = np.ones(window_length)
    else:
        values = symmetric(window_length + 1)[:-1] if periodic else symmetric(window_length)
    return tensor(values, dtype=dtype, device=device, requires_grad=requires_grad)


def _cosine_sum(coefficients):
    def window(n: int):
        phase = 2 * np.pi * np.arange(n) / (n - 1)
        return sum((-1) ** k * a * np.cos(k * phase) for k, a in enumerate(coefficients))

    return window


def hann_window(window_length: int, periodic: bool = True, *, dtype=None, device=None, layout=None, requires_grad=False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.hann_window``."""
    return _window("hann_window", _cosine_sum((0.5, 0.5)), window_length, periodic, dtype, device, requires_grad)  # fmt: skip


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *, dtype=None, device=None, layout=None, requires_grad=False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.hamming_window``."""
    return _window("hamming_window", _cosine_sum((alpha, beta)), window_length, periodic, dtype, device, requires_grad)  # fmt: skip


def blackman_window(window_length: int, periodic: bool = True, *, dtype=None, device=None, layout=None, requires_grad=False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.blackman_window``."""
    return _window("blackman_window", _cosine_sum((0.42, 0.5, 0.08)), window_length, periodic, dtype, device, requires_grad)  # fmt: skip


def bartlett_window(window_length: int, periodic: bool = True, *, dtype=None, device=None, layout=None, requires_grad=False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.bartlett_window``."""
    return _window("bartlett_window", lambda n: 1 - np.abs(2 * np.arange(n) / (n - 1) - 1), window_length, periodic, dtype, device, requires_grad)  # fmt: skip


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype=None, device=None, layout=None, requires_grad=False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.kaiser_window``."""
    return _window("kaiser_window", lambda n: np.kaiser(n, beta), window_length, periodic, dtype, device, requires_grad)  # fmt: skip


ALIASES.update(
    {
        f.__name__: f
        for f in (
            batch_norm, embedding, detach, fill, real, imag, is_signed, is_same_size, typename, range,
            hann_window, hamming_window, blackman_window, bartlett_window, kaiser_window,
        )
    }
)  # fmt: skip
ALIASES["range"] = with_out(range, factory=True)  # torch.range(..., out=t)


# torch.<loss>(..., reduction=1): PyTorch's ATen forms, which number the reductions (0 none,
# 1 mean, 2 sum); left out, the reduction is none (what PyTorch 2.13 does)
_REDUCTIONS = ("none", "mean", "sum")
_ATEN_LOSSES = {  # name: its parameters after the inputs, with their defaults
    "kl_div": (("input", "target"), (("reduction", 0), ("log_target", False))),
    "margin_ranking_loss": (("input1", "input2", "target"), (("margin", 0.0), ("reduction", 0))),
    "cosine_embedding_loss": (("input1", "input2", "target"), (("margin", 0.0), ("reduction", 0))),
    "hinge_embedding_loss": (("input", "target"), (("margin", 1.0), ("reduction", 0))),
    "poisson_nll_loss": (("input", "target", "log_input", "full", "eps", "reduction"), ()),
    "binary_cross_entropy_with_logits": (
        ("input", "target"), (("weight", None), ("pos_weight", None), ("reduction", 0))),
    "ctc_loss": (("log_probs", "targets", "input_lengths", "target_lengths"),
                 (("blank", 0), ("reduction", 0), ("zero_infinity", False))),
    "triplet_margin_loss": (("anchor", "positive", "negative"), (("margin", 1.0), ("p", 2.0),
                            ("eps", 1e-6), ("swap", False), ("reduction", 0))),
}  # fmt: skip


def _aten_loss(name: str, required: tuple, optional: tuple):
    names = required + tuple(n for n, _ in optional)

    def loss(*args, **kwargs):
        values = dict(optional)
        values.update(zip(names, args))
        values.update(kwargs)
        missing = [n for n in required if n not in values]
        if missing or len(args) > len(names):
            raise TypeError(f"{name}() expects arguments ({', '.join(names)})")
        values["reduction"] = _REDUCTIONS[values["reduction"]]
        return getattr(F, name)(**values)  # by name: poisson's log_input/full/eps are required

    loss.__name__ = loss.__qualname__ = name
    loss.__doc__ = f"Mirrors ``torch.{name}``: ``nn.functional.{name}`` with ``reduction`` as 0 (none), 1 (mean) or 2 (sum)."  # fmt: skip
    return loss


ALIASES.update({name: _aten_loss(name, *params) for name, params in _ATEN_LOSSES.items()})


def split_with_sizes(input: Tensor, split_sizes, dim: int = 0) -> tuple:
    """Mirrors ``torch.split_with_sizes``: ``input.split(split_sizes, dim)``."""
    return input.split(list(split_sizes), dim)


def _mean_and_rstd(input: Tensor, dims: tuple, eps: float) -> tuple:
    """The mean and 1 / sqrt(biased variance + eps) over ``dims``, kept as size-1 dims."""
    mean = input.mean(dims, keepdim=True)
    var = input.var(dims, correction=0, keepdim=True)
    return mean, (var + eps).rsqrt()


def native_layer_norm(input: Tensor, normalized_shape, weight, bias, eps: float) -> tuple:
    """Mirrors ``torch.native_layer_norm``: (output, mean, rstd), the statistics shaped like
    the input with the normalized dims of size 1."""
    normalized_shape = list(normalized_shape)
    dims = tuple(builtins.range(input.ndim - len(normalized_shape), input.ndim))  # not torch.range
    mean, rstd = _mean_and_rstd(input.detach(), dims, eps)
    return F.layer_norm(input, normalized_shape, weight, bias, eps), mean, rstd


def native_batch_norm(input: Tensor, weight, bias, running_mean, running_var, training: bool,
                      momentum: float, eps: float) -> tuple:  # fmt: skip
    """Mirrors ``torch.native_batch_norm``: (output, save_mean, save_invstd); in training the
    batch's per-channel mean and 1 / sqrt(var + eps), in evaluation two empty tensors."""
    out = F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if not training:
        return out, input.new_empty(0), input.new_empty(0)
    dims = (0, *builtins.range(2, input.ndim))
    mean, rstd = _mean_and_rstd(input.detach(), dims, eps)
    return out, mean.reshape(-1), rstd.reshape(-1)


def constant_pad_nd(input: Tensor, pad, value: float = 0) -> Tensor:
    """Mirrors ``torch.constant_pad_nd``: ``nn.functional.pad`` in constant mode."""
    return F.pad(input, pad, "constant", value)


def angle(input: Tensor) -> Tensor:
    """Mirrors ``torch.angle`` for real tensors: pi where negative, 0 elsewhere, NaN at NaN;
    floating point (integers give the default dtype); a zero gradient."""
    x = input.detach()
    x = x if x.is_floating_point() else x.to(_dtypes.get_default_dtype())
    half_turns = (x < 0).to(x.dtype).masked_fill(x.isnan(), math.nan)
    out = ZeroDerivative.apply((half_turns * math.pi)._data, "AngleBackward0", input)
    return forward_ad.zero_tangent(out, input)


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                 include_self: bool = True) -> Tensor:  # fmt: skip
    """Mirrors ``torch.index_reduce``: ``source``'s slices along ``dim`` reduced ('prod',
    'mean', 'amax', 'amin') into ``input``'s slices ``index``."""
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(
            f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}."  # fmt: skip
        )
    if forward_ad.is_dual(input) or forward_ad.is_dual(source):  # PyTorch has no formula
        raise NotImplementedError(
            "Trying to use forward AD with index_reduce that does not support it because it has "
            "not been implemented yet."
        )
    try:
        dim, idx = check_index_source("index_reduce", input, dim, index, source)
    except IndexError as e:  # PyTorch first selects slice 0 of an empty dim of self (unless
        # include_self=False and it fills slices of a size-0 storage first: another error)
        d = dim % max(input.dim(), 1)
        filled = math.prod(input.shape[:d]) * index.numel() * math.prod(input.shape[d + 1 :])
        empty = input.dim() > 1 and not input.shape[d] and (include_self or not filled)
        if not (empty and str(e).startswith("index out of range in self")):
            raise
        raise IndexError(
            f"select(): index 0 out of range for tensor of size {list(input.shape)} at dimension {d}"
        ) from None
    shape = [1] * source.dim()
    if shape:  # a 0-d source takes the one index as a 0-d index
        shape[dim] = -1
    spread = make_tensor(idx).reshape(shape).expand(source.shape)
    out = scatter_reduce(input, dim, spread, source, reduce, include_self=include_self)
    if reduce == "mean" and input._data.dtype in _dtypes.HALF_NP and source._data.ndim:
        exact = _mean_in_dtype(input._data, dim, idx.reshape(-1), source._data, include_self)
        out = out + make_tensor(exact - out._data)  # the values, the graph of scatter_reduce
    return name_node(out, "IndexReduceBackward0", input)


def _mean_in_dtype(x, dim: int, idx, src, include_self: bool):
    """PyTorch's index_reduce 'mean' of 16-bit floats: the slices added up in their dtype
    one index after another (each sum rounded), then divided by their count."""
    xp = xp_of(x)
    total = xp.moveaxis(x, dim, 0).copy()
    count = xp.zeros(total.shape[0], x.dtype)
    xp.add.at(count, idx, x.dtype.type(1))
    touched = (count > 0).reshape((-1,) + (1,) * (total.ndim - 1))
    if include_self:
        count += x.dtype.type(1)
    else:
        total = xp.where(touched, x.dtype.type(0), total)
    xp.add.at(total, idx, xp.moveaxis(src, dim, 0))
    count = xp.maximum(count, x.dtype.type(1)).reshape(touched.shape)
    return xp.moveaxis(total / count, 0, dim)


def _leaf(data, requires_grad: bool) -> Tensor:
    """A new tensor of ``data``; ``requires_grad`` checked as PyTorch's factories check it."""
    if requires_grad:
        check_can_require_grad(data)
    return make_tensor(data).requires_grad_(requires_grad)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
                  pin_memory: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.empty_strided``: an uninitialised tensor with the given strides (in
    elements), on storage just large enough for them."""
    size, stride = tuple(size), tuple(stride)
    if any(n < 0 for n in size):
        bad = next(n for n in size if n < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {list(size)}")
    if len(size) != len(stride):
        raise RuntimeError(
            f"dimensionality of sizes ({len(size)}) must match dimensionality of strides "
            f"({len(stride)})"
        )
    extent = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    if any(s < 0 for s in stride):  # PyTorch's size computation overflows then
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and strides={list(stride)}")  # fmt: skip
    _check_storage_size(size, stride, _dtypes.to_numpy_dtype(dtype or _dtypes.get_default_dtype()).itemsize)  # fmt: skip
    storage = empty(extent, dtype=dtype, device=device)._data
    data = xp_of(storage).lib.stride_tricks.as_strided(  # numpy's takes host arrays only
        storage, size, tuple(s * storage.itemsize for s in stride)
    )
    return _leaf(data, requires_grad)


_NOT_WRITABLE = (
    "The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
    "means you can write to the underlying (supposedly non-writable) buffer using the tensor. "
    "You may want to copy the buffer to protect its data or make it writable before converting "
    "it to a tensor. This type of warning will be suppressed for the rest of this program."
)


def frombuffer(buffer, *, dtype, count: int = -1, offset: int = 0,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.frombuffer``: a 1-D tensor sharing the memory of a writable buffer
    (bytearray, array, memoryview, numpy array); a read-only one (bytes) is copied, with
    PyTorch's warning."""
    try:
        view = memoryview(buffer).cast("B")
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    length, item = view.nbytes, np.dtype(_dtypes.to_numpy_dtype(dtype)).itemsize
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
            f"({length} bytes) minus 1"
        )
    if count > 0 and count * item > length - offset:
        raise ValueError(
            f"requested buffer length ({count} * {item} bytes) after offset ({offset} bytes) "
            f"must not be greater than actual buffer length ({length} bytes)"
        )
    if count < 0 and (length - offset) % item:
        raise ValueError(
            f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be a "
            f"multiple of element size ({item})"
        )
    data = np.frombuffer(view, _dtypes.to_numpy_dtype(dtype), count, offset)
    if view.readonly:
        warn_once(_NOT_WRITABLE, stacklevel=3)  # TORCH_WARN_ONCE
        data = data.copy()
    return _leaf(data, requires_grad)


def _deprecated_autocast(name: str, replacement: str, fn):
    def call():
        warnings.warn(
            f"torch.{name}() is deprecated. Please use torch.{replacement} instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return fn()

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Mirrors the deprecated ``torch.{name}``: ``torch.{replacement}``."
    return call


ALIASES.update(
    {
        "get_autocast_cpu_dtype": _deprecated_autocast(
            "get_autocast_cpu_dtype", "get_autocast_dtype('cpu')", lambda: get_autocast_dtype("cpu")
        ),
        "get_autocast_gpu_dtype": _deprecated_autocast(
            "get_autocast_gpu_dtype",
            "get_autocast_dtype('cuda')",
            lambda: get_autocast_dtype("cuda"),
        ),
        "is_autocast_cpu_enabled": _deprecated_autocast(
            "is_autocast_cpu_enabled",
            "is_autocast_enabled('cpu')",
            lambda: is_autocast_enabled("cpu"),
        ),
    }
)
ALIASES.update(
    {
        f.__name__: f
        for f in (
            constant_pad_nd,
            angle,
            index_reduce,
            empty_strided,
            frombuffer,
            geqrf,
            split_with_sizes,
            native_layer_norm,
            native_batch_norm,
        )  # fmt: skip
    }
)
ALIASES["geqrf"] = with_out(geqrf)  # torch.geqrf(a, out=(a_out, tau_out))
ALIASES["orgqr"] = householder_product  # torch.orgqr is linalg.householder_product
ALIASES["arctan2"] = with_out(arctan2)
ALIASES["angle"] = with_out(angle)  # torch.angle(x, out=t)
ALIASES["index_reduce"] = with_out(index_reduce)


_index_reduce_ = inplace_method(index_reduce, None, "index_reduce")  # its node, as PyTorch's


# Tensor methods PyTorch also has for these functions
TENSOR_METHODS = {
    "angle": angle,
    "index_reduce": index_reduce,
    "index_reduce_": _index_reduce_,
    "hardshrink": F.hardshrink,
    "geqrf": geqrf,
    "orgqr": householder_product,
    "prelu": F.prelu,
}
