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
from sweep_harness import Sweep

import minitorch
from minitorch import _warn_once

DTYPE_NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
SWEEP = Sweep(float64={"rtol": 1e-12, "atol": 0.0})
program = SWEEP.program
error = SWEEP.error


def _no_compile(model=None, **kwargs):
    """Stands in for PyTorch's ``torch.compile`` (same call forms, returns ``model``): the real
    one costs seconds and turns off ``torch.distributions`` argument validation for the rest
    of the process, which other test files rely on."""
    return (lambda m: m) if model is None else model


def _compile(lib):
    return lib.compile if lib is minitorch else _no_compile


# ---- devices -------------------------------------------------------------------------------
@program
def device_objects(lib):  # fixed: device('cpu') == 'cpu' was True
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
def cuda_queries_without_gpu(lib):  # fixed: no cuda.is_initialized
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
def bad_device_index_string(lib):  # fixed: int()'s ValueError
    lib.device("cpu:x")


@program
def backends_flags(lib):  # fixed: no is_deterministic_algorithms_warn_only_enabled
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
def default_dtype_int(lib):  # fixed: another message
    lib.set_default_dtype(lib.int64)


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
def tensor_of_tensor_warns_and_copies(lib):  # fixed: no warning
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
    for name in DTYPE_NAMES:
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
def misc_predicates(lib):  # fixed: no is_storage
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
    cm = _compile(lib)(m)
    x = lib.arange(6.0).reshape(2, 3)
    cf = _compile(lib)(f, mode="reduce-overhead")
    sf = lib.jit.script(f) if lib is minitorch else f
    tr = lib.jit.trace(m, x)

    @_compile(lib)
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


# ---- batch 2: modules and dtypes, interop edge cases, more transforms ----------------------
@program
def module_dtype_conversions(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
    m.double()
    a = [m[0].weight.dtype, m[1].running_mean.dtype, m[1].num_batches_tracked.dtype]
    m.to(lib.float16)
    a += [m[0].weight.dtype, m[1].running_var.dtype, m[1].num_batches_tracked.dtype]
    m.to("cpu", lib.float32)
    a += [m[0].weight.dtype, m[0].weight.requires_grad, m[0].weight.is_leaf]
    m.half().float()
    x = lib.ones(4, 2, dtype=lib.float64)
    m2 = lib.nn.Linear(2, 1).to(x)
    a += [m2.weight.dtype, m2(x).dtype, type(m[0].weight).__name__]
    return a


@error(RuntimeError, "mat1 and mat2 must have the same dtype")
def linear_float64_input_float32_weights(lib):
    lib.nn.Linear(2, 2)(lib.ones(1, 2, dtype=lib.float64))


@program
def new_and_like_factories_keep_dtype(lib):
    x = lib.ones(2, dtype=lib.float64)
    i = lib.tensor([1, 2])
    return [
        x.new_tensor([1, 2]),
        x.new_zeros(3),
        x.new_ones((1, 2)),
        x.new_full((2,), 7),
        x.new_empty(2).dtype,
        i.new_tensor([1.5]),
        lib.zeros_like(i, dtype=lib.float32),
        lib.ones_like(x),
        lib.full_like(i, 2.7),
        lib.rand_like(x).dtype,
        lib.randint_like(x, 5).dtype,
        lib.empty_like(i).dtype,
        i.new_full((2,), 2.5),
        x.new_tensor(lib.tensor([3, 4])),
        lib.randn_like(x, dtype=lib.float32).dtype,
    ]


@program
def python_scalar_arithmetic_dtypes(lib):
    i = lib.tensor([1, 2, 3])
    h = lib.tensor([1.0, 2.0], dtype=lib.float16)
    b = lib.tensor([True, False])
    u = lib.tensor([250], dtype=lib.uint8)
    return [
        i * 1.5,
        i / 2,
        i // 2,
        i**2,
        2**i,
        i + True,
        h * 1e5,
        h + 1,
        b + b,
        b * 2.0,
        u + 10,
        u * 2,
        i.float() ** 0.5,
        i.sum(),
        i.mean(dtype=lib.float64),
        b.sum(),
        u.sum(),
        h.sum(),
        i.prod(),
        b.any(),
        lib.tensor(5) / lib.tensor(2),
        lib.tensor(5) // -2,
        lib.tensor(-5) % 3,
        lib.tensor(2.5) + i,
    ]


@program
def default_float64_python_arithmetic(lib):
    lib.set_default_dtype(lib.float64)
    try:
        i = lib.tensor([1, 2, 3])
        f = lib.tensor([1.0], dtype=lib.float32)
        return [
            i * 0.1,
            i / 3,
            f * 0.1,
            i.float().dtype,
            lib.tensor(2) * 1.5,
            lib.arange(0.5, 2),
            lib.linspace(0, 1, 3, dtype=lib.float32),
            lib.sqrt(lib.tensor(2)),
            lib.mean(i.to(lib.get_default_dtype())),
            lib.tensor([1, 2]).to(lib.float32) + lib.tensor(1.0),
        ]
    finally:
        lib.set_default_dtype(lib.float32)


@program
def integer_ops_promote_to_default_float(lib):
    i = lib.tensor([1, 4, 9])
    return [
        lib.sqrt(i),
        i.exp(),
        lib.sigmoid(i),
        i.true_divide(2),
        i.float().dtype,
        lib.mean(i.double()),
        lib.tensor([True]).sin(),
        lib.tensor([1, 2], dtype=lib.uint8).log(),
    ]


@program
def numpy_interop_edge_cases(lib):
    n = np.arange(6, dtype=np.float32)[::-1].copy()
    t = lib.tensor(np.arange(6)[::-1].copy())
    e = lib.from_numpy(np.zeros((0, 3), dtype=np.float32))
    x = lib.arange(6.0).reshape(2, 3).t()
    v = x.numpy()
    v[0, 0] = 42
    return [
        t,
        e,
        e.shape,
        x,
        v.flags["C_CONTIGUOUS"],
        lib.tensor(n).numpy().dtype.name,
        lib.as_tensor(n) is not None,
    ]


@error(ValueError, "At least one stride in the given numpy array is negative")
def from_numpy_negative_strides(lib):  # fixed: shared the reversed array
    lib.from_numpy(np.arange(4.0)[::-1])


@error(ValueError, "At least one stride in the given numpy array is negative")
def tensor_of_negative_strides(lib):  # fixed: copied it
    lib.tensor(np.arange(4.0).reshape(2, 2)[:, ::-1])


@error(ValueError, "At least one stride in the given numpy array is negative")
def as_tensor_of_negative_strides(lib):  # fixed
    lib.as_tensor(np.arange(4)[::-1])


@error(TypeError, "can't convert np.ndarray of type numpy.object_")
def from_numpy_object_array(lib):  # fixed: another message
    lib.from_numpy(np.array([1, "a"], dtype=object))


@error(RuntimeError, "Only Tensors of floating point and complex dtype can require gradients")
def tensor_int_requires_grad(lib):
    lib.tensor([1, 2], requires_grad=True)


@error(ValueError, "invalid type: 'torch.FooTensor'|invalid type")
def type_with_bad_string(lib):
    lib.ones(2).type("torch.FooTensor")


@program
def item_and_conversions_of_dtypes(lib):
    out = []
    for name in DTYPE_NAMES:
        t = lib.tensor([1], dtype=getattr(lib, name))
        out += [type(t.item()).__name__, t.item(), type(t.tolist()[0]).__name__, float(t), int(t)]
    return out


@program
def dlpack_round_trip(lib):
    x = lib.arange(4.0)
    y = lib.from_dlpack(x)
    y[0] = 9
    z = lib.utils.dlpack.from_dlpack(np.arange(3.0))
    w = lib.utils.dlpack.from_dlpack(lib.utils.dlpack.to_dlpack(x))  # fixed: no utils.dlpack
    w[1] = 7
    return [x, y, z, w, lib.from_dlpack(np.ones(2, dtype=np.int32))]


@program
def func_grad_wrt_model_params(lib):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1))
    params = dict(model.named_parameters())
    x = lib.linspace(-1, 1, 6).reshape(2, 3)

    def loss(p, x):
        return lib.func.functional_call(model, p, (x,)).pow(2).mean()

    g = lib.func.grad(loss)(params, x)
    v, g2 = lib.func.grad_and_value(loss)(params, x)
    return [g, v, g2, model[0].weight.grad]


@program
def hessian_of_model_loss_float64(lib):
    lib.manual_seed(0)
    lin = lib.nn.Linear(2, 1).double()
    x = lib.tensor([[1.0, -2.0], [0.5, 0.3]], dtype=lib.float64)

    def loss(w):
        return lib.func.functional_call(lin, {"weight": w, "bias": lin.bias}, (x,)).sin().sum()

    return [
        lib.func.hessian(loss)(lin.weight.detach()),
        lib.func.jacrev(lib.func.jacrev(loss))(lin.weight.detach()),
    ]


@program
def jvp_pytrees_and_has_aux(lib):
    x = lib.tensor([1.0, 2.0])
    y = lib.tensor([0.5, 0.5])
    out, t = lib.func.jvp(
        lambda a, b: {"s": a * b, "d": a - b}, (x, y), (lib.ones(2), lib.zeros(2))
    )
    out2, t2, aux = lib.func.jvp(lambda a: (a.sin(), a.cos()), (x,), (lib.ones(2),), has_aux=True)
    return [out, t, out2, t2, aux]


@program
def vmap_kwargs_and_nested_dims(lib):
    x = lib.arange(12.0).reshape(3, 4)

    def f(a, scale=1.0):
        return a * scale

    out = lib.func.vmap(f)(x, scale=2.0)
    out2 = lib.func.vmap(lib.func.vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(1, None))(
        x, lib.tensor(3.0)
    )
    out3 = lib.func.vmap(lib.trace)(lib.arange(18.0).reshape(2, 3, 3))
    out4 = lib.func.vmap(lambda a: (a.sum(), lib.ones(2)), out_dims=(0, None))(x)
    out5 = lib.func.vmap(lambda a: a.max(), in_dims=1)(x)
    out6 = lib.func.vmap(lambda a: a[None] @ a[:, None])(x)
    return [out, out2, out3, out4, out5, out6]


@program
def vmap_grad_and_jacrev_compositions(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]])
    g = lib.func.vmap(lib.func.grad(lambda t: (t**3).sum()))(x)
    j = lib.func.vmap(lib.func.jacrev(lambda t: t.sin() * t.sum()))(x)
    gg = lib.func.vmap(lib.func.grad(lambda a, b: (a * b).sum(), argnums=1), in_dims=(0, None))(
        x, x[0]
    )
    jf = lib.func.vmap(lib.func.jacfwd(lambda t: t.exp()))(x)
    return [g, j, gg, jf]


@program
def functional_call_tuple_of_dicts_and_kwargs(lib):
    lib.manual_seed(0)
    m = lib.nn.Linear(2, 2)
    w = {"weight": lib.eye(2)}
    b = {"bias": lib.ones(2)}
    x = lib.tensor([[1.0, 2.0]])
    out = lib.func.functional_call(m, (w, b), x)
    out2 = lib.func.functional_call(m, w, args=(), kwargs={"input": x})
    return [out, out2, m.weight]


@error(ValueError, r"\['bias'\] appeared in multiple dictionaries")
def functional_call_duplicate_keys(lib):
    m = lib.nn.Linear(2, 2)
    lib.func.functional_call(m, ({"bias": lib.ones(2)}, {"bias": lib.ones(2)}), (lib.ones(1, 2),))


@error(RuntimeError, "Unexpected key\\(s\\): 'extra'")
def functional_call_strict_unexpected(lib):
    m = lib.nn.Linear(2, 2)
    p = dict(m.named_parameters())
    p["extra"] = lib.ones(1)
    lib.func.functional_call(m, p, (lib.ones(1, 2),), strict=True)


@error(RuntimeError, "only supports floating-point dtypes|floating")
def grad_of_integer_input(lib):
    lib.func.grad(lambda t: t.sum())(lib.tensor([1, 2]))


@program
def replace_batch_norm_and_vmap_model(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(3, 3), lib.nn.BatchNorm1d(3))
    lib.func.replace_all_batch_norm_modules_(m)
    return [m[1].running_mean is None, m[1].track_running_stats]


@program
def tensor_type_and_legacy_constructors(lib):
    return [
        lib.FloatTensor([1, 2]),
        lib.LongTensor([1.7]),
        lib.DoubleTensor(2).shape,
        lib.BoolTensor([0, 2]),
        isinstance(lib.ones(2), lib.FloatTensor),
        isinstance(lib.ones(2).long(), lib.FloatTensor),
        lib.ones(2).type(lib.LongTensor) if lib is not None else None,
        lib.Tensor([1, 2]),
        lib.Tensor(2, 3).shape,
    ]


@program
def device_kwarg_forms(lib):
    out = []
    for d in ("cpu", lib.device("cpu"), "cpu:0", None):
        t = lib.zeros(2, device=d)
        out += [
            str(t.device),
            str(lib.tensor([1], device=d).device),
            str(lib.arange(2, device=d).device),
        ]
    m = lib.nn.Linear(1, 1, device="cpu", dtype=lib.float64)
    return out + [
        m.weight.dtype,
        str(m.weight.device),
        str(lib.ones(1).to(device=0 if False else "cpu").device),
    ]


@program
def get_device_and_device_index(lib):
    x = lib.ones(1)
    return [
        x.get_device(),
        lib.device("cuda", 0).index,
        lib.device("cpu", 0).index,
        str(lib.device("cuda", 1)),
        lib.device("cuda:0") == lib.device("cuda", 0),
        lib.device("cuda") == lib.device("cuda:0"),
    ]


@program
def compile_options_and_disable(lib):
    @_compile(lib)(fullgraph=True, dynamic=False)
    def f(x):
        return x.relu() * 2

    g = _compile(lib)(lambda x: x.cos(), backend="eager")
    lib.compiler.reset()  # fixed: no minitorch.compiler

    @lib.compiler.disable(recursive=False)
    def h(x):
        return x + 1

    x = lib.tensor([-1.0, 2.0])
    return [f(x), g(x), h(x), lib.compiler.disable(h)(x), lib.compiler.is_compiling()]


@program
def jit_script_module_and_save_free_calls(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU())
    sm = lib.jit.script(m)
    x = lib.tensor([[1.0, -1.0]])
    tm = lib.jit.trace(lambda a: a * 2 + 1, (x,))
    return [sm(x), m(x), tm(x), isinstance(sm, lib.nn.Module)]


# ---- batch 3: casts in the graph, read-only arrays, more queries -----------------------------
@program
def gradients_through_dtype_casts(lib):
    x = lib.tensor([1.5, -2.0], requires_grad=True)
    y = x.double() * lib.tensor([2.0, 3.0], dtype=lib.float64)
    z = x.to(lib.float16).float() * 2
    (y.sum() + z.sum()).backward()
    p = lib.nn.Parameter(lib.ones(2))
    return [
        y,
        z,
        x.grad,
        type(p.double()).__name__,
        p.double().requires_grad,
        p.to(lib.float64).is_leaf,
        type(p.detach()).__name__,
        x.double().grad_fn is not None,
        type(x.data).__name__,
    ]


@program
def read_only_numpy_array(lib):
    n = np.arange(3.0)
    n.flags.writeable = False
    t = lib.tensor(n)
    t[0] = 5
    a = lib.as_tensor(n, dtype=lib.float32)
    a[1] = 6
    return [t, a, n.copy()]


@program
def to_device_copy_non_blocking(lib):
    x = lib.arange(3.0)
    a = x.to(lib.device("cpu"), non_blocking=True, copy=True)
    a[0] = 9
    b = x.to("cpu", lib.float64, non_blocking=True)
    c = x.to(x.device)
    return [x, a, b, c is x, x.cpu().is_contiguous(), x.is_pinned()]


@error((AssertionError, RuntimeError), "CUDA|cuda")
def cuda_current_device_without_gpu(lib):
    if lib is minitorch and minitorch.cuda.is_available():
        pytest.skip("a GPU is present")
    lib.cuda.current_device()


@error((AssertionError, RuntimeError), "CUDA|cuda")
def to_cuda_string_without_gpu(lib):
    if lib is minitorch and minitorch.cuda.is_available():
        pytest.skip("a GPU is present")
    lib.zeros(2).to("cuda")


@error(ValueError, "expected `in_dims` to be int or a \\(potentially nested\\) tuple")
def vmap_in_dims_list(lib):
    lib.func.vmap(lambda a: a, in_dims=[0])(lib.ones(2))


@error(ValueError, "vmap: Expected at least one Tensor to vmap over")
def vmap_no_tensor_inputs(lib):
    lib.func.vmap(lambda a: a, in_dims=(None,))(lib.ones(2))


@program
def vmap_negative_out_dims_and_scalars(lib):
    x = lib.arange(6.0).reshape(2, 3)
    return [
        lib.func.vmap(lambda r: r.unsqueeze(0) * 2, out_dims=-1)(x),
        lib.func.vmap(lambda r: r.sum())(x),
        lib.func.vmap(lambda r: r.sum(), out_dims=0)(x.t()),
    ]


@program
def default_float64_nn_init_and_optim(lib):
    lib.set_default_dtype(lib.float64)
    try:
        lib.manual_seed(0)
        m = lib.nn.Sequential(lib.nn.Conv1d(1, 2, 2), lib.nn.Flatten(), lib.nn.LayerNorm(8))
        opt = lib.optim.Adam(m.parameters(), lr=0.1)
        x = lib.linspace(-1, 1, 10).reshape(2, 1, 5)
        loss = m(x).pow(2).mean()
        loss.backward()
        opt.step()
        return [
            loss,
            m[0].weight,
            m[2].weight.dtype,
            lib.nn.init.zeros_(lib.empty(2)).dtype,
            lib.nn.functional.one_hot(lib.tensor([1]), 3).dtype,
            lib.tensor([1.0]).float().dtype,
        ]
    finally:
        lib.set_default_dtype(lib.float32)


@program
def finfo_of_tensor_dtype_and_clamp_idioms(lib):
    x = lib.tensor([0.0, 1e-30, 3.0])
    eps = lib.finfo(x.dtype).eps
    big = lib.finfo(x.dtype).max
    return [
        x.clamp(min=eps),
        lib.log(x + eps),
        x.masked_fill(x == 0, -big),
        lib.iinfo(lib.int64).max // 2,
        lib.tensor([lib.iinfo(lib.int32).max], dtype=lib.int32) + 1,
        eps,
        type(eps).__name__,
    ]


@program
def environment_report_queries(lib):  # fixed: no memory_reserved, cudnn.version, interop threads
    n = lib.get_num_interop_threads()
    lib.set_num_interop_threads(n)
    return [
        lib.cuda.memory_reserved(),
        lib.cuda.memory_allocated(),
        lib.cuda.max_memory_allocated(),
        lib.backends.cudnn.version(),
        lib.backends.openmp.is_available() in (True, False),
        lib.get_num_interop_threads() == n,
        lib.backends.cudnn.enabled,
        lib.backends.mps.is_built(),
    ]


@error(RuntimeError, "set_num_interop_threads expects a positive integer")
def set_num_interop_threads_zero(lib):
    lib.set_num_interop_threads(0)


@error(RuntimeError, "Device index must not be negative")
def device_negative_index(lib):  # fixed: gave cuda:-1
    lib.device("cuda", -1)


@error(TypeError, r"device\(\): argument 'index' \(position 2\) must be int, not str")
def device_string_index(lib):  # fixed: gave cpu:x
    lib.device("cpu", "x")


@program
def device_numpy_integer_index(lib):
    return [str(lib.device("cpu", np.int64(0))), lib.device("cuda", np.int32(1)).index]


@program
def from_numpy_read_only(lib):
    n = np.arange(3.0)
    n.flags.writeable = False
    return [lib.from_numpy(n)]


def test_from_numpy_read_only_warns_once_a_process():  # as PyTorch's TORCH_WARN_ONCE
    n = np.arange(3.0)
    n.flags.writeable = False
    message = "The given NumPy array is not writable"
    _warn_once._given = {m for m in _warn_once._given if not m.startswith(message)}
    with pytest.warns(UserWarning, match=message):
        minitorch.from_numpy(n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minitorch.as_tensor(n)


def test_write_to_read_only_numpy_tensor_names_the_cause():
    n = np.arange(3.0)
    n.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = minitorch.from_numpy(n)
    with pytest.raises(RuntimeError, match="read-only .* non-writable numpy array"):
        t[0] = 5  # was "shape mismatch: value tensor of shape [] cannot be broadcast"


@error(ValueError, r"vmap: chunk_size should be None or greater than 0. \(got 0\)")
def vmap_chunk_size_zero(lib):  # fixed: accepted
    lib.func.vmap(lambda a: a, chunk_size=0)


@error(RuntimeError, r"argnums must be int or Tuple\[int, ...\], got: <class 'float'>")
def grad_float_argnums(lib):  # fixed: "'float' object is not iterable"
    lib.func.grad(lambda a: a.sum(), argnums=0.5)(lib.ones(2))


@error(RuntimeError, r"argnums must be int or Tuple\[int, ...\], got: <class 'list'>")
def grad_list_argnums(lib):  # fixed: accepted
    lib.func.grad(lambda a, b: (a * b).sum(), argnums=[0, 1])(lib.ones(2), lib.ones(2))


@error(RuntimeError, "vjp\\(f, ...\\): All outputs of f must be floating-point or complex Tensors")
def vjp_of_bool_output(lib):  # fixed: gave zero gradients
    lib.func.vjp(lambda a: a > 0, lib.ones(3))


@program
def transforms_misc_semantics(lib):
    x = lib.tensor([1.0, 2.0, 3.0])
    lib.set_grad_enabled(False)
    try:
        g_off = lib.func.grad(lambda a: a.pow(2).sum())(x)
    finally:
        lib.set_grad_enabled(True)
    xr = lib.ones(2, requires_grad=True)
    o = lib.func.vjp(lambda a: a.sin(), x)
    lin = lib.func.linearize(lambda a: a.sin(), x)
    return [
        g_off,
        lib.func.grad(lambda a: (a**2).sum())(xr),
        lib.func.grad(lambda a: a.detach().sum())(x),
        lib.func.grad(lambda a, b: b.sum(), argnums=0)(x, x),
        o[1](lib.ones(3)),
        o[1](lib.ones(3) * 2),
        lin[1](lib.ones(3)),
        lin[1](lib.ones(3) * 2),
        lib.func.jacrev(lambda a: a * a)(lib.tensor(3.0)),
        lib.func.hessian(lambda a, b: (a * b * b).sum(), argnums=1)(x, x),
        lib.autograd.functional.jacobian(lambda a: a**2, x),
        lib.func.vmap(lambda a: a * 2)(lib.ones(2, requires_grad=True)),
    ]


@program
def tensor_of_one_element_tensors(lib):  # fixed: [ones(1), zeros(1)] gave shape (2, 1)
    losses = [lib.ones(1) * 0.5, lib.zeros(1), lib.tensor([[2.0]])]
    return [
        lib.tensor(losses),
        lib.tensor([lib.ones(1, 1), 2.0]),
        lib.tensor([[lib.tensor(1.5)], [lib.tensor(2)]]),
        lib.tensor([lib.tensor([3], dtype=lib.int32), lib.tensor(4, dtype=lib.int32)]),
        lib.tensor([lib.tensor([1.0], dtype=lib.float64), 1]),
    ]


@error(ValueError, "only one element tensors can be converted to Python scalars")
def tensor_of_list_of_vectors(lib):  # fixed: stacked them
    lib.tensor([lib.ones(2), lib.zeros(2)])


@program
def untyped_storage_sharing_checks(lib):  # fixed: no Tensor.untyped_storage
    x = lib.arange(4.0)
    s = x.untyped_storage()
    return [
        s.size(),
        s.nbytes(),
        len(s),
        s.element_size(),
        str(s.device),
        s[0],
        type(s).__name__,
        x[2:].untyped_storage().data_ptr() == s.data_ptr(),
        x.clone().untyped_storage().data_ptr() == s.data_ptr(),
        x.view(2, 2).t().untyped_storage().size(),
        lib.is_storage(s),
        lib.tensor([1, 2], dtype=lib.uint8).untyped_storage().tolist(),
    ]


@error(RuntimeError, "Could not infer dtype of NoneType")
def tensor_of_none(lib):  # fixed: ValueError about ragged lists
    lib.tensor([1.0, None])


@error(TypeError, r"numel\(\): argument 'input' \(position 1\) must be Tensor, not list")
def numel_of_list(lib):  # fixed: AttributeError
    lib.numel([1, 2])


@error(RuntimeError, "Can't call numpy\\(\\) on Tensor that requires grad")
def np_asarray_of_requires_grad(lib):  # fixed: gave the array
    np.asarray(lib.ones(2, requires_grad=True))


@program
def to_positional_non_blocking_copy_and_none(lib):  # fixed: a positional bool was a CUDA index
    x = lib.arange(3.0)
    a = x.to(lib.ones(1, dtype=lib.int32), True)
    b = x.to(lib.float64, True)
    c = x.to("cpu", lib.float32, False, True)
    c[0] = 7
    d = x.to(x, False, True)
    return [a, b, c, x, d is x, x.to(None) is x, x.to(lib.float32, False, False) is x]


@program
def to_memory_format(lib):  # fixed: memory_format was ignored
    x = lib.arange(36.0).reshape(1, 4, 3, 3)
    cl = x.to(memory_format=lib.channels_last)
    back = cl.to(lib.float64, memory_format=lib.contiguous_format)
    conv = lib.nn.Conv2d(2, 3, 3).to(memory_format=lib.channels_last)
    return [
        cl,
        cl.stride(),
        cl.is_contiguous(memory_format=lib.channels_last),
        back.stride(),
        cl.to(memory_format=lib.channels_last) is cl,
        cl.double().stride(),
        conv.weight.stride(),
        type(conv.weight).__name__,
        conv.weight.requires_grad,
    ]


@error(TypeError, "can't convert np.ndarray of type numpy.str_")
def tensor_of_string_array(lib):  # fixed: int()'s ValueError
    lib.tensor(np.array(["a", "b"]))


@error(RuntimeError, "Boolean value of Tensor with no values is ambiguous")
def bool_of_empty_tensor(lib):  # fixed: said "more than one value"
    bool(lib.tensor([]))


@program
def python_protocols_of_tensors(lib):
    t = lib.tensor(3.14159)
    return [
        [10, 20, 30][lib.tensor(1)],
        list(range(lib.tensor(3))),
        int(lib.tensor([3])),
        float(lib.tensor([[3.5]])),
        f"{t:.2f}",
        f"{lib.tensor(3):d}",
        "%.3f" % lib.tensor(2.5),  # noqa: UP031  (the printf form users write)
        round(lib.tensor(2.567).item(), 2),
        2 in lib.tensor([1, 2]),
        max(lib.tensor([1, 5, 3])),
        sorted(lib.tensor([3, 1, 2])),
        abs(lib.tensor(-2)),
        lib.ones(2, 3).shape == (2, 3),
        lib.ones(2, 3).shape[1:],
        lib.Size([2, 3]).numel(),
        np.array([lib.tensor(1.0), lib.tensor(2.0)]),
        np.float32(lib.tensor(2.5)),
        lib.float32 in {lib.float32},
    ]


test_program_matches_pytorch = SWEEP.test()
