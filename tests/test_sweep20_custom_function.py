"""Session 11 sweep of custom autograd Functions: short programs written the way researchers
write them (straight-through estimators, gradient reversal, several outputs, ctx flags,
mark_dirty, saved tensors, hooks, grad modes, ``func`` transforms), checked against PyTorch
(tests/sweep_harness.py)."""

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _leaf(torch, *shape, dtype=None):
    return torch.randn(*shape, dtype=dtype or torch.float32).requires_grad_()


# ---- common research Functions -----------------------------------------------------------------
def _ste_sign(torch):
    class SignSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sign()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (x.abs() <= 1).to(g.dtype)

    return SignSTE


@program
def straight_through_sign(torch):
    x = _leaf(torch, 5) * 2
    x.retain_grad()
    y = _ste_sign(torch).apply(x)
    (y * torch.arange(5.0)).sum().backward()
    return y, x.grad, type(y.grad_fn).__name__, y.grad_fn.name()


@program
def gradient_reversal_layer(torch):
    class GradReverse(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, alpha):
            ctx.alpha = alpha
            return x.view_as(x)

        @staticmethod
        def backward(ctx, g):
            return g.neg() * ctx.alpha, None

    lin = torch.nn.Linear(3, 2)
    x = _leaf(torch, 4, 3)
    feats = lin(x)
    out = GradReverse.apply(feats, 0.5)
    out.pow(2).sum().backward()
    return out, x.grad, lin.weight.grad, lin.bias.grad, out.grad_fn.name()


@program
def clamp_with_pass_through_gradient(torch):
    class ClampPT(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, lo, hi):
            return x.clamp(lo, hi)

        @staticmethod
        def backward(ctx, g):
            return g, None, None

    x = _leaf(torch, 6) * 3
    x.retain_grad()
    y = ClampPT.apply(x, -1.0, 1.0)
    y.sum().backward()
    return y, x.grad


@program
def several_outputs_some_unused(torch):
    class SplitStats(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.mean(0), x.std(0), x.shape[0]

        @staticmethod
        def backward(ctx, g_mean, g_std, _):
            (x,) = ctx.saved_tensors
            n = x.shape[0]
            centered = x - x.mean(0)
            std = x.std(0)
            return g_mean / n + g_std * centered / ((n - 1) * std)

    x = _leaf(torch, 5, 3)
    mean, std, n = SplitStats.apply(x)
    mean.sum().backward()
    return mean, std, n, x.grad, std.requires_grad


@program
def none_gradient_for_one_input(torch):
    class ScaleBy(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(w)
            return x * w

        @staticmethod
        def backward(ctx, g):
            (w,) = ctx.saved_tensors
            return g * w, None

    x, w = _leaf(torch, 3), _leaf(torch, 3)
    ScaleBy.apply(x, w).sum().backward()
    return x.grad, w.grad


@program
def needs_input_grad_mixed(torch):
    seen = []

    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, k):
            ctx.save_for_backward(a, b)
            return a * b * k

        @staticmethod
        def backward(ctx, g):
            seen.append(ctx.needs_input_grad)
            a, b = ctx.saved_tensors
            ga = g * b if ctx.needs_input_grad[0] else None
            gb = g * a if ctx.needs_input_grad[1] else None
            return ga, gb, None

    a = _leaf(torch, 3)
    b = torch.randn(3)
    Mul.apply(a, b, 2.0).sum().backward()
    return a.grad, seen


@program
def once_differentiable_numpy_backward(torch):
    once_differentiable = torch.autograd.function.once_differentiable

    class NpSquare(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.from_numpy(x.detach().numpy() ** 2)

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return torch.from_numpy(2 * x.numpy() * g.numpy())

    x = _leaf(torch, 4, dtype=torch.float64)
    y = NpSquare.apply(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    return y, g, g.requires_grad


def _once_differentiable_square(torch):
    """x * x with a ``@once_differentiable`` backward."""

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    return Square


@error(RuntimeError, r"element 0 of tensors does not require grad and does not have a grad_fn")  # fmt: skip
def once_differentiable_gradient_is_a_constant(torch):
    Square = _once_differentiable_square(torch)
    x = _leaf(torch, 3)
    (g,) = torch.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    g.sum().backward()


@error(RuntimeError, r"trying to differentiate twice a function that was marked with @once_differentiable")  # fmt: skip
def once_differentiable_double_backward(torch):
    Square = _once_differentiable_square(torch)
    x = _leaf(torch, 3)
    v = torch.ones(3, requires_grad=True)
    (g,) = torch.autograd.grad(Square.apply(x), x, v, create_graph=True)
    assert g.requires_grad and type(g.grad_fn).__name__ == "Error"
    g.sum().backward()


@program
def gradient_cast_to_input_dtype(torch):
    class ToDouble(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.double() * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2  # float64, for a float32 input

    x = _leaf(torch, 3)
    y = _leaf(torch, 3, dtype=torch.float16)
    (ToDouble.apply(x).sum() + ToDouble.apply(y).sum()).backward()
    return x.grad, y.grad


@program
def materialize_grads_off(torch):
    got = []

    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x.clone(), x.clone() * 2

        @staticmethod
        def backward(ctx, g1, g2):
            got.append((g1 is None, g2 is None))
            out = torch.zeros_like(g1 if g1 is not None else g2)
            if g1 is not None:
                out = out + g1
            if g2 is not None:
                out = out + 2 * g2
            return out

    x = _leaf(torch, 3)
    a, b = Two.apply(x)
    b.sum().backward()
    return x.grad, got


@program
def materialize_grads_on_gives_zeros(torch):
    got = []

    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone(), x.clone() * 2

        @staticmethod
        def backward(ctx, g1, g2):
            got.append(g1.clone())
            return g1 + 2 * g2

    x = _leaf(torch, 3)
    a, b = Two.apply(x)
    b.sum().backward()
    return x.grad, got


@program
def mark_non_differentiable_argmax(torch):
    class MaxWithIndex(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            values, idx = x.max(dim=1)
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            ctx.shape = x.shape
            return values, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            (idx,) = ctx.saved_tensors
            out = torch.zeros(ctx.shape, dtype=g.dtype)
            out.scatter_(1, idx.unsqueeze(1), g.unsqueeze(1))
            return out

    x = _leaf(torch, 3, 4)
    v, i = MaxWithIndex.apply(x)
    v.sum().backward()
    return v, i, i.requires_grad, i.grad_fn is None, x.grad


@program
def mark_non_differentiable_float_mask(torch):
    class ReluMask(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            mask = (x > 0).to(x.dtype)
            ctx.mark_non_differentiable(mask)
            ctx.save_for_backward(mask)
            return x * mask, mask

        @staticmethod
        def backward(ctx, g, g_mask):
            (mask,) = ctx.saved_tensors
            return g * mask

    x = _leaf(torch, 5)
    y, m = ReluMask.apply(x)
    (y.sum() + m.sum()).backward()
    return y, m, m.requires_grad, x.grad


@program
def mark_dirty_inplace_relu(torch):
    class ReLU_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            x.clamp_(min=0)
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * (y > 0).to(g.dtype)

    a = _leaf(torch, 6)
    b = a * 1.0
    version = b._version
    c = ReLU_.apply(b)
    c.sum().backward()
    return c is b, b._version - version, type(b.grad_fn).__name__, a.grad


@error(RuntimeError, r"a leaf Variable that requires grad has been used in an in-place operation")  # fmt: skip
def mark_dirty_on_a_leaf(torch):
    class Inc(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            x.add_(1)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    Inc.apply(_leaf(torch, 3))


@program
def mark_dirty_on_a_view(torch):
    class Double_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            return x.mul_(2)

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    a = _leaf(torch, 2, 3)
    base = a.clone()
    row = base[0]
    Double_.apply(row)
    base.sum().backward()
    return base, a.grad, type(base.grad_fn).__name__


@program
def save_output_for_backward(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = _leaf(torch, 4, dtype=torch.float64)
    y = Exp.apply(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    return y, g, gg


@program
def save_intermediate_for_backward(torch):
    class Tanh2(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            t = torch.tanh(x)
            ctx.save_for_backward(t)
            return t * t

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return g * 2 * t * (1 - t * t)

    x = _leaf(torch, 4, dtype=torch.float64)
    y = Tanh2.apply(x)
    y.sum().backward()
    return y, x.grad


@program
def intermediate_saved_is_not_double_differentiable(torch):
    class Tanh2(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            t = torch.tanh(x)
            ctx.save_for_backward(t)
            return t * t

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return g * 2 * t * (1 - t * t)

    x = _leaf(torch, 4, dtype=torch.float64)
    (g,) = torch.autograd.grad(Tanh2.apply(x).sum(), x, create_graph=True)
    return g, g.requires_grad


@program
def saved_attribute_non_tensor(torch):
    class Pow(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, p):
            ctx.p = p
            ctx.save_for_backward(x)
            return x**p

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * ctx.p * x ** (ctx.p - 1), None

    x = torch.rand(4, requires_grad=True)
    Pow.apply(x, 3).sum().backward()
    return x.grad


@error(RuntimeError, r"Trying to backward through the graph a second time")
def saved_tensors_after_free(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    y = Sq.apply(_leaf(torch, 3)).sum()
    y.backward()
    y.backward()


@program
def retain_graph_backward_twice(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = _leaf(torch, 3)
    y = Sq.apply(x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified by an inplace operation")  # fmt: skip
def saved_input_modified_in_place(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    a = _leaf(torch, 3)
    b = a * 1
    y = Sq.apply(b)
    b.add_(1)
    y.sum().backward()


# ---- grad modes and autocast -----------------------------------------------------------------
def _cube(torch):
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    return Cube


@program
def apply_under_no_grad(torch):
    x = _leaf(torch, 3)
    with torch.no_grad():
        y = _cube(torch).apply(x)
    return y, y.requires_grad, y.grad_fn is None


@program
def apply_under_inference_mode(torch):
    x = _leaf(torch, 3)
    with torch.inference_mode():
        y = _cube(torch).apply(x)
    return y, y.requires_grad, y.is_inference()


@program
def grad_enabled_inside_forward(torch):
    seen = []

    class Probe(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(torch.is_grad_enabled())
            return x * 2

        @staticmethod
        def backward(ctx, g):
            seen.append(torch.is_grad_enabled())
            return g * 2

    x = _leaf(torch, 2)
    Probe.apply(x).sum().backward()
    (g,) = torch.autograd.grad(Probe.apply(x).sum(), x, create_graph=True)
    return seen, x.grad


@program
def no_input_requires_grad(torch):
    y = _cube(torch).apply(torch.randn(3))
    return y, y.requires_grad, y.grad_fn is None


@program
def custom_fwd_cast_inputs_under_autocast(torch):
    custom_fwd, custom_bwd = torch.amp.custom_fwd, torch.amp.custom_bwd

    dtypes = []

    class MM(torch.autograd.Function):
        @staticmethod
        @custom_fwd(device_type="cpu", cast_inputs=torch.float32)
        def forward(ctx, a, b):
            dtypes.append((a.dtype, b.dtype))
            ctx.save_for_backward(a, b)
            return a @ b

        @staticmethod
        @custom_bwd(device_type="cpu")
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            dtypes.append(g.dtype)
            return g @ b.t(), a.t() @ g

    a = _leaf(torch, 2, 3)
    b = _leaf(torch, 3, 2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        inner = a @ b
        y = MM.apply(inner, b.t().contiguous())
    y.float().sum().backward()
    return y.dtype, inner.dtype, dtypes, a.grad


@program
def custom_fwd_without_cast_keeps_autocast(torch):
    custom_fwd, custom_bwd = torch.amp.custom_fwd, torch.amp.custom_bwd

    seen = []

    class Lin(torch.autograd.Function):
        @staticmethod
        @custom_fwd(device_type="cpu")
        def forward(ctx, x, w):
            seen.append(torch.is_autocast_enabled("cpu"))
            ctx.save_for_backward(x, w)
            return x @ w

        @staticmethod
        @custom_bwd(device_type="cpu")
        def backward(ctx, g):
            seen.append(torch.is_autocast_enabled("cpu"))
            x, w = ctx.saved_tensors
            return g @ w.t().to(g.dtype), x.t().to(g.dtype) @ g

    x = _leaf(torch, 2, 3)
    w = _leaf(torch, 3, 4)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y = Lin.apply(x, w)
    y.float().sum().backward()
    return y.dtype, seen, x.grad.dtype, w.grad.dtype


# ---- hooks, graph, names ---------------------------------------------------------------------
@program
def hook_on_function_output(torch):
    seen = []
    x = _leaf(torch, 3)
    y = _cube(torch).apply(x)
    y.register_hook(lambda g: seen.append(g.clone()) or g * 10)
    y.sum().backward()
    return seen, x.grad


@program
def node_hooks_on_custom_grad_fn(torch):
    seen = []
    x = _leaf(torch, 3)
    y = _cube(torch).apply(x)
    y.grad_fn.register_prehook(lambda gout: seen.append(("pre", gout[0].clone())))
    y.grad_fn.register_hook(lambda gin, gout: seen.append(("post", gin[0].clone())))
    y.sum().backward()
    return seen, x.grad


@program
def grad_fn_next_functions(torch):
    class Add(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, n, b):
            return a + b * n

        @staticmethod
        def backward(ctx, g):
            return g, None, g * 2

    a = _leaf(torch, 2)
    b = torch.randn(2)
    y = Add.apply(a * 2, 2, b)
    fns = [(type(f).__name__ if f is not None else None, nr) for f, nr in y.grad_fn.next_functions]
    return fns, type(y.grad_fn).__name__, y.grad_fn.name()


@program
def retain_grad_on_function_output(torch):
    x = _leaf(torch, 3)
    y = _cube(torch).apply(x)
    y.retain_grad()
    (y * 2).sum().backward()
    return y.grad, x.grad, y.is_leaf


@program
def returns_input_unchanged(torch):
    class Ident(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = _leaf(torch, 3)
    y = Ident.apply(x)
    y.sum().backward()
    return y is x, y._base is x, x.grad, y.grad_fn.name()


@error(RuntimeError, r"This view was created inside a custom Function")
def view_output_modified_in_place(torch):
    class ViewFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)

        @staticmethod
        def backward(ctx, g):
            return g.view(2, 2)

    a = _leaf(torch, 2, 2) * 1
    ViewFn.apply(a).add_(1)


# ---- setup_context style, vjp/jvp aliases, FunctionCtx ---------------------------------------
@program
def setup_context_style(torch):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(x, y, scale=2.0):
            return x * y * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, y, scale = inputs
            ctx.save_for_backward(x, y)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y * ctx.scale, g * x * ctx.scale, None

    x, y = _leaf(torch, 3), _leaf(torch, 3)
    out = Mul.apply(x, y)
    out2 = Mul.apply(x, y, scale=0.5)
    (out + out2).sum().backward()
    return out, out2, x.grad, y.grad


@program
def vjp_alias_for_backward(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def vjp(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = _leaf(torch, 3)
    Sq.apply(x).sum().backward()
    return x.grad


@program
def jvp_with_forward_ad(torch):
    fwAD = torch.autograd.forward_ad

    class Sin(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(x)
            ctx.save_for_backward(x)
            return x.sin()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x.cos()

        @staticmethod
        def jvp(ctx, t):
            (x,) = ctx.saved_tensors
            return t * x.cos() * 10  # deliberately not the derivative: the jvp must be used

    x = torch.randn(4, dtype=torch.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, torch.ones(4, dtype=torch.float64))
        y = Sin.apply(d)
        p, t = fwAD.unpack_dual(y)
    return p, t


@error(NotImplementedError, r"You must implement the jvp function for custom autograd.Function to use it with forward mode AD")  # fmt: skip
def forward_ad_without_jvp(torch):
    fwAD = torch.autograd.forward_ad

    with fwAD.dual_level():
        d = fwAD.make_dual(torch.randn(3), torch.ones(3))
        _cube(torch).apply(d)


@program
def function_ctx_direct(torch):
    FunctionCtx = torch.autograd.function.FunctionCtx

    ctx = FunctionCtx()
    x = torch.randn(3)
    ctx.save_for_backward(x)
    ctx.mark_non_differentiable(x)
    ctx.set_materialize_grads(False)
    return isinstance(ctx, FunctionCtx), ctx.materialize_grads


@error(RuntimeError, r"Legacy autograd function with non-static forward method is deprecated")
def legacy_non_static_forward(torch):
    class Old(torch.autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, g):
            return g * 2

    Old()(torch.randn(3))


@error(NotImplementedError, r"You must implement either the backward or vjp method")
def missing_backward(torch):
    class NoBack(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    NoBack.apply(_leaf(torch, 3)).sum().backward()


@error(RuntimeError, r"function SqBackward returned an incorrect number of gradients \(expected 1, got 2\)")  # fmt: skip
def too_many_gradients(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g, g

    Sq.apply(_leaf(torch, 3)).sum().backward()


@error(RuntimeError, r"Function SqBackward returned an invalid gradient at index 0 - got \[2\] but expected shape compatible with \[3\]")  # fmt: skip
def wrong_gradient_shape(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g[:2]

    Sq.apply(_leaf(torch, 3)).sum().backward()


@program
def gradient_expanded_shape_is_summed(torch):
    class Bcast(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.expand(4, *g.shape) * 2

    x = _leaf(torch, 3)
    Bcast.apply(x).sum().backward()
    return x.grad


@error(TypeError, r"save_for_backward can only save variables, but argument 0 is of type int")
def save_for_backward_non_tensor(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    Bad.apply(_leaf(torch, 3))


@program
def save_for_backward_none(torch):
    class MaybeBias(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, bias):
            ctx.save_for_backward(x, bias)
            return x if bias is None else x + bias

        @staticmethod
        def backward(ctx, g):
            x, bias = ctx.saved_tensors
            return g, None if bias is None else g

    x = _leaf(torch, 3) * 1
    y = MaybeBias.apply(x, None)
    return y.requires_grad, y.grad_fn.name()


@program
def non_tensor_outputs(torch):
    class WithInfo(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, "info", 3, None

        @staticmethod
        def backward(ctx, g, *_):
            return g * 2

    x = _leaf(torch, 3)
    y, s, n, nothing = WithInfo.apply(x)
    y.sum().backward()
    return y, s, n, nothing, x.grad


@program
def integer_output_not_differentiable(torch):
    class Quant(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x * 4).round().to(torch.int64), x * 4

        @staticmethod
        def backward(ctx, gq, gx):
            return gx * 4

    x = _leaf(torch, 3)
    q, y = Quant.apply(x)
    y.sum().backward()
    return q, q.requires_grad, x.grad


@program
def tensors_in_list_argument_get_no_gradient(torch):
    class SumList(torch.autograd.Function):
        @staticmethod
        def forward(ctx, xs, w):
            return sum(xs) * w

        @staticmethod
        def backward(ctx, g):
            return None, g * 2

    a = _leaf(torch, 3)
    w = _leaf(torch, 3)
    y = SumList.apply([a, a * 2], w)
    y.sum().backward()
    return y, a.grad, w.grad, y.requires_grad


@program
def double_backward_through_custom_backward(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = _leaf(torch, 3, dtype=torch.float64)
    (g,) = torch.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.pow(2).sum(), x)
    return g, gg


@program
def gradcheck_custom_function(torch):
    class Sig(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = torch.sigmoid(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y * (1 - y)

    x = torch.randn(4, dtype=torch.float64, requires_grad=True)
    return torch.autograd.gradcheck(Sig.apply, (x,)), torch.autograd.gradgradcheck(Sig.apply, (x,))


@program
def function_inside_module_training_step(torch):
    class BinaryAct(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.where(x >= 0, 1.0, -1.0)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (1 - torch.tanh(x) ** 2)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(4, 8)
            self.fc2 = torch.nn.Linear(8, 1)

        def forward(self, x):
            return self.fc2(BinaryAct.apply(self.fc1(x)))

    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, net.fc1.weight


# ---- func transforms -------------------------------------------------------------------------
def _gen_vmap_cube(torch, **extra):
    class Cube(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])
            ctx.save_for_forward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

        @staticmethod
        def jvp(ctx, t):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * t

    for k, v in extra.items():
        setattr(Cube, k, v)
    return Cube


@program
def func_grad_vmap_of_custom_function(torch):
    Cube = _gen_vmap_cube(torch)
    x = torch.randn(3, 4, dtype=torch.float64)
    g = torch.func.grad(lambda t: Cube.apply(t).sum())(x[0])
    vg = torch.func.vmap(torch.func.grad(lambda t: Cube.apply(t).sum()))(x)
    jr = torch.func.jacrev(Cube.apply)(x[0])
    jf = torch.func.jacfwd(Cube.apply)(x[0])
    p, t = torch.func.jvp(Cube.apply, (x[0],), (torch.ones(4, dtype=torch.float64),))
    return g, vg, jr, jf, p, t, torch.func.vmap(Cube.apply)(x)


@error(RuntimeError, r"it must override the setup_context staticmethod")
def func_grad_of_old_style_function(torch):
    x = torch.randn(3)
    torch.func.grad(lambda t: _cube(torch).apply(t).sum())(x)


@error(RuntimeError, r"You tried to vmap over Cube, but it does not have vmap support")
def vmap_without_vmap_rule(torch):
    Cube = _gen_vmap_cube(torch, generate_vmap_rule=False)
    torch.func.vmap(Cube.apply)(torch.randn(2, 3))


@error(RuntimeError, r"it has both generate_vmap_rule=True and an overridden vmap staticmethod")
def vmap_rule_twice(torch):
    Cube = _gen_vmap_cube(torch, vmap=staticmethod(lambda info, in_dims, x: (x, 0)))
    torch.func.vmap(Cube.apply)(torch.randn(2, 3))


@error(NotImplementedError, r"You must implement the jvp function for custom autograd.Function to use it with forward mode AD")  # fmt: skip
def func_jvp_without_jvp(torch):
    Cube = _gen_vmap_cube(torch, jvp=torch.autograd.Function.jvp)
    x = torch.randn(3)
    torch.func.jvp(Cube.apply, (x,), (torch.ones(3),))


@program
def vmap_with_custom_vmap_staticmethod(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

        @staticmethod
        def vmap(info, in_dims, x, k):
            return Scale.apply(x, k), in_dims[0]

    x = torch.randn(4, 3)
    return torch.func.vmap(Scale.apply, in_dims=(0, None))(x, 2.5)


@program
def mark_dirty_function_keeps_its_tangent(torch):
    fwAD = torch.autograd.forward_ad

    class Exp_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            x.exp_()
            ctx.save_for_forward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def jvp(ctx, t):
            (y,) = ctx.saved_tensors
            return t.mul_(y)

    x = torch.tensor([0.0, 1.0, -1.0], dtype=torch.float64, requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(x.clone(), torch.ones(3, dtype=torch.float64))
        y = Exp_.apply(d)
        return fwAD.unpack_dual(y).tangent, y is d


@program
def needs_input_grad_read_in_forward(torch):
    seen = []

    class LinearFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w, b):
            seen.append(ctx.needs_input_grad)
            if ctx.needs_input_grad[1]:
                ctx.save_for_backward(x, w)
            else:
                ctx.save_for_backward(None, w)
            return x @ w.t() + b

        @staticmethod
        def backward(ctx, g):
            x, w = ctx.saved_tensors
            gx = g @ w if ctx.needs_input_grad[0] else None
            gw = g.t() @ x if ctx.needs_input_grad[1] else None
            return gx, gw, g.sum(0) if ctx.needs_input_grad[2] else None

    x = torch.randn(4, 3)
    w = _leaf(torch, 2, 3)
    b = torch.zeros(2)
    LinearFn.apply(x, w, b).sum().backward()
    with torch.no_grad():
        LinearFn.apply(x, w, b)
    return seen, w.grad


@error(RuntimeError, r"Some elements marked as dirty during the forward method were not returned as output")  # fmt: skip
def mark_dirty_input_not_returned(torch):
    class Scale_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            x.mul_(2)
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    Scale_.apply(torch.ones(3))


@program
def same_tensor_returned_twice(torch):
    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            return y, y

        @staticmethod
        def backward(ctx, g1, g2):
            return 2 * (g1 + g2)

    x = _leaf(torch, 3)
    a, b = Twice.apply(x)
    (a + 2 * b).sum().backward()
    return a is b, x.grad


@error(NotImplementedError, r"You must implement the forward function for custom autograd.Function")  # fmt: skip
def function_without_forward(torch):
    class OnlyBackward(torch.autograd.Function):
        @staticmethod
        def backward(ctx, g):
            return g

    OnlyBackward.apply(_leaf(torch, 2))


@error(TypeError, r"got an unexpected keyword argument 'factor'")
def apply_with_unknown_keyword(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(x, scale=2.0):
            return x * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.scale = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.scale, None

    Scale.apply(_leaf(torch, 2), factor=3.0)


@program
def apply_keyword_tensor_old_style_gets_no_gradient(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale=None):
            return x * scale

        @staticmethod
        def backward(ctx, g):
            return g, None

    x, s = _leaf(torch, 2), _leaf(torch, 2)
    Scale.apply(x, scale=s).sum().backward()
    return x.grad, s.grad


@program
def apply_keyword_tensor_setup_context_style_is_bound(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(x, scale=None):
            return x * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(*inputs)

        @staticmethod
        def backward(ctx, g):
            x, s = ctx.saved_tensors
            return g * s, g * x

    x, s = _leaf(torch, 2), _leaf(torch, 2)
    Scale.apply(x, scale=s).sum().backward()
    return x.grad, s.grad


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified by an inplace operation: \[torch.FloatTensor \[3\]\], which is output 0 of Exp, is at version 1; expected version 0 instead")  # fmt: skip
def saved_output_modified_in_place(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    y = Exp.apply(_leaf(torch, 3))
    y.add_(1)
    y.sum().backward()


@program
def saved_tensors_hooks_on_custom_function(torch):
    packed = []

    def pack(t):
        packed.append(tuple(t.shape))
        return t * 1

    x = _leaf(torch, 3)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t * 10):
        y = _cube(torch).apply(x)
    y.sum().backward()
    return packed, x.grad


@program
def custom_function_inside_checkpoint(torch):
    x = _leaf(torch, 3)
    y = torch.utils.checkpoint.checkpoint(
        lambda t: _cube(torch).apply(t).sin(), x, use_reentrant=False
    )
    y.sum().backward()
    return y, x.grad


@program
def variadic_inputs(torch):
    class SumAll(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *xs):
            ctx.n = len(xs)
            return sum(xs)

        @staticmethod
        def backward(ctx, g):
            return (g,) * ctx.n

    xs = [_leaf(torch, 2) for _ in range(3)]
    SumAll.apply(*xs).sum().backward()
    return [x.grad for x in xs]


@program
def autograd_functional_jacobian_of_old_style(torch):
    Cube = _cube(torch)
    x = torch.tensor([1.0, 2.0, -0.5], dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(Cube.apply, x)
    hess = torch.autograd.functional.hessian(lambda t: Cube.apply(t).sum(), x)
    return jac, hess


@program
def func_hessian_and_vjp_of_custom_function(torch):
    Cube = _gen_vmap_cube(torch)
    x = torch.tensor([1.0, 2.0, -0.5], dtype=torch.float64)
    hess = torch.func.hessian(lambda t: Cube.apply(t).sum())(x)
    out, vjp_fn = torch.func.vjp(Cube.apply, x)
    gg = torch.func.grad(lambda t: torch.func.grad(lambda u: Cube.apply(u).sum())(t).sum())(x)
    return hess.abs(), out, vjp_fn(torch.ones(3, dtype=torch.float64)), gg


@program
def forward_ad_non_differentiable_output(torch):
    fwAD = torch.autograd.forward_ad

    class ArgmaxToo(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x * 2, x.argmax()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.mark_non_differentiable(output[1])

        @staticmethod
        def backward(ctx, g, gi):
            return g * 2

        @staticmethod
        def jvp(ctx, t):
            return t * 2, None

    x = torch.tensor([1.0, 3.0, 2.0], dtype=torch.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, torch.ones(3, dtype=torch.float64))
        a, i = ArgmaxToo.apply(d)
        return fwAD.unpack_dual(a).tangent, fwAD.unpack_dual(i).tangent, i


def _numpy_sin(torch):
    once_differentiable = torch.autograd.function.once_differentiable

    class NumpySin(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return torch.from_numpy(np.sin(x.detach().numpy()))

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])
            ctx.save_for_forward(inputs[0])

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return torch.from_numpy(np.cos(x.numpy()) * g.numpy())

        @staticmethod
        def jvp(ctx, t):
            (x,) = ctx.saved_tensors
            return x.cos() * t

    return NumpySin


@program
def func_jvp_uses_the_functions_jvp_rule(torch):
    # forward mode in PyTorch: the numpy backward (not differentiable) is never called
    NumpySin = _numpy_sin(torch)
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    out, tangent = torch.func.jvp(lambda t: NumpySin.apply(t) * 2, (x,), (torch.ones_like(x),))
    jac = torch.func.jacfwd(lambda t: NumpySin.apply(t).exp())(x)
    return out, tangent, jac


def _bad_jvp(torch):
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g * 2

        @staticmethod
        def jvp(ctx, t):
            return t[:1] * 2  # wrong shape

    return Double


@error(RuntimeError, r"Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. Tensor is of size \[3\] while the given forward gradient is of size \[1\]")  # fmt: skip
def jvp_rule_of_wrong_shape(torch):
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        _bad_jvp(torch).apply(fwAD.make_dual(torch.ones(3), torch.ones(3)))


@error(RuntimeError, r"Trying to set a forward gradient that has a different size")
def func_jvp_rule_of_wrong_shape(torch):
    torch.func.jvp(_bad_jvp(torch).apply, (torch.ones(3),), (torch.ones(3),))


@program
def inplace_function_round(torch):
    class Round(torch.autograd.function.InplaceFunction):
        @staticmethod
        def forward(ctx, x, inplace=False):
            if inplace:
                ctx.mark_dirty(x)
                return x.round_()
            return x.round()

        @staticmethod
        def backward(ctx, g):
            return g, None

    x = torch.tensor([0.4, 1.6, -2.5], requires_grad=True)
    y = Round.apply(x * 1, True)
    z = Round.apply(x * 3)
    (y.sum() + z.sum()).backward()
    return y, z, x.grad, type(y.grad_fn).__name__


@program
def per_sample_gradients_through_custom_activation(torch):
    class Relu(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x.clamp(min=0)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (x > 0)

    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 1))
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p, xb, yb):
        h = torch.func.functional_call(model[0], {"weight": p["0.weight"], "bias": p["0.bias"]}, (xb,))  # fmt: skip
        out = torch.func.functional_call(model[1], {"weight": p["1.weight"], "bias": p["1.bias"]}, (Relu.apply(h),))  # fmt: skip
        return ((out - yb) ** 2).mean()

    xs, ys = torch.randn(5, 3), torch.randn(5, 1)
    return torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0, 0))(params, xs, ys)


@program
def vmap_in_dims_and_out_dims_of_a_function(torch):
    class MinMax(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x, dim):
            return x.max(dim).values, x.min(dim).values, x.argmax(dim)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.mark_non_differentiable(output[2])

        @staticmethod
        def backward(ctx, gmax, gmin, _):
            raise AssertionError("not differentiated here")

    x = torch.randn(2, 4, 3, dtype=torch.float64)
    a = torch.func.vmap(MinMax.apply, in_dims=(1, None))(x, 1)
    b = torch.func.vmap(MinMax.apply, in_dims=(0, None), out_dims=(1, 0, 0))(x, 0)
    return a, b


@program
def deprecated_saved_variables(torch):
    import warnings

    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                (x,) = ctx.saved_variables
            assert "saved_variables" in str(caught[0].message)
            return 2 * x * g

    x = _leaf(torch, 3)
    Sq.apply(x).sum().backward()
    return x.grad


@program
def profiler_names_a_custom_function(torch):
    x = _leaf(torch, 3)
    with torch.profiler.profile() as prof:
        _cube(torch).apply(x).sum().backward()
    keys = {e.key for e in prof.key_averages()}
    return sorted(k for k in keys if "Cube" in k)


# ---- torch.library.custom_op ------------------------------------------------------------------
@program
def custom_op_with_autograd(torch):
    @torch.library.custom_op("sweep20::numpy_sin", mutates_args=())
    def numpy_sin(x: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(np.sin(x.detach().numpy()))

    @numpy_sin.register_fake
    def _(x):
        return torch.empty_like(x)

    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()

    numpy_sin.register_autograd(backward, setup_context=setup_context)
    x = _leaf(torch, 4)
    y = numpy_sin(x)
    y.sum().backward()
    return y, x.grad, type(y.grad_fn).__name__


@error(RuntimeError, r"Trying to backward through sweep20.no_formula.default but no autograd formula was registered. Please use register_autograd to add one")  # fmt: skip
def custom_op_without_autograd_formula(torch):
    @torch.library.custom_op("sweep20::no_formula", mutates_args=())
    def no_formula(x: torch.Tensor) -> torch.Tensor:
        return x * 2

    no_formula(_leaf(torch, 3)).sum().backward()


@program
def custom_op_keyword_only_and_two_outputs(torch):
    @torch.library.custom_op("sweep20::scaled_pair", mutates_args=())
    def scaled_pair(x: torch.Tensor, *, alpha: float = 2.0) -> tuple[torch.Tensor, torch.Tensor]:
        return x * alpha, x.exp()

    seen = []

    def setup_context(ctx, inputs, keyword_only_inputs, output):
        seen.append((len(inputs), keyword_only_inputs))
        ctx.alpha = keyword_only_inputs["alpha"]
        ctx.save_for_backward(output[1])

    def backward(ctx, ga, gb):
        (e,) = ctx.saved_tensors
        return ga * ctx.alpha + gb * e

    scaled_pair.register_autograd(backward, setup_context=setup_context)
    x = _leaf(torch, 3)
    a, b = scaled_pair(x, alpha=3.0)
    (a + b).sum().backward()
    return a, b, x.grad, seen


@program
def custom_op_mutating_its_input(torch):
    @torch.library.custom_op("sweep20::scale_", mutates_args={"x"})
    def scale_(x: torch.Tensor, k: float) -> None:
        x.mul_(k)

    t = torch.ones(3)
    out = scale_(t, 3.0)
    return out, t


@error(ValueError, r"infer_schema\(func\): Parameter x must have a type annotation")
def custom_op_without_annotations(torch):
    @torch.library.custom_op("sweep20::unannotated", mutates_args=())
    def unannotated(x):
        return x * 2


@error(RuntimeError, r"The output of this custom operator \(1\) must not also be an input to this custom operator")  # fmt: skip
def custom_op_returning_its_input(torch):
    @torch.library.custom_op("sweep20::identity", mutates_args=())
    def identity(x: torch.Tensor) -> torch.Tensor:
        return x

    identity(torch.ones(2))


@error(TypeError, r"missing 1 required keyword-only argument: 'mutates_args'")
def custom_op_without_mutates_args(torch):
    torch.library.custom_op("sweep20::no_mutates")(lambda x: x)


@error(RuntimeError, r"it must override the setup_context staticmethod")
def custom_op_under_func_grad(torch):
    @torch.library.custom_op("sweep20::cube", mutates_args=())
    def cube(x: torch.Tensor) -> torch.Tensor:
        return x**3

    cube.register_autograd(lambda ctx, g: g, setup_context=lambda ctx, inputs, output: None)
    torch.func.grad(lambda t: cube(t).sum())(torch.ones(3))


@program
def detached_input_returned_is_no_view(torch):
    class Detach(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.detach()

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = _leaf(torch, 2)
    y = Detach.apply(x)
    y.sum().backward()
    base_is_x = y._base is x
    y.add_(1)  # allowed: not a view made inside the Function
    return x.grad, base_is_x, y.grad_fn.name(), y._version


@program
def library_register_functions_by_name(torch):
    @torch.library.custom_op("sweep20::numpy_tanh", mutates_args=())
    def numpy_tanh(x: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(np.tanh(x.detach().numpy()))

    torch.library.register_fake("sweep20::numpy_tanh")(lambda x: torch.empty_like(x))

    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)

    torch.library.register_autograd("sweep20::numpy_tanh", backward, setup_context=setup_context)

    @torch.library.register_kernel("sweep20::numpy_tanh", "cpu")
    def _(x):
        return torch.tanh(x) * 1.0

    x = _leaf(torch, 4, dtype=torch.float64)
    y = numpy_tanh(x)
    y.sum().backward()
    return y, x.grad


@error(AttributeError, r"'_OpNamespace' 'nolib' object has no attribute 'nothing'")
def library_register_autograd_of_unknown_op(torch):
    torch.library.register_autograd("nolib::nothing", lambda ctx, g: g)
