"""minitorch.nn.functional: the stateless forms of the layers (mirrors ``torch.nn.functional``).

Activations and losses are ops in ``minitorch.ops`` (activation.py, loss.py); this module
adds their ``inplace=`` forms and the functions that are compositions: dropout, one_hot,
pad, interpolate, normalize, bilinear. Convolution, pooling, normalization and attention
come from ``functional_conv``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._dtypes import CPP_NAMES, HALF_NP
from .._dtypes import scalar_type_name as _scalar_type_name
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import cpu_float32, lower_precision_function
from ..autograd.function import Op, name_node
from ..backends import on_host, to_backend
from ..backends.memory_order import draw_in_layout
from ..ops import activation as _A
from ..ops import elementwise as _E
from ..ops.activation import gelu, hardshrink, softplus, softshrink  # noqa: F401  (re-exported)
from ..ops.embedding import embedding  # noqa: F401
from ..ops.index import IndexAdd as _IndexAdd
from ..ops.index import IndexSelect as _IndexSelect
from ..ops.inplace import inplace as _inplace
from ..ops.linear import linear  # noqa: F401
from ..ops.loss import (  # noqa: F401
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from ..ops.nn import implicit_softmax_dim as _implicit_softmax_dim
from ..ops.nn import log_softmax as _log_softmax
from ..ops.nn import softmax as _softmax
from ..ops.products import cosine_similarity  # noqa: F401
from ..ops.random_fill import dropout_mask as _dropout_mask
from ..ops.reduce import wrap_dim as _wrap_dim
from ..ops.shape import pad as _constant_pad
from ..random import default_generator
from .functional_bag import embedding_bag  # noqa: F401
from .functional_conv import *  # noqa: F403  (conv, pooling, normalization, attention)
from .functional_conv import _check_memory_format, _suggested_layout
from .functional_ctc import ctc_loss  # noqa: F401
from .functional_fractional import *  # noqa: F403  (fractional max pooling)
from .functional_likelihood import *  # noqa: F403  (Poisson and Gaussian NLL losses)
from .functional_linear_ce import linear_cross_entropy  # noqa: F401
from .functional_metric import *  # noqa: F403  (distances, margin losses)
from .functional_sampling import *  # noqa: F403  (affine_grid, grid_sample)
from .functional_sampling import _fma
from .functional_variants import *  # noqa: F403  (*_with_indices pooling, pdist)

sigmoid = _E.sigmoid
tanh = _E.tanh


def _maybe_inplace(fn, input: Tensor, inplace: bool, *args, node: str = "", name: str = "") -> Tensor:  # fmt: skip
    """``fn(input, *args)``, or the same written into ``input`` (PyTorch's ``inplace=True``;
    ``node``: the name PyTorch's grad_fn of the in-place form has, e.g. ``EluBackward1``;
    ``name``: the op's in its errors, when not ``fn``'s)."""
    if inplace:
        before = input.grad_fn
        out = _inplace(input, fn, *args, name=name or fn.__name__.lstrip("_"))
        if node and out.grad_fn is not None and out.grad_fn is not before:
            out.grad_fn.torch_name = node
        return out
    return fn(input, *args)


# ---- activations ---------------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.relu``."""
    return input.relu_() if inplace else _E.relu(input)


def relu_(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.relu_``."""
    return input.relu_()


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Mirrors ``torch.nn.functional.rrelu``: negative values times a slope drawn from
    U(lower, upper) per element while training, times (lower + upper) / 2 otherwise."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    before = input.grad_fn
    out = _rrelu(input, lower, upper, training, inplace)
    if out.grad_fn is not None and out.grad_fn is not before:  # PyTorch's node, both modes
        out.grad_fn.torch_name = f"RreluWithNoiseBackward{int(inplace)}"
    return out


def _rrelu(input: Tensor, lower: float, upper: float, training: bool, inplace: bool) -> Tensor:
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    rng = default_generator(input.device).rng
    dt = input._data.dtype
    negative = input._data <= 0  # as PyTorch, a slope is drawn for these elements only
    noise = np.ones_like(input._data)
    work = np.float64 if dt == np.float64 else np.float32  # the bounds in PyTorch's opmath
    lo, hi = float(work(lower)), float(work(upper))
    u = rng.random(int(negative.sum()), dtype=np.float64)
    noise[negative] = u * (hi - lo) + lo  # unfused: PyTorch's scalar rrelu loop
    noise = _E.slope(input, noise.astype(dt, copy=False))  # in the graph of a create_graph
    return input.mul_(noise) if inplace else input * noise


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.relu6``: hardtanh(x, 0, 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.leaky_relu``."""
    if not inplace:
        return _A.leaky_relu(input, negative_slope)
    fn = _A.leaky_relu_in_place
    return _maybe_inplace(fn, input, True, negative_slope, node="LeakyReluBackward1", name="leaky_relu")  # fmt: skip


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.elu``."""
    if not inplace:
        return _A.elu(input, alpha)
    return _maybe_inplace(_A.elu_in_place, input, True, alpha, node="EluBackward1", name="elu")


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.selu``: scale * elu(x, alpha) with the self-normalising
    constants."""
    if inplace:
        fn = _A.elu_in_place
        return _maybe_inplace(fn, input, True, _SELU_ALPHA, _SELU_SCALE, node="EluBackward1", name="selu")  # fmt: skip
    return name_node(_selu(input), "EluBackward0", input)  # PyTorch's


def _selu(input: Tensor) -> Tensor:
    return _A.elu(input, _SELU_ALPHA) * _SELU_SCALE


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.celu``: alpha * elu(x / alpha)."""
    _A._not_integral(input, "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    if inplace:
        fn = _A.elu_in_place
        return _maybe_inplace(fn, input, True, alpha, 1.0, 1.0 / alpha, node="CeluBackward1", name="celu")  # fmt: skip
    return name_node(_celu(input, alpha), "CeluBackward0", input)


def _celu(input: Tensor, alpha: float) -> Tensor:
    return _A.elu(input / alpha, 1.0) * alpha


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """Mirrors ``torch.nn.functional.hardtanh``."""
    if min_val > max_val:  # before the in-place form's checks, as PyTorch's
        raise ValueError("min_val cannot be greater than max_val")
    return _maybe_inplace(_A.hardtanh, input, inplace, min_val, max_val)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.silu``."""
    return _maybe_inplace(_A.silu, input, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.mish``."""
    return _maybe_inplace(_A.mish, input, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.hardsigmoid``: relu6(x + 3) / 6."""
    _A._not_integral(input, "hardsigmoid_cpu")
    out = _maybe_inplace(_hardsigmoid, input, inplace)
    return name_node(out, "HardsigmoidBackward0", input)


def _hardsigmoid(input: Tensor) -> Tensor:
    return _A.Hardsigmoid.apply(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.hardswish``: x * relu6(x + 3) / 6."""
    _A._not_integral(input, "hardswish_cpu")
    return _maybe_inplace(_hardswish, input, inplace)


def _hardswish(input: Tensor) -> Tensor:
    if input._data.dtype in HALF_NP:  # PyTorch computes 16-bit floats in float32, rounds once
        return name_node(_hardswish(input.float()).to(input.dtype), "HardswishBackward0")
    # relu6(x + 3) / 6 as ops: the gradient in x's dtype's precision (hardsigmoid's is not)
    return name_node(input * (_A.hardtanh(input + 3.0, 0.0, 6.0) / 6.0), "HardswishBackward0")


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.elu_``."""
    return elu(input, alpha, True)


def selu_(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.selu_``."""
    return selu(input, True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.celu_``."""
    return celu(input, alpha, True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Mirrors ``torch.nn.functional.leaky_relu_``."""
    return leaky_relu(input, negative_slope, True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """Mirrors ``torch.nn.functional.hardtanh_``."""
    return hardtanh(input, min_val, max_val, True)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training=False):
    """Mirrors ``torch.nn.functional.rrelu_``."""
    return rrelu(input, lower, upper, training, True)


def logsigmoid(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.logsigmoid``: -softplus(-x), stable for any input."""
    _A._not_integral(input, "log_sigmoid_cpu")
    # 0 - softplus: PyTorch's min(x, 0) - log1p(exp(-|x|)) is +0 (not -0) for large x
    return name_node(0.0 - softplus(-input, 1.0, math.inf), "LogSigmoidBackward0")


def softsign(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.softsign``: x / (1 + |x|)."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.tanhshrink``: x - tanh(x)."""
    return input - input.tanh()


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.threshold``: x where x > threshold, else value (on an
    integer tensor both are truncated to integers first, so the dtype stays)."""
    if not input.dtype.is_floating_point:
        threshold, value = int(threshold), int(value)
    if inplace:
        return _maybe_inplace(
            _thresholded, input, True, threshold, value, node="ThresholdBackward1"
        )
    x = input._data
    if x.dtype.kind not in "fV":  # no gradient
        return _thresholded(input, threshold, value)
    out = _E.WhereSaving.apply(make_tensor(x <= threshold), x.dtype.type(value), input)
    return name_node(out, "ThresholdBackward0", input)  # it saves input, as PyTorch's


def _thresholded(input: Tensor, threshold, value) -> Tensor:
    return _E.where(input <= threshold, value, input)  # NaN passes, as PyTorch


_threshold = threshold  # threshold_'s argument named threshold hides the function


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """Mirrors ``torch.nn.functional.threshold_``."""
    return _threshold(input, threshold, value, True)


@lower_precision_function
def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """Mirrors ``torch.nn.functional.prelu``: x where x > 0, else weight * x (weight per
    channel, dimension 1)."""
    _check_prelu(input, weight)
    if input.ndim != weight.ndim:  # weight broadcast along dimension 1
        weight = weight.reshape(tuple(weight.numel() if d == 1 else 1 for d in range(input.ndim)))
    out = _E.WhereSaving.apply(make_tensor(input._data > 0), input, input * weight)
    return name_node(out, "PreluKernelBackward0")  # it saves input, as PyTorch's


def _check_prelu(input: Tensor, weight: Tensor) -> None:
    """PyTorch's checks of prelu's arguments, in its order."""
    x, w = input._data, weight._data
    if x.dtype != w.dtype:
        raise RuntimeError(
            "prelu: Type promoting not supported. Got "
            f"{_scalar_type_name(x.dtype)} and {_scalar_type_name(w.dtype)}"
        )
    if w.size != 1:
        if x.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = x.shape[1] if x.ndim > 1 else 1
        if channels != w.size:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                f"{w.size} and channel size = {channels}."
            )
    if w.ndim > 1:
        raise RuntimeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {w.ndim}"
        )
    if x.dtype.kind not in "fV":
        name = _scalar_type_name(x.dtype)
        raise NotImplementedError(f"\"prelu_{input.device.type}\" not implemented for '{name}'")


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Mirrors ``torch.nn.functional.glu``: a * sigmoid(b) for the two halves along ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = _wrap_dim(dim, input.ndim)
    if input.shape[dim] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim} is size {input.shape[dim]}"
        )
    if input._data.dtype.kind not in "fV":
        name = _scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"glu_{input.device.type}\" not implemented for '{name}'")
    if input._data.dtype in HALF_NP:  # computed in float32 and rounded once, as PyTorch's
        out = glu(input.float(), dim).to(input.dtype)
    else:
        a, b = input.chunk(2, dim)
        out = a * b.sigmoid()
    return name_node(out, "GluBackward0")


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """Mirrors ``torch.nn.functional.softmax`` (``_stacklevel``: where an implicit ``dim``
    warning points, as PyTorch's)."""
    if dim is None:
        dim = _implicit_softmax_dim("softmax", input.ndim, _stacklevel)
    return _softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """Mirrors ``torch.nn.functional.log_softmax`` (``_stacklevel``: as ``softmax``'s)."""
    if dim is None:
        dim = _implicit_softmax_dim("log_softmax", input.ndim, _stacklevel)
    return _log_softmax(input, dim, dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """Mirrors ``torch.nn.functional.softmin``: softmax(-x)."""
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input.ndim, _stacklevel)
    return _softmax(-input, dim, dtype)


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """Mirrors ``torch.nn.functional.gumbel_softmax``: softmax((logits + g) / tau) with
    Gumbel(0, 1) noise g from minitorch's generator; ``hard`` returns the one-hot argmax
    with the soft sample's gradient (straight-through)."""
    draw = make_tensor(np.empty_like(logits._data, order="C")).exponential_()  # logical order
    gumbels = make_tensor(-np.log(draw._data))
    y_soft = _softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.detach().argmax(dim, keepdim=True)
    y_hard = make_tensor(np.zeros_like(y_soft._data)).scatter(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


# ---- dropout -------------------------------------------------------------------------------
def _keep_mask(input: Tensor, p: float, shape: tuple | None):
    """The scaled keep-mask of dropout, from minitorch's seeded generator of input's device:
    of ``shape`` (a feature dropout's, drawn in its C order, as PyTorch's new noise tensor),
    or for None of input's shape, drawn in input's memory order (PyTorch's empty_like)."""
    if p == 1:
        return np.zeros_like(input._data, shape=shape)
    rng, dtype = default_generator(input.device).rng, input._data.dtype
    if dtype.kind in "biu":  # the scaled mask is float: PyTorch's cast error
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_scalar_type_name(dtype)}"
        )
    if shape is not None:
        return _dropout_mask(rng, shape, p, dtype)
    return draw_in_layout(input._data, lambda s: _dropout_mask(rng, s, p, dtype))


def _check_p(p: float) -> None:
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.dropout``: zeroes each element with probability ``p``
    and scales the rest by 1 / (1 - p); the identity when not ``training``."""
    _check_p(p)
    if not training or p == 0:
        return input
    mask = make_tensor(_keep_mask(input, p, None))
    return input.mul_(mask) if inplace else input * mask


def _check_feature_rank(input: Tensor, p: float, training: bool) -> None:
    """PyTorch's feature dropout refuses inputs of fewer than 2 dims when it draws a mask."""
    if training and 0 < p < 1 and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")


def _channel_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: int):
    _check_p(p)
    _check_feature_rank(input, p, training)
    if not training or p == 0:
        return input
    lead = input.shape[: input.ndim - batched] if input.ndim > batched else ()
    shape = tuple(lead) + (1,) * min(batched, input.ndim)
    mask = make_tensor(_keep_mask(input, p, shape))
    return input.mul_(mask) if inplace else input * mask


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors ``torch.nn.functional.dropout1d``: whole channels of (N, C, L) or (C, L)."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        )
    return _maybe_batched_dropout(input, p, training, inplace, 1)


def _maybe_batched_dropout(input: Tensor, p: float, training: bool, inplace: bool, dims: int):
    """PyTorch's dropout1d/dropout3d: an input of another rank than (N, C, ``dims`` spatial)
    runs as a batch of one (its dim 0 the channels), so the result is a new view
    (SqueezeBackward1) even when nothing is dropped."""
    if input.ndim == dims + 2:
        return _channel_dropout(input, p, training, inplace, dims)
    if inplace:  # in place on the input's view, also in eval mode (a leaf is refused)
        input.unsqueeze_(0)
        return _channel_dropout(input, p, training, True, input.ndim - 2).squeeze_(0)
    return _channel_dropout(input.unsqueeze(0), p, training, False, input.ndim - 1).squeeze(0)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors ``torch.nn.functional.dropout2d``: whole channels of (N, C, H, W). Other
    ranks warn and, as in PyTorch, drop per (dim 0, dim 1) entry: a 3-D input is (N, C, L)."""
    _check_p(p)  # before the warnings, as PyTorch's
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _channel_dropout(input, p, training, inplace, max(input.ndim - 2, 0))


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors ``torch.nn.functional.dropout3d``: whole channels of (N, C, D, H, W); other
    ranks warn and, as in PyTorch, run as a batch of one."""
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout3d "
            "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    return _maybe_batched_dropout(input, p, training, inplace, 3)


_ALPHA = _SELU_ALPHA * _SELU_SCALE  # SELU's negative saturation value, -alpha'


def _alpha_dropout(input: Tensor, p: float, training: bool, inplace: bool, shape) -> Tensor:
    """Dropout that sets dropped values to SELU's saturation -alpha' and then applies the
    affine map that keeps zero mean and unit variance (PyTorch's formula); ``shape``: the
    feature noise's, or None for a mask of the input's shape and layout."""
    _check_p(p)
    if not training or p == 0:
        return input
    if p == 1:
        return input.mul_(0.0) if inplace else input * 0.0
    dt = input._data.dtype
    keep = (_keep_mask(input, p, shape) != 0).astype(dt)  # 0 or 1
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    # PyTorch's steps on the mask, in its dtype with the numbers rounded to it
    shift = make_tensor((keep - 1) * dt.type(_ALPHA * a) + dt.type(_ALPHA * a * p))
    scale = make_tensor(keep * dt.type(a))
    return input.mul_(scale).add_(shift) if inplace else input * scale + shift


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False):
    """Mirrors ``torch.nn.functional.alpha_dropout`` (for SELU networks)."""
    return _alpha_dropout(input, p, training, inplace, None)


def feature_alpha_dropout(
    input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Tensor:
    """Mirrors ``torch.nn.functional.feature_alpha_dropout``: alpha dropout of whole channels."""
    _check_p(p)
    _check_feature_rank(input, p, training)
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    return _alpha_dropout(input, p, training, inplace, shape)


# ---- linear, bilinear, embedding helpers -------------------------------------------------------
def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Mirrors ``torch.nn.functional.bilinear``: ``y_k = x1 @ W_k @ x2 + b_k``."""
    named = [("input1", input1), ("input2", input2), ("weight", weight)]
    if bias is not None:
        named.append(("bias", bias))
    if len({t._data.dtype for _, t in named}) > 1:
        got = ", ".join(f"{n}: {CPP_NAMES[t._data.dtype.name][0]}" for n, t in named)
        raise RuntimeError(f"All tensors must have the same dtype, got {got}")
    out_f, in1, in2 = weight.shape
    if input1.shape[-1] != in1 or input2.shape[-1] != in2:
        raise RuntimeError(
            f"bilinear: input1 last dim {input1.shape[-1]} and input2 last dim "
            f"{input2.shape[-1]} must match weight {list(weight.shape)} (out, in1, in2)"
        )
    # (..., in1) @ (in1, out*in2) -> (..., out, in2), then contract in2 with x2
    w = weight.permute(1, 0, 2).reshape(in1, out_f * in2)
    t = (input1 @ w).unflatten(-1, (out_f, in2))
    out = (t @ input2.unsqueeze(-1)).squeeze(-1)  # a product keeps int32 (a sum gives int64)
    if out.dtype != input1.dtype:  # autocast: PyTorch's products round to its dtype, the
        out = out.to(input1.dtype)  # result keeps the inputs'
    return out if bias is None else out + bias


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Mirrors ``torch.nn.functional.one_hot``: int64 indicators along a new last dim."""
    idx = tensor._data
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if idx.size == 0 and num_classes <= 0:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    checked = idx.size and on_host(idx)  # a device's indices are not read back (PyTorch's
    if checked and idx.min() < 0:  # CUDA path leaves them to a device assert)
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:  # (a read of the device's max, as PyTorch's)
        num_classes = int(idx.max()) + 1 if idx.size else 0
    elif checked and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = idx[..., None] == to_backend(np.arange(num_classes), idx)
    return make_tensor(out.astype(np.int64))


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """Mirrors ``torch.nn.functional.normalize``: x / max(||x||_p along dim, eps), written
    into ``out`` when given (as ``torch.div``'s out=)."""
    norm = input.norm(p, dim, keepdim=True).clamp(min=eps)
    if out is None:
        return input / norm
    from .. import div  # noqa: PLC0415 (the package's div and its out= checks)

    return div(input, norm.expand_as(input), out=out)


# ---- pad and interpolate -------------------------------------------------------------------
def _pad_indices(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Source indices along one dimension for reflect / replicate / circular padding (a
    negative amount crops)."""
    i = np.arange(-lo, n + hi)
    if mode == "reflect":
        i = np.abs(i)
        i = np.where(i > n - 1, 2 * (n - 1) - i, i)
    elif mode == "replicate":
        i = np.clip(i, 0, n - 1)
    else:  # circular: wraps around what is left after cropping, as PyTorch's
        body = np.arange(max(-lo, 0), n - max(-hi, 0))
        if not len(body):  # all cropped: PyTorch's result is uninitialized memory
            return np.zeros(n + lo + hi, np.int64)
        i = body[np.arange(-max(lo, 0), len(body) + max(hi, 0)) % len(body)]
    return i.astype(np.int64)


class _PadGather(_IndexSelect):
    """index_select for reflect / replicate padding: under create_graph its gradient stays in
    the graph of the input with a zero gradient, as PyTorch's Reflection/ReplicationPadNd
    backward (a second-order gradient of the input is zeros, not None)."""

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.save_for_backward(a)
        return _IndexSelect.forward(ctx, a, dim, index)

    @staticmethod
    def backward(ctx, g):
        shape, dim, index = ctx.args
        zeros = _E.slope(ctx.saved_tensors[0], np.zeros_like(g._data, shape=shape))
        return _IndexAdd.apply(zeros, dim, make_tensor(index), g), None, None


class _KeptSize(Op):
    """An antialiased resize along ``dim`` of unchanged size: PyTorch's forward kernel copies
    the input, its backward kernel still applies the filter ``w`` (in, out)."""

    @staticmethod
    def forward(ctx, x, w, dim):
        ctx.dim = dim
        ctx.save_for_backward(w)
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        return (g.movedim(ctx.dim, -1) @ w.T).movedim(-1, ctx.dim), None, None


def _check_padded_size(input: Tensor, pad, pairs: int, mode: str) -> None:
    """PyTorch's refusals of negative pads that leave too little: an empty (1-d reflect or
    replicate) or negative output size."""
    shape = list(input.shape)
    for i in range(pairs):
        shape[-1 - i] += pad[2 * i] + pad[2 * i + 1]
    n, out = input.shape[-1], shape[-1]
    if mode == "circular":
        if min(shape) < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    elif pairs == 1 and out < 1:
        raise RuntimeError(f"input (W: {n}) is too small. Calculated output W: {out}")
    elif min(shape) < 0:
        d = next(v for v in shape if v < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {d}: {shape}")


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Mirrors ``torch.nn.functional.pad``: ``pad`` lists (before, after) amounts from the
    last dimension backwards; modes 'constant', 'reflect', 'replicate', 'circular'."""
    if mode == "constant":
        return name_node(
            _constant_pad(input, pad, "constant", value), "ConstantPadNdBackward0", input
        )
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(
            f"pad: unknown padding mode {mode!r}; use constant, reflect, replicate or circular"
        )
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {input.ndim}"
        )
    if value:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if mode != "circular":  # reflection/replication_pad on PyTorch's CPU autocast float32 list
        input = cpu_float32(input)
    pairs = len(pad) // 2
    if not (1 <= pairs <= 3 and pairs + 1 <= input.ndim <= pairs + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    kind = {"reflect": "Reflection", "replicate": "Replication"}.get(mode)
    if kind and 0 in input.shape[int(input.ndim == pairs + 2) :]:  # only the batch may be empty
        raise RuntimeError(
            f"Expected {pairs + 1}D or {pairs + 2}D (batch mode) tensor with possibly 0 batch size "
            f"and other non-zero dimensions for input, but got: {list(input.shape)}"
        )
    _check_padded_size(input, pad, pairs, mode)
    out = input
    for i in range(pairs):
        dim = input.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = input.shape[dim]
        limit = {"reflect": n - 1, "circular": n}.get(mode)
        if limit is not None and (lo > limit or hi > limit):
            if mode == "circular":
                raise RuntimeError("Padding value causes wrapping around more than once.")
            raise RuntimeError(
                f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding "
                f"input dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input "
                f"{list(input.shape)}"
            )
        if lo or hi:
            index = to_backend(_pad_indices(n, lo, hi, mode), input._data)
            gather = _PadGather.apply if kind else _IndexSelect.apply
            out = gather(out, dim, index)
    if not kind:
        return out
    # PyTorch's kernels keep a 4-d (5-d) channels_last input's layout, whatever the pad's rank
    out = _suggested_layout(input, out, input.ndim - 2)
    return name_node(out, f"{kind}Pad{pairs}DBackward0", input)


def _resize_source(
    in_size: int, out_size: int, scale, mode: str, align_corners, dtype=np.float32, image=False
) -> tuple:
    """For one dimension: the source positions of the output's pixels, in ``dtype`` (PyTorch's
    opmath: float32 but for float64 inputs). ``image``: of a 2-D resize, whose nearest kernel
    copies a dimension of unchanged size and halves the indices of a doubled one."""
    if mode == "nearest" and image and out_size in (in_size, 2 * in_size):  # whatever the
        return np.arange(out_size) // (out_size // in_size)  # scale
    if mode in ("nearest", "nearest-exact"):  # PyTorch computes these indices in float32
        dst = np.arange(out_size, dtype=np.float32)
        step = np.float32(1 / scale if scale else in_size / out_size)
        offset = np.float32(0.5 if mode == "nearest-exact" else 0.0)
        src = np.floor((dst + offset) * step)
        return np.minimum(src, in_size - 1).astype(np.int64)
    dst = np.arange(out_size, dtype=dtype)
    if in_size == out_size and mode != "bicubic":  # PyTorch's linear kernels copy, whatever
        return dst  # the scale
    if align_corners:
        step = dtype(in_size - 1) / dtype(out_size - 1) if out_size > 1 else dtype(0)
        return dst * step
    step = dtype(1 / scale) if scale else dtype(in_size) / dtype(out_size)
    # step * (dst + 1/2) - 1/2 rounded once: the fused multiply-add of PyTorch's compiled kernel
    src = (np.float64(step) * (dst + dtype(0.5)) - 0.5).astype(dtype)
    return src if mode == "bicubic" else np.maximum(src, dtype(0))  # cubic is not clamped


def _linear_taps(src, in_size: int) -> tuple:
    """Linear interpolation along one dimension: the two source indices of each output pixel
    (the upper one clamped to the edge) and their weights."""
    lo = np.floor(src)
    frac = src - lo
    return (lo.astype(np.int64), np.minimum(lo + 1, in_size - 1).astype(np.int64)), (1 - frac, frac)


def _cubic_taps(src, in_size: int) -> tuple:
    """Bicubic interpolation (PyTorch's cubic convolution, A = -0.75) along one dimension:
    the four source indices of each output pixel (clamped to the edge) and their weights,
    in float32 with the fused multiply-adds of PyTorch's compiled kernel."""
    base = np.floor(src)
    t = src - base
    A = -0.75
    fused = src.dtype == np.float32

    def fma(a, b, c):
        return (a.astype(np.float64) * b + c).astype(np.float32) if fused else a * b + c

    def near(x):  # |x| <= 1
        return fma(x, A + 2, -(A + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return fma(fma(x, A, -5 * A), x, 8 * A) * x - 4 * A

    opposite = 1 - t
    weights = (far(t + 1), near(t), near(opposite), far(opposite + 1))
    taps = tuple(np.clip(base + k, 0, in_size - 1).astype(np.int64) for k in (-1, 0, 1, 2))
    return taps, weights


def _antialias_weights(in_size: int, out_size: int, scale, align_corners, cubic: bool, dtype):
    """PyTorch's antialiased resampling along one dimension as an (out, in) matrix in
    ``dtype`` (its opmath, with its kernel's float64 steps): the triangle (bilinear) or
    a = -0.5 cubic (bicubic) filter, widened by the downscale factor, cut to the taps PyTorch
    visits and normalised to sum to 1 per output pixel."""
    if align_corners:
        s = dtype(in_size - 1) / dtype(out_size - 1) if out_size > 1 else dtype(0)
    else:
        s = dtype(1 / scale) if scale else dtype(in_size) / dtype(out_size)
    support = dtype(2.0 if cubic else 1.0) * max(s, dtype(1))
    center = (np.float64(s) * (np.arange(out_size) + 0.5)).astype(dtype)
    first = np.maximum(np.trunc(center - support + dtype(0.5)), 0)[:, None]
    stop = np.minimum(np.trunc(center + support + dtype(0.5)), in_size)[:, None]
    j = np.arange(in_size, dtype=dtype)
    shrink = np.float64(dtype(1 / np.float64(s))) if s >= 1 else 1.0
    x = np.abs(((j - center[:, None]).astype(np.float64) + 0.5) * shrink).astype(dtype)
    if cubic:
        a = -0.5
        near = ((a + 2) * x - (a + 3)) * x * x + 1
        far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
        w = np.where(x < 1, near, np.where(x < 2, far, dtype(0)))
    else:
        w = np.maximum(dtype(0), 1 - x)
    w = np.where((j >= first) & (j < stop), w, dtype(0))
    total = w.sum(1, keepdims=True)
    return w / np.where(total == 0, dtype(1), total)


def _fixed_point_weights(in_size: int, out_size: int, scale, align_corners, cubic, antialias):
    """PyTorch's uint8 resampling along one dimension (its separable kernel, AVX2 or not) as an
    (out, in) float64 matrix: its float64 weights (the antialias filter, or the taps clamped to
    the edge) rounded to int16 at the most precision bits that keep the largest below 2^15,
    scaled back (sums of them stay exact)."""
    if antialias:
        w = _antialias_weights(in_size, out_size, scale, align_corners, cubic, np.float64)
    else:
        mode = "bicubic" if cubic else "bilinear"
        src = _resize_source(in_size, out_size, scale, mode, align_corners, np.float64)
        taps, weights = (_cubic_taps if cubic else _linear_taps)(src, in_size)
        w = np.zeros((out_size, in_size))
        for k, wk in zip(taps, weights):
            np.add.at(w, (np.arange(out_size), k), wk)
    bits = 0
    while bits < 22 and int(0.5 + w.max() * 2.0 ** (bits + 1)) < 2**15:
        bits += 1
    return np.trunc(w * 2.0**bits + np.where(w < 0, -0.5, 0.5)) / 2.0**bits


def _band(w) -> tuple:
    """A banded (out, in) matrix as its taps: per column k of the band, the input index of
    each output pixel and its weight (0 past the band's end)."""
    nonzero = w != 0
    first = nonzero.argmax(1)
    last = w.shape[1] - 1 - nonzero[:, ::-1].argmax(1)
    index = first[:, None] + np.arange(max(int((last - first).max()) + 1, 1))
    inside = index < w.shape[1]
    index = np.minimum(index, w.shape[1] - 1)
    weights = np.where(inside, np.take_along_axis(w, index, 1), 0.0)
    return tuple(index.T), tuple(weights.T)


_LINEAR_MODES = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}


def _check_spatial_length(value, in_sizes, spatial: int, what: str, shown: str, k: str):
    """PyTorch's error for a size or scale_factor sequence of the wrong length."""
    if isinstance(value, (list, tuple)) and len(value) != spatial:
        raise ValueError(
            f"Input and {what.split()[0]} must have the same number of spatial dimensions, but "
            f"got input with spatial dimensions of {list(in_sizes)} and {shown} {value}. Please "
            f"provide input tensor in (N, C, d1, d2, ...,dK) format and {what} in ({k}1, {k}2, "
            f"...,{k}K) format."
        )


def _check_interpolate_mode(ndim: int, mode: str, antialias: bool, align_corners) -> None:
    """PyTorch's errors for a mode that does not fit the input's rank, in its order."""
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and ndim == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and "
            "requires a 4-D tensor as input"
        )
    if mode == "lanczos" and ndim == 4:
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
        raise NotImplementedError("interpolate: mode 'lanczos' is not supported")
    if mode in ("nearest", "nearest-exact", "area") and 3 <= ndim <= 5:
        return
    needs = _LINEAR_MODES[mode] + 2 if mode in _LINEAR_MODES else None
    if needs == ndim:
        return
    if mode in ("linear", "bilinear", "trilinear") and 3 <= ndim <= 5:
        raise NotImplementedError(f"Got {ndim}D input, but {mode} mode needs {needs}D input")
    raise NotImplementedError(
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {ndim}D) for the modes: "
        "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
        f"(got {mode})"
    )


def interpolate(
    input: Tensor,
    size=None,
    scale_factor=None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Mirrors ``torch.nn.functional.interpolate`` for modes 'nearest', 'nearest-exact',
    'linear', 'bilinear', 'bicubic' and 'trilinear' (separable: gathers per spatial
    dimension; with ``antialias``, a filter matrix per dimension) and 'area' (adaptive
    average pooling to the output size)."""
    spatial = input.ndim - 2
    if mode in ("nearest", "nearest-exact", "area") and align_corners is not None:
        raise ValueError(
            "align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear"
        )
    if (size is None) == (scale_factor is None):
        raise ValueError(
            "only one of size or scale_factor should be defined"
            if size is not None
            else "either size or scale_factor should be defined"
        )
    in_sizes = input.shape[2:]
    if size is not None:
        _check_spatial_length(size, in_sizes, spatial, "output size", "output size of", "o")
        sizes = [size] * spatial if isinstance(size, int) else list(size)
        scales = [None] * spatial
    else:
        _check_spatial_length(
            scale_factor, in_sizes, spatial, "scale_factor", "scale_factor of shape", "s"
        )
        factors = (
            [scale_factor] * spatial if isinstance(scale_factor, (int, float)) else scale_factor
        )
        sizes = [int(math.floor(n * f)) for n, f in zip(in_sizes, factors)]
        scales = [None if recompute_scale_factor else float(f) for f in factors]
    _check_interpolate_mode(input.ndim, mode, antialias, align_corners)
    if mode != "area" and 0 in (*in_sizes, *sizes):  # adaptive pooling allows empty outputs
        inp, outp = (", ".join(f"{c}: {d}" for c, d in zip("DHW"[3 - spatial :], dims))
                     for dims in (in_sizes, sizes))  # fmt: skip
        raise RuntimeError(
            "Input and output sizes should be greater than 0, but got input "
            f"({inp}){' and' if spatial == 1 else ''} output ({outp})"
        )
    if mode == "area":
        pool = (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[spatial - 1]  # noqa: F405
        return pool(input, sizes)
    passes = list(enumerate(zip(in_sizes, sizes, scales)))
    nearest = mode in ("nearest", "nearest-exact")
    if input._data.dtype.kind in "biu":
        _check_integer_interpolation(input, mode, antialias)
    if antialias and input._data.dtype in HALF_NP:  # PyTorch's antialias has no 16-bit kernel
        name = _scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"compute_index_ranges_weights\" not implemented for '{name}'")
    image = not nearest and input._data.dtype.kind in "biu"
    if image or (mode == "bicubic" and not antialias):  # PyTorch's kernels: last dim first
        passes = passes[::-1]
    if image:  # uint8 images: PyTorch's separable kernel rounds after each pass
        # its integer sums stay exact: below 2^24 units in float32 with its few taps of 14-15
        # precision bits, not with the up to 22 bits of its antialias filter
        out = input.double() if antialias else input.float()
    elif mode not in ("nearest", "nearest-exact") and input._data.dtype in HALF_NP:
        out = input.float()  # PyTorch interpolates 16-bit floats in float32, rounds once
    else:
        out = input
    for i, (n, o, s) in passes:
        if image and i != passes[0][0]:
            out = out.add(0.5).floor_().clamp_(0, 255)
        dim = 2 + i
        # PyTorch's opmath: float32 but for float64 (and its uint8 kernel's float64 weights)
        opmath = np.float64 if out._data.dtype == np.float64 else np.float32
        src = _resize_source(n, o, s, mode, align_corners, opmath, spatial == 2)
        if mode in ("nearest", "nearest-exact"):
            out = out.index_select(dim, make_tensor(to_backend(src, input._data)))
            continue
        frac_shape = (o,) + (1,) * (input.ndim - 1 - dim)
        if image and not antialias:  # a few taps per pixel: gathers beat a dense product
            w = _fixed_point_weights(n, o, s, align_corners, mode == "bicubic", False)
            parts = [
                out.index_select(dim, make_tensor(to_backend(k, input._data)))
                * make_tensor(to_backend(wk.astype(np.float32).reshape(frac_shape), input._data))
                for k, wk in zip(*_band(w))
            ]
            out = sum(parts[1:], parts[0])
            continue
        if antialias:
            if image:
                w = _fixed_point_weights(n, o, s, align_corners, mode == "bicubic", True)
            else:
                w = _antialias_weights(n, o, s, align_corners, mode == "bicubic", opmath)
            w = make_tensor(to_backend(w.T.astype(out._data.dtype), input._data))
            if n == o:  # PyTorch's separable kernel leaves the dimension as it is
                out = _KeptSize.apply(out, w, dim)
                continue
            out = (out.movedim(dim, -1) @ w).movedim(-1, dim)
            continue
        if mode != "bicubic":
            (lo, hi), (_, frac) = _linear_taps(src, n)
            frac = make_tensor(
                to_backend(frac.astype(out._data.dtype).reshape(frac_shape), input._data)
            )
            a = out.index_select(dim, make_tensor(to_backend(lo, input._data)))
            b = out.index_select(dim, make_tensor(to_backend(hi, input._data)))
            out = a + (b - a) * frac
            continue
        taps, weights = _cubic_taps(src, n)
        if input._data.dtype in HALF_NP:  # PyTorch stores the weights in the input's dtype
            weights = [w.astype(input._data.dtype) for w in weights]
        parts = [out.index_select(dim, make_tensor(to_backend(k, input._data))) for k in taps]
        w = [
            make_tensor(to_backend(w.astype(out._data.dtype).reshape(frac_shape), input._data))
            for w in weights
        ]
        # its compiled sum: the first product fused into the second, each later one into the sum
        fused = opmath == np.float32
        out = _fma(parts[0], w[0], parts[1] * w[1], fused)
        out = _fma(parts[3], w[3], _fma(parts[2], w[2], out, fused), fused)
    if image:
        out = out.add(0.5).floor_().clamp_(0, 255).to(input.dtype)
        return _suggested_layout(input, out, spatial)  # (as PyTorch's kernels: channels_last)
    out = _suggested_layout(input, out.to(input.dtype), spatial)
    kernel = _UPSAMPLE_KERNELS[mode].format(spatial) + ("Aa" if antialias else "")
    return name_node(out, f"Upsample{kernel}Backward0", input)


_UPSAMPLE_KERNELS = {  # PyTorch's grad_fn of interpolate: Upsample<kernel>Backward0
    "nearest": "Nearest{}D",
    "nearest-exact": "NearestExact{}D",
    "linear": "Linear1D",
    "bilinear": "Bilinear2D",
    "bicubic": "Bicubic2D",
    "trilinear": "Trilinear3D",
}


def _check_integer_interpolation(input: Tensor, mode: str, antialias: bool) -> None:
    """PyTorch interpolates integer tensors only as uint8 images (nearest, bilinear, bicubic)."""
    if input._data.dtype == np.uint8 and mode in ("nearest", "nearest-exact", "bilinear",
                                                  "bicubic"):  # fmt: skip
        return
    if mode in ("nearest", "nearest-exact"):
        kernel = (
            "upsample_nearest2d_channels_last"
            if input.ndim == 4
            else "compute_indices_weights_nearest"
        )
    elif antialias and mode in ("bilinear", "bicubic"):
        kernel = "compute_index_ranges_weights"
    elif mode == "bilinear":
        kernel = "upsample_bilinear2d_channels_last"
    else:
        kernel = (
            "compute_indices_weights_cubic"
            if mode == "bicubic"
            else "compute_indices_weights_linear"
        )
    raise NotImplementedError(
        f"\"{kernel}\" not implemented for '{_scalar_type_name(input._data.dtype)}'"
    )


def _check_rank3(op: str, input: Tensor, factor: int) -> None:
    """PyTorch's pixel_(un)shuffle checks of the input's rank and the factor's sign."""
    if input.ndim < 3:
        raise RuntimeError(
            f"{op} expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)"
        )
    if factor <= 0:
        kind = "upscale" if op == "pixel_shuffle" else "downscale"
        raise RuntimeError(f"{op} expects a positive {kind}_factor, but got {factor}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Mirrors ``torch.nn.functional.pixel_shuffle``: (*, C r^2, H, W) -> (*, C, H r, W r)."""
    r = upscale_factor
    _check_rank3("pixel_shuffle", input, r)
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(
            f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
            f"square of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}"
        )
    _check_memory_format(input, 5, "ChannelsLast")
    n = len(lead)
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    out = _suggested_layout(input, x.reshape(*lead, c // (r * r), h * r, w * r), 2)
    return name_node(out, "PixelShuffleBackward0")


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Mirrors ``torch.nn.functional.pixel_unshuffle``: (*, C, H r, W r) -> (*, C r^2, H, W)."""
    r = downscale_factor
    _check_rank3("pixel_unshuffle", input, r)
    *lead, c, h, w = input.shape
    for name, dim, size in (("height", -2, h), ("width", -1, w)):
        if size % r:
            raise RuntimeError(
                f"pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                f"input.size({dim})={size} is not divisible by {r}"
            )
    _check_memory_format(input, 5, "ChannelsLast")
    if input.numel() == 0:  # PyTorch's CPU kernel returns a copy of an empty input as it is
        return name_node(input.clone(), "PixelUnshuffleBackward0")
    n = len(lead)
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    out = _suggested_layout(input, x.reshape(*lead, c * r * r, h // r, w // r), 2)
    return name_node(out, "PixelUnshuffleBackward0")


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Mirrors ``torch.nn.functional.channel_shuffle`` (ShuffleNet): (N, g * k, ...) viewed as
    (N, g, k, ...) -> (N, k, g, ...) -> (N, g * k, ...)."""
    shape = input._data.shape
    if len(shape) <= 2:
        raise RuntimeError(
            f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(shape)}"
        )
    if groups <= 0:
        raise RuntimeError(
            f"Number of groups to divide channels in must be positive. Value of groups:{groups}"
        )
    n, c, *rest = shape
    if c % groups:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups."
        )
    # PyTorch's CPU kernel keeps a 4-d (5-d) channels_last input's layout
    out = _suggested_layout(input, ChannelShuffle.apply(input, groups), input.ndim - 2)
    return name_node(out, "ChannelShuffleBackward0")


class ChannelShuffle(Op):
    """Channels (N, g * k, ...) regrouped as (N, k * g, ...); backward shuffles back (k groups)."""

    @staticmethod
    def forward(ctx, a, groups):
        n, c, *rest = a.shape
        ctx.back = c // groups
        return a.reshape(n, groups, c // groups, *rest).swapaxes(1, 2).reshape(a.shape)

    @staticmethod
    def backward(ctx, g):
        return ChannelShuffle.apply(g, ctx.back), None


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Mirrors ``torch.nn.functional.native_channel_shuffle`` (``torch.native_channel_shuffle``:
    no derivative)."""
    from ..ops.extra_api import native_channel_shuffle as shuffle  # noqa: PLC0415 (a cycle)

    return shuffle(input, groups)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Mirrors the deprecated ``torch.nn.functional.upsample`` (= interpolate)."""
    warnings.warn(
        "`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode, align_corners)


def _warn_deprecated_upsample(name: str) -> None:
    msg = f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead."
    warnings.warn(msg, stacklevel=3)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Mirrors the deprecated ``torch.nn.functional.upsample_nearest`` (= interpolate with
    mode 'nearest'), with PyTorch's UserWarning."""
    _warn_deprecated_upsample("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Mirrors the deprecated ``torch.nn.functional.upsample_bilinear`` (= interpolate with
    mode 'bilinear', align_corners=True), with PyTorch's UserWarning."""
    _warn_deprecated_upsample("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
