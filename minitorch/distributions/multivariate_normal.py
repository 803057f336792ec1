"""MultivariateNormal (mirrors ``torch.distributions.MultivariateNormal``)."""

from __future__ import annotations

import math

from .._tensor import Size, Tensor
from ..factories import eye
from ..linalg import cholesky, solve_triangular
from ..ops import broadcast_shapes
from ..ops.decomp import cholesky_inverse
from . import constraints
from .distribution import Distribution
from .utils import lazy_property, one_matrix_parameter, standard_normal


def _inverse_tril(L: Tensor) -> Tensor:
    """L^-1 of lower-triangular L (batched)."""
    n = L.shape[-1]
    return solve_triangular(L, eye(n, dtype=L.dtype, device=L.device).expand_as(L), upper=False)


def _precision_to_scale_tril(P: Tensor) -> Tensor:
    """The lower Cholesky factor of P^-1 without inverting P: with flip(P) = Lf Lf^T,
    P^-1 = L L^T where L = (flip(Lf)^T)^-1 (lower triangular)."""
    Lf = cholesky(P.flip((-2, -1)))
    return _inverse_tril(Lf.flip((-2, -1)).mT)


def _batch_mahalanobis(L: Tensor, x: Tensor) -> Tensor:
    """x^T (L L^T)^-1 x for each batch entry."""
    n = x.shape[-1]
    batch = broadcast_shapes(L.shape[:-2], x.shape[:-1])
    z = solve_triangular(L.expand(*batch, n, n), x.expand(*batch, n).unsqueeze(-1), upper=False)
    return z.squeeze(-1).pow(2).sum(-1)


class ScaleTrilMatrices:
    """Mixin of the families given one of ``covariance_matrix``, ``precision_matrix`` or
    ``scale_tril``, held as ``_unbroadcasted_scale_tril``: the other two derived on first
    use, expanded to the class's ``_matrix_shape()``."""

    def _set_scale_tril(self, name: str, matrix: Tensor) -> None:
        """Holds the given matrix (named ``name``) as its lower Cholesky factor."""
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)

    def _expanded_matrices(self, params: dict, cov_shape: Size) -> dict:
        """``params`` with the given matrices expanded to ``cov_shape``, for ``expand``."""
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                params[name] = self.__dict__[name].expand(cov_shape)
        return params

    @lazy_property
    def scale_tril(self) -> Tensor:
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        L = self._unbroadcasted_scale_tril
        return (L @ L.mT).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self) -> Tensor:
        return cholesky_inverse(self._unbroadcasted_scale_tril).expand(self._matrix_shape())


class MultivariateNormal(ScaleTrilMatrices, Distribution):
    """Mirrors ``torch.distributions.MultivariateNormal(loc, covariance_matrix=None,
    precision_matrix=None, scale_tril=None)``: exactly one of the three matrices."""

    arg_constraints = {
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self, loc: Tensor, covariance_matrix=None, precision_matrix=None, scale_tril=None,
        validate_args: bool | None = None,
    ) -> None:  # fmt: skip
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        name, matrix = one_matrix_parameter(
            ValueError,
            scale_tril=scale_tril,
            covariance_matrix=covariance_matrix,
            precision_matrix=precision_matrix,
        )
        if matrix.dim() < 2:
            label = "scale_tril matrix" if name == "scale_tril" else name
            raise ValueError(
                f"{label} must be at least two-dimensional, with optional leading batch dimensions"
            )
        batch_shape = broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(*batch_shape, -1, -1))
        self.loc = loc.expand(*batch_shape, -1)
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        self._set_scale_tril(name, matrix)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(MultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        loc_shape = batch_shape + self.event_shape
        cov_shape = loc_shape + self.event_shape
        params = {
            "loc": self.loc.expand(loc_shape),
            "_unbroadcasted_scale_tril": self._unbroadcasted_scale_tril,
        }
        return self._expanded_from(new, batch_shape, self._expanded_matrices(params, cov_shape))

    def _matrix_shape(self) -> tuple:
        return tuple(self._batch_shape + self._event_shape + self._event_shape)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        variance = self._unbroadcasted_scale_tril.pow(2).sum(-1)
        return variance.expand(tuple(self._batch_shape + self._event_shape))

    def rsample(self, sample_shape=()) -> Tensor:
        eps = standard_normal(self._extended_shape(sample_shape), like=self.loc)
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def _half_log_det(self) -> Tensor:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        M = _batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + M) - self._half_log_det()

    def entropy(self) -> Tensor:
        H = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return H.expand(tuple(self._batch_shape)) if len(self._batch_shape) else H
