"""Session 14 sweep: behaviours PyTorch's test/autograd/test_inference_mode.py,
test_forward_mode.py, test_node_lifecycle.py and test_autograd.py check (inference tensors,
grad modes nested in inference_mode, views made under no_grad or inference_mode, forward-mode
AD, node lifetime), as our own programs run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

NO_GRAD_VIEW = r"A view was created in no_grad mode and is being modified inplace with grad mode enabled\. Given that this use case is ambiguous and error-prone, it is forbidden"  # fmt: skip
INFERENCE_VIEW = r"A view was created in inference mode and is being modified inplace in normal mode\. Given that this use case is ambiguous and error-prone, it is forbidden\. You can clarify your code by moving both the view and the inplace either both inside the inference_mode block"  # fmt: skip
INDIRECT = r"A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled"  # fmt: skip


def _flags(t):
    return t.requires_grad, t.is_leaf, t.grad_fn is None, t._is_view(), t.is_inference()


def _outcome(fn):
    """fn()'s result, or its exception's type name and first words (for a sequence of steps
    where some raise)."""
    try:
        return fn()
    except RuntimeError as e:
        return "RuntimeError", str(e)[:60]


# ---- views made under no_grad of a tensor that requires grad ----------------------------------
@program
def no_grad_view_flags(torch):
    a = torch.randn(3, 4, requires_grad=True)
    with torch.no_grad():
        views = [a[1], a.view(12), a.t(), a.narrow(1, 0, 2), a.unsqueeze(0), a.expand(2, 3, 4)]
        views += list(a.unbind()) + list(a.split(2, dim=1)) + [a.reshape(2, 6)]
    return [_flags(v) for v in views]


@program
def no_grad_view_of_non_leaf_flags(torch):
    x = torch.randn(3, 4, requires_grad=True) * 2
    with torch.no_grad():
        v = x[0]
    return _flags(v), v._base is x


@program
def no_grad_view_of_tensor_without_grad(torch):
    x = torch.randn(3, 4)
    with torch.no_grad():
        v = x[0]
    v.add_(1)  # no autograd involved: allowed
    return _flags(v), v, x


@program
def no_grad_reshape_copy_is_no_view(torch):
    a = torch.randn(3, 4, requires_grad=True)
    with torch.no_grad():
        r = a.t().reshape(12)  # non-contiguous: a copy
    return _flags(r)


@program
def no_grad_view_records_but_sends_nothing(torch):
    a = torch.randn(3, 4, requires_grad=True)
    with torch.no_grad():
        v = a[1]
    out = (v * 2).sum()
    out.backward()
    names = [None if n is None else type(n).__name__ for n, _ in (v * 2).grad_fn.next_functions]
    return out.requires_grad, out.grad_fn is not None, a.grad, v.grad, names


@program
def no_grad_view_mixed_with_leaf(torch):
    a = torch.randn(3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:]
    (v * b).sum().backward()
    return a.grad, b.grad


@program
def no_grad_view_hooks_never_run(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    calls = []
    v.register_hook(lambda g: calls.append("hook"))
    v.register_post_accumulate_grad_hook(lambda t: calls.append("post"))
    v.retain_grad()
    (v * 3).sum().backward()
    return calls, v.grad


@program
def no_grad_view_requires_grad_flag(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    off = v.requires_grad_(False).requires_grad  # its base still requires grad
    with torch.no_grad():
        w = a[:2]
    w.requires_grad_()  # its own gradient from now on
    (w * 3).sum().backward()
    return off, w.grad, a.grad


@program
def no_grad_view_numpy_refused(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    return _outcome(lambda: v.numpy()), _outcome(lambda: v.detach().numpy().shape)


@program
def no_grad_view_detach_and_clone(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    c = v.clone()
    return _flags(v.detach()), c.requires_grad, c.grad_fn is not None


@program
def no_grad_view_in_custom_function(torch):
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            seen.append(ctx.needs_input_grad)
            return g * 2

    seen = []
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    out = Double.apply(v)
    out.sum().backward()
    return out.requires_grad, seen, a.grad


@error(RuntimeError, NO_GRAD_VIEW)
def no_grad_view_inplace_with_grad(torch):
    a = torch.randn(3, 4, requires_grad=True)
    with torch.no_grad():
        v = a[1]
    v.mul_(2)


@error(RuntimeError, NO_GRAD_VIEW)
def no_grad_view_of_non_leaf_inplace_with_grad(torch):
    x = torch.randn(3, 4, requires_grad=True) * 1
    with torch.no_grad():
        v = x.t()
    v.zero_()


@error(RuntimeError, NO_GRAD_VIEW)
def no_grad_unbind_view_fill(torch):
    x = torch.randn(3, 4, requires_grad=True) * 1
    with torch.no_grad():
        rows = x.unbind()
    rows[0].fill_(5.0)


@error(RuntimeError, r"created in no_grad mode and is being modified inplace with grad mode enabled")  # fmt: skip
def no_grad_view_setitem(torch):
    x = torch.randn(3, 4, requires_grad=True) * 1
    with torch.no_grad():
        row = x[0]
    row[1] = 5.0


@program
def no_grad_view_inplace_under_no_grad(torch):
    a = torch.ones(3, 4, requires_grad=True)
    with torch.no_grad():
        v = a[1]
        v.mul_(2)
    return a, v, v.requires_grad  # (PyTorch's v.grad_fn would raise now: its base changed)


@error(RuntimeError, r"Output 0 of Slice is a view of a view which was created in no_grad mode and is being modified inplace with grad mode enabled")  # fmt: skip
def no_grad_view_of_view_inplace(torch):
    x = torch.randn(3, 4, requires_grad=True) * 1
    with torch.no_grad():
        v = x[0]
    w = v[1:]
    w.add_(1)


@program
def no_grad_view_of_view_flags(torch):
    a = torch.randn(3, 4, requires_grad=True)
    with torch.no_grad():
        v = a.view(12)
    w = v.view(3, 4)
    return _flags(w), type(w.grad_fn).__name__


@error(RuntimeError, INDIRECT)
def no_grad_view_used_after_base_changed(torch):
    x = torch.randn(3, 4, requires_grad=True) * 1
    with torch.no_grad():
        v = x[0]
    x.mul_(2)
    v * 2


@error(RuntimeError, INDIRECT)
def no_grad_view_used_after_base_changed_under_no_grad(torch):
    x = torch.randn(3, 4, requires_grad=True) * 1
    with torch.no_grad():
        v = x[0]
        x.add_(1)
    v.sum()


@program
def no_grad_view_used_under_no_grad_after_base_changed(torch):
    a = torch.ones(3, 4, requires_grad=True)
    with torch.no_grad():
        v = a[0]
        a.add_(1)
        out = v * 2
    return out, _flags(out)


@program
def no_grad_view_backward_root(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    return _outcome(lambda: v.backward(torch.ones(2)))


@error(RuntimeError, r"The differentiated Tensor at index 0 appears to not have been used in the graph")  # fmt: skip
def no_grad_view_grad_wrt_view(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    torch.autograd.grad((v * 2).sum(), v)


@program
def no_grad_view_grad_wrt_base_allow_unused(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        v = a[:2]
    return torch.autograd.grad((v * 2).sum(), a, allow_unused=True)


@program
def set_grad_enabled_false_view(torch):
    a = torch.randn(2, 3, requires_grad=True)
    torch.set_grad_enabled(False)
    try:
        v = a.transpose(0, 1)
    finally:
        torch.set_grad_enabled(True)
    return _flags(v)


@program
def parameter_view_under_no_grad(torch):
    p = torch.nn.Parameter(torch.ones(2, 3))
    with torch.no_grad():
        flat = p.view(-1)
    y = (flat * 3).sum()
    y.backward()
    return _flags(flat), y.requires_grad, p.grad


# ---- inference_mode: the mode itself ----------------------------------------------------------
@program
def inference_mode_nesting_flags(torch):
    seen = [(torch.is_inference_mode_enabled(), torch.is_grad_enabled())]
    with torch.inference_mode():
        seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
        with torch.inference_mode(False):
            seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
            with torch.no_grad():
                seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
        with torch.inference_mode(mode=True):
            seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
        seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
    with torch.no_grad():
        with torch.inference_mode(False):
            seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
        seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
    seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
    return seen


@program
def enable_grad_inside_inference_mode(torch):
    a = torch.randn(3, requires_grad=True)
    with torch.inference_mode():
        with torch.enable_grad():
            flags = (torch.is_grad_enabled(), torch.is_inference_mode_enabled())
            y = a * 2
            z = torch.ones(2, requires_grad=True)
            w = z * 3
        after = torch.is_grad_enabled()
    return flags, after, _flags(y), _flags(z), _flags(w), _outcome(lambda: y.sum().backward())


@program
def set_grad_enabled_inside_inference_mode(torch):
    a = torch.randn(3, requires_grad=True)
    seen = []
    with torch.inference_mode():
        with torch.set_grad_enabled(True):
            seen.append(torch.is_grad_enabled())
            seen.append(_flags(a.exp()))
            with torch.no_grad():
                seen.append(torch.is_grad_enabled())
            seen.append(torch.is_grad_enabled())
            with torch.inference_mode():
                seen.append(torch.is_grad_enabled())
            seen.append(torch.is_grad_enabled())
        seen.append(torch.is_grad_enabled())
    seen.append(torch.is_grad_enabled())
    return seen


@program
def enable_grad_decorator_inside_inference_mode(torch):
    @torch.enable_grad()
    def double(x):
        return x * 2, torch.is_grad_enabled()

    a = torch.randn(2, requires_grad=True)
    with torch.inference_mode():
        y, on = double(a)
    return on, _flags(y), torch.is_grad_enabled()


@program
def inplace_on_leaf_inside_inference_mode_with_enable_grad(torch):
    a = torch.ones(3, requires_grad=True)
    n = torch.zeros(3)
    with torch.inference_mode():
        with torch.enable_grad():
            a.mul_(2)
            n.add_(a)
    return a._version, a.grad_fn is None, _flags(n), n


@error(RuntimeError, r"Can't call numpy\(\) on Tensor that requires grad")
def numpy_refused_with_enable_grad_inside_inference_mode(torch):
    a = torch.ones(2, requires_grad=True)
    with torch.inference_mode(), torch.enable_grad():
        a.numpy()


@program
def inference_mode_decorators(torch):
    @torch.inference_mode()
    def f(x):
        return x * x, torch.is_inference_mode_enabled(), torch.is_grad_enabled()

    @torch.inference_mode
    def g(x):
        return x + 1

    @torch.inference_mode(False)
    def h(x):
        return x * 2, torch.is_inference_mode_enabled()

    a = torch.ones(1, 2, requires_grad=True)
    y, inf, grad = f(a)
    with torch.inference_mode():
        z, inner = h(a)
    return _flags(y), inf, grad, _flags(g(a)), _flags(z), inner


@program
def inference_mode_generator_decorator(torch):
    @torch.inference_mode()
    def gen():
        for _ in range(2):
            yield torch.is_inference_mode_enabled(), torch.ones(1).is_inference()

    return list(gen()), torch.is_inference_mode_enabled()


# ---- inference tensors ------------------------------------------------------------------------
@program
def inference_tensor_creation(torch):
    with torch.inference_mode():
        c = torch.ones(1, 2, 3)
        r = torch.ones(2, requires_grad=True)
        s = torch.ones(2).requires_grad_(False)
        t = torch.tensor([1.0, 2.0])
        z = torch.zeros_like(c)
        q = torch.randn(2)
    return [_flags(x) for x in (c, r, s, t, z, q)] + [torch.is_inference(c)]


@program
def inference_functional_and_view_ops_inside(torch):
    out = []
    with torch.inference_mode():
        for requires_grad in (True, False):
            c = torch.ones(1, 2, 3, requires_grad=requires_grad)
            out += [_flags(c * c), _flags(c.view(-1)), _flags(c.sum())]
            c.add_(2)
            c.transpose_(0, 1)
            out += [_flags(c), tuple(c.shape)]
    return out


@program
def inference_tensor_in_normal_mode(torch):
    with torch.inference_mode():
        c = torch.ones(1, 2, 3)
    return [_flags(c * c), _flags(c.view(-1)), _flags(c.view_as(c)), _flags(c[0]), c[0]._base]


@program
def inference_leaf_gets_gradient(torch):
    s = torch.ones(1, 2, 3, requires_grad=True)
    with torch.inference_mode():
        c = torch.ones(1, 2, 3, requires_grad=True)
    out = c.add(s)
    out.backward(torch.ones_like(out))
    return _flags(out), c.grad, s.grad


@error(RuntimeError, r"Inference tensors cannot be saved for backward\. Please do not use Tensors created in inference mode in computation tracked by autograd")  # fmt: skip
def inference_tensor_saved_by_mul(torch):
    s = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        c = torch.ones(2)
    c * s


@program
def inference_tensor_in_stack_and_cat(torch):
    s = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        c = torch.ones(2, requires_grad=True)
    out = torch.stack([s, c]).sum() + torch.cat([c, s]).sum() * 2
    out.backward()
    return _flags(out), s.grad, c.grad


@error(RuntimeError, r"Inference tensors cannot be saved for backward")
def inference_tensor_saved_by_inplace_mul(torch):
    a = torch.ones(2, requires_grad=True).clone()
    with torch.inference_mode():
        c = torch.ones(2)
    a.mul_(c)


@program
def inference_tensor_not_saved_by_add(torch):
    a = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        c = torch.full((2,), 3.0)
    y = (a + c) * a
    y.sum().backward()
    return y, a.grad


@error(RuntimeError, r"Inplace update to inference tensor outside InferenceMode is not allowed")
def inference_tensor_inplace_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2, 3)
    c.add_(1)


@error(RuntimeError, r"Inplace update to inference tensor outside InferenceMode is not allowed")
def inference_tensor_transpose_inplace_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2, 3)
    c.transpose_(0, 1)


@error(RuntimeError, r"Inplace update to inference tensor outside InferenceMode is not allowed")
def inference_tensor_setitem_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2, 3)
    c[0] = 2.0


@error(RuntimeError, r"out=\.\.\. arguments don't support automatic differentiation, but one of the arguments requires grad")  # fmt: skip
def inference_tensor_as_out_with_grad_input(torch):
    s = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        c = torch.ones(2)
    torch.mul(s, s, out=c)


@program
def inference_tensor_inplace_under_no_grad_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    return _outcome(lambda: torch.no_grad()(lambda: c.add_(1))())


@error(RuntimeError, r"Inference tensors do not track version counter")
def inference_tensor_version(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    c._version


@error(RuntimeError, r"Setting requires_grad=True on inference tensor outside InferenceMode is not allowed")  # fmt: skip
def inference_tensor_requires_grad_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    c.requires_grad_()


@program
def inference_tensor_requires_grad_inside_then_grad(torch):
    with torch.inference_mode():
        c = torch.ones(2)
        c.requires_grad = True
    y = (c + torch.ones(2, requires_grad=True)).sum()
    y.backward()
    return _flags(c), c.grad


@program
def inference_tensor_clone_is_normal(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    d = c.clone()
    d.add_(1)
    return _flags(d), d, _flags(c.detach())


@program
def normal_tensor_inplace_inside_inference_mode(torch):
    out = []
    for requires_grad in (True, False):
        a = torch.ones(1, 2, 3, requires_grad=requires_grad).clone()
        with torch.inference_mode():
            a.add_(2)
            a.transpose_(0, 1)
            v = a.view(-1)
            out += [_flags(a), _flags(v), a._version]
        a.add_(1)
        out += [_flags(a), a._version, a]
    return out


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified by an inplace operation")  # fmt: skip
def saved_tensor_changed_inside_inference_mode(torch):
    a = torch.ones(2, requires_grad=True).clone()
    out = a * a
    with torch.inference_mode():
        a.add_(2)
    out.sum().backward()


@program
def normal_tensor_views_inside_inference_mode(torch):
    out = []
    for requires_grad in (True, False):
        a = torch.ones(1, 2, 3, requires_grad=requires_grad).clone()
        with torch.inference_mode():
            v = a.view(-1)
            w = v.view(-1)
            out += [_flags(v), _flags(w)]
            w.add_(2)
            out += [a._version == w._version, w.requires_grad]
        out.append(_outcome(lambda v=v: _flags(v * v)))  # raises where v requires grad
    return out


@error(RuntimeError, INFERENCE_VIEW)
def inference_view_modified_in_normal_mode(torch):
    a = torch.ones(1, 2, 3, requires_grad=True).clone()
    with torch.inference_mode():
        v = a.view_as(a)
    v.add_(2)


@error(RuntimeError, INFERENCE_VIEW)
def inference_view_transposed_in_normal_mode(torch):
    a = torch.ones(1, 2, 3, requires_grad=True).clone()
    with torch.inference_mode():
        v = a.view_as(a)
    v.transpose_(0, 1)


@program
def inference_view_without_grad_modified_in_normal_mode(torch):
    a = torch.ones(1, 2, 3).clone()
    with torch.inference_mode():
        v = a.view_as(a)
    v.add_(2)
    v.transpose_(0, 1)
    return _flags(v), a, tuple(v.shape)


@error(RuntimeError, r"A view was created in inference mode and its base or another view of its base has been modified inplace in normal mode")  # fmt: skip
def inference_view_used_after_base_changed(torch):
    a = torch.ones(1, 2, 3, requires_grad=True).clone()
    with torch.inference_mode():
        v = a.view(-1)
    a.add_(2)
    v * 2


@program
def inference_view_of_view_in_normal_mode(torch):
    a = torch.ones(1, 2, 3, requires_grad=True).clone()
    with torch.inference_mode():
        v = a.view(-1)
    w = v.view(2, 3)
    return _flags(w), _flags(a.view_as(v))


@program
def mixed_view_as(torch):
    out = []
    for requires_grad in (True, False):
        s = torch.ones(1, 2, 3, requires_grad=requires_grad)
        with torch.inference_mode():
            c = torch.ones(1, 2, 3)
        out += [_flags(c.view_as(s)), _flags(s.view_as(c))]
    return out


@program
def inference_mode_module_forward(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    x = torch.randn(4, 3)
    with torch.inference_mode():
        y = lin(x)
    train = lin(x).sum()
    train.backward()
    return _flags(y), y, lin.weight.grad
