"""Session 7 compatibility sweep of tensor manipulation and the long tail of elementwise math:
short programs written as PyTorch users write them run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py) and must give the same values, dtypes, shapes,
``requires_grad`` and gradients; error programs must raise PyTorch's exception type with its
message's key words. The programs marked ``# fixed`` differed before session 7."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-12, "atol": 1e-14})
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.sinc(x),  # the gradient follows PyTorch's formula now
        lambda m, x: m.frexp(x * 8).mantissa,  # scaled by two half-scales now
        lambda m, x: (x - 0.5).abs() * x,
        lambda m, x: m.lerp(x, x.flip(0), x.roll(1)),
    ],
    ids=["sinc", "frexp", "abs", "lerp"],
)
def test_gradients_of_changed_ops(fn):
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    x = minitorch.tensor([0.3, -1.7, 2.2, 0.9], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: fn(minitorch, t), (x,))
    assert gradgradcheck(lambda t: fn(minitorch, t), (x,))


def _ar(torch, *shape, dtype=None, grad=False):
    n = 1
    for s in shape:
        n *= s
    x = torch.arange(n, dtype=dtype or torch.float64).reshape(*shape)
    return x.requires_grad_() if grad else x


def _rand(torch, *shape, dtype=None):
    x = torch.rand(*shape, dtype=dtype or torch.float64)
    return x.requires_grad_()


def _grads(out, *inputs):
    """Backward of a weighted sum of ``out`` (weights 1..n), then the inputs' grads."""
    w = (out.new_ones(out.shape).flatten().cumsum(0)).reshape(out.shape)
    (out * w).sum().backward()
    return [out] + [x.grad for x in inputs]


# ---- shape ops ---------------------------------------------------------------------------------
@program
def unfold_windows_and_grad(torch):
    x = _ar(torch, 2, 7, grad=True)
    u = x.unfold(1, 3, 2)
    return _grads(u, x) + [
        x.unfold(0, 1, 1).shape,
        _ar(torch, 5).unfold(0, 5, 1),
        _ar(torch, 0).unfold(0, 0, 1).shape,
    ]


@program
def unfold_step_larger_than_size(torch):
    x = _ar(torch, 10, grad=True)
    return _grads(x.unfold(0, 2, 4), x)


@program
def as_strided_overlapping_grad(torch):
    x = _ar(torch, 6, grad=True)
    y = x.as_strided((3, 3), (1, 1))
    z = torch.as_strided(x, (2, 2), (2, 1), 1)
    return _grads(y, x) + [z]


@program
def movedim_moveaxis_swapaxes(torch):
    x = _ar(torch, 2, 3, 4, grad=True)
    a = torch.movedim(x, -1, 0)
    b = torch.moveaxis(x, (0, 2), (2, 0))
    c = x.swapaxes(0, 2)
    d = torch.swapdims(x, 1, -1)
    out = a.sum() + (b * 2).sum() + (c * 3).sum() + (d[0] * 4).sum()
    out.backward()
    return a.shape, b.shape, c, d.is_contiguous(), x.grad


@program
def unflatten_named_sizes_and_grad(torch):
    x = _ar(torch, 2, 12, grad=True)
    y = x.unflatten(1, (2, -1, 3))
    return _grads(y, x) + [
        torch.unflatten(x, -1, (3, 4)).shape,
        _ar(torch, 0, 4).unflatten(0, (0, 5)).shape,
    ]


@program
def narrow_with_tensor_start_and_negative(torch):
    x = _ar(torch, 4, 5, grad=True)
    a = x.narrow(1, -3, 2)
    b = torch.narrow(x, 0, torch.tensor(1), 2)
    return _grads(a[1:3] + b[:, :2], x)


@program
def chunk_uneven_and_empty(torch):
    x = _ar(torch, 5, 3)
    return (
        x.chunk(2),
        x.chunk(10),
        x.chunk(2, dim=1),
        _ar(torch, 0, 3).chunk(3),
        torch.chunk(_ar(torch, 6), 4),
    )


@program
def tensor_split_forms(torch):
    x = _ar(torch, 7, 4)
    return (
        x.tensor_split(3),
        x.tensor_split([1, 5]),
        x.tensor_split((2, 2, 9)),
        x.tensor_split(torch.tensor([1, 3])),
        x.tensor_split(torch.tensor(3)),
        x.tensor_split(3, dim=1),
        torch.tensor_split(x, [3, 1], dim=0),
        x.tensor_split([-2]),
    )


@program
def hsplit_vsplit_dsplit(torch):
    x = _ar(torch, 4, 4, 4)
    v = _ar(torch, 6)
    return (
        torch.hsplit(x, 2),
        torch.hsplit(x, [1, 3]),
        torch.vsplit(x, [3]),
        torch.dsplit(x, 4),
        torch.hsplit(v, 3),
        torch.hsplit(v, [2]),
    )


@error(RuntimeError, r"torch.hsplit attempted to split along dimension 1, but the size of the dimension 3 is not divisible by the split_size 2!")  # fmt: skip
def hsplit_not_divisible(torch):
    return torch.hsplit(_ar(torch, 2, 3), 2)


@error(RuntimeError, r"torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!")  # fmt: skip
def dsplit_of_matrix(torch):
    return torch.dsplit(_ar(torch, 2, 4), 2)


@program
def stacks_of_mixed_ranks(torch):
    a, b = _ar(torch, 3, grad=True), _rand(torch, 3)
    m = _ar(torch, 2, 3)
    out = [
        torch.hstack([a, b]),
        torch.vstack([a, b]),
        torch.dstack([a, b]),
        torch.column_stack([a, m.t(), b]),
        torch.row_stack([a, m]),
        torch.vstack([torch.tensor(1.0), torch.tensor(2.0)]),
        torch.dstack([m, m]),
        torch.hstack([m, m.int()]),
    ]
    sum(o.sum() * (i + 1) for i, o in enumerate(out[:5])).backward()
    return out + [a.grad, b.grad]


@program
def roll_several_dims_and_flat(torch):
    x = _ar(torch, 3, 4, grad=True)
    a = x.roll(1)
    b = torch.roll(x, shifts=(-1, 5), dims=(0, 1))
    c = x.roll(-7, 1)
    return _grads(a + 2 * b + 3 * c, x) + [_ar(torch, 0).roll(3), _ar(torch, 2, 2).t().roll(1)]


@program
def flip_variants(torch):
    x = _ar(torch, 2, 3, 2, grad=True)
    a = x.flip(0, 2)
    b = torch.fliplr(x)
    c = torch.flipud(x)
    return _grads(a + 2 * b + 3 * c, x) + [x.flip(-1).is_contiguous(), _ar(torch, 3).flip(0)]


@program
def rot90_every_k(torch):
    x = _ar(torch, 2, 3, grad=True)
    outs = [torch.rot90(x, k) for k in (-3, -1, 0, 1, 2, 5)]
    outs.append(x.rot90(1, [1, 0]))
    sum((o * (i + 1)).sum() for i, o in enumerate(outs)).backward()
    return outs + [x.grad, _ar(torch, 2, 3, 4).rot90(1, (0, 2))]


@error(RuntimeError, r"expected total rotation dims == 2, but got dims = 3")
def rot90_three_dims(torch):
    return torch.rot90(_ar(torch, 2, 2, 2), 1, [0, 1, 2])


@error(RuntimeError, r"expected rotation dims to be different, but got dim0 = 1 and dim1 = 1")
def rot90_same_dims(torch):
    return torch.rot90(_ar(torch, 2, 2), 1, [1, 1])


@program
def tril_triu_offsets(torch):
    x = _ar(torch, 3, 5, grad=True)
    outs = [x.tril(), x.tril(-1), x.tril(2), x.triu(1), torch.triu(x, -2), x.triu(10), x.tril(-10)]
    sum((o * (i + 1)).sum() for i, o in enumerate(outs)).backward()
    b = _ar(torch, 2, 3, 3, dtype=torch.int64)
    return outs + [
        x.grad,
        b.triu(),
        b.tril(1),
        torch.ones(3, 3, dtype=torch.bool).tril(),
        _ar(torch, 0, 3).triu(),
    ]


@program
def tril_triu_indices(torch):
    return (
        torch.tril_indices(3, 3),
        torch.tril_indices(4, 3, 1),
        torch.triu_indices(3, 4, -1),
        torch.triu_indices(3, 3, 1, dtype=torch.int32),
        torch.tril_indices(0, 0),
    )


@program
def diag_both_ways(torch):
    v = _ar(torch, 3, grad=True)
    m = _ar(torch, 3, 4, grad=True)
    a = torch.diag(v, 1)
    b = torch.diag(v, -2)
    c = m.diag()
    d = m.diag(2)
    e = torch.diag(m, -1)
    f = m.diag(7)
    (a.sum() + 2 * b.sum() + (3 * c).sum() + (d * 4).sum() + (e * 5).sum()).backward()
    return a, b, c, d, e, f, v.grad, m.grad


@program
def diag_embed_and_diagonal(torch):
    x = _ar(torch, 2, 3, grad=True)
    a = torch.diag_embed(x)
    b = torch.diag_embed(x, offset=-1, dim1=0, dim2=2)
    c = x.diag_embed(1, -1, -2)
    m = _ar(torch, 2, 3, 4, grad=True)
    d = m.diagonal()
    e = torch.diagonal(m, 1, 1, 2)
    f = m.diagonal(offset=-1, dim1=-1, dim2=0)
    g = m.diagonal(5)
    (a.sum() + (2 * b).sum() + (3 * c).sum()).backward()
    ((d * 2).sum() + (e * 3).sum() + (f * 5).sum()).backward()
    return a, b, c, d, e, f, g.shape, x.grad, m.grad


@program
def diagonal_is_a_view(torch):
    m = torch.zeros(3, 3)
    m.diagonal().fill_(1.0)
    m.diagonal(1).add_(2.0)
    torch.diagonal(m, -1).copy_(torch.tensor([5.0, 6.0]))
    return m


@program
def diagflat_and_fill_diagonal(torch):
    x = _ar(torch, 2, 2, grad=True)
    a = torch.diagflat(x)
    b = torch.diagflat(x, -1)
    m = torch.zeros(5, 3)
    m.fill_diagonal_(2.0)
    w = torch.zeros(7, 3)
    w.fill_diagonal_(1.0, wrap=True)
    return _grads(a + b[:-1, 1:], x) + [m, w]


@program
def kron_shapes_and_grad(torch):
    a = _ar(torch, 2, 2, grad=True)
    b = _rand(torch, 3, 1)
    c = torch.kron(a, b)
    return _grads(c, a, b) + [
        torch.kron(_ar(torch, 2), _ar(torch, 2, 2)),
        torch.kron(_ar(torch, 2, dtype=torch.int64), torch.tensor([1, -1])),
    ]


@program
def block_diag_mixed(torch):
    a = _ar(torch, 2, 2, grad=True)
    b = torch.tensor([7.0, 8.0], dtype=torch.float64, requires_grad=True)
    c = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)
    d = torch.block_diag(a, b, c, torch.zeros(0, 2, dtype=torch.float64))
    return _grads(d, a, b, c) + [
        torch.block_diag(torch.tensor([1, 2]), torch.ones(1, 1)),
        torch.block_diag(),
    ]


@program
def cartesian_prod_and_combinations(torch):
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([4, 5])
    x = _ar(torch, 4, grad=True)
    c = torch.combinations(x, 3)
    d = torch.combinations(x, 2, with_replacement=True)
    return _grads(c.sum(1) + 0, x) + [
        torch.cartesian_prod(a, b),
        torch.cartesian_prod(a),
        torch.cartesian_prod(a, b, a).shape,
        d,
        torch.combinations(a, 0),
        torch.combinations(a, 4).shape,
    ]


@program
def meshgrid_indexing(torch):
    a = _ar(torch, 3, grad=True)
    b = _ar(torch, 2)
    xy = torch.meshgrid(a, b, indexing="xy")
    ij = torch.meshgrid(a, b, indexing="ij")
    lst = torch.meshgrid([a, b], indexing="ij")
    one = torch.meshgrid(a, indexing="xy")
    (xy[0] * 2 + ij[0].t() * 3).sum().backward()
    return (
        xy,
        ij,
        lst,
        one,
        a.grad,
        torch.meshgrid(a, b, torch.tensor([1.0, 2, 3, 4], dtype=torch.float64), indexing="xy")[
            2
        ].shape,
    )


@program
def broadcast_family(torch):
    x = _ar(torch, 3, 1, grad=True)
    y = torch.broadcast_to(x, (2, 3, 4))
    a, b = torch.broadcast_tensors(x, _ar(torch, 5, 1, 4))
    return _grads(y, x) + [
        a.shape,
        b.shape,
        torch.broadcast_shapes((3, 1), (1, 4), ()),
        torch.broadcast_shapes(2, (3, 1)),
        torch.broadcast_shapes(),
        x.broadcast_to(-1, 2).shape,
        type(torch.broadcast_shapes((1,), (2,))).__name__,
    ]


@error(RuntimeError, r"Attempting to broadcast a dimension of length 4 at -1! Mismatching argument at index 2 had \(1, 4\); but expected shape should be broadcastable to \[3, 2\]")  # fmt: skip
def broadcast_shapes_mismatch(torch):  # fixed: numpy's message
    return torch.broadcast_shapes((2,), (3, 1), (1, 4))


@error(ValueError, r"Attempting to broadcast a dimension with negative length!")
def broadcast_shapes_negative(torch):  # fixed: no error
    return torch.broadcast_shapes((-1,), (2,))


@error(RuntimeError, r"The expanded size of the tensor \(4\) must match the existing size \(3\) at non-singleton dimension 1")  # fmt: skip
def broadcast_to_mismatch(torch):
    return torch.broadcast_to(_ar(torch, 2, 3), (2, 4))


@program
def expand_minus_one_and_new_dims(torch):
    x = _ar(torch, 1, 3, grad=True)
    y = x.expand(4, -1, -1)
    z = x.expand_as(torch.ones(2, 3))
    return _grads(y.sum(0) + z.sum(0), x) + [
        y.stride(),
        y.is_contiguous(),
        _ar(torch, 3).expand(2, 3).shape,
    ]


@error(RuntimeError, r"expand\(torch.DoubleTensor\{\[2, 3\]\}, size=\[3\]\): the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)")  # fmt: skip
def expand_fewer_dims(torch):
    return _ar(torch, 2, 3).expand(3)


@error(RuntimeError, r"The expanded size of the tensor \(-1\) isn't allowed in a leading, non-existing dimension 0")  # fmt: skip
def expand_leading_minus_one(torch):
    return _ar(torch, 3).expand(-1, 3)


@program
def repeat_interleave_forms(torch):
    x = _ar(torch, 2, 3, grad=True)
    a = x.repeat_interleave(2)
    b = x.repeat_interleave(torch.tensor([1, 2]), dim=0)
    c = torch.repeat_interleave(x, torch.tensor([0, 3, 1]), dim=1, output_size=4)
    d = x.repeat_interleave(3, dim=-1)
    (a.sum() + (2 * b).sum() + (3 * c).sum() + (d * 4).sum()).backward()
    return (
        a,
        b,
        c,
        d,
        x.grad,
        torch.repeat_interleave(torch.tensor([2, 0, 1])),
        x.repeat_interleave(torch.tensor(2), 0).shape,
    )


@error(RuntimeError, r"repeats must have the same size as input along dim")
def repeat_interleave_wrong_length(torch):
    return _ar(torch, 2, 3).repeat_interleave(torch.tensor([1, 2]), dim=1)


@error(RuntimeError, r"repeats can not be negative")
def repeat_interleave_negative(torch):
    return torch.repeat_interleave(torch.tensor([1, -1]))


@program
def tile_and_repeat(torch):
    x = _ar(torch, 2, 2, grad=True)
    a = x.tile(2)
    b = torch.tile(x, (2, 1, 3))
    c = x.repeat(1, 2, 1)
    (a.sum() + (2 * b).sum() + (3 * c).sum()).backward()
    return a, b, c, x.grad, _ar(torch, 3).tile(()).shape, _ar(torch, 2).repeat(0, 2).shape


@program
def flatten_ranges(torch):
    x = _ar(torch, 2, 3, 4, 5, grad=True)
    a = x.flatten(1, 2)
    b = torch.flatten(x, -3, -2)
    c = x.flatten(start_dim=2)
    d = torch.tensor(3.0).flatten()
    e = x.flatten(2, 2)
    return _grads(a.sum(1) + b.sum(1) + c.sum(2).sum(-1, keepdim=True), x) + [
        d,
        e.shape,
        x.ravel().shape,
    ]


@error(RuntimeError, r"flatten\(\) has invalid args: start_dim cannot come after end_dim")
def flatten_start_after_end(torch):
    return _ar(torch, 2, 3, 4).flatten(2, 1)


@program
def squeeze_tuple_dims(torch):
    x = _ar(torch, 1, 3, 1, 1, grad=True)
    a = x.squeeze((0, 2))
    b = torch.squeeze(x, (-1, 1))
    c = x.squeeze(1)
    d = x.unsqueeze(-1).unsqueeze(0)
    return _grads(a.sum(-1) + b.sum(-1).sum(-1), x) + [
        c.shape,
        d.shape,
        x.squeeze().shape,
        torch.tensor(1.0).squeeze(0).shape,
    ]


@program
def view_as_other_dtype(torch):
    x = torch.tensor([1.0, -2.0, 0.5, 3.0])
    i = x.view(torch.int32)
    b = x.view(torch.uint8)
    h = x.view(torch.float16)
    d = x.view(torch.float64)
    back = i.view(torch.float32)
    i16 = torch.tensor([1, 2, 3, 4], dtype=torch.int16).view(torch.int32)
    return i, b.shape, h.shape, d.shape, back, i16, torch.tensor([[1.0, 2.0]]).view(torch.int16)


@error(RuntimeError, r"self.size\(-1\) must be divisible by 2 to view Float as Double \(different element sizes\)")  # fmt: skip
def view_odd_last_dim_as_double(torch):
    return torch.ones(3).view(torch.float64)


@program
def clone_contiguous_and_memory(torch):
    x = _ar(torch, 3, 4, grad=True)
    t = x.t()
    c = t.clone()
    k = t.contiguous()
    out = c * 2 + k
    out.sum().backward()
    return (
        c.is_contiguous(),
        k.is_contiguous(),
        c.stride(),
        t.stride(),
        x.grad,
        x.contiguous() is x,
        c.requires_grad,
    )


@program
def transposes_t_T_mT_mH(torch):
    x = _ar(torch, 2, 3, 4, grad=True)
    m = _ar(torch, 3, 4)
    v = _ar(torch, 3)
    a = x.mT
    b = x.mH
    out = [a, b, m.T, m.t(), v.t(), v.T, m.H, m.adjoint(), torch.t(v), torch.tensor(2.0).t()]
    ((a * 2).sum() + b.sum()).backward()
    return out + [x.grad, x.permute(*range(x.ndim - 1, -1, -1)).shape]


@program
def resize_grow_and_shrink(torch):
    x = _ar(torch, 2, 3, dtype=torch.float32)
    x.resize_(3, 2)
    a = x.clone()
    x.resize_(4)
    b = x.clone()
    y = torch.tensor([1, 2, 3])
    y.resize_as_(torch.zeros(1, 3))
    z = torch.tensor([1.0, 2.0])
    z.resize_(0)
    return a, b, y, z.shape


# ---- elementwise math -------------------------------------------------------------------------
@program
def clamp_with_tensor_bounds(torch):
    x = torch.linspace(-3, 3, 7, dtype=torch.float64, requires_grad=True)
    lo = torch.tensor(
        [-1.0, 0.0, -2.0, 1.0, 0.0, 2.0, 5.0], dtype=torch.float64, requires_grad=True
    )
    hi = torch.full((7,), 1.5, dtype=torch.float64, requires_grad=True)
    a = x.clamp(lo, hi)
    b = torch.clamp(x, min=lo)
    c = torch.clip(x, max=hi)
    d = x.clamp(min=torch.tensor(0.5, dtype=torch.float64))
    return _grads(a + 2 * b + 3 * c + 4 * d, x, lo, hi)


@program
def clamp_min_greater_than_max(torch):
    x = torch.linspace(-3, 3, 7, dtype=torch.float64, requires_grad=True)
    y = x.clamp(2.0, 1.0)
    z = torch.clamp(torch.arange(6), 4, 2)
    return _grads(y, x) + [z, torch.clamp(torch.tensor([1, 5, 9]), min=2.5)]


@error(RuntimeError, r"torch.clamp: At least one of 'min' or 'max' must not be None")
def clamp_without_bounds(torch):
    return torch.clamp(torch.ones(2))


@program
def where_with_scalars(torch):
    c = torch.tensor([True, False, True])
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    a = torch.where(c, x, 0.0)
    b = torch.where(c, 1.0, x)
    return _grads(a + 2 * b, x) + [
        torch.where(c, 1, 0),
        torch.where(c, 1.5, 0),
        torch.where(c, torch.tensor([1, 2, 3]), 0.5),
        torch.where(c, torch.tensor([1, 2, 3], dtype=torch.uint8), -1),
        torch.where(c, torch.ones(3, dtype=torch.float16), 2.0),
        torch.where(torch.tensor([[0, 1], [2, 0]])),
        x.where(c, -1.0),
    ]


@error(RuntimeError, r"value cannot be converted to type int8")
def where_int_scalar_overflows_int8(torch):  # fixed: wrapped to 44
    return torch.where(torch.tensor([True, False]), torch.tensor([1, 2], dtype=torch.int8), 300)


@error(RuntimeError, r"value cannot be converted to type uint8")
def clamp_bound_overflows_uint8(torch):  # fixed: ignored
    return torch.tensor([1, 200], dtype=torch.uint8).clamp(-300)


@error(RuntimeError, r"value cannot be converted to type")
def clamp_bound_overflows_float16(torch):  # fixed: ignored
    return torch.ones(2, dtype=torch.float16).clamp(max=1e6)


@program
def clamp_of_uint8_with_negative_bound(torch):  # fixed: min=-3 was ignored, max=-3 raised
    x = torch.tensor([1, 200], dtype=torch.uint8)
    return x.clamp(min=-3), x.clamp(max=-3), torch.tensor([1, 100], dtype=torch.int8).clamp(-5, 2)


@program
def lerp_tensor_weight(torch):
    a = _rand(torch, 3, 4)
    b = _rand(torch, 4)
    w = _rand(torch, 3, 1)
    c = torch.lerp(a, b, w)
    d = a.lerp(b, 0.75)
    e = torch.lerp(a, b, torch.tensor(0.3, dtype=torch.float64))
    return _grads(c + 2 * d + 3 * e, a, b, w)


@program
def hypot_atan2_grads_and_ints(torch):
    a = _rand(torch, 3, 1)
    b = _rand(torch, 4) - 0.5
    h = torch.hypot(a, b)
    t = torch.atan2(b, a)
    out = _grads(h + 2 * t, a, b)
    i = torch.tensor([3, -4, 0])
    return out + [
        torch.atan2(i, torch.tensor([0, 0, 0])),
        torch.arctan2(i.float(), 2.0 * torch.ones(3)),
    ]


@program
def fmod_remainder_floor_divide_signs(torch):
    a = torch.tensor([-7, -3, 3, 7, 0])
    b = torch.tensor([2, -2, -2, 3, 5])
    f = torch.tensor([-7.5, -3.0, 3.0, 7.25, -0.0], dtype=torch.float64)
    return (
        torch.fmod(a, b),
        torch.remainder(a, b),
        a % b,
        torch.floor_divide(a, b),
        a // b,
        torch.fmod(f, 2),
        torch.remainder(f, -2),
        f % 2.5,
        torch.fmod(a, 3),
        torch.remainder(a, -3),
        torch.remainder(5, a[:4]),
        torch.fmod(f, torch.tensor([0.0])),
        torch.remainder(f, 0.0),
        a.float() // 0,
        torch.div(a, b, rounding_mode="trunc"),
        torch.div(f, 2, rounding_mode="floor"),
    )


@program
def fmod_remainder_grads(torch):
    x = torch.tensor([-7.5, -3.1, 3.3, 7.25], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([2.0, -2.0, 1.5, 3.0], dtype=torch.float64, requires_grad=True)
    return _grads(torch.fmod(x, y) + 2 * torch.remainder(x, y), x, y)


@error(RuntimeError, r"ZeroDivisionError")  # fmt: skip
def integer_remainder_by_zero(torch):
    return torch.remainder(torch.tensor([1, 2]), 0)


@program
def logaddexp_family(torch):
    a = torch.tensor(
        [-1000.0, 0.0, 1.0, float("inf"), -float("inf")], dtype=torch.float64, requires_grad=True
    )
    b = torch.tensor(
        [-1000.0, 1.0, -2.0, float("inf"), -float("inf")], dtype=torch.float64, requires_grad=True
    )
    e = torch.logaddexp(a, b)
    e2 = torch.logaddexp2(a, b)
    c = _rand(torch, 3)
    d = _rand(torch, 3)
    out = _grads(torch.logaddexp(c, d) + 2 * torch.logaddexp2(c, d), c, d)
    return (
        [e, e2]
        + out
        + [torch.logaddexp(torch.ones(2, dtype=torch.float16), torch.zeros(2, dtype=torch.float16))]
    )


@program
def xlogy_xlog1py(torch):
    x = torch.tensor([0.0, 1.0, 2.0, 0.0, float("nan")], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 3.0, 0.5, float("nan"), 1.0], dtype=torch.float64, requires_grad=True)
    a = torch.xlogy(x, y)
    b = torch.special.xlog1py(x, y)
    c = torch.xlogy(2, y)
    d = torch.xlogy(x, 3.0)
    return [a, b, c, d, torch.xlogy(torch.tensor([0, 1]), torch.tensor([0, 2]))] + _grads(
        torch.xlogy(x[1:3], y[1:3]) + torch.special.xlog1py(x[1:3], y[1:3]), x, y
    )


@program
def copysign_nextafter(torch):
    a = torch.tensor([1.0, -2.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([-1.0, -0.0, -3.0, 0.0], dtype=torch.float64)
    c = torch.copysign(a, b)
    return _grads(c, a) + [
        torch.copysign(torch.tensor([1, -2, 3]), -1),
        torch.copysign(torch.tensor([1.0, 2.0]), torch.tensor([-0.0, 0.0])),
        torch.nextafter(torch.tensor([1.0, 0.0]), torch.tensor([2.0, -1.0])),
        torch.nextafter(
            torch.tensor([1.0, 0.0], dtype=torch.float64),
            torch.tensor([2.0, -1.0], dtype=torch.float64),
        ),
        torch.nextafter(torch.tensor([1.0]), torch.tensor([1.0])),
    ]


@program
def frexp_ldexp(torch):
    x = torch.tensor([8.0, 0.3, -5.0, 0.0, 1e-40], dtype=torch.float32)  # fixed: subnormal
    m, e = torch.frexp(x)
    d = torch.tensor([8.0, 0.75], dtype=torch.float64)
    m2, e2 = d.frexp()
    y = _rand(torch, 3)
    l = torch.ldexp(y, torch.tensor([1, 0, 3]))  # PyTorch: the gradient at -2 is 2 ** -2 in ints, 0
    return [
        m,
        e,
        m2,
        e2,
        type(torch.frexp(x)).__name__,
        torch.ldexp(torch.tensor([1.0]), torch.tensor([3])),
        torch.ldexp(torch.tensor([1, 2]), torch.tensor([2, 3])),
    ] + _grads(l, y)


@program
def heaviside_sinc_logit(torch):  # fixed: sinc's gradient by PyTorch's formula
    x = torch.tensor([-1.5, 0.0, 2.0, -0.0])
    h = torch.heaviside(x, torch.tensor([0.5]))
    hi = torch.heaviside(torch.tensor([-1, 0, 3]), torch.tensor([7]))
    s = torch.tensor([0.0, 0.5, -1.0, 2.5, 3e-5], dtype=torch.float64, requires_grad=True)
    p = torch.tensor([0.0, 0.01, 0.5, 0.99, 1.0], dtype=torch.float64, requires_grad=True)
    out = _grads(torch.sinc(s), s) + _grads(torch.logit(p, eps=0.05), p)
    return [
        h,
        hi,
        torch.logit(p.detach()),
        torch.special.logit(p.detach(), 1e-6),
        torch.sinc(torch.tensor([0, 1, 2])),
    ] + out


@program
def erfinv_i0_grads(torch):
    x = torch.tensor([-0.9, -0.3, 0.0, 0.5, 0.999], dtype=torch.float64, requires_grad=True)
    z = torch.tensor([-3.0, 0.0, 0.5, 10.0], dtype=torch.float64, requires_grad=True)
    return (
        _grads(torch.erfinv(x), x)
        + _grads(torch.i0(z), z)
        + [
            torch.erfinv(torch.tensor([-1.0, 1.0, 1.5])),
            torch.i0(torch.tensor([1, 2])),
            torch.special.i0e(z.detach()),
        ]
    )


@program
def nan_to_num_variants(torch):
    x = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5], requires_grad=True)
    a = torch.nan_to_num(x)
    b = x.nan_to_num(nan=0.5, posinf=10.0, neginf=-10.0)
    c = torch.nan_to_num(torch.tensor([float("inf"), -float("inf")], dtype=torch.float16))
    d = torch.nan_to_num(torch.tensor([1, 2]), nan=3.0)
    e = torch.tensor([float("nan"), 2.0], dtype=torch.float64)
    e.nan_to_num_(neginf=0.0)
    return _grads(a + b, x) + [
        c,
        d,
        e,
        torch.nan_to_num(torch.tensor([float("inf")], dtype=torch.float64)),
    ]


@program
def round_with_decimals(torch):  # fixed: float16 overflowed
    x = torch.tensor(
        [1.2345, -2.5, 0.5, 1.5, 2.675, 123.456, -0.05], dtype=torch.float64, requires_grad=True
    )
    a = torch.round(x, decimals=2)
    b = x.round(decimals=-1)
    c = torch.round(x)
    f = torch.tensor([1.2345, 2.5, 1234.5678])
    return _grads(a + b + c, x) + [
        torch.round(f, decimals=3),
        torch.round(f, decimals=-2),
        torch.round(torch.tensor([1.2345, 1234.5678, -0.0349], dtype=torch.float16), decimals=2),
        torch.round(torch.tensor([1, 2])),
        torch.tensor([0.5, 1.5, 2.5, -0.5]).round(),
    ]


@program
def trunc_frac_fix_and_grads(torch):
    x = torch.tensor([-2.7, -0.5, 0.0, 0.5, 3.9], dtype=torch.float64, requires_grad=True)
    out = _grads(torch.trunc(x) + torch.frac(x) * 2 + torch.fix(x) + x.ceil() + x.floor(), x)
    return out + [
        torch.frac(torch.tensor([-1.25, float("inf")])),
        torch.trunc(torch.tensor([3, -3])),
        torch.floor(torch.tensor([1, 2], dtype=torch.int8)),
    ]


@program
def sign_sgn_signbit(torch):  # fixed: abs's gradient at NaN is 0
    x = torch.tensor([-2.0, -0.0, 0.0, 3.0, float("nan")], dtype=torch.float64, requires_grad=True)
    out = _grads(torch.sign(x) + torch.sgn(x) + x.abs(), x)
    i = torch.tensor([-3, 0, 4])
    return out + [
        torch.signbit(x.detach()),
        torch.signbit(i),
        torch.sign(i),
        torch.sign(torch.tensor([True, False])),
        torch.signbit(torch.tensor([0, 1], dtype=torch.uint8)),
        torch.sgn(i),
    ]


@program
def isclose_allclose_equal(torch):
    a = torch.tensor([1.0, float("nan"), float("inf"), 1e-9, 2.0])
    b = torch.tensor([1.0 + 1e-7, float("nan"), float("inf"), 0.0, 2.1])
    return (
        torch.isclose(a, b),
        torch.isclose(a, b, equal_nan=True),
        torch.isclose(a, b, rtol=0, atol=0.2),
        torch.allclose(a, b),
        torch.allclose(a[[0, 3]], b[[0, 3]]),
        torch.allclose(a, b, equal_nan=True, atol=0.2),
        torch.equal(a, a),
        torch.equal(a[:1], b[:1]),
        torch.equal(torch.ones(2), torch.ones(3)),
        torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])),
        torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3])),
        torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor(1.0)),
        torch.isclose(torch.tensor([True]), torch.tensor([True])),
        torch.isclose(
            torch.tensor([1.0, 2.0], dtype=torch.float64),
            torch.tensor([1.0, 2.0 + 1e-9], dtype=torch.float64),
            rtol=1e-12,
            atol=0.0,
        ),
    )


@error(NotImplementedError, r"\"round_cpu\" not implemented for 'Long'")
def round_int_with_decimals(torch):  # fixed: returned the input
    return torch.round(torch.tensor([15, 25, -35]), decimals=-1)


@error(NotImplementedError, r"\"floor_vml_cpu\" not implemented for 'Bool'")
def floor_of_bool(torch):  # fixed: returned the input
    return torch.tensor([True, False]).floor()


@error(NotImplementedError, r"\"frac_cpu\" not implemented for 'Long'")
def frac_of_int(torch):  # fixed: a RuntimeError
    return torch.frac(torch.tensor([1, 2]))


@error(TypeError, r"unexpected keyword argument 'decimals'")
def floor_with_decimals(torch):  # fixed: accepted
    return torch.floor(torch.ones(2), decimals=1)


@error(RuntimeError, r"Float did not match Double")
def isclose_mixed_dtypes(torch):  # fixed: the message
    return torch.isclose(torch.ones(2), torch.ones(2, dtype=torch.float64))


@program
def isin_variants(torch):
    x = torch.tensor([[1, 2, 3], [4, 5, 1]])
    t = torch.tensor([1, 5, 9])
    return (
        torch.isin(x, t),
        torch.isin(x, t, invert=True),
        torch.isin(x, 5),
        torch.isin(3, t),
        torch.isin(x.float(), torch.tensor([1.0, 4.0])),
        torch.isin(torch.tensor([1.5, 2.0]), torch.tensor([2])),
        torch.isin(x, t, assume_unique=True),
        torch.isin(torch.tensor([], dtype=torch.int64), t),
    )


@program
def bitwise_ops_and_shifts(torch):
    a = torch.tensor([12, -7, 0, 255], dtype=torch.int32)
    b = torch.tensor([10, 3, -1, 1], dtype=torch.int32)
    u = torch.tensor([1, 128, 255], dtype=torch.uint8)
    return (
        a & b,
        a | b,
        a ^ b,
        ~a,
        torch.bitwise_not(u),
        torch.bitwise_and(a, 6),
        torch.bitwise_or(u, 1),
        torch.bitwise_xor(torch.tensor([True, False]), torch.tensor([True, True])),
        a << 2,
        a >> 1,
        torch.bitwise_left_shift(u, 1),
        torch.bitwise_right_shift(a, torch.tensor([1, 2, 3, 4], dtype=torch.int32)),
        u >> 9,
        torch.tensor([1], dtype=torch.int64) << 62,
        torch.tensor([-8, 8]) >> 1,
        ~torch.tensor([True, False]),
        5 & torch.tensor([3, 4]),
        1 << torch.tensor([0, 3]),
    )


@error(NotImplementedError, r"\"bitwise_and_cpu\" not implemented for 'Float'")
def bitwise_and_of_floats(torch):  # fixed: the message
    return torch.ones(2) & torch.ones(2)


@program
def gcd_lcm(torch):
    a = torch.tensor([12, -18, 0, 7, 0])
    b = torch.tensor([8, 12, 5, 0, 0])
    return (
        torch.gcd(a, b),
        torch.lcm(a, b),
        a.gcd(torch.tensor(6)),
        torch.lcm(torch.tensor([4, 6], dtype=torch.int16), torch.tensor([6, 4], dtype=torch.int16)),
    )


@error(NotImplementedError, r"\"gcd_cpu\" not implemented for 'Float'")
def gcd_of_floats(torch):  # fixed: numpy's UFuncTypeError
    return torch.gcd(torch.ones(2), torch.ones(2))


# ---- scans, differences, integrals ----------------------------------------------------------
@program
def cumsum_cumprod_dtypes(torch):  # fixed: cumprod(dtype=int8) gave int64
    i = torch.tensor([1, 2, 3, 4], dtype=torch.int8)
    b = torch.tensor([True, True, False])
    f = torch.tensor([0.5, 1.5, 2.5], dtype=torch.float16)
    return (
        i.cumsum(0),
        torch.cumsum(i, 0, dtype=torch.float32),
        torch.cumprod(i, 0),
        i.cumprod(0, dtype=torch.int8),
        b.cumsum(0),
        b.cumprod(0),
        f.cumsum(0),
        torch.cumsum(torch.tensor(3.0), 0),
        torch.cumsum(_ar(torch, 0, 3), 1).shape,
        _ar(torch, 2, 3).cumsum(-1),
        torch.tensor([100, 100], dtype=torch.uint8).cumsum(0),
    )


@program
def cumprod_grad_with_zeros(torch):
    x = torch.tensor(
        [[2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 5.0, 1.0], [1.5, -2.0, 0.5, 0.0]],
        dtype=torch.float64,
        requires_grad=True,
    )
    y = torch.cumprod(x, 1)
    z = x.cumprod(0)
    return _grads(y + z, x)


@program
def cumsum_grad_and_logcumsumexp(torch):
    x = _rand(torch, 2, 4)
    a = x.cumsum(1)
    b = torch.logcumsumexp(x, 0)
    c = torch.cummax(x, 1)
    d = torch.cummin(x, dim=0)
    return _grads(a + b + c.values + d.values, x) + [c.indices, d.indices, type(c).__name__]


@program
def diff_n_prepend_append(torch):
    x = torch.tensor([1.0, 4.0, 9.0, 16.0, 25.0], dtype=torch.float64, requires_grad=True)
    p = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    a = torch.diff(x)
    b = torch.diff(x, n=2)
    c = torch.diff(x, prepend=p, append=torch.tensor([36.0, 49.0], dtype=torch.float64))
    d = x.diff(n=3, prepend=p)
    m = _ar(torch, 3, 4)
    (
        a.sum() + (b * 2).sum() + (c * torch.arange(7.0, dtype=torch.float64)).sum() + d.sum()
    ).backward()
    return [
        a,
        b,
        c,
        d,
        x.grad,
        p.grad,
        m.diff(dim=0),
        m.diff(n=2, dim=-1),
        torch.diff(torch.tensor([1, 5, 2])),
        torch.diff(torch.tensor([True, False, False])),
        x.diff(n=7).shape,
    ]


@program
def trapezoid_family(torch):
    y = torch.tensor([[1.0, 2.0, 4.0], [0.0, 3.0, 1.0]], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([0.0, 0.5, 2.0], dtype=torch.float64)
    a = torch.trapezoid(y)
    b = torch.trapezoid(y, x)
    c = torch.trapezoid(y, dx=0.1, dim=0)
    d = torch.cumulative_trapezoid(y, x)
    e = torch.cumulative_trapezoid(y, dx=2.0, dim=0)
    f = torch.trapz(y, x)
    out = _grads(a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.sum() + 0 * y.sum(), y)
    return (
        [a, b, c, d, e, f]
        + out[1:]
        + [
            torch.trapezoid(torch.tensor([1, 2, 3])),
            torch.cumulative_trapezoid(torch.tensor([1, 2, 3])),
        ]
    )


@program
def cross_with_dim(torch):
    a = _rand(torch, 2, 3)
    b = _rand(torch, 1, 3)
    c = torch.cross(a, b, dim=1)
    d = torch.linalg.cross(a, b)
    m = _ar(torch, 3, 2)
    return _grads(c + 2 * d, a, b) + [
        torch.cross(m, m.flip(0), dim=0),
        torch.cross(torch.tensor([1, 0, 0]), torch.tensor([0, 1, 0]), dim=0),
    ]


@error(RuntimeError, r"linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2")
def cross_wrong_length(torch):  # fixed: the dim wrapped to 1
    return torch.linalg.cross(torch.ones(3, 2), torch.ones(3, 2))


# ---- products ---------------------------------------------------------------------------------
@program
def outer_inner_dot_vdot(torch):
    a = _rand(torch, 3)
    b = _rand(torch, 3)
    m = _rand(torch, 2, 3)
    o = torch.outer(a, b)
    i = torch.inner(m, a)
    d = torch.dot(a, b)
    v = torch.vdot(a, b)
    g = torch.ger(a, b)
    out = _grads(o.sum() + i.sum() + d + v + g.sum(), a, b, m)
    return out + [
        torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4])),
        torch.inner(torch.tensor(2.0), m.detach()),
        torch.inner(_ar(torch, 2, 3), _ar(torch, 4, 3)).shape,
        torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4])),
        a.detach().dot(b.detach()).shape,
    ]


@program
def addmm_family_beta_alpha(torch):
    inp = _rand(torch, 2, 4)
    m1 = _rand(torch, 2, 3)
    m2 = _rand(torch, 3, 4)
    a = torch.addmm(inp, m1, m2, beta=0.5, alpha=2.0)
    b = torch.addmm(inp[0], m1, m2)
    v = _rand(torch, 3)
    c = torch.addmv(inp[:, 0], m1, v, beta=2, alpha=-1)
    r = torch.addr(inp, m1[:, 0], inp[0], alpha=3)
    bm1, bm2 = _rand(torch, 5, 2, 3), _rand(torch, 5, 3, 4)
    d = torch.addbmm(inp, bm1, bm2, beta=0.25)
    e = torch.baddbmm(inp, bm1, bm2, alpha=0.5)
    out = a.sum() + b.sum() + c.sum() + r.sum() + d.sum() + e.sum()
    out.backward()
    return [a, b, c, r, d, e, inp.grad, m1.grad, m2.grad, v.grad, bm1.grad, bm2.grad]


@program
def addmm_beta_zero_ignores_nan(torch):  # fixed: addr used NaN * 0
    inp = torch.full((2, 2), float("nan"))
    m = torch.eye(2)
    v = torch.ones(2)
    return (
        torch.addmm(inp, m, m, beta=0),
        torch.addmv(inp[0], m, v, beta=0),
        torch.addr(inp, v, v, beta=0),
        torch.baddbmm(inp.unsqueeze(0), m.unsqueeze(0), m.unsqueeze(0), beta=0),
        torch.addbmm(inp, m.unsqueeze(0), m.unsqueeze(0), beta=0.0),
        torch.addmm(inp, m, m, beta=1e-30).isnan(),
    )


@program
def addmm_integer_inputs(torch):
    a = torch.tensor([[1, 2], [3, 4]])
    return (
        torch.addmm(a, a, a),
        torch.addmm(a, a, a, beta=2, alpha=3),
        torch.addmv(a[0], a, a[1]),
        torch.addr(a, a[0], a[1], alpha=2),
        torch.mm(a, a),
        torch.mv(a, a[0]),
        torch.bmm(a.unsqueeze(0), a.unsqueeze(0)),
        a @ a,
    )


@error(RuntimeError, r"The expanded size of the tensor \(2\) must match the existing size \(3\) at non-singleton dimension 1.  Target sizes: \[2, 2\].  Tensor sizes: \[3\]")  # fmt: skip
def addmm_input_does_not_broadcast(torch):  # fixed: the message
    return torch.addmm(torch.ones(3), torch.ones(2, 2), torch.ones(2, 2))


@error(RuntimeError, r"size mismatch, got input \(3\), mat \(2x3\), vec \(3\)")
def addmv_input_wrong_size(torch):  # fixed: the message
    return torch.addmv(torch.ones(3), torch.ones(2, 3), torch.ones(3))


@error(RuntimeError, r"vector \+ matrix @ vector expected, got 2, 2, 1")
def addmv_matrix_input(torch):  # fixed: the message
    return torch.addmv(torch.ones(2, 2), torch.ones(2, 2), torch.ones(2))


@program
def matmul_1d_and_batch_broadcast(torch):
    v = _rand(torch, 3)
    m = _rand(torch, 3, 4)
    b = _rand(torch, 2, 1, 4, 3)
    c = _rand(torch, 5, 3, 2)
    out = [v @ m, m.t() @ v, v @ v, b @ v, v @ c, b @ c, torch.matmul(c.transpose(-1, -2), v)]
    sum((o * (i + 1)).sum() for i, o in enumerate(out)).backward()
    return out + [v.grad, m.grad, b.grad, c.grad]


@program
def matmul_integer_and_empty(torch):
    a = torch.arange(6).reshape(2, 3)
    return (
        a @ a.t(),
        torch.matmul(a, torch.tensor([1, 0, -1])),
        torch.ones(2, 0) @ torch.ones(0, 3),
        torch.ones(0, 2) @ torch.ones(2, 3),
        torch.matmul(torch.ones(3, 0, 2), torch.ones(2, 4)).shape,
        torch.tensor([1, 2], dtype=torch.int32) @ torch.tensor([3, 4], dtype=torch.int32),
    )


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: float != double")
def matmul_mixed_float_dtypes(torch):
    return torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64)


@error(RuntimeError, r"both arguments to matmul need to be at least 1D, but they are 0D and 1D")
def matmul_of_scalar(torch):
    return torch.matmul(torch.tensor(2.0), torch.ones(2))


@program
def einsum_forms(torch):
    a = _rand(torch, 2, 3)
    b = _rand(torch, 3, 4)
    s = _rand(torch, 3, 3)
    t = _rand(torch, 2, 5, 3)
    out = [
        torch.einsum("ij,jk->ik", a, b),
        torch.einsum("ij,jk", a, b),
        torch.einsum("ii->i", s),
        torch.einsum("ii", s),
        torch.einsum("...j,jk->...k", t, b),
        torch.einsum("b...i,ij->b...j", t, b),
        torch.einsum("ij->", a),
        torch.einsum("i,j->ij", a[0], b[:, 0]),
        torch.einsum(a, [0, 1], b, [1, 2], [0, 2]),
        torch.einsum(t, [0, Ellipsis, 1], [Ellipsis, 0]),
        torch.einsum("bij , bjk -> bik", t[:, :3], s.expand(2, 3, 3)),
        torch.einsum("ji", a),
        torch.einsum("i,i", a[0], a[1]),
    ]
    sum((o * (i + 1)).sum() for i, o in enumerate(out)).backward()
    return out + [a.grad, b.grad, s.grad, t.grad]


@program
def einsum_list_operands_and_ints(torch):
    a = torch.arange(6).reshape(2, 3)
    return (
        torch.einsum("ij,kj->ik", [a, a]),
        torch.einsum("ij->j", a),
        torch.einsum("iij->ij", torch.ones(2, 2, 3)),
    )


@error(RuntimeError, r"einsum\(\): fewer operands were provided than specified in the equation")  # fmt: skip
def einsum_wrong_operand_count(torch):  # fixed: the message
    return torch.einsum("ij,jk->ik", torch.ones(2, 2))


@error(RuntimeError, r"einsum\(\): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3")  # fmt: skip
def einsum_size_mismatch(torch):  # fixed: the message
    return torch.einsum("ij,jk->ik", torch.ones(2, 3), torch.ones(4, 5))


@program
def tensordot_int_and_lists(torch):
    a = _rand(torch, 2, 3, 4)
    b = _rand(torch, 3, 4, 5)
    c = torch.tensordot(a, b)
    d = torch.tensordot(a, b, dims=([1, 2], [0, 1]))
    e = torch.tensordot(a, b, dims=[[1], [0]])
    f = torch.tensordot(a, b.permute(1, 0, 2), dims=([2, 1], [0, 1]))
    g = torch.tensordot(a[0, 0], b[0, 0], dims=0)
    h = torch.tensordot(a, b.permute(1, 2, 0), 1)
    out = c.sum() + d.sum() + e.sum() + f.sum() + g.sum() + h.sum()
    out.backward()
    return [
        c,
        d,
        e,
        f,
        g,
        h,
        a.grad,
        b.grad,
        torch.tensordot(
            torch.ones(2, 3, dtype=torch.int64), torch.ones(3, 2, dtype=torch.int64), 1
        ),
    ]


@error(RuntimeError, r"contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0")  # fmt: skip
def tensordot_mismatch(torch):
    return torch.tensordot(torch.ones(2, 3), torch.ones(4, 5), dims=([1], [0]))


@error(RuntimeError, r"contracted dimensions need to match, but first has size 4 in dim -1 and second has size 3 in dim 0")  # fmt: skip
def tensordot_int_dims_mismatch(torch):  # fixed: the dim wrapped to 2
    return torch.tensordot(torch.ones(2, 3, 4), torch.ones(3, 4, 5), 1)


@error(RuntimeError, r"tensordot expects dims < ndim_a or ndim_b, but got dims=3")
def tensordot_too_many_dims(torch):  # fixed: IndexError
    return torch.tensordot(torch.ones(2, 3), torch.ones(3, 5), dims=3)


@error(RuntimeError, r"einsum\(\): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2")  # fmt: skip
def einsum_diagonal_of_rectangle(torch):  # fixed: the message
    return torch.einsum("ii->i", torch.ones(2, 3))


@error(RuntimeError, r"einsum\(\): the number of subscripts in the equation \(2\) does not match the number of dimensions \(3\) for operand 1 and no ellipsis was given")  # fmt: skip
def einsum_subscripts_for_wrong_rank(torch):  # fixed: the message
    return torch.einsum("ij,jk", torch.ones(2, 3), torch.ones(2, 3, 4))


@error(RuntimeError, r"einsum\(\): invalid subscript given at index 11 in the equation string, subscripts must be in \[a-zA-Z\]")  # fmt: skip
def einsum_digit_subscript(torch):  # fixed: the message
    return torch.einsum("i j,j k->i 1", torch.ones(2, 3), torch.ones(3, 2))


@error(RuntimeError, r"einsum\(\): found '.' for operand 0 that is not part of any ellipsis")
def einsum_two_dots(torch):  # fixed: the message
    return torch.einsum("i..->i", torch.ones(2, 3))


@error(RuntimeError, r"einsum\(\): output subscript k does not appear in the equation for any input operand")  # fmt: skip
def einsum_output_letter_unknown(torch):  # fixed: the message
    return torch.einsum("ij->ijk", torch.ones(2, 3))


@error(RuntimeError, r"expected scalar type Float but found Double")
def einsum_mixed_dtypes(torch):  # fixed: the message
    return torch.einsum("ij,ij->", torch.ones(2, 3), torch.ones(2, 3, dtype=torch.float64))


@error(ValueError, r"einsum\(\): must specify the equation string and at least one operand")
def einsum_without_operands(torch):  # fixed: a RuntimeError
    return torch.einsum("ij,jk->ik")


# ---- integer operands of float-only ops, in-place casts -----------------------------------------
@error(NotImplementedError, r"\"hypot_cpu\" not implemented for 'Long'")
def hypot_of_ints(torch):  # fixed: computed in float32
    return torch.hypot(torch.tensor([3, 4]), torch.tensor([4, 3]))


@error(NotImplementedError, r"\"logaddexp_cpu\" not implemented for 'Long'")
def logaddexp_of_ints(torch):  # fixed: computed in float32
    return torch.logaddexp(torch.tensor([1, 2]), torch.tensor([2, 1]))


@error(NotImplementedError, r"\"logaddexp2_cpu\" not implemented for 'Bool'")
def logaddexp2_of_bools(torch):  # fixed: computed in float32
    return torch.logaddexp2(torch.tensor([True]), torch.tensor([False]))


@error(NotImplementedError, r"\"nextafter_cpu\" not implemented for 'Long'")
def nextafter_of_ints(torch):  # fixed: computed in float64
    return torch.nextafter(torch.tensor([1, 2]), torch.tensor([2, 3]))


@error(NotImplementedError, r"\"lerp_kernel_scalar\" not implemented for 'Long'")
def lerp_of_ints(torch):  # fixed: a RuntimeError
    return torch.lerp(torch.tensor([1, 2]), torch.tensor([3, 4]), 0.5)


@error(RuntimeError, r"expected dtype float for `weight` but got dtype double")
def lerp_weight_of_another_dtype(torch):  # fixed: the message
    return torch.lerp(torch.ones(2), torch.zeros(2), torch.ones(2, dtype=torch.float64))


@error(RuntimeError, r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 0")  # fmt: skip
def lerp_shapes_do_not_broadcast(torch):  # fixed: the message
    return torch.lerp(torch.ones(2), torch.ones(2), torch.ones(3))


@error(TypeError, r"heaviside\(\): argument 'values' \(position 2\) must be Tensor, not float")
def heaviside_with_number(torch):  # fixed: AttributeError
    return torch.heaviside(torch.tensor([1.0, 0.0]), 0.5)


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def inplace_float_into_long(torch):  # fixed: 'add_: result type torch.float32 ...'
    x = torch.tensor([1, 2])
    x += 0.5
    return x


@error(RuntimeError, r"result type Long can't be cast to the desired output type Bool")
def inplace_int_into_bool(torch):  # fixed: the message
    return torch.tensor([True, False]).add_(1)


@error(RuntimeError, r"result type Float can't be cast to the desired output type Int")
def out_float_into_int(torch):  # fixed: the message
    return torch.mul(torch.tensor([1.5]), 2, out=torch.zeros(1, dtype=torch.int32))


@program
def lcm_overflow_and_signs(torch):  # fixed: the overflowed lcm was negative
    return (
        torch.lcm(torch.tensor([2**40, -4, 0]), torch.tensor([3**20, 6, 5])),
        torch.gcd(
            torch.tensor([-4, 0, 7], dtype=torch.int16),
            torch.tensor([-6, 0, -21], dtype=torch.int16),
        ),
    )


@program
def float_only_ops_with_mixed_operands(torch):
    i = torch.tensor([3, 4])
    f = torch.tensor([4.0, 3.0], dtype=torch.float64)
    return (
        torch.hypot(i, f),
        torch.logaddexp(f, i),
        torch.nextafter(f, i.double()),
        torch.logaddexp2(torch.ones(2, dtype=torch.float16), torch.zeros(2, dtype=torch.float16)),
        torch.lerp(torch.ones(2, 1), torch.zeros(3), torch.full((4, 1, 1), 0.25)),
    )


# ---- shape-op errors -------------------------------------------------------------------------
@program
def narrow_at_the_end(torch):  # fixed: start == size wrapped to 0 and gave the first row
    x = _ar(torch, 3, 4)
    return x.narrow(0, 3, 0).shape, x.narrow(1, -1, 1), x.narrow(0, -3, 3).shape


@error(RuntimeError, r"start \(2\) \+ length \(1\) exceeds dimension size \(2\)")
def narrow_start_at_size(torch):  # fixed: returned row 0
    return torch.ones(2, 3).narrow(0, 2, 1)


@error(IndexError, r"start out of range \(expected to be in range of \[-2, 2\], but got 3\)")
def narrow_start_out_of_range(torch):  # fixed: the message
    return torch.ones(2, 3).narrow(0, 3, 1)


@error(RuntimeError, r"narrow\(\): length must be non-negative")
def narrow_negative_length(torch):  # fixed: the message
    return torch.ones(2, 3).narrow(0, 1, -1)


@error(RuntimeError, r"split_size can only be 0 if dimension size is 0, but got dimension size of 3")  # fmt: skip
def split_size_zero(torch):  # fixed: the message
    return torch.ones(2, 3).split(0, dim=1)


@error(RuntimeError, r"cannot reshape tensor of 0 elements into shape \[0, -1, 2\] because the unspecified dimension size -1 can be any value and is ambiguous")  # fmt: skip
def reshape_empty_ambiguous(torch):  # fixed: the message
    return torch.ones(0, 3).reshape(0, -1, 2)


@error(RuntimeError, r"invalid shape dimension -2 at index 0 of shape \[-2, 3\]")
def reshape_negative_size(torch):  # fixed: the message
    return torch.ones(6).reshape(-2, 3)


@error(RuntimeError, r"unflatten: sizes must be non-empty")
def unflatten_empty_sizes(torch):  # fixed: the message
    return torch.ones(2, 3).unflatten(1, ())


@error(RuntimeError, r"The expanded size of the tensor \(4\) must match the existing size \(3\) at non-singleton dimension 2")  # fmt: skip
def expand_reports_last_mismatch(torch):  # fixed: reported dimension 1
    return torch.ones(2, 3).expand(2, 3, 4)


@error(RuntimeError, r"The size of tensor a \(4\) must match the size of tensor b \(5\) at non-singleton dimension 0")  # fmt: skip
def broadcast_tensors_mismatch(torch):  # fixed: numpy's ValueError
    return torch.broadcast_tensors(torch.ones(2, 1), torch.ones(3), torch.ones(4, 1, 1), torch.ones(5, 1, 1))  # fmt: skip


@error(RuntimeError, r"dim 0 appears multiple times in the list of dims")
def flip_repeated_dim(torch):  # fixed: numpy's ValueError
    return torch.ones(2, 3).flip(0, -2)


@error(RuntimeError, r"size is -1 but must be >= 0")
def unfold_negative_size(torch):  # fixed: the message
    return torch.ones(5).unfold(0, -1, 1)


@error(RuntimeError, r"tensor_split expected tensor_indices_or_sections to have dtype of long, but got Int")  # fmt: skip
def tensor_split_int32_indices(torch):  # fixed: split by the int32 tensor
    return torch.ones(2, 3).tensor_split(torch.tensor([1], dtype=torch.int32))


@error(RuntimeError, r"tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with 2 dims")  # fmt: skip
def tensor_split_matrix_indices(torch):  # fixed: the message
    return torch.ones(2, 3).tensor_split(torch.tensor([[1]]))


@error(NotImplementedError, r"\"tril_indices\" not implemented for 'Float'")
def tril_indices_float_dtype(torch):  # fixed: float indices
    return torch.tril_indices(3, 3, dtype=torch.float32)


@error(RuntimeError, r"col must be non-negative, got-1")
def triu_indices_negative_col(torch):  # fixed: an empty result
    return torch.triu_indices(3, -1)


@error(RuntimeError, r"meshgrid expects all tensors to have the same dtype")
def meshgrid_mixed_dtypes(torch):  # fixed: the message
    return torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3.0]), indexing="ij")


@error(RuntimeError, r"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ab")
def meshgrid_bad_indexing(torch):  # fixed: the quotes
    return torch.meshgrid(torch.ones(2), torch.ones(3), indexing="ab")


@program
def empty_tensor_strides(torch):  # fixed: numpy's zero strides of empty arrays
    return (
        torch.ones(0, 4).stride(),
        torch.ones(2, 0, 3).stride(),
        torch.ones(0, 4).view(torch.float64).shape,
        torch.zeros(3, 0).contiguous().stride(),
    )


# ---- mixed dtypes and shapes in products, differences and integrals -----------------------------
@error(RuntimeError, r"self and mat2 must have the same dtype, but got Double and Float")
def addmm_input_of_another_dtype(torch):  # fixed: computed in float64
    return torch.addmm(torch.ones(2, 2, dtype=torch.float64), torch.ones(2, 2), torch.ones(2, 2))


@error(RuntimeError, r"mat1 and mat2 must have the same dtype, but got Long and Float")
def addmm_mats_of_mixed_dtypes(torch):  # fixed: the message
    return torch.addmm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.int64), torch.ones(2, 2))


@error(RuntimeError, r"addmv input tensors must have the same dtype, but got Double, Float, and Float")  # fmt: skip
def addmv_input_of_another_dtype(torch):  # fixed: computed in float64
    return torch.addmv(torch.ones(2, dtype=torch.float64), torch.ones(2, 2), torch.ones(2))


@error(RuntimeError, r"Input dtypes must be the same, got: input double, batch1: float, batch2: float")  # fmt: skip
def baddbmm_input_of_another_dtype(torch):  # fixed: computed in float64
    return torch.baddbmm(torch.ones(2, 2, dtype=torch.float64), torch.ones(1, 2, 2), torch.ones(1, 2, 2))  # fmt: skip


@error(RuntimeError, r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 1")  # fmt: skip
def matmul_batch_dims_mismatch(torch):  # fixed: the message
    return torch.matmul(torch.ones(2, 2, 3, 4), torch.ones(3, 4, 5))


@error(RuntimeError, r"outer: Expected 1-D argument self, but got 2-D")
def outer_of_matrix(torch):  # fixed: a 3-D result
    return torch.outer(torch.ones(2, 2), torch.ones(2))


@error(RuntimeError, r"inner\(\) the last dimension must match on both input tensors but got shapes \[2, 3\] and \[4\]")  # fmt: skip
def inner_last_dims_differ(torch):  # fixed: the message
    return torch.inner(torch.ones(2, 3), torch.ones(4))


@error(RuntimeError, r"expected scalar type Double but found Float")
def cross_mixed_dtypes(torch):  # fixed: computed in float64
    return torch.cross(torch.ones(3, dtype=torch.float64), torch.ones(3), dim=0)


@error(RuntimeError, r"trapezoid: There must be one `x` value for each sample point")
def trapezoid_x_too_short(torch):  # fixed: a silently wrong [0, 0]
    return torch.trapezoid(torch.ones(2, 3), torch.ones(2))


@error(RuntimeError, r"cumulative_trapezoid: There must be one `x` value for each sample point")
def cumulative_trapezoid_x_too_long(torch):  # fixed: the message
    return torch.cumulative_trapezoid(torch.ones(3), torch.ones(4))


@error(RuntimeError, r"order must be non-negative but got -1")
def diff_negative_order(torch):  # fixed: returned the input
    return torch.diff(torch.ones(3), n=-1)


@error(RuntimeError, r"diff expects prepend or append to be the same dimension as input")
def diff_prepend_of_lower_rank(torch):  # fixed: cat's message
    return torch.diff(torch.ones(2, 3), prepend=torch.ones(3))


@error(RuntimeError, r"diff expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size\(0\) = 2, but got tensor.size\(0\) = 3")  # fmt: skip
def diff_prepend_of_other_size(torch):  # fixed: cat's message
    return torch.diff(torch.ones(2, 3), prepend=torch.ones(3, 3))


@error(NotImplementedError, r"\"abs_cpu\" not implemented for 'Bool'")
def abs_of_bool(torch):  # fixed: returned the input
    return torch.tensor([True, False]).abs()


@error(RuntimeError, r"The `\+` operator, on a bool tensor is not supported.")
def unary_plus_of_bool(torch):  # fixed: returned the input
    return +torch.tensor([True])


@error(RuntimeError, r"If you are trying to invert a mask, use the `~` or `logical_not\(\)` operator instead.")  # fmt: skip
def minus_of_bool_mask(torch):  # fixed: the message's hint
    return -torch.tensor([True])


@error(RuntimeError, r"atol must be greater than or equal to zero, but got -1")
def isclose_negative_atol(torch):  # fixed: the message
    return torch.isclose(torch.ones(1), torch.ones(1), atol=-1)


@program
def identities_of_real_tensors(torch):
    x = torch.tensor([True, False])
    i = torch.tensor([1, -2])
    return torch.conj(x), x.resolve_neg(), +i, torch.positive(i), i.conj().is_conj()
