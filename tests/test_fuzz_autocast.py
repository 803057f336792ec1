"""Random mixed-precision programs, run with real PyTorch (the oracle) and with minitorch.

Autocast programs: blocks of ops (matrix products, convolutions, recurrent cells, norms,
losses, reductions, elementwise and widest-input ops, in-place changes, dtype casts,
modules with float32 parameters, custom Functions with ``custom_fwd``/``custom_bwd``) over a
pool of 4x4 tensors that starts with float32 leaves, a leaf of a random floating dtype and
an integer tensor; each block runs in a random region (``torch.autocast`` on "cpu" in
bfloat16 or float16, disabled, an unsupported dtype, nested regions, the decorator form,
``cache_enabled``, ``set_autocast_dtype``, ``no_grad`` inside), then the leaves' gradients of
a weighted sum. Each op's outcome (dtype, shape and values, or the error's type and first
words), the region flags seen inside, the warnings and the gradients (dtype and values) of
the leaves and module parameters must be the same.

Left out (known divergences, reported): an in-place change of a tensor that a mixed-dtype
op saved (PyTorch saves the tensor itself, minitorch's op its promoted copy), and of the
logits of cross_entropy (minitorch's fused op saves them, PyTorch's composition saves
log_softmax's result): the programs' cross_entropy takes ``x + 0``.

GradScaler programs: random sequences of ``scale``/``backward``, ``unscale_``, ``step``,
``update`` (with and without a new scale), inf/NaN gradients, two optimizers,
``state_dict``/``load_state_dict`` and ``enabled=False`` on the CPU; after each action the
scale, growth tracker, parameters and gradients (or the error) must be the same.

Seeds are fixed, so a failure names a program that can be replayed with ``describe(seed)``."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

import minitorch

SEEDS = range(70)
SCALER_SEEDS = range(25)


def _f(T):
    return T.nn.functional


def _mat(x):
    """A 4x4 view of a result with 16 elements (conv and pool outputs)."""
    return x.reshape(4, 4)


# ops over two 4x4 operands returning a 4x4 tensor (the norms with eps=0.1: a row of
# near-equal 16-bit values has a tiny variance, and its gradients then amplify rounding
# differences of an ulp into large ones, in PyTorch's kernels as in ours)
OPS = {
    # PyTorch's CPU lower-precision list
    "matmul": lambda T, x, y: x @ y,
    "mm": lambda T, x, y: T.mm(x, y),
    "bmm": lambda T, x, y: T.bmm(x.unsqueeze(0), y.unsqueeze(0))[0],
    "addmm": lambda T, x, y: T.addmm(x, x, y, beta=0.5, alpha=2),
    "baddbmm": lambda T, x, y: T.baddbmm(x[None], x[None], y[None], alpha=0.5)[0],
    "addbmm": lambda T, x, y: T.addbmm(y, x[None], y[None]),
    "linear": lambda T, x, y: _f(T).linear(x, y, y[0]),
    "linear_nobias": lambda T, x, y: _f(T).linear(x, y),
    "conv1d": lambda T, x, y: _f(T).conv1d(x[None], y.reshape(4, 4, 1), y[1])[0],
    "conv1d_groups": lambda T, x, y: _f(T).conv1d(
        x, y[:, :3].reshape(4, 1, 3), padding=1, groups=4
    ),
    "conv2d": lambda T, x, y: _mat(
        _f(T).conv2d(x.reshape(1, 1, 4, 4), y[:3, :3].reshape(1, 1, 3, 3), padding=1)
    ),
    "conv3d": lambda T, x, y: _mat(
        _f(T).conv3d(x.reshape(1, 1, 1, 4, 4), y[:3, :3].reshape(1, 1, 1, 3, 3), padding=(0, 1, 1))
    ),
    "conv_transpose1d": lambda T, x, y: _f(T).conv_transpose1d(x[None], y.reshape(4, 4, 1))[0],
    "conv_transpose2d": lambda T, x, y: _mat(
        _f(T).conv_transpose2d(x.reshape(1, 1, 4, 4), y[:3, :3].reshape(1, 1, 3, 3), padding=1)
    ),
    "prelu": lambda T, x, y: _f(T).prelu(x, y[0]),
    "sdpa": lambda T, x, y: _f(T).scaled_dot_product_attention(x[None], y[None], y[None])[0],
    "einsum": lambda T, x, y: T.einsum("ij,kj->ik", x, y),
    "tensordot": lambda T, x, y: T.tensordot(x, y, dims=1),
    "mv": lambda T, x, y: T.mv(x, y[0]).repeat(4, 1),
    "dot": lambda T, x, y: T.dot(x[0], y[1]).reshape(1, 1).repeat(4, 4),
    "vecdot": lambda T, x, y: T.linalg.vecdot(x, y).repeat(4, 1),
    "multi_dot": lambda T, x, y: T.linalg.multi_dot([x, y, x]),
    "lstm_cell": lambda T, x, y: T.lstm_cell(
        x, (x, y), T.cat([y, x] * 2), T.cat([x.t(), y] * 2), y.flatten(), x.flatten()
    )[1],
    "gru_cell": lambda T, x, y: T.gru_cell(x, y, T.cat([y, x, y]), T.cat([x, x, y])),
    "rnn_tanh_cell": lambda T, x, y: T.rnn_tanh_cell(x, y, y, x, y[0]),
    # its float32 list
    "cdist": lambda T, x, y: T.cdist(x, y),
    "mse_loss": lambda T, x, y: _f(T).mse_loss(x, y, reduction="none"),
    "l1_loss": lambda T, x, y: _f(T).l1_loss(x, y, reduction="none"),
    "smooth_l1": lambda T, x, y: _f(T).smooth_l1_loss(x, y, reduction="none"),
    "huber": lambda T, x, y: _f(T).huber_loss(x, y, reduction="none", delta=0.5),
    "kl_div": lambda T, x, y: _f(T).kl_div(x, y.sigmoid(), reduction="none"),
    "bce_logits": lambda T, x, y: _f(T).binary_cross_entropy_with_logits(
        x, y.sigmoid(), reduction="none"
    ),
    "bce": lambda T, x, y: _f(T).binary_cross_entropy(x.sigmoid(), y.sigmoid(), reduction="none"),
    # x + 0: minitorch's fused cross_entropy saves its input where PyTorch's composition saves
    # log_softmax's result, so an in-place change of x before backward diverges (reported)
    "cross_entropy": lambda T, x, y: (
        _f(T).cross_entropy(x + 0, y.softmax(1), reduction="none").repeat(4, 1)
    ),
    "nll_loss": lambda T, x, y: (
        _f(T).nll_loss(x, T.tensor([0, 3, 1, 1]), reduction="none").repeat(4, 1)
    ),
    "mse_mean": lambda T, x, y: _f(T).mse_loss(x, y).reshape(1, 1).repeat(4, 4),
    "prod": lambda T, x, y: x.prod(1, keepdim=True).repeat(1, 4),
    "trace": lambda T, x, y: T.trace(x).reshape(1, 1).repeat(4, 4),
    "inv": lambda T, x, y: T.linalg.inv(x + 4 * T.eye(4, dtype=x.dtype)),
    "max_pool3d": lambda T, x, y: _mat(
        _f(T).max_pool3d(x.reshape(1, 1, 4, 4), (1, 3, 3), 1, (0, 1, 1))
    ),
    "reflect_pad": lambda T, x, y: _f(T).pad(x[None], (1, 1), mode="reflect")[0, :, 1:5],
    # not listed on the CPU: run in their input's dtype
    "softmax": lambda T, x, y: x.softmax(-1),
    "log_softmax": lambda T, x, y: _f(T).log_softmax(x, 0),
    "layer_norm": lambda T, x, y: _f(T).layer_norm(x, (4,), y[0], y[1], eps=0.1),
    "group_norm": lambda T, x, y: _f(T).group_norm(x, 2, y[0], y[1], eps=0.1),
    "batch_norm": lambda T, x, y: _f(T).batch_norm(
        x, None, None, y[0], y[1], training=True, eps=0.1
    ),
    "rms_norm": lambda T, x, y: _f(T).rms_norm(x, (4,), y[0], eps=0.1),
    "sum": lambda T, x, y: x.sum(1, keepdim=True).repeat(1, 4),
    "mean": lambda T, x, y: x.mean(0, keepdim=True).repeat(4, 1),
    "cumsum": lambda T, x, y: x.cumsum(1),
    "exp": lambda T, x, y: (x * 0.3).exp(),
    "log": lambda T, x, y: (x.abs() + 1).log(),
    "pow": lambda T, x, y: (x.abs() + 0.5).pow(1.5),
    "pow_tensor": lambda T, x, y: (x.abs() + 0.5) ** (y * 0.3),
    "norm": lambda T, x, y: x.norm(dim=1, keepdim=True).repeat(1, 4),
    "vector_norm": lambda T, x, y: T.linalg.vector_norm(x, 1, dim=0).repeat(4, 1),
    "tanh": lambda T, x, y: x.tanh(),
    "gelu": lambda T, x, y: _f(T).gelu(x),
    "silu": lambda T, x, y: _f(T).silu(x),
    "softplus": lambda T, x, y: _f(T).softplus(x),
    "relu": lambda T, x, y: x.relu(),
    "sigmoid": lambda T, x, y: x.sigmoid(),
    "sqrt": lambda T, x, y: (x * x + 1).sqrt(),
    "rsqrt": lambda T, x, y: (x * x + 1).rsqrt(),
    "reciprocal": lambda T, x, y: (x * x + 1).reciprocal(),
    "transpose": lambda T, x, y: x.t(),
    # widest input type
    "add": lambda T, x, y: x + y,
    "mul": lambda T, x, y: x * y,
    "sub_scalar": lambda T, x, y: x - 1.5,
    "maximum": lambda T, x, y: T.maximum(x, y),
    "atan2": lambda T, x, y: T.atan2(x, y.abs() + 0.5),
    "cat": lambda T, x, y: T.cat([x, y])[::2],
    "stack": lambda T, x, y: T.stack([x, y]).sum(0),
    "where": lambda T, x, y: T.where(x > 0, x, y),
    "addcmul": lambda T, x, y: T.addcmul(x, x, y, value=0.5),
    "addcdiv": lambda T, x, y: T.addcdiv(x, x, y.abs() + 1),
    "lerp": lambda T, x, y: T.lerp(x, y, 0.25),
    "index_put": lambda T, x, y: x.index_put((T.tensor([0, 2]),), y[1]),
    "index_copy": lambda T, x, y: x.index_copy(0, T.tensor([1, 3]), y[:2]),
    "masked_scatter": lambda T, x, y: x.masked_scatter(x > 0, y),
    "scatter_add": lambda T, x, y: x.scatter_add(1, T.tensor([[0, 1, 2, 3]] * 4), y),
    # casts
    "float": lambda T, x, y: x.float(),
    "double": lambda T, x, y: x.double(),
    "half": lambda T, x, y: x.half(),
    "bfloat16": lambda T, x, y: x.bfloat16(),
    "to_y": lambda T, x, y: x.to(y.dtype),
    "type_as": lambda T, x, y: x.type_as(y),
}
_modules: dict = {}  # framework -> this program's modules (run() makes them)


def _module(name: str):
    return lambda T, x, y: MODULES[name][1](_modules[T][name], x, y)


# modules with parameters of their own (float32, filled from the program's seed)
MODULES = {
    "m_linear": (lambda T: T.nn.Linear(4, 4), lambda m, x, y: m(x)),
    "m_conv1d": (lambda T: T.nn.Conv1d(4, 4, 3, padding=1), lambda m, x, y: m(x[None])[0]),
    "m_lstm_cell": (lambda T: T.nn.LSTMCell(4, 4), lambda m, x, y: m(x, (y, y))[1]),
    "m_gru_cell": (lambda T: T.nn.GRUCell(4, 4), lambda m, x, y: m(x, y)),
    "m_layer_norm": (lambda T: T.nn.LayerNorm(4, eps=0.1), lambda m, x, y: m(x)),
    "m_group_norm": (lambda T: T.nn.GroupNorm(2, 4, eps=0.1), lambda m, x, y: m(x)),
    "m_batch_norm": (lambda T: T.nn.BatchNorm1d(4, eps=0.1), lambda m, x, y: m(x)),
    "m_prelu": (lambda T: T.nn.PReLU(4), lambda m, x, y: m(x)),
    "m_attention": (
        lambda T: T.nn.MultiheadAttention(4, 2, batch_first=True),
        lambda m, x, y: m(x[None], y[None], y[None])[0][0],
    ),
}
OPS.update({name: _module(name) for name in MODULES})


def _custom(T, cast_inputs):
    """A custom Function (x @ y, its gradients by hand) decorated with torch.amp's
    custom_fwd / custom_bwd; ``cast_inputs``: None or float32."""

    class Product(T.autograd.Function):
        @staticmethod
        @T.amp.custom_fwd(device_type="cpu", cast_inputs=cast_inputs)
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x @ y

        @staticmethod
        @T.amp.custom_bwd(device_type="cpu")
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g @ y.t(), x.t() @ g

    return Product


OPS["custom_fwd"] = lambda T, x, y: _custom(T, None).apply(x, y)
OPS["custom_fwd_float32"] = lambda T, x, y: _custom(T, T.float32).apply(x, y)


def _make_modules(T, rng) -> dict:
    modules = {}
    for name, (make, _) in MODULES.items():
        m = make(T)
        with T.no_grad():
            for _, p in sorted(m.named_parameters()):
                p.copy_(T.tensor(rng.standard_normal(tuple(p.shape)) * 0.5))
        modules[name] = m
    return modules


# in-place changes of a pool entry (an op result, never a leaf) by another operand
INPLACE = {
    "add_": lambda T, x, y: x.add_(y),
    "mul_": lambda T, x, y: x.mul_(2),
    "copy_": lambda T, x, y: x.copy_(y),
    "relu_": lambda T, x, y: x.relu_(),
    "setitem": lambda T, x, y: x.__setitem__(1, y[2]),
    "index_put_": lambda T, x, y: x.index_put_((T.tensor([3]),), y[0]),
    "masked_fill_": lambda T, x, y: x.masked_fill_(x > 0.5, 0.5),
    "clamp_": lambda T, x, y: x.clamp_(-1, 1),
    "addmm_": lambda T, x, y: x.addmm_(x.detach().clone(), y.detach().clone()),  # no aliasing
    "addcmul_": lambda T, x, y: x.addcmul_(y, y, value=0.1),
    "exp_": lambda T, x, y: x.mul_(0.1).exp_(),
}
LEAF_DTYPES = ("float32", "float64", "bfloat16", "float16")
REGION_DTYPES = ("bfloat16", "bfloat16", "float16", None, "float32", "float64")
REGIONS = ("autocast", "autocast", "autocast", "disabled", "nested", "nested_off", "decorator",
           "no_grad", "set_dtype", "outside")  # fmt: skip


# ops that take the integer tensor (pool entry 3) as an operand: elsewhere it only gives
# "not implemented for 'Long'" errors
INTEGER_OK = {"add", "mul", "sub_scalar", "maximum", "cat", "stack", "where", "float", "double",
              "half", "bfloat16", "to_y", "type_as", "sum", "cumsum", "index_copy", "index_put",
              "masked_scatter", "scatter_add", "addcmul", "matmul", "linear"}  # fmt: skip


def _operand(r: random.Random, n: int, name: str) -> int:
    while True:
        i = r.randrange(n)
        if i != 3 or name in INTEGER_OK:
            return i


def program(seed: int):
    """Program ``seed``: the third leaf's dtype; blocks of (region kind, its dtype, its
    cache_enabled, steps (kind, op name, operand indices)); the loss weights; whether the
    loss is taken inside a region."""
    r = random.Random(seed)
    blocks, n = [], 4
    for _ in range(r.randint(1, 3)):
        steps = []
        for _ in range(r.randint(1, 4)):
            if r.random() < 0.8 or n == 4:
                name = r.choice(list(OPS))
                steps.append(("op", name, (_operand(r, n, name), _operand(r, n, name))))
                n += 1
            else:
                steps.append(("inplace", r.choice(list(INPLACE)), (r.randrange(4, n), r.randrange(n))))  # fmt: skip
        region = (r.choice(REGIONS), r.choice(REGION_DTYPES), r.choice((None, True, False)))
        blocks.append((region, steps))
    weights = [round(r.uniform(-1, 1), 3) for _ in range(n)]
    return r.choice(LEAF_DTYPES), blocks, weights, r.random() < 0.3


def describe(seed: int) -> str:
    leaf, blocks, _, inside = program(seed)
    parts = [f"leaf c {leaf}"]
    for (kind, dtype, cache), steps in blocks:
        ops = ", ".join(f"{name}{tuple(f'p{i}' for i in at)}" for _, name, at in steps)
        parts.append(f"{kind}({dtype}, cache={cache}): {ops}")
    return "; ".join(parts) + ("; loss inside a region" if inside else "")


def _values(T, t):
    """dtype, shape and values (through float64) of a tensor; other results as they are."""
    if not isinstance(t, T.Tensor):
        return t
    return (str(t.dtype).split(".")[-1], tuple(t.shape), np.array(t.detach().double().tolist()))


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e))


def _region(T, kind: str, dtype, cache):
    """The context manager of a block: (enter, flags) where enter() gives a context."""
    dt = getattr(T, dtype) if dtype else None
    kw = {} if cache is None else {"cache_enabled": cache}
    if kind == "disabled":
        return T.autocast("cpu", dtype=dt, enabled=False, **kw)
    if kind == "outside":
        return None
    return T.autocast("cpu", dtype=dt, **kw)


def _flags(T) -> tuple:
    return (T.is_autocast_enabled("cpu"), str(T.get_autocast_dtype("cpu")).split(".")[-1],
            T.is_autocast_cache_enabled())  # fmt: skip


# ops PyTorch's CPU kernels have no 16-bit loop for (minitorch computes them: reported)
NO_16BIT_KERNEL = {"cdist"}


def _run_steps(T, pool, steps, out):
    for kind, name, (i, j) in steps:
        if name in NO_16BIT_KERNEL and not T.is_autocast_enabled("cpu"):
            if {pool[i].dtype, pool[j].dtype} & {T.float16, T.bfloat16}:
                pool.append(pool[i].clone())
                out.append("skipped")
                continue
        try:
            if kind == "op":
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = OPS[name](T, pool[i], pool[j])
                pool.append(res)
                out.append(_values(T, res))
            else:
                INPLACE[name](T, pool[i], pool[j])
                out.append(_values(T, pool[i]))
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            if kind == "op":
                pool.append(pool[i].clone())  # keeps the operand indices of later steps valid
            out.append(_error(e))


def _block(T, pool, region, steps, out):
    kind, dtype, cache = region
    if kind == "outside":
        _run_steps(T, pool, steps, out)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ctx = _region(T, kind, dtype, cache)
    out.append(("warnings", sorted(str(w.message).split("\n")[0][:50] for w in caught)))
    if kind == "decorator":
        ctx(_run_steps)(T, pool, steps, out)
        out.append(_flags(T))
        return
    with ctx:
        out.append(_flags(T))
        if kind == "no_grad":
            with T.no_grad():
                _run_steps(T, pool, steps, out)
        elif kind in ("nested", "nested_off"):
            inner = T.autocast("cpu", dtype=T.float16, enabled=kind == "nested", cache_enabled=False)  # fmt: skip
            with inner:
                out.append(_flags(T))
                _run_steps(T, pool, steps[:2], out)
            out.append(_flags(T))
            _run_steps(T, pool, steps[2:], out)
        elif kind == "set_dtype":
            T.set_autocast_dtype("cpu", T.float16)
            out.append(_flags(T))
            _run_steps(T, pool, steps, out)
        else:
            _run_steps(T, pool, steps, out)
    out.append(_flags(T))


def run(T, seed: int) -> list:
    leaf, blocks, weights, inside = program(seed)
    rng = np.random.default_rng(seed)
    data = [rng.standard_normal((4, 4)) * 0.5 for _ in range(3)]
    a = T.tensor(data[0], dtype=T.float32, requires_grad=True)
    b = T.tensor(data[1], dtype=T.float32, requires_grad=True)
    c = T.tensor(data[2], dtype=getattr(T, leaf), requires_grad=True)
    i = T.tensor(rng.integers(-3, 4, (4, 4)))
    pool, out = [a, b, c, i], []
    _modules[T] = _make_modules(T, rng)
    for region, steps in blocks:
        _block(T, pool, region, steps, out)
    out.append(_flags(T))
    try:
        with T.autocast("cpu", enabled=inside):
            terms = [w * p.float().sum() for w, p in zip(weights, pool) if p.requires_grad]
            loss = sum(terms) if terms else None
        if loss is not None:
            out.append(_values(T, loss))
            loss.backward()
    except Exception as e:  # noqa: BLE001
        # which gradients a failed backward had accumulated depends on the engine's order
        return out + [_error(e)]
    out.append([_values(T, t.grad) for t in (a, b, c)])
    used = {name for _, steps in blocks for _, name, _ in steps if name in MODULES}
    for name in sorted(used):
        m = _modules[T][name]
        out.append([[n, _values(T, p.grad)] for n, p in sorted(m.named_parameters())])
        out.append([[n, _values(T, t)] for n, t in sorted(m.named_buffers())])
    return out


def _same(actual, expected, where: str) -> None:
    if isinstance(expected, tuple) and len(expected) == 3 and isinstance(expected[2], np.ndarray):
        assert isinstance(actual, tuple) and actual[:2] == expected[:2], f"{where}: {actual[:2]} vs {expected[:2]}"  # fmt: skip
        got, want = actual[2], expected[2]
        # low-precision rounding differs by an ulp here and there and chains of ops carry it:
        # the values agree to a few percent of the tensor's magnitude (a wrong dtype or op
        # shows in the dtype or by far more)
        scale = max(1.0, float(np.nanmax(np.abs(want), initial=0.0)) if np.isfinite(want).any() else 1.0)  # fmt: skip
        close = np.isclose(got, want, rtol=0.05, atol=0.05 * scale, equal_nan=True)
        assert close.all(), f"{where}: values {got} vs {want}"
        return
    if isinstance(expected, tuple) and expected[:1] == ("error",):
        # the error's type, and PyTorch's first words somewhere in minitorch's message
        # (which may name the op first)
        assert isinstance(actual, tuple) and actual[:2] == expected[:2], f"{where}: {actual} vs {expected}"  # fmt: skip
        assert expected[2][:40] in actual[2], f"{where}: {actual} vs {expected}"
        return
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual} vs {expected}"  # fmt: skip
        for k, (x, y) in enumerate(zip(actual, expected)):
            _same(x, y, f"{where}[{k}]")
        return
    assert actual == expected, f"{where}: {actual} vs {expected}"


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_autocast_program_matches_pytorch(torch, seed):
    _same(run(minitorch, seed), run(torch, seed), describe(seed))


# ---- GradScaler programs -----------------------------------------------------------------
SCALER_ACTIONS = ("backward", "backward", "backward", "backward_inf", "backward_nan",
                  "backward_autocast", "zero_grad", "unscale_1", "unscale_2", "step_1", "step_1",
                  "step_2", "step_closure", "update", "update", "update_value",
                  "update_tensor", "state_dict", "reload", "scale_list", "scale_half",
                  "unscale_half", "clip")  # fmt: skip


def scaler_program(seed: int):
    """Scaler program ``seed``: the GradScaler's arguments, whether one optimizer holds both
    parameters, and its actions."""
    r = random.Random(seed)
    kwargs = {
        "init_scale": r.choice((1.0, 4.0, 2.0**10, 2.0**16)),
        "growth_factor": r.choice((2.0, 1.5, 3.0)),
        "backoff_factor": r.choice((0.5, 0.25, 0.125)),
        "growth_interval": r.choice((1, 2, 3, 2000)),
        "enabled": r.random() < 0.85,
    }
    return kwargs, r.random() < 0.3, [r.choice(SCALER_ACTIONS) for _ in range(r.randint(4, 14))]


def describe_scaler(seed: int) -> str:
    kwargs, shared, actions = scaler_program(seed)
    return f"GradScaler({kwargs}), {'one optimizer' if shared else 'two'}: " + ", ".join(actions)


def _scaler_action(T, state: dict, action: str):
    p1, p2, opts = state["p1"], state["p2"], state["opts"]
    scaler = state["scaler"]
    if action.startswith("backward"):
        w = T.tensor([0.5, -1.0, 2.0])
        if action == "backward_inf":
            w = T.tensor([0.5, float("inf"), 2.0])
        elif action == "backward_nan":
            w = T.tensor([float("nan"), -1.0, 2.0])
        with T.autocast("cpu", enabled=action == "backward_autocast"):
            loss = (p1 * w).sum() + (p2 @ T.tensor([[1.0], [-2.0]])).float().sum()
        scaler.scale(loss).backward()
        return _values(T, loss)
    if action == "zero_grad":
        for opt in opts:
            opt.zero_grad()
        return None
    if action.startswith("unscale_") and action != "unscale_half":
        return scaler.unscale_(opts[min(int(action[-1]), len(opts)) - 1])
    if action.startswith("step_"):
        opt = opts[min(int(action[-1]), len(opts)) - 1] if action != "step_closure" else opts[0]
        kw = {"closure": lambda: None} if action == "step_closure" else {}
        return ("stepped", scaler.step(opt, **kw))
    if action == "update":
        return scaler.update()
    if action == "update_value":
        return scaler.update(8.0)
    if action == "update_tensor":
        return scaler.update(T.tensor(0.5))
    if action == "state_dict":
        return sorted(scaler.state_dict().items())
    if action == "reload":  # a fresh scaler from this one's state (the per-step state is lost)
        fresh = T.amp.GradScaler("cpu", enabled=scaler.is_enabled())
        fresh.load_state_dict(scaler.state_dict())
        state["scaler"] = fresh
        if not fresh.is_enabled():  # PyTorch's disabled scaler has no growth factor attributes
            return fresh.get_scale()
        return (fresh.get_scale(), fresh.get_growth_factor(), fresh.get_growth_interval())
    if action == "scale_list":
        out = scaler.scale([T.ones(2), (T.full((1,), 3.0, dtype=T.float64),)])
        return [_values(T, out[0]), _values(T, out[1][0])]
    if action == "scale_half":
        return _values(T, scaler.scale(T.ones(2, dtype=T.float16)))
    if action == "unscale_half":
        h = T.ones(2, dtype=T.float16, requires_grad=True)
        h.grad = T.ones(2, dtype=T.float16)
        return scaler.unscale_(T.optim.SGD([h], lr=0.1))
    if action == "clip":  # unscale_ then clip, as the AMP recipe does
        scaler.unscale_(opts[0])
        return _values(T, T.nn.utils.clip_grad_norm_(opts[0].param_groups[0]["params"], 1.0))
    raise AssertionError(action)


def run_scaler(T, seed: int) -> list:
    kwargs, shared, actions = scaler_program(seed)
    p1 = T.tensor([1.0, 2.0, -1.0], requires_grad=True)
    p2 = T.tensor([[0.5, -0.5], [1.5, 0.25]], requires_grad=True)
    groups = [[p1, p2]] if shared else [[p1], [p2]]
    opts = [T.optim.SGD(g, lr=0.1, momentum=0.5) for g in groups]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaler = T.amp.GradScaler("cpu", **kwargs)
    state = {"p1": p1, "p2": p2, "opts": opts, "scaler": scaler}
    out = []
    for action in actions:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = _scaler_action(T, state, action)
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            result = _error(e)
        sc = state["scaler"]
        out.append([action, result, sc.get_scale(), sc._get_growth_tracker(), _values(T, p1),
                    _values(T, p2), _values(T, p1.grad), _values(T, p2.grad)])  # fmt: skip
    return out


@pytest.mark.parametrize("seed", SCALER_SEEDS)
def test_random_grad_scaler_program_matches_pytorch(torch, seed):
    _same(run_scaler(minitorch, seed), run_scaler(torch, seed), describe_scaler(seed))
