"""Session 7 compatibility sweep of tensor creation, factories and dtype conversion: each
program runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import copy

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


# ---- tensor() / as_tensor / from_numpy ------------------------------------------------------
@program
def tensor_mixed_bool_int_float(torch):
    return [torch.tensor([True, 2]), torch.tensor([True, 2.5]), torch.tensor([[1, 2], [3.0, 4]])]


@program
def tensor_numpy_scalars(torch):
    return [
        torch.tensor(np.float32(1.5)),
        torch.tensor(np.int32(3)),
        torch.tensor(np.float64(2.0)),
        torch.tensor(np.bool_(True)),
        torch.tensor(np.int16(-4)),
        torch.tensor(np.uint8(200)),
    ]


@program
def tensor_list_of_numpy_scalars(torch):
    return [torch.tensor([np.float32(1), np.float32(2)]), torch.tensor([np.int64(1), 2.5])]


@program
def tensor_numpy_arrays_dtypes(torch):
    out = []
    for dt in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
               np.uint8, np.bool_):  # fmt: skip
        out.append(torch.tensor(np.arange(4).astype(dt)))
    return out


@program
def tensor_nonwritable_array(torch):
    a = np.arange(6.0).reshape(2, 3)
    a.setflags(write=False)
    return torch.tensor(a), torch.as_tensor(a) * 2


@program
def tensor_noncontiguous_array(torch):
    a = np.arange(12.0).reshape(3, 4)[:, ::2]
    b = np.arange(12).reshape(3, 4).T
    return torch.tensor(a), torch.as_tensor(b), torch.from_numpy(b).contiguous()


@program
def tensor_list_of_0d_tensors(torch):
    xs = [torch.tensor(1.5), torch.tensor(2.5)]
    return torch.tensor(xs), torch.tensor([torch.tensor(1), torch.tensor(2)])


@program
def tensor_of_tensor(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.tensor(x)
    return y, y.requires_grad, y.is_leaf


@program
def tensor_dtype_and_requires_grad(torch):
    x = torch.tensor([1, 2, 3], dtype=torch.float64, requires_grad=True)
    (x * x).sum().backward()
    return x, x.grad


@error(RuntimeError, r"Only Tensors of floating point (and complex )?dtype can require gradients")
def tensor_int_requires_grad(torch):
    return torch.tensor([1, 2], requires_grad=True)


@program
def tensor_empty_nested(torch):
    return [torch.tensor([]), torch.tensor([[]]), torch.tensor([[], []]), torch.tensor(())]


@error(ValueError, r"expected sequence of length 2 at dim 1 \(got 3\)")
def tensor_ragged(torch):
    return torch.tensor([[1, 2], [3, 4, 5]])


@program
def tensor_python_scalars(torch):
    return [torch.tensor(3), torch.tensor(3.0), torch.tensor(True), torch.tensor(2**40)]


@program
def tensor_large_int_overflow_float(torch):
    return torch.tensor([1, 2.0**70])


@program
def as_tensor_shares_memory(torch):
    a = np.zeros(3, dtype=np.float32)
    t = torch.as_tensor(a)
    t[0] = 5
    a[1] = 7
    return t, a.copy()


@program
def as_tensor_dtype_copies(torch):
    a = np.zeros(3, dtype=np.float32)
    t = torch.as_tensor(a, dtype=torch.float64)
    t[0] = 5
    return t, a.copy()


@program
def from_numpy_shares_memory(torch):
    a = np.arange(4, dtype=np.int32)
    t = torch.from_numpy(a)
    t.add_(1)
    a[0] = 100
    return t, a.copy(), t.dtype


@program
def as_tensor_of_tensor_same_object(torch):
    x = torch.ones(3)
    return torch.as_tensor(x) is x, torch.as_tensor(x, dtype=torch.float64)


@program
def as_tensor_list(torch):
    return torch.as_tensor([1, 2, 3]), torch.as_tensor([1.0, 2], dtype=torch.int32)


@program
def asarray_copy_and_dtype(torch):
    a = np.ones(3, dtype=np.float32)
    t1 = torch.asarray(a)
    t2 = torch.asarray(a, copy=True)
    a[0] = 9
    return t1, t2, torch.asarray([1, 2], dtype=torch.float16), torch.asarray(3.5)


@program
def asarray_tensor_copy(torch):
    x = torch.arange(3.0)
    y = torch.asarray(x)
    z = torch.asarray(x, copy=True)
    x[0] = 10
    return y, z, torch.asarray(x, dtype=torch.int64)


@error(TypeError, r"expected np.ndarray \(got list\)")
def from_numpy_list(torch):
    return torch.from_numpy([1, 2])


# ---- factories --------------------------------------------------------------------------------
@program
def zeros_forms(torch):
    return [
        torch.zeros(2, 3),
        torch.zeros((2, 3)),
        torch.zeros([2, 3]),
        torch.zeros(size=(2, 3)),
        torch.zeros(torch.Size([2, 3])),
        torch.zeros(()),
        torch.zeros(0, 3),
        torch.ones(2, dtype=torch.int32),
        torch.ones(size=[1, 2], dtype=torch.bool),
    ]


@program
def empty_shape_dtype(torch):
    e = torch.empty(2, 3, dtype=torch.float16)
    return e.shape, e.dtype, torch.empty(0).shape, torch.empty(size=(4,)).dtype


@program
def full_dtype_inference(torch):
    return [
        torch.full((2,), True),
        torch.full((2,), 3),
        torch.full((2,), 3.5),
        torch.full((2, 2), 7, dtype=torch.float64),
        torch.full([], 2),
        torch.full((2,), torch.tensor(4.0)),
    ]


@program
def full_like_forms(torch):
    x = torch.ones(2, 3, dtype=torch.int64)
    return torch.full_like(x, 2.7), torch.full_like(x, 2.5, dtype=torch.float32)


@program
def arange_inference(torch):
    return [
        torch.arange(5),
        torch.arange(5.0),
        torch.arange(1, 4),
        torch.arange(0, 1, 0.25),
        torch.arange(0, 10, 3),
        torch.arange(10, 0, -3),
        torch.arange(5, dtype=torch.float32),
        torch.arange(0.5, 3),
        torch.arange(torch.tensor(3)),
        torch.arange(start=1, end=5, step=2),
        torch.arange(-1.0, 1.0, 0.1).shape,
    ]


@error(RuntimeError, r"step must be nonzero")
def arange_step_zero(torch):
    return torch.arange(0, 5, 0)


@error(RuntimeError, r"upper bound and lower bound inconsistent with step sign")
def arange_wrong_sign(torch):
    return torch.arange(0, 5, -1)


@program
def linspace_logspace(torch):
    return [
        torch.linspace(0, 1, 5),
        torch.linspace(0, 10, steps=3, dtype=torch.int64),
        torch.linspace(-1, 1, 1),
        torch.linspace(0, 1, 0),
        torch.logspace(0, 2, 3),
        torch.logspace(0, 3, 4, base=2),
        torch.linspace(0, 1, 4, dtype=torch.float64),
    ]


@error(RuntimeError, r"number of steps must be non-negative")
def linspace_negative_steps(torch):
    return torch.linspace(0, 1, -1)


@program
def eye_forms(torch):
    return [torch.eye(3), torch.eye(2, 4), torch.eye(3, 1, dtype=torch.int64), torch.eye(0)]


@program
def like_factories(torch):
    x = torch.ones(2, 3, dtype=torch.float64)
    return [
        torch.zeros_like(x),
        torch.ones_like(x, dtype=torch.int32),
        torch.zeros_like(x, requires_grad=True),
        torch.empty_like(x).shape,
        torch.ones_like(x, memory_format=torch.preserve_format),
        torch.rand_like(x).dtype,
        torch.randn_like(x).shape,
        torch.randint_like(x, 10).dtype,
        torch.randint_like(x, 3, 10).shape,
    ]


@program
def like_of_noncontiguous(torch):
    x = torch.arange(6.0).reshape(2, 3).t()
    z = torch.zeros_like(x)
    return (
        z,
        z.stride(),
        torch.empty_like(x).stride(),
        torch.ones_like(x, memory_format=torch.contiguous_format).stride(),
    )


@program
def new_methods(torch):
    x = torch.ones(2, dtype=torch.float64, requires_grad=True)
    return [
        x.new_tensor([1, 2]),
        x.new_tensor([1, 2], dtype=torch.int64),
        x.new_zeros(3),
        x.new_zeros((2, 2)),
        x.new_ones(2, 3),
        x.new_full((2,), 4),
        x.new_empty(3).shape,
        x.new_empty(3).dtype,
        x.new_zeros(2, requires_grad=True),
        x.new_tensor(torch.tensor([1.0, 2.0])),
    ]


@program
def random_factories_keywords(torch):
    g = torch.Generator().manual_seed(3)
    return [
        torch.rand(2, 3),
        torch.rand((2, 3), dtype=torch.float64),
        torch.randn(size=(4,)),
        torch.randint(10, (5,)),
        torch.randint(3, 10, (2, 2)),
        torch.randint(low=0, high=5, size=(3,)),
        torch.randint(5, (3,), dtype=torch.int32),
        torch.rand(3, generator=g),
        torch.randn(2, requires_grad=True),
        torch.randperm(6),
        torch.randperm(5, dtype=torch.int32),
        torch.randint(0, 2, (4,), dtype=torch.bool) if False else torch.randint(0, 2, (4,)),
    ]


@program
def randint_float_dtype(torch):
    return torch.randint(0, 10, (4,), dtype=torch.float32)


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=5 >= to=5")
def randint_empty_range(torch):
    return torch.randint(5, 5, (3,))


# ---- conversions ------------------------------------------------------------------------------
@program
def to_forms(torch):
    x = torch.arange(4.0)
    y = torch.ones(2, dtype=torch.int32)
    a = x.to(y)
    b = x.to(torch.float64, copy=True)
    c = x.to(torch.float32)
    d = x.to("cpu", torch.int16)
    e = x.to(dtype=torch.float16)
    f = x.to(torch.float32, copy=True)
    return a, b, c is x, d, e, f is x, x.to("cpu") is x


@program
def type_forms(torch):
    x = torch.tensor([1.7, -2.2])
    return [
        x.type(),
        x.type(torch.int32),
        x.type("torch.DoubleTensor"),
        x.type(torch.LongTensor),
        x.type(torch.float16),
        x.double(),
        x.half(),
        x.long(),
        x.bool(),
        x.int(),
        x.short(),
        x.char(),
        x.byte() if False else x.abs().byte(),
        x.float(),
        torch.tensor([1, 2]).type(),
    ]


@program
def conversion_grads(torch):
    x = torch.tensor([1.5, 2.5], requires_grad=True)
    y = x.double() * 2
    y.sum().backward()
    return y, x.grad, x.half().requires_grad, x.long().requires_grad


@error(
    RuntimeError,
    r"Can't call numpy\(\) on Tensor that requires grad. Use tensor.detach\(\).numpy\(\) instead",
)
def numpy_requires_grad(torch):
    return torch.ones(2, requires_grad=True).numpy()


@program
def numpy_force(torch):
    x = torch.ones(2, requires_grad=True)
    a = x.numpy(force=True)
    return a, torch.arange(3).numpy(), torch.tensor(True).numpy()


@program
def numpy_shares_memory(torch):
    x = torch.zeros(3)
    a = x.numpy()
    a[0] = 4
    x[1] = 5
    return x, a.copy()


@error(RuntimeError, r"a Tensor with 2 elements cannot be converted to Scalar")
def item_multi(torch):
    return torch.ones(2).item()


@program
def item_forms(torch):
    return [
        torch.tensor([3.5]).item(),
        torch.tensor([[2]]).item(),
        torch.tensor(True).item(),
        torch.tensor(1.5, dtype=torch.float16).item(),
        torch.tensor(7, dtype=torch.uint8).item(),
    ]


@program
def tolist_forms(torch):
    return [
        torch.tensor(2.5).tolist(),
        torch.tensor([1.5, 2.25], dtype=torch.float16).tolist(),
        torch.tensor([[1, 2], [3, 4]]).tolist(),
        torch.tensor([True, False]).tolist(),
        torch.zeros(0, 2).tolist(),
        torch.tensor(3).tolist(),
        torch.tensor([0.1]).tolist(),
    ]


@program
def python_number_conversions(torch):
    x = torch.tensor(2.7)
    return [int(x), float(x), bool(x), int(torch.tensor([5])), float(torch.tensor(3)),
            bool(torch.tensor([0.0])), complex(torch.tensor(1.5))]  # fmt: skip


@error(RuntimeError, r"Boolean value of Tensor with more than one value is ambiguous")
def bool_multi(torch):
    return bool(torch.ones(2))


@program
def index_protocol(torch):
    i = torch.tensor(3)
    lst = list(range(10))
    return list(range(i)), lst[i], lst[torch.tensor(1) : torch.tensor(4)], hex(torch.tensor(255))


@error(TypeError, r"only integer tensors of a single element can be converted to an index")
def index_of_float(torch):
    return list(range(10))[torch.tensor(1.0)]


@program
def copy_and_deepcopy(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    c = copy.copy(x)
    d = copy.deepcopy(x)
    d.data[0] = 10
    return c, d, d.grad, d.requires_grad, d.is_leaf, x


@program
def copy_shares_data_and_detaches(torch):
    x = torch.arange(6.0, requires_grad=True)
    y = x * 2
    c = copy.copy(y)
    c.data[0] = 9
    p = torch.nn.Parameter(torch.ones(2))
    cp = copy.copy(p)
    v = copy.copy(torch.arange(6.0).reshape(2, 3).t())
    return y, c, c.is_leaf, c.grad_fn is None, type(cp).__name__, cp.requires_grad, v.stride()


@error(
    RuntimeError,
    r"Only Tensors created explicitly by the user \(graph leaves\) support the deepcopy protocol",
)
def deepcopy_non_leaf(torch):
    x = torch.ones(2, requires_grad=True)
    return copy.deepcopy(x * 2)


@program
def clone_memory_format(torch):
    x = torch.arange(24.0).reshape(1, 2, 3, 4)
    c1 = x.clone(memory_format=torch.channels_last)
    c2 = x.t() if False else x.permute(0, 2, 3, 1).clone()
    c3 = x.permute(0, 2, 3, 1).clone(memory_format=torch.contiguous_format)
    return (
        c1,
        c1.stride(),
        c2.stride(),
        c3.stride(),
        c1.is_contiguous(memory_format=torch.channels_last),
    )


@program
def default_dtype_effects(torch):
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        out = [
            torch.tensor([1.5]),
            torch.ones(2),
            torch.arange(0.0, 1.0, 0.5),
            torch.linspace(0, 1, 3),
            torch.tensor([1, 2]),
            torch.full((2,), 1.5),
            torch.rand(2).dtype,
            torch.tensor([1]) * 1.5,
            torch.get_default_dtype(),
            torch.tensor(np.float32(1)),
            torch.randn(3),
        ]
    finally:
        torch.set_default_dtype(old)
    return out


@error(TypeError, r"only floating-point types are supported as the default type")
def set_default_dtype_int(torch):
    torch.set_default_dtype(torch.int64)


@program
def scalar_tensor_and_others(torch):
    return [
        torch.scalar_tensor(3),
        torch.scalar_tensor(2, dtype=torch.int64),
        torch.zeros(2, 2).fill_(True),
        torch.empty_strided((2, 3), (1, 2)).stride(),
        torch.tril_indices(3, 3),
        torch.triu_indices(3, 4, 1),
    ]


@program
def legacy_constructors(torch):
    return [
        torch.FloatTensor([1, 2]),
        torch.LongTensor([1, 2]),
        torch.DoubleTensor(2, 3).shape,
        torch.Tensor([1, 2]),
        torch.Tensor(2).shape,
        torch.BoolTensor([True]),
        torch.IntTensor([[1]]),
    ]


@program
def dtype_properties(torch):
    return [
        torch.float16.is_floating_point,
        torch.int32.is_signed,
        torch.uint8.is_signed,
        torch.float64.itemsize,
        torch.tensor([1]).element_size(),
        torch.finfo(torch.float16).eps,
        torch.iinfo(torch.int8).min,
        torch.promote_types(torch.int32, torch.float16),
        torch.result_type(torch.tensor([1]), 2.5),
        torch.can_cast(torch.float32, torch.int32),
        torch.is_floating_point(torch.ones(1)),
        torch.is_tensor([1]),
    ]


@program
def complex_dtype_numpy(torch):
    return (
        torch.tensor(np.arange(3, dtype=np.uint16)).dtype
        if False
        else torch.tensor(np.arange(3, dtype=np.int8)).dtype
    )


# ---- batch 2: less common arguments -----------------------------------------------------------
@program
def tensor_from_numpy_0d_and_float16(torch):
    return [
        torch.tensor(np.array(2.5)),
        torch.tensor(np.array(3, dtype=np.int16)),
        torch.as_tensor(np.float16(1.5)),
        torch.tensor(np.arange(3), dtype=torch.float32),
    ]


@program
def tensor_of_mixed_tensors_and_numbers(torch):
    return torch.tensor([torch.tensor(1.0), 2, 3.5]), torch.tensor([[torch.tensor(1)], [2]])


@program
def tensor_ints_default_dtype_float_list(torch):
    return torch.tensor([1, 2], dtype=torch.float16), torch.tensor(
        [True, False], dtype=torch.float32
    )


@program
def tensor_from_range_and_generator_types(torch):
    return torch.tensor(range(4)), torch.tensor([range(2), range(2)]), torch.tensor((1, 2.0))


@program
def stack_of_list_to_tensor(torch):
    rows = [torch.arange(3), torch.arange(3) * 2]
    return torch.stack(rows), torch.tensor([r.tolist() for r in rows])


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def tensor_list_of_multielement_tensors(torch):
    return torch.tensor([torch.ones(2), torch.ones(2)])


@program
def full_with_int_dtype_float_fill(torch):
    return torch.full((2,), 2.9, dtype=torch.int64), torch.full((3,), -1, dtype=torch.uint8)


@program
def zeros_with_out_and_int_sizes(torch):
    out = torch.empty(2, 2)
    torch.zeros(2, 2, out=out)
    return out, torch.ones(np.int64(2), 3), torch.zeros(torch.tensor(2), 1)


@error(RuntimeError, r"Dimension size must be non-negative")
def zeros_negative(torch):
    return torch.zeros(2, -1)


@program
def arange_float32_accuracy(torch):
    return (
        torch.arange(0, 1, 0.1),
        torch.arange(1, 2.5, 0.3, dtype=torch.float64),
        torch.arange(0, 5, 1.5),
    )


@program
def arange_int_with_float_step(torch):
    return (
        torch.arange(0, 5, 2.0),
        torch.arange(0, 5, dtype=torch.int32),
        torch.arange(3, dtype=torch.float64),
    )


@program
def arange_out_and_requires_grad(torch):
    a = torch.arange(3.0, requires_grad=True)
    return a, a.is_leaf


@program
def linspace_tensor_endpoints(torch):
    return torch.linspace(torch.tensor(0.0), torch.tensor(1.0), 3), torch.linspace(
        0, 1, steps=5, requires_grad=True
    )


@program
def logspace_int_and_base(torch):
    return torch.logspace(0, 2, 3, dtype=torch.int64), torch.logspace(
        -1, 1, 3, base=10.0, dtype=torch.float64
    )


@program
def eye_out_and_requires_grad(torch):
    e = torch.eye(2, requires_grad=True)
    return e, torch.eye(2, dtype=torch.bool), torch.eye(n=3, m=2)


@program
def like_preserves_requires_grad_false(torch):
    x = torch.ones(2, requires_grad=True)
    return torch.zeros_like(x), torch.ones_like(x).requires_grad, torch.empty_like(x).requires_grad


@program
def new_tensor_from_numpy_and_scalar(torch):
    x = torch.ones(2, dtype=torch.float16)
    return (
        x.new_tensor(np.arange(3)),
        x.new_tensor(2.5),
        x.new_full((2,), 1),
        x.new_ones((1,), dtype=torch.int64),
    )


@program
def to_other_tensor_and_non_blocking(torch):
    x = torch.arange(3)
    return (
        x.to(torch.float32, non_blocking=True),
        x.to(device="cpu", dtype=torch.float64),
        x.to(x) is x,
    )


@program
def type_string_variants(torch):
    x = torch.ones(2)
    return [
        x.type("torch.IntTensor"),
        x.type(torch.FloatTensor) is x,
        x.type(torch.BoolTensor),
        x.type(dtype=torch.int8),
    ]


@error(ValueError, r"invalid type: 'torch.FooTensor'")
def type_bad_string(torch):
    return torch.ones(2).type("torch.FooTensor")


@program
def float16_conversions(torch):
    x = torch.tensor([1e-5, 65504.0, 7e4, 0.1])
    h = x.half()
    return h, h.float(), h.tolist(), h.to(torch.int32) if False else h[:2].float()


@program
def float_to_int_truncation(torch):
    x = torch.tensor([-1.7, -0.5, 0.5, 1.7, 2.5])
    return x.int(), x.long(), x.to(torch.int8), x.bool(), torch.tensor([300.0]).to(torch.int16)


@program
def bool_and_int_to_float(torch):
    b = torch.tensor([True, False])
    return b.float(), b.int(), b.long() + 1, torch.tensor([255], dtype=torch.uint8).to(torch.int8)


@program
def item_and_tolist_types(torch):
    return [
        type(torch.tensor(1).item()).__name__,
        type(torch.tensor(1.0).item()).__name__,
        type(torch.tensor(True).item()).__name__,
        type(torch.tensor([1]).tolist()[0]).__name__,
        torch.tensor(1, dtype=torch.int8).tolist(),
    ]


@program
def numpy_dtypes_roundtrip(torch):
    out = []
    for dt in (torch.float16, torch.float64, torch.int8, torch.uint8, torch.bool, torch.int32):
        out.append(str(torch.zeros(2, dtype=dt).numpy().dtype))
    return out


@program
def numpy_of_noncontiguous(torch):
    x = torch.arange(6).reshape(2, 3).t()
    a = x.numpy()
    return a.shape, a.strides, a.copy()


@program
def clone_preserves_grad_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    (c * c).sum().backward()
    return c.requires_grad, c.is_leaf, x.grad


@program
def detach_shares_memory(torch):
    x = torch.ones(3, requires_grad=True)
    d = x.detach()
    d[0] = 5
    return x, d.requires_grad


@program
def set_default_dtype_float16(torch):
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float16)
    try:
        return [
            torch.tensor([1.5]),
            torch.zeros(1),
            torch.arange(0.0, 2.0),
            torch.tensor(2.0) * 1.5,
        ]
    finally:
        torch.set_default_dtype(old)


@program
def default_dtype_and_int_division(torch):
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return (
            torch.tensor([1, 2]) / 2,
            torch.tensor([3]).float().dtype,
            torch.tensor(1).sqrt() if False else torch.tensor([4]).sqrt(),
        )
    finally:
        torch.set_default_dtype(old)


@program
def empty_tensor_conversions(torch):
    e = torch.tensor([])
    return e.long(), e.tolist(), e.numpy().shape, e.shape, torch.zeros(0, dtype=torch.int64).float()


@program
def int_bool_of_various(torch):
    return [
        int(torch.tensor(-2.7)),
        int(torch.tensor(True)),
        float(torch.tensor([[2]])),
        bool(torch.tensor(0.1)),
        bool(torch.tensor([]).sum()),
    ]


@error(RuntimeError, r"a Tensor with 0 elements cannot be converted to Scalar")
def item_of_empty(torch):
    return torch.tensor([]).item()


@error(ValueError, r"only one element tensors can be converted to Python scalars")
def float_of_multi(torch):
    return float(torch.ones(2))


@program
def requires_grad_setter_and_method(torch):
    x = torch.zeros(2)
    y = x.requires_grad_()
    z = torch.ones(2).requires_grad_(False)
    return y is x, x.requires_grad, z.requires_grad


@error(RuntimeError, r"only Tensors of floating point dtype can require gradients")
def requires_grad_int_method(torch):
    return torch.ones(2, dtype=torch.int64).requires_grad_()


@program
def tensor_from_bytes_like_and_uint8(torch):
    return torch.tensor(np.frombuffer(b"\x01\x02\x03", dtype=np.uint8)), torch.frombuffer(
        bytearray(b"\x01\x02\x03\x04"), dtype=torch.uint8
    )


@program
def zeros_size_keyword_and_names(torch):
    return (
        torch.ones(size=(2,), dtype=torch.float64),
        torch.full(size=(1, 2), fill_value=3.0),
        torch.empty(size=[0]).shape,
    )


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[2, -1\]")
def ones_negative(torch):
    return torch.ones(2, -1)


@error(TypeError, r"argument 'size' \(position 1\) must be tuple of ints, not float")
def zeros_float_size(torch):
    return torch.zeros(2.0)


@error(TypeError, r"argument 'size' \(position 1\) must be tuple of ints, not str")
def ones_string_size(torch):
    return torch.ones("a")


@error(TypeError, r"argument 'size'.*tuple of ints")
def empty_float_in_tuple(torch):
    return torch.empty((2, 3.0))


@program
def sizes_from_index_types(torch):
    return torch.zeros(torch.tensor(2), np.int32(3)).shape, torch.ones((np.int64(1), 2)).shape


@error(RuntimeError, r"unsupported range: 0 -> nan")
def arange_nan_end(torch):
    return torch.arange(0, float("nan"))


@error(RuntimeError, r"unsupported range: 0 -> inf")
def arange_inf(torch):
    return torch.arange(float("inf"))


@error(TypeError, r"linspace\(\) received an invalid combination of arguments")
def linspace_float_steps(torch):
    return torch.linspace(0, 1, 2.5)


@error(TypeError, r"logspace\(\) received an invalid combination of arguments")
def logspace_float_steps(torch):
    return torch.logspace(0, 1, 2.5)


@program
def linspace_tensor_steps(torch):
    return torch.linspace(0, 1, torch.tensor(3))


@program
def randint_keywords_only(torch):
    return torch.randint(high=5, size=(3,)), torch.randint(low=2, high=9, size=(2, 2))


@error(TypeError, r"ones\(\) got multiple values for argument 'size'")
def ones_size_twice(torch):
    return torch.ones(2, size=(3,))
