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


# ---- matmul, expand, repeat, set_, equal, sizes --------------------------------------------------
@program
def matmul_integer_layouts_with_out(torch):
    out = []
    for m, p, o in ((1, 3, 2), (3, 1, 4), (4, 2, 1)):
        for x, y in (
            (torch.arange(m), torch.arange(o * m * p).reshape(o, m, p)),
            (torch.arange(m), torch.arange(o * p * m).reshape(o, p, m).transpose(-1, -2)),
            (torch.arange(2 * m)[::2], torch.arange(o * m * 2 * p).reshape(o, m, 2 * p)[:, :, ::2]),
            (torch.arange(2 * m).reshape(2, m), torch.arange(3 * o * m * p).reshape(3, o, m, p)),
            (
                torch.arange(m * 2).reshape(m, 2).t(),
                torch.arange(o * p * m).reshape(o, p, m).transpose(-1, -2),
            ),
        ):
            r = torch.matmul(x, y)
            o_ = torch.zeros(r.shape, dtype=torch.int64)
            ans = torch.matmul(x, y, out=o_)
            out += [r, r.is_contiguous(), ans is o_, ans.is_contiguous()]
    return out


@program
def expand_cases(torch):
    t = torch.rand(1, 8, 1)
    t2 = torch.rand(5)
    template = torch.rand(4, 8, 5)
    nc = torch.randn(5, 2, 1, 3)[:, 0]
    e = t2.expand(1, 1, 5)
    u = t2.unsqueeze(0).unsqueeze(1)
    return [t.expand_as(template).shape, t.expand(4, 8, 5).stride(), t.expand(template.size()).shape,
            t2.expand_as(template).stride(), t2.expand(1, 5).expand(2, 2, 5), t2.repeat(2, 2, 1),
            nc.expand(2, 5, 4, 3), nc.contiguous().repeat(2, 1, 4, 1), e.stride(), u.stride(),
            t.expand(4, -1, 5).shape, torch.zeros(0).expand((0,)), e.is_contiguous()]  # fmt: skip


@error(
    RuntimeError,
    r"The expanded size of the tensor \(-1\) isn't allowed in a leading, non-existing dimension 0",
)
def expand_minus_one_leading(torch):
    return torch.rand(5).expand(-1, -1)


@error(
    RuntimeError,
    r"the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)",
)
def expand_fewer_sizes(torch):
    return torch.rand(2, 3).expand(3)


@program
def repeat_and_tile(torch):
    x = torch.rand(8, 4)
    nc = torch.from_numpy(np.broadcast_to(torch.rand(1, 4, dtype=torch.float64).numpy(), (8, 4)))
    out = [
        x.repeat(3, 1, 1).shape,
        x.repeat(torch.Size((3, 1, 1))).shape,
        x.repeat(3, 1, 1).mean(0),
        x.repeat((3, 0)).shape,
    ]
    for rep in ((3, 1, 1), (3, 3, 3), (1, 2, 1), (2, 2, 2, 2)):
        out += [nc.repeat(*rep), x.tile(rep).shape, nc.tile(rep[1:])]
    return out


@error(
    RuntimeError,
    r"Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
)
def repeat_fewer_dims(torch):
    return torch.rand(8, 4).repeat(2)


@program
def repeat_interleave_cases(torch):
    y = torch.tensor([[1, 2], [3, 4]])
    e = torch.tensor([], dtype=torch.int64)
    return [torch.repeat_interleave(torch.tensor([0, 1, 2, 3])), torch.repeat_interleave(y, 2),
            torch.repeat_interleave(y, torch.tensor(2)), torch.repeat_interleave(y, torch.tensor([2])),
            torch.repeat_interleave(y, 3, dim=1), torch.repeat_interleave(y, torch.tensor([1, 2]), dim=0),
            torch.repeat_interleave(torch.zeros((5, 0)), repeats=3, dim=1), torch.repeat_interleave(e, e),
            y.repeat_interleave(2, dim=0, output_size=4)]  # fmt: skip


@error(RuntimeError, r"repeat_interleave only accept 1D vector as repeat")
def repeat_interleave_2d_repeats(torch):
    return torch.repeat_interleave(torch.arange(4).reshape(2, 2))


@error(RuntimeError, r"\"repeat_interleave_cpu\" not implemented for 'Float'")
def repeat_interleave_float_repeats(torch):
    return torch.repeat_interleave(torch.arange(4.0))


@error(RuntimeError, r"repeats can not be negative")
def repeat_interleave_negative(torch):
    return torch.repeat_interleave(torch.tensor([1, 2, -1, 3, 4]))


@error(
    RuntimeError,
    r"repeats must have the same size as input along dim, but got repeats\.size\(0\) = 3 and input\.size\(0\) = 2",
)
def repeat_interleave_wrong_length(torch):
    return torch.repeat_interleave(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, 2, 3]), dim=0)


@program
def is_same_size_and_equal(torch):
    t1 = torch.Tensor(3, 4, 9, 10)
    s = torch.Tensor(((1, 2, 3, 4), (5, 6, 7, 8)))
    s1 = s[:, 1:3]
    a = torch.Tensor((3, 4, 9, 10))
    return [t1.is_same_size(torch.Tensor(3, 4)), t1.is_same_size(torch.Tensor(3, 4, 9, 10)),
            a.equal(a.contiguous()), a.equal(torch.Tensor((1, 9, 3, 10))), a.equal(torch.Tensor((3, 4, 9))),
            torch.equal(a, torch.Tensor()), s1.equal(s1.clone()), torch.equal(s1, torch.Tensor(((2, 3), (6, 7)))),
            torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])), torch.equal(torch.tensor([nan]), torch.tensor([nan])),
            torch.equal(torch.ones(2, 1), torch.ones(2))]  # fmt: skip


@program
def set_from_tensor_and_storage(torch):
    t2 = torch.Tensor(3, 4, 9, 10).uniform_()
    t1 = torch.Tensor()
    t1.set_(t2)
    out = [t1.data_ptr() == t2.data_ptr(), t1.shape]
    size = torch.Size([9, 3, 4, 10])
    t1.set_(t2, 0, size)
    out += [t1.size(), t1.stride()]
    t1.set_(t2, 0, tuple(size), (10, 360, 90, 1))
    out += [t1.stride(), t1[1, 2]]
    t1.set_(source=t2, storage_offset=4, size=(2, 2), stride=(2, 1))
    out += [t1, t1.storage_offset()]
    b1 = torch.tensor([True, True])
    b1.set_(torch.tensor([False, False, True]))
    out += [b1, torch.Tensor().set_().shape]
    return out


@error(
    RuntimeError,
    r"Could not set tensor of type double to a tensor of type float",
)
def set_from_other_dtype(torch):
    return torch.randn(2, 3).set_(torch.randn(2, 3, dtype=torch.float64))


@program
def element_sizes(torch):
    dts = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16, torch.float32,
           torch.float64, torch.bool, torch.bfloat16)  # fmt: skip
    return [(torch.empty(0, dtype=d).element_size(), d.itemsize) for d in dts] + [
        torch.ByteTensor().element_size(), torch.LongTensor().element_size(), torch.BoolTensor().element_size(),
    ]  # fmt: skip


@program
def split_and_chunk(torch):
    t = torch.rand(7, 4)
    u = torch.randn(20, 10)
    v = torch.rand(4, 7)
    return [t.split(3, 0), u.split([5, 5, 10], 0), u.split([2, 2, 6], 1), v.chunk(3, 1), torch.rand(5).chunk(3),
            torch.rand(6).chunk(4), torch.rand(0).chunk(2), t.split(10), torch.split(u, (10, 10))]  # fmt: skip


@error(RuntimeError, r"chunk expects `chunks` to be greater than 0, got: 0")
def chunk_zero(torch):
    return torch.rand(4, 7).chunk(0)


@error(RuntimeError, r"chunk expects `chunks` to be greater than 0, got: -2")
def chunk_negative(torch):
    return torch.rand(4, 7).chunk(-2)


@error(
    RuntimeError,
    r"split_with_sizes expects split_sizes to sum exactly to 20 \(input tensor's size at dimension 0\), but got split_sizes=\[5, 5\]",
)
def split_sizes_not_summing(torch):
    return torch.randn(20, 10).split([5, 5], 0)


@program
def tolist_and_permute_and_reversed(torch):
    t3 = torch.Tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    x = torch.Tensor(1, 2, 3, 4, 5, 6, 7).fill_(0)
    perm = [3, 0, 6, 1, 5, 2, 4]
    return [torch.Tensor([]).tolist(), torch.Tensor([1, 2, 3]).tolist(), t3.select(1, 1).tolist(),
            torch.tensor(3).tolist(), torch.tensor([True]).tolist(), torch.tensor([1], dtype=torch.int8).tolist(),
            x.permute(*perm).shape, x.permute(perm).stride(), reversed(torch.arange(0, 10)),
            reversed(torch.arange(1, 10).view(3, 3)), reversed(torch.tensor(42))]  # fmt: skip


@error(
    RuntimeError,
    r"permute\(sparse_coo\): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions|number of dims don't match in permute",
)
def permute_wrong_length(torch):
    return torch.rand(2, 3).permute(0)


@error(RuntimeError, r"repeated dim in permute|permute\(\): duplicate dims are not allowed")
def permute_repeated_dim(torch):
    return torch.rand(2, 3).permute(0, 0)


@program
def contains_values_and_rows(torch):
    x = torch.arange(0, 10)
    m = torch.arange(1, 10).view(3, 3)
    v = torch.arange(1, 4)
    return [
        4 in x,
        12 in x,
        v in m,
        (v + 10) in m,
        4.0 in x,
        torch.tensor(3) in x,
        True in torch.tensor([True]),
    ]


@error(
    RuntimeError,
    r"Tensor.__contains__ only supports Tensor or scalar, but you passed in a <class 'str'>\.",
)
def contains_string(torch):
    return "foo" in torch.arange(3)


@error(
    RuntimeError,
    r"Tensor.__contains__ only supports Tensor or scalar, but you passed in a <class 'list'>\.",
)
def contains_list(torch):
    return [1, 2] in torch.arange(3)


@program
def storage_indexing_and_deepcopy_sharing(torch):
    import copy

    v = torch.randn(3, 5)
    a = torch.randn(5, 5)
    b = torch.randn(5, 5)
    c = a.view(25)
    q = [a, b, c, a[1:]]
    w = copy.deepcopy(q)
    w[0].add_(1)
    s = torch.tensor(5)
    return [v.untyped_storage().nbytes(), v.storage_offset(), w[2], w[3], w[2].data_ptr() == w[0].data_ptr(),
            w[3].storage_offset(), torch.equal(w[1], b), copy.deepcopy(s), copy.deepcopy(s).shape,
            w[3]._base is w[0] if False else w[3].is_contiguous()]  # fmt: skip


@program
def deepcopy_keeps_parameter_type(torch):
    import copy

    lin = torch.nn.Linear(10, 1)
    s = lin.state_dict(keep_vars=True)
    s2 = copy.deepcopy(s)
    return [type(s["weight"]).__name__, type(s2["weight"]).__name__, type(s2["bias"]).__name__,
            s2["weight"].requires_grad, s2["weight"].grad_fn is None]  # fmt: skip


@program
def pickle_tensors_parameters_dtypes_sizes(torch):
    import pickle

    a = torch.randn(5, 5)
    p = torch.nn.Parameter(torch.randn(2, 2))
    pn = torch.nn.Parameter(torch.randn(2, 2), requires_grad=False)
    b, q, qn = (pickle.loads(pickle.dumps(o)) for o in (a, p, pn))
    d = pickle.loads(pickle.dumps(torch.float32))
    sz = pickle.loads(pickle.dumps(torch.rand(10).size()))
    dev = pickle.loads(pickle.dumps(torch.device("cpu")))
    return [b, type(q).__name__, q.requires_grad, type(qn).__name__, qn.requires_grad, d is torch.float32,
            type(sz).__name__, sz, dev, pickle.loads(pickle.dumps(a[1:, ::2])).stride()]  # fmt: skip


@program
def norm_fast_and_slow_paths(torch):
    x = torch.randn(3, 5)
    return [torch.norm(x, 4.5, 1), torch.norm(x, 0, 1), torch.norm(x, 1, 1), torch.norm(x, 2, 1), torch.norm(x, 3, 1),
            torch.norm(x, float("inf"), 1), torch.norm(x, -float("inf"), 0), torch.norm(x), torch.norm(x, "fro"),
            torch.norm(x, p=2, dim=(0, 1)), x.norm(1, 0, True), torch.norm(x, "nuc")]  # fmt: skip


@program
def bernoulli_binary_outputs(torch):
    def binary(t):
        return bool(((t == 0) | (t == 1)).all())

    out = [
        torch.tensor([0.0, 1.0]).bernoulli().tolist(),
        torch.tensor([1.0, 0, 1, 1, 0, 1], dtype=torch.float64).bernoulli().tolist(),
    ]
    for t_dtype, p_dtype in (
        (torch.float32, torch.float64),
        (torch.uint8, torch.float64),
        (torch.bool, torch.float32),
    ):
        p = torch.rand(5, 5, dtype=p_dtype)
        pe = torch.rand(5, dtype=p_dtype).expand(5, 5)
        t = torch.empty(10, 10, dtype=t_dtype)
        r = [binary(p.bernoulli()), binary(pe.bernoulli()), p.bernoulli().dtype]
        t.fill_(2) if t_dtype != torch.bool else t.fill_(True)
        t.bernoulli_(0.5)
        r += [binary(t), t.dtype]
        t.bernoulli_(torch.rand(10, dtype=p_dtype).expand(10, 10))
        r += [binary(t)]
        o = torch.rand(5, 5, dtype=p_dtype)
        torch.bernoulli(torch.rand_like(o), out=o)
        r += [binary(o)]
        out.append(r)
    out += [
        torch.bernoulli(torch.zeros(100, 100)).sum(),
        torch.bernoulli(torch.ones(100, 100)).sum(),
    ]
    return out


@error(RuntimeError, r"bernoulli_ expects p to be in \[0, 1\], but got p=1\.5")
def bernoulli_p_out_of_range(torch):
    return torch.zeros(3).bernoulli_(1.5)


@program
def generator_api(torch):
    g1 = torch.Generator()
    g2 = torch.Generator()
    g1.manual_seed(12345)
    g2.manual_seed(12345)
    out = [
        g1.initial_seed() == g2.initial_seed(),
        g1.initial_seed(),
        torch.default_generator == torch.default_generator,
    ]
    g1 = torch.Generator()
    st = g2.get_state()
    a = torch.randn(3, generator=g2)
    g1.set_state(st)
    b = torch.randn(3, generator=g1)
    ds = torch.default_generator.get_state()
    q = torch.Tensor(10)
    n1 = q.normal_().clone()
    g3 = torch.Generator()
    g3.set_state(ds)
    n2 = q.normal_(generator=g3).clone()
    out += [
        torch.equal(a, b),
        torch.equal(n1, n2),
        type(g1.manual_seed(3)).__name__,
        g1.device,
        st.dtype,
    ]
    return out


@program
def parsing_dim_from_tensors_and_numpy(torch):
    x = torch.ones(5, 5)
    return [torch.cumsum(x, torch.tensor(0)), torch.isclose(x, x, 1, 1).all(), torch.isclose(x, x, 1.5, 1.0).all(),
            torch.isclose(x, x, torch.tensor(1), torch.tensor(1)).all(),
            torch.ones((torch.tensor(3), torch.tensor(4))).shape, torch.ones(torch.tensor(3), torch.tensor(4)).shape,
            torch.ones((np.array(3), np.int64(4))).shape, torch.ones(np.int64(3), np.array(4)).shape,
            torch.zeros(np.int32(2)).shape, x.sum(np.int64(1)).shape, x.view(np.int64(25)).shape]  # fmt: skip


@error(
    TypeError,
    r"ones\(\): argument 'size' \(position 1\) must be tuple of ints, but found element of type Tensor at pos 0",
)
def ones_float_tensor_size(torch):
    return torch.ones((torch.tensor(3.0), torch.tensor(4)))


@error(
    TypeError,
    r"ones\(\): argument 'size' \(position 1\) must be tuple of ints, but found element of type numpy.ndarray at pos 0",
)
def ones_numpy_float_size(torch):
    return torch.ones((np.array(3.0), torch.tensor(4)))


@error(TypeError, r"ones\(\): argument 'size' \(position 1\) must be tuple of ints, not Tensor")
def ones_multi_element_tensor_size(torch):
    return torch.ones(torch.tensor([3, 3]))


# ---- serialization, storages, printing ---------------------------------------------------------
@program
def save_load_shares_views_and_storages(torch):
    import io

    a = [torch.randn(5, 5) for _ in range(2)]
    b = [a[i % 2] for i in range(4)] + [torch.arange(1, 11).int(), a[0].view(-1)[1:4], a[0].t()]
    buf = io.BytesIO()
    torch.save(b, buf)
    buf.seek(0)
    c = torch.load(buf)
    c[0].fill_(10)
    c[1].fill_(20)
    return [c, c[0].data_ptr() == c[2].data_ptr(), c[5].storage_offset(), c[6].stride(), c[4].dtype,
            type(c[0]).__name__, c[5].untyped_storage().nbytes()]  # fmt: skip


@program
def save_load_half_and_devices(torch):
    import copy
    import io

    x = torch.randn(5, 5)
    xh = x.half()
    buf = io.BytesIO()
    torch.save(xh, buf)
    buf.seek(0)
    xh2 = torch.load(buf)
    z = torch.Tensor(5, 5)
    devs = [copy.deepcopy(torch.device(d)) for d in ("cpu", "cpu:0", "cuda", "cuda:0")]
    return [
        xh2.dtype,
        torch.equal(xh, xh2),
        z.copy_(xh),
        devs,
        [d == torch.device(s) for d, s in zip(devs, ("cpu", "cpu:0", "cuda", "cuda:0"))],
    ]


@program
def save_load_map_location(torch):
    import io

    f = io.BytesIO()
    torch.save(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), f)
    out = []
    for loc in (lambda s, _: s, {"cpu": "cpu"}, "cpu", torch.device("cpu"), None):
        f.seek(0)
        t = torch.load(f, map_location=loc)
        out += [t, str(t.device), type(t).__name__]
    return out


@program
def printing_formats(torch):
    t = torch.tensor
    cases = [t(2341234123412341), t([1e28, 1e-28]), t([1, 2]), t([1, -2]), t([4, inf, 1.5, -inf, 0, nan, 1]),
             t([1e-324, 1e-323, 1e-322, 1e307, 1e308, 1e309], dtype=torch.float64), torch.zeros(10000),
             t([123.0], requires_grad=True), torch.ones(100, 2, 2, 10).as_strided(size=(100, 2, 10), stride=(40, 20, 1)),
             t(0.00002), t([True]), t(True), t([0.00002]), t([123456789.0]), t([0.01, 11]), t([1, 1010]),
             t([1000000000]), t([1.0, 1000.0]), t([1.0, 1010.0]), torch.rand(100, 100).half() * 0,
             torch.ones(3, dtype=torch.int8), torch.arange(6.0).view(2, 3).t()]  # fmt: skip
    out = [(repr(c), str(c) == repr(c)) for c in cases]
    torch.set_printoptions(sci_mode=True)
    out.append(str(t([1e2, 1e-2])))
    torch.set_printoptions(sci_mode=False)
    out.append(str(t([1e2, 1e-2])))
    torch.set_printoptions(sci_mode=None)
    out.append(str(t([1e2, 1e-2])))
    return out


@program
def printing_with_default_float64(torch):
    saved = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)
        return [repr(torch.tensor([1e-324, 1e-323, 1e307, 1e309])), repr(torch.tensor([1.5], dtype=torch.float32)),
                repr(torch.tensor([1.5]))]  # fmt: skip
    finally:
        torch.set_default_dtype(saved)


@program
def unsqueeze_on_noncontiguous(torch):
    x = torch.randn(2, 3, 4)
    nc = x[:, 1]
    return [x.unsqueeze(1), x.clone().unsqueeze_(2).shape, nc.unsqueeze(1), nc.unsqueeze(1).stride(),
            nc.clone().unsqueeze_(2).stride(), nc.unsqueeze(-1).shape, torch.tensor(1.0).unsqueeze(0)]  # fmt: skip


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-4, 3\], but got 4\)")
def unsqueeze_out_of_range(torch):
    return torch.randn(2, 3, 4).unsqueeze(4)


@program
def iteration_and_item_types(torch):
    x = torch.randn(5, 5)
    o = torch.ones(2, 3, 4)
    return [list(x), list(torch.Tensor()), [type(v).__name__ for v in torch.tensor([1, 2])],
            type(o.double().sum().item()).__name__, type(o.float().sum().item()).__name__,
            type(o.long().sum().item()).__name__, type(o.int().sum().item()).__name__,
            type(o.byte().sum().item()).__name__, type(o.bool().any().item()).__name__,
            type(o.half().sum().item()).__name__]  # fmt: skip


@error(TypeError, r"iteration over a 0-d tensor")
def iterate_zero_dim(torch):
    return list(torch.tensor(1.0))


@program
def new_constructor_forms(torch):
    x = torch.Tensor()
    y = torch.randn(4, 4)
    z = torch.IntTensor([1, 2, 3])
    return [x.new().shape, x.new(1, 2).shape, x.new(torch.Size([3, 4])).shape, x.new([3, 4]), x.new((3, 4)),
            x.new([np.int32(3), np.float64(4)]), x.new(np.array((3, 4))), x.new([z[2], z[0] + 3]),
            x.new(size=(3, 4)).shape, x.new(()).shape, x.new(y).data_ptr() == y.data_ptr(), x.new(y) is y,
            z.new([1.7, 2.2]), z.new(2).dtype, x.new(y)._base is y]  # fmt: skip


@error(
    TypeError,
    r"expected TensorOptions\(dtype=float, device=cpu, .*\(got TensorOptions\(dtype=int, device=cpu,",
)
def new_from_other_dtype_tensor(torch):
    return torch.Tensor().new(torch.IntTensor([1, 2, 3]))


@program
def empty_like_keeps_type(torch):
    return [(torch.empty_like(a).shape, torch.empty_like(a).type()) for a in (torch.Tensor(), torch.randn(4, 4),
            torch.IntTensor([1, 2, 3]), torch.randn(2, 3).t())]  # fmt: skip


@program
def is_pinned_false(torch):
    x = torch.randn(3, 5)
    return x.is_pinned(), torch.empty(2, pin_memory=False).is_pinned()


@program
def numpy_views_share_and_resize_refused(torch):
    x = np.zeros((2, 2))
    y = torch.from_numpy(x)
    y[0, 0] = 3
    z = torch.randn(5, 5)
    w = z.numpy()
    w[0, 1] = 7
    xm = torch.arange(20.0).view(10, 2)
    v = xm.narrow(0, 4, 5).t()
    vn = v.numpy()
    vn[0, 1] = -1
    return [x[0, 0], z[0, 1], vn.flags["C_CONTIGUOUS"], v.storage_offset(), xm[5, 0], vn.flags.writeable,
            torch.Tensor().numpy().size, torch.arange(3, dtype=torch.int16).numpy().dtype.name]  # fmt: skip


@program
def to_numpy_dtypes_and_offsets(torch):
    out = []
    for dtype in (
        torch.uint8,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.float16,
        torch.float32,
        torch.float64,
        torch.int64,
    ):
        xm = torch.arange(30).view(10, 3).to(dtype)
        x = xm.narrow(0, 4, 5).t()
        y = x.numpy()
        out.append((y.dtype.name, y.shape, y.tolist(), x.storage_offset(), y.flags["C_CONTIGUOUS"]))
    return out


# ---- numpy interop, comparisons, bitwise, apply_/map_, Size --------------------------------------
@program
def numpy_bool_and_from_numpy_dtypes(torch):
    out = [torch.tensor([True, False]).numpy().dtype.name, torch.tensor([True]).numpy().tolist()]
    for dtype in (
        np.double,
        np.float32,
        np.float16,
        np.int64,
        np.int32,
        np.int16,
        np.int8,
        np.uint8,
        np.longlong,
        np.bool_,
    ):
        a = np.array([1, 2, 3, 4], dtype=dtype)
        t = torch.from_numpy(a)
        out += [t, torch.from_numpy(a % 2) if dtype is not np.bool_ else t.dtype]
    x = np.linspace(1, 125, 125).reshape(5, 5, 5)
    y = np.linspace(1, 25, 25).reshape(5, 5)
    out += [torch.from_numpy(x[1]), torch.from_numpy(y.T), torch.from_numpy(y.T).stride(), torch.from_numpy(x[:, 1]),
            torch.from_numpy(x[:, 1]).stride(), torch.from_numpy(np.zeros((0, 2))).shape, torch.from_numpy(np.zeros((2, 0))).shape]  # fmt: skip
    return out


@error(ValueError, r"given numpy array strides not a multiple of the element byte size")
def from_numpy_ill_sized_strides(torch):
    x = np.array([3.0, 5.0, 8.0])
    x.strides = (3,)
    return torch.from_numpy(x)


@error(TypeError, r"can't convert np.ndarray of type numpy.object_")
def from_numpy_object_array(torch):
    return torch.from_numpy(np.array([1, "a"], dtype=object))


@program
def numpy_scalars_in_constructors_and_indices(torch):
    kinds = (np.double, np.float32, np.float16, np.int64, np.int32, np.int16, np.uint8, np.bool_)
    out = [torch.tensor(d(42)).item() for d in kinds]
    out += [torch.tensor(d(42)).dtype for d in kinds]
    x = torch.randn(5, 5)
    out += [x[idx] for idx in np.int32([0, 1, 2])] + [x[np.int64(1), np.int8(2)], x[np.array(3)]]
    return out


@program
def numpy_array_protocol_and_ufuncs(torch):
    out = []
    for dtype in (
        torch.float64,
        torch.float32,
        torch.float16,
        torch.int64,
        torch.int32,
        torch.int16,
        torch.uint8,
    ):
        x = torch.tensor([1, 2, 3, 4]).to(dtype)
        a = np.asarray(x)
        out += [
            a.dtype.name,
            a.tolist(),
            np.asarray(torch.tensor([1, -2, 3, -4], dtype=torch.int32), dtype=np.float32).tolist(),
        ]
    for dtype in (torch.float64, torch.float32):
        x = torch.tensor([1, 2, 3, 4], dtype=dtype)
        out += [np.array(x) is not x, np.asarray(x).flags.writeable]
    return out


@program
def multiplication_by_numpy_scalars(torch):
    out = []
    for np_dtype in (np.float32, np.float64, np.int32, np.int64, np.int16, np.uint8):
        for t_dtype in (torch.float, torch.double):
            sc = np_dtype(2.0)
            t = torch.ones(2, requires_grad=True, dtype=t_dtype)
            r1 = t * sc
            r2 = sc * t
            out += [r1, r2, type(r2).__name__]
    ti = torch.ones(2, dtype=torch.int32)
    out += [ti * np.int64(3), ti * np.float32(1.5), ti + np.float64(0.5), np.float64(2.0) * ti]
    return out


@error(RuntimeError, r"(?=.*Double)(?=.*Long)")
def conv_dtype_mismatch_names_both(torch):
    weight = torch.zeros(1, 1, 1, 3).long()
    return torch.nn.functional.conv2d(torch.randn(1, 1, 1, 6).double(), weight)


@program
def tensor_from_sequence_protocol(torch):
    class Seq:
        def __init__(self, lst):
            self.lst = lst

        def __len__(self):
            return len(self.lst)

        def __getitem__(self, i):
            return self.lst[i]

    return (
        torch.Tensor(Seq([1.0, 2.0, 3.0])),
        torch.tensor(Seq([1, 2])),
        torch.tensor([Seq([1, 2]), Seq([3, 4])]),
    )


@error(ValueError, r"could not determine the shape of object type 'BadSeq'")
def tensor_from_broken_sequence(torch):
    class BadSeq:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            raise TypeError

    return torch.Tensor(BadSeq())


@program
def comparison_ops_values_and_dtypes(torch):
    x = torch.randn(5, 5)
    y = torch.randn(5, 5)
    y[0, 0] = x[0, 0]
    out = [x == y, x != y, x < y, x <= y, x > y, x >= y, (x == y).dtype]
    i = torch.tensor([1, 2, 3], dtype=torch.uint8)
    out += [
        i < 300,
        i == 2.5,
        2 < i,
        i != torch.tensor(2.0),
        torch.tensor([1.5]) > torch.tensor([1]),
    ]
    return out


@program
def inplace_comparisons_keep_dtype(torch):
    out = []
    for op in ("lt_", "le_", "gt_", "ge_", "eq_", "ne_", "logical_xor_", "logical_and_"):
        x = torch.tensor([1, 5, 3], dtype=torch.int32)
        r = getattr(x, op)(torch.tensor([2, 2, 3], dtype=torch.int64))
        f = torch.tensor([1.5, 0.0])
        if not op.startswith("logical"):
            getattr(f, op)(1.5)
        out += [r is x, x, f]
    return out


@program
def comparison_with_out_of_range_scalars(torch):
    u = torch.tensor([1 << 5], dtype=torch.uint8)
    return [
        u < (1 << 20),
        (1 << 20) < u,
        u == 1000,
        u != -1,
        u > -5,
        torch.tensor([100], dtype=torch.int8) < 1e10,
    ]


@program
def bitwise_bool_ops_and_inplace(torch):
    x = torch.randn(5, 5).gt(0)
    y = torch.randn(5, 5).gt(0)
    a, o, e = x.clone(), x.clone(), x.clone()
    a &= y
    o |= y
    e ^= y
    i = torch.tensor([12, -3, 7])
    return [x & y, x | y, x ^ y, a, o, e, i & 10, i | 1, i ^ i, 5 & i, i << 2, i >> 1, ~x]


@program
def invert_integer_and_bool(torch):
    out = []
    for dtype in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        out.append(~torch.arange(127, dtype=dtype))
    out.append(~torch.tensor([False, True]))
    return out


@error(TypeError, r"~ \(operator.invert\) is only implemented on integer and Boolean-type tensors")
def invert_float(torch):
    return ~torch.zeros(10)


@program
def apply_and_map(torch):
    x = torch.arange(1, 6)
    r = x.clone().apply_(lambda k: k + k)
    a = torch.randn(3, 3)
    b = torch.randn(3)
    c = torch.randn(1, 3)
    m = a.clone().map_(b, lambda p, q: p + q)
    m2 = a.clone().map2_(b, c, lambda p, q, s: p + q * s)
    f = torch.tensor([1.7, -2.2]).apply_(lambda v: v * 2)
    return [r, m, m2, f, torch.equal(m, a + b), x.clone().apply_(lambda k: True)]


@error(TypeError, r"must be real number, not str")
def apply_returning_string(torch):
    return torch.arange(1.0, 6).apply_(lambda k: "str")


@error(TypeError, r"'str' object is not callable")
def map_with_string(torch):
    return torch.randn(3, 3).map_(torch.randn(3), "str")


@program
def size_objects(torch):
    x = torch.Size([1, 2, 3])
    three, two = torch.tensor(3), torch.tensor(2)
    s2 = torch.Size([0, 1, two, three, 4])
    return [isinstance(x, tuple), x[0], len(x), type(x * 2).__name__, type(x[:-1]).__name__, type(x + x).__name__,
            x * 2, x + x, list(s2), [type(v).__name__ for v in s2], torch.Size(iter([1, 2, 3])), torch.Size(range(1, 6)),
            repr(x), str(torch.Size([])), x.numel(), torch.Size([2, 3]) == (2, 3), x.count(2), x.index(3),
            type(x + (4,)).__name__, type((4,) + x).__name__]  # fmt: skip


@error(TypeError, r"torch.Size\(\) takes an iterable of 'int' \(item 0 is 'Tensor'\)")
def size_of_tensor(torch):
    return torch.Size(torch.ones(3))


@error(TypeError, r"torch.Size\(\) takes an iterable of 'int' \(item 1 is 'float'\)")
def size_of_float(torch):
    return torch.Size([1, 2.5])


@error(TypeError, r"addcmul\(\): argument 'value' must be Number, not Tensor")
def addcmul_value_requiring_grad(torch):
    y = torch.tensor(3.0)
    return y.addcmul(y, y, value=torch.tensor(2.0, requires_grad=True))


@error(TypeError, r"addcdiv\(\): argument 'value' must be Number, not Tensor")
def addcdiv_value_of_one_element(torch):
    y = torch.tensor(3.0)
    return y.addcdiv(y, y, value=torch.tensor([2.0]))


@program
def large_sums_of_zeros_and_ones_are_exact(torch):
    out = []
    for size in ((2, 3, 3, 3, 3, 2, 2, 3, 2), (4, 4, 4, 4, 4, 4, 4), (1, 32770)):
        t = torch.from_numpy(np.round(torch.rand(*size, dtype=torch.float64).numpy()))
        out += [t.sum()] + [t.sum(d) for d in range(len(size))]
    return out


@error(TypeError, r"new_zeros\(\) takes 1 positional argument but 2 were given")
def new_zeros_extra_positional(torch):
    return torch.tensor([1.0]).new_zeros((5, 5), 0)


@error(TypeError, r"new_ones\(\) takes 1 positional argument but 2 were given")
def new_ones_extra_positional(torch):
    return torch.tensor([1.0]).new_ones([2], 3)


@error(TypeError, r"zeros\(\) takes 1 positional argument but 2 were given")
def zeros_tensor_then_int(torch):
    return torch.zeros(torch.tensor(3.0), 2)


@error(TypeError, r"empty\(\) takes 1 positional argument but 2 were given")
def empty_tuple_then_int(torch):
    return torch.empty((2,), 3)


@error(
    TypeError,
    r"zeros\(\): argument 'size' failed to unpack the object at pos 2 with error \"type must be tuple of ints,but got tuple\"",
)
def zeros_int_then_tuple(torch):
    return torch.zeros(2, (3,))


@program
def numpy_scalar_entries_promote_with_python_numbers(torch):
    saved = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)
        return [torch.tensor([np.float32(1.0), 2]).dtype, torch.tensor([np.float32(1.0), 2.5]).dtype,
                torch.tensor([1, np.float32(1.0)]).dtype, torch.tensor([np.int8(1), 2.5]).dtype,
                torch.tensor([np.float16(1), True]).dtype]  # fmt: skip
    finally:
        torch.set_default_dtype(saved)
