"""LKJCholesky (mirrors ``torch.distributions.LKJCholesky``): the LKJ distribution over
correlation matrices, on their lower Cholesky factors."""

from __future__ import annotations

import math

from .. import _finfo
from .._tensor import Size, Tensor
from ..factories import arange
from ..ops import cat, diag_embed, lgamma, mvlgamma
from . import constraints
from .dirichlet import Beta
from .distribution import Distribution
from .utils import broadcast_all, standard_normal


class LKJCholesky(Distribution):
    """Mirrors ``torch.distributions.LKJCholesky(dim, concentration=1.0)``; sampled by the
    onion method (a Beta radius and a uniform direction for each row)."""

    arg_constraints = {"concentration": constraints.positive}
    support = constraints.corr_cholesky

    def __init__(self, dim: int, concentration=1.0, validate_args: bool | None = None) -> None:
        if dim < 2:
            raise ValueError(
                f"Expected dim to be an integer greater than or equal to 2. Found dim={dim}."
            )
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        marginal_conc = self.concentration + 0.5 * (self.dim - 2)
        offset = arange(
            self.dim - 1, dtype=self.concentration.dtype, device=self.concentration.device
        )
        offset = cat([offset.new_zeros((1,)), offset])
        self._beta = Beta(offset + 0.5, marginal_conc.unsqueeze(-1) - 0.5 * offset)
        super().__init__(self.concentration.size(), Size((dim, dim)), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LKJCholesky, _instance)
        batch_shape = Size(batch_shape)
        params = {
            "dim": self.dim,
            "concentration": self.concentration.expand(batch_shape),
            "_beta": self._beta.expand(batch_shape + (self.dim,)),
        }
        return self._expanded_from(new, batch_shape, params)

    def sample(self, sample_shape=()) -> Tensor:
        y = self._beta.sample(sample_shape).unsqueeze(-1)
        u_normal = standard_normal(self._extended_shape(sample_shape), like=y).tril(-1)
        u_hypersphere = u_normal / (u_normal**2).sum(-1, keepdim=True).sqrt()
        u_hypersphere[..., 0, :] = 0.0  # the first row is (1, 0, ..., 0)
        w = y.sqrt() * u_hypersphere
        tiny = float(_finfo.finfo(w.dtype).tiny)
        diag = (1 - (w**2).sum(-1)).clamp(min=tiny).sqrt()
        return w + diag_embed(diag)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diag_elems = value.diagonal(dim1=-1, dim2=-2)[..., 1:]
        order = arange(2, self.dim + 1, device=self.concentration.device)
        order = 2 * (self.concentration - 1).unsqueeze(-1) + self.dim - order
        unnormalized_log_pdf = (order * diag_elems.log()).sum(-1)
        dm1 = self.dim - 1
        alpha = self.concentration + 0.5 * dm1
        normalize_term = (
            0.5 * dm1 * math.log(math.pi) + mvlgamma(alpha - 0.5, dm1) - lgamma(alpha) * dm1
        )
        return unnormalized_log_pdf - normalize_term
