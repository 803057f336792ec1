"""Session 7 compatibility sweep of reductions, sorting, searching and statistics: programs
written the way PyTorch users write them (dim tuples, keepdim, dtype=, int/bool/float16
inputs, empty and 0-d tensors, ties and NaNs, gradients), run with real PyTorch (the oracle)
and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

import minitorch

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _x(torch, *shape, dtype=None, grad=False):
    n = 1
    for s in shape:
        n *= s
    x = (torch.arange(n, dtype=torch.float64).reshape(shape) * 0.37 % 1.3 - 0.6).to(
        dtype or torch.float32
    )
    return x.requires_grad_(grad)


# ---- sum / mean / prod ------------------------------------------------------------------------
@program
def sum_dim_tuples_negative_keepdim(torch):
    x = _x(torch, 2, 3, 4, grad=True)
    a = x.sum((0, -1))
    b = x.sum(dim=[-2, 0], keepdim=True)
    c = torch.sum(x, -1, True)
    (a.sum() + (b * 2).sum() + c.pow(2).sum()).backward()
    return a, b, c, x.grad


@program
def sum_of_bool_and_ints(torch):
    b = torch.tensor([[True, False, True], [True, True, False]])
    i8 = torch.tensor([100, 100, 100], dtype=torch.int8)
    u8 = torch.tensor([200, 200], dtype=torch.uint8)
    i32 = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    return (
        b.sum(), b.sum(0), b.sum(1, keepdim=True), i8.sum(), u8.sum(), i32.sum(0),
        i32.sum(dtype=torch.int32), i8.sum(dtype=torch.int8), b.sum(dtype=torch.bool),
        i32.sum(dtype=torch.float32), torch.sum(b, dtype=torch.float64),
    )  # fmt: skip


@program
def sum_dtype_argument_grad(torch):
    x = torch.tensor([1.5, 2.25, -3.0], requires_grad=True)
    y = x.sum(dtype=torch.float64)
    y.backward()
    return y, x.grad


@program
def mean_dims_and_dtype(torch):
    x = _x(torch, 3, 4, 2, grad=True)
    a = x.mean((1, 2))
    b = x.mean(-1, keepdim=True)
    c = torch.mean(x, dtype=torch.float64)
    d = torch.tensor([1, 2, 4]).mean(dtype=torch.float32)
    (a.sum() + b.sum() * 3 + c).backward()
    return a, b, c, d, x.grad


@error(RuntimeError, r"mean\(\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long")  # fmt: skip
def mean_of_int(torch):
    return torch.tensor([1, 2, 3]).mean()


@program
def empty_reductions(torch):
    e = torch.zeros(0, 3)
    return (
        e.sum(), e.sum(0), e.sum(1), e.mean(), e.mean(0), e.prod(), e.prod(0),
        torch.zeros(0, dtype=torch.int64).sum(), e.std(0), e.var(), e.logsumexp(0),
        e.amax(1), e.norm(), e.all(), e.any(), e.count_nonzero(),
        e.nansum(), e.nanmean(),
    )  # fmt: skip


@error(RuntimeError, r"^max\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
def max_of_empty(torch):  # fixed: said amax()
    return torch.zeros(0).max()


@error(IndexError, r"max\(\): Expected reduction dim 0 to have non-zero size")
def max_of_empty_dim(torch):
    return torch.zeros(0, 3).max(0)


@error(IndexError, r"argmax\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
def argmax_of_empty(torch):
    return torch.zeros(0).argmax()


@error(IndexError, r"amax\(\): Expected reduction dim 0 to have non-zero size")
def amax_of_empty_dim(torch):
    return torch.zeros(0, 3).amax(0)


@program
def zero_dim_reductions(torch):
    s = torch.tensor(2.5, requires_grad=True)
    out = (
        s.sum(), s.sum(0), s.mean(-1), s.prod(0), s.amax(0), s.max(0), s.max(),
        s.argmax(), s.argmax(0), s.std(0, correction=0), s.logsumexp(0), s.norm(),
        s.sort(), s.topk(1), s.cumsum(0), s.median(), s.kthvalue(1),
        s.all(), s.any(0), s.count_nonzero(),
    )  # fmt: skip
    sum(o.float().sum() if torch.is_tensor(o) else o[0].sum() for o in out).backward()
    return out, s.grad


@program
def prod_with_zeros_gradients(torch):
    x = torch.tensor(
        [[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0]], dtype=torch.float64, requires_grad=True
    )
    p = x.prod(1)
    q = x.prod(0, keepdim=True)
    (p.sum() + q.sum() + x.prod()).backward()
    return p, q, x.grad


@program
def prod_ints_and_dtype(torch):
    i = torch.tensor([[2, 3], [4, 5]], dtype=torch.int32)
    b = torch.tensor([True, True, False])
    return i.prod(), i.prod(1), i.prod(0, dtype=torch.float32), b.prod(), i.prod(dtype=torch.int16)


@program
def nansum_nanmean_dims(torch):
    nan = float("nan")
    x = torch.tensor([[1.0, nan, 2.0], [nan, nan, nan], [3.0, 4.0, 5.0]], requires_grad=True)
    a = x.nansum((0, 1))
    b = torch.nansum(x, 1, keepdim=True)
    c = x.nanmean(0)
    d = torch.nanmean(x, dim=-1)
    (a + b.sum() + c.nansum() + d.nansum()).backward()
    return a, b, c, d, x.grad, torch.tensor([1, 2, 3]).nansum(), x.nansum(dtype=torch.float64)


@program
def float16_reductions(torch):
    x = torch.tensor([60000.0, 60000.0, -1000.0, 0.5], dtype=torch.float16)
    y = torch.arange(12, dtype=torch.float16).reshape(3, 4) / 7
    return (
        x.sum(), x.mean(), y.sum(0), y.mean(1), y.var(1), y.std(), y.prod(1), y.amax(0),
        y.max(1), y.argmax(), y.norm(), y.logsumexp(1), y.cumsum(1), y.sort(1, True),
        y.median(), y.softmax(1),
    )  # fmt: skip


@program
def noncontiguous_reductions(torch):
    x = _x(torch, 4, 5, grad=True)
    t = x.t()
    s = x[:, ::2]
    out = (t.sum(0), t.mean(1), s.amax(1), t.max(0), t.argmin(1), s.std(0), t.logsumexp(1),
           t.cumsum(0), s.sort(0), t.topk(2, 0), t.median(1), t.prod(0))  # fmt: skip
    sum(o.sum() if torch.is_tensor(o) else o[0].sum() for o in out).backward()
    return out, x.grad


# ---- max / min / amax / amin / argmax -----------------------------------------------------------
@program
def amax_splits_gradient_over_ties(torch):
    x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    y = x.amax(1)
    z = x.amin((0, 1))
    (y.sum() + z).backward()
    return y, z, x.grad


@program
def max_dim_gradient_to_index(torch):
    x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    v, i = x.max(1)
    m, j = torch.min(x, dim=0, keepdim=True)
    (v.sum() + m.sum()).backward()
    return v, i, m, j, x.grad


@program
def max_full_gradient_ties(torch):
    x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 3.0, 2.0]], requires_grad=True)
    y = x.max() + x.min()
    y.backward()
    return y, x.grad


@program
def nan_propagation_max_min_argmax(torch):
    nan = float("nan")
    x = torch.tensor([[1.0, nan, 3.0], [4.0, 5.0, 6.0], [nan, 0.0, nan]])
    return (
        x.max(), x.min(), x.max(1), x.min(0), x.argmax(1), x.argmin(0), x.argmax(), x.amax(1),
        x.amin(0), torch.aminmax(x, dim=1), torch.maximum(x, x.flip(0)), x.cummax(1),
        x.cummin(0), x.logsumexp(1), x.median(0),
    )  # fmt: skip


@program
def int_max_min(torch):
    x = torch.tensor([[3, -7, 3], [0, 9, 9]], dtype=torch.int16)
    b = torch.tensor([True, False, True])
    u = torch.tensor([0, 255, 3], dtype=torch.uint8)
    return (x.max(), x.min(1), x.argmax(1), x.amax(0), torch.aminmax(x), b.max(), u.argmax(),
            u.min(), u.max(0), x.max(1, keepdim=True), b.amax(), x.argmin(), b.min())  # fmt: skip


@program
def argmax_keepdim_full(torch):
    x = _x(torch, 2, 3, 4)
    return x.argmax(keepdim=True), x.argmin(dim=None, keepdim=True), x.argmax(-2, True)


@program
def aminmax_forms(torch):
    x = _x(torch, 3, 4)
    a = torch.aminmax(x)
    b = x.aminmax(dim=0, keepdim=True)
    return a, b, a.min, b.max


@program
def max_binary_and_other_forms(torch):
    a = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)
    b = torch.tensor([2.0, 5.0, 1.0], requires_grad=True)
    m = torch.max(a, b)
    n = torch.min(a, other=b)
    (m.sum() + 2 * n.sum()).backward()
    return m, n, a.grad, b.grad


@error(RuntimeError, r"argmax\(\): does not support bool input")
def argmax_of_bool(torch):  # fixed: answered
    return torch.tensor([True, False]).argmax()


@error(RuntimeError, r"argmin\(\): does not support bool input")
def argmin_of_bool_dim(torch):  # fixed: answered
    return torch.tensor([[True, False]]).argmin(1)


# ---- sort / argsort / topk / kthvalue / mode: the order of ties ------------------------------------
_LABELS = [1, 2, 2, 3, 1, 1, 2, 2, 3, 3, 3, 1, 1, 2, 2, 3, 3, 1, 2, 0, 0, 3]


@program
def sort_ties_beyond_sixteen(torch):  # fixed: PyTorch's std::sort is not stable past 16
    labels = torch.tensor(_LABELS)
    x = torch.tensor(_LABELS, dtype=torch.float32).reshape(2, 11).repeat(1, 2)
    return (
        labels.sort(), labels.argsort(), labels.argsort(descending=True), torch.msort(x.t()),
        x.sort(1, descending=True), x.sort(dim=1, stable=True), torch.sort(x, dim=1, stable=True, descending=True),
        labels[:16].sort(), torch.argsort(x, dim=-1),
    )  # fmt: skip


@program
def sort_ties_gradient(torch):  # fixed: the gradient follows the reported indices
    x = torch.tensor([float(v % 4) for v in _LABELS], requires_grad=True)
    w = torch.arange(22.0)
    v, i = x.sort(descending=True)
    (v * w).sum().backward()
    return v, i, x.grad


@program
def sort_descending_small_ints(torch):  # fixed: uint8/int8 were negated (wrapped) to sort down
    u = torch.tensor([0, 255, 1, 7, 255], dtype=torch.uint8)
    i8 = torch.tensor([-128, 127, 0, -128, 5], dtype=torch.int8)
    b = torch.tensor([True, False, True, False])
    return (u.sort(descending=True), i8.sort(descending=True), u.topk(2), i8.topk(3),
            b.sort(descending=True), b.argsort(descending=True), i8.argsort(descending=True))  # fmt: skip


@program
def topk_ties(torch):  # fixed: indices of ties are std::partial_sort / nth_element's
    x = torch.tensor([1, 3, 3, 2, 3, 1, 1, 2])
    y = torch.tensor(_LABELS * 4, dtype=torch.float64)
    return (x.topk(2), x.topk(3, largest=False), x.topk(8), x.topk(5, sorted=False),
            y.topk(1), y.topk(2, largest=False), y.topk(30), y.topk(10, sorted=False),
            torch.topk(y.reshape(4, 22), 4, dim=1))  # fmt: skip


@program
def topk_unsorted_order(torch):  # fixed: sorted=False leaves nth_element's arrangement
    x = torch.tensor([0.5, 2.5, -1.0, 4.0, 3.5, 0.0, 1.5, 2.0, -3.0])
    v, i = x.topk(4, sorted=False)
    w, j = torch.topk(x.reshape(3, 3), 2, dim=0, largest=False, sorted=False)
    return v, i, w, j


@program
def topk_nan_and_gradient(torch):
    nan = float("nan")
    x = torch.tensor([1.0, nan, 3.0, nan, 2.0, 3.0], requires_grad=True)
    v, i = x.topk(3)
    s, j = x.topk(4, largest=False)
    (v[2:] * 2).sum().backward()
    return v, i, s, j, x.grad


@error(RuntimeError, r"selected index k out of range")
def topk_k_too_large(torch):
    return torch.tensor([5.0, 1.0]).topk(3)


@error(RuntimeError, r"topk does not support bool dtypes on CPU")
def topk_of_bool(torch):  # fixed: answered
    return torch.tensor([True, False]).topk(1)


@program
def kthvalue_ties(torch):  # fixed: ATen's quickselect picks which of equal values
    x = torch.tensor(_LABELS)
    y = torch.tensor([_LABELS[:11], _LABELS[11:]], dtype=torch.float32)
    return x.kthvalue(5), x.kthvalue(12), y.kthvalue(4, 1), y.kthvalue(1, 0, keepdim=True)


@error(NotImplementedError, r"\"kthvalue_cpu\" not implemented for 'Bool'")
def kthvalue_of_bool(torch):  # fixed: answered
    return torch.tensor([True, False]).kthvalue(1)


@program
def mode_ties_beyond_sixteen(torch):  # fixed: the index is std::sort's last of the run
    x = torch.tensor(_LABELS)
    y = torch.tensor([_LABELS, _LABELS[::-1]])
    return x.mode(), y.mode(1), torch.mode(y.t(), 0, keepdim=True), x[:10].mode()


# ---- std / var / norms: dtypes ------------------------------------------------------------------
@error(RuntimeError, r"std and var only support floating point and complex dtypes")
def std_of_int(torch):  # fixed: mean()'s message
    return torch.tensor([1, 2, 3]).std()


@error(RuntimeError, r"var_mean only support floating point and complex dtypes")
def var_mean_of_int(torch):  # fixed
    return torch.var_mean(torch.tensor([[1, 2], [3, 4]]), 1)


@error(RuntimeError, r"std_mean only support floating point and complex dtypes")
def std_mean_of_bool(torch):  # fixed
    return torch.std_mean(torch.tensor([True, False]))


@error(RuntimeError, r"Expected a floating point or complex tensor as input. Got Long")
def norm_of_int(torch):  # fixed: named the dtype minitorch.int64
    return torch.tensor([3, 4]).norm()


@error(RuntimeError, r"linalg.vector_norm: Expected a floating point or complex tensor as input. Got Byte")  # fmt: skip
def vector_norm_of_uint8(torch):  # fixed
    return torch.linalg.vector_norm(torch.tensor([3, 4], dtype=torch.uint8))


@error(RuntimeError, r"norm\(\): input dtype should be either floating point or complex. Got Long instead")  # fmt: skip
def dist_of_ints(torch):  # fixed: vector_norm's message
    return torch.dist(torch.tensor([1, 2]), torch.tensor([3, 5]))


@error(RuntimeError, r"linalg.det: Expected a floating point or complex tensor as input. Got Long")
def det_of_int_names_long(torch):  # fixed
    return torch.linalg.det(torch.tensor([[1, 2], [3, 4]]))


@program
def logsumexp_of_ints_and_bools(torch):  # fixed: bools raised (subtraction of bools)
    i = torch.tensor([[1, 2, 3], [0, 0, 0]])
    b = torch.tensor([True, False, True])
    return torch.logsumexp(i, 1), b.logsumexp(0), i.logsumexp((0, 1), keepdim=True)


@program
def logsumexp_infinities_and_gradient(torch):
    inf = float("inf")
    x = torch.tensor([[-inf, -inf, -inf], [inf, 1.0, 2.0], [0.5, -inf, 1.5]], requires_grad=True)
    y = torch.logsumexp(x, dim=1)
    y[2].backward()
    z = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    w = z.logsumexp(dim=(0, 1))
    (gz,) = torch.autograd.grad(w, z, create_graph=True)
    (ggz,) = torch.autograd.grad(gz.pow(2).sum(), z)
    return y, x.grad, w, gz, ggz


@program
def norms_and_dist_every_p(torch):
    x = torch.tensor([[3.0, -4.0, 0.0], [1.0, 2.0, -2.0]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
    inf = float("inf")
    outs = [x.norm(p) for p in (0, 1, 2, 3, 0.5, inf, -inf)]
    outs += [x.norm(dim=1), x.norm(1, dim=0, keepdim=True), torch.norm(x, p="fro"),
             torch.norm(x, dim=(0, 1)), x.norm(3.5, 1), torch.dist(x, y, 0),
             torch.dist(x, y), torch.dist(x, y, inf), torch.dist(x, y, 1.5)]  # fmt: skip
    sum(o.sum() for o in outs).backward()
    return outs, x.grad


@program
def norm_gradient_at_zero(torch):
    x = torch.zeros(2, 3, requires_grad=True)
    y = x.norm() + x.norm(dim=1).sum() + torch.dist(x, torch.zeros(3))
    y.backward()
    return y, x.grad


# ---- quantile / nanquantile --------------------------------------------------------------------
@program
def quantile_zero_dim_q_tensor(torch):  # fixed: a 0-d q added a dim
    x = torch.tensor([[1.0, 2.0, 7.0], [3.0, 4.0, 0.0]])
    q = torch.tensor(0.25)
    return (torch.quantile(x, q), torch.quantile(x, q, dim=1, keepdim=True),
            x.nanquantile(q, 0), torch.quantile(x, torch.tensor([0.25]), dim=1))  # fmt: skip


@program
def quantile_of_scalar_keepdim(torch):  # fixed: keepdim gave a 1-element result
    s = torch.tensor(3.0)
    return (torch.quantile(s, 0.5, dim=0, keepdim=True), s.quantile(0.5, keepdim=True),
            torch.quantile(s, torch.tensor([0.2, 0.9]), dim=0, keepdim=True), s.quantile(0.1, 0))  # fmt: skip


@program
def quantile_keepdim_interpolations_gradient(torch):
    x = torch.tensor([[0.5, 3.0, 1.0, 2.0], [4.0, 4.0, -1.0, 0.0]], dtype=torch.float64,
                     requires_grad=True)  # fmt: skip
    q = torch.tensor([0.0, 0.3, 0.5, 1.0], dtype=torch.float64)
    outs = [torch.quantile(x, q, dim=1, keepdim=True, interpolation=m)
            for m in ("linear", "lower", "higher", "midpoint", "nearest")]  # fmt: skip
    outs.append(torch.quantile(x, 0.6, keepdim=True))
    outs.append(torch.nanquantile(x, q, dim=0))
    sum(o.sum() for o in outs).backward()
    return outs, x.grad


@error(RuntimeError, r"quantile\(\) q tensor must be same dtype as the input tensor")
def quantile_q_dtype_mismatch(torch):  # fixed: computed in the mixed dtypes
    return torch.quantile(torch.tensor([1.0, 2.0]), torch.tensor([0.5], dtype=torch.float64))


@error(RuntimeError, r"^quantile\(\) q must be in the range \[0, 1\] but got 1.5")
def nanquantile_q_out_of_range(torch):  # fixed: said nanquantile()
    return torch.nanquantile(torch.tensor([1.0, 2.0]), 1.5)


@error(RuntimeError, r"quantile\(\) interpolation must be one of linear, lower, higher, midpoint or nearest, but got cubic")  # fmt: skip
def quantile_bad_interpolation(torch):  # fixed: another wording
    return torch.quantile(torch.tensor([1.0, 2.0]), 0.5, interpolation="cubic")


@error(RuntimeError, r"quantile\(\) input tensor must be either float or double dtype")
def quantile_of_float16(torch):  # fixed: answered in float16
    return torch.quantile(torch.tensor([1.0, 2.0], dtype=torch.float16), 0.5)


@error(RuntimeError, r"quantile\(\) input tensor must be non-empty")
def quantile_of_empty_slices(torch):  # fixed: gave an empty result
    return torch.quantile(torch.zeros(2, 0), 0.5, dim=0)


@error(RuntimeError, r"quantile\(\) q values must be in the range \[0, 1\]")
def quantile_q_tensor_out_of_range(torch):
    return torch.tensor([1.0, 2.0]).quantile(torch.tensor([0.5, 1.5]))


# ---- median / nanmedian / mode -----------------------------------------------------------------
@program
def median_lower_and_indices(torch):
    x = torch.tensor([[2.0, 1.0, 4.0, 3.0], [1.0, 1.0, 1.0, 5.0], [7.0, 7.0, 2.0, 2.0]])
    i = torch.tensor([[5, 3, 1, 2], [1, 2, 2, 1]])
    return (x.median(), x.median(1), torch.median(x, 0, keepdim=True), i.median(), i.median(1),
            x.nanmedian(), x.t().median(0), torch.median(x.double(), -1))  # fmt: skip


@program
def median_nan_rows_and_gradient(torch):
    nan = float("nan")
    x = torch.tensor([[1.0, nan, 3.0, 2.0], [nan, nan, nan, nan], [4.0, 1.0, 1.0, 2.0]],
                     requires_grad=True)  # fmt: skip
    v, i = x.nanmedian(1)
    m, j = x.median(1)
    w = x[2].median()
    (v[0] + v[2] * 2 + w * 3).backward()
    return v, i, m, j, x.median(), x.nanmedian(), x.grad


@error(NotImplementedError, r"\"median_cpu\" not implemented for 'Bool'")
def median_of_bool(torch):  # fixed: answered
    return torch.tensor([True, False, True]).median()


@error(NotImplementedError, r"\"median_out\" not implemented for 'Bool'")
def nanmedian_of_bool_dim(torch):  # fixed: answered
    return torch.tensor([True, False, True]).nanmedian(0)


@program
def mode_forms(torch):
    x = torch.tensor([[1, 2, 2, 3, 3], [4, 4, 1, 1, 0]])
    f = torch.tensor([0.5, 0.25, 0.5, 0.25, 1.0], requires_grad=True)
    v, i = f.mode()
    v.backward()
    return x.mode(), x.mode(0), torch.mode(x, 1, keepdim=True), x.t().mode(1), v, i, f.grad


# ---- counting: bincount, histc, histogram ------------------------------------------------------
@program
def bincount_weights_dtypes(torch):  # fixed: float16 weights stayed float16; empty with weights
    x = torch.tensor([3, 1, 1, 0])
    return (torch.bincount(x), x.bincount(minlength=6), x.bincount(torch.tensor([0.5, 1, 2, 4])),
            x.bincount(torch.tensor([1, 2, 3, 4])), x.bincount(torch.tensor([1.0, 2, 3, 4], dtype=torch.float16)),
            x.bincount(torch.tensor([1.0, 2, 3, 4], dtype=torch.float64), 5),
            torch.bincount(torch.tensor([], dtype=torch.int64), torch.tensor([]), minlength=2),
            torch.bincount(torch.tensor([2, 2], dtype=torch.uint8)))  # fmt: skip


@error(NotImplementedError, r"\"bincount_cpu\" not implemented for 'Float'")
def bincount_of_floats(torch):  # fixed: RuntimeError with minitorch's wording
    return torch.bincount(torch.tensor([1.0, 2.0]))


@error(RuntimeError, r"weights should be 1-d and have the same length as input")
def bincount_weights_length(torch):  # fixed: wording
    return torch.bincount(torch.tensor([1, 2]), torch.tensor([1.0, 2.0, 3.0]))


@error(RuntimeError, r"bincount only supports 1-d non-negative integral inputs.")
def bincount_of_matrix(torch):
    return torch.bincount(torch.tensor([[1, 2]]))


@program
def histc_ranges(torch):
    x = torch.tensor([1.0, 2.0, 2.5, 7.0, -1.0, 3.0])
    return (torch.histc(x, 4), torch.histc(x, bins=4, min=0, max=3), x.histc(3, 2, 2),
            torch.histc(torch.tensor([]), 3), torch.histc(x.double(), 5, -2, 8),
            torch.histc(x.reshape(2, 3), 2))  # fmt: skip


@error(RuntimeError, r"torch.histc: range of \[.*\] is not finite")
def histc_of_nan(torch):  # fixed: wording
    return torch.histc(torch.tensor([1.0, float("inf"), 2.0]), 4)


@error(RuntimeError, r"torch.histogram\(\): bins must be > 0, but got 0 for dimension 0")
def histc_zero_bins(torch):  # fixed: said torch.histc()
    return torch.histc(torch.tensor([1.0, 2.0]), 0)


@error(NotImplementedError, r"\"histogram_cpu\" not implemented for 'Long'")
def histc_of_ints(torch):  # fixed: minitorch's wording
    return torch.histc(torch.tensor([1, 2]), 3)


@program
def histogram_forms(torch):
    x = torch.tensor([1.0, 2.0, 1.0, 4.5, 3.0])
    w = torch.tensor([1.0, 2.0, 4.0, 0.5, 1.0])
    e = torch.tensor([0.0, 1.5, 2.0, 5.0])
    return (torch.histogram(x, 4), torch.histogram(x, bins=4, range=(0.0, 4.0)),
            torch.histogram(x, e), torch.histogram(x, e, weight=w),
            torch.histogram(x, bins=3, density=True), torch.histogram(x, e, density=True, weight=w),
            torch.histogram(x.reshape(5, 1).double(), 2), torch.histogram(torch.tensor([]), 3),
            x.histogram(torch.tensor([1.0, 2.0, 3.0])))  # fmt: skip


@error(RuntimeError, r"input tensor and bins tensors should have the same dtype")
def histogram_bins_dtype(torch):  # fixed: answered
    return torch.histogram(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 1, 2], dtype=torch.float64))


@error(RuntimeError, r"torch.histogramdd: dimension 0's range \[.*\] is not finite")
def histogram_of_nan(torch):  # fixed: numpy's ValueError
    return torch.histogram(torch.tensor([1.0, float("nan")]), 3)


@error(RuntimeError, r"torch.histogramdd: min should not exceed max, but got min 3 max 1")
def histogram_reversed_range(torch):  # fixed: numpy's ValueError
    return torch.histogram(torch.tensor([1.0, 2.0]), 3, range=(3.0, 1.0))


@error(RuntimeError, r"if weight tensor is provided it should have the same shape as the input")
def histogram_weight_shape(torch):  # fixed: numpy's ValueError
    return torch.histogram(torch.tensor([1.0, 2.0]), 3, weight=torch.tensor([1.0, 2.0, 3.0]))


@error(NotImplementedError, r"\"histogramdd\" not implemented for 'Half'")
def histogram_of_float16(torch):  # fixed: answered
    return torch.histogram(torch.tensor([1.0, 2.0], dtype=torch.float16), 3)


# ---- searchsorted / bucketize ------------------------------------------------------------------
@program
def searchsorted_forms(torch):
    s = torch.tensor([1.0, 2.0, 2.0, 5.0])
    v = torch.tensor([[2.0, 0.0], [5.0, 6.0]])
    rows = torch.tensor([[1, 3, 5, 7], [2, 4, 6, 8]])
    return (torch.searchsorted(s, v), torch.searchsorted(s, v, right=True),
            torch.searchsorted(s, v, side="right", out_int32=True), torch.searchsorted(s, 2.0),
            torch.searchsorted(rows, torch.tensor([[3, 6], [1, 9]])),
            torch.searchsorted(torch.tensor([3.0, 1.0, 2.0]), torch.tensor([2.5]),
                               sorter=torch.tensor([1, 2, 0])),
            torch.searchsorted(torch.tensor([1, 2]), torch.tensor([1.5])),
            torch.bucketize(v, s), torch.bucketize(v, s, right=True), torch.bucketize(3, s),
            torch.bucketize(torch.tensor(2.0), s, out_int32=True))  # fmt: skip


@program
def searchsorted_nan_boundaries(torch):  # fixed: numpy's NaN-last order, not ATen's search
    nan = float("nan")
    s = torch.tensor([1.0, nan, 3.0, nan, 5.0])
    v = torch.tensor([nan, 2.0, 4.0, 6.0, 0.0])
    rows = torch.tensor([[1.0, nan, 3.0], [nan, 4.0, 5.0]])
    return (torch.searchsorted(s, v), torch.searchsorted(s, v, right=True),
            torch.searchsorted(rows, v[:3].repeat(2, 1)), torch.bucketize(v, torch.tensor([1.0, nan])))  # fmt: skip


@error(RuntimeError, r"boundary and sorter must have the same size")
def searchsorted_sorter_size(torch):  # fixed: answered
    return torch.searchsorted(
        torch.tensor([3.0, 1, 2]), torch.tensor([2.5]), sorter=torch.tensor([1, 2])
    )


@error(RuntimeError, r"sorter must be a tensor of long dtype but got dtype Int")
def searchsorted_sorter_int32(torch):  # fixed: answered
    s = torch.tensor([3.0, 1, 2])
    return torch.searchsorted(
        s, torch.tensor([2.5]), sorter=torch.tensor([1, 2, 0], dtype=torch.int32)
    )


@error(RuntimeError, r"boundaries tensor should have positive dimension, but got 0 dimension")
def searchsorted_scalar_boundaries(torch):  # fixed: IndexError
    return torch.searchsorted(torch.tensor(1.0), torch.tensor([1.0]))


@error(RuntimeError, r"torch.searchsorted\(\): side can only be 'left' or 'right' but got middle")
def searchsorted_bad_side(torch):
    return torch.searchsorted(torch.tensor([1.0]), torch.tensor([1.0]), side="middle")


@error(RuntimeError, r"boundaries tensor must be 1 dimension, but got dim\(2\)")
def bucketize_matrix_boundaries(torch):
    return torch.bucketize(torch.tensor([1.5]), torch.tensor([[1.0, 2.0]]))


# ---- other dtype errors of PyTorch's kernels ---------------------------------------------------
@error(RuntimeError, r"cov\(\): bool dtype is not supported for input")
def cov_of_bool(torch):  # fixed: answered
    return torch.cov(torch.tensor([[True, False, True]]))


@error(RuntimeError, r"Unsupported input type encountered for isin\(\): Bool")
def isin_of_bool(torch):  # fixed: answered
    return torch.isin(torch.tensor([True, False]), torch.tensor([1]))


@error(NotImplementedError, r"\"logcumsumexp_out_cpu\" not implemented for 'Long'")
def logcumsumexp_of_int(torch):  # fixed: RuntimeError with minitorch's wording
    return torch.logcumsumexp(torch.tensor([1, 2]), 0)


@error(NotImplementedError, r"\"softmax_kernel_impl\" not implemented for 'Long'")
def softmax_of_int_inner_dim(torch):  # fixed: minitorch's wording
    return torch.tensor([[1, 2], [3, 4]]).softmax(0)


@error(NotImplementedError, r"\"log_softmax_lastdim_kernel_impl\" not implemented for 'Int'")
def log_softmax_of_int_last_dim(torch):  # fixed: minitorch's wording
    return torch.log_softmax(torch.tensor([1, 2], dtype=torch.int32), -1)


@program
def long_rows_with_ties(torch):  # fixed: long rows partition as array operations, same order
    x = (torch.arange(6000) * 7919 % 13).reshape(2, 3000)
    f = x.float().t()
    return (x.argsort(), x.sort(descending=True).indices, f.topk(700, 0, sorted=False).indices,
            f.topk(20, 0).indices, x.kthvalue(1500).indices, x.mode().indices,
            torch.argsort(x[0]), torch.sort(x[0].float()).indices)  # fmt: skip


# ---- gradchecks of the new differentiable ops -----------------------------------------------------
@pytest.mark.parametrize("p", [0.5, 1.5, 3.0, -1.0])
def test_norm_p_gradcheck(p):  # NormP: the p-norm with PyTorch's norm_backward
    from minitorch.autograd import gradcheck, gradgradcheck

    x = minitorch.tensor([[0.3, -1.2, 2.0], [1.5, 0.7, -0.4]], dtype=minitorch.float64)
    x.requires_grad_(True)
    assert gradcheck(lambda t: t.norm(p, dim=1), (x,))
    assert gradgradcheck(lambda t: minitorch.linalg.vector_norm(t, p, dim=(0, 1)), (x,))
    assert gradcheck(lambda t: minitorch.dist(t, t[:1] * 2, p), (x,))


def test_nansum_gradcheck():  # Nansum: grad * ~isnan
    from minitorch.autograd import gradcheck, gradgradcheck

    x = minitorch.tensor([[0.3, float("nan"), 2.0], [1.5, 0.7, -0.4]], dtype=minitorch.float64)
    x.requires_grad_(True)
    assert gradcheck(lambda t: t.nansum(1), (x,))
    assert gradgradcheck(lambda t: (t.nansum(0, keepdim=True) ** 2).sum(), (x,))
    b = minitorch.tensor([[0.3, 2.0], [1.5, -0.4]], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: minitorch.nansum(t.unsqueeze(0) + b, (0, 2)), (b,))


@error(RuntimeError, r"aminmax\(\): cannot compute aminmax over an empty dimension")
def aminmax_of_empty(torch):  # fixed: amin's message
    return torch.aminmax(torch.zeros(0, 2))


@error(IndexError, r"aminmax: Expected reduction dim 0 to have non-zero size")
def aminmax_of_empty_dim(torch):  # fixed: amin's message
    return torch.aminmax(torch.zeros(0, 2), dim=0)


# ---- programs the way training and evaluation code uses these ops -------------------------------
@program
def accuracy_and_topk_accuracy(torch):
    torch.manual_seed(0)
    logits = torch.randn(16, 10)
    logits[3, 4] = logits[3, 7] = logits[3].max() + 1  # a tie for the top class
    target = torch.randint(0, 10, (16,))
    pred = logits.argmax(dim=1)
    acc = (pred == target).float().mean()
    _, top5 = logits.topk(5, dim=1, largest=True, sorted=True)
    correct = top5.eq(target.view(-1, 1).expand_as(top5))
    top5_acc = correct.any(dim=1).float().sum() / target.numel()
    per_class = torch.bincount(target[pred == target], minlength=10)
    return pred, acc, top5, top5_acc, per_class


@program
def ranking_metrics(torch):
    scores = torch.tensor([[0.1, 0.9, 0.4, 0.9, 0.2], [0.5, 0.5, 0.5, 0.1, 0.7]])
    rel = torch.tensor([[0, 1, 0, 1, 1], [1, 0, 0, 0, 1]]).float()
    order = scores.argsort(dim=1, descending=True)
    ranks = order.argsort(dim=1)
    gains = rel.gather(1, order)
    discounts = torch.log2(torch.arange(2, 7).float())
    dcg = (gains / discounts).sum(1)
    ideal = (rel.sort(1, descending=True).values / discounts).sum(1)
    mrr = (1.0 / (ranks.float() + 1) * rel).amax(1)
    return order, ranks, dcg / ideal, mrr


@program
def beam_search_step(torch):
    torch.manual_seed(1)
    beam, vocab = 3, 7
    log_probs = torch.log_softmax(torch.randn(beam, vocab), dim=-1)
    scores = torch.tensor([[-0.5], [-1.0], [-1.0]]) + log_probs
    best, flat = scores.view(-1).topk(beam)
    return best, flat, flat // vocab, flat % vocab, torch.div(flat, vocab, rounding_mode="floor")


@program
def masked_mean_and_normalization(torch):
    torch.manual_seed(2)
    x = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)
    mask = torch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0], [0] * 6])
    m = mask.to(x.dtype)
    mean = (x * m).sum(1) / m.sum(1).clamp(min=1)
    z = (x - x.mean(dim=1, keepdim=True)) / (x.std(dim=1, keepdim=True, unbiased=False) + 1e-5)
    masked_max = x.masked_fill(mask == 0, float("-inf")).max(dim=1)
    loss = mean.sum() + z.pow(2).sum() + masked_max.values[:3].sum()
    loss.backward()
    return mean, z, masked_max.values, masked_max.indices, x.grad


@program
def percentile_clipping_and_robust_stats(torch):
    torch.manual_seed(3)
    x = torch.randn(200) * 3
    x[::17] = 50.0
    lo, hi = torch.quantile(x, torch.tensor([0.01, 0.99]))
    clipped = x.clamp(lo, hi)
    med = x.median()
    mad = (x - med).abs().median()
    q = torch.quantile(x.reshape(20, 10), 0.5, dim=1, interpolation="nearest")
    return lo, hi, clipped.mean(), med, mad, q, torch.kthvalue(x, 10).values


@program(tol={"rtol": 1e-4, "atol": 1e-5})  # PyTorch's float32 gradient is 1.6e-6 off float64's
def logsumexp_losses(torch):
    torch.manual_seed(4)
    logits = torch.randn(5, 8, requires_grad=True)
    target = torch.tensor([1, 0, 7, 3, 3])
    nll = (torch.logsumexp(logits, dim=1) - logits.gather(1, target[:, None]).squeeze(1)).mean()
    sim = logits @ logits.t() / 0.5
    infonce = -(sim.diagonal() - torch.logsumexp(sim, dim=1)).mean()
    (nll + infonce).backward()
    return nll, infonce, logits.grad


@program
def label_statistics(torch):
    labels = torch.tensor([2, 0, 2, 5, 5, 5, 1, 2, 0, 5, 3, 3, 2, 0, 1, 5, 4, 2])
    values, counts = torch.unique(labels, return_counts=True)
    weights = 1.0 / torch.bincount(labels).float()
    sample_w = weights[labels]
    majority = torch.mode(labels).values
    runs = torch.unique_consecutive(labels.sort().values, return_counts=True)
    order = labels.argsort()
    return values, counts, weights, sample_w, majority, runs, order, labels.sort(stable=True)


@program
def cumulative_max_drawdown(torch):
    prices = torch.tensor([10.0, 12.0, 11.0, 12.0, 9.0, 13.0, 13.0, 8.0], requires_grad=True)
    peak, when = prices.cummax(0)
    trough, at = prices.cummin(0)
    drawdown = (prices - peak) / peak
    drawdown.min().backward()
    return peak, when, trough, at, drawdown, prices.grad


@program
def sort_and_topk_gradients_with_ties(torch):
    x = torch.tensor([[3.0, 1.0, 3.0, 2.0, 1.0], [0.0, 0.0, 5.0, 5.0, 5.0]], requires_grad=True)
    s, _ = x.sort(1, descending=True)
    t, _ = x.topk(2, 1)
    k, _ = x.kthvalue(2, 1)
    m, _ = x.median(1)
    w = torch.arange(1.0, 6.0)
    ((s * w).sum() + (t * w[:2]).sum() * 10 + k.sum() * 100 + m.sum() * 1000).backward()
    return s, t, k, m, x.grad


@program
def reductions_of_views(torch):
    base = torch.arange(24.0).reshape(2, 3, 4)
    x = base.permute(2, 0, 1)[:, :: -1 if False else 1]
    y = base.transpose(0, 2).expand(2, 4, 3, 2)
    return (x.sum((0, 2)), x.amax(-1), x.std(0), y.mean(0), y.sort(2, descending=True),
            y.topk(2, dim=1), y.argmax(1), y.logsumexp(-1), y.prod(3), y.median(2))  # fmt: skip


@program
def float64_and_int_precision(torch):
    big = torch.tensor([2**40, 3, -(2**40)], dtype=torch.int64)
    f = torch.tensor([1e16, 1.0, -1e16], dtype=torch.float64)
    i32 = torch.tensor([2**30, 2**30, 2**30], dtype=torch.int32)
    return (big.sum(), big.prod(), big.cumsum(0), f.sum(), f.mean(), i32.sum(), i32.sum().dtype,
            i32.cumsum(0), i32.prod(), torch.tensor([2**31 - 1], dtype=torch.int32).max())  # fmt: skip


@program
def count_nonzero_dims(torch):  # fixed: numpy's AxisError / ValueError for bad dims
    x = torch.tensor([[0.0, 1.5, float("nan")], [2.0, 0.0, 0.0]])
    return (torch.count_nonzero(x), x.count_nonzero(0), x.count_nonzero(dim=(0, 1)),
            x.count_nonzero([-1]), torch.count_nonzero(torch.tensor([True, False, True])))  # fmt: skip


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def count_nonzero_bad_dim(torch):  # fixed: numpy's AxisError
    return torch.tensor([[1.0, 2.0]]).count_nonzero(2)


@error(RuntimeError, r"dim 0 appears multiple times in the list of dims")
def count_nonzero_repeated_dim(torch):  # fixed: numpy's ValueError
    return torch.tensor([[1.0, 2.0]]).count_nonzero((0, 0))


@program
def mean_nanmean_dtype_argument(torch):
    i = torch.tensor([[1, 2], [4, 8]])
    h = torch.tensor([[1.0, float("nan")], [3.0, 4.0]], dtype=torch.float16)
    return (i.mean(dtype=torch.float16), i.mean(1, dtype=torch.float64), h.mean(dtype=torch.float32),
            h.nanmean(dtype=torch.float32), h.nanmean(0, dtype=torch.float64))  # fmt: skip


@error(RuntimeError, r"mean\(\): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: Long")  # fmt: skip
def mean_with_int_dtype(torch):  # fixed: said Input dtype
    return torch.tensor([1.5, 2.5]).mean(dtype=torch.int64)


@error(RuntimeError, r"nanmean\(\): expected input to have floating point or complex dtype but got Long")  # fmt: skip
def nanmean_of_int_with_float_dtype(torch):  # fixed: cast first and answered
    return torch.tensor([1, 2]).nanmean(dtype=torch.float32)


@program
def empty_slices_of_selections(torch):
    e = torch.zeros(0, 3)
    return (e.max(1), e.argmax(1), e.sort(0), e.topk(2, 1), e.kthvalue(1, 1), e.median(1),
            e.mode(1), e.cummax(1), e.unique(dim=0), e.argsort(1), torch.var_mean(e, 1),
            torch.zeros(2, 0).topk(0), torch.zeros(2, 0).sort(), torch.zeros(2, 0).cummin(1))  # fmt: skip


@error(IndexError, r"kthvalue\(\): Expected reduction dim 1 to have non-zero size")
def kthvalue_of_empty_dim(torch):  # fixed: the k-out-of-range message
    return torch.zeros(2, 0).kthvalue(1, 1)


@error(RuntimeError, r"There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")  # fmt: skip
def unique_dim_of_empty(torch):  # fixed: answered
    return torch.zeros(0, 3).unique(dim=1)


@program
def cumulative_extremes_gradients_with_ties(torch):
    nan = float("nan")
    x = torch.tensor([[1.0, 3.0, 3.0, 2.0, 3.0], [2.0, nan, 1.0, 4.0, 0.0]], requires_grad=True)
    v, i = x.cummax(1)
    w, j = torch.cummin(x, dim=1)
    lse = torch.logcumsumexp(x[:1], 1)
    (v.nansum() + 2 * w.nansum() + lse.sum()).backward()
    return v, i, w, j, lse, x.grad


@program
def amax_amin_multi_dim_gradients(torch):
    nan = float("nan")
    x = torch.tensor([[[1.0, 4.0], [4.0, 2.0]], [[nan, 0.0], [3.0, 3.0]]], requires_grad=True)
    a = x.amax((1, 2))
    b = x.amin(dim=(0, -1), keepdim=True)
    c = x[0].max()
    (a.nan_to_num().sum() + b.nan_to_num().sum() * 3 + c * 5).backward()
    return a, b, c, x.grad


@program
def var_std_gradients_corrections(torch):
    x = torch.tensor([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]], dtype=torch.float64, requires_grad=True)
    s = x.std(1)
    v = x.var(0, correction=0)
    sm = torch.std_mean(x, dim=1, correction=2)
    vm = torch.var_mean(x, (0, 1), keepdim=True)
    (s.sum() + v.sum() + sm[0].sum() * sm[1].sum() + vm[0].sum() + vm[1].sum()).backward()
    return s, v, sm, vm, x.grad


@program
def std_of_single_element_and_overcorrection(torch):
    x = torch.tensor([[1.0, 2.0], [5.0, 5.0]], requires_grad=True)
    a = x[:, :1].std(1)  # n - correction = 0: nan (inf for var of nonzero spread)
    b = x.var(1, correction=3)
    c = x.std(0, correction=2)
    (c.sum() + a.nan_to_num().sum()).backward()
    return a, b, c, x.grad


@program(tol={"rtol": 0, "atol": 0})  # exact: PyTorch rounds float16 once, from float32
def float16_statistics_accumulate_in_float32(torch):  # fixed: var/std overflowed to inf
    x = (torch.arange(600, dtype=torch.float32).reshape(2, 300) % 97 - 48).half() * 7
    y = (torch.arange(12, dtype=torch.float32).reshape(2, 6) / 5 - 1).half()
    return (x.var(1), x.std(), torch.std_mean(x, 1), torch.var_mean(x, dim=0, correction=0),
            y.cumprod(1), y.logcumsumexp(1), y.cumsum(1))  # fmt: skip


@program
def prod_hessian_through_zeros(torch):  # fixed: raised for two zeros under create_graph
    x = torch.tensor([[0.0, 2.0, 0.0, 3.0], [1.0, 0.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0]],
                     dtype=torch.float64, requires_grad=True)  # fmt: skip
    (g,) = torch.autograd.grad(x.prod(1).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad((g * torch.arange(12.0).reshape(3, 4)).sum(), x)
    (g0,) = torch.autograd.grad(x[:2].prod(), x, create_graph=True)
    (h0,) = torch.autograd.grad(g0.sum(), x)
    return g, h, g0, h0


def test_prod_with_zeros_gradgradcheck():  # the create_graph backward of Prod
    from minitorch.autograd import gradgradcheck

    x = minitorch.tensor([[0.0, 2.0, 0.0], [1.5, 0.0, 2.0]], dtype=minitorch.float64)
    x.requires_grad_(True)
    assert gradgradcheck(lambda t: t.prod(1), (x,))
    assert gradgradcheck(lambda t: t.prod(0, keepdim=True), (x,))
    assert gradgradcheck(lambda t: t[1:].prod(), (x,))


@error(RuntimeError, r"linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long")  # fmt: skip
def norm_of_int_with_dtype(torch):  # fixed: cast to dtype first and answered
    return torch.norm(torch.tensor([3, 4]), dtype=torch.float64)


@error(RuntimeError, r"the dtype of the input \(Double\) should be convertible without narrowing to the specified dtype \(Float\)")  # fmt: skip
def vector_norm_narrowing_dtype(torch):  # fixed: answered in float32
    return torch.linalg.vector_norm(
        torch.tensor([3.0, 4.0], dtype=torch.float64), dtype=torch.float32
    )


@error(TypeError, r"argument 'ord' must be Number, not str")
def vector_norm_string_ord(torch):  # fixed: RuntimeError
    return torch.linalg.vector_norm(torch.tensor([3.0, 4.0]), ord="fro")


@program
def norm_dtype_widening(torch):
    x = torch.tensor([[3.0, 4.0], [1.0, 2.0]], dtype=torch.float16)
    return (torch.linalg.vector_norm(x, dtype=torch.float32), x.norm(p=3, dim=1, dtype=torch.float64),
            torch.norm(x.float(), dim=0, dtype=torch.float64), torch.linalg.norm(x.float(), dtype=torch.float64))  # fmt: skip


@program
def histogramdd_forms(torch):  # fixed: torch.histogramdd was missing
    pts = torch.tensor([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.5, 0.5]])
    edges = [torch.tensor([0.0, 1.0, 3.0]), torch.tensor([0.0, 0.5, 2.5])]
    return (torch.histogramdd(pts, bins=[3, 3]), torch.histogramdd(pts, 2, weight=torch.arange(5.0)),
            torch.histogramdd(pts, bins=[2, 2], range=[0.0, 1.0, 0.0, 1.0], density=True),
            torch.histogramdd(pts, bins=edges), torch.histogramdd(pts.reshape(1, 5, 2).double(), [1, 4]))  # fmt: skip


@error(NotImplementedError, r"\"histogramdd\" not implemented for 'Long'")
def histogramdd_of_ints(torch):
    return torch.histogramdd(torch.tensor([[0, 0]]), bins=2)


@program
def all_any_on_floats_and_dims(torch):
    x = torch.tensor([[0.0, 1.5, float("nan")], [2.0, 0.0, -1.0]])
    u = torch.tensor([[0, 3], [2, 1]], dtype=torch.uint8)
    return (x.all(), x.any(), x.all(1), x.any(dim=0, keepdim=True), torch.all(x, dim=(0, 1)),
            torch.any(x != x, -1), u.all(0), u.any(), torch.zeros(0, 2).all(0), torch.zeros(0, 2).any(1),
            torch.tensor(0.0).any(), torch.tensor([[True, False]]).all(dim=[0]))  # fmt: skip


@program
def unique_and_unique_consecutive_forms(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 1, 5])
    m = torch.tensor([[1, 2], [1, 2], [0, 5], [1, 2]])
    f = torch.tensor([1.0, float("nan"), float("nan"), -0.0, 0.0])
    return (torch.unique(x), x.unique(sorted=False, return_inverse=True, return_counts=True),
            torch.unique(m, dim=0, return_inverse=True, return_counts=True), m.unique(dim=1),
            torch.unique(f, return_counts=True), torch.unique_consecutive(x, return_inverse=True, return_counts=True),
            torch.unique_consecutive(m, dim=0, return_counts=True), f.unique_consecutive(),
            torch.unique(torch.tensor(4), return_inverse=True))  # fmt: skip


@program
def cumulative_sums_products_dtypes(torch):
    i = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int32)
    b = torch.tensor([True, False, True, True])
    x = torch.tensor([[0.5, -2.0, 0.0, 3.0]], dtype=torch.float64, requires_grad=True)
    c = x.cumprod(1)
    s = torch.cumsum(x, dim=-1)
    (c.sum() + (s * s).sum()).backward()
    return (i.cumsum(1), i.cumprod(0), b.cumsum(0), b.cumprod(0), i.cumsum(1, dtype=torch.float32),
            torch.cumsum(i, 0, dtype=torch.int8), c, s, x.grad)  # fmt: skip


@program
def grad_fn_names_of_selections_and_norms(torch):  # fixed: names of the composing ops showed
    x = torch.tensor([[1.0, 2.0, 2.0], [0.5, -3.0, 4.0]], requires_grad=True)
    outs = [x.kthvalue(1, 1).values, x.median(1).values, x.nanmedian(1).values, x.mode(1).values,
            x.cummax(1).values, x.cummin(1).values, x.norm(1), x.norm(float("inf")), x.norm(0),
            x.prod(1), x.amin(1), x.logcumsumexp(1), torch.aminmax(x).min, torch.aminmax(x, dim=1).max,
            torch.dist(x, torch.zeros(3)), torch.std_mean(x, 1)[0], torch.var_mean(x)[1]]  # fmt: skip
    return [o.grad_fn.name() for o in outs] + [str(x.median(1)), str(torch.dist(x, x.flip(0), 3))]


@program(tol={"rtol": 0, "atol": 0})  # exact
def quantile_ranks_in_float32(torch):  # fixed: ranks in float64 (0.3 * 1000 is 300 in float32)
    x = (torch.arange(1001, dtype=torch.float32) * 7919 % 1001 - 500).reshape(1, 1001) * 0.37
    q = torch.tensor([0.1, 0.3, 0.77, 0.999])
    return [torch.quantile(x, q, dim=1, interpolation=m) for m in ("linear", "lower", "higher", "midpoint", "nearest")]  # fmt: skip


@program
def quantile_with_infinities_and_nans(torch):  # fixed: lower/higher gave inf - inf = nan
    inf, nan = float("inf"), float("nan")
    x = torch.tensor([[1.0, inf, 2.0, 3.0], [-inf, 0.0, 1.0, inf], [nan, 1.0, 2.0, 3.0]],
                     requires_grad=True)  # fmt: skip
    outs = [torch.quantile(x, 0.5, dim=1, interpolation=m) for m in ("lower", "higher", "nearest", "midpoint")]  # fmt: skip
    outs += [
        torch.nanquantile(x, torch.tensor([0.25, 0.9]), dim=1),
        torch.quantile(x[:2], 0.4, dim=1),
    ]
    outs[0].nan_to_num(0.0, 0.0, 0.0).sum().backward()
    return outs, x.grad


@program(tol={"rtol": 0, "atol": 0})  # exact
def histogram_edges_are_float32_linspace(torch):  # fixed: numpy's float64 edges and binning
    x = (torch.arange(5000.0) * 7919 % 1000 / 1000 * 3.3 - 1.1).float()
    dd = torch.histogramdd(x.reshape(-1, 2), [4, 5])
    return (torch.histogram(x, 33), torch.histogram(x, 10, range=(-1.0, 2.0)),
            torch.histogram(x.double(), 7), dd.hist, list(dd.bin_edges))  # fmt: skip


@program(tol={"rtol": 0, "atol": 0})  # exact
def bincount_float32_weights_summed_in_float32(torch):  # fixed: summed in double, then rounded
    x = torch.arange(60000) * 7919 % 5
    w = ((torch.arange(60000, dtype=torch.float64) * 0.7548776662) % 1).float() * 3
    return torch.bincount(x, w), torch.bincount(x, w.double(), minlength=7), x.bincount(w.half())


@program
def max_min_of_all_with_nan_gradient(torch):  # fixed: NaN gradients everywhere
    nan = float("nan")
    x = torch.tensor([[1.0, nan, 3.0], [2.0, 5.0, nan]], requires_grad=True)
    y = torch.tensor([[1.0, nan, 3.0], [2.0, 5.0, 5.0]], requires_grad=True)
    (x.max() + x.min() * 2).backward()
    (
        y.norm(float("inf"), dim=1).sum() + y.norm(-float("inf"), 1).sum() + y.amax(1).sum()
    ).backward()
    return x.grad, y.grad


@error(RuntimeError, r"linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity")  # fmt: skip
def inf_norm_of_empty(torch):  # fixed: max()'s message
    return torch.zeros(0, 2).norm(float("inf"))


@error(RuntimeError, r"linalg.vector_norm cannot compute the -inf norm on the dimension 0because this dimension is empty")  # fmt: skip
def neg_inf_norm_of_empty_dim(torch):  # fixed: IndexError with amin's message
    return torch.linalg.vector_norm(torch.zeros(0, 2), -float("inf"), dim=0)


@program
def cov_weights(torch):  # fixed: float64 aweights did not promote the result
    x = torch.tensor([[0.0, 1.0, 2.0, 4.0], [2.0, 1.0, 0.5, 0.0]])
    f = torch.tensor([1, 2, 1, 3])
    a = torch.tensor([0.5, 1.0, 2.0, 1.0], dtype=torch.float64)
    return (torch.cov(x, fweights=f), torch.cov(x, aweights=a), torch.cov(x, fweights=f, aweights=a.float()),
            torch.cov(x, correction=0, aweights=a), torch.cov(x[0], fweights=f.int()))  # fmt: skip


@error(RuntimeError, r"cov\(\): expected fweights to have integral dtype but got fweights with Float dtype")  # fmt: skip
def cov_float_fweights(torch):  # fixed: answered
    return torch.cov(torch.tensor([[0.0, 1.0, 2.0]]), fweights=torch.tensor([1.0, 2.0, 1.0]))


@error(RuntimeError, r"cov\(\): aweights cannot be negative")
def cov_negative_aweights(torch):  # fixed: nan
    return torch.cov(torch.tensor([[0.0, 1.0, 2.0]]), aweights=torch.tensor([1.0, -2.0, 1.0]))


@error(RuntimeError, r"cov\(\): expected aweights to have the same numel as there are observations in the input but got 2 != 3")  # fmt: skip
def cov_aweights_length(torch):  # fixed: a broadcasting error
    return torch.cov(torch.tensor([[0.0, 1.0, 2.0]]), aweights=torch.tensor([1.0, 2.0]))


@error(RuntimeError, r"cov\(\): weights sum to zero, can't be normalized")
def cov_zero_weights(torch):  # fixed: nan
    return torch.cov(torch.ones(2, 2), fweights=torch.zeros(2, dtype=torch.int64))
