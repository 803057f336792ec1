"""Gradients of a fused op when a graph of its backward is asked for (``create_graph``): the
op's formula written again with Tensor ops (its "reference"), differentiated by the engine."""

from __future__ import annotations

from .._tensor import Tensor
from ..autograd.engine import grad


def reference_grads(reference, inputs: tuple, needs: tuple, grad_output: Tensor) -> tuple:
    """The gradients of ``reference(*inputs)`` against ``grad_output`` for the inputs that
    ``needs`` marks (None for the others), differentiable in turn. Each input enters through
    a view of its own, so a tensor passed in two places (attention of ``q, k, q``) gets the
    gradient of each place, not their total twice."""
    places = tuple(t.view_as(t) if n else t for t, n in zip(inputs, needs))
    wanted = [p for p, n in zip(places, needs) if n]
    grads = iter(grad(reference(*places), wanted, grad_output, create_graph=True))
    return tuple(next(grads) if n else None for n in needs)
