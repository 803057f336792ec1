"""``minitorch.special``: mirrors ``torch.special``.

Most names are minitorch's existing ops under PyTorch's ``special`` names (``expit`` is
``sigmoid``, ``gammaln`` is ``lgamma``, ``psi`` is ``digamma``, ``multigammaln`` is
``mvlgamma``, ``gammainc``/``gammaincc`` are ``igamma``/``igammac``); the gamma and Bessel family lives in ``minitorch/ops/gamma.py``. Everything
here is differentiable (to any order) except ``zeta``, ``modified_bessel_*`` and the first
argument of ``gammainc``/``gammaincc``, as in PyTorch.
"""

from __future__ import annotations

import math

import numpy as np

from ._tensor import Tensor
from .ops.elementwise import _floating, const, log1p, round, sigmoid, where
from .ops.gamma import (
    digamma,
    erfcx,
    i0,
    i0e,
    i1,
    i1e,
    igamma,
    igammac,
    lgamma,
    log_ndtr,
    mvlgamma,
    ndtr,
    ndtri,
    polygamma,
    zeta,
)
from .ops.nn import log_softmax as _log_softmax
from .ops.nn import softmax as _softmax
from .ops.reduce import logsumexp
from .ops.special import _operands, erf, erfc, erfinv, exp2, expm1, logit, sinc, xlogy

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammainc",
    "gammaincc",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
    "zeta",
]

expit = sigmoid
gammaln = lgamma
gammainc, gammaincc = igamma, igammac
psi = digamma


def multigammaln(input: Tensor, p: int) -> Tensor:
    """Mirrors ``torch.special.multigammaln`` (``torch.mvlgamma``)."""
    return mvlgamma(input, p)


def modified_bessel_i0(input: Tensor) -> Tensor:
    """Mirrors ``torch.special.modified_bessel_i0``: I0, without gradient as in PyTorch
    (``i0`` has one)."""
    return i0(input).detach()


def modified_bessel_i1(input: Tensor) -> Tensor:
    """Mirrors ``torch.special.modified_bessel_i1``: I1, without gradient as in PyTorch
    (``i1`` has one)."""
    return i1(input).detach()


def softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Mirrors ``torch.special.softmax``."""
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Mirrors ``torch.special.log_softmax``."""
    return _log_softmax(input, dim, dtype=dtype)


def xlog1py(input, other) -> Tensor:
    """Mirrors ``torch.special.xlog1py``: input * log1p(other), 0 where input is 0 (unless
    other is NaN); the gradient w.r.t. input is 0 there too, as in PyTorch."""
    x, y = _operands("xlog1py", input, other)
    zero = const((x._data == 0) & ~np.isnan(y._data))
    with np.errstate(divide="ignore", invalid="ignore"):  # -inf and NaN as in PyTorch
        return where(zero, 0.0, x * log1p(where(zero, 0.0, y)))


def entr(input: Tensor) -> Tensor:
    """Mirrors ``torch.special.entr``: -x log x for x > 0, 0 at 0, -inf below 0."""
    x = _floating(input)
    return where(const(x._data < 0), -math.inf, -xlogy(x, x))
