"""Session 20 sweep: autograd tools as a researcher uses them (torch.autograd.functional with
every keyword and empty inputs, custom autograd.Function, hooks, higher-order gradients,
gradcheck, anomaly mode, the profiler), as programs run with real PyTorch (the oracle) and
with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _x(torch, *shape):
    return torch.randn(*shape, dtype=torch.float64)


# ---- torch.autograd.functional -------------------------------------------------------------
@program
def jacobian_tuple_in_out_every_mode(torch):
    AF = torch.autograd.functional
    a, b = _x(torch, 3), _x(torch, 2, 3)

    def f(a, b):
        return (a * b).sum(0), (b * a.exp()).sum(1).tanh(), (b**2).mean()

    out = []
    for kw in ({}, {"vectorize": True}, {"vectorize": True, "strategy": "forward-mode"}):
        out.append(AF.jacobian(f, (a, b), **kw))
    return out


@program
def jacobian_non_contiguous_and_0d_inputs(torch):
    AF = torch.autograd.functional
    w = _x(torch, 4, 3).t()  # non-contiguous
    s = torch.tensor(0.7, dtype=torch.float64)
    res = [
        AF.jacobian(lambda w, s: (w * s).sin(), (w, s)),
        AF.jacobian(lambda w, s: (w * s).sin(), (w, s), vectorize=True),
        AF.jacobian(lambda s: s.exp(), s),
        AF.jacobian(lambda s: torch.stack([s, s * 2]), s, vectorize=True),
    ]
    return res, [r.is_contiguous() for r in res[:1][0]]


@program
def jacobian_create_graph_then_backward(torch):
    AF = torch.autograd.functional
    x = _x(torch, 3).requires_grad_()
    for vec in (False, True):
        J = AF.jacobian(lambda t: t.sin() * t.sum(), x, create_graph=True, vectorize=vec)
        (J**2).sum().backward()
    return J.requires_grad, x.grad


@program
def jacobian_of_module_parameters_captured(torch):
    AF = torch.autograd.functional
    lin = torch.nn.Linear(3, 2).double()
    x = _x(torch, 5, 3)
    J = AF.jacobian(lambda w: torch.nn.functional.linear(x, w, lin.bias), lin.weight.detach())
    Jf = AF.jacobian(lambda inp: lin(inp), x[0], vectorize=True, strategy="forward-mode")
    return J, Jf.detach(), Jf.requires_grad


@program
def hessian_tuple_inputs_every_mode(torch):
    AF = torch.autograd.functional
    a, b = _x(torch, 3), _x(torch, 2)

    def f(a, b):
        return (a.sin().sum() * b.exp().sum()) + (a[:2] * b).pow(3).sum()

    out = [AF.hessian(f, (a, b))]
    out.append(AF.hessian(f, (a, b), vectorize=True))
    h = AF.hessian(f, (a, b), vectorize=True, outer_jacobian_strategy="forward-mode")
    out.append(tuple(tuple(x.detach() for x in row) for row in h))
    return out, [[x.requires_grad for x in row] for row in h]


@program
def hessian_create_graph_third_order(torch):
    AF = torch.autograd.functional
    x = _x(torch, 3).requires_grad_()
    H = AF.hessian(lambda t: (t**4).sum() + t.prod(), x, create_graph=True)
    (g,) = torch.autograd.grad(H.trace(), x)
    return H, g


@program
def vjp_jvp_vhp_hvp_tuples(torch):
    AF = torch.autograd.functional
    a, b = _x(torch, 3), _x(torch, 3)

    def f(a, b):
        return a * b.exp(), (a - b).sum()

    def g(a, b):
        return (a.sin() * b).sum() + (a * b * b).sum()

    va, vb = _x(torch, 3), _x(torch, 3)
    return (
        AF.vjp(f, (a, b), (va, torch.tensor(2.0, dtype=torch.float64))),
        AF.jvp(f, (a, b), (va, vb)),
        AF.vhp(g, (a, b), (va, vb)),
        AF.hvp(g, (a, b), (va, vb)),
        AF.vhp(lambda s: s**3, torch.tensor(1.5, dtype=torch.float64)),
        AF.hvp(lambda s: s.exp(), torch.tensor([0.5], dtype=torch.float64)),
    )


@program
def vjp_create_graph_through_v(torch):
    AF = torch.autograd.functional
    x = _x(torch, 3).requires_grad_()
    v = _x(torch, 3).requires_grad_()
    out, vjp = AF.vjp(lambda t: t**3, x, v, create_graph=True)
    vjp.sum().backward()
    _, jvp = AF.jvp(lambda t: t.exp() * 2, x, v, create_graph=True)
    gx, gv = torch.autograd.grad(jvp.sum(), (x, v))
    return out, vjp, x.grad, v.grad, gx, gv


@program
def functional_strict_non_strict_independent(torch):
    AF = torch.autograd.functional
    x = _x(torch, 3)
    res = [
        AF.vjp(lambda t: t * 0 + 1, x, torch.ones(3, dtype=torch.float64)),
        AF.jacobian(lambda t: (t, torch.ones(2, dtype=torch.float64)), x),
        AF.hessian(lambda t: t.sum(), x),
        AF.hvp(lambda t: t.sum(), x, x),
    ]
    return res


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients")
def vjp_strict_constant_output(torch):
    AF = torch.autograd.functional
    AF.vjp(lambda t: torch.ones(3), torch.randn(3), torch.ones(3), strict=True)


@error(RuntimeError, r"Output 0 of the user-provided function is independent of input 1\. This")
def jacobian_strict_output_independent(torch):
    AF = torch.autograd.functional
    AF.jacobian(lambda a, b: (a * 2, b * 3), (torch.randn(3), torch.randn(2)), strict=True)


@error(RuntimeError, r"found that the jacobian of the user-provided function with respect to input 0 is independent of the input\. This is not allowed in strict mode")  # fmt: skip
def hvp_strict_linear_function(torch):
    AF = torch.autograd.functional
    AF.hvp(lambda t: (t * 3).sum(), torch.randn(3), torch.ones(3), strict=True)


@error(RuntimeError, r"The vector v can only be None if the user-provided function returns")
def vjp_v_none_vector_output(torch):
    torch.autograd.functional.vjp(lambda t: t * 2, torch.randn(3))


@error(RuntimeError, r"v has invalid size: should be torch\.Size\(\[3\]\) but got")
def jvp_v_wrong_size(torch):
    torch.autograd.functional.jvp(lambda t: t * 2, torch.randn(3), torch.randn(4))


@error(RuntimeError, r"Entry 1 in v has invalid size")
def hvp_v_tuple_wrong_size(torch):
    f = lambda a, b: (a * b).sum()  # noqa: E731
    torch.autograd.functional.hvp(f, (torch.randn(3), torch.randn(3)), (torch.randn(3), torch.randn(2)))  # fmt: skip


@error(TypeError, r"The outputs of the user-provided function given to jacobian must be either")
def jacobian_func_returns_float(torch):
    torch.autograd.functional.jacobian(lambda t: float(t.sum()), torch.randn(3))


@error(RuntimeError, r"The function given to hessian should return a single Tensor")
def hessian_func_returns_tuple(torch):
    torch.autograd.functional.hessian(lambda t: (t.sum(), t.sum()), torch.randn(3))


@error(RuntimeError, r"The Tensor returned by the function given to hvp should contain a single")
def hvp_func_returns_vector(torch):
    torch.autograd.functional.hvp(lambda t: t * 2, torch.randn(3), torch.randn(3))


@error(RuntimeError, r"only Tensors of floating point")
def jacobian_integer_input(torch):
    torch.autograd.functional.jacobian(lambda t: t * 2, torch.arange(3))


_CG_STRICT = r"^The {} of the user-provided function is independent of input 0\. This is not allowed in strict mode when create_graph=True\.$"  # fmt: skip


@error(RuntimeError, _CG_STRICT.format("jacobian"))
def jvp_strict_create_graph_linear(torch):
    AF = torch.autograd.functional
    AF.jvp(lambda a: a * 2, torch.randn(3), torch.randn(3), strict=True, create_graph=True)


@error(RuntimeError, _CG_STRICT.format("jacobian"))
def jacobian_strict_create_graph_identity(torch):
    AF = torch.autograd.functional
    AF.jacobian(lambda a: a, torch.randn(3), strict=True, create_graph=True)


@error(RuntimeError, _CG_STRICT.format("hessian"))
def hvp_strict_create_graph_quadratic(torch):
    AF = torch.autograd.functional
    AF.hvp(lambda a: (a * a).sum(), torch.randn(3), torch.randn(3), strict=True, create_graph=True)


@program
def functional_strict_create_graph_that_pass(torch):
    AF = torch.autograd.functional
    x, v = _x(torch, 3), _x(torch, 3)
    out = [
        AF.hessian(lambda a: (a**3).sum(), x, strict=True, create_graph=True),
        AF.vhp(lambda a: (a**3).sum(), x, v, strict=True, create_graph=True),
        AF.jvp(lambda a: a.exp(), x, v, strict=True),
    ]
    return out, [r.requires_grad for r in out[:1]]


@program
def functional_half_and_expanded_inputs(torch):
    AF = torch.autograd.functional
    h = torch.tensor([0.5, -1.0, 2.0]).half()
    e = _x(torch, 1).expand(3)
    return (
        AF.jacobian(lambda a: a * 2, h),
        AF.jacobian(lambda a: a * 2, h, vectorize=True),
        AF.jacobian(lambda a: a.exp(), e),
        AF.vjp(lambda a: a.exp(), e, torch.ones(3, dtype=torch.float64)),
        AF.vjp(lambda a: a**3, _x(torch, 3), torch.ones(3)),  # a float32 v for float64
    )


# ---- empty inputs and outputs: what PyTorch does ----------------------------------------------
@program
def functional_empty_inputs_products(torch):
    AF = torch.autograd.functional
    e = torch.zeros(0, dtype=torch.float64)
    return (
        AF.vjp(lambda a: a * 2, e, e),
        AF.jvp(lambda a: (a * 2).sum(), e, e),
        AF.vhp(lambda a: a.pow(2).sum(), e, e),
        AF.hvp(lambda a: a.pow(2).sum(), e, e, create_graph=True),
        AF.jacobian(lambda a: a.sum(), e),  # a non-empty (scalar) output of an empty input
        AF.jacobian(lambda a: a * 2, e, vectorize=True, strategy="forward-mode"),
        AF.jacobian(lambda a: (a[:0] * 2, a * 3), _x(torch, 3), vectorize=True),
        AF.jacobian(lambda a: torch.zeros(0, dtype=torch.float64), _x(torch, 3), vectorize=True),
        AF.jacobian(lambda a, b: a * b.sum(), (_x(torch, 3), e)),
    )


@error(RuntimeError, r"^stack expects a non-empty TensorList$")
def jacobian_empty_output(torch):
    torch.autograd.functional.jacobian(lambda a: a[:0] * 2, torch.randn(3))


@error(RuntimeError, r"^stack expects a non-empty TensorList$")
def jacobian_empty_input_create_graph_strict(torch):
    AF = torch.autograd.functional
    AF.jacobian(lambda a: a * 2, torch.zeros(0), create_graph=True, strict=True)


@error(RuntimeError, r"^stack expects a non-empty TensorList$")
def jacobian_one_empty_output_of_two(torch):
    AF = torch.autograd.functional
    AF.jacobian(lambda a: (a * 3, a[:0] * 2), torch.randn(3))


@error(RuntimeError, r"^stack expects a non-empty TensorList$")
def hessian_empty_input(torch):
    torch.autograd.functional.hessian(lambda a: a.pow(2).sum(), torch.zeros(0))


@error(IndexError, r"^index 0 is out of bounds for dimension 0 with size 0$")
def jacobian_vectorized_empty_output(torch):
    AF = torch.autograd.functional
    AF.jacobian(lambda a: a[:0] * 2, torch.randn(3), vectorize=True)


@error(IndexError, r"^index 0 is out of bounds for dimension 0 with size 0$")
def jacobian_vectorized_empty_input_create_graph(torch):
    AF = torch.autograd.functional
    AF.jacobian(lambda a: a * 2, torch.zeros(0), vectorize=True, create_graph=True)


@error(IndexError, r"^index 0 is out of bounds for dimension 0 with size 0$")
def hessian_vectorized_empty_input(torch):
    AF = torch.autograd.functional
    AF.hessian(lambda a: a.pow(2).sum(), torch.zeros(0), vectorize=True)


# ---- autograd.grad(is_grads_batched=True) ------------------------------------------------------
@program
def grad_batched_rows(torch):
    x = _x(torch, 3).requires_grad_()
    y, z = x**2, x.sum()
    eye = torch.eye(3, dtype=torch.float64)
    (g,) = torch.autograd.grad((y, z), x, (eye, torch.arange(3.0, dtype=torch.float64)), is_grads_batched=True, retain_graph=True)  # fmt: skip
    w = torch.ones(3, dtype=torch.float64, requires_grad=True)
    m = torch.autograd.grad(y, (x, w), eye, is_grads_batched=True, materialize_grads=True)
    return g, m


@error(IndexError, r"^index 0 is out of bounds for dimension 0 with size 0$")
def grad_batched_empty_batch(torch):
    x = torch.ones(3, requires_grad=True)
    torch.autograd.grad(x * 2, x, torch.zeros(0, 3), is_grads_batched=True)


@error(IndexError, r"^invalid index of a 0-dim tensor\. Use `tensor\.item\(\)` in Python")
def grad_batched_0d_grad_output(torch):
    x = torch.ones(3, requires_grad=True)
    torch.autograd.grad((x * 2).sum(), x, torch.tensor(2.0), is_grads_batched=True)


@error(ValueError, r"^vmap: Expected all tensors to have the same size in the mapped dimension, got sizes \[3, 2\] for the mapped dimension$")  # fmt: skip
def grad_batched_unequal_batches(torch):
    x = torch.ones(3, requires_grad=True)
    gos = (torch.eye(3), torch.tensor([2.0, 3.0]))
    torch.autograd.grad((x * 2, x.sum()), x, gos, is_grads_batched=True)


@error(ValueError, r"^vmap\(vjp, in_dims=0, \.\.\.\)\(<inputs>\): Got in_dim=0 for some input, but that input is a Tensor of dimensionality 0 so expected in_dim to satisfy 0 <= in_dim < 0\.$")  # fmt: skip
def grad_batched_scalar_output_without_grad_output(torch):
    x = torch.ones(3, requires_grad=True)
    torch.autograd.grad((x * 2).sum(), x, is_grads_batched=True)


@error(RuntimeError, r"the first dimension of each grad_output as the batch dimension.*grad_output\[0\] has a shape of torch\.Size\(\[\]\) and output\[0\] has a shape of torch\.Size\(\[3\]\)")  # fmt: skip
def grad_batched_wrong_row_shape(torch):
    x = torch.ones(3, requires_grad=True)
    torch.autograd.grad(x * 2, x, torch.ones(2, 4), is_grads_batched=True)


# ---- empty tuples of inputs or outputs --------------------------------------------------------
@program
def functional_empty_tuples_that_work(torch):
    AF = torch.autograd.functional
    x = _x(torch, 2)
    return (
        AF.jvp(lambda: torch.ones(2).sum(), (), ()),
        AF.jacobian(lambda a: (), x, vectorize=True, strategy="forward-mode"),
        AF.jacobian(lambda a, b: (), (x, x), vectorize=True, strategy="forward-mode"),
    )


@error(IndexError, r"^tuple index out of range$")
def jacobian_no_inputs(torch):
    torch.autograd.functional.jacobian(lambda: torch.ones(2), ())


@error(IndexError, r"^tuple index out of range$")
def jacobian_no_outputs_create_graph(torch):
    torch.autograd.functional.jacobian(lambda a: (), torch.ones(2), create_graph=True)


@error(IndexError, r"^tuple index out of range$")
def vjp_no_outputs(torch):
    torch.autograd.functional.vjp(lambda a: (), torch.ones(2), ())


@error(IndexError, r"^tuple index out of range$")
def jvp_no_outputs(torch):
    torch.autograd.functional.jvp(lambda a: (), torch.ones(2), torch.ones(2))


@error(IndexError, r"^tuple index out of range$")
def hvp_no_inputs(torch):
    torch.autograd.functional.hvp(lambda: torch.ones(2).sum(), (), ())


@error(IndexError, r"^tuple index out of range$")
def hessian_no_inputs_vectorized(torch):
    torch.autograd.functional.hessian(lambda: torch.ones(2).sum(), (), vectorize=True)


@error(AssertionError, r"^Expected at least one tensor$")
def jacobian_vectorized_no_outputs(torch):
    torch.autograd.functional.jacobian(lambda a, b: (), (torch.ones(2), torch.ones(1)), vectorize=True)  # fmt: skip


@error(AssertionError, r"^Expected at least one tensor$")
def jacobian_forward_mode_no_inputs(torch):
    w = torch.ones(2, requires_grad=True)
    AF = torch.autograd.functional
    AF.jacobian(lambda: w * 2, (), vectorize=True, strategy="forward-mode")


@error(AssertionError, r"^Expected at least one tensor$")
def hessian_forward_mode_no_inputs(torch):
    AF = torch.autograd.functional
    AF.hessian(lambda: torch.ones(2).sum(), (), vectorize=True, outer_jacobian_strategy="forward-mode")  # fmt: skip


# ---- custom autograd.Function ------------------------------------------------------------------
def _fn_classes(torch):
    F = torch.autograd.Function

    class ScaledExp(F):
        """Saves an input, the output and an intermediate; a non-Tensor argument."""

        @staticmethod
        def forward(ctx, x, scale, shift=0.0):
            e = torch.exp(x * scale)
            ctx.save_for_backward(x, e)
            ctx.scale = scale
            ctx.mid = e + shift
            return e + shift

        @staticmethod
        def backward(ctx, g):
            x, e = ctx.saved_tensors
            return g * e * ctx.scale, None, None

    class MulAdd(F):
        """New-style: forward without ctx, setup_context, needs_input_grad."""

        @staticmethod
        def forward(a, b, c):
            return a * b + c

        @staticmethod
        def setup_context(ctx, inputs, output):
            a, b, c = inputs
            ctx.save_for_backward(a, b)
            ctx.flags = ctx.needs_input_grad

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            ga = g * b if ctx.needs_input_grad[0] else None
            gb = g * a if ctx.needs_input_grad[1] else None
            gc = g if ctx.needs_input_grad[2] else None
            return ga, gb, gc

    return ScaledExp, MulAdd


@program
def function_saved_inputs_outputs_intermediates(torch):
    ScaledExp, _ = _fn_classes(torch)
    x = _x(torch, 4).requires_grad_()
    y = ScaledExp.apply(x, 0.5, 1.0)
    z = ScaledExp.apply(y, 2.0)  # used twice in one graph
    w = ScaledExp.apply(x, 0.5)
    (z.sum() + w.sum()).backward()
    return y, z, x.grad, type(y.grad_fn).__name__, y.grad_fn.scale, y.is_leaf


@program
def function_setup_context_needs_input_grad(torch):
    _, MulAdd = _fn_classes(torch)
    a = _x(torch, 3).requires_grad_()
    b = _x(torch, 3)
    c = _x(torch, 3).requires_grad_()
    out = MulAdd.apply(a, b, c)
    out.sum().backward()
    return out, a.grad, b.grad, c.grad, out.grad_fn.flags


@program
def function_double_backward(torch):
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    x = _x(torch, 3).requires_grad_()
    y = Cube.apply(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x, create_graph=True)
    (ggg,) = torch.autograd.grad(gg.sum(), x)
    return g, gg, ggg


@error(RuntimeError, r"trying to differentiate twice a function that was marked with @once_differentiable")  # fmt: skip
def function_once_differentiable_double_backward(torch):
    once_differentiable = torch.autograd.function.once_differentiable

    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.randn(3, requires_grad=True)
    y = Sq.apply(x)
    (g,) = torch.autograd.grad((y * y).sum(), x, create_graph=True)
    g.sum().backward()


@program
def function_once_differentiable_first_order(torch):
    once_differentiable = torch.autograd.function.once_differentiable

    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return (2 * x * g,)

    x = _x(torch, 3).requires_grad_()
    (g,) = torch.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
    y = Sq.apply(x)
    (h,) = torch.autograd.grad((y * y).sum(), x, create_graph=True)
    return g.requires_grad, g, h, type(h.grad_fn).__name__


@program
def function_mark_dirty_inplace(torch):
    class AddOne_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 1

    a = _x(torch, 3).requires_grad_()
    b = a * 2
    v = b._version
    c = AddOne_.apply(b)
    (c * c).sum().backward()
    return c is b, b._version > v, a.grad, type(c.grad_fn).__name__


@error(
    RuntimeError, r"^a leaf Variable that requires grad has been used in an in-place operation\.$"
)
def function_mark_dirty_on_leaf(torch):
    class AddOne_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    AddOne_.apply(torch.randn(3, requires_grad=True))


@program
def function_mark_non_differentiable_and_materialize(torch):
    class SortIdx(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            vals, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            return vals, idx

        @staticmethod
        def backward(ctx, gv, gi):
            (idx,) = ctx.saved_tensors
            return torch.zeros_like(gv).scatter(0, idx, gv)

    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            ctx.seen = (g1 is None, g2 is None)
            out = torch.zeros_like(g1 if g1 is not None else g2)
            if g1 is not None:
                out = out + 2 * g1
            if g2 is not None:
                out = out + 3 * g2
            return out

    x = _x(torch, 5).requires_grad_()
    vals, idx = SortIdx.apply(x)
    (vals * torch.arange(5.0, dtype=torch.float64)).sum().backward()
    y = _x(torch, 3).requires_grad_()
    p, q = Two.apply(y)
    q.sum().backward()
    return vals, idx, idx.requires_grad, x.grad, y.grad, q.grad_fn.seen


@program
def function_returns_none_grads_and_non_tensor_outputs(torch):
    class Pick(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, k):
            return x * k + y, k * 2

        @staticmethod
        def backward(ctx, g, _):
            return g * 2, None, None

    x = _x(torch, 3).requires_grad_()
    y = _x(torch, 3).requires_grad_()
    out, k2 = Pick.apply(x, y, 2)
    out.sum().backward()
    return out, k2, x.grad, y.grad


@error(RuntimeError, r"function MulBackward returned an incorrect number of gradients \(expected 2, got 1\)")  # fmt: skip
def function_wrong_number_of_grads(torch):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    a = torch.randn(3, requires_grad=True)
    Mul.apply(a, torch.randn(3)).sum().backward()


@error(RuntimeError, r"^Function BadBackward returned an invalid gradient at index 0 - got \[4\] but expected shape compatible with \[3\]$")  # fmt: skip
def function_wrong_grad_shape(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return torch.ones(4)

    a = torch.randn(3, requires_grad=True)
    Bad.apply(a).sum().backward()


@program
def function_grad_broadcastable_shape_is_summed(torch):
    class Bcast(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g.expand(2, 1, 3) * 2  # summed back to the input's shape

    a = _x(torch, 3).requires_grad_()
    Bcast.apply(a).sum().backward()
    return a.grad


@program
def function_grad_other_dtype_is_cast(torch):
    class GradDtype(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * 2 + b

        @staticmethod
        def backward(ctx, g):
            return (g * 2).double(), torch.ones(3, dtype=torch.int64)

    a = torch.randn(3, requires_grad=True)
    b = torch.randn(3, dtype=torch.float64, requires_grad=True)
    GradDtype.apply(a, b).sum().backward()
    return a.grad, b.grad


@program
def function_returns_input_as_is(torch):
    class Ident(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x

    x = _x(torch, 3).requires_grad_()
    h = x * 1
    y = Ident.apply(h)
    y.sum().backward()
    return y is h, y._base is h, x.grad, type(y.grad_fn).__name__


@program
def function_new_style_returns_input_as_is(torch):
    class Ident(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = _x(torch, 3).requires_grad_()
    h = x * 1
    y = Ident.apply(h)
    y.sum().backward()
    return y is h, x.grad


@error(RuntimeError, r"function PickBackward returned a gradient different than None at position 2, but the corresponding forward input was not a Variable")  # fmt: skip
def function_grad_for_non_tensor_input(torch):
    class Pick(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g, g

    Pick.apply(torch.randn(3, requires_grad=True), 2.0).sum().backward()


@error(RuntimeError, r"^can't retain_grad on Tensor that has requires_grad=False$")
def backward_inputs_tensor_without_grad(torch):
    x = torch.randn(3, requires_grad=True)
    (x * 2).sum().backward(inputs=[x, torch.ones(2)])


@program
def backward_inputs_retains_non_leaf_before_an_error(torch):
    x = _x(torch, 3).requires_grad_()
    y = x * 2
    try:
        (y * 3).sum().backward(inputs=[y, torch.ones(2)])
    except RuntimeError:
        pass
    return y.retains_grad, y.grad, x.grad


@error(RuntimeError, r"Trying to backward through the graph a second time \(or directly access saved tensors after they have already been freed\)")  # fmt: skip
def function_saved_tensors_after_backward(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    y = Sq.apply(torch.randn(3, requires_grad=True))
    y.sum().backward()
    y.grad_fn.saved_tensors


@error(TypeError, r"save_for_backward can only save variables, but argument 0 is of type float")
def function_save_non_tensor(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(1.5)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    Bad.apply(torch.randn(3, requires_grad=True))


@program
def function_save_none_and_twice(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, None)
            ctx.save_for_backward(y, None, x)  # the last call wins
            return x * y

        @staticmethod
        def backward(ctx, g):
            y, none, x = ctx.saved_tensors
            return g * y, g * x, none

    x, y = _x(torch, 3).requires_grad_(), _x(torch, 3).requires_grad_()
    out = Sq.apply(x, y)
    out.sum().backward()
    return x.grad, y.grad


@error(RuntimeError, r"Legacy autograd function with non-static forward method is deprecated\. Please use new-style autograd function with static forward method")  # fmt: skip
def function_legacy_instance_call(torch):
    class Old(torch.autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, g):
            return g

    Old()(torch.randn(3, requires_grad=True))


@program
def function_apply_under_no_grad_and_detached(torch):
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = _x(torch, 3).requires_grad_()
    with torch.no_grad():
        a = Double.apply(x)
    b = Double.apply(x.detach())
    c = Double.apply(x)
    return (a.requires_grad, a.grad_fn is None, b.requires_grad, c.requires_grad,
            c.is_leaf, type(c.grad_fn).__name__)  # fmt: skip


@program
def function_non_differentiable_output_backward(torch):
    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            a, b = x * 2, x.argmax()
            ctx.mark_non_differentiable(b)
            return a, b

        @staticmethod
        def backward(ctx, ga, gb):
            return ga * 2

    x = _x(torch, 4).requires_grad_()
    a, b = Two.apply(x)
    a.sum().backward()
    return b.requires_grad, b.grad_fn is None, b.is_leaf, x.grad


@error(RuntimeError, r"element 0 of tensors does not require grad and does not have a grad_fn")
def function_non_differentiable_output_backward_errors(torch):
    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            a = x * 2
            ctx.mark_non_differentiable(a)
            return a

        @staticmethod
        def backward(ctx, ga):
            return ga * 2

    Two.apply(torch.randn(3, requires_grad=True)).sum().backward()


@program
def function_materialize_grads_default_zeros(torch):
    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            ctx.got = (g1.sum().item(), g2.sum().item())
            return 2 * g1 + 3 * g2

    x = _x(torch, 3).requires_grad_()
    p, q = Two.apply(x)
    p.sum().backward()
    return x.grad, p.grad_fn.got


# ---- hooks -------------------------------------------------------------------------------------
@program
def tensor_hooks_leaf_and_non_leaf_order(torch):
    log = []
    x = _x(torch, 3).requires_grad_()
    h1 = x.register_hook(lambda g: log.append(("x1", g.sum().item())))
    x.register_hook(lambda g: g * 10)
    x.register_hook(lambda g: log.append(("x3", g.sum().item())))
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: log.append(("y", g.sum().item())) or g + 1)
    y.register_hook(lambda g: log.append(("y2", g.sum().item())))
    z = (y**2).sum()
    z.backward(retain_graph=True)
    first = (x.grad.clone(), y.grad.clone())
    h1.remove()
    h1.remove()  # a second remove is a no-op
    z.backward()
    return log, first, x.grad, y.grad


@program
def post_accumulate_grad_hook(torch):
    log = []
    w = _x(torch, 3).requires_grad_()

    def hook(p):
        log.append((p.grad.clone(), p is w))
        with torch.no_grad():
            p.add_(p.grad, alpha=-0.1)  # an optimizer step in the hook
        p.grad = None

    h = w.register_post_accumulate_grad_hook(hook)
    (w**2).sum().backward()
    (w**3).sum().backward()
    h.remove()
    (w * 2).sum().backward()
    return log, w.detach(), w.grad


@error(RuntimeError, r"post accumulate grad hooks cannot be registered on non-leaf tensors")
def post_accumulate_grad_hook_non_leaf(torch):
    x = torch.randn(3, requires_grad=True) * 2
    x.register_post_accumulate_grad_hook(lambda p: None)


@error(RuntimeError, r"cannot register a hook on a tensor that doesn't require gradient")
def register_hook_no_grad_tensor(torch):
    torch.randn(3).register_hook(lambda g: g)


@program
def retain_grad_views_and_twice(torch):
    x = _x(torch, 2, 3).requires_grad_()
    y = x * 3
    v = y[0]
    v.retain_grad()
    v.retain_grad()
    y.retain_grad()
    x.retain_grad()  # no-op on a leaf
    (v.sum() * 2 + y.sum()).backward()
    return v.grad, y.grad, x.grad, v.retains_grad, x.retains_grad, y.retains_grad


@program
def module_forward_hooks_with_kwargs(torch):
    log = []

    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(3, 2).double()

        def forward(self, x, scale=1.0):
            return self.lin(x) * scale

    m = M()

    def pre(mod, args, kwargs):
        log.append(("pre", sorted(kwargs)))
        return args, {**kwargs, "scale": 2.0}

    def post(mod, args, kwargs, out):
        log.append(("post", kwargs["scale"]))
        return out + 1

    def plain_pre(mod, args):
        log.append(("plain_pre", len(args)))

    def plain_post(mod, args, out):
        log.append(("plain_post", tuple(out.shape)))

    handles = [
        m.register_forward_pre_hook(pre, with_kwargs=True),
        m.register_forward_hook(post, with_kwargs=True),
        m.register_forward_pre_hook(plain_pre, prepend=True),
        m.register_forward_hook(plain_post, always_call=True),
    ]
    x = _x(torch, 4, 3)
    out1 = m(x, scale=0.5)
    for h in handles:
        h.remove()
    out2 = m(x, scale=0.5)
    return log, out1, out2


@program
def module_full_backward_hooks(torch):
    log = []
    lin = torch.nn.Linear(3, 2).double()

    def pre(mod, grad_output):
        log.append(("pre", [g.shape for g in grad_output]))
        return (grad_output[0] * 2,)

    def post(mod, grad_input, grad_output):
        log.append(("post", [None if g is None else g.sum().item() for g in grad_input]))
        return (grad_input[0] * 3,)

    h1 = lin.register_full_backward_pre_hook(pre)
    h2 = lin.register_full_backward_hook(post)
    x = _x(torch, 4, 3).requires_grad_()
    lin(x).pow(2).sum().backward()
    grads = (x.grad.clone(), lin.weight.grad.clone())
    h1.remove()
    h2.remove()
    x.grad = None
    lin(x).pow(2).sum().backward()
    return log, grads, x.grad


@program
def module_full_backward_hook_input_without_grad(torch):
    log = []
    lin = torch.nn.Linear(3, 2).double()
    lin.register_full_backward_hook(lambda m, gi, go: log.append((gi, go[0].shape)))
    lin(_x(torch, 4, 3)).sum().backward()
    return log, lin.bias.grad


@program
def tensor_hook_on_grad_of_tuple_output_and_removal_inside(torch):
    log = []
    x = _x(torch, 6).requires_grad_()
    a, b = x.split(3)
    handle = {}

    def once(g):
        log.append(g.sum().item())
        handle["h"].remove()

    handle["h"] = a.register_hook(once)
    loss = (a * b).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    return log, x.grad


@error(RuntimeError, r"^Backward pre hook returned an invalid number of grad_output, got 2, but expected 1$")  # fmt: skip
def module_backward_pre_hook_wrong_count(torch):
    lin = torch.nn.Linear(3, 2)

    def pre(mod, grad_output):
        return grad_output[0], grad_output[0]

    lin.register_full_backward_pre_hook(pre)
    lin(torch.randn(4, 3, requires_grad=True)).sum().backward()


@error(RuntimeError, r"hook 'bad' has changed the size of value")
def tensor_hook_wrong_shape(torch):
    x = torch.randn(3, requires_grad=True)
    y = x * 2

    def bad(g):
        return g[:2]

    y.register_hook(bad)
    y.sum().backward()


@program
def module_backward_hooks_two_inputs_outputs(torch):
    log = []

    class Two(torch.nn.Module):
        def forward(self, a, b):
            return a * b, a + b

    m = Two()
    m.register_full_backward_hook(
        lambda mod, gi, go: log.append(([g.sum().item() for g in gi], [g is None for g in go]))
    )
    a, b = _x(torch, 3).requires_grad_(), _x(torch, 3).requires_grad_()
    p, q = m(a, b)
    p.sum().backward()
    return log, a.grad, b.grad


@error(RuntimeError, r"Output 0 of BackwardHookFunction is a view and is being modified inplace\. This view was created inside a custom Function")  # fmt: skip
def module_backward_hook_inplace_on_output(torch):
    lin = torch.nn.Linear(3, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    out = lin(torch.randn(4, 3, requires_grad=True))
    out.relu_()


@program
def global_module_hooks(torch):
    log = []
    reg = torch.nn.modules.module
    h1 = reg.register_module_forward_pre_hook(lambda m, a: log.append(("pre", type(m).__name__)))
    h2 = reg.register_module_forward_hook(lambda m, a, o: log.append(("fwd", type(m).__name__)))
    try:
        net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
        net(torch.randn(1, 2))
    finally:
        h1.remove()
        h2.remove()
    net(torch.randn(1, 2))
    return log


# ---- higher order, retain_graph, anomaly, gradcheck -------------------------------------------
@program
def grad_third_order_with_grad_outputs(torch):
    x = _x(torch, 4).requires_grad_()
    w = _x(torch, 4).requires_grad_()
    y = (x.sin() * w).exp()
    v = _x(torch, 4)
    (g1,) = torch.autograd.grad(y, x, grad_outputs=v, create_graph=True)
    g2x, g2w = torch.autograd.grad(g1.sum(), (x, w), create_graph=True)
    (g3,) = torch.autograd.grad(g2x, x, grad_outputs=torch.ones_like(g2x))
    return g1, g2x, g2w, g3, g1.requires_grad, g3.requires_grad


@program
def grad_allow_unused_materialize(torch):
    x = _x(torch, 3).requires_grad_()
    u = _x(torch, 2).requires_grad_()
    y = (x**2).sum()
    a = torch.autograd.grad(y, (x, u), allow_unused=True, retain_graph=True)
    b = torch.autograd.grad(y, (x, u), materialize_grads=True, retain_graph=True)
    c = torch.autograd.grad(y, (x, u), materialize_grads=True, create_graph=True)
    return a, b, [t.requires_grad for t in c]


@error(RuntimeError, r"^The differentiated Tensor at index 1 appears to not have been used in the graph\. Set allow_unused=True if this is the desired behavior\.")  # fmt: skip
def grad_unused_input(torch):
    x, u = torch.randn(3, requires_grad=True), torch.randn(2, requires_grad=True)
    torch.autograd.grad((x**2).sum(), (x, u))


@error(ValueError, r"Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False\.")  # fmt: skip
def grad_materialize_with_allow_unused_false(torch):
    x = torch.randn(3, requires_grad=True)
    torch.autograd.grad(x.sum(), x, allow_unused=False, materialize_grads=True)


@program
def backward_inputs_subset(torch):
    a = _x(torch, 3).requires_grad_()
    b = _x(torch, 3).requires_grad_()
    c = a * 2
    c.retain_grad()
    loss = (c * b).sum()
    loss.backward(inputs=[b], retain_graph=True)
    after_b = (a.grad, b.grad.clone(), c.grad)
    loss.backward(inputs=(a, c))
    return after_b, a.grad, b.grad, c.grad


@error(RuntimeError, r"Trying to backward through the graph a second time \(or directly access saved tensors after they have already been freed\)\. Saved intermediate values of the graph are freed when you call \.backward\(\) or autograd\.grad\(\)\. Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward\.")  # fmt: skip
def backward_twice_message(torch):
    x = torch.randn(3, requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    y.backward()


@error(RuntimeError, r"^element 0 of tensors does not require grad and does not have a grad_fn$")
def backward_no_grad_tensor(torch):
    torch.randn(3).sum().backward()


@error(RuntimeError, r"^grad can be implicitly created only for scalar outputs")
def backward_non_scalar(torch):
    (torch.randn(3, requires_grad=True) * 2).backward()


@error(RuntimeError, r"Function 'ExpBackward0' returned nan values in its 0th output\.")
def anomaly_nan_in_backward(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.detect_anomaly():
        y = (x * float("inf")).exp() * 0
        y.sum().backward()


@program
def anomaly_mode_flags(torch):
    flags = [torch.is_anomaly_enabled()]
    with torch.autograd.detect_anomaly(check_nan=False):
        flags += [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]
        with torch.autograd.set_detect_anomaly(False):
            flags.append(torch.is_anomaly_enabled())
    flags.append(torch.is_anomaly_enabled())
    return flags


@program
def gradcheck_returns_and_raise_false(torch):
    gc, ggc = torch.autograd.gradcheck, torch.autograd.gradgradcheck
    x = _x(torch, 3).requires_grad_()
    y = _x(torch, 3).requires_grad_()

    class WrongGrad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t**2

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return 3 * t * g

    return (
        gc(lambda a, b: (a * b).sin(), (x, y)),
        gc(lambda a: a.exp(), (x,), fast_mode=True),
        ggc(lambda a, b: (a * b).sin(), (x, y)),
        gc(WrongGrad.apply, (x,), raise_exception=False),
        ggc(WrongGrad.apply, (x,), raise_exception=False),
        gc(lambda a: a.abs(), (x,), check_undefined_grad=True, check_batched_grad=False),
    )


def _wrong(torch):
    class Wrong(torch.autograd.Function):
        """Backward 3, jvp 5: the derivative is 2."""

        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

        @staticmethod
        def jvp(ctx, g):
            return g * 5

    return Wrong.apply


_MISMATCH = r"^Jacobian {}mismatch for output {} with respect to input {},\nnumerical:tensor\(\[\[2\.0000, 0\.0000\],\n        \[0\.0000, 2\.0000\]\], dtype=torch\.float64\)\nanalytical:tensor\(\[\[{v}\., 0\.\],\n        \[0\., {v}\.\]\], dtype=torch\.float64\)\n$"  # fmt: skip


@error(RuntimeError, _MISMATCH.format("", 0, 0, v=3))
def gradcheck_wrong_backward_message(torch):
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(_wrong(torch), (x,))


@error(RuntimeError, _MISMATCH.format("", 1, 1, v=3))
def gradcheck_wrong_backward_second_output_and_input(torch):
    x, y = (torch.randn(2, dtype=torch.float64, requires_grad=True) for _ in range(2))
    torch.autograd.gradcheck(lambda a, b: ((a * b).detach(), a * b, _wrong(torch)(b)), (x, y))


@error(RuntimeError, _MISMATCH.format("computed with forward mode ", 1, 0, v=5))
def gradcheck_wrong_jvp_message(torch):
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    fn = _wrong(torch)
    torch.autograd.gradcheck(lambda a: (a * 3, fn(a)), (x,), check_forward_ad=True, check_backward_ad=False)  # fmt: skip


@error(AssertionError, r"^Expected at least one of check_forward_ad or check_backward_ad to be True$")  # fmt: skip
def gradcheck_no_mode(torch):
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(torch.exp, (x,), check_backward_ad=False)


@error(AssertionError, r"^Setting check_batched_grad=True requires check_backward_ad to be True$")
def gradcheck_batched_without_backward(torch):
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(torch.exp, (x,), check_forward_ad=True, check_backward_ad=False, check_batched_grad=True)  # fmt: skip


@error(AttributeError, r"^'NoneType' object has no attribute 'requires_grad'$")
def gradcheck_function_returns_none(torch):
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(lambda a: None, (x,))


@program
def gradcheck_list_outputs_and_raise_false_on_second_output(torch):
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    fn = _wrong(torch)
    return (
        torch.autograd.gradcheck(lambda a: [a.exp(), a * 2], [x]),
        torch.autograd.gradcheck(lambda a: (a.exp(), fn(a)), (x,), raise_exception=False),
    )


# ---- profiler ----------------------------------------------------------------------------------
def _profiled(torch, **kw):
    x = torch.randn(8, 8, requires_grad=True)
    with torch.autograd.profiler.profile(**kw) as prof:
        with torch.autograd.profiler.record_function("my_block"):
            y = (x @ x).relu().sum()
        y.backward()
    return prof


@program
def profiler_events_structure(torch):
    prof = _profiled(torch, record_shapes=True)
    events = prof.function_events
    block = next(e for e in events if e.name == "my_block")
    mm = next(e for e in events if e.name == "aten::mm")
    relu = next(e for e in events if e.name == "aten::relu")
    outer = {e.name: e for e in events if e.name.startswith("autograd::engine::evaluate_function: ")}  # fmt: skip
    back = {e.name: e for e in events if e.name.endswith("Backward0") and e.name not in outer}
    names = {e.key for e in prof.key_averages()}
    return (
        (block.scope, block.sequence_nr, block.cpu_parent, block.is_user_annotation),
        [c.name for c in block.cpu_children],
        (mm.scope, mm.input_shapes, mm.cpu_parent.name, mm.sequence_nr >= 0),
        back["MmBackward0"].sequence_nr == mm.sequence_nr,
        back["ReluBackward0"].sequence_nr == relu.sequence_nr,
        sorted((n, e.scope, e.cpu_parent.name) for n, e in back.items()),
        sorted(
            (n, e.scope, e.cpu_parent, e.sequence_nr >= 0)
            for n, e in outer.items()
            if "Accumulate" not in n
        ),  # fmt: skip
        {"my_block", "aten::matmul", "aten::mm", "aten::relu", "aten::sum"} <= names,
    )


@program
def profiler_tables_and_averages(torch):
    prof = _profiled(torch, record_shapes=True, profile_memory=True)
    ka = prof.key_averages()
    table = ka.table(sort_by="self_cpu_time_total", row_limit=2).splitlines()
    by_shape = prof.key_averages(group_by_input_shape=True)
    total = ka.total_average()
    block = next(e for e in ka if e.key == "my_block")
    return (
        type(ka).__name__,
        type(block).__name__,
        (block.count, block.input_shapes, type(block.cpu_time_total).__name__),
        len(table),
        table[1].split(),
        (total.key, repr(total).split()[:2]),
        sorted({str(e.input_shapes) for e in by_shape if e.key == "aten::mm"}),
        type(prof.self_cpu_time_total).__name__,
        str(prof).splitlines()[1].split(),
        (block.device_time_str, block.device_time_total_str, block.self_device_time_total_str),
        [(e.device_time_str, e.self_device_time_total_str) for e in prof.function_events][:2],
        type(block.self_cpu_time_total_str).__name__,
    )


@error(AttributeError, r"'FunctionEventAvg' object has no attribute 'cpu_time_totl'")
def profiler_table_bad_sort_key(torch):
    _profiled(torch).key_averages().table(sort_by="cpu_time_totl")


@program
def profiler_chrome_trace(torch):
    import json
    import os
    import tempfile

    prof = _profiled(torch, record_shapes=True)
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        prof.export_chrome_trace(path)
        with open(path) as f:
            data = json.load(f)
    finally:
        os.remove(path)
    spans = [e for e in data["traceEvents"] if e.get("ph") == "X"]
    cats = {e["name"]: e["cat"] for e in spans}
    mm = next(e for e in spans if e["name"] == "aten::mm")
    back = next(e for e in spans if e["name"] == "MmBackward0")
    keys = {"name", "ph", "ts", "dur", "pid", "tid", "cat", "args"}
    return (
        type(data).__name__,
        all(keys <= set(e) for e in spans),
        cats["my_block"],
        cats["aten::mm"],
        cats["MmBackward0"],
        cats["autograd::engine::evaluate_function: MmBackward0"],
        mm["args"]["Input Dims"],
        mm["args"]["Sequence number"] == back["args"]["Sequence number"],
    )


@error(ValueError, r"^metric should be one of: \['self_cpu_time_total', 'self_cuda_time_total', 'self_xpu_time_total', 'self_privateuse1_time_total'\]$")  # fmt: skip
def profiler_export_stacks_bad_metric(torch):
    import os
    import tempfile

    with torch.autograd.profiler.profile(with_stack=True) as prof:
        torch.ones(2).exp()
    fd, path = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        prof.export_stacks(path, "cpu_time_total")
    finally:
        os.remove(path)


@program
def profiler_event_list_export_stacks(torch):
    import os
    import tempfile

    with torch.autograd.profiler.profile(with_stack=True) as prof:
        torch.ones(2).exp()
    events = prof.key_averages()
    fd, path = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        events.export_stacks(path, "self_cpu_time_total")
        with open(path) as f:
            text = f.read()
    finally:
        os.remove(path)
    return events.supported_export_stacks_metrics(), text


@error(AssertionError, r"^Profiler must be initialized before getting key averages$")
def profiler_key_averages_during_schedule_wait(torch):
    P = torch.profiler
    prof = P.profile(schedule=P.schedule(wait=2, warmup=1, active=1))
    prof.start()
    try:
        prof.key_averages()
    finally:
        prof.stop()


@error(AssertionError, r"^Profiler must be initialized before exporting chrome trace$")
def profiler_export_before_start(torch):
    torch.profiler.profile().export_chrome_trace("never_written.json")


@error(AssertionError, r"^Profiler must be initialized before accessing events$")
def profiler_events_before_start(torch):
    torch.profiler.profile().events()


@program
def profiler_gzipped_traces(torch):
    import gzip
    import json
    import os
    import tempfile

    P = torch.profiler
    folder = tempfile.mkdtemp()
    handler = P.tensorboard_trace_handler(folder, worker_name="w", use_gzip=True)
    with P.profile(on_trace_ready=handler):
        torch.ones(4).exp()
    with P.profile() as prof:
        torch.ones(4).exp()
    prof.export_chrome_trace(os.path.join(folder, "own.json.gz"))
    names = sorted(os.listdir(folder))
    loaded = []
    for name in names:
        with gzip.open(os.path.join(folder, name)) as f:
            loaded.append("traceEvents" in json.load(f))
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)
    return [n.split(".")[0] + "..." + n.split(".", 2)[-1] for n in names], loaded


# ---- research programs: gradient penalty, MAML, Hessian-vector products -------------------------
@program(tol={"rtol": 1e-4, "atol": 1e-6})
def wgan_gradient_penalty(torch):
    nn = torch.nn
    D = nn.Sequential(
        nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 8), nn.Softplus(), nn.Linear(8, 1)
    )
    real, fake = torch.randn(6, 4), torch.randn(6, 4)
    alpha = torch.rand(6, 1)
    mix = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = D(mix)
    (g,) = torch.autograd.grad(out, mix, torch.ones_like(out), create_graph=True, retain_graph=True)
    penalty = ((g.norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * penalty
    loss.backward()
    return penalty, [p.grad for p in D.parameters()]


@program(tol={"rtol": 1e-4, "atol": 1e-6})
def maml_inner_loop_second_order(torch):
    F = torch.nn.functional
    w1 = (torch.randn(3, 5) * 0.5).requires_grad_()
    b1 = torch.zeros(5, requires_grad=True)
    w2 = (torch.randn(5, 2) * 0.5).requires_grad_()
    params = [w1, b1, w2]

    def net(x, p):
        return torch.tanh(x @ p[0] + p[1]) @ p[2]

    xs, ys = torch.randn(8, 3), torch.randint(0, 2, (8,))
    xq, yq = torch.randn(8, 3), torch.randint(0, 2, (8,))
    fast = params
    for _ in range(2):
        loss = F.cross_entropy(net(xs, fast), ys)
        grads = torch.autograd.grad(loss, fast, create_graph=True)
        fast = [p - 0.1 * g for p, g in zip(fast, grads)]
    meta = F.cross_entropy(net(xq, fast), yq)
    meta.backward()
    return meta, [p.grad for p in params]


@program(tol={"rtol": 1e-4, "atol": 1e-6})
def hessian_vector_product_of_mlp_loss(torch):
    F = torch.nn.functional
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.GELU(), torch.nn.Linear(6, 3))
    x, y = torch.randn(5, 4), torch.randint(0, 3, (5,))
    params = list(model.parameters())
    loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    vs = [torch.randn_like(p) for p in params]
    hv = torch.autograd.grad(grads, params, grad_outputs=vs, retain_graph=True)
    gv = sum((g * v).sum() for g, v in zip(grads, vs))
    hv2 = torch.autograd.grad(gv, params)
    return hv, hv2


@program(tol={"rtol": 1e-4, "atol": 1e-6})
def functional_hvp_of_mlp_loss_in_parameters(torch):
    F = torch.nn.functional
    AF = torch.autograd.functional
    x, y = torch.randn(5, 3), torch.randint(0, 2, (5,))
    w = torch.randn(3, 2) * 0.3
    b = torch.zeros(2)

    def loss(w, b):
        return F.cross_entropy(torch.log_softmax(x @ w + b, dim=1), y)

    v = (torch.ones(3, 2), torch.ones(2))
    return AF.hvp(loss, (w, b), v), AF.hessian(loss, (w, b))[1][1]


@program
def profiler_accumulate_grad_events(torch):
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    x = torch.randn(5, 4, requires_grad=True)
    frozen = torch.randn(5, 4, requires_grad=True)
    with torch.autograd.profiler.profile() as prof:
        for _ in range(2):
            (model(x) + model(x * 2)).sum().backward()
        torch.autograd.grad(model(frozen).sum(), frozen)  # grad() accumulates into no leaf
    name = "torch::autograd::AccumulateGrad"
    outer = f"autograd::engine::evaluate_function: {name}"
    counts = {e.key: e.count for e in prof.key_averages() if "AccumulateGrad" in e.key}
    events = [e for e in prof.function_events if e.name == name]
    return (
        counts,
        {(e.scope, e.sequence_nr, e.cpu_parent.name) for e in events},
        {(e.scope, e.sequence_nr, e.cpu_parent) for e in prof.function_events if e.name == outer},
    )


@program
def profiler_backward_events_of_grad_and_backward_inputs(torch):
    x = torch.randn(5, 4, requires_grad=True)
    w = torch.randn(4, requires_grad=True)
    with torch.autograd.profiler.profile() as prof:
        y = x * 2
        torch.autograd.grad((y * w).sum(), y, retain_graph=True)  # a non-leaf input
        torch.autograd.grad((y * w).sum(), (x, w), retain_graph=True)
        (y * w).sum().backward(inputs=[w])
    short = "autograd::engine::evaluate_function: "
    return [
        (e.name.replace(short, "> "), e.sequence_nr >= 0, e.scope, e.cpu_parent is None)
        for e in prof.function_events
        if "Backward" in e.name or "AccumulateGrad" in e.name
    ]
