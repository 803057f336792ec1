"""Names PyTorch also exposes at the top level (``torch.conv2d``, ``torch.relu_``,
``torch.hann_window``, ``torch.range``...): aliases of the functional forms, the in-place
functions as calls of the Tensor methods, and the signal windows."""

from __future__ import annotations

import math
import warnings

import numpy as np

from . import _dtypes
from ._tensor import Tensor
from .factories import arange, tensor
from .nn import functional as F

# torch.<name> takes the same positional arguments as torch.nn.functional.<name>
_SAME_AS_FUNCTIONAL = (
    "conv1d conv2d conv3d conv_transpose1d conv_transpose2d avg_pool1d max_pool1d max_pool2d "
    "max_pool3d adaptive_avg_pool1d adaptive_max_pool1d pixel_shuffle pixel_unshuffle celu "
    "selu prelu rrelu threshold hardshrink dropout alpha_dropout feature_alpha_dropout "
    "layer_norm group_norm instance_norm rms_norm bilinear channel_shuffle"
).split()

# torch.<name>_(input, ...) is input.<name>_(...)
_INPLACE_METHODS = (
    "abs_ acos_ acosh_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ "
    "atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ erf_ erfc_ exp2_ exp_ "
    "expm1_ fix_ floor_ frac_ gcd_ i0_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ "
    "neg_ negative_ rad2deg_ reciprocal_ relu_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_ "
    "square_ tan_ tanh_ trunc_ xlogy_ zero_ fill_ detach_ resize_as_ index_put_ addmv_"
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
    """Mirrors ``torch.fill``: a new tensor like ``input`` holding ``value``."""
    return input.clone().detach().fill_(value)


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
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", None) else f"{module}.{name}"


def range(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:  # noqa: A001
    """Mirrors the deprecated ``torch.range``: like ``arange`` but the end is included,
    and the result is floating point by default."""
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its "
        "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
        "which produces values in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    if end is None:
        start, end = 0, start
    count = int(math.floor((end - start) / step)) + 1
    return arange(
        start,
        start + (count - 0.5) * step if count > 0 else start,
        step,
        dtype=dtype or _dtypes.get_default_dtype(),
        device=device,
        requires_grad=requires_grad,
    )


def _window(name: str, symmetric, window_length: int, periodic: bool, dtype, device, requires_grad):
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
