"""Spatial transformer sampling: ``affine_grid`` and ``grid_sample`` for 4-D and 5-D inputs (mirror
``torch.nn.functional``; ``minitorch.nn.functional`` re-exports them). Composed of
differentiable ops: gradients reach both the input and the grid (hence theta)."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from .. import _dtypes
from .._linspace import linspace_values
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import cpu_float32_function
from ..autograd.function import Op
from ..backends import to_backend
from ..ops import where
from ..ops.elementwise import unbroadcast

__all__ = ["affine_grid", "grid_sample"]


def _align(align_corners) -> bool:
    if align_corners is None:  # the same words from grid_sample and affine_grid in PyTorch
        warnings.warn(
            "Default grid_sample and affine_grid behavior has changed to align_corners=False "
            "since 1.3.0. Please specify align_corners=True if the old behavior is desired. See "
            "the documentation of grid_sample for details.",
            stacklevel=3,
        )
        return False
    return align_corners


def _steps(n: int, align_corners: bool, dtype) -> np.ndarray:
    """The normalised coordinates [-1, 1] of n pixels (centres unless ``align_corners``),
    rounded as PyTorch's linspace(-1, 1, n) * (n - 1) / n in ``dtype``."""
    if n <= 1:
        return np.zeros(n, dtype)
    r = linspace_values(-1.0, 1.0, n, np.dtype(dtype), np)
    return r if align_corners else r * dtype.type(n - 1) / dtype.type(n)


def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    """Mirrors ``torch.nn.functional.affine_grid``: theta (N, 2, 3) and size (N, C, H, W) give
    the (N, H, W, 2) grid of sampling positions theta @ [x, y, 1]; theta (N, 3, 4) and size
    (N, C, D, H, W) the (N, D, H, W, 3) grid of theta @ [x, y, z, 1]."""
    align_corners = _align(align_corners)
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) not in (4, 5):
        raise NotImplementedError(
            "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {list(size)}."
        )
    k = len(size) - 2
    if theta.ndim != 3 or tuple(theta.shape[1:]) != (k, k + 1):
        raise ValueError(
            f"Expected a batch of {k}D affine matrices of shape Nx{k}x{k + 1} for size "
            f"{list(size)}. Got {theta.shape}."
        )
    if align_corners and min(size[2:]) == 1:
        warnings.warn(
            "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
            "align_corners=True. This is not an intended use case of affine_grid. See the "
            "documentation of affine_grid for details.",
            stacklevel=2,
        )
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {list(size)}")
    if theta.shape[0] != size[0]:
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{size[0]}, {k + 1}] but got: [{theta.shape[0]}, {k + 1}]."
        )
    spatial = tuple(size[2:])  # (H, W) or (D, H, W); the grid holds x (along W) first
    dtype = theta._data.dtype
    base = np.empty(spatial + (k + 1,), dtype)
    for i, n in enumerate(reversed(spatial)):
        base[..., i] = _steps(n, align_corners, dtype).reshape((n,) + (1,) * i)
    base[..., k] = 1
    base = make_tensor(to_backend(base.reshape(1, -1, k + 1), theta._data))
    return (base @ theta.transpose(1, 2)).reshape((size[0],) + spatial + (k,))


def _check_grid_sample(input: Tensor, grid: Tensor, mode: str) -> None:
    """PyTorch's checks of grid_sampler's arguments, in its order and with its messages."""
    if input.dtype != grid.dtype:
        expected, found = (_dtypes.scalar_type_name(t._data.dtype) for t in (input, grid))
        raise RuntimeError(f"expected scalar type {expected} but found {found}")
    sizes = f"input with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(
            f"grid_sampler(): expected grid and input to have same batch size, but got {sizes}"
        )
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {input.ndim - 2} in last dimension, "
            f"but got grid with sizes {list(grid.shape)}"
        )
    for i in range(2, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(
                "grid_sampler(): expected input to have non-empty spatial dimensions, but input "
                f"has sizes {list(input.shape)} with dimension {i} being empty"
            )
    rank = 4 if input.ndim == 4 else 5
    if input.ndim != rank or grid.ndim != rank:
        raise RuntimeError(
            f"grid_sampler(): expected {rank}D input and grid with same number of dimensions, "
            f"but got {sizes}"
        )
    if rank == 5 and mode == "bicubic":
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if input._data.dtype.kind not in "fV":
        name = _dtypes.scalar_type_name(input._data.dtype)
        raise NotImplementedError(
            f"\"grid_sampler_{rank - 2}d_cpu_kernel_impl\" not implemented for '{name}'"
        )


@cpu_float32_function
def grid_sample(
    input: Tensor,
    grid: Tensor,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.grid_sample`` for 4-D input (N, C, H, W) with grid
    (N, Ho, Wo, 2) of (x, y) in [-1, 1], and 5-D input (N, C, D, H, W) with grid
    (N, Do, Ho, Wo, 3) of (x, y, z): modes 'bilinear' (trilinear for 5-D), 'nearest' and
    'bicubic' (4-D only), padding modes 'zeros', 'border' and 'reflection'."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or "
            f"'bicubic', but got: '{mode}'"
        )
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
            f"'reflection', but got: '{padding_mode}'"
        )
    align_corners = _align(align_corners)
    _check_grid_sample(input, grid, mode)
    N, C = input.shape[:2]
    sizes = tuple(input.shape[2:])  # (H, W) or (D, H, W)
    out_shape = (N, C) + tuple(grid.shape[1:-1])
    # bicubic pads each of its 16 taps, not the sampling position (PyTorch's rule)
    position_padding = "zeros" if mode == "bicubic" else padding_mode
    # PyTorch's 4-D float32 kernel is vectorised and compiled with fused multiply-adds
    fused = input.ndim == 4 and input._data.dtype == np.float32
    # pixel coordinates along each spatial dim (the grid's last entry is the first dim's)
    coords = [
        _unnormalize(grid[..., len(sizes) - 1 - d], n, align_corners, position_padding, fused)
        for d, n in enumerate(sizes)
    ]
    flat = input.reshape(N, C, math.prod(sizes))  # explicit: a batch may be empty
    if mode == "nearest":  # round half to even, as PyTorch's nearbyint
        out = _gather(flat, [np.rint(c._data) for c in coords], sizes, C).reshape(out_shape)
        return out + (coords[0] * 0).unsqueeze(1)  # the grid's gradient is zero, not None
    lows = [np.floor(c._data) for c in coords]
    # (N, 1, ...): each coordinate's offset from its lower tap
    fracs = [(c - make_tensor(lo)).unsqueeze(1) for c, lo in zip(coords, lows)]
    if mode == "bicubic":
        taps, weights = (-1, 0, 1, 2), [_cubic_weights(f, fused) for f in fracs]
    else:
        taps, weights = (0, 1), [(1 - f, f) for f in fracs]
        if len(sizes) == 3:  # PyTorch's scalar 3-D kernel: (lower tap + 1) - position
            ups = [make_tensor(lo + 1) - c for c, lo in zip(coords, lows)]
            weights = [(up.unsqueeze(1), f) for up, f in zip(ups, fracs)]
    # every tap of every output position in ONE gather (one scatter-add in backward), then
    # the taps' weighted values summed in PyTorch's order
    combos = list(itertools.product(range(len(taps)), repeat=len(sizes)))
    index = [
        np.stack([_pad_tap(lo + taps[c[d]], n, align_corners, padding_mode) for c in combos], 1)
        for d, (lo, n) in enumerate(zip(lows, sizes))
    ]  # per spatial dim: (N, taps, ...)
    points = math.prod(out_shape[2:])  # explicit: a batch may be empty
    values = _gather(flat, index, sizes, C).reshape(N, C, len(combos), points)
    if mode == "bicubic":  # PyTorch interpolates each row along x, then the rows along y
        rows = values.reshape(N, C, 4, 4, points).unbind(2)
        wy, wx = ([w.flatten(2) for w in ws] for ws in weights)
        rows = [_cubic_row(row.unbind(2), wx, fused) for row in rows]
        return _weighted_sum(rows, wy, fused).reshape(out_shape)
    tw = []
    for c in combos:  # the x weight times the y weight (times the z weight)
        w = weights[-1][c[-1]]
        for d in range(len(sizes) - 2, -1, -1):
            w = w * weights[d][c[d]]
        tw.append(w.flatten(2))
    return _weighted_sum(values.unbind(2), tw, fused).reshape(out_shape)


def _fma(a: Tensor, b, c, fused: bool) -> Tensor:
    """a * b + c, rounded once where ``fused`` (float32)."""
    return _FusedMultiplyAdd.apply(a, b, c) if fused else a * b + c


class _FusedMultiplyAdd(Op):
    """a * b + c of float32 values (b, c: Tensors or numbers) rounded once, as the fused
    multiply-add of PyTorch's compiled kernels: the float64 product of two float32 numbers
    is exact. Its gradients are those of a * b + c."""

    @staticmethod
    def forward(ctx, a, b, c):
        ctx.save_for_backward(a, None if isinstance(b, (int, float)) else b)
        ctx.b, ctx.c_shape = b, np.shape(c)
        out = np.multiply(a, b, dtype=np.float64)
        out += c
        return out.astype(np.float32)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb, nc = ctx.needs_input_grad
        ga = unbroadcast(g * (ctx.b if b is None else b), a.shape) if na else None
        gb = unbroadcast(g * a, b.shape) if nb else None
        return ga, gb, unbroadcast(g, ctx.c_shape) if nc else None


def _weighted_sum(values, weights, fused: bool) -> Tensor:
    """values[0] * weights[0] + values[1] * weights[1] + ..., left to right, each later
    product fused into the sum."""
    out = values[0] * weights[0]
    for v, w in zip(values[1:], weights[1:]):
        out = _fma(v, w, out, fused)
    return out


def _cubic_row(values, weights, fused: bool) -> Tensor:
    """The same four-term sum as PyTorch's compiled bicubic kernel rounds it along x: only
    the first product fused (into the second)."""
    out = _fma(values[0], weights[0], values[1] * weights[1], fused)
    return out + values[2] * weights[2] + values[3] * weights[3]


def _cubic_weights(t: Tensor, fused: bool) -> tuple:
    """The cubic convolution weights (A = -0.75) of the taps at -1, 0, 1, 2 from t, with
    the fused multiply-adds of PyTorch's compiled kernel (none in the far taps' weights)."""
    A = -0.75

    def near(x):  # |x| <= 1
        return _fma(_fma(x, A + 2, -(A + 3), fused) * x, x, 1, fused)

    def far(x):  # 1 < |x| < 2
        return ((x * A - 5 * A) * x + 8 * A) * x - 4 * A

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def _reflect(pix, size: int, align_corners: bool):
    """PyTorch's reflect_coordinates: pixel coordinates mirrored at the image's edges (the
    edge pixels' centres with ``align_corners``, else their outer borders), as an array."""
    low, span = (0.0, size - 1) if align_corners else (-0.5, size)
    if span <= 0:
        return np.zeros_like(pix)
    dist = np.abs(pix - pix.dtype.type(low))
    flips = np.floor(dist / span)
    extra = np.fmod(dist, span)
    return np.where(flips % 2 == 0, extra + low, span - extra + low).astype(pix.dtype)


def _pad_tap(index, size: int, align_corners: bool, padding_mode: str):
    """An integer tap position (array) moved into the image as ``padding_mode`` says."""
    if padding_mode == "reflection":
        index = _reflect(index, size, align_corners)
    if padding_mode != "zeros":
        index = np.clip(index, 0, size - 1)
    return np.trunc(index)


def _unnormalize(
    coord: Tensor, size: int, align_corners: bool, padding_mode: str, fused: bool
) -> Tensor:
    """[-1, 1] -> pixel coordinates; 'border' clips them into the image, 'reflection'
    mirrors them into it first (gradient +-1 through each mirror)."""
    if align_corners:
        pix = (coord + 1) * ((size - 1) / 2)
    else:
        pix = _fma(coord + 1, size / 2, -0.5, fused)
    if padding_mode == "zeros":
        return pix
    if padding_mode == "reflection":
        value = _reflect(pix._data, size, align_corners)
        low = 0.0 if align_corners else -0.5
        span = max(size - 1, 1) if align_corners else size
        mirrored = np.floor(np.abs(pix._data - low) / span) % 2 == 1
        sign = np.where(mirrored != (pix._data < low), -1, 1).astype(pix._data.dtype)
        pix = make_tensor(value) + (pix - pix.detach()) * make_tensor(sign)
    # clipped coordinates get no gradient, the image's edge included (PyTorch's rule)
    inside = make_tensor((pix._data > 0) & (pix._data < size - 1))
    return where(inside, pix, pix.detach().clamp(0, size - 1))


def _gather(flat: Tensor, index: list, sizes: tuple, C: int) -> Tensor:
    """flat (N, C, prod(sizes)) at integer positions ``index`` (one array per spatial dim,
    each (N, ...)); 0 outside."""
    inside = (index[0] >= 0) & (index[0] <= sizes[0] - 1)
    linear = index[0].astype(np.float64)
    for i, n in zip(index[1:], sizes[1:]):
        inside &= (i >= 0) & (i <= n - 1)
        linear = linear * n + i
    cells = math.prod(inside.shape[1:])  # explicit: a batch may be empty
    idx = np.where(inside, linear, 0).astype(np.int64).reshape(inside.shape[0], 1, cells)
    idx = make_tensor(np.broadcast_to(idx, (idx.shape[0], C, idx.shape[2])))
    mask = make_tensor(inside.reshape(inside.shape[0], 1, cells).astype(flat._data.dtype))
    return flat.gather(2, idx) * mask
