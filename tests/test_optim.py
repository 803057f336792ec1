"""Optimizers against PyTorch: 30-step float64 trajectories for every option combination,
state_dict layout and exact resume, parameter bookkeeping, and error messages."""

from __future__ import annotations

import copy
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minitorch
from minitorch import optim
from minitorch.backends import chunked
from minitorch.optim import _flat

RNG = np.random.default_rng(7)
A = RNG.standard_normal((6, 4))
B = RNG.standard_normal((6, 3))
INIT = {
    "W": RNG.standard_normal((4, 3)),
    "b": RNG.standard_normal(3),
    "s": np.array(0.3),
    "c": RNG.standard_normal((2, 2)),
}


def make_params(fw) -> dict:
    return {k: fw.tensor(v.copy(), dtype=fw.float64, requires_grad=True) for k, v in INIT.items()}


def loss_fn(fw, p: dict, step: int):
    """A convex loss (least squares plus a quartic); ``c`` only takes part every third step,
    so its gradient is missing (None) in the others and the optimizers must skip it."""
    a, b = fw.tensor(A, dtype=p["W"].dtype), fw.tensor(B, dtype=p["W"].dtype)
    r = a @ p["W"] + p["b"] - b
    loss = (r * r).sum() + 0.05 * (p["W"] ** 4).sum() + 3 * (p["s"] - 1.0) ** 2
    if step % 3 == 0:
        loss = loss + (p["c"] * p["c"]).sum() * 0.5 + p["c"].sum()
    return loss


def groups(p: dict, **second) -> list:
    return [{"params": [p["W"], p["b"]]}, {"params": [p["s"], p["c"]], **second}]


def run(fw, make_opt, steps: int = 30, start: int = 0, params=None, opt=None):
    """Steps an optimizer on loss_fn (negated when it maximizes, so that every run
    converges); returns the parameters after every step."""
    p = params if params is not None else make_params(fw)
    opt = opt if opt is not None else make_opt(fw, p)
    sign = -1.0 if opt.defaults.get("maximize") else 1.0
    trajectory = []
    for i in range(start, start + steps):
        opt.zero_grad()
        (loss_fn(fw, p, i) * sign).backward()
        opt.step()
        trajectory.append({k: v.detach().numpy().copy() for k, v in p.items()})
    return trajectory, p, opt


def assert_same_trajectory(ours, theirs, rtol=1e-10):
    """Equal up to rounding: ``rtol`` relative to each tensor's largest entry (an entry
    passing near zero inherits the rounding noise of its neighbours)."""
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        for k in a:
            scale = rtol * max(np.abs(b[k]).max(), 1e-3)
            np.testing.assert_allclose(a[k], b[k], rtol=rtol, atol=scale, err_msg=f"{k}@{i}")


def _cases():
    for mom, damp, nest, wd, maxi in itertools.product(
        (0, 0.9), (0, 0.2), (False, True), (0, 0.1), (False, True)
    ):
        if nest and (mom == 0 or damp != 0):
            continue
        kw = dict(lr=0.01, momentum=mom, dampening=damp, nesterov=nest, weight_decay=wd)
        yield "SGD", {**kw, "maximize": maxi}
    for name in ("Adam", "AdamW"):
        for ams, wd, maxi in itertools.product((False, True), (0, 0.1), (False, True)):
            yield (
                name,
                dict(lr=0.02, betas=(0.8, 0.99), amsgrad=ams, weight_decay=wd, maximize=maxi),
            )
    for mom, cen, wd, maxi in itertools.product((0, 0.5), (False, True), (0, 0.1), (False, True)):
        kw = dict(lr=0.01, alpha=0.9, momentum=mom, centered=cen, weight_decay=wd)
        yield "RMSprop", {**kw, "maximize": maxi}
    for decay, wd, acc, maxi in itertools.product((0, 0.05), (0, 0.1), (0, 0.3), (False, True)):
        kw = dict(lr=0.1, lr_decay=decay, weight_decay=wd, initial_accumulator_value=acc)
        yield "Adagrad", {**kw, "maximize": maxi}


CASES = list(_cases())


def _id(case) -> str:
    name, kw = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kw.items() if k != "lr")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_trajectory_matches_pytorch(torch, case):
    name, kw = case

    def make(fw, p):
        return getattr(fw.optim, name)(groups(p, lr=kw["lr"] * 2), **kw)

    ours, _, opt = run(minitorch, make)
    theirs, _, topt = run(torch, make)
    assert_same_trajectory(ours, theirs)
    # same state, same layout
    sd, tsd = opt.state_dict(), topt.state_dict()
    assert sd["param_groups"] == tsd["param_groups"]
    assert sd["state"].keys() == tsd["state"].keys()
    for i, st in tsd["state"].items():
        assert st.keys() == sd["state"][i].keys()
        for key, value in st.items():
            np.testing.assert_allclose(
                sd["state"][i][key].numpy(), value.numpy(), rtol=1e-10, atol=1e-13
            )
    if name != "SGD":
        assert sd["state"][0]["step"].dtype == minitorch.float32


LBFGS_CASES = [
    dict(),
    dict(lr=0.5, history_size=3, max_iter=7),
    dict(line_search_fn="strong_wolfe"),
    dict(line_search_fn="strong_wolfe", history_size=2, max_iter=4, tolerance_change=1e-12),
]


def run_lbfgs(fw, kw, steps=4, p=None, opt=None):
    p = p if p is not None else make_params(fw)
    opt = opt if opt is not None else fw.optim.LBFGS(list(p.values()), **kw)

    def closure():
        opt.zero_grad()
        loss = loss_fn(fw, p, 0)
        loss.backward()
        return loss

    losses = [float(opt.step(closure).detach()) for _ in range(steps)]
    return losses, {k: v.detach().numpy().copy() for k, v in p.items()}, opt, p


@pytest.mark.parametrize("kw", LBFGS_CASES, ids=str)
def test_lbfgs_matches_pytorch(torch, kw):
    losses, params, opt, p = run_lbfgs(minitorch, kw)
    tlosses, tparams, topt, _ = run_lbfgs(torch, kw)
    np.testing.assert_allclose(losses, tlosses, rtol=1e-10)
    assert_same_trajectory([params], [tparams])
    st, tst = opt.state[p["W"]], topt.state[topt.param_groups[0]["params"][0]]
    assert (st["func_evals"], st["n_iter"]) == (tst["func_evals"], tst["n_iter"])
    assert len(st["old_dirs"]) == len(tst["old_dirs"])


# ---- state_dict: exact resume -----------------------------------------------------------------

RESUME = [
    ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.02, amsgrad=True)),
    ("AdamW", dict(lr=0.02)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
]


@pytest.mark.parametrize("name,kw", RESUME, ids=[r[0] for r in RESUME])
def test_state_dict_round_trip_continues_exactly(name, kw):
    def make(fw, p):
        return getattr(fw.optim, name)(groups(p, lr=0.05), **kw)

    straight, _, _ = run(minitorch, make, steps=20)
    _, p, opt = run(minitorch, make, steps=10)
    saved = copy.deepcopy(opt.state_dict())
    fresh = {
        k: minitorch.tensor(v.detach().numpy().copy(), requires_grad=True) for k, v in p.items()
    }
    opt2 = make(minitorch, fresh)
    opt2.load_state_dict(saved)
    resumed, _, _ = run(minitorch, None, steps=10, start=10, params=fresh, opt=opt2)
    for a, b in zip(straight[10:], resumed):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_state_dict_survives_save_and_load(tmp_path):
    _, p, opt = run(minitorch, lambda fw, p: fw.optim.Adam(groups(p), lr=0.01), steps=4)
    minitorch.save(opt.state_dict(), tmp_path / "opt.safetensors")
    loaded = minitorch.load(tmp_path / "opt.safetensors")
    opt2 = optim.Adam(groups(make_params(minitorch)), lr=0.01)
    opt2.load_state_dict(loaded)
    for key in ("exp_avg", "exp_avg_sq", "step"):
        np.testing.assert_array_equal(
            opt2.state_dict()["state"][0][key].numpy(), opt.state_dict()["state"][0][key].numpy()
        )


def test_lbfgs_state_dict_round_trip():
    kw = dict(line_search_fn="strong_wolfe", history_size=3)
    straight, _, _, _ = run_lbfgs(minitorch, kw, steps=4)
    _, _, opt, p = run_lbfgs(minitorch, kw, steps=2)
    fresh = {
        k: minitorch.tensor(v.detach().numpy().copy(), requires_grad=True) for k, v in p.items()
    }
    opt2 = optim.LBFGS(list(fresh.values()), **kw)
    opt2.load_state_dict(copy.deepcopy(opt.state_dict()))
    resumed, _, _, _ = run_lbfgs(minitorch, kw, steps=2, p=fresh, opt=opt2)
    assert resumed == straight[2:]


def test_state_dict_layout_matches_pytorch(torch):
    for fw in (minitorch, torch):
        p = make_params(fw)
        opt = fw.optim.SGD(groups(p, lr=0.5), lr=0.1, momentum=0.9)
        fw_sd = opt.state_dict()
        assert fw_sd["state"] == {}
        assert [g["params"] for g in fw_sd["param_groups"]] == [[0, 1], [2, 3]]
        assert fw_sd["param_groups"][1]["lr"] == 0.5
    assert len(optim.Adagrad([make_params(minitorch)["W"]]).state_dict()["state"]) == 1


def test_load_state_dict_shares_or_casts():
    p = minitorch.zeros(3, requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    saved = {
        "state": {
            0: {
                "step": minitorch.tensor(2.0),
                "exp_avg": minitorch.ones(3, dtype=minitorch.float64),
                "exp_avg_sq": minitorch.ones(3),
            }
        },
        "param_groups": [dict(opt.state_dict()["param_groups"][0], lr=0.5)],
    }
    opt.load_state_dict(saved)
    st = opt.state[p]
    assert st["exp_avg"].dtype == minitorch.float32 and st["step"].dtype == minitorch.float32
    assert st["exp_avg"] is not saved["state"][0]["exp_avg"]  # cast: a new tensor
    assert st["exp_avg_sq"] is saved["state"][0]["exp_avg_sq"]  # as PyTorch: shared
    assert opt.param_groups[0]["lr"] == 0.5 and opt.param_groups[0]["params"][0] is p


# ---- bookkeeping ------------------------------------------------------------------------------


def test_parameters_without_grad_are_skipped():
    a, b = minitorch.ones(3, requires_grad=True), minitorch.ones(2, requires_grad=True)
    opt = optim.Adam([a, b], lr=0.1)
    (a * 2).sum().backward()
    opt.step()
    assert b.grad is None and b.tolist() == [1.0, 1.0] and len(opt.state[b]) == 0
    assert float(opt.state[a]["step"]) == 1.0 and a.tolist() != [1.0] * 3


def test_zero_grad_set_to_none_and_in_place():
    p = minitorch.ones(3, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.sum().backward()
    g = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is g and g.tolist() == [0.0, 0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None


def test_closure_runs_with_grad_enabled_and_returns_loss():
    p = minitorch.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with minitorch.no_grad():
        loss = opt.step(closure)
    assert float(loss) == 5.0
    np.testing.assert_allclose(p.detach().numpy(), [0.0, 0.0])


def test_add_param_group_fills_defaults_and_trains():
    a, b = minitorch.ones(2, requires_grad=True), minitorch.ones(2, requires_grad=True)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": b, "lr": 1.0})
    assert opt.param_groups[1]["momentum"] == 0.9 and opt.param_groups[1]["params"] == [b]
    (a.sum() + b.sum()).backward()
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), [0.9, 0.9])
    np.testing.assert_allclose(b.detach().numpy(), [0.0, 0.0])


def test_named_parameters_are_accepted():
    a = minitorch.ones(2, requires_grad=True)
    opt = optim.SGD([("weight", a)], lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight"]


def test_many_small_parameters_share_one_flat_buffer(torch):
    shapes = [(3,), (2, 2), (), (5,)] * 10
    init = [RNG.standard_normal(s) for s in shapes]
    results = []
    for fw in (minitorch, torch):
        ps = [fw.tensor(x.copy(), requires_grad=True) for x in init]
        opt = fw.optim.Adam(ps, lr=0.1)
        for _ in range(5):
            opt.zero_grad()
            sum(((q - 0.5) ** 2).sum() for q in ps).backward()
            opt.step()
        results.append([q.detach().numpy().copy() for q in ps])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)
    ps = [minitorch.ones(3, requires_grad=True) for _ in range(4)]
    opt = optim.SGD(ps, lr=0.1)
    sum(q.sum() for q in ps).backward()
    opt.step()
    opt_buckets = opt._buckets[0][1]
    assert len(opt_buckets) == 1
    flat = opt_buckets[0].flat
    assert all(np.shares_memory(q._data, flat) for q in ps)


@pytest.mark.parametrize("threads", [1, 3])
def test_for_chunks_runs_every_chunk_once(monkeypatch, threads):
    """Threads take chunks until none is left: every element is visited exactly once."""
    monkeypatch.setattr(chunked, "_pool", None)
    x = np.arange(1000.0)
    out, visits = np.zeros_like(x), np.zeros_like(x)
    seen = []

    def kernel(xs, outs, counts, factor):
        np.multiply(xs, factor, out=outs)
        counts += 1

    chunked.for_chunks(
        kernel, (x, out, visits), (2.0,), lambda a, b: seen.append((a, b)), 7, threads
    )
    np.testing.assert_array_equal(out, 2 * x)
    np.testing.assert_array_equal(visits, 1)
    assert sorted(seen) == [(a, min(a + 7, 1000)) for a in range(0, 1000, 7)]


def test_chunked_updates_match(torch, monkeypatch):
    """Tiny chunks, so that chunks straddle parameters."""
    monkeypatch.setattr(_flat, "UPDATE_CHUNK", 8)
    init = [RNG.standard_normal(s) for s in [(3, 7), (1,), (40,), (2, 3), (13,)]]
    results = []
    for fw in (minitorch, torch):
        ps = [fw.tensor(x.copy(), requires_grad=True) for x in init]
        opt = fw.optim.Adam([{"params": ps[:4]}, {"params": ps[4:], "lr": 0.1}], lr=0.01)
        for i in range(4):
            opt.zero_grad()
            sum(((q - 0.5) ** 2 * (k + 1)).sum() for k, q in enumerate(ps) if i or k).backward()
            opt.step()
        results.append([q.detach().numpy().copy() for q in ps])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)


def test_module_load_state_dict_after_steps(torch):
    """Loading module weights (and an optimizer state) mid-run: both runs continue alike."""
    init = {"weight": RNG.standard_normal((2, 3)), "bias": RNG.standard_normal(2)}
    x = RNG.standard_normal((5, 3))
    results = []
    for fw in (minitorch, torch):
        model = fw.nn.Linear(3, 2).double()
        model.load_state_dict({k: fw.tensor(v) for k, v in init.items()})
        opt = fw.optim.AdamW(model.parameters(), lr=0.1)
        for i in range(6):
            opt.zero_grad()
            (model(fw.tensor(x)) ** 2).sum().backward()
            opt.step()
            if i == 2:
                model.load_state_dict({k: fw.tensor(v * 0.5) for k, v in init.items()})
        results.append([p.detach().numpy().copy() for p in model.parameters()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_empty_parameters(torch):
    results = []
    for fw in (minitorch, torch):
        ps = [fw.zeros(0, 3, requires_grad=True), fw.ones(2, requires_grad=True)]
        opt = fw.optim.Adam(ps, lr=0.1)
        only_empty = fw.optim.SGD([fw.zeros(0, requires_grad=True)], lr=0.1, momentum=0.9)
        for _ in range(2):
            ((ps[0].sum() + 1) * ps[1]).sum().backward()
            only_empty.param_groups[0]["params"][0].grad = fw.zeros(0)
            opt.step()
            only_empty.step()
        results.append([p.detach().numpy().copy() for p in ps])
    assert results[0][0].shape == (0, 3)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)


def test_replaced_parameter_data_is_picked_up(torch):
    results = []
    for fw in (minitorch, torch):
        w = fw.tensor([1.0, -2.0, 3.0], dtype=fw.float64, requires_grad=True)
        opt = fw.optim.Adam([w], lr=0.1)
        for i in range(6):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
            if i == 2:
                w.data = fw.tensor([5.0, 5.0, 5.0], dtype=fw.float64)
        results.append(w.detach().numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-10)


def test_state_edited_by_hand_is_used(torch):
    """Replacing a parameter's state (or one state tensor) between steps takes effect."""
    results = []
    for fw in (minitorch, torch):
        a = fw.tensor([1.0, -2.0], dtype=fw.float64, requires_grad=True)
        b = fw.tensor([0.5], dtype=fw.float64, requires_grad=True)
        opt = fw.optim.Adam([a, b], lr=0.1)
        for i in range(6):
            opt.zero_grad()
            ((a * a).sum() + (b * b * b).sum()).backward()
            opt.step()
            if i == 1:
                opt.state[a] = {}  # reset: starts again from step 0
            if i == 3:
                opt.state[b]["exp_avg"] = fw.zeros(1, dtype=fw.float64)
        results.append([a.detach().numpy().copy(), b.detach().numpy().copy()])
    for x, y in zip(*results):
        np.testing.assert_allclose(x, y, rtol=1e-12)


def test_view_parameters_keep_aliasing_their_base(torch):
    results = []
    for fw in (minitorch, torch):
        base = fw.arange(12.0, dtype=fw.float64).reshape(4, 3)
        rows, col = base[1:3], base[:, 2]  # contiguous and strided views, both leaves
        rows.requires_grad_()
        col.requires_grad_()
        opt = fw.optim.SGD([rows, col], lr=0.1, momentum=0.5)
        for _ in range(3):
            opt.zero_grad()
            ((rows * rows).sum() + (col * 3).sum()).backward()
            opt.step()
        results.append(base.numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_mixed_dtypes_in_one_group(torch):
    results = []
    for fw in (minitorch, torch):
        a = fw.tensor([1.0, 2.0], dtype=fw.float32, requires_grad=True)
        b = fw.tensor([3.0], dtype=fw.float64, requires_grad=True)
        opt = fw.optim.AdamW([a, b], lr=0.1)
        for _ in range(3):
            opt.zero_grad()
            ((a * a).sum() + (b * b).sum()).backward()
            opt.step()
        results.append((a.detach().numpy().copy(), b.detach().numpy().copy()))
    assert results[0][0].dtype == np.float32 and results[0][1].dtype == np.float64
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)


def test_float32_stays_float32_and_matches(torch):
    def make(fw, p):
        return fw.optim.Adam(groups(p), lr=0.01)

    def params32(fw):
        return {k: fw.tensor(v, dtype=fw.float32, requires_grad=True) for k, v in INIT.items()}

    ours, _, opt = run(minitorch, make, params=params32(minitorch))
    theirs, _, _ = run(torch, make, params=params32(torch))
    assert ours[-1]["W"].dtype == np.float32
    assert opt.state_dict()["state"][0]["exp_avg"].dtype == minitorch.float32
    assert_same_trajectory(ours, theirs, rtol=2e-5)


def test_step_bumps_version_so_stale_graphs_refuse_backward():
    w = minitorch.ones(3, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    y = (w * w).sum()
    w.grad = minitorch.ones(3)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_repr_lists_group_options():
    text = repr(optim.SGD([minitorch.ones(1, requires_grad=True)], lr=0.5))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    lr: 0.5\n" in text


# ---- errors -----------------------------------------------------------------------------------


def test_rejects_bad_parameters():
    leaf = minitorch.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match=r"can't optimize a non-leaf Tensor \(parameter 1"):
        optim.SGD([leaf, leaf * 2], lr=0.1)
    with pytest.warns(UserWarning, match="parameter group with duplicate parameters"):
        optim.Adam([leaf, leaf])  # as PyTorch: a warning, each listing is one update
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        optim.Adam([{"params": [leaf]}, {"params": [leaf]}])
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts"):
        optim.SGD(leaf, lr=0.1)
    with pytest.raises(TypeError, match="ordering of tensors in sets"):
        optim.SGD([leaf], lr=0.1).add_param_group({"params": {leaf * 1}})
    with pytest.raises(
        TypeError, match=r"only optimize Tensors, but one of the params is list \(parameter 0\)"
    ):
        optim.SGD([[1.0]], lr=0.1)
    with pytest.raises(ValueError, match="all optimizer params should be with/without names"):
        optim.SGD([("a", leaf), minitorch.ones(1, requires_grad=True)], lr=0.1)


def test_rejects_bad_options():
    p = [minitorch.ones(1, requires_grad=True)]
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD(p, lr=-1)
    with pytest.raises(ValueError, match="Invalid momentum value: -0.5"):
        optim.RMSprop(p, momentum=-0.5)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: 1.0"):
        optim.Adam(p, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Invalid epsilon value"):
        optim.Adagrad(p, eps=-1e-3)
    with pytest.raises(
        ValueError, match="Nesterov momentum requires a momentum and zero dampening"
    ):
        optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(RuntimeError, match="differentiable=True is not supported"):
        optim.AdamW(p, differentiable=True)
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        optim.LBFGS([{"params": p}, {"params": [minitorch.ones(1, requires_grad=True)]}])
    lbfgs = optim.LBFGS(p, line_search_fn="backtracking")  # as PyTorch: refused at step
    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        lbfgs.step(lambda: (p[0] ** 2).sum().backward() or (p[0] ** 2).sum())
    with pytest.raises(TypeError, match="LBFGS.step needs a closure"):
        optim.LBFGS(p).step()


def test_load_state_dict_errors():
    a, b = minitorch.ones(2, requires_grad=True), minitorch.ones(3, requires_grad=True)
    opt = optim.Adam([a, b])
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict(optim.Adam([{"params": [a]}, {"params": [b]}]).state_dict())
    with pytest.raises(ValueError, match="group 0 has 1 parameters in the state dict and 2"):
        opt.load_state_dict(optim.Adam([a]).state_dict())
    other = optim.Adam([b, a])  # same sizes per group, parameters swapped: shapes disagree
    b.grad, a.grad = minitorch.ones(3), minitorch.ones(2)
    other.step()
    opt.load_state_dict(other.state_dict())
    with pytest.raises(
        RuntimeError, match=r"state 'exp_avg' has shape \(3,\) but its parameter has shape \(2,\)"
    ):
        opt.step()


# ---- the example ------------------------------------------------------------------------------


def test_example_smoke_run(tmp_path):
    script = Path(__file__).resolve().parents[1] / "examples" / "optimizers.py"
    out = tmp_path / "curves.png"
    subprocess.run(
        [sys.executable, str(script), "--smoke", "--out", str(out)], check=True, timeout=120
    )
    assert out.stat().st_size > 1000


@pytest.mark.parametrize("mode", ["state_dict", "detach", "view", "none"])
def test_references_taken_before_the_first_step_follow_the_parameters(torch, mode):
    """A state_dict, detached tensor or view of a parameter taken before the first step keeps
    following it (PyTorch's aliasing); the flat buckets moved the parameters away from them."""

    def program(fw):
        fw.manual_seed(0)
        m = fw.nn.Sequential(fw.nn.Linear(4, 8), fw.nn.ReLU(), fw.nn.Linear(8, 2))
        opt = fw.optim.Adam(m.parameters(), lr=0.1)
        held = {
            "state_dict": lambda: m.state_dict()["0.weight"],
            "detach": lambda: m[0].weight.detach(),
            "view": lambda: m[0].weight.data[0],
            "none": lambda: None,
        }[mode]()
        x = fw.randn(16, 4)
        for _ in range(3):
            opt.zero_grad()
            m(x).pow(2).mean().backward()
            opt.step()
        with fw.no_grad():  # an in-place change between steps is seen by the next step
            m[2].weight.mul_(0.5)
        opt.zero_grad()
        m(x).pow(2).mean().backward()
        opt.step()
        out = [m[0].weight.detach().clone(), m[2].weight.detach().clone()]
        return out + ([] if held is None else [held.clone()])

    for expected, actual in zip(program(torch), program(minitorch)):
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)


def test_buckets_made_again_still_move_unheld_parameters():
    """Unfreezing a layer makes the buckets again; the old buckets' own references must not
    count as holders (which would make every later step copy the parameters back)."""
    nn = minitorch.nn
    m = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2))
    opt = optim.Adam(m.parameters(), lr=0.1)
    m[0].weight.requires_grad_(False)
    x = minitorch.randn(3, 4)
    for i in range(3):
        if i == 2:
            m[0].weight.requires_grad_(True)
        opt.zero_grad()
        m(x).sum().backward()
        opt.step()
    buckets = [b for _, bs in opt._buckets.values() for b in bs]
    assert len(buckets) == 2 and all(b.sources is None for b in buckets)
    held = m[1].weight.detach()  # a holder taken now is followed through the flat array
    before = held.clone()
    opt.zero_grad()
    m(x).sum().backward()
    opt.step()
    assert not minitorch.equal(held, before) and minitorch.equal(held, m[1].weight.detach())
