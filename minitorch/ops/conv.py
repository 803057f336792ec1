"""Convolution, pooling and unfold, forward and backward side by side.

Every op here works on sliding windows of a zero-padded copy of the input, stored flat per
channel: ``(N, C, Hp * Wp + tail)``. The window at kernel offset (i, j) is a strided view of
that buffer, so im2col is one copy. Columns are channel-major, (C * kh * kw, N * OH * Wg),
so a convolution's forward, weight gradient and input gradient are each ONE matrix product
over the whole batch; the transposes this layout needs ride on copies made anyway.

When the horizontal stride is 1 the output grid is computed ``Wp`` columns wide instead of
``OW`` ("wide grid"): then the window rows of neighbouring output rows are contiguous in
memory, the copies run over long contiguous stretches, and the extra ``Wp - OW`` columns
(garbage in forward, zeros in backward) are cut off at the end.

col2im (the adjoint of im2col) loops over kernel offsets only, adding one strided view per
offset; nothing loops over pixels or channels.

Higher-order gradients: Conv's backward uses two ops, ConvInputGrad (which is also
conv_transpose) and ConvWeightGrad, whose own backwards are written with these three ops.
Pooling uses the adjoint pair WindowGather / WindowSpread; max pooling picks its offsets with
reductions and bool arithmetic on the contiguous columns, and windows that tile the input
send gradients back by writing one interleaved slice per kernel offset. When no graph is built for
the backward (the usual case), Conv's backward computes both gradients on raw arrays at once,
reusing the columns saved by forward.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._dtypes import HALF_NP
from .._tensor import make_tensor
from ..autograd.function import Op
from ..autograd.grad_mode import state
from ..backends import ascontiguous, device_of, get_backend, on_host
from .linalg import matmul_arrays

Geometry = namedtuple(
    "Geometry", "H W kh kw sh sw dh dw pt pl Hp Wp OH OW Wg size", module=__name__
)
Geometry.__doc__ = """Sizes of one 2-D sliding-window op: input H x W, kernel, stride,
dilation, top/left padding, padded size Hp x Wp, output OH x OW, grid width Wg (Wp or OW),
and flat buffer length."""


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
    return Geometry(H, W, kh, kw, sh, sw, dh, dw, pt, pl, Hp, Wp, OH, OW, Wg, size)


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
    """The (A, B, OH, Wg) view of a flat buffer (A, B, size) seen by kernel offset (i, j)."""
    sa, sb, e = buf.strides
    off = i * g.dh * g.Wp + j * g.dw
    return _as_strided(
        buf[:, :, off:], buf.shape[:2] + (g.OH, g.Wg), (sa, sb, g.sh * g.Wp * e, g.sw * e)
    )


def _offsets(g: Geometry):
    return ((i, j) for i in range(g.kh) for j in range(g.kw))


def im2col(buf, g: Geometry):
    """Flat padded buffer (N, C, size) -> contiguous channel-major columns
    (C, kh * kw, N, OH * Wg): row (c, i, j) holds what kernel offset (i, j) of channel c
    sees at every output position of every sample."""
    N, C = buf.shape[:2]
    sn, sc, e = buf.strides
    view = _as_strided(
        buf,
        (C, g.kh, g.kw, N, g.OH, g.Wg),
        (sc, g.dh * g.Wp * e, g.dw * e, sn, g.sh * g.Wp * e, g.sw * e),
    )
    return ascontiguous(view).reshape(C, g.kh * g.kw, N, g.OH * g.Wg)


def col2im(cols, g: Geometry):
    """The adjoint of padding followed by ``im2col``: (C, kh * kw, N, OH * Wg) -> (N, C, H, W)."""
    C, K, N = cols.shape[:3]
    buf = np.zeros_like(cols, shape=(C, N, g.size))
    cols = cols.reshape(C, K, N, g.OH, g.Wg)
    for k, (i, j) in enumerate(_offsets(g)):
        view = _offset_view(buf, g, i, j)
        view += cols[:, k]
    return ascontiguous(_interior(buf, g).transpose(1, 0, 2, 3))


def to_grid(y, g: Geometry):
    """Output-shaped (N, C, OH, OW) -> channel-major grid layout (C, N, OH * Wg), zeros in
    the extra columns of a wide grid."""
    N, C = y.shape[:2]
    yt = y.transpose(1, 0, 2, 3)
    if g.Wg == g.OW:
        return ascontiguous(yt).reshape(C, N, g.OH * g.OW)
    grid = np.zeros_like(y, shape=(C, N, g.OH, g.Wg))
    grid[..., : g.OW] = yt
    return grid.reshape(C, N, g.OH * g.Wg)


def from_grid(y, g: Geometry, bias=None):
    """Channel-major grid layout (C, N, OH * Wg) -> contiguous (N, C, OH, OW), adding a
    per-channel bias."""
    C, N = y.shape[:2]
    y = y.reshape(C, N, g.OH, g.Wg).transpose(1, 0, 2, 3)[..., : g.OW]
    y = ascontiguous(y)  # one copy: a plain copy beats a strided add
    if bias is not None:
        y += bias.reshape(C, 1, 1)
    return y


# ---- convolution -------------------------------------------------------------------------------
def _columns(x, g: Geometry, groups: int):
    """im2col of x for a grouped matrix product: (groups, Cg * kh * kw, N * OH * Wg)."""
    cg = x.shape[1] // groups * g.kh * g.kw  # explicit sizes: an empty batch has no -1
    return im2col(_pad_flat(x, g), g).reshape(groups, cg, x.shape[0] * g.OH * g.Wg)


def _grouped(w, groups: int):
    """Weight (O, Cg, kh, kw) -> (groups, O / groups, Cg * kh * kw)."""
    return w.reshape(groups, w.shape[0] // groups, -1)


def _conv(x, w, b, g: Geometry, groups: int):
    """Returns conv(x, w) + b and the columns of x: ONE matrix product over the batch."""
    cols = _columns(x, g, groups)
    if b is not None and b.dtype in HALF_NP:  # added in float32, rounded once (as PyTorch)
        out = matmul_arrays(_grouped(w, groups), cols, bias=b.reshape(groups, -1, 1))
        b = None
    else:
        out = matmul_arrays(_grouped(w, groups), cols)  # (groups, O / groups, N * L)
    return from_grid(out.reshape(w.shape[0], x.shape[0], g.OH * g.Wg), g, b), cols


def _input_grad(grid, w, g: Geometry, groups: int, dtype=None, transposed: bool = False):
    """d conv / d x applied to an output gradient in grid layout (O, N, L), in ``dtype``
    (default: the operands'). ``transposed``: as PyTorch's conv_transpose of float16 where
    it runs its slow kernel (CPUs without AVX512-FP16 or AMX-FP16, which get oneDNN's):
    the columns rounded to float16, added up in float16 by col2im."""
    O, N, L = grid.shape
    Cg = w.shape[1]
    col2im_f16 = transposed and dtype is None and grid.dtype == np.float16
    if dtype is None and grid.dtype in HALF_NP and not col2im_f16:  # summed in float32,
        return _input_grad(grid, w, g, groups, np.float32).astype(grid.dtype)  # rounded once
    # few input channels per output channel (3 Cg < O / groups): the per-offset products
    # below would reread the gradient kh * kw times for little output; measured slower
    if col2im_f16 or g.sh != 1 or g.Wg != g.Wp or 3 * Cg < O // groups:  # columns, col2im
        cols = matmul_arrays(
            _grouped(w, groups).swapaxes(1, 2),
            grid.reshape(groups, O // groups, N * L),
            dtype=dtype,
        )
        return col2im(cols.reshape(groups * Cg, g.kh * g.kw, N, L), g)
    # Stride 1: with grid rows as long as the padded input's (zeros after the last output
    # row), kernel offset (i, j) adds its product shifted by i * Wp + j: one flat add each.
    rows = np.zeros_like(grid, shape=(O, N, g.size))
    rows[:, :, :L] = grid
    rows = rows.reshape(groups, O // groups, N * g.size)
    wk = w.reshape(groups, O // groups, Cg, g.kh * g.kw)
    buf = np.zeros_like(grid, shape=(groups * Cg * N * g.size,), dtype=dtype)
    for k, (i, j) in enumerate(_offsets(g)):
        off = i * g.dh * g.Wp + j * g.dw
        piece = matmul_arrays(ascontiguous(wk[..., k].swapaxes(1, 2)), rows, dtype=dtype)
        piece = piece.reshape(-1)
        buf[off:] += piece[: buf.size - off]  # what spills past a row's end is zero
    buf = buf.reshape(groups * Cg, N, g.size)
    return ascontiguous(_interior(buf, g).transpose(1, 0, 2, 3))


def _weight_grad(cols, grid, w_shape, groups: int):
    """d conv / d w from the columns of x and the output gradient in grid layout."""
    O = grid.shape[0]
    gy = grid.reshape(groups, O // groups, grid.shape[1] * grid.shape[2])
    if cols.shape[1] > gy.shape[1]:  # the longer side as the product's rows: BLAS runs
        gw = matmul_arrays(cols, gy.swapaxes(1, 2)).swapaxes(1, 2)  # 1.3x faster (W2)
    else:
        gw = matmul_arrays(gy, cols.swapaxes(1, 2))
    return ascontiguous(gw).reshape(w_shape)


class Conv(Op):
    """2-D cross-correlation with bias, stride, padding, dilation and groups."""

    torch_name = "ConvolutionBackward0"

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
        gx = _input_grad(grid, w._data, g, groups) if nx else None
        gw = _weight_grad(cols._data, grid, w.shape, groups) if nw else None
        return _wrap(gx), _wrap(gw), gb, None, None


def _wrap(a):
    return None if a is None else make_tensor(a)


class ConvInputGrad(Op):
    """The adjoint of Conv in its input: conv_transpose(y, w), giving an input-shaped result."""

    @staticmethod
    def forward(ctx, y, w, g, groups, transposed=False):
        ctx.args = (g, groups)
        ctx.save_for_backward(y, w)
        return _input_grad(to_grid(y, g), w, g, groups, transposed=transposed)

    @staticmethod
    def backward(ctx, gx):
        y, w = ctx.saved_tensors
        g, groups = ctx.args
        ny, nw = ctx.needs_input_grad[:2]
        gy = Conv.apply(gx, w, None, g, groups) if ny else None
        gw = ConvWeightGrad.apply(gx, y, g, groups) if nw else None
        return gy, gw, None, None, None


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
def _onehot(idx, K: int):
    """(C, N, L) kernel offsets -> bool (C, K, N, L), True at each window's offset."""
    ks = get_backend(device_of(idx)).xp.arange(K, dtype=idx.dtype).reshape(K, 1, 1)
    return idx[:, None] == ks


def _tiles(g: Geometry) -> bool:
    """Windows that tile the padded input exactly (stride = kernel, no dilation)."""
    return g.sh == g.kh and g.sw == g.kw and g.dh == 1 and g.dw == 1


def gather_windows(x, g: Geometry, idx=None):
    """Per window, the sum of its values, or its value at kernel offset ``idx`` when given:
    (N, C, H, W) -> (N, C, OH, OW)."""
    cols = im2col(_pad_flat(x, g), g)  # (C, K, N, L)
    if idx is not None:
        cols = cols * _onehot(to_grid(idx, g), cols.shape[1])
    return from_grid(cols.sum(axis=1), g)


def spread_windows(y, g: Geometry, idx=None):
    """The adjoint of ``gather_windows``: (N, C, OH, OW) -> (N, C, H, W)."""
    if _tiles(g):
        return _spread_tiles(y, g, idx)
    grid = to_grid(y, g)[:, None]  # (C, 1, N, L)
    K = g.kh * g.kw
    if idx is None:
        cols = np.broadcast_to(grid, (grid.shape[0], K) + grid.shape[2:])
    else:
        cols = grid * _onehot(to_grid(idx, g), K)
    return col2im(cols, g)


def _spread_tiles(y, g: Geometry, idx):
    """spread_windows for tiling windows: each kernel offset's values (masked to the chosen
    offset when ``idx`` is given) go to one interleaved slice of the output."""
    N, C = y.shape[:2]
    up = np.empty_like(y, shape=(N, C, g.OH, g.kh, g.OW, g.kw))
    for k, (i, j) in enumerate(_offsets(g)):
        if idx is None:
            up[:, :, :, i, :, j] = y
        else:
            np.multiply(y, idx == k, out=up[:, :, :, i, :, j])
    up = up.reshape(N, C, g.OH * g.kh, g.OW * g.kw)
    if g.pt == g.pl == 0 and up.shape[2:] == (g.H, g.W):
        return up
    gx = np.zeros_like(y, shape=(N, C, g.H, g.W))
    hn, wn = min(g.H, up.shape[2] - g.pt), min(g.W, up.shape[3] - g.pl)
    gx[:, :, :hn, :wn] = up[:, :, g.pt : g.pt + hn, g.pl : g.pl + wn]
    return gx


class WindowGather(Op):
    """Sum over each window times ``scale`` (average pooling), or the element at offset
    ``idx`` of each window (the adjoint of max pooling's backward)."""

    @staticmethod
    def forward(ctx, x, g, idx, scale):
        ctx.args = (g, idx, scale)
        if idx is None:  # average pooling: PyTorch saves the input (not max pooling's gradient)
            ctx.save_for_backward(x)
        out = gather_windows(x, g, idx)
        return out if scale is None else np.multiply(out, scale, out=out)

    @staticmethod
    def backward(ctx, gy):
        g, idx, scale = ctx.args
        _checked = ctx.saved_tensors  # raises if the saved input changed in place
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
    return -np.inf if dtype.kind in "fV" else np.iinfo(dtype).min


def max_windows(x, g: Geometry):
    """Max over each window and the kernel offset where it is, as PyTorch picks it: the
    first maximum, or the last NaN. Returns (out, idx), both (N, C, OH, OW)."""
    inside = g.pt == g.pl == 0 and g.OH * g.kh <= g.H and g.OW * g.kw <= g.W
    if _tiles(g) and inside:  # each offset's values are one strided view of x: no copies
        views = [x[:, :, i : g.OH * g.kh : g.kh, j : g.OW * g.kw : g.kw] for i, j in _offsets(g)]
        return _max_of(views)
    if x.dtype.kind in "iu" and x.dtype.itemsize < 8:  # in int64 the padding's fill lies
        best, idx = max_windows(x.astype(np.int64), g)  # below every value: it never ties
        return best.astype(x.dtype), idx
    cols = im2col(_pad_flat(x, g, _lowest(x.dtype)), g)  # (C, K, N, L)
    best, idx = _max_of([cols[:, k] for k in range(cols.shape[1])])
    return from_grid(best, g), from_grid(idx, g)


def _max_of(views: list):
    """The elementwise maximum of equally shaped arrays and the index of the first array
    holding it (of the last NaN, where there is one), by a knockout tournament: each
    pairing costs a maximum, a comparison and two or three integer passes, where a
    scan from the left costs five per array."""
    dt = np.dtype(np.uint8 if len(views) < 256 else np.int32)
    level = [(v, k) for k, v in enumerate(views)]  # (values, index: an int or an array)
    while len(level) > 1:
        nxt = []
        for (a, ia), (b, ib) in zip(level[::2], level[1::2]):
            right = np.greater(b, a)  # strictly: a tie keeps the left (earlier) offset
            right = right.view(dt) if dt.itemsize == 1 else right.astype(dt)
            idx = np.multiply(right, ib - ia, dtype=dt)  # b's offsets all exceed a's
            idx += ia if isinstance(ia, int) else ia.astype(dt, copy=False)
            nxt.append((np.maximum(a, b), idx))
        level = nxt + level[len(nxt) * 2 :]
    best, idx = level[0]
    if isinstance(idx, int):  # a single window offset
        best, idx = best.copy(), np.zeros_like(best, dtype=dt)
    if best.dtype.kind in "fV" and (not on_host(best) or np.isnan(best).any()):  # no GPU sync
        for k, v in enumerate(views):
            np.copyto(idx, k, where=np.isnan(v))
    return best, idx


class MaxPool(Op):
    """Max pooling; the gradient goes to the (first) maximum of each window. With
    ``return_indices`` a second, non-differentiable output holds PyTorch's indices."""

    @staticmethod
    def forward(ctx, x, g, return_indices):
        out, idx = max_windows(x, g)
        ctx.args = (g, idx)
        ctx.save_for_backward(x)  # as PyTorch's, for its version check only
        if not return_indices:
            return out
        indices = flat_indices(idx, g)
        ctx.mark_non_differentiable(indices)
        ctx.set_materialize_grads(False)
        return out, indices

    @staticmethod
    def backward(ctx, gy, _=None):
        g, idx = ctx.args
        _checked = ctx.saved_tensors  # raises if the input changed in place
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
        cols = im2col(_pad_flat(x, g), g)  # (C, K, N, L)
        N, L = x.shape[0], g.OH * g.OW  # explicit sizes: an empty batch has no -1
        return ascontiguous(cols.transpose(2, 0, 1, 3)).reshape(N, x.shape[1] * g.kh * g.kw, L)

    @staticmethod
    def backward(ctx, gy):
        return Fold.apply(gy, ctx.g), None


class Fold(Op):
    """col2im as an op: the adjoint of Unfold, summing overlapping values."""

    @staticmethod
    def forward(ctx, cols, g):
        ctx.g = g
        N, K, L = cols.shape
        C = K // (g.kh * g.kw)
        return col2im(cols.reshape(N, C, g.kh * g.kw, L).transpose(1, 2, 0, 3), g)

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
