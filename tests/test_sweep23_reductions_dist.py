"""Session 13 sweep (helper R1) of reductions, sorting/searching and distributions, written
after the behaviours PyTorch's test_reductions.py, test_sort_and_select.py and
test_distributions.py check: empty and zero-size reductions, dim forms, dtype= and out=
dtypes, NaNs, corrections, unique/sort/topk/searchsorted flags, and distributions' shapes,
values, validation, transforms and KL pairs; each program runs with real PyTorch (the oracle)
and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import itertools

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def outcome(f):
    """``("ok", f())`` or the error's type name and message (minitorch read as torch)."""
    try:
        return "ok", f()
    except Exception as e:  # the error itself is what the program compares
        return type(e).__name__, str(e).replace("minitorch", "torch")


def outcome_kind(f):
    """``f()``'s result, or only its error's type name (for argument-parser messages)."""
    kind, value = outcome(f)
    return kind if kind != "ok" else value


# ---- out= and dtype= of the accumulating reductions ------------------------------------------
@program
def sum_prod_cumsum_compute_in_out_dtype(torch):  # fixed: refused to cast Float to Long
    x = torch.tensor([[1.5, 5.0], [3.0, 2.5]])
    outs = [torch.empty(2, dtype=torch.long) for _ in range(4)]
    torch.sum(x, 1, out=outs[0])
    torch.prod(x, 0, out=outs[1])
    torch.cumsum(x[0], 0, out=outs[2])
    torch.cumprod(x[:, 1], 0, out=outs[3])
    half = torch.empty((), dtype=torch.float16)
    torch.sum(torch.tensor([1, 2]), 0, out=half)
    return outs, half


@error(RuntimeError, r"Expected out tensor to have dtype double, but got float instead")
def sum_dtype_differs_from_out(torch):  # fixed: summed and cast into out
    return torch.sum(torch.tensor([1.5, 2.0]), 0, dtype=torch.float64, out=torch.empty(()))


@error(RuntimeError, r"Expected out tensor to have dtype long int, but got int instead")
def cumsum_dtype_differs_from_out(torch):  # fixed: summed and cast into out
    x = torch.tensor([1, 2])
    return torch.cumsum(x, 0, dtype=torch.long, out=torch.empty(2, dtype=torch.int32))


@error(NotImplementedError, r"\"cumsum_out_cpu\" not implemented for 'Bool'")
def cumsum_in_bool(torch):  # fixed: accumulated in bool
    return torch.tensor([1, 0, 2]).cumsum(0, dtype=torch.bool)


@error(NotImplementedError, r"\"cumprod_out_cpu\" not implemented for 'Bool'")
def cumprod_in_bool(torch):  # fixed: accumulated in bool
    return torch.tensor([[1, 2]]).cumprod(1, dtype=torch.bool)


@program
def scans_in_bool_of_scalars_and_empties(torch):  # no kernel runs: PyTorch answers
    s, e = torch.tensor(1), torch.zeros(0, 2)
    return (
        s.cumsum(0, dtype=torch.bool),
        s.cumprod(0, dtype=torch.bool),
        e.cumsum(1, dtype=torch.bool),
    )


# ---- sorting and searching ------------------------------------------------------------------
@error(RuntimeError, r"input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor dim\(2\) and input value's dim\(0\) numel\(1\)")  # fmt: skip
def searchsorted_scalar_into_rows(torch):  # fixed: the first-N-1-dims message
    return torch.searchsorted(torch.tensor([[1.0, 3.0], [2.0, 4.0]]), torch.tensor(3.0))


# ---- random fills and distributions of integer tensors ---------------------------------------
@program
def float_only_fills_of_integer_tensors(torch):  # fixed: minitorch's own message for each
    fills = [
        lambda: torch.zeros(2, dtype=torch.long).normal_(),
        lambda: torch.zeros(2, dtype=torch.int16).uniform_(),
        lambda: torch.zeros(2, dtype=torch.bool).uniform_(),
        lambda: torch.zeros(2, dtype=torch.long).log_normal_(),
        lambda: torch.zeros(2, dtype=torch.int8).exponential_(),
        lambda: torch.zeros(2, dtype=torch.bool).exponential_(),
        lambda: torch.zeros(2, dtype=torch.uint8).cauchy_(),
        lambda: torch.zeros(2, dtype=torch.int32).cauchy_(),
        lambda: torch.poisson(torch.tensor([1, 2])),
        lambda: torch.bernoulli(torch.tensor([True])),
        lambda: torch.distributions.Exponential(torch.tensor([1, 2])).sample(),
        lambda: torch.distributions.Poisson(torch.tensor([1, 2])).sample(),
        lambda: torch.distributions.Normal(torch.tensor([0, 1]), torch.tensor([1, 2])).sample(),
    ]
    return [outcome(f) for f in fills]


@program
def bernoulli_of_integer_tensor_with_p(torch):  # fixed: refused the integer tensor
    draws = torch.bernoulli(torch.zeros(6, dtype=torch.long), 0.5)
    return draws, torch.zeros(2, 3, dtype=torch.int32).bernoulli_(0.3)


@program
def binomial_dtype_errors(torch):  # fixed: minitorch's dtype names and wording
    return [
        outcome(lambda: torch.binomial(torch.tensor([3, 4]), torch.tensor([0.5, 0.5]))),
        outcome(lambda: torch.binomial(torch.tensor([3.0]), torch.tensor([0.5], dtype=torch.float64))),
        outcome(lambda: torch.binomial(torch.tensor([3.0], dtype=torch.float64), torch.tensor([0.5]))),
    ]  # fmt: skip


# ---- transforms -------------------------------------------------------------------------------
@program
def reshape_transform_shape_mismatch(torch):  # fixed: the shape was spelled as a Size
    t = torch.distributions.transforms.ReshapeTransform((2, 3), (3, 2))
    return [
        outcome(lambda: t.forward_shape((4, 3, 2))),
        outcome(lambda: t.inverse_shape((4, 2, 3))),
        t.forward_shape((4, 2, 3)),
        t.inverse_shape(torch.Size([5, 3, 2])),
    ]


# ---- distributions ----------------------------------------------------------------------------
@program
def dirichlet_and_beta_mode_without_peak(torch):  # fixed: 0 where PyTorch's mode is NaN
    D = torch.distributions
    c = torch.tensor(
        [[0.5, 0.3], [1.0, 1.0], [1.0, 0.5], [2.0, 3.0], [3.0, 0.2]], requires_grad=True
    )
    m = D.Dirichlet(c).mode
    m.nansum().backward()
    a = torch.tensor([1.0, 0.5, 2.0, 1.0], requires_grad=True)
    b = torch.tensor([1.0, 0.5, 1.0, 3.0], requires_grad=True)
    bm = D.Beta(a, b).mode
    bm.nansum().backward()
    return m, c.grad, bm, a.grad, b.grad


@program
def out_dtypes_of_selections(torch):  # fixed: values and indices were cast into any out
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    f64, i32, f32 = torch.float64, torch.int32, torch.float32

    def pair(dtype=None, index=torch.long):
        return torch.empty(0, dtype=dtype), torch.empty(0, dtype=index)

    calls = [
        lambda: torch.sort(x, out=pair(f64)),
        lambda: torch.sort(x, stable=True, out=pair(index=i32)),
        lambda: torch.topk(x, 1, out=pair(index=f32)),
        lambda: torch.max(x, 1, out=pair(f64)),
        lambda: torch.min(x, 0, out=pair(index=i32)),
        lambda: torch.kthvalue(x, 1, out=pair(f64)),
        lambda: torch.kthvalue(x, 1, out=pair(index=i32)),
        lambda: torch.median(x, 1, out=pair(f64)),
        lambda: torch.nanmedian(x, 1, out=pair(index=i32)),
        lambda: torch.mode(x, 1, out=pair(f64)),
        lambda: torch.mode(x, 1, out=pair(index=i32)),
        lambda: torch.cummax(x, 1, out=pair(f64)),
        lambda: torch.cummin(x, 1, out=pair(index=i32)),
        lambda: torch.msort(x, out=torch.empty(0, dtype=f64)),
        lambda: torch.argmax(x, 1, out=torch.empty(0, dtype=i32)),
        lambda: torch.argmin(x, 1, out=torch.empty(0, dtype=f32)),
        lambda: torch.logcumsumexp(x, 1, out=torch.empty(0, dtype=f64)),
        lambda: torch.logsumexp(x, 1, out=torch.empty(0, dtype=torch.long)),
        lambda: torch.any(x, 1, out=torch.empty(0, dtype=f32)),
        lambda: torch.all(x, out=torch.empty((), dtype=torch.long)),
    ]
    return [outcome(f) for f in calls]


@program(tol={"rtol": 1e-6, "atol": 1e-6})  # PyTorch's float64 logsumexp of float32 input
def out_dtypes_that_may_differ(torch):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    outs = [torch.empty(0, dtype=d) for d in (torch.uint8, torch.float64, torch.float64)]
    torch.all(x, 1, out=outs[0])
    torch.logsumexp(x, 1, out=outs[1])
    torch.max(x[0], x[1], out=outs[2])
    values, indices = torch.empty(0), torch.empty(0, dtype=torch.long)
    r = torch.sort(x, 1, descending=True, out=(values, indices))
    return outs, r, values, indices, type(r).__name__


@error(TypeError, r"isin\(\) received an invalid combination of arguments - got \(int, float\)")
def isin_of_two_numbers(torch):  # fixed: AttributeError ('float' object has no attribute _data)
    return torch.isin(2, 3.0)


# ---- argument forms no PyTorch overload takes ------------------------------------------------
@error(TypeError, r"max\(\) received an invalid combination of arguments")
def max_keepdim_without_dim(torch):  # fixed: answered the maximum
    return torch.tensor([[1.0, 5.0], [3.0, 2.0]]).max(keepdim=True)


@error(TypeError, r"min\(\) received an invalid combination of arguments")
def min_keepdim_without_dim(torch):  # fixed: answered the minimum
    return torch.min(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), keepdim=True)


@error(TypeError, r"std\(\) received an invalid combination of arguments - got \(correction=int, unbiased=bool, \)")  # fmt: skip
def std_unbiased_and_correction(torch):  # fixed: correction won
    return torch.tensor([[1.0, 2.0], [3.0, 4.0]]).std(unbiased=True, correction=1)


@error(TypeError, r"var_mean\(\) received an invalid combination of arguments")
def var_mean_unbiased_and_correction(torch):  # fixed: correction won
    return torch.var_mean(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), 1, unbiased=False, correction=0)


@program
def one_dim_ops_refuse_dim_none(torch):  # fixed: TypeError comparing int with None
    x = torch.ones(2, 3)
    calls = [
        lambda: torch.cumsum(x, dim=None),
        lambda: x.topk(1, dim=None),
        lambda: x.kthvalue(1, dim=None),
        lambda: x.mode(dim=None),
        lambda: x.unsqueeze(None),
    ]
    return [outcome(f)[0] for f in calls], x.argmax(dim=None), x.count_nonzero(dim=None)


@error(TypeError, r"argument 'dim' must be int, not NoneType")
def topk_dim_none(torch):  # fixed: TypeError comparing int with None
    return torch.ones(2).topk(1, dim=None)


@error(RuntimeError, r"torch.searchsorted\(\): sorter index out of range")
def searchsorted_sorter_out_of_range(torch):  # fixed: numpy's IndexError; -1 answered
    return torch.searchsorted(torch.tensor([3.0, 1.0]), torch.tensor([2.0]), sorter=torch.tensor([1, -1]))  # fmt: skip


@program
def all_any_over_no_dims(torch):  # fixed: dim=() reduced every dim (PyTorch tests elements)
    x = torch.arange(6.0).reshape(2, 3)
    u = torch.tensor([[0, 2]], dtype=torch.uint8)
    return torch.all(x, dim=()), x.any(dim=[], keepdim=True), u.all(()), x.all((0, 1)), x.sum(())


@program
def scans_of_scalars_check_dim(torch):  # fixed: cumprod/logcumsumexp/cummax answered dim 1
    s = torch.tensor(2.0)
    calls = [
        lambda: s.cumprod(1),
        lambda: s.logcumsumexp(-2),
        lambda: s.cummax(1),
        lambda: s.cummin(-3),
    ]
    return [outcome(f) for f in calls], s.cumprod(-1), s.cummin(0)


@error(TypeError, r"argmax\(\): argument 'dim' must be int, not list")
def argmax_of_dim_list(torch):  # fixed: RuntimeError of a repeated dim
    return torch.argmax(torch.arange(6.0).reshape(2, 3), dim=[0, -2])


@error(RuntimeError, r"Expected out tensor to have dtype float, but got double instead")
def norm_out_of_another_dtype(torch):  # fixed: cast into out
    return torch.norm(
        torch.tensor([[1.5, 5.0], [3.0, 2.0]]), dim=1, out=torch.empty(2, dtype=torch.float64)
    )


# ---- breadth: programs that agreed with PyTorch when written -------------------------------


def fams(torch):
    D = torch.distributions
    p = torch.tensor([0.2, 0.7])
    return {
        "Normal": D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Bernoulli": D.Bernoulli(p),
        "Beta": D.Beta(torch.tensor([2.0, 0.5]), torch.tensor([1.0, 3.0])),
        "Binomial": D.Binomial(5, p),
        "Categorical": D.Categorical(torch.tensor([[0.1, 0.9], [0.5, 0.5]])),
        "Cauchy": D.Cauchy(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Chi2": D.Chi2(torch.tensor([2.0, 3.0])),
        "Dirichlet": D.Dirichlet(torch.tensor([[1.0, 2.0], [0.5, 0.5]])),
        "Exponential": D.Exponential(torch.tensor([1.0, 3.0])),
        "FisherSnedecor": D.FisherSnedecor(torch.tensor([3.0, 5.0]), torch.tensor([4.0, 6.0])),
        "Gamma": D.Gamma(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5])),
        "Geometric": D.Geometric(p),
        "Gumbel": D.Gumbel(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "HalfCauchy": D.HalfCauchy(torch.tensor([1.0, 2.0])),
        "HalfNormal": D.HalfNormal(torch.tensor([1.0, 2.0])),
        "InverseGamma": D.InverseGamma(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5])),
        "Kumaraswamy": D.Kumaraswamy(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5])),
        "Laplace": D.Laplace(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "LogNormal": D.LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "LogisticNormal": D.LogisticNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Multinomial": D.Multinomial(4, torch.tensor([0.2, 0.3, 0.5])),
        "NegativeBinomial": D.NegativeBinomial(torch.tensor([3.0, 5.0]), p),
        "OneHotCategorical": D.OneHotCategorical(torch.tensor([0.1, 0.9])),
        "Pareto": D.Pareto(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])),
        "Poisson": D.Poisson(torch.tensor([1.0, 4.0])),
        "StudentT": D.StudentT(torch.tensor([3.0, 5.0])),
        "Uniform": D.Uniform(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 3.0])),
        "VonMises": D.VonMises(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Weibull": D.Weibull(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 0.5])),
        "ContinuousBernoulli": D.ContinuousBernoulli(p),
        "GeneralizedPareto": D.GeneralizedPareto(
            torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]), torch.tensor([0.1, -0.2])
        )
        if hasattr(D, "GeneralizedPareto")
        else None,
    }


@program
def d_shapes_and_props(torch):
    out = {}
    for k, d in fams(torch).items():
        if d is None:
            continue
        r = [
            tuple(d.batch_shape),
            tuple(d.event_shape),
            d.has_rsample,
            d.has_enumerate_support,
            tuple(d.sample((3,)).shape),
            tuple(d.sample().shape),
            str(d.support),
            sorted(d.arg_constraints),
        ]
        out[k] = r
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def d_log_prob_entropy_moments(torch):
    out = {}
    for k, d in fams(torch).items():
        if d is None:
            continue
        torch.manual_seed(2)
        x = d.sample((2,))
        r = [d.log_prob(x)]
        for attr in ("mean", "variance", "stddev", "mode"):
            try:
                r.append(getattr(d, attr))
            except NotImplementedError:
                r.append("NIE")
        try:
            r.append(d.entropy())
        except NotImplementedError:
            r.append("NIE")
        for m in ("cdf", "icdf"):
            try:
                r.append(getattr(d, m)(x if m == "cdf" else torch.full(d.batch_shape, 0.3)))
            except (NotImplementedError, ValueError) as e:
                r.append(type(e).__name__)
        out[k] = r
    return out


@program
def d_expand(torch):
    out = {}
    for k, d in fams(torch).items():
        if d is None:
            continue
        e = d.expand(torch.Size([3]) + d.batch_shape)
        torch.manual_seed(3)
        out[k] = (tuple(e.batch_shape), tuple(e.event_shape), e.sample().shape, type(e).__name__)
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def d_rsample_grads(torch):
    D = torch.distributions
    out = {}
    mk = {
        "Normal": lambda a, b: D.Normal(a, b),
        "Gamma": lambda a, b: D.Gamma(a, b),
        "Beta": lambda a, b: D.Beta(a, b),
        "Laplace": lambda a, b: D.Laplace(a - 1, b),
        "Gumbel": lambda a, b: D.Gumbel(a, b),
        "Uniform": lambda a, b: D.Uniform(a - 2, a + b),
        "LogNormal": lambda a, b: D.LogNormal(a, b),
        "Weibull": lambda a, b: D.Weibull(a, b),
        "Kumaraswamy": lambda a, b: D.Kumaraswamy(a, b),
        "StudentT": lambda a, b: D.StudentT(a + 2, a, b),
        "Cauchy": lambda a, b: D.Cauchy(a, b),
        "Pareto": lambda a, b: D.Pareto(a, b),
        "FisherSnedecor": lambda a, b: D.FisherSnedecor(a + 2, b + 3),
        "Exponential": lambda a, b: D.Exponential(a),
        "Dirichlet": lambda a, b: D.Dirichlet(torch.stack([a, b], -1)),
        "InverseGamma": lambda a, b: D.InverseGamma(a + 1, b),
        "HalfNormal": lambda a, b: D.HalfNormal(b),
    }
    for k, f in mk.items():
        a = torch.tensor([1.5, 2.5], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([0.7, 1.3], dtype=torch.float64, requires_grad=True)
        torch.manual_seed(4)
        d = f(a, b)
        s = d.rsample((3,))
        g = torch.autograd.grad(s.sum(), [a, b], allow_unused=True)
        d = f(a, b)
        lp = d.log_prob(s.detach()).sum()
        g2 = torch.autograd.grad(lp, [a, b], allow_unused=True)
        out[k] = (s, g, lp, g2)
    return out


@program
def v_param_errors(torch):
    D = torch.distributions
    cases = [
        lambda: D.Normal(0.0, -1.0),
        lambda: D.Normal(torch.tensor([0.0]), torch.tensor([0.0])),
        lambda: D.Bernoulli(torch.tensor([1.5])),
        lambda: D.Bernoulli(probs=torch.tensor(0.5), logits=torch.tensor(0.0)),
        lambda: D.Bernoulli(),
        lambda: D.Categorical(torch.tensor([-1.0, 2.0])),
        lambda: D.Categorical(torch.tensor(0.5)),
        lambda: D.Beta(torch.tensor(-1.0), torch.tensor(1.0)),
        lambda: D.Gamma(torch.tensor(1.0), torch.tensor(-2.0)),
        lambda: D.Exponential(torch.tensor(0.0)),
        lambda: D.Poisson(torch.tensor(-1.0)),
        lambda: D.Uniform(torch.tensor(1.0), torch.tensor(1.0)),
        lambda: D.Binomial(torch.tensor(-1.0), torch.tensor(0.5)),
        lambda: D.Geometric(torch.tensor(0.0)),
        lambda: D.Laplace(0.0, 0.0),
        lambda: D.StudentT(torch.tensor(-1.0)),
        lambda: D.Multinomial(3, torch.tensor([-0.1, 1.0])),
        lambda: D.Dirichlet(torch.tensor(1.0)),
        lambda: D.Dirichlet(torch.tensor([0.0, 1.0])),
        lambda: D.Pareto(torch.tensor(1.0), torch.tensor(0.0)),
        lambda: D.VonMises(torch.tensor(0.0), torch.tensor(-1.0)),
        lambda: D.Weibull(torch.tensor(-1.0), torch.tensor(1.0)),
        lambda: D.Chi2(torch.tensor(0.0)),
        lambda: D.Cauchy(0.0, float("nan")),
        lambda: D.Normal(float("nan"), 1.0),
        lambda: D.NegativeBinomial(torch.tensor(0.0), torch.tensor(0.5)).batch_shape,
        lambda: D.NegativeBinomial(torch.tensor(1.0), torch.tensor(1.0)),
        lambda: D.OneHotCategorical(torch.tensor([[0.0, 0.0]])),
        lambda: D.Normal(torch.zeros(2), torch.ones(3)),
        lambda: D.Gumbel(0.0, 0.0),
        lambda: D.HalfNormal(torch.tensor(-1.0)),
        lambda: D.LogNormal(0.0, -1.0),
        lambda: D.ContinuousBernoulli(torch.tensor(1.2)).probs,  # clamped, not validated
        lambda: D.Kumaraswamy(torch.tensor(0.0), torch.tensor(1.0)),
    ]
    return [outcome(c) for c in cases]


@program
def v_value_errors(torch):
    D = torch.distributions
    cases = [
        (D.Normal(0.0, 1.0), torch.tensor(float("nan"))),
        (D.Bernoulli(0.3), torch.tensor(0.5)),
        (D.Bernoulli(0.3), torch.tensor(2.0)),
        (D.Categorical(torch.tensor([0.5, 0.5])), torch.tensor(2)),
        (D.Categorical(torch.tensor([0.5, 0.5])), torch.tensor(-1)),
        (D.Exponential(1.0), torch.tensor(-1.0)),
        (D.Beta(2.0, 2.0), torch.tensor(1.5)),
        (D.Gamma(2.0, 2.0), torch.tensor(0.0)),
        (D.Gamma(2.0, 2.0), torch.tensor(-1.0)),
        (D.Uniform(0.0, 1.0), torch.tensor(1.0)),
        (D.Uniform(0.0, 1.0), torch.tensor(-0.1)),
        (D.Poisson(2.0), torch.tensor(1.5)),
        (D.Binomial(3, torch.tensor(0.4)), torch.tensor(4.0)),
        (D.Geometric(torch.tensor(0.4)), torch.tensor(-1.0)),
        (D.Multinomial(3, torch.tensor([0.5, 0.5])), torch.tensor([1.0, 1.0])),
        (D.OneHotCategorical(torch.tensor([0.5, 0.5])), torch.tensor([1.0, 1.0])),
        (D.Dirichlet(torch.tensor([1.0, 1.0])), torch.tensor([0.5, 0.6])),
        (D.Normal(torch.zeros(2), 1.0), torch.zeros(3)),
        (D.Normal(0.0, 1.0), [0.5]),
        (D.Pareto(1.0, 2.0), torch.tensor(0.5)),
        (D.HalfNormal(1.0), torch.tensor(-0.5)),
        (D.LogNormal(0.0, 1.0), torch.tensor(0.0)),
        (D.Weibull(1.0, 2.0), torch.tensor(-1.0)),
        (D.VonMises(0.0, 1.0), torch.tensor(4.0)),
        (D.MultivariateNormal(torch.zeros(2), torch.eye(2)), torch.zeros(3)),
    ]
    return [outcome(lambda d=d, v=v: d.log_prob(v)) for d, v in cases]


@program
def v_value_ok_without_validation(torch):
    D = torch.distributions
    cases = [
        (D.Bernoulli(torch.tensor(0.3), validate_args=False), torch.tensor(0.5)),
        (D.Exponential(torch.tensor(1.0), validate_args=False), torch.tensor(-1.0)),
        (D.Uniform(torch.tensor(0.0), torch.tensor(1.0), validate_args=False), torch.tensor(2.0)),
        (D.Beta(torch.tensor(2.0), torch.tensor(2.0), validate_args=False), torch.tensor(1.5)),
        (D.Poisson(torch.tensor(2.0), validate_args=False), torch.tensor(1.5)),
        (D.Gamma(torch.tensor(2.0), torch.tensor(1.0), validate_args=False), torch.tensor(-1.0)),
        (D.Geometric(torch.tensor(0.3), validate_args=False), torch.tensor(1.5)),
        (D.Categorical(torch.tensor([0.3, 0.7]), validate_args=False), torch.tensor(1)),
    ]
    return [outcome(lambda d=d, v=v: d.log_prob(v)) for d, v in cases]


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def kl_pairs_all(torch):
    D = torch.distributions
    p = torch.tensor([0.2, 0.7])
    ds = {
        "Normal": D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Bernoulli": D.Bernoulli(p),
        "Beta": D.Beta(torch.tensor([2.0, 0.5]), torch.tensor([1.0, 3.0])),
        "Binomial": D.Binomial(5, p),
        "Cauchy": D.Cauchy(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Exponential": D.Exponential(torch.tensor([1.0, 3.0])),
        "Gamma": D.Gamma(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5])),
        "Geometric": D.Geometric(p),
        "Gumbel": D.Gumbel(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "HalfNormal": D.HalfNormal(torch.tensor([1.0, 2.0])),
        "Laplace": D.Laplace(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "LogNormal": D.LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
        "Pareto": D.Pareto(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])),
        "Poisson": D.Poisson(torch.tensor([1.0, 4.0])),
        "Uniform": D.Uniform(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 3.0])),
        "ContinuousBernoulli": D.ContinuousBernoulli(p),
        "Chi2": D.Chi2(torch.tensor([2.0, 3.0])),
        "Weibull": D.Weibull(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 0.5])),
        "Categorical": D.Categorical(torch.tensor([[0.1, 0.9], [0.5, 0.5]])),
        "OneHot": D.OneHotCategorical(torch.tensor([[0.1, 0.9], [0.5, 0.5]])),
        "Dirichlet": D.Dirichlet(torch.tensor([[1.0, 2.0], [0.5, 0.5]])),
        "NegBin": D.NegativeBinomial(torch.tensor([3.0, 5.0]), p),
        "StudentT": D.StudentT(torch.tensor([3.0, 5.0])),
        "InverseGamma": D.InverseGamma(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5])),
    }
    out = {}
    for (a, da), (b, db) in itertools.product(ds.items(), ds.items()):
        out[a + "|" + b] = outcome(lambda db=db, da=da: D.kl_divergence(da, db))
    return out


def tr(torch):
    T = torch.distributions.transforms
    return {
        "exp": T.ExpTransform(),
        "pow": T.PowerTransform(torch.tensor(2.0)),
        "sig": T.SigmoidTransform(),
        "tanh": T.TanhTransform(),
        "softplus": T.SoftplusTransform(),
        "abs": T.AbsTransform(),
        "affine": T.AffineTransform(torch.tensor(1.0), torch.tensor(-2.0)),
        "affine_ev": T.AffineTransform(torch.zeros(3), torch.ones(3), event_dim=1),
        "softmax": T.SoftmaxTransform(),
        "stick": T.StickBreakingTransform(),
        "lowchol": T.LowerCholeskyTransform(),
        "corrchol": T.CorrCholeskyTransform(),
        "posdef": T.PositiveDefiniteTransform(),
        "indep": T.IndependentTransform(T.ExpTransform(), 1),
        "reshape": T.ReshapeTransform((2, 3), (3, 2)),
        "cat": T.CatTransform([T.ExpTransform(), T.identity_transform], dim=0, lengths=[1, 2]),
        "stack": T.StackTransform([T.ExpTransform(), T.SigmoidTransform()], dim=0),
        "compose": T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)]),
        "inv_exp": T.ExpTransform().inv,
        "cdf": T.CumulativeDistributionTransform(torch.distributions.Normal(0.0, 1.0)),
    }


@program
def tr_props(torch):
    out = {}
    for k, x in tr(torch).items():
        out[k] = [
            str(x.domain),
            str(x.codomain),
            x.bijective,
            getattr(x, "sign", None) if k in ("exp", "sig", "affine", "tanh", "softplus") else None,
            x.domain.event_dim,
            x.codomain.event_dim,
            repr(x),
            outcome(lambda x=x: tuple(x.forward_shape((4, 2, 3)))),
            outcome(lambda x=x: tuple(x.inverse_shape((4, 2, 3)))),
        ]
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def tr_values(torch):
    torch.manual_seed(0)
    inputs = {
        "exp": torch.randn(4),
        "pow": torch.rand(4) + 0.1,
        "sig": torch.randn(4),
        "tanh": torch.randn(4),
        "softplus": torch.randn(4),
        "abs": torch.randn(4),
        "affine": torch.randn(4),
        "affine_ev": torch.randn(2, 3),
        "softmax": torch.randn(2, 3),
        "stick": torch.randn(2, 3),
        "lowchol": torch.randn(2, 3, 3),
        "corrchol": torch.randn(2, 3),
        "posdef": torch.randn(2, 3, 3),
        "indep": torch.randn(2, 3),
        "reshape": torch.randn(4, 2, 3),
        "cat": torch.randn(3, 2),
        "stack": torch.randn(2, 3),
        "compose": torch.randn(4),
        "inv_exp": torch.rand(4) + 0.1,
        "cdf": torch.randn(4),
    }
    out = {}
    for k, x in tr(torch).items():
        v = inputs[k]
        y = x(v)
        r = [
            y,
            outcome(lambda y=y, x=x: x.inv(y)),
            outcome(lambda y=y, v=v, x=x: x.log_abs_det_jacobian(v, y)),
        ]
        out[k] = r
    return out


@program
def constraints_checks(torch):
    C = torch.distributions.constraints
    v = torch.tensor([-1.0, 0.0, 0.5, 1.0, 2.0, float("nan"), float("inf")])
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
        C.greater_than(0.5),
        C.greater_than_eq(0.5),
        C.less_than(0.5),
        C.open_interval(0.0, 1.0) if hasattr(C, "open_interval") else C.real,
    ]
    out = [(str(c), c.check(v), c.is_discrete, c.event_dim) for c in cs]
    m = torch.tensor([[1.0, 0.0], [0.5, 2.0]])
    out += [
        C.lower_triangular.check(m),
        C.lower_cholesky.check(m),
        C.positive_definite.check(m @ m.T),
        C.simplex.check(torch.tensor([0.3, 0.7])),
        C.corr_cholesky.check(torch.eye(2)),
        C.real_vector.check(torch.zeros(2, 3)),
        C.independent(C.positive, 1).check(torch.tensor([[1.0, -1.0], [1.0, 2.0]])),
        str(C.independent(C.positive, 1)),
        C.cat([C.positive, C.real], 0, [1, 2]).check(torch.tensor([-1.0, 2.0, -3.0])),
        C.stack([C.positive, C.real], 0).check(torch.tensor([[-1.0, 2.0], [1.0, -3.0]])),
        C.is_dependent(C.dependent),
        C.is_dependent(C.real),
        C.positive_semidefinite.check(torch.zeros(2, 2)),
        C.square.check(torch.zeros(2, 3)),
        C.symmetric.check(m),
        C.multinomial(3).check(torch.tensor([1.0, 2.0])),
        C.one_hot.check(torch.tensor([[0.0, 1.0], [1.0, 1.0]])),
        C.integer_interval(0, 3).check(torch.tensor([1.5, 2.0])),
    ]
    return out


@program
def transformed_dist_various(torch):
    D, T = torch.distributions, torch.distributions.transforms
    base = D.Normal(torch.zeros(3), torch.ones(3))
    d1 = D.TransformedDistribution(base, T.StickBreakingTransform())
    d2 = D.TransformedDistribution(D.Independent(base, 1), [T.ReshapeTransform((3,), (3, 1))])
    d3 = D.TransformedDistribution(base, [T.SigmoidTransform(), T.AffineTransform(2.0, 3.0)])
    x1 = d1.sample((2,))
    x3 = d3.sample()
    return (
        d1.batch_shape,
        d1.event_shape,
        x1,
        d1.log_prob(x1),
        d2.batch_shape,
        d2.event_shape,
        d2.sample().shape,
        d2.log_prob(torch.zeros(3, 1)),
        d3.log_prob(x3),
        d3.cdf(x3),
        d3.icdf(torch.tensor([0.2, 0.5, 0.9])),
        str(d3.support),
        d3.has_rsample,
        repr(d3),
        d1.expand((4,)).batch_shape,
    )


@error(ValueError, r"base_distribution needs to have shape with size at least")
def e_td_small(torch):
    D, T = torch.distributions, torch.distributions.transforms
    return D.TransformedDistribution(D.Normal(0.0, 1.0), [T.StickBreakingTransform()])


@error(ValueError, r"transforms must be a Transform or a list of Transforms")
def e_td_bad(torch):
    return torch.distributions.TransformedDistribution(torch.distributions.Normal(0.0, 1.0), [1])


@program
def transform_eq_and_cache(torch):
    T = torch.distributions.transforms
    a = T.ExpTransform()
    b = T.ExpTransform(cache_size=1)
    x = torch.tensor([0.5])
    y = b(x)
    return (
        a == b,
        a == a.inv.inv,
        a.inv == b.inv,
        T.AffineTransform(1.0, 2.0) == T.AffineTransform(1.0, 2.0),
        b.inv(y) is x,
        a.with_cache(1).inv(a.with_cache(1)(x)) is x,
        T.identity_transform == T.ComposeTransform([]),
        outcome(lambda: T.ExpTransform(cache_size=2)),
    )


@program
def r_dim_empty_list(torch):
    x = torch.arange(6.0).reshape(2, 3)
    ops = [
        "sum",
        "mean",
        "nansum",
        "nanmean",
        "amax",
        "amin",
        "std",
        "var",
        "count_nonzero",
        "norm",
        "all",
        "any",
        "aminmax",
        "max",
        "argmax",
        "std_mean",
        "var_mean",
    ]
    out = {}
    for o in ops:
        f = getattr(torch, o)
        out[o] = [
            outcome_kind(lambda f=f: f(x, dim=[])),
            outcome_kind(lambda f=f: f(x, dim=[], keepdim=True)),
            outcome_kind(lambda f=f: f(x, dim=None, keepdim=True)),
            outcome_kind(lambda f=f: f(x, dim=(0, 1))),
            outcome_kind(lambda f=f: f(x, (1, 0), keepdim=True)),
            outcome_kind(lambda f=f: f(x, dim=[0, -2])),
        ]
    return out


@program
def r_zero_dim_extremes(torch):
    s = torch.tensor(2.0)
    ops = [
        "sum",
        "mean",
        "amax",
        "amin",
        "std",
        "var",
        "logsumexp",
        "prod",
        "all",
        "any",
        "max",
        "argmax",
        "median",
        "nanmedian",
        "mode",
        "cumsum",
        "cumprod",
        "logcumsumexp",
        "sort",
        "argsort",
        "msort",
    ]
    out = {}
    for o in ops:
        f = getattr(torch, o)
        out[o] = [
            outcome_kind(lambda f=f: f(s, 0)),
            outcome_kind(lambda f=f: f(s, -1)),
            outcome_kind(lambda f=f: f(s, 1)),
            outcome_kind(lambda f=f: f(s, (0,))),
            outcome_kind(lambda f=f: f(s, 0, True)),
        ]
    return out


@program
def r_dtype_errors(torch):
    i = torch.tensor([1, 2, 3])
    b = torch.tensor([True, False])
    h = torch.tensor([1.0, 2.0], dtype=torch.float16)
    return [
        outcome(lambda: i.mean()),
        outcome(lambda: b.mean()),
        outcome(lambda: i.std()),
        outcome(lambda: i.var()),
        outcome(lambda: i.nanmean()),
        outcome(lambda: i.median()),
        outcome(lambda: i.nansum()),
        outcome(lambda: b.nansum()),
        outcome(lambda: i.logsumexp(0)),
        outcome(lambda: i.norm()),
        outcome(lambda: i.sum(dtype=torch.bool)),
        outcome(lambda: h.sum(dtype=torch.int32)),
        outcome(lambda: i.mean(dtype=torch.int64)),
        outcome(lambda: i.cumsum(0, dtype=torch.bool)),
        outcome(lambda: i.prod(dtype=torch.float16)),
        outcome(lambda: torch.tensor([1.5]).cumsum(0, dtype=torch.int32)),
        outcome(lambda: i.nanmedian()),
        outcome(lambda: i.quantile(0.5)),
        outcome(lambda: i.float().quantile(torch.tensor([0.5], dtype=torch.float64))),
        outcome(lambda: b.cumprod(0)),
        outcome(lambda: b.logcumsumexp(0)),
        outcome(lambda: b.std()),
        outcome(lambda: i.var_mean()),
        outcome(lambda: b.amax()),
        outcome(lambda: b.prod(dtype=torch.bool)),
    ]


@program
def r_out_args(torch):
    x = torch.tensor([[1.0, 5.0, 2.0], [3.0, 2.0, 0.0]])
    o = torch.empty(0)
    v, ix = torch.empty(0), torch.empty(0, dtype=torch.long)
    torch.sum(x, 1, out=o)
    torch.max(x, 1, out=(v, ix))
    s, si = torch.empty(3), torch.empty(3, dtype=torch.long)
    torch.sort(x[0], out=(s, si))
    c = torch.empty(2, 3)
    torch.cumsum(x, 1, out=c)
    m = torch.empty(())
    torch.mean(x, out=m)
    return (
        o,
        v,
        ix,
        s,
        si,
        c,
        m,
        outcome(lambda: torch.sum(x, 1, out=torch.empty(2, dtype=torch.long))),
        outcome(lambda: torch.max(x, 1, out=(torch.empty(0), torch.empty(0)))),
    )


@program
def r_nan_in_all_ops(torch):
    x = torch.tensor([[1.0, float("nan"), 2.0], [float("inf"), float("-inf"), 0.0]])
    return [
        x.sum(1),
        x.mean(0),
        x.prod(1),
        x.std(1),
        x.amax(0),
        x.amin(1),
        x.logsumexp(1),
        x.cumsum(1),
        x.cumprod(1),
        x.cummin(1),
        x.logcumsumexp(1),
        x.norm(dim=1),
        x.var(0),
        x.median(0),
        x.kthvalue(2, 1),
        x.mode(1),
        x.topk(2, 1),
        x.sort(1),
        x.unique(),
        x.count_nonzero(1),
        x.all(1),
        x.any(0),
        x.argmin(1),
    ]


@program
def r_int_overflow(torch):
    x = torch.tensor([2**31 - 1, 1], dtype=torch.int32)
    y = torch.tensor([2**62, 2**62], dtype=torch.int64)
    u = torch.tensor([250, 10], dtype=torch.uint8)
    return (
        x.sum(),
        x.cumsum(0),
        x.sum(dtype=torch.int32),
        y.sum(),
        u.sum(dtype=torch.uint8),
        u.cumsum(0, dtype=torch.uint8),
        x.prod(),
        torch.tensor([2**40, 2**40]).prod(),
        x.amax(),
        u.prod(),
    )


@program
def r_std_var_edge(torch):
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    one = torch.tensor([[5.0]])
    return [
        outcome(lambda: x.std(0, correction=2)),
        outcome(lambda: x.var(correction=4)),
        outcome(lambda: x.var(correction=5)),
        outcome(lambda: one.std()),
        outcome(lambda: one.var(0)),
        outcome(lambda: one.std(correction=0)),
        outcome(lambda: torch.zeros(0).var()),
        outcome(lambda: torch.zeros(0).std(correction=0)),
        outcome(lambda: x.var(correction=-1)),
        outcome(lambda: torch.var_mean(one, correction=3)),
        outcome(lambda: x.std(dim=1, unbiased=False, keepdim=True)),
    ]


@program
def s_neg_zero_stable(torch):
    x = torch.tensor([0.0, -0.0, 1.0, -0.0, 0.0])
    s = x.sort(stable=True)
    return (
        s.indices,
        torch.signbit(s.values),
        x.argsort(stable=True, descending=True),
        x.unique(return_counts=True),
        x.topk(2).indices,
    )


@program
def s_noncontig(torch):
    x = torch.arange(24.0).reshape(4, 6)[:, ::2].flip(0)
    return (
        x.sort(0),
        x.sort(1, descending=True),
        x.t().topk(2),
        x.kthvalue(2, 0),
        x.argsort(0),
        x.unique(dim=1),
        x.median(0),
    )


@program
def s_searchsorted_more(torch):
    b = torch.tensor([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    v = torch.tensor([[3.0, 6.0], [1.0, 7.0]])
    nanb = torch.tensor([1.0, 2.0, float("nan")])
    return [
        outcome(lambda: torch.searchsorted(b, v, side="right")),
        outcome(lambda: torch.searchsorted(torch.tensor([]), torch.tensor([1.0]))),
        outcome(lambda: torch.searchsorted(nanb, torch.tensor([float("nan"), 3.0]))),
        outcome(lambda: torch.searchsorted(torch.tensor([1.0, 2.0]), 1.5, out_int32=True)),
        outcome(lambda: torch.searchsorted(b, torch.tensor(1.0))),
        outcome(lambda: torch.bucketize(torch.tensor(3), torch.tensor([1, 3, 5]), right=True)),
        outcome(
            lambda: torch.searchsorted(torch.tensor([1.0, 2.0]), torch.tensor([1.0]), side="middle")
        ),
        outcome(
            lambda: torch.searchsorted(
                torch.tensor([1, 2]), torch.tensor([1.5]), sorter=torch.tensor([1, 0])
            )
        ),
        outcome(
            lambda: torch.searchsorted(
                torch.tensor([3.0, 1.0]), torch.tensor([2.0]), sorter=torch.tensor([[1, 0]])
            )
        ),
        outcome(lambda: torch.searchsorted(torch.tensor([1.0, 2.0]), torch.tensor([True]))),
        outcome(
            lambda: torch.searchsorted(
                torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor([1.5])
            )
        ),
        outcome(
            lambda: torch.bucketize(torch.tensor([1.5]), torch.tensor([1, 2]), out_int32=True).dtype
        ),
        outcome(
            lambda: torch.searchsorted(
                torch.tensor([3.0, 1.0]), torch.tensor([2.0]), sorter=torch.tensor([1, 5])
            )
        ),
        outcome(lambda: torch.searchsorted(torch.zeros(2, 0), torch.zeros(2, 3))),
    ]


@program
def s_topk_dims(torch):
    x = torch.tensor([[[3.0, 1.0], [2.0, 5.0]], [[0.0, 4.0], [6.0, 6.0]]])
    return [
        x.topk(1, 0),
        x.topk(2, 1, largest=False),
        x.topk(1, -1, sorted=False),
        x.kthvalue(1, 0, True),
        x.topk(2, dim=1)[1],
        outcome(lambda: x.topk(3, 1)),
        outcome(lambda: x.topk(1, 3)),
        outcome(lambda: x.kthvalue(3, 2)),
        outcome(lambda: torch.tensor(5.0).topk(2)),
        outcome(lambda: torch.tensor(5.0).kthvalue(2)),
        outcome(lambda: torch.tensor(5.0).topk(0)),
        outcome(lambda: x.sort(3)),
        outcome(lambda: x.argsort(-4)),
    ]


@program
def s_unique_more(torch):
    x = torch.tensor([[2, 1, 2], [1, 1, 3]])
    r = [
        torch.unique(x, return_inverse=True),
        torch.unique(x, sorted=False, return_inverse=True, return_counts=True),
        torch.unique(x.float().half(), return_counts=True),
        torch.unique_consecutive(x, dim=1, return_inverse=True, return_counts=True),
        torch.unique(x, dim=-1, return_inverse=True),
        outcome(lambda: torch.unique(x, dim=2)),
        torch.unique(torch.zeros(0, 3), dim=0, return_inverse=True, return_counts=True),
        outcome(lambda: torch.unique(torch.zeros(3, 0), dim=0)),
        torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2])),
        torch.unique(torch.tensor([1, 1, 2]).to(torch.uint8)),
        torch.unique_consecutive(torch.tensor([5])),
        torch.unique_consecutive(torch.tensor(5), return_inverse=True, return_counts=True),
        torch.unique(torch.tensor(5), return_inverse=True),
    ]
    return r


@program
def s_isin_nonzero_where(torch):
    x = torch.tensor([[1, 2, 3], [4, 0, 2]])
    return [
        torch.isin(x, torch.tensor([2, 4])),
        torch.isin(x, torch.tensor([2, 4]), invert=True),
        torch.isin(x, 2),
        torch.isin(3, x),
        torch.isin(x, torch.tensor([2.0, 4.5])),
        x.nonzero(),
        x.nonzero(as_tuple=True),
        torch.argwhere(x),
        torch.where(x > 1),
        torch.tensor(0).nonzero(),
        torch.tensor(3).nonzero(as_tuple=True),
        torch.zeros(0, 2).nonzero(),
        torch.isin(torch.tensor([1.0, float("nan")]), torch.tensor([float("nan")])),
    ]


@program
def s_max_min_dim_variants(torch):
    x = torch.tensor([[1, 7, 7], [4, 4, 0]], dtype=torch.int8)
    f = x.float().requires_grad_()
    r = f.max(dim=1, keepdim=True)
    r.values.sum().backward()
    return [
        x.max(1),
        x.min(0, True),
        x.max(-1)[1],
        x.argmax(0),
        x.argmin(1, True),
        x.amax((0, 1)),
        r,
        f.grad,
        torch.max(x, dim=1).indices,
        x.min(dim=-2),
        x.aminmax(dim=1, keepdim=True),
    ]


@program
def s_kthvalue_mode_keepdim(torch):
    x = torch.tensor([[1.0, 2.0, 2.0, 3.0], [4.0, 4.0, 1.0, 1.0]])
    return (
        x.kthvalue(2, 1, True),
        x.kthvalue(1, 0),
        x.mode(1, True),
        x.mode(0),
        x.median(1, True),
        torch.kthvalue(x, 4),
        x.nanmedian(1, keepdim=True),
    )


@program
def d_invalid_broadcast(torch):
    D = torch.distributions
    cases = [
        lambda: D.Normal(torch.tensor([[0, 0]]), torch.tensor([1, 1, 1, 1])),
        lambda: D.Kumaraswamy(torch.tensor([[1, 1]]), torch.tensor([1, 1, 1, 1])),
        lambda: D.Gumbel(torch.tensor([[0.0, 0.0]]), torch.tensor([1.0, 1, 1, 1])),
        lambda: D.FisherSnedecor(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0, 1.0])),
        lambda: D.Gamma(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0, 1.0])),
        lambda: D.StudentT(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0, 1.0])),
        lambda: D.Pareto(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0, 1.0])),
        lambda: D.Beta(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0, 1.0])),
        lambda: D.Uniform(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0, 1.0])),
        lambda: D.Binomial(torch.tensor([1.0, 1.0]), torch.tensor([0.5, 0.5, 0.5])),
        lambda: D.VonMises(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0, 1.0])),
    ]
    return [outcome(c) for c in cases]


@program
def d_int_params(torch):
    D = torch.distributions
    r = []
    for f in (
        lambda: D.Normal(torch.tensor([0, 1]), torch.tensor([1, 2])),
        lambda: D.Kumaraswamy(torch.tensor([1, 2]), torch.tensor([1, 1])),
        lambda: D.Exponential(torch.tensor([1, 2])),
        lambda: D.Poisson(torch.tensor([1, 2])),
        lambda: D.Uniform(0, 1),
        lambda: D.Normal(0, 1),
        lambda: D.Gamma(2, 3),
        lambda: D.Bernoulli(torch.tensor([0, 1])),
        lambda: D.Categorical(torch.tensor([1, 3])),
        lambda: D.Binomial(3, torch.tensor([0.5])),
    ):

        def go(f=f):
            d = f()
            torch.manual_seed(0)
            s = d.sample()
            return d.batch_shape, s, s.dtype, d.log_prob(s), d.mean

        r.append(outcome(go))
    return r


@program
def d_shapes_log_prob_scalars(torch):
    D = torch.distributions
    s1 = torch.ones(3, 2)
    s2 = torch.ones(3, 2, 3)
    out = []
    for d in (
        D.Bernoulli(0.3),
        D.Geometric(0.3),
        D.Beta(0.1, 0.2),
        D.Binomial(10, 0.3),
        D.Categorical(torch.tensor([0.2, 0.8])),
        D.Gamma(1.0, 1.0),
        D.Chi2(2.0),
        D.StudentT(2.0),
        D.Pareto(1.0, 1.0),
        D.Poisson(2.0),
        D.Uniform(0.0, 2.0),
        D.Exponential(1.0),
        D.Laplace(0.0, 1.0),
        D.Normal(0.0, 1.0),
        D.Cauchy(0.0, 1.0),
        D.HalfCauchy(1.0),
        D.HalfNormal(1.0),
        D.OneHotCategorical(torch.tensor([0.6, 0.2, 0.2])),
        D.Dirichlet(torch.tensor([0.6, 0.2, 0.2])),
        D.Multinomial(1, torch.tensor([0.6, 0.4])),
    ):
        out.append(
            (
                type(d).__name__,
                d.batch_shape,
                d.event_shape,
                outcome(lambda d=d: d.log_prob(s1).shape),
                outcome(lambda d=d: d.log_prob(s2).shape),
                outcome(lambda d=d: d.log_prob(torch.tensor(1.0)).shape),
                outcome(lambda d=d: d.sample((2, 3)).shape),
            )
        )
    return out


@program
def d_log_prob_shape_errors(torch):
    D = torch.distributions
    d = D.Normal(torch.zeros(3, 2), 1.0)
    mvn = D.MultivariateNormal(torch.zeros(2), torch.eye(2))
    cat = D.Categorical(torch.ones(3, 4))
    return [
        outcome(lambda: d.log_prob(torch.zeros(4))),
        outcome(lambda: d.log_prob(torch.zeros(4, 3, 2)).shape),
        outcome(lambda: mvn.log_prob(torch.zeros(3, 3))),
        outcome(lambda: cat.log_prob(torch.zeros(2, dtype=torch.long))),
        outcome(lambda: cat.log_prob(torch.zeros(5, 3, dtype=torch.long)).shape),
        outcome(lambda: cat.log_prob(torch.zeros(1, dtype=torch.long)).shape),
        outcome(lambda: D.Dirichlet(torch.ones(2, 3)).log_prob(torch.ones(4, 3) / 3)),
        outcome(lambda: D.Dirichlet(torch.ones(2, 3)).log_prob(torch.ones(3, 1, 3) / 3).shape),
    ]


@program
def d_enumerate(torch):
    D = torch.distributions
    r = []
    for d in (
        D.Bernoulli(torch.tensor([0.1, 0.9])),
        D.Categorical(torch.ones(2, 3)),
        D.OneHotCategorical(torch.ones(2, 3)),
        D.Binomial(torch.tensor(3), torch.tensor([0.1, 0.9])),
        D.Independent(D.Bernoulli(torch.tensor([0.1, 0.9])), 1),
    ):
        r.append(
            (
                outcome(lambda d=d: d.enumerate_support()),
                outcome(lambda d=d: d.enumerate_support(expand=False)),
                outcome(lambda d=d: d.enumerate_support().dtype),
            )
        )
    return r


@program
def d_lazy_props_grads(torch):
    D = torch.distributions
    p = torch.tensor([0.2, 0.6], requires_grad=True)
    b = D.Bernoulli(probs=p)
    lg = b.logits
    lg.sum().backward()
    l = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = D.Categorical(logits=l)
    c.probs[1].backward()
    return (
        lg,
        p.grad,
        c.logits,
        l.grad,
        c.param_shape,
        b.param_shape,
        D.Geometric(logits=torch.tensor(0.3)).probs,
        D.Binomial(3, logits=torch.tensor(-1.0)).probs,
        D.Categorical(logits=torch.tensor([0.0, -float("inf")])).entropy(),
    )


@program
def d_mixture(torch):
    D = torch.distributions
    mix = D.Categorical(torch.tensor([0.3, 0.7]))
    comp = D.Normal(torch.tensor([-1.0, 2.0]), torch.tensor([0.5, 1.0]))
    m = D.MixtureSameFamily(mix, comp)
    x = torch.tensor([0.0, 1.5, -1.0])
    return [
        m.log_prob(x),
        m.cdf(x),
        m.mean,
        m.variance,
        m.sample((3,)),
        m.batch_shape,
        m.event_shape,
        str(m.support),
        outcome(lambda: D.MixtureSameFamily(torch.tensor([0.5]), comp)),
        outcome(lambda: D.MixtureSameFamily(D.Categorical(torch.ones(3)), comp)),
        outcome(lambda: m.entropy()),
        outcome(lambda: m.rsample()),
        repr(m).replace("\n", "|"),
    ]


@program
def d_independent_more(torch):
    D = torch.distributions
    base = D.Normal(torch.zeros(2, 3), torch.ones(2, 3))
    i = D.Independent(base, 2)
    return [
        i.batch_shape,
        i.event_shape,
        i.log_prob(torch.zeros(2, 3)),
        i.entropy(),
        i.mean.shape,
        i.has_rsample,
        str(i.support),
        outcome(lambda: D.Independent(base, 3)),
        i.expand((4,)).batch_shape,
        repr(i),
        i.reinterpreted_batch_ndims,
        outcome(lambda: D.Independent(base, 0).batch_shape),
    ]


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def d_edge_moments(torch):
    D = torch.distributions
    ds = {
        "StudentT": D.StudentT(torch.tensor([0.5, 1.0, 1.5, 2.0, 3.0])),
        "Pareto": D.Pareto(torch.ones(5), torch.tensor([0.5, 1.0, 1.5, 2.0, 3.0])),
        "Fisher": D.FisherSnedecor(torch.ones(5) * 3, torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])),
        "Gamma": D.Gamma(torch.tensor([0.5, 1.0, 2.0, 3.0, 0.1]), torch.ones(5)),
        "Beta": D.Beta(
            torch.tensor([0.5, 1.0, 2.0, 1.0, 3.0]), torch.tensor([0.5, 1.0, 1.0, 2.0, 0.5])
        ),
        "Dirichlet": D.Dirichlet(torch.tensor([[0.5, 2.0], [2.0, 3.0], [1.0, 1.0]])),
        "Kumaraswamy": D.Kumaraswamy(
            torch.tensor([0.5, 1.0, 2.0, 3.0, 1.0]), torch.tensor([0.5, 1.0, 2.0, 1.0, 3.0])
        ),
        "Weibull": D.Weibull(torch.ones(5), torch.tensor([0.5, 1.0, 2.0, 3.0, 1.0])),
        "Binomial": D.Binomial(
            torch.tensor([0.0, 1.0, 5.0, 10.0, 3.0]), torch.tensor([0.0, 0.5, 1.0, 0.3, 0.9])
        ),
        "Geometric": D.Geometric(torch.tensor([0.1, 0.5, 1.0])),
        "Poisson": D.Poisson(torch.tensor([0.0, 0.5, 3.0, 10.0])),
        "NegBin": D.NegativeBinomial(torch.tensor([0.5, 1.0, 5.0]), torch.tensor([0.2, 0.5, 0.8])),
        "Uniform": D.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([1.0, 1.0])),
        "InvGamma": D.InverseGamma(torch.tensor([0.5, 1.0, 2.0, 3.0]), torch.ones(4)),
        "VonMises": D.VonMises(torch.zeros(3), torch.tensor([0.01, 1.0, 100.0])),
        "HalfCauchy": D.HalfCauchy(torch.ones(2)),
        "Cauchy": D.Cauchy(torch.zeros(2), torch.ones(2)),
        "Bernoulli": D.Bernoulli(torch.tensor([0.0, 0.5, 1.0, 0.3])),
        "Categorical": D.Categorical(torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])),
        "Multinomial": D.Multinomial(3, torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])),
        "ContBern": D.ContinuousBernoulli(torch.tensor([0.1, 0.5, 0.3, 0.9])),
        "LogNormal": D.LogNormal(torch.zeros(2), torch.tensor([0.5, 2.0])),
        "Chi2": D.Chi2(torch.tensor([1.0, 2.0, 3.0])),
        "Exponential": D.Exponential(torch.tensor([0.5, 2.0])),
        "Gumbel": D.Gumbel(torch.zeros(2), torch.ones(2)),
        "Laplace": D.Laplace(torch.zeros(2), torch.ones(2)),
        "OneHot": D.OneHotCategorical(torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])),
        "RelaxedBern": D.RelaxedBernoulli(torch.tensor(0.5), torch.tensor([0.3, 0.7])),
    }
    out = {}
    for k, d in ds.items():
        out[k] = [
            outcome(lambda a=a, d=d: getattr(d, a)) for a in ("mean", "mode", "variance", "stddev")
        ] + [outcome(lambda d=d: d.entropy())]
    return out


@program
def d_cdf_icdf_errors(torch):
    D = torch.distributions
    n = D.Normal(0.0, 1.0)
    u = D.Uniform(0.0, 1.0)
    e = D.Exponential(2.0)
    return [
        outcome(lambda: n.icdf(torch.tensor(1.5))),
        outcome(lambda: n.icdf(torch.tensor([0.0, 1.0]))),
        outcome(lambda: u.cdf(torch.tensor(2.0))),
        outcome(lambda: e.cdf(torch.tensor(-1.0))),
        outcome(lambda: e.icdf(torch.tensor(1.0))),
        outcome(lambda: D.Bernoulli(0.3).cdf(torch.tensor(1.0))),
        outcome(lambda: D.Gamma(2.0, 1.0).cdf(torch.tensor(1.0))),
        outcome(lambda: D.Gamma(2.0, 1.0).icdf(torch.tensor(0.5))),
        outcome(lambda: D.Laplace(0.0, 1.0).icdf(torch.tensor([0.1, 0.9]))),
        outcome(lambda: D.Cauchy(0.0, 1.0).icdf(torch.tensor([0.1, 0.9]))),
        outcome(lambda: D.HalfNormal(1.0).icdf(torch.tensor([0.1, 0.9]))),
        outcome(lambda: D.HalfCauchy(1.0).cdf(torch.tensor([-1.0]))),
        outcome(lambda: D.Uniform(0.0, 2.0).icdf(torch.tensor([0.25]))),
    ]


@program
def d_sample_shape_forms(torch):
    D = torch.distributions
    n = D.Normal(torch.zeros(2), torch.ones(2))
    return [
        n.sample([3]).shape,
        n.sample(torch.Size([2, 1])).shape,
        n.rsample((0,)).shape,
        outcome(lambda: n.sample(3).shape),
        n.sample_n(2).shape if hasattr(n, "sample_n") else None,
        D.Categorical(torch.ones(4)).sample((2, 3)).shape,
        D.Bernoulli(0.5).sample((2,)).shape,
        outcome(lambda: D.Bernoulli(0.5).rsample()),
        outcome(lambda: D.Categorical(torch.ones(2)).rsample()),
        D.Dirichlet(torch.ones(3)).sample((2,)).shape,
        D.MultivariateNormal(torch.zeros(2), torch.eye(2)).sample((4,)).shape,
        outcome(lambda: D.Poisson(1.0).rsample()),
    ]


@program
def d_kl_errors(torch):
    D = torch.distributions
    return [
        outcome(lambda: D.kl_divergence(D.Normal(0.0, 1.0), D.Bernoulli(0.5))),
        outcome(lambda: D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.5, 1.0))),
        outcome(lambda: D.kl_divergence(D.Beta(1.0, 1.0), D.Uniform(0.0, 0.5))),
        outcome(lambda: D.kl_divergence(D.Exponential(1.0), D.Normal(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Gamma(2.0, 1.0), D.Normal(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(0.0, 1.0), D.Normal(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(0.0, 1.0), D.Gumbel(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Normal(0.0, 1.0), D.Gumbel(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Laplace(0.0, 1.0), D.Normal(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(0.0, 1.0), D.Exponential(1.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(-1.0, 1.0), D.Exponential(1.0))),
        outcome(lambda: D.kl_divergence(D.Poisson(2.0), D.Poisson(0.0))),
        outcome(lambda: D.kl_divergence(D.Bernoulli(0.0), D.Bernoulli(1.0))),
        outcome(
            lambda: D.kl_divergence(
                D.Bernoulli(torch.tensor([0.0, 1.0, 0.5])),
                D.Bernoulli(torch.tensor([0.0, 1.0, 0.0])),
            )
        ),
        outcome(lambda: D.kl_divergence(D.Beta(2.0, 3.0), D.ContinuousBernoulli(0.3))),
        outcome(lambda: D.kl_divergence(D.Exponential(1.0), D.Gumbel(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Gamma(2.0, 1.0), D.Gumbel(0.0, 1.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(1.0, 2.0), D.Pareto(1.0, 2.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(1.0, 2.0), D.Beta(1.0, 2.0))),
        outcome(lambda: D.kl_divergence(D.Uniform(0.0, 1.0), D.Beta(1.0, 2.0))),
        outcome(lambda: D.kl_divergence(D.Pareto(1.0, 2.0), D.Exponential(1.0))),
        outcome(lambda: D.kl_divergence(D.HalfNormal(1.0), D.HalfNormal(2.0))),
        outcome(lambda: D.kl_divergence(D.Geometric(0.3), D.Geometric(0.5))),
        outcome(lambda: D.kl_divergence(D.Binomial(3, 0.3), D.Binomial(5, 0.4))),
        outcome(lambda: D.kl_divergence(D.Binomial(5, 0.3), D.Binomial(3, 0.4))),
        outcome(lambda: D.kl_divergence(D.Cauchy(0.0, 1.0), D.Cauchy(1.0, 2.0))),
        outcome(
            lambda: D.kl_divergence(
                D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)),
                D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
            )
        ),
    ]


@program
def s_isin_dtypes(torch):
    a = torch.tensor([1, 2, 3], dtype=torch.int8)
    return [
        outcome(lambda: torch.isin(a, torch.tensor([2.0, 3.5]))),
        outcome(lambda: torch.isin(a.float(), torch.tensor([2, 3]))),
        outcome(
            lambda: torch.isin(torch.tensor([1.0, 2.0]), torch.tensor([2.0], dtype=torch.float64))
        ),
        outcome(lambda: torch.isin(a, torch.tensor([True]))),
        outcome(lambda: torch.isin(torch.tensor([True, False]), torch.tensor([1]))),
        outcome(lambda: torch.isin(a, torch.tensor([2, 3]), assume_unique=True)),
        outcome(lambda: torch.isin(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[4], [1]]))),
        outcome(lambda: torch.isin(torch.tensor([]), torch.tensor([1.0]))),
        outcome(lambda: torch.isin(a, torch.tensor([], dtype=torch.int8))),
        outcome(lambda: torch.isin(a, torch.tensor([2], dtype=torch.uint8))),
        outcome(
            lambda: torch.isin(torch.tensor([1.0, 2.0], dtype=torch.float16), torch.tensor([2.0]))
        ),
    ]


@program
def s_sort_expanded_and_overflow(torch):
    x = torch.tensor([3.0, 1.0, 2.0]).expand(2, 3)
    big = torch.tensor([2**40, -(2**40), 5, 2**62])
    u = torch.tensor([255, 0, 128], dtype=torch.uint8)
    return (
        x.sort(1),
        x.sort(0),
        big.sort(),
        big.topk(2),
        u.sort(descending=True),
        u.argsort(),
        torch.tensor([-128, 127, 0], dtype=torch.int8).sort(descending=True),
        big.argsort(descending=True),
    )


@program
def s_topk_nonfinite(torch):
    x = torch.tensor([float("nan"), float("inf"), float("-inf"), 1.0, float("nan"), 0.0])
    return (
        x.topk(3),
        x.topk(3, largest=False),
        x.topk(6, sorted=True),
        x.kthvalue(5),
        x.kthvalue(6),
        x.sort(descending=True, stable=True),
    )


@program
def s_out_variants_sort(torch):
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    v, i = torch.empty(0), torch.empty(0, dtype=torch.long)
    torch.topk(x, 2, out=(v, i))
    v2, i2 = torch.empty(0), torch.empty(0, dtype=torch.long)
    torch.kthvalue(x, 2, 1, out=(v2, i2))
    ms = torch.empty(0)
    torch.msort(x, out=ms)
    ss = torch.empty(0, dtype=torch.long)
    torch.searchsorted(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.5]), out=ss)
    a = torch.empty(0, dtype=torch.long)
    torch.argsort(x, out=a) if False else None
    return (
        v,
        i,
        v2,
        i2,
        ms,
        ss,
        outcome(
            lambda: torch.sort(
                x, out=(torch.empty(0, dtype=torch.long), torch.empty(0, dtype=torch.long))
            )
        ),
        outcome(lambda: torch.topk(x, 1, out=(torch.empty(0), torch.empty(0)))),
    )


@program(tol={"rtol": 1e-6, "atol": 1e-6})  # PyTorch's float64 out: computed in float64
def r_nansum_logsumexp_out(torch):
    x = torch.tensor([[1.5, 5.0], [3.0, 2.0]])
    return [
        outcome(lambda: torch.logsumexp(x, 1, out=torch.empty(2, dtype=torch.long))),
        outcome(lambda: torch.mean(x, 1, out=torch.empty(2, dtype=torch.long))),
        outcome(lambda: torch.amax(x, 1, out=torch.empty(2, dtype=torch.float64))),
        outcome(lambda: torch.std(x, 1, out=torch.empty(2, dtype=torch.float64))),
        outcome(lambda: torch.var(x, 1, out=torch.empty(2, dtype=torch.long))),
        outcome(lambda: torch.norm(x, dim=1, out=torch.empty(2, dtype=torch.float64))),
        outcome(lambda: torch.median(x, 1, out=(torch.empty(0), torch.empty(0, dtype=torch.long)))),
        outcome(lambda: torch.logcumsumexp(x, 1, out=torch.empty(0, dtype=torch.long))),
        outcome(lambda: torch.cummax(x, 1, out=(torch.empty(0), torch.empty(0, dtype=torch.long)))),
        outcome(lambda: torch.all(x, 1, out=torch.empty(0, dtype=torch.uint8))),
        outcome(lambda: torch.any(x, 1, out=torch.empty(0, dtype=torch.float32))),
        outcome(lambda: torch.count_nonzero(x, 1, out=torch.empty(0)) if False else None),
        outcome(lambda: torch.prod(x, 1, out=torch.empty(0, dtype=torch.float64))),
        outcome(lambda: torch.argmax(x, 1, out=torch.empty(0, dtype=torch.int32))),
    ]


@program
def td_validation(torch):
    D, T = torch.distributions, torch.distributions.transforms
    d = D.TransformedDistribution(D.Normal(0.0, 1.0), [T.ExpTransform()], validate_args=True)
    ln = D.LogNormal(0.0, 1.0)
    g = D.Gumbel(0.0, 1.0)
    return [
        outcome(lambda: d.log_prob(torch.tensor(-1.0))),
        outcome(lambda: ln.log_prob(torch.tensor([-1.0, 1.0]))),
        outcome(lambda: g.log_prob(torch.tensor(float("inf")))),
        outcome(lambda: D.Weibull(1.0, 1.0).log_prob(torch.tensor(-1.0))),
        outcome(
            lambda: D.RelaxedBernoulli(torch.tensor(0.5), torch.tensor(0.3)).log_prob(
                torch.tensor(1.2)
            )
        ),
        outcome(
            lambda: D.LogisticNormal(torch.zeros(2), torch.ones(2)).log_prob(
                torch.tensor([0.5, 0.6, 0.1])
            )
        ),
        outcome(lambda: D.Kumaraswamy(1.0, 1.0).log_prob(torch.tensor(1.5))),
        outcome(lambda: D.HalfCauchy(1.0).log_prob(torch.tensor(-1.0))),
        outcome(lambda: D.Chi2(2.0).log_prob(torch.tensor(-1.0))),
    ]


@program
def transforms_grads(torch):
    T = torch.distributions.transforms
    out = []
    for tr in (
        T.ExpTransform(),
        T.SigmoidTransform(),
        T.TanhTransform(),
        T.SoftplusTransform(),
        T.AffineTransform(1.0, -2.0),
        T.PowerTransform(torch.tensor(3.0)),
        T.StickBreakingTransform(),
        T.SoftmaxTransform(),
    ):
        x = torch.tensor([0.3, -0.4, 0.8], dtype=torch.float64, requires_grad=True)
        if isinstance(tr, T.PowerTransform):
            x = torch.tensor([0.3, 0.4, 0.8], dtype=torch.float64, requires_grad=True)
        y = tr(x)
        ladj = tr.log_abs_det_jacobian(x, y) if not isinstance(tr, T.SoftmaxTransform) else y.sum()
        g = torch.autograd.grad(ladj.sum() + y.sum(), x)
        out.append((y, ladj, g))
    return out


@program
def transform_edge_values(torch):
    T = torch.distributions.transforms
    x = torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0])
    return [
        T.SigmoidTransform()(x),
        T.SigmoidTransform().inv(torch.tensor([0.0, 1e-30, 0.5, 1.0])),
        T.TanhTransform().inv(torch.tensor([-1.0, 0.0, 0.999999, 1.0])),
        T.TanhTransform().log_abs_det_jacobian(x, x.tanh()),
        T.SigmoidTransform().log_abs_det_jacobian(x, x.sigmoid()),
        T.SoftplusTransform()(x),
        T.SoftplusTransform().inv(torch.tensor([1e-8, 1.0, 50.0])),
        T.ExpTransform().inv(torch.tensor([0.0, -1.0])),
    ]


@program
def cdf_transform_and_sign(torch):
    D, T = torch.distributions, torch.distributions.transforms
    c = T.CumulativeDistributionTransform(D.Normal(0.0, 2.0))
    x = torch.tensor([-1.0, 0.0, 3.0])
    return [
        c(x),
        c.inv(c(x)),
        c.log_abs_det_jacobian(x, c(x)),
        str(c.codomain),
        T.AffineTransform(0.0, torch.tensor([-1.0, 2.0])).sign,
        outcome(lambda: T.AffineTransform(0.0, -1.0).sign),
        outcome(lambda: T.SoftmaxTransform().sign),
        T.ExpTransform().inv.sign,
        outcome(lambda: T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, -1.0)]).sign),
        T.identity_transform(x),
        outcome(lambda: T.PowerTransform(torch.tensor(-2.0)).sign),
    ]


@program
def bernoulli_binomial_params(torch):
    D = torch.distributions
    return [
        D.Bernoulli(logits=torch.tensor([-1e4, 0.0, 1e4])).probs,
        D.Bernoulli(logits=torch.tensor([-200.0, 200.0])).entropy(),
        D.Bernoulli(probs=torch.tensor([0.0, 1.0])).logits,
        D.Bernoulli(probs=torch.tensor([0.0, 1.0])).entropy(),
        D.Binomial(10, logits=torch.tensor([-50.0, 50.0])).log_prob(torch.tensor([0.0, 10.0])),
        D.Binomial(torch.tensor([0.0, 2.0]), torch.tensor([0.3, 0.3])).log_prob(
            torch.tensor([0.0, 1.0])
        ),
        D.Geometric(probs=torch.tensor([1.0])).log_prob(torch.tensor([0.0])),
        D.Geometric(probs=torch.tensor([1.0])).entropy(),
        D.Poisson(torch.tensor([0.0])).log_prob(torch.tensor([0.0, 1.0])),
        D.NegativeBinomial(torch.tensor([2.0]), logits=torch.tensor([100.0])).log_prob(
            torch.tensor([1.0])
        ),
    ]


@program
def scans_edges(torch):
    x = torch.tensor([[float("-inf"), float("-inf"), 1.0], [float("inf"), 0.0, float("nan")]])
    s = torch.tensor(2.0)
    return [
        x.logcumsumexp(1),
        x.cumsum(1),
        x.cumprod(1),
        x.cummax(1),
        x.cummin(0),
        outcome(lambda: s.cumsum(1)),
        outcome(lambda: s.cumsum(-2)),
        outcome(lambda: x.cumsum(2)),
        outcome(lambda: s.logcumsumexp(0)),
        outcome(lambda: s.cummax(0)),
        outcome_kind(lambda: torch.cumsum(x, dim=None)),
        torch.zeros(0).logcumsumexp(0),
        torch.tensor([True, False]).cummax(0),
        torch.tensor([1, 3, 2], dtype=torch.uint8).cummin(0),
    ]


@program
def scans_grads(torch):
    x = torch.tensor(
        [[0.5, -1.0, 2.0], [3.0, float("-inf"), 1.0]], dtype=torch.float64, requires_grad=True
    )
    y = torch.logcumsumexp(x, 1)
    g1 = torch.autograd.grad(y.sum(), x)
    z = torch.tensor([[1.0, 3.0, 3.0, 2.0], [5.0, 1.0, 5.0, 0.0]], requires_grad=True)
    cm = (
        z.cummax(1).values.sum()
        + z.cummin(1).values.sum()
        + (z.cumsum(0) * torch.arange(4.0)).sum()
    )
    g2 = torch.autograd.grad(cm, z)
    return y, g1, g2


@program
def reductions_grads_misc(torch):
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 4.0, 0.0]], requires_grad=True)
    parts = [
        x.norm(),
        x.norm(1, 1).sum(),
        x.norm(float("inf")),
        x.std(0).sum(),
        x.var(1, correction=0).sum(),
        x.logsumexp(1).sum(),
        x.nanmean(),
        x.amax(1).sum(),
        x.prod(1).sum(),
        x.mean((0, 1)),
        x.sum(1, keepdim=True).sum(),
        torch.dist(x[0], x[1]),
    ]
    out = []
    for p in parts:
        out.append(torch.autograd.grad(p, x, retain_graph=True)[0])
    return out


@program
def std_var_mean_grads(torch):
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]], dtype=torch.float64, requires_grad=True)
    v, m = torch.var_mean(x, 1)
    s, m2 = torch.std_mean(x, 0, correction=0)
    g = torch.autograd.grad(v.sum() + m.sum() + s.sum() + (m2 * 2).sum(), x)
    y = torch.tensor([2.0, 2.0, 2.0], requires_grad=True)
    gs = torch.autograd.grad(y.std(), y)
    return v, m, s, m2, g, gs


@error(RuntimeError, r"torch.histogram: input tensor and hist tensor should have the same dtype, but got input float and hist double")  # fmt: skip
def histc_out_of_another_dtype(torch):  # fixed: cast into out
    return torch.histc(torch.tensor([1.0, 2.0, 4.0]), bins=3, out=torch.empty(0, dtype=torch.float64))  # fmt: skip


@program
def out_results_are_op_out_types(torch):  # fixed: the op's own type (sort, not sort_out)
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])

    def pair():
        return torch.empty(0), torch.empty(0, dtype=torch.long)

    results = [torch.sort(x, out=pair()), torch.max(x, 1, out=pair()), torch.topk(x, 2, out=pair())]
    results += [torch.kthvalue(x, 2, out=pair()), torch.cummin(x, 1, out=pair())]
    return [(type(r).__name__, repr(r)) for r in results]


@program
def quantile_and_searchsorted_out_dtypes(torch):  # fixed: cast into out
    x, b = torch.tensor([0.1, 0.2, 0.7]), torch.tensor([0.5])
    f64, i32 = torch.float64, torch.int32
    calls = [
        lambda: torch.quantile(x, 0.5, out=torch.empty(0, dtype=f64)),
        lambda: torch.nanquantile(x, 0.5, out=torch.empty(0, dtype=torch.float16)),
        lambda: torch.bucketize(x, b, out=torch.empty(0, dtype=f64)),
        lambda: torch.searchsorted(b, x, out=torch.empty(0, dtype=i32)),
        lambda: torch.searchsorted(b, x, out_int32=True, out=torch.empty(0)),
    ]
    ok = torch.empty(0, dtype=i32)
    torch.bucketize(x, b, out_int32=True, out=ok)
    return [outcome(f) for f in calls], ok
