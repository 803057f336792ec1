"""Session 20 sweep: the advanced autograd APIs of research code (torch.func transforms and
their compositions, forward-mode AD, autograd.graph's saved-tensor hooks and Node API,
activation checkpointing, autograd.Function under transforms), as programs run with real
PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _x(torch, *shape):
    return torch.randn(*shape, dtype=torch.float64)


def _mlp(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)
    ).double()


# ---- torch.func: grad, vjp, jvp, jacobians -------------------------------------------------
@program
def grad_argnums_has_aux_regularised_loss(torch):
    grad = torch.func.grad

    def loss(w, b, x, y):
        pred = x @ w + b
        mse = ((pred - y) ** 2).mean()
        reg = 0.01 * (w**2).sum()
        return mse + reg, {"mse": mse.detach(), "pred": pred}

    w, b, x, y = _x(torch, 3, 2), _x(torch, 2), _x(torch, 5, 3), _x(torch, 5, 2)
    (gw, gb), aux = grad(loss, argnums=(0, 1), has_aux=True)(w, b, x, y)
    gx = grad(lambda *a: loss(*a)[0], argnums=2)(w, b, x, y)
    return gw, gb, aux, gx


@program
def grad_and_value_training_step(torch):
    functional_call = torch.func.functional_call
    grad_and_value = torch.func.grad_and_value

    model = _mlp(torch)
    params = {k: v.detach() for k, v in model.named_parameters()}
    x, y = _x(torch, 6, 4), torch.randint(0, 3, (6,))

    def loss_fn(p):
        out = functional_call(model, p, (x,))
        return torch.nn.functional.cross_entropy(out, y)

    losses = []
    for _ in range(3):
        g, v = grad_and_value(loss_fn)(params)
        params = {k: p - 0.1 * g[k] for k, p in params.items()}
        losses.append(v)
    return losses, params


@program
def vjp_multiple_cotangents_and_reuse(torch):
    vjp = torch.func.vjp

    x, y = _x(torch, 3, 4), _x(torch, 4)

    def f(x, y):
        return (x * y).sum(-1), x.t() @ x.sum(-1)

    out, vjp_fn = vjp(f, x, y)
    c1 = vjp_fn((torch.ones(3, dtype=torch.float64), torch.zeros(4, dtype=torch.float64)))
    c2 = vjp_fn((torch.zeros(3, dtype=torch.float64), torch.ones(4, dtype=torch.float64)))
    return out, c1, c2


@program
def jvp_through_nn_layers(torch):
    functional_call = torch.func.functional_call
    jvp = torch.func.jvp

    model = _mlp(torch)
    params = {k: v.detach() for k, v in model.named_parameters()}
    x = _x(torch, 2, 4)
    tangents = {k: torch.ones_like(v) for k, v in params.items()}
    out, jv = jvp(lambda p: functional_call(model, p, (x,)), (params,), (tangents,))
    out2, jvx = jvp(lambda x: model(x), (x,), (torch.ones_like(x),))
    return out, jv, out2, jvx


@program
def jacrev_jacfwd_argnums_aux_chunks(torch):
    jacfwd = torch.func.jacfwd
    jacrev = torch.func.jacrev

    def f(a, b):
        y = torch.sin(a) * b.sum() + a.exp()
        return y, {"norm": y.norm()}

    a, b = _x(torch, 3), _x(torch, 2, 2)
    out = []
    for jac in (jacrev, jacfwd):
        for cs in (None, 1, 2):
            kw = (
                {}
                if cs is None
                else {"chunk_size": cs}
                if jac is jacrev
                else {"randomness": "error"}
            )
            out.append(jac(f, argnums=(0, 1), has_aux=True, **kw)(a, b))
    return out


@program
def hessian_of_loss_wrt_params(torch):
    functional_call = torch.func.functional_call
    hessian = torch.func.hessian

    model = torch.nn.Linear(3, 1).double()
    params = dict(model.named_parameters())
    x, y = _x(torch, 5, 3), _x(torch, 5, 1)

    def loss(w, b):
        return ((functional_call(model, {"weight": w, "bias": b}, (x,)) - y) ** 2).mean()

    H = hessian(loss, argnums=(0, 1))(params["weight"].detach(), params["bias"].detach())
    return H


@program
def hessian_vector_product_forward_over_reverse(torch):
    grad = torch.func.grad
    jvp = torch.func.jvp

    def f(x):
        return (x.sin() * x.cos().sum()).sum()

    x, v = _x(torch, 5), _x(torch, 5)
    _, hvp = jvp(grad(f), (x,), (v,))
    return hvp


# ---- torch.func: vmap ----------------------------------------------------------------------
@program
def vmap_per_sample_gradients_model(torch):
    functional_call = torch.func.functional_call
    grad = torch.func.grad
    vmap = torch.func.vmap

    model = _mlp(torch)
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}
    x, y = _x(torch, 5, 4), torch.randint(0, 3, (5,))

    def loss(p, b, xi, yi):
        out = functional_call(model, (p, b), (xi.unsqueeze(0),))
        return torch.nn.functional.cross_entropy(out, yi.unsqueeze(0))

    g = vmap(grad(loss), in_dims=(None, None, 0, 0))(params, buffers, x, y)
    return {k: v.shape for k, v in g.items()}, g


@program
def vmap_in_dims_nested_tuple_out_dims(torch):
    vmap = torch.func.vmap

    def f(pair, scale, d):
        a, b = pair
        return {"s": a + b * scale, "p": a * d["w"]}, a.sum()

    a, b = _x(torch, 3, 4), _x(torch, 4, 3)
    w = _x(torch, 4)
    out = vmap(f, in_dims=((0, 1), None, {"w": None}), out_dims=({"s": 1, "p": 0}, 0))(
        (a, b), 2.0, {"w": w}
    )
    return out


@program
def vmap_nested_pairwise_distances(torch):
    vmap = torch.func.vmap

    x, y = _x(torch, 4, 3), _x(torch, 5, 3)
    d = vmap(vmap(lambda a, b: ((a - b) ** 2).sum().sqrt(), in_dims=(None, 0)), in_dims=(0, None))(
        x, y
    )
    return d, torch.cdist(x, y)


@program
def vmap_randomness_dropout_modes(torch):
    vmap = torch.func.vmap

    x = torch.ones(4, 6, dtype=torch.float64)
    torch.manual_seed(3)
    same = vmap(lambda t: torch.nn.functional.dropout(t, 0.5), randomness="same")(x)
    rows_equal = bool((same == same[0]).all())
    torch.manual_seed(3)
    diff = vmap(lambda t: torch.nn.functional.dropout(t, 0.5), randomness="different")(x)
    return rows_equal, same.shape, diff.shape, bool(((diff == 0) | (diff == 2)).all())


@error(RuntimeError, r"randomness")
def vmap_randomness_error_default(torch):
    vmap = torch.func.vmap

    return vmap(lambda t: t + torch.randn(3))(torch.ones(2, 3))


@program
def vmap_chunk_size_matches_full(torch):
    vmap = torch.func.vmap

    x = _x(torch, 7, 3)
    f = lambda t: (t.outer(t)).trace()  # noqa: E731
    return vmap(f, chunk_size=3)(x), vmap(f)(x), vmap(f, chunk_size=1)(x)


@program
def vmap_out_dims_none_for_constant(torch):
    vmap = torch.func.vmap

    x = _x(torch, 3, 2)
    c = torch.arange(4.0)
    out = vmap(lambda t: (t * 2, c), out_dims=(0, None))(x)
    return out


@program
def vmap_ensemble_stack_module_state(torch):
    functional_call = torch.func.functional_call
    stack_module_state = torch.func.stack_module_state
    vmap = torch.func.vmap

    torch.manual_seed(0)
    models = [
        torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.BatchNorm1d(5)).double().eval()
        for _ in range(3)
    ]
    params, buffers = stack_module_state(models)
    import copy

    base = copy.deepcopy(models[0])

    def call(p, b, x):
        return functional_call(base, (p, b), (x,))

    x = _x(torch, 6, 4)
    out_same = vmap(call, in_dims=(0, 0, None))(params, buffers, x)
    xs = _x(torch, 3, 6, 4)
    out_each = vmap(call)(params, buffers, xs)
    ref = torch.stack([m(x) for m in models])
    return (
        out_same,
        out_each,
        ref,
        sorted(params),
        sorted(buffers),
        params["0.weight"].requires_grad,
    )


@program
def vmap_jacrev_batched_jacobian(torch):
    jacrev = torch.func.jacrev
    vmap = torch.func.vmap

    model = _mlp(torch)
    x = _x(torch, 5, 4)
    J = vmap(jacrev(model))(x)
    return J.shape, J


# ---- functional_call ---------------------------------------------------------------------
@program
def functional_call_buffers_running_stats(torch):
    functional_call = torch.func.functional_call

    torch.manual_seed(0)
    bn = torch.nn.BatchNorm1d(3).double()
    x = _x(torch, 8, 3)
    rm = torch.zeros(3, dtype=torch.float64)
    rv = torch.ones(3, dtype=torch.float64)
    out = functional_call(bn, {"running_mean": rm, "running_var": rv}, (x,))
    return out, rm, rv, bn.running_mean, bn.num_batches_tracked


@program
def functional_call_tied_weights(torch):
    functional_call = torch.func.functional_call

    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(5, 3)
            self.out = torch.nn.Linear(3, 5, bias=False)
            self.out.weight = self.emb.weight

        def forward(self, i):
            return self.out(self.emb(i))

    torch.manual_seed(0)
    m = Tied().double()
    w = _x(torch, 5, 3)
    i = torch.tensor([0, 2, 4])
    a = functional_call(m, {"emb.weight": w}, (i,))
    b = functional_call(m, {"emb.weight": w}, (i,), tie_weights=False)
    return a, b, sorted(dict(m.named_parameters()))


@error(RuntimeError, r"Missing key\(s\)")
def functional_call_strict_missing(torch):
    functional_call = torch.func.functional_call

    m = torch.nn.Linear(2, 2)
    return functional_call(m, {"weight": torch.zeros(2, 2)}, (torch.ones(1, 2),), strict=True)


@error(RuntimeError, r"Unexpected key\(s\)")
def functional_call_strict_unexpected(torch):
    functional_call = torch.func.functional_call

    m = torch.nn.Linear(2, 2)
    p = dict(m.named_parameters())
    p["extra"] = torch.zeros(1)
    return functional_call(m, p, (torch.ones(1, 2),), strict=True)


@program
def functional_call_kwargs_and_tuple_dicts(torch):
    functional_call = torch.func.functional_call

    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 2)
            self.register_buffer("shift", torch.ones(2))

        def forward(self, x, scale=1.0):
            return self.lin(x) * scale + self.shift

    torch.manual_seed(0)
    m = M()
    p = {"lin.weight": torch.eye(2), "lin.bias": torch.zeros(2)}
    out = functional_call(
        m, (p, {"shift": torch.full((2,), 3.0)}), torch.ones(1, 2), {"scale": 2.0}
    )
    return out, m.shift


@program
def linearize_reuse(torch):
    jvp = torch.func.jvp
    linearize = torch.func.linearize

    x = _x(torch, 4)
    f = lambda t: t.sin().cumsum(0) * t.exp()  # noqa: E731
    out, jvp_fn = linearize(f, x)
    vs = [_x(torch, 4) for _ in range(3)]
    return out, [jvp_fn(v) for v in vs], [jvp(f, (x,), (v,))[1] for v in vs]


# ---- forward-mode AD ---------------------------------------------------------------------
@program
def forward_ad_through_layers(torch):
    fwAD = torch.autograd.forward_ad

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(2, 3, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.LayerNorm(12),
        torch.nn.Linear(12, 4),
        torch.nn.GELU(),
    ).double()
    x, t = _x(torch, 2, 2, 4, 4), _x(torch, 2, 2, 4, 4)
    with fwAD.dual_level():
        y = net(fwAD.make_dual(x, t))
        p, tan = fwAD.unpack_dual(y)
        s = torch.nn.functional.log_softmax(y, -1)
        ps = fwAD.unpack_dual(s)
    return p, tan, ps.primal, ps.tangent, type(fwAD.unpack_dual(y)).__name__


@program
def forward_ad_unpack_dual_fields_and_plain(torch):
    fwAD = torch.autograd.forward_ad

    x = _x(torch, 3)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, torch.ones_like(x))
        u = fwAD.unpack_dual(d)
        plain = fwAD.unpack_dual(x)
        y = d * 2
        z = y.detach()
        return (
            u.tangent,
            plain.tangent is None,
            u[0] is not None,
            fwAD.unpack_dual(z).tangent is None,
        )


@program
def forward_ad_parameters_as_duals(torch):
    fwAD = torch.autograd.forward_ad

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2).double()
    params = {name: p for name, p in model.named_parameters()}
    tangents = {name: torch.rand_like(p) for name, p in params.items()}
    x = _x(torch, 4, 3)
    with fwAD.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fwAD.make_dual(p, tangents[name]))
        out = model(x)
        jvp = fwAD.unpack_dual(out).tangent
    return jvp


@error(RuntimeError, r"dual_level")
def forward_ad_make_dual_outside_level(torch):
    fwAD = torch.autograd.forward_ad

    return fwAD.make_dual(torch.ones(2), torch.ones(2))


@error(RuntimeError, r"(?i)tangent.*same.*(shape|size)|size")
def forward_ad_tangent_shape_mismatch(torch):
    fwAD = torch.autograd.forward_ad

    with fwAD.dual_level():
        return fwAD.make_dual(torch.ones(2), torch.ones(3))


@program
def forward_ad_reductions_and_indexing(torch):
    fwAD = torch.autograd.forward_ad

    x, t = _x(torch, 3, 4), _x(torch, 3, 4)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t)
        outs = [
            d.sum(1),
            d.mean(),
            d.max(1).values,
            d.logsumexp(0),
            d[1:, ::2],
            d.norm(),
            d.softmax(-1),
            torch.where(d > 0, d, d * 0.1),
            d.var(0),
            d.cumsum(1),
            d.prod(0),
            torch.cat([d, d * 2]),
            d.t() @ d,
        ]
        return [fwAD.unpack_dual(o).tangent for o in outs]


# ---- autograd.graph ----------------------------------------------------------------------
@program
def saved_tensors_hooks_pack_unpack_counts(torch):
    packed = []

    def pack(t):
        packed.append(tuple(t.shape))
        return t.clone()

    def unpack(t):
        return t

    x = _x(torch, 3).requires_grad_()
    w = _x(torch, 3).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (x * w).sin().sum()
    y.backward()
    return sorted(packed), x.grad, w.grad


@program
def saved_tensors_hooks_compress_to_half(torch):
    def pack(t):
        return t.dtype, t.to(torch.float16)

    def unpack(p):
        dtype, t = p
        return t.to(dtype)

    x = torch.linspace(-1, 1, 5).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (x.exp() * x).sum()
    y.backward()
    return x.grad


@program
def save_on_cpu_matches(torch):
    x = _x(torch, 4).requires_grad_()
    with torch.autograd.graph.save_on_cpu(pin_memory=False):
        y = (x.tanh() * x.sigmoid()).sum()
    y.backward()
    return x.grad


@program
def node_api_walk(torch):
    x = _x(torch, 3).requires_grad_()
    w = _x(torch, 3).requires_grad_()
    y = ((x * w).exp() + 1).sum()
    fn = y.grad_fn
    names = []
    stack = [fn]
    while stack:
        n = stack.pop()
        if n is None:
            continue
        names.append(n.name())
        stack.extend(f for f, _ in n.next_functions)
    return names, [i for _, i in y.grad_fn.next_functions], type(y.grad_fn.metadata).__name__


@program
def node_saved_attributes_torchviz(torch):  # fixed: dir() listed bookkeeping names ({} broke it)
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    def make_dot(fn, seen, out):  # torchviz's make_dot(show_saved=True) walk
        if fn in seen:
            return
        seen.add(fn)
        for attr in dir(fn):
            if attr.startswith("_saved_"):
                val = getattr(fn, attr)
                seen.add(val)
                if torch.is_tensor(val):
                    out.append((fn.name(), attr[7:], tuple(val.shape)))
        if hasattr(fn, "variable"):
            out.append(("leaf", tuple(fn.variable.shape)))
        out.append(fn.name())
        for u, _ in fn.next_functions:
            if u is not None:
                make_dot(u, seen, out)
        return out

    x, w = _x(torch, 2, 3).requires_grad_(), _x(torch, 3).requires_grad_()
    y = (Sq.apply(x * w).exp().sin() ** 2 + x.tanh()).sum()
    z = x.pow(2)
    return make_dot(y.grad_fn, set(), []), z.grad_fn._saved_exponent, z.grad_fn._saved_self.shape


@program
def node_hooks_and_prehooks(torch):
    log = []
    x = _x(torch, 3).requires_grad_()
    y = x.exp()
    z = (y * 2).sum()
    h1 = y.grad_fn.register_prehook(lambda gout: log.append(("pre", gout[0].shape)))
    h2 = y.grad_fn.register_hook(
        lambda gin, gout: log.append(("post", gin[0].shape, gout[0].shape))
    )
    z.backward(retain_graph=True)
    h1.remove()
    h2.remove()
    z.backward()
    return log, x.grad


@program
def node_prehook_replaces_grad(torch):
    x = _x(torch, 3).requires_grad_()
    y = x * 3
    y.grad_fn.register_prehook(lambda gout: (gout[0] * 0 + 1,))
    y.sum().mul(5).backward()
    return x.grad


@program
def multi_grad_hook_all_and_any(torch):
    seen = []
    a, b, c = (_x(torch, 2).requires_grad_() for _ in range(3))
    ha = torch.autograd.graph.register_multi_grad_hook(
        (a, b, c), lambda grads: seen.append(("all", [g is None for g in grads]))
    )
    hb = torch.autograd.graph.register_multi_grad_hook(
        (a, b), lambda g: seen.append(("any", g.shape)), mode="any"
    )
    (a * b).sum().backward()
    (a * c).sum().backward()
    ha.remove()
    hb.remove()
    (a * b).sum().backward()
    return seen


@program
def increment_version_in_custom_inplace(torch):
    x = _x(torch, 3).requires_grad_()
    y = x * 1
    z = y.sin()
    v0 = y._version
    torch.autograd.graph.increment_version(y)
    try:
        z.sum().backward()
        msg = None
    except RuntimeError as e:
        msg = "modified by an inplace operation" in str(e)
    return v0, y._version, msg


@program
def allow_mutation_on_saved_tensors(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        x = _x(torch, 3).requires_grad_()
        y = x.clone()
        z = y * y
        y.mul_(2)
        z.sum().backward()
    return x.grad, y


# ---- checkpoint --------------------------------------------------------------------------
@program
def checkpoint_dropout_preserve_rng(torch):
    checkpoint = torch.utils.checkpoint.checkpoint

    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 4).double()

    def block(x):
        return torch.nn.functional.dropout(lin(x).relu(), 0.5, training=True)

    out = []
    for reentrant in (True, False):
        torch.manual_seed(1)
        x = _x(torch, 3, 4).requires_grad_()
        torch.manual_seed(2)
        y = checkpoint(block, x, use_reentrant=reentrant)
        y.sum().backward()
        out.append((y, x.grad, lin.weight.grad.clone()))
        lin.weight.grad = None
    torch.manual_seed(1)
    x = _x(torch, 3, 4).requires_grad_()
    torch.manual_seed(2)
    y = block(x)
    y.sum().backward()
    out.append((y, x.grad, lin.weight.grad.clone()))
    return out


@program
def checkpoint_non_tensor_args_outputs_kwargs(torch):
    checkpoint = torch.utils.checkpoint.checkpoint

    def f(x, scale, mode="sum", *, bias=None):
        y = x * scale
        if bias is not None:
            y = y + bias
        return (y.sum() if mode == "sum" else y.mean()), "tag", 3

    x = _x(torch, 3).requires_grad_()
    b = _x(torch, 3).requires_grad_()
    res, tag, n = checkpoint(f, x, 2.0, "mean", bias=b, use_reentrant=False)
    res.backward()
    return res, tag, n, x.grad, b.grad


@program
def checkpoint_reentrant_no_grad_input(torch):
    checkpoint = torch.utils.checkpoint.checkpoint

    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 3).double()
    x = _x(torch, 2, 3)
    y = checkpoint(lin, x, use_reentrant=False)
    y.sum().backward()
    return y.requires_grad, lin.weight.grad


@program
def checkpoint_sequential_segments(torch):
    checkpoint_sequential = torch.utils.checkpoint.checkpoint_sequential

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        *[torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Tanh()) for _ in range(4)]
    ).double()
    x = _x(torch, 2, 4).requires_grad_()
    out = []
    for segs in (1, 2, 4):
        y = checkpoint_sequential(model, segs, x, use_reentrant=False)
        y.sum().backward()
        out.append((y, x.grad.clone(), model[0][0].weight.grad.clone()))
        x.grad = None
        model.zero_grad()
    return out


@program
def checkpoint_nested_and_grad(torch):
    checkpoint = torch.utils.checkpoint.checkpoint

    def inner(x):
        return x.sin() * x

    def outer(x):
        return checkpoint(inner, x, use_reentrant=False).exp()

    x = _x(torch, 4).requires_grad_()
    y = checkpoint(outer, x, use_reentrant=False)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    return y, g, gg


# ---- autograd.Function under torch.func --------------------------------------------------
@program
def function_generate_vmap_rule_under_transforms(torch):
    grad = torch.func.grad
    jacrev = torch.func.jacrev
    vmap = torch.func.vmap

    class Cube(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x**3, x.view_as(x)

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, g, _gx):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    x = _x(torch, 4, 3)
    y = vmap(lambda t: Cube.apply(t)[0])(x)
    g = vmap(grad(lambda t: Cube.apply(t)[0].sum()))(x)
    J = jacrev(lambda t: Cube.apply(t)[0])(x[0])
    return y, g, J


@program
def function_custom_vmap_staticmethod(torch):
    vmap = torch.func.vmap

    class MySum(torch.autograd.Function):
        @staticmethod
        def forward(x, dim):
            return x.sum(dim)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.shape = inputs[0].shape
            ctx.dim = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g.unsqueeze(ctx.dim).expand(ctx.shape), None

        @staticmethod
        def vmap(info, in_dims, x, dim):
            x_bdim, _ = in_dims
            x = x.movedim(x_bdim, 0)
            return MySum.apply(x, dim + 1), 0

    x = _x(torch, 3, 4, 5)
    return vmap(MySum.apply, in_dims=(0, None))(x, 1), vmap(MySum.apply, in_dims=(2, None))(x, 0)


@error(RuntimeError, r"setup_context")
def function_old_style_under_vmap(torch):
    vmap = torch.func.vmap

    class Old(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return vmap(Old.apply)(torch.ones(2, 3))


@program
def function_jvp_staticmethod_under_jvp(torch):
    jvp = torch.func.jvp

    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.exp()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(output)
            ctx.save_for_forward(output)

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

        @staticmethod
        def jvp(ctx, t):
            (y,) = ctx.saved_tensors
            return t * y

    x, t = _x(torch, 3), _x(torch, 3)
    return jvp(Exp.apply, (x,), (t,))


@error(RuntimeError, r"returned as-is as output is being saved for backward")
def function_setup_context_saves_returned_input(torch):
    class Ident(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx, g):
            return g

    return Ident.apply(torch.ones(2, requires_grad=True))


# ---- batch 2 -----------------------------------------------------------------------------
@error(RuntimeError, r"Expected f\(\*args\) to return a scalar Tensor, got tensor with 1 dims")
def grad_non_scalar_output_message(torch):
    return torch.func.grad(lambda x: x * 2)(torch.ones(3))


@error(RuntimeError, r"only Tensors of floating point dtype can require gradients")
def grad_integer_input(torch):
    return torch.func.grad(lambda x: (x * 2).sum())(torch.ones(3, dtype=torch.long))


@program
def grad_with_kwargs_not_differentiated(torch):
    def f(x, *, scale, offset=0.0):
        return ((x * scale + offset) ** 2).sum()

    x = _x(torch, 3)
    return torch.func.grad(f)(x, scale=torch.tensor(2.0, dtype=torch.float64), offset=1.0)


@program
def jacrev_dict_input_output(torch):
    def f(d):
        return {"y": d["a"] * d["b"].sum(), "z": d["a"].sin()}

    d = {"a": _x(torch, 2), "b": _x(torch, 3)}
    J = torch.func.jacrev(f)(d)
    Jf = torch.func.jacfwd(f)(d)
    return J, Jf


@program
def vmap_batchnorm_replace_all_and_eval(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)).double()
    torch.func.replace_all_batch_norm_modules_(model)
    x = _x(torch, 5, 2, 3)
    out = torch.func.vmap(model)(x)
    return out, model[1].running_mean, model[1].track_running_stats


@program
def vmap_kwargs_not_batched(torch):
    def f(x, *, bias):
        return x + bias

    x = _x(torch, 3, 2)
    return torch.func.vmap(f)(x, bias=torch.ones(2, dtype=torch.float64))


@error(
    ValueError,
    r"vmap: Expected all tensors to have the same size in the mapped dimension, got sizes \[3, 4\]",
)
def vmap_size_mismatch(torch):
    return torch.func.vmap(lambda a, b: a + b)(torch.ones(3, 2), torch.ones(4, 2))


@error(ValueError, r"in_dims is not compatible with the structure of `inputs`")
def vmap_in_dims_too_long(torch):
    return torch.func.vmap(lambda a: a, in_dims=(0, 0))(torch.ones(3))


@program
def vmap_grad_of_custom_loss_with_closure_params(torch):
    w = _x(torch, 3, 2)

    def loss(x, y):
        return torch.nn.functional.mse_loss(x @ w, y)

    xs, ys = _x(torch, 4, 3), _x(torch, 4, 2)
    g = torch.func.vmap(torch.func.grad(loss))(xs, ys)
    gv = torch.func.vmap(torch.func.grad_and_value(loss, argnums=(0, 1)))(xs, ys)
    return g, gv


@program
def forward_ad_dual_inplace_and_views(torch):
    fwAD = torch.autograd.forward_ad
    x, t = _x(torch, 2, 3), _x(torch, 2, 3)
    with fwAD.dual_level():
        d = fwAD.make_dual(x.clone(), t)
        v = d[0]
        v.mul_(3)
        r = d.reshape(6)
        e = torch.zeros(2, 3, dtype=torch.float64)
        e[1] = d[1] * 2  # a plain tensor gets a tangent by copying a dual in
        return fwAD.unpack_dual(d).tangent, fwAD.unpack_dual(r).tangent, fwAD.unpack_dual(e).tangent


@error(RuntimeError, r"(?i)nested forward mode AD is not supported")
def forward_ad_nested_levels(torch):
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        with fwAD.dual_level():
            pass


@error(ValueError, r"Expected primal to be floating point or complex")
def forward_ad_integer_primal(torch):
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        return fwAD.make_dual(torch.ones(2, dtype=torch.long), torch.ones(2, dtype=torch.long))


@error(ValueError, r"Expected tangent to be floating point or complex")
def forward_ad_integer_tangent(torch):
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        return fwAD.make_dual(torch.ones(2), torch.ones(2, dtype=torch.long))


@program
def forward_ad_then_backward_through_tangent(torch):
    fwAD = torch.autograd.forward_ad
    x = _x(torch, 3).requires_grad_()
    v = _x(torch, 3)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, v)
        y = (d.sin() * d).sum()
        jvp = fwAD.unpack_dual(y).tangent
    jvp.backward()
    return jvp, x.grad


@program
def forward_ad_functional_losses_and_attention(torch):
    fwAD = torch.autograd.forward_ad
    F = torch.nn.functional
    q, k, v = _x(torch, 1, 2, 4, 3), _x(torch, 1, 2, 4, 3), _x(torch, 1, 2, 4, 3)
    tq = _x(torch, 1, 2, 4, 3)
    tgt = torch.tensor([1, 0, 2])
    logits, tl = _x(torch, 3, 4), _x(torch, 3, 4)
    with fwAD.dual_level():
        qd = fwAD.make_dual(q, tq)
        a = (qd @ k.transpose(-2, -1) / 3**0.5).masked_fill(
            torch.ones(4, 4).triu(1).bool(), float("-inf")
        ).softmax(-1) @ v
        ce = F.cross_entropy(fwAD.make_dual(logits, tl), tgt)
        bce = F.binary_cross_entropy_with_logits(
            fwAD.make_dual(logits, tl), torch.ones(3, 4, dtype=torch.float64)
        )
        return [fwAD.unpack_dual(o).tangent for o in (a, ce, bce)]


@program
def saved_hooks_unpack_changes_value(torch):
    x = _x(torch, 3).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 0 + 1):
        y = (x * x).sum()
    y.backward()
    return x.grad


@error(RuntimeError, r"saved tensors default hooks are disabled|oops")
def saved_hooks_disabled(torch):
    with torch.autograd.graph.disable_saved_tensors_hooks("oops"):
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            pass


@program
def saved_hooks_nested_innermost_wins(torch):
    log = []
    x = _x(torch, 3).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(lambda t: log.append("outer") or t, lambda t: t):
        a = x.exp()
        with torch.autograd.graph.saved_tensors_hooks(
            lambda t: log.append("inner") or t, lambda t: t
        ):
            b = a.sin()
        c = b * 2
    c.sum().backward()
    return log, x.grad


@program
def node_isinstance_and_accumulate_grad(torch):
    x = _x(torch, 2).requires_grad_()
    y = x.exp()
    acc = y.grad_fn.next_functions[0][0]
    return (
        isinstance(y.grad_fn, torch.autograd.graph.Node),
        isinstance(acc, torch.autograd.graph.Node),
        acc.name(),
        acc.variable is x,
        acc.next_functions,
        y.grad_fn.next_functions[0][1],
    )


@program
def node_post_hook_replaces_grad_input(torch):
    x = _x(torch, 3).requires_grad_()
    y = x.exp()
    y.grad_fn.register_hook(lambda gin, gout: (gin[0] * 10,))
    y.sum().backward()
    return x.grad


@program
def gradient_edge_autograd_grad(torch):
    G = torch.autograd.graph
    x = _x(torch, 3).requires_grad_()
    h = x.sin()
    edge = G.get_gradient_edge(h)
    y = (h * 3).sum()
    (gh,) = torch.autograd.grad(y, edge)
    return gh, type(edge).__name__, edge.output_nr


@program
def multi_grad_hook_any_with_autograd_grad(torch):
    seen = []
    a, b = _x(torch, 2).requires_grad_(), _x(torch, 2).requires_grad_()
    torch.autograd.graph.register_multi_grad_hook(
        (a, b), lambda g: seen.append(tuple(g.shape)), mode="any"
    )
    torch.autograd.grad((a * b).sum(), (a, b))
    return seen


@error(
    RuntimeError, r"torch.utils.checkpoint is incompatible with \.grad\(\) or passing an `inputs`"
)
def checkpoint_reentrant_autograd_grad(torch):
    x = _x(torch, 3).requires_grad_()
    y = torch.utils.checkpoint.checkpoint(lambda t: t.sin(), x, use_reentrant=True)
    return torch.autograd.grad(y.sum(), x)


@error(ValueError, r"Unexpected keyword arguments: scale")
def checkpoint_reentrant_kwargs(torch):
    x = _x(torch, 3).requires_grad_()
    return torch.utils.checkpoint.checkpoint(
        lambda t, scale=1: t * scale, x, use_reentrant=True, scale=2
    )


@program
def checkpoint_reentrant_no_input_grad_warns(torch):
    import warnings

    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 3).double()
    x = _x(torch, 2, 3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        y = torch.utils.checkpoint.checkpoint(lin, x, use_reentrant=True)
    return y.requires_grad, any(
        "None of the inputs have requires_grad=True" in str(m.message) for m in w
    )


@program
def checkpoint_tuple_outputs_partial_use(torch):
    def f(x, y):
        return x.sin(), y.cos(), x * y

    x, y = _x(torch, 3).requires_grad_(), _x(torch, 3).requires_grad_()
    out = []
    for re_ in (True, False):
        a, b, c = torch.utils.checkpoint.checkpoint(f, x, y, use_reentrant=re_)
        (a.sum() + c.sum()).backward()
        out.append((x.grad.clone(), y.grad.clone(), b.requires_grad))
        x.grad = y.grad = None
    return out


@program
def checkpoint_in_training_loop_with_bn(torch):
    torch.manual_seed(0)
    block = torch.nn.Sequential(
        torch.nn.Linear(4, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU()
    ).double()
    opt = torch.optim.SGD(block.parameters(), lr=0.1)
    x = _x(torch, 8, 4)
    for _ in range(2):
        opt.zero_grad()
        y = torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
        y.pow(2).mean().backward()
        opt.step()
    return block[1].running_mean, block[1].num_batches_tracked, block[0].weight


@program
def checkpoint_sequential_reentrant_and_generator(torch):
    torch.manual_seed(0)
    layers = [torch.nn.Linear(3, 3).double() for _ in range(3)]
    model = torch.nn.Sequential(*layers)
    x = _x(torch, 2, 3).requires_grad_()
    y = torch.utils.checkpoint.checkpoint_sequential(model, 2, x, use_reentrant=True)
    y.sum().backward()
    y2 = torch.utils.checkpoint.checkpoint_sequential(
        list(model.children()), 3, x, use_reentrant=False
    )
    return y, y2, x.grad, layers[0].weight.grad


_BACKWARD_INSIDE = r"backward\(\) called inside a functorch transform\. This is not supported"


@error(RuntimeError, _BACKWARD_INSIDE)
def grad_calls_backward_inside(torch):  # fixed: 'backward through the graph a second time'
    def loss(x):
        y = (x * 2).sum()
        y.backward()
        return y

    return torch.func.grad(loss)(torch.ones(3))


@error(RuntimeError, _BACKWARD_INSIDE)
def vmap_backward_on_unrelated_tensor(torch):  # fixed: accepted
    w = torch.ones(3, requires_grad=True)

    def f(x):
        (w * 2).sum().backward()
        return x * w.grad

    return torch.func.vmap(f)(torch.ones(2, 3))


@program
def grad_autograd_grad_inside_allowed(torch):
    def f(x):
        y = torch.ones(2, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad((y * x.detach()).sum(), y)
        (h,) = torch.autograd.grad((x * x).sum(), x, create_graph=True)
        return (x * g + h).sum()

    return torch.func.grad(f)(_x(torch, 2))


@error(RuntimeError, r"vmap: called random operation while in randomness error mode")
def jacfwd_random_op_default_error(torch):  # fixed: drew
    return torch.func.jacfwd(lambda x: x * torch.rand(3))(torch.ones(3))


@error(RuntimeError, r"vmap: called random operation while in randomness error mode")
def hessian_random_op_error(torch):  # fixed: drew
    return torch.func.hessian(lambda x: (x * torch.randn(3)).sum())(torch.ones(3))


@program
def jacfwd_randomness_same_draws_once(torch):
    J = torch.func.jacfwd(lambda x: x * torch.rand(3), randomness="same")(torch.ones(3))
    return J, torch.rand(2)


@error(
    RuntimeError,
    r"Only allowed values for randomness are 'error', 'different', or 'same'\. Got bad",
)
def jacfwd_randomness_bad_value(torch):  # fixed: accepted
    return torch.func.jacfwd(lambda x: x, randomness="bad")(torch.ones(2))


def _ctc(torch):
    lp = torch.randn(6, 2, 4, dtype=torch.float64).log_softmax(2).detach().requires_grad_()
    tg = torch.tensor([[1, 2], [3, 3]])
    return lp, lambda x: torch.nn.functional.ctc_loss(x, tg, [6, 5], [2, 2])


@error(RuntimeError, r"derivative for aten::_ctc_loss_backward is not implemented")
def ctc_loss_hessian_raises(torch):  # fixed: a silently wrong (zero) second derivative
    lp, f = _ctc(torch)
    return torch.autograd.functional.hessian(f, lp.detach())


@error(RuntimeError, r"derivative for aten::_ctc_loss_backward is not implemented")
def ctc_loss_functional_jvp_raises(torch):  # fixed: a zero jvp (double-backward trick)
    lp, f = _ctc(torch)
    return torch.autograd.functional.jvp(f, lp.detach(), torch.ones_like(lp))


@error(NotImplementedError, r"Trying to use forward AD with _ctc_loss that does not support it")
def ctc_loss_forward_ad_raises(torch):  # fixed: a zero tangent
    fwAD = torch.autograd.forward_ad
    lp, f = _ctc(torch)
    with fwAD.dual_level():
        return fwAD.unpack_dual(f(fwAD.make_dual(lp.detach(), torch.ones_like(lp)))).tangent


@program
def ctc_loss_first_order_with_create_graph(torch):
    lp, f = _ctc(torch)
    (g,) = torch.autograd.grad(f(lp), lp, create_graph=True)
    (g2,) = torch.autograd.grad(f(lp), lp)
    return g, g2


# ---- saved-tensor hooks and nodes, continued ----------------------------------------------
@error(RuntimeError, r"A saved tensor pack hook is modifying its input in place")
def saved_hooks_pack_modifies_input_in_place(torch):  # fixed: accepted
    def pack(t):
        t.mul_(2)
        return t

    x = _x(torch, 3).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        return (x * 1).sin()


@program
def saved_hooks_pack_copy_may_be_changed(torch):
    def pack(t):
        c = t.clone()
        c.mul_(2)  # the copy, not the saved tensor
        return c

    x = _x(torch, 3).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t / 2):
        y = (x * 1).sin()
    y.sum().backward()
    return x.grad


@program
def node_sequence_nr_orders_nodes(torch):  # fixed: no _sequence_nr
    x = _x(torch, 3).requires_grad_()
    a = x.exp()
    b = a.sin()
    c = (a * b).sum()
    order = [n._sequence_nr() for n in (a.grad_fn, b.grad_fn, c.grad_fn)]
    acc = a.grad_fn.next_functions[0][0]
    return order[1] - order[0], order[2] > order[1], acc._sequence_nr()


@program
def saved_hooks_custom_function_and_raw_saved(torch):
    log = []

    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x

    x = _x(torch, 3).requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: log.append("pack") or t, lambda t: log.append("unpack") or t
    ):
        y = F.apply(x)
    y.sum().backward()
    z = x.exp()
    z.grad_fn._raw_saved_result.register_hooks(lambda t: t * 2, lambda t: t)
    z.sum().backward()
    return log, x.grad


@program
def multi_grad_hook_nonleaf_and_unused(torch):
    x = _x(torch, 2).requires_grad_()
    a, b = x * 2, x * 3
    seen = []
    torch.autograd.graph.register_multi_grad_hook(
        (a, b), lambda g: seen.append([t.sum() for t in g])
    )
    (a * b).sum().backward()
    c, d = _x(torch, 2).requires_grad_(), _x(torch, 2).requires_grad_()
    torch.autograd.graph.register_multi_grad_hook(
        (c, d), lambda g: seen.append([t is None for t in g])
    )
    (c * 3).sum().backward()
    return seen, x.grad


@error(ValueError, r"Expects mode to be one of \('all', 'any'\) but got some")
def multi_grad_hook_bad_mode(torch):
    a = _x(torch, 2).requires_grad_()
    torch.autograd.graph.register_multi_grad_hook((a,), lambda g: None, mode="some")


@program
def node_hooks_on_accumulate_grad_and_split(torch):
    x = _x(torch, 6).requires_grad_()
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    log = []
    acc.register_prehook(lambda go: log.append(("pre", go[0].shape)))
    acc.register_hook(lambda gi, go: log.append((gi, go[0].shape)))
    a, b = y.split(3)
    a.grad_fn.register_hook(lambda gi, go: log.append([g is None for g in go]))
    a.sum().backward()
    return log, x.grad


@error(
    RuntimeError,
    r"hook '<lambda>' has returned an incorrect number of values \(got 2, but expected 1\)",
)
def node_prehook_wrong_length(torch):
    x = _x(torch, 3).requires_grad_()
    y = x.exp()
    y.grad_fn.register_prehook(lambda go: (go[0], go[0]))
    y.sum().backward()


@program
def allow_mutation_on_saved_values(torch):
    G = torch.autograd.graph
    with G.allow_mutation_on_saved_tensors() as ctx:
        x = _x(torch, 3).requires_grad_()
        y = x.clone()
        z = y.sin()
        y.mul_(2)
        w = y.exp()
        (z.sum() + w.sum()).backward()
    return x.grad, type(ctx).__name__


@error(RuntimeError, r"allow_mutation_on_saved_tensors contexts cannot be nested")
def allow_mutation_nested(torch):
    G = torch.autograd.graph
    with G.allow_mutation_on_saved_tensors():
        with G.allow_mutation_on_saved_tensors():
            pass


# ---- checkpoint, continued ----------------------------------------------------------------
@program
def checkpoint_preserve_rng_state_false(torch):
    out = []
    for reentrant in (True, False):
        x = torch.ones(4, 5, requires_grad=True)
        torch.manual_seed(5)
        y = torch.utils.checkpoint.checkpoint(
            lambda t: torch.nn.functional.dropout(t, 0.5), x,
            use_reentrant=reentrant, preserve_rng_state=False,
        )  # fmt: skip
        y.sum().backward()
        out.append((y, x.grad, torch.rand(2)))
    return out


@program
def checkpoint_context_fn(torch):
    import contextlib

    log = []

    def context_fn():
        @contextlib.contextmanager
        def tag(what):
            log.append(what)
            yield

        return tag("forward"), tag("recompute")

    x = _x(torch, 3).requires_grad_()
    y = torch.utils.checkpoint.checkpoint(
        lambda t: t.sin().exp(), x, use_reentrant=False, context_fn=context_fn
    )
    y.sum().backward()
    return log, x.grad


@error(RuntimeError, r"Recomputed values for the following tensors have different metadata")
def checkpoint_determinism_check(torch):
    x = _x(torch, 3).requires_grad_()
    calls = []

    def f(t):
        calls.append(1)
        return t[: len(calls) + 1].sin()

    y = torch.utils.checkpoint.checkpoint(f, x, use_reentrant=False)
    y.sum().backward()


@program
def checkpoint_inplace_inside_and_early_stop_off(torch):
    def f(t):
        y = t * 2
        y.add_(1)
        return y.exp()

    x = _x(torch, 3).requires_grad_()
    with torch.utils.checkpoint.set_checkpoint_early_stop(False):
        y = torch.utils.checkpoint.checkpoint(f, x, use_reentrant=False)
    y.sum().backward()
    return x.grad


# ---- autograd.Function under transforms, continued -----------------------------------------
def _square(torch, jvp=False):
    class Sq(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x, k):
            return x**2 * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, k = inputs
            ctx.save_for_backward(x)
            ctx.save_for_forward(x)
            ctx.k = k

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g * ctx.k, None

    if jvp:

        def rule(ctx, t, _):
            (x,) = ctx.saved_tensors
            return 2 * x * t * ctx.k

        Sq.jvp = staticmethod(rule)
    return Sq


@program
def function_transforms_compose(torch):
    Sq, SqJ = _square(torch), _square(torch, jvp=True)
    x = _x(torch, 2, 3)
    return (
        torch.func.grad(lambda t: torch.func.grad(lambda u: Sq.apply(u, 3.0).sum())(t).sum())(x[0]),
        torch.func.jacfwd(lambda t: SqJ.apply(t, 3.0))(x[0]),
        torch.func.hessian(lambda t: SqJ.apply(t, 3.0).sum())(x[0]),
        torch.func.vmap(lambda t: Sq.apply(t, 3.0), in_dims=1)(x),
        torch.func.vmap(torch.func.jacrev(lambda t: Sq.apply(t, 3.0)))(x),
    )


@error(RuntimeError, r"You must implement the jvp function for custom autograd\.Function to use it")
def function_no_jvp_under_jacfwd(torch):
    Sq = _square(torch)
    return torch.func.jacfwd(lambda t: Sq.apply(t, 3.0))(_x(torch, 3))


@error(RuntimeError, r"both generate_vmap_rule=True and an overridden vmap staticmethod")
def function_generate_rule_and_vmap_both(torch):
    class Id(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x.clone()

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def vmap(info, in_dims, x):
            return x, 0

    return torch.func.vmap(Id.apply)(torch.ones(3, 2))


@program
def function_vmap_staticmethod_info_and_chunks(torch):
    class Id(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.clone()

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def vmap(info, in_dims, x):
            return x * info.batch_size, in_dims[0]

    a = torch.func.vmap(Id.apply, randomness="different")(torch.ones(3, 2))
    b = torch.func.vmap(Id.apply, chunk_size=2)(torch.ones(5, 2))
    return a, b


@program
def function_returns_named_tuple(torch):  # fixed: the outputs were not wrapped (no gradient)
    class SortF(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.sort()

        @staticmethod
        def setup_context(ctx, inputs, output):
            _, i = output
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(i)
            ctx.n = inputs[0].shape[0]

        @staticmethod
        def backward(ctx, gv, gi):
            (i,) = ctx.saved_tensors
            return torch.zeros(ctx.n, dtype=gv.dtype).scatter(0, i, gv)

    w = torch.arange(4.0, dtype=torch.float64)
    x = _x(torch, 4).requires_grad_()
    out = SortF.apply(x)
    (out[0] * w).sum().backward()
    g = torch.func.grad(lambda t: (SortF.apply(t)[0] * w).sum())(x.detach())
    return type(out).__name__, out[0].grad_fn is not None, out[1].requires_grad, x.grad, g


# ---- research patterns ---------------------------------------------------------------------
@program
def functional_call_weight_norm_parametrization(torch):
    torch.manual_seed(0)
    m = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(3, 2).double())
    names = [k for k, _ in m.named_parameters()]
    p = {k: v.detach() * 2 for k, v in m.named_parameters()}
    x = _x(torch, 4, 3)
    out = torch.func.functional_call(m, p, (x,))
    g = torch.func.grad(lambda p: torch.func.functional_call(m, p, (x,)).sum())(p)
    return names, out, g


@program
def functional_call_mha_and_lstm_grads(torch):
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True).double()
    lstm = torch.nn.LSTM(4, 3, batch_first=True).double()
    pm = {k: v.detach() for k, v in mha.named_parameters()}
    pl = {k: v.detach() for k, v in lstm.named_parameters()}
    x = _x(torch, 2, 3, 4)

    def loss(pm, pl):
        h = torch.func.functional_call(mha, pm, (x, x, x))[0]
        return torch.func.functional_call(lstm, pl, (h,))[0].pow(2).sum()

    return torch.func.grad(loss, argnums=(0, 1))(pm, pl)


@program
def empirical_ntk(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    p = {k: v.detach() for k, v in m.named_parameters()}

    def f(p, x):
        return torch.func.functional_call(m, p, (x.unsqueeze(0),)).squeeze(0)

    x1, x2 = _x(torch, 5, 3), _x(torch, 4, 3)
    j1 = [j.flatten(2) for j in torch.func.vmap(torch.func.jacrev(f), (None, 0))(p, x1).values()]
    j2 = [j.flatten(2) for j in torch.func.vmap(torch.func.jacrev(f), (None, 0))(p, x2).values()]
    return torch.stack([torch.einsum("Naf,Mbf->NMab", a, b) for a, b in zip(j1, j2)]).sum(0)


@program
def maml_with_func_grad(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)).double()
    p = dict(m.named_parameters())
    xs, ys = _x(torch, 10, 1), _x(torch, 10, 1)
    F = torch.nn.functional

    def inner(p, x, y):
        g = torch.func.grad(lambda p: F.mse_loss(torch.func.functional_call(m, p, (x,)), y))(p)
        return {k: v - 0.1 * g[k] for k, v in p.items()}

    q = inner(p, xs[:5], ys[:5])
    loss = F.mse_loss(torch.func.functional_call(m, q, (xs[5:],)), ys[5:])
    loss.backward()
    return loss, [v.grad for v in m.parameters()]


@program
def ensemble_vmap_train_steps_and_backward(torch):
    torch.manual_seed(0)
    models = [torch.nn.Linear(3, 1).double() for _ in range(4)]
    params, bufs = torch.func.stack_module_state(models)
    base = torch.nn.Linear(3, 1).double()
    x, y = _x(torch, 8, 3), _x(torch, 8, 1)

    def loss(p, b):
        return torch.nn.functional.mse_loss(torch.func.functional_call(base, (p, b), (x,)), y)

    out = torch.func.vmap(lambda p, b: torch.func.functional_call(base, (p, b), (x,)))(params, bufs)
    out.sum().backward()
    grads = params["weight"].grad
    for _ in range(3):
        g = torch.func.vmap(torch.func.grad(loss))(params, bufs)
        params = {k: (v - 0.1 * g[k]).detach() for k, v in params.items()}
    return params, grads, models[0].weight.grad


# ---- inference tensors into transforms -----------------------------------------------------
def _inference(torch, *shape):
    x = _x(torch, *shape)
    with torch.inference_mode():
        return x.clone()


@program
def transforms_take_inference_tensor_inputs(torch):  # fixed: 'Setting requires_grad=True on
    # inference tensor outside InferenceMode is not allowed'
    x = _inference(torch, 3)
    f = lambda t: (t.sin() * t).sum()  # noqa: E731
    out, vjp_fn = torch.func.vjp(torch.sin, x)
    return (
        torch.func.grad(f)(x),
        torch.func.grad_and_value(f)(x),
        vjp_fn(torch.ones(3, dtype=torch.float64)),
        torch.func.jacrev(torch.sin)(x),
        torch.func.jacfwd(torch.sin)(x),
        torch.func.hessian(f)(x),
        torch.func.jvp(torch.sin, (x,), (torch.ones(3, dtype=torch.float64),)),
        torch.func.vmap(torch.func.grad(f))(_inference(torch, 2, 3)),
    )


@program
def transforms_capture_inference_tensor(torch):  # fixed: 'Inference tensors cannot be saved'
    w = _inference(torch, 3)
    x = _x(torch, 3)
    ones = torch.ones(3, dtype=torch.float64)
    return (
        torch.func.grad(lambda t: (t * w).sum())(x),
        torch.func.jvp(lambda t: t * w, (x,), (ones,)),
        torch.func.jacfwd(lambda t: t.sin() * w)(x),
        torch.func.hessian(lambda t: (t.sin() * w).sum())(x),
    )


@error(RuntimeError, r"Inference tensors cannot be saved for backward")
def inference_tensor_saved_under_vmap_outside_grad(torch):
    w = _inference(torch, 3)
    x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    return torch.func.vmap(lambda t: t * w)(x)


@error(RuntimeError, r"Setting requires_grad=True on inference tensor outside InferenceMode")
def inference_tensor_into_autograd_functional(torch):
    return torch.autograd.functional.jacobian(torch.sin, _inference(torch, 3))


# ---- calling a node ------------------------------------------------------------------------
@program
def node_called_as_its_backward(torch):  # fixed: 'MulBackward0' object is not callable
    x, w = _x(torch, 3).requires_grad_(), _x(torch, 3).requires_grad_()
    ones = torch.ones(3, dtype=torch.float64)
    y = x * w
    gi = y.grad_fn(ones)
    with torch.no_grad():
        plain = y.grad_fn(ones)
    h = x.sin()
    z = h.exp()
    manual = h.grad_fn(z.grad_fn(ones))  # backpropagation by hand
    a, b = x.split(2)
    return (
        gi,
        plain,
        manual,
        torch.autograd.grad(z.sum(), x)[0],
        (x * 2).grad_fn(ones),
        (1 - x).grad_fn(ones),
        x.sum().grad_fn(torch.tensor(2.0, dtype=torch.float64)),
        a.grad_fn(None, torch.ones(1, dtype=torch.float64)),
        torch.where(x > 0, x, x * 0.1).grad_fn(ones),
    )


@error(TypeError, r"expected 2 arguments, got 1 instead")
def node_call_wrong_count(torch):
    a, _ = _x(torch, 3).requires_grad_().split(2)
    return a.grad_fn(torch.ones(2, dtype=torch.float64))


@error(TypeError, r"argument 0 is not a Variable")
def node_call_not_tensor(torch):
    return _x(torch, 3).requires_grad_().exp().grad_fn(3)


@error(RuntimeError, r"Trying to backward through the graph a second time")
def node_call_after_backward(torch):
    y = _x(torch, 3).requires_grad_().exp()
    y.sum().backward()
    return y.grad_fn(torch.ones(3, dtype=torch.float64))


@error(TypeError, r"'FBackward' object is not callable")
def node_of_user_function_not_callable(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return F.apply(_x(torch, 3).requires_grad_()).grad_fn(torch.ones(3, dtype=torch.float64))


# ---- batched gradients and compositions -----------------------------------------------------
@program
def grads_batched_jacobian_rows(torch):
    x = _x(torch, 3).requires_grad_()
    y = x.sin() * x.sum()
    eye = torch.eye(3, dtype=torch.float64)
    (J,) = torch.autograd.grad(y, x, eye, is_grads_batched=True, retain_graph=True)
    J2 = torch.func.vmap(lambda v: torch.autograd.grad(y, x, v, retain_graph=True)[0])(eye)
    (Jc,) = torch.autograd.grad(y, x, eye, is_grads_batched=True, create_graph=True)
    (H,) = torch.autograd.grad(Jc.sum(), x)
    return J, J2, H


@program
def per_sample_gradient_clipping_dp_sgd(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(3, 2).double()
    p = {k: v.detach() for k, v in m.named_parameters()}
    x, y = _x(torch, 5, 3), torch.randint(0, 2, (5,))

    def loss(p, xi, yi):
        out = torch.func.functional_call(m, p, (xi[None],))
        return torch.nn.functional.cross_entropy(out, yi[None])

    g = torch.func.vmap(torch.func.grad(loss), (None, 0, 0))(p, x, y)
    norms = torch.stack([v.flatten(1).norm(dim=1) for v in g.values()]).norm(dim=0)
    factor = (1.0 / (norms + 1e-6)).clamp(max=1.0)
    clipped = {k: (v * factor.view(-1, *[1] * (v.dim() - 1))).sum(0) for k, v in g.items()}
    return norms, clipped


@program
def transforms_nest_every_way(torch):
    x, t = _x(torch, 3, 4), _x(torch, 3, 4)

    def vjp_row(a, b):
        _, fn = torch.func.vjp(torch.tanh, a)
        return fn(b)[0]

    return (
        torch.func.jvp(torch.func.vmap(lambda r: r.softmax(0)), (x,), (t,)),
        torch.func.vmap(lambda a, b: torch.func.jvp(torch.sin, (a,), (b,)))(x, t),
        torch.func.vmap(vjp_row)(x, t),
        torch.func.grad(lambda w: torch.func.vmap(lambda r: (r * w).sum().tanh())(x).sum())(t[0]),
        torch.func.jacfwd(
            torch.func.jacrev(lambda a, b: (a.sin() * b.cos()).sum(), argnums=(0, 1)),
            argnums=(0, 1),
        )(x[0, :2], t[0, :2]),
        torch.func.hessian(lambda a, b: (a.outer(b) ** 2).sum(), argnums=(0, 1))(x[0], t[0, :3]),
    )


# ---- forward AD, continued -----------------------------------------------------------------
@error(
    RuntimeError, r"Setting a forward grad that itself has a forward gradient at the same level0"
)
def forward_ad_tangent_is_a_dual(torch):  # fixed: accepted
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        t = fwAD.make_dual(torch.ones(3), torch.ones(3))
        return fwAD.make_dual(torch.zeros(3), t)


@program
def forward_ad_layouts_and_plain_tensors(torch):
    fwAD = torch.autograd.forward_ad
    x, t = _x(torch, 3, 4), _x(torch, 4, 3).t()
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t)
        tt = fwAD.unpack_dual(d).tangent
        e = fwAD.make_dual(_x(torch, 4, 3).t(), _x(torch, 3, 4))
        z = torch.zeros(4, dtype=torch.float64)
        w = fwAD.make_dual(z, torch.ones(4, dtype=torch.float64))
        w[1:3] = torch.tensor([5.0, 6.0], dtype=torch.float64)
        with torch.no_grad():
            n = d * 3
        return (
            tt.stride(),
            tt is t,
            fwAD.unpack_dual(e).tangent.stride(),
            e.stride(),
            fwAD.unpack_dual(w).tangent,
            fwAD.unpack_dual(n).tangent,
            fwAD.unpack_dual(d.detach()).tangent is None,
            d.item() if d.numel() == 1 else d.sum().item(),
        )


@program(tol={"rtol": 1e-9, "atol": 1e-10})
def forward_ad_nn_functional_tangents(torch):
    fwAD = torch.autograd.forward_ad
    F = torch.nn.functional
    cases = [
        (lambda x: F.softplus(x, beta=2) + F.elu(x) + F.mish(x) + F.hardswish(x), (3, 4)),
        (lambda x: F.glu(x) + F.normalize(x, dim=1)[:, :2], (3, 4)),
        (lambda x: F.group_norm(x, 2) + F.instance_norm(x), (2, 4, 3)),
        (lambda x: F.batch_norm(x, None, None, training=True), (5, 4)),
        (lambda x, w: F.conv1d(x, w, padding=1), (2, 3, 5), (4, 3, 3)),
        (lambda x, w: F.conv_transpose2d(x, w, stride=2), (1, 2, 3, 3), (2, 3, 2, 2)),
        (lambda x: F.avg_pool2d(x, 2) + F.adaptive_max_pool2d(x, 2), (1, 2, 4, 4)),
        (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), (1, 2, 3, 3)),
        (lambda x: F.pad(x, (1, 2), mode="reflect"), (1, 2, 5)),
        (lambda x, y: F.smooth_l1_loss(x, y) + F.huber_loss(x, y, delta=0.5), (3, 4), (3, 4)),
        (
            lambda x, y: F.kl_div(x.log_softmax(1), y.softmax(1), reduction="batchmean"),
            (3, 4),
            (3, 4),
        ),  # fmt: skip
        (lambda x, y: F.cosine_similarity(x, y), (3, 4), (3, 4)),
        (lambda x: x.topk(2, dim=1).values + x.kthvalue(2, dim=1).values[:, None], (3, 4)),
        (lambda x: x.cummax(1).values + x.logcumsumexp(1), (3, 4)),
        (lambda a, b, c: torch.baddbmm(a, b, c), (2, 3, 2), (2, 3, 4), (2, 4, 2)),
        (lambda x: torch.linalg.svdvals(x).sum() + torch.linalg.pinv(x).sum(), (4, 3)),
        (lambda a, b: torch.linalg.lstsq(a, b).solution, (4, 3), (4, 2)),
        (
            lambda x, y, w: torch.lerp(x, y, w) + torch.atan2(x, y) + torch.hypot(x, y),
            (3, 4),
            (3, 4),
            (3, 4),
        ),  # fmt: skip
        (lambda x: torch.lgamma(x.abs() + 0.5) + torch.special.erfinv(x.tanh() * 0.9), (3, 4)),
        (lambda x, y: torch.kron(x, y), (2, 2), (2, 3)),
        (lambda x: torch.var_mean(x, 1)[0] + torch.cov(x).sum(), (3, 4)),
    ]
    out = []
    for f, *shapes in cases:
        xs = [_x(torch, *s) for s in shapes]
        ts = [_x(torch, *s) for s in shapes]
        with fwAD.dual_level():
            y = f(*[fwAD.make_dual(x, t) for x, t in zip(xs, ts)])
            out.append(fwAD.unpack_dual(y).tangent)
    return out


@program
def copy_slices_next_functions(torch):  # fixed: listed the in-place op's node as an input
    def names(fn):
        return [(n.name() if n is not None else None, i) for n, i in fn.next_functions]

    x, w = _x(torch, 4, 3).requires_grad_(), _x(torch, 3).requires_grad_()
    ops = {
        "mul_scalar": lambda y: y[1:3].mul_(2),
        "mul_tensor": lambda y: y[1].mul_(w),
        "exp_": lambda y: y[:, 0].exp_(),
        "setitem_const": lambda y: y.__setitem__(1, 5.0),
        "setitem_tensor": lambda y: y.__setitem__(1, w),
        "index_put": lambda y: y.__setitem__((1, torch.tensor([0, 2])), w[:2]),
        "addcmul_": lambda y: y[:, 1].addcmul_(x[:, 0], x[:, 2]),
        "nested_view": lambda y: y[1:3][0].mul_(w),
        "relu_inplace": lambda y: torch.nn.functional.relu(y[2], inplace=True),
    }
    out = {}
    for name, op in ops.items():
        y = x * 1
        op(y)
        out[name] = (y.grad_fn.name(), names(y.grad_fn))
    return out


# ---- second-order research recipes ---------------------------------------------------------
@program
def curvature_products_with_func(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    m = m.double()
    p = {k: v.detach() for k, v in m.named_parameters()}
    v = {k: torch.randn_like(t) for k, t in p.items()}
    x, y = _x(torch, 5, 3), _x(torch, 5, 1)

    def f(p):
        return torch.func.functional_call(m, p, (x,))

    def loss(p):
        return torch.nn.functional.mse_loss(f(p), y)

    _, jv = torch.func.jvp(f, (p,), (v,))
    _, vjp_fn = torch.func.vjp(f, p)
    gnvp = vjp_fn(jv)  # Gauss-Newton vector product
    _, hvp_fn = torch.func.vjp(torch.func.grad(loss), p)
    hvp = hvp_fn(v)  # reverse-over-reverse
    H = torch.func.hessian(loss)(p)
    return gnvp, hvp, H["0.weight"]["2.bias"], {k: list(h) for k, h in H.items()}


@program
def vmap_layers_in_eval_match_batch(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True)
    layer = layer.double().eval()
    mha = torch.nn.MultiheadAttention(4, 2).double().eval()
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8, 2)
    ).double()
    x, s, img = _x(torch, 3, 4, 8), _x(torch, 3, 5, 4), _x(torch, 1, 1, 4, 4)
    logits, y = _x(torch, 6, 4), torch.randint(0, 4, (6,))
    return (
        torch.func.vmap(lambda r: layer(r.unsqueeze(0)).squeeze(0))(x),
        layer(x),
        torch.func.vmap(lambda r: mha(r, r, r, need_weights=False)[0])(s),
        torch.func.jacrev(net)(img),
        torch.func.vmap(torch.nn.functional.cross_entropy)(logits, y),
        torch.func.grad(lambda t: torch.nn.functional.cross_entropy(t, y, label_smoothing=0.1))(
            logits
        ),
    )


@program
def functional_call_parametrizations_and_nonpersistent_buffers(torch):
    class Sym(torch.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("scale", torch.tensor(2.0, dtype=torch.float64), persistent=False)
            self.lin = torch.nn.Linear(3, 3).double()

        def forward(self, x):
            return self.lin(x) * self.scale

    torch.manual_seed(0)
    m = M()
    torch.nn.utils.parametrize.register_parametrization(m.lin, "weight", Sym())
    x = _x(torch, 2, 3)
    eye = torch.eye(3, dtype=torch.float64)
    return (
        sorted(k for k, _ in m.named_parameters()),
        torch.func.functional_call(m, {"lin.parametrizations.weight.original": eye * 2}, (x,)),
        torch.func.functional_call(m, {"scale": torch.tensor(5.0, dtype=torch.float64)}, (x,)),
        m.lin.weight,
        m.scale,
    )


@error(RuntimeError, r"parametrization Sym does not implement right_inverse")
def functional_call_parametrized_weight_without_right_inverse(torch):
    class Sym(torch.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    m = torch.nn.Sequential(torch.nn.Linear(3, 3))
    torch.nn.utils.parametrize.register_parametrization(m[0], "weight", Sym())
    return torch.func.functional_call(m, {"0.weight": torch.ones(3, 3)}, (torch.ones(1, 3),))
