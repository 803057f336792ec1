"""Session 8 compatibility sweep, second pass over nn.Module hooks and state_dict hooks: forward
(pre-)hooks with kwargs/prepend/always_call, backward hooks, the global module hooks, the
registration hooks, state_dict and load_state_dict hooks, named_parameters/named_buffers
options and attribute assignment. Each program runs with PyTorch (the oracle) and minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _lin(torch, i=3, o=2):
    torch.manual_seed(0)
    return torch.nn.Linear(i, o)


class _Two:
    """A module with two inputs and two outputs, built per framework."""

    @staticmethod
    def make(torch):
        class Two(torch.nn.Module):
            def forward(self, a, b):
                return a * b, a + 2 * b

        return Two()


# ---- forward hooks ------------------------------------------------------------------------
@program
def pre_hook_with_kwargs_replaces(torch):
    class M(torch.nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    m = M()
    m.register_forward_pre_hook(lambda mod, a, k: (a, {"scale": 3.0}), with_kwargs=True)
    return m(torch.ones(2), scale=2.0)


@program
def pre_hook_with_kwargs_sees_kwargs(torch):
    seen = []

    class M(torch.nn.Module):
        def forward(self, x, *, y):
            return x + y

    m = M()
    m.register_forward_pre_hook(lambda mod, a, k: seen.append(sorted(k)), with_kwargs=True)
    out = m(torch.ones(2), y=torch.ones(2))
    return out, seen


@program
def forward_hook_with_kwargs(torch):
    seen = []
    m = _lin(torch)

    def hook(mod, args, kwargs, out):
        seen.append((len(args), dict(kwargs)))
        return out * 2

    m.register_forward_hook(hook, with_kwargs=True)
    return m(torch.ones(1, 3)), seen


@program
def prepend_order(torch):
    order = []
    m = _lin(torch)
    m.register_forward_hook(lambda *a: order.append("a"))
    m.register_forward_hook(lambda *a: order.append("b"), prepend=True)
    m.register_forward_pre_hook(lambda *a: order.append("pa"))
    m.register_forward_pre_hook(lambda *a: order.append("pb"), prepend=True)
    m(torch.ones(3))
    return order


@program
def pre_hook_returns_single_value(torch):
    m = _lin(torch)
    m.register_forward_pre_hook(lambda mod, a: a[0] * 0)
    return m(torch.ones(3))


@program
def hook_chain_replacements(torch):
    m = _lin(torch)
    m.register_forward_hook(lambda mod, a, o: o + 1)
    m.register_forward_hook(lambda mod, a, o: o * 10)
    m.register_forward_pre_hook(lambda mod, a: (a[0] * 2,))
    return m(torch.ones(3))


@program
def always_call_runs_on_error(torch):
    calls = []

    class Bad(torch.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Bad()
    m.register_forward_hook(lambda mod, a, o: calls.append(("always", o)), always_call=True)
    m.register_forward_hook(lambda mod, a, o: calls.append("normal"))
    try:
        m(torch.ones(1))
    except ValueError as e:
        calls.append(str(e))
    return calls


@program
def always_call_with_kwargs_on_error(torch):
    calls = []

    class Bad(torch.nn.Module):
        def forward(self, x, k=0):
            raise ValueError("bad")

    m = Bad()
    m.register_forward_hook(
        lambda mod, a, kw, o: calls.append((dict(kw), o)), always_call=True, with_kwargs=True
    )
    try:
        m(torch.ones(1), k=5)
    except ValueError:
        pass
    return calls


@program
def handle_remove_inside_hook(torch):
    order = []
    m = _lin(torch)
    handles = []

    def first(mod, a, o):
        order.append(1)
        handles[1].remove()

    handles.append(m.register_forward_hook(first))
    handles.append(m.register_forward_hook(lambda *a: order.append(2)))
    m(torch.ones(3))
    m(torch.ones(3))
    return order


@program
def handle_remove_twice_and_context(torch):
    order = []
    m = _lin(torch)
    with m.register_forward_hook(lambda *a: order.append("h")):
        m(torch.ones(3))
    m(torch.ones(3))
    h = m.register_forward_pre_hook(lambda *a: order.append("p"))
    h.remove()
    h.remove()
    m(torch.ones(3))
    return order


@program
def hooks_dicts_len(torch):
    m = _lin(torch)
    m.register_forward_hook(lambda *a: None)
    m.register_forward_pre_hook(lambda *a: None)
    m.register_forward_pre_hook(lambda *a: None)
    return len(m._forward_hooks), len(m._forward_pre_hooks)


@error(RuntimeError, r"forward pre-hook must return None or a tuple of \(new_args, new_kwargs\)")
def pre_hook_with_kwargs_bad_return(torch):
    m = _lin(torch)
    m.register_forward_pre_hook(lambda mod, a, k: a, with_kwargs=True)
    return m(torch.ones(3))


@program
def hook_on_submodule_in_sequential(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    acts = {}
    for name, mod in net.named_modules():
        if name:
            mod.register_forward_hook(lambda m, a, o, n=name: acts.__setitem__(n, o.detach()))
    out = net(torch.ones(2, 3))
    return out, acts


@program
def hook_tuple_output(torch):
    m = _Two.make(torch)
    m.register_forward_hook(lambda mod, a, o: (o[1], o[0]))
    return m(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))


# ---- global hooks -------------------------------------------------------------------------
@program
def global_forward_hooks_order(torch):
    mm = torch.nn.modules.module
    order = []
    m = _lin(torch)
    m.register_forward_pre_hook(lambda *a: order.append("local pre"))
    m.register_forward_hook(lambda *a: order.append("local"))
    h1 = mm.register_module_forward_pre_hook(lambda *a: order.append("global pre"))
    h2 = mm.register_module_forward_hook(lambda *a: order.append("global"))
    try:
        m(torch.ones(3))
    finally:
        h1.remove()
        h2.remove()
    m(torch.ones(3))
    return order


@program
def global_forward_hook_replaces(torch):
    mm = torch.nn.modules.module
    m = _lin(torch)
    h = mm.register_module_forward_hook(lambda mod, a, o: o * 0 + 7)
    try:
        out = m(torch.ones(3))
    finally:
        h.remove()
    return out


@program
def global_full_backward_hook(torch):
    mm = torch.nn.modules.module
    seen = []
    m = _lin(torch)
    h = mm.register_module_full_backward_hook(
        lambda mod, gi, go: seen.append((type(mod).__name__, gi, go))
    )
    try:
        x = torch.ones(1, 3, requires_grad=True)
        m(x).sum().backward()
    finally:
        h.remove()
    return seen, x.grad


@program
def global_full_backward_pre_hook(torch):
    mm = torch.nn.modules.module
    seen = []
    m = _lin(torch)
    h = mm.register_module_full_backward_pre_hook(lambda mod, go: seen.append(go))
    try:
        x = torch.ones(1, 3, requires_grad=True)
        m(x).sum().backward()
    finally:
        h.remove()
    return seen, x.grad


@program
def global_parameter_registration_hook(torch):
    mm = torch.nn.modules.module
    seen = []

    def hook(mod, name, p):
        seen.append((type(mod).__name__, name, tuple(p.shape)))

    h = mm.register_module_parameter_registration_hook(hook)
    try:
        _lin(torch)
        m = torch.nn.Module()
        m.p = torch.nn.Parameter(torch.ones(1))
        m.p = None
        m.register_parameter("q", None)
    finally:
        h.remove()
    _lin(torch)
    return seen


@program
def global_parameter_registration_hook_replaces(torch):
    mm = torch.nn.modules.module
    h = mm.register_module_parameter_registration_hook(
        lambda mod, name, p: torch.nn.Parameter(torch.zeros_like(p))
    )
    try:
        m = torch.nn.Linear(2, 2)
    finally:
        h.remove()
    return m.weight, m.bias


@program
def global_buffer_registration_hook(torch):
    mm = torch.nn.modules.module
    seen = []
    h = mm.register_module_buffer_registration_hook(
        lambda mod, name, b: seen.append((name, b if b is None else tuple(b.shape)))
    )
    try:
        m = torch.nn.Module()
        m.register_buffer("a", torch.ones(2))
        m.register_buffer("b", None)
        m.c = torch.nn.Buffer(torch.ones(3))
        m.a = torch.zeros(4)
        m.c = None
    finally:
        h.remove()
    return seen


@program
def global_module_registration_hook(torch):
    mm = torch.nn.modules.module
    seen = []
    h = mm.register_module_module_registration_hook(
        lambda mod, name, sub: seen.append((type(mod).__name__, name, type(sub).__name__))
    )
    try:
        m = torch.nn.Module()
        m.add_module("fc", torch.nn.Identity())
        m.act = torch.nn.ReLU()
        m.register_module("other", torch.nn.Tanh())
        m.act = None
        m.add_module("gone", None)
    finally:
        h.remove()
    return seen


# ---- backward hooks -----------------------------------------------------------------------
@program
def full_backward_hook_two_inputs(torch):
    seen = []
    m = _Two.make(torch)
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    p, s = m(a, b)
    (p.sum() + 3 * s.sum()).backward()
    return seen, a.grad, b.grad


@program
def full_backward_hook_input_no_grad(torch):
    seen = []
    m = _Two.make(torch)
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0])
    p, s = m(a, b)
    (p.sum() + s.sum()).backward()
    return seen, a.grad


@program
def full_backward_hook_replaces_grad_input(torch):
    m = _lin(torch)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0 + 5,))
    x = torch.ones(2, 3, requires_grad=True)
    m(x).sum().backward()
    return x.grad, m.weight.grad


@program
def full_backward_pre_hook_replaces_grad_output(torch):
    m = _lin(torch)
    m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 2,))
    x = torch.ones(2, 3, requires_grad=True)
    m(x).sum().backward()
    return x.grad, m.weight.grad


@program
def full_backward_hook_no_input_requires_grad(torch):
    seen = []
    m = _lin(torch)
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    m(torch.ones(2, 3)).sum().backward()
    return seen, m.bias.grad


@program
def full_backward_hooks_order_prepend(torch):
    order = []
    m = _lin(torch)
    m.register_full_backward_hook(lambda *a: order.append("a"))
    m.register_full_backward_hook(lambda *a: order.append("b"), prepend=True)
    m.register_full_backward_pre_hook(lambda *a: order.append("pa"))
    m.register_full_backward_pre_hook(lambda *a: order.append("pb"), prepend=True)
    x = torch.ones(1, 3, requires_grad=True)
    m(x).sum().backward()
    return order


@program
def full_backward_hook_on_sequential(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    names = []
    for n, mod in net.named_children():
        mod.register_full_backward_hook(lambda m, gi, go, n=n: names.append((n, go[0].shape)))
    x = torch.ones(2, 3, requires_grad=True)
    net(x).sum().backward()
    return names, x.grad


@program
def full_backward_hook_output_used_twice(torch):
    seen = []
    m = _lin(torch, 2, 2)
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(go))
    x = torch.ones(1, 2, requires_grad=True)
    y = m(x)
    (y * y).sum().backward()
    return seen, x.grad


@program
def full_backward_hook_with_kwargs_input(torch):
    seen = []

    class M(torch.nn.Module):
        def forward(self, x, *, w):
            return x * w

    m = M()
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(len(gi)))
    x = torch.ones(2, requires_grad=True)
    w = torch.full((2,), 3.0, requires_grad=True)
    m(x, w=w).sum().backward()
    return seen, x.grad, w.grad


@program
def backward_pre_hook_returns_none(torch):
    seen = []
    m = _lin(torch)
    m.register_full_backward_pre_hook(lambda mod, go: seen.append(len(go)))
    x = torch.ones(1, 3, requires_grad=True)
    m(x).sum().backward()
    return seen, x.grad


@error(RuntimeError, r"Output 0 of BackwardHookFunction is a view and is being modified inplace")
def full_backward_hook_inplace_output(torch):
    class M(torch.nn.Module):
        def forward(self, x):
            return x.view(-1)

    m = M()
    m.register_full_backward_hook(lambda *a: None)
    y = m(torch.ones(2, requires_grad=True).clone())
    y.add_(1)
    return y


# ---- state_dict hooks ---------------------------------------------------------------------
@program
def state_dict_pre_hook_args(torch):
    seen = []
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net[0].register_state_dict_pre_hook(lambda mod, prefix, keep: seen.append((prefix, keep)))
    net.state_dict(keep_vars=True)
    net.state_dict(prefix="root.")
    return seen


@program
def state_dict_post_hook_edits(torch):
    m = _lin(torch)

    def hook(mod, sd, prefix, meta):
        sd[prefix + "extra"] = torch.tensor(1.0)
        meta["note"] = 1

    m.register_state_dict_post_hook(hook)
    sd = m.state_dict()
    return list(sd), sd._metadata[""]


@error(RuntimeError, r"state_dict post-hook must return None")
def state_dict_post_hook_returns(torch):
    m = _lin(torch)
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: {})
    return m.state_dict()


@program
def private_state_dict_hook_returns_new(torch):
    m = _lin(torch)
    m._register_state_dict_hook(lambda mod, sd, prefix, meta: {"only": sd[prefix + "bias"]})
    return m.state_dict()


@program
def state_dict_hook_on_child_with_prefix(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))

    def rename(mod, sd, prefix, meta):
        sd[prefix + "w"] = sd.pop(prefix + "weight")

    net[1].register_state_dict_post_hook(rename)
    return list(net.state_dict())


@program
def load_pre_hook_renames_keys(torch):
    m = _lin(torch)
    sd = {"w": torch.zeros(2, 3), "b": torch.ones(2)}

    def hook(mod, state_dict, prefix, meta, strict, missing, unexpected, errors):
        state_dict[prefix + "weight"] = state_dict.pop(prefix + "w")
        state_dict[prefix + "bias"] = state_dict.pop(prefix + "b")

    m.register_load_state_dict_pre_hook(hook)
    r = m.load_state_dict(sd)
    return m.weight, m.bias, r.missing_keys, r.unexpected_keys, list(sd)


@program
def load_post_hook_clears_missing(torch):
    m = _lin(torch)

    def hook(mod, keys):
        keys.missing_keys.clear()

    m.register_load_state_dict_post_hook(hook)
    r = m.load_state_dict({"weight": torch.zeros(2, 3)})
    return m.weight, str(r), r.missing_keys


@program
def load_post_hook_sees_keys(torch):
    seen = []
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
    for mod in net:
        mod.register_load_state_dict_post_hook(
            lambda mod, k: seen.append((list(k.missing_keys), list(k.unexpected_keys)))
        )
    sd = net.state_dict()
    del sd["1.bias"]
    sd["0.extra"] = torch.zeros(1)
    net.load_state_dict(sd, strict=False)
    return seen


@error(RuntimeError, r"Missing key\(s\) in state_dict: \"bias\"")
def load_post_hook_adds_missing(torch):
    m = _lin(torch)
    m.register_load_state_dict_post_hook(lambda mod, k: k.missing_keys.append("bias"))
    return m.load_state_dict(m.state_dict())


@error(AssertionError, r"are not expected to return new values")
def load_post_hook_returns(torch):
    m = _lin(torch)
    m.register_load_state_dict_post_hook(lambda mod, k: k)
    return m.load_state_dict(m.state_dict())


@program
def load_state_dict_return_repr(torch):
    m = _lin(torch)
    sd = m.state_dict()
    sd["x"] = torch.ones(1)
    return str(m.load_state_dict(sd, strict=False)), str(m.load_state_dict(m.state_dict()))


# ---- to_empty, named_parameters, named_buffers --------------------------------------------
@program
def to_empty_keeps_shapes(torch):
    m = _lin(torch)
    m.register_buffer("steps", torch.zeros(3, dtype=torch.int64))
    r = m.to_empty(device="cpu")
    return (
        r is m,
        tuple(m.weight.shape),
        m.weight.dtype,
        m.steps.dtype,
        type(m.weight).__name__,
        m.weight.requires_grad,
    )


@program
def named_parameters_prefix_recurse(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    net.p = torch.nn.Parameter(torch.ones(1))
    return (
        [n for n, _ in net.named_parameters(prefix="model")],
        [n for n, _ in net.named_parameters(recurse=False)],
        [n for n, _ in net.named_buffers(prefix="x", recurse=True)],
        [n for n, _ in net.named_buffers(recurse=False)],
    )


@program
def named_parameters_shared(torch):
    torch.manual_seed(0)
    a = torch.nn.Linear(2, 2)
    net = torch.nn.Sequential(a, a)
    net.extra = a.weight
    return (
        [n for n, _ in net.named_parameters()],
        [n for n, _ in net.named_parameters(remove_duplicate=False)],
        len(list(net.parameters())),
    )


@program
def named_buffers_shared(torch):
    m = torch.nn.Module()
    b = torch.ones(2)
    m.register_buffer("a", b)
    m.register_buffer("c", b)
    m.sub = torch.nn.Module()
    m.sub.register_buffer("d", b)
    return (
        [n for n, _ in m.named_buffers()],
        [n for n, _ in m.named_buffers(remove_duplicate=False)],
    )


@program
def named_modules_memo_prefix(torch):
    relu = torch.nn.ReLU()
    net = torch.nn.Sequential(relu, torch.nn.Sequential(relu, torch.nn.Tanh()))
    return (
        [n for n, _ in net.named_modules()],
        [n for n, _ in net.named_modules(prefix="net", remove_duplicate=False)],
    )


# ---- __setattr__ --------------------------------------------------------------------------
@program
def setattr_parameter_to_none(torch):
    m = _lin(torch)
    m.bias = None
    return list(m.state_dict()), m.bias, [n for n, _ in m.named_parameters()]


@error(
    TypeError,
    r"cannot assign 'torch.FloatTensor' as parameter 'weight' \(torch.nn.Parameter or None expected\)",
)
def setattr_tensor_on_parameter(torch):
    m = _lin(torch)
    m.weight = torch.ones(2, 3)


@program
def setattr_tensor_on_buffer(torch):
    m = torch.nn.BatchNorm1d(2)
    m.running_mean = torch.full((2,), 5.0)
    m.running_var = None
    return m.state_dict()


@error(
    TypeError,
    r"cannot assign 'int' as buffer 'running_mean' \(torch.nn.Buffer, torch.Tensor or None expected\)",
)
def setattr_int_on_buffer(torch):
    m = torch.nn.BatchNorm1d(2)
    m.running_mean = 3


@error(
    TypeError,
    r"cannot assign 'torch.FloatTensor' as child module 'fc' \(torch.nn.Module or None expected\)",
)
def setattr_tensor_on_module(torch):
    m = torch.nn.Module()
    m.fc = torch.nn.Linear(1, 1)
    m.fc = torch.ones(1)


@program
def setattr_parameter_replaces_plain_attr(torch):
    m = torch.nn.Module()
    m.w = 3
    m.w = torch.nn.Parameter(torch.ones(2))
    m.b = torch.ones(1)
    m.register_buffer("b2", torch.ones(1))
    m.b2 = torch.nn.Parameter(torch.zeros(1))
    return [n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()], m.b


@error(AttributeError, r"cannot assign parameters before Module.__init__\(\) call")
def setattr_parameter_before_init(torch):
    class M(torch.nn.Module):
        def __init__(self):
            self.w = torch.nn.Parameter(torch.ones(1))
            super().__init__()

    return M()


@error(KeyError, r"attribute 'weight' already exists")
def register_parameter_existing_attr(torch):
    m = _lin(torch)
    m.register_buffer("weight", torch.ones(1))


@error(
    TypeError,
    r"cannot assign 'torch.FloatTensor' object to parameter 'p' \(torch.nn.Parameter or None required\)",
)
def register_parameter_plain_tensor(torch):
    m = torch.nn.Module()
    m.register_parameter("p", torch.ones(1))


@program
def global_and_local_backward_hooks_order(torch):
    mm = torch.nn.modules.module
    order = []
    m = _lin(torch)
    m.register_full_backward_hook(lambda *a: order.append("local"))
    m.register_full_backward_pre_hook(lambda *a: order.append("local pre"))
    h1 = mm.register_module_full_backward_hook(lambda *a: order.append("global"))
    h2 = mm.register_module_full_backward_pre_hook(lambda *a: order.append("global pre"))
    x = torch.ones(1, 3, requires_grad=True)
    try:
        m(x).sum().backward()
    finally:
        h1.remove()
        h2.remove()
    m(x).sum().backward()
    return order, x.grad


@program
def global_backward_hook_nested_modules(torch):
    mm = torch.nn.modules.module
    names = []
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    h = mm.register_module_full_backward_hook(
        lambda mod, gi, go: names.append((type(mod).__name__, gi[0] is None))
    )
    x = torch.ones(2, 3, requires_grad=True)
    try:
        net(x).sum().backward()
    finally:
        h.remove()
    return names, x.grad


@program
def global_backward_pre_hook_replaces(torch):
    mm = torch.nn.modules.module
    m = _lin(torch)
    h = mm.register_module_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
    x = torch.ones(2, 3, requires_grad=True)
    try:
        m(x).sum().backward()
    finally:
        h.remove()
    return x.grad, m.weight.grad


@error(
    RuntimeError, r"Backward hook returned an invalid number of grad_input, got 2, but expected 1"
)
def full_backward_hook_wrong_count(torch):
    m = _lin(torch)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    x = torch.ones(1, 3, requires_grad=True)
    m(x).sum().backward()


@program
def private_load_pre_hook_without_module(torch):
    seen = []
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net[0]._register_load_state_dict_pre_hook(
        lambda sd, prefix, meta, strict, missing, unexpected, errors: seen.append(
            (prefix, sorted(sd), strict, meta.get("version"))
        )
    )
    net.load_state_dict(net.state_dict())
    return seen


@program
def forward_hook_kwargs_only_call(torch):
    seen = []

    class M(torch.nn.Module):
        def forward(self, x=None):
            return x + 1

    m = M()
    m.register_forward_pre_hook(lambda mod, a: seen.append(len(a)))
    m.register_forward_hook(lambda mod, a, kw, o: seen.append(sorted(kw)), with_kwargs=True)
    return m(x=torch.ones(2)), seen


@program
def state_dict_hooks_with_keep_vars_and_destination(torch):
    m = _lin(torch)
    seen = []
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: seen.append(sorted(sd)))
    dest = {}
    out = m.state_dict(destination=dest, prefix="a.", keep_vars=True)
    return out is dest, seen, out["a.weight"].requires_grad


@program
def load_state_dict_metadata_version(torch):
    seen = []
    m = torch.nn.BatchNorm1d(2)
    m.register_load_state_dict_pre_hook(
        lambda mod, sd, prefix, meta, *rest: seen.append(dict(meta))
    )
    sd = m.state_dict()
    m.load_state_dict(sd)
    m.load_state_dict(dict(sd))
    return seen


@program
def load_pre_hook_metadata_with_assign(torch):
    seen = []
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net[0].register_load_state_dict_pre_hook(
        lambda mod, sd, prefix, meta, *rest: seen.append(sorted(meta.items()))
    )
    sd = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(sd, assign=True)
    return seen, net[0].weight is sd["0.weight"], type(net[0].weight).__name__


@program
def to_empty_not_recursive(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net.p = torch.nn.Parameter(torch.ones(3))
    before = net[0].weight.detach().clone()
    net.to_empty(device="cpu", recurse=False)
    return net[0].weight.detach(), before, tuple(net.p.shape)
