"""Session 8 compatibility sweep of ``torch.func`` and ``torch.autograd.functional``: research
programs (per-sample gradients, ensembling, Hessians, JVPs, vmap over real code) and their
errors, run with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _f64(torch, *shape, lo=-1.0, hi=1.0):
    n = 1
    for s in shape:
        n *= s
    return torch.linspace(lo, hi, n, dtype=torch.float64).reshape(*shape)


# ---- grad / grad_and_value ------------------------------------------------------------------
@program
def grad_argnums_tuple_of_three(torch):
    def f(a, b, c):
        return (a * b.exp() + c**2).sum()

    a, b, c = _f64(torch, 3), _f64(torch, 3, lo=0.0), _f64(torch, 3, lo=2.0, hi=3.0)
    return [
        torch.func.grad(f, argnums=(0, 2))(a, b, c),
        torch.func.grad(f, argnums=-1)(a, b, c),
        torch.func.grad(f, argnums=(1,))(a, b, c),
    ]


@program
def grad_pytree_dict_input(torch):
    def loss(params, x):
        h = torch.tanh(x @ params["w1"] + params["b1"])
        return ((h @ params["w2"]) ** 2).mean()

    params = {"w1": _f64(torch, 3, 4), "b1": _f64(torch, 4, lo=0.0), "w2": _f64(torch, 4, 2)}
    x = _f64(torch, 5, 3, lo=-2.0, hi=2.0)
    g = torch.func.grad(loss)(params, x)
    gv = torch.func.grad_and_value(loss, argnums=(0, 1))(params, x)
    return [g, gv, list(g)]


@program
def grad_list_and_tuple_inputs(torch):
    def f(ws):
        return sum((w**2).sum() for w in ws)

    ws = [_f64(torch, 2), _f64(torch, 3), _f64(torch, 1)]
    g = torch.func.grad(f)(ws)
    t = torch.func.grad(lambda p: (p[0] * p[1][0]).sum())((ws[0], [ws[0] + 1]))
    return [g, type(g).__name__, t, type(t).__name__, type(t[1]).__name__]


@program
def grad_has_aux_nested(torch):
    def f(x):
        y = x.sin()
        return y.sum(), {"y": y, "n": (x.norm(), y[0])}

    g, aux = torch.func.grad(f, has_aux=True)(_f64(torch, 4))
    return [g, aux]


@program
def grad_value_is_detached(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    g, v = torch.func.grad_and_value(lambda t: (t**2).sum())(x)
    return [g, v, g.requires_grad, v.requires_grad, x.grad is None]


@program
def grad_of_grad_composite(torch):
    def f(x):
        return (x.exp() * x.cos()).sum()

    x = _f64(torch, 3)
    g2 = torch.func.grad(lambda t: torch.func.grad(f)(t).sum())(x)
    return [g2]


@program
def grad_with_kwargs(torch):
    def f(x, scale=1.0, *, power=2):
        return (scale * x**power).sum()

    x = _f64(torch, 3)
    return [torch.func.grad(f)(x, 3.0, power=3), torch.func.grad(f)(x, scale=2.0)]


@program
def grad_unused_input_zero(torch):
    def f(x, y):
        return x.sum() * 2

    x, y = _f64(torch, 2), _f64(torch, 3)
    return [torch.func.grad(f, argnums=(0, 1))(x, y)]


@program
def grad_output_constant(torch):
    return [torch.func.grad(lambda x: torch.tensor(3.0))(torch.ones(2))]


@program
def grad_inside_autograd_graph(torch):
    w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)

    def f(x):
        return (x * w).pow(2).sum()

    g = torch.func.grad(f)(torch.tensor([1.0, 2.0, 3.0]))
    loss = g.sum()
    loss.backward()
    return [g, g.requires_grad, w.grad]


@error(RuntimeError, r"Expected f\(\*args\) to return a Tensor, got")
def grad_returns_float(torch):
    torch.func.grad(lambda x: 3.0)(torch.ones(2))


@error(RuntimeError, r"output of function f should be a tuple: \(output, aux\) if has_aux is True")
def grad_has_aux_missing_tuple(torch):
    torch.func.grad(lambda x: x.sum(), has_aux=True)(torch.ones(2))


@error(RuntimeError, r"Got argnum=2, but only 2 positional inputs")
def grad_argnum_out_of_range(torch):
    torch.func.grad(lambda a, b: a.sum(), argnums=2)(torch.ones(2), torch.ones(2))


@error(RuntimeError, r"argnums must be non-empty")
def grad_argnums_empty(torch):
    torch.func.grad(lambda a: a.sum(), argnums=())(torch.ones(2))


@error(RuntimeError, r"only Tensors of floating point dtype can require gradients")
def grad_int_input(torch):
    torch.func.grad(lambda a: a.sum())(torch.arange(3))


@error(RuntimeError, r"argnums must be int or Tuple\[int, ...\]")
def grad_argnums_list(torch):
    torch.func.grad(lambda a: a.sum(), argnums=[0])(torch.ones(2))


@program
def grad_float64_keeps_dtype_and_0d(torch):
    x = torch.tensor(1.5, dtype=torch.float64)
    g = torch.func.grad(lambda t: t**3)(x)
    h = torch.func.grad(lambda t: (t.double() ** 2).sum())(torch.ones(2))
    return [g, h]


# ---- vmap -----------------------------------------------------------------------------------
@program
def vmap_out_dims_tuple_and_none(torch):
    x = _f64(torch, 2, 3)
    f = torch.func.vmap(lambda r: (r * 2, r.sum()), out_dims=(1, 0))
    g = torch.func.vmap(lambda r: (r, torch.ones(2)), out_dims=(0, None))
    return [f(x), g(x)]


@program
def vmap_out_dims_negative(torch):
    x = _f64(torch, 4, 2, 3)
    return [torch.func.vmap(lambda r: r.T, out_dims=-1)(x)]


@program
def vmap_in_dims_negative_nested(torch):
    x = _f64(torch, 3, 4)
    y = _f64(torch, 4, 3)
    return [torch.func.vmap(lambda a, b: a * b, in_dims=(-1, 0))(y, y.T), x]


@program
def vmap_returns_dict(torch):
    x = _f64(torch, 3, 2)
    out = torch.func.vmap(lambda r: {"s": r.sum(), "m": r.max(), "v": r.sort().values})(x)
    return out


@program
def vmap_returns_nested_list(torch):
    x = _f64(torch, 3, 2)
    return torch.func.vmap(lambda r: [r, (r + 1, r * 2)])(x)


@program
def vmap_reductions_over_row(torch):
    x = _f64(torch, 4, 5)
    f = torch.func.vmap
    return [
        f(lambda r: r.mean())(x),
        f(lambda r: r.std())(x),
        f(lambda r: r.argmax())(x),
        f(lambda r: r.cumsum(0))(x),
        f(lambda r: torch.logsumexp(r, 0))(x),
        f(lambda r: r.norm())(x),
        f(lambda r: r.topk(2).values)(x),
    ]


@program
def vmap_indexing(torch):
    x = _f64(torch, 3, 5)
    idx = torch.tensor([0, 2, 4])
    f = torch.func.vmap
    return [
        f(lambda r: r[1:3])(x),
        f(lambda r: r[idx])(x),
        f(lambda r, i: r[i])(x, torch.tensor([1, 0, 4])),
        f(lambda r: torch.gather(r, 0, idx))(x),
    ]


@program
def vmap_matmul_variants(torch):
    A = _f64(torch, 3, 4, 5)
    v = _f64(torch, 3, 5)
    W = _f64(torch, 5, 2)
    f = torch.func.vmap
    return [
        f(torch.mv)(A, v),
        f(torch.mm, in_dims=(0, None))(A, W),
        f(lambda a, b: a @ b)(v, v),
        f(torch.outer)(v, v),
        f(torch.matmul, in_dims=(None, 0))(W.T, v),
    ]


@program
def vmap_broadcast_with_unbatched(torch):
    x = _f64(torch, 4, 3)
    b = _f64(torch, 3, lo=5.0, hi=6.0)
    return [torch.func.vmap(lambda r: r + b)(x), torch.func.vmap(lambda r: r.unsqueeze(0) * x)(x)]


@program
def vmap_nested_two_levels(torch):
    x = _f64(torch, 2, 3, 4)
    y = _f64(torch, 3, 4)
    inner = torch.func.vmap(torch.dot, in_dims=(0, 0))
    outer = torch.func.vmap(inner, in_dims=(0, None))
    pairwise = torch.func.vmap(torch.func.vmap(torch.dot, in_dims=(None, 0)), in_dims=(0, None))
    return [outer(x, y), pairwise(y, y)]


@program
def vmap_in_dims_none_scalar_arg(torch):
    x = _f64(torch, 3, 2)
    return [torch.func.vmap(lambda r, k, s: r * k + s, in_dims=(0, None, None))(x, 2, 0.5)]


@program
def vmap_chunk_size(torch):
    x = _f64(torch, 7, 3)
    return [torch.func.vmap(lambda r: r.softmax(0), chunk_size=3)(x)]


@program
def vmap_kwargs_not_mapped(torch):
    x = _f64(torch, 3, 2)
    return [torch.func.vmap(lambda r, scale: r * scale)(x, scale=torch.ones(2) * 3)]


@program
def vmap_dtype_int_and_bool(torch):
    x = torch.arange(12).reshape(3, 4)
    return [
        torch.func.vmap(lambda r: r.sum())(x),
        torch.func.vmap(lambda r: r > 5)(x),
        torch.func.vmap(lambda r: r.float().mean())(x),
    ]


@program
def vmap_output_0d_and_shapes(torch):
    x = _f64(torch, 3)
    return [torch.func.vmap(lambda s: s * 2)(x), torch.func.vmap(lambda s: s.reshape(1, 1))(x)]


@program
def vmap_noncontiguous_input(torch):
    x = _f64(torch, 4, 3).t()
    return [torch.func.vmap(lambda r: r.cumsum(0))(x), torch.func.vmap(torch.sum, in_dims=1)(x)]


@program
def vmap_grad_through(torch):
    w = _f64(torch, 3).requires_grad_()
    x = _f64(torch, 4, 3, lo=-3.0, hi=3.0)
    out = torch.func.vmap(lambda r: (r * w).tanh().sum())(x)
    out.sum().backward()
    return [out, w.grad]


@program
def vmap_inplace_on_batched(torch):
    x = _f64(torch, 3, 2)

    def f(r):
        y = r.clone()
        y.add_(1).mul_(2)
        y[0] = 0
        return y

    return [torch.func.vmap(f)(x)]


@program
def vmap_randomness_same_rand_like(torch):
    x = torch.ones(4, 3)
    out = torch.func.vmap(lambda r: torch.rand_like(r) + r, randomness="same")(x)
    return [(out[0] == out[1]).all(), (out[0] == out[3]).all(), out.shape]


@program
def vmap_randomness_different_dropout(torch):
    x = torch.ones(4, 50)
    out = torch.func.vmap(lambda r: torch.nn.functional.dropout(r, 0.5), randomness="different")(x)
    return [(out[0] != out[1]).any(), out.shape, set(out.unique().tolist()) <= {0.0, 2.0}]


@error(RuntimeError, r"called random operation while in randomness error mode")
def vmap_randn_error(torch):
    torch.func.vmap(lambda r: r + torch.randn(3))(torch.ones(2, 3))


@error(RuntimeError, r"Only allowed values for randomness are 'error', 'different', or 'same'")
def vmap_bad_randomness(torch):
    torch.func.vmap(lambda r: r, randomness="sometimes")(torch.ones(2))


@error(ValueError, r"Got in_dim=2 for some input, but that input is a Tensor of dimensionality 2")
def vmap_in_dim_out_of_range(torch):
    torch.func.vmap(lambda r: r, in_dims=2)(torch.ones(2, 3))


@error(ValueError, r"We cannot vmap over non-Tensor arguments")
def vmap_over_python_number(torch):
    torch.func.vmap(lambda r, k: r * k)(torch.ones(2), 3)


@error(ValueError, r"must only return Tensors, got type")
def vmap_returns_python_number(torch):
    torch.func.vmap(lambda r: 3)(torch.ones(2))


@error(ValueError, r"Expected all tensors to have the same size in the mapped dimension")
def vmap_size_mismatch_in_dims(torch):
    torch.func.vmap(lambda a, b: a + b, in_dims=(0, 1))(torch.ones(2, 3), torch.ones(2, 3))


@error(ValueError, r"got no inputs")
def vmap_no_inputs(torch):
    torch.func.vmap(lambda: torch.ones(2))()


@error(ValueError, r"out_dims is not compatible with the structure of `outputs`")
def vmap_out_dims_structure(torch):
    torch.func.vmap(lambda r: (r, r), out_dims=(0, 0, 0))(torch.ones(2))


# ---- jacrev / jacfwd / hessian --------------------------------------------------------------
@program
def jacrev_argnums_tuple_shapes(torch):
    def f(x, W):
        return torch.tanh(W @ x)

    x, W = _f64(torch, 3), _f64(torch, 2, 3)
    jr = torch.func.jacrev(f, argnums=(0, 1))(x, W)
    jf = torch.func.jacfwd(f, argnums=(0, 1))(x, W)
    return [jr, jf, jr[1].shape]


@program
def jacrev_scalar_output_and_input(torch):
    x = torch.tensor(0.3, dtype=torch.float64)
    return [
        torch.func.jacrev(torch.sin)(x),
        torch.func.jacfwd(lambda t: t * torch.ones(3, dtype=torch.float64))(x),
        torch.func.jacrev(lambda t: t.sum())(_f64(torch, 2, 2)),
    ]


@program
def jacfwd_has_aux(torch):
    x = _f64(torch, 3)
    j, aux = torch.func.jacfwd(lambda t: (t.exp(), {"s": t.sum()}), has_aux=True)(x)
    return [j, aux]


@program
def jacrev_chunk_sizes(torch):
    x = _f64(torch, 5)
    return [
        torch.func.jacrev(lambda t: t.cumprod(0), chunk_size=2)(x),
        torch.func.jacrev(lambda t: t.cumprod(0), chunk_size=1)(x),
    ]


@program
def jacrev_tuple_output(torch):
    x = _f64(torch, 3)
    return torch.func.jacrev(lambda t: (t.sin(), t.sum(), t.outer(t)))(x)


@program
def hessian_argnums_tuple(torch):
    def f(x, y):
        return (x**2 * y.sin()).sum()

    x, y = _f64(torch, 2), _f64(torch, 2, lo=0.5)
    h = torch.func.hessian(f, argnums=(0, 1))(x, y)
    return [h, h[0][1].shape]


@program
def hessian_of_mlp_loss(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    model.double()
    params = {k: v.detach() for k, v in model.named_parameters()}
    x = _f64(torch, 5, 3)

    def loss(w0):
        p = dict(params, **{"0.weight": w0})
        return torch.func.functional_call(model, p, (x,)).pow(2).mean()

    return [
        torch.func.hessian(loss)(params["0.weight"]).shape,
        torch.func.hessian(loss)(params["0.weight"]),
    ]


@program
def jacrev_of_jacrev_matches_hessian(torch):
    f = lambda t: (t.sin() * t.roll(1)).sum()  # noqa: E731
    x = _f64(torch, 4)
    return [torch.func.jacrev(torch.func.jacrev(f))(x), torch.func.hessian(f)(x)]


@program
def jacrev_int_output_errors_or_not(torch):
    x = _f64(torch, 3)
    j = torch.func.jacrev(lambda t: t * 2)(x)
    return [j, j.dtype]


@program
def jacfwd_randomness_same(torch):
    x = _f64(torch, 3)
    return [torch.func.jacfwd(lambda t: t * 2, randomness="same")(x)]


# ---- vjp / jvp / linearize ------------------------------------------------------------------
@program
def vjp_multiple_primals_and_dict_output(torch):
    x, y = _f64(torch, 3), _f64(torch, 3, lo=1.0, hi=2.0)
    out, fn = torch.func.vjp(lambda a, b: {"p": a * b, "s": (a + b).sum()}, x, y)
    ct = {"p": torch.ones(3, dtype=torch.float64), "s": torch.tensor(2.0, dtype=torch.float64)}
    return [out, fn(ct)]


@program
def vjp_fn_called_twice(torch):
    x = _f64(torch, 3)
    out, fn = torch.func.vjp(torch.sin, x)
    return [fn(torch.ones(3, dtype=torch.float64)), fn(x)]


@error(RuntimeError, r"Mismatch in shape: grad_output\[0\] has a shape of")
def vjp_wrong_cotangent_shape(torch):
    out, fn = torch.func.vjp(torch.sin, torch.ones(3))
    fn(torch.ones(4))


@error(RuntimeError, r"Expected pytree structure of cotangents to be the same")
def vjp_wrong_cotangent_structure(torch):
    out, fn = torch.func.vjp(lambda t: (t, t), torch.ones(3))
    fn(torch.ones(3))


@program
def jvp_multiple_primals(torch):
    x, y = _f64(torch, 3), _f64(torch, 3, lo=1.0, hi=2.0)
    out, t = torch.func.jvp(lambda a, b: (a * b, a.exp()), (x, y), (torch.ones_like(x), y))
    return [out, t]


@program
def jvp_has_aux(torch):
    x = _f64(torch, 3)
    out, t, aux = torch.func.jvp(lambda a: (a.sin(), a.cos()), (x,), (x,), has_aux=True)
    return [out, t, aux]


@program
def jvp_output_independent_of_input(torch):
    x = _f64(torch, 3)
    out, t = torch.func.jvp(lambda a: torch.ones(2, dtype=torch.float64), (x,), (x,))
    return [out, t]


@error(RuntimeError, r"Expected primals to be a tuple")
def jvp_primals_not_tuple(torch):
    torch.func.jvp(torch.sin, torch.ones(2), (torch.ones(2),))


@error(RuntimeError, r"Expected primals and tangents to have the same python structure")
def jvp_tangent_structure(torch):
    torch.func.jvp(torch.mul, (torch.ones(2), torch.ones(2)), (torch.ones(2),))


@program
def linearize_many_tangents(torch):
    x = _f64(torch, 3)
    out, fn = torch.func.linearize(lambda t: t.sin() * t, x)
    return [out, fn(torch.ones_like(x)), fn(x)]


# ---- functional_call / stack_module_state ---------------------------------------------------
@program
def functional_call_tuple_of_dicts(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(3, 2)
    x = _f64(torch, 4, 3).float()
    w = {"weight": torch.ones(2, 3)}
    b = {"bias": torch.zeros(2)}
    return [torch.func.functional_call(m, (w, b), (x,)), torch.func.functional_call(m, w, x)]


@program
def functional_call_kwargs(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(3))

        def forward(self, x, scale=1.0):
            return x * self.w * scale

    m = M()
    return [
        torch.func.functional_call(
            m, {"w": torch.full((3,), 2.0)}, (torch.ones(3),), {"scale": 3.0}
        )
    ]


@error(ValueError, r"appeared in multiple dictionaries; behavior of functional call is ambiguous")
def functional_call_conflicting_dicts(torch):
    m = torch.nn.Linear(2, 2)
    torch.func.functional_call(
        m, ({"weight": torch.ones(2, 2)}, {"weight": torch.ones(2, 2)}), (torch.ones(2),)
    )


@error(RuntimeError, r"Unexpected key\(s\): 'nope'")
def functional_call_strict_unexpected(torch):
    m = torch.nn.Linear(2, 2)
    p = dict(m.named_parameters())
    p["nope"] = torch.ones(1)
    torch.func.functional_call(m, p, (torch.ones(2),), strict=True)


@program
def functional_call_grad_wrt_params(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(3, 1).double()
    params = {k: v.detach() for k, v in m.named_parameters()}
    x = _f64(torch, 4, 3)

    def loss(p):
        return torch.func.functional_call(m, p, (x,)).pow(2).sum()

    return [torch.func.grad(loss)(params), m.weight.grad is None]


@program
def stack_module_state_buffers_and_grad(torch):
    torch.manual_seed(0)
    models = [torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3)) for _ in range(2)]
    params, bufs = torch.func.stack_module_state(models)
    return [
        sorted(params),
        sorted(bufs),
        params["0.weight"].is_leaf,
        bufs["1.running_mean"].requires_grad,
        bufs["1.num_batches_tracked"],
        params["1.weight"],
    ]


@program
def per_sample_grads_mlp(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}
    x = torch.linspace(-2, 2, 20).reshape(5, 4)
    t = torch.tensor([0, 2, 1, 1, 0])

    def compute_loss(params, buffers, sample, target):
        batch = sample.unsqueeze(0)
        targets = target.unsqueeze(0)
        predictions = torch.func.functional_call(model, (params, buffers), (batch,))
        return torch.nn.functional.cross_entropy(predictions, targets)

    ft = torch.func.vmap(torch.func.grad(compute_loss), in_dims=(None, None, 0, 0))
    g = ft(params, buffers, x, t)
    full = []
    for i in range(5):
        model.zero_grad()
        torch.nn.functional.cross_entropy(model(x[i : i + 1]), t[i : i + 1]).backward()
        full.append(model[0].weight.grad.clone())
    return [g, torch.stack(full)]


@program
def ensemble_same_minibatch_and_different(torch):
    torch.manual_seed(0)
    models = [torch.nn.Linear(3, 2) for _ in range(4)]
    params, buffers = torch.func.stack_module_state(models)
    base = models[0]

    def fmodel(p, b, x):
        return torch.func.functional_call(base, (p, b), (x,))

    xs = torch.linspace(-1, 1, 4 * 5 * 3).reshape(4, 5, 3)
    a = torch.func.vmap(fmodel)(params, buffers, xs)
    b = torch.func.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, xs[0])
    a.sum().backward()
    return [a, b, params["weight"].grad]


# ---- torch.autograd.functional --------------------------------------------------------------
@program
def af_jacobian_tuple_inputs_create_graph(torch):
    AF = torch.autograd.functional
    x = _f64(torch, 3).requires_grad_()
    y = _f64(torch, 2, lo=1.0).requires_grad_()
    J = AF.jacobian(lambda a, b: a.sum() * b, (x, y), create_graph=True)
    (J[0].sum() + J[1].pow(2).sum()).backward()
    return [J, x.grad, y.grad, J[0].requires_grad]


@program
def af_jacobian_vectorize_and_forward(torch):
    AF = torch.autograd.functional
    x = _f64(torch, 2, 3)

    def f(t):
        return (t.softmax(-1) * t.exp()).cumsum(1)

    return [
        AF.jacobian(f, x),
        AF.jacobian(f, x, vectorize=True),
        AF.jacobian(f, x, vectorize=True, strategy="forward-mode"),
    ]


@program
def af_jacobian_independent_output(torch):
    AF = torch.autograd.functional
    x = _f64(torch, 3)
    return [
        AF.jacobian(lambda t: torch.ones(2, dtype=torch.float64), x),
        AF.jacobian(lambda t: torch.ones(2, dtype=torch.float64), x, vectorize=True),
        AF.jacobian(lambda a, b: a * 2, (x, x)),
    ]


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients")
def af_jacobian_strict_independent(torch):
    torch.autograd.functional.jacobian(lambda t: torch.ones(2), torch.ones(3), strict=True)


@error(RuntimeError, r"Output 0 of the user-provided function is independent of input 1")
def af_jacobian_strict_unused_input(torch):
    torch.autograd.functional.jacobian(
        lambda a, b: a * 2, (torch.ones(2), torch.ones(2)), strict=True
    )


@error(RuntimeError, r"`strict=True` and `vectorized=True` are not supported together")
def af_jacobian_strict_vectorize(torch):
    torch.autograd.functional.jacobian(torch.sin, torch.ones(2), strict=True, vectorize=True)


@error(NotImplementedError, r"only implemented for `vectorize=True`")
def af_jacobian_forward_without_vectorize(torch):
    torch.autograd.functional.jacobian(torch.sin, torch.ones(2), strategy="forward-mode")


@error(TypeError, r"must be either a Tensor or a tuple of Tensors")
def af_jacobian_list_input(torch):
    torch.autograd.functional.jacobian(lambda a: a, [torch.ones(2)])


@program
def af_hessian_tuple_and_vectorize(torch):
    AF = torch.autograd.functional

    def f(a, b):
        return (a.pow(3) * b.sin()).sum()

    a, b = _f64(torch, 2), _f64(torch, 3, lo=0.2)
    return [
        AF.hessian(lambda t: t.pow(4).sum(), a),
        AF.hessian(lambda t, u: (t.outer(u) ** 2).sum(), (a, b), vectorize=True),
        AF.hessian(
            lambda t: t.exp().prod(), a, vectorize=True, outer_jacobian_strategy="forward-mode"
        ),
    ]


@program
def af_vjp_jvp_hvp_vhp(torch):
    AF = torch.autograd.functional
    x = _f64(torch, 3)
    v = _f64(torch, 3, lo=0.5, hi=2.0)

    def f(t):
        return (t.pow(3) + t.roll(1) * t).sum()

    return [
        AF.vjp(torch.sin, x, v),
        AF.jvp(torch.sin, x, v),
        AF.hvp(f, x, v),
        AF.vhp(f, x, v),
        AF.vjp(lambda t: t.sum(), x),
    ]


@program
def af_products_create_graph(torch):
    AF = torch.autograd.functional
    x = _f64(torch, 3).requires_grad_()
    v = _f64(torch, 3, lo=0.5, hi=2.0)
    out, hv = AF.hvp(lambda t: t.pow(3).sum(), x, v, create_graph=True)
    hv.sum().backward()
    return [out, hv, x.grad, hv.requires_grad]


@error(
    RuntimeError,
    r"The vector v can only be None if the user-provided function returns a single Tensor with a single element",
)
def af_vjp_v_none_nonscalar(torch):
    torch.autograd.functional.vjp(torch.sin, torch.ones(2))


@error(
    RuntimeError, r"v has invalid size: should be torch.Size\(\[3\]\) but got torch.Size\(\[2\]\)"
)
def af_jvp_v_bad_size(torch):
    torch.autograd.functional.jvp(torch.sin, torch.ones(3), torch.ones(2))


@error(RuntimeError, r"The function given to hvp should return a single Tensor")
def af_hvp_tuple_output(torch):
    torch.autograd.functional.hvp(lambda t: (t.sum(), t.sum()), torch.ones(2), torch.ones(2))


@error(RuntimeError, r"should contain a single element")
def af_hessian_nonscalar(torch):
    torch.autograd.functional.hessian(lambda t: t * 2, torch.ones(2))


@error(
    RuntimeError,
    r"jacobian of the user-provided function with respect to input 0 is independent of the input",
)
def af_hessian_strict_linear(torch):
    torch.autograd.functional.hessian(lambda t: (t * 2).sum(), torch.ones(2), strict=True)


@program
def af_vhp_outputs_independent(torch):
    AF = torch.autograd.functional
    x = _f64(torch, 2)
    return [AF.vhp(lambda t: (t * 2).sum(), x, x), AF.hvp(lambda t: (t * 2).sum(), x, x)]


# ---- divergences fixed in session 8 ---------------------------------------------------------
@error(RuntimeError, r"Expected tensors, got unsupported type <class 'int'>")
def grad_has_aux_python_number(torch):  # fixed: aux with non-tensors was returned
    torch.func.grad(lambda x: (x.sum(), {"n": 3}), has_aux=True)(torch.ones(2))


@error(RuntimeError, r"Expected tensors, got unsupported type <class 'NoneType'>")
def jacrev_has_aux_none(torch):  # fixed: as above
    torch.func.jacrev(lambda x: (x * 2, None), has_aux=True)(torch.ones(2))


@error(RuntimeError, r"Expected tensors, got unsupported type <class 'str'>")
def jvp_has_aux_string(torch):  # fixed: as above
    x = torch.ones(2)
    torch.func.jvp(lambda t: (t * 2, "tag"), (x,), (x,), has_aux=True)


@error(RuntimeError, r"vjp\(f, \*primals\): expected f\(\*primals\) to return only tensors, got unsupported type <class 'float'>")  # fmt: skip
def vjp_returns_float(torch):  # fixed: returned (3.0, vjp_fn)
    torch.func.vjp(lambda t: 3.0, torch.ones(2))


@error(RuntimeError, r"vjp\(f, \*primals\): expected f\(\*primals\) to return only tensors, got unsupported type <class 'NoneType'>")  # fmt: skip
def vjp_returns_none_in_tuple(torch):  # fixed: as above
    torch.func.vjp(lambda t: (t, None), torch.ones(2))


@error(RuntimeError, r"jvp\(f, primals, tangents\): expected f\(\*primals\) to return only tensors, got unsupported type <class 'float'>")  # fmt: skip
def jacfwd_returns_float(torch):  # fixed: AttributeError
    torch.func.jacfwd(lambda t: 3.0)(torch.ones(2))


@error(RuntimeError, r"vjp\(f, \.\.\.\): All outputs of f must be floating-point or complex Tensors, got Tensor with dtype torch.int64")  # fmt: skip
def jacrev_integer_output(torch):  # fixed: returned a Jacobian
    torch.func.jacrev(lambda t: (t * 2).long())(torch.ones(2))


@program
def jacfwd_integer_output_and_output_dtype(torch):  # fixed: float32 zeros; input's dtype
    x = torch.ones(2, dtype=torch.float64)
    return [
        torch.func.jacfwd(lambda t: (t * 2).long())(x),
        torch.func.jacfwd(lambda t: t.float() * 2)(x),
        torch.func.jacrev(lambda t: t.float() * 2)(x),
        torch.func.jacfwd(lambda a, b: a * b, argnums=(0, 1))(x, torch.ones(2)),
        torch.func.jacrev(lambda a, b: a * b, argnums=(0, 1))(x, torch.ones(2)),
    ]


@error(ValueError, r"Expected primal to be floating point or complex, but got: torch.int64")
def jacfwd_integer_input(torch):  # fixed: RuntimeError 'can require gradients'
    torch.func.jacfwd(lambda t: t * 2)(torch.arange(2))


@error(ValueError, r"Expected primal to be floating point or complex, but got: torch.int64")
def jvp_integer_primal(torch):  # fixed: as above
    torch.func.jvp(lambda t: t * 2, (torch.arange(2),), (torch.arange(2),))


@error(ValueError, r"Expected tangent to be floating point or complex, but got: torch.int64")
def jvp_integer_tangent(torch):  # fixed: accepted
    torch.func.jvp(lambda t: t * 2, (torch.ones(2),), (torch.arange(2),))


@error(RuntimeError, r"Expected tangents to only contain Tensors, got <class 'NoneType'>")
def jvp_none_tangent(torch):  # fixed: AttributeError
    torch.func.jvp(torch.sin, (torch.ones(2),), (None,))


@error(RuntimeError, r"Tensor is of size \[2\] while the given forward gradient is of size \[3\]")
def jvp_tangent_wrong_size(torch):  # fixed: another message
    torch.func.jvp(torch.sin, (torch.ones(2),), (torch.ones(3),))


@program
def jvp_integer_output(torch):  # fixed: raised 'can require gradients'
    x = torch.ones(2)
    out, t = torch.func.jvp(lambda a: ((a * 2).long(), a * 3), (x,), (x,))
    return [out, t]


@error(ValueError, r"can not return a BatchedTensor when out_dim is None")
def vmap_out_dims_none_batched(torch):  # fixed: returned the first element's output
    torch.func.vmap(lambda r: r * 2, out_dims=None)(torch.arange(6.0).reshape(2, 3))


@program
def vmap_out_dims_none_constant(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return torch.func.vmap(lambda r: (r.sum(), torch.ones(2)), out_dims=(0, None))(x)


@program
def vmap_empty_batch(torch):  # fixed: raised
    x = torch.ones(0, 3, requires_grad=True)
    a = torch.func.vmap(lambda r: r.sum())(x)
    b = torch.func.vmap(lambda r: (r * 2, r.sum()), out_dims=(1, 0))(x)
    c = torch.func.vmap(torch.dot, in_dims=(0, None))(x, torch.ones(3))
    return [a, b, c]


@error(ValueError, r"expected in_dim to satisfy -0 <= in_dim < 0")
def vmap_over_0d(torch):  # fixed: '0 <= in_dim'
    torch.func.vmap(lambda r: r)(torch.tensor(1.0))


@program
def af_jacobian_forward_mode_keeps_graph(torch):  # fixed: always detached
    AF = torch.autograd.functional
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = torch.tensor([0.5, 0.1, 0.2])
    J = AF.jacobian(lambda t: (t * w).sin(), x, vectorize=True, strategy="forward-mode")
    J.sum().backward()
    xr = x.clone().requires_grad_()
    J2 = AF.jacobian(torch.sin, xr, vectorize=True, strategy="forward-mode")
    J2.sum().backward()
    J3 = AF.jacobian(torch.sin, x, vectorize=True, strategy="forward-mode")
    return [J, w.grad, J2, xr.grad, J3]


@program
def af_hessian_forward_over_reverse_keeps_graph(torch):  # fixed: detached
    AF = torch.autograd.functional
    x = torch.tensor([0.5, 1.0], requires_grad=True)
    H = AF.hessian(
        lambda t: t.pow(3).sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode"
    )
    H.sum().backward()
    H2 = AF.hessian(
        lambda t: t.pow(3).sum(), x.detach(), vectorize=True, outer_jacobian_strategy="forward-mode"
    )
    return [H, x.grad, H2]


@error(NotImplementedError, r"`create_graph=True` and `strategy=\"forward-mode\"` are not supported together \(yet\)")  # fmt: skip
def af_jacobian_forward_mode_create_graph(torch):  # fixed: another message
    torch.autograd.functional.jacobian(
        torch.sin, torch.ones(2), create_graph=True, vectorize=True, strategy="forward-mode"
    )


@program
def af_forward_mode_containers(torch):  # fixed: tuples where PyTorch's forward mode gives lists
    AF = torch.autograd.functional
    x = _f64(torch, 2)

    def kinds(r):
        if isinstance(r, (list, tuple)):
            return [type(r).__name__, [kinds(e) for e in r]]
        return list(r.shape)

    fwd = {"vectorize": True, "strategy": "forward-mode"}
    hfwd = {"vectorize": True, "outer_jacobian_strategy": "forward-mode"}
    return [
        kinds(AF.jacobian(lambda a, b: (a * b, a.sum()), (x, x), **fwd)),
        kinds(AF.jacobian(lambda a, b: a * b, (x, x), **fwd)),
        kinds(AF.jacobian(lambda a: (a, a.sum()), x, **fwd)),
        kinds(AF.hessian(lambda a, b: (a * b).sum(), (x, x), **hfwd)),
        kinds(AF.hessian(lambda a, b: (a * b).sum(), (x, x))),
        AF.hessian(lambda a, b: (a**2 * b).sum(), (x, x), **hfwd),
    ]


@error(AssertionError, r'Expected strategy to be either "forward-mode" or "reverse-mode". Hint')
def af_jacobian_bad_strategy(torch):  # fixed: ValueError
    torch.autograd.functional.jacobian(torch.sin, torch.ones(2), strategy="forward")


@error(AssertionError, r'Expected strategy to be either "forward-mode" or "reverse-mode".')
def af_hessian_bad_strategy(torch):  # fixed: ValueError
    torch.autograd.functional.hessian(
        lambda t: t.sum(), torch.ones(2), outer_jacobian_strategy="fwd"
    )


@error(NotImplementedError, r"forward-over-reverse Hessian isonly implemented for `vectorize=True`")
def af_hessian_forward_without_vectorize(torch):  # fixed: another message
    torch.autograd.functional.hessian(
        lambda t: (t**3).sum(), torch.ones(2), outer_jacobian_strategy="forward-mode"
    )


@error(ValueError, r"Expected all elements of parameter_and_buffer_dicts to be dictionaries")
def functional_call_list_of_tensors(torch):  # fixed: dict()'s message
    torch.func.functional_call(torch.nn.Linear(3, 2), [torch.ones(2, 3)], (torch.ones(3),))


@error(ValueError, r"Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts")
def functional_call_tensor_as_dict(torch):  # fixed: TypeError
    torch.func.functional_call(torch.nn.Linear(2, 2), torch.ones(2), (torch.ones(2),))


@program
def functional_call_tied_by_either_name(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Linear(2, 2, bias=False)
            self.b = self.a

        def forward(self, x):
            return self.b(self.a(x))

    torch.manual_seed(0)
    m = Tied()
    x = torch.ones(1, 2)
    return [
        torch.func.functional_call(m, {"b.weight": torch.eye(2) * 3}, (x,)),
        torch.func.functional_call(m, {"a.weight": torch.eye(2) * 3}, (x,), tie_weights=False),
    ]  # not m.a.weight: PyTorch 2.13 leaves a tied weight replaced after the call


@program
def functional_call_gradient_to_given_tensors(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 1)
    w = torch.ones(1, 2, requires_grad=True)
    out = torch.func.functional_call(m, {"weight": w}, (torch.tensor([[1.0, 2.0]]),))
    out.sum().backward()
    return [out, w.grad, m.weight.grad is None, m.bias.grad]


@error(
    RuntimeError, r"Missing key\(s\): '1.num_batches_tracked', '1.running_mean', '1.running_var'"
)
def functional_call_strict_missing_buffers(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    torch.func.functional_call(m, dict(m.named_parameters()), (torch.ones(2, 3),), strict=True)


@error(RuntimeError, r"Expected all models to have the same training/eval mode")
def stack_module_state_mixed_modes(torch):
    torch.func.stack_module_state([torch.nn.Linear(2, 2), torch.nn.Linear(2, 2).eval()])


@error(RuntimeError, r"Expected weight from each model to have the same .requires_grad")
def stack_module_state_mixed_requires_grad(torch):
    frozen = torch.nn.Linear(2, 2).requires_grad_(False)
    torch.func.stack_module_state([torch.nn.Linear(2, 2), frozen])


@program
def stack_module_state_frozen_models(torch):
    torch.manual_seed(0)
    models = [torch.nn.Linear(2, 2).requires_grad_(False) for _ in range(2)]
    params, _ = torch.func.stack_module_state(models)
    return [params["weight"].requires_grad, params["bias"]]


@program
def vmap_of_transforms(torch):
    x = _f64(torch, 3, 2)
    return [
        torch.func.vmap(torch.func.jacrev(torch.sin))(x),
        torch.func.vmap(torch.func.hessian(lambda t: (t**3).sum()))(x),
        torch.func.vmap(torch.func.grad(lambda t: ((t**2).sum(), t.mean()), has_aux=True))(x),
        torch.func.jacrev(torch.func.vmap(torch.sin))(x).shape,
    ]


@program
def vmap_assorted_ops(torch):
    F = torch.nn.functional
    x = _f64(torch, 2, 2, 3)
    v = torch.func.vmap
    return [
        v(torch.trace)(x[:, :, :2]),
        v(F.cross_entropy)(_f64(torch, 4, 3), torch.tensor([0, 1, 2, 1])),
        v(lambda r: r.view(-1))(x),
        v(lambda r: r.permute(1, 0))(x),
        v(lambda r: torch.zeros(r.shape, dtype=r.dtype) + r.shape[0])(x),
        v(lambda r: torch.where(r > 0, r, 0.0))(x),
        v(lambda r: torch.cat([r, r * 2]))(x),
        v(lambda r: torch.stack([r, torch.ones(3, dtype=torch.float64)]))(x[:, 0]),
        v(lambda a, b: torch.einsum("ij,j->i", a, b))(x, x[:, 0]),
        v(lambda r, i: r.index_select(0, i))(x[:, 0], torch.tensor([[0, 1], [2, 1]])),
        v(lambda im: F.conv1d(im, torch.ones(2, 2, 2, dtype=torch.float64)))(x),
        v(lambda r: r.reshape(3, 2), out_dims=2)(x),
        v(lambda d, y: d["w"] * y, in_dims=({"w": None}, 0))({"w": x[0, 0]}, x[:, 1]),
        v(lambda pair: pair[0] + pair[1], in_dims=([0, 1],))([x[:, 0], x[:, 1].T]),
    ]


@program
def linearize_multiple_primals_and_dict(torch):
    x = _f64(torch, 3)
    out, fn = torch.func.linearize(lambda a, b: a * b.exp(), x, x + 1)
    out2, fn2 = torch.func.linearize(lambda a: {"s": a.sin()}, x)
    return [out, fn(x, torch.ones_like(x)), out2, fn2(x)]


@program
def vjp_differentiable_cotangent(torch):
    x = _f64(torch, 3)
    out, fn = torch.func.vjp(torch.sin, x)
    ct = torch.ones(3, dtype=torch.float64, requires_grad=True)
    g = fn(ct)[0]
    g.sum().backward()
    t = torch.ones(3, dtype=torch.float64, requires_grad=True)
    o, tt = torch.func.jvp(torch.sin, (x,), (t,))
    return [g, ct.grad, o.requires_grad, tt]
