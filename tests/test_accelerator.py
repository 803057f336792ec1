"""minitorch.accelerator mirrors torch.accelerator: PyTorch's quickstart picks its device
with ``torch.accelerator.current_accelerator().type if torch.accelerator.is_available()``."""

from __future__ import annotations

import pytest

import minitorch

NONE = "Cannot access accelerator device when none is available."


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the CPU-only behaviour")
def test_without_an_accelerator_as_pytorch_without_one(torch):
    lib_results = []
    for lib in (minitorch, torch):
        acc = lib.accelerator
        lib_results.append((acc.is_available(), acc.current_accelerator(), acc.device_count()))
        for call in (
            acc.current_device_index,
            acc.synchronize,
            acc.empty_cache,
            acc.memory_allocated,
            acc.max_memory_allocated,
            acc.reset_peak_memory_stats,
        ):
            with pytest.raises(RuntimeError, match=NONE):
                call()
    assert lib_results[0] == lib_results[1] == (False, None, 0)
    device = (
        minitorch.accelerator.current_accelerator().type
        if minitorch.accelerator.is_available()
        else "cpu"
    )
    assert minitorch.ones(2).to(device).device.type == "cpu"


@pytest.mark.cuda
@pytest.mark.skipif(not minitorch.cuda.is_available(), reason="needs a GPU")
def test_with_cuda_the_accelerator_is_cuda():
    acc = minitorch.accelerator
    assert acc.is_available() and acc.current_accelerator() == minitorch.device("cuda")
    assert acc.device_count() >= 1 and acc.current_device_index() == 0
    x = minitorch.ones(4, device=acc.current_accelerator())
    acc.synchronize()
    assert x.device.type == "cuda" and acc.memory_allocated() >= 16


def test_set_num_threads_sets_numpys_blas_threads():
    from minitorch.backends import chunked
    from minitorch.backends.blas_threads import get_blas_threads

    before = minitorch.get_num_threads()
    try:
        minitorch.set_num_threads(1)
        assert minitorch.get_num_threads() == 1 and chunked.THREADS == 1
        if get_blas_threads() is not None:  # numpy's OpenBLAS was found
            assert get_blas_threads() == 1
        minitorch.set_num_threads(2)
        assert chunked.THREADS == 2
        if get_blas_threads() is not None:
            assert get_blas_threads() == 2
    finally:
        minitorch.set_num_threads(before)
    with pytest.raises(RuntimeError, match="set_num_threads expects a positive integer"):
        minitorch.set_num_threads(0)
