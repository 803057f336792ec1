"""Cauchy and StudentT (mirror ``torch.distributions.Cauchy`` and ``StudentT``)."""

from __future__ import annotations

import math

from .._tensor import Size, Tensor
from ..factories import full
from ..ops import digamma, lgamma, log1p, rsqrt, where
from . import constraints
from ._loc_scale import LocScale
from .distribution import Distribution
from .gamma import Chi2
from .utils import broadcast_all, standard_normal


class Cauchy(LocScale, Distribution):
    """Mirrors ``torch.distributions.Cauchy(loc, scale)``."""

    def _filled(self, value: float) -> Tensor:
        return full(self._extended_shape(), value, dtype=self.loc.dtype, device=self.loc.device)

    @property
    def mean(self) -> Tensor:
        return self._filled(math.nan)

    @property
    def variance(self) -> Tensor:
        return self._filled(math.inf)

    def rsample(self, sample_shape=()) -> Tensor:
        eps = self.loc.new_empty(self._extended_shape(sample_shape)).cauchy_()
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) / self.scale
        return -math.log(math.pi) - self.scale.log() - log1p(z**2)

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.loc) / self.scale).atan() / math.pi + 0.5

    def icdf(self, value: Tensor) -> Tensor:
        return (math.pi * (value - 0.5)).tan() * self.scale + self.loc

    def entropy(self) -> Tensor:
        return math.log(4 * math.pi) + self.scale.log()


class StudentT(Distribution):
    """Mirrors ``torch.distributions.StudentT(df, loc=0.0, scale=1.0)``."""

    arg_constraints = {
        "df": constraints.positive,
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.real
    has_rsample = True

    def __init__(self, df, loc=0.0, scale=1.0, validate_args: bool | None = None) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)
        super().__init__(self.df.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(StudentT, _instance)
        batch_shape = Size(batch_shape)
        params = {k: getattr(self, k).expand(batch_shape) for k in ("df", "loc", "scale")}
        params["_chi2"] = self._chi2.expand(batch_shape)
        return self._expanded_from(new, batch_shape, params)

    @property
    def mean(self) -> Tensor:
        return where(self.df <= 1, math.nan, self.loc)

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        df = self.df
        finite = df > 2
        safe = where(finite, df, 3.0)  # keeps the unused branch (and its gradient) finite
        return where(
            finite, self.scale.pow(2) * safe / (safe - 2), where(df > 1, math.inf, math.nan)
        )

    def rsample(self, sample_shape=()) -> Tensor:
        X = standard_normal(self._extended_shape(sample_shape), like=self.df)
        Z = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (X * rsqrt(Z / self.df))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        df = self.df
        y = (value - self.loc) / self.scale
        Z = (
            self.scale.log()
            + 0.5 * df.log()
            + 0.5 * math.log(math.pi)
            + lgamma(0.5 * df)
            - lgamma(0.5 * (df + 1.0))
        )
        return -0.5 * (df + 1.0) * log1p(y**2.0 / df) - Z

    def entropy(self) -> Tensor:
        df = self.df
        lbeta = lgamma(0.5 * df) + math.lgamma(0.5) - lgamma(0.5 * (df + 1))
        return (
            self.scale.log()
            + 0.5 * (df + 1) * (digamma(0.5 * (df + 1)) - digamma(0.5 * df))
            + 0.5 * df.log()
            + lbeta
        )
