"""ExpRelaxedCategorical and RelaxedOneHotCategorical (mirror
``torch.distributions.relaxed_categorical``): Gumbel-softmax draws on the simplex,
reparameterised, so categorical latent variables can be trained by backpropagation."""

from __future__ import annotations

from .._tensor import Size, Tensor
from ..factories import full_like
from ..ops import lgamma, logsumexp
from . import constraints
from .categorical import Categorical, CategoricalParams
from .distribution import Distribution
from .relaxed_bernoulli import RelaxedParams
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform
from .utils import broadcast_all, clamp_probs, uniform


class ExpRelaxedCategorical(CategoricalParams, Distribution):
    """Mirrors ``torch.distributions.ExpRelaxedCategorical(temperature, probs=None,
    logits=None)``: the log of a RelaxedOneHotCategorical draw."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self, temperature: Tensor, probs=None, logits=None, validate_args: bool | None = None
    ) -> None:
        self._categorical = Categorical(probs, logits)
        self.temperature = temperature
        super().__init__(*self._categorical_shapes(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(ExpRelaxedCategorical, _instance)
        batch_shape = Size(batch_shape)
        params = {
            "temperature": self.temperature,
            "_categorical": self._categorical.expand(batch_shape),
        }
        return self._expanded_from(new, batch_shape, params)

    def rsample(self, sample_shape=()) -> Tensor:
        u = clamp_probs(uniform(self._extended_shape(sample_shape), like=self.logits))
        gumbels = -((-(u.log())).log())
        scores = (self.logits + gumbels) / self.temperature
        return scores - logsumexp(scores, dim=-1, keepdim=True)

    def log_prob(self, value: Tensor) -> Tensor:
        K = self._categorical._num_events
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_scale = lgamma(full_like(self.temperature, float(K))) - self.temperature.log() * -(
            K - 1
        )
        score = logits - value * self.temperature
        score = (score - logsumexp(score, dim=-1, keepdim=True)).sum(-1)
        return score + log_scale


class RelaxedOneHotCategorical(RelaxedParams, TransformedDistribution):
    """Mirrors ``torch.distributions.RelaxedOneHotCategorical(temperature, probs=None,
    logits=None)``: Gumbel-softmax draws on the simplex."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex
    has_rsample = True

    def __init__(
        self, temperature: Tensor, probs=None, logits=None, validate_args: bool | None = None
    ) -> None:
        base_dist = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base_dist, ExpTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(RelaxedOneHotCategorical, _instance)
        return super().expand(batch_shape, _instance=new)
