"""The backward engine: an iterative walk of the graph in topological order with
dependency counts (no recursion), accumulating into leaves' ``.grad``."""

from __future__ import annotations

import itertools
import sys
import warnings
import weakref
from collections import deque
from heapq import heappop, heappush
from typing import NamedTuple

import numpy as np

from .._dtypes import from_numpy_dtype
from .._numpy_warnings import numpy_quiet
from .._tensor import Tensor, make_tensor
from ..backends.memory_order import non_overlapping_and_dense
from . import observers
from .function import _FREED, _NOT_INPUT, NodeHooks, freed_message, transforms
from .grad_mode import state


class AccumulateGrad(NodeHooks):
    """The graph node of a leaf tensor: what reaches it is added into the leaf's ``.grad``."""

    _next = ()
    _saved = None
    _retained = None
    _out_meta = None
    _post_hooks = None  # {id: hook(tensor)}: Tensor.register_post_accumulate_grad_hook
    _seq = -1  # PyTorch's sequence_nr: a leaf's node has none
    _grad_dtype = False  # Tensor.grad_dtype: False = the leaf's own dtype, None = any

    def __init__(self, tensor: Tensor) -> None:
        self._ref = weakref.ref(tensor)

    @property
    def _pre_hooks(self) -> dict | None:
        """The leaf's own hooks: they run before its gradient is accumulated or captured."""
        t = self._ref()
        return {0: t._hooks} if t is not None and t._hooks else None

    @property
    def variable(self) -> Tensor | None:
        return self._ref()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # PyTorch's name for this (C++) node

    def __repr__(self) -> str:
        return "<AccumulateGrad object>"


class GradientEdge(NamedTuple):
    """Mirrors ``torch.autograd.graph.GradientEdge``: where the gradient of a tensor is
    computed (its node and output number); ``autograd.grad`` accepts it for a tensor."""

    node: NodeHooks
    output_nr: int
    ownership_token: NodeHooks | None = None


_task_ids = itertools.count(1)
# (id, {node: deps}, accumulate, plain, [queued callbacks], sole root) of the backward calls
# running, innermost last; ``plain``: a backward() without inputs=; ``sole root``: the node of
# the one root edge (None for several), which PyTorch's graph task starts from
_tasks: list = []


def current_graph_task_id() -> int:
    """The id of the innermost running backward call; -1 outside backward."""
    return _tasks[-1][0] if _tasks else -1


def will_execute(node) -> bool:
    """Whether the innermost running backward call runs ``node`` (or captures at it)."""
    if not _tasks:
        return False
    _, deps, accumulate, _, _, sole = _tasks[-1]
    if node not in deps or node is sole:  # PyTorch's graph of one root edge lacks the root
        return False
    if not accumulate and type(node) is AccumulateGrad:
        raise RuntimeError(
            "A leaf node was passed to _will_engine_execute_node but we are currently running "
            "autograd.grad(). This is currently not supported."
        )
    return True


def queue_callback(callback) -> None:
    """Mirrors ``Variable._execution_engine.queue_callback``: ``callback()`` runs when the
    innermost running backward call has finished."""
    if not _tasks:
        raise RuntimeError("Final callbacks can only be installed during backward pass.")
    _tasks[-1][4].append(callback)


def checkpoint_valid() -> bool:
    """Mirrors ``torch.autograd._is_checkpoint_valid``: False inside autograd.grad or a
    backward given ``inputs=``."""
    return not _tasks or _tasks[-1][3]


class ExecutionEngine:
    """Mirrors ``Variable._execution_engine`` (the parts a program calls)."""

    queue_callback = staticmethod(queue_callback)


def _as_tuple(x) -> tuple:
    if isinstance(x, (Tensor, GradientEdge)):
        return (x,)
    if x is None:
        return ()
    return tuple(x)


def _root_grads(outputs: tuple, grad_outputs, create_graph: bool) -> list:
    """Validates outputs and their gradients; returns [(node, output_nr, grad)]."""
    grads = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    for g in grads[: len(outputs)]:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
    if len(grads) < len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    if len(grads) > len(outputs):  # PyTorch ignores the extra ones: a likely mistake
        raise RuntimeError(
            f"got {len(grads)} gradients for {len(outputs)} outputs; pass one per output"
        )
    roots = []
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if isinstance(t, GradientEdge):
            roots.append(_edge_root(t, g, i, create_graph))
            continue
        if not isinstance(t, Tensor):
            raise TypeError(f"element {i} of outputs is a {type(t).__name__}, not a Tensor")
        node = t.grad_fn
        if node is None and t._requires_grad:
            node = t._accumulator()  # None for a view made under no_grad: no node of its own
        if node is None:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None:
            if t._data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs (this output has "
                    f"shape {tuple(t.shape)}); pass gradient=, e.g. "
                    "y.backward(minitorch.ones_like(y)), or reduce first with y.sum()"
                )
            g = make_tensor(np.ones_like(t._data))
        else:
            if g._data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} "
                    f"and output[{i}] has a shape of {t.shape!r}."
                )
            if g._data.dtype != t._data.dtype:  # PyTorch casts it to the output's dtype
                g = g.to(t.dtype)
            if not create_graph:
                g = make_tensor(g._data)
        roots.append((node, t._output_nr, g))
    return roots


def _edge_root(edge: GradientEdge, g, i: int, create_graph: bool) -> tuple:
    """A root of backward given as a GradientEdge: its gradient must be given (minitorch's
    nodes do not record the shape of a single output)."""
    if not isinstance(g, Tensor):
        raise RuntimeError(
            f"grad_outputs[{i}] is needed for output {i}, a GradientEdge: pass the gradient "
            "of that edge as a Tensor"
        )
    return (edge.node, edge.output_nr, g if create_graph else make_tensor(g._data))


def backward(
    tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None
) -> None:
    """Mirrors ``torch.autograd.backward``."""
    if transforms:
        raise RuntimeError(
            "backward() called inside a functorch transform. This is not supported, please use "
            "functorch.grad or functorch.vjp instead or call backward() outside of functorch "
            "transforms."
        )
    outputs = _as_tuple(tensors)
    if not outputs:
        raise RuntimeError("backward() needs at least one tensor to differentiate")
    roots = _root_grads(outputs, grad_tensors, create_graph)
    targets = None
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        targets = []
        for i, t in enumerate(inputs):
            if isinstance(t, Tensor):  # as PyTorch: a non-leaf input keeps its .grad from
                t.retain_grad()  # now on (and one that does not require grad raises here)
            targets.append(_target(t, i))
    retain = create_graph if retain_graph is None else retain_graph
    run(roots, retain, create_graph, targets)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
) -> tuple:
    """Mirrors ``torch.autograd.grad``: returns d(outputs)/d(inputs) without touching ``.grad``.
    ``inputs`` may hold GradientEdges, or be a dict (the result is then a dict)."""
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    if not only_inputs:
        warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To "
            "accumulate gradient for other parts of the graph, please use "
            "torch.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    outputs = _as_tuple(outputs)
    names = inputs.keys() if type(inputs) is dict else None
    inputs = tuple(inputs.values()) if names is not None else _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    retain = create_graph if retain_graph is None else retain_graph
    if is_grads_batched:
        result = _batched_grad(outputs, inputs, grad_outputs, retain, create_graph, allow_unused)
    else:
        result = _grad(outputs, inputs, grad_outputs, retain, create_graph, allow_unused)
    if materialize_grads:
        if any(g is None and isinstance(t, GradientEdge) for g, t in zip(result, inputs)):
            raise RuntimeError(
                "materialize_grads cannot be used when the given input is a GradientEdge"
            )
        result = tuple(
            make_tensor(np.zeros_like(t._data), create_graph) if g is None else g
            for g, t in zip(result, inputs)
        )
    return dict(zip(names, result)) if names is not None else result


def _grad(outputs, inputs, grad_outputs, retain, create_graph, allow_unused) -> tuple:
    roots = _root_grads(outputs, grad_outputs, create_graph)
    targets = [_target(t, i) for i, t in enumerate(inputs)]
    captured = run(roots, retain, create_graph, targets, accumulate=False)
    if not allow_unused:
        for i, g in enumerate(captured):
            if g is None:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
    return tuple(captured)


def _batched_grad(outputs, inputs, grad_outputs, retain, create_graph, allow_unused):
    """``grad(..., is_grads_batched=True)``: the first dimension of every grad_output indexes
    independent vector-Jacobian products, whose results are stacked (PyTorch vmaps them)."""
    from ..ops.shape import stack  # noqa: PLC0415

    grad_outputs = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    for i, (t, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            _root_grads((t,), None, False)  # PyTorch's errors for a missing gradient
            continue
        first = g[0]  # PyTorch's IndexError for a 0-d grad_output or an empty batch
        if isinstance(t, Tensor) and first.shape != t.shape:
            raise RuntimeError(
                "If `is_grads_batched=True`, we interpret the first dimension of each "
                "grad_output as the batch dimension. The sizes of the remaining dimensions "
                "are expected to match the shape of corresponding output, but a mismatch was "
                # what PyTorch prints: grad_output[0]'s shape without its first dimension
                f"detected: grad_output[{i}] has a shape of {first.shape[1:]!r} and "
                f"output[{i}] has a shape of {t.shape!r}. If you only want some tensors in "
                "`grad_output` to be considered batched, consider using vmap."
            )
    for t, g in zip(outputs, grad_outputs):
        if g is None:
            if isinstance(t, Tensor) and t.dim() == 0:  # PyTorch vmaps the ones it made
                raise ValueError(
                    "vmap(vjp, in_dims=0, ...)(<inputs>): Got in_dim=0 for some input, but "
                    "that input is a Tensor of dimensionality 0 so expected in_dim to satisfy "
                    "0 <= in_dim < 0."
                )
            raise RuntimeError("is_grads_batched=True needs a batched grad_output for every output")
    sizes = [g.shape[0] for g in grad_outputs]
    if any(size != sizes[0] for size in sizes):
        raise ValueError(
            "vmap: Expected all tensors to have the same size in the mapped dimension, got "
            f"sizes {sizes} for the mapped dimension"
        )
    n = sizes[0]
    rows = [
        _grad(
            outputs,
            inputs,
            [g[b] for g in grad_outputs],
            retain or b < n - 1,
            create_graph,
            allow_unused,
        )  # fmt: skip
        for b in range(n)
    ]
    return tuple(None if col[0] is None else stack(list(col)) for col in zip(*rows))


def _target(t: Tensor, i: int):
    if isinstance(t, GradientEdge):
        return (t.node, t.output_nr)
    if not isinstance(t, Tensor):
        raise TypeError(f"inputs[{i}] is a {type(t).__name__}, not a Tensor")
    if not t._requires_grad:
        raise RuntimeError(f"One of the differentiated Tensors does not require grad (inputs[{i}])")
    if t.grad_fn is None:
        return (t._accumulator(), 0)
    return (t.grad_fn, t._output_nr)


def _graph(roots: list, targets, accumulate: bool) -> dict:
    """Dependency counts of the nodes reachable from the roots; with targets, only of the
    nodes through which some target is reached."""
    deps = {}
    stack = []
    for node, _, _ in roots:
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    order = []
    while stack:
        node = stack.pop()
        order.append(node)
        for nxt, _ in node._next:
            if nxt is not None:
                if nxt in deps:
                    deps[nxt] += 1
                else:
                    deps[nxt] = 1
                    stack.append(nxt)
    if targets is None:
        return _check_not_freed(deps, False)
    # keep only nodes from which a target is reachable: children before parents
    wanted = {node for node, _ in targets}
    needed = set()
    for node in _topological(order, deps)[::-1]:
        if node in wanted or any(n in needed for n, _ in node._next):
            needed.add(node)
    deps = {n: 0 for n in needed}
    for node in needed:
        for nxt, _ in node._next:
            if nxt in needed:
                deps[nxt] += 1
    return _check_not_freed(deps, not accumulate)


def _check_not_freed(deps: dict, pruned: bool) -> dict:
    """Raises before anything runs (so no leaf gets half a backward) if a node that will run
    was freed by an earlier backward. In a graph pruned for autograd.grad, a target whose
    history is not needed does not run (backward's targets do)."""
    for node in deps:
        if node._saved is _FREED:
            if not pruned or any(n in deps for n, _ in node._next):
                raise RuntimeError(freed_message(node))
    return deps


def _topological(nodes: list, deps: dict) -> list:
    remaining = dict(deps)
    ready = [n for n in nodes if remaining[n] == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt, _ in node._next:
            if nxt is not None:
                remaining[nxt] -= 1
                if remaining[nxt] == 0:
                    ready.append(nxt)
    return order


def run(roots: list, retain_graph: bool, create_graph: bool, targets=None, accumulate=True):
    """Runs backward from ``roots`` = [(node, output_nr, grad)]. With ``targets`` =
    [(node, output_nr)], returns the gradient that reached each target (and, for
    ``autograd.grad``, accumulates nothing). inf and NaN come without numpy's warnings."""
    with numpy_quiet():
        return _run(roots, retain_graph, create_graph, targets, accumulate)


def _run(roots: list, retain_graph: bool, create_graph: bool, targets, accumulate: bool):
    deps = _graph(roots, targets, accumulate)
    buffers = {}
    for node, nr, g in roots:
        if node in deps:
            _add_to_buffer(buffers, node, nr, g)
    # PyTorch's ready queue: the latest-made node runs first. A heap of (-seq, id, node);
    # ``single`` holds the one ready node while no other is (a chain needs no heap)
    ready = []
    single = None
    leaves = deque()
    for node, _, _ in roots:
        if deps.get(node) == 0:
            if type(node) is AccumulateGrad:
                if node not in leaves:
                    leaves.append(node)
            elif all(node is not n for _, _, n in ready):
                heappush(ready, (-node._seq, id(node), node))
    wanted = {}
    if targets is not None:
        for i, key in enumerate(targets):
            wanted.setdefault(key, []).append(i)
    captured = [None] * (len(targets) if targets is not None else 0)
    owned = set(id(g._data) for _, _, g in roots)
    prev_mode = state.enabled
    state.enabled = create_graph and not state.inference  # inference_mode records nothing
    callbacks = []
    sole = roots[0][0] if len(roots) == 1 else None
    _tasks.append(
        (next(_task_ids), deps, accumulate, accumulate and targets is None, callbacks, sole)
    )
    try:
        while single is not None or ready or leaves:
            # as PyTorch's ready queue: AccumulateGrad nodes first, in the order of the
            # edges that made them ready; other nodes latest-made first
            if leaves:
                node = leaves.popleft()
            elif single is not None:
                node, single = single, None
            else:
                node = heappop(ready)[2]
            grads = buffers.pop(node, None)
            edges = node._next
            out = None
            if grads is None:  # PyTorch runs it all the same: hooks see None, a user
                grads = _no_gradients(node)  # Function's backward zeros (or None)
            if grads is not None:
                if type(node) is AccumulateGrad and node._grad_dtype and grads[0] is not None:
                    grads[0] = grads[0].to(node._grad_dtype)  # as PyTorch casts at the edge
                if node._pre_hooks or node._retained or wanted:
                    _observe(node, grads, create_graph, wanted, captured)
                hooks = node._node_hooks
                if type(node) is AccumulateGrad:
                    if accumulate and (targets is None or (node, 0) in wanted):
                        t = node._ref()
                        if t is not None:  # with no gradient, PyTorch runs the hooks too
                            prof = observers.profiler
                            if prof is not None:
                                event = prof._backward_begin(node)
                            if hooks is not None:
                                grads = _run_prehooks(hooks[0], grads)
                            if grads[0] is not None:
                                if t.grad_fn is not None:  # (detach_()ed, then changed)
                                    raise RuntimeError(
                                        "leaf variable has been moved into the graph interior"
                                    )
                                if t._requires_grad:  # (a leaf detach_()ed since gets none)
                                    _accumulate(t, grads[0], create_graph, owned)
                            if node._post_hooks:
                                _run_post_accumulate_hooks(node, t)
                            if hooks is not None:
                                _run_hooks(hooks[1], (), grads)
                            if prof is not None:
                                prof._end(event)
                    else:
                        _profile_captured(node)
                    continue
                if not accumulate and not any(n in deps for n, _ in edges):
                    _profile_captured(node)
                    continue  # grad's input whose history nobody needs: it does not run
                if hooks is not None:
                    grads = _run_prehooks(hooks[0], grads)
                if node._saved is _FREED:
                    raise RuntimeError(freed_message(node))
                if grads[0] is None and node._raw and all(g is None for g in grads):
                    out = (None,) * len(edges)  # PyTorch's built-in backward: none for none
                elif node._out_meta is None and node._in_shapes is None and not observers.active:
                    out = type(node).backward(node, *grads)
                    if type(out) is not tuple or len(out) != len(edges):
                        out = _check_count(node, out)
                else:
                    out = _call_backward(node, grads)
                if hooks is not None and hooks[1]:
                    out = _run_node_hooks(node, hooks[1], out, grads, deps)
                if not retain_graph and node._saved is not None:
                    node._saved = _FREED
            for i, (nxt, nr) in enumerate(edges):
                d = deps.get(nxt)
                if d is None:  # no node there, or one that leads to no target
                    continue
                if out is not None:
                    g = out[i]
                    if g is not None:
                        buf = buffers.get(nxt)
                        if buf is None:
                            meta = nxt._out_meta
                            buf = buffers[nxt] = [None] * (len(meta) if meta else 1)
                            buf[nr] = g
                        elif buf[nr] is None:
                            buf[nr] = g
                        else:
                            buf[nr] = buf[nr] + g
                deps[nxt] = d - 1
                if d == 1:
                    if type(nxt) is AccumulateGrad:
                        leaves.append(nxt)
                    elif single is None and not ready:
                        single = nxt
                    else:
                        if single is not None:
                            heappush(ready, (-single._seq, id(single), single))
                            single = None
                        heappush(ready, (-nxt._seq, id(nxt), nxt))
            if len(leaves) > 1:  # all made ready by this node (leaves run first)
                _in_torch_order(node, leaves)
        while callbacks:  # queued during this backward (a callback may queue more)
            callbacks.pop(0)()
    finally:
        state.enabled = prev_mode
        _tasks.pop()
    return captured


def _profile_captured(node) -> None:
    """A node reached only for autograd.grad's capture of its input: under the profiler,
    PyTorch's evaluate_function range of it, with nothing inside."""
    prof = observers.profiler
    if prof is not None:
        prof._end(prof._backward_begin(node, runs=False))


def _no_gradients(node) -> list:
    """The gradients of a node that got none (another node's backward gave None)."""
    meta = node._out_meta
    return [None] * (len(meta) if meta else 1)


def _in_torch_order(node, leaves: deque) -> None:
    """Leaves made ready by one node run in the order of PyTorch's edges of that node (its
    next_functions), which may list the inputs in another order than minitorch's (Linear's
    bias first)."""
    rank = {n: i for i, (n, _) in enumerate(node.next_functions)}
    ordered = sorted(leaves, key=lambda n: rank.get(n, len(rank)))
    leaves.clear()
    leaves.extend(ordered)


def _add_to_buffer(buffers: dict, node, nr: int, g: Tensor) -> None:
    buf = buffers.get(node)
    if buf is None:
        meta = node._out_meta
        buf = buffers[node] = [None] * (len(meta) if meta else 1)
    buf[nr] = g if buf[nr] is None else buf[nr] + g


def _observe(node, grads: list, create_graph: bool, wanted: dict, captured: list) -> None:
    """Tensor hooks, retain_grad and the capture of autograd.grad's inputs at one node."""
    if node._pre_hooks:
        _run_pre_hooks(node, grads)
    if node._retained:
        _retain(node, grads, create_graph)
    for nr, g in enumerate(grads):
        for i in wanted.get((node, nr), ()):
            captured[i] = g


def _call_backward(node, grads: list) -> tuple:
    """Backward of a node with several outputs, of a user Function, or under the profiler."""
    meta = node._out_meta
    if meta and node.materialize_grads:
        for i, g in enumerate(grads):
            if g is None and meta[i] is not None:
                shape, dtype = meta[i]
                like = next((x._data for x in grads if x is not None), None)
                grads[i] = make_tensor(  # on the device of the other gradients
                    np.zeros(shape, dtype)
                    if like is None
                    else np.zeros_like(like, dtype, shape=shape)
                )
    if observers.active:
        out = observers.run_backward(node, grads)
    else:
        out = type(node).backward(node, *grads)
    out = _check_count(node, out)
    if node._in_shapes is not None:
        out = _check_user_grads(node, out)
    return out


def call_node(node, grads: tuple):
    """``node(*grad_outputs)`` (PyTorch's ``Node.__call__`` of a built-in op's node): its
    backward, differentiable where grad mode is on, giving the gradients of the inputs
    PyTorch's node has (``next_functions``' order; one input: the tensor itself)."""
    n = len(node._out_meta) if node._out_meta else 1
    if len(grads) != n:
        raise TypeError(f"expected {n} arguments, got {len(grads)} instead")
    for i, g in enumerate(grads):
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"argument {i} is not a Variable")
    out = _call_backward(node, list(grads))
    slots = node._torch_edges(tuple(e if e is _NOT_INPUT else i for i, e in enumerate(node._next)))
    result = tuple(out[i] if type(i) is int else None for i in slots)
    return result[0] if len(result) == 1 else result


def _check_count(node, out) -> tuple:
    """Backward's result as a tuple of one gradient per input (extra Nones are dropped)."""
    if type(out) is not tuple:  # a user Function's list is one (wrong) gradient in PyTorch
        out = tuple(out) if isinstance(out, list) and node._raw else (out,)
    n = len(node._next)
    if len(out) != n:
        if len(out) > n and all(g is None for g in out[n:]):
            return out[:n]
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {n}, got {len(out)})"
        )
    return out


def _tp_name(kind: type) -> str:
    """A type's C-level name, as PyTorch's messages show it (``float``, ``numpy.ndarray``,
    a Python class's bare name)."""
    if kind.__module__ == "builtins" or kind.__flags__ & (1 << 9):  # Py_TPFLAGS_HEAPTYPE
        return kind.__name__
    return f"{kind.__module__}.{kind.__name__}"


def _check_user_grads(node, out: tuple) -> tuple:
    """User Functions: gradients must match their inputs' shapes (sum-to where they
    broadcast, as PyTorch does)."""
    from ..ops.elementwise import unbroadcast  # noqa: PLC0415

    for i, (g, shape) in enumerate(zip(out, node._in_shapes)):
        if g is not None and shape is None:
            raise RuntimeError(
                f"function {node.name()} returned a gradient different than None at position "
                f"{i + 1}, but the corresponding forward input was not a Variable"
            )
        if g is not None and not isinstance(g, Tensor):  # PyTorch's type: code may catch it
            raise RuntimeError(f"expected Variable or None (got {_tp_name(type(g))})")
    checked = []
    for i, (g, shape) in enumerate(zip(out, node._in_shapes)):
        if g is not None and node.needs_input_grad[i]:
            if g._data.shape != shape:
                try:
                    np.broadcast_shapes(shape, g._data.shape)
                    ok = len(g._data.shape) >= len(shape)
                except ValueError:
                    ok = False
                if not ok:
                    raise RuntimeError(
                        f"Function {node.name()} returned an invalid gradient at index {i} - "
                        f"got {list(g.shape)} but expected shape compatible with {list(shape)}"
                    )
                g = unbroadcast(g, shape)
            want = node._in_dtypes[i]  # PyTorch casts it to the input's dtype
            nxt = node._next[i][0]
            if type(nxt) is AccumulateGrad and nxt._grad_dtype is not False:  # a leaf's rule
                want = None if nxt._grad_dtype is None else nxt._grad_dtype.np
            if want is not None and g._data.dtype != want:
                g = g.to(from_numpy_dtype(want))
        elif not node.needs_input_grad[i]:
            g = None
        checked.append(g)
    return tuple(checked)


def _run_pre_hooks(node, grads: list) -> None:
    for nr, hooks in node._pre_hooks.items():
        g = grads[nr]
        for hook in list(hooks.values()):
            r = hook(g)
            if r is not None:
                if g is None:
                    raise RuntimeError("can't replace a None gradient with a non-None value")
                if not isinstance(r, Tensor):
                    raise TypeError(
                        f"expected Variable, but hook returned '{type(r).__name__}': a tensor "
                        "hook returns a Tensor (the new gradient) or None"
                    )
                if r.shape != g.shape:
                    raise RuntimeError(
                        f"hook '{getattr(hook, '__name__', hook)}' has changed the size of "
                        f"value (from {list(g.shape)} to {list(r.shape)})"
                    )
                if r.dtype != g.dtype:
                    raise RuntimeError(
                        f"hook '{getattr(hook, '__name__', hook)}' has changed the type of "
                        f"value (was {g.type()} got {r.type()}); return a gradient of the "
                        "tensor's own dtype"
                    )
                g = r
        grads[nr] = g


def _run_prehooks(prehooks: dict, grads: list) -> list:
    """Node pre-hooks: each may return new grad_outputs."""
    for hook in list(prehooks.values()):
        r = hook(tuple(grads))
        if r is not None:
            _check_tuple(r)
            if len(r) != len(grads):
                raise RuntimeError(
                    f"hook '{getattr(hook, '__name__', hook)}' has returned an incorrect number "
                    f"of values (got {len(r)}, but expected {len(grads)})"
                )
            grads = list(r)
    return grads


def _run_node_hooks(node, hooks: dict, out: tuple, grads: list, deps: dict) -> tuple:
    """Node hooks see the gradients of the inputs PyTorch's node has (``next_functions``'
    order, no slot for a number or a dim; for a built-in op, None where this backward needs
    none); what they return goes back to those slots."""
    marked = tuple(e if e is _NOT_INPUT else i for i, e in enumerate(node._next))
    slots = node._torch_edges(marked)
    raw = node._raw and not node.tensor_list
    seen = tuple(
        out[i] if type(i) is int and (not raw or node._next[i][0] in deps) else None for i in slots
    )
    changed = _run_hooks(hooks, seen, grads)
    if changed is seen:
        return out
    out = list(out)
    for i, g in zip(slots, changed):
        if type(i) is int:
            out[i] = g
    return tuple(out)


def _run_hooks(hooks: dict, grad_inputs: tuple, grads: list) -> tuple:
    """Node hooks, after the node's backward: each may return new grad_inputs."""
    for hook in list(hooks.values()):
        r = hook(tuple(grad_inputs), tuple(grads))
        if r is not None:
            _check_tuple(r)
            if len(r) != len(grad_inputs):
                raise RuntimeError(
                    f"hook '{getattr(hook, '__name__', hook)}' has returned an incorrect number "
                    f"of values (got {len(r)}, but expected {len(grad_inputs)})"
                )
            grad_inputs = tuple(r)
    return grad_inputs


def _check_tuple(r) -> None:
    """A node hook gives back a tuple of gradients (or None), as PyTorch requires."""
    if type(r) is not tuple:
        raise TypeError(f"expected tuple, but hook returned '{type(r).__name__}'")


def _run_post_accumulate_hooks(node: AccumulateGrad, t: Tensor) -> None:
    for hook in list(node._post_hooks.values()):
        r = hook(t)
        if r is None or r is t:  # PyTorch accepts the tensor itself (``p.add_(...)`` returns p)
            continue
        if isinstance(r, Tensor):
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")
        raise TypeError(
            f"expected Variable, but hook returned '{type(r).__name__}': post accumulate grad "
            "hooks should return None"
        )


def _retain(node, grads: list, create_graph: bool) -> None:
    for nr, ref in node._retained.items():
        t = ref()
        g = grads[nr]
        if t is None or g is None:
            continue
        if t._grad is None:
            t._grad = g if create_graph else make_tensor(g._data.copy())
        else:
            t._grad = t._grad + g


def _accumulate(t: Tensor, g: Tensor, create_graph: bool, owned: set) -> None:
    """Adds ``g`` into ``t.grad`` (in place when that is safe) in the dtype of the ``.grad``
    there is, else of ``t.grad_dtype``."""
    old = t._grad
    want = t._grad_np_dtype() if old is None else old._data.dtype
    if want is not None and g._data.dtype != want:
        g = g.to(from_numpy_dtype(want))
    if old is None:
        if create_graph:
            t._grad = g
        else:
            data = g._data
            like = t._data
            if data.strides != like.strides and not _same_layout(data, like):
                data = _in_layout_of(data, like)
            else:
                writeable = getattr(data.flags, "writeable", True)  # cupy has no such flag
                if data.base is not None or not writeable or id(data) in owned:
                    data = data.copy(order="K")
            owned.add(id(data))
            t._grad = make_tensor(data)
    elif create_graph or g._requires_grad:
        t._grad = old + g
    else:
        data = old._data
        # a .grad made by create_graph=True is added to in place, as PyTorch does with grad
        # mode off: it stays the same tensor and keeps its history
        if not old._requires_grad and sys.getrefcount(data) > 3:  # anyone else holds it?
            # the memory is shared (a hook kept the first gradient, a Function returned a
            # tensor it holds): as PyTorch does, do not change it under its holder
            t._grad = make_tensor(data + g._data)
            return
        np.add(data, g._data, out=data)
        if old._vc:
            old._vc[0] += 1
        else:  # PyTorch counts this in-place add even if nobody looked at the version yet
            old._vc = [1]


def _same_layout(a, b) -> bool:
    """Equal strides where the size is not 1 (a size-1 dim's stride does not matter)."""
    return all(n == 1 or x == y for n, x, y in zip(a.shape, a.strides, b.strides))


def _in_layout_of(data, param):
    """A new gradient laid out as PyTorch's gradient layout contract says: the strides of a
    dense parameter (transposed, channels_last), else contiguous."""
    if non_overlapping_and_dense(param):
        out = np.empty_like(param, data.dtype, order="K")
        out[...] = data
        return out
    return data.copy(order="C")
