"""LogitRelaxedBernoulli and RelaxedBernoulli (mirror ``torch.distributions.relaxed_bernoulli``):
the Concrete relaxation of a Bernoulli, reparameterised, so binary latent variables can be
trained by backpropagation."""

from __future__ import annotations

from .._tensor import Size, Tensor
from ..ops import log1p
from . import constraints
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import SigmoidTransform
from .utils import (
    BinaryProbs,
    broadcast_all,
    clamp_probs,
    uniform,
)


class LogitRelaxedBernoulli(BinaryProbs, Distribution):
    """Mirrors ``torch.distributions.LogitRelaxedBernoulli(temperature, probs=None,
    logits=None)``: the logit of a RelaxedBernoulli draw."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real

    def __init__(
        self, temperature: Tensor, probs=None, logits=None, validate_args: bool | None = None
    ) -> None:
        self.temperature = temperature
        batch_shape = self._set_param(probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LogitRelaxedBernoulli, _instance)
        batch_shape = Size(batch_shape)
        params = self._expanded_param(batch_shape, {"temperature": self.temperature})
        return self._expanded_from(new, batch_shape, params)

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        probs = clamp_probs(self.probs.expand(shape))
        u = clamp_probs(uniform(shape, like=probs))
        return (u.log() - log1p(-u) + probs.log() - log1p(-probs)) / self.temperature

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value * self.temperature
        return self.temperature.log() + diff - 2 * log1p(diff.exp())


class RelaxedParams:
    """Mixin of the relaxed distributions: ``temperature``, ``logits`` and ``probs`` are
    their base distribution's."""

    @property
    def temperature(self) -> Tensor:
        return self.base_dist.temperature

    @property
    def logits(self) -> Tensor:
        return self.base_dist.logits

    @property
    def probs(self) -> Tensor:
        return self.base_dist.probs


class RelaxedBernoulli(RelaxedParams, TransformedDistribution):
    """Mirrors ``torch.distributions.RelaxedBernoulli(temperature, probs=None,
    logits=None)``: draws in (0, 1) that approach Bernoulli draws as temperature -> 0."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(
        self, temperature: Tensor, probs=None, logits=None, validate_args: bool | None = None
    ) -> None:
        base_dist = LogitRelaxedBernoulli(temperature, probs, logits)
        super().__init__(base_dist, SigmoidTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(RelaxedBernoulli, _instance)
        return super().expand(batch_shape, _instance=new)
