"""Session 14 sweep: behaviours PyTorch's test/autograd/test_inference_mode.py,
test_forward_mode.py, test_node_lifecycle.py and test_autograd.py check (inference tensors,
grad modes nested in inference_mode, views made under no_grad or inference_mode, forward-mode
AD, node lifetime), as our own programs run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

import gc
import weakref

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


# ---- node lifetime: what keeps nodes, hooks and saved tensors alive ---------------------------
class _Marker:
    """A weakly referenceable object a hook holds."""


def _holding(*objects):
    """A hook (returning None) that holds ``objects`` alive while it lives."""
    return lambda *args, held=objects: None


def _functions(torch):
    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2

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

    class Halves(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[:2].clone(), x[2:].clone()

        @staticmethod
        def backward(ctx, g0, g1):
            return torch.cat([g0, g1])

    return Twice, Exp, Halves


def _hook_lifetime(torch, custom: bool, hook_kind: str, backward: str):
    """A weak reference to what a hook holds, once the user dropped every reference."""
    Twice = _functions(torch)[0]
    a = torch.randn(4, requires_grad=True)
    b = Twice.apply(a) if custom else a * 2
    marker = _Marker()
    ref = weakref.ref(marker)
    grad_fn = b.grad_fn
    if hook_kind == "tensor":
        b.register_hook(_holding(marker))
    elif hook_kind == "tensor_cycle":
        b.register_hook(_holding(grad_fn, marker))
    elif hook_kind == "node":
        b.grad_fn.register_hook(_holding(marker))
    elif hook_kind == "node_cycle":
        b.grad_fn.register_hook(_holding(grad_fn, marker))
    if backward:
        b.sum().backward(retain_graph=backward == "retain")
    del a, b, marker, grad_fn
    return ref


@program
def hooks_freed_by_refcount(torch):
    refs = [
        _hook_lifetime(torch, custom, kind, backward)
        for custom in (False, True)
        for kind in ("", "tensor", "node")
        for backward in ("", "backward", "retain")
    ]
    return [r() is None for r in refs]


@program
def hook_cycles_freed_by_gc(torch):
    refs = [
        _hook_lifetime(torch, custom, kind, backward)
        for custom in (False, True)
        for kind in ("tensor_cycle", "node_cycle")
        for backward in ("", "backward")
    ]
    gc.collect()
    return [r() is None for r in refs]


@program
def post_accumulate_hook_freed_with_leaf(torch):
    marker = _Marker()
    ref = weakref.ref(marker)
    a = torch.randn(2, requires_grad=True)
    a.register_post_accumulate_grad_hook(_holding(marker))
    (a * 2).sum().backward()
    alive = ref() is not None
    del a, marker
    gc.collect()
    return alive, ref() is None


@program
def shared_custom_node_lives_while_an_output_does(torch):
    Halves = _functions(torch)[2]
    a = torch.randn(4, requires_grad=True)
    b0, b1 = Halves.apply(a)
    ref = weakref.ref(b0.grad_fn)
    del b0
    kept = ref() is not None
    b1.sum().backward(retain_graph=True)
    del b1
    return kept, ref() is None, a.grad


@program
def shared_node_hook_cycle_collected(torch):
    refs = []
    for custom in (False, True):
        Halves = _functions(torch)[2]
        marker = _Marker()
        refs.append(weakref.ref(marker))
        a = torch.randn(4, requires_grad=True)
        b0, b1 = Halves.apply(a) if custom else (a * 2).split(2)
        grad_fn = b0.grad_fn
        b0.grad_fn.register_hook(_holding(grad_fn, marker))
        del a, b0, b1, grad_fn, marker
    gc.collect()
    return [r() is None for r in refs]


@program
def chain_nodes_freed(torch):
    Twice = _functions(torch)[0]
    a = torch.randn(2, requires_grad=True)
    b = Twice.apply(a)
    c = b * 3
    d = Twice.apply(c) + 1
    refs = [weakref.ref(b.grad_fn), weakref.ref(d.grad_fn.next_functions[0][0])]
    del b, c
    kept = [r() is not None for r in refs]
    del d
    return kept, [r() is None for r in refs]


@program
def deep_chains_free_without_recursion_error(torch):
    Twice = _functions(torch)[0]
    x = torch.randn(2, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y + 1
    z = x
    for _ in range(1000):
        z = Twice.apply(z) * 0.5
    y.sum().backward()
    del y, z
    return x.grad


@program
def saved_input_kept_until_graph_freed(torch):
    Twice = _functions(torch)[0]
    out = []
    for custom in (False, True):
        for backward in ("", "backward", "retain"):
            a = torch.randn(2, requires_grad=True)
            b = a + 1
            ref = weakref.ref(b)
            c = Twice.apply(b) if custom else b**2
            del b
            kept = ref() is not None
            if backward:
                c.sum().backward(retain_graph=backward == "retain")
            after_backward = ref() is not None
            del c
            out.append((kept, after_backward, ref() is None))
    return out


@program
def saved_output_does_not_keep_itself_alive(torch):
    Exp = _functions(torch)[1]
    out = []
    for custom in (False, True):
        for backward in (False, True):
            a = torch.randn(2, requires_grad=True)
            b = Exp.apply(a) if custom else a.exp()
            ref = weakref.ref(b)
            if backward:
                b.sum().backward()
            del b
            out.append(ref() is None)
    return out


# ---- forward-mode AD: levels, packing, views and in-place -------------------------------------
def _fw(torch):
    return torch.autograd.forward_ad


@program
def dual_level_value_and_cleanup(torch):
    fw = _fw(torch)
    foo, bar, baz = torch.rand(2), torch.rand(2), torch.rand(2)
    with fw.dual_level() as level:
        dual = fw.make_dual(foo, bar)
        inside = (fw.unpack_dual(foo).tangent is None, fw.unpack_dual(dual).tangent is bar)
    after = fw.unpack_dual(dual)
    with fw.dual_level():
        again = fw.unpack_dual(foo).tangent is None
        new = fw.make_dual(foo, baz)
        old = fw.unpack_dual(dual)
        fresh = fw.unpack_dual(new)
    return level, inside, after.primal, after.tangent, again, old.tangent, fresh.tangent


@error(RuntimeError, r"Nested forward mode AD is not supported at the moment")
def nested_dual_level(torch):
    fw = _fw(torch)
    with fw.dual_level():
        fw.enter_dual_level()


@error(RuntimeError, r"Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported\. Tensor is of size \[2\] while the given forward gradient is of size \[3\]")  # fmt: skip
def make_dual_size_mismatch(torch):
    fw = _fw(torch)
    with fw.dual_level():
        fw.make_dual(torch.rand(2), torch.rand(3))


@program
def make_dual_tangent_view_of_other_size(torch):
    fw = _fw(torch)
    t = torch.arange(3.0)
    with fw.dual_level():
        return fw.unpack_dual(fw.make_dual(torch.ones(2), t[1:])).tangent


@program
def dual_printing(torch):
    fw = _fw(torch)
    with fw.dual_level():
        a = torch.ones(3)
        b = fw.make_dual(a, torch.full((3,), 2.0))
        p, t = fw.unpack_dual(b)
        return (
            "tangent=" in str(a),
            "tangent=" in str(b),
            "tangent=" in str(p),
            "tangent=" in str(t),
        )


@program
def dual_shares_memory_and_version(torch):
    fw = _fw(torch)
    foo, bar = torch.rand(2), torch.ones(2)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        seen = [dual.data_ptr() == foo.data_ptr(), foo._version == dual._version]
        foo.add_(1)
        seen.append(foo._version == dual._version)
        p, t = fw.unpack_dual(dual)
        seen += [p.data_ptr() == foo.data_ptr(), t is bar]
        foo.add_(1)
        bar.add_(1)
        seen += [foo._version == p._version, bar._version == t._version, foo._version]
    return seen


@program
def forward_ad_inplace_non_differentiable_views(torch):
    fw = _fw(torch)
    foo = torch.rand(2, dtype=torch.double)
    bar = torch.ones(2, dtype=torch.double)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        dual *= 2
        seen = [fw.unpack_dual(foo).tangent, bar.clone(), fw.unpack_dual(dual).tangent.clone()]
        p, t = fw.unpack_dual(dual)
        seen += [fw.unpack_dual(p).tangent, fw.unpack_dual(t).tangent]
        p *= 2
        seen += [fw.unpack_dual(dual).primal.clone(), fw.unpack_dual(dual).tangent.clone()]
        t *= 2
        seen += [fw.unpack_dual(dual).primal.clone(), fw.unpack_dual(dual).tangent.clone()]
    return seen, foo


@program
def forward_ad_inplace_differentiable_views(torch):
    fw = _fw(torch)
    foo, bar = torch.rand(2), torch.ones(2)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        view = dual.narrow(0, 0, 1)
        view *= 2
        seen = [fw.unpack_dual(foo).tangent, fw.unpack_dual(dual).tangent.clone()]
        seen.append(fw.unpack_dual(view).tangent.clone())
        baz = torch.rand(2)
        baz += dual
        seen.append(fw.unpack_dual(baz).tangent.clone())
        baz = torch.rand(2)
        baz[0] = dual[0]
        seen.append(fw.unpack_dual(baz).tangent.clone())
        baz = torch.rand(2)
        view = baz.detach()
        view += dual
        seen.append(fw.unpack_dual(baz).tangent)
    return seen


@error(RuntimeError, r"out= function")
def forward_ad_out_into_dual(torch):
    fw = _fw(torch)
    with fw.dual_level():
        foo = fw.make_dual(torch.rand(2), torch.rand(2))
        bar = torch.rand(2)
        torch.add(bar, bar, out=foo)


@error(RuntimeError, r"out= function")
def forward_ad_out_from_dual(torch):
    fw = _fw(torch)
    with fw.dual_level():
        foo = fw.make_dual(torch.rand(2), torch.rand(2))
        bar = torch.rand(2)
        torch.add(foo, bar, out=bar)


@program
def forward_ad_tangent_lifetime(torch):
    fw = _fw(torch)
    foo = torch.rand(2)
    with fw.dual_level():
        tangent = torch.rand(2, requires_grad=True)
        ref = weakref.ref(tangent)
        dual = fw.make_dual(foo, tangent)
        same = fw.unpack_dual(dual).tangent is tangent
        del tangent
        kept = ref() is not None
        del dual
        gc.collect()
        return same, kept, ref() is None


@program
def forward_ad_through_ops_and_modes(torch):
    fw = _fw(torch)
    x = torch.tensor([0.5, 1.0, 2.0])
    with fw.dual_level():
        d = fw.make_dual(x, torch.tensor([1.0, 0.0, 2.0]))
        outs = [d.sin() * d, d.exp().sum(), torch.where(d > 0.7, d * d, -d), d.view(3, 1).t()]
        with torch.inference_mode():  # forward AD is off there too
            inf = fw.unpack_dual(d * 2).tangent, fw.unpack_dual(d[1:]).tangent
            e = d.clone()
            e.mul_(2)
            e[0] = 5.0
        with torch.no_grad():
            ng = fw.unpack_dual(d.pow(3)).tangent
        return [fw.unpack_dual(o) for o in outs], inf, ng, fw.unpack_dual(e)


@program
def unpack_dual_namedtuple(torch):
    fw = _fw(torch)
    with fw.dual_level():
        u = fw.unpack_dual(fw.make_dual(torch.ones(2), torch.zeros(2)))
        return type(u).__name__, u._fields, u[0], u.tangent


# ---- more inference-tensor and grad-mode API --------------------------------------------------
@program
def data_keeps_inference_kind(torch):
    n = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        c = torch.ones(2)
        inside = (n.data.is_inference(), n.data._version, c.data.is_inference())
    return inside, c.data.is_inference(), n.data.is_inference(), c.detach().is_inference()


@error(RuntimeError, r"Inplace update to inference tensor outside InferenceMode is not allowed")
def inference_tensor_resize_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    c.resize_(3)


@error(RuntimeError, r"Inplace update to inference tensor outside InferenceMode is not allowed")
def inference_tensor_set_outside(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    c.set_(torch.ones(3))


@program
def inference_tensor_resize_and_set_inside(torch):
    with torch.inference_mode():
        c = torch.ones(2)
        c.resize_(3)
        d = torch.zeros(1)
        d.set_(torch.ones(3))
    return tuple(c.shape), d, c.is_inference(), d.is_inference()


@program
def inference_tensor_conversions(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    return (
        c.to(torch.float64).is_inference(),
        c.to(torch.float32) is c,
        c.float().is_inference(),
        c.clone().is_inference(),
        (c + 1).is_inference(),
    )


@error(RuntimeError, r"Setting requires_grad=True on inference tensor outside InferenceMode is not allowed")  # fmt: skip
def inference_tensor_as_parameter(torch):
    with torch.inference_mode():
        c = torch.ones(2)
    torch.nn.Parameter(c)


@program
def inference_tensor_copied_into_normal(torch):
    with torch.inference_mode():
        c = torch.full((2,), 3.0)
    n = torch.zeros(2)
    n.copy_(c)
    return n, n.is_inference(), n._version


@program
def increment_version_of_tensors(torch):
    x = torch.ones(2)
    torch.autograd.graph.increment_version(x)
    torch.autograd.graph.increment_version([x, x])
    y = torch.ones(2)
    with torch.no_grad():
        y.add_(1)
    return x._version, y._version


@program
def grad_mode_decorators_and_generators(torch):
    def gen():
        yield torch.is_grad_enabled(), torch.is_inference_mode_enabled()
        yield torch.is_grad_enabled(), torch.is_inference_mode_enabled()

    seen = [list(torch.no_grad()(gen)()), list(torch.inference_mode()(gen)())]
    seen.append(torch.enable_grad(lambda: torch.is_grad_enabled())())
    seen.append(torch.no_grad(lambda: torch.is_grad_enabled())())
    seen.append(torch.set_grad_enabled(False)(lambda: torch.is_grad_enabled())())
    seen.append(torch.is_grad_enabled())
    seen.append(torch.inference_mode(mode=False)(lambda: torch.is_inference_mode_enabled())())
    return seen


@program
def grad_mode_clones(torch):
    m = torch.set_grad_enabled(False).clone()
    on = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    with m:
        inside = torch.is_grad_enabled()
    return (
        type(m).__name__,
        on,
        inside,
        torch.is_grad_enabled(),
        type(torch.no_grad().clone()).__name__,
        type(torch.inference_mode().clone()).__name__,
    )


@program
def set_grad_enabled_function_form_inside_inference_mode(torch):
    with torch.inference_mode():
        torch.set_grad_enabled(True)
        on = torch.is_grad_enabled()
        torch.set_grad_enabled(False)
        off = torch.is_grad_enabled()
    after = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    return on, off, after


@error(TypeError, r"set_grad_enabled\(\): argument 'enabled' \(position 1\) must be bool, not int")
def set_grad_enabled_non_bool(torch):
    torch.set_grad_enabled(1)


@program
def backward_inside_no_grad_and_inference_mode(torch):
    out = []
    for mode in (torch.no_grad, torch.inference_mode):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (a * a).sum()
        with mode():
            g = torch.autograd.grad(y, a, create_graph=True, retain_graph=True)[0]
            y.backward()
        out.append((g, g.requires_grad, g.is_inference(), a.grad, a.grad.is_inference()))
    return out


@program
def create_graph_inside_inference_mode_with_enable_grad(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (a**3).sum()
    with torch.inference_mode(), torch.enable_grad():
        (g,) = torch.autograd.grad(y, a, create_graph=True)
    return g, _flags(g)


@program
def grad_modes_seen_by_custom_function(torch):
    seen = []

    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(("forward", torch.is_grad_enabled(), torch.is_inference_mode_enabled()))
            return x * 2

        @staticmethod
        def backward(ctx, g):
            seen.append(("backward", torch.is_grad_enabled()))
            with torch.enable_grad():
                seen.append(("enable_grad", torch.is_grad_enabled()))
            return g * 2

    a = torch.ones(2, requires_grad=True)
    Double.apply(a).sum().backward()
    (g,) = torch.autograd.grad(Double.apply(a).sum(), a, create_graph=True)
    with torch.inference_mode():
        inf = Double.apply(a)
    return seen, g, _flags(inf)


@program
def hooks_registered_inside_inference_mode(torch):
    a = torch.ones(2, requires_grad=True)
    b = a * 2
    with torch.inference_mode():
        b.retain_grad()
        b.register_hook(lambda g: g * 10)
    b.sum().backward()
    return a.grad, b.grad


# ---- forward-mode AD: the API's checks --------------------------------------------------------
@error(RuntimeError, r"Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level\(\) first")  # fmt: skip
def make_dual_without_level(torch):
    _fw(torch).make_dual(torch.ones(2), torch.ones(2))


@error(RuntimeError, r"Dual level must be a positive number")
def exit_dual_level_without_level(torch):
    _fw(torch).exit_dual_level()


@error(ValueError, r"Expected primal to be floating point or complex, but got: torch\.int64")
def make_dual_integer_primal(torch):
    fw = _fw(torch)
    with fw.dual_level():
        fw.make_dual(torch.ones(2, dtype=torch.long), torch.ones(2))


@error(RuntimeError, r"Invalid level given to _make_dual")
def make_dual_wrong_level(torch):
    fw = _fw(torch)
    with fw.dual_level():
        fw.make_dual(torch.ones(2), torch.ones(2), level=1)


@error(TypeError, r"_unpack_dual\(\): argument 'dual' \(position 1\) must be Tensor, not int")
def unpack_dual_of_number(torch):
    fw = _fw(torch)
    with fw.dual_level():
        fw.unpack_dual(3)


@error(RuntimeError, r"Making a dual Tensor based on a Tensor that already has a forward gradient at the same level 0 is not supported")  # fmt: skip
def make_dual_of_dual(torch):
    fw = _fw(torch)
    with fw.dual_level():
        d = fw.make_dual(torch.ones(2), torch.ones(2))
        fw.make_dual(d, torch.ones(2))


@error(
    RuntimeError, r"Trying to exit a forward AD level that was not the last one that was created"
)
def exit_dual_level_wrong_level(torch):
    fw = _fw(torch)
    fw.enter_dual_level()
    try:
        fw.exit_dual_level(level=3)
    finally:
        fw.exit_dual_level()


@program
def dual_level_bookkeeping(torch):
    fw = _fw(torch)
    before = fw._current_level
    with fw.dual_level() as level:
        inside = fw._current_level
        d = fw.make_dual(torch.ones(2), torch.full((2,), 3.0), level=0)
        u = fw.unpack_dual(d, level=0)
        flags = d.requires_grad, d.is_leaf, u.primal._is_view(), u.tangent._is_view()
        ints = fw.unpack_dual((d > 0).long()).tangent, fw.unpack_dual(d.argmax()).tangent
        mixed = fw.unpack_dual(fw.make_dual(torch.ones(2), torch.ones(2, dtype=torch.float64)))
    entered = fw.enter_dual_level()
    fw.exit_dual_level()
    return before, level, inside, u, flags, ints, mixed.tangent.dtype, entered, fw._current_level


# ---- modules inside inference_mode ------------------------------------------------------------
@program
def batchnorm_statistics_in_inference_mode(torch):
    out = []
    for dtype in (torch.float32, torch.float64, torch.float16, torch.bfloat16):
        bn = torch.nn.BatchNorm1d(3).to(dtype)
        x = torch.randn(6, 3).to(dtype)
        bn(x)
        with torch.inference_mode():
            y = bn(x * 2)
        versions = bn.running_mean._version, bn.running_var._version
        out.append((versions, bn.num_batches_tracked._version, bn.running_mean.is_inference()))
        out.append((y.is_inference(), bn.running_mean.float(), bn.running_var.float()))
    return out


@program
def model_evaluated_in_inference_mode_then_trained(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    x = torch.randn(5, 4)
    with torch.inference_mode():
        y = model(x)
        preds = y.argmax(1)
    joined = torch.cat([y, y[:, :1]], 1)  # made outside: a normal tensor
    model(joined).sum().backward()
    return _flags(y), preds, _flags(joined), model[0].weight.grad


@error(RuntimeError, r"Inference tensors cannot be saved for backward")
def lstm_state_from_inference_mode_reused(torch):
    lstm = torch.nn.LSTM(3, 4, batch_first=True)
    with torch.inference_mode():
        _, state = lstm(torch.randn(2, 5, 3))
    lstm(torch.randn(2, 5, 3), state)[0].sum().backward()


@program
def parameter_ops_inside_inference_mode(torch):
    p = torch.nn.Parameter(torch.ones(3))
    with torch.inference_mode():
        q = p * 2
        view = p[:2]
    return _flags(q), _flags(view), _flags(view * 2)


@program
def no_grad_view_grad_dtype_and_saved_self(torch):
    a = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        v = a[:1]
    y = v * 3
    return v.grad_dtype, y.grad_fn._saved_self is not None, y.grad_fn._saved_self
