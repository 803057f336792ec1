"""``stack_module_state`` of ``torch.func``: the parameters and buffers of several models of
one class stacked along a new first dimension, for ``vmap`` over ``functional_call`` (model
ensembling)."""

from __future__ import annotations

from .._tensor import Tensor
from ..ops.shape import stack


def _stacked_leaf(tensors: tuple, name: str) -> Tensor:
    grads = {t.requires_grad for t in tensors}
    if len(grads) > 1:
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    result = stack(tensors)
    return result.detach().requires_grad_() if grads == {True} else result


def stack_module_state(models) -> tuple[dict, dict]:
    """Mirrors ``torch.func.stack_module_state``: ({name: stacked parameter}, {name:
    stacked buffer}); stacked parameters are new leaves that require grad."""
    models = list(models)
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if len({m.training for m in models}) > 1:
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode."
        )
    if len({type(m) for m in models}) > 1:
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    states = []
    for named in ("named_parameters", "named_buffers"):
        per_model = [dict(getattr(m, named)()) for m in models]
        states.append({k: _stacked_leaf(tuple(d[k] for d in per_model), k) for k in per_model[0]})
    return states[0], states[1]
