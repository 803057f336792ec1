"""Hooks on the tensors a graph saves for backward (mirrors ``torch.autograd.graph``'s
``saved_tensors_hooks``, ``save_on_cpu``, ``disable_saved_tensors_hooks`` and
``allow_mutation_on_saved_tensors``).

Inside ``saved_tensors_hooks(pack_hook, unpack_hook)``, every tensor a recorded node saves is
handed to ``pack_hook`` when it is saved; the node keeps what the hook returned, and backward
gets ``unpack_hook(that)`` in its place (with the autograd identity of what was saved); as in
PyTorch, a tensor saved through hooks is not checked for in-place changes.
What counts as one saved tensor follows minitorch's ops, which do not always save the same
tensors as PyTorch's kernels."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .._tensor import Tensor, make_tensor


class _State(threading.local):
    def __init__(self) -> None:
        self.stack: list = []  # (pack_hook, unpack_hook), innermost last
        self.disabled: str | None = None  # the error message of disable_saved_tensors_hooks


state = _State()


class Packed:
    """What a node keeps of a saved tensor while hooks are on: the pack hook's result, the
    unpack hook, the saved tensor's shape and dtype (for error messages) and, for a saved
    input, the input Tensor itself (its place in the graph)."""

    __slots__ = ("obj", "unpack_hook", "shape", "dtype", "tensor")

    def __init__(self, obj, unpack_hook: Callable, like, tensor: Tensor | None = None) -> None:
        self.obj = obj
        self.unpack_hook = unpack_hook
        data = getattr(like, "_data", like)
        self.shape, self.dtype = data.shape, data.dtype
        self.tensor = tensor


def pack(entries: tuple) -> tuple:
    """A node's saved entries (value, version cell, version, output_nr) with every tensor
    value replaced by its Packed form; the innermost hooks apply."""
    pack_hook, unpack_hook = state.stack[-1]
    out = []
    for value, cell, version, nr in entries:
        if isinstance(value, Tensor):
            value = Packed(_call(pack_hook, value), unpack_hook, value, value if nr < 0 else None)
        elif hasattr(value, "shape") and nr >= 0:  # an op's output array
            value = Packed(_call(pack_hook, make_tensor(value)), unpack_hook, value)
        out.append((value, cell, version, nr))
    return tuple(out)


def _call(pack_hook: Callable, t: Tensor):
    """``pack_hook(t)``, with PyTorch's error when the hook changes ``t`` in place."""
    before = t._version
    obj = pack_hook(t)
    if t._version != before:
        raise RuntimeError(
            "A saved tensor pack hook is modifying its input in place. Tensors provided as "
            "input to pack hook cannot be modified by in-place operations as this can lead to "
            "unexpected side-effects. Please open an issue if you need to perform in-place "
            "operations on the input to a pack hook."
        )
    return obj


def unpack(packed: Packed) -> Tensor:
    """The unpack hook's tensor for a saved value; a saved input keeps its graph identity
    (it is the input itself when the hook gives back the same data)."""
    t = packed.unpack_hook(packed.obj)
    if not isinstance(t, Tensor):
        raise TypeError(
            "Output of saved tensor unpack_hook expected to be a Tensor but got result of type "
            f"{type(t).__name__}"
        )
    orig = packed.tensor
    if orig is None or t is orig or t._data is orig._data:
        return orig if orig is not None else t
    out = make_tensor(t._data, orig.requires_grad, orig.grad_fn, orig._output_nr)
    if orig.requires_grad and orig.grad_fn is None:  # a leaf: its gradient reaches the leaf
        out._accum = orig._accumulator()
    return out


class saved_tensors_hooks:
    """Mirrors ``torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook)``: a context
    manager inside which saved tensors go through the hooks (see the module docstring)."""

    def __init__(self, pack_hook: Callable, unpack_hook: Callable) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> saved_tensors_hooks:
        if state.disabled is not None:
            raise RuntimeError(state.disabled)
        state.stack.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc) -> None:
        state.stack.pop()


class save_on_cpu(saved_tensors_hooks):
    """Mirrors ``torch.autograd.graph.save_on_cpu(pin_memory=False)``: saved tensors are moved
    to the CPU when saved and back to their device when backward needs them."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(lambda t: (t.device, t.cpu()), lambda p: p[1].to(p[0]))


class disable_saved_tensors_hooks:
    """Mirrors ``torch.autograd.graph.disable_saved_tensors_hooks(error_message)``: entering
    ``saved_tensors_hooks`` inside raises RuntimeError(error_message)."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        if state.stack:
            raise RuntimeError(self.error_message)
        self._prev = state.disabled
        state.disabled = self.error_message

    def __exit__(self, *exc) -> None:
        state.disabled = self._prev


_MUTATION_OUTSIDE = (  # PyTorch's words (without a space before "in")
    "Trying to backward outside of the 'allow_mutation_on_saved_tensors' context"
    "in which the graph was originally recorded."
)


class _AllowMutationOnSavedContext:
    """What ``allow_mutation_on_saved_tensors`` yields: the copies of the saved tensors, which
    backward uses while the context is open (it clears them when it closes)."""

    def __init__(self) -> None:
        self.cloned: dict = {}
        self.active = False

    def clear(self) -> None:
        self.cloned.clear()


class allow_mutation_on_saved_tensors(saved_tensors_hooks):
    """Mirrors ``torch.autograd.graph.allow_mutation_on_saved_tensors()``: inside, tensors
    saved for backward may be changed in place afterwards; backward (run inside too) sees them
    as they were when saved. PyTorch copies a saved tensor when it is first mutated; minitorch
    copies every saved tensor when it is saved (the same gradients, more memory)."""

    _open = False

    def __init__(self) -> None:
        self.ctx = ctx = _AllowMutationOnSavedContext()

        def pack_hook(t: Tensor) -> int:
            key = len(ctx.cloned)
            ctx.cloned[key] = make_tensor(t._data.copy())
            return key

        def unpack_hook(key: int) -> Tensor:
            if not ctx.active or key not in ctx.cloned:
                raise AssertionError(_MUTATION_OUTSIDE)
            return ctx.cloned[key]

        super().__init__(pack_hook, unpack_hook)

    def __enter__(self) -> _AllowMutationOnSavedContext:
        if allow_mutation_on_saved_tensors._open:
            raise RuntimeError("allow_mutation_on_saved_tensors contexts cannot be nested")
        super().__enter__()
        allow_mutation_on_saved_tensors._open = self.ctx.active = True
        return self.ctx

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        self.ctx.clear()
        allow_mutation_on_saved_tensors._open = self.ctx.active = False
