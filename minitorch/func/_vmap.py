"""``vmap`` of ``torch.func``, honestly: ``func`` runs once per batch element (on views
selected along the mapped dimensions) and the outputs are stacked. That gives PyTorch's
results, composes with the other transforms (``vmap(grad(f))``, nested ``vmap``) and with
autograd, and costs a Python loop over the batch: no batching rules, no speed-up over
writing the loop yourself.

``randomness``: 'error' raises (as PyTorch) when ``func`` draws random numbers from a default
generator; 'different' lets each element draw its own; 'same' replays the generators' streams
for each element, so all draw the same numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager, nullcontext

from .. import random as _random
from .._tensor import Tensor
from ..autograd.function import Function, transforms
from ..ops.shape import cat, stack
from ..utils._rng import RngSnapshot
from ._pytree import flatten, tree_map, unflatten
from ._running import running

_RANDOMNESS = ("error", "different", "same")
_modes: list = []  # the randomness of each vmap level running per element, innermost last


class _NoRandomness:
    """Stands in for the generators' streams under randomness='error': any draw raises."""

    def __getattr__(self, name: str):
        raise RuntimeError(
            "vmap: called random operation while in randomness error mode. Please either use "
            "the 'same' or 'different' randomness flags on vmap or perform the randomness "
            "operation out of vmap"
        )


def check_randomness(mode: str) -> None:
    """PyTorch's error for a ``randomness`` that is not one of vmap's modes."""
    if mode not in _RANDOMNESS:
        raise RuntimeError(
            f"Only allowed values for randomness are 'error', 'different', or 'same'. Got {mode}"
        )


@contextmanager
def randomness_of(mode: str):
    """Runs the loop over the batch under ``mode``: yields the context each element runs in."""
    if mode == "different":
        yield nullcontext
        return
    if mode == "same":
        # the first element draws and moves the generators on; the others replay its draws
        snapshot, ran = RngSnapshot(), []

        def each():
            ran.append(True)
            return snapshot.replay(first=len(ran) == 1)

        yield each
        return
    gens = list(_random._generators.values())
    streams = [g.rng for g in gens]
    try:
        for g in gens:
            g.rng = _NoRandomness()
        yield nullcontext
    finally:
        for g, rng in zip(gens, streams):
            g.rng = rng


def _dims_per_leaf(dims, tree, what: str, where: str) -> list:
    """``dims`` (an int/None, or a tuple/list/dict shaped like ``tree``'s top levels) spread
    to one entry per leaf of ``tree``."""
    containers = (tuple, list, dict)
    if not isinstance(dims, containers):  # a leaf (checked by the caller) for every leaf
        return [dims] * len(flatten(tree)[0])
    if (
        isinstance(dims, containers)
        and isinstance(tree, containers)
        and isinstance(dims, dict) == isinstance(tree, dict)
        and isinstance(dims, list) == isinstance(tree, list)
        and len(dims) == len(tree)
        and (not isinstance(tree, dict) or set(dims) == set(tree))
    ):
        pairs = [(dims[k], tree[k]) for k in tree] if isinstance(tree, dict) else zip(dims, tree)
        return [d for sub_dims, sub in pairs for d in _dims_per_leaf(sub_dims, sub, what, where)]
    structure = "outputs" if what == "out_dims" else "inputs"
    raise ValueError(
        f"{where}: {what} is not compatible with the structure of `{structure}`. {what} has "
        f"structure {flatten(dims)[1]} but {structure} has structure {flatten(tree)[1]}."
    )


def vmap(
    func: Callable, in_dims=0, out_dims=0, randomness: str = "error", *, chunk_size=None
) -> Callable:
    """Mirrors ``torch.func.vmap``: ``func`` mapped over dimension ``in_dims`` of its
    arguments (an int, or a tuple with one entry per argument: an int, None for an
    argument passed whole, or a nested structure matching the argument), its outputs
    stacked along ``out_dims``. Runs ``func`` once per batch element (see the module
    docstring); ``chunk_size`` only splits the batch a vmap rule gets."""
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")
    check_randomness(randomness)
    name = getattr(func, "__name__", repr(func))

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        if any(d is not None and not isinstance(d, int) for d in flatten(out_dims)[0]):
            raise ValueError(
                f"vmap({name}, ..., out_dims={out_dims}): `out_dims` must be an int, None or a "
                "python collection of ints representing where in the outputs the vmapped "
                "dimension should appear."
            )
        where = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>)"
        if not isinstance(in_dims, (int, tuple)):
            raise ValueError(
                f"{where}: expected `in_dims` to be int or a (potentially nested) tuple "
                f"matching the structure of inputs, got: {type(in_dims)}."
            )
        if not args:
            raise ValueError(
                f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you "
                "are trying to vmap over a function with no inputs. The latter is unsupported."
            )
        leaves, spec = flatten(args)
        dims = _dims_per_leaf(in_dims, args, "in_dims", where)
        sizes = []
        for leaf, d in zip(leaves, dims):
            if d is None:
                continue
            if not isinstance(d, int):
                raise ValueError(
                    f"{where}: Got in_dim={d} for an input but in_dim must be either an integer "
                    "dimension or None."
                )
            if not isinstance(leaf, Tensor):
                raise ValueError(
                    f"{where}: Got in_dim={d} for an input but the input is of type "
                    f"{type(leaf)}. We cannot vmap over non-Tensor arguments, please use None "
                    "as the respective in_dim"
                )
            n = leaf.dim()
            if not -n <= d < n:
                raise ValueError(
                    f"{where}: Got in_dim={d} for some input, but that input is a Tensor of "
                    f"dimensionality {n} so expected in_dim to satisfy -{n} <= in_dim < {n}."
                )
            sizes.append(leaf.shape[d])
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) > 1:
            raise ValueError(
                "vmap: Expected all tensors to have the same size in the mapped dimension, got "
                f"sizes {sizes} for the mapped dimension"
            )
        rule = _rule_of(func, kwargs)
        if rule is not None:
            return _run_rule(
                rule, args, kwargs, in_dims, sizes[0], randomness, out_dims, name, chunk_size
            )
        outputs, samples = [], []
        _modes.append(randomness)
        with _popping(_modes), randomness_of(randomness) as each, running("vmap"):
            for b in range(sizes[0]):
                sample = [x if d is None else x.select(d, b) for x, d in zip(leaves, dims)]
                samples.append(sample)
                with each():
                    outputs.append(func(*unflatten(spec, sample), **kwargs))
            if not outputs:  # an empty batch: func sees zeros, for its outputs' shapes
                sample = [x if d is None else _zero_sample(x, d) for x, d in zip(leaves, dims)]
                with each():
                    return _stack_outputs(
                        [func(*unflatten(spec, sample), **kwargs)], out_dims, name, 0
                    )
        return _stack_outputs(outputs, out_dims, name, inputs=(samples, leaves, dims))

    return wrapped


class VmapInfo:
    """Mirrors ``torch.autograd.function.VmapInfo``: what a vmap rule learns of its level."""

    def __init__(self, batch_size: int, randomness: str) -> None:
        self.batch_size, self.randomness = batch_size, randomness

    def __repr__(self) -> str:
        return f"VmapInfo(batch_size={self.batch_size}, randomness='{self.randomness}')"


def _rule_of(func, kwargs: dict):
    """The vmap rule PyTorch calls once for the whole batch when ``func`` is a custom op with
    a registered rule or ``Function.apply`` of a Function overriding ``vmap`` (None
    otherwise: ``func`` runs per element, which raises PyTorch's errors where it must)."""
    from ..library import CustomOpDef  # noqa: PLC0415

    if isinstance(func, CustomOpDef) and func._vmap is not None:
        bind = func._signature.bind
        return func._vmap, func, lambda args, kw: bind(*args, **kw)
    owner = getattr(func, "__self__", None)
    if (
        isinstance(owner, type)
        and issubclass(owner, Function)
        and getattr(func, "__func__", None) is Function.apply.__func__
        and owner.setup_context is not None
        and not owner.generate_vmap_rule
        and owner.vmap is not Function.vmap
        and not any(isinstance(v, Tensor) for v in kwargs.values())
    ):
        return owner.vmap, func, None
    return None


def _run_rule(rule, args, kwargs, in_dims, size, randomness, out_dims, name, chunk_size):
    """``rule(info, in_dims, *args, **kwargs)`` once for the batch, or once per chunk of
    ``chunk_size`` (PyTorch's in_dims: one per positional argument, made non-negative, nested
    like it), its ``(output, out_dims)`` laid out along vmap's ``out_dims``."""
    fn, op, bind = rule
    if bind is not None:  # a custom op's rule gets its arguments bound, defaults filled in
        bound = bind(args, kwargs)
        bound.apply_defaults()
        keyword_only = set(op._keyword_only)
        args = tuple(v for k, v in bound.arguments.items() if k not in keyword_only)
        kwargs = {k: bound.arguments[k] for k in op._keyword_only}
    where = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>)"
    dims = []
    for arg, d in zip(args, _per_argument(in_dims, args)):
        leaves, spec = flatten(arg)
        per_leaf = _dims_per_leaf(d, arg, "in_dims", where)
        fixed = [None if k is None else k % x.dim() for x, k in zip(leaves, per_leaf)]
        dims.append(unflatten(spec, fixed))
    dims = tuple(dims)
    step = size if chunk_size is None else chunk_size
    pieces = []
    for start in range(0, size, step):
        n = min(step, size - start)
        part = args if n == size else tuple(map(_narrow(start, n), args, dims))
        output, have = _call_rule(fn, VmapInfo(n, randomness), dims, part, kwargs)
        pieces.append(_lay_out(output, have, out_dims, n, name))
    if len(pieces) == 1:
        return pieces[0]
    columns, spec = zip(*[flatten(p)[0] for p in pieces]), flatten(pieces[0])[1]
    want = _dims_per_leaf(out_dims, pieces[0], "out_dims", name)
    return unflatten(spec, [c[0] if w is None else cat(c, w) for c, w in zip(columns, want)])


def _narrow(start: int, n: int) -> Callable:
    """Cuts an argument (a pytree) to the chunk ``start:start + n`` along its in_dims."""

    def narrow(arg, dims):
        leaves, spec = flatten(arg)
        cut = [x if d is None else x.narrow(d, start, n) for x, d in zip(leaves, flatten(dims)[0])]
        return unflatten(spec, cut)

    return narrow


def _call_rule(fn: Callable, info: VmapInfo, dims: tuple, args: tuple, kwargs: dict):
    """``fn``'s (output, out_dims per output leaf), with PyTorch's errors for a rule that
    returns something else."""
    result = fn(info, dims, *args, **kwargs)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise RuntimeError(
            "Expected the vmap staticmethod to have two returns, an output and out_dims with "
            f"pytree structure compatible with the output. Got a {type(result)} instead"
        )
    output, rule_dims = result
    try:
        return output, _dims_per_leaf(rule_dims, output, "out_dims", "")
    except ValueError:
        raise RuntimeError(
            "The autograd.Function's vmap staticmethod returned an incompatible (output, "
            f"out_dims) tuple. Expected out_dims={rule_dims} to be compatible with the "
            f"structure of `output`. out_dims has structure {flatten(rule_dims)[1]} but "
            f"output has structure {flatten(output)[1]}."
        ) from None


def _lay_out(output, have: list, out_dims, size: int, name: str):
    """A rule's ``output`` (batched along ``have``) laid out along vmap's ``out_dims``."""
    leaves, spec = flatten(output)
    where = f"vmap({name}, ..., out_dims={out_dims})(<inputs>)"
    want = _dims_per_leaf(out_dims, output, "out_dims", where)
    laid = []
    for x, h, w in zip(leaves, have, want):
        if h is None and w is not None and isinstance(x, Tensor):
            x = x.unsqueeze(w).expand(*x.shape[:w], size, *x.shape[w:])
        elif h is not None and w is None:
            raise ValueError(
                f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is None"
            )
        elif h is not None and h % x.dim() != w % x.dim():
            x = x.movedim(h, w)
        laid.append(x)
    return unflatten(spec, laid)


def vmap_rule_per_element(rule: Callable, name: str, args: tuple, kwargs: dict):
    """The vmap ``rule`` of a custom op or Function met while vmap runs ``func`` per element:
    it runs on this element as a batch of one (every tensor argument batched along dimension
    0), outside the vmap level, so the rule's code (and its errors) runs as under PyTorch."""
    with below_vmap():
        batched = [tree_map(_batch_of_one, a) for a in args]
        dims = tuple(tree_map(lambda x: 0 if isinstance(x, Tensor) else None, a) for a in args)
        info = VmapInfo(1, _modes[-1] if _modes else "error")
        output, have = _call_rule(rule, info, dims, batched, kwargs)
    leaves, spec = flatten(output)
    return unflatten(spec, [x if d is None else x.select(d, 0) for x, d in zip(leaves, have)])


@contextmanager
def below_vmap():
    """Runs the block outside the innermost vmap level (as a rule, or PyTorch's per-element
    fallback for a custom op without one, runs)."""
    level = len(transforms) - 1 - transforms[::-1].index("vmap")
    del transforms[level]
    try:
        yield
    finally:
        transforms.insert(level, "vmap")


@contextmanager
def _popping(stack: list):
    """Pops ``stack``'s last entry when the block ends."""
    try:
        yield
    finally:
        stack.pop()


def _batch_of_one(x):
    return x.unsqueeze(0) if isinstance(x, Tensor) else x


def _per_argument(in_dims, args: tuple) -> tuple:
    return (in_dims,) * len(args) if in_dims is None or isinstance(in_dims, int) else in_dims


def _zero_sample(x: Tensor, d: int) -> Tensor:
    """An element of zeros for an empty ``x`` (the sum over its empty mapped dimension, which
    keeps ``x``'s graph)."""
    return x.sum(d, dtype=x.dtype)


def _stack_outputs(
    outputs: list, out_dims, name: str, size: int | None = None, inputs: tuple | None = None
):
    """The outputs of the elements stacked along ``out_dims``; ``size`` 0: the batch was empty
    and ``outputs`` holds one output computed from zeros, for the shapes. ``inputs``: (each
    element's input leaves, the input leaves, their in_dims): an output that is an input's
    element itself (``func`` returned it, or an in-place op's result) is that input, its
    mapped dimension moved to ``out_dims``, as PyTorch's."""
    first, spec = flatten(outputs[0])
    where = f"vmap({name}, ..., out_dims={out_dims})(<inputs>)"
    if isinstance(outputs[0], Tensor) and isinstance(out_dims, tuple) and len(out_dims) == 1:
        out_dims = out_dims[0]  # one output: out_dims=(1,) is out_dims=1, as PyTorch's
    dims = _dims_per_leaf(out_dims, outputs[0], "out_dims", where)
    columns = [flatten(o)[0] for o in outputs]
    stacked = []
    for k, d in enumerate(dims):
        if d is None:
            if any(not _same(c[k], first[k]) for c in columns):
                raise ValueError(
                    f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim "
                    "is None"
                )
            stacked.append(first[k])
            continue
        if not isinstance(first[k], Tensor):
            raise ValueError(
                f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                f"{type(first[k])}. Did you mean to set out_dims= to None for output?"
            )
        passed = _passed_through([c[k] for c in columns], inputs)
        if passed is not None and -passed[0].dim() <= d < passed[0].dim():
            leaf, in_dim = passed
            stacked.append(leaf if in_dim == d % leaf.dim() else leaf.movedim(in_dim, d))
            continue
        out = stack([c[k] for c in columns], dim=d)
        stacked.append(out if size is None else out.narrow(d, 0, size))
    return unflatten(spec, stacked)


def _passed_through(column: list, inputs: tuple | None):
    """(input leaf, its in_dim) when ``column`` (one output over the elements) is that
    input's elements themselves, else None."""
    if inputs is None:
        return None
    samples, leaves, dims = inputs
    for j, d in enumerate(dims):
        if d is not None and all(c is s[j] for c, s in zip(column, samples)):
            return leaves[j], d
    return None


def _same(a, b) -> bool:
    """Whether two elements' outputs agree (with out_dims None, an output that differs
    between elements depends on the mapped inputs, which PyTorch refuses)."""
    if a is b or not isinstance(a, Tensor):
        return True
    return a.shape == b.shape and bool((a == b).all())
