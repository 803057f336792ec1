"""Session 8 compatibility sweep of the advanced autograd API (research users): graph-node
hooks, post-accumulate hooks, multi-grad hooks, gradient edges, saved-tensor hooks, grad's
options, ``.grad`` layout and accumulation, custom Function features. Each program runs with
real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _r(ts):
    return [None if t is None else [round(v, 6) for v in t.flatten().tolist()] for t in ts]


# ---- hooks on graph nodes -------------------------------------------------------------------
@program
def node_hook_replaces_grad_inputs(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    y = x * w
    log = []
    y.grad_fn.register_hook(lambda gi, go: log.append((_r(gi), _r(go))) or (gi[0] * 2, None))
    y.sum().backward()
    return [log, x.grad, w.grad]


@program
def node_prehook_replaces_grad_outputs(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.grad_fn.register_prehook(lambda go: (go[0] * 3,))
    y.sum().backward()
    return x.grad


@program
def node_hook_handle_remove(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.sin()
    log = []
    h = y.grad_fn.register_hook(lambda gi, go: log.append("post"))
    p = y.grad_fn.register_prehook(lambda go: log.append("pre"))
    y.sum().backward(retain_graph=True)
    h.remove()
    p.remove()
    y.sum().backward()
    return [log, x.grad]


@program
def node_hooks_order_several(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    log = []
    for i in range(3):
        y.grad_fn.register_prehook(lambda go, i=i: log.append(("pre", i)))
        y.grad_fn.register_hook(lambda gi, go, i=i: log.append(("post", i)))
    y.register_hook(lambda g: log.append("tensor"))
    y.sum().backward()
    return log


@program
def accumulate_grad_node_hooks(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    log = []
    acc.register_prehook(lambda go: log.append(("pre", _r(go))))
    acc.register_hook(lambda gi, go: log.append(("post", len(gi), _r(go))))
    x.register_hook(lambda g: log.append("tensor") or g + 1)
    y.sum().backward()
    return [log, x.grad, acc.name()]


@program
def accumulate_grad_prehook_replaces(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    acc.register_prehook(lambda go: (go[0] * 10,))
    y.sum().backward()
    return x.grad


@program
def node_hook_multi_output(torch):
    x = torch.arange(6.0, requires_grad=True)
    a, b = x.split(3)
    log = []
    a.grad_fn.register_prehook(lambda go: log.append(_r(go)))
    (a * 2).sum().backward()
    return [log, x.grad]


@program
def node_hook_wrong_count(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[0], gi[0]))
    try:
        y.sum().backward()
    except RuntimeError as e:
        return "incorrect number of values" in str(e)
    return "no error"


@program
def node_hook_sees_none_for_non_required(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0])
    y = x * w
    log = []
    y.grad_fn.register_hook(lambda gi, go: log.append([g is None for g in gi]))
    y.sum().backward()
    return log


@program
def node_name_custom_function(torch):
    class MyFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = torch.ones(2, requires_grad=True)
    y = MyFn.apply(x)
    return [y.grad_fn.name(), type(y.grad_fn).__name__, x.view(2).grad_fn.name()]


@program
def node_isinstance_graph_node(torch):
    x = torch.ones(2, requires_grad=True)
    y = (x * 2).sum()
    acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
    return [
        isinstance(y.grad_fn, torch.autograd.graph.Node),
        isinstance(acc, torch.autograd.graph.Node),
        acc.variable is x,
    ]


# ---- post accumulate grad hooks / retains_grad ----------------------------------------------
@program
def post_accumulate_optimizer_in_backward(torch):
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    opts = {p: torch.optim.SGD([p], lr=0.1) for p in model.parameters()}

    def hook(p):
        opts[p].step()
        opts[p].zero_grad()

    for p in model.parameters():
        p.register_post_accumulate_grad_hook(hook)
    x = torch.randn(4, 3)
    for _ in range(2):
        model(x).pow(2).sum().backward()
    return [model.weight, model.bias, model.weight.grad]


@program
def post_accumulate_hook_remove(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    log = []
    h = x.register_post_accumulate_grad_hook(lambda p: log.append(p.grad.tolist()))
    (x * 2).sum().backward()
    h.remove()
    (x * 2).sum().backward()
    return [log, x.grad]


@program
def retains_grad_flags(torch):
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    z = y * 3
    before = [x.retains_grad, y.retains_grad]
    y.retain_grad()
    y.retain_grad()
    x.retain_grad()
    z.sum().backward()
    return [before, x.retains_grad, y.retains_grad, y.grad, x.grad]


@program
def retain_grad_accumulates(torch):
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * 3).sum().backward(retain_graph=True)
    (y * 5).sum().backward()
    return [y.grad, x.grad]


@error(RuntimeError, r"can't retain_grad on Tensor that has requires_grad=False")
def retain_grad_without_requires_grad(torch):
    torch.ones(2).retain_grad()


# ---- multi grad hooks / gradient edges ------------------------------------------------------
@program
def multi_grad_hook_all(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    log = []
    torch.autograd.graph.register_multi_grad_hook(
        (a, b), lambda grads: log.append([None if g is None else g.tolist() for g in grads])
    )
    (a * 2).sum().backward()
    (a.sum() * b).sum().backward()
    return [log, a.grad, b.grad]


@program
def multi_grad_hook_any(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    log = []
    h = torch.autograd.graph.register_multi_grad_hook(
        (a, b), lambda g: log.append(g.tolist()), mode="any"
    )
    (a.sum() * b).sum().backward()
    h.remove()
    (a.sum() * b).sum().backward()
    return log


@program
def multi_grad_hook_non_leaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = x * 3
    log = []
    torch.autograd.graph.register_multi_grad_hook(
        (y, z), lambda grads: log.append([None if g is None else g.tolist() for g in grads])
    )
    (y * 4).sum().backward()
    return [log, x.grad]


@program
def gradient_edge_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    z = (y * 2).sum()
    edge = torch.autograd.graph.get_gradient_edge(y)
    (gy,) = torch.autograd.grad(z, edge, retain_graph=True)
    (gx,) = torch.autograd.grad(z, torch.autograd.graph.get_gradient_edge(x))
    return [gy, gx, edge.node is y.grad_fn, edge.output_nr]


@program
def gradient_edge_of_leaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    e = torch.autograd.graph.get_gradient_edge(x)
    return [e.node.name(), e.output_nr, isinstance(e, tuple)]


@program
def gradient_edge_output(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = y.sum()
    (g,) = torch.autograd.grad(
        torch.autograd.graph.get_gradient_edge(z), x, grad_outputs=torch.tensor(2.0)
    )
    return g


# ---- saved tensors hooks --------------------------------------------------------------------
@program
def saved_hooks_pack_order(torch):
    log = []

    def pack(t):
        log.append(("pack", list(t.shape)))
        return t

    def unpack(t):
        log.append(("unpack", list(t.shape)))
        return t

    a = torch.ones(2, 3, requires_grad=True)
    b = torch.ones(3, 4, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = a @ b
    y.sum().backward()
    return [log, a.grad, b.grad]


@program
def saved_hooks_nesting_innermost(torch):
    log = []
    x = torch.ones(2, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: log.append("outer") or t, lambda t: t):
        with torch.autograd.graph.saved_tensors_hooks(
            lambda t: log.append("inner") or t, lambda t: t
        ):
            y = x * x
        z = y * y
    z.sum().backward()
    return [log, x.grad]


@program
def saved_hooks_modify_unpack(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t):
        y = x.pow(2)
    y.sum().backward()
    return x.grad


@program
def saved_hooks_exp_output(torch):
    log = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: log.append(t.tolist()) or t, lambda t: t
    ):
        y = x.exp()
    y.sum().backward()
    return [log, x.grad]


@program
def saved_hooks_custom_function(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g * b, g * a

    log = []
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: log.append(("p", t.tolist())) or t, lambda t: log.append("u") or t
    ):
        y = F.apply(a, b)
    y.sum().backward()
    return [log, a.grad, b.grad]


@program
def saved_hooks_to_cpu_numpy(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: t.detach().numpy().copy(), lambda a: torch.from_numpy(a)
    ):
        y = (x * x).sum()
    y.backward()
    return x.grad


@program
def save_on_cpu_training(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    x = torch.randn(5, 4)
    with torch.autograd.graph.save_on_cpu(pin_memory=False):
        loss = m(x).pow(2).mean()
    loss.backward()
    return [loss, m[0].weight.grad, m[2].bias.grad]


@error(RuntimeError, r"my custom message")
def disable_saved_hooks_message(torch):
    with torch.autograd.graph.disable_saved_tensors_hooks("my custom message"):
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            pass


@program
def disable_saved_hooks_inside_active(torch):
    try:
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            with torch.autograd.graph.disable_saved_tensors_hooks("nope"):
                pass
    except RuntimeError as e:
        return ["raised", str(e)]
    return "no error"


@program
def saved_hooks_unpack_non_tensor(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 3):
        y = (x * x).sum()
    try:
        y.backward()
    except TypeError as e:
        return "unpack_hook" in str(e)
    return "no error"


@program
def allow_mutation_on_saved(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x.clone()
        z = y.pow(2)
        y.mul_(10)
        z.sum().backward()
    return [x.grad, y]


@program
def allow_mutation_on_saved_sin(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors() as ctx:
        a = torch.tensor([0.5, 1.0], requires_grad=True)
        b = a.clone()
        out = (b**2).sum()
        b.sin_()
        out.sum().backward()
        return [a.grad, b, type(ctx).__name__]


# ---- autograd.grad options ------------------------------------------------------------------
@program
def grad_batched_jacobian(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.pow(2) * 2
    eye = torch.eye(3)
    (jac,) = torch.autograd.grad(y, x, eye, is_grads_batched=True)
    return jac


@program
def grad_batched_two_inputs(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    y = a * b
    ga, gb = torch.autograd.grad(y, (a, b), torch.eye(2), is_grads_batched=True)
    return [ga, gb]


@program
def grad_batched_unused_allowed(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    y = a * 2
    ga, gb = torch.autograd.grad(y, (a, b), torch.eye(2), is_grads_batched=True, allow_unused=True)
    return [ga, gb]


@program
def grad_batched_materialize(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    y = a * 2
    ga, gb = torch.autograd.grad(
        y, (a, b), torch.eye(2), is_grads_batched=True, materialize_grads=True
    )
    return [ga, gb]


@program
def grad_batched_create_graph_hessian(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x**3).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad(g, x, torch.eye(2), is_grads_batched=True)
    return h


@program
def grad_materialize_grads(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([[3.0]], requires_grad=True)
    ga, gb = torch.autograd.grad((a * 2).sum(), (a, b), materialize_grads=True)
    return [ga, gb]


@error(ValueError, r"Expected allow_unused to be True or not passed when materialize_grads=True")
def grad_materialize_allow_unused_false(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad(a.sum(), a, materialize_grads=True, allow_unused=False)


@error(RuntimeError, r"appears to not have been used in the graph")
def grad_unused_raises(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad(a.sum(), (a, b))


@program
def grad_unused_none(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0], requires_grad=True)
    return torch.autograd.grad(a.sum(), (a, b), allow_unused=True)


@error(RuntimeError, r"grad can be implicitly created only for scalar outputs")
def grad_nonscalar_no_grad_outputs(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad(a * 2, a)


@error(RuntimeError, r"grad can be implicitly created only for scalar outputs")
def backward_nonscalar(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    (a * 2).backward()


@error(RuntimeError, r"element 0 of tensors does not require grad and does not have a grad_fn")
def backward_no_grad(torch):
    torch.ones(2).sum().backward()


@error(RuntimeError, r"Trying to backward through the graph a second time")
def backward_twice(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (a.exp()).sum()
    y.backward()
    y.backward()


@error(RuntimeError, r"One of the differentiated Tensors does not require grad")
def grad_input_no_requires_grad(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.ones(2)
    torch.autograd.grad((a * b).sum(), b)


@error(
    RuntimeError,
    r"Mismatch in shape: grad_output\[0\] has a shape of torch.Size\(\[3\]\) "
    r"and output\[0\] has a shape of torch.Size\(\[2\]\)",
)
def grad_outputs_shape_mismatch(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad(a * 2, a, torch.ones(3))


@program
def grad_numel_one_nonscalar(torch):
    a = torch.tensor([[2.0]], requires_grad=True)
    (g,) = torch.autograd.grad(a * 3, a)
    return g


@program
def grad_empty_output(torch):
    a = torch.zeros(0, 3, requires_grad=True)
    (g,) = torch.autograd.grad(a.sum(), a)
    return g


@program
def grad_outputs_none_in_list(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = (a * 2).sum()
    y2 = a * 3
    (g,) = torch.autograd.grad([y1, y2], a, [None, torch.ones(2)])
    return g


@program
def grad_of_output_wrt_itself(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    return torch.autograd.grad(y, [y, a], torch.tensor([1.0, 5.0]))


# ---- backward(inputs=...) -------------------------------------------------------------------
@program
def backward_inputs_accumulates_only_those(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    y = (a * b).sum()
    y.backward(inputs=[a], retain_graph=True)
    y.backward(inputs=a, retain_graph=True)
    first = [a.grad.clone(), b.grad]
    y.backward(inputs=[b])
    return [first, a.grad, b.grad]


@program
def backward_inputs_non_leaf(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    h = a * 2
    y = (h * h).sum()
    y.backward(inputs=[h])
    return [h.grad, a.grad, h.retains_grad]


@program
def backward_inputs_non_leaf_hooks(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    h = a * 2
    log = []
    h.register_hook(lambda g: log.append(g.tolist()) or g * 10)
    y = (h * h).sum()
    y.backward(inputs=[h])
    return [h.grad, log]


@error(RuntimeError, r"`inputs` argument to `backward\(\)` cannot be empty")
def backward_inputs_empty(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    a.sum().backward(inputs=[])


@program
def autograd_backward_inputs_unused(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.backward((a * 2).sum(), inputs=[a, b])
    return [a.grad, b.grad]


# ---- .grad layout and accumulation ----------------------------------------------------------
@program
def grad_strides_transposed_param(torch):
    w = torch.randn(3, 4).t().requires_grad_()
    (w * 2).sum().backward()
    return [w.grad.stride(), w.grad.is_contiguous(), w.stride()]


@program
def grad_strides_after_matmul(torch):
    w = torch.ones(4, 3).t().detach().requires_grad_()
    x = torch.ones(2, 3)
    (x @ w).sum().backward()
    return [w.grad.stride(), w.grad]


@program
def grad_strides_channels_last(torch):
    w = torch.ones(2, 3, 4, 5).to(memory_format=torch.channels_last).requires_grad_()
    (w * 3).sum().backward()
    return [w.grad.stride(), w.grad.is_contiguous(memory_format=torch.channels_last)]


@program
def grad_of_expanded_leaf(torch):
    w = torch.ones(1, 3).expand(4, 3).requires_grad_()
    (w * torch.arange(12.0).view(4, 3)).sum().backward()
    return [w.grad, w.grad.stride()]


@program
def grad_accumulate_retain_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x**2).sum()
    g0 = None
    for _ in range(3):
        y.backward(retain_graph=True)
        if g0 is None:
            g0 = x.grad
    return [x.grad, g0 is x.grad, g0]


@program
def grad_accumulate_create_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x**3).sum()
    y.backward(create_graph=True)
    g1 = x.grad
    (x.grad.sum()).backward()
    return [x.grad, g1.requires_grad, x.grad.requires_grad]


@program
def grad_float64_param(torch):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = (x.float() * 2).sum()
    y.backward()
    return x.grad


@program
def grad_zero_set_to_none(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 2)
    m(torch.ones(1, 2)).sum().backward()
    m.zero_grad(set_to_none=False)
    g = m.weight.grad
    m(torch.ones(1, 2)).sum().backward()
    return [g is m.weight.grad, m.weight.grad]


@error(RuntimeError, r"attempting to assign a gradient of size .\[3\]. to a tensor of size .\[2\].")
def grad_assign_wrong_shape(torch):
    x = torch.ones(2, requires_grad=True)
    x.grad = torch.ones(3)


# ---- custom Function ------------------------------------------------------------------------
@program
def function_once_differentiable_double_backward_errors(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (g,) = torch.autograd.grad(F.apply(x).sum(), x, create_graph=True)
    try:
        g.sum().backward()
    except RuntimeError as e:
        return [g.requires_grad, "trying to differentiate twice" in str(e)]
    return [g.requires_grad, "no error"]


@program
def function_mark_non_differentiable(torch):
    class Sort(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            v, i = x.sort()
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(i)
            return v, i

        @staticmethod
        def backward(ctx, gv, gi):
            (i,) = ctx.saved_tensors
            g = torch.zeros_like(gv)
            g[i] = gv
            return g

    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    v, i = Sort.apply(x)
    (v * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return [v.requires_grad, i.requires_grad, i.grad_fn is None, x.grad]


@program
def function_materialize_false(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            log.append([g1 is None, g2 is None])
            out = torch.zeros_like(x)
            if g1 is not None:
                out = out + 2 * g1
            if g2 is not None:
                out = out + 3 * g2
            return out

    log = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a, b = F.apply(x)
    b.sum().backward()
    return [log, x.grad]


@program
def function_needs_input_grad_non_tensor(torch):
    seen = []

    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y, flag):
            return x * k + y

        @staticmethod
        def backward(ctx, g):
            seen.append(ctx.needs_input_grad)
            return g * 2, None, g, None

    x = torch.ones(2, requires_grad=True)
    y = torch.ones(2)
    F.apply(x, 2.0, y, True).sum().backward()
    return [seen, x.grad]


@program
def function_setup_context_vjp(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(x, scale):
            return x * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.scale = inputs[1]

        @staticmethod
        def vjp(ctx, g):
            return g * ctx.scale, None

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    F.apply(x, 3.0).sum().backward()
    return [x.grad, F.apply(x, 3.0).grad_fn.name()]


@program
def function_jvp_staticmethod(torch):

    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(x)
            return x.sin()

        @staticmethod
        def jvp(ctx, t):
            (x,) = ctx.saved_tensors
            return t * x.cos()

        @staticmethod
        def backward(ctx, g):
            raise AssertionError

    fw = torch.autograd.forward_ad
    x = torch.tensor([0.5, 1.0])
    with fw.dual_level():
        d = fw.make_dual(x, torch.ones(2))
        out = fw.unpack_dual(F.apply(d)).tangent
    return out


@program
def function_generate_vmap_rule(torch):
    class F(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = torch.arange(6.0).view(2, 3)
    return torch.vmap(F.apply)(x)


@program
def function_returns_input_unchanged(torch):
    class Id(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Id.apply(x)
    y.sum().backward()
    return [x.grad, y is x, y.grad_fn.name()]


@program
def function_dirty_and_grad(torch):
    class AddOne(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a.clone()
    c = AddOne.apply(b)
    (c * c).sum().backward()
    return [c is b, a.grad, c.grad_fn.name()]


@program
def function_backward_returns_more_none(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    x = torch.ones(2, requires_grad=True)
    F.apply(x).sum().backward()
    return x.grad


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

    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return [g, h]


@program
def function_saved_output_and_double_backward(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            r = x.exp()
            ctx.save_for_backward(r)
            return r

        @staticmethod
        def backward(ctx, g):
            (r,) = ctx.saved_tensors
            return g * r

    x = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(Exp.apply(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return [g, h]


# ---- batch 2: the API added this session, and its edges -------------------------------------
@program
def grad_dict_inputs(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    out = torch.autograd.grad((a * b).sum(), {"a": a, "b": b})
    return [sorted(out), out["a"], out["b"]]


@program
def grad_only_inputs_false_warns(torch):
    import warnings

    a = torch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        (g,) = torch.autograd.grad(a.sum() * 2, a, only_inputs=False)
    return [
        g,
        [x.category.__name__ for x in w],
        "only_inputs argument is deprecated" in str(w[0].message),
    ]


@program
def grad_materialize_create_graph_requires_grad(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    ga, gb = torch.autograd.grad((a**2).sum(), (a, b), create_graph=True, materialize_grads=True)
    return [ga, gb, gb.requires_grad, gb.grad_fn is None, gb.is_leaf]


@error(
    RuntimeError,
    r"If `is_grads_batched=True`, we interpret the first dimension of each "
    r"grad_output as the batch dimension.*grad_output\[0\] has a shape of torch.Size\(\[\]\) "
    r"and output\[0\] has a shape of torch.Size\(\[2\]\)",
)
def grad_batched_wrong_shape(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad(x * 2, x, torch.ones(3, 3), is_grads_batched=True)


@error(RuntimeError, r"grad can be implicitly created only for scalar outputs")
def grad_batched_without_grad_outputs(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.grad(x * 2, x, is_grads_batched=True)


@program
def grad_batched_retain_graph_then_backward(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    (j,) = torch.autograd.grad(y, x, torch.eye(2), is_grads_batched=True, retain_graph=True)
    y.sum().backward()
    return [j, x.grad]


@error(RuntimeError, r"Trying to backward through the graph a second time")
def grad_batched_frees_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    torch.autograd.grad(y, x, torch.eye(2), is_grads_batched=True)
    y.sum().backward()


@error(
    RuntimeError,
    r"It is not possible to get the gradient edge for a Tensor that does not "
    r"require gradients",
)
def gradient_edge_no_requires_grad(torch):
    torch.autograd.graph.get_gradient_edge(torch.ones(2))


@program
def gradient_edge_multi_output_node(torch):
    x = torch.arange(6.0, requires_grad=True)
    a, b = x.view(2, 3).unbind(0)
    loss = (a * 2 + b * 3).sum()
    eb = torch.autograd.graph.get_gradient_edge(b)
    (gb,) = torch.autograd.grad(loss, eb, retain_graph=True)
    (ga, gx) = torch.autograd.grad(loss, [torch.autograd.graph.get_gradient_edge(a), x])
    return [gb, ga, gx]


@program
def gradient_edge_backward_inputs(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    loss = (h**2).sum()
    edge = torch.autograd.graph.get_gradient_edge(h)
    (g,) = torch.autograd.grad(loss, edge, retain_graph=True)
    loss.backward(inputs=[w])
    return [g, w.grad]


@error(RuntimeError, r"materialize_grads cannot be used when the given input is a GradientEdge")
def gradient_edge_materialize_unused(torch):
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)
    torch.autograd.grad(
        a.sum(), torch.autograd.graph.get_gradient_edge(b * 2), materialize_grads=True
    )


@program
def multi_grad_hook_backward_inputs_subset(torch):
    a = torch.rand(2, 3, requires_grad=True)
    b = torch.rand(2, 3, requires_grad=True)
    c = a * b
    d = a * b
    log = []
    torch.autograd.graph.register_multi_grad_hook(
        (a, b, c, d), lambda grads: log.append([g is not None for g in grads])
    )
    c.sum().backward(retain_graph=True)
    c.sum().backward(inputs=(a,), retain_graph=True)
    (g,) = torch.autograd.grad(c.sum(), c)
    return [log, g]


@error(
    RuntimeError,
    r"A leaf node was passed to _will_engine_execute_node but we are currently "
    r"running autograd.grad\(\). This is currently not supported.",
)
def multi_grad_hook_leaf_in_grad_call(torch):
    a = torch.rand(2, 3, requires_grad=True)
    b = torch.rand(2, 3, requires_grad=True)
    d = a * b
    torch.autograd.graph.register_multi_grad_hook((a, b, d), lambda grads: None)
    torch.autograd.grad(d.sum(), b)


@program
def multi_grad_hook_any_each_backward(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    log = []
    torch.autograd.graph.register_multi_grad_hook(
        (a, b), lambda g: log.append(g.tolist()), mode="any"
    )
    (a * b).sum().backward()
    (a * 5).sum().backward()
    (b * 7).sum().backward()
    return log


@program
def multi_grad_hook_remove_all(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    log = []
    h = torch.autograd.graph.register_multi_grad_hook((a,), lambda g: log.append(1))
    a.sum().backward()
    h.remove()
    a.sum().backward()
    return [log, a.grad]


@error(ValueError, r"Expects mode to be one of \('all', 'any'\) but got first")
def multi_grad_hook_bad_mode(torch):
    a = torch.tensor([1.0], requires_grad=True)
    torch.autograd.graph.register_multi_grad_hook((a,), print, mode="first")


@program
def multi_grad_hook_fsdp_style_reduce(torch):
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    params = list(model.parameters())
    seen = []
    torch.autograd.graph.register_multi_grad_hook(
        params, lambda grads: seen.append([g.sum().item() for g in grads])
    )
    model(torch.ones(4, 3)).sum().backward()
    return [seen, model.weight.grad]


@error(RuntimeError, r"allow_mutation_on_saved_tensors contexts cannot be nested")
def allow_mutation_nested(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        with torch.autograd.graph.allow_mutation_on_saved_tensors():
            pass


@error(AssertionError, r"Trying to backward outside of the 'allow_mutation_on_saved_tensors'")
def allow_mutation_backward_outside(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = (a.clone() ** 2).sum()
    out.backward()


@program
def allow_mutation_no_mutation(torch):
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        y.backward()
    return x.grad


@program
def saved_hooks_no_version_check(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        z = y.pow(2)
    y.mul_(10)
    z.sum().backward()
    return x.grad


@program
def saved_hooks_matmul_order(torch):
    log = []
    a = torch.ones(2, 3, requires_grad=True)
    b = torch.ones(3, 4, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: log.append(tuple(t.shape)) or t, lambda t: t
    ):
        y = torch.mm(a, b) @ b.t()
        z = torch.bmm(a[None], b[None])
    (y.sum() + z.sum()).backward()
    return [log, a.grad, b.grad]


@program
def saved_hooks_pack_counts_common_ops(torch):
    x = torch.ones(2, 3, requires_grad=True)
    res = {}
    ops = {
        "mul": lambda: x * x,
        "exp": lambda: x.exp(),
        "sin": lambda: x.sin(),
        "relu": lambda: x.relu(),
        "sigmoid": lambda: x.sigmoid(),
        "tanh": lambda: x.tanh(),
        "pow": lambda: x.pow(2),
        "softmax": lambda: x.softmax(-1),
        "sum": lambda: x.sum(),
        "add": lambda: x + x,
        "gelu": lambda: torch.nn.functional.gelu(x),
    }
    for k, f in ops.items():
        log = []
        with torch.autograd.graph.saved_tensors_hooks(
            lambda t, log=log: log.append(tuple(t.shape)) or t, lambda t: t
        ):
            f()
        res[k] = log
    return res


@program
def disable_saved_hooks_then_enable(torch):
    with torch.autograd.graph.disable_saved_tensors_hooks("off"):
        pass
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t):
        y = (x * x).sum()
    y.backward()
    return x.grad


# ---- .grad layout, more ----------------------------------------------------------------------
@program
def grad_layout_conv_channels_last_training(torch):
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(2, 3, 3).to(memory_format=torch.channels_last)
    x = torch.randn(1, 2, 5, 5)
    conv(x).sum().backward()
    return [conv.weight.grad.stride(), conv.weight.grad, conv.bias.grad.stride()]


@program
def grad_layout_sliced_param(torch):
    base = torch.ones(4, 6)
    w = base[:, ::2].requires_grad_()
    (w * 2).sum().backward()
    return [w.stride(), w.grad.stride()]


@program
def grad_layout_accumulates_in_place(torch):
    w = torch.ones(3, 4).t().requires_grad_()
    (w * 2).sum().backward()
    g = w.grad
    (w * 3).sum().backward()
    return [g is w.grad, w.grad.stride(), w.grad]


@program
def grad_layout_size_one_dims(torch):
    w = torch.ones(1, 4).t().requires_grad_()
    (w * 2).sum().backward()
    return [w.stride(), w.grad.stride()]


# ---- node / hook edge cases --------------------------------------------------------------------
@program
def prehook_on_accumulate_grad_with_backward_inputs(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x * y).sum()
    log = []
    acc = z.grad_fn.next_functions[0][0].next_functions[1][0]
    acc.register_prehook(lambda go: log.append("acc_y"))
    z.backward(inputs=[x])
    return [log, x.grad, y.grad]


@program
def node_hook_on_grad_call(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    log = []
    y.grad_fn.register_hook(lambda gi, go: log.append("post"))
    y.grad_fn.register_prehook(lambda go: log.append("pre"))
    (g,) = torch.autograd.grad(y.sum(), x)
    return [log, g]


@program
def post_accumulate_hook_with_grad_call(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    log = []
    x.register_post_accumulate_grad_hook(lambda p: log.append("acc"))
    torch.autograd.grad((x * 2).sum(), x)
    (x * 2).sum().backward()
    return [log, x.grad]


@program
def tensor_hook_and_node_prehook_order(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    log = []
    y.grad_fn.register_prehook(lambda go: log.append("node_pre") or (go[0] * 2,))
    y.register_hook(lambda g: log.append(("tensor", g.tolist())) or g * 3)
    y.sum().backward()
    return [log, x.grad]


@program
def retain_grad_then_hook_order(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    return [y.grad, x.grad]


@program
def function_non_differentiable_only_output(torch):
    class ArgMax(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            i = x.argmax()
            ctx.mark_non_differentiable(i)
            return i

        @staticmethod
        def backward(ctx, g):
            return None

    x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
    i = ArgMax.apply(x)
    return [i, i.requires_grad, i.grad_fn is None]


@program
def function_ctx_attrs_and_saved_none(torch):
    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, None, w)
            ctx.k = 2
            return x * w * ctx.k

        @staticmethod
        def backward(ctx, g):
            x, n, w = ctx.saved_tensors
            return g * w * ctx.k, (g * x * ctx.k if ctx.needs_input_grad[1] else None)

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0])
    F.apply(x, w).sum().backward()
    return [x.grad, w.grad]


@program
def leaf_hooks_run_in_pytorch_order(torch):
    a, b, c = (torch.tensor([float(i)], requires_grad=True) for i in (1, 2, 3))
    log = []
    for n, t in zip("abc", (a, b, c)):
        t.register_hook(lambda g, n=n: log.append(n))
    (a * b * c).sum().backward()
    (a * b + c).sum().backward()
    (a.exp() * b.sin() + c).sum().backward()
    return "".join(log)


@program
def post_accumulate_hooks_run_in_pytorch_order(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3), torch.nn.LayerNorm(3)
    )
    log = []
    for n, p in m.named_parameters():
        p.register_post_accumulate_grad_hook(lambda p, n=n: log.append(n))
    m(torch.randn(5, 4)).sum().backward()
    return log
