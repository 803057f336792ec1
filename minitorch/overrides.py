"""Mirrors ``torch.overrides``: helpers for types that take part in the
``__torch_function__`` protocol (minitorch/_subclass.py implements it)."""

from __future__ import annotations

from . import _subclass
from ._subclass import _disabled_torch_function_impl  # noqa: F401 (PyTorch exposes it here)
from ._tensor import Tensor


def get_default_nowrap_functions() -> set:
    """Mirrors ``torch.overrides.get_default_nowrap_functions``: the functions whose results
    ``Tensor.__torch_function__`` does not convert to the subclass (``.grad``, ``._base``)."""
    return set(_subclass.nowrap_functions())


def _get_overloaded_args(relevant_args) -> list:
    """Mirrors ``torch.overrides._get_overloaded_args``."""
    return _subclass.overloaded_args(relevant_args)


def has_torch_function(relevant_args) -> bool:
    """Mirrors ``torch.overrides.has_torch_function``: whether an argument's type (other than
    Tensor itself) defines ``__torch_function__``."""
    return bool(_subclass.overloaded_args(relevant_args))


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """Mirrors ``torch.overrides.handle_torch_function``: calls the overloaded arguments'
    ``__torch_function__`` for ``public_api`` (a TypeError when all return NotImplemented)."""
    found = _subclass.overloaded_args(relevant_args)
    return _subclass.handle(public_api, found, args, kwargs)


def is_tensor_like(inp) -> bool:
    """Mirrors ``torch.overrides.is_tensor_like``: a Tensor, or a type with
    ``__torch_function__``."""
    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def is_tensor_method_or_property(func) -> bool:
    """Mirrors ``torch.overrides.is_tensor_method_or_property``."""
    return getattr(func, "__qualname__", "").startswith("Tensor.")


def get_overridable_functions() -> dict:
    """Mirrors ``torch.overrides.get_overridable_functions``: {namespace: [functions]} of the
    functions that take part in the protocol (switches it on)."""
    _subclass.activate()
    return _subclass.overridable()
