"""Sweep 29: index range checks on a device without a host sync. gather, scatter and kin,
index_select, index_add/index_copy/index_fill, take, take_along_dim, put_ and indexing by an
integer tensor leave their check pending on the device (cupy would wrap a bad index around:
a silently wrong number) and raise PyTorch's CUDA RuntimeError at the next host
synchronisation (``.cpu()``, ``.item()``, ``cuda.synchronize()``...), as PyTorch's device-side
asserts surface at a later call. Run on the fake cupy (tests/fake_cupy.py); the CPU raises at
once, as before."""

from __future__ import annotations

import numpy as np
import pytest
from fake_cupy import host_syncs, installed

import minitorch
from minitorch import backends


@pytest.fixture(params=[False, True], ids=["fake", "fake-fused"])
def fused(request):
    with installed(fused=request.param):
        yield request.param


def _x(dev):
    return minitorch.arange(12.0, device=dev).reshape(3, 4)


def _i(values, dev):
    return minitorch.tensor(values, device=dev)


def _ones(shape, dev):
    return minitorch.ones(*shape, device=dev)


# op name -> fn(dev, index values) -> result; then (good index, bad index)
OPS = {
    "gather": (
        lambda d, i: minitorch.gather(_x(d), 1, _i(i, d)),
        [[0, 3], [1, 1], [2, 0]],
        [[0, 3], [4, 1], [2, 0]],
    ),  # fmt: skip
    "scatter": (lambda d, i: _x(d).scatter(0, _i(i, d), -_x(d)), [[2, 1, 0, 0]], [[2, 1, 3, 0]]),
    "scatter_value": (
        lambda d, i: _x(d).scatter(1, _i(i, d), 7.0),
        [[3], [0], [1]],
        [[3], [-1], [1]],
    ),  # fmt: skip
    "scatter_add": (
        lambda d, i: _x(d).scatter_add(0, _i(i, d), _x(d)),
        [[2, 1, 0, 2]],
        [[2, 1, 0, 5]],
    ),  # fmt: skip
    "scatter_reduce": (
        lambda d, i: _x(d).scatter_reduce(1, _i(i, d), -_x(d), "amax"),
        [[1], [0], [3]],
        [[1], [9], [3]],
    ),  # fmt: skip
    "index_select": (lambda d, i: _x(d).index_select(1, _i(i, d)), [3, 0, 0], [3, 4, 0]),
    "index_select_dim0": (lambda d, i: _x(d).index_select(0, _i(i, d)), [2, 0], [-1, 0]),
    "index_add": (lambda d, i: _x(d).index_add(0, _i(i, d), _ones((2, 4), d)), [2, 2], [2, 3]),
    "index_add_alpha": (
        lambda d, i: _x(d).index_add(1, _i(i, d), _ones((3, 2), d), alpha=2),
        [0, 3],
        [0, 6],
    ),  # fmt: skip
    "index_copy": (lambda d, i: _x(d).index_copy(1, _i(i, d), _ones((3, 2), d)), [3, 1], [3, 4]),
    "index_fill": (lambda d, i: _x(d).index_fill(0, _i(i, d), -1.0), [-1, 0], [-4, 0]),
    "take": (
        lambda d, i: minitorch.take(_x(d), _i(i, d)),
        [[11, -12], [0, 5]],
        [[11, 12], [0, 5]],
    ),  # fmt: skip
    "take_along_dim": (lambda d, i: minitorch.take_along_dim(_x(d), _i(i, d)), [5, 0], [5, 12]),
    "put_": (lambda d, i: _x(d).put_(_i(i, d), _ones((2,), d)), [-12, 11], [-13, 11]),
    "put_accumulate": (
        lambda d, i: _x(d).put_(_i(i, d), _ones((2,), d), accumulate=True),
        [4, 4],
        [4, 40],
    ),  # fmt: skip
    "getitem": (lambda d, i: _x(d)[_i(i, d)], [[2, -3]], [[2, 3]]),
    "getitem_columns": (lambda d, i: _x(d)[1:, _i(i, d)], [-1, 3], [-5, 3]),
    "getitem_pair": (lambda d, i: _x(d)[_i([0, 1], d), _i(i, d)], [3, 0], [0, 4]),
    "setitem": (lambda d, i: _x(d).__setitem__((Ellipsis, _i(i, d)), 5.0), [0, -4], [0, 4]),
    "index_put": (lambda d, i: _x(d).index_put((_i(i, d),), _ones((4,), d)), [1, 1], [1, 3]),
    "index_put_accumulate": (
        lambda d, i: _x(d).index_put((_i(i, d),), _ones((4,), d), accumulate=True),
        [0, 0],
        [-4, 0],
    ),  # fmt: skip
}


def _run(name: str, dev: str, values):
    fn, *_ = OPS[name]
    out = fn(dev, values)
    return out


@pytest.mark.parametrize("name", sorted(OPS))
def test_bad_index_raises_at_the_next_sync(name, fused):
    """A good index: the CPU's values, no host sync. A bad one: no host sync in the op either;
    the next device->host copy raises PyTorch's CUDA error (with the CPU's message for the
    op), once; the CPU raises at once, as before."""
    _, good, bad = OPS[name]
    with host_syncs() as log:
        out = _run(name, "cuda", good)
    assert log == []
    expected = _run(name, "cpu", good)
    if out is not None:
        np.testing.assert_array_equal(out.cpu().numpy(), expected.numpy())
    with pytest.raises((IndexError, RuntimeError)) as cpu_error:
        _run(name, "cpu", bad)
    with host_syncs() as log:
        out = _run(name, "cuda", bad)
    assert log == []
    result = out if out is not None else _x("cuda")
    with pytest.raises(RuntimeError, match="CUDA error: device-side assert triggered") as e:
        result.cpu()
    assert str(cpu_error.value) in str(e.value)
    result.cpu()  # raised once: the pending checks are gone


SYNCS = {
    "cpu": lambda t: t.cpu(),
    "item": lambda t: t.sum().item(),
    "tolist": lambda t: t.tolist(),
    "float": lambda t: float(t.sum()),
    "bool": lambda t: bool(t.sum()),
    "repr": repr,
    "numpy": lambda t: np.asarray(t),
    "synchronize": lambda t: minitorch.cuda.synchronize(),
}


@pytest.mark.parametrize("sync", sorted(SYNCS))
def test_each_sync_point_raises(sync, fused):
    out = minitorch.gather(_x("cuda"), 0, _i([[0, 3, 1, 2]], "cuda"))
    with pytest.raises(RuntimeError, match=r"in gather: gather\(\): index 3 is out of bounds"):
        SYNCS[sync](out)


def test_later_ops_and_errors_reach_the_first_bad_index(fused):
    """The first failed check raises, naming its op, after good work queued behind it."""
    x = _x("cuda")
    y = x.index_select(0, _i([0, 7], "cuda"))
    z = minitorch.take(y * 2, _i([-100], "cuda"))
    w = (z + x.sum()).exp()
    with pytest.raises(RuntimeError, match=r"in index_select: .*index 7 is out of bounds"):
        w.item()
    assert w.cpu().shape == (1,)


def test_backward_through_checked_indices(fused):
    """Good indices: the CPU's gradients, no host sync. The gather's index tensor itself is
    saved (not its clipped copy): changed in place before backward, it raises as on the CPU.
    A bad index: backward runs without a sync too, and the gradient's copy raises."""
    results = []
    for dev in ("cpu", "cuda"):
        x = _x(dev).requires_grad_()
        with host_syncs() as log:
            out = minitorch.gather(x, 1, _i([[3, 3], [0, 1], [2, 2]], dev))
            out = out + x[_i([2, 0, 2], dev), 1:3] + x.index_select(1, _i([1], dev))
            (g,) = minitorch.autograd.grad(out.sum(), x)
        assert dev == "cpu" or log == []
        results.append(g.cpu().numpy())
        index = _i([[0], [1], [3]], dev)
        out = minitorch.gather(x, 1, index)
        index.add_(0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            out.sum().backward()
    np.testing.assert_array_equal(*results)
    x = _x("cuda").requires_grad_()
    with host_syncs() as log:
        (g,) = minitorch.autograd.grad(minitorch.gather(x, 1, _i([[3], [4], [0]], "cuda")).sum(), x)
    assert log == []
    with pytest.raises(RuntimeError, match=r"in gather: gather\(\): index 4 is out of bounds"):
        g.cpu()


def test_pending_checks_are_bounded(fused, monkeypatch):
    """Where nothing syncs for long, the checks are read back once their list is full."""
    monkeypatch.setattr(backends, "_PENDING_MAX", 3)
    x = _x("cuda")
    for _ in range(2):
        x.index_select(0, _i([1], "cuda"))
    assert len(backends._pending[backends.Device("cuda", 0)]) == 2
    x.index_select(0, _i([2], "cuda"))
    assert backends.Device("cuda", 0) not in backends._pending
    x.index_select(0, _i([1], "cuda"))
    x.index_select(0, _i([5], "cuda"))
    with pytest.raises(RuntimeError, match="index 5 is out of bounds"):
        x.index_select(0, _i([0], "cuda"))


# ---- as_strided of an as_strided view (cupy's as_strided sets no base) ----------------------
def test_as_strided_of_an_as_strided_view(fused):
    """The view's storage is its base's memory on the device too: its storage_offset, and a
    second as_strided (of its storage, with the default offset) as on the CPU."""
    results = {}
    for dev in ("cpu", "cuda"):
        x = minitorch.arange(10.0, device=dev, requires_grad=True)
        v = x.as_strided((3,), (2,), 1)
        w = v.as_strided((2,), (3,), 4)
        d = x.view(2, 5).diagonal(1)
        u = d.as_strided((2, 2), (1, 2))
        s = minitorch.as_strided_scatter(v.detach(), -v[:2].detach(), (2,), (3,), 4)
        (g,) = minitorch.autograd.grad((w * 3).sum() + (u * u).sum(), x)
        offsets = [t.storage_offset() for t in (v, w, d, u, d.as_strided((1,), (1,)))]
        results[dev] = (offsets, [t.tolist() for t in (w, u, s, g)])
    assert results["cuda"] == results["cpu"]


# ---- zeta of a negative q on a device: no host sync ------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_zeta_of_negative_q_without_a_sync(dtype, fused):
    """zeta(s, q) for q < 0 not an integer (and polygamma there) is computed everywhere on a
    device instead of asking whether any q is negative: the CPU's values, no host sync."""
    q = np.array([[-2.5, -0.3, 1.5, 0.0], [-3.0, 2.0, -7.25, -1e-3]], dtype)
    s = np.array([[2.0, 3.0, 4.0, 2.0], [3.0, 1.0, 5.0, 2.5]], dtype)
    results = {}
    for dev in ("cpu", "cuda"):
        tq = minitorch.tensor(q, device=dev, requires_grad=True)
        ts = minitorch.tensor(s, device=dev)
        with host_syncs() as log:
            outs = [minitorch.special.zeta(ts, tq), minitorch.polygamma(3, tq)]
            outs.append(minitorch.special.zeta(4.0, tq[0]))
            outs.extend(minitorch.autograd.grad(outs[0].sum(), tq))
        assert dev == "cpu" or log == []
        results[dev] = [o.detach().cpu().numpy() for o in outs]
    for a, e in zip(results["cuda"], results["cpu"]):
        np.testing.assert_array_equal(a, e)


def test_saving_a_device_tensor_is_a_sync_point(fused, tmp_path):
    """torch.save copies the storage to the host: a pending failed check raises there."""
    out = _x("cuda").index_select(0, _i([3], "cuda"))
    with pytest.raises(RuntimeError, match=r"in index_select: .*index 3 is out of bounds"):
        minitorch.save(out, tmp_path / "t.pt")
    minitorch.save(out, tmp_path / "t.pt")
