"""Sweep 24: numpy interop (from_numpy, .numpy(), __array__, numpy scalars), functional_call /
nn.utils.stateless, and torch.testing.assert_close / make_tensor, as PyTorch's
test_numpy_interop.py, test_stateless.py and test_testing.py check them."""

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()

NP_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


# ---- from_numpy ------------------------------------------------------------------------------
@program
def from_numpy_dtypes(torch):
    out = []
    for name in NP_DTYPES:
        a = np.array([1, 2, 3, 0], dtype=name)
        t = torch.from_numpy(a)
        out.append((t, str(t.dtype), t.tolist(), torch.from_numpy(a % 2 if name != "bool" else a)))
    return out


@program
def from_numpy_shares_memory(torch):
    a = np.arange(6.0).reshape(2, 3)
    t = torch.from_numpy(a)
    a[0, 0] = 100.0
    t[1, 2] = -5.0
    return t.clone(), a.copy(), t.is_contiguous()


@program
def from_numpy_offset_and_strides(torch):
    x = np.linspace(1, 125, 125).reshape(5, 5, 5)
    a, b, c = torch.from_numpy(x[1]), torch.from_numpy(x[:, 1]), torch.from_numpy(x[1].T)
    return a, b, c, a.stride(), b.stride(), c.stride(), c.is_contiguous(), b.is_contiguous()


@program
def from_numpy_empty_shapes(torch):
    return [tuple(torch.from_numpy(np.zeros(s)).shape) for s in [(0, 2), (2, 0), (0,), ()]]


@program
def from_numpy_negative_strides(torch):
    try:
        torch.from_numpy(np.arange(4.0)[::-1])
    except ValueError as e:
        return str(e)
    return "no error"


@error(TypeError, r"can't convert np.ndarray of type numpy.str_")
def from_numpy_strings(torch):
    torch.from_numpy(np.array(["foo", "bar"]))


@error(TypeError, r"expected np.ndarray \(got list\)")
def from_numpy_list(torch):
    torch.from_numpy([1, 2])


@program
def from_numpy_read_only_warns(torch):
    import warnings

    a = np.zeros(3)
    a.flags["WRITEABLE"] = False
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t = torch.from_numpy(a)
    return t, [str(x.category.__name__) for x in w], "not writable" in str(w[0].message)


@program
def from_numpy_byte_order(torch):
    a = np.array([1.0, 2.0], dtype=">f8")
    try:
        torch.from_numpy(a)
    except ValueError as e:
        return str(e)
    return "no error"


@program
def byte_swapped_array_refused(torch):
    out = []
    for f in [torch.tensor, torch.as_tensor, torch.asarray]:
        try:
            f(np.array([1.5, 2.5], dtype=">f4"))
        except ValueError as e:
            out.append(str(e))
    return out, torch.tensor([np.array([1.5, 2.5], dtype=">f4")])


@program
def ill_sized_strides_refused(torch):
    x = np.array([3.0, 5.0, 8.0])
    y = np.lib.stride_tricks.as_strided(x, shape=(2,), strides=(3,))
    out = []
    for f in [torch.tensor, torch.as_tensor, torch.asarray, torch.from_numpy]:
        try:
            f(y)
        except ValueError as e:
            out.append(str(e))
    return out


@program
def from_numpy_keeps_array_unresizable(torch):
    x = np.zeros((2, 2))
    torch.from_numpy(x)
    try:
        x.resize((5, 5))
    except ValueError:
        return "ValueError"
    return "resized"


# ---- .numpy() --------------------------------------------------------------------------------
@program
def numpy_dtypes_and_sharing(torch):
    out = []
    for dt in ["uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "bool"]:
        x = torch.arange(12).reshape(3, 4).to(getattr(torch, dt))
        y = x.numpy()
        out.append((str(y.dtype), y.flags["C_CONTIGUOUS"], y.flags.writeable, y.copy()))
        z = x.t().numpy()
        out.append((z.flags["C_CONTIGUOUS"], z.shape, z.strides, z.copy()))
    return out


@program
def numpy_writes_through(torch):
    x = torch.zeros(3, 4)
    y = x.numpy()
    y[0][1] = 3
    z = x.t().numpy()
    z[2][1] = 7
    return x


@program
def numpy_of_offset_views(torch):
    xm = torch.arange(30.0).reshape(10, 3)
    x = xm.narrow(0, 4, 5).t()
    y = x.numpy()
    w = xm.narrow(0, 2, 3).numpy()
    return x.storage_offset(), y.copy(), y.strides, w.copy(), w.flags["C_CONTIGUOUS"]


@error(
    RuntimeError,
    r"Can't call numpy\(\) on Tensor that requires grad. Use tensor.detach\(\).numpy\(\) instead.",
)
def numpy_of_requires_grad(torch):
    torch.ones(2, requires_grad=True).numpy()


@program
def numpy_force(torch):
    x = torch.ones(2, requires_grad=True)
    y = x.numpy(force=True)
    return y, y.flags.writeable


@error(TypeError, r"Got unsupported ScalarType BFloat16")
def numpy_of_bfloat16(torch):
    torch.ones(2, dtype=torch.bfloat16).numpy()


@program
def numpy_empty_and_scalar(torch):
    a = torch.tensor([]).to(torch.int16).numpy()
    b = torch.tensor(3.5).numpy()
    return a.size, str(a.dtype), b.shape, b.ndim, float(b), type(b).__name__


@program
def numpy_array_unresizable(torch):
    w = torch.randn(5, 5).numpy()
    try:
        w.resize((10, 10))
    except ValueError:
        return "ValueError"
    return "resized"


# ---- __array__ / __array_wrap__ --------------------------------------------------------------
@program
def array_interface(torch):
    out = []
    for dt, nd in [("float64", "float64"), ("float32", "float32"), ("int64", "int64"),
                   ("int32", "int32"), ("int16", "int16"), ("uint8", "uint8"), ("float16", "float16")]:  # fmt: skip
        x = torch.tensor([1, 2, 3, 4]).to(getattr(torch, dt))
        a = np.asarray(x)
        out.append((type(a).__name__, str(a.dtype), a))
        out.append(str(np.asarray(torch.tensor([1, -2, 3, -4], dtype=torch.int32), dtype=nd)))
    return out


@program
def array_wrap_ufuncs(torch):
    out = []
    for dt in ["float64", "float32"]:
        x = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=getattr(torch, dt))
        for f in [np.sin, np.sqrt, np.ceil, np.abs]:
            r = f(x)
            out.append((type(r).__name__, r))
    xi = torch.tensor([1, -2, 3], dtype=torch.int32)
    r = np.abs(xi)
    out.append((type(r).__name__, r))
    g = np.greater_equal(torch.tensor([1, 2, 3, 4]), 2)
    out.append((type(g).__name__, g))
    return out


@program
def array_wrap_binary(torch):
    x = torch.tensor([1.0, 2.0])
    r = np.add(x, 1.0)
    m = np.maximum(x, np.array([1.5, 1.5], dtype=np.float32))
    return type(r).__name__, r, type(m).__name__, m


@error(TypeError, r"sum\(\) got an unexpected keyword argument")
def numpy_sum_of_tensor(torch):
    np.sum(torch.arange(6.0).reshape(2, 3))


@program
def numpy_functions_on_tensors(torch):
    x = torch.arange(6).reshape(2, 3)
    return np.transpose(x).shape, np.array(x).tolist(), np.concatenate([x, x]).shape


@error(RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad")
def array_of_requires_grad(torch):
    np.asarray(torch.ones(2, requires_grad=True))


@program
def array_copy_false(torch):
    x = torch.arange(3.0)
    a = np.asarray(x)
    a[0] = 9.0
    return x


# ---- numpy scalars ---------------------------------------------------------------------------
@program
def multiply_numpy_scalar(torch):
    out = []
    for np_dtype in [np.float32, np.float64, np.int32, np.int64, np.int16, np.uint8]:
        for t_dtype in [torch.float, torch.double]:
            sc = np_dtype(2.0)
            t = torch.ones(2, requires_grad=True, dtype=t_dtype)
            r1, r2 = t * sc, sc * t
            out.append((type(r1).__name__, r1, type(r2).__name__, r2))
    return out


@program
def numpy_scalar_ops_dtypes(torch):
    out = []
    for nptype in [np.int16, np.int8, np.uint8, np.int32, np.int64]:
        arr = np.array([3], dtype=nptype)
        val = arr[0]
        t = torch.from_numpy(arr)
        out.append((str((t + val).dtype), str((val + t).dtype), torch.ones(5).diag(val),
                    torch.ones([2, 2, 2, 2]).mean(val).shape))  # fmt: skip
        ti = torch.tensor([2], dtype=torch.int)
        ti[0] = val
        out.append(ti)
    return out


@program
def numpy_float_scalars_with_tensors(torch):
    t = torch.tensor([1.0, 2.0])
    ti = torch.tensor([1, 2])
    return (t + np.float64(1.5), ti + np.float64(1.5), ti * np.float32(2.0), t ** np.int64(2),
            ti + np.bool_(True), torch.tensor([True]) + np.int64(3), t - np.float16(0.5))  # fmt: skip


@program
def numpy_scalar_ctor(torch):
    out = []
    for dtype in [np.double, np.float64, np.float16, np.float32, np.int64, np.int32, np.int16,
                  np.int8, np.uint8, np.bool_]:  # fmt: skip
        t = torch.tensor(dtype(42))
        out.append((t, t.item(), t.shape))
    return out


@program
def numpy_scalar_index(torch):
    x = torch.arange(25.0).reshape(5, 5)
    out = [x[idx] for idx in np.array([0, 1, 2], dtype=np.int32)]
    out.append(x[np.int64(4), np.int16(1)])
    i = np.zeros((4, 4, 4), dtype=np.int32)
    i[:2] = 1
    out.append(torch.arange(64).reshape(4, 4, 4)[i == 1].numel())
    out.append(x[np.array([1, 3])])
    out.append(x[np.array([True, False, True, False, False])])
    return out


@program
def numpy_scalar_setitem(torch):
    x = torch.zeros(3, 3)
    x[np.int64(1)] = np.float64(2.5)
    x[np.array([0, 2]), np.int32(2)] = np.int64(-1)
    return x


@error(TypeError, r"can't assign a numpy.float32 to a torch.FloatTensor")
def setitem_numpy_float32(torch):
    torch.zeros(3)[0] = np.float32(1.0)


@program
def numpy_int_args(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (x.sum(np.int64(1)), x.view(np.int32(6), np.int64(4)).shape, x.transpose(np.int8(0), 2).shape,
            torch.zeros(np.int64(2), np.int32(3)).shape, x.narrow(np.int64(2), 1, np.int16(2)).shape,
            torch.arange(np.int64(5)), x.flatten(np.int64(1)).shape)  # fmt: skip


@error(ValueError, r"Overflow when unpacking long long")
def dim_beyond_int64(torch):
    torch.mean(torch.randn(1, 1), 2**64)


@program
def numpy_scalar_compare(torch):
    out = []
    for dt in ["float32", "float64", "int64", "int32", "uint8", "int8", "int16", "float16", "bool"]:
        t = torch.tensor([[3, 0, -1], [3, 5, 4]]).to(getattr(torch, dt))
        a = t.numpy()
        for x in (t.flatten()[0], t.flatten()[0].item()):
            for y in (a.flatten()[0], a.flatten()[0].item()):
                r = x == y
                out.append(bool(r))
    return out


@program
def eq_with_numpy_arrays(torch):
    out = []
    for dt in ["float32", "int64", "bool", "float16", "uint8"]:
        a = torch.tensor([[1, 0, 3], [4, 0, 6]]).to(getattr(torch, dt))
        b = a.clone()
        b[1][2] = 0 if dt == "bool" else 7
        bn = b.numpy()
        r1, r2 = a == bn, bn == a
        out.append((type(r1).__name__, r1, type(r2).__name__, np.asarray(r2)))
    return out


@program
def numpy_array_right_operand(torch):
    t = torch.tensor([1.0, 2.0])
    a = np.array([10.0, 20.0])
    r1 = t + a
    r2 = t * np.array([2, 3], dtype=np.int64)
    return type(r1).__name__, r1, r2


# ---- torch.tensor(np arrays) -----------------------------------------------------------------
@program
def tensor_from_numpy_arrays(torch):
    out = []
    for dt in NP_DTYPES:
        a = np.array([[1, 2], [3, 0]], dtype=dt)
        t = torch.tensor(a)
        out.append((t, torch.tensor(a, dtype=torch.float32), torch.as_tensor(a), torch.asarray(a)))
    return out


@program
def tensor_copies_numpy(torch):
    a = np.arange(3.0)
    t = torch.tensor(a)
    s = torch.as_tensor(a)
    u = torch.as_tensor(a, dtype=torch.float32)
    a[0] = 50.0
    return t, s, u


@program
def tensor_from_list_of_arrays(torch):
    return (torch.tensor([np.array([0]), np.array([1])]),
            torch.tensor([np.float32(1.5), np.float32(2.5)]),
            torch.tensor([[np.int64(1), 2], [3, np.int32(4)]]),
            torch.tensor(np.array([[1, 2], [3, 4]])[:, ::-1].copy()))  # fmt: skip


@error(ValueError, r"At least one stride in the given numpy array is negative")
def tensor_from_negative_stride_array(torch):
    torch.tensor(np.arange(6.0).reshape(2, 3)[:, ::-1])


@error(ValueError, r"expected sequence of length 3 at dim 2 \(got 0\)")
def tensor_ragged_arrays(torch):
    torch.tensor([np.random.random(size=(3, 3)), np.random.random(size=(3, 0))])


@error(ValueError, r"expected sequence of length 3 at dim 3 \(got 2\)")
def tensor_ragged_nested_arrays(torch):
    torch.tensor([[np.random.random(size=(3, 3)), np.random.random(size=(3, 2))]])


@error(TypeError, r"not a sequence")
def tensor_zero_dim_array_in_place_of_sequence(torch):
    torch.tensor([[np.random.random(size=(3)), np.random.random()]])


@error(ValueError, r"expected sequence of length 3 at dim 1 \(got 2\)")
def tensor_list_then_array(torch):
    torch.tensor([[1, 2, 3], np.random.random(size=(2,))])


@program
def empty_tensors_interop(torch):
    x = torch.rand((), dtype=torch.float16)
    y = torch.tensor(np.random.rand(0), dtype=torch.float16)
    return (torch.true_divide(x, y).shape, torch.mul(x, y).shape,
            torch.div(x, y, rounding_mode="floor").shape)  # fmt: skip


@program
def has_storage_numpy(torch):
    out = []
    for dtype in [np.float32, np.float64, np.int64, np.int32, np.int16, np.uint8]:
        arr = np.array([1], dtype=dtype)
        for td in [torch.float32, torch.double, torch.int, torch.long, torch.uint8]:
            out.append(torch.tensor(arr, dtype=td).untyped_storage().nbytes())
    return out
