"""The KL pairs PyTorch registers beyond kl.py's core: between different families (closed
forms where one exists, inf where p's support reaches outside q's), ContinuousBernoulli,
Pareto, and the low-rank multivariate normal pairs."""

from __future__ import annotations

import math

from .._tensor import Tensor
from ..autograd import grad
from ..factories import full_like
from ..linalg import solve_triangular
from ..ops import broadcast_shapes, diag_embed, digamma, erf, exp, lgamma, log, log1p, where, xlogy
from .bernoulli import Bernoulli
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Beta
from .exp_family import ExponentialFamily
from .gamma import Exponential, Gamma
from .kl import _masked_set, register_kl
from .laplace import Laplace
from .lowrank_multivariate_normal import (
    LowRankMultivariateNormal,
    _lowrank_logdet,
    _lowrank_mahalanobis,
)
from .multivariate_normal import MultivariateNormal, _batch_mahalanobis
from .normal import Normal
from .poisson import Binomial, Poisson
from .transformed_families import Gumbel, Pareto
from .uniform import Uniform
from .utils import euler_constant, sum_rightmost

_BOUNDED = (Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform)


def _infinite(p_param: Tensor):
    return lambda p, q: full_like(getattr(p, p_param), math.inf)


for _p, _param, _qs in [
    (Normal, "loc", _BOUNDED),
    (Laplace, "loc", _BOUNDED),
    (Gumbel, "loc", _BOUNDED),
    (Exponential, "rate", (Beta, ContinuousBernoulli, Pareto, Uniform)),
    (Gamma, "concentration", (Beta, ContinuousBernoulli, Pareto, Uniform)),
    (Pareto, "scale", (Beta, ContinuousBernoulli, Uniform)),
    (Beta, "concentration1", (Pareto,)),
    (ContinuousBernoulli, "probs", (Pareto,)),
    (Poisson, "rate", (Bernoulli, Binomial)),
]:
    for _q in _qs:
        register_kl(_p, _q)(_infinite(_param))


def _x_log_x(x: Tensor) -> Tensor:
    return xlogy(x, x)


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p, q) -> Tensor:
    width = p.high - p.low
    t1 = (math.sqrt(math.pi * 2) * q.scale / width).log()
    t2 = width.pow(2) / 12
    t3 = ((p.high + p.low - 2 * q.loc) / 2).pow(2)
    return t1 + 0.5 * (t2 + t3) / q.scale.pow(2)


@register_kl(Uniform, Gumbel)
def _kl_uniform_gumbel(p, q) -> Tensor:
    ratio = q.scale / (p.high - p.low)
    high = (p.high - q.loc) / q.scale
    low = (p.low - q.loc) / q.scale
    return ratio.log() + 0.5 * (high + low) - ratio * (exp(-high) - exp(-low))


@register_kl(Uniform, Exponential)
def _kl_uniform_exponential(p, q) -> Tensor:
    result = q.rate * (p.high + p.low) / 2 - ((p.high - p.low) * q.rate).log()
    return _masked_set(result, p.low < 0, math.inf)


@register_kl(Uniform, Gamma)
def _kl_uniform_gamma(p, q) -> Tensor:
    width = p.high - p.low
    t2 = lgamma(q.concentration) - q.concentration * q.rate.log()
    t3 = (1 - q.concentration) * (_x_log_x(p.high) - _x_log_x(p.low) - width) / width
    t4 = q.rate * (p.high + p.low) / 2
    return _masked_set(-width.log() + t2 + t3 + t4, p.low < 0, math.inf)


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p, q) -> Tensor:
    width = p.high - p.low
    a, b = q.concentration1, q.concentration0
    t2 = (a - 1) * (_x_log_x(p.high) - _x_log_x(p.low) - width) / width
    t3 = (b - 1) * (_x_log_x(1 - p.high) - _x_log_x(1 - p.low) + width) / width
    t4 = lgamma(a) + lgamma(b) - lgamma(a + b)
    return _masked_set(t3 + t4 - width.log() - t2, (p.high > 1) | (p.low < 0), math.inf)


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p, q) -> Tensor:
    result = -p.entropy() + (q.high - q.low).log()
    return _masked_set(result, (q.low > 0) | (q.high < 1), math.inf)


@register_kl(Beta, Normal)
def _kl_beta_normal(p, q) -> Tensor:
    total = p.concentration1 + p.concentration0
    mean = p.concentration1 / total
    var_normal = q.scale.pow(2)
    t2 = 0.5 * (var_normal * 2 * math.pi).log()
    t3 = (mean * (1 - mean) / (total + 1) + mean.pow(2)) * 0.5
    return -p.entropy() + t2 + (t3 - q.loc * mean + q.loc.pow(2) * 0.5) / var_normal


@register_kl(Beta, Exponential)
def _kl_beta_exponential(p, q) -> Tensor:
    mean = p.concentration1 / (p.concentration1 + p.concentration0)
    return -p.entropy() - q.rate.log() + q.rate * mean


@register_kl(Beta, Gamma)
def _kl_beta_gamma(p, q) -> Tensor:
    a, b = p.concentration1, p.concentration0
    t2 = lgamma(q.concentration) - q.concentration * q.rate.log()
    t3 = (q.concentration - 1) * (digamma(a) - digamma(a + b))
    return -p.entropy() + t2 - t3 + q.rate * a / (a + b)


@register_kl(Normal, Laplace)
def _kl_normal_laplace(p, q) -> Tensor:
    loc_diff = p.loc - q.loc
    ratio = loc_diff / p.scale
    t1 = (p.scale / q.scale).log()
    t2 = math.sqrt(2 / math.pi) * p.scale * exp(-0.5 * ratio.pow(2))
    t3 = loc_diff * erf(math.sqrt(0.5) * ratio)
    return -t1 + (t2 + t3) / q.scale - (0.5 * (1 + math.log(0.5 * math.pi)))


@register_kl(Normal, Gumbel)
def _kl_normal_gumbel(p, q) -> Tensor:
    mean_ratio = p.loc / q.scale
    var_ratio = (p.scale / q.scale).pow(2)
    loc_ratio = q.loc / q.scale
    t3 = exp(-mean_ratio + 0.5 * var_ratio + loc_ratio)
    return -0.5 * var_ratio.log() + mean_ratio - loc_ratio + t3 - 0.5 * (1 + math.log(2 * math.pi))


@register_kl(Laplace, Normal)
def _kl_laplace_normal(p, q) -> Tensor:
    var_normal = q.scale.pow(2)
    ratio = p.scale.pow(2) / var_normal
    t1 = 0.5 * log(2 * ratio / math.pi)
    t234 = 0.5 * p.loc.pow(2) - p.loc * q.loc + 0.5 * q.loc.pow(2)
    return -t1 + ratio + t234 / var_normal - 1


@register_kl(Gumbel, Normal)
def _kl_gumbel_normal(p, q) -> Tensor:
    ratio = p.scale / q.scale
    t1 = (ratio / math.sqrt(2 * math.pi)).log()
    t2 = (math.pi * ratio * 0.5).pow(2) / 3
    t3 = ((p.loc + p.scale * euler_constant - q.loc) / q.scale).pow(2) * 0.5
    return -t1 + t2 + t3 - (euler_constant + 1)


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p, q) -> Tensor:
    var_normal = q.scale.pow(2)
    rate_sqr = p.rate.pow(2)
    t1 = 0.5 * log(rate_sqr * var_normal * 2 * math.pi)
    t234 = rate_sqr.reciprocal() - q.loc / p.rate + q.loc.pow(2) * 0.5
    return t1 - 1 + t234 / var_normal


@register_kl(Exponential, Gamma)
def _kl_exponential_gamma(p, q) -> Tensor:
    ratio = q.rate / p.rate
    t1 = -q.concentration * log(ratio)
    return (
        t1
        + ratio
        + lgamma(q.concentration)
        + q.concentration * euler_constant
        - (1 + euler_constant)
    )


@register_kl(Gamma, Exponential)
def _kl_gamma_exponential(p, q) -> Tensor:
    return -p.entropy() - q.rate.log() + q.rate * p.concentration / p.rate


@register_kl(Gamma, Normal)
def _kl_gamma_normal(p, q) -> Tensor:
    c, var_normal, beta_sqr = p.concentration, q.scale.pow(2), p.rate.pow(2)
    t1 = 0.5 * log(beta_sqr * var_normal * 2 * math.pi) - c - lgamma(c)
    t2 = 0.5 * (c.pow(2) + c) / beta_sqr
    t3 = q.loc * c / p.rate
    t4 = 0.5 * q.loc.pow(2)
    return t1 + (c - 1) * digamma(c) + (t2 - t3 + t4) / var_normal


@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p, q) -> Tensor:
    return -p.entropy() - (p.probs * q.rate.log() - q.rate)


def _cb_cross_entropy_terms(p_mean: Tensor, q: ContinuousBernoulli) -> Tensor:
    """-E_p[log q(x)] minus p's entropy's sign: the q-dependent part of KL(p || CB q)."""
    return -p_mean * q.logits - log1p(-q.probs) - q._cont_bern_log_norm()


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_continuous_bernoulli_continuous_bernoulli(p, q) -> Tensor:
    t1 = p.mean * (p.logits - q.logits)
    t2 = p._cont_bern_log_norm() + log1p(-p.probs)
    return t1 + t2 - q._cont_bern_log_norm() - log1p(-q.probs)


@register_kl(Beta, ContinuousBernoulli)
def _kl_beta_continuous_bernoulli(p, q) -> Tensor:
    return -p.entropy() + _cb_cross_entropy_terms(p.mean, q)


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_continuous_bernoulli(p, q) -> Tensor:
    result = -p.entropy() + _cb_cross_entropy_terms(p.mean, q)
    return where((p.high >= 1) | (p.low <= 0), math.inf, result)


@register_kl(ContinuousBernoulli, Exponential)
def _kl_continuous_bernoulli_exponential(p, q) -> Tensor:
    return -p.entropy() - log(q.rate) + q.rate * p.mean


@register_kl(ContinuousBernoulli, Normal)
def _kl_continuous_bernoulli_normal(p, q) -> Tensor:
    t2 = 0.5 * (math.log(2.0 * math.pi) + (q.loc / q.scale).square()) + log(q.scale)
    t3 = (p.variance + p.mean.square() - 2.0 * q.loc * p.mean) / (2.0 * q.scale.square())
    return -p.entropy() + t2 + t3


@register_kl(ContinuousBernoulli, Uniform)
def _kl_continuous_bernoulli_uniform(p, q) -> Tensor:
    result = -p.entropy() + (q.high - q.low).log()
    return where((q.low >= 0) | (q.high <= 1), math.inf, result)


@register_kl(Exponential, Gumbel)
def _kl_exponential_gumbel(p, q) -> Tensor:
    prod = p.rate * q.scale
    loc_ratio = q.loc / q.scale
    return prod.log() - 1 - loc_ratio + exp(loc_ratio) * prod / (prod + 1) + prod.reciprocal()


@register_kl(Gamma, Gumbel)
def _kl_gamma_gumbel(p, q) -> Tensor:
    c = p.concentration
    prod = p.rate * q.scale
    loc_ratio = q.loc / q.scale
    t1 = (c - 1) * digamma(c) - lgamma(c) - c
    t2 = prod.log() + c / prod
    t3 = exp(loc_ratio) * (1 + prod.reciprocal()).pow(-c) - loc_ratio
    return t1 + t2 + t3


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p, q) -> Tensor:
    alpha_ratio = q.alpha / p.alpha
    result = q.alpha * (p.scale / q.scale).log() - alpha_ratio.log() + alpha_ratio - 1
    return where(p.scale < q.scale, math.inf, result)


@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p, q) -> Tensor:
    prod = p.scale * q.rate
    result = (p.alpha / prod).log() - p.alpha.reciprocal() + p.alpha * prod / (p.alpha - 1) - 1
    return _masked_set(result, p.alpha <= 1, math.inf)


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p, q) -> Tensor:
    common = p.scale.log() + p.alpha.reciprocal()
    t2 = lgamma(q.concentration) - q.concentration * q.rate.log()
    t4 = q.rate * p.alpha * p.scale / (p.alpha - 1)
    result = p.alpha.log() - common + t2 + (1 - q.concentration) * common + t4 - 1
    return _masked_set(result, p.alpha <= 1, math.inf)


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p, q) -> Tensor:
    two_var = 2 * q.scale.pow(2)
    common = p.scale / (p.alpha - 1)
    t1 = (math.sqrt(2 * math.pi) * q.scale * p.alpha / p.scale).log()
    t3 = p.alpha * common.pow(2) / (p.alpha - 2)
    t4 = (p.alpha * common - q.loc).pow(2)
    result = t1 - p.alpha.reciprocal() + (t3 + t4) / two_var - 1
    return _masked_set(result, p.alpha <= 2, math.inf)


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p, q) -> Tensor:
    width = p.high - p.low
    t1 = (q.alpha * q.scale.pow(q.alpha) * width).log()
    t2 = (_x_log_x(p.high) - _x_log_x(p.low) - width) / width
    return where(p.low < q.scale, math.inf, t2 * (q.alpha + 1) - t1)


def _trace_xxt(X: Tensor) -> Tensor:
    return X.pow(2).sum((-2, -1))


def _check_events(p, q) -> None:
    if p.event_shape != q.event_shape:
        raise ValueError(
            "KL-divergence between two (Low Rank) Multivariate Normals with different event "
            "shapes cannot be computed"
        )


def _q_woodbury_factor(q) -> Tensor:
    """A with (W W^T + D)^-1 = D^-1 - A^T A, from q's capacitance factor."""
    qWt_qDinv = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    return solve_triangular(q._capacitance_tril, qWt_qDinv, upper=False)


def _lowrank_terms(q, p_loc) -> tuple:
    """(log det of q's covariance, the Mahalanobis term of p's mean) for a low-rank q."""
    W, D, L = q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag, q._capacitance_tril
    return _lowrank_logdet(D, L), _lowrank_mahalanobis(W, D, q.loc - p_loc, L)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrank_lowrank(p, q) -> Tensor:
    _check_events(p, q)
    q_logdet, term3 = _lowrank_terms(q, p.loc)
    term1 = q_logdet - _lowrank_logdet(p._unbroadcasted_cov_diag, p._capacitance_tril)
    A = _q_woodbury_factor(q)
    pW, pD, qD = p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag, q._unbroadcasted_cov_diag
    term2 = (
        (pD / qD).sum(-1)
        + _trace_xxt(pW * qD.rsqrt().unsqueeze(-1))
        - _trace_xxt(A * pD.sqrt().unsqueeze(-2))
        - _trace_xxt(A @ pW)
    )
    return 0.5 * (term1 + term2 + term3 - p.event_shape[0])


@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_multivariatenormal_lowrank(p, q) -> Tensor:
    _check_events(p, q)
    q_logdet, term3 = _lowrank_terms(q, p.loc)
    pL = p._unbroadcasted_scale_tril
    term1 = q_logdet - 2 * pL.diagonal(dim1=-2, dim2=-1).log().sum(-1)
    A = _q_woodbury_factor(q)
    term2 = _trace_xxt(pL * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1)) - _trace_xxt(A @ pL)
    return 0.5 * (term1 + term2 + term3 - p.event_shape[0])


@register_kl(LowRankMultivariateNormal, MultivariateNormal)
def _kl_lowrank_multivariatenormal(p, q) -> Tensor:
    _check_events(p, q)
    qL = q._unbroadcasted_scale_tril
    term1 = 2 * qL.diagonal(dim1=-2, dim2=-1).log().sum(-1) - _lowrank_logdet(
        p._unbroadcasted_cov_diag, p._capacitance_tril
    )
    term3 = _batch_mahalanobis(qL, q.loc - p.loc)
    n, m = p.event_shape[0], p.cov_factor.shape[-1]
    batch = broadcast_shapes(qL.shape[:-2], p._unbroadcasted_cov_factor.shape[:-2])
    qL = qL.expand(*batch, n, n)
    pW = p._unbroadcasted_cov_factor.expand(*batch, n, m)
    pD_sqrt = diag_embed(p._unbroadcasted_cov_diag.sqrt()).expand(*batch, n, n)
    term2 = _trace_xxt(solve_triangular(qL, pW, upper=False)) + _trace_xxt(
        solve_triangular(qL, pD_sqrt, upper=False)
    )
    return 0.5 * (term1 + term2 + term3 - n)


@register_kl(ExponentialFamily, ExponentialFamily)
def _kl_expfamily_expfamily(p, q) -> Tensor:
    """The Bregman divergence of the log normalizer (for user families of one type)."""
    if type(p) is not type(q):
        raise NotImplementedError(
            "The cross KL-divergence between different exponential families cannot "
            "                            be computed using Bregman divergences"
        )
    p_nparams = [n.detach().requires_grad_() for n in p._natural_params]
    q_nparams = q._natural_params
    lg_normal = p._log_normalizer(*p_nparams)
    gradients = grad(lg_normal.sum(), p_nparams, create_graph=True)
    result = q._log_normalizer(*q_nparams) - lg_normal
    for pn, qn, g in zip(p_nparams, q_nparams, gradients):
        result = result - sum_rightmost((qn - pn) * g, len(q.event_shape))
    return result
