"""Session 6 compatibility sweep of torch.distributions: short programs written the way
PyTorch users write them (VAEs, policy gradients, Bayesian models, transforms), each run with
real PyTorch (the oracle) and with minitorch from the same seed. A program takes the framework
module and returns what to compare: tensors (values, shape, dtype, requires_grad), gradients,
strings (reprs), numbers, containers of those. An error program must raise the same exception
type in both, with PyTorch's key words (``raises=`` regex) in both messages."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 1e-9, "atol": 1e-11})
program = SWEEP.program


test_program_matches_pytorch = SWEEP.test()


def _grads(*tensors):
    return [t.grad for t in tensors]


# ---- VAE / policy-gradient style code ------------------------------------------------------
@program
def vae_normal_rsample_kl(torch):
    D = torch.distributions
    mu = torch.tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
    logvar = torch.tensor([[0.1, -0.3], [0.2, 0.0]], requires_grad=True)
    q = D.Normal(mu, torch.exp(0.5 * logvar))
    p = D.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    z = q.rsample()
    kl = D.kl_divergence(q, p).sum(-1).mean()
    loss = kl + (z**2).sum()
    loss.backward()
    return z, kl, mu.grad, logvar.grad


@program
def policy_gradient_categorical(torch):
    D = torch.distributions
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
    dist = D.Categorical(logits=logits)
    a = dist.sample()
    loss = -(dist.log_prob(a) * torch.tensor([1.5, -0.5])).sum() - 0.01 * dist.entropy().sum()
    loss.backward()
    return a, dist.probs, dist.entropy(), logits.grad, dist.sample((4,))


@program
def categorical_probs_unnormalized_and_props(torch):
    d = torch.distributions.Categorical(probs=torch.tensor([1.0, 3.0, 0.0, 4.0]))
    return (
        d.probs,
        d.logits,
        d.mean,
        d.variance,
        d.mode,
        d.entropy(),
        d.perplexity(),
        d.enumerate_support(),
        d.enumerate_support(expand=False),
        d.batch_shape,
        d.event_shape,
        d.param_shape,
        d.log_prob(torch.tensor([0, 2])),
    )


@program
def bernoulli_logits_float64(torch):
    logits = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
    d = torch.distributions.Bernoulli(logits=logits)
    x = torch.tensor([0.0, 1.0, 1.0], dtype=torch.float64)
    lp = d.log_prob(x)
    lp.sum().backward()
    return lp, d.probs, d.mean, d.variance, d.entropy(), d.mode, logits.grad, d.sample((2,))


@program
def normal_properties_batch_broadcast(torch):
    d = torch.distributions.Normal(torch.tensor([0.0, 1.0]), torch.tensor([[1.0], [2.0]]))
    x = torch.tensor([0.3, -1.2])
    return (
        d.batch_shape,
        d.mean,
        d.mode,
        d.stddev,
        d.variance,
        d.entropy(),
        d.log_prob(x),
        d.cdf(x),
        d.icdf(torch.tensor([0.1, 0.9])),
        d.sample((3,)).shape,
        d.rsample(),
    )


@program
def normal_scalar_params(torch):
    d = torch.distributions.Normal(0.0, 1.0)
    return d.batch_shape, d.sample(), d.sample((2, 3)), d.log_prob(torch.tensor(0.5)), d.mean


@program(raises=r"Expected parameter scale")
def normal_negative_scale_validation(torch):
    torch.distributions.Normal(torch.tensor([0.0]), torch.tensor([-1.0]))


@program(raises=r"The value argument to log_prob must be a Tensor")
def normal_log_prob_wrong_type(torch):
    torch.distributions.Normal(0.0, 1.0).log_prob(0.5)


@program(raises=r"support")
def beta_log_prob_outside_support(torch):
    torch.distributions.Beta(torch.tensor([2.0]), torch.tensor([3.0])).log_prob(torch.tensor([1.5]))


@program
def beta_log_prob_no_validation(torch):
    d = torch.distributions.Beta(torch.tensor([2.0]), torch.tensor([3.0]), validate_args=False)
    return d.log_prob(torch.tensor([0.0, 0.5, 1.0]))


@program
def uniform_log_prob_edges_and_cdf(torch):
    d = torch.distributions.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([1.0, 3.0]))
    x = torch.tensor([0.0, 2.9])
    return (
        d.log_prob(x),
        d.cdf(torch.tensor([0.5, 2.5])),
        d.icdf(torch.tensor([0.25, 0.5])),
        d.entropy(),
        d.mean,
        d.variance,
        d.stddev,
        d.sample((2,)),
        str(d.support),
    )


@program(raises=r"support")
def uniform_log_prob_above_high_raises(torch):
    torch.distributions.Uniform(0.0, 1.0).log_prob(torch.tensor(1.5))


@program
def uniform_rsample_grad(torch):
    lo = torch.tensor([0.0, 1.0], requires_grad=True)
    hi = torch.tensor([2.0, 5.0], requires_grad=True)
    x = torch.distributions.Uniform(lo, hi).rsample((3,))
    x.sum().backward()
    return x, lo.grad, hi.grad


@program
def exponential_gamma_family(torch):
    D = torch.distributions
    rate = torch.tensor([0.5, 2.0], requires_grad=True)
    e = D.Exponential(rate)
    x = torch.tensor([1.0, 0.25])
    lp = e.log_prob(x) + D.Gamma(torch.tensor([2.0, 3.0]), rate).log_prob(x)
    lp.sum().backward()
    g = D.Gamma(torch.tensor([2.0, 0.5]), torch.tensor([1.0, 4.0]))
    return (
        lp,
        rate.grad,
        e.cdf(x),
        e.icdf(torch.tensor([0.3, 0.7])),
        e.entropy(),
        e.mean,
        e.mode,
        e.variance,
        g.mean,
        g.mode,
        g.variance,
        g.entropy(),
        g.cdf(x),
        e.rsample((2,)),
    )


@program
def gamma_sample_float64(torch):
    g = torch.distributions.Gamma(
        torch.tensor([0.5, 2.0, 7.0], dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64)
    )
    return g.sample((3,)), g.log_prob(torch.tensor([0.1, 1.0, 3.0], dtype=torch.float64))


@program
def dirichlet_and_beta(torch):
    D = torch.distributions
    conc = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]], requires_grad=True)
    d = D.Dirichlet(conc)
    x = torch.tensor([0.2, 0.3, 0.5])
    lp = d.log_prob(x)
    lp.sum().backward()
    b = D.Beta(torch.tensor(2.0), torch.tensor(5.0))
    return (
        lp,
        conc.grad,
        d.mean,
        d.mode,
        d.variance,
        d.entropy(),
        d.batch_shape,
        d.event_shape,
        b.mean,
        b.mode,
        b.variance,
        b.entropy(),
        b.log_prob(torch.tensor(0.3)),
    )


@program
def laplace_cauchy_studentt(torch):
    D = torch.distributions
    x = torch.tensor([-1.0, 0.5, 3.0])
    la, ca = D.Laplace(0.5, 2.0), D.Cauchy(torch.tensor([0.0, 1.0, 2.0]), 1.5)
    st = D.StudentT(torch.tensor([1.0, 3.0, 30.0]), 0.5, 2.0)
    return (
        la.log_prob(x),
        la.cdf(x),
        la.icdf(torch.tensor([0.1, 0.5, 0.9])),
        la.entropy(),
        la.variance,
        ca.log_prob(x),
        ca.cdf(x),
        ca.icdf(torch.tensor([0.2, 0.5, 0.8])),
        ca.entropy(),
        ca.mean,
        ca.variance,
        st.log_prob(x),
        st.entropy(),
        st.mean,
        st.variance,
        st.mode,
    )


@program
def poisson_binomial_geometric(torch):
    D = torch.distributions
    po = D.Poisson(torch.tensor([0.5, 4.0]))
    bi = D.Binomial(10, torch.tensor([0.2, 0.7]))
    ge = D.Geometric(torch.tensor([0.3, 0.9]))
    nb = D.NegativeBinomial(torch.tensor(3.0), torch.tensor([0.4, 0.6]))
    k = torch.tensor([0.0, 3.0])
    return (
        po.log_prob(k),
        po.mean,
        po.mode,
        po.variance,
        bi.log_prob(k),
        bi.mean,
        bi.mode,
        bi.variance,
        bi.entropy(),
        ge.log_prob(k),
        ge.mean,
        ge.mode,
        ge.variance,
        ge.entropy(),
        nb.log_prob(k),
        nb.mean,
        nb.mode,
        nb.variance,
        bi.enumerate_support().shape,
    )


@program
def discrete_samples_match(torch):
    D = torch.distributions
    return (
        D.Poisson(torch.tensor([0.5, 4.0, 50.0])).sample((2,)),
        D.Bernoulli(torch.tensor([0.2, 0.8])).sample((3,)),
        D.Geometric(torch.tensor([0.3, 0.9])).sample((2,)),
        D.Binomial(10, torch.tensor([0.2, 0.7])).sample((2,)),
        D.Categorical(torch.tensor([0.1, 0.2, 0.7])).sample((5,)),
        D.OneHotCategorical(torch.tensor([0.1, 0.2, 0.7])).sample((2,)),
    )


@program
def continuous_samples_match(torch):
    D = torch.distributions
    return (
        D.Normal(torch.zeros(3), 2.0).sample((2,)),
        D.Laplace(torch.zeros(3), 1.0).sample(),
        D.Cauchy(torch.zeros(3), 1.0).sample(),
        D.Exponential(torch.ones(3)).sample(),
        D.Uniform(torch.zeros(3), 2.0).sample(),
        D.LogNormal(torch.zeros(3), 1.0).sample(),
        D.Gumbel(torch.zeros(3), 1.0).sample(),
    )


@program
def multinomial_dist(torch):
    D = torch.distributions
    m = D.Multinomial(5, torch.tensor([0.2, 0.3, 0.5]))
    x = torch.tensor([1.0, 1.0, 3.0])
    return m.log_prob(x), m.mean, m.variance, m.sample((2,)), m.batch_shape, m.event_shape


@program
def multivariate_normal_parametrizations(torch):
    D = torch.distributions
    cov = torch.tensor([[2.0, 0.3], [0.3, 0.5]], dtype=torch.float64)
    loc = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    a = D.MultivariateNormal(loc, covariance_matrix=cov)
    b = D.MultivariateNormal(loc, precision_matrix=torch.linalg.inv(cov))
    c = D.MultivariateNormal(loc, scale_tril=torch.linalg.cholesky(cov))
    x = torch.tensor([[0.0, 0.0], [1.0, 2.0]], dtype=torch.float64)
    lp = a.log_prob(x)
    lp.sum().backward()
    return (
        lp,
        b.log_prob(x),
        c.log_prob(x),
        a.entropy(),
        b.scale_tril,
        c.covariance_matrix,
        c.precision_matrix,
        a.variance,
        a.mode,
        loc.grad,
        a.rsample((2,)),
        D.kl_divergence(
            a,
            D.MultivariateNormal(
                torch.zeros(2, dtype=torch.float64), torch.eye(2, dtype=torch.float64)
            ),
        ),
    )


@program(raises=r"Exactly one of covariance_matrix or precision_matrix or scale_tril")
def multivariate_normal_two_params(torch):
    torch.distributions.MultivariateNormal(torch.zeros(2), torch.eye(2), scale_tril=torch.eye(2))


@program(raises=r"at least two-dimensional")
def multivariate_normal_1d_cov(torch):
    torch.distributions.MultivariateNormal(torch.zeros(2), torch.ones(2))


@program
def mvn_batch_broadcast(torch):
    D = torch.distributions
    loc = torch.zeros(3, 2)
    d = D.MultivariateNormal(loc, torch.eye(2) * 2)
    return d.batch_shape, d.event_shape, d.log_prob(torch.ones(2)), d.sample().shape


@program
def lowrank_mvn(torch):
    D = torch.distributions
    loc = torch.tensor([0.0, 1.0, 2.0])
    W = torch.tensor([[1.0], [0.5], [-0.2]])
    diag = torch.tensor([1.0, 2.0, 0.5])
    d = D.LowRankMultivariateNormal(loc, W, diag)
    x = torch.tensor([0.1, 0.2, 0.3])
    full = D.MultivariateNormal(loc, d.covariance_matrix)
    return (
        d.log_prob(x),
        d.entropy(),
        d.variance,
        d.covariance_matrix,
        d.precision_matrix,
        d.scale_tril,
        full.log_prob(x),
        d.rsample((2,)),
        D.kl_divergence(d, full),
    )


# ---- transforms -----------------------------------------------------------------------------
def _transform_report(torch, t, x):
    y = t(x)
    return (
        y,
        t.inv(y),
        t.log_abs_det_jacobian(x, y),
        str(t.domain),
        str(t.codomain),
        t.bijective,
        t.domain.event_dim,
        t.codomain.event_dim,
    )


@program
def elementwise_transforms(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[-1.5, 0.2, 2.0], [0.3, -0.7, 1.1]], dtype=torch.float64)
    out = []
    for t in (
        T.ExpTransform(),
        T.SigmoidTransform(),
        T.TanhTransform(),
        T.AffineTransform(2.0, -3.0),
        T.AffineTransform(torch.ones(3), 0.5),
        T.SoftplusTransform(),
    ):
        y = t(x)
        out += [
            y,
            t.log_abs_det_jacobian(x, y),
            str(t.domain),
            str(t.codomain),
            t.sign if t.bijective else 0,
            repr(t),
        ]
    out += [T.AbsTransform()(x), T.AbsTransform().inv(x.abs()), repr(T.AbsTransform())]
    pt = T.PowerTransform(torch.tensor(2.5, dtype=torch.float64))
    xp = x.exp()
    out += _transform_report(torch, pt, xp)
    return out


@program
def simplex_transforms(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[0.1, -0.5, 1.0], [2.0, 0.0, -1.0]], dtype=torch.float64)
    sm = T.SoftmaxTransform()
    sb = T.StickBreakingTransform()
    y = sb(x)
    return (
        sm(x),
        sm.inv(sm(x)),
        str(sm.codomain),
        y,
        sb.inv(y),
        sb.log_abs_det_jacobian(x, y),
        str(sb.codomain),
        sb.forward_shape((4, 3)),
        sb.inverse_shape((4, 4)),
    )


@program
def lower_cholesky_and_corr_cholesky(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[1.0, 2.0], [3.0, -0.5]], dtype=torch.float64)
    lc = T.LowerCholeskyTransform()
    cc = T.CorrCholeskyTransform()
    v = torch.tensor([0.3, -0.2, 0.5], dtype=torch.float64)
    L = cc(v)
    return (
        lc(x),
        lc.inv(lc(x)),
        str(lc.codomain),
        L,
        cc.inv(L),
        cc.log_abs_det_jacobian(v, L),
        str(cc.codomain),
    )


@program
def compose_transform_and_inverse(torch):
    T = torch.distributions.transforms
    x = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64)
    t = T.ComposeTransform([T.AffineTransform(1.0, 2.0), T.ExpTransform()])
    inv = t.inv
    y = t(x)
    return (
        y,
        inv(y),
        t.log_abs_det_jacobian(x, y),
        inv.log_abs_det_jacobian(y, x),
        t.sign,
        str(t.domain),
        str(t.codomain),
        inv.inv is t,
        t.inv is inv,
        T.ComposeTransform([])(x),
        t == t,
        T.ExpTransform() == T.ExpTransform(),
    )


@program
def cat_and_stack_transforms(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[-1.0, 0.5, 2.0, 0.1], [0.3, 0.2, -0.4, 1.0]], dtype=torch.float64)
    cat = T.CatTransform([T.ExpTransform(), T.SigmoidTransform()], dim=1, lengths=[1, 3])
    st = T.StackTransform([T.ExpTransform(), T.TanhTransform()], dim=0)
    y1, y2 = cat(x), st(x)
    return (
        y1,
        cat.inv(y1),
        cat.log_abs_det_jacobian(x, y1),
        y2,
        st.inv(y2),
        st.log_abs_det_jacobian(x, y2),
        cat.bijective,
        st.bijective,
    )


@program
def independent_and_reshape_transforms(torch):
    T = torch.distributions.transforms
    x = torch.tensor([[-1.0, 0.5, 2.0, 0.1], [0.3, 0.2, -0.4, 1.0]], dtype=torch.float64)
    it = T.IndependentTransform(T.ExpTransform(), 1)
    rt = T.ReshapeTransform((4,), (2, 2))
    y = it(x)
    z = rt(x)
    return (
        y,
        it.log_abs_det_jacobian(x, y),
        str(it.domain),
        it.domain.event_dim,
        z,
        rt.inv(z),
        rt.log_abs_det_jacobian(x, z),
        rt.forward_shape((5, 4)),
        rt.inverse_shape((5, 2, 2)),
    )


@program
def cumulative_distribution_transform(torch):
    D = torch.distributions
    t = D.transforms.CumulativeDistributionTransform(D.Normal(0.0, 2.0))
    x = torch.tensor([-1.0, 0.0, 3.0])
    y = t(x)
    return y, t.inv(y), t.log_abs_det_jacobian(x, y), str(t.codomain)


@program
def transformed_distribution_log_normal_like(torch):
    D = torch.distributions
    base = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))
    td = D.TransformedDistribution(
        base, [D.transforms.ExpTransform(), D.transforms.AffineTransform(1.0, 2.0)]
    )
    ln = D.LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))
    y = torch.tensor([2.5, 7.0])
    return (
        td.log_prob(y),
        td.sample((2,)),
        td.rsample().shape,
        td.batch_shape,
        td.event_shape,
        ln.log_prob(y),
        ln.mean,
        ln.mode,
        ln.variance,
        ln.entropy(),
        ln.cdf(y),
        ln.icdf(torch.tensor([0.3, 0.6])),
        str(td.support),
    )


@program
def transformed_distribution_sigmoid_cdf(torch):
    D = torch.distributions
    logistic = D.TransformedDistribution(
        D.Uniform(torch.tensor(0.0), torch.tensor(1.0)),
        [D.transforms.SigmoidTransform().inv, D.transforms.AffineTransform(0.5, 2.0)],
    )
    x = torch.tensor([-1.0, 0.5, 3.0])
    return logistic.log_prob(x), logistic.cdf(x), logistic.icdf(torch.tensor([0.2, 0.9]))


@program
def tanh_squashed_gaussian_policy(torch):
    D = torch.distributions
    mu = torch.tensor([[0.1, -0.3]], requires_grad=True)
    std = torch.tensor([[0.5, 1.2]], requires_grad=True)
    d = D.TransformedDistribution(D.Normal(mu, std), [D.transforms.TanhTransform(cache_size=1)])
    a = d.rsample()
    lp = d.log_prob(a).sum(-1)
    (lp + a.sum()).sum().backward()
    return a, lp, mu.grad, std.grad


@program
def independent_normal(torch):
    D = torch.distributions
    d = D.Independent(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), 1)
    x = torch.ones(3, 2)
    other = D.Independent(D.Normal(torch.ones(3, 2), 2 * torch.ones(3, 2)), 1)
    return (
        d.batch_shape,
        d.event_shape,
        d.log_prob(x),
        d.entropy(),
        d.mean,
        D.kl_divergence(d, other),
        repr(d),
        d.sample().shape,
    )


@program(raises=r"Expected reinterpreted_batch_ndims <= len\(base_distribution.batch_shape\)")
def independent_too_many_dims(torch):
    D = torch.distributions
    D.Independent(D.Normal(torch.zeros(2), 1.0), 2)


@program
def mixture_same_family_gmm(torch):
    D = torch.distributions
    mix = D.Categorical(torch.ones(3))
    comp = D.Normal(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor([0.5, 1.0, 0.3]))
    gmm = D.MixtureSameFamily(mix, comp)
    x = torch.tensor([-0.5, 1.0, 2.1])
    mvgmm = D.MixtureSameFamily(
        D.Categorical(torch.tensor([0.3, 0.7])),
        D.Independent(D.Normal(torch.randn(2, 2), torch.rand(2, 2) + 0.5), 1),
    )
    return (
        gmm.log_prob(x),
        gmm.mean,
        gmm.variance,
        gmm.cdf(x),
        gmm.sample((4,)),
        mvgmm.log_prob(torch.ones(2)),
        mvgmm.sample((2,)),
        mvgmm.batch_shape,
        mvgmm.event_shape,
    )


# ---- gradients through lazily computed parameters and clamped moments -----------------------
@program
def negative_binomial_sample_then_log_prob_grad(torch):
    probs = torch.tensor([0.3, 0.6], dtype=torch.float64, requires_grad=True)
    d = torch.distributions.NegativeBinomial(torch.tensor(3.0, dtype=torch.float64), probs)
    k = d.sample((2,))  # first use of the lazy logits happens under no_grad
    lp = d.log_prob(k)
    lp.sum().backward()
    return k, lp, probs.grad


@program
def continuous_bernoulli_logits_sample_then_log_prob_grad(torch):
    logits = torch.tensor([0.2, -1.5, 0.001], dtype=torch.float64, requires_grad=True)
    d = torch.distributions.ContinuousBernoulli(logits=logits)
    x = d.sample((2,))
    lp = d.log_prob(x)
    lp.sum().backward()
    return x, lp, logits.grad


@program
def categorical_logits_sample_then_probs_grad(torch):
    logits = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    d = torch.distributions.Categorical(logits=logits)
    a = d.sample()
    (d.probs[0, a] * 3.0).sum().backward()
    return a, logits.grad


@program
def pareto_infinite_mean_grad(torch):
    alpha = torch.tensor([0.5, 1.5, 3.0], dtype=torch.float64, requires_grad=True)
    d = torch.distributions.Pareto(torch.tensor(2.0, dtype=torch.float64), alpha)
    (d.mean.sum() + d.variance.sum()).backward()
    return d.mean, d.variance, alpha.grad


@program
def clamp_grad_blocks_inf_from_clamped_places(torch):
    x = torch.tensor([0.5, 2.0, -3.0], requires_grad=True)
    y = x.clamp(min=1.0)
    (y / (y - 1.0)).sum().backward()
    z = torch.tensor([0.0, 1.0], requires_grad=True)
    (1.0 / z.clamp(0.5, 2.0).sub(0.5)).sum().backward()
    return x.grad, z.grad


# ---- reparameterised gradients of Gamma-based draws are PyTorch's approximations -----------
@program
def gamma_rsample_grads_float64(torch):
    conc = torch.tensor([0.3, 2.0, 5.0, 12.0, 40.0], dtype=torch.float64, requires_grad=True)
    rate = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    x = torch.distributions.Gamma(conc, rate).rsample((3,))
    (x * torch.arange(1.0, 6.0, dtype=torch.float64)).sum().backward()
    return x, conc.grad, rate.grad


@program
def gamma_family_rsample_grads_float32(torch):
    D = torch.distributions
    df = torch.tensor([1.0, 4.0, 30.0], requires_grad=True)
    a = torch.tensor([2.0, 3.0, 9.0], requires_grad=True)
    loss = (
        D.Chi2(df).rsample((2,)).sum()
        + D.StudentT(df).rsample().sum()
        + D.FisherSnedecor(df, a).rsample().sum()
        + D.InverseGamma(a, df).rsample().sum()
    )
    loss.backward()
    return loss, df.grad, a.grad


@program
def beta_vae_rsample_grads(torch):
    c1 = torch.tensor([0.5, 2.0, 8.0, 20.0], dtype=torch.float64, requires_grad=True)
    c0 = torch.tensor([0.7, 3.0, 9.0, 0.2], dtype=torch.float64, requires_grad=True)
    z = torch.distributions.Beta(c1, c0).rsample((4,))
    loss = (z * torch.tensor([1.0, -2.0, 0.5, 3.0], dtype=torch.float64)).sum()
    loss = (
        loss
        + torch.distributions.kl_divergence(
            torch.distributions.Beta(c1, c0),
            torch.distributions.Beta(
                torch.ones(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)
            ),
        ).sum()
    )
    loss.backward()
    return z, c1.grad, c0.grad


@program
def dirichlet_rsample_grads_batch(torch):
    conc = torch.tensor(
        [[0.4, 1.5, 3.0, 9.0], [2.0, 0.8, 0.1, 5.0], [7.0, 8.0, 9.0, 10.0]], requires_grad=True
    )
    p = torch.distributions.Dirichlet(conc).rsample((2,))
    (p * torch.tensor([0.3, -1.0, 2.0, 0.5])).sum().backward()
    return p, conc.grad


# ---- constraints, registries, validation -----------------------------------------------------
@program
def biject_to_and_transform_to(torch):
    D = torch.distributions
    C = D.constraints
    x = torch.tensor([[-0.5, 0.3, 1.2], [0.1, -2.0, 0.7]], dtype=torch.float64)
    out = []
    for c in (
        C.positive,
        C.real,
        C.unit_interval,
        C.greater_than(1.0),
        C.less_than(2.0),
        C.interval(-1.0, 3.0),
        C.simplex,
        C.lower_cholesky,
        C.corr_cholesky,
        C.positive_definite,
        C.greater_than_eq(0.5),
        C.half_open_interval(0.0, 2.0),
    ):
        if c in (C.lower_cholesky, C.positive_definite):
            v = x[:, :2]
        elif c is C.corr_cholesky:
            v = x[0]
        else:
            v = x
        matrix = c in (C.lower_cholesky, C.positive_definite)  # no bijection registered
        for reg in (D.transform_to,) if matrix else (D.biject_to, D.transform_to):
            t = reg(c)
            y = t(v)
            out += [repr(t), y, c.check(y).all() if c is not C.corr_cholesky else True]
    return out


@program
def constraint_checks_and_reprs(torch):
    C = torch.distributions.constraints
    x = torch.tensor([-1.0, 0.0, 0.5, 1.0, 2.0])
    cs = [
        C.real,
        C.positive,
        C.nonnegative,
        C.unit_interval,
        C.boolean,
        C.nonnegative_integer,
        C.positive_integer,
        C.integer_interval(0, 1),
        C.interval(0.0, 1.0),
        C.half_open_interval(0.0, 1.0),
        C.greater_than(0.0),
        C.greater_than_eq(0.0),
        C.less_than(1.0),
        C.real_vector,
        C.simplex,
    ]
    return (
        [str(c) for c in cs]
        + [c.check(x) for c in cs[:-2]]
        + [
            C.simplex.check(torch.tensor([[0.2, 0.8], [0.5, 0.6]])),
            C.independent(C.real, 1).check(torch.zeros(2, 3)),
            C.is_dependent(C.dependent),
            C.positive.is_discrete,
            C.nonnegative_integer.is_discrete,
            C.simplex.event_dim,
            C.cat([C.positive, C.real], 0, [2, 3]).check(x),
            C.stack([C.positive, C.real]).check(torch.ones(2)),
            C.corr_cholesky.check(torch.eye(3)),
            C.positive_definite.check(torch.eye(2)),
            C.square.check(torch.eye(2)),
            C.symmetric.check(torch.tensor([[1.0, 2.0], [3.0, 1.0]])),
        ]
    )


@program(raises=r"Expected parameter probs")
def categorical_negative_probs_validation(torch):
    torch.distributions.Categorical(probs=torch.tensor([0.5, -0.1, 0.6]))


@program(raises=r"Either `probs` or `logits` must be specified, but not both")
def bernoulli_both_probs_and_logits(torch):
    torch.distributions.Bernoulli(probs=torch.tensor(0.5), logits=torch.tensor(0.0))


@program
def default_validate_args_off(torch):
    D = torch.distributions
    D.Distribution.set_default_validate_args(False)
    try:
        d = D.Normal(torch.tensor([0.0]), torch.tensor([-1.0]))
        lp = D.Exponential(torch.tensor([1.0])).log_prob(torch.tensor([-1.0]))
        return d.scale, lp, d._validate_args
    finally:
        D.Distribution.set_default_validate_args(True)


@program(raises=r"The value argument must be within the support|support")
def categorical_log_prob_out_of_range(torch):
    torch.distributions.Categorical(logits=torch.zeros(3)).log_prob(torch.tensor([3]))


@program(raises=r"shape")
def normal_log_prob_bad_shape(torch):
    torch.distributions.Normal(torch.zeros(3), 1.0).log_prob(torch.zeros(2))


@program
def expand_then_sample_and_log_prob(torch):
    D = torch.distributions
    out = []
    for d in (
        D.Normal(torch.tensor(0.0), 2.0),
        D.Categorical(torch.tensor([0.2, 0.8])),
        D.Dirichlet(torch.tensor([1.0, 2.0])),
        D.Gamma(2.0, 3.0),
        D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
    ):
        e = d.expand(torch.Size([3]))
        s = e.sample((2,))
        out += [e.batch_shape, e.event_shape, s, e.log_prob(s)]
    return out


@program
def empty_batch_and_sample_shapes(torch):
    D = torch.distributions
    d = D.Normal(torch.zeros(0, 3), torch.ones(0, 3))
    c = D.Categorical(logits=torch.zeros(4, 3))
    return (
        d.sample((2,)),
        d.log_prob(torch.zeros(0, 3)),
        d.entropy(),
        c.sample((2, 1)),
        D.Normal(0.0, 1.0).sample(torch.Size([])),
        D.Normal(0.0, 1.0).rsample([2, 1]),
    )


@program
def distribution_reprs(torch):
    D = torch.distributions
    return [
        repr(d)
        for d in (
            D.Normal(0.0, 1.0),
            D.Normal(torch.zeros(2), torch.ones(2)),
            D.Categorical(probs=torch.tensor([0.5, 0.5])),
            D.Bernoulli(logits=torch.tensor(0.3)),
            D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
            D.Uniform(0.0, 2.0),
            D.Independent(D.Normal(torch.zeros(2), 1.0), 1),
            D.Dirichlet(torch.ones(3)),
            D.TransformedDistribution(D.Normal(0.0, 1.0), [D.transforms.ExpTransform()]),
            D.MixtureSameFamily(D.Categorical(torch.ones(2)), D.Normal(torch.zeros(2), 1.0)),
            D.Binomial(5, torch.tensor([0.3])),
            D.LogNormal(0.0, 1.0),
            D.Gumbel(0.0, 1.0),
        )
    ]


@program
def register_kl_custom_pair(torch):
    D = torch.distributions

    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, MyNormal)
    def _kl(p, q):
        return torch.zeros_like(p.loc) + 42.0

    a, b = MyNormal(torch.zeros(2), 1.0), MyNormal(torch.ones(2), 2.0)
    return D.kl_divergence(a, b), D.kl_divergence(D.Normal(0.0, 1.0), D.Normal(1.0, 2.0))


@program(raises=r"No KL\(p \|\| q\) is implemented")
def kl_unregistered_pair(torch):
    D = torch.distributions
    D.kl_divergence(D.Cauchy(0.0, 1.0), D.Laplace(0.0, 1.0))


@program(raises=r"cannot sample n_sample <= 0 samples")
def categorical_zero_samples(torch):
    torch.distributions.Categorical(logits=torch.zeros(4, 3)).sample(torch.Size([0]))


@program(raises=r"Bregman")
def kl_exponential_families_cross(torch):
    D = torch.distributions
    D.kl_divergence(D.Poisson(torch.tensor(1.0)), D.Normal(0.0, 1.0))


@program
def relaxed_distributions_temperature(torch):
    D = torch.distributions
    t = torch.tensor(0.3, requires_grad=True)
    logits = torch.tensor([0.2, -0.5, 1.0], requires_grad=True)
    rb = D.RelaxedBernoulli(t, logits=logits)
    rc = D.RelaxedOneHotCategorical(t, logits=logits)
    xb, xc = rb.rsample((2,)), rc.rsample((2,))
    (rb.log_prob(xb).sum() + rc.log_prob(xc).sum()).backward()
    return xb, xc, t.grad, logits.grad, rb.temperature, rc.temperature


@program
def one_hot_categorical_straight_through(torch):
    logits = torch.tensor([[1.0, 2.0, 0.5]], requires_grad=True)
    d = torch.distributions.OneHotCategoricalStraightThrough(logits=logits)
    s = d.rsample((2,))
    (s * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return s, logits.grad, d.enumerate_support().shape, d.log_prob(s)


@program
def wishart_and_lkj(torch):
    D = torch.distributions
    w = D.Wishart(
        torch.tensor(5.0, dtype=torch.float64),
        covariance_matrix=torch.tensor([[2.0, 0.3], [0.3, 1.0]], dtype=torch.float64),
    )
    lkj = D.LKJCholesky(3, torch.tensor([0.5, 2.0], dtype=torch.float64))
    L = lkj.sample()
    return (
        w.mean,
        w.mode,
        w.variance,
        w.entropy(),
        w.sample((2,)),
        L,
        lkj.log_prob(L),
        lkj.batch_shape,
        lkj.event_shape,
    )


@program
def von_mises_and_kumaraswamy(torch):
    D = torch.distributions
    vm = D.VonMises(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 50.0]))
    ku = D.Kumaraswamy(torch.tensor([2.0, 0.5]), torch.tensor([3.0, 0.8]))
    return (
        vm.sample((3,)),
        vm.log_prob(torch.tensor([0.3, 1.1])),
        vm.mean,
        vm.mode,
        vm.variance,
        ku.rsample((2,)),
        ku.mean,
        ku.variance,
        ku.entropy(),
    )
