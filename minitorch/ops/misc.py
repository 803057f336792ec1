"""PyTorch's smaller tensor functions, composed of other ops (so gradients come with them):
cov/corrcoef, inner/vdot, float_power, logaddexp2, deg2rad/rad2deg, heaviside, signbit,
nextafter, msort, unravel_index, vander, scalar_tensor, asarray, frexp/ldexp, and the
identities of real tensors (positive, conj, resolve_conj, resolve_neg, adjoint)."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes, factories
from .._tensor import Tensor, check_can_require_grad, make_tensor
from .._warn_once import warn_once
from ..autograd.function import Op, name_node
from ..autograd.underivable import Underivable
from .elementwise import (
    _invalid_combination,
    _nograd,
    mul,
    pow,
    require_tensors,
    unbroadcast,
    where,
)
from .index import check_fill_value
from .inplace import _method, inplace
from .products import tensordot
from .return_types import return_type
from .shape import cat
from .special import Nextafter, _operands, float_operands, logaddexp

signbit = _nograd(np.signbit, "signbit")
_frexp_result = return_type("frexp", ("mantissa", "exponent"))


def frexp(input: Tensor):
    """Mirrors ``torch.frexp``: (mantissa, exponent) with input = mantissa * 2**exponent,
    |mantissa| in [0.5, 1); the mantissa is input scaled by an exact power of two, so its
    gradient flows."""
    if input._data.dtype.kind not in "fV":
        raise RuntimeError(
            f"torch.frexp() only supports floating-point dtypes, got {input.dtype}: call "
            ".float() first"
        )
    exponent = np.frexp(input._data)[1]
    one, half = np.ones_like(input._data, shape=()), exponent // 2  # (on input's device)
    # two half-scales: 2**-exponent alone overflows for subnormal inputs
    scales = (np.ldexp(one, -half), np.ldexp(one, half - exponent))
    return _frexp_result(Frexp.apply(input, scales), make_tensor(exponent.astype(np.int32)))


class Frexp(Op):
    """frexp's mantissa: the input times two exact powers of two (PyTorch's FrexpBackward0:
    the gradient scaled alike)."""

    @staticmethod
    def forward(ctx, a, scales):
        ctx.scales = scales
        return a * scales[0] * scales[1]

    @staticmethod
    def backward(ctx, g):
        first, second = ctx.scales
        return mul(mul(g, make_tensor(first)), make_tensor(second)), None


def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.ldexp``: input * 2**other (a float result)."""
    require_tensors("ldexp", input, other)
    if input._data.dtype.kind in "fV" and other._data.dtype == np.bool_:  # PyTorch's kernel
        raise NotImplementedError("\"ldexp_cpu_exp\" not implemented for 'Bool'")
    a, b = _operands("ldexp", input, other)
    if other._data.dtype.kind not in "fV":
        return Ldexp.apply(a, b)
    if other._data.ndim == 0 and input._data.dtype in _POW2_OWN_DTYPE:
        # PyTorch's _pow2: a 0-d 2.0 of input's dtype to the power other (a 0-d other
        # promotes with it; a dimensioned one keeps its dtype)
        other = other.to(_dtypes.promote_types(input.dtype, other.dtype))
    return Ldexp.apply(a, other)


_POW2_OWN_DTYPE = (np.dtype(np.float64), np.dtype(np.float16), _dtypes.BF16_NP)


class Ldexp(Op):
    """input * 2**other as PyTorch's LdexpBackward0: it saves other and the result (not
    input), so only those may not change in place before backward. 2**other is in a
    floating ``other``'s dtype (PyTorch's pow(2, other)): 2**100 is inf in float16."""

    @staticmethod
    def forward(ctx, a, b):
        out = mul(make_tensor(a), pow(2.0, make_tensor(b)))._data
        ctx.shape = a.shape
        ctx.save_for_backward(b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        other, result = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g * pow(2.0, other), ctx.shape) if na else None
        if nb:  # in other's dtype, as PyTorch's engine casts it
            gb = unbroadcast(g * result * math.log(2), other._data.shape)
            gb = gb if gb._data.dtype == other._data.dtype else gb.to(other.dtype)
        else:
            gb = None
        return ga, gb


def cov(input: Tensor, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """Mirrors ``torch.cov``: the covariance of the rows (variables) of a matrix whose
    columns are observations (a vector is one variable), optionally weighted."""
    if input._data.ndim > 2:
        raise RuntimeError(
            "cov(): expected input to have two or fewer dimensions but got an input with "
            f"{input._data.ndim} dimensions"
        )
    if input._data.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input if input._data.ndim == 2 else input.reshape(1, -1)
    if x._data.dtype.kind not in "fV":
        x = x.to(_dtypes.get_default_dtype())
    w = None
    for name, weights, kind in (("fweights", fweights, "iu"), ("aweights", aweights, "fV")):
        if weights is not None:
            _check_cov_weights(name, weights, kind, x._data.shape[1])
            w = weights if w is None else w * weights
    if w is None:
        n = x._data.shape[1]
        mean = x.mean(1, keepdim=True)
        norm = n - correction
        centered = x - mean
        out = centered @ centered.t() / max(norm, 0)
    else:
        w = w if w._data.dtype.kind in "fV" else w.to(x.dtype)  # float aweights promote x
        total = w.sum()
        if total.item() == 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        mean = (x * w).sum(1, keepdim=True) / total
        if correction == 0:
            norm = total
        elif aweights is None:
            norm = total - correction
        else:
            norm = total - correction * (w * aweights).sum() / total
        centered = x - mean
        out = (centered * w) @ centered.t() / norm.clamp(min=0)
    return out.squeeze()  # as PyTorch: one variable gives a 0-d tensor


def _check_cov_weights(name: str, weights: Tensor, kinds: str, observations: int) -> None:
    """PyTorch's checks of cov's fweights (integers) and aweights (floats)."""
    w = weights._data
    if w.ndim > 1:
        raise RuntimeError(
            f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
            f"{w.ndim} dimensions"
        )
    if w.dtype.kind not in kinds:
        what = "integral" if kinds == "iu" else "floating point"
        raise RuntimeError(
            f"cov(): expected {name} to have {what} dtype but got {name} with "
            f"{_dtypes.scalar_type_name(w.dtype)} dtype"
        )
    if w.size != observations:
        raise RuntimeError(
            f"cov(): expected {name} to have the same numel as there are observations in the "
            f"input but got {w.size} != {observations}"
        )
    if observations and w.min() < 0:
        raise RuntimeError(f"cov(): {name} cannot be negative")


def corrcoef(input: Tensor) -> Tensor:
    """Mirrors ``torch.corrcoef``: Pearson's correlation of the rows, clipped to [-1, 1]."""
    c = cov(input)
    if c._data.ndim == 0:
        return c / c
    d = c.diagonal().sqrt()
    return (c / d[:, None] / d[None, :]).clamp(-1, 1)


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.inner``: products summed over the last dims (a scalar broadcasts)."""
    if input._data.ndim == 0 or other._data.ndim == 0:
        return input * other
    if input._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    if input._data.dtype != other._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    return tensordot(input, other, dims=([-1], [-1]))


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.vdot`` (real tensors: the dot product)."""
    return name_node(input.dot(other), "VdotBackward0")


def float_power(input, exponent) -> Tensor:
    """Mirrors ``torch.float_power``: the power in float64."""
    f64 = _dtypes.float64
    base = input.to(f64) if isinstance(input, Tensor) else input
    exp_ = exponent.to(f64) if isinstance(exponent, Tensor) else exponent
    if not isinstance(base, Tensor) and not isinstance(exp_, Tensor):
        raise _invalid_combination("float_power", input, exponent)
    if not isinstance(base, Tensor):
        return exp_.new_tensor(base) ** exp_
    return base**exp_


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.logaddexp2``: log2(2**input + 2**other), computed stably."""
    require_tensors("logaddexp2", input, other)
    input, other = float_operands("logaddexp2", input, other)  # the result dtype first (float16)
    out = logaddexp(input * math.log(2), other * math.log(2)) / math.log(2)
    return name_node(out, "Logaddexp2Backward0")


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.nextafter``: the next float after input towards other."""
    require_tensors("nextafter", input, other)
    return Nextafter.apply(*float_operands("nextafter", input, other))


def deg2rad(input: Tensor) -> Tensor:
    """Mirrors ``torch.deg2rad`` (PyTorch's node Deg2RadBackward0)."""
    return name_node(input * (math.pi / 180), "Deg2RadBackward0", input)


def rad2deg(input: Tensor) -> Tensor:
    """Mirrors ``torch.rad2deg`` (PyTorch's node Rad2DegBackward0)."""
    return name_node(input * (180 / math.pi), "Rad2DegBackward0", input)


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """Mirrors ``torch.heaviside``: 0 below zero, ``values`` at zero, 1 above (no
    derivative: PyTorch's NotImplemented node)."""
    require_tensors("heaviside", input, values, names=("input", "values"))
    if input.dtype != values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    step = make_tensor((input._data > 0).astype(input._data.dtype))
    out = where(input.detach() == 0, values.detach(), step)
    return Underivable.apply(input, "heaviside", lambda *_: out._data, values)


def msort(input: Tensor) -> Tensor:
    """Mirrors ``torch.msort``: sorted along the first dimension."""
    return input.sort(dim=0).values


def unravel_index(indices, shape) -> tuple:
    """Mirrors ``torch.unravel_index``: the coordinates of flat indices in ``shape``."""
    if isinstance(shape, int):
        shape = (shape,)
    if any(size < 0 for size in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {tuple(shape)}")
    idx = indices if isinstance(indices, Tensor) else factories.tensor(indices)
    if idx._data.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {idx.dtype}")
    idx = idx.long()  # PyTorch's coordinates are int64 whatever the indices' dtype
    coords, stride = [], 1
    for size in reversed(tuple(shape)):
        coords.append(idx.div(stride, rounding_mode="floor").remainder(size))
        stride *= size
    return tuple(reversed(coords))


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """Mirrors ``torch.vander``: the columns x^(N-1), ..., x, 1 of a 1-D tensor (ascending
    powers when ``increasing``); N defaults to len(x); bool tensors give int64."""
    if x._data.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x._data.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    powers = vander_powers(x.long() if x._data.dtype == np.bool_ else x, n)
    return powers if increasing else powers.flip(-1)


def vander_powers(x: Tensor, n: int) -> Tensor:
    """x^0, ..., x^(n-1) along a new last dim: ones, then the running product of x's copies
    (PyTorch's way, so the gradient at x = 0 is exact, and the product saves x, not the
    result)."""
    column = x.unsqueeze(-1)
    ones = column.new_ones(column.shape)
    if n <= 1:
        return ones.narrow(-1, 0, n)
    return cat([ones, column.expand(*x.shape, n - 1).cumprod(-1)], -1)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Mirrors ``torch.scalar_tensor``: a 0-d tensor of the default float dtype."""
    dtype = dtype or _dtypes.get_default_dtype()
    if isinstance(s, np.generic):  # a Scalar: a numpy number is read as its Python number
        s = s.item()
    check_fill_value("", s, _dtypes.to_numpy_dtype(dtype), floats=False)
    return factories.tensor(s, dtype=dtype, device=device, requires_grad=requires_grad)


def asarray(
    obj, *, dtype=None, device=None, copy=None, requires_grad: bool | None = None
) -> Tensor:
    """Mirrors ``torch.asarray``: shares memory with a tensor or array when it can (a
    copy when ``copy=True``). A tensor keeps its autograd history unless
    ``requires_grad=False``, which detaches it (a leaf is changed in place, as in PyTorch)."""
    if copy is False:
        _check_aliasable(obj, dtype)
    if isinstance(obj, Tensor):
        if requires_grad is None and obj.requires_grad:  # the result requires grad too
            warn_once(
                "torch.asarray: unspecified requires_grad now defaults to obj.requires_grad "
                "instead of False. Pass requires_grad=False explicitly to get the old behavior "
                "and silence this warning."
            )
            requires_grad = True
        out = obj.to(dtype=dtype, device=device)
        if copy:
            out = out.clone() if out is obj else out
        if requires_grad is False:
            return out.detach() if out.grad_fn is not None else out.requires_grad_(False)
    elif _is_buffer(obj):  # bytes, bytearray, memoryview...: their memory read as dtype
        from .._torch_aliases import frombuffer  # noqa: PLC0415

        out = frombuffer(obj, dtype=dtype or _dtypes.get_default_dtype())
        out = out.clone() if copy else out
    elif copy or isinstance(obj, np.ndarray) and not obj.ndim:  # (PyTorch copies a 0-d one)
        out = factories.tensor(obj, dtype=dtype, device=device)
    else:
        out = factories.as_tensor(obj, dtype=dtype, device=device)
    if requires_grad and not out.requires_grad:
        check_can_require_grad(out._data)  # PyTorch's factory message, not requires_grad_'s
        out.requires_grad_(True)
    return out


def _is_buffer(obj) -> bool:
    """Whether ``obj`` is a Python buffer that is no numpy array or scalar."""
    if isinstance(obj, (np.ndarray, np.generic)):
        return False
    try:
        memoryview(obj)
    except TypeError:
        return False
    return True


def _check_aliasable(obj, dtype) -> None:
    """PyTorch's errors of ``asarray(obj, copy=False)`` when the result can't share memory."""
    if isinstance(obj, np.generic):
        raise RuntimeError(
            "can't alias NumPy scalars. Either remove copy=False or transform it in a ndarray. "
        )
    if isinstance(obj, (Tensor, np.ndarray)):
        have = obj._data.dtype if isinstance(obj, Tensor) else obj.dtype
        want = have if dtype is None else _dtypes.to_numpy_dtype(dtype)
        if want != have:
            raise ValueError(
                f"can't alias tensor with dtype '{_dtypes.scalar_type_name(have)}' into dtype "
                f"'{_dtypes.scalar_type_name(want)}'."
            )
        return
    try:
        memoryview(obj)
    except TypeError:
        if not hasattr(obj, "__dlpack__"):
            raise ValueError("can't alias arbitrary sequence into a tensor.") from None


def positive(input: Tensor) -> Tensor:
    """Mirrors ``torch.positive`` (unary ``+``): the tensor itself; bool tensors refused."""
    if input._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def conj(input: Tensor) -> Tensor:
    """Mirrors ``torch.conj`` (and ``resolve_conj``, ``resolve_neg``) of a real tensor: the
    tensor itself."""
    return input


resolve_conj = resolve_neg = conj


def adjoint(input: Tensor) -> Tensor:
    """Mirrors ``torch.adjoint``: the (conjugate) transpose of the last two dims."""
    if input._data.ndim < 2:
        raise RuntimeError(
            "tensor.adjoint() is only supported on matrices or batches of matrices. Got "
            f"{input._data.ndim}-D tensor."
        )
    return input.transpose(-2, -1)


_ldexp_method = _method(ldexp, None, "ldexp")


def ldexp_(self: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``Tensor.ldexp_``: its float result must fit ``self``, checked (as PyTorch)
    before the shapes."""
    if isinstance(other, Tensor) and self._data.dtype.kind not in "fV":
        name = _dtypes.scalar_type_name(self._data.dtype)
        raise RuntimeError(f"ldexp can't be cast to the desired output type {name}")
    return _ldexp_method(self, other)


def float_power_(self: Tensor, exponent) -> Tensor:
    """Mirrors ``Tensor.float_power_``: in place, so only on a float64 tensor."""
    if self._data.dtype != np.float64:
        name = _dtypes.scalar_type_name(self._data.dtype)
        raise RuntimeError(
            f"the base given to float_power_ has dtype {name} but the operation's result "
            "requires dtype Double"
        )
    return inplace(self, float_power, exponent, name="float_power")
