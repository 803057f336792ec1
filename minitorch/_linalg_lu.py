"""LU with partial pivoting: mirrors ``torch.linalg.lu_factor``, ``lu_factor_ex`` and
``lu_solve``. The factorization is one op (LAPACK getrf's packed LU and 1-based int32
pivots, PyTorch's backward formulas for square, wide and tall inputs); ``lu_solve`` is a
composition of triangular solves, so it is differentiable in LU and B to any order."""

from __future__ import annotations

import math

import numpy as np

from . import linalg as _linalg
from ._dtypes import scalar_type_name
from ._tensor import Tensor, make_tensor
from .amp.autocast_mode import cpu_float32_function
from .autograd.function import Op, name_node
from .backends import to_backend, to_device
from .ops.decomp import check_matrix
from .ops.return_types import return_type
from .ops.shape import cat

_lu_factor_result = return_type("linalg_lu_factor", ("LU", "pivots"))
_lu_factor_ex_result = return_type("linalg_lu_factor_ex", ("LU", "pivots", "info"))


def _getrf(a):
    """Packed LU, 1-based pivots and info of a stack of matrices (getrf's conventions:
    the first maximal |entry| pivots, a zero pivot sets info and skips the scaling).
    Computed in host memory (a loop over columns) and returned on ``a``'s device."""
    lu = to_device(a, "cpu").reshape((math.prod(a.shape[:-2]),) + a.shape[-2:]).copy()
    b, m, n = lu.shape
    k = min(m, n)
    rows = np.arange(b)
    piv = np.zeros((b, k), np.int32)
    info = np.zeros(b, np.int32)
    for j in range(k):
        p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
        piv[:, j] = p + 1
        top = lu[rows, j].copy()
        lu[rows, j] = lu[rows, p]
        lu[rows, p] = top
        pivot = lu[:, j, j]
        zero = pivot == 0
        info[(info == 0) & zero] = j + 1
        lu[:, j + 1 :, j] /= np.where(zero, 1, pivot)[:, None]
        lu[:, j + 1 :, j + 1 :] -= lu[:, j + 1 :, j : j + 1] * lu[:, j : j + 1, j + 1 :]
    batch = a.shape[:-2]
    outs = lu.reshape(a.shape), piv.reshape(batch + (k,)), info.reshape(batch)
    return tuple(to_backend(x, a) for x in outs)


def _permutation(piv, m: int, like):
    """P (as a dense 0/1 matrix stack of ``like``'s dtype) with A = P L U."""
    flat = to_device(piv, "cpu").reshape(math.prod(piv.shape[:-1]), piv.shape[-1]) - 1
    perm = np.broadcast_to(np.arange(m), (len(flat), m)).copy()
    rows = np.arange(len(flat))
    for j in range(flat.shape[1]):
        top = perm[:, j].copy()
        perm[:, j] = perm[rows, flat[:, j]]
        perm[rows, flat[:, j]] = top
    P = np.zeros((len(flat), m, m), like.dtype)
    P[rows[:, None], perm, np.arange(m)] = 1
    return to_backend(P.reshape(piv.shape[:-1] + (m, m)), like)


def _unpack(LU: Tensor) -> tuple[Tensor, Tensor]:
    """L (m x k, unit lower triangular) and U (k x n) of a packed LU, in LU's graph."""
    m, n = LU.shape[-2:]
    k = min(m, n)
    eye = make_tensor(to_backend(np.eye(m, k, dtype=LU._data.dtype), LU._data))
    return LU[..., :k].tril(-1) + eye, LU[..., :k, :].triu()


class LuFactor(Op):
    """A = P L U packed as getrf does (L's unit diagonal implied)."""

    torch_name = "LinalgLuFactorExBackward0"

    @staticmethod
    def forward(ctx, a):
        lu, piv, info = _getrf(a)
        ctx.save_for_backward(lu)
        ctx.pivots = piv
        return lu, piv, info

    @staticmethod
    def backward(ctx, g, _gpiv=None, _ginfo=None):
        (LU,) = ctx.saved_tensors
        m, n = LU.shape[-2:]
        k = min(m, n)
        L, U = _unpack(LU)
        gL, gU = g[..., :k].tril(-1), g[..., :k, :].triu()
        if m <= n:  # A = P L [U1 U2]: P L^-T [tril(L^T gL - gU U^T) U1^-T + gU1, gU2]
            x = (L.mT @ gL - gU @ U.mT).tril(-1)
            x = _linalg.solve_triangular(U[..., :k].mT, x, upper=False, left=False)
            x = cat((x + gU[..., :k], gU[..., k:]), -1)
            x = _linalg.solve_triangular(L.mT, x, upper=True, unitriangular=True)
        else:  # A = P [L1; L2] U: P [L1^-T triu(gU U^T - L^T gL) + gL1; gL2] U^-T
            x = (gU @ U.mT - L.mT @ gL).triu()
            x = _linalg.solve_triangular(L[..., :k, :].mT, x, upper=True, unitriangular=True)
            x = cat((x + gL[..., :k, :], gL[..., k:, :]), -2)
            x = _linalg.solve_triangular(U.mT, x, upper=False, left=False)
        return make_tensor(_permutation(ctx.pivots, m, LU._data)) @ x


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False):
    """Mirrors ``torch.linalg.lu_factor_ex``: (LU, pivots, info); info is the 1-based index
    of the first zero pivot (0 when A is invertible)."""
    check_matrix("linalg.lu_factor_ex", A, square=False)
    if not pivot:
        raise RuntimeError(  # PyTorch implements it on CUDA only, and names lu_factor
            "linalg.lu_factor: LU without pivoting is not implemented on the CPU"
        )
    LU, piv, info = LuFactor.apply(A)
    if check_errors:
        _check_singular("torch.linalg.lu_factor_ex", info)
    return _lu_factor_ex_result(LU, piv, info)


def _check_singular(name: str, info: Tensor) -> None:
    """PyTorch's error for a zero pivot U[k,k] (info = k)."""
    bad = np.flatnonzero(to_device(info._data, "cpu"))
    if bad.size:
        k = int(to_device(info._data, "cpu").reshape(-1)[bad[0]])
        batch = f"(Batch element {bad[0]}): " if info._data.ndim else ""
        raise RuntimeError(
            f"{name}: {batch}U[{k},{k}] is zero and using it on lu_solve would result in a division "
            "by zero. If you still want to perform the factorization, consider calling "
            "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
        )


def lu_factor(A: Tensor, *, pivot: bool = True):
    """Mirrors ``torch.linalg.lu_factor``: (LU, pivots) with A = P L U; raises on a
    singular input as PyTorch does."""
    LU, piv, info = lu_factor_ex(A, pivot=pivot)
    _check_singular("torch.linalg.lu_factor", info)
    return _lu_factor_result(LU, piv)


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False):
    """Mirrors ``torch.linalg.lu_solve``: solves A X = B (X A = B when not ``left``,
    with A^H for A when ``adjoint``) from A's ``lu_factor``."""
    _check_lu_solve(LU, pivots, B, left)
    if not left:
        return name_node(lu_solve(LU, pivots, B.mT, adjoint=not adjoint).mT, _LU_SOLVE)
    P = make_tensor(_permutation(pivots._data, LU.shape[-2], LU._data))
    L, U = _unpack(LU)
    if adjoint:
        y = _linalg.solve_triangular(U.mT, B, upper=False)
        X = P @ _linalg.solve_triangular(L.mT, y, upper=True, unitriangular=True)
    else:
        y = _linalg.solve_triangular(L, P.mT @ B, upper=False, unitriangular=True)
        X = _linalg.solve_triangular(U, y, upper=True)
    return name_node(X, _LU_SOLVE)


_LU_SOLVE = "LinalgLuSolveBackward0"  # PyTorch's one node


def _check_lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, left: bool) -> None:
    """PyTorch's argument errors of ``linalg.lu_solve``."""
    if B._data.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    if LU._data.dtype != B._data.dtype:
        raise RuntimeError(
            "linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type "
            f"{scalar_type_name(LU._data.dtype)} and B of type "
            f"{scalar_type_name(B._data.dtype)} instead"
        )
    if pivots._data.dtype != np.int32:
        raise RuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32")
    n, (rows, cols) = LU._data.shape[-1], B._data.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError(
            "linalg.lu_solve: Incompatible shapes of A and B for the equation "
            f"{'AX' if left else 'XA'} = B ({n}x{n} and {rows}x{cols})"
        )


_lu_unpack_result = return_type("lu_unpack", ("P", "L", "U"))
_lu_result = return_type("linalg_lu", ("P", "L", "U"))


def lu_unpack(
    LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True
):
    """Mirrors ``torch.lu_unpack``: (P, L, U) of a packed LU and its pivots (empty
    tensors for the parts not asked for)."""
    empty = make_tensor(LU_data._data.reshape(-1)[:0].copy())
    P = make_tensor(_permutation(LU_pivots._data, LU_data.shape[-2], LU_data._data))
    L, U = _unpack(LU_data) if unpack_data else (empty, empty)
    return _lu_unpack_result(P if unpack_pivots else empty, L, U)


def lu(A: Tensor, *, pivot: bool = True):
    """Mirrors ``torch.linalg.lu``: (P, L, U) with A = P L U (differentiable for square A)."""
    LU, piv, _ = lu_factor_ex(A, pivot=pivot)
    return _lu_result(*lu_unpack(LU, piv))


_solve_ex_result = return_type("linalg_solve_ex", ("result", "info"))
_inv_ex_result = return_type("linalg_inv_ex", ("inverse", "info"))


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False):
    """Mirrors ``torch.linalg.solve_ex``: (result, info) with info getrf's (0 where A is
    invertible). The result of a singular matrix is NaN (PyTorch leaves LAPACK's
    non-finite values there)."""
    check_matrix("linalg.solve_ex", A)
    info = lu_factor_ex(A.detach()).info
    singular = info._data != 0
    if not bool(singular.any()):
        return _solve_ex_result(_linalg.solve(A, B, left=left), info)
    if check_errors:
        raise _linalg.LinAlgError(
            "torch.linalg.solve_ex: The solver failed because the input matrix is singular."
        )
    mask = make_tensor(singular[..., None, None])
    eye = make_tensor(to_backend(np.eye(A.shape[-1], dtype=A._data.dtype), A._data))
    X = _linalg.solve(A.masked_fill(mask, 0) + eye * mask, B, left=left)
    bad = mask if X.dim() == A.dim() else mask[..., 0]
    return _solve_ex_result(name_node(X.masked_fill(bad, math.nan), "LinalgSolveExBackward0"), info)


def singular_inverse(name: str, A: Tensor) -> Exception:
    """PyTorch's error for inverting a singular A: the first singular matrix of the batch
    and its first zero pivot."""
    info = to_device(_getrf(A._data)[2], "cpu").reshape(-1)
    b = int(np.argmax(info != 0))  # the first singular matrix
    batch = f"(Batch element {b}): " if A._data.ndim > 2 else ""
    return _linalg.LinAlgError(
        f"{name}: {batch}The diagonal element {info[b]} is zero, the inversion could not be "
        "completed because the input matrix is singular."
    )


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def inv_ex(A: Tensor, *, check_errors: bool = False):
    """Mirrors ``torch.linalg.inv_ex``: (inverse, info), NaN where A is singular."""
    check_matrix("linalg.inv", A)  # PyTorch names linalg.inv
    eye = make_tensor(to_backend(np.eye(A.shape[-1], dtype=A._data.dtype), A._data))
    try:
        X, info = solve_ex(A, eye.expand(A.shape), check_errors=check_errors)
    except _linalg.LinAlgError:
        raise singular_inverse("linalg.inv_ex", A) from None
    return _inv_ex_result(name_node(X, "LinalgInvExBackward0"), info)
