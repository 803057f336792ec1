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
