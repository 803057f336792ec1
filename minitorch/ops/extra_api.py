"""The rest of PyTorch's public surface that composes from existing ops: the ``*_copy``
functions (a view op's result as a fresh tensor), ATen's functional forms of nn ops
(``torch.convolution``, ``torch.gru_cell``, ``torch.native_dropout``, ...), the deprecated
norms, global switches, and a few Tensor methods (``set_``, ``as_strided_``, ``map2_``...).

It imports ``nn.functional`` and ``factories``, so it is loaded by ``minitorch/__init__``
after them (``FUNCTIONS`` become ``torch.<name>``, ``METHODS`` Tensor methods)."""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtypes, factories
from .._memory_format import contiguous_format
from .._tensor import Tensor, make_tensor
from ..amp import autocast_mode
from ..autograd import anomaly_mode, forward_ad, observers
from ..autograd.function import LEAF_INPLACE, check_inplace_allowed, name_node
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.underivable import Underivable
from ..nn import functional as F
from ..nn.functional import _check_p, _keep_mask
from .inplace import _address, _check_writable, _map_into, bump_version
from .recurrent import gru_step, lstm_step
from .shape import unsafe_split_with_sizes


# ---- the *_copy functions --------------------------------------------------------------------
def _copy_of(view_name: str):
    def copy(input: Tensor, *args, **kwargs):
        return _fresh(getattr(input, view_name)(*args, **kwargs), input)

    copy.__name__ = copy.__qualname__ = f"{view_name}_copy"
    copy.__doc__ = (
        f"Mirrors ``torch.{view_name}_copy``: ``input.{view_name}(...)`` as a new tensor."
    )
    return copy


def _fresh(result, input: Tensor, node: str | None = None):
    """The view(s) ``result`` of ``input`` copied (contiguous), each copy's node named as
    PyTorch's one node of the ``*_copy`` op: ``<the view's node, or node>_copy``."""

    def copy(view: Tensor) -> Tensor:
        out = view.clone(memory_format=contiguous_format)
        name = node or (view.grad_fn.name() if view is not input and view.grad_fn else None)
        return name_node(out, f"{name}_copy") if name else out

    return copy(result) if isinstance(result, Tensor) else tuple(copy(t) for t in result)


def view_copy(input: Tensor, size) -> Tensor:
    """Mirrors ``torch.view_copy(input, size)`` (any layout: it copies, as ``reshape``) and
    ``view_copy(input, dtype)``."""
    if isinstance(size, _dtypes.dtype):
        return _fresh(input.view(size), input)
    return _fresh(input.reshape(size), input, "ViewBackward0")


def expand_copy(input: Tensor, size, *, implicit: bool = False) -> Tensor:
    """Mirrors ``torch.expand_copy``: ``input.expand(size)`` as a new tensor."""
    return _fresh(input.expand(size), input, "ExpandBackward0")


def detach_copy(input: Tensor) -> Tensor:
    """Mirrors ``torch.detach_copy``: a copy that (as PyTorch's) keeps requires_grad but has
    no derivative: backward through it raises."""
    return Underivable.apply(input, "detach_copy", lambda a: a.copy(order="C"))


def alias_copy(input: Tensor) -> Tensor:
    """Mirrors ``torch.alias_copy``: a copy (gradients flow, as through an alias)."""
    return _fresh(input, input, "AliasBackward0")


def slice_copy(input: Tensor, dim: int = 0, start=None, end=None, step: int = 1) -> Tensor:
    """Mirrors ``torch.slice_copy``: ``input[..., start:end:step, ...]`` along ``dim``, copied."""
    index = [slice(None)] * input.ndim
    index[dim] = slice(start, end, step)
    return _fresh(input[tuple(index)], input, "SliceBackward0")


def split_with_sizes_copy(input: Tensor, split_sizes, dim: int = 0) -> tuple:
    """Mirrors ``torch.split_with_sizes_copy``."""
    return _fresh(input.split(list(split_sizes), dim), input, "SplitWithSizesBackward0")


# ---- deprecated norms ------------------------------------------------------------------------
def _deprecated_norm(name: str, use: str) -> None:
    warnings.warn(
        f"at::{name} is deprecated and it is just left for JIT compatibility. It will be "
        f"removed in a future PyTorch release. Please use `{use}` instead",
        UserWarning,
        stacklevel=3,
    )


def frobenius_norm(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    """Mirrors the deprecated ``torch.frobenius_norm``: ``linalg.vector_norm(input, 2, dim,
    keepdim)``, with PyTorch's warning."""
    _deprecated_norm("frobenius_norm", "linalg.vector_norm(A, 2., dim, keepdim)")
    dim = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dim) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dim)} dimensions instead.")
    return _linalg().vector_norm(input, 2.0, dim, keepdim)


def nuclear_norm(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Mirrors the deprecated ``torch.nuclear_norm(input, keepdim=False)`` and
    ``nuclear_norm(input, dim, keepdim=False)``: the sum of singular values over two dims."""
    _deprecated_norm("nuclear_norm", "linalg.matrix_norm(A, 'nuc', dim, keepdim)")
    if isinstance(dim, bool):  # nuclear_norm(input, keepdim)
        dim, keepdim = None, dim
    return _linalg().matrix_norm(input, "nuc", (-2, -1) if dim is None else tuple(dim), keepdim)


def matrix_rank(*args, **kwargs):
    """Mirrors ``torch.matrix_rank``: removed from PyTorch, it raises PyTorch's error."""
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed.\n"
        "Please use the `torch.linalg.matrix_rank` function instead. The parameter "
        "'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'."
    )


def _linalg():
    from .. import linalg  # noqa: PLC0415  (minitorch.linalg imports the ops)

    return linalg


# ---- ATen's forms of nn ops ------------------------------------------------------------------
def native_dropout(input: Tensor, p: float, train: bool | None) -> tuple:
    """Mirrors ``torch.native_dropout``: (output, keep mask as bool); not training, a copy
    of the input and an all-True mask. The mask is dropout's, from the same draws."""
    if train is False:
        return input.clone(), make_tensor(np.ones_like(input._data, dtype=bool))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={1 - p}")
    scaled = _keep_mask(input, p, input._data.shape)
    return input * make_tensor(scaled), make_tensor(scaled != 0)


def _feature_mask_shape(input: Tensor) -> tuple:
    return tuple(input.shape[:2]) + (1,) * (input.ndim - 2)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Mirrors ``torch.feature_dropout``: dropout of whole (batch, channel) slices."""
    _check_p(p)
    if not train or p == 0:
        return input
    return input * make_tensor(_keep_mask(input, p, _feature_mask_shape(input)))


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """Mirrors ``torch.feature_dropout_``: ``feature_dropout`` in place."""
    _check_p(p)
    if not train or p == 0:
        return input
    return input.mul_(make_tensor(_keep_mask(input, p, _feature_mask_shape(input))))


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """Mirrors ``torch.feature_alpha_dropout_``: ``F.feature_alpha_dropout`` in place."""
    return F.feature_alpha_dropout(input, p, train, inplace=True)


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Mirrors ``torch.native_channel_shuffle``: ``nn.functional.channel_shuffle``, without
    a derivative (as PyTorch's)."""

    def shuffle(a):
        return F.channel_shuffle(make_tensor(a), groups)._data

    return Underivable.apply(input, "native_channel_shuffle", shuffle)


def native_group_norm(input: Tensor, weight, bias, N: int, C: int, HxW: int, group: int,
                      eps: float) -> tuple:  # fmt: skip
    """Mirrors ``torch.native_group_norm``: (output, mean, rstd), the statistics (N, group)."""
    out = F.group_norm(input, group, weight, bias, eps)
    grouped = input.reshape(N, group, C // group * HxW)  # explicit: N may be 0
    mean = grouped.mean(-1)
    rstd = (grouped.var(-1, correction=0) + eps).rsqrt()
    return out, mean, rstd


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=(), padding=0, dilation=1,
                            ceil_mode: bool = False) -> tuple:  # fmt: skip
    """Mirrors ``torch.max_pool1d_with_indices``: (values, indices); the stride defaults to
    the kernel size."""
    stride = stride if stride not in ((), []) else None
    return F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


_BAG_MODES = ("sum", "mean", "max")


def embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq=False,
                  mode: int = 0, sparse: bool = False, per_sample_weights=None,
                  include_last_offset: bool = False, padding_idx: int | None = None) -> tuple:  # fmt: skip
    """Mirrors ``torch.embedding_bag`` (weight first, mode 0 sum, 1 mean, 2 max): (output,
    offset2bag, bag_size, max_indices) with PyTorch's CPU bookkeeping tensors."""
    name = _BAG_MODES[mode]
    out = F.embedding_bag(indices, weight, offsets, None, 2.0, scale_grad_by_freq, name,
                          sparse, per_sample_weights, include_last_offset, padding_idx)  # fmt: skip
    starts = offsets.cpu()._data.astype(np.int64)
    flat = indices.cpu()._data.reshape(-1)
    n_bags = starts.size - bool(include_last_offset)
    as_long = lambda a: make_tensor(np.asarray(a, dtype=np.int64)).to(weight.device)  # noqa: E731
    if name == "sum":
        zeros = np.zeros(n_bags, np.int64)
        return out, as_long(np.zeros(0)), as_long(zeros), as_long(zeros)
    bag = np.searchsorted(starts, np.arange(flat.size), side="right") - 1
    kept = flat != (padding_idx if padding_idx is not None else -1) % weight.shape[0]
    if padding_idx is None:
        kept[:] = True
    sizes = np.bincount(bag[kept], minlength=n_bags)[:n_bags]
    if name != "max":
        return out, as_long(bag), as_long(sizes), as_long(sizes if name == "mean" else 0 * sizes)
    rows = weight.detach().cpu()._data
    argmax = np.zeros((n_bags, weight.shape[1]), np.int64)
    for b in range(n_bags):
        members = flat[(bag == b) & kept]
        if members.size:
            argmax[b] = members[rows[members].argmax(0)]
    return out, as_long(bag), as_long(sizes), as_long(argmax)


def embedding_renorm_(input: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """Mirrors ``torch.embedding_renorm_``: rows ``indices`` of ``input`` whose
    ``norm_type``-norm exceeds ``max_norm`` are scaled to norm ``max_norm`` (in place)."""
    rows = np.unique(indices.cpu()._data.reshape(-1))
    data = input._data
    picked = data[rows]
    norms = np.linalg.norm(picked.astype(np.float64), ord=norm_type, axis=1)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    data[rows] = (picked * scale[:, None]).astype(data.dtype)
    bump_version(input)
    return input


def convolution(input: Tensor, weight: Tensor, bias, stride, padding, dilation,
                transposed: bool, output_padding, groups: int) -> Tensor:  # fmt: skip
    """Mirrors ``torch.convolution``: the convolution (or transposed convolution) whose
    rank the weight gives."""
    rank = weight.ndim - 2
    if rank not in (1, 2, 3):
        raise RuntimeError(
            f"Expected 3D, 4D or 5D weight for convolution, but got weight of size "
            f"{list(weight.shape)}"
        )
    if transposed:
        conv = getattr(F, f"conv_transpose{rank}d")
        return conv(input, weight, bias, stride, padding, output_padding, groups, dilation)
    return getattr(F, f"conv{rank}d")(input, weight, bias, stride, padding, dilation, groups)


def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int = 0) -> Tensor:
    """Mirrors ``torch.conv_tbc``: a 1-D convolution of (time, batch, channels) input with a
    (kernel width, in channels, out channels) weight, result (time', batch, out channels)."""
    if input.ndim != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.ndim != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")  # fmt: skip
    if bias.ndim != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    out = F.conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, padding=pad)
    return out.permute(2, 0, 1).contiguous()


_INTERPOLATION = ("bilinear", "nearest", "bicubic")
_PADDING = ("zeros", "border", "reflection")


def grid_sampler(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                 align_corners: bool) -> Tensor:  # fmt: skip
    """Mirrors ``torch.grid_sampler`` (and ``grid_sampler_2d``/``_3d``): ``F.grid_sample``
    with the modes numbered (0 bilinear, 1 nearest, 2 bicubic; 0 zeros, 1 border,
    2 reflection)."""
    return F.grid_sample(input, grid, _INTERPOLATION[interpolation_mode],
                         _PADDING[padding_mode], align_corners)  # fmt: skip


def grid_sampler_2d(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                    align_corners: bool) -> Tensor:  # fmt: skip
    """Mirrors ``torch.grid_sampler_2d``: ``grid_sampler`` of a 4-D input."""
    return grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners)


def grid_sampler_3d(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                    align_corners: bool) -> Tensor:  # fmt: skip
    """Mirrors ``torch.grid_sampler_3d``: ``grid_sampler`` of a 5-D input."""
    return grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners)


def affine_grid_generator(theta: Tensor, size, align_corners: bool) -> Tensor:
    """Mirrors ``torch.affine_grid_generator``: ``F.affine_grid``."""
    return F.affine_grid(theta, list(size), align_corners)


# ---- functional RNN cells --------------------------------------------------------------------
def _gates(input: Tensor, hx: Tensor, w_ih, w_hh, b_ih, b_hh, hidden_first=True) -> tuple:
    """The input's and the hidden state's linear maps, in PyTorch's order (the hidden
    state's first, but for gru_cell): it decides which mixed-dtype error is raised."""
    if hidden_first:
        gh = F.linear(hx, w_hh, b_hh)
        return F.linear(input, w_ih, b_ih), gh
    gi = F.linear(input, w_ih, b_ih)
    return gi, F.linear(hx, w_hh, b_hh)


def rnn_tanh_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.rnn_tanh_cell``: tanh(input W_ih^T + b_ih + hx W_hh^T + b_hh)."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
    return (gi + gh).tanh()


def rnn_relu_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.rnn_relu_cell``: relu(input W_ih^T + b_ih + hx W_hh^T + b_hh)."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
    return (gi + gh).relu()


def lstm_cell(input: Tensor, hx, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None) -> tuple:
    """Mirrors ``torch.lstm_cell``: one LSTM step (gates i, f, g, o) from ``hx = (h, c)``;
    returns (h', c')."""
    if isinstance(hx, Tensor) or len(hx) != 2:
        raise RuntimeError("lstm_cell: Expected hx to be a list of two Tensors (h, c)")
    h, c = hx
    gi, gh = _gates(input, h, w_ih, w_hh, b_ih, b_hh)
    return lstm_step(gi, gh, c)


def gru_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih=None, b_hh=None) -> Tensor:  # fmt: skip
    """Mirrors ``torch.gru_cell``: one GRU step (gates r, z, n)."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh, hidden_first=False)
    return gru_step(gi, gh, hx)


# ---- creation and predicates -----------------------------------------------------------------
def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad: bool = False, pin_memory: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.empty_permuted``: an uninitialised tensor of ``size`` whose memory
    holds its dims in the order ``physical_layout``."""
    size, order = list(size), list(physical_layout)
    if len(order) != len(size):
        raise RuntimeError(
            f"Number of dimensions in size does not match the length of the physical_layout; "
            f"i.e. len(size) = {len(size)} is not equal to len(physical_layout) = {len(order)}"
        )
    for i, d in enumerate(order):
        if not 0 <= d < len(size):
            raise RuntimeError(
                f"Dimension out of range (expected to be between 0 and {len(size) - 1}, but got "
                f"{d} at index {i}).  NB: negative dims not currently supported; file an issue "
                "if you want it."
            )
    if len(set(order)) != len(order):
        raise RuntimeError("Duplicate dim not allowed")
    physical = factories.empty([size[d] for d in order], dtype=dtype, device=device)
    result = physical.permute(list(np.argsort(order)))
    return result.requires_grad_(requires_grad)


def get_device(input: Tensor) -> int:
    """Mirrors ``torch.get_device``: the GPU index, -1 on the CPU."""
    return input.get_device()


def is_conj(input: Tensor) -> bool:
    """Mirrors ``torch.is_conj``: False (minitorch has no complex tensors)."""
    return False


def is_neg(input: Tensor) -> bool:
    """Mirrors ``torch.is_neg``: False (minitorch has no lazy negation)."""
    return False


# ---- global switches -------------------------------------------------------------------------
def set_flush_denormal(mode: bool) -> bool:
    """Mirrors ``torch.set_flush_denormal``: numpy cannot flush denormals to zero, so this
    returns False (PyTorch's answer where the CPU lacks the feature) and changes nothing."""
    return False


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Mirrors ``torch.set_anomaly_enabled``: ``autograd.set_detect_anomaly`` without the
    context manager."""
    anomaly_mode.set_detect_anomaly(enabled, check_nan)


def set_autocast_enabled(*args) -> None:
    """Mirrors ``torch.set_autocast_enabled(device_type, enabled)`` (and the deprecated
    ``set_autocast_enabled(enabled)``, for "cuda"): switches autocast on or off in this
    thread, with the device's autocast dtype, outside any ``autocast`` block."""
    if len(args) == 1:
        warnings.warn(
            "torch.set_autocast_enabled(enabled) is deprecated. Please use "
            "torch.set_autocast_enabled(device_type, enabled) instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        args = ("cuda", *args)
    device_type, enabled = args
    state = autocast_mode._state
    was = device_type in state.dtypes
    if enabled and not was:
        state.dtypes[device_type] = autocast_mode.get_autocast_dtype(device_type).np
        autocast_mode._count_region(1)
    elif was and not enabled:
        del state.dtypes[device_type]
        autocast_mode._count_region(-1)


def set_autocast_cpu_enabled(enabled: bool) -> None:
    """Mirrors the deprecated ``torch.set_autocast_cpu_enabled``."""
    warnings.warn(
        "torch.set_autocast_cpu_enabled(enabled) is deprecated. Please use "
        "torch.set_autocast_enabled('cpu', enabled) instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    set_autocast_enabled("cpu", enabled)


def set_autocast_cache_enabled(enabled: bool) -> None:
    """Mirrors ``torch.set_autocast_cache_enabled``."""
    autocast_mode._state.cache_enabled = bool(enabled)


def is_autocast_cache_enabled() -> bool:
    """Mirrors ``torch.is_autocast_cache_enabled``."""
    return autocast_mode._state.cache_enabled


def clear_autocast_cache() -> None:
    """Mirrors ``torch.clear_autocast_cache``: drops the casts of parameters cached so far."""
    autocast_mode._state.cache.clear()


def autocast_increment_nesting() -> int:
    """Mirrors ``torch.autocast_increment_nesting``: the new depth of autocast regions."""
    autocast_mode._state.depth += 1
    return autocast_mode._state.depth


def autocast_decrement_nesting() -> int:
    """Mirrors ``torch.autocast_decrement_nesting``: the new depth (leaving the last region
    clears the cast cache)."""
    state = autocast_mode._state
    state.depth -= 1
    if state.depth == 0:
        state.cache.clear()
    return state.depth


# ---- Tensor methods --------------------------------------------------------------------------
def _replace_data(self: Tensor, data) -> Tensor:
    _check_writable(self)  # an inference tensor outside inference_mode
    if self._requires_grad and self.grad_fn is None and is_grad_enabled():
        raise RuntimeError(LEAF_INPLACE)
    self._data = data
    bump_version(self)
    return self


def as_strided_(self: Tensor, size, stride, storage_offset=None) -> Tensor:
    """Mirrors ``Tensor.as_strided_``: the tensor becomes ``as_strided(size, stride,
    storage_offset)`` of its own memory, and its history goes through ``AsStridedBackward1``."""
    check_inplace_allowed(self)
    _check_writable(self)
    tangent = forward_ad.tangent_of(self) if observers.forward_ad is not None else None
    out = forward_ad._untracked(self.as_strided, size, stride, storage_offset)
    fn = out.grad_fn
    if fn is not None:
        name_node(out, "AsStridedBackward1", self)
        self.grad_fn, self._output_nr = fn, out._output_nr  # before its views re-derive
    _replace_data(self, out._data)
    if fn is not None:  # (a view's own node)
        self.grad_fn, self._output_nr = fn, out._output_nr
    if tangent is not None:  # PyTorch's derivative: the tangent's own as_strided
        forward_ad.set_tangent(self, tangent.as_strided(size, stride, storage_offset))
    return self


def set_(self: Tensor, source=None, storage_offset: int | None = None, size=None, stride=None) -> Tensor:  # fmt: skip
    """Mirrors ``Tensor.set_``: ``set_()`` makes the tensor empty, ``set_(t)`` makes it share
    ``t``'s memory, shape and strides, ``set_(t, storage_offset, size, stride)`` views ``t``'s
    memory as ``as_strided`` does."""
    if source is None:
        return _replace_data(self, self._data[:0].reshape(0))
    if not isinstance(source, Tensor):
        raise TypeError(
            f"set_(): minitorch supports a Tensor source (no Storage objects), got "
            f"{type(source).__name__}"
        )
    if source._data.dtype != self._data.dtype:
        raise RuntimeError(
            f"Could not set tensor of type {_dtypes.CPP_NAMES[source._data.dtype.name][0]} to a "
            f"tensor of type {_dtypes.CPP_NAMES[self._data.dtype.name][0]}"
        )
    if size is None:
        return _replace_data(self, source._data)
    if stride is None or len(stride) == 0:
        stride = np.cumprod([1, *list(size)[:0:-1]])[::-1].tolist()
    view = source.detach().as_strided(size, stride, storage_offset)
    return _replace_data(self, view._data)


def is_set_to(self: Tensor, tensor: Tensor) -> bool:
    """Mirrors ``Tensor.is_set_to``: the same memory, start, shape, strides and dtype."""
    a, b = self._data, tensor._data
    same_layout = a.shape == b.shape and a.strides == b.strides and a.dtype == b.dtype
    return same_layout and _address(a) == _address(b) and np.may_share_memory(a, b)


def new_empty_strided(self: Tensor, size, stride, *, dtype=None, layout=None, device=None,
                      pin_memory: bool = False, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``Tensor.new_empty_strided``: ``empty_strided`` with self's dtype and device
    by default."""
    from .._torch_aliases import empty_strided  # noqa: PLC0415  (it imports minitorch.ops)

    return empty_strided(size, stride, dtype=dtype or self.dtype, device=device or self.device,
                         requires_grad=requires_grad)  # fmt: skip


def resize(self: Tensor, *sizes) -> Tensor:
    """Mirrors the deprecated ``Tensor.resize``: a tensor of the new shape over self's memory
    (self keeps its shape), with PyTorch's warning."""
    warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
    return make_tensor(self._data).resize_(*sizes)


def resize_as(self: Tensor, tensor: Tensor) -> Tensor:
    """Mirrors the deprecated ``Tensor.resize_as``: ``resize`` to ``tensor``'s shape."""
    warnings.warn("non-inplace resize_as is deprecated", UserWarning, stacklevel=2)
    return make_tensor(self._data).resize_(tensor.shape)


def map2_(self: Tensor, x1: Tensor, x2: Tensor, callable) -> Tensor:
    """Mirrors ``Tensor.map2_``: ``callable(self_element, x1_element, x2_element)`` in place,
    ``x1`` and ``x2`` broadcast to self's shape."""
    return _map_into(self, "map2_", callable, x1, x2)


_VIEWS = ("t permute transpose diagonal select split squeeze unsqueeze unbind unfold "
          "as_strided").split()  # fmt: skip

FUNCTIONS = {f"{name}_copy": _copy_of(name) for name in _VIEWS}
FUNCTIONS.update({f.__name__: f for f in (
    view_copy, expand_copy, detach_copy, alias_copy, slice_copy, split_with_sizes_copy,
    unsafe_split_with_sizes, frobenius_norm, nuclear_norm, matrix_rank, native_dropout,
    feature_dropout, feature_dropout_, feature_alpha_dropout_, native_channel_shuffle,
    native_group_norm, max_pool1d_with_indices, embedding_bag, embedding_renorm_, convolution,
    conv_tbc, grid_sampler, grid_sampler_2d, grid_sampler_3d, affine_grid_generator,
    rnn_tanh_cell, rnn_relu_cell, lstm_cell, gru_cell, empty_permuted, get_device, is_conj,
    is_neg, set_flush_denormal, set_anomaly_enabled, set_autocast_enabled,
    autocast_mode.set_autocast_dtype,
    set_autocast_cpu_enabled, set_autocast_cache_enabled, is_autocast_cache_enabled,
    clear_autocast_cache, autocast_increment_nesting, autocast_decrement_nesting,
)})  # fmt: skip
METHODS = {f.__name__: f for f in (
    as_strided_, set_, is_set_to, new_empty_strided, resize, resize_as, map2_,
    unsafe_split_with_sizes,
)}  # fmt: skip
