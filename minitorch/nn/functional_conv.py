"""Functional forms of convolution, pooling, normalization and attention (mirrors the
corresponding parts of ``torch.nn.functional``; ``minitorch.nn.functional`` re-exports them).

Arguments are checked and normalised here; the math is in ``minitorch/ops/conv.py`` and
``minitorch/ops/norm.py``. 1-D ops run as 2-D ops on a height-1 view.
"""

from __future__ import annotations

import math
import warnings

import ml_dtypes
import numpy as np

from .. import factories, ops
from .._dtypes import BF16_NP, HALF_NP, float32, from_numpy_dtype, promote_types, scalar_type_name
from .._memory_format import channels_last, channels_last_3d
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import (
    autocast,
    cast_dtype,
    cpu_float32_function,
    lower_precision_function,
    will_cast,
)
from ..autograd.function import name_node
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..backends import device_of, get_backend, on_host, same_device_error, to_backend
from ..backends.memory_order import is_channels_last, strides_like_channels_last
from ..ops import conv as C
from ..ops.attention import attention, attention_reference, scores_dtype
from ..ops.index import check_fill_value
from ..ops.linear import linear
from ..ops.norm import normalize, rounded
from ..ops.random_fill import dropout_mask
from ..ops.shape import _mismatch
from ..random import default_generator

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "group_norm",
    "instance_norm",
    "layer_norm",
    "local_response_norm",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "multi_head_attention_forward",
    "rms_norm",
    "scaled_dot_product_attention",
    "unfold",
]


# ---- argument helpers --------------------------------------------------------------------------
def _conv_tuple(v, n: int, name: str) -> tuple:
    """``_tuple`` with PyTorch's convolution error for a wrong count of values."""
    if not isinstance(v, (int, np.integer)) and len(v) not in (1, n):
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the "
            f"convolution dimensions, but got {name}={list(v)}"
        )
    return _tuple(v, n, name)


def _tuple(v, n: int, name: str) -> tuple:
    """An int or a sequence of n ints -> a tuple of n ints."""
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    v = tuple(int(a) for a in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {v}")
    return v


_DIMS_1D = "Expected 2 to 3 dimensions, but got {nd}-dimensional tensor for argument #1 'self' "
_RANK_ERRORS = {  # PyTorch's words for the pools and fold/unfold, which differ op to op
    "fold": "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
    "non-zero dimensions for input, but got: {shape}",
    "unfold": "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
    "non-zero dimensions for input, but got: {shape}",
    "max_pool1d": "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch "
    "size for input, but got:{shape}",
    "max_pool1d_with_indices": _DIMS_1D + "(while checking arguments for max_pool1d)",
    "max_pool2d": "non-empty 3D or 4D (batch mode) tensor expected for input",
    "max_pool3d": "non-empty 4D or 5D (batch mode) tensor expected for input",
    "avg_pool1d": _DIMS_1D + "(while checking arguments for avg_pool1d)",
    "avg_pool2d": "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for "
    "input, but got:{shape}",
    "avg_pool3d": "non-empty 4D or 5D (batch mode) tensor expected for input",
    "adaptive_avg_pool1d": _DIMS_1D + "(while checking arguments for adaptive_avg_pool1d)",
    "adaptive_max_pool1d": _DIMS_1D + "(while checking arguments for adaptive_max_pool1d)",
    "adaptive_avg_pool2d": "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {shape}",
    "adaptive_max_pool2d": "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {shape}",
    "adaptive_avg_pool3d": "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got {shape}",
    "adaptive_max_pool3d": "adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: {shape}",
}


def _floats(dt) -> bool:
    return dt.kind in "fV"


def _floats_and_long(dt) -> bool:
    return dt.kind in "fV" or dt == np.int64


def _not_bool(dt) -> bool:
    return dt.kind != "b"


_POOL_DTYPES = {  # op -> (the dtypes PyTorch's CPU kernel takes, the kernel's name)
    "max_pool1d": (_floats, "max_pool1d_impl"),
    "max_pool1d_with_indices": (_not_bool, "max_pool2d"),
    "max_pool2d": (_not_bool, "max_pool2d"),
    "max_pool3d": (_not_bool, "max_pool3d"),
    "avg_pool1d": (_floats_and_long, "avg_pool2d"),
    "avg_pool2d": (_floats_and_long, "avg_pool2d"),
    "avg_pool3d": (_floats_and_long, "avg_pool3d"),
    "adaptive_avg_pool1d": (_floats, "adaptive_avg_pool2d"),
    "adaptive_avg_pool2d": (_floats, "adaptive_avg_pool2d"),
    "adaptive_avg_pool3d": (_floats, "adaptive_avg_pool3d_cpu"),
    "adaptive_max_pool1d": (_floats, "adaptive_max_pool2d"),
    "adaptive_max_pool2d": (_floats, "adaptive_max_pool2d"),
    "adaptive_max_pool3d": (_floats, "adaptive_max_pool3d_cpu"),
}


def _batched(input: Tensor, dims: int, op: str):
    """(input with a batch dim, whether one was added); ``dims`` counts channels + spatial.
    A pool raises PyTorch's error for a dtype its kernel lacks."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    nd = input._data.ndim
    rule = _POOL_DTYPES.get(op)
    if rule is not None and not rule[0](input._data.dtype):
        name = scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"{rule[1]}\" not implemented for '{name}'")
    if nd == dims:
        return input.unsqueeze(0), True
    if nd == dims + 1:
        return input, False
    if op in _RANK_ERRORS:
        raise RuntimeError(_RANK_ERRORS[op].format(nd=nd, shape=list(input.shape)))
    raise RuntimeError(
        f"Expected {dims}D (unbatched) or {dims + 1}D (batched) input to {op}, but got input of "
        f"size: {list(input.shape)}"
    )


def _as_2d(x: Tensor) -> Tensor:
    """(N, C, L) -> (N, C, 1, L): 1-D ops run as 2-D ops of height 1."""
    return x.unsqueeze(2)


def _check_same(op: str, x: Tensor, other: Tensor | None, what: str, groups: int = 1) -> None:
    if other is None:
        return
    if device_of(x._data) != device_of(other._data):
        raise same_device_error(op, x._data, other._data)
    if x._data.dtype != other._data.dtype and not will_cast("ops.conv.Conv", x, other):
        # the words name the dtypes autocast casts them to (the other is float64 or integral)
        x, other = (t.to(from_numpy_dtype(cast_dtype("ops.conv.Conv", t))) for t in (x, other))
        if what == "weight" and _mkldnn_input(x, other, groups):  # PyTorch's oneDNN kernel's
            name = "CPUBFloat16Type" if x._data.dtype == BF16_NP else x.type()
            raise RuntimeError(
                f"Input type ({name}) and weight type ({other.type()}) should be the same or "
                "input should be a MKLDNN tensor and weight is a dense tensor"
            )
        if what == "weight":  # its other kernels check the weight in these words
            raise RuntimeError(
                f"expected scalar type {scalar_type_name(x._data.dtype)} but found "
                f"{scalar_type_name(other._data.dtype)}"
            )
        raise RuntimeError(
            f"{op}: Input type ({_cpp_name(x)}) and {what} type ({_cpp_name(other)}) should be "
            f"the same; convert one with .to(dtype)"
        )


def _mkldnn_input(x: Tensor, weight: Tensor, groups: int) -> bool:
    """Whether PyTorch's CPU convolution would take this input to oneDNN (whose dtype error
    differs): bfloat16 always, float32 when grouped, for a batch of more than one, a kernel
    both taller and wider than 3 or more than 20480 elements in the input's first four dims
    (PyTorch's use_mkldnn rule, a 1-D convolution seen at height 1; without its terms for
    1x1 kernels on one thread)."""
    dtype = x._data.dtype
    if dtype == BF16_NP:
        return True
    if dtype != np.float32:
        return False
    shape, kernel = x._data.shape, weight._data.shape
    if len(shape) == 3:
        shape, kernel = (*shape[:2], 1, shape[2]), (1, kernel[-1])
    return groups > 1 or shape[0] > 1 or min(kernel[-2:]) > 3 or math.prod(shape[:4]) > 20480


_CPP_NAMES = {"Float": "float", "Double": "double", "Half": "c10::Half", "BFloat16": "c10::BFloat16",
              "Long": "long int", "Int": "int", "Short": "short int", "Bool": "bool",
              "Byte": "unsigned char", "Char": "signed char"}  # fmt: skip


def _cpp_name(t: Tensor) -> str:
    """The C++ name PyTorch's messages give a tensor's element type ('float', 'c10::Half')."""
    name = scalar_type_name(t._data.dtype)
    return _CPP_NAMES.get(name, name)


def _check_window(op: str, g: C.Geometry, kernel, dilation, pads) -> None:
    if g.OH < 1 or g.OW < 1:
        sizes = [g.H + pads[0] + pads[1], g.W + pads[2] + pads[3]]
        spans = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
        if op.endswith("1d"):  # a 1-D op runs at height 1; PyTorch names only its length
            sizes, spans = sizes[1:], spans[1:]
        _window_error(op, sizes, spans)


def _window_error(op: str, sizes, spans) -> None:
    """PyTorch's error for a (dilated) kernel larger than the padded input."""
    raise RuntimeError(
        f"{op}: Calculated padded input size per channel: ({' x '.join(map(str, sizes))}). "
        f"Kernel size: ({' x '.join(map(str, spans))}). Kernel size can't be greater than "
        "actual input size"
    )


# ---- convolution -------------------------------------------------------------------------------
def _check_padding_string(padding, stride, n: int, op: str) -> None:
    """PyTorch's checks of a padding string, made before any other of the convolution's."""
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise RuntimeError(f"{op}: Invalid padding string: '{padding}'")
        if padding == "same" and any(s != 1 for s in _conv_tuple(stride, n, "stride")):
            raise RuntimeError(f"{op}: padding='same' is not supported for strided convolutions")


def _conv_pads(padding, kernel, dilation, stride, n: int, op: str) -> tuple:
    """(top, bottom, left, right) for int/tuple padding or 'valid' / 'same' (n spatial dims;
    a 1-D convolution gets no vertical padding)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        pads = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            pads += [total // 2, total - total // 2]
    else:
        p = _conv_tuple(padding, n, "padding")
        if any(v < 0 for v in p):
            raise RuntimeError(f"{op}: negative padding is not supported, got {p}")
        pads = [v for v in p for _ in range(2)]
    return tuple(pads) if n == 2 else (0, 0, *pads)


def _conv2d(x, weight, bias, stride, pads, dilation, groups, op: str) -> Tensor:
    """conv2d on a batched 4-D input with normalised arguments."""
    empty = x._data.shape[0] == 0
    _check_same(op, x, bias, "bias")  # PyTorch checks the bias's dtype first
    if not empty:  # (its kernel, not run for an empty batch, checks the weight's)
        _check_same(op, x, weight, "weight", groups)
    kh, kw = weight._data.shape[2:]
    g = C.geometry(x._data.shape[2:], (kh, kw), stride, dilation, pads)
    _check_window(op, g, (kh, kw), dilation, pads)
    if empty:
        return _empty_result(x, weight, bias, (0, weight._data.shape[0], g.OH, g.OW))
    return C.Conv.apply(x, weight, bias, g, groups)


def _check_view_shape(shape: list) -> None:
    """PyTorch's errors of viewing an empty tensor as ``shape`` (negative sizes; a -1 is
    inferred, and ambiguous)."""
    inferred = False
    for i, v in enumerate(shape):
        if v == -1 and not inferred:
            inferred = True
        elif v == -1:
            raise RuntimeError("only one dimension can be inferred")
        elif v < 0:
            raise RuntimeError(f"invalid shape dimension {v} at index {i} of shape {shape}")
    if inferred:
        raise RuntimeError(
            f"cannot reshape tensor of 0 elements into shape {shape} because the unspecified "
            "dimension size -1 can be any value and is ambiguous"
        )


def _empty_result(x: Tensor, weight: Tensor, bias, shape: tuple) -> Tensor:
    """A convolution of an empty batch, as PyTorch's: no kernel (nor its dtype checks) runs;
    zeros of ``shape`` in the input's dtype, in the graph of the input, weight and bias."""
    linked = [t.sum() * 0 for t in (x, weight, bias) if t is not None]
    return x.new_zeros(shape) + sum(linked).to(x.dtype)


def _check_bias(op: str, bias, weight: Tensor, channels: int, transposed: str) -> None:
    """PyTorch's check that a convolution's bias has one element per output channel."""
    if bias is not None and tuple(bias._data.shape) != (channels,):
        raise RuntimeError(
            f"{op}: Given {transposed}weight of size {list(weight.shape)}, expected bias to be "
            f"1-dimensional with {channels} elements, but got bias of size {list(bias.shape)} "
            "instead"
        )


def _conv_args(input, weight, bias, stride, dilation, groups: int, n: int, op: str,
               padding=0) -> tuple:  # fmt: skip
    """PyTorch's checks of a convolution's weight, groups, stride, dilation and bias, in its order;
    returns (the input with a batch dim, whether one was added, stride, dilation)."""
    x, unbatched = _batched(input, n + 1, op)
    wd = weight._data.ndim
    if wd < 3:
        raise RuntimeError(f"{op}: weight should have at least three dimensions")
    if groups < 1:
        raise RuntimeError(f"{op}: non-positive groups is not supported, got groups={groups}")
    if wd != n + 2 and n > 1 and not (isinstance(padding, str) and padding == "same"):
        # the weight's rank sets how many strides PyTorch expects ('same' checks the rank)
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {wd - 2} values to "
            f"match the convolution dimensions, but got stride={list(_conv_tuple(stride, n, ''))}"
        )
    if wd != n + 2:
        raise RuntimeError(
            f"{op}: Expected {wd}-dimensional input for {wd}-dimensional weight"
            f"{list(weight.shape)}, but got {input.ndim}-dimensional input of size "
            f"{list(input.shape)} instead"
        )
    stride, dilation = _conv_tuple(stride, n, "stride"), _conv_tuple(dilation, n, "dilation")
    if min(stride) < 1:
        raise RuntimeError(f"{op}: non-positive stride is not supported, got stride={stride}")
    if min(dilation) < 1:
        raise RuntimeError(f"{op}: dilation should be greater than zero, got {dilation}")
    O = weight._data.shape[0]
    if O < groups or O % groups:
        need = f"at least {groups}" if O < groups else f"divisible by {groups}"
        raise RuntimeError(
            f"{op}: Given groups={groups}, expected weight to be {need} at dimension 0, but got "
            f"weight of size {list(weight.shape)} instead"
        )
    Cin, Cg = x._data.shape[1], weight._data.shape[1]
    if Cin != Cg * groups:
        raise RuntimeError(
            f"{op}: Given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(x.shape)} to have {Cg * groups} channels, but got {Cin} channels instead"
        )
    _check_bias(op, bias, weight, O, "")
    return x, unbatched, stride, dilation


def _conv(input, weight, bias, stride, padding, dilation, groups, n: int, op: str) -> Tensor:
    _check_padding_string(padding, stride, n, op)
    x, unbatched, stride, dilation = _conv_args(
        input, weight, bias, stride, dilation, groups, n, op, padding
    )
    if isinstance(padding, str) and x._data.shape[0]:  # PyTorch's 'same'/'valid' path
        _check_same(op, x, weight, "weight", groups)  # checks the weight's dtype first
    kernel = weight._data.shape[2:]
    pads = _conv_pads(padding, kernel, dilation, stride, n, op)
    if n == 1:
        x, weight = _as_2d(x), _as_2d(weight)
        stride, dilation = (1,) + stride, (1,) + dilation
    out = _conv2d(x, weight, bias, stride, pads, dilation, groups, op)
    if n == 1:
        out = out.squeeze(2)
    out = name_node(_conv_layout(input, out, n, x, weight, groups), "ConvolutionBackward0")
    return out.squeeze(0) if unbatched else out


def _conv_layout(input: Tensor, out: Tensor, n: int, x: Tensor, weight: Tensor, groups: int):
    """A convolution's result in PyTorch's CPU layout: contiguous, or channels_last where a
    batched 2-d input is (3-d: channels_last_3d only where its oneDNN kernel runs on ``x``,
    the batched input; its other 3-d kernels write contiguous results)."""
    if n == 3 and not _mkldnn_input(x, weight, groups):
        return out.contiguous()
    return _suggested_layout(input, out, n)


def conv2d(
    input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> Tensor:
    """Mirrors ``torch.nn.functional.conv2d`` (padding may be an int, a pair, 'valid' or
    'same')."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv1d(
    input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> Tensor:
    """Mirrors ``torch.nn.functional.conv1d``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


@lower_precision_function
def conv3d(
    input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> Tensor:
    """Mirrors ``torch.nn.functional.conv3d``: (N, C_in, D, H, W) -> (N, C_out, D', H', W'),
    as one conv2d per depth tap of the kernel over the depth-strided input slices (batched
    as N * D' images), summed."""
    _check_padding_string(padding, stride, 3, "conv3d")
    x, unbatched, stride, dilation = _conv_args(
        input, weight, bias, stride, dilation, groups, 3, "conv3d", padding
    )
    _check_same("conv3d", x, bias, "bias")
    if x._data.shape[0]:  # (an empty batch: no kernel checks the weight's dtype)
        _check_same("conv3d", x, weight, "weight", groups)
    if x._data.dtype in HALF_NP:  # PyTorch convolves 16-bit floats in float32, rounds once
        wide = [None if t is None else t.float() for t in (input, weight, bias)]
        with autocast(input.device.type, enabled=False):  # the taps stay in float32
            return conv3d(*wide, stride, padding, dilation, groups).to(input.dtype)
    kernel = weight._data.shape[2:]
    if isinstance(padding, str) and padding == "valid":
        pads = (0,) * 6
    else:  # (front, back, top, bottom, left, right)
        pads = _conv_pads(padding, kernel, dilation, stride, 3, "conv3d")[2:]
    if pads[0] or pads[1]:
        x = ops.pad(x, (0, 0, 0, 0, pads[0], pads[1]))
    N, Cin, D, H, W = x._data.shape
    sizes = (D, H + pads[2] + pads[3], W + pads[4] + pads[5])
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(n < s for n, s in zip(sizes, spans)):
        _window_error("conv3d", sizes, spans)
    OD = (D - spans[0]) // stride[0] + 1
    out = None
    for k in range(kernel[0]):
        start = k * dilation[0]
        taps = x[:, :, start : start + (OD - 1) * stride[0] + 1 : stride[0]]
        taps = taps.transpose(1, 2).reshape(N * OD, Cin, H, W)
        y = _conv2d(taps, weight[:, :, k], None, stride[1:], pads[2:], dilation[1:], groups,
                    "conv3d")  # fmt: skip
        out = y if out is None else out + y
    out = out.reshape(N, OD, *out.shape[1:]).transpose(1, 2)
    if bias is not None:
        out = out + bias.reshape(-1, 1, 1, 1)
    out = name_node(_conv_layout(input, out, 3, x, weight, groups), "ConvolutionBackward0")
    return out.squeeze(0) if unbatched else out


def _check_transposed_args(op, x, weight, bias, stride, pad, out_pad, groups, n: int) -> None:
    """PyTorch's checks of a transposed convolution's arguments before its kernel's, in its
    order (``x`` has its batch dim)."""
    wd = weight._data.ndim
    if wd < 3:
        raise RuntimeError(f"{op}: weight should have at least three dimensions")
    if groups < 1:
        raise RuntimeError(f"{op}: non-positive groups is not supported")
    if wd != n + 2 and n > 1:  # the weight's rank sets how many strides PyTorch expects
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {wd - 2} values to "
            f"match the convolution dimensions, but got stride={list(stride)}"
        )
    if min(pad) < 0:
        raise RuntimeError(f"{op}: negative padding is not supported")
    if min(out_pad) < 0:
        raise RuntimeError(f"{op}: negative output_padding is not supported")
    if min(stride) < 1:
        raise RuntimeError(f"{op}: non-positive stride is not supported")
    if wd != x.ndim:
        raise RuntimeError(
            f"{op}: Expected {wd}-dimensional input for {wd}-dimensional weight "
            f"{list(weight.shape)}, but got {x.ndim}-dimensional input of size {list(x.shape)} "
            "instead"
        )
    Cin, Cg = weight._data.shape[:2]
    if Cin % groups:
        raise RuntimeError(
            f"{op}: Given groups={groups}, expected weight to be divisible by {groups} at "
            f"dimension 0, but got weight of size [{list(weight.shape)}] instead"
        )
    if x._data.shape[1] != Cin:
        raise RuntimeError(
            f"{op}: Given transposed=1, weight of size {list(weight.shape)}, expected "
            f"input{list(x.shape)} to have {Cin} channels, but got {x._data.shape[1]} "
            "channels instead"
        )
    _check_bias(op, bias, weight, Cg * groups, "transposed=1, ")


def _conv_transpose(
    input, weight, bias, stride, padding, output_padding, groups, dilation, n: int, op: str
) -> Tensor:
    x, unbatched = _batched(input, n + 1, op)
    empty = x._data.shape[0] == 0  # PyTorch's kernel, which checks the rest, is not run
    stride, dilation = _conv_tuple(stride, n, "stride"), _conv_tuple(dilation, n, "dilation")
    pad = _conv_tuple(padding, n, "padding")
    out_pad = _conv_tuple(output_padding, n, "output_padding")
    _check_transposed_args(op, x, weight, bias, stride, pad, out_pad, groups, n)
    onednn = not empty and _mkldnn_input(x, weight, groups)  # it checks no dilation nor size
    if onednn and min(dilation) < 1:
        raise RuntimeError(
            "could not create a primitive descriptor for the deconvolution forward propagation "
            "primitive. Run workload with environment variable ONEDNN_VERBOSE=all to get "
            "additional diagnostic information."
        )
    if not empty and min(dilation) < 1:
        names = ("depth", "height", "width")[-max(n, 2) :]
        got = ", ".join(f"dilation_{a}: {d}" for a, d in zip(names, (1,) * (n == 1) + dilation))
        raise RuntimeError(f"dilation should be greater than zero, but got {got}")
    if not empty and any(op_ >= max(s, d) for op_, s, d in zip(out_pad, stride, dilation)):
        raise RuntimeError(
            f"{op}: output padding must be smaller than either stride or dilation, but got "
            f"output_padding={out_pad}, stride={stride}, dilation={dilation}"
        )
    kernel = weight._data.shape[2:]
    size = tuple(
        (i - 1) * s - 2 * p + d * (k - 1) + o + 1
        for i, s, p, d, k, o in zip(x._data.shape[2:], stride, pad, dilation, kernel, out_pad)
    )
    if empty and min(size) < 0:  # PyTorch's view of the empty result to this shape fails
        _check_view_shape([0, weight._data.shape[1] * groups] + [1] * (n == 1) + list(size))
    if any(v < 1 for v in size) and not onednn and not (empty and min(size) == 0):
        # a 1-d op runs at height 1, which PyTorch names
        sizes = ((1,) if n == 1 else ()) + tuple(x._data.shape[2:]), ((1,) if n == 1 else ()) + size
        raise RuntimeError(
            f"{op}: Given input size per channel: ({' x '.join(map(str, sizes[0]))}). "
            f"Calculated output size per channel: ({' x '.join(map(str, sizes[1]))}). Output "
            "size is too small (empty outputs are not supported)"
        )
    if not empty:  # PyTorch's kernels check the dtypes after the sizes
        _check_same(op, x, weight, "weight", groups)
        _check_same(op, x, bias, "bias")
    if min(size) < 0:  # oneDNN's words for a negative output size
        raise RuntimeError("could not construct a memory descriptor using a format tag")
    if empty or min(size) == 0:
        shape = (x._data.shape[0], weight._data.shape[1] * groups, *size)
        out = _empty_result(x, weight, bias, shape)
        out = name_node(_conv_layout(input, out, n, x, weight, groups), "ConvolutionBackward0")
        return out.squeeze(0) if unbatched else out
    if n == 3:
        out = _conv_transpose_depth_taps(x, weight, stride, pad, out_pad, dilation, groups, size)
        if bias is not None:
            out = out + bias.reshape(-1, 1, 1, 1)
        out = name_node(_conv_layout(input, out, 3, x, weight, groups), "ConvolutionBackward0")
        return out.squeeze(0) if unbatched else out
    if n == 1:
        x, weight = _as_2d(x), _as_2d(weight)
        stride, dilation, size, kernel = (1,) + stride, (1,) + dilation, (1,) + size, (1,) + kernel
    pads = (pad[0], pad[0], pad[-1], pad[-1]) if n == 2 else (0, 0, pad[0], pad[0])
    g = C.geometry(size, kernel, stride, dilation, pads)
    extra_h, extra_w = g.OH - x._data.shape[2], g.OW - x._data.shape[3]
    if extra_h or extra_w:  # output_padding >= stride (allowed by dilation): positions that
        x = ops.pad(x, (0, extra_w, 0, extra_h))  # no input reaches get only the bias
    out = C.ConvInputGrad.apply(x, weight, g, groups, True)
    if bias is not None:
        out = out + bias.reshape(-1, 1, 1)
    if n == 1:
        out = out.squeeze(2)
    out = name_node(_conv_layout(input, out, n, x, weight, groups), "ConvolutionBackward0")
    return out.squeeze(0) if unbatched else out


def _conv_transpose_depth_taps(x, weight, stride, pad, out_pad, dilation, groups, size):
    """conv_transpose3d as one conv_transpose2d per depth tap of the kernel over the (N * D)
    depth slices; tap k of input depth d lands at output depth d * stride + k * dilation
    (before the depth padding is cropped), so each tap's slices are spread ``stride`` apart,
    shifted by k * dilation and summed."""
    N, Cin, D, H, W = x._data.shape
    s, p, dl = stride[0], pad[0], dilation[0]
    full = size[0] + 2 * p
    slices = x.transpose(1, 2).reshape(N * D, Cin, H, W)
    total = None
    for k in range(weight._data.shape[2]):
        y = conv_transpose2d(slices, weight[:, :, k], None, stride[1:], pad[1:], out_pad[1:],
                             groups, dilation[1:])  # fmt: skip
        y = y.reshape(N, D, *y.shape[1:])
        if s > 1:  # zeros between the slices: (N, D, s, ...) -> (N, D * s, ...), trimmed
            y = ops.pad(y.unsqueeze(2), (0, 0) * 3 + (0, s - 1)).flatten(1, 2)
            y = y[:, : (D - 1) * s + 1]
        start = k * dl
        y = ops.pad(y, (0, 0) * 3 + (start, full - start - y.shape[1]))
        total = y if total is None else total + y
    return total[:, p : p + size[0]].transpose(1, 2)


@lower_precision_function
def conv_transpose3d(
    input: Tensor,
    weight: Tensor,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """Mirrors ``torch.nn.functional.conv_transpose3d`` (weight (in, out / groups, kd, kh,
    kw))."""
    if input._data.dtype in HALF_NP and weight._data.dtype == input._data.dtype:
        # PyTorch's kernel: float32, rounded once
        wide = [None if t is None else t.float() for t in (input, weight, bias)]
        with autocast(input.device.type, enabled=False):  # the taps stay in float32
            out = conv_transpose3d(*wide, stride, padding, output_padding, groups, dilation)
        return out.to(input.dtype)
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
        "conv_transpose3d",
    )  # fmt: skip


@lower_precision_function
def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """Mirrors ``torch.nn.functional.conv_transpose2d`` (weight (in, out / groups, kh, kw))."""
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
        "conv_transpose2d",
    )  # fmt: skip


@lower_precision_function
def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """Mirrors ``torch.nn.functional.conv_transpose1d``."""
    return _conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
        "conv_transpose1d",
    )  # fmt: skip


# ---- pooling -----------------------------------------------------------------------------------
_POOL_ARG_WORDS = {  # PyTorch's words for a 2-D/3-D pool's argument of the wrong length
    "kernel_size": "must either be a single int",
    "stride": "must either be omitted, a single int",
    "padding": "must either be a single int",
    "dilation": "must be either a single int",
}


def _pool_tuple(v, n: int, name: str, op: str) -> tuple:
    """``_tuple`` with PyTorch's error of a 2-D/3-D pool for a wrong count of values."""
    if n > 1 and not isinstance(v, (int, np.integer)) and len(v) not in (1, n):
        words = _POOL_ARG_WORDS[name]
        if op == "avg_pool3d":  # its messages lack the "either"
            words = words.replace(" either", "")
        count = "two" if n == 2 else "three"
        raise RuntimeError(f"{op}: {name} {words}, or a tuple of {count} ints")
    return _tuple(v, n, name)


def _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode, n: int, op: str):
    """Normalised pooling arguments -> (4-D input, Geometry, whether it was unbatched)."""
    x, unbatched = _batched(x, n + 1, op)
    kernel = _pool_tuple(kernel_size, n, "kernel_size", op)
    omitted = stride is None or stride == [] or stride == ()
    stride = kernel if omitted else _pool_tuple(stride, n, "stride", op)
    pad = _pool_tuple(padding, n, "padding", op)
    dilation = _pool_tuple(dilation, n, "dilation", op)
    if op == "max_pool1d":
        _check_max_pool1d(x, kernel[0], stride[0], pad[0], dilation[0])
    else:
        _check_pool_args(op, x, kernel, stride, pad, dilation)
    if n == 1:
        x = _as_2d(x)
        kernel, stride, pad, dilation = (1,) + kernel, (1,) + stride, (0,) + pad, (1,) + dilation
    pads = (pad[0], pad[0], pad[1], pad[1])
    g = C.geometry(x._data.shape[2:], kernel, stride, dilation, pads, ceil_mode)
    if g.OH < 1 or g.OW < 1:  # PyTorch's pooling words (its convolutions say otherwise)
        if op == "max_pool1d":
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {g.OW}")
        c = x._data.shape[1]
        raise RuntimeError(
            f"Given input size: ({c}x{g.H}x{g.W}). Calculated output size: ({c}x{g.OH}x{g.OW}). "
            "Output size is too small"
        )
    return x, g, unbatched


def _check_pool_args(op: str, x: Tensor, kernel, stride, pad, dilation) -> None:
    """PyTorch's checks of a pool's arguments (pooling_output_shape, then pool2d_shape_check /
    pool3d_shape_check), in its order; ``x`` has its batch dim."""
    for k, s, p, d in zip(kernel, stride, pad, dilation):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError(f"{op}: pad must be non-negative, but got pad: {p}")
        if p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(
                f"{op}: pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={d}"
            )
    for what, v in (("kernel size", kernel), ("stride", stride), ("dilation", dilation)):
        if min(v) < 1:
            raise RuntimeError(f"{op}: {what} should be greater than zero, but got {list(v)}")
    if any(p > k // 2 for k, p in zip(kernel, pad)):  # then the kernel's own, not dilated
        words = "pad should be smaller than or equal to half of kernel size, but got"
        if len(kernel) == 3:
            (kt, kh, kw), (pt, ph, pw) = kernel, pad
            raise RuntimeError(
                f"{words} kT: {kt} kW: {kw} kH: {kh} padT: {pt} padW: {pw} padH: {ph}"
            )
        (kh, kw), (ph, pw) = ((1, *kernel), (0, *pad)) if len(kernel) == 1 else (kernel, pad)
        raise RuntimeError(f"{words} padW = {pw}, padH = {ph}, kW = {kw}, kH = {kh}")
    if 0 in x._data.shape[1:]:
        n = len(kernel)
        if n == 3:
            raise RuntimeError(
                f"{op}(): Expected input's non-batch dimensions to have positive length, but "
                f"input has a shape of {list(x.shape)} and a non-batch dimension of length zero"
            )
        raise RuntimeError(
            f"{op}: Expected {n + 1}D or {n + 2}D (batch mode) tensor with optional 0 dim batch "
            f"size for input, but got:{list(x.shape)}"
        )


def _check_max_pool1d(x: Tensor, k: int, s: int, p: int, d: int) -> None:
    """PyTorch's checks of max_pool1d without indices (its own kernel), in its order."""
    if 0 in x._data.shape[1:]:
        raise RuntimeError(_RANK_ERRORS["max_pool1d"].format(shape=list(x.shape)))
    for what, v in (("kernel_size", k), ("stride", s)):
        if v < 1:
            raise RuntimeError(f"max_pool1d() {what} must be greater than zero, but got {v}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:  # PyTorch's max_pool1d ignores the dilation here
        raise RuntimeError(
            "max_pool1d() padding should be at most half of kernel size, but got "
            f"padding={p} and kernel_size={k}"
        )
    if d < 1:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")


def _unpool_shape(out: Tensor, n: int, unbatched: bool) -> Tensor:
    if n == 1:
        out = out.squeeze(2)
    return out.squeeze(0) if unbatched else out


def _check_memory_format(input: Tensor, ndim: int, supported: str) -> None:
    """The refusal of PyTorch's CPU kernels that take one channels-last layout (``supported``)
    of an ``ndim``-d input whose strides suggest the other one."""
    if input.ndim == ndim and strides_like_channels_last(tuple(input.shape), input.stride()):
        raise RuntimeError(f"Unsupported memory format. Supports only {supported}, Contiguous")


def _suggested_layout(input: Tensor, out: Tensor, n: int) -> Tensor:
    """``out`` in the memory format of PyTorch's CPU ``n``-d pooling (padding) kernels for
    ``input``: channels_last (3-d) where a batched 2-d (3-d) ``input`` is, else contiguous."""
    fmt = {2: channels_last, 3: channels_last_3d}.get(n) if input.ndim == n + 2 else None
    if fmt is not None and strides_like_channels_last(tuple(input.shape), input.stride()):
        return out.contiguous(memory_format=fmt)
    return out.contiguous()


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, n, op):
    x, g, unbatched = _pool_geometry(
        input, kernel_size, stride, padding, dilation, ceil_mode, n, op
    )
    name = "MaxPool2DWithIndicesBackward0" if n == 2 else "SqueezeBackward1"
    if not return_indices:
        out = _suggested_layout(input, _unpool_shape(C.MaxPool.apply(x, g, False), n, unbatched), n)
        return name_node(out, name)
    out, indices = C.MaxPool.apply(x, g, True)
    out = name_node(_suggested_layout(input, _unpool_shape(out, n, unbatched), n), name)
    return out, _suggested_layout(input, _unpool_shape(indices, n, unbatched), n)


def max_pool2d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
    return_indices: bool = False,
):
    """Mirrors ``torch.nn.functional.max_pool2d`` (``return_indices`` gives indices into
    each flattened input plane)."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d"
    )


def max_pool1d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
    return_indices: bool = False,
):
    """Mirrors ``torch.nn.functional.max_pool1d`` (with indices it checks its arguments as
    PyTorch's max_pool1d_with_indices, i.e. as a 2-D pool)."""
    op = "max_pool1d_with_indices" if return_indices else "max_pool1d"
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, op
    )


def _window_counts(n: int, o: int, k: int, s: int, p: int, include_pad: bool):
    """How many cells of each window along one axis count for average pooling."""
    start = np.arange(o) * s - p
    end = np.minimum(start + k, n + p)
    if not include_pad:
        start, end = np.maximum(start, 0), np.minimum(end, n)
    return end - start


def _avg_scale(x: Tensor, g: C.Geometry, count_include_pad: bool, divisor_override):
    """1 / divisor: a Python float when it is the same everywhere, else an (OH, OW) array."""
    if divisor_override:
        return 1.0 / divisor_override
    ch = _window_counts(g.H, g.OH, g.kh, g.sh, g.pt, count_include_pad)
    cw = _window_counts(g.W, g.OW, g.kw, g.sw, g.pl, count_include_pad)
    if (ch == ch[0]).all() and (cw == cw[0]).all():
        return 1.0 / float(ch[0] * cw[0])
    return to_backend((1.0 / np.outer(ch, cw)).astype(x._data.dtype), x._data)


def _check_divisor(divisor_override) -> None:
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, include_pad, divisor, n, op):
    _check_divisor(divisor)
    x, g, unbatched = _pool_geometry(input, kernel_size, stride, padding, 1, ceil_mode, n, op)
    if x._data.dtype.kind not in "fV" or x._data.dtype in HALF_NP:
        # int64: PyTorch's integer division of the window sums; float16/bfloat16: summed and
        # divided in float32, rounded once
        args = (kernel_size, stride, padding, ceil_mode, include_pad, divisor, n, op)
        if x._data.dtype in HALF_NP:
            return _avg_pool(input.float(), *args).to(input.dtype)
        return _avg_pool(input.double(), *args).trunc().long()
    scale = _avg_scale(x, g, include_pad, divisor)
    out = _unpool_shape(C.WindowGather.apply(x, g, None, scale), n, unbatched)
    out = _suggested_layout(input, out, n)
    return name_node(out, "AvgPool2DBackward0" if n == 2 else "SqueezeBackward1")


def avg_pool2d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override=None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.avg_pool2d``."""
    return _avg_pool(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2,
        "avg_pool2d",
    )  # fmt: skip


def avg_pool1d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """Mirrors ``torch.nn.functional.avg_pool1d``."""
    return _avg_pool(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d"
    )


def _lp_pool(input, norm_type: float, kernel_size, stride, ceil_mode: bool, n: int) -> Tensor:
    """(sum over each window of x^p)^(1/p): max of |x| for p = inf, as PyTorch computes it
    (the window sum is the average times the window size; a negative sum gives 0)."""
    pool = (max_pool1d, max_pool2d, max_pool3d)[n - 1]
    if norm_type == math.inf:
        return pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    avg = (avg_pool1d, avg_pool2d, avg_pool3d)[n - 1]
    out = avg(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    size = math.prod(_tuple(kernel_size, n, "kernel_size"))
    return (out.sign() * out.abs().relu() * size).pow(1.0 / norm_type)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode=False):
    """Mirrors ``torch.nn.functional.lp_pool2d``."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode=False):
    """Mirrors ``torch.nn.functional.lp_pool1d``."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size, stride=None, ceil_mode=False):
    """Mirrors ``torch.nn.functional.lp_pool3d``."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


def _depth_taps(input, kernel_size, stride, padding, dilation, ceil_mode, fill: float, op):
    """3-D pooling as 2-D pooling of depth slices: the (N, C, D, H, W) input padded in
    depth with ``fill``, and per kernel depth tap the (N * D', C, H, W) slice it pools;
    returns (slices, D', (k, s, p, d) of the other two dims, unbatched)."""
    x, unbatched = _batched(input, 4, op)
    k = _pool_tuple(kernel_size, 3, "kernel_size", op)
    omitted = stride is None or stride == [] or stride == ()
    s = k if omitted else _pool_tuple(stride, 3, "stride", op)
    p, d = _pool_tuple(padding, 3, "padding", op), _pool_tuple(dilation, 3, "dilation", op)
    _check_pool_args(op, x, k, s, p, d)
    N, C, D, H, W = x._data.shape
    if op == "avg_pool3d" and (D < k[0] or H < k[1] or W < k[2]):  # padding not counted
        raise RuntimeError(
            f"input image (T: {D} H: {H} W: {W}) smaller than kernel size (kT: {k[0]} kH: "
            f"{k[1]} kW: {k[2]})"
        )
    OD, OH, OW = (_pooled_length(*a, ceil_mode) for a in zip((D, H, W), k, s, p, d))
    if min(OD, OH, OW) < 1:
        raise RuntimeError(
            f"Given input size: ({C}x{D}x{H}x{W}). Calculated output size: ({C}x{OD}x{OH}x{OW})."
            " Output size is too small"
        )
    span = d[0] * (k[0] - 1) + 1
    back = max((OD - 1) * s[0] + span - D - p[0], 0)
    if p[0] or back:
        x = ops.pad(x, (0, 0, 0, 0, p[0], back), value=fill)
    taps = []
    for t in range(k[0]):
        sl = x[:, :, t * d[0] : t * d[0] + (OD - 1) * s[0] + 1 : s[0]]
        taps.append(sl.transpose(1, 2).reshape(N * OD, C, H, W))
    return taps, OD, (k[1:], s[1:], p[1:], d[1:]), unbatched


def _check_avg_pool3d_kernel(input: Tensor) -> None:
    """PyTorch's CPU avg_pool3d has no 16-bit kernel."""
    if input._data.dtype in HALF_NP and on_host(input._data):
        name = scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"avg_pool3d_out_frame\" not implemented for '{name}'")


def _pooled_length(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's pooling_output_shape: a window starting in the right padding is dropped."""
    span = d * (k - 1) + 1
    out = (n + 2 * p - span + ((s - 1) if ceil_mode else 0)) // s + 1
    return out - 1 if ceil_mode and (out - 1) * s >= n + p else out


def _from_taps(out: Tensor, N: int, OD: int, unbatched: bool) -> Tensor:
    out = out.reshape(N, OD, *out.shape[1:]).transpose(1, 2)
    return out.squeeze(0) if unbatched else out


@cpu_float32_function
def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_pool3d``: the maximum over the depth taps of
    max_pool2d of the depth slices (``return_indices`` gives indices into each flattened
    (D, H, W) input volume)."""
    _check_memory_format(input, 4, "ChannelsLast3d")
    dt = input._data.dtype
    lowest = -math.inf if dt.kind in "fV" else int(np.iinfo(dt).min)
    taps, OD, (k, s, p, d), unbatched = _depth_taps(
        input, kernel_size, stride, padding, dilation, ceil_mode, lowest, "max_pool3d"
    )
    N = input.shape[0] if not unbatched else 1
    sd, pd, dd = (_tuple(v, 3, "")[0] for v in (stride or kernel_size, padding, dilation))
    plane = input.shape[-2] * input.shape[-1]
    rows = (np.arange(N * OD) % OD * sd - pd).reshape(-1, 1, 1, 1)  # each slice's first depth
    out = idx = None
    for t, tap in enumerate(taps):
        y, i = max_pool2d(tap, k, s, p, d, ceil_mode, True) if return_indices else (
            max_pool2d(tap, k, s, p, d, ceil_mode), None)  # fmt: skip
        if return_indices:
            i = i + make_tensor(to_backend(rows + t * dd, i._data)) * plane
        if out is None:
            out, idx = y, i
            continue
        # PyTorch's window scan: a tie keeps the earlier tap (the whole gradient goes to the
        # first maximum; maximum() would split it), a NaN always wins
        take = (y > out) | ops.isnan(y)
        out = ops.where(take, y, out)
        if return_indices:
            idx = ops.where(take, i, idx)
    out = _suggested_layout(input, _from_taps(out, N, OD, unbatched), 3)
    if not return_indices:
        return out
    return out, _suggested_layout(input, _from_taps(idx, N, OD, unbatched), 3)


@cpu_float32_function
def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.nn.functional.avg_pool3d``: window sums (sum_pool2d of the depth
    slices, summed over the depth taps) over PyTorch's per-window divisor (int64: the
    quotient truncated, as PyTorch's integer division)."""
    _check_divisor(divisor_override)
    if input._data.dtype == np.int64:
        args = (kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
        return avg_pool3d(input.double(), *args).trunc().long()
    taps, OD, (k, s, p, _), unbatched = _depth_taps(
        input, kernel_size, stride, padding, 1, ceil_mode, 0.0, "avg_pool3d"
    )
    _check_avg_pool3d_kernel(input)
    total = None
    for t in taps:
        y = avg_pool2d(t, k, s, p, ceil_mode, True, 1)  # window sums
        total = y if total is None else total + y
    N = input.shape[0] if not unbatched else 1
    out = _from_taps(total, N, OD, unbatched).contiguous()  # as PyTorch's, whatever the input
    if divisor_override:
        return out / divisor_override
    kd, sd, pd = (_tuple(v, 3, "")[0] for v in (kernel_size, stride or kernel_size, padding))
    sizes = input.shape[-3:]
    counts = [
        _window_counts(n, o, kk, ss, pp, count_include_pad)
        for n, o, kk, ss, pp in zip(sizes, out.shape[-3:], (kd, *k), (sd, *s), (pd, *p))
    ]
    divisor = counts[0][:, None, None] * counts[1][:, None] * counts[2]
    return out / make_tensor(to_backend(divisor.astype(out._data.dtype), out._data))


def _adaptive_sizes(input: Tensor, output_size, n: int, op: str) -> tuple:
    """An adaptive pool's output_size as n ints (None keeps an input size), with PyTorch's
    errors for a wrong count or a negative size (before the input's rank is checked)."""
    if n == 1:
        sizes = (output_size,) if isinstance(output_size, int) else tuple(output_size)
        if len(sizes) != 1:
            raise RuntimeError(
                f"{op}() argument 'output_size' should contain one int (got {len(sizes)})"
            )
    elif isinstance(output_size, int) or output_size is None:
        sizes = (output_size,) * n
    else:
        sizes = tuple(output_size)
        if input.ndim <= len(sizes):
            raise ValueError(f"Input dimension should be at least {len(sizes) + 1}")
        if len(sizes) != n:
            if "max" in op:
                raise RuntimeError(f"{op}(): internal error: output_size.size() must be {n}")
            raise RuntimeError(f"{op}: output_size must be {n}")
    if input.ndim >= n:  # else the rank check raises
        sizes = tuple(d if o is None else o for o, d in zip(sizes, input.shape[-n:]))
    neg = min((o for o in sizes if o is not None), default=0)
    if neg < 0:
        if "max" in op:
            shape = list(input.shape[:-n]) + list(sizes)
            raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: {shape}")
        raise RuntimeError(
            f"adaptive_avg_pool{max(n, 2)}d: elements of output_size must be greater than or "
            f"equal to 0 but received {{{', '.join(map(str, sizes))}}}"
        )
    return sizes


def _nonempty(input: Tensor, op: str) -> None:
    """PyTorch's refusal of an empty non-batch dim (dims 1.., even of an unbatched input)."""
    for d in range(1, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(
                f"{op}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {list(input.shape)} with dimension {d} being empty"
            )


def _mean_of_integers(input: Tensor, sizes: tuple) -> None:
    """PyTorch pools to all-ones sizes with mean(), whose refusal of integers it raises."""
    if input._data.dtype.kind in "biu" and all(s == 1 for s in sizes):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {scalar_type_name(input._data.dtype)}"
        )


@cpu_float32_function
def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Mirrors ``torch.nn.functional.adaptive_avg_pool3d`` (None keeps an input size)."""
    sizes = _adaptive_sizes(input, output_size, 3, "adaptive_avg_pool3d")
    _mean_of_integers(input, sizes)
    x, unbatched = _batched(input, 4, "adaptive_avg_pool3d")
    _nonempty(input, "adaptive_avg_pool3d")
    if x._data.dtype in HALF_NP and all(sizes) and sizes != (1, 1, 1) and x.numel():
        out = _adaptive_mean_in_dtype(x, sizes)  # (1, 1, 1): PyTorch takes the mean
    else:
        out = _adaptive_mean(x, sizes)
    if sizes != (1, 1, 1):  # PyTorch's kernel writes a contiguous result ((1, 1, 1): a mean)
        out = out.contiguous()
    return out.squeeze(0) if unbatched else out


def _adaptive_mean_in_dtype(x: Tensor, sizes: tuple) -> Tensor:
    """PyTorch's adaptive_avg_pool3d kernel on 16-bit floats: each bin summed in the dtype
    one element after another (depth, then rows, then columns), then divided by its depth,
    height and width in turn, every step rounded."""
    lead, counts = x.ndim - 3, []
    for k, o in enumerate(sizes):
        dim, n = lead + 2 * k, x._data.shape[lead + 2 * k]
        windows, mask, count = _adaptive_windows(x, dim, n, o)
        x = ops.where(mask, windows, 0.0)
        counts.append(count.reshape((-1,) + (1,) * (2 - k)).astype(x._data.dtype))
    x = x.permute(*range(lead), lead, lead + 2, lead + 4, lead + 1, lead + 3, lead + 5)
    x = x.flatten(-3)
    total = x[..., 0]
    for t in range(1, x._data.shape[-1]):
        total = total + x[..., t]
    for count in counts:
        total = total / make_tensor(to_backend(count, total._data))
    return total


def _adaptive_mean(x: Tensor, sizes: tuple) -> Tensor:
    """Adaptive average pooling of the last len(sizes) dims (None keeps a size), one dim at
    a time: bin i of n -> o covers [floor(i n / o), ceil((i+1) n / o)). Sums of gathered
    windows, so a NaN stays in its own bins (as PyTorch's); 16-bit floats in float32, rounded
    once."""
    if x._data.dtype in HALF_NP:
        return _adaptive_mean(x.float(), sizes).to(x.dtype)
    if all(o is None or o == n for o, n in zip(sizes, x._data.shape[-len(sizes) :])):
        return x.clone()  # a new tensor, as PyTorch's, never the input or a view of it
    for k, o in enumerate(sizes):
        dim = x.ndim - len(sizes) + k
        n = x._data.shape[dim]
        if o == n:
            continue
        if o == 0:
            x = x.narrow(dim, 0, 0)
            continue
        if n % o == 0:
            x = x.unflatten(dim, (o, n // o)).mean(dim + 1)
            continue
        windows, mask, count = _adaptive_windows(x, dim, n, o)
        count = count.astype(x._data.dtype).reshape((o,) + (1,) * (x.ndim - 1 - dim))
        x = ops.where(mask, windows, 0.0).sum(dim + 1) / make_tensor(to_backend(count, x._data))
    return x


def _adaptive_windows(x: Tensor, dim: int, n: int, o: int) -> tuple:
    """x's ``dim`` (of size n) as (o, width) windows of adaptive pooling's bins (bin i
    covers [floor(i n / o), ceil((i+1) n / o))), the mask of their real positions (short
    bins repeat their last one) and the bins' sizes (an int array)."""
    i = np.arange(o)
    start, end = (i * n) // o, -((-(i + 1) * n) // o)
    width = int((end - start).max())
    taps = start[:, None] + np.arange(width)
    index = make_tensor(to_backend(np.minimum(taps, n - 1).reshape(-1), x._data))
    windows = x.index_select(dim, index).unflatten(dim, (o, width))
    shape = (o, width) + (1,) * (x.ndim - 1 - dim)
    mask = make_tensor(to_backend((taps < end[:, None]).reshape(shape), x._data))
    return windows, mask, end - start


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Mirrors ``torch.nn.functional.adaptive_avg_pool2d`` (None keeps an input size)."""
    sizes = _adaptive_sizes(input, output_size, 2, "adaptive_avg_pool2d")
    _mean_of_integers(input, sizes)
    x, unbatched = _batched(input, 3, "adaptive_avg_pool2d")
    if sizes == (1, 1):
        out = x.mean((2, 3), keepdim=True)
    else:
        out = _adaptive_mean(x, sizes)
    return _suggested_layout(input, out.squeeze(0) if unbatched else out, 2)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Mirrors ``torch.nn.functional.adaptive_avg_pool1d``."""
    sizes = _adaptive_sizes(input, output_size, 1, "adaptive_avg_pool1d")
    _mean_of_integers(input, sizes)
    _batched(input, 2, "adaptive_avg_pool1d")  # the rank check
    return _adaptive_mean(input, sizes)


def _adaptive_taps(n: int, o: int) -> np.ndarray:
    """(o, width) input positions of adaptive pooling's bins (bin i of n -> o covers
    [floor(i n / o), ceil((i+1) n / o))), every bin as wide as the widest, short ones
    repeating their last position (after the original: a first maximum stays the original)."""
    i = np.arange(o)
    start, end = (i * n) // o, -((-(i + 1) * n) // o)
    return np.minimum(start[:, None] + np.arange(int((end - start).max())), end[:, None] - 1)


def _adaptive_max_last(x: Tensor, o: int) -> Tensor:
    """Adaptive max pooling of the last dim into ``o`` bins; the gradient goes to each
    bin's first maximum."""
    n = x._data.shape[-1]
    if o == 0:
        return x.narrow(-1, 0, 0)
    if n % o == 0:
        return x.unflatten(-1, (o, n // o)).max(-1).values
    taps = _adaptive_taps(n, o)
    index = make_tensor(to_backend(taps.reshape(-1), x._data))
    return x.index_select(-1, index).unflatten(-1, taps.shape).max(-1).values


def _adaptive_argmax(a, sizes: tuple) -> Tensor:
    """The flat (row-major over the last len(sizes) dims) index of each adaptive
    max-pooling bin's first maximum in the array ``a``: the ``return_indices`` of
    adaptive_max_pool, not differentiable. All bins are gathered at once, as
    (..., *sizes, prod(widths)) windows in row-major order."""
    k, dims = len(sizes), a.shape[-len(sizes) :]
    if 0 in sizes or a.size == 0:  # (an empty batch: no windows to reshape)
        return make_tensor(np.zeros_like(a, np.int64, shape=a.shape[:-k] + tuple(sizes)))
    taps = [_adaptive_taps(d, o) for d, o in zip(dims, sizes)]
    flat = np.zeros((1,) * 2 * k, np.int64)  # (*sizes, *widths): each tap's flat position
    for j, (t, d) in enumerate(zip(taps, dims)):
        shape = [1] * 2 * k
        shape[j], shape[k + j] = t.shape
        flat = flat * d + t.reshape(shape)
    flat = to_backend(flat.reshape(tuple(sizes) + (-1,)), a)  # (*sizes, prod(widths))
    windows = a.reshape(a.shape[:-k] + (-1,))[..., flat]
    first = windows.argmax(-1)[..., None]
    flat = np.broadcast_to(flat, first.shape[:-1] + flat.shape[-1:])
    return make_tensor(np.take_along_axis(flat, first, -1)[..., 0])


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.adaptive_max_pool2d`` (None keeps an input size). Max
    is separable: the max over each width bin, then over each height bin, which picks the
    first maximum in row-major order as PyTorch does."""
    oh, ow = _adaptive_sizes(input, output_size, 2, "adaptive_max_pool2d")
    x, unbatched = _batched(input, 3, "adaptive_max_pool2d")
    _nonempty(input, "adaptive_max_pool2d")
    out = _adaptive_max_last(_adaptive_max_last(x, ow).transpose(-1, -2), oh).transpose(-1, -2)
    out = _suggested_layout(input, out.squeeze(0) if unbatched else out, 2)
    if not return_indices:
        return out
    return out, _suggested_layout(input, _adaptive_argmax(input._data, (oh, ow)), 2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.adaptive_max_pool1d``."""
    (o,) = _adaptive_sizes(input, output_size, 1, "adaptive_max_pool1d")
    _batched(input, 2, "adaptive_max_pool1d")  # the rank check
    _nonempty(input, "adaptive_max_pool1d")
    out = _adaptive_max_last(input, o)
    if not return_indices:
        return out
    return out, _adaptive_argmax(input._data, (o,))


@cpu_float32_function
def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False) -> Tensor:
    """Mirrors ``torch.nn.functional.adaptive_max_pool3d`` (None keeps an input size): the
    separable max over width, height, then depth bins (the first maximum in row-major order
    gets the gradient, as in PyTorch)."""
    od, oh, ow = _adaptive_sizes(input, output_size, 3, "adaptive_max_pool3d")
    x, unbatched = _batched(input, 4, "adaptive_max_pool3d")
    _nonempty(input, "adaptive_max_pool3d")
    out = _adaptive_max_last(x, ow).transpose(-1, -2)
    out = _adaptive_max_last(out, oh).transpose(-1, -3)  # (N, C, H', W', D)
    out = _adaptive_max_last(out, od).permute(0, 1, 4, 2, 3)
    out = (out.squeeze(0) if unbatched else out).contiguous()  # as PyTorch's, whatever the input
    return (out, _adaptive_argmax(input._data, (od, oh, ow))) if return_indices else out


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, n: int) -> Tensor:
    """Scatters ``input`` (..., *in) into zeros (..., *out) at the flat ``indices`` of
    max_pool{n}d(return_indices=True); ``out`` is PyTorch's default or ``output_size``."""
    kernel = _tuple(kernel_size, n, "kernel_size")
    stride = kernel if stride is None else _tuple(stride, n, "stride")
    pad = _tuple(padding, n, "padding")
    shape = tuple(input.shape)
    if tuple(indices.shape) != shape:
        raise RuntimeError(
            f"max_unpool{n}d: Expected shape of indices to be same as that of the input tensor "
            f"({list(shape)}) but got indices tensor with shape: {list(indices.shape)}"
        )
    size = [(shape[d - n] - 1) * stride[d] + kernel[d] - 2 * pad[d] for d in range(n)]
    if output_size is not None:
        if len(output_size) == n + 2:
            output_size = output_size[2:]
        if len(output_size) != n:
            raise ValueError(
                f"output_size should be a sequence containing {n} or {n + 2} elements, but it "
                f"has a length of '{len(output_size)}'"
            )
        for d in range(n):
            low, high = size[d] - stride[d], size[d] + stride[d]
            if not low < output_size[d] < high:
                raise ValueError(
                    f'invalid output_size "{output_size}" (dim {d} must be between {low} and '
                    f"{high})"
                )
        size = [int(o) for o in output_size]
    lead = shape[:-n]
    if not math.prod(size):  # PyTorch's kernel reads no index for an empty output
        return input.new_zeros((*lead, *size)) + (input.sum() * 0).to(input.dtype)  # (its graph)
    flat = indices._data
    bad = (flat < 0) | (flat >= math.prod(size))
    if bad.any():
        dims = "x".join(map(str, size if n > 1 else (*size, 1)))
        raise RuntimeError(
            f"Found an invalid max index: {int(flat[bad].ravel()[-1])} (output volumes are of "
            f"size {dims})"
        )
    zeros = factories.zeros(*lead, math.prod(size), dtype=input.dtype, device=input.device)
    cells = math.prod(shape[-n:])  # explicit: a batch may be empty
    out = zeros.scatter(-1, indices.reshape(*lead, cells), input.reshape(*lead, cells))
    out = out.reshape(*lead, *size)
    return _suggested_layout(input, out, 2) if n == 2 else out  # (2-d keeps channels_last)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_unpool2d``: the inverse of max_pool2d with
    ``return_indices``, zeros where no maximum came from."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_unpool3d``."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.nn.functional.max_unpool1d``."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Mirrors ``torch.nn.functional.unfold`` (im2col): (N, C, H, W) ->
    (N, C * kh * kw, L)."""
    x, unbatched = _batched(input, 3, "unfold")
    kernel, dilation = _tuple(kernel_size, 2, "kernel_size"), _tuple(dilation, 2, "dilation")
    pad, stride = _tuple(padding, 2, "padding"), _tuple(stride, 2, "stride")
    _check_im2col(kernel, dilation, pad, stride, ("kernel", "dilation", "padding", "stride"))
    if 0 in x._data.shape[1:]:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    pads = (pad[0], pad[0], pad[1], pad[1])
    size = tuple(x.shape[2:])
    blocks = _sliding_blocks(size, kernel, dilation, pad, stride)
    if min(blocks) < 1:
        raise RuntimeError(
            f"Given input with spatial size {size}, kernel_size={kernel}, dilation={dilation}, "
            f"padding={pad}, calculated shape of the array of sliding blocks as {blocks}, but "
            "its components must be at least one."
        )
    _check_im2col_dtype(x, "im2col_out_cpu")
    g = C.geometry(size, kernel, stride, dilation, pads, wide=False)
    out = C.Unfold.apply(x, g)
    return out.squeeze(0) if unbatched else out


def _check_im2col(kernel, dilation, pad, stride, order) -> None:
    """PyTorch's im2col/col2im argument checks, in the op's order."""
    checks = {
        "kernel": (min(kernel) > 0, "kernel size should be greater than zero", "kernel", kernel),
        "dilation": (min(dilation) > 0, "dilation should be greater than zero", "dilation",
                     dilation),
        "padding": (min(pad) >= 0, "padding should be non-negative", "pad", pad),
        "stride": (min(stride) > 0, "stride should be greater than zero", "stride", stride),
    }  # fmt: skip
    for name in order:
        ok, words, short, (h, w) = checks[name]
        if not ok:
            raise RuntimeError(f"{words}, but got {short}_height: {h} {short}_width: {w}")


def _check_im2col_dtype(x: Tensor, kernel: str) -> None:
    """PyTorch's CPU im2col/col2im kernels take floating and bool tensors, not integers."""
    if x._data.dtype.kind in "iu":
        name = scalar_type_name(x._data.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")


def _sliding_blocks(size, kernel, dilation, pad, stride) -> tuple:
    """The number of sliding blocks per spatial dim (PyTorch's division rounds down)."""
    return tuple(
        (n + 2 * p - (d * (k - 1) + 1)) // s + 1
        for n, k, d, p, s in zip(size, kernel, dilation, pad, stride)
    )


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Mirrors ``torch.nn.functional.fold`` (col2im, summing overlaps): (N, C * kh * kw, L)
    -> (N, C, H, W)."""
    x, unbatched = _batched(input, 2, "fold")
    kernel, dilation = _tuple(kernel_size, 2, "kernel_size"), _tuple(dilation, 2, "dilation")
    pad, stride = _tuple(padding, 2, "padding"), _tuple(stride, 2, "stride")
    size = _tuple(output_size, 2, "output_size")
    _check_im2col(kernel, dilation, pad, stride, ("kernel", "stride", "dilation", "padding"))
    if 0 in x._data.shape[1:]:
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {list(input.shape)}"
        )
    N, K, L = x._data.shape
    if K % (kernel[0] * kernel[1]):
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size, but got input.size(1)={K} and kernel_size={kernel}."
        )
    bh, bw = _sliding_blocks(size, kernel, dilation, pad, stride)
    given = (
        f"Given output_size={size}, kernel_size={kernel}, dilation={dilation}, "
        f"padding={pad}, stride={stride}, "
    )
    if L != bh * bw:
        raise RuntimeError(
            f"{given}expected size of input's dimension 2 to match the calculated number of "
            f"sliding blocks {bh} * {bw} = {bh * bw}, but got input.size(2)={L}."
        )
    if bh < 1 or bw < 1:
        raise RuntimeError(
            f"{given}calculated shape of the array of sliding blocks as ({bh}, {bw}), which "
            "is too small (non-positive)"
        )
    _check_im2col_dtype(x, "col2im_out_cpu")
    pads = (pad[0], pad[0], pad[1], pad[1])
    g = C.geometry(size, kernel, stride, dilation, pads, wide=False)
    out = C.Fold.apply(x, g)
    return out.squeeze(0) if unbatched else out


# ---- normalization -----------------------------------------------------------------------------
def _channel_shape(x: Tensor) -> tuple:
    """Broadcast shape of per-channel parameters for an (N, C, *) input: (C, 1, ..., 1)."""
    return (x._data.shape[1],) + (1,) * (x._data.ndim - 2)


def _per_channel(p, shape):
    return None if p is None else p.reshape(shape)


def batch_norm(
    input: Tensor,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Mirrors ``torch.nn.functional.batch_norm``: in training, normalises with the batch
    statistics and updates the running ones in place (unbiased variance); otherwise uses
    the running statistics."""
    size = input._data.shape
    if training:
        if size and size[0] * math.prod(size[2:]) == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {input.shape}"
            )
        if eps <= 0.0:
            raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    _check_momentum("batch_norm", momentum)
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _check_momentum(op: str, momentum) -> None:
    """The parser's TypeError of torch.batch_norm / torch.instance_norm for momentum=None
    (the Modules' None, a cumulative average, is theirs)."""
    if momentum is None:
        raise TypeError(f"{op}(): argument 'momentum' (position 7) must be float, not NoneType")


def _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps):
    """PyTorch's native batch_norm: ``batch_norm`` without its Python-level checks (what
    instance_norm calls)."""
    # a transposed input gives a contiguous output, a channels_last one keeps it, as PyTorch's
    x = input if is_channels_last(input._data) else input.contiguous()
    size = x._data.shape
    if not x._data.size:  # PyTorch's empty path, before any check: clone * w[0] + b[0]
        out = input.clone()
        out = out if weight is None else out * weight.select(0, 0)
        return out if bias is None else out + bias.select(0, 0)
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.requires_grad and is_grad_enabled():
            raise RuntimeError(  # PyTorch's autograd check of native_batch_norm's inputs
                f"The function 'native_batch_norm' is not differentiable with respect to "
                f"argument '{name}'. This input cannot have requires_grad True."
            )
    C_ = size[1] if len(size) >= 2 else 0  # PyTorch: a 1-D input has no channels
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):  # fmt: skip
        if t is None and not training and name.startswith("running"):
            raise RuntimeError(f"{name} must be defined in evaluation mode")
        if t is not None and t._data.size != C_:  # (PyTorch counts elements: (C, 1) passes)
            raise RuntimeError(
                f"{name} should contain {C_} elements not {t._data.size} (one per "
                f"channel of input {list(x.shape)})"
            )
    if training and (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    if x._data.ndim < 2:
        raise IndexError(
            f"batch_norm: Dimension out of range (expected to be in range of [-1, 0], but "
            f"got 1): expected 2D or more input, got {list(x.shape)}"
        )
    if x._data.dtype.kind in "biu":  # PyTorch has no kernel for them (checked first)
        _check_norm_dtypes("batch_norm", x, None, None)
    _check_norm_dtypes("batch_norm", x, weight, bias, running_mean, running_var)
    shape = _channel_shape(x)
    half = x._data.dtype in HALF_NP  # PyTorch: float32 scale and shift, the output rounded once
    if not training:
        w, b = _per_channel(weight, shape), _per_channel(bias, shape)
        wide = (lambda t: t.float()) if half else (lambda t: t)  # noqa: E731
        scale = (wide(running_var.detach()) + eps).rsqrt()
        if w is not None:
            scale = scale.reshape(shape) * wide(w)
        else:
            scale = scale.reshape(shape)
        shift = -wide(running_mean.detach()).reshape(shape) * scale
        if b is not None:
            shift = shift + wide(b)
        out = wide(x) * scale + shift
        return name_node(out.to(x.dtype) if half else out, "NativeBatchNormBackward0")
    axes = (0,) + tuple(range(2, x._data.ndim))
    count = x._data.size // C_
    stats = [] if running_mean is not None or running_var is not None else None
    # 16-bit parameters (or none): PyTorch keeps the batch's statistics in their dtype
    params = [t for t in (weight, running_mean) if t is not None]
    low = half and all(t._data.dtype == x._data.dtype for t in params)
    out = normalize(x, weight, bias, axes, eps, True, stats, x._data.dtype if low else None)
    out = name_node(out, "NativeBatchNormBackward0")
    if stats:
        mean, var = stats[0]
        with no_grad():
            if running_mean is not None:
                _update(running_mean, mean.reshape(C_), momentum, True)
            if running_var is not None:
                unbiased = var.reshape(C_) * (count / (count - 1))
                if running_var._data.dtype == BF16_NP:  # the bfloat16 sum of squares / (n - 1)
                    squares = rounded(var.reshape(C_) * count, BF16_NP)
                    unbiased = rounded(squares / rounded(count - 1, BF16_NP), BF16_NP)
                _update(running_var, unbiased, momentum, False)
    return out


def _update(running: Tensor, batch, momentum: float, round_product: bool) -> None:
    """running = (1 - momentum) * running + momentum * batch, in place, as PyTorch's kernel
    updates 16-bit statistics: float16 in float32, rounded once; bfloat16 with the momenta in
    bfloat16, (1 - momentum) * running rounded to it (and momentum * batch where
    ``round_product``: the mean's). Written in place without a version bump, as PyTorch's
    kernel writes them."""
    if running._data.dtype == BF16_NP:
        new = rounded(momentum, BF16_NP) * batch
        if round_product:
            new = rounded(new, BF16_NP)
        new += rounded(rounded(1 - momentum, BF16_NP) * running._data, BF16_NP)
    elif running._data.dtype in HALF_NP:
        new = batch * momentum + running._data.astype(np.float32) * (1 - momentum)
    else:
        new = running._data * (1 - momentum) + batch * momentum
    running._data[...] = new.reshape(running._data.shape)


def _normalized_axes(x: Tensor, normalized_shape, op: str, weight, bias=None) -> tuple:
    """(normalized_shape, the axes it covers) after PyTorch's checks, in its order: the
    shape, the weight's and the bias's shapes, then the input's."""
    if isinstance(normalized_shape, int):  # the functional form takes no int (the Modules do)
        raise TypeError(
            f"{op}(): argument 'normalized_shape' (position 2) must be tuple of ints, not int"
        )
    ns = tuple(normalized_shape)
    k = len(ns)
    if k == 0:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at "
            "least one element, but got normalized_shape = []"
        )
    _check_param("weight", weight, ns)
    _check_param("bias", bias, ns)
    if op == "rms_norm" and x._data.ndim < k:
        raise ValueError(f"Input tensor must have at least {k} dimensions, but got {x._data.ndim}")
    if x._data.ndim < k or tuple(x._data.shape[x._data.ndim - k :]) != ns:
        star = "*" if op == "rms_norm" else "*, "  # PyTorch's two spellings
        raise RuntimeError(
            f"Given normalized_shape={list(ns)}, expected input with shape "
            f"[{star}{', '.join(map(str, ns))}], but got input of size{list(x.shape)}"
        )
    return ns, tuple(range(x._data.ndim - k, x._data.ndim))


def _check_param(name: str, p, shape: tuple, input: Tensor | None = None) -> None:
    """PyTorch's errors (no op named) for a norm's weight or bias of the wrong shape: against
    the input's channels when ``input`` is given (group_norm), else against normalized_shape."""
    if p is None or tuple(p._data.shape) == shape:
        return
    if input is not None:
        raise RuntimeError(
            f"Expected {name} to be a vector of size equal to the number of channels in "
            f"input, but got {name} of shape {list(p.shape)} and input of shape {list(input.shape)}"
        )
    raise RuntimeError(
        f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
        f"{list(p.shape)} and normalized_shape = {list(shape)}"
    )


def _check_norm_dtypes(kernel: str, input: Tensor, *params) -> None:
    """PyTorch's CPU dtype checks of a normalization: integer inputs have no kernel; the
    input and the first of ``params`` given may differ only as a 16-bit input with float32
    parameters; the others must then match. Cheap: dtype comparisons on the common path."""
    dt = input._data.dtype
    given = [p._data.dtype for p in params if p is not None]
    cast = will_cast("ops.norm.Normalize", input, *(p for p in params if p is not None))
    if given and given[0] != dt and not cast:
        if given[0] == np.float32 and dt not in HALF_NP:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
        if any(d != np.float32 for d in given):
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    elif dt.kind in "biu":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(dt)}'")
    elif any(d != dt for d in given) and not cast:
        other = next(d for d in given if d != dt)
        raise RuntimeError(
            f"expected scalar type {scalar_type_name(dt)} but found {scalar_type_name(other)}"
        )


def layer_norm(
    input: Tensor, normalized_shape, weight=None, bias=None, eps: float = 1e-5
) -> Tensor:
    """Mirrors ``torch.nn.functional.layer_norm``."""
    first = weight if weight is not None else bias
    mixed = first is not None and first._data.dtype != input._data.dtype
    if mixed and not isinstance(normalized_shape, int):  # (after the parser's TypeError)
        _check_norm_dtypes("LayerNormKernelImpl", input, weight, bias)  # "mixed dtype" first
    ns, axes = _normalized_axes(input, normalized_shape, "layer_norm", weight, bias)
    _check_norm_dtypes("LayerNormKernelImpl", input, weight, bias)
    x = input.contiguous()  # PyTorch's layer_norm gives contiguous results
    return name_node(normalize(x, weight, bias, axes, eps, True), "NativeLayerNormBackward0")


def _in_input_dtype(out: Tensor, input: Tensor) -> Tensor:
    """rms_norm gives the input's dtype when the weight is wider (a float16 input with a
    float32 weight), as in PyTorch; autocast's float32 result stays float32."""
    if out._data.dtype == input._data.dtype or will_cast("ops.norm.Normalize", input):
        return out
    return out.to(input.dtype)


def rms_norm(input: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    """Mirrors ``torch.nn.functional.rms_norm`` (eps None: the machine epsilon of the dtype
    it computes in, float32 for 16-bit floats)."""
    ns, axes = _normalized_axes(input, normalized_shape, "rms_norm", weight)
    if input._data.dtype.kind in "biu":  # no integer kernel
        raise NotImplementedError(
            f"\"rms_norm\" not implemented for '{scalar_type_name(input._data.dtype)}'"
        )
    if eps is None:
        dtype = input._data.dtype
        eps = float(ml_dtypes.finfo(np.float32 if dtype in HALF_NP else dtype).eps)
    out = _in_input_dtype(normalize(input.contiguous(), weight, None, axes, eps, False), input)
    wide = weight is not None and promote_types(input.dtype, weight.dtype) != input.dtype
    cast = input._data.dtype in HALF_NP or wide
    # PyTorch's rms_norm is composite: a product (channels_last kept), made contiguous, cast
    # back to a 16-bit input's dtype; its grad_fn the last of these that did something
    cl = input.ndim in (4, 5) and strides_like_channels_last(tuple(input.shape), input.stride())
    strides = [s for n, s in zip(input.shape, input.stride()) if n > 1]
    permuted = not cl and any(a < b for a, b in zip(strides, strides[1:]))
    out = _suggested_layout(input, out, input.ndim - 2) if cl else out
    if cast:  # (a 16-bit input's float32 result, or a wider weight's)
        return name_node(out, "ToCopyBackward0")
    return name_node(out, "CloneBackward0" if permuted else "MulBackward0")


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Mirrors ``torch.nn.functional.group_norm``."""
    x = input
    if x._data.ndim < 2:
        raise RuntimeError(
            "group_norm: Expected at least 2 dimensions for input tensor but received "
            f"{x._data.ndim}"
        )
    N, C_ = x._data.shape[:2]
    size = [N * C_ // num_groups, num_groups, *x._data.shape[2:]]  # PyTorch's grouped view
    if size[0] * math.prod(size[2:]) == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}"
        )
    if num_groups < 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    if C_ % num_groups:
        raise RuntimeError(
            f"group_norm: Expected number of channels in input to be divisible by num_groups, "
            f"but got input of shape {list(x.shape)} and num_groups={num_groups}"
        )
    _check_param("weight", weight, (C_,), input)
    _check_param("bias", bias, (C_,), input)
    _check_norm_dtypes("GroupNormKernelImpl", input, weight, bias)
    if x._data.dtype in HALF_NP:  # PyTorch normalises, scales and shifts in float32
        w, b = (None if p is None else p.float() for p in (weight, bias))
        out = group_norm(x.float(), num_groups, w, b, eps).to(x.dtype)
        out = _suggested_layout(x, out, x._data.ndim - 2)  # (float() may lose channels_last)
        return name_node(out, "NativeGroupNormBackward0")
    group = C_ // num_groups * math.prod(x._data.shape[2:])  # explicit: N may be 0
    y = normalize(x.reshape(N, num_groups, group), None, None, (2,), eps, True).reshape(x.shape)
    shape = _channel_shape(x)
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    y = _suggested_layout(x, y, x._data.ndim - 2)  # channels_last kept, as PyTorch's kernel
    return name_node(y, "NativeGroupNormBackward0", input)


def instance_norm(
    input: Tensor,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Mirrors ``torch.nn.functional.instance_norm``: each (sample, channel) normalised over
    its own positions, i.e. group_norm with one channel per group. With running statistics
    it is PyTorch's batch_norm of the (1, N * C, ...) view, whose per-instance running
    statistics are then averaged over the batch (and for 16-bit inputs, whose statistics
    PyTorch's batch_norm rounds)."""
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(
            f"Expected more than 1 spatial element when training, got input size {input.shape}"
        )
    _check_momentum("instance_norm", momentum)
    if input._data.dtype.kind in "biu":
        _check_norm_dtypes("batch_norm", input, None, None)
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    tracked = running_mean is not None or running_var is not None
    sized = all(p is None or p._data.shape == input._data.shape[1:2] for p in (weight, bias))
    plain = input._data.dtype not in HALF_NP and input._data.size and sized
    if not tracked and use_input_stats and plain and eps != 0:  # (eps=0: batch norm's 1/std
        # of a constant channel is 0, group norm's inf)
        out = group_norm(input.contiguous(), input.shape[1], weight, bias, eps)
        return name_node(out, "ViewBackward0")  # PyTorch's: a view of batch_norm's output
    N, C = input.shape[:2]
    dt = input._data.dtype
    stats_sized = all(t is not None and t._data.shape == (C,) for t in (running_mean, running_var))
    mixed = stats_sized and running_mean._data.dtype == dt != running_var._data.dtype
    if mixed and sized and input._data.size:
        name = scalar_type_name(running_var._data.dtype)  # PyTorch's kernel reads it as dt
        raise RuntimeError(f"expected scalar type {scalar_type_name(dt)} but found {name}")
    # PyTorch's instance_norm takes running statistics of another dtype (copied back); a
    # 16-bit input's float32 ones are its kernel's mixed-dtype statistics
    given = [t for t in (running_mean, running_var) if t is not None]
    keep = dt in HALF_NP and all(t._data.dtype == np.float32 for t in given)
    stats = [
        None if t is None else t.repeat(N).to(t.dtype if keep else input.dtype)
        for t in (running_mean, running_var)
    ]
    w, b = (None if t is None else t.repeat(N) for t in (weight, bias))
    x = input.contiguous().reshape(1, N * C, *input.shape[2:])  # PyTorch's contiguous view
    out = _batch_norm(x, stats[0], stats[1], w, b, use_input_stats, momentum, eps)
    with no_grad():
        for running, repeated in zip((running_mean, running_var), stats):
            if running is not None and use_input_stats:
                running.copy_(repeated.reshape(N, C).mean(0))
    return out.reshape(input.shape)


def _check_lrn_size(input: Tensor, size: int) -> None:
    """PyTorch's errors of a local_response_norm of ``size`` <= 0: its padding of the
    squares crops more channels than there are, or the average pool's kernel refuses it."""
    if input.shape[1] + size // 2 + (size - 1) // 2 < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if size < -1:
        raise RuntimeError(
            "pad should be at most half of effective kernel size, but got pad=0, "
            f"kernel_size={size} and dilation=1"
        )
    kernel = f"kH: {size} kW: 1" if input.ndim == 3 else f"kT: {size} kH: 1 kW: 1"
    raise RuntimeError(f"kernel size should be greater than zero, but got {kernel}")


def _check_lrn_view(input: Tensor) -> None:
    """PyTorch's error where its local_response_norm views the squares of an input of 5 or
    more dims as (N, 1, C, D, -1): the squares laid out in the input's dim order (as its
    element-wise kernels lay them out), the dims after D must be mergeable."""
    big = [d for d in range(input.ndim) if input.shape[d] > 1]
    order = sorted(big, key=lambda d: -input.stride(d))  # outermost first (stable)
    at = [order.index(d) for d in big if d >= 3]  # where the merged dims lie, in their order
    if at and at != list(range(at[0], at[0] + len(at))):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )


def local_response_norm(
    input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> Tensor:
    """Mirrors ``torch.nn.functional.local_response_norm``: x / (k + alpha * the mean of x^2
    over ``size`` neighbouring channels, zero-padded)^beta."""
    if input.ndim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)"
        )
    if input.numel() == 0:
        return input
    if size <= 0:
        _check_lrn_size(input, size)
    if input.ndim > 3:  # PyTorch pools the squares of these with avg_pool3d
        _check_lrn_view(input)
        _check_avg_pool3d_kernel(input)
    C = input.shape[1]
    sq = ops.pad((input * input).movedim(1, -1), (size // 2, (size - 1) // 2))
    total = sq[..., :C]
    for i in range(1, size):
        total = total + sq[..., i : i + C]
    # PyTorch's average pool of the squares: an integer input's mean is truncated
    mean = total / size if _floats(total._data.dtype) else total // size
    div = (mean * alpha + k) ** beta
    return input / div.movedim(-1, 1)


# ---- attention ---------------------------------------------------------------------------------
def _dropout(x: Tensor, p: float) -> Tensor:
    if p <= 0.0:
        return x
    if p >= 1.0:
        return x * 0.0
    return x * make_tensor(_dropout_factors(x._data.shape, p, x._data.dtype, x))


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask=None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale=None,
    enable_gqa: bool = False,
) -> Tensor:
    """Mirrors ``torch.nn.functional.scaled_dot_product_attention``: softmax(q k^T * scale
    + mask) v. A bool mask keeps the True positions, a float mask is added; ``is_causal``
    keeps the lower triangle (aligned top-left) and combines with ``attn_mask`` where PyTorch's
    flash kernel runs (its math kernel refuses the pair, and so does this). Rows with
    every position masked give zeros, as PyTorch's math path does. A CausalBias mask
    (nn.attention.bias) runs as PyTorch's does."""
    if attn_mask is not None and type(attn_mask) is not Tensor:
        from .attention.bias import CausalBias  # noqa: PLC0415  (imports nn.functional)

        if isinstance(attn_mask, CausalBias):
            return CausalBias._dispatch(
                query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa
            )
    q, k, v = query, key, value
    # PyTorch's order: the dtypes and ranks (validate_sdpa_input), then its math kernel's
    # causal check, heads, q @ k^T, the mask's broadcast, dropout, and weights @ v
    if q._data.dtype != k._data.dtype or q._data.dtype != v._data.dtype:
        if not will_cast("ops.attention.Attention", q, k, v):
            raise RuntimeError(
                "Expected query, key, and value to have the same dtype, but got query.dtype: "
                f"{q.dtype} key.dtype: {k.dtype} and value.dtype: {v.dtype} instead."
            )
    elif q._data.dtype.kind not in "fV":
        raise RuntimeError(
            f"expected scalar type Float but found {scalar_type_name(q._data.dtype)} "
            "(scaled_dot_product_attention takes floating point query, key and value)"
        )
    if min(q._data.ndim, k._data.ndim, v._data.ndim) < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got "
            f"query.dim: {q.ndim} key.dim: {k.ndim} and value.dim: {v.ndim} instead."
        )
    if attn_mask is not None and attn_mask._data.dtype not in (np.bool_, np.float32, q._data.dtype):
        if not will_cast("ops.attention.Attention", q, attn_mask):
            raise RuntimeError(_mask_dtype_message(attn_mask.dtype, q.dtype))
    out_shape = (*q.shape[:-1], v.shape[-1])
    if 0 in out_shape or k.shape[-2] == v.shape[-2] == 0:
        # PyTorch returns zeros before choosing a kernel (no other check), in q, k, v's graph
        zeros = factories.zeros(out_shape, dtype=q.dtype, device=q.device)
        return zeros + (q.sum() + k.sum() + v.sum()) * 0
    flash = _flash_kernel(q, k, v, attn_mask, dropout_p, enable_gqa)
    if is_causal and attn_mask is not None and not flash:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True (PyTorch's math kernel, which runs for these inputs, takes one or "
            "the other: fold the causal mask into attn_mask)"
        )
    if enable_gqa and min(q._data.ndim, k._data.ndim) < 3:  # PyTorch reads the heads at -3
        raise IndexError("Dimension out of range (expected to be in range of [-2, 1], but got -3)")
    if enable_gqa:
        heads = q._data.shape[-3]
        if heads % k._data.shape[-3] or heads % v._data.shape[-3]:
            raise RuntimeError(
                "Number of heads in key and value must divide the number of heads in query"
            )
        k, v = _repeat_heads(k, heads), _repeat_heads(v, heads)
    try:
        batch = np.broadcast_shapes(q._data.shape[:-2], k._data.shape[:-2], v._data.shape[:-2])
    except ValueError:  # PyTorch's words: q @ k^T's broadcast, then the weights @ v's
        raise _mismatch([q._data.shape[:-2], k._data.shape[:-2], v._data.shape[:-2]]) from None
    E = q._data.shape[-1]
    kt = k._data.shape[:-2] + k._data.shape[-2:][::-1]
    _check_matmul(q._data.shape, kt)  # q @ k^T
    s = 1.0 / math.sqrt(E or 1) if scale is None else float(scale)  # (E = 0: zero scores)
    L, S = q._data.shape[-2], k._data.shape[-2]
    if attn_mask is not None:
        try:  # PyTorch adds the mask to the scores in place
            added = np.broadcast_shapes(attn_mask._data.shape, batch + (L, S))
        except ValueError:
            raise _mismatch([batch + (L, S), attn_mask._data.shape]) from None
        if added != batch + (L, S):
            raise RuntimeError(
                f"output with shape {list(batch + (L, S))} doesn't match the broadcast shape "
                f"{list(added)}"
            )
    if dropout_p > 1.0:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    _check_matmul(batch + (L, S), v._data.shape)  # weights @ v
    dtype = scores_dtype(q._data.dtype)
    drop = None
    if dropout_p > 0.0:
        drop = _dropout_factors(batch + (L, S), dropout_p, dtype, q)
    mask = _causal_mask(L, S, dtype, q._data) if is_causal else None
    if attn_mask is not None:
        if attn_mask._data.dtype == np.bool_:  # True = may attend (the opposite of MHA's)
            m = _additive(make_tensor(~attn_mask._data), dtype)
        elif attn_mask.requires_grad:  # a learned bias: it stays in the graph
            mask = attn_mask if mask is None else attn_mask + make_tensor(mask)
            return attention_reference(q, k, v, mask, s, drop)
        else:
            m = attn_mask._data.astype(dtype, copy=False)
        mask = m if mask is None else mask + m
    return attention(q, k, v, mask, s, drop, flash)


def _check_matmul(a: tuple, b: tuple) -> None:
    """PyTorch's matmul error when the inner sizes of shapes ``a`` @ ``b`` differ: mm's
    words for a 2-D ``b`` (``a`` folded to 2-D), else bmm's over the broadcast batch."""
    if a[-1] == b[-2]:
        return
    if len(b) == 2:
        rows = math.prod(a[:-1])
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{a[-1]} and {b[0]}x{b[1]})"
        )
    n = math.prod(np.broadcast_shapes(a[:-2], b[:-2]))
    raise RuntimeError(
        f"Expected size for first two dimensions of batch2 tensor to be: [{n}, {a[-1]}] "
        f"but got: [{n}, {b[-2]}]."
    )


def _mask_dtype_message(mask_dtype, query_dtype) -> str:
    return (
        "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
        f"attn_mask.dtype: {mask_dtype} and query.dtype: {query_dtype} instead."
    )


def _flash_kernel(q: Tensor, k: Tensor, v: Tensor, attn_mask, dropout_p: float, gqa: bool) -> bool:
    """Whether PyTorch's CPU dispatch picks its flash kernel over the math kernel: 4-D
    inputs of one batch size, with equal head counts (or enable_gqa) and head dims, last dims
    contiguous, no dropout, no mask needing a gradient, a mask of rank 2 or 4."""
    arrays = (q._data, k._data, v._data)
    if dropout_p > 0.0 or any(a.ndim != 4 for a in arrays):
        return False
    if attn_mask is not None and (attn_mask.requires_grad or attn_mask._data.ndim not in (2, 4)):
        return False
    (B, H, _, E), (Bk, Hk, _, Ek), (Bv, Hv, _, Ev) = (a.shape for a in arrays)
    if not (B == Bk == Bv and Hk == Hv and E == Ek == Ev) or (Hk != H and not gqa) or H % Hk:
        return False
    return all(a.strides[-1] == a.itemsize or a.shape[-1] == 1 for a in arrays)


_causal_cache: dict = {}


def _causal_mask(L: int, S: int, dtype, like):
    """The additive (L, S) causal mask (0 on and below the diagonal, -inf above), cached."""
    key = (L, S, np.dtype(dtype).str, str(device_of(like)))
    mask = _causal_cache.get(key)
    if mask is None:
        if len(_causal_cache) > 32:
            _causal_cache.clear()
        xp = get_backend(device_of(like)).xp
        mask = xp.triu(xp.full((L, S), -np.inf, dtype=dtype), 1)
        _causal_cache[key] = mask
    return mask


def _dropout_factors(shape, p: float, dtype, like: Tensor):
    """0 with probability p, else 1 / (1 - p): the dropout of attention weights (all 0,
    drawing nothing, for p >= 1, as PyTorch's dropout)."""
    if p >= 1.0:
        return get_backend(device_of(like._data)).xp.zeros(shape, dtype)
    return dropout_mask(default_generator(like.device).rng, shape, p, dtype)


def _repeat_heads(t: Tensor, heads: int) -> Tensor:
    """(..., Hk, S, E) -> (..., heads, S, E), each key/value head shared by heads / Hk."""
    shape = t._data.shape
    hk = shape[-3]
    if hk == heads:
        return t
    t = t.unsqueeze(-3).expand(*shape[:-2], heads // hk, *shape[-2:])
    return t.reshape(*shape[:-3], heads, *shape[-2:])


def _additive(mask, dtype):
    """A mask as an additive float array: bool True (forbidden) becomes -inf (PyTorch's
    masked_fill_ of -inf: its error for an integer ``dtype``)."""
    m = mask._data
    if m.dtype == np.bool_:
        check_fill_value("", -math.inf, np.dtype(dtype))
        xp = get_backend(device_of(m)).xp
        m = xp.where(m, xp.asarray(-np.inf, dtype), xp.asarray(0, dtype))
    return m.astype(dtype, copy=False)


def _additive_tensor(mask: Tensor, dtype) -> Tensor:
    """A bool mask as an additive one of ``dtype``; a float mask as it is (PyTorch merges
    two float32 masks in float32, whatever the query's dtype)."""
    return make_tensor(_additive(mask, dtype)) if mask._data.dtype == np.bool_ else mask


def _merge_masks(attn_mask, key_padding_mask, B: int, H: int, L: int, S: int):
    """The additive masks as one (B, H, L, S) or (L, S), or None."""
    mask = attn_mask
    if mask is not None and mask.ndim == 3:  # (B * H, L, S)
        mask = mask.reshape(B, H, L, S)
    if key_padding_mask is not None:
        kp = key_padding_mask.reshape(B, 1, 1, S)
        mask = kp if mask is None else mask + kp
    return mask


def _check_mask_type(mask, other, name: str, other_name: str) -> None:
    """PyTorch's ``_canonical_mask`` checks: ``mask`` is bool or float, and a warning when
    the layer's ``other`` mask has another dtype."""
    if mask is None:
        return
    if mask._data.dtype.kind not in "bfV":
        raise AssertionError(
            f"only bool and floating types of {name} are supported (got {mask.dtype}; "
            "True or -inf marks a position that may not be attended to)"
        )
    if other is not None and other._data.dtype != mask._data.dtype:
        warnings.warn(
            f"Support for mismatched {name} and {other_name} is deprecated. Use same type for "
            "both instead.",
            stacklevel=5,
        )


def canonical_masks(padding_mask, mask, like: Tensor, names: tuple) -> tuple:
    """PyTorch's ``F._canonical_mask`` on a transformer layer's key padding mask and
    attention mask (``names``): checked as MultiheadAttention checks them, a bool mask made
    a float one of ``like``'s dtype (-inf where True), so the layers inside do not warn
    again."""
    _check_mask_type(padding_mask, mask, *names)
    _check_mask_type(mask, None, names[1], "")
    dtype = like._data.dtype
    return tuple(
        make_tensor(_additive(m, dtype)) if m is not None and m._data.dtype == np.bool_ else m
        for m in (padding_mask, mask)
    )


def _check_mask_shapes(attn_mask, key_padding_mask, B: int, H: int, L: int, S: int) -> None:
    """PyTorch's checks of MultiheadAttention's masks, (L, S) or (B * heads, L, S) and
    (B, S) (S counts the key positions bias_k / add_zero_attn append)."""
    if attn_mask is not None:
        want = {2: (L, S), 3: (B * H, L, S)}.get(attn_mask.ndim)
        if want is None:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")
        if tuple(attn_mask.shape) != want:
            raise RuntimeError(
                f"The shape of the {attn_mask.ndim}D attn_mask is {attn_mask.shape}, but "
                f"should be {want}."
            )
    if key_padding_mask is not None and key_padding_mask.shape[0] != B:
        raise AssertionError(
            f"Expected key_padded_mask.shape[0] to be {B}, but got {key_padding_mask.shape[0]}"
        )
    if key_padding_mask is not None and key_padding_mask.shape[-1] != S:
        raise AssertionError(
            f"Expected key_padded_mask.shape[1] to be {S}, but got {key_padding_mask.shape[-1]}"
        )


def _check_merged_mask_dtype(attn_mask, key_padding_mask, query: Tensor, need_weights: bool):
    """PyTorch adds MultiheadAttention's float masks as they are (a bool mask becomes the
    query's dtype): their promoted dtype must be the query's, where autocast does not cast."""
    dtypes = [
        m.dtype if m.is_floating_point() else query.dtype
        for m in (attn_mask, key_padding_mask)
        if m is not None
    ]
    if not dtypes or will_cast("ops.attention.Attention", query):
        return
    merged = promote_types(dtypes[0], dtypes[-1])
    if merged == query.dtype or (merged == float32 and not need_weights):  # as SDPA takes it
        return
    if need_weights:
        raise RuntimeError(
            f"Input dtypes must be the same, got: input {merged}, batch1: {query.dtype}, "
            f"batch2: {query.dtype}"
        )
    raise RuntimeError(_mask_dtype_message(merged, query.dtype))


def _in_projection(name: str, x: Tensor, w: Tensor, b, E: int) -> Tensor:
    """``x``'s projection to E features, with PyTorch's ``_in_projection`` checks."""
    if tuple(w.shape) != (E, x.shape[-1]):
        raise AssertionError(
            f"expecting {name} weights shape of {(E, x.shape[-1])}, but got {w.shape}"
        )
    if b is not None and tuple(b.shape) != (E,):
        raise AssertionError(f"expecting {name} bias shape of {(E,)}, but got {b.shape}")
    return linear(x, w, b)


def _mha_batched(query, key, value, key_padding_mask, attn_mask, num_heads: int) -> bool:
    """PyTorch's rank checks of multi_head_attention_forward's inputs (``_mha_shape_check``):
    whether they are batched (3-D query) or not (2-D)."""
    batched = query.ndim == 3
    if query.ndim not in (2, 3):
        raise AssertionError(
            "query should be unbatched 2D or batched 3D tensor but received "
            f"{query.ndim}-D query tensor"
        )
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(
            f"For {kind} `query`, expected `key` and `value` to be {query.ndim}-D but found "
            f"{key.ndim}-D and {value.ndim}-D tensors respectively"
        )
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AssertionError(
            f"For {kind} `query`, expected `key_padding_mask` to be `None` or "
            f"{query.ndim - 1}-D but found {key_padding_mask.ndim}-D tensor instead"
        )
    if attn_mask is not None and attn_mask.ndim not in (2, 3):
        raise AssertionError(
            f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
            f"{attn_mask.ndim}-D tensor instead"
        )
    want = (num_heads, query.shape[0], key.shape[0])
    if not batched and attn_mask is not None and attn_mask.ndim == 3:
        if tuple(attn_mask.shape) != want:
            raise AssertionError(
                f"Expected `attn_mask` shape to be {want} but got {attn_mask.shape}"
            )
    return batched


def _pad_key(mask):
    """``mask`` with one more key column, where attention is allowed (False / 0), or None."""
    if mask is None:
        return None
    return ops.cat([mask, factories.zeros_like(mask[..., :1])], -1)


def _heads(t: Tensor, static, name: str, B: int, heads: int, hd: int) -> Tensor:
    """(S, B, E) keys or values -> (B, heads, S, hd), or PyTorch's ``static_k``/``static_v``
    ((B * heads, S', hd)) in their place."""
    if static is None:
        if t.numel() != t.shape[0] * B * heads * hd:  # another batch size: PyTorch's view words
            shape = [t.shape[0], B * heads, hd]
            raise RuntimeError(f"shape '{shape}' is invalid for input of size {t.numel()}")
        return t.reshape(t.shape[0], B, heads, hd).permute(1, 2, 0, 3)
    if static.shape[0] != B * heads:
        raise AssertionError(f"expecting {name}.size(0) of {B * heads}, but got {static.shape[0]}")
    if static.shape[2] != hd:
        raise AssertionError(f"expecting {name}.size(2) of {hd}, but got {static.shape[2]}")
    return static.reshape(B, heads, static.shape[1], hd)


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight,
    in_proj_bias,
    bias_k,
    bias_v,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias,
    training: bool = True,
    key_padding_mask=None,
    need_weights: bool = True,
    attn_mask=None,
    use_separate_proj_weight: bool = False,
    q_proj_weight=None,
    k_proj_weight=None,
    v_proj_weight=None,
    static_k=None,
    static_v=None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
):
    """Mirrors ``torch.nn.functional.multi_head_attention_forward`` for (L, B, E) inputs
    (or unbatched (L, E)). Returns (output, attention weights or None). bias_k/bias_v and
    add_zero_attn each append one key/value position; static_k/static_v ((B * heads, S, hd))
    replace the projected keys/values."""
    unbatched = not _mha_batched(query, key, value, key_padding_mask, attn_mask, num_heads)
    if unbatched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    L, B, E = query._data.shape
    S = key._data.shape[0]
    # PyTorch's mask checks and the is_causal hint's come before the shapes'
    _check_mask_type(key_padding_mask, attn_mask, "key_padding_mask", "attn_mask")
    dtype = query._data.dtype  # PyTorch's _canonical_mask: a bool mask made an additive one
    if key_padding_mask is not None:
        key_padding_mask = _additive_tensor(key_padding_mask, dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "multi_head_attention_forward: Need attn_mask if specifying the is_causal hint. "
            "You may use the Transformer module method `generate_square_subsequent_mask` to "
            "create this mask."
        )
    causal = is_causal and key_padding_mask is None and not need_weights
    if causal:  # PyTorch then runs SDPA's causal kernel, without attn_mask (unchecked)
        attn_mask = None
    _check_mask_type(attn_mask, None, "attn_mask", "")
    if attn_mask is not None:
        attn_mask = _additive_tensor(attn_mask, dtype)
    if E != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {E}"
        )
    if E % num_heads:
        raise AssertionError(f"embed_dim {E} not divisible by num_heads {num_heads}")
    hd = E // num_heads
    if use_separate_proj_weight and key.shape[:2] != value.shape[:2]:
        raise AssertionError(
            f"key's sequence and batch dims {key.shape[:2]} do not match value's {value.shape[:2]}"
        )
    if not use_separate_proj_weight and key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    if use_separate_proj_weight:
        biases = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
        names = ("query", "key", "value")
        q, k, v = (
            _in_projection(*args, E) for args in zip(names, (query, key, value), weights, biases)
        )
    elif query is key and key is value:
        q, k, v = linear(query, in_proj_weight, in_proj_bias).chunk(3, -1)
    else:
        wq, wk, wv = in_proj_weight.chunk(3)
        bq, bk, bv = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = linear(query, wq, bq), linear(key, wk, bk), linear(value, wv, bv)
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = ops.cat([k, bias_k.expand(1, B, E)])
        v = ops.cat([v, bias_v.expand(1, B, E)])
        attn_mask, key_padding_mask, S = _pad_key(attn_mask), _pad_key(key_padding_mask), S + 1
    # (L, B, E) -> (B, heads, L, hd)
    q = q.reshape(L, B, num_heads, hd).permute(1, 2, 0, 3)
    k = _heads(k, static_k, "static_k", B, num_heads, hd)
    v = _heads(v, static_v, "static_v", B, num_heads, hd)
    S = k.shape[2]
    if add_zero_attn:
        zero = factories.zeros_like(k[:, :, :1])
        k, v = ops.cat([k, zero], 2), ops.cat([v, zero], 2)
        attn_mask, key_padding_mask, S = _pad_key(attn_mask), _pad_key(key_padding_mask), S + 1
    _check_mask_shapes(attn_mask, key_padding_mask, B, num_heads, L, S)
    _check_merged_mask_dtype(attn_mask, key_padding_mask, query, need_weights)
    mask = _merge_masks(attn_mask, key_padding_mask, B, num_heads, L, S)
    p = dropout_p if training else 0.0
    if need_weights:  # the weights are returned after dropout, as PyTorch does
        scores = (q * (1.0 / math.sqrt(hd))) @ k.mT
        if mask is not None:
            scores = scores + mask
        weights = _dropout(ops.softmax(scores, -1), p)
        out = weights @ v
        if average_attn_weights:
            weights = weights.mean(1)
    else:
        weights = None
        out = scaled_dot_product_attention(q, k, v, mask, p, causal)
    out = out.permute(2, 0, 1, 3).reshape(L, B, E)
    out = linear(out, out_proj_weight, out_proj_bias)
    if unbatched:
        out = out.squeeze(1)
        weights = weights.squeeze(0) if weights is not None else None
    return out, weights
