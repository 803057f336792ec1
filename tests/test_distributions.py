"""minitorch.distributions against torch.distributions: log_prob, entropy, cdf/icdf, moments,
KL divergences and their gradients in float32 and float64 (both built from the same numpy
parameters), gradcheck/gradgradcheck of densities and reparameterised samples, sample
shapes, dtypes and statistics, and the validation errors with PyTorch's messages."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

R = np.random.default_rng(0)
SPD = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 1.5]])
SPD2 = np.array([[1.0, -0.3, 0.0], [-0.3, 2.0, 0.4], [0.0, 0.4, 0.7]])


class Case:
    """A distribution built by ``make(D, params)`` from numpy ``params`` (D is either
    library's distributions module), and a ``value`` in its support for log_prob/cdf."""

    def __init__(self, make, params: dict, value, cdf: bool = False, grad: tuple = ()):
        self.make, self.params, self.value, self.cdf = make, params, value, cdf
        self.grad = grad or tuple(params)  # the parameters log_prob is differentiable in

    def build(self, lib, dtype: str, requires_grad: bool = False):
        D = lib.distributions
        params = {
            k: lib.tensor(
                v, dtype=getattr(lib, dtype), requires_grad=requires_grad and k in self.grad
            )
            for k, v in self.params.items()
        }
        return self.make(D, params), params


def _pos(*shape):
    return R.uniform(0.5, 2.0, shape)


CASES = {
    "normal": Case(
        lambda D, p: D.Normal(p["loc"], p["scale"]),
        {"loc": R.normal(size=(2, 3)), "scale": _pos(3)},
        R.normal(size=(4, 1, 3)),
        cdf=True,
    ),
    "categorical_probs": Case(
        lambda D, p: D.Categorical(probs=p["probs"]),
        {"probs": _pos(2, 4)},
        np.array([[0, 3], [2, 1], [1, 1]]),
    ),
    "categorical_logits": Case(
        lambda D, p: D.Categorical(logits=p["logits"]),
        {"logits": R.normal(size=(3, 5))},
        np.array([4, 0, 2]),
    ),
    "bernoulli_probs": Case(
        lambda D, p: D.Bernoulli(probs=p["probs"]),
        {"probs": R.uniform(0.05, 0.95, (2, 3))},
        np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]),
    ),
    "bernoulli_logits": Case(
        lambda D, p: D.Bernoulli(logits=p["logits"]),
        {"logits": R.normal(size=(3,)) * 3},
        np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
    ),
    "uniform": Case(
        lambda D, p: D.Uniform(p["low"], p["low"] + p["width"]),
        {"low": R.normal(size=(3,)), "width": _pos(3)},
        None,  # set below: inside [low, high)
        cdf=True,
    ),
    "independent": Case(
        lambda D, p: D.Independent(D.Normal(p["loc"], p["scale"]), 1),
        {"loc": R.normal(size=(2, 3)), "scale": _pos(2, 3)},
        R.normal(size=(5, 2, 3)),
    ),
    "mvn_cov": Case(
        lambda D, p: D.MultivariateNormal(p["loc"], covariance_matrix=p["cov"]),
        {"loc": R.normal(size=(2, 3)), "cov": SPD},
        R.normal(size=(4, 2, 3)),
    ),
    "mvn_tril": Case(
        lambda D, p: D.MultivariateNormal(p["loc"], scale_tril=p["tril"].tril()),
        {"loc": R.normal(size=(3,)), "tril": np.linalg.cholesky(np.stack([SPD, SPD2]))},
        R.normal(size=(2, 3)),
    ),
    "mvn_precision": Case(
        lambda D, p: D.MultivariateNormal(p["loc"], precision_matrix=p["prec"]),
        {"loc": R.normal(size=(3,)), "prec": SPD2},
        R.normal(size=(5, 3)),
    ),
    "onehot": Case(
        lambda D, p: D.OneHotCategorical(logits=p["logits"]),
        {"logits": R.normal(size=(2, 4))},
        np.eye(4)[[[0, 3], [2, 2]]],
    ),
    "gamma": Case(
        lambda D, p: D.Gamma(p["concentration"], p["rate"]),
        {"concentration": np.array([0.3, 1.0, 2.5, 40.0]), "rate": _pos(2, 1)},
        R.uniform(0.1, 5, (3, 2, 4)),
        cdf=True,
    ),
    "exponential": Case(
        lambda D, p: D.Exponential(p["rate"]), {"rate": _pos(3)}, R.uniform(0, 4, (2, 3)), cdf=True
    ),
    "laplace": Case(
        lambda D, p: D.Laplace(p["loc"], p["scale"]),
        {"loc": R.normal(size=(3,)), "scale": _pos(2, 1)},
        R.normal(size=(2, 3)) * 2,
        cdf=True,
    ),
    "beta": Case(
        lambda D, p: D.Beta(p["a"], p["b"]),
        {"a": np.array([0.5, 2.0, 3.0]), "b": np.array([[0.7], [4.0]])},
        R.uniform(0.01, 0.99, (2, 3)),
    ),
    "dirichlet": Case(
        lambda D, p: D.Dirichlet(p["concentration"]),
        {"concentration": np.array([[0.5, 0.3, 0.8], [2.0, 3.0, 1.5]])},
        R.dirichlet([1, 2, 3], (4, 2)),
    ),
    "poisson": Case(
        lambda D, p: D.Poisson(p["rate"]),
        {"rate": np.array([0.5, 3.0, 12.0])},
        R.poisson(3, (2, 3)) * 1.0,
    ),
    "binomial_probs": Case(
        lambda D, p: D.Binomial(6, probs=p["probs"]),
        {"probs": R.uniform(0.05, 0.95, (2, 3))},
        R.integers(0, 7, (2, 3)) * 1.0,
    ),
    "binomial_logits": Case(
        lambda D, p: D.Binomial(p["n"], logits=p["logits"]),
        {"n": np.array([3.0, 10.0, 4.0]), "logits": R.normal(size=(3,))},
        np.array([0.0, 7.0, 4.0]),
        grad=("logits",),
    ),
    "tanh_normal": Case(  # SAC's squashed Gaussian policy
        lambda D, p: D.TransformedDistribution(
            D.Normal(p["loc"], p["scale"]), [D.TanhTransform(cache_size=1)]
        ),
        {"loc": R.normal(size=(2, 3)), "scale": _pos(3)},
        np.tanh(R.normal(size=(2, 3))),
    ),
    "lognormal": Case(
        lambda D, p: D.LogNormal(p["loc"], p["scale"]),
        {"loc": R.normal(size=(3,)), "scale": _pos(3)},
        R.uniform(0.1, 4, (2, 3)),
        cdf=True,
    ),
    "affine_sigmoid": Case(
        lambda D, p: D.TransformedDistribution(
            D.Normal(p["loc"], 1.0),
            D.ComposeTransform([D.AffineTransform(1.0, p["scale"] * -1), D.SigmoidTransform()]),
        ),
        {"loc": R.normal(size=(3,)), "scale": _pos(3)},
        R.uniform(0.05, 0.95, (2, 3)),
        cdf=True,
    ),
    "affine_event": Case(
        lambda D, p: D.TransformedDistribution(
            D.Normal(p["loc"], 1.0), D.AffineTransform(p["shift"], p["scale"], event_dim=1)
        ),
        {"loc": R.normal(size=(2, 3)), "shift": R.normal(size=(3,)), "scale": _pos(3)},
        R.normal(size=(4, 2, 3)),
    ),
    "gmm": Case(
        lambda D, p: D.MixtureSameFamily(
            D.Categorical(logits=p["logits"]), D.Normal(p["loc"], p["scale"])
        ),
        {"logits": R.normal(size=(2, 3)), "loc": R.normal(size=(2, 3)), "scale": _pos(2, 3)},
        R.normal(size=(4, 2)),
        cdf=True,
    ),
    "gmm_event": Case(
        lambda D, p: D.MixtureSameFamily(
            D.Categorical(probs=p["probs"]), D.Independent(D.Normal(p["loc"], p["scale"]), 1)
        ),
        {"probs": _pos(2, 3), "loc": R.normal(size=(2, 3, 4)), "scale": _pos(2, 3, 4)},
        R.normal(size=(5, 2, 4)),
    ),
    "cauchy": Case(
        lambda D, p: D.Cauchy(p["loc"], p["scale"]),
        {"loc": R.normal(size=(3,)), "scale": _pos(2, 1)},
        R.normal(size=(2, 3)) * 3,
        cdf=True,
    ),
    "student_t": Case(
        lambda D, p: D.StudentT(p["df"], p["loc"], p["scale"]),
        {"df": np.array([0.8, 1.5, 3.0, 30.0]), "loc": R.normal(size=(4,)), "scale": _pos(4)},
        R.normal(size=(3, 4)) * 2,
    ),
    "chi2": Case(
        lambda D, p: D.Chi2(p["df"]), {"df": np.array([0.5, 2.0, 7.0])}, R.uniform(0.1, 6, (2, 3))
    ),
    "geometric_probs": Case(
        lambda D, p: D.Geometric(probs=p["probs"]),
        {"probs": R.uniform(0.1, 0.9, (3,))},
        R.integers(0, 6, (2, 3)) * 1.0,
    ),
    "geometric_logits": Case(
        lambda D, p: D.Geometric(logits=p["logits"]),
        {"logits": R.normal(size=(3,))},
        R.integers(0, 6, (2, 3)) * 1.0,
    ),
    "half_normal": Case(
        lambda D, p: D.HalfNormal(p["scale"]), {"scale": _pos(3)}, R.uniform(0, 3, (2, 3)), cdf=True
    ),
    "half_cauchy": Case(
        lambda D, p: D.HalfCauchy(p["scale"]), {"scale": _pos(3)}, R.uniform(0, 3, (2, 3)), cdf=True
    ),
    "gumbel": Case(
        lambda D, p: D.Gumbel(p["loc"], p["scale"]),
        {"loc": R.normal(size=(3,)), "scale": _pos(3)},
        R.normal(size=(2, 3)) * 2,
        cdf=True,
    ),
    "multinomial": Case(
        lambda D, p: D.Multinomial(6, probs=p["probs"]),
        {"probs": _pos(2, 3)},
        np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 6.0]]),
    ),
    "multinomial_logits": Case(
        lambda D, p: D.Multinomial(4, logits=p["logits"]),
        {"logits": R.normal(size=(4,))},
        np.array([[1.0, 1.0, 2.0, 0.0], [0.0, 4.0, 0.0, 0.0]]),
    ),
    "negative_binomial": Case(
        lambda D, p: D.NegativeBinomial(p["n"], probs=p["probs"]),
        {"n": np.array([0.5, 2.0, 7.5]), "probs": R.uniform(0.1, 0.9, (3,))},
        R.integers(0, 8, (2, 3)) * 1.0,
    ),
    "negative_binomial_logits": Case(
        lambda D, p: D.NegativeBinomial(p["n"], logits=p["logits"]),
        {"n": np.array([1.0, 3.0]), "logits": R.normal(size=(2,))},
        np.array([[0.0, 2.0], [5.0, 1.0]]),
    ),
    "relaxed_bernoulli": Case(
        lambda D, p: D.RelaxedBernoulli(p["temperature"], probs=p["probs"]),
        {"temperature": np.array(0.7), "probs": R.uniform(0.1, 0.9, (3,))},
        R.uniform(0.05, 0.95, (2, 3)),
    ),
    "logit_relaxed_bernoulli": Case(
        lambda D, p: D.relaxed_bernoulli.LogitRelaxedBernoulli(
            p["temperature"], logits=p["logits"]
        ),
        {"temperature": np.array([0.5, 2.0, 1.0]), "logits": R.normal(size=(3,))},
        R.normal(size=(2, 3)),
    ),
    "relaxed_onehot": Case(
        lambda D, p: D.RelaxedOneHotCategorical(p["temperature"], logits=p["logits"]),
        {"temperature": np.array(0.5), "logits": R.normal(size=(2, 4))},
        R.dirichlet([1, 2, 3, 1], (3, 2)),
    ),
    "exp_relaxed_categorical": Case(
        lambda D, p: D.relaxed_categorical.ExpRelaxedCategorical(
            p["temperature"], probs=p["probs"]
        ),
        {"temperature": np.array(1.5), "probs": _pos(2, 3)},
        np.log(R.dirichlet([1, 2, 3], (2,))),
    ),
    "pareto": Case(
        lambda D, p: D.Pareto(p["scale"], p["alpha"]),
        {"scale": np.array([0.5, 1.0, 2.0]), "alpha": np.array([0.7, 1.5, 3.0])},
        np.array([[2.0, 1.5, 2.5], [0.6, 4.0, 9.0]]),
        cdf=True,
    ),
    "weibull": Case(
        lambda D, p: D.Weibull(p["scale"], p["concentration"]),
        {"scale": _pos(3), "concentration": np.array([0.5, 1.0, 3.0])},
        R.uniform(0.1, 3, (2, 3)),
        cdf=True,
    ),
    "lowrank_mvn": Case(
        lambda D, p: D.LowRankMultivariateNormal(p["loc"], p["W"], p["D"]),
        {"loc": R.normal(size=(2, 4)), "W": R.normal(size=(4, 2)), "D": _pos(2, 4)},
        R.normal(size=(3, 2, 4)),
    ),
    "inverse_gamma": Case(
        lambda D, p: D.InverseGamma(p["concentration"], p["rate"]),
        {"concentration": np.array([0.5, 1.5, 3.0]), "rate": _pos(3)},
        R.uniform(0.1, 3, (2, 3)),
    ),
    "kumaraswamy": Case(
        lambda D, p: D.Kumaraswamy(p["a"], p["b"]),
        {"a": np.array([0.5, 2.0, 3.0]), "b": np.array([1.5, 0.7, 4.0])},
        R.uniform(0.05, 0.95, (2, 3)),
    ),
    "logistic_normal": Case(
        lambda D, p: D.LogisticNormal(p["loc"], p["scale"]),
        {"loc": R.normal(size=(2, 3)), "scale": _pos(3)},
        R.dirichlet([1, 2, 3, 1], (2,)),
    ),
    "fisher_snedecor": Case(
        lambda D, p: D.FisherSnedecor(p["df1"], p["df2"]),
        {"df1": np.array([1.0, 3.0, 10.0, 6.0]), "df2": np.array([1.5, 3.0, 5.0, 20.0])},
        R.uniform(0.1, 4, (2, 4)),
    ),
    "von_mises": Case(
        lambda D, p: D.VonMises(p["loc"], p["concentration"]),
        {"loc": R.uniform(-3, 3, (3,)), "concentration": np.array([0.5, 3.0, 20.0])},
        R.uniform(-np.pi, np.pi, (2, 3)),
    ),
    "continuous_bernoulli": Case(
        lambda D, p: D.ContinuousBernoulli(probs=p["probs"]),
        {"probs": np.array([0.1, 0.4995, 0.5, 0.7, 0.95])},
        R.uniform(0.01, 0.99, (2, 5)),
        cdf=True,
    ),
    "continuous_bernoulli_logits": Case(
        lambda D, p: D.ContinuousBernoulli(logits=p["logits"]),
        {"logits": R.normal(size=(3,)) * 2},
        R.uniform(0.01, 0.99, (2, 3)),
        cdf=True,
    ),
    "generalized_pareto": Case(
        lambda D, p: D.GeneralizedPareto(p["loc"], p["scale"], p["c"]),
        {
            "loc": np.array([0.0, 1.0, -1.0, 0.5]),
            "scale": _pos(4),
            "c": np.array([0.3, 0.0, -0.2, 0.7]),
        },
        np.array([[0.5, 1.5, -0.5, 2.0], [2.0, 3.0, 0.0, 0.6]]),
        cdf=True,
    ),
    "lkj_cholesky": Case(
        lambda D, p: D.LKJCholesky(3, p["concentration"]),
        {"concentration": np.array([0.5, 1.0, 4.0])},
        np.linalg.cholesky(
            np.stack([SPD, SPD2])
            / np.sqrt(np.einsum("bii,bjj->bij", np.stack([SPD, SPD2]), np.stack([SPD, SPD2])))
        )[:, None],
    ),
    "wishart": Case(
        lambda D, p: D.Wishart(p["df"], covariance_matrix=p["cov"]),
        {"df": np.array([4.0, 6.5]), "cov": SPD},
        np.stack([SPD2, 2 * SPD2]),
    ),
    "wishart_tril": Case(
        lambda D, p: D.Wishart(p["df"], scale_tril=p["tril"].tril()),
        {"df": np.array(5.0), "tril": np.linalg.cholesky(SPD2)},
        SPD[None],
    ),
}
_u = CASES["uniform"].params
CASES["uniform"].value = _u["low"] + _u["width"] * R.uniform(0, 1, (6, 3))

MOMENTS = ("mean", "variance", "stddev", "mode")
NO_ENTROPY = (
    "poisson",
    "binomial_logits",
    "tanh_normal",
    "affine_sigmoid",
    "affine_event",
    "gmm",
    "gmm_event",
    "negative_binomial",
    "negative_binomial_logits",
    "relaxed_bernoulli",
    "logit_relaxed_bernoulli",
    "relaxed_onehot",
    "exp_relaxed_categorical",
    "logistic_normal",
    "fisher_snedecor",
    "von_mises",
    "lkj_cholesky",
)  # PyTorch raises NotImplementedError


def _value(lib, case: Case, dist, dtype):
    v = case.value
    int_valued = isinstance(dist, (lib.distributions.Categorical,))
    return lib.tensor(v, dtype=lib.int64 if int_valued else getattr(lib, dtype))


def _maybe(fn, *args):
    """fn(*args) or the type of the NotImplementedError it raised (compared across libraries)."""
    try:
        return fn(*args)
    except NotImplementedError:
        return NotImplementedError


def _compare(ours, theirs, rtol, atol):
    if theirs is NotImplementedError:
        assert ours is NotImplementedError
        return
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1]
    assert_close(ours, theirs, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(CASES))
def test_values_match_torch(torch, name, dtype):
    if name == "generalized_pareto" and dtype == "float64":
        pytest.skip("PyTorch 2.13 raises here: isclose(float64 concentration, float32 zero)")
    case = CASES[name]
    ours, _ = case.build(minitorch, dtype)
    theirs, _ = case.build(torch, dtype)
    rtol, atol = (1e-5, 1e-5) if dtype == "float32" else (1e-10, 1e-12)
    assert ours.batch_shape == tuple(theirs.batch_shape)
    assert ours.event_shape == tuple(theirs.event_shape)
    x_ours, x_theirs = _value(minitorch, case, ours, dtype), _value(torch, case, theirs, dtype)
    _compare(ours.log_prob(x_ours), theirs.log_prob(x_theirs), rtol, atol)
    _compare(_maybe(ours.entropy), _maybe(theirs.entropy), rtol, atol)
    for attr in MOMENTS:
        _compare(_maybe(getattr, ours, attr), _maybe(getattr, theirs, attr), rtol, atol)
    if case.cdf:
        _compare(ours.cdf(x_ours), theirs.cdf(x_theirs), rtol, atol)
        q = R.uniform(0.01, 0.99, tuple(theirs.batch_shape))
        icdf = (
            _maybe(ours.icdf, minitorch.tensor(q, dtype=getattr(minitorch, dtype))),
            _maybe(theirs.icdf, torch.tensor(q, dtype=getattr(torch, dtype))),
        )
        _compare(*icdf, rtol * 10, atol * 10)
    if theirs.has_enumerate_support:
        for expand in (True, False):
            support = (
                _maybe(ours.enumerate_support, expand),
                _maybe(theirs.enumerate_support, expand),
            )
            _compare(*support, 0, 0)


@pytest.mark.parametrize("name", list(CASES))
def test_gradients_match_torch(torch, name):
    case = CASES[name]
    grads = []
    for lib in (minitorch, torch):
        dist, params = case.build(lib, "float32", requires_grad=True)
        loss = dist.log_prob(_value(lib, case, dist, "float32")).sum()
        if name not in NO_ENTROPY:
            loss = loss + dist.entropy().sum()
        loss.backward()
        grads.append([params[k].grad for k in case.grad])
    for ours, theirs in zip(*grads):
        assert_close(ours, theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "name",
    ["normal", "categorical_logits", "bernoulli_probs", "mvn_tril", "uniform", "gamma", "beta",
     "dirichlet", "laplace", "binomial_probs"],
)  # fmt: skip
def test_log_prob_gradgradcheck(name):
    case = CASES[name]
    dist, _ = case.build(minitorch, "float64")
    x = _value(minitorch, case, dist, "float64")
    names = list(case.grad)

    def f(*tensors):
        d = case.make(minitorch.distributions, dict(zip(names, tensors)))
        return d.log_prob(x), d.entropy()

    if name == "gamma":  # one value: gradgradcheck of the whole batch is slow
        x = x[:1]

    inputs = [
        minitorch.tensor(case.params[k], dtype=minitorch.float64, requires_grad=True) for k in names
    ]
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


@pytest.mark.parametrize(
    "name",
    [
        "normal",
        "uniform",
        "mvn_tril",
        "independent",
        "relaxed_bernoulli",
        "relaxed_onehot",
        "lowrank_mvn",
    ],
)
def test_rsample_is_reparameterised(name):
    """rsample of fixed noise (the seed set again) is a differentiable function of the
    parameters: finite differences agree with backward; sample carries no graph."""
    case = CASES[name]
    names = list(case.grad)

    def f(*tensors):
        minitorch.manual_seed(3)
        return case.make(minitorch.distributions, dict(zip(names, tensors))).rsample((2,))

    inputs = [
        minitorch.tensor(case.params[k], dtype=minitorch.float64, requires_grad=True) for k in names
    ]
    assert gradcheck(f, inputs)
    dist = case.make(minitorch.distributions, dict(zip(names, inputs)))
    assert dist.rsample().requires_grad and dist.has_rsample
    assert not dist.sample().requires_grad


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sample_shapes_and_dtypes(torch, name, dtype):
    case = CASES[name]
    ours, _ = case.build(minitorch, dtype)
    theirs, _ = case.build(torch, dtype)
    for shape in [(), (5,), (2, 3)]:
        a, b = ours.sample(shape), theirs.sample(shape)
        assert a.shape == tuple(b.shape) and str(a.dtype)[10:] == str(b.dtype)[6:]
        assert bool(ours.support.check(a).all())
    with pytest.warns(FutureWarning, match="sample_n"):
        a, b = ours.sample_n(4), theirs.sample_n(4)
    assert a.shape == tuple(b.shape)


@pytest.mark.parametrize(
    "name",
    ["normal", "bernoulli_logits", "uniform", "mvn_cov", "onehot", "gamma", "exponential",
     "laplace", "beta", "dirichlet", "poisson", "binomial_probs", "gumbel", "geometric_probs",
     "half_normal", "chi2", "multinomial", "negative_binomial", "weibull", "lowrank_mvn",
     "continuous_bernoulli", "wishart"],
)  # fmt: skip
def test_sample_means(name):
    """The mean of 20k draws lies within 5 standard errors of the distribution's mean."""
    dist, _ = CASES[name].build(minitorch, "float64")
    draws = dist.sample((20000,)).numpy()
    se = np.sqrt(dist.variance.numpy() / 20000)
    assert np.all(np.abs(draws.mean(0) - dist.mean.numpy()) < 5 * se)
    if name == "mvn_cov":  # the covariance too
        centred = draws[:, 0] - draws[:, 0].mean(0)
        np.testing.assert_allclose(centred.T @ centred / 20000, SPD, atol=0.08)


def test_gamma_rsample_gradient_matches_torch(torch):
    """dx/d(concentration) of Gamma draws agrees with PyTorch's implicit-reparameterisation
    gradient at the same (concentration, x), and d/da E[x] = 1/rate holds on average."""
    a = minitorch.tensor([0.2, 1.0, 3.5, 50.0], dtype=minitorch.float64, requires_grad=True)
    rate = minitorch.tensor(2.0, dtype=minitorch.float64, requires_grad=True)
    x = minitorch.distributions.Gamma(a, rate).rsample((500,))
    x.sum().backward()
    expected = torch._standard_gamma_grad(torch.tensor(a.detach().numpy()).expand(500, 4),
                                          torch.tensor(x.detach().numpy() * 2.0))  # fmt: skip
    per_draw = minitorch.autograd.grad(
        minitorch.distributions.Gamma(a, 1.0).rsample((2000,)).mean(0).sum(), a
    )[0]
    assert_close(a.grad, expected.sum(0) / 2.0, rtol=2e-3)  # PyTorch's is a 1e-4 approximation
    assert_close(rate.grad, -(x.detach() / rate.detach()).sum(), rtol=1e-10)
    np.testing.assert_allclose(per_draw.numpy(), 1.0, atol=0.1)


def test_beta_and_dirichlet_rsample_gradients():
    """The mean of d(draw)/d(concentration) over many draws is the derivative of the mean."""
    D = minitorch.distributions
    a = minitorch.tensor(2.0, dtype=minitorch.float64, requires_grad=True)
    b = minitorch.tensor(3.0, dtype=minitorch.float64, requires_grad=True)
    ga, gb = minitorch.autograd.grad(D.Beta(a, b).rsample((20000,)).mean(), (a, b))
    assert abs(float(ga) - 3 / 25) < 0.01 and abs(float(gb) + 2 / 25) < 0.01
    c = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    (g,) = minitorch.autograd.grad(D.Dirichlet(c).rsample((20000,))[:, 0].mean(), c)
    np.testing.assert_allclose(g.numpy(), [5 / 36, -1 / 36, -1 / 36], atol=0.01)
    with pytest.raises(NotImplementedError, match="second derivative"):
        (g,) = minitorch.autograd.grad(D.Gamma(c, 1.0).rsample().sum(), c, create_graph=True)
        g.sum().backward()


def test_gamma_cdf_gradient():
    a = minitorch.tensor([0.5, 3.0, 40.0], dtype=minitorch.float64)
    x = minitorch.tensor([0.2, 4.0, 35.0], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda x: minitorch.distributions.Gamma(a, 1.5).cdf(x), (x,))
    a.requires_grad_()
    with pytest.raises(
        NotImplementedError, match="the derivative for 'igamma: input' is not implemented"
    ):
        minitorch.distributions.Gamma(a, 1.5).cdf(x).sum().backward()


def test_categorical_sample_frequencies():
    probs = np.array([[0.1, 0.0, 0.6, 0.3], [0.25, 0.25, 0.25, 0.25]])
    draws = minitorch.distributions.Categorical(minitorch.tensor(probs)).sample((20000,))
    assert draws.dtype == minitorch.int64 and draws.shape == (20000, 2)
    freq = np.stack([(draws.numpy() == k).mean(0) for k in range(4)], -1)
    assert np.all(np.abs(freq - probs) < 5 * np.sqrt(probs * (1 - probs) / 20000) + 1e-12)
    assert not (draws.numpy()[:, 0] == 1).any()


def test_sampling_follows_manual_seed():
    d = minitorch.distributions.Normal(minitorch.zeros(3), 1.0)
    minitorch.manual_seed(5)
    a = d.sample((4,))
    minitorch.manual_seed(5)
    assert minitorch.equal(a, d.sample((4,)))
    assert not minitorch.equal(a, d.sample((4,)))


KL_PAIRS = {
    "normal": lambda D, t: (
        D.Normal(t(R_KL[0]), t(R_KL[1]) + 1),
        D.Normal(t(R_KL[2]), t(R_KL[3]) + 0.5),
    ),
    "categorical": lambda D, t: (D.Categorical(logits=t(R_KL[0])), D.Categorical(probs=t(R_KL[1]))),
    "onehot": lambda D, t: (
        D.OneHotCategorical(logits=t(R_KL[0])),
        D.OneHotCategorical(logits=t(R_KL[2])),
    ),
    "bernoulli": lambda D, t: (D.Bernoulli(logits=t(R_KL[0])), D.Bernoulli(probs=t(R_KL[1]) / 2)),
    "uniform": lambda D, t: (
        D.Uniform(t(R_KL[0]), t(R_KL[0]) + 1),
        D.Uniform(t(R_KL[2]) - 2, t(R_KL[2]) + 2),
    ),
    "mvn": lambda D, t: (
        D.MultivariateNormal(t(R_KL[0]), covariance_matrix=t(SPD)),
        D.MultivariateNormal(t(R_KL[2][:1]), scale_tril=t(np.linalg.cholesky(SPD2))),
    ),
    "independent": lambda D, t: (
        D.Independent(D.Normal(t(R_KL[0]), t(R_KL[1]) + 1), 1),
        D.Independent(D.Normal(t(R_KL[2]), t(R_KL[3]) + 1), 1),
    ),
}
KL_PAIRS.update(
    {
        "wishart": lambda D, t: (
            D.Wishart(t([4.0, 6.5]), covariance_matrix=t(SPD)),
            D.Wishart(t(5.0), precision_matrix=t(SPD2)),
        ),
        "binomial": lambda D, t: (
            D.Binomial(5, probs=t(R_KL[1])),
            D.Binomial(5, logits=t(R_KL[2])),
        ),
        "cauchy": lambda D, t: (D.Cauchy(t(R_KL[0]), t(R_KL[1])), D.Cauchy(t(R_KL[2]), t(R_KL[3]))),
        "geometric": lambda D, t: (D.Geometric(t(R_KL[1])), D.Geometric(logits=t(R_KL[2]))),
        "gumbel": lambda D, t: (D.Gumbel(t(R_KL[0]), t(R_KL[1])), D.Gumbel(t(R_KL[2]), t(R_KL[3]))),
        "halfnormal": lambda D, t: (D.HalfNormal(t(R_KL[1])), D.HalfNormal(t(R_KL[3]))),
        "chi2": lambda D, t: (D.Chi2(t(R_KL[1]) * 4), D.Chi2(t(R_KL[3]) + 1)),
        "lognormal": lambda D, t: (
            D.LogNormal(t(R_KL[0]), t(R_KL[1])),
            D.LogNormal(t(R_KL[2]), t(R_KL[3])),
        ),
        "gamma": lambda D, t: (
            D.Gamma(t(R_KL[1]) + 0.5, t(R_KL[3]) + 1),
            D.Gamma(t(R_KL[3]) * 3, t(R_KL[1])),
        ),
        "beta": lambda D, t: (
            D.Beta(t(R_KL[1]), t(R_KL[3]) * 2),
            D.Beta(t(R_KL[3]) + 1, t(R_KL[1]) + 0.5),
        ),
        "dirichlet": lambda D, t: (D.Dirichlet(t(R_KL[1]) * 3), D.Dirichlet(t(R_KL[3]) + 0.2)),
        "exponential": lambda D, t: (D.Exponential(t(R_KL[1])), D.Exponential(t(R_KL[3]))),
        "laplace": lambda D, t: (
            D.Laplace(t(R_KL[0]), t(R_KL[1])),
            D.Laplace(t(R_KL[2]), t(R_KL[3])),
        ),
        "poisson": lambda D, t: (D.Poisson(t(R_KL[1]) * 4), D.Poisson(t(R_KL[3]) + 1)),
    }
)
R_KL = [
    R.normal(size=(2, 3)),
    R.uniform(0.1, 1, (2, 3)),
    R.normal(size=(2, 3)),
    R.uniform(0.1, 1, (2, 3)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(KL_PAIRS))
def test_kl_divergence_matches_torch(torch, name, dtype):
    results = []
    for lib in (minitorch, torch):
        leaves = []

        def t(a, lib=lib, leaves=leaves):
            leaves.append(lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=True))
            return leaves[-1]

        p, q = KL_PAIRS[name](lib.distributions, t)
        kl = lib.distributions.kl_divergence(p, q)
        kl.sum().backward()
        results.append((kl, [leaf.grad for leaf in leaves]))
    (ours, our_grads), (theirs, their_grads) = results
    rtol = 1e-5 if dtype == "float32" else 1e-10
    _compare(ours, theirs, rtol, rtol)
    grad_tol = 1e-4 if dtype == "float32" else 1e-6  # PyTorch's float64 trigamma: ~1e-9
    for a, b in zip(our_grads, their_grads):
        assert (a is None) == (b is None)  # the Bregman KL (Wishart) detaches p's parameters
        if a is not None:
            assert_close(a, b, rtol=grad_tol, atol=grad_tol)


def test_kl_infinite_outside_support(torch):
    for lib in (minitorch, torch):
        D = lib.distributions
        kl = D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.5, 3.0))
        assert float(kl) == float("inf")
        kl = D.kl_divergence(
            D.Categorical(lib.tensor([0.5, 0.5])), D.Categorical(lib.tensor([1.0, 0.0]))
        )
        assert float(kl) == float("inf")
        kl = D.kl_divergence(D.Bernoulli(lib.tensor(0.0)), D.Bernoulli(lib.tensor(0.5)))
        assert abs(float(kl) - np.log(2)) < 1e-6


def test_register_kl_dispatches_to_the_most_specific_pair():
    D = minitorch.distributions

    class MyNormal(D.Normal):
        pass

    p, q = MyNormal(0.0, 1.0), D.Normal(1.0, 1.0)
    assert float(D.kl_divergence(p, q)) == pytest.approx(0.5)

    @D.register_kl(MyNormal, D.Normal)
    def _kl(p, q):
        return minitorch.tensor(-7.0)

    try:
        assert float(D.kl_divergence(p, q)) == -7.0
        assert float(D.kl_divergence(q, q)) == 0.0
    finally:
        del D.kl._KL_REGISTRY[MyNormal, D.Normal]
        D.kl._KL_MEMOIZE.clear()
    with pytest.raises(
        NotImplementedError,
        match="No KL\\(p \\|\\| q\\) is implemented for p type Normal and q type Categorical",
    ):
        D.kl_divergence(q, D.Categorical(minitorch.ones(2)))
    with pytest.raises(NotImplementedError, match="between different exponential families"):
        D.kl_divergence(q, D.Bernoulli(0.5))
    with pytest.raises(TypeError, match="Expected type_p to be a Distribution subclass"):
        D.register_kl(int, D.Normal)


# ---- validation: PyTorch's errors, types and messages ---------------------------------------
def _errors(lib, make):
    try:
        make(lib.distributions, lib)
    except Exception as e:  # noqa: BLE001  (the type and message are compared)
        return type(e), str(e).replace("minitorch.", "").replace("torch.", "")
    return None


INVALID = {
    "normal_scale": lambda D, t: D.Normal(0.0, -1.0),
    "normal_value_type": lambda D, t: D.Normal(0.0, 1.0).log_prob(2.0),
    "normal_value_shape": lambda D, t: D.Normal(t.zeros(3), 1.0).log_prob(t.zeros(2)),
    "bernoulli_support": lambda D, t: D.Bernoulli(0.3).log_prob(t.tensor(0.5)),
    "bernoulli_both": lambda D, t: D.Bernoulli(0.3, logits=0.1),
    "bernoulli_probs": lambda D, t: D.Bernoulli(t.tensor([0.3, 1.5])),
    "categorical_support": lambda D, t: D.Categorical(t.tensor([0.2, 0.8])).log_prob(t.tensor([2])),
    "categorical_simplex": lambda D, t: D.Categorical(t.tensor([-0.2, 0.8])),
    "categorical_neither": lambda D, t: D.Categorical(),
    "categorical_0d": lambda D, t: D.Categorical(logits=t.tensor(1.0)),
    "uniform_order": lambda D, t: D.Uniform(1.0, 0.0),
    "uniform_support": lambda D, t: D.Uniform(0.0, 1.0).log_prob(t.tensor(1.5)),
    "mvn_not_pd": lambda D, t: D.MultivariateNormal(t.zeros(2), t.tensor([[1.0, 2.0], [2.0, 1.0]])),
    "mvn_two": lambda D, t: D.MultivariateNormal(t.zeros(2), t.eye(2), scale_tril=t.eye(2)),
    "mvn_tril": lambda D, t: D.MultivariateNormal(
        t.zeros(2), scale_tril=t.tensor([[1.0, 1.0], [0.0, 1.0]])
    ),
    "mvn_event": lambda D, t: D.MultivariateNormal(t.zeros(2), t.eye(2)).log_prob(t.zeros(3)),
    "onehot_support": lambda D, t: D.OneHotCategorical(t.tensor([0.5, 0.5])).log_prob(
        t.tensor([1.0, 1.0])
    ),
    "independent_ndims": lambda D, t: D.Independent(D.Normal(t.zeros(3), 1.0), 2),
    "gamma_concentration": lambda D, t: D.Gamma(t.tensor([1.0, -2.0]), 1.0),
    "gamma_support": lambda D, t: D.Gamma(1.0, 1.0).log_prob(t.tensor(-1.0)),
    "beta_support": lambda D, t: D.Beta(1.0, 2.0).log_prob(t.tensor([0.5, 1.5])),
    "dirichlet_0d": lambda D, t: D.Dirichlet(t.tensor(1.0)),
    "dirichlet_simplex": lambda D, t: D.Dirichlet(t.ones(3)).log_prob(t.tensor([0.5, 0.5, 0.5])),
    "poisson_support": lambda D, t: D.Poisson(2.0).log_prob(t.tensor(1.5)),
    "binomial_support": lambda D, t: D.Binomial(3, t.tensor(0.5)).log_prob(t.tensor(4.0)),
    "binomial_count": lambda D, t: D.Binomial(t.tensor(2.5), t.tensor(0.5)),
    "exponential_rate": lambda D, t: D.Exponential(t.tensor([0.0])),
    "laplace_scale": lambda D, t: D.Laplace(0.0, t.tensor([1.0, 0.0])),
    "geometric_zero": lambda D, t: D.Geometric(t.tensor([0.5, 0.0])),
    "geometric_support": lambda D, t: D.Geometric(t.tensor([0.5])).log_prob(t.tensor([1.5])),
    "student_df": lambda D, t: D.StudentT(t.tensor([-1.0, 2.0])),
    "cauchy_scale": lambda D, t: D.Cauchy(0.0, -1.0),
    "halfnormal_support": lambda D, t: D.HalfNormal(1.0).log_prob(t.tensor(-1.0)),
    "gumbel_scale": lambda D, t: D.Gumbel(t.zeros(2), t.tensor([1.0, -1.0])),
    "mixture_type": lambda D, t: D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(t.zeros(2), 1.0)),
    "multinomial_support": lambda D, t: D.Multinomial(3, t.tensor([0.5, 0.5])).log_prob(
        t.tensor([3.0, 1.0])
    ),
    "multinomial_count": lambda D, t: D.Multinomial(t.tensor(3), t.tensor([0.5, 0.5])),
    "negative_binomial_probs": lambda D, t: D.NegativeBinomial(2.0, t.tensor([0.5, 1.0])),
    "mixture_count": lambda D, t: D.MixtureSameFamily(
        D.Categorical(t.ones(3)), D.Normal(t.zeros(2), 1.0)
    ),
}


@pytest.mark.parametrize("name", list(INVALID))
def test_validation_errors_match_torch(torch, name):
    theirs = _errors(torch, INVALID[name])
    assert theirs is not None
    assert _errors(minitorch, INVALID[name]) == theirs


def test_validation_can_be_turned_off(torch):
    D = minitorch.distributions
    d = D.Normal(0.0, -1.0, validate_args=False)
    assert np.isnan(float(d.log_prob(minitorch.tensor(0.0))))
    assert float(
        D.Bernoulli(0.3, validate_args=False).log_prob(minitorch.tensor(0.5))
    ) == pytest.approx(
        float(torch.distributions.Bernoulli(0.3, validate_args=False).log_prob(torch.tensor(0.5)))
    )
    D.Distribution.set_default_validate_args(False)
    try:
        assert not D.Normal(0.0, -1.0)._validate_args
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError, match="Expected parameter scale"):
        D.Normal(0.0, -1.0)
    with pytest.raises(ValueError):
        D.Distribution.set_default_validate_args(2)


def test_user_subclass_without_constraints_warns_as_torch(torch):
    messages = []
    for lib in (minitorch, torch):
        D = lib.distributions

        class Mine(D.Distribution):
            def __init__(self):
                super().__init__((2,))

            def log_prob(self, value):
                self._validate_sample(value)
                return value

        with pytest.warns(UserWarning) as record:
            Mine().log_prob(lib.zeros(2))
        messages.append([str(w.message).split(">", 1)[1] for w in record])
    assert messages[0] == messages[1] and len(messages[0]) == 2


def test_expand_and_repr(torch):
    for lib in (minitorch, torch):
        D = lib.distributions
        d = D.Categorical(logits=lib.tensor([0.1, 0.2, 0.7])).expand((2, 5))
        assert tuple(d.batch_shape) == (2, 5) and tuple(d.logits.shape) == (2, 5, 3)
        assert tuple(d.sample((4,)).shape) == (4, 2, 5)
        m = D.MultivariateNormal(lib.zeros(2), lib.eye(2)).expand((3,))
        assert tuple(m.covariance_matrix.shape) == (3, 2, 2) and tuple(m.sample().shape) == (3, 2)
        i = D.Independent(D.Normal(lib.zeros(4), 1.0), 1).expand((3,))
        assert tuple(i.base_dist.batch_shape) == (3, 4) and tuple(i.event_shape) == (4,)
    assert repr(minitorch.distributions.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(minitorch.distributions.Normal(0.0, 1.0).support) == "Real()"
    assert (
        repr(minitorch.distributions.MultivariateNormal.support)
        == "IndependentConstraint(Real(), 1)"
    )


def test_softplus_of_a_0d_tensor(torch):
    """Regression: softplus of a 0-d tensor raised (a ufunc returned a scalar where an out=
    array was needed); Bernoulli's KL takes softplus of scalar logits."""
    x = minitorch.tensor(0.3, requires_grad=True)
    y = minitorch.nn.functional.softplus(x)
    y.backward()
    xt = torch.tensor(0.3, requires_grad=True)
    torch.nn.functional.softplus(xt).backward()
    assert y.shape == () and abs(float(y) - float(torch.nn.functional.softplus(xt.detach()))) < 1e-7
    assert abs(float(x.grad) - float(xt.grad)) < 1e-7


def test_xlogy_gradient_where_x_is_zero(torch):
    """Regression: d xlogy(x, y)/dx was 0 wherever x == 0; PyTorch gives log(y) there (0
    only where also y <= 0). Gamma/Dirichlet log_prob at concentration 1 depend on it."""
    grads = []
    for lib in (minitorch, torch):
        x = lib.tensor([[0.0, 0.0, 0.0, 1.0, 2.0]], requires_grad=True)
        y = lib.tensor([[2.0, 0.0, -1.0, 3.0, 0.5], [0.7, 1.5, 2.0, 1.0, 4.0]], requires_grad=True)
        lib.xlogy(x, y).sum().backward()
        grads.append((x.grad, y.grad))
    for ours, theirs in zip(*grads):
        assert_close(ours, theirs)
    x = minitorch.tensor([[0.0, 1.5, -2.0]], dtype=minitorch.float64, requires_grad=True)
    y = minitorch.tensor([[0.5], [2.0]], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(minitorch.xlogy, (x, y)) and gradgradcheck(minitorch.xlogy, (x, y))


# ---- transforms ----------------------------------------------------------------------------
TRANSFORMS = {
    "exp": (lambda D, t: D.ExpTransform(), R.normal(size=(2, 3))),
    "tanh": (lambda D, t: D.TanhTransform(), R.normal(size=(2, 3)) * 3),
    "sigmoid": (lambda D, t: D.SigmoidTransform(), R.normal(size=(2, 3)) * 3),
    "affine": (
        lambda D, t: D.AffineTransform(t([1.0, -2.0, 0.5]), t([2.0, -0.5, 3.0])),
        R.normal(size=(2, 3)),
    ),
    "affine_scalar": (lambda D, t: D.AffineTransform(1.5, -2.0), R.normal(size=(2, 3))),
    "affine_event": (
        lambda D, t: D.AffineTransform(0.0, t([2.0, 0.5, 3.0]), event_dim=1),
        R.normal(size=(2, 3)),
    ),
    "power": (lambda D, t: D.PowerTransform(t(1.5)), R.uniform(0.2, 3, (2, 3))),
    "compose": (
        lambda D, t: D.ComposeTransform(
            [D.AffineTransform(0.5, 2.0), D.TanhTransform(), D.AffineTransform(1.0, 3.0)]
        ),
        R.normal(size=(2, 3)),
    ),
    "inverse_exp": (lambda D, t: D.ExpTransform().inv, R.uniform(0.2, 3, (2, 3))),
    "softplus": (lambda D, t: D.SoftplusTransform(), R.normal(size=(2, 3)) * 3),
    "corr_cholesky": (lambda D, t: D.CorrCholeskyTransform(), R.normal(size=(2, 6))),
    "cat": (
        lambda D, t: D.CatTransform(
            [D.ExpTransform(), D.AffineTransform(1.0, 2.0)], dim=1, lengths=[1, 2]
        ),
        R.normal(size=(2, 3)),
    ),
    "stack": (
        lambda D, t: D.StackTransform([D.TanhTransform(), D.SoftplusTransform()], dim=0),
        R.normal(size=(2, 3)),
    ),
    "biject_stack": (
        lambda D, t: D.biject_to(
            D.constraints.stack([D.constraints.positive, D.constraints.unit_interval], 0)
        ),
        R.normal(size=(2, 3)),
    ),
    "stick_breaking": (lambda D, t: D.StickBreakingTransform(), R.normal(size=(2, 3))),
    "independent": (
        lambda D, t: D.IndependentTransform(D.SigmoidTransform(), 1),
        R.normal(size=(2, 3)),
    ),
    "reshape": (lambda D, t: D.ReshapeTransform((3,), (3, 1)), R.normal(size=(2, 3))),
    "cdf": (
        lambda D, t: D.CumulativeDistributionTransform(D.Normal(t(0.5), t(2.0))),
        R.normal(size=(2, 3)),
    ),
    "biject_interval": (
        lambda D, t: D.biject_to(D.constraints.interval(-1.0, 3.0)),
        R.normal(size=(2, 3)),
    ),
    "biject_positive": (lambda D, t: D.biject_to(D.constraints.positive), R.normal(size=(2, 3))),
    "biject_simplex": (lambda D, t: D.biject_to(D.constraints.simplex), R.normal(size=(2, 3))),
    "biject_real_vector": (
        lambda D, t: D.biject_to(D.constraints.real_vector),
        R.normal(size=(2, 3)),
    ),
    "biject_less_than": (
        lambda D, t: D.biject_to(D.constraints.less_than(t([1.0, 2.0, 0.0]))),
        R.normal(size=(2, 3)),
    ),
}


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_transforms_match_torch(torch, name):
    make, x = TRANSFORMS[name]
    results = []
    for lib in (minitorch, torch):
        t = make(lib.distributions, lambda a, lib=lib: lib.tensor(a, dtype=lib.float64))
        xt = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        y = t(xt)
        ladj = t.log_abs_det_jacobian(xt, y)
        (grad,) = lib.autograd.grad(ladj.sum() + y.sum(), xt)
        sign = _maybe(getattr, t, "sign")
        results.append(
            (y, t.inv(y.detach()), ladj, grad, sign, t.domain.event_dim, t.codomain.event_dim)
        )
    (y, x_back, ladj, grad, sign, *dims), (ty, tx_back, tladj, tgrad, tsign, *tdims) = results
    for a, b in [(y, ty), (x_back, tx_back), (ladj, tladj), (grad, tgrad)]:
        assert a.shape == tuple(b.shape)
        assert_close(a, b, rtol=1e-9, atol=1e-9)
    assert sign is tsign is NotImplementedError or np.allclose(np.asarray(sign), np.asarray(tsign))
    assert dims == tdims


def test_transform_cache_and_inverse():
    D = minitorch.distributions
    t = D.TanhTransform(cache_size=1)
    x = minitorch.tensor([20.0, -0.5])
    y = t(x)
    assert t.inv(y) is x and t(x) is y  # the cached pair: atanh(tanh(20)) = inf is never formed
    assert t.inv.inv is t and t.with_cache(0) is not t and t.with_cache(1) is t
    d = D.TransformedDistribution(D.Normal(minitorch.tensor([20.0]), 1.0), [t])
    a = d.rsample()
    assert float(a) == 1.0 and np.isfinite(float(d.log_prob(a)))
    assert D.ExpTransform() == D.ExpTransform() and D.ExpTransform() != D.TanhTransform()
    assert D.ComposeTransform([D.ExpTransform()]).inv.parts[0] == D.ExpTransform().inv
    assert D.identity_transform(x) is x
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        D.ExpTransform(cache_size=2)


def test_transformed_distribution_errors_match_torch(torch):
    cases = [
        lambda D, t: D.TransformedDistribution(D.Normal(0.0, 1.0), 3),
        lambda D, t: D.TransformedDistribution(D.Normal(0.0, 1.0), [D.ExpTransform(), 3]),
        lambda D, t: D.TransformedDistribution(D.Normal(0.0, 1.0), [D.SoftmaxTransform()]),
        lambda D, t: D.LogNormal(0.0, 1.0).log_prob(t.tensor(-1.0)),
        lambda D, t: D.TransformedDistribution(D.Normal(0.0, 1.0), D.TanhTransform()).log_prob(
            t.tensor(1.5)
        ),
    ]
    for make in cases:
        theirs = _errors(torch, make)
        assert theirs is not None and _errors(minitorch, make) == theirs


def test_sign_of_a_0d_tensor(torch):
    """Regression: sign of a 0-d float tensor raised (np.sign returned a scalar, which
    nan_to_num(copy=False) cannot fill); PowerTransform.sign takes it."""
    for value in (-2.5, 0.0, 3.0, float("nan")):
        assert float(minitorch.tensor(value).sign()) == float(torch.tensor(value).sign())
    assert minitorch.tensor(-2, dtype=minitorch.int64).sign().item() == -1


def test_onehot_straight_through_gradient(torch):
    grads = []
    for lib in (minitorch, torch):
        logits = lib.tensor([[0.1, 0.5, -0.2], [1.0, 0.0, 0.3]], requires_grad=True)
        d = lib.distributions.OneHotCategoricalStraightThrough(logits=logits)
        s = d.rsample((5,))
        assert tuple(s.shape) == (5, 2, 3) and d.has_rsample
        assert bool((s.detach().sum(-1) == 1).all())
        (s * lib.arange(3.0)).sum().backward()  # the gradient of the probabilities, x5
        grads.append(logits.grad)
    assert_close(grads[0], grads[1], rtol=1e-5)


def test_exponential_family_bregman_entropy(torch):
    """A user's ExponentialFamily subclass with natural parameters gets PyTorch's entropy."""
    results = []
    for lib in (minitorch, torch):
        D = lib.distributions

        class MyNormal(D.ExponentialFamily):
            arg_constraints: dict = {}

            def __init__(self, loc, scale):
                self.loc, self.scale = loc, scale
                super().__init__(loc.shape)

            @property
            def _natural_params(self):
                return self.loc / self.scale.pow(2), -0.5 * self.scale.pow(2).reciprocal()

            def _log_normalizer(self, x, y):
                return -0.25 * x.pow(2) / y + 0.5 * (-np.pi / y).log()

            @property
            def _mean_carrier_measure(self):
                return 0

        d = MyNormal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, 2.0]))
        kl = D.kl_divergence(d, MyNormal(lib.tensor([0.5, -1.0]), lib.tensor([2.0, 0.5])))
        results.append((d.entropy(), kl))
        with pytest.raises(NotImplementedError, match="between different exponential families"):
            D.kl_divergence(d, D.Exponential(1.0))
        assert isinstance(D.Gamma(1.0, 1.0), D.ExponentialFamily)
        assert not isinstance(D.Categorical(lib.ones(2)), D.ExponentialFamily)
    for ours, theirs in zip(*results):
        assert_close(ours, theirs, rtol=1e-6)
    N = torch.distributions.Normal
    assert_close(results[0][0], N(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])).entropy())


@pytest.mark.parametrize("name", ["mvn_cov", "mvn_tril", "mvn_precision", "lowrank_mvn"])
def test_mvn_matrices_match_torch(torch, name):
    ours, _ = CASES[name].build(minitorch, "float64")
    theirs, _ = CASES[name].build(torch, "float64")
    for attr in ("covariance_matrix", "precision_matrix", "scale_tril"):
        a, b = getattr(ours, attr), getattr(theirs, attr)
        assert a.shape == tuple(b.shape)
        assert_close(a, b, rtol=1e-10, atol=1e-12)
    assert_close(
        ours.expand((3, *ours.batch_shape)).entropy(),
        theirs.expand((3, *theirs.batch_shape)).entropy(),
    )


@pytest.mark.parametrize("name", ["lower_cholesky", "positive_definite", "softmax"])
def test_matrix_transforms_match_torch(torch, name):
    x = R.normal(size=(2, 3, 3))
    results = []
    for lib in (minitorch, torch):
        D = lib.distributions
        constraint = {
            "lower_cholesky": D.constraints.lower_cholesky,
            "softmax": D.constraints.simplex,
        }.get(name, D.constraints.positive_definite)
        t = D.transform_to(constraint)
        y = t(lib.tensor(x))
        results.append((y, t.inv(y), bool(constraint.check(y).all()), type(t).__name__))
    (y, xb, ok, tname), (ty, txb, tok, ttname) = results
    assert_close(y, ty, rtol=1e-10, atol=1e-12)
    assert_close(xb, txb, rtol=1e-8, atol=1e-10)
    assert ok and tok and tname == ttname


def test_constraint_registry_errors_match_torch(torch):
    for lib in (minitorch, torch):
        D = lib.distributions
        with pytest.raises(NotImplementedError, match="Cannot transform _Boolean constraints"):
            D.biject_to(D.constraints.boolean)
        with pytest.raises(
            NotImplementedError, match="Cannot transform _LowerCholesky constraints"
        ):
            D.biject_to(D.constraints.lower_cholesky)
        with pytest.raises(
            TypeError, match="Expected constraint to be either a Constraint subclass"
        ):
            D.biject_to.register(int, lambda c: None)
        with pytest.raises(
            ValueError, match="in_shape, out_shape have different numbers of elements"
        ):
            D.ReshapeTransform((2, 3), (5,))


def test_von_mises_samples(torch):
    d = minitorch.distributions.VonMises(
        minitorch.tensor([1.0, -2.5]), minitorch.tensor([5.0, 0.3])
    )
    x = d.sample((20000,)).numpy().astype(np.float64)
    assert x.shape == (20000, 2)
    assert np.all((x >= -np.pi) & (x < np.pi))
    resultant = np.cos(x - np.array([1.0, -2.5])).mean(0)  # E cos(x - loc) = I1(k) / I0(k)
    expected = 1 - d.variance.numpy()
    assert np.all(np.abs(resultant - expected) < 5 * np.sqrt(0.5 / 20000))
    assert d.sample().dtype == minitorch.float32


def test_categorical_with_masked_logits(torch):
    """RL action masking: -inf logits get probability 0, are never drawn, and entropy,
    log_prob and their gradients stay finite, as in PyTorch."""
    results = []
    for lib in (minitorch, torch):
        logits = lib.tensor([[1.0, -np.inf, 0.5], [0.2, 0.1, -np.inf]], requires_grad=True)
        d = lib.distributions.Categorical(logits=logits)
        entropy, log_prob = d.entropy(), d.log_prob(lib.tensor([0, 1]))
        (entropy.sum() + log_prob.sum()).backward()
        draws = d.sample((2000,)).numpy()
        assert not (draws[:, 0] == 1).any() and not (draws[:, 1] == 2).any()
        results.append((entropy, log_prob, logits.grad))
    for ours, theirs in zip(*results):
        assert_close(ours, theirs)


FAMILIES = {  # one batch of 3 of each family, parameters in [0.2, 0.9]-ish, from leaves t(...)
    "Normal": lambda D, t: D.Normal(t([0.1, -0.5, 0.3]), t([0.5, 1.2, 0.8])),
    "Laplace": lambda D, t: D.Laplace(t([0.2, -0.1, 0.4]), t([0.7, 0.9, 1.5])),
    "Gumbel": lambda D, t: D.Gumbel(t([0.0, 0.5, -0.3]), t([1.1, 0.6, 0.9])),
    "Uniform": lambda D, t: D.Uniform(t([0.1, 0.2, 0.05]), t([0.6, 0.9, 0.3])),
    "Exponential": lambda D, t: D.Exponential(t([0.5, 1.5, 2.0])),
    "Gamma": lambda D, t: D.Gamma(t([0.8, 2.0, 3.5]), t([1.0, 0.5, 2.0])),
    "Beta": lambda D, t: D.Beta(t([0.8, 2.0, 3.5]), t([1.5, 0.7, 2.0])),
    "Pareto": lambda D, t: D.Pareto(t([1.0, 0.5, 2.0]), t([1.5, 3.0, 0.8])),
    "ContinuousBernoulli": lambda D, t: D.ContinuousBernoulli(t([0.2, 0.6, 0.8])),
    "Poisson": lambda D, t: D.Poisson(t([0.5, 2.0, 4.0])),
    "Bernoulli": lambda D, t: D.Bernoulli(t([0.2, 0.6, 0.8])),
    "Binomial": lambda D, t: D.Binomial(4, t([0.2, 0.6, 0.8])),
}
FAMILIES["LowRankMultivariateNormal"] = lambda D, t: D.LowRankMultivariateNormal(
    t([[0.1, -0.2, 0.3]]), t([[0.5, 0.1], [-0.3, 0.8], [0.2, 0.4]]), t([0.7, 1.1, 0.9])
)
FAMILIES["MultivariateNormal"] = lambda D, t: D.MultivariateNormal(t([0.3, 0.0, -0.4]), t(SPD2))
CROSS_PAIRS = sorted(
    (p.__name__, q.__name__)
    for p, q in minitorch.distributions.kl._KL_REGISTRY
    if p.__name__ in FAMILIES and q.__name__ in FAMILIES
    and (p is not q or p.__name__ in ("ContinuousBernoulli", "Pareto", "LowRankMultivariateNormal"))
)  # fmt: skip


@pytest.mark.parametrize("p_name, q_name", CROSS_PAIRS)
def test_cross_family_kl_matches_torch(torch, p_name, q_name):
    results = []
    for lib in (minitorch, torch):
        leaves = []

        def t(a, lib=lib, leaves=leaves):
            leaves.append(lib.tensor(a, dtype=lib.float64, requires_grad=True))
            return leaves[-1]

        p = FAMILIES[p_name](lib.distributions, t)
        q = FAMILIES[q_name](lib.distributions, t)
        kl = lib.distributions.kl_divergence(p, q)
        grads = (
            lib.autograd.grad(kl[kl.isfinite()].sum(), leaves, allow_unused=True)
            if kl.requires_grad
            else []
        )
        results.append((kl, grads))
    (ours, our_grads), (theirs, their_grads) = results
    _compare(ours, theirs, 1e-9, 1e-10)
    for a, b in zip(our_grads, their_grads):
        assert (a is None) == (b is None)
        if a is not None:
            assert_close(a, b, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    "family, error", [("MultivariateNormal", ValueError), ("Wishart", AssertionError)]
)
def test_exactly_one_matrix_parameter(torch, family, error):
    for lib in (minitorch, torch):
        eye = lib.eye(2)
        first = lib.zeros(2) if family == "MultivariateNormal" else lib.tensor(3.0)
        make = getattr(lib.distributions, family)
        for kwargs in ({}, {"covariance_matrix": eye, "scale_tril": eye}):
            with pytest.raises(error, match="Exactly one of covariance_matrix or precision_matrix"):
                make(first, **kwargs)


def test_pytorch_submodule_import_paths():
    """``from torch.distributions.<module> import <Family>`` works for every family PyTorch
    has a submodule for, whichever module holds the class here."""
    import importlib

    torch = pytest.importorskip("torch")
    for name in dir(torch.distributions):
        module = getattr(torch.distributions, name)
        if name.startswith("_") or type(module).__name__ != "module":
            continue
        ours = importlib.import_module(f"minitorch.distributions.{name}")
        for cls in dir(module):
            defined_there = getattr(getattr(module, cls), "__module__", None) == module.__name__
            if defined_there and cls in minitorch.distributions.__all__:
                assert getattr(ours, cls) is getattr(minitorch.distributions, cls), (name, cls)
