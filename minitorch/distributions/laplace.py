"""Laplace (mirrors ``torch.distributions.Laplace``)."""

from __future__ import annotations

import math

from .. import _finfo
from .._tensor import Tensor
from ..ops import log, log1p
from ._loc_scale import LocScale
from .distribution import Distribution


class Laplace(LocScale, Distribution):
    """Mirrors ``torch.distributions.Laplace(loc, scale)``."""

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return 2 * self.scale.pow(2)

    @property
    def stddev(self) -> Tensor:
        return math.sqrt(2) * self.scale

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        low = float(_finfo.finfo(self.loc.dtype).eps) - 1  # u in (-1, 1): log1p(-|u|) finite
        u = self.loc.new_empty(shape).uniform_(low, 1.0)
        return self.loc - self.scale * u.sign() * log1p(-u.abs())

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return -log(2 * self.scale) - (value - self.loc).abs() / self.scale

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        z = value - self.loc
        return 0.5 - 0.5 * z.sign() * (-z.abs() / self.scale).expm1()

    def icdf(self, value: Tensor) -> Tensor:
        term = value - 0.5
        return self.loc - self.scale * term.sign() * log1p(-2 * term.abs())

    def entropy(self) -> Tensor:
        return 1 + log(2 * self.scale)
