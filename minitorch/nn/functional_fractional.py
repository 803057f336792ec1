"""Fractional max pooling (Graham, 2014): windows of a fixed size whose starts step by a
random non-integer stride, one random offset per (sample, channel) and spatial dimension.
The windows are found as PyTorch's kernels find them (the same arithmetic in the input's
dtype), the maxima by one argmax over all windows at once, and the output is a ``gather``
of the input at those positions, so its gradient (a scatter-add) comes from ``gather``."""

from __future__ import annotations

import math

from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import cpu_float32_function
from ..backends import xp_of
from ..factories import rand
from .functional_conv import _tuple

__all__ = [
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
]

# which of a plane's random samples sets the windows of each spatial dimension (ATen's order)
_SAMPLE_OF_DIM = {2: (1, 0), 3: (0, 1, 2)}


def _window_starts(xp, samples, size: int, out: int, pool: int):
    """The start of each of ``out`` windows of ``pool`` along a dimension of ``size``, for
    every plane's sample (shape (N, C) -> (N, C, out)), as ATen's ``generate_intervals``."""
    n, c = samples.shape
    starts = xp.empty((n, c, out), dtype=xp.int64)
    if out > 1:
        dt = samples.dtype.type
        alpha = dt(size - pool) / dt(out - 1)
        steps = xp.arange(out - 1, dtype=samples.dtype)[None, None, :]
        u = samples[..., None]
        starts[..., :-1] = ((steps + u) * alpha).astype(xp.int64) - (u * alpha).astype(xp.int64)
    if out > 0:
        starts[..., -1] = size - pool
    return starts


def _check_samples(samples: Tensor, x: Tensor, n: int) -> None:
    """PyTorch's checks of ``_random_samples`` against the (batched) input."""
    if samples.ndim != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.ndim}")
    if samples.shape[0] < x.shape[0]:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.shape[1] != x.shape[1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != n:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {n}; got {samples.shape[2]}.")
    if samples.dtype != x.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")


def _fractional_max_pool(input: Tensor, kernel_size, output_size, output_ratio,
                         samples: Tensor | None, n: int) -> tuple:  # fmt: skip
    name = f"fractional_max_pool{n}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(
            f"{name}(): Expected {n + 1}D or {n + 2}D tensor, but got: {list(input.shape)}"
        )
    spatial = tuple(input.shape[-n:])
    if output_size is None:
        ratio = tuple(output_ratio) if isinstance(output_ratio, (tuple, list)) else (output_ratio,)
        if len(ratio) > n:
            raise ValueError(
                f"{name} requires output_ratio to either be a single Int or tuple of Ints."
            )
        ratio = ratio * n if len(ratio) == 1 else ratio
        output_size = tuple(int(s * r) for s, r in zip(spatial, ratio))
    pool = _tuple(kernel_size, n, "kernel_size")
    out = _tuple(output_size, n, "output_size")
    batched = input.dim() == n + 2
    x = input if batched else input.unsqueeze(0)
    for d in range(1, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError(
                f"{name}(): Expected input to have non-zero size for non-batch dimensions, "
                f"but got {list(input.shape)} with dimension {d} being empty."
            )
    checks = list(zip(("time", "height", "width")[3 - n :], spatial, out, pool))
    for axis, size, o, k in [checks[0], checks[2], checks[1]] if n == 3 else checks:  # T, W, H
        if o + k - 1 > size - (n == 3):  # PyTorch's 3-d check is strict: < size
            raise RuntimeError(
                f"{name}{'_out' if n == 3 else ''}(): pool {axis} {k} too large relative to "
                f"input {axis} {size}"
            )
    batch, channels = x.shape[0], x.shape[1]
    if samples is None:
        samples = rand(batch, channels, n, dtype=input.dtype, device=input.device)
    _check_samples(samples, x, n)
    s = samples._data[:batch]  # PyTorch reads the first rows of a longer batch of samples
    xp = xp_of(x._data)
    # the flat position (in its plane) of each element of each window: (N, C, *out, *pool)
    flat = xp.zeros((batch, channels) + out + pool, dtype=xp.int64)
    stride = 1
    for d in reversed(range(n)):
        starts = _window_starts(xp, s[..., _SAMPLE_OF_DIM[n][d]], spatial[d], out[d], pool[d])
        pos = starts[..., :, None] + xp.arange(pool[d])  # (N, C, out_d, pool_d)
        shape = [batch, channels] + [1] * (2 * n)
        shape[2 + d], shape[2 + n + d] = out[d], pool[d]
        flat += (pos * stride).reshape(shape)
        stride *= spatial[d]
    count, cells = math.prod(pool), math.prod(spatial)  # explicit sizes: batch may be 0
    windows = flat.reshape(batch, channels, math.prod(out), count)
    planes = x._data.reshape(batch, channels, cells)
    gathered = windows.reshape(batch, channels, math.prod(out) * count)
    values = xp.take_along_axis(planes, gathered, axis=2)
    values = values.reshape(windows.shape)
    best = values.argmax(-1)
    nan = xp.isnan(values)  # ATen keeps the last NaN of a window
    last_nan = count - 1 - nan[..., ::-1].argmax(-1)
    best = xp.where(nan.any(-1), last_nan, best)
    indices = xp.take_along_axis(windows, best[..., None], axis=-1)[..., 0]
    output = x.reshape(batch, channels, cells).gather(2, make_tensor(indices))
    output = output.reshape((batch, channels) + out)
    indices = make_tensor(indices.reshape((batch, channels) + out))
    if not batched:
        output, indices = output.squeeze(0), indices.squeeze(0)
    return output, indices


def fractional_max_pool2d_with_indices(input: Tensor, kernel_size, output_size=None,
                                       output_ratio=None, return_indices: bool = False,
                                       _random_samples: Tensor | None = None) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.fractional_max_pool2d_with_indices``: (output,
    indices), the indices flat within each (H, W) plane."""
    return _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 2)


@cpu_float32_function
def fractional_max_pool2d(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                          return_indices: bool = False,
                          _random_samples: Tensor | None = None):  # fmt: skip
    """Mirrors ``torch.nn.functional.fractional_max_pool2d``: input (N, C, H, W) or (C, H, W);
    (output, indices) with ``return_indices``."""
    result = _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 2)
    return result if return_indices else result[0]


def fractional_max_pool3d_with_indices(input: Tensor, kernel_size, output_size=None,
                                       output_ratio=None, return_indices: bool = False,
                                       _random_samples: Tensor | None = None) -> tuple:  # fmt: skip
    """Mirrors ``torch.nn.functional.fractional_max_pool3d_with_indices``: (output,
    indices), the indices flat within each (T, H, W) volume."""
    return _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 3)


def fractional_max_pool3d(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                          return_indices: bool = False,
                          _random_samples: Tensor | None = None):  # fmt: skip
    """Mirrors ``torch.nn.functional.fractional_max_pool3d``: input (N, C, T, H, W) or
    (C, T, H, W); (output, indices) with ``return_indices``."""
    result = _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 3)
    return result if return_indices else result[0]
