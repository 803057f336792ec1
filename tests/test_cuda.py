"""The CUDA backend: every op case of the test_ops_* tables, nn layers, losses and training
steps on the device against the CPU result (values, dtypes, gradients, second-order
gradients); device moves, factories, mixing-device errors, minitorch.cuda, fused kernels.

Each device test runs twice: on "cuda" (cupy on a GPU; skipped without one) and on "fake"
(tests/fake_cupy.py: a strict stand-in for cupy on the CPU that refuses host arrays mixed into
device operations, so the device paths are tested on every machine).
"""

from __future__ import annotations

import numpy as np
import pytest
from fake_cupy import fake_cupy, host_syncs, installed
from opcheck import TOL, draw
from test_ops_elementwise import ELEMENTWISE, INTS, SPECIAL
from test_ops_elementwise import NO_GRAD as ELEMENTWISE_NO_GRAD
from test_ops_index import INDEXING
from test_ops_index import NO_GRAD as INDEX_NO_GRAD
from test_ops_linalg import MATMUL
from test_ops_random_compositions import BINARY, UNARY
from test_ops_reduce import NO_GRAD as REDUCE_NO_GRAD
from test_ops_reduce import REDUCTIONS
from test_ops_shape import SHAPE

import minitorch
from minitorch.amp import autocast_mode, grad_scaler

DEVICE_KINDS = ["fake", "fake-fused", pytest.param("cuda", marks=[pytest.mark.cuda])]


@pytest.fixture(params=DEVICE_KINDS)
def device(request):
    """'cuda' on the real backend, or on the fake one (tests/fake_cupy.py), with its
    reference "fused kernels" on ('fake-fused') or off."""
    if request.param.startswith("fake"):
        with installed(fused=request.param == "fake-fused"):
            yield "cuda"
    else:
        yield "cuda"


class OnDevice:
    """``minitorch`` whose ``tensor`` factory creates on ``device`` (cases build constants
    with ``m.tensor``)."""

    def __init__(self, device: str) -> None:
        self._device = device

    def tensor(self, data, **kwargs):
        return minitorch.tensor(data, device=self._device, **kwargs)

    def __getattr__(self, name):
        return getattr(minitorch, name)


def _outputs(out) -> list:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def assert_matches_cpu(dev_out, cpu_out, rtol=1e-6, atol=1e-7) -> None:
    """Same dtype, shape and values, the device result on the device."""
    assert dev_out.device.type == "cuda", dev_out.device
    assert dev_out.dtype == cpu_out.dtype, (dev_out.dtype, cpu_out.dtype)
    assert tuple(dev_out.shape) == tuple(cpu_out.shape)
    np.testing.assert_allclose(
        dev_out.detach().cpu().numpy(), cpu_out.detach().cpu().numpy(), rtol=rtol, atol=atol
    )


def check_on_device(case, device: str, dtype: str) -> None:
    """A case's outputs, gradients and (where it has them) second-order gradients on
    ``device`` equal the CPU's."""
    data = draw(case.shapes, case.domain)
    tol = TOL[dtype]
    results = []
    for dev in ("cpu", device):
        lib = OnDevice(dev)
        xs = [lib.tensor(x.astype(dtype), requires_grad=True) for x in data]
        outs = _outputs(case.fn(lib, *xs))
        rng = np.random.default_rng(1)
        loss = 0
        for o in outs:
            if o.requires_grad:
                g = rng.standard_normal(tuple(o.shape)).astype(dtype)
                loss = loss + (o * lib.tensor(g)).sum()
        grads, grads2 = [], []
        if not isinstance(loss, int):
            grads = minitorch.autograd.grad(loss, xs, allow_unused=True, create_graph=case.gradgrad)
            used = [g for g in grads if g is not None and g.requires_grad]
            if case.gradgrad and used:
                total = sum((g * g).sum() for g in used)
                grads2 = minitorch.autograd.grad(total, xs, allow_unused=True)
        results.append((outs, grads, grads2))
    (outs, grads, grads2), (douts, dgrads, dgrads2) = results
    assert len(douts) == len(outs)
    for d, c in [*zip(douts, outs), *zip(dgrads, grads), *zip(dgrads2, grads2)]:
        assert (d is None) == (c is None)
        if c is not None:
            assert_matches_cpu(d, c, **tol)


TABLES = {**{f"elementwise-{k}": v for k, v in ELEMENTWISE.items()}}
TABLES.update({f"index-{k}": v for k, v in INDEXING.items()})
TABLES.update({f"matmul-{k}": v for k, v in MATMUL.items()})
TABLES.update({f"reduce-{k}": v for k, v in REDUCTIONS.items()})
TABLES.update({f"shape-{k}": v for k, v in SHAPE.items()})


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_op_cases_match_cpu(name, dtype, device):
    check_on_device(TABLES[name], device, dtype)


def _no_grad_cases() -> dict:
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    a = np.random.default_rng(0).uniform(-2, 2, (3, 4)).astype(np.float32)
    out = {}
    for k, fn in ELEMENTWISE_NO_GRAD.items():
        out[f"elementwise-{k}"] = (fn, (SPECIAL, INTS))
    for k, fn in INDEX_NO_GRAD.items():
        out[f"index-{k}"] = (fn, (x,))
    for k, fn in REDUCE_NO_GRAD.items():
        out[f"reduce-{k}"] = (fn, (a,))
    for k, fn in UNARY.items():
        out[f"unary-{k}"] = (fn, (a,))
    for k, fn in BINARY.items():
        out[f"binary-{k}"] = (fn, (a, a[:1] * 0.5 + 1.5))
    return out


NO_GRAD_CASES = _no_grad_cases()


@pytest.mark.parametrize("name", sorted(NO_GRAD_CASES))
def test_value_cases_match_cpu(name, device):
    fn, inputs = NO_GRAD_CASES[name]
    with np.errstate(all="ignore"):
        cpu = _outputs(fn(minitorch, *[minitorch.tensor(x) for x in inputs]))
        lib = OnDevice(device)
        dev = _outputs(fn(lib, *[lib.tensor(x) for x in inputs]))
    assert len(dev) == len(cpu)
    for d, c in zip(dev, cpu):
        assert_matches_cpu(d, c, rtol=1e-6, atol=1e-6)


# ---- nn layers, functionals and losses -------------------------------------------------------
nn, F = minitorch.nn, minitorch.nn.functional

MODULES = {
    # name: (module factory, input shape, integer input range or None)
    "linear": (lambda: nn.Linear(5, 4), (3, 5), None),
    "bilinear": (lambda: nn.Bilinear(5, 5, 3), (3, 5), None),
    "conv1d": (lambda: nn.Conv1d(3, 4, 3, padding=1, stride=2), (2, 3, 9), None),
    "conv2d": (lambda: nn.Conv2d(2, 4, 3, padding=1), (2, 2, 6, 6), None),
    "conv2d_groups_dilation": (
        lambda: nn.Conv2d(4, 4, 3, groups=2, dilation=2, padding=2, bias=False),
        (2, 4, 7, 7),
        None,
    ),
    "conv_transpose1d": (lambda: nn.ConvTranspose1d(3, 2, 3, stride=2), (2, 3, 5), None),
    "conv_transpose2d": (
        lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1),
        (1, 2, 4, 4),
        None,
    ),
    "max_pool1d": (lambda: nn.MaxPool1d(2), (2, 3, 8), None),
    "max_pool2d": (lambda: nn.MaxPool2d(2), (2, 3, 6, 6), None),
    "max_pool2d_stride1": (lambda: nn.MaxPool2d(3, stride=1, padding=1), (1, 2, 5, 5), None),
    "avg_pool1d": (lambda: nn.AvgPool1d(3, stride=2), (2, 3, 9), None),
    "avg_pool2d": (lambda: nn.AvgPool2d(2), (2, 3, 6, 6), None),
    "adaptive_avg_pool1d": (lambda: nn.AdaptiveAvgPool1d(3), (2, 3, 7), None),
    "adaptive_avg_pool2d": (lambda: nn.AdaptiveAvgPool2d((2, 3)), (2, 3, 5, 7), None),
    "batch_norm1d": (lambda: nn.BatchNorm1d(4), (6, 4), None),
    "batch_norm2d": (lambda: nn.BatchNorm2d(3), (4, 3, 5, 5), None),
    "batch_norm2d_eval": (lambda: nn.BatchNorm2d(3).eval(), (4, 3, 5, 5), None),
    "layer_norm": (lambda: nn.LayerNorm(6), (3, 4, 6), None),
    "layer_norm_2d": (lambda: nn.LayerNorm((4, 6)), (3, 4, 6), None),
    "group_norm": (lambda: nn.GroupNorm(2, 4), (3, 4, 5), None),
    "rms_norm": (lambda: nn.RMSNorm(6), (3, 6), None),
    "embedding": (lambda: nn.Embedding(10, 4), (3, 5), 10),
    "embedding_padding": (lambda: nn.Embedding(10, 4, padding_idx=0), (3, 5), 10),
    "rnn": (lambda: nn.RNN(4, 5, num_layers=2, batch_first=True), (2, 3, 4), None),
    "lstm": (lambda: nn.LSTM(4, 5, bidirectional=True), (3, 2, 4), None),
    "gru": (lambda: nn.GRU(4, 5), (3, 2, 4), None),
    "multihead_attention": (lambda: nn.MultiheadAttention(8, 2, batch_first=True), (2, 5, 8), None),
    "transformer_layer": (
        lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True),
        (2, 5, 8),
        None,
    ),
    "prelu": (lambda: nn.PReLU(3), (2, 3, 4), None),
    "glu": (lambda: nn.GLU(), (3, 6), None),
    "flatten_unflatten": (
        lambda: nn.Sequential(nn.Flatten(), nn.Unflatten(1, (4, 3))),
        (2, 3, 4),
        None,
    ),
    "mlp": (
        lambda: nn.Sequential(nn.Linear(6, 8), nn.GELU(), nn.Dropout(0.0), nn.Linear(8, 2)),
        (4, 6),
        None,
    ),
}
ACTIVATIONS = [
    "ReLU", "ReLU6", "GELU", "SiLU", "Mish", "ELU", "CELU", "SELU", "LeakyReLU", "Hardtanh",
    "Hardsigmoid", "Hardswish", "LogSigmoid", "Sigmoid", "Tanh", "Softplus", "Softsign",
    "Tanhshrink", "Softmin",
]  # fmt: skip
for _name in ACTIVATIONS:
    MODULES[f"act_{_name}"] = (getattr(nn, _name), (3, 5), None)
MODULES["act_GELU_tanh"] = (lambda: nn.GELU("tanh"), (3, 5), None)
MODULES["act_Softmax"] = (lambda: nn.Softmax(-1), (3, 5), None)
MODULES["act_LogSoftmax"] = (lambda: nn.LogSoftmax(1), (3, 5, 2), None)
MODULES["act_Threshold"] = (lambda: nn.Threshold(0.1, -1.0), (3, 5), None)


def _run_module(make, shape, int_high, device: str):
    minitorch.manual_seed(0)
    module = make().to(device)
    rng = np.random.default_rng(0)
    if int_high:
        x = minitorch.tensor(rng.integers(0, int_high, shape), device=device)
        args = [x]
    else:
        x = minitorch.tensor(rng.standard_normal(shape).astype(np.float32), device=device)
        x.requires_grad_(True)
        args = [x, x, x] if "Attention" in type(module).__name__ else [x]
        args = [x, x] if isinstance(module, nn.Bilinear) else args
    out = module(*args)
    out = out[0] if isinstance(out, tuple) else out
    g = minitorch.tensor(rng.standard_normal(tuple(out.shape)).astype(np.float32), device=device)
    (out * g).sum().backward()
    grads = [x.grad] if x.requires_grad else []
    grads += [p.grad for p in module.parameters()]
    buffers = [b for b in module.buffers() if b.dtype.is_floating_point]
    return out, grads, buffers


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_match_cpu(name, device):
    make, shape, high = MODULES[name]
    out, grads, buffers = _run_module(make, shape, high, "cpu")
    dout, dgrads, dbuffers = _run_module(make, shape, high, device)
    assert_matches_cpu(dout, out, rtol=1e-4, atol=1e-5)
    assert len(dgrads) == len(grads)
    for d, c in [*zip(dgrads, grads), *zip(dbuffers, buffers)]:
        assert (d is None) == (c is None)
        if c is not None:
            assert_matches_cpu(d, c, rtol=1e-4, atol=1e-5)


LOSSES = {
    # name: (fn(input, target), input shape, target: "class" | "float" | "prob")
    "cross_entropy": (lambda x, t: F.cross_entropy(x, t), (6, 5), "class"),
    "cross_entropy_mean_none": (
        lambda x, t: F.cross_entropy(x, t, reduction="none"),
        (6, 5),
        "class",
    ),
    "cross_entropy_smoothing": (
        lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1),
        (6, 5),
        "class",
    ),
    "cross_entropy_ignore": (lambda x, t: F.cross_entropy(x, t, ignore_index=1), (6, 5), "class"),
    "cross_entropy_weight": (
        lambda x, t: F.cross_entropy(x, t, weight=minitorch.arange(1.0, 6.0, device=x.device)),
        (6, 5),
        "class",
    ),
    "cross_entropy_nd": (lambda x, t: F.cross_entropy(x, t), (2, 5, 3), "class"),
    "cross_entropy_probs": (lambda x, t: F.cross_entropy(x, t), (6, 5), "prob"),
    "nll": (lambda x, t: F.nll_loss(x.log_softmax(-1), t), (6, 5), "class"),
    "mse": (lambda x, t: F.mse_loss(x, t), (4, 3), "float"),
    "l1": (lambda x, t: F.l1_loss(x, t, reduction="sum"), (4, 3), "float"),
    "smooth_l1": (lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), (4, 3), "float"),
    "huber": (lambda x, t: F.huber_loss(x, t, delta=0.5), (4, 3), "float"),
    "bce": (lambda x, t: F.binary_cross_entropy(x.sigmoid(), t), (4, 3), "prob"),
    "bce_logits": (lambda x, t: F.binary_cross_entropy_with_logits(x, t), (4, 3), "prob"),
    "bce_logits_pos_weight": (
        lambda x, t: F.binary_cross_entropy_with_logits(
            x, t, pos_weight=minitorch.full((3,), 2.0, device=x.device)
        ),
        (4, 3),
        "prob",
    ),
    "kl_div": (lambda x, t: F.kl_div(x.log_softmax(-1), t, reduction="batchmean"), (4, 3), "prob"),
    "cosine_similarity": (lambda x, t: F.cosine_similarity(x, t).sum(), (4, 3), "float"),
    "normalize": (lambda x, t: F.normalize(x, dim=1) * t, (4, 3), "float"),
    "one_hot": (lambda x, t: x * F.one_hot(t, 5).float()[:, : x.shape[1]], (6, 5), "class"),
    "pad_reflect": (lambda x, t: F.pad(x[None], (2, 1), "reflect") * 1, (4, 3), "float"),
    "pad_constant": (lambda x, t: F.pad(x, (1, 1, 2, 0), value=0.5), (4, 3), "float"),
    "interpolate_bilinear": (
        lambda x, t: F.interpolate(x[None, None], scale_factor=1.5, mode="bilinear"),
        (4, 3),
        "float",
    ),
    "interpolate_nearest": (lambda x, t: F.interpolate(x[None], size=7), (4, 3), "float"),
    "unfold_fold": (
        lambda x, t: F.fold(F.unfold(x[None, None], 2), (4, 3), 2),
        (4, 3),
        "float",
    ),
    "sdpa_causal": (
        lambda x, t: F.scaled_dot_product_attention(x[None], x[None], x[None], is_causal=True),
        (4, 3),
        "float",
    ),
}


def _run_loss(fn, shape, kind, device: str):
    rng = np.random.default_rng(0)
    x = minitorch.tensor(rng.standard_normal(shape).astype(np.float32), device=device)
    x.requires_grad_(True)
    if kind == "class":
        tshape = (shape[0],) + tuple(shape[2:])
        t = minitorch.tensor(rng.integers(0, shape[1], tshape), device=device)
    elif kind == "prob":
        t = minitorch.tensor(
            rng.dirichlet(np.ones(shape[-1]), shape[:-1]).astype(np.float32), device=device
        )
    else:
        t = minitorch.tensor(rng.standard_normal(shape).astype(np.float32), device=device)
    out = fn(x, t)
    g = minitorch.tensor(rng.standard_normal(tuple(out.shape)).astype(np.float32), device=device)
    (gx,) = minitorch.autograd.grad((out * g).sum(), [x])
    return out, gx


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_functionals_and_losses_match_cpu(name, device):
    fn, shape, kind = LOSSES[name]
    out, gx = _run_loss(fn, shape, kind, "cpu")
    dout, dgx = _run_loss(fn, shape, kind, device)
    assert_matches_cpu(dout, out, rtol=1e-4, atol=1e-5)
    assert_matches_cpu(dgx, gx, rtol=1e-4, atol=1e-5)


# ---- optimizers and training steps -----------------------------------------------------------
OPTIMIZERS = {
    "sgd": lambda p: minitorch.optim.SGD(p, lr=0.1),
    "sgd_momentum_nesterov": lambda p: minitorch.optim.SGD(
        p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01
    ),
    "adam": lambda p: minitorch.optim.Adam(p, lr=1e-2),
    "adam_amsgrad_wd": lambda p: minitorch.optim.Adam(p, lr=1e-2, amsgrad=True, weight_decay=0.1),
    "adamw": lambda p: minitorch.optim.AdamW(p, lr=1e-2),
    "rmsprop": lambda p: minitorch.optim.RMSprop(p, lr=1e-2, momentum=0.5, centered=True),
    "adagrad": lambda p: minitorch.optim.Adagrad(p, lr=0.1),
}


def _train(make_opt, device: str, steps: int = 3):
    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.LayerNorm(16), nn.Linear(16, 3)).to(
        device
    )
    opt = make_opt(model.parameters())
    rng = np.random.default_rng(0)
    x = minitorch.tensor(rng.standard_normal((8, 6)).astype(np.float32), device=device)
    y = minitorch.tensor(rng.integers(0, 3, 8), device=device)
    losses = []
    for _ in range(steps):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    return losses, list(model.parameters())


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_training_steps_match_cpu(name, device):
    losses, params = _train(OPTIMIZERS[name], "cpu")
    dlosses, dparams = _train(OPTIMIZERS[name], device)
    np.testing.assert_allclose(dlosses, losses, rtol=1e-4)
    for d, c in zip(dparams, params):
        assert_matches_cpu(d, c, rtol=1e-4, atol=1e-5)


# ---- more ops: sorting, statistics, scans, multi-output nodes --------------------------------
MORE_OPS = {
    "sort": lambda m, x: x.sort(1, descending=True)[0] * x.sort(0)[1].float(),
    "argsort_0d": lambda m, x: x.sum().argsort().float() + x.sum(),
    "topk": lambda m, x: x.topk(2, dim=1)[0] + x.topk(2, dim=1)[1].float(),
    "median": lambda m, x: x.median(1)[0] + x.median(),
    "median_0d": lambda m, x: x.sum().median(0)[0],
    "cummax": lambda m, x: x.cummax(1)[0] + x.cummin(0)[1].float(),
    "cummax_0d": lambda m, x: x.sum().cummax(0)[0],
    "cumsum_cumprod": lambda m, x: x.cumsum(0) + x.cumprod(1),
    "split_one_output_used": lambda m, x: x.split(2, dim=1)[0] * 2,
    "unbind_one_output_used": lambda m, x: x.unbind(0)[1],
    "min_max_dim": lambda m, x: x.max(1)[0] + x.min(1, keepdim=True)[0].squeeze(1),
    "clamp_tensor_bounds": lambda m, x: x.clamp(
        min=m.zeros(1, device=x.device), max=m.full((1,), 0.5, device=x.device)
    ),
    "floor_divide_scalar_left": lambda m, x: m.div(3.0, x, rounding_mode="floor") + x,
    "einsum_diagonal": lambda m, x: m.einsum("ii->i", x[:, :3]),
    "masked_fill_0d_value": lambda m, x: x.masked_fill(x > 0, x.sum()),
}


@pytest.mark.parametrize("name", sorted(MORE_OPS))
def test_more_ops_match_cpu(name, device):
    fn = MORE_OPS[name]
    data = draw([(3, 4)], "real")[0].astype(np.float32)
    results = []
    for dev in ("cpu", device):
        x = minitorch.tensor(data, device=dev, requires_grad=True)
        out = fn(minitorch, x)
        (gx,) = minitorch.autograd.grad(out.sum(), [x])
        results.append((out, gx))
    (out, gx), (dout, dgx) = results
    assert_matches_cpu(dout, out, rtol=1e-5, atol=1e-6)
    assert_matches_cpu(dgx, gx, rtol=1e-5, atol=1e-6)


# ---- devices, factories, moves ---------------------------------------------------------------
def test_mixing_devices_raises_naming_both(device):
    a = minitorch.ones(3, device=device, requires_grad=True)
    b = minitorch.ones(3)
    for call, op in [
        (lambda: a * b, "mul"),
        (lambda: b + a, "add"),
        (lambda: a @ b, "matmul"),
        (lambda: minitorch.cat([a, b]), "cat"),
        (lambda: minitorch.where(a > 0, a, b), "where"),
    ]:
        with pytest.raises(
            RuntimeError, match=rf"{op}: Expected all tensors.*(cuda:0 and cpu|cpu and cuda:0)"
        ):
            call()


FACTORIES = {
    "zeros": lambda d: minitorch.zeros(2, 3, device=d),
    "ones": lambda d: minitorch.ones((2, 3), device=d, dtype=minitorch.float64),
    "empty": lambda d: minitorch.empty(2, device=d).fill_(1.5),
    "full": lambda d: minitorch.full((2,), 7, device=d),
    "arange_int": lambda d: minitorch.arange(5, device=d),
    "arange_float": lambda d: minitorch.arange(0.0, 1.0, 0.25, device=d),
    "linspace": lambda d: minitorch.linspace(0, 1, 5, device=d),
    "logspace": lambda d: minitorch.logspace(0, 2, 3, device=d),
    "eye": lambda d: minitorch.eye(3, 2, device=d),
    "tensor": lambda d: minitorch.tensor([[1, 2], [3, 4]], device=d),
    "as_tensor": lambda d: minitorch.as_tensor(np.arange(3.0), device=d),
    "Tensor_shape": lambda d: minitorch.Tensor(2, 3, device=d),
    "Tensor_data": lambda d: minitorch.Tensor([1, 2], device=d),
    "zeros_like": lambda d: minitorch.zeros_like(minitorch.ones(2, device=d)),
    "full_like": lambda d: minitorch.full_like(minitorch.ones(2), 3.0, device=d),
    "new_ones": lambda d: minitorch.ones(2, device=d).new_ones(3),
    "new_tensor": lambda d: minitorch.ones(2, device=d).new_tensor([1.0, 2.0]),
    "rand_shape": lambda d: minitorch.rand(4, device=d) * 0,
    "randn_like_shape": lambda d: minitorch.randn_like(minitorch.ones(2, 2, device=d)) * 0,
    "randint_range": lambda d: (minitorch.randint(0, 3, (50,), device=d) < 3).long(),
    "randperm_sorted": lambda d: minitorch.randperm(5, device=d).sort()[0],
    "normal_shape": lambda d: minitorch.normal(0.0, 1.0, (3,), device=d) * 0,
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories_create_on_the_device(name, device):
    cpu = FACTORIES[name]("cpu")
    assert cpu.device.type == "cpu"
    assert_matches_cpu(FACTORIES[name](device), cpu)


def test_to_round_trips_keep_values_dtypes_and_gradients(device):
    x = minitorch.tensor([[1.0, -2.0], [3.0, 4.5]], requires_grad=True)
    on = x.to(device)
    assert on.device == minitorch.device("cuda:0") != minitorch.device(device)  # as PyTorch
    assert on.is_cuda and not x.is_cuda
    back = on.cpu()
    np.testing.assert_array_equal(back.detach().numpy(), x.detach().numpy())
    assert x.to("cpu") is x and on.to(device) is on  # no copy when already there
    half = x.to(device, minitorch.float16, non_blocking=True)
    assert half.dtype == minitorch.float16 and half.device.type == "cuda"
    also = x.to(device=device, dtype=minitorch.float64)
    assert also.dtype == minitorch.float64 and also.device.type == "cuda"
    assert x.cuda().device.type == "cuda" and x.to(on).device.type == "cuda"
    (back * on.cpu() + half.float().cpu()).sum().backward()  # gradients flow back across moves
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy() + 1)
    assert x.grad.device.type == "cpu"


def test_module_to_moves_parameters_buffers_and_grads(device):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    model(minitorch.randn(5, 3)).sum().backward()
    model.to(device)
    for t in [*model.parameters(), *model.buffers()]:
        assert t.device.type == "cuda"
    model.cpu()
    assert all(p.device.type == "cpu" for p in model.parameters())


def test_numpy_of_a_device_tensor_says_to_copy_first(device):
    x = minitorch.ones(2, device=device)
    with pytest.raises(TypeError, match="Tensor.cpu()"):
        x.numpy()
    assert x.cpu().numpy().tolist() == [1.0, 1.0]
    assert x.tolist() == [1.0, 1.0] and x.sum().item() == 2.0


def test_seeded_device_randomness_is_reproducible(device):
    minitorch.manual_seed(3)
    a = minitorch.randn(4, device=device)
    minitorch.manual_seed(3)
    b = minitorch.randn(4, device=device)
    assert a.device.type == "cuda"
    np.testing.assert_array_equal(a.cpu().numpy(), b.cpu().numpy())
    d = nn.Dropout(0.5)
    y = d(minitorch.ones(1000, device=device))
    assert y.device.type == "cuda" and 300 < int((y > 0).sum().item()) < 700


# ---- fused kernels -------------------------------------------------------------------------
def _fused_cases() -> dict:
    """name: fn(device) -> (output, leaves): ops that a backend may run as fused kernels."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 5)).astype(np.float32)
    w, b = (rng.standard_normal(5).astype(np.float32) for _ in range(2))
    target = np.array([0, 4, 1, 1, 3, 2])

    def leaf(a, d, dtype=None):
        return minitorch.tensor(a, device=d, dtype=dtype, requires_grad=True)

    def on_x(fn, shape=(6, 5), dtype=None):
        def case(d):
            t = leaf(x.reshape(shape), d, dtype)
            return fn(t, d), [t]

        return case

    def layer_norm(d):
        t, wt, bt = leaf(x.reshape(3, 2, 5), d), leaf(w, d), leaf(b, d)
        return F.layer_norm(t, (5,), wt, bt), [t, wt, bt]

    cases = {
        "softmax": on_x(lambda t, d: t.softmax(-1)),
        "log_softmax_3d": on_x(lambda t, d: t.log_softmax(2), (3, 2, 5)),
        "softmax_not_last_dim": on_x(lambda t, d: t.softmax(0)),
        "softmax_float64": on_x(lambda t, d: t.softmax(1), dtype=minitorch.float64),
        "gelu": on_x(lambda t, d: F.gelu(t)),
        "gelu_tanh": on_x(lambda t, d: F.gelu(t, approximate="tanh")),
        "layer_norm": layer_norm,
        "layer_norm_no_affine": on_x(lambda t, d: F.layer_norm(t, (5,))),
        "layer_norm_float64": on_x(lambda t, d: F.layer_norm(t, (5,)), dtype=minitorch.float64),
    }
    for reduction in ("mean", "sum", "none"):
        for smoothing in (0.0, 0.2):
            cases[f"cross_entropy_{reduction}_{smoothing}"] = on_x(
                lambda t, d, r=reduction, s=smoothing: F.cross_entropy(
                    t,
                    minitorch.tensor(target, device=d),
                    ignore_index=1,
                    reduction=r,
                    label_smoothing=s,
                )
            )
    return cases


FUSED_CASES = _fused_cases()


def _first_and_second_order(case, device: str):
    out, leaves = case(device)
    g = minitorch.arange(out.numel(), device=device, dtype=out.dtype).reshape(out.shape)
    loss = (out * (g * 0.1 + 0.5)).sum()
    first = minitorch.autograd.grad(loss, leaves, retain_graph=True)  # backward kernels
    again = minitorch.autograd.grad(loss, leaves, create_graph=True)  # the array code
    second = minitorch.autograd.grad(sum((a * a).sum() for a in again), leaves, allow_unused=True)
    return [out, *first, *second]


@pytest.mark.parametrize("name", sorted(FUSED_CASES))
def test_fused_kernels_match_the_array_code(name, device):
    """With the backend's fused kernels on, an op gives the values and first- and
    second-order gradients of its array code (on the same device)."""
    backend = minitorch.backends.get_backend(device)
    saved = backend.use_fused
    try:
        results = []
        for use in (False, True):
            backend.use_fused = use
            results.append(_first_and_second_order(FUSED_CASES[name], device))
    finally:
        backend.use_fused = saved
    for fused, plain in zip(results[1], results[0]):
        assert (fused is None) == (plain is None)
        if plain is not None:
            assert_matches_cpu(fused, plain, rtol=1e-5, atol=1e-6)


def test_backend_kernel_registry():
    cpu = minitorch.backends.get_backend("cpu")
    assert cpu.kernel("softmax") is None
    assert minitorch.backends.fused(np.zeros(3, np.float32), "softmax") is None


# ---- targets and indices out of range on the device ------------------------------------------
def _with_bad_rows(fn, bad_rows, device):
    """fn(device) -> (output, leaf): the output and the leaf's gradient, checked to be NaN in
    ``bad_rows`` (on the device nothing reads the indices back to raise), and otherwise
    equal to the CPU's result, where ``fn`` sees only good indices."""
    with host_syncs() as log:
        out, leaf = fn(device, bad=True)
        out.sum().backward()
    assert log == []
    cpu_out, cpu_leaf = fn("cpu", bad=False)
    cpu_out.sum().backward()
    values, grad = out.detach().cpu().numpy(), leaf.grad.cpu().numpy()
    assert np.isnan(values[bad_rows]).all() and np.isnan(grad[bad_rows]).all()
    good = np.ones(len(values), bool)
    good[bad_rows] = False
    np.testing.assert_allclose(values[good], cpu_out.detach().numpy()[good], rtol=1e-6)
    np.testing.assert_allclose(grad[good], cpu_leaf.grad.numpy()[good], rtol=1e-6, atol=1e-7)


LOGITS = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)


def _targets(device, bad):
    return minitorch.tensor([0, 3 if bad else 1, -100, -1 if bad else 2], device=device)


OUT_OF_RANGE = {
    # name: (fn(device, bad) -> (per-row output, leaf), rows that get NaN)
    "cross_entropy": lambda **kw: F.cross_entropy(reduction="none", **kw),
    "cross_entropy_smoothing": lambda **kw: F.cross_entropy(
        reduction="none", label_smoothing=0.1, **kw
    ),
    "cross_entropy_weight": lambda **kw: F.cross_entropy(
        reduction="none", weight=minitorch.tensor([1.0, 2.0, 3.0], device=kw["input"].device), **kw
    ),
    "nll_loss": lambda input, target: F.nll_loss(input.log_softmax(1), target, reduction="none"),
}


@pytest.mark.parametrize("name", sorted(OUT_OF_RANGE))
def test_targets_out_of_range_give_nan_rows_without_a_host_sync(name, device):
    """A target out of range is not read back to raise (PyTorch's CUDA kernels assert on
    the device): its loss and gradient row are NaN, never a plausible wrong number."""
    loss = OUT_OF_RANGE[name]

    def fn(dev, bad):
        x = minitorch.tensor(LOGITS, device=dev, requires_grad=True)
        return loss(input=x, target=_targets(dev, bad)), x

    _with_bad_rows(fn, [1, 3], device)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_reduced_cross_entropy_with_a_bad_target_is_nan(reduction, device):
    x = minitorch.tensor(LOGITS, device=device, requires_grad=True)
    loss = F.cross_entropy(x, _targets(device, bad=True), reduction=reduction)
    loss.backward()
    assert np.isnan(loss.item())
    assert np.isnan(x.grad.cpu().numpy()[[1, 3]]).all()


def test_embedding_indices_out_of_range_give_nan_rows_without_a_host_sync(device):
    weight = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)

    def fn(dev, bad):
        w = minitorch.tensor(weight, device=dev, requires_grad=True)
        idx = minitorch.tensor([1, 5 if bad else 0, 4, -1 if bad else 2], device=dev)
        x = minitorch.ones(4, 3, device=dev, requires_grad=True)
        return F.embedding(idx, w) * x, x

    _with_bad_rows(fn, [1, 3], device)


def test_binary_cross_entropy_of_inputs_out_of_range_is_nan_without_a_host_sync(device):
    x = minitorch.tensor([0.2, 1.5, -0.5, 0.9], device=device)
    t = minitorch.tensor([0.0, 1.0, 1.0, 1.0], device=device)
    with host_syncs() as log, np.errstate(invalid="ignore"):  # the fake computes with numpy
        loss = F.binary_cross_entropy(x, t, reduction="none")
    assert log == []
    values = loss.cpu().numpy()
    assert np.isnan(values[1:3]).all()
    expected = F.binary_cross_entropy(x.cpu()[[0, 3]], t.cpu()[[0, 3]], reduction="none")
    np.testing.assert_allclose(values[[0, 3]], expected.numpy(), rtol=1e-6)


def test_max_pool_of_nan_windows_matches_cpu(device):
    """On a device the NaN pass of max pooling runs without asking first whether there is
    a NaN (that would be a host sync): the same values and indices as on the CPU."""
    x = np.arange(32, dtype=np.float32).reshape(1, 2, 4, 4)
    x[0, 0, 1, 0] = x[0, 1, 3, 3] = x[0, 1, 2, 2] = np.nan
    cpu = F.max_pool2d(minitorch.tensor(x), 2, return_indices=True)
    with host_syncs() as log:
        on_device = F.max_pool2d(minitorch.tensor(x, device=device), 2, return_indices=True)
    assert log == []
    for d, c in zip(on_device, cpu):
        assert_matches_cpu(d, c)


# ---- the fake cupy is as strict as cupy ------------------------------------------------------
def _fake(values):
    return fake_cupy.asarray(np.asarray(values, dtype=np.float32))


def _assign_masked(a):
    a[a > 0] = 0


def _asarray(a):
    with pytest.raises(TypeError, match="Implicit conversion"):
        np.asarray(a)


HOST_SYNCS = {
    # name: (fn(device array), the kind of sync recorded)
    "bool": (lambda a: bool(a.sum() > 0), "bool()"),
    "if": (lambda a: 1 if a.max() > 0 else 0, "bool()"),
    "float": (lambda a: float(a.sum()), "float()"),
    "int": (lambda a: int(a.argmax()), "int()"),
    "item": (lambda a: a.sum().item(), "item()"),
    "get": (lambda a: a.get(), "get()"),
    "tolist": (lambda a: a.tolist(), "tolist()"),
    "repr": (repr, "repr()"),
    "asarray": (_asarray, "np.asarray"),
    "mask_index": (lambda a: a[a > 0], "boolean-mask indexing"),
    "mask_assign": (_assign_masked, "boolean-mask assignment"),
    "nonzero": (np.nonzero, "nonzero()"),
    "nonzero_method": (lambda a: a.nonzero(), "nonzero()"),
    "nonzero_module": (lambda a: fake_cupy.nonzero(a), "nonzero()"),
    "where_one_argument": (lambda a: np.where(a > 0), "where()"),
    "unique": (np.unique, "unique()"),
}


@pytest.mark.parametrize("name", sorted(HOST_SYNCS))
def test_fake_cupy_records_each_host_sync_where_it_is_made(name):
    fn, kind = HOST_SYNCS[name]
    a = _fake([[1.0, -2.0], [3.0, 0.5]])
    with host_syncs() as log:
        fn(a)
    assert len(log) == 1, log
    assert log[0].startswith(kind + " at ") and f"{__file__}:" in log[0], log


def test_fake_cupy_device_work_records_no_host_sync():
    a = _fake([[1.0, -2.0], [3.0, 0.5]])
    with host_syncs() as log:
        b = np.exp(a) + a.sum(axis=1, keepdims=True) * 2.0
        b = np.where(a > 0, b, 0.0)[0] + a[np.array([1, 0])][:, 1]  # integer indices
        b = b.reshape(1, 2).T.astype(np.float64)
        c = (a.max() > 0) & (a.min() < 0)  # a 0-d device array, not read
        rows = list(iter(a))
    assert log == []
    assert isinstance(b, type(a)) and isinstance(c, type(a)) and len(rows) == len(a) == 2


def test_fake_cupy_has_cupys_sinc_and_solve():
    """np.sinc dispatches to cupy.sinc, which gives 1 for NaN; cupy.linalg.solve does not
    broadcast batch dims. The op code must not rely on numpy's behaviour of either."""
    assert fake_cupy.sinc(_fake([np.nan])).get()[0] == 1.0
    assert np.sinc(_fake([np.nan, 0.0])).get().tolist() == [1.0, 1.0]
    a, b = _fake(np.eye(2)), _fake(np.ones((3, 2, 1)))
    with pytest.raises(ValueError, match="a must have"):
        np.linalg.solve(a, b)
    with pytest.raises(ValueError, match="a must have"):
        fake_cupy.linalg.solve(_fake(np.ones((3, 2, 2)) + np.eye(2)), _fake(np.ones((2, 1))))


def test_erf_erfc_erfinv_on_the_device_make_no_host_sync(device):
    """On a device erf's series and tail both run everywhere and a select combines them (on
    the host each runs on its own elements, picked by boolean masks)."""
    x = np.concatenate([np.linspace(-7, 7, 57), [np.nan, np.inf, -np.inf, 1e-30]])
    u = np.array([-1.0, -0.999999, -0.3, 0.0, 1e-20, 0.9999, 1.0, 1.5, np.nan])
    fns = [minitorch.erf, minitorch.erfc]
    for dtype in ("float32", "float64"):
        with host_syncs() as log:
            on_device = [f(minitorch.tensor(x.astype(dtype), device=device)) for f in fns]
            on_device.append(minitorch.erfinv(minitorch.tensor(u.astype(dtype), device=device)))
        assert log == []
        cpu = [f(minitorch.tensor(x.astype(dtype))) for f in fns]
        cpu.append(minitorch.erfinv(minitorch.tensor(u.astype(dtype))))
        for d, c in zip(on_device, cpu):
            assert_matches_cpu(d, c, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sinc_and_broadcast_solve_on_the_device(dtype, device):
    x = np.array([np.nan, -np.inf, -3.0, -1e-30, 0.0, 0.4, 2.5, 10.3], dtype)
    assert_matches_cpu(
        minitorch.sinc(minitorch.tensor(x, device=device)), minitorch.sinc(minitorch.tensor(x))
    )
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((3, 3)) + 4 * np.eye(3)).astype(dtype)
    b = rng.standard_normal((2, 3, 2)).astype(dtype)
    results = []
    for dev in ("cpu", device):
        A = minitorch.tensor(a, device=dev, requires_grad=True)
        B = minitorch.tensor(b, device=dev, requires_grad=True)
        X = minitorch.linalg.solve(A, B)
        X.sum().backward()
        results.append((X, A.grad, B.grad))
    for d, c in zip(*results[::-1]):
        assert_matches_cpu(d, c, rtol=1e-5, atol=1e-6)


# ---- host syncs of training steps ------------------------------------------------------------
@pytest.fixture(params=["fake", "fake-fused"])
def fake_cuda(request, monkeypatch):
    """The fake cupy in the 'cuda' slot, with GradScaler and autocast enabled on it."""
    monkeypatch.setattr(grad_scaler, "cuda_available", lambda: True)
    monkeypatch.setattr(autocast_mode, "cuda_available", lambda: True)
    with installed(fused=request.param == "fake-fused"):
        yield "cuda"


def _syncs_after_warm_up(step) -> list:
    """The host syncs of the second call of ``step`` (the first makes the optimizer's
    buckets and state and the cached masks)."""
    step()
    with host_syncs() as log:
        step()
    return log


def _mlp_step(make_optimizer, device: str):
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)
    optimizer = make_optimizer(model.parameters())
    x = minitorch.randn(8, 6, device=device)
    y = minitorch.randint(0, 3, (8,), device=device)
    before = [p.detach().clone() for p in model.parameters()]

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    return step, before, list(model.parameters())


TRAINING_OPTIMIZERS = {
    **OPTIMIZERS,
    "sgd_momentum": lambda p: minitorch.optim.SGD(p, lr=0.1, momentum=0.9),
}


@pytest.mark.parametrize("name", sorted(TRAINING_OPTIMIZERS))
def test_mlp_training_step_makes_no_host_sync(name, fake_cuda):
    """forward, cross-entropy, backward and the optimizer step of an MLP stay on the device
    (Adam and SGD with momentum among them)."""
    step, before, params = _mlp_step(TRAINING_OPTIMIZERS[name], fake_cuda)
    assert _syncs_after_warm_up(step) == []
    assert all((p.detach() != b).any().item() for p, b in zip(params, before))  # it trained


def _model_step(model, x, target, loss_fn, extra=None):
    """One step of SGD with momentum and a StepLR schedule (``extra(model)`` between
    backward and the step)."""
    optimizer = minitorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    schedule = minitorch.optim.lr_scheduler.StepLR(optimizer, 2)

    def step():
        optimizer.zero_grad(set_to_none=False)
        loss_fn(model(x), target).backward()
        if extra is not None:
            extra(model)
        optimizer.step()
        schedule.step()

    return step


class _LastOutput(nn.Module):
    def __init__(self, rnn) -> None:
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


def _cnn_bce(d):
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.3),
        nn.Flatten(),
        nn.Linear(64, 5),
        nn.Sigmoid(),
    ).to(d)
    x = minitorch.randn(4, 3, 8, 8, device=d)
    target = (minitorch.rand(4, 5, device=d) > 0.5).float()
    clip = lambda m: nn.utils.clip_grad_norm_(m.parameters(), 0.5, norm_type="inf")  # noqa: E731
    return _model_step(model, x, target, F.binary_cross_entropy, clip)


def _rnn_mse(d):
    model = nn.Sequential(
        _LastOutput(nn.LSTM(6, 8, batch_first=True)),
        nn.GELU("tanh"),
        _LastOutput(nn.GRU(8, 8)),
        nn.GroupNorm(1, 4),
    ).to(d)
    x, target = minitorch.randn(5, 4, 6, device=d), minitorch.randn(5, 4, 8, device=d)
    clip = lambda m: nn.utils.clip_grad_value_(m.parameters(), 0.5)  # noqa: E731
    return _model_step(model, x, target, F.mse_loss, clip)


def _bce_logits(d):
    model = nn.Sequential(nn.Linear(6, 5), nn.LayerNorm(5)).to(d)
    target = (minitorch.rand(4, 5, device=d) > 0.5).float()
    x = minitorch.randn(4, 6, device=d)
    return _model_step(model, x, target, F.binary_cross_entropy_with_logits)


MODEL_STEPS = {
    "cnn_batchnorm_maxpool_dropout_bce": _cnn_bce,
    "lstm_gru_groupnorm_mse": _rnn_mse,
    "bce_with_logits": _bce_logits,
}


@pytest.mark.parametrize(
    "name",
    [
        "cnn_batchnorm_maxpool_dropout_bce",
        "lstm_gru_groupnorm_mse",
        "bce_with_logits",
    ],
)
def test_model_training_step_makes_no_host_sync(name, fake_cuda):
    """More layers, losses, clipping and an LR schedule, with SGD and momentum."""
    assert _syncs_after_warm_up(MODEL_STEPS[name](fake_cuda)) == []


class TinyGPT(nn.Module):
    """Token and position embeddings, one pre-norm block of causal self-attention and a GELU
    MLP, the final norm and the vocabulary head."""

    def __init__(self, vocab: int = 11, dim: int = 16, heads: int = 2, length: int = 6) -> None:
        super().__init__()
        self.tokens, self.positions = nn.Embedding(vocab, dim), nn.Embedding(length, dim)
        self.ln1, self.ln2, self.ln_f = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.up, self.down = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)
        self.head = nn.Linear(dim, vocab)
        self.heads = heads

    def forward(self, idx):
        b, t = idx.shape
        x = self.tokens(idx) + self.positions(minitorch.arange(t, device=idx.device))
        q, k, v = (
            z.view(b, t, self.heads, -1).transpose(1, 2)
            for z in self.qkv(self.ln1(x)).split(x.shape[-1], dim=-1)
        )
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(a.transpose(1, 2).reshape(b, t, -1))
        x = x + self.down(F.gelu(self.up(self.ln2(x))))
        return self.head(self.ln_f(x))


def _gpt_step_syncs(device: str, autocast: bool) -> list:
    model = TinyGPT().to(device)
    optimizer = minitorch.optim.AdamW(model.parameters(), lr=1e-3)
    scaler = minitorch.amp.GradScaler(device)
    assert scaler.is_enabled()
    idx = minitorch.randint(0, 11, (3, 6), device=device)
    target = minitorch.randint(0, 11, (3, 6), device=device)

    def step():
        with minitorch.autocast(device, enabled=autocast):
            loss = F.cross_entropy(model(idx).view(-1, 11), target.view(-1))
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(optimizer)
        scaler.update()

    return _syncs_after_warm_up(step)


# what PyTorch's GradScaler.step syncs too: found_inf.item(), once per step
SCALER_SYNC = "amp/grad_scaler.py"


@pytest.mark.parametrize("autocast", [False, True], ids=["float32", "autocast"])
def test_gpt_training_step_syncs_once_in_scaler_step(autocast, fake_cuda):
    """Embedding, LayerNorm, Linear, GELU, causal attention, cross-entropy, AdamW with a
    GradScaler and gradient clipping: the one sync is GradScaler.step reading found_inf
    (as PyTorch's does), with fused kernels or without (attention's softmax then takes its
    exact path, which looks at no values)."""
    log = _gpt_step_syncs(fake_cuda, autocast)
    assert len(log) == 1 and SCALER_SYNC in log[0], log
