"""Compatibility sweep 15: in-place operations, version counters and views, against PyTorch."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


@error(
    RuntimeError,
    r"^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[3\]\], which is output 0 of Exp, is at version 1; expected version 0 instead\. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch\.autograd\.set_detect_anomaly\(True, check_nan=False\)\.$",
)
def saved_output_modified(torch):
    x = torch.ones(3, requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


@error(
    RuntimeError,
    r"^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.DoubleTensor \[2, 3\]\], which is output 0 of Mul, is at version 1; expected version 0 instead\. Hint",
)
def saved_input_modified(torch):
    x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    a = x * 1
    y = a * a
    a.mul_(2)
    y.sum().backward()


@error(
    RuntimeError, r"^a leaf Variable that requires grad is being used in an in-place operation\.$"
)
def leaf_inplace(torch):
    x = torch.ones(3, requires_grad=True)
    x.add_(1)


@error(
    RuntimeError,
    r"^a view of a leaf Variable that requires grad is being used in an in-place operation\.$",
)
def view_of_leaf_inplace(torch):
    x = torch.ones(3, requires_grad=True)
    x[:2].add_(1)


@error(
    RuntimeError,
    r"^A view was created in no_grad mode and is being modified inplace with grad mode enabled",
)
def no_grad_view_modified(torch):
    x = torch.ones(3, requires_grad=True)
    a = x * 2
    with torch.no_grad():
        v = a[:2]
    v.mul_(2)


@error(
    RuntimeError,
    r"^Output 0 of Unbind is a view and is being modified inplace\. This view is the output of a function that returns multiple views",
)
def unbind_view_modified(torch):
    a = torch.ones(2, 3, requires_grad=True) * 1
    a.unbind(0)[0].mul_(2)


@error(RuntimeError, r"^Output 1 of Split is a view and is being modified inplace")
def split_view_modified(torch):
    a = torch.ones(4, 3, requires_grad=True) * 1
    a.split(2)[1].mul_(2)


@error(RuntimeError, r"^Output 0 of Split is a view and is being modified inplace")
def chunk_view_modified(torch):
    a = torch.ones(4, 3, requires_grad=True) * 1
    a.chunk(2)[0].add_(2)


@program
def copyslices_name(torch):
    a = torch.ones(3, requires_grad=True) * 1
    a[:2].mul_(2)
    return type(a.grad_fn).__name__, a.grad_fn.name()


@error(
    RuntimeError,
    r"^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[3\]\], which is output 0 of Exp, is at version 2; expected version 1 instead",
)
def exp_then_mul(torch):
    x = torch.ones(3, requires_grad=True)
    y = x.clone()
    y.exp_()
    y.mul_(1)
    y.sum().backward()


@program
def versions_of_ops(torch):
    x = torch.zeros(3)
    v = [x._version]
    x.add_(1)
    v.append(x._version)
    x.mul_(2)
    v.append(x._version)
    x[0] = 5
    v.append(x._version)
    x[[1, 2]] = 3
    v.append(x._version)
    x.zero_()
    v.append(x._version)
    x.fill_(2)
    v.append(x._version)
    x.copy_(torch.ones(3))
    v.append(x._version)
    torch.add(x, 1, out=x)
    v.append(x._version)
    x.clamp_(0, 1)
    v.append(x._version)
    x.masked_fill_(x > 0, 0)
    v.append(x._version)
    x.index_fill_(0, torch.tensor([0]), 1.0)
    v.append(x._version)
    x.scatter_(0, torch.tensor([1]), torch.tensor([4.0]))
    v.append(x._version)
    x.index_add_(0, torch.tensor([2]), torch.tensor([1.0]))
    v.append(x._version)
    x.uniform_()
    v.append(x._version)
    x.normal_()
    v.append(x._version)
    x.exp_().sigmoid_()
    v.append(x._version)
    return v


@program
def versions_shared_by_views(torch):
    x = torch.zeros(2, 3)
    a, b, c, d = x[0], x.view(6), x.t(), x.detach()
    a.add_(1)
    b[5] = 3
    e = x.data
    e.mul_(2)
    return x._version, a._version, b._version, c._version, d._version, e._version, x


@program
def versions_set_and_optimizer(torch):
    torch.manual_seed(0)
    w = torch.nn.Parameter(torch.ones(3))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    v0 = w._version
    opt.step()
    v1 = w._version
    opt.zero_grad()
    with torch.no_grad():
        w.set_(torch.zeros(3))
    return v0, v1, w._version, w


@program
def versions_requires_grad_and_detach(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    d = y.detach()
    d.add_(1)
    return y._version, d._version, y


@error(
    RuntimeError,
    r"^unsupported operation: more than one element of the written-to tensor refers to a single memory location\. Please clone\(\) the tensor before performing the operation\.$",
)
def expanded_add_(torch):
    x = torch.ones(1, 3).expand(2, 3)
    x.add_(1)


@error(
    RuntimeError,
    r"unsupported operation: more than one element of the written-to tensor refers to a single memory location",
)
def expanded_mul_tensor(torch):
    x = torch.zeros(3, 1).expand(3, 4)
    x.mul_(torch.ones(3, 4))


@error(RuntimeError, r"^output with shape \[3\] doesn't match the broadcast shape \[2, 3\]$")
def inplace_broadcast_error(torch):
    x = torch.ones(3)
    x.add_(torch.ones(2, 3))


@error(RuntimeError, r"^output with shape \[1\] doesn't match the broadcast shape \[3\]$")
def inplace_broadcast_error_mul(torch):
    x = torch.ones(1)
    x.mul_(torch.ones(3))


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Long$")
def inplace_float_into_long(torch):
    x = torch.ones(3, dtype=torch.long)
    x.add_(1.5)


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Long$")
def inplace_div_long(torch):
    x = torch.ones(3, dtype=torch.long)
    x.div_(2)


@program
def inplace_int_into_float_and_wrap(torch):
    x = torch.ones(3)
    x.add_(torch.tensor([1, 2, 3]))
    y = torch.tensor([250, 5], dtype=torch.uint8)
    y.add_(10)
    z = torch.tensor([1, 2], dtype=torch.int32)
    z.mul_(torch.tensor([3, 4], dtype=torch.int64))
    h = torch.ones(2, dtype=torch.float16)
    h.add_(torch.ones(2, dtype=torch.float64) / 3)
    return x, y, z, h


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Bool$")
def inplace_bool_add_float(torch):
    x = torch.tensor([True, False])
    x.add_(1.0)


@program
def out_arg_version_and_resize(torch):
    import warnings

    out = torch.empty(2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.add(torch.ones(3), 1, out=out)
    return out, out._version, len(w) > 0 and "resized" in str(w[0].message)


@program
def out_arg_empty_resize_no_warning(torch):
    import warnings

    out = torch.empty(0)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.mul(torch.ones(2, 2), 3, out=out)
    return out, len(w)


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Long$")
def out_arg_dtype_error(torch):
    out = torch.empty(3, dtype=torch.long)
    torch.add(torch.ones(3), 1, out=out)


@program
def out_arg_dtype_widening(torch):
    out = torch.empty(3, dtype=torch.float64)
    torch.add(torch.ones(3), 1.5, out=out)
    out2 = torch.empty(3, dtype=torch.float32)
    torch.add(torch.arange(3), 2, out=out2)
    return out, out2


@error(
    RuntimeError,
    r"add\(\): functions with out=\.\.\. arguments don't support automatic differentiation, but one of the arguments requires grad\.",
)
def out_arg_requires_grad(torch):
    x = torch.ones(3, requires_grad=True)
    torch.add(x, 1, out=torch.empty(3))


@program
def inplace_on_view_grad(torch):
    x = torch.arange(6.0, requires_grad=True)
    a = x * 1
    v = a.view(2, 3)[:, 1]
    v.mul_(10)
    a.pow(2).sum().backward()
    return x.grad, a, type(a.grad_fn).__name__, v.grad_fn.name()


@program
def inplace_on_transposed_view_grad(torch):
    x = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
    a = x.clone()
    t = a.t()
    t[1].add_(t[0])
    (a * torch.arange(6.0, dtype=torch.float64).reshape(2, 3)).sum().backward()
    return x.grad, a


@program
def setitem_with_grad_value(torch):
    x = torch.zeros(4)
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x[1:3] = w * 3
    x.sum().backward()
    return x, w.grad, x.requires_grad, type(x.grad_fn).__name__


@program
def index_put_grad(torch):
    x = torch.ones(5, requires_grad=True)
    y = x.clone()
    y[torch.tensor([0, 2])] = torch.tensor([7.0, 8.0])
    (y * torch.arange(5.0)).sum().backward()
    return y, x.grad, y.grad_fn.name()


@program
def retain_grad_after_inplace(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.add_(1)
    z = y * y
    z.sum().backward()
    return y.grad, x.grad


@program
def hook_on_tensor_modified_inplace(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(g.clone()))
    y.mul_(3)
    y.sum().backward()
    return seen, x.grad


@error(RuntimeError, r"^you can only change requires_grad flags of leaf variables\.")
def requires_grad_nonleaf_false(torch):
    x = torch.ones(3, requires_grad=True)
    (x * 2).requires_grad_(False)


@program
def requires_grad_nonleaf_true(torch):
    x = torch.ones(3, requires_grad=True)
    y = (x * 2).requires_grad_(True)
    return y.requires_grad, y.is_leaf


@error(RuntimeError, r"only Tensors of floating point dtype can require gradients")
def requires_grad_int(torch):
    torch.ones(3, dtype=torch.long).requires_grad_()


@program
def mark_dirty_function(torch):
    class AddOne(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    a = torch.ones(3, requires_grad=True)
    b = a.clone()
    c = AddOne.apply(b)
    c.sum().backward()
    return c is b, b._version, a.grad, type(c.grad_fn).__name__


@error(RuntimeError, r"a leaf Variable that requires grad has been used in an in-place operation")
def mark_dirty_on_leaf(torch):
    class AddOne(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    AddOne.apply(torch.ones(3, requires_grad=True))


@program
def custom_fn_saved_input_modified(torch):
    class Sq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    a = torch.ones(3, requires_grad=True)
    b = a * 1
    y = Sq.apply(b)
    b.mul_(2)
    try:
        y.sum().backward()
    except RuntimeError as e:
        return str(e)
    return "no error"


@program
def allow_mutation_on_saved(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        a = torch.ones(3, requires_grad=True)
        b = a.clone()
        y = b * b
        b.mul_(5)
        y.sum().backward()
    return a.grad, b


@program
def no_grad_inplace_on_leaf(torch):
    w = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        w.sub_(0.5)
        w[0] = 10
    return w, w._version, w.requires_grad, w.is_leaf, w.grad_fn


@program
def data_inplace_is_untracked(torch):
    w = torch.ones(3, requires_grad=True)
    y = w * w
    w.data.mul_(3)
    y.sum().backward()
    return w.grad, w._version


@program
def detach_inplace_detected(torch):
    x = torch.ones(3, requires_grad=True)
    y = x.exp()
    y.detach().zero_()
    try:
        y.sum().backward()
    except RuntimeError as e:
        return str(e)
    return x.grad


@program
def zero_on_view_of_nonleaf(torch):
    x = torch.arange(4.0, requires_grad=True)
    y = x * 2
    y[1:3].zero_()
    y.sum().backward()
    return y, x.grad, y._version


@program
def relu_inplace_network(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(4, 5), torch.nn.ReLU(inplace=True), torch.nn.Linear(5, 2)
    )
    x = torch.randn(3, 4)
    out = net(x)
    out.sum().backward()
    return (
        out,
        net[0].weight.grad,
        type(net[1](torch.randn(2, 5, requires_grad=True) * 1).grad_fn).__name__,
    )


@program
def sigmoid_inplace_backward(torch):
    x = torch.linspace(-2, 2, 5, requires_grad=True)
    y = x * 1
    y.mul_(2)
    y.sigmoid_()
    (y * y).sum().backward()
    return y, x.grad, y.grad_fn.name()


@error(RuntimeError, r"which is output 0 of Sigmoid, is at version 2; expected version 1 instead")
def sigmoid_inplace_then_modified(torch):
    x = torch.linspace(-2, 2, 5, requires_grad=True)
    y = x * 1
    y.sigmoid_()
    y.add_(1)
    y.sum().backward()


@program
def inplace_0d_and_empty(torch):
    s = torch.tensor(2.0, requires_grad=True)
    t = s * 1
    t.mul_(3)
    t.backward()
    e = torch.ones(0, 3)
    e.add_(1)
    e.mul_(torch.ones(3))
    return s.grad, t, e, e._version


@program
def inplace_noncontiguous(torch):
    x = torch.arange(12.0).reshape(3, 4)
    t = x.t()
    t.add_(torch.arange(3.0))
    s = x[:, ::2]
    s.mul_(-1)
    return x, x.is_contiguous(), x._version


@error(
    RuntimeError,
    r"Output 0 of Select is a view and is being modified inplace\. This view is the output of a function that returns multiple views",
)
def view_of_unbind_output(torch):
    a = torch.ones(2, 3, requires_grad=True) * 1
    a.unbind(0)[0][0].mul_(2)


@error(RuntimeError, r"^Output 2 of Unbind is a view and is being modified inplace")
def unbind_dim1_zero(torch):
    a = torch.ones(2, 3, requires_grad=True) * 1
    a.unbind(1)[2].zero_()


@error(RuntimeError, r"^Output 1 of SplitWithSizes is a view and is being modified inplace")
def split_sizes_view_modified(torch):
    a = torch.ones(2, 3, requires_grad=True) * 1
    a.split([1, 2], 1)[1].zero_()


@program
def multi_views_modified_without_grad(torch):
    a = torch.ones(2, 3)
    a.unbind(0)[0].mul_(2)
    a.split(1, 1)[2].add_(5)
    b = torch.ones(4, requires_grad=True) * 1
    with torch.no_grad():
        b.chunk(2)[1].zero_()
    return a, b, a.split([1, 2], 1)[0].grad_fn, b.tensor_split(2)[0].grad_fn.name()


@error(
    RuntimeError,
    r"^A view was created in no_grad mode and is being modified inplace with grad mode enabled",
)
def no_grad_view_of_leaf_modified(torch):
    x = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        v = x.view(3)
    v.zero_()


@error(
    RuntimeError, r"created in no_grad mode and is being modified inplace with grad mode enabled"
)
def no_grad_view_setitem(torch):
    x = torch.ones(3, requires_grad=True)
    a = x * 2
    with torch.no_grad():
        v = a[:2]
    v[0] = 1


@program
def no_grad_view_of_detached_ok(torch):
    x = torch.ones(3, requires_grad=True)
    a = x * 2
    with torch.no_grad():
        v = a.detach()[:2]
    v.mul_(2)
    return a, v.requires_grad


@error(
    RuntimeError,
    r"^Output 0 of MyFn is a view and is being modified inplace\. This view was created inside a custom Function",
)
def custom_fn_view_modified(torch):
    class MyFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view_as(x)

        @staticmethod
        def backward(ctx, g):
            return g

    x = torch.ones(3, requires_grad=True) * 1
    MyFn.apply(x).mul_(2)


@error(RuntimeError, r"which is output 0 of AsStrided, is at version 1; expected version 0")
def saved_view_regenerated(torch):
    x = torch.ones(3, requires_grad=True)
    a = x * 1
    y = a[:2]
    z = y * y
    a.mul_(2)
    z.sum().backward()


@error(
    RuntimeError,
    r"^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[3\]\] is at version 1; expected version 0 instead",
)
def saved_leaf_modified_under_no_grad(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * x
    with torch.no_grad():
        x.mul_(2)
    y.sum().backward()


@error(
    RuntimeError,
    r"which is output 0 of Mul, is at version 1; expected version 0 instead\. Hint: the backtrace further above shows the operation that failed to compute its gradient\. The variable in question was changed in there or anywhere later\. Good luck!",
)
def saved_modified_anomaly_hint(torch):
    import warnings

    x = torch.ones(3, requires_grad=True)
    a = x * 1
    y = a * a
    a.mul_(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            y.sum().backward()


@program
def iadd_keeps_identity_and_grad(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    ident = id(y)
    y += torch.tensor([1.0, 2.0, 3.0])
    y *= 3
    y -= 1
    y /= 2
    y.sum().backward()
    return id(y) == ident, y, x.grad, y._version


@error(RuntimeError, r"^result type Float can't be cast to the desired output type Long$")
def itruediv_long(torch):
    x = torch.tensor([4, 6])
    x /= 2


@program
def ifloordiv_and_mod_int(torch):
    x = torch.tensor([7, -7, 9])
    x //= 2
    y = torch.tensor([7, -7, 9])
    y %= 4
    z = torch.tensor([1, 2, 3])
    z **= 2
    b = torch.tensor([True, False])
    b &= torch.tensor([True, True])
    b |= torch.tensor([False, False])
    return x, y, z, b, x._version


@program
def copy_grad_broadcast_and_dtype(torch):
    src = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    dst = torch.zeros(2, 3, requires_grad=True).clone()
    dst.copy_(src)
    (dst * torch.arange(6.0).reshape(2, 3)).sum().backward()
    return dst, dst.dtype, src.grad, src.grad.dtype, dst.grad_fn.name()


@program
def addcmul_lerp_inplace_grads(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    c = torch.tensor([5.0, 6.0], requires_grad=True)
    x = a * 1
    x.addcmul_(b, c, value=0.5)
    x.lerp_(c, 0.25)
    x.addcdiv_(b, c)
    x.sum().backward()
    return x, a.grad, b.grad, c.grad


@program
def index_ops_inplace_grads(torch):
    x = torch.arange(6.0, requires_grad=True)
    y = x * 1
    idx = torch.tensor([0, 2])
    src = torch.tensor([10.0, 20.0], requires_grad=True)
    y.index_add_(0, idx, src, alpha=2)
    y.index_copy_(0, torch.tensor([5]), src[:1] * 3)
    y.scatter_add_(0, torch.tensor([1, 1]), src)
    y.index_fill_(0, torch.tensor([4]), -1.0)
    (y * torch.arange(1.0, 7.0)).sum().backward()
    return y, x.grad, src.grad


@program
def masked_scatter_and_put_inplace(torch):
    x = torch.zeros(2, 3, requires_grad=True)
    y = x.clone()
    mask = torch.tensor([[True, False, True], [False, True, False]])
    src = torch.arange(1.0, 7.0, requires_grad=True)
    y.masked_scatter_(mask, src.reshape(2, 3))
    y.put_(torch.tensor([1]), torch.tensor([9.0]))
    y.sum().backward()
    return y, x.grad, src.grad


@program
def shape_inplace_methods(torch):
    x = torch.arange(6.0).reshape(2, 3)
    v0 = x._version
    x.t_()
    s1 = (tuple(x.shape), x.stride(), x._version)
    x.unsqueeze_(0)
    x.squeeze_()
    x.transpose_(0, 1)
    x.resize_(3, 2)
    return v0, s1, x, x.stride(), x._version


@program
def functional_inplace_relu_and_dropout(torch):
    F = torch.nn.functional
    torch.manual_seed(0)
    x = torch.randn(4, 5, requires_grad=True)
    h = x * 1
    d = F.dropout(h, 0.5, training=True, inplace=True)
    r = F.relu(h, inplace=True)
    (d * 2).sum().backward()
    return r is h, d is h, x.grad, h._version, type(h.grad_fn).__name__


@error(
    RuntimeError, r"^a leaf Variable that requires grad is being used in an in-place operation\.$"
)
def functional_relu_inplace_on_leaf(torch):
    torch.nn.functional.relu(torch.ones(3, requires_grad=True), inplace=True)


@program
def retain_grad_on_view_modified(torch):
    x = torch.ones(4, requires_grad=True)
    a = x * 2
    v = a[1:3]
    v.retain_grad()
    v.mul_(3)
    (a * torch.arange(4.0)).sum().backward()
    return v.grad, x.grad, a


@program
def detach_inplace_version_shared(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    d = y.detach()
    v1 = y._version
    d.mul_(5)
    return v1, y._version, d._version, y, d.requires_grad


@error(RuntimeError, r"Can't detach views in-place\. Use detach\(\) instead")
def detach_inplace_on_view(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y[:2].detach_()


@program
def detach_inplace_nonview(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y.detach_()
    y.add_(1)
    return y, y.requires_grad, y.grad_fn, y.is_leaf


@program
def out_variants_versions(torch):
    a = torch.arange(6.0).reshape(2, 3)
    o1 = torch.empty(2, 3)
    torch.mul(a, 2, out=o1)
    o2 = torch.empty(3)
    torch.sum(a, 0, out=o2)
    o3 = torch.empty(4, 3)
    torch.cat([a, a], out=o3)
    o4 = torch.empty(2, 2)
    torch.matmul(a, a.t(), out=o4)
    o5 = torch.empty(2, 3)
    r = torch.clamp(a, 1, 4, out=o5)
    return o1, o2, o3, o4, o5, r is o5, [o._version for o in (o1, o2, o3, o4, o5)]


@program
def out_noncontiguous_target(torch):
    base = torch.zeros(3, 4)
    out = base.t()
    torch.add(torch.ones(4, 3), torch.arange(3.0), out=out)
    return base, out.is_contiguous(), out.stride(), base._version


@program
def out_max_values_indices(torch):
    x = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    vals = torch.empty(2)
    idx = torch.empty(2, dtype=torch.long)
    torch.max(x, 1, out=(vals, idx))
    v2, i2 = torch.empty(0), torch.empty(0, dtype=torch.long)
    torch.sort(x, 1, descending=True, out=(v2, i2))
    return vals, idx, v2, i2


@program
def grad_of_twice_modified_view(torch):
    x = torch.arange(1.0, 7.0, dtype=torch.float64, requires_grad=True)
    a = x.clone().reshape(2, 3)
    w = torch.tensor([2.0, 3.0, 4.0], dtype=torch.float64, requires_grad=True)
    a[0].mul_(w)
    a[:, 0].add_(a[:, 2])
    a.diagonal().sub_(w[:2])
    (a * a).sum().backward()
    return a, x.grad, w.grad


@program
def unsqueeze_view_inplace_grad(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = x * 1
    u = a.unsqueeze(1)
    u.mul_(torch.tensor([[2.0], [3.0], [4.0]]))
    e = a.expand(2, 3)
    (e.sum(0) * a).sum().backward()
    return a, x.grad, u.grad_fn.name()


@program
def optimizer_step_versions(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    opt = torch.optim.Adam(lin.parameters(), lr=0.01)
    before = [p._version for p in lin.parameters()]
    lin(torch.randn(4, 3)).sum().backward()
    opt.step()
    after = [p._version > b for p, b in zip(lin.parameters(), before)]
    opt.zero_grad()
    return after, lin.weight.grad, lin.weight.is_leaf


@program
def inference_mode_inplace(torch):
    x = torch.ones(3)
    with torch.inference_mode():
        y = torch.ones(3)
        y.add_(1)
        x.mul_(2)
    return x, y, x._version, y.is_inference()


@error(RuntimeError, r"^Inplace update to inference tensor outside InferenceMode is not allowed")
def inference_tensor_inplace_outside(torch):
    with torch.inference_mode():
        y = torch.ones(3)
    y.add_(1)


@program
def saved_tensor_hooks_skip_version_check(torch):
    x = torch.ones(3, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
        a = x * 1
        y = a * a
    a.mul_(5)
    y.sum().backward()
    return x.grad


@program
def clamp_inplace_int_and_half(torch):
    a = torch.tensor([-3, 0, 7])
    a.clamp_(-1, 5)
    h = torch.tensor([0.1, 2.5, -4.0], dtype=torch.float16)
    h.clamp_(min=0.0).mul_(3)
    b = torch.tensor([1.5, -2.5], dtype=torch.float64)
    b.abs_().neg_().round_()
    return a, h, b


@program
def shape_methods_bump_version(torch):
    x = torch.arange(6.0).reshape(2, 3).clone()
    out = []
    for f in (lambda t: t.t_(), lambda t: t.unsqueeze_(0), lambda t: t.squeeze_(),
              lambda t: t.transpose_(0, 1), lambda t: t.swapdims_(0, 1)):  # fmt: skip
        f(x)
        out.append((x._version, tuple(x.shape)))
    return out


@program
def floordiv_mod_inplace_operators(torch):
    x = torch.tensor([7, -7, 9])
    ident = id(x)
    x //= 2
    x %= 3
    f = torch.tensor([7.5, -7.5])
    f //= 2
    f %= 1.5
    return x, x._version, id(x) == ident, f, f._version


@error(
    RuntimeError,
    r"^Can't detach views in-place\. Use detach\(\) instead\. If you are using DistributedDataParallel",
)
def detach_inplace_on_plain_view(torch):
    torch.arange(6.0).reshape(2, 3).detach_()


@program
def apply_map_keep_version(torch):
    x = torch.arange(4.0)
    x.apply_(lambda e: e * 2)
    x.map_(torch.ones(4), lambda a, b: a + b)
    return x, x._version


@program
def grad_accumulation_bumps_grad_version(torch):
    x = torch.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    (x * 3).sum().backward()
    (x * 4).sum().backward()
    return g._version, x.grad is g, x.grad


@program
def shape_inplace_grad_fn_names(torch):
    names = []
    for f in (lambda y: y.t_(), lambda y: y.transpose_(0, 1), lambda y: y.swapdims_(0, 1),
              lambda y: y.unsqueeze_(0), lambda y: y.squeeze_(), lambda y: y.unsqueeze(0).squeeze_(0)):  # fmt: skip
        x = torch.ones(2, 3, requires_grad=True)
        r = f(x * 1)
        r.sum().backward()
        names.append((r.grad_fn.name(), tuple(r.shape), x.grad))
    return names


test_program = SWEEP.test()
