"""Multinomial (mirrors ``torch.distributions.Multinomial``)."""

from __future__ import annotations

from .._tensor import Size, Tensor
from ..factories import tensor, zeros
from ..ops import exp, lgamma, where
from . import constraints
from .categorical import Categorical, CategoricalParams
from .distribution import Distribution
from .poisson import Binomial
from .utils import broadcast_all


class Multinomial(CategoricalParams, Distribution):
    """Mirrors ``torch.distributions.Multinomial(total_count=1, probs=None, logits=None)``:
    the counts of ``total_count`` Categorical draws (in the probs' dtype)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}

    def __init__(
        self, total_count: int = 1, probs=None, logits=None, validate_args: bool | None = None
    ) -> None:
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        super().__init__(*self._categorical_shapes(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Multinomial, _instance)
        batch_shape = Size(batch_shape)
        # as PyTorch's, without _binomial: the entropy of an expanded Multinomial is its
        # AttributeError
        params = {
            "total_count": self.total_count,
            "_categorical": self._categorical.expand(batch_shape),
        }
        return self._expanded_from(new, batch_shape, params)

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        return constraints.multinomial(self.total_count)

    @property
    def mean(self) -> Tensor:
        return self.probs * self.total_count

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=()) -> Tensor:
        sample_shape = Size(sample_shape)
        draws = self._categorical.sample(Size((self.total_count,)) + sample_shape)
        draws = draws.permute(*range(1, draws.dim()), 0)  # the draws last
        counts = zeros(self._extended_shape(sample_shape), dtype=draws.dtype, device=draws.device)
        counts.scatter_add_(-1, draws, draws.new_ones(draws.shape))
        return counts.to(self.probs.dtype)

    def entropy(self) -> Tensor:
        n = tensor(self.total_count, device=self.probs.device)  # int64, so lgamma(n + 1) is in
        # the default float dtype, as in PyTorch
        term1 = n * self._categorical.entropy() - lgamma(n + 1)
        support = self._binomial.enumerate_support(expand=False)[1:]
        binomial_probs = exp(self._binomial.log_prob(support))
        weights = lgamma(support + 1)
        return term1 + (binomial_probs * weights).sum([0, -1])

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_factorial_n = lgamma(value.sum(-1) + 1)
        log_factorial_xs = lgamma(value + 1).sum(-1)
        logits = where((value == 0) & (logits == -float("inf")), 0.0, logits)
        return log_factorial_n - log_factorial_xs + (logits * value).sum(-1)
