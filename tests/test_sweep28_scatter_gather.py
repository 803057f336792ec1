"""Sweep programs pinning the scatter/gather fixes found by tests/test_fuzz_scatter_gather.py:
each fails without its fix (values, grad_fn names, requires_grad or PyTorch's errors)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _node(t) -> str:
    return None if t.grad_fn is None else type(t.grad_fn).__name__


# ---- an empty index (of any shape) ------------------------------------------------------------
@program
def scatter_add_empty_index_keeps_src_in_graph(torch):
    src = torch.ones(3, 3, requires_grad=True)
    y = torch.zeros(2, 3).scatter_add(0, torch.zeros(0, 3, dtype=torch.long), src)
    return y, y.requires_grad, _node(y)


@program
def scatter_reduce_empty_index_keeps_src_in_graph(torch):
    src = torch.ones(3, 3, requires_grad=True)
    idx = torch.zeros(0, dtype=torch.long)
    outs = [torch.zeros(2, 3).scatter_reduce(0, idx, src, r) for r in ("sum", "mean", "amax")]
    return [(y, y.requires_grad, _node(y)) for y in outs]


@program
def scatter_number_empty_index_of_fewer_dims(torch):
    idx = torch.zeros(0, dtype=torch.int32)
    return torch.zeros(0, 2).scatter(1, idx, 1.5), torch.zeros(2, 3).scatter(0, idx.long(), 2.0)


@program
def scatter_number_reduce_empty_index(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return x.scatter(0, torch.zeros(0, dtype=torch.long), 3.0, reduce="multiply")


@error(NotImplementedError, r'"div_floor_cpu" not implemented for \'Bool\'')
def scatter_reduce_mean_bool_empty_index(torch):
    x = torch.zeros(2, 3, dtype=torch.bool)
    x.scatter_reduce(0, torch.zeros(0, dtype=torch.long), x, "mean")


# ---- scatter(reduce=) has no derivative ----------------------------------------------------------
@program
def scatter_legacy_reduce_has_no_derivative(torch):
    x = torch.zeros(2, 4, requires_grad=True)
    y = x.scatter(0, torch.tensor([[1]]), 3.0, reduce="add")
    try:
        torch.autograd.grad(y.sum(), x)
        message = None
    except RuntimeError as e:
        message = str(e)[:30]
    return y, _node(y), message


@program
def scatter_legacy_reduce_src_no_derivative(torch):
    src = torch.full((1, 2), 2.0, requires_grad=True)
    y = torch.ones(2, 3).scatter(1, torch.tensor([[2, 0]]), src, reduce="multiply")
    return y, y.requires_grad, _node(y)


# ---- grad_fn names ------------------------------------------------------------------------------
@program
def zero_dim_index_ops_name_their_nodes(torch):
    x = torch.tensor(2.0, requires_grad=True)
    i = torch.tensor(0)
    outs = [
        x.gather(0, i),
        x.scatter_add(0, i, torch.tensor(1.0)),
        x.index_add(0, torch.tensor([0]), torch.tensor(3.0)),
        x.index_select(0, i),
        x.scatter_reduce(0, i, torch.tensor(4.0), "amax"),
    ]
    return [(y, _node(y)) for y in outs]


@program
def gather_empty_index_node(torch):
    x = torch.ones(3, 4, requires_grad=True)
    y = x.gather(1, torch.zeros(3, 0, dtype=torch.long))
    return y, _node(y)


@program
def index_reduce_inplace_node(torch):
    x = torch.arange(12.0).reshape(4, 3).requires_grad_().clone()
    y = x.index_reduce_(0, torch.tensor([3, 3, 0]), torch.full((3, 3), 2.0), "prod")
    return y, _node(y)


@program
def index_fill_tensor_value_node(torch):
    x = torch.zeros(3, 2, requires_grad=True)
    y = x.index_fill(1, torch.tensor([0]), torch.tensor(2.5))
    return y, _node(y)


# ---- errors in PyTorch's words --------------------------------------------------------------------
@error(RuntimeError, r"INDICES element is out of DATA bounds, id=5 axis_dim=3")
def index_select_dim1_out_of_range(torch):
    torch.zeros(4, 3).index_select(1, torch.tensor([5]))


@error(RuntimeError, r"index_select\(\): self indexing axis dim should be positive")
def index_select_empty_dim(torch):
    torch.zeros(0, 2, 3).index_select(0, torch.tensor([0]))


@error(IndexError, r"index out of range in self")
def index_select_dim2_out_of_range(torch):
    torch.zeros(2, 3, 4).index_select(2, torch.tensor([-1]))


@error(IndexError, r"index_select\(\): Index is supposed to be a vector")
def index_select_checks_dims_before_dtype(torch):
    torch.zeros(3).index_select(0, torch.ones(2, 1))


@error(RuntimeError, r"index 9 is out of bounds for dimension 1 with size 3")
def index_add_last_dim_out_of_range(torch):
    torch.zeros(2, 3).index_add(1, torch.tensor([9]), torch.ones(2, 1))


@error(IndexError, r"index out of range in self")
def index_add_middle_dim_out_of_range(torch):
    torch.zeros(2, 3, 4).index_add(1, torch.tensor([9]), torch.ones(2, 1, 4))


@program
def index_add_into_empty_self_checks_no_index(torch):
    return torch.zeros(1, 0).index_add(-1, torch.tensor([2, 5]), torch.ones(1, 2))


@error(RuntimeError, r"index_select\(\): self indexing axis dim should be positive")
def index_add_empty_self_backward(torch):
    src = torch.ones(3, 1, requires_grad=True)
    torch.zeros(3, 0).index_add(1, torch.tensor([0]), src).sum().backward()


@error(RuntimeError, r"gather\(\): Expected dtype int32/int64 for index")
def take_along_dim_no_dim_checks_as_gather(torch):
    torch.zeros(3, 2).take_along_dim(torch.tensor([0.0, 1.0]))


@program
def take_along_dim_no_dim_takes_int32(torch):
    return torch.arange(6.0).reshape(3, 2).take_along_dim(torch.tensor([5, 1], dtype=torch.int32))


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def take_along_dim_no_dim_views(torch):
    torch.zeros(3, 2).t().take_along_dim(torch.tensor([0, 1]))


@error(RuntimeError, r"ZeroDivisionError")
def take_along_dim_empty_dim(torch):
    torch.zeros(0, 3).take_along_dim(torch.tensor([[0, 0, 0]]), 0)


@program
def take_along_dim_empty_dim_empty_result(torch):
    return torch.zeros(2, 0, 0).take_along_dim(torch.tensor([[[2, -1, -1, 2]]]), 2)


@error(RuntimeError, r"value cannot be converted to type uint8_t without overflow")
def index_fill_value_overflow(torch):
    torch.zeros(3, dtype=torch.uint8).index_fill(0, torch.tensor([0]), -1.5)


@error(RuntimeError, r"put_\(\): self and source expected to have the same dtype")
def put_checks_dtype_before_numel(torch):
    torch.zeros(4).put_(torch.tensor([0, 1]), torch.zeros(3, dtype=torch.float64))


@error(RuntimeError, r"The expanded size of the tensor \(4\) must match the existing size \(7\)")
def masked_scatter_inplace_mask_expands_to_self(torch):
    torch.zeros(4).masked_scatter_(torch.zeros(7, dtype=torch.bool), torch.zeros(4))


@error(RuntimeError, r"masked_scatter: expected self and source to have same dtypes")
def masked_scatter_checks_source_dtype_first(torch):
    torch.zeros(4).masked_scatter(torch.zeros(4, dtype=torch.long), torch.zeros(4).double())


@error(IndexError, r"index_copy_\(\): When source and destination are not scalars")
def index_copy_checks_dims_before_index_dtype(torch):
    torch.zeros(4, 0).index_copy(0, torch.tensor([3, 1], dtype=torch.int32), torch.zeros(2))


@error(IndexError, r"select\(\): index 0 out of range for tensor of size \[3, 0\] at dimension 1")
def index_reduce_empty_dim(torch):
    torch.zeros(3, 0).index_reduce(1, torch.tensor([5, 7]), torch.ones(3, 2), "amax")


@error(IndexError, r"index out of range in self")
def index_add_alpha_out_of_range(torch):
    torch.zeros(4, 3).index_add(1, torch.tensor([0, -1]), torch.ones(4, 2), alpha=2)


@error(IndexError, r"Dimension specified as 0 but tensor has no dimensions")
def index_add_scalar_source_index_count(torch):
    torch.zeros(3).index_add(0, torch.tensor([0, 1]), torch.tensor(1.0))


@error(RuntimeError, r"The size of tensor a \(7\) must match the size of tensor b \(4\)")
def masked_scatter_checks_shapes_before_dtypes(torch):
    torch.zeros(4).masked_scatter(torch.zeros(7, dtype=torch.bool), torch.zeros(4).double())


@error(RuntimeError, r"The expanded size of the tensor \(4\) must match the existing size \(7\)")
def masked_scatter_inplace_expands_before_mask_dtype(torch):
    torch.zeros(4).masked_scatter_(torch.zeros(7, dtype=torch.long), torch.zeros(4))


@error(RuntimeError, r"index_fill_ only supports a 0-dimensional value tensor")
def index_fill_checks_value_first(torch):
    torch.zeros(4).index_fill(0, torch.tensor([[1]], dtype=torch.uint8), torch.zeros(1))


@program
def index_fill_and_copy_into_empty_self_check_no_index(torch):
    x = torch.zeros(0, 3)
    return x.index_fill(1, torch.tensor([5, -7]), 2.0), x.index_copy(1, torch.tensor([9]), x[:, :1])


@program
def scatter_reduce_prod_double_backward(torch):
    x = torch.tensor([2.0, 0.0, -3.0], dtype=torch.float64, requires_grad=True)
    src = torch.tensor([5.0, 0.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
    index = torch.tensor([0, 0, 1, 1])
    out = []
    for include_self in (True, False):
        y = x.scatter_reduce(0, index, src, "prod", include_self=include_self)
        w = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
        g = torch.autograd.grad((y * w).sum(), (x, src), create_graph=True)
        out.append([g, torch.autograd.grad((g[0] ** 2).sum() + (g[1] ** 2).sum(), (x, src))])
    return out


@error(RuntimeError, r"Double backward is unsupported for src when >1 zeros in src")
def scatter_reduce_prod_double_backward_two_zeros(torch):
    x = torch.tensor([2.0, 1.0], dtype=torch.float64, requires_grad=True)
    src = torch.tensor([0.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
    y = x.scatter_reduce(0, torch.tensor([0, 0, 1]), src, "prod")
    g = torch.autograd.grad(y.sum(), (x, src), create_graph=True)
    torch.autograd.grad(g[1].sum(), src)


@program
def masked_fill_value_gradient_in_its_dtype(torch):
    value = torch.tensor(1.5, dtype=torch.float32, requires_grad=True)
    y = torch.ones(2, 3, dtype=torch.float64).masked_fill(torch.tensor([True, False, True]), value)
    (g,) = torch.autograd.grad((y * torch.arange(6.0).reshape(2, 3).double()).sum(), value)
    return y, g


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def index_select_checks_dim_first(torch):
    torch.zeros(1, 2).index_select(2, torch.zeros(2, 2, dtype=torch.long))


@program
def index_add_bool_alpha(torch):
    x = torch.tensor([[True], [True], [False]])
    src = torch.tensor([[True, False, True], [False, True, True], [True, True, False]])
    return x.index_add(1, torch.tensor([0, 0, 0]), src, alpha=-1)  # alpha True: a logical or


@program
def scatter_and_index_reduce_count_self_ties_without_self(torch):
    x = torch.tensor([[-3.0, 5.0]], requires_grad=True)
    src = torch.tensor([[-3.0, 7.0], [-1.0, 7.0]], requires_grad=True)
    a = x.index_reduce(0, torch.tensor([0, 0]), src, "amin", include_self=False)
    b = x.scatter_reduce(0, torch.zeros(2, 2, dtype=torch.long), src, "amin", include_self=False)
    return a, b, torch.autograd.grad(a.sum() + 2 * b.sum(), (x, src))


# ---- out= ------------------------------------------------------------------------------------
@error(TypeError, r"index_fill\(\) received an invalid combination of arguments")
def index_fill_takes_no_out(torch):
    torch.index_fill(torch.zeros(3), 0, torch.tensor([1]), 1.0, out=torch.empty(0))


@error(TypeError, r"masked_scatter\(\) got an unexpected keyword argument 'out'")
def masked_scatter_takes_no_out(torch):
    m = torch.tensor([True, False])
    torch.masked_scatter(torch.zeros(2), m, torch.ones(2), out=torch.empty(0))


@error(TypeError, r"put\(\) got an unexpected keyword argument 'out'")
def put_takes_no_out(torch):
    torch.put(torch.zeros(3), torch.tensor([1]), torch.ones(1), out=torch.empty(0))


@program
def index_reduce_out(torch):
    out = torch.empty(0)
    y = torch.index_reduce(torch.ones(3, 2), 0, torch.tensor([0, 0]), torch.full((2, 2), 3.0), "prod", out=out)  # fmt: skip
    return y, y is out


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def gather_out_dtype_before_index_range(torch):
    torch.gather(torch.zeros(3, 4), 0, torch.tensor([[9, 0]]), out=torch.empty(0).double())


@error(RuntimeError, r"Expected out tensor to have dtype long int, but got float instead")
def scatter_add_out_dtype(torch):
    x = torch.zeros(2, 3, dtype=torch.long)
    torch.scatter_add(x, 1, torch.tensor([[0, 5]]), torch.ones(1, 2, dtype=torch.long), out=torch.empty(0))  # fmt: skip


@error(RuntimeError, r"index_add_\(\): self \(Float\) and source \(Double\) must have the same")
def index_add_source_dtype_before_out_dtype(torch):
    x = torch.zeros(3, 4)
    torch.index_add(x, 0, torch.tensor([0]), torch.ones(1, 4).double(), out=torch.empty(0).long())


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def index_copy_out_dtype_first(torch):
    x = torch.zeros(3, 4)
    torch.index_copy(x, 0, torch.tensor([0]), torch.ones(1, 4).double(), out=torch.empty(0).double())  # fmt: skip


@error(RuntimeError, r"gather\(\): functions with out=\.\.\. arguments don't support automatic")
def take_along_dim_out_autograd_error_names_gather(torch):
    x = torch.zeros(3, 2, requires_grad=True)
    torch.take_along_dim(x, torch.tensor([[0, 1]]), 0, out=torch.empty(0))


@error(RuntimeError, r"ZeroDivisionError")
def take_along_dim_out_checks_before_autograd(torch):
    x = torch.zeros(0, requires_grad=True)
    torch.take_along_dim(x, torch.tensor([-1]), 0, out=torch.empty(0))


# ---- more orders and dtypes ---------------------------------------------------------------------
@error(NotImplementedError, r'"scatter_gather_tensor_cpu_reduce_mean" not implemented for \'Bool\'')
def scatter_reduce_inplace_mean_bool(torch):
    x = torch.zeros(2, 3, dtype=torch.bool)
    x.scatter_reduce_(-1, torch.zeros(1, 1, dtype=torch.long), x.clone(), "mean")


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def index_add_checks_dim_before_index_dtype(torch):
    torch.zeros(1, 3).index_add(2, torch.tensor([0.0]), torch.ones(1, 3))


@program
def index_fill_value_gradient_in_its_dtype(torch):
    value = torch.tensor(1.5, requires_grad=True)
    y = torch.zeros(3, dtype=torch.float64).index_fill(0, torch.tensor([2, 0]), value)
    return y, torch.autograd.grad((y * torch.tensor([0.1, 0.2, 0.3]).double()).sum(), value)


@program
def scatter_number_converts_as_a_fill_value(torch):
    x = torch.zeros(3, dtype=torch.uint8)
    empty = torch.zeros(4, 2, 0, dtype=torch.uint8)
    return x.scatter(0, torch.tensor([1]), -2), empty.scatter_(0, torch.zeros(1, 2, 0, dtype=torch.long), -2)  # fmt: skip


@error(RuntimeError, r"value cannot be converted to type uint8_t without overflow")
def scatter_number_overflow(torch):
    torch.zeros(3, dtype=torch.uint8).scatter(0, torch.tensor([1]), 300)


@error(RuntimeError, r"The size of tensor a \(7\) must match the size of tensor b \(2\)")
def masked_fill_checks_shapes_before_value_dims(torch):
    torch.zeros(3, 2).masked_fill(torch.zeros(7, dtype=torch.bool), torch.zeros(1, 2))


@error(IndexError, r"index_fill_\(\): Expected dtype int64 for index")
def index_fill_checks_index_dtype_before_dim(torch):
    torch.zeros(()).index_fill(1, torch.tensor([0], dtype=torch.uint8), 1.0)


@program
def index_put_values_gradient_in_their_dtype(torch):
    values = torch.tensor([1.5], requires_grad=True)
    mask = torch.tensor([[False, True, False]])
    y = torch.index_put(torch.zeros(1, 3, dtype=torch.float64), (mask,), values)
    return y, torch.autograd.grad((y * 0.3).sum(), values)


@program
def index_put_zero_dim_index_into_empty_result(torch):
    x = torch.zeros(1, 2, 0)
    return torch.index_put(x, (torch.tensor(1),), torch.zeros(2, 0))


@program
def index_reduce_half_mean_zero_dim_index(torch):
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16)
    return x.index_reduce(0, torch.tensor(2), torch.tensor([5.0], dtype=torch.float16), "mean")


@error(RuntimeError, r"index -3 is out of bounds for dimension 0 with size 2")
def scatter_reduce_mean_bool_without_self_checks_range_first(torch):
    x = torch.zeros(2, 3, dtype=torch.bool)
    x.scatter_reduce(0, torch.tensor([[-3, 0, 0]]), x, "mean", include_self=False)


@error(RuntimeError, r"Index tensor must have the same number of dimensions as self tensor")
def scatter_out_checks_dims_before_out_dtype(torch):
    x = torch.zeros(3, 2, dtype=torch.uint8)
    torch.scatter(x, 1, torch.zeros(2, 2, 1, dtype=torch.long), x, out=torch.empty(0))


@error(NotImplementedError, r"Trying to use forward AD with index_reduce that does not support it")
def index_reduce_forward_ad(torch):
    fa = torch.autograd.forward_ad
    with fa.dual_level():
        x = fa.make_dual(torch.zeros(3), torch.ones(3))
        x.index_reduce(0, torch.tensor([0]), torch.ones(1), "prod")


@program
def scatter_reduce_prod_empty_index_double_backward(torch):
    x = torch.tensor([2.0, -3.0, 2.0], dtype=torch.float64, requires_grad=True)
    src = torch.zeros(0, dtype=torch.float64, requires_grad=True)
    y = x.scatter_reduce(0, torch.zeros(0, dtype=torch.long), src, "prod", include_self=False)
    (g,) = torch.autograd.grad((y * torch.tensor([1.0, 2.0, 3.0]).double()).sum(), x, create_graph=True)  # fmt: skip
    return y, g, g.requires_grad, torch.autograd.grad((g * g).sum(), x)
