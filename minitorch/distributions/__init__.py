"""minitorch.distributions: probability distributions with differentiable densities and
reparameterised sampling (mirrors ``torch.distributions``)."""

import sys as _sys

from . import (
    _kl_cross,  # noqa: F401, E402  (registers the cross-family KL pairs)
    categorical,
    cauchy,
    constraints,
    dirichlet,
    gamma,
    poisson,
    relaxed_bernoulli,
    relaxed_categorical,
    transformed_distribution,
    transformed_families,
    transforms,
)
from .bernoulli import Bernoulli
from .categorical import Categorical, OneHotCategorical, OneHotCategoricalStraightThrough
from .cauchy import Cauchy, StudentT
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Beta, Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .gamma import Chi2, Exponential, FisherSnedecor, Gamma
from .generalized_pareto import GeneralizedPareto
from .geometric import Geometric
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .lkj_cholesky import LKJCholesky
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .poisson import Binomial, NegativeBinomial, Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .transformed_distribution import LogNormal, TransformedDistribution
from .transformed_families import (
    Gumbel,
    HalfCauchy,
    HalfNormal,
    InverseGamma,
    Kumaraswamy,
    LogisticNormal,
    Pareto,
    Weibull,
)
from .transforms import *  # noqa: F403  (torch.distributions exports the transforms too)
from .uniform import Uniform
from .von_mises import VonMises
from .wishart import Wishart

__all__ = [
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "Cauchy",
    "Chi2",
    "ContinuousBernoulli",
    "Dirichlet",
    "Distribution",
    "Exponential",
    "ExponentialFamily",
    "FisherSnedecor",
    "Gamma",
    "GeneralizedPareto",
    "Geometric",
    "Gumbel",
    "HalfCauchy",
    "HalfNormal",
    "Independent",
    "LKJCholesky",
    "InverseGamma",
    "Kumaraswamy",
    "Laplace",
    "LogNormal",
    "LogisticNormal",
    "LowRankMultivariateNormal",
    "MixtureSameFamily",
    "Multinomial",
    "MultivariateNormal",
    "NegativeBinomial",
    "Normal",
    "OneHotCategorical",
    "OneHotCategoricalStraightThrough",
    "Pareto",
    "Poisson",
    "RelaxedBernoulli",
    "RelaxedOneHotCategorical",
    "StudentT",
    "TransformedDistribution",
    "Uniform",
    "VonMises",
    "Weibull",
    "Wishart",
    "biject_to",
    "constraints",
    "kl_divergence",
    "register_kl",
    "transform_to",
    "transforms",
    *transforms.__all__,
]

# PyTorch's submodule for each family whose class lives in a module of another name here, so
# that ``from torch.distributions.beta import Beta`` style imports work unchanged
_PYTORCH_SUBMODULES = {
    "beta": dirichlet,
    "binomial": poisson,
    "chi2": gamma,
    "exponential": gamma,
    "fishersnedecor": gamma,
    "gumbel": transformed_families,
    "half_cauchy": transformed_families,
    "half_normal": transformed_families,
    "inverse_gamma": transformed_families,
    "kumaraswamy": transformed_families,
    "log_normal": transformed_distribution,
    "logistic_normal": transformed_families,
    "negative_binomial": poisson,
    "one_hot_categorical": categorical,
    "pareto": transformed_families,
    "studentT": cauchy,
    "weibull": transformed_families,
}
for _name, _module in _PYTORCH_SUBMODULES.items():
    _sys.modules[f"{__name__}.{_name}"] = _module
    globals()[_name] = _module
del _name, _module
