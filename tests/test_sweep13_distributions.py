"""Session 8 compatibility sweep of torch.distributions, second pass: RL, VAE and Bayesian
research code (transform chains, mixtures, low-rank and matrix Gaussians, reparameterised
gradients, discrete log_prob edges, seeded draws, KL pairs, validation messages), each program
run with real PyTorch (the oracle) and with minitorch from the same seed."""

from __future__ import annotations

import math

import pytest
from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program_matches_pytorch(torch, name):
    SWEEP.check(name, torch)


# ---- transform chains -----------------------------------------------------------------------
@program
def affine_exp_chain_log_prob_grad(torch):
    D, T = torch.distributions, torch.distributions.transforms
    loc = torch.tensor([0.3, -0.2], requires_grad=True)
    scale = torch.tensor([1.5, 0.7], requires_grad=True)
    base = D.Normal(torch.zeros(2), torch.ones(2))
    d = D.TransformedDistribution(base, [T.AffineTransform(loc, scale), T.ExpTransform()])
    x = torch.tensor([[0.5, 2.0], [1.5, 0.1]])
    lp = d.log_prob(x)
    lp.sum().backward()
    return lp, loc.grad, scale.grad, d.batch_shape, d.event_shape, d.sample((3,))


@program
def sigmoid_affine_compose_inv(torch):
    T = torch.distributions.transforms
    t = T.ComposeTransform([T.AffineTransform(1.0, 2.0), T.SigmoidTransform()])
    x = torch.tensor([-2.0, 0.0, 0.5, 3.0], dtype=torch.float64)
    y = t(x)
    return y, t.inv(y), t.log_abs_det_jacobian(x, y), t.inv.log_abs_det_jacobian(y, x)


@program
def tanh_softplus_power(torch):
    T = torch.distributions.transforms
    x = torch.tensor([0.1, 0.5, 1.2, 2.0], dtype=torch.float64, requires_grad=True)
    out = []
    for t in [
        T.TanhTransform(),
        T.SoftplusTransform(),
        T.PowerTransform(torch.tensor(2.5, dtype=torch.float64)),
    ]:
        y = t(x)
        out += [y, t.inv(y), t.log_abs_det_jacobian(x, y)]
    sum(o.sum() for o in out).backward()
    return out, x.grad


@program
def power_transform_negative_exponent(torch):
    T = torch.distributions.transforms
    t = T.PowerTransform(-1.5)
    x = torch.tensor([0.5, 1.0, 4.0])
    y = t(x)
    return y, t.inv(y), t.log_abs_det_jacobian(x, y), t.sign, str(t)


@program
def stick_breaking_roundtrip_ladj(torch):
    T = torch.distributions.transforms
    t = T.StickBreakingTransform()
    x = torch.tensor([[0.1, -0.5, 2.0], [0.0, 0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    y = t(x)
    ladj = t.log_abs_det_jacobian(x, y)
    ladj.sum().backward()
    return y, t.inv(y), ladj, x.grad, t.forward_shape((2, 3)), t.inverse_shape((2, 4))


@program
def lower_cholesky_transform(torch):
    T = torch.distributions.transforms
    t = T.LowerCholeskyTransform()
    x = torch.tensor([[0.5, 3.0, 1.0], [-1.0, 0.2, 4.0], [2.0, 0.1, -0.3]])
    y = t(x)
    return y, t.inv(y), t.domain.event_dim, t.codomain.event_dim


@program
def transformed_distribution_with_stick_breaking(torch):
    D, T = torch.distributions, torch.distributions.transforms
    base = D.Independent(D.Normal(torch.zeros(3), torch.ones(3)), 1)
    d = D.TransformedDistribution(base, T.StickBreakingTransform())
    s = d.sample((2,))
    return s.shape, s.sum(-1), d.log_prob(torch.tensor([0.1, 0.2, 0.3, 0.4])), d.event_shape


@program
def tanh_normal_policy_log_prob_sample_grad(torch):
    D, T = torch.distributions, torch.distributions.transforms
    mu = torch.tensor([[0.1, -0.4]], requires_grad=True)
    log_std = torch.tensor([[-0.5, 0.2]], requires_grad=True)
    base = D.Normal(mu, log_std.exp())
    d = D.TransformedDistribution(base, [T.TanhTransform(cache_size=1)])
    a = d.rsample()
    lp = d.log_prob(a).sum(-1)
    (lp + a.sum()).sum().backward()
    return a, lp, mu.grad, log_std.grad


@program
def inverse_of_compose_and_equality(torch):
    T = torch.distributions.transforms
    c = T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, 3.0)])
    x = torch.tensor([0.2, 1.0])
    return (
        c.inv(c(x)),
        c.inv.inv is c,
        T.ExpTransform() == T.ExpTransform(),
        T.ExpTransform().inv == T.ExpTransform().inv,
        c.event_dim,
        c.bijective,
        c.sign,
        T.identity_transform(x),
    )


@program
def affine_transform_event_dim(torch):
    T = torch.distributions.transforms
    t = T.AffineTransform(torch.tensor([1.0, 2.0]), torch.tensor([2.0, -3.0]), event_dim=1)
    x = torch.tensor([[0.5, 1.5], [2.0, -1.0]])
    y = t(x)
    return y, t.log_abs_det_jacobian(x, y), t.event_dim, t.forward_shape((5, 2))


@program
def exp_transform_with_independent_event(torch):
    D, T = torch.distributions, torch.distributions.transforms
    base = D.Independent(D.Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1)
    d = D.TransformedDistribution(base, T.ExpTransform())
    x = torch.tensor([[0.5, 1.0, 2.0], [3.0, 0.2, 0.7]])
    return d.log_prob(x), d.batch_shape, d.event_shape


@program
def transformed_cdf_icdf_affine_negative_scale(torch):
    D, T = torch.distributions, torch.distributions.transforms
    d = D.TransformedDistribution(D.Normal(0.0, 1.0), [T.AffineTransform(1.0, -2.0)])
    x = torch.tensor([-1.0, 0.0, 2.0])
    return d.cdf(x), d.icdf(torch.tensor([0.1, 0.5, 0.9]))


# ---- mixtures -------------------------------------------------------------------------------
@program
def mixture_1d_gmm_all(torch):
    D = torch.distributions
    logits = torch.tensor([0.2, -0.1, 1.0], requires_grad=True)
    loc = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    scale = torch.tensor([0.5, 1.0, 0.3], requires_grad=True)
    m = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(loc, scale))
    x = torch.tensor([-1.0, 0.0, 1.5, 3.0])
    lp = m.log_prob(x)
    lp.sum().backward()
    return lp, m.cdf(x), m.mean, m.variance, m.sample((5,)), logits.grad, loc.grad, scale.grad


@program
def mixture_of_independent_2d(torch):
    D = torch.distributions
    mix = D.Categorical(torch.ones(2, 3))
    comp = D.Independent(D.Normal(torch.randn(2, 3, 4), torch.rand(2, 3, 4) + 0.5), 1)
    m = D.MixtureSameFamily(mix, comp)
    x = torch.randn(5, 2, 4)
    return m.log_prob(x), m.mean, m.variance, m.batch_shape, m.event_shape, m.sample((2,)).shape


@program
def mixture_of_mvn(torch):
    D = torch.distributions
    mix = D.Categorical(probs=torch.tensor([0.3, 0.7]))
    cov = torch.eye(2).expand(2, 2, 2) * torch.tensor([1.0, 2.0]).view(2, 1, 1)
    comp = D.MultivariateNormal(torch.tensor([[0.0, 1.0], [2.0, -1.0]]), covariance_matrix=cov)
    m = D.MixtureSameFamily(mix, comp)
    return m.log_prob(torch.tensor([[0.5, 0.5], [1.0, -1.0]])), m.mean, m.variance, m.sample((3,))


@error(ValueError, r"needs to be an\s+instance of torch.distributions.Categorical")
def mixture_bad_mixture_type(torch):
    D = torch.distributions
    return D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(torch.zeros(2), torch.ones(2)))


@error(ValueError, r"not compatible|mixture_distribution")
def mixture_shape_mismatch(torch):
    D = torch.distributions
    return D.MixtureSameFamily(
        D.Categorical(torch.ones(3)), D.Normal(torch.zeros(4), torch.ones(4))
    )


@program
def mixture_expand_repr(torch):
    D = torch.distributions
    m = D.MixtureSameFamily(D.Categorical(torch.ones(3)), D.Normal(torch.zeros(3), torch.ones(3)))
    e = m.expand((4,))
    return e.batch_shape, e.log_prob(torch.zeros(4)), e.sample().shape


# ---- Gaussians ------------------------------------------------------------------------------
@program
def lowrank_mvn_all(torch):
    D = torch.distributions
    loc = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    cf = torch.tensor(
        [[1.0, 0.5], [0.2, -0.3], [0.0, 1.0]], dtype=torch.float64, requires_grad=True
    )
    cd = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    d = D.LowRankMultivariateNormal(loc, cf, cd)
    x = torch.tensor([[0.0, 0.0, 0.0], [1.0, -1.0, 3.0]], dtype=torch.float64)
    lp = d.log_prob(x)
    (lp.sum() + d.entropy()).backward()
    return (
        lp,
        d.entropy(),
        d.mean,
        d.variance,
        d.covariance_matrix,
        d.precision_matrix,
        d.scale_tril,
        d.rsample((2,)),
        loc.grad,
        cf.grad,
        cd.grad,
        d.mode,
    )


@program
def lowrank_mvn_batched_kl(torch):
    D = torch.distributions
    p = D.LowRankMultivariateNormal(torch.zeros(2, 3), torch.ones(2, 3, 1), torch.ones(2, 3))
    q = D.LowRankMultivariateNormal(torch.ones(3), torch.ones(3, 2) * 0.5, torch.full((3,), 2.0))
    r = D.MultivariateNormal(torch.ones(3), torch.eye(3) * 2)
    return (
        D.kl_divergence(p, q),
        D.kl_divergence(p, r),
        D.kl_divergence(r, p),
        p.expand((4, 2)).batch_shape,
    )


@program
def mvn_three_params_same(torch):
    D = torch.distributions
    cov = torch.tensor([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]], dtype=torch.float64)
    loc = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
    a = D.MultivariateNormal(loc, covariance_matrix=cov)
    b = D.MultivariateNormal(loc, precision_matrix=torch.linalg.inv(cov))
    c = D.MultivariateNormal(loc, scale_tril=torch.linalg.cholesky(cov))
    x = torch.tensor([[0.5, 0.5, 0.5], [2.0, -1.0, 0.0]], dtype=torch.float64)
    out = []
    for d in (a, b, c):
        out += [d.log_prob(x), d.entropy(), d.covariance_matrix, d.precision_matrix, d.scale_tril]
    return out, D.kl_divergence(a, c), a.rsample((2,))


@program
def mvn_grad_through_scale_tril(torch):
    D = torch.distributions
    L = torch.tensor([[1.0, 0.0], [0.5, 2.0]], requires_grad=True)
    mu = torch.tensor([0.0, 1.0], requires_grad=True)
    d = D.MultivariateNormal(mu, scale_tril=L)
    z = d.rsample((3,))
    loss = d.log_prob(z).sum() + z.pow(2).sum()
    loss.backward()
    return z, L.grad, mu.grad


@program
def mvn_precision_grad(torch):
    D = torch.distributions
    P = torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=torch.float64, requires_grad=True)
    d = D.MultivariateNormal(torch.zeros(2, dtype=torch.float64), precision_matrix=P)
    lp = d.log_prob(torch.tensor([1.0, -1.0], dtype=torch.float64))
    lp.backward()
    return lp, P.grad


@error(ValueError, r"(?i)exactly one|covariance_matrix")
def mvn_no_matrix(torch):
    return torch.distributions.MultivariateNormal(torch.zeros(2))


@error(ValueError, r"at least one dimension|loc must be")
def mvn_scalar_loc(torch):
    return torch.distributions.MultivariateNormal(torch.tensor(0.0), torch.eye(1))


@error(ValueError, r"covariance_matrix must be at least two-dimensional")
def mvn_1d_cov(torch):
    return torch.distributions.MultivariateNormal(torch.zeros(2), torch.ones(2))


@error(ValueError, r"covariance_matrix")
def mvn_not_pd(torch):
    return torch.distributions.MultivariateNormal(
        torch.zeros(2), torch.tensor([[1.0, 2.0], [2.0, 1.0]])
    )


# ---- Independent ----------------------------------------------------------------------------
@program
def independent_reinterpret_two(torch):
    D = torch.distributions
    base = D.Normal(torch.zeros(4, 2, 3), torch.ones(4, 2, 3))
    d = D.Independent(base, 2)
    x = torch.randn(4, 2, 3)
    return (
        d.log_prob(x),
        d.entropy(),
        d.batch_shape,
        d.event_shape,
        d.mean.shape,
        d.sample((5,)).shape,
        d.has_rsample,
        repr(d),
    )


@program
def independent_of_bernoulli_enumerate(torch):
    D = torch.distributions
    d = D.Independent(D.Bernoulli(torch.tensor([0.2, 0.7])), 1)
    return d.has_enumerate_support, d.log_prob(torch.tensor([1.0, 0.0])), d.mode


@program
def independent_kl(torch):
    D = torch.distributions
    p = D.Independent(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), 1)
    q = D.Independent(D.Normal(torch.ones(3, 2), torch.ones(3, 2) * 2), 1)
    return D.kl_divergence(p, q)


@error(NotImplementedError, r"")
def independent_kl_different_dims(torch):
    D = torch.distributions
    p = D.Independent(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), 1)
    q = D.Independent(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), 2)
    return D.kl_divergence(p, q)


# ---- reparameterised gradients ----------------------------------------------------------------
@program
def dirichlet_rsample_grad_float64(torch):
    D = torch.distributions
    c = torch.tensor([[0.5, 1.0, 3.0], [2.0, 2.0, 0.3]], dtype=torch.float64, requires_grad=True)
    d = D.Dirichlet(c)
    z = d.rsample((2,))
    (z * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    return z, c.grad, d.entropy(), d.mean, d.variance, d.mode


@program
def beta_rsample_and_entropy_grad(torch):
    D = torch.distributions
    a = torch.tensor([0.5, 2.0, 5.0], requires_grad=True)
    b = torch.tensor([1.5, 0.7, 5.0], requires_grad=True)
    d = D.Beta(a, b)
    z = d.rsample()
    (z.sum() + d.entropy().sum()).backward()
    return z, a.grad, b.grad, d.mean, d.variance, d.mode


@program
def gamma_rsample_small_concentration(torch):
    D = torch.distributions
    a = torch.tensor([0.05, 0.3, 1.0, 10.0], dtype=torch.float64, requires_grad=True)
    r = torch.tensor([1.0, 2.0, 0.5, 3.0], dtype=torch.float64, requires_grad=True)
    z = D.Gamma(a, r).rsample((3,))
    z.sum().backward()
    return z, a.grad, r.grad


@program
def chi2_and_student_rsample(torch):
    D = torch.distributions
    df = torch.tensor([3.0, 5.0], requires_grad=True)
    z = D.Chi2(df).rsample()
    t = D.StudentT(df, torch.zeros(2), torch.ones(2)).rsample()
    (z.sum() + t.sum()).backward()
    return z, t, df.grad


# ---- discrete edges -------------------------------------------------------------------------
@program
def binomial_log_prob_edges(torch):
    D = torch.distributions
    out = []
    for p in (0.0, 1.0, 0.3):
        d = D.Binomial(10, torch.tensor(p))
        out.append(d.log_prob(torch.tensor([0.0, 5.0, 10.0])))
    d = D.Binomial(torch.tensor([0.0, 5.0]), probs=torch.tensor([0.5, 0.5]))
    out.append(d.log_prob(torch.tensor([0.0, 0.0])))
    out.append(
        D.Binomial(10, logits=torch.tensor([-50.0, 50.0])).log_prob(torch.tensor([0.0, 10.0]))
    )
    return out


@program
def binomial_props(torch):
    D = torch.distributions
    d = D.Binomial(torch.tensor([5.0, 8.0]), torch.tensor([0.3, 0.9]))
    return d.mean, d.variance, d.mode, d.sample((3,)), d.param_shape


@program
def binomial_enumerate_support(torch):
    D = torch.distributions
    d = D.Binomial(4, torch.tensor([0.3, 0.6]))
    return d.enumerate_support(), d.enumerate_support(expand=False), d.entropy()


@program
def poisson_log_prob_edges(torch):
    D = torch.distributions
    d = D.Poisson(torch.tensor([0.0, 0.0, 2.0, 1e-8]))
    return d.log_prob(torch.tensor([0.0, 1.0, 0.0, 0.0])), d.mean, d.mode, d.variance


@program
def negative_binomial_edges(torch):
    D = torch.distributions
    d = D.NegativeBinomial(torch.tensor([1.0, 3.0, 2.5]), probs=torch.tensor([0.0, 0.5, 0.9]))
    x = torch.tensor([0.0, 2.0, 7.0])
    return d.log_prob(x), d.mean, d.variance, d.mode, d.sample((2,))


@program
def negative_binomial_logits_grad(torch):
    D = torch.distributions
    tc = torch.tensor([2.0, 4.0], requires_grad=True)
    lg = torch.tensor([0.5, -1.0], requires_grad=True)
    d = D.NegativeBinomial(tc, logits=lg)
    lp = d.log_prob(torch.tensor([3.0, 0.0]))
    lp.sum().backward()
    return lp, tc.grad, lg.grad


@program
def geometric_edges(torch):
    D = torch.distributions
    d = D.Geometric(torch.tensor([1.0, 0.5, 0.01]))
    x = torch.tensor([0.0, 3.0, 10.0])
    return d.log_prob(x), d.entropy(), d.mean, d.variance, d.mode, d.sample((4,))


@program
def geometric_logits(torch):
    D = torch.distributions
    d = D.Geometric(logits=torch.tensor([-2.0, 0.0, 3.0]))
    return d.probs, d.log_prob(torch.tensor([1.0, 0.0, 2.0])), d.entropy()


# ---- relaxed / continuous bernoulli -----------------------------------------------------------
@program
def relaxed_bernoulli_all(torch):
    D = torch.distributions
    lg = torch.tensor([0.3, -1.2], requires_grad=True)
    d = D.RelaxedBernoulli(torch.tensor(0.5), logits=lg)
    z = d.rsample((3,))
    lp = d.log_prob(z)
    (lp.sum() + z.sum()).backward()
    return z, lp, lg.grad, d.temperature, d.probs


@program
def relaxed_one_hot_categorical(torch):
    D = torch.distributions
    p = torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], requires_grad=True)
    d = D.RelaxedOneHotCategorical(torch.tensor(0.7), probs=p)
    z = d.rsample()
    lp = d.log_prob(z)
    (lp.sum() + (z * torch.arange(3.0)).sum()).backward()
    return z, lp, p.grad, d.batch_shape, d.event_shape


@program
def continuous_bernoulli_all(torch):
    D = torch.distributions
    p = torch.tensor([0.1, 0.499, 0.5, 0.501, 0.9], dtype=torch.float64, requires_grad=True)
    d = D.ContinuousBernoulli(probs=p)
    x = torch.tensor([0.2, 0.5, 0.7, 0.0, 1.0], dtype=torch.float64)
    lp = d.log_prob(x)
    (lp.sum() + d.entropy().sum()).backward()
    return (lp, d.mean, d.variance, d.entropy(), d.cdf(x), d.icdf(x), p.grad, d.rsample((2,)))


# ---- continuous families --------------------------------------------------------------------
@program
def von_mises_all(torch):
    D = torch.distributions
    loc = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    k = torch.tensor([0.5, 10.0], dtype=torch.float64, requires_grad=True)
    d = D.VonMises(loc, k)
    x = torch.tensor([0.3, 2.5], dtype=torch.float64)
    lp = d.log_prob(x)
    lp.sum().backward()
    return lp, d.mean, d.variance, d.mode, loc.grad, k.grad, d.sample((3,)).shape


@program
def kumaraswamy_all(torch):
    D = torch.distributions
    a = torch.tensor([0.5, 2.0], requires_grad=True)
    b = torch.tensor([1.5, 3.0], requires_grad=True)
    d = D.Kumaraswamy(a, b)
    z = d.rsample((2,))
    lp = d.log_prob(torch.tensor([0.3, 0.8]))
    (z.sum() + lp.sum()).backward()
    return z, lp, d.mean, d.variance, d.entropy(), a.grad, b.grad


@program
def weibull_all(torch):
    D = torch.distributions
    s = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([0.5, 3.0], requires_grad=True)
    d = D.Weibull(s, c)
    x = torch.tensor([0.7, 1.5])
    lp = d.log_prob(x)
    z = d.rsample((2,))
    (lp.sum() + z.sum()).backward()
    return lp, z, d.mean, d.variance, d.entropy(), d.cdf(x), s.grad, c.grad, d.mode


@program
def gumbel_all(torch):
    D = torch.distributions
    d = D.Gumbel(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 0.5]))
    x = torch.tensor([0.3, 1.0])
    return (
        d.log_prob(x),
        d.cdf(x),
        d.icdf(torch.tensor([0.2, 0.9])),
        d.mean,
        d.variance,
        d.entropy(),
        d.mode,
        d.rsample((2,)),
    )


@program
def lognormal_all(torch):
    D = torch.distributions
    d = D.LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 1.5]))
    x = torch.tensor([0.5, 3.0])
    return (
        d.log_prob(x),
        d.cdf(x),
        d.icdf(torch.tensor([0.3, 0.7])),
        d.mean,
        d.variance,
        d.entropy(),
        d.mode,
        d.sample((2,)),
    )


@program
def half_normal_half_cauchy(torch):
    D = torch.distributions
    hn = D.HalfNormal(torch.tensor([1.0, 2.0]))
    hc = D.HalfCauchy(torch.tensor([1.0, 2.0]))
    x = torch.tensor([0.5, 3.0])
    return (
        hn.log_prob(x),
        hn.cdf(x),
        hn.icdf(torch.tensor([0.3, 0.7])),
        hn.mean,
        hn.variance,
        hn.entropy(),
        hn.mode,
        hc.log_prob(x),
        hc.cdf(x),
        hc.icdf(torch.tensor([0.3, 0.7])),
        hc.entropy(),
        hc.mode,
        hn.log_prob(torch.tensor([-1.0, 0.0])) if False else hn.sample((2,)),
    )


@program
def half_cauchy_mean_inf(torch):
    D = torch.distributions
    hc = D.HalfCauchy(torch.tensor([1.0]))
    return hc.mean, hc.variance


@program
def student_t_all(torch):
    D = torch.distributions
    d = D.StudentT(
        torch.tensor([0.5, 1.5, 3.0]), torch.tensor([0.0, 1.0, -1.0]), torch.tensor([1.0, 2.0, 0.5])
    )
    x = torch.tensor([0.1, 2.0, -1.0])
    return d.log_prob(x), d.mean, d.variance, d.entropy(), d.mode, d.sample((2,))


@program
def wishart_shapes(torch):
    D = torch.distributions
    d = D.Wishart(torch.tensor([4.0, 5.0]), covariance_matrix=torch.eye(3).expand(2, 3, 3))
    s = d.sample((2,))
    x = torch.eye(3) * 2
    return (
        s.shape,
        d.log_prob(x),
        d.mean,
        d.variance,
        d.entropy(),
        d.batch_shape,
        d.event_shape,
        d.mode,
    )


@program
def lkj_cholesky_shapes(torch):
    D = torch.distributions
    d = D.LKJCholesky(3, torch.tensor([0.5, 2.0]))
    s = d.sample((4,))
    return s.shape, d.log_prob(s).shape, d.log_prob(torch.eye(3)), d.batch_shape, d.event_shape


# ---- sampling from seeds ----------------------------------------------------------------------
@program
def seeded_draws_many_families(torch):
    D = torch.distributions
    out = []
    for d in (
        D.Normal(torch.zeros(3), torch.ones(3)),
        D.Laplace(torch.zeros(3), torch.ones(3)),
        D.Cauchy(torch.zeros(3), torch.ones(3)),
        D.Exponential(torch.ones(3)),
        D.Gumbel(torch.zeros(3), torch.ones(3)),
        D.Uniform(torch.zeros(3), torch.ones(3)),
        D.Bernoulli(torch.full((3,), 0.4)),
        D.Geometric(torch.full((3,), 0.4)),
        D.Categorical(torch.ones(4)),
        D.OneHotCategorical(torch.ones(4)),
        D.Poisson(torch.tensor([0.5, 3.0, 20.0])),
        D.Gamma(torch.tensor([0.5, 1.0, 3.0]), torch.ones(3)),
        D.Beta(torch.tensor([0.5, 1.0, 3.0]), torch.ones(3)),
        D.Dirichlet(torch.ones(3)),
        D.Binomial(10, torch.tensor([0.2, 0.5, 0.9])),
        D.Weibull(torch.ones(3), torch.ones(3) * 2),
        D.LogNormal(torch.zeros(3), torch.ones(3)),
        D.HalfNormal(torch.ones(3)),
        D.Pareto(torch.ones(3), torch.ones(3) * 2),
        D.Kumaraswamy(torch.ones(3), torch.ones(3) * 2),
    ):
        out.append(d.sample((2,)))
    return out


@program
def seeded_mvn_and_lowrank(torch):
    D = torch.distributions
    a = D.MultivariateNormal(torch.zeros(3), torch.eye(3) * 2).sample((4,))
    b = D.LowRankMultivariateNormal(torch.zeros(3), torch.ones(3, 1), torch.ones(3)).sample((4,))
    return a, b


@program
def seeded_relaxed_and_cb(torch):
    D = torch.distributions
    return (
        D.RelaxedBernoulli(torch.tensor(0.3), probs=torch.tensor([0.2, 0.8])).sample((3,)),
        D.RelaxedOneHotCategorical(torch.tensor(0.3), probs=torch.tensor([0.2, 0.8])).sample((3,)),
        D.ContinuousBernoulli(torch.tensor([0.2, 0.8])).sample((3,)),
        D.StudentT(torch.tensor([3.0, 5.0])).sample((3,)),
        D.Chi2(torch.tensor([3.0, 5.0])).sample((3,)),
        D.FisherSnedecor(torch.tensor([3.0]), torch.tensor([5.0])).sample((3,))
        if hasattr(D, "FisherSnedecor")
        else None,
    )


@program
def seeded_negbin_multinomial(torch):
    D = torch.distributions
    return (
        D.NegativeBinomial(torch.tensor([3.0, 10.0]), torch.tensor([0.3, 0.7])).sample((3,)),
        D.Multinomial(10, torch.tensor([0.2, 0.3, 0.5])).sample((3,)),
        D.VonMises(torch.tensor([0.0]), torch.tensor([2.0])).sample((3,)),
    )


# ---- entropy / perplexity / enumerate -----------------------------------------------------------
@program
def perplexity_many(torch):
    D = torch.distributions
    return (
        D.Categorical(torch.tensor([0.2, 0.3, 0.5])).perplexity(),
        D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])).perplexity(),
        D.Bernoulli(torch.tensor([0.1, 0.5])).perplexity(),
    )


@program
def enumerate_support_variants(torch):
    D = torch.distributions
    out = []
    for d in (
        D.Bernoulli(torch.tensor([[0.1, 0.5]])),
        D.Categorical(torch.ones(2, 3)),
        D.OneHotCategorical(torch.ones(2, 3)),
    ):
        out += [d.enumerate_support(), d.enumerate_support(expand=False)]
    return out


@error(NotImplementedError, r"")
def enumerate_support_not_supported(torch):
    return torch.distributions.Normal(0.0, 1.0).enumerate_support()


@error(NotImplementedError, r"")
def binomial_enumerate_heterogeneous(torch):
    return torch.distributions.Binomial(
        torch.tensor([2.0, 3.0]), torch.tensor([0.5, 0.5])
    ).enumerate_support()


# ---- KL pairs -------------------------------------------------------------------------------
@program
def kl_many_pairs(torch):
    D = torch.distributions
    t = torch.tensor
    pairs = [
        (D.Bernoulli(t([0.2, 0.7])), D.Bernoulli(t([0.5, 0.1]))),
        (D.Beta(t([1.5, 2.0]), t([0.5, 3.0])), D.Beta(t([1.0, 2.5]), t([2.0, 1.0]))),
        (D.Binomial(5, t([0.2, 0.7])), D.Binomial(5, t([0.5, 0.1]))),
        (D.Categorical(t([0.2, 0.8])), D.Categorical(t([0.5, 0.5]))),
        (D.ContinuousBernoulli(t([0.2, 0.7])), D.ContinuousBernoulli(t([0.5, 0.1]))),
        (D.Dirichlet(t([1.0, 2.0])), D.Dirichlet(t([0.5, 0.5]))),
        (D.Exponential(t([1.0, 2.0])), D.Exponential(t([0.5, 3.0]))),
        (D.Gamma(t([1.0, 2.0]), t([1.0, 3.0])), D.Gamma(t([0.5, 3.0]), t([2.0, 1.0]))),
        (D.Gumbel(t([0.0, 1.0]), t([1.0, 2.0])), D.Gumbel(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Geometric(t([0.2, 0.7])), D.Geometric(t([0.5, 0.1]))),
        (D.HalfNormal(t([1.0, 2.0])), D.HalfNormal(t([0.5, 3.0]))),
        (D.Laplace(t([0.0, 1.0]), t([1.0, 2.0])), D.Laplace(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Normal(t([0.0, 1.0]), t([1.0, 2.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.OneHotCategorical(t([0.2, 0.8])), D.OneHotCategorical(t([0.5, 0.5]))),
        (D.Pareto(t([1.0, 2.0]), t([1.0, 3.0])), D.Pareto(t([0.5, 1.0]), t([2.0, 1.0]))),
        (D.Poisson(t([1.0, 2.0])), D.Poisson(t([0.5, 3.0]))),
        (D.Uniform(t([0.0, 1.0]), t([1.0, 2.0])), D.Uniform(t([-0.5, 0.0]), t([2.0, 3.0]))),
        (D.Uniform(t([0.0, 1.0]), t([1.0, 2.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Uniform(t([0.0, 1.0]), t([1.0, 2.0])), D.Gumbel(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Uniform(t([0.5, 1.0]), t([1.0, 2.0])), D.Exponential(t([0.5, 3.0]))),
        (D.Uniform(t([0.5, 1.0]), t([1.0, 2.0])), D.Gamma(t([0.5, 3.0]), t([2.0, 1.0]))),
        (D.Uniform(t([0.5, 1.0]), t([1.0, 2.0])), D.Pareto(t([0.2, 0.5]), t([2.0, 1.0]))),
        (D.Uniform(t([0.1, 0.2]), t([0.5, 0.9])), D.Beta(t([0.5, 3.0]), t([2.0, 1.0]))),
        (D.Exponential(t([1.0, 2.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Exponential(t([1.0, 2.0])), D.Gumbel(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Exponential(t([1.0, 2.0])), D.Gamma(t([0.5, 3.0]), t([2.0, 1.0]))),
        (D.Gamma(t([1.0, 2.0]), t([1.0, 3.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Gamma(t([1.0, 2.0]), t([1.0, 3.0])), D.Gumbel(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Gamma(t([1.0, 2.0]), t([1.0, 3.0])), D.Exponential(t([0.5, 3.0]))),
        (D.Normal(t([0.0, 1.0]), t([1.0, 2.0])), D.Gumbel(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Normal(t([0.0, 1.0]), t([1.0, 2.0])), D.Laplace(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Laplace(t([0.0, 1.0]), t([1.0, 2.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Beta(t([1.5, 2.0]), t([0.5, 3.0])), D.Uniform(t([0.0, 0.0]), t([1.0, 2.0]))),
        (D.Beta(t([1.5, 2.0]), t([0.5, 3.0])), D.Exponential(t([0.5, 3.0]))),
        (D.Beta(t([1.5, 2.0]), t([0.5, 3.0])), D.Gamma(t([0.5, 3.0]), t([2.0, 1.0]))),
        (D.Beta(t([1.5, 2.0]), t([0.5, 3.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Beta(t([1.5, 2.0]), t([0.5, 3.0])), D.ContinuousBernoulli(t([0.5, 0.1]))),
        (D.ContinuousBernoulli(t([0.2, 0.7])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.ContinuousBernoulli(t([0.2, 0.7])), D.Exponential(t([0.5, 3.0]))),
        (D.ContinuousBernoulli(t([0.2, 0.7])), D.Uniform(t([0.0, -1.0]), t([1.0, 2.0]))),
        (D.Uniform(t([0.1, 0.2]), t([0.5, 0.9])), D.ContinuousBernoulli(t([0.5, 0.1]))),
        (D.Pareto(t([1.0, 2.0]), t([3.0, 3.0])), D.Exponential(t([0.5, 3.0]))),
        (D.Pareto(t([1.0, 2.0]), t([3.0, 3.0])), D.Gamma(t([0.5, 3.0]), t([2.0, 1.0]))),
        (D.Pareto(t([1.0, 2.0]), t([3.0, 3.0])), D.Normal(t([0.5, 0.0]), t([2.0, 1.0]))),
        (D.Poisson(t([1.0, 2.0])), D.Bernoulli(t([0.5, 0.1]))),
        (D.Poisson(t([1.0, 2.0])), D.Binomial(5, t([0.5, 0.1]))),
        (D.Bernoulli(t([0.2, 0.7])), D.Poisson(t([0.5, 3.0]))),
        (D.Geometric(t([0.2, 0.7])), D.Poisson(t([0.5, 3.0])))
        if False
        else (D.Cauchy(t([0.0, 1.0]), t([1.0, 2.0])), D.Cauchy(t([0.5, 0.0]), t([2.0, 1.0]))),
        (
            D.LowRankMultivariateNormal(t([[0.0, 1.0]]), t([[[1.0], [0.5]]]), t([[1.0, 2.0]])),
            D.MultivariateNormal(t([0.0, 1.0]), t([[2.0, 0.3], [0.3, 1.0]])),
        ),
        (
            D.MultivariateNormal(t([0.0, 1.0]), t([[2.0, 0.3], [0.3, 1.0]])),
            D.MultivariateNormal(t([1.0, 1.0]), t([[1.0, 0.0], [0.0, 3.0]])),
        ),
        (
            D.TransformedDistribution(D.Normal(t([0.0]), t([1.0])), D.transforms.ExpTransform()),
            D.TransformedDistribution(D.Normal(t([1.0]), t([2.0])), D.transforms.ExpTransform()),
        ),
        (D.LogNormal(t([0.0]), t([1.0])), D.LogNormal(t([1.0]), t([2.0]))),
        (D.HalfNormal(t([1.0])), D.Exponential(t([1.0])))
        if False
        else (
            D.Independent(D.Bernoulli(t([[0.2, 0.7]])), 1),
            D.Independent(D.Bernoulli(t([[0.5, 0.5]])), 1),
        ),
    ]
    return [D.kl_divergence(p, q) for p, q in pairs]


@error(NotImplementedError, r"")
def kl_not_implemented_pair(torch):
    D = torch.distributions
    return D.kl_divergence(D.Geometric(torch.tensor(0.2)), D.Poisson(torch.tensor(0.5)))


@error(NotImplementedError, r"Inhomogeneous total count not supported by `entropy`")
def binomial_entropy_inhomogeneous(torch):
    return torch.distributions.Binomial(
        torch.tensor([5.0, 8.0]), torch.tensor([0.3, 0.9])
    ).entropy()


@error(
    NotImplementedError, r"No KL\(p \|\| q\) is implemented for p type Binomial and q type Poisson"
)
def kl_binomial_poisson_missing(torch):
    D = torch.distributions
    return D.kl_divergence(D.Binomial(5, torch.tensor(0.2)), D.Poisson(torch.tensor(0.5)))


@error(ValueError, r"scale_tril matrix must be at least two-dimensional")
def mvn_1d_scale_tril(torch):
    return torch.distributions.MultivariateNormal(torch.zeros(2), scale_tril=torch.ones(2))


@error(NotImplementedError, r"")
def kl_transformed_different_transforms(torch):
    D, T = torch.distributions, torch.distributions.transforms
    p = D.TransformedDistribution(D.Normal(0.0, 1.0), T.ExpTransform())
    q = D.TransformedDistribution(D.Normal(0.0, 1.0), T.SigmoidTransform())
    return D.kl_divergence(p, q)


# ---- validation -----------------------------------------------------------------------------
@error(
    ValueError,
    r"Expected parameter scale \(Tensor of shape \(2,\)\) of distribution Normal\(loc: torch.Size\(\[2\]\), scale: torch.Size\(\[2\]\)\) to satisfy the constraint GreaterThan\(lower_bound=0.0\), but found invalid values",
)
def normal_validate_scale_message(torch):
    return torch.distributions.Normal(torch.zeros(2), torch.tensor([1.0, -1.0]))


@error(
    ValueError,
    r"Expected value argument \(Tensor of shape \(3,\)\) to be within the support \(IntegerInterval\(lower_bound=0, upper_bound=4.0\)\) of the distribution Binomial",
)
def binomial_value_out_of_support(torch):
    return torch.distributions.Binomial(4, torch.tensor(0.5)).log_prob(
        torch.tensor([0.0, 5.0, 1.0])
    )


@error(ValueError, r"to be within the support \(Simplex\(\)\)")
def dirichlet_value_not_simplex(torch):
    return torch.distributions.Dirichlet(torch.ones(3)).log_prob(torch.tensor([0.2, 0.2, 0.2]))


@error(ValueError, r"The value argument must be within the support|within the support")
def poisson_negative_value(torch):
    return torch.distributions.Poisson(torch.tensor(2.0)).log_prob(torch.tensor(-1.0))


@error(ValueError, r"concentration")
def gamma_zero_concentration(torch):
    return torch.distributions.Gamma(torch.tensor([0.0]), torch.tensor([1.0]))


@error(ValueError, r"Either `probs` or `logits` must be specified, but not both")
def relaxed_bernoulli_neither(torch):
    return torch.distributions.RelaxedBernoulli(torch.tensor(0.5))


@error(ValueError, r"total_count")
def binomial_negative_total_count(torch):
    return torch.distributions.Binomial(torch.tensor(-1.0), torch.tensor(0.5))


@error(ValueError, r"The right-most size of value must match event_shape")
def mvn_log_prob_wrong_event(torch):
    return torch.distributions.MultivariateNormal(torch.zeros(3), torch.eye(3)).log_prob(
        torch.zeros(2)
    )


@program
def set_default_validate_args_roundtrip(torch):
    D = torch.distributions
    D.Distribution.set_default_validate_args(False)
    try:
        d = D.Normal(torch.tensor([0.0]), torch.tensor([-1.0]))
        lp = D.Bernoulli(torch.tensor(0.3)).log_prob(torch.tensor(0.5))
        v = d._validate_args
    finally:
        D.Distribution.set_default_validate_args(True)
    return lp, v, D.Normal(0.0, 1.0)._validate_args


@program
def validate_args_false_per_instance(torch):
    D = torch.distributions
    d = D.Categorical(probs=torch.tensor([0.5, 0.5]), validate_args=False)
    return d.log_prob(torch.tensor(1)), D.Beta(
        torch.tensor(2.0), torch.tensor(2.0), validate_args=False
    ).log_prob(torch.tensor(1.5))


# ---- constraints / biject_to --------------------------------------------------------------------
@program
def constraints_check_many(torch):
    C = torch.distributions.constraints
    x = torch.tensor([[-1.0, 0.0, 0.5], [1.0, 2.0, float("nan")]])
    out = [
        c.check(x)
        for c in (
            C.real,
            C.positive,
            C.nonnegative,
            C.unit_interval,
            C.boolean,
            C.nonnegative_integer,
            C.positive_integer,
            C.greater_than(0.5),
            C.greater_than_eq(0.5),
            C.less_than(0.5),
            C.interval(0.0, 1.0),
            C.half_open_interval(0.0, 1.0),
            C.integer_interval(0, 1),
        )
    ]
    out += [
        C.simplex.check(torch.tensor([[0.2, 0.8], [0.5, 0.6]])),
        C.lower_cholesky.check(torch.tensor([[1.0, 0.0], [0.5, 2.0]])),
        C.positive_definite.check(torch.tensor([[2.0, 0.5], [0.5, 1.0]])),
        C.corr_cholesky.check(torch.eye(2)),
        C.real_vector.check(x),
        C.independent(C.positive, 1).check(x),
        C.one_hot.check(torch.tensor([[0.0, 1.0], [1.0, 1.0]])),
        C.square.check(torch.eye(2)),
        C.symmetric.check(torch.tensor([[1.0, 2.0], [2.0, 1.0]])),
        C.positive_semidefinite.check(torch.tensor([[1.0, 1.0], [1.0, 1.0]])),
    ]
    out += [
        str(C.interval(0.0, 1.0)),
        str(C.independent(C.real, 2)),
        C.independent(C.real, 2).event_dim,
        C.is_dependent(C.dependent),
        C.is_dependent(C.real),
        str(C.multinomial(5)) if hasattr(C, "multinomial") else None,
    ]
    return out


@program
def biject_to_many(torch):
    D = torch.distributions
    C = D.constraints
    out = []
    for c in (
        C.positive,
        C.unit_interval,
        C.simplex,
        C.interval(-1.0, 2.0),
        C.greater_than(3.0),
        C.less_than(-1.0),
        C.real,
        C.lower_cholesky,
        C.corr_cholesky,
        C.positive_definite,
    ):
        for reg in (D.biject_to, D.transform_to):
            try:
                t = reg(c)
            except NotImplementedError:
                out.append("NIE")
                continue
            shape = (6,) if c in (C.corr_cholesky,) else (3, 3) if c.event_dim == 2 else (3,)
            torch.manual_seed(1)
            x = torch.randn(*shape, dtype=torch.float64)
            y = t(x)
            out += [type(t).__name__, y, c.check(y)]
    return out


@error(NotImplementedError, r"Cannot transform")
def biject_to_unregistered(torch):
    C = torch.distributions.constraints
    return torch.distributions.biject_to(C.integer_interval(0, 3))
