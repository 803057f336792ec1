"""Laplace (mirrors ``torch.distributions.Laplace``)."""

from __future__ import annotations

import math
from numbers import Number

from .. import _finfo
from .._tensor import Size, Tensor
from ..ops import log, log1p
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, draw


class Laplace(Distribution):
    """Mirrors ``torch.distributions.Laplace(loc, scale)``."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        scalar = isinstance(loc, Number) and isinstance(scale, Number)
        super().__init__(Size() if scalar else self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Laplace, _instance)
        batch_shape = Size(batch_shape)
        params = {"loc": self.loc.expand(batch_shape), "scale": self.scale.expand(batch_shape)}
        return self._expanded_from(new, batch_shape, params)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return 2 * self.scale.pow(2)

    @property
    def stddev(self) -> Tensor:
        return math.sqrt(2) * self.scale

    def rsample(self, sample_shape=()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        low = float(_finfo.finfo(self.loc.dtype).eps) - 1  # u in (-1, 1): log1p(-|u|) finite
        u = draw(self.loc, lambda rng, dt: rng.uniform(low, 1.0, shape).astype(dt))
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
