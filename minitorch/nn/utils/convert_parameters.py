"""parameters_to_vector / vector_to_parameters (mirror ``torch.nn.utils``'s)."""

from __future__ import annotations

from collections.abc import Iterable

from ..._tensor import Tensor
from ...ops.shape import cat


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Mirrors ``torch.nn.utils.parameters_to_vector``: all parameters flattened and
    concatenated into one (differentiable) vector; a parameter that cannot be viewed flat
    (non-contiguous) raises, as PyTorch's ``view(-1)``."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Mirrors ``torch.nn.utils.vector_to_parameters``: each parameter's data becomes its
    slice of ``vec`` (sharing ``vec``'s memory, as in PyTorch)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected minitorch.Tensor, but got: {type(vec).__name__}")
    if vec.dim() != 1:  # PyTorch's slicing of it would fail with a RuntimeError too
        raise RuntimeError(
            f"vector_to_parameters: expected a 1-D vector, got one of shape {list(vec.shape)}"
        )
    parameters = list(parameters)
    total = sum(p.numel() for p in parameters)
    if total != vec.numel():
        raise RuntimeError(
            f"vector_to_parameters: the vector has {vec.numel()} elements but the parameters "
            f"hold {total}"
        )
    offset = 0
    for p in parameters:
        n = p.numel()
        p._data = vec._data[offset : offset + n].reshape(p._data.shape)
        offset += n
