"""The CPU's float16 fast paths (numpy converts and computes float16 element by element in
software): each against the plain numpy computation and against PyTorch's CPU float16 /
autocast numbers, gradients included."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch
import minitorch.nn.functional as F
from minitorch.amp import GradScaler, autocast
from minitorch.backends.numpy_backend import (
    NumpyBackend,
    astype,
    float_to_half,
    half_to_float,
)

F16, F32 = minitorch.float16, minitorch.float32
ALL_HALVES = np.arange(1 << 16, dtype=np.uint16).view(np.float16)  # every bit pattern


def _bits(a) -> np.ndarray:
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    return a.view(np.uint16 if a.dtype == np.float16 else np.uint32)


def _same_or_both_nan(actual, expected) -> None:
    """Bit-equal, except that any NaN may stand for any NaN (PyTorch quiets signalling NaNs)."""
    a, e = np.asarray(actual), np.asarray(expected)
    nan = np.isnan(e)
    np.testing.assert_array_equal(np.isnan(a), nan)
    np.testing.assert_array_equal(_bits(a[~nan]), _bits(e[~nan]))


# ---- float16 -> float32 --------------------------------------------------------------------
def test_half_to_float_is_astype_bit_for_bit_on_every_half():
    out = half_to_float(ALL_HALVES)
    assert out.dtype == np.float32
    expected = ALL_HALVES.astype(np.float32)
    np.testing.assert_array_equal(_bits(out), _bits(expected))  # NaN payloads too


def test_half_to_float_by_bits_and_by_table_in_one_array():
    """A chunk of normal halves takes the bit path, one full of subnormals the table: the
    result is the same either way (inf and NaN in the bit path's chunk too)."""
    rng = np.random.default_rng(0)
    normal = rng.standard_normal(1 << 16).astype(np.float16)
    normal[[5, 77, 900]] = [np.inf, -np.inf, np.nan]
    tiny = (rng.standard_normal(1 << 16) * 1e-6).astype(np.float16)
    for h in (normal, tiny, np.concatenate([normal, tiny, normal[:1000]])):
        np.testing.assert_array_equal(_bits(half_to_float(h)), _bits(h.astype(np.float32)))


# ---- float32 -> float16 --------------------------------------------------------------------
def _float_to_half_cases(rng) -> np.ndarray:
    """Random float32 bit patterns (every class), the midpoints between neighbouring halves
    and the floats next to them (where rounding to nearest even decides), edge values."""
    patterns = rng.integers(0, 1 << 32, 200_000, dtype=np.uint64).astype(np.uint32)
    finite = np.unique(ALL_HALVES[np.isfinite(ALL_HALVES)].astype(np.float64))
    mid = ((finite[:-1] + finite[1:]) / 2).astype(np.float32)
    edges = np.array(
        [0.0, np.inf, np.nan, 65504, 65519.996, 65520, 65536, 2.0**-14, 2.0**-24, 2.0**-25,
         3 * 2.0**-26, 1e-45, 2.0**115, 2.0**116, 3e38, 2047.9, 2048],
        np.float32,
    )  # fmt: skip
    return np.concatenate(
        [
            patterns.view(np.float32),
            mid,
            np.nextafter(mid, np.float32(np.inf)),
            np.nextafter(mid, np.float32(-np.inf)),
            finite.astype(np.float32),
            edges,
            -edges,
            (rng.standard_normal(100_000) * 1e-6).astype(np.float32),  # subnormal halves
        ]
    )


def test_float_to_half_is_astype_bit_for_bit():
    x = _float_to_half_cases(np.random.default_rng(1))
    with np.errstate(over="ignore", invalid="ignore"):
        expected = x.astype(np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings, as in PyTorch
        out = float_to_half(x)
    _same_or_both_nan(out, expected)
    for view in (x[:4096].reshape(64, 64).T, x[: 3 * 4096 : 3].reshape(64, 64)):
        with np.errstate(over="ignore", invalid="ignore"):
            _same_or_both_nan(float_to_half(view), view.astype(np.float16))


@pytest.mark.parametrize(
    "view",
    [
        lambda a: a.T,  # Fortran order: kept, as astype keeps it
        lambda a: a[::3, 1::2],  # gaps
        lambda a: a[::-1],  # negative strides
        lambda a: a[0, 0],  # 0-d
        lambda a: a[:0],  # empty
        lambda a: a[:120:2, ::3],  # finite halves only: no slow fix-up
    ],
)
def test_half_to_float_of_views(view):
    a = view(ALL_HALVES.reshape(256, 256))
    out = half_to_float(a)
    expected = a.astype(np.float32)
    assert out.shape == expected.shape and out.strides == expected.strides
    np.testing.assert_array_equal(_bits(out), _bits(expected))


def test_astype_and_the_cast_op_take_the_fast_path_only_for_half_to_float():
    a = ALL_HALVES.reshape(256, 256)
    np.testing.assert_array_equal(_bits(astype(a, np.float32)), _bits(a.astype(np.float32)))
    b = np.arange(6.0, dtype=np.float32)
    assert astype(b, np.float32, copy=False) is b and astype(b, np.float32) is not b
    assert astype(b, np.float16).dtype == np.float16
    t = minitorch.tensor(a)
    np.testing.assert_array_equal(_bits(t.float()), _bits(a.astype(np.float32)))


# ---- matrix products -----------------------------------------------------------------------
def test_float16_matmul_with_bias_rounds_once_like_pytorch_addmm(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 100)).astype(np.float32)
    w = rng.standard_normal((30, 100)).astype(np.float32)
    b = (3 * rng.standard_normal(30)).astype(np.float32)
    x16, w16, b16 = (a.astype(np.float16) for a in (x, w, b))
    out = NumpyBackend.matmul(x16, w16.T, b16)
    plain = (x16.astype(np.float32) @ w16.astype(np.float32).T + b16.astype(np.float32)).astype(
        np.float16
    )
    np.testing.assert_array_equal(out, plain)
    with autocast("cpu", dtype=F16):
        mine = F.linear(minitorch.tensor(x), minitorch.tensor(w), minitorch.tensor(b))
    with torch.autocast("cpu", dtype=torch.float16):
        theirs = torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.tensor(b))
    assert mine.dtype is F16
    # Rounded once, both agree but where their float32 sums (BLAS kernels of their own, which
    # differ by machine) land on either side of a float16 rounding boundary: 2 of 1920 on one
    # machine, none on another. Rounded twice, only 71% would be equal.
    mine, theirs = mine.numpy(), theirs.numpy()
    assert (mine == theirs).mean() > 0.99
    ulps = np.abs(mine.view(np.int16).astype(int) - theirs.view(np.int16).astype(int))
    assert ulps.max() <= 1


def test_matmul_bias_for_float32_is_added_in_place():
    a, b, bias = np.ones((2, 3), np.float32), np.ones((3, 4), np.float32), np.arange(4.0)
    out = NumpyBackend.matmul(a, b, bias.astype(np.float32))
    assert out.dtype == np.float32 and out.tolist() == [[3.0, 4.0, 5.0, 6.0]] * 2


def test_float16_matmul_scale_and_float32_result_round_once():
    rng = np.random.default_rng(4)
    a = rng.standard_normal((3, 20, 16)).astype(np.float16)
    b = rng.standard_normal((3, 16, 24)).astype(np.float16)
    product = a.astype(np.float32) @ b.astype(np.float32)
    out = NumpyBackend.matmul(a, b, scale=0.125 + 2**-9)
    np.testing.assert_array_equal(out, (product * np.float32(0.125 + 2**-9)).astype(np.float16))
    wide = NumpyBackend.matmul(a, b, dtype=np.float32)  # not rounded to float16 first
    assert wide.dtype == np.float32
    np.testing.assert_array_equal(wide, product)
    both = NumpyBackend.matmul(a, b, scale=3.0, dtype=np.float32)
    np.testing.assert_array_equal(both, product * 3)


def test_float16_attention_and_its_gradients_match_pytorch(torch):
    rng = np.random.default_rng(5)
    q, k, v, g = (rng.standard_normal((2, 3, 16, 8)).astype(np.float16) for _ in range(4))
    grads = []
    for lib in (minitorch, torch):
        qkv = [lib.tensor(a, requires_grad=True) for a in (q, k, v)]
        out = lib.nn.functional.scaled_dot_product_attention(*qkv, is_causal=True)
        out.backward(lib.tensor(g))
        grads.append([out] + [t.grad for t in qkv])
    for mine, theirs in zip(*grads):
        assert mine.dtype is F16
        assert_close(mine.float(), theirs.float(), rtol=1e-2, atol=4e-3)


# ---- relu on the bits ----------------------------------------------------------------------
def test_float16_relu_matches_pytorch_on_every_half(torch):
    g = np.random.default_rng(0).permutation(ALL_HALVES)  # every half as a gradient too
    x = minitorch.tensor(ALL_HALVES, requires_grad=True)
    tx = torch.tensor(ALL_HALVES, requires_grad=True)
    y, ty = x.relu(), torch.relu(tx)
    y.backward(minitorch.tensor(g))
    ty.backward(torch.tensor(g))
    assert y.dtype is F16 and x.grad.dtype is F16
    _same_or_both_nan(y.detach().numpy(), ty.detach().numpy())  # -0.0 and -NaN stay, as there
    _same_or_both_nan(x.grad.numpy(), tx.grad.numpy())  # inf * 0 is 0 there, not NaN


def test_float16_relu_matches_the_plain_computation_and_keeps_its_graph():
    x = minitorch.tensor(np.linspace(-3, 3, 13, dtype=np.float16), requires_grad=True)
    y = x.relu()
    np.testing.assert_array_equal(y.detach().numpy(), np.maximum(x.detach().numpy(), 0))
    (gx,) = minitorch.autograd.grad(y.sum() * 2, x, create_graph=True)  # the Tensor-op path
    np.testing.assert_array_equal(gx.detach().numpy(), 2.0 * (x.detach().numpy() > 0))
    assert gx.dtype is F16


# ---- GELU and sums: float32 inside, rounded once -------------------------------------------
def test_float16_gelu_is_the_float32_gelu_rounded_once_and_close_to_pytorch(torch):
    rng = np.random.default_rng(1)
    x16 = (3 * rng.standard_normal((32, 64))).astype(np.float16)
    g16 = rng.standard_normal((32, 64)).astype(np.float16)
    x32 = minitorch.tensor(x16.astype(np.float32), requires_grad=True)
    F.gelu(x32).backward(minitorch.tensor(g16.astype(np.float32)))
    x = minitorch.tensor(x16, requires_grad=True)
    y = F.gelu(x)
    y.backward(minitorch.tensor(g16))
    assert y.dtype is F16 and x.grad.dtype is F16
    np.testing.assert_array_equal(y.detach().numpy(), F.gelu(x32).detach().numpy().astype(F16.np))
    np.testing.assert_array_equal(x.grad.numpy(), x32.grad.numpy().astype(np.float16))
    tx = torch.tensor(x16, requires_grad=True)
    ty = torch.nn.functional.gelu(tx)
    ty.backward(torch.tensor(g16))
    # the float32 GELU approximates erf to 1.5e-7: a one-ulp difference in the far left tail
    assert_close(y.float(), ty.float(), rtol=2e-3, atol=1e-6)
    assert_close(x.grad.float(), tx.grad.float(), rtol=2e-3, atol=1e-6)
    assert (y.detach().numpy() == ty.detach().numpy())[x16 > -1].mean() > 0.99


def test_float16_sum_accumulates_in_float32_like_pytorch(torch):
    a = np.random.default_rng(2).standard_normal((300, 70)).astype(np.float16)
    for dim in (0, 1, (0, 1)):
        out = minitorch.tensor(a).sum(dim)
        assert out.dtype is F16
        plain = a.astype(np.float32).sum(dim).astype(np.float16)
        np.testing.assert_array_equal(out.numpy(), plain)
        assert_close(out.float(), torch.tensor(a).sum(dim).float(), rtol=1e-3, atol=1e-3)


# ---- a whole autocast training step --------------------------------------------------------
def _mlp(lib, seed=0):
    """Linear-ReLU-Linear-GELU with the same weights in either library."""
    rng = np.random.default_rng(seed)
    nn = lib.nn
    model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 32), nn.GELU())
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(0.3 * rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    return model


def test_autocast_training_step_matches_pytorch_and_grads_reach_float32_leaves(torch):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((16, 20)).astype(np.float32)
    y = rng.integers(0, 32, 16)
    results = []
    for lib in (minitorch, torch):
        lib.manual_seed(0)
        model = _mlp(lib)
        scaler = lib.amp.GradScaler("cpu") if lib is torch else GradScaler("cpu")
        with lib.autocast("cpu", dtype=lib.float16):
            out = model(lib.tensor(x))
            loss = lib.nn.functional.cross_entropy(out, lib.tensor(y))
        scaler.scale(loss).backward()
        grads = [p.grad for p in model.parameters()]
        scaler.unscale_(lib.optim.SGD(model.parameters(), lr=0.1))
        results.append((out, loss, grads))
    (out, loss, grads), (tout, tloss, tgrads) = results
    assert out.dtype is F16 and loss.dtype is F32
    assert all(g.dtype is F32 for g in grads)
    assert_close(out.float(), tout.float(), rtol=1e-2, atol=1e-2)
    assert_close(loss, tloss, rtol=1e-3, atol=1e-3)
    for g, tg in zip(grads, tgrads):
        assert_close(g, tg, rtol=2e-2, atol=2e-3)


def test_amp_speed_benchmark_runs_both_workloads():
    """benchmarks/amp_speed.py never rots: both workloads, both precisions (speed is never
    asserted)."""
    root = pathlib.Path(__file__).resolve().parents[1]
    r = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "amp_speed.py"), "--size", "tiny",
         "--repeats", "1", "--seconds", "0.01", "--no-torch", "--threads", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("amp/fp32") == 2 and "W1 MLP" in r.stdout and "transformer" in r.stdout
