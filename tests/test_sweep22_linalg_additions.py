"""Session 12 sweep of the linear-algebra functions added in minitorch/ops/lowrank_ldl.py and
minitorch/ops/ormqr.py: randomized low-rank SVD and PCA (``torch.svd_lowrank``,
``torch.pca_lowrank``), the LDL factorization of symmetric indefinite matrices
(``torch.linalg.ldl_factor``, ``ldl_factor_ex``, ``ldl_solve``) and ``torch.ormqr``, as users
write them, checked against PyTorch (tests/sweep_harness.py).

The singular vectors of the low-rank SVD have LAPACK's signs (PyTorch's MKL and numpy's
OpenBLAS choose differently), so its programs compare what does not depend on them: S, U S V^T,
the projector V V^T, and gradients through these."""

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

F64 = {"rtol": 1e-8, "atol": 1e-10}


def _low_rank_data(torch, m: int, n: int, rank: int, dtype=None):
    """A (m, n) data matrix of the given rank plus a little noise, with distinct singular
    values, drawn from the seeded generator."""
    dtype = dtype or torch.float64
    scales = torch.tensor([10.0, 6.0, 3.0, 1.5, 0.8, 0.4][:rank], dtype=dtype)
    factors = torch.randn(m, rank, dtype=dtype) * scales
    return factors @ torch.randn(rank, n, dtype=dtype) + 0.01 * torch.randn(m, n, dtype=dtype)


# ---- svd_lowrank / pca_lowrank ---------------------------------------------------------------
@program(tol=F64)
def pca_of_a_data_matrix(torch):
    X = _low_rank_data(torch, 40, 8, 3)
    torch.manual_seed(7)
    U, S, V = torch.pca_lowrank(X, q=3)
    explained = S**2 / (X.shape[0] - 1)  # the variances along the principal directions
    ratio = explained / (((X - X.mean(0)) ** 2).sum() / (X.shape[0] - 1))
    projector = V @ V.T  # the principal subspace (independent of the vectors' signs)
    scores_norm = (X - X.mean(0)) @ V  # projections: their column norms are S
    after = torch.randn(3)  # the draw consumed PyTorch's stream (n x q normals)
    return S, explained, ratio, projector, scores_norm.norm(dim=0), U.shape, V.shape, after


@program(tol=F64)
def svd_lowrank_reconstruction_and_gradient(torch):
    A = _low_rank_data(torch, 12, 9, 4).requires_grad_()
    torch.manual_seed(3)
    U, S, V = torch.svd_lowrank(A, q=4, niter=3)
    approx = U @ torch.diag(S) @ V.mT
    loss = ((approx - A.detach()) ** 2).sum() + S.sum()
    loss.backward()
    return S, approx, A.grad, type(torch.svd_lowrank(A.detach())).__name__


@program(tol=F64)
def svd_lowrank_wide_batched_with_mean(torch):
    A = torch.stack([_low_rank_data(torch, 5, 11, 3) for _ in range(2)])
    M = A.mean(dim=-2, keepdim=True)  # broadcast to A's shape, as PyTorch does
    U, S, V = torch.svd_lowrank(A, q=3, M=M)
    centred = torch.svd_lowrank(A - M, q=3)
    return S, U @ torch.diag_embed(S) @ V.mT, centred[1], U.shape, V.shape, torch.randn(2)


@program(tol=F64)
def svd_lowrank_defaults_and_no_iterations(torch):
    A = _low_rank_data(torch, 10, 7, 6)
    U, S, V = torch.svd_lowrank(A, q=None, niter=None)  # q=6, niter=2
    _, S0, _ = torch.svd_lowrank(A, q=6, niter=0)
    return S, S0, U.shape


@program(tol={"rtol": 1e-4, "atol": 1e-4})
def pca_lowrank_float32_uncentred(torch):
    X = _low_rank_data(torch, 30, 6, 2, torch.float32)
    U, S, V = torch.pca_lowrank(X, center=False)  # q = min(6, m, n)
    return S[:2], (U[:, :2] * S[:2]) @ V[:, :2].T, S.dtype, V.shape


@program(tol=F64)
def pca_lowrank_gradient_of_explained_variance(torch):
    X = _low_rank_data(torch, 20, 5, 3).requires_grad_()
    _, S, V = torch.pca_lowrank(X, q=3)
    (S[:2] ** 2).sum().backward()  # the top two components' variance
    return X.grad, (V @ V.T).sum()


@error(ValueError, r"q\(=9\) must be non-negative integer and not greater than min\(m, n\)=5")
def pca_lowrank_q_too_large(torch):
    torch.pca_lowrank(torch.randn(10, 5), q=9)


@error(ValueError, r"niter\(=-1\) must be non-negative integer")
def pca_lowrank_negative_niter(torch):
    torch.pca_lowrank(torch.randn(10, 5), niter=-1)


# ---- ldl_factor / ldl_solve ------------------------------------------------------------------
def _symmetric_indefinite(torch, n: int, *batch, dtype=None):
    """Symmetric, indefinite, with zeros on the diagonal (so Bunch-Kaufman takes 2x2 pivots)."""
    A = torch.randn(*batch, n, n, dtype=dtype or torch.float64)
    A = A + A.mT
    return A - torch.diag_embed(torch.diagonal(A, dim1=-2, dim2=-1)) * (torch.arange(n) % 3 == 0)


@program(tol=F64)
def ldl_solve_of_a_symmetric_indefinite_system(torch):
    A = _symmetric_indefinite(torch, 7)
    b = torch.randn(7, 3, dtype=torch.float64)
    LD, pivots = torch.linalg.ldl_factor(A)
    x = torch.linalg.ldl_solve(LD, pivots, b)
    residual = (A @ x - b).abs().max()
    return LD, pivots, x, residual < 1e-10, type(torch.linalg.ldl_factor(A)).__name__


@program(tol=F64)
def ldl_factor_reads_the_lower_triangle_and_hermitian(torch):
    A = _symmetric_indefinite(torch, 6)
    garbage = A.triu(1) * 100 + A.tril()  # the upper triangle is not read
    LD, pivots = torch.linalg.ldl_factor(garbage, hermitian=True)
    x = torch.linalg.ldl_solve(LD, pivots, torch.eye(6, dtype=A.dtype), hermitian=True)
    return LD, pivots, x, torch.linalg.ldl_factor(A).LD


@program(tol=F64)
def ldl_batched_with_broadcast_right_hand_side(torch):
    A = _symmetric_indefinite(torch, 5, 3)
    LD, pivots, info = torch.linalg.ldl_factor_ex(A)
    x = torch.linalg.ldl_solve(LD, pivots, torch.randn(5, 2, dtype=torch.float64))
    y = torch.linalg.ldl_solve(LD[0], pivots[0], torch.randn(4, 5, 1, dtype=torch.float64))
    return LD, pivots, info, x, y


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def ldl_float32_and_empty(torch):
    A = _symmetric_indefinite(torch, 6, dtype=torch.float32)
    LD, pivots = torch.linalg.ldl_factor(A)
    empty = torch.linalg.ldl_factor_ex(torch.zeros(0, 3, 3))
    return LD, pivots, empty, torch.linalg.ldl_factor(torch.zeros(0, 0))


@program
def ldl_factor_ex_singular_info(torch):
    singular = torch.tensor([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 0.0]])
    zero_then_one = torch.tensor([[0.0, 0.0], [0.0, 1.0]])
    nan = torch.tensor([[float("nan"), 1.0], [1.0, 1.0]])
    swap = torch.tensor([[0.0, 1.0], [1.0, 0.0]])  # one 2x2 pivot
    return [torch.linalg.ldl_factor_ex(a) for a in (singular, zero_then_one, nan, swap)]


@program
def ldl_outputs_requires_grad(torch):
    A = _symmetric_indefinite(torch, 4).requires_grad_()
    LD, pivots, info = torch.linalg.ldl_factor_ex(A)
    b = torch.randn(4, 1, dtype=torch.float64, requires_grad=True)
    x = torch.linalg.ldl_solve(LD.detach(), pivots, b)
    return LD.requires_grad, pivots.requires_grad, info.requires_grad, x.requires_grad


@error(RuntimeError, r"derivative for aten::linalg_ldl_factor_ex is not implemented")
def ldl_factor_backward(torch):
    A = _symmetric_indefinite(torch, 4).requires_grad_()
    torch.linalg.ldl_factor(A).LD.sum().backward()


@error(RuntimeError, r"derivative for aten::linalg_ldl_solve is not implemented")
def ldl_solve_backward(torch):
    LD, pivots = torch.linalg.ldl_factor(_symmetric_indefinite(torch, 4))
    b = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
    torch.linalg.ldl_solve(LD, pivots, b).sum().backward()


@error(RuntimeError, r"torch\.linalg\.ldl_factor")  # PyTorch fails an internal assert here
def ldl_factor_singular(torch):
    torch.linalg.ldl_factor(torch.zeros(3, 3))


@error(RuntimeError, r"torch\.linalg\.ldl_factor_ex: A must be batches of square matrices")
def ldl_factor_not_square(torch):
    torch.linalg.ldl_factor(torch.randn(3, 4))


@error(RuntimeError, r"torch\.linalg\.ldl_factor_ex: The input tensor A must have at least 2")
def ldl_factor_vector(torch):
    torch.linalg.ldl_factor_ex(torch.randn(3))


@error(RuntimeError, r"Expected a floating point or complex tensor as input\. Got Long")
def ldl_factor_integer(torch):
    torch.linalg.ldl_factor(torch.ones(3, 3, dtype=torch.int64))


@error(RuntimeError, r"ldl_solve: Expected pivots to be integers\. Got Double")
def ldl_solve_float_pivots(torch):
    LD, pivots = torch.linalg.ldl_factor(_symmetric_indefinite(torch, 3))
    torch.linalg.ldl_solve(LD, pivots.double(), torch.randn(3, 1, dtype=torch.float64))


@error(RuntimeError, r"Expected LD\.shape\[:-1\] and pivots\.shape to be the same, but got "
       r"pivots with shape \[2\] instead")  # fmt: skip
def ldl_solve_pivots_shape(torch):
    LD, pivots = torch.linalg.ldl_factor(_symmetric_indefinite(torch, 3))
    torch.linalg.ldl_solve(LD, pivots[:2], torch.randn(3, 1, dtype=torch.float64))


@error(RuntimeError, r"Incompatible matrix sizes for torch\.linalg\.ldl_solve: each A matrix "
       r"is 3 by 3 but each b matrix is 4 by 1")  # fmt: skip
def ldl_solve_rows(torch):
    LD, pivots = torch.linalg.ldl_factor(_symmetric_indefinite(torch, 3))
    torch.linalg.ldl_solve(LD, pivots, torch.randn(4, 1, dtype=torch.float64))


@error(RuntimeError, r"Expected b and A to have the same dtype, but found b of type Float and "
       r"A of type Double instead")  # fmt: skip
def ldl_solve_dtype(torch):
    LD, pivots = torch.linalg.ldl_factor(_symmetric_indefinite(torch, 3))
    torch.linalg.ldl_solve(LD, pivots, torch.randn(3, 1))


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-1, 0\], but got -2\)")
def ldl_solve_vector_rhs(torch):
    LD, pivots = torch.linalg.ldl_factor(_symmetric_indefinite(torch, 3))
    torch.linalg.ldl_solve(LD, pivots, torch.randn(3, dtype=torch.float64))


# ---- ormqr -----------------------------------------------------------------------------------
@program(tol=F64)
def ormqr_applies_q_of_geqrf(torch):
    A = torch.randn(6, 4, dtype=torch.float64)
    a, tau = torch.geqrf(A)
    C = torch.randn(6, 3, dtype=torch.float64)
    Q = torch.ormqr(a, tau, torch.eye(6, dtype=torch.float64))  # the full 6 x 6 Q
    results = [torch.ormqr(a, tau, C, left=True, transpose=t) for t in (False, True)]
    results += [torch.ormqr(a, tau, C.T, left=False, transpose=t) for t in (False, True)]
    R = torch.ormqr(a, tau, A, transpose=True)  # Q^T A = [R; 0]
    same = torch.allclose(Q[:, :4], torch.linalg.householder_product(a, tau))
    return results, R, a.ormqr(tau, C), Q, same


@program(tol=F64)
def ormqr_gradients_batched(torch):
    a, tau = torch.geqrf(torch.randn(2, 5, 3, dtype=torch.float64))
    a.requires_grad_()
    tau.requires_grad_()
    C = torch.randn(2, 4, 5, dtype=torch.float64, requires_grad=True)
    out = torch.ormqr(a, tau, C, left=False, transpose=True)
    (out * torch.cos(torch.arange(20.0, dtype=torch.float64)).reshape(4, 5)).sum().backward()
    return out, a.grad, tau.grad, C.grad, type(out.grad_fn).__name__


@program(tol=F64)
def ormqr_wide_reflectors(torch):
    a, tau = torch.geqrf(torch.randn(3, 5, dtype=torch.float64))  # 3 reflectors of length 3
    C = torch.randn(3, 2, dtype=torch.float64)
    return torch.ormqr(a, tau, C), torch.ormqr(a, tau, C.T, left=False)


@error(RuntimeError, r"torch\.ormqr: input must have at least 2 dimensions")
def ormqr_scalar(torch):
    torch.ormqr(torch.randn(()), torch.randn(()), torch.randn(()))


@error(RuntimeError, r"torch\.ormqr: tau\.shape\[-1\] must be equal to min\(other\.shape\[-2\], "
       r"input\.shape\[-1\]\)")  # fmt: skip
def ormqr_tau_length(torch):
    torch.ormqr(torch.randn(5, 3), torch.randn(2), torch.randn(5, 2))


@error(RuntimeError, r"torch\.ormqr: other\.shape\[-1\] must be equal to input\.shape\[-2\]")
def ormqr_right_shape(torch):
    torch.ormqr(torch.randn(5, 3), torch.randn(3), torch.randn(5, 2), left=False)


@error(RuntimeError, r"torch\.ormqr: Expected batch dimensions of other to be equal to "
       r"input\.shape\[:-2\], but got \[3\]")  # fmt: skip
def ormqr_batch(torch):
    torch.ormqr(torch.randn(2, 5, 3), torch.randn(2, 3), torch.randn(3, 5, 2))


@error(RuntimeError, r"torch\.ormqr: Expected input and tau to have the same dtype, but input "
       r"has dtypeDouble and tau has dtype Float")  # fmt: skip
def ormqr_dtype(torch):
    torch.ormqr(torch.randn(5, 3, dtype=torch.float64), torch.randn(3), torch.randn(5, 2))


@error(NotImplementedError, r"\"ormqr_cpu\" not implemented for 'Long'")
def ormqr_integer(torch):
    torch.ormqr(torch.ones(5, 3, dtype=torch.int64), torch.ones(3, dtype=torch.int64),
                torch.ones(5, 2, dtype=torch.int64))  # fmt: skip


def test_ldl_factor_pivots_follow_bunch_kaufman():
    """Without PyTorch too: A = P L D L^T P^T rebuilt from the compact LD and pivots as
    LAPACK's sytrf documents them, for matrices that need 1x1 and 2x2 pivots."""
    import minitorch

    rng = np.random.default_rng(0)
    for n in (2, 5, 8, 12):
        A = rng.standard_normal((n, n))
        A = A + A.T
        A[::3, ::3] = 0
        A = (A + A.T) / 2
        LD, pivots = minitorch.linalg.ldl_factor(minitorch.tensor(A))
        ld, piv = LD.numpy(), pivots.numpy()
        assert not np.triu(ld, 1).any()
        M = np.eye(n)  # A = U D U^T with U = P(1) L(1) P(2) L(2) ...
        D = np.zeros((n, n))
        k = 0
        while k < n:
            s = 1 if piv[k] > 0 else 2
            P = np.eye(n)
            p = abs(piv[k]) - 1
            P[[k + s - 1, p]] = P[[p, k + s - 1]]
            L = np.eye(n)
            L[k + s :, k : k + s] = ld[k + s :, k : k + s]
            D[k : k + s, k : k + s] = (
                np.tril(ld[k : k + s, k : k + s]) + np.tril(ld[k : k + s, k : k + s], -1).T
            )
            M = M @ P @ L
            k += s
        np.testing.assert_allclose(M @ D @ M.T, A, atol=1e-10)
