"""Compatibility sweep of linalg, special functions and the long tail of math ops (session 6):
short programs written as PyTorch users write them run with ``lib = minitorch`` and
``lib = torch`` and must give the same values, dtypes, shapes, ``requires_grad`` and gradients;
error programs must raise PyTorch's exception type with its message's key words. The programs
marked ``# fixed`` differed before session 6."""

from __future__ import annotations

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch

SWEEP = Sweep(float64={"rtol": 1e-8, "atol": 1e-12})
program = SWEEP.program
error = SWEEP.error


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


# ---- special functions -------------------------------------------------------------------
_EDGES = [
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.0,
    -1.0,
    2.5,
    -3.7,
    10.0,
    30.0,
    -30.0,
    1e-8,
    float("inf"),
    float("-inf"),
    float("nan"),
]


def _edges(lib, dtype=None):
    return lib.tensor(_EDGES, dtype=dtype or lib.float32)


@program
def special_error_functions(lib):
    x = _edges(lib)
    u = lib.tensor([-1.0, -0.99, -0.5, 0.0, 0.3, 0.999, 1.0, 1.5, float("nan")])
    sp = lib.special
    return (
        sp.erf(x),
        sp.erfc(x),
        sp.erfcx(x),
        sp.erfinv(u),
        lib.erfinv(u.double()),
        sp.erfcx(x.double()),
        sp.ndtr(x),
        sp.ndtri(u.abs()),
        sp.log_ndtr(x),
        sp.log_ndtr(x.double()),
    )


@program
def special_gamma_family(lib):  # fixed: trigamma at poles and +-inf
    x = _edges(lib, lib.float64)
    sp = lib.special
    pos = lib.tensor([0.5, 1.0, 2.5, 7.0, 100.0], dtype=lib.float64)
    return (
        sp.gammaln(x),
        sp.digamma(x),
        sp.psi(x),
        sp.polygamma(1, x),
        sp.polygamma(3, pos),
        sp.multigammaln(pos + 2, 3),
        lib.lgamma(x.float()),
        lib.digamma(lib.tensor([0.0, -2.0, -2.5])),
        lib.mvlgamma(pos + 1, p=2),
        sp.gammainc(pos, pos * 1.5),
        sp.gammaincc(pos, pos * 0.5),
        lib.igamma(pos.float(), lib.tensor(2.0)),
        lib.igammac(lib.tensor([0.0, 1.0]), lib.tensor([0.0, 0.0])),
    )


@program
def special_bessel_family(lib):
    x = _edges(lib, lib.float64)
    sp = lib.special
    return (
        sp.i0(x),
        sp.i0e(x),
        sp.i1(x),
        sp.i1e(x),
        lib.i0(x.float()),
        sp.bessel_j0(x),
        sp.bessel_j1(x),
        sp.bessel_y0(x.abs()),
        sp.bessel_y1(x.abs()),
        sp.modified_bessel_i0(x),
        sp.modified_bessel_i1(x),
        sp.modified_bessel_k0(x.abs()),
        sp.modified_bessel_k1(x.abs()),
        sp.scaled_modified_bessel_k0(x.abs()),
        sp.scaled_modified_bessel_k1(x.abs()),
        sp.spherical_bessel_j0(x),
        sp.airy_ai(x),
    )


@program
def special_logit_entropy_family(lib):
    p = lib.tensor([0.0, 1e-7, 0.25, 0.5, 1.0, 1.5, -0.1, float("nan")])
    x = _edges(lib)
    sp = lib.special
    return (
        sp.logit(p),
        sp.logit(p, eps=1e-6),
        lib.logit(p.double(), 0.1),
        sp.expit(x),
        sp.entr(p),
        sp.sinc(x),
        sp.xlogy(p, p),
        sp.xlog1py(p, p - 0.5),
        sp.xlogy(0.0, x),
        sp.xlogy(p, 2.0),
        sp.log1p(x),
        sp.expm1(x),
        sp.exp2(x),
        sp.round(x * 1.25),
        sp.round(x * 1.25, decimals=1),
    )


@program
def special_zeta_and_polynomials(lib):
    sp = lib.special
    x = lib.tensor([-1.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.0], dtype=lib.float64)
    n = lib.tensor([0, 1, 2, 3, 5, 6, 7])
    out = [
        sp.zeta(lib.tensor([2.0, 3.0, 1.0, 0.5, 4.0]), lib.tensor([1.0, 2.0, 1.0, 1.0, -1.5])),
        sp.zeta(2.0, lib.tensor([1.0, 3.0])),
    ]
    for f in (
        "chebyshev_polynomial_t",
        "chebyshev_polynomial_u",
        "chebyshev_polynomial_v",
        "chebyshev_polynomial_w",
        "hermite_polynomial_h",
        "hermite_polynomial_he",
        "laguerre_polynomial_l",
        "legendre_polynomial_p",
        "shifted_chebyshev_polynomial_t",
        "shifted_chebyshev_polynomial_u",
    ):
        out += [getattr(sp, f)(x, n), getattr(sp, f)(x, 3)]
    return out


@program
def special_int_inputs_promote(lib):
    i = lib.tensor([0, 1, 2, 5])
    sp = lib.special
    return (
        sp.erf(i),
        sp.gammaln(i),
        sp.digamma(i),
        sp.i0(i),
        sp.expit(i),
        sp.ndtr(i),
        sp.sinc(i),
        sp.xlogy(i, i),
        sp.entr(i),
        sp.bessel_j0(i),
        sp.log_ndtr(i),
        lib.lgamma(i),
        sp.exp2(i),
        sp.logit(i),
        sp.erfcx(i),
        sp.polygamma(1, i),
        lib.special.zeta(i + 2, i + 1),
        sp.softmax(i, 0, dtype=lib.float64),
        sp.logsumexp(i.float(), 0),
        sp.i1e(i.bool()),
    )


@program
def special_softmax_logsumexp(lib):
    x = lib.tensor([[1.0, float("-inf"), 3.0], [float("-inf"), float("-inf"), float("-inf")]])
    sp = lib.special
    return (
        sp.softmax(x, 1),
        sp.log_softmax(x, -1),
        sp.logsumexp(x, 1),
        sp.logsumexp(x, (0, 1), keepdim=True),
        lib.logsumexp(lib.tensor([float("inf"), 1.0]), 0),
        lib.logsumexp(lib.empty(0), 0),
        sp.softmax(x.half(), 0, dtype=lib.float32),
        lib.logsumexp(lib.tensor([[1, 2]]), 1),
    )


@program
def special_gradients(lib):
    out = []
    x = lib.tensor([0.3, 1.5, 2.0, 4.0], dtype=lib.float64, requires_grad=True)
    sp = lib.special
    fns = [
        sp.erf,
        sp.erfc,
        sp.erfcx,
        sp.gammaln,
        sp.digamma,
        sp.i0,
        sp.i0e,
        sp.i1,
        sp.i1e,
        sp.ndtr,
        sp.log_ndtr,
        sp.expit,
        sp.sinc,
        sp.entr,
        sp.erfinv,
        lib.lgamma,
        lambda t: sp.polygamma(2, t),
        lambda t: sp.multigammaln(t + 2, 2),
        lambda t: sp.xlogy(t, t + 1),
        lambda t: sp.xlog1py(t, t),
        lambda t: sp.logit(t / 5),
        lambda t: sp.ndtri(t / 5),
        lambda t: sp.logsumexp(t, 0),
        lambda t: sp.log_softmax(t, 0),
    ]
    for f in fns:
        (g,) = lib.autograd.grad(f(x).sum(), x)
        out.append(g)
    return out


@program
def special_gradients_at_edges(lib):
    x = lib.tensor([0.0, 1.0, float("inf")], dtype=lib.float64, requires_grad=True)
    p = lib.tensor([0.0, 1.0, 0.5], dtype=lib.float64, requires_grad=True)
    sp = lib.special
    out = []
    for f in (sp.sinc, sp.erf, sp.expit, sp.log_ndtr):
        out.append(lib.autograd.grad(f(x).sum(), x)[0])
    for f in (sp.entr, lambda t: sp.xlogy(t, t), lambda t: sp.logit(t, 1e-3), lib.sqrt):
        out.append(lib.autograd.grad(f(p).sum(), p)[0])
    return out


@error(NotImplementedError, "derivative for .*is not implemented")
def special_zeta_grad_not_implemented(lib):
    x = lib.tensor([2.0, 3.0], requires_grad=True)
    lib.special.zeta(x, lib.tensor(1.0)).sum().backward()


@program
def special_bessel_outputs_do_not_require_grad(lib):  # PyTorch records no graph for them
    x = lib.tensor([2.0, 3.0], requires_grad=True)
    sp = lib.special
    fns = (sp.bessel_j0, sp.bessel_y1, sp.modified_bessel_k0, sp.airy_ai, sp.spherical_bessel_j0)
    return [f(x).requires_grad for f in fns]


@error(NotImplementedError, "derivative for .*is not implemented")
def igamma_grad_wrt_a_not_implemented(lib):
    a = lib.tensor([2.0, 3.0], requires_grad=True)
    lib.igamma(a, lib.tensor([1.0, 1.0])).sum().backward()


@program
def mvlgamma_below_domain_is_inf(lib):  # PyTorch 2.13 no longer raises
    return lib.mvlgamma(lib.tensor([0.5, 2.0]), p=3), lib.special.multigammaln(lib.tensor([0.9]), 3)


@error(RuntimeError, "polygamma")
def polygamma_negative_order(lib):
    return lib.polygamma(-1, lib.tensor([1.0]))


# ---- top-level math ----------------------------------------------------------------------
@program
def float_manipulation(lib):
    x = lib.tensor([1.0, -2.5, 0.0, -0.0, 3e-39, float("inf"), float("nan"), 1024.0])
    m, e = lib.frexp(x[:-2])
    return (
        m,
        e,
        lib.ldexp(x, lib.tensor([2])),
        lib.ldexp(lib.tensor([1.0]), lib.tensor([-2, 3])),
        lib.nextafter(x, lib.tensor(0.0)),
        lib.nextafter(x.double(), lib.tensor(float("inf"), dtype=lib.float64)),
        lib.copysign(x, -1),
        lib.copysign(lib.tensor([1, 2]), lib.tensor([-0.0, 0.0])),
        lib.heaviside(x, lib.tensor(0.5)),
        lib.heaviside(lib.tensor([-1, 0, 2]), lib.tensor([7])),
        lib.hypot(x, lib.tensor(3.0)),
        lib.logaddexp(x, x),
        lib.logaddexp2(x, lib.tensor(1.0)),
        lib.frexp(lib.tensor([0.75], dtype=lib.float64)),
    )


@program
def float_power_true_divide_fmod(lib):  # fixed: remainder by inf gave nan
    a = lib.tensor([7, -7, 7, -7, 0])
    b = lib.tensor([2, 2, -2, -2, 3])
    f = lib.tensor([5.5, -5.5, 5.5, -5.5, -0.0])
    g = lib.tensor([2.0, 2.0, -2.0, -2.0, 0.0])
    return (
        lib.float_power(a, 2),
        lib.float_power(f, b),
        lib.float_power(2, b),
        a.float_power(0.5),
        lib.true_divide(a, b),
        lib.true_divide(a, 2),
        lib.fmod(a, b),
        lib.remainder(a, b),
        lib.fmod(f, g),
        lib.remainder(f, g),
        lib.fmod(f, 2),
        lib.remainder(-3, b),
        lib.remainder(f, float("inf")),
        lib.fmod(f, float("inf")),
    )


@program
def copysign_hypot_gradients(lib):
    x = lib.tensor([1.0, -2.0, 3.0], dtype=lib.float64, requires_grad=True)
    y = lib.tensor([-1.0, 2.0, 0.0], dtype=lib.float64, requires_grad=True)
    z = lib.copysign(x, y) + lib.hypot(x, y) + lib.logaddexp(x, y) + lib.logaddexp2(x, y)
    z = z + lib.float_power(x.abs(), y) + lib.fmod(x, 1.5) + lib.remainder(y, 1.5)
    z.sum().backward()
    return x.grad, y.grad


@program
def trapezoid_family(lib):
    y = lib.tensor([[1.0, 2.0, 4.0, 7.0], [0.0, 1.0, 0.0, -1.0]])
    x = lib.tensor([0.0, 0.5, 2.0, 2.5])
    return (
        lib.trapezoid(y),
        lib.trapezoid(y, dx=0.5),
        lib.trapezoid(y, x),
        lib.trapezoid(y, dim=0),
        lib.trapz(y, x),
        lib.trapz(y, dx=2),
        lib.cumulative_trapezoid(y),
        lib.cumulative_trapezoid(y, x),
        lib.cumulative_trapezoid(y, dx=3.0, dim=0),
        lib.trapezoid(lib.tensor([1, 2, 3])),
        lib.trapezoid(y, x.expand(2, 4)),
        lib.trapezoid(lib.ones(1)),
    )


@program
def histc_histogram_bincount(lib):
    x = lib.tensor([1.0, 2.0, 1.0, 2.5, 4.0, -1.0, 7.0])
    w = lib.tensor([0.5, 1.0, 1.5, 2.0, 1.0, 1.0, 1.0])
    h = lib.histogram(x, bins=4)
    h2 = lib.histogram(x, bins=lib.tensor([0.0, 1.0, 2.0, 5.0]), weight=w, density=True)
    h3 = lib.histogram(x, 3, range=(0.0, 3.0), density=True)
    return (
        lib.histc(x, bins=4, min=0, max=3),
        lib.histc(x),
        lib.histc(x.double(), 5),
        h.hist,
        h.bin_edges,
        h2,
        h3,
        lib.histc(lib.tensor([2.0, 2.0]), bins=3),
        lib.bincount(lib.tensor([0, 1, 1, 3])),
        lib.bincount(lib.tensor([0, 1, 1, 3]), w[:4]),
        lib.bincount(lib.tensor([2, 2]), minlength=5),
        lib.bincount(lib.tensor([], dtype=lib.int64)),
        lib.bincount(lib.tensor([0, 1]), weights=lib.tensor([1, 2])),
        lib.bincount(lib.tensor([0, 1]), weights=lib.tensor([1.0, 2.0], dtype=lib.float64)),
        x.histc(3),
    )


@program
def bucketize_searchsorted(lib):
    b = lib.tensor([1, 3, 5, 7, 9])
    v = lib.tensor([[3, 6, 9], [3, 6, 9]])
    u = lib.tensor([5.0, 1.0, 3.0, 2.0])
    srt = lib.argsort(u)
    return (
        lib.bucketize(v, b),
        lib.bucketize(v, b, right=True),
        lib.bucketize(v, b, out_int32=True),
        lib.searchsorted(b, v),
        lib.searchsorted(b, v, right=True),
        lib.searchsorted(b, v, side="right"),
        lib.searchsorted(u, lib.tensor([2.5, 0.0, 9.0]), sorter=srt),
        lib.searchsorted(lib.tensor([[1, 3, 5], [2, 4, 6]]), lib.tensor([[3], [3]])),
        lib.searchsorted(b, 4),
        lib.bucketize(4, b),
        lib.searchsorted(b.float(), v),
        lib.searchsorted(lib.tensor([1.0, 2.0]), lib.tensor([float("nan"), 2.0])),
    )


@program
def scans_cummax_logcumsumexp(lib):
    x = lib.tensor([[1.0, 3.0, 2.0, 3.0], [float("nan"), 0.0, 5.0, -1.0]])
    i = lib.tensor([3, 1, 4, 1, 5])
    cm = lib.cummax(x, 1)
    return (
        cm.values,
        cm.indices,
        lib.cummin(x, 1),
        lib.cummax(i, 0),
        lib.cummin(x, 0),
        lib.logcumsumexp(x, 1),
        lib.logcumsumexp(lib.tensor([float("-inf"), 0.0, float("inf")]), 0),
        x.cummax(dim=-1).indices,
        lib.cummax(lib.tensor(2.0), 0),
    )


@program
def scan_gradients(lib):
    x = lib.tensor(
        [[1.0, 3.0, 2.0, 3.0], [4.0, 0.0, 5.0, -1.0]], dtype=lib.float64, requires_grad=True
    )
    (
        lib.cummax(x, 1).values.sum() + lib.cummin(x, 0).values.sum() + lib.logcumsumexp(x, 1).sum()
    ).backward()
    return x.grad


@program
def diff_and_gradient(lib):
    x = lib.tensor([[1.0, 4.0, 9.0, 16.0], [2.0, 3.0, 5.0, 8.0]])
    return (
        lib.diff(x),
        lib.diff(x, n=2),
        lib.diff(x, dim=0),
        lib.diff(x, prepend=lib.zeros(2, 1)),
        lib.diff(x, append=x[:, :2], n=3),
        lib.diff(lib.tensor([True, False, False])),
        lib.diff(lib.tensor([1, 5, 2])),
        lib.diff(x, n=5),
        lib.gradient(x),
        lib.gradient(x, dim=1),
        lib.gradient(x, spacing=2.0),
        lib.gradient(x, spacing=(lib.tensor([0.0, 1.0]), lib.tensor([0.0, 1.0, 3.0, 6.0]))),
        lib.gradient(x, edge_order=2, dim=1),
        lib.gradient(x, spacing=[0.5, 2.0]),
        lib.gradient(lib.tensor([1, 4, 9, 16])),
    )


@program
def kron_cartesian_combinations(lib):  # fixed: combinations(r=0) raised
    a = lib.tensor([[1, 2], [3, 4]])
    b = lib.tensor([[0.5, 1.0, 2.0]])
    v = lib.tensor([1, 2, 3])
    return (
        lib.kron(a, b),
        lib.kron(a, lib.ones(2, 1, 2)),
        lib.kron(v, v),
        lib.cartesian_prod(v, lib.tensor([4, 5])),
        lib.cartesian_prod(v),
        lib.combinations(v),
        lib.combinations(v, r=3),
        lib.combinations(v, with_replacement=True),
        lib.combinations(v, r=0),
        lib.combinations(v, r=4),
        lib.tril_indices(3, 3),
        lib.tril_indices(4, 3, offset=-1),
        lib.triu_indices(3, 4, 1),
        lib.triu_indices(3, 3, dtype=lib.int32),
        lib.block_diag(a, b, lib.tensor(7)),
        lib.block_diag(lib.tensor([1, 2]), lib.empty(0, 2)),
    )


@program
def cdist_modes(lib):
    x = _mat(lib, 2, 4, 3, dtype=lib.float32, grad=True)
    y = _mat(lib, 2, 5, 3, seed=2, dtype=lib.float32)
    out = [lib.cdist(x, y, p) for p in (0, 1, 2, 3, 0.5, float("inf"))]
    out.append(lib.cdist(x, y, compute_mode="use_mm_for_euclid_dist"))
    out.append(lib.cdist(x, y, compute_mode="donot_use_mm_for_euclid_dist"))
    out.append(lib.cdist(x, x))
    sum(o.sum() for o in out[1:]).backward()
    return out, x.grad


@program
def cov_corrcoef_weights(lib):
    x = lib.tensor([[0.0, 1.0, 2.0, 5.0], [2.0, 1.0, 0.5, 0.0], [1.0, 1.0, 1.0, 1.0]])
    fw = lib.tensor([1, 2, 1, 3])
    aw = lib.tensor([0.5, 1.0, 2.0, 1.0])
    return (
        lib.cov(x),
        lib.cov(x, correction=0),
        lib.cov(x, fweights=fw),
        lib.cov(x, aweights=aw),
        lib.cov(x, fweights=fw, aweights=aw, correction=2),
        lib.cov(x[0]),
        lib.corrcoef(x),
        lib.corrcoef(x[:2]),
        lib.cov(lib.tensor([[1, 2, 4]])),
        lib.cov(x.double().T),
    )


@program
def renorm_addcmul_lerp_clamp(lib):
    x = lib.tensor([[1.0, 2.0, 3.0], [0.1, 0.1, 0.1], [-4.0, 0.0, 4.0]])
    w = lib.tensor([0.0, 0.5, 1.5])
    return (
        lib.renorm(x, 2, 0, 1.0),
        lib.renorm(x, 1, 1, 2.0),
        lib.renorm(x, float("inf"), 0, 2.0),
        lib.addcmul(x, x, w, value=0.5),
        lib.addcdiv(x, x, w + 1, value=-2),
        lib.addcmul(lib.tensor([1, 2]), lib.tensor([3, 4]), lib.tensor([5, 6]), value=2),
        lib.lerp(x, lib.zeros(3), w),
        lib.lerp(x, x.flip(0), 0.3),
        x.lerp(lib.ones(3), lib.tensor(2.0)),
        lib.clamp(x, min=lib.tensor([0.0, 1.0, 2.0])),
        lib.clamp(x, max=w),
        lib.clamp(x, w, lib.tensor(0.0)),
        lib.clamp(lib.tensor([1, 5, 9]), min=lib.tensor([2, 2, 2]), max=lib.tensor(6.5)),
        lib.clamp(x, min=2.0, max=1.0),
        lib.clamp(x, w, w - 1),
        lib.clamp(lib.tensor([1, 5]), 2.5),
        lib.clip(x, -1, 1),
    )


@program
def elementwise_math_gradients(lib):  # fixed: clamp with a tensor bound split ties
    x = lib.tensor([[1.0, 2.0, 3.0], [0.1, 0.5, -4.0]], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([0.0, 0.5, 1.5], dtype=lib.float64, requires_grad=True)
    y = lib.renorm(x, 2, 0, 1.0).sum() + lib.addcdiv(x, x, w + 1, value=-2).sum()
    y = y + lib.lerp(x, w.exp(), w).sum() + lib.clamp(x, min=w).sum() + lib.addcmul(w, x, x).sum()
    y.backward()
    return x.grad, w.grad


@program
def nan_reductions(lib):
    x = lib.tensor([[1.0, float("nan"), 3.0, 4.0], [float("nan")] * 4, [2.0, 1.0, 5.0, 0.0]])
    i = lib.tensor([[3, 1, 2, 2]])
    med = lib.nanmedian(x[::2], 1)  # an all-NaN row's index is std::nth_element's
    return (
        lib.nanmean(x),
        lib.nanmean(x, 1),
        lib.nanmean(x, 0, keepdim=True),
        lib.nansum(x, 1),
        lib.nanmedian(x),
        med.values,
        med.indices,
        lib.nanmedian(x, 0),
        lib.median(x, 1),
        lib.median(i),
        lib.median(i, 1),
        lib.nanmedian(lib.tensor([2.0, 1.0, 4.0, 3.0])),
        lib.nanmean(lib.tensor([1, 2]).float()),
    )


@program
def quantile_interpolations(lib):
    x = lib.tensor([[0.0, 1.0, 2.0, 10.0, float("nan")], [5.0, 1.0, 4.0, 2.0, 3.0]])
    q = lib.tensor([0.1, 0.5, 0.75])
    out = []
    for mode in ("linear", "lower", "higher", "midpoint", "nearest"):
        out += [
            lib.quantile(x, q, dim=1, interpolation=mode),
            lib.nanquantile(x, q, dim=1, interpolation=mode, keepdim=True),
            lib.quantile(x[1], 0.4, interpolation=mode),
        ]
    out += [
        lib.quantile(x[1:], 0.5),
        lib.nanquantile(x, 0.3),
        x.quantile(q),
        lib.quantile(x.double(), 0.9, 0),
    ]
    out.append(
        lib.quantile(
            lib.tensor([1.0, 2.0, 3.0, 4.0]),
            lib.tensor([0.125, 0.375, 0.625, 0.875]),
            interpolation="nearest",
        )
    )
    return out


@program
def std_var_mean_corrections(lib):
    x = lib.tensor([[1.0, 2.0, 4.0, 8.0], [0.5, 0.5, 0.5, 2.0]], dtype=lib.float64)
    return (
        lib.std_mean(x),
        lib.var_mean(x, 1),
        lib.var_mean(x, 1, correction=0, keepdim=True),
        lib.std_mean(x, (0, 1), correction=2),
        lib.var_mean(x, unbiased=False),
        lib.std_mean(x[:, :1], 1),
        lib.var(x, 0, correction=3),
        lib.std(x, dim=None, correction=0),
        x.var(1, keepdim=True, unbiased=True),
        lib.var_mean(lib.tensor([1.0]), 0),
    )


@program
def quantile_and_stats_gradients(lib):
    x = lib.tensor(
        [[0.0, 1.0, 2.0, 10.0], [5.0, 1.0, 4.0, 2.0]], dtype=lib.float64, requires_grad=True
    )
    s, m = lib.std_mean(x, 1, correction=0)
    y = lib.quantile(x, lib.tensor([0.3, 0.5], dtype=lib.float64), dim=1).sum() + s.sum() + m.sum()
    y = (
        y
        + lib.nanmedian(x, 1).values.sum()
        + lib.cov(x).sum()
        + lib.corrcoef(x).sum()
        + lib.nanmean(x)
    )
    y.backward()
    return x.grad


@error(RuntimeError, r"quantile\(\) q must be in the range \[0, 1\]")
def quantile_out_of_range(lib):  # fixed: message for a number q
    return lib.quantile(lib.tensor([1.0, 2.0]), 1.5)


@error(RuntimeError, r"quantile\(\) input tensor must be either float or double dtype")
def quantile_of_ints(lib):
    return lib.quantile(lib.tensor([1, 2]), 0.5)


@error(RuntimeError, "bincount only supports 1-d non-negative integral inputs")
def bincount_negative(lib):
    return lib.bincount(lib.tensor([1, -1]))


@error(RuntimeError, "torch.histc: max must be larger than min|max must be larger than min")
def histc_bad_range(lib):
    return lib.histc(lib.tensor([1.0]), bins=3, min=2, max=1)


@error(RuntimeError, "boundaries tensor should be 1 dimension or the first N-1 dimensions")
def searchsorted_bad_boundaries(lib):
    return lib.searchsorted(lib.tensor([[1, 2], [3, 4]]), lib.tensor([[1], [2], [3]]))


@error(RuntimeError, "side and right can't be set to opposites")
def searchsorted_side_right_conflict(lib):
    return lib.searchsorted(lib.tensor([1, 2]), lib.tensor([1]), right=True, side="left")


@error(RuntimeError, "cdist only supports floating-point dtypes, X2 got: Long")  # fixed
def cdist_of_ints(lib):
    return lib.cdist(lib.ones(1, 2), lib.tensor([[1, 2]]))


@error(RuntimeError, "X1 and X2 must have the same number of columns. X1: 3 X2: 4")
def cdist_column_mismatch(lib):
    return lib.cdist(lib.ones(2, 3), lib.ones(2, 4))


@error(RuntimeError, r"cov\(\): expected input to have two or fewer dimensions")
def cov_3d(lib):
    return lib.cov(lib.ones(2, 2, 2))


@error(RuntimeError, "diff expects input to be at least one-dimensional")
def diff_of_scalar(lib):
    return lib.diff(lib.tensor(1.0))


@error(RuntimeError, r"torch.gradient expected each dimension size to be at least edge_order\+1")
def gradient_too_short(lib):
    return lib.gradient(lib.tensor([1.0, 2.0]), edge_order=2)


@error(RuntimeError, "expected scalar type Float but found Double")
def cdist_mixed_float_dtypes(lib):  # fixed: computed in float64
    return lib.cdist(lib.tensor([[1]]).float(), lib.tensor([[1]]).double())


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (2, 4, 2)])
def test_lu_rectangular_gradcheck(shape):  # fixed: wide and tall LU had no derivative
    from minitorch.autograd import gradcheck, gradgradcheck

    a = minitorch.tensor(np.random.default_rng(1).standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda x: tuple(minitorch.linalg.lu(x))[1:], (a,))
    assert gradgradcheck(lambda x: minitorch.linalg.lu_factor(x).LU, (a,))


test_program_matches_pytorch = SWEEP.test()
