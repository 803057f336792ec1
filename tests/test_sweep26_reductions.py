"""Session 16 sweep of the fixes found by the seeded reduction fuzzer
(tests/test_fuzz_reductions.py), each pinned by a focused program: quantile's gradient among
ties (PyTorch's sort order), mode of rows holding NaNs, the gradients of var/std at dof <= 0
(an infinite element, dim=()), of renorm next to a NaN slice, of prod and cumprod at one
element or a zero, the empty median's graph, integer ``dtype=`` of an input requiring grad,
logsumexp's dim=(), cummax of an empty input, the order of PyTorch's checks (dim before
dtype), and the out= overloads of sum/prod/median/argsort/mean/nansum/nanmean. Each program
runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

NAN, INF = float("nan"), float("inf")


def _ties(torch, n=24, requires_grad=True):
    """Values -2..2 with many ties (more than 16 per row: std::sort's own tie order)."""
    v = [float((i * 7) % 5 - 2) for i in range(n)]
    return torch.tensor(v, dtype=torch.float64, requires_grad=requires_grad)


# ---- quantile: gradients among ties follow PyTorch's (unstable) sort -------------------------
@program
def quantile_grad_among_ties_goes_where_pytorchs_sort_puts_them(torch):
    x = _ties(torch, 30)
    q = torch.tensor([0.1, 0.5, 0.8], dtype=torch.float64)
    (g,) = torch.autograd.grad(torch.quantile(x, q).sum(), x)
    return g


@program
def nanquantile_grad_among_ties_with_nans(torch):
    x = _ties(torch, 24, requires_grad=False).reshape(4, 6).clone()
    x[1, 2] = NAN
    x[3, 0] = NAN
    x.requires_grad_()
    w = torch.arange(3, dtype=torch.float64) + 1
    (g,) = torch.autograd.grad((torch.nanquantile(x, torch.tensor([0.2, 0.5, 0.9],
                               dtype=torch.float64)) * w).sum(), x)  # fmt: skip
    return g


# ---- mode with NaN: std::sort's insertion sort with NaN comparisons --------------------------
@program
def mode_of_rows_holding_nans(torch):
    x = torch.tensor(
        [[1.0, NAN], [NAN, 1.0], [1.0, NAN, NAN][:2], [NAN, NAN], [2.0, 2.0]], dtype=torch.float32
    )
    y = torch.tensor([[1.0, NAN, NAN, 2.0, 1.0], [NAN, 3.0, NAN, 3.0, NAN], [0.0, NAN, 0.0, 1.0, 1.0]])  # fmt: skip
    return torch.mode(x, 1), torch.mode(y, 1), torch.mode(y.t(), 0), torch.mode(y[:, :3], 0)


# ---- var / std at dof <= 0 -------------------------------------------------------------------
@program
def var_grad_at_no_degrees_of_freedom_is_nan_where_x_equals_the_mean(torch):
    out = []  # inf elsewhere: NaN at an inf (inf == its mean), inf at a NaN
    for v in (1.0, 0.0, INF, -INF, NAN):
        x = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        y = torch.tensor([v, 1.0], dtype=torch.float64, requires_grad=True)
        out += [torch.autograd.grad(x.var(0), x), torch.autograd.grad(x.std(), x)]
        out.append(torch.autograd.grad(y.var(correction=2), y))
    return out


@program
def var_and_std_grad_with_dim_empty_tuple_counts_one_element(torch):
    x = torch.tensor([1.0, 2.0, 2.0, 0.0], dtype=torch.float64, requires_grad=True)
    out = []
    for c in (0, 1, 2):
        out.append(torch.autograd.grad(torch.var(x, dim=(), correction=c), x)[0])
        out.append(torch.autograd.grad(torch.std_mean(x, dim=[], correction=c)[0], x)[0])
    return out


# ---- renorm: a slice left as it is gets the gradient as it is --------------------------------
@program
def renorm_grad_next_to_a_nan_slice(torch):
    x = torch.tensor([[INF, INF, 1.0, 2.0], [2.0, 2.0, -INF, NAN], [0.0, -1.0, 2.0, 0.0]],
                     dtype=torch.float64, requires_grad=True)  # fmt: skip
    y = torch.renorm(x, 0.5, 1, 0.5)
    w = torch.arange(12, dtype=torch.float64).reshape(3, 4).cos()
    return y, torch.autograd.grad((y * w).sum(), x)


@program
def renorm_grad_of_finite_slices(torch):
    x = torch.tensor([[3.0, 0.1, -4.0], [0.2, 0.0, 1.0]], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad((torch.renorm(x, 2, 0, 1.0) ** 2).sum(), x, create_graph=True)
    return g, torch.autograd.grad(g.sum(), x)


# ---- prod / cumprod: PyTorch's backward passes the gradient on (no graph of the input) --------
@program
def prod_and_cumprod_first_gradients_at_one_element(torch):
    out = []
    for make in (
        lambda x: x.prod(0),
        lambda x: x.cumprod(0),
        lambda x: x.reshape(1, 1).cumprod(1),
        lambda x: x.reshape(1, 1).prod(1, keepdim=True) * 0 + x.reshape(1, 1).prod(1, True),
    ):
        for v in (3.0, 0.0):
            x = torch.tensor(v, dtype=torch.float64, requires_grad=True)
            (g,) = torch.autograd.grad(make(x).sum(), x, create_graph=True)
            out.append((g, g.requires_grad))
            x1 = torch.tensor([v], dtype=torch.float64, requires_grad=True)
            (g1,) = torch.autograd.grad(make(x1).sum(), x1, create_graph=True)
            out.append((g1, g1.requires_grad))
    return out


@program
def prod_of_a_zero_along_a_dim_of_one(torch):
    x = torch.tensor([[0.0], [2.0], [-0.0]], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(x.prod(1, keepdim=True).sum(), x, create_graph=True)
    return g, g.requires_grad


@program
def cumprod_grad_with_a_nan_past_a_zero(torch):
    x = torch.tensor([[2.0, 0.0, NAN, 3.0], [1.0, -1.0, 0.0, 2.0]], dtype=torch.float64,
                     requires_grad=True)  # fmt: skip
    w = torch.tensor([[0.5, -1.0, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0]], dtype=torch.float64)
    return torch.autograd.grad((x.cumprod(1) * w).sum(), x)


@program
def cumprod_grad_at_the_first_zero_with_infs_around(torch):
    x = torch.tensor([[INF, 0.0, 0.0], [0.0, 1.0, 0.0], [2.0, -INF, -1.0], [0.0, 2.0, 3.0]],
                     dtype=torch.float64, requires_grad=True)  # fmt: skip
    w = torch.arange(12, dtype=torch.float64).reshape(4, 3).add(0.5).cos()
    return torch.autograd.grad((x.cumprod(0) * w).sum(), x)


# ---- median of nothing, integer results of inputs requiring grad -----------------------------
@program
def median_of_an_empty_input_requiring_grad_is_in_the_graph(torch):
    x = torch.empty(3, 0, dtype=torch.float64, requires_grad=True)
    m, n = torch.median(x), torch.nanmedian(x)
    return m, n, type(m.grad_fn).__name__, type(n.grad_fn).__name__


@error(RuntimeError, r"^Autograd not support dtype: Long")
def sum_to_int64_of_an_input_requiring_grad(torch):
    torch.tensor([1.0, -2.0], requires_grad=True).sum(dtype=torch.int64)


@program
def integer_dtype_results_of_inputs_requiring_grad(torch):
    x = torch.tensor([1.5, -2.0], requires_grad=True)
    out = []
    for f in (
        lambda: x.sum(0, dtype=torch.int32),
        lambda: x.prod(dtype=torch.int64),
        lambda: x.cumsum(0, dtype=torch.int64),
        lambda: x.cumprod(0, dtype=torch.uint8),
        lambda: torch.nansum(x, dtype=torch.bool),
        lambda: x.detach().sum(dtype=torch.int64),
    ):
        try:
            out.append(f())
        except RuntimeError as e:
            out.append(str(e))
    with torch.no_grad():
        out.append(x.sum(dtype=torch.int64))
    return out


@error(RuntimeError, r"nanmean\(\): could not infer output dtype. Optional dtype must be")
def nanmean_to_an_integer_dtype(torch):
    torch.nanmean(torch.ones(3), dtype=torch.int64)


# ---- argument checks -------------------------------------------------------------------------
@error(TypeError, r"^prod\(\) received an invalid combination of arguments")
def prod_with_dim_none(torch):
    torch.prod(torch.ones(2, 3), dim=None)


@error(TypeError, r"^prod\(\) received an invalid combination of arguments")
def prod_with_keepdim_and_no_dim(torch):
    torch.prod(torch.ones(2, 3), keepdim=True)


@error(RuntimeError, r"output with shape \[\] doesn't match the broadcast shape \[1, 1\]")
def logsumexp_over_dim_empty_tuple(torch):
    torch.logsumexp(torch.ones(2, 3), dim=())


@program
def logsumexp_over_dim_empty_tuple_kept_or_of_a_scalar(torch):
    x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
    return torch.logsumexp(x, (), keepdim=True), torch.logsumexp(torch.tensor(2.0), [])


@program
def cummax_and_cummin_of_an_empty_input_check_no_dim(torch):
    x = torch.ones(3, 0)
    return torch.cummax(x, 5), torch.cummin(x, -4)


@program
def checks_in_pytorchs_order_dim_first(torch):
    out = []
    for f in (
        lambda: torch.logcumsumexp(torch.ones(3, 2, dtype=torch.uint8), 3),
        lambda: torch.cumsum(torch.ones(2, dtype=torch.bool), 2, dtype=torch.bool),
        lambda: torch.cumprod(torch.ones(2, dtype=torch.bool), -3, dtype=torch.bool),
        lambda: torch.nanmedian(torch.ones(4, dtype=torch.bool), 1),
        lambda: torch.median(torch.ones(4, dtype=torch.bool), -2),
        lambda: torch.kthvalue(torch.ones(3, 3, dtype=torch.bool), 4),
        lambda: torch.kthvalue(torch.ones(3, dtype=torch.bool), 1),
        lambda: torch.kthvalue(torch.tensor(True), 1),
    ):
        try:
            out.append(f())
        except (RuntimeError, IndexError, NotImplementedError) as e:
            out.append((type(e).__name__, str(e).replace("minitorch", "torch")))
    return out


# ---- out= overloads --------------------------------------------------------------------------
@program
def out_overloads_of_the_reductions(torch):
    x = torch.tensor([1.0, 2.0, 4.0])
    f64, i64 = torch.float64, torch.int64
    out = []
    for f in (
        lambda: torch.sum(x, out=torch.empty(0)),
        lambda: torch.sum(x, dtype=f64, out=torch.empty(0, dtype=f64)),
        lambda: torch.sum(x, None, out=torch.empty(0)),
        lambda: torch.prod(x, out=torch.empty(0)),
        lambda: torch.prod(x, 0, out=torch.empty(0)),
        lambda: torch.median(x, out=torch.empty(0)),
        lambda: torch.nanmedian(x, out=torch.empty(0)),
        lambda: torch.argsort(x, out=torch.empty(0, dtype=i64)),
        lambda: torch.argsort(x, dim=0, out=torch.empty(0, dtype=i64)),
        lambda: torch.argsort(x, stable=True, out=torch.empty(0, dtype=i64)),
        lambda: torch.mean(x, 0, dtype=torch.float32, out=torch.empty(0, dtype=f64)),
        lambda: torch.mean(x.half(), 0, out=torch.empty(0, dtype=i64)),
        lambda: torch.nansum(x.long(), 0, dtype=i64, out=torch.empty(0, dtype=f64)),
        lambda: torch.nanmean(x, 0, out=torch.empty(0, dtype=i64)),
        lambda: torch.nanmean(x, 0, dtype=torch.float16, out=torch.empty(0, dtype=f64)),
        lambda: torch.nanmean(x, 0, out=torch.empty(0, dtype=f64)),
    ):
        try:
            out.append(f())
        except (RuntimeError, TypeError, NotImplementedError) as e:
            out.append((type(e).__name__, str(e).replace("minitorch", "torch")[:28]))
    return out


@program
def median_of_all_elements_at_infinities_and_its_gradient(torch):
    out = []
    for v in ([[INF]], [-INF, -INF, 1.0], [INF, INF, 1.0], [NAN, 1.0, 2.0], [1.0, 2.0, 2.0, NAN]):
        for f in (torch.median, torch.nanmedian):
            x = torch.tensor(v, dtype=torch.float64, requires_grad=True)
            m = f(x)
            out += [m, torch.autograd.grad(m * 2, x)]
    return out


@program
def median_and_unique_of_bfloat16_with_nans(torch):
    x = torch.tensor([[-INF, 2.0, -1.0, 0.0], [NAN, NAN, -INF, -2.0], [0.0, INF, INF, -0.0]],
                     dtype=torch.bfloat16)  # fmt: skip
    y = torch.tensor([[1.0, 1.0], [NAN, NAN], [1.0, 0.0]], dtype=torch.bfloat16)
    values, inverse, counts = torch.unique(y, dim=0, return_inverse=True, return_counts=True)
    m, n = torch.median(x, 1), torch.nanmedian(x, 0)
    # (compared in float32: the harness reads results through numpy, which has no bfloat16)
    return (torch.nanmedian(x).float(), m.values.float(), m.indices, n.values.float(),
            n.indices, values.float(), inverse, counts, torch.unique(x).float())  # fmt: skip


@program
def empty_bool_median_and_searches(torch):
    b = torch.ones(0, 3, dtype=torch.bool)
    seq = torch.tensor([False, True])
    return (torch.median(b), torch.nanmedian(b), torch.searchsorted(seq, b),
            torch.bucketize(torch.ones(0, dtype=torch.bool), seq))  # fmt: skip


@program
def diff_of_order_zero_checks_no_dim(torch):
    return torch.diff(torch.arange(3.0), 0, 1), torch.diff(torch.ones(2, 2), n=0, dim=-3)


@error(RuntimeError, r"linalg.matrix_norm: dim must be a 2-tuple. Got 0")
def nuclear_norm_over_one_int_dim(torch):
    torch.norm(torch.ones(2, 3, 4), "nuc", 0)


@program
def out_checked_before_or_after_the_ops_own_checks(torch):
    x = torch.ones(2, 3)
    f64, i64 = torch.float64, torch.int64
    out = []
    for f in (
        lambda: torch.amax(x, 3, out=torch.empty(0, dtype=f64)),
        lambda: torch.amin(torch.ones(1, 0, 3), out=torch.empty(0, dtype=torch.bool)),
        lambda: torch.all(x, 3, out=torch.empty(0)),
        lambda: torch.cummax(x, 4, out=(torch.empty(0, dtype=f64), torch.empty(0, dtype=i64))),
        lambda: torch.mode(x, 3, out=(torch.empty(0, dtype=f64), torch.empty(0, dtype=i64))),
        lambda: torch.logsumexp(x, (), out=torch.empty(0, dtype=torch.bool)),
        lambda: torch.logcumsumexp(x.bool(), 3, out=torch.empty(0, dtype=i64)),
        lambda: torch.searchsorted(x.bool(), x.bool(), out=torch.empty(0)),
        lambda: torch.median(x.bool(), 0, out=(torch.empty(0), torch.empty(0, dtype=i64))),
        lambda: torch.nanmedian(x.bool(), 2, out=(torch.empty(0), torch.empty(0, dtype=i64))),
        lambda: torch.renorm(x, 2, 5, 1.0, out=torch.empty(0, dtype=i64)),
        lambda: torch.renorm(torch.ones(3), 2, 0, 1.0, out=torch.empty(0, dtype=i64)),
        lambda: torch.cumsum(x, 3, dtype=f64, out=torch.empty(0, dtype=torch.bool)),
        lambda: torch.mean(x, 3, dtype=torch.float32, out=torch.empty(0, dtype=i64)),
        lambda: torch.mean(x.double(), 0, out=torch.empty(0, dtype=torch.bool)),
        lambda: torch.mean(x.double(), out=torch.empty(0, dtype=torch.bool)),
        lambda: torch.nansum(x, 1, dtype=i64, out=torch.empty(0)),
        lambda: torch.nansum(x.half(), 1, dtype=torch.float32, out=torch.empty(0, dtype=i64)),
        lambda: torch.nansum(x.long(), 1, dtype=i64, out=torch.empty(0, dtype=f64)),
        lambda: torch.nanmean(x, 0, dtype=i64, out=torch.empty(0, dtype=f64)),
        lambda: torch.argsort(x, stable=True, out=torch.empty(0)),
    ):
        try:
            out.append(f())
        except (RuntimeError, IndexError, TypeError, NotImplementedError) as e:
            out.append((type(e).__name__, str(e).replace("minitorch", "torch")))
    return out


@program
def prod_grads_with_zeros_and_infinities(torch):
    out = []
    x = torch.tensor([[-INF, 0.0, -2.0], [0.0, 2.0, 0.0], [INF, NAN, 0.0], [1.0, -INF, 3.0]],
                     dtype=torch.float64, requires_grad=True)  # fmt: skip
    for f in (lambda t: t.prod(), lambda t: t.prod(1), lambda t: t.prod(0, keepdim=True),
              lambda t: t[0].prod(), lambda t: t[:2].prod()):  # fmt: skip
        y = f(x)
        w = torch.arange(y.numel(), dtype=torch.float64).reshape(y.shape).cos()
        (g,) = torch.autograd.grad((y * w).sum(), x, create_graph=True)
        out.append(g)
        if g.requires_grad:
            out.append(torch.autograd.grad((g * g.sin()).sum(), x, allow_unused=True))
    return out


@program
def any_all_of_bytes_into_a_bool_out(torch):
    x = torch.tensor([[0, 3], [1, 2]], dtype=torch.uint8)
    return (torch.all(x, out=torch.empty(0, dtype=torch.bool)),
            torch.any(x, 1, out=torch.empty(0, dtype=torch.bool)))  # fmt: skip


@program
def checks_in_pytorchs_order_k_range_bins_before_dtypes(torch):
    out = []
    for f in (
        lambda: torch.topk(torch.ones(2, 4, 1, dtype=torch.bool), 2),
        lambda: torch.topk(torch.ones(4, dtype=torch.bool), 2),
        lambda: torch.histc(torch.ones(3, dtype=torch.uint8), 3, 1, 0),
        lambda: torch.histc(torch.ones(3, dtype=torch.int64), 0, -2.5, -0.5),
        lambda: torch.histc(torch.ones(3, dtype=torch.uint8), 3, 0, 0),
        lambda: torch.prod(torch.tensor(1.0, requires_grad=True), 1, dtype=torch.int64),
    ):
        try:
            out.append(f())
        except (RuntimeError, IndexError, NotImplementedError) as e:
            out.append((type(e).__name__, str(e).replace("minitorch", "torch")))
    return out


@program
def logsumexp_over_dim_empty_tuple_of_empty_and_scalar_inputs(torch):
    out = []
    for shape in ((0,), (0, 2), (), (1,)):
        try:
            out.append(torch.logsumexp(torch.ones(shape), ()))
        except RuntimeError as e:
            out.append(str(e))
    return out


@program
def nansum_to_an_integer_dtype_counts_nans_as_zero(torch):
    x = torch.tensor([[NAN, 1.5], [2.0, NAN]], dtype=torch.float64)
    return (torch.nansum(x, dtype=torch.int64), torch.nansum(x, 0, dtype=torch.int32),
            torch.nansum(x, 0, dtype=torch.int64, out=torch.empty(0, dtype=torch.int64)))  # fmt: skip


@program
def renorm_second_derivative_of_slices_left_as_they_are(torch):
    x = torch.tensor([[1.0402], [0.013], [0.0322], [0.0]], dtype=torch.float64,
                     requires_grad=True)  # fmt: skip
    w = torch.tensor([[0.5], [-1.0], [2.0], [1.5]], dtype=torch.float64)
    (g,) = torch.autograd.grad((torch.renorm(x, 3, 0, 1.0) * w).sum(), x, create_graph=True)
    return g, torch.autograd.grad((g * g.sin()).sum(), x)


@program
def mode_of_rows_with_repeated_infinities(torch):
    x = torch.tensor([[INF, INF, 2.0], [-INF, 1.0, -INF], [INF, -INF, 0.0]], dtype=torch.float64,
                     requires_grad=True)  # fmt: skip
    m = torch.mode(x, 1)
    return m, torch.mode(x.detach(), 0), torch.autograd.grad(m.values.sum(), x)
