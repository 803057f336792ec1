"""ExponentialFamily (mirrors ``torch.distributions.ExponentialFamily``)."""

from __future__ import annotations

from .._tensor import Tensor
from ..autograd import grad
from .distribution import Distribution


class ExponentialFamily(Distribution):
    """Mirrors ``torch.distributions.ExponentialFamily``: densities
    p(x; theta) = exp(<t(x), theta> - F(theta) + k(x)). A subclass that defines
    ``_natural_params``, ``_log_normalizer`` and ``_mean_carrier_measure`` gets ``entropy``
    from the Bregman divergence of F (the built-in families override it in closed form)."""

    @property
    def _natural_params(self) -> tuple:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params) -> Tensor:
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError

    def entropy(self) -> Tensor:
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = grad(lg_normal.sum(), nparams, create_graph=True)
        result = lg_normal - self._mean_carrier_measure
        for p, g in zip(nparams, gradients):
            result = result - (p * g).reshape(*self._batch_shape, -1).sum(-1)
        return result
