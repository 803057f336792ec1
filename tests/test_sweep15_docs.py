"""Session 9 compatibility sweep of PyTorch's own docstring examples (second pass): the
``>>>`` examples of torch, Tensor, nn, func, distributions, storages and their neighbours,
and the edge cases next to them, run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

import builtins

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


# ---- torch.asarray: autograd history -----------------------------------------------------------
@program
def asarray_doc_history(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a + 2
    c = torch.asarray(b, requires_grad=False)
    d = torch.asarray(b, requires_grad=True)
    e = torch.asarray(b)
    return (
        c,
        c.grad_fn is None,
        c.data_ptr() == b.data_ptr(),
        c is b,
        type(d.grad_fn).__name__,
        d is b,
        type(e.grad_fn).__name__,
    )


@program
def asarray_copy_keeps_history(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = torch.asarray(a * 2, copy=True)
    c.sum().backward()
    return c, type(c.grad_fn).__name__, a.grad


@program
def asarray_leaf_requires_grad_false(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    r = torch.asarray(a, requires_grad=False)
    return r is a, a.requires_grad, r.requires_grad


@program
def asarray_dtype_conversion_history(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    r = torch.asarray(a * 3, dtype=torch.float64)
    r.sum().backward()
    return r, type(r.grad_fn).__name__, a.grad


@program
def asarray_list_and_numpy(torch):
    import numpy as np

    arr = np.array([1, 2, 3])
    t1 = torch.asarray(arr)
    t2 = torch.asarray(arr, dtype=torch.float32)
    t3 = torch.asarray([1.0, 2.0], requires_grad=True)
    return (
        t1,
        arr.__array_interface__["data"][0] == t1.data_ptr(),
        arr.__array_interface__["data"][0] == t2.data_ptr(),
        t2,
        t3,
        t3.is_leaf,
        torch.asarray(np.float64(0.5)),
    )


# ---- torch.typename ----------------------------------------------------------------------------
@program
def typename_doc(torch):
    return (
        torch.typename(torch.nn.Parameter),
        torch.typename(torch.nn.Linear(2, 2)),
        torch.typename(torch.nn.Linear),
        torch.typename(3),
        torch.typename(len),
        torch.typename(torch.zeros(2, dtype=torch.int64)),
        torch.typename(int),
    )


# ---- Tensor.dim_order / empty(memory_format=) --------------------------------------------------
def _dim_orders(torch, t):
    out = []
    for check in (
        False,
        True,
        [torch.contiguous_format, torch.channels_last],
        [torch.channels_last],
    ):
        try:
            out.append(t.dim_order(ambiguity_check=check))
        except RuntimeError as e:
            out.append(str(e))
    return out


@program
def dim_order_doc(torch):
    return [
        _dim_orders(torch, t)
        for t in (
            torch.empty((2, 3, 5, 7)),
            torch.empty((2, 3, 5, 7)).transpose(1, 2),
            torch.empty((2, 3, 5, 7), memory_format=torch.channels_last),
            torch.empty((1, 2, 3, 4)),
        )
    ]


@program
def dim_order_odd_strides(torch):
    return [
        _dim_orders(torch, t)
        for t in (
            torch.empty(3, 1).expand(3, 4),
            torch.empty(2, 2, 2).permute(2, 0, 1),
            torch.empty(4, 3)[:, ::2],
            torch.empty(()),
            torch.empty(5),
            torch.empty(2, 3, 1, 1),
            torch.empty(2, 3, 1, 1, memory_format=torch.channels_last),
            torch.empty(3, 4, 5)[:, 0:1].transpose(0, 2),
        )
    ]


@error(TypeError, r"The ambiguity_check argument must be a bool or a list of memory formats")
def dim_order_bad_check(torch):
    return torch.empty((1, 2, 3, 4)).dim_order(ambiguity_check="ILLEGAL")


@error(TypeError, r"The ambiguity_check argument must be a bool or a list of memory formats")
def dim_order_bad_check_list(torch):
    return torch.empty((1, 2, 3, 4)).dim_order(ambiguity_check=[1])


@program
def empty_channels_last(torch):
    a = torch.empty(2, 3, 4, 5, memory_format=torch.channels_last)
    b = torch.empty((1, 2, 3, 4, 5), dtype=torch.float64, memory_format=torch.channels_last_3d)
    c = torch.empty(2, 3, memory_format=torch.contiguous_format)
    return (
        a.stride(),
        a.shape,
        a.is_contiguous(memory_format=torch.channels_last),
        b.stride(),
        b.dtype,
        c.stride(),
    )


@error(RuntimeError, r"required rank 4 tensor to use channels_last format")
def empty_channels_last_rank(torch):
    return torch.empty(2, 3, memory_format=torch.channels_last)


@error(RuntimeError, r"unsupported memory format Preserve")
def empty_preserve_format(torch):
    return torch.empty(2, 3, memory_format=torch.preserve_format)


@error(TypeError, r"zeros\(\) got an unexpected keyword argument 'memory_format'")
def zeros_refuses_memory_format(torch):
    return torch.zeros(2, 3, memory_format=torch.contiguous_format)


# ---- storages ---------------------------------------------------------------------------------
@program
def typed_storage_constructors(torch):
    s = torch.TypedStorage(5, dtype=torch.float32)
    v = torch.TypedStorage([1, 2, 3], dtype=torch.int64)
    e = torch.TypedStorage()
    return torch.is_storage(s), len(s), s.dtype, v.tolist(), v.dtype, len(e), e.dtype


# ---- pooling a non-tensor (nn.MaxUnpool2d example with the builtin `input`) ---------------------
@error(TypeError, r"argument 'input' \(position 1\) must be Tensor, not builtin_function_or_method")
def max_pool2d_of_builtin(torch):
    pool = torch.nn.MaxPool2d(2, stride=2, return_indices=True)
    return pool(builtins.input)


@error(TypeError, r"avg_pool2d\(\): argument 'input' \(position 1\) must be Tensor, not list")
def avg_pool2d_of_list(torch):
    return torch.nn.functional.avg_pool2d([1.0, 2.0], 2)


@program
def max_unpool2d_doc(torch):
    pool = torch.nn.MaxPool2d(2, stride=2, return_indices=True)
    unpool = torch.nn.MaxUnpool2d(2, stride=2)
    x = torch.arange(1.0, 21.0).reshape(1, 1, 4, 5).requires_grad_()
    output, indices = pool(x)
    out = unpool(output, indices, output_size=x.size())
    out.sum().backward()
    return out, indices, x.grad


# ---- softmax rounding (nn.CrossEntropyLoss example): 1/sum over the last dim, else a division --
@program
def softmax_reciprocal_last_dim(torch):
    x = torch.tensor([[0.0, -0.075], [0.0, -1.0], [0.0, -0.3]], dtype=torch.float64)
    e = torch.exp(x[:, 1])
    last = torch.softmax(x, 1)[:, 1]
    other = torch.softmax(x.t().contiguous(), 0)[1]
    return (
        last,
        (last == e * (1 / (1 + e))).tolist(),
        other,
        (other == e / (1 + e)).tolist(),
        torch.softmax(torch.tensor(2.0), 0),
    )


@program
def softmax_grad_float32(torch):
    torch.manual_seed(283)
    x = torch.randn(3, 5, requires_grad=True)
    p = torch.nn.functional.softmax(x, dim=1)
    (p * torch.arange(5.0)).sum().backward()
    return p, x.grad, torch.softmax(x.detach(), 0)


# ---- lr_scheduler / swa_utils / rnn utils / forward_ad / checkpoint / autograd.graph / attention ----
def _opt(torch, lr=0.05):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 1)
    return m, torch.optim.SGD(m.parameters(), lr=lr, momentum=0.9)


def sched_trace(torch, make, steps=12):
    m, opt = _opt(torch)
    s = make(torch, opt)
    lrs = []
    for _ in range(steps):
        opt.step()
        s.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    return lrs, s.get_last_lr()


@program
def lambda_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda e: 0.95**e)
    )


@program
def multiplicative_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.MultiplicativeLR(o, lr_lambda=lambda e: 0.95)
    )


@program
def step_lr(torch):
    return sched_trace(torch, lambda t, o: t.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.1))


@program
def multistep_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.MultiStepLR(o, milestones=[3, 8], gamma=0.1)
    )


@program
def constant_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=4)
    )


@program
def linear_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.LinearLR(o, start_factor=0.5, total_iters=4)
    )


@program
def exponential_lr(torch):
    return sched_trace(torch, lambda t, o: t.optim.lr_scheduler.ExponentialLR(o, gamma=0.9))


@program
def polynomial_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.PolynomialLR(o, total_iters=4, power=1.0)
    )


@program
def cosine_lr(torch):
    return sched_trace(
        torch, lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.001)
    )


@program
def cosine_wr(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.CosineAnnealingWarmRestarts(
            o, T_0=3, T_mult=2, eta_min=0.001
        ),
    )


@program
def cosine_wr_fractional(torch):
    m, opt = _opt(torch)
    s = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=1)
    out = []
    iters = 5
    for epoch in range(3):
        for i in range(iters):
            opt.step()
            s.step(epoch + i / iters)
            out.append(opt.param_groups[0]["lr"])
    return out


@program
def cyclic_lr(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
    )


@program
def cyclic_lr_exp(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.CyclicLR(
            o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="exp_range", gamma=0.9
        ),
    )


@program
def onecycle(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, steps_per_epoch=4, epochs=3),
    )


@program
def onecycle_linear(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.OneCycleLR(
            o, max_lr=0.1, total_steps=12, anneal_strategy="linear", three_phase=True
        ),
    )


@program
def sequential_lr(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.SequentialLR(
            o,
            schedulers=[
                t.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
                t.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
            ],
            milestones=[2],
        ),
    )


@program
def chained(torch):
    return sched_trace(
        torch,
        lambda t, o: t.optim.lr_scheduler.ChainedScheduler(
            [
                t.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
                t.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
            ]
        ),
    )


@program
def plateau(torch):
    m, opt = _opt(torch)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, "min", patience=1, factor=0.5)
    out = []
    for v in [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8]:
        s.step(v)
        out.append(opt.param_groups[0]["lr"])
    return out, s.get_last_lr(), s.num_bad_epochs, s.best


@program
def sched_state_dict(torch):
    m, opt = _opt(torch)
    s = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(3):
        opt.step()
        s.step()
    sd = s.state_dict()
    return sorted(k for k in sd), sd["last_epoch"], sd["_last_lr"], sd["base_lrs"]


@program
def swa_lr(torch):
    m, opt = _opt(torch)
    swa = torch.optim.swa_utils.AveragedModel(m)
    s = torch.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="cos")
    out = []
    for _i in range(5):
        opt.zero_grad()
        m(torch.ones(3, 2)).sum().backward()
        opt.step()
        swa.update_parameters(m)
        s.step()
        out.append(opt.param_groups[0]["lr"])
    return out, [p.detach().clone() for p in swa.parameters()], swa.n_averaged


@program
def ema_model(torch):
    m, opt = _opt(torch)
    ema = torch.optim.swa_utils.AveragedModel(
        m, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9)
    )
    for _i in range(3):
        opt.zero_grad()
        m(torch.ones(3, 2)).sum().backward()
        opt.step()
        ema.update_parameters(m)
    return [p.detach().clone() for p in ema.parameters()]


# ---- rnn utils
@program
def pack_sequence_doc(torch):
    pack_sequence, pad_packed_sequence = (
        torch.nn.utils.rnn.pack_sequence,
        torch.nn.utils.rnn.pad_packed_sequence,
    )
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([4, 5])
    c = torch.tensor([6])
    p = pack_sequence([a, b, c])
    return p.data, p.batch_sizes, p.sorted_indices, pad_packed_sequence(p, batch_first=True)


@program
def pack_padded_doc(torch):
    pack_padded_sequence, pad_packed_sequence = (
        torch.nn.utils.rnn.pack_padded_sequence,
        torch.nn.utils.rnn.pad_packed_sequence,
    )
    seq = torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    lens = [2, 1, 3]
    packed = pack_padded_sequence(seq, lens, batch_first=True, enforce_sorted=False)
    out, lengths = pad_packed_sequence(packed, batch_first=True, total_length=4)
    return (
        packed.data,
        packed.batch_sizes,
        packed.sorted_indices,
        packed.unsorted_indices,
        out,
        lengths,
    )


@program
def pad_sequence_doc(torch):
    pad_sequence = torch.nn.utils.rnn.pad_sequence
    a = torch.ones(25, 300)
    b = torch.ones(22, 300)
    c = torch.ones(15, 300)
    r = pad_sequence([a, b, c])
    left = pad_sequence(
        [torch.tensor([1.0, 2]), torch.tensor([3.0])],
        batch_first=True,
        padding_value=-1,
        padding_side="left",
    )
    return r.size(), left


@program
def unpad_unpack(torch):
    R = torch.nn.utils.rnn
    pad_sequence, unpad_sequence, pack_sequence, unpack_sequence = (
        R.pad_sequence,
        R.unpad_sequence,
        R.pack_sequence,
        R.unpack_sequence,
    )
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([4, 5])
    c = torch.tensor([6])
    padded = pad_sequence([a, b, c], batch_first=True)
    return unpad_sequence(padded, torch.tensor([3, 2, 1]), batch_first=True), unpack_sequence(
        pack_sequence([a, b, c])
    )


@program
def packed_lstm_grad(torch):
    pack_padded_sequence, pad_packed_sequence = (
        torch.nn.utils.rnn.pack_padded_sequence,
        torch.nn.utils.rnn.pad_packed_sequence,
    )
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 4, batch_first=True)
    x = torch.randn(3, 5, 3, requires_grad=True)
    p = pack_padded_sequence(x, torch.tensor([5, 2, 3]), batch_first=True, enforce_sorted=False)
    out, (h, c) = lstm(p)
    o, l = pad_packed_sequence(out, batch_first=True)
    (o.sum() + h.sum()).backward()
    return o, h, l, x.grad


# ---- forward_ad
@program
def forward_ad_doc(torch):
    fwAD = torch.autograd.forward_ad
    primal = torch.randn(10, 10)
    tangent = torch.randn(10, 10)
    with fwAD.dual_level():
        inp = fwAD.make_dual(primal, tangent)
        out = inp.sin().exp() * 2
        p, t = fwAD.unpack_dual(out)
        up = fwAD.unpack_dual(out)
    return p, t, up.primal is p, type(up).__name__


# ---- checkpoint
@program
def checkpoint_doc(torch):
    checkpoint, checkpoint_sequential = (
        torch.utils.checkpoint.checkpoint,
        torch.utils.checkpoint.checkpoint_sequential,
    )
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 4)
    x = torch.randn(2, 4, requires_grad=True)
    y = checkpoint(lambda t: torch.relu(lin(t)), x, use_reentrant=False)
    y.sum().backward()
    seq = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    z = checkpoint_sequential(seq, 2, x, use_reentrant=False)
    z.sum().backward()
    return y, x.grad, lin.weight.grad, z


# ---- graph
@program
def saved_tensors_hooks_doc(torch):
    log = []

    def pack_hook(x):
        log.append(("pack", x.shape))
        return x

    def unpack_hook(x):
        log.append(("unpack", x.shape))
        return x

    a = torch.ones(5, requires_grad=True)
    b = torch.ones(5, requires_grad=True) * 2
    with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
        y = a * b
    y.sum().backward()
    return log, a.grad


@program
def save_on_cpu_doc(torch):
    a = torch.randn(5, requires_grad=True)
    b = torch.randn(5, requires_grad=True)
    c = torch.randn(5, requires_grad=True)

    def f(a, b, c):
        prod_1 = a * b
        with torch.autograd.graph.save_on_cpu(pin_memory=False):
            prod_2 = prod_1 * c
        y = prod_2 * a
        return y

    y = f(a, b, c)
    y.sum().backward()
    return a.grad, b.grad, c.grad


@program
def grad_fn_hooks(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 3
    out = []
    b.grad_fn.register_hook(lambda gi, go: out.append(("post", [g for g in gi], [g for g in go])))
    b.grad_fn.register_prehook(lambda go: out.append(("pre", list(go))))
    b.sum().backward()
    return (
        out,
        b.grad_fn.name(),
        [type(n[0]).__name__ if n[0] is not None else None for n in b.grad_fn.next_functions],
    )


@program
def allow_mutation(torch):
    a = torch.ones(3, requires_grad=True)
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        b = a.clone()
        c = b * b
        b.mul_(2)
        c.sum().backward()
    return a.grad, b


# ---- attention
@program
def sdpa_kernel_doc(torch):
    sdpa_kernel, SDPBackend = torch.nn.attention.sdpa_kernel, torch.nn.attention.SDPBackend
    torch.manual_seed(0)
    q = torch.randn(2, 3, 4, 8)
    k = torch.randn(2, 3, 4, 8)
    v = torch.randn(2, 3, 4, 8)
    with sdpa_kernel(backends=[SDPBackend.MATH]):
        o = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    with sdpa_kernel([SDPBackend.MATH, SDPBackend.EFFICIENT_ATTENTION]):
        o2 = torch.nn.functional.scaled_dot_product_attention(q, k, v, scale=0.5, enable_gqa=False)
    return o, o2


@program
def sdpa_gqa(torch):
    torch.manual_seed(0)
    q = torch.randn(2, 8, 4, 8, requires_grad=True)
    k = torch.randn(2, 2, 4, 8)
    v = torch.randn(2, 2, 4, 8)
    m = torch.ones(4, 4, dtype=torch.bool).tril()
    o = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m, enable_gqa=True)
    o.sum().backward()
    return o, q.grad


# ---- nn.Module, optimizer, distributions, utils.data, parametrize, nn.utils methods' examples ----


@program
def module_apply_doc(torch):
    out = []

    @torch.no_grad()
    def init_weights(m):
        out.append(type(m).__name__)
        if type(m) is torch.nn.Linear:
            m.weight.fill_(1.0)

    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
    net.apply(init_weights)
    return out, net[0].weight


@program
def module_named_modules_doc(torch):
    l = torch.nn.Linear(2, 2)
    net = torch.nn.Sequential(l, l)
    return (
        [(n, type(m).__name__) for n, m in net.named_modules()],
        [n for n, _ in net.named_modules(remove_duplicate=False)],
        [n for n, _ in net.named_children()],
    )


@program
def module_state_dict_doc(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    sd = m.state_dict()
    sd2 = m.state_dict(prefix="p.", keep_vars=True)
    return (
        list(sd.keys()),
        list(sd2.keys()),
        sd["1.num_batches_tracked"],
        sd2["p.0.weight"].requires_grad,
    )


@program
def module_register_buffer_doc(torch):
    m = torch.nn.Module()
    m.register_buffer("running_mean", torch.zeros(3))
    m.register_buffer("tmp", torch.ones(2), persistent=False)
    m.register_buffer("none", None)
    return list(m.state_dict().keys()), [n for n, _ in m.named_buffers()], m.none


@program
def module_to_doc(torch):
    linear = torch.nn.Linear(2, 2)
    linear.to(torch.double)
    r1 = linear.weight.dtype
    linear.to(dtype=torch.half)
    r2 = linear.weight.dtype, linear.bias.dtype
    linear.to(torch.float32)
    return r1, r2, linear(torch.ones(1, 2)).dtype


@program
def module_get_submodule(torch):
    net = torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()))
    return (
        type(net.get_submodule("0.1")).__name__,
        net.get_parameter("0.0.bias").shape,
        type(net.get_submodule("")).__name__,
    )


@error(AttributeError, r"has no attribute `2`")
def module_get_submodule_missing(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    return net.get_submodule("2")


@program
def module_named_parameters_prefix(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sequential(torch.nn.Linear(2, 1)))
    return (
        [n for n, _ in net.named_parameters(prefix="m", recurse=True)],
        [n for n, _ in net.named_parameters(recurse=False)],
        [p.shape for p in net[1].parameters()],
    )


@program
def module_train_eval_modes(torch):
    net = torch.nn.Sequential(torch.nn.Dropout(), torch.nn.BatchNorm1d(2))
    net.eval()
    a = [m.training for m in net.modules()]
    net.train(False)
    b = net.training
    net.train()
    c = [m.training for m in net.modules()]
    return a, b, c, net.requires_grad_(False) is net, [p.requires_grad for p in net.parameters()]


@program
def optimizer_load_state_doc(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 1)
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        m(torch.ones(3, 2)).sum().backward()
        opt.step()
    sd = opt.state_dict()
    opt2 = torch.optim.Adam(m.parameters(), lr=0.5)
    opt2.load_state_dict(sd)
    return (
        sorted(sd.keys()),
        sd["param_groups"][0]["lr"],
        opt2.param_groups[0]["lr"],
        sd["state"][0]["step"],
        opt2.state[m.weight]["exp_avg"],
    )


@program
def optimizer_add_param_group(torch):
    torch.manual_seed(0)
    a = torch.nn.Linear(2, 1)
    b = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(a.parameters(), lr=0.1, momentum=0.5)
    opt.add_param_group({"params": b.parameters(), "lr": 0.01})
    return (
        [g["lr"] for g in opt.param_groups],
        [g["momentum"] for g in opt.param_groups],
        sorted(opt.param_groups[1].keys()),
    )


@error(ValueError, r"some parameters appear in more than one parameter group")
def optimizer_duplicate_group(torch):
    a = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(a.parameters(), lr=0.1)
    opt.add_param_group({"params": [a.weight]})


@program
def distribution_methods(torch):
    D = torch.distributions
    torch.manual_seed(0)
    n = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
    x = torch.tensor([0.5, -1.0])
    return (
        n.log_prob(x),
        n.cdf(x),
        n.icdf(torch.tensor([0.1, 0.9])),
        n.entropy(),
        n.mean,
        n.stddev,
        n.variance,
        n.sample((3,)),
        n.rsample(),
        n.batch_shape,
        n.event_shape,
        n.expand((3, 2)).batch_shape,
        n.perplexity(),
    )


@program
def distribution_doc_samples(torch):
    D = torch.distributions
    torch.manual_seed(0)
    out = []
    for d in (
        D.Bernoulli(torch.tensor([0.3])),
        D.Beta(torch.tensor([0.5]), torch.tensor([0.5])),
        D.Binomial(100, torch.tensor([0, 0.2, 0.8, 1])),
        D.Categorical(torch.tensor([0.25, 0.25, 0.25, 0.25])),
        D.Cauchy(torch.tensor([0.0]), torch.tensor([1.0])),
        D.Chi2(torch.tensor([1.0])),
        D.Exponential(torch.tensor([1.0])),
        D.Geometric(torch.tensor([0.3])),
        D.Gumbel(torch.tensor([1.0]), torch.tensor([2.0])),
        D.HalfCauchy(torch.tensor([1.0])),
        D.HalfNormal(torch.tensor([1.0])),
        D.Laplace(torch.tensor([0.0]), torch.tensor([1.0])),
        D.LogNormal(torch.tensor([0.0]), torch.tensor([1.0])),
        D.Poisson(torch.tensor([4.0])),
        D.Uniform(torch.tensor([0.0]), torch.tensor([5.0])),
        D.StudentT(torch.tensor([2.0])),
        D.Gamma(torch.tensor([1.0]), torch.tensor([1.0])),
        D.Dirichlet(torch.tensor([0.5, 0.5])),
        D.OneHotCategorical(torch.tensor([0.25, 0.25, 0.25, 0.25])),
        D.Multinomial(100, torch.tensor([1.0, 1.0, 1.0, 1.0])),
        D.VonMises(torch.tensor([1.0]), torch.tensor([1.0])),
        D.Weibull(torch.tensor([1.0]), torch.tensor([1.0])),
        D.Pareto(torch.tensor([1.0]), torch.tensor([1.0])),
        D.FisherSnedecor(torch.tensor([1.0]), torch.tensor([2.0])),
        D.Kumaraswamy(torch.tensor([1.0]), torch.tensor([1.0])),
        D.LKJCholesky(3, 0.5),
        D.NegativeBinomial(torch.tensor([3.0]), torch.tensor([0.3])),
        D.ContinuousBernoulli(torch.tensor([0.3])),
        D.LogisticNormal(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0])),
        D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
        D.LowRankMultivariateNormal(torch.zeros(2), torch.tensor([[1.0], [0.0]]), torch.ones(2)),
        D.RelaxedBernoulli(torch.tensor([2.2]), torch.tensor([0.1, 0.2, 0.3, 0.99])),
        D.RelaxedOneHotCategorical(torch.tensor([2.2]), torch.tensor([0.1, 0.2, 0.3, 0.4])),
        D.Wishart(df=torch.tensor([3.0]), covariance_matrix=torch.eye(2)),
        D.InverseGamma(torch.tensor([2.0]), torch.tensor([3.0])),
        D.GeneralizedPareto(torch.tensor([0.1]), torch.tensor([2.0]), torch.tensor([0.4])),
    ):
        out.append((type(d).__name__, d.sample()))
    return out


@program
def mixture_same_family_doc(torch):
    D = torch.distributions
    torch.manual_seed(0)
    mix = D.Categorical(
        torch.ones(
            5,
        )
    )
    comp = D.Normal(
        torch.randn(
            5,
        ),
        torch.rand(
            5,
        ),
    )
    gmm = D.MixtureSameFamily(mix, comp)
    mix2 = D.Categorical(
        torch.ones(
            5,
        )
    )
    comp2 = D.Independent(D.Normal(torch.randn(5, 2), torch.rand(5, 2)), 1)
    gmm2 = D.MixtureSameFamily(mix2, comp2)
    x = torch.tensor([[0.1, 0.2]])
    return (
        gmm.sample((2,)),
        gmm.log_prob(torch.tensor([0.3, -1.0])),
        gmm.mean,
        gmm.variance,
        gmm2.log_prob(x),
        gmm.cdf(torch.tensor(0.2)),
    )


@program
def transformed_distribution_doc(torch):
    D = torch.distributions
    T = D.transforms
    torch.manual_seed(0)
    base = D.Uniform(torch.zeros(2), torch.ones(2))
    logistic = D.TransformedDistribution(
        base,
        [
            T.SigmoidTransform().inv,
            T.AffineTransform(loc=torch.tensor([1.0, 2.0]), scale=torch.tensor([0.5, 2.0])),
        ],
    )
    x = logistic.sample()
    return (
        x,
        logistic.log_prob(x),
        logistic.event_shape,
        [type(t).__name__ for t in logistic.transforms],
    )


@program
def kl_divergence_doc(torch):
    D = torch.distributions
    p = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))
    q = D.Normal(torch.tensor([1.0, 1.0]), torch.tensor([2.0, 0.5]))
    return (
        D.kl_divergence(p, q),
        D.kl_divergence(
            D.Categorical(probs=torch.tensor([0.2, 0.8])),
            D.Categorical(probs=torch.tensor([0.5, 0.5])),
        ),
        D.kl_divergence(D.Independent(p, 1), D.Independent(q, 1)),
    )


@program
def constraints_doc(torch):
    C = torch.distributions.constraints
    return (
        C.positive.check(torch.tensor([-1.0, 0.0, 1.0])),
        C.interval(0, 1).check(torch.tensor([0.5, 2.0])),
        C.simplex.check(torch.tensor([[0.5, 0.5], [0.2, 0.2]])),
        C.real_vector.check(torch.ones(2, 3)),
        C.integer_interval(0, 3).check(torch.tensor([1.0, 1.5])),
        str(C.positive),
        str(C.interval(0, 1)),
    )


@program
def dataloader_doc(torch):
    DU = torch.utils.data
    ds = DU.TensorDataset(torch.arange(10.0).reshape(5, 2), torch.arange(5))
    g = torch.Generator()
    g.manual_seed(0)
    dl = DU.DataLoader(ds, batch_size=2, shuffle=True, generator=g, drop_last=False)
    b = [(x, y) for x, y in dl]
    dl2 = DU.DataLoader(ds, batch_size=None)
    return b, len(dl), next(iter(dl2)), len(DU.DataLoader(ds, batch_size=2, drop_last=True))


@program
def samplers_doc(torch):
    DU = torch.utils.data
    g = torch.Generator().manual_seed(0)
    return (
        list(DU.BatchSampler(DU.SequentialSampler(range(10)), batch_size=3, drop_last=False)),
        list(DU.BatchSampler(DU.SequentialSampler(range(10)), batch_size=3, drop_last=True)),
        list(
            DU.WeightedRandomSampler(
                [0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, replacement=True, generator=g
            )
        ),
        list(
            DU.WeightedRandomSampler(
                [0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, replacement=False, generator=g
            )
        ),
        list(DU.SubsetRandomSampler([3, 5, 7], generator=g)),
        list(DU.RandomSampler(range(5), num_samples=8, replacement=True, generator=g)),
    )


@program
def random_split_doc(torch):
    DU = torch.utils.data
    g = torch.Generator().manual_seed(42)
    a, b = DU.random_split(range(10), [3, 7], generator=g)
    c = DU.random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))
    return list(a), list(b), [list(x) for x in c]


@program
def concat_dataset_and_subset(torch):
    DU = torch.utils.data
    a = DU.TensorDataset(torch.arange(3))
    b = DU.TensorDataset(torch.arange(10, 14))
    c = DU.ConcatDataset([a, b])
    s = DU.Subset(c, [0, 4, 6])
    return len(c), c[4], c[-1], [s[i] for i in range(len(s))], c.cumulative_sizes


@program
def default_collate_doc(torch):
    from collections import namedtuple

    DU = torch.utils.data
    Point = namedtuple("Point", ["x", "y"])
    return (
        DU.default_collate([0, 1, 2, 3]),
        DU.default_collate(["a", "b", "c"]),
        DU.default_collate([{"A": 0, "B": 1}, {"A": 100, "B": 100}]),
        DU.default_collate([Point(0, 0), Point(1, 1)]),
        DU.default_collate([(0, 1), (2, 3)]),
        DU.default_collate([[0, 1], [2, 3]]),
        DU.default_collate([torch.tensor([1.0]), torch.tensor([2.0])]),
        DU.default_convert(0),
        DU.default_convert([(0, 1)]),
    )


@program
def iterable_dataset_worker_info(torch):
    DU = torch.utils.data

    class MyIterableDataset(DU.IterableDataset):
        def __init__(self, start, end):
            super().__init__()
            self.start, self.end = start, end

        def __iter__(self):
            info = DU.get_worker_info()
            return iter(range(self.start, self.end)) if info is None else iter([])

    ds = MyIterableDataset(3, 7)
    return list(DU.DataLoader(ds, num_workers=0)), list(DU.DataLoader(ds, batch_size=3))


@program
def stateless_functional_call(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 1)
    params = {"weight": torch.ones(1, 2), "bias": torch.zeros(1)}
    x = torch.tensor([[1.0, 2.0]])
    return (
        torch.func.functional_call(m, params, (x,)),
        torch.nn.utils.stateless.functional_call(m, params, x),
        m.weight.sum() != 2,
    )


@program
def parametrize_doc(torch):
    P = torch.nn.utils.parametrize

    class Symmetric(torch.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).mT

    torch.manual_seed(0)
    m = torch.nn.Linear(3, 3)
    P.register_parametrization(m, "weight", Symmetric())
    w = m.weight
    names = sorted(n for n, _ in m.named_parameters())
    with P.cached():
        c = m.weight is m.weight
    P.remove_parametrizations(m, "weight", leave_parametrized=True)
    return w, names, P.is_parametrized(m), c, torch.equal(w, w.T)


@program
def weight_norm_spectral(torch):
    torch.manual_seed(0)
    m = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(20, 40), name="weight")
    s = torch.nn.utils.parametrizations.spectral_norm(torch.nn.Linear(20, 40))
    o = torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(5, 5))
    return (
        m.parametrizations.weight.original0.size(),
        m.parametrizations.weight.original1.size(),
        torch.linalg.matrix_norm(s.weight, 2),
        torch.dist(o.weight @ o.weight.T, torch.eye(5)) < 1e-5,
    )


@program
def clip_grad_doc(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(3, 2)
    m(torch.randn(4, 3)).pow(2).sum().backward()
    n = torch.nn.utils.clip_grad_norm_(m.parameters(), max_norm=0.5, norm_type=2.0)
    g1 = [p.grad.clone() for p in m.parameters()]
    torch.nn.utils.clip_grad_value_(m.parameters(), clip_value=0.1)
    n2 = torch.nn.utils.get_total_norm([p.grad for p in m.parameters()], norm_type="inf")
    v = torch.nn.utils.parameters_to_vector(m.parameters())
    torch.nn.utils.vector_to_parameters(v * 2, m.parameters())
    return n, g1, n2, v, m.weight


@program
def fuse_conv_bn(torch):
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(2, 3, 3).eval()
    bn = torch.nn.BatchNorm2d(3).eval()
    bn.running_mean.uniform_()
    bn.running_var.uniform_(0.5, 1.5)
    fused = torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)
    x = torch.randn(1, 2, 5, 5)
    return torch.allclose(fused(x), bn(conv(x)), atol=1e-6), fused.weight.shape


@error(
    RuntimeError, r"Expected `len\(lengths\)` to be equal to batch_size, but got 2 \(batch_size=3\)"
)
def pack_padded_count_before_zero(torch):
    return torch.nn.utils.rnn.pack_padded_sequence(torch.ones(3, 2), [0, 1], batch_first=True)


@error(RuntimeError, r"`lengths` array must be sorted in decreasing order")
def pack_padded_sorted_before_zero(torch):
    return torch.nn.utils.rnn.pack_padded_sequence(torch.ones(2, 3), [0, 1], batch_first=True)


@program
def rnn_utils_invalid_order(torch):
    R = torch.nn.utils.rnn
    try:
        R.pack_padded_sequence(torch.ones(3, 2), [1, 2], batch_first=True)
        return "no error"
    except RuntimeError as e:
        first = str(e)
    try:
        R.pack_padded_sequence(torch.ones(2, 2), [1, 2], batch_first=True)
    except RuntimeError as e:
        return first, str(e)


@program
def autograd_functional_doc(torch):
    AF = torch.autograd.functional

    def exp_reducer(x):
        return x.exp().sum(dim=1)

    inputs = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
    v = torch.ones(2)

    def pow_reducer(x):
        return x.pow(3).sum()

    return (
        AF.vjp(exp_reducer, inputs, v),
        AF.jvp(exp_reducer, inputs, torch.ones(2, 2)),
        AF.jacobian(exp_reducer, inputs).shape,
        AF.hessian(pow_reducer, torch.tensor([[1.0, 2.0]])),
        AF.vhp(pow_reducer, torch.tensor([1.0, 2.0]), torch.ones(2)),
        AF.hvp(pow_reducer, torch.tensor([1.0, 2.0]), torch.ones(2)),
        AF.jacobian(exp_reducer, inputs, vectorize=True, strategy="forward-mode").shape,
    )


# ---- nn.Softshrink / Hardshrink examples: PyTorch's signed zero, NaN passes through -------------
@program
def shrink_signed_zero_and_nan(torch):
    x = torch.tensor([1.541, -0.2934, 0.2, -3.0, float("nan"), -0.0], dtype=torch.float64)
    x.requires_grad_()
    s = torch.nn.Softshrink(0.5)(x)
    h = torch.nn.functional.hardshrink(x, 0.5)
    (s + h).nansum().backward()
    return s, torch.signbit(s), h, torch.signbit(h), x.grad


# ---- torch.from_dlpack of an old-style capsule ------------------------------------------------
@program
def from_dlpack_capsule_doc(torch):
    t = torch.arange(4)
    t2 = torch.from_dlpack(t)
    t2[:2] = -1
    capsule = torch.utils.dlpack.to_dlpack(t)
    t3 = torch.from_dlpack(capsule)
    t3[0] = -9
    return t, t2, t3


# ---- nn.utils.rnn.unpad_sequence example: masked copies, time-major input transposed in place ---
@program
def unpad_sequence_doc_semantics(torch):
    a = torch.tensor([1.0, 2.0, 3.0])
    b = torch.tensor([4.0, 5.0])
    padded = torch.nn.utils.rnn.pad_sequence([a, b]).requires_grad_()
    p2 = padded * 1
    un = torch.nn.utils.rnn.unpad_sequence(p2, torch.tensor([3, 2]))
    shape_after = p2.shape
    un[0].sum().backward()
    pb = torch.nn.utils.rnn.pad_sequence([a, b], batch_first=True)
    u2 = torch.nn.utils.rnn.unpad_sequence(pb, torch.tensor([3, 2]), batch_first=True)
    u2[0][0] = 100
    return un, shape_after, padded.grad, type(un[0].grad_fn).__name__, u2, pb
