"""Normal (mirrors ``torch.distributions.Normal``)."""

from __future__ import annotations

import math
from numbers import Number

from .._tensor import Tensor
from ..autograd import no_grad
from ..factories import normal
from ..ops import erf, erfinv, log
from ._loc_scale import LocScale
from .exp_family import ExponentialFamily
from .utils import standard_normal

_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


class Normal(LocScale, ExponentialFamily):
    """Mirrors ``torch.distributions.Normal(loc, scale)``."""

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)

    def sample(self, sample_shape=()) -> Tensor:
        # PyTorch's torch.normal(loc, scale): a tensor of loc's dtype (rsample promotes), its
        # error for a negative scale
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=()) -> Tensor:
        eps = standard_normal(self._extended_shape(sample_shape), like=self.loc)
        return self.loc + eps * self.scale

    def log_prob(self, value) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        log_scale = math.log(self.scale) if isinstance(self.scale, Number) else self.scale.log()
        return -((value - self.loc) ** 2) / (2 * self.variance) - log_scale - _LOG_SQRT_2PI

    def cdf(self, value) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value) -> Tensor:
        return self.loc + self.scale * erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + log(self.scale)
