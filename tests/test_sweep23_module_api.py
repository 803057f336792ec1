"""Session 13 sweep over the nn.Module API as PyTorch's own tests check it (test_module_hooks,
test_load_state_dict, test_parametrization, test_pruning, test_lazy_modules): hook order and
replacement rules, load_state_dict's checks and messages, _load_from_state_dict overrides,
parametrizations, pruning and lazy modules. Each program runs with PyTorch (the oracle) and
minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import importlib
import re

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _net(torch):
    """Two Sequentials of two Linear(4, 4) each, seeded."""
    torch.manual_seed(0)
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.seq1 = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))
            self.seq2 = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))

        def forward(self, x):
            return self.seq2(self.seq1(x))

    return Net()


# ---- hooks ---------------------------------------------------------------------------------
@program
def hook_orders_with_prepend_all_kinds(torch):
    net = _net(torch)
    fired = []
    for kind in ("forward_pre_hook", "forward_hook", "full_backward_pre_hook",
                 "full_backward_hook"):  # fmt: skip
        register = getattr(net.seq1, "register_" + kind)
        for i, prepend in enumerate((False, True, False, True, False)):
            register(lambda *a, k=kind, i=i: fired.append(f"{k}{i}"), prepend=prepend)
    net(torch.randn(2, 4)).sum().backward()
    first = list(fired)
    net(torch.randn(2, 4)).sum().backward()
    return first, len(fired)


@program
def kwarg_pre_and_post_hooks_compose(torch):
    class M(torch.nn.Module):
        def forward(self, x, bias=None):
            return x + bias if bias is not None else x

    m = M()
    fired = []

    def pre(mod, args, kwargs):
        fired.append(("pre", len(args), sorted(kwargs)))
        kwargs["bias"] = 2 * kwargs["bias"]
        return args, kwargs

    def post(mod, args, kwargs, out):
        fired.append(("post", len(args), sorted(kwargs)))
        return out + kwargs["bias"]

    h1 = m.register_forward_hook(post, with_kwargs=True)
    h2 = m.register_forward_pre_hook(pre, with_kwargs=True)
    x, b = torch.ones(2, 2), torch.ones(2, 2)
    outs = [m(x, bias=b)]
    h1.remove()
    outs.append(m(x, bias=b))
    h2.remove()
    outs.append(m(x, bias=b))
    return outs, fired, len(m._forward_hooks), len(m._forward_pre_hooks)


@program
def forward_hook_bound_method_with_kwargs(torch):
    class M(torch.nn.Module):
        def forward(self, x, bias=None):
            return x + bias

        def post(self, mod, args, kwargs, out):
            return out + kwargs["bias"] + (mod is self)

    m = M()
    m.register_forward_hook(m.post, with_kwargs=True)
    return m(torch.ones(2), bias=torch.full((2,), 3.0))


@program
def backward_hooks_on_dict_output_warn_and_skip(torch):
    import warnings

    class M(torch.nn.Module):
        def forward(self, d):
            return {"x": torch.softmax(d["x"], 0)}

    class L(torch.nn.Module):
        def forward(self, x):
            return [x * 2]

    lm = L()
    lm.register_full_backward_hook(lambda *a: counter.__setitem__("bw", counter["bw"] + 1))
    m = M()
    counter = {"fw": 0, "bw": 0}
    m.register_forward_pre_hook(lambda *a: counter.__setitem__("fw", counter["fw"] + 1))
    m.register_forward_hook(lambda *a: counter.__setitem__("fw", counter["fw"] + 1))
    m.register_full_backward_pre_hook(lambda *a: counter.__setitem__("bw", counter["bw"] + 1))
    m.register_full_backward_hook(lambda *a: counter.__setitem__("bw", counter["bw"] + 1))
    x = torch.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m({"x": x})["x"].sum().backward()
        lm(x)[0].sum().backward()
        with torch.no_grad():
            lm(x)
    return counter, [str(i.message) for i in w if "Tensor or a tuple" in str(i.message)], x.grad


@program
def global_hooks_count_and_remove(torch):
    reg = torch.nn.modules.module
    mods = [torch.nn.Sigmoid() for _ in range(3)]
    x = torch.ones(3, 3, requires_grad=True)
    counts = {"f": 0, "b": 0}
    seen = []

    def fw(inc):
        def hook(m, inp, out):
            counts["f"] += inc
            seen.append((type(inp).__name__, type(out).__name__))

        return hook

    def bw(inc):
        def hook(m, gin, gout):
            counts["b"] += inc
            seen.append(float(gout[0].sum()))

        return hook

    h1 = reg.register_module_forward_hook(fw(1))
    h2 = reg.register_module_full_backward_hook(bw(1))
    try:
        outs = [m(x) for m in mods]
        outs[0].backward(torch.ones(3, 3) * 2, retain_graph=True)
        outs[1].backward(torch.ones(3, 3) * 2)
        h3 = reg.register_module_forward_hook(fw(2))
        h4 = reg.register_module_full_backward_hook(bw(2))
        mods[2](x).backward(torch.ones(3, 3))
        h4.remove()
        mods[0](x).backward(torch.ones(3, 3))
        h3.remove()
        mods[1](x).sum().backward()
    finally:
        h1.remove()
        h2.remove()
    mods[0](x).sum().backward()
    return counts, seen


@program
def global_and_local_hooks_order(torch):
    reg = torch.nn.modules.module
    m = torch.nn.Sigmoid()
    order = []
    handles = [
        reg.register_module_forward_pre_hook(lambda *a: order.append("g_pre")),
        m.register_forward_pre_hook(lambda *a: order.append("l_pre")),
        reg.register_module_forward_hook(lambda *a: order.append("g_fwd")),
        m.register_forward_hook(lambda *a: order.append("l_fwd")),
        reg.register_module_full_backward_pre_hook(lambda *a: order.append("g_bpre")),
        m.register_full_backward_pre_hook(lambda *a: order.append("l_bpre")),
        reg.register_module_full_backward_hook(lambda *a: order.append("g_bwd")),
        m.register_full_backward_hook(lambda *a: order.append("l_bwd")),
    ]
    try:
        m(torch.randn(3, requires_grad=True)).sum().backward()
    finally:
        for h in handles:
            h.remove()
    return order


@program
def global_pre_hook_and_hook_rewrite(torch):
    reg = torch.nn.modules.module
    m = torch.nn.Sigmoid()
    x = torch.randn(4, 4, requires_grad=True)
    h1 = reg.register_module_forward_pre_hook(lambda mod, inp: torch.relu(inp[0]))
    h2 = reg.register_module_forward_hook(lambda mod, inp, out: -out)
    try:
        out = m(x)
        out.backward(torch.ones(4, 4) * 2)
    finally:
        h1.remove()
        h2.remove()
    return out, x.grad


@error(RuntimeError, r"got 2, but expected 1")
def backward_pre_hook_too_many_grads(torch):
    m = torch.nn.Sigmoid()
    with m.register_full_backward_pre_hook(lambda mod, go: go + (torch.randn(2),)):
        m(torch.randn(3, requires_grad=True)).sum().backward()


@error(RuntimeError, r"got 0, but expected 1")
def backward_pre_hook_empty_tuple(torch):
    m = torch.nn.Sigmoid()
    with m.register_full_backward_pre_hook(lambda mod, go: ()):
        m(torch.randn(3, requires_grad=True)).sum().backward()


@program
def backward_pre_hook_feeds_backward_hook(torch):
    m = torch.nn.Sigmoid()
    seen = []
    m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 0.5,))
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(go[0]))
    t = torch.ones(1, 2, requires_grad=True)
    m(t).sum().backward()
    return seen, t.grad


@error(RuntimeError, r"where no input requires gradient")
def full_backward_hook_returns_grad_for_no_grad_input(torch):
    mod = torch.nn.Linear(2, 3)
    inp = torch.rand(1, 2)
    mod.register_full_backward_hook(lambda m, gi, go: (inp,))
    mod(inp).sum().backward()


@program
def full_backward_hook_no_grad_inputs_sees_none(torch):
    mod = torch.nn.Linear(2, 3)
    seen = []

    def hook(m, gi, go):
        seen.append((gi, tuple(g.shape for g in go)))
        return gi

    mod.register_full_backward_hook(hook)
    mod(torch.rand(1, 2)).sum().backward()
    return seen, mod.weight.grad


@program
def full_backward_hook_non_tensor_input_and_output(torch):
    class M(torch.nn.Module):
        def forward(self, flag, t):
            return t.clone(), flag

    seen = []
    m = M()
    m.register_full_backward_hook(
        lambda mod, gi, go: seen.append((gi[0] is None, gi[1], go[0], go[1] is None))
    )
    inp = torch.rand(2, requires_grad=True)
    out, _ = m(True, inp)
    out.sum().backward()
    return seen


@program
def full_backward_hook_requires_grad_propagates(torch):
    class M(torch.nn.Module):
        def forward(self, a, b, c):
            return a.sum() + b.sum() + c.sum(), (a.requires_grad, b.requires_grad, c.requires_grad)

    inp = torch.rand(2, requires_grad=True)
    m = M()
    m.register_full_backward_hook(lambda *a: None)
    out, flags = m(inp, inp.detach(), inp)
    out.backward()
    return flags, inp.grad


@program
def full_backward_hook_last_arg_requires_grad(torch):
    mod = torch.nn.L1Loss()
    seen = []
    mod.register_full_backward_hook(lambda m, gi, go: seen.append((gi[0], gi[1])))
    inp = torch.rand(3, requires_grad=True)
    mod(inp.detach() * 0.5, inp).backward()
    return seen, inp.grad


@program
def full_backward_hook_sizes_with_reduction(torch):
    class M(torch.nn.Module):
        def forward(self, a, b):
            tmp = a.sum() * b
            tmp = tmp + b.sum() * a.sum()
            return tmp.sum().view(1).expand(8).contiguous()

    seen = []
    m = M()
    m.register_full_backward_hook(
        lambda mod, gi, go: seen.append(
            ([tuple(g.shape) for g in gi], [tuple(g.shape) for g in go])
        )
    )
    m(torch.randn(5, 5, requires_grad=True), torch.randn(3, 3, requires_grad=True)).sum().backward()
    return seen


@error(RuntimeError, r"Output 0 of BackwardHookFunction is a view and is being modified inplace")
def full_backward_hook_inplace_on_input_in_forward(torch):
    class M(torch.nn.Module):
        def forward(self, inp):
            inp += 1
            return inp.clone()

    m = M()
    m.register_full_backward_pre_hook(lambda *a: None)
    m(torch.rand(3, requires_grad=True).clone())


@program
def deprecated_backward_hook_writeable(torch):
    m = torch.nn.Sigmoid()
    x = torch.randn(3, 3, requires_grad=True)
    m.register_backward_hook(lambda mod, gi, go: tuple(g * 2 for g in gi))
    m(x).backward(torch.ones(3, 3))
    return x.grad


@program
def deprecated_backward_hook_warnings(torch):
    import warnings

    noop = lambda *a: None  # noqa: E731
    a = torch.rand(2, requires_grad=True)
    b = torch.rand(2, requires_grad=True)

    class ListIn(torch.nn.Module):
        def forward(self, pair):
            return pair[0].clone(), pair[1].clone()

    class ListOut(torch.nn.Module):
        def forward(self, x, y):
            return [x.clone(), y.clone()]

    class TwoNodes(torch.nn.Module):
        def forward(self, x, y):
            return x.clone(), y.clone()

    class Chain(torch.nn.Module):
        def forward(self, x):
            return x.clone().clone()

    msgs = []
    for mod, args in ((ListIn(), ([a, b],)), (ListOut(), (a, b)), (TwoNodes(), (a, b)),
                      (Chain(), (a,))):  # fmt: skip
        mod.register_backward_hook(noop)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            mod(*args)
        msgs.append(
            [
                key
                for key in (
                    "a single Tensor or a tuple of Tensors",
                    "different autograd Nodes",
                    "multiple autograd Nodes",
                )  # fmt: skip
                if any(key in str(i.message) for i in w)
            ]
        )
    return msgs


@program
def forward_hook_removes_itself_while_running(torch):
    m = torch.nn.Sigmoid()
    handles = {}

    def make(name):
        def hook(mod, inp, out):
            handles[name].remove()
            return out

        return hook

    handles["a"] = m.register_forward_hook(make("a"))
    handles["b"] = m.register_forward_hook(make("b"))
    x = torch.randn(2, 2)
    out = m(x)
    return out, len(m._forward_hooks), handles["a"].id in m._forward_hooks


@program
def batchnorm_full_backward_hook_counts(torch):
    bn = torch.nn.BatchNorm1d(5)
    seen = []
    bn.register_full_backward_hook(lambda m, gi, go: seen.append((len(gi), len(go), m is bn)))
    bn(torch.randn(5, 5, requires_grad=True)).sum().backward()
    return seen


# ---- state_dict hooks and load_state_dict ----------------------------------------------------
@program
def load_state_dict_pre_hook_with_and_without_module(torch):
    m = torch.nn.Linear(3, 3)
    sd = torch.nn.Linear(3, 3).state_dict()
    calls = []

    def without_module(state_dict, prefix, meta, strict, missing, unexpected, errors):
        calls.append(("plain", prefix, sorted(state_dict), strict, missing, unexpected, errors))

    def with_module(module, state_dict, prefix, meta, strict, missing, unexpected, errors):
        calls.append(("module", module is m, prefix))

    m._register_load_state_dict_pre_hook(without_module)
    m.load_state_dict(sd)
    m._register_load_state_dict_pre_hook(with_module, True)
    m.load_state_dict(sd)
    return calls


@program
def load_state_dict_pre_hook_on_nested_child(torch):
    calls = []

    class Inner(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.foo = torch.nn.Parameter(torch.ones(2))

        def hook(self, module, sd, prefix, meta, strict, missing, unexpected, errors):
            calls.append((module is self, prefix, sorted(sd), strict, missing, unexpected))

    outer = torch.nn.ModuleDict({"a": torch.nn.Sequential(Inner())})
    outer.a[0].register_load_state_dict_pre_hook(outer.a[0].hook)
    outer.load_state_dict(outer.state_dict())
    return calls


@program
def load_post_hook_on_wrapped_module_edits_keys(torch):
    nested = torch.nn.Linear(2, 2)
    wrapped = torch.nn.ModuleList([nested])
    calls = []

    def hook(module, keys):
        calls.append(module is nested)
        keys.missing_keys.append("foo")
        keys.unexpected_keys.append("bar")

    handle = nested.register_load_state_dict_post_hook(hook)
    ret = wrapped.load_state_dict(wrapped.state_dict(), strict=False)
    first = (ret.missing_keys, ret.unexpected_keys, str(ret))
    try:
        wrapped.load_state_dict(wrapped.state_dict())
        msg = None
    except RuntimeError as e:
        msg = str(e)
    handle.remove()
    ret = wrapped.load_state_dict(wrapped.state_dict(), strict=False)
    return first, msg, ret.missing_keys, calls


@program
def load_post_hook_clears_so_strict_passes(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2))
    m[0].register_load_state_dict_post_hook(
        lambda mod, keys: (keys.missing_keys.clear(), keys.unexpected_keys.clear()) and None
    )
    sd = m.state_dict()
    sd["extra"] = torch.ones(1)
    ret = m.load_state_dict(sd, strict=True)
    return ret.missing_keys, ret.unexpected_keys, str(ret)


@error(TypeError, r"Expected state_dict to be dict-like, got <class 'str'>")
def load_state_dict_string(torch):
    torch.nn.Module().load_state_dict("")


@error(TypeError, r"Expected state_dict to be dict-like, got <class 'int'>")
def load_state_dict_int(torch):
    torch.nn.Module().load_state_dict(2)


@error(RuntimeError, r"expected torch.Tensor or Tensor-like object from checkpoint but received "
       r"<class 'tuple'>")  # fmt: skip
def load_state_dict_tuple_value(torch):
    torch.nn.Linear(2, 2, bias=False).load_state_dict({"weight": ((1.0, 1.0), (2.0, 2.0))})


@program
def load_state_dict_shared_and_none_modules(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 3)
    net = torch.nn.Module()
    net.linear1 = lin
    net.linear2 = lin
    net.bn = torch.nn.BatchNorm2d(2)
    net.add_module("empty", None)
    sd = net.state_dict()
    keys = list(sd)
    sd.update({"linear1.weight": torch.ones(3, 3), "bn.running_mean": torch.full((2,), 5.0)})
    ret = net.load_state_dict(sd)
    out = [keys, ret.missing_keys, ret.unexpected_keys, str(ret), net.linear2.weight]
    sd = net.state_dict()
    sd["extra.param"] = torch.ones(5)
    del sd["linear1.weight"]
    ret = net.load_state_dict(sd, strict=False)
    out += [ret.missing_keys, ret.unexpected_keys, str(ret)]
    return out


@program
def consume_prefix_in_state_dict(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    sd = {"module." + k: v for k, v in m.state_dict().items()}
    sd["other.x"] = torch.ones(1)
    torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd, "module.")
    return list(sd), sorted(sd._metadata) if hasattr(sd, "_metadata") else None


@program
def consume_prefix_keeps_metadata(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    wrapper = torch.nn.Module()
    wrapper.module = m
    sd = wrapper.state_dict()
    torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd, "module.")
    ret = m.load_state_dict(sd)
    return list(sd), sorted(sd._metadata), ret.missing_keys


@error(
    RuntimeError,
    r"size mismatch for bn.running_mean: copying a param with shape "
    r"torch.Size\(\[4, 4\]\) from checkpoint, the shape in current model is torch.Size\(\[2\]\)",
)
def load_state_dict_size_mismatch_even_non_strict(torch):
    net = torch.nn.Module()
    net.bn = torch.nn.BatchNorm1d(2)
    sd = net.state_dict()
    sd["bn.running_mean"] = torch.rand(4, 4)
    net.load_state_dict(sd, strict=False)


@program
def load_state_dict_non_strict_partial_values(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    before = {k: v.clone() for k, v in net.state_dict().items()}
    ret = net.load_state_dict(
        {"0.weight": torch.ones(3, 2), "1.running_mean": torch.arange(3.0), "nope": torch.ones(1)},
        strict=False,
    )
    after = net.state_dict()
    return (
        ret.missing_keys,
        ret.unexpected_keys,
        after,
        [bool(before[k].equal(after[k])) for k in before],
    )


@program
def load_state_dict_bc_batchnorm_version(torch):
    bn = torch.nn.BatchNorm2d(3)
    sd = bn.state_dict()
    del sd["num_batches_tracked"]
    sd._metadata[""]["version"] = 1
    bn.num_batches_tracked.fill_(7)
    bn.load_state_dict(sd)
    first = (bn.num_batches_tracked.dtype, bn.num_batches_tracked.item())
    del sd._metadata[""]["version"]
    bn.num_batches_tracked.fill_(7)
    bn.load_state_dict(sd)
    return first, bn.num_batches_tracked.item(), dict(bn.state_dict()._metadata[""])


@program
def load_state_dict_custom_save_and_load(torch):
    class Custom(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.param = torch.nn.Parameter(torch.ones(1))
            self.sub = torch.nn.Linear(2, 2)

        def _save_to_state_dict(self, destination, prefix, keep_vars):
            destination[prefix + "serialized"] = self.param.data + 1

        def _load_from_state_dict(self, sd, prefix, meta, strict, missing, unexpected, errors):
            self.param.data.copy_(sd[prefix + "serialized"] - 1)

    m = torch.nn.Sequential(Custom())
    with torch.no_grad():
        m[0].param[0] = 10
        m[0].sub.weight[0, 0] = 555
    sd = m.state_dict()
    mm = torch.nn.Sequential(Custom())
    ret = mm.load_state_dict(sd)
    return list(sd), sd["0.serialized"], mm[0].param, mm[0].sub.weight[0, 0], ret.missing_keys


@program
def load_from_state_dict_reports_errors(torch):
    class Picky(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(2))

        def _load_from_state_dict(self, sd, prefix, meta, strict, missing, unexpected, errors):
            errors.append("custom problem")
            missing.append(prefix + "ghost")
            super()._load_from_state_dict(sd, prefix, meta, strict, missing, unexpected, errors)

    m = torch.nn.Sequential(Picky())
    try:
        m.load_state_dict({"0.w": torch.ones(2)})
    except RuntimeError as e:
        strict_msg = str(e)
    try:
        m.load_state_dict({"0.w": torch.ones(2)}, strict=False)
    except RuntimeError as e:
        loose_msg = str(e)
    return strict_msg, loose_msg, m[0].w


@program
def load_state_dict_assign_different_stride_then_shape(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.BatchNorm1d(5))
    sd = net.state_dict()
    sd["0.weight"] = torch.randn(3, 5).transpose(0, 1)
    net2 = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.BatchNorm1d(5))
    net2.load_state_dict(sd, strict=False, assign=True)
    out = [net2[0].weight, net2[0].weight.is_contiguous(), type(net2[0].weight).__name__,
           net2[0].weight.requires_grad]  # fmt: skip
    sd["0.weight"] = torch.randn(2, 4)
    try:
        net2.load_state_dict(sd, strict=False, assign=True)
    except RuntimeError as e:
        out.append(str(e))
    return out


@program
def load_state_dict_assign_buffers_are_the_same_objects(torch):
    torch.manual_seed(0)
    src = torch.nn.BatchNorm1d(3)
    sd = src.state_dict()
    dst = torch.nn.BatchNorm1d(3)
    dst.load_state_dict(sd, assign=True)
    return (dst.running_mean is sd["running_mean"], dst.weight is sd["weight"],
            isinstance(dst.weight, torch.nn.Parameter), dst.weight.requires_grad,
            [n for n, _ in dst.named_parameters()], [n for n, _ in dst.named_buffers()])  # fmt: skip


@program
def load_state_dict_assign_keep_vars_parameter_objects(torch):
    src = torch.nn.Linear(2, 2)
    src.bias.requires_grad_(False)
    sd = src.state_dict(keep_vars=True)
    dst = torch.nn.Linear(2, 2)
    dst.load_state_dict(sd, assign=True)
    return dst.weight is src.weight, dst.bias is src.bias, dst.bias.requires_grad


@program
def load_state_dict_assign_then_optimizer_trains(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(5, 3)
    for _ in range(2):
        opt.zero_grad()
        (net(x) ** 2).mean().backward()
        opt.step()
    import copy

    osd = copy.deepcopy(opt.state_dict())
    nsd = copy.deepcopy(net.state_dict())
    net2 = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    net2.load_state_dict(nsd, assign=True)
    opt2 = torch.optim.SGD(net2.parameters(), lr=0.1, momentum=0.9)
    opt2.load_state_dict(osd)
    for o, n in ((opt, net), (opt2, net2)):
        o.zero_grad()
        (n(x) ** 2).mean().backward()
        o.step()
    return net.state_dict(), net2.state_dict()


@program
def load_state_dict_unexpected_key_under_param_prefix(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 3))
    out = []
    for extra in ("0.bad_suffix", "0.weight.bad_suffix"):
        sd = m.state_dict()
        sd[extra] = torch.randn(2)
        try:
            m.load_state_dict(sd)
        except RuntimeError as e:
            out.append(str(e))
        out.append(m.load_state_dict(sd, strict=False).unexpected_keys)
    return out


@program
def load_state_dict_child_pre_hook_sees_whole_dict(torch):
    model = torch.nn.Sequential(*[torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Linear(1, 1))
                                  for _ in range(3)])  # fmt: skip
    seen = []

    def hook(module, sd, prefix, meta, strict, missing, unexpected, errors):
        seen.append((prefix, len(sd), len(module.state_dict())))

    model[1][0].register_load_state_dict_pre_hook(hook)
    model.load_state_dict(model.state_dict())
    return seen


@program
def extra_state_missing_and_unexpected(torch):
    class WithExtra(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 2)
            self.value = 0

        def get_extra_state(self):
            return {"value": self.value}

        def set_extra_state(self, state):
            self.value = state["value"] * 10

    m = WithExtra()
    m.value = 3
    sd = m.state_dict()
    m2 = WithExtra()
    m2.load_state_dict(sd)
    keys = list(sd)
    del sd["_extra_state"]
    ret = m2.load_state_dict(sd, strict=False)
    plain = torch.nn.Linear(2, 2)
    ret2 = plain.load_state_dict(m.lin.state_dict() | {"_extra_state": {"value": 1}}, strict=False)
    return keys, m2.value, ret.missing_keys, ret2.unexpected_keys


@program
def extra_state_without_setter(torch):
    class OnlyGet(torch.nn.Module):
        def get_extra_state(self):
            return 5

    m = OnlyGet()
    try:
        m.load_state_dict({"_extra_state": 5})
        return "loaded"
    except RuntimeError as e:
        return str(e)


@program
def extra_state_tensor_and_keep_vars(torch):
    class T(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.t = torch.arange(3.0)

        def get_extra_state(self):
            return self.t

        def set_extra_state(self, state):
            self.t = state * 2

    m = T()
    sd = m.state_dict()
    m2 = T()
    m2.load_state_dict(sd)
    return list(sd), sd["_extra_state"] is m.t, m2.t


@program
def state_dict_pre_hook_and_metadata(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    calls = []
    m[1].register_state_dict_pre_hook(
        lambda mod, prefix, keep_vars: calls.append((prefix, keep_vars))
    )
    sd = m.state_dict(keep_vars=True)
    return calls, sorted(sd._metadata), sd._metadata["1"], sd._metadata["0"]


@program
def state_dict_destination_positional_args_warn(torch):
    import warnings
    from collections import OrderedDict

    m = torch.nn.Linear(2, 2)
    dest = OrderedDict()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = m.state_dict(dest, "pre.")
    return out is dest, list(dest), [str(i.message)[:60] for i in w]


# ---- parametrizations ----------------------------------------------------------------------
def _outcome(fn, *args, **kwargs):
    """ "ok" when fn(*args, **kwargs) returns, else the error's type name and message (object
    addresses left out), to compare."""
    try:
        fn(*args, **kwargs)
        return "ok"
    except Exception as e:  # noqa: BLE001 (the error is what is compared)
        return type(e).__name__, re.sub(r" at 0x[0-9a-f]+", "", str(e))


def _param_mods(torch):
    nn = torch.nn

    class Skew(nn.Module):
        def forward(self, x):
            x = x.tril(-1)
            return x - x.T

    class Resize(nn.Module):
        def forward(self, x):
            return x[[0]]

    class Identity(nn.Module):
        def forward(self, x):
            return x

    class FirstZero(nn.Module):
        def forward(self, x):
            return torch.cat([x.new_zeros(1), x[1:]])

    class LastZero(nn.Module):
        def forward(self, x):
            return torch.cat([x[:-1], x.new_zeros(1)])

    class Double(nn.Module):
        def forward(self, x):
            return 2.0 * x

        def right_inverse(self, w):
            return 0.5 * w

    class Sum(nn.Module):
        def forward(self, x, y):
            return x + y

        def right_inverse(self, z):
            return z, torch.zeros_like(z)

    return Skew, Resize, Identity, FirstZero, LastZero, Double, Sum


@program
def parametrize_unsafe_resize_and_remove_restores(torch):
    P = torch.nn.utils.parametrize
    Skew, Resize, Identity, *_ = _param_mods(torch)
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 4)
    w = model.weight
    out = [_outcome(P.register_parametrization, model, "weight", Resize())]
    out.append((P.is_parametrized(model), type(model).__name__))
    P.register_parametrization(model, "weight", Resize(), unsafe=True)
    P.register_parametrization(model, "weight", Identity())
    out += [model.weight.shape, P.is_parametrized(model), P.is_parametrized(model, "weight"),
            P.is_parametrized(model, "bias"), "weight" in model._parameters,
            type(model).__name__, model.parametrizations.weight.unsafe]  # fmt: skip
    P.remove_parametrizations(model, "weight", leave_parametrized=False)
    out += [hasattr(model, "parametrizations"), model.weight is w, type(model).__name__]
    return out


@program
def parametrize_chain_train_and_remove(torch):
    P = torch.nn.utils.parametrize
    Skew, _, _, FirstZero, LastZero, *_ = _param_mods(torch)
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 4)
    ids = (model.weight, model.bias)
    P.register_parametrization(model, "weight", Skew())
    P.register_parametrization(model, "bias", FirstZero())
    P.register_parametrization(model, "bias", LastZero())
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    out = [len(list(model.parameters())), [n for n, _ in model.named_parameters()],
           list(model.state_dict()), model.weight, model.bias]  # fmt: skip
    for _ in range(2):
        sgd.zero_grad()
        (model.weight.T @ model.bias).sum().backward()
        sgd.step()
        out.append(model.parametrizations.weight.original.grad)
        out.append(model.parametrizations.bias.original.grad)
    P.remove_parametrizations(model, "weight", leave_parametrized=False)
    out += [P.is_parametrized(model), P.is_parametrized(model, "bias"), model.weight is ids[0]]
    P.remove_parametrizations(model, "bias", leave_parametrized=True)
    out += [model.bias, model.bias is ids[1], type(model).__name__, model.weight]
    return out


@program
def parametrize_nested_on_original(torch):
    P = torch.nn.utils.parametrize
    Skew = _param_mods(torch)[0]
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 4)
    P.register_parametrization(model, "weight", Skew())
    inner = model.parametrizations.weight
    out = [P.is_parametrized(inner), type(inner).__name__]
    P.register_parametrization(inner, "original", Skew())
    out += [P.is_parametrized(inner, "original"), type(inner).__name__, inner.original,
            model.weight, list(model.state_dict())]  # fmt: skip
    P.remove_parametrizations(inner, "original", leave_parametrized=False)
    out += [type(inner).__name__, hasattr(inner, "parametrizations")]
    P.remove_parametrizations(model, "weight", leave_parametrized=False)
    return out, type(model).__name__


@program
def parametrize_buffer(torch):
    P = torch.nn.utils.parametrize
    _, _, _, FirstZero, LastZero, *_ = _param_mods(torch)
    model = torch.nn.Linear(4, 4)
    del model.bias
    model.register_buffer("bias", torch.ones(4))
    P.register_parametrization(model, "bias", FirstZero())
    P.register_parametrization(model, "bias", LastZero())
    out = [model.bias, len(list(model.parameters())), list(model.state_dict()),
           [n for n, _ in model.named_buffers()]]  # fmt: skip
    P.remove_parametrizations(model, "bias", leave_parametrized=True)
    out += [model.bias, [n for n, _ in model.named_buffers()], len(list(model.parameters()))]
    return out


@program
def parametrize_right_inverse_initialization(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn

    class Skew(nn.Module):
        def forward(self, x):
            a = x.triu(1)
            return a - a.T

        def right_inverse(self, x):
            if not torch.allclose(x, -x.T, atol=1e-6):
                raise ValueError("The matrix is not skew-symmetric.")
            return x.triu(1)

    torch.manual_seed(0)
    model = nn.Linear(3, 3)
    skew = Skew()
    with torch.no_grad():
        model.weight.copy_(skew(model.weight))
    P.register_parametrization(model, "weight", skew)
    x = torch.rand(3, 3)
    out = [_outcome(setattr, model, "weight", x)]
    x = x - x.T
    model.weight = x
    out += [model.parametrizations.weight.original, model.weight]
    return out


@program
def parametrize_error_messages_unparametrized(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn
    _, _, Identity, _, _, _, Sum = _param_mods(torch)
    module = nn.Linear(3, 4)
    w = module.weight.clone()

    class WrongNumber(nn.Module):
        def forward(self, x, y, z):
            return x + y + z

        def right_inverse(self, w):
            return w, torch.zeros_like(w)

    class NoneInverse(Identity):
        def right_inverse(self, z):
            return None

    class NoneInSequence(nn.Module):
        def forward(self, x, y):
            return x

        def right_inverse(self, z):
            return None, z

    class DtypeInverse(nn.Module):
        def forward(self, x):
            return x.float()

        def right_inverse(self, w):
            return w.bool()

    class NotTensor(nn.Module):
        def forward(self, x):
            return 2

    class ChangeDtype(nn.Module):
        def forward(self, x):
            return x.bool()

    class ChangeShape(nn.Module):
        def forward(self, x):
            return x[:-1]

    class DtypeMulti(nn.Module):
        def forward(self, x, y):
            return (x + y).bool()

        def right_inverse(self, w):
            return w, w + 1

    out = [
        _outcome(P.register_parametrization, module, "foo", Identity()),
        _outcome(P.remove_parametrizations, module, "bias"),
    ]
    P.register_parametrization(module, "weight", Sum())
    out.append(_outcome(P.remove_parametrizations, module, "weight", False))
    P.remove_parametrizations(module, "weight", leave_parametrized=True)
    for bad in (NoneInverse, NoneInSequence, DtypeInverse, NotTensor, ChangeDtype, ChangeShape,
                DtypeMulti):  # fmt: skip
        out.append(_outcome(P.register_parametrization, module, "weight", bad()))
        out.append(P.is_parametrized(module))
    out.append(_outcome(P.register_parametrization, module, "weight", WrongNumber())[0])
    out.append(P.is_parametrized(module))
    return out, module.weight, w


@program
def parametrize_sequence_of_one(torch):
    P = torch.nn.utils.parametrize

    class SequenceLen1(torch.nn.Module):
        def forward(self, x):
            return x

        def right_inverse(self, w):
            return (w,)

    torch.manual_seed(0)
    module = torch.nn.Linear(3, 4)
    P.register_parametrization(module, "weight", SequenceLen1())
    plist = module.parametrizations.weight
    out = [hasattr(plist, "original0"), hasattr(plist, "original1"), module.weight,
           list(module.state_dict())]  # fmt: skip
    P.remove_parametrizations(module, "weight", leave_parametrized=True)
    return out, module.weight, type(module.weight).__name__, module.weight.requires_grad


@program
def parametrize_error_messages_parametrized(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn
    Identity = _param_mods(torch)[2]
    module = nn.Linear(3, 4)
    P.register_parametrization(module, "weight", Identity())

    class TupleOut(nn.Module):
        def forward(self, x):
            return x, x

    class ChangeDtype(nn.Module):
        def forward(self, x):
            return x.bool()

    class ChangeShape(nn.Module):
        def forward(self, x):
            return x[:-1]

    class TupleInverse(Identity):
        def right_inverse(self, x):
            return x, x

    class DtypeInverse(Identity):
        def right_inverse(self, x):
            return x.bool()

    class ShapeInverse(Identity):
        def right_inverse(self, x):
            return x[:-1]

    out = []
    for bad in (TupleOut, ChangeDtype, ChangeShape, TupleInverse, DtypeInverse, ShapeInverse):
        out.append(_outcome(P.register_parametrization, module, "weight", bad()))
        out.append(len(module.parametrizations.weight))
    return out


@program
def parametrize_multiple_inputs_rank_one(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn
    Double = _param_mods(torch)[5]

    class RankOne(nn.Module):
        def forward(self, x, y):
            return x.unsqueeze(-1) @ y.unsqueeze(-2)

        def right_inverse(self, m):
            return m[:, 0].clone(), torch.ones(m.shape[1])

    torch.manual_seed(0)
    model = nn.Linear(3, 3)
    P.register_parametrization(model, "weight", RankOne())
    plist = model.parametrizations.weight
    out = [sorted(plist._parameters), model.weight, [n for n, _ in model.named_parameters()]]
    P.register_parametrization(model, "weight", Double())
    out.append(model.weight)
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(2):
        sgd.zero_grad()
        (model.weight.T @ model.bias).sum().backward()
        sgd.step()
    out += [plist.original0, plist.original1, model.bias]
    out.append(_outcome(P.remove_parametrizations, model, "weight", False))
    P.remove_parametrizations(model, "weight")
    out += [model.weight, type(model.weight).__name__, list(model._parameters)]
    return out


@program
def parametrize_cached_same_object(torch):
    P = torch.nn.utils.parametrize
    Skew, *_, Double, _ = _param_mods(torch)
    model = torch.nn.Linear(3, 3)
    P.register_parametrization(model, "weight", Skew())
    P.register_parametrization(model, "weight", Double())
    to_model = torch.nn.Linear(3, 3)
    P.transfer_parametrizations_and_params(model, to_model)
    with P.cached():
        x, y = model.weight, model.weight
        a, b = to_model.weight, to_model.weight
        with P.cached():
            z = model.weight
    return x is y, a is b, a is x, z is x, model.weight is model.weight, a


@program
def parametrize_training_mode_follows_module(torch):
    P = torch.nn.utils.parametrize
    Identity = _param_mods(torch)[2]
    module = torch.nn.Linear(3, 3)
    module.eval()
    P.register_parametrization(module, "weight", Identity())
    first = module.parametrizations.weight[0].training
    module.train()
    P.register_parametrization(module, "weight", Identity().eval())
    plist = module.parametrizations.weight
    return first, plist[0].training, plist[1].training, plist.training


@program
def parametrize_type_before_and_deepcopy(torch):
    import copy

    P = torch.nn.utils.parametrize
    nn = torch.nn

    class AddOne(nn.Module):
        def forward(self, x):
            return x + 1.0

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.tensor([1.0, 1.0, 1.0]))
            self.bias = nn.Parameter(torch.tensor([0.0, 0.0, 0.0]))
            self.attr = [1.0, 2.0]

    model = Model()
    out = [P.type_before_parametrizations(model).__name__]
    P.register_parametrization(model, "weight", AddOne())
    P.register_parametrization(model, "bias", AddOne())
    P.register_parametrization(model, "weight", AddOne())
    out += [P.type_before_parametrizations(model).__name__, type(model).__name__]
    m2 = copy.deepcopy(model)
    w1, w2 = model.parametrizations.weight.original, m2.parametrizations.weight.original
    out += [list(model.__dict__) == list(m2.__dict__), w1 is w2, w2, m2.weight, m2.bias,
            m2.attr is model.attr, type(m2).__name__, isinstance(m2, Model)]  # fmt: skip
    return out


@program
def parametrize_transfer_parametrizations_and_params(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn
    Double = _param_mods(torch)[5]

    class AddOne(nn.Module):
        def forward(self, x):
            return x + 1.0

    torch.manual_seed(0)
    model = nn.Linear(3, 3)
    P.register_parametrization(model, "weight", AddOne())
    P.register_parametrization(model, "weight", Double())
    to_model = nn.Linear(3, 3)
    P.transfer_parametrizations_and_params(model, to_model)
    out = [P.is_parametrized(to_model, "weight"), to_model.weight, type(to_model).__name__,
           to_model.parametrizations.weight.original is model.parametrizations.weight.original,
           to_model.parametrizations.weight.original]  # fmt: skip
    P.remove_parametrizations(to_model, "weight")
    out += [P.is_parametrized(to_model), P.is_parametrized(model, "weight")]
    model.test_param = nn.Parameter(torch.randn(3, 3))
    P.register_parametrization(model, "test_param", Double())
    P.transfer_parametrizations_and_params(model, to_model, "test_param")
    out += [to_model.test_param, to_model.parametrizations.test_param.original,
            list(to_model.state_dict())]  # fmt: skip
    return out


@program
def parametrize_state_dict_round_trip_with_buffers(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn

    class Scaled(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.register_buffer("scale", torch.randn(n, 1))

        def forward(self, x):
            return self.scale * x

    def get_model():
        model = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
        P.register_parametrization(model[0], "weight", Scaled(3))
        return model

    torch.manual_seed(0)
    model = get_model()
    new = get_model()
    import io

    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    ret = new.load_state_dict(torch.load(buf))
    return (list(model.state_dict()), new[0].weight, new[0].parametrizations.weight[0].scale,
            ret.missing_keys)  # fmt: skip


@error(RuntimeError, r"parametrization Skew does not implement right_inverse\.")
def parametrize_assign_without_right_inverse(torch):
    P = torch.nn.utils.parametrize
    Skew = _param_mods(torch)[0]
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 3)
    P.register_parametrization(model, "weight", Skew())
    model.weight = torch.ones(3, 3)


# ---- pruning -------------------------------------------------------------------------------
def _prune(torch):
    return importlib.import_module(f"{torch.__name__}.nn.utils.prune")


@program
def prune_amount_validation(torch):
    prune = _prune(torch)
    out = [_outcome(prune.L1Unstructured, a) for a in ("I'm a string", 1.1, 20.0, -10, -0.1)]
    out += [_outcome(prune.RandomUnstructured, a) for a in (0.34, 1500, 0, 0.0, 1, 1.0)]
    out += [_outcome(prune.LnStructured, 0.5, "fro"), _outcome(prune.RandomStructured, True)]
    return out


@program
def prune_amount_against_tensor_size(torch):
    prune = _prune(torch)
    t = torch.arange(1.0, 20.0)
    out = [_outcome(prune.L1Unstructured(20).compute_mask, t, torch.ones_like(t)),
           prune.L1Unstructured(19).compute_mask(t, torch.ones_like(t)),
           prune.L1Unstructured(0.4).compute_mask(t[:17], torch.ones(17)),
           prune.L1Unstructured(1.0).compute_mask(t[:3], torch.ones(3)),
           prune.L1Unstructured(1).compute_mask(t[:3], torch.ones(3)),
           prune.L1Unstructured(0.3).compute_mask(t[:0], torch.ones(0))]  # fmt: skip
    return out


@program
def prune_random_sizes_orig_and_product(torch):
    prune = _prune(torch)
    out = []
    for make in (lambda: torch.nn.Linear(5, 7), lambda: torch.nn.Conv3d(2, 2, 2)):
        for name in ("weight", "bias"):
            torch.manual_seed(0)
            m = make()
            original = getattr(m, name)
            prune.random_unstructured(m, name=name, amount=0.1)
            mask, orig = getattr(m, name + "_mask"), getattr(m, name + "_orig")
            out += [mask.shape, orig is original, getattr(m, name).shape,
                    bool((getattr(m, name) == orig * mask).all()), mask.dtype,
                    int(mask.sum()), type(getattr(m, name)).__name__]  # fmt: skip
    return out


@program
def prune_identity_keeps_forward_and_grads(torch):
    prune = _prune(torch)
    torch.manual_seed(0)
    m = torch.nn.Linear(5, 2)
    x = torch.ones(1, 5)
    before = m(x)
    before.sum().backward()
    g = (m.weight.grad.clone(), m.bias.grad.clone())
    m.zero_grad()
    prune.identity(m, name="weight")
    after = m(x)
    after.sum().backward()
    return before, after, g, m.weight_orig.grad, m.bias.grad, m.weight.grad_fn is not None


@program
def prune_custom_compute_mask_grads_and_remove(torch):
    prune = _prune(torch)

    class Fixed(prune.BasePruningMethod):
        PRUNING_TYPE = "unstructured"

        def compute_mask(self, t, default_mask):
            mask = torch.ones_like(t)
            mask[1, 0] = 0
            mask[0, 3] = 0
            return mask * default_mask

    torch.manual_seed(0)
    m = torch.nn.Linear(5, 2)
    p_id = id(m.weight)
    Fixed.apply(m, "weight")
    x = torch.ones(1, 5)
    y = m(x)
    y.sum().backward()
    out = [y, m.weight_orig.grad, m.bias.grad, id(m.weight_orig) == p_id]
    with torch.no_grad():
        for p in m.parameters():
            p.sub_(p.grad)
    out += [m.weight_orig, m(x)]
    prune.remove(m, "weight")
    out += [m(x), id(m.weight) == p_id, [n for n, _ in m.named_parameters()],
            [n for n, _ in m.named_buffers()], len(m._forward_pre_hooks)]  # fmt: skip
    return out


@program
def prune_multiple_calls_make_a_container(torch):
    prune = _prune(torch)
    torch.manual_seed(0)
    m = torch.nn.Conv3d(2, 2, 2)
    prune.l1_unstructured(m, name="weight", amount=0.1)
    mask0 = m.weight_mask.clone()
    prune.ln_structured(m, name="weight", amount=0.3, n=2, dim=0)
    hook = next(iter(m._forward_pre_hooks.values()))
    out = [type(hook).__name__, hook._tensor_name, len(hook), type(hook[0]).__name__,
           type(hook[1]).__name__, bool((m.weight_mask[mask0 == 0] == 0).all())]  # fmt: skip
    prune.ln_structured(m, name="weight", amount=0.1, n=float("inf"), dim=1)
    hook = next(iter(m._forward_pre_hooks.values()))
    out += [hook._tensor_name, len(hook), m.weight_mask, len(m._forward_pre_hooks)]
    return out


@program
def prune_container_add_and_compute_mask(torch):
    prune = _prune(torch)
    container = prune.PruningContainer()
    container._tensor_name = "test"
    out = [len(container)]
    p = prune.L1Unstructured(amount=2)
    p._tensor_name = "test"
    container.add_pruning_method(p)
    q = prune.L1Unstructured(amount=2)
    q._tensor_name = "another_test"
    out += [_outcome(container.add_pruning_method, q), _outcome(container.add_pruning_method, 10)]
    out.append(_outcome(container.add_pruning_method, "ugh"))
    t = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]).to(dtype=torch.float32)
    default_mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 1]])
    out.append(container.compute_mask(t, default_mask))
    for dim in (0, 1):
        r = prune.LnStructured(amount=1, n=2, dim=dim)
        r._tensor_name = "test"
        container.add_pruning_method(r)
        out.append(container.compute_mask(t, default_mask))
    return out, len(container)


@program
def prune_l1_by_hand_and_importance_scores(torch):
    prune = _prune(torch)
    out = []
    for scores in (None, torch.tensor([[4, 2, 1, 3], [-3, -1, -2, -4]], dtype=torch.float32)):
        m = torch.nn.Linear(4, 2)
        m.weight = torch.nn.Parameter(torch.tensor([[1.0, 2, 3, 4], [-4, -3, -2, -1]]))
        prune.l1_unstructured(m, "weight", amount=2, importance_scores=scores)
        out.append(m.weight)
        prune.l1_unstructured(m, "weight", amount=2, importance_scores=scores)
        out += [m.weight, m.weight_mask]
    return out


@program
def prune_same_magnitude_prunes_exact_count(torch):
    prune = _prune(torch)
    t = 2 * torch.randint(low=-1, high=2, size=(10, 7))
    mask = prune.L1Unstructured(amount=0.2).compute_mask(t, default_mask=torch.ones_like(t))
    return int((mask == 0).sum()), mask.dtype


@program
def prune_random_structured_prunes_whole_slices(torch):
    prune = _prune(torch)
    t = 2 * torch.randint(low=-1, high=2, size=(5, 4, 2)).to(dtype=torch.float32)
    mask = prune.RandomStructured(amount=0.6, dim=2).compute_mask(t, torch.ones_like(t))
    return sorted((mask == 0).sum(dim=(0, 1)).tolist()), mask.dtype


@program
def prune_ln_structured_by_hand(torch):
    prune = _prune(torch)
    w = torch.tensor(
        [[[[1.0, 2.0], [1.0, 2.5]], [[0.5, 1.0], [0.1, 0.1]], [[-3.0, -5.0], [0.1, -1.0]]]]
    )
    scores = torch.tensor(
        [[[[10.0, 1.0], [10.0, 1.0]], [[30.0, 3.0], [30.0, 3.0]], [[-20.0, -2.0], [-20.0, -2.0]]]]
    )
    out = []
    for s in (None, scores):
        m = torch.nn.Conv2d(3, 1, 2)
        m.weight.data = w.clone()
        prune.ln_structured(m, "weight", amount=1, n=2, dim=1, importance_scores=s)
        out.append(m.weight_mask)
        prune.ln_structured(m, "weight", amount=1, n=1, dim=-1, importance_scores=s)
        out += [m.weight_mask, m.weight]
    return out


@program
def prune_remove_and_errors(torch):
    prune = _prune(torch)
    out = []
    for make in (lambda: torch.nn.Linear(5, 7), lambda: torch.nn.Conv3d(2, 2, 2)):
        for name in ("weight", "bias"):
            torch.manual_seed(0)
            m = make()
            out += [prune.is_pruned(m), _outcome(prune.remove, m, name)]
            prune.random_unstructured(m, name, amount=0.5)
            pruned = getattr(m, name)
            out += [prune.is_pruned(m), sorted(dict(m.named_parameters())),
                    sorted(dict(m.named_buffers()))]  # fmt: skip
            prune.remove(m, name)
            out += [sorted(dict(m.named_parameters())), sorted(dict(m.named_buffers())),
                    bool((getattr(m, name) == pruned).all()), prune.is_pruned(m),
                    type(getattr(m, name)).__name__]  # fmt: skip
    return out


@program
def prune_global_by_hand_and_importance_scores(torch):
    prune = _prune(torch)
    out = []
    for use_scores in (False, True):
        m = torch.nn.Linear(4, 2)
        n = torch.nn.Linear(3, 1)
        m.weight = torch.nn.Parameter(torch.tensor([[1.0, 2, 3, 4], [-4, -3, -2, -1]]))
        n.weight = torch.nn.Parameter(torch.tensor([[0, 0.1, -2]]))
        params = ((m, "weight"), (n, "weight"))
        scores = None
        if use_scores:
            scores = {
                (m, "weight"): torch.tensor([[4.0, 2, 1, 3], [-3, -1, -2, -4]]),
                (n, "weight"): torch.tensor([[0, 10.0, -0.2]]),
            }
        prune.global_unstructured(
            params, pruning_method=prune.L1Unstructured, amount=4, importance_scores=scores
        )
        out += [m.weight, n.weight, type(next(iter(m._forward_pre_hooks.values()))).__name__]
    return out


@program
def prune_global_errors(torch):
    prune = _prune(torch)
    m = torch.nn.Linear(2, 2)
    return [
        _outcome(prune.global_unstructured, 5, prune.L1Unstructured, amount=1),
        _outcome(
            prune.global_unstructured,
            [(m, "weight")],
            prune.L1Unstructured,
            importance_scores=[1],
            amount=1,
        ),  # fmt: skip
        _outcome(
            prune.global_unstructured, [(m, "weight")], prune.LnStructured, amount=1, n=2, dim=0
        ),  # fmt: skip
    ]


@program
def prune_custom_from_mask_combines_default(torch):
    prune = _prune(torch)
    mask = torch.tensor([[0, 1, 1, 0], [0, 0, 1, 1]])
    default_mask = torch.tensor([[0, 0, 0, 0], [1, 1, 1, 1]])
    t = torch.rand(2, 4)
    return prune.CustomFromMask(mask=mask).compute_mask(t, default_mask)


@program
def prune_rollback_when_compute_mask_fails(torch):
    prune = _prune(torch)

    class Broken(prune.L1Unstructured):
        def compute_mask(self, t, default_mask):
            raise Exception("HA!")

    out = []
    for make in (lambda: torch.nn.Linear(5, 7), lambda: torch.nn.Conv3d(2, 2, 2)):
        for name in ("weight", "bias"):
            m = make()
            out.append(_outcome(Broken.apply, m, name, amount=0.9))
            out += [name in dict(m.named_parameters()), name + "_mask" in dict(m.named_buffers()),
                    name + "_orig" in dict(m.named_parameters()), len(m._forward_pre_hooks)]  # fmt: skip
    return out


@program
def prune_state_dict_round_trip(torch):
    import io

    prune = _prune(torch)
    torch.manual_seed(0)

    def make():
        return torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))

    model = make()
    prune.l1_unstructured(module=model[0], name="weight", amount=0.9)
    out = [list(model.state_dict()), hasattr(model[0], "weight")]
    pruned = model[0].weight
    prune.remove(module=model[0], name="weight")
    out.append(list(model.state_dict()))
    new = make()
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    new.load_state_dict(torch.load(buf))
    out += [list(new.state_dict()), bool((new[0].weight == pruned).all())]
    return out


@program
def prune_method_prune_with_scores(torch):
    prune = _prune(torch)
    p = prune.L1Unstructured(amount=2)
    t = torch.tensor([[1.0, 2, 3, 4], [5, 6, 7, 8]])
    default_mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 1]])
    scores = torch.tensor([[1, 2, 3, 4], [1.5, 1.6, 1.7, 1.8]])
    return (p.prune(t, default_mask), p.prune(t, default_mask, importance_scores=scores),
            p.prune(t, default_mask, importance_scores=t), p.prune(t))  # fmt: skip


@program
def prune_lstm_flat_weights(torch):
    prune = _prune(torch)
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(4, 4)
    prune.l1_unstructured(lstm, "weight_ih_l0", 0.5)
    x = torch.randn(3, 1, 4)
    out = [lstm(x)[0], sorted(n for n, _ in lstm.named_parameters())]
    prune.remove(lstm, "weight_ih_l0")
    out += [lstm(x)[0], "weight_ih_l0" in lstm._parameters, "weight_ih_l0_orig" in lstm._parameters,
            sorted(n for n, _ in lstm.named_parameters())]  # fmt: skip
    return out


@program
def prune_more_errors(torch):
    prune = _prune(torch)

    def lin():
        torch.manual_seed(0)
        return torch.nn.Linear(3, 4)

    m = lin()
    out = [
        _outcome(prune.l1_unstructured, m, "foo", 0.5),
        _outcome(prune.l1_unstructured, m, "weight", 0.5, importance_scores=torch.ones(2, 2)),
        sorted(dict(m.named_parameters())),
        _outcome(prune.ln_structured, lin(), "weight", 1, n=2, dim=5),
        _outcome(prune.random_structured, lin(), "weight", 5, dim=0),
        _outcome(prune.custom_from_mask, lin(), "weight", torch.ones(2)),
        _outcome(prune.l1_unstructured, lin(), "weight", 13),
    ]
    m = lin()
    m.register_buffer("buf", torch.arange(4.0))
    out.append(_outcome(prune.l1_unstructured, m, "buf", 2))
    out += [m.buf, sorted(dict(m.named_buffers())), sorted(dict(m.named_parameters()))]
    prune.l1_unstructured(m, "weight", 0.25)
    out += [prune.is_pruned(m), len(m._forward_pre_hooks)]
    prune.random_unstructured(m, "bias", 1)
    prune.remove(m, "weight")
    out += [prune.is_pruned(m), sorted(dict(m.named_buffers())), len(m._forward_pre_hooks)]
    return out


@program
def prune_deepcopy_refused_and_load_state_dict(torch):
    import copy

    prune = _prune(torch)
    torch.manual_seed(0)
    m = torch.nn.Linear(4, 3)
    prune.ln_structured(m, "weight", amount=0.5, n=1, dim=0)
    out = [_outcome(copy.deepcopy, m)]
    x = torch.randn(2, 4)
    other = torch.nn.Linear(4, 3)
    prune.identity(other, "weight")
    other.load_state_dict(m.state_dict())
    out += [m(x), other(x), other.weight_mask]
    with torch.no_grad():
        other(x)  # the weight recomputed under no_grad: a leaf, that deepcopy takes
    c = copy.deepcopy(other)
    c.weight_orig.data.add_(1.0)
    return out, c(x), c.weight_mask is other.weight_mask, other(x)


# ---- lazy modules --------------------------------------------------------------------------
def _lazy_module(torch):
    class LazyModule(torch.nn.modules.lazy.LazyModuleMixin, torch.nn.Module):
        pass

    return LazyModule()


@program
def lazy_mixin_parameter_state_dict(torch):
    UP = torch.nn.parameter.UninitializedParameter
    module = _lazy_module(torch)
    module.register_parameter("test_param", UP())
    out = [module.has_uninitialized_params()]
    sd = module.state_dict()
    out.append(type(sd["test_param"]).__name__)
    new = _lazy_module(torch)
    new.register_parameter("test_param", torch.nn.Parameter(torch.ones(5, 5)))
    out.append(_outcome(new.load_state_dict, sd))
    module.load_state_dict(new.state_dict())
    out += [module.test_param, type(module.test_param).__name__, module.has_uninitialized_params()]
    module = _lazy_module(torch)
    module.register_parameter("test_param", UP())
    other = _lazy_module(torch)
    other.register_parameter("test_param", UP())
    module.load_state_dict(other.state_dict())
    out.append(module.has_uninitialized_params())
    return out


@program
def lazy_mixin_buffer_state_dict(torch):
    UB = torch.nn.parameter.UninitializedBuffer
    module = _lazy_module(torch)
    module.test_buffer = UB()
    out = [module.has_uninitialized_params(), type(module.state_dict()["test_buffer"]).__name__]
    new = _lazy_module(torch)
    new.register_buffer("test_buffer", torch.ones(5, 5))
    out.append(_outcome(new.load_state_dict, module.state_dict()))
    module.load_state_dict(new.state_dict())
    out += [module.test_buffer, type(module.test_buffer).__name__]
    module = _lazy_module(torch)
    module.test_buffer = UB()
    other = _lazy_module(torch)
    other.test_buffer = UB()
    module.load_state_dict(other.state_dict())
    module.load_state_dict(other.state_dict())
    return out, module.has_uninitialized_params()


@program
def lazy_share_memory_refused(torch):
    out = []
    for kind in ("param", "buffer"):
        module = _lazy_module(torch)
        if kind == "param":
            module.register_parameter("p", torch.nn.parameter.UninitializedParameter())
        else:
            module.b = torch.nn.parameter.UninitializedBuffer()
        out.append(_outcome(module.share_memory))
    return out


@program
def lazy_linear_materializes(torch):
    module = torch.nn.LazyLinear(4)
    UP = torch.nn.parameter.UninitializedParameter
    out = [isinstance(module.weight, UP), isinstance(module.bias, UP), type(module).__name__,
           repr(module)]  # fmt: skip
    x = torch.ones(3, 5)
    y = module(x)
    out += [type(module).__name__, isinstance(module, torch.nn.LazyLinear), module.weight.shape,
            module.bias.shape, module.in_features, repr(module), isinstance(module.weight, UP),
            type(module.weight).__name__, y.shape,
            bool(torch.equal(torch.nn.functional.linear(x, module.weight, module.bias), module(x)))]  # fmt: skip
    return out


@program
def lazy_linear_state_dict_both_ways(torch):
    torch.manual_seed(0)
    module = torch.nn.Linear(5, 4)
    lazy = torch.nn.LazyLinear(4)
    lazy.load_state_dict(module.state_dict())
    out = [type(lazy).__name__, lazy.weight.shape, lazy.in_features, lazy.weight,
           lazy(torch.ones(2, 5)), lazy.in_features]  # fmt: skip
    out.append(_outcome(torch.nn.Linear(5, 4).load_state_dict, torch.nn.LazyLinear(4).state_dict()))
    return out


@program
def lazy_convs_materialize_and_load(torch):
    nn = torch.nn
    F = torch.nn.functional
    cases = [
        (nn.Conv1d, nn.LazyConv1d, F.conv1d, (3, 5, 7), {}),
        (nn.Conv2d, nn.LazyConv2d, F.conv2d, (3, 5, 6, 4), {}),
        (nn.Conv3d, nn.LazyConv3d, F.conv3d, (2, 5, 4, 3, 3), {}),
        (nn.ConvTranspose1d, nn.LazyConvTranspose1d, F.conv_transpose1d, (3, 5, 7), {"output_size": (8,)}),
        (nn.ConvTranspose2d, nn.LazyConvTranspose2d, F.conv_transpose2d, (3, 5, 6, 4), {"output_size": (7, 5)}),
        (nn.ConvTranspose3d, nn.LazyConvTranspose3d, F.conv_transpose3d, (2, 5, 4, 3, 3), {}),
    ]  # fmt: skip
    out = []
    for cls, lazy_cls, func, shape, kwargs in cases:
        module = lazy_cls(6, 2)
        x = torch.ones(*shape)
        module(x, **kwargs)
        out += [type(module).__name__, isinstance(module, cls), module.weight.shape,
                module.bias.shape, module.in_channels,
                bool(torch.equal(func(x, module.weight, module.bias), module(x)))]  # fmt: skip
        torch.manual_seed(1)
        eager = cls(5, 6, 2)
        lazy = lazy_cls(6, 2)
        lazy.load_state_dict(eager.state_dict())
        out += [type(lazy).__name__, lazy.in_channels, lazy.weight.shape,
                bool(torch.equal(lazy(x), eager(x)))]  # fmt: skip
        out.append(_outcome(cls(5, 6, 2).load_state_dict, lazy_cls(6, 2).state_dict()))
    return out


@program
def lazy_norms_match_eager(torch):
    nn = torch.nn
    cases = [
        (nn.BatchNorm1d, nn.LazyBatchNorm1d, (4, 3, 5)),
        (nn.BatchNorm1d, nn.LazyBatchNorm1d, (4, 6)),
        (nn.BatchNorm2d, nn.LazyBatchNorm2d, (4, 3, 5, 2)),
        (nn.BatchNorm3d, nn.LazyBatchNorm3d, (2, 3, 2, 3, 2)),
        (nn.InstanceNorm1d, nn.LazyInstanceNorm1d, (4, 3, 5)),
        (nn.InstanceNorm2d, nn.LazyInstanceNorm2d, (4, 3, 5, 2)),
        (nn.InstanceNorm3d, nn.LazyInstanceNorm3d, (2, 3, 2, 3, 2)),
    ]
    UP = nn.parameter.UninitializedParameter
    UB = nn.parameter.UninitializedBuffer
    out = []
    for cls, lazy_cls, shape in cases:
        for affine in (False, True):
            for track in (False, True):
                lazy = lazy_cls(affine=affine, track_running_stats=track)
                out += [isinstance(lazy.weight, UP), isinstance(lazy.running_mean, UB),
                        lazy.has_uninitialized_params()]  # fmt: skip
                x = torch.arange(float(torch.Size(shape).numel())).reshape(shape).sin()
                lazy_out = lazy(x)
                eager = cls(shape[1], affine=affine, track_running_stats=track)
                out += [type(lazy).__name__, lazy_out, eager(x), lazy.state_dict(), repr(lazy)]
    return out


@program
def lazy_norm_state_dict_both_ways(torch):
    nn = torch.nn
    out = []
    for cls, lazy_cls in ((nn.BatchNorm2d, nn.LazyBatchNorm2d),
                          (nn.InstanceNorm1d, nn.LazyInstanceNorm1d)):  # fmt: skip
        for affine, track in ((True, True), (False, True), (True, False), (False, False)):
            module = cls(5, affine=affine, track_running_stats=track)
            lazy = lazy_cls(affine=affine, track_running_stats=track)
            lazy.load_state_dict(module.state_dict())
            out += [type(lazy).__name__, lazy.num_features, list(lazy.state_dict())]
        out.append(_outcome(cls(5, affine=True, track_running_stats=True).load_state_dict,
                            lazy_cls(affine=True, track_running_stats=True).state_dict()))  # fmt: skip
    module = nn.BatchNorm2d(4).eval()
    lazy = nn.LazyBatchNorm2d()
    lazy.load_state_dict(module.state_dict())
    lazy.eval()
    x = torch.randn(2, 4, 3, 3)
    out += [lazy(x), module(x)]
    return out


@program
def lazy_batchnorm_with_keyword_input(torch):
    lazy = torch.nn.LazyBatchNorm2d()
    x = torch.arange(48.0).reshape(2, 3, 4, 2)
    return lazy(input=x), torch.nn.BatchNorm2d(3)(input=x), type(lazy).__name__


@program
def lazy_custom_module_with_hooks(torch):
    class TestModule(torch.nn.modules.lazy.LazyModuleMixin, torch.nn.Module):
        def initialize_parameters(self, input):
            return None

        def forward(self, input):
            return input

    a = TestModule()
    a.register_forward_pre_hook(lambda m, inp: inp[0] + 1)
    b = TestModule()
    b.register_forward_hook(lambda m, inp, out: inp[0] + 1)
    return a(torch.zeros(2, 2)), b(torch.zeros(2, 2)), len(a._forward_pre_hooks)


@program
def lazy_materialize_dtype_follows_module(torch):
    UP = torch.nn.parameter.UninitializedParameter
    module = _lazy_module(torch)
    module.register_parameter("test_param", UP())
    module.test_param.materialize(10)
    first = (module.test_param.dtype, module.test_param.shape, type(module.test_param).__name__)
    module = _lazy_module(torch)
    module.register_parameter("test_param", UP())
    module.half()
    module.test_param.materialize((2, 3))
    return first, module.test_param.dtype, module.test_param.shape


@program
def lazy_chained_initialization(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear_1 = torch.nn.LazyLinear(6)
            self.linear_2 = torch.nn.LazyLinear(3)

        def forward(self, x):
            return self.linear_2(self.linear_1(x))

    net = Net()
    y = net(torch.ones(2, 4))
    return [p.shape for p in net.parameters()], y, [type(m).__name__ for m in net.children()]


@program
def lazy_optimizers_see_materialized_parameters(torch):
    UP = torch.nn.parameter.UninitializedParameter
    out = []
    for name in ("Adadelta", "Adamax", "Adam", "AdamW", "ASGD", "SGD", "Rprop", "RMSprop",
                 "NAdam", "RAdam"):  # fmt: skip
        cls = getattr(torch.optim, name)
        module = _lazy_module(torch)
        module.register_parameter("test_param", UP())
        try:
            optim = cls(module.parameters(), lr=0.0) if name == "SGD" else cls(module.parameters())
        except ValueError as e:
            out.append((name, str(e)))
            continue
        first = isinstance(optim.param_groups[0]["params"][0], UP)
        module.test_param.materialize(4)
        p = optim.param_groups[0]["params"][0]
        for q in module.parameters():
            q.grad = torch.ones_like(q)
        optim.step()
        out.append((name, first, isinstance(p, UP), type(p).__name__, p is module.test_param))
    return out


@program
def lazy_weight_and_spectral_norm_refused(torch):
    return [
        _outcome(torch.nn.utils.weight_norm, torch.nn.LazyLinear(7)),
        _outcome(torch.nn.utils.spectral_norm, torch.nn.LazyLinear(7)),
    ]


@program
def uninitialized_tensors_have_no_shape(torch):
    param = torch.nn.parameter.UninitializedParameter()
    return [
        _outcome(lambda: param.shape),
        _outcome(lambda: torch.nn.parameter.UninitializedBuffer().shape),
        repr(param),
    ]


@program
def lazy_dtype_conversion_before_first_call(torch):
    UB = torch.nn.parameter.UninitializedBuffer
    bn = torch.nn.LazyBatchNorm1d().double()
    out = [type(bn.running_mean).__name__, bn.running_mean.dtype, bn.weight.dtype,
           isinstance(bn.running_var, UB), list(bn.state_dict())]  # fmt: skip
    y = bn(torch.arange(6.0, dtype=torch.float64).reshape(2, 3))
    out += [y, bn.running_mean, bn.running_var.dtype, type(bn).__name__]
    lin = torch.nn.LazyLinear(2).to(torch.float64)
    out += [lin.weight.dtype, lin(torch.ones(1, 3, dtype=torch.float64)).dtype]
    return out


# ---- more hook and state_dict corners ----------------------------------------------------------
@program
def removable_handle_api(torch):
    m = torch.nn.Sigmoid()
    h1 = m.register_forward_pre_hook(lambda mod, inp: inp)
    h2 = m.register_forward_hook(lambda mod, inp, out: out, with_kwargs=False)
    out = [len(h1.hooks_dict_ref()), h1.id in h1.hooks_dict_ref(), h2.id != h1.id,
           type(h1).__name__]  # fmt: skip
    h1.remove()
    out += [h1.hooks_dict_ref() is m._forward_pre_hooks, len(m._forward_pre_hooks)]
    with h2:
        out.append(len(m._forward_hooks))
    out.append(len(m._forward_hooks))
    return out


@program
def hooks_skip_direct_forward_call(torch):
    m = torch.nn.Linear(2, 2)
    fired = []
    m.register_forward_pre_hook(lambda *a: fired.append("pre"))
    m.register_forward_hook(lambda *a: fired.append("fwd"))
    m.forward(torch.ones(1, 2))
    m(torch.ones(1, 2))
    return fired


@program
def full_backward_hook_under_no_grad_forward(torch):
    m = torch.nn.Linear(2, 2)
    fired = []
    m.register_full_backward_hook(lambda *a: fired.append("bwd"))
    m.register_full_backward_pre_hook(lambda *a: fired.append("bpre"))
    with torch.no_grad():
        y = m(torch.ones(1, 2, requires_grad=True))
    z = m(torch.ones(1, 2, requires_grad=True))
    z.sum().backward()
    return y.requires_grad, y.grad_fn is None, fired, type(z.grad_fn).__name__


@program
def full_backward_hook_identity_module(torch):
    class Ident(torch.nn.Module):
        def forward(self, x):
            return x

    m = Ident()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi[0] * 1, go[0] * 1)))
    x = torch.randn(3, requires_grad=True)
    y = m(x)
    (y * 2).sum().backward()
    return seen, x.grad, y is x, type(y.grad_fn).__name__


@program
def forward_pre_hook_non_tuple_and_none(torch):
    class Two(torch.nn.Module):
        def forward(self, *args):
            return len(args), [a.tolist() for a in args]

    m = Two()
    h = m.register_forward_pre_hook(lambda mod, args: args[0] * 10)
    first = m(torch.ones(1), torch.ones(1))
    h.remove()
    m.register_forward_pre_hook(lambda mod, args: None)
    return first, m(torch.ones(1), torch.zeros(1))


@program
def forward_hook_always_call_global_and_local(torch):
    reg = torch.nn.modules.module

    class Boom(torch.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    fired = []
    handles = [
        reg.register_module_forward_hook(lambda *a: fired.append("global"), always_call=True),
        reg.register_module_forward_hook(lambda *a: fired.append("global_not")),
    ]
    m = Boom()
    m.register_forward_hook(lambda *a: fired.append("local"), always_call=True)
    m.register_forward_hook(lambda *a: fired.append("local_not"))
    try:
        try:
            m(torch.ones(1))
        except ValueError as e:
            fired.append(str(e))
    finally:
        for h in handles:
            h.remove()
    return fired


@program
def load_state_dict_local_metadata_version(torch):
    seen = []

    class Versioned(torch.nn.Module):
        _version = 3

        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(2))

        def _load_from_state_dict(self, sd, prefix, meta, *args):
            seen.append((prefix, meta.get("version"), sorted(meta)))
            super()._load_from_state_dict(sd, prefix, meta, *args)

    m = torch.nn.Sequential(Versioned())
    sd = m.state_dict()
    meta = (dict(sd._metadata["0"]), list(sd._metadata))
    m.load_state_dict(sd)
    m.load_state_dict(dict(sd))
    sd._metadata["0"]["version"] = 1
    m.load_state_dict(sd)
    return meta, seen


@program
def load_state_dict_message_order(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    sd = m.state_dict()
    del sd["0.bias"]
    sd["1.weight"] = torch.ones(4)
    sd["zz"] = torch.ones(1)
    sd["aa"] = torch.ones(1)
    try:
        m.load_state_dict(sd)
    except RuntimeError as e:
        return str(e)


@program
def load_state_dict_scalar_into_zero_dim_and_dtype_cast(torch):
    class S(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("count", torch.tensor(0))
            self.p = torch.nn.Parameter(torch.tensor(1.5))

    m = S()
    m.load_state_dict({"count": torch.tensor([7]), "p": torch.tensor([2.5], dtype=torch.float64)})
    return m.count, m.p, m.p.dtype, type(m.p).__name__


@program
def state_dict_prefix_and_destination_metadata(torch):
    from collections import OrderedDict

    m = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Sequential(torch.nn.ReLU()))
    dest = OrderedDict()
    out = m.state_dict(destination=dest, prefix="net.")
    plain = {}
    m.state_dict(destination=plain)
    return out is dest, list(dest), hasattr(dest, "_metadata"), list(plain)


@program
def register_state_dict_post_hook_public(torch):
    m = torch.nn.Linear(2, 2)
    calls = []

    def hook(module, sd, prefix, local_metadata):
        calls.append((module is m, prefix, sorted(sd), dict(local_metadata)))
        sd["extra"] = torch.zeros(1)

    h = m.register_state_dict_post_hook(hook)
    keys = list(m.state_dict(prefix="p."))
    h.remove()
    return keys, calls, list(m.state_dict())


@program
def load_state_dict_pre_hook_public_edits(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2))

    def hook(module, sd, prefix, meta, strict, missing, unexpected, errors):
        for k in [k for k in sd if k.startswith(prefix + "old_")]:
            sd[prefix + k[len(prefix) + 4 :]] = sd.pop(k)

    m[0].register_load_state_dict_pre_hook(hook)
    sd = {"0.old_weight": torch.ones(2, 2), "0.old_bias": torch.zeros(2)}
    ret = m.load_state_dict(sd)
    return m[0].weight, ret.missing_keys, sorted(sd)


@program
def parametrize_transfer_single_param_and_many_to_one(torch):
    P = torch.nn.utils.parametrize
    nn = torch.nn
    Double = _param_mods(torch)[5]

    class AddOne(nn.Module):
        def forward(self, x):
            return x + 1.0

    class RankOne(nn.Module):
        def forward(self, x, y):
            return x.unsqueeze(-1) @ y.unsqueeze(-2)

        def right_inverse(self, m):
            return m[:, 0].clone(), torch.ones(m.shape[1])

    torch.manual_seed(0)
    model = nn.Linear(3, 3)
    for name in ("weight", "bias"):
        P.register_parametrization(model, name, AddOne())
        P.register_parametrization(model, name, Double())
    to_model = nn.Linear(3, 3)
    P.transfer_parametrizations_and_params(model, to_model, "weight")
    out = [list(to_model.parametrizations), to_model.weight, list(to_model.state_dict())]
    model = nn.Linear(3, 3)
    P.register_parametrization(model, "weight", RankOne())
    P.register_parametrization(model, "weight", Double())
    to_model = nn.Linear(3, 3)
    P.transfer_parametrizations_and_params(model, to_model)
    plist = to_model.parametrizations.weight
    out += [to_model.weight, plist.original0, plist.original1, plist.ntensors, plist.is_tensor]
    model.test_param = nn.Parameter(torch.randn(3, 3))
    P.register_parametrization(model, "test_param", RankOne())
    P.transfer_parametrizations_and_params(model, to_model, "test_param")
    out += [to_model.test_param, list(to_model.state_dict())]
    return out


@program
def parametrize_no_grad_split_originals(torch):
    P = torch.nn.utils.parametrize

    class SplitAndCat(torch.nn.Module):
        def right_inverse(self, x):
            return torch.split(x, x.shape[1] // 2)

        def forward(self, x0, x1):
            return torch.cat([x0, x1])

    torch.manual_seed(0)
    model = torch.nn.Linear(4, 4)
    model.weight.requires_grad = False
    P.register_parametrization(model, "weight", SplitAndCat())
    plist = model.parametrizations.weight
    return (model.weight.requires_grad, plist.original0.requires_grad,
            plist.original1.requires_grad, plist.original0.shape, model.weight,
            type(plist.original0).__name__, [n for n, _ in model.named_parameters()])  # fmt: skip


@program(tol={"rtol": 1e-4, "atol": 1e-6})
def parametrizations_spectral_norm_structure_train_eval_remove(torch):
    P = torch.nn.utils.parametrize
    SN = torch.nn.utils.parametrizations.spectral_norm
    torch.manual_seed(0)
    m = SN(torch.nn.Linear(5, 7))
    snm = m.parametrizations.weight[0]
    out = [snm._u.shape, "original" in m.parametrizations.weight._parameters,
           sorted(snm._buffers), "weight" in m._buffers, "weight" in m._parameters,
           m.weight.shape, list(m.state_dict())]  # fmt: skip
    m = P.remove_parametrizations(m, "weight")
    out += [hasattr(m, "parametrizations"), "weight" in m._parameters]
    m = SN(m, "weight")
    m = SN(m, "weight")
    m = SN(m, "bias")
    out.append(len(m.parametrizations.weight))
    m = P.remove_parametrizations(m, "bias")
    out += ["bias" in m._parameters, hasattr(m, "parametrizations")]
    m = P.remove_parametrizations(m, "weight")
    out += [hasattr(m, "parametrizations"), P.is_parametrized(m)]

    x = torch.randn(2, 3)
    m = SN(torch.nn.Linear(3, 4))
    snm = m.parametrizations.weight[0]
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    opt.zero_grad()
    m(x).sum().backward()
    opt.step()
    y = m(x)
    out += [y, snm._u, snm._v, torch.autograd.grad(y.sum(), m.parametrizations.weight.original)]
    last = m(x)
    m.eval()
    out += [m(x), last, m(x), snm._u]
    m = P.remove_parametrizations(m, "weight")
    out.append(m(x))
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-6})
def parametrizations_spectral_norm_state_dict_loading(torch):
    import copy

    P = torch.nn.utils.parametrize
    SN = torch.nn.utils.parametrizations.spectral_norm
    out = []
    for activate_times in (0, 3):
        torch.manual_seed(activate_times)
        inp = torch.randn(2, 3)
        snm = SN(torch.nn.Linear(3, 5))
        snm.train()
        for _ in range(activate_times):
            snm(inp)
        sd = copy.deepcopy(snm.state_dict())
        out.append(sorted(sd))
        loose = copy.deepcopy(sd)
        loose["nonsense"] = "nonsense"
        out.append(_outcome(snm.load_state_dict, loose, strict=True))
        results = [snm.load_state_dict(loose, strict=False)]
        for key in ("parametrizations.weight.original", "parametrizations.weight.0._u",
                    "parametrizations.weight.0._v"):  # fmt: skip
            del loose[key]
            results.append(snm.load_state_dict(loose, strict=False))
        loose["weight"] = snm.weight.detach().clone()
        results.append(snm.load_state_dict(loose, strict=False))
        out.append([(r.missing_keys, r.unexpected_keys) for r in results])
        snm = SN(P.remove_parametrizations(snm, "weight"))
        snm.load_state_dict(sd)
        with torch.no_grad():
            snm.eval()
            out.append(snm(inp))
            snm.train()
            out += [snm(inp), snm(inp)]
            snm.eval()
            out.append(snm(inp))
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-6})
def parametrizations_spectral_norm_dim_forward_and_value(torch):
    SN = torch.nn.utils.parametrizations.spectral_norm
    F = torch.nn.functional
    torch.manual_seed(0)
    m = SN(torch.nn.ConvTranspose2d(3, 4, (2, 3)))
    y = m(torch.randn(1, 3, 4, 5))
    out = [m.parametrizations.weight[0]._u.shape, y.shape]
    m = SN(torch.nn.Linear(5, 7))
    snm = m.parametrizations.weight[0]
    w = m.parametrizations.weight.original
    wm = w.view(w.size(0), -1)
    u = F.normalize(torch.mv(wm, snm._v), dim=0, eps=1e-12)
    v = F.normalize(torch.mv(wm.t(), u), dim=0, eps=1e-12)
    x = torch.randn(3, 5)
    expected = F.linear(x, w / torch.dot(u, torch.mv(wm, v)), m.bias)
    out += [m(x), expected]
    m = torch.nn.Linear(2, 2)
    with torch.no_grad():
        m.weight = torch.nn.Parameter(torch.diag(torch.tensor([0.5, -2.0])))
        SN(m)
        out.append(m.weight.data)
    return out


@program
def parametrizations_orthogonal_errors(torch):
    orth = torch.nn.utils.parametrizations.orthogonal
    m = torch.nn.Linear(3, 4)
    out = [_outcome(orth, m, "weight", "foo"), _outcome(orth, m, "bias")]
    orth(m, "weight")
    out.append(_outcome(setattr, m, "weight", torch.randn(5, 5)))
    for name in ("matrix_exp", "cayley"):
        m2 = orth(torch.nn.Linear(3, 3), "weight", name, use_trivialization=False)
        out.append(_outcome(setattr, m2, "weight", torch.eye(3)))
    torch.nn.utils.parametrize.remove_parametrizations(m, "weight")
    return out, type(m).__name__


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def parametrizations_weight_norm_loads_old_state_and_deepcopies(torch):
    import copy

    torch.manual_seed(0)
    m = torch.nn.utils.weight_norm(torch.nn.Linear(4, 5))
    old = m.state_dict()
    m2 = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(4, 5))
    ret = m2.load_state_dict(old)
    x = torch.randn(3, 4)
    m3 = copy.deepcopy(m2)
    return (list(old), list(m2.state_dict()), ret.missing_keys, m(x), m2(x), m3(x),
            m3.parametrizations.weight.original0 is m2.parametrizations.weight.original0)  # fmt: skip


@program(tol={"rtol": 2e-2, "atol": 2e-2})
def parametrizations_weight_norm_dims_and_dtypes(torch):
    WN = torch.nn.utils.parametrizations.weight_norm
    out = []
    for dtype in (torch.float32, torch.bfloat16):
        torch.manual_seed(0)
        x = torch.randn(3, 4, dtype=dtype)
        m = torch.nn.Linear(4, 5, dtype=dtype)
        expected = m(x)
        m = WN(m)
        plist = m.parametrizations.weight
        out += [plist.original1.shape, plist.original0.shape, plist.original0.dtype]
        out += [m(x).float(), expected.float()]
        torch.nn.utils.parametrize.remove_parametrizations(m, "weight")
        out += [hasattr(m, "parametrizations"), m(x).float()]
        m = WN(m, dim=1)
        out += [m.parametrizations.weight.original0.shape, m(x).float()]
        m = WN(torch.nn.Linear(4, 5, dtype=dtype), dim=None)
        out += [m.parametrizations.weight.original0.shape, m(x).float()]
    return out


@program
def parametrized_module_pickle_refused(torch):
    import copy
    import pickle

    m = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(2, 3))
    c = copy.deepcopy(m)
    return _outcome(pickle.dumps, m), type(c).__name__, list(c.state_dict())


@program
def pickled_lazy_and_pruned_modules(torch):
    import pickle

    prune = _prune(torch)
    UP = torch.nn.parameter.UninitializedParameter
    out = []
    for make, shape in ((lambda: torch.nn.LazyLinear(3), (2, 4)),
                        (lambda: torch.nn.LazyConv2d(2, 2), (1, 3, 4, 4)),
                        (lambda: torch.nn.LazyBatchNorm1d(), (4, 3))):  # fmt: skip
        m = pickle.loads(pickle.dumps(make()))
        out += [type(m).__name__, isinstance(m.weight, UP), m.has_uninitialized_params()]
        m(torch.ones(*shape))
        m = pickle.loads(pickle.dumps(m))
        out += [type(m).__name__, isinstance(m.weight, UP), m.weight.shape]
    for name in ("weight", "bias"):
        m = torch.nn.Conv3d(2, 2, 2)
        prune.random_unstructured(m, name=name, amount=0.1)
        m2 = pickle.loads(pickle.dumps(m))
        out += [type(m2).__name__, sorted(dict(m2.named_buffers())), prune.is_pruned(m2),
                bool((getattr(m2, name) == getattr(m, name)).all())]  # fmt: skip
    return out


@program
def lazy_warns_and_mismatched_loaded_input(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        lazy = torch.nn.LazyLinear(4)
    lazy.load_state_dict(torch.nn.Linear(5, 4).state_dict())
    out = [len(w), type(lazy).__name__, lazy.in_features]
    out.append(_outcome(lazy, torch.ones(2, 3)))
    return out


@program
def extra_state_strict_missing_and_nested(torch):
    class WithExtra(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.state = None

        def get_extra_state(self):
            return self.state

        def set_extra_state(self, state):
            self.state = state

    net = torch.nn.Sequential(torch.nn.Linear(1, 1), WithExtra())
    sd = net.state_dict()
    out = [list(sd), sd["1._extra_state"]]
    del sd["1._extra_state"]
    out.append(_outcome(net.load_state_dict, sd))
    sd["1"] = torch.ones(1)
    sd["1._extra_state"] = {"a": 1}
    ret = net.load_state_dict(sd, strict=False)
    out += [ret.unexpected_keys, ret.missing_keys, net[1].state]
    return out


@program
def backward_hooks_wrap_after_forward_hooks_and_pre_hooks(torch):
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 2)
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(("full", gi[0], go[0])))
    m.register_full_backward_pre_hook(lambda mod, go: seen.append(("pre", go[0])))
    m.register_forward_pre_hook(lambda mod, args: (args[0] * 3,))
    m.register_forward_hook(lambda mod, args, out: out * 2)
    x = torch.ones(1, 2, requires_grad=True)
    m(x).sum().backward()
    return seen, x.grad, len(m._forward_hooks), len(m._forward_pre_hooks)


@program
def deprecated_backward_hook_on_replaced_output(torch):
    m = torch.nn.Linear(2, 2)
    seen = []
    m.register_backward_hook(lambda mod, gi, go: seen.append((len(gi), [g.shape for g in go])))
    m.register_forward_hook(lambda mod, args, out: out * 2)
    x = torch.ones(1, 2, requires_grad=True)
    m(x).sum().backward()
    return seen, len(m._forward_hooks)


@program
def private_hook_flag_dicts(torch):
    m = torch.nn.Linear(2, 2)
    h1 = m.register_forward_hook(lambda *a: None, with_kwargs=True, always_call=True)
    h2 = m.register_forward_pre_hook(lambda *a: None, prepend=True, with_kwargs=True)
    m.register_forward_hook(lambda *a: None)
    out = [list(m._forward_hooks_with_kwargs) == [h1.id], list(m._forward_hooks_always_called),
           h2.id in m._forward_pre_hooks_with_kwargs]  # fmt: skip
    h1.remove()
    h2.remove()
    out += [len(m._forward_hooks_with_kwargs), len(m._forward_hooks_always_called),
            len(m._forward_pre_hooks_with_kwargs), len(m._forward_hooks)]  # fmt: skip
    return out[0], out[1] == [h1.id], out[2:]


@error(AssertionError, r"are not expected to return new values, if incompatible_keys need to be "
       r"modified, it should be done inplace\.")  # fmt: skip
def load_post_hook_returning_value_message(torch):
    m = torch.nn.Linear(2, 2)
    m.register_load_state_dict_post_hook(lambda mod, keys: 5)
    m.load_state_dict(m.state_dict())


@program
def global_backward_hook_sees_output_of_local_forward_hook(torch):
    reg = torch.nn.modules.module
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 2)
    m.register_forward_pre_hook(lambda mod, args: (args[0] * 3,))
    m.register_forward_hook(lambda mod, args, out: out * 2)
    seen = []
    handles = [
        reg.register_module_full_backward_pre_hook(lambda mod, go: seen.append(go[0])),
        reg.register_module_full_backward_hook(lambda mod, gi, go: seen.append(gi[0])),
    ]
    try:
        x = torch.ones(1, 2, requires_grad=True)
        m(x).sum().backward()
    finally:
        for h in handles:
            h.remove()
    return seen, x.grad


def _with_global_non_full_hook(torch, hook, run):
    """run() with the deprecated global backward hook ``hook`` registered. PyTorch remembers
    which kind of global backward hook was ever registered (and refuses the other kind), so
    that record is cleared before and after, as its own tests do."""
    reg = torch.nn.modules.module
    if hasattr(reg, "_global_is_full_backward_hook"):
        reg._global_is_full_backward_hook = None
    handle = reg.register_module_backward_hook(hook)
    try:
        return run()
    finally:
        handle.remove()
        if hasattr(reg, "_global_is_full_backward_hook"):
            reg._global_is_full_backward_hook = None


@program
def global_deprecated_backward_hook_counts_and_writes(torch):
    mods = [torch.nn.Sigmoid() for _ in range(2)]
    x = torch.randn(3, 3, requires_grad=True)
    seen = []

    def hook(m, gi, go):
        seen.append((type(gi).__name__, go[0].sum().item()))
        return tuple(g * 2 for g in gi)

    def run():
        out = [m(x) for m in mods]
        out[0].backward(torch.ones(3, 3) * 2, retain_graph=True)
        out[1].backward(torch.ones(3, 3))
        out[0].backward(torch.ones(3, 3))
        return len(seen)

    count = _with_global_non_full_hook(torch, hook, run)
    mods[0](x).sum().backward()
    return count, seen, x.grad


@program
def global_deprecated_backward_hook_wrong_counts(torch):
    out = []
    for bad in (lambda m, gi, go: gi[:-1], lambda m, gi, go: gi + (torch.randn(2, 2),)):
        x = torch.randn(3, requires_grad=True)
        m = torch.nn.Sigmoid()  # alive while the hook runs (PyTorch holds it weakly)
        run = lambda: m(x).sum().backward()  # noqa: B023, E731
        out.append(_outcome(_with_global_non_full_hook, torch, bad, run))
    return out
