"""PyTorch's ``torch._foreach_*`` functions: one op applied to every tensor of a list
(``_foreach_mul_(params, decay)``, ``_foreach_add_(params, grads, alpha=-lr)``), as PyTorch's
CPU kernels do it, one tensor at a time with the per-tensor op (same values, dtype promotion,
autograd and errors). The other operand is a number, a list of numbers (``scalars``), a list
of tensors, or a tensor (0-d, or for addcmul/addcdiv a 1-d tensor of per-tensor values).

Everything is built from one table (``_SPECS``): an op's per-tensor method, the kinds of its
other operand and whether it has a ``_`` form. The out-of-place form returns a tuple of
results; the in-place form updates each tensor and returns the list it was given."""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

import numpy as np

from .._dtypes import scalar_type_name
from .._tensor import Tensor
from ..autograd.function import check_inplace_allowed
from ..factories import tensor
from ..linalg import vector_norm
from .elementwise import maximum, minimum, pow
from .inplace import inplace

SCALAR, SCALARS, TENSOR, LIST, PACKED = "scalar", "scalars", "tensor", "list", "packed"
_NUMBERS = (bool, int, float, complex, np.number, np.bool_)
_KEYWORDS = ("scalar", "scalars", "other", "exponent", "value", "weight", "weights")


class _Spec(NamedTuple):
    """How ``_foreach_<name>`` applies: ``kinds`` of the other operand after the tensor
    lists (``()``: none), ``lists``: how many tensor lists precede it, ``alpha``: the kinds
    that take ``alpha=``, ``inplace``: whether it has a ``_`` form, ``default``: the other
    operand when it is left out, ``keyword``: the per-tensor op's keyword for it."""

    kinds: tuple = ()
    lists: int = 1
    alpha: tuple = ()
    inplace: bool = True
    default: object = None
    keyword: str | None = None


_UNARY = (
    "abs acos asin atan ceil cos cosh erf erfc exp expm1 floor frac lgamma log log10 log1p "
    "log2 neg reciprocal round rsqrt sigmoid sign sin sinh sqrt tan tanh trunc"
).split()
_CLAMP = (SCALAR, SCALARS, LIST)
_SPECS = {
    **{name: _Spec() for name in _UNARY},
    "add": _Spec((SCALAR, SCALARS, TENSOR, LIST), alpha=(TENSOR, LIST)),
    "sub": _Spec((SCALAR, SCALARS, LIST), alpha=(LIST,)),
    "mul": _Spec((SCALAR, SCALARS, TENSOR, LIST)),
    "div": _Spec((SCALAR, SCALARS, TENSOR, LIST)),
    "pow": _Spec(_CLAMP),
    "clamp_min": _Spec(_CLAMP),
    "clamp_max": _Spec(_CLAMP),
    "maximum": _Spec(_CLAMP),
    "minimum": _Spec(_CLAMP),
    "lerp": _Spec((SCALAR, SCALARS, LIST), lists=2),
    "addcmul": _Spec((SCALAR, SCALARS, PACKED), lists=3, default=1, keyword="value"),
    "addcdiv": _Spec((SCALAR, SCALARS, PACKED), lists=3, default=1, keyword="value"),
    "mm": _Spec((LIST,), inplace=False),
}
# no Tensor.maximum_: these run through ``inplace``, a number as a 0-d tensor (a tie sends
# half the gradient to each side, as torch.maximum, not all of it as clamp_min)
_FUNCTIONS = {"maximum": maximum, "minimum": minimum}


def _is_number(x) -> bool:
    return isinstance(x, _NUMBERS)


def _invalid(name: str, args, alpha) -> TypeError:
    got = ", ".join([type(a).__name__ for a in args] + ([f"alpha={type(alpha).__name__}"] if alpha is not None else []))  # fmt: skip
    return TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}); see "
        f"torch.{name}'s overloads (a number, a list of numbers, a list of tensors"
        ", or a tensor as the other operand)"
    )


def _tensor_list(name: str, tensors, position: int) -> list:
    """``tensors`` checked to be a list or tuple of Tensors."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{name}(): argument 'self' (position {position + 1}) must be tuple of Tensors, "
            f"not {type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument {position}, but got {type(t).__name__}"
            )
    return tensors


def _lists(name: str, args: tuple, count: int) -> list:
    """The first ``count`` arguments: tensor lists of one length (at least one tensor)."""
    lists = [_tensor_list(name, a, i) for i, a in enumerate(args[:count])]
    if not lists[0]:
        raise RuntimeError("Tensor list must have at least one tensor.")
    for other in lists[1:]:
        if len(other) != len(lists[0]):
            raise RuntimeError(
                "Tensor lists must have the same number of tensors, got "
                f"{len(lists[0])} and {len(other)}"
            )
    return lists


def _kind(other, kinds: tuple, alpha: bool) -> str | None:
    if isinstance(other, Tensor):
        if TENSOR in kinds or PACKED in kinds:
            return TENSOR if TENSOR in kinds else PACKED
        return SCALAR if other.dim() == 0 and SCALAR in kinds else None  # a 0-d tensor is a number
    if isinstance(other, (list, tuple)):
        if other and all(isinstance(o, Tensor) for o in other):
            return LIST if LIST in kinds else None
        if all(_is_number(o) for o in other):  # [] is a list of numbers unless alpha= says not
            return LIST if alpha and not other else SCALARS if SCALARS in kinds else None
        return None
    return SCALAR if _is_number(other) and SCALAR in kinds else None


def _per_tensor(kind: str, other, n: int):
    """The other operand of each of the ``n`` tensors."""
    if kind == SCALAR:
        return itertools.repeat(other.item() if isinstance(other, Tensor) else other, n)
    if kind == TENSOR:
        if other.dim() != 0:
            raise RuntimeError(
                f"scalar tensor expected to be 0 dim but it has {other.dim()} dimensions and "
                f"{other.numel()} elements."
            )
        return itertools.repeat(other, n)
    if kind == PACKED:
        if other.dim() != 1:
            raise RuntimeError(
                f"Expected packed scalar Tensor to be of dimension 1. Got {other.dim()} instead."
            )
        if other.numel() != n:
            raise RuntimeError(
                f"Expected length of scalars to match input of length {n} but got "
                f"{other.numel()} instead."
            )
        return other.tolist()
    if len(other) != n:
        if kind == SCALARS:
            raise RuntimeError("Tensor list must have same number of elements as scalar list.")
        raise RuntimeError(
            f"Tensor lists must have the same number of tensors, got {n} and {len(other)}"
        )
    return other


def _calls(spec: _Spec, full: str, args: tuple, kwargs: dict):
    """``(selves, kind, calls)``: the tensors, the kind of the other operand, and for each
    tensor the positional and keyword arguments of its per-tensor op."""
    alpha = kwargs.pop("alpha", None)
    operand = [kwargs.pop(k) for k in _KEYWORDS if k in kwargs]
    if kwargs:
        raise TypeError(f"{full}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    args = args + tuple(operand)
    if spec.default is not None and len(args) == spec.lists:
        args += (spec.default,)
    if len(args) != spec.lists + bool(spec.kinds):
        raise _invalid(full, args, alpha)
    lists = _lists(full, args, spec.lists)
    if not spec.kinds:
        return lists[0], None, [((), {})] * len(lists[0])
    other = args[spec.lists]
    kind = _kind(other, spec.kinds, alpha is not None)
    if kind is None or (alpha is not None and kind not in spec.alpha):
        raise _invalid(full, args, alpha)
    others = _per_tensor(kind, other, len(lists[0]))
    keywords = {"alpha": alpha} if alpha is not None else {}
    if spec.keyword is None:
        calls = [((*rest, o), keywords) for *rest, o in zip(*lists[1:], others)]
    else:
        calls = [(tuple(rest), {spec.keyword: o}) for *rest, o in zip(*lists[1:], others)]
    return lists[0], kind, calls


def _apply(name: str, spec: _Spec, in_place: bool, args: tuple, kwargs: dict):
    selves, kind, calls = _calls(spec, f"_foreach_{name}{'_' if in_place else ''}", args, kwargs)  # fmt: skip
    fn = _FUNCTIONS.get(name)
    if fn is not None:
        if kind in (SCALAR, SCALARS):
            calls = [((tensor(o, device=t.device),), k) for t, ((o,), k) in zip(selves, calls)]
        if in_place:
            _check_inplace(selves)
            for t, (a, _) in zip(selves, calls):
                inplace(t, fn, *a, name=name)
            return selves
        return tuple(fn(t, *a) for t, (a, _) in zip(selves, calls))
    if not in_place:
        return tuple(getattr(t, name)(*a, **k) for t, (a, k) in zip(selves, calls))
    _check_inplace(selves)
    for t, (a, k) in zip(selves, calls):
        getattr(t, name + "_")(*a, **k)
    return selves


def _make(name: str, spec: _Spec, in_place: bool):
    def op(*args, **kwargs):
        return _apply(name, spec, in_place, args, kwargs)

    op.__name__ = op.__qualname__ = f"_foreach_{name}{'_' if in_place else ''}"
    form = f"``{name}_`` on each tensor, in place" if in_place else f"``{name}`` of each tensor"
    op.__doc__ = f"torch.{op.__name__}: {form}."
    return op


def _foreach_pow(self, *args, **kwargs) -> tuple:
    """torch._foreach_pow: ``pow`` of each tensor, or of a number to each exponent tensor."""
    if not _is_number(self):
        return _apply("pow", _SPECS["pow"], False, (self, *args), kwargs)
    exponents = args[0] if args else kwargs.pop("exponent", None)
    return tuple(pow(self, e) for e in _lists("_foreach_pow", (exponents,), 1)[0])


def _foreach_norm(self, ord: float = 2, dtype=None) -> tuple:
    """torch._foreach_norm: ``torch.linalg.vector_norm(t, ord, dtype=dtype)`` of each tensor."""
    tensors = _lists("_foreach_norm", (self,), 1)[0]
    _check_ord("_foreach_norm", ord)
    if ord == math.inf and any(t.numel() == 0 for t in tensors):
        raise RuntimeError(
            "_foreach_norm cannot compute the infinity norm on an empty tensor because the "
            "operation does not have an identity"
        )
    return tuple(vector_norm(t, ord, dtype=dtype) for t in tensors)


def _foreach_powsum(self, ord: float = 2, dtype=None) -> tuple:
    """torch._foreach_powsum: the sum of ``|t| ** ord`` of each tensor (in ``dtype``)."""
    tensors = _lists("_foreach_powsum", (self,), 1)[0]
    _check_ord("_foreach_powsum", ord)
    out = []
    for t in tensors:
        if not t.is_floating_point():
            name = scalar_type_name(t._data.dtype)
            raise NotImplementedError(f"\"powsum_cpu\" not implemented for '{name}'")
        out.append((t if dtype is None else t.to(dtype)).abs().pow(ord).sum())
    return tuple(out)


def _foreach_max(self) -> tuple:
    """torch._foreach_max: ``t.max()`` of each tensor."""
    tensors = _lists("_foreach_max", (self,), 1)[0]
    if any(t.numel() == 0 for t in tensors):
        raise RuntimeError(
            "_foreach_max cannot compute the maximum of an empty tensor; max over zero "
            "elements is undefined."
        )
    return tuple(t.max() for t in tensors)


def _foreach_clone(self, *, memory_format=None) -> tuple:
    """torch._foreach_clone: ``t.clone(memory_format=...)`` of each tensor."""
    tensors = _lists("_foreach_clone", (self,), 1)[0]
    kwargs = {} if memory_format is None else {"memory_format": memory_format}
    return tuple(t.clone(**kwargs) for t in tensors)


def _foreach_copy_(self, src, non_blocking: bool = False):
    """torch._foreach_copy_: ``t.copy_(s)`` for each pair; returns ``self``."""
    selves, sources = _lists("_foreach_copy_", (self, src), 2)
    _check_inplace(selves)
    for t, s in zip(selves, sources):
        t.copy_(s, non_blocking)
    return self


def _foreach_zero_(self):
    """torch._foreach_zero_: ``t.zero_()`` for each tensor; returns ``self``."""
    selves = _lists("_foreach_zero_", (self,), 1)[0]
    _check_inplace(selves)
    for t in selves:
        t.zero_()
    return self


def _check_inplace(tensors) -> None:
    """PyTorch checks every tensor before it changes any."""
    for t in tensors:
        check_inplace_allowed(t)


def _check_ord(name: str, ord) -> None:
    if not _is_number(ord):
        raise TypeError(
            f"{name}(): argument 'ord' (position 2) must be Number, not {type(ord).__name__}"
        )


FUNCTIONS = {
    **{f"_foreach_{n}": _make(n, s, False) for n, s in _SPECS.items()},
    **{f"_foreach_{n}_": _make(n, s, True) for n, s in _SPECS.items() if s.inplace},
    "_foreach_pow": _foreach_pow,
    "_foreach_norm": _foreach_norm,
    "_foreach_powsum": _foreach_powsum,
    "_foreach_max": _foreach_max,
    "_foreach_clone": _foreach_clone,
    "_foreach_copy_": _foreach_copy_,
    "_foreach_zero_": _foreach_zero_,
}
