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
