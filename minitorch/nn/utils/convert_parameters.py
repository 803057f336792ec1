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
    slice of ``vec`` viewed as it (sharing ``vec``'s memory and taking its dtype, as in
    PyTorch); elements past the parameters' total are ignored, and a vector too short fails in
    the ``view_as`` of the first parameter it cannot fill, the earlier ones already set."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected minitorch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[offset : offset + n].view_as(p).data
        offset += n
