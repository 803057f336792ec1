"""Wishart (mirrors ``torch.distributions.Wishart``)."""

from __future__ import annotations

import math
import warnings
from numbers import Number

import numpy as np

from .. import _finfo
from .._tensor import Size, Tensor
from ..factories import arange, tensor
from ..linalg import slogdet
from ..ops import broadcast_shapes, diag_embed, digamma, einsum, mvlgamma, where
from ..ops.decomp import cholesky_solve
from . import constraints
from .exp_family import ExponentialFamily
from .gamma import Chi2
from .multivariate_normal import ScaleTrilMatrices
from .utils import one_matrix_parameter, standard_normal, vec_to_tril_matrix

_LOG_2 = math.log(2)


def _mvdigamma(x: Tensor, p: int) -> Tensor:
    """The multivariate digamma function: sum_i digamma(x - i / 2), i < p."""
    if not bool((x > (p - 1) / 2).all()):
        raise AssertionError("Wrong domain for multivariate digamma function.")
    halves = arange(p, dtype=x.dtype, device=x.device) / 2
    return digamma(x.unsqueeze(-1) - halves).sum(-1)


class Wishart(ScaleTrilMatrices, ExponentialFamily):
    """Mirrors ``torch.distributions.Wishart(df, covariance_matrix=None,
    precision_matrix=None, scale_tril=None)``: rsample by the Bartlett decomposition
    (differentiable in df and the scale); PyTorch's redraw of the rare singular sample is
    not done."""

    support = constraints.positive_definite
    has_rsample = True
    _mean_carrier_measure = 0

    @property
    def arg_constraints(self) -> dict:
        return {
            "covariance_matrix": constraints.positive_definite,
            "precision_matrix": constraints.positive_definite,
            "scale_tril": constraints.lower_cholesky,
            "df": constraints.greater_than(self.event_shape[-1] - 1),
        }

    def __init__(
        self, df, covariance_matrix=None, precision_matrix=None, scale_tril=None,
        validate_args: bool | None = None,
    ) -> None:  # fmt: skip
        name, param = one_matrix_parameter(
            AssertionError,
            covariance_matrix=covariance_matrix,
            precision_matrix=precision_matrix,
            scale_tril=scale_tril,
        )
        if param.dim() < 2:
            raise ValueError(
                "scale_tril must be at least two-dimensional, with optional leading batch "
                "dimensions"
            )
        if isinstance(df, Number):
            batch_shape = Size(param.shape[:-2])
            self.df = tensor(df, dtype=param.dtype, device=param.device)
        else:
            batch_shape = broadcast_shapes(param.shape[:-2], df.shape)
            self.df = df.expand(batch_shape)
        event_shape = param.shape[-2:]
        p = event_shape[-1]
        if bool((self.df <= p - 1).any()):
            raise ValueError(f"Value of df={df} expected to be greater than ndim - 1 = {p - 1}.")
        setattr(self, name, param.expand(*batch_shape, -1, -1))
        if bool((self.df < p).any()):
            warnings.warn(
                "Low df values detected. Singular samples are highly likely to occur for "
                "ndim - 1 < df < ndim.",
                stacklevel=2,
            )
        super().__init__(batch_shape, event_shape, validate_args=validate_args)
        self._set_scale_tril(name, param)
        self._dist_chi2 = self._chi2(batch_shape)

    def _chi2(self, batch_shape) -> Chi2:
        """The Bartlett decomposition's squared diagonal: Chi2(df - i), i < p."""
        L = self._unbroadcasted_scale_tril
        offsets = arange(self._event_shape[-1], dtype=L.dtype, device=L.device)
        return Chi2(df=self.df.unsqueeze(-1) - offsets.expand(*batch_shape, -1))

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Wishart, _instance)
        batch_shape = Size(batch_shape)
        cov_shape = batch_shape + self.event_shape
        params = {
            "_unbroadcasted_scale_tril": self._unbroadcasted_scale_tril.expand(cov_shape),
            "df": self.df.expand(batch_shape),
        }
        new = self._expanded_from(new, batch_shape, self._expanded_matrices(params, cov_shape))
        new._dist_chi2 = new._chi2(batch_shape)
        return new

    def _matrix_shape(self) -> tuple:
        return tuple(self._batch_shape + self._event_shape)

    def _df_matrix(self, df: Tensor) -> Tensor:
        return df.reshape(*self._batch_shape, 1, 1)

    @property
    def mean(self) -> Tensor:
        return self._df_matrix(self.df) * self.covariance_matrix

    @property
    def mode(self) -> Tensor:
        factor = self.df - self.covariance_matrix.shape[-1] - 1
        factor = where(factor <= 0, math.nan, factor)
        return self._df_matrix(factor) * self.covariance_matrix

    @property
    def variance(self) -> Tensor:
        V = self.covariance_matrix
        diag_V = V.diagonal(dim1=-2, dim2=-1)
        return self._df_matrix(self.df) * (V.pow(2) + einsum("...i,...j->...ij", diag_V, diag_V))

    def _bartlett_sampling(self, n: int) -> Tensor:
        """n draws (n, *batch, p, p) by the Bartlett decomposition: L A A^T L^T with
        A's squared diagonal Chi2(df - i) and standard normals below it."""
        p = self._event_shape[-1]
        eps = float(_finfo.finfo(self._unbroadcasted_scale_tril.dtype).eps)
        diagonal = self._dist_chi2.rsample((n,)).sqrt().clamp(min=eps)
        below = standard_normal((n, *self._batch_shape, p * (p - 1) // 2), like=diagonal)
        noise = diag_embed(diagonal) + vec_to_tril_matrix(below, diag=-1)
        chol = self._unbroadcasted_scale_tril @ noise
        return chol @ chol.mT

    def _flags(self, samples: Tensor, singular: bool) -> np.ndarray:
        """Per draw of (n, *batch, p, p): whether any batch member is singular (or, with
        ``singular`` False, positive definite)."""
        members = math.prod(self._batch_shape)  # (not -1: no draws at all is (0, members))
        ok = self.support.check(samples).detach()._data.reshape(samples.shape[0], members)
        return (~ok if singular else ok).any(1)

    def rsample(self, sample_shape=(), max_try_correction: int | None = None) -> Tensor:
        """Bartlett draws redrawn as PyTorch redraws them (the same draws from the same
        stream): PyTorch's first check flags the positive-definite draws (its test is
        inverted), which are all drawn afresh once; then the draws that came out singular,
        up to ``max_try_correction`` (10) times."""
        sample_shape = Size(sample_shape)
        sample = self._bartlett_sampling(sample_shape.numel())
        redraw = self._flags(sample, singular=False)
        if redraw.any():
            warnings.warn("Singular sample detected.", stacklevel=2)
        for _ in range(10 if max_try_correction is None else max_try_correction):
            if not redraw.any():
                break
            fresh = self._bartlett_sampling(int(redraw.sum()))
            sample[tensor(redraw)] = fresh  # a copy: the mask changes below, the graph keeps it
            redraw[redraw] = self._flags(fresh, singular=True)
        return sample.reshape(sample_shape + self._batch_shape + self._event_shape)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        nu, p = self.df, self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        half_log_det = L.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        # in PyTorch's order: slogdet's error for a value that is no square matrix first
        log_det = slogdet(value).logabsdet
        # as PyTorch, the factor's gradient is dense (cholesky_solve), not only its triangle
        trace = cholesky_solve(value, L).diagonal(dim1=-2, dim2=-1).sum(-1)
        return (
            -nu * (p * _LOG_2 / 2 + half_log_det)
            - mvlgamma(nu / 2, p)
            + (nu - p - 1) / 2 * log_det
            - trace / 2
        )

    def entropy(self) -> Tensor:
        nu, p = self.df, self._event_shape[-1]
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        return (
            (p + 1) * (p * _LOG_2 / 2 + half_log_det)
            + mvlgamma(nu / 2, p)
            - (nu - p - 1) / 2 * _mvdigamma(nu / 2, p)
            + nu * p / 2
        )

    @property
    def _natural_params(self) -> tuple:
        p = self._event_shape[-1]
        return -self.precision_matrix / 2, (self.df - p - 1) / 2

    def _log_normalizer(self, x, y) -> Tensor:
        p = self._event_shape[-1]
        return (y + (p + 1) / 2) * (-slogdet(-2 * x).logabsdet + _LOG_2 * p) + mvlgamma(
            y + (p + 1) / 2, p
        )
