"""The reparameterisation gradient of Gamma draws as an op: for x ~ Gamma(a, 1) drawn by
any sampler, dx/da = -(dP/da)(a, x) / p(x; a) (implicit reparameterisation), where P is the
regularized incomplete gamma function and dP/da a central difference in a (step 1e-4 a,
about 1e-10 relative error; from Q = 1 - P where x >= a + 1, so neither tail loses
precision). PyTorch's own gradient is an approximation good to about 1e-4."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..ops.gamma import igamma_arrays, lgamma_array


def standard_gamma_grad_array(a, x):
    """dx/da of standard Gamma(a) draws x (arrays of one float dtype)."""
    a64, x64 = a.astype(np.float64), x.astype(np.float64)
    h = 1e-4 * a64
    p_hi, q_hi = igamma_arrays(a64 + h, x64)
    p_lo, q_lo = igamma_arrays(a64 - h, x64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        dp = np.where(x64 < a64 + 1, p_hi - p_lo, q_lo - q_hi) / (2 * h)
        density = np.exp((a64 - 1) * np.log(x64) - x64 - lgamma_array(a64))
        return (-dp / density).astype(a.dtype, copy=False)


class StandardGammaGrad(Op):
    """dx/da as an op, so that its (unimplemented) derivative raises instead of being 0."""

    @staticmethod
    def forward(ctx, a, x):
        return standard_gamma_grad_array(a, x)

    @staticmethod
    def backward(ctx, g):
        raise NotImplementedError(
            "the second derivative of a Gamma, Beta or Dirichlet rsample with respect to "
            "the concentration is not implemented (PyTorch has none either)"
        )


class ReparameterizedGamma(Op):
    """Returns the draws x of Gamma(a, 1) given to it, with the gradient dx/da w.r.t. a."""

    @staticmethod
    def forward(ctx, a, x):
        ctx.save_for_backward(a, x)
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        return g * StandardGammaGrad.apply(a, x), None


def standard_gamma(concentration: Tensor, draws) -> Tensor:
    """Gamma(concentration, 1) draws ``draws`` (an array) carrying the reparameterisation
    gradient to ``concentration``."""
    return ReparameterizedGamma.apply(concentration, make_tensor(draws))
