"""nn.utils: gradient clipping against PyTorch, parameters <-> vector."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch.nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    parameters_to_vector,
    vector_to_parameters,
)


def _pair(torch, scale=1.0):
    """Two parameter lists (minitorch, PyTorch) with the same values and gradients."""
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,), (2, 2, 3)]
    ours, theirs = [], []
    for s in shapes:
        value = rng.standard_normal(s).astype(np.float32)
        grad = (rng.standard_normal(s) * scale).astype(np.float32)
        p = nn.Parameter(minitorch.tensor(value))
        p.grad = minitorch.tensor(grad)
        q = torch.nn.Parameter(torch.tensor(value))
        q.grad = torch.tensor(grad)
        ours.append(p)
        theirs.append(q)
    no_grad = nn.Parameter(minitorch.ones(2))  # parameters without .grad are skipped
    return ours + [no_grad], theirs + [torch.nn.Parameter(torch.ones(2))]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(torch, norm_type, max_norm):
    ours, theirs = _pair(torch)
    n_ours = clip_grad_norm_(ours, max_norm, norm_type=float(norm_type))
    n_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=float(norm_type))
    assert n_ours.dtype == minitorch.float32 and n_ours.shape == ()
    np.testing.assert_allclose(n_ours.item(), n_theirs.item(), rtol=1e-6)
    for p, q in zip(ours, theirs):
        if q.grad is None:
            assert p.grad is None
        else:
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_clip_grad_norm_single_tensor_and_empty():
    p = nn.Parameter(minitorch.zeros(3))
    p.grad = minitorch.tensor([3.0, 4.0, 0.0])
    assert clip_grad_norm_(p, 1.0).item() == pytest.approx(5.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.8, 0.0], rtol=1e-5)
    assert clip_grad_norm_([nn.Parameter(minitorch.ones(1))], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite(torch):
    p = nn.Parameter(minitorch.zeros(2))
    p.grad = minitorch.tensor([float("inf"), 1.0])
    with pytest.raises(
        RuntimeError,
        match="The total norm of order 2.0 for gradients from `parameters` is non-finite",
    ):
        clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    assert p.grad.numpy()[1] == 1.0  # nothing was scaled before the error
    total = clip_grad_norm_([p], 1.0)
    assert math.isinf(total.item())


def test_clip_grad_value_matches_torch(torch):
    ours, theirs = _pair(torch, scale=3.0)
    assert clip_grad_value_(ours, 1.5) is None
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for p, q in zip(ours[:3], theirs[:3]):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())


def test_clipping_in_a_training_step_keeps_float32():
    model = nn.Linear(3, 2)
    model(minitorch.randn(4, 3) * 100).sum().backward()
    total = clip_grad_norm_(model.parameters(), 0.1)
    assert total.item() > 0.1
    joint = math.sqrt(sum(float((p.grad.numpy() ** 2).sum()) for p in model.parameters()))
    assert joint == pytest.approx(0.1, rel=1e-4)
    assert all(p.grad.dtype == minitorch.float32 for p in model.parameters())


def test_parameters_to_vector_and_back(torch):
    m = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    t = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1))
    m.load_state_dict({k: v.detach().numpy() for k, v in t.state_dict().items()})
    vec = parameters_to_vector(m.parameters())
    np.testing.assert_array_equal(
        vec.detach().numpy(),
        torch.nn.utils.parameters_to_vector(t.parameters()).detach().numpy(),
    )
    vec.sum().backward()  # differentiable, as in PyTorch
    assert np.all(m[0].weight.grad.numpy() == 1)
    new = minitorch.arange(11, dtype=minitorch.float32)
    vector_to_parameters(new, m.parameters())
    np.testing.assert_array_equal(m[0].weight.detach().numpy(), np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(m[1].bias.detach().numpy(), [10])
    with pytest.raises(TypeError, match="expected minitorch.Tensor, but got: list"):
        vector_to_parameters([1.0], m.parameters())
    with pytest.raises(RuntimeError, match=r"shape '\[2, 3\]' is invalid for input of size 3"):
        vector_to_parameters(minitorch.zeros(3), m.parameters())
