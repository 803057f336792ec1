"""Forward-mode AD (mirrors ``torch.autograd.forward_ad``): inside a ``dual_level``, a
tensor made by ``make_dual(primal, tangent)`` carries its tangent through every op, and
``unpack_dual(y).tangent`` is the Jacobian-vector product of the computation at ``tangent``.

Most ops need no rule of their own: each op's backward is linear in its output gradient
``u``, ``g_i(u) = J_i^T u``, so the tangent of its output, ``sum_i J_i t_i``, is the gradient
of ``sum_i <g_i(u), t_i>`` with respect to ``u`` (the "double backward" trick). While a level
is open every op passes through ``after_forward`` (``observers``), which does that for the
ops whose inputs carry tangents. User Functions give their own ``jvp``, as in PyTorch, and so
do the few built-in ops whose backward can't give their forward derivative (a scatter's
repeated indices, a backward not differentiable at ``u = 0``).
Tangents live in a table keyed by tensor, emptied when the level closes.
"""

from __future__ import annotations

import weakref
from collections import namedtuple

import numpy as np

from .._numpy_warnings import numpy_quiet
from .._tensor import Tensor, make_tensor
from . import observers
from .grad_mode import enable_grad, is_grad_enabled, state

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level",
           "make_dual", "unpack_dual"]  # fmt: skip

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])

_level: int | None = None
_tangents: dict = {}  # id(tensor) -> (weakref to the tensor, its tangent)
_by_array: dict = {}  # id(array) -> (weakref to the array, tangent): outputs backward re-wraps
_roots: dict = {}  # id(tensor) -> weakref: the tensors make_dual made (see is_root)
_busy = False  # computing a tangent: the ops that takes are not themselves followed


# ---- levels ---------------------------------------------------------------------------------
def enter_dual_level() -> int:
    """Mirrors ``forward_ad.enter_dual_level``: opens the (only) level and returns it."""
    global _level
    if _level is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _level = 0
    observers.forward_ad = _follow
    observers.refresh()
    return _level


def exit_dual_level(*, level: int | None = None) -> None:
    """Mirrors ``forward_ad.exit_dual_level``: closes the level; tangents are dropped."""
    global _level
    if _level is None and level is None:
        raise RuntimeError("Dual level must be a positive number.")
    if _level is None or (level is not None and level != _level):
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. "
            "This is not supported."
        )
    _level = None
    _tangents.clear()
    _by_array.clear()
    _roots.clear()
    observers.forward_ad = None
    observers.refresh()


def __getattr__(name: str):
    """``forward_ad._current_level``: the open level, -1 when none (PyTorch's variable)."""
    if name == "_current_level":
        return -1 if _level is None else _level
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class dual_level:
    """Mirrors ``forward_ad.dual_level``: ``with dual_level():`` opens a level and closes
    it on exit; ``__enter__`` returns the level."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc) -> None:
        exit_dual_level()


# ---- dual tensors ---------------------------------------------------------------------------
def tangent_of(t) -> Tensor | None:
    """The tangent ``t`` carries at the open level, or None."""
    entry = _tangents.get(id(t))
    if entry is not None and entry[0]() is t:
        return entry[1]
    return None


def is_dual(t) -> bool:
    """Whether ``t`` carries a tangent (ops that skip their graph for inputs that don't
    require grad ask; False at once while no level is open)."""
    return _level is not None and tangent_of(t) is not None


def zero_tangent(out: Tensor, *inputs) -> Tensor:
    """``out`` with a zero tangent where an input carries one: an output whose forward
    derivative PyTorch defines as zero (a draw of ``bernoulli``, ``normal``, ``poisson``; the
    empty residuals of ``lstsq``)."""
    if _level is not None and any(is_dual(i) for i in inputs):
        set_tangent(out, _zeros(out))
    return out


def set_tangent(t: Tensor, tangent: Tensor | None) -> None:
    """Gives ``t`` the tangent ``tangent`` (None removes it)."""
    key = id(t)
    if tangent is None:
        _tangents.pop(key, None)
        return
    _tangents[key] = (weakref.ref(t, lambda _, key=key: _tangents.pop(key, None)), tangent)
    data, data_key = t._data, id(t._data)
    try:
        ref = weakref.ref(data, lambda _, key=data_key: _by_array.pop(key, None))
    except TypeError:  # an array type without weak references: kept until the level ends
        ref = lambda data=data: data  # noqa: E731
    _by_array[data_key] = (ref, tangent)


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """Mirrors ``forward_ad.make_dual``: a view of ``tensor`` that carries ``tangent``."""
    if _level is None:
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    if not tensor.is_floating_point():
        raise ValueError(
            f"Expected primal to be floating point or complex, but got: {tensor.dtype}"
        )
    if not tangent.is_floating_point():
        raise ValueError(
            f"Expected tangent to be floating point or complex, but got: {tangent.dtype}"
        )
    _check_size(tensor, tangent)
    if level is not None and level != _level:
        raise RuntimeError("Invalid level given to _make_dual")
    if tangent_of(tensor) is not None:
        raise RuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at "
            f"the same level {_level} is not supported."
        )
    if tangent_of(tangent) is not None:  # (PyTorch's words: no space before the level)
        raise RuntimeError(
            "Setting a forward grad that itself has a forward gradient at the same "
            f"level{_level} is not supported."
        )
    dual = _untracked(tensor.view_as, tensor)
    set_tangent(dual, _laid_out_as(tangent, tensor))
    key = id(dual)
    _roots[key] = weakref.ref(dual, lambda _, key=key: _roots.pop(key, None))
    return dual


def is_root(t: Tensor) -> bool:
    """Whether ``t`` was made by ``make_dual``: a view of its primal for backward only, so an
    in-place change of it gives its base no tangent (PyTorch: not forward-differentiable)."""
    entry = _roots.get(id(t))
    return entry is not None and entry() is t


def roots_over(views) -> list:
    """The tensors among ``views`` that ``make_dual`` made and that carry a tangent."""
    return [v for v in views if is_root(v) and tangent_of(v) is not None]


def update(t: Tensor, tangent: Tensor | None) -> None:
    """``t``'s tangent after an in-place change: written into its old tangent where it has
    one alike and outside any graph (PyTorch updates a tangent in place), else ``tangent``."""
    old = tangent_of(t)
    if (
        old is None or tangent is None or old.requires_grad or tangent.requires_grad
        or old.shape != tangent.shape or old.dtype != tangent.dtype
    ):  # fmt: skip
        set_tangent(t, tangent)
        return
    from ..ops.inplace import bump_version, writable  # noqa: PLC0415 (ops import this module)

    writable(old._data)[...] = tangent._data
    bump_version(old)


def _laid_out_as(tangent: Tensor, primal: Tensor) -> Tensor:
    """The tangent as PyTorch's make_dual keeps it: itself when laid out as the primal, else
    copied to the primal's strides and storage offset in zeroed memory the size of the
    primal's storage (so ``as_strided_`` moves both alike)."""
    from ..ops.layout import _storage_array  # noqa: PLC0415 (ops import this module)

    size = _storage_array(primal._data).size
    same = (
        tangent.stride() == primal.stride() and tangent.storage_offset() == primal.storage_offset()
    )
    if same and _storage_array(tangent._data).size == size:
        return tangent
    memory = make_tensor(np.zeros_like(tangent._data, shape=(size,)))
    laid = memory.as_strided(tuple(primal.shape), primal.stride(), primal.storage_offset())
    return _untracked(laid.copy_, tangent)


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """Mirrors ``forward_ad.unpack_dual``: (a view of ``tensor`` without tangent, the
    tangent or None)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(
            "_unpack_dual(): argument 'dual' (position 1) must be Tensor, not "
            f"{type(tensor).__name__}"
        )
    tangent = tangent_of(tensor)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    return UnpackedDualTensor(_untracked(tensor.view_as, tensor), tangent)


def _untracked(fn, *args):
    """``fn(*args)`` without following tangents (inf and NaN silently, as in backward)."""
    global _busy
    busy, _busy = _busy, True
    try:
        with numpy_quiet():
            return fn(*args)
    finally:
        _busy = busy


def carries_tangent(t, args) -> bool:
    """Whether ``t`` or a tensor among ``args`` carries a tangent (in-place ops ask)."""
    return any(tangent_of(a) is not None for a in (t, *args) if isinstance(a, Tensor))


def transfer(source: Tensor, target: Tensor) -> None:
    """``target`` takes ``source``'s tangent (in-place ops: the new value's)."""
    set_tangent(target, tangent_of(source))


def rewrapped(array, t: Tensor) -> None:
    """An op's saved output, wrapped again for its backward, takes the output's tangent (so
    gradients computed inside a level carry tangents too: forward-over-reverse)."""
    entry = _by_array.get(id(array))
    if entry is not None and entry[0]() is array:
        set_tangent(t, entry[1])


# ---- following ops --------------------------------------------------------------------------
def _follow(ctx, args, out) -> None:
    """Called after every op while a level is open: gives its outputs their tangents (none
    inside inference_mode, which turns forward AD off too, as PyTorch's)."""
    if _busy or state.inference:
        return
    tangents = [tangent_of(a) if isinstance(a, Tensor) else None for a in args]
    if all(t is None for t in tangents):
        if any(isinstance(a, (list, tuple)) and carries_tangent(None, a) for a in args):
            raise NotImplementedError(
                f"forward-mode AD through {type(ctx)._op_class.__name__} with a list of dual tensors is "
                "not supported by minitorch"
            )
        return
    outs = out if type(out) is tuple else (out,)
    if ctx._raw and not _has_rule(type(ctx)):
        results = _untracked(_jvp_of_op, ctx, args, tangents, outs)
    else:
        results = _untracked(_jvp_of_function, ctx, args, tangents, outs)
        results = results if type(results) is tuple else (results,)
    for o, tangent in zip(outs, results):
        if isinstance(o, Tensor) and tangent is not None:
            tangent = tangent if isinstance(tangent, Tensor) else make_tensor(tangent)
            _check_size(o, tangent)  # a user Function's jvp may return another shape
            set_tangent(o, tangent)


def _check_size(tensor: Tensor, tangent: Tensor) -> None:
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(tensor.shape)} "
            f"while the given forward gradient is of size {list(tangent.shape)}."
        )


def _has_rule(op: type) -> bool:
    """Whether a built-in op gives its own ``jvp`` (where the generic one is wrong: a scatter
    whose repeated indices keep one write, which its backward can't say)."""
    from .function import Function  # noqa: PLC0415 (function imports this module)

    return op.jvp is not Function.jvp


def _zeros(t: Tensor, requires_grad: bool = False) -> Tensor:
    return make_tensor(np.zeros_like(t._data), requires_grad)


def _differentiable(o) -> bool:
    return isinstance(o, Tensor) and o._data.dtype.kind in "fcV"  # (bfloat16: "V")


def _jvp_of_op(ctx, args, tangents, outs) -> list:
    """The output tangents of a built-in op, from its backward (see the module docstring).
    Backward runs on stand-ins of the inputs that require grad (some backward formulas
    differentiate a recomputation of the op), linked to the inputs that do, so a tangent is
    differentiable in turn where its inputs are (reverse over forward)."""
    from .engine import grad  # noqa: PLC0415 (the engine imports ops that import this)
    from .function import _FREED  # noqa: PLC0415

    kept = ctx._saved, ctx.needs_input_grad
    differentiable = is_grad_enabled() and any(
        isinstance(a, Tensor) and a.requires_grad for a in (*args, *tangents)
    )  # under no_grad a tangent is computed outside the graph too, as in PyTorch
    try:
        with enable_grad():
            stand_ins = {
                id(a): a.view_as(a) if a.requires_grad else make_tensor(a._data, True)
                for a in args
                if isinstance(a, Tensor) and a._data.dtype.kind in "fcV"
            }
            saved = _resolved(ctx, args, outs)
            if saved is not None and saved is not _FREED and type(saved) is tuple:
                ctx._saved = tuple(_stand_in(entry, stand_ins) for entry in saved)
            ctx.needs_input_grad = tuple(t is not None for t in tangents)
            us = [_zeros(o, True) if _differentiable(o) else None for o in outs]
            gs = [u if u is not None or not isinstance(o, Tensor) else _zeros(o) for u, o in zip(us, outs)]  # fmt: skip
            grads = type(ctx).backward(ctx, *gs)
            grads = grads if type(grads) is tuple else (grads,)
            total = None
            for g, t in zip(grads, tangents):
                if g is not None and t is not None and g.requires_grad:
                    term = (g * t).sum()
                    total = term if total is None else total + term
            wanted = [u for u in us if u is not None]
            found = ()
            if total is not None:
                found = grad(total, wanted, allow_unused=True, create_graph=differentiable)
    finally:
        ctx._saved, ctx.needs_input_grad = kept
    found = iter(found)
    results = []
    for u, o in zip(us, outs):
        if u is None:
            results.append(None)
            continue
        g = next(found, None)
        results.append(_zeros(o) if g is None else g if differentiable else g.detach())
    return results


def _resolved(ctx, args, outs):
    """The op's saved entries; resolved from what its forward saved when it was not recorded
    (no input required grad)."""
    from .function import _save  # noqa: PLC0415

    saved = ctx._saved
    if saved is None and ctx._to_save:
        raws = [o._data if isinstance(o, Tensor) else o for o in outs]
        tensors = [a for a in args if isinstance(a, Tensor)]
        saved = tuple(_save(s, tensors, raws, outs) for s in ctx._to_save)
    return saved


def _stand_in(entry, stand_ins: dict):
    """A saved entry with an input replaced by its stand-in (no version check: the input
    was just used)."""
    value, cell, version, output_nr = entry
    if output_nr < 0 and isinstance(value, Tensor) and id(value) in stand_ins:
        return (stand_ins[id(value)], None, 0, -1)
    return entry


def _jvp_of_function(ctx, args, tangents, outs):
    """The output tangents of a user Function (or a built-in op with its own rule): its
    ``jvp(ctx, *input_tangents)``, given zeros for its floating-point tensor inputs without a
    tangent, as PyTorch does."""
    given = [
        t if t is not None else (_zeros(a) if _differentiable(a) else None)
        for a, t in zip(args, tangents)
    ]
    kept = ctx._saved
    if ctx._forward_saved is not None:
        ctx._saved = tuple((s, None, 0, -1) for s in ctx._forward_saved)
    elif ctx._raw:
        ctx._saved = _resolved(ctx, args, outs)
    try:
        return type(ctx).jvp(ctx, *given)
    finally:
        ctx._saved = kept
