"""Sweep 29: the device fuzzer's findings (tests/test_fuzz_device.py), each pinned by a program
on the fake cupy (tests/fake_cupy.py) against minitorch's CPU result: the same values, dtypes
and gradients, and no host synchronisation where PyTorch's CUDA path makes none."""

from __future__ import annotations

import numpy as np
import pytest
from fake_cupy import fake_cupy, host_syncs, installed

import minitorch


@pytest.fixture(params=[False, True], ids=["fake", "fake-fused"])
def fused(request):
    with installed(fused=request.param):
        yield request.param


def _same(dev, cpu) -> None:
    assert dev.device.type == "cuda" and cpu.device.type == "cpu"
    assert dev.dtype == cpu.dtype and tuple(dev.shape) == tuple(cpu.shape)
    a, e = dev.detach().cpu().numpy(), cpu.detach().numpy()
    if e.dtype.kind == "f":  # the fused kernels round float64 in their own order
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-14)
    else:
        np.testing.assert_array_equal(a, e)


def _on(values, dev, grad=False):
    return minitorch.tensor(np.asarray(values, np.float64), device=dev, requires_grad=grad)


# ---- reductions of a 0-d tensor along dim 0 / -1 (cupy refuses an axis for a 0-d array) ------
@pytest.mark.parametrize("name", ["argmax", "argmin", "prod"])
@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_reductions_of_a_0d_tensor_along_a_dim(name, dim, keepdim, fused):
    """Seeds 35, 166, 238 of the fuzzer: AxisError on the device, a value on the CPU."""
    results = {}
    for dev in ("cpu", "cuda"):
        x = _on(1.5, dev, grad=name == "prod")
        out = getattr(x, name)(dim, keepdim=keepdim)
        grads = []
        if out.requires_grad:
            grads = minitorch.autograd.grad(out * 3.0, x)
        results[dev] = (out, *grads)
    for dev_out, cpu_out in zip(results["cuda"], results["cpu"]):
        _same(dev_out, cpu_out)


# ---- in place through an as_strided-built view: diagonal, unfold, as_strided -----------------
VIEWS = {
    "diagonal": lambda y: y.diagonal(0, 0, -1),
    "unfold": lambda y: y.unfold(0, 2, 1),
    "as_strided": lambda y: y.as_strided((2,), (1,)),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("op", ["sigmoid_", "neg_", "mul_"])
def test_in_place_through_a_strided_view_reaches_the_gradient(view, op, fused):
    """Seeds 1 and 8: cupy's as_strided sets no ``base``, so the device's diagonal was no view
    to autograd: an in-place op on it changed the base's values but not its gradient."""
    results = {}
    for dev in ("cpu", "cuda"):
        x = _on([[0.5], [1.0], [-2.0]], dev, grad=True)
        y = (x * 1.0).clone()
        v = VIEWS[view](y)
        getattr(v, op)(*([2.0] if op == "mul_" else []))
        w = _on(np.cos(np.arange(3.0)).reshape(3, 1), dev)
        (grad,) = minitorch.autograd.grad((y * w).sum(), x)
        results[dev] = (y, grad)
    for dev_out, cpu_out in zip(results["cuda"], results["cpu"]):
        _same(dev_out, cpu_out)


# ---- no host sync where PyTorch's CUDA path makes none ---------------------------------------
def _sign(dev):
    x = _on([np.nan, -2.0, 0.0, 3.0], dev, grad=True)
    return [x.sign(), x.sgn(), *minitorch.autograd.grad(x.abs().sum(), x)]


def _pow_tensor_exponent(dev):
    x = _on([0.5, 0.0, 2.0], dev, grad=True)
    e = _on([2.0, 0.0, 3.0], dev)
    return [*minitorch.autograd.grad((x**e).sum(), x)]


def _indexed(dev):
    x = _on(np.arange(6.0).reshape(2, 3), dev, grad=True)
    idx = minitorch.tensor([[2, 0, 1]], device=dev)
    rows = minitorch.tensor([1, 0], device=dev)
    out = [
        x.gather(1, idx),
        x.scatter(1, idx, 7.0),
        x.scatter_add(1, idx, x[:1]),
        x.index_select(0, rows),
        x.index_select(1, rows),
        x.index_add(0, rows, x),
    ]
    return [*out, *minitorch.autograd.grad(sum(o.sum() for o in out), x)]


def _integer_remainders(dev):
    x = minitorch.tensor([5, -3, 7], device=dev)
    d = minitorch.tensor([2, -2, 3], device=dev)
    return [x % d, x.remainder(d), x.fmod(d), x % 2, x.fmod(-2), x.take_along_dim(d.abs(), 0)]


def _masked_scatter(dev):
    x = _on(np.arange(6.0).reshape(2, 3), dev, grad=True)
    source = _on(np.arange(10.0, 17.0), dev, grad=True)
    mask = minitorch.tensor([[True, False, True], [False, True, True]], device=dev)
    rows = minitorch.tensor([[True], [False]], device=dev)
    empty = _on(np.zeros(0), dev, grad=True)
    out = [
        x.masked_scatter(mask, source),
        x.masked_scatter(rows, source * 2),
        x.masked_scatter(mask & False, empty),
    ]
    total = sum((o * o).sum() for o in out)
    return [*out, *minitorch.autograd.grad(total, [x, source, empty])]


def _sorted_and_searched(dev):
    x = _on([1.0, np.nan, 3.0, 2.0, 3.0], dev)
    edges = _on([-1.0, 0.5, 2.0, 2.5], dev)
    nan_edges = _on([-1.0, 0.5, np.nan, 2.5], dev)
    return [
        *x.sort(descending=True),
        x.argsort(descending=True, stable=True),
        minitorch.searchsorted(edges, x),
        minitorch.searchsorted(nan_edges, x, right=True),
        minitorch.bucketize(x, edges),
        minitorch.searchsorted(edges.expand(2, 4).contiguous(), x[:4].reshape(2, 2)),
    ]


def _class_targets(dev):
    F = minitorch.nn.functional
    x = _on(np.linspace(-1.0, 1.0, 12).reshape(3, 4), dev, grad=True)
    target = minitorch.tensor([0, 3, 1], device=dev)
    labels = minitorch.tensor([[3, 0, -1, 1], [1, -1, 0, 0], [0, 1, 2, 3]], device=dev)
    out = [
        F.one_hot(target, 5),
        F.multi_margin_loss(x, target, reduction="none"),
        F.multilabel_margin_loss(x, labels, reduction="none"),
    ]
    return [*out, *minitorch.autograd.grad(out[1].sum() + out[2].sum(), x)]


def _attention_with_a_mask_that_needs_a_gradient(dev):
    q = _on(np.linspace(-1.0, 1.0, 12).reshape(1, 3, 4), dev, grad=True)
    mask = _on([[0.0, -1.0, 0.5], [0.2, 0.0, -np.inf], [0.1, 0.3, 0.0]], dev, grad=True)
    out = minitorch.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=mask)
    return [out, *minitorch.autograd.grad((out * out).sum(), [q, mask])]


NO_SYNC = {
    "sign": _sign,
    "pow_tensor_exponent": _pow_tensor_exponent,
    "indexed": _indexed,
    "integer_remainders": _integer_remainders,
    "masked_scatter": _masked_scatter,
    "sorted_and_searched": _sorted_and_searched,
    "class_targets": _class_targets,
    "attention_mask_gradient": _attention_with_a_mask_that_needs_a_gradient,
}


@pytest.mark.parametrize("name", sorted(NO_SYNC))
def test_no_host_sync_where_pytorch_makes_none(name, fused):
    """sign's NaN pass was a masked write, pow's gradient asked whether an exponent is 0,
    gather/scatter/index_select/index_add read the indices back to check their range (the
    fuzzer's commonest syncs), integer remainder/fmod looked for a zero divisor,
    take_along_dim for indices to wrap, masked_scatter counted the mask's Trues (seeds 6,
    30, 39), a descending sort of floats and searchsorted looked for NaNs and searchsorted's
    binary search asked each step whether any search is left (seeds 1, 11, 12), one_hot
    (given num_classes) and multi_margin/multilabel_margin checked the targets' range,
    attention written out (a mask that needs a gradient) looked for fully masked rows: each
    a stall of the GPU, which PyTorch's CUDA kernels
    avoid (an index out of range is a device-side assert there)."""
    with host_syncs() as log:
        out = NO_SYNC[name]("cuda")
    assert log == []
    for dev_out, cpu_out in zip(out, NO_SYNC[name]("cpu")):
        _same(dev_out, cpu_out)


def test_indices_out_of_range_still_raise_on_the_cpu():
    x = minitorch.zeros(2, 3)
    with pytest.raises(RuntimeError, match="index 3 is out of bounds for dimension 1 with size 3"):
        x.gather(1, minitorch.tensor([[3]]))
    with pytest.raises(IndexError, match="index out of range in self"):
        x.index_select(0, minitorch.tensor([2]))


def _masked(dev):
    x = _on(np.arange(12.0).reshape(3, 4) - 5, dev, grad=True)
    mask = minitorch.tensor(np.arange(12).reshape(3, 4) % 3 == 0, device=dev)
    rows = minitorch.tensor([True, False, True], device=dev)
    y = x * 1.0
    y[mask] = 2.0
    z = x.clone()
    z[rows] = x[:1] * 3
    return x, [y, z, x[mask], x[rows], x[rows, 1:], x[1:, mask[0]]]


def test_gradients_of_mask_indexing_read_nothing_back(fused):
    """Seeds 0, 4, 44: ``y[mask] = v`` and ``x[mask]`` read the mask's count back once (as
    PyTorch does), but their gradients did again (a masked write and gather on the device);
    PyTorch's index_put and index turn the mask into indices once."""
    results = {}
    for dev in ("cpu", "cuda"):
        x, outs = _masked(dev)
        with host_syncs() as log:
            (grad,) = minitorch.autograd.grad(sum((o * o).sum() for o in outs), x)
        assert log == [] or dev == "cpu"
        results[dev] = [*outs, grad]
    for dev_out, cpu_out in zip(results["cuda"], results["cpu"]):
        _same(dev_out, cpu_out)


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3)])
def test_softmax_of_an_empty_tensor_with_the_fused_kernels(shape, fused):
    """Seed 1122: an empty softmax went to the fused row kernel, whose rows take no empty
    array (the reference kernel of the fake failed in max, cupy's _rows in reshape)."""
    results = {}
    for dev in ("cpu", "cuda"):
        x = _on(np.zeros(shape), dev, grad=True)
        outs = [x.softmax(-1), x.log_softmax(-1)]
        (grad,) = minitorch.autograd.grad(sum(o.sum() for o in outs), x)
        results[dev] = [*outs, grad]
    for dev_out, cpu_out in zip(results["cuda"], results["cpu"]):
        _same(dev_out, cpu_out)


def test_fake_cupy_ufunc_at_with_a_mask_is_a_host_sync():
    """cupy's ufunc.at is its scatter (``_scatter_op``), which sizes a mask's values on the
    host as ``a[mask] = v`` does: the fake recorded no sync for it."""
    a = fake_cupy.zeros(3)
    mask = fake_cupy.asarray(np.array([True, False, True]))
    with host_syncs() as log:
        np.add.at(a, (mask,), 1.0)
        np.add.at(a, (fake_cupy.asarray(np.array([0, 2, 2])),), 1.0)
    assert len(log) == 1 and log[0].startswith("boolean-mask ufunc.at at "), log
    np.testing.assert_array_equal(a.get(), [2.0, 0.0, 3.0])


def test_random_draws_from_device_parameters_make_no_host_sync(fused):
    """Seeds 201, 176: poisson looked for negative rates and bernoulli read the range of its
    probabilities back (PyTorch's CUDA kernels assert on the device)."""
    rates = minitorch.tensor([0.5, 2.0, 12.0], device="cuda")
    p = minitorch.tensor([0.2, 0.9, 1.0], device="cuda")
    with host_syncs() as log:
        draws = [minitorch.poisson(rates), minitorch.bernoulli(p), minitorch.empty(3, device="cuda").bernoulli_(p)]  # fmt: skip
    assert log == []
    for d in draws:
        assert d.device.type == "cuda" and d.shape == (3,) and d.dtype == minitorch.float32
    with pytest.raises(RuntimeError, match="invalid Poisson rate"):
        minitorch.poisson(-rates.cpu())
    with pytest.raises(RuntimeError, match="Expected p_in >= 0 && p_in <= 1"):
        minitorch.bernoulli(p.cpu() * 2)


def test_an_index_tensor_into_an_empty_dim_has_the_cpus_words(fused):
    """Seed 219: on the device the range check named the index (PyTorch's words, on every
    device: "index is out of bounds for dimension with size 0")."""
    for dev in ("cpu", "cuda"):
        x = minitorch.zeros(0, 3, device=dev)
        for index in ([0], [[0, 0]]):
            with pytest.raises(IndexError, match="^index is out of bounds for dimension with size 0$"):  # fmt: skip
                x[minitorch.tensor(index, device=dev)]


def test_float64_gelu_without_the_fused_kernels_reads_no_mask():
    """Seeds 2340, 2449, 2854: the float64 normal CDF split its entries by boolean masks (a
    sync on a device); a device now evaluates both branches everywhere and selects. Values
    on both sides of the switch at |x| = 1.5 sqrt(2), in the tails, NaN and infinities."""
    values = [-40.0, -8.0, -2.2, -2.1213203435596424, -1.0, -0.0, 0.0, 0.3, 2.1213203435596424,
              2.5, 9.0, float("inf"), float("-inf"), float("nan")]  # fmt: skip
    x = _on(values, "cpu", grad=True)
    y = minitorch.nn.functional.gelu(x)
    expected = (y, *minitorch.autograd.grad(y.sum(), x))
    with installed(fused=False):
        x = _on(values, "cuda", grad=True)
        with host_syncs() as log:
            y = minitorch.nn.functional.gelu(x)
            (g,) = minitorch.autograd.grad(y.sum(), x)
        assert log == []
        for dev, cpu in zip((y, g), expected):
            assert dev.device.type == "cuda" and dev.dtype == minitorch.float64
            np.testing.assert_array_equal(dev.detach().cpu().numpy(), cpu.detach().numpy())


def _multinomial_rows(dev):
    p = [[0.0, 0.2, 0.0, 0.5, 0.3, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0, 2.0], [0.0] * 5 + [4.0]]
    return minitorch.tensor(p, device=dev)


@pytest.mark.parametrize("shape", ["rows", "vector", "float64", "no rows"])
def test_multinomial_with_replacement_draws_on_the_device(shape, fused):
    """The probabilities were copied to the host to draw there; a device draws from its own
    generator (a running sum and a binary search per sample, as PyTorch's CUDA kernel),
    reading nothing back. Categories of probability 0 never come up; the CPU's stream is
    left alone."""
    p = {"rows": _multinomial_rows("cuda"), "vector": _multinomial_rows("cuda")[0],
         "float64": _multinomial_rows("cuda").double(),
         "no rows": minitorch.zeros(0, 4, device="cuda")}[shape]  # fmt: skip
    minitorch.manual_seed(5)
    cpu_next = minitorch.rand(3)
    minitorch.manual_seed(5)
    with host_syncs() as log:
        out = minitorch.multinomial(p, 400, replacement=True)
    assert log == []
    assert out.device.type == "cuda" and out.dtype == minitorch.int64
    assert tuple(out.shape) == tuple(p.shape[:-1]) + (400,)
    assert minitorch.equal(minitorch.rand(3), cpu_next)
    drawn = out.cpu().numpy().reshape(-1, 400)
    weights = p.cpu().numpy().reshape(-1, p.shape[-1])
    for row, w in zip(drawn, weights):
        assert (w[row] > 0).all()
        assert set(row.tolist()) == set(np.flatnonzero(w).tolist())  # 400 draws: each shows up


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # (the fake's numpy: 0/0)
@pytest.mark.parametrize(
    ("row", "why"),
    [([0.5, -0.1, float("nan")], "encountering probability entry < 0"),
     ([0.5, float("nan"), -1.0], "encountering probability entry < 0"),
     ([0.5, float("inf"), -1.0], r"encountering probability entry = infinity or NaN"),
     ([0.0, 0.0, 0.0], r"sum of probabilities <= 0")],
)  # fmt: skip
def test_invalid_multinomial_rows_raise_at_the_next_sync_on_a_device(row, why, fused):
    """The CPU raises at once (its words are unchanged); a device's check is left on the
    device and raises PyTorch's CUDA error with the CPU's words at the next read back, once.
    A second row's error is not the one named: the first bad row is."""
    rows = [[1.0, 2.0, 3.0], row, [-1.0, 0.0, 0.0]]
    with pytest.raises(RuntimeError, match=f"^invalid multinomial distribution \\({why}\\)$"):
        minitorch.multinomial(minitorch.tensor(rows), 3, replacement=True)
    with host_syncs() as log:
        out = minitorch.multinomial(minitorch.tensor(rows, device="cuda"), 3, replacement=True)
    assert log == []
    with pytest.raises(RuntimeError, match=f"^CUDA error: device-side assert triggered in multinomial: invalid multinomial distribution \\({why}\\)$"):  # fmt: skip
        out.cpu()
    out.cpu()  # raised once
    with pytest.raises(RuntimeError, match="sum of probabilities <= 0"):  # from the shape alone
        minitorch.multinomial(minitorch.zeros(2, 0, device="cuda"), 3, replacement=True)
