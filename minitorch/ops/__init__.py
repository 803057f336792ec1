"""Every differentiable primitive, grouped by kind, and the table that makes the ops that
PyTorch also offers as methods (``x.exp()``, ``x.sum(1)``, ``x + y``) methods of Tensor."""

from __future__ import annotations

import builtins
import functools
import inspect
import itertools
import re

import numpy as np

from .. import _dtypes, _legacy, factories
from .._tensor import Size, Tensor
from .._warn_once import warn_once
from ..amp.autocast_mode import cpu_float32_function, promote_function, without_autocast
from ..autograd import forward_ad, observers
from ..autograd.function import _edge, check_inplace_allowed, edges_at, name_node
from ..autograd.underivable import Underivable
from . import (
    convert,
    index_write,
    inplace,
    layout,
    misc,
    predicates,
    products,
    random_fill,
    special,
)
from .convert import to
from .counting import (
    bincount,
    bucketize,
    histc,
    histogram,
    histogramdd,
    isin,
    searchsorted,
    unique,
    unique_consecutive,
)
from .decomp import check_matrix as _check_matrix
from .decomp import cholesky_inverse, cholesky_solve, det, inverse, logdet, pinverse, slogdet, svd
from .elementwise import (
    OperandTypeError,
    _invalid_combination,
    _promote,
    abs,
    add,
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    ceil,
    clamp,
    clip,
    clone,
    cos,
    div,
    eq,
    exp,
    floor,
    gcd,
    ge,
    gt,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    isreal,
    lcm,
    le,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    maximum,
    minimum,
    mul,
    ne,
    neg,
    pow,
    reciprocal,
    refuse_bools,
    relu,
    require_tensors,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    sub,
    tanh,
    trunc,
    where,
    wrapped_number,
)
from .gamma import digamma, i0, igamma, igammac, lgamma, mvlgamma, polygamma
from .index import (
    argwhere,
    gather,
    getitem,
    index_add,
    index_select,
    masked_fill,
    masked_select,
    nonzero,
    nonzero_static,
    repeat_interleave,
    scatter_add,
)
from .index_write import (
    as_strided_scatter,
    diagonal_scatter,
    index_copy,
    index_fill,
    index_put,
    masked_scatter,
    put,
    scatter,
    scatter_reduce,
    select_scatter,
    slice_scatter,
    take,
    take_along_dim,
)
from .layout import (
    as_strided,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    block_diag,
    cartesian_prod,
    column_stack,
    cumulative_trapezoid,
    diag,
    diag_embed,
    diagonal,
    diff,
    dsplit,
    dstack,
    fliplr,
    flipud,
    gradient,
    hsplit,
    meshgrid,
    roll,
    rot90,
    tensor_split,
    trace,
    trapezoid,
    vsplit,
)
from .linalg import bmm, dot, matmul, mm, mv, outer
from .misc import (
    adjoint,
    asarray,
    conj,
    corrcoef,
    cov,
    deg2rad,
    float_power,
    frexp,
    heaviside,
    inner,
    ldexp,
    logaddexp2,
    msort,
    nextafter,
    positive,
    rad2deg,
    resolve_conj,
    resolve_neg,
    scalar_tensor,
    signbit,
    unravel_index,
    vander,
    vdot,
)
from .nn import log_softmax, softmax
from .predicates import (
    allclose,
    can_cast,
    equal,
    is_complex,
    is_floating_point,
    is_nonzero,
    is_tensor,
    isclose,
    numel,
    result_type,
)
from .products import (
    addbmm,
    addmm,
    addmv,
    baddbmm,
    cdist,
    cosine_similarity,
    cross,
    einsum,
    kron,
    pairwise_distance,
    pdist,
    tensordot,
)
from .random_fill import bernoulli, binomial, poisson
from .reduce import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    count_nonzero,
    cumsum,
    logsumexp,
    max,
    mean,
    min,
    norm,
    prod,
    std,
    std_mean,
    sum,
    var,
    var_mean,
)
from .reduce import wrap_dim as _wrap_dim
from .return_types import return_type as _return_type
from .scan import cummax, cummin, cumprod, logcumsumexp
from .shape import (
    broadcast_tensors,
    broadcast_to,
    cat,
    chunk,
    contiguous,
    expand,
    expand_as,
    flatten,
    flip,
    hstack,
    movedim,
    narrow,
    narrow_copy,
    pad,
    permute,
    repeat,
    reshape,
    select,
    split,
    squeeze,
    stack,
    t,
    tile,
    transpose,
    tril,
    triu,
    unbind,
    unflatten,
    unsafe_chunk,
    unsafe_split,
    unsqueeze,
    view,
    vstack,
)
from .sort import argsort, kthvalue, mode, sort, topk
from .special import (
    acos,
    acosh,
    addcdiv,
    addcmul,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    clamp_max,
    clamp_min,
    copysign,
    cosh,
    erf,
    erfc,
    erfinv,
    exp2,
    expm1,
    fmax,
    fmin,
    fmod,
    frac,
    hypot,
    lerp,
    log2,
    log10,
    logaddexp,
    logit,
    nan_to_num,
    sinc,
    sinh,
    tan,
    xlogy,
)
from .stats import aminmax, median, nanmean, nanmedian, nanquantile, nansum, quantile

# PyTorch's autocast "promote" list, on the public functions (the ops' own calls run as is)
cat = concat = concatenate = promote_function(cat)
stack = promote_function(stack)
index_copy = promote_function(index_copy)


def _numpy_names(fn):
    """PyTorch's argument parser also takes numpy's names: ``axis`` for ``dim`` and
    ``keepdims`` for ``keepdim`` (``x.sum(axis=0, keepdims=True)``)."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if "axis" in kwargs:
            kwargs["dim"] = kwargs.pop("axis")
        if "keepdims" in kwargs:
            kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)

    return op


for _name in (
    "sum mean std var max min amax amin argmax argmin prod logsumexp all any count_nonzero "
    "cumsum cumprod nansum nanmean median nanmedian var_mean std_mean aminmax sort argsort "
    "topk kthvalue mode quantile nanquantile cat concat concatenate stack squeeze unsqueeze "
    "softmax log_softmax logcumsumexp cummax cummin diff chunk unbind repeat_interleave "
    "take_along_dim tensor_split"
).split():
    globals()[_name] = _numpy_names(globals()[_name])

subtract, multiply, divide, true_divide, negative, absolute = sub, mul, div, div, neg, abs
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
fix = trunc


def sgn(input: Tensor) -> Tensor:
    """Mirrors ``torch.sgn``: ``sign`` of real tensors (PyTorch's node SgnBackward0)."""
    return name_node(sign(input), "SgnBackward0", input)


row_stack, ger = vstack, outer
trapz = trapezoid
moveaxis = movedim


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """Mirrors ``torch.swapaxes`` (``transpose`` with numpy's argument names)."""
    return transpose(input, axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Mirrors ``torch.swapdims``."""
    return transpose(input, dim0, dim1)


def square(input: Tensor) -> Tensor:
    """Mirrors ``torch.square`` (of a bool tensor: int64, as PyTorch)."""
    if input._data.dtype == np.bool_:
        input = input.long()
    return pow(input, 2)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """Mirrors ``torch.addr``: ``beta * input + alpha * outer(vec1, vec2)`` (``input``
    ignored, NaNs included, when beta is 0)."""
    for name, vec in (("vec1", vec1), ("vec2", vec2)):
        if vec._data.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {vec._data.ndim}-D")
    return products._scaled_sum("addr", input, vec1, vec2, beta, alpha)


def chain_matmul(*matrices) -> Tensor:
    """Mirrors the deprecated ``torch.chain_matmul``: ``linalg.multi_dot`` of 2-D matrices
    (a copy of a single one)."""
    warn_once(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than "
        "multiple parameters."
    )
    from ..linalg import multi_dot  # noqa: PLC0415 (linalg is built on ops)

    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m._data.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m._data.ndim}, expected 2 instead.")
    return matrices[0].clone() if len(matrices) == 1 else multi_dot(matrices)


def matrix_power(input: Tensor, n: int) -> Tensor:
    """Mirrors ``torch.matrix_power`` (``torch.linalg.matrix_power``)."""
    from ..linalg import matrix_power as power  # noqa: PLC0415 (linalg is built on ops)

    return power(input, n)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """Mirrors the deprecated ``torch.cholesky``: ``torch.linalg.cholesky``."""
    from ..linalg import cholesky as factor  # noqa: PLC0415 (linalg is built on ops)

    warn_once(
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a "
        "future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = "
        "torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be replaced "
        "with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce equivalent results "
        "for all valid (symmetric positive definite) inputs."
    )
    if input._data.dtype.kind in "biu":  # PyTorch's kernel's error, not linalg.cholesky's
        _check_matrix("cholesky", input)
    from ..linalg import LinAlgError  # noqa: PLC0415 (linalg is built on ops)

    try:  # (upper: A's upper triangle is read, as LAPACK's)
        lower = name_node(factor(input.mT if upper else input), "CholeskyBackward0")
    except LinAlgError as e:  # PyTorch's message names cholesky
        raise LinAlgError(str(e).replace("linalg.cholesky", "cholesky", 1)) from None
    return name_node(lower.mT, "CholeskyBackward0") if upper else lower


_triangular_solve_result = _return_type("triangular_solve", ("solution", "cloned_coefficient"))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def triangular_solve(
    input: Tensor,
    A: Tensor,
    upper: bool = True,
    transpose: bool = False,
    unitriangular: bool = False,
):
    """Mirrors the deprecated ``torch.triangular_solve``: (X, a copy of A) with A X = b for
    b = ``input`` (A^T X = b when ``transpose``), reading A's upper triangle by default."""
    from ..linalg import solve_triangular  # noqa: PLC0415 (linalg is built on ops)

    warn_once(
        "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will "
        "be removed in a future PyTorch release.\ntorch.linalg.solve_triangular has its "
        "arguments reversed and does not return a copy of one of the inputs.\nX = "
        "torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
        "torch.linalg.solve_triangular(A, B)."
    )
    if input._data.ndim < 2:
        raise RuntimeError(
            "torch.triangular_solve: Expected b to have at least 2 dimensions, but it has "
            f"{input._data.ndim} dimensions instead"
        )
    if input._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type "
            f"{_dtypes.scalar_type_name(input._data.dtype)} and A of type "
            f"{_dtypes.scalar_type_name(A._data.dtype)} instead."
        )
    coefficient = A.mT if transpose else A
    x = solve_triangular(coefficient, input, upper=upper != transpose, unitriangular=unitriangular)
    node = "TriangularSolveBackward0"  # PyTorch's one node of both outputs
    copy = A.expand(*x._data.shape[:-2], *A._data.shape[-2:]).clone()  # A, batch-broadcast
    return _triangular_solve_result(name_node(x, node), name_node(copy, node, A))


_qr_result = _return_type("qr", ("Q", "R"))


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def qr(input: Tensor, some: bool = True):
    """Mirrors the deprecated ``torch.qr``: ``torch.linalg.qr`` in mode 'reduced'
    ('complete' when ``some=False``)."""
    from ..linalg import qr as factor  # noqa: PLC0415 (linalg is built on ops)

    warn_once(
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future "
        "PyTorch release.\nThe boolean parameter 'some' has been replaced with a string "
        "parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\nQ, R = "
        "torch.linalg.qr(A, 'reduced' if some else 'complete')"
    )
    return _qr_result(*factor(input, "reduced" if some else "complete"))


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False):
    """Mirrors the deprecated ``torch.lu``: (LU, pivots) of ``torch.linalg.lu_factor``,
    with the infos of ``lu_factor_ex`` as a third element when ``get_infos``."""
    from .._linalg_lu import lu_factor_ex  # noqa: PLC0415 (linalg is built on ops)

    warn_once(
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex "
        "and will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, "
        "compute_pivots)\nshould be replaced with\nLU, pivots = torch.linalg.lu_factor(A, "
        "compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)"
        "\nshould be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, "
        "compute_pivots)"
    )
    LU, pivots, infos = lu_factor_ex(A, pivot=pivot)  # (PyTorch's never checks the infos)
    return (LU, pivots, infos) if get_infos else (LU, pivots)


@cpu_float32_function  # on PyTorch's CPU autocast float32 list
def lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """Mirrors the deprecated ``torch.lu_solve``: ``torch.linalg.lu_solve`` with the
    right-hand side first."""
    from .._linalg_lu import lu_solve as solve  # noqa: PLC0415 (linalg is built on ops)

    warn_once(
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a "
        "future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed."
        "\nX = torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = "
        "torch.linalg.lu_solve(LU, pivots, B)"
    )
    return solve(LU_data, LU_pivots, b)


def matrix_exp(input: Tensor) -> Tensor:
    """Mirrors ``torch.matrix_exp`` (``torch.linalg.matrix_exp``)."""
    from ..linalg import matrix_exp as exp  # noqa: PLC0415 (linalg is built on ops)

    return exp(input)


def rsub(input, other, *, alpha=1) -> Tensor:
    """Mirrors ``torch.rsub``: ``other - alpha * input`` (PyTorch's node: RsubBackward0 with
    edges input, other; RsubBackward1 for a number ``other``)."""
    if not isinstance(input, Tensor):  # no overload takes a number first
        raise _invalid_combination("rsub", input, other)
    out = sub(other, input, alpha=alpha)
    node = out.grad_fn
    if node is None:
        return out
    if isinstance(other, Tensor):
        node._torch_edges = _RSUB_EDGES  # the node computes sub(other, input)
        return name_node(out, "RsubBackward0")
    return name_node(out, "RsubBackward1")


_RSUB_EDGES = edges_at(1, 0).__func__


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """Mirrors ``torch.diagflat``: the square matrix with the flattened input on diagonal
    ``offset``."""
    return diag_embed(input.reshape(-1), offset)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Mirrors ``torch.combinations``: the length-``r`` combinations of a 1-D tensor's
    elements, one per row (as ``itertools.combinations``)."""
    if input._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    if r == 0:  # PyTorch gives a new empty vector (no graph), not one empty combination
        return input.new_empty(0)
    idx = np.array(list(pick(range(input._data.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return stack([input[idx[:, k]] for k in range(r)], 1)  # PyTorch's node: StackBackward0


def ravel(input: Tensor) -> Tensor:
    """Mirrors ``torch.ravel``: ``contiguous().view(-1)``, so always a view (of a contiguous
    copy when ``input`` is not contiguous), as PyTorch's."""
    return input.contiguous().view(-1)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """Mirrors ``torch.dist``: the p-norm of ``input - other`` (broadcast)."""
    require_tensors("dist", input, other)
    diff = sub(input, other)
    if diff._data.dtype.kind not in "fV":
        raise RuntimeError(
            "norm(): input dtype should be either floating point or complex. Got "
            f"{_dtypes.scalar_type_name(diff._data.dtype)} instead."
        )
    return _one_node(diff.norm(p), "DistBackward0", input, other)


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """Mirrors ``torch.renorm``: each slice along ``dim`` whose p-norm exceeds ``maxnorm``
    scaled to norm ``maxnorm`` (by ``maxnorm / (norm + 1e-7)``, as PyTorch)."""
    if input._data.ndim < 2:
        raise RuntimeError(
            f"renorm: input needs at least 2 dimensions, got {input._data.ndim} dimensions"
        )
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    d = _wrap_dim(dim, input._data.ndim)
    others = [i for i in range(input._data.ndim) if i != d]
    # the slices left as they are take no part in the scaled ones' graph (a NaN norm's
    # gradient, or a zero norm's second one, would show), as PyTorch's renorm_backward gives
    # them the gradient as it is
    norms = input.detach().norm(p, others, keepdim=True)
    over = norms > maxnorm  # (zero norms kept: PyTorch's second derivative is NaN there)
    factor = maxnorm / (where(over | (norms == 0), input, 1.0).norm(p, others, keepdim=True) + 1e-7)  # fmt: skip
    return _one_node(where(over, input * factor, input), "RenormBackward0", input)


def _one_node(out: Tensor, name: str, *inputs: Tensor) -> Tensor:
    """Shows ``out``'s node as PyTorch's one node ``name`` on ``inputs`` (its name, and the
    edges to ``inputs`` as its next_functions) for an op computed here from several."""
    node = out.grad_fn
    if node is not None:
        edges = tuple(_edge(t) for t in inputs)
        node.torch_name = name
        node._torch_edges = lambda _: edges
    return out


def broadcast_shapes(*shapes) -> Size:
    """Mirrors ``torch.broadcast_shapes``: the shape the given shapes broadcast to (checked
    shape by shape, right to left, with PyTorch's messages)."""
    shapes = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    for s in shapes:
        if not isinstance(s, (tuple, list)):
            raise RuntimeError(
                f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {s}"
            )
    common = [1] * builtins.max(map(len, shapes), default=0)
    for arg, s in enumerate(shapes):
        for i in range(-1, -1 - len(s), -1):
            if s[i] == common[i] or s[i] == 1:
                continue
            if common[i] != 1:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {s[i]} at {i}! Mismatching "
                    f"argument at index {arg} had {s}; but expected shape should be "
                    f"broadcastable to {common}"
                )
            if s[i] < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
            common[i] = s[i]
    return Size(common)


def floor_divide(input, other) -> Tensor:
    """Mirrors ``torch.floor_divide`` (no derivative: PyTorch's NotImplemented node)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = wrapped_number("floor_divide", input)
    out = div(input, other, rounding_mode="floor")
    tensors = [t for t in (input, other) if isinstance(t, Tensor)]
    return Underivable.apply(tensors[0], "floor_divide", lambda *_: out._data, *tensors[1:])


def remainder(input, other) -> Tensor:
    """Mirrors ``torch.remainder``: the sign follows the divisor (gradient 1 w.r.t. input)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise _invalid_combination("remainder", input, other)
    refuse_bools("remainder_cpu", input, other)
    a, b = _promote(input, other, False)  # bool % int runs in int64, True % x as 1 % x
    a, b = (int(x) if type(x) is bool else x for x in (a, b))
    return special.remainder_of(a, b)


def _operator(fn, reflected: bool = False):
    """``fn`` as a binary operator method: an operand it does not take gives NotImplemented,
    so Python's fallbacks apply (``t == None`` is False, ``t + [1]`` a TypeError)."""

    def method(self, other):
        if reflected and isinstance(other, np.generic):
            # PyTorch reads a numpy scalar on the left as a Python number (np.bool_ a float)
            other = int(other) if isinstance(other, np.integer) else float(other)
        try:
            return fn(other, self) if reflected else fn(self, other)
        except OperandTypeError:
            return NotImplemented

    return method


def _reflected(fn):
    return _operator(fn, reflected=True)


def _eq_operator(self, other):
    # PyTorch's ``==`` (only it among the operators) takes a numpy array as a tensor
    try:
        return eq(self, other)
    except OperandTypeError:
        if isinstance(other, np.ndarray):
            return eq(self, factories.as_tensor(other, device=self.device))
        return NotImplemented


def _polygamma_method(self, n):  # x.polygamma(n) is torch.polygamma(n, x)
    return polygamma(n, self)


def _tensor_where(self, condition, other):
    return where(condition, self, other)


def _type_as(self, other: Tensor) -> Tensor:
    return self.to(other.dtype)


def _cast(dtype_name: str):
    def method(self, memory_format=None):
        from .. import _dtypes  # noqa: PLC0415

        if memory_format is None:
            return self.to(getattr(_dtypes, dtype_name))
        return self.to(getattr(_dtypes, dtype_name), memory_format=memory_format)

    return method


def _view_as(self, other):
    return view(self, other._data.shape)


def _reshape_as(self, other):
    return reshape(self, other._data.shape)


def _invert(self: Tensor) -> Tensor:
    """``~x``: ``bitwise_not`` of an integer or bool tensor (PyTorch's TypeError for floats)."""
    if self._data.dtype.kind not in "biu":
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )
    return bitwise_not(self)


def _delitem(self, index):
    """``del t[i]``: PyTorch's TypeError (a tensor's items cannot be deleted)."""
    raise TypeError("Tensor does not support deleting items")


def _inplace_transpose(name, node):
    """The in-place form of a view op; ``node`` names its grad_fn (PyTorch's in-place
    variant, e.g. ``TBackward1``), a function of whether a dim was given."""

    def method(self, *args, **kwargs):
        check_inplace_allowed(self)
        inplace._check_writable(self)  # a view made under no_grad, an inference tensor
        try:
            out = name_node(globals()[name](self, *args, **kwargs), node(args or kwargs), self)
        except RuntimeError as e:  # PyTorch's message names the in-place op: "t_() expects"
            raise RuntimeError(str(e).replace(f"{name}()", f"{name}_()", 1)) from None
        self._data = out._data
        fn, nr = out.grad_fn, out._output_nr  # the tensor now is the transposed one: so is
        if fn is not None and self._base is None:  # its history (first for a base: its
            self.grad_fn, self._output_nr = fn, nr  # views re-derive from it)
        inplace.bump_version(self)  # PyTorch counts a change of shape as a change
        if fn is not None:  # (a view keeps its own new node)
            self.grad_fn, self._output_nr = fn, nr
        if observers.forward_ad is not None:  # ... and its tangent
            forward_ad.transfer(out, self)
        return self

    return method


METHODS = {
    # arithmetic and math
    "add": add,
    "sub": sub,
    "subtract": sub,
    "mul": mul,
    "multiply": mul,
    "div": div,
    "divide": div,
    "true_divide": div,
    "pow": pow,
    "neg": neg,
    "negative": neg,
    "exp": exp,
    "log": log,
    "log1p": log1p,
    "sqrt": sqrt,
    "rsqrt": rsqrt,
    "abs": abs,
    "absolute": abs,
    "sign": sign,
    "sgn": sgn,
    "signbit": signbit,
    "nextafter": nextafter,
    "positive": positive,
    "conj": conj,
    "resolve_conj": resolve_conj,
    "resolve_neg": resolve_neg,
    "is_conj": lambda self: False,
    "is_neg": lambda self: False,
    "is_signed": lambda self: self.dtype.is_signed,
    "is_same_size": lambda self, other: self._data.shape == other._data.shape,
    "adjoint": adjoint,
    "heaviside": heaviside,
    "deg2rad": deg2rad,
    "rad2deg": rad2deg,
    "float_power": float_power,
    "logaddexp2": logaddexp2,
    "inner": inner,
    "vdot": vdot,
    "msort": msort,
    "cov": cov,
    "corrcoef": corrcoef,
    "greater": gt,
    "greater_equal": ge,
    "less": lt,
    "less_equal": le,
    "not_equal": ne,
    "fix": trunc,
    "sin": sin,
    "cos": cos,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "clamp": clamp,
    "clip": clip,
    "maximum": maximum,
    "minimum": minimum,
    "reciprocal": reciprocal,
    "square": square,
    "where": _tensor_where,
    "floor_divide": floor_divide,
    "remainder": remainder,
    # no-gradient elementwise
    "eq": eq,
    "ne": ne,
    "lt": lt,
    "le": le,
    "gt": gt,
    "ge": ge,
    "isnan": isnan,
    "isinf": isinf,
    "isfinite": isfinite,
    "isposinf": isposinf,
    "isneginf": isneginf,
    "isreal": isreal,
    "bitwise_and": bitwise_and,
    "bitwise_or": bitwise_or,
    "bitwise_xor": bitwise_xor,
    "bitwise_not": bitwise_not,
    "bitwise_left_shift": bitwise_left_shift,
    "bitwise_right_shift": bitwise_right_shift,
    "gcd": gcd,
    "lcm": lcm,
    "fmax": fmax,
    "fmin": fmin,
    "copysign": copysign,
    "logical_and": logical_and,
    "logical_or": logical_or,
    "logical_xor": logical_xor,
    "logical_not": logical_not,
    "floor": floor,
    "ceil": ceil,
    "round": round,
    "trunc": trunc,
    # reductions
    "sum": sum,
    "mean": mean,
    "var": var,
    "std": std,
    "max": max,
    "min": min,
    "amax": amax,
    "amin": amin,
    "argmax": argmax,
    "argmin": argmin,
    "prod": prod,
    "logsumexp": logsumexp,
    "cumsum": cumsum,
    "norm": norm,
    "dist": dist,
    "renorm": renorm,
    "all": all,
    "any": any,
    "count_nonzero": count_nonzero,
    "sort": sort,
    "argsort": argsort,
    "topk": topk,
    "kthvalue": kthvalue,
    "mode": mode,
    # linear algebra and nn
    "matmul": matmul,
    "mm": mm,
    "bmm": bmm,
    "mv": mv,
    "dot": dot,
    "outer": outer,
    "softmax": softmax,
    "log_softmax": log_softmax,
    # shape
    "reshape": reshape,
    "view": view,
    "flatten": flatten,
    "unflatten": unflatten,
    "squeeze": squeeze,
    "unsqueeze": unsqueeze,
    "transpose": transpose,
    "swapaxes": swapaxes,
    "swapdims": swapdims,
    "tile": tile,
    "permute": permute,
    "t": t,
    "expand": expand,
    "expand_as": expand_as,
    "broadcast_to": broadcast_to,
    "repeat": repeat,
    "contiguous": contiguous,
    "flip": flip,
    "narrow": narrow,
    "split": split,
    "split_with_sizes": split,
    "chunk": chunk,
    "unbind": unbind,
    "select": select,
    "tril": tril,
    "triu": triu,
    "movedim": movedim,
    "moveaxis": movedim,
    "ravel": ravel,
    "repeat_interleave": repeat_interleave,
    "argwhere": argwhere,
    "nonzero_static": nonzero_static,
    "view_as": _view_as,
    "reshape_as": _reshape_as,
    # indexing
    "gather": gather,
    "scatter_add": scatter_add,
    "index_select": index_select,
    "index_add": index_add,
    "masked_fill": masked_fill,
    "masked_select": masked_select,
    "nonzero": nonzero,
    "__getitem__": getitem,
    "__setitem__": inplace.setitem,
    "__delitem__": _delitem,
    # conversion
    "clone": clone,
    "to": to,
    "type_as": _type_as,
    "float": _cast("float32"),
    "double": _cast("float64"),
    "half": _cast("float16"),
    "bfloat16": _cast("bfloat16"),
    "long": _cast("int64"),
    "int": _cast("int32"),
    "bool": _cast("bool_"),
    "byte": _cast("uint8"),
    "short": _cast("int16"),
    "char": _cast("int8"),
    "cpu": convert.cpu,
    "pin_memory": convert.pin_memory,
    "is_pinned": convert.is_pinned,
    "new_zeros": factories.new_zeros,
    "new_ones": factories.new_ones,
    "new_empty": factories.new_empty,
    "new_full": factories.new_full,
    "new_tensor": factories.new_tensor,
    "new": _legacy.new,
    "solve": _legacy.solve,
    "symeig": _legacy.symeig,
    "eig": _legacy.eig,
    "lstsq": _legacy.lstsq,
    "cuda": convert.cuda,
    # in place
    "add_": inplace.add_,
    "sub_": inplace.sub_,
    "mul_": inplace.mul_,
    "div_": inplace.div_,
    "pow_": inplace.pow_,
    "clamp_": inplace.clamp_,
    "clip_": inplace._method(clip, None, "clip"),
    "neg_": inplace.neg_,
    "exp_": inplace.exp_,
    "log_": inplace.log_,
    "sqrt_": inplace.sqrt_,
    "abs_": inplace.abs_,
    "relu_": inplace.relu_,
    "sigmoid_": inplace.sigmoid_,
    "tanh_": inplace.tanh_,
    "sin_": inplace.sin_,
    "cos_": inplace.cos_,
    "reciprocal_": inplace.reciprocal_,
    "zero_": inplace.zero_,
    "fill_": inplace.fill_,
    "copy_": inplace.copy_,
    "resize_": inplace.resize_,
    "resize_as_": inplace.resize_as_,
    "masked_fill_": inplace.masked_fill_,
    "t_": _inplace_transpose("t", lambda dim: "TBackward1"),
    "transpose_": _inplace_transpose("transpose", lambda dim: "TransposeBackward1"),
    "swapaxes_": _inplace_transpose("swapaxes", lambda dim: "TransposeBackward1"),
    "swapdims_": _inplace_transpose("swapdims", lambda dim: "TransposeBackward1"),
    "unsqueeze_": _inplace_transpose("unsqueeze", lambda dim: "UnsqueezeBackward1"),
    "squeeze_": _inplace_transpose(
        "squeeze", lambda dim: "SqueezeBackward4" if dim else "SqueezeBackward3"
    ),
    # the in-place form of more ops: `x.floor_()` writes `x.floor()` into x
    **{
        name + "_": inplace._method(globals()[name], None, name)
        for name in (
            "floor ceil round trunc sign frac log1p expm1 log2 log10 rsqrt erf erfinv tan sinh "
            "cosh asin acos atan atan2 fmod remainder hypot logit xlogy floor_divide tril triu "
            "cumsum index_add scatter_add logical_not logical_and logical_or logical_xor eq ne "
            "lt le gt ge subtract multiply divide true_divide negative absolute addmv "
            "bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift "
            "bitwise_right_shift gcd lcm cumprod fix sgn exp2 erfc sinc copysign deg2rad rad2deg "
            "heaviside renorm greater greater_equal less less_equal not_equal asinh acosh atanh "
            "arcsin arccos arctan arcsinh arccosh arctanh addr"
        ).split()
    },
    "arctan2_": inplace._method(special.arctan2, None, "arctan2"),
    "narrow_copy": narrow_copy,
    "put": put,
    "put_": index_write.put_,
    "addbmm": addbmm,
    # in-place ops are on no autocast list: these run on their operands as they come
    **{
        name + "_": inplace._method(without_autocast(inspect.unwrap(globals()[name])), None, name)
        for name in ("addmm", "baddbmm", "addbmm")
    },
    "frexp": frexp,
    "ldexp": ldexp,
    "ldexp_": misc.ldexp_,
    "nextafter_": inplace._method(nextafter, None, "nextafter"),
    "float_power_": misc.float_power_,
    "apply_": inplace.apply_,
    "map_": inplace.map_,
    "unsafe_chunk": unsafe_chunk,
    "unsafe_split": unsafe_split,
    "select_scatter": select_scatter,
    "slice_scatter": slice_scatter,
    "diagonal_scatter": diagonal_scatter,
    "as_strided_scatter": as_strided_scatter,
    # an operand they do not take gives NotImplemented, as the other operators
    "__iand__": _operator(inplace._method(bitwise_and, None, "bitwise_and")),
    "__ior__": _operator(inplace._method(bitwise_or, None, "bitwise_or")),
    "__ixor__": _operator(inplace._method(bitwise_xor, None, "bitwise_xor")),
    "__ilshift__": _operator(inplace._method(bitwise_left_shift, None, "bitwise_left_shift")),
    "__irshift__": _operator(inplace._method(bitwise_right_shift, None, "bitwise_right_shift")),
    # random fills
    "uniform_": random_fill.uniform_,
    "normal_": random_fill.normal_,
    "bernoulli_": random_fill.bernoulli_,
    "exponential_": random_fill.exponential_,
    "random_": random_fill.random_,
    "log_normal_": random_fill.log_normal_,
    "cauchy_": random_fill.cauchy_,
    "geometric_": random_fill.geometric_,
    "bernoulli": bernoulli,
    "multinomial": factories.multinomial,
    # the wider surface: special functions, products, layout, statistics, scatter, linalg
    **{
        name: getattr(special, name)
        for name in (
            "erf erfc erfinv asin acos atan sinh cosh asinh acosh atanh arcsin arccos arctan "
            "arcsinh arccosh arctanh tan log2 log10 exp2 expm1 sinc hypot frac fmod logaddexp "
            "logit xlogy nan_to_num clamp_min clamp_max lerp addcmul addcdiv square_ lerp_ "
            "addcmul_ addcdiv_ clamp_min_ clamp_max_ nan_to_num_"
        ).split()
    },
    "atan2": atan2,
    "arctan2": special.arctan2,
    "lgamma": lgamma,
    "digamma": digamma,
    "polygamma": _polygamma_method,
    "i0": i0,
    "mvlgamma": mvlgamma,
    "igamma": igamma,
    "igammac": igammac,
    "lgamma_": inplace._method(lgamma, None, "lgamma"),
    "digamma_": inplace._method(digamma, None, "digamma"),
    "polygamma_": inplace._method(_polygamma_method, None, "polygamma"),
    "i0_": inplace._method(i0, None, "i0"),
    "mvlgamma_": inplace._method(mvlgamma, None, "mvlgamma"),
    "igamma_": inplace._method(igamma, None, "igamma"),
    "igammac_": inplace._method(igammac, None, "igammac"),
    "isclose": isclose,
    "allclose": allclose,
    "equal": equal,
    "is_complex": is_complex,
    "is_nonzero": is_nonzero,
    "fill_diagonal_": index_write.fill_diagonal_,
    "addmm": addmm,
    "addmv": addmv,
    "baddbmm": baddbmm,
    "cross": cross,
    "ger": outer,
    "addr": addr,
    "matrix_power": matrix_power,
    "matrix_exp": matrix_exp,
    "diagflat": diagflat,
    "kron": kron,
    "diag": diag,
    "diagonal": diagonal,
    "diag_embed": diag_embed,
    "trace": trace,
    "roll": roll,
    "rot90": rot90,
    "fliplr": fliplr,
    "flipud": flipud,
    "diff": diff,
    "tensor_split": tensor_split,
    "hsplit": hsplit,
    "vsplit": vsplit,
    "dsplit": dsplit,
    "unfold": layout.unfold,
    "as_strided": layout.as_strided,
    "sum_to_size": layout.sum_to_size,
    "storage_offset": layout.storage_offset,
    "type": predicates.legacy_type,
    "cumprod": cumprod,
    "cummax": cummax,
    "cummin": cummin,
    "logcumsumexp": logcumsumexp,
    "median": median,
    "nanmedian": nanmedian,
    "quantile": quantile,
    "nanquantile": nanquantile,
    "nansum": nansum,
    "nanmean": nanmean,
    "aminmax": aminmax,
    "unique": unique,
    "unique_consecutive": unique_consecutive,
    "histogram": histogram,
    "bincount": bincount,
    "histc": histc,
    "scatter": scatter,
    "scatter_": index_write.scatter_,
    "scatter_reduce": scatter_reduce,
    "scatter_reduce_": index_write.scatter_reduce_,
    "index_put": index_put,
    "index_put_": index_write.index_put_,
    "index_fill": index_fill,
    "index_fill_": index_write.index_fill_,
    "index_copy": index_copy,
    "index_copy_": index_write.index_copy_,
    "masked_scatter": masked_scatter,
    "masked_scatter_": index_write.masked_scatter_,
    "take": take,
    "take_along_dim": take_along_dim,
    "det": det,
    "inverse": inverse,
    "logdet": logdet,
    "slogdet": slogdet,
    "pinverse": pinverse,
    "cholesky_solve": cholesky_solve,
    "cholesky_inverse": cholesky_inverse,
    "svd": svd,
    "qr": qr,
    "lu": lu,
    "lu_solve": lu_solve,
    "cholesky": cholesky,
    "triangular_solve": triangular_solve,
    # operators
    "__add__": _operator(add),
    "__radd__": _reflected(add),
    "__iadd__": _operator(inplace.add_),
    "__sub__": _operator(sub),
    "__rsub__": _operator(lambda other, self: rsub(self, other), True),
    "__isub__": _operator(inplace.sub_),
    "__mul__": _operator(mul),
    "__rmul__": _reflected(mul),
    "__imul__": _operator(inplace.mul_),
    "__truediv__": _operator(div),
    # PyTorch's __rtruediv__: self.reciprocal() * other, rounded twice
    "__rtruediv__": _operator(lambda other, self: mul(reciprocal(self), other), True),
    "__itruediv__": _operator(inplace.div_),
    "__pow__": _operator(pow),
    "__rpow__": _reflected(pow),
    "__ipow__": _operator(inplace.pow_),
    "__matmul__": _operator(matmul),
    "__rmatmul__": _reflected(matmul),
    "__floordiv__": _operator(floor_divide),
    "__ifloordiv__": _operator(inplace._method(floor_divide, None, "floor_divide")),
    "__rfloordiv__": _reflected(floor_divide),
    "__mod__": _operator(remainder),
    "__imod__": _operator(inplace._method(remainder, None, "remainder")),
    "__rmod__": _reflected(remainder),
    "__neg__": neg,
    "__abs__": abs,
    "__pos__": positive,
    "__eq__": _eq_operator,
    "__ne__": _operator(ne),
    "__lt__": _operator(lt),
    "__le__": _operator(le),
    "__gt__": _operator(gt),
    "__ge__": _operator(ge),
    "__and__": _operator(bitwise_and),
    "__or__": _operator(bitwise_or),
    "__xor__": _operator(bitwise_xor),
    "__rand__": _reflected(bitwise_and),
    "__ror__": _reflected(bitwise_or),
    "__invert__": _invert,
    "__lshift__": _operator(bitwise_left_shift),
    "__rshift__": _operator(bitwise_right_shift),
    "__rlshift__": _reflected(bitwise_left_shift),
    "__rrshift__": _reflected(bitwise_right_shift),
    "__rxor__": _reflected(bitwise_xor),
}

METHODS["__rdiv__"] = METHODS["__rtruediv__"]  # PyTorch keeps Python 2's name too


def _method_positions(fn):
    """``fn`` as a Tensor method: PyTorch's TypeErrors for a number where a Tensor is due
    count the arguments after self ('other' is at position 1)."""

    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except TypeError as e:
            text = str(e)
            if not (m := re.match(r"\w+\(\): argument '\w+' \(position (\d+)\)", text)):
                raise
            raise type(e)(f"{text[: m.start(1)]}{int(m[1]) - 1}{text[m.end(1) :]}") from None

    return method


for _name in (
    "atan2 arctan2 hypot logaddexp logaddexp2 igamma igammac ldexp gcd lcm logical_and "
    "logical_or logical_xor nextafter heaviside fmax fmin maximum minimum"
).split():
    METHODS[_name] = _method_positions(METHODS[_name])
for _name, _fn in METHODS.items():
    setattr(Tensor, _name, _fn)
del _name, _fn

# what `from minitorch.ops import *` (and so `minitorch.<op>`) exports: the functional ops,
# not the submodules
__all__ = sorted(
    name
    for name, value in globals().items()
    if not name.startswith("_")
    and callable(value)
    and not isinstance(value, type)
    and getattr(value, "__module__", "").startswith("minitorch.ops")
)


def __getattr__(name: str):
    """``torch.ops.<namespace>``: an unknown name is a namespace of custom ops
    (``minitorch.library.custom_op``), as PyTorch's ``torch.ops``; a submodule not yet
    imported stays one."""
    from importlib.util import find_spec  # noqa: PLC0415

    if name.startswith("__") or find_spec(f"{__name__}.{name}") is not None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ..library import namespace  # noqa: PLC0415  (not while minitorch is importing)

    return namespace(name)
