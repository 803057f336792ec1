"""Session 16's linear-algebra fixes, each pinned by a program compared with PyTorch (found by
tests/test_fuzz_linalg.py): out= of torch.linalg's ops (the op named in the autograd error,
the out dtype checked before computing, composites that allow out= with a gradient),
triangular solves of an exactly singular matrix, linalg.solve's singular message, the dispatch
errors of integer inputs, and cross's size check before broadcasting."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _spd(torch, dtype=None):
    a = torch.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], dtype=dtype)
    return a


# ---- out= --------------------------------------------------------------------------------
@error(RuntimeError, r"^_linalg_eigh\(\): functions with out=\.\.\. arguments don't support")
def linalg_eigh_out_names_its_aten_op(torch):
    a = _spd(torch).requires_grad_()
    torch.linalg.eigh(a, out=(torch.empty(0), torch.empty(0)))


@error(RuntimeError, r"^linalg_inv_ex\(\): functions with out=")
def linalg_inv_out_names_inv_ex(torch):
    torch.linalg.inv(_spd(torch).requires_grad_(), out=torch.empty(0))


@error(RuntimeError, r"^mul\(\): functions with out=")
def kron_out_names_mul(torch):
    a = torch.ones(2, 2, requires_grad=True)
    torch.kron(a, a, out=torch.empty(0))


@program
def linalg_det_takes_out(torch):
    out = torch.empty(0, dtype=torch.float64)
    r = torch.linalg.det(_spd(torch, torch.float64), out=out)
    return r is out, out


@error(TypeError, r"^linalg_diagonal\(\) got an unexpected keyword argument 'out'")
def linalg_diagonal_has_no_out(torch):
    torch.linalg.diagonal(torch.ones(2, 2), out=torch.empty(0))


@error(TypeError, r"^einsum\(\) got an unexpected keyword argument 'out'")
def einsum_has_no_out(torch):
    torch.einsum("ij,jk", torch.ones(2, 2), torch.ones(2, 2), out=torch.empty(0))


@program
def lu_unpack_takes_out(torch):
    LU, piv = torch.linalg.lu_factor(_spd(torch))
    out = (torch.empty(0), torch.empty(0), torch.empty(0))
    r = torch.lu_unpack(LU, piv, out=out)
    return type(r).__name__, r[1] is out[1], list(out)


@program
def matrix_norm_out_with_a_gradient_joins_the_graph(torch):
    a = _spd(torch).requires_grad_()
    out = torch.empty(0)
    torch.linalg.matrix_norm(a, "nuc", out=out)
    out.backward()
    return out.requires_grad, a.grad


@program
def tensordot_out_with_a_gradient(torch):
    a = torch.ones(2, 3, requires_grad=True)
    out = torch.empty(0)
    torch.tensordot(a, torch.ones(3, 2), dims=1, out=out)
    return out, out.requires_grad


@error(RuntimeError, r"^Expected out tensor to have dtype float, but got double instead")
def linalg_cholesky_out_dtype_checked_before_factoring(torch):
    torch.linalg.cholesky(-torch.eye(2), out=torch.empty(0, dtype=torch.float64))


@error(RuntimeError, r"^Expected out tensor to have dtype float, but got long int instead")
def linalg_solve_out_dtype_checked_before_solving(torch):
    torch.linalg.solve(torch.zeros(2, 2), torch.ones(2), out=torch.empty(0, dtype=torch.int64))


@error(RuntimeError, r"^linalg\.matrix_norm expected out tensor dtype Float but got: Double")
def linalg_matrix_norm_out_dtype(torch):
    torch.linalg.matrix_norm(torch.ones(2, 2), out=torch.empty(0, dtype=torch.float64))


@error(RuntimeError, r"^multi_dot\(\): expected out tensor to have dtype float but got double")
def multi_dot_out_dtype(torch):
    a = torch.ones(2, 2)
    torch.linalg.multi_dot([a, a], out=torch.empty(0, dtype=torch.float64))


@error(RuntimeError, r"^expected scalar type Float but found Double")
def solve_triangular_out_dtype(torch):
    a = torch.eye(2)
    torch.linalg.solve_triangular(a, a, upper=True, out=torch.empty(0, dtype=torch.float64))


@error(RuntimeError, r"^linalg\.pinv: Expected result to be safely castable from Float dtype")
def linalg_pinv_out_cast_error(torch):
    torch.linalg.pinv(torch.eye(2), out=torch.empty(0, dtype=torch.int64))


@program
def linalg_svd_out_into_float64_checked(torch):
    a = torch.eye(2)
    try:
        torch.linalg.svd(a, out=(torch.empty(0, dtype=torch.float64),) * 3)
    except RuntimeError as e:
        return str(e).replace("minitorch", "torch")
    return None


# ---- singular matrices ---------------------------------------------------------------------
@program
def solve_triangular_of_a_singular_matrix_is_inf_nan(torch):
    a = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0], [0.0, 0.0, 2.0]], dtype=torch.float64)
    b = torch.tensor([[1.0, 0.0], [2.0, 0.0], [4.0, 1.0]], dtype=torch.float64)
    return torch.linalg.solve_triangular(a, b, upper=True)


@program
def solve_triangular_lower_singular_right_side(torch):
    a = torch.tensor([[2.0, 0.0], [1.0, 0.0]], dtype=torch.float64)
    b = torch.tensor([[1.0, 3.0]], dtype=torch.float64)
    return torch.linalg.solve_triangular(a, b, upper=False, left=False)


@program
def qr_gradient_of_a_rank_deficient_input_is_nan_not_an_error(torch):
    a = torch.zeros(1, 3, dtype=torch.float64).mT.requires_grad_()
    q, r = torch.linalg.qr(a)
    (q.sum() + r.sum()).backward()
    return a.grad.isnan().any()


@error(RuntimeError, r"^torch\.linalg\.solve: The solver failed because the input matrix is singular\.$")  # fmt: skip
def linalg_solve_singular_message(torch):
    torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))


@error(RuntimeError, r"^torch\.linalg\.solve: \(Batch element 1\): The solver failed because")
def linalg_solve_singular_message_names_the_batch_element(torch):
    a = torch.stack([torch.eye(2), torch.zeros(2, 2)])
    torch.linalg.solve(a, torch.ones(2, 2, 1))


# ---- integer inputs ------------------------------------------------------------------------
@error(NotImplementedError, r"^\"cholesky_cpu\" not implemented for 'Long'")
def torch_cholesky_of_integers(torch):
    torch.cholesky(torch.eye(2, dtype=torch.int64))


@error(NotImplementedError, r"^\"linalg_eigh_cpu\" not implemented for 'Long'")
def eigh_of_integers(torch):
    torch.linalg.eigh(torch.eye(2, dtype=torch.int64))


@error(NotImplementedError, r"^\"lu_cpu\" not implemented for 'Long'")
def lu_factor_of_integers(torch):
    torch.linalg.lu_factor(torch.eye(2, dtype=torch.int64))


@error(NotImplementedError, r"^\"cholesky_solve_cpu\" not implemented for 'Long'")
def cholesky_solve_of_integers(torch):
    a = torch.eye(2, dtype=torch.int64)
    torch.cholesky_solve(a, a)


@error(NotImplementedError, r"^\"triangular_solve_cpu\" not implemented for 'Long'")
def solve_triangular_of_integers(torch):
    a = torch.eye(2, dtype=torch.int64)
    torch.linalg.solve_triangular(a, a, upper=True)


@error(RuntimeError, r"^This function doesn't handle types other than float and double")
def lstsq_of_integers(torch):
    a = torch.eye(2, dtype=torch.int64)
    torch.linalg.lstsq(a, a)


@error(RuntimeError, r"^This function doesn't handle types other than float and double")
def matrix_rank_of_integers(torch):
    torch.linalg.matrix_rank(torch.eye(2, dtype=torch.int64))


@error(RuntimeError, r"^linalg\.svd: Expected a floating point or complex tensor as input\. Got Long")  # fmt: skip
def torch_svd_of_integers_names_linalg_svd(torch):
    torch.svd(torch.eye(2, dtype=torch.int64))


# ---- cross -----------------------------------------------------------------------------------
@error(RuntimeError, r"^linalg\.cross: inputs dimension -1 must have length 3\. Got 2 and 3")
def cross_checks_sizes_along_dim_before_broadcasting(torch):
    torch.cross(torch.ones(3, 2), torch.ones(1, 3), dim=-1)


# ---- LU --------------------------------------------------------------------------------------
@program
def torch_lu_of_a_singular_matrix_does_not_raise(torch):
    return torch.lu(torch.zeros(3, 1, 1, dtype=torch.float64))


@error(RuntimeError, r"^torch\.linalg\.lu_factor: \(Batch element 1\): U\[1,1\] is zero")
def lu_factor_singular_message_names_the_batch_element(torch):
    torch.linalg.lu_factor(torch.stack([torch.eye(2), torch.zeros(2, 2)]))


# ---- second round ----------------------------------------------------------------------------
@error(RuntimeError, r"^Expected out tensor to have dtype int, but got float instead")
def linalg_solve_ex_info_out_must_be_int32(torch):
    a = torch.eye(2)
    torch.linalg.solve_ex(a, torch.ones(2), out=(torch.empty(0), torch.empty(0)))


@error(RuntimeError, r"^Expected out tensor to have dtype float, but got double instead")
def linalg_matrix_power_out_of_another_float_dtype(torch):
    torch.linalg.matrix_power(torch.eye(2), 2, out=torch.empty(0, dtype=torch.float64))


@error(RuntimeError, r"^multi_dot\(\): expected out tensor to have dtype double but got float")
def multi_dot_out_dtype_checked_before_the_autograd_error(torch):
    v = torch.ones(2, dtype=torch.float64, requires_grad=True)
    torch.linalg.multi_dot([v, torch.eye(2, dtype=torch.float64), v], out=torch.empty(0))


@error(RuntimeError, r"^_linalg_eigh\(\): functions with out=")
def linalg_eigh_out_checks_the_arguments_first(torch):
    a = torch.ones(2, 3, requires_grad=True)
    torch.linalg.eigh(a, out=(torch.empty(0, dtype=torch.float64),) * 2)


@error(RuntimeError, r"^Expected UPLO argument to be 'L' or 'U', but got X")
def linalg_eigvalsh_uplo_checked_before_the_out_dtype(torch):
    torch.linalg.eigvalsh(torch.eye(2), UPLO="X", out=torch.empty(0, dtype=torch.int64))


@error(RuntimeError, r"^The QR decomposition is not differentiable when mode='complete' and nrows > ncols")  # fmt: skip
def qr_complete_gradient_of_a_tall_input(torch):
    a = torch.ones(3, 2, dtype=torch.float64).cumsum(0).requires_grad_()
    q, r = torch.linalg.qr(a, mode="complete")
    (q.sum() + r.sum()).backward()


@error(RuntimeError, r"^linalg\.pinv\(Long\{\[2, 2\]\}\): expected a tensor with 2 or more dimensions of float")  # fmt: skip
def pinv_of_integers(torch):
    torch.linalg.pinv(torch.eye(2, dtype=torch.int64))


@error(RuntimeError, r"^This function doesn't handle types other than float and double")
def pinv_of_integers_with_a_float_tolerance(torch):
    torch.linalg.pinv(torch.eye(2, dtype=torch.int64), atol=0.0)


@error(NotImplementedError, r"^\"cholesky_inverse_out_cpu\" not implemented for 'Long'")
def cholesky_inverse_of_integers(torch):
    torch.cholesky_inverse(torch.eye(2, dtype=torch.int64))


@error(RuntimeError, r"^Expected b and A to have the same dtype, but found b of type Double and A of type Float")  # fmt: skip
def triangular_solve_of_mixed_dtypes(torch):
    torch.triangular_solve(torch.ones(2, 1, dtype=torch.float64), torch.eye(2))


@program
def matrix_norms_of_empty_matrices(torch):
    out = []
    for shape in ((3, 0), (0, 3), (2, 0, 2), (2, 2, 0)):
        a = torch.ones(shape, requires_grad=True)
        for ord in (2, 1, float("inf")):
            n = torch.linalg.matrix_norm(a, ord=ord)
            out.append((n, n.requires_grad))
    return out


@error(IndexError, r"^amin\(\): Expected reduction dim")
def matrix_norm_minus_two_of_an_empty_matrix(torch):
    torch.linalg.matrix_norm(torch.ones(3, 0), ord=-2)


@error(RuntimeError, r"^linalg\.vector_norm cannot compute the -1 norm on an empty tensor because")
def vector_norm_of_a_negative_order_of_an_empty_tensor(torch):
    torch.linalg.vector_norm(torch.ones(2, 0), ord=-1)


@error(RuntimeError, r"^linalg\.cond\(ord=fro\): A must be batches of square matrices")
def cond_fro_of_an_empty_non_square_matrix(torch):
    torch.linalg.cond(torch.ones(0, 3), "fro")


@program
def cond_two_of_an_empty_non_square_matrix(torch):
    return torch.linalg.cond(torch.ones(0, 3))


# ---- third round -----------------------------------------------------------------------------
_NOT_SYMMETRIC = [[2.0, 5.0], [1.0, 3.0]]  # lower triangle positive-definite, upper not


@error(RuntimeError, r"^linalg\.cholesky: The factorization could not be completed because the input is not positive-definite \(the leading minor of order 2")  # fmt: skip
def linalg_cholesky_upper_reads_the_upper_triangle(torch):
    torch.linalg.cholesky(torch.tensor(_NOT_SYMMETRIC, dtype=torch.float64), upper=True)


@program
def linalg_cholesky_upper_of_the_transpose(torch):
    a = torch.tensor(_NOT_SYMMETRIC, dtype=torch.float64).mT.requires_grad_()
    u = torch.linalg.cholesky(a, upper=True)
    u.sum().backward()
    return u, a.grad


@program
def linalg_cholesky_ex_upper_info(torch):
    a = torch.tensor(_NOT_SYMMETRIC, dtype=torch.float64)
    return torch.linalg.cholesky_ex(a, upper=True).info, torch.linalg.cholesky_ex(a).info


@error(RuntimeError, r"^cholesky: The factorization could not be completed because the input is not positive-definite")  # fmt: skip
def torch_cholesky_upper_message_names_cholesky(torch):
    torch.cholesky(torch.tensor(_NOT_SYMMETRIC, dtype=torch.float64), upper=True)


@program
def det_gradient_of_a_zero_one_by_one_matrix(torch):
    a = torch.zeros(2, 1, 1, dtype=torch.float64, requires_grad=True)
    torch.linalg.det(a).sum().backward()
    return a.grad


@error(RuntimeError, r"^torch\.linalg\.lstsq: parameter `driver` should be one of")
def lstsq_of_integers_checks_the_driver_first(torch):
    a = torch.eye(2, dtype=torch.int64)
    torch.linalg.lstsq(a, a, driver="bad")


@error(RuntimeError, r"^no dimension of size 3 in input$")
def cross_without_dim_looks_for_size_3_before_broadcasting(torch):
    torch.cross(torch.ones(4), torch.ones(3))


@error(NotImplementedError, r"^\"linalg_eigh_cpu\" not implemented for 'Long'")
def hermitian_matrix_rank_of_integers_with_an_rtol(torch):
    torch.linalg.matrix_rank(torch.eye(2, dtype=torch.int64), hermitian=True, rtol=0.1)


@error(
    RuntimeError, r"^linalg\.svd: Expected a floating point or complex tensor as input\. Got Long"
)
def matrix_rank_of_integers_with_a_tol(torch):
    torch.linalg.matrix_rank(torch.eye(2, dtype=torch.int64), tol=0.1)


@program
def matrix_norm_two_of_an_empty_batch(torch):
    a = torch.ones(0, 3, 2, requires_grad=True)
    n = torch.linalg.matrix_norm(a, ord=2)
    return n, n.requires_grad


@program
def cond_of_an_empty_non_square_batch_with_a_number_ord(torch):
    return torch.linalg.cond(torch.ones(1, 2, 0), -1), torch.linalg.cond(torch.ones(0, 3, 2), 1)


@error(RuntimeError, r"^no dimension of size 3 in input$")
def cross_without_dim_looks_for_size_3_before_the_rank_check(torch):
    torch.cross(torch.ones(4), torch.ones(2, 2, 3))


@error(RuntimeError, r"^linalg\.eigh: A must be batches of square matrices, but they are 2 by 3")
def eigvalsh_of_integers_checks_the_shape_first(torch):
    torch.linalg.eigvalsh(torch.ones(2, 3, dtype=torch.int64))


@program
def addr_of_a_float32_and_an_integer_vector_is_float32(torch):
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    return torch.addr(torch.ones(()), v, torch.tensor([1, 2, 3]), beta=0.5, alpha=-1.5)


@program(tol={"rtol": 1e-9, "atol": 1e-10})
def lstsq_gels_ignores_rcond(torch):
    a = torch.tensor([[2.0, 0.1], [0.0, 1.0], [1.0, 0.05]], dtype=torch.float64)
    b = torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64)
    return torch.linalg.lstsq(a, b, rcond=0.5, driver="gels").solution


@error(NotImplementedError, r"^\"linalg_lstsq_cpu\" not implemented for 'Long'")
def lstsq_of_integers_with_an_rcond(torch):
    a = torch.eye(2, dtype=torch.int64)
    torch.linalg.lstsq(a, a, rcond=0.5)
