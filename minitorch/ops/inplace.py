"""In-place ops (``add_``, ``mul_``, ``x[i] = v``, ...). Each is its out-of-place op plus one
rule: outside autograd, write into the tensor's memory and bump its version counter; inside
autograd, compute out of place, write the result into the tensor's memory and re-base the
tensor onto the new node (PyTorch's rule), raising where that would corrupt gradients.

A view re-bases its base instead: the base's new node is ``CopySlices`` (the old base with
the view's elements replaced by the new values), and every live view of the base re-derives
its grad_fn from it (``AsStrided``), so no view keeps a stale history. Both ops address the
view's elements by their flat positions in the base, found from the arrays' strides."""

from __future__ import annotations

import copy
import math
import re
import warnings

import numpy as np

from .._dtypes import CPP_NAMES, from_numpy_dtype, scalar_type_name
from .._grad_state import state
from .._memory_format import channels_last, channels_last_3d
from .._numpy_warnings import numpy_quiet
from .._tensor import (
    INFERENCE_INPLACE,
    CreationMeta,
    InferenceCell,
    Tensor,
    make_tensor,
    version_cell,
)
from ..autograd import forward_ad, observers
from ..autograd.function import (
    LEAF_INPLACE,
    Op,
    check_inplace_allowed,
    multi_output_view,
    multi_view_message,
    name_node,
)
from ..autograd.grad_mode import is_inference_mode_enabled
from ..backends import on_host, to_backend
from ..backends.memory_order import format_order, laid_out
from ..backends.numpy_backend import astype
from . import elementwise as E
from .index import (
    IndexIntoZeros,
    IndexPut,
    _index_kind,
    basic_first,
    basic_index_name,
    check_empty_masks,
    check_fill_value,
    check_put,
    checked_arrays,
    getitem,
    indexed_shape,
    normalize_index,
    numpy_index_error,
    reading_none,
    split_ints,
)
from .shape import _sizes


def bump_version(t: Tensor) -> None:
    """Marks ``t`` (and its views, which share the counter) as modified in place. The views
    of a base that requires grad re-derive their grad_fn, whatever mode changed it (PyTorch
    regenerates a view's node once its version moved on: ``AsStridedBackward0``)."""
    if t._vc is None:
        t._vc = version_cell()
    t._vc[0] += 1
    base = t._base if t._base is not None else t
    if base._requires_grad:
        if getattr(base, "_views", None):
            _rederive_views(base)
    elif len(t._vc) > 1:  # the base stopped requiring grad (Tensor._no_grad_views_follow)
        del t._vc[1:]
        _rederive_views(base)


# ---- the graph ops of in-place changes of views ----------------------------------------------
class CopySlices(Op):
    """``base`` with the elements at flat positions ``pos`` replaced by ``src``. Given
    ``target`` (the view's own array, inside the base's memory) it writes there and returns
    the base's array itself: that is how a view's in-place change re-bases its base."""

    torch_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, src, pos, target):
        ctx.pos = pos
        ctx.expanded = target is not None and overlaps(target)  # (masked_fill_'s)
        if target is not None:
            write(target, src, ctx.expanded)
            return base
        out = base.copy()
        out.reshape(-1)[pos] = src
        return out

    @staticmethod
    def backward(ctx, g):
        nb, ns, _, _ = ctx.needs_input_grad
        if ctx.expanded and nb:  # PyTorch's copies the base's gradient into the view's geometry
            raise RuntimeError(OVERLAP)
        pos = ctx.pos
        zeros = make_tensor(np.zeros_like(g._data, shape=pos.shape))
        gb = CopySlices.apply(g, zeros, pos, None) if nb else None
        gs = AsStrided.apply(g, pos, None) if ns else None
        return gb, gs, None, None

    @property
    def next_functions(self) -> tuple:
        """PyTorch's CopySlices runs the in-place op's backward itself: its inputs are the
        base and the op's other inputs (``next_functions`` of the op's node, but the view)."""
        base, (op, _) = self._next[0], self._next[1]
        if op is None:
            return super().next_functions
        return (base, *op.next_functions[1:])

    def name(self) -> str:
        return "torch::autograd::CopySlices"  # PyTorch's name for this (C++) node

    def __repr__(self) -> str:
        return "<CopySlices object>"


class AsStrided(Op):
    """The elements of ``base`` at flat positions ``pos`` (shaped like ``pos``). Given
    ``target`` (the view's array, which holds exactly those elements) it returns it without
    a copy: that is how a view re-derives its grad_fn from its re-based base."""

    @staticmethod
    def forward(ctx, base, pos, target):
        ctx.shape = base.shape
        ctx.pos = pos
        return target if target is not None else base.reshape(-1)[pos]

    @staticmethod
    def backward(ctx, g):
        flat = IndexIntoZeros.apply(g, (int(np.prod(ctx.shape)),), (ctx.pos,), False)
        return flat.reshape(ctx.shape), None, None


def _address(a) -> int:
    return a.ctypes.data if isinstance(a, np.ndarray) else a.data.ptr


def _memory_offsets(a, start: int = 0):
    """The offset in elements of each element of ``a`` from ``start``, shaped like ``a``."""
    if a.ndim == 1 and a.strides[0]:  # (one call: the common slice of a vector)
        step = a.strides[0] // a.itemsize
        return np.arange(start, start + a.shape[0] * step, step, dtype=np.int64)
    out = np.full((), start, np.int64)
    for n, stride in zip(a.shape, a.strides):
        out = out[..., None] + np.arange(n, dtype=np.int64) * (stride // a.itemsize)
    return out


def flat_positions(view: Tensor, base: Tensor):
    """For each element of ``view``, the index of the same memory in ``base.reshape(-1)``
    (an index array on the base's device); None when they no longer share memory."""
    v, b = view._data, base._data
    if not v.size:  # an empty view (x[3:] of 3 elements, or of none) shares no element
        return to_backend(np.zeros(v.shape, np.int64), b)
    if b.size == 0:
        return None
    if b.flags.c_contiguous and v.itemsize == b.itemsize:  # positions are memory offsets
        start, misaligned = divmod(_address(v) - _address(b), b.itemsize)
        first = last = start
        for n, stride in zip(v.shape, v.strides):
            span = (n - 1) * (stride // b.itemsize)
            first, last = (first + span, last) if span < 0 else (first, last + span)
        if misaligned or first < 0 or last >= b.size:  # (outside: no longer shares memory)
            return None
        return to_backend(_memory_offsets(v, start), b)
    if not np.may_share_memory(v, b):
        return None
    pos = _memory_offsets(v, (_address(v) - _address(b)) // b.itemsize)
    if not b.flags.c_contiguous:  # map memory offsets to the base's C-order positions
        where = _memory_offsets(b)
        lo = int(where.min())
        table = np.full(int(where.max()) - lo + 1, -1, np.int64)
        table[(where - lo).reshape(-1)] = np.arange(b.size)
        inside = (pos >= lo) & (pos - lo < table.size)
        pos = np.where(inside, table[np.clip(pos - lo, 0, table.size - 1)], -1)
    if pos.size and (pos.min() < 0 or pos.max() >= b.size):
        return None
    return to_backend(pos, b)


# ---- re-basing -------------------------------------------------------------------------------
def _take_history(t: Tensor, grad_fn, output_nr: int, requires_grad: bool) -> None:
    """Gives ``t`` a new grad_fn; retain_grad() follows it to the new version (as in PyTorch),
    hooks stay with the old one."""
    retained = t._retains_grad
    if retained and t.grad_fn is not None and t.grad_fn._retained:
        t.grad_fn._retained.pop(t._output_nr, None)
    t.grad_fn, t._output_nr, t._requires_grad = grad_fn, output_nr, requires_grad
    if retained and grad_fn is not None:
        t._retains_grad = False
        t.retain_grad()


def rebase(t: Tensor, out: Tensor) -> None:
    """Writes ``out`` (computed from ``t``'s old value) into ``t``'s memory and makes it
    ``t``'s history, as an in-place op does. A view re-bases its base (CopySlices); then
    every live view of the base re-derives its grad_fn."""
    base = t._base
    pos = flat_positions(t, base) if base is not None else None
    if pos is None:  # not a view (or no longer one): t itself is re-based
        base = fbase = t
        if out._data is not t._data:
            writable(t._data)[...] = out._data
        _take_history(t, out.grad_fn, out._output_nr, out._requires_grad)
    else:
        fbase = _forward_base(t, base) if observers.forward_ad is not None else base
        _bypass_view_hooks(t, out)
        replaced = CopySlices.apply(base, out, pos, writable(t._data))
        _take_history(base, replaced.grad_fn, 0, replaced.grad_fn is not None)
        if observers.forward_ad is not None:
            _retangent_base(t, base, fbase, out, replaced)
    if observers.forward_ad is not None:
        forward_ad.update(t, forward_ad.tangent_of(out))
        _retangent_views(base, fbase)
    bump_version(t)
    _share_counter(t, out)


def _bypass_view_hooks(t: Tensor, out: Tensor) -> None:
    """PyTorch's CopySlices runs the in-place op's backward itself, so the gradient through the
    op never reaches the view's old node: hooks on that node (``v.register_hook`` before
    ``v.sigmoid_()``) fire only for earlier uses of the view. The op's edges to the old node
    go to a copy of it without hooks instead (an op of several nodes keeps its deeper edges)."""
    node, nr, op = t.grad_fn, t._output_nr, out.grad_fn
    if node is None or op is None or not (node._pre_hooks or node._node_hooks):
        return
    stand_in = copy.copy(node)
    stand_in._pre_hooks = stand_in._node_hooks = stand_in._retained = None
    op._next = tuple((stand_in, n) if e is node and n == nr else (e, n) for e, n in op._next)


def _share_counter(t: Tensor, out: Tensor) -> None:
    """An op that saved its own result (``exp_``) saved ``t`` as PyTorch sees it: that saved
    entry's version check follows ``t``'s counter from now on."""
    cell, node = out._vc, out.grad_fn
    if cell is None or cell is t._vc or node is None or type(node._saved) is not tuple:
        return
    now = t._vc
    node._saved = tuple(
        (v, now, now[0], nr) if c is cell else (v, c, ver, nr) for v, c, ver, nr in node._saved
    )


def _forward_base(t: Tensor, base: Tensor) -> Tensor:
    """The tensor whose tangent an in-place change of the view ``t`` of ``base`` updates:
    ``t`` itself when ``make_dual`` made it, a dual ``make_dual`` made over ``base`` that
    holds ``t`` when ``base`` has no tangent, else ``base``."""
    if forward_ad.is_root(t):
        return t
    if forward_ad.tangent_of(base) is None and forward_ad.tangent_of(t) is not None:
        for dual in forward_ad.roots_over(base._views.alive()):
            if flat_positions(t, dual) is not None:
                return dual
    return base


def _retangent_base(t: Tensor, base: Tensor, fbase: Tensor, out: Tensor, replaced: Tensor):
    """Forward-mode AD, an in-place change of the view ``t`` to ``out``: the new tangent of
    ``fbase`` (``_forward_base``), which is ``replaced``'s, or (a dual over ``base``) its old
    one with ``t``'s elements replaced by ``out``'s tangent."""
    if fbase is base:
        forward_ad.transfer(replaced, base)
    elif fbase is not t:
        src = forward_ad.tangent_of(out)
        src = make_tensor(np.zeros_like(out._data)) if src is None else src
        pos = flat_positions(t, fbase)
        new = forward_ad._untracked(CopySlices.apply, forward_ad.tangent_of(fbase), src, pos, None)
        forward_ad.update(fbase, new)


def _retangent_views(base: Tensor, fbase: Tensor) -> None:
    """Forward-mode AD: every live view of ``base`` takes its part of the new tangent of
    ``fbase`` (PyTorch's views share their base's tangent); when ``fbase`` is a dual over
    ``base`` (``_forward_base``), only the views inside it that carry a tangent do."""
    tangent = forward_ad.tangent_of(fbase)
    views = getattr(base, "_views", None)
    if tangent is None or not views:
        return
    for v in views.alive():
        if fbase is not base and (v is fbase or forward_ad.tangent_of(v) is None):
            continue
        pos = flat_positions(v, fbase)
        if pos is not None:
            forward_ad.set_tangent(v, AsStrided.apply(tangent, pos, None))


def _rederive_views(base: Tensor) -> None:
    """Points the grad_fn of each live view of ``base`` at ``base``'s current history. Views
    made under no_grad stay so (``CreationMeta``)."""
    views = getattr(base, "_views", None)
    if not views:
        return
    if not base._requires_grad:  # (it stopped: detach_, requires_grad_(False))
        if not any(v._requires_grad for v in views.alive()):
            return
        # PyTorch's regenerated node then has no edge: a stand-in leaf, so that the view's
        # old history (the base's before it stopped) is never used
        base = make_tensor(base._data, True)
    modes = state.enabled, state.inference
    state.enabled, state.inference = True, False  # (the change may be under no_grad)
    try:
        _rederive_each(base, views)
    finally:
        state.enabled, state.inference = modes


def _rederive_each(base: Tensor, views) -> None:
    for v in views.alive():
        if type(v._accum) is CreationMeta:
            continue
        pos = flat_positions(v, base)
        if pos is None:
            continue
        fn = v.grad_fn
        if fn is not None and not fn._raw and not multi_output_view(fn):
            continue  # a custom Function's view keeps its node (check_inplace_allowed's error)
        message = None  # (several views of a view made under no_grad: theirs is PyTorch's)
        if fn is not None:
            message = (
                multi_view_message(v, "{what}")
                if multi_output_view(fn)
                else _no_grad_chain_message(v, "{what}")
            )
        if message is not None:  # PyTorch refuses to use it from now on
            _take_history(v, None, 0, True)
            v._accum = CreationMeta(-1, False, message)
            continue
        _take_history(v, AsStrided.apply(base, pos, v._data).grad_fn, 0, True)


_WRAPS_NUMBERS = frozenset(("add", "sub", "mul", "div"))  # PyTorch makes their number a tensor


def _check_writable(t: Tensor, args: tuple = (), name: str = "") -> None:
    if type(t._vc) is InferenceCell and not is_inference_mode_enabled():
        if t._requires_grad and state.enabled and t.grad_fn is None and _normal_operand(args, name):
            raise RuntimeError(LEAF_INPLACE)  # PyTorch's op went through autograd's check
        raise RuntimeError(INFERENCE_INPLACE)
    if (
        t._base is not None
        and state.enabled
        and (t._requires_grad or any(isinstance(a, Tensor) and a._requires_grad for a in args))
    ):  # (a change autograd records: a no_grad view of a base that stopped requiring grad)
        _check_view(t)


def _normal_operand(args: tuple, name: str) -> bool:
    """Whether an operand is a normal (not inference) tensor: PyTorch then dispatches an op
    on an inference tensor through autograd."""
    for a in args:
        if isinstance(a, Tensor) and type(a._vc) is not InferenceCell:
            return True
        if name in _WRAPS_NUMBERS and isinstance(a, (int, float)):
            return True
    return False


class _Memory:
    """An array interface over existing memory, marked writable (see ``writable``)."""

    def __init__(self, data) -> None:
        interface = dict(data.__array_interface__)
        interface["data"] = (interface["data"][0], False)
        self.__array_interface__ = interface
        self.owner = data


def writable(data):
    """``data`` to write into. numpy marks an expanded (broadcast) array read-only; PyTorch
    writes through one into the memory it shares, so such an array is reached through a
    writable alias, unless the memory itself is read-only (a read-only numpy array)."""
    if getattr(data.flags, "writeable", True):
        return data
    root = data
    while isinstance(root.base, np.ndarray):
        root = root.base
    return np.asarray(_Memory(data)) if root.flags.writeable else data


def overlaps(data) -> bool:
    """Whether several elements of ``data`` share one memory location (an expanded array)."""
    return data.size > 1 and any(s == 0 and n > 1 for n, s in zip(data.shape, data.strides))


OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a "
    "single memory location. Please clone() the tensor before performing the operation."
)


def _check_overlap(data) -> None:
    """PyTorch's error for writing element-wise results into an expanded array."""
    if overlaps(data):
        raise RuntimeError(OVERLAP)


def _check_view(t: Tensor) -> None:
    if type(t._accum) is CreationMeta:
        raise t._accum.error("is being modified inplace")
    message = _no_grad_chain_message(t, "is being modified inplace")
    if message is not None:
        raise RuntimeError(message)


def _no_grad_chain_message(t: Tensor, what: str) -> str | None:
    """PyTorch's error for the view ``t`` (that ``what``) when its chain of views starts at a
    view made under no_grad (its creation mode, which PyTorch's views of it inherit); None
    when it does not."""
    fn = t.grad_fn
    while getattr(fn, "is_view", False):
        last, fn = fn, fn._next[0][0]
        if fn is None:  # PyTorch's creation mode of a view of a view: inference_mode's, else
            # a split's (or unbind's) on the way, else no_grad's
            inference = getattr(last, "of_inference_view", False)
            if not inference and multi_output_view(t.grad_fn):
                return multi_view_message(t, what)
            name = re.sub(r"Backward\d*$", "", t.grad_fn.name())
            view = f"Output {t._output_nr} of {name} is a view of a view which was"
            return str(CreationMeta(0, inference).error(what, view))
    return None


def _records(t: Tensor, args) -> bool:
    if observers.forward_ad is not None and not state.inference:
        if forward_ad.carries_tangent(t, args):
            return True  # forward-mode AD: the out-of-place op gives the new value's tangent
    if not state.enabled:
        return False
    if t._requires_grad:
        return True
    # an integer or bool tensor takes the values of a tensor that requires grad as data
    return t._data.dtype.kind not in "biu" and any(
        isinstance(a, Tensor) and a._requires_grad for a in args
    )


def inplace(
    t: Tensor, op, *args, ufunc=None, name: str = "", expanded: bool = False, apart: bool = False
) -> Tensor:
    """Runs ``op(t, *args)`` (an out-of-place functional op) as an in-place update of ``t``.
    ``ufunc``, when given, does the no-autograd case without a temporary. ``expanded``: the
    op may write into an expanded tensor (PyTorch's deprecated masked_fill_). ``apart``: an
    operand that partly overlaps ``t`` is refused (PyTorch's element-wise kernels)."""
    name = name or op.__name__
    _check_writable(t, args, name)
    records = _records(t, args)
    if records:
        check_inplace_allowed(t)  # autograd's errors come before the kernel's
    if not expanded:
        _check_overlap(t._data)
    if apart and t._vc is not None:  # (views and detach()es share their base's counter)
        for a in args:
            if isinstance(a, Tensor) and a._vc is t._vc:
                _check_apart(t, a)
    if records:
        snapshot = make_tensor(t._data.copy(), t._requires_grad, t.grad_fn, t._output_nr)
        if observers.forward_ad is not None:
            forward_ad.transfer(t, snapshot)
        out = op(snapshot, *args)
        _check_cast(t, out, name)
        rebase(t, out)
        return t
    if ufunc is not None and not (
        t._data.dtype in (E._HALF, E._BF16) and type(args[0]) in E._PY_SCALARS
    ):
        other = args[0]
        if isinstance(other, Tensor):
            other = other._data
        elif isinstance(other, np.generic):  # weak, and a numpy bool a float, to PyTorch
            other = E.parsed_number(other)
        elif not isinstance(other, E.OPERANDS):
            E.check_operand(other)  # a list or an array is no operand (numpy would take it)
        try:
            with numpy_quiet():
                ufunc(t._data, other, out=t._data)
            bump_version(t)
            return t
        except (TypeError, OverflowError):  # numpy refuses (int64 into uint8, bool - bool,
            # uint8 + -1, which PyTorch wraps): the op decides below
            pass
        except ValueError:  # PyTorch's error for an operand that does not broadcast (or a
            # read-only target: an expanded array, written below through an alias)
            if getattr(t._data.flags, "writeable", True):
                raise _shape_error(t, args[0], name) from None
    try:
        out = op(make_tensor(t._data), *args)
    except (NotImplementedError, RuntimeError) as e:  # an error of PyTorch's kernel (no
        # loop for the dtype, an integer division by zero) comes after its checks of an
        # operand that broadcasts t to a larger shape and of the cast of the result type
        other = args[0] if args else None
        if isinstance(e, NotImplementedError) or str(e).startswith("ZeroDivisionError"):
            if isinstance(other, Tensor) and other._data.shape != t._data.shape:
                try:
                    shape = np.broadcast_shapes(t._data.shape, other._data.shape)
                except ValueError:
                    shape = t._data.shape
                if shape != t._data.shape:
                    raise _shape_error(t, other, name) from None
            if isinstance(other, (Tensor, *E.OPERANDS)):
                _check_cast(t, E._promote(t, other, False)[0], name)
        raise
    _check_cast(t, out, name)
    write(writable(t._data), out._data, expanded and overlaps(t._data))
    bump_version(t)
    return t


def _check_apart(t: Tensor, a: Tensor) -> None:
    """PyTorch's error for an operand ``a`` that is another view of ``t``'s memory, partly
    overlapping it (``x[1:].add_(x[:-1])``, ``x.t().mul_(x)``)."""
    if np.may_share_memory(a._data, t._data):
        from .out_arg import _check_no_overlap  # noqa: PLC0415 (it imports this module)

        _check_no_overlap(t, (a,), partial=True)


def write(target, values, expanded: bool) -> None:
    """``target[...] = values``. Into an ``expanded`` target only the elements that change
    are written (PyTorch's masked_fill_ and index_put_ write just the masked or indexed ones:
    where several elements share one location, a written one wins)."""
    if expanded:
        changed = values != target
        target[changed] = values[changed]
    else:
        target[...] = values


def can_store(src: np.dtype, dst: np.dtype) -> bool:
    """Whether PyTorch writes a result of dtype ``src`` into a ``dst`` tensor (no float into
    an integer, no number into bool; a wider integer wraps into a narrower one)."""
    return src == dst or from_numpy_dtype(src)._category <= from_numpy_dtype(dst)._category


def _check_cast(t: Tensor, out: Tensor, name: str) -> None:
    if out._data.shape != t._data.shape:  # PyTorch checks the shape before the dtype
        raise _shape_error(t, out, name)
    if not can_store(out._data.dtype, t._data.dtype):
        raise RuntimeError(
            f"result type {scalar_type_name(out._data.dtype)} can't be cast to the desired "
            f"output type {scalar_type_name(t._data.dtype)}"
        )


def _shape_error(t: Tensor, other, name: str) -> RuntimeError:
    """PyTorch's error for an in-place op whose operand broadcasts ``t`` to another shape."""
    if error := E.broadcast_error(f"{name}_", t, other):
        return error
    shape = np.broadcast_shapes(t._data.shape, np.shape(getattr(other, "_data", other)))
    return RuntimeError(
        f"output with shape {list(t.shape)} doesn't match the broadcast shape {list(shape)}"
    )


# ---- assignment: x[i] = v, fill_, zero_, copy_ ---------------------------------------------
class Overwrite(Op):
    """``value`` (a number or an array that broadcasts) in ``x``'s shape and dtype: the
    out-of-place form of ``fill_`` and ``copy_``. ``x`` gets a zero gradient."""

    @staticmethod
    def forward(ctx, x, value):
        ctx.value_meta = (np.shape(value), getattr(value, "dtype", None))
        out = np.empty_like(x)
        out[...] = value
        return out

    @staticmethod
    def backward(ctx, g):
        nx, nv = ctx.needs_input_grad
        shape, dtype = ctx.value_meta
        gx = make_tensor(np.zeros_like(g._data)) if nx else None
        gv = E.to_dtype(E.unbroadcast(g, shape), dtype) if nv else None
        return gx, gv


def _without_leading_ones(shape: tuple) -> tuple:
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return shape[k:]


def setitem(t: Tensor, index, value) -> None:
    """``t[index] = value``: for basic indexing, ``t[index].copy_(value)`` (as in PyTorch)."""
    given = value
    if isinstance(value, Tensor):
        if value._data.ndim and value._data.shape[0] == 1:  # PyTorch drops leading 1s
            value = value.reshape(_without_leading_ones(value._data.shape))
    elif not isinstance(value, (int, float, complex, np.integer)):
        kind = type(value)
        name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"  # fmt: skip
        raise TypeError(f"can't assign a {name} to a {t.type()}")
    else:  # PyTorch makes a tensor of t's dtype from the number before it reads the index
        value = check_fill_value("", value, t._data.dtype, t._data.dtype != np.float16)
    idx, basic = normalize_index(index, t._data.shape)
    if not basic and (not isinstance(value, Tensor) or value._data.size == 1):
        _check_byte_mask_fill(index, idx, t._data.shape)
    steps = None if basic else split_ints(idx) or basic_first(idx, t._data.shape)
    if steps is not None:  # x[0, :, [1, 2]] = v: PyTorch's order of the two kinds of index
        setitem(getitem(t, steps[0]), steps[1], value)
        return
    if not basic and isinstance(value, Tensor) and value._data.dtype != t._data.dtype:
        check_put(t._data, idx, value._data)  # PyTorch's errors, in its order
        if value._data.size == 1:  # through a mask: PyTorch fills in the number
            check_fill_value("", value._data.item(), t._data.dtype)
    records = _records(t, (value,))
    if records and basic:
        view = t  # an index that does nothing: PyTorch writes into t itself (fills it with a
        if basic_index_name(idx, t._data.shape) == "AliasBackward0":  # number or 0-d tensor)
            if t._data.ndim and (not isinstance(value, Tensor) or not value._data.ndim):
                _fill(t, value, "FillBackward3")
                return
        else:
            view = getitem(t, index)
        if isinstance(value, Tensor) and value._data.shape != view._data.shape:
            value = value.expand(view._data.shape)  # PyTorch's setitem expands the value
        copy_(view, value)
        return
    if not records:
        _check_writable(t)
        if not basic and overlaps(t._data):
            _warn_expanded("index_put_", "tensor[indices] = tensor")
            if isinstance(index, Tensor) and index._data.dtype == np.bool_:
                _warn_expanded("masked_fill_", "tensor[mask] = scalar")
    if not basic:
        check_empty_masks(t._data.shape, idx)
        idx = checked_arrays(idx, t._data, "index_put_")
    if isinstance(value, Tensor) and np.may_share_memory(t._data, value._data):  # (bounds only)
        _check_setitem_overlap(t, idx, basic, given if basic else value)
    if t._data.dtype == np.float16:
        value = _rounded_for_half(value)
    try:
        if records:
            if not isinstance(value, Tensor):
                value = np.asarray(value, t._data.dtype)
            put = lambda x, v: IndexPut.apply(x, idx, v)  # noqa: E731
            inplace(t, put, value, name="setitem", expanded=not basic)  # (as without autograd)
            return
        if basic and overlaps(t._data):  # PyTorch copies into the view t[index]: refused
            _check_overlap(t._data[idx])  # where it is expanded too
        with numpy_quiet():  # a number beyond a float dtype's range is inf, silently
            writable(t._data)[idx] = value._data if isinstance(value, Tensor) else value
    except IndexError as e:
        if not basic and not math.prod(indexed_shape(t._data.shape, idx)):
            safe = reading_none(idx)  # nothing to write: PyTorch reads no index
            if records:
                inplace(t, lambda x, v: IndexPut.apply(x, safe, v), value, name="setitem")
            return
        raise IndexError(numpy_index_error(e, t._data.shape, idx)) from None
    except ValueError:  # numpy's broadcast error, as PyTorch's RuntimeError
        if not getattr(writable(t._data).flags, "writeable", True):  # cupy's have no flag
            raise RuntimeError(
                "setitem: the tensor's memory is read-only (it shares a non-writable numpy "
                "array, e.g. from torch.from_numpy); copy the array or the tensor first"
            ) from None
        if basic:  # PyTorch's setitem expands the value: its error
            value.expand(t._data[idx].shape)
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(np.shape(value))} cannot be "
            f"broadcast to indexing result of shape {list(indexed_shape(t._data.shape, idx))}"
        ) from None
    bump_version(t)


def _check_byte_mask_fill(index, idx: tuple, shape: tuple) -> None:
    """PyTorch puts one number through a single mask with masked_fill_, which refuses a byte
    mask (``idx``, the numpy index of ``index``, has it as a bool array)."""
    items = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, Tensor) and i._data.dtype == np.uint8 and i._data.ndim for i in items):
        arrays = [i for i in idx if isinstance(i, bool) or _index_kind(i) == "array"]
        if len(arrays) == 1 and getattr(arrays[0], "dtype", None) == np.bool_:
            indexed_shape(shape, idx)  # PyTorch checks the mask's shape first
            raise RuntimeError(
                "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char"
            )


def _check_setitem_overlap(t: Tensor, idx: tuple, basic: bool, value: Tensor) -> None:
    """PyTorch's error for ``t[idx] = value`` where ``value`` shares memory with ``t``: its
    index_put_ refuses any overlap; its copy_ into ``t[idx]`` (of ``value`` expanded to it
    unless of its shape) a partial one."""
    from .out_arg import _check_no_overlap  # noqa: PLC0415  (out_arg imports this module)

    if not basic:
        arrays = [i for i in idx if hasattr(i, "dtype") and not isinstance(i, np.generic)]
        if value._data.size != 1 or len(arrays) != 1 or arrays[0].dtype != np.bool_:
            _check_no_overlap(t, (value,))  # (one number through a mask is read first)
        return
    dest, src = t._data[idx], value._data
    if src.shape != dest.shape:
        try:
            src = np.broadcast_to(src, dest.shape)
        except ValueError:
            return  # the copy's own error
    same = src.shape == dest.shape and _address(src) == _address(dest)  # the same elements:
    same = same and all(a == b for n, a, b in zip(dest.shape, dest.strides, src.strides) if n > 1)
    if not same:  # allowed (the strides of dims of size 1 do not count)
        _check_no_overlap(make_tensor(dest), (make_tensor(src),))


def _warn_expanded(op: str, example: str) -> None:
    warnings.warn(
        f"Use of {op} on expanded tensors is deprecated. Please clone() the tensor before "
        f"performing this operation. This also applies to advanced indexing e.g. {example}",
        UserWarning,
        stacklevel=4,
    )


def fill_(t: Tensor, value) -> Tensor:
    """Mirrors ``Tensor.fill_``."""
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError(
            "fill_ only supports 0-dimension value tensor but got tensor with "
            f"{value._data.ndim} dimensions."
        )
    return _fill(t, value, "FillBackward3" if isinstance(value, Tensor) else "FillBackward2")


def zero_(t: Tensor) -> Tensor:
    """Mirrors ``Tensor.zero_``."""
    return _fill(t, 0, "ZeroBackward0")


def _fill(t: Tensor, value, node: str) -> Tensor:
    """``fill_``/``zero_``; ``node`` is PyTorch's name of the grad_fn it records."""
    value = check_fill_value("", value, t._data.dtype)  # PyTorch's words name no op
    if not _records(t, (value,)):
        _check_writable(t)
        if isinstance(value, Tensor):  # PyTorch fills an expanded tensor with a number only
            _check_overlap(t._data)
        writable(t._data)[...] = value._data if isinstance(value, Tensor) else value
        bump_version(t)
        return t
    return inplace(t, _overwrite_named(node), value, name="fill")


def _overwrite_named(node: str):
    """``Overwrite.apply`` whose graph node has PyTorch's name ``node``."""
    return lambda x, value: name_node(Overwrite.apply(x, value), node)


def copy_(t: Tensor, src, non_blocking: bool = False) -> Tensor:
    """Mirrors ``Tensor.copy_`` (broadcasts and casts ``src``)."""
    if not isinstance(src, Tensor):
        from ..factories import _type_name, as_tensor  # noqa: PLC0415

        if not isinstance(src, E.OPERANDS):  # numbers only: a list or an array is refused
            raise TypeError(
                f"copy_(): argument 'other' (position 1) must be Tensor, not {_type_name(src)}"
            )

        src = as_tensor(src)
    if src._data.shape != t._data.shape:
        if err := E.broadcast_error("copy_", t, src):
            raise err
        shape = np.broadcast_shapes(t._data.shape, src._data.shape)
        if shape != t._data.shape:  # src has more dims, or a size where t has 1
            raise RuntimeError(
                f"output with shape {list(t.shape)} doesn't match the broadcast shape {list(shape)}"
            )
    a, b = src._data, t._data
    same = a is b  # PyTorch's kernel returns at once for the same memory (an expanded t too)
    if not same and type(a) is type(b) and np.may_share_memory(a, b):
        from .out_arg import _check_no_overlap, _same_view  # noqa: PLC0415 (it imports this)

        same = a.dtype == b.dtype and _same_view(a, b)
        if not same:
            _check_no_overlap(t, (src,), partial=True)
    if not _records(t, (src,)):
        _check_writable(t)
        if same:
            bump_version(t)
            return t
        _check_overlap(t._data)
        data = to_backend(src._data, t._data)
        if data.dtype == np.float64 and b.dtype == np.float16:  # through float32, as PyTorch
            data = astype(data, b.dtype)
        writable(t._data)[...] = data
        bump_version(t)
        return t
    if src.device != t.device:
        src = src.to(t.device)
    return inplace(
        t, _overwrite_named("torch::autograd::CopyBackwards"), src, name="copy", expanded=same
    )


def _rounded_for_half(value):
    """A float64 value (a Python float, a tensor) rounded to float32 first, so that storing
    it in float16 rounds twice, as PyTorch's casts do."""
    if type(value) is float:
        return float(np.float32(value))
    if isinstance(value, Tensor) and value._data.dtype == np.float64:
        return value.half()  # (in the graph: the value may require grad)
    return value


def resize_(t: Tensor, *sizes, size=None, memory_format=None) -> Tensor:
    """Mirrors ``Tensor.resize_``: the tensor takes the new (contiguous) shape over its own
    memory, in memory order; growing copies into a larger buffer whose new elements are zeros
    (PyTorch leaves them uninitialised)."""
    shape = _sizes(sizes if size is None else (size,))
    _check_writable(t)
    if t._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if any(s < 0 for s in shape):
        raise RuntimeError(f"resize_: trying to resize to a negative size {list(shape)}")
    name = getattr(memory_format, "name", None)
    if name == "preserve_format":
        raise RuntimeError("Unsupported memory formatPreserve")
    order = None if name in (None, "contiguous_format") else format_order(name, len(shape))
    data = t._data
    if shape == data.shape and (name is None or t.is_contiguous(memory_format=memory_format)):
        return t
    if not data.flags.c_contiguous:
        raise RuntimeError(
            f"resize_ of a non-contiguous tensor (shape {list(data.shape)}, strides "
            f"{list(t.stride())}) is not supported: PyTorch reads its raw storage; call "
            ".contiguous() (or use .reshape) first"
        )
    n = int(np.prod(shape))
    flat = data.reshape(-1)
    if n > flat.size:
        flat = np.concatenate((flat, np.zeros_like(flat, shape=(n - flat.size,))))
    # memory_format= lays the same memory out in that format's order
    t._data = flat[:n].reshape(shape) if order is None else laid_out(flat[:n].reshape, shape, order)
    bump_version(t)
    return t


def resize_as_(t: Tensor, the_template: Tensor, memory_format=None) -> Tensor:
    """Mirrors ``Tensor.resize_as_``: ``resize_`` to ``the_template``'s shape
    (``preserve_format``: in the template's channels-last format if it has one)."""
    if getattr(memory_format, "name", None) == "preserve_format":
        memory_format = None
        x = the_template._data
        if x.ndim in (4, 5) and not x.flags.c_contiguous:
            cl = channels_last if x.ndim == 4 else channels_last_3d
            memory_format = cl if the_template.is_contiguous(memory_format=cl) else None
    return resize_(t, the_template.shape, memory_format=memory_format)


# ---- arithmetic ------------------------------------------------------------------------------
def _as_method_error(e: TypeError, name: str) -> TypeError:
    """The argument error of function ``name`` as PyTorch's method ``name_`` words it: its
    name, positions that do not count self, the argument types without self's."""
    text, combination = str(e), f"{name}() received an invalid combination of arguments - got ("
    if m := re.match(rf"({name}\(\): )?argument '(\w+)' (\(position (\d+)\) )?", text):
        position = int(m[4]) - 1 if m[4] else 1
        return type(e)(f"{name}_(): argument '{m[2]}' (position {position}) " + text[m.end() :])
    if text.startswith(combination + "Tensor, "):
        return type(e)(f"{name}_{combination[len(name) :]}" + text[len(combination) + 8 :])
    return e


def _method(op, ufunc=None, name=None, apart: bool = True):
    """``Tensor.{name}_``: ``op`` in place; ``apart``: an operand that partly overlaps the
    tensor is refused (PyTorch's element-wise and most index kernels)."""
    nm = name or op.__name__

    def method(self, *args, **kwargs):
        try:
            if kwargs:
                return inplace(self, lambda x, *a: op(x, *a, **kwargs), *args, name=nm, apart=apart)
            return inplace(self, op, *args, ufunc=ufunc, name=nm, apart=apart)
        except TypeError as e:
            raise _as_method_error(e, nm) from None
        except RuntimeError as e:  # clamp's number overload names the C++ type of self
            text = str(e)
            if nm.startswith("clamp") and "can't be cast to the desired output type" in text:
                if not any(isinstance(v, Tensor) for v in (*args, *kwargs.values())):
                    cpp = CPP_NAMES[self._data.dtype.name][0]
                    raise RuntimeError(text.rsplit(" ", 1)[0] + f" {cpp}") from None
            if m := re.fullmatch(r"result type (\w+) can't be cast to the desired output type (\w+)", text):  # fmt: skip
                if nm == "mvlgamma":  # PyTorch's composite checks its own cast, types swapped
                    raise RuntimeError(f"mvlgamma: result type {m[2]} can't be cast to the desired output type {m[1]}") from None  # fmt: skip
                if nm == "ldexp":
                    raise RuntimeError(f"ldexp can't be cast to the desired output type {m[2]}") from None  # fmt: skip
            raise

    method.__name__ = nm + "_"
    method.__doc__ = f"Mirrors ``Tensor.{nm}_``: in-place ``{nm}``."
    return method


add_ = _method(E.add, np.add, "add")
_sub = _method(E.sub, np.subtract, "sub")


def sub_(self, other, *args, **kwargs):
    """Mirrors ``Tensor.sub_`` (a bool operand raises sub's error, not numpy's subtraction)."""
    if type(other) is bool or isinstance(other, Tensor) and other._data.dtype == np.bool_:
        E.refuse_bool_sub(self, other)
    return _sub(self, other, *args, **kwargs)


mul_ = _method(E.mul, np.multiply, "mul")
div_ = _method(E.div, None, "div")
pow_ = _method(E.pow, None, "pow")
clamp_ = _method(E.clamp, None, "clamp")


def apply_(self: Tensor, callable) -> Tensor:
    """Mirrors ``Tensor.apply_``: ``callable`` on every element (a Python loop), in place."""
    return _map_into(self, "apply_", callable)


def map_(self: Tensor, tensor: Tensor, callable) -> Tensor:
    """Mirrors ``Tensor.map_``: ``callable(self_element, other_element)`` in place, ``tensor``
    broadcast to self's shape."""
    return _map_into(self, "map_", callable, tensor)


def _map_into(self: Tensor, name: str, fn, *others: Tensor) -> Tensor:
    """``fn`` of the elements of self and ``others`` (broadcast to self's shape) into self,
    with PyTorch's errors: any of them requiring grad, ``fn`` not callable, a result that is
    not a number."""
    if any(t._requires_grad for t in (self, *others)):
        raise RuntimeError(
            f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() "
            "instead."
        )
    if not on_host(self._data):  # a Python loop over the elements: PyTorch's CPU only
        raise TypeError(f"{name} is only implemented on CPU tensors")
    if not callable(fn):
        raise TypeError(f"'{type(fn).__name__}' object is not callable")
    floating = self._data.dtype.kind in "fc"

    def number(*elements):
        value = fn(*elements)
        if not isinstance(value, (int, float, np.number, np.bool_)):
            kind = type(value).__name__
            raise TypeError(f"must be real number, not {kind}" if floating
                            else f"'{kind}' object cannot be interpreted as an integer")  # fmt: skip
        return value

    arrays = [t.expand(self._data.shape)._data for t in others]  # PyTorch's expand errors
    self._data[...] = np.vectorize(number, otypes=[self._data.dtype])(self._data, *arrays)
    return self  # PyTorch's apply_/map_ leave the version counter as it is


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
    from .index import check_mask_and_value, check_tensor_and_value, masked_fill  # noqa: PLC0415

    check_tensor_and_value("masked_fill_", mask, value)
    check_mask_and_value(mask, value)  # before the shapes, in place
    if error := E.broadcast_error("masked_fill_", t, mask):
        raise error  # PyTorch names self first here, the mask first out of place
    if overlaps(t._data):  # PyTorch fills an expanded tensor all the same
        _warn_expanded("masked_fill_", "tensor[mask] = scalar")
    return inplace(t, masked_fill, mask, value, name="masked_fill", expanded=True)
