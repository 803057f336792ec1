"""PyTorch's Gamma and Dirichlet draws (``torch._standard_gamma``,
``torch._sample_dirichlet``) and their reparameterisation gradients as ops: for x ~ Gamma(a, 1)
drawn by any sampler, dx/da = -(dP/da)(a, x) / p(x; a) (implicit reparameterisation), with
PyTorch's approximations of it (``_reparam_grads``), so that gradients are PyTorch's numbers."""

from __future__ import annotations

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..ops.random_rejection import dirichlet_gammas, dirichlet_normalise, standard_gamma_draws
from ..random import generator_rng
from ._reparam_grads import dirichlet_grad_array, standard_gamma_grad_array


class _FirstDerivativeOnly(Op):
    """A reparameterisation gradient as an op, so that its (unimplemented) derivative raises
    instead of being 0 (PyTorch's are ``once_differentiable``)."""

    @staticmethod
    def backward(ctx, g):
        raise NotImplementedError(
            "the second derivative of a Gamma, Beta or Dirichlet rsample with respect to "
            "the concentration is not implemented (PyTorch has none either)"
        )


class StandardGammaGrad(_FirstDerivativeOnly):
    """dx/da of standard Gamma(a) draws x (``torch._standard_gamma_grad``)."""

    @staticmethod
    def forward(ctx, a, x):
        return standard_gamma_grad_array(a, x)


class DirichletGrad(_FirstDerivativeOnly):
    """dx/dalpha / (1 - x) of Beta(alpha, total - alpha) draws x (``torch._dirichlet_grad``)."""

    @staticmethod
    def forward(ctx, x, alpha, total):
        return dirichlet_grad_array(x, alpha, total)


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
    """Returns the Dirichlet draws x given to it, with PyTorch's gradient w.r.t. the
    concentration a: dx_i/da_j = D_j (delta_ij - x_i), D = ``_dirichlet_grad(x, a, sum(a))``."""

    @staticmethod
    def forward(ctx, a, x):
        ctx.save_for_backward(a, x)
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        d = DirichletGrad.apply(x, a, a.sum(-1, keepdim=True).expand_as(a))
        return d * (grad - (grad * x).sum(-1, keepdim=True)), None


def _stream(t: Tensor, generator):
    return generator_rng(generator, t.device)


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
    return ReparameterizedDirichlet.apply(concentration, make_tensor(x))
