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
from fake_cupy import installed
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

DEVICE_KINDS = ["fake", pytest.param("cuda", marks=[pytest.mark.cuda])]


@pytest.fixture(params=DEVICE_KINDS)
def device(request):
    """'cuda' on the real backend, or on the fake one (tests/fake_cupy.py)."""
    if request.param == "fake":
        with installed():
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
        dev_out.detach().cpu().numpy(), cpu_out.detach().numpy(), rtol=rtol, atol=atol
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
