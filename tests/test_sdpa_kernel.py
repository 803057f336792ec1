"""nn.attention.sdpa_kernel and the torch.backends.cuda SDP flags: accepted as in PyTorch;
minitorch's one attention kernel runs whatever is chosen."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch.nn.attention import SDPBackend, sdpa_kernel


def test_any_backend_choice_gives_the_same_attention(torch):
    from torch.nn.attention import SDPBackend as TB
    from torch.nn.attention import sdpa_kernel as torch_kernel

    q = np.random.default_rng(0).standard_normal((2, 2, 5, 8)).astype(np.float32)
    assert {b.name: int(b) for b in SDPBackend} == {k: int(v) for k, v in TB.__members__.items()}
    with torch_kernel([TB.MATH]):
        expected = torch.nn.functional.scaled_dot_product_attention(
            *(torch.tensor(q),) * 3, is_causal=True
        )
    for choice in (SDPBackend.MATH, [SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION]):
        with sdpa_kernel(choice):
            y = F.scaled_dot_product_attention(*(minitorch.tensor(q),) * 3, is_causal=True)
        np.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(AssertionError, match="Backend must be an instance of SDPBackend"):
        with sdpa_kernel("flash"):
            pass


def test_cuda_sdp_flags_are_stored_and_restored():
    cuda = minitorch.backends.cuda
    assert cuda.flash_sdp_enabled() and cuda.math_sdp_enabled()
    with cuda.sdp_kernel(enable_flash=False, enable_mem_efficient=False):
        assert not cuda.flash_sdp_enabled() and not cuda.mem_efficient_sdp_enabled()
        assert cuda.math_sdp_enabled()
    assert cuda.flash_sdp_enabled() and cuda.mem_efficient_sdp_enabled()
    cuda.enable_math_sdp(False)
    assert not cuda.math_sdp_enabled()
    cuda.enable_math_sdp(True)
