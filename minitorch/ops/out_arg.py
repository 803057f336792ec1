"""The ``out=`` keyword of the ``minitorch.<op>`` functions (``torch.matmul(a, b, out=c)``):
the result is computed as usual, then written into ``out`` (cast to its dtype, resized when
its shape differs, as PyTorch does) and ``out`` is returned. Like PyTorch, ``out=`` refuses
inputs that require grad while grad mode is on."""

from __future__ import annotations

import functools
import warnings

from .._dtypes import scalar_type_name
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled
from .inplace import _check_overlap, bump_version, can_store, writable


def _write(out: Tensor, result: Tensor, name: str) -> None:
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    src = result._data
    if not can_store(src.dtype, out._data.dtype):
        raise RuntimeError(
            f"result type {scalar_type_name(src.dtype)} can't be cast to the desired output "
            f"type {scalar_type_name(out._data.dtype)}"
        )
    if out._data.shape == src.shape:
        _check_overlap(out._data)
        writable(out._data)[...] = src
    else:
        if out._data.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out.shape)}, which does not match the required output shape "
                f"{list(src.shape)}.",
                stacklevel=3,
            )
        out._data = src.astype(out._data.dtype, copy=True)
    bump_version(out)


def _requires_grad(values) -> bool:
    """Whether a tensor among ``values`` (or in a list/tuple among them) requires grad."""
    for v in values:
        items = v if isinstance(v, (list, tuple)) else (v,)
        if any(isinstance(t, Tensor) and t.requires_grad for t in items):
            return True
    return False


def with_out(fn, factory: bool = False):
    """``fn`` with PyTorch's ``out=`` keyword (for the top-level functional ops); a
    ``factory`` without ``dtype=`` makes ``out``'s dtype."""
    name = fn.__name__

    @functools.wraps(fn)
    def op(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if factory and kwargs.get("dtype") is None and isinstance(out, Tensor):
            kwargs["dtype"] = out.dtype
        if is_grad_enabled() and _requires_grad((*args, *kwargs.values())):
            raise RuntimeError(
                f"{name}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."
            )
        result = fn(*args, **kwargs)
        if isinstance(result, Tensor):
            _write(out, result, name)
            return out
        if isinstance(result, tuple) and isinstance(out, (list, tuple)) and len(out) == len(result):
            for o, r in zip(out, result):
                _write(o, r, name)
            return type(result)(*out) if hasattr(result, "_fields") else tuple(out)
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")

    return op
