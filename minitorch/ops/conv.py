"""Convolution, pooling and unfold, forward and backward side by side.

Every op here works on sliding windows of a zero-padded copy of the input, stored flat per
channel: ``(N, C, Hp * Wp + tail)``. The window at kernel offset (i, j) is a strided view of
that buffer, so im2col is one copy and a convolution is ONE (batched) matrix product.

When the horizontal stride is 1 the output grid is computed ``Wp`` columns wide instead of
``OW`` ("wide grid"): then the window rows of neighbouring output rows are contiguous in
memory, the copies run over long contiguous stretches, and the extra ``Wp - OW`` columns
(garbage in forward, zeros in backward) are cut off at the end.

col2im (the adjoint of im2col) loops over kernel offsets only, adding one strided view per
offset; nothing loops over pixels or channels.

Higher-order gradients: Conv's backward uses two ops, ConvInputGrad (which is also
conv_transpose) and ConvWeightGrad, whose own backwards are written with these three ops.
Window pooling uses the adjoint pair WindowGather / WindowSpread. When no graph is built for
the backward (the usual case), Conv's backward computes both gradients on raw arrays at once,
reusing the columns saved by forward.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._tensor import make_tensor
from ..autograd.function import Op
from ..autograd.grad_mode import state
from ..backends import device_of, get_backend
from .linalg import matmul_arrays

Geometry = namedtuple(
    "Geometry", "H W kh kw sh sw dh dw pt pl Hp Wp OH OW Wg size disjoint", module=__name__
)
Geometry.__doc__ = """Sizes of one 2-D sliding-window op: input H x W, kernel, stride,
dilation, top/left padding, padded size Hp x Wp, output OH x OW, grid width Wg (Wp or OW),
flat buffer length, and whether windows never overlap."""


def out_size(n: int, k: int, s: int, d: int, pad_total: int, ceil_mode: bool = False) -> int:
    """Output length of a sliding window along one axis (PyTorch's formula, ceil_mode too).
    With ceil_mode the last window must start inside the input or its left padding."""
    span = n + pad_total - d * (k - 1) - 1
    if not ceil_mode:
        return span // s + 1
    o = -(-span // s) + 1
    if (o - 1) * s >= n + pad_total // 2:
        o -= 1
    return o


def geometry(
    hw, kernel, stride, dilation, pads, ceil_mode: bool = False, wide: bool = True
) -> Geometry:
    """The Geometry of a window op; ``pads`` is (top, bottom, left, right)."""
    H, W = hw
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    pt, pb, pl, pr = pads
    OH = out_size(H, kh, sh, dh, pt + pb, ceil_mode)
    OW = out_size(W, kw, sw, dw, pl + pr, ceil_mode)
    # ceil_mode may need rows/columns beyond the padding: they hold the fill value too
    Hp = max(H + pt + pb, (OH - 1) * sh + dh * (kh - 1) + 1)
    Wp = max(W + pl + pr, (OW - 1) * sw + dw * (kw - 1) + 1)
    wide = wide and sw == 1
    Wg = Wp if wide else OW
    size = Hp * Wp + (dw * (kw - 1) if wide else 0)
    disjoint = sh >= dh * (kh - 1) + 1 and sw >= dw * (kw - 1) + 1
    return Geometry(H, W, kh, kw, sh, sw, dh, dw, pt, pl, Hp, Wp, OH, OW, Wg, size, disjoint)


# ---- raw-array building blocks -----------------------------------------------------------------
def _as_strided(a, shape, strides):
    return get_backend(device_of(a)).xp.lib.stride_tricks.as_strided(a, shape, strides)


def _pad_flat(x, g: Geometry, fill=0):
    """x (N, C, H, W) -> the flat padded buffer (N, C, g.size)."""
    N, C = x.shape[:2]
    if g.size == g.H * g.W and x.flags.c_contiguous:
        return x.reshape(N, C, g.size)
    if fill == 0:
        buf = np.zeros_like(x, shape=(N, C, g.size))
    else:
        buf = np.full_like(x, fill, shape=(N, C, g.size))
    _interior(buf, g)[...] = x
    return buf


def _interior(buf, g: Geometry):
    """The (N, C, H, W) view of the unpadded input inside a flat padded buffer."""
    N, C = buf.shape[:2]
    grid = buf[:, :, : g.Hp * g.Wp].reshape(N, C, g.Hp, g.Wp)
    return grid[:, :, g.pt : g.pt + g.H, g.pl : g.pl + g.W]


def _offset_view(buf, g: Geometry, i: int, j: int):
    """The (N, C, OH, Wg) view of ``buf`` seen by kernel offset (i, j) of every window."""
    sn, sc, e = buf.strides
    off = i * g.dh * g.Wp + j * g.dw
    return _as_strided(
        buf[:, :, off:], buf.shape[:2] + (g.OH, g.Wg), (sn, sc, g.sh * g.Wp * e, g.sw * e)
    )


def _offsets(g: Geometry):
    return ((i, j) for i in range(g.kh) for j in range(g.kw))


def im2col(buf, g: Geometry):
    """Flat padded buffer (N, C, size) -> contiguous columns (N, C, kh, kw, OH * Wg)."""
    N, C = buf.shape[:2]
    sn, sc, e = buf.strides
    view = _as_strided(
        buf,
        (N, C, g.kh, g.kw, g.OH, g.Wg),
        (sn, sc, g.dh * g.Wp * e, g.dw * e, g.sh * g.Wp * e, g.sw * e),
    )
    return np.ascontiguousarray(view).reshape(N, C, g.kh, g.kw, g.OH * g.Wg)


def col2im(cols, g: Geometry):
    """The adjoint of ``im2col`` followed by padding: (N, C, kh * kw, OH * Wg) (or with
    kh, kw as two axes) -> (N, C, H, W)."""
    N, C = cols.shape[:2]
    buf = np.zeros_like(cols, shape=(N, C, g.size))
    cols = cols.reshape(N, C, g.kh * g.kw, g.OH, g.Wg)
    for k, (i, j) in enumerate(_offsets(g)):
        view = _offset_view(buf, g, i, j)
        view += cols[:, :, k]
    return np.ascontiguousarray(_interior(buf, g))


def to_grid(y, g: Geometry):
    """Output-shaped (N, C, OH, OW) -> the grid layout (N, C, OH * Wg), zeros in extra columns."""
    N, C = y.shape[:2]
    if g.Wg == g.OW:
        return np.ascontiguousarray(y).reshape(N, C, g.OH * g.OW)
    grid = np.zeros_like(y, shape=(N, C, g.OH, g.Wg))
    grid[..., : g.OW] = y
    return grid.reshape(N, C, g.OH * g.Wg)


def from_grid(y, g: Geometry, bias=None):
    """Grid layout (N, C, OH * Wg) -> contiguous (N, C, OH, OW), adding a per-channel bias."""
    N, C = y.shape[:2]
    y = y.reshape(N, C, g.OH, g.Wg)
    if g.Wg != g.OW:
        y = np.ascontiguousarray(y[..., : g.OW])  # a plain copy beats a strided add
    if bias is not None:
        y += bias.reshape(C, 1, 1)
    return y


# ---- convolution -------------------------------------------------------------------------------
def _columns(x, g: Geometry, groups: int):
    """im2col of x for a grouped matrix product: (N, groups, Cg * kh * kw, OH * Wg)."""
    N = x.shape[0]
    return im2col(_pad_flat(x, g), g).reshape(N, groups, -1, g.OH * g.Wg)


def _conv(x, w, b, g: Geometry, groups: int):
    """Returns conv(x, w) + b and the columns of x."""
    cols = _columns(x, g, groups)
    O = w.shape[0]
    out = matmul_arrays(w.reshape(groups, O // groups, -1), cols)  # (N, groups, O/groups, L)
    return from_grid(out.reshape(x.shape[0], O, -1), g, b), cols


def _input_grad(grid, w, g: Geometry, groups: int, channels: int):
    """d conv / d x applied to an output gradient in grid layout (N, O, L)."""
    N, O, L = grid.shape
    wt = w.reshape(groups, O // groups, -1).swapaxes(1, 2)  # (groups, Cg*kh*kw, O/groups)
    cols = matmul_arrays(wt, grid.reshape(N, groups, O // groups, L))
    return col2im(cols.reshape(N, channels, g.kh, g.kw, L), g)


def _weight_grad(cols, grid, w_shape, groups: int):
    """d conv / d w from the columns of x and the output gradient in grid layout."""
    N, O, L = grid.shape
    gw = matmul_arrays(grid.reshape(N, groups, O // groups, L), cols.swapaxes(2, 3))
    return gw.sum(0).reshape(w_shape)


class Conv(Op):
    """2-D cross-correlation with bias, stride, padding, dilation and groups."""

    @staticmethod
    def forward(ctx, x, w, b, g, groups):
        out, cols = _conv(x, w, b, g, groups)
        ctx.args = (g, groups)
        ctx.save_for_backward(x, w, cols)
        return out

    @staticmethod
    def backward(ctx, gy):
        x, w, cols = ctx.saved_tensors
        g, groups = ctx.args
        nx, nw, nb = ctx.needs_input_grad[:3]
        gb = gy.sum((0, 2, 3)) if nb else None
        if state.enabled:  # building a graph of the backward: differentiable ops
            gx = ConvInputGrad.apply(gy, w, g, groups) if nx else None
            gw = ConvWeightGrad.apply(x, gy, g, groups) if nw else None
            return gx, gw, gb, None, None
        grid = to_grid(gy._data, g)
        gx = _input_grad(grid, w._data, g, groups, x.shape[1]) if nx else None
        gw = _weight_grad(cols._data, grid, w.shape, groups) if nw else None
        return _wrap(gx), _wrap(gw), gb, None, None


def _wrap(a):
    return None if a is None else make_tensor(a)


class ConvInputGrad(Op):
    """The adjoint of Conv in its input: conv_transpose(y, w), giving an input-shaped result."""

    @staticmethod
    def forward(ctx, y, w, g, groups):
        ctx.args = (g, groups)
        ctx.save_for_backward(y, w)
        return _input_grad(to_grid(y, g), w, g, groups, w.shape[1] * groups)

    @staticmethod
    def backward(ctx, gx):
        y, w = ctx.saved_tensors
        g, groups = ctx.args
        ny, nw = ctx.needs_input_grad[:2]
        gy = Conv.apply(gx, w, None, g, groups) if ny else None
        gw = ConvWeightGrad.apply(gx, y, g, groups) if nw else None
        return gy, gw, None, None


class ConvWeightGrad(Op):
    """The adjoint of Conv in its weight: the weight-shaped correlation of x with y."""

    @staticmethod
    def forward(ctx, x, y, g, groups):
        ctx.args = (g, groups)
        ctx.save_for_backward(x, y)
        C, O = x.shape[1], y.shape[1]
        w_shape = (O, C // groups, g.kh, g.kw)
        return _weight_grad(_columns(x, g, groups), to_grid(y, g), w_shape, groups)

    @staticmethod
    def backward(ctx, gw):
        x, y = ctx.saved_tensors
        g, groups = ctx.args
        nx, ny = ctx.needs_input_grad[:2]
        gx = ConvInputGrad.apply(y, gw, g, groups) if nx else None
        gy = Conv.apply(x, gw, None, g, groups) if ny else None
        return gx, gy, None, None


# ---- window pooling ----------------------------------------------------------------------------
def window_cols(x, g: Geometry, fill=0):
    """Every window's kh * kw values, contiguous: (N, C, H, W) -> (N, C, K, OH * Wg)."""
    N, C = x.shape[:2]
    return im2col(_pad_flat(x, g, fill), g).reshape(N, C, g.kh * g.kw, -1)


def _onehot(idx, K: int):
    """(N, C, L) kernel offsets -> bool (N, C, K, L), True at each window's offset."""
    ks = get_backend(device_of(idx)).xp.arange(K, dtype=idx.dtype).reshape(K, 1)
    return idx[:, :, None, :] == ks


def _tiles(g: Geometry) -> bool:
    """Windows that tile the padded input exactly (stride = kernel, no dilation)."""
    return g.sh == g.kh and g.sw == g.kw and g.dh == 1 and g.dw == 1


def gather_windows(x, g: Geometry, idx=None):
    """Per window, the sum of its values, or its value at kernel offset ``idx`` when given:
    (N, C, H, W) -> (N, C, OH, OW)."""
    cols = window_cols(x, g)
    if idx is not None:
        cols = cols * _onehot(to_grid(idx, g), cols.shape[2])
    return from_grid(cols.sum(axis=2), g)


def spread_windows(y, g: Geometry, idx=None):
    """The adjoint of ``gather_windows``: (N, C, OH, OW) -> (N, C, H, W)."""
    if _tiles(g):
        return _spread_tiles(y, g, idx)
    N, C = y.shape[:2]
    grid = to_grid(y, g)[:, :, None, :]
    K = g.kh * g.kw
    if idx is None:
        cols = np.broadcast_to(grid, (N, C, K, grid.shape[-1]))
    else:
        cols = grid * _onehot(to_grid(idx, g), K)
    return col2im(cols, g)


def _spread_tiles(y, g: Geometry, idx):
    """spread_windows for tiling windows: every pixel gets its window's value (upsampling),
    masked to the chosen offset when ``idx`` is given."""
    up = y.repeat(g.kh, axis=2).repeat(g.kw, axis=3)  # (N, C, OH * kh, OW * kw)
    if idx is not None:
        xp = get_backend(device_of(idx)).xp
        rows = (xp.arange(g.OH * g.kh, dtype=idx.dtype) % g.kh) * g.kw
        offsets = rows[:, None] + xp.arange(g.OW * g.kw, dtype=idx.dtype) % g.kw
        up *= idx.repeat(g.kh, axis=2).repeat(g.kw, axis=3) == offsets
    if g.pt == g.pl == 0 and up.shape[2:] == (g.H, g.W):
        return up
    gx = np.zeros_like(y, shape=y.shape[:2] + (g.H, g.W))
    hn, wn = min(g.H, up.shape[2] - g.pt), min(g.W, up.shape[3] - g.pl)
    gx[:, :, :hn, :wn] = up[:, :, g.pt : g.pt + hn, g.pl : g.pl + wn]
    return gx


class WindowGather(Op):
    """Sum over each window times ``scale`` (average pooling), or the element at offset
    ``idx`` of each window (the adjoint of max pooling's backward)."""

    @staticmethod
    def forward(ctx, x, g, idx, scale):
        ctx.args = (g, idx, scale)
        out = gather_windows(x, g, idx)
        return out if scale is None else np.multiply(out, scale, out=out)

    @staticmethod
    def backward(ctx, gy):
        g, idx, scale = ctx.args
        return WindowSpread.apply(gy, g, idx, scale), None, None, None


class WindowSpread(Op):
    """The adjoint of WindowGather: each output gradient goes back to its window's pixels."""

    @staticmethod
    def forward(ctx, y, g, idx, scale):
        ctx.args = (g, idx, scale)
        if scale is not None:
            y = y * scale
        return spread_windows(y, g, idx)

    @staticmethod
    def backward(ctx, gx):
        g, idx, scale = ctx.args
        return WindowGather.apply(gx, g, idx, scale), None, None, None


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def max_windows(x, g: Geometry):
    """Max over each window and the kernel offset where it is, as PyTorch picks it: the
    first maximum, or the last NaN. Returns (out, idx), both (N, C, OH, OW)."""
    cols = window_cols(x, g, _lowest(x.dtype))  # (N, C, K, L)
    K = cols.shape[2]
    best = cols.max(axis=2)
    idx = np.zeros_like(best, dtype=np.uint8 if K < 256 else np.int32)
    found = cols[:, :, 0] == best
    for k in range(1, K):  # first offset that holds the maximum, with bool arithmetic
        hit = cols[:, :, k] == best
        idx += (hit > found) * idx.dtype.type(k)
        found |= hit
    if x.dtype.kind == "f" and np.isnan(best).any():
        for k in range(K):
            np.copyto(idx, k, where=np.isnan(cols[:, :, k]))
    return from_grid(best, g), from_grid(idx, g)


class MaxPool(Op):
    """Max pooling; the gradient goes to the (first) maximum of each window. With
    ``return_indices`` a second, non-differentiable output holds PyTorch's indices."""

    @staticmethod
    def forward(ctx, x, g, return_indices):
        out, idx = max_windows(x, g)
        ctx.args = (g, idx)
        if not return_indices:
            return out
        indices = flat_indices(idx, g)
        ctx.mark_non_differentiable(indices)
        ctx.set_materialize_grads(False)
        return out, indices

    @staticmethod
    def backward(ctx, gy, _=None):
        g, idx = ctx.args
        return WindowSpread.apply(gy, g, idx, None) if gy is not None else None, None, None


def flat_indices(idx, g: Geometry):
    """Kernel-offset indices -> PyTorch's indices into the flattened H x W input plane."""
    xp = get_backend(device_of(idx)).xp
    oh = xp.arange(g.OH).reshape(-1, 1) * g.sh - g.pt
    ow = xp.arange(g.OW) * g.sw - g.pl
    i, j = np.divmod(idx.astype(np.int64), g.kw)
    return (oh + i * g.dh) * g.W + ow + j * g.dw


# ---- unfold / fold -----------------------------------------------------------------------------
class Unfold(Op):
    """im2col as an op: (N, C, H, W) -> (N, C * kh * kw, OH * OW) (compact grid)."""

    @staticmethod
    def forward(ctx, x, g):
        ctx.g = g
        cols = im2col(_pad_flat(x, g), g)
        return cols.reshape(x.shape[0], -1, g.OH * g.OW)

    @staticmethod
    def backward(ctx, gy):
        return Fold.apply(gy, ctx.g), None


class Fold(Op):
    """col2im as an op: the adjoint of Unfold, summing overlapping values."""

    @staticmethod
    def forward(ctx, cols, g):
        ctx.g = g
        N = cols.shape[0]
        return col2im(cols.reshape(N, -1, g.kh, g.kw, g.OH * g.OW), g)

    @staticmethod
    def backward(ctx, gx):
        return Unfold.apply(gx, ctx.g), None


__all__ = [
    "Conv",
    "ConvInputGrad",
    "ConvWeightGrad",
    "Fold",
    "Geometry",
    "MaxPool",
    "Unfold",
    "WindowGather",
    "WindowSpread",
    "flat_indices",
    "geometry",
    "out_size",
]
