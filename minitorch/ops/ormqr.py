"""``torch.ormqr``: the product of a matrix with the orthogonal Q of Householder reflectors
(``torch.geqrf``'s compact form), composed from ``linalg.householder_product``."""

from __future__ import annotations

import numpy as np

from .._dtypes import scalar_type_name
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import cpu_float32_function
from ..autograd.function import name_node
from ..linalg import householder_product
from .shape import cat


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def ormqr(
    input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False
) -> Tensor:
    """Mirrors ``torch.ormqr``: op(Q) @ other (other @ op(Q) when not ``left``; op(Q) is
    Q^T when ``transpose``) for the square Q = H_1 ... H_k of the Householder reflections
    of (``input``, ``tau``), as LAPACK's ormqr: ``householder_product`` of the reflectors
    padded to a square, so differentiable in all three."""
    name = "torch.ormqr"
    for what, t in (("input", input), ("other", other)):
        if t.dim() < 2:
            raise RuntimeError(f"{name}: {what} must have at least 2 dimensions.")
    side = -2 if left else -1
    mn, k = input.shape[-2], tau.shape[-1] if tau.dim() else 1
    if other.shape[side] != mn:
        raise RuntimeError(f"{name}: other.shape[{side}] must be equal to input.shape[-2]")
    if k != min(other.shape[side], input.shape[-1]):
        raise RuntimeError(
            f"{name}: tau.shape[-1] must be equal to min(other.shape[{side}], input.shape[-1])"
        )
    for what, t in (("tau", tau), ("other", other)):
        if t.dim() != input.dim() - (what == "tau"):
            expected = (
                "one dimension less than" if what == "tau" else "the same number of dimensions as"
            )
            raise RuntimeError(
                f"{name}: Expected {what} to have {expected} input, but got {what}.ndim equal "
                f"to {t.dim()} and input.ndim is equal to {input.dim()}"
            )
    for what, t in (("tau", tau), ("other", other)):
        if tuple(t.shape[: input.dim() - 2]) != tuple(input.shape[:-2]):
            raise RuntimeError(
                f"{name}: Expected batch dimensions of {what} to be equal to input.shape[:-2], "
                f"but got {list(t.shape[: input.dim() - 2])}"
            )
    for what, t in (("tau", tau), ("other", other)):
        if t.dtype != input.dtype:
            raise RuntimeError(
                f"{name}: Expected input and {what} to have the same dtype, but input has dtype"
                f"{scalar_type_name(input._data.dtype)} and {what} has dtype "
                f"{scalar_type_name(t._data.dtype)}"
            )
    if input._data.dtype.kind != "f" or input._data.dtype == np.float16:
        raise NotImplementedError(
            f"\"ormqr_cpu\" not implemented for '{scalar_type_name(input._data.dtype)}'"
        )
    if tau.numel() == 0:  # no reflections (or none to apply): PyTorch's backward gives
        input, tau = input.detach(), tau.detach()  # the reflectors no gradient
    pad = make_tensor(np.zeros_like(input._data, shape=input.shape[:-1] + (mn - k,)))
    Q = householder_product(cat((input[..., :k], pad), -1), tau)
    Q = Q.mT if transpose else Q
    return name_node(Q @ other if left else other @ Q, "OrmqrBackward0")
