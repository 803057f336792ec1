"""Gradient clipping (mirrors ``torch.nn.utils.clip_grad_norm_``, ``clip_grad_value_``,
``get_total_norm`` and ``clip_grads_with_norm_``).

Both work on the raw gradient arrays in place, outside autograd; the norm stays on the
gradients' device (no host synchronisation unless ``error_if_nonfinite`` asks for a check).
"""

from __future__ import annotations

import functools
import math
import types
import warnings
from collections.abc import Iterable

import numpy as np

from ... import _dtypes
from ..._tensor import Tensor, make_tensor
from ...ops.inplace import bump_version


def _grads(parameters) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _norm(a, norm_type: float):
    if a.dtype.itemsize == 2:  # 16-bit floats: accumulated in float32 and rounded once
        return _norm(a.astype(np.float32), norm_type).astype(a.dtype)
    if norm_type == math.inf:
        return np.abs(a).max() if a.size else np.zeros((), a.dtype)
    if norm_type == -math.inf:
        return np.abs(a).min()
    if norm_type == 0.0:  # PyTorch's 0-"norm": the count of nonzero elements
        return np.asarray(np.count_nonzero(a), a.dtype)
    if norm_type == 2.0:
        flat = a.reshape(-1)
        return np.sqrt(np.dot(flat, flat))
    return (np.abs(a) ** norm_type).sum() ** (1.0 / norm_type)


def get_total_norm(
    tensors: Tensor | Iterable[Tensor],
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.utils.get_total_norm``: the ``norm_type``-norm of all the tensors
    together (of their norms)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return make_tensor(np.zeros((), np.float32))
    i = next((i for i, t in enumerate(tensors) if not isinstance(t, Tensor)), None)
    if i is not None:  # PyTorch reads the first one's device, then groups them by device
        if i == 0:
            raise AttributeError(f"'{type(tensors[0]).__name__}' object has no attribute 'device'")
        if tensors[i] is not None:
            raise TypeError("_group_tensors_by_device_and_dtype(): incompatible function arguments")
        raise RuntimeError(
            "Tensors of the first list of nested Tensor lists are supposed to be defined but "
            f"the {i}-th Tensor is not."
        )
    if math.isinf(norm_type) and any(t._data.size == 0 for t in tensors):
        # PyTorch's _foreach_norm (foreach None or True; it leaves -inf to vector_norm) or
        # linalg.vector_norm refuse the max/min of nothing
        if norm_type > 0 and foreach is not False:
            who, order = "_foreach_norm", "infinity"
        else:
            who, order = "linalg.vector_norm", f"{norm_type}"
        raise RuntimeError(
            f"{who} cannot compute the {order} norm on an empty tensor because the operation "
            "does not have an identity"
        )
    # the norms stack in their promoted dtype, as PyTorch's torch.stack of them
    promoted = functools.reduce(_dtypes.promote_types, [t.dtype for t in tensors])
    dtype = _dtypes.to_numpy_dtype(promoted)
    norms = [_norm(t._data, norm_type).astype(t._data.dtype) for t in tensors]
    norms = np.stack([n.astype(dtype) for n in norms])
    total = _norm(norms, norm_type).astype(dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return make_tensor(total)


def clip_grads_with_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    total_norm: Tensor,
    foreach: bool | None = None,
) -> None:
    """Mirrors ``torch.nn.utils.clip_grads_with_norm_``: scales the gradients by
    min(max_norm / (total_norm + 1e-6), 1)."""
    grads = _grads(parameters)
    max_norm = float(max_norm)
    if not grads:
        return
    if not isinstance(total_norm, Tensor):  # PyTorch's torch.clamp of a number
        raise TypeError(
            f"clamp() received an invalid combination of arguments - got "
            f"({type(total_norm).__name__}, max=float)"
        )
    # an infinite norm: inf * 0 is nan; a 16-bit zero norm: max_norm / 1e-6 overflows to
    # inf (clamped to 1); silently, as in PyTorch
    with np.errstate(invalid="ignore", over="ignore"):
        # in the norm's dtype, each step rounded to it (numpy lifts bfloat16 with a float to
        # float32)
        norm_dtype = total_norm._data.dtype
        denominator = (total_norm._data + 1e-6).astype(norm_dtype)
        # PyTorch's number / tensor is the tensor's reciprocal times the number: a float16
        # reciprocal of 1e-6 overflows to inf, and a max_norm of 0 makes the coefficient nan
        wide = np.float32 if norm_dtype.itemsize == 2 else norm_dtype
        inverse = np.reciprocal(denominator.astype(wide)).astype(norm_dtype)
        product = inverse.astype(wide) * max_norm  # a 16-bit one in float32: 1e-8 stays 1e-8
        coef = np.minimum(product.astype(norm_dtype), 1.0).astype(norm_dtype)
        for g in grads:
            # PyTorch's mul_ by the 0-d coefficient: in the gradient's dtype, a 16-bit one
            # computed in float32 and rounded once
            dtype = np.float32 if g._data.dtype.itemsize == 2 else g._data.dtype
            np.multiply(g._data, coef.astype(dtype), out=g._data, casting="unsafe")
            bump_version(g)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.utils.clip_grad_norm_``: scales all gradients together so that
    their joint ``norm_type``-norm is at most ``max_norm``; returns the norm before clipping."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)  # a generator is read twice
        if is_generator and not parameters:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                stacklevel=2,
            )
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_norm(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Mirrors the deprecated ``torch.nn.utils.clip_grad_norm`` (= ``clip_grad_norm_``)."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Mirrors ``torch.nn.utils.clip_grad_value_``: clamps every gradient element to
    [-clip_value, clip_value] in place. As PyTorch 2.13's (grouping the gradients by device),
    it fails when no parameter has a gradient."""
    clip_value = float(clip_value)
    grads = _grads(parameters)
    if not grads:
        raise RuntimeError(
            "Expected !nested_tensorlist[0].empty() to be true, but got false.  (Could this "
            "error message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    for g in grads:
        np.clip(g._data, -clip_value, clip_value, out=g._data)
        bump_version(g)
