"""``minitorch.utils.checkpoint``: mirrors ``torch.utils.checkpoint`` (activation
checkpointing: trade compute for memory).

``checkpoint(function, *args)`` runs ``function`` once, keeps its outputs and drops the graph
of everything it computed inside; backward runs ``function`` again (on the random streams
it first saw, so dropout masks match; see ``_rng.py`` for cupy, which cannot save a
generator's state) to rebuild that graph and differentiates it. Peak
memory is then one segment's activations instead of all of them.

How the gradients get out without reentrancy: the first run builds its graph (briefly), and
the leaves it reaches (the parameters used inside, other leaf tensors) become inputs of one
checkpoint node alongside the tensor arguments, so the engine sends their gradients to that
node; this works with ``autograd.grad`` and ``create_graph=True`` too. The reentrant mode is
PyTorch's: the first run under no_grad, the backward differentiating the recomputation with
``autograd.backward`` (into the parameters' ``.grad``), raising PyTorch's errors under
``autograd.grad`` and for outputs that do not require grad. As in PyTorch's reentrant mode,
a tensor that requires grad reaches ``function`` through its arguments or as a leaf: a
non-leaf tensor captured from outside ``function`` is not supported.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from typing import Any

from .._tensor import Tensor
from ..amp import autocast_mode
from ..autograd import engine, forward_ad
from ..autograd import function as function_module
from ..autograd.engine import AccumulateGrad, checkpoint_valid
from ..autograd.engine import backward as _backward
from ..autograd.engine import grad as _grad
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ._rng import RngSnapshot

__all__ = ["CheckpointError", "checkpoint", "checkpoint_sequential", "noop_context_fn",
           "set_checkpoint_debug_enabled", "set_checkpoint_early_stop"]  # fmt: skip

_debug_enabled: bool | None = None  # set_checkpoint_debug_enabled's, over debug= when set
_early_stop = True  # set_checkpoint_early_stop's (minitorch always recomputes it all)

_EXPLICIT = (
    "use_reentrant parameter should be passed explicitly. {when} use_reentrant=False is "
    "recommended, but if you need to preserve the current default behavior, you can pass "
    "use_reentrant=True. Refer to docs for more details on the differences between the two "
    "variants."
)


def noop_context_fn():
    """Mirrors ``torch.utils.checkpoint.noop_context_fn``: the default ``context_fn``."""
    return nullcontext(), nullcontext()


@contextmanager
def set_checkpoint_early_stop(enable: bool):
    """Mirrors ``torch.utils.checkpoint.set_checkpoint_early_stop`` (accepted; minitorch's
    recomputation always runs the whole function)."""
    global _early_stop
    prev, _early_stop = _early_stop, enable
    try:
        yield
    finally:
        _early_stop = prev


@contextmanager
def set_checkpoint_debug_enabled(enabled: bool | None):
    """Mirrors ``torch.utils.checkpoint.set_checkpoint_debug_enabled``: overrides the
    ``debug`` of the checkpoints run inside (None: defer to it)."""
    global _debug_enabled
    prev, _debug_enabled = _debug_enabled, enabled
    try:
        yield
    finally:
        _debug_enabled = prev


class CheckpointError(RuntimeError):
    """Mirrors ``torch.utils.checkpoint.CheckpointError``: the recomputation differs from
    the forward pass."""


def _tensors(out) -> list:
    """The tensors ``function`` returned: itself, or those in its tuple/list."""
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [o for o in out if isinstance(o, Tensor)]
    return []


# the engine depths of the recomputations' differentiation run by a checkpoint's backward
# that was itself valid (-1: not valid): a reentrant checkpoint nested inside runs its
# backward there, as in PyTorch's (whose reentrant backward calls torch.autograd.backward)
_valid_depths: list = []


def _detached(tensors) -> list:
    return [t.detach().requires_grad_(t.requires_grad) for t in tensors]


def _leaves(outputs: list, stop: list) -> list:
    """The leaf tensors requiring grad that ``outputs`` were computed from (but ``stop``)."""
    skip = {id(t) for t in stop}
    seen, found, todo = set(), {}, [o.grad_fn for o in outputs if o.grad_fn is not None]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, AccumulateGrad):
            leaf = node.variable
            if leaf is not None and id(leaf) not in skip:
                found.setdefault(id(leaf), leaf)
            continue
        todo.extend(fn for fn, _ in node._next)
    return list(found.values())


class CheckpointFunction(Function):
    """The node that stands for ``function``'s whole graph: its inputs are the tensor
    arguments and the leaves used inside; backward recomputes and differentiates."""

    @staticmethod
    def forward(ctx, run, rng, values, wanted, n_args, reentrant, check, *tensors):
        ctx.run, ctx.rng, ctx.n_args, ctx.reentrant = run, rng, n_args, reentrant
        # determinism_check="default": the recomputed outputs' metadata must be the same
        ctx.recorded = [_metadata(v) for v in values] if check else None
        ctx.save_for_backward(*tensors)
        ctx.mark_non_differentiable(
            *[v for v, w in zip(values, wanted) if not (w and v.dtype.is_floating_point)]
        )
        return tuple(values)

    @staticmethod
    def backward(ctx, *grad_outputs):
        valid = checkpoint_valid() or (
            bool(_valid_depths) and _valid_depths[-1] == len(engine._tasks)
        )
        if ctx.reentrant and not valid:
            raise RuntimeError(
                "When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() "
                "or passing an `inputs` parameter to .backward(). To resolve this error, you "
                "can either set use_reentrant=False, or call .backward() without passing the "
                "`inputs` argument."
            )
        tensors = ctx.saved_tensors
        args, leaves = tensors[: ctx.n_args], tensors[ctx.n_args :]
        create_graph = is_grad_enabled()
        with ctx.rng.replay() if ctx.rng else nullcontext(), enable_grad():
            # for a differentiable gradient (create_graph) the recomputation stays connected
            # to the arguments: through aliases, which the tape still differentiates for
            detached = (
                [a.view_as(a) for a in args]
                if create_graph and not ctx.reentrant
                else _detached(args)
            )
            outputs = _tensors(ctx.run(*detached))
        if ctx.recorded is not None:
            _check_metadata(ctx.recorded, outputs)
        if ctx.reentrant and not any(o.requires_grad for o in outputs):
            raise RuntimeError(
                "none of output has requires_grad=True, this checkpoint() is not necessary"
            )
        pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad and g is not None]
        if ctx.reentrant:
            # as PyTorch's: the recomputation's backward, into the parameters' .grad too
            if pairs:
                _backward([o for o, _ in pairs], [g for _, g in pairs])
            return (None, None, None, None, None, None, None, *[d.grad for d in detached])
        targets = [t for t in (*detached, *leaves) if t.requires_grad]
        grads = iter(())
        if pairs and targets:
            _valid_depths.append(len(engine._tasks) + 1 if valid else -1)
            try:
                grads = iter(
                    _grad(
                        [o for o, _ in pairs],
                        targets,
                        [g for _, g in pairs],
                        create_graph=create_graph,
                        allow_unused=True,
                    )
                )
            finally:
                _valid_depths.pop()
        result = [next(grads, None) if t.requires_grad else None for t in (*detached, *leaves)]
        return (None, None, None, None, None, None, None, *result)


def _metadata(t: Tensor) -> dict:
    return {"shape": t.shape, "dtype": t.dtype, "device": t.device}


def _check_metadata(saved: list, outputs: list) -> None:
    """PyTorch's CheckpointError where a recomputed output's shape, dtype or device differ."""
    different = "".join(
        f"tensor at position {i}:\nsaved metadata: {m}\nrecomputed metadata: {_metadata(o)}\n"
        for i, (m, o) in enumerate(zip(saved, outputs))
        if m != _metadata(o)
    )
    if different:
        raise CheckpointError(
            "torch.utils.checkpoint: Recomputed values for the following tensors have "
            f"different metadata than during the forward pass.\n{different}."
        )


def checkpoint(
    function: Callable,
    *args: Any,
    use_reentrant: bool | None = None,
    context_fn: Callable | None = None,
    determinism_check: str = "default",
    debug: bool = False,
    early_stop: bool = True,
    **kwargs: Any,
) -> Any:
    """Mirrors ``torch.utils.checkpoint.checkpoint``: ``function(*args, **kwargs)`` without
    keeping its graph; backward recomputes it (restoring the random state first when
    ``preserve_rng_state``, the default) and gives the same gradients as without
    checkpointing, to the arguments and to the parameters used inside. Without
    ``use_reentrant`` it warns and takes PyTorch's default (True); with it, keyword arguments
    for ``function`` raise ValueError and, if no argument requires grad, the output does not
    either (PyTorch's warning "None of the inputs have requires_grad=True"). Without it,
    ``context_fn()`` gives the contexts of the run and of the recomputations, and
    ``determinism_check="default"`` raises CheckpointError where a recomputed output's
    shape, dtype or device differ (PyTorch checks the saved tensors). ``debug`` and
    ``early_stop`` are otherwise ignored."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint: the "
            + _EXPLICIT.format(
                when="Starting in PyTorch 2.9, calling checkpoint without use_reentrant will "
                "raise an exception."
            ),
            stacklevel=2,
        )
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if context_fn is noop_context_fn:
        context_fn = None
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if use_reentrant and (context_fn is not None or debug):
        raise ValueError(
            "Passing `context_fn` or `debug` is only supported when use_reentrant=False."
        )
    if (
        not use_reentrant
        and (debug if _debug_enabled is None else _debug_enabled)
        and context_fn is not None
    ):
        raise ValueError("debug=True is incompatible with non-default context_fn")
    if not use_reentrant and determinism_check not in ("default", "none"):
        raise ValueError(
            f"determinism_check should be one of ['default', 'none'], but got {determinism_check}"
        )
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    tensor_args = [args[i] for i in positions]
    if use_reentrant and function_module.transforms:
        # PyTorch's reentrant checkpoint is an autograd.Function without setup_context
        function_module._check_transformable(CheckpointFunction, args, kwargs)
    if use_reentrant and not any(t.requires_grad for t in tensor_args):
        # under no_grad too: PyTorch's reentrant checkpoint is a Function whose forward warns
        warnings.warn(
            "None of the inputs have requires_grad=True. Gradients will be None", stacklevel=2
        )
        with no_grad():
            out = function(*args, **kwargs)
        if any(forward_ad.is_dual(t) for t in tensor_args):
            CheckpointFunction.jvp(None)  # PyTorch's Function without a jvp: its error
        return out
    # PyTorch's context_fn: the function runs under the first context, its recomputations
    # under the second (none under no_grad, which still calls it)
    forward_context, recompute_context = context_fn() if context_fn else (None, None)
    if not is_grad_enabled():
        return function(*args, **kwargs)
    if not use_reentrant and any(forward_ad.is_dual(t) for t in tensor_args):
        # PyTorch's non-reentrant checkpoint runs function itself: tangents flow through it
        # (minitorch keeps this graph then, recomputing nothing)
        with forward_context if forward_context is not None else nullcontext():
            return function(*args, **kwargs)

    # the backward's recomputation runs in the forward's autocast state, as PyTorch's does
    regions = [
        {"device_type": d, "dtype": autocast_mode.get_autocast_dtype(d),
         "enabled": autocast_mode.is_autocast_enabled(d),
         "cache_enabled": autocast_mode._state.cache_enabled}
        for d in ("cpu", "cuda")
    ]  # fmt: skip

    def run(*tensors, context=recompute_context):
        full = list(args)
        for i, t in zip(positions, tensors):
            full[i] = t
        with autocast_mode.autocast(**regions[0]), autocast_mode.autocast(**regions[1]):
            with context if context is not None else nullcontext():
                return function(*full, **kwargs)

    rng = RngSnapshot() if preserve else None
    # the reentrant mode runs function under no_grad (PyTorch's CheckpointFunction.forward):
    # its backward sends the parameters' gradients straight to them
    detached = tensor_args if use_reentrant else _detached(tensor_args)
    with rng.replay(first=True) if rng else nullcontext(), set_grad_enabled(not use_reentrant):
        out = run(*detached, context=forward_context)
    if use_reentrant and isinstance(out, list):
        # an autograd.Function's list is not an output of it: no graph (the Function still
        # needs a jvp for a dual argument)
        if any(forward_ad.is_dual(t) for t in tensor_args):
            CheckpointFunction.jvp(None)
        return out
    outputs = _tensors(out)
    leaves = [] if use_reentrant else _leaves(outputs, detached)
    values = [o.detach() for o in outputs]
    # without reentrancy an output that needs no gradient (t.detach()) stays without one, as
    # PyTorch's
    wanted = [use_reentrant or o.requires_grad for o in outputs]
    del outputs, detached  # the graph of function goes with them
    if not values or not (leaves or any(t.requires_grad for t in tensor_args)):
        return out
    results = iter(
        CheckpointFunction.apply(
            run,
            rng,
            values,
            wanted,
            len(tensor_args),
            use_reentrant,
            not use_reentrant and determinism_check == "default",
            *tensor_args,
            *leaves,
        )
    )
    if isinstance(out, Tensor):
        return next(results)
    return type(out)(next(results) if isinstance(o, Tensor) else o for o in out)


def checkpoint_sequential(
    functions, segments: int, input: Tensor, use_reentrant: bool | None = None, **kwargs: Any
) -> Tensor:
    """Mirrors ``torch.utils.checkpoint.checkpoint_sequential``: ``functions`` (a list or an
    ``nn.Sequential``) split into ``segments`` runs of equal length, each checkpointed but
    the last, which runs normally."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint.checkpoint_sequential: the "
            + _EXPLICIT.format(
                when="In version 2.9 we will raise an exception if use_reentrant is not passed."
            ),
            stacklevel=2,
        )
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if hasattr(functions, "children"):  # nn.Sequential
        functions = list(functions.children())

    def run(start: int, end: int) -> Callable:
        def forward(x):
            for j in range(start, end + 1):
                x = functions[j](x)
            return x

        return forward

    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(
            run(start, end), input, use_reentrant=use_reentrant, preserve_rng_state=preserve
        )
    return run(end + 1, len(functions) - 1)(input)
