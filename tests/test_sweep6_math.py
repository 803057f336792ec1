"""Compatibility sweep of linalg, special functions and the long tail of math ops (session 6):
short programs written as PyTorch users write them run with ``lib = minitorch`` and
``lib = torch`` and must give the same values, dtypes, shapes, ``requires_grad`` and gradients;
error programs must raise PyTorch's exception type with its message's key words. The programs
marked ``# fixed`` differed before session 6."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch


def _normal(x):
    """A library-independent form of a program's result."""
    if isinstance(x, (tuple, list)):
        return "sequence", type(x).__name__, [_normal(v) for v in x]
    if hasattr(x, "detach") and hasattr(x, "dtype"):
        return (
            "tensor",
            str(x.dtype).split(".")[-1],
            tuple(x.shape),
            x.requires_grad,
            x.detach().numpy(),
        )
    if type(x).__name__ == "dtype":
        return "dtype", str(x).split(".")[-1]
    return type(x).__name__, x


def _same(a, t) -> None:
    assert a[0] == t[0], (a, t)
    if a[0] == "sequence":
        assert a[1] == t[1] and len(a[2]) == len(t[2]), (a, t)
        for x, y in zip(a[2], t[2]):
            _same(x, y)
    elif a[0] == "tensor":
        assert a[1:4] == t[1:4], (a[1:4], t[1:4])
        if a[1] in ("float32", "float16", "bfloat16"):
            tol = dict(rtol=1e-5, atol=1e-6) if a[1] == "float32" else dict(rtol=1e-3)
        else:
            tol = dict(rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(a[4], t[4], equal_nan=True, **tol)
    elif a[0] == "float":
        assert a[1] == pytest.approx(t[1], rel=1e-6, nan_ok=True), (a, t)
    else:
        assert a[1] == t[1], (a, t)


def _run(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _normal(fn(lib))


PROGRAMS = {}
ERRORS = {}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


def error(exc, match: str):
    """A program that must raise ``exc`` in both libraries, messages matching ``match``."""

    def register(fn):
        ERRORS[fn.__name__] = (fn, exc, match)
        return fn

    return register


def _spd(lib, n=3, batch=(), dtype=None):
    """A fixed symmetric positive definite matrix (batched)."""
    a = lib.tensor(np.random.default_rng(n).standard_normal((*batch, n, n)), dtype=dtype)
    return a @ a.transpose(-1, -2) + n * lib.eye(n, dtype=dtype)


def _mat(lib, *shape, seed=0, dtype=None, grad=False):
    a = np.random.default_rng(seed).standard_normal(shape)
    return lib.tensor(a, dtype=dtype or lib.float64, requires_grad=grad)


# ---- linalg ------------------------------------------------------------------------------
@program
def linalg_vector_norms_every_ord(lib):
    x = _mat(lib, 3, 4, dtype=lib.float32)
    out = []
    for ord in (2, 1, 0, 3, -1, -2, float("inf"), float("-inf"), 0.5):
        out += [lib.linalg.vector_norm(x, ord), lib.linalg.vector_norm(x, ord, dim=1)]
        out.append(lib.linalg.vector_norm(x, ord, dim=(0, 1), keepdim=True))
    return out


@program
def linalg_matrix_norms_every_ord(lib):
    x = _mat(lib, 2, 3, 4)
    out = []
    for ord in ("fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf")):
        out += [lib.linalg.matrix_norm(x, ord), lib.linalg.matrix_norm(x, ord, dim=(0, 2))]
        out.append(lib.linalg.matrix_norm(x, ord, keepdim=True))
    return out


@program
def linalg_norm_defaults(lib):
    x = _mat(lib, 3, 4)
    v = _mat(lib, 5)
    return (
        lib.linalg.norm(x),
        lib.linalg.norm(v),
        lib.linalg.norm(x, "fro"),
        lib.linalg.norm(x, 2),
        lib.linalg.norm(x, dim=1),
        lib.linalg.norm(v, 3),
        lib.linalg.norm(x, float("inf"), dim=(0, 1)),
        lib.norm(x),
        lib.norm(x, p=1, dim=0),
        lib.norm(x, p="fro", dim=(0, 1)),
        lib.norm(x, p="nuc"),
        x.norm(dim=-1, keepdim=True),
    )


@program
def vector_norm_int_input_with_dtype(lib):
    x = lib.tensor([[3.0, 4.0], [1.0, 0.0]])
    return lib.linalg.vector_norm(x, dtype=lib.float64), lib.linalg.vector_norm(x.half())


@program
def norm_gradients_at_zero(lib):
    x = lib.zeros(3, requires_grad=True, dtype=lib.float64)
    y = lib.tensor([0.0, 2.0, -2.0], requires_grad=True, dtype=lib.float64)
    lib.linalg.vector_norm(x).backward()
    lib.linalg.vector_norm(y, float("inf")).backward()
    return x.grad, y.grad


@program
def matrix_norm_gradients(lib):
    out = []
    for ord in ("fro", "nuc", 2, 1, float("inf")):
        x = _mat(lib, 3, 4, grad=True)
        lib.linalg.matrix_norm(x, ord).backward()
        out.append(x.grad)
    return out


@program
def det_slogdet_batched(lib):
    a = _mat(lib, 2, 3, 3)
    s = lib.tensor([[1.0, 2.0], [2.0, 4.0]])
    sign, logabs = lib.linalg.slogdet(a)
    return (
        lib.linalg.det(a),
        sign,
        logabs,
        lib.det(a),
        lib.logdet(_spd(lib)),
        lib.linalg.det(s),
        lib.linalg.slogdet(s),  # fixed: was named slogdet, not linalg_slogdet
        lib.slogdet(a),
        lib.linalg.det(lib.empty(0, 0)),
    )


@program
def det_gradient(lib):
    a = _mat(lib, 2, 3, 3, grad=True)
    lib.linalg.det(a).sum().backward()
    b = _mat(lib, 3, 3, seed=1, grad=True)
    lib.linalg.slogdet(b).logabsdet.backward()
    return a.grad, b.grad


@program
def inv_and_inv_ex(lib):
    a = _mat(lib, 2, 3, 3)
    s = lib.tensor([[1.0, 2.0], [2.0, 4.0]])
    inv, info = lib.linalg.inv_ex(s)
    return lib.linalg.inv(a), lib.inverse(a), info, lib.linalg.inv_ex(a)


@error(RuntimeError, "singular")
def inv_singular_raises(lib):
    return lib.linalg.inv(lib.tensor([[1.0, 2.0], [2.0, 4.0]]))


@error(RuntimeError, "must be batches of square matrices")
def inv_non_square(lib):
    return lib.linalg.inv(lib.ones(2, 3))


@program
def solve_left_and_right(lib):
    a = _mat(lib, 3, 3, grad=True)
    b = _mat(lib, 3, 2, seed=1, grad=True)
    c = _mat(lib, 2, 3, seed=2)
    x = lib.linalg.solve(a, b)
    y = lib.linalg.solve(a, c, left=False)
    (x.sum() + y.square().sum()).backward()
    v = lib.linalg.solve(a.detach(), b.detach()[:, 0])
    return x, y, v, a.grad, b.grad, lib.linalg.solve_ex(a.detach(), b.detach())


@program
def solve_batched_broadcast(lib):
    a = _mat(lib, 2, 1, 3, 3)
    b = _mat(lib, 4, 3, 1, seed=3)
    return lib.linalg.solve(a, b), lib.linalg.solve(a, _mat(lib, 3, seed=5))


@program
def lstsq_outputs(lib):
    a = _mat(lib, 5, 3)
    b = _mat(lib, 5, 2, seed=1)
    r = lib.linalg.lstsq(a, b)
    r2 = lib.linalg.lstsq(a, b, driver="gelsd")
    return r.solution, r2.solution, r2.residuals, r2.rank, r2.singular_values


@program
def lstsq_rank_deficient_gelsd(lib):
    a = lib.tensor([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], dtype=lib.float64)
    b = lib.tensor([[1.0], [2.0], [3.0]], dtype=lib.float64)
    r = lib.linalg.lstsq(a, b, driver="gelsd")
    return r.solution, r.rank, r.singular_values, r.residuals


@program
def qr_modes(lib):
    a = _mat(lib, 4, 3)
    q, r = lib.linalg.qr(a)
    q2, r2 = lib.linalg.qr(a, mode="complete")
    _, r3 = lib.linalg.qr(a, mode="r")
    w = _mat(lib, 2, 5, seed=2)
    return q, r, q2, r2, r3, lib.linalg.qr(w), lib.qr(a), lib.qr(a, some=False), w.qr()  # fixed


@program
def qr_gradient(lib):
    a = _mat(lib, 4, 3, grad=True)
    q, r = lib.linalg.qr(a)
    (q.sum() + r.square().sum()).backward()
    return a.grad


@program
def svd_and_svdvals(lib):
    a = _mat(lib, 2, 4, 3, dtype=lib.float32)
    u, s, vh = lib.linalg.svd(a, full_matrices=False)
    recon = u @ lib.diag_embed(s) @ vh
    _, s2, _ = lib.linalg.svd(a)
    return recon, s, s2, lib.linalg.svdvals(a), lib.svd(a)[1], lib.svd(a, some=False)[2].shape


@program
def svd_gauge_invariant_gradient(lib):
    a = _mat(lib, 4, 3, grad=True)
    u, s, vh = lib.linalg.svd(a, full_matrices=False)
    (u @ vh).square().sum().backward()
    g1 = a.grad
    b = _mat(lib, 3, 5, seed=4, grad=True)
    lib.linalg.svdvals(b).sum().backward()
    c = _mat(lib, 3, 3, seed=6, grad=True)
    u, s, vh = lib.linalg.svd(c)
    (u[:, :1] @ vh[:1]).pow(3).sum().backward()
    return g1, b.grad, c.grad


@program
def eigh_uplo_and_gradient(lib):
    a = _mat(lib, 3, 3, grad=True)
    w, v = lib.linalg.eigh(a)
    wu, vu = lib.linalg.eigh(a, UPLO="U")
    (w.sum() + (v @ lib.diag(w) @ v.T).square().sum() + wu.pow(2).sum()).backward()
    return w, wu, lib.linalg.eigvalsh(a, "U"), a.grad, (v.abs() - vu.abs()).shape


@program
def cholesky_lower_upper(lib):
    a = _spd(lib, 3, (2,), dtype=lib.float64).requires_grad_()
    L = lib.linalg.cholesky(a)
    U = lib.linalg.cholesky(a, upper=True)
    (L.sum() + U.square().sum()).backward()
    info = lib.linalg.cholesky_ex(lib.tensor([[1.0, 2.0], [2.0, 1.0]])).info
    return L, U, a.grad, info, lib.cholesky(a.detach(), upper=True)


@error(RuntimeError, "not positive-definite")
def cholesky_not_pd(lib):
    return lib.linalg.cholesky(lib.tensor([[1.0, 2.0], [2.0, 1.0]]))


@program
def lu_family(lib):
    a = _mat(lib, 2, 3, 3)
    P, L, U = lib.linalg.lu(a)
    LU, piv = lib.linalg.lu_factor(a)
    b = _mat(lib, 2, 3, 2, seed=9)
    x = lib.linalg.lu_solve(LU, piv, b)
    xt = lib.linalg.lu_solve(LU, piv, b, adjoint=True)
    xl = lib.linalg.lu_solve(LU, piv, b.mT, left=False)
    P2, L2, U2 = lib.lu_unpack(LU, piv)
    return P, L, U, LU, piv, x, xt, xl, P2, L2, U2, lib.linalg.lu_factor_ex(a).info


@program
def lu_deprecated_forms(lib):  # fixed: torch.lu, torch.lu_solve, Tensor.lu/qr/cholesky missing
    a = _mat(lib, 2, 3, 3)
    b = _mat(lib, 2, 3, 1, seed=1)
    LU, piv = lib.lu(a)
    s = _spd(lib, 3, dtype=lib.float64)
    return (
        LU,
        piv,
        lib.lu(a, get_infos=True)[2],
        a.lu(),
        lib.lu_solve(b, LU, piv),
        b.lu_solve(LU, piv),
        s.cholesky(),
        s.cholesky(upper=True),
        b.triangular_solve(s.triu()).solution,
    )


@program
def lu_rectangular_and_gradient(lib):  # fixed: raised NotImplementedError for m != n
    a = _mat(lib, 3, 5, grad=True)
    P, L, U = lib.linalg.lu(a)
    (L.sum() + U.square().sum()).backward()
    t = _mat(lib, 2, 5, 3, seed=2, grad=True)
    LU, piv = lib.linalg.lu_factor(t)
    LU.sin().sum().backward()
    return P, L, U, a.grad, LU, t.grad


@program
def pinv_variants(lib):
    a = _mat(lib, 4, 3)
    s = _spd(lib, 3, dtype=lib.float64)
    r = lib.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=lib.float64)
    return (
        lib.linalg.pinv(a),
        lib.linalg.pinv(s, hermitian=True),
        lib.linalg.pinv(r),
        lib.linalg.pinv(a, rtol=0.5),
        lib.linalg.pinv(a, atol=1.0),
        lib.pinverse(a),
        lib.linalg.pinv(lib.zeros(2, 3)),
    )


@program
def matrix_rank_tolerances(lib):
    r = lib.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    return (
        lib.linalg.matrix_rank(r),
        lib.linalg.matrix_rank(r, hermitian=True),
        lib.linalg.matrix_rank(r, atol=2.0),
        lib.linalg.matrix_rank(r, rtol=0.5),
        lib.linalg.matrix_rank(r, tol=0.1),
        lib.linalg.matrix_rank(lib.zeros(2, 3, 3)),
        lib.linalg.matrix_rank(lib.eye(4, dtype=lib.float64)),
    )


@program
def matrix_power_and_exp(lib):
    a = _mat(lib, 2, 3, 3, grad=True)
    p = lib.linalg.matrix_power(a, 3)
    n = lib.linalg.matrix_power(a, -2)
    e = lib.linalg.matrix_exp(a * 0.5)
    (p.sum() + n.sum() + e.sum()).backward()
    i = lib.tensor([[1, 1], [0, 1]])
    return p, n, e, a.grad, lib.linalg.matrix_power(a, 0), lib.matrix_power(i, 5), lib.matrix_exp(a)


@program
def cross_vecdot_multi_dot(lib):
    a = _mat(lib, 4, 3, grad=True)
    b = _mat(lib, 1, 3, seed=1)
    c = lib.linalg.cross(a, b)
    d = lib.cross(a, b.expand(4, 3), dim=1)
    v = lib.linalg.vecdot(a, b)
    m = lib.linalg.multi_dot([_mat(lib, 3), _mat(lib, 3, 4, seed=3), _mat(lib, 4, seed=4)])
    m2 = lib.linalg.multi_dot([_mat(lib, 2, 3), _mat(lib, 3, 4, seed=3), _mat(lib, 4, 1, seed=4)])
    (c.sum() + v.sum()).backward()
    return c, d, v, m, m2, a.grad


@program
def tensorinv_tensorsolve(lib):
    a = lib.eye(4 * 6, dtype=lib.float64).reshape(4, 6, 8, 3) + 0.1 * _mat(lib, 4, 6, 8, 3)
    b = _mat(lib, 2, 3, 4, 2, 3, 4, seed=2)
    rhs = _mat(lib, 2, 3, 4, seed=3)
    return lib.linalg.tensorinv(a, ind=2), lib.linalg.tensorsolve(b, rhs)


@program
def diagonal_vander(lib):
    a = _mat(lib, 2, 3, 4)
    x = lib.tensor([1, 2, 3])
    return (
        lib.linalg.diagonal(a),
        lib.linalg.diagonal(a, offset=1, dim1=0, dim2=2),
        lib.linalg.vander(x),
        lib.linalg.vander(x.double(), N=5),
        lib.vander(x, N=4, increasing=True),
        lib.vander(x),
    )


@program
def cond_and_solve_triangular(lib):
    a = _mat(lib, 3, 3)
    t = lib.triu(a) + 3 * lib.eye(3, dtype=lib.float64)
    b = _mat(lib, 3, 2, seed=2)
    return (
        lib.linalg.cond(a),
        lib.linalg.cond(a, "fro"),
        lib.linalg.cond(a, 1),
        lib.linalg.solve_triangular(t, b, upper=True),
        lib.linalg.solve_triangular(t, b.T, upper=True, left=False),
        lib.linalg.solve_triangular(t, b, upper=True, unitriangular=True),
        lib.triangular_solve(b, t).solution,
        lib.cholesky_solve(b, lib.linalg.cholesky(_spd(lib, 3, dtype=lib.float64))),
        lib.cholesky_inverse(lib.linalg.cholesky(_spd(lib, 3, dtype=lib.float64))),
    )


@program
def linalg_float32_results_stay_float32(lib):
    a = _mat(lib, 3, 3, dtype=lib.float32)
    return (
        lib.linalg.inv(a).dtype,
        lib.linalg.det(a).dtype,
        lib.linalg.eigh(a).eigenvalues.dtype,
        lib.linalg.svd(a).S.dtype,
        lib.linalg.matrix_rank(a).dtype,
        lib.linalg.lu_factor(a).pivots.dtype,
        lib.linalg.lstsq(a, a).rank.dtype,
        lib.linalg.pinv(a).dtype,
        lib.linalg.norm(a).dtype,
    )


@error(RuntimeError, "Expected a floating point or complex tensor as input")
def vector_norm_of_int_raises(lib):
    return lib.linalg.vector_norm(lib.tensor([3, 4]))


@error(RuntimeError, "singular")
def solve_singular_raises(lib):
    return lib.linalg.solve(lib.zeros(2, 2), lib.ones(2))


@error(RuntimeError, "Expected a floating point")
def det_of_int_raises(lib):
    return lib.linalg.det(lib.tensor([[1, 2], [3, 4]]))


@error(RuntimeError, "linalg.matrix_norm: Order 3 not supported")
def matrix_norm_bad_ord(lib):
    return lib.linalg.matrix_norm(lib.ones(2, 2), ord=3)


@error(RuntimeError, "must have at least 2 dimensions")
def det_of_vector(lib):
    return lib.linalg.det(lib.ones(3))


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (2, 4, 2)])
def test_lu_rectangular_gradcheck(shape):  # fixed: wide and tall LU had no derivative
    from minitorch.autograd import gradcheck, gradgradcheck

    a = minitorch.tensor(np.random.default_rng(1).standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda x: tuple(minitorch.linalg.lu(x))[1:], (a,))
    assert gradgradcheck(lambda x: minitorch.linalg.lu_factor(x).LU, (a,))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_pytorch(name, torch):
    fn = PROGRAMS[name]
    _same(_run(fn, minitorch), _run(fn, torch))


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_matches_pytorch(name, torch):
    fn, exc, match = ERRORS[name]
    for lib in (torch, minitorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(exc, match=match):
                fn(lib)
