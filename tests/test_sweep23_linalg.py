"""Sweep 23, linear algebra as PyTorch's test_linalg.py checks it (CPU, float32/float64):
norms and their errors, cond, matrix_rank, pinv, det/slogdet, inv/solve/lstsq (fields and
errors), cholesky, qr, eigh, svd, matrix_power/exp, multi_dot, householder, lu, tensorinv,
vander, cross, vecdot, diagonal; products (addmm family, outer/kron, tensordot, einsum)."""

import math

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


@program
def norm_ords_vec(torch):
    x = torch.randn(5, dtype=torch.float64)
    return [torch.linalg.norm(x, o) for o in [None, 0, 1, 2, 3.5, -1, -2, math.inf, -math.inf]]


@program
def norm_ords_mat(torch):
    x = torch.randn(3, 4, dtype=torch.float64)
    return [
        torch.linalg.norm(x, o) for o in [None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]
    ]


@program
def norm_dim_keepdim(torch):
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    return [
        torch.linalg.norm(x, dim=1, keepdim=True),
        torch.linalg.norm(x, 2, dim=(0, 2), keepdim=True),
        torch.linalg.norm(x, "nuc", dim=(2, 0)),
        torch.linalg.norm(x, dim=-1),
        torch.linalg.norm(x, dim=(-1, -2)),
    ]


@error(RuntimeError, r"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D")
def norm_3d_ord_err(torch):
    torch.linalg.norm(torch.randn(2, 3, 4), 2)


@error(RuntimeError, r"linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
def norm_fro_vector(torch):
    torch.linalg.norm(torch.randn(4), "fro")


@error(RuntimeError, r"linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
def norm_nuc_vector(torch):
    torch.linalg.norm(torch.randn(4), "nuc")


@error(RuntimeError, r"Order 3 not supported")
def matrix_norm_ord3(torch):
    torch.linalg.matrix_norm(torch.randn(3, 3), 3)


@error(RuntimeError, r"dim must be a 2-tuple")
def matrix_norm_dim1(torch):
    torch.linalg.matrix_norm(torch.randn(3, 3), dim=(0,))


@error(RuntimeError, r"dims must be different")
def matrix_norm_same_dims(torch):
    torch.linalg.matrix_norm(torch.randn(3, 3), dim=(1, 1))


@error(RuntimeError, r"The input tensor A must have at least 2 dimensions")
def matrix_norm_1d(torch):
    torch.linalg.matrix_norm(torch.randn(3))


@error(IndexError, r"Dimension out of range")
def vector_norm_dim_oob(torch):
    torch.linalg.vector_norm(torch.randn(3), dim=2)


@error(
    RuntimeError,
    r"linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long",
)
def vector_norm_int_err(torch):
    torch.linalg.vector_norm(torch.arange(3))


@error(RuntimeError, r"Expected a floating point or complex tensor as input")
def matrix_norm_int_err(torch):
    torch.linalg.matrix_norm(torch.ones(3, 3, dtype=torch.long))


@program
def vector_norm_empty_dims(torch):
    x = torch.randn(0, 3, dtype=torch.float64)
    return [
        torch.linalg.vector_norm(x, dim=0),
        torch.linalg.vector_norm(x, 2),
        torch.linalg.vector_norm(x, 0, dim=0),
        torch.linalg.vector_norm(x, -math.inf, dim=1),
    ]


@error(
    RuntimeError,
    r"linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity",
)
def vector_norm_inf_empty_err(torch):
    torch.linalg.vector_norm(torch.randn(0, 3), math.inf)


@program
def vector_norm_dtype_keep(torch):
    x = torch.randn(3, 4)
    return [
        torch.linalg.vector_norm(x, 3, dim=(0, 1), keepdim=True, dtype=torch.float64),
        torch.linalg.vector_norm(x, dim=[], keepdim=False),
    ]


@error(RuntimeError, r"dtype")
def vector_norm_dtype_down(torch):
    torch.linalg.vector_norm(torch.randn(3, dtype=torch.float64), dtype=torch.float32)


@program
def matrix_norm_keepdim_ords(torch):
    x = torch.randn(2, 3, 3, dtype=torch.float64)
    return [
        torch.linalg.matrix_norm(x, o, dim=(0, 2), keepdim=True)
        for o in ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]
    ]


@program
def cond_ords_batched(torch):
    x = torch.randn(2, 3, 3, dtype=torch.float64)
    return [
        torch.linalg.cond(x, o) for o in [None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]
    ]


@program
def cond_singular_inf(torch):
    x = torch.zeros(3, 3, dtype=torch.float64)
    return [torch.linalg.cond(x, o) for o in ["fro", "nuc", 1, math.inf]]


@error(RuntimeError, r"linalg.cond\(ord=1\): A must be batches of square matrices")
def cond_rect_ord1(torch):
    torch.linalg.cond(torch.randn(3, 4), 1)


@program
def cond_empty(torch):
    return [torch.linalg.cond(torch.randn(0, 0)), torch.linalg.cond(torch.randn(2, 0, 0), "fro")]


@error(RuntimeError, r"linalg.cond got an invalid norm type: 3")
def cond_bad_ord(torch):
    torch.linalg.cond(torch.randn(3, 3), 3)


@program
def matrix_rank_variants(torch):
    a = torch.randn(4, 2, dtype=torch.float64) @ torch.randn(2, 5, dtype=torch.float64)
    h = a @ a.mT
    return [
        torch.linalg.matrix_rank(a),
        torch.linalg.matrix_rank(h, hermitian=True),
        torch.linalg.matrix_rank(a, atol=1.0, rtol=0.0),
        torch.linalg.matrix_rank(a, rtol=0.5),
        torch.linalg.matrix_rank(torch.stack([a, a * 0])),
        torch.linalg.matrix_rank(a, tol=1e3),
        torch.linalg.matrix_rank(torch.randn(0, 3)),
    ]


@error(TypeError, r"linalg_matrix_rank\(\) received an invalid combination of arguments")
def matrix_rank_tol_and_atol(torch):
    torch.linalg.matrix_rank(torch.randn(3, 3), tol=1.0, atol=1.0)


@error(RuntimeError, r"at least 2 dimensions")
def matrix_rank_1d(torch):
    torch.linalg.matrix_rank(torch.randn(3))


@program
def pinv_variants(torch):
    a = torch.randn(3, 5, dtype=torch.float64)
    return [
        torch.linalg.pinv(a),
        torch.linalg.pinv(torch.randn(2, 4, 3, dtype=torch.float64), rtol=0.3),
        torch.linalg.pinv(torch.zeros(2, 3, dtype=torch.float64)),
        torch.linalg.pinv(torch.randn(0, 3, dtype=torch.float64)),
        torch.pinverse(a, rcond=0.5),
    ]


@program
def det_batched_singular(torch):
    a = torch.randint(-3, 4, (3, 4, 4)).double()
    a[1, 2] = a[1, 0]
    a[2] = 0
    s = torch.linalg.slogdet(a)
    return torch.linalg.det(a), s.sign, s.logabsdet, torch.det(a[0]), torch.logdet(a)


@error(
    RuntimeError, r"linalg.det: A must be batches of square matrices, but they are 3 by 4 matrices"
)
def det_rect(torch):
    torch.linalg.det(torch.randn(3, 4))


@error(RuntimeError, r"linalg.det: Expected a floating point or complex tensor as input. Got Long")
def det_long(torch):
    torch.linalg.det(torch.ones(2, 2, dtype=torch.long))


@error(RuntimeError, r"linalg.slogdet: The input tensor A must have at least 2 dimensions.")
def slogdet_1d(torch):
    torch.linalg.slogdet(torch.randn(3))


@program
def slogdet_0x0(torch):
    s = torch.linalg.slogdet(torch.randn(2, 0, 0))
    return s.sign, s.logabsdet


@program
def inv_ex_fields(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    a[0] = 0
    r = torch.linalg.inv_ex(a)
    return r.info, r.inverse[1], type(r).__name__


@error(
    RuntimeError,
    r"linalg.inv: \(Batch element 1\): The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular.",
)
def inv_batched_singular(torch):
    a = torch.randn(2, 3, 3)
    a[1] = 0
    torch.linalg.inv(a)


@error(
    RuntimeError, r"linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices"
)
def inv_rect(torch):
    torch.linalg.inv(torch.randn(2, 3))


@error(RuntimeError, r"linalg.inv_ex: The diagonal element 1 is zero")
def inv_ex_check_errors(torch):
    torch.linalg.inv_ex(torch.zeros(2, 2), check_errors=True)


@program
def solve_ex_fields(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    b = torch.randn(2, 3, 2, dtype=torch.float64)
    a[1] = 0
    r = torch.linalg.solve_ex(a, b)
    return r.info, r.result[0], type(r).__name__


@error(RuntimeError, r"linalg.solve_ex: The solver failed because the input matrix is singular.")
def solve_ex_check_errors(torch):
    torch.linalg.solve_ex(torch.zeros(2, 2), torch.ones(2, 1), check_errors=True)


@error(
    RuntimeError,
    r"linalg.solve: Expected A and B to have the same dtype, but found A of type Float and B of type Double instead",
)
def solve_dtype(torch):
    torch.linalg.solve(torch.randn(2, 2), torch.randn(2, 1, dtype=torch.float64))


@error(
    RuntimeError,
    r"linalg.solve: A must be batches of square matrices, but they are 2 by 3 matrices",
)
def solve_rect(torch):
    torch.linalg.solve(torch.randn(2, 3), torch.randn(2, 1))


@error(
    RuntimeError,
    r"linalg.solve: Incompatible shapes of A and B for the equation AX = B \(3x3 and 2x1\)",
)
def solve_bad_b(torch):
    torch.linalg.solve(torch.randn(3, 3), torch.randn(2, 1))


@program
def lstsq_shapes(torch):
    out = []
    for drv in ["gels", "gelsy", "gelsd", "gelss"]:
        a = torch.randn(2, 5, 3, dtype=torch.float64)
        b = torch.randn(2, 5, 2, dtype=torch.float64)
        r = torch.linalg.lstsq(a, b, driver=drv)
        out.append((r.solution, r.residuals, r.rank, r.singular_values.shape))
    return out


@program
def lstsq_wide_residuals(torch):
    a = torch.randn(3, 5, dtype=torch.float64)
    b = torch.randn(3, 2, dtype=torch.float64)
    r = torch.linalg.lstsq(a, b, driver="gelsd")
    return r.solution, r.residuals.shape, r.rank, r.singular_values


@program
def lstsq_rank_deficient_residuals(torch):
    a = torch.randn(5, 2, dtype=torch.float64) @ torch.randn(2, 3, dtype=torch.float64)
    b = torch.randn(5, 2, dtype=torch.float64)
    r = torch.linalg.lstsq(a, b, driver="gelsy")
    return r.residuals.shape, r.rank


@error(
    RuntimeError,
    r"torch.linalg.lstsq: input.dim\(\) must be greater or equal to other.dim\(\) and \(input.dim\(\) - other.dim\(\)\) <= 1",
)
def lstsq_dims(torch):
    torch.linalg.lstsq(torch.randn(3, 3), torch.randn(2, 3, 3))


@error(RuntimeError, r"torch.linalg.lstsq: Expected input and other to have the same dtype")
def lstsq_dtype(torch):
    torch.linalg.lstsq(torch.randn(3, 3), torch.randn(3, 2, dtype=torch.float64))


@program
def lstsq_rcond(torch):
    a = torch.randn(5, 3, dtype=torch.float64)
    a[:, 2] = a[:, 0] * 1e-9
    b = torch.randn(5, 1, dtype=torch.float64)
    r = torch.linalg.lstsq(a, b, rcond=1e-6, driver="gelsd")
    return r.solution, r.rank


def _spd(torch, *shape):
    a = torch.randn(*shape, dtype=torch.float64)
    return a @ a.mT + shape[-1] * torch.eye(shape[-1], dtype=torch.float64)


@program
def cholesky_upper_ex(torch):
    a = _spd(torch, 2, 3, 3)
    r = torch.linalg.cholesky_ex(a, upper=True)
    return (
        r.L,
        r.info,
        type(r).__name__,
        torch.cholesky(a[0], upper=True),
        torch.linalg.cholesky(a, upper=True),
    )


@error(
    RuntimeError,
    r"linalg.cholesky: \(Batch element 1\): The factorization could not be completed because the input is not positive-definite \(the leading minor of order 1 is not positive-definite\).",
)
def cholesky_batched_err(torch):
    a = _spd(torch, 2, 3, 3)
    a[1] = -a[1]
    torch.linalg.cholesky(a)


@error(
    RuntimeError,
    r"linalg.cholesky: A must be batches of square matrices, but they are 2 by 3 matrices",
)
def cholesky_rect(torch):
    torch.linalg.cholesky(torch.randn(2, 3))


@program
def qr_modes_shapes(torch):
    a = torch.randn(2, 5, 3, dtype=torch.float64)
    w = torch.randn(3, 5, dtype=torch.float64)
    out = []
    for x in (a, w):
        for mode in ("reduced", "complete", "r"):
            q, r = torch.linalg.qr(x, mode=mode)
            out.append(
                (
                    q.shape,
                    r.shape,
                    (q @ r - x).abs().max() < 1e-10
                    if mode != "r"
                    else r.abs().diagonal(dim1=-2, dim2=-1),
                )
            )
    return out


@error(
    RuntimeError,
    r"qr received unrecognized mode 'full' but expected one of 'reduced' \(default\), 'r', or 'complete'",
)
def qr_bad_mode(torch):
    torch.linalg.qr(torch.randn(3, 3), mode="full")


@error(
    RuntimeError,
    r"The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr\(A, mode='reduced'\) if you are going to differentiate through linalg.qr.",
)
def qr_r_backward(torch):
    a = torch.randn(3, 3, requires_grad=True)
    torch.linalg.qr(a, mode="r").R.sum().backward()


@program
def qr_empty(torch):
    q, r = torch.linalg.qr(torch.randn(0, 3))
    q2, r2 = torch.linalg.qr(torch.randn(3, 0), mode="complete")
    return q.shape, r.shape, q2, r2.shape


@program
def eigh_uplo(torch):
    a = torch.randn(4, 4, dtype=torch.float64)
    w_l, v_l = torch.linalg.eigh(a)
    w_u = torch.linalg.eigvalsh(a, UPLO="U")
    sym_l = a.tril() + a.tril(-1).mT
    return (
        w_l,
        w_u,
        torch.linalg.eigvalsh(sym_l),
        (v_l.abs() - torch.linalg.eigh(sym_l).eigenvectors.abs()).abs().max() < 1e-8,
    )


@error(RuntimeError, r"Expected UPLO argument to be 'L' or 'U', but got X")
def eigvalsh_bad_uplo(torch):
    torch.linalg.eigvalsh(torch.randn(3, 3), UPLO="X")


@program
def eigh_lowercase_uplo(torch):
    a = torch.randn(3, 3, dtype=torch.float64)
    return torch.linalg.eigvalsh(a, UPLO="u"), torch.linalg.eigh(a, UPLO="l").eigenvalues


@error(RuntimeError, r"linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
def lu_solve_vector_b(torch):
    torch.linalg.lu_solve(*torch.linalg.lu_factor(torch.randn(3, 3)), torch.randn(3))


@error(
    RuntimeError,
    r"linalg.lu_solve: Incompatible shapes of A and B for the equation XA = B \(3x3 and 1x2\)",
)
def lu_solve_bad_shape_right(torch):
    torch.linalg.lu_solve(*torch.linalg.lu_factor(torch.randn(3, 3)), torch.randn(1, 2), left=False)


@error(RuntimeError, r"linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32")
def lu_solve_long_pivots(torch):
    torch.linalg.lu_solve(
        torch.linalg.lu_factor(torch.randn(3, 3))[0],
        torch.ones(3, dtype=torch.long),
        torch.randn(3, 1),
    )


@error(RuntimeError, r"linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
def matrix_power_1d(torch):
    torch.linalg.matrix_power(torch.randn(3), 2)


@error(
    RuntimeError,
    r"multi_dot\(\): tensors 0 and 1 with shapes \[2\] and \[3, 2\] cannot be multiplied",
)
def multi_dot_vector_mismatch(torch):
    torch.linalg.multi_dot([torch.randn(2), torch.randn(3, 2)])


@program
def svd_shapes(torch):
    a = torch.randn(2, 4, 3, dtype=torch.float64)
    u, s, vh = torch.linalg.svd(a)
    u2, s2, vh2 = torch.linalg.svd(a, full_matrices=False)
    u3, s3, v3 = torch.svd(a, some=False)
    return (
        u.shape,
        vh.shape,
        u2.shape,
        vh2.shape,
        s,
        s2,
        torch.linalg.svdvals(a),
        u3.shape,
        v3.shape,
        s3,
        (u2 @ torch.diag_embed(s2) @ vh2 - a).abs().max() < 1e-10,
    )


@program
def svd_compute_uv_false(torch):
    a = torch.randn(4, 3, dtype=torch.float64)
    u, s, v = torch.svd(a, compute_uv=False)
    return u, s, v


@program
def matrix_power_cases(torch):
    a = _spd(torch, 2, 3, 3)
    return [torch.linalg.matrix_power(a, n) for n in (-3, -1, 0, 1, 2, 5)] + [
        a.matrix_power(-2),
        torch.matrix_power(a[0], 3),
    ]


@program
def matrix_power_int(torch):
    a = torch.tensor([[1, 2], [3, 4]])
    return torch.linalg.matrix_power(a, 3), torch.linalg.matrix_power(a, 0)


@error(RuntimeError, r"linalg.inv: Expected a floating point or complex tensor as input. Got Long")
def matrix_power_int_negative(torch):
    torch.linalg.matrix_power(torch.tensor([[1, 2], [3, 4]]), -1)


@error(
    RuntimeError,
    r"linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 matrices",
)
def matrix_power_rect(torch):
    torch.linalg.matrix_power(torch.randn(2, 3), 2)


@program
def matrix_exp_cases(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    return (
        torch.linalg.matrix_exp(a),
        torch.matrix_exp(torch.zeros(3, 3, dtype=torch.float64)),
        torch.linalg.matrix_exp(torch.randn(1, 1, dtype=torch.float64)),
        a.matrix_exp(),
    )


@error(
    RuntimeError,
    r"linalg.matrix_exp: A must be batches of square matrices, but they are 2 by 3 matrices",
)
def matrix_exp_rect(torch):
    torch.linalg.matrix_exp(torch.randn(2, 3))


@program
def multi_dot_chain(torch):
    a, b, c, d = (torch.randn(*s, dtype=torch.float64) for s in [(2, 5), (5, 3), (3, 4), (4,)])
    return (
        torch.linalg.multi_dot([a, b, c, d]),
        torch.linalg.multi_dot([a, b]),
        torch.linalg.multi_dot([d, d]),
    )


@error(RuntimeError, r"multi_dot\(\): expected at least 2 tensors but got 0")
def multi_dot_empty(torch):
    torch.linalg.multi_dot([])


@error(RuntimeError, r"multi_dot\(\): tensor 1 must be 2D but got 3D")
def multi_dot_3d(torch):
    torch.linalg.multi_dot([torch.randn(2, 2), torch.randn(2, 2, 2), torch.randn(2, 2)])


@error(
    RuntimeError,
    r"multi_dot\(\): tensors 0 and 1 with shapes \[2, 3\] and \[2, 2\] cannot be multiplied",
)
def multi_dot_mismatch(torch):
    torch.linalg.multi_dot([torch.randn(2, 3), torch.randn(2, 2)])


@error(
    RuntimeError,
    r"multi_dot\(\): all tensors must have be the same dtype but tensor 0 is float and tensor 1 double",
)
def multi_dot_dtype(torch):
    torch.linalg.multi_dot([torch.randn(2, 3), torch.randn(3, 2, dtype=torch.float64)])


@error(RuntimeError, r"multi_dot\(\): the first tensor must be 1D or 2D but got 3D")
def multi_dot_first_3d(torch):
    torch.linalg.multi_dot([torch.randn(2, 2, 2), torch.randn(2, 2)])


@program
def chain_matmul_cases(torch):
    a, b, c = (torch.randn(*s, dtype=torch.float64) for s in [(2, 5), (5, 3), (3, 4)])
    return torch.chain_matmul(a, b, c), torch.chain_matmul(a)


@program
def householder_wide_tau(torch):
    a = torch.randn(5, 3, dtype=torch.float64)
    tau = torch.rand(2, dtype=torch.float64)
    return torch.linalg.householder_product(a, tau), torch.orgqr(a, tau)


@error(
    RuntimeError,
    r"torch.linalg.householder_product: input.shape\[-1\] must be greater than or equal to tau.shape\[-1\]",
)
def householder_tau_long(torch):
    torch.linalg.householder_product(torch.randn(5, 2), torch.randn(3))


@error(
    RuntimeError,
    r"torch.linalg.householder_product: input.shape\[-2\] must be greater than or equal to input.shape\[-1\]",
)
def householder_wide(torch):
    torch.linalg.householder_product(torch.randn(2, 5), torch.randn(2))


@program
def lu_solve_left_adjoint(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    b = torch.randn(2, 3, 4, dtype=torch.float64)
    c = torch.randn(2, 4, 3, dtype=torch.float64)
    LU, piv = torch.linalg.lu_factor(a)
    return [
        torch.linalg.lu_solve(LU, piv, b),
        torch.linalg.lu_solve(LU, piv, b, adjoint=True),
        torch.linalg.lu_solve(LU, piv, c, left=False),
        torch.linalg.lu_solve(LU, piv, c, left=False, adjoint=True),
        torch.lu_solve(b, LU, piv),
    ]


@program
def lu_unpack_and_legacy(torch):
    a = torch.randn(4, 3, dtype=torch.float64)
    P, L, U = torch.linalg.lu(a)
    LU, piv = torch.linalg.lu_factor(a)
    P2, L2, U2 = torch.lu_unpack(LU, piv)
    LU3, piv3, info = torch.lu(a, get_infos=True)
    return P, L, U, P2, L2, U2, piv.dtype, info, LU3


@error(
    RuntimeError,
    r"linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type Float and B of type Double instead",
)
def lu_solve_dtype(torch):
    LU, piv = torch.linalg.lu_factor(torch.randn(3, 3))
    torch.linalg.lu_solve(LU, piv, torch.randn(3, 1, dtype=torch.float64))


@program
def tensorinv_ind(torch):
    a = torch.randn(4, 6, 8, 3, dtype=torch.float64)
    return torch.linalg.tensorinv(a, ind=2).shape, torch.linalg.tensorinv(
        a.reshape(24, 2, 12), ind=1
    ).shape


@error(
    RuntimeError,
    r"Expected self to satisfy the requirement prod\(self.shape\[ind:\]\) == prod\(self.shape\[:ind\]\), but got 24 != 2",
)
def tensorinv_bad(torch):
    torch.linalg.tensorinv(torch.randn(2, 3, 8), ind=1)


@error(RuntimeError, r"Expected a strictly positive integer for 'ind', but got 0")
def tensorinv_ind0(torch):
    torch.linalg.tensorinv(torch.randn(4, 4), ind=0)


@program
def tensorsolve_dims(torch):
    a = torch.randn(6, 4, 3, 8, dtype=torch.float64)
    b = torch.randn(6, 4, dtype=torch.float64)
    a2 = torch.randn(2, 3, 6, dtype=torch.float64)
    b2 = torch.randn(3, 2, dtype=torch.float64)
    return torch.linalg.tensorsolve(a, b), torch.linalg.tensorsolve(a2, b2, dims=(0, 2)).shape


@program
def vander_cases(torch):
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    return (
        torch.linalg.vander(x),
        torch.linalg.vander(x, N=5),
        torch.vander(x),
        torch.vander(x, N=2, increasing=True),
        torch.linalg.vander(torch.tensor([[1, 2], [3, 4]])),
        torch.vander(torch.tensor([1, 2, 3]), 0),
    )


@error(RuntimeError, r"N must be greater than 1.")
def vander_n0(torch):
    torch.linalg.vander(torch.randn(3), N=0)


@error(RuntimeError, r"N must be greater than 1.")
def linalg_vander_0d(torch):
    torch.linalg.vander(torch.tensor(1.0))


@error(RuntimeError, r"x must be a one-dimensional tensor.")
def vander_2d(torch):
    torch.vander(torch.randn(2, 2))


@error(RuntimeError, r"N must be non-negative.")
def vander_negative(torch):
    torch.vander(torch.randn(3), N=-1)


@program
def cross_defaults(torch):
    a = torch.randn(3, 3, dtype=torch.float64)
    b = torch.randn(3, 3, dtype=torch.float64)
    c = torch.randn(2, 3, 4, dtype=torch.float64)
    return (
        torch.cross(a, b, dim=0),
        torch.linalg.cross(a, b),
        torch.cross(a, b, dim=1),
        torch.linalg.cross(c, c.flip(0), dim=1),
        torch.linalg.cross(torch.randn(1, 3), torch.randn(4, 3)).shape,
    )


@error(RuntimeError, r"linalg.cross: inputs dimension 0 must have length 3. Got 2 and 2")
def linalg_cross_dim_bad(torch):
    torch.linalg.cross(torch.randn(2, 3), torch.randn(2, 3), dim=0)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def cross_dim_oob(torch):
    torch.linalg.cross(torch.randn(2, 3), torch.randn(2, 3), dim=2)


@error(
    RuntimeError,
    r"The size of tensor a \(2\) must match the size of tensor b \(4\) at non-singleton dimension 0",
)
def cross_broadcast_bad(torch):
    torch.linalg.cross(torch.randn(2, 3), torch.randn(4, 3))


@program
def vecdot_dims(torch):
    a = torch.randn(2, 3, 4, dtype=torch.float64)
    b = torch.randn(3, 1, dtype=torch.float64)
    return (
        torch.linalg.vecdot(a, b, dim=0 - 1 if False else -2).shape,
        torch.vdot(a[0, 0], a[1, 0]),
        torch.linalg.vecdot(a, a, dim=0),
    )


@error(
    RuntimeError,
    r"linalg.vecdot: Expected x and y to have the same dtype, but found x of type Float and y of type Double instead",
)
def vecdot_dtype(torch):
    torch.linalg.vecdot(torch.randn(3), torch.randn(3, dtype=torch.float64))


@program
def linalg_diagonal_offsets(torch):
    a = torch.randn(2, 3, 4)
    return (
        torch.linalg.diagonal(a),
        torch.linalg.diagonal(a, offset=1),
        torch.linalg.diagonal(a, offset=-2, dim1=0, dim2=2),
        torch.linalg.diagonal(a, offset=9),
    )


# ---- products: the addmm family, outer/kron, tensordot, einsum, matmul ----------------------


@program
def addmm_beta0_nan(torch):
    inp = torch.full((2, 3), math.nan, dtype=torch.float64)
    m1, m2 = torch.randn(2, 4, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)
    return (
        torch.addmm(inp, m1, m2, beta=0),
        torch.addmm(inp, m1, m2, beta=0, alpha=2),
        torch.addmm(inp, m1, m2, beta=1),
    )


@program
def addmv_beta0_nan(torch):
    inp = torch.full((2,), math.nan, dtype=torch.float64)
    m, v = torch.randn(2, 4, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
    return (
        torch.addmv(inp, m, v, beta=0),
        torch.addmv(inp[:1], m, v, beta=0, alpha=0.5),
        torch.addmv(torch.ones(2, dtype=torch.float64), m, v, beta=0.5, alpha=-1),
    )


@program
def addr_beta0_nan(torch):
    inp = torch.full((2, 3), math.nan, dtype=torch.float64)
    a, b = torch.randn(2, dtype=torch.float64), torch.randn(3, dtype=torch.float64)
    return (
        torch.addr(inp, a, b, beta=0),
        torch.addr(torch.ones(3, dtype=torch.float64), a, b, alpha=2),
        torch.addr(
            torch.zeros(2, 3, dtype=torch.bool),
            torch.tensor([True, False]),
            torch.tensor([False, True, True]),
        ),
    )


@program
def addr_int(torch):
    return torch.addr(
        torch.ones(2, 2, dtype=torch.long),
        torch.tensor([1, 2]),
        torch.tensor([3, 4]),
        beta=2,
        alpha=3,
    )


@error(RuntimeError, r"Boolean beta only supported for Boolean results.")
def addr_bool_beta_float(torch):
    torch.addr(torch.ones(2, 2), torch.ones(2), torch.ones(2), beta=True, alpha=True)


@error(
    RuntimeError, r"For integral input tensors, argument beta must not be a floating point number."
)
def addr_int_float_beta(torch):
    torch.addr(
        torch.ones(2, 2, dtype=torch.long),
        torch.ones(2, dtype=torch.long),
        torch.ones(2, dtype=torch.long),
        beta=1.5,
    )


@program
def baddbmm_beta0_nan(torch):
    inp = torch.full((2, 2, 3), math.nan, dtype=torch.float64)
    b1, b2 = torch.randn(2, 2, 4, dtype=torch.float64), torch.randn(2, 4, 3, dtype=torch.float64)
    return (
        torch.baddbmm(inp, b1, b2, beta=0),
        torch.baddbmm(inp[0], b1, b2, beta=0, alpha=3),
        torch.baddbmm(torch.ones(3, dtype=torch.float64), b1, b2, beta=-1),
    )


@program
def addbmm_beta0_nan(torch):
    inp = torch.full((2, 3), math.nan, dtype=torch.float64)
    b1, b2 = torch.randn(5, 2, 4, dtype=torch.float64), torch.randn(5, 4, 3, dtype=torch.float64)
    return (
        torch.addbmm(inp, b1, b2, beta=0),
        torch.addbmm(torch.ones(1, 3, dtype=torch.float64), b1, b2, alpha=0.5),
        torch.addbmm(inp, b1[:0], b2[:0], beta=0),
    )


@program
def addmm_empty_k(torch):
    inp = torch.ones(2, 3, dtype=torch.float64)
    return (
        torch.addmm(
            inp,
            torch.randn(2, 0, dtype=torch.float64),
            torch.randn(0, 3, dtype=torch.float64),
            beta=2,
        ),
        torch.mm(torch.randn(2, 0), torch.randn(0, 3)),
        torch.bmm(torch.randn(2, 3, 0), torch.randn(2, 0, 4)),
    )


@program
def addmm_inplace_methods(torch):
    a = torch.ones(2, 3, dtype=torch.float64)
    m1, m2 = torch.randn(2, 4, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)
    a.addmm_(m1, m2, beta=0.5, alpha=2)
    b = torch.ones(2, dtype=torch.float64).addmv_(m1, torch.ones(4, dtype=torch.float64))
    c = torch.zeros(2, 3, dtype=torch.float64).addr_(
        torch.ones(2, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    )
    return a, b, c


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)")
def addmm_shape(torch):
    torch.addmm(torch.ones(2, 5), torch.randn(2, 3), torch.randn(4, 5))


@error(RuntimeError, r"self must be a matrix")
def mm_1d(torch):
    torch.mm(torch.randn(3), torch.randn(3, 3))


@error(RuntimeError, r"batch1 must be a 3D tensor")
def bmm_2d(torch):
    torch.bmm(torch.randn(3, 3), torch.randn(3, 3, 3))


@error(
    RuntimeError,
    r"expected scalar type Float but found Double|expected m1 and m2 to have the same dtype, but got: float != double",
)
def mm_dtype(torch):
    torch.mm(torch.randn(2, 3), torch.randn(3, 2, dtype=torch.float64))


@error(RuntimeError, r"size mismatch, got input \(3\), mat \(2x4\), vec \(4\)")
def addmv_bad_input(torch):
    torch.addmv(torch.ones(3), torch.randn(2, 4), torch.randn(4))


@error(RuntimeError, r"vector \+ matrix @ vector expected, got 1, 2, 2")
def addmv_bad_vec(torch):
    torch.addmv(torch.ones(2), torch.randn(2, 4), torch.randn(4, 1))


@error(RuntimeError, r"outer: Expected 1-D argument self, but got 2-D")
def outer_2d(torch):
    torch.outer(torch.randn(2, 2), torch.randn(2))


@program
def outer_ger_inner_kron(torch):
    a = torch.randn(3, dtype=torch.float64)
    b = torch.arange(4)
    x = torch.randn(2, 3, dtype=torch.float64)
    y = torch.randn(4, 3, dtype=torch.float64)
    return [
        torch.outer(a, b),
        torch.ger(a, a),
        torch.inner(x, y),
        torch.inner(x, torch.tensor(2.0, dtype=torch.float64)),
        torch.inner(a, a),
        torch.kron(x, y),
        torch.kron(torch.arange(3), torch.ones(2, 2)),
        torch.kron(torch.randn(2, 1, 2), torch.randn(3, 2)).shape,
        torch.kron(torch.tensor(2), torch.tensor([1, 2])),
    ]


@error(
    RuntimeError,
    r"inner\(\) the last dimension must match on both input tensors but got shapes \[2, 3\] and \[4, 2\]",
)
def inner_mismatch(torch):
    torch.inner(torch.randn(2, 3), torch.randn(4, 2))


@program
def tensordot_forms(torch):
    a = torch.randn(3, 4, 5, dtype=torch.float64)
    b = torch.randn(4, 5, 6, dtype=torch.float64)
    c = torch.randn(5, 3, dtype=torch.float64)
    return [
        torch.tensordot(a, b),
        torch.tensordot(a, b, dims=2),
        torch.tensordot(a, b, dims=([1, 2], [0, 1])),
        torch.tensordot(a, c, dims=([0, 2], [1, 0])),
        torch.tensordot(a, b, dims=0).shape,
        torch.tensordot(a[0], b[0], dims=1),
        torch.tensordot(a, b, dims=torch.tensor(2)),
        torch.tensordot(a, c, dims=torch.tensor([[2], [0]])),
        torch.tensordot(a, b, dims=[[1], [0]]).shape,
    ]


@error(
    RuntimeError,
    r"contracted dimensions need to match, but first has size 3 in dim 0 and second has size 4 in dim 0",
)
def tensordot_mismatch(torch):
    torch.tensordot(torch.randn(3, 4), torch.randn(4, 3), dims=([0], [0]))


@error(RuntimeError, r"tensordot expects dims >= 0, but got dims=-1")
def tensordot_negative(torch):
    torch.tensordot(torch.randn(3, 4), torch.randn(4, 3), dims=-1)


@error(RuntimeError, r"both dimension lists should have same length")
def tensordot_len(torch):
    torch.tensordot(torch.randn(3, 4), torch.randn(4, 3), dims=([0, 1], [0]))


@program
def einsum_forms(torch):
    a = torch.randn(2, 3, dtype=torch.float64)
    b = torch.randn(3, 4, dtype=torch.float64)
    c = torch.randn(2, 5, 3, 3, dtype=torch.float64)
    return [
        torch.einsum("ij,jk->ik", a, b),
        torch.einsum("ij,jk", a, b),
        torch.einsum("ij->", a),
        torch.einsum("ii->i", b[:, :3]),
        torch.einsum("ii", b[:, :3]),
        torch.einsum("...ii->...i", c),
        torch.einsum("b...ij,b...jk->b...ik", c, c),
        torch.einsum("i,j->ij", a[0], b[0]),
        torch.einsum("ji", a),
        torch.einsum("ij,jk->ik", [a, b]),
        torch.einsum(a, [0, 1], b, [1, 2], [0, 2]),
        torch.einsum(c, [Ellipsis, 0, 0], [Ellipsis, 0]),
        torch.einsum("i i -> i", b[:, :3]),
        torch.einsum("...,...->...", a, b[:, 0]),
        torch.einsum("ij...,j...->i...", c[0], a[0]),
        torch.einsum("iij->ij", torch.randn(2, 2, 3, dtype=torch.float64)),
    ]


@program
def einsum_broadcast_and_empty(torch):
    a = torch.randn(2, 1, 3, dtype=torch.float64)
    b = torch.randn(4, 3, dtype=torch.float64)
    return (
        torch.einsum("...j,...j->...", a, b),
        torch.einsum("ij,jk->ik", torch.randn(2, 0), torch.randn(0, 3)),
        torch.einsum("i->", torch.randn(0)),
        torch.einsum("bij->bji", torch.randn(0, 2, 3)).shape,
        torch.einsum("ij,ij->ij", torch.ones(2, 3, dtype=torch.long), torch.full((2, 3), 2)),
    )


@program
def einsum_grad(torch):
    a = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    y = torch.einsum("ij,jj,jk->ik", a, b, b)
    y.sum().backward()
    return y, a.grad, b.grad


@error(RuntimeError, r"einsum\(\): more operands were provided than specified in the equation")
def einsum_too_many(torch):
    torch.einsum("i->i", torch.randn(2), torch.randn(2))


@error(RuntimeError, r"einsum\(\): fewer operands were provided than specified in the equation")
def einsum_too_few(torch):
    torch.einsum("i,i->i", torch.randn(2))


@error(
    RuntimeError,
    r"einsum\(\): the number of subscripts in the equation \(2\) does not match the number of dimensions \(1\) for operand 0 and no ellipsis was given",
)
def einsum_dims(torch):
    torch.einsum("ij->i", torch.randn(2))


@error(
    RuntimeError,
    r"einsum\(\): the number of subscripts in the equation \(2\) is more than the number of dimensions \(1\) for operand 0",
)
def einsum_dims_ellipsis(torch):
    torch.einsum("ij...->i", torch.randn(2))


@error(
    RuntimeError,
    r"einsum\(\): invalid subscript given at index 0 in the equation string, subscripts must be in \[a-zA-Z\]",
)
def einsum_bad_char(torch):
    torch.einsum("1->", torch.randn(1))


@error(RuntimeError, r"einsum\(\): output subscript i appears more than once in the output")
def einsum_out_twice(torch):
    torch.einsum("i->ii", torch.randn(2))


@error(
    RuntimeError,
    r"einsum\(\): output subscript j does not appear in the equation for any input operand",
)
def einsum_out_unknown(torch):
    torch.einsum("i->j", torch.randn(2))


@error(
    RuntimeError,
    r"einsum\(\): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2",
)
def einsum_repeat_sizes(torch):
    torch.einsum("ii", torch.randn(2, 3))


@error(
    RuntimeError,
    r"einsum\(\): subscript i has size 3 for operand 1 which does not broadcast with previously seen size 2",
)
def einsum_no_broadcast(torch):
    torch.einsum("i,i", torch.randn(2), torch.randn(3))


@error(RuntimeError, r"einsum\(\): found \'.\' for operand 0 that is not part of any ellipsis")
def einsum_bad_dot(torch):
    torch.einsum("i.->", torch.randn(2))


@error(
    RuntimeError, r"einsum\(\): found \'.\' for operand 0 for which an ellipsis was already found"
)
def einsum_two_ellipsis(torch):
    torch.einsum("...i...->", torch.randn(2))


@error(
    ValueError,
    r"einsum\(\): must specify the equation string and at least one operand, or at least one operand and its subscripts list",
)
def einsum_no_operand(torch):
    torch.einsum("i->")


@error(
    RuntimeError, r"einsum\(\): found \'.\' for output but an ellipsis \(...\) was already found"
)
def einsum_output_two_ellipsis(torch):
    torch.einsum("...i->......", torch.randn(2))


@program
def chain_matmul_and_matmul_shapes(torch):
    out = []
    for sa, sb in [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 2)),
        ((4, 2, 3), (3,)),
        ((3,), (4, 3, 2)),
        ((4, 1, 2, 3), (5, 3, 2)),
        ((2, 3), (4, 3, 2)),
    ]:
        out.append(
            torch.matmul(
                torch.randn(*sa, dtype=torch.float64), torch.randn(*sb, dtype=torch.float64)
            )
        )
    return out


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)")
def matmul_mismatch_2d(torch):
    torch.matmul(torch.randn(2, 3), torch.randn(2, 3))


@error(RuntimeError, r"size mismatch, got input \(2\), mat \(2x3\), vec \(2\)")
def matmul_mismatch_mv(torch):
    torch.matmul(torch.randn(2, 3), torch.randn(2))


@error(
    RuntimeError,
    r"inconsistent tensor size, expected tensor \[3\] and src \[2\] to have the same number of elements, but got 3 and 2 elements respectively",
)
def matmul_mismatch_dot(torch):
    torch.matmul(torch.randn(3), torch.randn(2))


@error(RuntimeError, r"both arguments to matmul need to be at least 1D, but they are 0D and 1D")
def matmul_0d(torch):
    torch.matmul(torch.tensor(1.0), torch.randn(2))


@error(
    RuntimeError,
    r"Expected size for first two dimensions of batch2 tensor to be: \[4, 3\] but got: \[4, 2\].",
)
def matmul_batched_mismatch(torch):
    torch.matmul(torch.randn(4, 2, 3), torch.randn(4, 2, 3))


@error(
    RuntimeError,
    r"The size of tensor a \(4\) must match the size of tensor b \(5\) at non-singleton dimension 0",
)
def matmul_batch_broadcast_bad(torch):
    torch.matmul(torch.randn(4, 2, 3), torch.randn(5, 3, 3))


@error(RuntimeError, r"1D tensors expected, but got 2D and 1D tensors")
def dot_2d(torch):
    torch.dot(torch.randn(2, 2), torch.randn(2))


@error(RuntimeError, r"dot : expected both vectors to have same dtype, but found Float and Double")
def dot_dtype(torch):
    torch.dot(torch.randn(2), torch.randn(2, dtype=torch.float64))


@error(RuntimeError, r"vector \+ matrix @ vector expected, got 1, 2, 2")
def mv_2d_vec(torch):
    torch.mv(torch.randn(2, 2), torch.randn(2, 1))


@error(RuntimeError, r"mat2 must be a matrix")
def mm_vector_mat2(torch):
    torch.mm(torch.randn(3, 3), torch.randn(3))


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(8x3 and 2x3\)")
def matmul_batched_by_matrix_mismatch(torch):
    torch.matmul(torch.randn(4, 2, 3), torch.randn(2, 3))


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(1x3 and 2x3\)")
def matmul_vector_by_matrix_mismatch(torch):
    torch.matmul(torch.randn(3), torch.randn(2, 3))


@error(
    RuntimeError,
    r"Expected size for first two dimensions of batch2 tensor to be: \[20, 3\] but got: \[20, 2\].",
)
def matmul_broadcast_batch_mismatch(torch):
    torch.matmul(torch.randn(4, 1, 2, 3), torch.randn(5, 2, 3))


@error(
    RuntimeError,
    r"Expected size for first two dimensions of batch2 tensor to be: \[4, 3\] but got: \[4, 2\].",
)
def matmul_matrix_by_batch_mismatch(torch):
    torch.matmul(torch.randn(2, 3), torch.randn(4, 2, 3))


@error(RuntimeError, r"Boolean alpha only supported for Boolean results.")
def addr_bool_alpha_float(torch):
    torch.addr(torch.ones(2, 2), torch.ones(2), torch.ones(2), alpha=True)


@program
def addmm_bool_beta_allowed(torch):
    x = torch.ones(2, 2, dtype=torch.float64)
    return torch.addmm(x, x, x, beta=True), torch.addmv(x[0], x, x[0], alpha=True)


# ---- out=, gradients, legacy forms -----------------------------------------------------------


@error(RuntimeError, r"linalg.matrix_norm: Order 0 not supported.")
def norm_ord0_matrix(torch):
    torch.linalg.norm(torch.randn(2, 2), 0)


@program
def norm_out_and_dtype(torch):
    x = torch.randn(3, 4)
    out = torch.empty(0, dtype=torch.float64)
    r = torch.linalg.norm(x, dtype=torch.float64, out=out)
    o2 = torch.empty(3)
    torch.linalg.vector_norm(x, 1, dim=1, out=o2)
    o3 = torch.empty(())
    torch.linalg.matrix_norm(x, "nuc", out=o3)
    return r, out, o2, o3, torch.linalg.matrix_norm(x, dtype=torch.float64).dtype


@program
def legacy_norm_forms(torch):
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    return [
        torch.norm(x),
        torch.norm(x, p="fro", dim=(1, 2)),
        torch.norm(x[0], p="nuc"),
        torch.norm(x, p=0),
        torch.norm(x, p=math.inf, dim=1, keepdim=True),
        torch.norm(x, dim=2),
        x.norm(3, -1),
        torch.norm(x, p=1, dim=(0, 2)),
        torch.dist(x, x.flip(0)),
        torch.dist(x, x[0], p=math.inf),
        torch.dist(x, 0.5 * x, p=0),
    ]


@program
def vector_norm_ords_keepdim(torch):
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    return [
        torch.linalg.vector_norm(x, o, dim=(0, 2), keepdim=True)
        for o in (0, 0.5, 1, 2, 3, math.inf, -math.inf, -1, -0.5)
    ]


@program
def norm_grads_orders(torch):
    x = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    outs = [torch.linalg.norm(x, o) for o in ("fro", "nuc", 2, -2, 1, math.inf)]
    grads = torch.autograd.grad(sum(o for o in outs), x)
    return outs, grads


@program
def cholesky_ex_info_minor(torch):
    a = torch.eye(4, dtype=torch.float64).repeat(3, 1, 1)
    a[1, 2, 2] = -1
    a[2, 0, 0] = 0
    r = torch.linalg.cholesky_ex(a)
    return r.info, r.L[0]


@program
def cholesky_out_and_inverse(torch):
    a = torch.randn(3, 3, dtype=torch.float64)
    a = a @ a.mT + torch.eye(3, dtype=torch.float64)
    L = torch.linalg.cholesky(a)
    out = torch.empty(3, 3, dtype=torch.float64)
    torch.linalg.cholesky(a, out=out)
    return (
        out,
        torch.cholesky_inverse(L),
        torch.cholesky_inverse(L.mT, upper=True),
        torch.cholesky_solve(torch.eye(3, dtype=torch.float64), L),
    )


@program
def triangular_solve_legacy(torch):
    a = torch.randn(3, 3, dtype=torch.float64).triu() + 3 * torch.eye(3, dtype=torch.float64)
    b = torch.randn(3, 2, dtype=torch.float64)
    r = torch.triangular_solve(b, a)
    r2 = torch.triangular_solve(b, a.mT, upper=False, transpose=True, unitriangular=True)
    return r.solution, r.cloned_coefficient, r2.solution, type(r).__name__


@program
def solve_triangular_forms(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64) + 3 * torch.eye(3, dtype=torch.float64)
    b = torch.randn(2, 4, 3, dtype=torch.float64)
    return (
        torch.linalg.solve_triangular(a, b, upper=True, left=False),
        torch.linalg.solve_triangular(a, b.mT, upper=False, unitriangular=True),
        torch.linalg.solve_triangular(a[0], b.mT, upper=True),
    )


@program
def inv_out_and_methods(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    out = torch.empty(0, dtype=torch.float64)
    torch.linalg.inv(a, out=out)
    return out, a.inverse(), torch.inverse(a[0]), a.det(), a.slogdet(), a.logdet()


@program
def det_grads_batched(torch):
    a = torch.randn(3, 3, 3, dtype=torch.float64, requires_grad=True)
    d = torch.linalg.det(a)
    s = torch.linalg.slogdet(a)
    (g1,) = torch.autograd.grad(d.sum(), a)
    (g2,) = torch.autograd.grad(s.logabsdet.sum(), a)
    return d, g1, g2


@program
def eigh_1x1_and_grad(torch):
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    a = (a + a.mT).requires_grad_()
    w, v = torch.linalg.eigh(a)
    (g,) = torch.autograd.grad(w.pow(2).sum() + (v.abs()).sum() * 0, a)
    return torch.linalg.eigh(torch.tensor([[2.0]], dtype=torch.float64)), w, g


@program
def svd_grad_values(torch):
    a = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    s = torch.linalg.svdvals(a)
    (g,) = torch.autograd.grad(s.sum(), a)
    u, s2, vh = torch.linalg.svd(a, full_matrices=False)
    (g2,) = torch.autograd.grad((u @ torch.diag(s2) @ vh).sum(), a)
    return s, g, g2


@program
def lstsq_grad_batched(torch):
    a = torch.randn(2, 5, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(1, 5, 2, dtype=torch.float64, requires_grad=True)
    x = torch.linalg.lstsq(a, b).solution
    return x, torch.autograd.grad(x.sum(), (a, b))


@program
def pinv_tensor_atol(torch):
    a = torch.randn(3, 4, 4, dtype=torch.float64)
    a = a @ a.mT
    return torch.linalg.pinv(
        a, atol=torch.tensor([0.0, 1.0, 100.0], dtype=torch.float64), hermitian=True
    ), torch.linalg.matrix_rank(
        a, atol=torch.tensor([0.0, 1.0, 100.0], dtype=torch.float64), hermitian=True
    )


@program
def matrix_rank_float32_rtol(torch):
    a = torch.randn(5, 3) @ torch.randn(3, 6)
    return (
        torch.linalg.matrix_rank(a),
        torch.linalg.matrix_rank(a, rtol=0.1),
        torch.linalg.matrix_rank(a.double(), hermitian=False, atol=0.0, rtol=0.0) >= 3,
    )


@program
def matrix_exp_grad_batched(torch):
    a = (0.3 * torch.randn(2, 3, 3, dtype=torch.float64)).requires_grad_()
    e = torch.linalg.matrix_exp(a)
    return e, torch.autograd.grad(e.sum(), a)


@program
def matrix_power_grad(torch):
    a = (
        torch.randn(3, 3, dtype=torch.float64) + 3 * torch.eye(3, dtype=torch.float64)
    ).requires_grad_()
    outs = [torch.linalg.matrix_power(a, n) for n in (-2, 0, 3)]
    return outs, torch.autograd.grad(sum(o.sum() for o in outs), a)


@program
def multi_dot_grad(torch):
    a, b, c = (
        torch.randn(*s, dtype=torch.float64, requires_grad=True) for s in [(3,), (3, 4), (4, 2)]
    )
    y = torch.linalg.multi_dot([a, b, c])
    return y, torch.autograd.grad(y.sum(), (a, b, c))


@program
def kron_tensordot_grads(torch):
    a = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    k = torch.kron(a, b)
    t = torch.tensordot(a, b, dims=([1, 0], [0, 1]))
    return k, t, torch.autograd.grad(k.sum() + t, (a, b))


@program
def addmm_grads_beta0(torch):
    inp = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    m1 = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
    m2 = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    y = torch.addmm(inp, m1, m2, beta=0, alpha=2)
    return y, torch.autograd.grad(y.sum(), (inp, m1, m2))


@program
def baddbmm_grads(torch):
    inp = torch.randn(3, dtype=torch.float64, requires_grad=True)
    b1 = torch.randn(2, 2, 4, dtype=torch.float64, requires_grad=True)
    b2 = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
    y = torch.baddbmm(inp, b1, b2, beta=0.5, alpha=-1)
    z = torch.addbmm(inp, b1, b2, beta=2)
    return y, z, torch.autograd.grad(y.sum() + z.sum(), (inp, b1, b2))


@program
def vecdot_int_and_grad(torch):
    x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    y = torch.randn(3, dtype=torch.float64)
    v = torch.linalg.vecdot(x, y)
    return v, torch.autograd.grad(v.sum(), x)


@program
def cross_int(torch):
    a = torch.tensor([[1, 2, 3], [4, 5, 6]])
    b = torch.tensor([[7, 8, 9], [1, 0, 1]])
    return torch.linalg.cross(a, b), torch.cross(a, b, dim=1)


@program
def householder_orgqr_reconstruct(torch):
    a = torch.randn(5, 3, dtype=torch.float64)
    h, tau = torch.geqrf(a)
    q = torch.linalg.householder_product(h, tau)
    r = h.triu()[:3]
    return (q @ r - a).abs().max() < 1e-12, q.shape, torch.linalg.householder_product(h, tau[:0])


@program
def ormqr_forms(torch):
    a = torch.randn(4, 3, dtype=torch.float64)
    h, tau = torch.geqrf(a)
    c = torch.randn(4, 2, dtype=torch.float64)
    return (
        torch.ormqr(h, tau, c),
        torch.ormqr(h, tau, c, transpose=True),
        torch.ormqr(h, tau, c.mT, left=False),
    )


@program
def lu_factor_ex_batched_info(torch):
    a = torch.randn(3, 3, 3, dtype=torch.float64)
    a[1] = 0
    a[2, :, 1] = 0
    r = torch.linalg.lu_factor_ex(a)
    return r.info, r.pivots, type(r).__name__


@program
def tensorsolve_tensorinv_values(torch):
    a = torch.randn(6, 2, 3, dtype=torch.float64)
    b = torch.randn(6, dtype=torch.float64)
    x = torch.linalg.tensorsolve(a, b)
    ai = torch.linalg.tensorinv(a.reshape(2, 3, 6), ind=2)
    return x, ai


@error(
    RuntimeError, r"linalg.vecdot: Expected a floating point or complex tensor as input. Got Long"
)
def vecdot_int_float(torch):
    torch.linalg.vecdot(torch.arange(3), torch.randn(3))


@program
def svd_driver_and_legacy(torch):
    a = torch.randn(3, 2, dtype=torch.float64)
    r = torch.linalg.svd(a, full_matrices=False)
    return type(r).__name__, r.S, torch.svd(a).V.shape, type(torch.svd(a)).__name__


@program
def linalg_out_tuples(torch):
    a = torch.randn(3, 3, dtype=torch.float64)
    a = a + a.mT
    w, v = torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.float64)
    r = torch.linalg.eigh(a, out=(w, v))
    q, rr = torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.float64)
    r2 = torch.linalg.qr(a, out=(q, rr))
    o = torch.empty(0, dtype=torch.float64)
    r3 = torch.linalg.solve(a, torch.ones(3, dtype=torch.float64), out=o)
    return type(r).__name__, r[0] is w, w, type(r2).__name__, rr, r3 is o, o


# ---- empty and 1x1 inputs, float32, einsum sublists, chain_matmul ---------------------------


@program
def empty_batches(torch):
    z = torch.randn(0, 3, 3, dtype=torch.float64)
    e = torch.randn(2, 0, 3, dtype=torch.float64)
    return [
        torch.linalg.det(z),
        torch.linalg.inv(z),
        torch.linalg.cholesky(z),
        torch.linalg.eigvalsh(z),
        torch.linalg.svdvals(e),
        torch.linalg.matrix_rank(e),
        torch.linalg.pinv(e),
        torch.linalg.qr(e).R.shape,
        torch.linalg.matrix_norm(e),
        torch.linalg.matrix_norm(e, 1),
        torch.linalg.slogdet(torch.randn(2, 0, 0)).logabsdet,
        torch.linalg.inv(torch.randn(0, 0)),
        torch.linalg.matrix_exp(z),
        torch.linalg.matrix_power(torch.randn(0, 0), -2),
    ]


@program
def small_matrices(torch):
    a = torch.tensor([[2.5]], dtype=torch.float64)
    return [
        torch.linalg.det(a),
        torch.linalg.inv(a),
        torch.linalg.cholesky(a),
        torch.linalg.eigvalsh(a),
        torch.linalg.svdvals(a),
        torch.linalg.matrix_rank(a),
        torch.linalg.cond(a),
        torch.linalg.solve(a, torch.ones(1, dtype=torch.float64)),
        torch.linalg.matrix_exp(a),
        torch.linalg.pinv(a),
        torch.linalg.norm(a, 2),
    ]


@program
def float32_decompositions(torch):
    a = torch.randn(2, 4, 4)
    spd = a @ a.mT + 4 * torch.eye(4)
    return [
        torch.linalg.det(spd),
        torch.linalg.slogdet(a).sign,
        torch.linalg.cholesky(spd),
        torch.linalg.eigvalsh(spd),
        torch.linalg.svdvals(a),
        torch.linalg.inv(spd),
        torch.linalg.solve(spd, a),
        torch.linalg.lstsq(spd, a).solution,
        torch.linalg.matrix_norm(a, "nuc"),
        torch.linalg.cond(spd),
    ]


@error(RuntimeError, r"linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2")
def linalg_cross_default_dim(torch):
    torch.linalg.cross(torch.randn(3, 2), torch.randn(3, 2))


@error(RuntimeError, r"linalg.cross: inputs must have the same number of dimensions.")
def cross_legacy_ndim(torch):
    torch.cross(torch.randn(3, 3), torch.randn(3), dim=1)


@program
def cond_singular_values(torch):
    a = torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64)
    z = torch.zeros(2, 2, dtype=torch.float64)
    return [
        torch.linalg.cond(z),
        torch.linalg.cond(z, -2),
        torch.linalg.cond(a, "fro"),
        torch.linalg.cond(a, math.inf),
        torch.linalg.cond(z, "nuc"),
    ]


@error(RuntimeError, r"linalg.vector_norm: dtype should be floating point or complex, but got Long")
def norm_int_dtype(torch):
    torch.linalg.norm(torch.randn(3), dtype=torch.long)


@program
def matrix_norm_int_with_dtype(torch):
    x = torch.arange(6).reshape(2, 3)
    return torch.linalg.norm(x.float(), "fro"), torch.linalg.vector_norm(x.double(), 1)


@program
def einsum_size_one_broadcast(torch):
    a = torch.randn(2, 1, 3, dtype=torch.float64)
    b = torch.randn(1, 4, 3, dtype=torch.float64)
    return (
        torch.einsum("bij,bkj->bik", a, b).shape,
        torch.einsum(
            "i,i->", torch.randn(1, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
        ),
        torch.einsum("...i,...i", a, b).shape,
    )


@program
def einsum_sublist_forms(torch):
    a = torch.randn(2, 3, dtype=torch.float64)
    b = torch.randn(3, 4, dtype=torch.float64)
    c = torch.randn(5, 2, 3, dtype=torch.float64)
    return [
        torch.einsum(a, [0, 1], b, [1, 2]),
        torch.einsum(a, [0, 1]),
        torch.einsum(c, [..., 1], [1]),
        torch.einsum(c, [..., 0, 1], a, [0, 1], [...]),
        torch.einsum(a, [51, 0], [0, 51]),
    ]


@error(
    ValueError, r"einsum\(\): subscript in subscript list is not within the valid range \[0, 52\)"
)
def einsum_sublist_out_of_range(torch):
    torch.einsum(torch.randn(2), [52])


@program
def addmm_out_and_int(torch):
    out = torch.empty(0, dtype=torch.float64)
    m = torch.randn(2, 2, dtype=torch.float64)
    torch.addmm(m, m, m, beta=0.5, out=out)
    i = torch.tensor([[1, 2], [3, 4]])
    return (
        out,
        torch.addmm(i, i, i, beta=2, alpha=3),
        torch.addmv(i[0], i, i[1], alpha=2),
        torch.baddbmm(i, i[None], i[None], beta=0),
    )


@error(
    RuntimeError, r"For integral input tensors, argument alpha must not be a floating point number."
)
def addr_int_float_alpha(torch):
    i = torch.tensor([1, 2])
    torch.addr(torch.ones(2, 2, dtype=torch.long), i, i, alpha=0.5)


@program
def outer_kron_dtypes(torch):
    return [
        torch.outer(torch.arange(3), torch.tensor([0.5, 1.5])),
        torch.kron(torch.tensor([True, False]), torch.tensor([2, 3])),
        torch.ger(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([3], dtype=torch.int32)),
    ]


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: long int != float")
def mm_int_float(torch):
    torch.mm(torch.ones(2, 2, dtype=torch.long), torch.ones(2, 2))


@program
def tensordot_out_and_zero(torch):
    a = torch.randn(2, 3, dtype=torch.float64)
    b = torch.randn(3, 2, dtype=torch.float64)
    out = torch.empty(0, dtype=torch.float64)
    torch.tensordot(a, b, dims=1, out=out)
    return (
        out,
        torch.tensordot(a, b, dims=([], [])).shape,
        torch.tensordot(torch.randn(0, 3), torch.randn(3, 0), dims=1),
    )


@error(RuntimeError, r"both inputs should have same dtype")
def tensordot_dtype(torch):
    torch.tensordot(torch.randn(2, 3), torch.randn(3, 2, dtype=torch.float64), dims=1)


@program
def chain_matmul_single_and_vectors(torch):
    a = torch.randn(3, 3, dtype=torch.float64)
    return torch.chain_matmul(a, a, a, a), torch.linalg.multi_dot(
        [torch.randn(3, dtype=torch.float64), a, torch.randn(3, dtype=torch.float64)]
    )


@error(RuntimeError, r"chain_matmul\(\): Expected one or more matrices")
def chain_matmul_none(torch):
    torch.chain_matmul()


@error(RuntimeError, r"Tensor dimension is 1, expected 2 instead.")
def chain_matmul_vector(torch):
    torch.chain_matmul(torch.randn(3), torch.randn(3, 3))


@error(RuntimeError, r"both inputs should have same dtype")
def inner_dtype(torch):
    torch.inner(torch.arange(3), torch.arange(3.0))


@program
def chain_matmul_grad_single(torch):
    a = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    one = torch.chain_matmul(a)
    y = torch.chain_matmul(a, b, b.mT)
    return one, one is a, y, torch.autograd.grad(y.sum() + one.sum(), (a, b))


@error(
    RuntimeError,
    r"multi_dot\(\): tensors 0 and 1 with shapes \[3, 2\] and \[3, 3\] cannot be multiplied",
)
def chain_matmul_mismatch(torch):
    torch.chain_matmul(torch.randn(3, 2), torch.randn(3, 3))


# ---- argument checks in PyTorch's words ------------------------------------------------------
@error(RuntimeError, r"^linalg.cholesky: The input tensor A must have at least 2 dimensions.$")
def cholesky_1d(torch):
    torch.linalg.cholesky(torch.randn(3))


@error(RuntimeError, r"^linalg.inv: A must be batches of square matrices, but they are 3 by 4")
def inv_ex_rect(torch):
    torch.linalg.inv_ex(torch.randn(3, 4))


@error(RuntimeError, r"^linalg.cholesky: A must be batches of square matrices, but they are 3 by 4")
def cholesky_ex_rect(torch):
    torch.linalg.cholesky_ex(torch.randn(3, 4))


@error(RuntimeError, r"^torch.linalg.lstsq: input must have at least 2 dimensions.$")
def lstsq_1d(torch):
    torch.linalg.lstsq(torch.randn(3), torch.randn(3))


@error(RuntimeError, r"^linalg.solve: The input tensor B must have at least 2 dimensions.$")
def solve_scalar_b(torch):
    torch.linalg.solve(torch.randn(3, 3), torch.tensor(1.0))


@error(TypeError, r"linalg_matrix_power\(\): argument 'n' \(position 2\) must be int, not float")
def matrix_power_float_n(torch):
    torch.linalg.matrix_power(torch.randn(2, 2), 2.0)


@error(RuntimeError, r"^torch.linalg.householder_product: input must have at least 2 dimensions.$")
def householder_1d(torch):
    torch.linalg.householder_product(torch.randn(3), torch.randn(1))


@error(
    RuntimeError,
    r"torch.linalg.householder_product: Expected tau to have one dimension less than input, but "
    r"got tau.ndim equal to 2 and input.ndim is equal to 2",
)
def householder_tau_ndim(torch):
    torch.linalg.householder_product(torch.randn(3, 3), torch.randn(3, 3))


@error(
    RuntimeError,
    r"torch.linalg.householder_product: tau dtype Double does not match input dtype Float",
)
def householder_tau_dtype(torch):
    torch.linalg.householder_product(torch.randn(2, 3, 3), torch.randn(2, 1, dtype=torch.float64))


@error(RuntimeError, r"consider calling linalg.lu\(A, pivot\) or linalg.lu_factor_ex\(A, pivot\)")
def lu_factor_singular_message(torch):
    torch.linalg.lu_factor(torch.zeros(3, 3))


@error(RuntimeError, r"batch1 and batch2 must have same number of batches, got 3 and 2")
def addbmm_batch_count(torch):
    torch.addbmm(torch.randn(2, 2), torch.randn(3, 2, 2), torch.randn(2, 2, 2))


@error(RuntimeError, r"Incompatible matrix sizes for bmm \(2x2 and 3x2\)")
def addbmm_inner_size(torch):
    torch.addbmm(torch.randn(2, 2), torch.randn(3, 2, 2), torch.randn(3, 3, 2))


@error(
    RuntimeError,
    r"linalg.vander supports floating point, complex, and integer tensors, but got Bool",
)
def linalg_vander_bool(torch):
    torch.linalg.vander(torch.tensor([True, False]))
