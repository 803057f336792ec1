"""nn.Parameter and nn.Buffer: tensors that a Module registers when they are assigned to it."""

from __future__ import annotations

from .._subclass import _disabled_torch_function_impl
from .._tensor import (
    INFERENCE_REQUIRES_GRAD,
    Tensor,
    _init,
    check_can_require_grad,
    make_tensor,
    version_cell,
)
from ..autograd.grad_mode import is_inference_mode_enabled


def _adopt(t: Tensor, data: Tensor | None, requires_grad: bool) -> None:
    """Makes ``t`` share ``data``'s storage and version counter (no copy), as a fresh leaf."""
    if data is None:
        from ..factories import empty  # noqa: PLC0415 (factories imports the tensor module)

        data = empty(0)
    if not isinstance(data, Tensor):
        raise TypeError(
            f"{type(t).__name__}(data): data must be a Tensor, got {type(data).__name__}"
        )
    if requires_grad:
        check_can_require_grad(data._data)
        if data.is_inference() and not is_inference_mode_enabled():
            raise RuntimeError(INFERENCE_REQUIRES_GRAD)
    if data._vc is None:
        data._vc = version_cell()
    _init(t, data._data, requires_grad, None, 0, data._vc)


class Parameter(Tensor):
    """Mirrors ``torch.nn.Parameter``: a leaf tensor that is a module's learnable weight.

    It shares memory with the tensor it wraps; assigning it as a Module attribute registers
    it in ``parameters()`` and ``state_dict()``.
    """

    __slots__ = ()
    __torch_function__ = _disabled_torch_function_impl  # ops on it give plain Tensors

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        _adopt(self, data, requires_grad)

    def __deepcopy__(self, memo: dict) -> Parameter:
        # PyTorch's Parameter.__deepcopy__: the data and requires_grad, not the .grad
        result = type(self)(make_tensor(self._data.copy()), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """Mirrors ``torch.nn.Buffer``: assigning one to a Module registers it as a buffer."""

    __slots__ = ("persistent",)
    __torch_function__ = _disabled_torch_function_impl

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True) -> None:
        _adopt(self, data, getattr(data, "requires_grad", False))  # PyTorch keeps the flag
        self.persistent = persistent


class UninitializedTensorMixin:
    """Mirrors ``torch.nn.parameter.UninitializedTensorMixin``: the base of the lazy layers'
    UninitializedParameter and UninitializedBuffer (nn/modules/lazy.py)."""

    __slots__ = ()
    _is_buffer = False  # Module.__setattr__ registers an UninitializedBuffer as a buffer


def is_lazy(param) -> bool:
    """Mirrors ``torch.nn.parameter.is_lazy``: whether ``param`` is an UninitializedParameter
    or UninitializedBuffer."""
    return isinstance(param, UninitializedTensorMixin)
