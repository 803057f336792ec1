"""Sweep 29: the fake cupy (tests/fake_cupy.py) refuses what cupy 14 refuses (read off cupy
14.2's namespace, signatures and sources), and the ops that relied on what it refuses run on
the device with the CPU's numbers: cupy's ufunc.at kernels take few dtypes (add: no int64,
bool or 8/16-bit ints; maximum/minimum: no int64, float16 or bool) and multiply has none."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from fake_cupy import FakeCupyBackend, fake_cupy, host_syncs, installed, wrap

import minitorch
from minitorch.backends import ufunc_at
from minitorch.ops import special


@pytest.fixture(params=[False, True], ids=["fake", "fake-fused"])
def device(request):
    with installed(fused=request.param):
        yield "cuda"


# ---- the fake refuses as cupy 14 does ----------------------------------------------------------
def _dev(dtype="float32"):
    return wrap(np.arange(6).reshape(2, 3).astype(dtype))


_IDX = np.array([0, 1, 0])

REFUSED = {
    "multiply_at": (lambda: np.multiply.at(_dev()[0], wrap(_IDX), 2.0), NotImplementedError),
    "multiply_at_module": (
        lambda: fake_cupy.multiply.at(_dev()[0], wrap(_IDX), 2.0),
        NotImplementedError,
    ),
    "add_at_int64": (lambda: fake_cupy.add.at(_dev("int64")[0], wrap(_IDX), 1), TypeError),
    "add_at_bool": (lambda: np.add.at(_dev("bool")[0], wrap(_IDX), True), TypeError),
    "maximum_at_float16": (
        lambda: np.maximum.at(_dev("float16")[0], wrap(_IDX), 1.0),
        TypeError,
    ),
    "subtract_at_float32": (lambda: np.subtract.at(_dev()[0], wrap(_IDX), 1.0), TypeError),
    "maximum_reduce": (lambda: np.maximum.reduce(_dev(), axis=0), NotImplementedError),
    "add_reduce_initial": (lambda: np.add.reduce(_dev(), axis=0, initial=1.0), TypeError),
    "ufunc_where": (lambda: np.add(_dev(), 1.0, where=_dev() > 0), TypeError),
    "spacing": (lambda: np.spacing(_dev()), TypeError),
    "insert": (lambda: np.insert(_dev(), 0, 1.0), TypeError),
    "module_errstate": (lambda: fake_cupy.errstate, AttributeError),
    "module_insert": (lambda: fake_cupy.insert, AttributeError),
    "sum_initial": (lambda: np.sum(_dev(), initial=1.0), TypeError),
    "max_where": (lambda: np.max(_dev(), where=_dev() > 0, initial=0.0), TypeError),
    "take_mode": (lambda: np.take(_dev(), wrap(_IDX), mode="clip"), TypeError),
    "einsum_out": (lambda: np.einsum("ij->i", _dev(), out=_dev()[:, 0]), TypeError),
    "unique_sorted": (lambda: np.unique(_dev(), sorted=False), TypeError),
    "clip_min_max": (lambda: np.clip(_dev(), min=0.0, max=1.0), TypeError),
    "take_along_axis_default": (
        lambda: np.take_along_axis(_dev(), wrap(np.zeros((2, 1), np.int64))),
        TypeError,
    ),
    "astype_casting": (lambda: _dev().astype(np.float64, casting="unsafe"), TypeError),
    "sort_quicksort": (lambda: _dev().sort(kind="quicksort"), ValueError),
    "sort_view_in_place": (lambda: _dev()[:, ::2].sort(axis=0), NotImplementedError),
    "partition_view_in_place": (lambda: _dev().T.partition(1), NotImplementedError),
    "argsort_kind": (lambda: _dev().argsort(-1, "mergesort"), ValueError),
    "sum_where": (lambda: _dev().sum(where=_dev() > 0), TypeError),
    "take_method_mode": (lambda: _dev().take(wrap(_IDX), mode="wrap"), TypeError),
    "item_index": (lambda: _dev().item(0), TypeError),
    "ctypes": (lambda: _dev().ctypes, AttributeError),
    "setflags": (lambda: _dev().setflags(write=False), AttributeError),
    "operator_index": (lambda: operator.index(_dev("int64")[0, 1]), TypeError),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_fake_cupy_refuses_what_cupy_refuses(name):
    call, error = REFUSED[name]
    match = "only supports" if name.endswith(("int64", "bool", "float16", "float32")) else None
    with installed(), pytest.raises(error, match=match):
        call()


ACCEPTED = {  # what cupy 14 takes: np.<ufunc>.at dispatches to cupy's scatter kernels
    "np_add_at": lambda: np.add.at(_dev()[0], wrap(_IDX), 1.0),
    "add_at_mask": lambda: np.add.at(_dev("int64")[0], wrap(np.array([True, False, True])), 1),
    "add_at_slice": lambda: np.add.at(_dev("int64"), (slice(None), 0), 1),
    "maximum_at": lambda: fake_cupy.maximum.at(_dev()[0], wrap(_IDX), 4.0),
    "bitwise_or_at_int64": lambda: np.bitwise_or.at(_dev("int64")[0], wrap(_IDX), 8),
    "add_reduce": lambda: np.add.reduce(_dev(), axis=0, keepdims=True),
    "compare_0d_host": lambda: np.less(_dev(), np.array(2.0)),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_fake_cupy_takes_what_cupy_takes(name):
    with installed():
        ACCEPTED[name]()


_WRAPPED = np.array([5, -1, 4])  # out of range of a dim of 3: cupy wraps them to 2, 2, 1

WRAPS = {
    "getitem": lambda a: a[:, wrap(_WRAPPED)],
    "getitem_ellipsis": lambda a: a[..., wrap(_WRAPPED)],
    "take": lambda a: np.take(a, wrap(_WRAPPED), axis=1),
    "take_method": lambda a: a.take(wrap(_WRAPPED), axis=1),
    "take_along_axis": lambda a: np.take_along_axis(a, wrap(np.tile(_WRAPPED, (2, 1))), 1),
}


@pytest.mark.parametrize("name", sorted(WRAPS))
def test_fake_cupy_wraps_out_of_range_indices_as_cupy_does(name):
    with installed():
        out = WRAPS[name](_dev()).get()
    np.testing.assert_array_equal(out, np.arange(6.0).reshape(2, 3)[:, [2, 2, 1]])


def test_fake_cupy_setitem_wraps_out_of_range_indices():
    with installed():
        a = _dev()
        a[:, wrap(np.array([3, -4]))] = 9.0
        np.testing.assert_array_equal(a.get(), [[9.0, 1.0, 9.0], [9.0, 4.0, 9.0]])


def test_fake_cupy_scatter_wraps_out_of_range_indices():
    with installed():
        a = wrap(np.zeros((2, 3), np.float32))
        np.add.at(a, (slice(None), wrap(_WRAPPED)), 1.0)
        np.testing.assert_array_equal(a.get(), [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]])


def test_shares_memory_is_a_host_sync():
    with installed(), host_syncs() as log:
        a = _dev()
        np.shares_memory(a, a[0])
    assert len(log) == 1 and log[0].startswith("shares_memory()")


# ---- ufunc_at: every dtype, the numbers of numpy's ufunc.at --------------------------------
def _draw(rng, dtype, n):
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.startswith("float"):
        return rng.normal(size=n).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, n, endpoint=True, dtype=dtype)


DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool", "float16", "float32", "float64"]


@pytest.mark.parametrize("name", ["add", "maximum", "minimum"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_ufunc_at_gives_numpys_numbers_on_both_devices(name, dtype):
    rng = np.random.default_rng(29)
    for _ in range(20):
        n = int(rng.integers(1, 5))
        out, values, idx = _draw(rng, dtype, n), _draw(rng, dtype, 9), rng.integers(0, n, 9)
        want = out.copy()
        getattr(np, name).at(want, idx, values)
        host = out.copy()
        ufunc_at(name, host, idx, values)
        np.testing.assert_array_equal(host, want)
        with installed():
            dev = wrap(out.copy())
            ufunc_at(name, dev, wrap(idx), wrap(values))
            np.testing.assert_array_equal(dev.get(), want)
            dev = wrap(out.copy())
            ufunc_at(name, dev, wrap(idx), values[0])
        want = out.copy()
        getattr(np, name).at(want, idx, values[0])
        np.testing.assert_array_equal(dev.get(), want)


# ---- the ops on the device -------------------------------------------------------------------
def _same(dev, cpu) -> None:
    assert dev.device.type == "cuda" and cpu.device.type == "cpu"
    assert dev.dtype == cpu.dtype and tuple(dev.shape) == tuple(cpu.shape)
    np.testing.assert_array_equal(dev.cpu().numpy(), cpu.numpy())


def _both(fn, *arrays):
    """fn's result on the CPU and on the device, from the same arrays."""
    results = []
    for dev in ("cpu", "cuda"):
        results.append(fn(*(minitorch.tensor(a, device=dev) for a in arrays)))
    return results


X = np.array([[5, -3, 7, 2], [1, 0, -8, 4], [6, 6, -1, 3]])
INDEX = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])
SRC = np.array([[9, -4, 3, 1], [-2, 5, 5, 7]])
ROWS = np.array([2, 0, 2])


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "int16", "bool"])
@pytest.mark.parametrize(
    "op",
    [
        lambda x, i, s: x.scatter_add(0, i, s),
        lambda x, i, s: x.scatter_reduce(0, i, s, "sum"),
        lambda x, i, s: x.scatter_reduce(0, i, s, "amax", include_self=False),
        lambda x, i, s: x.scatter_reduce(1, i, s, "amin"),
        lambda x, i, s: x.scatter_reduce(0, i, s, "prod"),
        lambda x, i, s: x.index_put((i[0],), s[0], accumulate=True),
        lambda x, i, s: x.put(i.reshape(-1), s.reshape(-1), accumulate=True),
    ],
    ids=["scatter_add", "sum", "amax", "amin", "prod", "index_put", "put"],
)
def test_scatters_of_any_int_dtype_run_on_the_device(device, op, dtype):
    if dtype == "bool" and op.__code__.co_consts.count("prod"):
        pytest.skip("PyTorch's scatter_reduce has no bool 'prod'")
    x, src = X.astype(dtype), SRC.astype(dtype)
    cpu, dev = _both(lambda a, i, s: op(a, i, s), x, INDEX, src)
    _same(dev, cpu)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool"])
def test_index_add_of_int_dtypes_runs_on_the_device(device, dtype):
    cpu, dev = _both(lambda a, i, s: a.index_add(0, i, s), X.astype(dtype), ROWS, X.astype(dtype))
    _same(dev, cpu)


@pytest.mark.parametrize("reduce", ["amax", "amin", "prod", "mean"])
@pytest.mark.parametrize("dtype", ["float16", "float32", "int64"])
def test_index_reduce_runs_on_the_device(device, reduce, dtype):
    x = (X / 3).astype(dtype)
    cpu, dev = _both(lambda a, i, s: a.index_reduce(0, i, s, reduce), x, ROWS, x)
    _same(dev, cpu)


def test_scatter_reduce_prod_multiplies_repeats_in_index_order_on_the_device(device):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 5)).astype(np.float32)
    index = rng.integers(0, 3, (40, 5))
    src = rng.normal(size=(40, 5)).astype(np.float32)
    cpu, dev = _both(lambda a, i, s: a.scatter_reduce(0, i, s, "prod"), x, index, src)
    _same(dev, cpu)  # bit for bit: the same factors in the same order
    cpu, dev = _both(lambda a, i, s: a.scatter(0, i, s, reduce="multiply"), x, index, src)
    _same(dev, cpu)


def test_scatter_reduce_prod_gradient_on_the_device(device):
    x = np.array([[1.5, -2.0, 0.5], [3.0, 1.0, -1.0]])
    src = np.array([[2.0, 0.5, -3.0], [1.5, 4.0, 0.25]])
    index = np.array([[1, 0, 1], [1, 1, 0]])
    grads = []
    for dev in ("cpu", "cuda"):
        a = minitorch.tensor(x, device=dev, requires_grad=True)
        s = minitorch.tensor(src, device=dev, requires_grad=True)
        out = a.scatter_reduce(0, minitorch.tensor(index, device=dev), s, "prod")
        grads.append(minitorch.autograd.grad(out.sum(), (a, s)))
    for c, d in zip(*grads):
        np.testing.assert_allclose(d.cpu().numpy(), c.numpy(), rtol=1e-12)


# ---- ops that handed a device array to numpy-only calls (cupy refuses them) --------------------
def _close(dev, cpu) -> None:
    assert dev.device.type == "cuda" and dev.dtype == cpu.dtype
    assert tuple(dev.shape) == tuple(cpu.shape)
    np.testing.assert_allclose(dev.cpu().numpy(), cpu.numpy(), rtol=1e-6, atol=1e-7)


A = np.array([[1.5, -2.25, 0.0, 3.0], [1e-3, 7.0, -0.5, 2.0], [2.0, 2.0, 1.0, 2.0]], np.float32)

DEVICE_OPS = {
    "frexp": lambda m, a: m.frexp(a),  # np.ones((), dtype): a host array
    "mode": lambda m, a: m.mode(a.round(), 1),  # a host arange; maximum.accumulate
    "unique_consecutive": lambda m, a: m.unique_consecutive(
        a.round().reshape(-1), return_inverse=True, return_counts=True
    ),  # a host array of run starts
    "geqrf": lambda m, a: m.geqrf(a),  # np.ascontiguousarray of a device array
    "detach_copy": lambda m, a: m.detach_copy(a.t()),  # np.array of a device array
    "polygamma_int": lambda m, a: m.polygamma(2, (a.abs() + 1).long()),  # where(Python bool)
}


@pytest.mark.parametrize("name", sorted(DEVICE_OPS))
def test_op_runs_on_the_device_with_the_cpus_numbers(device, name):
    fn = DEVICE_OPS[name]
    cpu = fn(minitorch, minitorch.tensor(A))
    dev = fn(minitorch, minitorch.tensor(A, device=device))
    for d, c in zip(*((r,) if isinstance(r, minitorch.Tensor) else r for r in (dev, cpu))):
        _close(d, c)


def test_normal_with_device_tensors_draws_on_their_device(device):
    for mean, std in [
        (minitorch.zeros(3, device=device), 1.0),
        (0.5, minitorch.ones(3, device=device)),
    ]:
        out = minitorch.normal(mean, std)
        assert out.device.type == "cuda" and out.dtype == minitorch.float32
        assert tuple(out.shape) == (3,) and bool(out.isfinite().all())


def test_new_empty_strided_on_the_device(device):
    out = minitorch.ones(3, device=device).new_empty_strided((2, 3), (1, 2))
    assert out.device.type == "cuda" and out.stride() == (1, 2) and tuple(out.shape) == (2, 3)


def test_binary_layout_of_a_device_result_in_fortran_order(device):
    a = wrap(np.ones((2, 3), np.float32))  # (np.ascontiguousarray of a device array)
    out = special.binary_layout(wrap(np.asfortranarray(A[:2, :3])), a, a)
    assert isinstance(out, type(a)) and out.flags.c_contiguous
    np.testing.assert_array_equal(out.get(), A[:2, :3])


# ---- tensor APIs that read numpy-only attributes of a device array -----------------------------
def test_data_ptr_of_a_device_tensor(device):
    x = minitorch.arange(12.0, device=device).reshape(3, 4)
    assert x[1].data_ptr() - x.data_ptr() == 4 * x.element_size()
    assert x.untyped_storage().data_ptr() == x.data_ptr() == x.storage().data_ptr()


def test_out_aliasing_an_input_on_the_device(device):
    x = minitorch.arange(12.0, device=device).reshape(3, 4)
    assert minitorch.add(x, 1, out=x) is x  # out exactly an input (cupy has no
    np.testing.assert_array_equal(x.cpu().numpy(), np.arange(1.0, 13.0).reshape(3, 4))
    flat = x.view(-1)  # __array_interface__)
    with pytest.raises(RuntimeError, match="unsupported operation: some elements"):
        minitorch.mul(flat[0:6], 2, out=flat[3:9])


@pytest.mark.parametrize("name", ["apply_", "map_"])
def test_apply_and_map_are_cpu_only_as_in_pytorch(device, name):
    x = minitorch.zeros(3, device=device)
    args = (lambda v: v + 1,) if name == "apply_" else (x, lambda a, b: a + b)
    with pytest.raises(TypeError, match=f"^{name} is only implemented on CPU tensors$"):
        getattr(x, name)(*args)


def test_sparse_init_of_a_device_tensor_draws_rows_on_the_cpu(device):
    w = minitorch.nn.init.sparse_(minitorch.empty(6, 4, device=device), 0.5)
    assert w.device.type == "cuda"
    np.testing.assert_array_equal((w.cpu().numpy() == 0).sum(axis=0), [3, 3, 3, 3])


# ---- linalg errors: cupy ignores a failed factorization unless asked (cupyx.errstate) -----------
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])
NOT_PD = np.array([[1.0, 2.0], [2.0, 1.0]])

LINALG_ERRORS = {
    "inv": lambda m, d: m.linalg.inv(m.tensor(SINGULAR, device=d)),
    "solve": lambda m, d: m.linalg.solve(
        m.tensor(SINGULAR, device=d), m.ones(2, 1, device=d, dtype=m.float64)
    ),
    "cholesky": lambda m, d: m.linalg.cholesky(m.tensor(NOT_PD, device=d)),
}


@pytest.mark.parametrize("name", sorted(LINALG_ERRORS))
def test_singular_input_raises_pytorchs_error_on_the_device(device, name):
    with pytest.raises(minitorch.linalg.LinAlgError) as cpu:
        LINALG_ERRORS[name](minitorch, "cpu")
    with pytest.raises(minitorch.linalg.LinAlgError) as dev:
        LINALG_ERRORS[name](minitorch, device)
    assert str(dev.value) == str(cpu.value)


def test_cholesky_ex_info_on_the_device(device):
    a = np.stack([NOT_PD, np.eye(2)])
    out = minitorch.linalg.cholesky_ex(minitorch.tensor(a, device=device))
    assert out.info.tolist() == [2, 0]
    np.testing.assert_array_equal(out.L.cpu().numpy()[1], np.eye(2))


def test_fake_cupy_linalg_ignores_failures_unless_asked():
    with installed():
        assert np.isnan(np.linalg.inv(wrap(SINGULAR)).get()).all()  # cupy's default
        with FakeCupyBackend.linalg_errors(), pytest.raises(np.linalg.LinAlgError):
            np.linalg.inv(wrap(SINGULAR))


def test_embedding_backward_scaled_by_frequency_reads_nothing_back(device):
    idx, grads = np.array([[1, 2, 1], [0, 1, 1]]), []
    for dev in ("cpu", device):
        w = minitorch.tensor(A, device=dev, requires_grad=True)
        with host_syncs() as log:  # (cupy's bincount reads the indices' max back)
            out = minitorch.nn.functional.embedding(
                minitorch.tensor(idx, device=dev), w, scale_grad_by_freq=True
            )
            (out * minitorch.arange(12.0, device=dev).reshape(2, 3, 2)[..., :1]).sum().backward()
        assert log == []
        grads.append(w.grad.cpu().numpy())
    np.testing.assert_array_equal(grads[1], grads[0])
