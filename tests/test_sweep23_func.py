"""Session 13 compatibility sweep of ``torch.func`` as PyTorch's functorch tests check it
(test/functorch/test_eager_transforms.py, test_vmap.py's API tests): argnums forms and their
errors, has_aux, compositions of the transforms, functional_call and stack_module_state, and
vmap's in_dims/out_dims, chunk_size and randomness, run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _lin(torch, *shape, lo=-1.0, hi=1.0):
    n = 1
    for s in shape:
        n *= s
    return torch.linspace(lo, hi, n, dtype=torch.float64).reshape(*shape)


# ---- grad / grad_and_value ------------------------------------------------------------------
@program
def grad_negative_and_out_of_order_argnums(torch):
    x, y = torch.tensor(1.5, dtype=torch.float64), torch.tensor(-0.5, dtype=torch.float64)
    g = torch.func.grad
    return [g(torch.mul, argnums=-2)(x, y), g(torch.mul, argnums=-1)(x, y),
            g(torch.mul, argnums=(-2,))(x, y), g(torch.mul, argnums=(1, 0))(x, y),
            g(torch.mul, argnums=(-1, 0))(x, y)]  # fmt: skip


@error(RuntimeError, r"Got argnum=-3, but only 2 positional inputs")
def grad_argnum_negative_out_of_range(torch):
    torch.func.grad(torch.mul, argnums=-3)(torch.tensor(1.0), torch.tensor(2.0))


@error(RuntimeError, r"argnum must be int, got: <class 'str'>")  # fixed: another message
def grad_argnums_tuple_of_str(torch):
    torch.func.grad(torch.mul, argnums=("0",))(torch.tensor(1.0), torch.tensor(2.0))


@error(RuntimeError, r"argnums elements must be unique, got \(0, 0\)")
def grad_argnums_repeated(torch):  # fixed: accepted
    torch.func.grad(torch.mul, argnums=(0, 0))(torch.tensor(1.0), torch.tensor(2.0))


@error(RuntimeError, r"argnums elements must be unique, got \(0, 0\)")
def grad_argnums_repeated_negative(torch):  # fixed: accepted
    torch.func.grad(torch.mul, argnums=(0, -2))(torch.tensor(1.0), torch.tensor(2.0))


@program
def grad_pytree_argnums_nested(torch):
    x = torch.tensor(0.7, dtype=torch.float64)

    def f(a, b):
        return 1 * a[0] + 2 * a[1] + 3 * b["foo"]

    args = ((x, x), {"foo": x})
    return [torch.func.grad(f)(*args), torch.func.grad(f, argnums=(0,))(*args),
            torch.func.grad(f, argnums=(0, 1))(*args)]  # fmt: skip


@error(RuntimeError, r"grad_and_value\(f\)\(\*args\): output of function f should be a tuple")
def grad_has_aux_list_output(torch):
    torch.func.grad(lambda t: [t.sum(), t], has_aux=True)(torch.ones(3))


@error(RuntimeError, r"grad_and_value\(f\)\(\*args\): output of function f should be a tuple")
def grad_has_aux_three_tuple(torch):
    torch.func.grad(lambda t: (t.sum(), t, t), has_aux=True)(torch.ones(3))


@error(RuntimeError, r"Expected tensors, got unsupported type <class 'float'>")
def grad_has_aux_nested_float(torch):
    torch.func.grad(lambda x: (x.sum(), [x, 1.0]), has_aux=True)(torch.ones(3))


@error(RuntimeError, r"Expected f\(\*args\) to return a scalar Tensor, got tensor with 1 dims")
def grad_nonscalar_output(torch):
    torch.func.grad(lambda x: x * 2)(torch.ones(3))


@error(RuntimeError, r"Expected f\(\*args\) to return a scalar Tensor, got tensor with 2 dims")
def grad_one_element_2d_output(torch):
    torch.func.grad(lambda x: x.reshape(1, 1))(torch.ones(1))


@program
def grad_and_value_has_aux_pytree(torch):
    x = _lin(torch, 4)

    def f(x):
        return x.sin().sum(), {"a": x.cos(), "b": [x.tan()]}

    (g, (value, aux)) = torch.func.grad_and_value(f, has_aux=True)(x)
    return [g, value, aux, value.requires_grad, aux["a"].requires_grad]


@program
def grad_zero_for_unused_dict_entry_and_unrelated(torch):
    inps = {"a": _lin(torch, 5) + 3, "b": _lin(torch, 5)}
    y = torch.tensor(2.0)
    return [torch.func.grad(lambda d: (d["a"] ** 2.0).sum())(inps),
            torch.func.grad(lambda x: y)(torch.tensor(1.0))]  # fmt: skip


@program
def grad_inplace_on_view_and_base(torch):
    x = _lin(torch, 3)

    def on_view(x):
        y = x.clone()
        y[0].sin_()
        return y.sum()

    def on_base(x):
        y = x.clone()
        y0 = y[0]
        y.sin_()
        return y0

    def view_inplace(x):
        x = x.clone()
        x.view([3]).mul_(x.detach() + 1)
        return x.sum()

    g = torch.func.grad
    return [g(on_view)(x), g(on_base)(x), g(view_inplace)(x)]


@program
def grad_vjp_compositions(torch):  # fixed: grad of an escaped vjp_fn required grad
    x, y = torch.tensor(0.3, dtype=torch.float64), torch.tensor(-1.2, dtype=torch.float64)
    grad, vjp = torch.func.grad, torch.func.vjp

    def grad_of_vjp(x, y):
        _, fn = vjp(torch.sin, x)
        return grad(lambda y: fn(y)[0])(y)

    def vjp_of_grad(x, y):
        _, fn = vjp(grad(torch.sin), x)
        return fn(y)[0]

    def grad_vjp_grad(x, y):
        _, fn = vjp(grad(lambda x: -torch.cos(x)), x)
        return grad(lambda y: fn(y)[0])(y)

    return [grad_of_vjp(x, y), vjp_of_grad(x, y), grad_vjp_grad(x, y)]


@program
def grad_composed_with_autograd(torch):
    x = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    y = torch.func.grad(torch.sin)(x)
    (r,) = torch.autograd.grad(y, x)
    z = torch.tensor(0.9, dtype=torch.float64, requires_grad=True)
    w = torch.func.grad(lambda t: t.view([]).sin())(x) + torch.cos(z)
    gx, gz = torch.autograd.grad(w, [x, z])
    return [y, y.requires_grad, r, gx, gz]


@program
def grad_manual_seed_inside(torch):
    x = torch.tensor(1.3)

    def f(x):
        torch.manual_seed(0)
        return x * torch.randn_like(x)

    return torch.func.grad(f)(x)


@program
def grad_of_grad_of_grad(torch):
    x = torch.tensor(0.8, dtype=torch.float64)
    g = torch.func.grad
    return [g(g(torch.sin))(x), g(g(g(torch.exp)))(x), g(g(lambda t: t**4))(x)]


@program
def grad_cross_entropy_integer_target(torch):
    y = _lin(torch, 2, 5)
    t = torch.tensor([1, 4])
    return torch.func.grad(torch.nn.functional.cross_entropy)(y, t)


# ---- vjp / jvp / linearize ------------------------------------------------------------------
@program
def vjp_two_same_outputs_and_unrelated(torch):
    out, fn = torch.func.vjp(lambda x: (x, x), torch.tensor(1.0))
    y = torch.tensor(2.0)
    out2, fn2 = torch.func.vjp(lambda x: y, torch.tensor(1.0))
    return [out, fn(out), out2, fn2(torch.tensor(1.0))]


@program
def vjp_has_aux(torch):
    x = _lin(torch, 3)
    out, fn, aux = torch.func.vjp(lambda x: (x.sin(), {"c": x.cos()}), x, has_aux=True)
    return [out, fn(torch.ones_like(x)), aux, aux["c"].requires_grad]


@error(RuntimeError, r"vjp\(f, \*primals\): output of function f should be a tuple")
def vjp_has_aux_not_tuple(torch):
    torch.func.vjp(lambda x: x.sin(), torch.ones(2), has_aux=True)


@error(RuntimeError, r"Expected primals to be a tuple")
def jvp_primals_list(torch):
    torch.func.jvp(torch.sin, [torch.ones(2)], [torch.ones(2)])


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected primals and tangents to have the same python structure")  # fmt: skip
def jvp_tangents_tensor(torch):  # fixed: 'Expected tangents to be a tuple'
    torch.func.jvp(torch.sin, (torch.ones(2),), torch.ones(2))


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected primals to contain at least one Tensor\.")  # fmt: skip
def jvp_empty_primals(torch):  # fixed: 'a non-empty list'
    torch.func.jvp(lambda: torch.ones(2), (), ())


@program
def jvp_pytree_outputs_and_nested(torch):
    x, t = _lin(torch, 3), _lin(torch, 3, lo=0.5, hi=2.0)

    def f(x):
        return {"s": x.sin(), "l": [x * 2, x.exp()]}

    out, tan = torch.func.jvp(f, (x,), (t,))
    # jvp of grad (forward-over-reverse): a Hessian-vector product
    _, hvp = torch.func.jvp(torch.func.grad(lambda z: (z**3).sum()), (x,), (t,))
    return [out, tan, hvp]


@program
def linearize_matches_jvp(torch):
    x, t = _lin(torch, 4), _lin(torch, 4, lo=1.0, hi=2.0)

    def f(x):
        return (x.sin() * x).cumsum(0)

    out, jfn = torch.func.linearize(f, x)
    _, expected = torch.func.jvp(f, (x,), (t,))
    return [out, jfn(t), expected, jfn(t * 0)]


# ---- jacrev / jacfwd / hessian --------------------------------------------------------------
@program
def jac_argnums_forms(torch):
    x, y = _lin(torch, 3), _lin(torch, 2, lo=0.5)

    def f(x, y):
        return torch.outer(x.sin(), y).sum(0)

    out = []
    for jac in (torch.func.jacrev, torch.func.jacfwd):
        out += [jac(f)(x, y), jac(f, argnums=1)(x, y), jac(f, argnums=(1, 0))(x, y),
                jac(f, argnums=-1)(x, y)]  # fmt: skip
    return out


@program
def jac_pytree_in_and_out(torch):
    d = {"a": _lin(torch, 2), "b": _lin(torch, 3, lo=0.2)}

    def f(d):
        return {"u": d["a"] * d["b"].sum(), "v": (d["b"] ** 2,)}

    return [torch.func.jacrev(f)(d), torch.func.jacfwd(f)(d)]


@program
def jac_has_aux_and_chunks(torch):
    x = _lin(torch, 5)

    def f(x):
        return x.exp().cumsum(0), x.sum()

    out = [torch.func.jacfwd(f, has_aux=True)(x), torch.func.jacrev(f, has_aux=True)(x)]
    for chunk in (1, 2, 5, 7):
        out.append(torch.func.jacrev(f, has_aux=True, chunk_size=chunk)(x))
    return out


@error(ValueError, r"jacrev: `chunk_size` should be greater than 0.")
def jacrev_chunk_size_zero(torch):  # fixed: accepted
    torch.func.jacrev(torch.sin, chunk_size=0)(torch.ones(3))


@error(RuntimeError, r"Got argnum=1, but only 1 positional inputs")
def jacfwd_argnum_out_of_range(torch):
    torch.func.jacfwd(torch.sin, argnums=1)(torch.ones(3))


@error(RuntimeError, r"argnums elements must be unique, got \(1, 1\)")
def jacrev_argnums_repeated(torch):  # fixed: accepted
    torch.func.jacrev(torch.mul, argnums=(1, 1))(torch.ones(3), torch.ones(3))


@program
def hessian_forms(torch):
    x, y = _lin(torch, 3), _lin(torch, 2, lo=0.3)

    def f(x, y):
        return (x.sin().sum() * y.exp()).sum()

    h = torch.func.hessian
    return [h(f)(x, y), h(f, argnums=1)(x, y), h(f, argnums=(0, 1))(x, y),
            h(lambda t: t.pow(3).sum())(torch.tensor(0.5, dtype=torch.float64))]  # fmt: skip


@program
def jacrev_of_vmap_and_vmap_of_jacrev(torch):
    x = _lin(torch, 3, 4)
    f = lambda r: (r.sin() * r.sum()).cumsum(0)  # noqa: E731
    a = torch.func.jacrev(torch.func.vmap(f))(x)
    b = torch.func.vmap(torch.func.jacrev(f))(x)
    c = torch.func.vmap(torch.func.jacfwd(f))(x)
    return [a.shape, b, c, torch.func.vmap(torch.func.hessian(lambda r: r.exp().sum()))(x)]


# ---- vmap ------------------------------------------------------------------------------------
@program
def vmap_of_grad_per_sample(torch):
    w = _lin(torch, 3)
    x = _lin(torch, 4, 3, lo=-2.0)
    t = _lin(torch, 4)

    def loss(w, x, t):
        return ((x @ w - t) ** 2).mean()

    g = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0, 0))(w, x, t)
    gv = torch.func.vmap(torch.func.grad_and_value(loss), in_dims=(None, 0, 0))(w, x, t)
    return [g, gv]


@program
def vmap_in_dims_nested_structures(torch):
    a, b = _lin(torch, 2, 3), _lin(torch, 3, 2)

    def f(p, q):
        return p["x"] + q[0] * q[1]

    r1 = torch.func.vmap(f, in_dims=({"x": 0}, (1, None)))({"x": a}, (b, torch.ones(3)))
    r2 = torch.func.vmap(f, in_dims=(1, (0, 1)))({"x": b}, (a, b))
    return [r1, r2]


@program
def vmap_out_dims_nested(torch):
    x = _lin(torch, 2, 3)
    f = lambda r: (r, {"a": r * 2, "b": r.sum()})  # noqa: E731
    g = lambda r: (r, [r.exp()])  # noqa: E731
    return [torch.func.vmap(f, out_dims=(1, {"a": 0, "b": 0}))(x),
            torch.func.vmap(g, out_dims=1)(x), torch.func.vmap(g, out_dims=(-1, [0]))(x)]  # fmt: skip


@error(ValueError, r"`out_dims` must be an int, None or a python collection of ints")
def vmap_out_dim_float(torch):  # fixed: TypeError
    torch.func.vmap(lambda r: r, out_dims=1.5)(torch.ones(3, 2))


@error(ValueError, r"in_dims is not compatible with the structure of `inputs`")
def vmap_in_dims_structure_mismatch(torch):
    torch.func.vmap(lambda p: p[0] + p[1], in_dims=((0, 0, 0),))((torch.ones(2), torch.ones(2)))


@error(ValueError, r"expected `in_dims` to be int or a \(potentially nested\) tuple")
def vmap_in_dims_bad_type(torch):
    torch.func.vmap(torch.sin, in_dims="0")(torch.ones(2))


@error(
    ValueError,
    r"Got in_dim=1\.0 for an input but in_dim must be either an integer dimension or None",
)
def vmap_in_dim_float(torch):  # fixed: 'not compatible with the structure'
    torch.func.vmap(torch.sin, in_dims=(1.0,))(torch.ones(2, 2))


@error(ValueError, r"Got in_dim=-3 for some input, but that input is a Tensor of dimensionality 2")
def vmap_in_dim_negative_out_of_range(torch):
    torch.func.vmap(torch.sin, in_dims=-3)(torch.ones(2, 2))


@error(ValueError, r"at least one Tensor to vmap over")
def vmap_all_in_dims_none(torch):
    torch.func.vmap(torch.add, in_dims=(None, None))(torch.ones(2), torch.ones(2))


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def vmap_out_dim_out_of_range(torch):
    torch.func.vmap(lambda r: r, out_dims=2)(torch.ones(3, 2))


@error(ValueError, r"chunk_size should be None or greater than 0")
def vmap_chunk_size_zero(torch):
    torch.func.vmap(torch.sin, chunk_size=0)(torch.ones(3))


@program
def vmap_chunk_sizes_and_out_dims(torch):
    x = _lin(torch, 5, 2)
    f = lambda r: (r.exp(), r.sum())  # noqa: E731
    return [torch.func.vmap(f, chunk_size=c, out_dims=(1, 0))(x) for c in (1, 2, 5, 9)]


@program
def vmap_randomness_same_and_different_shapes(torch):
    torch.manual_seed(3)
    x = torch.zeros(3, 4)
    same = torch.func.vmap(lambda r: r + torch.randn(4), randomness="same")(x)
    diff = torch.func.vmap(lambda r: r + torch.rand(4), randomness="different")(x)
    return [same.shape, bool((same[0] == same[1]).all()), diff.shape,
            bool((diff[0] == diff[1]).all())]  # fmt: skip


@program
def vmap_nested_in_dims_and_closure(torch):
    x, y = _lin(torch, 2, 3), _lin(torch, 4, 3)
    f = lambda a, b: (a * b).sum()  # noqa: E731
    inner = torch.func.vmap(f, in_dims=(None, 0))
    outer = torch.func.vmap(inner, in_dims=(0, None))
    z = _lin(torch, 3)
    return [outer(x, y), torch.func.vmap(lambda r: r @ z + x.sum())(y)]


@program
def vmap_function_with_kwargs_closure(torch):
    x = _lin(torch, 3, 2)
    scale = torch.tensor(2.0, dtype=torch.float64)
    return torch.func.vmap(lambda r, *, k: r * k)(x, k=scale)


# ---- functional_call / stack_module_state ---------------------------------------------------
def _tied(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Linear(2, 2, bias=False)
            self.b = self.a
            self.register_buffer("buf", torch.ones(2))

        def forward(self, x):
            return self.b(x) + self.a(x) + self.buf

    torch.manual_seed(0)
    return Tied()


@program
def functional_call_tie_weights_false(torch):
    torch.manual_seed(0)
    m = torch.nn.Module()
    m.a, m.b = torch.nn.Linear(2, 2, bias=False), torch.nn.Linear(2, 2, bias=False)
    m.b.weight = m.a.weight
    m.forward = lambda x: m.b(x) + m.a(x)
    w, x = torch.full((2, 2), 2.0), torch.ones(1, 2)
    tied = torch.func.functional_call(m, {"a.weight": w}, (x,))
    untied = torch.func.functional_call(m, {"a.weight": w}, (x,), tie_weights=False)
    return [tied, untied, m.a.weight is m.b.weight, m.b.weight]


@program
def functional_call_buffers_separate_dicts(torch):
    m = _tied(torch)
    x = torch.ones(1, 2)
    params = {"a.weight": torch.eye(2)}
    bufs = {"buf": torch.tensor([5.0, 6.0])}
    out = torch.func.functional_call(m, (params, bufs), x)
    return [out, m.buf, dict(m.named_buffers())]


@error(RuntimeError, r"Missing key\(s\): 'buf'")
def functional_call_strict_missing_buffer(torch):
    m = _tied(torch)
    torch.func.functional_call(m, {"a.weight": torch.eye(2)}, (torch.ones(1, 2),), strict=True)


@error(
    ValueError,
    r"functional_call got multiple values for keys \['a.weight', 'b.weight'\], which are tied",
)
def functional_call_tied_conflict(torch):
    m = _tied(torch)
    torch.func.functional_call(m, {"a.weight": torch.eye(2), "b.weight": torch.ones(2, 2)},
                               (torch.ones(1, 2),))  # fmt: skip


@program
def functional_call_grad_through_params_dict(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))
    params = {k: v.detach() for k, v in m.named_parameters()}
    x = torch.ones(4, 3)

    def loss(p):
        return torch.func.functional_call(m, p, (x,)).pow(2).sum()

    g = torch.func.grad(loss)(params)
    return [sorted(g), [g[k].shape for k in sorted(g)], [m[0].weight.grad is None]]


@program
def stack_module_state_shapes_and_vmap(torch):
    torch.manual_seed(0)
    models = [torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2)) for _ in range(4)]
    params, buffers = torch.func.stack_module_state(models)
    base = models[0]
    x = torch.ones(5, 3)

    def call(p, b, x):
        return torch.func.functional_call(base, (p, b), (x,))

    out = torch.func.vmap(call, in_dims=(0, 0, None))(params, buffers, x)
    return [sorted(params), {k: v.shape for k, v in params.items()},
            {k: v.requires_grad for k, v in params.items()}, sorted(buffers),
            params["0.weight"].is_leaf, out.shape]  # fmt: skip


@error(RuntimeError, r"stack_module_state: Expected at least one model, got 0.")
def stack_module_state_empty(torch):
    torch.func.stack_module_state([])


# ---- functionalize ---------------------------------------------------------------------------
@program
def functionalize_mutating_function(torch):
    def f(x):
        y = x.clone()
        y.add_(1)
        v = y.view(-1)
        v.mul_(2)
        return y

    x = _lin(torch, 2, 2)
    return [torch.func.functionalize(f)(x), x,
            torch.func.grad(lambda t: torch.func.functionalize(f)(t).sum())(x)]  # fmt: skip


@program
def functionalize_input_mutation_applied(torch):
    def f(x):
        x.add_(1)
        return x * 2

    x = _lin(torch, 3)
    out = torch.func.functionalize(f)(x)
    return [out, x]


# ---- batch 2: vjp pytrees, unrelated outputs, no_grad around and inside transforms ----------
@program
def vjp_unrelated_multiple_inputs_outputs(torch):
    w, x, y = torch.tensor(3.0), torch.tensor(4.0), torch.tensor(2.0)
    v = torch.tensor(1.0)
    out, fn = torch.func.vjp(lambda w, x: (y, y, x), w, x)
    return [out, fn((v, v, v))]


@program
def jacrev_of_jacrev_unrelated(torch):
    W = _lin(torch, 5, 3)
    return torch.func.jacrev(torch.func.jacrev(lambda x: W @ x))(_lin(torch, 3))


@program
def vjp_pytree_input_and_output(torch):
    x, v = torch.tensor(0.6, dtype=torch.float64), torch.tensor(-1.1, dtype=torch.float64)
    out, fn = torch.func.vjp(lambda p: p[0] * p[1][0], (x, (x, x)))
    out2, fn2 = torch.func.vjp(lambda x: (x, (x, x * 2)), x)
    return [out, fn(v), out2, fn2((v, (v, v)))]


@program
def vjp_list_dict_and_composite_outputs(torch):
    x, t = _lin(torch, 2, 3), _lin(torch, 2, 3, lo=0.5)
    o1, f1 = torch.func.vjp(lambda x: [x, x.sum()], x)
    o2, f2 = torch.func.vjp(lambda x: {"x": x, "xsum": x.sum()}, x)

    def composite(x):
        out = x.sum()
        return [(out, {"a": x, "out": [x, out]})]

    o3, f3 = torch.func.vjp(composite, x)
    return [o1, f1([t, t.sum()]), o2, f2({"x": t, "xsum": t.sum()}), o3,
            f3([(t.sum(), {"a": t, "out": [t, t.sum()]})])]  # fmt: skip


@error(RuntimeError, r"vjp\(f, \*primals\): Expected f to be a function that has non-empty output")
def vjp_returns_none(torch):  # fixed: 'return only tensors'
    torch.func.vjp(lambda _: None, torch.ones(2))


@error(RuntimeError, r"vjp\(f, \*primals\): Expected f to be a function that has non-empty output")
def vjp_returns_empty_tuple(torch):  # fixed: accepted
    torch.func.vjp(lambda _: (), torch.ones(2))


@error(RuntimeError, r"vjp\(f, \*primals\): expected f\(\*primals\) to return only tensors")
def vjp_returns_bool(torch):
    torch.func.vjp(lambda _: True, torch.ones(2))


@error(RuntimeError, r"Expected pytree structure of cotangents to be the same")
def vjp_cotangent_extra_nesting(torch):
    _, fn = torch.func.vjp(lambda x: (x, (x, x)), torch.tensor(1.0))
    v = torch.tensor(1.0)
    fn(((v, (v, v)),))


@error(RuntimeError, r"vjp\(f, \*primals\): output of function f should be a tuple")
def vjp_has_aux_list(torch):
    torch.func.vjp(lambda t: [t, t], torch.ones(3), has_aux=True)


@error(RuntimeError, r"Expected tensors, got unsupported type <class 'str'>")
def vjp_has_aux_nested_string(torch):
    torch.func.vjp(lambda x: (x, [x, "abc"]), torch.ones(3), has_aux=True)


@program
def grad_advanced_indexing_inside(torch):
    def f(value):
        log_prob = torch.ones(())
        log_prob[torch.zeros(()) > 0] = 0
        return value

    def f2(value):
        value = value.clone()
        value[value > 0] = 0
        return value.sum()

    x = _lin(torch, 7)
    return [torch.func.grad(f)(torch.tensor(0.5)), torch.func.grad(f2)(x),
            torch.func.grad(lambda t: t * torch.tensor(2.0))(torch.tensor(3.14))]  # fmt: skip


@program
def grad_no_grad_outside_and_inside(torch):
    def f(x):
        with torch.no_grad():
            shift = x**2
        return x**2 - shift

    x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        y0 = torch.func.grad(torch.sin)(x)
        y1 = torch.func.grad(f)(x)
    c = torch.tensor(0.7, dtype=torch.float64)
    y2 = torch.func.grad(f)(c)
    y3 = torch.func.grad(torch.func.grad(f))(c)
    y4 = torch.func.grad(f)(x)
    (z,) = torch.autograd.grad(y4, x)
    return [y0, y0.requires_grad, y1, y1.requires_grad, y2, y3, y4, y4.requires_grad, z]


@program
def grad_no_grad_nested(torch):
    def h(x):
        with torch.no_grad():
            shift = torch.func.grad(lambda x: 0.25 * x**4)(x)
        return x**3 - shift

    def f(x):
        with torch.no_grad():
            shift = x**3
        return x**3 - shift

    def g(x):
        r1 = torch.func.grad(f)(x)
        with torch.no_grad():
            shift = torch.func.grad(f)(x)
        return r1 - shift

    def hv(x):
        with torch.no_grad():
            _, value = torch.func.grad_and_value(lambda x: x**3)(x)
        return x**3 - value

    out = []
    for fn in (h, g, hv):
        x = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
        y = torch.func.grad(fn)(x)
        (z,) = torch.autograd.grad(y, x)
        out += [y, z]
    return out


@program
def vjp_no_grad_placements(torch):  # fixed: vjp_fn under no_grad gave a result with a graph
    h = lambda x: x**2  # noqa: E731
    one = torch.tensor(1.0)
    x = torch.tensor(2.0, requires_grad=True)
    with torch.no_grad():
        out, fn = torch.func.vjp(h, x)
        (y,) = fn(one)
    a = [y, y.requires_grad, out.requires_grad]
    x = torch.tensor(3.14, requires_grad=True)
    out, fn = torch.func.vjp(h, x)
    with torch.no_grad():
        (y,) = fn(one)
    (z,) = torch.autograd.grad(out, x)
    return [a, y, y.requires_grad, out.requires_grad, z]


@program
def grad_inference_mode_outside(torch):
    x = _lin(torch, 3)
    with torch.inference_mode():
        y = torch.func.grad(lambda x: (x**2).sum())(x)
    return [y, y.requires_grad]


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected f to be a function that has non-empty output \(got output = \[None\]\)")  # fmt: skip
def jvp_returns_none(torch):  # fixed: 'return only tensors'
    torch.func.jvp(lambda x: None, (torch.ones(2),), (torch.ones(2),))


@error(RuntimeError, r"vjp\(f, \*primals\): Expected f to be a function that has non-empty output \(got output = \[\]\)")  # fmt: skip
def jacrev_returns_empty_list(torch):  # fixed: returned []
    torch.func.jacrev(lambda x: [])(torch.ones(2))


# ---- batch 3: transforms inside inference_mode ----------------------------------------------
@program
def transforms_inside_inference_mode(torch):  # fixed: 'Inference tensors cannot be saved'
    x, xs, t = _lin(torch, 3), _lin(torch, 5, 3), torch.ones(3, dtype=torch.float64)
    s = torch.tensor(0.7, dtype=torch.float64)
    sq = lambda x: (x**2).sum()  # noqa: E731

    def f(x):
        with torch.inference_mode():
            c = x**2
        return x - c

    with torch.inference_mode():
        out = [torch.func.vjp(sq, x)[1](torch.tensor(1.0, dtype=torch.float64)),
               torch.func.jvp(sq, (x,), (t,)), torch.func.jacrev(lambda x: x**2)(x),
               torch.func.vmap(torch.func.grad(sq))(xs),
               torch.func.grad(lambda x: torch.func.vmap(sq)(x).sum())(xs),
               torch.func.grad(torch.func.grad(lambda x: x**3))(s),
               torch.func.jacrev(torch.func.grad(lambda x: (x**3).sum()))(x),
               torch.func.grad(lambda x: f(x).sum())(x)]  # fmt: skip
        seen = []

        def look(x):
            seen.append(
                (x.is_inference(), torch.is_inference_mode_enabled(), torch.is_grad_enabled())
            )
            return sq(x)

        g = torch.func.grad(look)(x)
        out += [g.is_inference(), seen, out[1][1].is_inference(), torch.is_inference_mode_enabled()]
    out.append(torch.is_inference_mode_enabled())
    return out


# ---- batch 4: jvp forms and errors, jacobians with non-tensor args, hessians -----------------
@program
def jvp_forms(torch):
    x, y = _lin(torch, 2, 3), _lin(torch, 2, 3, lo=0.3, hi=1.7)
    tx, ty = _lin(torch, 2, 3, lo=-2.0), _lin(torch, 2, 3, lo=1.0, hi=0.0)
    one = torch.tensor(1.0)
    c = _lin(torch, 2, 3, lo=5.0)
    return [torch.func.jvp(torch.sin, (x,), (tx,)),
            torch.func.jvp(lambda x, y: x * y, (x, y), (tx, ty)),
            torch.func.jvp(lambda p, y, z: p[0] + 2 * p[1] + 3 * y + 4 * z,
                           ((one, one), one, one), ((one, one), one, one)),
            torch.func.jvp(lambda x, y: x, (x, y), (tx, ty)),
            torch.func.jvp(lambda x: c, (x,), (tx,)),
            torch.func.jvp(lambda x: (x.sin(), x.cos()), (x,), (tx,)),
            torch.func.jvp(lambda x, y: (2 * x + 3 * y, 4 * x + 5 * y), (x, y), (tx, ty)),
            torch.func.jvp(lambda x: x + x.new_tensor(0.5), (x,), (torch.zeros_like(x),)),
            torch.func.jvp(lambda x: [x, x.sum()], (x,), (tx,)),
            torch.func.jvp(lambda x: {"x": x, "xsum": x.sum()}, (x,), (tx,)),
            torch.func.jvp(lambda z: (z.sin(), {"a": z.cos(), "b": [z.tan()]}), (x,), (tx,),
                           has_aux=True)]  # fmt: skip


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected primals and tangents to have the same python structure")  # fmt: skip
def jvp_nested_structure_mismatch(torch):
    one = torch.tensor(1.0)
    torch.func.jvp(lambda x: x, ((one, one), one), (one, one))


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected primals to only contain Tensors, got <class 'int'>")  # fmt: skip
def jvp_primal_python_int(torch):
    one = torch.tensor(1.0)
    torch.func.jvp(lambda x: x, ((one, one), 1), ((one, one), one))


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected tangents to only contain Tensors, got <class 'float'>")  # fmt: skip
def jvp_tangent_python_float(torch):
    torch.func.jvp(torch.sin, (torch.ones(2),), (1.0,))


@error(RuntimeError, r"Expected primals to contain at least one Tensor")
def jvp_nested_empty_primals(torch):
    torch.func.jvp(lambda x: x, ((),), ((),))


@error(RuntimeError, r"same python structure")
def jvp_tangents_list(torch):
    torch.func.jvp(torch.sin, (torch.ones(2),), [torch.ones(2)])


@error(RuntimeError, r"same python structure")
def jvp_length_mismatch(torch):
    torch.func.jvp(torch.sin, (torch.ones(2),), (torch.ones(2), torch.ones(2)))


@error(RuntimeError, r"jvp\(f, primals, tangents\): expected f\(\*primals\) to return only tensors")
def jvp_returns_string(torch):
    torch.func.jvp(lambda _: "abc", (torch.ones(2),), (torch.ones(2),))


@error(RuntimeError, r"jvp\(f, primals, tangents\): output of function f should be a tuple")
def jvp_has_aux_three_tuple(torch):
    torch.func.jvp(lambda t: (t, t + 2, t + 3), (torch.ones(2),), (torch.ones(2),), has_aux=True)


@program
def jac_with_non_tensor_args(torch):
    t = _lin(torch, 3, 3)
    f = lambda t, n: t * n  # noqa: E731
    return [torch.func.jacrev(f)(t, 3), torch.func.jacfwd(f)(t, 3),
            torch.func.jacrev(lambda t, s: t.sum() * len(s))(t, "ab")]  # fmt: skip


@program
def hessian_unrelated_and_multi_input(torch):
    x, y, z = _lin(torch, 2, 3), _lin(torch, 3, 4, lo=0.1), _lin(torch, 4, 4, lo=-0.5)
    h = torch.func.hessian

    def f(x, y, z):
        return ((x.relu() * x) @ y.sin() @ z).sum()

    return [h(lambda p: f(*p))((x, y, z)), h(lambda x, y: (x**2).sum(), argnums=(0, 1))(x, y),
            h(lambda x, y: torch.ones([], dtype=torch.float64), argnums=(0, 1))(x, y)]  # fmt: skip


@program
def vmap_hessian_matches_jacrev_jacrev(torch):
    A = _lin(torch, 3, 2, 2) * 0.1
    x1 = _lin(torch, 3, 4, 2)

    def loss(A, x1, x2):
        res = x2 - (A @ x1.T).T
        return (res**2).sum()

    return [torch.func.vmap(torch.func.jacrev(torch.func.jacrev(loss)))(A, x1, x1),
            torch.func.vmap(torch.func.hessian(loss))(A, x1, x1)]  # fmt: skip


@program
def jvp_nested_and_disable_forward_grad_free(torch):
    x = torch.tensor(0.9, dtype=torch.float64)
    t = torch.ones_like(x)
    f = lambda x: x**3  # noqa: E731
    inner = lambda x: torch.func.jvp(f, (x,), (t,))[1]  # noqa: E731
    return [torch.func.jvp(inner, (x,), (t,)), torch.func.grad(inner)(x),
            torch.func.jacfwd(torch.func.jacrev(f))(x)]  # fmt: skip


@error(RuntimeError, r"jvp\(f, primals, tangents, strict=True\): The output of f is independent of the inputs")  # fmt: skip
def jvp_strict_independent_output(torch):  # fixed: strict was ignored
    y = torch.ones(2)
    torch.func.jvp(lambda x: (x, y), (torch.ones(2),), (torch.ones(2),), strict=True)


@program
def jvp_strict_dependent_outputs(torch):
    x = _lin(torch, 3)
    return torch.func.jvp(lambda x: (x.sin(), x * 2), (x,), (torch.ones_like(x),), strict=True)


@error(RuntimeError, r"tangent:0 with shape .*Size\(\[3\]\) in flattened pytree doesn't match the shape .*Size\(\[2\]\) of the corresponding primal")  # fmt: skip
def linearize_tangent_wrong_shape(torch):  # fixed: jvp's message
    torch.func.linearize(torch.sin, torch.ones(2))[1](torch.ones(3))


@error(RuntimeError, r"tangent:1 with dtype .*float64 in flattened pytree doesn't match the dtype .*float32 of the corresponding primal")  # fmt: skip
def linearize_tangent_wrong_dtype(torch):  # fixed: accepted
    _, fn = torch.func.linearize(torch.mul, torch.ones(2), torch.ones(2))
    fn(torch.ones(2), torch.ones(2, dtype=torch.float64))


@error(RuntimeError, r"Expected the tangents (.|\n)* to have the same argspec as the primals")
def linearize_tangents_structure(torch):  # fixed: jvp's message
    torch.func.linearize(torch.sin, torch.ones(2))[1](torch.ones(2), torch.ones(2))


# ---- batch 5: functional_call with tied parameters/buffers, stack_module_state errors, MAML --
def _tied_model(torch, n=None):
    class Foo(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 3)
            self.weight = self.linear.weight
            self.bias = self.linear.bias
            self.buffer = torch.nn.Buffer(torch.linspace(-1.0, 1.0, 3))
            self.buffer_tied = self.buffer

        def forward(self, x):
            x = self.linear(x)
            x = torch.nn.functional.linear(x, self.weight, self.bias)
            return x + self.buffer + self.buffer_tied

    return Foo() if n is None else [Foo() for _ in range(n)]


@program
def functional_call_tied_parameter_grad(torch):
    torch.manual_seed(0)
    mod = _tied_model(torch)
    x = _lin(torch, 2, 3).float()
    expected = torch.autograd.grad(mod(x).sum(), list(mod.parameters()))
    params = {k: v.detach() for k, v in mod.named_parameters()}
    buffers = dict(mod.named_buffers())

    def loss(p, b, x):
        return torch.func.functional_call(mod, (p, b), (x,)).sum()

    got = torch.func.grad(loss)(params, buffers, x)
    return [sorted(params), sorted(buffers), expected, got]


@program
def functional_call_detached_params_no_grad_fn(torch):
    torch.manual_seed(0)
    mod = _tied_model(torch)
    x = torch.ones(3, 3)
    out = []
    for detach in (True, False):
        p = {k: (v.detach() if detach else v) for k, v in mod.named_parameters()}
        r = torch.func.functional_call(mod, (p, dict(mod.named_buffers())), x)
        out += [r.grad_fn is None, r]
    return out


@program
def functional_call_tied_buffer_replacement(torch):
    torch.manual_seed(0)
    mod = _tied_model(torch)
    x = torch.ones(1, 3)
    w = torch.eye(3)
    return [torch.func.functional_call(mod, {"buffer": torch.zeros(3)}, x),
            torch.func.functional_call(mod, {"buffer_tied": torch.zeros(3)}, x),
            torch.func.functional_call(mod, {"weight": w, "linear.bias": torch.zeros(3)}, x),
            mod.weight is mod.linear.weight, mod.buffer]  # fmt: skip


@program
def stack_module_state_leaf_and_ensemble_tied(torch):
    torch.manual_seed(0)
    models = _tied_model(torch, 2)
    params, buffers = torch.func.stack_module_state(models)
    xs = _lin(torch, 2, 4, 3).float()
    base = models[0]
    got = torch.func.vmap(lambda p, b, x: torch.func.functional_call(base, (p, b), (x,)))(
        params, buffers, xs
    )
    expected = torch.stack([m(x) for m, x in zip(models, xs)])
    return [sorted(params), sorted(buffers), [(v.requires_grad, v.is_leaf) for v in params.values()],
            got, expected]  # fmt: skip


@error(RuntimeError, r"stack_module_state: Expected all models to be of the same class")
def stack_module_state_mixed_classes(torch):
    models = [torch.nn.Linear(2, 2), torch.nn.Conv2d(3, 3, (3, 3)), torch.nn.Linear(2, 2)]
    torch.func.stack_module_state(models)


@program
def functional_call_state_restored_after_forward(torch):
    torch.manual_seed(0)
    mod = torch.nn.Sequential(torch.nn.Linear(3, 3))
    w, b = mod[0].weight, mod[0].bias
    torch.func.functional_call(mod, {"0.weight": torch.zeros(3, 3)}, torch.ones(4, 3))
    return [mod[0].weight is w, mod[0].bias is b, type(mod[0].weight).__name__]


@program
def maml_inner_step_with_grad(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    params = dict(net.named_parameters())
    x1, y1 = _lin(torch, 5, 1).float(), _lin(torch, 5, 1, lo=0.3).sin().float()
    x2, y2 = _lin(torch, 5, 1, lo=-3.0).float(), _lin(torch, 5, 1, lo=0.0).cos().float()

    def inner(p, x, y):
        return ((torch.func.functional_call(net, p, x) - y) ** 2).mean()

    grads = torch.func.grad(inner)(params, x1, y1)
    new = {k: params[k] - 0.1 * grads[k] for k in params}
    outer = inner(new, x2, y2)
    outer.backward()
    return [outer, [params[k].grad for k in sorted(params)], grads["0.bias"].requires_grad]


# ---- batch 6: vmap API (test_vmap.py's TestVmapAPI) -----------------------------------------
@error(ValueError, r"must only return Tensors, got type <class 'int'>")
def vmap_tuple_with_int_output(torch):
    torch.func.vmap(lambda x: (x, 3))(torch.ones(3))


@error(ValueError, r"Expected all tensors to have the same size in the mapped dimension")
def vmap_size_mismatch_in_dict(torch):
    x, y = torch.ones(2), torch.ones(3)
    torch.func.vmap(lambda z: z["x"] + z["y"], in_dims=({"x": 0, "y": 0},))({"x": x, "y": y})


@error(ValueError, r"got no inputs")
def vmap_one_arg_function_called_bare(torch):
    torch.func.vmap(lambda x: torch.ones(3))()


@error(ValueError, r"at least one Tensor")
def vmap_python_number_in_dim_none(torch):
    torch.func.vmap(lambda x: torch.ones(3), (None,))(1)


@program
def vmap_output_forms(torch):
    x, y = _lin(torch, 2, 3), _lin(torch, 2, 3, lo=0.5)
    v = torch.func.vmap
    return [v(lambda x: torch.tensor(3.14))(torch.ones(3)), v(torch.mul)(x, y),
            v(lambda x: (x * x, x * x * x))(x), v(lambda x: [x])(x), v(lambda x: (x, x))(x),
            v(v(torch.mul))(x, y), v(lambda a: v(lambda b: a * b)(y))(x),
            v(lambda a: v(lambda b: a)(_lin(torch, 5)))(_lin(torch, 3)),
            v(v(torch.diag_embed))(_lin(torch, 3, 3, 5))]  # fmt: skip


@program
def vmap_out_dims_permutations(torch):  # fixed: out_dims=(1,) for one output refused
    t = _lin(torch, 2, 3, 5, 7)
    x, y = _lin(torch, 2, 3, 5), _lin(torch, 2, 3, 5, lo=1.0)
    v = torch.func.vmap
    ident = lambda x: x  # noqa: E731
    return [v(ident, out_dims=2)(t), v(ident, out_dims=-1)(t),
            v(lambda a, b: (a, b), out_dims=2)(t, t * 2),
            v(lambda x, y: (x, x * y, x * y * y), out_dims=1)(x, y),
            v(lambda x, y: (x, x, x, x * y), out_dims=(-1, 0, 1, 2))(x, y),
            v(lambda y: v(ident, out_dims=1)(y))(t), v(lambda y: v(ident, out_dims=1)(y), out_dims=1)(t),
            v(lambda y: v(ident, out_dims=-1)(y), out_dims=-1)(t),
            v(ident, out_dims=(1,))(x), v(lambda x: x.sin(), (1,))(x)]  # fmt: skip


@program
def vmap_out_dims_none_and_strings(torch):
    t = _lin(torch, 2, 3)

    def foo(x):
        x.add_(1)
        return None, "hello world"

    def bar(x):
        return x, "hi"

    return [torch.func.vmap(bar, out_dims=(0, None))(t), torch.func.vmap(foo, out_dims=(None, None))(t.clone()),
            torch.func.vmap(lambda x: torch.arange(3))(t), torch.func.vmap(lambda x: torch.arange(3), out_dims=None)(t)]  # fmt: skip


@program
def vmap_pytree_returns(torch):
    x = _lin(torch, 2, 3)

    def f(x):
        y = x.sin()
        return y, (y, y), [y, (y, y)]

    def g(x):
        y = x.sin()
        return y, (y, y)

    v = torch.func.vmap
    return [v(f)(x), v(g, out_dims=(0, (0, 1)))(x), v(g, out_dims=1)(x), v(g, out_dims=(0, 1))(x)]


@program
def vmap_ordered_dict_return(torch):
    import collections

    x = _lin(torch, 2, 3)
    out = torch.func.vmap(lambda t: collections.OrderedDict([("sin", t.sin()), ("cos", t.cos())]))(
        x
    )
    return [type(out).__name__, list(out), out["sin"], out["cos"]]


@error(ValueError, r"must be an int, None or a python collection of ints")
def vmap_out_dims_string(torch):
    torch.func.vmap(lambda x: x, out_dims="lol")(torch.ones(2, 3))


@error(ValueError, r"must be an int, None or a python collection of ints")
def vmap_out_dims_tuple_of_string(torch):  # fixed: 'not compatible with the structure'
    torch.func.vmap(lambda x: x, out_dims=("lol",))(torch.ones(2, 3))


@error(ValueError, r"not compatible")
def vmap_too_many_out_dims(torch):
    torch.func.vmap(lambda x: x, out_dims=(0, 0))(torch.ones(2, 3))


@error(ValueError, r"not compatible")
def vmap_too_few_out_dims(torch):
    x = torch.ones(2, 3)
    torch.func.vmap(lambda x: (x, x, x), out_dims=(0, 0))(x)


@error(IndexError, r"Dimension out of range")
def vmap_out_dim_negative_out_of_range(torch):
    torch.func.vmap(lambda x: x, out_dims=-4)(torch.ones(2, 3, 5))


@program
def vmap_in_dims_forms(torch):
    x, y = _lin(torch, 2, 3), _lin(torch, 3, 2, lo=0.5)
    z = _lin(torch, 2, 3, lo=-0.5)
    a, b = _lin(torch, 5, 2, 3), _lin(torch, 3, 5, 2, lo=0.2)
    v = torch.func.vmap
    t = _lin(torch, 2, 3, 5)
    add = lambda p: p[0] + p[1]  # noqa: E731
    return [v(torch.mul, (0, 1))(x, y), v(torch.mul, (1, 0))(x, y), v(torch.mul, (0, None))(x, z),
            v(torch.mul, (0, None))(x, 2), v(v(v(torch.mul), (1, 0)), (1, 2))(a, b),
            v(torch.mul, (-1, -1))(x, z), v(lambda x: x, in_dims=1, out_dims=1)(t),
            v(lambda x: x, in_dims=2, out_dims=1)(t), v(lambda x: x * 2, in_dims=2, out_dims=1)(t),
            v(v(lambda x: x * 2, 1, 1), 1, 1)(t), v(add)((x, z)), v(add, in_dims=((0, 0),))((x, z)),
            v(add)([x, z]), v(add, in_dims=([0, 0],))([x, z]),
            v(lambda d: d["x"] + d["y"], in_dims=({"x": 0, "y": 0},))({"x": x, "y": z}),
            v(lambda d: d["x"][0] + d["x"][1][0] + d["y"][0] + d["y"][1])({"x": [x, (x,)], "y": [z, z]}),
            v(torch.sum, (0, None))(x, 0)]  # fmt: skip


@error(ValueError, r"expected `in_dims` to be int or a \(potentially nested\) tuple")
def vmap_in_dims_list(torch):
    torch.func.vmap(torch.mul, [0, 0])(torch.ones(3), torch.ones(3))


@error(ValueError, r"expected `in_dims` to be int or a \(potentially nested\) tuple")
def vmap_in_dims_set(torch):
    torch.func.vmap(torch.mul, {0})(torch.ones(3), torch.ones(3))


@error(ValueError, r"in_dims is not compatible with the structure of `inputs`")
def vmap_not_enough_in_dims(torch):
    torch.func.vmap(torch.mul, (0,))(torch.ones(3), torch.ones(3))


@error(ValueError, r"in_dims is not compatible with the structure of `inputs`")
def vmap_in_dims_list_too_short(torch):
    x = torch.ones(3)
    torch.func.vmap(lambda z: z[0] + z[1], in_dims=([0],))([x, x])


@error(ValueError, r"in_dims is not compatible with the structure of `inputs`")
def vmap_in_dims_tuple_for_list(torch):  # fixed: accepted
    x = torch.ones(3)
    torch.func.vmap(lambda z: z[0] + z[1], in_dims=((0, 0),))([x, x])


@error(ValueError, r"Got in_dim=0 for an input but the input is of type <class 'int'>")
def vmap_int_in_nested_list(torch):
    torch.func.vmap(lambda z: z[0] + z[1], in_dims=([0, 0],))([torch.ones(2, 3), 1])


@error(ValueError, r"Got in_dim=3 for some input, but that input is a Tensor of dimensionality 2")
def vmap_in_dim_too_big_nested(torch):
    x = torch.ones(2, 3)
    torch.func.vmap(lambda z: z[0] + z[1], in_dims=([3, 0],))([x, x])


@program
def vmap_inplace_returns_input(torch):  # fixed: a stacked copy
    x = _lin(torch, 2, 5, lo=0.0, hi=0.9)
    y = x.clone()
    r = torch.func.vmap(torch.Tensor.acos_)(y)
    z = _lin(torch, 7, 11, 5)
    w = _lin(torch, 5, 7, 11, lo=0.1)
    torch.func.vmap(torch.Tensor.atan2_, (2, 0))(z, w)
    return [r is y, y, z, torch.func.vmap(torch.var_mean)(_lin(torch, 2, 10))]


@program
def vmap_identity_returns_input_or_view(torch):  # fixed: stacked copies
    x = _lin(torch, 2, 3)
    v = torch.func.vmap
    r0 = v(lambda t: t)(x)
    r1 = v(lambda t: t, out_dims=1)(x)
    r2 = v(lambda t: (t, t * 1))(x)
    r3 = v(v(lambda t: t))(x)
    r4 = v(lambda t: t, in_dims=1)(x)
    r1.mul_(2)  # writes through to x
    w = x.detach().clone().requires_grad_()
    r5 = v(lambda t: t)(w)
    return [r0 is x, r1._base is x, r1.shape, r2[0] is x, r2[1] is x, r3 is x, r4._base is x,
            r4.shape, x, r5 is w]  # fmt: skip


# ---- batch 7: randomness= modes --------------------------------------------------------------
@program
def vmap_randomness_modes_rows(torch):
    x = torch.zeros(3, 4)
    v = torch.func.vmap

    def rows_equal(a):
        return [bool((a[0] == a[i]).all()) for i in range(1, a.shape[0])]

    torch.manual_seed(0)
    out = [rows_equal(v(lambda t: t.uniform_(), randomness="same")(x.clone())),
           rows_equal(v(lambda t: t.uniform_(), randomness="different")(x.clone())),
           rows_equal(v(lambda t: torch.zeros(4).uniform_() + t, randomness="same")(x)),
           rows_equal(v(lambda t: torch.randperm(4) + t, randomness="same")(x)),
           rows_equal(v(lambda t: torch.rand(4) + t, randomness="same", chunk_size=1)(x)),
           rows_equal(v(lambda t: torch.rand(4) + t, randomness="different", chunk_size=2)(x)),
           v(lambda t: torch.nn.functional.dropout(t, 0.5, training=False))(x)]  # fmt: skip
    inner = v(lambda t: torch.rand(()) + t, randomness="same")
    nested = v(inner, randomness="different")(x)
    out += [rows_equal(nested), rows_equal(nested.t())]
    return out


@error(RuntimeError, r"vmap: called random operation while in randomness error mode")
def vmap_dropout_error_mode(torch):
    torch.func.vmap(lambda t: torch.nn.functional.dropout(t, 0.5))(torch.zeros(3, 4))


@error(RuntimeError, r"vmap: called random operation while in randomness error mode")
def vmap_inplace_normal_error_mode(torch):
    torch.func.vmap(lambda t: t.normal_())(torch.zeros(3, 4))


@error(RuntimeError, r"vmap: called random operation while in randomness error mode")
def vmap_multinomial_error_mode(torch):
    torch.func.vmap(lambda t: torch.multinomial(t + 1, 2))(torch.zeros(3, 4))


@program
def vmap_same_randomness_moves_generator_on(torch):  # fixed: nested 'same' replayed forever
    x = torch.zeros(3, 4)
    v = torch.func.vmap
    torch.manual_seed(0)
    a = v(v(lambda t: torch.rand(()) + t, randomness="same"), randomness="different")(x)
    b = v(v(lambda t: torch.rand(()) + t, randomness="different"), randomness="same")(x)
    c = v(lambda t: torch.rand(()) + t, randomness="same")(x)
    return [a, b, c, torch.rand(2)]


# ---- batch 8: functionalize, replace_all_batch_norm_modules_ ---------------------------------
@program
def functionalize_views_and_compositions(torch):
    fz = torch.func.functionalize
    x = _lin(torch, 2, 2)

    def f(x):
        x.view(-1).add_(1)
        return x

    xx = x.clone()
    ident = fz(lambda t: t)(xx) is xx
    view = fz(lambda t: t.view(4))(xx)
    yy = x.clone()
    both = fz(f, remove="mutations_and_views")(yy)
    return [ident, view._base is xx, view, both, yy,
            torch.func.jacrev(fz(lambda t: t.clone().mul_(t)))(torch.ones(2, dtype=torch.float64)),
            torch.func.vmap(fz(lambda t: t.clone().add_(1)))(x)]  # fmt: skip


@error(
    RuntimeError,
    r"functionalize\(f, remove='mutations'\): received invalid argument for remove=bad",
)
def functionalize_bad_remove(torch):
    torch.func.functionalize(lambda t: t, remove="bad")


@program
def replace_all_batch_norm_modules_then_vmap(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU())
    r = torch.func.replace_all_batch_norm_modules_(m)
    bn = m[1]
    xs = _lin(torch, 2, 5, 3).float()
    out = torch.func.vmap(m)(xs)
    return [r is m, bn.running_mean, bn.running_var, bn.num_batches_tracked,
            bn.track_running_stats, out.shape]  # fmt: skip


# ---- batch 9: jacrev / jacfwd as TestJac checks them -----------------------------------------
@program
def jac_dimensionality_aux_and_pytrees(torch):
    out = []
    x0, x1, x3 = torch.tensor(0.4, dtype=torch.float64), _lin(torch, 1), _lin(torch, 3)
    zero_args = ((x0, x0), x0, x0)

    def f(a, b, c):
        return a[0] + a[1] * 2, {"foo": b * 3 + c * 4}

    for jac in (torch.func.jacrev, torch.func.jacfwd):
        out += [jac(lambda x: x)(x0), jac(lambda x: x)(x1),
                jac(lambda x: (x.clone(), {"a": x.cos(), "b": [x.tan()]}), has_aux=True)(x3),
                jac(lambda x: [x, x.sum()])(_lin(torch, 2, 3)),
                jac(lambda x: [(x.sum(), {"a": x, "out": [x, x.sum()]})])(x3),
                jac(f)(*zero_args), jac(f, argnums=(0,))(*zero_args), jac(f, argnums=(0, 1))(*zero_args),
                jac(lambda d: {"c": d["a"].sin(), "d": d["b"].cos()})({"a": x3, "b": x3}),
                jac(lambda x, y: x, argnums=(0, 1))(x3, x3), jac(torch.multiply, argnums=(0,))(x3, x3),
                jac(lambda x, y: x * 2 + y * 3)(x3, x3), jac(lambda x, y, z=3.0: x * y * z)(x3, x3)]  # fmt: skip
    return out


@program
def jac_against_reference_forms(torch):
    x, y = _lin(torch, 5, 3), _lin(torch, 3, 5, lo=0.2)
    out = []
    for jac in (torch.func.jacrev, torch.func.jacfwd):
        out += [jac(lambda x, y: ((x * x) @ y, x @ (x.sum(1) * y), y.sum()), argnums=(0, 1))(x, y),
                jac(lambda x, y: (x, y, x, y), argnums=(0, 1))(_lin(torch, 2), _lin(torch, 3)),
                jac(lambda x: torch.stack([x, x, x]))(torch.tensor(0.3, dtype=torch.float64)),
                jac(lambda x, y: (y.sum(), x * y), argnums=(0, 1))(torch.tensor(0.3, dtype=torch.float64),
                                                                 _lin(torch, 1))]  # fmt: skip
    return out


@program
def jac_inplace_into_non_differentiated(torch):
    def f(x, y):
        y.copy_(x)
        return y

    def g(x, y, z):
        x[:2] = y
        return torch.vstack([(x**2).sum(), (z**3).sum()])

    out = []
    for jac in (torch.func.jacrev, torch.func.jacfwd):
        x, y, z = _lin(torch, 3), _lin(torch, 2, lo=0.5), _lin(torch, 2, lo=-0.7)
        out += [
            jac(f, argnums=0)(_lin(torch, 2), _lin(torch, 2, lo=3.0)),
            jac(g, argnums=(1, 2))(x, y, z),
        ]
    return out


@program
def jacrev_chunked_pytree_and_composition(torch):
    x, y = _lin(torch, 10, 2), _lin(torch, 1, 2, lo=0.3)

    def f(x, y):
        return (x.sin(), x + y), (x + 2, x.sum())

    def g(x):
        return (x.sin(), x), (x + 2, x.sum())

    out = [torch.func.jacrev(f, argnums=(0, 1), chunk_size=c)(x, y) for c in (1, 3, 1000)]
    out.append(
        torch.func.vmap(torch.func.jacrev(torch.func.jacrev(g, chunk_size=3), chunk_size=3))(x[:3])
    )
    return out


@error(ValueError, r"jacrev: `chunk_size` should be greater than 0\.")
def jacrev_chunk_size_negative(torch):
    torch.func.jacrev(torch.sin, argnums=(0,), chunk_size=-2)(torch.ones(2))


@error(RuntimeError, r"argnums must be int or Tuple\[int, \.\.\.\], got: <class 'float'>")
def jacfwd_float_argnums(torch):
    torch.func.jacfwd(torch.sin, argnums=0.0)(torch.ones(3))


@error(RuntimeError, r"argnum must be int, got: <class 'float'>")
def jacrev_tuple_with_float_argnum(torch):
    torch.func.jacrev(torch.multiply, argnums=(1, 0.0))(torch.ones(3), torch.ones(3))


@error(RuntimeError, r"Got argnum=-2, but only 1 positional inputs")
def jacfwd_negative_argnum_out_of_range(torch):
    torch.func.jacfwd(torch.sin, argnums=-2)(torch.ones(3))


@error(RuntimeError, r"argnums must be non-empty")
def jacfwd_empty_argnums(torch):
    torch.func.jacfwd(torch.sin, argnums=())(torch.ones(3))


@error(RuntimeError, r"jvp\(f, primals, tangents\): Expected f to be a function that has non-empty output")  # fmt: skip
def jacfwd_empty_output(torch):
    torch.func.jacfwd(lambda x, y: ())(torch.ones(3), torch.ones(3))


@error(RuntimeError, r"jvp\(f, primals, tangents\): expected f\(\*primals\) to return only tensors")
def jacfwd_returns_bool(torch):
    torch.func.jacfwd(lambda x: True)(torch.ones(3))


@program
def transforms_wrap_the_function(torch):  # fixed: wrappers named 'wrapper'/'wrapped'
    def loss(x):
        """Sum of squares."""
        return (x**2).sum()

    f = torch.func
    out = []
    for t in (f.grad, f.grad_and_value, f.jacrev, f.jacfwd, f.hessian, f.vmap):
        w = t(loss)
        out += [w.__name__, w.__doc__, w.__wrapped__ is loss if t is not f.hessian else None]
    return out


@error(ValueError, r"in_dims is not compatible with the structure of `inputs`")
def vmap_in_dims_dict_other_keys(torch):  # fixed: KeyError
    torch.func.vmap(lambda d: d["a"], in_dims=({"b": 0},))({"a": torch.ones(2, 3)})


@error(TypeError, r"3 is not an instance of torch\.Tensor")
def functional_call_non_tensor_value(torch):  # fixed: linear()'s argument error
    torch.func.functional_call(torch.nn.Linear(3, 2), {"weight": 3}, (torch.ones(2, 3),))


@program
def functional_call_module_restored_after_error(torch):
    m = torch.nn.Linear(3, 2)
    w = m.weight
    try:
        torch.func.functional_call(m, {"weight": torch.ones(5, 5)}, (torch.ones(2, 3),))
    except RuntimeError as e:
        msg = "mat1 and mat2 shapes cannot be multiplied (2x3 and 5x5)" in str(e)
    return [msg, m.weight is w]


@error(RuntimeError, r"grad can be implicitly created only for scalar outputs")
def vjp_fn_none_cotangent_nonscalar(torch):  # fixed: AttributeError
    torch.func.vjp(torch.sin, torch.ones(2, 3))[1](None)


@program
def vjp_fn_none_cotangent_scalar(torch):  # fixed: AttributeError
    return torch.func.vjp(lambda t: (t**2).sum(), _lin(torch, 3))[1](None)
