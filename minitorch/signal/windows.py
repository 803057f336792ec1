"""Window functions (mirrors ``torch.signal.windows``): each is a few tensor ops on evenly
spaced points, computed in the requested dtype as PyTorch computes them, so the values agree
to the last bits. ``sym=False`` gives the periodic window of spectral analysis."""

from __future__ import annotations

import math
from collections.abc import Iterable

from .. import _dtypes
from .._memory_format import strided
from .._tensor import Tensor
from ..factories import arange, empty, linspace, ones, tensor
from ..ops.gamma import i0

__all__ = [
    "bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine",
    "general_hamming", "hamming", "hann", "kaiser", "nuttall",
]  # fmt: skip


def _checks(name: str, M: int, dtype, layout):
    """PyTorch's checks common to every window; the dtype to compute in."""
    dtype = _dtypes.get_default_dtype() if dtype is None else dtype
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if layout is not strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    if dtype not in (_dtypes.float32, _dtypes.float64):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")
    return dtype


def _trivial(M: int, dtype, device, requires_grad: bool) -> Tensor | None:
    """The empty window of length 0 and the window [1.] of length 1 (None for others)."""
    if M == 0:
        return empty(0, dtype=dtype, device=device, requires_grad=requires_grad)
    if M == 1:
        return ones(1, dtype=dtype, device=device, requires_grad=requires_grad)
    return None


def _points(start, step, M: int, dtype, device, requires_grad: bool) -> Tensor:
    """``M`` evenly spaced points from ``start`` by ``step``."""
    end = start + (M - 1) * step
    return linspace(start, end, M, dtype=dtype, device=device, requires_grad=requires_grad)


def exponential(M: int, *, center: float | None = None, tau: float = 1.0, sym: bool = True,
                dtype=None, layout=strided, device=None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.exponential``: exp(-|n - center| / tau)."""
    dtype = _checks("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _trivial(M, dtype, device, requires_grad)
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    k = _points(-center / tau, 1 / tau, M, dtype, device, requires_grad)
    return (-k.abs()).exp()


def cosine(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.cosine`` (the sine window)."""
    dtype = _checks("cosine", M, dtype, layout)
    if M == 0:
        return _trivial(M, dtype, device, requires_grad)
    step = math.pi / (M + 1 if not sym and M > 1 else M)
    return _points(0.5 * step, step, M, dtype, device, requires_grad).sin()


def gaussian(M: int, *, std: float = 1.0, sym: bool = True, dtype=None, layout=strided,
             device=None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.gaussian``: exp(-n^2 / (2 std^2)) about the centre."""
    dtype = _checks("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _trivial(M, dtype, device, requires_grad)
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    step = 1 / (std * math.sqrt(2))
    k = _points(start * step, step, M, dtype, device, requires_grad)
    return (-(k**2)).exp()


def kaiser(M: int, *, beta: float = 12.0, sym: bool = True, dtype=None, layout=strided,
           device=None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.kaiser``: I0(beta sqrt(1 - (2n/N - 1)^2)) / I0(beta)."""
    dtype = _checks("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    trivial = _trivial(M, dtype, device, requires_grad)
    if trivial is not None:
        return trivial
    b = tensor(beta, dtype=dtype, device=device)  # in the window's dtype: no NaN at the ends
    step = 2.0 * b / (M if not sym else M - 1)
    end = (-b + (M - 1) * step).minimum(b)
    k = linspace(-b, end, M, dtype=dtype, device=device, requires_grad=requires_grad)
    return i0((b * b - k.pow(2)).sqrt()) / i0(b)


def general_cosine(M: int, *, a: Iterable, sym: bool = True, dtype=None, layout=strided,
                   device=None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.general_cosine``: sum_i (-1)^i a_i cos(2 pi i n / N)."""
    dtype = _checks("general_cosine", M, dtype, layout)
    trivial = _trivial(M, dtype, device, requires_grad)
    if trivial is not None:
        return trivial
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    k = _points(0, 2 * math.pi / (M if not sym else M - 1), M, dtype, device, requires_grad)
    a_i = tensor([(-1) ** i * w for i, w in enumerate(a)], dtype=dtype, device=device,
                 requires_grad=requires_grad)  # fmt: skip
    i = arange(a_i.shape[0], dtype=dtype, device=device, requires_grad=requires_grad)
    return (a_i.unsqueeze(-1) * (i.unsqueeze(-1) * k).cos()).sum(0)


def general_hamming(M: int, *, alpha: float = 0.54, sym: bool = True, dtype=None,
                    layout=strided, device=None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.general_hamming``: alpha - (1 - alpha) cos(2 pi n / N)."""
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)  # fmt: skip


def hamming(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.hamming``."""
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)  # fmt: skip


def hann(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.hann``."""
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)  # fmt: skip


def _cosine_sum(name: str, a: tuple):
    def window(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None,
               requires_grad: bool = False) -> Tensor:  # fmt: skip
        _checks(name, M, dtype, layout)
        return general_cosine(M, a=list(a), sym=sym, dtype=dtype, layout=layout, device=device,
                              requires_grad=requires_grad)  # fmt: skip

    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"Mirrors ``torch.signal.windows.{name}``: a cosine sum with a = {a}."
    return window


blackman = _cosine_sum("blackman", (0.42, 0.5, 0.08))
nuttall = _cosine_sum("nuttall", (0.3635819, 0.4891775, 0.1365995, 0.0106411))


def bartlett(M: int, *, sym: bool = True, dtype=None, layout=strided, device=None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Mirrors ``torch.signal.windows.bartlett`` (the triangular window)."""
    dtype = _checks("bartlett", M, dtype, layout)
    trivial = _trivial(M, dtype, device, requires_grad)
    if trivial is not None:
        return trivial
    k = _points(-1, 2 / (M if not sym else M - 1), M, dtype, device, requires_grad)
    return 1 - k.abs()
