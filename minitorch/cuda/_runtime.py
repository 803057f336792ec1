"""What the ``minitorch.cuda`` helpers share: cupy where a GPU is there, PyTorch's error where
there is none, and device indices read as ``torch.cuda`` reads them."""

from __future__ import annotations

from ..backends import Device, cupy_backend
from ..backends.cupy_backend import INSTALL_HINT, CudaUnavailableError


def unavailable(what: str) -> CudaUnavailableError:
    """The error for ``what`` asked for without CUDA: a RuntimeError and the AssertionError of
    PyTorch's CPU build, with its words ("Torch not compiled with CUDA enabled")."""
    reason = (
        f"Torch not compiled with CUDA enabled (minitorch's CUDA is cupy: {INSTALL_HINT})"
        if cupy_backend.cupy is None
        else "cupy is installed but no CUDA GPU was found"
    )
    return CudaUnavailableError(f"{what} requires CUDA support: {reason}")


def require(what: str):
    """The cupy module, or ``unavailable(what)`` raised where there is no GPU."""
    if not cupy_backend.available():
        raise unavailable(what)
    return cupy_backend.cupy


def device_index(device, optional: bool = True) -> int:
    """Mirrors ``torch.cuda._utils._get_device_index``: an int, 'cuda:i' or a cuda device as a
    GPU index; None or a bare 'cuda' is the current GPU where ``optional`` (-1 without one)."""
    if isinstance(device, int):
        return device
    if device is not None:
        dev = Device(device)
        if dev.type != "cuda":
            raise ValueError(f"Expected a cuda device, but got: {device}")
        if dev.index is not None:
            return dev.index
    if not optional:
        raise ValueError(
            f"Expected a torch.device with a specified index or an integer, but got:{device}"
        )
    return cupy_backend.cupy.cuda.runtime.getDevice() if cupy_backend.available() else -1
