"""minitorch.linalg: mirrors ``torch.linalg``. Decompositions and matrix functions are
single ops (minitorch/ops/decomp.py: numpy.linalg forward, PyTorch's backward formulas);
norms and the rest are compositions of differentiable ops."""

from __future__ import annotations

import math

import numpy as np

from ._dtypes import scalar_type_name
from ._linalg_lu import inv_ex, lu, lu_factor, lu_factor_ex, lu_solve, solve_ex
from ._linalg_tensor import tensorinv, tensorsolve
from ._tensor import Tensor, make_tensor
from .amp.autocast_mode import cpu_float32_function, lower_precision_function
from .autograd import forward_ad
from .autograd.function import Op, name_node
from .autograd.underivable import NotImplementedFormula, ZeroDerivative
from .backends import ascontiguous, to_backend, to_device
from .ops.decomp import (
    Cholesky,
    Eigh,
    LinAlgError,
    Qr,
    Solve,
    Svd,
    check_matrix,
    det,
)
from .ops.decomp import inverse as inv
from .ops.decomp import pinv as _pinv
from .ops.decomp import slogdet as _slogdet
from .ops.elementwise import where
from .ops.layout import diagonal as _diagonal
from .ops.linalg import matmul
from .ops.lowrank_ldl import ldl_factor, ldl_factor_ex, ldl_solve
from .ops.misc import vander_powers
from .ops.out_arg import with_out
from .ops.products import cross as _cross
from .ops.reduce import norm as _p_norm
from .ops.reduce import wrap_dim
from .ops.return_types import return_type
from .ops.shape import tril, triu

__all__ = [
    "LinAlgError",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eigh",
    "eigvalsh",
    "householder_product",
    "inv",
    "inv_ex",
    "ldl_factor",
    "ldl_factor_ex",
    "ldl_solve",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_ex",
    "solve_triangular",
    "svd",
    "svdvals",
    "tensorinv",
    "tensorsolve",
    "vander",
    "vecdot",
    "vector_norm",
]

_qr_result = return_type("linalg_qr", ("Q", "R"))
_geqrf_result = return_type("geqrf", ("a", "tau"))
_eigh_result = return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
_svd_result = return_type("linalg_svd", ("U", "S", "Vh"))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """Mirrors ``torch.linalg.solve``: X with A X = B (X A = B when ``left=False``); B is
    a vector (or a batch of them) when it has one dim less than A and A's batch shape."""
    check_matrix("linalg.solve", A)
    if B._data.ndim == 0:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    if B._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{scalar_type_name(A._data.dtype)} and B of type {scalar_type_name(B._data.dtype)} "
            "instead"
        )
    n = A._data.shape[-1]
    vector = B._data.ndim == 1 or (
        B._data.ndim == A._data.ndim - 1 and B._data.shape == A._data.shape[:-1]
    )
    if not left and vector and n == 1:
        raise RuntimeError(
            "linalg.solve: Vector broadcasting of the left hand side is not supported for "
            "left=False. In this case linalg.solve is equivalent to B / A.squeeze(-1)"
        )
    b = B.unsqueeze(-1) if vector else B
    if b._data.shape[-2 if left else -1] != n:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation "
            f"{'AX' if left else 'XA'} = B ({A._data.shape[-2]}x{n} and "
            f"{'x'.join(map(str, b._data.shape[-2:]))})"
        )
    if not left:
        return name_node(solve(A.mT, B.mT).mT, "LinalgSolveExBackward0")
    x = Solve.apply(A, b)
    return name_node(x.squeeze(-1) if vector else x, "LinalgSolveExBackward0")  # PyTorch's


def solve_triangular(
    A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False
) -> Tensor:
    """Mirrors ``torch.linalg.solve_triangular``: ``solve`` with A's other triangle taken
    as zero (and its diagonal as ones when ``unitriangular``)."""
    check_matrix("linalg.solve_triangular", A)
    if B._data.ndim < 2:
        raise RuntimeError(
            "linalg.solve_triangular: The input tensor B must have at least 2 dimensions."
        )
    n, (rows, cols) = A._data.shape[-1], B._data.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError(
            "linalg.solve_triangular: Incompatible shapes of A and B for the equation "
            f"{'AX' if left else 'XA'} = B ({n}x{n} and {rows}x{cols})"
        )
    if B._data.dtype != A._data.dtype:  # PyTorch solves in A's dtype (B cast to it)
        B = B.to(A.dtype)
    tri = triu(A) if upper else tril(A)
    if unitriangular:
        eye = to_backend(np.eye(A._data.shape[-1], dtype=bool), A._data)
        tri = tri.masked_fill(make_tensor(eye), 1.0)
    # an exactly singular triangle gives inf/nan (LAPACK's trsm), no error
    x = Solve.apply(tri, B, upper) if left else Solve.apply(tri.mT, B.mT, not upper).mT
    return name_node(x, "LinalgSolveTriangularBackward0")


_slogdet_result = return_type("linalg_slogdet", ("sign", "logabsdet"))


def slogdet(A: Tensor):
    """Mirrors ``torch.linalg.slogdet``: (sign, log|det|) as ``torch.slogdet``, named
    ``linalg_slogdet``."""
    return _slogdet_result(*_slogdet(A))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """Mirrors ``torch.linalg.cholesky``: L with A = L L^T (U = L^T when ``upper``)."""
    check_matrix("linalg.cholesky", A)
    source = A.mT if upper else A  # (upper: A's upper triangle is read, as LAPACK's)
    try:
        L = Cholesky.apply(source)
    except LinAlgError:
        info = _cholesky_info(source._data)
        raise LinAlgError(_not_pd_message("linalg.cholesky", info)) from None
    return name_node(L.mT, "LinalgCholeskyExBackward0") if upper else L


_cholesky_ex_result = return_type("linalg_cholesky_ex", ("L", "info"))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False):
    """Mirrors ``torch.linalg.cholesky_ex``: (L, info) with info (int32, per matrix) 0 on
    success, else the order of the first leading minor that is not positive-definite. The
    L of a failed matrix is zero (PyTorch leaves LAPACK's partial factor there), and then
    L is not differentiable."""
    check_matrix("linalg.cholesky", A)  # PyTorch names linalg.cholesky
    batch = A._data.shape[:-2]
    A = A.mT if upper else A  # (upper: A's upper triangle is read, as LAPACK's)
    try:
        L = Cholesky.apply(A)
        return _cholesky_ex_result(
            name_node(L.mT, "LinalgCholeskyExBackward0") if upper else L,
            make_tensor(np.zeros_like(A._data, np.int32, shape=batch)),
        )
    except LinAlgError:
        pass
    info = _cholesky_info(A._data)
    if check_errors:
        raise LinAlgError(_not_pd_message("linalg.cholesky_ex", info))
    a = A._data.reshape((-1,) + A._data.shape[-2:])
    L = np.zeros_like(a)
    for i in np.flatnonzero(info.reshape(-1) == 0):
        L[i] = np.linalg.cholesky(a[i])
    L = make_tensor(L.reshape(A._data.shape))
    info = make_tensor(to_backend(info, A._data))
    return _cholesky_ex_result(L.mT if upper else L, info)


def _cholesky_info(a) -> np.ndarray:
    """Per matrix of the stack ``a``: 0, or the order of its first leading minor that is
    not positive-definite (int32, host memory)."""
    a = to_device(a, "cpu")
    flat = a.reshape((-1,) + a.shape[-2:])
    info = np.zeros(len(flat), np.int32)
    for i, m in enumerate(flat):
        if _not_pd(m):
            info[i] = next(k for k in range(1, len(m) + 1) if _not_pd(m[:k, :k]))
    return info.reshape(a.shape[:-2])


def _not_pd_message(name: str, info: np.ndarray) -> str:
    """PyTorch's message for the first matrix whose Cholesky factorization failed."""
    flat = info.reshape(-1)
    i = int(np.flatnonzero(flat)[0])
    batch = f"(Batch element {i}): " if info.ndim else ""
    return (
        f"{name}: {batch}The factorization could not be completed because the input is not "
        f"positive-definite (the leading minor of order {flat[i]} is not positive-definite)."
    )


def _not_pd(m) -> bool:
    try:
        np.linalg.cholesky(m)
    except np.linalg.LinAlgError:
        return True
    return False


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def qr(A: Tensor, mode: str = "reduced"):
    """Mirrors ``torch.linalg.qr``: (Q, R) with A = QR; ``mode`` 'reduced', 'complete'
    or 'r' (Q empty, not differentiable)."""
    check_matrix("linalg.qr", A, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    q, r = Qr.apply(A, mode)
    if mode == "r":
        q = make_tensor(np.zeros_like(A._data, shape=(0,)))
    return _qr_result(q, r)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def geqrf(input: Tensor):
    """Mirrors ``torch.geqrf``: LAPACK's QR in compact form, (a, tau): R on and above a's
    diagonal, the Householder vectors below it (their leading 1 implied), and their scales.
    Not differentiable: PyTorch's GeqrfBackward0 node raises."""
    check_matrix("geqrf", input, square=False)

    def compact(a):
        h, tau = np.linalg.qr(a, mode="raw")  # h is transposed (LAPACK's Fortran order)
        return ascontiguous(h.swapaxes(-1, -2)), tau

    return _geqrf_result(*NotImplementedFormula.apply(input, "geqrf", "GeqrfBackward0", compact))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """Mirrors ``torch.linalg.householder_product``: the first n columns of the product
    H_1 ... H_k of the Householder reflections H_i = I - tau_i v_i v_i^T, v_i being column i
    of ``A`` (m, n) below the diagonal with a 1 on it (LAPACK's orgqr). Differentiable: the
    reflections are applied one by one with Tensor ops."""
    if A._data.ndim < 2:
        raise RuntimeError(
            "torch.linalg.householder_product: input must have at least 2 dimensions."
        )
    check_matrix("householder_product", A, square=False)
    m, n = A.shape[-2], A.shape[-1]
    k = tau.shape[-1]
    if m < n:
        raise RuntimeError(
            "torch.linalg.householder_product: input.shape[-2] must be greater than or equal "
            "to input.shape[-1]"
        )
    if k > n:
        raise RuntimeError(
            "torch.linalg.householder_product: input.shape[-1] must be greater than or equal "
            "to tau.shape[-1]"
        )
    if tau._data.ndim != A._data.ndim - 1:
        raise RuntimeError(
            "torch.linalg.householder_product: Expected tau to have one dimension less than "
            f"input, but got tau.ndim equal to {tau._data.ndim} and input.ndim is equal to "
            f"{A._data.ndim}"
        )
    if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(
            "torch.linalg.householder_product: Expected batch dimensions of tau to be equal to "
            f"input.shape[:-2], but got {list(tau.shape[:-1])}"
        )
    if tau._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"torch.linalg.householder_product: tau dtype {scalar_type_name(tau._data.dtype)} "
            f"does not match input dtype {scalar_type_name(A._data.dtype)}"
        )
    eye = np.zeros_like(A._data, shape=(m, n))
    np.fill_diagonal(eye, 1)
    q = make_tensor(np.broadcast_to(eye, A.shape).copy())
    below = make_tensor(np.tril(np.ones_like(A._data, shape=(m, n)), -1))
    vectors = A * below + make_tensor(eye)  # column i: v_i
    for i in reversed(range(k)):  # Q = H_1 (H_2 (... (H_k E)))
        v = vectors[..., :, i : i + 1]
        q = q - (tau[..., i, None, None] * v) @ (v.mT @ q)
    if tau._data.size == 0 or A._data.size == 0:
        return _NoReflection.apply(A, tau, q._data)
    return name_node(q, "LinalgHouseholderProductBackward0")


class _NoReflection(Op):
    """householder_product without reflections (``tau`` empty, or an empty batch): E, in
    the graph with no gradient for A or tau, as PyTorch's node."""

    torch_name = "LinalgHouseholderProductBackward0"

    @staticmethod
    def forward(ctx, a, tau, eye):
        return eye

    @staticmethod
    def backward(ctx, g):
        return None, None, None


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def eigh(A: Tensor, UPLO: str = "L"):
    """Mirrors ``torch.linalg.eigh``: (eigenvalues ascending, eigenvectors as columns) of
    a symmetric matrix, read from its ``UPLO`` triangle. Eigenvector signs are LAPACK's."""
    check_matrix("linalg.eigh", A)
    if UPLO.upper() not in ("L", "U"):  # either case, as in PyTorch
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _eigh_result(*Eigh.apply(A, UPLO.upper()))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """Mirrors ``torch.linalg.eigvalsh``: the eigenvalues of a symmetric matrix, ascending."""
    return eigh(A, UPLO).eigenvalues


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def svd(A: Tensor, full_matrices: bool = True):
    """Mirrors ``torch.linalg.svd``: (U, S, Vh) with A = U diag(S) Vh, S descending.
    Singular vector signs are LAPACK's."""
    check_matrix("linalg.svd", A, square=False)
    return _svd_result(*Svd.apply(A, full_matrices))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def svdvals(A: Tensor) -> Tensor:
    """Mirrors ``torch.linalg.svdvals``: the singular values, descending."""
    check_matrix("linalg.svdvals", A, square=False)
    return Svd.apply(A, False)[1]


def _default_rtol(A: Tensor) -> float:
    return float(np.finfo(A._data.dtype).eps * max(A._data.shape[-2:]))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def matrix_rank(A: Tensor, tol=None, hermitian: bool = False, *, atol=None, rtol=None) -> Tensor:
    """Mirrors ``torch.linalg.matrix_rank``: the number of singular values above
    max(atol, rtol * s_max), rtol defaulting to eps * max(rows, cols) unless atol (or the
    older ``tol``, an atol) is given; int64."""
    if A._data.dtype.kind in "biu" and (rtol is not None or tol is not None):
        # an integer A with a given rtol (no eps needed): the decomposition's dtype error
        check_matrix("linalg.eigh" if hermitian else "linalg.svd", A, square=False)
    check_matrix("linalg.matrix_rank", A, square=hermitian)
    if tol is not None:
        if atol is not None or rtol is not None:
            raise TypeError(
                "linalg_matrix_rank() received an invalid combination of arguments - tol "
                "cannot be given with atol or rtol"
            )
        atol, rtol = tol, 0.0
    atol, rtol = _tolerance(atol), _tolerance(rtol)
    if rtol is None:
        rtol = _default_rtol(A) if atol is None else np.where(atol > 0, 0.0, _default_rtol(A))
    s = (
        np.abs(np.linalg.eigvalsh(A._data))
        if hermitian
        else np.linalg.svd(A._data, compute_uv=False)
    )
    smax = s.max(-1, keepdims=True) if s.shape[-1] else np.zeros_like(s, shape=s.shape[:-1] + (1,))
    cutoff = np.maximum(0.0 if atol is None else atol, rtol * smax)
    return make_tensor((s > cutoff).sum(-1).astype(np.int64))


def _tolerance(tol):
    """A tolerance as a number, or a Tensor's values as an array broadcasting against the
    singular values (a trailing dim of 1) per matrix of the batch."""
    return tol._data[..., None] if isinstance(tol, Tensor) else tol


def pinv(A: Tensor, rcond=None, hermitian: bool = False, *, atol=None, rtol=None) -> Tensor:
    """Mirrors ``torch.linalg.pinv``: the pseudo-inverse over the singular values above
    max(atol, rtol * s_max); the older ``rcond`` is an rtol. Tolerances may be Tensors
    (one value per matrix of the batch, broadcasting)."""
    if rcond is not None:
        rtol = rcond
    elif A._data.dtype.kind in "biu" and (atol is not None or rtol is not None):
        # PyTorch's float-tolerance overload
        raise RuntimeError("This function doesn't handle types other than float and double")
    return _pinv(A, atol=_tolerance(atol), rtol=_tolerance(rtol), hermitian=hermitian)


_lstsq_result = return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def lstsq(A: Tensor, B: Tensor, rcond=None, *, driver=None):
    """Mirrors ``torch.linalg.lstsq``: the least-squares solution X of A X = B (minimum-norm
    when A is rank deficient) as pinv(A) B, which is also PyTorch's gradient. The other
    fields are those of PyTorch's CPU ``driver`` ('gelsy' by default): rank (all but
    'gels'), singular values ('gelsd', 'gelss'), residuals (all but 'gelsy', when rows >
    columns and A has full rank); the unset ones are empty."""
    if A._data.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if B._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"input's dtype {scalar_type_name(A._data.dtype)} and other's dtype "
            f"{scalar_type_name(B._data.dtype)}"
        )
    if not 0 <= A._data.ndim - B._data.ndim <= 1:
        raise RuntimeError(
            "torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
            "(input.dim() - other.dim()) <= 1"
        )
    vector = B._data.ndim == A._data.ndim - 1
    b = B.unsqueeze(-1) if vector else B
    m, n = A._data.shape[-2:]
    if b._data.shape[-2] != m:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    if driver not in (None, "gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError(
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"
        )
    if rcond is not None and A._data.dtype.kind in "biu":  # (no eps needed: the kernel's)
        raise NotImplementedError(
            f"\"linalg_lstsq_cpu\" not implemented for '{scalar_type_name(A._data.dtype)}'"
        )
    check_matrix("linalg.lstsq", A, square=False)  # (the dtype: checked by the solver, last)
    # (gels assumes a full rank: LAPACK's ignores rcond)
    rtol = _default_rtol(A) if rcond is None or driver == "gels" else rcond
    x = matmul(pinv(A, rtol=rtol), b)
    empty = make_tensor(np.zeros_like(A._data, shape=(0,)))
    rank = matrix_rank(A.detach(), rtol=rtol)
    residuals = ZeroDerivative.apply(
        np.zeros_like(A._data, shape=(0,)), "LinalgLstsqBackward0", A, B
    )
    residuals = forward_ad.zero_tangent(residuals, A, B)  # an output, unlike sv's empty
    if driver != "gelsy" and driver is not None and m > n and bool((rank._data == n).all()):
        residuals = (matmul(A, x) - b).pow(2).sum(-2)
    if driver == "gels":
        rank = make_tensor(np.zeros_like(rank._data, shape=(0,)))
    sv = svdvals(A.detach()) if driver in ("gelsd", "gelss") else empty
    return _lstsq_result(x.squeeze(-1) if vector else x, residuals, rank, sv)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def cond(A: Tensor, p=None) -> Tensor:
    """Mirrors ``torch.linalg.cond``: the condition number s_max / s_min for ``p`` None or 2
    (s_min / s_max for -2, any shape), sum(s) * sum(1/s) for 'nuc', else matrix_norm(A, p) *
    matrix_norm(inv(A), p) for square A ('fro', 1, -1, inf, -inf; inf where A is
    singular). Empty matrices have condition number 0."""
    if A._data.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p not in (None, 2, -2, 1, -1, math.inf, -math.inf, "fro", "nuc"):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    if p in ("fro", "nuc"):  # (a string ord's square check comes before the empty shortcut)
        check_matrix(f"linalg.cond(ord={p})", A)
    if A._data.size == 0:
        return make_tensor(np.zeros_like(A._data, shape=A._data.shape[:-2]))
    if p in (None, 2, -2):
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        return big / small if p != -2 else small / big
    check_matrix(f"linalg.cond(ord={p})", A)
    if p == "nuc":
        s = svdvals(A)
        return s.sum(-1) * s.reciprocal().sum(-1)
    inverse, info = inv_ex(A)
    inverse = inverse.masked_fill(make_tensor(info._data[..., None, None] > 0), math.inf)
    return (matrix_norm(A, p) * matrix_norm(inverse, p)).nan_to_num(math.inf, math.inf)


# ---- norms ---------------------------------------------------------------------------------
def _check_float(name: str, x: Tensor) -> None:
    if x._data.dtype.kind not in "fV":
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got "
            f"{scalar_type_name(x._data.dtype)}"
        )


def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.linalg.vector_norm``: (sum |x|^ord)^(1/ord) over ``dim`` (all
    elements when None); ord inf/-inf give max/min |x|, 0 the count of non-zeros."""
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' must be Number, not str")
    return _p_norm(x, ord, dim, keepdim, dtype)  # checks the dtypes


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None):
    """Mirrors ``torch.linalg.matrix_norm``: 'fro', 'nuc' (sum of singular values), 2/-2
    (largest/smallest singular value), 1/-1 (max/min column sum of |A|), inf/-inf (max/min
    row sum) over the two dims ``dim``."""
    if dtype is not None:
        A = A.to(dtype)
    _check_float("linalg.matrix_norm", A)
    n = A._data.ndim
    if n < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if len(dim) != 2:
        raise RuntimeError(
            f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
        )
    d0, d1 = (wrap_dim(d, n) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    if ord == "fro":
        return _p_norm(A, 2, (d0, d1), keepdim)
    rows, cols = A._data.shape[d0], A._data.shape[d1]
    across = {2: min(rows, cols), 1: cols, math.inf: rows}.get(ord, 1)
    if across == 0:  # PyTorch's maximum over nothing: a zero (not in the graph)
        out = A.detach().abs().sum((d0, d1), keepdim=True)
        return out if keepdim else out.squeeze((d0, d1))
    if ord in ("nuc", 2, -2):
        s = svdvals(A.movedim((d0, d1), (-2, -1)))
        out = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        if keepdim:
            for d in sorted((d0, d1)):
                out = out.unsqueeze(d)
        return out
    if ord in (1, -1, math.inf, -math.inf):
        along, across = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = A.abs().sum(along, keepdim=True)
        out = sums.amax(across, keepdim=True) if ord > 0 else sums.amin(across, keepdim=True)
        return out if keepdim else out.squeeze((d0, d1))
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.linalg.norm``: a vector norm over one dim (or all elements when
    both ``ord`` and ``dim`` are None), a matrix norm over two or for a string ``ord``."""
    dims = (dim,) if isinstance(dim, int) else None if dim is None else tuple(dim)
    if dims is not None and len(dims) not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}"
        )
    if dims is None and ord is not None and A._data.ndim not in (1, 2):
        raise RuntimeError(
            "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
            f"{A._data.ndim}D."
        )
    if isinstance(ord, str):  # PyTorch's string overload: a matrix norm, over dims 0, 1
        return matrix_norm(A, ord, dims or (0, 1), keepdim, dtype=dtype)
    if dims is None and ord is not None and A._data.ndim == 2:
        dims = (0, 1)
    if dims is None or len(dims) == 1:
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)


# ---- products and views --------------------------------------------------------------------
def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """Mirrors ``torch.linalg.cross``: the cross product along ``dim`` (size 3)."""
    return _cross(input, other, dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Mirrors ``torch.linalg.diagonal``: ``torch.diagonal`` over the last two dims."""
    return _diagonal(A, offset, dim1, dim2)


def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """Mirrors ``torch.linalg.vander``: the powers x^0, ..., x^(N-1) of each element along
    a new last dim (N defaults to x.size(-1)); batched over leading dims."""
    if x._data.dtype == np.bool_:
        raise RuntimeError(
            "linalg.vander supports floating point, complex, and integer tensors, but got Bool"
        )
    n = (x._data.shape[-1] if x._data.ndim else 0) if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    return vander_powers(x.reshape(1) if x._data.ndim == 0 else x, n)


@lower_precision_function  # on PyTorch's autocast lower-precision lists
def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Mirrors ``torch.linalg.vecdot``: sum(x * y) along ``dim`` (real floating tensors)."""
    _check_float("linalg.vecdot", x)
    if x._data.dtype != y._data.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
            f"{scalar_type_name(x._data.dtype)} and y of type {scalar_type_name(y._data.dtype)} "
            "instead"
        )
    return (x * y).sum(dim)


def multi_dot(tensors) -> Tensor:
    """Mirrors ``torch.linalg.multi_dot``: the product of a chain of matrices (the first
    and last may be vectors), multiplied in the cheapest order."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first_vec, last_vec = tensors[0]._data.ndim == 1, tensors[-1]._data.ndim == 1
    mats = [t.unsqueeze(0) if first_vec and i == 0 else t for i, t in enumerate(tensors)]
    if last_vec:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i, t in enumerate(mats):
        if t._data.ndim != 2:
            which = "first" if i == 0 else "last" if i == len(mats) - 1 else ""
            raise RuntimeError(
                f"multi_dot(): the {which} tensor must be 1D or 2D but got {tensors[i]._data.ndim}D"
                if which
                else f"multi_dot(): tensor {i} must be 2D but got {tensors[i]._data.ndim}D"
            )
        if t._data.dtype != mats[0]._data.dtype:
            raise RuntimeError(
                "multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                f"{_type_meta(mats[0])} and tensor {i} {_type_meta(t)}"
            )
    for i in range(1, len(mats)):
        if mats[i]._data.shape[0] != mats[i - 1]._data.shape[1]:
            raise RuntimeError(
                f"multi_dot(): tensors {i - 1} and {i} with shapes {list(tensors[i - 1].shape)} "
                f"and {list(tensors[i].shape)} cannot be multiplied"
            )
    out = _chain(
        mats,
        _chain_order([t._data.shape[0] for t in mats] + [mats[-1]._data.shape[1]]),
        0,
        len(mats) - 1,
    )
    if last_vec:
        out = out.squeeze(-1)
    return out.squeeze(0) if first_vec else out


def _type_meta(t: Tensor) -> str:
    """A dtype as PyTorch's multi_dot names it (its C++ type: float, double, ...)."""
    name = scalar_type_name(t._data.dtype)
    return {"Float": "float", "Double": "double", "Long": "long int"}.get(name, name.lower())


def _chain_order(dims: list) -> list:
    """The matrix-chain split table (the classic dynamic program over product costs)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain(mats: list, split: list, i: int, j: int) -> Tensor:
    if i == j:
        return mats[i]
    k = split[i][j]
    return matmul(_chain(mats, split, i, k), _chain(mats, split, k + 1, j))


# Higham's degree-13 Padé coefficients and the 1-norm up to which they are exact in float64
_PADE13 = (
    64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
    129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
    40840800.0, 960960.0, 16380.0, 182.0, 1.0,
)  # fmt: skip
_PADE13_THETA = 5.371920351148152


def matrix_exp(A: Tensor) -> Tensor:
    """Mirrors ``torch.linalg.matrix_exp`` (``torch.matrix_exp``): the matrix exponential by
    scaling and squaring with a degree-13 Padé approximant (Higham 2005), built of
    differentiable ops."""
    check_matrix("linalg.matrix_exp", A)
    norm = float(np.abs(A._data).sum(-2).max()) if A._data.size else 0.0
    squarings = max(0, math.ceil(math.log2(norm / _PADE13_THETA))) if norm else 0
    X = A / 2**squarings if squarings else A
    b = _PADE13
    eye = make_tensor(to_backend(np.eye(A._data.shape[-1], dtype=A._data.dtype), A._data))
    X2 = matmul(X, X)
    X4 = matmul(X2, X2)
    X6 = matmul(X4, X2)
    U = matmul(X6, b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4 + b[3] * X2
    U = matmul(X, U + b[1] * eye)
    V = matmul(X6, b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2
    V = V + b[0] * eye
    E = Solve.apply(V - U, V + U)
    for _ in range(squarings):
        E = matmul(E, E)
    return name_node(E, "LinalgMatrixExpBackward0", A)


def matrix_power(A: Tensor, n: int) -> Tensor:
    """Mirrors ``torch.linalg.matrix_power``: A^n by repeated squaring (inv(A)^-n for
    negative n, the identity for 0)."""
    if not isinstance(n, int):
        raise TypeError(
            f"linalg_matrix_power(): argument 'n' (position 2) must be int, not {type(n).__name__}"
        )
    if A._data.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_power: The input tensor A must have at least 2 dimensions."
        )
    rows, cols = A._data.shape[-2:]
    if rows != cols:
        raise RuntimeError(
            f"linalg.matrix_power: A must be batches of square matrices, but they are {rows} by "
            f"{cols} matrices"
        )
    if n == 0:  # the identity, still in A's graph (a zero gradient) as in PyTorch
        eye = np.eye(A._data.shape[-1], dtype=A._data.dtype)
        eye = make_tensor(to_backend(np.broadcast_to(eye, A._data.shape).copy(), A._data))
        return where(make_tensor(np.zeros_like(A._data, dtype=bool)), A, eye)
    base, result = (inv(A) if n < 0 else A), None
    n = abs(n)
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


# the ATen op that PyTorch's errors of out= name, where it is not linalg_<name>
_ATEN = {
    "cholesky": "linalg_cholesky_ex",
    "cholesky_ex": "linalg_cholesky_ex",
    "det": "_linalg_det",
    "eigh": "_linalg_eigh",
    "eigvalsh": "_linalg_eigh",
    "inv": "linalg_inv_ex",
    "lu_factor": "linalg_lu_factor_ex",
    "lu_factor_ex": "linalg_lu_factor_ex",
    "matmul": "matmul",
    "matrix_power": "matmul",
    "multi_dot": "mm",
    "slogdet": "_linalg_slogdet",
    "solve": "_linalg_solve_ex",
    "solve_ex": "_linalg_solve_ex",
    "svd": "_linalg_svd",
    "svdvals": "_linalg_svd",
    "vecdot": "sum",
    "ldl_factor": "linalg_ldl_factor_ex",
    "ldl_factor_ex": "linalg_ldl_factor_ex",
}
for _name in __all__[1:]:  # the out= keyword of torch.linalg.<op> (after LinAlgError, a class)
    globals()[_name] = with_out(globals()[_name], aten=_ATEN.get(_name, f"linalg_{_name}"))
del _name
