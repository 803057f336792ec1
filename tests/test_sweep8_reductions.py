"""Session 7 compatibility sweep of reductions, sorting, searching and statistics: programs
written the way PyTorch users write them (dim tuples, keepdim, dtype=, int/bool/float16
inputs, empty and 0-d tensors, ties and NaNs, gradients), run with real PyTorch (the oracle)
and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


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


@error(RuntimeError, r"max\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
def max_of_empty(torch):
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
