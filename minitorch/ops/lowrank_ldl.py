"""Randomized low-rank SVD and PCA (mirrors ``torch.svd_lowrank``, ``torch.pca_lowrank``:
compositions of matmul, QR and SVD, so differentiable as they are) and the LDL factorization
of symmetric indefinite matrices (mirrors ``torch.linalg.ldl_factor``, ``ldl_factor_ex``,
``ldl_solve``: LAPACK sytrf's Bunch-Kaufman pivoting and its compact LD and pivots, computed
in host memory with a loop over columns; not differentiable, as in PyTorch)."""

from __future__ import annotations

import math

import numpy as np

from .._dtypes import scalar_type_name
from .._tensor import Tensor
from ..autograd.underivable import Underivable
from ..backends import to_backend, to_device
from ..factories import randn
from .decomp import LinAlgError, Qr, Svd, check_matrix
from .linalg import matmul
from .reduce import wrap_dim
from .return_types import return_type

_ldl_factor_result = return_type("linalg_ldl_factor", ("LD", "pivots"))
_ldl_factor_ex_result = return_type("linalg_ldl_factor_ex", ("LD", "pivots", "info"))

_BUNCH_KAUFMAN_ALPHA = (1 + math.sqrt(17)) / 8


def _approximate_basis(A: Tensor, q: int, niter: int, M: Tensor | None) -> Tensor:
    """Q with q orthonormal columns such that Q Q^T (A - M) approximates A - M (Halko et
    al. 2009, algorithm 4.4), from a standard normal (n, q) draw of the default generator."""
    dtype = A.dtype if A.is_floating_point() else None
    R = randn(A.shape[-1], q, dtype=dtype, device=A.device)

    def times(left: Tensor, right: Tensor, M: Tensor | None) -> Tensor:
        X = matmul(left, right)
        return X if M is None else X - matmul(M, right)

    Q = Qr.apply(times(A, R, M), "reduced")[0]
    for _ in range(niter):
        Q = Qr.apply(times(A.mT, Q, None if M is None else M.mT), "reduced")[0]
        Q = Qr.apply(times(A, Q, M), "reduced")[0]
    return Q


def _svd_lowrank(A: Tensor, q: int, niter: int, M: Tensor | None):
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.shape)
    if m < n:  # work on the tall one
        A = A.mT
        M = None if M is None else M.mT
    Q = _approximate_basis(A, q, niter, M)
    B = matmul(Q.mT, A)
    if M is not None:
        B = B - matmul(Q.mT, M)
    U, S, Vh = Svd.apply(B, False)
    V = Vh.mT
    U = matmul(Q, U)
    return (V, S, U) if m < n else (U, S, V)


def svd_lowrank(A: Tensor, q: int | None = 6, niter: int | None = 2, M: Tensor | None = None):
    """Mirrors ``torch.svd_lowrank``: (U, S, V) with A - M ~ U diag(S) V^T, of rank ``q``,
    by randomized subspace iteration (Halko et al. 2009, algorithm 5.1). It draws
    ``randn(n, q)`` (n: the columns of the taller of A, A^T) from the default generator, so
    the same seed gives PyTorch's result."""
    return _svd_lowrank(A, 6 if q is None else q, 2 if niter is None else niter, M)


def pca_lowrank(A: Tensor, q: int | None = None, center: bool = True, niter: int = 2):
    """Mirrors ``torch.pca_lowrank``: ``svd_lowrank`` of A with its column means taken off
    (when ``center``); V's columns are the principal directions, S**2 / (m - 1) the
    variances along them. q defaults to min(6, m, n)."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError(
            f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}"
        )
    if not (niter >= 0):
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        A = A - A.mean(dim=(-2,), keepdim=True)
    return _svd_lowrank(A, q, niter, None)


def _sytf2(a: np.ndarray):
    """LAPACK's (s|d)sytf2 with uplo 'L' on one symmetric matrix (its lower triangle read):
    the compact LD (upper triangle zero), 1-based pivots (a negative pair marks a 2x2
    block) and info (the first zero diagonal block, 1-based; 0 if none)."""
    a = np.tril(a)
    n = len(a)
    piv = np.zeros(n, np.int32)
    info = 0
    k = 0
    while k < n:
        kstep, kp = 1, k
        absakk = abs(a[k, k])
        imax = k + 1 + int(np.argmax(np.abs(a[k + 1 :, k]))) if k < n - 1 else k
        colmax = abs(a[imax, k]) if k < n - 1 else 0
        zero = np.fmax(absakk, colmax) == 0  # a zero column: D[k, k] = 0, nothing to do
        if zero:
            info = info or k + 1
        elif not absakk >= _BUNCH_KAUFMAN_ALPHA * colmax:  # (LAPACK's test: NaN pivots)
            rowmax = np.abs(a[imax, k:imax]).max()
            if imax < n - 1:
                rowmax = max(rowmax, np.abs(a[imax + 1 :, imax]).max())
            if not absakk >= _BUNCH_KAUFMAN_ALPHA * colmax * (colmax / rowmax):
                kp = imax
                kstep = 1 if abs(a[imax, imax]) >= _BUNCH_KAUFMAN_ALPHA * rowmax else 2
        kk = k + kstep - 1
        if kp != kk:  # swap rows and columns kk and kp of the trailing block
            a[kp + 1 :, [kk, kp]] = a[kp + 1 :, [kp, kk]]
            column = a[kk + 1 : kp, kk].copy()
            a[kk + 1 : kp, kk] = a[kp, kk + 1 : kp]
            a[kp, kk + 1 : kp] = column
            a[[kk, kp], [kk, kp]] = a[[kp, kk], [kp, kk]]
            if kstep == 2:
                a[[k + 1, kp], k] = a[[kp, k + 1], k]
        if kstep == 1 and k < n - 1 and not zero:  # 1x1 pivot: rank-1 update of the trailing block
            d11 = 1 / a[k, k]
            x = a[k + 1 :, k].copy()
            a[k + 1 :, k + 1 :] = np.tril(a[k + 1 :, k + 1 :] - np.outer(x, d11 * x))
            a[k + 1 :, k] = x * d11
        elif kstep == 2 and k < n - 2:  # 2x2 pivot: rank-2 update
            d21 = a[k + 1, k]
            d11 = a[k + 1, k + 1] / d21
            d22 = a[k, k] / d21
            d21 = 1 / (d11 * d22 - 1) / d21
            c0, c1 = a[k + 2 :, k].copy(), a[k + 2 :, k + 1].copy()
            wk = d21 * (d11 * c0 - c1)
            wkp1 = d21 * (d22 * c1 - c0)
            trailing = a[k + 2 :, k + 2 :] - np.outer(c0, wk) - np.outer(c1, wkp1)
            a[k + 2 :, k + 2 :] = np.tril(trailing)
            a[k + 2 :, k], a[k + 2 :, k + 1] = wk, wkp1
        piv[k : k + kstep] = kp + 1 if kstep == 1 else -(kp + 1)
        k += kstep
    return a, piv, info


def _sytrf(a):
    """``_sytf2`` of each matrix of the stack ``a``, in host memory; the results on ``a``'s
    device."""
    host = to_device(a, "cpu")
    flat = host.reshape((math.prod(host.shape[:-2]),) + host.shape[-2:])
    LD = np.empty_like(flat)
    piv = np.empty(flat.shape[:-1], np.int32)
    info = np.empty(len(flat), np.int32)
    for i, m in enumerate(flat):
        LD[i], piv[i], info[i] = _sytf2(m)
    batch = host.shape[:-2]
    outs = LD.reshape(host.shape), piv.reshape(host.shape[:-1]), info.reshape(batch)
    return tuple(to_backend(x, a) for x in outs)


def ldl_factor_ex(A: Tensor, *, hermitian: bool = False, check_errors: bool = False):
    """Mirrors ``torch.linalg.ldl_factor_ex``: (LD, pivots, info) of a symmetric matrix
    (its lower triangle read; ``hermitian`` is the same for real inputs) as LAPACK's sytrf:
    A = P L D L^T P^T with L unit lower triangular below LD's diagonal and D's 1x1 and 2x2
    blocks on and next to it; 1-based int32 pivots, a negative pair for a 2x2 block; info
    the first zero diagonal element of D (0 if none). Not differentiable, as in PyTorch."""
    return _ldl_factor_ex("torch.linalg.ldl_factor_ex", A, check_errors)


def _ldl_factor_ex(name: str, A: Tensor, check_errors: bool):
    check_matrix("torch.linalg.ldl_factor_ex", A)
    LD, pivots, info = Underivable.apply(A, "linalg_ldl_factor_ex", _sytrf)
    bad = np.flatnonzero(to_device(info._data, "cpu"))
    if check_errors and bad.size:
        k = int(to_device(info._data, "cpu").reshape(-1)[bad[0]])
        batch = f"(Batch element {bad[0]}): " if info.dim() else ""
        raise LinAlgError(
            f"{name}: {batch}The diagonal element {k} of D is zero: the input matrix is "
            "singular, and ldl_solve with this factorization would divide by zero."
        )
    return _ldl_factor_ex_result(LD, pivots, info)


def ldl_factor(A: Tensor, *, hermitian: bool = False):
    """Mirrors ``torch.linalg.ldl_factor``: ``ldl_factor_ex``'s (LD, pivots); raises when
    D is singular (where PyTorch fails an internal assert)."""
    LD, pivots, _ = _ldl_factor_ex("torch.linalg.ldl_factor", A, True)
    return _ldl_factor_result(LD, pivots)


def _sytrs(ld: np.ndarray, piv: np.ndarray, b: np.ndarray) -> np.ndarray:
    """LAPACK's sytrs with uplo 'L': X with A X = B from A's compact LD and pivots (one
    matrix, B's columns at once)."""
    b = b.copy()
    n = len(ld)
    k = 0
    while k < n:  # solve L D Y = P^T B, block by block
        if piv[k] > 0:
            p = piv[k] - 1
            b[[k, p]] = b[[p, k]]
            b[k + 1 :] -= np.outer(ld[k + 1 :, k], b[k])
            b[k] *= 1 / ld[k, k]
            k += 1
        else:
            p = -piv[k] - 1
            b[[k + 1, p]] = b[[p, k + 1]]
            b[k + 2 :] -= np.outer(ld[k + 2 :, k], b[k])
            b[k + 2 :] -= np.outer(ld[k + 2 :, k + 1], b[k + 1])
            akm1k = ld[k + 1, k]
            akm1, ak = ld[k, k] / akm1k, ld[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1, bk = b[k] / akm1k, b[k + 1] / akm1k
            b[k], b[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:  # solve L^T P^T X = Y
        b[k] -= ld[k + 1 :, k] @ b[k + 1 :]
        if piv[k] < 0:
            b[k - 1] -= ld[k + 1 :, k - 1] @ b[k + 1 :]
        p = abs(piv[k]) - 1
        b[[k, p]] = b[[p, k]]
        k -= 1 if piv[k] > 0 else 2
    return b


def _sytrs_batched(ld, piv, b):
    """``_sytrs`` over the broadcast batch of LD (with its pivots) and B, in host memory."""
    batch = np.broadcast_shapes(ld.shape[:-2], b.shape[:-2])
    n, k = b.shape[-2:]
    host = [to_device(x, "cpu") for x in (ld, piv, b)]
    count = math.prod(batch)
    lds = np.broadcast_to(host[0], batch + (n, n)).reshape(count, n, n)
    pivs = np.broadcast_to(host[1], batch + (n,)).reshape(count, n)
    bs = np.broadcast_to(host[2], batch + (n, k)).reshape(count, n, k)
    x = np.empty_like(bs)
    for i in range(len(bs)):
        x[i] = _sytrs(lds[i], pivs[i], bs[i])
    return to_backend(x.reshape(batch + (n, k)), b)


def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False) -> Tensor:
    """Mirrors ``torch.linalg.ldl_solve``: X with A X = B from A's ``ldl_factor`` (LD's
    lower triangle read; batches of LD and B broadcast). Not differentiable, as in
    PyTorch."""
    name = "torch.linalg.ldl_solve"
    check_matrix(name, LD)
    if B._data.dtype != LD._data.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type "
            f"{scalar_type_name(B._data.dtype)} and A of type "
            f"{scalar_type_name(LD._data.dtype)} instead."
        )
    n = LD.shape[-1]
    rows = B.shape[wrap_dim(-2, B.dim())]
    if rows != n:
        raise RuntimeError(
            f"Incompatible matrix sizes for {name}: each A matrix is {n} by {n} but each b "
            f"matrix is {rows} by {B.shape[-1]}"
        )
    if tuple(pivots.shape) != tuple(LD.shape[:-1]):
        raise RuntimeError(
            f"{name}: Expected LD.shape[:-1] and pivots.shape to be the same, but got pivots "
            f"with shape {list(pivots.shape)} instead"
        )
    if pivots._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"{name}: Expected pivots to be integers. Got {scalar_type_name(pivots._data.dtype)}"
        )
    return Underivable.apply(LD, "linalg_ldl_solve", _sytrs_batched, pivots, B)
