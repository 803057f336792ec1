"""Session 10 OpInfo sweep, indexing / scatter-gather / shape ops: each program is a
divergence PyTorch's OpInfo database (tests/opinfo_harness.py) found, run with real PyTorch
(the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _grads(torch, out, *inputs):
    weight = torch.arange(1.0, out.numel() + 1, dtype=out.dtype).reshape(out.shape)
    return torch.autograd.grad((out * weight).sum(), inputs, allow_unused=True)


# ---- scatter family on 0-d tensors ----------------------------------------------------------
@program
def scatter_family_on_0d_tensors(torch):
    x = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    src = torch.tensor(4.0, dtype=torch.float64, requires_grad=True)
    i = torch.tensor(0)
    values = [
        torch.scatter(x.detach(), 0, i, src.detach(), reduce="add"),
        torch.scatter(x.detach(), 0, i, 2.5, reduce="multiply"),
    ]  # PyTorch has no derivative of scatter with reduce
    outs = [
        torch.scatter(x, 0, i, src),
        torch.scatter(x, 0, i, 2.5),
        torch.scatter_add(x, 0, i, src),
        x.scatter_reduce(0, i, src, "amax", include_self=False),
        x.scatter_reduce(0, i, src, "prod"),
        x.scatter_reduce(0, i, src, "mean"),
    ]
    return values, [(o, _grads(torch, o, x, src)) for o in outs]


@program
def index_reduce_on_0d_tensors(torch):
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    src = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)
    i = torch.tensor([0])
    outs = [x.index_reduce(0, i, src, r, include_self=s) for r in ("prod", "mean", "amin")
            for s in (True, False)]  # fmt: skip
    return [(o, _grads(torch, o, x, src)) for o in outs]


@program
def scatter_reduce_amax_of_uint8(torch):
    x = torch.tensor([[3, 200], [7, 9]], dtype=torch.uint8)
    src = torch.tensor([[250, 1], [4, 255]], dtype=torch.uint8)
    i = torch.tensor([[1, 0], [1, 0]])
    return [
        x.scatter_reduce(0, i, src, r, include_self=s)
        for r in ("amax", "amin")
        for s in (True, False)
    ]


@error(RuntimeError, r"Index tensor must have the same number of dimensions as src tensor")
def scatter_add_src_of_other_ndim(torch):
    return torch.zeros(3, 5).scatter_add(
        0, torch.zeros(2, 2, dtype=torch.long), torch.ones(2, 5, 2)
    )


# ---- shape ops ------------------------------------------------------------------------------
@program
def squeeze_an_empty_tuple_of_dims(torch):
    x = torch.ones(1, 3, 1)
    return x.squeeze(()).shape, torch.squeeze(x, []).shape, x.squeeze((0, 2)).shape


@program
def sum_to_size_of_nothing_is_a_full_sum(torch):
    return (
        torch.tensor(True).sum_to_size(()),
        torch.ones((), dtype=torch.int32).sum_to_size(()),
        torch.ones(1, 1, dtype=torch.uint8).sum_to_size(()),
        torch.tensor([True]).sum_to_size(1),
    )


@program
def diff_of_order_0_is_a_copy(torch):
    x = torch.arange(10.0, dtype=torch.float64).reshape(2, 5).requires_grad_()
    y = torch.diff(
        x, 0, 0, torch.zeros(1, 5, dtype=torch.float64), torch.ones(2, 5, dtype=torch.float64)
    )
    return y, _grads(torch, y, x)


@program
def gradient_with_spacing_none(torch):
    x = torch.tensor([[1.0, 2.0, 4.0], [8.0, 16.0, 32.0], [0.0, 1.0, 3.0]])
    return torch.gradient(x, spacing=None), torch.gradient(x, spacing=None, dim=1, edge_order=2)


@error(RuntimeError, r"dim 1 appears multiple times in the list of dims")
def gradient_with_a_repeated_dim(torch):
    return torch.gradient(torch.ones(3, 3), spacing=0.1, dim=(1, 1))


@error(RuntimeError, r"a scalar or it's spacing and dim arguments to have the same length")
def gradient_with_fewer_spacings_than_dims(torch):
    return torch.gradient(torch.ones(3, 3), spacing=[0.1], dim=(1, 0))


@error(RuntimeError, r"a list of length equal to 'self.dim\(\) = 2', since dim argument was not")
def gradient_with_fewer_spacings_than_the_tensor_dims(torch):
    return torch.gradient(torch.ones(3, 3), spacing=[0.1])


# ---- reading by index -----------------------------------------------------------------------
@program
def take_along_dim_wraps_indices_along_a_dim(torch):
    x = torch.arange(20.0, dtype=torch.float64).reshape(4, 5).requires_grad_()
    i = torch.tensor([[-1, 0, -5], [2, -2, 4], [7, 0, -11], [-3, 1, 5]])
    a = torch.take_along_dim(x, i, 1)
    return a, _grads(torch, a, x)


@error(RuntimeError, r"index -1 is out of bounds for dimension 0 with size 20")
def take_along_dim_of_the_flat_tensor_takes_no_negatives(torch):
    return torch.take_along_dim(torch.ones(4, 5), torch.tensor([-1, 3]))


@program
def unravel_index_coordinates_are_int64(torch):
    return (
        torch.unravel_index(torch.tensor([3, 17], dtype=torch.int32), (4, 5)),
        torch.unravel_index(torch.tensor([3, 5], dtype=torch.uint8), (4, 1073741824)),
        torch.unravel_index(torch.tensor(3, dtype=torch.int16), (2, 2)),
    )


@program
def gather_and_scatter_take_an_empty_index_of_any_dtype(torch):
    x = torch.arange(5.0, dtype=torch.float64, requires_grad=True)
    a = torch.gather(x, 0, torch.tensor([]))
    b = torch.gather(x, 0, torch.zeros(2, 0))
    c = torch.scatter(x, 0, torch.tensor([]), torch.tensor([], dtype=torch.float64))
    d = torch.scatter_add(x, 0, torch.zeros(0, dtype=torch.uint8), x.detach())
    return a, b, c, d, _grads(torch, b, x), _grads(torch, d, x)


@program
def index_fill_a_tensor_value_at_repeated_indices(torch):
    x = torch.ones(3, 5, dtype=torch.float64, requires_grad=True)
    v = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)
    y = torch.index_fill(x, -1, torch.tensor([4, 3, 3, 0]), v)
    return y, _grads(torch, y, x, v)


@program
def fill_keeps_the_graph(torch):
    x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    v = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)
    a, b, c = torch.fill(x, True), torch.fill(x, 2.5), torch.fill(x, v)
    return a, b, c, [(t.requires_grad, _grads(torch, t, x, v)) for t in (a, b, c)]


@program
def cat_gives_a_skipped_1d_empty_tensor_a_gradient(torch):
    e = torch.ones(0, dtype=torch.float64, requires_grad=True)
    y = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    z = torch.cat([e, y, e], 1)
    return z, _grads(torch, z, e, y)


# ---- errors ---------------------------------------------------------------------------------
@error(RuntimeError, r"narrow\(\) cannot be applied to a 0-dim tensor\.")
def narrow_of_a_0d_tensor(torch):
    return torch.narrow(torch.tensor(1.0), 0, 0, 1)


@error(RuntimeError, r"start must be an 0-dim integral Tensor\.")
def narrow_with_a_float_tensor_start(torch):
    return torch.narrow(torch.ones(20, 10, 5), -3, torch.tensor(1.0), 3)


@error(RuntimeError, r"start must be an 0-dim integral Tensor\.")
def narrow_with_a_1d_tensor_start(torch):
    return torch.narrow(torch.ones(20, 10, 5), 1, torch.ones(5, dtype=torch.long), 2)


@program
def narrow_with_a_0d_tensor_start(torch):
    return torch.narrow(torch.arange(10.0), 0, torch.tensor(-3), 2)


@error(RuntimeError, r"start \(7\) \+ length \(-1\) exceeds dimension size \(10\)\.")
def narrow_copy_with_a_negative_length(torch):
    return torch.narrow_copy(torch.ones(10), 0, -3, -1)


@error(RuntimeError, r"Expected dim < static_cast<int64_t>\(self_sizes.size\(\)\) to be true")
def narrow_copy_past_the_last_dim(torch):
    return torch.narrow_copy(torch.ones(10, 5, 20), 3, 0, 0)


@error(IndexError, r"Dimension specified as 0 but tensor has no dimensions")
def unbind_a_0d_tensor(torch):
    return torch.unbind(torch.tensor(1.0), 0)


@error(IndexError, r"Dimension specified as 0 but tensor has no dimensions")
def roll_a_0d_tensor_along_a_dim(torch):
    return torch.roll(torch.tensor(1.0), 0, 0)


@error(RuntimeError, r"`shifts` required")
def roll_with_no_shifts(torch):
    return torch.roll(torch.ones(5), ())


@error(RuntimeError, r"hstack expects a non-empty TensorList")
def hstack_of_nothing(torch):
    return torch.hstack(())


@error(RuntimeError, r"vstack expects a non-empty TensorList")
def vstack_of_nothing(torch):
    return torch.vstack([])


@error(RuntimeError, r"dstack expects a non-empty TensorList")
def dstack_of_nothing(torch):
    return torch.dstack(())


@error(TypeError, r"vsplit\(\) received an invalid combination of arguments")
def vsplit_by_a_string(torch):
    return torch.vsplit(torch.ones(5, 5, 5), "abc")


@error(RuntimeError, r"histogramdd: The size of bins must be equal to the innermost dimension")
def histogramdd_with_too_many_bin_counts(torch):
    return torch.histogramdd(torch.ones(5, 6), (1, 1, 1, 1, 1))


@error(RuntimeError, r"movedim: repeated dim in `source` \(\[1, 0, -4\]\)")
def movedim_names_the_dims_as_given(torch):
    return torch.movedim(torch.ones(2, 3, 4, 5, 6), (1, 0, -4), (0, 4, -5))


@error(RuntimeError, r"source \(\[3, -3\] dims\) should contain the same number of dims as "
                     r"destination \(\[1, 0, -1\] dims\)")  # fmt: skip
def movedim_with_more_destinations(torch):
    return torch.movedim(torch.ones(2, 3, 4, 5, 6), (3, -3), (1, 0, -1))


# ---- out= -----------------------------------------------------------------------------------
@error(RuntimeError, r"unsupported operation: some elements of the input tensor and the written")
def gather_into_its_own_input(torch):
    src = torch.rand(6)
    return torch.gather(src, 0, torch.tensor([2, 1, 0]), out=src)


@error(RuntimeError, r"the written-to tensor refer to a single memory location")
def cat_into_an_empty_input(torch):
    x = torch.zeros(0)
    return torch.cat((x, torch.ones(4, 6)), dim=0, out=x)


@error(RuntimeError, r"the written-to tensor refer to a single memory location")
def cat_into_a_slice_of_an_input(torch):
    z = torch.zeros(4, 6)
    return torch.cat((torch.ones(4, 6), z), out=z[:2, :])


@error(RuntimeError, r"unsupported operation")
def masked_select_into_its_input(torch):
    x = torch.ones(6)
    return torch.masked_select(x, x > 0, out=x)


@error(RuntimeError, r"unsupported operation")
def kthvalue_into_its_input(torch):
    x = torch.arange(10.0)
    return torch.kthvalue(x, 5, out=(x, torch.tensor(0)))


@program
def out_that_only_looks_like_an_input(torch):
    x, out = torch.arange(6.0), torch.empty(3)
    c = torch.ones(3, 6)
    torch.index_select(c, 1, torch.tensor([0, 1]), out=c[:, 4:])  # too hard to tell: allowed
    return torch.gather(x, 0, torch.tensor([2, 1, 0]), out=out), out, c


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def gather_into_an_out_of_another_dtype(torch):
    out = torch.empty(2, 2, dtype=torch.float64)
    return torch.gather(torch.ones(2, 2), 1, torch.zeros(2, 2, dtype=torch.long), out=out)


@error(RuntimeError, r"Expected the dtype for input and out to match, but got Float for input's")
def amax_into_an_int_out(torch):
    return torch.amax(torch.ones(20, 20), 0, out=torch.empty(20, dtype=torch.int32))


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def aminmax_into_double_outs(torch):
    outs = (torch.empty(20, dtype=torch.float64), torch.empty(20, dtype=torch.float64))
    return torch.aminmax(torch.ones(20, 20), dim=0, out=outs)
