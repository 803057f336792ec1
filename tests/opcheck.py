"""One checker for every differentiable op, shared by the tests/test_ops_*.py files.

A case is a function ``fn(lib, *inputs)`` written once against the PyTorch API, so it runs
unchanged with ``lib = minitorch`` and ``lib = torch``, plus the shapes of its inputs and the
domain they are drawn from. ``check_gradients`` runs gradcheck (and gradgradcheck) in float64;
``check_against_torch`` compares values, dtypes, shapes and gradients with PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

TOL = {"float32": dict(rtol=2e-4, atol=2e-5), "float64": dict(rtol=1e-7, atol=1e-9)}


@dataclass
class Case:
    """``fn(lib, *inputs)``; ``shapes`` of the float inputs; ``domain`` of their values:
    'real' (|x| in [0.25, 2], either sign: away from the kinks of abs/relu/sign at 0),
    'pos' ([0.5, 2]) or 'unit' (|x| in [0.1, 0.9]). ``fd=False`` skips finite differences
    (ties, where PyTorch's subgradient is a choice); ``gradgrad=False`` skips gradgradcheck."""

    fn: object
    shapes: tuple
    domain: str = "real"
    gradgrad: bool = True
    fd: bool = True


def cases(table: dict, finite_differences: bool = False) -> list:
    """pytest params named by the table's keys (only those that finite differences can
    check, when ``finite_differences``)."""
    return [
        pytest.param(case, id=name)
        for name, case in table.items()
        if case.fd or not finite_differences
    ]


def draw(shapes, domain: str, seed: int = 0) -> list:
    """float64 numpy inputs for ``shapes``, reproducible."""
    rng = np.random.default_rng(seed)
    out = []
    for shape in shapes:
        if domain == "pos":
            x = rng.uniform(0.5, 2.0, shape)
        else:
            lo, hi = (0.1, 0.9) if domain == "unit" else (0.25, 2.0)
            x = rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)
        out.append(np.asarray(x, np.float64))
    return out


def _outputs(out) -> list:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def check_gradients(case: Case) -> None:
    """gradcheck, and gradgradcheck unless the case opts out, in float64."""
    xs = [
        minitorch.tensor(x, dtype=minitorch.float64, requires_grad=True)
        for x in draw(case.shapes, case.domain)
    ]

    def fn(*inputs):
        return case.fn(minitorch, *inputs)

    assert gradcheck(fn, xs)
    if case.gradgrad:
        assert gradgradcheck(fn, xs)


def check_against_torch(case: Case, torch, dtype: str) -> None:
    """Values, dtypes, shapes and input gradients of ``case`` equal PyTorch's."""
    data = draw(case.shapes, case.domain)
    xs = [minitorch.tensor(x.astype(dtype), requires_grad=True) for x in data]
    txs = [torch.tensor(x.astype(dtype), requires_grad=True) for x in data]
    outs = _outputs(case.fn(minitorch, *xs))
    touts = _outputs(case.fn(torch, *txs))
    assert len(outs) == len(touts)
    tol = TOL[dtype]
    rng = np.random.default_rng(1)
    loss, tloss = 0, 0
    for o, t in zip(outs, touts):
        assert_same(o, t, **tol)
        assert o.requires_grad == t.requires_grad
        if t.requires_grad:
            g = rng.standard_normal(tuple(t.shape)).astype(dtype)
            loss = loss + (o * minitorch.tensor(g)).sum()
            tloss = tloss + (t * torch.tensor(g)).sum()
    if isinstance(tloss, int):
        return
    grads = minitorch.autograd.grad(loss, xs, allow_unused=True)
    tgrads = torch.autograd.grad(tloss, txs, allow_unused=True)
    for i, (g, tg) in enumerate(zip(grads, tgrads)):
        if tg is None:
            assert g is None or not g._data.any(), f"input {i}: PyTorch gives no gradient"
        else:
            assert g is not None, f"input {i}: no gradient, PyTorch gives one"
            assert_same(g, tg, **tol)


def dtype_name(dt) -> str:
    """'float32' for both ``minitorch.float32`` and ``torch.float32``."""
    return str(dt).split(".")[-1]


def assert_same(actual, expected, rtol=1e-6, atol=1e-7) -> None:
    """Same dtype, shape and values (NaNs in the same places) as a PyTorch tensor."""
    assert dtype_name(actual.dtype) == dtype_name(expected.dtype), (actual.dtype, expected.dtype)
    assert tuple(actual.shape) == tuple(expected.shape), (actual.shape, expected.shape)
    np.testing.assert_allclose(
        actual.detach().numpy(), expected.detach().numpy(), rtol=rtol, atol=atol
    )
