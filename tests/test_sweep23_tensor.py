"""Session 13 sweep of tensor semantics as PyTorch's own tests check them (test_view_ops,
test_indexing, test_type_promotion, test_shape_ops, test_tensor_creation_ops): which ops
return views, advanced and boolean indexing, type promotion, shape ops and factories. Each
program runs with PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


# ---- views ------------------------------------------------------------------------------------


def isview(base, v):
    return (
        v._is_view(),
        v._base is base,
        v.untyped_storage().data_ptr() == base.untyped_storage().data_ptr(),
    )


@program
def view_flags_many(torch):
    t = torch.arange(24.0).reshape(2, 3, 4).clone()
    out = []
    for f in [
        lambda x: x.view(6, 4),
        lambda x: x.t() if x.dim() < 3 else x.transpose(0, 2),
        lambda x: x.permute(2, 0, 1),
        lambda x: x.diagonal(0, 1, 2),
        lambda x: x.narrow(1, 1, 2),
        lambda x: x.select(0, 1),
        lambda x: x.unbind(1)[0],
        lambda x: x.split(2, 2)[1],
        lambda x: x.chunk(2, 0)[0],
        lambda x: x.unflatten(2, (2, 2)),
        lambda x: x.flatten(1),
        lambda x: x.movedim(0, 2),
        lambda x: x.squeeze(),
        lambda x: x.unsqueeze(1),
        lambda x: x.expand(3, 2, 3, 4),
        lambda x: x.unfold(2, 2, 1),
        lambda x: x.view_as(x),
        lambda x: x.swapaxes(0, 1),
        lambda x: x.mT,
        lambda x: x.real,
        lambda x: x.detach(),
        lambda x: x[..., 1],
        lambda x: x[:, 1:],
        lambda x: x[None],
        lambda x: x.as_strided((2, 2), (1, 2)),
        lambda x: x.tensor_split(3, 1)[2],
        lambda x: x.hsplit(3)[0],
        lambda x: x.vsplit(2)[1],
        lambda x: x.dsplit(2)[0],
        lambda x: torch.split_with_sizes(x, [1, 3], 2)[1],
        lambda x: x.view(torch.int32),
        lambda x: x.alias() if hasattr(x, "alias") else x.view(x.shape),
    ]:
        v = f(t)
        out.append(isview(t, v))
    return out


@program
def not_views(torch):
    t = torch.arange(24.0).reshape(2, 3, 4).clone()
    out = []
    for f in [
        lambda x: x.flip(0),
        lambda x: x.roll(1),
        lambda x: x.rot90(),
        lambda x: x[[0, 1]],
        lambda x: x[x > 3],
        lambda x: x.clone(),
        lambda x: x.contiguous(),
        lambda x: x.reshape(-1),
        lambda x: x.transpose(0, 1).reshape(-1),
        lambda x: x.flatten(),
        lambda x: x.to(torch.float32),
        lambda x: x.float(),
        lambda x: x.type(torch.float32),
    ]:
        v = f(t)
        out.append(
            (
                v._is_view(),
                v._base is t,
                v is t,
                v.untyped_storage().data_ptr() == t.untyped_storage().data_ptr(),
            )
        )
    return out


@program
def view_of_view_base(torch):
    t = torch.arange(12.0)
    v = t.view(3, 4)
    w = v[1]
    u = w.unsqueeze(0)
    return w._base is t, u._base is t, v._base is t, t._base is None, u._is_view()


@program
def contiguous_on_contiguous_is_self(torch):
    t = torch.ones(3, 4)
    return t.contiguous() is t, t.t().contiguous() is t, t.t().contiguous()._is_view()


@program
def reshape_view_or_copy(torch):
    t = torch.arange(12.0).reshape(3, 4)
    a = t.reshape(4, 3)
    b = t.t().reshape(12)
    c = t.t().reshape(4, 3)
    return (
        a._is_view(),
        b._is_view(),
        c._is_view(),
        t.t().flatten(0, 1)._is_view(),
        t[:, :2].reshape(6)._is_view(),
    )


@program
def inplace_through_view_autograd(torch):
    a = torch.randn(3, 4, requires_grad=True)
    b = a * 1
    v = b[1]
    v.mul_(2)
    b.sum().backward()
    return a.grad, b.grad_fn.name(), v.grad_fn.name(), v._version, b._version


@program
def inplace_view_base_modified(torch):
    a = torch.randn(4, requires_grad=True)
    b = a.clone()
    v = b.view(2, 2)
    b.add_(1)
    s = (v * v).sum()
    s.backward()
    return a.grad, v.grad_fn.name(), v._version


@program
def view_grad_fn_after_base_inplace(torch):
    a = torch.randn(3, requires_grad=True)
    b = a.exp()
    v = b[:2]
    b.mul_(3)
    return v.grad_fn.name(), b.grad_fn.name()


@error(
    RuntimeError,
    r"a view of a leaf Variable that requires grad is being used in an in-place operation",
)
def inplace_view_of_leaf(torch):
    a = torch.randn(3, requires_grad=True)
    a[:2].add_(1)


@error(RuntimeError, r"Output 0 of Unbind is a view and is being modified inplace")
def unbind_view_inplace(torch):
    a = torch.randn(3, 2, requires_grad=True).clone()
    x, y, z = a.unbind(0)
    x.mul_(2)


@error(RuntimeError, r"Output 0 of Split is a view and is being modified inplace")
def split_view_inplace(torch):
    a = torch.randn(4, 2, requires_grad=True).clone()
    x, y = a.split(2)
    x.mul_(2)


@program
def detach_shares_storage_version(torch):
    a = torch.ones(3)
    d = a.detach()
    d.add_(1)
    return a, a._version, d._version, d._is_view()


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def view_noncontig(torch):
    torch.arange(12.0).reshape(3, 4).t().view(12)


@error(RuntimeError, r"shape '\[5, -1\]' is invalid for input of size 12")
def view_bad_shape(torch):
    torch.arange(12.0).view(5, -1)


@error(RuntimeError, r"only one dimension can be inferred")
def view_two_infer(torch):
    torch.arange(12.0).view(-1, -1)


@error(RuntimeError, r"invalid shape dimension -2")
def view_neg_dim(torch):
    torch.arange(12.0).view(-2, 6)


@program
def view_dtype_sizes(torch):
    a = torch.arange(8, dtype=torch.int32).reshape(2, 4)
    b = a.view(torch.int16)
    c = a.view(torch.int64)
    d = a.view(torch.float32)
    e = a.view(torch.uint8)
    return [(x.shape, x.stride(), x.dtype) for x in (b, c, d, e)], c, e.sum()


@error(RuntimeError, r"self.dim\(\) cannot be 0")
def view_dtype_0d(torch):
    torch.tensor(1, dtype=torch.int32).view(torch.int64)


@error(RuntimeError, r"self.stride\(-1\) must be 1")
def view_dtype_stride(torch):
    torch.zeros(4, 4, dtype=torch.int32).t().view(torch.int16)


@error(RuntimeError, r"self.size\(-1\) must be divisible by 2")
def view_dtype_size_div(torch):
    torch.zeros(4, 3, dtype=torch.int32).view(torch.int64)


@error(RuntimeError, r"self.storage_offset\(\) must be divisible by 2")
def view_dtype_offset_div(torch):
    torch.zeros(4, 5, dtype=torch.int32)[:, 1:].view(torch.int64)


@program
def view_dtype_drops_grad(torch):
    t = torch.randn(3, 4, requires_grad=True)
    return (
        t.view(torch.float16).requires_grad,
        t.view(torch.int32).requires_grad,
        t.view(torch.float32).requires_grad,
    )


@program
def split_views_write_through(torch):
    t = torch.zeros(4, 4, 4)
    parts = torch.hsplit(t, 2)
    t[2, 2, 2] = 7
    v = torch.vsplit(t, 2)
    return parts[1][2, 0, 2], v[1][0, 2, 2], torch.dsplit(t, [1, 3])[1].shape


@program
def expand_inplace_error_msg_shape(torch):
    t = torch.zeros(1, 3).expand(2, 3)
    return t.stride(), t.is_contiguous(), t._is_view()


@error(
    RuntimeError,
    r"unsupported operation: more than one element of the written-to tensor refers to a single memory location",
)
def expand_inplace(torch):
    torch.zeros(1, 3).expand(2, 3).add_(1)


@program
def t_on_1d_0d(torch):
    a = torch.arange(3.0)
    b = torch.tensor(2.0)
    return a.t(), a.t()._is_view(), b.t(), b.T, a.T


@error(RuntimeError, r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D")
def t_3d(torch):
    torch.zeros(2, 2, 2).t()


@program
def diagonal_views(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    d = torch.diagonal(x, offset=1, dim1=-1, dim2=0)
    e = x.diagonal(-5)
    d.mul_(1)
    return (
        d,
        d.stride(),
        d.storage_offset(),
        e.shape,
        x.diagonal(2, 1, 2),
        torch.diagonal(torch.zeros(0, 3)),
    )


@program
def unfold_views(torch):
    x = torch.arange(10.0)
    u = x.unfold(0, 3, 2)
    y = torch.arange(24.0).reshape(2, 3, 4)
    return (
        u,
        u.stride(),
        y.unfold(2, 2, 2).shape,
        y.unfold(-1, 4, 1).stride(),
        torch.tensor(5.0).unfold(0, 1, 1),
    )


@error(RuntimeError, r"maximum size for tensor at dimension 0 is 10 but size is 11")
def unfold_too_big(torch):
    torch.arange(10.0).unfold(0, 11, 1)


@error(RuntimeError, r"step is 0 but must be > 0")
def unfold_step0(torch):
    torch.arange(10.0).unfold(0, 2, 0)


@program
def movedim_many(torch):
    x = torch.randn(2, 3, 4, 5)
    return (
        torch.movedim(x, (0, 1), (-1, -2)).shape,
        x.moveaxis(1, 3).stride(),
        torch.movedim(x, [], []).shape,
        torch.movedim(x, (3, 0), (0, 3)).shape,
    )


@error(
    RuntimeError,
    r"movedim: Invalid source or destination dims: source \(\[0, 0\] dims\) should contain the same elements as destination \(\[1, 2\] dims\)|repeated dim in `source`",
)
def movedim_repeat(torch):
    torch.movedim(torch.randn(2, 3, 4), (0, 0), (1, 2))


@error(
    RuntimeError,
    r"movedim: Invalid source or destination dims: source \(\[0\] dims\) should contain the same number of dims as destination \(\[1, 2\] dims\)",
)
def movedim_len(torch):
    torch.movedim(torch.randn(2, 3, 4), (0,), (1, 2))


@program
def unflatten_cases(torch):
    x = torch.randn(2, 12)
    return (
        x.unflatten(1, (3, -1)).shape,
        x.unflatten(-1, (2, 2, 3)).stride(),
        x.unflatten(0, (1, 2)).shape,
        torch.zeros(0, 6).unflatten(1, (2, 3)).shape,
    )


@error(
    RuntimeError,
    r"unflatten: Provided sizes \[5, -1\] don't multiply up to the size of dim 1 \(12\) in the input tensor",
)
def unflatten_bad(torch):
    torch.randn(2, 12).unflatten(1, (5, -1))


@error(RuntimeError, r"unflatten: sizes must be non-empty")
def unflatten_empty(torch):
    torch.randn(2, 12).unflatten(1, ())


@program
def squeeze_multi(torch):
    x = torch.zeros(1, 2, 1, 3, 1)
    return (
        x.squeeze((0, 2)).shape,
        x.squeeze(-1).shape,
        x.squeeze(1).shape,
        torch.tensor(3.0).squeeze(0).shape,
        x.squeeze([]).shape,
    )


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-5, 4\], but got 5\)")
def squeeze_oob(torch):
    torch.zeros(1, 2, 1, 3, 1).squeeze(5)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")
def scalar_dim_oob(torch):
    torch.tensor(1.0).sum(1)


@program
def tensor_split_variants(torch):
    x = torch.arange(10)
    return (
        x.tensor_split(3),
        x.tensor_split([2, 5, 20]),
        x.tensor_split(torch.tensor(4)),
        x.tensor_split(torch.tensor([1, 8])),
        torch.arange(12).reshape(3, 4).tensor_split(5, dim=1),
    )


@error(RuntimeError, r"number of sections must be larger than 0, got 0")
def tensor_split_zero(torch):
    torch.arange(10).tensor_split(0)


@error(
    RuntimeError,
    r"torch.hsplit attempted to split along dimension 1, but the size of the dimension 3 is not divisible by the split_size 2!",
)
def hsplit_indivisible(torch):
    torch.zeros(2, 3).hsplit(2)


@error(
    RuntimeError,
    r"torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!",
)
def dsplit_2d(torch):
    torch.zeros(2, 3).dsplit(1)


@program
def chunk_uneven(torch):
    x = torch.arange(13)
    return (
        [c.shape for c in x.chunk(4)],
        [c.shape for c in x.chunk(6)],
        [c.shape for c in torch.zeros(0, 3).chunk(2)],
        len(torch.arange(5).chunk(10)),
    )


@error(RuntimeError, r"chunk expects `chunks` to be greater than 0, got: 0")
def chunk_zero(torch):
    torch.arange(5).chunk(0)


@program
def split_zero_size(torch):
    x = torch.arange(6)
    return x.split(4), x.split([0, 6]), torch.zeros(0).split(2), x.split(6), x.split(10)


@error(
    RuntimeError,
    r"split_with_sizes expects split_sizes to sum exactly to 6 \(input tensor's size at dimension 0\), but got split_sizes=\[2, 3\]",
)
def split_sizes_bad(torch):
    torch.arange(6).split([2, 3])


@program
def narrow_tensor_start(torch):
    x = torch.arange(10)
    return x.narrow(0, torch.tensor(2), 3), x.narrow(0, -3, 2), x.narrow_copy(0, 1, 2)._is_view()


@error(IndexError, r"start out of range \(expected to be in range of \[-10, 10\], but got 11\)")
def narrow_oob(torch):
    torch.arange(10).narrow(0, 11, 1)


@program
def swapdims_transpose_neg(torch):
    x = torch.randn(2, 3, 4)
    return (
        x.transpose(-1, -3).shape,
        x.swapdims(0, 0).stride(),
        torch.tensor(5.0).transpose(0, -1),
        torch.tensor(5.0).permute([]),
        x.permute(-1, 0, 1).stride(),
    )


@error(
    RuntimeError,
    r"permute\(sparse_coo\): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim\(\) = 3 is not equal to len\(dims\) = 2",
)
def permute_wrong_len(torch):
    torch.randn(2, 3, 4).permute(0, 1)


@error(RuntimeError, r"permute\(\): duplicate dims are not allowed.")
def permute_dup(torch):
    torch.randn(2, 3, 4).permute(0, 1, 1)


@program
def expand_cases(torch):
    x = torch.arange(3.0).view(3, 1)
    return (
        x.expand(-1, 4),
        x.expand(2, 3, 4).stride(),
        torch.tensor(1.0).expand(2, 2),
        x.expand_as(torch.zeros(3, 5)).shape,
        torch.zeros(0, 1).expand(0, 3).shape,
    )


@error(
    RuntimeError,
    r"The expanded size of the tensor \(4\) must match the existing size \(3\) at non-singleton dimension 0\.  Target sizes: \[4, 2\]\.  Tensor sizes: \[3, 1\]",
)
def expand_bad(torch):
    torch.zeros(3, 1).expand(4, 2)


@error(
    RuntimeError,
    r"expand\(torch.FloatTensor\{\[3, 1\]\}, size=\[2\]\): the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)",
)
def expand_fewer(torch):
    torch.zeros(3, 1).expand(2)


@error(
    RuntimeError,
    r"The expanded size of the tensor \(-1\) isn't allowed in a leading, non-existing dimension 0",
)
def expand_leading_neg(torch):
    torch.zeros(3).expand(-1, 3)


@program
def as_strided_offsets(torch):
    x = torch.arange(10.0)
    a = x.as_strided((3, 2), (2, 1), 1)
    b = torch.as_strided(x[2:], (2, 2), (1, 1))
    return a, b, b.storage_offset(), a._base is x


@program
def real_imag_of_real(torch):
    x = torch.randn(3)
    return x.real is x, torch.real(x)._is_view()


@error(RuntimeError, r"imag is not implemented for tensors with non-complex dtypes.")
def imag_real(torch):
    torch.randn(3).imag


@program
def ravel_view(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return x.ravel()._is_view(), x.t().ravel()._is_view(), x.t().ravel()


@program
def conj_resolve_real(torch):
    t = torch.ones(3)
    return t.conj() is t, t.resolve_conj() is t, t.resolve_neg() is t, t.is_conj(), t.is_neg()


# ---- indexing ---------------------------------------------------------------------------------


@program
def bool_index_setitem_broadcast(torch):
    x = torch.zeros(3, 4)
    m = torch.tensor([True, False, True])
    x[m] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = torch.zeros(3, 4)
    y[:, torch.tensor([True, False, True, False])] = torch.tensor([[5.0], [6.0], [7.0]])
    z = torch.zeros(2, 3)
    z[z == 0] = 3
    return x, y, z


@program
def int_index_setitem_broadcast(torch):
    x = torch.zeros(4, 3)
    x[[0, 2]] = torch.tensor([1.0, 2.0, 3.0])
    x[torch.tensor([[1], [3]]), torch.tensor([0, 2])] = torch.tensor([9.0, 8.0])
    x[1:, [0]] += 1
    return x


@program
def index_put_accumulate_dupes(torch):
    x = torch.zeros(5)
    x.index_put_((torch.tensor([0, 0, 2, 4, 4, 4]),), torch.tensor(1.0), accumulate=True)
    y = torch.zeros(3, 3, dtype=torch.int64)
    y.index_put_(
        (torch.tensor([0, 0]), torch.tensor([1, 1])), torch.tensor([5, 7]), accumulate=True
    )
    z = torch.zeros(3, 3)
    z.index_put_((torch.tensor([0, 0]), torch.tensor([1, 1])), torch.tensor([5.0, 7.0]))
    w = torch.index_put(
        torch.zeros(4),
        (torch.tensor([True, False, True, False]),),
        torch.tensor(2.0),
        accumulate=True,
    )
    return x, y, z[0, 1] in (5.0, 7.0), w


@program
def index_put_grad(torch):
    x = torch.randn(4, 3, requires_grad=True)
    v = torch.randn(2, 3, requires_grad=True)
    y = x.index_put((torch.tensor([1, 1]),), v, accumulate=True)
    (y * torch.arange(12.0).view(4, 3)).sum().backward()
    return y, x.grad, v.grad, y.grad_fn.name()


@program
def bool_scalar_index(torch):
    x = torch.arange(6.0).view(2, 3)
    return (
        x[True].shape,
        x[False].shape,
        x[None, True].shape,
        x[True, 1],
        torch.tensor(5.0)[True],
        torch.tensor(5.0)[False].shape,
    )


@program
def bool_scalar_setitem(torch):
    x = torch.arange(3.0)
    x[True] = 7
    y = torch.tensor(1.0)
    y[torch.tensor(True)] = 4
    z = torch.arange(3.0)
    z[False] = 9
    return x, y, z


@program
def index_with_bool_tensor_0d(torch):
    x = torch.arange(4.0)
    return (
        x[torch.tensor(True)].shape,
        x[torch.tensor(False)].shape,
        x[torch.tensor(2)],
        x[torch.tensor([True, False, True, True])],
    )


@program
def empty_index(torch):
    x = torch.arange(12.0).view(3, 4)
    e = torch.tensor([], dtype=torch.int64)
    return (
        x[e].shape,
        x[:, e].shape,
        x[e, e].shape,
        x[[]].shape,
        x[torch.zeros(0, 2, dtype=torch.long)].shape,
    )


@program
def empty_index_setitem(torch):
    x = torch.arange(12.0).view(3, 4)
    x[torch.tensor([], dtype=torch.int64)] = 5
    x[torch.zeros(3, dtype=torch.bool)] = 1
    return x


@error(IndexError, r"index 5 is out of bounds for dimension 0 with size 3")
def index_oob(torch):
    torch.zeros(3, 2)[torch.tensor([0, 5])]


@error(IndexError, r"index -4 is out of bounds for dimension 0 with size 3")
def index_oob_neg(torch):
    torch.zeros(3, 2)[[-4]]


@error(IndexError, r"index 3 is out of bounds for dimension 0 with size 3")
def int_oob(torch):
    torch.zeros(3, 2)[3]


@error(IndexError, r"index 2 is out of bounds for dimension 1 with size 2")
def int_oob_dim1(torch):
    torch.zeros(3, 2)[0, 2]


@error(IndexError, r"too many indices for tensor of dimension 2")
def too_many(torch):
    torch.zeros(3, 2)[0, 0, 0]


@error(
    IndexError,
    r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[3, 2\] at index 0",
)
def mask_shape(torch):
    torch.zeros(3, 2)[torch.tensor([True, False])]


@error(IndexError, r"tensors used as indices must be long, int, byte or bool tensors")
def float_index(torch):
    torch.zeros(3)[torch.tensor([0.0])]


@error(IndexError, r"index 4 is out of bounds for dimension 0 with size 3")
def setitem_oob(torch):
    x = torch.zeros(3)
    x[torch.tensor([4])] = 1


@error(
    RuntimeError,
    r"shape mismatch: value tensor of shape \[2\] cannot be broadcast to indexing result of shape \[3\]",
)
def setitem_shape_mismatch(torch):
    x = torch.zeros(3)
    x[torch.tensor([0, 1, 2])] = torch.tensor([1.0, 2.0])


@error(
    IndexError,
    r"shape mismatch: indexing tensors could not be broadcast together with shapes \[2\], \[3\]",
)
def index_broadcast_mismatch(torch):
    torch.zeros(3, 3)[torch.tensor([0, 1]), torch.tensor([0, 1, 2])]


@error(
    RuntimeError,
    r"Index put requires the source and destination dtypes match, got Float for the destination and Double for the source.",
)
def index_put_dtype(torch):
    torch.zeros(3).index_put_((torch.tensor([0]),), torch.tensor([1.0], dtype=torch.float64))


@program
def setitem_dtype_cast(torch):
    x = torch.zeros(3)
    x[torch.tensor([True, False, False])] = torch.tensor(1.5, dtype=torch.float64)
    y = torch.zeros(3, dtype=torch.int64)
    y[0] = 2.7
    y[1:] = torch.tensor([3.9, -1.9])
    z = torch.zeros(2, dtype=torch.bool)
    z[0] = 5
    return x, y, z


@program
def adv_index_positions(torch):
    x = torch.arange(120.0).view(2, 3, 4, 5)
    i = torch.tensor([0, 2])
    j = torch.tensor([1, 3])
    return (
        x[:, i, j].shape,
        x[:, i, :, j].shape,
        x[i[:1], :, j].shape,
        x[..., i].shape,
        x[None, :, i, None, j].shape,
        x[1, i, :, j].shape,
        x[:, [[0], [1]], [1, 2]].shape,
    )


@program
def adv_index_values(torch):
    x = torch.arange(120.0).view(2, 3, 4, 5)
    return x[:, [0, 2], :, [1, 3]], x[1, [0, 2], 1:3, [1, 3]], x[[1, 0], ..., [4, 0]]


@program
def byte_mask(torch):
    x = torch.arange(4.0)
    m = torch.tensor([1, 0, 1, 0], dtype=torch.uint8)
    return x[m]


@program
def index_int32_indices(torch):
    x = torch.arange(6.0)
    return x[torch.tensor([1, 5], dtype=torch.int32)], x[torch.tensor([[0, 1]], dtype=torch.int32)]


@program
def setitem_with_tensor_value_grad(torch):
    a = torch.randn(4, requires_grad=True)
    b = torch.zeros(6)
    b[torch.tensor([0, 2, 4, 5])] = a * 2
    b.sum().backward()
    return b.grad_fn.name(), a.grad


@program
def setitem_slice_grad(torch):
    a = torch.randn(3, 4, requires_grad=True)
    b = a.clone()
    b[:, 1] = 0
    b[b > 0.5] = 1
    (b * b).sum().backward()
    return a.grad


@program
def index_select_variants(torch):
    x = torch.arange(12.0).view(3, 4)
    return (
        x.index_select(1, torch.tensor([3, 0, 0])),
        torch.index_select(x, -2, torch.tensor(1)),
        torch.tensor(5.0).index_select(0, torch.tensor([0])),
        x.index_select(0, torch.tensor([], dtype=torch.long)),
    )


@error(IndexError, r"index out of range in self")
def index_select_oob(torch):
    torch.arange(12.0).view(3, 4).index_select(0, torch.tensor([3]))


@error(RuntimeError, r"index_select\(\): Expected dtype int32 or int64 for index")
def index_select_float(torch):
    torch.arange(12.0).view(3, 4).index_select(0, torch.tensor([1.0]))


@error(IndexError, r"index_select\(\): Index is supposed to be a vector")
def index_select_2d(torch):
    torch.arange(12.0).view(3, 4).index_select(0, torch.tensor([[1]]))


@program
def index_add_copy_fill(torch):
    x = torch.zeros(3, 4)
    x.index_add_(0, torch.tensor([0, 0, 2]), torch.ones(3, 4), alpha=2)
    y = torch.zeros(3, 4).index_copy(1, torch.tensor([3, 1]), torch.arange(6.0).view(3, 2))
    z = torch.zeros(3, 4).index_fill(1, torch.tensor([0, 2]), -1.0)
    w = torch.zeros(3, 4).index_fill_(0, torch.tensor(1), torch.tensor(4.0))
    return x, y, z, w


@error(
    RuntimeError,
    r"index_add_\(\): self \(Float\) and source \(Double\) must have the same scalar type",
)
def index_add_dtype(torch):
    torch.zeros(3).index_add_(0, torch.tensor([0]), torch.ones(1, dtype=torch.float64))


@error(IndexError, r"index_fill_\(\): Expected dtype int64 for index.")
def index_fill_int32(torch):
    torch.zeros(3).index_fill_(0, torch.tensor([0], dtype=torch.int32), 1.0)


@program
def index_reduce_ops(torch):
    x = torch.ones(3, 2)
    src = torch.arange(1.0, 9.0).view(4, 2)
    idx = torch.tensor([0, 2, 0, 1])
    return (
        x.index_reduce(0, idx, src, "prod"),
        x.index_reduce(0, idx, src, "amax", include_self=False),
        x.index_reduce(0, idx, src, "mean"),
        x.index_reduce(0, idx, src, "amin"),
    )


@program
def masked_fill_broadcast(torch):
    x = torch.zeros(2, 3)
    m = torch.tensor([True, False, True])
    return (
        x.masked_fill(m, 2.0),
        x.masked_fill(torch.tensor(True), torch.tensor(3.0)),
        torch.zeros(3, dtype=torch.int64).masked_fill(m, 2.9),
    )


@error(
    RuntimeError,
    r"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension\(s\).",
)
def masked_fill_1d_value(torch):
    torch.zeros(3).masked_fill(torch.tensor([True, False, True]), torch.tensor([1.0]))


@error(
    RuntimeError,
    r"masked_fill_ only supports boolean masks, but got mask with dtype long int|masked_fill_ only supports boolean masks",
)
def masked_fill_int_mask(torch):
    torch.zeros(3).masked_fill(torch.tensor([1, 0, 1]), 1.0)


@error(
    RuntimeError,
    r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 0",
)
def masked_fill_bad_shape(torch):
    torch.zeros(3).masked_fill(torch.tensor([True, False]), 1.0)


@program
def masked_select_scatter(torch):
    x = torch.arange(6.0).view(2, 3)
    m = torch.tensor([True, False, True])
    return (
        x.masked_select(m),
        x.masked_scatter(m, torch.tensor([10.0, 20, 30, 40, 50])),
        torch.masked_select(torch.tensor(2.0), torch.tensor([True, True])),
    )


@error(RuntimeError, r"masked_select: expected BoolTensor for mask")
def masked_select_float_mask(torch):
    torch.arange(3.0).masked_select(torch.tensor([1.0, 0, 1]))


@program
def take_put(torch):
    x = torch.arange(12.0).view(3, 4)
    y = torch.zeros(3, 4)
    y.put_(torch.tensor([0, 0, 11]), torch.tensor([1.0, 2.0, 3.0]), accumulate=True)
    return (
        x.take(torch.tensor([[0, -1], [5, 11]])),
        y,
        x.put(torch.tensor([-2]), torch.tensor([99.0])),
    )


@error(IndexError, r"out of range: tried to access index 12 on a tensor of 12 elements.")
def take_oob(torch):
    torch.arange(12.0).take(torch.tensor([12]))


@program
def gather_scatter_neg(torch):
    x = torch.arange(12.0).view(3, 4)
    idx = torch.tensor([[0, 1], [2, 3], [1, 1]])
    return (
        x.gather(-1, idx),
        torch.zeros(3, 4).scatter(-1, idx, 1.0),
        torch.zeros(3, 4).scatter_add(1, idx, torch.ones(3, 2)),
        torch.zeros(3, 4).scatter(1, idx, torch.ones(3, 2), reduce="add"),
    )


@error(RuntimeError, r"index 4 is out of bounds for dimension 1 with size 4")
def gather_oob(torch):
    torch.arange(12.0).view(3, 4).gather(1, torch.tensor([[4]]))


@error(RuntimeError, r"Index tensor must have the same number of dimensions as input tensor")
def gather_ndim(torch):
    torch.arange(12.0).view(3, 4).gather(1, torch.tensor([1]))


@error(
    RuntimeError,
    r"Size does not match at dimension 0 expected index \[4, 1\] to be no larger than self \[3, 4\] apart from dimension 1",
)
def gather_too_big(torch):
    torch.arange(12.0).view(3, 4).gather(1, torch.zeros(4, 1, dtype=torch.long))


@program
def scatter_reduce_variants(torch):
    src = torch.arange(1.0, 7.0)
    idx = torch.tensor([0, 1, 0, 1, 2, 1])
    base = torch.tensor([1.0, 2.0, 3.0, 4.0])
    return [
        base.scatter_reduce(0, idx, src, r, include_self=s)
        for r in ("sum", "prod", "mean", "amax", "amin")
        for s in (True, False)
    ]


@program
def ellipsis_none_combos(torch):
    x = torch.arange(24.0).view(2, 3, 4)
    return (
        x[..., None, 0].shape,
        x[None, ..., None].shape,
        x[0, ..., 0],
        x[..., :2, 1].shape,
        torch.tensor(1.0)[...].shape,
        torch.tensor(1.0)[None, ...].shape,
    )


@program
def negative_steps_slices(torch):
    x = torch.arange(10)
    return x[-3:], x[:-3], x[-100:100], x[5:2], x[::3], x[1:-1:4]


@error(ValueError, r"step must be greater than zero")
def neg_step(torch):
    torch.arange(10)[::-1]


@program
def list_of_lists_index(torch):
    x = torch.arange(12).view(3, 4)
    return (
        x[[0, 2], [1, 3]],
        x[[[0, 1], [2, 2]]],
        x[[0, 1], :][:, [1]],
        x[(0, 1)],
        x[[True, False, True]],
    )


@program
def tuple_index_of_tensors(torch):
    x = torch.arange(12).view(3, 4)
    idx = (torch.tensor([0, 1]), torch.tensor([2, 3]))
    return x[idx], x[idx[0]], x[torch.tensor([0, 1]), 1:]


@program
def index_on_zero_size_dim(torch):
    x = torch.zeros(0, 3)
    return (
        x[:, 1].shape,
        x[..., [0, 2]].shape,
        x[x > 0].shape,
        x[torch.tensor([], dtype=torch.long)].shape,
    )


@error(IndexError, r"index is out of bounds for dimension with size 0")
def index_zero_dim_oob(torch):
    torch.zeros(0, 3)[torch.tensor([0])]


@program
def setitem_self_overlap(torch):
    x = torch.arange(6.0)
    x[1:] = x[:-1].clone()
    y = torch.arange(6.0)
    y[[0, 1, 2]] = y[[3, 4, 5]]
    return x, y


@program
def setitem_numpy_and_list_values(torch):

    x = torch.zeros(2, 3)
    x[0] = 2.5
    x[1, :2] = torch.tensor(4, dtype=torch.int64)
    y = torch.zeros(2, 3, dtype=torch.int64)
    y[1] = torch.tensor([7, 8, 9])
    return x, y


@program
def index_tensor_0d_long(torch):
    x = torch.arange(12).view(3, 4)
    i = torch.tensor(1)
    return x[i], x[i]._is_view(), x[i, i], x[1]._is_view(), x[[1]]._is_view()


@program
def index_inplace_version(torch):
    x = torch.zeros(3)
    v0 = x._version
    x[0] = 1
    x[torch.tensor([1])] = 2
    x[x > 1] += 1
    return v0, x._version, x


@error(TypeError, r"can't assign a list to a torch.FloatTensor")
def setitem_list_value(torch):
    torch.zeros(2, 3)[0] = [1, 2, 3]


@error(IndexError, r"tensors used as indices must be long, int, byte or bool tensors")
def int8_index(torch):
    torch.arange(4.0)[torch.tensor([1], dtype=torch.int8)]


@program
def gather_int32_index(torch):
    return torch.arange(12.0).view(3, 4).gather(1, torch.tensor([[1], [3]], dtype=torch.int32))


@error(IndexError, r"index 1 is out of bounds for dimension 1 with size 0")
def setitem_int_on_empty_dim(torch):
    torch.zeros(2, 0)[:, 1] = 2


@error(IndexError, r"index is out of bounds for dimension with size 0")
def setitem_list_on_empty_dim(torch):
    torch.zeros(2, 0)[0, [1]] = 2


# ---- type promotion ---------------------------------------------------------------------------

DT = [
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
]


@program
def promote_types_table(torch):
    return [[torch.promote_types(getattr(torch, a), getattr(torch, b)) for b in DT] for a in DT]


@program
def result_type_tensor_tensor(torch):
    out = []
    for a in DT:
        for b in DT:
            x = torch.ones(2, dtype=getattr(torch, a))
            y = torch.ones(2, dtype=getattr(torch, b))
            out.append(torch.result_type(x, y))
    return out


@program
def result_type_zero_dim(torch):
    out = []
    for a in DT:
        for b in DT:
            x = torch.ones(2, dtype=getattr(torch, a))
            y = torch.tensor(1, dtype=getattr(torch, b))
            out.append((torch.result_type(x, y), (x + y).dtype, torch.result_type(y, x)))
    return out


@program
def result_type_scalars(torch):
    out = []
    for a in DT:
        x = torch.ones(2, dtype=getattr(torch, a))
        for s in (True, 2, 2.5):
            out.append((torch.result_type(x, s), torch.result_type(s, x), (x * s).dtype))
        out.append(torch.result_type(torch.tensor(1, dtype=getattr(torch, a)), 2.5))
    return (
        out,
        torch.result_type(2, 3.0),
        torch.result_type(True, 2),
        torch.result_type(True, False),
    )


@program
def can_cast_table(torch):
    return [[torch.can_cast(getattr(torch, a), getattr(torch, b)) for b in DT] for a in DT]


@program
def zero_dim_does_not_promote(torch):
    a = torch.ones(3, dtype=torch.float16)
    b = torch.tensor(2.0, dtype=torch.float64)
    c = torch.ones(3, dtype=torch.int32)
    d = torch.tensor(2.5)
    e = torch.tensor(2, dtype=torch.int64)
    f = torch.ones(3, dtype=torch.uint8)
    return (
        (a + b).dtype,
        (c + d).dtype,
        (c + e).dtype,
        (f + e).dtype,
        (f + torch.tensor(-1)).dtype,
        (torch.tensor(True) + f).dtype,
        (b + e).dtype,
        (torch.ones(3, dtype=torch.bool) + e).dtype,
        (torch.ones(3, dtype=torch.bool) + d).dtype,
        (torch.ones(3, dtype=torch.bfloat16) + torch.tensor(1.0, dtype=torch.float16)).dtype,
    )


@program
def all_zero_dim_promote_normally(torch):
    a = torch.tensor(1, dtype=torch.int32)
    b = torch.tensor(1.0, dtype=torch.float64)
    c = torch.tensor(1.0, dtype=torch.float16)
    d = torch.tensor(1.0, dtype=torch.bfloat16)
    return (
        (a + b).dtype,
        (c + d).dtype,
        (a + c).dtype,
        (torch.tensor(True) + a).dtype,
        (torch.tensor(2, dtype=torch.uint8) + torch.tensor(2, dtype=torch.int8)).dtype,
    )


@program
def half_bfloat_mix(torch):
    a = torch.ones(2, dtype=torch.float16)
    b = torch.ones(2, dtype=torch.bfloat16)
    return (
        (a + b).dtype,
        (a * b),
        torch.promote_types(torch.float16, torch.bfloat16),
        (a + 1.5).dtype,
        (b + True).dtype,
    )


@program
def int_division_promotes(torch):
    a = torch.tensor([5, -7])
    b = torch.tensor([2, 2])
    return (
        a / b,
        (a / 2).dtype,
        a // b,
        torch.div(a, b, rounding_mode="floor"),
        torch.div(a, b, rounding_mode="trunc"),
        torch.true_divide(a, b),
    )


@program
def int_division_default_dtype(torch):
    torch.set_default_dtype(torch.float64)
    try:
        a = torch.tensor([5, -7])
        return (
            (a / 2).dtype,
            (a * 1.5).dtype,
            torch.tensor([1.0]).dtype,
            (a + torch.tensor(1.5, dtype=torch.float32)).dtype,
            torch.arange(3.0).dtype,
        )
    finally:
        torch.set_default_dtype(torch.float32)


@program
def bool_arith(torch):
    a = torch.tensor([True, False])
    b = torch.tensor([True, True])
    return (
        a + b,
        a * b,
        (a + 1).dtype,
        (a * 1.5).dtype,
        a & b,
        a | b,
        a ^ b,
        ~a,
        a.sum().dtype,
        a.prod().dtype,
    )


@error(
    RuntimeError,
    r"Subtraction, the `-` operator, with two bool tensors is not supported. Use the `\^` or `logical_xor\(\)` operator instead.",
)
def bool_sub(torch):
    torch.tensor([True]) - torch.tensor([False])


@error(
    RuntimeError,
    r"Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not\(\)` operator instead.",
)
def bool_neg(torch):
    -torch.tensor([True])


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def inplace_int_float(torch):
    a = torch.ones(2, dtype=torch.int64)
    a += 1.5


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def inplace_int_div(torch):
    a = torch.ones(2, dtype=torch.int64)
    a /= 2


@error(RuntimeError, r"result type Long can't be cast to the desired output type Bool")
def inplace_bool_int(torch):
    a = torch.ones(2, dtype=torch.bool)
    a.add_(torch.ones(2, dtype=torch.int64))


@program
def inplace_downcast_ok(torch):
    a = torch.ones(2, dtype=torch.float16)
    a += torch.ones(2, dtype=torch.float64)
    b = torch.ones(2, dtype=torch.int32)
    b += torch.ones(2, dtype=torch.int64)
    c = torch.ones(2)
    c.mul_(torch.tensor([2, 3]))
    d = torch.ones(2, dtype=torch.uint8)
    d -= 3
    return a, b, c, d


@program
def out_dtype_casting(torch):
    o = torch.empty(2, dtype=torch.float64)
    torch.add(torch.ones(2), torch.ones(2), out=o)
    p = torch.empty(2, dtype=torch.float32)
    torch.add(torch.ones(2, dtype=torch.int64), 1, out=p)
    q = torch.empty(2, dtype=torch.int64)
    torch.add(torch.ones(2, dtype=torch.int32), 1, out=q)
    r = torch.empty(2, dtype=torch.bool)
    torch.lt(torch.ones(2), 2, out=r)
    s = torch.empty(2, dtype=torch.float32)
    torch.lt(torch.ones(2), 2, out=s)
    return o, p, q, r, s


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def out_float_into_long(torch):
    torch.add(torch.ones(2), 1, out=torch.empty(2, dtype=torch.int64))


@error(RuntimeError, r"result type Float can't be cast to the desired output type Bool")
def out_float_into_bool(torch):
    torch.mul(torch.ones(2), 2, out=torch.empty(2, dtype=torch.bool))


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def out_div_into_long(torch):
    torch.div(torch.ones(2, dtype=torch.int64), 2, out=torch.empty(2, dtype=torch.int64))


@program
def out_div_floor_into_long(torch):
    o = torch.empty(2, dtype=torch.int64)
    torch.div(torch.tensor([5, 7]), 2, rounding_mode="floor", out=o)
    return o


@program
def unary_float_ops_on_int(torch):
    a = torch.tensor([1, 4, 9])
    return (
        torch.sqrt(a).dtype,
        torch.exp(a).dtype,
        torch.sin(torch.tensor([True])).dtype,
        torch.sigmoid(a).dtype,
        torch.abs(a).dtype,
        torch.neg(a).dtype,
        torch.ceil(a).dtype,
        torch.sign(a).dtype,
        torch.square(a).dtype,
        torch.reciprocal(a).dtype,
        torch.log(torch.tensor([1], dtype=torch.uint8)).dtype,
    )


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def sqrt_inplace_int(torch):
    torch.tensor([1, 4]).sqrt_()


@program
def pow_promotion(torch):
    a = torch.tensor([2, 3])
    return (
        (a**2).dtype,
        (a**2.0).dtype,
        (2**a).dtype,
        (2.0**a).dtype,
        (a ** torch.tensor(2.0)).dtype,
        torch.pow(torch.tensor([2], dtype=torch.uint8), 2).dtype,
        a**2,
    )


@error(RuntimeError, r"Integers to negative integer powers are not allowed.")
def int_neg_pow(torch):
    torch.tensor([2, 3]) ** -1


@program
def comparison_mixed(torch):
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([1.5, 2.0, 2.5])
    return (
        a < b,
        a == b,
        (a == 2.0),
        torch.eq(torch.tensor([True]), 1),
        torch.tensor([255], dtype=torch.uint8) == -1,
        torch.maximum(a, b).dtype,
    )


@program
def where_promotion(torch):
    c = torch.tensor([True, False])
    return (
        torch.where(c, torch.tensor([1, 2]), torch.tensor([1.5, 2.5])).dtype,
        torch.where(c, 1, 2.0).dtype,
        torch.where(c, torch.tensor([1], dtype=torch.int32), 2).dtype,
        torch.where(c, torch.tensor([1.0], dtype=torch.float16), 2.5).dtype,
        torch.where(c, torch.tensor(1.0, dtype=torch.float64), torch.tensor([2.0])).dtype,
        torch.where(c, 1, 2).dtype,
    )


@program
def cat_promotion(torch):
    return (
        torch.cat([torch.ones(1, dtype=torch.int32), torch.ones(1, dtype=torch.float16)]).dtype,
        torch.cat([torch.ones(1, dtype=torch.bool), torch.ones(1, dtype=torch.uint8)]).dtype,
        torch.stack([torch.ones(1, dtype=torch.int64), torch.ones(1, dtype=torch.float64)]).dtype,
        torch.cat([torch.ones(0, dtype=torch.float64), torch.ones(2, dtype=torch.int32)]).dtype,
    )


@error(TypeError, r"torch.cat\(\): input types can't be cast to the desired output type Long")
def cat_out_dtype(torch):
    torch.cat([torch.ones(1), torch.ones(1)], out=torch.empty(2, dtype=torch.int64))


@program
def addcmul_clamp_lerp_promotion(torch):
    a = torch.ones(2, dtype=torch.int32)
    return (
        torch.clamp(a, 0.5).dtype,
        torch.clamp(a, torch.tensor(0.5)).dtype,
        torch.clamp(a, min=torch.tensor([0.5, 2.0])).dtype,
        torch.addcmul(torch.ones(2), a, a).dtype,
        torch.addcdiv(torch.ones(2, dtype=torch.float64), torch.ones(2), torch.ones(2)).dtype,
    )


@error(
    RuntimeError,
    r"Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2.",
)
def addcdiv_int(torch):
    a = torch.ones(2, dtype=torch.int64)
    torch.addcdiv(a, a, a)


@program
def reduction_dtypes(torch):
    i = torch.tensor([1, 2, 3], dtype=torch.int32)
    u = torch.tensor([1, 2], dtype=torch.uint8)
    b = torch.tensor([True, True])
    h = torch.ones(3, dtype=torch.float16)
    return (
        i.sum().dtype,
        u.sum().dtype,
        b.sum().dtype,
        i.prod().dtype,
        i.cumsum(0).dtype,
        b.cumsum(0).dtype,
        i.sum(dtype=torch.float32).dtype,
        h.sum().dtype,
        i.max().dtype,
        i.amax().dtype,
        h.mean().dtype,
        i.cumprod(0).dtype,
        torch.sum(i, 0, dtype=torch.int16).dtype,
    )


@error(
    RuntimeError,
    r"mean\(\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long",
)
def mean_int(torch):
    torch.tensor([1, 2]).mean()


@program
def mean_int_with_dtype(torch):
    return torch.tensor([1, 2]).mean(dtype=torch.float64), torch.tensor([1, 2]).float().mean()


@program
def sum_out_dtype(torch):
    o = torch.empty((), dtype=torch.float64)
    torch.sum(torch.ones(3), 0, out=o)
    return o


@program
def type_as_and_to(torch):
    a = torch.tensor([1.7, -2.7])
    return (
        a.to(torch.int64),
        a.type(torch.int32),
        a.type_as(torch.ones(1, dtype=torch.int16)),
        a.long(),
        a.int(),
        a.short(),
        a.char(),
        a.byte(),
        a.bool(),
        a.half(),
        a.bfloat16().float(),
        a.double(),
        a.bfloat16().dtype,
    )


@program
def to_nan_inf_to_bool(torch):
    return torch.tensor([float("nan"), 0.0, -0.0, float("inf")]).bool(), torch.tensor(
        [0.1, -0.5]
    ).to(torch.bool)


@program
def type_strings(torch):
    a = torch.ones(2)
    return (
        a.type(),
        a.int().type(),
        a.bool().type(),
        a.half().type(),
        a.double().type(),
        a.type("torch.DoubleTensor").dtype,
        a.byte().type(),
        a.bfloat16().type(),
    )


@program
def dtype_properties(torch):
    out = []
    for n in DT:
        d = getattr(torch, n)
        out.append(
            (
                d.is_floating_point,
                d.is_signed,
                d.itemsize,
                d.is_complex,
                torch.ones(1, dtype=d).element_size(),
                torch.ones(1, dtype=d).is_floating_point(),
            )
        )
    return out


@program
def finfo_iinfo(torch):
    out = []
    for d in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        f = torch.finfo(d)
        out.append((f.bits, f.eps, f.max, f.min, f.tiny, f.resolution, f.smallest_normal, f.dtype))
    for d in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        i = torch.iinfo(d)
        out.append((i.bits, i.max, i.min, i.dtype))
    return out, torch.finfo().dtype


@program
def python_scalar_ops_with_tensor(torch):
    a = torch.tensor([1, 2], dtype=torch.int8)
    return (
        (a + 200).dtype,
        a + 200,
        (a * True).dtype,
        (torch.tensor([1], dtype=torch.uint8) + 1000).dtype,
        (a - 1.0).dtype,
        (a * 2j).dtype if False else None,
    )


@program
def set_default_dtype_effects(torch):
    torch.set_default_dtype(torch.float64)
    try:
        return (
            torch.tensor(1.5).dtype,
            torch.ones(2).dtype,
            torch.arange(0, 1, 0.5).dtype,
            torch.linspace(0, 1, 3).dtype,
            torch.full((2,), 1.5).dtype,
            torch.get_default_dtype(),
            (torch.tensor([1]) + 1.5).dtype,
            torch.randn(2).dtype,
            torch.tensor([1, 2]).float().dtype,
            torch.zeros(2, dtype=torch.float32).dtype,
        )
    finally:
        torch.set_default_dtype(torch.float32)


@error(TypeError, r"only floating-point types are supported as the default type")
def set_default_dtype_int(torch):
    torch.set_default_dtype(torch.int64)


@program
def bitwise_shift_types(torch):
    a = torch.tensor([1, 2, 4], dtype=torch.int32)
    return (
        a << 1,
        (a >> torch.tensor(1)).dtype,
        a & 3,
        (a | torch.tensor([1], dtype=torch.int64)).dtype,
        torch.bitwise_not(torch.tensor([True, False])),
    )


@error(RuntimeError, r"\"bitwise_and_cpu\" not implemented for 'Float'")
def bitwise_float(torch):
    torch.ones(2) & torch.ones(2)


@program
def floor_divide_remainder_types(torch):
    a = torch.tensor([5, -5])
    b = torch.tensor([2.0, 2.0])
    return (
        a // 2,
        (a // b).dtype,
        a % 3,
        (a % 2.5),
        torch.remainder(a, -3),
        torch.fmod(a, -3),
        torch.fmod(torch.tensor([5.5, -5.5]), 2),
    )


@error(RuntimeError, r"ZeroDivisionError")
def int_div_zero(torch):
    torch.tensor([5]) // 0


@program
def legacy_bfloat16_type(torch):
    a = torch.ones(2)
    return (
        a.bfloat16().type(),
        a.type("torch.BFloat16Tensor").dtype,
        isinstance(a.bfloat16(), torch.BFloat16Tensor),
    )


# ---- shape ops ---------------------------------------------------------------------------------


@program
def flip_cases(torch):
    x = torch.arange(24).view(2, 3, 4)
    return (
        x.flip(0, 2),
        x.flip(-1),
        torch.flip(x, dims=[]),
        torch.tensor(5).flip(0),
        torch.zeros(0, 3).flip(1).shape,
        x.fliplr(),
        x.flipud(),
        x.flip(0).is_contiguous(),
    )


@error(RuntimeError, r"dim 0 appears multiple times in the list of dims")
def flip_dup(torch):
    torch.zeros(2, 3).flip(0, -2)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def flip_oob(torch):
    torch.zeros(2, 3).flip(2)


@error(RuntimeError, r"Input must be >= 2-d.")
def fliplr_1d(torch):
    torch.zeros(3).fliplr()


@error(RuntimeError, r"Input must be >= 1-d.")
def flipud_0d(torch):
    torch.tensor(1.0).flipud()


@program
def flip_grad_bool(torch):
    x = torch.randn(3, 4, requires_grad=True)
    y = x.flip(1)
    (y * torch.arange(12.0).view(3, 4)).sum().backward()
    return (
        x.grad,
        y.grad_fn.name(),
        torch.tensor([True, False]).flip(0),
        torch.tensor([1.5], dtype=torch.float16).flip(0),
    )


@program
def roll_cases(torch):
    x = torch.arange(12).view(3, 4)
    return (
        x.roll(1),
        x.roll(-1, 0),
        x.roll((1, 2), (0, 1)),
        x.roll(5, 1),
        x.roll(0),
        torch.zeros(0, 3).roll(1, 0).shape,
        torch.tensor(3).roll(1),
        x.roll(13),
        x.roll((1, 1), (1, 1)),
        x.roll(-7, -1),
    )


@error(RuntimeError, r"shifts and dimensions must align. shifts: 2, dims:1")
def roll_mismatch(torch):
    torch.zeros(3, 4).roll((1, 2), 0)


@error(RuntimeError, r"`shifts` required")
def roll_no_shifts(torch):
    torch.zeros(3, 4).roll(())


@program
def roll_grad(torch):
    x = torch.randn(3, 4, requires_grad=True)
    y = x.roll(2, 1)
    (y * torch.arange(12.0).view(3, 4)).sum().backward()
    return x.grad, y.grad_fn.name()


@program
def rot90_cases(torch):
    x = torch.arange(24).view(2, 3, 4)
    return [x.rot90(k, d) for k in (-5, -1, 0, 1, 2, 3, 6) for d in ((0, 1), (2, 0), (-1, -2))]


@program
def rot90_graph(torch):
    x = torch.randn(3, 4, requires_grad=True)
    outs = [x.rot90(k) for k in range(4)]
    sum((o * torch.arange(12.0).view(o.shape)).sum() for o in outs).backward()
    return x.grad, [(o.grad_fn.name(), o._is_view(), o.stride()) for o in outs]


@error(RuntimeError, r"expected total rotation dims == 2, but got dims = 3")
def rot90_three_dims(torch):
    torch.zeros(2, 3, 4).rot90(1, (0, 1, 2))


@error(RuntimeError, r"expected total dims >= 2, but got total dims = 1")
def rot90_1d(torch):
    torch.zeros(3).rot90()


@error(RuntimeError, r"expected rotation dims to be different, but got dim0 = 1 and dim1 = -1")
def rot90_same(torch):
    torch.zeros(2, 3).rot90(1, (1, -1))


@program
def diagonal_cases(torch):
    x = torch.arange(24.0).view(2, 3, 4)
    return (
        torch.diagonal(x),
        x.diagonal(1, 0, 2),
        x.diagonal(-1, -1, -2),
        x.diagonal(10).shape,
        torch.diag(torch.arange(3.0), 1),
        torch.diag(torch.arange(9.0).view(3, 3), -1),
        torch.diag_embed(torch.arange(6.0).view(2, 3), 1, 0, 2).shape,
        torch.arange(9).view(3, 3).trace(),
    )


@error(RuntimeError, r"diagonal dimensions cannot be identical 1, -1")
def diagonal_same(torch):
    torch.zeros(2, 3).diagonal(0, 1, -1)


@error(RuntimeError, r"diag\(\): Supports 1D or 2D tensors. Got 3D")
def diag_3d(torch):
    torch.diag(torch.zeros(2, 2, 2))


@program
def diagonal_grad_and_write(torch):
    x = torch.randn(3, 3, requires_grad=True)
    y = x.clone()
    y.diagonal().zero_()
    d = x.diagonal(1)
    (y.sum() + d.sum() * 2).backward()
    return x.grad, d.grad_fn.name(), y.grad_fn.name()


@program
def fill_diagonal(torch):
    a = torch.zeros(5, 3).fill_diagonal_(1.5)
    b = torch.zeros(7, 3).fill_diagonal_(2, wrap=True)
    c = torch.zeros(2, 2, 2).fill_diagonal_(3)
    return a, b, c


@error(RuntimeError, r"all dimensions of input must be of equal length")
def fill_diagonal_unequal(torch):
    torch.zeros(2, 2, 3).fill_diagonal_(1)


@program
def movedim_values(torch):
    x = torch.arange(24).view(2, 3, 4)
    return (
        torch.movedim(x, 0, -1),
        torch.movedim(x, (0, 2), (2, 0)),
        x.moveaxis(-1, 0).is_contiguous(),
        torch.movedim(torch.tensor(1), 0, 0),
    )


@program
def unflatten_named_dims_and_flatten(torch):
    x = torch.arange(24).view(2, 3, 4)
    return (
        x.flatten(0, 1).shape,
        x.flatten(-2).shape,
        x.flatten(1, 1) is x,
        torch.tensor(3).flatten().shape,
        torch.flatten(torch.tensor(3), 0, -1).shape,
        x.unflatten(-1, [2, 2]).shape,
    )


@error(RuntimeError, r"flatten\(\) has invalid args: start_dim cannot come after end_dim")
def flatten_bad(torch):
    torch.zeros(2, 3, 4).flatten(2, 1)


@program
def repeat_tile_expand(torch):
    x = torch.arange(3)
    return (
        x.repeat(2, 2),
        x.repeat(2),
        torch.tensor(5).repeat(3),
        x.tile(2),
        x.tile((2, 1, 1)).shape,
        torch.zeros(2, 3).tile(2).shape,
        x.repeat(0, 2).shape,
        torch.zeros(0).repeat(3).shape,
    )


@error(
    RuntimeError,
    r"Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
)
def repeat_fewer(torch):
    torch.zeros(2, 3).repeat(2)


@error(RuntimeError, r"Trying to create tensor with negative dimension -3: \[-3\]")
def repeat_negative(torch):
    torch.zeros(3).repeat(-1)


@program
def repeat_interleave_cases(torch):
    x = torch.tensor([[1, 2], [3, 4]])
    return (
        x.repeat_interleave(2),
        x.repeat_interleave(3, dim=1),
        x.repeat_interleave(torch.tensor([1, 2]), dim=0),
        torch.repeat_interleave(torch.tensor([2, 0, 1])),
        x.repeat_interleave(torch.tensor(2), 0),
        torch.repeat_interleave(x, 2, 0, output_size=4),
    )


@error(
    RuntimeError,
    r"repeats must have the same size as input along dim, but got repeats.size\(0\) = 3 and input.size\(0\) = 2",
)
def repeat_interleave_bad(torch):
    torch.tensor([[1, 2], [3, 4]]).repeat_interleave(torch.tensor([1, 2, 3]), dim=0)


@error(RuntimeError, r"repeats can not be negative")
def repeat_interleave_neg(torch):
    torch.tensor([1, 2]).repeat_interleave(torch.tensor([1, -2]))


@program
def stack_cat_edge(torch):
    a = torch.arange(6).view(2, 3)
    return (
        torch.cat([a, torch.zeros(0, dtype=torch.int64)]).shape,
        torch.cat([a, a], -1).shape,
        torch.stack([a, a], -1).shape,
        torch.stack([torch.tensor(1), torch.tensor(2)]),
        torch.hstack([torch.arange(2), torch.arange(3)]),
        torch.vstack([torch.arange(3), torch.arange(3)]).shape,
        torch.dstack([a, a]).shape,
        torch.column_stack([torch.arange(2), torch.zeros(2, 2, dtype=torch.int64)]),
        torch.row_stack([a, a]).shape,
    )


@error(
    RuntimeError,
    r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[3, 2\] at entry 1",
)
def stack_unequal(torch):
    torch.stack([torch.zeros(2, 3), torch.zeros(3, 2)])


@error(
    RuntimeError,
    r"Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor number 1 in the list.",
)
def cat_unequal(torch):
    torch.cat([torch.zeros(2, 3), torch.zeros(2, 2)])


@error(RuntimeError, r"zero-dimensional tensor \(at position 0\) cannot be concatenated")
def cat_0d(torch):
    torch.cat([torch.tensor(1.0), torch.tensor(2.0)])


@error(RuntimeError, r"stack expects a non-empty TensorList")
def stack_empty(torch):
    torch.stack([])


@error(ValueError, r"torch.cat\(\): expected a non-empty list of Tensors")
def cat_empty(torch):
    torch.cat([])


@error(RuntimeError, r"Tensors must have same number of dimensions: got 2 and 1")
def cat_ndim(torch):
    torch.cat([torch.zeros(2, 3), torch.zeros(3)])


@program
def atleast_nd(torch):
    s = torch.tensor(1.0)
    v = torch.arange(3.0)
    m = torch.zeros(2, 3)
    return (
        [
            t.shape
            for t in (
                torch.atleast_1d(s),
                torch.atleast_2d(s),
                torch.atleast_3d(s),
                torch.atleast_2d(v),
                torch.atleast_3d(v),
                torch.atleast_3d(m),
            )
        ],
        [t.shape for t in torch.atleast_2d(s, v)],
        [t.shape for t in torch.atleast_1d((s, v))],
    )


@program
def meshgrid_cases(torch):
    a = torch.arange(3)
    b = torch.arange(2)
    return (
        torch.meshgrid(a, b, indexing="ij"),
        torch.meshgrid(a, b, indexing="xy"),
        torch.meshgrid([a], indexing="ij"),
        torch.meshgrid(a, torch.tensor(5), indexing="ij"),
    )


@error(RuntimeError, r"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ab")
def meshgrid_bad(torch):
    torch.meshgrid(torch.arange(3), indexing="ab")


@program
def tril_triu_edges(torch):
    x = torch.arange(1, 13).view(3, 4)
    return (
        x.tril(-1),
        x.triu(2),
        x.tril(10),
        x.triu(-10),
        torch.ones(2, 3, 3).tril().sum(),
        torch.tril_indices(3, 3),
        torch.triu_indices(3, 4, 1),
        torch.tril_indices(4, 3, -1),
    )


@error(RuntimeError, r"tril: input tensor must have at least 2 dimensions")
def tril_1d(torch):
    torch.ones(3).tril()


@program
def narrow_select_neg(torch):
    x = torch.arange(24).view(2, 3, 4)
    return x.select(-1, -1), x.select(1, 0).shape, x.narrow(-1, 1, 2).shape, x.narrow(2, -2, 2)


@error(
    IndexError, r"select\(\): index 3 out of range for tensor of size \[2, 3, 4\] at dimension 1"
)
def select_oob(torch):
    torch.zeros(2, 3, 4).select(1, 3)


@error(IndexError, r"select\(\) cannot be applied to a 0-dim tensor.")
def select_0d(torch):
    torch.tensor(1.0).select(0, 0)


@program
def sort_argsort_stable(torch):
    x = torch.tensor([3, 1, 2, 1, 3, 0])
    v, i = x.sort(stable=True)
    w, j = x.sort(descending=True, stable=True)
    return (
        v,
        i,
        w,
        j,
        x.argsort(stable=True),
        torch.tensor([[2.0, float("nan"), 1.0]]).sort(-1),
        torch.tensor(5).sort(),
    )


@program
def topk_kthvalue_edge(torch):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    return (
        x.topk(2),
        x.topk(1, dim=0, largest=False),
        x.topk(0).values.shape,
        x.kthvalue(2),
        x.kthvalue(1, 0, keepdim=True),
    )


@error(RuntimeError, r"selected index k out of range")
def topk_too_big(torch):
    torch.zeros(3).topk(4)


@program
def unique_variants(torch):
    x = torch.tensor([2, 1, 2, 3, 1, 1])
    return (
        x.unique(),
        x.unique(return_inverse=True, return_counts=True),
        torch.unique_consecutive(x, return_counts=True),
        torch.unique(torch.tensor([[1, 2], [1, 2], [0, 1]]), dim=0),
        x.unique(sorted=True, return_inverse=True)[1],
        torch.tensor([], dtype=torch.int64).unique(),
    )


@program
def squeeze_unsqueeze_views(torch):
    x = torch.zeros(1, 3, 1)
    a = x.unsqueeze(-1)
    b = x.unsqueeze(0)
    return (
        a.shape,
        a.stride(),
        b.stride(),
        x.squeeze().stride(),
        torch.tensor(1.0).unsqueeze(0).shape,
        torch.tensor(1.0).unsqueeze(-1).shape,
    )


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-4, 3\], but got 4\)")
def unsqueeze_oob(torch):
    torch.zeros(1, 3, 1).unsqueeze(4)


@program
def take_along_dim_cases(torch):
    x = torch.tensor([[10, 30, 20], [60, 40, 50]])
    return (
        torch.take_along_dim(x, x.argsort(1), 1),
        torch.take_along_dim(x, torch.tensor([0, 5])),
        torch.take_along_dim(x, torch.tensor([[0], [2]]), dim=1),
    )


@program
def clone_preserve_format(torch):
    x = torch.zeros(2, 3).t()
    return (
        x.clone().stride(),
        x.clone(memory_format=torch.contiguous_format).stride(),
        x.contiguous().stride(),
        torch.empty_like(x).stride(),
        torch.zeros_like(x).stride(),
    )


@program
def split_unbind_grad(torch):
    x = torch.randn(4, 3, requires_grad=True)
    a, b = x.split([1, 3])
    c, d, e = x.unbind(1)
    (a.sum() * 2 + (b * 3).sum() + c.sum() + e.sum() * 5).backward()
    return x.grad, a.grad_fn.name(), c.grad_fn.name()


@program
def swap_transpose_grads(torch):
    x = torch.randn(2, 3, 4, requires_grad=True)
    y = x.transpose(0, 2).permute(1, 0, 2).movedim(0, 1)
    (y * torch.arange(24.0).view(y.shape)).sum().backward()
    return x.grad, y.shape


@error(RuntimeError, r"dimensions must larger than 1")
def fill_diagonal_1d(torch):
    torch.zeros(3).fill_diagonal_(1)


@program
def movedim_0d_alias(torch):
    t = torch.tensor(1.0, requires_grad=True)
    m = torch.movedim(t, 0, -1)
    return m, m._is_view(), m.grad_fn.name(), torch.moveaxis(t, (0,), (0,)).shape


# ---- creation ops ------------------------------------------------------------------------------


@program
def arange_dtypes(torch):
    return (
        torch.arange(5).dtype,
        torch.arange(5.0).dtype,
        torch.arange(0, 5, 2).dtype,
        torch.arange(0, 1, 0.25),
        torch.arange(torch.tensor(3)).dtype,
        torch.arange(torch.tensor(3.0)).dtype,
        torch.arange(1, 4, dtype=torch.float16),
        torch.arange(10, 0, -3),
        torch.arange(0, -1, -0.5).shape,
        torch.arange(-1.0, 1.0, 0.3),
        torch.arange(0, 10, 3, dtype=torch.uint8),
        torch.arange(5, dtype=torch.int32).dtype,
    )


@program
def arange_float_rounding(torch):
    return (
        torch.arange(0, 1, 0.1).shape,
        torch.arange(1, 2.5, 0.5).shape,
        torch.arange(0.0, 1.0, 1 / 3).shape,
        torch.arange(-0.5, 0.5, 0.1).shape,
    )


@error(RuntimeError, r"step must be nonzero")
def arange_zero_step(torch):
    torch.arange(0, 5, 0)


@error(RuntimeError, r"upper bound and lower bound inconsistent with step sign")
def arange_bad_sign(torch):
    torch.arange(0, 5, -1)


@error(RuntimeError, r"unsupported range: inf -> 1|unsupported range")
def arange_inf(torch):
    torch.arange(float("inf"), 1)


@error(NotImplementedError, r"\"arange_cpu\" not implemented for 'Bool'")
def arange_bool(torch):
    torch.arange(3, dtype=torch.bool)


@program
def arange_out(torch):
    o = torch.empty(3, dtype=torch.float64)
    torch.arange(4, out=o)
    return o


@program
def linspace_cases(torch):
    return (
        torch.linspace(0, 1, 5),
        torch.linspace(0, 1, 1),
        torch.linspace(0, 1, 0).shape,
        torch.linspace(5, -5, 4),
        torch.linspace(0, 10, 4, dtype=torch.int64),
        torch.linspace(torch.tensor(0.0), torch.tensor(1.0), 3),
        torch.linspace(0, 1, 3, dtype=torch.float64).dtype,
        torch.linspace(-3, 3, 7, dtype=torch.int32),
        torch.linspace(0, 1, 2).dtype,
    )


@error(RuntimeError, r"number of steps must be non-negative")
def linspace_negative(torch):
    torch.linspace(0, 1, -1)


@program
def logspace_cases(torch):
    return (
        torch.logspace(0, 2, 3),
        torch.logspace(0, 3, 4, base=2),
        torch.logspace(1, 0, 2, dtype=torch.float64),
        torch.logspace(0, 2, 3, dtype=torch.int64),
        torch.logspace(0, 1, 1),
        torch.logspace(-1, 1, 3, base=10.0),
    )


@program
def full_dtype_inference(torch):
    return (
        torch.full((2,), 1).dtype,
        torch.full((2,), 1.0).dtype,
        torch.full((2,), True).dtype,
        torch.full((2,), 3, dtype=torch.float16),
        torch.full((), 7).shape,
        torch.full([2, 0], 1.5).shape,
        torch.full((2,), float("inf")),
        torch.full((1,), torch.tensor(2.5)).dtype,
    )


@program
def full_like_dtype(torch):
    a = torch.ones(2, dtype=torch.int32)
    return (
        torch.full_like(a, 2.7),
        torch.full_like(a, 2.7, dtype=torch.float32),
        torch.zeros_like(a, dtype=torch.bool),
        torch.ones_like(a).dtype,
        torch.empty_like(a).shape,
        torch.rand_like(torch.ones(3)).dtype,
        torch.randn_like(torch.ones(2, dtype=torch.float64)).dtype,
        torch.randint_like(a, 5).dtype,
        torch.randint_like(torch.ones(3), 2, 5).dtype,
    )


@error(NotImplementedError, r"\"check_uniform_bounds\" not implemented for 'Int'")
def rand_like_int(torch):
    torch.rand_like(torch.ones(2, dtype=torch.int32))


@error(NotImplementedError, r"\"normal_kernel_cpu\" not implemented for 'Long'")
def randn_like_long(torch):
    torch.randn_like(torch.ones(2, dtype=torch.int64))


@program
def like_requires_grad(torch):
    a = torch.ones(2, requires_grad=True)
    return (
        torch.zeros_like(a).requires_grad,
        torch.ones_like(a, requires_grad=True).requires_grad,
        torch.full_like(a, 3).requires_grad,
        torch.empty_like(a).is_leaf,
    )


@program
def eye_cases(torch):
    return (
        torch.eye(3),
        torch.eye(2, 4),
        torch.eye(3, 1, dtype=torch.int64),
        torch.eye(0).shape,
        torch.eye(3, 0).shape,
        torch.eye(2, dtype=torch.bool),
    )


@error(RuntimeError, r"n must be greater or equal to 0, got -1")
def eye_negative(torch):
    torch.eye(-1)


@error(RuntimeError, r"m must be greater or equal to 0, got -2")
def eye_negative_m(torch):
    torch.eye(2, -2)


@program
def tensor_dtype_inference(torch):
    import numpy as np

    return (
        torch.tensor([1, 2]).dtype,
        torch.tensor([1, 2.0]).dtype,
        torch.tensor([True, False]).dtype,
        torch.tensor([True, 1]).dtype,
        torch.tensor([True, 1.5]).dtype,
        torch.tensor([]).dtype,
        torch.tensor([[]]).shape,
        torch.tensor(3).dtype,
        torch.tensor(3.5).shape,
        torch.tensor(np.float64(1.5)).dtype,
        torch.tensor(np.array([1, 2], dtype=np.int32)).dtype,
        torch.tensor(np.int16(3)).dtype,
        torch.tensor([np.float32(1.0), 2]).dtype,
        torch.tensor([torch.tensor(1), torch.tensor(2)]).dtype,
        torch.tensor([[1, 2], [3, 4]], dtype=torch.float16).dtype,
    )


@program
def tensor_from_tensor_list(torch):
    return (
        torch.tensor([torch.tensor(1.5), 2]),
        torch.tensor((torch.tensor(1.0), torch.tensor(2.0))).dtype,
        torch.tensor([torch.tensor(1, dtype=torch.int32)]).dtype,
    )


@program
def tensor_from_numpy_types(torch):
    import numpy as np

    return (
        torch.tensor(np.array(1.0, dtype=np.float16)).dtype,
        torch.tensor(np.array([True])).dtype,
        torch.tensor(np.uint8(7)).dtype,
        torch.tensor([np.int64(1), 2.5]).dtype,
        torch.as_tensor(np.arange(3, dtype=np.int32)).dtype,
        torch.from_numpy(np.zeros(2, np.float64)).dtype,
    )


@error(ValueError, r"expected sequence of length 2 at dim 1 \(got 3\)")
def tensor_ragged(torch):
    torch.tensor([[1, 2], [3, 4, 5]])


@error(ValueError, r"too many dimensions 'str'")
def tensor_str(torch):
    torch.tensor(["a"])


@error(RuntimeError, r"Could not infer dtype of dict")
def tensor_dict(torch):
    torch.tensor({"a": 1})


@error(RuntimeError, r"value cannot be converted to type uint8 without overflow")
def tensor_overflow_uint8(torch):
    torch.tensor([256], dtype=torch.uint8)


@error(ValueError, r"Overflow when unpacking long long")
def tensor_overflow_int64(torch):
    torch.tensor([2**63])


@program
def tensor_big_int_to_float(torch):
    return (
        torch.tensor([2**63], dtype=torch.float32),
        torch.tensor(2**64, dtype=torch.float64),
        torch.tensor(2**40).dtype,
        torch.tensor([-1], dtype=torch.int8),
    )


@program
def tensor_copy_semantics(torch):
    import numpy as np

    arr = np.arange(3.0)
    a = torch.tensor(arr)
    b = torch.as_tensor(arr)
    c = torch.from_numpy(arr)
    arr[0] = 10
    t = torch.ones(2)
    d = torch.as_tensor(t)
    e = torch.as_tensor(t, dtype=torch.float64)
    return a, b, c, d is t, e is t, torch.asarray(t) is t


@program
def zeros_ones_sizes(torch):
    return (
        torch.zeros(2, 3).shape,
        torch.zeros((2, 3)).shape,
        torch.zeros([2, 3]).shape,
        torch.zeros(torch.Size([2])).shape,
        torch.zeros(()).shape,
        torch.ones(0).shape,
        torch.zeros(2, 3, dtype=torch.int8).dtype,
        torch.empty(3, 0).numel(),
        torch.zeros(size=(2,)).shape,
    )


@error(RuntimeError, r"zeros: Dimension size must be non-negative.")
def zeros_negative(torch):
    torch.zeros(2, -1)


@error(TypeError, r"zeros\(\): argument 'size' \(position 1\) must be tuple of ints, not float")
def zeros_float_size(torch):
    torch.zeros(2.5)


@program
def new_factories(torch):
    a = torch.ones(2, dtype=torch.float64)
    return (
        a.new_zeros(3),
        a.new_ones((2, 2)).dtype,
        a.new_full((2,), 5),
        a.new_empty(0).dtype,
        a.new_tensor([1, 2]).dtype,
        a.new_tensor([1, 2], dtype=torch.int32),
        a.new_zeros(2, dtype=torch.int64).dtype,
        torch.ones(1, dtype=torch.int32).new_full((2,), 2.5).dtype,
    )


@program
def scalar_tensor_and_empty_strided(torch):
    return (
        torch.scalar_tensor(3).dtype,
        torch.scalar_tensor(True).dtype,
        torch.empty_strided((2, 3), (1, 2)).stride(),
        torch.zeros(3).new_empty_strided((2,), (2,)).stride(),
        torch.full((2, 2), 1).stride(),
    )


@program
def complex_free_polar_like(torch):
    return (
        torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor(0.5)),
        torch.zeros(2).fill_(3).dtype,
        torch.zeros(2, dtype=torch.int64).fill_(2.9),
    )


@program
def randint_dtypes(torch):
    return (
        torch.randint(5, (3,)).dtype,
        torch.randint(2, 5, (3,), dtype=torch.int32).dtype,
        torch.randint(0, 2, (3,), dtype=torch.bool).dtype,
        torch.randint(3, (2,), dtype=torch.float32).dtype,
        torch.randperm(4).dtype,
        torch.randperm(4, dtype=torch.float64).dtype,
    )


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=5 >= to=5")
def randint_empty_range(torch):
    torch.randint(5, 5, (2,))


@program
def range_deprecated(torch):
    return torch.range(0, 3), torch.range(0, 1, 0.5).dtype, torch.range(1, 4, dtype=torch.int64)


@program
def tril_indices_dtype(torch):
    return (
        torch.tril_indices(3, 3, dtype=torch.int32).dtype,
        torch.triu_indices(0, 3).shape,
        torch.tril_indices(3, 3, offset=-5).shape,
    )


@error(NotImplementedError, r"\"check_uniform_bounds\" not implemented for 'Bool'")
def rand_bool(torch):
    torch.rand(2, dtype=torch.bool)


@error(RuntimeError, r"multinomial only supports floating-point dtypes for input, got: Long")
def multinomial_long(torch):
    torch.multinomial(torch.tensor([1, 2]), 1)


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[-1\]")
def new_zeros_negative(torch):
    torch.ones(2).new_zeros(-1)


# ---- views, as test_view_ops checks them --------------------------------------------------------


@program
def inplace_view_methods(torch):
    out = []
    for name, args in [
        ("swapdims_", (0, 1)),
        ("swapaxes_", (0, 1)),
        ("transpose_", (0, 1)),
        ("t_", ()),
        ("squeeze_", ()),
        ("unsqueeze_", (1,)),
        ("as_strided_", ((25,), (1,))),
    ]:
        t = torch.ones(5, 5)
        v = t.view_as(t)
        r = getattr(v, name)(*args)
        r[(0,) * r.dim()] = 0
        out.append((r is v, isview(t, r), r.shape, r.stride(), t.sum()))
    return out


@program
def T_H_mT_mH_views(torch):
    out = []
    for op in ("T", "H", "mT", "mH"):
        t = torch.ones(5, 5)
        v = getattr(t, op)
        v[0, 1] = 0
        out.append((isview(t, v), t[1, 0]))
    return out


@program
def flatten_views(torch):
    t = torch.ones(1, 2, 3, 4)
    a = t.flatten()
    z = torch.tensor(1.0)
    b = z.flatten()
    c = torch.ones(1, 2, 3, 4).transpose(2, 3)
    d = c.flatten(0, 1)
    e = torch.ones(720).as_strided((2, 3, 2, 3, 5, 4), (6, 2, 15, 5, 1, 0))
    v1 = e.flatten(0, 1)
    v2 = v1.flatten(1, 3)
    v3 = v2.flatten(2, 2)
    nv = torch.ones(2, 3, 2, 3).transpose(2, 3).flatten(1, 3)
    nv2 = torch.ones(2, 2).T.flatten()
    return (
        isview(t, a),
        isview(z, b),
        d._is_view(),
        d._base is c._base,
        v1._is_view(),
        v2._base is e._base,
        v3 is v2,
        v2.shape,
        v2.stride(),
        nv._is_view(),
        nv2._is_view(),
        v3.shape,
    )


@program
def as_strided_grad_cases(torch):
    out = []
    for make, size, stride, off in [
        (lambda: torch.arange(25.0).view(5, 5), (3, 3), (6, 2), 2),
        (lambda: torch.arange(12.0), (1, 2, 1, 5), (0, 5, 100, 1), 2),
        (lambda: torch.arange(5.0), (3, 3, 3), (0, 1, 0), 2),
        (lambda: torch.arange(35.0), (6, 6), (5, 1), 2),
        (lambda: torch.arange(12.0).view(3, 4), (4, 3), (1, 4), None),
    ]:
        x = make().requires_grad_()
        y = x.as_strided(size, stride, off)
        (y * torch.arange(float(y.numel())).view(y.shape)).sum().backward()
        out.append((y, x.grad, y.grad_fn.name()))
    return out


@program
def as_strided_outside_input(torch):
    x = torch.arange(12.0).view(6, 2)
    return x[3:].as_strided([3, 2], [2, 1], 0), x[3:].as_strided([2, 2], [2, 1]).storage_offset()


@program
def expand_write_through(torch):
    t = torch.ones(5, 1)
    v = t.expand(5, 5)
    v[2, 2] = 0
    u = torch.ones(5, 1)
    w = u.expand_as(torch.empty(5, 5))
    w[3, 0] = 7
    return t[2, 0], isview(t, v), u[3, 0], isview(u, w)


@program
def unbind_backward_one_grad(torch):
    stacked = torch.randn(3, 4, requires_grad=True)
    outs = stacked.unbind()
    (g,) = torch.autograd.grad(outs[1], stacked, torch.ones(4))
    x, y, z = stacked.unbind()
    torch.autograd.backward([x, z], [torch.ones(4), torch.full((4,), 2.0)])
    return g, stacked.grad


@program
def view_chain_base(torch):
    t = torch.ones(4, 4)
    a = t[1:]
    b = a.t()
    c = b.unsqueeze(0)
    d = c.expand(2, 4, 3)
    return [x._base is t for x in (a, b, c, d)], d.stride(), d.storage_offset()


@program
def contiguous_nonview_write(torch):
    t = torch.ones(5, 5)
    nv = t.t().contiguous()
    nv[0, 0] = 0
    r = torch.reshape(t.t(), (25,))
    r[6] = 0
    return t[0, 0], nv._is_view(), r._is_view(), t[1, 1], t.reshape_as(torch.empty(25))._base is t


@program
def basic_index_views(torch):
    t = torch.ones(5, 5)
    return [
        isview(t, v)
        for v in (
            t[:2, :3],
            t[..., :2],
            t[None, :2, 3],
            t[1],
            t[1, 2],
            t[-1:],
            t[::2],
            t[...],
            t[:],
        )
    ]


@program
def index_result_of_scalar(torch):
    t = torch.arange(25.0).view(5, 5)
    v = t[1, 2]
    v.fill_(100)
    return t[1, 2], v.shape, v._is_view(), t[...] is t, t[()]._is_view() if t.dim() else None


@program
def advanced_index_not_view(torch):
    t = torch.ones(5, 5)
    v = t[[0, 1]]
    v[0, 0] = 0
    w = t[t > 0]
    m = t[:, [1]]
    return t[0, 0], v._is_view(), w._is_view(), m._is_view(), t[torch.tensor(1)]._is_view()


@program
def view_version_sharing(torch):
    t = torch.ones(3, 4)
    v = t[0]
    w = t.t()
    v.add_(1)
    a = t._version
    w.mul_(2)
    d = t.detach()
    d.zero_()
    return a, t._version, v._version, w._version, d._version


@program
def inplace_on_view_grad_fn_chain(torch):
    a = torch.randn(4, 3, requires_grad=True)
    b = a.clone()
    b[:, 0].mul_(2)
    b.t()[1].add_(1)
    b.diagonal().zero_()
    b.unsqueeze(0).squeeze(0)[2:].neg_()
    (b * torch.arange(12.0).view(4, 3)).sum().backward()
    return a.grad, b.grad_fn.name()


@program
def view_of_nonleaf_grad_fns(torch):
    a = torch.randn(2, 3, requires_grad=True)
    b = a * 2
    return [
        x.grad_fn.name()
        for x in (
            b.view(6),
            b.t(),
            b[0],
            b[:, 1:],
            b.unsqueeze(0),
            b.expand(2, 2, 3),
            b.permute(1, 0),
            b.narrow(1, 0, 2),
            b.select(1, 0),
            b.diagonal(),
            b.unfold(1, 2, 1),
            b.as_strided((2,), (1,)),
            b.squeeze(),
            b.flatten(),
            b.reshape(3, 2),
            b.view_as(b),
            b.unflatten(1, (3, 1)),
            b.movedim(0, 1),
            b.mT,
            b[None],
            b[..., None],
            b.split(1)[0],
            b.chunk(3, 1)[1],
            b.unbind(0)[0],
            b.tensor_split(2, 1)[0],
        )
    ]


@program
def reshape_copy_grad_fns(torch):
    a = torch.randn(2, 3, requires_grad=True)
    b = a.t()
    return [
        x.grad_fn.name()
        for x in (
            b.reshape(6),
            b.flatten(),
            b.contiguous(),
            b.view(3, 2),
            b.reshape(3, 2),
            b.ravel(),
            b.reshape(-1, 1),
            b.reshape_as(b),
            b[:, :1].reshape(3),
            b.unflatten(0, (3, 1)),
        )
    ]


# ---- indexing, as test_indexing checks it ----------------------------------------------------


@error(
    IndexError,
    r"invalid index of a 0-dim tensor. Use `tensor.item\(\)` in Python or `tensor.item<T>\(\)` in C\+\+ to convert a 0-dim tensor to a number",
)
def zero_dim_int_index(torch):
    torch.tensor(5.0)[0]


@error(IndexError, r"slice\(\) cannot be applied to a 0-dim tensor.")
def zero_dim_slice(torch):
    torch.tensor(5.0)[1:]


@error(IndexError, r"invalid index of a 0-dim tensor")
def zero_dim_int_setitem(torch):
    s = torch.tensor(5.0)
    s[0] = 1


@error(IndexError, r"too many indices for tensor of dimension 0")
def zero_dim_tuple_index(torch):
    torch.tensor(5.0)[(0,)]


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`...`\), None and long or byte Variables are valid indices \(got float\)",
)
def float_scalar_index(torch):
    torch.zeros(3)[1.0]


@program
def step_assignment(torch):
    v = torch.zeros(4, 4)
    v[0, 1::2] = torch.tensor([3.0, 4.0])
    v[1:, ::3] = 9
    return v, v[:, 1::2], v[::2, :: -1 if False else 1]


@program
def multiple_bool_indices(torch):
    v = torch.arange(15.0).view(5, 3)
    m1 = torch.tensor([True, False, True, True, False])
    m2 = torch.tensor([True, False, True])
    return (
        v[m1, :][:, m2],
        v[m1][:, m2].shape,
        v[torch.tensor([True, False, True, False, True]), torch.tensor([0, 1, 2])],
    )


@program
def byte_mask2d_and_accumulate(torch):
    v = torch.arange(12.0).view(4, 3)
    c = v > 4
    y = torch.zeros(3, 3)
    y.index_put_(
        (torch.tensor([True, False, True]),), torch.tensor([1.0, 2.0, 3.0]), accumulate=True
    )
    y.index_put_(
        (torch.tensor([True, False, True]),),
        torch.tensor([[1.0, 2.0, 3.0], [4, 5, 6]]),
        accumulate=True,
    )
    return v[c], y


@program
def int_indices_2d_and_broadcast(torch):
    x = torch.arange(12).view(4, 3)
    rows = torch.tensor([[0, 0], [3, 3]])
    cols = torch.tensor([[0, 2], [0, 2]])
    return x[rows, cols], x[rows[:, :1], torch.tensor([0, 2])], x[[[0], [3]], [0, 2]]


@program
def empty_ndim_bool_index(torch):
    x = torch.randn(5)
    y = torch.zeros(0, 2)
    return (
        x[torch.zeros(0, dtype=torch.bool).reshape(0)].shape
        if False
        else x[torch.zeros(5, dtype=torch.bool)].shape,
        y[torch.zeros(0, dtype=torch.bool)].shape,
        torch.zeros(2, 0, 3)[:, torch.zeros(0, dtype=torch.bool)].shape,
    )


@program
def index_getitem_copy_bools_slices(torch):
    a = torch.tensor(5.0)
    out = []
    for idx in (
        True,
        False,
        torch.tensor(True),
        torch.tensor(False),
        None,
        ...,
        (None, True),
        (..., None),
    ):
        r = a[idx]
        out.append((r.shape, r.data_ptr() == a.data_ptr()))
    return out


@program
def index_setitem_bools_slices(torch):
    a = torch.tensor([1.0, 2.0])
    out = []
    for idx in (True, torch.tensor(True), None, ..., slice(None), (None, ...)):
        b = a.clone()
        b[idx] = torch.tensor([7.0, 8.0])
        out.append(b)
    c = a.clone()
    c[False] = 5
    d = a.clone()
    d[torch.tensor(False)] = 5
    return out, c, d


@program
def index_scalar_with_bool_mask(torch):
    a = torch.tensor(1)
    uintMask = torch.tensor(True, dtype=torch.uint8)
    boolMask = torch.tensor(True, dtype=torch.bool)
    return a[uintMask], a[boolMask], a[uintMask].dtype


@error(
    RuntimeError,
    r"shape mismatch: value tensor of shape \[2\] cannot be broadcast to indexing result of shape \[1, 3\]",
)
def setitem_expansion_error(torch):
    a = torch.randn(2, 3)
    a[torch.tensor([1])] = torch.tensor([1.0, 2.0])


@error(
    RuntimeError,
    r"expand\(torch.FloatTensor\{\[2, 1, 3\]\}, size=\[2, 3\]\): the number of sizes provided \(2\) must be greater or equal to the number of dimensions in the tensor \(3\)",
)
def setitem_slice_expansion_error(torch):
    a = torch.randn(2, 3)
    a[:] = torch.randn(2, 1, 3)


@program
def setitem_leading_ones_ok(torch):
    a = torch.zeros(2, 3)
    a[:] = torch.ones(1, 1, 2, 3)
    b = torch.zeros(2, 3)
    b[0] = torch.ones(1, 3) * 2
    return a, b


@program
def getitem_setitem_scalars(torch):
    zero = torch.tensor(0, dtype=torch.int64)
    a = torch.arange(6.0).view(2, 3)
    r1 = a[zero]
    r2 = a[zero, zero]
    r3 = a[1, zero]
    a[zero] = 9
    a[1, zero] = 7
    s = torch.tensor(3.0)
    s[...] = 4
    return r1, r2, r3, a, s, a[zero].shape, a[zero.item()].shape


@program
def basic_advanced_combined(torch):
    x = torch.arange(0, 12).view(4, 3)
    y = x[1:2, [1, 2]]
    x[1:2, [1, 2]] = 0
    return y, x, x[:, [0, 2]][1:3]


@program
def int_assignment_and_byte_assignment(torch):
    x = torch.arange(0, 4).view(2, 2)
    x[1] = 5
    y = torch.arange(0, 4).view(2, 2)
    y[1] = torch.arange(5, 7)
    z = torch.arange(0.0, 8).view(4, 2)
    z[torch.tensor([True, False, True, False])] = torch.tensor([5.0, 6.0])
    return x, y, z


@program
def variable_slicing(torch):
    x = torch.arange(0, 16).view(4, 4)
    idx = torch.tensor([1, 3])
    i, j = idx
    return x[i:j], x[idx[0] : idx[1]], x[torch.tensor(1) : torch.tensor(3) : torch.tensor(2)]


@program
def ellipsis_tensor(torch):
    x = torch.arange(0, 9).view(3, 3)
    idx = torch.tensor([0, 2])
    return x[..., idx], x[idx, ...], x[..., idx, None].shape


@program
def unravel_index_cases(torch):
    return (
        torch.unravel_index(torch.tensor(4), (3, 2)),
        torch.unravel_index(torch.tensor([1, 5]), (2, 3)),
        torch.unravel_index(torch.tensor(0), ()),
        torch.unravel_index(torch.tensor([[3]]), (2, 2)),
        torch.unravel_index(torch.tensor(5), 6),
    )


@error(TypeError, r"expected 'indices' to be integer dtype, but got torch.float32")
def unravel_index_float(torch):
    torch.unravel_index(torch.tensor(0.5), (2, 2))


@error(ValueError, r"'shape' cannot have negative values, but got \(2, -3\)")
def unravel_index_neg_shape(torch):
    torch.unravel_index(torch.tensor(0), (2, -3))


@program
def index_src_datatypes(torch):
    out = []
    for dt in (torch.float16, torch.int32, torch.bool, torch.uint8, torch.float64):
        src = torch.ones(3, 2, 4, dtype=dt)
        r = src[[0, 2, 1], :, :]
        s = torch.zeros(3, 2, 4, dtype=dt)
        s[[0, 1]] = torch.zeros(2, 2, 4, dtype=dt)
        out.append((r.dtype, r.shape, s.dtype))
    return out


@program
def int_indices_on_noncontiguous(torch):
    x = torch.arange(24).view(4, 6).t()
    y = x[[0, 4], [1, 3]]
    x[[1, 2], [0, 0]] = -1
    return y, x, x.is_contiguous()


@program
def take_along_dim_broadcast(torch):
    t = torch.arange(24.0).view(2, 3, 4)
    idx = torch.tensor([[[0, 3]]])
    return (
        torch.take_along_dim(t, idx, dim=2),
        torch.take_along_dim(t, torch.tensor([[[1]], [[0]]]), dim=1).shape,
        torch.take_along_dim(t, torch.tensor([[[1]]]), dim=-3).shape,
    )


@error(
    RuntimeError,
    r"torch.take_along_dim\(\): input and indices should have the same number of dimensions, but got 3 dimensions for input, and 2 dimensions for indices",
)
def take_along_dim_ndim(torch):
    torch.take_along_dim(torch.zeros(2, 3, 4), torch.zeros(2, 3, dtype=torch.long), dim=1)


@error(
    RuntimeError,
    r"torch.take_along_dim\(\): dtype of indices should be int64 but got Int|take_along_dim\(\): dtype of indices should be Long but got Int",
)
def take_along_dim_int32(torch):
    torch.take_along_dim(torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.int32), dim=1)


@program
def index_put_accumulate_noncontig_and_dupes(torch):
    t = torch.zeros(5, 2).t()
    t.index_put_(
        (torch.tensor([0, 0, 1]), torch.tensor([4, 4, 0])),
        torch.tensor([1.0, 2.0, 3.0]),
        accumulate=True,
    )
    u = torch.zeros(4, dtype=torch.int32)
    u.index_put_((torch.tensor([1, 1, 1]),), torch.tensor(2, dtype=torch.int32), accumulate=True)
    w = torch.zeros(2, 3, dtype=torch.bool)
    w.index_put_((torch.tensor([0, 1]),), torch.tensor(True))
    return t, u, w


@program
def index_put_expanded_values(torch):
    x = torch.zeros(3, 4)
    x.index_put_((torch.tensor([0, 2]), torch.tensor([1, 3])), torch.tensor(5.0))
    y = torch.zeros(3, 4)
    y.index_put_((torch.tensor([[0], [2]]),), torch.arange(4.0))
    z = torch.zeros(3, 4)
    z[torch.tensor([0, 2]), :] = torch.tensor([[1.0], [2.0]])
    return x, y, z


@program
def index_copy_grad_and_errors(torch):
    x = torch.zeros(4, 3, requires_grad=True)
    s = torch.arange(6.0).view(2, 3).requires_grad_()
    y = x.index_copy(0, torch.tensor([3, 1]), s)
    (y * torch.arange(12.0).view(4, 3)).sum().backward()
    return y, x.grad, s.grad, y.grad_fn.name()


@error(
    IndexError,
    r"index_copy_\(\): Number of indices \(3\) should be equal to source.size\(dim\) \(2\)",
)
def index_copy_count(torch):
    torch.zeros(4, 3).index_copy(0, torch.tensor([0, 1, 2]), torch.ones(2, 3))


@error(
    RuntimeError,
    r"index_copy_\(\): self and source expected to have the same dtype, but got \(self\) Float and \(source\) Double",
)
def index_copy_dtype(torch):
    torch.zeros(4, 3).index_copy(0, torch.tensor([0]), torch.ones(1, 3, dtype=torch.float64))


@program
def index_add_grad(torch):
    x = torch.zeros(4, 3, requires_grad=True)
    s = torch.ones(3, 3, requires_grad=True)
    y = x.index_add(0, torch.tensor([1, 1, 3]), s, alpha=2.0)
    (y * torch.arange(12.0).view(4, 3)).sum().backward()
    return y, x.grad, s.grad, y.grad_fn.name()


@error(
    IndexError,
    r"index_add_\(\): Index is supposed to be a vector, but got dim: 2 with type: Long and size: \[1, 1\]",
)
def index_add_2d_index(torch):
    torch.zeros(4, 3).index_add(0, torch.tensor([[1]]), torch.ones(1, 3))


@program
def masked_scatter_grad(torch):
    x = torch.zeros(2, 3, requires_grad=True)
    src = torch.arange(6.0).view(2, 3).requires_grad_()
    m = torch.tensor([[True, False, True], [False, True, False]])
    y = x.masked_scatter(m, src)
    (y * torch.arange(6.0).view(2, 3)).sum().backward()
    return y, x.grad, src.grad, y.grad_fn.name()


@error(
    RuntimeError,
    r"masked_scatter_ only supports boolean masks, but got mask with dtype long int|masked_scatter_ only supports boolean masks",
)
def masked_scatter_int_mask(torch):
    torch.zeros(3).masked_scatter(torch.tensor([1, 0, 1]), torch.ones(3))


@error(
    RuntimeError,
    r"masked_scatter: expected self and source to have same dtypes but gotFloat and Double",
)
def masked_scatter_dtype(torch):
    torch.zeros(3).masked_scatter(
        torch.tensor([True, False, True]), torch.ones(3, dtype=torch.float64)
    )


@program
def put_and_take_grads(torch):
    x = torch.arange(6.0).view(2, 3).requires_grad_()
    y = x.take(torch.tensor([[0, 5], [5, 1]]))
    v = torch.ones(2, requires_grad=True)
    z = x.put(torch.tensor([1, 4]), v * 3)
    (y.sum() + (z * torch.arange(6.0).view(2, 3)).sum()).backward()
    return y, z, x.grad, v.grad, y.grad_fn.name(), z.grad_fn.name()


# ---- type promotion and shape ops, as test_type_promotion / test_shape_ops check them -------------


@program
def computation_ignores_out(torch):
    o = torch.empty(2, dtype=torch.float64)
    torch.add(
        torch.tensor([1.5], dtype=torch.float16),
        torch.tensor([2**11 + 1.0], dtype=torch.float16),
        out=o[:1],
    )
    p = torch.empty(2, dtype=torch.float16)
    torch.add(torch.tensor([1.0, 2.0], dtype=torch.float64) / 3, 1, out=p)
    return o[:1], p


@program
def out_int_into_float_and_half(torch):
    o = torch.empty(3, dtype=torch.float16)
    torch.mul(torch.tensor([1, 2, 3]), 3, out=o)
    q = torch.empty(3, dtype=torch.int8)
    torch.sub(torch.tensor([1, 2, 3], dtype=torch.int64), 1, out=q)
    return o, q


@error(RuntimeError, r"result type Long can't be cast to the desired output type Bool")
def out_int_into_bool(torch):
    torch.add(torch.tensor([1]), 1, out=torch.empty(1, dtype=torch.bool))


@program
def comparison_out_dtypes(torch):
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([2, 2])
    o = torch.empty(2, dtype=torch.int64)
    torch.eq(a, b, out=o)
    p = torch.empty(2, dtype=torch.float16)
    torch.gt(a, 1, out=p)
    return (
        o,
        p,
        torch.ge(torch.tensor([True, False]), torch.tensor([0.5, 0.5])),
        torch.ne(torch.tensor([1], dtype=torch.uint8), torch.tensor([-255])),
    )


@program(tol={"rtol": 1e-6, "atol": 1e-6})  # exp in float32 (SIMD rounding differs)
def unary_out_casting(torch):
    o = torch.empty(2, dtype=torch.float64)
    torch.sqrt(torch.tensor([1.5, 2.5]), out=o)
    p = torch.empty(2, dtype=torch.float32)
    torch.sigmoid(torch.tensor([-1, 2]), out=p)
    q = torch.empty(2, dtype=torch.float64)
    torch.exp(torch.tensor([0, 1]), out=q)
    return o, p, q


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def unary_float_into_long(torch):
    torch.exp(torch.tensor([0, 1]), out=torch.empty(2, dtype=torch.int64))


@program
def uint8_negative_scalars(torch):
    u = torch.tensor([0, 5, 250], dtype=torch.uint8)
    return (
        u + -1,
        (u + -1).dtype,
        u * -1,
        u - 6,
        torch.tensor([1], dtype=torch.uint8) + torch.tensor(-2),
        u + 10,
    )


@program
def int_overflow_wraps(torch):
    a = torch.tensor([127], dtype=torch.int8)
    b = torch.tensor([2**31 - 1], dtype=torch.int32)
    return a + 1, b + 1, a * 2, torch.tensor([200], dtype=torch.uint8) * 2, (a + 1000).dtype


@program
def float16_scalar_overflow(torch):
    h = torch.tensor([1.0, 60000.0], dtype=torch.float16)
    return h * 2, h + 1e5, (h * 1e-8), (torch.tensor([1.0], dtype=torch.bfloat16) + 1e-3).float()


@program
def promote_self_dtypes(torch):
    out = []
    for d in (
        torch.uint8,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.float16,
        torch.bfloat16,
        torch.float32,
        torch.float64,
        torch.bool,
    ):
        out.append(
            (
                torch.promote_types(d, d),
                torch.result_type(torch.ones(1, dtype=d), torch.ones(1, dtype=d)),
                torch.can_cast(d, d),
            )
        )
    return out


@program
def result_type_mixed_dim_categories(torch):
    f16 = torch.ones(2, dtype=torch.float16)
    i64_0d = torch.tensor(1)
    f64_0d = torch.tensor(1.0, dtype=torch.float64)
    i32 = torch.ones(2, dtype=torch.int32)
    b = torch.ones(2, dtype=torch.bool)
    return (
        torch.result_type(f16, f64_0d),
        torch.result_type(i32, f64_0d),
        torch.result_type(b, i64_0d),
        torch.result_type(b, f64_0d),
        torch.result_type(i32, i64_0d),
        torch.result_type(f64_0d, 1),
        torch.result_type(i64_0d, 1.5),
        torch.result_type(torch.tensor(True), 2),
        torch.result_type(torch.tensor(1, dtype=torch.uint8), -1),
    )


@program
def inplace_ops_type_rules(torch):
    out = []
    for d, v in [
        (torch.float16, torch.ones(2, dtype=torch.float64)),
        (torch.int8, torch.ones(2, dtype=torch.int64)),
        (torch.float32, torch.tensor(2.5, dtype=torch.float64)),
        (torch.float32, torch.ones(2, dtype=torch.int64)),
        (torch.bfloat16, torch.ones(2, dtype=torch.float16)),
    ]:
        a = torch.ones(2, dtype=d)
        a.add_(v)
        a.mul_(v)
        a.sub_(v)
        out.append(a.float() if d == torch.bfloat16 else a)
    return out


@error(RuntimeError, r"result type Float can't be cast to the desired output type Int")
def inplace_int_float_tensor(torch):
    a = torch.ones(2, dtype=torch.int32)
    a.mul_(torch.ones(2))


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def inplace_int_float_0d(torch):
    a = torch.ones(2, dtype=torch.int64)
    a.add_(torch.tensor(1.5))


@program
def lt_mixed_broadcast(torch):
    a = torch.arange(3).view(3, 1)
    b = torch.tensor([0.5, 1.5, 2.5], dtype=torch.float64)
    return (
        a < b,
        (a < b).dtype,
        torch.lt(a, 1.5),
        torch.tensor([True]) < 1.5,
        torch.lt(torch.tensor([2], dtype=torch.uint8), torch.tensor([-1])),
    )


@program
def div_promotion(torch):
    out = []
    for d in (
        torch.uint8,
        torch.int8,
        torch.int32,
        torch.int64,
        torch.bool,
        torch.float16,
        torch.float64,
    ):
        a = torch.ones(2, dtype=d)
        out.append(
            (
                (a / a).dtype,
                (a / 2).dtype,
                (a / 2.0).dtype,
                torch.true_divide(a, torch.tensor(2)).dtype,
            )
        )
    return out


@program
def div_out_int_floor(torch):
    o = torch.empty(2, dtype=torch.int32)
    torch.div(torch.tensor([7, -7]), torch.tensor([2, 2]), rounding_mode="trunc", out=o)
    p = torch.empty(2, dtype=torch.float64)
    torch.div(torch.tensor([7, -7]), 2, out=p)
    return o, p


@program
def addcmul_addcdiv_promotion(torch):
    a = torch.ones(2, dtype=torch.float16)
    b = torch.tensor([2.0, 3.0], dtype=torch.float16)
    return (
        torch.addcmul(a, b, b, value=2).dtype,
        torch.addcdiv(a, b, b, value=0.5).dtype,
        torch.addcmul(
            torch.ones(2, dtype=torch.int64),
            torch.ones(2, dtype=torch.int64),
            torch.ones(2, dtype=torch.int64),
            value=3,
        ),
        torch.addcmul(torch.ones(2), torch.ones(2, dtype=torch.float64), torch.ones(2)).dtype,
    )


@program
def bool_tensor_creation_and_math(torch):
    x = torch.tensor([True, False, True])
    return (
        x.sum(),
        x.float().mean(),
        x.any(),
        x.all(),
        x.int(),
        x * 2.5,
        x + x,
        torch.tensor([0, 1, 2]).bool(),
        x.to(torch.uint8),
        x.cumsum(0),
        x.prod(),
        torch.zeros(2, dtype=torch.bool),
        torch.ones(2, dtype=torch.bool),
        torch.full((2,), 3, dtype=torch.bool),
        x.max(),
        x.min(),
        torch.tensor([True]).neg() if False else x.logical_not(),
    )


@program
def clamp_variants(torch):
    x = torch.tensor([-2.0, float("nan"), 0.5, 3.0])
    return (
        x.clamp(-1, 1),
        x.clamp(min=0),
        x.clamp(max=0),
        x.clamp(torch.tensor([0.0, 0.0, 1.0, 1.0]), torch.tensor(2.0)),
        x.clamp(1, -1),
        torch.tensor([1, 5, 9]).clamp(2, 7),
        torch.tensor([1, 5, 9]).clamp(2.5).dtype,
        x.clamp(float("nan"), 1),
        torch.clip(x, -0.5, 0.5),
    )


@error(RuntimeError, r"torch.clamp: At least one of 'min' or 'max' must not be None")
def clamp_none(torch):
    torch.ones(2).clamp()


@program
def clamp_grad(torch):
    x = torch.tensor([-2.0, -1.0, 0.5, 1.0, 3.0], requires_grad=True)
    lo = torch.tensor([-1.0, -1.0, -1.0, -1.0, -1.0], requires_grad=True)
    y = torch.clamp(x, lo, torch.tensor(1.0))
    y.sum().backward()
    return x.grad, lo.grad, y.grad_fn.name()


@program
def nonzero_variants(torch):
    x = torch.tensor([[0, 1, 0], [2, 0, 3]])
    return (
        x.nonzero(),
        torch.nonzero(x, as_tuple=True),
        torch.tensor(5).nonzero(),
        torch.tensor(0).nonzero(),
        torch.tensor(5).nonzero(as_tuple=True),
        torch.zeros(0, 3).nonzero().shape,
        torch.tensor([True, False, True]).nonzero(),
        torch.argwhere(x),
        torch.count_nonzero(x, 0),
        torch.tensor([float("nan"), 0.0]).nonzero(),
    )


@program
def trace_cases(torch):
    return (
        torch.arange(12.0).view(3, 4).trace(),
        torch.arange(12).view(4, 3).trace(),
        torch.arange(12, dtype=torch.int32).view(4, 3).trace().dtype,
        torch.zeros(0, 3).trace(),
    )


@error(RuntimeError, r"trace: expected a matrix, but got tensor with dim 3")
def trace_3d(torch):
    torch.zeros(2, 2, 2).trace()


@program
def diagonal_multidim(torch):
    x = torch.arange(120.0).view(2, 3, 4, 5)
    return (
        x.diagonal(0, 1, 3).shape,
        x.diagonal(1, 3, 1),
        x.diagonal(-2, 0, 2).shape,
        x.diagonal(0, -1, -4).stride(),
        x.diagonal(2, 2, 1).storage_offset(),
    )


@program
def flip_numpy_like(torch):
    x = torch.arange(24).view(2, 3, 4)
    return [x.flip(d) for d in ((0,), (1,), (2,), (0, 1), (1, 2), (0, 2), (0, 1, 2), (-1, -3))]


@program
def clone_memory_formats(torch):
    x = torch.randn(2, 3, 4, 5).permute(0, 2, 3, 1)
    return (
        x.clone().stride(),
        x.clone(memory_format=torch.contiguous_format).stride(),
        x.contiguous(memory_format=torch.channels_last).stride() if x.dim() == 4 else None,
        x.is_contiguous(memory_format=torch.channels_last),
        torch.empty_like(x).stride(),
        torch.zeros_like(x, memory_format=torch.contiguous_format).stride(),
        (x + 1).stride(),
        (x * x).stride(),
        x.to(torch.float64).stride(),
    )


@program
def nan_to_num_and_where_scalar(torch):
    x = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.0])
    return (
        x.nan_to_num(),
        x.nan_to_num(0.0, 1.0, -1.0),
        torch.tensor([float("inf")], dtype=torch.float16).nan_to_num(),
        torch.where(x > 0, x, 0.0),
        torch.tensor([1, 2]).nan_to_num(),
    )


@program
def addcmul_int_float_value_ok(torch):
    a = torch.ones(2, dtype=torch.int64)
    return torch.addcmul(a, a, a, value=0.5) if False else torch.addcmul(a, a, a, value=2)


@error(NotImplementedError, r"\"trace\" not implemented for 'Bool'")
def trace_bool(torch):
    torch.tensor([[True, True], [False, True]]).trace()


# ---- creation, as test_tensor_creation_ops checks it ------------------------------------------


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def int_tensor_requires_grad(torch):
    torch.tensor([1, 2], requires_grad=True)


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def zeros_int_requires_grad(torch):
    torch.zeros(2, dtype=torch.int64, requires_grad=True)


@program
def tensor_of_tensor_copies(torch):
    a = torch.ones(2, requires_grad=True)
    b = torch.tensor(a)
    c = torch.as_tensor(a)
    d = a.clone().detach()
    return (
        b.requires_grad,
        b.is_leaf,
        c is a,
        d.requires_grad,
        torch.tensor(a, requires_grad=True).requires_grad,
        torch.tensor(a, dtype=torch.float64).dtype,
    )


@program
def legacy_constructors(torch):
    return (
        torch.Tensor(2, 3).shape,
        torch.Tensor([1, 2]).dtype,
        torch.Tensor().shape,
        torch.LongTensor([1.7]),
        torch.FloatTensor(2).dtype,
        torch.BoolTensor([1, 0]),
        torch.Tensor(torch.Size([2, 2])).shape,
        torch.DoubleTensor([[1]]).dtype,
        torch.ByteTensor(3).dtype,
    )


@program
def new_method_legacy(torch):
    a = torch.ones(2, dtype=torch.float64)
    return (
        a.new(3).shape,
        a.new([1, 2]).dtype,
        a.new().shape,
        a.new(2, 2).dtype,
        a.new(torch.Size([1, 2])).shape,
    )


@program
def asarray_copy_and_dtype(torch):
    import numpy as np

    arr = np.arange(3.0)
    a = torch.asarray(arr)
    b = torch.asarray(arr, copy=True)
    arr[0] = 9
    t = torch.ones(2)
    return (
        a,
        b,
        torch.asarray(t) is t,
        torch.asarray(t, dtype=torch.float64).dtype,
        torch.asarray([1, 2]).dtype,
        torch.asarray(3.5).dtype,
        torch.asarray(t, copy=True) is t,
    )


@program
def full_bool_and_int_fill(torch):
    return (
        torch.full((2,), True).dtype,
        torch.full((2,), 1.0, dtype=torch.int64),
        torch.full((2,), 2, dtype=torch.bool),
        torch.full((2,), -1, dtype=torch.uint8),
        torch.full_like(torch.ones(2, dtype=torch.bool), 5),
        torch.full((2,), float("nan"), dtype=torch.float16),
    )


@error(RuntimeError, r"value cannot be converted to type int64_t without overflow")
def full_int_overflow(torch):
    torch.full((2,), 2.0**70, dtype=torch.int64)


@error(RuntimeError, r"value cannot be converted to type float without overflow")
def full_float_overflow(torch):
    torch.full((2,), 1e300)


@error(RuntimeError, r"value cannot be converted to type int without overflow")
def full_int32_overflow(torch):
    torch.full((2, 2), 2**40, dtype=torch.int32)


@error(ValueError, r"step must be nonzero")
def arange_int_step_truncated(torch):
    torch.arange(0, 5, 0.5, dtype=torch.int64)


@program
def empty_shapes_and_memory_format(torch):
    a = torch.empty(2, 3, 4, 5, memory_format=torch.channels_last)
    b = torch.empty_like(a)
    c = torch.zeros_like(a, memory_format=torch.contiguous_format)
    d = torch.empty((2, 3), dtype=torch.int16)
    return a.stride(), b.stride(), c.stride(), d.dtype, torch.empty(0).shape, torch.empty(()).shape


@error(RuntimeError, r"required rank 4 tensor to use channels_last format")
def empty_channels_last_rank3(torch):
    torch.empty(2, 3, 4, memory_format=torch.channels_last)


@program
def linspace_int_rounding(torch):
    return (
        torch.linspace(0, 10, 7, dtype=torch.int64),
        torch.linspace(-5, 5, 6, dtype=torch.int32),
        torch.linspace(10, 0, 4, dtype=torch.int16),
        torch.linspace(0, 1, 5, dtype=torch.uint8),
        torch.linspace(2, 2, 3),
        torch.linspace(0, 2**24 + 2, 3),
    )


@program
def logspace_int_and_dtype(torch):
    return (
        torch.logspace(0, 4, 5, base=2, dtype=torch.int64),
        torch.logspace(0, 2, 3, dtype=torch.int32),
        torch.logspace(0, 1, 3, dtype=torch.float64),
        torch.logspace(2, 0, 3, base=3.0),
    )


@program
def arange_large_and_negative_step(torch):
    return (
        torch.arange(-5, 5, 3),
        torch.arange(5, -5, -3),
        torch.arange(2**24, 2**24 + 4, dtype=torch.float32),
        torch.arange(0, 2.0**53, 2.0**51, dtype=torch.float64),
        torch.arange(1.5, 4.5).dtype,
        torch.arange(torch.tensor(1), torch.tensor(4.0)).dtype,
    )


@error(RuntimeError, r"invalid size, possible overflow\?")
def arange_too_large(torch):
    torch.arange(0, 1e30, 1e-10)


@program
def eye_out_and_like(torch):
    o = torch.empty(2, 3, dtype=torch.int64)
    torch.eye(3, out=o)
    return o, torch.eye(2, 2, dtype=torch.float16), torch.eye(1)


@program
def randperm_cases(torch):
    return (
        torch.randperm(0).shape,
        torch.randperm(1),
        torch.randperm(5).sort().values,
        torch.randperm(3, dtype=torch.int32).dtype,
    )


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[-1\]")
def randperm_negative(torch):
    torch.randperm(-1)


@program
def tril_indices_cases(torch):
    return (
        torch.tril_indices(3, 4, 1),
        torch.triu_indices(4, 3, -1),
        torch.tril_indices(0, 0).shape,
        torch.triu_indices(3, 3, 5).shape,
        torch.tril_indices(2, 5, -3).shape,
    )


@error(RuntimeError, r"row must be non-negative, got-1")
def tril_indices_negative(torch):
    torch.tril_indices(-1, 3)


@program
def zeros_like_dtypes_and_device(torch):
    a = torch.ones(2, 3, dtype=torch.float16)
    return (
        torch.zeros_like(a).dtype,
        torch.ones_like(a, dtype=torch.int8),
        torch.zeros_like(a, device="cpu").device,
        torch.empty_like(a, dtype=torch.bool).dtype,
        torch.full_like(a, 7, dtype=torch.int32),
        torch.ones_like(torch.tensor(3.5)).shape,
    )


@program
def heaviside_and_polar_free_creation(torch):
    return (
        torch.tensor([[1, 2], [3, 4]], dtype=torch.float16).dtype,
        torch.tensor(((1, 2), (3, 4))).shape,
        torch.tensor([[1.0], [2.0]]).stride(),
        torch.tensor(range(4)),
        torch.tensor([]).shape,
        torch.tensor([[], []]).shape,
        torch.tensor([[[]]]).shape,
    )


@error(TypeError, r"'float' object cannot be interpreted as an integer")
def tensor_range_float(torch):
    torch.tensor(range(2.5))


@program
def complex_free_scalar_conversions(torch):
    a = torch.tensor([2.5])
    return (
        int(a),
        float(torch.tensor([3])),
        bool(torch.tensor([0])),
        a.item(),
        torch.tensor(7).item(),
        torch.tensor(True).item(),
        torch.tensor([1.5], dtype=torch.float16).item(),
        a.tolist(),
        torch.tensor(2.0).tolist(),
    )


@error(RuntimeError, r"a Tensor with 2 elements cannot be converted to Scalar")
def item_many(torch):
    torch.tensor([1.0, 2.0]).item()


@error(RuntimeError, r"Boolean value of Tensor with more than one value is ambiguous")
def bool_many(torch):
    bool(torch.tensor([1.0, 2.0]))


@error(TypeError, r"only integer tensors of a single element can be converted to an index")
def index_float_tensor(torch):
    [1, 2, 3][torch.tensor(1.0)]


@program
def tensor_as_python_index(torch):
    return (
        [1, 2, 3][torch.tensor(1)],
        list(range(5))[torch.tensor(1) : torch.tensor(4)],
        int(torch.tensor([True])),
        operator_index(torch),
    )


def operator_index(torch):
    import operator

    return operator.index(torch.tensor(3))


# ---- tensor methods, as test_torch checks them ---------------------------------------------------


@program
def copy_broadcast_and_cast(torch):
    a = torch.zeros(2, 3)
    a.copy_(torch.tensor([1, 2, 3]))
    b = torch.zeros(2, 3, dtype=torch.int32)
    b.copy_(torch.tensor([[1.7], [-2.7]]))
    c = torch.zeros(3, dtype=torch.bool)
    c.copy_(torch.tensor([0.0, 0.5, 2.0]))
    d = torch.zeros(2, dtype=torch.float16)
    d.copy_(torch.tensor([1e5, 1.0]))
    return a, b, c, d


@error(
    RuntimeError,
    r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1",
)
def copy_bad_shape(torch):
    torch.zeros(2, 3).copy_(torch.zeros(2))


@program
def copy_grad_flows(torch):
    src = torch.randn(3, requires_grad=True)
    dst = torch.zeros(2, 3)
    dst.copy_(src)
    dst.sum().backward()
    return src.grad, dst.grad_fn.name(), dst.requires_grad


@program
def copy_into_view_grad(torch):
    src = torch.randn(2, requires_grad=True)
    base = torch.zeros(2, 3, requires_grad=True).clone()
    base[:, 1].copy_(src * 3)
    base.sum().backward()
    return src.grad, base.grad_fn.name()


@program
def resize_semantics(torch):
    a = torch.arange(6.0)
    a.resize_(2, 3)
    b = torch.arange(6.0)
    b.resize_(2)
    c = torch.arange(3.0)
    c.resize_as_(torch.zeros(1, 3))
    d = torch.arange(4.0)
    d.resize_(0)
    return a, b, c, d.shape, a.is_contiguous()


@error(RuntimeError, r"cannot resize variables that require grad")
def resize_requires_grad(torch):
    torch.zeros(3, requires_grad=True).resize_(2)


@program
def data_attribute(torch):
    a = torch.ones(3, requires_grad=True)
    d = a.data
    d.mul_(2)
    b = a * 1
    b.data = torch.zeros(3)
    a.data = torch.arange(3.0)
    return a, d.requires_grad, a.requires_grad, b, d._version, a._version, a.data is a


@program
def storage_sharing_checks(torch):
    a = torch.arange(6.0).view(2, 3)
    v = a[1]
    return (
        a.untyped_storage().data_ptr() == v.untyped_storage().data_ptr(),
        v.data_ptr() - a.data_ptr(),
        v.storage_offset(),
        a.untyped_storage().size(),
        a.nbytes,
        a.itemsize,
    )


@program
def T_deprecated_shapes(torch):
    return (
        torch.zeros(2, 3).T.shape,
        torch.zeros(3).T.shape,
        torch.tensor(1.0).T.shape,
        torch.zeros(2, 3, 4).mT.shape,
        torch.zeros(2, 3, 4).permute(2, 1, 0).shape,
    )


@error(
    RuntimeError, r"tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor."
)
def mT_1d(torch):
    torch.zeros(3).mT


@error(RuntimeError, r"tensor.H is only supported on matrices \(2-D tensors\). Got 3-D tensor.")
def H_3d(torch):
    torch.zeros(2, 3, 4).H


@program
def where_single_arg_and_scalars(torch):
    x = torch.tensor([[0, 1], [2, 0]])
    return (
        torch.where(x),
        torch.where(x > 0, 1.0, 0.0).dtype,
        torch.where(torch.tensor([True, False]), torch.tensor(1.0), torch.tensor([2.0, 3.0])),
    )


@program
def searchsorted_bucketize(torch):
    s = torch.tensor([1, 3, 5, 7, 9])
    v = torch.tensor([[3, 6, 9], [3, 6, 9]])
    return (
        torch.searchsorted(s, v),
        torch.searchsorted(s, v, right=True),
        torch.bucketize(v, s),
        torch.bucketize(v, s, right=True),
        torch.searchsorted(s, 6),
        torch.searchsorted(s, v, out_int32=True).dtype,
        torch.searchsorted(
            torch.tensor([3.0, 1.0, 2.0]), torch.tensor([2.5]), sorter=torch.tensor([1, 2, 0])
        ),
        torch.searchsorted(s, v, side="right"),
    )


@error(
    RuntimeError,
    r"torch.searchsorted\(\): side and right can't be set to opposites, got side of left while right was True",
)
def searchsorted_side_conflict(torch):
    torch.searchsorted(torch.tensor([1, 2]), torch.tensor([1]), right=True, side="left")


@program
def bincount_histc(torch):
    x = torch.tensor([0, 1, 1, 3])
    w = torch.tensor([0.5, 1.0, 1.0, 2.0])
    return (
        torch.bincount(x),
        torch.bincount(x, w),
        torch.bincount(x, minlength=6),
        torch.bincount(torch.tensor([], dtype=torch.long)),
        torch.histc(torch.tensor([1.0, 2, 1]), bins=4, min=0, max=3),
        torch.bincount(x, w.double()).dtype,
        torch.histc(torch.tensor([1.0, 2.0, 3.0]), bins=3),
    )


@error(RuntimeError, r"bincount only supports 1-d non-negative integral inputs.")
def bincount_negative(torch):
    torch.bincount(torch.tensor([-1, 2]))


@program
def diff_cumulative(torch):
    x = torch.tensor([[1, 3, 6], [2, 2, 7]])
    return (
        torch.diff(x),
        torch.diff(x, dim=0),
        torch.diff(x, n=2),
        torch.diff(x, prepend=torch.tensor([[0], [0]])),
        torch.diff(x, append=torch.tensor([[9], [9]]), n=3).shape,
        torch.diff(torch.tensor([True, False, False])),
        torch.cumsum(x, 1),
        torch.cumprod(x, 0),
        torch.cummax(x, 1),
        torch.logcumsumexp(x.float(), 1),
    )


@program
def apply_map_inplace(torch):
    a = torch.arange(4.0)
    a.apply_(lambda v: v * 2 + 1)
    b = torch.ones(4)
    b.map_(torch.arange(4.0), lambda x, y: x + y)
    return a, b


@program
def clone_strides_preserved(torch):
    a = torch.arange(24.0).view(2, 3, 4).permute(2, 0, 1)
    b = torch.arange(24.0).view(2, 3, 4)[:, ::2]
    c = torch.arange(6.0).view(2, 3).expand(4, 2, 3)
    return (
        a.clone().stride(),
        b.clone().stride(),
        c.clone().stride(),
        a.clone().is_contiguous(),
        torch.empty_like(b).stride(),
        (a * 2).stride(),
        (b + 1).stride(),
    )


@program
def sum_to_size_and_expand_grad(torch):
    x = torch.randn(3, 1, requires_grad=True)
    y = x.expand(3, 4)
    y.sum_to_size(3, 1)
    z = (y * torch.arange(12.0).view(3, 4)).sum()
    z.backward()
    return x.grad, torch.ones(2, 3, 4).sum_to_size(3, 1), torch.ones(2, 3).sum_to_size((1, 3))


@program
def set_from_tensor(torch):
    a = torch.arange(6.0)
    b = torch.empty(0)
    b.set_(a)
    a[3] = 100
    return b, b.is_set_to(a), a.untyped_storage().nbytes(), a.element_size()


@error(TypeError, r"rot90\(\): argument 'k' \(position 1\) must be int, not float")
def rot90_float_k(torch):
    torch.zeros(2, 3).rot90(1.5)


@error(RuntimeError, r"Trying to create tensor with negative dimension -4: \[2, 3, -4\]")
def tile_negative(torch):
    torch.zeros(2, 3, 4).tile(-1)


@program
def tile_pads_and_grad(torch):
    x = torch.arange(6.0).view(2, 3).requires_grad_()
    y = x.tile((2, 1, 2))
    (y * torch.arange(24.0).view(2, 2, 6)).sum().backward()
    return y.shape, x.grad, y.grad_fn.name(), x.tile(()).shape, torch.tensor(1.0).tile(3)


@program
def setitem_mixed_index_copyslices(torch):
    out = []
    for idx in [
        lambda: (1, torch.tensor([0, 0]), None),
        lambda: (torch.tensor([2, 0]), slice(1, 3)),
        lambda: (None, torch.tensor([1]), Ellipsis, 0),
        lambda: (torch.tensor(1), torch.tensor([0, 3])),
        lambda: (slice(None), torch.tensor([1, 1])),
    ]:
        x = torch.arange(12.0).view(3, 4).requires_grad_()
        v = torch.tensor(5.0, requires_grad=True)
        b = x * 1
        b[idx()] = v * 2
        (b * torch.arange(12.0).view(3, 4)).sum().backward()
        out.append((b, x.grad, v.grad, b.grad_fn.name()))
    return out


@program
def setitem_mixed_index_3d_values(torch):
    out = []
    for idx in [
        lambda: (torch.tensor([0, 1]), slice(1, 3), torch.tensor([0, 1])),
        lambda: (slice(0, 1), torch.tensor([0, 2]), torch.tensor([1, 3])),
        lambda: (None, torch.tensor([1]), slice(1, 2), torch.tensor([[0], [3]])),
        lambda: (slice(None), torch.tensor([True, False, True]), 1),
    ]:
        x = torch.arange(24.0).view(2, 3, 4).requires_grad_() * 1
        shape = x[idx()].shape
        x[idx()] = torch.arange(float(shape.numel())).view(shape) + 100
        out.append((x, x.grad_fn.name()))
    return out


@error(RuntimeError, r"value cannot be converted to type int8_t without overflow")
def linspace_int8_bounds(torch):
    torch.linspace(10000.0, 20000.0, 3, dtype=torch.int8)


@error(RuntimeError, r"value cannot be converted to type uint8_t without overflow")
def linspace_uint8_negative_float(torch):
    torch.linspace(-3.5, 3.5, 8, dtype=torch.uint8)


@program
def linspace_bounds_that_fit(torch):
    return (
        torch.linspace(10, -10, 5, dtype=torch.uint8),
        torch.linspace(-100, 100, 2, dtype=torch.int8),
        torch.linspace(float("nan"), 1, 2),
    )


@program
def view_dtype_inplace_untracked(torch):
    a = torch.ones(3, requires_grad=True)
    v = a.view(torch.int32)
    v.zero_()  # no tracked view: allowed on a leaf, as PyTorch's
    b = torch.ones(3, requires_grad=True) * 1
    b.view(torch.int32).fill_(0)
    b.sum().backward()
    return a.detach(), a._version, b, b._version, v._is_view()


@error(RuntimeError, r"modified by an inplace operation")
def view_dtype_inplace_bumps_shared_version(torch):
    a = torch.ones(3, requires_grad=True)
    b = a * 1
    c = b * b
    b.view(torch.int32).zero_()
    c.sum().backward()


@program
def numpy_bool_scalar_is_float(torch):
    import numpy as np

    b = torch.tensor([True, False])
    i = torch.tensor([1, 2])
    h = torch.ones(2, dtype=torch.float16)
    return (
        b + np.bool_(True),
        i * np.bool_(False),
        h + np.bool_(True),
        i == np.bool_(True),
        i + np.float64(1.5),
    )
