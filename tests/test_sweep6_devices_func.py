"""Compatibility sweep of devices, default dtype/device, dtype conversion and interop, and the
``torch.func`` transforms: short programs written as PyTorch users write them run with
``lib = minitorch`` and ``lib = torch`` and must give the same values, dtypes, shapes,
``requires_grad`` and gradients; error programs must raise PyTorch's exception type with its
message's key words. No GPU is assumed: CUDA paths must raise as PyTorch's CPU-only build does.
The programs marked ``# fixed`` differed before session 6."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch

PROGRAMS = {}
ERRORS = {}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


def error(exc, match: str):
    """A program that must raise ``exc`` in both libraries, messages matching ``match``."""

    def register(fn):
        ERRORS[fn.__name__] = (fn, exc, match)
        return fn

    return register


def _normal(x):
    """A library-independent form of a program's result."""
    if isinstance(x, (tuple, list)):
        return "sequence", [_normal(v) for v in x]
    if isinstance(x, dict):
        return "dict", sorted(x), [_normal(x[k]) for k in sorted(x)]
    if hasattr(x, "detach") and hasattr(x, "dtype"):
        return (
            "tensor",
            str(x.dtype).split(".")[-1],
            tuple(x.shape),
            x.requires_grad,
            x.detach().numpy(),
        )
    if type(x).__name__ == "dtype":
        return "dtype", str(x).split(".")[-1]
    if type(x).__name__ == "device":
        return "device", str(x)
    if isinstance(x, np.ndarray):
        return "ndarray", str(x.dtype), x
    return type(x).__name__, x


def _same(a, t) -> None:
    assert a[0] == t[0], (a, t)
    if a[0] == "sequence":
        assert len(a[1]) == len(t[1]), (a, t)
        for x, y in zip(a[1], t[1]):
            _same(x, y)
    elif a[0] == "dict":
        assert a[1] == t[1], (a, t)
        for x, y in zip(a[2], t[2]):
            _same(x, y)
    elif a[0] == "tensor":
        assert a[1:4] == t[1:4], (a[1:4], t[1:4])
        tol = dict(rtol=1e-5, atol=1e-6) if a[1] in ("float32", "float16") else dict(rtol=1e-12)
        np.testing.assert_allclose(a[4], t[4], equal_nan=True, **tol)
    elif a[0] == "ndarray":
        assert a[1] == t[1], (a, t)
        np.testing.assert_allclose(a[2], t[2], rtol=1e-6)
    elif a[0] == "float":
        assert a[1] == pytest.approx(t[1], rel=1e-6, nan_ok=True), (a, t)
    else:
        assert a[1] == t[1], (a, t)


def _run(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _normal(fn(lib))


# ---- devices -------------------------------------------------------------------------------
@program
def device_objects(lib):
    d0, d1, d2 = lib.device("cpu"), lib.device("cpu:0"), lib.device("cpu", 0)
    d3 = lib.device(type="cpu")
    dc = lib.device("cuda:1")
    return [
        str(d0),
        repr(d0),
        str(d1),
        repr(d1),
        d0.type,
        d0.index,
        d1.index,
        d2 == d1,
        d0 == d1,
        d3 == d0,
        hash(d0) == hash(lib.device("cpu")),
        str(dc),
        dc.type,
        dc.index,
        repr(lib.device("cuda")),
        d0 == "cpu",
        lib.device(d1) == d1,
    ]


@program
def tensor_device_attributes(lib):
    x = lib.ones(2)
    return [
        str(x.device),
        x.device.type,
        x.device.index,
        x.is_cuda,
        x.is_cpu,
        x.is_meta,
        x.get_device(),
        x.cpu() is x,
        x.to("cpu") is x,
        x.to(lib.device("cpu")) is x,
        x.to(x) is x,
        x.to("cpu", copy=True) is x,
    ]


@program
def default_device_queries(lib):
    d = lib.get_default_device()
    with lib.device("cpu"):
        inside = lib.zeros(2).device
    return [str(d), str(inside), lib.ones(3, device="cpu:0").device.type]


@program
def set_default_device_cpu(lib):
    lib.set_default_device("cpu")
    try:
        return [str(lib.get_default_device()), lib.rand(2).device.type]
    finally:
        lib.set_default_device(None)


@program
def cuda_queries_without_gpu(lib):
    lib.cuda.manual_seed_all(0)
    lib.cuda.manual_seed(0)
    lib.cuda.empty_cache()
    return [
        lib.cuda.is_available(),
        lib.cuda.device_count(),
        lib.backends.mps.is_available(),
        lib.cuda.is_initialized(),
        lib.backends.cudnn.is_available() in (True, False),
    ]


@error((AssertionError, RuntimeError), "CUDA")
def cuda_tensor_without_gpu(lib):
    if lib is minitorch and minitorch.cuda.is_available():
        pytest.skip("a GPU is present")
    lib.ones(2).cuda()


@error(RuntimeError, "Expected one of cpu, cuda")
def bad_device_string(lib):
    lib.device("gpu")


@error(RuntimeError, "Invalid device string")
def bad_device_index_string(lib):
    lib.device("cpu:x")


@program
def backends_flags(lib):
    old = lib.backends.cudnn.benchmark, lib.backends.cudnn.deterministic
    lib.backends.cudnn.benchmark = True
    lib.backends.cudnn.deterministic = True
    got = [lib.backends.cudnn.benchmark, lib.backends.cudnn.deterministic]
    lib.backends.cudnn.benchmark, lib.backends.cudnn.deterministic = old
    lib.use_deterministic_algorithms(True)
    got += [lib.are_deterministic_algorithms_enabled()]
    lib.use_deterministic_algorithms(False)
    got += [
        lib.are_deterministic_algorithms_enabled(),
        lib.is_deterministic_algorithms_warn_only_enabled(),
    ]
    n = lib.get_num_threads()
    lib.set_num_threads(1)
    got += [lib.get_num_threads()]
    lib.set_num_threads(n)
    got += [lib.backends.cuda.matmul.allow_tf32 in (True, False)]
    return got


# ---- default dtype ------------------------------------------------------------------------
@program
def default_dtype_float64_factories(lib):
    old = lib.get_default_dtype()
    lib.set_default_dtype(lib.float64)
    try:
        lin = lib.nn.Linear(2, 3)
        x = lib.tensor([1.0, 2.5])
        return [
            lib.get_default_dtype(),
            x,
            lib.tensor([1, 2]),
            lib.tensor(3.0),
            lib.arange(0, 1, 0.25),
            lib.arange(3),
            lib.linspace(0, 1, 5),
            lib.zeros(2),
            lib.ones(2, 2),
            lib.full((2,), 1.5),
            lib.full((2,), 2),
            lib.rand(3).dtype,
            lib.randn(2).dtype,
            lib.empty(1).dtype,
            lin.weight.dtype,
            lin.bias.dtype,
            lib.tensor([1, 2]) * 0.5,
            lib.tensor([True]) + 1.5,
            lib.eye(2),
            lib.logspace(0, 1, 3),
            lib.tensor([]).dtype,
            lib.as_tensor([1.5]),
            lib.zeros(2, dtype=lib.float32) + 1.5,
            lib.tensor(np.float32(2.0)).dtype,
            lib.randint(0, 3, (2,)).dtype,
            lib.ones(2).mean(),
        ]
    finally:
        lib.set_default_dtype(old)


@program
def default_dtype_float16_then_back(lib):
    lib.set_default_dtype(lib.float16)
    try:
        return [lib.tensor([1.0, 2.0]), lib.arange(0.0, 2.0), lib.ones(2) / 3]
    finally:
        lib.set_default_dtype(lib.float32)


@error(TypeError, "only floating-point types are supported as the default type")
def default_dtype_int_fixed(lib):
    lib.set_default_dtype(lib.int64)


@program
def set_default_tensor_type_double(lib):
    lib.set_default_tensor_type(lib.DoubleTensor)
    try:
        return [lib.get_default_dtype(), lib.tensor([1.5]), lib.zeros(1)]
    finally:
        lib.set_default_tensor_type(lib.FloatTensor)


@program
def set_default_tensor_type_string(lib):
    lib.set_default_tensor_type("torch.DoubleTensor")
    try:
        return [lib.get_default_dtype(), lib.ones(1)]
    finally:
        lib.set_default_tensor_type("torch.FloatTensor")


# ---- torch.tensor / as_tensor / from_numpy / numpy ----------------------------------------
@program
def tensor_from_mixed_python(lib):
    return [
        lib.tensor([1, 2.5]),
        lib.tensor([True, 2]),
        lib.tensor([[1, 2], [3, 4]]),
        lib.tensor([np.float32(1.0), 2.0]),
        lib.tensor(np.int32(3)),
        lib.tensor(np.float64(2.5)),
        lib.tensor([np.int64(1), np.int64(2)]),
        lib.tensor(True),
        lib.tensor([[]]),
        lib.tensor(np.array([1, 2], dtype=np.int16)),
        lib.tensor(np.array(2.5, dtype=np.float16)),
        lib.tensor([lib.tensor(1.0), lib.tensor(2.0)]),
        lib.tensor((1, 2, 3)),
        lib.tensor([1, 2], dtype=lib.float64),
        lib.tensor(2**40),
        lib.tensor([0.1], dtype=lib.float16),
        lib.tensor(range(3)),
        lib.tensor(np.bool_(True)),
        lib.tensor([np.bool_(True), False]),
    ]


@program
def tensor_of_tensor_warns_and_copies(lib):
    a = lib.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        b = lib.tensor(a)
    b[0] = 5
    return [a, b, b.requires_grad, len(w) >= 1, "detach().clone()" in str(w[0].message)]


@program
def as_tensor_and_from_numpy_share(lib):
    n = np.arange(4.0)
    t = lib.from_numpy(n)
    n[0] = 10
    t[1] = 20
    a = lib.as_tensor(n)
    a[2] = 30
    b = lib.as_tensor(n, dtype=lib.float32)
    b[3] = 40
    m = t.numpy()
    m[3] = 50
    c = lib.asarray(n)
    c[0] = -1
    return [t, n.copy(), b, m.dtype.name, t.dtype]


@program
def from_numpy_dtypes(lib):
    out = []
    for dt in ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"):
        t = lib.from_numpy(np.zeros(2, dtype=dt))
        out += [t.dtype, t.element_size(), t.numpy().dtype.name]
    return out


@program
def from_numpy_non_contiguous_and_scalar(lib):
    n = np.arange(12.0).reshape(3, 4)
    t = lib.from_numpy(n.T)
    t2 = lib.from_numpy(n[:, ::2])
    n[0, 0] = 99
    return [t, t2, t.stride(), t.is_contiguous(), lib.from_numpy(np.array(3.5))]


@error(TypeError, "expected np.ndarray")
def from_numpy_of_list(lib):
    lib.from_numpy([1, 2])


@error(RuntimeError, "Can't call numpy\\(\\) on Tensor that requires grad")
def numpy_of_requires_grad(lib):
    lib.ones(2, requires_grad=True).numpy()


@program
def numpy_force_and_tolist(lib):
    x = lib.ones(2, requires_grad=True) * 2
    return [
        x.numpy(force=True),
        x.tolist(),
        x[0].item(),
        lib.tensor(3).item(),
        lib.tensor([1, 2]).tolist(),
        type(lib.tensor(2.5, dtype=lib.float64).item()).__name__,
        type(lib.tensor(True).item()).__name__,
    ]


@program
def array_protocol(lib):
    x = lib.arange(4, dtype=lib.float32)
    return [
        np.asarray(x),
        np.array(x, dtype=np.float64),
        float(lib.tensor(2.5)),
        int(lib.tensor(3.9)),
        bool(lib.tensor(1)),
        np.add(np.ones(4, np.float32), x.numpy()),
    ]


# ---- .to / .type / casts ------------------------------------------------------------------
@program
def to_overloads(lib):
    x = lib.arange(6.0).reshape(2, 3)
    y = lib.zeros(1, dtype=lib.float64)
    a = x.to(y)
    b = x.to(lib.float64, copy=True)
    c = x.to("cpu", lib.int32)
    d = x.to(device="cpu", dtype=lib.float16, non_blocking=True)
    e = x.to(memory_format=lib.contiguous_format)
    f = x.to(lib.float32, copy=True)
    f[0, 0] = 100
    g = x.to(dtype=lib.float32)
    return [
        a,
        b,
        c,
        d,
        e is x,
        f,
        x,
        g is x,
        x.to(lib.float32) is x,
        x.double(),
        x.half(),
        x.to(lib.bool),
        x.short(),
        x.char(),
        x.byte(),
        x.long(),
    ]


@program
def type_method_strings(lib):
    x = lib.tensor([1.7, -2.2])
    return [
        x.type(),
        x.type(lib.int32),
        x.type("torch.DoubleTensor"),
        x.type(lib.float64).type(),
        x.type("torch.LongTensor").type(),
        x.long().type(),
        x.bool().type(),
        x.half().type(),
        x.type(lib.float32) is x,
    ]


@program
def casts_round_toward_zero_and_wrap(lib):
    x = lib.tensor([-2.7, -0.5, 0.5, 2.7, 300.0])
    return [
        x.long(),
        x.int(),
        x.to(lib.int8) if lib is None else x[:4].to(lib.int8),
        lib.tensor([300, -1]).to(lib.uint8),
        lib.tensor([0.0, 0.1, -0.0]).bool(),
        lib.tensor([70000.0]).half(),
    ]


@program
def dtype_properties(lib):
    out = []
    for name in (
        "bool",
        "uint8",
        "int8",
        "int16",
        "int32",
        "int64",
        "float16",
        "float32",
        "float64",
    ):
        dt = getattr(lib, name)
        out += [
            str(dt).split(".")[-1],
            dt.itemsize,
            dt.is_floating_point,
            dt.is_signed,
            dt.is_complex,
            lib.ones(3, dtype=dt).element_size(),
            lib.ones(3, dtype=dt).nbytes,
            lib.ones(3, dtype=dt).itemsize,
            lib.ones(3, dtype=dt).is_floating_point(),
            lib.ones(3, dtype=dt).is_complex(),
            lib.is_floating_point(lib.ones(1, dtype=dt)),
        ]
    return out + [
        lib.double == lib.float64,
        lib.long is lib.int64,
        lib.half == lib.float16,
        lib.float == lib.float32,
        repr(lib.float32).split(".")[-1],
    ]


@program
def promote_result_can_cast(lib):
    names = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
    out = []
    for a in names:
        for b in names:
            out.append(lib.promote_types(getattr(lib, a), getattr(lib, b)))
            out.append(lib.can_cast(getattr(lib, a), getattr(lib, b)))
    t = lib.tensor([1, 2])
    out += [
        lib.result_type(t, 1.0),
        lib.result_type(t, lib.tensor(1.0, dtype=lib.float64)),
        lib.result_type(lib.tensor([1.0], dtype=lib.float16), 2),
        lib.result_type(2, 3.0),
        lib.result_type(t, True),
        lib.result_type(lib.tensor([True]), 2),
    ]
    return out


@program
def finfo_iinfo(lib):
    out = []
    for dt in (lib.float16, lib.float32, lib.float64):
        f = lib.finfo(dt)
        out += [f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution, f.dtype]
    for dt in (lib.uint8, lib.int8, lib.int16, lib.int32, lib.int64):
        i = lib.iinfo(dt)
        out += [i.bits, i.max, i.min, i.dtype]
    return out + [lib.finfo().eps, lib.finfo(lib.get_default_dtype()).bits]


@program
def misc_predicates(lib):
    x = lib.ones(2, 3)
    return [
        lib.is_tensor(x),
        lib.is_tensor([1]),
        lib.numel(x),
        lib.is_storage(x),
        lib.is_floating_point(x),
        lib.is_nonzero(lib.tensor([1])),
        x.numel(),
        x.nelement(),
        x.dim(),
        x.ndimension(),
        lib.is_grad_enabled(),
        isinstance(x, lib.Tensor),
        lib.nn.Parameter(x).is_leaf,
        lib.typename(x),
        lib.is_complex(x),
    ]


@error(TypeError, "finfo|not a floating")
def finfo_of_int(lib):
    lib.finfo(lib.int32)


@error(TypeError, "iinfo|not an integer|integer")
def iinfo_of_float(lib):
    lib.iinfo(lib.float32)


@program
def compile_and_jit(lib):
    def f(x):
        return (x * 2).sin().sum()

    m = lib.nn.Linear(3, 2)
    cm = lib.compile(m)
    x = lib.arange(6.0).reshape(2, 3)
    cf = lib.compile(f, mode="reduce-overhead")
    sf = lib.jit.script(f) if lib is minitorch else f
    tr = lib.jit.trace(m, x)

    @lib.compile
    def g(x):
        return x + 1

    return [cm(x), m(x), cf(x), sf(x), tr(x), g(x)]


# ---- torch.func -----------------------------------------------------------------------------
@program
def vmap_in_dims_out_dims(lib):
    from_f = lib.func
    x = lib.arange(6.0).reshape(2, 3)
    y = lib.arange(3.0)
    a = from_f.vmap(lib.dot, in_dims=(0, None))(x, y)
    b = from_f.vmap(lambda u, v: u * v, in_dims=(1, 0))(x, lib.arange(3.0))
    c = from_f.vmap(lambda u: (u, u.sum()), out_dims=(1, 0))(x)
    d = from_f.vmap(lambda p: p["a"] + p["b"][0], in_dims=({"a": 0, "b": (None,)},))(
        {"a": x, "b": (y,)}
    )
    e = from_f.vmap(from_f.vmap(lambda u: u * 2))(x)
    f = from_f.vmap(lambda u: u.sum(), chunk_size=1)(x)
    g = lib.vmap(lambda u: u @ u)(x)
    h = from_f.vmap(lambda u, s: u * s, in_dims=(0, None))(x, 3.0)
    k = from_f.vmap(lambda u: u.sum(0), in_dims=-1)(x)
    return [a, b, c, d, e, f, g, h, k]


@program
def vmap_over_functional_ops(lib):
    F = lib.nn.functional
    x = lib.linspace(-2, 2, 24).reshape(4, 6)
    w = lib.linspace(-1, 1, 12).reshape(2, 6)
    out = lib.func.vmap(lambda r: F.softmax(F.linear(r, w), dim=-1))(x)
    out2 = lib.func.vmap(lambda r: F.relu(r).max())(x)
    out3 = lib.func.vmap(lambda r: F.layer_norm(r, (6,)))(x)
    img = lib.linspace(-1, 1, 2 * 1 * 4 * 4).reshape(2, 1, 4, 4)
    k = lib.ones(1, 1, 2, 2)
    out4 = lib.func.vmap(lambda im: F.conv2d(im.unsqueeze(0), k).squeeze(0))(img)
    return [out, out2, out3, out4]


@program
def vmap_randomness_modes(lib):
    x = lib.ones(3, 4)
    same = lib.func.vmap(lambda r: r * lib.rand(()), randomness="same")(x)
    diff = lib.func.vmap(lambda r: r + lib.rand(4), randomness="different")(x)
    return [same[0].eq(same[1]).all(), (diff[0] != diff[1]).any(), diff.shape]


@error(RuntimeError, "randomness")
def vmap_random_default_error(lib):
    lib.func.vmap(lambda r: r * lib.rand(()))(lib.ones(3, 4))


@error(ValueError, "in_dims is not compatible with the structure of `inputs`|in_dims")
def vmap_in_dims_mismatch(lib):
    lib.func.vmap(lambda a, b: a + b, in_dims=(0,))(lib.ones(2), lib.ones(2))


@error(ValueError, "Expected all tensors to have the same size in the mapped dimension")
def vmap_size_mismatch(lib):
    lib.func.vmap(lambda a, b: a + b)(lib.ones(2), lib.ones(3))


@program
def grad_and_value_argnums_has_aux(lib):
    def f(x, y):
        loss = (x * y).sin().sum()
        return loss, {"sq": x**2}

    x, y = lib.tensor([1.0, 2.0]), lib.tensor([0.5, -1.0])
    g = lib.func.grad(f, argnums=(0, 1), has_aux=True)(x, y)
    gv = lib.func.grad_and_value(f, argnums=1, has_aux=True)(x, y)
    g2 = lib.func.grad(
        lib.func.grad(lambda t: t.sin().sum().reshape(()) if False else t.sin().sum())
    )  # noqa
    return [g, gv, lib.func.grad(lambda t: t.pow(3).sum())(x), g2 if False else None]


@program
def grad_of_grad_scalar(lib):
    f = lambda t: t.sin()  # noqa: E731
    x = lib.tensor(0.7)
    return [lib.func.grad(lib.func.grad(f))(x), lib.func.grad(lib.func.grad(lib.func.grad(f)))(x)]


@error(RuntimeError, "Expected f\\(\\*args\\) to return a scalar Tensor, got tensor with 1 dims")
def grad_non_scalar(lib):
    lib.func.grad(lambda t: t * 2)(lib.ones(2))


@program
def jacrev_jacfwd_hessian_pytrees(lib):
    def f(x, y):
        return {"a": x.sin() * y, "b": (x * y).sum()}

    x, y = (
        lib.tensor([0.1, 0.2, 0.3], dtype=lib.float64),
        lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64),
    )
    jr = lib.func.jacrev(f, argnums=(0, 1))(x, y)
    jf = lib.func.jacfwd(f, argnums=0)(x, y)
    h = lib.func.hessian(lambda t: (t**3).sum())(x)
    hh = lib.func.jacfwd(lib.func.jacrev(lambda t: t.sin().sum()))(x)
    jm = lib.func.jacrev(lambda t: t @ t.T)(lib.arange(4.0).reshape(2, 2))
    return [jr, jf, h, hh, jm]


@program
def jacrev_has_aux_and_chunk(lib):
    x = lib.tensor([1.0, 2.0, 3.0])
    j, aux = lib.func.jacrev(lambda t: (t.exp(), t.sum()), has_aux=True)(x)
    j2 = lib.func.jacrev(lambda t: t.cos(), chunk_size=1)(x)
    return [j, aux, j2]


@program
def vjp_jvp_linearize(lib):
    x = lib.tensor([0.5, 1.0, 2.0])
    out, fn = lib.func.vjp(lambda t: t.sin() * 2, x)
    v = fn(lib.ones(3))
    out2, tang = lib.func.jvp(lambda t: t.exp(), (x,), (lib.ones(3),))
    out3, jvp_fn = lib.func.linearize(lambda t: t**2, x)
    two = lib.func.vjp(lambda a, b: (a * b, a + b), x, x * 2)
    return [
        out,
        v,
        out2,
        tang,
        out3,
        jvp_fn(lib.ones(3)),
        two[0],
        two[1]((lib.ones(3), lib.ones(3))),
    ]


@program
def vjp_has_aux(lib):
    x = lib.tensor([1.0, 2.0])
    out, fn, aux = lib.func.vjp(lambda t: (t * 3, t.sum()), x, has_aux=True)
    return [out, fn(lib.ones(2)), aux]


@program
def functional_call_params_and_buffers(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.Linear(4, 1))
    x = lib.linspace(-1, 1, 15).reshape(5, 3)
    params = {k: v.detach() * 0.5 for k, v in m.named_parameters()}
    bufs = {k: v.clone() for k, v in m.named_buffers()}
    out = lib.func.functional_call(m, (params, bufs), (x,))
    m.eval()
    out_eval = lib.func.functional_call(m, {**params, **bufs}, x)
    return [
        out,
        bufs["1.running_mean"],
        bufs["1.num_batches_tracked"],
        m[1].running_mean,
        out_eval,
        m[0].weight,
    ]


@program
def functional_call_tied_and_strict(lib):
    class Tied(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = lib.nn.Linear(2, 2, bias=False)
            self.b = self.a

        def forward(self, x):
            return self.b(self.a(x))

    lib.manual_seed(0)
    m = Tied()
    w = lib.eye(2) * 2
    x = lib.tensor([[1.0, -1.0]])
    out = lib.func.functional_call(m, {"a.weight": w}, (x,))
    out2 = lib.func.functional_call(m, {"a.weight": w}, (x,), tie_weights=False)
    return [out, out2]


@error(RuntimeError, "Error\\(s\\) in reparametrizing for Linear")
def functional_call_strict_missing(lib):
    lib.func.functional_call(
        lib.nn.Linear(2, 2), {"weight": lib.ones(2, 2)}, (lib.ones(1, 2),), strict=True
    )


@program
def ensembling_tutorial(lib):
    lib.manual_seed(0)
    models = [
        lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 2)) for _ in range(3)
    ]
    params, buffers = lib.func.stack_module_state(models)
    import copy

    base = copy.deepcopy(models[0])  # the tutorial's .to("meta"): minitorch has no meta device

    def fmodel(p, b, x):
        return lib.func.functional_call(base, (p, b), (x,))

    x = lib.linspace(-1, 1, 20).reshape(5, 4)
    out = lib.func.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
    ref = lib.stack([m(x) for m in models])
    return [out, ref, params["0.weight"].shape, params["0.weight"].requires_grad]


@program
def per_sample_grads_tutorial(lib):
    lib.manual_seed(0)
    model = lib.nn.Linear(3, 2)
    params = {k: v.detach() for k, v in model.named_parameters()}
    x = lib.linspace(-1, 1, 12).reshape(4, 3)
    t = lib.tensor([0, 1, 1, 0])

    def loss(p, xi, ti):
        out = lib.func.functional_call(model, p, (xi.unsqueeze(0),))
        return lib.nn.functional.cross_entropy(out, ti.unsqueeze(0))

    g = lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0, 0))(params, x, t)
    return [g]


@program
def functional_call_batchnorm_training_buffers(lib):
    lib.manual_seed(0)
    bn = lib.nn.BatchNorm1d(3)
    x = lib.linspace(-1, 2, 12).reshape(4, 3)
    bufs = {k: v.clone() for k, v in bn.named_buffers()}
    y = lib.func.functional_call(bn, bufs, (x,))
    return [y, bufs["running_mean"], bufs["running_var"], bn.running_mean, bn.num_batches_tracked]


@program
def vmap_inplace_into_batched_ok(lib):
    return lib.func.vmap(lambda u: u.clone().mul_(2))(lib.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_pytorch(name, torch):
    fn = PROGRAMS[name]
    _same(_run(fn, minitorch), _run(fn, torch))


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_matches_pytorch(name, torch):
    fn, exc, match = ERRORS[name]
    for lib in (torch, minitorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(exc, match=match):
                fn(lib)
