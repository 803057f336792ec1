"""nn.utils.parametrize, parametrizations.weight_norm/spectral_norm and the hook-based
weight_norm/spectral_norm, against PyTorch (same weights, same power-iteration vectors)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(0)
W = RNG.standard_normal((4, 3)).astype(np.float32)
B = RNG.standard_normal(4).astype(np.float32)
X = RNG.standard_normal((5, 3)).astype(np.float32)
U0 = RNG.standard_normal(4).astype(np.float32)
V0 = RNG.standard_normal(3).astype(np.float32)
U0, V0 = U0 / np.linalg.norm(U0), V0 / np.linalg.norm(V0)


def linear(lib, rows: int = 4):
    m = lib.nn.Linear(3, rows)
    m.load_state_dict({"weight": lib.tensor(W[:rows]), "bias": lib.tensor(B[:rows])})
    return m


def symmetric(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, A):
            return A.triu()

    return Symmetric()


def test_register_and_remove_a_parametrization(torch):
    results = []
    for lib in (minitorch, torch):
        P = lib.nn.utils.parametrize
        m = linear(lib, 3)
        original = m.weight
        P.register_parametrization(m, "weight", symmetric(lib))
        assert m.parametrizations.weight.original is original  # optimizers keep their Parameter
        y = m(lib.tensor(X)).sum()
        y.backward()
        info = (
            repr(m),
            type(m).__name__,
            list(m.state_dict()),
            [n for n, _ in m.named_parameters()],
            P.is_parametrized(m),
            P.is_parametrized(m, "bias"),
            P.type_before_parametrizations(m).__name__,
        )
        values = [m.weight.detach().numpy(), m.parametrizations.weight.original.grad.numpy()]
        m.weight = lib.tensor(W[:3] * 2)  # through right_inverse
        values.append(m.weight.detach().numpy())
        P.remove_parametrizations(m, "weight")
        info += (type(m).__name__, list(m.state_dict()), type(m.weight).__name__)
        values.append(m.weight.detach().numpy())
        results.append((info, values))
    (mine, mine_values), (theirs, their_values) = results
    assert mine == theirs
    for a, b in zip(mine_values, their_values):
        assert_close(a, b)


def test_parametrize_errors_and_cache(torch):
    P = minitorch.nn.utils.parametrize
    m = linear(minitorch)
    with pytest.raises(ValueError, match="does not have a parameter, a buffer, or a parametrized"):
        P.register_parametrization(m, "nothing", symmetric(minitorch))
    with pytest.raises(ValueError, match="does not have a parametrization on weight"):
        P.remove_parametrizations(m, "weight")
    calls = []

    class Double(minitorch.nn.Module):
        def forward(self, X):
            calls.append(1)
            return X * 2

    P.register_parametrization(m, "weight", Double())
    assert len(calls) == 1  # registering evaluates it once, as PyTorch does
    with P.cached():
        assert m.weight is m.weight
    assert len(calls) == 2
    m.weight, m.weight  # noqa: B018  (outside the cache: computed on each access)
    assert len(calls) == 4


def test_weight_norm_parametrization_trains_like_pytorch(torch):
    results = []
    for lib in (minitorch, torch):
        m = linear(lib)
        lib.nn.utils.parametrizations.weight_norm(m)
        opt = lib.optim.SGD(m.parameters(), lr=0.1)
        for _ in range(3):
            loss = m(lib.tensor(X)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        g = m.parametrizations.weight.original0
        results.append((list(m.state_dict()), tuple(g.shape), m.weight.detach().numpy()))
    assert results[0][:2] == results[1][:2]
    assert_close(results[0][2], results[1][2])


@pytest.mark.parametrize("dim", [0, 1, None])
def test_hook_weight_norm_on_a_convolution(torch, dim):
    w = RNG.standard_normal((3, 2, 3, 3)).astype(np.float32)
    x = RNG.standard_normal((1, 2, 5, 5)).astype(np.float32)
    results = []
    for lib in (minitorch, torch):
        c = lib.nn.Conv2d(2, 3, 3)
        c.load_state_dict({"weight": lib.tensor(w), "bias": lib.zeros(3)})
        with pytest.warns(FutureWarning, match="weight_norm` is deprecated"):
            lib.nn.utils.weight_norm(c, dim=dim)
        (c(lib.tensor(x)) ** 2).sum().backward()
        keys = sorted(c.state_dict())
        grads = [c.weight_g.grad.numpy(), c.weight_v.grad.numpy(), c.weight_g.detach().numpy()]
        with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lib.nn.utils.weight_norm(c)
        lib.nn.utils.remove_weight_norm(c)
        results.append((keys, sorted(c.state_dict()), grads, c.weight.detach().numpy()))
    assert results[0][:2] == results[1][:2]
    for a, b in zip(results[0][2] + [results[0][3]], results[1][2] + [results[1][3]]):
        assert_close(a, b)


@pytest.mark.parametrize("legacy", [False, True])
def test_spectral_norm_with_the_same_vectors(torch, legacy):
    results = []
    for lib in (minitorch, torch):
        m = linear(lib)
        if legacy:
            lib.nn.utils.spectral_norm(m)
            u_key, v_key, orig = "weight_u", "weight_v", m.weight_orig
        else:
            lib.nn.utils.parametrizations.spectral_norm(m)
            u_key, v_key = "parametrizations.weight.0._u", "parametrizations.weight.0._v"
            orig = m.parametrizations.weight.original
        sd = m.state_dict()
        sd[u_key], sd[v_key] = lib.tensor(U0), lib.tensor(V0)
        m.load_state_dict(sd)
        loss = (m(lib.tensor(X)) ** 2).sum()
        loss.backward()
        trained = [loss.item(), orig.grad.numpy(), m.state_dict()[u_key].numpy()]
        m.eval()
        evaluated = m(lib.tensor(X)).detach().numpy()
        results.append((sorted(sd), trained, evaluated))
    assert results[0][0] == results[1][0]
    for a, b in zip(results[0][1] + [results[0][2]], results[1][1] + [results[1][2]]):
        assert_close(a, b, rtol=1e-5, atol=1e-5)


def test_spectral_norm_is_close_to_one_for_any_start():
    m = minitorch.nn.Linear(6, 5)
    minitorch.nn.utils.parametrizations.spectral_norm(m)
    sigma = np.linalg.svd(m.weight.detach().numpy(), compute_uv=False)[0]
    assert abs(sigma - 1) < 1e-3  # 15 power-iteration steps at registration
    with pytest.raises(ValueError, match="Expected n_power_iterations to be positive"):
        minitorch.nn.utils.spectral_norm(minitorch.nn.Linear(2, 2), n_power_iterations=0)


# ---- orthogonal (session 6) ---------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
@pytest.mark.parametrize("orthogonal_map", [None, "matrix_exp", "cayley", "householder"])
@pytest.mark.parametrize("use_trivialization", [True, False])
def test_orthogonal_matches_pytorch(torch, shape, orthogonal_map, use_trivialization):
    def program(fw):
        fw.manual_seed(0)
        layer = fw.nn.Linear(shape[1], shape[0])
        fw.nn.utils.parametrizations.orthogonal(
            layer, orthogonal_map=orthogonal_map, use_trivialization=use_trivialization
        )
        out = layer(fw.randn(3, shape[1]))
        out.pow(2).sum().backward()
        original = layer.parametrizations["weight"].original
        w = layer.weight.detach()
        gram = w.T @ w if shape[0] >= shape[1] else w @ w.T
        return [w, out.detach(), original.grad, original.detach(), gram]

    for expected, actual in zip(program(torch), program(minitorch)):
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_orthogonal_rnn_weight_trains(torch):
    def program(fw):
        fw.manual_seed(0)
        rnn = fw.nn.RNN(4, 4)
        fw.nn.utils.parametrizations.orthogonal(rnn, "weight_hh_l0")
        opt = fw.optim.SGD(rnn.parameters(), lr=0.1)
        for _ in range(3):
            opt.zero_grad()
            rnn(fw.randn(5, 2, 4))[0].pow(2).mean().backward()
            opt.step()
        w = rnn.weight_hh_l0.detach()
        return [w, w @ w.T]

    for expected, actual in zip(program(torch), program(minitorch)):
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_orthogonal_errors():
    P = minitorch.nn.utils.parametrizations
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'kernel'"):
        P.orthogonal(minitorch.nn.Linear(3, 3), "kernel")
    with pytest.raises(ValueError, match="Expected a matrix or batch of matrices. Got a tensor of 1 dimensions"):  # fmt: skip
        P.orthogonal(minitorch.nn.Linear(3, 3), "bias")
    with pytest.raises(ValueError, match='orthogonal_map has to be one of "matrix_exp", "cayley"'):
        P.orthogonal(minitorch.nn.Linear(3, 3), orthogonal_map="qr")


def test_householder_product_and_geqrf_match_pytorch(torch):
    rng = np.random.default_rng(0)
    for shape, k in [((5, 3), 3), ((4, 4), 2), ((2, 6, 4), 4)]:
        a, tau = rng.standard_normal(shape), rng.uniform(0.5, 1.5, shape[:-2] + (k,))
        expected = torch.linalg.householder_product(torch.tensor(a), torch.tensor(tau))
        actual = minitorch.linalg.householder_product(minitorch.tensor(a), minitorch.tensor(tau))
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-12, atol=1e-12)
        theirs, ours = torch.geqrf(torch.tensor(a)), minitorch.geqrf(minitorch.tensor(a))
        assert type(ours).__name__ == "geqrf" and ours._fields == ("a", "tau")
        np.testing.assert_allclose(ours.a.numpy(), theirs.a.numpy(), atol=1e-12)
        np.testing.assert_allclose(ours.tau.numpy(), theirs.tau.numpy(), atol=1e-12)
        np.testing.assert_allclose(minitorch.orgqr(*ours).numpy(), torch.orgqr(*theirs).numpy(), atol=1e-12)  # fmt: skip
    a = minitorch.tensor(rng.standard_normal((5, 3)), requires_grad=True)
    tau = minitorch.tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(minitorch.linalg.householder_product, (a, tau))
    assert gradgradcheck(minitorch.linalg.householder_product, (a, tau))
    with pytest.raises(RuntimeError, match=r"input.shape\[-2\] must be greater than or equal"):
        minitorch.linalg.householder_product(minitorch.ones(2, 3), minitorch.ones(2))


def test_householder_product_shape_errors():
    with pytest.raises(RuntimeError, match=r"input.shape\[-1\] must be greater than or equal to tau.shape\[-1\]"):  # fmt: skip
        minitorch.linalg.householder_product(minitorch.ones(4, 2), minitorch.ones(3))
    with pytest.raises(RuntimeError, match=r"Expected batch dimensions of tau to be equal to input.shape\[:-2\], but got \[3\]"):  # fmt: skip
        minitorch.linalg.householder_product(minitorch.ones(2, 4, 2), minitorch.ones(3, 2))
