"""Session 8 compatibility sweep of torch.linalg, second pass (research code: least squares,
eigen problems, norms): each program runs with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

import math

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-10})
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _spd(torch, n, batch=(), dtype=None):
    a = torch.randn(*batch, n, n, dtype=dtype or torch.float64)
    return a @ a.mT + n * torch.eye(n, dtype=a.dtype)


def _grads(*xs):
    return [x.grad for x in xs]


# ---- solve ---------------------------------------------------------------------------------
@program
def solve_left_false_batched(torch):
    A = torch.randn(2, 3, 3, dtype=torch.float64, requires_grad=True)
    B = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
    X = torch.linalg.solve(A, B, left=False)
    X.sum().backward()
    return X, A.grad, B.grad


@program
def solve_broadcast_b(torch):
    A = torch.randn(2, 1, 3, 3, dtype=torch.float64, requires_grad=True)
    B = torch.randn(4, 3, 2, dtype=torch.float64, requires_grad=True)
    X = torch.linalg.solve(A, B)
    (X**2).sum().backward()
    return X, A.grad, B.grad


@program
def solve_vector_b(torch):
    A = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(3, dtype=torch.float64, requires_grad=True)
    x = torch.linalg.solve(A, b)
    x.sum().backward()
    return x, A.grad, b.grad


@program
def solve_batched_vector_b(torch):
    A = torch.randn(4, 3, 3)
    b = torch.randn(4, 3)
    return torch.linalg.solve(A, b)


@program
def solve_batch_vector_broadcast(torch):
    A = torch.randn(4, 3, 3, dtype=torch.float64)
    b = torch.randn(3, dtype=torch.float64)
    return torch.linalg.solve(A, b)


@error(RuntimeError, r"Expected A and B to have the same dtype")
def solve_dtype_mismatch(torch):
    return torch.linalg.solve(torch.eye(2), torch.ones(2, dtype=torch.float64))


@error(RuntimeError, r"linalg.solve: Incompatible shapes of A and B")
def solve_shape_mismatch(torch):
    return torch.linalg.solve(torch.eye(3), torch.ones(4, 2))


@error(RuntimeError, r"singular")
def solve_singular(torch):
    return torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))


@program
def solve_ex_singular_info(torch):
    A = torch.stack([torch.eye(2), torch.zeros(2, 2)])
    return torch.linalg.solve_ex(A, torch.ones(2, 2)).info


@program
def solve_empty(torch):
    return torch.linalg.solve(torch.zeros(0, 0), torch.zeros(0, 2)), torch.linalg.solve(
        torch.zeros(0, 3, 3), torch.zeros(0, 3)
    )


# ---- lstsq ---------------------------------------------------------------------------------
@program
def lstsq_default_fields(torch):
    A = torch.randn(5, 3, dtype=torch.float64)
    B = torch.randn(5, 2, dtype=torch.float64)
    return tuple(torch.linalg.lstsq(A, B))


@program
def lstsq_gelsd_fields(torch):
    A = torch.randn(5, 3, dtype=torch.float64)
    B = torch.randn(5, 2, dtype=torch.float64)
    return tuple(torch.linalg.lstsq(A, B, driver="gelsd"))


@program
def lstsq_gelss_batched(torch):
    A = torch.randn(2, 6, 3, dtype=torch.float64)
    B = torch.randn(2, 6, 1, dtype=torch.float64)
    return tuple(torch.linalg.lstsq(A, B, driver="gelss"))


@program
def lstsq_gels_fields(torch):
    A = torch.randn(5, 3, dtype=torch.float64)
    B = torch.randn(5, 2, dtype=torch.float64)
    return tuple(torch.linalg.lstsq(A, B, driver="gels"))


@program
def lstsq_rank_deficient_gelsd(torch):
    u = torch.randn(5, 1, dtype=torch.float64)
    A = torch.cat([u, 2 * u, torch.randn(5, 1, dtype=torch.float64)], 1)
    B = torch.randn(5, 2, dtype=torch.float64)
    r = torch.linalg.lstsq(A, B, driver="gelsd")
    return r.solution, r.rank, r.residuals, r.singular_values


@program
def lstsq_float32_solution(torch):
    A = torch.randn(8, 3)
    B = torch.randn(8, 2)
    r = torch.linalg.lstsq(A, B)
    return r.solution, r.rank


@program
def lstsq_grad(torch):
    A = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    B = torch.randn(6, 2, dtype=torch.float64, requires_grad=True)
    torch.linalg.lstsq(A, B).solution.sum().backward()
    return A.grad, B.grad


@program
def lstsq_wide(torch):
    A = torch.randn(2, 4, dtype=torch.float64)
    B = torch.randn(2, 3, dtype=torch.float64)
    r = torch.linalg.lstsq(A, B, driver="gelsd")
    return r.solution, r.residuals, r.rank


@program
def lstsq_broadcast(torch):
    A = torch.randn(2, 1, 5, 3, dtype=torch.float64)
    B = torch.randn(1, 3, 5, 2, dtype=torch.float64)
    return torch.linalg.lstsq(A, B).solution


@program
def lstsq_polyfit(torch):
    x = torch.linspace(0, 1, 20, dtype=torch.float64)
    y = 3 * x**2 - x + 0.5
    V = torch.linalg.vander(x, N=3)
    return torch.linalg.lstsq(V, y.unsqueeze(-1)).solution.squeeze(-1)


@error(RuntimeError, r"parameter `driver` should be one of")
def lstsq_bad_driver(torch):
    return torch.linalg.lstsq(torch.eye(2), torch.eye(2), driver="foo")


@error(RuntimeError, r"input.size\(-2\) should match other.size\(-2\)")
def lstsq_row_mismatch(torch):
    return torch.linalg.lstsq(torch.ones(3, 2), torch.ones(4, 2))


# ---- eigh ----------------------------------------------------------------------------------
@program
def eigh_upper(torch):
    A = torch.randn(4, 4, dtype=torch.float64)
    w, V = torch.linalg.eigh(A, UPLO="U")
    return w, V.abs(), torch.linalg.eigvalsh(A, UPLO="U"), torch.linalg.eigvalsh(A)


@program
def eigh_grad(torch):
    A = _spd(torch, 4).requires_grad_()
    w, V = torch.linalg.eigh(A)
    (w.sum() * 0.5 + (V**2)[0].sum() + (V[:, 0] * V[:, 1]).abs().sum()).backward()
    return A.grad


@program
def eigvalsh_grad_batched(torch):
    A = _spd(torch, 3, (2,)).requires_grad_()
    (torch.linalg.eigvalsh(A) ** 2).sum().backward()
    return A.grad


@program
def eigh_float32_batched(torch):
    A = _spd(torch, 3, (2,), torch.float32)
    return torch.linalg.eigvalsh(A)


@error(RuntimeError, r"Expected UPLO argument to be 'L' or 'U'")
def eigh_bad_uplo(torch):
    return torch.linalg.eigh(torch.eye(2), UPLO="X")


@error(RuntimeError, r"linalg.eigh: A must be batches of square matrices")
def eigh_non_square(torch):
    return torch.linalg.eigh(torch.ones(2, 3))


@program
def eigh_empty(torch):
    w, V = torch.linalg.eigh(torch.zeros(0, 3, 3))
    return w, V


# ---- svd -----------------------------------------------------------------------------------
@program
def svd_full_matrices_shapes(torch):
    A = torch.randn(4, 2, dtype=torch.float64)
    U, S, Vh = torch.linalg.svd(A)
    U2, S2, Vh2 = torch.linalg.svd(A, full_matrices=False)
    return U.shape, S, Vh.shape, U2.shape, Vh2.shape, (U2 * S2 @ Vh2)


@program
def svd_grad_reduced(torch):
    A = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    U, S, Vh = torch.linalg.svd(A, full_matrices=False)
    (S.sum() + (U**2)[:2].sum() + (Vh**4).sum()).backward()
    return A.grad


@program
def svdvals_grad(torch):
    A = torch.randn(2, 3, 5, dtype=torch.float64, requires_grad=True)
    s = torch.linalg.svdvals(A)
    (s**3).sum().backward()
    return s, A.grad


@program
def svd_empty(torch):
    U, S, Vh = torch.linalg.svd(torch.zeros(3, 0))
    return U.shape, S.shape, Vh.shape, torch.linalg.svdvals(torch.zeros(2, 0, 3))


# ---- pinv ----------------------------------------------------------------------------------
@program
def pinv_hermitian(torch):
    A = _spd(torch, 3)
    return torch.linalg.pinv(A, hermitian=True)


@program
def pinv_atol_rtol(torch):
    A = torch.diag(torch.tensor([5.0, 1.0, 1e-3], dtype=torch.float64))
    return (
        torch.linalg.pinv(A, atol=0.01),
        torch.linalg.pinv(A, rtol=0.5),
        torch.linalg.pinv(A, atol=0.5, rtol=0.1),
        torch.linalg.pinv(A, rcond=0.01),
        torch.linalg.pinv(A, 0.1, True),
        torch.linalg.pinv(A.expand(2, 3, 3), atol=torch.tensor([0.01, 2.0], dtype=torch.float64)),
        torch.linalg.pinv(A, rtol=torch.tensor([0.5], dtype=torch.float64)),
    )


@program
def pinv_grad_wide(torch):
    A = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
    torch.linalg.pinv(A).sum().backward()
    return A.grad


@program
def pinv_hermitian_indefinite(torch):
    A = torch.tensor([[1.0, 2.0], [2.0, -3.0]], dtype=torch.float64)
    return torch.linalg.pinv(A, hermitian=True)


# ---- det / slogdet / logdet ----------------------------------------------------------------
@program
def det_singular_and_negative(torch):
    A = torch.tensor([[[1.0, 2.0], [2.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]], dtype=torch.float64)
    return torch.linalg.det(A), tuple(torch.linalg.slogdet(A)), torch.logdet(A)


@program
def det_grad_singular(torch):
    A = torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], dtype=torch.float64)
    A.requires_grad_()
    torch.linalg.det(A).backward()
    return A.grad


@program
def slogdet_grad_negative(torch):
    A = torch.tensor([[0.0, 2.0], [3.0, 1.0]], dtype=torch.float64, requires_grad=True)
    sign, logabs = torch.linalg.slogdet(A)
    logabs.backward()
    return sign, logabs, A.grad


@program
def logdet_spd_grad(torch):
    A = _spd(torch, 3, (2,)).requires_grad_()
    torch.logdet(A).sum().backward()
    return A.grad


@program
def det_grad_singular_batched(torch):
    A = torch.tensor(
        [[[1.0, 3.0], [2.0, 6.0]], [[2.0, 1.0], [1.0, 3.0]], [[0.0, 0.0], [0.0, 0.0]]],
        dtype=torch.float64,
        requires_grad=True,
    )
    (torch.linalg.det(A) * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    return A.grad


@program
def det_grad_singular_rank_one_3x3(torch):
    u = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    A = torch.outer(u, torch.tensor([3.0, 1.0, -1.0], dtype=torch.float64)).requires_grad_()
    torch.det(A).backward()
    return A.grad


@program
def det_empty(torch):
    return torch.linalg.det(torch.zeros(0, 0)), torch.linalg.det(torch.zeros(2, 0, 0))


# ---- inv -----------------------------------------------------------------------------------
@program
def inv_ex_batched_info(torch):
    A = torch.stack([torch.eye(3) * 2, torch.zeros(3, 3)])
    r = torch.linalg.inv_ex(A)
    return r.inverse[0], r.info


@error(RuntimeError, r"singular")
def inv_singular(torch):
    return torch.linalg.inv(torch.ones(3, 3))


@error(RuntimeError, r"linalg.inv: Expected a floating point or complex tensor as input. Got Int")
def inv_int(torch):
    return torch.linalg.inv(torch.eye(2, dtype=torch.int32))


@program
def inv_grad(torch):
    A = _spd(torch, 3).requires_grad_()
    (torch.linalg.inv(A) ** 2).sum().backward()
    return A.grad


@program
def inv_empty(torch):
    return torch.linalg.inv(torch.zeros(0, 0)), torch.linalg.inv(torch.zeros(0, 2, 2))


# ---- cholesky ------------------------------------------------------------------------------
@program
def cholesky_upper_grad(torch):
    A = _spd(torch, 3).requires_grad_()
    U = torch.linalg.cholesky(A, upper=True)
    (U**2).sum().backward()
    return U, A.grad


@program
def cholesky_ex_non_pd(torch):
    A = torch.stack(
        [torch.eye(3), -torch.eye(3), torch.tensor([[1.0, 2, 0], [2, 1, 0], [0, 0, 1]])]
    )
    r = torch.linalg.cholesky_ex(A)
    return r.info, r.L[0]


@error(
    RuntimeError,
    r"linalg.cholesky: \(Batch element 1\): The factorization could not be completed because the input is not positive-definite \(the leading minor of order 3 is not positive-definite\)",
)
def cholesky_non_pd_batched(torch):
    A = torch.eye(3).repeat(3, 1, 1)
    A[1, 2, 2] = -1.0
    A[2, 0, 0] = -1.0
    return torch.linalg.cholesky(A)


@error(
    RuntimeError,
    r"linalg.cholesky_ex: The factorization could not be completed because the input is not positive-definite \(the leading minor of order 1",
)
def cholesky_ex_check_errors(torch):
    return torch.linalg.cholesky_ex(-torch.eye(2), check_errors=True)


@program
def cholesky_ex_upper_partial_batch(torch):
    A = torch.stack([_spd(torch, 3), -torch.eye(3, dtype=torch.float64)])
    r = torch.linalg.cholesky_ex(A, upper=True)
    return r.L[0], r.info


@error(
    RuntimeError,
    r"linalg.cholesky: The factorization could not be completed because the input is not positive-definite \(the leading minor of order 2 is not positive-definite\)",
)
def cholesky_non_pd(torch):
    return torch.linalg.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))


@program
def cholesky_solve_upper(torch):
    A = _spd(torch, 3).requires_grad_()
    B = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    U = torch.linalg.cholesky(A, upper=True)
    X = torch.cholesky_solve(B, U, upper=True)
    X.sum().backward()
    return X, A.grad, B.grad


@program
def cholesky_solve_batched_broadcast(torch):
    A = _spd(torch, 3, (2,))
    L = torch.linalg.cholesky(A)
    B = torch.randn(3, 4, dtype=torch.float64)
    return torch.cholesky_solve(B, L)


# ---- LU ------------------------------------------------------------------------------------
@program
def lu_factor_solve_left_adjoint(torch):
    A = torch.randn(2, 3, 3, dtype=torch.float64)
    B = torch.randn(2, 3, 2, dtype=torch.float64)
    LU, piv = torch.linalg.lu_factor(A)
    return (
        LU, piv,
        torch.linalg.lu_solve(LU, piv, B),
        torch.linalg.lu_solve(LU, piv, B, adjoint=True),
        torch.linalg.lu_solve(LU, piv, B.mT, left=False),
    )  # fmt: skip


@program
def lu_rect(torch):
    A = torch.randn(3, 5, dtype=torch.float64)
    P, L, U = torch.linalg.lu(A)
    P2, L2, U2 = torch.linalg.lu(A.mT)
    return P, L, U, P2, L2, U2


@program
def lu_grad(torch):
    A = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    P, L, U = torch.linalg.lu(A)
    (L.sum() + (U**2).sum()).backward()
    return A.grad


@program
def lu_factor_ex_singular(torch):
    A = torch.tensor([[1.0, 2.0], [2.0, 4.0]])
    r = torch.linalg.lu_factor_ex(A)
    return r.info, r.pivots


@error(RuntimeError, r"LU without pivoting is not implemented on the CPU")
def lu_factor_no_pivot(torch):
    return torch.linalg.lu_factor(torch.eye(2), pivot=False)


@error(RuntimeError, r"LU without pivoting is not implemented on the CPU")
def lu_no_pivot(torch):
    return torch.linalg.lu(torch.eye(2), pivot=False)


# ---- norms ---------------------------------------------------------------------------------
@program
def matrix_norm_ords(torch):
    A = torch.randn(2, 3, 4, dtype=torch.float64)
    return [
        torch.linalg.matrix_norm(A, o) for o in ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)
    ]


@program
def matrix_norm_dims_keepdim(torch):
    A = torch.randn(3, 2, 4, dtype=torch.float64)
    return [
        torch.linalg.matrix_norm(A, o, dim=(0, 2), keepdim=True)
        for o in ("fro", "nuc", 1, -2, math.inf)
    ]


@program
def matrix_norm_grads(torch):
    out = []
    for o in ("fro", "nuc", 1, 2, -math.inf):
        A = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
        torch.linalg.matrix_norm(A, o).backward()
        out.append(A.grad)
    return out


@program
def matrix_norm_dtype(torch):
    A = torch.randn(3, 3)
    return torch.linalg.matrix_norm(A, dtype=torch.float64), torch.linalg.matrix_norm(
        A, "nuc", dtype=torch.float64
    )


@error(RuntimeError, r"linalg.matrix_norm: Order 3 not supported")
def matrix_norm_bad_ord(torch):
    return torch.linalg.matrix_norm(torch.ones(2, 2), 3)


@program
def vector_norm_ords(torch):
    x = torch.tensor([[1.0, -2.0, 0.0], [3.0, 0.0, -4.0]])
    return [torch.linalg.vector_norm(x, o) for o in (2, 1, 0, math.inf, -math.inf, 3, 0.5, -1)]


@program
def vector_norm_dim_tuple_keepdim_dtype(torch):
    x = torch.arange(24.0).reshape(2, 3, 4) / 7 - 1.5
    return (
        torch.linalg.vector_norm(x, dim=(0, 2), keepdim=True),
        torch.linalg.vector_norm(x, 3, dim=(-1,), dtype=torch.float64),
        torch.linalg.vector_norm(x.half(), dim=1),
    )


@program
def vector_norm_grads(torch):
    out = []
    for o in (2, 1, math.inf, 3):
        x = torch.tensor(
            [[1.0, -2.0, 0.0], [3.0, 0.0, -4.0]], dtype=torch.float64, requires_grad=True
        )
        torch.linalg.vector_norm(x, o, dim=1).sum().backward()
        out.append(x.grad)
    return out


@program
def vector_norm_zero_grad(torch):
    x = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    torch.linalg.vector_norm(x).backward()
    return x.grad


@program
def vector_norm_empty(torch):
    x = torch.zeros(0, 3)
    return (
        torch.linalg.vector_norm(x),
        torch.linalg.vector_norm(x, dim=0),
        torch.linalg.vector_norm(x, 1, dim=0),
    )


@error(RuntimeError, r"linalg.vector_norm cannot compute the inf norm on an empty tensor")
def vector_norm_inf_empty(torch):
    return torch.linalg.vector_norm(torch.zeros(0), math.inf)


@error(
    RuntimeError,
    r"linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long",
)
def vector_norm_int(torch):
    return torch.linalg.vector_norm(torch.arange(3))


@program
def norm_variants(torch):
    A = torch.randn(3, 4, dtype=torch.float64)
    return (
        torch.linalg.norm(A),
        torch.linalg.norm(A, "fro"),
        torch.linalg.norm(A, "nuc"),
        torch.linalg.norm(A, 2),
        torch.linalg.norm(A, dim=1),
        torch.linalg.norm(A, 1, dim=0),
        torch.linalg.norm(A, math.inf, dim=(0, 1)),
        torch.linalg.norm(A, keepdim=True),
        torch.linalg.norm(A[0], math.inf),
        torch.linalg.norm(A, ord=-2, dim=(1, 0)),
    )


@error(RuntimeError, r"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D")
def norm_3d_ord(torch):
    return torch.linalg.norm(torch.ones(2, 2, 2), 2)


@program
def torch_norm_legacy(torch):
    A = torch.randn(3, 4)
    return (
        torch.norm(A),
        torch.norm(A, p="fro"),
        torch.norm(A, p="nuc"),
        torch.norm(A, p=1, dim=1),
        torch.norm(A, dim=(0, 1)),
        A.norm(2, -1, keepdim=True),
    )


# ---- cond / rank / power / exp -------------------------------------------------------------
@program
def cond_ords(torch):
    A = torch.randn(2, 3, 3, dtype=torch.float64)
    return [
        torch.linalg.cond(A, p) for p in (None, 2, -2, "fro", "nuc", 1, -1, math.inf, -math.inf)
    ]


@program
def cond_rect_and_singular(torch):
    A = torch.randn(3, 5, dtype=torch.float64)
    S = torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64)
    Z = torch.zeros(2, 2, dtype=torch.float64)
    B = torch.stack([S, torch.diag(torch.tensor([1.0, 2.0], dtype=torch.float64))])
    return (
        torch.linalg.cond(A),
        [torch.linalg.cond(B, p) for p in ("fro", 1, -1, math.inf, -math.inf)],
        [torch.linalg.cond(Z, p) for p in ("fro", "nuc", 1, math.inf)],
    )


@program
def matrix_rank_tols(torch):
    A = torch.diag(torch.tensor([5.0, 1.0, 1e-3, 0.0], dtype=torch.float64))
    return (
        torch.linalg.matrix_rank(A),
        torch.linalg.matrix_rank(A, atol=0.01),
        torch.linalg.matrix_rank(A, rtol=0.1),
        torch.linalg.matrix_rank(A, atol=0.5, rtol=0.1),
        torch.linalg.matrix_rank(A, hermitian=True),
        torch.linalg.matrix_rank(A, tol=0.5),
        torch.linalg.matrix_rank(torch.randn(2, 3, 5)),
    )


@program
def matrix_rank_tensor_tol(torch):
    A = torch.diag(torch.tensor([5.0, 1.0, 1e-3], dtype=torch.float64)).expand(2, 3, 3)
    return (
        torch.linalg.matrix_rank(A, atol=torch.tensor([0.01, 2.0], dtype=torch.float64)),
        torch.linalg.matrix_rank(A, rtol=torch.tensor([0.1, 1e-5], dtype=torch.float64)),
        torch.linalg.matrix_rank(A[0], atol=torch.tensor(0.0, dtype=torch.float64)),
        torch.linalg.matrix_rank(A[0], atol=0.0),
    )


@program
def matrix_power_negative(torch):
    A = _spd(torch, 3).requires_grad_()
    P = torch.linalg.matrix_power(A, -3)
    P.sum().backward()
    return P, A.grad, torch.linalg.matrix_power(torch.ones(2, 2, dtype=torch.int64), 3)


@program
def matrix_power_zero_batched(torch):
    A = torch.randn(2, 3, 3, requires_grad=True)
    P = torch.linalg.matrix_power(A, 0)
    P.sum().backward()
    return P, A.grad


@program
def matrix_exp_grad(torch):
    A = torch.randn(2, 3, 3, dtype=torch.float64, requires_grad=True)
    E = torch.linalg.matrix_exp(A)
    (E * torch.arange(9.0, dtype=torch.float64).reshape(3, 3)).sum().backward()
    return E, A.grad


@program
def matrix_exp_large_norm(torch):
    A = torch.randn(4, 4, dtype=torch.float64) * 10
    return torch.matrix_exp(A) / torch.matrix_exp(A).norm()


# ---- products ------------------------------------------------------------------------------
@program
def multi_dot_vectors(torch):
    a = torch.randn(3, dtype=torch.float64, requires_grad=True)
    B = torch.randn(3, 4, dtype=torch.float64)
    C = torch.randn(4, 5, dtype=torch.float64)
    d = torch.randn(5, dtype=torch.float64)
    out = torch.linalg.multi_dot([a, B, C, d])
    out.backward()
    return out, a.grad, torch.linalg.multi_dot([B, C])


@error(RuntimeError, r"multi_dot\(\): expected at least 2 tensors but got 1")
def multi_dot_one(torch):
    return torch.linalg.multi_dot([torch.eye(2)])


@error(RuntimeError, r"linalg.cross: inputs must have the same number of dimensions")
def cross_different_ndim(torch):
    return torch.linalg.cross(torch.ones(4, 3), torch.ones(3))


@program
def cross_broadcast_grad(torch):
    a = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(1, 3, dtype=torch.float64, requires_grad=True)
    c = torch.linalg.cross(a, b)
    c.sum().backward()
    return c, a.grad, b.grad


@program
def cross_dim0(torch):
    a = torch.randn(3, 4)
    b = torch.randn(3, 4)
    return torch.linalg.cross(a, b, dim=0)


@error(RuntimeError, r"linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2")
def cross_bad_size(torch):
    return torch.linalg.cross(torch.ones(2), torch.ones(2))


@program
def vecdot_broadcast(torch):
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    y = torch.randn(3, dtype=torch.float64)
    v = torch.linalg.vecdot(x, y)
    v.sum().backward()
    return v, x.grad, torch.linalg.vecdot(torch.randn(3, 2), torch.randn(3, 2), dim=0)


@program
def householder_product_from_geqrf(torch):
    A = torch.randn(4, 3, dtype=torch.float64)
    a, tau = torch.geqrf(A)
    Q = torch.linalg.householder_product(a, tau)
    return Q, torch.linalg.householder_product(a, tau[:2])


@program
def householder_product_grad(torch):
    A = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    tau = torch.rand(3, dtype=torch.float64, requires_grad=True)
    Q = torch.linalg.householder_product(A, tau)
    (Q**2 * torch.arange(12.0, dtype=torch.float64).reshape(4, 3)).sum().backward()
    return A.grad, tau.grad


@program
def tensorinv_tensorsolve(torch):
    A = torch.randn(4, 6, 8, 3, dtype=torch.float64)
    Ainv = torch.linalg.tensorinv(A, ind=2)  # shape (8, 3, 4, 6)
    B = torch.randn(2, 3, 4, dtype=torch.float64)
    A2 = torch.randn(2, 3, 4, 2, 3, 4, dtype=torch.float64)
    X = torch.linalg.tensorsolve(A2, B)
    A3 = torch.randn(2, 6, 3, dtype=torch.float64)
    X3 = torch.linalg.tensorsolve(A3, torch.randn(6, dtype=torch.float64), dims=(0, 2))
    return Ainv.shape, Ainv, torch.tensordot(A, Ainv, 2), X, X3


@program
def vander_variants(torch):
    x = torch.tensor([1, 2, 3])
    return (
        torch.linalg.vander(x),
        torch.linalg.vander(x.double(), N=5),
        torch.linalg.vander(torch.randn(2, 3)),
    )


@program
def linalg_diagonal(torch):
    A = torch.randn(2, 3, 4)
    return (
        torch.linalg.diagonal(A),
        torch.linalg.diagonal(A, offset=1),
        torch.linalg.diagonal(A, dim1=0, dim2=2),
    )


# ---- triangular ----------------------------------------------------------------------------
@program
def solve_triangular_variants(torch):
    A = torch.randn(3, 3, dtype=torch.float64) + 3 * torch.eye(3, dtype=torch.float64)
    B = torch.randn(3, 2, dtype=torch.float64)
    return (
        torch.linalg.solve_triangular(A, B, upper=True),
        torch.linalg.solve_triangular(A, B, upper=False),
        torch.linalg.solve_triangular(A, B.mT, upper=True, left=False),
        torch.linalg.solve_triangular(A, B, upper=False, unitriangular=True),
    )


@program
def solve_triangular_grad_broadcast(torch):
    A = (
        torch.randn(2, 3, 3, dtype=torch.float64) + 3 * torch.eye(3, dtype=torch.float64)
    ).requires_grad_()
    B = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    X = torch.linalg.solve_triangular(A, B, upper=True)
    X.sum().backward()
    return X, A.grad, B.grad


@error(
    RuntimeError,
    r"linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B \(3x3 and 4x2\)",
)
def solve_triangular_bad_shape(torch):
    return torch.linalg.solve_triangular(torch.eye(3), torch.ones(4, 2), upper=True)


@error(
    RuntimeError,
    r"linalg.solve_triangular: Incompatible shapes of A and B for the equation XA = B \(3x3 and 4x2\)",
)
def solve_triangular_bad_shape_right(torch):
    return torch.linalg.solve_triangular(torch.eye(3), torch.ones(4, 2), upper=True, left=False)


@error(RuntimeError, r"linalg.solve_triangular: The input tensor B must have at least 2 dimensions")
def solve_triangular_vector(torch):
    return torch.linalg.solve_triangular(torch.eye(3), torch.ones(3), upper=True)


# ---- qr / misc -----------------------------------------------------------------------------
@program
def qr_modes(torch):
    A = torch.randn(4, 3, dtype=torch.float64)
    Q, R = torch.linalg.qr(A, mode="complete")
    Q2, R2 = torch.linalg.qr(A, mode="r")
    return Q.shape, R.abs(), Q2.shape, R2.abs()


def test_det_gradient_at_singular_matrices():
    """det's gradient where det == 0: with create_graph the SVD adjugate (checked against
    finite differences), as PyTorch's; first order PyTorch's det * A^-T, which is zero there."""
    import numpy as np

    import minitorch

    for rows in ([[1.0, 3.0], [2.0, 6.0]], [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]):
        A = minitorch.tensor(rows, dtype=minitorch.float64, requires_grad=True)
        det = minitorch.linalg.det(A)
        assert float(det.detach()) == 0.0
        (adjugate,) = minitorch.autograd.grad(det, A, create_graph=True)
        a, eps = np.array(rows), 1e-6
        numeric = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            step = np.zeros_like(a)
            step[idx] = eps
            numeric[idx] = (np.linalg.det(a + step) - np.linalg.det(a - step)) / (2 * eps)
        np.testing.assert_allclose(adjugate.detach().numpy(), numeric, atol=1e-8)
        assert np.abs(numeric).max() > 1  # rank n - 1: a nonzero adjugate
        (first_order,) = minitorch.autograd.grad(minitorch.linalg.det(A), A)
        assert first_order.numpy().tolist() == np.zeros_like(a).tolist()


@program
def det_grad_singular_create_graph(torch):
    A = torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], dtype=torch.float64)
    A.requires_grad_()
    (g,) = torch.autograd.grad(torch.linalg.det(A), A, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), A)
    return g, gg


# ---- batch 2: edge cases -------------------------------------------------------------------
@program
def svd_full_matrices_grad_of_s(torch):
    A = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    U, S, Vh = torch.linalg.svd(A)
    S.sum().backward()
    return A.grad


@program
def slogdet_batched_grad_mixed_signs(torch):
    A = torch.randn(3, 3, 3, dtype=torch.float64, requires_grad=True)
    sign, logabs = torch.linalg.slogdet(A)
    logabs.sum().backward()
    return sign, logabs, A.grad


@program
def logdet_negative_is_nan(torch):
    A = torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
    return torch.logdet(A), torch.logdet(torch.zeros(2, 2, dtype=torch.float64))


@program
def matrix_norm_empty_batch(torch):
    A = torch.zeros(0, 2, 3)
    return (
        torch.linalg.matrix_norm(A),
        torch.linalg.matrix_norm(A, "nuc"),
        torch.linalg.matrix_norm(A, 1),
    )


@program
def vector_norm_ord0(torch):
    x = torch.tensor([1.0, 0.0, -2.0], dtype=torch.float64, requires_grad=True)
    return torch.linalg.vector_norm(x, 0), torch.linalg.vector_norm(x, 0, dim=0, keepdim=True)


@program
def norm_dtype_arg(torch):
    A = torch.randn(3, 3)
    return torch.linalg.norm(A, dtype=torch.float64), torch.linalg.norm(
        A, "fro", dtype=torch.float64
    )


@error(
    RuntimeError,
    r"linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. "
    r"In this case linalg.solve is equivalent to B / A.squeeze\(-1\)",
)
def solve_left_false_vector_1x1(torch):
    return torch.linalg.solve(torch.tensor([[2.0]]), torch.tensor([4.0]), left=False)


@error(RuntimeError, r"Incompatible shapes of A and B for the equation XA = B \(3x3 and 3x1\)")
def solve_left_false_vector(torch):
    return torch.linalg.solve(torch.eye(3), torch.ones(3), left=False)


@program
def lstsq_vector_rhs(torch):
    A = torch.randn(2, 5, 3, dtype=torch.float64)
    b = torch.randn(2, 5, dtype=torch.float64)
    return torch.linalg.lstsq(A, b.unsqueeze(-1)).solution


@program
def householder_batched(torch):
    A = torch.randn(2, 5, 3, dtype=torch.float64)
    a, tau = torch.geqrf(A)
    return torch.linalg.householder_product(a, tau)


@error(RuntimeError, r"N must be greater than 1")
def vander_n1(torch):
    return torch.linalg.vander(torch.ones(3), N=1)


@program
def multi_dot_first_vector(torch):
    a = torch.randn(3, dtype=torch.float64)
    B = torch.randn(3, 4, dtype=torch.float64)
    C = torch.randn(4, 2, dtype=torch.float64)
    return torch.linalg.multi_dot([a, B, C]), torch.linalg.multi_dot(
        [B, C, torch.ones(2, dtype=torch.float64)]
    )


@error(RuntimeError, r"must be batches of square matrices")
def matrix_power_non_square(torch):
    return torch.linalg.matrix_power(torch.ones(2, 3), 2)


@program
def matrix_exp_empty_and_batch(torch):
    return torch.linalg.matrix_exp(torch.zeros(0, 0)), torch.linalg.matrix_exp(
        torch.zeros(2, 0, 3, 3)
    )


@error(RuntimeError, r"linalg.det: Expected a floating point or complex tensor as input. Got Long")
def det_int(torch):
    return torch.linalg.det(torch.eye(2, dtype=torch.int64))


@program
def eigvalsh_reads_one_triangle(torch):
    A = torch.tensor([[2.0, 100.0], [1.0, 3.0]], dtype=torch.float64)
    return torch.linalg.eigvalsh(A), torch.linalg.eigvalsh(A, UPLO="U")


@program
def svd_float32_values(torch):
    A = torch.arange(12.0).reshape(3, 4) / 5
    return torch.linalg.svdvals(A), torch.linalg.matrix_norm(A, 2)


@program
def lu_solve_batch_broadcast(torch):
    A = torch.randn(3, 3, dtype=torch.float64)
    LU, piv = torch.linalg.lu_factor(A)
    B = torch.randn(2, 3, 4, dtype=torch.float64)
    return torch.linalg.lu_solve(LU, piv, B)


@program
def cholesky_empty(torch):
    return torch.linalg.cholesky(torch.zeros(0, 0)), torch.linalg.cholesky_ex(
        torch.zeros(2, 0, 0)
    ).info


@program
def qr_empty(torch):
    Q, R = torch.linalg.qr(torch.zeros(3, 0))
    return Q.shape, R.shape


@program
def lu_factor_empty_batch(torch):
    LU, piv = torch.linalg.lu_factor(torch.zeros(0, 3, 3))
    return LU, piv


@program
def pinv_empty(torch):
    A = torch.zeros(0, 3, requires_grad=True)
    return (
        torch.linalg.pinv(A),
        torch.linalg.pinv(torch.zeros(2, 3, 0)),
        torch.linalg.pinv(torch.zeros(0, 0), hermitian=True),
    )


@program
def matrix_rank_empty(torch):
    return torch.linalg.matrix_rank(torch.zeros(0, 3)), torch.linalg.matrix_rank(
        torch.zeros(2, 0, 0)
    )


@program
def eigh_grad_eigenvectors_gauge_invariant(torch):
    A = _spd(torch, 3).requires_grad_()
    w, V = torch.linalg.eigh(A)
    (V[:, 0].outer(V[:, 0]) * torch.arange(9.0, dtype=torch.float64).reshape(3, 3)).sum().backward()
    return A.grad


@program
def svd_grad_uv_gauge_invariant(torch):
    A = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    U, S, Vh = torch.linalg.svd(A, full_matrices=False)
    (U[:, :1] @ Vh[:1] * torch.arange(12.0, dtype=torch.float64).reshape(3, 4)).sum().backward()
    return A.grad


@program
def solve_float32_batched_grad(torch):
    A = (torch.eye(3) * 4 + torch.arange(9.0).reshape(3, 3) / 10).requires_grad_()
    B = (torch.arange(6.0).reshape(3, 2) / 3).requires_grad_()
    X = torch.linalg.solve(A, B)
    X.sum().backward()
    return X, A.grad, B.grad


@program
def cond_batch_p_none_rect(torch):
    A = torch.randn(2, 4, 3, dtype=torch.float64)
    return torch.linalg.cond(A), torch.linalg.cond(A, -2)


@error(RuntimeError, r"linalg.cond\(ord=1\): A must be batches of square matrices")
def cond_rect_p1(torch):
    return torch.linalg.cond(torch.ones(2, 3), 1)


@error(
    RuntimeError, r"linalg.vecdot: Expected a floating point or complex tensor as input. Got Long"
)
def vecdot_int(torch):
    return torch.linalg.vecdot(torch.arange(6).reshape(2, 3), torch.arange(3))


@error(
    RuntimeError,
    r"linalg.vecdot: Expected x and y to have the same dtype, but found x of type Float and y of type Double",
)
def vecdot_dtype_mismatch(torch):
    return torch.linalg.vecdot(torch.ones(2), torch.ones(2, dtype=torch.float64))


@error(RuntimeError, r"Incompatible shapes of A and B for the equation XA = B \(3x3 and 3x1\)")
def solve_left_false_batched_vector(torch):
    return torch.linalg.solve(torch.eye(3).expand(2, 3, 3), torch.ones(2, 3), left=False)


@error(RuntimeError, r"Incompatible shapes of A and B for the equation XA = B \(3x3 and 2x2\)")
def solve_left_false_bad_shape(torch):
    return torch.linalg.solve(torch.eye(3), torch.ones(2, 2), left=False)


@program
def tensorinv_grad(torch):
    A = (torch.randn(4, 2, 2, dtype=torch.float64) + 0).requires_grad_()
    torch.linalg.tensorinv(A, ind=1).sum().backward()
    return A.grad


@program
def matrix_norm_neg2_grad(torch):
    A = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    torch.linalg.matrix_norm(A, -2).backward()
    return A.grad


@program
def vector_norm_negative_inf_grad(torch):
    x = torch.tensor([3.0, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.linalg.vector_norm(x, -math.inf).backward()
    return x.grad


# ---- batch 3 -------------------------------------------------------------------------------
@program
def lstsq_rcond_rank(torch):
    A = torch.diag(torch.tensor([3.0, 1.0, 1e-4], dtype=torch.float64))
    B = torch.ones(3, 1, dtype=torch.float64)
    r = torch.linalg.lstsq(A, B, rcond=1e-3, driver="gelsd")  # PyTorch's gelsy pivots vary
    return r.solution, r.rank, torch.linalg.lstsq(A, B, rcond=1e-5, driver="gelss").rank


@program
def slogdet_singular(torch):
    A = torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64)
    return tuple(torch.linalg.slogdet(A)), tuple(torch.slogdet(torch.zeros(2, 2)))


@program
def vector_norm_0d_and_negative_ord(torch):
    x = torch.tensor(-3.0)
    v = torch.tensor([1.0, 2.0, 4.0])
    return (
        torch.linalg.vector_norm(x),
        torch.linalg.norm(x),
        torch.linalg.vector_norm(v, -2),
        torch.linalg.norm(v, -math.inf),
    )


@program
def matrix_power_int_large(torch):
    A = torch.tensor([[1, 1], [1, 0]])
    return torch.linalg.matrix_power(A, 10), torch.matrix_power(A, 1)


@program
def cross_broadcast_dim(torch):
    a = torch.randn(2, 3, 1, dtype=torch.float64)
    b = torch.randn(1, 3, 4, dtype=torch.float64)
    return torch.linalg.cross(a, b, dim=1)


@program
def eigh_float32_grad(torch):
    A = torch.arange(9.0).reshape(3, 3) / 10 + torch.diag(torch.tensor([1.0, 2.0, 4.0]))
    A = (A + A.T).requires_grad_()
    torch.linalg.eigvalsh(A).pow(2).sum().backward()
    return A.grad


@program
def matrix_norm_int_dtype_arg(torch):
    A = torch.randn(2, 2, dtype=torch.float64)
    return torch.linalg.matrix_norm(A, 1, dtype=torch.float64)


@error(
    RuntimeError,
    r"linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long",
)
def matrix_norm_int(torch):
    return torch.linalg.matrix_norm(torch.ones(2, 2, dtype=torch.long))


@error(RuntimeError, r"linalg.matrix_norm: dims must be different")
def matrix_norm_same_dims(torch):
    return torch.linalg.matrix_norm(torch.ones(2, 2), dim=(0, 0))


@program
def inv_ex_float32_grad(torch):
    A = (torch.eye(3) * 3 + torch.arange(9.0).reshape(3, 3) / 9).requires_grad_()
    r = torch.linalg.inv_ex(A)
    r.inverse.sum().backward()
    return r.inverse, r.info, A.grad


@program
def lu_unpack_roundtrip(torch):
    A = torch.randn(2, 4, 3, dtype=torch.float64)
    LU, piv = torch.linalg.lu_factor(A)
    P, L, U = torch.lu_unpack(LU, piv)
    return P, L, U, P @ L @ U


@program
def solve_triangular_batched_left_false_grad(torch):
    A = torch.randn(2, 3, 3, dtype=torch.float64) + 4 * torch.eye(3, dtype=torch.float64)
    A.requires_grad_()
    B = torch.randn(2, 5, 3, dtype=torch.float64, requires_grad=True)
    X = torch.linalg.solve_triangular(A, B, upper=False, left=False, unitriangular=True)
    (X**2).sum().backward()
    return X, A.grad, B.grad
