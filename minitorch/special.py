"""``minitorch.special``: mirrors ``torch.special``.

Most names are minitorch's existing ops under PyTorch's ``special`` names (``expit`` is
``sigmoid``, ``gammaln`` is ``lgamma``, ``psi`` is ``digamma``, ``multigammaln`` is
``mvlgamma``, ``gammainc``/``gammaincc`` are ``igamma``/``igammac``); the gamma and Bessel family lives in ``minitorch/ops/gamma.py``. Everything
here is differentiable (to any order) except the first argument of ``zeta``,
``gammainc`` and ``gammaincc``, ``modified_bessel_*`` and the orthogonal polynomials
(``ops/polynomials.py``), as in PyTorch.
"""

from __future__ import annotations

from ._tensor import Tensor
from .ops.elementwise import log1p, round, sigmoid
from .ops.gamma import (
    digamma,
    entr,
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
    xlog1py,
    zeta,
)
from .ops.nn import log_softmax as _log_softmax
from .ops.nn import softmax as _softmax
from .ops.polynomials import (
    chebyshev_polynomial_t,
    chebyshev_polynomial_u,
    chebyshev_polynomial_v,
    chebyshev_polynomial_w,
    hermite_polynomial_h,
    hermite_polynomial_he,
    laguerre_polynomial_l,
    legendre_polynomial_p,
    shifted_chebyshev_polynomial_t,
    shifted_chebyshev_polynomial_u,
    shifted_chebyshev_polynomial_v,
    shifted_chebyshev_polynomial_w,
)
from .ops.reduce import logsumexp
from .ops.special import erf, erfc, erfinv, exp2, expm1, logit, sinc, xlogy

__all__ = [
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
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
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
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
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
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
