"""Session 16 sweep: the random-number divergences the random-program fuzzer
(tests/test_fuzz_random.py) found, one focused program each. Values are compared exactly
(``EXACT``): PyTorch's CPU stream is reproduced bit for bit."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep(float64={"rtol": 0, "atol": 0})
program = SWEEP.program
error = SWEEP.error
EXACT = {"rtol": 0, "atol": 0}

test_program_matches_pytorch = SWEEP.test()


def _after(torch, fn):
    """``fn()``'s error message, then the next draws: how far the failed call moved the
    stream."""
    try:
        fn()
        message = None
    except RuntimeError as e:
        message = str(e).split(".")[0]
    return message, torch.rand(4)


@program(tol=EXACT)
def alpha_dropout_module_is_never_in_place(torch):
    # nn.AlphaDropout and nn.FeatureAlphaDropout keep ``inplace`` but do not pass it on
    torch.manual_seed(0)
    x, y = torch.ones(6), torch.ones(2, 3, 2)
    a = torch.nn.AlphaDropout(0.5, inplace=True)(x)
    b = torch.nn.FeatureAlphaDropout(0.5, inplace=True)(y)
    return x, y, a, b


@program(tol=EXACT)
def alpha_dropout_half_precision_steps(torch):
    # the mask is 0 or 1 exactly, the shift is (mask - 1) * alpha'a + alpha'a p with each
    # step and number rounded to the input's dtype
    out = []
    for dt in (torch.bfloat16, torch.float16, torch.float32):
        for p in (0.1, 0.7, 0.9):
            torch.manual_seed(3)
            x = torch.linspace(-2, 2, 24, dtype=dt).reshape(2, 3, 4)
            out.append(torch.nn.functional.alpha_dropout(x, p, True).float())
            out.append(torch.nn.functional.feature_alpha_dropout(x, p, True).float())
    return out


@program(tol=EXACT)
def multinomial_error_after_rows_drew(torch):
    # with replacement, the rows before an invalid one draw their samples first
    torch.manual_seed(0)
    p = torch.tensor([[0.0, 0.5], [1.0, 0.0], [0.0, 0.0]], dtype=torch.float64)
    first = _after(torch, lambda: torch.multinomial(p, 2, True))
    q = torch.tensor([[1.0, 2.0, 3.0], [1.0, -1.0, 1.0]])
    second = _after(torch, lambda: torch.multinomial(q, 3, True))
    return first, second


@program(tol=EXACT)
def bernoulli_bad_probability_after_draws(torch):
    # a tensor of probabilities is checked value by value as it draws
    torch.manual_seed(0)
    out = []
    for dt in (torch.float64, torch.float32, torch.float16):
        p = torch.tensor([0.2, 0.3, 1.5, 0.4], dtype=dt)
        out.append(_after(torch, lambda p=p: torch.bernoulli(p)))
        out.append(_after(torch, lambda p=p: torch.zeros(2, 4).bernoulli_(p)))
        out.append(_after(torch, lambda p=p: torch.zeros(4).bernoulli_(p.flip(0))))
    return out


@program
def bernoulli_of_an_empty_integer_tensor(torch):
    torch.manual_seed(0)
    return torch.bernoulli(torch.zeros(0, dtype=torch.int64)), torch.rand(2)


@error(NotImplementedError, "bernoulli_tensor_cpu_p_")
def bernoulli_of_an_integer_tensor(torch):
    torch.bernoulli(torch.zeros(3, dtype=torch.int64))


@program(tol=EXACT)
def uniform_never_gives_the_upper_bound(torch):
    # a value that rounds to ``to`` in the tensor's dtype is ``from`` (float16 and bfloat16
    # from float32 uniforms, or a range a few units wide)
    out = []
    for dt, lo, hi in ((torch.float16, 0.0, 1.0), (torch.bfloat16, 2.0, 5.5),
                       (torch.float32, 1.0, 1.0 + 2**-20), (torch.float64, 1.0, 1.0 + 2**-50),
                       (torch.float16, 0.1, 0.3), (torch.bfloat16, -1e4, 3.0)):  # fmt: skip
        torch.manual_seed(1)
        out.append(torch.empty(3000, dtype=dt).uniform_(lo, hi).double())
    return out


@program(tol=EXACT)
def rand_half_precision_below_one(torch):
    out = []
    for dt in (torch.float16, torch.bfloat16):
        torch.manual_seed(1)
        x = torch.rand(3000, dtype=dt)
        out.append((x.double(), (x == 1).sum()))
    return out


@program(tol=EXACT)
def random_unbounded_bfloat16(torch):
    torch.manual_seed(4)
    x, y = torch.empty(6, dtype=torch.bfloat16), torch.empty(5, dtype=torch.bfloat16)
    return x.random_().float(), y.random_(2, None).float()


@program
def empty_integer_tensor_continuous_fills(torch):
    # normal_, exponential_ and log_normal_ return an empty tensor before checking its dtype
    out = []
    for name in ("normal_", "exponential_", "log_normal_"):
        out.append(getattr(torch.zeros(0, dtype=torch.int64), name)())
        out.append(getattr(torch.zeros(0, 2, dtype=torch.bool), name)())
    return out, torch.zeros(0, dtype=torch.bool).geometric_(0.5)


@error(NotImplementedError, "\"geometric_cpu\" not implemented for 'Bool'")
def geometric_of_a_bool_tensor(torch):
    torch.zeros(3, dtype=torch.bool).geometric_(0.5)


@error(RuntimeError, "normal expects std >= 0.0")
def empty_integer_normal_checks_std_first(torch):
    torch.zeros(0, dtype=torch.int64).normal_(0, -1)


@program
def randn_of_an_empty_integer_size(torch):
    # randn is empty(...).normal_(): an empty result of any dtype, no dtype check
    a = torch.randn(0, 3, dtype=torch.int64)
    b = torch.normal(0.0, 1.0, (0,), dtype=torch.bool)
    return a, b, torch.randn_like(torch.zeros(0, dtype=torch.int32))


@program(tol=EXACT)
def bernoulli_zero_dim_float32_probability(torch):
    # a 0-d float32 tensor of probabilities draws float32 uniforms (a number p: float64)
    out = []
    for dt in (torch.float32, torch.float64, torch.float16):
        torch.manual_seed(0)
        p = torch.tensor(0.4963, dtype=dt)
        out.append([torch.bernoulli(p) for _ in range(4)])
        out.append([torch.zeros(()).bernoulli_(p) for _ in range(4)])
        out.append(torch.zeros(5).bernoulli_(p))
    return out


@error(RuntimeError, "from is out of bounds for bool")
def random_from_without_to_checks_the_dtype_bounds(torch):
    torch.zeros(3, dtype=torch.bool).random_(3, None)


@program(tol=EXACT)
def random_from_without_to(torch):
    torch.manual_seed(2)
    return [torch.zeros(6, dtype=dt).random_(1, None) for dt in (torch.bool, torch.int8,
                                                                  torch.uint8, torch.float16)]  # fmt: skip


@program(tol=EXACT)
def multinomial_half_precision_running_sum(torch):
    # with replacement, float16 and bfloat16 rows are summed in float32
    out = []
    for dt in (torch.float16, torch.bfloat16):
        torch.manual_seed(6)
        w = (torch.arange(80, dtype=torch.float32).reshape(2, 40) * 0.37).sin().abs() * 3
        out.append(torch.multinomial(w.to(dt), 200, True))
    return out


@program(tol=EXACT)
def random_like_factories_take_a_generator(torch):
    g = torch.Generator().manual_seed(3)
    x = torch.zeros(3, 4)
    return (torch.rand_like(x, generator=g), torch.randn_like(x.t(), generator=g),
            torch.randint_like(x, 5, generator=g), torch.randint_like(x.t(), -2, 2, generator=g),
            torch.rand(2))  # fmt: skip


@program(tol=EXACT)
def normal_out_draws_in_the_out_dtype(torch):
    # normal(mean, std, size, out=) is out.resize_(size).normal_(mean, std): float64 draws
    # for a float64 out, in place into a strided out, no resize warning
    torch.manual_seed(0)
    a = torch.normal(0.5, 2.0, (17,), out=torch.zeros(17, dtype=torch.float64))
    base = torch.zeros(8, 6)
    b = torch.normal(0.5, 2.0, (4, 6), out=base[::2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = torch.normal(1.0, 0.5, (2, 3), out=torch.zeros(4))
    return a, base, b, c, torch.rand(3), [str(w.message) for w in caught]


@program(tol=EXACT)
def randperm_out_written_in_place(torch):
    torch.manual_seed(1)
    base = torch.zeros(10, dtype=torch.int64)
    a = torch.randperm(5, out=base[::2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b = torch.randperm(6, out=torch.zeros(2, 3, dtype=torch.int64))  # resized, no warning
    c = torch.randperm(4, out=torch.zeros(4, dtype=torch.float64))
    return base, a, b, c, [str(w.message) for w in caught]


@error(NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'")
def normal_out_of_an_integer_tensor(torch):
    torch.normal(0.0, 1.0, (3,), out=torch.zeros(3, dtype=torch.int64))


@error(RuntimeError, "n must be non-negative, got-1")
def randperm_out_negative(torch):
    torch.randperm(-1, out=torch.zeros(2, dtype=torch.int64))


@error(RuntimeError, r"normal expects std >= 0\.0, but found std -1$")
def normal_negative_std_message(torch):
    torch.normal(0.0, -1.0, (3,))


@program(tol=EXACT)
def normal_zero_dim_tensor_std(torch):
    # a 0-d tensor std is a tensor: normal_(0, 1) * std + mean, rounded at each step (a
    # number std: normal_(mean, std) in one rounding)
    out = []
    for seed in range(6):
        torch.manual_seed(seed)
        out.append(torch.normal(-0.824, torch.tensor(1.807)))
        out.append(torch.normal(torch.tensor(0.3), torch.tensor(0.51)))
        out.append(torch.normal(torch.tensor(-1.3), 0.77))
        out.append(torch.normal(torch.full((3,), -1.3), 0.77))
    return out


@program(tol=EXACT)
def trunc_normal_half_precision(torch):
    # float16/bfloat16 tensors draw their own normal sequence and run the rejection steps in
    # their dtype (the division by a float32 std)
    out = []
    for dt in (torch.float16, torch.bfloat16):
        for kw in ({}, {"std": 0.02}, {"mean": 1.0, "std": 2.0, "a": -1.0, "b": 3.0},
                   {"a": 0.0, "b": 0.5}):  # fmt: skip
            torch.manual_seed(11)
            w = torch.empty(20, 7, dtype=dt)
            torch.nn.init.trunc_normal_(w, **kw)
            out.append(w.float())
    return out


@program(tol=EXACT)
def orthogonal_half_precision_draws_then_fails(torch):
    out = []
    for dt in (torch.float16, torch.bfloat16):
        torch.manual_seed(0)
        w = torch.empty(3, 5, dtype=dt)
        out.append(_after(torch, lambda w=w: torch.nn.init.orthogonal_(w)))
    return out


@program(tol=EXACT)
def random_whole_int64_range(torch):
    # random_(-2**63, None): a 64-bit number per value, as int64
    torch.manual_seed(3)
    a = torch.zeros(6, dtype=torch.int64).random_(-(2**63), None)
    b = torch.zeros(3, dtype=torch.float64).random_(-(2**63), None)
    c = torch.zeros(3, dtype=torch.float32).random_(-(2**63), None)
    return a, b, c, torch.rand(2)


@error(RuntimeError, "random_full_64_bits_range_kernel_cpu handles only int64, double, float")
def random_whole_int64_range_of_int32(torch):
    torch.zeros(3, dtype=torch.int32).random_(-(2**63), None)


@program(tol=EXACT)
def random_float_from_without_to(torch):
    # the lower bound moved to a number the dtype holds (with PyTorch's warning)
    torch.manual_seed(5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = torch.zeros(8, dtype=torch.bfloat16).random_(-(2**10) - 3, None)
    b = torch.zeros(8, dtype=torch.float16).random_(-5, None)
    return a.float(), b, [str(w.message)[:40] for w in caught]


@program(tol=EXACT)
def trunc_normal_log_of_zero_is_quiet(torch):
    # a bfloat16 uniform that rounds up to 1 is 0: its log is -inf, without a warning
    g = torch.Generator().manual_seed(2**63 + 9)
    w = torch.empty(8, 4, 3, 3, dtype=torch.bfloat16)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.nn.init.trunc_normal_(w, a=0.0, b=0.5, generator=g)
    return w.float(), [str(m.message) for m in caught]


@program
def random_whole_int64_range_of_empty_tensors(torch):
    return [torch.zeros(0, dtype=dt).random_(-(2**63), None)
            for dt in (torch.uint8, torch.float16, torch.bool)]  # fmt: skip


@program(tol=EXACT)
def feature_dropout_of_a_transposed_matrix(torch):
    # a feature dropout's noise is a new tensor, drawn in C order whatever the input's layout
    # (plain dropout's is empty_like(input): drawn in the input's memory order)
    out = []
    for fn in ("dropout", "dropout2d", "feature_alpha_dropout", "alpha_dropout"):
        torch.manual_seed(0)
        x = torch.ones(5, 4).t()
        out.append(getattr(torch.nn.functional, fn)(x, 0.5, True))
    return out


@program(tol=EXACT)
def rrelu_slopes_between_float32_bounds(torch):
    out = []
    for dt in (torch.float32, torch.float64):
        torch.manual_seed(4)
        x = torch.linspace(-2, 2, 40, dtype=dt)
        out.append(torch.nn.functional.rrelu(x, 0.1, 0.3, training=True))
    return out
