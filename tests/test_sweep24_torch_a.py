"""Session 14 sweep of the tensor behaviours PyTorch's test/test_torch.py checks (its first
third): dtype conversions by name, allclose, math functions on non-contiguous, expanded and
size-1 inputs, copy_/clone/strides, devices and ``to``, factories and their type inference,
out= rules, ranges, selection ops, indexing errors, checked against PyTorch
(tests/sweep_harness.py)."""

import math

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

inf, nan = math.inf, math.nan


# ---- dtype conversions and allclose ------------------------------------------------------------
@program
def conversion_by_dtype_name(torch):
    x = torch.tensor([1])
    names = ("byte", "bool", "char", "short", "int", "long", "half", "float", "double", "bfloat16")
    return [getattr(x, n)().dtype for n in names]


@program
def conversions_of_negative_and_fractional_values(torch):
    x = torch.tensor([-1.7, -0.5, 0.0, 0.5, 1.7, 300.0])
    return [x.long(), x.int(), x.short(), x.char(), x.bool(), x.double(), x.half()]


@program
def allclose_cases(torch):
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([1.01, 2.01, 3.01])
    a = torch.tensor([2.0, 3.0, nan])
    b = torch.tensor([2.01, 3.01, nan])
    i = torch.tensor([inf])
    return [
        torch.allclose(x, y, rtol=0, atol=0.02),
        torch.allclose(x, y, rtol=0.01, atol=0.0),
        torch.allclose(x, y),
        torch.allclose(torch.tensor([0.0]), torch.tensor([1e-8])),
        torch.allclose(a, b, rtol=1e-2),
        torch.allclose(a, b, rtol=1e-2, equal_nan=True),
        torch.allclose(a, b, rtol=1e-3, equal_nan=True),
        torch.allclose(i, i),
        torch.allclose(-i, -i),
        torch.allclose(i, -i),
        torch.allclose(i, torch.tensor([1e20])),
        torch.allclose(-i, torch.tensor([-1e20])),
        x.allclose(y, 0.01),
    ]


@program
def isclose_mixed_dtypes_and_broadcast(torch):
    x = torch.tensor([[1, 2, 3]])
    y = torch.tensor([[1.0], [2.0000001]])
    return torch.isclose(x.double(), y.double()), torch.isclose(x, x), torch.allclose(x, x)


@error(RuntimeError, r"vector \+ matrix @ vector expected, got 1, 2, 0")
def mv_with_scalar_vector(torch):
    return torch.mv(torch.randn(5, 5), torch.tensor(7.0))


@error(RuntimeError, r"outer: Expected 1-D argument vec2, but got 0-D")
def ger_with_scalar(torch):
    return torch.outer(torch.randn(5), torch.tensor(7.0))


@error(RuntimeError, r"addr: Expected 1-D argument vec2, but got 0-D")
def addr_with_scalar(torch):
    return torch.addr(torch.randn(5, 5), torch.randn(5), torch.tensor(7.0))


# ---- math functions on non-contiguous / expanded / size-1 inputs --------------------------------
_UNARY = ("sin", "cos", "tan", "tanh", "atan", "sinh", "cosh", "exp", "expm1", "floor", "ceil",
          "trunc", "frac", "round", "erf", "erfc", "sigmoid", "abs", "neg", "sign")  # fmt: skip
_POSITIVE = ("log", "log10", "log1p", "log2", "sqrt", "rsqrt", "lgamma", "digamma", "asin",
             "acos")  # fmt: skip


def _noncontig(torch, shape, dtype):
    contig = torch.randn(shape, dtype=dtype)
    nc = torch.empty(shape + (2,), dtype=dtype)[..., 0]
    nc.copy_(contig)
    return contig, nc


@program
def unary_math_noncontiguous_matches_contiguous(torch):
    out = []
    for dtype in (torch.float32, torch.float64):
        contig, nc = _noncontig(torch, (5, 7), dtype)
        for name in _UNARY + _POSITIVE:
            fn = getattr(torch, name)
            a, b = fn(contig), fn(nc)
            out.append(
                (
                    name,
                    nc.is_contiguous(),
                    torch.equal(a, b) or torch.allclose(a, b, equal_nan=True),
                )
            )
    return out


@program
def unary_math_reference_values(torch):
    rows = [
        list(range(-5, 5)),
        [x + 1e-6 for x in range(-5, 5)],
        [x + 1e10 for x in range(-5, 5)],
        [x - 1e10 for x in range(-5, 5)],
        [math.pi * (x / 2) for x in range(-5, 5)],
    ]
    x = torch.tensor(rows, dtype=torch.float64)
    names = ("sin", "cos", "tanh", "atan", "exp", "expm1", "floor", "ceil", "trunc", "frac",
             "round", "erf", "erfc", "log", "log10", "log1p", "log2", "sqrt", "rsqrt", "asin",
             "acos", "sinh", "cosh")  # fmt: skip
    return {n: getattr(torch, n)(x) for n in names}


@program(tol={"rtol": 1e-6, "atol": 1e-6})
def lgamma_digamma_at_poles_and_negatives(torch):
    x = torch.tensor([-3.0, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 1e6], dtype=torch.float64)
    return torch.lgamma(x), torch.digamma(x), torch.polygamma(1, x[5:])


@error(RuntimeError, r"polygamma\(n, x\) does not support negative n\.")
def polygamma_negative_n(torch):
    return torch.polygamma(-1, torch.tensor([1.0, 2.0]))


@program
def mvlgamma_values(torch):
    x = torch.linspace(0.5, 10.0, 6, dtype=torch.float64)
    return [torch.mvlgamma(x, p) for p in (1, 2, 3, 4)]


@program
def unary_math_expanded_input(torch):
    out = []
    for shape in ((1, 3), (1, 7), (5, 7)):
        contig = torch.randn(shape, dtype=torch.float64)
        expanded = contig.clone().expand(3, -1, -1)
        for name in ("sin", "exp", "abs", "floor", "sigmoid"):
            r = getattr(torch, name)(expanded)
            out.append(
                (
                    r.shape,
                    r.is_contiguous(),
                    r.stride(),
                    torch.equal(r[1], getattr(torch, name)(contig)),
                )
            )
    return out


@program
def size1_dims_are_contiguous(torch):
    x = torch.randn(5, 100)[:1, :50]
    y = torch.randn(5, 2, 3, 1, 4)[:1]
    z = torch.empty(x.size())
    z.copy_(x)
    return (
        x.is_contiguous(),
        x.stride(),
        y.is_contiguous(),
        z.is_contiguous(),
        torch.equal(torch.exp(x), torch.exp(z)),
    )


@program
def unary_inplace_on_noncontiguous(torch):
    out = []
    for name in ("sin_", "exp_", "floor_", "sqrt_", "neg_", "abs_", "clamp_"):
        base = torch.rand(4, 6, dtype=torch.float64) + 0.5
        t = base.t()
        args = (0.7, 1.2) if name == "clamp_" else ()
        r = getattr(t, name)(*args)
        out.append((r is t, base, t.stride()))
    return out


# ---- storage, selection, reductions -------------------------------------------------------------
@program
def storage_of_empty_and_nonzero(torch):
    return [
        len(torch.Tensor().untyped_storage()),
        len(torch.Tensor([]).untyped_storage()),
        torch.Tensor([0, 0, 0]).nonzero().shape,
        torch.Tensor().clone().shape,
        torch.Tensor().new().shape,
        torch.Tensor(0).shape,
    ]


@program
def max_min_with_nan_and_bool(torch):
    out = []
    for index in (0, 4, 99):
        m = torch.randn(100)
        m[index] = nan
        v, i = torch.max(m, 0)
        w, j = torch.min(m, 0)
        out += [v, i, w, j, torch.max(m), torch.min(m)]
    b = torch.tensor([True, False, True])
    out += [torch.max(b), torch.min(b), b.max(0), b.amax(), b.amin()]
    nc = torch.randn(10, 10, 10)[:, 4]
    out += [torch.max(nc), torch.min(nc), nc.max(1, False), nc.min(0, True)]
    return out


@program
def max_min_elementwise(torch):
    a, b = torch.rand(10, 10), torch.rand(10, 10)
    return torch.max(a, b), torch.min(a, b), torch.maximum(a, b.double()), torch.min(a, b.t())


@program
def sum_uint8_with_dtype_overflow(torch):
    x = torch.tensor([[255, 2, 1], [5, 3, 6]], dtype=torch.uint8)
    y = torch.empty(3, dtype=torch.uint8)
    torch.sum(x, 0, out=y)
    return (
        x.sum(dtype=torch.uint8),
        x.sum(0, dtype=torch.uint8),
        x.sum(1, dtype=torch.uint8),
        y,
        x.sum(),
    )


@program
def logsumexp_with_infs_and_out_into_view(torch):
    a = torch.randn(5, 4)
    a[0, 0] = inf
    a[1, :] = -inf
    b = torch.zeros(5, 2)
    c = b[:, 0]
    r = torch.logsumexp(a, 1, out=c)
    return a.logsumexp(1), b, r is c, c.stride()


@program
def all_any_on_uint8_and_bool(torch):
    out = []
    for size in ((10,), (5, 5)):
        x = torch.ones(*size).byte()
        out += [x.all(), x.any()]
        x[3] = 0
        out += [x.all(), x.any()]
        x.zero_()
        out += [x.all(), x.any()]
        x.fill_(2)
        out += [x.all(), x.any(), x.all().dtype]
    m = torch.tensor([[0, 0, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1]], dtype=torch.uint8)
    out += [m.all(dim=0), m.any(dim=1, keepdim=True), m.all(0).dtype]
    return out


@program
def where_single_argument_on_bool(torch):
    a = torch.tensor([True, False])
    r = torch.where(a > 0)
    return len(r), r, torch.where(torch.tensor([[1, 0], [0, 2]]))


@program
def mv_integer_and_bfloat16(torch):
    m = torch.randint(0, 100, (10, 10), dtype=torch.int32)
    v = torch.randint(0, 100, (10,), dtype=torch.int32)
    mf = torch.randn(10, 10).bfloat16()
    vf = torch.randn(10).bfloat16()
    return torch.mv(m, v), torch.mv(m.long(), v.long()), torch.mv(mf, vf).dtype


@program
def numpy_style_keyword_aliases(torch):
    x = torch.randn(4, 5, 6)
    return x.sum(axis=(0, 2), keepdims=True), x.mean(axis=1), torch.add(input=x, other=x)


@program
def std_var_dims_and_unbiased(torch):
    x = torch.randn(3, 5, 7, dtype=torch.float64)
    out = []
    for dims in (0, 1, 2, (1, 2), (1, -1), (0, 2, 1)):
        for unbiased in (False, True):
            out += [x.std(dims, unbiased=unbiased), x.var(dims, unbiased=unbiased)]
    out.append(x.logsumexp((0, 2)))
    return out


@program
def reduction_integer_upcast(torch):
    out = []
    x = torch.ones(3, 4, 5, dtype=torch.int16)
    for fn in (torch.sum, torch.prod):
        out += [
            fn(x).dtype,
            fn(x, 0).dtype,
            fn(x, dtype=torch.int32).dtype,
            fn(x, 0, dtype=torch.float32),
        ]
    out += [
        torch.cumsum(x, 0).dtype,
        torch.cumprod(x, 0).dtype,
        torch.cumsum(x, 0, dtype=torch.float64),
    ]
    b = torch.ones(3, dtype=torch.bool)
    out += [
        b.sum().dtype,
        b.prod().dtype,
        b.cumsum(0).dtype,
        torch.ones(2, dtype=torch.uint8).sum().dtype,
    ]
    return out


@program
def reduction_out_dtype_rules(torch):
    x = torch.ones(3, 4, dtype=torch.int32)
    out = torch.ones(4, dtype=torch.int64)
    r = torch.sum(x, 0, out=out)
    out2 = torch.ones(4, dtype=torch.float64)
    r2 = torch.sum(x, 0, out=out2, dtype=torch.float64)
    c = torch.empty(3, 4, dtype=torch.float32)
    r3 = torch.cumsum(x, 0, out=c)
    return r is out, r.dtype, r2 is out2, r2, r3.dtype, r3


@error(RuntimeError, r"Expected out tensor to have dtype")
def sum_out_dtype_conflicts_with_dtype(torch):
    x = torch.ones(3, 4, dtype=torch.int32)
    return torch.sum(x, 0, out=torch.ones(4, dtype=torch.int64), dtype=torch.int32)


@error(RuntimeError, r"linalg.cross: inputs must have the same number of dimensions")
def cross_inconsistent_dims(torch):
    return torch.cross(torch.rand(100, 3), torch.rand(100, 3, 10), dim=1)


@error(RuntimeError, r"linalg.cross: inputs dimension -1 must have length 3. Got 4 and 4")
def cross_no_size3(torch):
    return torch.linalg.cross(torch.rand(5, 4), torch.rand(5, 4))


@error(RuntimeError, r"linalg.cross: inputs dimension 0 must have length 3. Got 5 and 5")
def cross_dim_wrong_size(torch):
    return torch.cross(torch.rand(5, 4, 3), torch.rand(5, 4, 3), dim=0)


@error(IndexError, r"Dimension out of range")
def cross_dim_out_of_range(torch):
    return torch.cross(torch.rand(5, 3, 4), torch.rand(5, 3, 4), dim=-5)


# ---- factories, out=, devices, to ---------------------------------------------------------------
@program
def zeros_ones_out_and_bool_half(torch):
    res = torch.Tensor()
    r = torch.zeros(4, 5, out=res)
    o = torch.Tensor()
    torch.ones(2, 3, out=o)
    return [r is res, res, o, torch.zeros(2, 2, dtype=torch.bool), torch.zeros(1, 1, dtype=torch.half),
            torch.zeros(1, 1, dtype=torch.bfloat16).float(), torch.ones(1, 2, dtype=torch.bool),
            torch.ones_like(torch.tensor([True, False]))]  # fmt: skip


@program
def zeros_out_same_dtype_device_layout(torch):
    out = torch.zeros(3, 4)
    return [torch.zeros((3, 4), dtype=out.dtype, out=out), torch.zeros((3, 4), layout=torch.strided, out=out),
            torch.zeros((3, 4), device="cpu", out=out)]  # fmt: skip


@error(RuntimeError, r"dtype Long does not match dtype of out parameter \(Float\)")
def zeros_out_dtype_mismatch(torch):
    return torch.zeros((3, 4), dtype=torch.int64, out=torch.zeros(3, 4))


@error(RuntimeError, r"dtype Float does not match dtype of out parameter \(Double\)")
def zeros_out_dtype_mismatch_double(torch):
    return torch.zeros((2, 3), out=torch.zeros(2, 3, dtype=torch.float64), dtype=torch.float32)


@program
def dtypes_survive_deepcopy(torch):
    import copy

    dts = [torch.float32, torch.float64, torch.int64, torch.bool, torch.uint8, torch.bfloat16]
    return [copy.deepcopy(d) is d for d in dts] + [
        copy.copy(torch.device("cpu")) == torch.device("cpu")
    ]


@program
def copy_from_transposed(torch):
    x = torch.arange(100 * 100, dtype=torch.float).reshape(100, 100).t()
    y = torch.empty(100, 100)
    y.copy_(x)
    z = torch.empty(100, 100, dtype=torch.double)
    z.copy_(x)
    return y[:, 0], y[:, 40], z[:, 40], y.is_contiguous(), z.stride()


@program
def device_objects(torch):
    out = []
    for spec in ("cpu", "cpu:0", "cuda", "cuda:1", ("cpu", 0), ("cuda", 1)):
        d = torch.device(*spec) if isinstance(spec, tuple) else torch.device(spec)
        out.append((str(d), d.type, d.index, repr(d)))
    hashes = {
        hash(torch.device(s)) for s in ("cpu", "cpu:0", "cuda", "cuda:0", "cuda:1", "cuda:10")
    }
    out += [
        len(hashes),
        torch.device("cpu") == torch.device("cpu:0"),
        torch.device("cuda:0") == "cuda:0",
    ]
    return out


@error(RuntimeError, r"Device index must not be negative")
def device_negative_index(torch):
    return torch.device("cpu", -1)


@error(
    RuntimeError,
    r"Device string must not be empty|Expected one of .* device type at start of device string",
)
def device_unknown_type(torch):
    return torch.device("other")


@error(RuntimeError, r"Invalid device string: 'cuda:-1'")
def device_negative_index_in_string(torch):
    return torch.device("cuda:-1")


@error(RuntimeError, r"Device index must not be negative")
def device_negative_integer(torch):
    return torch.device(-1)


@program
def tensor_device_strings(torch):
    return [str(torch.tensor(5).device), str(torch.ones(2, 3, device="cpu:0").device),
            str(torch.tensor(torch.ones(2, 3), device="cpu:0").device),
            str(torch.tensor(np.random.randn(2, 3), device="cpu").device),
            torch.tensor(5).device == torch.device("cpu")]  # fmt: skip


@program
def to_returns_self_without_copy(torch):
    t = torch.tensor(5)
    e = torch.empty_like(t)
    return [
        t.to(t) is t, t.to(t.dtype) is t, t.to(e) is t,
        t.to(t, copy=True) is t, t.to(t.dtype, copy=True) is t, t.to(e, copy=True) is t,
        t.to("cpu") is t, t.to(t.device, t.dtype) is t, t.to("cpu", copy=True) is t,
        t.to("cpu", dtype=torch.float32).dtype, t.to(dtype=torch.float32).dtype,
        t.to("cpu").data_ptr() == t.data_ptr(),
        t.to(dtype=t.dtype, device=t.device, copy=False).data_ptr() == t.data_ptr(),
        t.to("cpu", copy=True).data_ptr() == t.data_ptr(),
        t.to(torch.tensor(1.0, dtype=torch.float64)).dtype,
    ]  # fmt: skip


@program
def to_keeps_grad_and_memory_format(torch):
    x = torch.randn(2, 3, 4, 5, requires_grad=True)
    y = x.to(torch.float64)
    z = x.to(memory_format=torch.channels_last)
    w = x.detach().to(torch.float16, copy=True)
    return (
        y.requires_grad,
        y.grad_fn is not None,
        z.stride(),
        z.is_contiguous(),
        w.dtype,
        x.to(x) is x,
    )


@error(TypeError, r"to\(\) received an invalid combination of arguments")
def to_with_bad_argument(torch):
    return torch.ones(2).to("cpu", "float")


@program
def empty_full_dtypes(torch):
    out = []
    for dtype in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
                  torch.float32, torch.float64, torch.bool, torch.bfloat16):  # fmt: skip
        e = torch.empty(2, 3, dtype=dtype)
        f = torch.full((2, 3), 1, dtype=dtype)
        el = torch.empty_like(f)
        fl = torch.full_like(f, 0)
        out.append(
            (
                e.shape,
                e.dtype,
                el.dtype,
                fl.float(),
                e.new_full((1, 2), 1).dtype,
                f.float(),
                e.new_empty((0,)).dtype,
            )
        )
    out += [torch.full((2,), 3).dtype, torch.full((2,), 3.0).dtype, torch.full((2,), True).dtype,
            torch.empty(0, 2).shape, torch.full((), 5.0)]  # fmt: skip
    return out


@program
def default_dtype_and_tensor_type_classes(torch):
    out = [torch.Tensor().dtype, torch.get_default_dtype(), torch.ByteTensor.dtype, torch.FloatTensor.dtype,
           torch.DoubleTensor.dtype, torch.LongTensor.dtype, torch.Tensor().type()]  # fmt: skip
    saved = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)
        out += [torch.get_default_dtype(), torch.Tensor().dtype, torch.tensor(1.0).dtype, torch.Tensor().type(),
                torch.arange(1.0).dtype, torch.zeros(1).dtype, torch.tensor([1, 2.0]).dtype]  # fmt: skip
    finally:
        torch.set_default_dtype(saved)
    out.append(torch.get_default_dtype())
    return out


@error(TypeError, r"only floating-point types are supported as the default type")
def set_default_dtype_integer(torch):
    return torch.set_default_dtype(torch.int64)


@program
def type_method_by_string_class_and_dtype(torch):
    x = torch.randn(3, 3).double()
    return [x.type("torch.FloatTensor").dtype, x.type(torch.FloatTensor).dtype, x.int().type(torch.Tensor).dtype,
            x.type(torch.int32).dtype, x.type(), x.int().type(), x.type(torch.float64) is x,
            x.type("torch.DoubleTensor") is x, torch.tensor([True]).type()]  # fmt: skip


@program
def tensor_factory_copies_and_bool(torch):
    expected = torch.Tensor([1, 1])
    r = torch.tensor(expected)
    r[1] = 2
    a = np.array([5.0])
    t = torch.tensor(a)
    a[0] = 7.0
    n = torch.tensor(np.array([5.0]).astype(np.int8))
    return [expected, r, torch.tensor([1, 1], dtype=torch.int), t, n, n.dtype,
            torch.tensor([-1, -1.1, 0, 1, 1.1], dtype=torch.bool)]  # fmt: skip


@program
def tensor_factory_copy_of_variable(torch):
    source = torch.randn(5, 5, dtype=torch.double, requires_grad=True)
    out = []
    for copy in (torch.tensor(source), torch.tensor(source, requires_grad=True), torch.randn(1).new_tensor(source),
                 torch.randn(1).new_tensor(source, requires_grad=True)):  # fmt: skip
        out.append((copy.is_leaf, copy.requires_grad, copy.data_ptr() == source.data_ptr(), copy))
    a = torch.as_tensor(source)
    b = torch.as_tensor(source, dtype=torch.float)
    out += [a is source, b.is_leaf, b.requires_grad, b.grad_fn is not None, b.dtype]
    return out


@program
def tensor_type_inference(torch):
    out = []
    saved = torch.get_default_dtype()
    try:
        for default in (torch.float64, torch.float32):
            torch.set_default_dtype(default)
            out += [
                torch.tensor(()).dtype, torch.tensor(5.0).dtype, torch.tensor(5).dtype, torch.tensor(True).dtype,
                torch.tensor(((7, 5), (9, 5.0))).dtype, torch.tensor(((5, 3), (3, 5))).dtype,
                torch.tensor(np.array(())).dtype, torch.tensor(np.array(5.0)).dtype,
                torch.tensor(np.array(3, dtype=np.uint8)).dtype,
                torch.tensor(((7, np.array(5)), (np.array(9), 5.0))).dtype,
                torch.tensor(((7, 5), (9, np.array(5.0)))).dtype,
                torch.tensor(((5, np.array(3)), (np.array(3), 5))).dtype,
                torch.tensor(np.float16(1)).dtype,
                torch.tensor([True, 1]).dtype, torch.tensor([1, 2.5, True]).dtype,
            ]  # fmt: skip
    finally:
        torch.set_default_dtype(saved)
    return out


@program
def new_tensor_keeps_dtype(torch):
    e = torch.ByteTensor([1, 1])
    r = e.new_tensor([1, 1])
    r2 = e.new_tensor(e)
    r2[1] = 2
    return (
        r.dtype,
        e.new_tensor([1, 1], dtype=torch.int).dtype,
        e,
        r2,
        e.new_tensor(1.5),
        e.new_tensor(np.array([5.0])),
    )


@program
def as_tensor_shares_or_copies(torch):
    x = [[0, 1], [2, 3]]
    y = torch.tensor(x)
    out = [torch.as_tensor(x), torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y) is y,
           torch.as_tensor(y, dtype=torch.float32) is y]  # fmt: skip
    for dtype in (np.float64, np.int64, np.int8, np.uint8):
        n = (np.random.rand(2, 3) * 10).astype(dtype)
        t = torch.as_tensor(n)
        t[0][0] = 25
        out.append((t.dtype, int(n[0, 0])))
    n = np.random.rand(2, 3).astype(np.float32)
    t = torch.as_tensor(n, dtype=torch.float64)
    t[0][1] = 250.8
    out.append(float(n[0, 1]) == 250.8)
    return out


@error(TypeError, r"new\(\): invalid data type 'str'")
def tensor_of_heterogeneous_list(torch):
    return torch.tensor([0, "torch"])


@error(TypeError, r"new\(\): self-referential lists are incompatible")
def tensor_of_self_referential_list(torch):
    z = [0]
    z += [z]
    return torch.tensor([[1, 2], z])


@program
def renorm_rows_and_columns(torch):
    m = torch.randn(10, 5)
    maxnorm = m.norm(2, 1).mean()
    a = m.clone().renorm_(2, 1, maxnorm)
    b = torch.renorm(m, 2, 0, maxnorm)
    c = torch.renorm(torch.randn(3, 4, 5), 1, 1, 2.0)
    d = torch.renorm(m, float("inf"), 0, 0.5)
    return a, b, c, d, a.norm(2, 0)


@error(RuntimeError, r"renorm: expected maxnorm to be >= 0")
def renorm_negative_maxnorm(torch):
    return torch.renorm(torch.randn(3, 3), 2, 0, -1.0)


@error(RuntimeError, r"renorm: non-positive-norm not supported")
def renorm_nonpositive_p(torch):
    return torch.renorm(torch.randn(3, 3), 0, 0, 1.0)


# ---- ranges -------------------------------------------------------------------------------------
@program
def range_values_and_out(torch):
    res = torch.Tensor()
    torch.range(0, 1, out=res)
    x = torch.zeros(2, 3)
    torch.range(0, 3, out=x.narrow(1, 1, 2))
    down = torch.Tensor()
    torch.range(1, 0, -1, out=down)
    return [res, x, down, torch.range(1, 1, -1), torch.range(0.6, 0.9, 0.1).shape,
            torch.range(1, 10, 0.3).shape, torch.range(1, 10, 0.3, dtype=torch.float64).shape,
            torch.range(0, 4).dtype, torch.range(0, 4, dtype=torch.int64)]  # fmt: skip


@program
def arange_values_and_out(torch):
    res = torch.Tensor()
    torch.arange(0, 1, out=res)
    x = torch.zeros(2, 3)
    torch.arange(0, 4, out=x.narrow(1, 1, 2))
    down = torch.Tensor()
    torch.arange(1, -1, -1, out=down)
    f = torch.arange(0.6, 0.89, 0.1, out=torch.FloatTensor())
    d = torch.arange(1, 10, 0.3, out=torch.DoubleTensor())
    return [res, x, down, f, d, d[29], torch.arange(0, 5, 2), torch.arange(0, 5 + 1e-6), torch.arange(0, 5 - 1e-6),
            torch.arange(10, -1 + 1e-6, -1), torch.arange(10, -1 - 1e-6, -1),
            torch.arange(-4.0, 4.0, 0.01).shape]  # fmt: skip


@error(RuntimeError, r"unsupported range: 0 -> inf")
def arange_to_infinity(torch):
    return torch.arange(0, float("inf"))


@error(RuntimeError, r"unsupported range: -5 -> nan")
def arange_to_nan(torch):
    return torch.arange(-5, float("nan"))


@error(RuntimeError, r"unsupported range: -inf -> 10")
def arange_from_minus_infinity(torch):
    return torch.arange(float("-inf"), 10)


@error(RuntimeError, r"unsupported range: nan -> 10")
def arange_from_nan(torch):
    return torch.arange(float("nan"), 10)


@error(RuntimeError, r"upper bound and lower bound inconsistent with step sign")
def arange_wrong_step_sign(torch):
    return torch.arange(0, 10, -1)


@error(RuntimeError, r"step must be nonzero")
def arange_zero_step(torch):
    return torch.arange(0, 10, 0)


@error(RuntimeError, r"unsupported operation: more than one element of the written-to tensor")
def arange_into_expanded_out(torch):
    return torch.arange(10, out=torch.empty(1).expand(10))


@program
def arange_dtype_inference(torch):
    t = torch.tensor
    return [
        torch.arange(1.0).dtype, torch.arange(t(1.0)).dtype, torch.arange(t(1.0, dtype=torch.float64)).dtype,
        torch.arange(1).dtype, torch.arange(t(1)).dtype, torch.arange(t(1, dtype=torch.int16)).dtype,
        torch.arange(1.0, 3).dtype, torch.arange(t(1.0, dtype=torch.float64), 3).dtype, torch.arange(1, 3.0).dtype,
        torch.arange(t(1, dtype=torch.int16), t(3.0)).dtype, torch.arange(1, 3, 1.0).dtype,
        torch.arange(t(1), t(3, dtype=torch.int16), t(1.0, dtype=torch.float64)).dtype,
        torch.arange(1, 3).dtype, torch.arange(t(1), 3).dtype, torch.arange(t(1), t(3, dtype=torch.int16)).dtype,
        torch.arange(t(1), t(3), t(1, dtype=torch.int16)).dtype, torch.arange(np.int32(5)).dtype,
        torch.arange(np.float32(2.5)).dtype,
    ]  # fmt: skip


@program
def randint_dtype_inference(torch):
    out = []
    for args in ((3,), (1, 3)):
        f = torch.empty((2, 1), dtype=torch.float32)
        i = torch.empty((2, 1), dtype=torch.int64)
        out += [
            torch.randint(*args, size=(2, 1)).dtype,
            torch.randint(*args, size=(2, 1), layout=torch.strided).dtype,
            torch.randint(*args, size=(2, 1), generator=torch.default_generator).dtype,
            torch.randint(*args, size=(2, 1), dtype=torch.float32).dtype,
            torch.randint(*args, size=(2, 1), out=f).dtype,
            torch.randint(*args, size=(2, 1), out=i, dtype=torch.int64).dtype,
        ]
    return out


@program
def random_factories_out_match_return(torch):
    torch.manual_seed(1)
    a = torch.rand(5, 5)
    torch.manual_seed(1)
    b = torch.Tensor()
    torch.rand(5, 5, out=b)
    torch.manual_seed(1)
    c = torch.randint(0, 6, (5, 5))
    torch.manual_seed(1)
    d = torch.randint(6, (5, 5))
    torch.manual_seed(1)
    e = torch.randn(5, 5)
    torch.manual_seed(1)
    f = torch.Tensor()
    torch.randn(5, 5, out=f)
    return a, b, c, d, e, f, torch.equal(a, b), torch.equal(c, d), torch.equal(e, f)


@program
def logspace_cases(torch):
    x = torch.zeros(2, 3)
    torch.logspace(0, 3, 4, out=x.narrow(1, 1, 2))
    res = torch.Tensor()
    torch.logspace(0.2, 0.9, 7, out=res)
    return [x, res, torch.logspace(0, 1, 1), torch.logspace(1, 1, 1, 2), torch.logspace(0, 2, 3, 2),
            torch.logspace(1, 0, 2), torch.logspace(0, 1, 0).shape]  # fmt: skip


@error(RuntimeError, r"number of steps must be non-negative")
def logspace_negative_steps(torch):
    return torch.logspace(0, 1, -1)


# ---- broadcasting, copy_ ------------------------------------------------------------------------
@program
def broadcast_with_empty_tensors(torch):
    return [
        (torch.randn(0) + torch.randn(5, 0)).shape,
        (torch.randn(0) + torch.randn(5, 0, 1)).shape,
        (torch.randn(()) + torch.randn(5, 0, 6)).shape,
        (torch.randn(0) + torch.randn(1)).shape,
        (torch.randn(0, 7, 0, 6, 5, 0, 1) + torch.randn(1, 1, 5, 1, 7)).shape,
    ]


@error(
    RuntimeError,
    r"The size of tensor a \(0\) must match the size of tensor b \(5\) at non-singleton dimension 1",
)
def broadcast_empty_mismatch(torch):
    return torch.randn(5, 0) + torch.randn(0, 5)


@error(
    RuntimeError,
    r"The size of tensor a \(7\) must match the size of tensor b \(2\) at non-singleton dimension 0",
)
def broadcast_empty_with_nonempty_mismatch(torch):
    return torch.randn(7, 0) + torch.randn(2, 1)


@program
def addcmul_with_zero_dim_value(torch):
    x = torch.tensor(2.0)
    y = torch.tensor(3.0)
    return y.addcmul(y, y, value=x), torch.addcdiv(y, y, x, value=x), y.add(y, alpha=x)


@program
def copy_broadcasts_source(torch):
    a = torch.zeros(5, 6)
    r = a.copy_(torch.arange(6.0))
    b = torch.zeros(2, 3, dtype=torch.int64).copy_(torch.tensor([1.7, -2.6, 3.2]))
    c = torch.zeros(3, dtype=torch.bool).copy_(torch.tensor([0.0, 0.1, -2.0]))
    d = torch.zeros(2, 2).copy_(torch.tensor(5))
    return r is a, a, b, c, d


@error(
    RuntimeError,
    r"The size of tensor a \(6\) must match the size of tensor b \(30\) at non-singleton dimension 1",
)
def copy_from_wrong_numel(torch):
    return torch.zeros(5, 6).copy_(torch.zeros(30))


@error(
    RuntimeError, r"unsupported operation: more than one element of the written-to tensor refers"
)
def copy_into_expanded(torch):
    return torch.zeros(1, 6).expand(5, 6).copy_(torch.zeros(5, 6))


@error(
    RuntimeError, r"unsupported operation: more than one element of the written-to tensor refers"
)
def inplace_add_into_expanded(torch):
    return torch.zeros(1, 6).expand(5, 6).add_(1)


# ---- sort / topk / median / mode ----------------------------------------------------------------
@program
def sort_with_out_and_nans(torch):
    x = torch.rand(4, 4)
    x[1][2] = nan
    x[3][0] = nan
    v, i = torch.Tensor(), torch.LongTensor()
    r = torch.sort(x, out=(v, i))
    v2, i2 = torch.Tensor(), torch.LongTensor()
    torch.sort(x, 1, True, out=(v2, i2))
    d = torch.floor(torch.rand(4, 4) * 10)
    return [r, v, i, v2, i2, torch.argsort(x), x.argsort(x.dim() - 1, True), torch.sort(d, stable=True),
            torch.sort(torch.Tensor((50, 40, 30, 20, 10)))[0], type(r).__name__, r[0] is v]  # fmt: skip


@program
def topk_on_transposed_and_with_sort(torch):
    t = torch.rand(3, 4, 5)
    out = []
    for tt in (t, t.transpose(0, 2), t.transpose(1, 2)):
        for dim in range(3):
            for largest in (True, False):
                k = min(2, tt.size(dim))
                out.append(tt.topk(k, dim, largest, True))
    return out


@error(TypeError, r"topk\(\): argument 'dim' \(position 2\) must be int, not bool")
def topk_bool_as_dim(torch):
    return torch.randn(10, 2, 10).topk(4, True)


@program
def median_and_out(torch):
    out = []
    for size in (15, 16):
        x = torch.rand(size, size)
        v, i = torch.Tensor(), torch.LongTensor()
        torch.median(x, dim=-1, keepdim=False, out=(v, i))
        out += [torch.median(x), torch.median(x, dim=1), v, i, torch.median(x, 0, keepdim=True)]
    return out


@program
def mode_last_index_and_out(torch):
    x = torch.arange(1.0, 17).clone().resize_(4, 4)
    x[:2] = 1
    x[:, :2] = 1
    v, i = torch.Tensor(), torch.LongTensor()
    torch.mode(x, keepdim=False, out=(v, i))
    return torch.mode(x), v, i, torch.mode(x, 0, False), x


@program
def tril_triu_indices(torch):
    x = torch.ones(3, 3, dtype=torch.long)
    out = [x.tril(0).nonzero().transpose(0, 1), torch.tril_indices(3, 3), torch.triu_indices(3, 3)]
    for args in (
        (1, 1),
        (3, 3, 1),
        (3, 3, -1),
        (4, 3, 2),
        (3, 4, -2),
        (0, 3),
        (5, 0, 1),
        (3, 6, -10),
        (3, 6, 10),
    ):
        out += [torch.tril_indices(*args), torch.triu_indices(*args)]
    out.append(torch.tril_indices(3, 3, dtype=torch.int32).dtype)
    y = torch.ones(3, 1, 3, 3, dtype=torch.long)
    out += [y.triu(2).expand(3, 3, 3, 3), y.clone().expand(3, 3, 3, 3).triu(2)]
    return out


@error(
    RuntimeError, r"unsupported operation: more than one element of the written-to tensor refers"
)
def triu_inplace_on_expanded(torch):
    return torch.ones(3, 1, 3, 3).expand(3, 3, 3, 3).triu_(2)


@program
def narrow_negative_starts(torch):
    x = torch.Tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    return [x.narrow(0, 0, 1), x.narrow(0, 1, 1), x.narrow(0, -1, 1), x.narrow(0, -2, 2), x.narrow(0, -3, 3),
            x.narrow(-1, -1, 1), x.narrow(-2, -1, 1), x.narrow(1, torch.tensor(1), 2)]  # fmt: skip


@error(RuntimeError, r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)\.")
def narrow_past_end(torch):
    return torch.zeros(3, 3).narrow(0, 2, 2)


@error(IndexError, r"start out of range \(expected to be in range of \[-3, 3\], but got -4\)")
def narrow_start_out_of_range(torch):
    return torch.zeros(3, 3).narrow(0, -4, 1)


@program
def stack_dims_and_out(torch):
    out = []
    for dtype in (torch.half, torch.double, torch.int):
        x, y, z = (torch.randint(-100, 100, (2, 3, 4)).to(dtype) for _ in range(3))
        for dim in range(4):
            res = torch.stack((x, y, z), dim)
            o = x.new(res.shape)
            ptr = o.data_ptr()
            torch.stack((x, y, z), dim - 4, out=o)
            out += [res.float(), torch.equal(res, o), o.data_ptr() == ptr]
    return out


@program
def unbind_all_dims(torch):
    x = torch.rand(2, 3, 4, 5)
    return [torch.unbind(x, d) for d in range(4)] + [x.unbind(-1), type(x.unbind(0)).__name__]


@program
def slicing_clamps_and_empties(torch):
    x = torch.arange(0.0, 16).view(4, 4)
    return [x[:], x[:4], x[:5], x[2:1], x[2:2], x[10:12], x[:1].tolist(), x[:-3].tolist(), x[:, -2:3].tolist(),
            x[0:-1:2].tolist(), x[-100:100], x[3:-5], x[1:][1:]]  # fmt: skip


@error(ValueError, r"step must be greater than zero")
def slicing_negative_step(torch):
    return torch.arange(5)[::-1]


# ---- predicates, RNG state ----------------------------------------------------------------------
@program
def isfinite_isinf_isnan(torch):
    x = torch.Tensor([1, inf, 2, -inf, nan, -10])
    i = torch.tensor([1, 2, 3])
    return [torch.isfinite(x), torch.isinf(x), torch.isnan(x), torch.isfinite(i), torch.isinf(i), torch.isnan(i),
            torch.isposinf(x), torch.isneginf(x), torch.isfinite(torch.tensor([True]))]  # fmt: skip


@error(TypeError, r"isfinite\(\): argument 'input' \(position 1\) must be Tensor, not int")
def isfinite_of_int(torch):
    return torch.isfinite(1)


@error(TypeError, r"isinf\(\): argument 'input' \(position 1\) must be Tensor, not int")
def isinf_of_int(torch):
    return torch.isinf(1)


@program
def rng_state_roundtrip(torch):
    state = torch.get_rng_state()
    cloned = state.clone()
    before = torch.rand(100)
    torch.set_rng_state(state)
    after = torch.rand(100)
    gen = torch.Generator()
    gen.set_state(torch.get_rng_state())
    target = torch.rand(50)
    torch.rand(1000)
    forked = torch.rand(50, generator=gen)
    torch.manual_seed(123)
    seeded = torch.randn(101)
    st = torch.get_rng_state()
    mid = torch.randn(101)
    torch.set_rng_state(st)
    again = torch.randn(101)
    return [state.dtype, state.shape, torch.equal(state, cloned), torch.equal(before, after),
            torch.equal(target, forked), torch.equal(mid, again), seeded, torch.initial_seed()]  # fmt: skip


@program
def numel_nelement(torch):
    b = torch.ByteTensor(3, 10, 10)
    return b.nelement(), b.numel(), b.dtype, torch.zeros(0, 3).numel(), torch.tensor(1).nelement()


@program
def inplace_on_slices_of_empty(torch):
    t = torch.from_numpy(np.empty((0, 4)))
    t[:, 1::2] *= 1
    return t, t[:, 1::2].shape


@program
def none_and_ellipsis_indexing_like_numpy(torch):
    x1 = torch.arange(0, 10)
    x2 = torch.arange(0, 12).view(3, 4)
    E = Ellipsis
    cases1 = [(None,), (None, None), (E, None), (None, E), (2, None), (None, 2), (E, None, 2), (E, 2, None),
              (2, E, None), (2, None, E), (None, 2, E), (None, E, 2)]  # fmt: skip
    cases2 = [(None, None, None), (E, None, None), (None, E, None), (2, None, E), (E, 2, None), (E, None, 2),
              (1, 2, None), (1, 2, E, None), (1, E, 2, None), (E, 1, None, 2), (1, None, 2, E), (None, 1, E, 2)]  # fmt: skip
    return [(x1[c], x1.numpy()[c].shape) for c in cases1] + [
        (x2[c], x2.numpy()[c].shape) for c in cases2
    ]


@program
def partial_assignment_by_index(torch):
    out = []
    for index in (
        0,
        1,
        2,
        (0, 1),
        (1, 2),
        (0, 2),
        torch.LongTensor((0, 2)),
        [0, 2],
        (slice(None), 1),
    ):
        ref = torch.zeros(3, 3, 3)
        seq = torch.arange(1.0, 28).view(3, 3, 3)
        ref[index] = seq[index]
        out.append(ref.clone())
        ref[index] = 0
        out.append(ref.abs().sum())
    return out


@error(IndexError, r"too many indices for tensor of dimension 3")
def setitem_too_many_indices(torch):
    x = torch.zeros(3, 3, 3)
    x[1, 1, 1, 1] = 1


@error(IndexError, r"too many indices for tensor of dimension 3")
def setitem_too_many_indices_with_tuple(torch):
    x = torch.zeros(3, 3, 3)
    x[1, 1, 1, (1, 1)] = 1


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`\.\.\.`\), None and long or byte Variables",
)
def setitem_float_index(torch):
    x = torch.zeros(3, 3, 3)
    x[0.0] = 1


@error(TypeError, r"slice indices must be integers or None or have an __index__ method")
def setitem_float_slice(torch):
    x = torch.zeros(3, 3, 3)
    x[0.0:2.0] = 1


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`\.\.\.`\), None and long or byte Variables",
)
def setitem_float_with_ellipsis(torch):
    x = torch.zeros(3, 3, 3)
    x[0.0, ..., 0.0:2.0] = 1


@error(
    IndexError,
    r"only integers, slices \(`:`\), ellipsis \(`\.\.\.`\), None and long or byte Variables",
)
def getitem_float_and_slice(torch):
    return torch.zeros(3, 3, 3)[0.0, :, 0.0]


@program
def index_add_matches_loop(torch):
    dest = torch.randn(3, 4, 5)
    src = torch.randn(3, 4, 5)
    idx = torch.randperm(3)
    a = dest.clone().index_add_(0, idx, src)
    b = dest.clone().index_add_(1, torch.tensor([0, 0, 3]), src[:, :3], alpha=2)
    c = torch.index_add(dest, 2, torch.tensor([4, 4]), src[..., :2])
    return a, b, c


@program
def transpose_t_of_small_dims(torch):
    s = torch.randn(())
    v = torch.arange(4)
    m = torch.rand(2, 2)
    return (
        s.t(),
        v.t(),
        torch.equal(m.t(), m.transpose(0, 1)),
        m.T.stride(),
        v.T,
        s.T,
    )


@error(RuntimeError, r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D")
def t_of_3d(torch):
    return torch.rand(2, 2, 2).t()


@program
def take_and_put(torch):
    src = torch.randn(2, 3, 5)
    idx = torch.LongTensor([[0, 2], [3, 4]])
    dst = torch.randn(2, 3, 5)
    d2 = dst.transpose(1, 2).clone()
    d3 = dst.transpose(1, 2)
    vals = torch.randn(2, 2)
    acc = torch.ones(2, 2)
    acc.put_(torch.LongTensor([[0, 1], [0, 1]]), torch.Tensor([1, 2, 3, 4]), accumulate=True)
    b = dst.bool()
    b.put_(idx, torch.tensor([[False, False], [False, False]]))
    return [src.take(idx), src.transpose(1, 2).take(idx), src.bool().take(idx), dst.clone().put_(idx, vals),
            d2.put_(idx, vals), d3.put_(idx, vals), dst, acc, b, torch.take(src, torch.tensor(-1))]  # fmt: skip


@error(IndexError, r"out of range: tried to access index 30 on a tensor of 30 elements")
def take_out_of_range(torch):
    return torch.randn(2, 3, 5).take(torch.tensor([30]))


@program
def flatten_ranges(torch):
    z = torch.tensor(123)
    src = torch.randn(5, 5, 5, 5)
    return [z.flatten(), z.flatten().shape, src.flatten(0, -1).shape, src.flatten(0, 2).shape, src.flatten(1, 2).shape,
            src.flatten(-2, -1).shape, src.flatten(2, 2) is src, z.flatten(0, -1).shape,
            src.flatten(0, 1).data_ptr() == src.data_ptr(), src.transpose(0, 1).flatten(1, 2).is_contiguous()]  # fmt: skip


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-4, 3\], but got 5\)")
def flatten_out_of_range(torch):
    return torch.randn(5, 5, 5, 5).flatten(5, 10)


@error(RuntimeError, r"flatten\(\) has invalid args: start_dim cannot come after end_dim")
def flatten_start_after_end(torch):
    return torch.randn(5, 5, 5, 5).flatten(2, 0)


@program
def gather_matches_max_and_bool(torch):
    src = torch.randn(3, 4, 5)
    v, i = src.max(2, True)
    t = torch.tensor([[False, True], [True, True]])
    return (
        torch.gather(src, 2, i),
        v,
        torch.gather(t, 1, torch.tensor([[0, 0], [1, 0]])),
        src.gather(0, i[:2, :, :1] % 3),
    )


@error(RuntimeError, r"index 23 is out of bounds for dimension 0 with size 3")
def gather_out_of_bounds(torch):
    return torch.gather(torch.randn(3, 4), 0, torch.tensor([[23]]))


@program
def scatter_scatter_add_and_fill(torch):
    base = torch.randn(4, 5)
    idx = torch.tensor([[0, 1, 2, 3, 0], [1, 2, 3, 0, 1]])
    src = torch.randn(2, 5)
    return [base.clone().scatter_(0, idx, src), base.clone().scatter_add_(0, idx, src),
            base.clone().scatter_(0, idx, 0.5), base.clone().scatter_(1, idx[:, :2], src),
            base.clone().scatter_(0, torch.LongTensor(), src), base.clone().scatter_add_(0, torch.LongTensor(), src),
            base.clone().scatter_(0, idx, src, reduce="add"), base.clone().scatter_(0, idx, 2.0, reduce="multiply")]  # fmt: skip


@error(RuntimeError, r"index 34 is out of bounds for dimension 0 with size 4")
def scatter_out_of_bounds(torch):
    return torch.randn(4, 5).scatter_(0, torch.tensor([[34]]), torch.randn(1, 1))


@error(RuntimeError, r"index 34 is out of bounds for dimension 0 with size 4")
def scatter_add_out_of_bounds(torch):
    return torch.randn(4, 5).scatter_add_(0, torch.tensor([[34]]), torch.randn(1, 1))


@program
def masked_scatter_dtypes(torch):
    out = []
    mask = torch.tensor((0, 0, 0, 0, 1, 0, 1, 0, 1, 0), dtype=torch.bool)
    for dt in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float32, torch.float64,
               torch.float16):  # fmt: skip
        dest = torch.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dtype=dt)
        a = dest.clone().masked_scatter_(mask, torch.arange(10, 20).to(dt))
        out.append(a.double())
    b = torch.tensor([True, False, True]).masked_scatter(
        torch.tensor([True, True, False]), torch.tensor([False, True])
    )
    out.append(b)
    return out


@error(
    RuntimeError,
    r"masked_scatter: expected source to have at least as many elements as the number of ones|Number of elements of source < number of ones in mask",
)
def masked_scatter_small_source(torch):
    mask = torch.tensor((0, 0, 0, 0, 1, 0, 1, 0, 1, 0), dtype=torch.bool)
    return torch.zeros(10).masked_scatter_(mask, torch.randn(2))


@program
def masked_fill_dtypes_and_noncontiguous(torch):
    out = []
    for dt in (
        torch.uint8,
        torch.int64,
        torch.float16,
        torch.float32,
        torch.float64,
        torch.bool,
        torch.bfloat16,
    ):
        dst = torch.zeros(10, dtype=dt)
        mask = torch.rand(10).mul(2).floor().bool()
        out.append(dst.masked_fill_(mask, 0.7 if dt.is_floating_point else 1).double())
    d = torch.randn(5, 5, 5).permute((2, 0, 1))
    d2 = d.clone()
    d.masked_fill_(d > 0, 0.5)
    d2.masked_fill_(d2 > 0, 0.5)
    out += [
        d,
        torch.equal(d, d2),
        d.stride(),
        torch.zeros(3).masked_fill(torch.tensor([True, False, True]), torch.tensor(2.0)),
    ]
    return out


@error(
    RuntimeError, r"masked_fill_ only supports boolean masks, but got mask with dtype unsigned char"
)
def masked_fill_uint8_mask(torch):
    return torch.zeros(3).masked_fill_(torch.tensor([1, 0, 1], dtype=torch.uint8), 1.0)


@error(
    RuntimeError,
    r"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension",
)
def masked_fill_vector_value(torch):
    return torch.zeros(3).masked_fill_(torch.tensor([True, False, True]), torch.tensor([1.0, 2.0]))


@program
def abs_of_all_kinds(torch):
    big = 2**31 + 1
    z = torch.tensor([0.0, -0.0])
    return [torch.LongTensor((-big,)).abs(), torch.tensor([-3, 0, 5], dtype=torch.int8).abs(),
            torch.tensor([1, 200], dtype=torch.uint8).abs(), [math.copysign(1.0, v) for v in z.abs().tolist()],
            [math.copysign(1.0, v) for v in torch.abs(-torch.zeros(100, dtype=torch.double)).tolist()][:3],
            torch.tensor([-128], dtype=torch.int8).abs(), torch.randn(3, 4, 5).transpose(0, 2).abs()]  # fmt: skip


@program
def var_std_unbiased_defaults(torch):
    t = torch.randn(100)
    a = torch.FloatTensor([1.0, 2.0])
    b = torch.FloatTensor([1.0, 2.0, 3.0])
    c = torch.FloatTensor([2281.5, 2281.25])
    return [t.var(0), t.var(0, unbiased=True), t.var(unbiased=False), t.std(), t.std(0, unbiased=False),
            a.var(unbiased=True), a.var(unbiased=False), b.var(), b.var(unbiased=False), c.var(dim=0), c.var(),
            torch.tensor([1.0]).var(), torch.tensor([1.0]).std(unbiased=False), t.var(correction=3)]  # fmt: skip


@program
def return_types_repr(torch):
    a = torch.arange(24).reshape(2, 3, 4)
    return [repr(a.max(1)), repr(a.min(2)), repr(torch.sort(torch.tensor([3, 1, 2]))),
            repr(torch.tensor([1.0, 2.0]).max(0)), str(a.float().median(0))]  # fmt: skip


@program
def view_and_reshape_empty_and_scalars(torch):
    x = torch.randn(3, 3)
    y = torch.randn(4, 4, 4)[:, 0, :]
    s = torch.randn(())
    e = torch.tensor([])
    return [
        torch.randn(0, 6).view(1, 0, 6, 1, 1).shape, torch.randn(0, 6).reshape(1, 0, 6, 1, 1).shape,
        x.reshape(-1).data_ptr() == x.data_ptr(), x.reshape(1, 9, 1).data_ptr() == x.data_ptr(),
        y.reshape(-1).data_ptr() == y.data_ptr(), y.reshape(2, 2, 4).data_ptr() == y.data_ptr(),
        s.reshape(()).data_ptr() == s.data_ptr(), s.reshape(-1).shape, e.reshape(-1), e.reshape([0, 1]).shape,
        e.reshape([1, -1]).shape, x.reshape_as(torch.rand(1, 9, 1)).data_ptr() == x.data_ptr(),
        torch.randn(0, 6).view(-1, 6, 1).shape,
    ]  # fmt: skip


@error(RuntimeError, r"only one dimension can be inferred")
def reshape_two_minus_ones(torch):
    return torch.randn(3, 3).reshape(-1, -1)


@error(RuntimeError, r"shape '\[2\]' is invalid for input of size 1")
def reshape_scalar_to_two(torch):
    return torch.randn(()).reshape(2)


@error(RuntimeError, r"shape '\[1\]' is invalid for input of size 0")
def reshape_empty_to_one(torch):
    return torch.tensor([]).reshape(1)


@error(RuntimeError, r"shape '\[10\]' is invalid for input of size 9")
def reshape_as_wrong_numel(torch):
    return torch.randn(3, 3).reshape_as(torch.rand(10))


@error(
    RuntimeError,
    r"cannot reshape tensor of 0 elements into shape \[0, -1\] because the unspecified dimension size -1 can be any value and is ambiguous",
)
def view_empty_ambiguous(torch):
    return torch.randn(0, 6).view(0, -1)


@error(NotImplementedError, r"\"abs_cpu\" not implemented for 'Bool'")
def abs_of_bool(torch):
    return torch.tensor([True, False]).abs()
