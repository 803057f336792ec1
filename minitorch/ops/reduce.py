"""Reductions (sum, mean, var, max, prod, logsumexp, cumsum, norm), forward and backward."""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np

from .._dtypes import BF16_NP, HALF_NP, from_numpy_dtype, scalar_type_name
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, name_node
from ..autograd.grad_mode import is_grad_enabled
from ..backends import ascontiguous, ones_vector
from ..backends.numpy_backend import astype
from .elementwise import _floating, const, where
from .return_types import return_type

_BIG = {"b": np.int64, "i": np.int64, "u": np.int64}


def normalize_dims(dim, ndim: int) -> tuple:
    """Tuple of non-negative axes for ``dim`` (int, sequence or None = all), checked."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    dims = tuple(wrap_dim(d, ndim) for d in dims)
    if len(set(dims)) != len(dims):
        d = next(d for d in dims if dims.count(d) > 1)
        raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return dims if ndim else ()  # a 0-d tensor accepts dim 0 / -1 and reduces nothing


def wrap_dim(d: int, ndim: int) -> int:
    """A dimension index made non-negative; IndexError (PyTorch's text) when out of range."""
    if d is None:  # an op of one dim given dim=None (PyTorch's argument parser refuses it)
        raise TypeError("argument 'dim' must be int, not NoneType")
    n = builtins.max(ndim, 1)
    if not -n <= d < n:
        if not -(2**63) <= d < 2**63:  # PyTorch's argument parser reads dims as int64
            raise ValueError("Overflow when unpacking long long")
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})"
        )
    return d % n


def _kept_shape(shape: tuple, dims: tuple) -> tuple:
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _expand_back(g: Tensor, shape: tuple, dims: tuple, keepdim: bool) -> Tensor:
    """The adjoint of a reduction over ``dims``: reshape to keep dims, then broadcast."""
    if not keepdim and dims:
        g = g.reshape(_kept_shape(shape, dims))
    return g.expand(shape)


def _accumulated(fn, a, **kwargs):
    """Sums accumulate integers in int64 and float16/bfloat16 in float32, as PyTorch does."""
    if a.dtype in HALF_NP:
        with np.errstate(over="ignore"):  # beyond float16's range is inf, as in PyTorch
            return astype(fn(astype(a, np.float32), **kwargs), a.dtype)
    return fn(a, dtype=_BIG.get(a.dtype.kind), **kwargs)


_BLAS_SUM = (np.dtype(np.float32), np.dtype(np.float64))


def sum_blas(a, dims: tuple, keepdim: bool = False):
    """``a.sum(dims)`` as matrix-vector products with ones when ``dims`` are leading and/or
    trailing axes of a C-contiguous float array (N, C, H, W summed over (0, 2, 3) is both):
    BLAS sums columns ~4x faster than numpy's reduction does, and short rows faster too.
    None when that does not apply (each run of summed elements is capped, so float rounding
    stays that of blocked sums). On a GPU too: cupy's column sums of (16384, 384) took 170 us,
    the product with ones 63 (benchmarks/gpu_sums.py)."""
    n, k = a.ndim, len(dims)
    if not (0 < k < n and a.dtype in _BLAS_SUM and a.size >= 4096 and a.flags.c_contiguous):
        return None
    lead = next((i for i in range(n) if i not in dims), n)  # dims = [0, lead) + [trail, n)
    trail = n - next((i for i in range(n) if n - 1 - i not in dims), n)
    if len(dims) != lead + n - trail or lead >= trail:
        return None
    shape = a.shape
    rows, kept, cols = (
        math.prod(shape[:lead]),
        math.prod(shape[lead:trail]),
        math.prod(shape[trail:]),
    )
    if rows > 65536 or cols > 65536 or rows == cols == 1:  # (the last: a view of ``a`` itself)
        return None
    out = a.reshape(rows, kept, cols)
    if cols > 1:  # (rows * kept, cols) @ ones(cols)
        out = np.matmul(out.reshape(-1, cols), ones_vector(out, cols))
    if rows > 1:  # ones(rows) @ (rows, kept)
        out = np.matmul(ones_vector(out, rows), out.reshape(rows, kept))
    middle = a.shape[lead:trail]
    shape = (1,) * lead + middle + (1,) * (n - trail) if keepdim else middle
    return out if out.shape == shape else out.reshape(shape)  # not a view: a gradient stays own


def mean_blas(a, dims: tuple, keepdim: bool = False):
    """``a.mean(dims)``, its sum by ``sum_blas`` where that applies."""
    total = sum_blas(a, dims, keepdim)
    if total is None:
        if a.size == 0:  # NaN, as PyTorch's, without numpy's "Mean of empty slice" warning
            return np.full_like(a.sum(axis=dims, keepdims=keepdim), np.nan)
        if a.dtype == BF16_NP:  # numpy would accumulate in bfloat16; PyTorch in float32
            return astype(astype(a, np.float32).mean(axis=dims, keepdims=keepdim), a.dtype)
        return ascontiguous(a.mean(axis=dims, keepdims=keepdim))
    return np.divide(total, math.prod(a.shape[d] for d in dims), out=total)


def sum_array(a, dims: tuple, keepdim: bool = False):
    """What Sum computes on a raw array: by BLAS where it can, else numpy's reduction
    (integers accumulated in int64, float16 in float32)."""
    out = sum_blas(a, dims, keepdim)
    if out is None:  # numpy keeps a transposed layout; PyTorch's result is contiguous
        out = ascontiguous(_accumulated(np.sum, a, axis=dims, keepdims=keepdim))
    return out


class Sum(Op):
    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype=None):
        ctx.args = (a.shape, dims, keepdim)
        if dtype is None:
            return sum_array(a, dims, keepdim)
        ctx.in_dtype = a.dtype  # sum(dtype=): one node, as PyTorch's (no ToCopyBackward0)
        return astype(sum_array(astype(a, dtype), dims, keepdim), dtype)

    @staticmethod
    def backward(ctx, g):
        shape, dims, keepdim = ctx.args
        g = _expand_back(g, shape, dims, keepdim)
        return _to_input_dtype(ctx, g), None, None, None


class Mean(Op):
    @staticmethod
    def forward(ctx, a, dims, keepdim, dtype=None):
        ctx.args = (a.shape, dims, keepdim)
        ctx.count = math.prod(a.shape[d] for d in dims)
        if dtype is None:
            return mean_blas(a, dims, keepdim)
        ctx.in_dtype = a.dtype
        return mean_blas(astype(a, dtype), dims, keepdim)

    @staticmethod
    def backward(ctx, g):
        shape, dims, keepdim = ctx.args
        g = _expand_back(g / ctx.count, shape, dims, keepdim)
        return _to_input_dtype(ctx, g), None, None, None


def _to_input_dtype(ctx, g: Tensor) -> Tensor:
    """The gradient of a reduction given ``dtype=``, in the input's dtype."""
    in_dtype = getattr(ctx, "in_dtype", None)
    if in_dtype is None or in_dtype == g._data.dtype:
        return g
    return g.to(from_numpy_dtype(in_dtype))


class Amax(Op):
    """amax/amin: the gradient is split evenly between tied extremes, as in PyTorch. A NaN
    extreme ties with nothing (NaN gradients) for amax/amin, with the NaNs (``nan_ties``)
    for max()/min() of all elements and the inf-norms."""

    @staticmethod
    def forward(ctx, a, dims, keepdim, largest, nan_ties=False):
        out = ascontiguous((np.amax if largest else np.amin)(a, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        ctx.args = (dims, keepdim, nan_ties)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        dims, keepdim, nan_ties = ctx.args
        shape = a.shape
        o = out._data if keepdim else out._data.reshape(_kept_shape(shape, dims))
        hit = a._data == o
        if nan_ties and a._data.dtype.kind in "fV":
            hit |= np.isnan(a._data) & np.isnan(o)
        weight = hit / hit.sum(axis=dims, keepdims=True)
        g = _expand_back(g, shape, dims, keepdim) * const(weight.astype(a._data.dtype))
        return g, None, None, None, None


class EvenlyRead(Amax):
    """max()/min()/median() of all elements: Amax's backward, and PyTorch's evenly_read_jvp
    for forward AD: the mean tangent of the elements equal to the result (a NaN result has
    none: NaN, though its gradient goes to the NaNs)."""

    @staticmethod
    def jvp(ctx, t, *_):
        a, out = ctx.saved_tensors
        dims, keepdim, _ = ctx.args
        o = out._data if keepdim else out._data.reshape(_kept_shape(a.shape, dims))
        hit = a._data == o
        weight = hit / hit.sum(axis=dims, keepdims=True)
        return (t * const(weight.astype(a._data.dtype))).sum(dims, keepdim)


class Prod(Op):
    """Gradient ``g * out / a`` without zeros; with zeros PyTorch's ``prod_safe_zeros_backward``
    (exclusive cumprods both ways, differentiable at zeros), but zeros for a product of all
    elements holding more than one zero (outside create_graph), as PyTorch's prod_backward."""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        axis = dim if a.ndim else None  # cupy takes no axis for a 0-d array
        out = np.prod(a, axis=axis, keepdims=keepdim, dtype=_BIG.get(a.dtype.kind))
        ctx.save_for_backward(a, out)
        ctx.args = (dim, keepdim)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        dim, keepdim = ctx.args
        if a.ndim == 0:  # PyTorch's prod_backward passes the gradient on (no graph of a)
            return g, None, None
        dims = tuple(range(a.ndim)) if dim is None else (dim,)
        g = _expand_back(g, a.shape, dims, keepdim)
        zero = a._data == 0
        if not zero.any():
            return g * _expand_back(out, a.shape, dims, keepdim) / a, None, None
        if (a._data.size if dim is None else a.shape[dim]) == 1:  # prod_safe_zeros_backward
            return g, None, None
        if dim is None and zero.sum() > 1 and not is_grad_enabled():
            return const(np.zeros_like(a._data)), None, None
        flat = dim is None
        others = _exclusive_products(a.reshape(-1) if flat else a, 0 if flat else dim)
        return g * others.reshape(a.shape), None, None


def _exclusive_products(a: Tensor, d: int) -> Tensor:
    """prod_{j != i} a_j along ``d``: the cumprods of the elements before and after i."""
    from .shape import cat  # noqa: PLC0415 (shape builds on this module)

    n = a.shape[d]
    ones = make_tensor(np.ones_like(a._data, shape=_kept_shape(a.shape, (d,))))
    before = cat([ones, a.narrow(d, 0, n - 1)], d).cumprod(d)
    after = cat([ones, a.narrow(d, 1, n - 1).flip(d)], d).cumprod(d).flip(d)
    return before * after


class Cumsum(Op):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        axis = dim if a.ndim else None  # cupy takes no axis 0 of a 0-d array
        if a.dtype == np.float32:  # PyTorch's CPU scan accumulates float32 in double
            out = np.cumsum(a, axis=axis, dtype=np.float64).astype(a.dtype)
        else:
            out = _accumulated(np.cumsum, a, axis=axis)
        return ascontiguous(out).reshape(a.shape)  # PyTorch's scans give contiguous results

    @staticmethod
    def backward(ctx, g):
        d = ctx.dim
        return g.flip(d).cumsum(d).flip(d), None


class Norm2(Op):
    """The 2-norm; its gradient is 0 (not NaN) where the norm is 0, as in PyTorch."""

    torch_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        x = a.astype(np.float32) if a.dtype in HALF_NP else a  # no float16 overflow
        out = np.sqrt(ascontiguous(np.sum(x * x, axis=dims, keepdims=keepdim)))
        out = out.astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        ctx.args = (dims, keepdim)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        dims, keepdim = ctx.args
        g = _expand_back(g, a.shape, dims, keepdim)
        norm = _expand_back(out, a.shape, dims, keepdim)
        # PyTorch's formula: its second derivative is NaN where the norm is 0
        zero = const(norm._data == 0)
        return g * where(zero, 0.0, a / norm), None, None


class Norm0(Op):
    """The count of non-zeros as a norm: in the graph without a gradient (PyTorch's
    norm_backward gives an undefined gradient for ord 0, so ``.grad`` stays None)."""

    torch_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        return (a != 0).sum(dims, keepdims=keepdim).astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        return None, None, None


class Norm1(Op):
    """The 1-norm, one node on the input as PyTorch's; gradient ``sign(a) * g``."""

    torch_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.save_for_backward(a)
        ctx.args = (dims, keepdim)
        return sum_array(np.abs(a), dims, keepdim)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        dims, keepdim = ctx.args
        return a.sign() * _expand_back(g, a.shape, dims, keepdim), None, None


class NormP(Op):
    """The p-norm for the other p (fractional, negative, > 2), with PyTorch's
    ``norm_backward``: zero elements (p < 1) and zero norms get a zero gradient, not NaN."""

    torch_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, dims, keepdim):
        x = np.abs(a.astype(np.float32) if a.dtype in HALF_NP else a)  # no float16 overflow
        out = np.power(np.sum(np.power(x, p), axis=dims, keepdims=keepdim), 1.0 / p)
        out = ascontiguous(out.astype(a.dtype, copy=False))
        ctx.save_for_backward(a, out)
        ctx.args = (p, dims, keepdim)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        p, dims, keepdim = ctx.args
        g = _expand_back(g, a.shape, dims, keepdim)
        norm = _expand_back(out, a.shape, dims, keepdim)
        if p < 1:
            scaled = a.sign() * where(const(a._data == 0), 0.0, a.abs() ** (p - 1))
            return scaled * g * norm ** (1 - p), None, None, None
        scaled = a.sign() * a.abs() ** (p - 1) if p < 2 else a * a.abs() ** (p - 2)
        scale = where(const(norm._data == 0), 0.0, g / norm ** (p - 1))
        return scaled * scale, None, None, None


# ---- functional forms ------------------------------------------------------------------------
def _not_a_tensor(op: str, input) -> TypeError:
    """PyTorch's TypeError for a reduction given no tensor (a numpy array, a list)."""
    from .index import not_a_tensor  # noqa: PLC0415  (index imports this module)

    return not_a_tensor(op, "input", 1, input)


def check_result_dtype(input: Tensor, dtype) -> None:
    """PyTorch's error for a differentiable op (sum, prod, cumsum...) asked by ``dtype=`` for
    an integer result of an input that requires grad."""
    if dtype.np.kind in "biu" and input.requires_grad and is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {scalar_type_name(dtype.np)}")


def sum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.sum``."""
    try:
        dims = normalize_dims(dim, input._data.ndim)
    except AttributeError:
        raise _not_a_tensor("sum", input) from None
    if dtype is None:
        out = Sum.apply(input, dims, keepdim)
    else:  # integers are summed in int64; a bool sum: any element nonzero
        check_result_dtype(input, dtype)
        out = Sum.apply(input, dims, keepdim, dtype.np)
    return out if dim is None else name_node(out, "SumBackward1")


def mean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.mean`` (floating point only, as in PyTorch)."""
    if not isinstance(input, Tensor):
        raise _not_a_tensor("mean", input)
    which, asked = ("Input", input._data.dtype) if dtype is None else ("Optional", dtype.np)
    if asked.kind not in "fV":
        raise RuntimeError(
            f"mean(): could not infer output dtype. {which} dtype must be either a floating "
            f"point or complex dtype. Got: {scalar_type_name(asked)}"
        )
    dims = normalize_dims(dim, input._data.ndim)
    if dtype is None:
        out = Mean.apply(input, dims, keepdim)
    else:
        out = Mean.apply(input, dims, keepdim, dtype.np)
    return out if dim is None else name_node(out, "MeanBackward1")


class Moments(Op):
    """var, or std when ``root`` (with ``with_mean`` the mean too: var_mean/std_mean) over
    ``dims``, ``correction`` subtracted from the count; one node on the input, as PyTorch's.
    float32 is computed in float64 (float16 in float32) and rounded once, as PyTorch's CPU
    kernels (Welford in double) do."""

    torch_name = "VarBackward0"

    @staticmethod
    def forward(ctx, a, dims, correction, keepdim, root, with_mean):
        full = dims is None  # dim=None: PyTorch's backward differs when dof <= 0
        # dim=(): all dims, but PyTorch's backward counts 1 element (2 / (1 - correction))
        counted = dims == ()
        dims = tuple(range(a.ndim)) if full or not dims else dims
        x = astype(a, _WIDE.get(a.dtype, a.dtype))
        mean = mean_blas(x, dims, True)
        centered = x - mean
        dof = math.prod(a.shape[d] for d in dims) - correction
        with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0 is nan, as in PyTorch
            out = sum_array(centered * centered, dims, keepdim) / builtins.max(dof, 0)
        if root:
            out = np.sqrt(out)
        out = astype(out, a.dtype)
        ctx.save_for_backward(a, out if root else None)  # var's backward needs no result
        ctx.args = (dims, keepdim, root, 1 - correction if counted else dof, full)
        if not with_mean:
            return out
        return out, astype(mean if keepdim else mean.reshape(out.shape), a.dtype)

    @staticmethod
    def backward(ctx, g, g_mean=None):
        a, out = ctx.saved_tensors
        dims, keepdim, root, dof, full = ctx.args
        if root:  # PyTorch's std_backward: 0 where std is 0 (a constant slice), not 0 / 0
            zero = out._data == 0
            g = g / (where(const(zero), 1.0, out) * 2.0) * const(~zero)
        mean = a.mean(dims, keepdim=True)
        centered = a - mean
        if full and dof <= 0:  # PyTorch's var_backward: inf, NaN where x == the mean
            at_mean = a._data == mean._data  # (not at NaN: inf there; NaN at an inf)
            grad = g * const(np.where(at_mean, np.nan, np.inf).astype(a._data.dtype))
        else:
            scale = 2.0 / dof if dof else math.inf
            grad = _expand_back(g, a.shape, dims, keepdim) * scale * centered
        if g_mean is not None:
            n = math.prod(a.shape[d] for d in dims)
            grad = grad + _expand_back(g_mean / n, a.shape, dims, keepdim)
        return grad, None, None, None, None, None


_WIDE = {np.dtype(np.float32): np.float64, HALF_NP[0]: np.float32, BF16_NP: np.float32}


def _moments(input: Tensor, dim, unbiased, keepdim: bool, correction, root: bool, name: str):
    """Moments.apply with PyTorch's argument handling: ``correction`` defaults to 1
    (Bessel's); ``unbiased`` is its older boolean form; ``x.var(False)`` the legacy overload."""
    if input._data.dtype.kind not in "fV":
        raise RuntimeError(f"{name} only support floating point and complex dtypes")
    if isinstance(dim, bool):  # x.var(False): the legacy (unbiased) overload
        dim, unbiased = None, dim
    op = name if name.endswith("_mean") else "std" if root else "var"
    if correction is None:
        correction = 1 if unbiased is None else int(unbiased)
    elif unbiased is not None:  # no overload takes both
        raise TypeError(
            f"{op}() received an invalid combination of arguments - got (correction="
            f"{type(correction).__name__}, unbiased={type(unbiased).__name__}, ), but expected "
            "one of: (Tensor input, tuple of ints dim, bool unbiased, bool keepdim), (Tensor "
            "input, tuple of ints dim, *, Number correction, bool keepdim)"
        )
    dims = normalize_dims(dim, input._data.ndim)
    n = math.prod(input._data.shape[d] for d in dims)
    if n - correction <= 0:
        warnings.warn(
            f"{op}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            stacklevel=3,
        )
    full = None if dim is None or not input._data.ndim else dims
    if isinstance(dim, (tuple, list)) and not dim and input._data.ndim:
        full = ()
    return Moments.apply(input, full, correction, keepdim, root, name.endswith("_mean"))


def var(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """Mirrors ``torch.var`` (``x.var(1, False, True)`` works too)."""
    out = _moments(input, dim, unbiased, keepdim, correction, False, "std and var")
    return name_node(out, "VarBackward0")


def std(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """Mirrors ``torch.std``."""
    out = _moments(input, dim, unbiased, keepdim, correction, True, "std and var")
    return name_node(out, "StdBackward0")


def var_mean(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """Mirrors ``torch.var_mean``."""
    out = _moments(input, dim, unbiased, keepdim, correction, False, "var_mean")
    return tuple(name_node(t, "VarMeanBackward0") for t in out)


def std_mean(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """Mirrors ``torch.std_mean``."""
    out = _moments(input, dim, unbiased, keepdim, correction, True, "std_mean")
    return tuple(name_node(t, "StdMeanBackward0") for t in out)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.amax``."""
    dims = normalize_dims(dim, input._data.ndim)
    _check_nonempty(input, "amax", dims, dim)
    return Amax.apply(input, dims, keepdim, True)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.amin``."""
    dims = normalize_dims(dim, input._data.ndim)
    _check_nonempty(input, "amin", dims, dim)
    return name_node(Amax.apply(input, dims, keepdim, False), "AminBackward0")


def _check_nonempty(input: Tensor, name: str, dims: tuple, dim) -> None:
    """Max-like reductions need something to reduce: PyTorch's errors for empty inputs."""
    shape = input._data.shape
    for d in dims:
        if shape[d] == 0:
            if dim is None or dim == ():
                error = IndexError if name.startswith("arg") else RuntimeError  # as PyTorch's
                raise error(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                    "Specify the reduction dim with the 'dim' argument."
                )
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


_values_indices = {}


def _named(name: str):
    if name not in _values_indices:
        _values_indices[name] = return_type(name)
    return _values_indices[name]


def _extreme(input: Tensor, dim, keepdim: bool, largest: bool, name: str):
    if dim is None and keepdim:  # the overload of the whole tensor takes no keepdim
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor, "
            "keepdim=bool), but expected one of: (Tensor input), (Tensor input, Tensor other), "
            "(Tensor input, int dim, bool keepdim)"
        )
    if dim is None:
        _check_nonempty(input, name, tuple(range(input._data.ndim)), None)
        out = EvenlyRead.apply(input, tuple(range(input._data.ndim)), False, largest, True)
        return name_node(out, "MaxBackward1" if largest else "MinBackward1")
    if isinstance(dim, Tensor):  # torch.max(a, b) is maximum
        from .elementwise import maximum, minimum  # noqa: PLC0415

        return maximum(input, dim) if largest else minimum(input, dim)
    d = wrap_dim(dim, input._data.ndim)
    _check_nonempty(input, name, (d,) if input._data.ndim else (), dim)
    x = input._data
    node = "MaxBackward0" if largest else "MinBackward0"
    if x.ndim == 0:  # a new tensor, under the op's node
        value = name_node(input.clone(), node, input)
        return _named(name)(value, make_tensor(np.zeros_like(x, np.int64, shape=())))
    idx = (np.argmax if largest else np.argmin)(x, axis=d, keepdims=True)
    idx = idx.astype(np.int64, copy=False)
    return _named(name)(*select_along(input, d, idx, keepdim, node))


class SelectAlong(Op):
    """The elements ``idx`` (keepdim-shaped indices) picks along ``dim``: the values of
    max/min/median/kthvalue/mode along a dim, one node on the input as PyTorch's; the
    gradient goes to the picked elements (PyTorch's value_selecting_reduction_backward)."""

    @staticmethod
    def forward(ctx, a, dim, indices, keepdim):
        ctx.args = (a.shape, dim, keepdim)
        ctx.save_for_backward(indices)  # the indices output: version-checked, as PyTorch's
        idx = indices if keepdim else np.expand_dims(indices, dim)
        out = np.take_along_axis(a, idx, axis=dim)
        return out if keepdim else out.squeeze(dim)

    @staticmethod
    def backward(ctx, g):
        shape, dim, keepdim = ctx.args
        (idx,) = ctx.saved_tensors
        if not keepdim:
            g, idx = g.unsqueeze(dim), idx.unsqueeze(dim)
        zeros = make_tensor(np.zeros_like(g._data, shape=shape))
        return zeros.scatter(dim, idx, g), None, None, None


def select_along(input: Tensor, dim: int, idx, keepdim: bool, name: str) -> tuple:
    """(values, indices) of a value-selecting reduction along ``dim`` from keepdim-shaped
    int64 indices ``idx``; the values' node is named ``name`` (``MaxBackward0``...)."""
    indices = make_tensor(idx if keepdim else idx.squeeze(dim))
    return name_node(SelectAlong.apply(input, dim, indices, keepdim), name), indices


def max(input: Tensor, dim=None, keepdim: bool = False, *, other=None):
    """Mirrors ``torch.max``: the maximum, or (values, indices) along ``dim``, or the
    elementwise maximum with ``other``."""
    return _extreme(input, dim if other is None else other, keepdim, True, "max")


def min(input: Tensor, dim=None, keepdim: bool = False, *, other=None):
    """Mirrors ``torch.min``."""
    return _extreme(input, dim if other is None else other, keepdim, False, "min")


def argmax(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.argmax``."""
    return _arg(np.argmax, input, dim, keepdim)


def argmin(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.argmin``."""
    return _arg(np.argmin, input, dim, keepdim)


def _arg(fn, input, dim, keepdim):
    x = input._data
    if x.dtype.kind == "b":
        raise RuntimeError(f"{fn.__name__}(): does not support bool input")
    if isinstance(dim, (list, tuple)):  # one dim or none
        raise TypeError(f"{fn.__name__}(): argument 'dim' must be int, not {type(dim).__name__}")
    dims = normalize_dims(dim, x.ndim)
    _check_nonempty(input, fn.__name__, dims, dim)
    if dim is None or not x.ndim:  # (cupy takes no axis for a 0-d array)
        out = fn(x.reshape(-1))
        if keepdim:
            out = np.reshape(out, (1,) * x.ndim)
    else:
        out = fn(x, axis=wrap_dim(dim, x.ndim), keepdims=keepdim)
    return make_tensor(out.astype(np.int64, copy=False))  # a 0-d array or numpy scalar


_ALL = object()  # prod's dim when none is given (dim=None is a TypeError, as in PyTorch)


def prod(input: Tensor, dim=_ALL, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mirrors ``torch.prod`` (of all elements, or along one ``dim``)."""
    if dim is None or (dim is _ALL and keepdim):
        got = "dim=NoneType" if dim is None else "keepdim=bool"
        raise TypeError(
            f"prod() received an invalid combination of arguments - got (Tensor, {got}), but "
            "expected one of: (Tensor input, *, torch.dtype dtype = None), (Tensor input, int "
            "dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)"
        )
    d = None if dim is _ALL else wrap_dim(dim, input._data.ndim)
    if dtype is not None:
        check_result_dtype(input, dtype)
        input = input.to(dtype)
    out = Prod.apply(input, d, keepdim)
    out = out if d is None else name_node(out, "ProdBackward1")
    return out if dtype is None else out.to(dtype)  # integers are multiplied in int64


class Logsumexp(Op):
    """log(sum(exp(a))) over ``dims``, stable: the max is subtracted first (0 where it is
    infinite, and for an empty input, whose sum's log is -inf)."""

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        m = a.dtype.type(0)
        if a.size:
            m = np.amax(a, axis=dims, keepdims=True)
            m = np.where(np.isinf(m), a.dtype.type(0), m)
        out = np.log(sum_array(np.exp(a - m), dims, True)) + m
        if not keepdim and dims:
            out = out.squeeze(dims)
        ctx.save_for_backward(a, out)
        ctx.args = (dims, keepdim)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        dims, keepdim = ctx.args
        g = _expand_back(g, a.shape, dims, keepdim)
        return g * (a - _expand_back(out, a.shape, dims, keepdim)).exp(), None, None


def logsumexp(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.logsumexp`` (integers and bools in the default float dtype)."""
    input = _floating(input)
    x = input._data
    if isinstance(dim, (tuple, list)) and not dim and not keepdim and x.ndim and x.size:
        ones = ", ".join("1" * x.ndim)  # PyTorch reduces all, then fails (not if empty)
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape [{ones}]")
    dims = normalize_dims(dim, input._data.ndim)
    return Logsumexp.apply(input, dims, keepdim)


def scan_input(input: Tensor, dtype, kernel: str) -> Tensor:
    """``input`` in cumsum/cumprod's ``dtype=``: PyTorch's kernels refuse to accumulate in bool
    (a 0-d or empty input never reaches them)."""
    if dtype is None:
        return input
    check_result_dtype(input, dtype)
    if dtype.np.kind == "b" and input._data.ndim and input._data.size:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    return input.to(dtype)


def cumsum(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Mirrors ``torch.cumsum``."""
    d = wrap_dim(dim, input._data.ndim)  # checked first, as PyTorch does
    out = Cumsum.apply(scan_input(input, dtype, "cumsum_out_cpu"), d)
    return out if dtype is None else out.to(dtype)  # integers are summed in int64


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """Mirrors ``torch.norm`` / ``Tensor.norm``: p = 2 ('fro'), 1, inf, -inf, 0 or any p > 0
    (``linalg.vector_norm``'s checks: a float input, ``dtype`` a float no narrower)."""
    have = input._data.dtype
    if have.kind not in "fV":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {scalar_type_name(have)}"
        )
    if dtype is not None:
        if dtype.np.kind not in "fV":
            raise RuntimeError(
                "linalg.vector_norm: dtype should be floating point or complex, but got "
                f"{scalar_type_name(dtype.np)}"
            )
        if dtype.np.itemsize < have.itemsize:
            raise RuntimeError(
                f"linalg.vector_norm: the dtype of the input ({scalar_type_name(have)}) should "
                f"be convertible without narrowing to the specified dtype "
                f"({scalar_type_name(dtype.np)})"
            )
        input = input.to(dtype)
    if p == "nuc":
        from ..linalg import matrix_norm  # noqa: PLC0415 (linalg is built on ops)

        every = tuple(range(input._data.ndim)) if input._data.ndim > 1 else (-2, -1)
        dim = (dim,) if isinstance(dim, int) else dim  # (PyTorch's 2-tuple error names it)
        return matrix_norm(input, "nuc", every if dim is None else dim, keepdim)
    if p == "fro" and isinstance(dim, (tuple, list)) and len(dim) > 2:
        got = " ".join(map(str, dim))
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
    dims = normalize_dims(dim, input._data.ndim)
    if p in ("fro", 2, 2.0, None):
        return Norm2.apply(input, dims, keepdim)
    if p in (float("inf"), "inf", float("-inf"), "-inf"):
        largest = p in (float("inf"), "inf")
        _check_inf_norm_nonempty(input._data.shape, dims, dim, "inf" if largest else "-inf")
        out = Amax.apply(input.abs(), dims, keepdim, largest, True)
    elif p == 0:
        return Norm0.apply(input, dims, keepdim)
    elif p == 1:
        return Norm1.apply(input, dims, keepdim)
    elif isinstance(p, str):
        raise ValueError(f"norm: unsupported p={p!r}")
    else:
        if p < 0:  # no identity either
            _check_inf_norm_nonempty(input._data.shape, dims, dim, f"{p:g}")
        return NormP.apply(input, float(p), dims, keepdim)
    return name_node(out, "LinalgVectorNormBackward0")


def _check_inf_norm_nonempty(shape: tuple, dims: tuple, dim, name: str) -> None:
    """The inf-norms have no identity: PyTorch's errors for empty inputs (its missing space
    included)."""
    if dim is None:
        empty = "an empty tensor because" if 0 in shape else None
    else:
        empty = next((f"the dimension {d}because this dimension is empty and" for d in dims
                      if shape[d] == 0), None)  # fmt: skip
    if empty:
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {name} norm on {empty} the operation does "
            "not have an identity"
        )


def _test(fn, input: Tensor, dim, keepdim: bool) -> Tensor:
    x = input._data
    if dim is None or isinstance(dim, (int, np.integer)) or len(dim):
        axis = None if dim is None else normalize_dims(dim, x.ndim)
    else:  # dim=() tests each element: PyTorch reduces nothing (sum's () is every dim)
        axis = ()
    out = fn(x, axis=axis, keepdims=keepdim)
    return make_tensor(out.astype(np.uint8) if x.dtype == np.uint8 else out)  # as PyTorch


def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.all`` (bool; uint8 for a uint8 input)."""
    return _test(np.all, input, dim, keepdim)


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Mirrors ``torch.any`` (bool; uint8 for a uint8 input)."""
    return _test(np.any, input, dim, keepdim)


def count_nonzero(input: Tensor, dim=None) -> Tensor:
    """Mirrors ``torch.count_nonzero``."""
    dims = None if dim is None else normalize_dims(dim, input._data.ndim)
    return make_tensor((input._data != 0).sum(axis=dims, dtype=np.int64))
