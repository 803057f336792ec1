"""PyTorch's Gamma and Dirichlet draws (``torch._standard_gamma``,
``torch._sample_dirichlet``) and their reparameterisation gradients as ops: for x ~ Gamma(a, 1) drawn by
any sampler, dx/da = -(dP/da)(a, x) / p(x; a) (implicit reparameterisation), where P is the
regularized incomplete gamma function and dP/da a central difference in a (step 1e-4 a,
about 1e-10 relative error; from Q = 1 - P where x >= a + 1, so neither tail loses
precision). PyTorch's own gradient is an approximation good to about 1e-4."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..ops.gamma import igamma_arrays, lgamma_array
from ..ops.random_rejection import dirichlet_gammas, dirichlet_normalise, standard_gamma_draws
from ..random import default_generator


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


class ReparameterizedDirichlet(Op):
    """Returns the Dirichlet draws x = g / sum(g) given to it (g ~ Gamma(a, 1) along the
    last axis), with the gradient of that normalisation w.r.t. a:
    dx_i/da_j = dg_j/da_j / S (delta_ij - x_i)."""

    @staticmethod
    def forward(ctx, a, g, x):
        ctx.save_for_backward(a, g, x)
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        a, g, x = ctx.saved_tensors
        dg = StandardGammaGrad.apply(a, g) / g.sum(-1, keepdim=True)
        return dg * (grad - (grad * x).sum(-1, keepdim=True)), None, None


def _stream(t: Tensor, generator):
    return (generator or default_generator(t.device)).rng


def _standard_gamma(concentration: Tensor, generator=None) -> Tensor:
    """Mirrors ``torch._standard_gamma``: Gamma(concentration, 1) per element, drawn as
    PyTorch draws it, with the reparameterisation gradient to the concentration."""
    alpha = concentration.detach()._data
    x = standard_gamma_draws(_stream(concentration, generator), alpha, alpha.dtype)
    return standard_gamma(concentration, x)


def _sample_dirichlet(concentration: Tensor, generator=None) -> Tensor:
    """Mirrors ``torch._sample_dirichlet``: Dirichlet draws along the last dimension
    (normalised float64 Gamma draws), as PyTorch draws them; no gradient."""
    alpha = concentration.detach()._data
    gammas = dirichlet_gammas(_stream(concentration, generator), alpha)
    return make_tensor(dirichlet_normalise(gammas, alpha.dtype))


def dirichlet_rsample(concentration: Tensor) -> Tensor:
    """``_sample_dirichlet``'s draws carrying the reparameterisation gradient to the
    concentration (as ``torch.distributions.Dirichlet.rsample``)."""
    alpha = concentration.detach()._data
    gammas = dirichlet_gammas(_stream(concentration, None), alpha)
    x = dirichlet_normalise(gammas, alpha.dtype)
    g = np.maximum(gammas.astype(alpha.dtype), np.finfo(alpha.dtype).tiny)
    return ReparameterizedDirichlet.apply(concentration, make_tensor(g), make_tensor(x))
