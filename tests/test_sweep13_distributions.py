"""Session 8 compatibility sweep of torch.distributions, second pass: RL, VAE and Bayesian
research code (transform chains, mixtures, low-rank and matrix Gaussians, reparameterised
gradients, discrete log_prob edges, seeded draws, KL pairs, validation messages), each program
run with real PyTorch (the oracle) and with minitorch from the same seed."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


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


# ---- batch 2: edges of support, dtypes, expand, more transforms ------------------------------
@program
def continuous_log_prob_support_edges(torch):
    D = torch.distributions
    return (
        D.Beta(torch.tensor([1.0, 0.5, 2.0]), torch.tensor([2.0, 2.0, 1.0])).log_prob(
            torch.tensor([0.0, 0.0, 1.0])
        ),
        D.Gamma(torch.tensor([1.0, 0.5, 2.0]), torch.tensor([2.0, 1.0, 1.0])).log_prob(
            torch.tensor([0.0, 0.0, 0.0])
        ),
        D.Exponential(torch.tensor([2.0])).log_prob(torch.tensor([0.0])),
        D.Dirichlet(torch.tensor([1.0, 2.0, 3.0])).log_prob(torch.tensor([0.0, 0.5, 0.5])),
        D.Uniform(0.0, 2.0).log_prob(torch.tensor([0.0, 1.0])),
        D.Pareto(torch.tensor(1.0), torch.tensor(2.0)).log_prob(torch.tensor([1.0, 3.0])),
        D.Weibull(torch.tensor(1.0), torch.tensor(1.0)).log_prob(torch.tensor([0.5, 1.0])),
        D.HalfNormal(torch.tensor(1.0)).log_prob(torch.tensor([0.0])),
    )


@error(
    ValueError, r"within the support \(GreaterThan\(lower_bound=0.0\)\) of the distribution Weibull"
)
def weibull_log_prob_at_zero(torch):
    return torch.distributions.Weibull(torch.tensor(1.0), torch.tensor(1.0)).log_prob(
        torch.tensor([0.0, 1.0])
    )


@program
def params_as_python_floats_and_float64(torch):
    D = torch.distributions
    a = D.Normal(0.0, 1.0)
    b = D.Normal(torch.tensor(0.0, dtype=torch.float64), 2.0)
    c = D.Gamma(2.0, torch.tensor([1.0, 2.0], dtype=torch.float64))
    d = D.Bernoulli(probs=0.3)
    return (
        a.sample(),
        a.sample((2,)),
        a.batch_shape,
        b.sample((2,)),
        b.scale,
        c.rsample(),
        d.sample((3,)),
        d.probs,
        d.logits,
        a.log_prob(torch.tensor(1)),
        a.stddev,
    )


@program
def sample_requires_grad_flags(torch):
    D = torch.distributions
    mu = torch.zeros(2, requires_grad=True)
    d = D.Normal(mu, torch.ones(2))
    s, r = d.sample(), d.rsample()
    with torch.no_grad():
        n = d.rsample()
    return s.requires_grad, r.requires_grad, n.requires_grad, d.log_prob(s).requires_grad


@program
def log_prob_grad_wrt_value(torch):
    D = torch.distributions
    x = torch.tensor([0.5, 1.5, 2.5], dtype=torch.float64, requires_grad=True)
    out = [
        D.Normal(1.0, 2.0).log_prob(x),
        D.Gamma(torch.tensor(2.0, dtype=torch.float64), 1.5).log_prob(x),
        D.StudentT(torch.tensor(3.0, dtype=torch.float64)).log_prob(x),
        D.Laplace(torch.tensor(0.0, dtype=torch.float64), 1.0).log_prob(x),
        D.LogNormal(torch.tensor(0.0, dtype=torch.float64), 1.0).log_prob(x),
        D.Normal(torch.tensor(0.0, dtype=torch.float64), 1.0).cdf(x),
    ]
    sum(o.sum() for o in out).backward()
    return out, x.grad


@program
def icdf_cdf_grads(torch):
    D = torch.distributions
    loc = torch.tensor([0.5], requires_grad=True)
    scale = torch.tensor([2.0], requires_grad=True)
    q = torch.tensor([0.1, 0.5, 0.95])
    outs = []
    for d in (D.Normal(loc, scale), D.Laplace(loc, scale), D.Cauchy(loc, scale)):
        outs += [d.icdf(q), d.cdf(torch.tensor([0.0, 1.0, 3.0]))]
    outs += [
        D.Exponential(scale).icdf(q),
        D.Exponential(scale).cdf(q),
        D.Uniform(loc, scale).icdf(q),
        D.Uniform(loc, scale).cdf(q + 0.5),
    ]
    sum(o.sum() for o in outs).backward()
    return outs, loc.grad, scale.grad


@program
def infinite_moments(torch):
    D = torch.distributions
    return (
        D.Pareto(torch.tensor([1.0, 1.0, 1.0]), torch.tensor([0.5, 1.5, 3.0])).mean,
        D.Pareto(torch.tensor([1.0, 1.0, 1.0]), torch.tensor([0.5, 1.5, 3.0])).variance,
        D.StudentT(torch.tensor([0.5, 1.5, 3.0])).mean,
        D.StudentT(torch.tensor([0.5, 1.5, 3.0])).variance,
        D.Cauchy(0.0, 1.0).mean,
        D.Cauchy(0.0, 1.0).variance,
    )


@program
def expand_many(torch):
    D = torch.distributions
    out = []
    for d in (
        D.Dirichlet(torch.ones(3)),
        D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
        D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)),
        D.Independent(D.Normal(torch.zeros(2), torch.ones(2)), 1),
        D.TransformedDistribution(D.Normal(0.0, 1.0), D.transforms.ExpTransform()),
        D.RelaxedOneHotCategorical(torch.tensor(0.5), torch.ones(3)),
        D.Binomial(5, torch.tensor(0.3)),
        D.Multinomial(5, torch.ones(3)),
        D.Categorical(torch.ones(3)),
        D.VonMises(torch.tensor(0.0), torch.tensor(1.0)),
        D.LogNormal(0.0, 1.0),
        D.Wishart(torch.tensor(3.0), torch.eye(2)),
    ):
        e = d.expand(torch.Size([4]))
        out += [e.batch_shape, e.event_shape, e.sample().shape, type(e).__name__]
    return out


@error(TypeError, r"object is not iterable")
def sample_shape_int(torch):
    return torch.distributions.Normal(0.0, 1.0).sample(3)


@program
def more_transforms(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[0.2, -0.4, 1.0, 0.3], [0.0, 0.5, -1.0, 2.0]], dtype=torch.float64)
    out = []
    t = T.CorrCholeskyTransform()
    y = t(x[:, :3])
    out += [y, t.inv(y), t.log_abs_det_jacobian(x[:, :3], y)]
    t = T.SoftmaxTransform()
    y = t(x)
    out += [y, t.inv(y)]
    t = T.AbsTransform()
    out += [t(x), t.inv(t(x))]
    t = T.ReshapeTransform((4,), (2, 2))
    y = t(x)
    out += [y, t.inv(y), t.log_abs_det_jacobian(x, y), t.forward_shape((3, 4))]
    t = T.IndependentTransform(T.ExpTransform(), 1)
    y = t(x)
    out += [y, t.log_abs_det_jacobian(x, y)]
    t = T.ComposeTransform([])
    out += [t(x), t.log_abs_det_jacobian(x, x)]
    return out


@program
def compose_mixed_event_dims(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[0.2, -0.4, 1.0], [0.0, 0.5, -1.0]], dtype=torch.float64, requires_grad=True)
    t = T.ComposeTransform(
        [T.AffineTransform(0.5, 2.0), T.StickBreakingTransform(), T.PowerTransform(2.0)]
    )
    y = t(x)
    ladj = t.log_abs_det_jacobian(x, y)
    ladj.sum().backward()
    return y, ladj, x.grad, t.domain.event_dim, t.codomain.event_dim, t.event_dim


@program
def transform_cache_with_cache(torch):
    T = torch.distributions.transforms
    t = T.ExpTransform().with_cache(1)
    x = torch.tensor([1.0, 2.0])
    y = t(x)
    return t.inv(y) is x, t._cache_size, T.ExpTransform()._cache_size, repr(t), repr(t.inv)


@program
def transformed_distribution_props(torch):
    D, T = torch.distributions, torch.distributions.transforms
    d = D.TransformedDistribution(
        D.Uniform(torch.zeros(2), torch.ones(2)),
        [T.SigmoidTransform().inv, T.AffineTransform(1.0, 2.0)],
    )
    x = torch.tensor([0.0, 3.0])
    return (
        d.log_prob(x),
        d.cdf(x),
        d.icdf(torch.tensor([0.25, 0.75])),
        str(d.support),
        d.has_rsample,
        d.rsample((2,)),
        d.batch_shape,
    )


@error(NotImplementedError, r"")
def transformed_mean_not_implemented(torch):
    D, T = torch.distributions, torch.distributions.transforms
    return D.TransformedDistribution(D.Normal(0.0, 1.0), T.SigmoidTransform()).mean


@program
def multinomial_more(torch):
    D = torch.distributions
    p = torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], requires_grad=True)
    d = D.Multinomial(4, probs=p)
    x = torch.tensor([[1.0, 1.0, 2.0], [0.0, 0.0, 4.0]])
    lp = d.log_prob(x)
    lp.sum().backward()
    d1 = D.Multinomial(probs=torch.tensor([0.5, 0.5]))
    return (
        lp,
        p.grad,
        d.mean,
        d.variance,
        d.sample((2,)),
        d1.sample((3,)),
        d1.total_count,
        d.entropy(),
    )


@program
def categorical_neg_inf_logits(torch):
    D = torch.distributions
    lg = torch.tensor([[0.0, -float("inf"), 1.0], [2.0, 2.0, -float("inf")]], requires_grad=True)
    d = D.Categorical(logits=lg)
    e = d.entropy()
    e.sum().backward()
    return e, d.probs, lg.grad, d.log_prob(torch.tensor([[0, 1], [2, 0]])), d.sample((3,))


@program
def categorical_enumeration_broadcast(torch):
    D = torch.distributions
    d = D.Categorical(torch.tensor([[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]]))
    v = d.enumerate_support(expand=False)
    return v.shape, d.log_prob(v), d.log_prob(torch.tensor([[0], [1]]).expand(2, 3))


@program
def bernoulli_extreme_logits(torch):
    D = torch.distributions
    lg = torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0], requires_grad=True)
    d = D.Bernoulli(logits=lg)
    lp = d.log_prob(torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0]))
    (lp.sum() + d.entropy().sum()).backward()
    return lp, d.entropy(), lg.grad, d.probs, d.mean, d.variance


@program
def corr_cholesky_constraint_and_lkj_log_prob(torch):
    D = torch.distributions
    L = D.transforms.CorrCholeskyTransform()(torch.tensor([0.3, -0.2, 0.5], dtype=torch.float64))
    c = torch.tensor([0.5, 1.0, 3.0], dtype=torch.float64, requires_grad=True)
    d = D.LKJCholesky(3, c)
    lp = d.log_prob(L)
    lp.sum().backward()
    return L, lp, c.grad, D.constraints.corr_cholesky.check(L)


@program
def lkj_seeded_sample(torch):
    D = torch.distributions
    return D.LKJCholesky(3, torch.tensor(1.5)).sample((2,)), D.LKJCholesky(2, 0.5).sample()


@program
def wishart_seeded_and_log_prob(torch):
    D = torch.distributions
    S = torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=torch.float64)
    d = D.Wishart(torch.tensor(4.0, dtype=torch.float64), covariance_matrix=S)
    x = torch.tensor([[3.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
    p = D.Wishart(torch.tensor(4.0, dtype=torch.float64), precision_matrix=torch.linalg.inv(S))
    t = D.Wishart(torch.tensor(4.0, dtype=torch.float64), scale_tril=torch.linalg.cholesky(S))
    return (
        d.sample((2,)),
        d.log_prob(x),
        p.log_prob(x),
        t.log_prob(x),
        d.entropy(),
        d.mean,
        d.variance,
        d.mode,
    )


@program
def biject_to_structured(torch):
    D = torch.distributions
    C = D.constraints
    x = torch.tensor([[-1.0, 0.5, 2.0], [0.0, 1.0, -3.0]])
    out = []
    for c in (
        C.independent(C.positive, 1),
        C.cat([C.positive, C.real], dim=1, lengths=[1, 2]),
        C.stack([C.positive, C.unit_interval], dim=0),
    ):
        t = D.biject_to(c)
        y = t(x)
        out += [type(t).__name__, y, t.inv(y), c.check(y), t.log_abs_det_jacobian(x, y)]
    return out


@program
def transform_to_psd_and_simplex(torch):
    D = torch.distributions
    C = D.constraints
    x = torch.tensor([[0.5, 0.1, 0.0], [0.3, -1.0, 0.0], [0.2, 0.4, 1.0]], dtype=torch.float64)
    t = D.transform_to(C.positive_semidefinite)
    t2 = D.transform_to(C.positive_definite)
    s = D.transform_to(C.simplex)
    return (
        type(t).__name__,
        t(x),
        t2(x),
        type(s).__name__,
        s(x[0]),
        type(D.biject_to(C.simplex)).__name__,
    )


@program
def kl_broadcast_batch(torch):
    D = torch.distributions
    p = D.Normal(torch.zeros(3, 1), torch.ones(3, 1))
    q = D.Normal(torch.ones(4), torch.full((4,), 2.0))
    p2 = D.Beta(torch.tensor([[1.0], [2.0]]), torch.tensor(1.0))
    q2 = D.Beta(torch.tensor([1.0, 3.0, 0.5]), torch.tensor(2.0))
    return D.kl_divergence(p, q), D.kl_divergence(p2, q2)


@program
def kl_infinite_support_mismatch(torch):
    D = torch.distributions
    return (
        D.kl_divergence(
            D.Uniform(torch.tensor([-1.0, 0.5]), torch.tensor([1.0, 1.0])),
            D.Exponential(torch.tensor([1.0, 1.0])),
        ),
        D.kl_divergence(
            D.Uniform(torch.tensor([0.0, 0.0]), torch.tensor([2.0, 0.5])),
            D.Uniform(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0])),
        ),
        D.kl_divergence(
            D.Pareto(torch.tensor([1.0, 0.5]), torch.tensor([2.0, 2.0])),
            D.Pareto(torch.tensor([1.0, 1.0]), torch.tensor([2.0, 2.0])),
        ),
        D.kl_divergence(
            D.Bernoulli(torch.tensor([0.0, 1.0, 0.5])), D.Bernoulli(torch.tensor([0.0, 0.5, 1.0]))
        ),
        D.kl_divergence(
            D.Categorical(torch.tensor([0.5, 0.5, 0.0])),
            D.Categorical(torch.tensor([0.5, 0.0, 0.5])),
        ),
    )


@program
def kl_grads_vae(torch):
    D = torch.distributions
    a = torch.tensor([1.5, 0.7], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
    out = [
        D.kl_divergence(D.Beta(a, b), D.Beta(torch.tensor(1.0, dtype=torch.float64), 1.0)),
        D.kl_divergence(D.Gamma(a, b), D.Gamma(torch.tensor(2.0, dtype=torch.float64), 1.0)),
        D.kl_divergence(D.Dirichlet(a), D.Dirichlet(b)),
        D.kl_divergence(D.Laplace(a, b), D.Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)),
    ]
    sum(o.sum() for o in out).backward()
    return out, a.grad, b.grad


@program
def student_t_df_grad_and_logprob_float64(torch):
    D = torch.distributions
    df = torch.tensor([1.0, 2.5, 30.0], dtype=torch.float64, requires_grad=True)
    d = D.StudentT(df, torch.tensor(0.5, dtype=torch.float64), 2.0)
    lp = d.log_prob(torch.tensor([0.0, 1.0, -3.0], dtype=torch.float64))
    (lp.sum() + d.entropy().sum()).backward()
    return lp, d.entropy(), df.grad


@program
def mixture_of_gamma_and_bernoulli(torch):
    D = torch.distributions
    mix = D.Categorical(logits=torch.tensor([[0.0, 1.0], [1.0, 0.0]]))
    g = D.MixtureSameFamily(
        mix, D.Gamma(torch.tensor([[1.0, 5.0], [2.0, 3.0]]), torch.tensor([1.0, 2.0]))
    )
    b = D.MixtureSameFamily(mix, D.Bernoulli(torch.tensor([[0.1, 0.9], [0.3, 0.5]])))
    return (
        g.log_prob(torch.tensor([[0.5], [2.0]])),
        g.mean,
        g.variance,
        g.sample((3,)),
        b.log_prob(torch.tensor([1.0, 0.0])),
        b.mean,
        b.sample((4,)),
        repr(g),
    )


@error(NotImplementedError, r"")
def mixture_cdf_not_univariate(torch):
    D = torch.distributions
    m = D.MixtureSameFamily(
        D.Categorical(torch.ones(2)),
        D.Independent(D.Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1),
    )
    return m.cdf(torch.zeros(3))


# ---- batch 3: seeded draws in float64, large parameters, expanded batches ----------------------
def _f64(torch, *values):
    return torch.tensor(values, dtype=torch.float64)


@program
def seeded_float64_families(torch):
    D = torch.distributions
    t = lambda *v: _f64(torch, *v)  # noqa: E731
    out = []
    for d in (
        D.Normal(t(0.0, 1.0), t(1.0, 2.0)),
        D.Uniform(t(0.0, 1.0), t(1.0, 2.0)),
        D.Laplace(t(0.0, 1.0), t(1.0, 2.0)),
        D.Cauchy(t(0.0, 1.0), t(1.0, 2.0)),
        D.Exponential(t(1.0, 2.0)),
        D.Gamma(t(0.3, 4.0), t(1.0, 2.0)),
        D.Beta(t(0.3, 4.0), t(1.0, 2.0)),
        D.Dirichlet(t(0.3, 4.0, 1.0)),
        D.Gumbel(t(0.0, 1.0), t(1.0, 2.0)),
        D.LogNormal(t(0.0, 1.0), t(1.0, 2.0)),
        D.Weibull(t(1.0, 2.0), t(0.5, 3.0)),
        D.Kumaraswamy(t(1.0, 2.0), t(0.5, 3.0)),
        D.VonMises(t(0.0, 1.0), t(0.5, 50.0)),
        D.StudentT(t(2.0, 7.0)),
        D.ContinuousBernoulli(t(0.2, 0.7)),
        D.RelaxedBernoulli(t(0.5), t(0.2, 0.7)),
        D.Bernoulli(t(0.2, 0.7)),
        D.Categorical(t(0.2, 0.7, 0.1)),
        D.Poisson(t(0.2, 700.0)),
        D.Geometric(t(0.2, 1e-4)),
    ):
        out.append(d.sample((3,)))
    return out


@program
def seeded_large_counts(torch):
    D = torch.distributions
    return (
        D.Binomial(torch.tensor([100.0, 1000.0, 7.0]), torch.tensor([0.3, 0.02, 0.99])).sample(
            (3,)
        ),
        D.Poisson(torch.tensor([15.0, 1e4])).sample((3,)),
        D.NegativeBinomial(torch.tensor([50.0]), torch.tensor([0.9])).sample((3,)),
        D.Multinomial(1000, torch.tensor([0.1, 0.2, 0.7])).sample((2,)),
        D.Categorical(torch.rand(2, 3, 50)).sample((2,)),
    )


@program
def seeded_expanded_batch_draws(torch):
    D = torch.distributions
    return (
        D.Normal(torch.tensor(0.0), torch.tensor(1.0)).expand((2, 3)).sample(),
        D.Gamma(torch.tensor([1.0, 2.0]), torch.tensor(1.0)).expand((3, 2)).sample(),
        D.Dirichlet(torch.ones(2)).expand((3,)).sample(),
        D.MultivariateNormal(torch.zeros(2, 2), torch.eye(2)).sample((3,)),
        D.LowRankMultivariateNormal(
            torch.zeros(2, 3, dtype=torch.float64),
            torch.ones(3, 2, dtype=torch.float64),
            torch.ones(3, dtype=torch.float64),
        ).rsample((2,)),
        D.Beta(torch.tensor(0.5), torch.tensor(0.5)).sample((20,)),
    )


@program
def seeded_one_hot_and_relaxed_cat_float64(torch):
    D = torch.distributions
    p = torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], dtype=torch.float64)
    return (
        D.OneHotCategorical(p).sample((2,)),
        D.RelaxedOneHotCategorical(torch.tensor(0.4, dtype=torch.float64), p).rsample((2,)),
        D.OneHotCategoricalStraightThrough(p).rsample(),
    )


@program
def empty_batches(torch):
    D = torch.distributions
    d = D.Normal(torch.zeros(0, 3), torch.ones(0, 3))
    c = D.Categorical(torch.ones(0, 4))
    return (
        d.sample((2,)),
        d.log_prob(torch.zeros(0, 3)),
        d.entropy(),
        c.sample((2,)),
        c.entropy(),
        c.log_prob(torch.zeros(0, dtype=torch.long)),
        D.Normal(0.0, 1.0).sample((0,)),
    )


@error(RuntimeError, r"cannot reshape tensor of 0 elements into shape \[0, -1\]")
def mvn_empty_batch_validation(torch):
    return torch.distributions.MultivariateNormal(torch.zeros(0, 2), torch.eye(2))


@error(ValueError, r"The value argument must be within the support|Expected value argument")
def categorical_float_value(torch):
    return torch.distributions.Categorical(torch.ones(3)).log_prob(torch.tensor(0.5))


@error(ValueError, r"Value is not broadcastable with batch_shape\+event_shape")
def normal_log_prob_not_broadcastable(torch):
    return torch.distributions.Normal(torch.zeros(3), torch.ones(3)).log_prob(torch.zeros(2))


@error(ValueError, r"Expected parameter probs .* to satisfy the constraint Simplex\(\)")
def dirichlet_like_multinomial_bad_probs(torch):
    return torch.distributions.OneHotCategorical(probs=torch.tensor([0.5, -0.5, 1.0]))


@error(
    ValueError,
    r"Expected parameter concentration .* to satisfy the constraint IndependentConstraint\(GreaterThan\(lower_bound=0.0\), 1\)",
)
def dirichlet_bad_concentration(torch):
    return torch.distributions.Dirichlet(torch.tensor([1.0, 0.0]))


@error(ValueError, r"Expected parameter scale_tril .* to satisfy the constraint LowerCholesky\(\)")
def mvn_bad_scale_tril(torch):
    return torch.distributions.MultivariateNormal(
        torch.zeros(2), scale_tril=torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    )


@error(
    ValueError,
    r"Expected parameter cov_diag .* to satisfy the constraint IndependentConstraint\(GreaterThan\(lower_bound=0.0\), 1\)",
)
def lowrank_bad_cov_diag(torch):
    return torch.distributions.LowRankMultivariateNormal(
        torch.zeros(2), torch.ones(2, 1), torch.tensor([1.0, -1.0])
    )


@error(ValueError, r"cov_factor must be at least two-dimensional")
def lowrank_1d_factor(torch):
    return torch.distributions.LowRankMultivariateNormal(
        torch.zeros(2), torch.ones(2), torch.ones(2)
    )


@error(ValueError, r"Incompatible batch shapes")
def lowrank_incompatible(torch):
    return torch.distributions.LowRankMultivariateNormal(
        torch.zeros(2, 3), torch.ones(4, 3, 1), torch.ones(3)
    )


@error(ValueError, r"Expected parameter low .* to satisfy the constraint LessThan")
def uniform_low_above_high(torch):
    return torch.distributions.Uniform(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 1.0]))


@error(ValueError, r"Value of df=0.5 expected to be greater than ndim - 1 = 1")
def wishart_small_df(torch):
    return torch.distributions.Wishart(torch.tensor(0.5), torch.eye(2))


@error(ValueError, r"Expected parameter concentration")
def lkj_bad_concentration(torch):
    return torch.distributions.LKJCholesky(3, torch.tensor(-1.0))


@error(ValueError, r"Expected dim to be an integer greater than or equal to 2. Found dim=1")
def lkj_dim_one(torch):
    return torch.distributions.LKJCholesky(1, 1.0)


@program
def relaxed_negative_temperature_not_validated(torch):
    return torch.distributions.RelaxedOneHotCategorical(torch.tensor(-1.0), torch.ones(3)).sample()


# ---- batch 4: user subclasses, utils, RL-style code ------------------------------------------
@program
def user_distribution_subclass(torch):
    D = torch.distributions
    C = D.constraints

    class Shifted(D.Distribution):
        arg_constraints = {"rate": C.positive}
        support = C.positive
        has_rsample = True

        def __init__(self, rate, validate_args=None):
            (self.rate,) = D.utils.broadcast_all(rate)
            super().__init__(self.rate.shape, validate_args=validate_args)

        def rsample(self, sample_shape=()):
            shape = self._extended_shape(sample_shape)
            u = torch.rand(shape, dtype=self.rate.dtype)
            return -torch.log1p(-u) / self.rate

        def log_prob(self, value):
            if self._validate_args:
                self._validate_sample(value)
            return self.rate.log() - self.rate * value

        @property
        def mean(self):
            return 1 / self.rate

    rate = torch.tensor([1.0, 2.0], requires_grad=True)
    d = Shifted(rate)
    z = d.rsample((3,))
    lp = d.log_prob(z)
    lp.sum().backward()
    return (
        z,
        lp,
        rate.grad,
        d.mean,
        d.stddev if False else d.batch_shape,
        d._extended_shape((4,)),
        repr(d),
    )


@error(ValueError, r"Expected parameter rate")
def user_subclass_validates(torch):
    D = torch.distributions

    class Pos(D.Distribution):
        arg_constraints = {"rate": D.constraints.positive}

        def __init__(self, rate, validate_args=None):
            self.rate = rate
            super().__init__(rate.shape, validate_args=validate_args)

    return Pos(torch.tensor([-1.0]))


@error(NotImplementedError, r"")
def base_distribution_mean(torch):
    D = torch.distributions

    class Bare(D.Distribution):
        arg_constraints = {}

    return Bare(validate_args=False).mean


@program
def user_transform_subclass(torch):
    D, T, C = torch.distributions, torch.distributions.transforms, torch.distributions.constraints

    class Cube(T.Transform):
        domain = C.real
        codomain = C.real
        bijective = True
        sign = +1

        def _call(self, x):
            return x**3

        def _inverse(self, y):
            return y.sign() * y.abs().pow(1.0 / 3)

        def log_abs_det_jacobian(self, x, y):
            return torch.log(3 * x**2)

    t = Cube()
    d = D.TransformedDistribution(
        D.Normal(torch.tensor([0.5]), torch.tensor([1.0])), [t, T.AffineTransform(1.0, 2.0)]
    )
    x = torch.tensor([2.0, -1.0, 5.0])
    return (
        t(torch.tensor([2.0])),
        t.inv(torch.tensor([8.0, -27.0])),
        d.log_prob(x.unsqueeze(-1)),
        d.sample((2,)),
    )


@program
def distribution_utils(torch):
    U = torch.distributions.utils
    p = torch.tensor([0.0, 0.2, 1.0])
    a, b = U.broadcast_all(torch.tensor([1.0, 2.0]), 3.0)
    c, d = U.broadcast_all(0.5, 2)
    return (
        U.probs_to_logits(p),
        U.probs_to_logits(p, is_binary=True),
        U.logits_to_probs(torch.tensor([0.0, 1.0])),
        U.logits_to_probs(torch.tensor([0.0, 1.0]), is_binary=True),
        U.clamp_probs(p),
        a,
        b,
        c,
        d,
    )


@error(
    ValueError,
    r"Input arguments must all be instances of Number, torch.Tensor or objects implementing __torch_function__",
)
def broadcast_all_bad(torch):
    return torch.distributions.utils.broadcast_all([1.0, 2.0], torch.zeros(2))


@program
def ppo_ratio_and_clip(torch):
    D = torch.distributions
    torch.manual_seed(3)
    mu = torch.randn(4, 2, requires_grad=True)
    log_std = torch.zeros(2, requires_grad=True)
    dist = D.Normal(mu, log_std.exp())
    actions = dist.sample()
    old_lp = dist.log_prob(actions).sum(-1).detach() + 0.1
    new_lp = dist.log_prob(actions).sum(-1)
    ratio = (new_lp - old_lp).exp()
    adv = torch.tensor([1.0, -1.0, 0.5, 2.0])
    loss = (
        -torch.min(ratio * adv, ratio.clamp(0.8, 1.2) * adv).mean()
        - 0.01 * dist.entropy().sum(-1).mean()
    )
    loss.backward()
    return loss, mu.grad, log_std.grad


@program
def sac_tanh_squash_manual(torch):
    D = torch.distributions
    torch.manual_seed(1)
    mu = torch.randn(3, 2, requires_grad=True)
    std = torch.rand(3, 2) + 0.1
    normal = D.Normal(mu, std)
    u = normal.rsample()
    a = torch.tanh(u)
    lp = normal.log_prob(u) - torch.log(1 - a.pow(2) + 1e-6)
    lp = lp.sum(1, keepdim=True)
    lp.mean().backward()
    return a, lp, mu.grad


@program
def bayesian_regression_normal_prior(torch):
    D = torch.distributions
    torch.manual_seed(2)
    X = torch.randn(10, 3, dtype=torch.float64)
    w = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = X @ torch.tensor([0.4, -0.9, 2.1], dtype=torch.float64)
    prior = D.Independent(
        D.Normal(torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)), 1
    )
    lik = D.Normal(X @ w, 0.1)
    log_joint = prior.log_prob(w) + lik.log_prob(y).sum()
    log_joint.backward()
    return log_joint, w.grad


@program
def independent_zero_reinterpreted(torch):
    D = torch.distributions
    d = D.Independent(D.Normal(torch.zeros(2), torch.ones(2)), 0)
    return (
        d.batch_shape,
        d.event_shape,
        d.log_prob(torch.tensor([0.5, 1.0])),
        repr(d),
        d.support.event_dim,
    )


@program
def support_reprs(torch):
    D = torch.distributions
    return [
        str(d.support)
        for d in (
            D.Binomial(torch.tensor([3.0, 4.0]), torch.tensor(0.5)),
            D.Multinomial(5, torch.ones(3)),
            D.Categorical(torch.ones(4)),
            D.Uniform(0.0, 2.0),
            D.Pareto(1.0, 2.0),
            D.Dirichlet(torch.ones(2)),
            D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
            D.Independent(D.Normal(torch.zeros(2), 1.0), 1),
            D.Wishart(torch.tensor(3.0), torch.eye(2)),
            D.LKJCholesky(2, 1.0),
            D.VonMises(0.0, 1.0),
            D.OneHotCategorical(torch.ones(3)),
            D.RelaxedOneHotCategorical(torch.tensor(1.0), torch.ones(3)),
            D.TransformedDistribution(D.Normal(0.0, 1.0), D.transforms.SigmoidTransform()),
        )
    ]


@program
def gamma_chi2_cdf(torch):
    D = torch.distributions
    x = torch.tensor([0.1, 1.0, 5.0], dtype=torch.float64)
    return D.Gamma(torch.tensor(2.0, dtype=torch.float64), 1.5).cdf(x), D.Chi2(
        torch.tensor(3.0, dtype=torch.float64)
    ).cdf(x)


@error(NotImplementedError, r"")
def beta_cdf_not_implemented(torch):
    return torch.distributions.Beta(torch.tensor(2.0), torch.tensor(2.0)).cdf(torch.tensor(0.5))


@program
def mvn_log_prob_broadcast_values(torch):
    D = torch.distributions
    d = D.MultivariateNormal(torch.tensor([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]), torch.eye(3) * 2)
    lr = D.LowRankMultivariateNormal(torch.zeros(2, 3), torch.ones(3, 1), torch.ones(3))
    x = torch.arange(15.0).reshape(5, 1, 3) / 10
    return (
        d.log_prob(x),
        lr.log_prob(x),
        d.log_prob(x[0, 0]),
        D.kl_divergence(d, D.MultivariateNormal(torch.zeros(3), torch.eye(3))),
    )


@program
def binomial_broadcast_total_count(torch):
    D = torch.distributions
    d = D.Binomial(torch.tensor([[3.0], [6.0]]), probs=torch.tensor([0.2, 0.5, 0.8]))
    x = torch.tensor([[0.0, 1.0, 3.0], [6.0, 2.0, 5.0]])
    return d.log_prob(x), d.batch_shape, d.mean, d.sample()


@program
def poisson_binomial_no_validation_nonint(torch):
    D = torch.distributions
    return (
        D.Poisson(torch.tensor(2.0), validate_args=False).log_prob(torch.tensor([1.5, -1.0])),
        D.Binomial(5, torch.tensor(0.3), validate_args=False).log_prob(torch.tensor([2.5, 6.0])),
        D.Geometric(torch.tensor(0.3), validate_args=False).log_prob(torch.tensor([-1.0, 1.5])),
        D.Bernoulli(torch.tensor(0.3), validate_args=False).log_prob(torch.tensor([0.5, 2.0])),
    )


@program
def register_kl_subclass_dispatch(torch):
    D = torch.distributions

    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl(p, q):
        return torch.zeros_like(p.loc) + 42.0

    a = D.kl_divergence(
        MyNormal(torch.zeros(2), torch.ones(2)), D.Normal(torch.ones(2), torch.ones(2))
    )
    b = D.kl_divergence(
        MyNormal(torch.zeros(2), torch.ones(2)), MyNormal(torch.ones(2), torch.ones(2))
    )
    c = D.kl_divergence(
        D.Normal(torch.zeros(2), torch.ones(2)), MyNormal(torch.ones(2), torch.ones(2))
    )
    return a, b, c


# ---- batch 5: gradients at the edges, float32 formulas ------------------------------------------
@program
def discrete_log_prob_grads_at_edges(torch):
    D = torch.distributions
    p = torch.tensor([0.0, 1.0, 0.5, 1e-7], requires_grad=True)
    lp = D.Binomial(4, probs=p).log_prob(torch.tensor([0.0, 4.0, 2.0, 0.0]))
    lp2 = D.Bernoulli(probs=p).log_prob(torch.tensor([0.0, 1.0, 1.0, 0.0]))
    lp3 = D.Geometric(probs=torch.tensor([0.3, 1.0, 0.5, 0.9])).log_prob(
        torch.tensor([0.0, 0.0, 2.0, 1.0])
    )
    (lp.sum() + lp2.sum()).backward()
    return lp, lp2, lp3, p.grad


@program
def poisson_rate_grad(torch):
    D = torch.distributions
    r = torch.tensor([0.5, 3.0, 40.0], requires_grad=True)
    lp = D.Poisson(r).log_prob(torch.tensor([0.0, 2.0, 35.0]))
    lp.sum().backward()
    return lp, r.grad


@program
def float32_special_entropies(torch):
    D = torch.distributions
    return (
        D.Beta(torch.tensor([0.3, 2.0, 50.0]), torch.tensor([0.7, 2.0, 60.0])).entropy(),
        D.Gamma(torch.tensor([0.3, 2.0, 50.0]), torch.tensor([0.7, 2.0, 60.0])).entropy(),
        D.Dirichlet(torch.tensor([[0.3, 2.0, 50.0]])).entropy(),
        D.StudentT(torch.tensor([0.3, 2.0, 50.0])).entropy(),
        D.Kumaraswamy(torch.tensor([0.3, 2.0, 5.0]), torch.tensor([0.7, 2.0, 6.0])).entropy(),
        D.Weibull(torch.tensor([0.3, 2.0, 5.0]), torch.tensor([0.7, 2.0, 6.0])).entropy(),
        D.VonMises(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([0.01, 2.0, 100.0])).log_prob(
            torch.tensor([0.5, 1.0, 2.1])
        ),
        D.ContinuousBernoulli(torch.tensor([0.01, 0.4999, 0.99])).entropy(),
        D.Poisson(torch.tensor([0.5, 3.0])).entropy()
        if False
        else D.Geometric(torch.tensor([0.01, 0.99])).entropy(),
        D.Chi2(torch.tensor([1.0, 10.0])).entropy(),
        D.Pareto(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])).entropy(),
        D.Cauchy(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])).entropy(),
        D.HalfCauchy(torch.tensor([0.5, 3.0])).entropy(),
        D.LogNormal(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])).entropy(),
    )


@program
def von_mises_float32_and_kappa_grad(torch):
    D = torch.distributions
    k = torch.tensor([0.001, 1.0, 20.0, 500.0], requires_grad=True)
    d = D.VonMises(torch.tensor(0.3), k)
    lp = d.log_prob(torch.tensor([0.0, 1.0, 0.35, 0.3]))
    lp.sum().backward()
    return lp, k.grad, d.variance, d.sample((2,))


@program
def dirichlet_rsample_grad_float32_small(torch):
    D = torch.distributions
    c = torch.tensor([0.05, 0.5, 5.0], requires_grad=True)
    z = D.Dirichlet(c).rsample((4,))
    (z * torch.tensor([1.0, -1.0, 2.0])).sum().backward()
    return z, c.grad


@program
def beta_rsample_grad_extreme(torch):
    D = torch.distributions
    a = torch.tensor([0.05, 100.0, 1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.05, 100.0, 1000.0], dtype=torch.float64, requires_grad=True)
    z = D.Beta(a, b).rsample((2,))
    z.sum().backward()
    return z, a.grad, b.grad


@program
def relaxed_bernoulli_log_prob_edges(torch):
    D = torch.distributions
    d = D.RelaxedBernoulli(torch.tensor([0.1, 2.0]), probs=torch.tensor([0.3, 0.9]))
    x = torch.tensor([[0.001, 0.999], [0.5, 0.5]])
    return d.log_prob(x), d.rsample((3,))


@program
def tanh_transform_ladj_large_inputs(torch):
    T = torch.distributions.transforms
    x = torch.tensor([-20.0, -5.0, 0.0, 5.0, 20.0], requires_grad=True)
    t = T.TanhTransform()
    y = t(x)
    ladj = t.log_abs_det_jacobian(x, y)
    ladj.sum().backward()
    return y, ladj, x.grad, t.inv(torch.tensor([-0.999, 0.0, 0.5]))


@program
def sigmoid_transform_extremes(torch):
    T = torch.distributions.transforms
    x = torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0])
    t = T.SigmoidTransform()
    y = t(x)
    return y, t.log_abs_det_jacobian(x, y), t.inv(torch.tensor([0.0, 1e-10, 0.5, 1.0]))


@program
def softplus_transform_extremes(torch):
    T = torch.distributions.transforms
    x = torch.tensor([-30.0, 0.0, 30.0], dtype=torch.float64, requires_grad=True)
    t = T.SoftplusTransform()
    y = t(x)
    ladj = t.log_abs_det_jacobian(x, y)
    (ladj.sum() + t.inv(y).sum()).backward()
    return y, ladj, t.inv(y), x.grad


@program
def logistic_normal_vae_latent(torch):
    D, T = torch.distributions, torch.distributions.transforms
    mu = torch.tensor([0.1, -0.3], requires_grad=True)
    sd = torch.tensor([0.5, 0.8], requires_grad=True)
    base = D.Independent(D.Normal(mu, sd), 1)
    q = D.TransformedDistribution(base, T.StickBreakingTransform())
    z = q.rsample((2,))
    lp = q.log_prob(z)
    (lp.sum() + z[..., 0].sum()).backward()
    return z, lp, mu.grad, sd.grad


@program
def cumulative_dist_transform_copula(torch):
    D, T = torch.distributions, torch.distributions.transforms
    t = T.CumulativeDistributionTransform(D.Normal(torch.tensor(0.0), torch.tensor(1.0)))
    x = torch.tensor([-1.0, 0.0, 2.0])
    y = t(x)
    return y, t.inv(y), t.log_abs_det_jacobian(x, y), str(t.codomain)


@program
def lowrank_mvn_float32_log_prob_large(torch):
    D = torch.distributions
    torch.manual_seed(5)
    n, r = 6, 2
    loc = torch.randn(3, n)
    cf = torch.randn(n, r, requires_grad=True)
    cd = torch.rand(n) + 0.5
    d = D.LowRankMultivariateNormal(loc, cf, cd)
    x = torch.randn(3, n)
    lp = d.log_prob(x)
    (lp.sum() + d.entropy().sum()).backward()
    return lp, d.entropy(), cf.grad, d.variance, d.rsample().shape


# ---- batch 6: degenerate parameters in sampling, reinterpreted transforms, default dtype --------
@program
def degenerate_parameter_draws(torch):
    D = torch.distributions
    return (
        D.Gamma(torch.tensor([1e-3, 1e-2, 0.05]), torch.ones(3)).sample((4,)),
        D.Dirichlet(torch.tensor([1e-3, 1e-3, 1e-3])).sample((3,)),
        D.Beta(torch.tensor([1e-3, 1e-3]), torch.tensor([1e-3, 1.0])).sample((3,)),
        D.Binomial(torch.tensor([0.0, 5.0, 5.0]), torch.tensor([0.5, 0.0, 1.0])).sample((2,)),
        D.Poisson(torch.tensor([0.0, 1e-6])).sample((3,)),
        D.Geometric(torch.tensor([1.0, 1e-6])).sample((3,)),
        D.Categorical(torch.tensor([0.0, 0.0, 1.0, 0.0])).sample((5,)),
        D.Multinomial(6, torch.tensor([0.0, 0.5, 0.0, 0.5])).sample((2,)),
        D.NegativeBinomial(torch.tensor([3.0]), torch.tensor([0.0])).sample((2,)),
        D.Bernoulli(torch.tensor([0.0, 1.0])).sample((2,)),
    )


@program
def stick_breaking_on_batched_base(torch):
    D, T = torch.distributions, torch.distributions.transforms
    base = D.Normal(torch.zeros(2, 3), torch.ones(2, 3))
    d = D.TransformedDistribution(base, T.StickBreakingTransform())
    y = torch.tensor([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]])
    return d.batch_shape, d.event_shape, d.log_prob(y), d.sample((3,)).shape, repr(d)


@program
def reshape_transform_distribution(torch):
    D, T = torch.distributions, torch.distributions.transforms
    base = D.Independent(D.Normal(torch.zeros(5, 6), torch.ones(5, 6)), 1)
    d = D.TransformedDistribution(base, T.ReshapeTransform((6,), (2, 3)))
    y = torch.arange(30.0).reshape(5, 2, 3) / 30
    return d.batch_shape, d.event_shape, d.log_prob(y), d.sample().shape


@program
def cat_stack_transform_ladj(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[0.5, -1.0, 2.0, 0.3], [1.0, 0.0, -0.5, 0.7]], dtype=torch.float64)
    c = T.CatTransform([T.ExpTransform(), T.AffineTransform(1.0, 3.0)], dim=1, lengths=[1, 3])
    s = T.StackTransform([T.ExpTransform(), T.SigmoidTransform()], dim=0)
    yc, ys = c(x), s(x)
    return (
        yc,
        c.inv(yc),
        c.log_abs_det_jacobian(x, yc),
        ys,
        s.inv(ys),
        s.log_abs_det_jacobian(x, ys),
        c.event_dim,
        c.bijective,
        str(c.domain) if False else c.length,
    )


@program
def affine_transform_equality(torch):
    T = torch.distributions.transforms
    return (
        T.AffineTransform(1.0, 2.0) == T.AffineTransform(1.0, 2.0),
        T.AffineTransform(torch.tensor([1.0, 2.0]), 2.0)
        == T.AffineTransform(torch.tensor([1.0, 2.0]), 2.0),
        T.AffineTransform(1.0, 2.0) == T.AffineTransform(1.0, 3.0),
        T.AffineTransform(1.0, 2.0) == T.ExpTransform(),
        T.PowerTransform(2.0) == T.PowerTransform(2.0),
        T.AffineTransform(1.0, -2.0).sign,
        T.AffineTransform(1.0, torch.tensor([-2.0, 3.0])).sign,
    )


@program
def default_dtype_float64_distributions(torch):
    D = torch.distributions
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        a = D.Normal(0.0, 1.0)
        b = D.Uniform(0.0, 2.0).sample((2,))
        c = D.Bernoulli(0.3).sample((2,))
        e = D.Gamma(2.0, 1.0).rsample((2,))
        f = D.Categorical(torch.tensor([0.2, 0.8])).sample()
        return a.sample((3,)), a.loc, b, c, e, f, D.Exponential(1.0).log_prob(torch.tensor(0.5))
    finally:
        torch.set_default_dtype(old)


@program
def interval_constraints_tensor_bounds(torch):
    D = torch.distributions
    C = D.constraints
    lo, hi = torch.tensor([0.0, -1.0]), torch.tensor([1.0, 5.0])
    c = C.interval(lo, hi)
    t = D.biject_to(c)
    x = torch.tensor([[0.0, 0.0], [3.0, -3.0]])
    y = t(x)
    return (
        y,
        c.check(y),
        c.check(torch.tensor([1.0, 5.0])),
        C.half_open_interval(lo, hi).check(torch.tensor([0.0, 5.0])),
        t.log_abs_det_jacobian(x, y),
    )


@program
def gamma_tiny_float64_and_float32_log_prob(torch):
    D = torch.distributions
    z = D.Gamma(torch.tensor([1e-3, 1e-2], dtype=torch.float64), 1.0).sample((3,))
    return z, D.Gamma(torch.tensor([1e-3, 1e-2], dtype=torch.float64), 1.0).log_prob(z + 1e-300)


@program
def uniform_and_laplace_float32_extreme_draws(torch):
    D = torch.distributions
    return (
        D.Laplace(torch.zeros(40), torch.ones(40)).sample(),
        D.Cauchy(torch.zeros(20), 1.0).sample(),
        D.Gumbel(torch.zeros(20), 1.0).sample(),
    )


# ---- batch 7: argument forms, value dtypes, expand errors, unsupported operations ----------------
@program
def value_dtype_promotion(torch):
    D = torch.distributions
    x64 = torch.tensor([0.2, 0.7], dtype=torch.float64)
    xi = torch.tensor([1, 2])
    return (
        D.Normal(torch.zeros(2), torch.ones(2)).log_prob(x64),
        D.Normal(torch.zeros(2), torch.ones(2)).log_prob(xi),
        D.Beta(torch.ones(2), torch.ones(2) * 2).log_prob(x64),
        D.Gamma(torch.ones(2), torch.ones(2)).log_prob(xi),
        D.Poisson(torch.ones(2)).log_prob(xi),
        D.Categorical(torch.ones(3)).log_prob(torch.tensor([1.0, 2.0])),
        D.Exponential(torch.ones(2)).cdf(x64),
        D.Laplace(torch.zeros(2), 1.0).icdf(x64),
    )


@error(RuntimeError, r"result type .* can't be cast to the desired output type")
def bernoulli_log_prob_integer_value(torch):
    return torch.distributions.Bernoulli(torch.tensor([0.3, 0.6])).log_prob(torch.tensor([1, 0]))


@program
def sample_shape_forms(torch):
    D = torch.distributions
    d = D.Normal(torch.zeros(2), torch.ones(2))
    return (
        d.sample([3]).shape,
        d.sample(torch.Size([2, 1])).shape,
        d.rsample((1, 2)).shape,
        d.expand([4, 2]).batch_shape,
    )


@error(
    RuntimeError,
    r"The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0",
)
def expand_incompatible(torch):
    return torch.distributions.Normal(torch.zeros(2), torch.ones(2)).expand((3,))


@error(NotImplementedError, r"")
def bernoulli_rsample_not_implemented(torch):
    return torch.distributions.Bernoulli(torch.tensor(0.3)).rsample()


@error(ValueError, r"`probs` parameter must be at least one-dimensional")
def categorical_scalar_probs(torch):
    return torch.distributions.Categorical(probs=torch.tensor(0.3))


@error(ValueError, r"`logits` parameter must be at least one-dimensional")
def categorical_scalar_logits(torch):
    return torch.distributions.Categorical(logits=torch.tensor(0.3))


@error(NotImplementedError, r"inhomogeneous total_count is not supported")
def multinomial_tensor_total_count(torch):
    return torch.distributions.Multinomial(torch.tensor([2, 3]), torch.ones(2, 3)).sample()


@error(ValueError, r"to be within the support \(OneHot\(\)\)")
def one_hot_bad_value(torch):
    return torch.distributions.OneHotCategorical(torch.ones(3)).log_prob(
        torch.tensor([1.0, 1.0, 0.0])
    )


@error(
    NotImplementedError,
    r"No KL\(p \|\| q\) is implemented for p type MixtureSameFamily and q type MixtureSameFamily",
)
def kl_mixtures(torch):
    D = torch.distributions
    m = D.MixtureSameFamily(D.Categorical(torch.ones(2)), D.Normal(torch.zeros(2), torch.ones(2)))
    return D.kl_divergence(m, m)


@error(
    ValueError,
    r"to be within the support \(MixtureSameFamilyConstraint\(Real\(\)\)\) of the distribution MixtureSameFamily",
)
def mixture_log_prob_nan_value(torch):
    D = torch.distributions
    m = D.MixtureSameFamily(D.Categorical(torch.ones(2)), D.Normal(torch.zeros(2), torch.ones(2)))
    return m.log_prob(torch.tensor([float("nan")]))


@error(ValueError, r"within the support \(Interval\(lower_bound=0.0, upper_bound=1.0\)\)")
def continuous_bernoulli_value_out(torch):
    return torch.distributions.ContinuousBernoulli(torch.tensor(0.3)).log_prob(torch.tensor(1.5))


@program
def log_prob_under_no_grad_and_inference(torch):
    D = torch.distributions
    mu = torch.zeros(2, requires_grad=True)
    d = D.Normal(mu, 1.0)
    with torch.no_grad():
        a = d.log_prob(torch.ones(2))
    b = d.log_prob(torch.ones(2))
    return a.requires_grad, b.requires_grad, a


@program
def independent_of_transformed_and_mixture_expand(torch):
    D, T = torch.distributions, torch.distributions.transforms
    td = D.TransformedDistribution(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), T.ExpTransform())
    ind = D.Independent(td, 1)
    x = torch.full((3, 2), 0.5)
    e = ind.expand((4, 3))
    return (
        ind.log_prob(x),
        ind.batch_shape,
        ind.event_shape,
        e.batch_shape,
        e.log_prob(x).shape,
        ind.sample().shape,
    )


@program
def kl_independent_transformed(torch):
    D, T = torch.distributions, torch.distributions.transforms
    p = D.TransformedDistribution(
        D.Normal(torch.zeros(2), torch.ones(2)), [T.ExpTransform(), T.AffineTransform(0.0, 2.0)]
    )
    q = D.TransformedDistribution(
        D.Normal(torch.ones(2), torch.ones(2) * 2), [T.ExpTransform(), T.AffineTransform(0.0, 2.0)]
    )
    return D.kl_divergence(p, q), D.kl_divergence(D.Independent(p, 1), D.Independent(q, 1))


@program
def mixture_cdf_grad_and_sample_seed(torch):
    D = torch.distributions
    w = torch.tensor([0.3, 0.7], requires_grad=True)
    loc = torch.tensor([-1.0, 1.0], requires_grad=True)
    m = D.MixtureSameFamily(
        D.Categorical(probs=w),
        D.Logistic(loc, 1.0) if hasattr(D, "Logistic") else D.Laplace(loc, torch.ones(2)),
    )
    c = m.cdf(torch.tensor([-0.5, 0.0, 2.0]))
    c.sum().backward()
    return c, w.grad, loc.grad, m.sample((6,))


# ---- batch 8: reparameterised matrices and compound families ------------------------------------
@program
def wishart_rsample_grads(torch):
    D = torch.distributions
    df = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)
    L = torch.tensor([[1.0, 0.0], [0.3, 0.8]], dtype=torch.float64, requires_grad=True)
    d = D.Wishart(df, scale_tril=L)
    W = d.rsample((2,)).detach()  # PyTorch 2.13's rsample backward fails (an in-place mask)
    lp = d.log_prob(W)
    (lp.sum() + d.entropy()).backward()
    return W, lp, df.grad, L.grad


@program
def fisher_snedecor_all(torch):
    D = torch.distributions
    a = torch.tensor([3.0, 10.0], requires_grad=True)
    b = torch.tensor([5.0, 2.5], requires_grad=True)
    d = D.FisherSnedecor(a, b)
    z = d.rsample((2,))
    lp = d.log_prob(torch.tensor([0.5, 2.0]))
    (z.sum() + lp.sum()).backward()
    return z, lp, d.mean, d.variance, d.mode, a.grad, b.grad


@program
def logistic_normal_all(torch):
    D = torch.distributions
    loc = torch.tensor([0.2, -0.5], requires_grad=True)
    d = D.LogisticNormal(loc, torch.tensor([1.0, 0.5]))
    z = d.rsample((3,))
    lp = d.log_prob(torch.tensor([0.2, 0.3, 0.5]))
    (lp + z.sum()).backward()
    return z, lp, loc.grad, d.batch_shape, d.event_shape, repr(d)


@program
def generalized_pareto_all(torch):
    D = torch.distributions
    if not hasattr(D, "GeneralizedPareto"):
        return None
    d = D.GeneralizedPareto(
        torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]), torch.tensor([0.2, -0.3])
    )
    x = torch.tensor([0.5, 2.0])
    return (
        d.log_prob(x),
        d.cdf(x),
        d.icdf(torch.tensor([0.3, 0.8])),
        d.mean,
        d.variance,
        d.entropy(),
        d.sample((2,)),
        str(d.support),
    )


@program
def chi2_student_float64_grads(torch):
    D = torch.distributions
    df = torch.tensor([0.5, 3.0, 40.0], dtype=torch.float64, requires_grad=True)
    z = D.Chi2(df).rsample((2,))
    t = D.StudentT(df).rsample()
    (z.sum() + t.sum()).backward()
    return z, t, df.grad


@program
def multivariate_studentt_like_scale_mixture(torch):
    D = torch.distributions
    nu = torch.tensor(4.0)
    g = D.Gamma(nu / 2, nu / 2).sample((5,))
    mvn = D.MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 0.5], [0.5, 2.0]]))
    z = mvn.sample((5,)) / g.sqrt().unsqueeze(-1)
    return z, mvn.log_prob(z)


@program
def mvn_scale_tril_grads_precision_and_kl(torch):
    D = torch.distributions
    L = torch.tensor([[1.0, 0.0], [0.3, 0.8]], dtype=torch.float64, requires_grad=True)
    d = D.MultivariateNormal(torch.zeros(2, dtype=torch.float64), scale_tril=L)
    q = D.MultivariateNormal(
        torch.ones(2, dtype=torch.float64), torch.eye(2, dtype=torch.float64) * 2
    )
    x = torch.tensor([0.5, -1.0], dtype=torch.float64)
    (
        d.precision_matrix.sum() + d.log_prob(x) + D.kl_divergence(d, q) + D.kl_divergence(q, d)
    ).backward()
    return d.precision_matrix, L.grad


@program
def lowrank_precision_and_kl_grads(torch):
    D = torch.distributions
    cf = torch.tensor(
        [[1.0, 0.5], [0.2, -0.3], [0.0, 1.0]], dtype=torch.float64, requires_grad=True
    )
    cd = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    d = D.LowRankMultivariateNormal(torch.zeros(3, dtype=torch.float64), cf, cd)
    q = D.MultivariateNormal(
        torch.ones(3, dtype=torch.float64), torch.eye(3, dtype=torch.float64) * 2
    )
    (
        d.precision_matrix.sum()
        + d.scale_tril.sum()
        + D.kl_divergence(d, q)
        + D.kl_divergence(q, d)
    ).backward()
    return d.precision_matrix, cf.grad, cd.grad


# ---- batch 9: gradients through parametrisations ---------------------------------------------
@program
def mvn_covariance_matrix_grads(torch):
    D = torch.distributions
    S = torch.tensor(
        [[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]],
        dtype=torch.float64,
        requires_grad=True,
    )
    d = D.MultivariateNormal(torch.zeros(3, dtype=torch.float64), covariance_matrix=S)
    x = torch.tensor([[0.5, 0.5, 0.5], [2.0, -1.0, 0.0]], dtype=torch.float64)
    (d.log_prob(x).sum() + d.entropy() + d.rsample().sum()).backward()
    return S.grad


@program
def matrix_transform_grads(torch):
    T = torch.distributions.transforms
    x = torch.tensor(
        [[0.5, 3.0, 1.0], [-1.0, 0.2, 4.0], [2.0, 0.1, -0.3]],
        dtype=torch.float64,
        requires_grad=True,
    )
    v = torch.tensor([0.3, -0.2, 0.5], dtype=torch.float64, requires_grad=True)
    lc, cc, pd = (
        T.LowerCholeskyTransform(),
        T.CorrCholeskyTransform(),
        T.PositiveDefiniteTransform(),
    )
    y = cc(v)
    out = [lc(x), cc.log_abs_det_jacobian(v, y), pd(x), cc.inv(y)]
    sum(o.sum() for o in out).backward()
    return out, x.grad, v.grad


@program
def simplex_inverse_grads(torch):
    T = torch.distributions.transforms
    y = torch.tensor(
        [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]], dtype=torch.float64, requires_grad=True
    )
    sb, sm = T.StickBreakingTransform(), T.SoftmaxTransform()
    out = [sb.inv(y), sm.inv(y), sb.inv.log_abs_det_jacobian(y, sb.inv(y))]
    sum(o.sum() for o in out).backward()
    return out, y.grad


@program
def logits_parametrised_discrete_grads(torch):
    D = torch.distributions
    lg = torch.tensor([-30.0, -2.0, 0.0, 3.0, 40.0], requires_grad=True)
    x = torch.tensor([1.0, 2.0, 0.0, 4.0, 5.0])
    out = [
        D.Binomial(5, logits=lg).log_prob(x),
        D.Geometric(logits=lg).log_prob(x),
        D.NegativeBinomial(3.0, logits=lg).log_prob(x),
        D.Binomial(5, logits=lg).entropy() if False else D.Geometric(logits=lg).entropy(),
        D.Bernoulli(logits=lg).entropy(),
    ]
    sum(o.sum() for o in out).backward()
    return out, lg.grad


@program
def probs_at_zero_entropy_grads(torch):
    D = torch.distributions
    p = torch.tensor([[0.0, 0.3, 0.7], [0.5, 0.5, 0.0]], requires_grad=True)
    b = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
    out = [
        D.Categorical(probs=p).entropy(),
        D.Bernoulli(probs=b).entropy(),
        D.Categorical(probs=p).log_prob(torch.tensor([1, 0])),
        D.OneHotCategorical(probs=p).entropy(),
        D.Geometric(probs=torch.tensor([0.3, 0.5, 1.0])).entropy(),
    ]
    sum(o.sum() for o in out).backward()
    return out, p.grad, b.grad


@program
def binomial_total_count_grad(torch):
    D = torch.distributions
    n = torch.tensor([5.0, 10.0], requires_grad=True)
    p = torch.tensor([0.3, 0.6], requires_grad=True)
    lp = D.Binomial(n, p).log_prob(torch.tensor([2.0, 7.0]))
    lp.sum().backward()
    return lp, n.grad, p.grad


@program
def uniform_grads_and_clamped_cdf(torch):
    D = torch.distributions
    lo = torch.tensor([0.0, -1.0], requires_grad=True)
    hi = torch.tensor([2.0, 1.0], requires_grad=True)
    d = D.Uniform(lo, hi)
    out = [
        d.log_prob(torch.tensor([1.0, 0.5])),
        d.cdf(torch.tensor([1.5, 0.0])),
        d.entropy(),
        d.rsample((2,)),
        d.icdf(torch.tensor([0.2, 0.9])),
    ]
    sum(o.sum() for o in out).backward()
    return out, lo.grad, hi.grad


@error(RuntimeError, r"derivative for .*igamma.* is not implemented")
def gamma_cdf_concentration_grad(torch):
    D = torch.distributions
    a = torch.tensor([2.0], requires_grad=True)
    D.Gamma(a, 1.0).cdf(torch.tensor([1.0])).sum().backward()
    return a.grad


@program
def beta_log_prob_grads_near_edges(torch):
    D = torch.distributions
    a = torch.tensor([0.5, 2.0, 1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5, 3.0, 1.0], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([1e-6, 0.999999, 0.5], dtype=torch.float64, requires_grad=True)
    lp = D.Beta(a, b).log_prob(x)
    lp.sum().backward()
    return lp, a.grad, b.grad, x.grad


@program
def dirichlet_log_prob_and_kl_grads(torch):
    D = torch.distributions
    c = torch.tensor([[0.5, 1.5, 3.0]], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([0.2, 0.3, 0.5], dtype=torch.float64)
    d = D.Dirichlet(c)
    (d.log_prob(x).sum() + d.entropy().sum() + d.variance.sum()).backward()
    return c.grad


@program
def von_mises_log_prob_value_grad(torch):
    D = torch.distributions
    x = torch.tensor([0.1, 2.0, -3.0], requires_grad=True)
    lp = D.VonMises(torch.tensor(0.5), torch.tensor([1.0, 5.0, 0.1])).log_prob(x)
    lp.sum().backward()
    return lp, x.grad


# ---- batch 10: parameter dtypes ----------------------------------------------------------------
@program
def normal_mixed_dtype_params_sample_vs_rsample(torch):
    D = torch.distributions
    d = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0], dtype=torch.float64))
    e = D.Normal(torch.tensor([0.0, 1.0], dtype=torch.float64), torch.tensor([1.0, 2.0]))
    return d.sample(), d.rsample(), d.sample((2,)), e.sample(), e.rsample()


@error(NotImplementedError, r"\"normal_kernel_cpu\" not implemented for 'Long'")
def normal_integer_loc_sample(torch):
    return torch.distributions.Normal(torch.tensor([0, 1]), 1.0).sample()


@error(NotImplementedError, r"\"normal_kernel_cpu\" not implemented for 'Long'")
def normal_integer_loc_rsample(torch):
    return torch.distributions.Normal(torch.tensor([0, 1]), 1.0).rsample((2,))


@error(NotImplementedError, r"\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'")
def bernoulli_integer_probs_sample(torch):
    return torch.distributions.Bernoulli(torch.tensor([0, 1])).sample()


@error(NotImplementedError, r"\"check_uniform_bounds\" not implemented for 'Long'")
def uniform_integer_bounds_sample(torch):
    return torch.distributions.Uniform(torch.tensor([0, 1]), 3).sample()


F32_PRECISION = {"rtol": 1e-5, "atol": 1e-6}  # float32 logits: float32-precision terms in float64


@program(tol=F32_PRECISION)
def bernoulli_family_float64_value_on_float32_logits(torch):
    D = torch.distributions
    lg = torch.tensor([0.5, -1.5], requires_grad=True)
    v = torch.tensor([1.0, 0.0], dtype=torch.float64)
    out = [
        D.Bernoulli(logits=lg).log_prob(v),
        D.ContinuousBernoulli(logits=lg).log_prob(v * 0.3 + 0.2),
    ]
    sum(o.sum() for o in out).backward()
    return out, lg.grad


@program(tol=F32_PRECISION)
def bce_with_logits_result_in_target_dtype(torch):
    F = torch.nn.functional
    x = torch.tensor([0.5, 1.5], requires_grad=True)
    t = torch.tensor([0.2, 0.7], dtype=torch.float64)
    out = [
        F.binary_cross_entropy_with_logits(x, t, reduction="none"),
        F.binary_cross_entropy_with_logits(x, t),
        F.binary_cross_entropy_with_logits(t, x.detach(), reduction="none"),
    ]
    out[1].backward()
    return out, x.grad


# ---- batch 11: stream consumption across sequences of draws ---------------------------------------
@program
def interleaved_small_and_large_draws(torch):
    D = torch.distributions
    n = D.Normal(0.0, 1.0)
    out = [
        n.sample(),
        n.sample((3,)),
        torch.randn(17),
        n.sample(),
        D.Normal(torch.zeros(2, dtype=torch.float64), 1.0).sample(),
        D.Gamma(torch.tensor(0.5), 1.0).sample((2,)),
        n.sample((16,)),
        D.Categorical(torch.ones(5)).sample(),
        torch.rand(2),
        D.Dirichlet(torch.ones(3)).sample(),
        D.Poisson(torch.tensor(30.0)).sample(),
        n.sample((1,)),
    ]
    return out


@program
def vae_training_loop_seeded(torch):
    D = torch.distributions
    torch.manual_seed(7)
    enc = torch.nn.Linear(4, 4)
    dec = torch.nn.Linear(2, 4)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-2)
    x = torch.rand(8, 4)
    losses = []
    for _ in range(3):
        h = enc(x)
        q = D.Normal(h[:, :2], torch.nn.functional.softplus(h[:, 2:]) + 1e-3)
        z = q.rsample()
        recon = D.Bernoulli(logits=dec(z)).log_prob((x > 0.5).float()).sum(-1)
        kl = D.kl_divergence(q, D.Normal(torch.zeros_like(z), torch.ones_like(z))).sum(-1)
        loss = (kl - recon).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    return losses, enc.weight, dec.bias


@program
def reinforce_categorical_loop_seeded(torch):
    D = torch.distributions
    torch.manual_seed(11)
    policy = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 4))
    opt = torch.optim.SGD(policy.parameters(), lr=0.1)
    obs = torch.randn(5, 3)
    out = []
    for _ in range(3):
        dist = D.Categorical(logits=policy(obs))
        a = dist.sample()
        r = (a == 2).float() - 0.5
        loss = -(dist.log_prob(a) * r).mean() - 0.01 * dist.entropy().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out += [a, loss.detach()]
    return out, policy[2].bias


@program
def gaussian_mixture_em_style(torch):
    D = torch.distributions
    torch.manual_seed(4)
    x = torch.cat([torch.randn(20) - 2, torch.randn(20) + 2]).double()
    w = torch.tensor([0.5, 0.5], dtype=torch.float64)
    mu = torch.tensor([-1.0, 1.0], dtype=torch.float64)
    sd = torch.tensor([1.0, 1.0], dtype=torch.float64)
    for _ in range(3):
        lp = D.Normal(mu, sd).log_prob(x.unsqueeze(-1)) + w.log()
        r = (lp - lp.logsumexp(-1, keepdim=True)).exp()
        nk = r.sum(0)
        w = nk / x.numel()
        mu = (r * x.unsqueeze(-1)).sum(0) / nk
        sd = ((r * (x.unsqueeze(-1) - mu) ** 2).sum(0) / nk).sqrt()
    m = D.MixtureSameFamily(D.Categorical(w), D.Normal(mu, sd))
    return w, mu, sd, m.log_prob(x).sum()


# ---- batch 12: registries and dependent constraints -------------------------------------------------
@error(NotImplementedError, r"Cannot transform _Dependent constraints")
def biject_to_dependent(torch):
    return torch.distributions.biject_to(torch.distributions.constraints.dependent)


@error(NotImplementedError, r"Cannot transform _PositiveInteger constraints|Cannot transform")
def transform_to_positive_integer(torch):
    return torch.distributions.transform_to(torch.distributions.constraints.positive_integer)


@program
def custom_constraint_registration(torch):
    D = torch.distributions
    C, T = D.constraints, D.transforms

    class Above(C.Constraint):
        def __init__(self, lb):
            self.lb = lb
            super().__init__()

        def check(self, value):
            return value > self.lb

    reg = D.constraint_registry.ConstraintRegistry()

    @reg.register(Above)
    def _above(c):
        return T.ComposeTransform([T.ExpTransform(), T.AffineTransform(c.lb, 1.0)])

    t = reg(Above(2.0))
    x = torch.tensor([-1.0, 0.0, 3.0])
    return (
        t(x),
        Above(2.0).check(t(x)),
        Above(2.0).is_discrete,
        Above(2.0).event_dim,
        repr(Above(2.0)),
    )


@error(
    ValueError,
    r"within the support \(GreaterThan\(lower_bound=0.0\)\) of the distribution TransformedDistribution|within the support",
)
def transformed_log_prob_outside_support(torch):
    D, T = torch.distributions, torch.distributions.transforms
    return D.TransformedDistribution(D.Normal(0.0, 1.0), T.ExpTransform()).log_prob(
        torch.tensor([-1.0])
    )


@program
def dependent_property_and_support_of_binomial(torch):
    D = torch.distributions
    C = D.constraints
    d = D.Binomial(torch.tensor([3.0, 5.0]), torch.tensor(0.5))
    return (
        C.is_dependent(D.Binomial.support),
        str(d.support),
        d.support.check(torch.tensor([3.0, 6.0])),
        C.is_dependent(D.Uniform.support),
        D.Uniform(0.0, 1.0).support.check(torch.tensor([0.0, 1.0])),
    )


@program
def compose_shapes(torch):
    T = torch.distributions.transforms
    c = T.ComposeTransform(
        [T.ReshapeTransform((6,), (2, 3)), T.IndependentTransform(T.SoftmaxTransform(), 1)]
    )
    s = T.ComposeTransform([T.StickBreakingTransform(), T.ExpTransform()])
    return (
        c.forward_shape((4, 6)),
        c.inverse_shape((4, 2, 3)),
        s.forward_shape((3,)),
        s.inv.forward_shape((4,)),
        c.domain.event_dim,
        c.codomain.event_dim,
    )


# ---- batch 13: value gradients of matrix distributions ---------------------------------------------
@program
def matrix_distribution_value_grads(torch):
    D = torch.distributions
    W = torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([0.3, -0.7], dtype=torch.float64, requires_grad=True)
    L = D.transforms.CorrCholeskyTransform()(
        torch.tensor([0.4, -0.1, 0.2], dtype=torch.float64)
    ).requires_grad_()
    S = torch.tensor([[2.0, 0.3], [0.3, 1.0]], dtype=torch.float64)
    out = [
        D.Wishart(torch.tensor(4.0, dtype=torch.float64), S).log_prob(W),
        D.MultivariateNormal(torch.zeros(2, dtype=torch.float64), S).log_prob(x),
        D.LowRankMultivariateNormal(
            torch.zeros(2, dtype=torch.float64),
            torch.ones(2, 1, dtype=torch.float64),
            torch.ones(2, dtype=torch.float64),
        ).log_prob(x),
        D.LKJCholesky(3, torch.tensor(2.0, dtype=torch.float64)).log_prob(L),
    ]
    sum(o.sum() for o in out).backward()
    return out, W.grad, x.grad, L.grad


@program
def lkj_dim4_seeded(torch):
    D = torch.distributions
    d = D.LKJCholesky(4, torch.tensor([0.5, 3.0]))
    s = d.sample((2,))
    return s, d.log_prob(s)


@program
def straight_through_and_relaxed_logits_grads(torch):
    D = torch.distributions
    lg = torch.tensor([[0.5, -0.2, 1.0]], requires_grad=True)
    st = D.OneHotCategoricalStraightThrough(logits=lg)
    z = st.rsample((2,))
    r = D.RelaxedOneHotCategorical(torch.tensor(0.3), logits=lg).rsample()
    ((z * torch.arange(3.0)).sum() + (r * torch.arange(3.0)).sum()).backward()
    return z, r, lg.grad


@program
def kumaraswamy_log_prob_edges_and_grads(torch):
    D = torch.distributions
    a = torch.tensor([0.5, 2.0, 1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.7, 3.0, 1.0], dtype=torch.float64, requires_grad=True)
    d = D.Kumaraswamy(a, b)
    lp = d.log_prob(torch.tensor([1e-8, 0.999, 0.5], dtype=torch.float64))
    (lp.sum() + d.mean.sum() + d.variance.sum()).backward()
    return lp, a.grad, b.grad


@program
def expanded_distributions_seeded_values(torch):
    D = torch.distributions
    out = []
    for d in (
        D.Wishart(torch.tensor(3.0), torch.eye(2)),
        D.LKJCholesky(3, 1.5),
        D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)),
        D.MixtureSameFamily(
            D.Categorical(torch.ones(2)), D.Normal(torch.tensor([-1.0, 1.0]), torch.ones(2))
        ),
        D.VonMises(torch.tensor(0.0), torch.tensor(2.0)),
        D.Binomial(10, torch.tensor(0.3)),
        D.Multinomial(4, torch.ones(3)),
        D.RelaxedBernoulli(torch.tensor(0.5), torch.tensor(0.3)),
        D.Independent(D.Beta(torch.ones(2), torch.ones(2) * 2), 1),
        D.TransformedDistribution(D.Normal(0.0, 1.0), D.transforms.TanhTransform()),
        D.StudentT(torch.tensor(4.0)),
        D.ContinuousBernoulli(torch.tensor(0.3)),
    ):
        e = d.expand((3,))
        s = e.sample((2,))
        out += [s, e.log_prob(s)]
    return out


@program
def float16_parameter_draws(torch):
    D = torch.distributions
    h = torch.tensor([0.0, 1.0], dtype=torch.float16)
    return (
        D.Normal(h, 1.0).sample((10,)),
        D.Normal(h[0], h[1] * 2).sample((17,)),
        D.Normal(h[1], 1.0).sample((2,)),
        D.Uniform(h[0], h[1]).sample((20,)),
        D.Bernoulli(h[1] * 0.3).sample((20,)),
        D.Gumbel(h[0], h[1]).sample((4,)),
    )


@program
def enumerate_support_shapes_and_flags(torch):
    D = torch.distributions
    b = D.Bernoulli(torch.tensor([0.2, 0.7, 0.5]))
    return (
        D.Independent(D.Bernoulli(torch.tensor([[0.2, 0.7]])), 0).enumerate_support(expand=False),
        D.Binomial(3, torch.tensor([[0.2, 0.7]])).enumerate_support(expand=False),
        D.Binomial(3, torch.tensor([[0.2, 0.7]])).enumerate_support(),
        D.OneHotCategorical(torch.ones(2, 1, 3)).enumerate_support(expand=False),
        D.Categorical(torch.ones(3)).expand((2,)).enumerate_support(),
        b.log_prob(b.enumerate_support()),
        [
            d.has_enumerate_support
            for d in (
                D.Independent(D.Bernoulli(torch.tensor([0.2])), 1),
                D.Multinomial(3, torch.ones(2)),
                D.Poisson(torch.tensor(1.0)),
                D.OneHotCategoricalStraightThrough(torch.ones(2)),
            )
        ],
    )


@error(NotImplementedError, r"Enumeration over cartesian product is not implemented")
def independent_enumerate_support(torch):
    D = torch.distributions
    return D.Independent(D.Bernoulli(torch.tensor([[0.2, 0.7]])), 1).enumerate_support()
