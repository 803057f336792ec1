"""VonMises (mirrors ``torch.distributions.VonMises``): the circular normal distribution."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._tensor import Size, Tensor, make_tensor
from ..autograd import no_grad
from ..ops import cos, where
from ..random import default_generator
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, lazy_property

# log I0 and log I1 by the polynomial approximations of Abramowitz & Stegun 9.8.1-9.8.4
# (relative error below 2e-7), the ones PyTorch uses, so that the numbers agree
_SMALL = (  # I_n(x) / x^n as a polynomial in (x / 3.75)^2 for x < 3.75
    (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813),
    (0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411),
)
_LARGE = (  # sqrt(x) e^-x I_n(x) as a polynomial in 3.75 / x for x >= 3.75
    (0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706,
     0.02635537, -0.01647633, 0.00392377),
    (0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967,
     -0.02895312, 0.01787654, -0.00420059),
)  # fmt: skip


def _polynomial(y: Tensor, coefficients) -> Tensor:
    result = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        result = c + y * result
    return result


def _log_bessel_i(x: Tensor, order: int) -> Tensor:
    """log I_order(x) for x > 0, order 0 or 1."""
    small = _polynomial((x / 3.75) ** 2, _SMALL[order])
    if order == 1:
        small = x.abs() * small
    large = x - 0.5 * x.log() + _polynomial(3.75 / x, _LARGE[order]).log()
    return where(x < 3.75, small.log(), large)


class VonMises(Distribution):
    """Mirrors ``torch.distributions.VonMises(loc, concentration)``: angles in [-pi, pi);
    sampled by Best and Fisher's rejection method (in float64), without rsample."""

    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False

    def __init__(self, loc, concentration, validate_args: bool | None = None) -> None:
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.shape, Size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        validate_args = self.__dict__.get("_validate_args")
        loc = self.loc.expand(batch_shape)
        concentration = self.concentration.expand(batch_shape)
        return type(self)(loc, concentration, validate_args=validate_args)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        log_prob = self.concentration * cos(value - self.loc)
        return log_prob - math.log(2 * math.pi) - _log_bessel_i(self.concentration, 0)

    @lazy_property
    def _proposal_r(self) -> Tensor:
        kappa = self.concentration.detach().to(_dtypes.float64)
        tau = 1 + (1 + 4 * kappa**2).sqrt()
        rho = (tau - (2 * tau).sqrt()) / (2 * kappa)
        return where(kappa < 1e-5, 1 / kappa + kappa, (1 + rho**2) / (2 * rho))

    @no_grad()
    def sample(self, sample_shape=()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        loc = np.broadcast_to(self.loc.detach()._data.astype(np.float64), shape)
        kappa = np.broadcast_to(self.concentration.detach()._data.astype(np.float64), shape)
        r = np.broadcast_to(self._proposal_r._data, shape)
        rng = default_generator(self.loc.device).rng
        x = np.zeros(shape)
        done = np.zeros(shape, dtype=bool)
        while not done.all():
            u1, u2, u3 = rng.random((3, *shape))
            z = np.cos(np.pi * u1)
            f = (1 + r * z) / (r + z)
            c = kappa * (r - f)
            with np.errstate(divide="ignore", invalid="ignore"):
                accept = ((c * (2 - c) - u2) > 0) | (np.log(c / u2) + 1 - c >= 0)
            # an element accepted again takes the new value, as in PyTorch's loop
            x = np.where(accept, np.sign(u3 - 0.5) * np.arccos(f), x)
            done |= accept
        angles = (x + np.pi + loc) % (2 * np.pi) - np.pi
        return make_tensor(angles.astype(self.loc._data.dtype))

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @lazy_property
    def variance(self) -> Tensor:
        k = self.concentration
        return 1 - (_log_bessel_i(k, 1) - _log_bessel_i(k, 0)).exp()
