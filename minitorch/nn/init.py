"""minitorch.nn.init: in-place initialisers (mirrors ``torch.nn.init``).

Random ones draw from minitorch's seeded generator of the tensor's device (or the given
``generator``), so ``minitorch.manual_seed`` makes model initialisation reproducible.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from .._dtypes import scalar_type_name
from .._tensor import Tensor, make_tensor
from ..autograd.grad_mode import no_grad
from ..backends.memory_order import draw_in_layout
from ..random import default_generator, generator_rng

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
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _rng(tensor: Tensor, generator):
    return generator_rng(generator, tensor.device)


def _fill(tensor: Tensor, values) -> Tensor:
    """Writes ``values`` into ``tensor`` in place, outside autograd."""
    with no_grad():
        tensor.copy_(make_tensor(values))
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.uniform_``: U(a, b)."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Mirrors ``torch.nn.init.normal_``: N(mean, std^2)."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator=None,
) -> Tensor:
    """Mirrors ``torch.nn.init.trunc_normal_``: N(mean, std^2) restricted to [a, b]
    (absolute bounds), drawn as PyTorch draws it: whole-tensor normal draws, redrawn where
    out of bounds, when [a, b] holds over 30% of the mass; else uniform candidates on
    [a, b] accepted with probability exp(-((x - mean) / std)^2 / 2) relative to the peak."""
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    # in the tensor's dtype, as PyTorch's in-place steps (float16 draws its own sequence)
    rng, dt = _rng(tensor, generator), tensor._data.dtype.type
    # normal_ of a non-contiguous tensor is PyTorch's per-element sampler, in memory order
    normal = rng.normal_values if tensor._data.flags.c_contiguous else rng.per_element_normal_values
    cdf = lambda x: (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0  # noqa: E731
    peak = -0.5 * ((max(a, min(mean, b)) - mean) / std) ** 2

    def log_density(x):  # PyTorch's chain: (x - mean) / std, squared, * -0.5, - peak, each
        # rounded to the dtype (float16's division by a float32 std)
        work = np.float64 if dt is np.float64 else np.float32
        z = ((x - dt(mean)).astype(work) / work(std)).astype(dt)
        return np.square(z) * dt(-0.5) - dt(peak)

    def log_uniform(shape: tuple):  # log(0) is -inf, without numpy's warning
        with np.errstate(divide="ignore"):
            return np.log(rng.uniform_values(shape, dt, 0.0, 1.0))

    def draw(shape: tuple):
        if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:
            lo, hi = dt(a), dt(b)
            values = normal(shape, dt, mean, std)
            out = (values < lo) | (values > hi)
            while out.any():
                values = np.where(out, normal(shape, dt, mean, std), values)
                out = (values < lo) | (values > hi)
            return values
        values = rng.uniform_values(shape, dt, a, b)
        pending = log_uniform(shape) > log_density(values)
        while pending.any():
            candidates = rng.uniform_values(shape, dt, a, b)
            values = np.where(pending, candidates, values)
            accept = log_uniform(shape) > log_density(candidates)
            pending = np.where(pending, accept, pending)
        return values

    return _fill(tensor, draw_in_layout(tensor._data, draw, dense=False))


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
    dt = tensor._data.dtype
    flat = _rng(tensor, generator).normal_values((rows, cols), dt, 0.0, 1.0)
    if dt.itemsize == 2:  # drawn, then PyTorch's QR refuses the dtype
        raise NotImplementedError(f"\"geqrf_cpu\" not implemented for '{scalar_type_name(dt)}'")
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
    with no_grad():  # in the tensor's memory order, as PyTorch draws it
        tensor.normal_(0.0, std, generator=generator)
    zeros, dropped = int(math.ceil(sparsity * rows)), np.zeros((rows, cols), bool)
    for c in range(cols):  # PyTorch draws the rows from the CPU's default generator
        dropped[default_generator().rng.permutation(rows)[:zeros], c] = True
    with no_grad():
        return tensor.masked_fill_(make_tensor(dropped).to(tensor.device), 0.0)


def _deprecated(new) -> Callable:
    """The pre-0.4 name of ``new`` (without the trailing underscore), as PyTorch keeps it:
    it warns with PyTorch's FutureWarning, then calls ``new``."""
    old = new.__name__[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(
            f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new.__name__}`.",
            FutureWarning,
            stacklevel=2,
        )
        return new(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = old
    deprecated_init.__doc__ = (
        f"Mirrors ``torch.nn.init.{old}``: deprecated; calls ``{new.__name__}``."
    )
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
