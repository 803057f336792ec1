"""Layers and activations against PyTorch (PyTorch's weights loaded), gradcheck of the fused
ops, dropout and embedding behaviour."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from nn_oracle import compare_module

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck


def _x(*shape, scale=2.0, seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(np.float32)


# ---- layers with parameters -------------------------------------------------------------------
LAYERS = {
    "linear": (lambda nn: nn.Linear(5, 3), [(4, 5)]),
    "linear_3d_input": (lambda nn: nn.Linear(5, 3), [(2, 4, 5)]),
    "linear_1d_input": (lambda nn: nn.Linear(5, 3), [(5,)]),
    "linear_no_bias": (lambda nn: nn.Linear(5, 3, bias=False), [(4, 5)]),
    "bilinear": (lambda nn: nn.Bilinear(3, 4, 2), [(5, 3), (5, 4)]),
    "bilinear_no_bias": (lambda nn: nn.Bilinear(3, 4, 2, bias=False), [(2, 5, 3), (2, 5, 4)]),
    "flatten": (lambda nn: nn.Flatten(), [(2, 3, 4)]),
    "flatten_dims": (lambda nn: nn.Flatten(0, 1), [(2, 3, 4)]),
    "unflatten": (lambda nn: nn.Unflatten(1, (2, 3)), [(4, 6)]),
    "identity": (lambda nn: nn.Identity(3, bias=True), [(4, 6)]),
    "prelu": (lambda nn: nn.PReLU(), [(4, 3, 2)]),
    "prelu_channels": (lambda nn: nn.PReLU(3), [(4, 3, 2)]),
    "sequential_mlp": (
        lambda nn: nn.Sequential(nn.Linear(6, 8), nn.GELU(), nn.Linear(8, 2), nn.LogSoftmax(-1)),
        [(5, 6)],
    ),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_matches_torch(torch, name):
    make, shapes = LAYERS[name]
    compare_module(torch, make, *[_x(*s, seed=i) for i, s in enumerate(shapes)])


ACTIVATIONS = {
    "relu": lambda nn: nn.ReLU(),
    "leaky_relu": lambda nn: nn.LeakyReLU(0.2),
    "elu": lambda nn: nn.ELU(0.7),
    "celu": lambda nn: nn.CELU(1.3),
    "selu": lambda nn: nn.SELU(),
    "gelu": lambda nn: nn.GELU(),
    "gelu_tanh": lambda nn: nn.GELU("tanh"),
    "silu": lambda nn: nn.SiLU(),
    "mish": lambda nn: nn.Mish(),
    "tanh": lambda nn: nn.Tanh(),
    "sigmoid": lambda nn: nn.Sigmoid(),
    "softplus": lambda nn: nn.Softplus(),
    "softplus_beta_threshold": lambda nn: nn.Softplus(2.0, 3.0),
    "softmax": lambda nn: nn.Softmax(1),
    "log_softmax": lambda nn: nn.LogSoftmax(-1),
    "softmin": lambda nn: nn.Softmin(0),
    "hardtanh": lambda nn: nn.Hardtanh(),
    "hardtanh_bounds": lambda nn: nn.Hardtanh(-0.5, 2.0),
    "relu6": lambda nn: nn.ReLU6(),
    "hardswish": lambda nn: nn.Hardswish(),
    "hardsigmoid": lambda nn: nn.Hardsigmoid(),
    "logsigmoid": lambda nn: nn.LogSigmoid(),
    "softsign": lambda nn: nn.Softsign(),
    "tanhshrink": lambda nn: nn.Tanhshrink(),
    "glu": lambda nn: nn.GLU(1),
    "threshold": lambda nn: nn.Threshold(0.1, 20.0),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_matches_torch(torch, name):
    compare_module(torch, ACTIVATIONS[name], _x(4, 6, 3, scale=3.0))


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu", "hardtanh", "silu", "mish"])
def test_inplace_activation_matches_torch(torch, name):
    make = {
        "relu": lambda nn: nn.ReLU(inplace=True),
        "leaky_relu": lambda nn: nn.LeakyReLU(0.1, inplace=True),
        "elu": lambda nn: nn.ELU(inplace=True),
        "hardtanh": lambda nn: nn.Hardtanh(inplace=True),
        "silu": lambda nn: nn.SiLU(inplace=True),
        "mish": lambda nn: nn.Mish(inplace=True),
    }[name]
    x = _x(3, 4)
    a, b = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = a * 1.0, b * 1.0
    out = make(nn)(ya)
    assert out is ya  # written into its input, as PyTorch does
    make(torch.nn)(yb)
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), rtol=2e-5, atol=2e-6)
    ya.sum().backward()
    yb.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=2e-5, atol=2e-6)


def test_activations_float64_match_torch(torch):
    x = np.linspace(-12, 12, 241)
    for fn in ["gelu", "silu", "mish", "softplus", "elu"]:
        ours = getattr(F, fn)(minitorch.tensor(x)).numpy()
        theirs = getattr(torch.nn.functional, fn)(torch.tensor(x)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15, err_msg=fn)


FUSED = {
    "gelu": lambda x: F.gelu(x),
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "elu": lambda x: F.elu(x, 0.7),
    "softplus": lambda x: F.softplus(x, 2.0, 3.0),
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "hardtanh": lambda x: F.hardtanh(x, -1.5, 1.5),
}


@pytest.mark.parametrize("name", list(FUSED))
def test_fused_activation_gradcheck(name):
    # values away from the kinks at 0 and at the hardtanh bounds; both softplus branches
    x = np.array([-3.1, -1.2, -0.4, 0.3, 0.9, 1.7, 2.6])
    t = minitorch.tensor(x, requires_grad=True)
    assert gradcheck(FUSED[name], (t,))
    assert gradgradcheck(FUSED[name], (t,))


def test_gelu_third_derivative_matches_torch(torch):
    x = np.array([-2.0, -0.5, 0.4, 1.5])
    for approximate in ("none", "tanh"):
        a = minitorch.tensor(x, requires_grad=True)
        b = torch.tensor(x, requires_grad=True)
        ga = F.gelu(a, approximate=approximate)
        gb = torch.nn.functional.gelu(b, approximate=approximate)
        for _ in range(3):
            (ga,) = minitorch.autograd.grad(ga.sum(), a, create_graph=True)
            (gb,) = torch.autograd.grad(gb.sum(), b, create_graph=True)
        np.testing.assert_allclose(ga.detach().numpy(), gb.detach().numpy(), rtol=1e-10)


def test_activations_stable_at_extremes():
    x = minitorch.tensor([-1e4, -100.0, 0.0, 100.0, 1e4], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings from numpy either
        for fn in (F.gelu, F.silu, F.mish, F.softplus, F.elu, F.logsigmoid):
            y = fn(x)
            (g,) = minitorch.autograd.grad(y.sum(), x)
            assert np.isfinite(y.detach().numpy()).all(), fn.__name__
            assert np.isfinite(g.numpy()).all(), fn.__name__


def test_linear_is_one_op_and_keeps_float32():
    layer = nn.Linear(4, 3)
    x = minitorch.randn(2, 5, 4, requires_grad=True)
    y = layer(x)
    assert y.dtype == minitorch.float32
    assert y.grad_fn.name() == "ViewBackward0"  # PyTorch's name for a batched linear
    leaves = [fn.variable for fn, _ in y.grad_fn.next_functions]
    assert leaves[0] is x and leaves[1] is layer.weight and leaves[2] is layer.bias
    y.sum().backward()
    assert layer.weight.grad.dtype == minitorch.float32 and x.grad.dtype == minitorch.float32


def test_linear_and_cross_entropy_under_autocast():
    # regression: amp's policy table lists the fused ops (linear in bfloat16, CPU autocast's
    # default, losses in float32)
    layer = nn.Linear(4, 3)
    x = minitorch.randn(2, 5, 4)
    with minitorch.autocast("cpu"):
        y = layer(x)
        loss = F.cross_entropy(y.reshape(-1, 3), minitorch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]))
    assert y.dtype == minitorch.bfloat16 and loss.dtype == minitorch.float32
    loss.backward()
    assert layer.weight.grad.dtype == minitorch.float32


def test_linear_gradcheck_and_gradgradcheck():
    x = minitorch.randn(2, 3, 4, dtype=minitorch.float64, requires_grad=True)
    w = minitorch.randn(3, 4, dtype=minitorch.float64, requires_grad=True)
    b = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(F.linear, (x, w, b))
    assert gradgradcheck(F.linear, (x, w, b))


def test_linear_errors():
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(2x5 and 4x3\)"):
        nn.Linear(4, 3)(minitorch.randn(2, 5))
    with pytest.raises(RuntimeError, match="mat1 and mat2 must have the same dtype, but got Double and Float"):  # fmt: skip
        nn.Linear(4, 3)(minitorch.randn(2, 4, dtype=minitorch.float64))


def test_bilinear_gradcheck():
    x1 = minitorch.randn(3, 2, dtype=minitorch.float64, requires_grad=True)
    x2 = minitorch.randn(3, 4, dtype=minitorch.float64, requires_grad=True)
    w = minitorch.randn(2, 2, 4, dtype=minitorch.float64, requires_grad=True)
    b = minitorch.randn(2, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(F.bilinear, (x1, x2, w, b))


# ---- embedding ---------------------------------------------------------------------------------
def test_embedding_matches_torch_with_padding_idx(torch):
    idx = np.array([[1, 2, 4], [2, 0, 9]])
    module = compare_module(torch, lambda nn: nn.Embedding(10, 4, padding_idx=2), idx)
    assert np.all(module.weight.grad.numpy()[2] == 0)


def test_embedding_init_and_padding_row():
    e = nn.Embedding(50, 8, padding_idx=-1)
    assert e.padding_idx == 49
    w = e.weight.detach().numpy()
    assert np.all(w[49] == 0)
    assert abs(w[:49].std() - 1) < 0.15  # N(0, 1), PyTorch's default
    out = e(minitorch.tensor([49, 3]))
    assert np.all(out.detach().numpy()[0] == 0)


@pytest.mark.parametrize("kwargs", [dict(max_norm=1.0), dict(scale_grad_by_freq=True)])
def test_embedding_options_match_torch(torch, kwargs):
    idx = np.array([[1, 2, 1], [3, 1, 0]])
    module = compare_module(torch, lambda nn: nn.Embedding(5, 3, **kwargs), idx)
    if "max_norm" in kwargs:
        norms = np.linalg.norm(module.weight.detach().numpy()[[0, 1, 2, 3]], axis=1)
        assert np.all(norms <= 1.0 + 1e-6)


def test_embedding_gradcheck_and_errors():
    w = minitorch.randn(6, 3, dtype=minitorch.float64, requires_grad=True)
    idx = minitorch.tensor([[0, 5, 5], [2, 0, 1]])
    assert gradcheck(lambda w: F.embedding(idx, w), (w,))  # padding_idx: no gradient by design
    assert gradgradcheck(lambda w: F.embedding(idx, w) ** 2, (w,))
    with pytest.raises(IndexError, match="index 6 is out of range for 6 embeddings"):
        F.embedding(minitorch.tensor([6]), w)
    with pytest.raises(RuntimeError, match="Long, Int"):
        F.embedding(minitorch.tensor([1.0]), w)


def test_embedding_from_pretrained():
    weights = minitorch.randn(4, 2)
    e = nn.Embedding.from_pretrained(weights)
    assert not e.weight.requires_grad
    np.testing.assert_array_equal(e(minitorch.tensor([3])).numpy()[0], weights.numpy()[3])


# ---- dropout -----------------------------------------------------------------------------------
def test_dropout_statistics_scaling_and_gradient():
    layer = nn.Dropout(0.3)
    x = minitorch.ones(200, 500, requires_grad=True)
    y = layer(x)
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)
    assert y.dtype == minitorch.float32
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())  # grad = mask / (1 - p)


def test_dropout_identity_in_eval_and_seeded():
    layer = nn.Dropout(0.5)
    x = minitorch.randn(10, 10)
    assert layer.eval()(x) is x
    layer.train()
    minitorch.manual_seed(7)
    a = layer(x).numpy()
    minitorch.manual_seed(7)
    b = layer(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, layer(x).numpy())


def test_dropout_edge_probabilities_and_errors():
    x = minitorch.randn(4, 4)
    assert F.dropout(x, 0.0) is x
    assert np.all(F.dropout(x, 1.0).numpy() == 0)
    with pytest.raises(
        ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"
    ):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1, but got -0.1"):
        F.dropout(x, -0.1)


def test_dropout2d_zeroes_whole_channels():
    y = nn.Dropout2d(0.5)(minitorch.ones(8, 16, 3, 3)).numpy()
    per_channel = y.reshape(8, 16, 9)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))
    assert 0 < (per_channel == 0).all(-1).mean() < 1


def test_flatten_unflatten_errors():
    with pytest.raises(TypeError, match="unflattened_size must be a tuple of ints, but found type"):
        nn.Unflatten(1, 6)


# ---- the same layers on a GPU (skipped without CUDA and cupy) ------------------------------------
def _gpu_cases():
    def model(nn):
        return nn.Sequential(
            nn.Embedding(11, 6, padding_idx=0),
            nn.Linear(6, 8),
            nn.GELU(),
            nn.Linear(8, 8),
            nn.SiLU(),
            nn.Dropout(0.0),
            nn.Linear(8, 5),
        )

    idx = np.array([[0, 3, 7], [10, 2, 2]])
    x = _x(4, 5)
    return {
        "mlp_cross_entropy": lambda dev: F.cross_entropy(
            model(nn).to(dev)(minitorch.tensor(idx, device=dev)).reshape(-1, 5),
            minitorch.tensor([0, 4, 1, -100, 2, 3], device=dev),
            label_smoothing=0.1,
        ),
        "activations": lambda dev: sum(
            fn(minitorch.tensor(x, device=dev)).sum()
            for fn in (F.gelu, F.silu, F.mish, F.elu, F.softplus, F.leaky_relu, F.hardtanh)
        ),
        "losses": lambda dev: (
            F.cross_entropy(
                minitorch.tensor(x, device=dev), minitorch.tensor(x, device=dev).softmax(1)
            )
            + F.nll_loss(
                minitorch.tensor(x, device=dev), minitorch.tensor([0, 1, 2, 3], device=dev)
            )
            + F.binary_cross_entropy_with_logits(
                minitorch.tensor(x, device=dev), minitorch.tensor(x, device=dev).sigmoid()
            )
            + F.binary_cross_entropy(
                minitorch.tensor(x, device=dev).sigmoid(), minitorch.tensor(x, device=dev).sigmoid()
            )
            + F.huber_loss(minitorch.tensor(x, device=dev), minitorch.zeros(4, 5, device=dev))
            + F.kl_div(
                minitorch.tensor(x, device=dev),
                minitorch.tensor(x, device=dev).softmax(1),
                reduction="batchmean",
            )
        ),
        "pad_interpolate_one_hot": lambda dev: (
            F.pad(minitorch.tensor(x, device=dev)[None], (2, 1), "reflect").sum()
            + F.interpolate(
                minitorch.tensor(x, device=dev)[None, None], scale_factor=1.5, mode="bilinear"
            ).sum()
            + F.interpolate(minitorch.tensor(x, device=dev)[None], size=7).sum()
            + F.one_hot(minitorch.tensor([1, 3], device=dev), 5).sum().float()
        ),
    }


@pytest.mark.cuda
@pytest.mark.parametrize("name", list(_gpu_cases()))
def test_layers_on_gpu_match_cpu(name):
    fn = _gpu_cases()[name]
    minitorch.manual_seed(0)
    cpu = fn("cpu").item()
    minitorch.manual_seed(0)
    gpu = fn("cuda")
    assert gpu.device.type == "cuda"
    np.testing.assert_allclose(gpu.item(), cpu, rtol=1e-4)


@pytest.mark.cuda
def test_training_step_on_gpu():
    model = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Dropout(0.2), nn.Linear(16, 3)).to("cuda")
    x = minitorch.randn(8, 6, device="cuda")
    y = minitorch.tensor([0, 1, 2, 0, 1, 2, 0, 1], device="cuda")
    F.cross_entropy(model(x), y).backward()
    total = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    assert total.device.type == "cuda" and np.isfinite(total.item())
    nn.utils.clip_grad_value_(model.parameters(), 0.01)
    assert all(p.grad.device.type == "cuda" for p in model.parameters())
    for init_fn in (nn.init.xavier_uniform_, nn.init.kaiming_normal_, nn.init.orthogonal_,
                    nn.init.trunc_normal_):  # fmt: skip
        init_fn(model[0].weight)
    assert model[0].weight.device.type == "cuda"
    state = model.state_dict()
    model.cpu()
    model.load_state_dict(state)  # from GPU tensors into CPU parameters
    assert model[0].weight.device.type == "cpu"


def test_embedding_second_backward_raises_like_pytorch(torch):
    """Embedding saves its indices (PyTorch does too): once freed, a second backward raises."""
    for lib in (torch, minitorch):
        emb = lib.nn.Embedding(5, 3)
        y = emb(lib.tensor([1, 2, 1])).sum()
        y.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            y.backward()
