"""Session 7 compatibility sweep of indexing, scatter/gather and in-place writes: short
programs written as PyTorch users write them run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py), and must agree in values, dtypes, shapes, requires_grad,
gradients and (for bad input) the exception type and PyTorch's key words. The programs marked
``# fixed`` differed before this sweep."""

from __future__ import annotations

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _ar(lib, *shape, dtype=None, grad=False):
    x = lib.arange(int(np.prod(shape)), dtype=dtype or lib.float32).reshape(shape)
    return x.requires_grad_() if grad else x


def _grad_of(x, out):
    (out * lib_like(out)).sum().backward()
    return x.grad


def lib_like(out):
    """Weights 1, 2, 3, ... shaped like ``out``: a gradient that tells positions apart."""
    w = out.detach().reshape(-1).clone()
    for i in range(w.numel()):
        w[i] = i + 1
    return w.reshape(out.shape)


# ---- advanced indexing -------------------------------------------------------------------
@program
def index_arrays_split_by_slice(torch):
    x = _ar(torch, 2, 3, 4, 5, grad=True)
    i, j = torch.tensor([0, 1]), torch.tensor([2, 3])
    out = x[i, :, j]
    return out, _grad_of(x, out)


@program
def index_arrays_adjacent(torch):
    x = _ar(torch, 2, 3, 4, 5, grad=True)
    out = x[:, [0, 2], [1, 3]]
    return out, _grad_of(x, out)


@program
def index_arrays_split_by_int(torch):
    x = _ar(torch, 3, 4, 5)
    return x[[0, 2], 1, [1, 3]], x[1, :, [0, 4]], x[:, 1, [0, 2]], x[[1], :, 2]


@program
def index_arrays_broadcast_together(torch):
    x = _ar(torch, 4, 5, 6)
    rows = torch.tensor([[0], [3]])
    cols = torch.tensor([1, 2, 4])
    return x[rows, cols], x[rows, :, cols], x[..., rows, cols]


@program
def index_bool_mask_two_dims(torch):
    x = _ar(torch, 3, 4, 2, grad=True)
    mask = (x.detach().sum(-1) % 3) == 1
    out = x[mask]
    return out, mask.nonzero(), _grad_of(x, out)


@program
def index_bool_mask_then_slice(torch):
    x = _ar(torch, 4, 3)
    m = torch.tensor([True, False, True, True])
    return x[m, 1:], x[m, 0], x[1:, torch.tensor([True, False, True])], x[:, [True, False, True]]


@program
def index_none_ellipsis_mix(torch):
    x = _ar(torch, 2, 3, 4)
    return x[None, ..., None], x[..., None, 1], x[:, None, [0, 1]], x[None, [1, 0], ..., 2]


@program
def index_negative(torch):
    x = _ar(torch, 3, 4)
    return x[-1], x[-2:, -1], x[torch.tensor([-1, -3])], x[[-1, 0], [-1, -4]]


@program
def index_zero_d_tensor_and_numpy_int(torch):
    x = _ar(torch, 3, 4)
    i = torch.tensor(2)
    return x[i], x[np.int64(1)], x[i, np.int32(3)], x[:, i], x[torch.tensor(-1)]


@program
def index_list_of_bools(torch):
    x = _ar(torch, 3, 2)
    return x[[True, False, True]], x[[False, False, False]]


@program
def index_empty_tensor(torch):
    x = _ar(torch, 3, 4, grad=True)
    out = x[torch.tensor([], dtype=torch.long)]
    out2 = x[:, torch.tensor([], dtype=torch.long)]
    (out.sum() + out2.sum()).backward()
    return out, out2, x.grad


@program
def index_int_tensor_2d(torch):
    x = _ar(torch, 5, 2, grad=True)
    idx = torch.tensor([[0, 1], [4, 4]])
    out = x[idx]
    return out, _grad_of(x, out)


@program
def index_zero_d_tensor_grad_fn(torch):
    x = _ar(torch, 3, grad=True)
    y = x[torch.tensor(1)]
    y.backward()
    return y, x.grad


@program
def index_bool_scalar(torch):
    x = _ar(torch, 2, 3)
    return x[True], x[False], x[None], x[..., True]


@program
def index_0d_tensor_bool(torch):
    x = torch.tensor(5.0)
    return x[torch.tensor(True)], x[torch.tensor(False)], x[None], x[...]


@program
def index_int32_indices(torch):
    x = _ar(torch, 4, 3)
    i = torch.tensor([3, 0], dtype=torch.int32)
    return x[i], x[i, i.long() - 1], x.index_select(0, i), x.index_select(1, i.clamp(max=2))


@program
def index_noncontiguous(torch):
    x = _ar(torch, 4, 5).t()
    return x[[1, 2]], x[:, [0, 3]], x[x > 7], x[1:, ::2][[0, 2]]


@program
def index_with_step_slice_and_array(torch):
    x = _ar(torch, 6, 5, grad=True)
    out = x[::2, [4, 0]]
    return out, _grad_of(x, out)


@program
def index_repeated_gradient(torch):
    x = _ar(torch, 4, grad=True)
    out = x[[0, 0, 3, 0]]
    return out, _grad_of(x, out)


# ---- setitem -----------------------------------------------------------------------------
@program
def setitem_broadcast_value(torch):
    x = torch.zeros(3, 4)
    x[1] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    x[:, 0] = 7
    x[[0, 2], 1:3] = torch.tensor([5.0, 6.0])
    x[x > 6] = -1.0
    return x


@program
def setitem_value_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.zeros(3, 2)
    x[1] = w * 2
    x[[0, 2], 0] = w
    (x * lib_like(x)).sum().backward()
    return x, w.grad


@program
def setitem_duplicate_indices_value(torch):
    x = torch.zeros(5)
    x[torch.tensor([1, 1, 3])] = torch.tensor([4.0, 4.0, 2.0])
    return x


@program
def setitem_on_view_changes_base(torch):
    base = torch.zeros(3, 4)
    v = base[1:, ::2]
    v[0] = 5
    v[:, 1] = torch.tensor([1.0, 2.0])
    t = base.t()
    t[0, [0, 2]] = 9
    return base, v, t


@program
def setitem_mask_version_counter(torch):
    x = torch.ones(4)
    v0 = x._version
    x[x > 0] = 0
    v1 = x._version
    x[1] = 2
    x[...] = 3
    return v0, v1, x._version, x


@program
def setitem_leaf_view_grad(torch):
    a = torch.ones(3, 3, requires_grad=True)
    b = a * 2
    b[0] = 0
    b[:, 1] = b[:, 2] * 3
    b.sum().backward()
    return b, a.grad


@program
def setitem_int_tensor_into_float(torch):
    x = torch.zeros(3)
    x[0] = torch.tensor(5)
    x[1:] = torch.tensor([1, 2], dtype=torch.int32)
    y = torch.zeros(3, dtype=torch.long)
    y[1] = 2.7
    y[2] = True
    return x, y


@program
def setitem_with_0d_tensor_index(torch):
    x = torch.zeros(3, 2)
    x[torch.tensor(1)] = 4
    x[torch.tensor(0), torch.tensor(1)] = torch.tensor(3.0)
    return x


@program
def setitem_other_dtype_value(torch):  # fixed: a one-element value through one mask is cast
    x = torch.zeros(4)
    x[0] = torch.tensor(1.5, dtype=torch.float64)
    x[1:2] = torch.tensor([2.5], dtype=torch.float64)
    x[torch.tensor([False, False, True, False])] = torch.tensor(7, dtype=torch.int64)
    x[x < 0.5] = torch.tensor([True])
    y = torch.zeros(2, 3, dtype=torch.long)
    y[0, torch.tensor([True, False, True])] = torch.tensor(2.7)
    return x, y, y.index_put((y > 1,), torch.tensor(-1.0))


@error(
    RuntimeError,
    r"Index put requires the source and destination dtypes match, got Float for the destination and Double for the source",
)  # noqa: E501
def setitem_list_index_other_dtype(torch):  # fixed: numpy cast silently
    x = torch.zeros(3)
    x[[1]] = torch.tensor([2.5], dtype=torch.float64)


@error(
    RuntimeError,
    r"Index put requires the source and destination dtypes match, got Float for the destination and Long for the source",
)  # noqa: E501
def setitem_mask_several_values_other_dtype(torch):  # fixed
    x = torch.zeros(3)
    x[x == 0] = torch.tensor([1, 2, 3])


@error(
    RuntimeError,
    r"Index put requires the source and destination dtypes match, got Float for the destination and Double for the source",
)  # noqa: E501
def index_put_accumulate_other_dtype(torch):
    x = torch.zeros(3)
    return x.index_put_((x == 0,), torch.tensor(1.0, dtype=torch.float64), accumulate=True)


@program
def setitem_empty_index(torch):
    x = torch.zeros(3)
    x[torch.tensor([], dtype=torch.long)] = 1.0
    x[torch.zeros(3, dtype=torch.bool)] = torch.tensor(2.0)
    return x, x._version


@program
def setitem_bool_mask_with_tensor_values(torch):
    x = _ar(torch, 2, 3)
    m = x > 2
    x[m] = torch.tensor([10.0, 20.0, 30.0])
    return x


@program
def setitem_split_arrays(torch):
    x = torch.zeros(2, 3, 4)
    x[[0, 1], :, [1, 2]] = torch.arange(6.0).reshape(2, 3)
    return x


@error(
    RuntimeError,
    r"shape mismatch: value tensor of shape \[2\] cannot be broadcast to indexing result of shape \[3\]",
)  # noqa: E501
def setitem_shape_mismatch(torch):
    x = torch.zeros(3, 3)
    x[[0, 1, 2], 0] = torch.tensor([1.0, 2.0])


@error(IndexError, r"index 5 is out of bounds for dimension 0 with size 3")
def index_out_of_bounds_int(torch):
    return torch.zeros(3)[5]


@error(IndexError, r"index 5 is out of bounds for dimension 0 with size 3")
def index_out_of_bounds_tensor(torch):
    return torch.zeros(3)[torch.tensor([0, 5])]


@error(IndexError, r"tensors used as indices must be long, int, byte or bool tensors")
def index_float_tensor(torch):
    return torch.zeros(3)[torch.tensor([0.0, 1.0])]


@error(IndexError, r"too many indices for tensor of dimension 2")
def index_too_many(torch):
    return torch.zeros(2, 2)[0, 0, 0]


@error(
    IndexError,
    r"The shape of the mask \[3\] at index 0 does not match the shape of the indexed tensor \[4\] at index 0",
)  # noqa: E501
def index_mask_wrong_shape(torch):
    return torch.zeros(4)[torch.tensor([True, False, True])]


@error(
    IndexError,
    r"shape mismatch: indexing tensors could not be broadcast together with shapes \[2\], \[3\]",
)  # noqa: E501
def index_arrays_do_not_broadcast(torch):
    return torch.zeros(4, 4)[torch.tensor([0, 1]), torch.tensor([0, 1, 2])]


# ---- gather / scatter ----------------------------------------------------------------------
@program
def gather_duplicates_grad(torch):
    x = _ar(torch, 3, 4, grad=True)
    idx = torch.tensor([[0, 0, 1], [3, 3, 3], [2, 1, 0]])
    out = x.gather(1, idx)
    return out, _grad_of(x, out)


@program
def gather_negative_dim_smaller_index(torch):
    x = _ar(torch, 3, 4, dtype=torch.float64, grad=True)
    idx = torch.tensor([[2], [0]])
    out = torch.gather(x, -2, idx)
    return out, _grad_of(x, out)


@program
def scatter_value_and_reduce(torch):
    x = torch.ones(3, 4)
    idx = torch.tensor([[0, 1, 2, 0]])
    return (
        x.scatter(0, idx, 5.0),
        x.scatter(0, idx, torch.full((1, 4), 2.0), reduce="add"),
        x.scatter(0, idx, torch.full((1, 4), 3.0), reduce="multiply"),
        x.scatter(1, torch.tensor([[3], [0]]), 2.5, reduce="add"),
        torch.zeros(2, 3).scatter_(1, torch.tensor([[1], [2]]), torch.tensor([[4.0], [5.0]])),
    )


@program
def scatter_src_grad(torch):
    x = torch.zeros(2, 5, requires_grad=True)
    src = _ar(torch, 2, 3, grad=True)
    idx = torch.tensor([[0, 2, 4], [1, 3, 0]])
    out = x.scatter(1, idx, src)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, src.grad


@program
def scatter_add_grad_and_int(torch):
    x = torch.zeros(3, requires_grad=True)
    src = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    idx = torch.tensor([0, 2, 0, 1])
    out = x.scatter_add(0, idx, src)
    (out * lib_like(out)).sum().backward()
    ints = torch.zeros(3, dtype=torch.long).scatter_add_(0, idx, torch.tensor([5, 6, 7, 8]))
    return out, x.grad, src.grad, ints


@program
def scatter_reduce_every_reduce(torch):
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    src = torch.tensor([5.0, -1.0, 2.0, 8.0, 0.5, 6.0])
    idx = torch.tensor([0, 1, 0, 1, 2, 1])
    out = []
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            out.append(x.scatter_reduce(0, idx, src, reduce, include_self=include_self))
    return out


@program
def scatter_reduce_int_mean(torch):
    x = torch.tensor([1, 2, 3, 4])
    src = torch.tensor([5, -1, 2, 8, 7, 6])
    idx = torch.tensor([0, 1, 0, 1, 2, 1])
    return [
        x.scatter_reduce(0, idx, src, r, include_self=s)
        for r in ("sum", "prod", "mean", "amax", "amin")
        for s in (True, False)
    ]


@program
def scatter_reduce_grads(torch):
    out = []
    for reduce in ("sum", "mean", "amax", "amin", "prod"):
        for include_self in (True, False):
            x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
            src = torch.tensor([5.0, -1.0, 3.0, 8.0, 0.5, 6.0], requires_grad=True)
            idx = torch.tensor([0, 1, 0, 1, 2, 1])
            y = x.scatter_reduce(0, idx, src, reduce, include_self=include_self)
            (y * lib_like(y)).sum().backward()
            out += [y, x.grad, src.grad]
    return out


@program
def scatter_reduce_2d_amax(torch):
    x = torch.full((2, 4), -1.0)
    src = _ar(torch, 2, 3)
    idx = torch.tensor([[0, 0, 3], [1, 2, 1]])
    return x.scatter_reduce(1, idx, src, "amax"), x.scatter_reduce_(
        1, idx, src, "amin", include_self=False
    )  # noqa: E501


# ---- index_* ops -----------------------------------------------------------------------------
@program
def index_add_alpha_negative_dim(torch):
    x = torch.ones(3, 4, requires_grad=True)
    src = _ar(torch, 3, 2, grad=True)
    out = x.index_add(-1, torch.tensor([3, 0]), src, alpha=2.5)
    (out * lib_like(out)).sum().backward()
    ints = torch.zeros(2, 3, dtype=torch.int64).index_add_(
        0, torch.tensor([1, 1]), torch.ones(2, 3, dtype=torch.int64), alpha=3
    )  # noqa: E501
    return out, x.grad, src.grad, ints


@program
def index_add_duplicates(torch):
    x = torch.zeros(4)
    return x.index_add_(0, torch.tensor([1, 1, 1, 3]), torch.tensor([1.0, 2.0, 3.0, 4.0]))


@program
def index_copy_grad(torch):
    x = _ar(torch, 4, 2, grad=True)
    src = torch.full((2, 2), -1.0, requires_grad=True)
    out = x.index_copy(0, torch.tensor([3, 1]), src)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, src.grad


@program
def index_copy_inplace_negative_dim(torch):
    x = torch.zeros(2, 3)
    return x.index_copy_(-1, torch.tensor([2, 0]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))


@program
def index_fill_variants(torch):
    x = _ar(torch, 3, 4)
    return (
        x.index_fill(1, torch.tensor([0, 2]), -1.0),
        x.index_fill(-2, torch.tensor([1]), torch.tensor(7.0)),
        x.clone().index_fill_(0, torch.tensor([-1]), 0),
        torch.zeros(3, dtype=torch.int32).index_fill(0, torch.tensor([1]), 3),
    )


@program
def index_fill_grad(torch):
    x = _ar(torch, 3, 4, grad=True)
    v = torch.tensor(2.0, requires_grad=True)
    out = x.index_fill(1, torch.tensor([0, 2]), v)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, v.grad


@program
def index_put_accumulate(torch):
    x = torch.zeros(3, 3)
    i, j = torch.tensor([0, 0, 2]), torch.tensor([1, 1, 2])
    a = x.index_put((i, j), torch.tensor([1.0, 2.0, 3.0]), accumulate=True)
    b = x.index_put((i, j), torch.tensor(4.0))
    c = x.clone().index_put_((torch.tensor([1]),), torch.tensor([9.0, 8.0, 7.0]))
    d = x.index_put((x > -1,), torch.arange(9.0))
    return a, b, c, d


@program
def index_put_accumulate_grad(torch):
    x = torch.ones(4, requires_grad=True)
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = x.index_put((torch.tensor([1, 1, 3]),), v, accumulate=True)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, v.grad


@program
def index_select_variants(torch):
    x = _ar(torch, 3, 4, grad=True)
    out = torch.index_select(x, -1, torch.tensor([3, 3, 0]))
    (out * lib_like(out)).sum().backward()
    s = torch.tensor(7.0).index_select(0, torch.tensor([0]))  # fixed: 0-d inputs failed
    return out, x.grad, s, x.index_select(0, torch.tensor(1))


@error(RuntimeError, r"index_select\(\): Index to scalar can have only 1 value, got 2 value\(s\)")
def index_select_scalar_two_indices(torch):  # fixed
    return torch.tensor(7.0).index_select(0, torch.tensor([0, 0]))


# ---- masked ops --------------------------------------------------------------------------
@program
def masked_fill_tensor_value(torch):
    x = _ar(torch, 2, 3, grad=True)
    v = torch.tensor(-5.0, requires_grad=True)
    m = torch.tensor([True, False, True])
    out = x.masked_fill(m, v)
    (out * lib_like(out)).sum().backward()
    ints = torch.arange(4).masked_fill(torch.tensor([True, False, False, True]), torch.tensor(9))
    return out, x.grad, v.grad, ints


@program
def masked_fill_broadcast_mask_bigger_inplace(torch):
    x = torch.zeros(3)
    m = torch.tensor([[True, False, False], [False, False, True]])
    return x.masked_fill(m, 1.0), x.masked_fill_(m[0], 2.0)


@program
def masked_fill_attention(torch):
    scores = _ar(torch, 2, 3, 3) / 10
    causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
    return scores.masked_fill(causal, float("-inf")).softmax(-1)


@program
def masked_scatter_grad(torch):
    x = torch.zeros(2, 3, requires_grad=True)
    src = _ar(torch, 2, 4, grad=True)
    m = torch.tensor([[True, False, True], [False, True, True]])
    out = x.masked_scatter(m, src)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, src.grad


@program
def masked_scatter_broadcast_mask(torch):
    x = torch.zeros(2, 3)
    return x.masked_scatter(torch.tensor([True, False, True]), torch.arange(10.0))


@program
def masked_select_grad_broadcast(torch):
    x = _ar(torch, 3, grad=True)
    m = torch.tensor([[True, False, True], [False, True, True]])
    out = torch.masked_select(x, m)
    (out * lib_like(out)).sum().backward()
    return out, x.grad


@error(RuntimeError, r"expected BoolTensor for mask")
def masked_select_byte_mask(torch):
    return torch.zeros(3).masked_select(torch.tensor([1, 0, 1], dtype=torch.uint8))


@error(
    RuntimeError,
    r"The size of tensor a \(4\) must match the size of tensor b \(3\) at non-singleton dimension 0",
)  # noqa: E501
def masked_fill_mask_wrong_shape(torch):  # fixed: the sizes were named the other way round
    return torch.zeros(3).masked_fill(torch.zeros(4, dtype=torch.bool), 1.0)


@error(RuntimeError, r"Number of elements of source < number of ones in mask")
def masked_scatter_source_too_small(torch):
    return torch.zeros(3).masked_scatter(torch.ones(3, dtype=torch.bool), torch.zeros(2))


# ---- take / put / take_along_dim -----------------------------------------------------------
@program
def take_negative_and_grad(torch):
    x = _ar(torch, 2, 3, grad=True)
    out = torch.take(x, torch.tensor([[0, -1], [5, 0]]))
    (out * lib_like(out)).sum().backward()
    return out, x.grad


@program
def put_accumulate(torch):
    x = torch.zeros(2, 3)
    idx = torch.tensor([0, -1, 0])
    src = torch.tensor([1.0, 2.0, 3.0])
    return x.put(idx, src, accumulate=True), x.clone().put_(
        torch.tensor([4, 1]), torch.tensor([9.0, 8.0])
    )  # noqa: E501


@program
def put_grad(torch):
    x = torch.ones(2, 2, requires_grad=True)
    src = torch.tensor([5.0, 6.0], requires_grad=True)
    out = x.put(torch.tensor([3, 0]), src)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, src.grad


@program
def take_along_dim_argsort(torch):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]], requires_grad=True)
    idx = x.argsort(dim=1)
    out = torch.take_along_dim(x, idx, dim=1)
    flat = torch.take_along_dim(x, torch.tensor([5, 0]))
    bc = torch.take_along_dim(x, torch.tensor([[0], [2]]), dim=-1)
    (out * lib_like(out)).sum().backward()
    return out, flat, bc, x.grad


@error(IndexError, r"out of range: tried to access index 4 on a tensor of 4 elements")
def take_out_of_range(torch):  # fixed: the message
    return torch.zeros(2, 2).take(torch.tensor([4]))


# ---- nonzero / argwhere / where ------------------------------------------------------------
@program
def nonzero_as_tuple_and_argwhere(torch):
    x = torch.tensor([[0, 1, 0], [2, 0, 3]])
    return (
        x.nonzero(),
        torch.nonzero(x, as_tuple=True),
        torch.argwhere(x),
        torch.where(x > 0),
        torch.tensor(3).nonzero(),
        torch.tensor(0.0).nonzero(as_tuple=True),
        torch.zeros(0, 2).nonzero(),
    )


@program
def where_single_arg_bool(torch):  # fixed: a 0-d condition raised numpy's ValueError
    m = torch.tensor([[True, False], [True, True]])
    rows, cols = torch.where(m)
    return rows, cols, torch.where(torch.tensor(1.5)), torch.where(torch.zeros(3))


# ---- *_scatter ---------------------------------------------------------------------------
@program
def select_slice_diagonal_scatter(torch):
    a = torch.zeros(3, 4)
    return (
        torch.select_scatter(a, torch.ones(4), 0, -1),
        torch.slice_scatter(a, torch.ones(3, 2), dim=1, start=0, step=2),
        torch.slice_scatter(a, torch.ones(1, 4), start=2),
        torch.diagonal_scatter(a, torch.ones(3), 1),
        torch.diagonal_scatter(a, torch.ones(2), -1),
        a.select_scatter(torch.ones(3), 1, 0),
    )


@program
def scatter_family_grads(torch):
    a = torch.zeros(3, 3, requires_grad=True)
    s = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    outs = (
        torch.select_scatter(a, s, 1, 1),
        torch.diagonal_scatter(a, s),
        torch.slice_scatter(a, s[None], 0, 1, 2),
    )
    total = sum((o * lib_like(o)).sum() for o in outs)
    total.backward()
    return outs, a.grad, s.grad


@error(RuntimeError, r"expected src to have a size equal to the slice of self")
def select_scatter_wrong_shape(torch):
    return torch.select_scatter(torch.zeros(3, 4), torch.ones(3), 0, 0)


# ---- errors ------------------------------------------------------------------------------
@error(RuntimeError, r"index 5 is out of bounds for dimension 0 with size 3")
def gather_out_of_bounds(torch):
    return torch.zeros(3).gather(0, torch.tensor([5]))


@program
def int32_indices_where_pytorch_takes_them(torch):  # fixed: gather/scatter/index_add/
    x = _ar(torch, 2, 3, grad=True)  # index_select take int32, the others int64 only
    i = torch.tensor([[0, 2], [1, 1]], dtype=torch.int32)
    outs = (
        x.gather(1, i),
        x.scatter(1, i, -1.0),
        x.scatter_add(1, i, x[:, :2]),
        x.scatter_reduce(1, i, x[:, :2], "amax"),
        x.index_add(1, i[0], x[:, :2]),
        x.index_select(1, i[1]),
    )
    sum((o * lib_like(o)).sum() for o in outs).backward()
    return outs, x.grad


@error(RuntimeError, r"gather\(\): Expected dtype int32/int64 for index")
def gather_int16_index(torch):  # fixed: every integer dtype was taken
    return torch.zeros(3).gather(0, torch.tensor([1], dtype=torch.int16))


@error(RuntimeError, r"scatter\(\): Expected dtype int32/int64 for index")
def scatter_add_uint8_index(torch):  # fixed
    return torch.zeros(3).scatter_add(0, torch.tensor([1], dtype=torch.uint8), torch.ones(1))


@error(RuntimeError, r"scatter\(\): Expected dtype int32/int64 for index")
def scatter_reduce_float_index(torch):
    return torch.zeros(3).scatter_reduce(0, torch.tensor([1.0]), torch.ones(1), "sum")


@error(RuntimeError, r"index_add_\(\): Expected dtype int32/int64 for index but got: Short")
def index_add_int16_index(torch):  # fixed
    return torch.zeros(3).index_add(0, torch.tensor([1], dtype=torch.int16), torch.ones(1))


@error(RuntimeError, r"index_select\(\): Expected dtype int32 or int64 for index")
def index_select_float_index(torch):
    return torch.zeros(3).index_select(0, torch.tensor([1.0]))


@error(RuntimeError, r"index_copy_\(\): Expected a long tensor for index, but got Int")
def index_copy_int32_index(torch):  # fixed: int32 was taken
    return torch.zeros(3).index_copy(0, torch.tensor([1], dtype=torch.int32), torch.ones(1))


@error(IndexError, r"index_fill_\(\): Expected dtype int64 for index")
def index_fill_int32_index(torch):  # fixed
    return torch.zeros(3).index_fill(0, torch.tensor([1], dtype=torch.int32), 2.0)


@error(RuntimeError, r"take\(\): Expected a long tensor for index, but got Int")
def take_int32_index(torch):  # fixed
    return torch.zeros(3).take(torch.tensor([1], dtype=torch.int32))


@error(RuntimeError, r"put_\(\): Expected a long tensor for index, but got Short")
def put_int16_index(torch):  # fixed: IndexError of getitem's words
    return torch.zeros(3).put_(torch.tensor([1], dtype=torch.int16), torch.ones(1))


@error(RuntimeError, r"torch.take_along_dim\(\): dtype of indices should be Long but got Int")
def take_along_dim_int32_indices(torch):  # fixed
    x = torch.zeros(2, 3)
    return torch.take_along_dim(x, torch.tensor([[0], [1]], dtype=torch.int32), dim=1)


@error(RuntimeError, r"Index tensor must have the same number of dimensions as input tensor")
def gather_wrong_ndim(torch):
    return torch.zeros(3, 3).gather(0, torch.tensor([1]))


@error(RuntimeError, r"scatter\(\): Expected self.dtype to be equal to src.dtype")
def scatter_dtype_mismatch(torch):
    return torch.zeros(3).scatter(0, torch.tensor([1]), torch.ones(1, dtype=torch.float64))


@error(IndexError, r"index out of range in self")
def index_select_out_of_range(torch):
    return torch.zeros(3).index_select(0, torch.tensor([3]))


@error(IndexError, r"index_select\(\): Index is supposed to be a vector")
def index_select_2d_index(torch):
    return torch.zeros(3).index_select(0, torch.tensor([[0]]))


@error(RuntimeError, r"masked_fill_ only supports boolean masks, but got mask with dtype")
def masked_fill_long_mask(torch):
    return torch.zeros(3).masked_fill(torch.tensor([1, 0, 1]), 1.0)


@error(RuntimeError, r"Index put requires the source and destination dtypes match")
def index_put_dtype_mismatch(torch):
    return torch.zeros(3).index_put_((torch.tensor([0]),), torch.tensor([1], dtype=torch.long))


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def setitem_leaf_requires_grad(torch):
    x = torch.zeros(3, requires_grad=True)
    x[0] = 1.0


# ---- shape checks of the index_* and scatter ops ---------------------------------------------
@error(
    RuntimeError,
    r"index_add_\(\): Number of indices \(1\) should be equal to source.size\(dim\): \(2\), for dim: 0",
)  # noqa: E501
def index_add_too_few_indices(torch):  # fixed: numpy broadcast the source row silently
    return torch.zeros(3, 2).index_add(0, torch.tensor([0]), torch.ones(2))


@error(
    RuntimeError,
    r"source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = \[3, 2\] source.shape = \[1, 3\]",
)  # noqa: E501
def index_add_wrong_slice_shape(torch):  # fixed: numpy's ValueError
    return torch.zeros(3, 2).index_add(0, torch.tensor([0]), torch.ones(1, 3))


@error(IndexError, r"index_add_\(\): Index is supposed to be a vector")
def index_add_2d_index(torch):  # fixed: a 2-D index was taken
    return torch.zeros(3).index_add(0, torch.tensor([[0]]), torch.ones(1, 1))


@error(IndexError, r"index out of range in self")
def index_add_negative_index(torch):  # fixed: -1 wrapped to the last row
    return torch.zeros(3).index_add(0, torch.tensor([-1]), torch.ones(1))


@error(
    IndexError,
    r"index_copy_\(\): Number of indices \(1\) should be equal to source.size\(dim\) \(2\)",
)  # noqa: E501
def index_copy_too_few_indices(torch):  # fixed: a RuntimeError of other words
    return torch.zeros(3).index_copy(0, torch.tensor([0]), torch.ones(2))


@error(RuntimeError, r"index_copy_\(\): Source/destination tensor must have same slice shapes")
def index_copy_wrong_slice_shape(torch):  # fixed
    return torch.zeros(3, 2, 4).index_copy(1, torch.tensor([0]), torch.ones(2, 1, 3))


@error(
    IndexError,
    r"index_copy_\(\): When source and destination are not scalars, their dimensionality must match",
)  # noqa: E501
def index_copy_wrong_ndim(torch):  # fixed
    return torch.zeros(3, 2).index_copy(0, torch.tensor([0, 1]), torch.ones(2))


@error(RuntimeError, r"Index has to be a vector/scalar")
def index_fill_2d_index(torch):  # fixed: an IndexError
    return torch.zeros(3, 2).index_fill(0, torch.tensor([[0]]), 1.0)


@program
def index_ops_on_scalars_and_scalar_indices(torch):  # fixed: 0-d inputs/indices failed
    s = torch.tensor(3.0, requires_grad=True)
    v = torch.tensor([2.0], requires_grad=True)
    outs = (
        s.index_fill(0, torch.tensor([-1]), 1.0),
        s.index_add(0, torch.tensor([0]), torch.tensor(5.0)),
        s.index_copy(0, torch.tensor([0]), v),
        s.gather(0, torch.tensor([0, 0])),
        torch.zeros(3).index_copy(0, torch.tensor(2), s),
        torch.zeros(3, 2).index_add(0, torch.tensor(1), v.expand(1, 2)),
        torch.zeros(3, 2).index_fill(0, torch.tensor(2), 4.0),
        torch.arange(3.0).gather(0, torch.tensor(1)),
    )
    sum((o * lib_like(o)).sum() for o in outs).backward()
    return outs, s.grad, v.grad


@program
def index_ops_empty_index(torch):
    x = _ar(torch, 3, 2)
    e = torch.tensor([], dtype=torch.long)
    return (
        x.index_select(0, e),
        x.index_add(0, e, torch.zeros(0, 2)),
        x.index_copy(0, e, torch.zeros(0, 2)),
        x.index_fill(0, e, 2.0),
        x.gather(0, torch.zeros(0, 2, dtype=torch.long)),
        x.scatter(0, torch.zeros(0, dtype=torch.long), 1.0),
        x.scatter_add(0, torch.zeros(0, dtype=torch.long), torch.zeros(0)),
        x.take(e),
        x.put(e, torch.zeros(0)),
    )


@error(
    RuntimeError,
    r"Expected index \[1, 4\] to be no larger than self \[3, 3\] apart from dimension 0 and to be no larger size than src \[1, 4\]",
)  # noqa: E501
def scatter_add_index_too_wide(torch):  # fixed: numpy's IndexError
    return torch.zeros(3, 3).scatter_add(0, torch.tensor([[1, 1, 1, 1]]), torch.ones(1, 4))


@error(
    RuntimeError,
    r"Expected index \[1, 3\] to be no larger than self \[3, 3\] apart from dimension 0 and to be no larger size than src \[1, 2\]",
)  # noqa: E501
def scatter_reduce_index_larger_than_src(torch):  # fixed: numpy's error
    return torch.zeros(3, 3).scatter_reduce(0, torch.tensor([[1, 1, 1]]), torch.ones(1, 2), "sum")


@error(
    RuntimeError,
    r"Expected index \[1, 4\] to be no larger than self \[2, 3\] apart from dimension 0",
)  # noqa: E501
def scatter_value_index_too_wide(torch):  # fixed: the words
    return torch.zeros(2, 3).scatter(0, torch.tensor([[0, 1, 0, 1]]), 1.0)


@error(RuntimeError, r"Index tensor must have the same number of dimensions as self tensor")
def scatter_reduce_index_wrong_ndim(torch):  # fixed: numpy's IndexError
    return torch.zeros(3).scatter_reduce(0, torch.tensor([[1]]), torch.ones(1, 1), "sum")


@error(RuntimeError, r"scatter\(\): Expected self.dtype to be equal to src.dtype")
def scatter_reduce_dtype_mismatch(torch):
    x = torch.zeros(3)
    return x.scatter_reduce(0, torch.tensor([1]), torch.ones(1, dtype=torch.float64), "sum")


@program
def scatter_reduce_max_min_names(torch):  # fixed: PyTorch takes 'max'/'min' for amax/amin
    x = torch.tensor([1.0, 2.0, 3.0])
    src = torch.tensor([5.0, -1.0, 0.5])
    idx = torch.tensor([0, 1, 1])
    return x.scatter_reduce(0, idx, src, "max"), x.scatter_reduce(
        0, idx, src, "min", include_self=False
    )  # noqa: E501


@error(IndexError, r"take\(\): tried to take from an empty tensor")
def take_from_empty(torch):  # fixed
    return torch.zeros(0).take(torch.tensor([0]))


@error(IndexError, r"put_\(\): Tried to put elements into an empty tensor")
def put_into_empty(torch):  # fixed
    return torch.zeros(0).put_(torch.tensor([0]), torch.ones(1))


@error(IndexError, r"out of range: tried to access index -5 on a tensor of 4 elements")
def put_negative_out_of_range(torch):  # fixed: the message
    return torch.zeros(2, 2).put_(torch.tensor([-5]), torch.ones(1))


@error(
    RuntimeError,
    r"put_\(\): self and source expected to have the same dtype, but got self.dtype = Float and source.dtype = Double",
)  # noqa: E501
def put_dtype_mismatch(torch):  # fixed: dtype names
    return torch.zeros(3).put_(torch.tensor([0]), torch.ones(1, dtype=torch.float64))


@error(
    RuntimeError,
    r"The size of tensor a \(4\) must match the size of tensor b \(3\) at non-singleton dimension 0",
)  # noqa: E501
def masked_scatter_mask_wrong_shape(torch):  # fixed: numpy's ValueError
    return torch.zeros(3).masked_scatter(torch.ones(4, dtype=torch.bool), torch.zeros(4))


@error(
    RuntimeError,
    r"The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0",
)  # noqa: E501
def masked_fill_inplace_mask_wrong_shape(torch):  # in place PyTorch names self first
    return torch.zeros(3).masked_fill_(torch.zeros(4, dtype=torch.bool), 1.0)


@error(
    IndexError,
    r"The shape of the mask \[2, 2\] at index 1 does not match the shape of the indexed tensor \[2, 3\] at index 1",
)  # noqa: E501
def index_2d_mask_wrong_shape(torch):  # fixed: numpy's words
    return torch.zeros(2, 3)[torch.ones(2, 2, dtype=torch.bool)]


@error(
    IndexError,
    r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[3\] at index 0",
)  # noqa: E501
def index_int_then_mask_wrong_shape(torch):  # fixed: PyTorch counts dims after the int
    return torch.zeros(2, 3)[0, torch.ones(2, dtype=torch.bool)]


@error(
    IndexError,
    r"The shape of the mask \[3\] at index 0 does not match the shape of the indexed tensor \[2, 4\] at index 1",
)  # noqa: E501
def setitem_sliced_then_mask_wrong_shape(torch):  # fixed
    x = torch.zeros(3, 4)
    x[1:, torch.ones(3, dtype=torch.bool)] = 1.0


# ---- index forms users write -------------------------------------------------------------
@program
def index_numpy_arrays_ranges_and_tensor_bounds(torch):
    x = _ar(torch, 4, 3)
    return (
        x[np.array([0, 2])],
        x[np.array([True, False, True, False])],
        x[range(1, 3)],
        x[torch.tensor(1) :],
        x[: torch.tensor(2), torch.tensor(-1)],
        x[np.int64(-1), 1:],
        x[(0, 1)],
        x[[0, 1]],
    )


@program
def index_nested_lists(torch):
    x = _ar(torch, 3, 3)
    return x[[[0, 1], [1, 0]]], x[[[0], [2]], [1, 2]], x[([0, 2], [1, 1])]


@program
def index_none_before_and_between_arrays(torch):
    x = _ar(torch, 3, 4, 5)
    i = torch.tensor([0, 2])
    return x[:, None, i], x[i, None], x[None, i, :, i], x[i, ..., i], x[i, :, None, i]


@program
def index_int_and_arrays_apart(torch):
    x = _ar(torch, 2, 3, 4, 5, grad=True)
    out = x[0, [0, 1], :, [1, 0]]
    out2 = x[[1, 0], 1, :, 2]
    total = (out * lib_like(out)).sum() + (out2 * lib_like(out2)).sum()
    total.backward()
    return out, out2, x.grad


@program
def index_mask_with_int_array(torch):
    x = _ar(torch, 3, 4)
    m = torch.tensor([True, False, True])
    return (
        x[m, torch.tensor([0, 3])],
        x[m, 1:3],
        x[[2, 0], torch.tensor([True, False, False, True])],
    )


@program
def index_cross_entropy_pattern(torch):
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    labels = torch.tensor([1, 2, 0])
    logp = logits.log_softmax(-1)
    loss = -logp[torch.arange(3), labels].mean()
    loss.backward()
    return loss, logits.grad


@program
def index_result_is_copy_or_view(torch):
    x = _ar(torch, 3, 3)
    a, b = x[[0, 1]], x[0:2]
    a[0, 0], b[1, 1] = 100.0, 200.0
    return x, a, b, x[0]._version


@program
def index_mask_from_self_grad(torch):
    x = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    y = x[x > 0] ** 2
    y.sum().backward()
    return y, x.grad


# ---- setitem forms -------------------------------------------------------------------------
@program
def setitem_value_with_leading_ones(torch):  # fixed: numpy's TypeError for the mask
    x = torch.zeros(3, 3)
    x[0] = torch.ones(1, 3)
    x[[1, 2]] = torch.full((1, 2, 3), 2.0)
    x[x > 1.5] = torch.tensor([[5.0]])
    return x


@program
def setitem_python_and_numpy_scalars(torch):
    x = torch.zeros(2, 3)
    x[0] = np.float64(2.5)
    x[1, :2] = np.int64(4)
    x[1, 2] = True
    y = torch.zeros(3, dtype=torch.int64)
    y[:] = torch.tensor([1.7, -2.7, 3.2])
    y[0] = 9.9
    return x, y


@error(TypeError, r"can't assign a list to a torch.FloatTensor")
def setitem_list_value(torch):  # fixed: numpy took the list
    x = torch.zeros(2, 3)
    x[0] = [1.0, 2.0, 3.0]


@error(TypeError, r"can't assign a numpy.ndarray to a torch.LongTensor")
def setitem_numpy_array_value(torch):  # fixed
    x = torch.zeros(2, 3, dtype=torch.long)
    x[[1], :2] = np.array([4, 5])


@error(TypeError, r"can't assign a numpy.float32 to a torch.DoubleTensor")
def setitem_numpy_float32_value(torch):  # fixed: only numpy's float64 (a float) and ints go
    x = torch.zeros(2, dtype=torch.float64)
    x[0] = np.float32(1.5)


@error(TypeError, r"can't assign a NoneType to a torch.FloatTensor")
def setitem_none_value(torch):  # fixed
    x = torch.zeros(2)
    x[0] = None


@program
def setitem_advanced_index_on_view(torch):
    base = torch.zeros(4, 4)
    v = base[1:3]
    v[[0, 1], [1, 2]] = torch.tensor([7.0, 8.0])
    v[v == 0] = 1.0
    t = base.t()
    t[[0, 3]] = -1.0
    return base, v._version, base._version


@program
def setitem_augmented_with_duplicates(torch):
    x = torch.zeros(4)
    idx = torch.tensor([0, 0, 2])
    x[idx] += 1
    y = torch.ones(2, 3)
    y[y > 0] *= 3
    y[:, 1] -= torch.tensor([1.0, 2.0])
    return x, y


@program
def setitem_grad_through_duplicates(torch):
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = torch.zeros(4)
    x[torch.tensor([1, 1, 3])] = w
    (x * lib_like(x)).sum().backward()
    return x, w.grad


@program
def setitem_grad_masked_and_base(torch):
    a = torch.tensor([[1.0, -2.0], [3.0, -4.0]], requires_grad=True)
    b = a.clone()
    b[b < 0] = 0.0
    c = a * 1
    c[:, 0] = c[:, 1].detach() ** 2 + c[1]
    (b.sum() + (c * lib_like(c)).sum()).backward()
    return b, c, a.grad


@error(
    RuntimeError,
    r"one of the variables needed for gradient computation has been modified by an inplace operation",
)  # noqa: E501
def setitem_from_own_view_saved(torch):
    a = torch.tensor([[1.0, -2.0], [3.0, -4.0]], requires_grad=True)
    c = a * 1
    c[:, 0] = c[:, 1] ** 2  # pow saved the view c[:, 1]; the write bumps its version
    c.sum().backward()


@program
def setitem_no_grad_on_leaf(torch):
    w = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        w[0] = 5.0
        w[w > 2] *= 2
    return w, w.requires_grad, w.grad_fn is None, w._version


@program
def setitem_overlapping_slices(torch):
    x = torch.arange(5.0)
    x[1:3] = x[0:2].clone()
    y = torch.arange(5.0)
    y[[1, 2]] = y[[0, 1]]
    return x, y


@program
def setitem_ellipsis_none(torch):
    x = torch.zeros(2, 3)
    x[None, 0] = 1.0
    x[..., None, 2] = torch.tensor([[4.0], [5.0]])
    x[...] += 1
    return x


@program
def setitem_bool_scalar_index(torch):
    x = torch.zeros(2)
    x[True] = 3.0
    y = torch.tensor(1.0)
    y[...] = 4.0
    y[None] = 5.0
    return x, y


# ---- scatter forms ---------------------------------------------------------------------------
@program
def scatter_one_hot(torch):
    labels = torch.tensor([2, 0, 1, 2])
    one_hot = torch.zeros(4, 3).scatter_(1, labels.unsqueeze(1), 1)
    ints = torch.zeros(4, 3, dtype=torch.long).scatter_(1, labels[:, None], 1)
    return one_hot, ints, torch.nn.functional.one_hot(labels, 3)


@program
def scatter_inplace_reduce_and_version(torch):
    x = torch.ones(2, 3)
    v0 = x._version
    x.scatter_(
        1, torch.tensor([[0, 0], [2, 1]]), torch.tensor([[2.0, 3.0], [4.0, 5.0]]), reduce="multiply"
    )  # noqa: E501
    x.scatter_(0, torch.tensor([[1, 1, 1]]), 1.5, reduce="add")
    x.index_put_((torch.tensor([0]), torch.tensor([2])), torch.tensor(9.0))
    x.masked_fill_(x > 8, -1.0)
    return x, v0, x._version


@program
def scatter_noncontiguous_inputs(torch):
    x = torch.zeros(4, 3).t()
    idx = torch.tensor([[0, 3], [1, 2], [3, 3]]).t().contiguous().t()
    src = _ar(torch, 2, 3).t()
    return x.scatter(1, idx, src), x.scatter_add(1, idx, src), x.gather(1, idx)


@program
def gather_from_topk_and_argsort(torch):
    x = torch.tensor([[3.0, 1.0, 4.0, 1.5], [9.0, 2.0, 6.0, 5.0]], requires_grad=True)
    _, i = x.topk(2, dim=1)
    g = x.gather(1, i)
    s = x.gather(1, x.argsort(1, descending=True))
    (g.sum() + (s * lib_like(s)).sum()).backward()
    return g, s, x.grad


@program
def gather_3d_middle_dim(torch):
    x = _ar(torch, 2, 4, 3, dtype=torch.float64, grad=True)
    idx = torch.tensor([[[3, 0, 1]], [[2, 2, 2]]])
    out = torch.gather(x, 1, idx)
    (out * lib_like(out)).sum().backward()
    return out, x.grad


# ---- masked ops ----------------------------------------------------------------------------
@program
def masked_fill_value_casts_and_dtypes(torch):
    m = torch.tensor([True, False, True])
    return (
        torch.tensor([1, 2, 3]).masked_fill(m, 2.7),
        torch.tensor([1, 2, 3], dtype=torch.uint8).masked_fill(m, -1),
        torch.tensor([True, False, False]).masked_fill(m, 1),
        torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64).masked_fill(m, torch.tensor(5)),
        torch.tensor([1.0, 2.0, 3.0]).masked_fill(m, torch.tensor(0.5, dtype=torch.float64)),
        torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16).masked_fill(m, float("nan")),
    )


@program
def masked_fill_attention_4d(torch):
    scores = _ar(torch, 2, 2, 3, 3, grad=True)
    pad = torch.tensor([[False, False, True], [False, True, True]])[:, None, None, :]
    out = scores.masked_fill(pad, -1e9).softmax(-1)
    (out * lib_like(out)).sum().backward()
    return out, scores.grad


@program
def masked_select_and_scatter_roundtrip(torch):
    x = _ar(torch, 3, 4)
    m = x % 3 == 0
    picked = x.masked_select(m)
    back = torch.zeros_like(x).masked_scatter(m, picked * 10)
    return picked, back, torch.masked_select(x, torch.tensor(True)), x[m.nonzero(as_tuple=True)]


@program
def nonzero_special_values(torch):
    x = torch.tensor([0.0, float("nan"), -0.0, float("inf"), 1e-45])
    b = torch.tensor([[True, False], [False, False]])
    return x.nonzero(), torch.argwhere(b), b.nonzero(as_tuple=True), torch.zeros(2, 0, 3).nonzero()


@program
def nonzero_index_roundtrip(torch):
    x = torch.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    nz = x.nonzero()
    return x[tuple(nz.t())], x[nz[:, 0], nz[:, 1]], torch.where(x != 0, x, -x)


# ---- take / put / index_select forms --------------------------------------------------------
@program
def take_put_noncontiguous(torch):
    x = _ar(torch, 3, 4).t()
    taken = x.take(torch.tensor([0, 1, 5, -1]))
    y = _ar(torch, 3, 4).t()
    y.put_(torch.tensor([0, 1, 11]), torch.tensor([-1.0, -2.0, -3.0]))
    return taken, y, y.is_contiguous()


@program
def index_select_noncontiguous_and_empty_dim(torch):
    x = _ar(torch, 4, 3).t()
    e = torch.zeros(0, 3)
    return (
        x.index_select(1, torch.tensor([3, 0])),
        e.index_select(1, torch.tensor([2, 2])),
        e.index_select(0, torch.tensor([], dtype=torch.long)),
    )


@program
def scatter_family_variants(torch):
    a = torch.zeros(2, 3, 4)
    return (
        torch.select_scatter(a, torch.ones(2, 4), 1, -1),
        torch.slice_scatter(a, torch.ones(2, 3, 2), dim=-1, start=-2),
        torch.slice_scatter(a, torch.ones(2, 3, 4), dim=2, start=0, end=10),
        torch.diagonal_scatter(a, torch.ones(2, 3), 0, 1, 2),
        torch.diagonal_scatter(a, torch.ones(3, 2), 0, -3, -1),
        torch.slice_scatter(a, torch.ones(2, 1, 4), 1, 0, 3, 3),
    )


# ---- setitem errors ------------------------------------------------------------------------
@error(
    RuntimeError,
    r"The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0.  Target sizes: \[3\].  Tensor sizes: \[2\]",
)  # noqa: E501
def setitem_basic_wrong_shape(torch):  # fixed: the advanced-index words
    x = torch.zeros(3, 3)
    x[0] = torch.ones(2)


@error(
    RuntimeError,
    r"expand\(torch.FloatTensor\{\[2, 3\]\}, size=\[3\]\): the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)",
)  # noqa: E501
def setitem_basic_value_more_dims(torch):  # fixed
    x = torch.zeros(3, 3)
    x[0] = torch.ones(2, 3)


@error(RuntimeError, r"The expanded size of the tensor \(3\) must match the existing size \(2\)")
def setitem_basic_wrong_shape_with_grad(torch):  # fixed: copy_'s words
    x = torch.zeros(3, 3)
    x[:, 1] = torch.ones(2, requires_grad=True)


@error(RuntimeError, r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]")
def copy_value_more_dims(torch):  # fixed: numpy's ValueError
    return torch.zeros(3).copy_(torch.ones(2, 3))


@error(RuntimeError, r"value cannot be converted to type float without overflow")
def setitem_float32_overflow(torch):  # fixed: stored inf
    x = torch.zeros(3)
    x[:] = 1e40


@program
def setitem_float16_overflow_is_inf(torch):  # PyTorch's setitem does not check float16
    x = torch.zeros(3, dtype=torch.float16)
    x[0] = 1e6
    x[x == 0] = -1e300
    return x


@error(RuntimeError, r"value cannot be converted to type uint8_t without overflow")
def setitem_uint8_overflow(torch):  # fixed: numpy's type name
    x = torch.zeros(3, dtype=torch.uint8)
    x[0] = 300


@error(RuntimeError, r"value cannot be converted to type c10::Half without overflow")
def masked_fill_float16_overflow(torch):  # fixed: the type name
    x = torch.zeros(3, dtype=torch.float16)
    return x.masked_fill(x == 0, 1e6)


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`...`\), None and long or byte Variables are valid indices \(got float\)",
)  # noqa: E501
def index_with_python_float(torch):  # fixed: the message
    return torch.zeros(3)[1.0]


# ---- names PyTorch has -----------------------------------------------------------------------
@program
def nonzero_static_pad_and_cut(torch):  # fixed: missing
    x = _ar(torch, 2, 3)
    return (
        torch.nonzero_static(x, size=8),
        x.nonzero_static(size=2, fill_value=7),
        torch.nonzero_static(torch.tensor(3.0), size=2),
        torch.nonzero_static(torch.tensor([0, 1, 0, 2]), size=3),
    )


@error(RuntimeError, r"nonzero_static: 'size' must be an non-negative integer")
def nonzero_static_negative_size(torch):  # fixed
    return torch.nonzero_static(torch.ones(2), size=-1)


@program
def as_strided_scatter_values(torch):  # fixed: missing (its gradient is PyTorch's own)
    return (
        torch.as_strided_scatter(torch.zeros(3, 3), torch.ones(2), (2,), (4,)),
        torch.zeros(2, 3).as_strided_scatter(torch.arange(4.0).reshape(2, 2), (2, 2), (1, 3), 1),
    )


@error(
    RuntimeError,
    r"expected src to have a size equal to the slice of self. src size = \[3\], slice size = \[2\]",
)  # noqa: E501
def as_strided_scatter_wrong_src(torch):  # fixed
    return torch.as_strided_scatter(torch.zeros(3, 3), torch.ones(3), (2,), (4,))


# ---- in-place index ops on views and leaves --------------------------------------------------
@program
def index_add_on_view_changes_base(torch):
    base = torch.zeros(3, 4)
    base[:, 1:].index_add_(1, torch.tensor([0, 2, 0]), torch.ones(3, 3))
    base.t().index_fill_(0, torch.tensor([0]), -1.0)
    base[1].masked_fill_(base[1] == 0, 5.0)
    return base, base._version


@program
def scatter_on_view_grad(torch):
    a = torch.ones(2, 4, requires_grad=True)
    b = a * 2
    b[:, :2].scatter_(1, torch.tensor([[1], [0]]), torch.tensor([[10.0], [20.0]]))
    c = a * 3
    c[0].index_add_(0, torch.tensor([3, 3]), torch.tensor([1.0, 2.0]))
    (b * lib_like(b)).sum().backward()
    (c * lib_like(c)).sum().backward()
    return b, c, a.grad


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def scatter_inplace_on_leaf(torch):
    w = torch.zeros(3, requires_grad=True)
    return w.scatter_(0, torch.tensor([1]), 1.0)


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def index_put_inplace_on_leaf(torch):
    w = torch.zeros(3, requires_grad=True)
    return w.index_put_((torch.tensor([1]),), torch.tensor(1.0))


@program
def masked_fill_inplace_tensor_value_grad(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = torch.tensor(4.0, requires_grad=True)
    y = x * 1
    y.masked_fill_(torch.tensor([True, False, True]), v)
    (y * lib_like(y)).sum().backward()
    return y, x.grad, v.grad


@program
def index_put_two_dims_broadcast_accumulate(torch):
    x = torch.zeros(3, 4, requires_grad=True)
    v = torch.arange(6.0).reshape(2, 3).requires_grad_()
    i = torch.tensor([0, 2])[:, None]
    j = torch.tensor([1, 1, 3])
    out = x.index_put((i, j), v, accumulate=True)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, v.grad


@program
def put_accumulate_duplicates_2d(torch):
    x = torch.zeros(2, 3, requires_grad=True)
    src = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    out = x.put(torch.tensor([5, 5, 0, -1]), src, accumulate=True)
    (out * lib_like(out)).sum().backward()
    return out, x.grad, src.grad


# ---- more getitem forms -----------------------------------------------------------------------
@program
def index_scalar_tensor_forms(torch):
    s = torch.tensor(5.0)
    v = torch.arange(4.0)
    return s[()], s[None, None], s[..., None], v[()], v[None, ..., None], torch.argwhere(s)


@program
def index_empty_slices_and_assign(torch):
    x = torch.arange(6.0).reshape(2, 3)
    x[1:1] = 7.0
    x[:, 3:] = 9.0
    x[[]] = 5.0
    return x, x[2:], x[:, 5:], x[-10:10], x[..., 0:0]


@error(ValueError, r"step must be greater than zero")
def index_negative_step(torch):
    return torch.arange(4.0)[::-1]


@program
def index_bool_zero_d_tensor(torch):
    x = _ar(torch, 2, 3)
    return x[torch.tensor(True)], x[torch.tensor(False)], x[0, torch.tensor(True)]


@program
def double_backward_through_index_and_gather(torch):
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    y = (x[[0, 0, 2]] ** 3).sum() + (x.gather(0, torch.tensor([1, 2])) ** 2).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad((g * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum(), x)
    return g, h


@program
def retain_grad_on_index_results(torch):
    x = torch.arange(4.0, requires_grad=True)
    y = x[[1, 3]]
    y.retain_grad()
    z = x[1:3]
    z.retain_grad()
    (y.sum() * 2 + (z * z).sum()).backward()
    return y.grad, z.grad, x.grad


# ---- scatter_reduce / index_reduce gradients --------------------------------------------------
@program
def scatter_reduce_prod_with_zeros_grad(torch):
    x = torch.tensor([2.0, 0.0, 3.0], requires_grad=True)
    src = torch.tensor([0.0, 4.0, 5.0, 0.0, 0.0], requires_grad=True)
    idx = torch.tensor([0, 0, 1, 2, 2])
    y = x.scatter_reduce(0, idx, src, "prod")
    (y * lib_like(y)).sum().backward()
    return y, x.grad, src.grad


@program
def scatter_reduce_mean_2d_grad(torch):
    x = _ar(torch, 2, 3, grad=True)
    src = torch.ones(2, 2, requires_grad=True)
    idx = torch.tensor([[0, 0], [2, 1]])
    y = x.scatter_reduce(1, idx, src, "mean", include_self=False)
    (y * lib_like(y)).sum().backward()
    return y, x.grad, src.grad


@program
def index_reduce_every_reduce(torch):
    out = []
    for reduce in ("prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
            src = torch.tensor([[2.0, -1.0], [3.0, 7.0], [0.5, 6.0]], requires_grad=True)
            y = x.index_reduce(0, torch.tensor([0, 2, 0]), src, reduce, include_self=include_self)
            (y * lib_like(y)).sum().backward()
            out += [y, x.grad, src.grad]
    return out


@program
def index_reduce_ints(torch):
    x = torch.tensor([[1, 2], [3, 4]])
    src = torch.tensor([[5, -6], [7, 8], [9, 1]])
    idx = torch.tensor([1, 1, 0])
    return [
        x.index_reduce(0, idx, src, r, include_self=s)
        for r in ("prod", "mean", "amax", "amin")
        for s in (True, False)
    ]  # noqa: E501


# ---- argument types --------------------------------------------------------------------------
@error(TypeError, r"gather\(\): argument 'index' \(position \d\) must be Tensor, not list")
def gather_list_index(torch):  # fixed: numpy took the list
    return torch.zeros(2, 2).gather(0, [[1]])


@error(TypeError, r"index_select\(\): argument 'index' \(position 2\) must be Tensor, not list")
def index_select_list_index(torch):  # fixed
    return torch.zeros(2, 2).index_select(0, [1])


@error(TypeError, r"put\(\): argument 'source' \(position 2\) must be Tensor, not float")
def put_number_source(torch):  # fixed: AttributeError
    return torch.zeros(2, 2).put(torch.tensor([1]), 1.0)


@error(TypeError, r"index_add\(\): argument 'source' \(position 3\) must be Tensor, not float")
def index_add_number_source(torch):  # fixed: AttributeError
    return torch.zeros(2, 2).index_add(0, torch.tensor([1]), 1.0)


@error(TypeError, r"index_copy\(\): argument 'source' \(position 3\) must be Tensor, not float")
def index_copy_number_source(torch):  # fixed
    return torch.zeros(2, 2).index_copy(0, torch.tensor([1]), 1.0)


@error(TypeError, r"scatter_add\(\): argument 'src' \(position 3\) must be Tensor, not float")
def scatter_add_number_src(torch):  # fixed
    return torch.zeros(2, 2).scatter_add(0, torch.tensor([[0]]), 1.0)


@error(TypeError, r"scatter_reduce\(\): argument 'src' \(position 3\) must be Tensor, not float")
def scatter_reduce_number_src(torch):  # fixed
    return torch.zeros(2, 2).scatter_reduce(0, torch.tensor([[0]]), 1.0, "sum")


@error(TypeError, r"masked_scatter\(\): argument 'source' \(position 2\) must be Tensor, not float")  # noqa: E501
def masked_scatter_number_source(torch):  # fixed
    return torch.zeros(2, 2).masked_scatter(torch.tensor([True, False]), 1.0)


@error(TypeError, r"masked_select\(\): argument 'mask' \(position 1\) must be Tensor, not list")
def masked_select_list_mask(torch):  # fixed
    return torch.zeros(2, 2).masked_select([True, False])


@error(TypeError, r"take\(\): argument 'index' \(position 1\) must be Tensor, not list")
def take_list_index(torch):  # fixed
    return torch.zeros(2, 2).take([1])


@error(TypeError, r"take_along_dim\(\): argument 'indices' \(position 1\) must be Tensor, not list")  # noqa: E501
def take_along_dim_list_indices(torch):  # fixed
    return torch.zeros(2, 2).take_along_dim([[0]], 1)


@error(TypeError, r"index_put\(\): argument 'values' \(position 2\) must be Tensor, not float")
def index_put_number_values(torch):  # fixed: the words
    return torch.zeros(2, 2).index_put((torch.tensor([1]),), 1.0)


@error(
    TypeError,
    r"index_put\(\): argument 'indices' \(position 1\) must be tuple of Tensors, not Tensor",
)  # noqa: E501
def index_put_bare_tensor_indices(torch):  # fixed: taken as a 1-tuple
    return torch.zeros(2, 2).index_put(torch.tensor([1]), torch.tensor(1.0))


@error(TypeError, r"expected Tensor as element 0 in argument 0, but got NoneType")
def index_put_none_index(torch):  # fixed: None was read as a full slice
    return torch.zeros(2, 3).index_put((None, torch.tensor([0, 2])), torch.tensor(1.0))


@error(IndexError, r"too many indices for tensor of dimension 2 \(got 3\)")
def index_put_too_many_indices(torch):  # fixed: the count
    i = torch.tensor([1])
    return torch.zeros(2, 2).index_put((i, i, i), torch.tensor(1.0))


@error(
    TypeError,
    r"masked_fill\(\) received an invalid combination of arguments - got \(Tensor, NoneType\)",
)  # noqa: E501
def masked_fill_none_value(torch):  # fixed: filled nan
    return torch.zeros(2, 2).masked_fill(torch.tensor([True, False]), None)


@error(
    TypeError,
    r"masked_fill\(\) received an invalid combination of arguments - got \(Tensor, list\)",
)  # noqa: E501
def masked_fill_list_value(torch):  # fixed: filled the list
    return torch.zeros(2, 2).masked_fill(torch.tensor([True, False]), [1.0])


@error(
    TypeError, r"masked_fill\(\) received an invalid combination of arguments - got \(list, float\)"
)  # noqa: E501
def masked_fill_list_mask(torch):  # fixed
    return torch.zeros(2).masked_fill([True, False], 1.0)


@error(
    TypeError,
    r"index_fill\(\) received an invalid combination of arguments - got \(int, Tensor, list\)",
)  # noqa: E501
def index_fill_list_value(torch):  # fixed
    return torch.zeros(2, 2).index_fill(0, torch.tensor([1]), [1.0])


@error(
    TypeError,
    r"scatter\(\) received an invalid combination of arguments - got \(int, list, float\)",
)  # noqa: E501
def scatter_list_index(torch):  # fixed
    return torch.zeros(2, 2).scatter(0, [[0]], 1.0)


@error(
    RuntimeError,
    r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 0",
)  # noqa: E501
def take_along_dim_not_broadcastable(torch):  # fixed: numpy's ValueError
    return torch.take_along_dim(torch.zeros(2, 3), torch.zeros(3, 1, dtype=torch.long), 1)


@error(IndexError, r"index 5 is out of bounds for dimension 0 with size 3")
def setitem_out_of_bounds_with_grad(torch):  # fixed: numpy's "axis" words
    x = torch.zeros(3, requires_grad=True) * 1
    x[[0, 5]] = torch.tensor([1.0, 2.0])


@error(
    RuntimeError,
    r"shape mismatch: value tensor of shape \[2\] cannot be broadcast to indexing result of shape \[3\]",
)  # noqa: E501
def setitem_shape_mismatch_with_grad(torch):  # fixed: numpy's ValueError
    x = torch.zeros(3, 3)
    x[[0, 1, 2], 0] = torch.tensor([1.0, 2.0], requires_grad=True)


# ---- layouts of the results ------------------------------------------------------------------
@program
def result_layouts(torch):  # fixed: numpy's layouts (x[:, [0, 1]].view(-1) raised)
    x = torch.arange(12.0).reshape(3, 4)
    t = x.t()
    m = t > 3
    i = torch.tensor([[0], [1], [2], [0]])
    outs = {
        "cols": x[:, [0, 1]],
        "middle": torch.zeros(2, 3, 4)[:, [0, 1], :],
        "gather_t_index": x.gather(0, torch.tensor([[0, 1], [1, 2]]).t()),
        "take_t_index": x.take(torch.tensor([[0, 1], [2, 3]]).t()),
        "index_fill": t.index_fill(1, torch.tensor([0]), 1.0),
        "index_copy": t.index_copy(0, torch.tensor([1]), torch.ones(1, 3)),
        "index_put": t.index_put((torch.tensor([0]),), torch.tensor(1.0)),
        "put": t.put(torch.tensor([0, 5]), torch.ones(2)),
        "put_accumulate": t.put(torch.tensor([0, 0]), torch.ones(2), accumulate=True),
        "masked_scatter": t.masked_scatter(m, torch.zeros(12)),
        "scatter_amax": t.scatter_reduce(0, torch.tensor([[0, 1, 2]]), torch.ones(1, 3), "amax"),
        "scatter_prod": t.scatter_reduce(0, torch.tensor([[0, 1, 2]]), torch.ones(1, 3), "prod"),
        "gather": t.gather(1, i),
        "nonzero": t.nonzero(),
        "argwhere": torch.argwhere(x),
    }
    return {k: (v, v.stride(), v.is_contiguous()) for k, v in outs.items()}, x[:, [0, 1]].view(-1)


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def nonzero_result_view(torch):  # fixed: PyTorch's nonzero is column-major
    return torch.arange(12.0).reshape(3, 4).nonzero().view(-1)


# ---- gradients by finite differences (float64) of the paths this sweep added ------------------
def _f64(*shape):
    return (
        minitorch.arange(1.0, 1.0 + float(np.prod(shape)), dtype=minitorch.float64)
        .reshape(shape)
        .requires_grad_()
    )


GRAD_CASES = {
    "index_add_0d": (lambda s, v: s.index_add(0, minitorch.tensor([0]), v), [(), ()]),
    "index_copy_0d": (lambda s, v: s.index_copy(0, minitorch.tensor([0]), v), [(), (1,)]),
    "index_copy_0d_source": (lambda x, v: x.index_copy(0, minitorch.tensor(2), v), [(3,), ()]),
    "index_fill_0d": (lambda s, v: s.index_fill(0, minitorch.tensor([-1]), v), [(), ()]),
    "gather_0d_index": (lambda x: x.gather(0, minitorch.tensor(1)), [(3,)]),
    "gather_0d_input": (lambda s: s.gather(0, minitorch.tensor([0, 0])), [()]),
    "index_select_0d": (lambda s: s.index_select(0, minitorch.tensor([0])), [()]),
    "put_transposed": (
        lambda x, v: x.t().put(minitorch.tensor([0, 5, 0]), v, accumulate=True),
        [(3, 2), (3,)],
    ),
    "as_strided_scatter": (
        lambda x, v: minitorch.as_strided_scatter(x, v, (2,), (4,)),
        [(3, 3), (2,)],
    ),
    "masked_scatter_transposed": (
        lambda x, v: x.t().masked_scatter(minitorch.tensor([[True, False], [False, True]]), v),
        [(2, 2), (3,)],
    ),
}


@pytest.mark.parametrize("name", GRAD_CASES)
def test_gradcheck_and_gradgradcheck(name):
    fn, shapes = GRAD_CASES[name]
    inputs = [_f64(*shape) for shape in shapes]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


# ---- index_reduce checks and bool scatter_reduce ---------------------------------------------
@error(IndexError, r"index_reduce_\(\): Index is supposed to be a vector, but got dim: 2")
def index_reduce_2d_index(torch):  # fixed: a 2-D index was taken
    x = torch.tensor([1.0, 2.0, 3.0])
    return x.index_reduce(0, torch.tensor([[0]]), torch.tensor([4.0]), "prod")


@error(IndexError, r"index out of range in self")
def index_reduce_out_of_range(torch):  # fixed: scatter's words
    x = torch.tensor([1.0, 2.0, 3.0])
    return x.index_reduce(0, torch.tensor([5]), torch.tensor([4.0]), "prod")


@error(
    RuntimeError,
    r"index_reduce_\(\): self \(Float\) and source \(Double\) must have the same scalar type",
)  # noqa: E501
def index_reduce_dtype_mismatch(torch):  # fixed
    x = torch.tensor([1.0, 2.0, 3.0])
    return x.index_reduce(0, torch.tensor([0]), torch.tensor([4.0], dtype=torch.float64), "prod")


@error(
    RuntimeError,
    r"index_reduce_\(\): Number of indices \(2\) should be equal to source.size\(dim\): \(1\), for dim: 0",
)  # noqa: E501
def index_reduce_too_many_indices(torch):  # fixed: expand's words
    x = torch.tensor([1.0, 2.0, 3.0])
    return x.index_reduce(0, torch.tensor([0, 1]), torch.tensor([4.0]), "prod")


@program
def scatter_reduce_bool(torch):  # fixed: amax/amin on bool raised numpy's ValueError
    i = torch.tensor([0, 0, 1])
    b = torch.tensor([True, True, False])
    z, o = torch.zeros(3, dtype=torch.bool), torch.ones(3, dtype=torch.bool)
    return [
        z.scatter_reduce(0, i, b, "sum"),
        z.scatter_reduce(0, i, b, "amax"),
        o.scatter_reduce(0, i, ~b, "amin"),
        o.scatter_reduce(0, i, b, "prod", include_self=False),
        z.scatter_reduce(0, i, b, "amax", include_self=False),
    ]


@error(NotImplementedError, r"not implemented for 'Bool'")
def scatter_reduce_bool_mean(torch):  # fixed: gave an int64 tensor
    b = torch.tensor([True, True, False])
    return torch.zeros(3, dtype=torch.bool).scatter_reduce(0, torch.tensor([0, 0, 1]), b, "mean")


@program
def integer_wraparound_in_scatter_and_index_add(torch):
    i = torch.tensor([0, 0, 1])
    return (
        torch.zeros(3, dtype=torch.int8).scatter_add(
            0, i, torch.tensor([100, 100, 5], dtype=torch.int8)
        ),  # noqa: E501
        torch.zeros(3, dtype=torch.uint8).index_add(
            0, i, torch.tensor([200, 100, 5], dtype=torch.uint8)
        ),  # noqa: E501
        torch.zeros(3, dtype=torch.bool).index_add(0, i, torch.tensor([True, True, False])),
        torch.tensor([-1, 2, 3]).scatter_reduce(
            0, i, torch.tensor([-4, 5, -8]), "mean", include_self=False
        ),  # noqa: E501
    )
