"""Session 8 compatibility sweep of the random stream (second pass): from the same seed,
every random op draws PyTorch's numbers: factories on every dtype and around the sizes
where PyTorch's samplers change, ``*_like`` and ``out=`` of unusual layouts, in-place fills
of views, generators, state save/restore, dropout masks and init of non-contiguous
parameters. Each program runs with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


SIZES = (1, 15, 16, 17, 1000)


# ---- factories on every dtype and size ------------------------------------------------------
@program
def rand_sizes_dtypes(torch):
    out = []
    for dt in (torch.float32, torch.float64, torch.float16):
        for n in SIZES:
            out.append(torch.rand(n, dtype=dt))
    return out


@program
def randn_sizes_dtypes(torch):
    out = []
    for seed in (0, 1, 12345):
        torch.manual_seed(seed)
        for dt in (torch.float32, torch.float64, torch.float16):
            for n in SIZES:
                out.append(torch.randn(n, dtype=dt))
    return out


@program
def randn_shapes_mixed(torch):
    return [
        torch.randn(3, 5),
        torch.randn(2, 8),
        torch.randn(4, 4, 2),
        torch.randn(()),
        torch.randn(0),
    ]


@program
def randint_dtypes(torch):
    out = []
    for dt in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.float32,
               torch.float64, torch.bool):  # fmt: skip
        hi = 2 if dt == torch.bool else 100
        for n in (1, 17):
            out.append(torch.randint(hi, (n,), dtype=dt))
    return out


@program
def randint_negative_low(torch):
    return [torch.randint(-5, 5, (20,)), torch.randint(-100, -50, (3, 3), dtype=torch.int16)]


@program
def randint_large_ranges(torch):
    return [
        torch.randint(0, 2**31, (10,)),
        torch.randint(-(2**31), 2**31, (10,)),
        torch.randint(0, 2**28, (5,)),
        torch.randint(0, 2**28 - 1, (5,)),
        torch.randint(-(2**62), 2**62, (6,)),
        torch.randint(0, 2**40, (4,)),
    ]


@program
def randint_int64_limits(torch):
    return torch.randint(-(2**63), 2**63 - 1, (8,))


@program
def randint_high_keyword(torch):
    return [torch.randint(high=7, size=(4,)), torch.randint(3, 9, size=(2, 2))]


@program
def randperm_sizes(torch):
    return [torch.randperm(n) for n in (0, 1, 2, 15, 16, 17, 1000)]


@program
def randperm_dtypes(torch):
    return [torch.randperm(10, dtype=dt) for dt in (torch.int32, torch.int16, torch.float32,
                                                   torch.float64, torch.uint8)]  # fmt: skip


@program
def randperm_large(torch):
    p = torch.randperm(100000)
    return [p[:50], p[-50:], p.sum()]


@program
def randperm_after_draws(torch):
    torch.rand(3)
    a = torch.randperm(7)
    torch.randn(5)
    return [a, torch.randperm(40)]


# ---- *_like on layouts ------------------------------------------------------------------------
def _layouts(torch):
    base = torch.zeros(2, 3, 4, 5)
    return [
        base.transpose(0, 1),
        base.permute(0, 2, 3, 1),
        base.contiguous(memory_format=torch.channels_last),
        torch.zeros(4, 1).expand(4, 6),
        torch.zeros(6, 4)[::2],
        torch.zeros(5, 6).t(),
        torch.zeros(3, 1, 4, 4),
        torch.zeros(3, 1, 4, 4).contiguous(memory_format=torch.channels_last),
        torch.zeros(2, 17).t(),
    ]


@program
def rand_like_layouts(torch):
    return [torch.rand_like(x) for x in _layouts(torch)]


@program
def randn_like_layouts(torch):
    return [torch.randn_like(x) for x in _layouts(torch)]


@program
def randint_like_layouts(torch):
    return [torch.randint_like(x, 10) for x in _layouts(torch)]


@program
def like_strides(torch):
    return [torch.randn_like(x).stride() for x in _layouts(torch)]


@program
def rand_like_float64_transposed(torch):
    x = torch.zeros(20, 3, dtype=torch.float64).t()
    return [torch.rand_like(x), torch.randn_like(x), torch.randn_like(x.half())]


@program
def like_contiguous_format(torch):
    x = torch.zeros(4, 6).t()
    return [torch.randn_like(x, memory_format=torch.contiguous_format),
            torch.rand_like(x, memory_format=torch.contiguous_format)]  # fmt: skip


# ---- out= ------------------------------------------------------------------------------------
@program
def rand_out_noncontiguous(torch):
    out = torch.zeros(6, 4).t()
    torch.rand(4, 6, out=out)
    return [out, out.stride()]


@program
def randn_out_noncontiguous(torch):
    out = torch.zeros(20, 4).t()
    torch.randn(4, 20, out=out)
    return [out, out.stride()]


@program
def randint_out(torch):
    out = torch.zeros(3, 5, dtype=torch.int64).t()
    torch.randint(0, 10, (5, 3), out=out)
    return out


@program
def randperm_out(torch):
    out = torch.empty(8, dtype=torch.int64)
    torch.randperm(8, out=out)
    return out


# ---- in-place fills of views -----------------------------------------------------------------
@program
def fills_on_transposed(torch):
    out = []
    for fill in (
        lambda t: t.uniform_(-1, 2),
        lambda t: t.normal_(1, 3),
        lambda t: t.exponential_(2.0),
        lambda t: t.geometric_(0.3),
        lambda t: t.cauchy_(),
        lambda t: t.log_normal_(0, 0.5),
        lambda t: t.bernoulli_(0.3),
        lambda t: t.random_(0, 10),
    ):
        out.append(fill(torch.zeros(5, 7).t()))
    return out


@program
def fills_on_strided_slices(torch):
    base = torch.zeros(10, 8)
    base[::2, 1::3].uniform_()
    base[1::2].normal_()
    base[:, 0].exponential_()
    return base


@program
def normal_inplace_sizes(torch):
    out = []
    for n in SIZES:
        out.append(torch.empty(n).normal_())
        out.append(torch.empty(n, dtype=torch.float64).normal_(2, 0.5))
        out.append(torch.empty(n, dtype=torch.float16).normal_())
    return out


@program
def normal_inplace_on_column(torch):
    x = torch.zeros(20, 3)
    x[:, 1].normal_()
    return x


@program
def uniform_inplace_float16(torch):
    return [torch.empty(n, dtype=torch.float16).uniform_(-2, 2) for n in SIZES]


@program
def random_inplace_dtypes(torch):
    out = []
    for dt in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.float32,
               torch.float64, torch.float16, torch.bool):  # fmt: skip
        out.append(torch.empty(6, dtype=dt).random_())
        out.append(torch.empty(6, dtype=dt).random_(2))
    return out


@program
def random_inplace_bounds(torch):
    return [
        torch.empty(5, dtype=torch.int64).random_(-10, 10),
        torch.empty(5, dtype=torch.int64).random_(0, 2**40),
        torch.empty(5, dtype=torch.float64).random_(0, 2**33),
        torch.empty(5, dtype=torch.int32).random_(-(2**31), 2**31 - 1),
    ]


@program
def exponential_geometric_dtypes(torch):
    return [
        torch.empty(17, dtype=torch.float64).exponential_(0.5),
        torch.empty(17, dtype=torch.float16).exponential_(),
        torch.empty(17, dtype=torch.int64).geometric_(0.2),
        torch.empty(17, dtype=torch.float64).geometric_(0.7),
        torch.empty(17, dtype=torch.float64).cauchy_(1, 2),
        torch.empty(17, dtype=torch.float16).cauchy_(),
    ]


@program
def log_normal_dtypes(torch):
    return [torch.empty(n, dtype=dt).log_normal_() for dt in (torch.float32, torch.float64)
            for n in (1, 16, 17)]  # fmt: skip


@program
def bernoulli_inplace_tensor_p(torch):
    p = torch.rand(4, 5)
    a = torch.empty(4, 5).bernoulli_(p)
    b = torch.empty(4, 5, dtype=torch.float64).bernoulli_(p.double())
    c = torch.empty(5, 4).t().bernoulli_(p)
    d = torch.empty(4, 5, dtype=torch.int64).bernoulli_(0.5)
    e = torch.empty(4, 5, dtype=torch.bool).bernoulli_(0.5)
    return [a, b, c, d, e]


@program
def bernoulli_functional(torch):
    p = torch.rand(3, 7)
    return [torch.bernoulli(p), torch.bernoulli(p.double()), torch.bernoulli(p.t()),
            torch.bernoulli(p, 0.2), torch.bernoulli(p.half())]  # fmt: skip


@program
def bernoulli_expanded_p(torch):
    p = torch.tensor([0.1, 0.5, 0.9]).expand(4, 3)
    return torch.bernoulli(p)


# ---- normal broadcasting forms ---------------------------------------------------------------
@program
def normal_tensor_forms(torch):
    m = torch.arange(6.0).reshape(2, 3)
    s = torch.full((2, 3), 0.5)
    return [
        torch.normal(m, s),
        torch.normal(m, 2.0),
        torch.normal(1.0, s),
        torch.normal(2.0, 3.0, size=(4, 5)),
        torch.normal(torch.zeros(20), torch.ones(20)),
        torch.normal(m.double(), 1.0),
    ]


@program
def normal_broadcast_mean_std(torch):
    m = torch.zeros(3, 1)
    s = torch.ones(1, 4)
    return torch.normal(m, s)


@program
def normal_out(torch):
    out = torch.empty(3, 4)
    torch.normal(torch.zeros(3, 4), torch.ones(3, 4), out=out)
    return out


@program
def normal_std_tensor_sizes(torch):
    return [torch.normal(torch.zeros(n), torch.ones(n) * 2) for n in SIZES]


# ---- poisson / multinomial -------------------------------------------------------------------
@program
def poisson_rates(torch):
    rates = torch.tensor([[0.0, 0.5, 3.0], [9.9, 10.0, 250.0]])
    return [torch.poisson(rates), torch.poisson(rates.double()), torch.poisson(rates.t())]


@program
def multinomial_forms(torch):
    p = torch.tensor([0.1, 0.2, 0.3, 0.4])
    p2 = torch.rand(3, 6)
    return [
        torch.multinomial(p, 2),
        torch.multinomial(p, 10, replacement=True),
        torch.multinomial(p, 1),
        torch.multinomial(p2, 6),
        torch.multinomial(p2, 20, replacement=True),
        torch.multinomial(p2.t(), 2),
        torch.multinomial(p2.double(), 3),
        torch.multinomial(p2.half(), 3),
        torch.multinomial(p2, 1, replacement=True),
    ]


@program
def multinomial_zero_weights(torch):
    p = torch.tensor([[0.0, 1.0, 0.0, 2.0], [1.0, 0.0, 0.0, 0.0]])
    return [torch.multinomial(p, 4), torch.multinomial(p, 2, replacement=True)]


# ---- generators and state --------------------------------------------------------------------
@program
def generator_objects(torch):
    g = torch.Generator().manual_seed(42)
    a = torch.rand(3, generator=g)
    b = torch.randn(20, generator=g)
    c = torch.randint(0, 10, (5,), generator=g)
    d = torch.randperm(9, generator=g)
    e = torch.empty(4).uniform_(generator=g)
    f = torch.empty(4).normal_(generator=g)
    h = torch.multinomial(torch.ones(5), 3, generator=g)
    i = torch.bernoulli(torch.full((5,), 0.5), generator=g)
    j = torch.normal(torch.zeros(4), torch.ones(4), generator=g)
    return [a, b, c, d, e, f, h, i, j, g.initial_seed(), torch.rand(2)]


@program
def generator_state_roundtrip(torch):
    g = torch.Generator().manual_seed(7)
    torch.rand(5, generator=g)
    s = g.get_state()
    a = torch.randn(3, generator=g)
    g.set_state(s)
    return [a, torch.randn(3, generator=g)]


@program
def rng_state_midstream(torch):
    torch.rand(100)
    torch.randn(3)  # leaves a cached normal
    s = torch.get_rng_state()
    a = torch.randn(5)
    b = torch.rand(2)
    torch.set_rng_state(s)
    return [a, b, torch.randn(5), torch.rand(2), s.shape, s.dtype]


@program
def rng_state_bytes_equal(torch):
    torch.manual_seed(3)
    torch.randn(7)
    torch.rand(700)
    return torch.get_rng_state()


@program
def fork_rng_restores(torch):
    torch.rand(2)
    with torch.random.fork_rng():
        torch.manual_seed(99)
        inner = torch.rand(3)
    return [inner, torch.rand(3), torch.initial_seed()]


@program
def initial_seed_values(torch):
    torch.manual_seed(2**40 + 5)
    a = torch.initial_seed()
    torch.manual_seed(-1)
    b = torch.initial_seed()
    return [a, b, torch.rand(3)]


@program
def seed_returns_initial(torch):
    s = torch.seed()
    return [s == torch.initial_seed(), isinstance(s, int)]


@program
def manual_seed_returns_generator(torch):
    g = torch.manual_seed(5)
    return [type(g).__name__, torch.rand(2, generator=g)]


# ---- dropout masks ---------------------------------------------------------------------------
@program
def dropout_dtypes(torch):
    F = torch.nn.functional
    out = []
    for dt in (torch.float32, torch.float64, torch.float16):
        x = torch.ones(4, 9, dtype=dt)
        out.append(F.dropout(x, 0.3))
        out.append(F.dropout(x.t(), 0.5))
    return out


@program
def dropout2d_3d_masks(torch):
    F = torch.nn.functional
    x = torch.ones(2, 3, 4, 4)
    return [F.dropout2d(x, 0.5), F.dropout2d(x.double(), 0.25),
            F.dropout3d(torch.ones(2, 3, 2, 2, 2), 0.5), F.dropout1d(torch.ones(2, 5, 3), 0.5),
            F.dropout2d(x.contiguous(memory_format=torch.channels_last), 0.5)]  # fmt: skip


@program
def alpha_dropout_masks(torch):
    F = torch.nn.functional
    x = torch.linspace(-2, 2, 24).reshape(3, 8)  # float32 randn may differ in the last bit
    return [F.alpha_dropout(x, 0.2, training=True), F.alpha_dropout(x.double(), 0.5, True),
            F.feature_alpha_dropout(torch.randn(2, 4, 3), 0.5, True),
            F.alpha_dropout(x.t(), 0.3, True)]  # fmt: skip


@program
def dropout_noncontiguous_grad(torch):
    x = torch.randn(6, 5, requires_grad=True)
    y = torch.nn.functional.dropout(x.t(), 0.4)
    y.sum().backward()
    return [y, x.grad]


@program
def dropout_inplace_view(torch):
    x = torch.ones(4, 6)
    torch.nn.functional.dropout(x[:, ::2], 0.5, inplace=True)
    return x


# ---- init on non-contiguous parameters -------------------------------------------------------
@program
def init_noncontiguous(torch):
    init = torch.nn.init
    out = []
    for fn in (init.uniform_, init.normal_, init.xavier_uniform_, init.xavier_normal_,
               init.kaiming_uniform_, init.kaiming_normal_, init.trunc_normal_,
               init.orthogonal_, init.sparse_):  # fmt: skip
        w = torch.empty(8, 5).t()
        if fn is init.sparse_:
            fn(w, 0.5)
        else:
            fn(w)
        out.append(w)
    return out


@program
def init_channels_last_conv(torch):
    conv = torch.nn.Conv2d(3, 4, 3)
    w = torch.empty(4, 3, 3, 3).contiguous(memory_format=torch.channels_last)
    torch.nn.init.kaiming_normal_(w)
    return [w, conv.weight]


@program
def like_channels_last_format(torch):
    x = torch.zeros(2, 3, 4, 5)
    y = torch.zeros(2, 1, 4, 5)
    return [
        torch.randn_like(x, memory_format=torch.channels_last),
        torch.rand_like(x, memory_format=torch.channels_last),
        torch.randn_like(y, memory_format=torch.channels_last),
        torch.randn_like(x, memory_format=torch.channels_last).stride(),
        torch.randn_like(x.transpose(2, 3), memory_format=torch.preserve_format),
    ]


@program
def out_resized_and_dtypes(torch):
    a = torch.rand(3, out=torch.zeros(2, 2))
    b = torch.rand(3, out=torch.zeros(3, dtype=torch.float64))
    c = torch.randint(0, 5, (3,), out=torch.zeros(3, dtype=torch.int32))
    d = torch.randn(2, 17, out=torch.zeros(17, 2).t())
    e = torch.randn(20, out=torch.zeros(20, dtype=torch.float16))
    return [a, b, c, d, e, a.shape]


@error(RuntimeError, r"dtype Double does not match dtype of out parameter \(Float\)")
def out_dtype_mismatch(torch):
    return torch.rand(3, out=torch.zeros(3), dtype=torch.float64)


@program
def trunc_normal_noncontiguous(torch):
    init = torch.nn.init
    a = init.trunc_normal_(torch.empty(6, 3).t(), std=0.5)
    b = init.trunc_normal_(torch.empty(20, 2).t(), mean=0.0, std=1.0, a=2.0, b=3.0)
    c = init.trunc_normal_(torch.empty(4, 5, dtype=torch.float64).t(), a=-1.0, b=1.0)
    d = init.trunc_normal_(torch.empty(6, 3), std=0.02)
    return [a, b, c, d]


@program
def more_layout_fills(torch):
    out = []
    x = torch.zeros(2, 3, 4, 4).contiguous(memory_format=torch.channels_last)
    out.append(x.clone().normal_())
    out.append(x.clone().uniform_())
    out.append(torch.zeros(4, 6, dtype=torch.int32).t().random_(0, 7))
    out.append(torch.zeros(3, 20, dtype=torch.float64).t().normal_())
    out.append(torch.zeros(0).normal_())
    out.append(torch.zeros(1).exponential_())
    out.append(torch.poisson(torch.tensor([1.0, 20.0]).expand(3, 2)))
    out.append(torch.multinomial(torch.rand(5, 3).t(), 4, replacement=True))
    out.append(torch.bernoulli(torch.rand(6, 4).t()))
    return out


@program
def dropout_channels_last_and_sizes(torch):
    F = torch.nn.functional
    x = torch.ones(2, 3, 4, 4).contiguous(memory_format=torch.channels_last)
    return [F.dropout(x, 0.5), F.dropout(torch.ones(17), 0.1), F.dropout(torch.ones(1), 0.9),
            torch.nn.Dropout(0.25)(torch.ones(3, 5, dtype=torch.float64))]  # fmt: skip


@program
def factory_flags(torch):
    a = torch.rand(2, 3, requires_grad=True)
    b = torch.randn(4, dtype=torch.float64, requires_grad=True)
    c = torch.randint_like(torch.zeros(3, dtype=torch.int8), 0, 100)
    d = torch.randint_like(torch.zeros(3), 5)
    e = torch.rand(size=(2, 2))
    f = torch.randn((3,), generator=torch.Generator().manual_seed(1))
    return [a, b, c, d, e, f]


@program
def generator_noncontiguous_fill(torch):
    g = torch.Generator().manual_seed(3)
    x = torch.zeros(20, 2).t().normal_(generator=g)
    y = torch.randn(2, 20, out=torch.zeros(20, 2).t(), generator=g)
    return [x, y, torch.randn(3)]


@error(RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=5 >= to=5")
def randint_empty_range(torch):
    return torch.randint(5, 5, (3,))


@error(RuntimeError, r"normal expects std >= 0.0")
def normal_negative_std(torch):
    return torch.normal(0.0, -1.0, size=(3,))


@error(RuntimeError, r"cannot sample n_sample > prob_dist.size\(-1\) samples without replacement")
def multinomial_too_many(torch):
    return torch.multinomial(torch.ones(3), 4)


@error(RuntimeError, r"functions with out=\.\.\. arguments don't support automatic differentiation")
def rand_out_requires_grad(torch):
    return torch.rand(3, out=torch.zeros(3, requires_grad=True))
