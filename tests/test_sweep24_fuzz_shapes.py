"""Sweep 24 (shape fuzzing): one program for each divergence that the random shape-op chains
of tests/test_fuzz_shapes.py found: the errors of shape ops on 0-d tensors (their dims wrap
as a 1-d tensor's), calls without sizes, the layouts of tril/triu, roll and broadcasts, the
0-d ``mT``/``mH``/``H``, ``split`` into no sizes and ``copy_`` from a source that broadcasts
the destination larger. Each program runs with PyTorch 2.13 (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep, walk

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _layout(t) -> tuple:
    return tuple(t.shape), t.stride(), t.is_contiguous()


# ---- diagonal: dims wrap before the rank is checked ------------------------------------------
@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")
def diagonal_of_vector_default_dims(torch):
    return torch.arange(3.0).diagonal()


@error(RuntimeError, r"^diagonal dimensions cannot be identical 0, -1$")
def diagonal_of_vector_same_dim(torch):
    return torch.arange(3.0).diagonal(0, 0, -1)


@error(RuntimeError, r"^diagonal dimensions cannot be identical -1, 0$")
def diagonal_of_scalar_same_dim(torch):
    return torch.tensor(2.0).diagonal(1, -1, 0)


# ---- 0-d tensors: split / chunk / tensor_split / unflatten / unbind / repeat_interleave ------
@error(RuntimeError, r"^split expects at least a 1-dimensional tensor$")
def split_of_scalar(torch):
    return torch.tensor(2.0).split(1, 5)  # the rank is checked before the dim


@error(RuntimeError, r"^split expects at least a 1-dimensional tensor$")
def split_sizes_of_scalar(torch):
    return torch.tensor(2.0).split([1], 0)


@error(RuntimeError, r"^chunk expects at least a 1-dimensional tensor$")
def chunk_of_scalar(torch):
    return torch.tensor(2.0).chunk(0, 0)  # before the chunks > 0 check


@error(RuntimeError, r"^tensor_split expected at least a 1-dimensional tensor, but got a tensor")
def tensor_split_of_scalar(torch):
    return torch.tensor(2.0).tensor_split(2, 3)


@error(RuntimeError, r"^unflatten got an unexpected error:\nDimension specified as 0 but tensor")
def unflatten_of_scalar(torch):
    return torch.tensor(2.0).unflatten(-1, [1])


@error(IndexError, r"^Dimension specified as 0 but tensor has no dimensions$")
def unbind_of_scalar_negative_dim(torch):
    return torch.tensor(2.0).unbind(-1)


@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")
def unbind_of_scalar_dim_out_of_range(torch):
    return torch.tensor(2.0).unbind(1)


@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")
def repeat_interleave_int_of_scalar(torch):
    return torch.tensor(2.0).repeat_interleave(2, -1)


@error(IndexError, r"^Dimension specified as -2 but tensor has no dimensions$")
def repeat_interleave_tensor_of_scalar(torch):
    return torch.tensor(2.0).repeat_interleave(torch.tensor([2]), -2)


@program
def repeat_interleave_of_scalar_without_dim(torch):
    return torch.tensor(2.0).repeat_interleave(3), torch.tensor(2.0).repeat_interleave(
        torch.tensor([2])
    )


# ---- sizes required --------------------------------------------------------------------------
@error(TypeError, r'^reshape\(\) missing 1 required positional arguments: "shape"$')
def reshape_without_shape(torch):
    return torch.tensor(2.0).reshape()


@error(TypeError, r"^view\(\) received an invalid combination of arguments - got \(\), but")
def view_without_shape(torch):
    return torch.tensor(2.0).view()


@error(TypeError, r'^permute\(\) missing 1 required positional arguments: "dims"$')
def permute_without_dims(torch):
    return torch.permute(torch.tensor(2.0))


@error(TypeError, r'^expand\(\) missing 1 required positional arguments: "size"$')
def expand_without_size(torch):
    return torch.tensor(2.0).expand()


@error(TypeError, r'^repeat\(\) missing 1 required positional arguments: "repeats"$')
def repeat_without_counts(torch):
    return torch.tensor(2.0).repeat()


@error(TypeError, r'^tile\(\) missing 1 required positional arguments: "dims"$')
def tile_without_dims(torch):
    return torch.tile(torch.ones(2, 3))


@error(TypeError, r'^broadcast_to\(\) missing 1 required positional arguments: "size"$')
def broadcast_to_without_size(torch):
    return torch.ones(2, 3).broadcast_to()


@program
def empty_sizes_given_as_a_sequence(torch):
    x = torch.tensor(2.0, requires_grad=True)
    out = [x.reshape(()), x.view([]), x.permute(()), x.expand([]), x.repeat(()), x.tile([])]
    sum(out).backward()
    return out, x.grad, x.T, torch.ones(2, 1).expand_as(torch.ones(2, 1))


@program
def zero_dim_shapes_inside_ops(torch):
    # ops that pass a 0-d tensor's empty shape on: setitem, expand_as, broadcast_tensors
    x = torch.zeros(3)
    x[1] = torch.tensor(5.0)
    y = torch.tensor(1.5).expand_as(torch.tensor(0.0))
    a, b = torch.broadcast_tensors(torch.tensor(1.0), torch.tensor(2.0))
    return x, y, a, b, torch.tensordot(torch.tensor(2.0), torch.tensor(3.0), 0)


@error(RuntimeError, r"^permute\(\): duplicate dims are not allowed\.$")
def permute_duplicate_dims(torch):
    return torch.ones(2, 3).permute(-1, 1)


# ---- mT / mH / H of a 0-d tensor: itself (deprecated) ----------------------------------------
@program
def matrix_transposes_of_scalar(torch):
    x = torch.tensor(2.5, requires_grad=True)
    out = [x.mT, x.mH, x.H, x.T]
    return out, [o is x for o in out]


@error(RuntimeError, r"^tensor\.mT is only supported on matrices or batches of matrices\. Got 1-D")
def mT_of_vector(torch):
    return torch.ones(3).mT


# ---- layouts ---------------------------------------------------------------------------------
@program
def tril_triu_of_transposed_batch_are_contiguous(torch):
    x = torch.arange(24.0).view(2, 3, 4).permute(2, 0, 1)
    c = torch.arange(120.0).view(2, 3, 4, 5).to(memory_format=torch.channels_last)
    return [_layout(t) for t in (x.tril(), x.triu(1), x.tril(-3), c.tril(), c.triu())]


@program
def roll_layouts(torch):
    c = torch.arange(120.0).view(2, 3, 4, 5).to(memory_format=torch.channels_last)
    t = torch.arange(18.0).view(3, 1, 2, 3).permute(3, 2, 1, 0)  # ambiguous size-1 dims
    e = torch.arange(12.0).view(3, 1, 4, 1).expand(3, 3, 4, 1)
    rolls = [c.roll(1, 1), c.roll(3, 1), c.roll((1, 2), (2, 3)), c.roll(1), t.roll(1, 0)]
    rolls += [t.roll((-5, -3), (0, 3)), e.roll((-3, 0), (0, 2)), c.roll(0, 2)]
    return [(_layout(r), r) for r in rolls]


# ---- split into no sizes; copy_ from a larger broadcast -------------------------------------
@program
def split_empty_dim_into_no_sizes(torch):
    x = torch.zeros(2, 0)
    return x.split([], 1), x.split_with_sizes([], 1), x.split([0, 0], 1)


@error(
    RuntimeError, r"^output with shape \[3, 1, 3\] doesn't match the broadcast shape \[3, 2, 3\]"
)
def copy_from_source_broadcasting_destination_larger(torch):
    return torch.zeros(3, 1, 3).copy_(torch.ones(2, 3))


@program
def repeat_by_ones_of_transposed_is_contiguous(torch):
    x = torch.arange(6.0).view(3, 2).t()
    return [_layout(t) for t in (x.repeat(1, 1), x.tile((1,)), x.repeat(1, 1, 1), x.repeat(2, 1))]


@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def stack_checks_dim_before_sizes(torch):
    return torch.stack([torch.ones(2), torch.ones(3)], 2)


# ---- graph nodes and views -------------------------------------------------------------------
@program
def copy_node_type_and_name(torch):
    x = torch.ones(2, requires_grad=True) * 1
    y = x.clone().copy_(x * 2)
    y.sum().backward()
    return type(y.grad_fn).__name__, y.grad_fn.name(), repr(y.grad_fn).split()[0]


@program
def tensor_split_pieces_are_slices(torch):
    x = torch.arange(6.0).view(2, 3).requires_grad_() * 1
    pieces = [*x.tensor_split(1, 1), *x.tensor_split([0, 3], 1), *torch.hsplit(x, 1)]
    return [(p.grad_fn.name(), tuple(p.shape)) for p in pieces] + [x.narrow(1, 0, 3).grad_fn.name()]


@program
def repeat_interleave_int_is_view_of_expanded_copy(torch):
    x = torch.arange(6.0).view(2, 3).requires_grad_()
    y = x * 1
    outs = [y.repeat_interleave(2, 0), y.t().repeat_interleave(3, 1), y.repeat_interleave(2)]
    outs += [y.repeat_interleave(0, 1), torch.arange(4).repeat_interleave(2)]
    sum((o * torch.arange(float(o.numel())).view(o.shape)).sum() for o in outs[:4]).backward()
    graph = [walk(o.grad_fn, 4) for o in outs]
    return graph, [(o, o.stride(), o._is_view()) for o in outs], x.grad


@program
def unfold_nodes_and_views(torch):
    x = torch.tensor(3.0, requires_grad=True) * 1
    e = torch.zeros(0, requires_grad=True) * 1
    outs = [
        x.unfold(0, 1, 2),
        x.unfold(-1, 0, 1),
        e.unfold(0, 0, 1),
        torch.zeros(0).unfold(0, 0, 2),
    ]
    return [(o, o.grad_fn and o.grad_fn.name(), o._is_view()) for o in outs]


@program
def reshape_to_same_shape_is_new_view(torch):
    x = torch.arange(6).view(2, 3)
    y, z = x.reshape(2, 3), x.t().reshape(3, 2)
    y[0, 0] = 7
    return y is x, y._is_view(), y._base is x, z._is_view(), x
