"""nn.init: gains and fans against PyTorch, the distributions' bounds and moments, seeded
reproducibility, and PyTorch's default initialisation of each layer."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch.nn import init


def _w(*shape, dtype=minitorch.float32):
    return nn.Parameter(minitorch.empty(*shape, dtype=dtype))


@pytest.mark.parametrize(
    "args",
    [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
     ("leaky_relu", 0.2), ("selu",)],
)  # fmt: skip
def test_calculate_gain_matches_torch(torch, args):
    assert init.calculate_gain(*args) == pytest.approx(torch.nn.init.calculate_gain(*args))


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


def test_fans_match_torch(torch):
    for shape in [(3, 5), (8, 4, 3, 3), (6, 2, 5)]:
        ours = init._calculate_fan_in_and_fan_out(minitorch.empty(*shape))
        assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(minitorch.empty(4))


def test_init_is_in_place_outside_autograd():
    w = _w(20, 30)
    version = w._version
    assert init.normal_(w, 0.0, 1.0) is w
    assert w.grad_fn is None and w.requires_grad and w._version > version
    assert w.dtype == minitorch.float32
    d = _w(5, 5, dtype=minitorch.float64)
    init.uniform_(d)
    assert d.dtype == minitorch.float64


def test_uniform_and_normal_moments():
    w = _w(400, 500)
    init.uniform_(w, -2.0, 3.0)
    v = w.detach().numpy()
    assert v.min() >= -2.0 and v.max() < 3.0 and abs(v.mean() - 0.5) < 0.02
    init.normal_(w, 1.5, 0.5)
    v = w.detach().numpy()
    assert abs(v.mean() - 1.5) < 0.005 and abs(v.std() - 0.5) < 0.005


def test_xavier_and_kaiming_scales():
    w = _w(300, 200)
    init.xavier_uniform_(w, gain=2.0)
    bound = 2.0 * math.sqrt(6.0 / 500)
    v = w.detach().numpy()
    assert np.abs(v).max() <= bound and np.abs(v).max() > 0.99 * bound
    init.xavier_normal_(w)
    assert abs(w.detach().numpy().std() - math.sqrt(2.0 / 500)) < 0.002
    init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert abs(w.detach().numpy().std() - math.sqrt(2.0 / 300)) < 0.002
    init.kaiming_uniform_(w, a=0.1)
    bound = math.sqrt(2.0 / (1 + 0.01)) * math.sqrt(3.0 / 200)
    v = w.detach().numpy()
    assert np.abs(v).max() <= bound and np.abs(v).max() > 0.99 * bound
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(w, mode="fan_avg")
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(_w(0, 3))


def test_trunc_normal_bounds_and_moments():
    w = _w(300, 300)
    init.trunc_normal_(w, mean=0.0, std=1.0, a=-2.0, b=2.0)
    v = w.detach().numpy()
    assert v.min() >= -2.0 and v.max() <= 2.0
    assert abs(v.std() - 0.8796) < 0.01  # the std of N(0, 1) truncated to [-2, 2]
    init.trunc_normal_(w, mean=0.0, std=1.0, a=3.0, b=4.0)  # 0.13% of the mass: inverse CDF
    v = w.detach().numpy()
    assert v.min() >= 3.0 and v.max() <= 4.0 and abs(v.mean() - 3.2605) < 0.01
    init.trunc_normal_(w, std=0.02)  # the ViT use: bounds far out, nearly a plain normal
    assert abs(w.detach().numpy().std() - 0.02) < 0.001


def test_orthogonal():
    for shape in [(4, 9), (9, 4), (6, 2, 3, 3)]:
        w = _w(*shape)
        init.orthogonal_(w, gain=1.5)
        flat = w.detach().numpy().reshape(shape[0], -1).astype(np.float64)
        gram = flat @ flat.T if shape[0] <= flat.shape[1] else flat.T @ flat
        np.testing.assert_allclose(gram, 2.25 * np.eye(len(gram)), atol=1e-5)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions"):
        init.orthogonal_(_w(3))


def test_deterministic_inits_match_torch(torch):
    cases = [
        (lambda m, t: m.nn.init.eye_(t), (3, 5)),
        (lambda m, t: m.nn.init.constant_(t, 0.3), (2, 3)),
        (lambda m, t: m.nn.init.zeros_(t), (2, 3)),
        (lambda m, t: m.nn.init.ones_(t), (4,)),
        (lambda m, t: m.nn.init.dirac_(t), (4, 2, 3, 3)),
        (lambda m, t: m.nn.init.dirac_(t, groups=2), (4, 2, 3)),
    ]
    for fn, shape in cases:
        ours = fn(minitorch, minitorch.empty(*shape)).numpy()
        theirs = fn(torch, torch.empty(*shape)).numpy()
        np.testing.assert_array_equal(ours, theirs)
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(minitorch.empty(2, 2, 2))


def test_seeded_and_generator_reproducibility():
    minitorch.manual_seed(11)
    a = nn.Linear(8, 4).weight.detach().numpy().copy()
    minitorch.manual_seed(11)
    b = nn.Linear(8, 4).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)
    g1, g2 = minitorch.Generator().manual_seed(5), minitorch.Generator().manual_seed(5)
    x, y = _w(3, 3), _w(3, 3)
    init.xavier_normal_(x, generator=g1)
    init.xavier_normal_(y, generator=g2)
    np.testing.assert_array_equal(x.detach().numpy(), y.detach().numpy())


def test_default_layer_initialisation_follows_torch():
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (lin.weight, lin.bias):
        v = p.detach().numpy()
        assert np.abs(v).max() <= bound and np.abs(v).max() > 0.95 * bound
    assert abs(lin.weight.detach().numpy().std() - bound / math.sqrt(3)) < 0.001
    bil = nn.Bilinear(50, 40, 30)
    bound = 1 / math.sqrt(50)
    v = bil.weight.detach().numpy()
    assert np.abs(v).max() <= bound and np.abs(v).max() > 0.99 * bound
    assert np.abs(bil.bias.detach().numpy()).max() <= bound
    assert np.all(nn.PReLU(3).weight.detach().numpy() == 0.25)


@pytest.mark.parametrize(
    "name, args",
    [("uniform", (-1.0, 1.0)), ("normal", (0.0, 2.0)), ("constant", (0.5,)), ("eye", ()),
     ("xavier_uniform", ()), ("xavier_normal", ()), ("kaiming_uniform", ()),
     ("kaiming_normal", ()), ("orthogonal", ()), ("sparse", (0.5,))],
)  # fmt: skip
def test_deprecated_names_warn_and_match_pytorch(torch, name, args):
    """Pre-0.4 code calls nn.init.xavier_uniform(w): PyTorch warns and runs the _ version."""
    results = []
    for lib in (torch, minitorch):
        lib.manual_seed(3)
        w = lib.empty(4, 6)
        with pytest.warns(FutureWarning, match=f"`nn.init.{name}` is now deprecated in favor "):
            out = getattr(lib.nn.init, name)(w, *args)
        assert out is w
        results.append(w.numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6, atol=1e-7)
