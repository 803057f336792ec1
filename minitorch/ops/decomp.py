"""Matrix functions and decompositions (numpy.linalg / cupy.linalg, batched over leading
dims), forward and backward side by side: inverse, det, slogdet, solve, cholesky, qr, eigh,
svd. Backward formulas are PyTorch's (written with Tensor ops, so they are differentiable
again); where a gradient is not implemented, backward raises and says what to use instead.
``minitorch.linalg`` builds its functions on these ops; the names PyTorch also has at top
level (det, inverse, logdet, slogdet, pinverse, svd, cholesky_solve, cholesky_inverse) are here."""

from __future__ import annotations

import numpy as np

from .._dtypes import scalar_type_name
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import cpu_float32_function
from ..autograd.function import Op, name_node
from ..autograd.grad_mode import state
from ..backends import device_of, get_backend, to_backend
from .elementwise import const, unbroadcast, where
from .layout import diag_embed, diagonal
from .linalg import Pinv
from .return_types import return_type
from .shape import cat, tril

_slogdet_result = return_type("slogdet", ("sign", "logabsdet"))
_svd_result = return_type("svd", ("U", "S", "V"))


# the ops whose integer inputs reach PyTorch's CPU kernel: its dispatch error (None: LAPACK's
# wrapper's RuntimeError)
_INTEGER_ERRORS = {
    "cholesky": "cholesky_cpu",
    "linalg.eigh": "linalg_eigh_cpu",
    "linalg.lu_factor_ex": "lu_cpu",
    "cholesky_solve": "cholesky_solve_cpu",
    "linalg.solve_triangular": "triangular_solve_cpu",
    "linalg.lstsq": None,
    "linalg.matrix_rank": None,
    "cholesky_inverse": "cholesky_inverse_out_cpu",
}


def check_matrix(name: str, A: Tensor, square: bool = True) -> None:
    """PyTorch's errors for linalg inputs: floating point (float32/64), at least 2-D,
    square when ``square``."""
    x = A._data
    if x.dtype.kind not in "fV" and name not in _INTEGER_ERRORS:
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got "
            f"{scalar_type_name(x.dtype)}"
        )
    if x.dtype.kind in "fV" and x.dtype.itemsize == 2:  # float16 and bfloat16
        raise RuntimeError(
            f"{name}: Low precision dtypes not supported. Got {scalar_type_name(x.dtype)}: "
            "convert with .float()"
        )
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and x.shape[-1] != x.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {x.shape[-2]} by "
            f"{x.shape[-1]} matrices"
        )
    if x.dtype.kind not in "fV":  # (the kernel's dispatch: after the shape checks)
        kernel = _INTEGER_ERRORS[name]
        if kernel is None:
            raise RuntimeError("This function doesn't handle types other than float and double")
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(x.dtype)}'")


def _eye_like(x: Tensor, n: int) -> Tensor:
    return make_tensor(to_backend(np.eye(n, dtype=x._data.dtype), x._data))


class LinAlgError(RuntimeError):
    """Mirrors ``torch.linalg.LinAlgError``: a factorization or solve failed on a singular or
    not positive-definite input (a RuntimeError, as in PyTorch)."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"  # as torch._C._LinAlgError


def checked(fn, *args, **kwargs):
    """``fn`` (of numpy.linalg) on ``args``, raising numpy's LinAlgError for a singular or
    not positive-definite input on every device (cupy's only when its backend asks)."""
    with get_backend(device_of(args[0])).linalg_errors():
        return fn(*args, **kwargs)


def _failed(message: str):
    """Runs numpy.linalg, turning its LinAlgError into PyTorch's ``linalg.LinAlgError``."""

    def run(fn, *args, **kwargs):
        try:
            return checked(fn, *args, **kwargs)
        except np.linalg.LinAlgError:
            raise LinAlgError(message) from None

    return run


_inv = _failed("linalg.inv: The input matrix is singular.")
_solve = _failed(
    "linalg.solve: The solver failed because the input matrix is singular (linalg.lstsq or "
    "linalg.pinv handle singular systems)"
)
_cholesky = _failed(
    "linalg.cholesky: The factorization could not be completed because the input is not "
    "positive-definite (add a small multiple of the identity for numerical safety)"
)


class Inv(Op):
    torch_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        out = _inv(np.linalg.inv, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        t = out.mT
        return -(t @ g @ t)


class Det(Op):
    torch_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        out = np.linalg.det(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if a.shape[-1] == 1:  # det(a) = a: the adjugate of any 1 x 1 matrix is 1
            return g[..., None, None].expand(a.shape)
        if out._data.all():
            return (g * out)[..., None, None] * inverse(a).mT
        u, s, vh = Svd.apply(a, False)  # the adjugate's transpose from the SVD
        sign = const(np.linalg.det(u._data) * np.linalg.det(vh._data))
        eye = const(np.eye(s.shape[-1], dtype=bool))
        others = where(eye, 1.0, s.unsqueeze(-2)).prod(-1)  # prod of s_j, j != i
        adjugate = (g * sign)[..., None, None] * ((u * others.unsqueeze(-2)) @ vh)
        if state.enabled:  # create_graph: PyTorch takes the SVD's adjugate too
            return adjugate
        # PyTorch's first-order formula is det * A^-T (zero pivots nudged): zero where det == 0
        singular = const((out._data == 0)[..., None, None])
        return where(singular, (g * out)[..., None, None].expand_as(adjugate), adjugate)


class Slogdet(Op):
    torch_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, a):
        sign, logabs = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return sign, logabs  # sign requires grad (its gradient is zero), as in PyTorch

    @staticmethod
    def backward(ctx, gsign, glog):
        (a,) = ctx.saved_tensors
        return glog[..., None, None] * inverse(a).mT  # sign is piecewise constant


class Solve(Op):
    """X = A^-1 B for B of shape (..., n, k), batch dims broadcast; ``upper`` (True/False)
    when A is triangular: an exactly singular A then gives LAPACK trsm's inf/nan, no error."""

    @staticmethod
    def forward(ctx, a, b, upper=None):
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        # both at the full batch shape: cupy.linalg.solve does not broadcast (numpy's does)
        full_a = np.broadcast_to(a, batch + a.shape[-2:])
        full_b = np.broadcast_to(b, batch + b.shape[-2:])
        try:
            out = checked(np.linalg.solve, full_a, full_b)
        except np.linalg.LinAlgError:
            if upper is None:
                raise LinAlgError(_singular_message(full_a)) from None
            out = _substitute(full_a, full_b, upper)
        ctx.save_for_backward(a, out)
        ctx.shapes, ctx.upper = (a.shape, b.shape), upper
        return out

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        sa, sb = ctx.shapes
        na, nb, *upper = ctx.needs_input_grad
        if ctx.upper is None:
            gb = Solve.apply(a.mT, g)
        else:
            gb = Solve.apply(a.mT, g, not ctx.upper)
        ga = unbroadcast(-(gb @ x.mT), sa) if na else None
        return (ga, unbroadcast(gb, sb) if nb else None, *[None] * len(upper))


def _singular_message(a) -> str:
    """PyTorch's error of linalg.solve for the first exactly singular matrix of ``a``."""
    batch = ""
    if a.ndim > 2:
        flat = a.reshape((-1,) + a.shape[-2:])
        i = next((i for i, m in enumerate(flat) if _is_singular(m)), 0)
        batch = f"(Batch element {i}): "
    return f"torch.linalg.solve: {batch}The solver failed because the input matrix is singular."


def _is_singular(m) -> bool:
    try:
        checked(np.linalg.inv, m)
    except np.linalg.LinAlgError:
        return True
    return False


def _substitute(a, b, upper: bool):
    """Back (``upper``) or forward substitution of triangular ``a`` with a zero on its
    diagonal, as BLAS's trsm: its rows divide by zero (inf, or nan for 0/0)."""
    x = b.astype(np.result_type(a.dtype, b.dtype), copy=True)
    n = a.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in reversed(range(n)) if upper else range(n):
            row = x[..., j, :] / a[..., j, j, None]
            x[..., j, :] = row
            rest = slice(0, j) if upper else slice(j + 1, n)
            x[..., rest, :] -= a[..., rest, j, None] * row[..., None, :]
    return x


class CholeskySolve(Op):
    """X = (L L^T)^-1 B from the factor's triangle only (A = U^T U when ``upper``), batch dims
    broadcast. As PyTorch's, the factor's gradient treats it as a dense matrix."""

    @staticmethod
    def forward(ctx, b, factor, upper):
        lower = np.triu(factor).swapaxes(-1, -2) if upper else np.tril(factor)
        batch = np.broadcast_shapes(b.shape[:-2], factor.shape[:-2])
        lower = np.broadcast_to(lower, batch + lower.shape[-2:])
        y = _solve(np.linalg.solve, lower, np.broadcast_to(b, batch + b.shape[-2:]))
        out = _solve(np.linalg.solve, lower.swapaxes(-1, -2), y)
        ctx.save_for_backward(factor, out)
        ctx.shapes, ctx.upper = (b.shape, factor.shape), upper
        return out

    @staticmethod
    def backward(ctx, g):
        factor, x = ctx.saved_tensors
        sb, sf = ctx.shapes
        nb, nf, _ = ctx.needs_input_grad
        gb = CholeskySolve.apply(g, factor, ctx.upper)
        gf = None
        if nf:
            common = gb @ x.mT
            common = common + common.mT
            gf = unbroadcast(-(factor @ common if ctx.upper else common @ factor), sf)
        return unbroadcast(gb, sb) if nb else None, gf, None


class Cholesky(Op):
    """A = L L^T, L lower triangular (only A's lower triangle is read)."""

    torch_name = "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, a):
        out = _cholesky(np.linalg.cholesky, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (L,) = ctx.saved_tensors
        p = L.mT @ g
        phi = tril(p) - diag_embed(diagonal(p, 0, -2, -1)) * 0.5
        l_inv = Inv.apply(L)
        ga = l_inv.mT @ phi @ l_inv
        return (ga + ga.mT) * 0.5


class Qr(Op):
    """A = QR (numpy's Householder QR, as LAPACK's geqrf in PyTorch). Gradient in mode
    'reduced', and in mode 'complete' for inputs with rows <= columns."""

    torch_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, a, mode):
        q, r = np.linalg.qr(a, mode="reduced" if mode == "r" else mode)
        ctx.mode = mode
        ctx.save_for_backward(q, r)
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when "
                "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to "
                "differentiate through linalg.qr."
            )
        if m < n:  # A = [X | Y] = Q [U | V]: X's square QR, and V = Q^T Y feeds back into Q
            u, v, gu, gv = r[..., :m], r[..., m:], gr[..., :m], gr[..., m:]
            gx = _qr_backward(gq + (q @ v) @ gv.mT, gu, q, u)
            return cat([gx, q @ gv], -1), None
        if q.shape[-1] != n:
            raise RuntimeError(
                "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
            )
        return _qr_backward(gq, gr, q, r), None


def _qr_backward(gq: Tensor, gr: Tensor, q: Tensor, r: Tensor) -> Tensor:
    """The gradient of A = QR for A with rows >= columns and reduced Q (PyTorch's formula)."""
    # M = R gR^T - gQ^T Q; gA = (gQ + Q copyltu(M)) R^-T, copyltu mirroring M's lower half
    m_ = r @ gr.mT - gq.mT @ q
    b = gq + q @ (tril(m_) + tril(m_, -1).mT)
    return Solve.apply(r, b.mT, True).mT  # r triangular: a singular one gives inf/nan


class Eigh(Op):
    """A = V diag(L) V^T for symmetric A (its ``uplo`` triangle is read), L ascending."""

    torch_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, a, uplo):
        values, vectors = np.linalg.eigh(a, UPLO=uplo)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(values, vectors)
        return values, vectors

    @staticmethod
    def backward(ctx, gl, gv):
        values, vectors = ctx.saved_tensors
        inner = diag_embed(gl) if gl is not None else 0.0
        if gv is not None:  # skew(V^T gV) / (L_j - L_i) off the diagonal
            vgv = vectors.mT @ gv
            gap = values.unsqueeze(-2) - values.unsqueeze(-1) + _eye_like(values, values.shape[-1])
            inner = inner + (vgv - vgv.mT) * 0.5 / gap
        return vectors @ inner @ vectors.mT, None


class Svd(Op):
    """A = U diag(S) Vh, S descending. With full_matrices=True on a non-square input, the
    gradients of the extra columns of U (rows of Vh) are ignored, as in PyTorch: those
    vectors are an arbitrary basis of their subspace."""

    torch_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
        if u.shape[-1] != k:
            u, gu = u[..., :k], None if gu is None else gu[..., :k]
        if vh.shape[-2] != k:
            vh, gvh = vh[..., :k, :], None if gvh is None else gvh[..., :k, :]
        inner = diag_embed(gs) if gs is not None else 0.0
        if gu is not None or gvh is not None:
            s2 = s * s
            gap = s2.unsqueeze(-2) - s2.unsqueeze(-1) + _eye_like(s, k)  # s_j^2 - s_i^2
            if gu is not None:
                utgu = u.mT @ gu
                inner = inner + (utgu - utgu.mT) / gap * s.unsqueeze(-2)
            if gvh is not None:
                vtgv = vh @ gvh.mT
                inner = inner + s.unsqueeze(-1) * ((vtgv - vtgv.mT) / gap)
        ga = u @ inner @ vh if isinstance(inner, Tensor) else None
        if m > k and gu is not None:  # (I - U U^T) gU S^-1 Vh
            gus = gu / s.unsqueeze(-2)
            ga = ga + (gus - u @ (u.mT @ gus)) @ vh
        if n > k and gvh is not None:  # U S^-1 gVh (I - V Vh)
            gvs = gvh / s.unsqueeze(-1)
            ga = ga + u @ (gvs - (gvs @ vh.mT) @ vh)
        return ga, None


# ---- the names PyTorch has at top level ------------------------------------------------------
@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def inverse(input: Tensor) -> Tensor:
    """Mirrors ``torch.inverse`` / ``torch.linalg.inv``."""
    check_matrix("linalg.inv", input)
    try:
        return Inv.apply(input)
    except LinAlgError:
        from .._linalg_lu import singular_inverse  # noqa: PLC0415 (it imports this module)

        raise singular_inverse("linalg.inv", input) from None


def det(input: Tensor) -> Tensor:
    """Mirrors ``torch.det`` / ``torch.linalg.det`` (gradient where det != 0)."""
    check_matrix("linalg.det", input)
    return Det.apply(input)


def slogdet(input: Tensor):
    """Mirrors ``torch.slogdet`` / ``torch.linalg.slogdet``: (sign, log|det|)."""
    check_matrix("linalg.slogdet", input)
    return _slogdet_result(*Slogdet.apply(input))


def logdet(input: Tensor) -> Tensor:
    """Mirrors ``torch.logdet``: log(det), NaN for a negative determinant."""
    sign, logabs = slogdet(input)
    return where(const(sign._data < 0), float("nan"), logabs)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def svd(input: Tensor, some: bool = True, compute_uv: bool = True):
    """Mirrors ``torch.svd`` (the older API): (U, S, V) with V, not V^T; reduced unless
    ``some=False``; zero U and V when ``compute_uv=False``."""
    check_matrix("linalg.svd", input, square=False)
    u, s, vh = Svd.apply(input, not some)
    if not compute_uv:  # PyTorch: zero-filled square U and V
        m, n = input._data.shape[-2:]

        def zeros(k):
            return make_tensor(np.zeros_like(input._data, shape=input._data.shape[:-2] + (k, k)))

        return _svd_result(zeros(m), s, zeros(n))
    return _svd_result(u, s, vh.mT)


def pinv(A: Tensor, *, atol=None, rtol=None, hermitian: bool = False) -> Tensor:
    """Mirrors ``torch.linalg.pinv``: V diag(1/s) U^T over the singular values s above
    max(atol, rtol * s_max) (rtol defaults to eps * max(rows, cols) when neither is
    given); from eigh when ``hermitian``. One node with PyTorch's gradient (see Pinv)."""
    if A._data.dtype.kind in "biu":  # PyTorch's check of its Tensor-tolerance overload
        raise RuntimeError(
            f"linalg.pinv({scalar_type_name(A._data.dtype)}{{{list(A.shape)}}}): expected a "
            "tensor with 2 or more dimensions of float, double, cfloat or cdouble types"
        )
    check_matrix("linalg.pinv", A, square=hermitian)
    m, n = A._data.shape[-2:]
    if rtol is None:
        rtol = np.finfo(A._data.dtype).eps * max(m, n) if atol is None else 0.0
    return Pinv.apply(A, atol, rtol, hermitian)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """Mirrors ``torch.pinverse``: the pseudo-inverse, singular values below ``rcond`` times
    the largest dropped."""
    return pinv(input, rtol=rcond)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
    """Mirrors ``torch.cholesky_solve``: X with A X = B for B = ``input`` and A = L L^T given
    its Cholesky factor L = ``input2`` (A = U^T U when ``upper``); batch dims broadcast. As in
    PyTorch, only the factor's triangle is read, and its gradient treats it as dense."""
    b, factor = input._data, input2._data
    if b.ndim < 2:
        raise RuntimeError(
            f"cholesky_solve: b should have at least 2 dimensions, but has {b.ndim} dimensions "
            "instead (add a trailing dim with .unsqueeze(-1))"
        )
    check_matrix("cholesky_solve", input2)
    if b.dtype != factor.dtype:
        raise RuntimeError(
            f"cholesky_solve: Expected b and A to have the same dtype, but found b of type "
            f"{input.dtype} and A of type {input2.dtype} instead"
        )
    n = factor.shape[-1]
    if b.shape[-2] != n:
        raise RuntimeError(
            f"Incompatible matrix sizes for cholesky_solve: each A matrix is {n} by {n} but "
            f"each b matrix is {b.shape[-2]} by {b.shape[-1]}"
        )
    return CholeskySolve.apply(input, input2, upper)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:
    """Mirrors ``torch.cholesky_inverse``: A^-1 for A = L L^T given L (A = U^T U when
    ``upper``)."""
    check_matrix("cholesky_inverse", input)
    out = cholesky_solve(_eye_like(input, input._data.shape[-1]), input, upper)
    return name_node(out, "CholeskyInverseBackward0")
