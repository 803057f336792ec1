"""GeneralizedPareto (mirrors ``torch.distributions.GeneralizedPareto``)."""

from __future__ import annotations

import math
from numbers import Number

from .._tensor import Size, Tensor
from ..factories import ones_like, tensor, zeros_like
from ..ops import broadcast_to, exp, expm1, isclose, log1p, where
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, uniform


class GeneralizedPareto(Distribution):
    """Mirrors ``torch.distributions.GeneralizedPareto(loc, scale, concentration)``; a zero
    concentration (|c| <= 1e-8, PyTorch's isclose) is the exponential limit."""

    arg_constraints = {
        "loc": constraints.real,
        "scale": constraints.positive,
        "concentration": constraints.real,
    }
    has_rsample = True

    def __init__(self, loc, scale, concentration, validate_args: bool | None = None) -> None:
        self.loc, self.scale, self.concentration = broadcast_all(loc, scale, concentration)
        scalar = all(isinstance(v, Number) for v in (loc, scale, concentration))
        super().__init__(Size() if scalar else self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(GeneralizedPareto, _instance)
        batch_shape = Size(batch_shape)
        params = {
            k: getattr(self, k).expand(batch_shape) for k in ("loc", "scale", "concentration")
        }
        return self._expanded_from(new, batch_shape, params)

    def _safe_concentration(self, zero: Tensor | None = None) -> tuple:
        """(where c is 0, c with those entries set to 1 so both branches stay finite).
        ``zero``: the 0 that c is compared with (PyTorch's log_prob and survival function
        take a tensor of the default dtype, so that isclose refuses a c of another dtype:
        'Double did not match Float')."""
        c = self.concentration
        eq_zero = isclose(c, zeros_like(c) if zero is None else zero)
        return eq_zero, where(eq_zero, ones_like(c), c)

    def _z(self, x: Tensor) -> Tensor:
        return (x - self.loc) / self.scale

    def rsample(self, sample_shape=()) -> Tensor:
        return self.icdf(uniform(self._extended_shape(sample_shape), like=self.loc))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        eq_zero, c = self._safe_concentration(tensor(0.0))
        y = 1 / c + ones_like(z)
        nonzero = where(y == 0, y, y * log1p(c * z))
        return -self.scale.log() - where(eq_zero, z, nonzero)

    def log_survival_function(self, value: Tensor) -> Tensor:
        """log P(X > value)."""
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        eq_zero, c = self._safe_concentration(tensor(0.0))
        return where(eq_zero, -z, -log1p(c * z) / c)

    def log_cdf(self, value: Tensor) -> Tensor:
        """log P(X <= value)."""
        return log1p(-exp(self.log_survival_function(value)))

    def cdf(self, value: Tensor) -> Tensor:
        return exp(self.log_cdf(value))

    def icdf(self, value: Tensor) -> Tensor:
        eq_zero, c = self._safe_concentration()
        logu = log1p(-value)
        nonzero = self.loc + self.scale / c * expm1(-c * logu)
        return where(eq_zero, self.loc - self.scale * logu, nonzero)

    @property
    def mean(self) -> Tensor:
        valid = self.concentration < 1
        c = where(valid, self.concentration, 0.5)
        return where(valid, self.loc + self.scale / (1 - c), math.nan)

    @property
    def variance(self) -> Tensor:
        valid = self.concentration < 0.5
        c = where(valid, self.concentration, 0.25)
        return where(valid, self.scale**2 / ((1 - c) ** 2 * (1 - 2 * c)), math.nan)

    def entropy(self) -> Tensor:
        return broadcast_to(self.scale.log() + self.concentration + 1, self._batch_shape)

    @property
    def mode(self) -> Tensor:
        return self.loc

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        lower = self.loc
        upper = where(self.concentration < 0, lower - self.scale / self.concentration, math.inf)
        return constraints.interval(lower, upper)
