"""Spatial transformer sampling: ``affine_grid`` and ``grid_sample`` for 4-D inputs (mirror
``torch.nn.functional``; ``minitorch.nn.functional`` re-exports them). Composed of
differentiable ops: gradients reach both the input and the grid (hence theta)."""

from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Tensor, make_tensor
from ..backends import to_backend
from ..ops import where

__all__ = ["affine_grid", "grid_sample"]


def _align(align_corners, op: str) -> bool:
    if align_corners is None:
        warnings.warn(
            f"Default {op} and affine_grid behavior has changed to align_corners=False since "
            "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
            f"documentation of {op} for details.",
            stacklevel=3,
        )
        return False
    return align_corners


def _steps(n: int, align_corners: bool, dtype) -> np.ndarray:
    """The normalised coordinates [-1, 1] of n pixels (centres unless ``align_corners``)."""
    if n <= 1:
        return np.zeros(n, dtype)
    r = np.linspace(-1.0, 1.0, n)
    return (r if align_corners else r * (n - 1) / n).astype(dtype)


def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    """Mirrors ``torch.nn.functional.affine_grid`` for 2-D transforms: theta (N, 2, 3) and
    size (N, C, H, W) give the (N, H, W, 2) grid of sampling positions theta @ [x, y, 1]."""
    align_corners = _align(align_corners, "grid_sampler")
    if len(size) != 4:
        raise NotImplementedError(
            f"affine_grid: only 2-D transforms (4-D sizes) are supported, got size {list(size)}"
        )
    if theta.ndim != 3 or tuple(theta.shape[1:]) != (2, 3):
        raise ValueError(
            f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {list(size)}. "
            f"Got {theta.shape}."
        )
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {list(size)}")
    N, _, H, W = size
    dtype = theta._data.dtype
    base = np.empty((H, W, 3), dtype)
    base[..., 0] = _steps(W, align_corners, dtype)
    base[..., 1] = _steps(H, align_corners, dtype)[:, None]
    base[..., 2] = 1
    base = make_tensor(to_backend(base.reshape(1, H * W, 3), theta._data))
    return (base @ theta.transpose(1, 2)).reshape(N, H, W, 2)


def grid_sample(
    input: Tensor,
    grid: Tensor,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.grid_sample`` for 4-D input (N, C, H, W) and grid
    (N, Ho, Wo, 2) of (x, y) in [-1, 1]: modes 'bilinear', 'nearest' and 'bicubic', padding
    modes 'zeros', 'border' and 'reflection'."""
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
    align_corners = _align(align_corners, "grid_sample")
    if input.ndim != 4 or grid.ndim != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise RuntimeError(
            "grid_sample: expected input (N, C, H, W) and grid (N, H_out, W_out, 2) with the "
            f"same N, got {list(input.shape)} and {list(grid.shape)}"
        )
    N, C, H, W = input.shape
    Ho, Wo = grid.shape[1:3]
    # bicubic pads each of its 16 taps, not the sampling position (PyTorch's rule)
    position_padding = "zeros" if mode == "bicubic" else padding_mode
    ix = _unnormalize(grid[..., 0], W, align_corners, position_padding)
    iy = _unnormalize(grid[..., 1], H, align_corners, position_padding)
    flat = input.reshape(N, C, H * W)
    if mode == "nearest":  # round half to even, as PyTorch's nearbyint
        out = _gather(flat, np.rint(iy._data), np.rint(ix._data), H, W, C).reshape(N, C, Ho, Wo)
        return out + (ix * 0).unsqueeze(1)  # the grid's gradient is zero, not None
    x0, y0 = np.floor(ix._data), np.floor(iy._data)
    fx = (ix - make_tensor(x0)).unsqueeze(1)  # (N, 1, Ho, Wo): the weight of the right corner
    fy = (iy - make_tensor(y0)).unsqueeze(1)
    if mode == "bicubic":
        taps = (-1, 0, 1, 2)
        weights_x, weights_y = _cubic_weights(fx), _cubic_weights(fy)
    else:
        taps, weights_x, weights_y = (0, 1), (1 - fx, fx), (1 - fy, fy)
    out = 0
    for dy, wy in zip(taps, weights_y):
        y = _pad_tap(y0 + dy, H, align_corners, padding_mode)
        for dx, wx in zip(taps, weights_x):
            x = _pad_tap(x0 + dx, W, align_corners, padding_mode)
            out = out + _gather(flat, y, x, H, W, C).reshape(N, C, Ho, Wo) * (wy * wx)
    return out


def _cubic_weights(t: Tensor) -> tuple:
    """The cubic convolution weights (A = -0.75) of the taps at -1, 0, 1, 2 from t."""
    A = -0.75

    def near(x):  # |x| <= 1
        return ((x * (A + 2) - (A + 3)) * x) * x + 1

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


def _unnormalize(coord: Tensor, size: int, align_corners: bool, padding_mode: str) -> Tensor:
    """[-1, 1] -> pixel coordinates; 'border' clips them into the image, 'reflection'
    mirrors them into it first (gradient +-1 through each mirror)."""
    if align_corners:
        pix = (coord + 1) * ((size - 1) / 2)
    else:
        pix = ((coord + 1) * size - 1) / 2
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


def _gather(flat: Tensor, y, x, H: int, W: int, C: int) -> Tensor:
    """flat (N, C, H * W) at integer positions (y, x) (arrays (N, Ho, Wo)); 0 outside."""
    inside = (x >= 0) & (x <= W - 1) & (y >= 0) & (y <= H - 1)
    idx = np.where(inside, y * W + x, 0).astype(np.int64).reshape(x.shape[0], 1, -1)
    idx = make_tensor(np.broadcast_to(idx, (idx.shape[0], C, idx.shape[2])))
    mask = make_tensor(inside.reshape(x.shape[0], 1, -1).astype(flat._data.dtype))
    return flat.gather(2, idx) * mask
