"""Session 7 compatibility sweep of the nn.Module API: hooks, containers, registration rules,
state_dict and load_state_dict (with their hooks), functional_call, deepcopy, and
torch.save/torch.load round trips. Each program runs with real PyTorch (the oracle) and with
minitorch from the same seed (tests/sweep_harness.py)."""

from __future__ import annotations

import copy
import importlib
import io
import pickle
from collections import OrderedDict, deque

import pytest
from fake_cupy import installed
from sweep_harness import Sweep

import minitorch

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _mlp(torch):
    nn = torch.nn
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def _names(pairs):
    return [name for name, _ in pairs]


# ---- forward hooks --------------------------------------------------------------------------
@program
def forward_hooks_order_prepend_and_replacement(torch):
    lin = torch.nn.Linear(3, 2)
    calls = []
    lin.register_forward_pre_hook(lambda m, a: calls.append("pre1"))
    lin.register_forward_pre_hook(lambda m, a: (calls.append("pre0"), None)[1], prepend=True)
    lin.register_forward_pre_hook(lambda m, a: a[0] * 2)  # a bare tensor replaces args
    lin.register_forward_hook(lambda m, a, out: calls.append(("post", tuple(a[0].shape))))
    lin.register_forward_hook(lambda m, a, out: out + 1, prepend=True)
    x = torch.ones(1, 3)
    return lin(x), calls


@program
def forward_hook_with_kwargs_rewrites_kwargs(torch):
    class Scale(torch.nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    m = Scale()

    def pre(mod, args, kwargs):
        return (args[0] + 1,), {"scale": kwargs.get("scale", 1.0) * 10}

    def post(mod, args, kwargs, out):
        return out - kwargs["scale"]

    m.register_forward_pre_hook(pre, with_kwargs=True)
    m.register_forward_hook(post, with_kwargs=True)
    return m(torch.zeros(2), scale=2.0), m(torch.zeros(2))


@program
def forward_hook_handle_remove_and_context(torch):
    lin = torch.nn.Linear(2, 2)
    seen = []
    h = lin.register_forward_hook(lambda m, a, o: seen.append(1))
    lin(torch.ones(2))
    h.remove()
    h.remove()  # a second remove is harmless
    lin(torch.ones(2))
    with lin.register_forward_hook(lambda m, a, o: seen.append(2)):
        lin(torch.ones(2))
    lin(torch.ones(2))
    return seen, len(lin._forward_hooks)


@program
def forward_hook_always_call_on_error(torch):
    class Bad(torch.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Bad()
    seen = []
    m.register_forward_hook(lambda mod, a, out: seen.append(("always", out)), always_call=True)
    m.register_forward_hook(lambda mod, a, out: seen.append("plain"))
    try:
        m(torch.ones(1))
    except ValueError as e:
        seen.append(str(e))
    return seen


@program
def forward_hooks_collect_activations(torch):
    torch.manual_seed(0)
    model = _mlp(torch)
    acts = {}
    for name, mod in model.named_modules():
        if isinstance(mod, torch.nn.Linear):
            mod.register_forward_hook(lambda m, i, o, name=name: acts.__setitem__(name, o.detach()))
    model(torch.randn(5, 3))
    return acts


@program
def forward_pre_hook_returning_tuple_of_two_args(torch):
    class Add(torch.nn.Module):
        def forward(self, a, b):
            return a + b

    m = Add()
    m.register_forward_pre_hook(lambda mod, args: (args[1], args[0] * 3))
    return m(torch.ones(2), torch.full((2,), 5.0))


@program
def global_module_forward_hooks(torch):
    mm = torch.nn.modules.module
    seen = []
    h1 = mm.register_module_forward_pre_hook(lambda m, a: seen.append(("pre", type(m).__name__)))
    h2 = mm.register_module_forward_hook(lambda m, a, o: seen.append(("post", type(m).__name__)))
    try:
        model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
        model(torch.ones(1, 2))
    finally:
        h1.remove()
        h2.remove()
    model(torch.ones(1, 2))
    return seen


# ---- backward hooks -------------------------------------------------------------------------
@program
def full_backward_hook_grad_input_output(torch):
    lin = torch.nn.Linear(3, 2)
    record = {}

    def hook(m, gin, gout):
        record["gin"] = [None if g is None else g.clone() for g in gin]
        record["gout"] = [g.clone() for g in gout]

    lin.register_full_backward_hook(hook)
    x = torch.randn(4, 3, requires_grad=True)
    lin(x).pow(2).sum().backward()
    return record, x.grad, lin.weight.grad


@program
def full_backward_hook_replaces_grad_input(torch):
    relu = torch.nn.ReLU()
    relu.register_full_backward_hook(lambda m, gin, gout: (gin[0].clamp(max=0.5),))
    x = torch.randn(6, requires_grad=True)
    (relu(x) * 3).sum().backward()
    return x.grad


@program
def full_backward_pre_hook_scales_grad_output(torch):
    lin = torch.nn.Linear(2, 2)
    seen = []

    def pre(m, gout):
        seen.append(gout[0].clone())
        return (gout[0] * 10,)

    lin.register_full_backward_pre_hook(pre)
    x = torch.randn(3, 2, requires_grad=True)
    lin(x).sum().backward()
    return seen, x.grad, lin.weight.grad, lin.bias.grad


@program
def full_backward_hook_two_inputs_one_without_grad(torch):
    class Mul(torch.nn.Module):
        def forward(self, a, b):
            return a * b

    m = Mul()
    seen = []
    m.register_full_backward_hook(lambda mod, gin, gout: seen.append(list(gin)))
    a = torch.randn(3, requires_grad=True)
    b = torch.randn(3)
    m(a, b).sum().backward()
    return seen, a.grad


@program
def full_backward_hook_on_sequential_children(torch):
    torch.manual_seed(0)
    model = _mlp(torch)
    order = []
    for name, mod in model.named_children():
        mod.register_full_backward_hook(lambda m, gi, go, name=name: order.append(name))
    x = torch.randn(2, 3, requires_grad=True)
    model(x).sum().backward()
    return order, x.grad


# ---- state_dict / load_state_dict -----------------------------------------------------------
@program
def state_dict_keys_persistent_false_buffers(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 2)
            self.register_buffer("running", torch.zeros(2))
            self.register_buffer("scratch", torch.ones(2), persistent=False)
            self.register_buffer("nothing", None)
            self.bn = torch.nn.BatchNorm1d(2)

    m = M()
    sd = m.state_dict()
    return list(sd), _names(m.named_buffers()), [type(v).__name__ for v in sd.values()]


@program
def load_state_dict_non_strict_result(torch):
    torch.manual_seed(0)
    a = _mlp(torch)
    sd = a.state_dict()
    sd.pop("2.bias")
    sd["extra.weight"] = torch.zeros(1)
    torch.manual_seed(1)
    b = _mlp(torch)
    result = b.load_state_dict(sd, strict=False)
    return (
        result.missing_keys,
        result.unexpected_keys,
        repr(result),
        b[0].weight,
        b[2].bias,
        list(result),
    )


@program
def load_state_dict_all_matched_repr(torch):
    a = _mlp(torch)
    result = a.load_state_dict(a.state_dict())
    return repr(result), str(result), result == ([], [])


@error(RuntimeError, r"size mismatch for 0\.weight: copying a param with shape")
def load_state_dict_size_mismatch(torch):
    a = torch.nn.Sequential(torch.nn.Linear(3, 4))
    b = torch.nn.Sequential(torch.nn.Linear(3, 5))
    b.load_state_dict(a.state_dict())


@error(RuntimeError, r'Missing key\(s\) in state_dict: "1\.weight", "1\.bias"\.')
def load_state_dict_strict_missing(torch):
    a = torch.nn.Sequential(torch.nn.Linear(3, 4))
    b = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 4))
    b.load_state_dict(a.state_dict())


@program
def load_state_dict_size_mismatch_message(torch):
    a = torch.nn.Sequential(torch.nn.Linear(3, 4))
    b = torch.nn.Sequential(torch.nn.Linear(3, 5))
    try:
        b.load_state_dict(a.state_dict(), strict=False)
    except RuntimeError as e:
        return str(e)


@program
def load_state_dict_assign_keeps_requires_grad(torch):
    src = torch.nn.Linear(2, 3)
    dst = torch.nn.Linear(2, 3)
    sd = {k: v.double() for k, v in src.state_dict().items()}
    dst.load_state_dict(sd, assign=True)
    return (
        dst.weight.dtype,
        dst.weight.requires_grad,
        type(dst.weight).__name__,
        dst.weight,
        dst.bias.data_ptr() == sd["bias"].data_ptr(),
    )


@program
def load_state_dict_copies_into_dtype(torch):
    m = torch.nn.Linear(2, 2).double()
    sd = {"weight": torch.ones(2, 2), "bias": torch.arange(2.0)}
    m.load_state_dict(sd)
    return m.weight, m.bias


@program
def state_dict_hooks(torch):
    m = torch.nn.Linear(2, 2)
    seen = []
    m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: seen.append(("pre", prefix)))

    def post(mod, sd, prefix, meta):
        seen.append(("post", prefix, sorted(sd)))
        sd[prefix + "extra"] = torch.tensor(1)

    m.register_state_dict_post_hook(post)
    outer = torch.nn.Sequential(m)
    sd = outer.state_dict()
    return list(sd), seen


@program
def load_state_dict_pre_and_post_hooks(torch):
    m = torch.nn.Linear(2, 2)
    seen = []

    def pre(mod, sd, prefix, meta, strict, missing, unexpected, errors):
        seen.append(("pre", prefix, strict))
        if prefix + "old_weight" in sd:
            sd[prefix + "weight"] = sd.pop(prefix + "old_weight")

    def post(mod, incompatible):
        seen.append(("post", list(incompatible.missing_keys), list(incompatible.unexpected_keys)))
        incompatible.missing_keys.clear()

    m.register_load_state_dict_pre_hook(pre)
    m.register_load_state_dict_post_hook(post)
    outer = torch.nn.Sequential(m)
    result = outer.load_state_dict({"0.old_weight": torch.ones(2, 2)})
    return seen, m.weight, repr(result)


@program
def state_dict_keep_vars_and_prefix(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2))
    sd = m.state_dict(keep_vars=True)
    sd2 = m.state_dict(prefix="model.")
    return (
        sd["0.weight"].requires_grad,
        sd["0.weight"] is m[0].weight,
        list(sd2),
        m.state_dict()["0.weight"].requires_grad,
    )


@program
def state_dict_shares_memory_and_metadata(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    sd = m.state_dict()
    sd["0.weight"].fill_(3.0)
    meta = sd._metadata
    return m[0].weight, list(meta), dict(meta["1"])


@program
def load_state_dict_from_tied_weights(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(5, 3)
            self.out = torch.nn.Linear(3, 5, bias=False)
            self.out.weight = self.emb.weight

    a = Tied()
    b = Tied()
    b.load_state_dict(a.state_dict())
    return (
        list(a.state_dict()),
        _names(a.named_parameters()),
        _names(a.named_parameters(remove_duplicate=False)),
        b.out.weight is b.emb.weight,
        b.emb.weight,
    )


# ---- named_* and lookups --------------------------------------------------------------------
@program
def named_modules_shared_and_prefix(torch):
    shared = torch.nn.Linear(2, 2)
    model = torch.nn.Sequential(shared, torch.nn.ReLU(), shared)
    return (
        _names(model.named_modules()),
        _names(model.named_modules(remove_duplicate=False)),
        _names(model.named_modules(prefix="net")),
        _names(model.named_children()),
        len(list(model.parameters())),
        _names(model.named_parameters(prefix="p", recurse=True)),
        _names(model[0].named_parameters(recurse=False)),
    )


@program
def named_buffers_recurse(torch):
    model = torch.nn.Sequential(
        torch.nn.BatchNorm1d(3), torch.nn.Sequential(torch.nn.BatchNorm1d(2))
    )
    return (
        _names(model.named_buffers()),
        _names(model.named_buffers(recurse=False)),
        _names(model[1].named_buffers(prefix="x")),
    )


@program
def get_submodule_parameter_buffer(torch):
    model = torch.nn.Sequential(OrderedDict(enc=torch.nn.Sequential(torch.nn.BatchNorm1d(2))))
    return (
        type(model.get_submodule("enc.0")).__name__,
        model.get_submodule("") is model,
        model.get_parameter("enc.0.weight").shape,
        model.get_buffer("enc.0.running_mean"),
    )


@error(AttributeError, r"has no attribute `nope`")
def get_submodule_missing(torch):
    torch.nn.Sequential(torch.nn.Linear(2, 2)).get_submodule("0.nope")


@error(AttributeError, r"`weight` is not an nn.Module")
def get_submodule_of_parameter(torch):
    torch.nn.Sequential(torch.nn.Linear(2, 2)).get_submodule("0.weight")


@error(AttributeError, r"`running_mean` is not an nn.Parameter")
def get_parameter_of_buffer(torch):
    torch.nn.BatchNorm1d(2).get_parameter("running_mean")


@error(AttributeError, r"`weight` is not a buffer")
def get_buffer_of_parameter(torch):
    torch.nn.BatchNorm1d(2).get_buffer("weight")


@program
def set_submodule_replaces(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sequential(torch.nn.ReLU()))
    model.set_submodule("1.0", torch.nn.Tanh())
    model.set_submodule("0", torch.nn.Identity())
    return repr(model)


# ---- __setattr__ / registration rules ---------------------------------------------------------
@error(TypeError, r"cannot assign 'torch.FloatTensor' as parameter 'weight' \(torch.nn.Parameter or None expected\)")  # fmt: skip
def assign_tensor_to_parameter_name(torch):
    lin = torch.nn.Linear(2, 2)
    lin.weight = torch.zeros(2, 2)


@error(TypeError, r"cannot assign 'torch.LongTensor' as parameter 'bias'")
def assign_long_tensor_to_parameter_name(torch):
    lin = torch.nn.Linear(2, 2)
    lin.bias = torch.zeros(2, dtype=torch.long)


@program
def assign_none_to_parameter_and_back(torch):
    lin = torch.nn.Linear(2, 2)
    lin.bias = None
    keys = list(lin.state_dict())
    out = lin(torch.ones(1, 2)).shape
    lin.bias = torch.nn.Parameter(torch.zeros(2))
    return keys, out, list(lin.state_dict()), _names(lin.named_parameters())


@error(TypeError, r"cannot assign 'int' as child module 'lin'")
def assign_int_to_child_module(torch):
    m = torch.nn.Module()
    m.lin = torch.nn.Linear(2, 2)
    m.lin = 3


@error(TypeError, r"cannot assign 'str' object to buffer 'buf'")
def register_buffer_wrong_type(torch):
    torch.nn.Module().register_buffer("buf", "x")


@error(KeyError, r'buffer name can\\\'t contain "\."')
def register_buffer_dotted(torch):
    torch.nn.Module().register_buffer("a.b", torch.zeros(1))


@error(KeyError, r"attribute 'training' already exists")
def register_parameter_existing_attribute(torch):
    torch.nn.Module().register_parameter("training", torch.nn.Parameter(torch.zeros(1)))


@error(TypeError, r"cannot assign 'torch.FloatTensor' object to parameter 'p' \(torch.nn.Parameter or None required\)")  # fmt: skip
def register_parameter_plain_tensor(torch):
    torch.nn.Module().register_parameter("p", torch.zeros(1))


@error(KeyError, r'module name can\\\'t contain "\.", got: a\.b')
def add_module_dotted(torch):
    torch.nn.Module().add_module("a.b", torch.nn.ReLU())


@error(TypeError, r"torch.FloatTensor is not a Module subclass")
def add_module_tensor(torch):
    torch.nn.Module().add_module("t", torch.zeros(1))


@program
def module_over_buffer_and_param_over_attr(torch):
    m = torch.nn.Module()
    m.register_buffer("thing", torch.zeros(1))
    m.thing = torch.nn.ReLU()  # a Module replaces the buffer
    m.plain = 3
    m.plain = torch.nn.Parameter(torch.ones(1))  # a Parameter replaces the plain attribute
    return (
        _names(m.named_buffers()),
        _names(m.named_children()),
        _names(m.named_parameters()),
        "plain" in m.__dict__,
    )


@program
def delattr_parameter_buffer_module(torch):
    m = torch.nn.BatchNorm1d(2)
    del m.weight
    del m.running_mean
    keys = list(m.state_dict())
    seq = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Tanh())
    del seq[0]
    return keys, hasattr(m, "weight"), repr(seq), _names(seq.named_children())


@program
def dir_lists_registered_names(torch):
    d = dir(torch.nn.BatchNorm1d(2))
    return [
        n in d for n in ("weight", "running_mean", "num_batches_tracked", "forward", "training")
    ]


@program
def buffer_assignment_rules(torch):
    m = torch.nn.Module()
    m.register_buffer("b", torch.zeros(2))
    m.b = torch.ones(2)  # a plain tensor replaces a buffer's value
    m.c = torch.nn.Buffer(torch.arange(3), persistent=False)
    m.b = None
    return list(m.state_dict()), _names(m.named_buffers()), type(m.c).__name__, m.c


# ---- containers -----------------------------------------------------------------------------
@program
def sequential_indexing(torch):
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    sub = seq[1:]
    return (
        type(sub).__name__,
        _names(sub.named_children()),
        type(seq[-1]).__name__,
        len(seq),
        [type(m).__name__ for m in seq],
        type(seq[::-1]).__name__,
        _names(seq[::2].named_children()),
    )


@program
def sequential_mutation(torch):
    seq = torch.nn.Sequential(torch.nn.ReLU())
    seq.append(torch.nn.Tanh())
    seq.insert(0, torch.nn.Sigmoid())
    seq.insert(-1, torch.nn.Identity())
    seq.extend([torch.nn.ELU()])
    popped = seq.pop(1)
    seq[0] = torch.nn.GELU()
    del seq[-1]
    combined = seq + torch.nn.Sequential(torch.nn.Softplus())
    return repr(seq), type(popped).__name__, repr(combined), _names(combined.named_children())


@program
def sequential_ordered_dict_names(torch):
    seq = torch.nn.Sequential(
        OrderedDict([("fc", torch.nn.Linear(2, 2)), ("act", torch.nn.ReLU())])
    )
    seq.append(torch.nn.Tanh())
    return repr(seq), list(seq.state_dict()), type(seq[0]).__name__, repr(seq[1:])


@error(IndexError, r"index 5 is out of range")
def sequential_index_out_of_range(torch):
    torch.nn.Sequential(torch.nn.ReLU())[5]


@program
def module_list_operations(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(1, 1) for _ in range(3)])
    ml.insert(1, torch.nn.ReLU())
    ml.insert(3, torch.nn.Tanh())
    ml += [torch.nn.Sigmoid()]
    ml.extend([torch.nn.ELU()])
    both = ml[:2] + ml[-2:]
    ml[0] = torch.nn.Identity()
    del ml[1]
    del ml[::2]
    return [type(m).__name__ for m in ml], type(both).__name__, [type(m).__name__ for m in both], list(ml.state_dict())  # fmt: skip


@program
def module_list_index_and_pop(torch):
    ml = torch.nn.ModuleList([torch.nn.ReLU(), torch.nn.Tanh(), torch.nn.ELU()])
    p = ml.pop(0)
    return type(p).__name__, _names(ml.named_children()), type(ml[-1]).__name__, len(ml)


@program
def module_dict_operations(torch):
    md = torch.nn.ModuleDict({"b": torch.nn.ReLU(), "a": torch.nn.Tanh()})
    md.update([("c", torch.nn.ELU())])
    md.update({"a": torch.nn.Sigmoid()})
    popped = md.pop("b")
    md["d"] = torch.nn.Identity()
    return (
        list(md.keys()),
        [type(v).__name__ for v in md.values()],
        [(k, type(v).__name__) for k, v in md.items()],
        type(popped).__name__,
        "a" in md,
        len(md),
        repr(md),
    )


@program
def parameter_list_and_dict(torch):
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2)), torch.zeros(3)])
    pl.append(torch.nn.Parameter(torch.ones(1)))
    pd = torch.nn.ParameterDict({"w": torch.nn.Parameter(torch.ones(2, 2))})
    pd["b"] = torch.zeros(2)
    pd.update({"c": torch.nn.Parameter(torch.ones(1))})
    return (
        [type(p).__name__ for p in pl],
        _names(pl.named_parameters()),
        list(pd.keys()),
        _names(pd.named_parameters()),
        pl[1].requires_grad,
        repr(pl),
        repr(pd),
    )


# ---- modes, dtypes, copies ------------------------------------------------------------------
@program
def train_eval_requires_grad_zero_grad(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.5))
    model.eval()
    flags = [m.training for m in model.modules()]
    model.train()
    model[1].eval()
    flags2 = [m.training for m in model.modules()]
    model(torch.ones(1, 2)).sum().backward()
    model.zero_grad(set_to_none=False)
    g = model[0].weight.grad
    model.zero_grad()
    model.requires_grad_(False)
    return flags, flags2, g, model[0].weight.grad, model[0].weight.requires_grad


@program
def apply_reinitializes(torch):
    def init(m):
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.constant_(m.weight, 0.5)
            torch.nn.init.zeros_(m.bias)

    model = _mlp(torch).apply(init)
    return [p for p in model.parameters()]


@program
def half_double_keep_integer_buffers(torch):
    bn = torch.nn.BatchNorm1d(2)
    bn.half()
    first = [(n, t.dtype) for n, t in bn.state_dict().items()]
    bn.double()
    second = [(n, t.dtype) for n, t in bn.state_dict().items()]
    bn.to(torch.float32)
    third = [(n, t.dtype) for n, t in bn.state_dict().items()]
    return first, second, third


@program
def to_memory_format_channels_last(torch):
    conv = torch.nn.Conv2d(2, 3, 3)
    conv.to(memory_format=torch.channels_last)
    x = torch.randn(1, 2, 5, 5)
    return conv(x), conv.weight.is_contiguous(memory_format=torch.channels_last)


@error(TypeError, r"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64")  # fmt: skip
def module_to_integer_dtype(torch):
    torch.nn.Linear(2, 2).to(torch.int64)


@program
def deepcopy_keeps_sharing(torch):
    shared = torch.nn.Linear(2, 2)
    model = torch.nn.Sequential(shared, shared)
    clone = copy.deepcopy(model)
    clone[0].weight.data.fill_(1.0)
    return (
        clone[0] is clone[1],
        clone[1].weight,
        model[0].weight is clone[0].weight,
        len(list(clone.parameters())),
        clone[0].weight.requires_grad,
    )


@program
def parameters_vector_round_trip(torch):
    model = _mlp(torch)
    vec = torch.nn.utils.parameters_to_vector(model.parameters())
    torch.nn.utils.vector_to_parameters(
        torch.arange(vec.numel(), dtype=torch.float32), model.parameters()
    )
    return vec.shape, [p for p in model.parameters()]


@program
def functional_call_with_tied_weights(torch):
    functional_call = torch.func.functional_call
    model = _mlp(torch)
    params = {k: torch.ones_like(v) for k, v in model.named_parameters()}
    x = torch.ones(1, 3)
    out = functional_call(model, params, (x,))
    out2 = functional_call(model, ({"0.weight": torch.zeros(4, 3)}, {}), x)
    return out, out2, model(x)


@error(RuntimeError, r"Unexpected key\(s\): 'bogus'")
def functional_call_strict_unexpected(torch):
    functional_call = torch.func.functional_call
    model = torch.nn.Linear(2, 2)
    functional_call(model, {"bogus": torch.zeros(1)}, (torch.ones(2),), strict=True)


# ---- saving and loading ---------------------------------------------------------------------
@program
def save_load_state_dict_bytesio(torch):
    model = _mlp(torch)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    sd = torch.load(buf)
    fresh = _mlp(torch)
    fresh.load_state_dict(sd)
    return type(sd).__name__, list(sd), fresh(torch.ones(1, 3)), sd["0.weight"].requires_grad


@program
def save_load_nested_structure(torch):
    obj = {
        "epoch": 3,
        "lr": 0.1,
        "name": "run",
        "flags": [True, None],
        "pair": (1, torch.arange(3)),
        "nested": {"a": [torch.ones(2, dtype=torch.float64)]},
    }
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


@program
def save_load_optimizer_state(torch):
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.ones(3, 2)).sum().backward()
    opt.step()
    buf = io.BytesIO()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, buf)
    buf.seek(0)
    ckpt = torch.load(buf)
    saved = copy.deepcopy(ckpt["opt"])
    model2 = torch.nn.Linear(2, 1)
    opt2 = torch.optim.Adam(model2.parameters(), lr=0.5)
    model2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["opt"])
    model2(torch.ones(3, 2)).sum().backward()
    opt2.step()
    return saved, opt2.state_dict()["state"], list(model2.parameters())


@program
def save_load_path_map_location(torch, tmp=None):
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ckpt.pt")
        torch.save({"w": torch.ones(2), "step": 7}, path)
        a = torch.load(path, map_location="cpu")
        b = torch.load(path, map_location=torch.device("cpu"))
        c = torch.load(path, map_location=lambda storage, loc: storage)
    return a, b, c, a["w"].device


@program
def save_load_shared_tensors_stay_shared(torch):
    base = torch.arange(6.0)
    buf = io.BytesIO()
    torch.save([base, base], buf)
    buf.seek(0)
    x, y = torch.load(buf)
    x.add_(1)
    return y, x is y


@program
def save_load_parameter_and_requires_grad(torch):
    p = torch.nn.Parameter(torch.ones(2))
    t = torch.ones(2, requires_grad=True)
    buf = io.BytesIO()
    torch.save({"p": p, "t": t}, buf)
    buf.seek(0)
    d = torch.load(buf)
    return type(d["p"]).__name__, d["p"].requires_grad, d["t"].requires_grad, d["p"]


@program
def save_load_keeps_state_dict_metadata(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    sd = torch.load(buf)
    return list(sd._metadata), sd._metadata["1"]["version"]


@error(RuntimeError, r'Missing key\(s\) in state_dict: "1\.num_batches_tracked"')
def load_versioned_batchnorm_state_without_counter(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    sd = model.state_dict()
    del sd["1.num_batches_tracked"]  # the version-2 metadata says the counter must be there
    model.load_state_dict(sd)


@program
def load_plain_dict_batchnorm_state_without_counter(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    model[1].num_batches_tracked.fill_(4)
    sd = {k: v for k, v in model.state_dict().items() if "num_batches" not in k}
    return repr(model.load_state_dict(sd)), model[1].num_batches_tracked


# ---- batch 2: hooks in real use -------------------------------------------------------------
@program
def grad_cam_with_forward_hook_and_tensor_hook(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    store = {}

    def fwd(m, i, o):
        store["act"] = o.detach()
        o.register_hook(lambda g: store.__setitem__("grad", g))

    model[0].register_forward_hook(fwd)
    x = torch.randn(1, 1, 5, 5)
    out = model(x)
    out[0, 1].backward()
    weights = store["grad"].mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * store["act"]).sum(1))
    return cam, store["grad"]


@program
def grad_cam_with_full_backward_hook(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    store = {}
    model[1].register_forward_hook(lambda m, i, o: store.__setitem__("act", o))
    model[1].register_full_backward_hook(lambda m, gi, go: store.__setitem__("grad", go[0]))
    x = torch.randn(1, 1, 5, 5, requires_grad=True)
    model(x)[0, 0].backward()
    return store["grad"], (store["grad"] * store["act"]).sum(), x.grad


@program
def backward_hook_inputs_without_grad_warns_and_gets_none(torch):
    import warnings

    lin = torch.nn.Linear(3, 1)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go[0].clone())))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        lin(torch.ones(2, 3)).sum().backward()
    return seen, [str(x.message) for x in w], lin.weight.grad


@program
def backward_hook_module_called_twice(torch):
    lin = torch.nn.Linear(2, 2)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(go[0].clone()))
    x = torch.randn(1, 2, requires_grad=True)
    y = lin(lin(x))
    (y * torch.tensor([[1.0, 2.0]])).sum().backward()
    return seen, x.grad


@program
def backward_pre_hook_and_hook_order(torch):
    lin = torch.nn.Linear(2, 2)
    order = []
    lin.register_full_backward_hook(lambda m, gi, go: order.append("hook"))
    lin.register_full_backward_pre_hook(lambda m, go: order.append("pre"))
    lin.register_full_backward_pre_hook(lambda m, go: order.append("pre0"), prepend=True)
    lin(torch.ones(1, 2, requires_grad=True)).sum().backward()
    return order


@error(
    RuntimeError, r"Backward hook returned an invalid number of grad_input, got 2, but expected 1"
)
def backward_hook_wrong_number_of_grads(torch):
    relu = torch.nn.ReLU()
    relu.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    relu(torch.randn(2, requires_grad=True)).sum().backward()


@program
def forward_pre_hook_with_kwargs_bad_return(torch):
    lin = torch.nn.Linear(2, 2)
    lin.register_forward_pre_hook(lambda m, a, k: a, with_kwargs=True)
    try:
        lin(torch.ones(2))
    except RuntimeError as e:
        return "forward pre-hook must return None or a tuple of (new_args, new_kwargs)" in str(e)


@program
def forward_hook_kwargs_empty_for_positional_call(torch):
    lin = torch.nn.Linear(2, 2)
    seen = []
    lin.register_forward_hook(lambda m, a, k, o: seen.append((len(a), k)), with_kwargs=True)
    lin(torch.ones(2))
    lin(input=torch.ones(2))
    return seen


@program
def forward_hook_on_module_with_tuple_output(torch):
    lstm = torch.nn.LSTM(2, 3, batch_first=True)
    lstm.register_forward_hook(lambda m, i, o: (o[0] * 0, o[1]))
    out, (h, c) = lstm(torch.randn(1, 4, 2))
    return out, h.shape


@program
def deprecated_backward_hook_grad_output(torch):
    import warnings

    conv = torch.nn.Conv2d(1, 1, 2)
    store = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        conv.register_backward_hook(lambda m, gi, go: store.__setitem__("go", go[0]))
    x = torch.randn(1, 1, 3, 3, requires_grad=True)
    conv(x).sum().backward()
    return store["go"], x.grad


@program
def deprecated_backward_hook_on_relu_replaces_grad(torch):
    relu = torch.nn.ReLU()
    relu.register_backward_hook(lambda m, gi, go: (gi[0] * 2,))
    x = torch.randn(5, requires_grad=True)
    relu(x).sum().backward()
    return x.grad


# ---- batch 2: registration and construction -------------------------------------------------
@error(AttributeError, r"cannot assign module before Module.__init__\(\) call")
def module_without_super_init(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            self.fc = torch.nn.Linear(2, 2)

    Net()


@error(AttributeError, r"cannot assign parameters before Module.__init__\(\) call")
def parameter_without_super_init(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            self.w = torch.nn.Parameter(torch.ones(1))

    Net()


@error(ValueError, r"training mode is expected to be boolean")
def train_with_non_bool(torch):
    torch.nn.Linear(1, 1).train("yes")


@error(TypeError, r"module name should be a string. Got int")
def module_dict_int_key(torch):
    torch.nn.ModuleDict({1: torch.nn.ReLU()})


@error(TypeError, r"is not a Module subclass")
def sequential_with_function(torch):
    torch.nn.Sequential(torch.relu)


@error(TypeError, r"is not a Module subclass")
def module_list_append_tensor(torch):
    torch.nn.ModuleList().append(torch.ones(1))


@error(RuntimeError, r"Only Tensors of floating point and complex dtype can require gradients")
def parameter_of_integer_tensor(torch):
    torch.nn.Parameter(torch.zeros(2, dtype=torch.long))


@program
def parameter_integer_without_grad(torch):
    p = torch.nn.Parameter(torch.arange(3), requires_grad=False)
    m = torch.nn.Module()
    m.idx = p
    return p, type(p).__name__, _names(m.named_parameters()), repr(p)


@program
def register_parameter_none_and_lookups(torch):
    m = torch.nn.Module()
    m.register_parameter("p", None)
    m.register_buffer("b", None)
    return (
        m.p is None,
        m.b is None,
        list(m.state_dict()),
        list(m.parameters()),
        hasattr(m, "p"),
        "p" in dir(m),
    )


@program
def module_init_arguments_error(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__(3)

    try:
        Net()
    except TypeError as e:
        return type(e).__name__


@program
def parameter_data_assignment_and_repr(torch):
    lin = torch.nn.Linear(2, 1)
    lin.weight.data = torch.full((1, 2), 0.5)
    with torch.no_grad():
        lin.bias.copy_(torch.tensor([2.0]))
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    return lin(torch.ones(2)), repr(p), repr(torch.nn.Parameter(torch.ones(1), requires_grad=False))


@program
def deepcopy_parameter_grad_and_hooks(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_forward_hook(lambda m, i, o: seen.append(type(m).__name__))
    lin(torch.ones(2)).sum().backward()
    clone = copy.deepcopy(lin)
    clone(torch.ones(2))
    return (
        clone.weight.grad,
        clone.weight.grad is lin.weight.grad,
        seen,
        type(clone.weight).__name__,
        clone.weight.is_leaf,
    )


@error(RuntimeError, r"Only Tensors created explicitly by the user \(graph leaves\) support the deepcopy protocol")  # fmt: skip
def deepcopy_non_leaf(torch):
    x = torch.ones(2, requires_grad=True)
    copy.deepcopy(x * 2)


@program
def state_dict_after_requires_grad_false_and_to(torch):
    model = _mlp(torch).double()
    model.requires_grad_(False)
    model.to("cpu", torch.float32)
    out = model.to(torch.zeros(1, dtype=torch.float64))
    return out is model, [(k, v.dtype) for k, v in model.state_dict().items()], model[0].weight.requires_grad  # fmt: skip


@program
def module_type_converts_all(torch):
    bn = torch.nn.BatchNorm1d(2)
    bn.type(torch.float64)
    return [(k, v.dtype) for k, v in bn.state_dict().items()]


@program
def half_forward_on_cpu(torch):
    lin = torch.nn.Linear(4, 2).half()
    x = torch.randn(3, 4).half()
    return lin(x), lin.weight.dtype


# ---- batch 2: containers --------------------------------------------------------------------
@program
def module_dict_update_from_module_dict(torch):
    a = torch.nn.ModuleDict({"ab": torch.nn.ReLU(), "cd": torch.nn.Tanh()})
    b = torch.nn.ModuleDict({"x": torch.nn.ELU()})
    b.update(a)
    b.update(OrderedDict([("y", torch.nn.Sigmoid())]))
    return list(b.keys()), type(b.ab).__name__, repr(b)


@program
def module_dict_missing_key(torch):
    md = torch.nn.ModuleDict({"a": torch.nn.ReLU()})
    try:
        md["b"]
    except KeyError as e:
        return str(e)


@program
def parameter_dict_from_parameter_dict(torch):
    a = torch.nn.ParameterDict({"w": torch.nn.Parameter(torch.ones(1))})
    b = torch.nn.ParameterDict(a)
    b.update(torch.nn.ParameterDict({"v": torch.nn.Parameter(torch.zeros(2))}))
    c = b | {"u": torch.nn.Parameter(torch.ones(3))}
    return list(b.keys()), list(c.keys()), b["w"] is a["w"], list(reversed(c)), len(c)


@program
def parameter_list_slicing_and_setitem(torch):
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.full((1,), float(i))) for i in range(4)])
    sub = pl[1:3]
    pl[0] = torch.nn.Parameter(torch.ones(2))
    pl[-1] = torch.zeros(1)
    return type(sub).__name__, list(sub), list(pl), _names(pl.named_parameters()), len(pl)


@program
def parameter_list_in_module_state_dict(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2)) for _ in range(2)])
            self.heads = torch.nn.ModuleDict({"a": torch.nn.Linear(2, 1)})
            self.blocks = torch.nn.ModuleList([torch.nn.ModuleList([torch.nn.Linear(1, 1)])])

    net = Net()
    return list(net.state_dict()), _names(net.named_modules())


@program
def sequential_empty_and_slices(torch):
    empty = torch.nn.Sequential()
    seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    return empty(torch.ones(2)), len(seq[0:0]), repr(seq[0:0]), repr(empty), seq[:1](torch.ones(2))


@program
def sequential_numpy_int_index(torch):
    import numpy as np

    seq = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Tanh())
    ml = torch.nn.ModuleList([torch.nn.ReLU(), torch.nn.Tanh()])
    return type(seq[np.int64(1)]).__name__, type(ml[np.int64(-1)]).__name__


@error(TypeError, r"forward\(\) takes 2 positional arguments but 3 were given")
def sequential_two_inputs(torch):
    torch.nn.Sequential(torch.nn.ReLU())(torch.ones(1), torch.ones(1))


@program
def module_list_contains_and_index(torch):
    relu = torch.nn.ReLU()
    ml = torch.nn.ModuleList([torch.nn.Tanh(), relu])
    return relu in ml, torch.nn.ReLU() in ml, list(ml).index(relu), ml.__len__()


# ---- batch 2: state_dict edge cases ---------------------------------------------------------
@error(TypeError, r"Expected state_dict to be dict-like, got <class 'list'>.")
def load_state_dict_list(torch):
    torch.nn.Linear(1, 1).load_state_dict([1, 2])


@program
def load_state_dict_missing_and_unexpected_message(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    try:
        model.load_state_dict({"0.weight": torch.ones(2, 2), "0.scale": torch.ones(1)})
    except RuntimeError as e:
        return str(e)


@program
def load_state_dict_non_persistent_buffer_is_unexpected(torch):
    m = torch.nn.Module()
    m.register_buffer("mask", torch.ones(2), persistent=False)
    result = m.load_state_dict({"mask": torch.zeros(2)}, strict=False)
    return result.unexpected_keys, m.mask


@program
def load_state_dict_unknown_submodule_prefix(torch):
    m = torch.nn.Sequential(torch.nn.Linear(1, 1))
    sd = dict(m.state_dict())
    sd["5.weight"] = torch.ones(1)
    sd["0.inner.x"] = torch.ones(1)
    return list(m.load_state_dict(sd, strict=False))


@program
def load_state_dict_from_named_parameters(torch):
    src = _mlp(torch)
    dst = _mlp(torch)
    dst.load_state_dict(dict(src.named_parameters()))
    return [p for p in dst.parameters()], [p.requires_grad for p in dst.parameters()]


@program
def extra_state_round_trip(torch):
    class WithExtra(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(1, 1)
            self.counter = 0

        def get_extra_state(self):
            return {"counter": self.counter}

        def set_extra_state(self, state):
            self.counter = state["counter"] + 100

    a = WithExtra()
    a.counter = 5
    sd = a.state_dict()
    b = WithExtra()
    b.load_state_dict(sd)
    buf = io.BytesIO()
    torch.save(sd, buf)
    buf.seek(0)
    c = WithExtra()
    c.load_state_dict(torch.load(buf))
    return list(sd), b.counter, c.counter


@program
def state_dict_post_hook_returning_new_dict(torch):
    m = torch.nn.Linear(1, 1)
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: None)
    m._register_state_dict_hook(lambda mod, sd, prefix, meta: OrderedDict(w=sd[prefix + "weight"]))
    return list(m.state_dict())


@program
def load_state_dict_strict_false_reports_shape_error(torch):
    m = torch.nn.Linear(2, 2)
    try:
        m.load_state_dict({"weight": torch.ones(3, 2)}, strict=False)
    except RuntimeError as e:
        return str(e)


# ---- batch 2: functional_call ---------------------------------------------------------------
@program
def functional_call_batchnorm_buffers_updated(torch):
    bn = torch.nn.BatchNorm1d(2)
    state = {k: v.clone() for k, v in bn.state_dict().items()}
    x = torch.randn(4, 2)
    out = torch.func.functional_call(bn, state, (x,))
    return out, state["running_mean"], state["num_batches_tracked"], bn.running_mean


@program
def functional_call_grad_through_params(torch):
    model = torch.nn.Linear(3, 1)
    params = {k: v.detach().clone().requires_grad_() for k, v in model.named_parameters()}
    x = torch.randn(4, 3)
    loss = torch.func.functional_call(model, params, x).pow(2).mean()
    grads = torch.autograd.grad(loss, list(params.values()))
    return loss, grads, model.weight.grad


@program
def functional_call_tie_weights(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Linear(2, 2, bias=False)
            self.b = torch.nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))

    m = Tied()
    x = torch.ones(1, 2)
    tied = torch.func.functional_call(m, {"a.weight": torch.eye(2) * 2}, (x,))
    untied = torch.func.functional_call(m, {"a.weight": torch.eye(2) * 2}, (x,), tie_weights=False)
    return tied, untied


@error(ValueError, r"a\.weight")
def functional_call_tied_conflicting_values(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Linear(2, 2, bias=False)
            self.b = torch.nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))

    m = Tied()
    params = {"a.weight": torch.eye(2), "b.weight": torch.zeros(2, 2)}
    torch.func.functional_call(m, params, (torch.ones(1, 2),))


@program
def stack_module_state_ensemble_vmap(torch):
    models = [torch.nn.Linear(3, 2) for _ in range(4)]
    params, buffers = torch.func.stack_module_state(models)
    base = copy.deepcopy(models[0]).to("meta") if False else models[0]

    def f(p, b, x):
        return torch.func.functional_call(base, (p, b), (x,))

    x = torch.randn(5, 3)
    out = torch.func.vmap(f, in_dims=(0, 0, None))(params, buffers, x)
    return out, list(params), params["weight"].shape, params["weight"].requires_grad


# ---- batch 2: saving ------------------------------------------------------------------------
@program
def load_map_location_dict(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    buf.seek(0)
    return torch.load(buf, map_location={"cuda:0": "cpu"})


@program
def save_load_various_dtypes_and_shapes(torch):
    obj = [
        torch.tensor(3.5),
        torch.zeros(0, 3),
        torch.arange(6).reshape(2, 3).t(),
        torch.arange(10.0)[::3],
        torch.tensor([True, False]),
        torch.tensor([1, 2], dtype=torch.int8),
        torch.tensor([1.5], dtype=torch.float16),
        torch.tensor([1, 2], dtype=torch.uint8),
        torch.tensor([1, 2], dtype=torch.int16),
        torch.tensor([1, 2], dtype=torch.int32),
    ]
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf)


@program
def save_load_special_python_values(torch):
    obj = {
        "nan": float("nan"),
        "inf": float("-inf"),
        "big": 2**70,
        1: "int key",
        (2, 3): "tuple key",
        None: "none key",
        "size": torch.Size([2, 3]),
        "dtype": torch.float16,
        "device": torch.device("cpu"),
        "empty": {},
        "t": (),
    }
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    out = torch.load(buf)
    return [type(k).__name__ for k in out], [str(v) for v in out.values()], out["size"]


@program
def save_load_pathlib_and_file_object(torch):
    import pathlib
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "m.pt"
        torch.save(torch.nn.Linear(2, 1).state_dict(), path)
        with open(path, "rb") as f:
            a = torch.load(f)
        b = torch.load(str(path), weights_only=False, mmap=False)
    return a, b


@program
def save_load_non_leaf_tensor(torch):
    x = torch.ones(2, requires_grad=True)
    buf = io.BytesIO()
    torch.save(x * 2, buf)
    buf.seek(0)
    y = torch.load(buf)
    return y, y.requires_grad, y.is_leaf, y.grad_fn is None


@program
def parameter_dict_from_plain_dict_sorts_keys(torch):
    pd = torch.nn.ParameterDict(
        {"weight": torch.nn.Parameter(torch.ones(2)), "bias": torch.nn.Parameter(torch.zeros(2))}
    )
    pd.update({"z": torch.ones(1), "a": torch.ones(1)})
    ordered = torch.nn.ParameterDict(OrderedDict(w=torch.ones(1), b=torch.zeros(1)))
    opt = torch.optim.SGD(pd.parameters(), lr=1.0)
    return (
        list(pd.keys()),
        _names(pd.named_parameters()),
        list(pd.copy().keys()),
        list(ordered.keys()),
        [g["params"][0].shape for g in opt.param_groups],
        list(pd.state_dict()),
    )


@program
def parameter_dict_fromkeys_and_inplace_or(torch):
    pd = torch.nn.ParameterDict().fromkeys(["b", "a"], torch.nn.Parameter(torch.ones(1)))
    pd |= torch.nn.ParameterDict(OrderedDict(c=torch.zeros(1)))
    return list(pd.keys()), pd["a"] is pd["b"], _names(pd.named_parameters())


@error(ValueError, r"ModuleDict update sequence element #0 has length 3; 2 is required")
def module_dict_update_bad_pair(torch):
    torch.nn.ModuleDict().update([("a", torch.nn.ReLU(), 1)])


@error(RuntimeError, r"Cannot use both regular backward hooks and full backward hooks")
def mixing_backward_hook_kinds(torch):
    lin = torch.nn.Linear(1, 1)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    lin.register_backward_hook(lambda m, gi, go: None)


@program
def backward_pre_hook_then_deprecated_hook_allowed(torch):
    relu = torch.nn.ReLU()
    seen = []
    relu.register_full_backward_pre_hook(lambda m, go: seen.append("pre"))
    relu.register_backward_hook(lambda m, gi, go: seen.append("old"))
    relu(torch.ones(2, requires_grad=True)).sum().backward()
    return sorted(seen)


def test_tensors_saved_on_the_gpu_load_back_there_unless_mapped():
    """torch.load puts a tensor back on the device it was saved from; ``map_location`` (a
    device, a dict of locations, a function of (storage, location)) says otherwise; without
    CUDA a GPU checkpoint needs map_location, as PyTorch says."""
    buf = io.BytesIO()
    with installed():
        minitorch.save({"g": minitorch.ones(2, device="cuda"), "c": minitorch.zeros(1)}, buf)
        buf.seek(0)
        back = minitorch.load(buf)
        assert (back["g"].device.type, back["c"].device.type) == ("cuda", "cpu")
        for where in ({"cuda:0": "cpu"}, "cpu", lambda storage, loc: storage):
            buf.seek(0)
            moved = minitorch.load(buf, map_location=where)
            assert moved["g"].device.type == "cpu"
            assert moved["g"].tolist() == [1.0, 1.0]
        buf.seek(0)
        up = minitorch.load(buf, map_location=lambda storage, loc: storage.cuda(0))
        assert up["c"].device.type == "cuda"
    buf.seek(0)
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        minitorch.load(buf)
    buf.seek(0)
    assert minitorch.load(buf, map_location={"cuda:0": "cpu"})["g"].device.type == "cpu"


# ---- batch 3: checkpoints of whole training states ------------------------------------------
@program
def checkpoint_with_scheduler_scaler_and_rng(torch):
    import numpy as np

    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    for _ in range(3):
        opt.zero_grad()
        model(torch.ones(4, 2)).sum().backward()
        opt.step()
        sched.step()
    np.random.seed(3)
    ckpt = {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "scaler": scaler.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "numpy_rng": np.random.get_state(),
        "epoch": 3,
    }
    buf = io.BytesIO()
    torch.save(ckpt, buf)
    buf.seek(0)
    back = torch.load(buf, weights_only=False)
    model2 = torch.nn.Linear(2, 1)
    opt2 = torch.optim.SGD(model2.parameters(), lr=0.1, momentum=0.9)
    sched2 = torch.optim.lr_scheduler.StepLR(opt2, step_size=2, gamma=0.5)
    model2.load_state_dict(back["model"])
    opt2.load_state_dict(back["optimizer"])
    sched2.load_state_dict(back["scheduler"])
    torch.set_rng_state(back["torch_rng"])
    np.random.set_state(back["numpy_rng"])
    return (
        sched2.get_last_lr(),
        back["scheduler"],
        torch.rand(2),
        np.random.rand(2),
        back["numpy_rng"][0],
        back["epoch"],
        opt2.state_dict()["state"],
    )


@program
def python_random_state_in_checkpoint(torch):
    import random

    random.seed(5)
    buf = io.BytesIO()
    torch.save({"py_rng": random.getstate()}, buf)
    random.random()
    buf.seek(0)
    random.setstate(torch.load(buf)["py_rng"])
    return random.random()


@program
def best_model_kept_with_deepcopy_of_state_dict(torch):
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    best = copy.deepcopy(model.state_dict())
    live = model.state_dict()
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
    model.load_state_dict(best)
    return best, live, model.weight


# ---- batch 3: registration details ----------------------------------------------------------
@program
def plain_tensor_attribute_is_not_registered(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.mask = torch.ones(3)
            self.lin = torch.nn.Linear(3, 1)

    net = Net().double()
    return list(net.state_dict()), net.mask.dtype, _names(net.named_buffers())


@program
def attribute_before_super_init(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            self.size = 3
            super().__init__()
            self.lin = torch.nn.Linear(self.size, 1)

    return list(Net().state_dict()), Net().size


@error(KeyError, r"attribute 'scale' already exists")
def register_buffer_over_plain_attribute(torch):
    m = torch.nn.Module()
    m.scale = 2.0
    m.register_buffer("scale", torch.ones(1))


@error(KeyError, r"attribute 'b' already exists")
def register_parameter_over_buffer(torch):
    m = torch.nn.Module()
    m.register_buffer("b", torch.ones(1))
    m.register_parameter("b", torch.nn.Parameter(torch.ones(1)))


@program
def parameter_assignment_replaces_buffer(torch):
    m = torch.nn.Module()
    m.register_buffer("b", torch.ones(1), persistent=False)
    m.b = torch.nn.Parameter(torch.zeros(1))
    m.register_buffer("c", torch.ones(1), persistent=False)
    del m.c
    m.register_buffer("c", torch.ones(1))
    return _names(m.named_parameters()), _names(m.named_buffers()), list(m.state_dict())


@program
def none_submodules_repr_and_iteration(torch):
    m = torch.nn.Module()
    m.down = None
    m.add_module("a", None)
    m.register_module("b", torch.nn.ReLU())
    m.b = None
    return repr(m), _names(m.named_children()), _names(m.named_modules()), list(m.state_dict())


@error(AttributeError, r"'Linear' object has no attribute 'foo'")
def missing_attribute_message(torch):
    return torch.nn.Linear(1, 1).foo


@program
def hasattr_and_getattr_defaults(torch):
    lin = torch.nn.Linear(1, 1)
    return hasattr(lin, "weight"), hasattr(lin, "nope"), getattr(lin, "nope", 7), lin.in_features


@program
def weight_norm_and_spectral_norm_state_dicts(torch):
    wn = torch.nn.utils.weight_norm(torch.nn.Linear(3, 2))
    sn = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 2))
    return list(wn.state_dict()), list(sn.state_dict()), _names(sn.named_buffers())


@program
def lazy_module_loads_state_dict(torch):
    lazy = torch.nn.LazyLinear(2)
    src = torch.nn.Linear(3, 2)
    lazy.load_state_dict(src.state_dict())
    return lazy.weight, lazy.weight.shape, lazy(torch.ones(1, 3)), type(lazy).__name__


@program
def load_state_dict_assign_with_parameters_keeps_objects(torch):
    src = torch.nn.Linear(2, 2)
    dst = torch.nn.Linear(2, 2)
    dst.weight.requires_grad_(False)
    dst.load_state_dict(src.state_dict(keep_vars=True), assign=True)
    return dst.weight is src.weight, dst.bias is src.bias, dst.weight.requires_grad


@program
def load_state_dict_into_half_model(torch):
    src = torch.nn.Linear(2, 2)
    dst = torch.nn.Linear(2, 2).half()
    dst.load_state_dict(src.state_dict())
    return dst.weight, dst.weight.dtype


@program
def private_load_pre_hook_without_module(torch):
    m = torch.nn.Linear(2, 2)
    seen = []

    def hook(state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
        seen.append((prefix, sorted(state_dict), local_metadata.get("version")))

    m._register_load_state_dict_pre_hook(hook)
    m.load_state_dict(m.state_dict())
    return seen


# ---- batch 3: containers --------------------------------------------------------------------
@program
def sequential_repeat_shares_modules(torch):
    seq = torch.nn.Sequential(torch.nn.Linear(2, 2)) * 3
    seq2 = torch.nn.Sequential(torch.nn.ReLU())
    seq2 += torch.nn.Sequential(torch.nn.Tanh())
    return len(seq), len(list(seq.parameters())), list(seq.state_dict()), repr(seq2)


@program
def module_list_setitem_negative_and_iadd(torch):
    ml = torch.nn.ModuleList([torch.nn.ReLU(), torch.nn.Tanh()])
    ml[-1] = torch.nn.ELU()
    ml += torch.nn.ModuleList([torch.nn.Sigmoid()])
    return repr(ml), len(ml)


@error(IndexError, r"index 2 is out of range")
def module_list_index_error(torch):
    torch.nn.ModuleList([torch.nn.ReLU(), torch.nn.Tanh()])[2]


@program
def module_dict_attribute_access_and_clear(torch):
    md = torch.nn.ModuleDict({"enc": torch.nn.Linear(1, 1)})
    enc = md.enc
    md.dec = torch.nn.ReLU()
    keys = list(md.keys())
    md.clear()
    return type(enc).__name__, keys, len(md), list(md.state_dict())


@program
def parameter_list_with_objects_and_repr(torch):
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 3)), "note", torch.zeros(1)])
    return repr(pl), [type(x).__name__ for x in pl], _names(pl.named_parameters())


@error(IndexError, r"index 3 is out of range")
def parameter_list_index_error(torch):
    torch.nn.ParameterList([torch.nn.Parameter(torch.ones(1))] * 3)[3]


@program
def parameter_dict_get_pop_setdefault(torch):
    pd = torch.nn.ParameterDict(OrderedDict(a=torch.ones(1)))
    g = pd.get("missing")
    s = pd.setdefault("b", torch.nn.Parameter(torch.zeros(2)))
    popped = pd.pop("a")
    item = pd.popitem()
    return g, s, popped, item[0], len(pd)


# ---- batch 3: utils -------------------------------------------------------------------------
@error(TypeError, r"expected torch.Tensor, but got: list")
def vector_to_parameters_not_tensor(torch):
    torch.nn.utils.vector_to_parameters([1.0], torch.nn.Linear(1, 1).parameters())


@program
def parameters_to_vector_order_and_grad(torch):
    model = _mlp(torch)
    v = torch.nn.utils.parameters_to_vector(model.parameters())
    (v * torch.arange(v.numel(), dtype=torch.float32)).sum().backward()
    return v, model[0].weight.grad, model[2].bias.grad


@program
def clip_and_named_parameters_filtering(torch):
    model = _mlp(torch)
    decay = [p for n, p in model.named_parameters() if "bias" not in n]
    no_decay = [p for n, p in model.named_parameters() if "bias" in n]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=0.01,
    )
    model(torch.ones(2, 3)).sum().backward()
    total = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    return total, [p for p in model.parameters()], [len(g["params"]) for g in opt.param_groups]


@program
def functional_call_strict_missing(torch):
    model = torch.nn.Linear(2, 2)
    try:
        torch.func.functional_call(
            model, {"weight": torch.ones(2, 2)}, (torch.ones(2),), strict=True
        )
    except RuntimeError as e:
        return str(e)


@program
def stateless_functional_call_alias(torch):
    model = torch.nn.Linear(2, 1)
    out = torch.nn.utils.stateless.functional_call(
        model, {"weight": torch.ones(1, 2), "bias": torch.zeros(1)}, (torch.ones(2),)
    )
    return out, model.weight.requires_grad


def test_saving_a_whole_module_loads_with_weights_only_false():
    """PyTorch pickles a whole module; minitorch saves its class by name and its __dict__,
    and, as PyTorch, loads it only with weights_only=False. Objects pickle saves by a custom
    reduce (a deque) are refused."""
    model = minitorch.nn.Linear(2, 1)
    buf = io.BytesIO()
    minitorch.save({"model": model}, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match=r"Unsupported global: GLOBAL minitorch"):
        minitorch.load(buf)
    buf.seek(0)
    back = minitorch.load(buf, weights_only=False)["model"]
    assert type(back) is minitorch.nn.Linear and back.weight.tolist() == model.weight.tolist()
    with pytest.raises(TypeError, match=r"objects of type deque can't be saved without pickle; save tensors"):  # fmt: skip
        minitorch.save([deque([1])], io.BytesIO())


# ---- batch 4: backward hooks in detail ------------------------------------------------------
@program
def full_backward_hook_tuple_output_one_unused(torch):
    class Two(torch.nn.Module):
        def forward(self, x):
            return x * 2, x * 3

    m = Two()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((list(gi), list(go))))
    x = torch.randn(3, requires_grad=True)
    a, b = m(x)
    a.sum().backward()
    return seen, x.grad


@program
def full_backward_hook_non_tensor_and_kwarg_inputs(torch):
    class Scale(torch.nn.Module):
        def forward(self, x, k, bias=None):
            return x * k + bias

    m = Scale()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(list(gi)))
    x = torch.randn(3, requires_grad=True)
    bias = torch.randn(3, requires_grad=True)
    m(x, 2.0, bias=bias).sum().backward()
    return seen, x.grad, bias.grad


@error(RuntimeError, r"is a view and is being modified inplace")
def full_backward_hook_with_inplace_relu(torch):
    relu = torch.nn.ReLU(inplace=True)
    relu.register_full_backward_hook(lambda m, gi, go: None)
    x = torch.randn(3, requires_grad=True)
    relu(x * 1).sum().backward()


@program
def backward_pre_hook_fires_without_input_grad(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_pre_hook(lambda m, go: seen.append(go[0].clone()))
    lin(torch.ones(3, 2)).sum().backward()
    return seen, lin.weight.grad


@program
def backward_hook_removed_stops_firing(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    h = lin.register_full_backward_hook(lambda m, gi, go: seen.append(1))
    x = torch.ones(1, 2, requires_grad=True)
    lin(x).sum().backward()
    h.remove()
    lin(x).sum().backward()
    return seen, x.grad


@program
def forward_pre_hook_changes_input_seen_by_backward_hook(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_forward_pre_hook(lambda m, a: (a[0] * 3,))
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(gi[0].clone()))
    x = torch.ones(1, 2, requires_grad=True)
    lin(x).sum().backward()
    return seen, x.grad


@program
def backward_hook_under_no_grad_is_silent(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(1))
    with torch.no_grad():
        out = lin(torch.ones(1, 2, requires_grad=True))
    return out, out.requires_grad, seen


@program
def forward_direct_call_skips_hooks(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_forward_hook(lambda m, i, o: seen.append(1))
    lin.forward(torch.ones(2))
    lin(torch.ones(2))
    return seen


@program
def global_hooks_order_with_local_ones(torch):
    mm = torch.nn.modules.module
    seen = []
    lin = torch.nn.Linear(2, 2)
    lin.register_forward_pre_hook(lambda m, a: seen.append("local pre"))
    lin.register_forward_hook(lambda m, a, o: seen.append("local post"))
    handles = [
        mm.register_module_forward_pre_hook(lambda m, a: seen.append("global pre")),
        mm.register_module_forward_hook(lambda m, a, o: seen.append("global post")),
    ]
    try:
        lin(torch.ones(2))
    finally:
        for h in handles:
            h.remove()
    return seen


# ---- batch 4: parameters and training patterns ----------------------------------------------
@program
def parameter_results_are_plain_tensors(torch):
    p = torch.nn.Parameter(torch.ones(2, 2))
    return [
        type(x).__name__
        for x in (p * 2, p.detach(), p.data, p.clone(), p[0], p.t(), p.to(torch.float64), p + 0)
    ] + [isinstance(p, torch.Tensor), torch.nn.Parameter().shape, repr(torch.nn.Parameter())]


@program
def freeze_backbone_and_finetune_head(torch):
    backbone = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU())
    head = torch.nn.Linear(4, 2)
    model = torch.nn.Sequential(backbone, head)
    for p in backbone.parameters():
        p.requires_grad = False
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    before = copy.deepcopy(backbone.state_dict())
    for _ in range(2):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(torch.randn(5, 3)), torch.tensor([0, 1, 0, 1, 1])).backward()  # fmt: skip
        opt.step()
    return trainable, backbone[0].weight.grad, before["0.weight"], list(head.parameters())


@program
def dcgan_weights_init_by_class_name(torch):
    nn = torch.nn

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    net = nn.Sequential(
        nn.ConvTranspose2d(4, 3, 2, bias=False), nn.BatchNorm2d(3), nn.Conv2d(3, 1, 2)
    )
    net.apply(weights_init)
    return [p for p in net.parameters()]


@program
def to_empty_then_reset_parameters(torch):
    lin = torch.nn.Linear(3, 2)
    lin.to_empty(device="cpu")
    shapes = [(p.shape, p.dtype, p.requires_grad) for p in lin.parameters()]
    lin.reset_parameters()
    return shapes, lin.weight, lin.bias


@program
def loop_registration_with_setattr_and_getattr(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            for i in range(3):
                setattr(self, f"fc{i}", torch.nn.Linear(2, 2))
            self.add_module("head", torch.nn.Linear(2, 1))
            self.plain = [torch.nn.Linear(2, 2)]  # not registered

        def forward(self, x):
            for i in range(3):
                x = getattr(self, f"fc{i}")(x)
            return self.head(x)

    net = Net()
    return list(net.state_dict()), net(torch.ones(1, 2)), len(list(net.parameters()))


@error(KeyError, r"attribute 'type' already exists")
def module_dict_key_shadowing_method(torch):
    torch.nn.ModuleDict({"type": torch.nn.Linear(1, 1)})


@program
def named_modules_memo_and_remove_duplicate_parameters(torch):
    shared = torch.nn.Linear(1, 1)
    model = torch.nn.ModuleList([shared, torch.nn.Sequential(shared)])
    memo = {shared}
    return (
        _names(model.named_modules(memo=memo)),
        _names(model.named_parameters(remove_duplicate=False)),
        _names(model.named_modules(remove_duplicate=False, prefix="m")),
        type(model.get_submodule("1.0")).__name__,
    )


@program
def common_layer_state_dict_keys(torch):
    nn = torch.nn
    layers = [
        nn.MultiheadAttention(4, 2),
        nn.TransformerEncoderLayer(4, 2, dim_feedforward=8),
        nn.LSTM(2, 3, num_layers=2, bidirectional=True, proj_size=2),
        nn.GRU(2, 3),
        nn.Embedding(5, 2, padding_idx=0),
        nn.LayerNorm(3, elementwise_affine=False),
        nn.PReLU(),
        nn.InstanceNorm1d(2, affine=True, track_running_stats=True),
    ]
    return [list(layer.state_dict()) for layer in layers]


@error(RuntimeError, r"Output 0 of BackwardHookFunction is a view and is being modified inplace")
def full_backward_hook_output_modified_in_place(torch):
    lin = torch.nn.Linear(2, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    out = lin(torch.ones(1, 2, requires_grad=True))
    out += 1  # as ResNet's `out += identity` after a hooked layer


@program
def full_backward_hook_output_grad_fn_name(torch):
    lin = torch.nn.Linear(2, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    out = lin(torch.ones(1, 2, requires_grad=True))
    return out.grad_fn.name(), out.clone().add_(1).sum().requires_grad


@error(RuntimeError, r"Output 0 of Passthrough is a view and is being modified inplace\. This view was created inside a custom Function")  # fmt: skip
def custom_function_returning_input_modified_in_place(torch):
    class Passthrough(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 10

    x = torch.ones(2, requires_grad=True)
    Passthrough.apply(x * 1).mul_(2)


# ---- batch 5: schedulers, scalers, reparametrized modules through save/load -----------------
def _round_trip(torch, obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=False)


@program
def scheduler_state_dicts_round_trip(torch):
    model = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    for loss in (1.0, 2.0, 3.0):
        plateau.step(loss)
    onecycle = torch.optim.lr_scheduler.OneCycleLR(
        torch.optim.SGD(model.parameters(), lr=0.1), max_lr=1.0, total_steps=10
    )
    onecycle.optimizer.step()
    onecycle.step()
    warm = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3)
    out = []
    for sched in (plateau, onecycle, warm):
        sd = sched.state_dict()
        out.append(_round_trip(torch, sd))
    fresh = torch.optim.lr_scheduler.ReduceLROnPlateau(
        torch.optim.SGD(model.parameters(), lr=0.1), patience=0
    )
    fresh.load_state_dict(out[0])
    fresh.step(5.0)
    return out, fresh.optimizer.param_groups[0]["lr"], fresh.num_bad_epochs


@program
def grad_scaler_state_round_trip(torch):
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0, growth_interval=1)
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler.scale(model(torch.ones(1, 2)).sum()).backward()
    scaler.step(opt)
    scaler.update()
    sd = _round_trip(torch, scaler.state_dict())
    other = torch.amp.GradScaler("cpu")
    other.load_state_dict(sd)
    return sd, other.get_scale(), list(model.parameters())


@program
def deepcopy_weight_norm_module_is_independent(torch):
    lin = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(2, 2))
    clone = copy.deepcopy(lin)
    with torch.no_grad():
        clone.parametrizations.weight.original0.mul_(2)
    x = torch.ones(1, 2)
    return lin(x), clone(x), list(clone.state_dict())


@program
def parametrized_module_state_dict_round_trip(torch):
    P = torch.nn.utils.parametrize

    class Symmetric(torch.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    a = torch.nn.Linear(3, 3)
    P.register_parametrization(a, "weight", Symmetric())
    b = torch.nn.Linear(3, 3)
    P.register_parametrization(b, "weight", Symmetric())
    b.load_state_dict(_round_trip(torch, a.state_dict()))
    return list(a.state_dict()), b.weight, P.is_parametrized(b, "weight")


@error(FileNotFoundError, r"No such file or directory")
def load_missing_file(torch):
    torch.load("/nonexistent/dir/checkpoint.pt")


@program
def fuse_conv_bn_eval_matches(torch):
    conv = torch.nn.Conv2d(2, 3, 3).eval()
    bn = torch.nn.BatchNorm2d(3).eval()
    with torch.no_grad():
        bn.running_mean.copy_(torch.tensor([0.1, -0.2, 0.3]))
        bn.running_var.copy_(torch.tensor([1.5, 0.5, 2.0]))
    fused = torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)
    x = torch.randn(1, 2, 5, 5)
    return fused(x), bn(conv(x)), list(fused.state_dict())


@program
def hooks_in_inference_mode(torch):
    lin = torch.nn.Linear(2, 2)
    seen = []
    lin.register_forward_hook(lambda m, i, o: seen.append(o.requires_grad))
    lin.register_full_backward_hook(lambda m, gi, go: seen.append("bw"))
    with torch.inference_mode():
        lin(torch.ones(2))
    with torch.no_grad():
        lin(torch.ones(2, requires_grad=True))
    return seen


@program
def hook_raising_propagates_and_module_still_works(torch):
    lin = torch.nn.Linear(2, 2)

    def bad(m, args):
        raise ValueError("bad input")

    h = lin.register_forward_pre_hook(bad)
    try:
        lin(torch.ones(2))
    except ValueError as e:
        msg = str(e)
    h.remove()
    return msg, lin(torch.ones(2)).shape


@program
def forward_hook_with_kwargs_and_always_call(torch):
    class Bad(torch.nn.Module):
        def forward(self, x, flag=False):
            if flag:
                raise RuntimeError("flagged")
            return x

    m = Bad()
    seen = []
    m.register_forward_hook(
        lambda mod, a, k, out: seen.append((k, out)), with_kwargs=True, always_call=True
    )
    m(torch.ones(1))
    try:
        m(torch.ones(1), flag=True)
    except RuntimeError:
        pass
    return seen


# ---- batch 6 --------------------------------------------------------------------------------
@program
def one_shot_hook_removes_itself(torch):
    lin = torch.nn.Linear(2, 2)
    seen = []

    def hook(m, i, o):
        seen.append(o.shape)
        handle.remove()

    handle = lin.register_forward_hook(hook)
    lin(torch.ones(2))
    lin(torch.ones(3, 2))
    return seen, isinstance(handle, torch.utils.hooks.RemovableHandle)


@program
def hooks_on_container_and_children(torch):
    model = _mlp(torch)
    order = []
    model.register_forward_pre_hook(lambda m, a: order.append("seq pre"))
    model.register_forward_hook(lambda m, a, o: order.append("seq post"))
    for name, child in model.named_children():
        child.register_forward_hook(lambda m, a, o, name=name: order.append(name))
    grads = []
    model.register_full_backward_hook(lambda m, gi, go: grads.append((gi[0], go[0])))
    x = torch.randn(2, 3, requires_grad=True)
    model(x).sum().backward()
    return order, grads, x.grad


@program
def func_grad_over_functional_call(torch):
    model = torch.nn.Linear(3, 1)
    params = {k: v.detach() for k, v in model.named_parameters()}
    x, y = torch.randn(4, 3), torch.randn(4, 1)

    def loss(p):
        return torch.nn.functional.mse_loss(torch.func.functional_call(model, p, (x,)), y)

    grads = torch.func.grad(loss)(params)
    per_sample = torch.func.vmap(
        torch.func.grad(
            lambda p, xi, yi: torch.nn.functional.mse_loss(
                torch.func.functional_call(model, p, (xi,)), yi
            )
        ),
        in_dims=(None, 0, 0),
    )(params, x, y)
    return grads, per_sample


@program
def functional_call_kwargs_and_strict_false(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 1)

        def forward(self, x, scale=1.0):
            return self.lin(x) * scale

    net = Net()
    out = torch.func.functional_call(
        net, {"lin.bias": torch.tensor([10.0])}, (), {"x": torch.ones(2), "scale": 2.0}
    )
    return out, net.lin.bias.shape


@program
def load_tied_state_dict_with_different_values(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Linear(2, 2, bias=False)
            self.b = torch.nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

    m = Tied()
    m.load_state_dict({"a.weight": torch.zeros(2, 2), "b.weight": torch.ones(2, 2)})
    return m.a.weight, m.b.weight is m.a.weight


@program
def shared_buffers_listed_once(torch):
    buf = torch.zeros(2)
    a, b = torch.nn.Module(), torch.nn.Module()
    a.register_buffer("s", buf)
    b.register_buffer("s", buf)
    root = torch.nn.ModuleList([a, b])
    return (
        _names(root.named_buffers()),
        _names(root.named_buffers(remove_duplicate=False)),
        list(root.state_dict()),
    )


@program
def chained_module_methods_return_self(torch):
    m = torch.nn.Linear(2, 2)
    return [
        m.train() is m,
        m.eval() is m,
        m.requires_grad_() is m,
        m.float() is m,
        m.cpu() is m,
        m.to(torch.float64) is m,
        m.apply(lambda x: None) is m,
        m.type(torch.float32) is m,
    ]


@program
def copy_copy_shares_registries(torch):
    lin = torch.nn.Linear(2, 2)
    shallow = copy.copy(lin)
    shallow.bias = None
    return lin.bias is None, shallow.weight is lin.weight, shallow is lin


@program
def module_list_dir_hides_indices(torch):
    ml = torch.nn.ModuleList([torch.nn.ReLU()])
    seq = torch.nn.Sequential(torch.nn.ReLU())
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(1))])
    return "0" in dir(ml), "append" in dir(ml), "0" in dir(seq), "0" in dir(pl)


@program
def child_load_pre_hook_sees_its_own_keys(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
    seen = []

    def pre(mod, sd, prefix, meta, strict, missing, unexpected, errors):
        seen.append((prefix, sorted(sd), meta.get("version")))
        sd.pop(prefix + "bias", None)  # dropped from the child's view only

    def post(mod, incompatible):
        seen.append(("post", type(mod).__name__, list(incompatible.missing_keys)))

    model[1].register_load_state_dict_pre_hook(pre)
    model[0].register_load_state_dict_post_hook(post)
    model.register_load_state_dict_post_hook(post)
    result = model.load_state_dict(model.state_dict(), strict=False)
    return seen, result.missing_keys


@program
def versioned_load_from_state_dict_migration(torch):
    class Block(torch.nn.Module):
        _version = 2

        def __init__(self):
            super().__init__()
            self.proj = torch.nn.Linear(2, 2)

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, *args):
            version = local_metadata.get("version", None)
            if version is None or version < 2:  # version 1 called the layer "fc"
                for name in ("weight", "bias"):
                    old = prefix + "fc." + name
                    if old in state_dict:
                        state_dict[prefix + "proj." + name] = state_dict.pop(old)
            super()._load_from_state_dict(state_dict, prefix, local_metadata, *args)

    src = torch.nn.Linear(2, 2)
    old_ckpt = {"block.fc.weight": src.weight.detach(), "block.fc.bias": src.bias.detach()}
    model = torch.nn.Module()
    model.block = Block()
    result = model.load_state_dict(old_ckpt, strict=False)
    new_ckpt = model.state_dict()
    again = torch.nn.Module()
    again.block = Block()
    again.load_state_dict(new_ckpt)
    return (
        repr(result),
        model.block.proj.weight,
        dict(new_ckpt._metadata),
        again.block.proj.bias,
    )


@program
def extra_state_key_without_set_extra_state(torch):
    m = torch.nn.Linear(1, 1)
    sd = dict(m.state_dict())
    sd["_extra_state"] = 3
    return repr(m.load_state_dict(sd, strict=False))


@error(RuntimeError, r"state_dict post-hook must return None")
def public_state_dict_post_hook_returning_dict(torch):
    m = torch.nn.Linear(1, 1)
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: {"x": 1})
    m.state_dict()


@program
def save_load_numpy_scalars_keep_their_types(torch):
    import numpy as np

    obj = {
        "best_epoch": np.argmax(np.array([0.1, 0.9, 0.3])),
        "best_acc": np.float32(0.875),
        "flag": np.bool_(True),
        "nan": np.float64("nan"),
        "u8": np.uint8(200),
    }
    back = _round_trip(torch, obj)
    return [type(v).__name__ for v in back.values()], [str(v) for v in back.values()]


# ---- batch 7: checkpoint workflows ------------------------------------------------------------
@program
def resume_training_from_checkpoint_matches_continuous_run(torch):
    def make():
        model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
        return model, torch.optim.Adam(model.parameters(), lr=0.05)

    data = [(torch.randn(8, 3), torch.randn(8, 1)) for _ in range(5)]

    def step(model, opt, x, y):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model, opt = make()
    losses = [step(model, opt, *batch) for batch in data[:3]]
    buf = io.BytesIO()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "losses": losses}, buf)
    continued = [step(model, opt, *batch) for batch in data[3:]]
    buf.seek(0)
    ckpt = torch.load(buf)
    model2, opt2 = make()
    model2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["opt"])
    resumed = [step(model2, opt2, *batch) for batch in data[3:]]
    return ckpt["losses"], continued, resumed, list(model2.parameters())


@program
def data_parallel_checkpoint_prefix_stripping(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    wrapped = torch.nn.DataParallel(model)
    sd = wrapped.state_dict()
    keys = list(sd)
    stripped = OrderedDict((k.replace("module.", "", 1), v) for k, v in sd.items())
    fresh = torch.nn.Sequential(torch.nn.Linear(2, 2))
    fresh.load_state_dict(stripped)
    sd2 = wrapped.state_dict()
    torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd2, "module.")
    return keys, list(sd2), list(sd2._metadata), fresh[0].weight


@program
def partial_transfer_by_matching_shapes(torch):
    pretrained = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 10))
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    model_dict = model.state_dict()
    compatible = {
        k: v
        for k, v in pretrained.state_dict().items()
        if k in model_dict and v.shape == model_dict[k].shape
    }
    model_dict.update(compatible)
    model.load_state_dict(model_dict)
    return sorted(compatible), model[0].weight, model[2].bias


@program
def averaged_model_ema_state_dict(torch):
    model = torch.nn.Linear(2, 1)
    ema = torch.optim.swa_utils.AveragedModel(
        model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9)
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        model(torch.ones(4, 2)).pow(2).mean().backward()
        opt.step()
        ema.update_parameters(model)
    sd = _round_trip(torch, ema.state_dict())
    fresh = torch.optim.swa_utils.AveragedModel(torch.nn.Linear(2, 1))
    fresh.load_state_dict(sd)
    return list(sd), sd["n_averaged"], fresh.module.weight


@program
def manual_ema_with_no_grad_and_deepcopy(torch):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        model(torch.randn(4, 2)).sum().backward()
        opt.step()
        with torch.no_grad():
            for e, p in zip(ema.state_dict().values(), model.state_dict().values()):
                if e.dtype.is_floating_point:
                    e.mul_(0.9).add_(p, alpha=0.1)
                else:
                    e.copy_(p)
    return list(ema.state_dict().values()), [p.requires_grad for p in ema.parameters()]


@program
def gradient_accumulation_with_zero_grad(torch):
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    grads = []
    for i, x in enumerate(torch.randn(4, 2, 3)):
        (model(x).sum() / 2).backward()
        if i % 2 == 1:
            grads.append(model.weight.grad.clone())
            opt.step()
            model.zero_grad(set_to_none=True)
    return grads, model.weight.grad, list(model.parameters())


@program
def feature_extractor_from_children_and_head_swap(torch):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.flat = nn.Flatten()
            self.fc = nn.Linear(2, 5)

        def forward(self, x):
            return self.fc(self.flat(self.pool(self.conv(x))))

    net = Net()
    features = nn.Sequential(*list(net.children())[:-1])
    for p in net.parameters():
        p.requires_grad = False
    net.fc = nn.Linear(2, 3)
    x = torch.randn(2, 1, 5, 5)
    net(x).sum().backward()
    return (
        features(x),
        list(features.state_dict()),
        [n for n, p in net.named_parameters() if p.requires_grad],
        net.fc.weight.grad,
        net.conv.weight.grad,
    )


@program
def classifier_last_layer_replaced_by_index(torch):
    nn = torch.nn
    model = nn.Module()
    model.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(4, 10))
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, 2)
    model.eval()
    return model.classifier(torch.ones(1, 4)), list(model.state_dict()), repr(model)


@program(tol={"rtol": 1e-6, "atol": 1e-7})  # float32 sin/cos may differ by one ulp
def positional_encoding_buffer(torch):
    import math

    class PositionalEncoding(torch.nn.Module):
        def __init__(self, d_model, max_len=16):
            super().__init__()
            position = torch.arange(max_len).unsqueeze(1)
            div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
            pe = torch.zeros(max_len, 1, d_model)
            pe[:, 0, 0::2] = torch.sin(position * div_term)
            pe[:, 0, 1::2] = torch.cos(position * div_term)
            self.register_buffer("pe", pe)

        def forward(self, x):
            return x + self.pe[: x.size(0)]

    enc = PositionalEncoding(4)
    out32 = enc(torch.zeros(3, 2, 4))
    enc.double()
    return (
        out32,
        enc.pe.dtype,
        list(enc.state_dict()),
        enc(torch.zeros(2, 1, 4, dtype=torch.float64)),
    )


@error(ValueError, r"`module` is not an nn.Module, found <class 'int'>")
def set_submodule_non_module(torch):
    torch.nn.Sequential(torch.nn.ReLU()).set_submodule("0", 3)


@error(AttributeError, r"Sequential has no attribute `5`")
def set_submodule_strict_missing(torch):
    torch.nn.Sequential(torch.nn.ReLU()).set_submodule("5", torch.nn.Tanh(), strict=True)


@error(AttributeError, r"`weight` is not an nn.Module")
def set_submodule_over_parameter(torch):
    torch.nn.Sequential(torch.nn.Linear(1, 1)).set_submodule("0.weight", torch.nn.Tanh())


@error(AttributeError, r"`bias` is not an nn.Parameter")
def get_parameter_registered_as_none(torch):
    torch.nn.Linear(1, 1, bias=False).get_parameter("bias")


@program
def set_submodule_adds_when_not_strict(torch):
    seq = torch.nn.Sequential(torch.nn.ReLU())
    seq.set_submodule("extra", torch.nn.Tanh())
    return repr(seq), len(seq)


@error(ValueError, r"\['weight'\] appeared in multiple dictionaries; behavior of functional call is ambiguous")  # fmt: skip
def functional_call_overlapping_dicts(torch):
    lin = torch.nn.Linear(1, 1)
    w = {"weight": torch.ones(1, 1)}
    torch.func.functional_call(lin, (w, dict(w)), (torch.ones(1),))


@program
def functional_call_restores_after_error(torch):
    lin = torch.nn.Linear(2, 1)
    before = lin.weight.clone()
    try:
        torch.func.functional_call(lin, {"weight": torch.ones(1, 3)}, (torch.ones(2),))
    except RuntimeError:
        pass
    return torch.equal(before, lin.weight), type(lin.weight).__name__, lin.weight.requires_grad


@program
def functional_call_sees_replaced_params_in_hooks(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_forward_hook(lambda m, i, o: seen.append(m.weight.sum()))
    torch.func.functional_call(lin, {"weight": torch.full((1, 2), 3.0)}, (torch.ones(2),))
    return seen, lin.weight.sum() == seen[0]


@error(KeyError, r"attribute 'x' already exists")
def buffer_assigned_over_plain_attribute(torch):
    m = torch.nn.Module()
    m.x = 3
    m.x = torch.nn.Buffer(torch.ones(1))


@program
def safe_globals_allowlist_for_weights_only_load(torch):
    import argparse

    args = argparse.Namespace(lr=0.1)
    with torch.serialization.safe_globals([argparse.Namespace]):
        inside = argparse.Namespace in torch.serialization.get_safe_globals()
        buf = io.BytesIO()
        torch.save({"lr": args.lr, "w": torch.ones(1)}, buf)
        buf.seek(0)
        ckpt = torch.load(buf, weights_only=True)
    after = argparse.Namespace in torch.serialization.get_safe_globals()
    torch.serialization.add_safe_globals([argparse.Namespace])
    added = argparse.Namespace in torch.serialization.get_safe_globals()
    return inside, after, added, ckpt


@program
def pruned_module_state_dict_and_remove(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    lin = torch.nn.Linear(4, 3)
    prune.l1_unstructured(lin, "weight", amount=0.5)
    keys = list(lin.state_dict())
    buffers = _names(lin.named_buffers())
    params = _names(lin.named_parameters())
    masked = lin.weight.clone()
    prune.remove(lin, "weight")
    clone = copy.deepcopy(lin)
    return keys, buffers, params, masked, list(lin.state_dict()), clone.weight, type(lin.weight).__name__  # fmt: skip


@program
def pruned_checkpoint_loads_into_pruned_model(torch):
    prune = importlib.import_module(torch.__name__ + ".nn.utils.prune")
    a = torch.nn.Linear(4, 3)
    prune.random_unstructured(a, "weight", amount=0.25)
    b = torch.nn.Linear(4, 3)
    prune.identity(b, "weight")
    b.load_state_dict(_round_trip(torch, a.state_dict()))
    return b.weight, b.weight_mask


@program
def full_backward_hook_same_tensor_twice_and_identity(torch):
    class Mul(torch.nn.Module):
        def forward(self, a, b):
            return a * b

    seen = []
    m = Mul()
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(list(gi)))
    ident = torch.nn.Identity()
    ident.register_full_backward_hook(lambda mod, gi, go: seen.append(("id", list(gi), list(go))))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    ident(m(x, x)).sum().backward()
    return seen, x.grad


@program
def full_backward_hook_not_fired_for_non_differentiable_output(torch):
    class ArgMax(torch.nn.Module):
        def forward(self, x):
            return x.argmax(dim=-1)

    seen = []
    m = ArgMax()
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(1))
    x = torch.randn(2, 3, requires_grad=True)
    out = m(x)
    (x * 2).sum().backward()
    return out, seen, out.requires_grad


@program
def full_backward_hook_with_retain_graph_twice(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(go[0].clone()))
    x = torch.ones(1, 2, requires_grad=True)
    y = lin(x).sum()
    y.backward(retain_graph=True)
    (2 * y).backward()
    return seen, x.grad


@program
def full_backward_hook_with_autograd_grad(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(gi[0].clone()))
    x = torch.ones(1, 2, requires_grad=True)
    (g,) = torch.autograd.grad(lin(x).sum(), x)
    return g, seen, lin.weight.grad


@program
def save_load_sets_counters_bytes_complex(torch):
    import collections

    obj = {
        "labels": {3, 1, 2},
        "vocab": collections.Counter("abracadabra"),
        "raw": b"\x00\xffab",
        "buf": bytearray(b"xy"),
        "z": 1.5 - 2j,
        "pairs": {(1, 2), (3, 4)},
    }
    back = _round_trip(torch, obj)
    return [type(v).__name__ for v in back.values()], [repr(v) for v in back.values()]


@program
def save_load_argparse_namespace_with_weights_only_false(torch):
    import argparse

    args = argparse.Namespace(lr=0.01, layers=[64, 32], name="run", seed=None)
    back = _round_trip(torch, {"args": args, "state": torch.nn.Linear(1, 1).state_dict()})
    return type(back["args"]).__name__, vars(back["args"]), list(back["state"])


@program
def child_train_override_keeps_batchnorm_frozen(torch):
    class FrozenBNBackbone(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bn = torch.nn.BatchNorm1d(2)
            self.lin = torch.nn.Linear(2, 2)

        def train(self, mode=True):
            super().train(mode)
            self.bn.eval()  # running statistics stay frozen while fine-tuning
            return self

        def forward(self, x):
            return self.lin(self.bn(x))

    model = torch.nn.Sequential(FrozenBNBackbone(), torch.nn.Dropout(0.0))
    model.eval()
    model.train()
    model(torch.randn(4, 2))
    return [(n, m.training) for n, m in model.named_modules()], model[0].bn.running_mean


@program
def parameter_data_reassigned_with_new_shape(torch):
    lin = torch.nn.Linear(3, 4)
    lin.weight.data = lin.weight.data[:2].clone()
    lin.bias.data = lin.bias.data[:2]
    lin.out_features = 2
    out = lin(torch.ones(1, 3))
    out.sum().backward()
    return out, lin.weight.grad.shape, lin.weight.shape, list(lin.state_dict().values())


@program
def shrink_layer_by_new_parameters(torch):
    lin = torch.nn.Linear(3, 4)
    keep = torch.tensor([0, 2])
    lin.weight = torch.nn.Parameter(lin.weight[keep].detach())
    lin.bias = torch.nn.Parameter(lin.bias[keep].detach())
    return lin(torch.ones(3)), [p.is_leaf for p in lin.parameters()], repr(lin)


@error(RuntimeError, r'While copying the parameter named "bias", expected torch.Tensor or Tensor-like object from checkpoint but received <class \'list\'>')  # fmt: skip
def load_state_dict_list_value(torch):
    lin = torch.nn.Linear(1, 2)
    lin.load_state_dict({"weight": torch.ones(2, 1), "bias": [0.0, 1.0]})


@error(RuntimeError, r"Error\(s\) in loading state_dict for Linear:\n\tUnexpected key\(s\) in state_dict: \"extra\"\. \n\tsize mismatch for weight")  # fmt: skip
def load_state_dict_unexpected_and_size_mismatch(torch):
    lin = torch.nn.Linear(1, 2)
    lin.load_state_dict({"weight": torch.ones(3, 1), "bias": torch.ones(2), "extra": torch.ones(1)})


@program
def load_state_dict_scalar_from_one_element(torch):
    m = torch.nn.Module()
    m.register_buffer("step", torch.tensor(0))
    m.load_state_dict({"step": torch.tensor([7])})
    return m.step


@program
def removable_handle_in_a_custom_hook_registry(torch):
    from collections import OrderedDict as OD

    class Tracker:
        def __init__(self):
            self.hooks = OD()

        def register(self, fn):
            handle = torch.utils.hooks.RemovableHandle(self.hooks)
            self.hooks[handle.id] = fn
            return handle

    t = Tracker()
    h1 = t.register(lambda: 1)
    t.register(lambda: 2)
    h1.remove()
    with t.register(lambda: 3):
        inside = [f() for f in t.hooks.values()]
    return inside, [f() for f in t.hooks.values()]


@program
def torchsummary_style_hooks(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(36, 2))  # fmt: skip
    summary = OrderedDict()
    hooks = []

    def register_hook(module):
        def hook(module, input, output):
            class_name = str(module.__class__).split(".")[-1].split("'")[0]
            key = "%s-%i" % (class_name, len(summary) + 1)  # noqa: UP031 (torchsummary's code)
            summary[key] = OrderedDict()
            summary[key]["input_shape"] = list(input[0].size())
            summary[key]["output_shape"] = list(output.size())
            params = 0
            if hasattr(module, "weight") and hasattr(module.weight, "size"):
                params += torch.prod(torch.LongTensor(list(module.weight.size())))
                summary[key]["trainable"] = module.weight.requires_grad
            if hasattr(module, "bias") and hasattr(module.bias, "size"):
                params += torch.prod(torch.LongTensor(list(module.bias.size())))
            summary[key]["nb_params"] = params

        if not isinstance(module, (nn.Sequential, nn.ModuleList)) and module is not model:
            hooks.append(module.register_forward_hook(hook))

    model.apply(register_hook)
    model(torch.rand(2, 1, 5, 5))
    for h in hooks:
        h.remove()
    total = sum(p.numel() for p in model.parameters())
    return summary, total, [len(m._forward_hooks) for m in model]


@error(RuntimeError, r"Parent directory /nonexistent/dir does not exist\.")
def save_into_missing_directory(torch):
    torch.save({"w": torch.ones(1)}, "/nonexistent/dir/checkpoint.pt")


def test_saving_onto_a_directory_raises_and_writes_nothing(tmp_path):
    with pytest.raises(RuntimeError, match="is a directory; give the path of a file"):
        minitorch.save({"w": minitorch.ones(1)}, tmp_path)
    assert list(tmp_path.parent.glob(".tmp-*")) == []


@program
def load_empty_or_garbage_checkpoint_errors_catchable(torch):
    import pickle

    caught = []
    for data in (b"", b"garbage-bytes-that-are-no-checkpoint"):
        try:
            torch.load(io.BytesIO(data))
        except EOFError:
            caught.append("EOFError")
        except pickle.UnpicklingError:
            caught.append("UnpicklingError")
    return caught


@program
def parameter_assignment_type_names(torch):
    msgs = []
    for dtype in (torch.float64, torch.float16, torch.bool, torch.uint8, torch.int32, torch.int8):
        lin = torch.nn.Linear(1, 1)
        try:
            lin.weight = torch.zeros(1, 1, dtype=dtype)
        except TypeError as e:
            msgs.append(str(e))
    for value in (3, "w", [1.0], None):
        lin = torch.nn.Linear(1, 1)
        try:
            lin.bias = value
            msgs.append(repr(lin.bias))
        except TypeError as e:
            msgs.append(str(e))
    return msgs


@error(TypeError, r"Index given to ParameterDict cannot be used as a key as it is not a string \(type is 'int'\)")  # fmt: skip
def parameter_dict_int_key(torch):
    torch.nn.ParameterDict({"a": torch.nn.Parameter(torch.ones(1))})[1]


@error(KeyError, r"popitem\(\): dictionary is empty")
def parameter_dict_popitem_empty(torch):
    torch.nn.ParameterDict().popitem()


@error(AttributeError, r"'ParameterDict' object has no attribute 'x'")
def parameter_dict_missing_key(torch):
    torch.nn.ParameterDict({"a": torch.nn.Parameter(torch.ones(1))})["x"]


@program
def weight_drop_reparametrization(torch):
    nn, F = torch.nn, torch.nn.functional

    class WeightDrop(nn.Module):
        def __init__(self, module, weights, dropout=0.0):
            super().__init__()
            self.module, self.weights, self.dropout = module, weights, dropout
            for name_w in self.weights:
                w = getattr(self.module, name_w)
                del self.module._parameters[name_w]
                self.module.register_parameter(name_w + "_raw", nn.Parameter(w.data))

        def _setweights(self):
            for name_w in self.weights:
                raw_w = getattr(self.module, name_w + "_raw")
                setattr(self.module, name_w, F.dropout(raw_w, p=self.dropout, training=self.training))  # fmt: skip

        def forward(self, *args):
            self._setweights()
            return self.module.forward(*args)

    wd = WeightDrop(nn.Linear(3, 2), ["weight"], dropout=0.5)
    out = wd(torch.ones(4, 3))
    out.sum().backward()
    return out, list(wd.state_dict()), wd.module.weight_raw.grad, type(wd.module.weight).__name__


@program
def weight_standardization_pre_hook(torch):
    conv = torch.nn.Conv2d(2, 3, 3, bias=False)

    def standardize(module, inputs):
        w = module.weight
        mean = w.mean(dim=(1, 2, 3), keepdim=True)
        std = w.std(dim=(1, 2, 3), keepdim=True)
        module.weight.data = (w.data - mean.data) / (std.data + 1e-5)

    conv.register_forward_pre_hook(standardize)
    y = conv(torch.randn(1, 2, 5, 5))
    return y, conv.weight.mean(dim=(1, 2, 3))


@program
def always_call_hook_error_is_silenced_by_forward_error(torch):
    import warnings

    class Flaky(torch.nn.Module):
        def forward(self, x, fail=False):
            if fail:
                raise ValueError("forward failed")
            return x + 1

    seen = []

    def hook(m, a, k, o):
        seen.append((sorted(k), o))
        raise KeyError("hook failed")

    m = Flaky()
    m.register_forward_hook(hook, with_kwargs=True, always_call=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            m(torch.zeros(1), fail=True)
        except Exception as e:
            seen.append((type(e).__name__, str(e)))
    try:
        m(torch.zeros(1))
    except KeyError as e:
        seen.append(("KeyError", str(e)))
    return seen, [str(x.message) for x in w]


@program
def hooks_on_multihead_attention_tuple_output(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    seen = []
    mha.register_forward_hook(lambda m, a, k, o: seen.append((len(a), sorted(k), o[1] is None)), with_kwargs=True)  # fmt: skip
    mha.register_full_backward_hook(lambda m, gi, go: seen.append(([g is None for g in gi], [g is None for g in go])))  # fmt: skip
    x = torch.randn(2, 3, 4, requires_grad=True)
    out, weights = mha(x, x, x, need_weights=False)
    out.sum().backward()
    return seen, x.grad, weights is None


@program
def backward_hooks_see_one_grad_output_per_output(torch):
    class Three(torch.nn.Module):
        def forward(self, x):
            return x * 2, None, x * 3, 7

    seen = []
    m = Three()

    def pre(mod, go):
        seen.append(("pre", [g is None for g in go]))
        return (go[0] * 10, None, None, None)

    m.register_full_backward_pre_hook(pre)
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(("hook", list(go), list(gi))))
    x = torch.ones(2, requires_grad=True)
    a, _, c, _ = m(x)
    (a + c).sum().backward()
    return seen, x.grad


@error(RuntimeError, r"shape")
def vector_to_parameters_two_dimensional(torch):
    lin = torch.nn.Linear(3, 2)
    torch.nn.utils.vector_to_parameters(torch.zeros(2, 4), lin.parameters())


@program
def save_load_dicts_with_tag_like_keys(torch):
    obj = {
        "__version__": 2,
        "__tensor__": "not a tensor",
        "obj": 1,
        "value": [1, 2],
        "metadata": {"frozen": True, "mutable": None, "device": "cuda:0"},
        "parameter": True,
        "requires_grad": False,
    }
    return _round_trip(torch, obj)
