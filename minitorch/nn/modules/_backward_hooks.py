"""``Module.register_full_backward_hook``: ``hook(module, grad_input, grad_output)`` runs when
the gradients with respect to the module's tensor inputs have been computed, and may
return a replacement ``grad_input``; ``register_full_backward_pre_hook``'s
``hook(module, grad_output)`` runs before, and may return a replacement ``grad_output``.

As in PyTorch, the module's inputs and outputs pass through an identity Function each
(BackwardHookFunction): the outputs' one records ``grad_output`` as it flows back, the
inputs' one runs the hooks. ``Module.__call__`` puts them in place as PyTorch's does: the
inputs' after the forward pre-hooks, the outputs' after the forward hooks."""

from __future__ import annotations

import warnings
from collections import OrderedDict

from ..._tensor import RemovableHandle, Tensor
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled
from ...factories import zeros_like
from . import module as _module


class BackwardHookFunction(Function):
    """Passes tensors through (returned as-is, so PyTorch's rule for them holds: modifying
    one in place raises); in backward, ``on_backward(grads)`` gives the gradients."""

    @staticmethod
    def forward(ctx, on_backward, materialize, *tensors):
        ctx.on_backward = on_backward
        ctx.set_materialize_grads(materialize)
        return tensors if len(tensors) > 1 else tensors[0]

    @staticmethod
    def backward(ctx, *grads):
        return (None, None, *ctx.on_backward(grads))


def _through_identity(items, on_backward, materialize: bool):
    """``items`` with the tensors that require grad passed through one BackwardHookFunction
    (None, not zeros, for those that get no gradient unless ``materialize``); returns (new
    items, positions of those tensors)."""
    items = list(items)
    where = [i for i, t in enumerate(items) if isinstance(t, Tensor) and t.requires_grad]
    if where:
        out = BackwardHookFunction.apply(on_backward, materialize, *[items[i] for i in where])
        for i, t in zip(where, out if len(where) > 1 else (out,)):
            items[i] = t
    return items, where


class _Call:
    """One forward call of a module with backward hooks: joins its two identities."""

    def __init__(self, module, args: tuple) -> None:
        self.module = module
        self.args = args
        self.wrapped: list = []
        self.grad_outputs: tuple | None = None  # set when the gradient passes the outputs
        self.outputs: tuple = (0, [])  # (number of outputs, positions of the wrapped ones)

    def outputs_done(self, grads: tuple) -> tuple:
        # one entry per output, as PyTorch's: None for a non-tensor or one without gradient
        n, where = self.outputs
        full = [None] * n
        for i, g in zip(where, grads):
            full[i] = g
        grads = tuple(full)
        for hook in _hooks(self.module, "_backward_pre_hooks"):
            result = hook(self.module, grads)
            grads = _replaced(grads, result, "Backward pre hook", "grad_output")
        self.grad_outputs = grads
        if not self.wrapped:
            # no input requires grad: the hooks fire now, and PyTorch warns so even when the
            # module has only backward pre-hooks
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to "
                "module outputs since no inputs require gradients. See "
                "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.register_full_backward_hook for more details.",
                stacklevel=2,
            )
            for hook in _hooks(self.module, "_backward_hooks"):
                result = hook(self.module, (None,) * len(self.args), grads)
                if result is not None and not (
                    isinstance(result, tuple) and all(g is None for g in result)
                ):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should "
                        "always return None or None for all gradients."
                    )
            self.grad_outputs = None
        return tuple(grads[i] for i in where)

    def inputs_done(self, grads: tuple) -> tuple:
        # one entry per argument, as PyTorch's: None for a non-tensor, zeros for a tensor
        # that needs no gradient. The hooks run only for a gradient that came through the
        # outputs (not one that reached the inputs some other way, or outputs not wrapped)
        if self.grad_outputs is None:
            return grads
        grad_input = [zeros_like(a) if isinstance(a, Tensor) else None for a in self.args]
        for arg, g in zip(self.wrapped, grads):
            grad_input[arg] = g
        grad_input = tuple(grad_input)
        for hook in _hooks(self.module, "_backward_hooks"):
            result = hook(self.module, grad_input, self.grad_outputs)
            grad_input = _replaced(grad_input, result, "Backward hook", "grad_input")
        self.grad_outputs = None
        return tuple(grad_input[arg] for arg in self.wrapped)


def _replaced(grads: tuple, result, hook: str, name: str) -> tuple:
    """``grads`` as a hook's ``result`` replaces them (kept when it is None), with PyTorch's
    check of their number."""
    if result is None:
        return grads
    result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    if len(result) != len(grads):
        raise RuntimeError(
            f"{hook} returned an invalid number of {name}, got {len(result)}, "
            f"but expected {len(grads)}"
        )
    return result


def wrap_inputs(module, args: tuple) -> tuple:
    """After the forward pre-hooks: (the inputs passed through the identity that runs the
    hooks, the call that joins it to the outputs' one, or None without hooks or grad mode)."""
    hooks = _hooks(module, "_backward_hooks") or _hooks(module, "_backward_pre_hooks")
    if not hooks or not is_grad_enabled():
        return args, None
    call = _Call(module, args)
    new_args, call.wrapped = _through_identity(args, call.inputs_done, True)
    return tuple(new_args), call


def wrap_outputs(module, call, args: tuple, output):
    """After the forward hooks: the outputs passed through the identity that records
    grad_output; the deprecated (non-full) hooks go on the node that made them."""
    if not isinstance(output, (Tensor, tuple)):
        if _hooks(module, "_backward_hooks") or _hooks(module, "_backward_pre_hooks"):
            warnings.warn(
                "For backward hooks to be called, module output should be a Tensor or a tuple "
                f"of Tensors but received {type(output)}",
                stacklevel=4,
            )
    elif call is not None:
        single = isinstance(output, Tensor)
        outputs = (output,) if single else output
        items, where = _through_identity(outputs, call.outputs_done, False)
        if where:
            call.outputs = (len(items), where)
            output = items[0] if single else type(output)(items)
    non_full = _hooks(module, "_non_full_backward_hooks")
    if non_full:
        _hook_output_node(module, args, output, non_full)
    return output


def _hooks(module, kind: str) -> list:
    """The backward hooks of ``module`` of ``kind`` ("_backward_hooks", "_backward_pre_hooks"
    or the deprecated "_non_full_backward_hooks"): the global ones, then its own."""
    return [*_module.global_backward_hooks[kind].values(), *module.__dict__.get(kind, {}).values()]


def mark_full(module) -> None:
    """``register_full_backward_hook``'s check: a module takes one kind of backward hook."""
    if module.__dict__.setdefault("_is_full_backward_hook", True) is not True:
        raise RuntimeError(_MIXED_HOOKS)


def register_non_full(module, hook) -> RemovableHandle:
    """The deprecated ``Module.register_backward_hook``: as in PyTorch, each call's hooks go on
    the graph node that made the (first tensor of the) module's output, so ``grad_input`` is
    the gradient with respect to that last operation's inputs."""
    d = module.__dict__
    if d.setdefault("_is_full_backward_hook", False) is not False:
        raise RuntimeError(_MIXED_HOOKS)
    if "_non_full_backward_hooks" not in d:
        d["_non_full_backward_hooks"] = OrderedDict()
        d["_has_backward_hooks"] = True
    return RemovableHandle(d["_non_full_backward_hooks"], hook)


def _first_tensor(output) -> Tensor:
    """The tensor whose node gets the hooks, found as PyTorch finds it."""
    while not isinstance(output, Tensor):
        if isinstance(output, dict):
            output = next(v for v in output.values() if isinstance(v, Tensor))
        else:
            output = output[0]
    return output


def _hook_output_node(module, args: tuple, output, hooks: list) -> None:
    node = _first_tensor(output).grad_fn
    if node is None:
        return
    for hook in hooks:
        node.register_hook(lambda grad_in, grad_out, hook=hook: hook(module, grad_in, grad_out))
    _warn_non_full(args, output, node)


def _warn_non_full(args: tuple, output, node) -> None:
    """PyTorch's FutureWarnings for the cases where a non-full backward hook misses some of
    the gradients (a module whose inputs or outputs are not Tensors, or whose forward is not
    the one node ``node``)."""
    outputs = (output,) if isinstance(output, Tensor) else output
    if not (isinstance(outputs, tuple) and all(isinstance(t, Tensor) for t in outputs)):
        return _future_warning(
            "Using non-full backward hooks on a Module that does not return a single Tensor or "
            "a tuple of Tensors is deprecated and will be removed in future versions. This "
            "hook will be missing some of the grad_output. Please use "
            "register_full_backward_hook to get the documented behavior."
        )
    if not all(isinstance(t, Tensor) for t in args):
        return _future_warning(
            "Using non-full backward hooks on a Module that does not take as input a single "
            "Tensor or a tuple of Tensors is deprecated and will be removed in future versions. "
            "This hook will be missing some of the grad_input. Please use "
            "register_full_backward_hook to get the documented behavior."
        )
    out_nodes = {id(t.grad_fn) for t in outputs if t.grad_fn is not None}
    if len(out_nodes) > 1:
        return _future_warning(
            "Using a non-full backward hook when outputs are generated by different autograd "
            "Nodes is deprecated and will be removed in future versions. This hook will be "
            "missing some grad_output. Please use register_full_backward_hook to get the "
            "documented behavior."
        )
    inputs = {id(t.grad_fn) for t in args if t.grad_fn is not None}
    if inputs != {id(n) for n, _ in node.next_functions}:
        _future_warning(
            "Using a non-full backward hook when the forward contains multiple autograd Nodes "
            "is deprecated and will be removed in future versions. This hook will be missing "
            "some grad_input. Please use register_full_backward_hook to get the documented "
            "behavior."
        )


def _future_warning(message: str) -> None:
    warnings.warn(message, FutureWarning, stacklevel=5)


_MIXED_HOOKS = (
    "Cannot use both regular backward hooks and full backward hooks on a single Module. "
    "Please use only one of them."
)
