"""autograd.Function: one mechanism for every op, built-in or user-defined.

A Function instance is both the ``ctx`` that forward and backward share and the graph node
that becomes its outputs' ``grad_fn``. Built-in ops (subclasses of ``Op``) see raw backend
arrays in ``forward``; user Functions see Tensors, as in PyTorch. Both write ``backward``
with Tensor ops, so ``create_graph=True`` differentiates it.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import re
import warnings
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from .._numpy_warnings import FILTER as NUMPY_FILTER
from .._numpy_warnings import numpy_quiet
from .._tensor import (
    INFERENCE_INPLACE,
    INFERENCE_SAVED,
    CreationMeta,
    InferenceCell,
    RemovableHandle,
    Tensor,
    link_view,
    make_tensor,
    mark_no_grad_views,
    version_cell,
)
from ..amp import autocast_mode
from . import forward_ad, observers, saved_hooks
from .grad_mode import state

_FREED = "freed"
transforms: list = []  # the minitorch.func transforms running now ("vmap", "grad", "jvp")
wrapping: list = []  # one entry per func transform running, gradients included: as PyTorch's
# wrap tensors, an inference tensor may be saved for backward there
jvp_rules: list = []  # user Functions applied under them whose jvp PyTorch's jvp would use


class NodeHooks:
    """Hooks on a graph node (mirrors ``torch.autograd.graph.Node.register_hook`` /
    ``register_prehook``): ``prehook(grad_outputs)`` runs before the node's backward and may
    return new ``grad_outputs``; ``hook(grad_inputs, grad_outputs)`` runs after it and may
    return new ``grad_inputs``. The engine runs them (``engine.run_node_hooks``)."""

    _node_hooks = None  # (prehooks, hooks): two OrderedDicts, made by the first registration
    _next: tuple = ()
    _metadata = None

    @property
    def metadata(self) -> dict:
        """Mirrors ``Node.metadata``: a dict of the user's, kept with the node."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    @property
    def next_functions(self) -> tuple:
        """Mirrors ``Node.next_functions``: ``(node, output_nr)`` for each input PyTorch's node
        has, ``(None, 0)`` for one that needs no gradient."""
        return self._torch_edges(self._next)

    @staticmethod
    def _torch_edges(edges: tuple) -> tuple:
        return tuple(e for e in edges if e is not _NOT_INPUT)

    def _sequence_nr(self) -> int:
        """Mirrors ``Node._sequence_nr()``: the later a node was made, the larger (a leaf's
        accumulator has none: PyTorch's UINT64_MAX)."""
        return self._seq if self._seq >= 0 else 2**64 - 1

    def register_hook(self, hook):
        """Mirrors ``Node.register_hook``: returns a handle whose ``remove()`` drops it."""
        return RemovableHandle(self._hook_dicts()[1], hook)

    def register_prehook(self, hook):
        """Mirrors ``Node.register_prehook``: returns a handle whose ``remove()`` drops it."""
        return RemovableHandle(self._hook_dicts()[0], hook)

    def _hook_dicts(self) -> tuple:
        if self._node_hooks is None:
            self._node_hooks = (OrderedDict(), OrderedDict())
        return self._node_hooks


class FunctionCtx:
    """Mirrors ``torch.autograd.function.FunctionCtx``: what forward (or ``setup_context``)
    tells autograd through ``ctx``. Every Function (and so every ctx) is one."""

    _to_save: tuple = ()
    _dirty: tuple = ()
    _non_diff: tuple = ()
    _forward_saved = None  # save_for_forward's tensors, for jvp

    def save_for_backward(self, *tensors) -> None:
        """Saves tensors (arrays in built-in ops) for backward; see ``saved_tensors``."""
        self._to_save = tensors

    def save_for_forward(self, *tensors) -> None:
        """Saves tensors for ``jvp`` (forward-mode AD), read there from ``saved_tensors``."""
        self._forward_saved = tensors

    def mark_dirty(self, *tensors) -> None:
        """Declares inputs that forward modified in place (returned as outputs)."""
        self._dirty = tensors

    def mark_non_differentiable(self, *outputs) -> None:
        """Declares outputs that get no gradient (indices, masks)."""
        self._non_diff = outputs

    def set_materialize_grads(self, value: bool) -> None:
        """When False, backward receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = value


class Function(FunctionCtx, NodeHooks):
    """Mirrors ``torch.autograd.Function``: subclass it, write ``forward(ctx, ...)`` and
    ``backward(ctx, *grad_outputs)``, call ``YourFunction.apply(...)``."""

    _raw = False  # built-in ops (Op) get arrays in forward; user Functions get Tensors

    _next: tuple = ()  # one (node, output_nr) edge per forward argument, in order
    _seq = -1  # PyTorch's sequence_nr: of the nodes ready in backward, the latest made runs first
    _node_type = None  # the subclass whose instances are ctx and grad_fn (see __init_subclass__)
    needs_input_grad: tuple = ()
    _saved = None
    _saved_for = None  # per saved slot, the inputs whose gradients read it (None: all do)
    _saved_names = None  # per saved slot, PyTorch's name of it (grad_fn._saved_<name>)
    _saved_args = None  # per saved slot, the argument it is (None: argument order)
    _saved_constants: dict = {}  # grad_fn._saved_<name> values fixed for the op (Add's alpha)
    _pre_hooks = None  # {output_nr: [hook]} of non-leaf tensors' register_hook
    _retained = None  # {output_nr: weakref(tensor)} for retain_grad
    _out_meta = None  # ((shape, dtype), ...): a user Function's, or several outputs
    _in_shapes = None  # user Functions: input shapes, to check the gradients they return
    _in_dtypes = None  # ... and dtypes, which the gradients are cast to
    _stack = None  # anomaly mode: where forward ran
    materialize_grads = True
    setup_context = None  # PyTorch 2's style: forward(*args) without ctx, then this
    generate_vmap_rule = False  # PyTorch's switch: True runs forward per element under vmap

    def __init__(self, *args, **kwargs) -> None:
        """Only a user's ``MyFunction()`` runs this (graph nodes skip it, see _node_type)."""
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __init_subclass__(cls, **kwargs) -> None:
        """Gives each Function (and op) a node type named as PyTorch's grad_fn type
        (``MulBackward0``, ``MyFunctionBackward``; a class-level ``torch_name`` overrides), so
        ``type(y.grad_fn).__name__`` reads as in PyTorch. ctx is an instance of it."""
        super().__init_subclass__(**kwargs)
        if "_op_class" in cls.__dict__:  # a node type itself
            return
        name = cls.__dict__.get("torch_name")
        if isinstance(name, str):
            del cls.torch_name  # the property below serves it from the node type's name
        else:
            name = cls.__name__ + ("Backward0" if cls._raw else "Backward")
        cls._node_type = _node_type(cls, name)

    @property
    def torch_name(self) -> str:
        """PyTorch's name of this node (``name()``); setting it makes it the node's type."""
        return self.name()

    @torch_name.setter
    def torch_name(self, name: str) -> None:
        self.__class__ = _node_type(type(self)._op_class, name)

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward``, checked against in-place changes
        (``()`` when forward saved none, as PyTorch's)."""
        saved = self._saved
        if saved is None:
            return ()
        if saved is _FREED:
            raise RuntimeError(freed_message(self))
        return tuple(self._unpack(s) for s in saved)

    @property
    def saved_variables(self) -> tuple:
        """Mirrors the deprecated ``ctx.saved_variables``: ``saved_tensors``, with a warning."""
        warnings.warn(
            "'saved_variables' is deprecated; use 'saved_tensors'", DeprecationWarning, stacklevel=2
        )
        return self.saved_tensors

    @property
    def saved_arrays(self) -> list:
        """``saved_tensors`` as backend arrays, checked the same way, for a backward that
        builds no graph (see ``raw_backward``): nothing is wrapped again."""
        saved = self._saved
        if saved is None:
            return []
        if saved is _FREED:
            raise RuntimeError(freed_message(self))
        out = []
        for entry in saved:
            value, cell, version, _ = entry
            if cell is not None and cell[0] != version or type(value) is saved_hooks.Packed:
                value = self._unpack(entry)  # raises, or unpacks
            out.append(value._data if isinstance(value, Tensor) else value)
        return out

    def _unpack(self, entry):
        value, cell, version, output_nr = entry
        packed = value if type(value) is saved_hooks.Packed else None
        if cell is not None and cell[0] != version and packed is None:  # hooks: no check
            raise RuntimeError(modified_message(self, value, cell[0], version, output_nr))
        if packed is not None:  # saved under saved_tensors_hooks
            value = saved_hooks.unpack(packed)
            if output_nr < 0:
                return value
            value = value._data
        if output_nr >= 0:  # our own output, re-wrapped so backward can differentiate it
            t = make_tensor(value, True, self, output_nr, cell)
            if observers.forward_ad is not None:
                forward_ad.rewrapped(value, t)
            return t
        return value

    def __getattr__(self, name: str):
        # reached only when ordinary lookup fails: PyTorch's grad_fn._saved_<name> accessors
        if name.startswith("_saved_"):
            return _saved_attribute(self, name[7:])
        if name.startswith("_raw_saved_"):
            return _raw_saved_attribute(self, name[11:])
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __dir__(self):
        # PyTorch's nodes list their _saved_<name> accessors (torchviz reads every one); our
        # bookkeeping class attributes of the same prefix are not among them
        names = [n for n in super().__dir__() if n not in _BOOKKEEPING]
        return names + [f"_saved_{key}" for key in _saved_keys(self)]

    def __call__(self, *args, **kwargs):
        if "_op_class" in type(self).__dict__:  # a graph node: a built-in op's is callable
            if self._raw and not kwargs:
                from .engine import call_node  # noqa: PLC0415 (engine imports this module)

                return call_node(self, args)
            raise TypeError(f"'{type(self).__name__}' object is not callable")
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    def name(self) -> str:
        """The node's name as PyTorch prints it, e.g. ``MulBackward0``."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object>"

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        vjp = type(ctx).vjp
        if vjp is not Function.vjp:  # PyTorch accepts ``vjp`` as the name of backward
            return vjp(ctx, *grad_outputs)
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            f"autograd.Function to use it with backward mode AD ({type(ctx)._op_class.__name__} does "
            "not implement backward)."
        )

    @staticmethod
    def jvp(ctx, *grad_inputs):
        """Forward-mode AD's rule (mirrors ``Function.jvp``): the outputs' tangents from the
        inputs' tangents. Built-in ops need one only where their backward can't give it
        (see autograd/forward_ad.py)."""
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )

    @staticmethod
    def vjp(ctx, *grad_outputs):
        """Mirrors ``Function.vjp``, another name for ``backward``."""
        return Function.backward(ctx, *grad_outputs)

    @staticmethod
    def vmap(info, in_dims, *args):
        """Mirrors ``Function.vmap``: a Function that overrides it (or sets
        ``generate_vmap_rule = True``, which runs forward per element) may run under
        ``func.vmap``: ``vmap(F.apply)`` calls it once for the batch, a function calling
        ``F.apply`` inside vmap calls it per element on a batch of one."""
        raise NotImplementedError(
            "To use autograd.Function with vmap, you must either override the vmap "
            "staticmethod or set generate_vmap_rule=True."
        )

    @classmethod
    def apply(cls, *args, **kwargs):
        """Runs forward and, if grad mode is on and an input requires grad, records the node.
        Keyword arguments go to forward and get no gradient; with ``setup_context`` they are
        bound to forward's signature first (defaults filled in), as PyTorch does."""
        if cls.setup_context is not None:
            bound = _signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        if transforms and not cls.__module__.startswith("minitorch."):  # not hooks/checkpoint
            _check_transformable(cls, args, kwargs)
            if transforms[-1] == "vmap" and not cls.generate_vmap_rule:
                from ..func._vmap import vmap_rule_per_element  # noqa: PLC0415

                return vmap_rule_per_element(cls.vmap, cls.__name__, args, kwargs)
        return _apply_general(cls, args, kwargs)


_FUNC_NOTES = "For more details, please see https://pytorch.org/docs/main/notes/extending.func.html"


def _check_transformable(cls, args, kwargs) -> None:
    """PyTorch's errors for a user Function that the running ``func`` transforms cannot
    take: one without ``setup_context``, one without a vmap rule under ``vmap``, one without
    ``jvp`` given tangents under ``jvp``/``jacfwd``."""
    if cls.setup_context is None:
        raise RuntimeError(
            "In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, "
            f"jacrev, ...), it must override the setup_context staticmethod. {_FUNC_NOTES}"
        )
    name = cls.__name__
    if "vmap" in transforms:
        if any(isinstance(v, Tensor) for v in kwargs.values()):
            raise NotImplementedError(
                "Run vmap on autograd.Function with kwarg-only Tensor args. Please do not pass "
                f"kwarg-only Tensors to autograd.Function. Got: {kwargs}"
            )
        overridden = cls.vmap is not Function.vmap
        if cls.generate_vmap_rule and overridden:
            raise RuntimeError(
                f"You tried to vmap over {name}, but it has both generate_vmap_rule=True and an "
                "overridden vmap staticmethod. Please set generate_vmap_rule=False or delete "
                f"the overridden vmap staticmethod to avoid ambiguity. {_FUNC_NOTES}"
            )
        if not cls.generate_vmap_rule and not overridden:
            raise RuntimeError(
                f"You tried to vmap over {name}, but it does not have vmap support. Please "
                "override and implement the vmap staticmethod or set generate_vmap_rule=True. "
                f"{_FUNC_NOTES}"
            )
    if "jvp" in transforms and _tracked(args):
        if cls.jvp is Function.jvp:
            Function.jvp(None)
        jvp_rules.append(cls)


@functools.cache
def _node_type(op: type, name: str) -> type:
    """The subclass of ``op`` named ``name`` that its graph nodes are instances of (a C++
    node of PyTorch's, ``torch::autograd::CopyBackwards``, is of type ``CopyBackwards``)."""
    short = name.rpartition("::")[2]
    attrs = {"_op_class": op, "__module__": op.__module__, "__qualname__": short}
    if short != name:
        attrs["name"] = lambda self: name
    if op.__init__ is Function.__init__:  # a node is made without the user-facing warning
        attrs["__init__"] = object.__init__
    return type(short, (op,), attrs)


@functools.cache
def _signature(forward) -> inspect.Signature:
    """forward's signature, computed once per Function class (apply binds to it per call)."""
    return inspect.signature(forward)


def _tracked(args) -> bool:
    return any(isinstance(a, Tensor) and a._requires_grad for a in args)


def _needs_grad(args) -> tuple:
    return tuple(isinstance(a, Tensor) and a._requires_grad for a in args)


def _check_dirty_returned(ctx, out) -> None:
    outs = out if type(out) is tuple else (out,)
    if any(not any(d is o for o in outs) for d in ctx._dirty):
        raise RuntimeError(
            "Some elements marked as dirty during the forward method were not returned as "
            "output. The inputs that are modified inplace must all be outputs of the Function."
        )


def _check_saved_as_is(ctx, args, out) -> None:
    """PyTorch's refusal to save an input that forward returned as-is (not marked dirty),
    when ``setup_context`` (not forward) saved it."""
    outs = out if type(out) is tuple else (out,)
    as_is = [
        a
        for a in args
        if isinstance(a, Tensor)
        and any(o is a for o in outs)
        and not any(d is a for d in ctx._dirty)
    ]
    if any(s is a for s in ctx._to_save for a in as_is):
        raise RuntimeError(
            "An input that has been returned as-is as output is being saved for backward. This "
            "is not supported if you override setup_context. You should return and save a "
            "view of the input instead, e.g. with x.view_as(x) or setup ctx inside the forward "
            "function itself."
        )


def _apply_general(cls, args, kwargs=None):
    """apply for user Functions, and for every op while the profiler, anomaly mode or
    autocast is on."""
    if autocast_mode.active:  # casts the inputs of the ops in minitorch.amp's policy table
        args = autocast_mode.cast_inputs(cls, args)
    ctx = cls._node_type()
    record = state.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in args)
    if observers.active:
        observers.before_forward(ctx, args)
    prev = state.enabled
    kwargs = kwargs or {}
    try:
        if cls._raw:
            with numpy_quiet():
                out = cls.forward(ctx, *[a._data if isinstance(a, Tensor) else a for a in args])
        else:
            ctx.needs_input_grad = _needs_grad(args)  # forward may read it, as in PyTorch
            state.enabled = False
            if observers.forward_ad is not None:
                out = _forward_without_tangents(cls, ctx, args, kwargs)
            else:
                out = _user_forward(cls, ctx, args, kwargs)
    except (TypeError, ValueError):
        check_same_device(cls, args)
        raise
    finally:
        state.enabled = prev
    if ctx._dirty:
        _check_dirty_returned(ctx, out)
    if ctx._to_save and prev and not cls._raw and cls.setup_context is not None:
        _check_saved_as_is(ctx, args, out)
    if record:
        out = _record(cls, ctx, args, out)
    elif cls._raw:
        out = _wrap_unrecorded(cls, args, out)
    else:
        out = _aliases_of_returned_inputs(ctx, args, out)
    if observers.active:
        observers.after_forward(ctx, args, out)
    return out


def _aliases_of_returned_inputs(ctx, args, out):
    """As PyTorch, an input that an unrecorded user Function returned as-is comes back as
    a new tensor: under no_grad, where it requires grad, a detached alias; else a view of it
    (unless marked dirty)."""

    def alias(o):
        if isinstance(o, Tensor) and any(o is a for a in args):
            if o._requires_grad:
                return o.detach()
            if not any(d is o for d in ctx._dirty):
                return o.view_as(o)
        return o

    return tuple(map(alias, out)) if type(out) is tuple else alias(out)


def _user_forward(cls, ctx, args, kwargs):
    if cls.setup_context is None:
        out = cls.forward(ctx, *args, **kwargs)
    else:
        out = cls.forward(*args, **kwargs)
        cls.setup_context(ctx, args, out)
    # a named tuple (x.sort()'s) is several outputs, returned as a plain tuple as PyTorch's
    return tuple(out) if isinstance(out, tuple) and type(out) is not tuple else out


def _forward_without_tangents(cls, ctx, args, kwargs):
    """A user Function's forward inside a forward-mode level: as in PyTorch, its ops carry no
    tangents (its ``jvp`` gives the outputs'); the inputs keep theirs for that ``jvp``, even
    where forward changed them in place."""
    kept = [(a, forward_ad.tangent_of(a)) for a in args if isinstance(a, Tensor)]
    out = forward_ad._untracked(_user_forward, cls, ctx, args, kwargs)
    for a, tangent in kept:
        if tangent is not None:
            forward_ad.set_tangent(a, tangent)
    return out


def _wrap_unrecorded(cls, args, out):
    """The outputs of a built-in op that recorded nothing, as tensors (views linked to
    their base, so in-place changes bump the shared version counter)."""
    if type(out) is tuple:
        outs = tuple(map(make_tensor, out))
        if cls.is_view:
            for t in outs:
                link_view(t, args[0])
            if args[0]._requires_grad:
                mark_no_grad_views(outs, args[0])
        return outs
    t = make_tensor(out)
    if cls.is_view:
        link_view(t, args[0])
        if args[0]._requires_grad:
            mark_no_grad_views((t,), args[0])
    return t


def check_same_device(cls, args) -> None:
    """Raises PyTorch's error naming both devices when the tensors among ``args`` (or in a
    list argument, as cat's) live on two devices. Called only after forward failed, so the
    check costs nothing on the hot path."""
    from ..backends import device_of, same_device_error  # noqa: PLC0415

    first = None
    for a in args:
        for t in a if isinstance(a, (list, tuple)) else (a,):
            if isinstance(t, Tensor):
                if first is None:
                    first = t._data
                elif device_of(t._data) != device_of(first):
                    raise same_device_error(cls.__name__.lower(), first, t._data) from None


_next_seq = itertools.count().__next__  # PyTorch's sequence_nr of the nodes made


def _record(cls, ctx, args, out):
    """Links ctx into the graph as the outputs' grad_fn and resolves what it saved."""
    edges = []
    needs = []
    tensors = []  # the Tensor arguments, where saved arrays are looked up
    held = False  # a tensor input that wants no gradient (forward may have saved it for none)
    for a in args:
        if isinstance(a, Tensor):
            tensors.append(a)
            if a._requires_grad:
                fn = a.grad_fn
                if fn is not None:
                    edges.append((fn, a._output_nr))
                else:
                    fn = a._accum or a._accumulator()
                    if fn is None and cls._raw:  # a view made under no_grad: PyTorch's node
                        edges.append(_NO_EDGE)  # has no edge there, so it computes (and saves)
                        needs.append(False)  # nothing for it
                        held = True
                        continue
                    edges.append((fn, 0))
                needs.append(True)
                continue
            held = True
            # an edge only where PyTorch's node has an input (in a built-in op a floating
            # tensor: indices and masks are no differentiable inputs there)
            is_input = not cls._raw or a._data.dtype.kind in "fcV"
        else:
            is_input = False
        edges.append(_NO_EDGE if is_input else _NOT_INPUT)
        needs.append(False)
    ctx._next = tuple(edges)
    ctx._seq = _next_seq()
    ctx.needs_input_grad = tuple(needs)
    if cls._raw and type(out) is not tuple and not ctx._non_diff:  # the common case
        t = make_tensor(out, True, ctx)
        if cls.is_view:
            link_view(t, args[0])
        if ctx._to_save:
            saved = tuple([_save(s, tensors, (out,), (t,)) for s in ctx._to_save])
            if held:
                saved = _inputs_told_apart(saved, args, tensors, cls._saved_args)
                if cls._saved_for is not None:
                    saved = _unchecked_where_unneeded(saved, cls._saved_for, needs)
            ctx._saved = saved_hooks.pack(saved) if saved_hooks.state.stack else saved
            ctx._to_save = ()
        return t
    single = type(out) is not tuple
    outs = (out,) if single else out
    raw = cls._raw
    if not raw:
        ctx._in_shapes = tuple(a._data.shape if isinstance(a, Tensor) else None for a in args)
        ctx._in_dtypes = tuple(a._data.dtype if isinstance(a, Tensor) else None for a in args)
        for i, s in enumerate(ctx._to_save):
            if s is not None and not isinstance(s, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{i} is of type {type(s).__name__}"
                )
    if not single or not raw:  # a user Function's gradient may be materialized
        ctx._out_meta = tuple(_meta(o) for o in outs)
    results = [_wrap_output(ctx, args, o, i, raw) for i, o in enumerate(outs)]
    if ctx._to_save:
        saved = tuple(_save(s, tensors, outs, results) for s in ctx._to_save)
        if held and raw:  # a user Function saves Tensors, found by identity
            saved = _inputs_told_apart(saved, args, tensors, cls._saved_args)
            if cls._saved_for is not None:
                saved = _unchecked_where_unneeded(saved, cls._saved_for, needs)
        ctx._saved = saved_hooks.pack(saved) if saved_hooks.state.stack else saved
        ctx._to_save = ()
    return results[0] if single else tuple(results)


def _unchecked_where_unneeded(saved: tuple, saved_for: tuple, needs: list) -> tuple:
    """PyTorch saves an operand only where a wanted gradient reads it: a slot that no wanted
    gradient reads (``saved_for``) is kept for its shape, without the in-place check."""
    return tuple(
        e if e[1] is None or any(needs[i] for i in inputs) else (e[0], None, 0, e[3])
        for e, inputs in zip(saved, saved_for)
    )


_NO_EDGE = (None, 0)
_NOT_INPUT = tuple([None, 0])  # equal to _NO_EDGE, told apart by identity (built, not a
# constant, so the compiler cannot merge the two): an argument PyTorch's node
# has no input for (a number, a dim, an index tensor), left out of ``next_functions``


def edges_at(*positions: int, reflected: tuple | None = None):
    """A ``_torch_edges`` for an op whose PyTorch node has an input for each of these
    argument positions, ``(None, 0)`` where the argument is a number or a left-out optional
    tensor (add's wrapped scalar, layer_norm's weight=None). ``reflected`` is the order when
    the first argument is a number (``2 * x`` is PyTorch's ``mul(x, 2)``; ``1 - x`` its
    ``rsub(x, 1)``, one input)."""

    def torch_edges(edges: tuple) -> tuple:
        order = reflected if reflected is not None and edges[0] is _NOT_INPUT else positions
        return tuple(_NO_EDGE if edges[i] is _NOT_INPUT else edges[i] for i in order)

    torch_edges.reflected = reflected
    return staticmethod(torch_edges)


def _data(x):
    return x._data if isinstance(x, Tensor) else x


def _meta(o):
    """(shape, dtype) of an output, to materialize its gradient; None for a non-tensor one
    (a user Function may return numbers or strings too: they get no gradient)."""
    d = _data(o)
    return (d.shape, d.dtype) if hasattr(d, "dtype") else None


def _wrap_output(ctx, args, o, i, raw):
    if o is None or not (raw or isinstance(o, Tensor)):
        return o
    differentiable = not any(o is n for n in ctx._non_diff)
    if (o if raw else o._data).dtype.kind not in "fcV":  # integer and bool outputs: no gradient
        differentiable = False
    view_of = None
    if raw and ctx.is_view:
        view_of = args[0]
    if not raw:
        if any(o is d for d in ctx._dirty):  # modified in place: the input itself is rebased
            from ..ops.inplace import rebase  # noqa: PLC0415 (ops import this module)

            if o._requires_grad and o.grad_fn is None and o._base is None:
                raise RuntimeError(
                    "a leaf Variable that requires grad has been used in an in-place operation."
                )
            check_inplace_allowed(o)
            new = make_tensor(o._data, True, ctx, i)
            if observers.forward_ad is not None:  # keeps its tangent for the Function's jvp
                forward_ad.transfer(o, new)
            rebase(o, new)  # a view re-bases its base too
            return o
        if o.grad_fn is ctx:  # returned twice: one tensor, as in PyTorch
            o._output_nr = i
            return o
        view_of = next((a for a in args if isinstance(a, Tensor) and _is_view_of(o, a)), None)
        if view_of is None and o.grad_fn is None and not o._requires_grad and o._base is None:
            # a tensor made in forward is itself the output, as in PyTorch (``ctx.result =
            # result`` in forward then refers to the output, which requires grad)
            o._requires_grad = differentiable
            o.grad_fn = ctx if differentiable else None
            o._output_nr = i
            return o
        o = o._data
    t = make_tensor(o, differentiable, ctx if differentiable else None, i)
    if view_of is not None:
        link_view(t, view_of)
    return t


def _is_view_of(o: Tensor, a: Tensor) -> bool:
    """Whether a user Function's output ``o`` is ``a`` itself or a view made of it (not a
    detached alias: PyTorch's ``detach()`` is no view)."""
    return o is a or o._base is not None and o._base is (a if a._base is None else a._base)


def _save(s, tensors, outs, results):
    """One saved entry: (value, version cell, version at save, output_nr or -1); ``tensors``:
    the op's Tensor arguments."""
    if s is None or type(s) in _NUMBER_DTYPES:  # a number operand (mul's), or nothing
        return (s, None, 0, -1)
    for i, o in enumerate(outs):
        if s is o:
            r = results[i]
            if r is None or not r._requires_grad:
                return (r, None, 0, -1)
            vc = r._vc
            if vc is None:
                vc = r._vc = version_cell()
            return (r._data, vc, vc[0], i)
    for a in tensors:
        if s is a._data or s is a:
            return _input_entry(a)
    if hasattr(s, "shape") and not isinstance(s, Tensor):  # an array computed in forward
        s = make_tensor(s)
    return (s, None, 0, -1)


def _input_entry(a: Tensor) -> tuple:
    """The saved entry of input ``a``, checked against its version counter."""
    vc = a._vc
    if vc is None:
        vc = a._vc = version_cell()
    elif type(vc) is InferenceCell and not wrapping:  # (PyTorch's transforms wrap it)
        raise RuntimeError(INFERENCE_SAVED)
    return (a, vc, vc[0], -1)


def _inputs_told_apart(saved: tuple, args: tuple, tensors: list, order: tuple | None) -> tuple:
    """Built-in ops save arrays, so in ``x * x.detach()`` both slots first resolve to ``x``;
    when inputs share one array (``tensors``: the Tensors among ``args``), each slot takes the
    argument the op's ``_saved_args`` names, or else the first such input no earlier slot took
    (argument order)."""
    if len({id(a._data) for a in tensors}) == len(tensors):
        return saved
    taken = set()
    out = []
    for i, entry in enumerate(saved):
        value = entry[0]
        if entry[3] < 0 and isinstance(value, Tensor):
            if order is not None:
                pick = args[order[i]]
            else:
                same = [a for a in tensors if a._data is value._data]
                pick = next((a for a in same if id(a) not in taken), value)
                taken.add(id(pick))
            if pick is not value:
                entry = _input_entry(pick)
        out.append(entry)
    return tuple(out)


LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."


def check_inplace_allowed(t: Tensor) -> None:
    """PyTorch's errors for in-place changes that would corrupt autograd (or change an
    inference tensor outside inference mode)."""
    if type(t._vc) is InferenceCell and not state.inference:
        raise RuntimeError(INFERENCE_INPLACE)
    if t._requires_grad and state.enabled:
        if t.grad_fn is None and t._base is None:
            raise RuntimeError(LEAF_INPLACE)
        if t._base is not None and t._base._requires_grad:
            fn = t.grad_fn
            if fn is not None and not fn._raw and not _several_outputs(fn):
                raise RuntimeError(
                    f"Output {t._output_nr} of {_BACKWARD.sub('', fn.name())} is a view and is being "
                    "modified inplace. This view was created inside a custom Function (or "
                    "because an input was returned as-is) and the autograd logic to handle "
                    "view+inplace would override the custom backward associated with the "
                    "custom Function, leading to incorrect gradients. This behavior is "
                    "forbidden. You can fix this by cloning the output of the custom Function."
                )
            if fn is not None and multi_output_view(fn):
                raise RuntimeError(multi_view_message(t, "is being modified inplace"))
        base = t._base  # a leaf that requires grad, or did when its views were made (PyTorch
        if base is not None and base.grad_fn is None and (base._requires_grad or base._accum):
            raise RuntimeError(  # asks whether the base is a leaf)
                "a view of a leaf Variable that requires grad is being used in an "
                "in-place operation."
            )


def multi_output_view(fn) -> bool:
    """Whether a view's node is one of several views an op (split, unbind) or a user Function
    returned: PyTorch forbids changing those in place."""
    return _multi_output_view(fn) if fn._raw else _several_outputs(fn)


def multi_view_message(t: Tensor, what: str) -> str:
    """PyTorch's error for the multi-output view ``t`` that ``what`` (is being modified
    inplace, its base or another view of its base has been modified inplace)."""
    fn = t.grad_fn
    nr = getattr(fn, "view_nr", None)
    return (
        f"Output {t._output_nr if nr is None else nr} of {_BACKWARD.sub('', fn.name())} is a "
        f"view and {what}. This view is the output of a function that returns multiple views. "
        "Such functions do not allow the output views to be modified inplace. You should "
        "replace the inplace operation by an out-of-place one."
    )


def _several_outputs(fn) -> bool:
    """Whether a user Function's node has more than one floating-point output (PyTorch then
    treats its view outputs as those of a function returning multiple views)."""
    meta = fn._out_meta or ()
    return sum(m is not None and m[1].kind in "fc" for m in meta) > 1


def _multi_output_view(fn) -> bool:
    """Whether a view's node, or a view node it was taken from, returned several views
    (split, unbind): PyTorch forbids changing those in place."""
    while getattr(fn, "is_view", False):
        if fn._out_meta is not None or fn.view_nr is not None:
            return True
        fn = fn._next[0][0]
    return False


_SAVED_INPUTS = {"self": 0, "other": 1}  # PyTorch's names of a node's first two inputs


def _saved_index(node: Function, saved: tuple, key: str) -> int | None:
    """Where PyTorch's saved value ``key`` of ``node`` is in ``saved``: by the op's
    ``_saved_names`` when it has them, else ``self``/``other`` (the first two inputs) and
    ``result`` (the output) found among the saved entries; None when not saved."""
    names = node._saved_names
    if names is not None and key in names:
        i = names.index(key)
        return i if i < len(saved) else None
    if key not in _SAVED_INPUTS and key != "result":
        return None
    p = _SAVED_INPUTS.get(key)
    if p is not None and p >= len(node._next):  # "other" of a one-input op
        return None
    swapped = getattr(node._torch_edges, "reflected", None) == (1, 0)
    if p is not None and swapped and node._next[0] is _NOT_INPUT:
        p = 1 - p  # 2 * x is PyTorch's mul(x, 2)
    edge = None if p is None else node._next[p]
    order = node._saved_args or range(len(saved))
    for i, (value, _, _, nr) in enumerate(saved):
        if type(value) is saved_hooks.Packed and nr < 0:
            value = value.tensor
        if edge is None and nr == 0 or edge is not None and nr < 0 and _edge(value) == edge:
            return i
        if edge is _NOT_INPUT and order[i] == p and type(value) in _NUMBER_DTYPES:
            return i  # a Python number operand
    return None


_NUMBER_DTYPES = {bool: np.bool_, int: np.int64, float: np.float64}
_BOOKKEEPING = {"_saved_for", "_saved_names", "_saved_args", "_saved_constants"}


def _saved_keys(node: Function) -> list:
    """The names ``node._saved_<name>`` answers under PyTorch's names: the saved inputs and
    output it finds, then the op's fixed values (what ``dir(grad_fn)`` lists); none for a
    user Function, whose saved tensors are ``saved_tensors``."""
    saved = node._saved
    keys = []
    if node._raw and type(saved) is tuple:
        candidates = node._saved_names or (*_SAVED_INPUTS, "result")
        keys = [k for k in candidates if _saved_index(node, saved, k) is not None]
    return keys + list(node._saved_constants)


def _saved_attribute(node: Function, key: str):
    """``node._saved_<key>``: a saved value under PyTorch's name (None when the op did not
    save that input or output), else a per-call attribute of the same name (``_saved_dim``)."""
    saved = node._saved
    if saved is _FREED:
        raise RuntimeError(freed_message(node))
    if saved is not None and (
        key in _SAVED_INPUTS or key == "result" or key in (node._saved_names or ())
    ):
        i = _saved_index(node, saved, key)
        if i is None and key in (node._saved_names or ()):  # not saved by this variant
            raise AttributeError(f"'{node.name()}' object has no attribute '_saved_{key}'")
        readers = node._saved_for  # PyTorch saves nothing in a slot no wanted gradient reads
        if (
            i is None
            or readers is not None
            and not any(node.needs_input_grad[j] for j in readers[i])
        ):
            return None
        value = node._unpack(saved[i])
        if key in _SAVED_INPUTS and type(value) in _NUMBER_DTYPES:  # a number operand: 0-d
            return make_tensor(np.array(value, _NUMBER_DTYPES[type(value)]))
        return value
    if key in vars(node):
        return vars(node)[key]
    if key in node._saved_constants:
        return node._saved_constants[key]
    raise AttributeError(f"'{node.name()}' object has no attribute '_saved_{key}'")


class SavedTensor:
    """Mirrors ``torch._C._autograd.SavedTensor``, what ``grad_fn._raw_saved_<name>`` gives:
    ``register_hooks(pack_hook, unpack_hook)`` puts one saved tensor through hooks, as
    ``saved_tensors_hooks`` does for every tensor saved inside it."""

    __slots__ = ("_node", "_index")

    def __init__(self, node: Function, index: int) -> None:
        self._node, self._index = node, index

    def register_hooks(self, pack_hook: Callable, unpack_hook: Callable) -> None:
        """Packs the saved tensor now with ``pack_hook``; backward (and ``_saved_<name>``)
        gets ``unpack_hook(packed)`` in its place."""
        if not (callable(pack_hook) and callable(unpack_hook)):
            raise TypeError(
                "register_hooks(): incompatible function arguments. The following argument "
                "types are supported:\n    1. (self: torch._C._autograd.SavedTensor, arg0: "
                "collections.abc.Callable, arg1: collections.abc.Callable) -> None"
            )
        node = self._node
        saved = node._saved
        if saved is _FREED:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor after it has been freed. Saved "
                "intermediate values of the graph are freed when you call .backward() or "
                "autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved variables after calling "
                "backward."
            )
        value, cell, version, nr = saved[self._index]
        if type(value) is saved_hooks.Packed:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor whose hooks have already been set. "
                "Hint: only one pair of hooks is allowed at a time."
            )
        t = value if nr < 0 else make_tensor(value)
        packed = saved_hooks.Packed(pack_hook(t), unpack_hook, t, t if nr < 0 else None)
        i = self._index
        node._saved = saved[:i] + ((packed, cell, version, nr),) + saved[i + 1 :]


def _raw_saved_attribute(node: Function, key: str) -> SavedTensor:
    """``node._raw_saved_<key>``: the SavedTensor of a saved tensor (see _saved_attribute)."""
    saved = node._saved
    if saved is _FREED:  # PyTorch still hands it out; register_hooks then raises
        return SavedTensor(node, -1)
    i = None if saved is None else _saved_index(node, saved, key)
    value = None if i is None else saved[i][0]
    if value is None or not (isinstance(value, Tensor) or hasattr(value, "shape")):
        raise AttributeError(f"'{node.name()}' object has no attribute '_raw_saved_{key}'")
    return SavedTensor(node, i)


def _edge(t) -> tuple | None:
    """The graph edge a saved input tensor would have in ``next_functions``."""
    if not isinstance(t, Tensor):
        return None
    if not t._requires_grad:
        return _NO_EDGE
    return (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._accum or None, 0)


def modified_message(node, value, current: int, version: int, output_nr: int) -> str:
    """PyTorch's error for a saved tensor changed in place since ``node`` saved it: a saved
    output is named by ``node``, a saved input by its current grad_fn (none for a leaf);
    reading that of a view made under no_grad whose base changed raises its own error."""
    t = value if isinstance(value, Tensor) else make_tensor(value)
    if output_nr < 0 and type(t._accum) is CreationMeta:
        t._accumulator()  # (PyTorch's error there comes first)
    fn, nr = (node, output_nr) if output_nr >= 0 else (t.grad_fn, t._output_nr)
    which = f", which is output {nr} of {_BACKWARD.sub('', fn.name())}," if fn is not None else ""
    hint = (
        "the backtrace further above shows the operation that failed to compute its "
        "gradient. The variable in question was changed in there or anywhere later. Good luck!"
        if observers.anomaly
        else "enable anomaly detection to find the operation that failed to compute its "
        "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )
    return (
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{t.type()} {list(t._data.shape)}]{which} is at version {current}; "
        f"expected version {version} instead. Hint: {hint}"
    )


# PyTorch names a node's op in these messages without "Backward0" (PowBackward1 is "Pow1")
_BACKWARD = re.compile(r"Backward0?(?=\d*$)")


def freed_message(node) -> str:
    """The error for a second backward through a graph whose saved tensors were freed."""
    return (
        "Trying to backward through the graph a second time (or directly access saved "
        "tensors after they have already been freed). Saved intermediate values of the graph "
        "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
        "you need to backward through the graph a second time or if you need to access saved "
        f"tensors after calling backward. This failed at node {node.name()}. If this "
        "happens in a training loop, a tensor computed in an earlier step is probably "
        "reused in this step: call .detach() on it (e.g. a hidden state or a running sum)."
    )


class Op(Function):
    """A built-in op: forward runs on raw backend arrays and returns arrays."""

    _raw = True
    is_view = False  # True when forward returns a view of its first input
    tensor_list = False  # PyTorch's op takes its tensors as one list (cat): it computes the
    # gradients of all of them where one is needed
    view_nr = None  # which of several views one call made this node's view is (unbind's)

    @classmethod
    def apply(cls, *args):
        """Runs forward on the raw arrays and records the node if grad mode is on and an
        input requires grad (the hot path: no keyword arguments, no binding)."""
        if observers.active or autocast_mode.active:
            return _apply_general(cls, args)
        ctx = cls._node_type()
        record = False
        raw = []
        for a in args:
            if isinstance(a, Tensor):
                raw.append(a._data)
                if a._requires_grad:
                    record = True
            else:
                raw.append(a)
        try:
            filters = warnings.filters  # _numpy_warnings.filter_first(), inlined
            if filters and filters[0] is NUMPY_FILTER:
                out = cls.forward(ctx, *raw)
            else:  # the program's own warnings filters come first
                with numpy_quiet():
                    out = cls.forward(ctx, *raw)
        except (TypeError, ValueError):  # free when nothing is raised
            check_same_device(cls, args)
            raise
        if record and state.enabled:
            return _record(cls, ctx, args, out)
        return _wrap_unrecorded(cls, args, out)


def raw_backward() -> bool:
    """Whether a backward may compute on arrays now: it builds no graph (no
    ``create_graph``) and no profiler, anomaly mode or forward AD watches its ops."""
    return not state.enabled and not observers.active


def name_node(out: Tensor, name: str, input: Tensor | None = None) -> Tensor:
    """Gives ``out``'s node (made by the caller, not ``input``'s own) the name PyTorch's
    grad_fn has for the op the caller mirrors (``SumBackward1``, ``SelectBackward0``...)."""
    if out.grad_fn is not None and out is not input:
        out.grad_fn.torch_name = name
    return out


def once_differentiable(backward):
    """Mirrors ``torch.autograd.function.once_differentiable``: the decorated ``backward``
    runs without recording a graph; when a gradient it got requires grad (double backward),
    its results require grad too, through a node that raises if it is differentiated."""

    def wrapper(ctx, *grad_outputs):
        prev, state.enabled = state.enabled, False
        try:
            out = backward(ctx, *grad_outputs)
        finally:
            state.enabled = prev
        if not prev or not _tracked(grad_outputs):
            return out
        outs = out if isinstance(out, tuple) else (out,)
        fakes = [o if o is None else o.detach().requires_grad_() for o in outs]
        return DelayedError.apply(*fakes)

    wrapper.__name__, wrapper.__doc__ = backward.__name__, backward.__doc__
    return wrapper


class DelayedError(Function):
    """PyTorch's ``DelayedError`` node: passes tensors through, raises in backward (the
    results of a ``once_differentiable`` backward, differentiated again)."""

    torch_name = "Error"

    @staticmethod
    def forward(ctx, *tensors):
        out = tuple(t.view_as(t) if isinstance(t, Tensor) else t for t in tensors)
        return out if len(out) > 1 else out[0]

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


class InplaceFunction(Function):
    """Mirrors ``torch.autograd.function.InplaceFunction``: the legacy base of Functions that
    take an ``inplace`` flag (used as any Function: ``apply`` with static methods)."""

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace
