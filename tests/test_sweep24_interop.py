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
def from_numpy_read_only(torch):
    # PyTorch warns about a read-only array once per process (TORCH_WARN_ONCE): whether the
    # warning shows depends on what ran before, so only the tensor is compared
    import warnings

    a = np.zeros(3)
    a.flags["WRITEABLE"] = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.from_numpy(a)


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


# ---- functional_call / nn.utils.stateless ----------------------------------------------------
def _mock(torch, tied=False):
    """A Linear(1, 1) with weight 3, bias 0.5 and a ones buffer (and, ``tied``, aliases of
    the bias and the buffer)."""

    class Mock(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = torch.nn.Linear(1, 1)
            with torch.no_grad():
                self.l1.weight.fill_(3.0)
                self.l1.bias.fill_(0.5)
            self.register_buffer("buffer", torch.ones(1))
            self.foo = 0.0
            if tied:
                self.tied_bias = self.l1.bias
                self.register_buffer("tied_buffer", self.buffer)

        def forward(self, x):
            out = self.l1(x) + self.buffer
            return out + self.tied_bias + self.tied_buffer if tied else out

    return Mock()


def _identity_params(torch):
    return {"l1.weight": torch.tensor([[1.0]]), "l1.bias": torch.tensor([0.0]),
            "buffer": torch.tensor([0.0])}  # fmt: skip


def _calls(torch):
    return [torch.func.functional_call, torch.nn.utils.stateless.functional_call]


@program
def functional_call_identity(torch):
    out = []
    for call in _calls(torch):
        m = _mock(torch)
        x = torch.tensor([[0.25]])
        out.append((call(m, _identity_params(torch), x), m.l1.weight, m.buffer))
    return out


@program
def functional_call_gradients(torch):
    m = _mock(torch)
    w = torch.tensor([[1.0]], requires_grad=True)
    b = torch.tensor([0.0], requires_grad=True)
    buf = torch.tensor([0.0])
    res = torch.func.functional_call(
        m, {"l1.weight": w, "l1.bias": b, "buffer": buf}, torch.tensor([[2.0]])
    )
    res.backward()
    return res, w.grad, b.grad, buf.grad, m.l1.weight.grad, m.l1.bias.grad


@program
def functional_call_batch_norm_buffers(torch):
    m = torch.nn.BatchNorm1d(4)
    x = torch.full((6, 4), 128.0)
    rm = torch.zeros(4)
    torch.func.functional_call(m, {"running_mean": rm}, x)
    before = m.running_mean.clone()
    torch.func.functional_call(m, {}, x)
    return rm, before, m.running_mean, m.num_batches_tracked


@program
def functional_call_circular_reference(torch):
    m = _mock(torch)
    m.l1.m = m
    x = torch.tensor([[0.75]])
    params = {"l1.m.l1.weight": torch.tensor([[1.0]]), "l1.bias": torch.tensor([0.0]),
              "l1.m.buffer": torch.tensor([0.0])}  # fmt: skip
    return torch.func.functional_call(m, params, x, tie_weights=False), m.l1.weight, m.buffer


@program
def functional_call_parametrization_original(torch):
    m = _mock(torch)
    torch.nn.utils.parametrizations.spectral_norm(m.l1)
    names = sorted(dict(m.named_parameters()))
    params = {"l1.parametrizations.weight.original": torch.nn.Parameter(torch.tensor([[1.0]])),
              "l1.bias": torch.tensor([0.0]), "buffer": torch.tensor([0.0])}  # fmt: skip
    x = torch.tensor([[0.3]])
    res = torch.func.functional_call(m, params, x)
    return names, res, sorted(dict(m.named_parameters()))


@program
def functional_call_parametrization_restored_after_error(torch):
    m = _mock(torch)
    torch.nn.utils.parametrize.register_parametrization(m.l1, "weight", _Double(torch))
    w0 = m.l1.weight.clone()
    params = {"l1.parametrizations.weight.original": torch.tensor([[1.0]])}
    try:
        torch.func.functional_call(m, params, torch.rand(4, 5))
    except RuntimeError as e:
        msg = "shapes cannot be multiplied" in str(e)
    return msg, w0, m.l1.weight, torch.func.functional_call(m, params, torch.tensor([[2.0]]))


def _Double(torch):
    class Double(torch.nn.Module):
        def forward(self, w):
            return 2 * w

    return Double()


@error(RuntimeError, r"parametrization Double does not implement right_inverse.")
def functional_call_parametrized_weight_by_name(torch):
    m = _mock(torch)
    torch.nn.utils.parametrize.register_parametrization(m.l1, "weight", _Double(torch))
    torch.func.functional_call(m, {"l1.weight": torch.tensor([[10.0]])}, torch.tensor([[2.0]]))


@program
def functional_call_parametrized_weight_with_right_inverse(torch):
    class Half(torch.nn.Module):
        def forward(self, w):
            return w / 2

        def right_inverse(self, w):
            return w * 2

    m = _mock(torch)
    torch.nn.utils.parametrize.register_parametrization(m.l1, "weight", Half())
    x = torch.tensor([[2.0]])
    r = torch.func.functional_call(m, {"l1.weight": torch.tensor([[10.0]])}, x)
    return r, m(x), m.l1.parametrizations.weight.original


@program
def functional_call_some_weights(torch):
    m = _mock(torch)
    x = torch.tensor([[2.0]])
    w = torch.tensor([[2.0]])
    return (torch.func.functional_call(m, {"l1.weight": w}, x),
            torch.func.functional_call(m, {"l1.weight": w, "extra": torch.tensor([1.0])}, x),
            hasattr(m, "extra"))  # fmt: skip


@error(
    RuntimeError,
    r"Error\(s\) in reparametrizing for Mock:\n\tMissing key\(s\): 'buffer', 'l1.bias'.",
)
def functional_call_strict_missing(torch):
    torch.func.functional_call(
        _mock(torch), {"l1.weight": torch.ones(1, 1)}, torch.ones(1, 1), strict=True
    )


@error(RuntimeError, r"Unexpected key\(s\): 'extra'.\s+Missing key\(s\): 'buffer', 'l1.bias'.")
def functional_call_strict_missing_and_extra(torch):
    params = {"l1.weight": torch.ones(1, 1), "extra": torch.ones(1)}
    torch.func.functional_call(_mock(torch), params, torch.ones(1, 1), strict=True)


@program
def functional_call_strict_module_unchanged(torch):
    m = _mock(torch)
    before = [id(t) for t in list(m.parameters()) + list(m.buffers())]
    msgs = []
    for params in [
        {"l1.weight": torch.ones(1, 1)},
        {**_identity_params(torch), "extra": torch.ones(1)},
    ]:
        try:
            torch.func.functional_call(m, params, torch.ones(1, 1), strict=True)
        except RuntimeError as e:
            msgs.append(str(e))
    after = [id(t) for t in list(m.parameters()) + list(m.buffers())]
    ok = torch.func.functional_call(m, _identity_params(torch), torch.ones(1, 1), strict=True)
    return msgs, before == after, ok, hasattr(m, "extra")


@program
def functional_call_none_removes(torch):
    m = _mock(torch)
    x = torch.tensor([[2.0]])
    params = {"l1.weight": torch.tensor([[2.0]]), "l1.bias": None, "buffer": torch.tensor([3.0])}
    return torch.func.functional_call(m, params, x), m.l1.bias


@program
def functional_call_non_tensor_value(torch):
    class NonTensor:
        def __repr__(self):
            return "<NonTensor>"

    m = _mock(torch)
    try:
        torch.func.functional_call(m, {"l1.weight": NonTensor()}, torch.ones(1, 1))
    except TypeError as e:
        return str(e), m.l1.weight


@error(TypeError, r"attribute `foo`: 0.0 is not an instance of torch.Tensor")
def functional_call_non_tensor_attribute(torch):
    params = {"l1.weight": torch.ones(1, 1), "foo": torch.tensor([1.0])}
    torch.func.functional_call(_mock(torch), params, torch.ones(1, 1))


@error(AttributeError, r"Mock has no attribute `l2`")
def functional_call_missing_submodule(torch):
    params = {"l1.weight": torch.ones(1, 1), "l2.bias": torch.ones(1)}
    torch.func.functional_call(_mock(torch), params, torch.ones(1, 1))


@program
def functional_call_failed_leaves_module(torch):
    m = _mock(torch)
    for params in [{"l1.weight": torch.ones(1, 1), "foo": torch.tensor([1.0])},
                   {"l1.weight": torch.ones(1, 1), "l2.bias": torch.ones(1)}]:  # fmt: skip
        try:
            torch.func.functional_call(m, params, torch.ones(1, 1))
        except (TypeError, AttributeError):
            pass
    return m.l1.weight, m.foo, hasattr(m, "l2"), m(torch.ones(1, 1))


@program
def functional_call_tied_weights(torch):
    out = []
    for call in _calls(torch):
        m = _mock(torch, tied=True)
        x = torch.tensor([[2.0]])
        p = {
            "l1.weight": torch.tensor([[2.0]]),
            "l1.bias": torch.tensor([5.0]),
            "buffer": torch.tensor([3.0]),
        }
        out.append(call(m, p, x, tie_weights=True))
        out.append(call(m, {**p, "extra": torch.tensor([1.0])}, x))
        out.append(call(m, {"l1.weight": p["l1.weight"], "buffer": p["buffer"]}, x))
        out.append(call(m, p, x, tie_weights=False))
        same = {**p, "tied_bias": p["l1.bias"], "tied_buffer": p["buffer"]}
        out.append(call(m, same, x))
        out.append(call(m, {**p, "tied_bias": torch.tensor([-1.0])}, x, tie_weights=False))
    return out


@error(ValueError, r"functional_call got multiple values for keys \['l1.bias', 'tied_bias'\]")
def functional_call_tied_conflict(torch):
    p = {**_identity_params(torch), "tied_bias": torch.tensor([5.0])}
    torch.func.functional_call(_mock(torch, tied=True), p, torch.ones(1, 1))


@error(ValueError, r"functional_call got multiple values for keys \['buffer', 'tied_buffer'\]")
def functional_call_tied_buffer_conflict(torch):
    p = {**_identity_params(torch), "tied_buffer": torch.tensor([5.0])}
    torch.func.functional_call(_mock(torch, tied=True), p, torch.ones(1, 1))


@program
def functional_call_tied_strict(torch):
    m = _mock(torch, tied=True)
    x = torch.tensor([[2.0]])
    p = {
        "l1.weight": torch.tensor([[2.0]]),
        "l1.bias": torch.tensor([5.0]),
        "buffer": torch.tensor([3.0]),
    }
    out = [torch.func.functional_call(m, p, x, strict=True)]
    for params, tie in [(p, False), ({"l1.weight": p["l1.weight"], "buffer": p["buffer"]}, True),
                        ({**p, "extra": torch.ones(1)}, True), ({**p, "extra": torch.ones(1)}, False),
                        ({"l1.weight": p["l1.weight"], "buffer": p["buffer"], "extra": torch.ones(1)}, True)]:  # fmt: skip
        try:
            torch.func.functional_call(m, params, x, tie_weights=tie, strict=True)
        except RuntimeError as e:
            out.append(str(e))
    return out


@program
def functional_call_setattr_writes_back(torch):
    class Foo(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("foo", torch.tensor([0.0]))

        def forward(self, x):
            self.foo = self.foo + 1
            return x + self.foo

    foo = torch.tensor([2.0])
    a = {"foo": foo}
    mod = Foo()
    r = torch.func.functional_call(mod, a, torch.tensor([1.0]))
    return r, mod.foo, a["foo"], foo, a["foo"] is foo


@program
def functional_call_in_place_buffer(torch):
    class Foo(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("foo", torch.tensor([0.0]))

        def forward(self, x):
            self.foo.add_(1)
            return x + self.foo

    foo = torch.tensor([2.0])
    a = {"foo": foo}
    mod = Foo()
    r = torch.func.functional_call(mod, a, torch.tensor([1.0]))
    return r, mod.foo, a["foo"], foo, a["foo"] is foo


@program
def functional_call_extra_attribute(torch):
    class Bar(torch.nn.Module):
        def forward(self, x):
            return x + self.extra

    mod = Bar()
    out = [
        torch.func.functional_call(mod, {"extra": torch.zeros(())}, torch.ones(())),
        hasattr(mod, "extra"),
    ]
    for a, strict in [({"extra": torch.zeros(())}, True), ({}, False), ({}, True)]:
        try:
            torch.func.functional_call(mod, a, torch.ones(()), strict=strict)
        except (RuntimeError, AttributeError) as e:
            out.append((type(e).__name__, str(e)))
        out.append(hasattr(mod, "extra"))
    return out


@program
def functional_call_args_and_kwargs(torch):
    class Foo(torch.nn.Module):
        def __init__(self, x):
            super().__init__()
            self.x = x

        def forward(self, inp, *, other_inp):
            return inp * self.x + other_inp

    a = {"x": torch.zeros(2, 3)}
    mod = Foo(torch.ones(2, 3))
    inp, other = torch.full((2, 3), 2.0), torch.arange(6.0).reshape(2, 3)
    try:
        torch.func.functional_call(mod, a, inp)
    except TypeError as e:
        err = "missing 1 required keyword-only argument: 'other_inp'" in str(e)
    return (err, torch.func.functional_call(mod, a, inp, {"other_inp": other}),
            torch.func.functional_call(mod, a, (), {"inp": inp, "other_inp": other}),
            torch.func.functional_call(mod, a, kwargs={"inp": inp, "other_inp": other}),
            torch.func.functional_call(mod, {}, (inp,), {"other_inp": other}))  # fmt: skip


@program
def functional_call_tuple_of_dicts(torch):
    m = _mock(torch)
    x = torch.tensor([[0.5]])
    params = {k: torch.ones_like(v) for k, v in m.named_parameters()}
    buffers = {k: torch.zeros_like(v) for k, v in m.named_buffers()}
    three = (
        {"l1.weight": torch.ones(1, 1)},
        {"l1.bias": torch.ones(1)},
        {"buffer": torch.zeros(1)},
    )
    return (torch.func.functional_call(m, (params, buffers), x), torch.func.functional_call(m, (), x),
            torch.func.functional_call(m, three, x), torch.func.functional_call(m, [params], x))  # fmt: skip


@error(
    ValueError,
    r"\['l1.weight'\] appeared in multiple dictionaries; behavior of functional call is ambiguous",
)
def functional_call_repeated_key(torch):
    a = {"l1.weight": torch.zeros(1, 1), "l1.bias": torch.zeros(1)}
    torch.func.functional_call(_mock(torch), (a, {"l1.weight": torch.ones(1, 1)}), torch.ones(1, 1))


@error(ValueError, r"Expected all elements of parameter_and_buffer_dicts to be dictionaries")
def functional_call_tuple_of_non_dicts(torch):
    torch.func.functional_call(_mock(torch), ({}, [1]), torch.ones(1, 1))


@error(ValueError, r"Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts")
def functional_call_not_a_dict(torch):
    torch.func.functional_call(_mock(torch), 3, torch.ones(1, 1))


@program
def functional_call_member_reference(torch):
    class Module(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = torch.nn.Linear(1, 1)
            self.register_buffer("buffer", torch.ones(1))

        def forward(self, x):
            return self.l1(x) + self.buffer, tuple(self.parameters()), tuple(self.buffers())

    m = Module()
    w, b, buf, extra = (
        torch.tensor([[2.0]]),
        torch.tensor([5.0]),
        torch.tensor([3.0]),
        torch.tensor([1.0]),
    )
    extra_p = torch.nn.Parameter(extra)
    x = torch.tensor([[1.5]])
    out = []
    for params, expect in [({"l1.weight": w, "l1.bias": b, "buffer": buf}, (w, b)),
                           ({"l1.weight": w}, (w, m.l1.bias)),
                           ({"l1.weight": w, "l1.bias": b, "buffer": buf, "l1.extra": extra}, (w, b)),
                           ({"l1.weight": w, "l1.bias": b, "buffer": buf, "l1.extra": extra_p}, (w, b, extra_p)),
                           ({"l1.weight": w, "l1.extra": extra_p}, (w, m.l1.bias, extra_p)),
                           ({"l1.weight": w, "l1.bias": None}, (w,))]:  # fmt: skip
        res, ps, bs = torch.func.functional_call(m, params, x)
        out.append((res, len(ps), all(p is e for p, e in zip(ps, expect)), len(bs)))
    return out


@program
def stateless_functional_call_warns(torch):
    import warnings

    m = torch.nn.Linear(1, 1)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.nn.utils.stateless.functional_call(m, dict(m.named_parameters()), torch.ones(3, 1))
    return [
        (x.category.__name__, "Please use `torch.func.functional_call`" in str(x.message))
        for x in w
    ]


@program
def functional_call_vmap_grad(torch):
    m = torch.nn.Linear(3, 2)
    with torch.no_grad():
        m.weight.copy_(torch.arange(6.0).reshape(2, 3) / 10)
        m.bias.fill_(0.1)
    params = {k: v.detach() for k, v in m.named_parameters()}

    def loss(p, x):
        return torch.func.functional_call(m, p, (x,)).pow(2).sum()

    xs = torch.arange(12.0).reshape(4, 3) / 7
    g = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0))(params, xs)
    return g["weight"], g["bias"]


# ---- torch.testing.assert_close --------------------------------------------------------------
def _raised(fn, *args, **kwargs):
    """(exception type name, message) of ``fn(*args, **kwargs)``, or "passed"."""
    try:
        fn(*args, **kwargs)
    except Exception as e:  # the error itself is what the program compares
        return type(e).__name__, str(e)
    return "passed"


def _wrapped(actual, expected):
    """The pair itself and wrapped in sequences and mappings, as PyTorch's tests iterate."""
    from collections import OrderedDict

    return [(actual, expected), ((actual,), (expected,)), ([actual], [expected]),
            ((actual,), [expected]), ({"t": actual}, {"t": expected}),
            (OrderedDict(t=actual), OrderedDict(t=expected)), ({"t": actual}, OrderedDict(t=expected)),
            ([(actual,)], ([expected],)), ([{"t": actual}], (OrderedDict(t=expected),)),
            ({"t": [actual]}, OrderedDict(t=(expected,)))]  # fmt: skip


def _close_all(torch, actual, expected, **kwargs):
    return [
        _raised(torch.testing.assert_close, a, e, **kwargs) for a, e in _wrapped(actual, expected)
    ]


@program
def assert_close_matching(torch):
    t = torch.tensor([1.0, 2.0, 3.0])
    return (_close_all(torch, t, t.clone()), _close_all(torch, t, torch.nn.Parameter(t.clone())),
            _close_all(torch, torch.tensor([True, False]), torch.tensor([True, False])),
            _close_all(torch, None, None))  # fmt: skip


@program
def assert_close_subclass_refused(torch):
    t = torch.zeros(())
    return _close_all(torch, t, torch.nn.Parameter(t), allow_subclasses=False)


@program
def assert_close_tensor_vs_numpy(torch):
    t = torch.zeros(2)
    return _close_all(torch, t, t.numpy()), _close_all(torch, t, t.numpy(), allow_subclasses=False)


@program
def assert_close_unknown_type(torch):
    return _close_all(torch, "0", "0")


@program
def assert_close_shape_dtype_stride(torch):
    a = torch.zeros(())
    b = torch.zeros(2, 2)
    c = torch.as_strided(b.clone().t().contiguous(), b.shape, b.stride()[::-1])
    return (_close_all(torch, a, a.reshape(1)), _close_all(torch, a, a.to(torch.int32)),
            _close_all(torch, torch.ones(()), torch.ones((), dtype=torch.int32), check_dtype=False),
            _close_all(torch, b, c, check_stride=True), _close_all(torch, b, c))  # fmt: skip


@program
def assert_close_only_one_tolerance(torch):
    t = torch.zeros(())
    return _close_all(torch, t, t, rtol=0.0), _close_all(torch, t, t, atol=0.0)


@program
def assert_close_tolerances(torch):
    eps = 1e-3
    one, onep = torch.tensor(1.0), torch.tensor(1.0 + eps)
    zero, epst = torch.tensor(0.0), torch.tensor(eps)
    return (_close_all(torch, torch.tensor(1), torch.tensor(2)),
            _close_all(torch, one, onep, rtol=eps / 2, atol=0.0),
            _close_all(torch, zero, epst, rtol=0.0, atol=eps / 2),
            _close_all(torch, one, onep, rtol=eps * 2, atol=0.0),
            _close_all(torch, zero, epst, rtol=0.0, atol=eps * 2))  # fmt: skip


@program
def assert_close_nan(torch):
    nan = float("nan")
    t = torch.tensor([1.0, nan])
    return (_close_all(torch, nan, nan), _close_all(torch, nan, nan, equal_nan=True),
            _close_all(torch, t, t.clone()), _close_all(torch, t, t.clone(), equal_nan=True),
            _raised(torch.testing.assert_close, torch.tensor([nan, 1.0]), torch.tensor([1.0, nan]), equal_nan=True))  # fmt: skip


@program
def assert_close_numpy_arrays(torch):
    a = np.arange(4.0, dtype=np.float32).reshape(2, 2)
    return _close_all(torch, a, a.copy()), _close_all(torch, a, a + 1)


@program
def assert_close_scalars(torch):
    out = []
    for actual in (3, 3.0):
        for expected in (3, 3.0):
            out.append(
                _close_all(torch, actual, expected, check_dtype=type(actual) is type(expected))
            )
    out.append(_close_all(torch, 3, 5))
    out.append(_close_all(torch, 2, 4))
    out.append(_close_all(torch, 2.0, 2.5))
    out.append(_close_all(torch, True, False))
    out.append(_close_all(torch, True, True))
    return out


@program
def assert_close_none_mismatch(torch):
    return [
        _close_all(torch, a, None) for a in (False, 0, float("nan"), torch.tensor(float("nan")))
    ]


@program
def assert_close_default_tolerance_mixed_dtypes(torch):
    a = torch.tensor(0.99, dtype=torch.bfloat16)
    b = torch.tensor(1.0, dtype=torch.float64)
    c = torch.tensor(1.001, dtype=torch.float16)
    return (_close_all(torch, a, b, check_dtype=False), _close_all(torch, c, b, check_dtype=False),
            _close_all(torch, torch.tensor(1.0), torch.tensor(1.0 + 2e-6)),
            _close_all(torch, torch.tensor(1.0, dtype=torch.float64), torch.tensor(1.0 + 2e-6, dtype=torch.float64)))  # fmt: skip


@program
def assert_close_messages(torch):
    f = torch.tensor([1, 2, 3, 4], dtype=torch.float32)
    g = torch.tensor([1, 2, 5, 6], dtype=torch.float32)
    i = torch.tensor([1, 2, 3, 4])
    return (_close_all(torch, f, g, rtol=0.0, atol=0.0), _close_all(torch, f, g),
            _close_all(torch, f, g, rtol=1.3e-6, atol=0.0), _close_all(torch, f, g, rtol=0.0, atol=1e-5),
            _close_all(torch, i, torch.tensor([1, 2, 5, 6])),
            _close_all(torch, torch.tensor([[1, 2], [3, 4]]), torch.tensor([[1, 2], [5, 4]])),
            _close_all(torch, torch.tensor([[1, 2], [3, 4]]), torch.tensor([[1, 4], [3, 4]])),
            _close_all(torch, torch.tensor([1.0, 0.0]), torch.tensor([2.0, 0.0])),
            _close_all(torch, torch.tensor((1, 2)), torch.tensor((2, 2)), rtol=1e-3, atol=0.0),
            _close_all(torch, torch.tensor((1, 2)), torch.tensor((2, 2)), rtol=0.0, atol=1e-3))  # fmt: skip


@program
def assert_close_message_details(torch):
    inf, nan = float("inf"), float("nan")
    cases = [(torch.tensor([inf, 1.0]), torch.tensor([-inf, 1.0])),
             (torch.tensor([inf, 1.0]), torch.tensor([inf, 1.0])),
             (torch.tensor([1.0, 2.0]), torch.tensor([1.0, inf])),
             (torch.tensor([0.0, 5.0]), torch.tensor([0.0, 0.0])),
             (torch.tensor([1.5], dtype=torch.float64), torch.tensor([1.0], dtype=torch.float64)),
             (torch.tensor([1.5], dtype=torch.float16), torch.tensor([1.0], dtype=torch.float16)),
             (torch.tensor([[[1.0]]]), torch.tensor([[[2.0]]])),
             (torch.tensor(1.0), torch.tensor(3.0)),
             (torch.tensor([True, False]), torch.tensor([True, True])),
             (torch.tensor([1, 2], dtype=torch.uint8), torch.tensor([3, 2], dtype=torch.uint8)),
             (torch.tensor([nan, 1.0]), torch.tensor([1.0, 1.0])),
             (torch.tensor([1.0, 1.0]), torch.tensor([1.0, nan])),
             (torch.zeros(3, 0), torch.zeros(3, 0)),
             (torch.arange(20.0), torch.arange(20.0) * 1.5)]  # fmt: skip
    return [_raised(torch.testing.assert_close, a, e) for a, e in cases]


@program
def assert_close_msg_argument(torch):
    return (_close_all(torch, torch.tensor(1), torch.tensor(2), msg="Custom error message!"),
            _raised(torch.testing.assert_close, torch.tensor(1), torch.tensor(2), msg=lambda m: m.upper()),
            _raised(torch.testing.assert_close, 1, 2, msg="custom"))  # fmt: skip


@program
def assert_close_containers(torch):
    t1, t2 = torch.tensor(1), torch.tensor(2)
    return (_raised(torch.testing.assert_close, (torch.zeros(()),), ()),
            _raised(torch.testing.assert_close, (t1, t1), (t1, t2)),
            _raised(torch.testing.assert_close, {"a": torch.zeros(())}, {}),
            _raised(torch.testing.assert_close, {"a": t1, "b": t1}, {"a": t1, "b": t2}),
            _raised(torch.testing.assert_close, [[t1, (t1, t2)]], [[t1, (t1, t1)]]),
            _raised(torch.testing.assert_close, {"a": [t1]}, {"b": [t1]}),
            _raised(torch.testing.assert_close, [t1], {"a": t1}),
            _raised(torch.testing.assert_close, (1, 2.0), [1, 2.0]),
            _raised(torch.testing.assert_close, [t1, 2], [t1, 3]))  # fmt: skip


@program
def assert_close_type_mismatch_messages(torch):
    t = torch.tensor([1.0])
    return (_raised(torch.testing.assert_close, t, 1.0), _raised(torch.testing.assert_close, 1.0, t),
            _raised(torch.testing.assert_close, t, [1.0]), _raised(torch.testing.assert_close, 1, 1.0),
            _raised(torch.testing.assert_close, 1, 1.0, check_dtype=False),
            _raised(torch.testing.assert_close, 1.0, None), _raised(torch.testing.assert_close, None, 1.0))  # fmt: skip


@program
def assert_close_check_device_and_layout_flags(torch):
    a = torch.tensor([1.0, 2.0])
    return (_raised(torch.testing.assert_close, a, a.clone(), check_device=False),
            _raised(torch.testing.assert_close, a, a.clone(), check_layout=False),
            _raised(torch.testing.assert_close, a, a.clone(), check_stride=True),
            _raised(torch.testing.assert_close, a, a.to(torch.float64), check_dtype=False, atol=0, rtol=0),
            _raised(torch.testing.assert_close, torch.tensor([1, 2]), torch.tensor([1.0, 2.0]), check_dtype=False))  # fmt: skip


@program
def assert_close_requires_grad_and_views(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.arange(6.0).reshape(2, 3)
    return (_raised(torch.testing.assert_close, a, a.detach()), _raised(torch.testing.assert_close, a * 2, a.detach() * 2),
            _raised(torch.testing.assert_close, b.t(), b.t().contiguous()),
            _raised(torch.testing.assert_close, b.t(), b.t().contiguous(), check_stride=True))  # fmt: skip


# ---- torch.testing.make_tensor ---------------------------------------------------------------
def _props(t):
    """What make_tensor promises, without its random values."""
    return (
        tuple(t.shape),
        str(t.dtype),
        str(t.device),
        t.requires_grad,
        t.is_contiguous(),
        t.is_leaf,
    )


@program
def make_tensor_shapes_and_flags(torch):
    out = []
    for dtype in [
        torch.bool,
        torch.int64,
        torch.float32,
        torch.float64,
        torch.uint8,
        torch.float16,
    ]:
        grad = dtype in (torch.float32, torch.float64, torch.float16)
        for size in [(), (0,), (1,), (1, 1), (2,), (2, 3), (4, 5, 6)]:
            a = torch.testing.make_tensor(size, device="cpu", dtype=dtype)
            low, high = (0, 1) if dtype == torch.bool else (2, 4)
            b = torch.testing.make_tensor(size, device="cpu", dtype=dtype, low=low, high=high,
                                          requires_grad=grad, noncontiguous=True)  # fmt: skip
            out.append((_props(a), _props(b)))
            if dtype in (torch.int64, torch.float32) and b.numel():
                out.append(
                    (
                        bool(b.ge(2).all()),
                        bool(b.le(4).all()),
                        bool(a.ge(-9).all()),
                        bool(a.le(9).all()),
                    )
                )
    return out


@program
def make_tensor_shape_forms(torch):
    mk = torch.testing.make_tensor
    return [tuple(mk(*s, dtype=torch.float32, device="cpu").shape) for s in [(3,), (2, 3), ((2, 3),), ([4],)]] + [
        tuple(mk(5, dtype=torch.int32, device="cpu").shape), tuple(mk(torch.Size([2, 2]), dtype=torch.float32, device="cpu").shape)]  # fmt: skip


@program
def make_tensor_exclude_zero_and_ranges(torch):
    mk = torch.testing.make_tensor
    out = []
    for dtype in [
        torch.int64,
        torch.int32,
        torch.float32,
        torch.float64,
        torch.uint8,
        torch.int8,
        torch.bool,
    ]:
        t = mk((200,), dtype=dtype, device="cpu", exclude_zero=True)
        out.append((str(t.dtype), bool((t != 0).all())))
    for dtype, low, high in [(torch.int64, -3, 3), (torch.float32, -1e-3, 1e-3), (torch.uint8, None, None),
                             (torch.int8, -200, 200), (torch.float32, 5, 5)]:  # fmt: skip
        t = mk((300,), dtype=dtype, device="cpu", low=low, high=high)
        out.append((float(t.min()), float(t.max())) if low == high else (
            float(t.min()) >= (low if low is not None and low > -128 else -1000), float(t.max()) <= (high if high and high < 128 else 1000)))  # fmt: skip
    return out


@program
def make_tensor_integer_bounds(torch):
    mk = torch.testing.make_tensor
    out = []
    for dtype in [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]:
        t = mk((500,), dtype=dtype, device="cpu", low=-5, high=5)
        out.append(
            (str(t.dtype), int(t.min()) >= (0 if dtype == torch.uint8 else -5), int(t.max()) < 5)
        )
    b = mk((500,), dtype=torch.bool, device="cpu")
    out.append((str(b.dtype), sorted(set(b.tolist()))))
    return out


@program
def make_tensor_memory_format(torch):
    t = torch.testing.make_tensor(
        (2, 3, 4, 5), dtype=torch.float32, device="cpu", memory_format=torch.channels_last
    )
    return t.stride(), t.is_contiguous(memory_format=torch.channels_last)


@program
def make_tensor_noncontiguous_values(torch):
    t = torch.testing.make_tensor((3, 4), dtype=torch.float32, device="cpu", noncontiguous=True)
    u = torch.testing.make_tensor((1,), dtype=torch.float32, device="cpu", noncontiguous=True)
    return t.is_contiguous(), t.stride(), u.is_contiguous(), u.stride()


@error(ValueError, r"`low` must be less than `high`, but got 5 >= 2")
def make_tensor_low_above_high(torch):
    torch.testing.make_tensor((2,), dtype=torch.float32, device="cpu", low=5, high=2)


@error(ValueError, r"`low` and `high` cannot be NaN, but got low=nan and high=1")
def make_tensor_nan_low(torch):
    torch.testing.make_tensor((2,), dtype=torch.float32, device="cpu", low=float("nan"), high=1)


@error(
    ValueError,
    r"`requires_grad=True` is not supported for boolean and integral dtypes, but got dtype=torch.int64",
)
def make_tensor_int_requires_grad(torch):
    torch.testing.make_tensor((2,), dtype=torch.int64, device="cpu", requires_grad=True)


@error(
    ValueError,
    r"`requires_grad=True` is not supported for boolean and integral dtypes, but got dtype=torch.bool",
)
def make_tensor_bool_requires_grad(torch):
    torch.testing.make_tensor((2,), dtype=torch.bool, device="cpu", requires_grad=True)


@program
def make_tensor_error_texts(torch):
    mk = torch.testing.make_tensor
    return [_raised(mk, (2,), dtype=torch.float32, device="cpu", low=float("inf")),
            _raised(mk, (2,), dtype=torch.float32, device="cpu", high=float("-inf")),
            _raised(mk, (2,), dtype=torch.int64, device="cpu", low=1e30),
            _raised(mk, (2,), dtype=torch.uint8, device="cpu", low=300, high=400),
            _raised(mk, (2,), dtype=torch.float16, device="cpu", low=1e6),
            _raised(mk, (2,), dtype=torch.int32, device="cpu", low=3, high=3.5),
            _raised(mk, (2,), dtype=torch.float32, device="cpu", low=float("nan"), high=float("nan")),
            _raised(mk, (2,), dtype=torch.float32, device="cpu", low=2, high=1),
            _raised(mk, (2,), dtype=torch.int64, device="cpu", low=5, high=5),
            _raised(mk, (2,), dtype=torch.bool, device="cpu", low=2, high=4),
            _raised(mk, (2,), dtype=torch.bool, device="cpu", low=0, high=1),
            _raised(mk, (-1,), dtype=torch.float32, device="cpu")]  # fmt: skip


@error(TypeError, r"missing 1 required keyword-only argument: 'dtype'")
def make_tensor_without_dtype(torch):
    torch.testing.make_tensor((2,), device="cpu")


@program
def make_tensor_float_low_high_clamped(torch):
    mk = torch.testing.make_tensor
    t = mk((1000,), dtype=torch.float16, device="cpu", low=-1e30, high=1e30)
    u = mk((1000,), dtype=torch.int8, device="cpu", low=-1000, high=1000)
    return bool(t.isfinite().all()), int(u.min()) >= -128, int(u.max()) <= 127


# ---- numpy integers as dims and sizes --------------------------------------------------------
@program
def numpy_int_dims_more(torch):
    x = torch.tensor([[1.0, 2.0]])
    i0, i1 = np.int64(0), np.int32(1)
    return (x.squeeze(i0), x.squeeze(i0).shape, x.chunk(np.int64(2), i1), x.flip(i1),
            x.any(i1), x.all(i1), x.view(np.int64(2)), x.sum(i1), x.squeeze(()).shape)  # fmt: skip


@program
def numpy_int_squeeze_graph(torch):
    x = torch.ones(1, 2, requires_grad=True)
    return (
        x.squeeze(np.int64(0)).grad_fn.name(),
        x.squeeze((0,)).grad_fn.name(),
        x.squeeze().grad_fn.name(),
    )


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`...`\), None and long or byte Variables are valid indices \(got numpy.float64\)",
)
def index_with_numpy_float(torch):
    torch.ones(2)[np.float64(0)]


@program
def numpy_int_sizes_and_dims(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return (x.movedim(np.int64(0), np.int64(1)), x.movedim((np.int64(0),), (1,)).shape,
            torch.nn.LayerNorm(np.int64(3))(x), torch.nn.LayerNorm([np.int64(3)]).weight.shape,
            x.reshape(np.int64(6)).shape, torch.ones(1).expand(np.int64(3)).shape)  # fmt: skip


@program
def make_tensor_dtype_not_a_dtype(torch):
    mk = torch.testing.make_tensor
    return [
        _raised(mk, (2,), dtype=d, device="cpu", requires_grad=True)
        for d in ["float32", float, None]
    ]


@program
def functional_call_empty_names(torch):
    m = torch.nn.Linear(2, 1)
    x = torch.ones(1, 2)
    out = []
    for name in ["", "."]:
        try:
            torch.func.functional_call(m, {name: torch.zeros(1, 2)}, x)
        except KeyError as e:
            out.append(str(e))
    return out, m.weight.shape


@program
def empty_index_arrays(torch):
    x = torch.tensor([[1, 2], [3, 4]])
    out = [
        x[[]],
        x[np.array([])],
        x[np.array([], dtype=np.int64)],
        x[torch.tensor([], dtype=torch.long)],
    ]
    try:
        x[torch.tensor([])]
    except IndexError as e:
        out.append(str(e))
    return out


@program
def numpy_int_roll_and_tensor_split(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return (x.roll(np.int64(1), np.int64(1)), x.roll(np.int32(2)), x.tensor_split(np.int64(3), np.int64(1)),
            x.hsplit(np.int64(3)), x.tensor_split([np.int64(1)], 1))  # fmt: skip


@program
def copy_from_numbers_not_arrays(torch):
    out = [torch.zeros(2).copy_(v) for v in (5, 2.5, True, np.float64(2), np.int64(3))]
    for v in ([1, 2], np.array([1.0, 2.0]), None):
        try:
            torch.zeros(2).copy_(v)
        except TypeError as e:
            out.append(str(e))
    return out


@program
def numpy_arrays_where_tensors_are_required(torch):
    a, v, m = torch.ones(2, 2), torch.ones(2), np.ones((2, 2))
    calls = [lambda: torch.mm(a, m), lambda: torch.mm(m, a), lambda: torch.bmm(a[None], m[None]),
             lambda: torch.mv(a, np.ones(2)), lambda: torch.dot(v, np.ones(2)), lambda: torch.outer(v, [1.0, 2.0]),
             lambda: torch.mm(a, None), lambda: torch.sum(np.ones(2)), lambda: torch.mean([1.0, 2.0]),
             lambda: torch.equal(v, np.ones(2)), lambda: torch.equal(np.ones(2), v), lambda: v.expand_as(m),
             lambda: v.index_select(0, np.array([0]))]  # fmt: skip
    return [_raised(f) for f in calls]


@program
def stack_module_state_forms_and_errors(torch):
    lin = torch.nn.Linear
    p, b = torch.func.stack_module_state([lin(2, 1), lin(2, 1)])
    out = [[(k, tuple(v.shape), v.requires_grad, v.is_leaf) for k, v in p.items()]]
    _, bufs = torch.func.stack_module_state([torch.nn.BatchNorm1d(2), torch.nn.BatchNorm1d(2)])
    out.append([(k, tuple(v.shape), v.requires_grad) for k, v in bufs.items()])
    frozen = lin(2, 1)
    frozen.weight.requires_grad_(False)
    out.append(_raised(torch.func.stack_module_state, [frozen, lin(2, 1)]))
    also = lin(2, 1)
    also.weight.requires_grad_(False)
    stacked = torch.func.stack_module_state([frozen, also])[0]
    out.append([(k, v.requires_grad) for k, v in stacked.items()])
    for models in (
        [],
        [lin(2, 1), lin(3, 1)],
        [lin(2, 1), torch.nn.Conv1d(2, 1, 1)],
        [lin(2, 1), lin(2, 1, bias=False)],
    ):
        out.append(_raised(torch.func.stack_module_state, models))
    return out


@program
def functional_call_argument_forms(torch):
    m = torch.nn.Linear(2, 2)
    w, b, x = torch.eye(2), torch.zeros(2), torch.ones(1, 2)
    fc = torch.func.functional_call
    return [_raised(fc, m, {"weight": w}), _raised(fc, m, {"weight": w}, None),
            fc(m, {"weight": w, "bias": b}, args=(x,), kwargs=None), fc(m, [{"weight": w}, {"bias": b}], x),
            fc(m, {"weight": w, "bias": b}, kwargs={"input": x}), _raised(fc, m, {"weight": w}, x, {"foo": 1}),
            _raised(fc, m, {"weight": 3.0}, x), _raised(fc, m, {"weight": np.eye(2)}, x),
            _raised(fc, m, None, x), tuple(fc(m, [], x).shape)]  # fmt: skip


@program
def numpy_scalar_on_the_left(torch):
    import operator as op

    out = []
    for dt in ["bool", "uint8", "int16", "int64", "float16", "float32"]:
        t = torch.tensor([1, 2, 3]).to(getattr(torch, dt))
        for s in (
            np.bool_(True),
            np.int8(2),
            np.uint8(2),
            np.float16(2),
            np.float32(2),
            np.float64(2),
        ):
            for f in (op.add, op.mul, op.sub, op.truediv, op.pow, op.floordiv):
                try:
                    r = f(s, t)
                    out.append((type(r).__name__, str(r.dtype), r.float()))
                except (RuntimeError, TypeError) as e:
                    out.append(type(e).__name__)
    return out


@program
def array_wrap_legacy_types(torch):
    out = []
    for tp in (
        torch.ShortTensor,
        torch.ByteTensor,
        torch.HalfTensor,
        torch.DoubleTensor,
        torch.LongTensor,
    ):
        x = torch.tensor([1, -2, 3, -4]).type(tp)
        out.append(
            (
                isinstance(np.abs(x), tp),
                str(np.abs(x).dtype),
                isinstance(np.greater_equal(x, 2), torch.ByteTensor),
            )
        )
    x = torch.IntTensor([1, -2, 3, -4])
    out.append(
        [
            np.asarray(x, dtype=d)
            for d in (np.float64, np.float32, np.float16, np.int64, np.int16, np.uint8)
        ]
    )
    out.append([str(np.add(a, b).dtype) for a, b in [(torch.ones(2, dtype=torch.int8), torch.ones(2, dtype=torch.uint8)),
                (torch.ones(2, dtype=torch.float16), 1), (torch.ones(2, dtype=torch.int32), 1.5)]])  # fmt: skip
    return out


@program
def make_tensor_values_from_the_seed(torch):
    mk = torch.testing.make_tensor
    out = []
    for dtype in [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
                  torch.int8, torch.uint8, torch.bool]:  # fmt: skip
        out.append(mk((2, 3), dtype=dtype, device="cpu").float())
        out.append(mk((2, 3), dtype=dtype, device="cpu", noncontiguous=True).float())
        out.append(mk((5,), dtype=dtype, device="cpu", exclude_zero=True).float())
        if dtype != torch.bool:
            out.append(mk((4,), dtype=dtype, device="cpu", low=1, high=5).float())
    out.append(
        mk((2, 3, 4, 5), dtype=torch.float32, device="cpu", memory_format=torch.channels_last)
    )
    out.append(mk((3,), dtype=torch.float32, device="cpu", low=-1e30, high=1e30))
    return out


@program
def number_on_the_left_of_a_bfloat16_remainder(torch):
    t = torch.tensor([1.0, 2.0, 3.0, -1.5]).to(torch.bfloat16)
    out = [2 % t, 2.5 % t, torch.remainder(2.5, t), np.float64(2) % t, np.int8(3) % t, -7 % t]
    return [(str(r.dtype), r.float()) for r in out]


@program
def masked_and_matrix_arrays_read_as_data(torch):
    m = np.ma.array([1.0, 2.0, 3.0], mask=[0, 1, 0])
    a = torch.from_numpy(m)
    b = torch.as_tensor(m)
    a[0] = 9.0
    mat = torch.from_numpy(np.matrix([[1.0, 2.0], [3.0, 4.0]]))
    return a.tolist(), b.tolist(), m.data.tolist(), mat, mat[0], mat.sum(0)


@program
def long_double_arrays_refused(torch):
    out = []
    for f in (torch.from_numpy, torch.tensor, torch.as_tensor):
        for x in (np.array([1.0, 2.0], dtype=np.longdouble), np.longdouble(1.5)):
            out.append(_raised(f, x)[0])
    return out


@program
def bfloat16_refused_by_numpy_even_forced(torch):
    t = torch.ones(2, dtype=torch.bfloat16)
    calls = [t.numpy, lambda: t.numpy(force=True), lambda: np.asarray(t), lambda: np.array(t, dtype=np.float32),
             lambda: np.sin(t)]  # fmt: skip
    return [_raised(f) for f in calls]


@program
def empty_bool_masks(torch):
    x = torch.tensor([[1, 2], [3, 4]])
    out = []
    for mask in (torch.tensor([], dtype=torch.bool), np.array([], dtype=np.bool_)):
        out.append(_raised(lambda m=mask: x[m]))
        out.append(_raised(lambda m=mask: x.__setitem__(m, 0)))
        out.append(_raised(lambda m=mask: x[:, m]))
    e = torch.zeros(0, 3)
    out.append(e[torch.tensor([], dtype=torch.bool)])
    e[np.array([], dtype=np.bool_)] = 1.0
    out.append(e)
    return out
