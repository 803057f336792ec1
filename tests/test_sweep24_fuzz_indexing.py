"""Sweep programs for the divergences that the indexing fuzzer (tests/test_fuzz_indexing.py)
found: the order and words of indexing errors, Python bools as indices, the grad_fn of
getitem and setitem, indexing that reads no index, and setitem into empty views."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _grad(torch, shape):
    x = torch.arange(float(torch.Size(shape).numel()), dtype=torch.float64).reshape(shape)
    return x.requires_grad_()


# ---- errors: PyTorch counts the index's dims first, then applies its items in order ----------
@error(IndexError, r"^too many indices for tensor of dimension 1$")
def too_many_indices_before_a_float_index_tensor(torch):
    torch.zeros(3)[torch.tensor([0.5]), 0]


@error(IndexError, r"^too many indices for tensor of dimension 2$")
def too_many_indices_before_a_zero_step(torch):
    torch.zeros(2, 3)[::0, 0, None, 1]


@error(IndexError, r"^index 5 is out of bounds for dimension 2 with size 3$")
def int_out_of_range_named_by_its_place_after_none(torch):
    torch.zeros(2, 3)[None, 0, 5]


@error(IndexError, r"^index 5 is out of bounds for dimension 1 with size 4$")
def int_out_of_range_after_ellipsis(torch):
    torch.zeros(4)[..., 5]


@error(IndexError, r"^index 6 is out of bounds for dimension 1 with size 4$")
def zero_dim_tensor_out_of_range_after_none(torch):
    torch.zeros(4, 1)[None, torch.tensor(6)]


@error(IndexError, r"^index 5 is out of bounds for dimension 1 with size 3$")
def int_out_of_range_before_index_tensor_dtype(torch):
    torch.zeros(2, 3)[torch.tensor([0.0]), 5]


@error(IndexError, r"with shapes \[3\], \[1, 2\]$")
def index_tensors_broadcast_message(torch):
    torch.zeros(4, 4)[torch.tensor([0, 1, 0]), torch.tensor([[0, 1]])]


@error(IndexError, r"^The shape of the mask \[3\] at index 0 does not match")
def index_put_checks_mask_before_dtype(torch):
    torch.zeros(2, dtype=torch.int64).index_put_(
        (torch.tensor([False, True, False]),), torch.tensor(1.0), accumulate=True
    )


@error(IndexError, r"^The shape of the mask \[3\] at index 0 does not match")
def setitem_checks_mask_before_dtype(torch):
    torch.zeros(2, dtype=torch.int64)[torch.tensor([False, True, False])] = torch.tensor([1.0])


@error(IndexError, r"^The shape of the mask \[1, 2\] at index 0 does not match")
def index_put_mask_over_too_many_dims(torch):
    x = torch.zeros(3, 1, dtype=torch.int32)
    x.index_put_((torch.tensor([[True, False]]), torch.tensor([[0, 0]])), torch.tensor(1))


@error(RuntimeError, r"^shape mismatch: value tensor of shape \[2\] cannot be broadcast")
def setitem_checks_value_shape_before_dtype(torch):
    torch.zeros(2, 3, dtype=torch.int64)[torch.tensor([0])] = torch.tensor([1.0, 2.0])


@error(RuntimeError, r"^shape mismatch: value tensor of shape \[2\] cannot be broadcast")
def setitem_checks_value_shape_before_index_range(torch):
    x = _grad(torch, (1, 4)) * 1
    x[torch.tensor([[-1, 0], [0, -2]]), None, None] = torch.zeros(2, dtype=torch.float64)


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow$")
def setitem_overflow_message(torch):
    torch.zeros(2, 4, dtype=torch.uint8)[torch.tensor([True, False])] = 300.0


# ---- True and False: a new dim indexed by a tensor (a copy) ---------------------------------
@program
def python_bool_index_is_a_copy(torch):
    x = torch.arange(6.0).reshape(2, 3)
    r = x[True]
    r.fill_(7)
    s = (x * 1)[0, True]
    return x, r, s.shape, s.grad_fn.name() if s.grad_fn else None


@program
def python_bool_index_grad(torch):
    x = _grad(torch, (2, 3))
    r = (x * 1.5)[-2, True, None]
    r.sum().backward()
    return r, r.grad_fn.name(), x.grad


@program
def python_bool_after_int_and_ellipsis(torch):
    x = torch.arange(6.0).reshape(2, 1, 3)
    return x[1, ..., True], x[torch.tensor(1), ..., False], x[0, True, ..., True]


@program
def setitem_with_python_bool(torch):
    x = _grad(torch, (4,))
    y = x * 1.5
    v = torch.tensor([[0.5], [1.5], [2.5]], dtype=torch.float64, requires_grad=True)
    y[torch.tensor([[3], [1], [1]]), True] = v
    z = torch.zeros(2, 3)
    z[True] = 1.0
    z[:, False] = 2.0
    (y * torch.arange(4.0, dtype=torch.float64)).sum().backward()
    return y, y.grad_fn.name(), x.grad, v.grad, z


# ---- grad_fn names: a slice of a whole dim does nothing (within a tuple) --------------------
@program
def whole_slices_give_an_alias(torch):
    x = _grad(torch, (2, 3)) * 1
    names = [x[index].grad_fn.name() for index in
             [(slice(0, 9),), (slice(None), slice(None, 3)), (..., slice(0, 5, 1)), (None, slice(0, 3)),
              slice(0, 9), slice(None), (slice(-2, None),), (slice(1, None),), (0, slice(None))]]  # fmt: skip
    return names


@program
def setitem_with_whole_slice_is_index_put(torch):
    x = _grad(torch, (1, 3, 2))
    y = x * 1.5
    v = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    y[torch.tensor([[0], [0]]), 0:5] = v
    name = y.grad_fn.name()
    (y * 2).sum().backward()
    return y, name, x.grad, v.grad


# ---- an empty result: PyTorch reads no index value ------------------------------------------
@program
def empty_result_reads_no_index(torch):
    x = torch.arange(6.0).reshape(2, 3)
    a = x[[5], :0]
    b = x[:0, [7]]
    c = torch.zeros(0, 4)[:9, ..., None, None, torch.tensor([6])]
    x[[5], 0:0] = 1.0
    y = torch.zeros(1, 1, 3, dtype=torch.bool)
    at = (slice(3, 5, 3), torch.tensor(-1, dtype=torch.int32), ..., torch.tensor([[-2], [5]]))
    y[at] = torch.tensor(True)
    z = torch.zeros(2, 0).index_put_((torch.tensor([5]),), torch.zeros(0))
    return a, b, c, x, y, z


@program
def setitem_into_empty_view_records(torch):
    x = torch.zeros(2, 0, dtype=torch.float64, requires_grad=True)
    y = x * 1
    v = torch.zeros(0, 1, 1, dtype=torch.float64, requires_grad=True)
    y[torch.zeros(2, 0, dtype=torch.bool), None, None] = v
    name = y.grad_fn.name()
    y.sum().backward()
    return name, x.grad, v.grad


@program
def empty_result_keeps_index_node(torch):
    x = _grad(torch, (4, 1, 4)) * 1.5
    r = x[-1:, 2:5:3, torch.tensor([-3, 4, 3])]
    return r, r.grad_fn.name()


@program
def setitem_with_empty_result_records(torch):
    x = _grad(torch, (3, 4, 4))
    y = x * 1.5
    y[9:-1:2, [6, -3, 0]] = 0.5
    z = x * 1
    z[torch.tensor([5]), :0] = torch.tensor(1.0, dtype=torch.float64)
    (y + z).sum().backward()
    return y.grad_fn.name(), z.grad_fn.name(), x.grad


@error(IndexError, r"^index is out of bounds for dimension with size 0$")
def index_put_into_empty_dim_before_value_shape(torch):
    torch.zeros(0).index_put_((torch.tensor([0]),), torch.tensor([1.0, 2.0]))


@error(IndexError, r"^index is out of bounds for dimension with size 0$")
def getitem_index_tensor_into_empty_dim(torch):
    torch.zeros(2, 1, 4, 0)[torch.tensor([1]), ..., torch.tensor([0]), None, True]


@error(IndexError, r"^index -3 is out of bounds for dimension 1 with size 2$")
def python_bool_counts_among_index_tensors(torch):
    torch.zeros(2, 4, 4, 4)[None, True, torch.tensor([[-3], [-1], [2]])]


@error(IndexError, r"indexed tensor \[1, 1, 2, 2, 4, 2\] at index 2$")
def mask_message_after_python_bool(torch):
    torch.zeros(2, 2, 4, 2)[True, None, torch.tensor([True])]


@program
def setitem_of_whole_tensor_fills(torch):
    x = _grad(torch, (2, 3))
    v = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    names = []
    for index, value in [((slice(None), slice(None)), 1.0), (..., v), (slice(None), 3),
                         ((slice(0, 9), ...), v), ((slice(None),), torch.ones(3, dtype=torch.float64)),
                         (slice(None, None, 1), torch.ones(2, 3, dtype=torch.float64))]:  # fmt: skip
        y = x * 1
        y[index] = value
        names.append(y.grad_fn.name())
    y = x * 1
    y[...] = v
    (y * 3).sum().backward()
    return names, x.grad, v.grad


@program(tol={"rtol": 0, "atol": 0})
def index_put_accumulates_one_by_one_in_float16(torch):
    x = torch.tensor([1000.0, 2.0], dtype=torch.float16)
    at = (torch.tensor([0, 0, 0, 0, 1]),)
    return x.index_put_(at, torch.full((5,), 0.3, dtype=torch.float16), accumulate=True)


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow$")
def setitem_one_float_through_mask_overflows(torch):
    torch.zeros(4, dtype=torch.uint8)[torch.tensor([False, True, False, False])] = torch.tensor(
        -1.2
    )


@error(RuntimeError, r"^value cannot be converted to type uint8 without overflow$")
def tensor_of_negative_float_as_uint8(torch):
    torch.tensor(-0.47, dtype=torch.uint8)


@program
def tensor_of_negative_int_as_uint8_wraps(torch):
    return torch.tensor([-1, -0.0, 255.0, 0.5], dtype=torch.uint8), torch.tensor(
        -2, dtype=torch.uint8
    )


@program
def zero_dim_bool_tensor_index_is_a_new_dim(torch):
    x = torch.arange(12.0).reshape(2, 2, 3)
    a = x[torch.tensor(True), 1, torch.tensor([True, False])]
    b = x[..., torch.tensor(False)]
    y = _grad(torch, (2,)) * 1
    y[..., torch.tensor(False)] = torch.zeros(2, 0, dtype=torch.float64)
    return a, b, y.grad_fn.name()


@error(IndexError, r"indexed tensor \[1, 4, 0, 1, 3, 3\] at index 1$")
def mask_message_after_zero_dim_bool_tensor(torch):
    x = torch.zeros(4, 3, 3, 3)
    x[torch.tensor(True), torch.tensor([False, False, True]), -6:0, torch.tensor(True)] = 1.0


@error(TypeError, r"^expected Tensor as element 0 in argument 0, but got numpy.ndarray$")
def index_put_names_numpy_array_type(torch):
    import numpy as np

    torch.zeros(3).index_put_((np.array([0, 1]),), torch.tensor(1.0))


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow$")
def setitem_number_checked_before_index(torch):
    torch.zeros(1, 3, dtype=torch.uint8)[..., ::-1] = -0.5


@program
def zero_dim_byte_tensor_index_is_a_new_dim(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return x[torch.tensor(1, dtype=torch.uint8)], x[0, torch.tensor(0, dtype=torch.uint8)]


@error(IndexError, r"indexed tensor \[1, 4, 1\] at index 1$")
def mask_message_after_zero_dim_byte_tensor(torch):
    torch.zeros(4, 1)[torch.tensor(2, dtype=torch.uint8), torch.tensor([False])]


@error(IndexError, r"^index is out of bounds for dimension with size 0$")
def index_put_zero_dim_index_into_empty_dim(torch):
    torch.zeros(0, 2, 2).index_put_((torch.tensor(0), torch.tensor(0)), torch.tensor(1.0))


# ---- a value that shares memory with the tensor written to ----------------------------------
@error(RuntimeError, r"^unsupported operation: some elements of the input tensor and the written")
def setitem_slice_from_overlapping_slice(torch):
    x = torch.arange(5.0)
    x[1:] = x[:-1]


@error(RuntimeError, r"^unsupported operation: some elements of the input tensor and the written")
def setitem_index_from_overlapping_view(torch):
    x = torch.arange(5.0)
    x[[1, 2, 3, 4]] = x[:-1]


@error(RuntimeError, r"^unsupported operation: some elements of the input tensor and the written")
def index_put_from_own_view(torch):
    x = torch.arange(5.0)
    x.index_put_((torch.tensor([0, 1]),), x[3:])


@program
def setitem_from_own_memory_allowed(torch):
    x = torch.arange(5.0)
    x[:] = x  # the same elements
    x[0:2] = x[3:]  # no element shared
    x[torch.tensor([False, True, True, False, False])] = x[0:1]  # one number, read first
    y = torch.arange(5.0).view(1, 5)
    y[None, 0, None] = y.view(1, 1, 5)
    z = torch.arange(6.0).view(2, 3)
    z[1:] = z[0]  # no element shared
    return x, y, z


@error(RuntimeError, r"^Index put requires the source and destination dtypes match, got Int")
def index_put_zero_dim_index_is_no_int_for_the_mask_rule(torch):
    x = torch.zeros(4, 4, dtype=torch.int32)
    x.index_put_((torch.tensor([False, False, True, False]), torch.tensor(2)), torch.tensor(1.5))


@program
def setitem_mask_and_int_take_one_number_of_another_dtype(torch):
    x = torch.zeros(4, 4, dtype=torch.int32)
    x[torch.tensor([False, False, True, False]), torch.tensor(2)] = torch.tensor(1.5)
    return x


@error(RuntimeError, r"^masked_fill_ only supports boolean masks, but got mask with dtype unsigned")
def setitem_number_through_byte_mask(torch):
    torch.zeros(2, 2)[torch.tensor([1, 0], dtype=torch.uint8), 0] = 1.0


@error(IndexError, r"^The shape of the mask \[1\] at index 0 does not match")
def setitem_byte_mask_shape_checked_first(torch):
    torch.zeros(4, 2)[torch.tensor([1], dtype=torch.uint8), ...] = 1.0


@program
def setitem_byte_mask_with_more_values_or_indices(torch):
    x = torch.zeros(2, 2)
    x[torch.tensor([1, 0], dtype=torch.uint8)] = torch.ones(1, 2)
    y = torch.zeros(2)
    y[torch.tensor([0, 1], dtype=torch.uint8), True] = 2.0
    return x, y
