"""minitorch.linalg (and torch's top-level det/inverse/logdet/slogdet/pinverse/svd):
gradcheck/gradgradcheck in float64, the PyTorch oracle in float32 and float64 (values and
gradients; functions of eigen- and singular vectors are written to be sign-invariant, since
LAPACK may pick either sign), and errors."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import Case, assert_same, cases, check_against_torch, check_gradients
from test_cuda import check_on_device, device  # noqa: F401

import minitorch
from minitorch.autograd import gradcheck


def _well(m, a):
    """A well-conditioned square matrix (diagonally dominant) from random entries."""
    return a + 4 * m.eye(a.shape[-1], dtype=a.dtype, device=a.device)


def _spd(m, a):
    """A symmetric positive-definite matrix from random entries."""
    return a @ a.mT + m.eye(a.shape[-1], dtype=a.dtype, device=a.device)


def _sym(m, a):
    return a + a.mT


LINALG = {
    "inv": Case(lambda m, a: m.linalg.inv(_well(m, a)), [(3, 3)]),
    "inv_batched": Case(lambda m, a: m.inverse(_well(m, a)), [(2, 3, 3)]),
    "det": Case(lambda m, a: m.linalg.det(a), [(3, 3)]),
    "det_batched_method": Case(lambda m, a: a.det(), [(2, 3, 3)]),
    "slogdet": Case(lambda m, a: tuple(m.linalg.slogdet(a)), [(2, 3, 3)]),
    "logdet": Case(lambda m, a: m.logdet(_spd(m, a)), [(3, 3)]),
    "solve_matrix": Case(lambda m, a, b: m.linalg.solve(_well(m, a), b), [(3, 3), (3, 2)]),
    "solve_vector": Case(lambda m, a, b: m.linalg.solve(_well(m, a), b), [(3, 3), (3,)]),
    "solve_batched_vector": Case(
        lambda m, a, b: m.linalg.solve(_well(m, a), b), [(2, 3, 3), (2, 3)]
    ),
    "solve_broadcast": Case(lambda m, a, b: m.linalg.solve(_well(m, a), b), [(3, 3), (2, 3, 2)]),
    "solve_right": Case(
        lambda m, a, b: m.linalg.solve(_well(m, a), b, left=False), [(3, 3), (2, 3)]
    ),
    "solve_triangular_upper": Case(
        lambda m, a, b: m.linalg.solve_triangular(_well(m, a), b, upper=True), [(3, 3), (3, 2)]
    ),
    "solve_triangular_unit_lower": Case(
        lambda m, a, b: m.linalg.solve_triangular(a, b, upper=False, unitriangular=True),
        [(3, 3), (3, 2)],
    ),
    "cholesky": Case(lambda m, a: m.linalg.cholesky(_spd(m, a)), [(3, 3)]),
    "cholesky_upper_batched": Case(
        lambda m, a: m.linalg.cholesky(_spd(m, a), upper=True), [(2, 3, 3)]
    ),
    "qr_tall": Case(lambda m, a: tuple(m.linalg.qr(a)), [(4, 3)]),
    "qr_square_complete": Case(lambda m, a: tuple(m.linalg.qr(a, mode="complete")), [(2, 3, 3)]),
    "qr_r_only_values": Case(lambda m, a: m.linalg.qr(a, mode="r")[1].detach(), [(4, 3)], fd=False),
    "eigh_values": Case(lambda m, a: m.linalg.eigvalsh(_sym(m, a)), [(4, 4)]),
    "eigh_vectors": Case(lambda m, a: [v * v for v in m.linalg.eigh(_sym(m, a))], [(2, 3, 3)]),
    "eigh_upper": Case(lambda m, a: m.linalg.eigh(_sym(m, a), UPLO="U")[0], [(3, 3)]),
    "svdvals": Case(lambda m, a: m.linalg.svdvals(a), [(4, 3)]),
    "svd_reduced_tall": Case(
        lambda m, a: [u * u for u in m.linalg.svd(a, full_matrices=False)], [(4, 3)]
    ),
    "svd_reduced_wide": Case(
        lambda m, a: [u * u for u in m.linalg.svd(a, full_matrices=False)], [(2, 3, 5)]
    ),
    "svd_products": Case(
        lambda m, a: (lambda u, s, vh: u[..., :2] @ vh[..., :2, :])(*m.linalg.svd(a, False)),
        [(4, 3)],
    ),
    "svd_full_values": Case(lambda m, a: m.linalg.svd(a)[1], [(4, 3)]),
    "svd_full_extra_columns_ignored": Case(
        lambda m, a: [x * x for x in m.linalg.svd(a)], [(4, 3)], fd=False
    ),
    "torch_svd_old_api": Case(lambda m, a: [x * x for x in m.svd(a)], [(4, 3)]),
    "pinv_tall": Case(lambda m, a: m.linalg.pinv(a), [(4, 3)]),
    "pinv_hermitian": Case(lambda m, a: m.linalg.pinv(_spd(m, a), hermitian=True), [(3, 3)]),
    "pinverse_method": Case(lambda m, a: a.pinverse(), [(2, 4)]),
    "vector_norm": Case(lambda m, a: m.linalg.vector_norm(a), [(3, 4)]),
    "vector_norm_ord": Case(lambda m, a: m.linalg.vector_norm(a, 3, dim=1, keepdim=True), [(3, 4)]),
    "vector_norm_inf": Case(
        lambda m, a: m.linalg.vector_norm(a, float("inf"), dim=(0, 1)), [(3, 4)]
    ),
    "vector_norm_neg": Case(lambda m, a: m.linalg.vector_norm(a, -2, dim=0), [(3, 4)]),
    "matrix_norm_fro": Case(lambda m, a: m.linalg.matrix_norm(a), [(2, 3, 4)]),
    "matrix_norm_nuc": Case(lambda m, a: m.linalg.matrix_norm(a, "nuc", keepdim=True), [(2, 3, 4)]),
    "matrix_norm_2": Case(lambda m, a: m.linalg.matrix_norm(a, 2, dim=(2, 0)), [(3, 2, 4)]),
    "matrix_norm_neg2": Case(lambda m, a: m.linalg.matrix_norm(a, -2), [(3, 4)]),
    "matrix_norm_1": Case(lambda m, a: m.linalg.matrix_norm(a, 1, keepdim=True), [(2, 3, 4)]),
    "matrix_norm_neg1": Case(lambda m, a: m.linalg.matrix_norm(a, -1), [(3, 4)]),
    "matrix_norm_inf": Case(
        lambda m, a: m.linalg.matrix_norm(a, float("inf"), dim=(0, 2)), [(3, 2, 4)]
    ),
    "matrix_norm_neg_inf": Case(lambda m, a: m.linalg.matrix_norm(a, -float("inf")), [(3, 4)]),
    "norm_default_flattens": Case(lambda m, a: m.linalg.norm(a), [(2, 3, 4)]),
    "norm_vector_dim": Case(lambda m, a: m.linalg.norm(a, 1, dim=-1), [(3, 4)]),
    "norm_matrix_ord": Case(lambda m, a: m.linalg.norm(a, "fro"), [(3, 4)]),
    "norm_matrix_dims": Case(lambda m, a: m.linalg.norm(a, float("inf"), dim=(1, 2)), [(2, 3, 4)]),
    "norm_1d_ord": Case(lambda m, a: m.linalg.norm(a, 0.5), [(5,)]),
    "multi_dot": Case(lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), [(2, 5), (5, 3), (3, 4)]),
    "multi_dot_vectors": Case(
        lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), [(3,), (3, 4), (4,)]
    ),
    "matrix_power": Case(lambda m, a: m.linalg.matrix_power(a, 5), [(2, 3, 3)]),
    "matrix_power_negative": Case(lambda m, a: m.linalg.matrix_power(_well(m, a), -2), [(3, 3)]),
    "vecdot": Case(lambda m, a, b: m.linalg.vecdot(a, b, dim=0), [(3, 4), (3, 1)]),
    "diagonal": Case(lambda m, a: m.linalg.diagonal(a, offset=1), [(2, 3, 4)]),
    "cross": Case(lambda m, a, b: m.linalg.cross(a, b, dim=0), [(3, 2), (3, 2)]),
    "matmul": Case(lambda m, a, b: m.linalg.matmul(a, b), [(2, 3), (3,)]),
}


@pytest.mark.parametrize("case", cases(LINALG, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(LINALG))
def test_matches_torch(case, dtype, torch):
    check_against_torch(case, torch, dtype)


@pytest.mark.usefixtures("device")  # "cuda": cupy on a GPU, or the fake cupy
@pytest.mark.parametrize("case", cases(LINALG))
def test_on_device_matches_cpu(case):
    """cupy.linalg on a GPU (and the strict fake cupy everywhere) gives the CPU's values and
    gradients (all cases are sign-invariant functions of singular/eigen vectors)."""
    check_on_device(case, "cuda", "float64")


def test_decompositions_reconstruct_their_input():
    rng = np.random.default_rng(0)
    a = minitorch.tensor(rng.standard_normal((2, 5, 3)))
    q, r = minitorch.linalg.qr(a)
    np.testing.assert_allclose((q @ r).numpy(), a.numpy(), atol=1e-12)
    u, s, vh = minitorch.linalg.svd(a)  # full_matrices=True: U is 5 x 5
    assert u.shape == (2, 5, 5) and vh.shape == (2, 3, 3)
    np.testing.assert_allclose((u[..., :3] * s.unsqueeze(-2)) @ vh, a.numpy(), atol=1e-12)
    sym = a.mT @ a
    values, vectors = minitorch.linalg.eigh(sym)
    np.testing.assert_allclose(
        (vectors * values.unsqueeze(-2)) @ vectors.mT, sym.numpy(), atol=1e-12
    )
    low = minitorch.linalg.cholesky(sym)
    np.testing.assert_allclose((low @ low.mT).numpy(), sym.numpy(), atol=1e-12)
    assert minitorch.linalg.qr(a, mode="r").Q.shape == (0,)


def test_eigenvectors_match_torch_up_to_sign(torch):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 4))
    sym = x + x.T
    _, ours = minitorch.linalg.eigh(minitorch.tensor(sym))
    _, theirs = torch.linalg.eigh(torch.tensor(sym))
    signs = np.sign((ours.numpy() * theirs.numpy()).sum(0))
    np.testing.assert_allclose(ours.numpy() * signs, theirs.numpy(), atol=1e-12)


def test_pinv_of_rank_deficient_matrix_matches_torch(torch):
    a = np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])
    assert_same(
        minitorch.linalg.pinv(minitorch.tensor(a)),
        torch.linalg.pinv(torch.tensor(a)),
        rtol=1e-12,
        atol=1e-14,
    )
    assert_same(
        minitorch.pinverse(minitorch.tensor(a)),
        torch.pinverse(torch.tensor(a)),
        rtol=1e-12,
        atol=1e-14,
    )
    assert_same(
        minitorch.linalg.pinv(minitorch.tensor(a), atol=0.5),
        torch.linalg.pinv(torch.tensor(a), atol=0.5),
    )


def test_singular_values_and_zero_powers(torch):
    a = minitorch.tensor([[1.0, 2.0], [2.0, 4.0]])
    assert minitorch.linalg.det(a).item() == 0.0
    assert_same(
        minitorch.logdet(a * -1 + minitorch.eye(2) * 0),
        torch.logdet(torch.tensor([[-1.0, -2.0], [-2.0, -4.0]])),
    )
    assert_same(
        minitorch.logdet(minitorch.tensor([[0.0, 1.0], [1.0, 0.0]])),
        torch.logdet(torch.tensor([[0.0, 1.0], [1.0, 0.0]])),
    )
    assert_same(
        minitorch.linalg.matrix_power(a, 0),
        torch.linalg.matrix_power(torch.tensor([[1.0, 2.0], [2.0, 4.0]]), 0),
    )
    assert_same(
        minitorch.linalg.matrix_power(minitorch.tensor([[1, 1], [0, 1]]), 3),
        torch.linalg.matrix_power(torch.tensor([[1, 1], [0, 1]]), 3),
    )


def test_old_svd_without_uv_gives_zero_vectors(torch):
    x = np.random.default_rng(2).standard_normal((4, 3))
    u, s, v = minitorch.svd(minitorch.tensor(x), compute_uv=False)
    tu, ts, tv = torch.svd(torch.tensor(x), compute_uv=False)
    assert_same(s, ts)
    assert u.shape == tuple(tu.shape) and v.shape == tuple(tv.shape) and not u.numpy().any()


def test_solve_gradient_with_broadcast_batch():
    rng = np.random.default_rng(3)
    a = minitorch.tensor(rng.standard_normal((1, 3, 3)) + 4 * np.eye(3), requires_grad=True)
    b = minitorch.tensor(rng.standard_normal((2, 3, 1)), requires_grad=True)
    assert gradcheck(lambda x, y: minitorch.linalg.solve(x, y), (a, b))


# ---- errors ----------------------------------------------------------------------------------
L = minitorch.linalg
SING = minitorch.tensor([[1.0, 2.0], [2.0, 4.0]])
RECT = minitorch.ones(2, 3)


def _backward(out):
    (out[0] if isinstance(out, tuple) else out).sum().backward()


ERRORS = [
    (lambda: L.inv(SING), RuntimeError, "linalg.inv: The diagonal element [0-9]+ is zero"),
    (
        lambda: L.inv(RECT),
        RuntimeError,
        "linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices",
    ),
    (
        lambda: L.inv(minitorch.ones(3)),
        RuntimeError,
        "The input tensor A must have at least 2 dimensions",
    ),
    (
        lambda: L.inv(minitorch.eye(2).long()),
        RuntimeError,
        "Expected a floating point or complex tensor as input. Got Long",
    ),
    (
        lambda: L.det(minitorch.eye(2).half()),
        RuntimeError,
        "Low precision dtypes not supported. Got Half",
    ),
    (
        lambda: L.solve(SING, minitorch.ones(2)),
        RuntimeError,
        "linalg.solve: The solver failed because the input matrix is singular",
    ),
    (
        lambda: L.solve(minitorch.eye(2), minitorch.ones(3, 1)),
        RuntimeError,
        "Incompatible shapes of A and B for the equation AX = B \\(2x2 and 3x1\\)",
    ),
    (
        lambda: L.solve(minitorch.eye(2), minitorch.ones(2).double()),
        RuntimeError,
        "Expected A and B to have the same dtype",
    ),
    (
        lambda: L.solve(minitorch.eye(1), minitorch.ones(1), left=False),
        RuntimeError,
        "Vector broadcasting of the left hand side is not supported for left=False",
    ),
    (
        lambda: L.cholesky(-minitorch.eye(2)),
        RuntimeError,
        "linalg.cholesky: The factorization could not be completed because the input is not positive-definite",
    ),
    (lambda: L.qr(RECT, mode="thin"), RuntimeError, "qr received unrecognized mode 'thin'"),
    (
        lambda: L.eigh(minitorch.eye(2), UPLO="X"),
        RuntimeError,
        "Expected UPLO argument to be 'L' or 'U', but got X",
    ),
    (
        lambda: L.vector_norm(minitorch.tensor([1, 2])),
        RuntimeError,
        "linalg.vector_norm: Expected a floating point",
    ),
    (lambda: L.vector_norm(RECT, "fro"), TypeError, "argument 'ord' must be Number, not str"),
    (lambda: L.matrix_norm(minitorch.ones(3)), RuntimeError, "must have at least 2 dimensions"),
    (lambda: L.matrix_norm(RECT, 3), RuntimeError, "linalg.matrix_norm: Order 3 not supported."),
    (lambda: L.matrix_norm(RECT, dim=(1, -1)), RuntimeError, "dims must be different"),
    (
        lambda: L.norm(minitorch.ones(2, 2, 2), 2),
        RuntimeError,
        "If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.",
    ),
    (
        lambda: L.norm(RECT, dim=(0, 1, 2)),
        RuntimeError,
        "If dim is specified, it must be of length 1 or 2",
    ),
    (lambda: L.multi_dot([RECT]), RuntimeError, "expected at least 2 tensors but got 1"),
    (
        lambda: L.multi_dot([RECT, minitorch.ones(3, 2, 1)]),
        RuntimeError,
        "the last tensor must be 1D or 2D but got 3D",
    ),
    (lambda: L.matrix_power(RECT, 2), RuntimeError, "A must be batches of square matrices"),
    (
        lambda: L.pinv(RECT, hermitian=True),
        RuntimeError,
        "linalg.pinv: A must be batches of square matrices",
    ),
    (
        lambda: _backward(L.qr(RECT.T.requires_grad_(), mode="r")[1]),
        RuntimeError,
        "depends on Q, which is not computed when mode='r'",
    ),
    (
        lambda: _backward(L.qr(minitorch.randn(3, 2, requires_grad=True), mode="complete")[0]),
        RuntimeError,
        "The QR decomposition is not differentiable when mode='complete' and nrows > ncols",
    ),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
