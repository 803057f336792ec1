"""Session 26's torch.distributions programs (from the differential fuzzer,
tests/test_fuzz_distributions.py): each pins a divergence found and fixed there."""

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


# ---- KL formulas set inf with a boolean mask (PyTorch's ``result[mask] = inf``) --------------
@error(IndexError, r"The shape of the mask \[1, 1\] at index 1 does not match")
def kl_uniform_gamma_mask_of_p_smaller_than_the_result(torch):
    D = torch.distributions
    p = D.Uniform(torch.tensor([[-0.5]]), torch.tensor([[1.0]]))
    q = D.Gamma(torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([[1.0, 0.5, 2.0]]))
    return D.kl_divergence(p, q)


@error(IndexError, r"The shape of the mask \[3\] at index 0 does not match")
def kl_bernoulli_pair_of_other_batch_shapes(torch):
    D = torch.distributions
    p = D.Bernoulli(torch.tensor([[0.2, 0.5, 0.7], [0.1, 0.4, 0.9]]))
    return D.kl_divergence(p, D.Bernoulli(torch.tensor([0.3, 0.6, 0.8])))


@error(IndexError, r"The shape of the mask \[2\] at index 0 does not match")
def kl_pareto_normal_mask_of_alpha(torch):
    D = torch.distributions
    p = D.Pareto(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 1.5]))
    q = D.Normal(torch.zeros(3, 1), torch.ones(3, 1))
    return D.kl_divergence(p, q)


@program
def kl_masked_pairs_of_one_batch_shape_and_their_gradients(torch):
    D = torch.distributions
    lo = torch.tensor([-0.5, 0.2, 0.1], dtype=torch.float64, requires_grad=True)
    hi = torch.tensor([1.0, 0.9, 2.0], dtype=torch.float64, requires_grad=True)
    alpha = torch.tensor([0.5, 1.5, 3.0], dtype=torch.float64, requires_grad=True)
    p = D.Uniform(lo, hi)
    q = D.Gamma(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), 1.5)
    out = [D.kl_divergence(p, q), D.kl_divergence(p, D.Beta(alpha, alpha + 1))]
    out.append(
        D.kl_divergence(D.Pareto(hi, alpha), D.Exponential(torch.tensor(2.0, dtype=torch.float64)))
    )
    out.append(D.kl_divergence(D.Bernoulli(torch.tensor([0.0, 0.5, 1.0])),
                               D.Bernoulli(torch.tensor([0.5, 0.0, 1.0]))))  # fmt: skip
    total = sum(torch.where(o.isinf(), 0.0, o).sum() for o in out[:3])
    return out, torch.autograd.grad(total, (lo, hi, alpha))


# ---- GeneralizedPareto compares its concentration with a float32 zero ---------------------
@error(RuntimeError, r"Double did not match Float")
def generalized_pareto_log_prob_of_float64_parameters(torch):
    D = torch.distributions
    t = torch.tensor([0.1, -0.2], dtype=torch.float64)
    return D.GeneralizedPareto(t * 0, t.abs(), t).log_prob(torch.zeros(2, dtype=torch.float64))


@error(RuntimeError, r"Double did not match Float")
def generalized_pareto_cdf_of_float64_parameters(torch):
    D = torch.distributions
    t = torch.tensor([0.1, 0.0], dtype=torch.float64)
    return D.GeneralizedPareto(0.0, 1.0, t).cdf(torch.ones(2, dtype=torch.float64))


@program
def generalized_pareto_float32_and_its_zero_concentration(torch):
    D = torch.distributions
    c = torch.tensor([0.1, 0.0, -0.2, 1e-9])
    d = D.GeneralizedPareto(torch.zeros(4), torch.ones(4), c)
    x = torch.tensor([0.5, 1.0, 2.0, 3.0])
    return d.log_prob(x), d.cdf(x), d.icdf(torch.tensor([0.1, 0.5, 0.9, 0.3]))


@program
def generalized_pareto_float64_icdf_and_rsample(torch):
    D = torch.distributions
    c = torch.tensor([0.1, 0.0, -0.2], dtype=torch.float64)
    d = D.GeneralizedPareto(torch.zeros(3, dtype=torch.float64), 1.5, c)
    torch.manual_seed(3)
    return d.icdf(torch.full((3,), 0.4, dtype=torch.float64)), d.rsample((2,))


# ---- a Python number where PyTorch's formula wants a tensor ------------------------------------
@error(TypeError, r"full_like\(\): argument 'input' \(position 1\) must be Tensor, not float")
def relaxed_one_hot_categorical_log_prob_with_a_float_temperature(torch):
    D = torch.distributions
    d = D.RelaxedOneHotCategorical(0.7, probs=torch.tensor([0.2, 0.3, 0.5]))
    return d.log_prob(torch.tensor([0.1, 0.2, 0.7]))


@error(TypeError, r"full_like\(\): argument 'input' \(position 1\) must be Tensor, not int")
def full_like_of_a_number(torch):
    return torch.full_like(3, 1.0)


# ---- dtypes, expand, constraints ----------------------------------------------------------------
@program
def half_normal_log_prob_keeps_a_float32_value_float32(torch):
    D = torch.distributions
    scale = torch.tensor(1.3, dtype=torch.float64)
    v = torch.tensor([0.0, 0.5, 2.0])
    return D.HalfNormal(scale).log_prob(v), D.HalfCauchy(scale).log_prob(v)


@error(AttributeError, r"'Multinomial' object has no attribute '_binomial'")
def multinomial_entropy_after_expand(torch):
    D = torch.distributions
    return D.Multinomial(3, logits=torch.zeros(1, 3)).expand((2, 4)).entropy()


@program
def multinomial_sample_and_log_prob_after_expand(torch):
    D = torch.distributions
    d = D.Multinomial(3, probs=torch.tensor([[0.2, 0.3, 0.5]])).expand((2, 4))
    torch.manual_seed(0)
    return d.sample(), d.log_prob(torch.tensor([1.0, 1.0, 1.0])), d.mean, d.batch_shape


@program
def symmetric_and_positive_definite_checks_of_integers_and_infinities(torch):
    c = torch.distributions.constraints
    inf = float("inf")
    m = torch.tensor([[[2.0, 0.5], [0.5, 2.0]], [[inf, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]])
    near = torch.tensor([[1.0, 1e-6], [0.0, 1.0]])
    ints = torch.tensor([[1, 2], [2, 1]])
    bools = torch.tensor([[True, False], [True, True]])
    return (
        c.symmetric.check(m),
        c.symmetric.check(near),
        c.symmetric.check(ints),
        (c.symmetric.check(bools), c.positive_definite.check(m[[0, 2]])),
    )


@error(RuntimeError, r"linalg.cholesky: Expected a floating point or complex tensor as input")
def positive_definite_check_of_an_integer_matrix(torch):
    return torch.distributions.constraints.positive_definite.check(torch.tensor([[2, 0], [0, 2]]))


# ---- pow by a one-element tensor exponent of 0.5 is pow, not sqrt ------------------------------
@program
def pow_by_a_tensor_half_at_minus_inf_and_minus_zero(torch):
    x = torch.tensor([-float("inf"), -0.0, -4.0, 4.0, float("inf")], dtype=torch.float64)
    return (x.pow(torch.tensor(0.5)), x ** torch.tensor([0.5], dtype=torch.float64),
            x.pow(0.5), x.pow(torch.tensor(-0.5)), torch.pow(x.float(), torch.tensor(0.5)))  # fmt: skip


@program
def power_transform_inverse_of_minus_inf_in_a_cdf(torch):
    D = torch.distributions
    tr = D.transforms
    chain = [tr.SigmoidTransform(), tr.PowerTransform(2.0), tr.SoftplusTransform()]
    d = D.TransformedDistribution(D.Exponential(1.5), chain)
    return d.cdf(torch.zeros(3)), chain[1].inv(torch.tensor([-float("inf"), 4.0]))


# ---- sampling from parameters outside their constraints (validate_args=False) -------------------
@program
def gamma_family_samples_of_non_positive_concentrations_are_tiny(torch):
    D = torch.distributions
    c = torch.tensor([-1.0, 2.0, -0.5, float("nan")])
    torch.manual_seed(0)
    out = [D.Gamma(c, torch.tensor([1.0, 1.0, 1.0, 1.0]), validate_args=False).sample()]
    out.append(D.Beta(c, torch.ones(4), validate_args=False).sample())
    out.append(D.Dirichlet(torch.tensor([[-1.0, 2.0], [0.5, 1.0]]), validate_args=False).sample())
    return out, torch.rand(2)  # the stream after the draws


@program
def gamma_rsample_with_a_negative_rate_is_clamped_outside_the_graph(torch):
    D = torch.distributions
    c = torch.tensor([-1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    r = torch.tensor([1.0, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.manual_seed(1)
    x = D.Gamma(c, r, validate_args=False).rsample()
    return x, torch.autograd.grad(x.sum(), (c, r))


# ---- transforms -----------------------------------------------------------------------------
@error(IndexError, r"The shape of the mask \[3, 3\] at index 0 does not match")
def corr_cholesky_inverse_of_a_batch_of_vectors(torch):
    t = torch.distributions.transforms.CorrCholeskyTransform()
    return t.inv(torch.zeros(2, 3))


@error(IndexError, r"too many indices for tensor of dimension 1")
def tril_matrix_to_vec_of_a_vector(torch):
    return torch.distributions.utils.tril_matrix_to_vec(torch.zeros(3), -1)


@program
def corr_cholesky_round_trip_and_its_jacobian(torch):
    t = torch.distributions.transforms.CorrCholeskyTransform()
    x = torch.tensor([[0.3, -0.5, 0.8], [1.2, 0.1, -0.4]], dtype=torch.float64, requires_grad=True)
    y = t(x)
    ladj = t.log_abs_det_jacobian(x, y)
    return y, t.inv(y), ladj, torch.autograd.grad(ladj.sum(), x)


# ---- samplers of parameters outside their constraints: torch.normal's and torch.bernoulli's ----
@error(RuntimeError, r"normal expects all elements of std >= 0.0")
def normal_sample_of_a_negative_scale(torch):
    d = torch.distributions.Normal(0.0, torch.tensor([1.0, -1.0]), validate_args=False)
    return d.sample()


@error(RuntimeError, r"normal expects all elements of std >= 0.0")
def log_normal_sample_of_a_negative_scale(torch):
    d = torch.distributions.LogNormal(
        torch.zeros(2), torch.tensor([-1.0, 1.0]), validate_args=False
    )
    return d.sample((2,))


@program
def normal_rsample_of_a_negative_scale_and_sample_dtypes(torch):
    D = torch.distributions
    torch.manual_seed(0)
    out = [D.Normal(0.0, torch.tensor([1.0, -1.0]), validate_args=False).rsample((2,))]
    out.append(D.Normal(torch.zeros(2, dtype=torch.float64), 2.0).sample((3,)))
    out.append(D.Normal(torch.tensor(0.5), torch.tensor(2.0)).sample())
    return out, torch.rand(2)


@error(RuntimeError, r"Expected p_in >= 0 && p_in <= 1 to be true, but got false")
def bernoulli_sample_of_a_probability_above_one(torch):
    d = torch.distributions.Bernoulli(torch.tensor([0.5, 1.5]), validate_args=False)
    return d.sample((2,))


@program
def bernoulli_samples_and_the_stream_after_them(torch):
    D = torch.distributions
    torch.manual_seed(2)
    a = D.Bernoulli(torch.tensor([[0.2, 0.9, 0.0, 1.0]], dtype=torch.float64)).sample((3,))
    b = D.Bernoulli(logits=torch.tensor([0.3, -2.0])).expand((2, 2)).sample()
    return a, b, torch.rand(2)


# ---- a float64 value for a float32 multivariate normal: solve_triangular solves in A's dtype --
@program(tol={"rtol": 1e-5, "atol": 1e-6})
def mvn_float32_log_prob_of_a_float64_value_is_float32(torch):
    D = torch.distributions
    d = D.MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1.5, 0.0], [0.3, 0.8]]))
    return d.log_prob(torch.tensor([[0.5, -1.0], [2.0, 0.1]], dtype=torch.float64))


@program
def solve_triangular_casts_b_to_a_dtype(torch):
    A = torch.tensor([[2.0, 0.0], [1.0, 1.0]])
    b = torch.tensor([[1.0], [2.0]], dtype=torch.float64, requires_grad=True)
    x = torch.linalg.solve_triangular(A, b, upper=False)
    (g,) = torch.autograd.grad(x.sum(), b)
    ints = torch.linalg.solve_triangular(A.double(), torch.tensor([[1], [2]]), upper=False)
    right = torch.linalg.solve_triangular(A, b.detach().mT, upper=False, left=False)
    return x, g, ints, right


@error(RuntimeError, r"linalg.slogdet: A must be batches of square matrices")
def wishart_log_prob_of_rows_of_a_matrix(torch):
    d = torch.distributions.Wishart(torch.tensor(4.0), torch.eye(3), validate_args=False)
    return d.log_prob(torch.eye(3)[:1])


@program
def wishart_sample_of_no_draws_and_its_singular_sample_warning(torch):
    import warnings

    df = torch.tensor([3.5, 4.0], dtype=torch.float64)
    d = torch.distributions.Wishart(df, torch.eye(2, dtype=torch.float64))
    torch.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = [d.sample((0,)), d.sample((2,))]
    return out, [str(w.message) for w in caught]
