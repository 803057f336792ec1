"""Asking for CUDA where there is none raises one error: a RuntimeError that says how to get
CUDA, and also the AssertionError that PyTorch's CPU build raises, so code catching either
(``except AssertionError`` as written against a CPU PyTorch) keeps working."""

from __future__ import annotations

import pytest

import minitorch

pytestmark = pytest.mark.skipif(minitorch.cuda.is_available(), reason="a GPU is here")

REQUESTS = {
    "module_cuda": lambda: minitorch.nn.Linear(2, 2).cuda(),
    "tensor_cuda": lambda: minitorch.ones(2).cuda(),
    "tensor_to_cuda": lambda: minitorch.ones(2).to("cuda"),
    "factory_on_cuda": lambda: minitorch.ones(2, device="cuda"),
    "current_device": lambda: minitorch.cuda.current_device(),
    "get_device_name": lambda: minitorch.cuda.get_device_name(0),
    "synchronize": lambda: minitorch.cuda.synchronize(),
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_cuda_requests_raise_runtime_and_assertion_error(name):
    with pytest.raises(AssertionError, match="CUDA is not available") as caught:
        REQUESTS[name]()
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize("name", ["module_cuda", "tensor_cuda", "synchronize"])
def test_torch_cpu_build_raises_assertion_error_too(name, torch):
    calls = {
        "module_cuda": lambda: torch.nn.Linear(2, 2).cuda(),
        "tensor_cuda": lambda: torch.ones(2).cuda(),
        "synchronize": lambda: torch.cuda.synchronize(),
    }
    if torch.cuda.is_available():
        pytest.skip("PyTorch has a GPU here")
    with pytest.raises(AssertionError):
        calls[name]()
