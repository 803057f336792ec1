"""The CPU backends' (gloo, MPI) view of a tensor's memory."""

from __future__ import annotations

import numpy as np

from ..backends import device_of


def host_view(op: str, data, backend: str) -> np.ndarray:
    """A CPU array's flat view (a 0-d array has no buffer of its own shape in every MPI);
    a GPU array raises, naming the backend that takes it."""
    if not isinstance(data, np.ndarray):
        raise RuntimeError(
            f"{op}: the {backend} backend works on CPU tensors, got one on {device_of(data)}; "
            "use init_process_group(backend='nccl') for CUDA tensors"
        )
    return data.reshape(-1)
