"""What the location-scale families (Normal, Laplace, Cauchy) share: ``loc`` and ``scale``
broadcast together, the batch shape they give, ``expand`` and ``mode`` = loc."""

from __future__ import annotations

from numbers import Number

from .._tensor import Size, Tensor
from . import constraints
from .utils import broadcast_all


class LocScale:
    """Mixin placed before the family's base class (``class Normal(LocScale, ...)``)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        scalar = isinstance(loc, Number) and isinstance(scale, Number)
        super().__init__(Size() if scalar else self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        family = next(c for c in type(self).__mro__ if LocScale in c.__bases__)
        new = self._get_checked_instance(family, _instance)
        batch_shape = Size(batch_shape)
        params = {"loc": self.loc.expand(batch_shape), "scale": self.scale.expand(batch_shape)}
        return self._expanded_from(new, batch_shape, params)

    @property
    def mode(self) -> Tensor:
        return self.loc
