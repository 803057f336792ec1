"""Session 13 sweep (helper R1) of reductions, sorting/searching and distributions, written
after the behaviours PyTorch's test_reductions.py, test_sort_and_select.py and
test_distributions.py check: empty and zero-size reductions, dim forms, dtype= and out=
dtypes, NaNs, corrections, unique/sort/topk/searchsorted flags, and distributions' shapes,
values, validation, transforms and KL pairs; each program runs with real PyTorch (the oracle)
and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

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
