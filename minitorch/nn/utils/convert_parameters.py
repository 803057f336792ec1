"""parameters_to_vector / vector_to_parameters (mirror ``torch.nn.utils``'s)."""

from __future__ import annotations

from collections.abc import Iterable

from ..._tensor import Tensor
from ...ops.shape import cat


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Mirrors ``torch.nn.utils.parameters_to_vector``: all parameters flattened and
    concatenated into one (differentiable) vector; a parameter that cannot be viewed flat
    (non-contiguous) raises, as PyTorch's ``view(-1)``."""
    device = None
    vec = []
    for p in parameters:
        device = _check_param_device(p, device)
        vec.append(p.view(-1))
    return cat(vec)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Mirrors ``torch.nn.utils.vector_to_parameters``: each parameter's data becomes its
    slice of ``vec`` viewed as it (sharing ``vec``'s memory and taking its dtype, as in
    PyTorch); elements past the parameters' total are ignored, and a vector too short fails in
    the ``view_as`` of the first parameter it cannot fill, the earlier ones already set."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected minitorch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    device = None
    for p in parameters:
        device = _check_param_device(p, device)
        n = p.numel()
        p.data = vec[offset : offset + n].view_as(p).data
        offset += n


def _check_param_device(param: Tensor, device: int | None) -> int:
    """PyTorch's check that all parameters are on one device: the first one's CUDA index
    (-1 for the CPU), a TypeError for a parameter on another."""
    index = param.get_device() if param.device.type == "cuda" else -1
    if device is not None and index != device:
        raise TypeError(
            "Found two parameters on different devices, this is currently not supported."
        )
    return index
