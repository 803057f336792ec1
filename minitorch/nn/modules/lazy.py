"""Lazy layers, whose input size is read from the first input (mirror ``torch.nn``'s
LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d, LazyBatchNorm1d/2d/3d, LazyInstanceNorm1d/2d/3d, UninitializedParameter/Buffer and
LazyModuleMixin).

Until the first call the weights are Uninitialized tensors without storage; the first call
(or loading a state_dict) materializes them in place, so optimizers built before still hold
them, and the module turns into its ordinary class (LazyLinear -> Linear)."""

from __future__ import annotations

from ... import _subclass, factories
from ..._tensor import Tensor, _init, version_cell
from ...autograd.grad_mode import no_grad
from ..parameter import Parameter, UninitializedTensorMixin, is_lazy
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .linear import Linear
from .normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
)

__all__ = [
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
    "LazyConv1d",
    "LazyConv2d",
    "LazyConv3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
    "LazyLinear",
    "LazyModuleMixin",
    "UninitializedBuffer",
    "UninitializedParameter",
]


class _Uninitialized(UninitializedTensorMixin):
    """What UninitializedParameter and UninitializedBuffer share: ``materialize``, and
    PyTorch's refusals of what needs a shape or storage."""

    __slots__ = ()
    cls_to_become: type = Tensor

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Mirrors ``UninitializedTensorMixin.materialize``: gives the tensor uninitialized
        storage of ``shape`` and makes it a plain Parameter (or Tensor) in place."""
        data = factories.empty(shape, device=device or self.device, dtype=dtype or self.dtype)
        _init(self, data._data, self.requires_grad, None, 0, version_cell())
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error "
            "usually happens in `load_state_dict` when trying to load an uninitialized "
            "parameter into an initialized one. Call `forward` to initialize the parameters "
            "before accessing their attributes."
        )

    def share_memory_(self):
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to "
            "initialize the parameters before calling `module.share_memory()`."
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class UninitializedParameter(_Uninitialized, Parameter):
    """Mirrors ``torch.nn.UninitializedParameter``: a parameter whose shape is not known yet."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device=None, dtype=None) -> None:
        super().__init__(factories.empty(0, device=device, dtype=dtype), requires_grad)


class UninitializedBuffer(_Uninitialized, Tensor):
    """Mirrors ``torch.nn.UninitializedBuffer``: a buffer whose shape is not known yet."""

    __slots__ = ()
    __torch_function__ = _subclass._disabled_torch_function_impl
    _is_buffer = True

    def __init__(self, requires_grad: bool = False, device=None, dtype=None) -> None:
        data = factories.empty(0, device=device, dtype=dtype)._data
        _init(self, data, requires_grad, None, 0, version_cell())


class LazyModuleMixin:
    """Mirrors ``torch.nn.modules.lazy.LazyModuleMixin``: a forward pre-hook calls
    ``initialize_parameters(*inputs)`` on the first call, then the module becomes
    ``cls_to_become``; a load_state_dict pre-hook materializes from the checkpoint's shapes."""

    cls_to_become = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lazy_handle = self.register_forward_pre_hook(_infer_parameters, with_kwargs=True)
        self.register_load_state_dict_pre_hook(_lazy_load_hook)

    def _save_to_state_dict(self, destination, prefix: str, keep_vars: bool) -> None:
        # as PyTorch's: the uninitialized tensors themselves (they cannot be detached)
        super()._save_to_state_dict(destination, prefix, keep_vars)
        for name, t in (*self._parameters.items(), *self._buffers.items()):
            if is_lazy(t) and prefix + name in destination:
                destination[prefix + name] = t

    def _apply(self, fn):
        # the uninitialized buffers stay uninitialized (in the new dtype or device)
        lazy = {name: b for name, b in self._buffers.items() if is_lazy(b)}
        super()._apply(fn)
        for name, b in lazy.items():
            _init(b, self._buffers[name]._data, b.requires_grad, None, 0, version_cell())
            self._buffers[name] = b
        return self

    def has_uninitialized_params(self) -> bool:
        """Mirrors ``LazyModuleMixin.has_uninitialized_params``."""
        tensors = (*self._parameters.values(), *self._buffers.values())
        return any(is_lazy(t) for t in tensors)

    def initialize_parameters(self, *args, **kwargs) -> None:
        """Materializes the parameters from the first input (each lazy class)."""
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {type(self).__name__}"
        )


def _infer_parameters(module, args, kwargs) -> None:
    module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._lazy_handle.remove()
    del module._lazy_handle
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


def _lazy_load_hook(module, state_dict, prefix, *args) -> None:
    for name, t in (*module._parameters.items(), *module._buffers.items()):
        key = prefix + name
        if is_lazy(t) and key in state_dict and not is_lazy(state_dict[key]):
            with no_grad():
                t.materialize(tuple(state_dict[key].shape))


class LazyLinear(LazyModuleMixin, Linear):
    """Mirrors ``torch.nn.LazyLinear``: a Linear whose in_features is the first input's
    last dimension."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None):
        super().__init__(0, 0, False, device, dtype)
        self.out_features = out_features
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args) -> None:
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()
        if self.in_features == 0:  # materialized by load_state_dict
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(
                    f"The in_features inferred from input: {input.shape[-1]} is not equal to "
                    f"in_features from self.weight: {self.weight.shape[-1]}"
                )
            self.in_features = input.shape[-1]


class _LazyConvMixin(LazyModuleMixin):
    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device=None, dtype=None, **transposed) -> None:  # fmt: skip
        super().__init__(
            0, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation,
            groups=groups, bias=False, padding_mode=padding_mode, device=device, dtype=dtype,
            **transposed,
        )  # fmt: skip
        self.in_channels = 0
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args, **kwargs) -> None:
        if self.has_uninitialized_params():
            with no_grad():
                batched = input.ndim == self._n + 2
                self.in_channels = input.shape[1 if batched else 0]
                if self.in_channels % self.groups:
                    raise ValueError("in_channels must be divisible by groups")
                shape = (
                    (self.in_channels, self.out_channels // self.groups) if self.transposed
                    else (self.out_channels, self.in_channels // self.groups)
                )  # fmt: skip
                self.weight.materialize((*shape, *self.kernel_size))
                if self.bias is not None:
                    self.bias.materialize((self.out_channels,))
                self.reset_parameters()


class LazyConv1d(_LazyConvMixin, Conv1d):
    """Mirrors ``torch.nn.LazyConv1d``: in_channels from the first input."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConvMixin, Conv2d):
    """Mirrors ``torch.nn.LazyConv2d``: in_channels from the first input."""

    cls_to_become = Conv2d


class LazyConv3d(_LazyConvMixin, Conv3d):
    """Mirrors ``torch.nn.LazyConv3d``: in_channels from the first input."""

    cls_to_become = Conv3d


class _LazyConvTransposeMixin(_LazyConvMixin):
    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0,
                 groups: int = 1, bias: bool = True, dilation=1, padding_mode: str = "zeros",
                 device=None, dtype=None) -> None:  # fmt: skip
        super().__init__(
            out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
            device, dtype, output_padding=output_padding,
        )  # fmt: skip


class LazyConvTranspose1d(_LazyConvTransposeMixin, ConvTranspose1d):
    """Mirrors ``torch.nn.LazyConvTranspose1d``: in_channels from the first input."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTransposeMixin, ConvTranspose2d):
    """Mirrors ``torch.nn.LazyConvTranspose2d``: in_channels from the first input."""

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTransposeMixin, ConvTranspose3d):
    """Mirrors ``torch.nn.LazyConvTranspose3d``: in_channels from the first input."""

    cls_to_become = ConvTranspose3d


class _LazyNormMixin(LazyModuleMixin):
    """Lazy batch and instance norm (mirrors ``torch.nn.modules.batchnorm._LazyNormBase``:
    affine and track_running_stats default to True for both)."""

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *,
                 bias: bool = True) -> None:  # fmt: skip
        super().__init__(0, eps, momentum, False, False, device, dtype)
        self.affine, self.track_running_stats = affine, track_running_stats
        kw = {"device": device, "dtype": dtype}
        if affine:
            self.weight = UninitializedParameter(**kw)
            if bias:
                self.bias = UninitializedParameter(**kw)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(**kw)
            self.running_var = UninitializedBuffer(**kw)
            self.num_batches_tracked = factories.tensor(0, device=device)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args) -> None:
        if self.has_uninitialized_params():
            with no_grad():
                self.num_features = input.shape[1]
                for t in (*self._parameters.values(), *self._buffers.values()):
                    if is_lazy(t):
                        t.materialize((self.num_features,))
                self.reset_parameters()


class LazyBatchNorm1d(_LazyNormMixin, BatchNorm1d):
    """Mirrors ``torch.nn.LazyBatchNorm1d``: num_features from the first input."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormMixin, BatchNorm2d):
    """Mirrors ``torch.nn.LazyBatchNorm2d``: num_features from the first input."""

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormMixin, BatchNorm3d):
    """Mirrors ``torch.nn.LazyBatchNorm3d``: num_features from the first input."""

    cls_to_become = BatchNorm3d


class LazyInstanceNorm1d(_LazyNormMixin, InstanceNorm1d):
    """Mirrors ``torch.nn.LazyInstanceNorm1d``: num_features from the first input's dim 1."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNormMixin, InstanceNorm2d):
    """Mirrors ``torch.nn.LazyInstanceNorm2d``: num_features from the first input's dim 1."""

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNormMixin, InstanceNorm3d):
    """Mirrors ``torch.nn.LazyInstanceNorm3d``: num_features from the first input's dim 1."""

    cls_to_become = InstanceNorm3d
