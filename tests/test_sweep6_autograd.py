"""Session 6 compatibility sweep of autograd semantics: short programs written the way PyTorch
users write them, each run with minitorch and with PyTorch (the oracle) and compared value by
value: tensors (shape, dtype, requires_grad, values), numbers, strings, and for errors the
exception type and which of PyTorch's key words its message holds."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch

PROGRAMS = {}


def program(fn):
    """Registers ``fn(lib)`` as an oracle program."""
    PROGRAMS[fn.__name__] = fn
    return fn


def catch(fn, *words):
    """Runs ``fn()`` and describes what it raised: the exception type's name and which of
    ``words`` its message contains (so both libraries must say the same key words)."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the type is what gets compared
        return ("raised", type(exc).__name__, tuple(w for w in words if w in str(exc)))
    return "no error"


def _tolerances(dtype_name: str) -> tuple[float, float]:
    if dtype_name.endswith("float64"):
        return 1e-10, 1e-12
    if dtype_name.endswith(("float32", "float16", "bfloat16")):
        return 1e-5, 1e-6
    return 0.0, 0.0


def node_name(t) -> str:
    """``grad_fn.name()``, as users print it (``torch::autograd::CopySlices`` included)."""
    return t.grad_fn.name()


def assert_same(mine, ref, where="result"):
    """Compares a program's minitorch result with its PyTorch result, recursively."""
    if hasattr(ref, "detach") and hasattr(ref, "dtype"):
        assert hasattr(mine, "detach"), f"{where}: expected a tensor, got {mine!r}"
        assert tuple(mine.shape) == tuple(ref.shape), f"{where}: shape"
        ref_dtype = str(ref.dtype).split(".")[-1]
        assert str(mine.dtype).split(".")[-1] == ref_dtype, f"{where}: dtype"
        assert mine.requires_grad == ref.requires_grad, f"{where}: requires_grad"
        rtol, atol = _tolerances(ref_dtype)
        a = mine.detach().cpu().numpy()
        np.testing.assert_allclose(a, ref.detach().numpy(), rtol=rtol, atol=atol, err_msg=where)
    elif isinstance(ref, (list, tuple)):
        assert isinstance(mine, (list, tuple)), f"{where}: expected a sequence, got {mine!r}"
        assert len(mine) == len(ref), f"{where}: length {len(mine)} != {len(ref)}"
        for i, (a, b) in enumerate(zip(mine, ref)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(ref, dict):
        assert isinstance(mine, dict) and list(mine) == list(ref), f"{where}: keys"
        for k in ref:
            assert_same(mine[k], ref[k], f"{where}[{k!r}]")
    elif type(ref).__name__ == "dtype":
        assert str(mine).split(".")[-1] == str(ref).split(".")[-1], f"{where}: {mine} != {ref}"
    elif isinstance(ref, float):
        assert isinstance(mine, (float, int)), f"{where}: expected a number, got {mine!r}"
        assert math.isclose(mine, ref, rel_tol=1e-6, abs_tol=1e-7) or (
            math.isnan(mine) and math.isnan(ref)
        ), f"{where}: {mine} != {ref}"
    else:
        assert mine == ref, f"{where}: {mine!r} != {ref!r}"


# ---- in-place ops, views and version counters ---------------------------------------------
@program
def inplace_on_view_of_non_leaf(lib):
    x = lib.arange(6.0, requires_grad=True)
    y = x * 2
    y[0].mul_(3)
    y.view(2, 3)[1].add_(1)
    (y * lib.arange(6.0)).sum().backward()
    return [y, node_name(y), x.grad]


@program
def inplace_on_leaf_view_raises(lib):
    x = lib.ones(3, requires_grad=True)
    return [
        catch(lambda: x[0].mul_(2), "a view of a leaf Variable that requires grad", "in-place"),
        catch(lambda: x.add_(1), "a leaf Variable that requires grad", "in-place operation"),
        catch(lambda: x.view(3).zero_(), "view of a leaf Variable"),
    ]


@program
def version_counter_error_names_op_and_versions(lib):
    a = lib.randn(3, requires_grad=True)
    b = a.sigmoid()
    c = b * 2
    b.add_(1)
    return [
        b._version,
        catch(
            lambda: c.sum().backward(),
            "modified by an inplace operation",
            "is at version 1; expected version 0",
        ),
    ]


@program
def version_counter_shared_by_views_and_detach(lib):
    a = lib.zeros(4)
    v = a[1:3]
    d = a.detach()
    v.add_(1)
    d.mul_(2)
    a[0] = 5
    return [a._version, v._version, d._version, a, a.view(2, 2)._version]


@program
def detach_shares_storage_and_inplace_on_detached_breaks_backward(lib):
    a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a.exp()
    b.detach().zero_()
    return [b, catch(lambda: b.sum().backward(), "modified by an inplace operation", "version 1")]


@program
def detach_inplace_of_saved_leaf(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    w.data.mul_(2)  # .data changes are invisible to autograd
    y.backward()
    return [w.grad, w._version]


@program
def out_argument_under_autograd(lib):
    a = lib.randn(3, requires_grad=True)
    out = lib.empty(3)
    r1 = catch(lambda: lib.add(a, 1, out=out), "out=", "don't support automatic differentiation")
    with lib.no_grad():
        lib.mul(a, 2, out=out)
    return [r1, out.requires_grad, out]


@program
def inplace_changes_requires_grad_of_plain_tensor(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    z = lib.zeros(2)
    z.add_(w * 3)
    z.mul_(2)
    z.sum().backward()
    z2 = z.detach().add_(w)
    z2.mul_(z2)  # mul_ saves its own input, which it then overwrites
    err = catch(lambda: z2.sum().backward(), "modified by an inplace operation", "version 2")
    return [z.requires_grad, z.is_leaf, z.grad_fn.name(), w.grad, err]


@program
def setitem_into_plain_tensor_from_grad_tensor(lib):
    w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    buf = lib.zeros(2, 3)
    buf[0] = w
    buf[1, 1:] = w[:2] ** 2
    (buf * lib.arange(6.0).view(2, 3)).sum().backward()
    return [buf, node_name(buf), w.grad]


@program
def inplace_on_leaf_under_no_grad_keeps_leaf(lib):
    w = lib.ones(3, requires_grad=True)
    with lib.no_grad():
        w.mul_(2)
        w[0] = 7
    (w * w).sum().backward()
    return [w, w.is_leaf, w.grad_fn is None, w._version, w.grad]


@program
def base_changes_after_view_taken(lib):
    x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x.clone()
    v = y[:2]
    y.mul_(2)
    (v.sum() * 3).backward()
    return [v, node_name(v), x.grad]


@program
def view_changes_seen_by_base_grad_fn(lib):
    x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1
    v = y.view(2, 2)
    v.t()[0].pow_(2)
    y.sum().backward()
    return [y, node_name(y), x.grad]


@program
def retain_grad_after_inplace(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.add_(1)
    z = (y * y).sum()
    z.backward()
    return [y.grad, x.grad]


@program
def retain_grad_on_view(lib):
    x = lib.arange(4.0, requires_grad=True)
    y = (x * 2).view(2, 2)
    y.retain_grad()
    r = y[1]
    r.retain_grad()
    (r * r).sum().backward()
    return [y.grad, r.grad, x.grad]


# ---- hooks ---------------------------------------------------------------------------------
@program
def tensor_hooks_order_replace_and_remove(lib):
    log = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    h1 = y.register_hook(lambda g: log.append(("h1", g.tolist())))
    y.register_hook(lambda g: g * 10)
    y.register_hook(lambda g: log.append(("h3", g.tolist())))
    x.register_hook(lambda g: log.append(("leaf", g.tolist())))
    y.sum().backward(retain_graph=True)
    h1.remove()
    h1.remove()
    y.sum().backward()
    return [log, x.grad]


@program
def hook_on_leaf_sees_grad_before_accumulation(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.grad = lib.tensor([100.0, 100.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.clone()) or g * 2)
    (x * x).sum().backward()
    return [seen, x.grad]


@program
def post_accumulate_grad_hook_sees_accumulated_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.clone()))
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    y = x * 1
    err = catch(
        lambda: y.register_post_accumulate_grad_hook(lambda p: None),
        "post accumulate grad hooks cannot be registered on non-leaf tensors",
    )
    return [seen, x.grad, err]


@program
def hook_on_tensor_not_requiring_grad_raises(lib):
    x = lib.ones(2)
    return catch(
        lambda: x.register_hook(lambda g: g),
        "cannot register a hook on a tensor that doesn't require gradient",
    )


@program
def hook_on_view_and_base(lib):
    log = []
    x = lib.arange(4.0, requires_grad=True)
    y = x * 1
    v = y[1:3]
    v.register_hook(lambda g: log.append(("v", g.tolist())))
    y.register_hook(lambda g: log.append(("y", g.tolist())))
    (v * lib.tensor([5.0, 7.0])).sum().backward()
    return [log, x.grad]


@program
def hook_on_non_leaf_modified_inplace_after_registration(lib):
    log = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: log.append(g.tolist()))
    y.mul_(3)
    y.sum().backward()
    return [log, x.grad]


@program
def grad_accumulates_over_backward_calls(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for k in range(3):
        (x * (k + 1)).sum().backward()
    first = x.grad.clone()
    x.grad.zero_()
    (x**2).sum().backward()
    g = x.grad
    (x**2).sum().backward()
    return [first, g, x.grad, g is x.grad]


@program
def grad_of_expanded_and_transposed_leaf_layout(lib):
    x = lib.randn(3, 4, requires_grad=True)
    (x.t() * lib.arange(12.0).view(4, 3)).sum().backward()
    return [x.grad, x.grad.is_contiguous(), x.grad.stride()]


@program
def grad_assignment_checks(lib):
    x = lib.ones(2, 3, requires_grad=True)
    errs = [
        catch(
            lambda: setattr(x, "grad", lib.ones(3)), "assigned grad has data of a different size"
        ),
        catch(
            lambda: setattr(x, "grad", lib.ones(2, 3, dtype=lib.float64)),
            "assigned grad has data of a different type",
        ),
        catch(lambda: setattr(x, "grad", 3.0), "assigned grad expected to be a Tensor or None"),
    ]
    x.grad = lib.full((2, 3), 2.0)
    (x * 1).sum().backward()
    return errs + [x.grad]


# ---- backward / autograd.grad options -----------------------------------------------------
@program
def backward_with_inputs_only_fills_those(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    h.retain_grad()
    (h * h).sum().backward(inputs=[a], retain_graph=True)
    ga, gb, gh = a.grad.clone(), b.grad, h.grad
    (h * h).sum().backward(inputs=h)
    return [ga, gb, gh, h.grad, a.grad]


@program
def backward_inputs_errors(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    c = lib.ones(2)
    y = (a * 2).sum()
    return [
        catch(lambda: y.backward(inputs=[]), "'inputs' argument to backward() cannot be empty"),
        catch(lambda: y.backward(inputs=[c])),
    ]


@program
def grad_allow_unused_and_materialize(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0], requires_grad=True)
    y = (a**2).sum()
    r1 = lib.autograd.grad(y, [a, b], allow_unused=True, retain_graph=True)
    r2 = lib.autograd.grad(y, [a, b], materialize_grads=True, retain_graph=True)
    r3 = catch(
        lambda: lib.autograd.grad(y, [a, b], retain_graph=True),
        "One of the differentiated Tensors appears to not have been used in the graph",
        "allow_unused=True",
    )
    r4 = catch(
        lambda: lib.autograd.grad(y, [a, b], allow_unused=False, materialize_grads=True),
        "Expected allow_unused to be True or not passed when materialize_grads=True",
    )
    return [r1, r2, r3, r4]


@program
def grad_of_nonscalar_needs_grad_outputs(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = a * 3
    return [
        catch(
            lambda: lib.autograd.grad(y, a),
            "grad can be implicitly created only for scalar outputs",
        ),
        catch(lambda: y.backward(), "grad can be implicitly created only for scalar outputs"),
        lib.autograd.grad(y, a, lib.tensor([1.0, -1.0])),
        lib.autograd.grad([(a * 3).sum(), (a * a).sum()], a),
    ]


@program
def grad_outputs_float64_into_float32_graph(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = a * a
    (g,) = lib.autograd.grad(y, a, grad_outputs=lib.tensor([1.0, 0.5], dtype=lib.float64))
    y2 = a.double() * 2
    y2.backward(lib.ones(2, dtype=lib.float64))
    return [g, a.grad]


@program
def grad_output_shape_mismatch_message(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = a * a
    return catch(
        lambda: lib.autograd.grad(y, a, grad_outputs=lib.ones(3)),
        "Mismatch in shape: grad_output[0] has a shape of",
        "and output[0] has a shape of",
    )


@program
def retain_graph_error_names_node(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (a.exp() * 2).sum()
    y.backward()
    return catch(
        lambda: y.backward(),
        "Trying to backward through the graph a second time",
        "retain_graph=True",
        "Saved intermediate values of the graph are freed",
    )


@program
def retain_graph_twice_accumulates(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (a.sin() * a).sum()
    y.backward(retain_graph=True)
    y.backward()
    return a.grad


@program
def backward_on_tensor_without_grad_fn(lib):
    a = lib.tensor([1.0, 2.0])
    return [
        catch(
            lambda: a.sum().backward(),
            "element 0 of tensors does not require grad and does not have a grad_fn",
        ),
        catch(lambda: lib.autograd.grad(a.sum(), a), "does not require grad"),
    ]


@program
def is_grads_batched_jacobian_rows(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x**2 * lib.tensor([1.0, 2.0, 3.0])
    (jac,) = lib.autograd.grad(y, x, lib.eye(3), is_grads_batched=True)
    return jac


@program
def third_order_gradients_of_common_ops(lib):
    x = lib.tensor([0.3, -0.7, 1.2], dtype=lib.float64, requires_grad=True)
    out = []
    for f in (
        lambda t: t.tanh(),
        lambda t: t.sigmoid(),
        lambda t: t.exp() * t.sin(),
        lambda t: t.pow(4),
        lambda t: lib.nn.functional.softplus(t),
        lambda t: lib.nn.functional.gelu(t),
        lambda t: t.log1p().abs() if False else (t * t + 1).log(),
        lambda t: lib.nn.functional.silu(t),
    ):
        y = f(x).sum()
        (g1,) = lib.autograd.grad(y, x, create_graph=True)
        (g2,) = lib.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = lib.autograd.grad(g2.sum(), x)
        out += [g1, g2, g3]
    return out


@program
def higher_order_through_softmax_and_matmul(lib):
    g = lib.Generator().manual_seed(3)
    w = lib.randn(4, 3, generator=g, dtype=lib.float64, requires_grad=True)
    x = lib.randn(2, 4, generator=g, dtype=lib.float64)
    p = (x @ w).softmax(-1)
    (gw,) = lib.autograd.grad(p[:, 0].sum(), w, create_graph=True)
    (hw,) = lib.autograd.grad((gw**2).sum(), w, create_graph=True)
    hw.sum().backward()
    return [gw, hw, w.grad]


@program
def grad_of_grad_not_requiring_grad_without_create_graph(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    (g,) = lib.autograd.grad((x**3).sum(), x)
    return [
        g,
        g.requires_grad,
        g.grad_fn is None,
        catch(lambda: g.sum().backward(), "does not require grad"),
    ]


@program
def autograd_backward_function_with_several_tensors(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y1 = a * 2
    y2 = (a**2).sum()
    lib.autograd.backward([y1, y2], [lib.tensor([1.0, 1.0]), None])
    g1 = a.grad.clone()
    lib.autograd.backward((a * 3).sum(), inputs=[a])
    return [g1, a.grad]


@program
def backward_of_empty_and_zero_dim(lib):
    a = lib.zeros(0, 3, requires_grad=True)
    a.sum().backward()
    b = lib.tensor(2.0, requires_grad=True)
    (b**3).backward()
    c = lib.tensor(3.0, requires_grad=True)
    (c * 2).backward(lib.tensor(5.0))
    return [a.grad, b.grad, c.grad]


@program
def integer_tensor_cannot_require_grad(lib):
    return [
        catch(lambda: lib.tensor([1, 2]).requires_grad_(), "can require gradients"),
        catch(
            lambda: lib.ones(2, dtype=lib.int64, requires_grad=True),
            "Only Tensors of floating point",
        ),
        lib.tensor([1.0]).requires_grad_().requires_grad,
    ]


@program
def requires_grad_false_on_non_leaf_raises(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 2
    return [
        catch(
            lambda: y.requires_grad_(False),
            "you can only change requires_grad flags of leaf variables",
        ),
        y.requires_grad_(True).requires_grad,
    ]


@program
def detach_inplace_makes_leaf(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 2
    y.detach_()
    v = (x * 3)[0:1]
    return [
        y.is_leaf,
        y.requires_grad,
        y.grad_fn is None,
        catch(lambda: v.detach_(), "Can't detach views in-place. Use detach() instead"),
    ]


# ---- custom autograd.Function ---------------------------------------------------------------
def _exp_function(lib):
    class MyExp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    return MyExp


@program
def function_old_style_double_backward(lib):
    MyExp = _exp_function(lib)
    x = lib.tensor([0.1, -0.4], dtype=lib.float64, requires_grad=True)
    y = MyExp.apply(x)
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = lib.autograd.grad(g.sum(), x)
    return [y, node_name(y), g, gg, lib.autograd.gradcheck(MyExp.apply, (x,))]


@program
def function_setup_context_style(lib):
    class Scale(lib.autograd.Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = Scale.apply(x, 3.0)
    y.sum().backward()
    return [y, x.grad]


@program
def function_needs_input_grad_and_none_grads(lib):
    seen = []

    class Mul(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            seen.append(ctx.needs_input_grad)
            a, b = ctx.saved_tensors
            return (
                g * b if ctx.needs_input_grad[0] else None,
                g * a if ctx.needs_input_grad[1] else None,
            )

    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0])
    Mul.apply(a, b).sum().backward()
    Mul.apply(b, a).sum().backward()
    return [seen, a.grad]


@program
def function_wrong_number_of_grads(lib):
    class Bad(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g

    class Bad2(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g, g, g

    a = lib.ones(2, requires_grad=True)
    return [
        catch(
            lambda: Bad.apply(a, a).sum().backward(),
            "function BadBackward returned an incorrect number of gradients (expected 2, got 1)",
        ),
        catch(
            lambda: Bad2.apply(a).sum().backward(),
            "function Bad2Backward returned an incorrect number of gradients (expected 1, got 3)",
        ),
    ]


@program
def function_grad_of_wrong_shape(lib):
    class Bad(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum()

        @staticmethod
        def backward(ctx, g):
            return g.expand(3)

    a = lib.ones(2, requires_grad=True)
    return catch(
        lambda: Bad.apply(a).backward(),
        "Function BadBackward returned an invalid gradient at index 0 - got [3] but "
        "expected shape compatible with [2]",
    )


@program
def function_mark_non_differentiable_and_materialize(lib):
    seen = []

    class SortF(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            v, i = x.sort()
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(i)
            return v, i

        @staticmethod
        def backward(ctx, gv, gi):
            seen.append(gi if gi is None else gi.tolist())
            (i,) = ctx.saved_tensors
            return lib.zeros_like(gv).scatter(0, i, gv)

    x = lib.tensor([3.0, 1.0, 2.0], requires_grad=True)
    v, i = SortF.apply(x)
    (v * lib.tensor([1.0, 10.0, 100.0])).sum().backward()
    return [v, i, i.requires_grad, x.grad, seen]


@program
def function_set_materialize_grads_false(lib):
    seen = []

    class Two(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1 is None, g2 is None))
            out = 0
            if g1 is not None:
                out = out + g1 * 2
            if g2 is not None:
                out = out + g2 * 3
            return out

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    a, b = Two.apply(x)
    a.sum().backward()
    return [seen, x.grad]


@program
def function_mark_dirty_inplace(lib):
    class AddOneInplace(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    z = AddOneInplace.apply(y)
    (z * z).sum().backward()
    leaf_err = catch(
        lambda: AddOneInplace.apply(a), "a leaf Variable that requires grad", "in-place operation"
    )
    return [z is y, z, node_name(z), a.grad, leaf_err]


@program
def function_returning_input_and_view(lib):
    class Ident(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x, x[:1]

        @staticmethod
        def backward(ctx, g, gv):
            g = g.clone()
            g[:1] += gv
            return g

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    a, v = Ident.apply(y)
    (a * 3).sum().backward(retain_graph=True)
    g1 = x.grad.clone()
    x.grad = None
    (v * 5).sum().backward()
    return [a is y, node_name(a), g1, x.grad]


@program
def function_once_differentiable(lib):
    from_fn = lib.autograd.function.once_differentiable

    class Sq(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @from_fn
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    (g,) = lib.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
    return [
        g,
        g.requires_grad,
        catch(
            lambda: g.sum().backward(),
            "trying to differentiate twice a function that was marked with @once_differentiable",
        ),
    ]


@program
def function_non_tensor_outputs_and_kwargs_style(lib):
    class Stats(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.scale = scale
            return x * scale, x.shape[0], "ok"

        @staticmethod
        def backward(ctx, g, _n, _s):
            return g * ctx.scale, None

    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y, n, s = Stats.apply(x, 2.0)
    y.sum().backward()
    return [y, n, s, x.grad]


@program
def function_forward_runs_without_grad(lib):
    inside = []

    class F(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            inside.append((lib.is_grad_enabled(), x.requires_grad))
            y = x * 2
            inside.append(y.requires_grad)
            return y

        @staticmethod
        def backward(ctx, g):
            inside.append(lib.is_grad_enabled())
            return g * 2

    x = lib.tensor([1.0], requires_grad=True)
    F.apply(x).sum().backward()
    (g,) = lib.autograd.grad(F.apply(x).sum(), x, create_graph=True)
    return [inside, x.grad, g.requires_grad]


@program
def function_apply_without_grad_inputs(lib):
    MyExp = _exp_function(lib)
    y = MyExp.apply(lib.tensor([0.0, 1.0]))
    with lib.no_grad():
        z = MyExp.apply(lib.tensor([0.0], requires_grad=True))
    return [y, y.requires_grad, y.grad_fn is None, z.requires_grad]


@program
def function_saved_tensors_twice_and_after_free(lib):
    class F(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            (x2,) = ctx.saved_tensors
            return g * 2 + 0 * x2

    x = lib.tensor([1.0], requires_grad=True)
    y = F.apply(x)
    y.backward(lib.ones(1))
    return [x.grad, catch(lambda: y.grad_fn.saved_tensors, "freed", "retain_graph=True")]


@program
def function_backward_returns_python_number_grad(lib):
    class F(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return 1.5

    x = lib.tensor([1.0], requires_grad=True)
    return catch(lambda: F.apply(x).sum().backward(), "expected Variable or None (got float)")


@program
def function_with_vmap_staticmethod_generate_vmap_rule(lib):
    class Cube(lib.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    return [lib.func.vmap(Cube.apply)(x), lib.func.grad(lambda t: Cube.apply(t).sum())(x[0])]


# ---- autograd.functional ----------------------------------------------------------------------
def _f2(lib):
    def f(x, y):
        return (x.sin() * y).sum(0), x.exp() + y**2

    return f


@program
def functional_jacobian_tuple_inputs_outputs(lib):
    x = lib.tensor([[0.1, 0.2], [0.3, 0.4]], dtype=lib.float64)
    y = lib.tensor([[1.0, -1.0], [0.5, 2.0]], dtype=lib.float64)
    jac = lib.autograd.functional.jacobian(_f2(lib), (x, y))
    jac_v = lib.autograd.functional.jacobian(_f2(lib), (x, y), vectorize=True)
    jac_f = lib.autograd.functional.jacobian(
        _f2(lib), (x, y), strategy="forward-mode", vectorize=True
    )
    return [jac, jac_v, jac_f]


@program
def functional_hessian_and_create_graph(lib):
    def f(x):
        return (x**3).sum() + (x[0] * x[1])

    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    h = lib.autograd.functional.hessian(f, x)
    hc = lib.autograd.functional.hessian(f, x, create_graph=True)
    hc.sum().backward()
    return [h, h.requires_grad, hc.requires_grad, x.grad]


@program
def functional_vjp_jvp_hvp_vhp(lib):
    def f(x):
        return x.tanh() * x

    def s(x):
        return (x**2 * x.sin()).sum()

    x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)
    v = lib.tensor([1.0, 0.5, -2.0], dtype=lib.float64)
    F = lib.autograd.functional
    return [F.vjp(f, x, v), F.jvp(f, x, v), F.hvp(s, x, v), F.vhp(s, x, v), F.vjp(s, x)]


@program
def functional_strict_raises_on_independent_output(lib):
    def f(x):
        return lib.ones(2, dtype=x.dtype)

    x = lib.tensor([1.0, 2.0])
    return [
        lib.autograd.functional.jacobian(f, x),
        catch(
            lambda: lib.autograd.functional.jacobian(f, x, strict=True),
            "Output 0 of the user-provided function is independent of input 0",
        ),
        catch(
            lambda: lib.autograd.functional.vjp(f, x, lib.ones(2), strict=True),
            "independent of input 0",
        ),
    ]


@program
def functional_vjp_bad_v_shape(lib):
    def f(x):
        return x * 2

    x = lib.ones(3)
    return [
        catch(lambda: lib.autograd.functional.vjp(f, x, lib.ones(2)), "Mismatch in shape"),
        catch(
            lambda: lib.autograd.functional.vjp(f, x),
            "The vector v can only be None if the user-provided function returns a single "
            "Tensor with a single element.",
        ),
    ]


@program
def functional_jacobian_of_input_not_used(lib):
    def f(x, y):
        return x * 2

    out = lib.autograd.functional.jacobian(f, (lib.ones(2), lib.ones(3)))
    return out


# ---- torch.func ---------------------------------------------------------------------------------
@program
def func_grad_argnums_has_aux(lib):
    def loss(w, b, x):
        y = x @ w + b
        return (y**2).mean(), y

    w = lib.tensor([[1.0], [2.0]])
    b = lib.tensor([0.5])
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    (gw, gb), aux = lib.func.grad(loss, argnums=(0, 1), has_aux=True)(w, b, x)
    g_and_v = lib.func.grad_and_value(lambda w: loss(w, b, x)[0])(w)
    return [gw, gb, aux, g_and_v]


@program
def func_grad_errors(lib):
    return [
        catch(
            lambda: lib.func.grad(lambda x: x * 2)(lib.ones(2)),
            "Expected f(*args) to return a scalar Tensor, got tensor with 1 dims",
        ),
        catch(
            lambda: lib.func.grad(lambda x: (x, x))(lib.ones(())),
            "Expected f(*args) to return a Tensor, got",
        ),
        catch(
            lambda: lib.func.grad(lambda x: x.sum(), argnums=2)(lib.ones(2)),
            "Got argnums=2, but only 1 positional inputs",
        ),
    ]


@program
def func_vmap_in_out_dims_and_nested(lib):
    x = lib.arange(6.0).view(2, 3)
    y = lib.arange(3.0)

    def f(a, b):
        return a * b + a.sum()

    r1 = lib.func.vmap(f, in_dims=(1, None))(x, y[:2])
    r2 = lib.func.vmap(f, in_dims=(0, None), out_dims=1)(x, y)
    r3 = lib.func.vmap(lib.func.vmap(lambda a, b: a * b))(x, x)
    r4 = lib.vmap(lambda d: d["a"] + d["b"], in_dims=({"a": 0, "b": None},))({"a": x, "b": y})
    r5 = lib.func.vmap(lambda a: (a.sum(), a * 2), out_dims=(0, 1))(x)
    return [r1, r2, r3, r4, r5]


@program
def func_vmap_errors(lib):
    x = lib.ones(2, 3)
    return [
        catch(
            lambda: lib.func.vmap(lambda a, b: a + b)(x, lib.ones(3, 3)),
            "Expected all tensors to have the same size in the mapped dimension",
        ),
        catch(lambda: lib.func.vmap(lambda a: a, in_dims=2)(x), "in_dim=2"),
        catch(lambda: lib.func.vmap(lambda a: a)(lib.tensor(1.0)), "vmap"),
    ]


@program
def func_vmap_randomness(lib):
    x = lib.ones(3, 2)
    same = lib.func.vmap(lambda a: lib.nn.functional.dropout(a, 0.5), randomness="same")(x)
    diff = lib.func.vmap(lambda a: lib.rand(2) + a, randomness="different")(x)
    return [
        catch(lambda: lib.func.vmap(lambda a: lib.rand(2) + a)(x), "randomness", "vmap"),
        bool((same[0] == same[1]).all() and (same[1] == same[2]).all()),
        bool((diff[0] != diff[1]).any()),
        diff.shape,
    ]


@program
def func_jacrev_jacfwd_hessian(lib):
    def f(x, y):
        return x.sin() * y.sum(), x.cos()

    x = lib.tensor([0.1, 0.2, 0.3], dtype=lib.float64)
    y = lib.tensor([1.0, 2.0], dtype=lib.float64)
    jr = lib.func.jacrev(f, argnums=(0, 1))(x, y)
    jf = lib.func.jacfwd(f, argnums=1)(x, y)
    jaux = lib.func.jacrev(lambda x: (x.exp(), x.sum()), has_aux=True)(x)
    h = lib.func.hessian(lambda x: (x**3).sum())(x)
    return [jr, jf, jaux, h]


@program
def func_per_sample_gradients(lib):
    g = lib.Generator().manual_seed(1)
    model = lib.nn.Linear(3, 2)
    with lib.no_grad():
        model.weight.copy_(lib.randn(2, 3, generator=g))
        model.bias.copy_(lib.randn(2, generator=g))
    params = {k: v.detach() for k, v in model.named_parameters()}
    x = lib.randn(5, 3, generator=g)
    t = lib.tensor([0, 1, 1, 0, 1])

    def loss(p, xi, ti):
        out = lib.func.functional_call(model, p, (xi.unsqueeze(0),))
        return lib.nn.functional.cross_entropy(out, ti.unsqueeze(0))

    grads = lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0, 0))(params, x, t)
    return grads


@program
def func_functional_call_buffers_strict(lib):
    bn = lib.nn.BatchNorm1d(2)
    x = lib.tensor([[1.0, 2.0], [3.0, 5.0]])
    out = lib.func.functional_call(
        bn, {"running_mean": lib.ones(2), "weight": lib.full((2,), 2.0)}, (x,)
    )
    errs = catch(
        lambda: lib.func.functional_call(bn, {"weight": lib.ones(2)}, (x,), strict=True),
        "Error(s) in reparametrizing for BatchNorm1d",
        "Missing key(s)",
        "bias",
    )
    return [out, bn.running_mean, bn.weight, errs]


@program
def func_vjp_and_linearize_like_usage(lib):
    x = lib.tensor([0.5, 1.0], dtype=lib.float64)
    out, vjp_fn = lib.func.vjp(lambda t: t.exp() * t, x)
    (g,) = vjp_fn(lib.ones(2, dtype=lib.float64))
    out2, tangent = lib.func.jvp(lambda t: t**2, (x,), (lib.ones(2, dtype=lib.float64),))
    return [out, g, out2, tangent]


# ---- grad modes -------------------------------------------------------------------------------
@program
def grad_mode_decorators_on_functions_and_generators(lib):
    x = lib.ones(2, requires_grad=True)

    @lib.no_grad()
    def f(t):
        return t * 2, lib.is_grad_enabled()

    @lib.no_grad
    def f_bare(t):
        return t * 2

    @lib.enable_grad()
    def g(t):
        return t * 2

    @lib.set_grad_enabled(False)
    def h(t):
        return t * 2

    @lib.inference_mode()
    def inf(t):
        return t * 2, lib.is_inference_mode_enabled()

    @lib.no_grad()
    def gen(t):
        for k in range(2):
            yield t * k, lib.is_grad_enabled()

    steps = [(y.requires_grad, flag, lib.is_grad_enabled()) for y, flag in gen(x)]
    with lib.no_grad():
        inner = g(x)
    y_inf, flag = inf(x)
    return [
        f(x)[0].requires_grad,
        f(x)[1],
        f_bare(x).requires_grad,
        inner.requires_grad,
        h(x).requires_grad,
        lib.is_grad_enabled(),
        steps,
        y_inf.requires_grad,
        flag,
        f.__name__,
        gen.__name__,
    ]


@program
def set_grad_enabled_as_function_call_and_context(lib):
    x = lib.ones(2, requires_grad=True)
    lib.set_grad_enabled(False)
    a = x * 2
    lib.set_grad_enabled(True)
    with lib.set_grad_enabled(False):
        b = x * 2
        with lib.enable_grad():
            c = x * 2
    with lib.set_grad_enabled(mode=True):
        d = x * 2
    return [
        a.requires_grad,
        b.requires_grad,
        c.requires_grad,
        d.requires_grad,
        lib.is_grad_enabled(),
    ]


@program
def grad_mode_is_thread_local(lib):
    import threading

    seen = []

    def worker():
        seen.append(lib.is_grad_enabled())
        x = lib.ones(1, requires_grad=True)
        seen.append((x * 2).requires_grad)

    with lib.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        seen.append(lib.is_grad_enabled())
    return seen


@program
def inference_mode_results_and_nesting(lib):
    x = lib.ones(2, requires_grad=True)
    with lib.inference_mode():
        t = x * 2
        flags = [lib.is_grad_enabled(), lib.is_inference_mode_enabled()]
        with lib.inference_mode(False):
            flags.append(lib.is_inference_mode_enabled())
    with lib.no_grad(), lib.inference_mode(mode=False):
        v = x * 2
        flags.append(lib.is_grad_enabled())
    return [t.requires_grad, t.grad_fn is None, v.requires_grad, flags]


@program
def no_grad_class_decorator_style_and_clone(lib):
    class Model:
        @lib.no_grad()
        def predict(self, x):
            return x * 2

        @lib.enable_grad()
        def train_step(self, x):
            return x * 2

    m = Model()
    x = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        a = m.train_step(x)
    return [m.predict(x).requires_grad, a.requires_grad, lib.no_grad().__class__.__name__]


@program
def no_grad_keeps_leaf_inplace_and_grad_fn_none(lib):
    w = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
    with lib.no_grad():
        w -= 0.1 * lib.tensor([1.0, 1.0])
        y = w * 2
    (w * 3).sum().backward()
    return [w, w.is_leaf, type(w).__name__, y.requires_grad, y.grad_fn is None, w.grad]


# ---- anomaly detection ------------------------------------------------------------------------
@program
def detect_anomaly_nan_in_backward(lib):
    import warnings

    x = lib.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lib.autograd.detect_anomaly():
            y = x.sqrt() * 0
            err = catch(
                lambda: y.sum().backward(),
                "Function 'SqrtBackward0' returned nan values in its 0th output",
            )
        with lib.autograd.set_detect_anomaly(True):
            flag = lib.is_anomaly_enabled()
    return [err, flag, lib.is_anomaly_enabled()]


@program
def detect_anomaly_check_nan_false(lib):
    import warnings

    x = lib.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lib.autograd.detect_anomaly(check_nan=False):
            (x.sqrt() * 0).sum().backward()
            flags = [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    return [x.grad, flags]


# ---- module hooks -----------------------------------------------------------------------------
def _small_net(lib):
    net = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU(), lib.nn.Linear(2, 1))
    with lib.no_grad():
        for i, p in enumerate(net.parameters()):
            p.copy_(lib.linspace(-0.5, 0.7, p.numel()).view(p.shape) * (i + 1))
    return net


@program
def module_forward_hooks_with_kwargs_and_always_call(lib):
    net = _small_net(lib)
    log = []

    def pre(m, args, kwargs):
        log.append(("pre", sorted(kwargs)))
        return (args[0] * 2,), kwargs

    def post(m, args, kwargs, out):
        log.append(("post", len(args), sorted(kwargs)))
        return out + 1

    class Wrap(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = net

        def forward(self, x, scale=1.0):
            return self.net(x) * scale

    w = Wrap()
    h1 = w.register_forward_pre_hook(pre, with_kwargs=True)
    h2 = w.register_forward_hook(post, with_kwargs=True)
    h3 = w.register_forward_hook(lambda m, a, o: log.append("plain"), prepend=True)
    x = lib.tensor([[1.0, 2.0, 3.0]])
    out1 = w(x, scale=3.0)
    h1.remove(), h2.remove(), h3.remove()
    out2 = w(x, scale=3.0)
    return [out1, out2, log]


@program
def module_full_backward_hooks_order(lib):
    net = _small_net(lib)
    log = []
    lin = net[2]
    lin.register_full_backward_pre_hook(lambda m, go: log.append(("pre", go[0].tolist())))
    lin.register_full_backward_hook(
        lambda m, gi, go: log.append(("full", [g if g is None else g.tolist() for g in gi]))
    )
    net[1].register_full_backward_hook(lambda m, gi, go: (gi[0] * 0.5,))
    x = lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], requires_grad=True)
    net(x).sum().backward()
    return [log, x.grad, net[0].weight.grad]


@program
def module_backward_hook_with_input_not_requiring_grad(lib):
    net = _small_net(lib)
    log = []
    net[0].register_full_backward_hook(lambda m, gi, go: log.append([g is None for g in gi]))
    net(lib.ones(1, 3)).sum().backward()
    return [log, net[0].bias.grad]


# ---- utils.checkpoint -------------------------------------------------------------------------
def _ckpt_block(lib):
    lin = lib.nn.Linear(4, 4)
    with lib.no_grad():
        lin.weight.copy_(lib.linspace(-1, 1, 16).view(4, 4))
        lin.bias.fill_(0.1)

    def block(x):
        return lib.nn.functional.dropout(lin(x).tanh(), 0.5, training=True) * 2

    return lin, block


@program
def checkpoint_dropout_replays_rng(lib):
    out = []
    for reentrant in (True, False):
        lib.manual_seed(7)
        lin, block = _ckpt_block(lib)
        x = lib.linspace(-0.5, 0.5, 12).view(3, 4).requires_grad_()
        y = lib.utils.checkpoint.checkpoint(block, x, use_reentrant=reentrant)
        y.pow(2).sum().backward()
        out += [y, x.grad, lin.weight.grad]
    lib.manual_seed(7)
    lin, block = _ckpt_block(lib)
    x = lib.linspace(-0.5, 0.5, 12).view(3, 4).requires_grad_()
    y = block(x)
    y.pow(2).sum().backward()
    return out + [y, x.grad, lin.weight.grad]


@program
def checkpoint_sequential_and_kwargs(lib):
    lib.manual_seed(0)
    net = lib.nn.Sequential(*[lib.nn.Linear(3, 3) for _ in range(4)])
    x = lib.ones(2, 3, requires_grad=True)
    y = lib.utils.checkpoint.checkpoint_sequential(net, 2, x, use_reentrant=False)
    y.sum().backward()
    g = x.grad.clone()

    def f(a, scale=1.0):
        return a * scale

    z = lib.utils.checkpoint.checkpoint(f, x, scale=3.0, use_reentrant=False)
    return [y, g, z, net[0].weight.grad]


@program
def checkpoint_reentrant_input_without_grad(lib):
    import warnings

    lib.manual_seed(0)
    lin = lib.nn.Linear(2, 2)
    x = lib.ones(1, 2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        y = lib.utils.checkpoint.checkpoint(lin, x, use_reentrant=True)
    y2 = lib.utils.checkpoint.checkpoint(lin, x, use_reentrant=False)
    y2.sum().backward()
    return [
        y.requires_grad,
        y2.requires_grad,
        lin.bias.grad,
        any("None of the inputs have requires_grad=True" in str(m.message) for m in w),
    ]


# ---- graph inspection ---------------------------------------------------------------------------
@program
def graph_next_functions_and_saved_attributes(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = lib.tensor([0.5, -1.0], requires_grad=True)
    y = (x * w).sum(dim=1, keepdim=True)
    fn = y.grad_fn
    mul = fn.next_functions[0][0]
    names = [
        node_name(y),
        mul.name(),
        [n is None or n.name() for n, _ in mul.next_functions],
    ]
    return [
        names,
        mul._saved_self is x,
        mul._saved_other is w,
        mul._saved_other,
        mul.next_functions[0][0].variable is x,
        catch(lambda: fn._saved_foo),
    ]


@program
def graph_saved_attributes_of_common_ops(lib):
    x = lib.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    p = x.pow(3)
    e = x.exp()
    v = x.view(4)
    t = x.transpose(0, 1)
    m = x.mean(0)
    s = x.softmax(1)
    h = x * 1
    return [
        p.grad_fn._saved_self,
        e.grad_fn._saved_result,
        s.grad_fn._saved_dim,
        s.grad_fn._saved_result,
        x.tanh().grad_fn._saved_result,
        x.sin().grad_fn._saved_self,
        (h / x).grad_fn._saved_self,
        (h / x).grad_fn._saved_other,
        node_name(m),
        node_name(v),
        node_name(t),
    ]


@program
def graph_saved_attribute_after_free_raises(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.sum().backward()
    return catch(
        lambda: y.grad_fn._saved_result,
        "Trying to backward through the graph a second time",
        "after they have already been freed",
    )


@program
def graph_register_hook_on_node_and_prehook(lib):
    log = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    z = y * 2
    y.grad_fn.register_prehook(lambda go: log.append(("pre", go[0].tolist())))
    y.grad_fn.register_hook(lambda gi, go: log.append(("post", gi[0].tolist())))
    acc = z.grad_fn.next_functions[0][0].next_functions[0][0]
    acc.register_hook(lambda gi, go: log.append(("acc", len(gi), go[0].tolist())))
    z.sum().backward()
    return [log, x.grad]


@program
def graph_increment_version_and_data_ptr(lib):
    x = lib.ones(3)
    v0 = x._version
    lib.autograd.graph.increment_version(x)
    y = x[1:]
    lib.autograd.graph.increment_version([x, y])
    same = [x.data_ptr() == x.view(3).data_ptr(), y.data_ptr() == x.data_ptr() + 4]
    return [v0, x._version, same, y._base is x, x._base is None, x.detach()._base is None]


# ---- saved-tensor hooks, misc ----------------------------------------------------------------------
@program
def saved_tensors_hooks_pack_unpack_counts(lib):
    packed = []

    def pack(t):
        packed.append(tuple(t.shape))
        return t * 1

    def unpack(t):
        return t

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (x * x).sin()
    y.sum().backward()
    return [sorted(packed), x.grad]


@program
def nn_gradient_penalty_training_step(lib):
    net = _small_net(lib)
    opt = lib.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    x = lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    losses = []
    for _ in range(3):
        xi = x.clone().requires_grad_(True)
        out = net(xi)
        (g,) = lib.autograd.grad(out.sum(), xi, create_graph=True)
        loss = out.pow(2).mean() + 0.1 * g.pow(2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return [losses] + [p for p in net.parameters()]


@program
def tensor_hook_on_parameter_for_gradient_clipping(lib):
    net = _small_net(lib)
    for p in net.parameters():
        p.register_hook(lambda g: g.clamp(-0.1, 0.1))
    net(lib.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    return [p.grad for p in net.parameters()]


@program
def grad_through_noncontiguous_and_expand(lib):
    x = lib.arange(12.0).view(3, 4).requires_grad_()
    y = x.t()[1:, ::2] * lib.tensor([1.0, 2.0])
    z = x[:, :1].expand(3, 5) * lib.arange(15.0).view(3, 5)
    (y.sum() + z.sum()).backward()
    return [y, z, x.grad]


@program
def leaf_view_with_no_grad_inplace_then_backward(lib):
    w = lib.ones(2, 3, requires_grad=True)
    with lib.no_grad():
        w[0].mul_(2)
        w.t()[1].add_(1)
    (w * w).sum().backward()
    return [w, w.grad, w._version]


@program
def clone_and_detach_patterns(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    d = x.detach().clone().requires_grad_(True)
    e = x.clone().detach()
    (c * d).sum().backward()
    return [c.requires_grad, c.is_leaf, node_name(c), d.is_leaf, e.requires_grad, x.grad, d.grad]


@program
def in_place_on_non_leaf_used_twice(lib):
    x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x * 2
    y.add_(y.detach())
    y.mul_(3)
    y.relu_()
    z = lib.where(y > 1, y, -y)
    z.sum().backward()
    return [y, z, node_name(y), x.grad]


@program
def index_put_and_scatter_inplace_grads(lib):
    x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    src = lib.tensor([10.0, 20.0], requires_grad=True)
    y = x * 1
    y[lib.tensor([0, 2])] = src
    z = (x * 1).scatter_(0, lib.tensor([1, 3]), src * 3)
    w = (x * 1).index_add_(0, lib.tensor([0, 0]), src)
    (y * lib.arange(4.0)).sum().backward(retain_graph=True)
    g1 = [x.grad.clone(), src.grad.clone()]
    (z.sum() + (w * w).sum()).backward()
    return [y, z, w, g1, x.grad, src.grad]


# ---- more backward semantics ------------------------------------------------------------------
@program
def second_backward_without_saved_tensors_is_allowed(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    z = x.view(2, 1).t().sum()
    z.backward()
    z.backward()
    return x.grad


@program
def backward_on_leaf_and_identity_grad(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.backward(lib.tensor([3.0, 4.0]))
    (g,) = lib.autograd.grad(x, x, lib.ones(2))
    y = x * 2
    (gy,) = lib.autograd.grad((y * y).sum(), y)
    return [x.grad, g, gy]


@program
def grad_wrt_view_not_in_graph(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    return catch(
        lambda: lib.autograd.grad(y, x[0]),
        "One of the differentiated Tensors appears to not have been used in the graph",
    )


@program
def hook_on_tensor_used_twice_runs_once(lib):
    calls = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: calls.append(g.tolist()))
    (y * y + y).sum().backward()
    return [calls, x.grad]


@program
def create_graph_backward_makes_grad_differentiable(lib):
    import warnings

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns once per process of the cycle
        (x**3).sum().backward(create_graph=True)
    g = x.grad
    (g.sum()).backward()  # adds into the same .grad, in place, which keeps its history
    return [g.requires_grad, g.grad_fn is not None, x.grad, x.grad is g, x.grad.requires_grad]


@program
def grad_outputs_with_none_and_tuple_outputs(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    a = (x * 2).sum()
    b = x * 3
    return lib.autograd.grad((a, b), x, grad_outputs=(None, lib.tensor([1.0, -1.0])))


@program
def hook_modifying_grad_inplace_on_leaf(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)

    def hook(g):
        g.mul_(10)

    x.register_hook(hook)
    (x * 2).sum().backward()
    return x.grad


@program
def hook_returning_wrong_dtype(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g.double())
    x.register_hook(lambda g: g.half())
    return [
        catch(lambda: y.sum().backward(), "has changed the type of value"),
        catch(lambda: x.sum().backward(), "has changed the type of value"),
    ]


@program
def zero_grad_and_set_to_none(lib):
    net = lib.nn.Linear(2, 1)
    opt = lib.optim.SGD(net.parameters(), lr=0.1)
    net(lib.ones(1, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    g1 = net.weight.grad
    opt.zero_grad()
    net.zero_grad()
    return [g1, net.weight.grad is None]


@program
def parameter_data_swap_and_grad(lib):
    p = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
    (p * p).sum().backward()
    p.data = lib.tensor([5.0, 6.0])
    (p * p).sum().backward()
    q = lib.nn.Parameter(lib.ones(2), requires_grad=False)
    return [p, p.grad, p.is_leaf, q.requires_grad, repr(type(p * 2).__name__)]


@program
def grad_only_inputs_argument_accepted(lib):
    import warnings

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.autograd.grad((x * x).sum(), [x], only_inputs=True)


@program
def backward_of_multiple_outputs_from_split_and_unbind(lib):
    x = lib.arange(6.0).requires_grad_()
    a, b = x.split(3)
    c, d, e = x.view(3, 2).unbind(0)
    ((a * 2).sum() + (d * 5).sum() + e.sum()).backward()
    return [x.grad, node_name(a), node_name(c)]


@program
def inplace_on_split_output_raises(lib):
    x = lib.arange(6.0).requires_grad_()
    y = x * 1
    a, b = y.split(3)
    return catch(
        lambda: a.mul_(2), "is a view and is being modified inplace", "returns multiple views"
    )


@program
def float64_and_float16_grads_keep_dtype(lib):
    a = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    b = lib.tensor([1.0, 2.0], dtype=lib.float16, requires_grad=True)
    c = lib.tensor([1.0, 2.0], requires_grad=True)
    (a * c).sum().backward()
    (b.float() * 3).sum().backward()
    return [a.grad, b.grad, c.grad, (a * c).dtype]


@program
def no_grad_inside_backward_hook_and_retain_grad_leaf(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.retain_grad()
    y = x.exp()

    def hook(g):
        with lib.no_grad():
            return g * 2

    y.register_hook(hook)
    y.sum().backward()
    return [x.grad, x.retains_grad, y.retains_grad]


@program
def accumulate_into_noncontiguous_grad(lib):
    x = lib.ones(3, 2, requires_grad=True)
    x.grad = lib.zeros(2, 3).t()
    (x * lib.arange(6.0).view(3, 2)).sum().backward()
    return [x.grad, x.grad.stride()]


@program
def autograd_grad_for_intermediate_and_leaf_together(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x.sin()
    out = (h * h * x).sum()
    gh, gx = lib.autograd.grad(out, [h, x])
    return [gh, gx, x.grad]


# ---- more transforms and module hooks ---------------------------------------------------------
@program
def func_grad_with_kwargs_and_negative_dims(lib):
    def f(x, *, scale):
        return (x * scale).pow(2).sum()

    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    g = lib.func.grad(f)(x, scale=3.0)
    v1 = lib.func.vmap(lambda r: r * 2, in_dims=-1, out_dims=-1)(x)
    v2 = lib.func.vmap(lambda r, s: r + s, in_dims=(0, None))(x, 10.0)
    jd = lib.func.jacrev(lambda d: d["a"] * d["b"])({"a": x[0], "b": x[1]})
    return [g, v1, v2, jd]


@program
def functional_jacobian_create_graph_then_backward(lib):
    x = lib.tensor([0.3, 0.6], dtype=lib.float64, requires_grad=True)
    j = lib.autograd.functional.jacobian(lambda t: t.sin() * t.sum(), x, create_graph=True)
    j.trace().backward()
    h = lib.autograd.functional.hessian(lambda a, b: (a * b.exp()).sum(), (x.detach(), x.detach()))
    return [j, j.requires_grad, x.grad, h]


@program
def functional_call_strict_false_missing_and_tied(lib):
    net = lib.nn.Linear(2, 2)
    with lib.no_grad():
        net.weight.copy_(lib.eye(2))
        net.bias.zero_()
    x = lib.tensor([[1.0, 2.0]])
    w = lib.full((2, 2), 0.5, requires_grad=True)
    out = lib.func.functional_call(net, {"weight": w}, x)
    out.sum().backward()
    errs = catch(
        lambda: lib.func.functional_call(net, {"weight": w, "extra": w}, x, strict=True),
        "Unexpected key(s)",
        "extra",
    )
    return [out, w.grad, net.weight.grad is None, errs]


@program
def full_backward_hook_multiple_inputs_and_tuple_output(lib):
    log = []

    class Pair(lib.nn.Module):
        def forward(self, a, b):
            return a * b, a + b

    m = Pair()
    m.register_full_backward_hook(
        lambda mod, gi, go: log.append(([g.tolist() for g in gi], [g.tolist() for g in go]))
    )
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    p, s = m(a, b)
    (p * 2 + s * 3).sum().backward()
    return [log, a.grad, b.grad]


@program
def forward_pre_hook_returning_single_value_and_always_call(lib):
    log = []
    lin = lib.nn.Linear(2, 1)
    with lib.no_grad():
        lin.weight.fill_(1.0)
        lin.bias.zero_()
    h = lin.register_forward_pre_hook(lambda m, args: args[0] * 10)
    out = lin(lib.ones(1, 2))
    h.remove()

    class Boom(lib.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    b = Boom()
    b.register_forward_hook(lambda m, a, o: log.append("called"), always_call=True)
    err = catch(lambda: b(lib.ones(1)), "boom")
    return [out, err, log]


@program
def checkpoint_preserve_rng_state_false_and_nested_grad(lib):
    lib.manual_seed(3)
    x = lib.linspace(-1, 1, 6).view(2, 3).requires_grad_()

    def block(t):
        return (t.sin() * 2).exp()

    y = lib.utils.checkpoint.checkpoint(block, x, use_reentrant=False, preserve_rng_state=False)
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    g.sum().backward()
    return [y, g, x.grad]


@program
def function_with_list_and_none_arguments(lib):
    class Weighted(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, weights, bias):
            ctx.weights = weights
            out = x * weights[0] + x * x * weights[1]
            ctx.save_for_backward(x)
            return out if bias is None else out + bias

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (ctx.weights[0] + 2 * x * ctx.weights[1]), None, None

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = Weighted.apply(x, [2.0, 3.0], None)
    y.sum().backward()
    return [y, x.grad]


@program
def retains_grad_flags(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.retain_grad()
    y = x * 2
    before = y.retains_grad
    y.retain_grad()
    y.retain_grad()
    z = y.detach()
    (y * y).sum().backward()
    return [x.retains_grad, before, y.retains_grad, z.retains_grad, y.grad, x.grad]


@program
def grad_single_tensor_inputs_returns_tuple(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    r = lib.autograd.grad((x * x).sum(), x)
    return [type(r).__name__, len(r), r[0]]


@program
def hooks_on_leaf_removed_during_backward(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    handles = []

    def once(g):
        handles[0].remove()
        return g * 100

    handles.append(x.register_hook(once))
    (x * 1).sum().backward()
    first = x.grad.clone()
    (x * 1).sum().backward()
    return [first, x.grad]


@program
def module_register_module_forward_hook_global(lib):
    log = []
    h = lib.nn.modules.module.register_module_forward_hook(
        lambda m, a, o: log.append(type(m).__name__)
    )
    try:
        lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU())(lib.ones(1, 2))
    finally:
        h.remove()
    lib.nn.ReLU()(lib.ones(1))
    return log


@program
def integer_casts_carry_no_gradient(lib):
    x = lib.tensor([1.5, -2.0, 0.0], requires_grad=True)
    idx = x.long()
    flags = x.int().float()
    y = (x * flags).sum() + x.bool().sum() + x.to(lib.int32).sum()
    y.backward()
    return [
        idx.requires_grad,
        idx.grad_fn is None,
        flags.requires_grad,
        x.byte().requires_grad,
        x.half().requires_grad,
        y,
        x.grad,
        catch(
            lambda: (x.long().float() * 2).sum().backward(),
            "element 0 of tensors does not require grad",
        ),
    ]


@program
def hook_returning_a_number_raises_type_error(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: 3.0)
    return catch(lambda: (x * 2).sum().backward(), "expected Variable, but hook returned 'float'")


@program
def printed_graph_of_inplace_on_slice(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    y[1:].mul_(2)
    acc = (x * 1).grad_fn.next_functions[0][0]
    return [
        repr(y).replace("minitorch", "torch"),
        node_name(y),
        acc.name(),
        repr(y.grad_fn).split(" ")[0],
        repr(acc).split(" ")[0],
    ]


@program
def detect_anomaly_warns_with_forward_trace_then_raises(lib):
    import warnings

    x = lib.tensor([-1.0, 4.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        with lib.autograd.detect_anomaly():
            y = x.sqrt()
            err = catch(lambda: y.sum().backward(), "Function 'SqrtBackward0' returned nan")
    texts = [str(m.message) for m in w]
    return [
        err,
        any(
            t.startswith("Error detected in SqrtBackward0. Traceback of forward call")
            and "x.sqrt()" in t
            for t in texts
        ),
    ]


@program
def functional_and_func_edge_cases(lib):
    F = lib.autograd.functional
    return [
        F.jacobian(lambda x: (x**2).sum(), lib.tensor([1.0, 2.0])),
        F.jacobian(lambda x: x * lib.tensor([1.0, 2.0]), lib.tensor(3.0)),
        F.hessian(lambda x: (x**3).sum(), lib.ones(2, 2)).shape,
        F.jvp(lambda x: x * 2, lib.tensor([1.0])),
        F.vjp(lambda x: (x * 2, x * 3), lib.ones(2), (lib.ones(2), lib.ones(2))),
        catch(
            lambda: lib.func.grad(lambda x: x.sum())(lib.ones(2, dtype=lib.int64)),
            "only Tensors of floating point dtype can require gradients",
        ),
        lib.func.grad(lambda p: (p["a"] ** 2).sum())({"a": lib.ones(2)}),
        lib.func.vmap(lambda x, s=1: x * s)(lib.ones(3), s=4),
        lib.func.vmap(lambda x: (x * 2, 5), out_dims=(0, None))(lib.ones(3)),
        lib.func.jacfwd(lambda x: (x * 2, x.sum()), has_aux=True)(lib.ones(2)),
        lib.func.hessian(lambda x, y: (x * y * y).sum(), argnums=1)(lib.ones(2), lib.ones(2)),
        lib.func.grad(lambda x: (x**2).sum())(lib.ones(2, requires_grad=True)),
    ]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_pytorch(torch, name):
    mine = PROGRAMS[name](minitorch)
    ref = PROGRAMS[name](torch)
    assert_same(mine, ref)
