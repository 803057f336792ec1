"""minitorch.nn.init: in-place initialisers (mirrors ``torch.nn.init``).

Random ones draw from minitorch's seeded generator of the tensor's device (or the given
``generator``), so ``minitorch.manual_seed`` makes model initialisation reproducible.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.grad_mode import no_grad
from ..ops.activation import ndtr_array, normal_pdf
from ..random import default_generator

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "sigmoid")  # fmt: skip


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """Mirrors ``torch.nn.init.calculate_gain``: the recommended std scale for a
    nonlinearity (tanh 5/3, relu sqrt 2, leaky_relu sqrt(2 / (1 + slope^2)), selu 3/4)."""
    if nonlinearity in _LINEAR:
        return 1  # an int, as PyTorch's
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _rng(tensor: Tensor, generator):
    return (generator or default_generator(tensor.device)).rng


def _draw_dtype(tensor: Tensor):
    return np.float64 if tensor._data.dtype == np.float64 else np.float32


def _fill(tensor: Tensor, values) -> Tensor:
    """Writes ``values`` into ``tensor`` in place, outside autograd."""
    with no_grad():
        tensor.copy_(make_tensor(values))
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.uniform_``: U(a, b)."""
    u = _rng(tensor, generator).random(tensor._data.shape, dtype=_draw_dtype(tensor))
    u *= b - a
    u += a
    return _fill(tensor, u)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.normal_``: N(mean, std^2)."""
    z = _rng(tensor, generator).standard_normal(tensor._data.shape, dtype=_draw_dtype(tensor))
    z *= std
    z += mean
    return _fill(tensor, z)


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator=None,
) -> Tensor:
    """Mirrors ``torch.nn.init.trunc_normal_``: N(mean, std^2) restricted to [a, b]
    (absolute bounds). Rejection sampling; the inverse CDF when the interval holds under 1%
    of the mass."""
    rng = _rng(tensor, generator)
    lo, hi = (a - mean) / std, (b - mean) / std
    n = tensor._data.size
    mass = float(ndtr_array(np.array([hi]))[0] - ndtr_array(np.array([lo]))[0])
    if mass >= 0.01:
        z = rng.standard_normal(n)
        bad = np.flatnonzero((z < lo) | (z > hi))
        while bad.size:
            z[bad] = rng.standard_normal(bad.size)
            bad = bad[(z[bad] < lo) | (z[bad] > hi)]
    else:
        flip = lo > 0  # work in the lower tail, where the CDF keeps its relative precision
        if flip:
            lo, hi = -hi, -lo
        c_lo, c_hi = ndtr_array(np.array([lo, hi], np.float64))
        if c_hi <= 0:
            raise ValueError(
                f"trunc_normal_: [{a}, {b}] lies too far in the tail of N({mean}, {std}^2) "
                "to sample in float64"
            )
        log_u = np.log(c_lo + (c_hi - c_lo) * rng.random(n))
        # Newton on log Phi(z) = log u: log Phi is concave, so from the left end it converges
        # monotonically (from the right end, the first step lands left of the root)
        z = np.full_like(log_u, lo if np.isfinite(lo) else hi)
        for _ in range(12):
            cdf = ndtr_array(z)
            z = np.clip(z + (log_u - np.log(cdf)) * cdf / normal_pdf(z), lo, hi)
        z = -z if flip else z
    values = np.clip(z * std + mean, a, b).reshape(tensor._data.shape)
    return _fill(tensor, values)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Mirrors ``torch.nn.init.constant_``."""
    with no_grad():
        tensor.fill_(val)
    return tensor


def ones_(tensor: Tensor) -> Tensor:
    """Mirrors ``torch.nn.init.ones_``."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Mirrors ``torch.nn.init.zeros_``."""
    return constant_(tensor, 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Mirrors ``torch.nn.init.eye_``: the identity matrix (2-D tensors only)."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*tensor._data.shape, dtype=tensor._data.dtype))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Mirrors ``torch.nn.init.dirac_``: convolution weights that pass their input through."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_per_group = tensor.shape[0] // groups
    if tensor.shape[0] % groups:
        raise ValueError("dim 0 must be divisible by groups")
    w = np.zeros(tensor._data.shape, tensor._data.dtype)
    centre = tuple(s // 2 for s in tensor.shape[2:])
    for g in range(groups):
        for d in range(min(out_per_group, tensor.shape[1])):
            w[(g * out_per_group + d, d) + centre] = 1
    return _fill(tensor, w)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.xavier_uniform_``: U(-a, a), a = gain sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.xavier_normal_``: N(0, gain^2 2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    return calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator=None,
) -> Tensor:
    """Mirrors ``torch.nn.init.kaiming_uniform_``: U(-b, b), b = gain sqrt(3 / fan)."""
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator=None,
) -> Tensor:
    """Mirrors ``torch.nn.init.kaiming_normal_``: N(0, gain^2 / fan)."""
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.orthogonal_``: a (semi-)orthogonal matrix from the QR
    decomposition of a Gaussian one, over the tensor flattened to (size(0), -1)."""
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = _rng(tensor, generator).standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (q * gain).reshape(tensor._data.shape))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.sparse_``: N(0, std^2) with a ``sparsity`` fraction of each
    column set to zero."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    rng = _rng(tensor, generator)
    values = rng.standard_normal((rows, cols)) * std
    zeros = int(math.ceil(sparsity * rows))
    for c in range(cols):
        values[rng.permutation(rows)[:zeros], c] = 0
    return _fill(tensor, values)
