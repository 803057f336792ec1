"""minitorch.optim.swa_utils against torch.optim.swa_utils: AveragedModel (SWA mean, EMA by
multi_avg_fn and avg_fn, use_buffers), SWALR's learning rates, update_bn's recomputed
running statistics, and the argument errors; both libraries start from the same weights."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch

R = np.random.default_rng(1)
X = R.normal(size=(5, 16, 4)).astype(np.float32)


def _model(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))


def _state(module) -> dict:
    return {k: v.detach().numpy().astype(np.float64) for k, v in module.state_dict().items()}


AVERAGING = {
    "swa": lambda su: {},
    "ema_multi": lambda su: {"multi_avg_fn": su.get_ema_multi_avg_fn(0.9)},
    "ema_fn": lambda su: {"avg_fn": su.get_ema_avg_fn(0.8)},
    "swa_fn": lambda su: {"avg_fn": su.get_swa_avg_fn()},
    "swa_multi": lambda su: {"multi_avg_fn": su.get_swa_multi_avg_fn()},
    "ema_buffers": lambda su: {"multi_avg_fn": su.get_ema_multi_avg_fn(0.7), "use_buffers": True},
    "swa_buffers": lambda su: {"use_buffers": True},
}


def _run(lib, kind: str, weights: dict, strategy: str = "cos"):
    """Trains a few SGD steps under SWALR, averaging after each; returns the averaged
    model's state (before and after update_bn), its eval output and the learning rates."""
    su = lib.optim.swa_utils
    model = _model(lib)
    model.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
    avg = su.AveragedModel(model, **AVERAGING[kind](su))
    opt = lib.optim.SGD(model.parameters(), lr=0.1)
    sched = su.SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy=strategy)
    lrs = []
    for x in X:
        loss = model(lib.tensor(x)).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
        avg.update_parameters(model)
    before = _state(avg)
    su.update_bn([(lib.tensor(x), 0) for x in X], avg)
    assert avg.training
    avg.eval()
    return before, _state(avg), avg(lib.tensor(X[0])).detach().numpy(), lrs


@pytest.mark.parametrize("kind", list(AVERAGING))
def test_averaged_model_matches_torch(torch, kind):
    weights = {k: v.detach().numpy().copy() for k, v in _model(torch).state_dict().items()}
    ours = _run(minitorch, kind, weights, "linear" if kind == "swa_fn" else "cos")
    theirs = _run(torch, kind, weights, "linear" if kind == "swa_fn" else "cos")
    for a, b in zip(ours[:2], theirs[:2]):
        assert sorted(a) == sorted(b)
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-5, atol=1e-6, err_msg=k)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-12)
    assert ours[0]["n_averaged"] == len(X)


def test_first_update_copies_and_swa_is_the_mean():
    model = minitorch.nn.Linear(3, 2)
    avg = minitorch.optim.swa_utils.AveragedModel(model)
    seen = []
    for _ in range(3):
        with minitorch.no_grad():
            model.weight.add_(minitorch.randn(2, 3))
        seen.append(model.weight.detach().numpy().copy())
        avg.update_parameters(model)
    np.testing.assert_allclose(avg.module.weight.detach().numpy(), np.mean(seen, 0), rtol=1e-6)
    assert avg.module.weight is not model.weight and int(avg.n_averaged) == 3
    assert not avg.module.weight.grad_fn


def test_swalr_schedules_match_torch(torch):
    for anneal_epochs, strategy in [(0, "cos"), (4, "linear"), (5, "cos")]:
        lrs = []
        for lib in (minitorch, torch):
            a, b = lib.nn.Parameter(lib.zeros(2)), lib.nn.Parameter(lib.zeros(2))
            opt = lib.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=1.0)
            sched = lib.optim.swa_utils.SWALR(opt, [0.1, 0.2], anneal_epochs, strategy)
            got = []
            for _ in range(7):
                opt.step()
                sched.step()
                got.append(sched.get_last_lr())
            lrs.append(got)
        np.testing.assert_allclose(lrs[0], lrs[1], rtol=1e-12)


def test_update_bn_without_batchnorm_does_nothing():
    model = minitorch.nn.Linear(2, 2)
    model.eval()
    minitorch.optim.swa_utils.update_bn([minitorch.ones(1, 2)], model)
    assert not model.training


def test_update_bn_restores_momentum_and_mode(torch):
    for lib in (minitorch, torch):
        bn = lib.nn.BatchNorm1d(3, momentum=0.3)
        bn.eval()
        data = [lib.tensor(x[:, :3]) for x in X]
        lib.optim.swa_utils.update_bn(data, bn)
        assert bn.momentum == 0.3 and not bn.training
        mean = np.concatenate([x[:, :3] for x in X]).mean(0)
        np.testing.assert_allclose(bn.running_mean.numpy(), mean, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda su, opt: su.SWALR(opt, 0.1, anneal_strategy="step"), ValueError,
         "anneal_strategy must be one of 'cos' or 'linear', instead got step"),
        (lambda su, opt: su.SWALR(opt, 0.1, anneal_epochs=-1), ValueError,
         "anneal_epochs must be equal or greater than 0, got -1"),
        (lambda su, opt: su.SWALR(opt, [0.1, 0.2]), ValueError,
         "swa_lr must have the same length as optimizer.param_groups"),
        (lambda su, opt: su.get_ema_multi_avg_fn(1.5), ValueError,
         "Invalid decay value 1.5 provided. Please provide a value in \\[0,1\\] range."),
        (lambda su, opt: su.get_ema_avg_fn(-0.1), ValueError, "Invalid decay value -0.1"),
        (lambda su, opt: su.AveragedModel(opt.param_groups[0]["params"][0], avg_fn=1, multi_avg_fn=1),
         AssertionError, "Only one of avg_fn and multi_avg_fn should be provided"),
    ],
)  # fmt: skip
def test_errors_match_torch(torch, call, error, match):
    for lib in (minitorch, torch):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))], lr=0.1)
        with pytest.raises(error, match=match):
            call(lib.optim.swa_utils, opt)


def test_update_bn_with_a_dataloader(torch):
    """update_bn takes the inputs of (input, target) batches from a DataLoader."""
    y = np.zeros(len(X.reshape(-1, 4)), dtype=np.int64)
    weights = {k: v.detach().numpy().copy() for k, v in _model(torch).state_dict().items()}
    stats = []
    for lib in (minitorch, torch):
        model = _model(lib)
        model.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
        data = lib.utils.data.TensorDataset(lib.tensor(X.reshape(-1, 4)), lib.tensor(y))
        avg = lib.optim.swa_utils.AveragedModel(model)
        avg.update_parameters(model)
        lib.optim.swa_utils.update_bn(lib.utils.data.DataLoader(data, batch_size=16), avg)
        stats.append(_state(avg))
    for k in stats[0]:
        np.testing.assert_allclose(stats[0][k], stats[1][k], rtol=1e-5, atol=1e-6, err_msg=k)
