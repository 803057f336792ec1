"""The ``out=`` keyword of the ``minitorch.<op>`` functions (``torch.matmul(a, b, out=c)``):
the result is computed as usual, then written into ``out`` (cast to its dtype, resized when
its shape differs, as PyTorch does) and ``out`` is returned. Like PyTorch, ``out=`` refuses
inputs that require grad while grad mode is on."""

from __future__ import annotations

import functools
import warnings

import numpy as np

from .._dtypes import CPP_NAMES, scalar_type_name
from .._tensor import INFERENCE_INPLACE, InferenceCell, Tensor
from ..autograd import forward_ad, observers
from ..autograd.grad_mode import is_grad_enabled, is_inference_mode_enabled
from ..backends.memory_order import non_overlapping_and_dense
from .inplace import _address, _check_overlap, bump_version, can_store, writable
from .reduce import wrap_dim
from .return_types import return_type


def _exact_dtype(src, out, name: str, field: str) -> None:
    """PyTorch's errors of the ops whose out (``field`` of a tuple result: values or
    indices) must have the result's dtype exactly."""
    want, got = (scalar_type_name(a.dtype) for a in (src, out))
    if name == "multinomial":
        raise RuntimeError(f"multinomial expects Long tensor out, got: {got}")
    if name == "kthvalue":
        raise RuntimeError(
            "output values must be of same type as input"
            if field == "values"
            else "output indices must be of scalar type Long"
        )
    if name in ("median", "nanmedian"):
        raise RuntimeError(
            f"Expected tensor for 'values' to have the same type as tensor for argument #2 "
            f"'self'; but type torch.{got}Tensor does not equal "
            f"{'CPUBoolType' if src.dtype == np.bool_ else f'torch.{want}Tensor'} (while "
            "checking arguments for median)"
            if field == "values"
            else "Expected tensor for argument #1 'indices' to have scalar type Long; but got "
            f"torch.{got}Tensor instead (while checking arguments for median)"
        )
    if name == "mode":
        raise RuntimeError(f"expected scalar type '{want}' but got '{got}' for {field} output")
    if name in ("cummax", "cummin", "logcumsumexp"):
        raise RuntimeError(f"expected scalar_type {want} but found {got}")
    if name in ("quantile", "nanquantile"):
        raise RuntimeError("quantile() out tensor must be same dtype as the input tensor")
    if name in ("searchsorted", "bucketize"):
        raise RuntimeError(
            "torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or "
            "Long(int64) depending on whether out_int32 flag is True, but we got output "
            f"tensor's dtype {got} and out_int32 flag is {src.dtype == np.int32}"
        )
    if name == "histc":
        raise RuntimeError(
            "torch.histogram: input tensor and hist tensor should have the same dtype, but got "
            f"input {CPP_NAMES[src.dtype.name][0]} and hist {CPP_NAMES[out.dtype.name][0]}"
        )
    if name == "frexp":
        raise RuntimeError(
            f"torch.frexp() expects mantissa to have dtype {CPP_NAMES[src.dtype.name][0]} but "
            f"got {CPP_NAMES[out.dtype.name][0]}"
            if field == "values"
            else f"torch.frexp() expects exponent to have int dtype but got "
            f"{CPP_NAMES[out.dtype.name][0]}"
        )
    if name == "nonzero":
        raise RuntimeError(
            f"nonzero: Expected out tensor to have scalar type Long but got scalar type{got}"
        )
    if name == "float_power":
        raise RuntimeError(
            f"the output given to float_power has dtype {got} but the operation's result "
            f"requires dtype {want}"
        )
    if name in _FOUND_DTYPE:
        raise RuntimeError(f"Found dtype {got} but expected {want}")
    if name in ("dot", "vdot"):
        raise RuntimeError(f"result dtype {got} does not match input dtype {want}")
    if name in ("index_select", "masked_select"):
        raise RuntimeError(f"{name}(): self and result must have the same scalar type")
    if name == "nan_to_num":
        raise RuntimeError(f"nan_to_num: dtype of out: {got} should be same as input: {want}")
    if name == "where":
        raise RuntimeError(f"Expected out type to be {want} but got {got}")
    if name == "take":
        raise RuntimeError(
            "take(): self and out expected to have the same dtype, but got self.dtype = "
            f"{want} and out.dtype = {got}"
        )
    if name in ("tensordot", "inner"):
        raise RuntimeError(
            f"tensordot: Expected the output tensor to have dtype {want}, but got an output "
            f"tensor with dtype {got}"
        )
    if name == "mv":
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {got}, {want}, and {want}"
        )
    if name == "heaviside":
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    if name in ("amax", "amin"):
        raise RuntimeError(
            f"Expected the dtype for input and out to match, but got {want} for input's dtype "
            f"and {got} for out's dtype."
        )
    raise _out_dtype_error(src.dtype, out.dtype)


# the element-wise ops whose out must have the result's dtype ("Found dtype Double but
# expected Float"); clamp's only with number bounds (with tensor bounds out may be of another)
_FOUND_DTYPE = frozenset(
    ("abs", "neg", "floor", "ceil", "round", "sign", "sgn", "trunc", "frac", "bitwise_not")
    + ("clamp", "clamp_min", "clamp_max", "lerp")
)
# ops whose out must have the result's dtype (the tuple ones: values and indices both)
_EXACT_DTYPE = _FOUND_DTYPE | frozenset(
    ("gather", "amax", "amin", "multinomial", "msort", "argmax", "argmin", "logcumsumexp")
    + ("norm", "histc", "quantile", "nanquantile", "searchsorted", "bucketize")
    + ("mm", "addmm", "bmm", "baddbmm", "addmv", "mv", "tril", "triu", "cross", "diag")
    + ("renorm", "dot", "vdot", "tensordot", "inner", "index_select", "masked_select", "take")
    + ("nan_to_num", "where", "heaviside", "float_power", "softmax", "log_softmax", "inverse")
    + ("isin", "slice_scatter", "take_along_dim", "nonzero", "argsort")
)


def _dtype_rule(name: str, args: tuple, kwargs: dict, out=None) -> str:
    """The op whose out dtype rule applies: matmul's is dot's, mv's (an out that broadcasts
    to the product's shape; another is resized after an mm) or mm's by its operands' dims;
    clamp's with a tensor bound, lerp's with a number weight none (out may be of another
    dtype)."""
    if name == "matmul" and len(args) == 2 and all(isinstance(a, Tensor) for a in args):
        if args[1].ndim == 1:
            if args[0].ndim == 1:
                return "dot"
            rows = tuple(args[0].shape[:-1])
            try:  # an out that broadcasts to the product's shape takes mv's check
                fits = np.broadcast_shapes(tuple(out.shape), rows) == rows
            except (ValueError, AttributeError):
                fits = False
            return "mv" if fits else "mm"
        return "mm"
    if name == "lerp" and not isinstance(kwargs.get("weight", args[2] if len(args) > 2 else 0), Tensor):  # fmt: skip
        return ""
    if name in ("clamp", "clamp_min", "clamp_max") and any(
        isinstance(v, Tensor) for v in (*args[1:], *kwargs.values())
    ):
        return ""
    return name


_EXACT_TUPLE = frozenset(
    ("aminmax", "sort", "topk", "max", "min", "kthvalue", "median", "nanmedian", "mode")
    + ("cummax", "cummin", "frexp")
)


def _check_result_kind(src, out, name: str) -> None:
    """PyTorch's checks of the ops whose out may be of another dtype, but only of some kinds:
    any/all write bool or uint8, logsumexp a floating type."""
    if name in ("signbit", "isposinf", "isneginf") and out.dtype != np.bool_:
        raise RuntimeError(f"{name} does not support non-boolean outputs.")
    if name in ("any", "all") and out.dtype not in (np.bool_, np.uint8):
        raise RuntimeError(
            f"{name} only supports bool tensor for result, got: {scalar_type_name(out.dtype)}"
        )
    if name == "logsumexp" and out.dtype.kind not in "fV":
        raise RuntimeError(
            "logsumexp(): Expected floating point type for result tensor, but got: "
            f"{scalar_type_name(out.dtype)}"
        )


# torch.linalg's ops that name themselves in the cast error of out=
_CAST_PREFIX = {"pinv": "linalg.pinv", "cond": "linalg.cond"}
_CAST_PREFIX["householder_product"] = "torch.linalg.householder_product"


def _cast_error(want: str, got: str, name: str) -> str:
    """PyTorch's message for an out whose dtype the result can't be cast to."""
    if name in ("cholesky_inverse", "cholesky_solve", "matrix_power") or name in _CAST_PREFIX:
        return (
            f"{_CAST_PREFIX.get(name, name)}: Expected result to be safely castable from {want} "
            f"dtype, but got result with dtype {got}"
        )
    if name in ("max", "min"):  # the full reductions (the tuple ones check exactly)
        return (
            "Expected canCast( typeMetaToScalarType(self.dtype()), typeMetaToScalarType(out.dtype"
            "())) to be true, but got false.  (Could this error message be improved?  If so, "
            "please report an enhancement request to PyTorch.)"
        )
    if name in ("mvlgamma", "multigammaln"):  # (PyTorch names the result's type twice)
        return f"mvlgamma: result type {want} can't be cast to the desired output type {want}"
    if name == "ldexp":
        return f"ldexp can't be cast to the desired output type {got}"
    return f"result type {want} can't be cast to the desired output type {got}"


def _out_dtype_error(want, got) -> RuntimeError:
    """PyTorch's error of an out tensor whose dtype (numpy ``got``) is not ``want``."""
    return RuntimeError(
        f"Expected out tensor to have dtype {CPP_NAMES[want.name][0]}, but got "
        f"{CPP_NAMES[got.name][0]} instead"
    )


# torch.linalg's ops (by ATen name, or function name) whose out must have the input's dtype,
# checked after the arguments', before factoring: PyTorch's message ("{}": the C++ type
# names, "[]": the dtypes')
_LINALG_EXACT = dict.fromkeys(
    ("_linalg_det", "_linalg_slogdet", "linalg_cholesky_ex", "_linalg_solve_ex", "_linalg_eigh")
    + ("_linalg_svd", "linalg_qr", "linalg_vector_norm", "linalg_lu_solve")
    + ("linalg_lu_factor_ex", "linalg_lu", "linalg_inv_ex"),
    "Expected out tensor to have dtype {}, but got {} instead",
)
_LINALG_EXACT["linalg_matrix_norm"] = "linalg.matrix_norm expected out tensor dtype [] but got: []"
_LINALG_EXACT["linalg_norm"] = "linalg.norm expected out tensor dtype [] but got: []"
_LINALG_EXACT["linalg_solve_triangular"] = "expected scalar type [] but found []"
_LINALG_EXACT["multi_dot"] = "multi_dot(): expected out tensor to have dtype {} but got {}"
_LINALG_EXACT["chain_matmul"] = _LINALG_EXACT["multi_dot"]
# the ops whose outs after the first are int32 (infos, pivots)
_INT32_AFTER_FIRST = frozenset(
    ("_linalg_solve_ex", "linalg_inv_ex", "linalg_cholesky_ex", "linalg_lu_factor_ex")
)
# (matrix_power's: a floating out only; an integer one is the cast error)
_LINALG_EXACT["matrix_power"] = _LINALG_EXACT["_linalg_det"]


def _check_linalg_out(message: str, args: tuple, kwargs: dict, out, which: str) -> None:
    """The check of ``_LINALG_EXACT``: every out of the input's dtype (``dtype=``'s if
    given), the infos and pivots int32 (matrix_power: only floating outs)."""
    first = next((t for a in args for t in (a if isinstance(a, (list, tuple)) else (a,))), None)
    if not isinstance(first, Tensor):
        return
    dtype = kwargs["dtype"].np if kwargs.get("dtype") is not None else first._data.dtype
    for i, o in enumerate(out if isinstance(out, (list, tuple)) else (out,)):
        want = np.dtype(np.int32) if i and which in _INT32_AFTER_FIRST else dtype
        got = o._data.dtype if isinstance(o, Tensor) else want
        if got != want and (got.kind == "f" or which != "matrix_power"):
            cpp, names = (CPP_NAMES[d.name][0] for d in (want, got)), map(scalar_type_name, (want, got))  # fmt: skip
            raise RuntimeError(
                message.replace("[]", "{}").format(*(names if "[]" in message else cpp))
            )


# the functions PyTorch offers no out= (torch.clone(x, out=y) is a TypeError)
_NO_OUT = frozenset(
    ("adjoint", "argwhere", "asarray", "atleast_1d", "atleast_2d", "atleast_3d", "binomial")
    + ("block_diag", "cdist", "clone", "conj", "corrcoef", "cosine_similarity", "count_nonzero")
    + ("cov", "cumulative_trapezoid", "det", "diag_embed", "diagflat", "diagonal", "dist")
    + ("flatten", "fliplr", "flipud", "isclose", "isfinite", "isinf", "isnan", "isreal", "logdet")
    + ("matrix_exp", "pairwise_distance", "pdist", "pinverse", "poisson", "positive", "ravel")
    + ("relu", "rot90", "rsub", "squeeze", "t", "trace", "trapezoid", "unique")
    + ("unique_consecutive", "roll", "unsqueeze", "einsum")
    + ("index_fill", "masked_fill", "masked_scatter", "index_put", "put")
    + ("linalg_diagonal", "linalg_matrix_exp", "linalg_vander")
)
# the ATen op that PyTorch's out= autograd error names, where it is not the function's
AUTOGRAD_NAMES = {
    "inverse": "linalg_inv_ex",
    "kron": "mul",
    "outer": "mul",
    "matrix_power": "matmul",
    "chain_matmul": "mm",
    "qr": "linalg_qr",
    "svd": "_linalg_svd",
    "slogdet": "_linalg_slogdet",
    "norm": "linalg_vector_norm",
    "argsort": "sort",
    "msort": "sort",
    "take_along_dim": "gather",
}
# ops without a derivative: out= takes operands that require grad (PyTorch has no check there)
_UNDIFFERENTIABLE = frozenset(
    ("argmax", "argmin", "searchsorted", "bucketize", "histc", "isin", "all", "any")
)
# PyTorch's composite ops: out= with an operand that requires grad is allowed, and out joins
# the graph (a differentiable copy of the result)
_COMPOSITE = frozenset(
    ("inner", "tensordot", "linalg_cond", "linalg_matrix_norm", "linalg_norm")
    + ("linalg_tensorinv", "linalg_tensorsolve", "linalg_matrix_rank")
)


# functions whose TypeError for out= lists their overloads (bucketize's: of a number)
_OVERLOADED = ("count_nonzero", "cumulative_trapezoid", "rsub", "squeeze", "trapezoid", "bucketize",
               "index_fill", "masked_fill")  # fmt: skip


def _refuse_out(name: str, args: tuple) -> None:
    """PyTorch's TypeError for out= to a function without it (an overloaded one lists its
    arguments)."""
    if name in _OVERLOADED:
        got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in args)
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({got}, out=Tensor), "
            "but expected one of:"
        )
    raise TypeError(f"{name}() got an unexpected keyword argument 'out'")


# the ops PyTorch runs through cat's out= (its TypeError for a dtype out can't hold)
_JOINERS = frozenset(
    ("cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack")
    + ("row_stack",)
)


def _check_not_resized(out: Tensor, args: tuple) -> None:
    """PyTorch's error for an element-wise op whose ``out`` is one of its inputs and the
    operands broadcast to another shape (that out is not resized)."""
    shapes = [a._data.shape for a in args if isinstance(a, Tensor)]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        return  # the op raises its own error
    if shape != out._data.shape:
        raise RuntimeError(
            f"output with shape {list(out.shape)} doesn't match the broadcast shape {list(shape)}"
        )


def _write(out: Tensor, result: Tensor, name: str, field: str = "", rule: str = "") -> None:
    """Writes ``result`` into ``out``; ``rule``: the op whose out dtype rule applies."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    src = result._data
    exact = name in _EXACT_TUPLE if field else rule in _EXACT_DTYPE
    if exact and src.dtype != out._data.dtype:
        _exact_dtype(src, out._data, rule or name, field)
    _check_result_kind(src, out._data, name)
    if not can_store(src.dtype, out._data.dtype):
        if name in _JOINERS:  # PyTorch's TypeError for cat
            raise TypeError(
                f"torch.cat(): input types can't be cast to the desired output type "
                f"{scalar_type_name(out._data.dtype)}"
            )
        if name not in ("any", "all"):  # (their uint8 results write into bools too)
            raise RuntimeError(_cast_error(scalar_type_name(src.dtype), scalar_type_name(out._data.dtype), name))  # fmt: skip
    if out._data.shape == src.shape:
        _check_overlap(out._data)
        writable(out._data)[...] = src
    else:
        if out._data.size and name == "arange":
            warnings.warn(
                f"The number of elements in the out tensor of shape {list(out.shape)} is "
                f"{out._data.size} which does not match the computed number of elements "
                f"{src.size}. Note that this may occur as a result of rounding error. The out "
                f"tensor will be resized to a tensor of shape ({src.size},).",
                stacklevel=3,
            )
        elif out._data.size:
            # an element-wise op's out of another dtype is resized twice by PyTorch's
            # TensorIterator (its own and the cast copy's), each time with the warning
            twice = name in _NO_PARTIAL_OVERLAP and name not in _RESIZED_ONCE
            twice = twice and src.dtype != out._data.dtype
            for _ in range(2 if twice else 1):
                warnings.warn(
                    f"An output with one or more elements was resized since it had shape "
                    f"{list(out.shape)}, which does not match the required output shape "
                    f"{list(src.shape)}.",
                    stacklevel=3,
                )
        out._data = src.astype(out._data.dtype, copy=True)
    if type(out._vc) is InferenceCell and not is_inference_mode_enabled():
        raise RuntimeError(INFERENCE_INPLACE)  # PyTorch's, once the values are written
    bump_version(out)


# factories whose out= keeps its shape when it holds as many elements as the result
_RANGES = frozenset(("arange", "range", "linspace", "logspace"))
# ops whose out= may not share memory with an input (PyTorch's assert_no_overlap)
_NO_OVERLAP = frozenset(("gather", "take", "index_select", "masked_select", "cat", "kthvalue"))
# the element-wise ops (PyTorch's TensorIterator ones): out may be exactly an input, not
# overlap one partly (PyTorch's assert_no_partial_overlap)
_NO_PARTIAL_OVERLAP = frozenset(
    ("abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "clamp")
    + ("clamp_max", "clamp_min", "copysign", "cos", "cosh", "deg2rad", "diff", "digamma", "div")
    + ("eq", "erf", "erfc", "erfinv", "exp", "exp2", "expm1", "floor", "floor_divide", "fmax")
    + ("fmin", "fmod", "frac", "ge", "gt", "heaviside", "hypot", "i0", "igamma", "igammac")
    + ("kron", "ldexp", "le", "lgamma", "log", "log10", "log1p", "log2", "logaddexp")
    + ("logaddexp2", "logical_and", "logical_not", "logical_or", "logical_xor", "logit", "lt")
    + ("maximum", "minimum", "msort", "mul", "nan_to_num", "ne", "neg", "nextafter", "outer")
    + ("pow", "rad2deg", "reciprocal", "remainder", "round", "rsqrt", "sgn", "sigmoid", "sign")
    + ("sin", "sinc", "sinh", "sqrt", "square", "sub", "tan", "tanh", "trunc", "xlogy", "where")
    + ("lerp", "addcmul", "addcdiv", "bitwise_and", "bitwise_or", "bitwise_xor", "cumsum")
    + ("polygamma",)
)

# element-wise ops whose out of another dtype PyTorch resizes (and warns of) once only: they
# compute in out's dtype, or through another op
_RESIZED_ONCE = frozenset(
    ("floor_divide", "kron", "logical_and", "logical_not", "logical_or", "logical_xor", "logit")
)


# the reductions whose out= overload needs an argument (PyTorch's parser: sum(x, out=y) is a
# TypeError, sum(x, None, out=y) is not), and those whose dtype= must be out's
_OUT_NEEDS = {"sum": "dim", "prod": "dim", "median": "dim", "nanmedian": "dim", "argsort": "stable",
              "mean": "", "nansum": "", "nanmean": ""}  # fmt: skip


def _check_out_overload(name: str, args: tuple, kwargs: dict, out, fn) -> None:
    """PyTorch's errors for out= to an overload without it, or of another dtype than the
    ``dtype=`` asked for (after the op's own checks: ``fn`` runs first then)."""
    needs = _OUT_NEEDS[name]
    if needs == "dim" and len(args) < 2 and "dim" not in kwargs:
        if name in ("median", "nanmedian") or "dtype" in kwargs:
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        needs = "stable"  # the same TypeError as argsort's
    if needs == "stable" and "stable" not in kwargs:
        got = ", ".join(["Tensor", "out=Tensor", *(f"{k}={type(v).__name__}" for k, v in kwargs.items())])  # fmt: skip
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({got}), but expected "
            "one of:"
        )
    given = kwargs.get("dtype")
    if needs or not isinstance(out, Tensor):
        return
    floating = isinstance(args[0], Tensor) and args[0]._data.dtype.kind in "fV"
    if name == "mean" and given is None and out._data.dtype.kind not in "fV":
        fn(*args, **kwargs)
        got = scalar_type_name(out._data.dtype)
        if len(args) < 2 and "dim" not in kwargs:
            raise RuntimeError(
                f"mean.dtype_out(): input types can't be cast to the desired output type {got}"
            )
        raise RuntimeError(f"result type Float can't be cast to the desired output type {got}")
    if name in ("nanmean", "nansum") and given is None and out._data.dtype.kind not in "fV" and floating:  # fmt: skip
        fn(*args, **kwargs)
        kind = scalar_type_name(out._data.dtype)  # PyTorch's kernel sums into out's dtype
        raise NotImplementedError(f"\"nansum_cpu\" not implemented for '{kind}'")
    if given is None or given == out.dtype:
        return
    fn(*args, **kwargs)
    if name == "nanmean" or (name == "nansum" and floating and given.np.kind in "fV"):
        raise RuntimeError(
            f"nansum: provided dtype must match dtype of result. Got "
            f"{scalar_type_name(out._data.dtype)} and {scalar_type_name(given.np)}."
        )
    raise _out_dtype_error(given.np, out._data.dtype)


# the ops whose out (values) of another dtype than the input's PyTorch refuses before
# checking their arguments (an out-of-range dim); any/all's out must hold bools first too
# (median's after its dim), searchsorted's of int64 (int32 with out_int32), any/all's of bools
# and logsumexp's of a floating type too
_OUT_CHECKED_FIRST = frozenset(
    ("amax", "amin", "cummax", "cummin", "mode", "renorm", "median", "nanmedian", "all", "any")
    + ("logsumexp", "searchsorted", "bucketize", "logcumsumexp")
)


_INDEX_FUNC_META = ("Expected dtype int32/int64", "Index is supposed to be a vector")
_INDEX_FUNC_META += ("must have the same scalar type", "Indexing dim", "Number of indices")
_INDEX_FUNC_META += ("Dimension specified as", "source tensor shape must match")
_SCATTER_META = ("Expected dtype int32/int64", "Expected self.dtype to be equal to src.dtype")
_SCATTER_META += ("Index tensor must have the same number of dimensions", "Expected index [")
# the indexing ops whose out must have self's dtype, checked after their arguments' checks
# that come first in PyTorch (these words; a dim out of range) and before the others
_OUT_AFTER_META = {
    "gather": (),
    "take": ("Expected a long tensor",),
    "take_along_dim": ("dtype of indices should be Long", "the same number of dimensions")
    + ("must match the size", "ZeroDivisionError", "view size is not compatible"),  # composite
    "index_select": ("Expected dtype int32 or int64", "Index is supposed to be a vector"),
    "scatter": _SCATTER_META,
    "scatter_add": _SCATTER_META,
    "scatter_reduce": _SCATTER_META,
    "index_add": _INDEX_FUNC_META,
    "index_copy": (),
    "index_reduce": ("Expected reduce to be one of", *_INDEX_FUNC_META),
}


def _check_out_after_meta(name: str, fn, args: tuple, kwargs: dict, out) -> None:
    """The out dtype check of ``_OUT_AFTER_META`` (an out of another dtype than self's)."""
    try:
        fn(*args, **kwargs)
    except (RuntimeError, IndexError) as e:
        if "Dimension out of range" in str(e) or any(w in str(e) for w in _OUT_AFTER_META[name]):
            raise
    _exact_dtype(args[0]._data, out._data, name, "")


def _check_out_first(name: str, args: tuple, kwargs: dict, out) -> None:
    """The check of ``_OUT_CHECKED_FIRST``, before the op runs."""
    values = out[0] if isinstance(out, (list, tuple)) and out else out
    if not isinstance(values, Tensor):
        return
    input = args[0]
    if name == "renorm":  # its own errors first (ndim, p > 0, maxnorm >= 0)
        p = args[1] if len(args) > 1 else kwargs.get("p", 1)
        maxnorm = args[3] if len(args) > 3 else kwargs.get("maxnorm", 0)
        if input._data.ndim < 2 or p <= 0 or maxnorm < 0:
            return
    if name in ("searchsorted", "bucketize"):
        if name == "bucketize" and "side" in kwargs:
            return  # its TypeError first
        want = np.dtype(np.int32 if kwargs.get("out_int32") else np.int64)
        if values._data.dtype != want:
            _exact_dtype(np.empty(0, want), values._data, name, "")
        return
    if name in ("median", "nanmedian") and (len(args) > 1 or "dim" in kwargs):
        wrap_dim(args[1] if len(args) > 1 else kwargs["dim"], input._data.ndim)
    if name in ("all", "any", "logsumexp"):
        _check_result_kind(input._data, values._data, name)
    elif values._data.dtype != input._data.dtype:
        _exact_dtype(input._data, values._data, name, "values" if name in _EXACT_TUPLE else "")
    if name in ("mode", "cummax", "cummin") and isinstance(out, (list, tuple)) and len(out) == 2:
        indices = out[1]._data if isinstance(out[1], Tensor) else None
        if indices is not None and indices.dtype != np.int64:  # (checked first too)
            _exact_dtype(np.empty(0, np.int64), indices, name, "indices")


def _dense_pair(a, b) -> bool:
    return non_overlapping_and_dense(a) and non_overlapping_and_dense(b)


def _same_view(a, b) -> bool:
    return _address(a) == _address(b) and a.shape == b.shape and a.strides == b.strides


def _check_no_overlap(out, values, partial: bool = False) -> None:
    """PyTorch's error when ``out`` (or one of a tuple of outs) is an input tensor or, both
    dense, shares memory with one (other overlaps are too hard for PyTorch to tell: allowed);
    ``partial``: only a partial overlap is refused (out may be exactly an input)."""
    outs = [o for o in (out if isinstance(out, (list, tuple)) else (out,)) if isinstance(o, Tensor)]
    for v in values:
        for t in v if isinstance(v, (list, tuple)) else (v,):
            if not isinstance(t, Tensor):
                continue
            for o in outs:
                a, b = o._data, t._data
                if partial:
                    bad = _dense_pair(a, b) and np.may_share_memory(a, b)
                    bad = bad and not _same_view(a, b)
                else:
                    bad = o is t or (_dense_pair(a, b) and np.may_share_memory(a, b))
                if bad:
                    raise RuntimeError(
                        "unsupported operation: some elements of the input tensor and the "
                        "written-to tensor refer to a single memory location. Please clone() the "
                        "tensor before performing the operation."
                    )


# ops that compute in out's dtype when no dtype= is given (PyTorch's sum(x, 1, out=long_out))
_DTYPE_OF_OUT = frozenset(("sum", "prod", "cumsum", "cumprod", "mean", "nansum", "nanmean"))


def _dtype_of_out(kwargs: dict, out: Tensor, factory: bool) -> None:
    """``dtype=`` from ``out``; a reduction's or factory's ``dtype=`` must be ``out``'s
    (PyTorch's checks, in their words)."""
    given = kwargs.get("dtype")
    if given is None:
        kwargs["dtype"] = out.dtype
    elif factory and given != out.dtype:
        raise RuntimeError(
            f"dtype {scalar_type_name(given.np)} does not match dtype of out parameter "
            f"({scalar_type_name(out._data.dtype)})"
        )
    elif given != out.dtype:
        raise _out_dtype_error(given.np, out._data.dtype)


def _requires_grad(values) -> bool:
    """Whether a tensor among ``values`` (or in a list/tuple among them) requires grad."""
    for v in values:
        items = v if isinstance(v, (list, tuple)) else (v,)
        if any(isinstance(t, Tensor) and t.requires_grad for t in items):
            return True
    return False


def no_autograd_message(name: str, factory: bool) -> str:
    """PyTorch's error for ``out=`` with a tensor that requires grad (a factory's names its
    ATen op; empty and randn resize ``out`` first, which is the error then)."""
    if name in ("empty", "randn"):
        return "cannot resize variables that require grad"
    return (
        f"{'aten::' * factory}{name}(): functions with out=... arguments don't support "
        "automatic differentiation, but one of the arguments requires grad."
    )


def _check_no_tangent(aten: str, args: tuple, kwargs: dict, out) -> None:
    """PyTorch's error for forward AD through out= (after its kernel wrote out)."""
    if observers.forward_ad is None:
        return
    if forward_ad.carries_tangent(out, (*args, *kwargs.values())):
        raise NotImplementedError(
            f"Trying to use forward AD with {aten}_out that does not support it because it is "
            "an out= function"
        )


def with_out(fn, factory: bool = False, aten: str | None = None):
    """``fn`` with PyTorch's ``out=`` keyword (for the top-level functional ops); a
    ``factory`` without ``dtype=`` makes ``out``'s dtype; ``aten``: the op PyTorch names in
    its errors of out= (torch.linalg's ops)."""
    name = fn.__name__
    aten = aten or AUTOGRAD_NAMES.get(name, name)

    @functools.wraps(fn)
    def op(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if aten in _NO_OUT or (name == "bucketize" and args and not isinstance(args[0], Tensor)):
            _refuse_out(aten, args)
        if name in _OUT_NEEDS:
            _check_out_overload(name, args, kwargs, out, fn)
        if name in _OUT_CHECKED_FIRST and args and isinstance(args[0], Tensor):
            if name in _UNDIFFERENTIABLE or not (is_grad_enabled() and _requires_grad((*args, *kwargs.values(), out))):  # fmt: skip
                _check_out_first(name, args, kwargs, out)  # (after the autograd error, below)
        if name == "nonzero" and kwargs.get("as_tuple"):
            raise RuntimeError("nonzero does not support the out kwarg when as_tuple is True")
        if name == "where":  # where.self_out takes tensors only
            for i, what in ((1, "input"), (2, "other")):
                if i < len(args) and not isinstance(args[i], Tensor):
                    from ..factories import _type_name  # noqa: PLC0415 (error path only)

                    raise TypeError(
                        f"where(): argument '{what}' (position {i + 1}) must be Tensor, not "
                        f"{_type_name(args[i])}"
                    )
        if (
            (factory or name in _DTYPE_OF_OUT)
            and isinstance(out, Tensor)
            and (
                name != "mean"
                or out._data.dtype.kind in "fV"  # (an integer out: PyTorch's cast error)
            )
        ):
            try:
                _dtype_of_out(kwargs, out, factory)
            except RuntimeError:
                if not factory:  # PyTorch checks the op's own arguments (dims) first
                    fn(*args, **kwargs)
                raise
        rule = _LINALG_EXACT.get(aten) or _LINALG_EXACT.get(name)
        which = name if name == "matrix_power" else aten  # (its aten is matmul's)
        if name in ("multi_dot", "chain_matmul"):  # checked before mm's autograd error
            _check_linalg_out(rule, args, kwargs, out, which)
        composite = aten in _COMPOSITE and is_grad_enabled()
        if is_grad_enabled() and not composite and name not in _UNDIFFERENTIABLE and _requires_grad((*args, *kwargs.values(), out)):  # fmt: skip
            if name == "take_along_dim":  # a composite: its own checks come before gather's
                fn(*args, **kwargs)
            raise RuntimeError(no_autograd_message(aten, factory))
        if name in _OUT_AFTER_META and isinstance(out, Tensor) and args and isinstance(args[0], Tensor) and out.dtype != args[0].dtype:  # fmt: skip
            _check_out_after_meta(name, fn, args, kwargs, out)
        if name in _NO_OVERLAP or name in _NO_PARTIAL_OVERLAP:
            _check_no_overlap(out, (*args, *kwargs.values()), name in _NO_PARTIAL_OVERLAP)
        if name in _NO_PARTIAL_OVERLAP and any(a is out for a in args):
            _check_not_resized(out, args)
        try:
            result = fn(*args, **kwargs)
        except RuntimeError as e:
            from .decomp import LinAlgError  # noqa: PLC0415 (error path only)

            if rule and isinstance(e, LinAlgError):  # PyTorch checks out before factoring
                _check_linalg_out(rule, args, kwargs, out, which)
            raise
        if rule:  # (after the arguments' checks)
            _check_linalg_out(rule, args, kwargs, out, which)
        if name in _RANGES and isinstance(out, Tensor) and out._data.size == result._data.size:
            result = result.reshape(out._data.shape)  # PyTorch resizes only on a numel change
        if isinstance(result, Tensor):
            _write(out, result, name, rule=_dtype_rule(name, args, kwargs, out))
            _check_no_tangent(aten, args, kwargs, out)
            if composite and result.requires_grad:
                out.copy_(result)  # into the graph, as PyTorch's copy of a composite's result
            return out
        if isinstance(result, tuple) and isinstance(out, (list, tuple)) and len(out) == len(result):
            for o, r, field in zip(out, result, ("values", "indices", *[""] * len(out))):
                _write(o, r, name, field)
            _check_no_tangent(aten, args, kwargs, out)
            if not hasattr(result, "_fields"):
                return tuple(out)
            named = return_type(f"{type(result).__name__}_out", result._fields)  # max_out, ...
            return named(*out)
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")

    return op
