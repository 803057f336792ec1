"""The wider PyTorch surface: special functions, einsum and other products, diagonals and
windows, scatter/index writes, cumulative ops, order statistics, counting, predicates,
finfo/iinfo. Differentiable ops: gradcheck/gradgradcheck in float64 and the PyTorch oracle
(values, dtypes, gradients) in float32 and float64; the rest: values against PyTorch;
errors and their messages."""

from __future__ import annotations

import math

import numpy as np
import pytest
from opcheck import Case, assert_same, cases, check_against_torch, check_gradients
from test_cuda import OnDevice, assert_matches_cpu, check_on_device, device  # noqa: F401

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

IDX = np.array([[0, 2, 1, 3], [3, 0, 2, 1]])  # a permutation per row: no duplicate writes
ROWS = np.array([2, 0])
MASK = np.array(
    [[True, False, True, False], [False, False, True, True], [True, True, False, False]]
)
Q = np.array([0.1, 0.5, 0.9])
HOLES = np.array([[1, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0]], bool)  # NaN there


def _t(m, array):
    return m.tensor(array)


GRAD = {
    # ---- special functions
    "tan": Case(lambda m, a: m.tan(a), [(2, 3)], domain="unit"),
    "asin": Case(lambda m, a: m.asin(a), [(2, 3)], domain="unit"),
    "acos": Case(lambda m, a: a.acos(), [(2, 3)], domain="unit"),
    "atan": Case(lambda m, a: m.atan(a), [(2, 3)]),
    "sinh": Case(lambda m, a: a.sinh(), [(2, 3)]),
    "cosh": Case(lambda m, a: m.cosh(a), [(2, 3)]),
    "asinh": Case(lambda m, a: m.asinh(a), [(2, 3)]),
    "acosh": Case(lambda m, a: m.acosh(a + 1.0), [(2, 3)], domain="pos"),
    "atanh": Case(lambda m, a: a.atanh(), [(2, 3)], domain="unit"),
    "arcsin_alias": Case(lambda m, a: m.arcsin(a) + m.arctan(a), [(3,)], domain="unit"),
    "log2": Case(lambda m, a: m.log2(a), [(2, 3)], domain="pos"),
    "log10": Case(lambda m, a: a.log10(), [(2, 3)], domain="pos"),
    "exp2": Case(lambda m, a: m.exp2(a), [(2, 3)]),
    "expm1": Case(lambda m, a: a.expm1(), [(2, 3)]),
    "erf": Case(lambda m, a: m.erf(a * 2), [(3, 4)]),
    "erfc": Case(lambda m, a: m.erfc(a * 2), [(3, 4)]),
    "erfinv": Case(lambda m, a: m.erfinv(a), [(3, 4)], domain="unit"),
    "sinc": Case(lambda m, a: m.sinc(a), [(2, 3)]),
    "logit": Case(lambda m, a: m.logit(a.abs()), [(2, 3)], domain="unit"),
    "logit_eps": Case(lambda m, a: a.abs().logit(eps=0.3), [(2, 5)], domain="unit"),
    "frac": Case(lambda m, a: m.frac(a * 3), [(2, 3)]),
    "clamp_min": Case(lambda m, a: m.clamp_min(a, 0.5), [(3, 4)]),
    "clamp_max": Case(lambda m, a: a.clamp_max(-0.5), [(3, 4)]),
    "nan_to_num": Case(lambda m, a: m.nan_to_num(a.log(), nan=0.5), [(3, 4)]),
    "atan2": Case(lambda m, a, b: m.atan2(a, b), [(3, 4), (4,)]),
    "hypot": Case(lambda m, a, b: m.hypot(a, b), [(3, 1), (4,)]),
    "fmod": Case(lambda m, a, b: m.fmod(a * 3, b), [(3, 4), (4,)]),
    "fmod_scalar": Case(lambda m, a: a.fmod(0.7), [(3, 4)]),
    "logaddexp": Case(lambda m, a, b: m.logaddexp(a * 20, b), [(3, 1), (4,)]),
    "xlogy": Case(lambda m, a, b: m.xlogy(a, b), [(3, 4), (4,)], domain="pos"),
    "xlogy_scalar_x": Case(lambda m, a: m.xlogy(2.0, a), [(3,)], domain="pos"),
    "lerp_scalar_low": Case(lambda m, a, b: m.lerp(a, b, 0.3), [(3, 4), (4,)]),
    "lerp_scalar_high": Case(lambda m, a, b: a.lerp(b, 0.8), [(3, 4), (3, 4)]),
    "lerp_tensor": Case(lambda m, a, b, w: m.lerp(a, b, w), [(3, 4), (4,), (3, 1)], domain="unit"),
    "addcmul": Case(lambda m, a, b, c: m.addcmul(a, b, c, value=0.5), [(3, 4), (4,), (3, 1)]),
    "addcdiv": Case(lambda m, a, b, c: a.addcdiv(b, c, value=-2), [(3, 4), (3, 4), (4,)]),
    # ---- products
    "einsum_matmul": Case(lambda m, a, b: m.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum_batched": Case(lambda m, a, b: m.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 2)]),
    "einsum_attention": Case(
        lambda m, q, k: m.einsum("bhqd,bhkd->bhqk", q, k), [(1, 2, 3, 4), (1, 2, 2, 4)]
    ),
    "einsum_three": Case(
        lambda m, a, b, c: m.einsum("ij,jk,kl->il", a, b, c), [(2, 3), (3, 4), (4, 2)]
    ),
    "einsum_diagonal": Case(lambda m, a: m.einsum("ii->i", a), [(3, 3)]),
    "einsum_trace_implicit": Case(lambda m, a: m.einsum("ii", a), [(3, 3)]),
    "einsum_diagonal_3d": Case(lambda m, a, b: m.einsum("iij,j->i", a, b), [(3, 3, 2), (2,)]),
    "einsum_sum_out": Case(lambda m, a, b: m.einsum("ij,j->", a, b), [(3, 4), (4,)]),
    "einsum_summed_alone": Case(lambda m, a, b: m.einsum("ijk,j->i", a, b), [(2, 3, 4), (3,)]),
    "einsum_outer": Case(lambda m, a, b: m.einsum("i,j", a, b), [(3,), (2,)]),
    "einsum_transpose_implicit": Case(lambda m, a: m.einsum("ba", a), [(2, 3)]),
    "einsum_ellipsis": Case(
        lambda m, a, b: m.einsum("...ij,...jk->...ik", a, b), [(2, 1, 2, 3), (3, 3, 2)]
    ),
    "einsum_broadcast_size1": Case(lambda m, a, b: m.einsum("ij,jk->ik", a, b), [(2, 1), (3, 2)]),
    "einsum_list_operands": Case(lambda m, a, b: m.einsum("i,i->", [a, b]), [(4,), (4,)]),
    "einsum_spaces": Case(lambda m, a, b: m.einsum("b i , b i -> b", a, b), [(2, 3), (2, 3)]),
    "tensordot_int": Case(lambda m, a, b: m.tensordot(a, b, 2), [(2, 3, 4), (3, 4, 2)]),
    "tensordot_lists": Case(
        lambda m, a, b: m.tensordot(a, b, dims=([1, 0], [0, 2])), [(3, 2, 4), (2, 5, 3)]
    ),
    "kron": Case(lambda m, a, b: m.kron(a, b), [(2, 3), (3, 2)]),
    "kron_mixed_dims": Case(lambda m, a, b: a.kron(b), [(2,), (2, 3)]),
    "cross": Case(lambda m, a, b: m.cross(a, b, dim=1), [(4, 3), (4, 3)]),
    "cross_default_dim": Case(lambda m, a, b: m.cross(a, b), [(3, 4), (3, 4)]),
    "linalg_cross_broadcast": Case(lambda m, a, b: m.linalg.cross(a, b), [(2, 1, 3), (1, 4, 3)]),
    "addmm": Case(lambda m, c, a, b: m.addmm(c, a, b, beta=0.5, alpha=2), [(2, 4), (2, 3), (3, 4)]),
    "addmm_bias": Case(lambda m, c, a, b: c.addmm(a, b), [(4,), (2, 3), (3, 4)]),
    "addmm_beta0": Case(lambda m, c, a, b: m.addmm(c, a, b, beta=0), [(2, 4), (2, 3), (3, 4)]),
    "addmv": Case(lambda m, c, a, v: m.addmv(c, a, v, alpha=-1), [(2,), (2, 3), (3,)]),
    "baddbmm": Case(
        lambda m, c, a, b: m.baddbmm(c, a, b, beta=2, alpha=0.5), [(1, 2, 4), (3, 2, 3), (3, 3, 4)]
    ),
    "cdist_p2": Case(lambda m, a, b: m.cdist(a, b), [(4, 3), (5, 3)]),
    "cdist_p2_mm": Case(lambda m, a, b: m.cdist(a, b), [(30, 2), (3, 2)]),
    "cdist_p1": Case(lambda m, a, b: m.cdist(a, b, p=1), [(2, 4, 3), (2, 5, 3)]),
    "cdist_p3_broadcast": Case(lambda m, a, b: m.cdist(a, b, p=3), [(2, 4, 3), (5, 3)]),
    "cdist_inf": Case(lambda m, a, b: m.cdist(a, b, p=float("inf")), [(4, 3), (5, 3)]),
    # ---- layout
    "diagonal": Case(lambda m, a: m.diagonal(a, 1, 0, 2), [(3, 2, 4)]),
    "diagonal_negative": Case(lambda m, a: a.diagonal(-1, -1, 0), [(3, 2, 4)]),
    "diagonal_past_end": Case(lambda m, a: m.diagonal(a, 5), [(3, 4)]),
    "diag_matrix": Case(lambda m, a: m.diag(a, -1), [(3, 4)]),
    "diag_vector": Case(lambda m, a: a.diag(1), [(3,)]),
    "diag_embed": Case(lambda m, a: m.diag_embed(a, -1, 0, 2), [(2, 3)]),
    "trace": Case(lambda m, a: m.trace(a), [(3, 4)]),
    "unfold": Case(lambda m, a: a.unfold(1, 3, 1), [(2, 5)]),
    "unfold_strided": Case(lambda m, a: a.unfold(0, 2, 3).unfold(1, 2, 2), [(8, 5)]),
    "roll": Case(lambda m, a: m.roll(a, (1, -2), (0, 1)), [(3, 4)]),
    "roll_flat": Case(lambda m, a: a.roll(5), [(3, 4)]),
    "rot90": Case(lambda m, a: m.rot90(a, 1, (1, 2)), [(2, 3, 4)]),
    "rot90_k3": Case(lambda m, a: a.rot90(-1), [(2, 3)]),
    "flipud_fliplr": Case(lambda m, a: m.flipud(a) * 2 + m.fliplr(a), [(3, 3)]),
    "meshgrid": Case(
        lambda m, a, b: [g * 1.0 for g in m.meshgrid(a, b, indexing="ij")], [(3,), (2,)]
    ),
    "meshgrid_xy": Case(lambda m, a, b: m.meshgrid([a, b], indexing="xy")[0] * 1, [(3,), (2,)]),
    "cartesian_prod": Case(lambda m, a, b: m.cartesian_prod(a, b), [(3,), (2,)]),
    "block_diag": Case(lambda m, a, b, c: m.block_diag(a, b, c), [(2, 3), (2,), ()]),
    "column_stack": Case(lambda m, a, b: m.column_stack([a, b]), [(3,), (3, 2)]),
    "dstack": Case(lambda m, a, b: m.dstack([a, b]), [(2, 3), (2, 3)]),
    "atleast_3d": Case(lambda m, a: m.atleast_3d(a) * 1, [(3,)]),
    "tensor_split": Case(lambda m, a: [p * 1 for p in m.tensor_split(a, 3, 1)], [(2, 7)]),
    "tensor_split_indices": Case(lambda m, a: [p * 1 for p in a.tensor_split([1, 3], 0)], [(4, 2)]),
    "hsplit": Case(lambda m, a: [p * 1 for p in m.hsplit(a, 2)], [(2, 4)]),
    "diff": Case(lambda m, a: m.diff(a, 2, 1), [(2, 5)]),
    "diff_prepend": Case(lambda m, a, b: a.diff(dim=0, prepend=b, append=b), [(3, 2), (1, 2)]),
    "sum_to_size": Case(lambda m, a: a.sum_to_size(3, 1), [(2, 3, 4)]),
    # ---- index writes and reads
    "scatter_src": Case(lambda m, a, s: m.scatter(a, 1, _t(m, IDX), s), [(2, 4), (2, 4)]),
    "scatter_value": Case(lambda m, a: a.scatter(1, _t(m, IDX[:, :2]), 1.5), [(2, 4)]),
    "index_put": Case(
        lambda m, a, v: m.index_put(a, (_t(m, ROWS), _t(m, [1, 3])), v), [(3, 4), (2,)]
    ),
    "index_put_accumulate": Case(
        lambda m, a, v: a.index_put((_t(m, [0, 0, 2]),), v, accumulate=True), [(3, 4), (3, 4)]
    ),
    "index_put_mask": Case(lambda m, a, v: a.index_put((_t(m, MASK),), v), [(3, 4), (1,)]),
    "index_fill": Case(lambda m, a: m.index_fill(a, 1, _t(m, [0, 3]), -1.0), [(3, 4)]),
    "index_fill_tensor_value": Case(lambda m, a, v: a.index_fill(0, _t(m, ROWS), v), [(3, 4), ()]),
    "index_copy": Case(lambda m, a, s: m.index_copy(a, 0, _t(m, ROWS), s), [(3, 4), (2, 4)]),
    "take": Case(lambda m, a: m.take(a, _t(m, [[0, 5], [-1, 2]])), [(3, 4)]),
    "take_along_dim": Case(
        lambda m, a: m.take_along_dim(a, _t(m, IDX[:, None, :3]), 2), [(2, 3, 4)]
    ),
    "take_along_dim_flat": Case(lambda m, a: a.take_along_dim(_t(m, [7, 1])), [(2, 4)]),
    # ---- cumulative and order statistics
    "cumprod": Case(lambda m, a: m.cumprod(a, 1), [(3, 4)]),
    "cummax": Case(lambda m, a: m.cummax(a, 1), [(3, 5)]),
    "cummin": Case(lambda m, a: a.cummin(0), [(4, 3)]),
    "logcumsumexp": Case(lambda m, a: m.logcumsumexp(a * 3, 1), [(3, 4)]),
    "median_all": Case(lambda m, a: m.median(a), [(3, 4)]),
    "median_dim": Case(lambda m, a: a.median(1, keepdim=True), [(3, 4)]),
    "nanmedian_dim": Case(lambda m, a: m.nanmedian(a, 0), [(3, 4)]),
    "quantile": Case(lambda m, a: m.quantile(a, 0.3), [(3, 4)]),
    "quantile_tensor_q": Case(lambda m, a: m.quantile(a, _t(m, Q).to(a.dtype), 1, True), [(3, 4)]),
    "quantile_lower": Case(lambda m, a: a.quantile(0.4, 0, interpolation="lower"), [(5, 2)]),
    "quantile_higher": Case(lambda m, a: a.quantile(0.4, 0, interpolation="higher"), [(5, 2)]),
    "quantile_midpoint": Case(lambda m, a: a.quantile(0.4, 0, interpolation="midpoint"), [(5, 2)]),
    "quantile_nearest": Case(
        lambda m, a: a.quantile(_t(m, Q).to(a.dtype), 0, interpolation="nearest"), [(5, 2)]
    ),
    "nanquantile": Case(
        lambda m, a: m.nanquantile(m.where(_t(m, HOLES), math.nan, a), 0.5, 1), [(3, 6)]
    ),
    "nanquantile_q": Case(
        lambda m, a: m.nanquantile(
            m.where(_t(m, HOLES), math.nan, a), _t(m, Q).to(a.dtype), 1, True
        ),
        [(3, 6)],
    ),
    "nansum": Case(lambda m, a: m.nansum(a.log(), 1), [(3, 4)]),
    "nanmean": Case(lambda m, a: a.log().nanmean(), [(3, 4)]),
    "aminmax": Case(lambda m, a: m.aminmax(a, dim=1), [(3, 4)]),
    "aminmax_all": Case(lambda m, a: tuple(a.aminmax()), [(3, 4)]),
}


@pytest.mark.parametrize("case", cases(GRAD, finite_differences=True))
def test_gradcheck(case):
    with np.errstate(invalid="ignore", divide="ignore"):
        check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(GRAD))
def test_matches_torch(case, dtype, torch):
    with np.errstate(invalid="ignore", divide="ignore"):
        check_against_torch(case, torch, dtype)


@pytest.mark.usefixtures("device")  # "cuda": cupy on a GPU, or the fake cupy
@pytest.mark.parametrize("case", cases(GRAD))
def test_on_device_matches_cpu(case):
    """Values, gradients and second-order gradients on the device (cupy on a GPU, and the
    strict fake cupy everywhere) equal the CPU's."""
    with np.errstate(invalid="ignore", divide="ignore"):
        check_on_device(case, "cuda", "float64")


# ---- gradients at special points -------------------------------------------------------------
@pytest.mark.parametrize(
    "values",
    [
        [[2.0, 0.0, 3.0, -1.5], [0.0, 1.5, 0.0, 2.0]],  # one zero, and two zeros in a row
        [[0.0, 0.0, 0.0, 2.0], [1.5, -2.0, 0.5, 0.0]],
    ],
)
def test_cumprod_gradients_through_zeros(values, torch):
    x = minitorch.tensor(values, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: t.cumprod(1), (x,))
    assert gradgradcheck(lambda t: t.cumprod(1), (x,))
    tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    w = np.random.default_rng(0).standard_normal((2, 4))
    (g,) = minitorch.autograd.grad((x.cumprod(1) * minitorch.tensor(w)).sum(), x)
    (tg,) = torch.autograd.grad((tx.cumprod(1) * torch.tensor(w)).sum(), tx)
    assert_same(g, tg, rtol=1e-12, atol=1e-12)


def test_cdist_gradient_is_zero_at_zero_distance(torch):
    data = np.arange(60, dtype=np.float64).reshape(30, 2) / 10
    for rows in (3, 30):  # the direct and the matrix-product path
        a = minitorch.tensor(data[:rows], requires_grad=True)
        ta = torch.tensor(data[:rows], requires_grad=True)
        minitorch.cdist(a, a).sum().backward()
        torch.cdist(ta, ta).sum().backward()
        assert np.isfinite(a.grad.numpy()).all()
        assert_same(a.grad, ta.grad, rtol=1e-6, atol=1e-8)


def test_scatter_gradient_with_a_larger_src():
    """Only the leading index.shape block of src is read; the rest gets zero gradient
    (PyTorch 2.13's own backward rejects this case, so finite differences are the oracle)."""
    a, s = (
        minitorch.randn(*shape, dtype=minitorch.float64, requires_grad=True)
        for shape in [(2, 4), (3, 5)]
    )
    index = minitorch.tensor(IDX)
    assert gradcheck(lambda x, y: x.scatter(1, index, y), (a, s))
    assert gradgradcheck(lambda x, y: x.scatter(1, index, y), (a, s))


def test_einsum_gradients_of_repeated_operand(torch):
    data = np.random.default_rng(0).standard_normal((3, 3))
    a = minitorch.tensor(data, requires_grad=True)
    assert gradcheck(lambda x: minitorch.einsum("ij,ij,jk->ik", x, x, x), (a,))
    assert gradgradcheck(lambda x: minitorch.einsum("ij,jk->ik", x, x), (a,))


# ---- values without gradients ----------------------------------------------------------------
SPECIAL = np.array([-np.inf, -30.0, -3.0, -1e-5, 0.0, 1e-30, 0.4, 2.5, 6.0, np.inf, np.nan])
UNIT = np.array([-1.0, -0.999999, -0.5, -1e-8, 0.0, 1e-20, 0.3, 0.9999, 1.0, 1.5, np.nan])
SORTED = np.array([[1.0, 3.0, 5.0, 7.0], [2.0, 4.0, 4.0, 8.0]])
VALUES = np.array([[3.0, 0.5, 9.0], [4.0, 2.0, 8.0]])
TIES = np.array([[1.0, 3.0, 3.0, 2.0, 5.0, 5.0, 1.0], [2.0, np.nan, 1.0, 4.0, np.nan, 0.0, 9.0]])
INTS = np.array([[3, -1, 3, 2, 0], [1, 1, 4, 0, 2]])

VALUES_ONLY = {
    "erf_special": lambda m: m.erf(_t(m, SPECIAL)),
    "erfc_special": lambda m: m.erfc(_t(m, SPECIAL)),
    "erfc_far_tail_float64": lambda m: m.erfc(_t(m, np.array([5.0, 10.0, 26.0]))),
    "erf_int": lambda m: m.erf(_t(m, INTS)),
    "erfinv_edges": lambda m: m.erfinv(_t(m, UNIT)),
    "erfinv_float32": lambda m: m.erfinv(_t(m, UNIT).float()),
    "expm1_log2_special": lambda m: m.expm1(_t(m, SPECIAL)) + m.log2(_t(m, SPECIAL).abs()),
    "tan_sinh_int": lambda m: m.tan(_t(m, INTS)) + m.sinh(_t(m, INTS).float()),
    "sinc_zero": lambda m: m.sinc(_t(m, SPECIAL)),
    "logit_edges": lambda m: m.logit(_t(m, [0.0, 0.5, 1.0, 2.0])),
    "xlogy_zero_x": lambda m: m.xlogy(_t(m, [0.0, 0.0, 1.0, 0.0]), _t(m, [0.0, np.nan, 0.0, 2.0])),
    "fmod_int": lambda m: m.fmod(_t(m, INTS), 3),
    "fmod_negative": lambda m: m.fmod(_t(m, [-5.5, 5.5]), -2.0),
    "hypot_large": lambda m: m.hypot(_t(m, [1e200, 3.0]), _t(m, [1e200, 4.0])),
    "logaddexp_inf": lambda m: m.logaddexp(
        _t(m, [-np.inf, 1000.0, 2.0]), _t(m, [0.0, 1000.0, -np.inf])
    ),
    "atan2_quadrants": lambda m: m.atan2(
        _t(m, [1.0, 1.0, -1.0, -1.0, 0.0]), _t(m, [1.0, -1.0, 1.0, -1.0, -1.0])
    ),
    "nan_to_num_defaults": lambda m: m.nan_to_num(_t(m, SPECIAL).float()),
    "nan_to_num_given": lambda m: _t(m, SPECIAL).nan_to_num(1.0, posinf=2.0, neginf=-2.0),
    "nan_to_num_int": lambda m: m.nan_to_num(_t(m, INTS)),
    "clamp_min_int": lambda m: m.clamp_min(_t(m, INTS), 1),
    "lerp_weight_one": lambda m: m.lerp(_t(m, [1.0, 1e8]), _t(m, [3.0, 1.0]), 1.0),
    "cumprod_int": lambda m: m.cumprod(_t(m, INTS).int(), 1),
    "cummax_ties_nan": lambda m: tuple(m.cummax(_t(m, TIES), 1)),
    "cummin_ties_nan": lambda m: tuple(m.cummin(_t(m, TIES), 1)),
    "cummax_int": lambda m: tuple(_t(m, INTS).cummax(0)),
    "median_nan": lambda m: tuple(m.median(_t(m, TIES), 1)),
    "median_all_nan": lambda m: m.median(_t(m, TIES)),
    "median_int": lambda m: tuple(_t(m, INTS).median(1)),
    "nanmedian_nan": lambda m: tuple(m.nanmedian(_t(m, TIES), 1)),
    "quantile_nan": lambda m: m.quantile(_t(m, TIES), 0.5, 1),
    "nanquantile_nan": lambda m: m.nanquantile(_t(m, TIES), _t(m, Q), 1),
    "nanquantile_all_nan": lambda m: m.nanquantile(_t(m, [[np.nan, np.nan], [1.0, 2.0]]), 0.5, 1),
    "quantile_keepdim_all": lambda m: m.quantile(_t(m, VALUES), _t(m, Q), keepdim=True),
    "nansum_int": lambda m: m.nansum(_t(m, INTS), 0),
    "nanmean_all_nan_row": lambda m: m.nanmean(_t(m, [[np.nan, np.nan], [1.0, 2.0]]), 1),
    "logcumsumexp_tiny_and_inf": lambda m: m.logcumsumexp(
        _t(m, [[-1000.0, 0.0, -np.inf, 1000.0]]), 1
    ),
    "unique": lambda m: m.unique(_t(m, INTS)),
    "unique_inverse_counts": lambda m: m.unique(
        _t(m, INTS), return_inverse=True, return_counts=True
    ),
    "unique_dim": lambda m: m.unique(
        _t(m, [[1, 2], [1, 2], [0, 3]]), dim=0, return_inverse=True, return_counts=True
    ),
    "unique_float_method": lambda m: _t(m, TIES[0]).unique(return_counts=True),
    "bincount": lambda m: m.bincount(_t(m, INTS[1]), minlength=7),
    "bincount_weights": lambda m: m.bincount(_t(m, INTS[1]), _t(m, VALUES.reshape(-1)[:5])),
    "bincount_float32_weights": lambda m: _t(m, INTS[1]).bincount(
        _t(m, VALUES.reshape(-1)[:5]).float()
    ),
    "histc": lambda m: m.histc(_t(m, VALUES).float(), bins=4, min=1, max=8),
    "histc_data_range": lambda m: _t(m, TIES[0]).histc(bins=3),
    "histc_constant": lambda m: m.histc(_t(m, [1.0, 1.0]), bins=4),
    "searchsorted": lambda m: m.searchsorted(_t(m, SORTED[1]), _t(m, VALUES)),
    "searchsorted_right": lambda m: m.searchsorted(
        _t(m, SORTED[1]), _t(m, [4.0, 0.0, 9.0]), right=True
    ),
    "searchsorted_side_int32": lambda m: m.searchsorted(
        _t(m, SORTED[0]), _t(m, [3.0]), side="right", out_int32=True
    ),
    "searchsorted_batched": lambda m: m.searchsorted(_t(m, SORTED), _t(m, VALUES)),
    "searchsorted_scalar": lambda m: m.searchsorted(_t(m, SORTED[0]), 5.0),
    "searchsorted_sorter": lambda m: m.searchsorted(
        _t(m, [5.0, 1.0, 3.0]), _t(m, [2.0, 4.0]), sorter=_t(m, [1, 2, 0])
    ),
    "bucketize": lambda m: m.bucketize(_t(m, VALUES), _t(m, SORTED[0])),
    "bucketize_right": lambda m: m.bucketize(_t(m, INTS), _t(m, [1, 3, 5]), right=True),
    "isclose": lambda m: m.isclose(_t(m, SPECIAL), _t(m, SPECIAL) * (1 + 1e-6)),
    "isclose_equal_nan_atol": lambda m: _t(m, SPECIAL).isclose(
        _t(m, SPECIAL) + 0.05, atol=0.1, equal_nan=True
    ),
    "isclose_int": lambda m: m.isclose(_t(m, INTS), _t(m, INTS).flip(1)),
    "roll_int": lambda m: m.roll(_t(m, INTS), -1, 1),
    "diff_bool": lambda m: m.diff(_t(m, INTS) > 0, dim=1),
    "diff_n0": lambda m: m.diff(_t(m, INTS), 0),
    "trace_int": lambda m: m.trace(_t(m, INTS)),
    "diag_int": lambda m: m.diag(_t(m, INTS)),
    "block_diag_promotes": lambda m: m.block_diag(_t(m, [[1, 2]]), _t(m, [3.5])),
    "scatter_int_value": lambda m: m.zeros(2, 5).scatter(1, _t(m, [[1], [4]]), 1),
    "index_fill_int": lambda m: m.index_fill(_t(m, INTS), 1, _t(m, [0, 4]), 7),
    "kron_int": lambda m: m.kron(_t(m, INTS[:, :2]), _t(m, [[1, -1]])),
    "tensordot_zero_dims": lambda m: m.tensordot(_t(m, VALUES), _t(m, SORTED[0]), 0),
    "einsum_int": lambda m: m.einsum("ij,kj->ik", _t(m, INTS), _t(m, INTS)),
    "cartesian_prod_one": lambda m: m.cartesian_prod(_t(m, INTS[0])),
    "rot90_k0": lambda m: m.rot90(_t(m, INTS), 4),
    "tensor_split_tensor_sections": lambda m: m.tensor_split(_t(m, INTS), _t(m, 2), 1),
    "tensor_split_beyond": lambda m: m.tensor_split(_t(m, INTS), [1, 10, 3], 1),
    "vsplit": lambda m: m.vsplit(_t(m, INTS), [1]),
    "dsplit": lambda m: m.dsplit(_t(m, INTS).reshape(1, 2, 5), [2]),
    "atleast_2d_many": lambda m: m.atleast_2d(_t(m, 1.0), _t(m, INTS[0])),
    "atleast_1d_list": lambda m: m.atleast_1d([_t(m, 1.0), _t(m, INTS)]),
    "unfold_0d": lambda m: _t(m, 3.0).unfold(0, 1, 1),
    "unfold_empty": lambda m: _t(m, INTS).unfold(1, 5, 2),
}


def _flatten(out):
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flatten(o)]
    return [out]


@pytest.mark.parametrize("name", VALUES_ONLY)
def test_values_match_torch(name, torch):
    fn = VALUES_ONLY[name]
    with np.errstate(all="ignore"):
        outs = _flatten(fn(minitorch))
    expected = _flatten(fn(torch))
    assert len(outs) == len(expected)
    for o, t in zip(outs, expected):
        assert_same(o, t, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", sorted(set(VALUES_ONLY) - {"scatter_int_value"}))
@pytest.mark.usefixtures("device")
def test_values_on_device_match_cpu(name):
    fn = VALUES_ONLY[name]
    with np.errstate(all="ignore"):
        cpu = _flatten(fn(minitorch))
        on_device = _flatten(fn(OnDevice("cuda")))
    assert len(on_device) == len(cpu)
    for d, c in zip(on_device, cpu):
        assert_matches_cpu(d, c)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erf_and_erfinv_are_accurate_everywhere(dtype, torch):
    x = np.concatenate([np.linspace(-7, 7, 2001), np.geomspace(1e-30, 1.0, 200)]).astype(dtype)
    assert_same(
        minitorch.erf(minitorch.tensor(x)),
        torch.erf(torch.tensor(x)),
        rtol=2e-7 if dtype == "float32" else 2e-15,
        atol=0,
    )
    half = np.linspace(-3, 3, 601).astype(np.float16)  # rounded once from float64 (PyTorch's
    expected = np.array([math.erf(v) for v in half.astype(float)]).astype(np.float16)  # is not)
    np.testing.assert_array_equal(minitorch.erf(minitorch.tensor(half)).numpy(), expected)
    y = np.concatenate([np.linspace(-0.9999, 0.9999, 2001), 1 - np.geomspace(1e-12, 1e-2, 50)])
    y = y.astype(dtype)
    rtol = 1e-6 if dtype == "float32" else 1e-13
    assert_same(
        minitorch.erfinv(minitorch.tensor(y)), torch.erfinv(torch.tensor(y)), rtol=rtol, atol=0
    )


def test_predicates(torch):
    a = minitorch.tensor([1.0, 2.0, np.nan])
    assert minitorch.allclose(a[:2], a[:2] + 1e-9) is True
    assert minitorch.allclose(a, a) is False and minitorch.allclose(a, a, equal_nan=True) is True
    assert a[:2].allclose(a[:2] * 1.01, rtol=0.02) is True
    assert minitorch.equal(a[:2], minitorch.tensor([1.0, 2.0])) is True
    assert minitorch.equal(a, a) is False  # NaN equals nothing, as in PyTorch
    assert minitorch.equal(a[:2], a[:2].reshape(2, 1)) is False
    assert a[:2].equal(minitorch.tensor([1, 2])) == torch.equal(
        torch.tensor([1.0, 2.0]), torch.tensor([1, 2])
    )
    assert minitorch.is_tensor(a) and not minitorch.is_tensor(np.ones(2))
    assert minitorch.is_floating_point(a) and not minitorch.is_floating_point(minitorch.tensor([1]))
    assert minitorch.numel(minitorch.ones(2, 3)) == 6 and type(minitorch.numel(a)) is int


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name, torch):
    ours, theirs = minitorch.finfo(getattr(minitorch, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.dtype == theirs.dtype and repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name, torch):
    ours, theirs = minitorch.iinfo(getattr(minitorch, name)), torch.iinfo(getattr(torch, name))
    assert (ours.bits, ours.max, ours.min, ours.dtype) == (
        theirs.bits,
        theirs.max,
        theirs.min,
        theirs.dtype,
    )
    assert type(ours.max) is int


def test_finfo_defaults_and_type_errors():
    assert minitorch.finfo().eps == float(np.finfo(np.float32).eps)
    assert minitorch.finfo(minitorch.float64).eps == float(np.finfo(np.float64).eps)
    with pytest.raises(TypeError, match="finfo\\(\\) requires a floating point input type"):
        minitorch.finfo(minitorch.int32)
    with pytest.raises(TypeError, match="iinfo\\(\\) requires an integer input type"):
        minitorch.iinfo(minitorch.float32)
    with pytest.raises(TypeError, match="bool is not supported by minitorch.iinfo"):
        minitorch.iinfo(minitorch.bool)


def test_tensor_type_names_and_conversion(torch):
    x = minitorch.tensor([1.5, 2.5])
    assert x.type() == torch.tensor([1.5]).type() == "torch.FloatTensor"
    assert minitorch.tensor([1]).type() == "torch.LongTensor"
    assert x.type(minitorch.float64).dtype == minitorch.float64
    assert x.type("torch.IntTensor").tolist() == [1, 2]
    assert x.type("minitorch.BoolTensor").dtype == minitorch.bool
    with pytest.raises(ValueError, match="invalid type: 'torch.NoSuchTensor'"):
        x.type("torch.NoSuchTensor")


def test_storage_offset_and_views(torch):
    base = minitorch.arange(24.0).reshape(4, 6)
    tbase = torch.arange(24.0).reshape(4, 6)
    for index in [(slice(1, None),), (slice(None), slice(2, 5)), (2, 3)]:
        assert base[index].storage_offset() == tbase[index].storage_offset()
    assert base.storage_offset() == 0
    assert base[1:].diagonal(1).storage_offset() == tbase[1:].diagonal(1).storage_offset()
    # diagonal and unfold are views: writes and in-place changes show through, versions shared
    d = base.diagonal()
    d.fill_(-1.0)
    assert base[2, 2].item() == -1.0
    w = base.unfold(1, 2, 2)
    base.add_(1.0)
    assert w[0, 0].tolist() == [0.0, 2.0] and w._version == base._version == d._version


def test_inplace_through_diagonal_view_under_autograd(torch):
    def run(m):
        w = m.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
        y = w * 2
        y.diagonal(1).mul_(3)  # re-bases y: the unfold view below sees the new values
        windows = y.unfold(1, 2, 1)
        weights = m.tensor(np.arange(18.0).reshape(3, 3, 2))
        ((windows * weights).sum() + (y * y).sum()).backward()
        return [y, w.grad]

    for o, t in zip(run(minitorch), run(torch)):
        assert_same(o, t)


def test_inplace_forms(torch):
    def run(m):
        x = m.arange(6.0).reshape(2, 3)
        x.square_()
        x.lerp_(m.ones(2, 3), 0.25)
        x.addcmul_(m.ones(3), m.full((2, 3), 2.0), value=0.5)
        x.addcdiv_(m.ones(3), m.full((2, 3), 4.0), value=-1)
        x.clamp_min_(1.0).clamp_max_(8.0)
        x.scatter_(1, m.tensor([[2], [0]]), 0.0)
        x.index_fill_(1, m.tensor([1]), -3.0)
        x.index_copy_(0, m.tensor([1]), m.full((1, 3), 5.0))
        x.index_put_((m.tensor([0]), m.tensor([0])), m.tensor([9.0]), accumulate=True)
        y = m.tensor([np.nan, np.inf, 1.0])
        y.nan_to_num_(0.0, 5.0)
        return [x, y]

    for o, t in zip(run(minitorch), run(torch)):
        assert_same(o, t)


def test_scatter_inplace_under_autograd_gives_torch_gradients(torch):
    def run(m):
        w = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        s = m.tensor([[7.0, 8.0], [9.0, 10.0]], requires_grad=True)
        x = w * 2
        x.scatter_(1, m.tensor([[0, 2], [1, 0]]), s)
        (x * m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
        return [w.grad, s.grad]

    for o, t in zip(run(minitorch), run(torch)):
        assert_same(o, t)


def test_meshgrid_shapes_and_default_indexing(torch):
    a, b, c = minitorch.arange(3), minitorch.arange(2), minitorch.tensor(5)
    ta, tb, tc = torch.arange(3), torch.arange(2), torch.tensor(5)
    for ours, theirs in [
        (minitorch.meshgrid(a, b, c), torch.meshgrid(ta, tb, tc, indexing="ij")),
        (minitorch.meshgrid(a, b, c, indexing="xy"), torch.meshgrid(ta, tb, tc, indexing="xy")),
    ]:
        for o, t in zip(ours, theirs):
            assert_same(o, t)


def test_einsum_of_attention_matches_matmul():
    rng = np.random.default_rng(0)
    q, k = (
        minitorch.tensor(rng.standard_normal((2, 3, 5, 4)).astype(np.float32)) for _ in range(2)
    )
    out = minitorch.einsum("bhqd,bhkd->bhqk", q, k)
    assert out.dtype == minitorch.float32
    np.testing.assert_allclose(out.numpy(), (q @ k.transpose(-1, -2)).numpy(), rtol=1e-5, atol=1e-6)


# ---- errors ----------------------------------------------------------------------------------
F = minitorch.ones(2, 3)
SQ = minitorch.ones(3, 3)

ERRORS = [
    (
        lambda: minitorch.einsum("ij,jk->ik", F),
        RuntimeError,
        "fewer operands were provided than specified in the equation",
    ),
    (
        lambda: minitorch.einsum("ijk", F),
        RuntimeError,
        "the number of subscripts in the equation \\(3\\) does not match the number of dimensions \\(2\\)",
    ),
    (
        lambda: minitorch.einsum("ij,jk->ik", F, minitorch.ones(4, 2)),
        RuntimeError,
        "subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3",
    ),
    (
        lambda: minitorch.einsum("ij->iz", F),
        RuntimeError,
        "output subscript z does not appear in the equation for any input operand",
    ),
    (lambda: minitorch.einsum("i1", F), RuntimeError, "invalid subscript given at index 1"),
    (
        lambda: minitorch.einsum("ij,jk", F, F.T.double()),
        RuntimeError,
        "expected scalar type Float but found Double",
    ),
    (
        lambda: minitorch.tensordot(F, F, ([0], [1])),
        RuntimeError,
        "contracted dimensions need to match, but first has size 2 in dim 0 and second has size 3 in dim 1",
    ),
    (
        lambda: minitorch.cross(F, F, dim=0),
        RuntimeError,
        "dimension 0 must have length 3. Got 2 and 2",
    ),
    (
        lambda: minitorch.addmm(minitorch.ones(3, 3), F, F.T),
        RuntimeError,
        "The expanded size of the tensor \\(2\\) must match the existing size \\(3\\)",
    ),
    (
        lambda: minitorch.cdist(F, minitorch.ones(2, 4)),
        RuntimeError,
        "X1 and X2 must have the same number of columns. X1: 3 X2: 4",
    ),
    (lambda: minitorch.cdist(F, F, p=-1), RuntimeError, "non-negative p"),
    (
        lambda: minitorch.lerp(F, F.double(), 0.5),
        RuntimeError,
        "expected dtype float for `end` but got dtype double",
    ),
    (
        lambda: minitorch.lerp(F, minitorch.ones(4), 0.5),
        RuntimeError,
        "The size of tensor a \\(3\\) must match the size of tensor b \\(4\\)",
    ),
    (
        lambda: minitorch.addcdiv(F, minitorch.tensor([1]), minitorch.tensor([2])),
        RuntimeError,
        "Integer division with addcdiv",
    ),
    (
        lambda: minitorch.atan2(F, minitorch.ones(4)),
        RuntimeError,
        "atan2: The size of tensor a \\(3\\) must match the size of tensor b \\(4\\)",
    ),
    (lambda: minitorch.fmod(minitorch.tensor([3]), 0), RuntimeError, "ZeroDivisionError"),
    (
        lambda: minitorch.frac(minitorch.tensor([3])),
        NotImplementedError,
        "\"frac_cpu\" not implemented for 'Long'",
    ),
    (
        lambda: minitorch.isclose(F, F.double()),
        RuntimeError,
        "Float did not match Double",
    ),
    (
        lambda: minitorch.isclose(F, F, rtol=-1),
        RuntimeError,
        "rtol must be greater than or equal to zero, but got -1",
    ),
    (
        lambda: minitorch.diagonal(minitorch.ones(3)),
        IndexError,
        r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)",
    ),
    (
        lambda: minitorch.diagonal(F, 0, 1, -1),
        RuntimeError,
        "diagonal dimensions cannot be identical 1, -1",
    ),
    (
        lambda: minitorch.diag(minitorch.ones(2, 2, 2)),
        RuntimeError,
        "diag\\(\\): Supports 1D or 2D tensors. Got 3D",
    ),
    (lambda: minitorch.trace(minitorch.ones(3)), RuntimeError, "trace: expected a matrix"),
    (
        lambda: F.unfold(1, 4, 1),
        RuntimeError,
        "maximum size for tensor at dimension 1 is 3 but size is 4",
    ),
    (lambda: F.unfold(1, 2, 0), RuntimeError, "step is 0 but must be > 0"),
    (lambda: F.unfold(2, 1, 1), IndexError, "Dimension out of range"),
    (
        lambda: minitorch.roll(F, (1, 2), 0),
        RuntimeError,
        "shifts and dimensions must align. shifts: 2, dims:1",
    ),
    (lambda: minitorch.roll(F, (1, 2)), RuntimeError, "need dims, one per shift"),
    (lambda: minitorch.rot90(F, 1, (0, 0)), RuntimeError, "expected rotation dims to be different"),
    (
        lambda: minitorch.rot90(F, 1, (0,)),
        RuntimeError,
        "expected total rotation dims == 2, but got dims = 1",
    ),
    (
        lambda: minitorch.rot90(minitorch.ones(3)),
        RuntimeError,
        "expected total dims >= 2, but got total dims = 1",
    ),
    (lambda: minitorch.fliplr(minitorch.ones(3)), RuntimeError, "Input must be >= 2-d."),
    (
        lambda: minitorch.meshgrid(F, F),
        RuntimeError,
        "Expected 0D or 1D tensor in the tensor list but got a tensor of shape \\[2, 3\\]",
    ),
    (
        lambda: minitorch.meshgrid(minitorch.ones(2), minitorch.arange(2)),
        RuntimeError,
        "same dtype",
    ),
    (
        lambda: minitorch.meshgrid(minitorch.ones(2), indexing="ji"),
        RuntimeError,
        'indexing must be one of "xy" or "ij"',
    ),
    (
        lambda: minitorch.block_diag(minitorch.ones(1, 1, 1)),
        RuntimeError,
        "Input tensors must have 2 or fewer dimensions. Input 0 has 3 dimensions",
    ),
    (
        lambda: minitorch.tensor_split(F, 0, 1),
        RuntimeError,
        "number of sections must be larger than 0, got 0",
    ),
    (
        lambda: minitorch.hsplit(F, 2),
        RuntimeError,
        "torch.hsplit attempted to split along dimension 1, but the size of the dimension 3 is not divisible by the split_size 2!",
    ),
    (
        lambda: minitorch.vsplit(minitorch.ones(4), 2),
        RuntimeError,
        "torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!",
    ),
    (
        lambda: minitorch.diff(minitorch.tensor(1.0)),
        RuntimeError,
        "diff expects input to be at least one-dimensional",
    ),
    (
        lambda: F.sum_to_size(2, 2),
        RuntimeError,
        "size {\\[2, 2\\]} is not expandable to size {\\[2, 3\\]}",
    ),
    (
        lambda: minitorch.scatter(F, 1, minitorch.tensor([[0, 3]]), 1.0),
        RuntimeError,
        "scatter\\(\\): index 3 is out of bounds for dimension 1 with size 3",
    ),
    (
        lambda: minitorch.scatter(F, 1, minitorch.tensor([[0, 1]]), F.double()),
        RuntimeError,
        "Expected self.dtype to be equal to src.dtype",
    ),
    (
        lambda: minitorch.scatter(F, 0, minitorch.tensor([[0, 1, 0, 1]]), 1.0),
        RuntimeError,
        "Expected index \\[1, 4\\] to be no larger than self \\[2, 3\\] apart from dimension 0",
    ),
    (
        lambda: minitorch.cross(minitorch.ones(2, 3), minitorch.ones(3)),
        RuntimeError,
        "inputs must have the same number of dimensions",
    ),
    (
        lambda: minitorch.scatter(F, 1, minitorch.tensor([[0.0]]), 1.0),
        RuntimeError,
        "Expected dtype int32/int64 for index",
    ),
    (
        lambda: minitorch.scatter(F, 1, minitorch.tensor([[0]]), 1.0, reduce="max"),
        RuntimeError,
        "reduce argument must be either add or multiply",
    ),
    (
        lambda: minitorch.scatter(F, 1, minitorch.tensor([[0]])),
        TypeError,
        "needs either src \\(a tensor\\) or value",
    ),
    (
        lambda: minitorch.index_put(F, (minitorch.tensor([0]),), minitorch.ones(3).double()),
        RuntimeError,
        "Index put requires the source and destination dtypes match",
    ),
    (
        lambda: minitorch.index_put(F, (minitorch.tensor([0]),), minitorch.ones(2)),
        RuntimeError,
        "shape mismatch: value tensor of shape \\[2\\] cannot be broadcast to indexing result of shape \\[1, 3\\]",
    ),
    (
        lambda: minitorch.index_put(F, (minitorch.tensor([5]),), minitorch.ones(3)),
        IndexError,
        "index 5 is out of bounds for dimension 0 with size 2",
    ),
    (
        lambda: minitorch.index_fill(F, 1, minitorch.tensor([[0]]), 1.0),
        RuntimeError,
        "Index has to be a vector/scalar",
    ),
    (
        lambda: minitorch.index_fill(F, 1, minitorch.tensor([3]), 1.0),
        IndexError,
        "index_fill\\(\\): index 3 is out of bounds for dimension 1 with size 3",
    ),
    (
        lambda: minitorch.index_fill(F, 1, minitorch.tensor([0]), F),
        RuntimeError,
        "only supports a 0-dimensional value tensor",
    ),
    (
        lambda: minitorch.index_copy(F, 0, minitorch.tensor([0]), minitorch.ones(2, 3)),
        IndexError,
        "Number of indices \\(1\\) should be equal to source.size\\(dim\\) \\(2\\)",
    ),
    (
        lambda: minitorch.index_copy(F, 0, minitorch.tensor([0]), minitorch.ones(1, 3).double()),
        RuntimeError,
        "self and source expected to have the same dtype",
    ),
    (
        lambda: minitorch.take(F, minitorch.tensor([6])),
        IndexError,
        "out of range: tried to access index 6 on a tensor of 6 elements",
    ),
    (
        lambda: minitorch.take_along_dim(F, minitorch.tensor([0]), 1),
        RuntimeError,
        "input and indices should have the same number of dimensions",
    ),
    (
        lambda: minitorch.logcumsumexp(minitorch.tensor([1, 2]), 0),
        NotImplementedError,
        "\"logcumsumexp_out_cpu\" not implemented for 'Long'",
    ),
    (
        lambda: minitorch.median(minitorch.ones(0, 2), 0),
        IndexError,
        "median\\(\\): Expected reduction dim 0 to have non-zero size",
    ),
    (
        lambda: minitorch.quantile(F, 1.5),
        RuntimeError,
        "quantile\\(\\) q must be in the range \\[0, 1\\] but got 1.5",
    ),
    (
        lambda: minitorch.quantile(F, 0.5, interpolation="cubic"),
        RuntimeError,
        "interpolation must be one of linear, lower, higher, midpoint or nearest, but got cubic",
    ),
    (
        lambda: minitorch.quantile(minitorch.tensor([1, 2]), 0.5),
        RuntimeError,
        "input tensor must be either float or double dtype",
    ),
    (
        lambda: minitorch.quantile(F, minitorch.ones(2, 2) / 2),
        RuntimeError,
        "q must be a scalar or 1D tensor",
    ),
    (
        lambda: minitorch.nanmean(minitorch.tensor([1, 2])),
        RuntimeError,
        "nanmean\\(\\): expected input to have floating point or complex dtype but got Long",
    ),
    (
        lambda: minitorch.bincount(minitorch.tensor([-1, 2])),
        RuntimeError,
        "bincount only supports 1-d non-negative integral inputs",
    ),
    (
        lambda: minitorch.bincount(minitorch.tensor([1.0])),
        NotImplementedError,
        "\"bincount_cpu\" not implemented for 'Float'",
    ),
    (
        lambda: minitorch.bincount(minitorch.tensor([1, 2]), minitorch.ones(3)),
        RuntimeError,
        "weights should be 1-d and have the same length as input",
    ),
    (
        lambda: minitorch.histc(minitorch.tensor([1, 2])),
        NotImplementedError,
        "\"histogram_cpu\" not implemented for 'Long'",
    ),
    (lambda: minitorch.histc(F, bins=0), RuntimeError, "bins must be > 0"),
    (lambda: minitorch.histc(F, min=2, max=1), RuntimeError, "max must be larger than min"),
    (
        lambda: minitorch.searchsorted(minitorch.ones(2, 3), minitorch.ones(3, 1)),
        RuntimeError,
        "first N-1 dimensions of boundaries tensor and input value tensor must match",
    ),
    (
        lambda: minitorch.searchsorted(F[0], F, side="middle"),
        RuntimeError,
        "side can only be 'left' or 'right' but got middle",
    ),
    (
        lambda: minitorch.searchsorted(F[0], F, side="left", right=True),
        RuntimeError,
        "side and right can't be set to opposites",
    ),
    (
        lambda: minitorch.bucketize(F, F),
        RuntimeError,
        "boundaries tensor must be 1 dimension, but got dim\\(2\\)",
    ),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_det_of_singular_matrix_has_the_adjugate_gradient_with_create_graph():
    """PyTorch's first-order gradient det * A^-T is zero at det == 0; with create_graph it
    takes the SVD's adjugate, the true gradient."""
    a = minitorch.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    assert minitorch.det(a).item() == 0
    (g,) = minitorch.autograd.grad(minitorch.det(a), a, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-5)
    minitorch.det(a).backward()
    assert a.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_new_names_are_exported_like_torch(torch):
    names = (
        "einsum allclose isclose equal numel is_tensor is_floating_point erf erfc erfinv lerp "
        "addmm addmv baddbmm addcmul addcdiv diag diagonal diag_embed trace meshgrid cdist roll "
        "cumprod median nanmedian scatter index_put take take_along_dim finfo iinfo atan2 asin "
        "acos atan sinh cosh asinh acosh atanh tan log2 log10 exp2 expm1 sinc hypot frac fmod "
        "clamp_min clamp_max nan_to_num logaddexp logit xlogy bucketize searchsorted unique "
        "bincount histc cross kron tensordot block_diag cartesian_prod rot90 diff aminmax "
        "cummax cummin logcumsumexp quantile nanquantile nansum nanmean flipud fliplr "
        "column_stack dstack atleast_1d atleast_2d atleast_3d tensor_split hsplit vsplit dsplit "
        "det logdet slogdet inverse pinverse svd linalg"
    ).split()
    assert [n for n in names if not hasattr(torch, n)] == []
    assert [n for n in names if not hasattr(minitorch, n)] == []
    assert "softplus" not in dir(minitorch) and not hasattr(torch, "softplus")
    assert math.isclose(minitorch.erf(minitorch.tensor(1.0)).item(), math.erf(1.0), rel_tol=1e-7)
