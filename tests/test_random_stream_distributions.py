"""After the same manual_seed, minitorch.distributions samples the numbers PyTorch's do and
leaves the random stream where PyTorch leaves it (oracle tests against torch); and the
samplers behind them, poisson, binomial, _standard_gamma and _sample_dirichlet, draw as
ATen's per-element rejection samplers do."""

import warnings

import numpy as np
import pytest

import minitorch

LOC = [0.3, -1.2, 2.0]
PROBS = [0.2, 0.5, 0.9]
SCALE = [0.5, 1.5, 3.0]
OTHER = [2.0, 0.7, 1.0]
COV = [[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 1.5]]

# name: (builder(D, t), exact). exact: the same values bit for bit in both dtypes; else
# the draws are the same and only the transcendental functions applied to them (numpy's
# log/exp/sin/cos against PyTorch's vectorised ones, in the last bit, and matmul order)
# differ: then |a - b| stays within a few units of the largest value's last place.
CASES = {
    "normal": (lambda D, t: D.Normal(t(LOC), t(SCALE)), False),
    "log_normal": (lambda D, t: D.LogNormal(t(LOC), t(SCALE)), False),
    "half_normal": (lambda D, t: D.HalfNormal(t(SCALE)), False),
    "uniform": (lambda D, t: D.Uniform(t(LOC), t([3.0, 4.0, 5.0])), True),
    "bernoulli": (lambda D, t: D.Bernoulli(t(PROBS)), True),
    "bernoulli_logits": (lambda D, t: D.Bernoulli(logits=t(LOC)), True),
    "categorical": (lambda D, t: D.Categorical(t([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])), True),
    "one_hot_categorical": (lambda D, t: D.OneHotCategorical(t([0.1, 0.2, 0.7])), True),
    "multinomial": (lambda D, t: D.Multinomial(5, t([0.1, 0.2, 0.7])), True),
    "binomial": (lambda D, t: D.Binomial(t([5.0, 20.0, 100.0]), t(PROBS)), True),
    "negative_binomial": (lambda D, t: D.NegativeBinomial(t([2.0, 5.0, 30.0]), t(PROBS)), True),
    "poisson": (lambda D, t: D.Poisson(t([0.5, 4.0, 30.0])), True),
    "geometric": (lambda D, t: D.Geometric(t(PROBS)), True),
    "exponential": (lambda D, t: D.Exponential(t(SCALE)), False),
    "laplace": (lambda D, t: D.Laplace(t(LOC), t(SCALE)), False),
    "cauchy": (lambda D, t: D.Cauchy(t(LOC), t(SCALE)), True),
    "half_cauchy": (lambda D, t: D.HalfCauchy(t(SCALE)), True),
    "gumbel": (lambda D, t: D.Gumbel(t(LOC), t(SCALE)), False),
    "gamma": (lambda D, t: D.Gamma(t([0.5, 1.5, 3.0]), t(SCALE)), True),
    "chi2": (lambda D, t: D.Chi2(t(SCALE)), True),
    "beta": (lambda D, t: D.Beta(t(SCALE), t(OTHER)), True),
    "dirichlet": (lambda D, t: D.Dirichlet(t([0.05, 1.5, 3.0, 0.7, 9.0])), True),
    "student_t": (lambda D, t: D.StudentT(t([2.0, 5.0, 30.0]), t(LOC), t(SCALE)), False),
    "fisher_snedecor": (lambda D, t: D.FisherSnedecor(t(SCALE), t([2.0, 5.0, 30.0])), True),
    "inverse_gamma": (lambda D, t: D.InverseGamma(t(SCALE), t([2.0, 5.0, 30.0])), False),
    "von_mises": (lambda D, t: D.VonMises(t(LOC), t([0.5, 1.5, 30.0])), True),
    "mvn": (lambda D, t: D.MultivariateNormal(t(LOC), t(COV)), False),
    "lowrank_mvn": (
        lambda D, t: D.LowRankMultivariateNormal(
            t(LOC), t([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), t(SCALE)
        ),
        False,
    ),
    "relaxed_bernoulli": (lambda D, t: D.RelaxedBernoulli(t(0.5), probs=t(PROBS)), False),
    "relaxed_one_hot": (
        lambda D, t: D.RelaxedOneHotCategorical(t(0.5), probs=t([0.1, 0.2, 0.7])),
        False,
    ),
    "continuous_bernoulli": (lambda D, t: D.ContinuousBernoulli(t(PROBS)), False),
    "kumaraswamy": (lambda D, t: D.Kumaraswamy(t(SCALE), t(OTHER)), False),
    "pareto": (lambda D, t: D.Pareto(t(SCALE), t(OTHER)), False),
    "weibull": (lambda D, t: D.Weibull(t(SCALE), t(OTHER)), False),
    "generalized_pareto": (
        lambda D, t: D.GeneralizedPareto(t(LOC), t(SCALE), t([0.1, -0.2, 0.3])),
        False,
    ),
    "lkj_cholesky": (lambda D, t: D.LKJCholesky(3, t(1.5)), False),
    "wishart": (lambda D, t: D.Wishart(t(4.0), covariance_matrix=t(COV)), False),
    "mixture_same_family": (
        lambda D, t: D.MixtureSameFamily(
            D.Categorical(t([0.3, 0.7])), D.Normal(t([0.0, 5.0]), t([1.0, 2.0]))
        ),
        False,
    ),
    "independent": (lambda D, t: D.Independent(D.Gamma(t([0.5, 1.5, 3.0]), t(SCALE)), 1), True),
    "logistic_normal": (lambda D, t: D.LogisticNormal(t(LOC), t(SCALE)), False),
}


def _draw(lib, name: str, dtype: str, method: str, shape: tuple):
    """Seeds ``lib``, draws, and returns (sample, the next rand(2)) as arrays."""

    def t(values):
        return lib.tensor(values, dtype=getattr(lib, dtype))

    lib.manual_seed(7)
    dist = CASES[name][0](lib.distributions, t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's Wishart warns of singular samples
        value = getattr(dist, method)(lib.Size(shape))
    return value.detach().numpy(), lib.rand(2).numpy()


def _assert_same_draws(torch, name: str, dtype: str, method: str):
    for shape in [(), (5,), (6, 4)]:
        expected, stream_expected = _draw(torch, name, dtype, method, shape)
        got, stream_got = _draw(minitorch, name, dtype, method, shape)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        if CASES[name][1]:
            np.testing.assert_array_equal(got, expected, err_msg=f"{name} {shape}")
        else:
            scale = np.abs(expected).max()
            ulps = 64 if dtype == "float32" else 512
            tol = ulps * np.finfo(expected.dtype).eps * max(float(scale), 1.0)
            np.testing.assert_allclose(got, expected, rtol=0, atol=tol, err_msg=f"{shape}")
        np.testing.assert_array_equal(stream_got, stream_expected, err_msg=f"{name} {shape}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_draws_pytorchs_numbers(torch, name, dtype):
    _assert_same_draws(torch, name, dtype, "sample")


RSAMPLED = [
    n for n in sorted(CASES) if CASES[n][0](minitorch.distributions, minitorch.tensor).has_rsample
]


@pytest.mark.parametrize("name", RSAMPLED)
def test_rsample_draws_pytorchs_numbers(torch, name):
    _assert_same_draws(torch, name, "float32", "rsample")


def _rates(rs, dtype):
    return rs.choice([0.0, 0.3, 2.0, 9.99, 10.0, 15.0, 80.0, 1e4], 600).astype(dtype)


def _both(torch, fn):
    """fn(lib) after manual_seed(3) in each framework, with the next rand(2)."""
    out = []
    for lib in (torch, minitorch):
        lib.manual_seed(3)
        out.append((fn(lib).detach().numpy(), lib.rand(2).numpy()))
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_poisson_binomial_gamma_dirichlet_match_aten(torch, dtype):
    """Rates on both sides of the rejection sampler's threshold (10), counts and
    probabilities in every branch of the binomial sampler (inversion, BTRS, p > 1/2, 0, 1),
    Gamma shapes below 1 (boosted) and large; Dirichlet rows of 7 (ATen's sum order)."""
    rs = np.random.default_rng(0)
    rate = _rates(rs, dtype)
    count = rs.choice([0.0, 1.0, 5.0, 20.0, 100.0, 1000.0, 1e5], 600).astype(dtype)
    prob = rs.choice([0.0, 0.01, 0.3, 0.5, 0.51, 0.77, 0.999, 1.0], 600).astype(dtype)
    alpha = rs.choice([1e-3, 0.05, 0.5, 0.999, 1.0, 1.5, 3.0, 50.0, 1e4], 600).astype(dtype)
    alpha_rows = rs.choice([1e-3, 0.05, 0.5, 1.0, 3.0, 50.0], (80, 7)).astype(dtype)
    draws = {
        "poisson": lambda lib: lib.poisson(lib.tensor(rate)),
        "binomial": lambda lib: lib.binomial(lib.tensor(count), lib.tensor(prob)),
        "gamma": lambda lib: lib._standard_gamma(lib.tensor(alpha)),
        "dirichlet": lambda lib: lib._sample_dirichlet(lib.tensor(alpha_rows)),
    }
    for name, fn in draws.items():
        (expected, stream_expected), (got, stream_got) = _both(torch, fn)
        assert got.dtype == expected.dtype, name
        np.testing.assert_array_equal(got, expected, err_msg=name)
        np.testing.assert_array_equal(stream_got, stream_expected, err_msg=name)


def test_gamma_draws_share_the_cached_normal_with_randn(torch):
    """A pending second Box-Muller value (from a small randn) is the first normal the
    Gamma sampler uses, and the one it leaves is the next small randn's."""

    def fn(lib):
        first = lib.randn(3, dtype=lib.float64)
        g = lib._standard_gamma(lib.tensor([2.5, 0.3], dtype=lib.float64))
        return lib.cat([first, g, lib.randn(3, dtype=lib.float64)])

    (expected, stream_expected), (got, stream_got) = _both(torch, fn)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(stream_got, stream_expected)


def test_binomial_uses_a_generator(torch):
    def fn(lib):
        gen = lib.Generator().manual_seed(11)
        count = lib.tensor([[3.0, 40.0, 100.0], [7.0, 1.0, 60.0]])
        return lib.binomial(count, lib.tensor([[0.2, 0.6, 0.95]]).expand(2, 3), generator=gen)

    (expected, stream_expected), (got, stream_got) = _both(torch, fn)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(stream_got, stream_expected)  # the default stream untouched


def test_binomial_and_poisson_errors():
    with pytest.raises(ValueError, match="binomial only supports floating-point dtypes"):
        minitorch.binomial(minitorch.tensor([3, 4]), minitorch.tensor([0.5, 0.5]))
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        minitorch.binomial(
            minitorch.tensor([3.0]), minitorch.tensor([0.5], dtype=minitorch.float64)
        )
    with pytest.raises(NotImplementedError, match="\"poisson_cpu\" not implemented for 'Long'"):
        minitorch.poisson(minitorch.tensor([3, 4]))


def test_standard_gamma_gradient_matches_torch(torch):
    """minitorch._standard_gamma carries the reparameterisation gradient (minitorch's is
    exact; PyTorch's an approximation good to about 1e-3 here)."""
    alpha = [0.3, 1.0, 2.5, 7.0, 40.0]
    grads = []
    for lib in (torch, minitorch):
        lib.manual_seed(5)
        a = lib.tensor(alpha, dtype=lib.float64, requires_grad=True)
        lib._standard_gamma(a).sum().backward()
        grads.append(a.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=2e-3)


def test_dirichlet_rsample_gradient_is_pytorchs(torch):
    """Dirichlet.rsample's gradient is PyTorch's (``_dirichlet_grad``'s approximation of the
    Beta marginals' implicit gradient, not that of normalising reparameterised Gammas)."""
    grads = []
    for lib in (torch, minitorch):
        lib.manual_seed(9)
        w = lib.tensor([0.3, -1.0, 2.0, 0.5], dtype=lib.float64)
        a = lib.tensor([[0.4, 1.5, 3.0, 9.0], [2.0, 0.8, 0.1, 5.0]], dtype=lib.float64)
        a.requires_grad_()
        (lib.distributions.Dirichlet(a).rsample() * w).sum().backward()
        grads.append(a.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-10, atol=1e-14)


@pytest.mark.filterwarnings("ignore:Singular sample detected")
def test_wishart_redraws_as_pytorch_and_keeps_gradients(torch):
    """PyTorch redraws every positive-definite sample once (its singularity check is
    inverted); minitorch draws the same numbers, and rsample still carries gradients."""
    (expected, stream_expected), (got, stream_got) = _both(
        torch,
        lambda lib: lib.distributions.Wishart(
            lib.tensor([3.0, 2.5]), scale_tril=lib.eye(2).expand(2, 2, 2)
        ).rsample((3,), max_try_correction=2),
    )
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(stream_got, stream_expected)
    df = minitorch.tensor(4.0, requires_grad=True)
    cov = minitorch.tensor(COV, requires_grad=True)
    minitorch.distributions.Wishart(df, covariance_matrix=cov).rsample((2,)).sum().backward()
    assert cov.grad is not None and np.isfinite(cov.grad.numpy()).all()
    assert df.grad is not None and np.isfinite(df.grad.numpy()).all()
