"""Sweep 24 (creation): the factories and joiners as PyTorch's test_tensor_creation_ops.py
checks them: cat / stack / hstack / vstack / dstack / column_stack and their errors, the
h/v/dsplit family, diag_embed / diagflat / block_diag / vander, triu / tril and their index
factories, arange / range / linspace / logspace (dtype inference, out=, errors), eye, full,
zeros with out=, empty_strided, tensor / as_tensor / asarray / frombuffer, the legacy
constructors, the random factories with generators and out=, random_ / uniform_ / normal
bounds, meshgrid / cartesian_prod / combinations and the *_like / new_* factories. Each
program runs with PyTorch 2.13 (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


# ---- diag_embed / diagflat / block_diag / vander --------------------------------------------
@program
def diag_embed_offsets_and_dims(torch):
    x = torch.arange(12.0).view(3, 4)
    return [torch.diag_embed(x), torch.diag_embed(x, offset=1, dim1=0, dim2=2),
            torch.diag_embed(x, offset=-2), torch.diag_embed(x, 0, -1, -2)]  # fmt: skip


@program
def diagflat_offsets_and_noncontiguous(torch):
    x = torch.arange(24.0).view(2, 3, 4).transpose(2, 0)
    return [torch.diagflat(torch.arange(3.0), 2), torch.diagflat(x).shape,
            torch.diagflat(x)[5, 5], torch.diagflat(torch.arange(4), -1)]  # fmt: skip


@program
def block_diag_mixed_ranks(torch):
    g = torch.Generator().manual_seed(1)
    parts = [torch.rand(2, 2, generator=g), torch.rand(2, 3, generator=g),
             torch.rand(4, generator=g), torch.rand(3, 1, generator=g),
             torch.rand(1, generator=g)[0]]  # fmt: skip
    return [torch.block_diag(*parts), torch.block_diag(torch.tensor(3.0)),
            torch.block_diag(torch.arange(3)), torch.block_diag()]  # fmt: skip


@program
def block_diag_promotes_dtypes(torch):
    dts = [torch.uint8, torch.int16, torch.int32, torch.int64, torch.float32, torch.float64]
    out = []
    for a in dts:
        for b in dts:
            out.append(torch.block_diag(torch.tensor(1, dtype=a), torch.tensor(2, dtype=b)))
    return out


@program
def block_diag_empty_parts(torch):
    return torch.block_diag(torch.tensor([]), torch.ones(2, 0), torch.tensor([[6.0], [7.3]]))


@error(RuntimeError, r"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input 1 has 3 dimensions")  # fmt: skip
def block_diag_3d_input(torch):
    torch.block_diag(torch.tensor(5), torch.tensor([[[6]]]))


@program
def vander_forms(torch):
    out = [torch.vander(torch.tensor([]), 0).shape]
    for x in ([1, 2, 3, 5], [-3.5, 0, 1 / 3, 1, 3.0, 3 / 7]):
        for n in (None, 0, 1, 3):
            for inc in (False, True):
                t = torch.tensor(x)
                out.append(
                    torch.vander(t, increasing=inc) if n is None else torch.vander(t, n, inc)
                )
    out.append(torch.vander(torch.tensor([True, False, True]), 3))
    return out


@error(RuntimeError, r"N must be non-negative.")
def vander_negative_n(torch):
    torch.vander(torch.tensor([1, 2]), N=-1)


@error(RuntimeError, r"x must be a one-dimensional tensor.")
def vander_2d(torch):
    torch.vander(torch.ones(2, 2))


# ---- cat ----------------------------------------------------------------------------------
@program
def cat_all_dtypes_both_dims(torch):
    out = []
    for dt in (torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
               torch.float16, torch.bfloat16, torch.float32, torch.float64):  # fmt: skip
        x = torch.tensor([[1, 2], [3, 4]], dtype=dt)
        a, b = torch.cat((x, x), 0), torch.cat((x, x), 1)
        out += [a.dtype, a.to(torch.float32), b.to(torch.float32)]
    return out


@error(RuntimeError, r"unsupported operation")
def cat_out_expanded(torch):
    x = torch.rand(1, 3).expand(6, 3)
    y = torch.rand(3, 3)
    torch.cat([y, y], out=x)


@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location.")  # fmt: skip
def cat_out_is_an_input(torch):
    x = torch.zeros(0)
    y = torch.randn(4, 6)
    torch.cat([x, y], dim=0, out=y)


@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location.")  # fmt: skip
def cat_out_overlaps_an_input(torch):
    y = torch.randn(4, 6)
    z = torch.zeros(4, 6)
    torch.cat([y, z], out=z[:2, :])


@program
def cat_out_disjoint_view_of_input_storage(torch):
    w = torch.arange(12.0)
    b = torch.cat([w[:2], w[4:6]], out=w[6:10])
    return [b, w]


@program
def cat_out_noncontiguous_narrow(torch):
    out = []
    for dim in (0, 1):
        x = torch.zeros(10, 5, 2)
        y = x.narrow(dim, 0, x.shape[dim] - 2)
        val = torch.full_like(y[0], 3.0)
        r = torch.cat((val[None],) * y.shape[0], dim=0, out=y)
        out += [r, x, y.is_contiguous()]
    return out


@program
def cat_legacy_empty_1d(torch):
    x = torch.randn(4, 3, 2, 2)
    empty = torch.randn(0)
    return [torch.cat([x, empty], dim=1), torch.cat([empty, x], dim=1),
            torch.cat([empty, empty], dim=1)]  # fmt: skip


@program
def cat_empty_with_matching_sizes(torch):
    x = torch.randn(4, 3, 2, 2)
    empty = torch.randn(4, 0, 2, 2)
    return [torch.cat([x, empty], dim=1), torch.cat([empty, x], dim=1),
            torch.cat([empty, empty], dim=1)]  # fmt: skip


@error(RuntimeError, r"Sizes of tensors must match except in dimension 1")
def cat_empty_with_mismatched_sizes(torch):
    torch.cat([torch.randn(4, 3, 2, 2), torch.randn(4, 0, 1, 2)], dim=1)


@error(RuntimeError, r"Tensors must have same number of dimensions")
def cat_empty_with_other_rank(torch):
    torch.cat([torch.randn(4, 3, 2, 2), torch.randn(4, 0)], dim=1)


@program
def cat_only_legacy_empties_any_dim(torch):
    e = torch.randn(0, requires_grad=True)
    r = torch.cat([e, e.double()], dim=-3)
    return [r, torch.cat([e, e], dim=5), r.grad_fn.name()]


@error(ValueError, r"non-empty list of Tensors")
def cat_empty_list(torch):
    torch.cat([], dim=1)


@error(TypeError, r"got None")
def cat_with_none(torch):
    torch.cat([torch.ones(2), None])


@error(RuntimeError, r"zero-dimensional.*cannot be concatenated")
def cat_scalars(torch):
    torch.cat([torch.tensor(0), torch.tensor(1)])


@error(RuntimeError, r"Tensors must have same number of dimensions")
def cat_bad_ranks(torch):
    torch.cat([torch.randn(2, 1), torch.randn(2, 1, 1)])


@error(RuntimeError, r"Sizes of tensors must match except in dimension 1")
def cat_bad_sizes(torch):
    torch.cat([torch.randn(2, 1, 2), torch.randn(2, 1, 1), torch.randn(2, 2, 1)], dim=1)


@program
def cat_transposed_pieces_all_dims(torch):
    out = []
    for dim in range(-3, 3):
        pos = dim % 3
        x = torch.randint(-100, 100, (3, 4, 4)).to(torch.float16).transpose(0, pos)
        y = torch.randint(-100, 100, (5, 4, 4)).to(torch.float16).transpose(0, pos)
        z = torch.randint(-100, 100, (2, 4, 4)).to(torch.float16).transpose(0, pos)
        r = torch.cat((x, y, z), dim)
        out += [r, r.narrow(pos, 3, 5).equal(y)]
    x = torch.randint(-100, 100, (20, 3, 3), dtype=torch.int32)
    out += [torch.cat(torch.split(x, 7)), torch.cat(torch.chunk(x, 7)).equal(x)]
    return out


@program
def cat_channels_last(torch):
    x = torch.randn(2, 3, 4, 4)
    y = torch.randn(2, 3, 4, 4)
    out = []
    for dim in range(4):
        r = torch.cat((x.contiguous(memory_format=torch.channels_last),
                       y.contiguous(memory_format=torch.channels_last)), dim=dim)  # fmt: skip
        out += [r, r.is_contiguous(memory_format=torch.channels_last)]
    z = torch.cat((x, y)).contiguous(memory_format=torch.channels_last)
    r = torch.cat((x, y), out=z)
    out += [r, z.is_contiguous(memory_format=torch.channels_last)]
    return out


# ---- stack / hstack / vstack / dstack / column_stack -----------------------------------------
@program
def stack_all_dims_and_negative(torch):
    out = []
    for dt in (torch.float16, torch.float64, torch.int32):
        x, y, z = (torch.randint(-100, 100, (2, 3, 4)).to(dt) for _ in range(3))
        for dim in range(4):
            r = torch.stack((x, y, z), dim)
            out += [r, r.equal(torch.stack((x, y, z), dim - 4)), r.select(dim, 1).equal(y)]
    return out


@program
def stack_out_keeps_storage(torch):
    out = []
    x, y, z = (torch.randint(-100, 100, (2, 3, 4)).to(torch.float64) for _ in range(3))
    for dim in range(4):
        shape = x.size()[:dim] + (3,) + x.size()[dim:]
        res = x.new(shape)
        ptr = res.data_ptr()
        r = torch.stack((x, y, z), dim, out=res)
        out += [res, r is res, res.data_ptr() == ptr]
    return out


@error(TypeError, r"must be tuple of Tensors, not Tensor")
def hstack_of_a_tensor(torch):
    torch.hstack(torch.randn(10))


@error(TypeError, r"must be tuple of Tensors, not Tensor")
def vstack_of_a_tensor(torch):
    torch.vstack(torch.randn(10))


@error(TypeError, r"must be tuple of Tensors, not Tensor")
def dstack_of_a_tensor(torch):
    torch.dstack(torch.randn(10))


@error(TypeError, r"must be tuple of Tensors, not Tensor")
def column_stack_of_a_tensor(torch):
    torch.column_stack(torch.randn(10))


@program
def special_stacks_of_scalars(torch):
    ts = [torch.tensor(float(i)) for i in range(3)]
    return [torch.hstack(ts), torch.vstack(ts), torch.dstack(ts), torch.column_stack(ts),
            torch.row_stack(ts)]  # fmt: skip


@program
def special_stacks_mixed_ranks(torch):
    a = torch.arange(4)
    b = torch.arange(4).view(1, 4)
    c = torch.arange(4).view(1, 4, 1)
    m = torch.arange(6).view(2, 3)
    return [torch.vstack([a, b]), torch.row_stack([a, b]), torch.dstack([a, b, c]),
            torch.dstack([m, m.view(2, 3, 1)]), torch.hstack([a, a[:2]]),
            torch.column_stack([m.view(3, 2), torch.arange(3), m.view(3, 2), torch.arange(3)]),
            torch.hstack([m, m[:, :1]])]  # fmt: skip


@error(RuntimeError, r"Sizes of tensors must match except in dimension 1")
def hstack_mismatch(torch):
    torch.hstack([torch.ones(2, 3), torch.ones(3, 3)])


@error(RuntimeError, r"Sizes of tensors must match except in dimension 0")
def vstack_mismatch(torch):
    torch.vstack([torch.ones(2, 3), torch.ones(2, 4)])


@error(RuntimeError, r"Sizes of tensors must match except in dimension 2")
def dstack_mismatch(torch):
    torch.dstack([torch.ones(2, 3, 1), torch.ones(2, 4, 1)])


@error(RuntimeError, r"column_stack expects a non-empty TensorList")
def column_stack_of_nothing(torch):
    torch.column_stack([])


@error(TypeError, r"expected Tensor as element 1 in argument 0, but got int")
def column_stack_of_a_number(torch):
    torch.column_stack([torch.ones(2), 3])


@error(RuntimeError, r"Sizes of tensors must match except in dimension 1")
def column_stack_mismatch(torch):
    torch.column_stack([torch.ones(2), torch.ones(3)])


# ---- hsplit / vsplit / dsplit -------------------------------------------------------------
@program
def hvd_split_valid(torch):
    t = torch.arange(3 * 8 * 2).view(3, 8, 2)
    return [torch.hsplit(torch.arange(6), 2), torch.hsplit(torch.arange(6), [2, 5]),
            torch.hsplit(torch.arange(6), [7, 9]), torch.hsplit(t, 4), torch.hsplit(t, [1, 5]),
            torch.vsplit(t, 3), torch.vsplit(t, [1, 5, 9]), torch.dsplit(t, 2),
            torch.dsplit(t, [1, 5]), torch.hsplit(torch.ones(5, 0, 5), 3),
            torch.dsplit(torch.ones(5, 5, 0), [2, 6])]  # fmt: skip


@error(RuntimeError, r"torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!")  # fmt: skip
def hsplit_of_scalar(torch):
    torch.hsplit(torch.tensor(1.0), 3)


@error(RuntimeError, r"torch.hsplit attempted to split along dimension 0, but the size of the dimension 6 is not divisible by the split_size 4!")  # fmt: skip
def hsplit_1d_not_divisible(torch):
    torch.hsplit(torch.arange(6), 4)


@error(RuntimeError, r"torch.hsplit attempted to split along dimension 1, but the size of the dimension 8 is not divisible by the split_size 5!")  # fmt: skip
def hsplit_2d_not_divisible(torch):
    torch.hsplit(torch.ones(3, 8), 5)


@error(RuntimeError, r"torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!")  # fmt: skip
def vsplit_of_1d(torch):
    torch.vsplit(torch.arange(6), 2)


@error(RuntimeError, r"torch.vsplit attempted to split along dimension 0, but the size of the dimension 6 is not divisible by the split_size 4!")  # fmt: skip
def vsplit_not_divisible(torch):
    torch.vsplit(torch.ones(6, 5), 4)


@error(RuntimeError, r"torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!")  # fmt: skip
def dsplit_of_2d(torch):
    torch.dsplit(torch.ones(6, 6), 3)


@error(RuntimeError, r"torch.dsplit attempted to split along dimension 2, but the size of the dimension 6 is not divisible by the split_size 4!")  # fmt: skip
def dsplit_not_divisible(torch):
    torch.dsplit(torch.ones(5, 5, 6), 4)


# ---- roll / fill_ ---------------------------------------------------------------------------
@program
def roll_forms(torch):
    n = torch.arange(1, 9)
    d = n.view(2, 4)
    s = n.view(2, 4).transpose(0, 1)
    b = torch.zeros(6, dtype=torch.bool)
    b[0] = b[3] = True
    return [n.roll(1, 0), n.roll(-2, 0), n.view(2, 2, 2).roll(1, 0), d.roll(2, 0).roll(4, 1),
            d.roll(-20, 0).roll(-40, 1), s.roll(1, 0), d.roll(1), d.roll(1, dims=None),
            d.roll(shifts=(2, -1), dims=(1, 0)), b.roll(1, 0)]  # fmt: skip


@error(RuntimeError, r"required")
def roll_no_shifts(torch):
    torch.arange(8).view(2, 4).roll(shifts=(), dims=())


@error(RuntimeError, r"required")
def roll_no_shifts_one_dim(torch):
    torch.arange(8).view(2, 4).roll(shifts=(), dims=1)


@error(RuntimeError, r"align")
def roll_shifts_dims_misaligned(torch):
    torch.arange(8).view(2, 4).roll(shifts=(1, 2), dims=(1,))


@program
def fill_every_dtype(torch):
    out = []
    for dt in (torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
               torch.float16, torch.float32, torch.float64):  # fmt: skip
        x = torch.empty(7, dtype=dt)
        bound = 100 if dt in (torch.uint8, torch.int8) else 2000
        for n in range(-bound, bound, bound // 5):
            out.append(x.fill_(n).clone())
    return out


# ---- triu / tril / tril_indices / triu_indices -------------------------------------------
@program
def triu_tril_shapes_diagonals_out(torch):
    out = []
    for shape in [(3, 3), (2, 3, 3), (3, 5), (2, 5, 3), (3, 0), (0, 3, 3), (3, 1), (1, 3),
                  (1, 2, 3, 3)]:  # fmt: skip
        x = torch.arange(float(np.prod(shape))).view(shape) + 1
        for diagonal in (-2, -1, 0, 1, 2):
            for f in (torch.triu, torch.tril):
                res = torch.empty(0)
                r = f(x, diagonal=diagonal, out=res)
                out += [f(x, diagonal), res, r is res]
    return out


@program
def triu_tril_noncontiguous_inplace(torch):
    out = []
    for dt in (torch.int64, torch.bool, torch.float16):
        x = (torch.arange(24).view(2, 3, 4) % 3).to(dt)
        xt = x.clone().transpose(1, 2)
        c = xt.is_contiguous()
        out += [torch.triu(xt, 1), xt.clone().tril_(-1), xt.triu_(1), xt.is_contiguous() == c]
    return out


@program
def triu_expanded_out_of_place(torch):
    x = torch.ones(3, 1, 3, 3, dtype=torch.long)
    b = x.clone().expand(3, 3, 3, 3)
    return [b.triu(2), 0 in b.stride(), x.triu(2).expand(3, 3, 3, 3).equal(b.triu(2))]


@error(RuntimeError, r"unsupported operation")
def triu_inplace_on_expanded(torch):
    torch.ones(3, 1, 3, 3).expand(3, 3, 3, 3).triu_(2)


@program
def triu_tril_backward(torch):
    x = torch.randn(3, 4, requires_grad=True)
    (torch.triu(x, 1) * 2 + torch.tril(x, -1) * 3).sum().backward()
    return [x.grad, torch.triu(x).grad_fn.name(), torch.tril(x).grad_fn.name()]


@program
def trilu_indices_forms(torch):
    out = []
    for row, col, offset in [(3, 3, 0), (4, 3, 1), (4, 3, -1), (3, 5, 2), (5, 3, -4),
                             (0, 3, 0), (3, 0, 0), (1, 1, 0), (2, 7, 10), (7, 2, -10),
                             (5, 5, 100), (5, 5, -100)]:  # fmt: skip
        out += [torch.tril_indices(row, col, offset), torch.triu_indices(row, col, offset)]
    out += [torch.tril_indices(4, 3, 1, dtype=torch.int32)]
    x = torch.ones(3, 3, dtype=torch.long)
    out += [x.tril(0).nonzero().transpose(0, 1).equal(torch.tril_indices(3, 3))]
    return out


@error(RuntimeError, r"row must be non-negative, got-1")
def tril_indices_negative_row(torch):
    torch.tril_indices(-1, 3)


@error(RuntimeError, r"col must be non-negative, got-1")
def triu_indices_negative_col(torch):
    torch.triu_indices(3, -1)


# ---- arange / range --------------------------------------------------------------------------
@program
def arange_out_forms(torch):
    res2 = torch.tensor([], dtype=torch.int64)
    torch.arange(0, 100, out=res2)
    x = torch.zeros(2, 3)
    torch.arange(0, 4, out=x.narrow(1, 1, 2))
    r3 = torch.tensor([])
    torch.arange(1, -1, -1, out=r3)
    r4 = torch.tensor([])
    torch.arange(1, 0, -1, out=r4)
    p = torch.zeros(3, 3, 30, dtype=torch.int64).permute(2, 0, 1)
    torch.arange(0, 270, out=p)
    return [res2, x, r3, r4, p.flatten(), p.stride()]


@program
def arange_float_out_dtypes(torch):
    out = []
    for ctor in (torch.FloatTensor, torch.DoubleTensor):
        r1 = torch.arange(0.6, 0.89, 0.1, out=ctor())
        r2 = torch.arange(1, 10, 0.3, out=ctor())
        out += [r1, r2.size(0), r2[29]]
    return out


@program
def arange_bool_and_exclusive(torch):
    return [torch.arange(True), torch.arange(False), torch.arange(0, 5 + 1e-6),
            torch.arange(0, 5 - 1e-6), torch.arange(10, -1 + 1e-6, -1),
            torch.arange(10, -1 - 1e-6, -1), torch.arange(0, 5, 2),
            torch.arange(-4.0, 4.0, 0.01).shape, torch.arange(0, 4, dtype=torch.float16),
            torch.arange(0, 6, step=2, dtype=torch.float16)]  # fmt: skip


@program
def arange_out_resized_with_warning(torch):
    line = torch.zeros(1, 49)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.arange(-1, 1, 2.0 / 49, dtype=torch.float32, out=line)
    return [line.shape, [str(x.message).split(" (Triggered")[0] for x in w]]


@error(RuntimeError, r"unsupported operation")
def arange_out_expanded(torch):
    torch.arange(10, out=torch.empty(1).expand(10))


@error(RuntimeError, r"unsupported range")
def arange_to_inf(torch):
    torch.arange(0, float("inf"))


@error(RuntimeError, r"unsupported range")
def arange_of_inf(torch):
    torch.arange(float("inf"))


@error(RuntimeError, r"unsupported range")
def arange_to_nan(torch):
    torch.arange(-5, float("nan"))


@error(RuntimeError, r"unsupported range")
def arange_to_minus_inf_step(torch):
    torch.arange(0, float("-inf"), -1)


@error(RuntimeError, r"unsupported range")
def arange_from_minus_inf(torch):
    torch.arange(float("-inf"), 10)


@error(RuntimeError, r"unsupported range")
def arange_from_nan(torch):
    torch.arange(float("nan"), 10)


@error(RuntimeError, r"overflow")
def arange_overflow(torch):
    torch.arange(1.175494351e-38, 3.402823466e38)


@program
def arange_dtype_inference_from_tensors(torch):
    t = torch.tensor
    return [torch.arange(1.0).dtype, torch.arange(t(1.0)).dtype,
            torch.arange(t(1.0, dtype=torch.float64)).dtype, torch.arange(1).dtype,
            torch.arange(t(1)).dtype, torch.arange(t(1, dtype=torch.int16)).dtype,
            torch.arange(1.0, 3).dtype, torch.arange(t(1.0, dtype=torch.float64), 3).dtype,
            torch.arange(1, 3.0).dtype,
            torch.arange(t(1, dtype=torch.int16), t(3.0)).dtype, torch.arange(1, 3, 1.0).dtype,
            torch.arange(t(1), t(3, dtype=torch.int16), t(1.0, dtype=torch.float64)).dtype,
            torch.arange(1, 3).dtype, torch.arange(t(1), 3).dtype,
            torch.arange(t(1), t(3, dtype=torch.int16)).dtype,
            torch.arange(t(1), t(3), t(1, dtype=torch.int16))]  # fmt: skip


@program
def range_forms(torch):
    res2 = torch.tensor(())
    torch.range(0, 1, out=res2)
    x = torch.zeros(2, 3)
    torch.range(0, 3, out=x.narrow(1, 1, 2))
    r3 = torch.tensor(())
    torch.range(1, 0, -1, out=r3)
    r4 = torch.tensor(())
    torch.range(1, 1, -1, out=r4)
    return [torch.range(0, 1), res2, x, r3, r4, torch.range(1, 1, 1), torch.range(0, 2, 0.5),
            torch.range(0, 4, dtype=torch.int64)]  # fmt: skip


@program
def range_warns(torch):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.range(0, 10)
    return [len(w), w[0].category.__name__, "deprecated" in str(w[0].message)]


@program
def range_out_keeps_a_same_numel_shape(torch):
    x = torch.zeros(2, 3, dtype=torch.int64)
    r = torch.range(0, 3, out=x.narrow(1, 1, 2))
    return [x, r.shape, r.dtype]


# ---- linspace / logspace ----------------------------------------------------------------
@program
def linspace_vs_numpy_steps(torch):
    start, end = -0.0316082797944545745849609375, 0.0315315723419189453125
    out = []
    for steps in (1, 2, 3, 5, 11, 256, 257):
        for dt in (torch.float32, torch.float64):
            t = torch.linspace(start, end, steps, dtype=dt)
            out += [t, t[0].item(), t[-1].item()]
    return out


@program(tol={"rtol": 1e-6, "atol": 1e-7})
def logspace_vs_numpy_steps(torch):
    start, end = -0.0316082797944545745849609375, 0.0315315723419189453125
    return [torch.logspace(start, end, steps, dtype=dt)
            for steps in (1, 2, 3, 5, 11, 256, 257) for dt in (torch.float32, torch.float64)]  # fmt: skip


@program
def linspace_integer_and_float_dtypes(torch):
    out = []
    for dt in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
               torch.float32, torch.float64):  # fmt: skip
        start = 0 if dt == torch.uint8 else -100
        out += [torch.linspace(10, 20, 11, dtype=dt), torch.linspace(start, start + 200, 401, dtype=dt),
                torch.linspace(2, 0, 3, dtype=dt), torch.linspace(0, 1, 1, dtype=dt),
                torch.linspace(0, 1, 0, dtype=dt), torch.linspace(0.3, 1.7, 9, dtype=dt)]  # fmt: skip
    return out


@program
def linspace_large_int_range(torch):
    out = []
    for dt in (torch.int32, torch.int64):
        start = torch.iinfo(dt).min
        end = torch.iinfo(dt).max & ~0xFFF
        x = torch.linspace(start, end, 15, dtype=dt)
        out += [x, (x[1] - x[0]).item() > (end - start) / 15]
    return out


@program
def linspace_logspace_out_noncontiguous(torch):
    x = torch.zeros(2, 3)
    torch.linspace(0, 3, 4, out=x.narrow(1, 1, 2))
    y = torch.zeros(2, 3, dtype=torch.int64)
    torch.logspace(0, 3, 4, base=2, out=y.narrow(1, 1, 2))
    p = torch.zeros(3, 3, 10).permute(2, 0, 1)
    torch.linspace(0, 90, 90, out=p)
    r = torch.tensor(())
    torch.linspace(0.1, 0.9, 137, out=r)
    return [x, y, p.flatten(), r]


@error(RuntimeError, r"unsupported operation")
def linspace_out_expanded(torch):
    torch.linspace(1, 10, 10, out=torch.rand(1).expand(10))


@error(RuntimeError, r"unsupported operation")
def logspace_out_expanded(torch):
    torch.logspace(1, 10, 10, out=torch.rand(1).expand(10))


@error(RuntimeError, r"number of steps must be non-negative")
def logspace_negative_steps(torch):
    torch.logspace(0, 1, -1)


@error(TypeError, r"")
def linspace_without_steps(torch):
    torch.linspace(0, 1)


@error(TypeError, r"")
def logspace_without_steps(torch):
    torch.logspace(0, 1)


@program
def logspace_forms(torch):
    out = []
    for dt in (torch.int32, torch.int64, torch.float32, torch.float64, torch.uint8):
        out += [torch.logspace(0, 1, 1, dtype=dt), torch.logspace(0, 6, steps=49, base=2, dtype=dt),
                torch.logspace(1, 1, 1, 2, dtype=dt), torch.logspace(0, 2, 3, 2, dtype=dt),
                torch.logspace(1, 0, 2, dtype=dt), torch.logspace(0.2, 0.9, 7, dtype=dt)]  # fmt: skip
    return out


@program
def linspace_logspace_deduction(torch):
    return [f(s, e, steps=10).dtype for f in (torch.linspace, torch.logspace)
            for s, e in ((1, 2), (1.0, 2), (1.0, -2.0))]  # fmt: skip


# ---- eye / full / zeros / ones / empty ---------------------------------------------------------
@program
def eye_forms_and_out(torch):
    out = []
    for dt in (torch.bool, torch.uint8, torch.int32, torch.int64, torch.float16, torch.float64):
        for n, m in ((3, None), (5, None), (3, 5), (5, 3), (0, 0), (5, 0), (0, 5)):
            res = torch.empty(0, dtype=dt)
            r = torch.eye(n, out=res) if m is None else torch.eye(n, m, out=res)
            out += [torch.eye(n, dtype=dt) if m is None else torch.eye(n, m, dtype=dt), r]
    return out


@error(RuntimeError, r"n must be greater or equal to 0, got -1")
def eye_negative_n(torch):
    torch.eye(-1, 1)


@error(RuntimeError, r"m must be greater or equal to 0, got -1")
def eye_negative_m(torch):
    torch.eye(1, -1)


@program
def full_inference_under_default_dtypes(torch):
    out = []
    for dt in (torch.float16, torch.float32, torch.float64):
        prev = torch.get_default_dtype()
        torch.set_default_dtype(dt)
        try:
            out += [torch.full((2, 2), True).dtype, torch.full((2, 2), 1).dtype,
                    torch.full((2, 2), 1.0).dtype, torch.tensor(()).dtype, torch.tensor(5.0).dtype,
                    torch.tensor(((7, 5), (9, 5.0))).dtype, torch.arange(1.0).dtype,
                    torch.tensor(np.array(5.0)).dtype]  # fmt: skip
        finally:
            torch.set_default_dtype(prev)
    return out


@program
def full_out_dtype(torch):
    o = torch.empty(5, dtype=torch.long)
    return [torch.full(o.shape, 1.0, out=o).dtype, torch.full((5,), 1, out=o), o.dtype]


@error(RuntimeError, r"")
def full_out_dtype_conflict(torch):
    o = torch.empty(5, dtype=torch.long)
    torch.full(o.shape, 1.0, dtype=torch.float, out=o)


@error(RuntimeError, r"")
def zeros_out_dtype_conflict(torch):
    d = torch.tensor((2, 3), dtype=torch.double)
    torch.zeros((2, 3), dtype=torch.float32, out=d)


@program
def zeros_ones_out_forms(torch):
    out = torch.zeros(3, 4)
    r1 = torch.zeros(3, 4, out=out)
    r2 = torch.zeros(3, 4, dtype=out.dtype, out=out)
    r3 = torch.zeros(3, 4, layout=torch.strided, out=out)
    res2 = torch.tensor(())
    torch.ones(10, 10, out=res2)
    res3 = torch.tensor(())
    torch.zeros(10, 10, out=res3)
    return [r1, r2, r3, r1 is out, res2, res3, torch.ones(1, 2, dtype=torch.bool)]


@program
def zeros_dtype_layout_device(torch):
    out = []
    for dt in (torch.bool, torch.uint8, torch.int16, torch.int64, torch.float16, torch.float32):
        t = torch.zeros((2, 3), device="cpu", dtype=dt, layout=torch.strided)
        out += [t.dtype, str(t.layout), t.device, t]
    return out


@program
def factories_of_empty_shapes(torch):
    out = []
    for shape in ((5, 0, 1), (0,), (0, 0, 1, 0, 2, 0, 0)):
        for dt in (torch.bool, torch.uint8, torch.int32, torch.int64, torch.float16, torch.float32,
                   torch.float64):  # fmt: skip
            z = torch.zeros(shape, dtype=dt)
            out += [z, torch.zeros_like(z), torch.full(shape, 3, dtype=dt),
                    torch.full_like(z, 3), torch.ones(shape, dtype=dt), torch.ones_like(z),
                    torch.empty(shape, dtype=dt).shape, torch.empty_like(z).shape,
                    torch.empty_strided(shape, (0,) * len(shape), dtype=dt).shape,
                    torch.randint(2 if dt == torch.bool else 6, shape, dtype=dt).shape,
                    torch.randint_like(z, 2 if dt == torch.bool else 6).shape]  # fmt: skip
            if dt.is_floating_point:
                out += [torch.rand(shape, dtype=dt).shape, torch.randn_like(z).shape]
    out += [torch.arange(0).shape, torch.eye(0).shape, torch.eye(0, 0).shape, torch.eye(5, 0).shape,
            torch.eye(0, 5).shape, torch.linspace(1, 1, 0).shape, torch.logspace(1, 1, 0).shape,
            torch.randperm(0).shape, torch.bartlett_window(0).shape,
            torch.bartlett_window(0, periodic=False).shape, torch.hamming_window(0).shape,
            torch.hann_window(0).shape, torch.kaiser_window(0).shape,
            torch.tensor([[[]]]).shape, torch.as_tensor([[[]]]).shape]  # fmt: skip
    return out


@error(RuntimeError, r"not implemented for 'Long'")
def rand_of_int_dtype(torch):
    torch.rand((2, 3), dtype=torch.int64)


@error(RuntimeError, r"not implemented for 'Bool'")
def randn_of_bool_dtype(torch):
    torch.randn((2, 3), dtype=torch.bool)


@program
def empty_tensor_props(torch):
    out = []
    for size in ((0,), (0, 3), (5, 0), (5, 0, 3, 0, 2), (0, 3, 0, 2), (0, 5, 0, 2, 0)):
        x = torch.empty(size)
        y = torch.empty(tuple(s if s else 1 for s in size))
        out += [x.shape, x.is_contiguous(), x.stride(), x.stride() == y.stride()]
    return out


@program
def empty_strided_and_new_empty_strided(torch):
    out = []
    for shape in ((2, 3, 4), (0, 2, 0)):
        for strides in (
            ((12, 4, 1), (2, 4, 6), (0, 0, 0)) if all(shape) else ((12, 4, 1), (2, 4, 6))
        ):
            e = torch.empty_strided(shape, strides)
            n = torch.zeros(5, 5, dtype=torch.int32).new_empty_strided(shape, strides)
            out += [e.shape, e.stride(), n.shape, n.stride(), n.dtype]
    n = torch.zeros(2).new_empty_strided([], [])
    return out + [n.shape, n.stride(), torch.zeros(2).new_empty_strided([5, 3], [0, 1]).stride()]


@error(RuntimeError, r"dimensionality of sizes \(3\) must match dimensionality of strides \(2\)")
def empty_strided_mismatched_stride_shape(torch):
    torch.empty_strided((2, 3, 4), (1, 2))


@error(RuntimeError, r"mismatch in length of strides and shape")
def as_strided_mismatched_stride_shape(torch):
    torch.tensor(0.42).as_strided((1, 2), (1,))


@error(RuntimeError, r"mismatch in length of strides and shape")
def as_strided__mismatched_stride_shape(torch):
    torch.tensor(0.42).as_strided_((1,), ())


@error(RuntimeError, r"as_strided: Negative strides are not supported at the moment, got strides: \[2, -1\]")  # fmt: skip
def as_strided_negative_stride(torch):
    torch.as_strided(torch.ones(3, 3), (1, 1), (2, -1))


@error(RuntimeError, r"Storage size calculation overflowed")
def empty_overflow(torch):
    torch.empty([2, 4, 2**29, 2**29], dtype=torch.float64)


@error(RuntimeError, r"Storage size calculation overflowed")
def empty_strided_overflow(torch):
    torch.empty_strided([8, 8], [2**61, 1], dtype=torch.float64)


@program
def logspace_integer_dtypes_truncate_the_bounds(torch):
    return [torch.logspace(0.2, 2.9, 7, dtype=torch.int32), torch.logspace(-1.5, 2.7, 5, dtype=torch.int64),
            torch.logspace(0, 2, 7, base=2.5, dtype=torch.int64), torch.logspace(0.2, 2.9, 7, dtype=torch.uint8)]  # fmt: skip


@error(NotImplementedError, r"\"logspace_cpu\" not implemented for 'Bool'")
def logspace_of_bool(torch):
    torch.logspace(0, 1, 3, dtype=torch.bool)


# ---- repeat_interleave ----------------------------------------------------------------------
@program
def repeat_interleave_forms(torch):
    y = torch.tensor([[1, 2], [3, 4]])
    e = torch.tensor([], dtype=torch.int64)
    return [torch.repeat_interleave(torch.tensor([0, 1, 2, 3])), torch.repeat_interleave(y, 2),
            torch.repeat_interleave(y, torch.tensor(2)), torch.repeat_interleave(y, torch.tensor([2])),
            torch.repeat_interleave(y, 3, dim=1), torch.repeat_interleave(y, torch.tensor([1, 2]), dim=0),
            torch.repeat_interleave(torch.zeros(5, 0), repeats=3, dim=1),
            torch.repeat_interleave(e, e)]  # fmt: skip


@error(RuntimeError, r"repeat_interleave only accept 1D vector as repeat")
def repeat_interleave_of_2d_repeats(torch):
    torch.repeat_interleave(torch.arange(4).reshape(2, 2))


@error(RuntimeError, r"\"repeat_interleave_cpu\" not implemented for 'Float'")
def repeat_interleave_of_float_repeats(torch):
    torch.repeat_interleave(torch.arange(4.0))


@error(RuntimeError, r"repeats can not be negative")
def repeat_interleave_negative_repeats(torch):
    torch.repeat_interleave(torch.tensor([1, 2, -1, 3, 4]))


@error(RuntimeError, r"repeats must have the same size as input along dim, but got repeats.size\(0\) = 3 and input.size\(0\) = 2")  # fmt: skip
def repeat_interleave_repeats_size_mismatch(torch):
    torch.repeat_interleave(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, 2, 3]), dim=0)


@error(RuntimeError, r"repeats must be 0-dim or 1-dim tensor")
def repeat_interleave_2d_repeats_with_dim(torch):
    torch.repeat_interleave(torch.tensor([[1, 2], [3, 4]]), torch.arange(9).reshape(3, 3), dim=0)


# ---- new_* / tensor() / as_tensor() ---------------------------------------------------------
@program
def new_methods_requires_grad(torch):
    x = torch.randn(10)
    out = []
    for name, args in (("new_full", [(10,), 1]), ("new_empty", [(10,)]), ("new_zeros", [(10,)]),
                       ("new_ones", [(10,)])):  # fmt: skip
        for rg in (True, False):
            t = getattr(x, name)(*args, requires_grad=rg)
            out += [t.requires_grad, t.is_leaf, t.shape, t.dtype]
    return out


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def new_zeros_int_requires_grad(torch):
    torch.randint(10, (10,)).new_zeros((10,), requires_grad=True)


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def new_full_int_requires_grad(torch):
    torch.randint(10, (10,)).new_full((10,), 1, requires_grad=True)


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def new_empty_int_requires_grad(torch):
    torch.randint(10, (10,)).new_empty((10,), requires_grad=True)


class _BadSequence:
    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        raise TypeError


class _GoodSequence(_BadSequence):
    def __getitem__(self, i):
        return self.items[i]


@program
def tensor_from_a_sequence_object(torch):
    return torch.tensor(_GoodSequence([1.0, 2.0, 3.0]))


@error(ValueError, r"could not determine the shape of object type '_BadSequence'")
def tensor_from_a_broken_sequence(torch):
    torch.tensor(_BadSequence([1.0, 2.0, 3.0]))


@program
def scalar_casts(torch):
    out = []
    for t in (torch.tensor([1.5]), torch.zeros(1, 1, 1, 1), torch.tensor([1.0, 2.0, 3.0])[2:]):
        out += [int(t), float(t), complex(t)]
    return out


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def int_of_a_multi_element_tensor(torch):
    int(torch.Tensor([1, 2]))


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def float_of_an_empty_tensor(torch):
    float(torch.Tensor([]))


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def complex_of_a_matrix(torch):
    complex(torch.Tensor([[1, 2], [3, 4]]))


@program
def tensor_copies_and_bool_dtype(torch):
    expected = torch.Tensor([1, 1])
    res2 = torch.tensor(expected)
    res2[1] = 2
    out = [expected, res2, torch.tensor(expected, dtype=torch.int)]
    for dt in (np.float64, np.int64, np.int8, np.uint8):
        a = np.array([5.0]).astype(dt)
        r = torch.tensor(a)
        a[0] = 7
        out.append(r)
    i64max = torch.iinfo(torch.int64).max
    i64min = torch.iinfo(torch.int64).min
    f64max = torch.finfo(torch.float64).max
    f64min = torch.finfo(torch.float64).min
    for values in ([-1, -1.1, 0, 1, 1.1], [-0.1, -1.1, 0, 1, 0.1], (-0.3, 0, 0.3, 1, 3 / 7),
                   (float("nan"), 0, i64min, i64max, i64min - 1),
                   (i64max + 1, 0, (i64max + 1) * 2, (i64max + 1) * 2 + 1, f64min),
                   (f64max, 0, f64max + 1, f64min - 1, f64max + 1e291),
                   [1e-323, 1e-324, 0, 1e-300, 1e-330],
                   (1e323, -1e323, float("inf"), -float("inf"))):  # fmt: skip
        out.append(torch.tensor(values, dtype=torch.bool))
    return out


@program
def tensor_copy_of_a_tensor_leaf_flags(torch):
    source = torch.randn(5, 5, dtype=torch.double, requires_grad=True)
    c = torch.randn(1)
    out = []
    for t in (torch.tensor(source), torch.tensor(source, requires_grad=False),
              torch.tensor(source, requires_grad=True), c.new_tensor(source),
              c.new_tensor(source, requires_grad=True)):  # fmt: skip
        out += [t, t.is_leaf, t.requires_grad, t.data_ptr() != source.data_ptr()]
    a = torch.as_tensor(source)
    b = torch.as_tensor(source, dtype=torch.float)
    return out + [a is source, b.is_leaf, b.requires_grad, b.grad_fn.name(), b]


@program
def tensor_dtype_inference_with_numpy(torch):
    return [torch.tensor(np.array(())).dtype, torch.tensor(np.array(5.0)).dtype,
            torch.tensor(np.array(5)).dtype, torch.tensor(np.array(3, dtype=np.uint8)).dtype,
            torch.tensor(((7, np.array(5)), (np.array(9), 5.0))).dtype,
            torch.tensor(((7, 5), (9, np.array(5.0)))).dtype,
            torch.tensor(((5, np.array(3)), (np.array(3), 5))).dtype,
            torch.tensor(((7, 5), (9, 5.0))).dtype, torch.tensor(((5.0, 5), (3, 5))).dtype,
            torch.tensor(((5, 3), (3, 5))).dtype, torch.tensor(True).dtype,
            torch.tensor(5, dtype=torch.int32).dtype]  # fmt: skip


@program
def new_tensor_forms(torch):
    expected = torch.ByteTensor([1, 1])
    r1 = expected.new_tensor([1, 1])
    r2 = expected.new_tensor([1, 1], dtype=torch.int)
    r3 = expected.new_tensor(expected)
    r3[1] = 2
    a = np.array([5.0])
    r4 = torch.tensor(a).new_tensor(a)
    a[0] = 7.0
    return [r1, r2, r3, expected, r4, expected.new_tensor(1), expected.new_tensor(2.5).dtype]


@error(TypeError, r"invalid data type 'str'")
def tensor_of_a_string_element(torch):
    torch.tensor([0, "torch"])


@error(TypeError, r"invalid data type 'str'")
def as_tensor_of_a_string_element(torch):
    torch.as_tensor([0, "torch"])


@error(TypeError, r"self-referential lists are incompatible")
def tensor_of_a_self_referential_list(torch):
    z = [0]
    z += [z]
    torch.tensor(z)


@error(TypeError, r"self-referential lists are incompatible")
def as_tensor_of_a_nested_self_referential_list(torch):
    z = [0]
    z += [z]
    torch.as_tensor([[1, 2], z])


@program
def as_tensor_aliasing(torch):
    x = [[0, 1], [2, 3]]
    y = torch.tensor(x)
    out = [torch.as_tensor(x), torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y) is y,
           torch.as_tensor(y, dtype=torch.float32) is y, torch.as_tensor(y, device="cpu") is y]  # fmt: skip
    for dt in (np.float64, np.int64, np.int8, np.uint8):
        n = (np.arange(30).reshape(5, 6) % 7).astype(dt)
        t = torch.as_tensor(n)
        t[0][0] = 25.7
        out += [t, torch.tensor(n)]
    n = np.arange(30, dtype=np.float32).reshape(5, 6)
    t = torch.as_tensor(n, dtype=torch.float64)
    t[0][1] = 250.8
    return out + [t, torch.tensor(n, dtype=torch.float64)]


@program
def tensor_from_nonwritable_array_no_warning(torch):
    a = np.arange(5.0)
    a.flags.writeable = False
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t = torch.tensor(a)
    return [t, len(w)]


@program
def tensor_device_forms(torch):
    return [torch.tensor(5).device, torch.ones((2, 3), device="cpu").device,
            torch.ones((2, 3), device="cpu:0").device, str(torch.ones(2, device="cpu:0").device),
            torch.tensor(torch.ones((2, 3)), device="cpu:0").device,
            torch.tensor(np.zeros((2, 3)), device="cpu").device,
            torch.tensor(torch.tensor((1, 2, 3)), dtype=torch.float64).device]  # fmt: skip


# ---- legacy constructors / default dtype ------------------------------------------------------
@program
def legacy_ctors_of_numpy_arrays(torch):
    out = []
    for dt in (np.double, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8,
               np.bool_):  # fmt: skip
        a = np.array([1, 2, 3, 4], dtype=dt)
        out += [torch.DoubleTensor(a), torch.FloatTensor(a), torch.HalfTensor(a)]
    return out


@program
def legacy_type_dtypes(torch):
    return [torch.ByteTensor.dtype, torch.FloatTensor.dtype, torch.DoubleTensor.dtype,
            torch.tensor([]).type(), torch.tensor([]).dtype is torch.get_default_dtype()]  # fmt: skip


@program
def set_default_dtype_accepts_floats(torch):
    prev = torch.get_default_dtype()
    out = []
    try:
        for dt in (torch.float16, torch.float64, torch.bfloat16, torch.float32):
            torch.set_default_dtype(dt)
            out += [torch.get_default_dtype(), torch.tensor(1.5).dtype, torch.zeros(1).dtype]
    finally:
        torch.set_default_dtype(prev)
    return out


@error(TypeError, r"only floating-point types are supported as the default type")
def set_default_dtype_int(torch):
    torch.set_default_dtype(torch.int32)


@error(TypeError, r"only floating-point types are supported as the default type")
def set_default_dtype_bool(torch):
    torch.set_default_dtype(torch.bool)


@error(RuntimeError, r"Legacy tensor constructor of the form torch.Tensor\(tensor, device=device\) is not supported.  Use torch.tensor\(...\) or torch.as_tensor\(...\) instead.")  # fmt: skip
def tensor_ctor_with_a_tensor_and_device(torch):
    torch.Tensor(torch.tensor([1]), device="cpu")


@error(RuntimeError, r"Legacy tensor new of the form tensor.new\(tensor, device=device\) is not supported.  Use torch.as_tensor\(...\) instead.")  # fmt: skip
def new_with_a_tensor_and_device(torch):
    i = torch.tensor([1])
    i.new(i, device="cpu")


@error(RuntimeError, r"Legacy tensor constructor of the form torch.Tensor\(tensor, device=device\) is not supported.")  # fmt: skip
def typed_ctor_with_a_tensor_and_device(torch):
    torch.FloatTensor(torch.tensor([1.0]), device="cpu")


@program
def legacy_new_with_device(torch):
    x = torch.randn(3, dtype=torch.float64)
    return [x.new(2, 3, device="cpu").shape, x.new((2.0, 3.0), device="cpu"),
            x.new(device="cpu").shape, x.new(torch.Size([2, 4]), device="cpu").dtype]  # fmt: skip


# ---- meshgrid / cartesian_prod / combinations ------------------------------------------------
@program
def meshgrid_indexings(torch):
    a, b, c = torch.tensor(1), torch.tensor([1, 2, 3]), torch.tensor([1, 2])
    return [torch.meshgrid([a, b, c], indexing="ij"), torch.meshgrid(a, b, c, indexing="ij"),
            torch.meshgrid([a, b, c], indexing="xy"), torch.meshgrid(a, b, c, indexing="xy"),
            torch.meshgrid(a, b, c), torch.meshgrid([a, b, c])]  # fmt: skip


@program
def meshgrid_vs_shapes(torch):
    out = []
    for shapes in ([[]], [[1], [1], [1]], [[], [], []], [[3], [5], [7]], [[3], [], [7]], [[11], [13]], [[15]]):  # fmt: skip
        ts = [torch.arange(int(np.prod(s)), dtype=torch.int32).reshape(s) for s in shapes]
        for kw in ({}, {"indexing": "xy"}, {"indexing": "ij"}):
            out.append(torch.meshgrid(*ts, **kw))
    return out


@error(RuntimeError, r"expects a non-empty TensorList")
def meshgrid_of_nothing(torch):
    torch.meshgrid()


@error(RuntimeError, r'indexing must be one of "xy" or "ij"')
def meshgrid_bad_indexing(torch):
    torch.meshgrid(torch.tensor([1, 2]), indexing="")


@error(RuntimeError, r"Expected 0D or 1D tensor")
def meshgrid_of_a_matrix(torch):
    torch.meshgrid(torch.tensor([[1, 2], [3, 4]]))


@error(RuntimeError, r"expects all tensors to have the same dtype")
def meshgrid_mixed_dtypes(torch):
    torch.meshgrid(torch.tensor([1], dtype=torch.int), torch.tensor([2], dtype=torch.float))


@program
def cartesian_prod_forms(torch):
    a, b, c = torch.tensor([1]), torch.tensor([1, 2, 3]), torch.tensor([1, 2])
    d = torch.empty(0, dtype=b.dtype)
    return [
        torch.cartesian_prod(a, b, c),
        torch.cartesian_prod(a, b, c, d),
        torch.cartesian_prod(b),
    ]


@program
def combinations_forms(torch):
    a = torch.tensor([1, 2, 3])
    e = torch.empty(0)
    return [torch.combinations(a, r=0), torch.combinations(a, r=1),
            torch.combinations(a, r=1, with_replacement=True), torch.combinations(a),
            torch.combinations(a, with_replacement=True), torch.combinations(a, r=3),
            torch.combinations(a, r=4), torch.combinations(a, r=5), torch.combinations(e),
            torch.combinations(e, with_replacement=True)]  # fmt: skip


# ---- conversions of extreme values --------------------------------------------------------------
@program
def tensor_of_values_beyond_the_float_range(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        for v in (2**24 + 1, 2**53 + 1, np.iinfo(np.int64).max, np.iinfo(np.uint64).max,
                  np.iinfo(np.uint64).max + 1, -1e500, 1e500):  # fmt: skip
            out.append(torch.tensor(v, dtype=dt))
    return out


@program
def float_to_int_casts_finite(torch):
    vals = (-2, -1.5, -0.5, 0, 0.5, 1.5, 2)
    return [torch.tensor(vals, dtype=torch.float).to(dt)
            for dt in (torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)]  # fmt: skip


# ---- random_ / uniform_ / normal ---------------------------------------------------------------
@program
def random_bounds_by_dtype(torch):
    out = []
    for dt in (torch.float32, torch.float64, torch.int8, torch.int16, torch.int32, torch.int64):
        t = torch.empty(200, dtype=dt)
        t.fill_(-1)
        t.random_(1, 4)
        out += [t.min().item(), t.max().item()]
        t.fill_(-1)
        t.random_(4)
        out += [t.min().item(), t.max().item(), t.dtype]
    res = torch.rand(10, 10)
    for dt in (torch.double, torch.float, torch.long, torch.int, torch.short):
        r = res.to(dtype=dt).random_(-10, -1)
        out += [r.max().item() <= -2, r.min().item() >= -10]
    return out


@program
def random_of_bool(torch):
    t = torch.empty(2000, dtype=torch.bool)
    out = []
    for v in (False, True):
        t.fill_(v)
        t.random_()
        out += [t.min().item(), t.max().item(), 0.4 < t.int().sum().item() / 2000 < 0.6]
    t.random_(0, 2)
    return out + [t.dtype]


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=42 >= to=42")
def random_empty_range(torch):
    torch.empty(5).random_(42, 42)


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=0 >= to=-42")
def random_to_negative(torch):
    torch.empty(5).random_(-42)


@error(RuntimeError, r"from is out of bounds for bool")
def random_bool_from_out_of_bounds(torch):
    torch.empty(5, dtype=torch.bool).random_(-1, 1)


@error(RuntimeError, r"to - 1 is out of bounds for bool")
def random_bool_to_out_of_bounds(torch):
    torch.empty(5, dtype=torch.bool).random_(0, 3)


@error(RuntimeError, r"from is out of bounds for unsigned char")
def random_uint8_from_out_of_bounds(torch):
    torch.empty(5, dtype=torch.uint8).random_(-1, 3)


@error(RuntimeError, r"to - 1 is out of bounds for signed char")
def random_int8_to_out_of_bounds(torch):
    torch.empty(5, dtype=torch.int8).random_(0, 129)


@program
def random_float_bounds_warn(torch):
    out = []
    for dt, lim in ((torch.float32, 2**24), (torch.float16, 2**11)):
        t = torch.empty(50, dtype=dt)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t.random_(0, lim + 10)
            t.random_(-lim - 10, 0)
        out.append(sorted(str(x.message).split(" (Triggered")[0] for x in w))
    return out


@program
def random_full_range_and_default(torch):
    out = []
    for dt in (torch.float32, torch.float16, torch.int16, torch.uint8, torch.int8):
        t = torch.empty(2000, dtype=dt)
        t.random_()
        out += [t.min().item() >= 0, t.dtype]
        t.random_(-3 if dt != torch.uint8 else 0, None)
        out.append(t.to(torch.double).min().item() >= (-3 if dt != torch.uint8 else 0))
    return out


@program
def uniform_from_to(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        for a, b in ((-42, 42), (0, 0), (0, 42), (-42, 0), (42, 42)):
            t = torch.empty(2000, dtype=dt).uniform_(a, b)
            out += [t.min().item() >= a, t.max().item() <= b, t.dtype]
    return out


@error(RuntimeError, r"uniform_ expects to return a \[from, to\) range, but found from=42 > to=-42")
def uniform_reversed(torch):
    torch.empty(5).uniform_(42, -42)


@error(RuntimeError, r"uniform_ expects to-from <= std::numeric_limits<Float>::max\(\), but found to=3.40282e\+38 and from=-3.40282e\+38 which result in to-from to exceed the limit")  # fmt: skip
def uniform_range_too_wide(torch):
    f = torch.finfo(torch.float)
    torch.empty(5).uniform_(f.min, f.max)


@program
def normal_variants(torch):
    g = torch.Generator().manual_seed(3)
    mean = torch.empty(20, 20)
    mean[:10].fill_(0)
    mean[10:].fill_(1)
    std = torch.empty(20, 20)
    std[:, :10] = 4
    std[:, 10:] = 1
    r = torch.empty(20, 20)
    torch.normal(2, 0, (10, 10), out=r)
    mean_rand = torch.randn(10, 10, generator=g)
    r2 = torch.empty(10, 10)
    torch.normal(mean_rand, 0, out=r2)
    r3 = torch.empty(10, 10)
    torch.normal(2, torch.zeros(10, 10), out=r3)
    r4 = torch.empty(10, 10)
    torch.normal(mean_rand, torch.zeros(10, 10), out=r4)
    return [torch.normal(mean).shape, torch.normal(mean, 3).dtype, torch.normal(2, std).shape,
            torch.normal(mean, std).dtype, torch.normal(mean=torch.empty(0, 2), std=torch.empty(0, 1)).shape,
            torch.normal(2, 3, (10, 10), dtype=torch.float64).dtype, r, r2.equal(mean_rand), r3, r4.equal(mean_rand),
            torch.normal(mean.double()).dtype]  # fmt: skip


@error(RuntimeError, r"normal expects std >= 0.0, but found std -1")
def normal_negative_std_number(torch):
    torch.normal(0, -1, (10,))


@error(RuntimeError, r"normal expects std >= 0.0, but found std -1")
def normal_tensor_mean_negative_std_number(torch):
    torch.normal(torch.tensor(0.0), -1, (10,))


@error(RuntimeError, r"normal expects all elements of std >= 0.0")
def normal_negative_std_tensor(torch):
    torch.normal(torch.tensor(0.0), torch.tensor(-1.0))


@error(RuntimeError, r"normal expects all elements of std >= 0.0")
def normal_number_mean_negative_std_tensor(torch):
    torch.normal(0, torch.tensor(-1.0))


# ---- randint / rand / randn / randperm with generators and out= -----------------------------------
@program
def randint_dtype_inference(torch):
    out = []
    for args in ((3,), (1, 3)):
        out += [torch.randint(*args, size=(2, 1)).dtype, torch.randint(*args, size=(2, 1), layout=torch.strided).dtype,
                torch.randint(*args, size=(2, 1), generator=torch.default_generator).dtype,
                torch.randint(*args, size=(2, 1), dtype=torch.float32).dtype]  # fmt: skip
        o = torch.empty((2, 1), dtype=torch.float32)
        out += [torch.randint(*args, size=(2, 1), out=o).dtype, torch.randint(*args, size=(2, 1), out=o, dtype=torch.float32).dtype]  # fmt: skip
        o = torch.empty((2, 1), dtype=torch.int64)
        out += [torch.randint(*args, size=(2, 1), out=o).dtype, torch.randint(*args, size=(2, 1), out=o, dtype=torch.int64).dtype]  # fmt: skip
    return out


@program
def randint_reproducible_forms(torch):
    out = []
    for gen in (None, torch.Generator()):

        def seed(gen=gen):
            if gen is None:
                torch.manual_seed(123456)
            else:
                gen.manual_seed(123456)
            return gen

        r1 = torch.randint(0, 6, (10, 10), generator=seed())
        r2 = torch.empty((), dtype=torch.int64)
        torch.randint(0, 6, (10, 10), generator=seed(), out=r2)
        r3 = torch.randint(6, (10, 10), generator=seed())
        r4 = torch.empty((), dtype=torch.int64)
        torch.randint(6, (10, 10), out=r4, generator=seed())
        out += [
            r1.equal(r2),
            r1.equal(r3),
            r1.equal(r4),
            r1.shape,
            bool((r1 < 6).all()),
            bool((r1 >= 0).all()),
        ]
    return out


@program
def rand_randn_out_reproducible(torch):
    out = []
    for f in (torch.rand, torch.randn):
        for dt in (torch.float32, torch.float64):
            for size in (0, 10):
                torch.manual_seed(123456)
                r1 = f(size, size, dtype=dt)
                r2 = torch.tensor([], dtype=dt)
                torch.manual_seed(123456)
                f(size, size, out=r2)
                out += [r1.equal(r2), r2.shape, r2.dtype]
    return out


@program
def randperm_forms(torch):
    out = []
    for n in (5, 100, 3000):
        for dt in (torch.long, torch.half, torch.float, torch.float64):
            if n > 2049 and dt == torch.half:
                continue
            s = torch.random.get_rng_state()
            r1 = torch.randperm(n, dtype=dt)
            torch.random.set_rng_state(s)
            r2 = torch.empty(0, dtype=dt)
            torch.randperm(n, out=r2, dtype=dt)
            out += [r1.equal(r2), r1.dtype, r1.sort().values.long().equal(torch.arange(n))]
    r0 = torch.tensor(5)
    torch.randperm(0, out=r0)
    out += [torch.randperm(100).dtype, torch.randperm(0).numel(), r0.numel()]
    for n in (4, 5, 6):
        nc = torch.zeros((2, 3), dtype=torch.long).t()
        s = torch.random.get_rng_state()
        r = torch.randperm(n)
        torch.random.set_rng_state(s)
        torch.randperm(n, out=nc)
        out += [nc.equal(r), nc.shape]
    res = torch.empty(0, dtype=torch.uint8)
    torch.randperm(2**8, out=res)
    return out + [res.shape, res.dtype]


@error(RuntimeError, r"n cannot be greater than 2049 for Half type.")
def randperm_too_large_for_half(torch):
    torch.randperm(2**11 + 2, out=torch.empty(0, dtype=torch.half))


@error(NotImplementedError, r"\"randperm\" not implemented for 'Bool'")
def randperm_of_bool(torch):
    torch.randperm(3, dtype=torch.bool)


@error(RuntimeError, r"n cannot be greater than 2\^24\+1 for Float type.")
def randperm_too_large_for_float(torch):
    torch.randperm(2**24 + 2, dtype=torch.float32)


@error(RuntimeError, r"value cannot be converted to type int8_t without overflow")
def randperm_too_large_for_int8(torch):
    torch.randperm(129, dtype=torch.int8)


@error(RuntimeError, r"value cannot be converted to type uint8_t without overflow")
def randperm_too_large_for_uint8(torch):
    torch.randperm(2**8 + 1, out=torch.empty(0, dtype=torch.uint8))


# ---- *_like ------------------------------------------------------------------------------
@program
def full_like_and_ones_like_inference(torch):
    like = torch.empty((5,), dtype=torch.long)
    b = torch.tensor([True, True])
    return [torch.full_like(like, 1.0), torch.full_like(like, 1.9, dtype=torch.float64),
            torch.ones_like(b), torch.zeros_like(torch.zeros(3, 3)), torch.ones_like(torch.ones(3, 3)),
            torch.empty_like(torch.tensor([])).shape, torch.empty_like(torch.IntTensor([1, 2, 3])).type(),
            torch.empty_like(torch.randn(4, 4)).type()]  # fmt: skip


def _strides(t) -> list:
    """The strides of the dims longer than 1 (a size-1 dim's stride is arbitrary)."""
    return [s for s, n in zip(t.stride(), t.shape) if n > 1]


@program
def like_factories_follow_strides(torch):
    tset = (torch.randn(4, 3, 2), torch.randn(4, 3, 2)[:, :, ::2],
            torch.empty_strided((4, 3, 2), (10, 3, 1)).fill_(1.0),
            torch.empty_strided((4, 3, 2), (10, 0, 3)).fill_(1.0),
            torch.empty_strided((4, 3, 2), (4, 2, 1))[:, :, ::2].fill_(1.0))  # fmt: skip
    fns = (lambda t: torch.zeros_like(t), lambda t: torch.ones_like(t),
           lambda t: torch.randint_like(t, 10, 100), lambda t: torch.randint_like(t, 100),
           lambda t: torch.randn_like(t), lambda t: torch.rand_like(t), lambda t: torch.full_like(t, 7),
           lambda t: torch.empty_like(t))  # fmt: skip
    out = []
    for fn in fns:
        for t in tset:
            for p in ((0, 1, 2), (2, 0, 1), (1, 2, 0)):
                tp = t.permute(p)
                out.append(_strides(fn(tp)) == _strides(torch.exp(tp)))
    return out


# ---- frombuffer / asarray ------------------------------------------------------------------
@program
def frombuffer_counts_and_offsets(torch):
    out = []
    for dt, npdt in ((torch.float32, np.float32), (torch.int16, np.int16), (torch.uint8, np.uint8),
                     (torch.float64, np.float64), (torch.bool, np.bool_)):  # fmt: skip
        arr = (np.arange(5) % 2 if npdt == np.bool_ else np.arange(5)).astype(npdt)
        size = arr.itemsize
        for count, first in ((-1, 0), (1, 0), (5, 0), (2, 3), (-1, 4), (3, 1)):
            t = torch.frombuffer(memoryview(arr), dtype=dt, count=count, offset=first * size)
            out.append(t)
        t = torch.frombuffer(arr, dtype=dt, requires_grad=dt.is_floating_point)
        out += [t.requires_grad]
    return out


@program
def frombuffer_shares_memory(torch):
    arr = np.arange(5, dtype=np.float32)
    t = torch.frombuffer(arr, dtype=torch.float32, offset=4, count=3)
    t[:] = torch.tensor(9.0)
    arr[1] = -1
    return [
        t,
        arr,
        torch.frombuffer(np.array([-1, 0, 0, 0, -1, 0, 0, 0], dtype=np.byte), dtype=torch.int32),
    ]


@error(ValueError, r"both buffer length \(0\) and count \(-1\) must not be 0")
def frombuffer_empty(torch):
    torch.frombuffer(np.array([]), dtype=torch.float32)


@error(ValueError, r"both buffer length \(20\) and count \(0\) must not be 0")
def frombuffer_zero_count(torch):
    torch.frombuffer(np.arange(5, dtype=np.float32), dtype=torch.float32, count=0)


@error(ValueError, r"offset \(-4 bytes\) must be non-negative and no greater than buffer length \(20 bytes\) minus 1")  # fmt: skip
def frombuffer_negative_offset(torch):
    torch.frombuffer(np.arange(5, dtype=np.float32), dtype=torch.float32, offset=-4)


@error(ValueError, r"offset \(20 bytes\) must be non-negative and no greater than buffer length \(20 bytes\) minus 1")  # fmt: skip
def frombuffer_offset_at_end(torch):
    torch.frombuffer(np.arange(5, dtype=np.float32), dtype=torch.float32, offset=20)


@error(ValueError, r"buffer length \(17 bytes\) after offset \(3 bytes\) must be a multiple of element size \(4\)")  # fmt: skip
def frombuffer_unaligned_offset(torch):
    torch.frombuffer(np.arange(5, dtype=np.float32), dtype=torch.float32, offset=3)


@error(ValueError, r"requested buffer length \(4 \* 4 bytes\) after offset \(8 bytes\) must not be greater than actual buffer length \(20 bytes\)")  # fmt: skip
def frombuffer_count_too_big(torch):
    torch.frombuffer(np.arange(5, dtype=np.float32), dtype=torch.float32, count=4, offset=8)


@error(ValueError, r"object does not implement Python buffer protocol.")
def frombuffer_of_a_list(torch):
    torch.frombuffer([1, 2, 3, 4], dtype=torch.int32)


@program
def frombuffer_of_bytes_copies(torch):
    # (no check of its warning: PyTorch warns once per process, so it depends on test order)
    return torch.frombuffer(np.arange(3, dtype=np.int16).tobytes(), dtype=torch.int16)


@program
def asarray_alias_and_copy(torch):
    out = []
    for dt in (torch.float32, torch.int64, torch.bool, torch.float16):
        for kw in ({}, {"copy": False}, {"device": "cpu"}, {"dtype": dt}, {"dtype": dt, "copy": False},
                   {"requires_grad": dt.is_floating_point, "dtype": dt}, {"copy": True},
                   {"dtype": dt, "copy": True}, {"dtype": torch.float64}, {"dtype": torch.int32, "copy": True}):  # fmt: skip
            original = (torch.arange(25).reshape(5, 5) % 3).to(dt)
            r = torch.asarray(original, **kw)
            out += [r, r.data_ptr() == original.data_ptr(), r.requires_grad]
        a = original.numpy()
        for kw in ({}, {"copy": True}, {"dtype": dt}, {"dtype": torch.float64}):
            r = torch.asarray(a, **kw)
            out += [r, r.data_ptr() == a.__array_interface__["data"][0]]
        r = torch.asarray(original.tolist(), dtype=dt)
        out += [r, r.data_ptr() == original.data_ptr()]
    return out


@error(ValueError, r"can't alias arbitrary sequence into a tensor")
def asarray_alias_of_a_list(torch):
    torch.asarray([[1.0, 2.0]], copy=False)


@error(ValueError, r"can't alias tensor with dtype 'Float' into dtype 'Double'.")
def asarray_alias_with_another_dtype(torch):
    torch.asarray(torch.ones(2), dtype=torch.float64, copy=False)


@error(ValueError, r"can't alias tensor with dtype 'Float' into dtype 'Double'.")
def asarray_alias_array_with_another_dtype(torch):
    torch.asarray(np.ones(2, np.float32), dtype=torch.float64, copy=False)


@error(ValueError, r"can't alias arbitrary sequence into a tensor.")
def asarray_alias_of_a_number(torch):
    torch.asarray(3.0, copy=False)


@error(RuntimeError, r"can't alias NumPy scalars. Either remove copy=False or transform it in a ndarray.")  # fmt: skip
def asarray_alias_of_a_numpy_scalar(torch):
    torch.asarray(np.float32(2), copy=False)


@program
def asarray_alias_allowed(torch):
    t = torch.arange(4.0)
    a = np.arange(3, dtype=np.int16)
    return [torch.asarray(t, copy=False) is t, torch.asarray(t, dtype=torch.float32, copy=False) is t,
            torch.asarray(a, copy=False).data_ptr() == a.__array_interface__["data"][0],
            torch.asarray(a, dtype=torch.int16, copy=False)]  # fmt: skip


@program
def asarray_retains_autograd_history_only_with_requires_grad(torch):
    cloned = torch.randn(5, 5, requires_grad=True).clone()
    out = []
    for kw in ({}, {"requires_grad": True}, {"copy": True}, {"requires_grad": True, "copy": True},
               {"requires_grad": False}, {"requires_grad": False, "copy": True}):  # fmt: skip
        a = torch.asarray(cloned, **kw)
        out += [a.requires_grad, a.grad_fn is None]
    return out


@program
def asarray_matches_as_tensor(torch):
    out = []
    for e in (True, 42, 1.0, [True, True, False], [1, 2, 3, 42], [0.0, 1.0, 2.0, 3.0],
              [True, False, 0], [0.0, True, False], [0, 1.0, 42], [0.0, True, False, 42], range(5)):  # fmt: skip
        out += [torch.asarray(e), torch.as_tensor(e)]
    return out


# ---- signal windows ---------------------------------------------------------------------------
@program
def window_functions_forms(torch):
    out = []
    for name in ("hann", "hamming", "bartlett", "blackman"):
        fn = getattr(torch, name + "_window")
        for size in (0, 1, 2, 5, 10):
            for periodic in (True, False):
                out += [fn(size, periodic=periodic), fn(size, periodic, dtype=torch.float64)]
        out += [fn(3, requires_grad=True).requires_grad, fn(3).requires_grad]
    for beta in (0.0, 3.5, 12.0):
        out += [
            torch.kaiser_window(7, True, beta),
            torch.kaiser_window(6, False, beta, dtype=torch.float64),
        ]
    out += [torch.hamming_window(6, True, alpha=0.5, beta=0.4), torch.kaiser_window(1)]
    return out


@error(RuntimeError, r"floating point")
def hann_window_of_int_dtype(torch):
    torch.hann_window(3, dtype=torch.long)


@error(RuntimeError, r"floating point")
def kaiser_window_of_int_dtype(torch):
    torch.kaiser_window(3, dtype=torch.int32)


@error(RuntimeError, r"hann_window requires non-negative window_length, got window_length=-1")
def hann_window_negative_length(torch):
    torch.hann_window(-1)


# ---- randint / rand argument errors ------------------------------------------------------------
@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=5 >= to=3")
def randint_empty_range_reversed(torch):
    torch.randint(5, 3, (2,))


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=0 >= to=0")
def randint_zero_high(torch):
    torch.randint(0, (2,))


@error(RuntimeError, r"to - 1 is out of bounds for unsigned char")
def randint_beyond_uint8(torch):
    torch.randint(0, 300, (2,), dtype=torch.uint8)


@error(RuntimeError, r"from is out of bounds for bool")
def randint_like_bool_negative_low(torch):
    torch.randint_like(torch.zeros(3, dtype=torch.bool), -1, 2)


@program
def randint_like_and_generators(torch):
    g = torch.Generator().manual_seed(7)
    x = torch.zeros(2, 3, dtype=torch.int16)
    a = torch.randint_like(x, 10)
    b = torch.randint_like(x, 3, 10, dtype=torch.float32)
    c = torch.randint(3, 10, (2, 2), generator=g)
    g.manual_seed(7)
    d = torch.randint(3, 10, (2, 2), generator=g)
    e = torch.rand(3, generator=g.manual_seed(1))
    f = torch.rand(3, generator=torch.Generator().manual_seed(1))
    return [a.dtype, a.shape, b.dtype, bool((b >= 3).all() and (b < 10).all()), c.equal(d), e.equal(f),
            g.initial_seed(), torch.Generator().manual_seed(5).initial_seed()]  # fmt: skip


# ---- more factory arguments ---------------------------------------------------------------------
@program
def new_factories_keep_dtype_and_take_overrides(torch):
    x = torch.ones(2, dtype=torch.float64)
    i = torch.ones(2, dtype=torch.int32)
    return [x.new_full((2, 2), 3), i.new_full((3,), 2.7), x.new_zeros(2, 3), x.new_ones((1, 2), dtype=torch.int16),
            i.new_empty(3).dtype, x.new_tensor([1, 2]), i.new_tensor([1.5]), x.new_zeros(()),
            x.new_ones(torch.Size([2])), i.new_full((2,), True)]  # fmt: skip


@program
def full_fill_values_and_dtypes(torch):
    return [torch.full((2,), 7, dtype=torch.bool), torch.full((2,), -1, dtype=torch.uint8),
            torch.full((2,), 2.9, dtype=torch.int32), torch.full((2,), float("inf")),
            torch.full((2,), float("nan"), dtype=torch.float16), torch.full((), 3),
            torch.full((2, 0), 1.5).shape, torch.full([2], torch.tensor(3.5))]  # fmt: skip


@error(RuntimeError, r"value cannot be converted to type uint8_t without overflow")
def full_out_of_range_for_uint8(torch):
    torch.full((2,), 300, dtype=torch.uint8)


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[2, -1\]")
def ones_negative_size(torch):
    torch.ones(2, -1)


@error(RuntimeError, r"Trying to create tensor with negative dimension -2: \[-2\]")
def full_negative_size(torch):
    torch.full((-2,), 1.0)


@error(RuntimeError, r"Trying to create tensor with negative dimension -3: \[-3\]")
def randperm_negative(torch):
    torch.randperm(-3)


@program
def empty_and_likes_memory_formats(torch):
    x = torch.randn(2, 3, 4, 5)
    cl = x.contiguous(memory_format=torch.channels_last)
    out = [torch.empty(2, 3, 4, 5, memory_format=torch.channels_last).stride(),
           torch.zeros_like(cl).stride(), torch.ones_like(cl, memory_format=torch.contiguous_format).stride(),
           torch.empty_like(x, memory_format=torch.channels_last).stride(),
           torch.full_like(cl, 2.0).is_contiguous(memory_format=torch.channels_last),
           torch.rand_like(cl).stride(), torch.randn_like(x.transpose(0, 1)).stride()]  # fmt: skip
    return out


@program
def like_factories_with_dtype_and_requires_grad(torch):
    x = torch.ones(2, 3, dtype=torch.float16, requires_grad=True)
    return [torch.zeros_like(x), torch.ones_like(x, dtype=torch.float64), torch.full_like(x, 2, requires_grad=True),
            torch.empty_like(x, dtype=torch.int8).dtype, torch.rand_like(x, dtype=torch.float64).dtype,
            torch.randn_like(x).dtype, torch.randint_like(x, 5).dtype]  # fmt: skip


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def zeros_like_int_requires_grad(torch):
    torch.zeros_like(torch.ones(2, dtype=torch.int64), requires_grad=True)


@error(RuntimeError, r"\"check_uniform_bounds\" not implemented for 'Long'")
def rand_like_of_int(torch):
    torch.rand_like(torch.ones(2, dtype=torch.int64))


@error(RuntimeError, r"\"normal_kernel_cpu\" not implemented for 'Long'")
def randn_like_of_int(torch):
    torch.randn_like(torch.ones(2, dtype=torch.int64))


# ---- stack / cat errors --------------------------------------------------------------------------
@error(RuntimeError, r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[2, 4\] at entry 1")  # fmt: skip
def stack_unequal_sizes(torch):
    torch.stack([torch.ones(2, 3), torch.ones(2, 4)])


@error(RuntimeError, r"stack expects a non-empty TensorList")
def stack_of_nothing(torch):
    torch.stack([])


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)")
def stack_dim_out_of_range(torch):
    torch.stack([torch.ones(2, 3), torch.ones(2, 3)], dim=3)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def cat_dim_out_of_range(torch):
    torch.cat([torch.ones(2, 3), torch.ones(2, 3)], dim=2)


@program
def cat_and_stack_promote(torch):
    a = torch.ones(2, dtype=torch.int32)
    b = torch.ones(2, dtype=torch.float16)
    c = torch.ones(2, dtype=torch.bool)
    d = torch.ones(2, dtype=torch.uint8)
    e = torch.ones(2, dtype=torch.int8)
    return [torch.cat([a, b]), torch.cat([c, a]), torch.cat([d, e]), torch.stack([a, b, c]),
            torch.cat([c, c]), torch.hstack([a, torch.ones(1, dtype=torch.float64)]),
            torch.cat([a.view(2, 1), b.view(2, 1)], 1)]  # fmt: skip


@program
def cat_out_with_promotion(torch):
    out = torch.empty(0, dtype=torch.float64)
    r = torch.cat([torch.ones(2, dtype=torch.int32), torch.ones(1, dtype=torch.float16)], out=out)
    o2 = torch.empty(4, dtype=torch.int64)
    torch.cat([torch.ones(2, dtype=torch.int32), torch.ones(2, dtype=torch.uint8)], out=o2)
    return [r, out, o2]


@error(TypeError, r"torch.cat\(\): input types can't be cast to the desired output type Long")
def cat_out_float_into_long(torch):
    torch.cat([torch.ones(2), torch.ones(2)], out=torch.empty(4, dtype=torch.long))


@program
def cat_stack_backward(torch):
    a = torch.randn(2, 3, requires_grad=True)
    b = torch.randn(1, 3, requires_grad=True)
    c = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    r = torch.cat([a, b], 0)
    s = torch.stack([a, c], 1)
    (r * torch.arange(9.0).view(3, 3)).sum().backward()
    (s * 2).sum().backward()
    return [a.grad, b.grad, c.grad, r.grad_fn.name(), s.grad_fn.name(), s.dtype]


# ---- gradients through the builders --------------------------------------------------------------
@program
def builders_backward(torch):
    g = torch.Generator().manual_seed(5)
    x = torch.randn(3, 4, generator=g, requires_grad=True)
    v = torch.randn(4, generator=g, requires_grad=True)
    m = torch.randn(2, 2, generator=g, requires_grad=True)
    s = torch.randn((), generator=g, requires_grad=True)
    w = torch.arange(1.0, 13.0)
    outs = [torch.diag_embed(x, 1), torch.diagflat(v, -1), torch.block_diag(m, v, s),
            torch.cartesian_prod(v, v[:2]), torch.combinations(v, 2), torch.meshgrid(v, v[:3], indexing="xy")[0],
            torch.tril(x, -1), torch.column_stack([v, v]), torch.dstack([m, m])]  # fmt: skip
    total = sum(
        (o * w[: o.numel()].view(o.shape) if o.numel() <= 12 else o * 1.5).sum() for o in outs
    )
    total.backward()
    return [x.grad, v.grad, m.grad, s.grad] + [o.grad_fn.name() for o in outs]


@error(RuntimeError, r"triu: input tensor must have at least 2 dimensions")
def triu_of_a_vector(torch):
    torch.triu(torch.ones(3))


@error(RuntimeError, r"tril: input tensor must have at least 2 dimensions")
def tril__of_a_vector(torch):
    torch.ones(3).tril_()


@error(RuntimeError, r"Expect a 1D vector, but got shape \[2, 2\]")
def combinations_of_a_matrix(torch):
    torch.combinations(torch.ones(2, 2))


@error(RuntimeError, r"Expect a 1D vector, but got shape \[2, 2\]")
def cartesian_prod_of_a_matrix(torch):
    torch.cartesian_prod(torch.ones(2), torch.ones(2, 2))


@error(
    RuntimeError, r"fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."
)
def fill_with_a_vector(torch):
    torch.ones(3).fill_(torch.ones(1))


@program
def fill_with_tensors_and_numbers(torch):
    a = torch.ones(3, dtype=torch.int32).fill_(torch.tensor(2.7))
    b = torch.zeros(2, 2).fill_(torch.tensor(5, dtype=torch.int64))
    c = torch.zeros(3, dtype=torch.bool).fill_(2)
    d = torch.zeros(2, dtype=torch.float16).fill_(1e-8)
    e = torch.zeros(2, dtype=torch.uint8).fill_(-1)
    return [a, b, c, d, e, torch.zeros(0).fill_(3.0)]


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def roll_dim_out_of_range(torch):
    torch.ones(2, 3).roll(1, 2)


@program
def diag_embed_and_diagflat_dtypes(torch):
    return [torch.diag_embed(torch.tensor([[True, False]])), torch.diagflat(torch.tensor([1, 2], dtype=torch.int8), 1),
            torch.block_diag(torch.tensor([[True]]), torch.tensor([2])), torch.diag_embed(torch.ones(0, 2)).shape,
            torch.diag_embed(torch.tensor([1.0, 2.0]), offset=-1, dim1=1, dim2=0)]  # fmt: skip


@error(RuntimeError, r"diagonal dimensions cannot be identical 0, 0")
def diag_embed_same_dims(torch):
    torch.diag_embed(torch.ones(2, 3), dim1=0, dim2=0)


@program
def tensor_of_tensor_lists_and_requires_grad(torch):
    a = torch.tensor(1.5, requires_grad=True)
    t = torch.tensor([a, 2.0])
    u = torch.tensor([[torch.tensor(1), 2], [3, torch.tensor(4)]])
    v = torch.tensor([torch.tensor(1, dtype=torch.int8), torch.tensor(2, dtype=torch.int8)])
    w = torch.tensor([torch.tensor(1.0, dtype=torch.float64), 2])
    return [t, t.requires_grad, u, v, w, torch.tensor([[]]).shape, torch.tensor([[], []]).shape]


@error(ValueError, r"expected sequence of length 2 at dim 1 \(got 3\)")
def tensor_of_a_ragged_list(torch):
    torch.tensor([[1, 2], [3, 4, 5]])


@error(TypeError, r"can't convert np.ndarray of type numpy.object_.")
def tensor_of_an_object_array(torch):
    torch.tensor(np.array([1, "a"], dtype=object))


@program
def linspace_logspace_with_tensor_bounds(torch):
    s = torch.tensor(1.0)
    e = torch.tensor(5.0, dtype=torch.float64)
    return [torch.linspace(s, e, 5), torch.linspace(0, e, 3), torch.logspace(s, 2, 3),
            torch.linspace(torch.tensor(2), torch.tensor(8), 4), torch.logspace(0, torch.tensor(2), 3, base=3)]  # fmt: skip


@error(RuntimeError, r"linspace only supports 0-dimensional start and end tensors, but got start with 1 dimension\(s\).")  # fmt: skip
def linspace_with_a_vector_start(torch):
    torch.linspace(torch.ones(2), 5, 3)


@program
def eye_keywords(torch):
    return [torch.eye(n=2, m=3), torch.eye(3, dtype=torch.int64, requires_grad=False),
            torch.eye(2, requires_grad=True).requires_grad, torch.eye(3, 1)]  # fmt: skip


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def eye_int_requires_grad(torch):
    torch.eye(2, dtype=torch.int64, requires_grad=True)


@program
def combinations_graph(torch):
    v = torch.randn(4, requires_grad=True)
    c = torch.combinations(v, 3, with_replacement=True)
    (c * torch.arange(float(c.numel())).view(c.shape)).sum().backward()
    return [
        c,
        c.grad_fn.name(),
        v.grad,
        torch.combinations(v, 5).shape,
        torch.combinations(v, 5).grad_fn.name(),
    ]


# ---- argument types of the factories -----------------------------------------------------------
@program
def tensor_of_huge_python_numbers(torch):
    return [torch.tensor([1.5, 2**70]), torch.tensor([[1.5], [2**70]]), torch.tensor([1.5, 2**63]),
            torch.tensor([[1, 2**63]], dtype=torch.float64), torch.tensor([[2**62]])]  # fmt: skip


@error(ValueError, r"Overflow when unpacking long long")
def tensor_of_ints_beyond_int64(torch):
    torch.tensor([1, 2**63])


@error(ValueError, r"Overflow when unpacking long long")
def tensor_of_ints_beyond_int64_both_signs(torch):
    torch.tensor([2**63, -1])


@error(TypeError, r"full\(\): argument 'size' \(position 1\) must be tuple of ints, not int")
def full_of_an_int_size(torch):
    torch.full(2, 1.0)


@error(TypeError, r"eye\(\): argument 'n' \(position 1\) must be int, not float")
def eye_of_a_float(torch):
    torch.eye(2.0)


@error(TypeError, r"eye\(\) received an invalid combination of arguments - got \(int, float\), but expected one of:")  # fmt: skip
def eye_of_a_float_m(torch):
    torch.eye(2, 3.0)


@error(TypeError, r"randint\(\): argument 'high' \(position 1\) must be int, not float")
def randint_float_high(torch):
    torch.randint(3.5, (2,))


@error(TypeError, r"randint\(\): argument 'size' \(position 2\) must be tuple of ints, not int")
def randint_int_size(torch):
    torch.randint(3, 2)


@error(
    TypeError,
    r"randint\(\) received an invalid combination of arguments - got \(int, int, int\), but expected one of:",
)
def randint_low_high_int_size(torch):
    torch.randint(1, 3, 2)


@error(TypeError, r"randperm\(\): argument 'n' \(position 1\) must be int, not float")
def randperm_of_a_float(torch):
    torch.randperm(3.0)


@error(TypeError, r"new\(\): data must be a sequence \(got float\)")
def tensor_ctor_of_a_float(torch):
    torch.Tensor(2.5)


@error(TypeError, r"new\(\): data must be a sequence \(got numpy.float64\)")
def tensor_ctor_of_a_numpy_float(torch):
    torch.Tensor(np.float64(2.5))


@error(TypeError, r"cat\(\): argument 'dim' must be int, not float")
def cat_float_dim(torch):
    torch.cat([torch.ones(2)], dim=0.5)


@error(TypeError, r"cat\(\): argument 'dim' must be int, not str")
def cat_str_dim(torch):
    torch.cat([torch.ones(2, 2), torch.ones(2, 2)], dim="a")


@program
def int_like_arguments_accepted(torch):
    return [torch.eye(np.int64(2)), torch.randperm(np.int64(3)).shape, torch.randperm(torch.tensor(3)).shape,
            torch.cat([torch.ones(2)], dim=np.int64(0)), torch.full(torch.Size([2]), 1.0),
            torch.randint(np.int64(3), (2,)).shape, torch.Tensor(np.int64(2)).shape,
            torch.tril_indices(3, 3, 0, layout=torch.strided), torch.triu_indices(2, 3, layout=torch.strided)]  # fmt: skip


@program
def repeat_interleave_of_counts_keeps_their_dtype(torch):
    return [torch.repeat_interleave(torch.tensor([2, 0, 1], dtype=torch.int32)),
            torch.repeat_interleave(torch.tensor([2, 1])), torch.repeat_interleave(torch.tensor([3], dtype=torch.int32), output_size=3)]  # fmt: skip


@program
def normal_zero_dim_tensor_with_size(torch):
    return [
        torch.normal(torch.tensor(0.0), 1, (10,)).shape,
        torch.normal(0, torch.tensor(1.0), (3, 2)).shape,
    ]


@program
def tensor_infers_dtype_from_numpy_scalars_and_tensors_in_lists(torch):
    t = torch.tensor
    return [t([np.float16(1), 2]).dtype, t([[np.float16(1)], [2]]).dtype, t([[np.float32(1)], [2.5]]).dtype,
            t([np.float32(1), np.float64(2)]).dtype, t([np.int8(1), np.uint8(2)]).dtype, t([np.int8(1), 2.5]).dtype,
            t([t(1.0, dtype=torch.float16), 2]).dtype, t([t(1, dtype=torch.int8), 2.5]).dtype,
            t([np.array([1, 2], dtype=np.float16), [3, 4]]).dtype, t([t(1.0, dtype=torch.float64), 2]).dtype,
            t([t(1.0, dtype=torch.bfloat16), 2]).dtype, t([t(1.0, dtype=torch.bfloat16), 2.5]).dtype,
            t([np.float16(1), t(2.0, dtype=torch.float16)]), t([True, 2.5]).dtype, t([[True], [False]]).dtype,
            t((np.float32(1), 2)).dtype, t([]).dtype, t([[], []]).dtype]  # fmt: skip


@error(TypeError, r"normal\(\) received an invalid combination of arguments")
def normal_vector_mean_with_size(torch):
    torch.normal(torch.zeros(1), 1.0, (2,))


@error(TypeError, r"normal\(\) received an invalid combination of arguments")
def normal_grad_requiring_scalar_mean_with_size(torch):
    torch.normal(torch.zeros((), requires_grad=True), 1.0, (2,))


@program
def normal_zero_dim_tensors_read_as_numbers(torch):
    return [torch.normal(torch.zeros((), dtype=torch.float64), 1.0, (2,)).dtype,
            torch.normal(torch.zeros(()), torch.ones(()), (2,)).shape,
            torch.normal(torch.zeros((), dtype=torch.int64), 1.0, (3,)).dtype]  # fmt: skip


@error(TypeError, r"normal\(\) received an invalid combination of arguments - got \(float, float\), but expected one of:")  # fmt: skip
def normal_of_two_numbers_without_size(torch):
    torch.normal(0.0, 1.0)


@error(RuntimeError, r"invalid Poisson rate, expected rate to be non-negative")
def poisson_negative_rate(torch):
    torch.poisson(torch.tensor([1.0, -1.0]))


@error(RuntimeError, r"invalid Poisson rate, expected rate to be non-negative")
def poisson_nan_rate(torch):
    torch.poisson(torch.tensor([float("nan")]))


@error(RuntimeError, r"Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
def bernoulli_of_probabilities_beyond_one(torch):
    torch.bernoulli(torch.tensor([0.5, 1.5]))


@error(RuntimeError, r"Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
def bernoulli__with_a_tensor_beyond_one(torch):
    torch.zeros(2).bernoulli_(torch.tensor([0.5, 1.5]))


@error(RuntimeError, r"bernoulli_ expects p to be in \[0, 1\], but got p=-0.1")
def bernoulli_with_a_negative_number(torch):
    torch.bernoulli(torch.zeros(2), p=-0.1)


@program
def poisson_and_bernoulli_edges(torch):
    g = torch.Generator().manual_seed(0)
    return [torch.poisson(torch.tensor([0.0, 0.0])), torch.bernoulli(torch.tensor([0.0, 1.0]), generator=g),
            torch.zeros(3).bernoulli_(1.0), torch.ones(3, dtype=torch.int64).bernoulli_(0.0)]  # fmt: skip


# ---- out= of the factories and joiners with autograd / dtypes -----------------------------------
def _requires_grad_out(torch):
    return torch.empty(2, requires_grad=True)


@error(RuntimeError, r"^aten::full\(\): functions with out=... arguments don't support automatic differentiation")  # fmt: skip
def full_out_requires_grad(torch):
    torch.full((2,), 1.0, out=_requires_grad_out(torch))


@error(RuntimeError, r"^aten::zeros\(\): functions with out=")
def zeros_out_requires_grad(torch):
    torch.zeros(2, out=_requires_grad_out(torch))


@error(RuntimeError, r"^aten::arange\(\): functions with out=")
def arange_out_requires_grad(torch):
    torch.arange(2, out=_requires_grad_out(torch))


@error(RuntimeError, r"^aten::rand\(\): functions with out=")
def rand_out_requires_grad(torch):
    torch.rand(2, out=_requires_grad_out(torch))


@error(RuntimeError, r"^aten::randint\(\): functions with out=")
def randint_out_requires_grad(torch):
    torch.randint(3, (2,), out=_requires_grad_out(torch))


@error(RuntimeError, r"^aten::linspace\(\): functions with out=")
def linspace_out_requires_grad(torch):
    torch.linspace(0, 1, 2, out=_requires_grad_out(torch))


@error(RuntimeError, r"^cannot resize variables that require grad")
def empty_out_requires_grad(torch):
    torch.empty(2, out=_requires_grad_out(torch))


@error(RuntimeError, r"^cannot resize variables that require grad")
def randn_out_requires_grad(torch):
    torch.randn(2, out=_requires_grad_out(torch))


@error(RuntimeError, r"^cat\(\): functions with out=")
def cat_out_requires_grad(torch):
    torch.cat([torch.ones(1), torch.ones(1)], out=_requires_grad_out(torch))


@error(TypeError, r"ones_like\(\) got an unexpected keyword argument 'out'")
def ones_like_with_out(torch):
    torch.ones_like(torch.ones(2), out=torch.ones(2))


@error(TypeError, r"torch.cat\(\): input types can't be cast to the desired output type Int")
def stack_float_into_int_out(torch):
    torch.stack([torch.ones(2)], out=torch.empty(1, 2, dtype=torch.int32))


@error(TypeError, r"torch.cat\(\): input types can't be cast to the desired output type Int")
def hstack_float_into_int_out(torch):
    torch.hstack([torch.ones(2)], out=torch.empty(2, dtype=torch.int32))


@program
def factory_and_joiner_outs_noncontiguous(torch):
    outs = [torch.zeros(6)[::2], torch.zeros(6)[::2], torch.zeros(3, 6)[:, ::2], torch.zeros(6)[::2],
            torch.zeros(6, dtype=torch.int64)[::2], torch.empty(2, 4).t()]  # fmt: skip
    torch.ones(3, out=outs[0])
    torch.full((3,), 2, out=outs[1])
    torch.eye(3, out=outs[2])
    torch.linspace(0, 1, 3, out=outs[3])
    torch.arange(3, out=outs[4])
    torch.cat([torch.ones(2, 2), torch.zeros(2, 2)], 1, out=outs[5])
    r = torch.empty(0)
    torch.stack([torch.ones(2), torch.zeros(2)], out=r)
    h = torch.empty(4)
    torch.hstack([torch.ones(2), torch.ones(2, dtype=torch.int32)], out=h)
    return outs + [outs[5].stride(), r, h, torch.zeros(2, 3, out=torch.empty(3, 3)).shape]


@program
def arange_keyword_forms(torch):
    return [torch.arange(end=4), torch.arange(start=1, end=4), torch.arange(2, 5, step=2),
            torch.arange(end=2.5, dtype=torch.float64), torch.arange(0, 5, torch.tensor(2))]  # fmt: skip


@error(TypeError, r"arange\(\) received an invalid combination of arguments - got \(int, step=float\), but expected one of:")  # fmt: skip
def arange_end_with_step_only(torch):
    torch.arange(3, step=0.5)


@error(TypeError, r"arange\(\): argument 'end' \(position 1\) must be Number, not Tensor")
def arange_of_a_vector(torch):
    torch.arange(torch.tensor([2]))


@program
def tensor_copy_keeps_memory_order(torch):
    x = torch.arange(24).view(2, 3, 4).permute(2, 0, 1)
    return [torch.tensor(x).stride(), torch.tensor(x[::2]).stride(), torch.tensor(x.float()).is_contiguous(),
            x.new_tensor(x).stride(), torch.tensor(x, dtype=torch.float64).stride(),
            torch.tensor(torch.arange(6).view(2, 3).t()).stride(), torch.tensor(x)]  # fmt: skip


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def asarray_int_list_requires_grad(torch):
    torch.asarray([1, 2], requires_grad=True)


@program
def asarray_of_python_buffers(torch):
    b = bytearray(b"abcd")
    t = torch.asarray(b, dtype=torch.int16)
    c = torch.asarray(b, dtype=torch.uint8, copy=True)
    b[0] = 0
    a = np.arange(3, dtype=np.int32)
    return [t, c, torch.asarray(memoryview(a), dtype=torch.int32), torch.asarray(memoryview(a)).dtype,
            torch.asarray(memoryview(bytearray(b"ab")), dtype=torch.uint8), torch.asarray(np.float64(2.5))]  # fmt: skip


@error(ValueError, r"buffer length \(2 bytes\) after offset \(0 bytes\) must be a multiple of element size \(4\)")  # fmt: skip
def asarray_of_short_bytes(torch):
    torch.asarray(b"ab")


@program
def random_from_without_upper_bound_draws(torch):
    torch.manual_seed(0)
    return [torch.empty(4, dtype=torch.int16).random_(-3, None), torch.empty(3, dtype=torch.int64).random_(5, None),
            torch.empty(3).random_(-7, None), torch.empty(3, dtype=torch.float64).random_(2, None),
            torch.empty(3, dtype=torch.uint8).random_(3, None), torch.empty(3, dtype=torch.bool).random_(0, None),
            torch.empty(2, dtype=torch.int32).random_(1)]  # fmt: skip


@program
def seeded_factory_streams(torch):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    return [torch.randperm(10), torch.randint(0, 10, (5,)), torch.rand(3), torch.randn(2, generator=g),
            torch.randperm(5, generator=g), torch.randint(3, 9, (4,), dtype=torch.int16, generator=g),
            torch.empty(4).random_(0, 10, generator=g), torch.empty(3, dtype=torch.int8).random_(),
            torch.empty(3).uniform_(-2, 2, generator=g), torch.normal(1.0, 2.0, (3,), generator=g),
            torch.randperm(300)[:5], torch.randperm(6, dtype=torch.float16)]  # fmt: skip


def test_set_default_tensor_type_of_a_dtype():
    """PyTorch's TypeError (its message here: an oracle program would use up PyTorch's
    warn-once deprecation warning, which test_torch_aliases checks)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError, match="^invalid type object: only floating-point types are supported as the default type$"):  # fmt: skip
            minitorch.set_default_tensor_type(minitorch.float32)


@error(
    TypeError, r"hann_window\(\): argument 'window_length' \(position 1\) must be int, not float"
)
def hann_window_of_a_float(torch):
    torch.hann_window(3.0)


@error(RuntimeError, r"^Only Tensors of floating point and complex dtype can require gradients")
def frombuffer_int_requires_grad(torch):
    torch.frombuffer(bytearray(8), dtype=torch.int32, requires_grad=True)


@error(RuntimeError, r"^Only Tensors of floating point and complex dtype can require gradients")
def empty_strided_int_requires_grad(torch):
    torch.empty_strided((2, 2), (1, 2), dtype=torch.int64, requires_grad=True)


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[2, -1\]")
def empty_strided_negative_size(torch):
    torch.empty_strided((2, -1), (1, 2))


@error(
    RuntimeError, r"Storage size calculation overflowed with sizes=\[2, 2\] and strides=\[1, -2\]"
)
def empty_strided_negative_stride(torch):
    torch.empty_strided((2, 2), (1, -2))


@program
def frombuffer_and_empty_strided_requires_grad(torch):
    return [torch.frombuffer(bytearray(8), dtype=torch.float32, requires_grad=True).requires_grad,
            torch.empty_strided((2, 2), (1, 2), requires_grad=True).is_leaf,
            torch.empty_strided((2,), (1,), dtype=torch.float16).dtype]  # fmt: skip


@error(TypeError, r"full\(\): argument 'fill_value' \(position 2\) must be Number, not Tensor")
def full_with_a_vector_fill(torch):
    torch.full((2,), torch.ones(1))


@program
def like_factories_take_layout_and_pin_memory(torch):
    x = torch.ones(2, 3)
    return [torch.zeros_like(x, layout=torch.strided), torch.ones_like(x, layout=torch.strided, pin_memory=False),
            torch.empty_like(x, layout=torch.strided).shape, torch.full((2,), torch.tensor(2.5))]  # fmt: skip
