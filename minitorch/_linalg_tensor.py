"""``torch.linalg.tensorinv`` and ``tensorsolve``: inverse and solve of a tensor viewed as a
square matrix (compositions of reshape with ``inv`` / ``solve``, so differentiable)."""

from __future__ import annotations

import math

from . import linalg as _linalg
from ._tensor import Tensor
from .amp.autocast_mode import cpu_float32_function


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """Mirrors ``torch.linalg.tensorinv``: X with tensordot(X, A, ind) the identity, for A
    of shape out + in with prod(out) == prod(in) (out = A.shape[:ind])."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    out, inp = tuple(A.shape[:ind]), tuple(A.shape[ind:])
    if math.prod(out) != math.prod(inp):
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[ind:]) == "
            f"prod(self.shape[:ind]), but got {math.prod(inp)} != {math.prod(out)}"
        )
    return _linalg.inv(A.reshape(math.prod(out), -1)).reshape(inp + out)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def tensorsolve(A: Tensor, B: Tensor, dims=None) -> Tensor:
    """Mirrors ``torch.linalg.tensorsolve``: X with tensordot(A, X, X.ndim) == B; ``dims``
    are dims of A moved to the end first."""
    if dims is not None:
        dims = [d % A.dim() for d in dims]
        A = A.permute(*[d for d in range(A.dim()) if d not in dims], *dims)
    rest = tuple(A.shape[B.dim() :])
    if math.prod(rest) != B.numel():
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
            f"prod(self.shape[:other.ndim]), but got {math.prod(rest)} != {B.numel()}"
        )
    return _linalg.solve(A.reshape(B.numel(), -1), B.reshape(-1)).reshape(rest)
