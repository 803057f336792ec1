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

from collections.abc import Callable
from contextlib import contextmanager, nullcontext

from .. import random as _random
from .._tensor import Tensor
from ..ops.shape import stack
from ..utils._rng import RngSnapshot
from ._pytree import flatten, unflatten
from ._running import running

_RANDOMNESS = ("error", "different", "same")


class _NoRandomness:
    """Stands in for the generators' streams under randomness='error': any draw raises."""

    def __getattr__(self, name: str):
        raise RuntimeError(
            "vmap: called random operation while in randomness error mode. Please either use "
            "the 'same' or 'different' randomness flags on vmap or perform the randomness "
            "operation out of vmap"
        )


@contextmanager
def _randomness(mode: str):
    """Runs the loop over the batch under ``mode``: yields the context each element runs in."""
    if mode == "different":
        yield nullcontext
        return
    if mode == "same":
        snapshot = RngSnapshot()
        yield snapshot.replay
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
    if dims is None or isinstance(dims, int):
        return [dims] * len(flatten(tree)[0])
    containers = (tuple, list, dict)
    if (
        isinstance(dims, containers)
        and isinstance(tree, containers)
        and isinstance(dims, dict) == isinstance(tree, dict)
        and len(dims) == len(tree)
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
    docstring); ``chunk_size`` is accepted and changes nothing."""
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")
    if randomness not in _RANDOMNESS:
        raise RuntimeError(
            "Only allowed values for randomness are 'error', 'different', or 'same'. "
            f"Got {randomness}"
        )
    name = getattr(func, "__name__", repr(func))

    def wrapped(*args, **kwargs):
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
        outputs = []
        with _randomness(randomness) as each, running("vmap"):
            for b in range(sizes[0]):
                sample = [x if d is None else x.select(d, b) for x, d in zip(leaves, dims)]
                with each():
                    outputs.append(func(*unflatten(spec, sample), **kwargs))
            if not outputs:  # an empty batch: func sees zeros, for its outputs' shapes
                sample = [x if d is None else _zero_sample(x, d) for x, d in zip(leaves, dims)]
                with each():
                    return _stack_outputs(
                        [func(*unflatten(spec, sample), **kwargs)], out_dims, name, 0
                    )
        return _stack_outputs(outputs, out_dims, name)

    return wrapped


def _zero_sample(x: Tensor, d: int) -> Tensor:
    """An element of zeros for an empty ``x`` (the sum over its empty mapped dimension, which
    keeps ``x``'s graph)."""
    return x.sum(d, dtype=x.dtype)


def _stack_outputs(outputs: list, out_dims, name: str, size: int | None = None):
    """The outputs of the elements stacked along ``out_dims``; ``size`` 0: the batch was empty
    and ``outputs`` holds one output computed from zeros, for the shapes."""
    first, spec = flatten(outputs[0])
    where = f"vmap({name}, ..., out_dims={out_dims})(<inputs>)"
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
        out = stack([c[k] for c in columns], dim=d)
        stacked.append(out if size is None else out.narrow(d, 0, size))
    return unflatten(spec, stacked)


def _same(a, b) -> bool:
    """Whether two elements' outputs agree (with out_dims None, an output that differs
    between elements depends on the mapped inputs, which PyTorch refuses)."""
    if a is b or not isinstance(a, Tensor):
        return True
    return a.shape == b.shape and bool((a == b).all())
