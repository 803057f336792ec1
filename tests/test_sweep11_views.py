"""Session 8 compatibility sweep of views, strides and storage: ``stride()``,
``storage_offset()``, ``is_contiguous()`` (also channels_last), view-or-copy, shared memory
and ``as_strided``, written the way PyTorch users use them. Each program runs with real
PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

import minitorch

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def geometry(t):
    """What a program compares of a view: its layout, not only its values."""
    if isinstance(t, (list, tuple)):
        return [geometry(x) for x in t]
    return tuple(t.shape), t.stride(), t.storage_offset(), t.is_contiguous(), t


# ---- indexing ---------------------------------------------------------------------------------
@program
def none_then_select_stride(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return geometry(x[:, None, 1]), geometry(x[None, 0]), geometry(x[1, :, None])


@program
def none_at_end_and_ellipsis(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return geometry(x[..., None]), geometry(x[:, None, :, None]), geometry(x[..., None, 2])


@program
def none_on_transposed(torch):
    x = torch.arange(24.0).reshape(4, 6).t()
    return geometry(x[:, None]), geometry(x[None, :, 1:3]), geometry(x[1:, None, ::2])


@program
def empty_slice_offset(torch):
    x = torch.arange(10)
    return geometry(x[3:3]), geometry(x[7:2]), geometry(x[20:])


@program
def empty_slice_2d(torch):
    x = torch.arange(12.0).reshape(3, 4)
    return geometry(x[1:1]), geometry(x[:, 2:2]), geometry(x[2:2, 1])


@program
def step_slices(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return geometry(x[::2, 1::3]), geometry(x[1::2][:, ::4]), geometry(x[-3:, -1])


@program
def chained_slices_offset(torch):
    x = torch.arange(100.0).reshape(10, 10)
    return geometry(x[2:][:, 3:][1:, ::2][0])


@program
def select_negative_and_zero_d(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return geometry(x[..., -1]), geometry(x[-1, ..., 1:]), geometry(x[1, 2, 3])


@program
def mask_index_copies(torch):
    x = torch.arange(6.0)
    r = x[x > 2]
    return geometry(r), r._base is None, geometry(x[[0, 2]])


# ---- unsqueeze / squeeze / view / reshape -----------------------------------------------------
@program
def unsqueeze_of_transposed(torch):
    x = torch.arange(24.0).reshape(4, 6).t()
    return geometry(x.unsqueeze(0)), geometry(x.unsqueeze(1)), geometry(x.unsqueeze(2))


@program
def unsqueeze_of_sliced(torch):
    y = torch.arange(24.0).reshape(4, 6)[:, 1:4]
    return [geometry(y.unsqueeze(d)) for d in (0, 1, 2, -1)]


@program
def unsqueeze_grad_of_transposed(torch):
    x = torch.arange(6.0).reshape(2, 3).t().requires_grad_()
    x.retain_grad()
    y = x.unsqueeze(-1)
    (y * torch.arange(6.0).reshape(3, 2, 1)).sum().backward()
    return geometry(y.detach()), x.grad, y.grad_fn.name()


@program
def squeeze_strides(torch):
    x = torch.arange(6.0).reshape(1, 2, 1, 3, 1)
    return (geometry(x.squeeze()), geometry(x.squeeze(2)), geometry(x.squeeze((0, 4))),
            geometry(x[:, :, :, ::2].squeeze()))  # fmt: skip


@program
def size1_dims_transposed(torch):
    x = torch.zeros(3, 1, 4)
    return geometry(x), geometry(x.transpose(0, 1)), geometry(x.permute(2, 1, 0))


@program
def view_shapes(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return (geometry(x.view(2, 12)), geometry(x.view(-1)), geometry(x.view(4, 1, 6)),
            geometry(x.view_as(torch.zeros(3, 8))))  # fmt: skip


@program
def view_of_transposed_compatible(torch):
    x = torch.arange(24.0).reshape(4, 6).t()
    y = torch.arange(24.0).reshape(2, 3, 4).transpose(1, 2)
    return geometry(x.view(6, 2, 2)), geometry(y.view(2, 2, 2, 3)), geometry(y.reshape(2, 12))


@program
def view_size1_noncontiguous(torch):
    x = torch.arange(24.0).reshape(4, 6)[:, ::2]
    return geometry(x.view(4, 1, 3)), geometry(x.view(4, 3, 1)), geometry(x.unsqueeze(1).view(4, 3))


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def view_of_transposed_flat(torch):
    return torch.arange(24.0).reshape(4, 6).t().view(-1)


@program
def reshape_of_noncontiguous_copies(torch):
    x = torch.arange(24.0).reshape(4, 6)
    r = x.t().reshape(24)
    r[0] = 100
    return x, geometry(r), r._base is None


@program
def reshape_views_when_possible(torch):
    x = torch.arange(24.0).reshape(4, 6)[:, :3]
    v = x.reshape(4, 3, 1)
    v.add_(1)
    return geometry(x.reshape(2, 2, 3)), geometry(x.reshape(12)), geometry(v), v._base is not None


@program
def flatten_and_ravel(torch):
    x = torch.arange(6.0)
    y = torch.arange(24.0).reshape(2, 3, 4)
    return (x.flatten() is x, geometry(x.flatten()), y.flatten(1)._base is y,
            geometry(y.transpose(0, 1).flatten()), geometry(torch.tensor(3.0).flatten()),
            geometry(y.ravel()), y.ravel()._base is y)  # fmt: skip


@program
def unflatten_strides(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return (geometry(x.unflatten(1, (2, 3))), geometry(x.t().unflatten(0, (3, 2))),
            geometry(x[:, ::2].unflatten(1, (3, 1))))  # fmt: skip


@program
def zero_d_views(torch):
    x = torch.tensor(3.0)
    return (geometry(x), geometry(x.view(1)), geometry(x.unsqueeze(0)), geometry(x.expand(3)),
            geometry(x.reshape(())), geometry(torch.arange(5.0)[2]))  # fmt: skip


# ---- permutations -----------------------------------------------------------------------------
@program
def transposes_and_permutes(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (geometry(x.transpose(0, 2)), geometry(x.permute(1, 2, 0)), geometry(x.mT),
            geometry(x[0].t()), geometry(x.swapaxes(0, 1)), geometry(x.swapdims(1, 2)),
            geometry(x.transpose(-1, -1)), geometry(x.mH), geometry(x.adjoint()))  # fmt: skip


@program
def movedim_strides(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (geometry(x.movedim(0, -1)), geometry(torch.movedim(x, (0, 1), (2, 0))),
            geometry(x.moveaxis(1, 0)))  # fmt: skip


@program
def t_of_1d_is_view(torch):
    x = torch.arange(3.0)
    return geometry(x.t()), x.t()._base is x


# ---- expand -----------------------------------------------------------------------------------
@program
def expand_stride_zero(torch):
    x = torch.arange(6.0).reshape(2, 1, 3)
    return (geometry(x.expand(4, 2, 5, 3)), geometry(x.expand(2, 1, 3)),
            geometry(x[:, :, ::2].expand(2, 4, 2)), geometry(torch.arange(3.0).expand(1, 3)))  # fmt: skip


@program
def expand_as_and_broadcast(torch):
    x = torch.arange(4.0).reshape(1, 4)
    return (geometry(x.expand_as(torch.zeros(3, 4))), geometry(x.expand(3, -1).contiguous()),
            geometry(x.broadcast_to((2, 3, 4))),
            geometry(torch.broadcast_tensors(torch.arange(3.0), torch.zeros(2, 1))))  # fmt: skip


@program
def expanded_storage_is_small(torch):
    e = torch.arange(3.0).expand(4, 3)
    return e.untyped_storage().nbytes(), len(e.untyped_storage()), geometry(e)


# ---- narrow / select / split / unfold / diagonal ---------------------------------------------
@program
def narrow_select_offsets(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return (geometry(x.narrow(1, 2, 3)), geometry(x.narrow(0, 1, 2)), geometry(x.select(1, 3)),
            geometry(x[2]), geometry(x.narrow(1, 6, 0)))  # fmt: skip


@program
def split_chunk_unbind(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return (geometry(x.split(2, 1)), geometry(x.chunk(3, 0)), geometry(x.unbind(1)),
            geometry(x.tensor_split(4, 1)), geometry(x.split([1, 5], 1)))  # fmt: skip


@program
def split_with_empty_piece(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return geometry(x.split([0, 3], 1)), geometry(x.split([3, 0], 1)), geometry(x.chunk(4))


@program
def unfold_strides(torch):
    x = torch.arange(20.0).reshape(4, 5)
    return (geometry(x.unfold(1, 2, 1)), geometry(x.unfold(0, 2, 2)),
            geometry(torch.arange(10.0).unfold(0, 3, 3)), geometry(x.t().unfold(0, 2, 2)))  # fmt: skip


@program
def diagonal_strides(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (geometry(x.diagonal()), geometry(x.diagonal(1, 1, 2)), geometry(x.diagonal(-1, 0, 2)),
            geometry(torch.diagonal(x, 5, 1, 2)))  # fmt: skip


# ---- contiguous / clone / memory formats --------------------------------------------------------
@program
def contiguous_and_clone(torch):
    x = torch.arange(24.0).reshape(2, 3, 4).transpose(0, 2)
    y = torch.arange(6.0)
    return (geometry(x.contiguous()), geometry(x.clone()),
            geometry(x.clone(memory_format=torch.contiguous_format)),
            y.contiguous() is y, y.t().contiguous() is y)  # fmt: skip


@program
def clone_preserve_format(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (geometry(x.permute(2, 0, 1).clone()), geometry(x[:, ::2].clone()),
            geometry(x.transpose(0, 1).clone(memory_format=torch.preserve_format)),
            geometry(x.expand(2, 2, 3, 4).clone()))  # fmt: skip


@program
def like_ops_keep_layout(torch):
    x = torch.arange(24.0).reshape(2, 3, 4).permute(2, 0, 1)
    return (torch.empty_like(x).stride(), geometry(torch.zeros_like(x)), geometry(x * 2),
            geometry(x.exp()))  # fmt: skip


@program
def channels_last_strides(torch):
    x = torch.arange(120.0).reshape(2, 3, 4, 5)
    c = x.contiguous(memory_format=torch.channels_last)
    return (geometry(c), c.is_contiguous(memory_format=torch.channels_last), geometry(c.clone()),
            geometry(c + 1), geometry(c.contiguous()))  # fmt: skip


@program
def channels_last_3d_strides(torch):
    c = torch.arange(240.0).reshape(2, 3, 4, 5, 2).to(memory_format=torch.channels_last_3d)
    return (geometry(c), c.is_contiguous(memory_format=torch.channels_last_3d),
            c.is_contiguous(memory_format=torch.channels_last))  # fmt: skip


@program
def channels_last_size1(torch):
    x = torch.zeros(2, 1, 4, 5)
    return (x.is_contiguous(memory_format=torch.channels_last),
            geometry(x.contiguous(memory_format=torch.channels_last)),
            torch.zeros(2, 3, 1, 1).is_contiguous(memory_format=torch.channels_last))  # fmt: skip


@error(RuntimeError, r"required rank 4 tensor to use channels_last format")
def channels_last_of_3d(torch):
    return torch.zeros(2, 3, 4).contiguous(memory_format=torch.channels_last)


# ---- shared memory ------------------------------------------------------------------------------
@program
def views_write_through(torch):
    x = torch.zeros(4, 6)
    x[1:3, ::2].fill_(1)
    x.t()[0].add_(5)
    x.diagonal().mul_(2)
    x.unfold(1, 2, 2)[0, 1].sub_(1)
    return x


@program
def base_of_views(torch):
    x = torch.arange(24.0).reshape(4, 6)
    v = x[1:3]
    return (v._base is x, v.t()._base is x, x._base is None, x.t().reshape(-1)._base is None,
            x.view(-1)._base is x, x[:, None]._base is x, x[3:3]._base is x)  # fmt: skip


@program
def data_ptr_of_views(torch):
    x = torch.arange(24.0).reshape(4, 6)
    views = [x[1], x[:, 2], x[2:, 3:], x.t()[3], x.diagonal(1), x.unfold(1, 2, 2), x[:, None, 2]]
    return ([(v.data_ptr() - x.data_ptr()) == v.storage_offset() * x.element_size() for v in views],
            [v.storage_offset() for v in views],
            [v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr() for v in views])  # fmt: skip


@program
def untyped_storage_of_view(torch):
    x = torch.arange(24.0).reshape(4, 6)
    v = x[1:, 2:]
    s = v.untyped_storage()
    return s.size(), s.nbytes(), s.data_ptr() == x.data_ptr(), len(s), s[4], s[0]


@program
def view_dtype_strides(torch):
    x = torch.arange(24.0).reshape(4, 6)
    return (geometry(x.view(torch.int32)), geometry(x.view(torch.uint8)),
            geometry(x.view(torch.int16)), geometry(x[:, ::2].view(torch.int32)))  # fmt: skip


@program
def view_dtype_wider(torch):
    x = torch.arange(24).reshape(4, 6).to(torch.int16)
    return geometry(x.view(torch.float32)), geometry(x.reshape(3, 8)[:, 4:].view(torch.int64))


@error(RuntimeError, r"self.stride\(-1\) must be 1 to view Short as Int")
def view_dtype_transposed(torch):
    return torch.arange(24).reshape(4, 6).to(torch.int16).t().view(torch.int32)


@error(RuntimeError, r"self.size\(-1\) must be divisible by 2 to view Short as Int")
def view_dtype_odd_last_dim(torch):
    return torch.arange(15).reshape(3, 5).to(torch.int16).view(torch.int32)


# ---- as_strided / empty_strided ----------------------------------------------------------------
@program
def as_strided_contiguous(torch):
    x = torch.arange(9.0).reshape(3, 3)
    return geometry(x.as_strided((2, 2), (1, 2))), geometry(x.as_strided((2,), (3,), 1))


@program
def empty_strided_geometry(torch):
    e = torch.empty_strided((2, 3), (1, 2))
    return (e.stride(), e.storage_offset(), e.is_contiguous(), e.untyped_storage().nbytes(),
            torch.empty_strided((2, 0, 3), (3, 3, 1)).stride(),
            torch.empty_strided((2, 3), (0, 1), dtype=torch.float64).stride())  # fmt: skip


@program
def as_strided_of_sliced_view(torch):
    x = torch.arange(24.0).reshape(4, 6)
    v = x[1:, 2:]
    a = v.as_strided((2, 2), (6, 1))
    a.mul_(-1)  # writes reach the base
    return geometry(a), v.t().as_strided((3,), (7,), 2), x


@program
def as_strided_of_transposed_grad(torch):
    x = torch.arange(24.0).reshape(4, 6).requires_grad_()
    v = x[1:, 2:] * 1
    a = v.t().as_strided((2, 2), (1, 2))
    (a * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return a, x.grad, a.grad_fn.name()


@program
def as_strided_reads_outside_the_view(torch):
    x = torch.arange(10.0)
    return x[2:5].as_strided((2, 3), (3, 1), 0), x[4:].as_strided((3,), (2,))


@program
def as_strided_grad_of_offset_view(torch):
    w = torch.arange(12.0, dtype=torch.float64).requires_grad_()
    y = w.view(3, 4)[1:].as_strided((3, 2), (2, 1), 5)
    y.pow(2).sum().backward()
    return y, w.grad


@error(RuntimeError, r"out of bounds for storage of size 40")
def as_strided_past_the_storage_of_a_view(torch):
    return torch.arange(10.0)[2:5].as_strided((4, 3), (3, 1))


def test_as_strided_of_a_view_gradchecks():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    x = minitorch.randn(5, 6, dtype=minitorch.float64, requires_grad=True)

    def f(x):
        v = (x * 1)[1:, 2:].t()
        return v.as_strided((2, 3), (1, 6), 8)  # within v: PyTorch drops what lies outside

    assert gradcheck(f, (x,))
    assert gradgradcheck(f, (x,))


def test_indexing_an_empty_product_past_its_empty_buffer():
    """A step of an empty batch (an RNN over batch 0): the view PyTorch's start asks for lies
    past the end of the empty buffer, so numpy's own empty result stands."""
    x = minitorch.nn.functional.linear(minitorch.zeros(5, 0, 3), minitorch.zeros(4, 3))
    assert x[1].shape == (0, 4) and x[1].stride() == (4, 1)
