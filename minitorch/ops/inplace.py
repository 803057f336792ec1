"""In-place ops (``add_``, ``mul_``, ``x[i] = v``, ...). Each is its out-of-place op plus one
rule: outside autograd, write into the tensor's memory and bump its version counter; inside
autograd, compute out of place and re-base the tensor onto the new node (PyTorch's rule),
raising where that would corrupt gradients."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor, version_cell
from ..autograd.function import check_inplace_allowed
from ..autograd.grad_mode import is_grad_enabled
from . import elementwise as E
from .index import IndexPut, normalize_index


def bump_version(t: Tensor) -> None:
    """Marks ``t`` (and its views, which share the counter) as modified in place."""
    if t._vc is None:
        t._vc = version_cell()
    t._vc[0] += 1


def _records(t: Tensor, args) -> bool:
    if not is_grad_enabled():
        return False
    return t.requires_grad or any(isinstance(a, Tensor) and a.requires_grad for a in args)


def inplace(t: Tensor, op, *args, ufunc=None, name: str = "") -> Tensor:
    """Runs ``op(t, *args)`` (an out-of-place functional op) as an in-place update of ``t``.
    ``ufunc``, when given, does the no-autograd case without a temporary."""
    if _records(t, args):
        check_inplace_allowed(t)
        if t._base is not None:
            raise RuntimeError(
                f"{name or op.__name__}_: an in-place operation on a view that takes part in "
                "autograd is not supported by minitorch. Use the out-of-place form "
                f"(y = x.{op.__name__}(...)) or update the base tensor."
            )
        snapshot = make_tensor(t._data.copy(), t.requires_grad, t.grad_fn, t._output_nr)
        out = op(snapshot, *args)
        _check_cast(t, out, name or op.__name__)
        t._data[...] = out._data
        t.grad_fn, t._output_nr, t.requires_grad = out.grad_fn, out._output_nr, True
        bump_version(t)
        return t
    if ufunc is not None:
        other = args[0]._data if isinstance(args[0], Tensor) else args[0]
        try:
            ufunc(t._data, other, out=t._data)
        except (TypeError, ValueError) as e:
            raise RuntimeError(f"{name}_: {e}") from None
    else:
        out = op(make_tensor(t._data), *args)
        _check_cast(t, out, name or op.__name__)
        t._data[...] = out._data
    bump_version(t)
    return t


def _check_cast(t: Tensor, out: Tensor, name: str) -> None:
    if out._data.dtype != t._data.dtype and not np.can_cast(
        out._data.dtype, t._data.dtype, "same_kind"
    ):
        raise RuntimeError(
            f"{name}_: result type {out.dtype} can't be cast to the desired output type {t.dtype}"
        )
    if out._data.shape != t._data.shape:
        raise RuntimeError(
            f"{name}_: output with shape {list(t.shape)} doesn't match the broadcast shape "
            f"{list(out.shape)}"
        )


def setitem(t: Tensor, index, value) -> None:
    """``t[index] = value``."""
    idx, _ = normalize_index(index)
    if _records(t, (value,)):
        if not isinstance(value, Tensor):
            value = np.asarray(value, t._data.dtype)
        inplace(t, lambda x, v: IndexPut.apply(x, idx, v), value, name="setitem")
        return
    t._data[idx] = value._data if isinstance(value, Tensor) else value
    bump_version(t)


def _fill(x: Tensor, value) -> Tensor:
    v = value._data if isinstance(value, Tensor) else value
    return (
        E.add(x * 0, make_tensor(np.asarray(v, x._data.dtype)))
        if isinstance(value, Tensor) and value.requires_grad
        else make_tensor(np.full_like(x._data, v))
    )


def fill_(t: Tensor, value) -> Tensor:
    """Mirrors ``Tensor.fill_``."""
    if not _records(t, (value,)):
        t._data[...] = value._data if isinstance(value, Tensor) else value
        bump_version(t)
        return t
    return inplace(t, _fill, value, name="fill")


def zero_(t: Tensor) -> Tensor:
    """Mirrors ``Tensor.zero_``."""
    return fill_(t, 0)


def copy_(t: Tensor, src, non_blocking: bool = False) -> Tensor:
    """Mirrors ``Tensor.copy_`` (broadcasts and casts ``src``)."""
    if not isinstance(src, Tensor):
        from ..factories import as_tensor  # noqa: PLC0415

        src = as_tensor(src)
    if not _records(t, (src,)):
        from ..backends import to_backend  # noqa: PLC0415

        t._data[...] = to_backend(src._data, t._data)
        bump_version(t)
        return t

    def copy(x, s):
        return E.to_dtype(s, x.dtype).expand(*x.shape) + x * 0

    return inplace(t, copy, src, name="copy")


def _method(op, ufunc=None, name=None):
    nm = name or op.__name__

    def method(self, *args, **kwargs):
        if kwargs:
            return inplace(self, lambda x, *a: op(x, *a, **kwargs), *args, name=nm)
        return inplace(self, op, *args, ufunc=ufunc, name=nm)

    method.__name__ = nm + "_"
    method.__doc__ = f"Mirrors ``Tensor.{nm}_``: in-place ``{nm}``."
    return method


add_ = _method(E.add, np.add, "add")
sub_ = _method(E.sub, np.subtract, "sub")
mul_ = _method(E.mul, np.multiply, "mul")
div_ = _method(E.div, None, "div")
pow_ = _method(E.pow, None, "pow")
clamp_ = _method(E.clamp, None, "clamp")


def _unary(op):
    def method(self):
        return inplace(self, op, name=op.__name__)

    method.__name__ = op.__name__ + "_"
    method.__doc__ = f"Mirrors ``Tensor.{op.__name__}_``."
    return method


neg_ = _unary(E.neg)
exp_ = _unary(E.exp)
log_ = _unary(E.log)
sqrt_ = _unary(E.sqrt)
abs_ = _unary(E.abs)
relu_ = _unary(E.relu)
sigmoid_ = _unary(E.sigmoid)
tanh_ = _unary(E.tanh)
sin_ = _unary(E.sin)
cos_ = _unary(E.cos)
reciprocal_ = _unary(E.reciprocal)


def masked_fill_(t: Tensor, mask: Tensor, value) -> Tensor:
    """Mirrors ``Tensor.masked_fill_``."""
    from .index import masked_fill  # noqa: PLC0415

    return inplace(t, lambda x, v: masked_fill(x, mask, v), value, name="masked_fill")
