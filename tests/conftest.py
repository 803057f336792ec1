"""Shared test fixtures: the PyTorch oracle (skipped when torch is absent), seeding, devices."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch


@pytest.fixture(autouse=True)
def _seed():
    """Every test starts from the same random state."""
    minitorch.manual_seed(0)
    yield


@pytest.fixture
def torch():
    """Real PyTorch as a test oracle; tests that use it are skipped when it is not installed."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    return torch


def cuda_available() -> bool:
    try:
        return minitorch.cuda.is_available()
    except AttributeError:
        return False


DEVICES = ["cpu", pytest.param("cuda", marks=[pytest.mark.cuda])]


def pytest_collection_modifyitems(config, items):
    if cuda_available():
        return
    skip = pytest.mark.skip(reason="no CUDA GPU with cupy here")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)


def assert_close(actual, expected, rtol=1e-5, atol=1e-6):
    """Compares a minitorch tensor (or array/number) with a PyTorch tensor, numpy array or number."""
    a = actual.detach().cpu().numpy() if hasattr(actual, "detach") else np.asarray(actual)
    if hasattr(expected, "detach"):
        expected = expected.detach().cpu().numpy()
    np.testing.assert_allclose(a, np.asarray(expected), rtol=rtol, atol=atol)
