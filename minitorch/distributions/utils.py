"""Helpers shared by the distributions (mirrors ``torch.distributions.utils``)."""

from __future__ import annotations

import numbers
from functools import update_wrapper

import numpy as np

from .. import _dtypes
from .._tensor import Size, Tensor, make_tensor
from ..autograd.grad_mode import enable_grad
from ..factories import tensor as _tensor
from ..ops import broadcast_tensors, clamp, log, log1p, sigmoid, softmax
from ..random import default_generator

euler_constant = 0.57721566490153286060


def broadcast_all(*values) -> tuple:
    """Mirrors ``torch.distributions.utils.broadcast_all``: numbers become tensors of the
    first tensor's dtype and device (the default float dtype when there is none), then all
    broadcast to one shape."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    for v in values:
        if not isinstance(v, (Tensor, numbers.Number)):
            raise ValueError(
                "Input arguments must all be instances of Number, "
                "torch.Tensor or objects implementing __torch_function__."
            )
    if first is None:
        dtype = _dtypes.get_default_dtype()
        return tuple(_tensor(v, dtype=dtype) for v in values)
    values = [
        v if isinstance(v, Tensor) else _tensor(v, dtype=first.dtype, device=first.device)
        for v in values
    ]
    return tuple(broadcast_tensors(*values))


def standard_normal(shape, like: Tensor) -> Tensor:
    """Standard normal draws of ``shape`` in ``like``'s dtype and device, from minitorch's
    seeded generator."""
    return draw(
        like, lambda rng, dt: rng.standard_normal(tuple(shape), dtype=dt), "normal_kernel_cpu"
    )


def uniform(shape, like: Tensor, kernel: str = "check_uniform_bounds") -> Tensor:
    """Draws in [0, 1) of ``shape`` in ``like``'s dtype and device (``kernel``: PyTorch's name
    of the sampler, for the error on an integer ``like``)."""
    return draw(like, lambda rng, dt: rng.random(tuple(shape), dtype=dt), kernel)


def draw(like: Tensor, fn, kernel: str) -> Tensor:
    """A tensor (no gradient) of ``fn(rng, dtype)``, a call of the device's seeded numpy or
    cupy Generator drawing floats in ``dtype``, cast to ``like``'s dtype. An integer or bool
    ``like`` (parameters given as integers) raises as PyTorch's sampler ``kernel`` does."""
    dt = like._data.dtype
    if dt.kind not in "fc":
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(dt)}'"
        )
    draw_dt = dt if dt in (np.float16, np.float64) else np.float32  # float16: its own kernel
    data = fn(default_generator(like.device).rng, draw_dt)
    return make_tensor(data.astype(dt, copy=False))


def clamp_probs(probs: Tensor) -> Tensor:
    """Mirrors ``torch.distributions.utils.clamp_probs``: into [eps, 1 - eps]."""
    eps = float(np.finfo(probs._data.dtype).eps)
    return clamp(probs, min=eps, max=1 - eps)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """Mirrors ``torch.distributions.utils.logits_to_probs``."""
    return sigmoid(logits) if is_binary else softmax(logits, dim=-1)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """Mirrors ``torch.distributions.utils.probs_to_logits``."""
    ps_clamped = clamp_probs(probs)
    if is_binary:
        return log(ps_clamped) - log1p(-ps_clamped)
    return log(ps_clamped)


def sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """Sums the rightmost ``dim`` dimensions of ``value``."""
    if dim == 0:
        return value
    return value.reshape(*value.shape[: value.dim() - dim], -1).sum(-1)


class lazy_property:
    """Mirrors ``torch.distributions.utils.lazy_property``: computed on first access, then
    stored in the instance (so Categorical keeps whichever of probs/logits it was given).
    Computed with grad enabled, as PyTorch's: a first access inside ``no_grad`` (``sample``)
    must not cache a value cut off from the parameters."""

    def __init__(self, wrapped) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with enable_grad():
            value = self.wrapped(instance)
        instance.__dict__[self.wrapped.__name__] = value
        return value


def _tril_placement(n: int, diag: int, like: Tensor) -> Tensor:
    """The 0/1 matrix (n*n, N) that puts a row-order vector of the lower triangle (below
    ``diag``) into a flattened n x n matrix (a matmul: differentiable both ways)."""
    rows, cols = np.nonzero(np.tril(np.ones((n, n), dtype=bool), diag))
    placement = np.zeros((n * n, rows.size), dtype=like._data.dtype)
    placement[rows * n + cols, np.arange(rows.size)] = 1
    return make_tensor(placement)


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    """Mirrors ``torch.distributions.utils.tril_matrix_to_vec``: the lower triangle (below
    ``diag``) of (batches of) square matrices as vectors, in row order."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    if mat.dim() < 2 or mat.shape[-2] != n:  # PyTorch indexes with an n x n mask: its error
        return mat[..., make_tensor(np.tril(np.ones((n, n), dtype=bool), diag))]
    return mat.reshape(*mat.shape[:-2], n * n) @ _tril_placement(n, diag, mat)


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    """Mirrors ``torch.distributions.utils.vec_to_tril_matrix``: the inverse of
    ``tril_matrix_to_vec``."""
    # the positive root of D^2 + (1 + 2 diag) D - |diag| (diag + 1) - 2 N = 0
    b = 1 + 2 * diag
    n = (-b + (b**2 + 8 * vec.shape[-1] + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > float(np.finfo(vec._data.dtype).eps):
        raise ValueError(
            f"The size of last dimension is {vec.shape[-1]} which cannot be expressed as "
            "the lower triangular part of a square D x D matrix."
        )
    n = round(n)
    flat = vec @ _tril_placement(n, diag, vec).mT
    return flat.reshape(*vec.shape[:-1], n, n)


def one_matrix_parameter(error: type, **given) -> tuple:
    """(name, value) of the one matrix parameter given (covariance_matrix, precision_matrix
    or scale_tril), raising ``error`` with PyTorch's text unless exactly one is."""
    given = {k: v for k, v in given.items() if v is not None}
    if len(given) != 1:
        raise error(
            "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."
        )
    return next(iter(given.items()))


class BinaryProbs:
    """Mixin of the families with a binary event probability given as ``probs`` or
    ``logits`` (the given one also held as ``_param``): the other derived on first use."""

    @lazy_property
    def logits(self) -> Tensor:
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def _set_param(self, probs, logits) -> Size:
        """Sets the given one of ``probs`` / ``logits`` (as a tensor) and ``_param``, after
        PyTorch's check that exactly one is given; returns the batch shape it implies."""
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        name, given = ("probs", probs) if probs is not None else ("logits", logits)
        (value,) = broadcast_all(given)
        setattr(self, name, value)
        self._param = value
        return Size() if isinstance(given, numbers.Number) else value.size()

    def _expanded_param(self, batch_shape: Size, params: dict) -> dict:
        """``params`` with the given one of ``probs`` / ``logits`` (and ``_param``) expanded
        to ``batch_shape``, for ``expand``."""
        for k in ("probs", "logits"):
            if k in self.__dict__:
                params[k] = params["_param"] = self.__dict__[k].expand(batch_shape)
        return params
