"""``minitorch.special``: mirrors ``torch.special``.

Most names are minitorch's existing ops under PyTorch's ``special`` names (``expit`` is
``sigmoid``, ``gammaln`` is ``lgamma``, ``psi`` is ``digamma``, ``multigammaln`` is
``mvlgamma``, ``gammainc``/``gammaincc`` are ``igamma``/``igammac``); the gamma family and
I0/I1 live in ``ops/gamma.py``, the other Bessel functions in ``ops/bessel.py``, the
orthogonal polynomials in ``ops/polynomials.py``.
Everything here is differentiable (to any order) except, as in PyTorch, the first argument of
``zeta``, ``gammainc`` and ``gammaincc``, the Bessel functions of ``ops/bessel.py``,
``modified_bessel_i0/i1``, ``spherical_bessel_j0``, ``airy_ai`` and the polynomials.
"""

from __future__ import annotations

import functools

import numpy as np

from . import _dtypes
from ._tensor import Tensor, make_tensor
from .ops.bessel import (
    airy_ai,
    bessel_j0,
    bessel_j1,
    bessel_y0,
    bessel_y1,
    modified_bessel_k0,
    modified_bessel_k1,
    scaled_modified_bessel_k0,
    scaled_modified_bessel_k1,
)
from .ops.elementwise import _floating, _invalid_combination, log1p, require_tensors, sigmoid
from .ops.elementwise import round as _round
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
from .ops.out_arg import with_out
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
    "airy_ai",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
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
    "modified_bessel_k0",
    "modified_bessel_k1",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "sinc",
    "softmax",
    "spherical_bessel_j0",
    "xlog1py",
    "xlogy",
    "zeta",
]

expit = sigmoid
gammaln = lgamma
psi = digamma


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.special.gammainc`` (``torch.igamma``): Tensors only."""
    require_tensors("special_gammainc", input, other)
    return igamma(input, other)


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.special.gammaincc`` (``torch.igammac``): Tensors only."""
    require_tensors("special_gammaincc", input, other)
    return igammac(input, other)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Mirrors ``torch.special.round``: ``torch.round``'s decimals overload (its kernel
    refuses integers, its node is RoundBackward1)."""
    return _round(input, decimals=decimals)


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


def spherical_bessel_j0(input: Tensor) -> Tensor:
    """Mirrors ``torch.special.spherical_bessel_j0``: sin(x) / x, 1 at 0 and 0 at +-inf (no
    gradient, as in PyTorch)."""
    x = _floating(input)._data
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x == 0, 1, np.sin(x) / x)
    return make_tensor(np.where(np.isinf(x), 0, out).astype(x.dtype, copy=False))


def special_softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Mirrors ``torch.special.softmax`` (named as PyTorch's binding, which Python's own
    TypeErrors, e.g. for ``out=``, name)."""
    return _softmax(input, dim, dtype=dtype)


def special_log_softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Mirrors ``torch.special.log_softmax`` (named as PyTorch's binding)."""
    return _log_softmax(input, dim, dtype=dtype)


softmax, log_softmax = special_softmax, special_log_softmax


def _no_16bit_floats(fn):
    """``fn`` refusing float16/bfloat16 input, as PyTorch's kernel (float32/float64 only)."""
    name = fn.__name__

    @functools.wraps(fn)
    def op(input, *args, **kwargs):
        if isinstance(input, Tensor) and input._data.dtype in _dtypes.HALF_NP:
            kind = _dtypes.scalar_type_name(input._data.dtype)
            raise NotImplementedError(
                f"\"{name}_{input.device.type}\" not implemented for '{kind}'"
            )
        return fn(input, *args, **kwargs)

    return op


for _name in (
    ("airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "erfcx", "log_ndtr")
    + ("modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1")
    + ("ndtri", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0")
):
    globals()[_name] = _no_16bit_floats(globals()[_name])


def _not_two_numbers(fn):
    """``fn(input, other)`` refusing two numbers with the TypeError of PyTorch's binding
    ``special_<name>`` ((Tensor, Tensor), (Number, Tensor) and (Tensor, Number) only)."""
    name = f"special_{fn.__name__}"

    @functools.wraps(fn)
    def op(input, other):
        if not isinstance(input, Tensor) and not isinstance(other, Tensor):
            raise _invalid_combination(name, input, other)
        return fn(input, other)

    return op


xlogy, xlog1py, zeta = _not_two_numbers(xlogy), _not_two_numbers(xlog1py), _not_two_numbers(zeta)
for _name in __all__:  # PyTorch's out= keyword (all but the softmaxes)
    if _name not in ("softmax", "log_softmax"):
        globals()[_name] = with_out(globals()[_name])
del _name
