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
