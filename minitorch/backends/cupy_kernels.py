"""Fused CUDA kernels of the cupy backend, by op name (``CupyBackend.kernel(name)``).

Each kernel computes what its op's array code computes (the same formula, in the input's
dtype: float32 or float64), in one launch where the array code takes several passes over
memory. An op asks ``backends.fused(array, name)`` and runs its own array code when the
answer is None (the CPU, other dtypes). Kernels are compiled on first use and memoised.

Row kernels (softmax, layer norm, cross-entropy) run one thread block per row of a
C-contiguous (rows, n) array, reducing with warp shuffles.
"""

from __future__ import annotations

import functools

import cupy
import numpy as np

from . import ascontiguous

_ROWS_SOURCE = r"""
__device__ __forceinline__ T warp_sum(T v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ T warp_max(T v) {
    for (int o = 16; o > 0; o >>= 1) v = FMAX(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// The sum (or max) of v over the block; every thread gets it. blockDim.x is a multiple of 32.
__device__ T block_reduce(T v, T* sh, bool is_max) {
    int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = is_max ? warp_max(v) : warp_sum(v);
    __syncthreads();  // sh may still be read by a previous call
    if (lane == 0) sh[w] = v;
    __syncthreads();
    if (w == 0) {
        T u = lane < nw ? sh[lane] : (is_max ? NEG_INF : (T)0);
        u = is_max ? warp_max(u) : warp_sum(u);
        if (lane == 0) sh[0] = u;
    }
    __syncthreads();
    return sh[0];
}

extern "C" __global__ void softmax_fwd(const T* x, T* y, long long n, int log_mode) {
    __shared__ T sh[32];
    const T* xr = x + (long long)blockIdx.x * n;
    T* yr = y + (long long)blockIdx.x * n;
    T m = NEG_INF;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) m = FMAX(m, xr[i]);
    m = block_reduce(m, sh, true);
    T s = 0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) s += EXP(xr[i] - m);
    s = block_reduce(s, sh, false);
    if (log_mode) {
        T ls = LOG(s);
        for (long long i = threadIdx.x; i < n; i += blockDim.x) yr[i] = (xr[i] - m) - ls;
    } else {
        for (long long i = threadIdx.x; i < n; i += blockDim.x) yr[i] = EXP(xr[i] - m) / s;
    }
}

extern "C" __global__ void softmax_bwd(const T* y, const T* g, T* gx, long long n, int log_mode) {
    __shared__ T sh[32];
    long long off = (long long)blockIdx.x * n;
    const T* yr = y + off;
    const T* gr = g + off;
    T* out = gx + off;
    T s = 0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) s += log_mode ? gr[i] : gr[i] * yr[i];
    s = block_reduce(s, sh, false);
    for (long long i = threadIdx.x; i < n; i += blockDim.x)
        out[i] = log_mode ? gr[i] - EXP(yr[i]) * s : yr[i] * (gr[i] - s);
}

extern "C" __global__ void layer_norm_fwd(const T* x, const T* w, const T* b, T* y, T* xhat,
                                          T* rstd, long long n, T eps, int has_w, int has_b) {
    __shared__ T sh[32];
    long long off = (long long)blockIdx.x * n;
    const T* xr = x + off;
    T s = 0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) s += xr[i];
    T mean = block_reduce(s, sh, false) / (T)n;
    T q = 0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        T d = xr[i] - mean;
        q += d * d;
    }
    T var = block_reduce(q, sh, false) / (T)n;
    T r = (T)1 / SQRT(var + eps);
    if (threadIdx.x == 0) rstd[blockIdx.x] = r;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        T h = (xr[i] - mean) * r;
        xhat[off + i] = h;
        T v = has_w ? h * w[i] : h;
        y[off + i] = has_b ? v + b[i] : v;
    }
}

extern "C" __global__ void layer_norm_bwd(const T* g, const T* xhat, const T* rstd, const T* w,
                                          T* gx, long long n, int has_w) {
    __shared__ T sh[32];
    long long off = (long long)blockIdx.x * n;
    const T* gr = g + off;
    const T* hr = xhat + off;
    T a = 0, c = 0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        T gh = has_w ? gr[i] * w[i] : gr[i];
        a += gh * hr[i];
        c += gh;
    }
    a = block_reduce(a, sh, false) / (T)n;
    c = block_reduce(c, sh, false) / (T)n;
    T r = rstd[blockIdx.x];
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        T gh = has_w ? gr[i] * w[i] : gr[i];
        gx[off + i] = (gh - hr[i] * a - c) * r;
    }
}

// A target out of range gets NaN loss and log-sum-exp (so NaN gradients): no host check.
extern "C" __global__ void cross_entropy_fwd(const T* x, const long long* t, T* loss, T* lse,
                                             long long n, long long ignore, T smoothing) {
    __shared__ T sh[32];
    const T* xr = x + (long long)blockIdx.x * n;
    T m = NEG_INF;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) m = FMAX(m, xr[i]);
    m = block_reduce(m, sh, true);
    T s = 0, sx = 0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        s += EXP(xr[i] - m);
        sx += xr[i];
    }
    s = block_reduce(s, sh, false);
    sx = block_reduce(sx, sh, false);
    if (threadIdx.x == 0) {
        T l = m + LOG(s);
        long long tt = t[blockIdx.x];
        T out = 0;
        if (tt != ignore) {
            if (tt < 0 || tt >= n) {
                l = out = NAN_T;
            } else {
                out = ((T)1 - smoothing) * (l - xr[tt]);
                if (smoothing != (T)0) out += smoothing * (l - sx / (T)n);
            }
        }
        lse[blockIdx.x] = l;
        loss[blockIdx.x] = out;
    }
}
"""

_PRELUDE = {
    np.dtype(np.float32): """
typedef float T;
#define FMAX fmaxf
#define EXP expf
#define LOG logf
#define SQRT sqrtf
#define NEG_INF (-__int_as_float(0x7f800000))
#define NAN_T __int_as_float(0x7fffffff)
""",
    np.dtype(np.float64): """
typedef double T;
#define FMAX fmax
#define EXP exp
#define LOG log
#define SQRT sqrt
#define NEG_INF (-__longlong_as_double(0x7ff0000000000000LL))
#define NAN_T __longlong_as_double(0x7ff8000000000000LL)
""",
}


@functools.cache
def _rows_module(dtype: np.dtype):
    return cupy.RawModule(code=_PRELUDE[dtype] + _ROWS_SOURCE)


@functools.cache
def _rows_function(dtype: np.dtype, name: str):
    return _rows_module(dtype).get_function(name)


def _launch_rows(name: str, rows: int, n: int, args: tuple, dtype) -> None:
    threads = 32
    while threads < n and threads < 1024:
        threads *= 2
    if rows:
        _rows_function(np.dtype(dtype), name)((rows,), (threads,), args)


def _rows(a):
    """A C-contiguous (rows, n) view of ``a`` (a copy when it is not contiguous)."""
    a = ascontiguous(a)
    n = a.shape[-1] if a.ndim else 1
    return a.reshape(-1, n), n


def softmax(a, log: bool = False):
    """softmax (or log_softmax) over the last dim of a float32/float64 array."""
    x, n = _rows(a)
    y = cupy.empty_like(x)
    _launch_rows("softmax_fwd", x.shape[0], n, (x, y, np.int64(n), np.int32(log)), x.dtype)
    return y.reshape(a.shape)


def softmax_backward(y, g, log: bool = False):
    """The gradient of softmax (or log_softmax) over the last dim, from its output ``y``."""
    yr, n = _rows(y)
    gr, _ = _rows(g.astype(y.dtype, copy=False))
    gx = cupy.empty_like(yr)
    _launch_rows("softmax_bwd", yr.shape[0], n, (yr, gr, gx, np.int64(n), np.int32(log)), yr.dtype)
    return gx.reshape(y.shape)


def layer_norm(x, w, b, eps: float):
    """Normalises the rows of a (rows, n) array, then scales by ``w`` and shifts by ``b``
    ((n,) or None). Returns (y, xhat, rstd) with rstd shaped (rows, 1)."""
    xr, n = _rows(x)
    rows = xr.shape[0]
    y, xhat = cupy.empty_like(xr), cupy.empty_like(xr)
    rstd = cupy.empty((rows, 1), xr.dtype)
    w_ = xr if w is None else ascontiguous(w.astype(xr.dtype, copy=False))
    b_ = xr if b is None else ascontiguous(b.astype(xr.dtype, copy=False))
    eps_ = xr.dtype.type(eps)
    args = (xr, w_, b_, y, xhat, rstd, np.int64(n), eps_, np.int32(w is not None))
    _launch_rows("layer_norm_fwd", rows, n, args + (np.int32(b is not None),), xr.dtype)
    return y, xhat, rstd


def layer_norm_backward(g, xhat, rstd, w):
    """d loss / d x of ``layer_norm`` from its saved ``xhat`` and ``rstd`` ((rows, n) and
    (rows, 1)); ``w`` is (n,) or None."""
    gr, n = _rows(g.astype(xhat.dtype, copy=False))
    hr, _ = _rows(xhat)
    w_ = hr if w is None else ascontiguous(w.astype(hr.dtype, copy=False))
    gx = cupy.empty_like(hr)
    args = (gr, hr, ascontiguous(rstd), w_, gx, np.int64(n), np.int32(w is not None))
    _launch_rows("layer_norm_bwd", hr.shape[0], n, args, hr.dtype)
    return gx


def cross_entropy(x, target, ignore_index: int, smoothing: float):
    """Per-row cross-entropy of (N, C) logits and class-index targets (no class weights),
    with label smoothing. Returns (loss (N,), lse (N,)); both are NaN in the rows of
    targets out of range (nothing is read back to check them)."""
    xr = ascontiguous(x)
    rows, n = xr.shape
    t = ascontiguous(target.astype(np.int64, copy=False))
    loss, lse = cupy.empty(rows, xr.dtype), cupy.empty(rows, xr.dtype)
    args = (xr, t, loss, lse, np.int64(n), np.int64(ignore_index), xr.dtype.type(smoothing))
    _launch_rows("cross_entropy_fwd", rows, n, args, xr.dtype)
    return loss, lse


@functools.cache
def _ce_backward_kernel():
    return cupy.ElementwiseKernel(
        "raw T x, raw T lse, raw int64 t, raw T scale, int64 sstride, int64 C, int64 ignore, T eps",
        "T gx",
        """
        long long row = i / C;
        long long c = i - row * C;
        long long tt = t[row];
        if (tt == ignore) {
            gx = 0;
        } else {
            T p = exp(x[i] - lse[row]);
            T q = (c == tt ? (T)1 - eps : (T)0) + eps / (T)C;
            gx = (p - q) * scale[row * sstride];
        }
        """,
        "minitorch_cross_entropy_bwd",
    )


def cross_entropy_backward(x, lse, target, scale, ignore_index: int, smoothing: float):
    """d loss_n / d x times ``scale`` (a 0-d array, or one value per row)."""
    xr = ascontiguous(x)
    rows, n = xr.shape
    s = ascontiguous(scale.astype(xr.dtype, copy=False)).reshape(-1)
    t = ascontiguous(target.astype(np.int64, copy=False))
    gx = cupy.empty_like(xr)
    stride = np.int64(1 if s.size == rows and s.size > 1 else 0)
    _ce_backward_kernel()(
        xr, lse, t, s, stride, np.int64(n), np.int64(ignore_index), xr.dtype.type(smoothing), gx
    )
    return gx


_GELU = """
const T K = (T)0.7978845608028654, C = (T)0.044715;
const T SQRT_HALF = (T)0.7071067811865476, INV_SQRT_2PI = (T)0.3989422804014327;
"""


@functools.cache
def _gelu_kernels():
    forward = cupy.ElementwiseKernel(
        "T x, int32 tanh_mode",
        "T y",
        _GELU
        + """
        if (tanh_mode) {
            y = (T)0.5 * x * ((T)1 + tanh(K * (x + C * x * x * x)));
        } else {
            y = x * (T)0.5 * erfc(-x * SQRT_HALF);
        }
        """,
        "minitorch_gelu",
    )
    derivative = cupy.ElementwiseKernel(
        "T x, int32 tanh_mode",
        "T d",
        _GELU
        + """
        if (tanh_mode) {
            T x2 = x * x;
            T t = tanh(K * x * ((T)1 + C * x2));
            d = (T)0.5 * ((T)1 + t) + (T)0.5 * x * ((T)1 - t * t) * K * ((T)1 + (T)3 * C * x2);
        } else {
            d = (T)0.5 * erfc(-x * SQRT_HALF) + x * exp((T)-0.5 * x * x) * INV_SQRT_2PI;
        }
        """,
        "minitorch_gelu_grad",
    )
    return forward, derivative


def gelu(x, approximate: str):
    """GELU (exact, or the tanh approximation) in one pass."""
    return _gelu_kernels()[0](x, np.int32(approximate == "tanh"))


def gelu_grad(x, approximate: str):
    """The derivative of GELU in one pass."""
    return _gelu_kernels()[1](x, np.int32(approximate == "tanh"))


_ADAM = """
    T gg = maximize ? -g : g;
    if (wd != (T)0) gg += wd * p;
    if (decay != (T)1) p *= decay;
    m += (gg - m) * ((T)1 - beta1);
    v = v * beta2 + gg * gg * ((T)1 - beta2);
"""


@functools.cache
def _adam_kernels():
    params = "T g, T wd, T decay, T beta1, T beta2, T eps, T scale, int32 maximize"
    plain = cupy.ElementwiseKernel(
        params,
        "T p, T m, T v",
        _ADAM + "p += -scale * (m / (sqrt(v) + eps));",
        "minitorch_adam",
    )
    amsgrad = cupy.ElementwiseKernel(
        params,
        "T p, T m, T v, T vmax",
        _ADAM
        + """
        if (!(vmax != vmax) && (v > vmax || v != v)) vmax = v;  // np.maximum: NaN wins
        p += -scale * (m / (sqrt(vmax) + eps));
        """,
        "minitorch_adam_amsgrad",
    )
    return plain, amsgrad


def adam(p, g, t, m, v, v_max, wd, maximize, decay, beta1, beta2, eps, scale) -> None:
    """The Adam/AdamW update of a flat bucket in one pass (``t`` is unused scratch); the
    signature and meaning of optim.adam's array kernel."""
    f = p.dtype.type
    args = (g, f(wd), f(decay), f(beta1), f(beta2), f(eps), f(scale), np.int32(maximize))
    plain, amsgrad = _adam_kernels()
    if v_max is None:
        plain(*args, p, m, v)
    else:
        amsgrad(*args, p, m, v, v_max)


@functools.cache
def _sgd_kernel():
    return cupy.ElementwiseKernel(
        "T g, T wd, T lr, T momentum, T dampening, int32 maximize, int32 has_buf, int32 first, "
        "int32 nesterov",
        "T p, T buf",
        """
        T gg = maximize ? -g : g;
        if (wd != (T)0) gg += wd * p;
        if (has_buf) {
            buf = first ? gg : buf * momentum + ((T)1 - dampening) * gg;
            gg = nesterov ? gg + momentum * buf : buf;
        }
        p += -lr * gg;
        """,
        "minitorch_sgd",
    )


def sgd(p, g, t, buf, wd, maximize, lr, momentum, dampening, nesterov, first) -> None:
    """The SGD update (momentum, dampening, Nesterov, weight decay) of a flat bucket in one
    pass; the signature and meaning of optim.sgd's array kernel."""
    f = p.dtype.type
    has_buf = buf is not None
    _sgd_kernel()(
        g, f(wd), f(lr), f(momentum), f(dampening), np.int32(maximize), np.int32(has_buf),
        np.int32(first), np.int32(nesterov), p, buf if has_buf else t,
    )  # fmt: skip


@functools.cache
def _activation_grad_kernels():
    def kernel(name: str, body: str):
        return cupy.ElementwiseKernel("T g, T y", "T z", body, "minitorch_" + name)

    return {
        "relu_grad": kernel("relu_grad", "z = y != (T)0 ? g : (T)0"),  # NaN outputs pass g
        "tanh_grad": kernel("tanh_grad", "z = g * ((T)1 - y * y)"),
        "sigmoid_grad": kernel("sigmoid_grad", "z = g * ((T)1 - y) * y"),
    }


def relu_grad(g, y):
    """relu's backward from its output ``y``: ``g`` where ``y`` is not 0, else +0."""
    return _activation_grad_kernels()["relu_grad"](g, y)


def tanh_grad(g, y):
    """tanh's backward from its output ``y``: ``g * (1 - y * y)`` in one pass."""
    return _activation_grad_kernels()["tanh_grad"](g, y)


def sigmoid_grad(g, y):
    """sigmoid's backward from its output ``y``: ``g * (1 - y) * y`` in one pass."""
    return _activation_grad_kernels()["sigmoid_grad"](g, y)


KERNELS = {
    "softmax": softmax,
    "softmax_backward": softmax_backward,
    "layer_norm": layer_norm,
    "layer_norm_backward": layer_norm_backward,
    "cross_entropy": cross_entropy,
    "cross_entropy_backward": cross_entropy_backward,
    "gelu": gelu,
    "gelu_grad": gelu_grad,
    "adam": adam,
    "sgd": sgd,
    "relu_grad": relu_grad,
    "tanh_grad": tanh_grad,
    "sigmoid_grad": sigmoid_grad,
}
