"""Sweep 23 (helper S1): behaviours PyTorch's test/test_nn.py (first half) checks: containers
(Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict), parameter registration,
nn.utils (clip_grad_*, parameters_to_vector, weight_norm, spectral_norm, rnn utils, fusion),
state_dict, loss edge cases, RNN argument checks, Transformer pieces."""

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


# ---- Sequential --------------------------------------------------------------------------------
@program
def sequential_index_slice_del(torch):
    nn = torch.nn
    s = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.ELU())
    out = [type(s[0]).__name__, type(s[-1]).__name__, len(s[1:3]), type(s[1:]).__name__]
    out.append([type(m).__name__ for m in s[::2]])
    del s[1]
    out.append(list(s._modules))
    del s[::2]
    out.append(list(s._modules))
    return out


@program
def sequential_setitem_append_insert_extend_pop(torch):
    nn = torch.nn
    s = nn.Sequential(nn.ReLU(), nn.Tanh())
    s[1] = nn.Sigmoid()
    s[-1] = nn.ELU()
    s.append(nn.Identity())
    s.insert(0, nn.GELU())
    s.insert(-1, nn.SiLU())
    s.extend([nn.Softsign(), nn.Mish()])
    p = s.pop(1)
    out = [type(p).__name__, [type(m).__name__ for m in s], list(s._modules)]
    s2 = s + nn.Sequential(nn.ReLU())
    out.append([type(m).__name__ for m in s2])
    out.append(list(s2._modules))
    s3 = nn.Sequential(nn.ReLU()) * 3
    out.append(list(s3._modules))
    s3 *= 2
    out.append(len(s3))
    s4 = 2 * nn.Sequential(nn.ReLU())
    out.append(len(s4))
    s5 = nn.Sequential(nn.ReLU())
    s5 += nn.Sequential(nn.Tanh())
    out.append(list(s5._modules))
    return out


@error(IndexError, r"index -?\d+ is out of range")
def sequential_index_out_of_range(torch):
    torch.nn.Sequential(torch.nn.ReLU())[3]


@error(IndexError, r"Index out of range")
def sequential_insert_out_of_range(torch):
    torch.nn.Sequential(torch.nn.ReLU()).insert(5, torch.nn.ReLU())


@error(AssertionError, r"module should be of type")
def sequential_insert_not_module(torch):
    torch.nn.Sequential(torch.nn.ReLU()).insert(0, 3)


@error(ValueError, r"add operator supports only objects of Sequential class")
def sequential_add_non_sequential(torch):
    torch.nn.Sequential(torch.nn.ReLU()) + torch.nn.ReLU()


@error(TypeError, r"unsupported operand type")
def sequential_mul_float(torch):
    torch.nn.Sequential(torch.nn.ReLU()) * 1.5


@error(ValueError, r"Non-positive multiplication factor")
def sequential_mul_zero(torch):
    torch.nn.Sequential(torch.nn.ReLU()) * 0


@program
def sequential_ordered_dict_and_forward(torch):
    from collections import OrderedDict

    nn = torch.nn
    s = nn.Sequential(OrderedDict([("lin", nn.Linear(3, 2)), ("act", nn.Tanh())]))
    x = torch.randn(4, 3)
    return list(s._modules), s(x), s.lin is s[0], repr(s)


@program
def sequential_empty_forward(torch):
    x = torch.randn(2)
    return torch.nn.Sequential()(x) is x, len(torch.nn.Sequential())


# ---- ModuleList / ModuleDict ----------------------------------------------------------------------
@program
def modulelist_ops(torch):
    nn = torch.nn
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    ml.append(nn.Sigmoid())
    ml.extend([nn.ELU(), nn.GELU()])
    ml.insert(1, nn.Identity())
    ml[0] = nn.Softsign()
    ml[-1] = nn.Mish()
    out = [[type(m).__name__ for m in ml], list(ml._modules)]
    out.append([type(m).__name__ for m in ml[1:4]])
    out.append(type(ml[1:4]).__name__)
    p = ml.pop(2)
    out.append([type(p).__name__, list(ml._modules)])
    del ml[::2]
    out.append(list(ml._modules))
    ml2 = ml + nn.ModuleList([nn.ReLU()])
    out.append([type(ml2).__name__, len(ml2)])
    ml += [nn.ReLU()]
    out.append(len(ml))
    out.append(repr(ml))
    return out


@error(TypeError, r"ModuleList.extend should be called with an iterable")
def modulelist_extend_not_iterable(torch):
    torch.nn.ModuleList().extend(torch.nn.ReLU())


@error(IndexError, r"index -?\d+ is out of range")
def modulelist_index_out_of_range(torch):
    torch.nn.ModuleList([torch.nn.ReLU()])[-3]


@error(TypeError, r"ModuleList.*is not a Module subclass|is not a Module subclass")
def modulelist_append_not_module(torch):
    torch.nn.ModuleList().append(3)


@program
def modulelist_repr_repeated(torch):
    nn = torch.nn
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU()])
    return repr(ml)


@program
def moduledict_ops(torch):
    nn = torch.nn
    md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
    md["c"] = nn.Sigmoid()
    md.update([("d", nn.ELU()), ("a", nn.GELU())])
    md.update(nn.ModuleDict({"e": nn.Identity()}))
    out = [list(md.keys()), [type(v).__name__ for v in md.values()], "a" in md, len(md)]
    p = md.pop("b")
    out.append([type(p).__name__, list(md)])
    del md["c"]
    out.append(list(md))
    out.append([(k, type(v).__name__) for k, v in md.items()])
    md.clear()
    out.append(len(md))
    return out


@error(TypeError, r"ModuleDict.update should be called with an iterable of key/value pairs")
def moduledict_update_not_iterable(torch):
    torch.nn.ModuleDict().update(torch.nn.ReLU())


@error(ValueError, r"ModuleDict update sequence element #1 has length 1; 2 is required")
def moduledict_update_bad_length(torch):
    torch.nn.ModuleDict().update([("a", torch.nn.ReLU()), ("b",)])


@error(TypeError, r"ModuleDict update sequence element #0 should be Iterable; is")
def moduledict_update_element_not_iterable(torch):
    torch.nn.ModuleDict().update([3])


@error(KeyError, r"z")
def moduledict_missing_key(torch):
    torch.nn.ModuleDict({"a": torch.nn.ReLU()})["z"]


# ---- ParameterList / ParameterDict ----------------------------------------------------------------
@program
def parameterlist_ops(torch):
    nn = torch.nn
    pl = nn.ParameterList([nn.Parameter(torch.randn(2)), torch.randn(3)])
    pl.append(nn.Parameter(torch.randn(1)))
    pl.extend([torch.randn(2, 2)])
    pl += [nn.Parameter(torch.zeros(1))]
    out = [len(pl), [type(p).__name__ for p in pl], [tuple(p.shape) for p in pl]]
    out.append([p.requires_grad for p in pl])
    out.append(len(list(nn.Module.parameters(pl))))
    out.append(type(pl[1:3]).__name__)
    out.append(len(pl[1:3]))
    pl[0] = nn.Parameter(torch.ones(4))
    out.append(tuple(pl[0].shape))
    pl.append("a string")
    out.append(pl[-1])
    out.append(repr(pl))
    return out


@error(TypeError, r"ParameterList.extend should be called with an iterable")
def parameterlist_extend_not_iterable(torch):
    torch.nn.ParameterList().extend(3)


@program
def parameterdict_ops(torch):
    nn = torch.nn
    pd = nn.ParameterDict({"b": nn.Parameter(torch.randn(2)), "a": torch.randn(3)})
    pd["c"] = nn.Parameter(torch.randn(1))
    pd.update({"d": torch.zeros(2)})
    pd.update([("e", nn.Parameter(torch.ones(1)))])
    out = [list(pd.keys()), [type(v).__name__ for v in pd.values()], "a" in pd, len(pd)]
    out.append(pd.get("zz", 5))
    out.append(type(pd.get("a")).__name__)
    p = pd.pop("b")
    out.append([tuple(p.shape), list(pd)])
    del pd["c"]
    out.append(list(pd))
    out.append(pd.setdefault("f", nn.Parameter(torch.ones(3))).shape)
    c = pd.copy()
    out.append([type(c).__name__, list(c)])
    out.append(list(pd.fromkeys(["x", "y"])))
    k, v = pd.popitem()
    out.append([k, tuple(v.shape)])
    out.append(repr(pd))
    pd2 = pd | nn.ParameterDict({"z": nn.Parameter(torch.ones(1))})
    out.append(list(pd2))
    out.append(list(reversed(pd)))
    pd.clear()
    out.append(len(pd))
    return out


@error(TypeError, r"ParametersDict.update should be called with an iterable of key/value pairs")
def parameterdict_update_not_iterable(torch):
    torch.nn.ParameterDict().update(3)


@error(ValueError, r"ParameterDict update sequence element #0 has length 1; 2 is required")
def parameterdict_update_bad_length(torch):
    torch.nn.ParameterDict().update([("a",)])


# ---- parameter / buffer / module registration ------------------------------------------------------
@error(
    TypeError,
    r"cannot assign 'torch\.FloatTensor' as parameter 'weight' \(torch\.nn\.Parameter or None expected\)",
)
def assign_tensor_to_parameter(torch):
    torch.nn.Linear(2, 2).weight = torch.randn(2, 2)


@error(
    TypeError, r"cannot assign 'int' as child module 'fc' \(torch\.nn\.Module or None expected\)"
)
def assign_int_to_submodule(torch):
    m = torch.nn.Module()
    m.fc = torch.nn.Linear(2, 2)
    m.fc = 3


@error(
    TypeError,
    r"cannot assign 'int' as buffer 'running_mean' \(torch\.nn\.Buffer, torch\.Tensor or None expected\)",
)
def assign_int_to_buffer(torch):
    torch.nn.BatchNorm1d(2).running_mean = 3


@error(KeyError, r"attribute 'x' already exists")
def register_buffer_existing_attr(torch):
    m = torch.nn.Module()
    m.x = 1
    m.register_buffer("x", torch.zeros(1))


@error(KeyError, r'buffer name can\W+t contain "\."')
def register_buffer_dot(torch):
    torch.nn.Module().register_buffer("a.b", torch.zeros(1))


@error(KeyError, r'buffer name can\W+t be empty string ""')
def register_buffer_empty(torch):
    torch.nn.Module().register_buffer("", torch.zeros(1))


@error(TypeError, r"buffer name should be a string. Got int")
def register_buffer_int_name(torch):
    torch.nn.Module().register_buffer(3, torch.zeros(1))


@error(TypeError, r"cannot assign 'int' object to buffer 'b' \(torch Tensor or None required\)")
def register_buffer_not_tensor(torch):
    torch.nn.Module().register_buffer("b", 3)


@error(KeyError, r'parameter name can\W+t contain "\."')
def register_parameter_dot(torch):
    torch.nn.Module().register_parameter("a.b", torch.nn.Parameter(torch.zeros(1)))


@error(KeyError, r'parameter name can\W+t be empty string ""')
def register_parameter_empty(torch):
    torch.nn.Module().register_parameter("", None)


@error(TypeError, r"parameter name should be a string. Got int")
def register_parameter_int_name(torch):
    torch.nn.Module().register_parameter(1, None)


@error(
    TypeError,
    r"cannot assign 'torch.FloatTensor' object to parameter 'p' \(torch.nn.Parameter or None required\)",
)
def register_parameter_tensor(torch):
    torch.nn.Module().register_parameter("p", torch.zeros(1))


@error(KeyError, r"attribute 'p' already exists")
def register_parameter_existing_attr(torch):
    m = torch.nn.Module()
    m.p = 3
    m.register_parameter("p", None)


@error(ValueError, r"Cannot assign non-leaf Tensor to parameter 'w'")
def register_parameter_non_leaf(torch):
    a = torch.nn.Parameter(torch.zeros(2))
    torch.nn.Module().register_parameter("w", (a * 2).as_subclass(torch.nn.Parameter))


@error(KeyError, r'module name can\W+t contain "\.", got: a\.b')
def add_module_dot(torch):
    torch.nn.Module().add_module("a.b", torch.nn.ReLU())


@error(KeyError, r'module name can\W+t be empty string ""')
def add_module_empty(torch):
    torch.nn.Module().add_module("", torch.nn.ReLU())


@error(TypeError, r"module name should be a string. Got int")
def add_module_int_name(torch):
    torch.nn.Module().add_module(1, torch.nn.ReLU())


@error(TypeError, r"is not a Module subclass")
def add_module_not_module(torch):
    torch.nn.Module().add_module("a", 3)


@error(KeyError, r"attribute 'a' already exists")
def add_module_existing_attr(torch):
    m = torch.nn.Module()
    m.a = 1
    m.add_module("a", torch.nn.ReLU())


@program
def register_then_reassign_kinds(torch):
    nn = torch.nn
    m = nn.Module()
    m.register_buffer("b", torch.zeros(2))
    m.register_parameter("p", nn.Parameter(torch.ones(2)))
    m.b = None
    m.p = None
    m.sub = nn.ReLU()
    m.sub = None
    out = [list(m._buffers), list(m._parameters), list(m._modules)]
    out.append([m.b, m.p, m.sub])
    out.append(list(dict(m.named_parameters())))
    del m.p
    del m.b
    del m.sub
    out.append([list(m._buffers), list(m._parameters), list(m._modules)])
    m.register_buffer("nb", torch.ones(1), persistent=False)
    out.append(list(m.state_dict()))
    out.append(list(dict(m.named_buffers())))
    return out


@program
def named_parameters_shared_and_remove_duplicate(torch):
    nn = torch.nn
    lin = nn.Linear(2, 2)
    m = nn.Sequential(lin, lin, nn.Linear(2, 1))
    a = [n for n, _ in m.named_parameters()]
    b = [n for n, _ in m.named_parameters(remove_duplicate=False)]
    c = [n for n, _ in m.named_modules()]
    d = [n for n, _ in m.named_modules(remove_duplicate=False)]
    e = [n for n, _ in m.named_parameters(prefix="net", recurse=False)]
    f = [n for n, _ in m.named_children()]
    return a, b, c, d, e, f, len(list(m.parameters()))


@program
def state_dict_shared_and_prefix_keep_vars(torch):
    nn = torch.nn
    lin = nn.Linear(2, 2)
    net = nn.Module()
    net.l1 = lin
    net.l2 = lin
    net.bn = nn.BatchNorm1d(2)
    net.add_module("empty", None)
    sd = net.state_dict()
    out = [list(sd), sd["l1.weight"].requires_grad, type(sd["l1.weight"]).__name__]
    kv = net.state_dict(keep_vars=True)
    out.append([type(kv["l1.weight"]).__name__, kv["l1.weight"].requires_grad])
    out.append(list(net.state_dict(prefix="p.")))
    out.append(sd["bn.num_batches_tracked"])
    out.append(sd["l1.weight"].data_ptr() == lin.weight.data_ptr())
    return out


# ---- clip_grad --------------------------------------------------------------------------------------
def _grads(torch, scale=1.0):
    ps = [torch.nn.Parameter(torch.randn(3, 4)), torch.nn.Parameter(torch.randn(5))]
    for p in ps:
        p.grad = torch.randn_like(p) * scale
    return ps


@program
def clip_grad_norm_norm_types(torch):
    out = []
    for nt in (1, 2, 3.5, "inf", float("inf"), 0.5):
        for foreach in (None, False, True):
            ps = _grads(torch, 10.0)
            tn = torch.nn.utils.clip_grad_norm_(ps, 1.25, norm_type=nt, foreach=foreach)
            out.append([tn, ps[0].grad, ps[1].grad])
    return out


@program
def clip_grad_norm_small_total_untouched(torch):
    ps = _grads(torch, 0.01)
    before = [p.grad.clone() for p in ps]
    tn = torch.nn.utils.clip_grad_norm_(ps, 100.0)
    return tn, [torch.equal(b, p.grad) for b, p in zip(before, ps)]


@program
def clip_grad_norm_single_tensor_and_no_grads(torch):
    p = torch.nn.Parameter(torch.randn(4))
    p.grad = torch.full((4,), 3.0)
    tn = torch.nn.utils.clip_grad_norm_(p, 2.0)
    q = torch.nn.Parameter(torch.randn(4))
    tn2 = torch.nn.utils.clip_grad_norm_([q], 1.0)
    tn3 = torch.nn.utils.clip_grad_norm_([], 1.0)
    return tn, p.grad, tn2, tn3, q.grad


@error(RuntimeError, r"The total norm of order 2.0 for gradients from `parameters` is non-finite")
def clip_grad_norm_error_if_nonfinite(torch):
    ps = _grads(torch)
    ps[0].grad[0, 0] = float("nan")
    torch.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)


@program
def clip_grad_norm_nonfinite_no_error(torch):
    ps = _grads(torch)
    ps[0].grad[0, 0] = float("inf")
    tn = torch.nn.utils.clip_grad_norm_(ps, 1.0)
    return tn, ps[1].grad


@program
def clip_grad_value(torch):
    out = []
    for foreach in (None, False, True):
        ps = _grads(torch, 3.0)
        torch.nn.utils.clip_grad_value_(ps, 0.5, foreach=foreach)
        out.append([p.grad for p in ps])
    p = torch.nn.Parameter(torch.randn(3))
    p.grad = torch.randn(3) * 4
    r = torch.nn.utils.clip_grad_value_(p, 1.0)
    out.append([r, p.grad])
    return out


@program
def get_total_norm_and_clip_grads_with_norm(torch):
    u = torch.nn.utils
    ps = _grads(torch, 5.0)
    grads = [p.grad for p in ps]
    tn = u.get_total_norm(grads, norm_type=3.0)
    u.clip_grads_with_norm_(ps, 2.0, tn)
    return tn, [p.grad for p in ps]


# ---- parameters_to_vector / vector_to_parameters ----------------------------------------------------
@program
def parameters_vector_roundtrip(torch):
    u = torch.nn.utils
    m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Conv1d(2, 2, 2))
    v = u.parameters_to_vector(m.parameters())
    u.vector_to_parameters(torch.arange(v.numel(), dtype=torch.float32), m.parameters())
    return v.shape, [p.clone() for p in m.parameters()], u.parameters_to_vector(m.parameters())


@error(TypeError, r"expected torch.Tensor, but got: int")
def vector_to_parameters_not_tensor(torch):
    torch.nn.utils.vector_to_parameters(3, torch.nn.Linear(2, 2).parameters())


# ---- weight_norm / spectral_norm --------------------------------------------------------------------
@program
def weight_norm_dims(torch):
    u = torch.nn.utils
    out = []
    for dim in (0, 1, -1, None):
        m = u.weight_norm(torch.nn.Linear(3, 4), dim=dim)
        x = torch.randn(2, 3)
        y = m(x)
        y.sum().backward()
        out.append(
            [
                list(dict(m.named_parameters())),
                m.weight_g.shape,
                m.weight_g.grad,
                m.weight_v.grad,
                y,
            ]
        )
    m = u.remove_weight_norm(m)
    out.append(list(dict(m.named_parameters())))
    return out


@error(RuntimeError, r"Cannot register two weight_norm hooks on the same parameter weight")
def weight_norm_twice(torch):
    u = torch.nn.utils
    u.weight_norm(u.weight_norm(torch.nn.Linear(2, 2)))


@error(ValueError, r"weight_norm of 'weight' not found in")
def remove_weight_norm_missing(torch):
    torch.nn.utils.remove_weight_norm(torch.nn.Linear(2, 2))


@program
def spectral_norm_basic(torch):
    u = torch.nn.utils
    m = u.spectral_norm(torch.nn.Linear(5, 4))
    out = [sorted(dict(m.named_parameters())), sorted(dict(m.named_buffers()))]
    x = torch.randn(3, 5)
    y = m(x)
    y.sum().backward()
    out += [y, m.weight_orig.grad, m.weight_u]
    m.eval()
    out.append(m(x))
    m = u.remove_spectral_norm(m)
    out.append(sorted(dict(m.named_parameters())))
    return out


@error(RuntimeError, r"Cannot register two spectral_norm hooks on the same parameter weight")
def spectral_norm_twice(torch):
    u = torch.nn.utils
    u.spectral_norm(u.spectral_norm(torch.nn.Linear(2, 2)))


@error(ValueError, r"spectral_norm of 'weight' not found in")
def remove_spectral_norm_missing(torch):
    torch.nn.utils.remove_spectral_norm(torch.nn.Linear(2, 2))


@program
def spectral_norm_state_dict_keys(torch):
    m = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 3))
    return list(m.state_dict())


# ---- fusion --------------------------------------------------------------------------------------
@program
def fuse_conv_bn_and_linear_bn(torch):
    fusion = torch.nn.utils.fusion
    fuse_conv_bn_eval, fuse_linear_bn_eval = fusion.fuse_conv_bn_eval, fusion.fuse_linear_bn_eval
    conv = torch.nn.Conv2d(2, 3, 3).eval()
    bn = torch.nn.BatchNorm2d(3).eval()
    bn.running_mean.uniform_(-1, 1)
    bn.running_var.uniform_(0.5, 2)
    x = torch.randn(2, 2, 5, 5)
    fused = fuse_conv_bn_eval(conv, bn)
    lin = torch.nn.Linear(4, 3).eval()
    bn1 = torch.nn.BatchNorm1d(3).eval()
    bn1.running_mean.uniform_(-1, 1)
    z = torch.randn(5, 4)
    fl = fuse_linear_bn_eval(lin, bn1)
    return fused(x), bn(conv(x)), fl(z), bn1(lin(z)), fused.weight.requires_grad


# ---- rnn utils --------------------------------------------------------------------------------------
@program
def pad_sequence_variants(torch):
    pad_sequence = torch.nn.utils.rnn.pad_sequence
    seqs = [torch.randn(3, 2), torch.randn(1, 2), torch.randn(2, 2)]
    return (
        pad_sequence(seqs),
        pad_sequence(seqs, batch_first=True, padding_value=-1.0),
        pad_sequence(seqs, batch_first=True, padding_side="left"),
    )


@program
def pack_unpack_roundtrip(torch):
    r = torch.nn.utils.rnn
    pack_padded_sequence, pad_packed_sequence, pack_sequence = (
        r.pack_padded_sequence,
        r.pad_packed_sequence,
        r.pack_sequence,
    )
    unpack_sequence, unpad_sequence = r.unpack_sequence, r.unpad_sequence
    x = torch.randn(4, 3, 2)
    lengths = torch.tensor([4, 2, 3])
    p = pack_padded_sequence(x, lengths, enforce_sorted=False)
    out = [p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices]
    pad, lens = pad_packed_sequence(p, total_length=6)
    out += [pad, lens]
    ps = pack_sequence([torch.randn(3), torch.randn(2), torch.randn(1)])
    out.append([t for t in unpack_sequence(ps)])
    out.append(unpad_sequence(x, lengths))
    return out


@error(
    RuntimeError,
    r"`lengths` array must be sorted in decreasing order when `enforce_sorted` is True",
)
def pack_padded_unsorted(torch):
    pack_padded_sequence = torch.nn.utils.rnn.pack_padded_sequence
    pack_padded_sequence(torch.randn(4, 3, 2), [2, 4, 3])


@error(ValueError, r"Expected total_length to be at least the length of the longest sequence")
def pad_packed_short_total_length(torch):
    pack_padded_sequence, pad_packed_sequence = (
        torch.nn.utils.rnn.pack_padded_sequence,
        torch.nn.utils.rnn.pad_packed_sequence,
    )
    pad_packed_sequence(pack_padded_sequence(torch.randn(4, 2, 1), [4, 3]), total_length=2)


# ---- losses edge cases ---------------------------------------------------------------------------
@program
def losses_empty_inputs(torch):
    F = torch.nn.functional
    e = torch.randn(0, requires_grad=True)
    t = torch.randn(0)
    out = []
    for fn in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss, F.soft_margin_loss):
        for red in ("mean", "sum", "none"):
            out.append(fn(e, t, reduction=red))
    return out


@program
def cross_entropy_edge_cases(torch):
    F = torch.nn.functional
    x = torch.randn(4, 3, requires_grad=True)
    t = torch.tensor([0, -100, 2, -100])
    out = [F.cross_entropy(x, t), F.cross_entropy(x, torch.tensor([0, 1, 2, 2]), ignore_index=2)]
    all_ignored = torch.tensor([-100] * 4)
    out.append(F.cross_entropy(x, all_ignored))
    out.append(F.cross_entropy(x, all_ignored, reduction="sum"))
    out.append(F.nll_loss(F.log_softmax(x, 1), all_ignored))
    probs = torch.softmax(torch.randn(4, 3), 1)
    out.append(F.cross_entropy(x, probs, label_smoothing=0.2))
    out.append(
        F.cross_entropy(
            x, torch.tensor([0, 1, 2, 1]), label_smoothing=0.3, weight=torch.tensor([1.0, 2.0, 0.5])
        )
    )
    out.append(F.cross_entropy(torch.randn(3), torch.tensor(1)))
    return out


@error(RuntimeError, r"Expected floating point type for target with class probabilities, got Long")
def cross_entropy_long_probs(torch):
    torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.ones(2, 3, dtype=torch.long))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)")
def cross_entropy_batch_mismatch(torch):
    torch.nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1]))


@error(
    ValueError,
    r"Using a target size \(torch.Size\(\[3\]\)\) that is different to the input size \(torch.Size\(\[3, 1\]\)\)",
)
def bce_size_mismatch(torch):
    torch.nn.functional.binary_cross_entropy(torch.rand(3, 1), torch.rand(3))


@program
def kl_div_reductions_and_log_target(torch):
    F = torch.nn.functional
    x = F.log_softmax(torch.randn(3, 4), 1)
    t = F.softmax(torch.randn(3, 4), 1)
    return [F.kl_div(x, t, reduction=r) for r in ("none", "sum", "batchmean", "mean")] + [
        F.kl_div(x, t.log(), reduction="batchmean", log_target=True),
        F.kl_div(torch.randn(4), torch.zeros(4)),
    ]


@program
def bce_with_logits_pos_weight_broadcast(torch):
    F = torch.nn.functional
    x = torch.randn(5, 3, requires_grad=True)
    t = torch.rand(5, 3)
    l = F.binary_cross_entropy_with_logits(
        x, t, pos_weight=torch.tensor([1.0, 2.0, 3.0]), weight=torch.rand(3)
    )
    l.backward()
    big = F.binary_cross_entropy_with_logits(
        torch.tensor([100.0, -100.0]), torch.tensor([0.0, 1.0])
    )
    return l, x.grad, big


@program
def bce_clamps_log(torch):
    F = torch.nn.functional
    x = torch.tensor([0.0, 1.0, 0.5], requires_grad=True)
    t = torch.tensor([1.0, 0.0, 1.0])
    l = F.binary_cross_entropy(x, t, reduction="none")
    l.sum().backward()
    return l, x.grad


@program
def ctc_and_poisson_and_gaussian_nll(torch):
    F = torch.nn.functional
    x = torch.randn(4, 5)
    t = torch.randn(4, 5)
    var = torch.rand(4, 5) + 0.1
    return [
        F.poisson_nll_loss(x, t.abs()),
        F.poisson_nll_loss(x.exp(), t.abs(), log_input=False, full=True),
        F.gaussian_nll_loss(x, t, var),
        F.gaussian_nll_loss(x, t, var[:, :1], full=True, reduction="sum"),
        F.gaussian_nll_loss(x, t, torch.rand(4) + 0.1),
    ]


@error(ValueError, r"var has negative entry/entries")
def gaussian_nll_negative_var(torch):
    torch.nn.functional.gaussian_nll_loss(torch.randn(2), torch.randn(2), -torch.ones(2))


@program
def margin_losses(torch):
    F = torch.nn.functional
    x1, x2 = torch.randn(4, 3), torch.randn(4, 3)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0])
    return [
        F.cosine_embedding_loss(x1, x2, y, margin=0.2),
        F.margin_ranking_loss(x1[:, 0], x2[:, 0], y, margin=0.1),
        F.hinge_embedding_loss(x1, torch.tensor([1.0, -1, 1]).expand(4, 3), margin=0.5),
        F.multilabel_margin_loss(x1, torch.tensor([[0, 2, -1], [1, -1, 0], [2, 1, 0], [-1, 0, 0]])),
        F.multilabel_soft_margin_loss(x1, (x2 > 0).float()),
        F.multi_margin_loss(
            x1, torch.tensor([0, 1, 2, 0]), p=2, margin=0.5, weight=torch.tensor([1.0, 2, 3])
        ),
        F.triplet_margin_loss(x1, x2, torch.randn(4, 3), swap=True),
        F.triplet_margin_with_distance_loss(x1, x2, torch.randn(4, 3), margin=0.3),
    ]


# ---- RNN argument checks ---------------------------------------------------------------------------
@error(
    ValueError,
    r"dropout should be a number in range \[0, 1\] representing the probability of an element being zeroed",
)
def rnn_bad_dropout(torch):
    torch.nn.LSTM(2, 3, dropout=1.5)


@error(TypeError, r"hidden_size should be of type int, got: float")
def rnn_float_hidden(torch):
    torch.nn.GRU(2, 3.0)


@error(ValueError, r"hidden_size must be greater than zero")
def rnn_zero_hidden(torch):
    torch.nn.RNN(2, 0)


@error(ValueError, r"num_layers must be greater than zero")
def rnn_zero_layers(torch):
    torch.nn.RNN(2, 3, num_layers=0)


@error(ValueError, r"proj_size should be a positive integer or zero to disable projections")
def lstm_negative_proj(torch):
    torch.nn.LSTM(2, 3, proj_size=-1)


@error(ValueError, r"proj_size has to be smaller than hidden_size")
def lstm_big_proj(torch):
    torch.nn.LSTM(2, 3, proj_size=3)


@error(ValueError, r"Unknown nonlinearity 'gelu'")
def rnn_bad_nonlinearity(torch):
    torch.nn.RNN(2, 3, nonlinearity="gelu")


@error(RuntimeError, r"input.size\(-1\) must be equal to input_size. Expected 2, got 3")
def rnn_input_size_mismatch(torch):
    torch.nn.GRU(2, 3)(torch.randn(4, 1, 3))


@error(RuntimeError, r"Expected hidden size \(1, 1, 3\), got \[1, 2, 3\]")
def rnn_hidden_size_mismatch(torch):
    torch.nn.RNN(2, 3)(torch.randn(4, 1, 2), torch.randn(1, 2, 3))


@error(RuntimeError, r"Expected hidden\[0\] size \(1, 2, 3\), got \[2, 2, 3\]")
def lstm_hidden0_mismatch(torch):
    torch.nn.LSTM(2, 3)(torch.randn(4, 2, 2), (torch.randn(2, 2, 3), torch.randn(1, 2, 3)))


@error(ValueError, r"LSTM: Expected input to be 2D or 3D, got 4D instead")
def lstm_4d_input(torch):
    torch.nn.LSTM(2, 3)(torch.randn(1, 4, 2, 2))


@error(RuntimeError, r"For unbatched 2-D input, hx should also be 2-D but got 3-D tensor")
def rnn_unbatched_3d_hx(torch):
    torch.nn.RNN(2, 3)(torch.randn(4, 2), torch.randn(1, 1, 3))


@program
def rnn_unbatched_and_batch_first(torch):
    nn = torch.nn
    out = []
    for cls in (nn.RNN, nn.GRU, nn.LSTM):
        m = cls(2, 3, num_layers=2, bidirectional=True)
        x = torch.randn(4, 2)
        y, h = m(x)
        out.append([y, h])
        mb = cls(2, 3, batch_first=True)
        y2, h2 = mb(torch.randn(5, 4, 2))
        out.append([y2.shape, h2[0].shape if isinstance(h2, tuple) else h2.shape])
    return out


@program
def rnn_cells_unbatched_and_errors(torch):
    nn = torch.nn
    out = []
    for cls in (nn.RNNCell, nn.GRUCell, nn.LSTMCell):
        c = cls(2, 3)
        out.append(c(torch.randn(2)))
        out.append(c(torch.randn(4, 2)))
    return out


@error(ValueError, r"RNNCell: Expected input to be 1D or 2D, got 3D instead")
def rnncell_3d(torch):
    torch.nn.RNNCell(2, 3)(torch.randn(1, 1, 2))


@error(RuntimeError, r"input has inconsistent input_size: got 3 expected 2")
def rnncell_bad_size(torch):
    torch.nn.RNNCell(2, 3)(torch.randn(1, 3))


@program
def lstm_proj_size_shapes(torch):
    m = torch.nn.LSTM(3, 5, proj_size=2, num_layers=2)
    y, (h, c) = m(torch.randn(4, 1, 3))
    return y.shape, h.shape, c.shape, [(n, p.shape) for n, p in m.named_parameters()]


@program
def rnn_flat_weights_and_all_weights(torch):
    m = torch.nn.GRU(2, 3, num_layers=2, bias=False)
    return m._flat_weights_names, [[p.shape for p in layer] for layer in m.all_weights], repr(m)


# ---- Transformer pieces ---------------------------------------------------------------------------
@program
def transformer_square_mask(torch):
    T = torch.nn.Transformer
    return T.generate_square_subsequent_mask(4), T.generate_square_subsequent_mask(
        3, dtype=torch.float64
    )


@error(AssertionError, r"embed_dim must be divisible by num_heads")
def encoder_layer_bad_heads(torch):
    torch.nn.TransformerEncoderLayer(6, 4)


@error(RuntimeError, r"activation should be relu/gelu, not tanh")
def encoder_layer_bad_activation(torch):
    torch.nn.TransformerEncoderLayer(4, 2, activation="tanh")


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def encoder_layer_variants(torch):
    nn = torch.nn
    out = []
    for norm_first in (False, True):
        for act in ("relu", "gelu", torch.nn.functional.silu):
            layer = nn.TransformerEncoderLayer(
                4,
                2,
                dim_feedforward=8,
                dropout=0.0,
                activation=act,
                norm_first=norm_first,
                batch_first=True,
            )
            x = torch.randn(2, 3, 4)
            mask = torch.tensor([[False, False, True], [False, False, False]])
            out.append(layer(x, src_key_padding_mask=mask))
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def decoder_and_transformer(torch):
    nn = torch.nn
    t = nn.Transformer(
        d_model=4,
        nhead=2,
        num_encoder_layers=1,
        num_decoder_layers=2,
        dim_feedforward=8,
        dropout=0.0,
    )
    src, tgt = torch.randn(5, 2, 4), torch.randn(3, 2, 4)
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    y = t(src, tgt, tgt_mask=mask, tgt_is_causal=True)
    y.sum().backward()
    return y, t.encoder.layers[0].linear1.weight.grad, len(list(t.parameters()))


@error(RuntimeError, r"the batch number of src and tgt must be equal")
def transformer_batch_mismatch(torch):
    t = torch.nn.Transformer(
        d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8
    )
    t(torch.randn(5, 2, 4), torch.randn(3, 3, 4))


@error(RuntimeError, r"the feature number of src and tgt must be equal to d_model")
def transformer_feature_mismatch(torch):
    t = torch.nn.Transformer(
        d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8
    )
    t(torch.randn(5, 2, 4), torch.randn(3, 2, 6))


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def encoder_with_norm_eval_padding(torch):
    nn = torch.nn
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0, batch_first=True)
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(4), enable_nested_tensor=False).eval()
    x = torch.randn(2, 3, 4)
    mask = torch.tensor([[False, False, True], [False, False, False]])
    with torch.no_grad():
        return enc(x, src_key_padding_mask=mask), enc(
            x, mask=nn.Transformer.generate_square_subsequent_mask(3), is_causal=True
        )


# ---- more of test_nn.py's module basics -------------------------------------------------------------
@program
def containers_tensor_index(torch):
    nn = torch.nn
    s = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid())
    s[torch.tensor(1, dtype=torch.int16)] = nn.ELU()
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])
    ml[torch.tensor(2, dtype=torch.int32)] = nn.GELU()
    pl = nn.ParameterList([nn.Parameter(torch.randn(2)) for _ in range(3)])
    pl[torch.tensor(0)] = nn.Parameter(torch.zeros(5))
    return (
        type(s[torch.tensor(1)]).__name__,
        type(ml[torch.tensor(2, dtype=torch.int64)]).__name__,
        pl[torch.tensor(0)].shape,
        [type(m).__name__ for m in s[::-1]],
        [type(m).__name__ for m in ml[::-1]],
        [tuple(p.shape) for p in pl[::-1]],
    )


@program
def sequential_named_setitem_keeps_names(torch):
    from collections import OrderedDict

    nn = torch.nn
    s = nn.Sequential(OrderedDict([("a", nn.ReLU()), ("b", nn.Tanh()), ("c", nn.ELU())]))
    s[0] = nn.GELU()
    s[-1] = nn.SiLU()
    p = s.pop(1)
    s.append(nn.Identity())
    s.insert(-2, nn.Mish())
    return list(s._modules), type(p).__name__, [type(m).__name__ for m in s]


@error(IndexError, r"Index out of range: -5")
def sequential_insert_negative_out_of_range(torch):
    nn = torch.nn
    nn.Sequential(nn.ReLU(), nn.ReLU(), nn.ReLU()).insert(-5, nn.ReLU())


@error(NotImplementedError, r"")
def modulelist_forward(torch):
    torch.nn.ModuleList([torch.nn.ReLU()])(torch.rand(1, 3))


@error(NotImplementedError, r"")
def moduledict_forward(torch):
    torch.nn.ModuleDict({"a": torch.nn.ReLU()})()


@error(TypeError, r"")
def moduledict_int_key(torch):
    torch.nn.ModuleDict()[1] = torch.nn.ReLU()


@error(TypeError, r"")
def modulelist_iadd_module(torch):
    ml = torch.nn.ModuleList()
    ml += torch.nn.ReLU()


@error(TypeError, r"")
def parameterlist_iadd_parameter(torch):
    pl = torch.nn.ParameterList()
    pl += torch.nn.Parameter(torch.randn(2))


@error(ValueError, r"")
def parameterdict_update_parameter(torch):
    torch.nn.ParameterDict().update(torch.nn.Parameter(torch.randn(3, 3)))


@error(TypeError, r"ParameterDict update sequence element #0 should be Iterable; isint")
def parameterdict_update_element_int(torch):
    torch.nn.ParameterDict().update([1])


@program
def moduledict_from_named_children_and_update_orders(torch):
    nn = torch.nn
    s = nn.Sequential(nn.ReLU(), nn.Tanh())
    md = nn.ModuleDict(s.named_children())
    md.update({"z": nn.ELU(), "b": nn.GELU()})
    pd = nn.ParameterDict()
    pd.update({"z": nn.Parameter(torch.ones(1)), "b": nn.Parameter(torch.ones(1))})
    pd.update([("y", torch.ones(1)), ("a", torch.ones(1))])
    return list(md), list(pd), [n for n, _ in pd.named_parameters()]


@program
def parameterdict_non_tensor_values(torch):
    nn = torch.nn
    pd = nn.ParameterDict({"a": torch.ones(2), "s": "text", "n": 3})
    return [type(v).__name__ for v in pd.values()], len(list(pd.parameters())), repr(pd)


@error(ValueError, r"training mode is expected to be boolean")
def train_invalid_mode(torch):
    torch.nn.Linear(2, 2).train("invalid_str")


@error(ValueError, r"training mode is expected to be boolean")
def sequential_train_device_mode(torch):
    torch.nn.Sequential(torch.nn.Linear(2, 2)).train(torch.device("cpu"))


@program
def dir_and_repr(torch):
    nn = torch.nn
    lin = nn.Linear(2, 2)
    lin._sub = nn.Linear(2, 2)
    lin._p = nn.Parameter(torch.empty(2))
    lin._b = nn.Buffer(torch.empty(2))
    keys = dir(lin)
    seq = nn.Sequential(nn.Linear(1, 1))
    return (
        [k in keys for k in ("_sub", "_p", "_b", "weight", "forward")],
        "0" in dir(seq),
        repr(nn.Sequential()),
        repr(nn.Linear(1, 1)),
        repr(seq),
        repr(nn.ModuleDict({"a": nn.ReLU(), "b": nn.Sequential(nn.Tanh())})),
    )


@program
def modules_and_named_modules_dedup(torch):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self, l, block):
            super().__init__()
            self.l1 = l
            self.l2 = l
            self.param = torch.empty(3, 5)
            self.block = block

    l = nn.Linear(2, 2)
    block = nn.Sequential()
    block.add_module("linear1", nn.Linear(2, 2))
    block.register_module("linear2", nn.Linear(2, 2))
    n = Net(l, block)
    s = nn.Sequential(n, n)
    return (
        [name for name, _ in s.named_modules()],
        [name for name, _ in s.named_modules(remove_duplicate=False)],
        len(list(s.modules())),
        [name for name, _ in s.named_modules(prefix="root")],
    )


@program
def named_children_dedup(torch):
    nn = torch.nn
    l1, l2 = nn.Linear(2, 2), nn.Linear(2, 2)
    s = nn.Sequential()
    s.add_module("layer1", l1)
    s.add_module("layer2", l2)
    s.add_module("layer3", l1)
    return [n for n, _ in s.named_children()], len(list(s.children()))


@program
def buffers_shared_and_non_persistent(torch):
    nn = torch.nn
    m = nn.Module()
    m.buffer1 = nn.Buffer(torch.empty(3, 5))
    m.buffer2 = m.buffer1
    out = [
        [n for n, _ in m.named_buffers()],
        [n for n, _ in m.named_buffers(remove_duplicate=False)],
    ]
    m2 = nn.Module()
    m2.buf = nn.Buffer(torch.rand(5), persistent=False)
    out.append([len(list(m2.buffers())), len(m2.state_dict())])
    m2.buf = nn.Buffer(torch.rand(5))
    out.append([len(list(m2.buffers())), len(m2.state_dict())])
    m2.buf = nn.Buffer(torch.rand(5), persistent=False)
    out.append([len(list(m2.buffers())), len(m2.state_dict())])
    m2.buf = None
    out.append([len(list(m2.buffers())), len(m2.state_dict())])
    m2.buf = torch.rand(5)
    out.append([len(list(m2.buffers())), len(m2.state_dict())])
    m2.buf = nn.Parameter(torch.rand(5))
    out.append([len(list(m2.buffers())), len(m2.state_dict()), len(list(m2.parameters()))])
    m3 = nn.Module()
    m3.buf = nn.Buffer(torch.rand(5), persistent=False)
    m3.load_state_dict({})
    del m3.buf
    out.append(len(list(m3.buffers())))
    return out


@program
def register_overwrite_same_name(torch):
    nn = torch.nn
    m = nn.Module()
    b1 = torch.rand(5)
    m.register_buffer("buf", b1)
    m.register_buffer("buf", b1 + 5)
    out = [m.buf]
    m.register_buffer("buf", None)
    out.append(m.buf)
    m.buf = nn.Buffer(b1)
    out.append(type(m.buf).__name__)
    p1 = nn.Parameter(torch.rand(5))
    m.register_parameter("p", p1)
    m.register_parameter("p", nn.Parameter(p1.data + 5))
    out.append(m.p)
    m.register_parameter("p", None)
    out.append(m.p)
    return out


@error(KeyError, r"attribute 'a' already exists")
def register_buffer_over_parameter(torch):
    m = torch.nn.Module()
    m.register_parameter("a", torch.nn.Parameter(torch.ones(1)))
    m.register_buffer("a", torch.rand(5))


@error(KeyError, r"attribute 'a' already exists")
def register_buffer_over_module(torch):
    m = torch.nn.Module()
    m.add_module("a", torch.nn.Module())
    m.register_buffer("a", torch.rand(5))


@error(KeyError, r"attribute 'a' already exists")
def register_parameter_over_buffer(torch):
    m = torch.nn.Module()
    m.a = torch.nn.Buffer(torch.rand(5))
    m.register_parameter("a", torch.nn.Parameter(torch.ones(1)))


@error(KeyError, r"attribute 'a' already exists")
def register_module_over_parameter(torch):
    m = torch.nn.Module()
    m.register_parameter("a", torch.nn.Parameter(torch.ones(1)))
    m.register_module("a", torch.nn.Module())


@error(KeyError, r"attribute 'a' already exists")
def assign_buffer_over_plain_attr(torch):
    m = torch.nn.Module()
    m.a = 5
    m.a = torch.nn.Buffer(torch.rand(5))


@error(TypeError, r"buffer name should be a string. Got NoneType")
def register_buffer_none_name(torch):
    torch.nn.Module().register_buffer(None, torch.rand(5))


@program
def get_buffer_parameter_submodule(torch):
    nn = torch.nn
    m = nn.Sequential(nn.BatchNorm1d(2))
    m.extra = nn.Buffer(torch.ones(2))
    return (
        m.get_buffer("0.running_mean"),
        m.get_buffer("extra"),
        m.get_parameter("0.weight"),
        type(m.get_submodule("0")).__name__,
        m.get_submodule("") is m,
    )


@error(AttributeError, r"`running_mean` is not an nn.Parameter")
def get_parameter_of_buffer(torch):
    torch.nn.Sequential(torch.nn.BatchNorm1d(2)).get_parameter("0.running_mean")


@error(AttributeError, r"`weight` is not a buffer")
def get_buffer_of_parameter(torch):
    torch.nn.Sequential(torch.nn.BatchNorm1d(2)).get_buffer("0.weight")


@error(AttributeError, r"BatchNorm1d has no attribute `nope`")
def get_submodule_missing(torch):
    torch.nn.Sequential(torch.nn.BatchNorm1d(2)).get_submodule("0.nope")


@error(AttributeError, r"`weight` is not an nn.Module")
def get_submodule_of_parameter(torch):
    torch.nn.Sequential(torch.nn.BatchNorm1d(2)).get_submodule("0.weight")


@program
def requires_grad_and_zero_grad(torch):
    nn = torch.nn
    m = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    out = [m.requires_grad_(False) is m, [p.requires_grad for p in m.parameters()]]
    m.requires_grad_()
    out.append([b.requires_grad for b in m.buffers()])
    x = torch.randn(4, 3)
    m(x).sum().backward()
    m.zero_grad(set_to_none=False)
    out.append([p.grad for p in m.parameters()])
    m.zero_grad()
    out.append([p.grad for p in m.parameters()])
    lin = nn.Linear(2, 2)
    lin.weight.requires_grad = False
    lin(torch.randn(1, 2)).sum().backward()
    lin.zero_grad()
    out.append([lin.weight.grad, lin.bias.grad])
    return out


@program
def module_to_and_type_conversions(torch):
    m = torch.nn.Linear(3, 5)
    out = [m.to("cpu") is m, m.to("cpu", dtype=torch.float32) is m]
    m.double()
    out.append(m.weight.dtype)
    m.to(torch.float16)
    out.append([m.weight.dtype, type(m.weight).__name__, m.weight.requires_grad])
    m.float()
    bn = torch.nn.BatchNorm1d(2).half()
    out.append([bn.running_mean.dtype, bn.num_batches_tracked.dtype])
    m.bfloat16()
    out.append(m.bias.dtype)
    m.to(torch.zeros(1, dtype=torch.float64))
    out.append(m.weight.dtype)
    m.type(torch.float32)
    out.append(m.weight.dtype)
    return out


@error(
    TypeError,
    r"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64",
)
def module_to_int_dtype(torch):
    torch.nn.Linear(2, 2).to(torch.int64)


@program
def no_grad_module_output(torch):
    m = torch.nn.Linear(2, 2)
    with torch.no_grad():
        y = m(torch.randn(3, 2))
    return y.requires_grad, y.grad_fn is None


@program
def module_dict_output_backward(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = torch.nn.Linear(3, 2)

        def forward(self, x):
            return {"output": self.l1(x).sum()}

    net = Net()
    out = net(torch.randn(4, 3))
    out["output"].backward()
    return net.l1.weight.grad, out


@program
def module_super_init_mixin(torch):
    class Mixin:
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.mixin_init = True

    class Before(Mixin, torch.nn.Module):
        pass

    class After(torch.nn.Module, Mixin):
        pass

    class AfterCalling(torch.nn.Module, Mixin):
        call_super_init = True

    return (
        hasattr(Before(), "mixin_init"),
        hasattr(After(), "mixin_init"),
        hasattr(AfterCalling(), "mixin_init"),
    )


@program
def module_call_super_init_class_flag_forwards_args(torch):
    class Mixin:
        def __init__(self, *a, **kw):
            self.got = (a, kw)

    class M(torch.nn.Module, Mixin):
        call_super_init = True

    m = M(1, k=2)
    return m.got, torch.nn.Module.call_super_init, list(m._parameters)


@error(TypeError, r"Module.__init__\(\) got an unexpected keyword argument 'bias'")
def module_init_unexpected_kwarg(torch):
    torch.nn.Module(bias=True)


@error(TypeError, r"Sub.__init__\(\) takes 1 positional argument but 3 were given")
def module_init_positional_args(torch):
    class Sub(torch.nn.Module):
        def __init__(self):
            super().__init__(1, 2)

    Sub()


@program
def buffer_reassigned_keeps_its_mark(torch):
    nn = torch.nn
    m = nn.Module()
    m.a = nn.Buffer(torch.ones(2), persistent=False)
    m.c = m.a
    m.p = nn.Buffer(torch.zeros(1))
    m.q = m.p
    other = nn.Module()
    other.b = m.a
    return (
        sorted(m._non_persistent_buffers_set),
        list(m._buffers),
        list(m.state_dict()),
        list(other._buffers),
        sorted(other._non_persistent_buffers_set),
        type(m.a).__name__,
    )


# ---- set_submodule, .to argument parsing, _apply, weight_norm on RNNs ------------------------------
@program
def set_submodule_paths(torch):
    nn = torch.nn
    a = nn.Module()
    a.set_submodule("net_b", nn.Module())
    a.set_submodule("net_b.net_c", nn.Module())
    a.set_submodule("net_b.net_c.conv", nn.Conv2d(1, 1, 1))
    a.set_submodule("net_b.net_c.conv", nn.Linear(1, 1), True)
    a.set_submodule("net_b.conv", nn.Linear(1, 2))
    a.set_submodule("0", nn.ReLU(), False)
    return [n for n, _ in a.named_modules()], type(a.get_submodule("net_b.net_c.conv")).__name__


@error(AttributeError, r"")
def set_submodule_strict_missing(torch):
    a = torch.nn.Module()
    a.set_submodule("b", torch.nn.Module())
    a.set_submodule("b.conv", torch.nn.ReLU(), True)


@error(ValueError, r"")
def set_submodule_empty_target(torch):
    torch.nn.Module().set_submodule("", torch.nn.ReLU())


@error(AttributeError, r"")
def set_submodule_missing_parent(torch):
    torch.nn.Module().set_submodule("a.l", torch.nn.ReLU())


@error(AttributeError, r"")
def set_submodule_over_plain_attr(torch):
    m = torch.nn.Module()
    m.foo = "bar"
    m.set_submodule("foo", torch.nn.ReLU())


@error(ValueError, r"")
def set_submodule_not_module(torch):
    m = torch.nn.Module()
    m.t = torch.nn.Module()
    m.t.l = torch.nn.Linear(1, 1)
    m.set_submodule("t.l", "bazz")


@error(TypeError, r"")
def module_to_device_positional_bool(torch):
    torch.nn.Sequential(torch.nn.Linear(3, 3)).to(torch.device("cpu"), True)


@error(TypeError, r"")
def module_to_long(torch):
    torch.nn.Sequential(torch.nn.Linear(3, 3)).to(torch.long)


@error(TypeError, r"")
def module_to_list(torch):
    torch.nn.Linear(3, 3).to([])


@error(TypeError, r"")
def module_to_device_dtype_long(torch):
    torch.nn.Linear(3, 3).to(torch.device("cpu"), dtype=torch.long, non_blocking=True)


@error(TypeError, r"")
def module_to_long_tensor(torch):
    torch.nn.Linear(3, 3).to(torch.tensor(3, dtype=torch.long), non_blocking=True)


@program
def rnn_nonlinearity_attr(torch):
    return torch.nn.RNN(1, 4).nonlinearity, torch.nn.RNN(2, 3, 1, "relu").nonlinearity


@error(RuntimeError, r"modified by an inplace operation")
def module_apply_inplace_bumps_version(torch):
    m = torch.nn.Linear(4, 3)
    pvm = m.weight.mul(m.weight)
    m._apply(lambda t: t.add_(1.0))
    pvm.backward(torch.randn(3, 4))


@program
def module_apply_inplace_version_grows(torch):
    m = torch.nn.Linear(4, 3)
    m.weight.grad = torch.randn(3, 4)
    v, gv = m.weight._version, m.weight.grad._version
    m._apply(lambda t: t.add_(1.0))
    return m.weight._version > v, m.weight.grad._version > gv, m.weight.grad


@program
def module_type_conversions_keep_int_buffers(torch):
    nn = torch.nn
    l = nn.Linear(3, 2)
    net = nn.Module()
    net.l = l
    net.l2 = l
    net.add_module("empty", None)
    net.indices = nn.Buffer(torch.zeros(1, dtype=torch.long))
    out = []
    for conv in (lambda: net.float(), lambda: net.double(), lambda: net.to(torch.half),
                 lambda: net.to(torch.device("cpu"), non_blocking=True), lambda: net.to(torch.zeros(1, dtype=torch.float64))):  # fmt: skip
        conv()
        out.append([l.weight.dtype, l.bias.dtype, net.indices.dtype])
    return out


@error(TypeError, r"cannot assign 'torch.FloatTensor' as parameter 'weight'")
def assign_non_leaf_as_parameter(torch):
    l1, l2 = torch.nn.Linear(3, 3), torch.nn.Linear(3, 3)
    l2.weight = l1.weight + 2


@program
def weight_norm_on_lstm_flat_weights(torch):
    u = torch.nn.utils
    out = []
    for lstm, name in ((torch.nn.LSTM(4, 4), "weight_ih_l0"), (torch.nn.LSTM(4, 4, proj_size=2), "weight_hr_l0")):  # fmt: skip
        lstm = u.weight_norm(lstm, name=name)
        out.append(sum(isinstance(p, torch.nn.Parameter) for p in lstm._flat_weights))
        y, _ = lstm(torch.randn(3, 1, 4))
        out.append(y.shape)
        lstm = u.remove_weight_norm(lstm, name=name)
        out.append(sum(isinstance(p, torch.nn.Parameter) for p in lstm._flat_weights))
        out.append(sorted(dict(lstm.named_parameters())))
    return out


@program(tol={"rtol": 1e-3, "atol": 1e-3})
def weight_norm_preserves_output_dtypes(torch):
    out = []
    for dtype in (torch.float32, torch.float64, torch.bfloat16):
        x = torch.randn(3, 4, dtype=dtype)
        m = torch.nn.Linear(4, 5).to(dtype=dtype)
        expected = m(x)
        m = torch.nn.utils.weight_norm(m)
        out.append([m.weight_v.shape, m.weight_g.shape, m.weight_g.dtype, (m(x) - expected).abs().max().float() < 0.05])  # fmt: skip
        m = torch.nn.utils.remove_weight_norm(m)
        out.append([hasattr(m, "weight_g"), hasattr(m, "weight_v")])
        m = torch.nn.utils.weight_norm(m, dim=1)
        out.append(m.weight_g.shape)
    torch.nn.utils.weight_norm(torch.nn.Linear(4, 5, dtype=torch.float16))
    return out


@program
def parameterlist_dict_pickle_and_weight_norm_pickle(torch):
    import pickle

    nn = torch.nn
    pl = pickle.loads(pickle.dumps(nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(2))])))  # fmt: skip
    pd = pickle.loads(pickle.dumps(nn.ParameterDict({"a": nn.Parameter(torch.ones(2))})))
    wn = pickle.loads(pickle.dumps(torch.nn.utils.weight_norm(nn.Linear(5, 7))))
    return list(pl), list(pd.items()), type(wn).__name__, sorted(dict(wn.named_parameters()))


@program
def spectral_norm_attributes_and_eval(torch):
    m = torch.nn.utils.spectral_norm(torch.nn.Linear(5, 7))
    out = [m.weight_u.shape, "weight_orig" in m._parameters, "weight_u" in m._buffers, "weight_v" in m._buffers]  # fmt: skip
    out += ["weight" in m._buffers, "weight" in m._parameters, m.weight_orig.stride() == m.weight.stride()]  # fmt: skip
    x = torch.randn(2, 5)
    u0 = m.weight_u.clone()
    y = m(x)
    out.append(torch.equal(u0, m.weight_u))
    g = torch.autograd.grad(y.sum(), m.weight_orig)
    out.append(g)
    m(x)
    last = m(x)
    m.eval()
    out.append([m(x), last])
    m = torch.nn.utils.remove_spectral_norm(m)
    out.append([hasattr(m, "weight_orig"), hasattr(m, "weight_u"), "weight" in m._parameters])
    return out


@error(
    TypeError, r"to\(\) received an invalid combination of arguments - got \(torch.device, bool\)"
)
def tensor_to_device_then_bool(torch):
    torch.ones(2).to(torch.device("cpu"), True)


@error(TypeError, r"to\(\) received an invalid combination of arguments - got \(NoneType, bool\)")
def tensor_to_none_then_bool(torch):
    torch.ones(2).to(None, True)


@error(TypeError, r"to\(\) received an invalid combination of arguments - got \(str, Tensor\)")
def tensor_to_device_then_tensor(torch):
    torch.ones(2).to("cpu", torch.tensor(3))


@program
def tensor_to_positional_overloads(torch):
    x = torch.ones(2)
    return [
        x.to("cpu", torch.float64, False, True).dtype,
        x.to(torch.int32, False, True).dtype,
        x.to(torch.zeros(1, dtype=torch.float16), False).dtype,
        x.to(None, torch.float64).dtype,
        x.to("cpu", None).dtype,
        x.to("cpu", torch.float32, False, True) is x,
        x.to(torch.float32, False, False) is x,
    ]


# ---- spectral norm state, threshold, pad, normalize, state_dict metadata, extra state ---------------
@program
def spectral_norm_state_dict_metadata_and_strict(torch):
    import copy

    snm = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5))
    inp = torch.randn(2, 3)
    for _ in range(3):
        snm(inp)
    sd = snm.state_dict()
    out = [sorted(sd), sd._metadata[""].get("spectral_norm.version")]
    sd2 = copy.deepcopy(sd)
    sd2["nonsense"] = torch.zeros(1)
    res = snm.load_state_dict(sd2, strict=False)
    out.append([res.missing_keys, res.unexpected_keys])
    del sd2["weight_u"]
    res = snm.load_state_dict(sd2, strict=False)
    out.append([res.missing_keys, res.unexpected_keys])
    with torch.no_grad():
        snm.eval()
        out.append(snm(inp))
    return out


@error(RuntimeError, r'Unexpected key\(s\) in state_dict: "nonsense"')
def spectral_norm_load_strict_unexpected(torch):
    snm = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5))
    sd = snm.state_dict()
    sd["nonsense"] = torch.zeros(1)
    snm.load_state_dict(sd)


@program
def spectral_norm_conv_transpose_dim(torch):
    m = torch.nn.utils.spectral_norm(torch.nn.ConvTranspose2d(3, 4, (2, 3)))
    x = m(torch.randn(1, 3, 4, 5))
    return x.shape, m.weight_u.shape, m.weight_orig[0, :, 0, 0].shape


@program
def spectral_norm_forward_matches_naive(torch):
    F = torch.nn.functional
    m = torch.nn.utils.spectral_norm(torch.nn.Linear(5, 7))
    w, u = m.weight_orig.detach().clone(), m.weight_u.clone()
    v = F.normalize(torch.mv(w.t(), u), dim=0, eps=1e-12)
    u = F.normalize(torch.mv(w, v), dim=0, eps=1e-12)
    x = torch.randn(3, 5)
    expected = F.linear(x, w / torch.dot(u, torch.mv(w, v)), m.bias)
    return m(x), expected


@program
def threshold_int_and_low_precision(torch):
    F = torch.nn.functional
    x = torch.tensor([-3, -2, -1, 0, 1, 2, 3])
    out = [F.threshold(x, 0, 99)]
    y = torch.randn(20)
    for dtype in (torch.bfloat16, torch.half):
        for th in (0, -0.5, 0.5, float("inf"), float("-inf"), float("nan")):
            out.append(F.threshold(y.to(dtype), th, 0).float())
    return out


@error(RuntimeError, r"")
def pad_scalar_error(torch):
    torch.nn.functional.pad(torch.tensor(0.0, requires_grad=True), (1, 1))


@program
def normalize_p_dims_and_scalar(torch):
    F = torch.nn.functional
    x = torch.randn(1, 3, 4, 4, dtype=torch.float64, requires_grad=True)
    a = F.normalize(x, p=1, dim=-1)
    b = F.normalize(x, p=2, dim=-2)
    s = torch.randn((), requires_grad=True)
    c = F.normalize(s, p=1, dim=-1)
    (a.sum() + b.sum() + c).backward()
    return a, b, c, x.grad, s.grad


@program
def state_dict_metadata_versions(torch):
    nn = torch.nn
    l = nn.Linear(5, 5)
    block = nn.Module()
    block.conv = nn.Conv2d(3, 3, 3, bias=False)
    net = nn.Module()
    net.linear1 = l
    net.linear2 = l
    net.bn = nn.BatchNorm2d(2)
    net.block = block
    net.add_module("empty", None)
    sd = net.state_dict()
    return (
        len(sd),
        sorted(sd._metadata),
        sd._metadata["bn"],
        sd._metadata[""],
        all(
            v.data_ptr() == net.get_parameter(k).data_ptr()
            if k in dict(net.named_parameters(remove_duplicate=False))
            else True
            for k, v in sd.items()
        ),  # fmt: skip
        type(sd).__name__,
    )


@program
def extra_state_roundtrip(torch):
    class Sub(torch.nn.Module):
        def __init__(self, foo):
            super().__init__()
            self.foo = foo

        def get_extra_state(self):
            return {"foo": self.foo}

        def set_extra_state(self, state):
            self.foo = state["foo"]

    class M(torch.nn.Module):
        def __init__(self, foo, bar):
            super().__init__()
            self.sub = Sub(foo)
            self.bar = bar

        def get_extra_state(self):
            return self.bar

        def set_extra_state(self, state):
            self.bar = state

    m, m2 = M(3, "something"), M(5, "else")
    m2.load_state_dict(m.state_dict())
    return list(m.state_dict().items()), m2.bar, m2.sub.foo


@error(RuntimeError, r"Unexpected key\(s\) in state_dict: \"_extra_state\"")
def extra_state_missing_setter(torch):
    class M(torch.nn.Module):
        def get_extra_state(self):
            return {"foo": 5}

    m = M()
    m.load_state_dict(m.state_dict())


@error(RuntimeError, r"Missing key\(s\) in state_dict: \"_extra_state\"")
def extra_state_missing_getter(torch):
    class M(torch.nn.Module):
        def set_extra_state(self, state):
            pass

    m = M()
    m.load_state_dict(m.state_dict())


@program
def assignment_orders_and_none_shadowing(torch):
    nn = torch.nn
    l = nn.Module()
    a, b, c = (nn.Parameter(torch.randn(n)) for n in (2, 3, 4))
    out = []
    l.a = None
    out.append(["a" in l.__dict__, l.a])
    l.a = a
    out.append(["a" in l.__dict__, [p.shape for p in l.parameters()]])
    l.b = None
    l.b = b
    l.a = None
    out.append([p.shape for p in l.parameters()])
    l.a = a
    out.append([p.shape for p in l.parameters()])
    l.a = c
    out.append([p.shape for p in l.parameters()])
    del l.a
    out.append(hasattr(l, "a"))
    l.a = a
    out.append([p.shape for p in l.parameters()])
    buf = nn.Buffer(torch.randn(3))
    l.buf = buf
    l.buf = None
    out.append(["buf" in l.__dict__, l.buf])
    l.buf = buf
    out.append(list(l.state_dict()))
    return out


@program
def deepcopy_module_independent(torch):
    import copy

    m = torch.nn.Sequential(torch.nn.Linear(4, 5))
    x = torch.randn(2, 4)
    cp = copy.deepcopy(m)
    same = torch.equal(m(x), cp(x))
    cp[0].weight.data[:] = 2
    return same, torch.equal(m(x), cp(x)), cp[0].weight.requires_grad, type(cp[0].weight).__name__


@program
def rnn_cells_zero_hidden_and_repeat(torch):
    nn = torch.nn
    x = torch.randn(3, 10)
    out = [c(x, torch.randn(3, 0)).shape for c in (nn.RNNCell(10, 0, nonlinearity="relu"), nn.RNNCell(10, 0), nn.GRUCell(10, 0))]  # fmt: skip
    for cls in (nn.RNNCell, nn.GRUCell):
        for bias in (True, False):
            cell = cls(4, 3, bias=bias)
            hx = torch.randn(2, 3)
            inp = torch.randn(2, 4)
            for _ in range(3):
                hx = cell(inp, hx)
            hx.sum().backward()
            out.append([hx, cell.weight_ih.grad])
    return out


@error(RuntimeError, r"")
def mse_loss_transposed_shapes(torch):
    torch.nn.functional.mse_loss(torch.randn(3, 5), torch.randn(5, 3))


@error(RuntimeError, r"")
def kl_div_transposed_shapes(torch):
    torch.nn.functional.kl_div(torch.randn(3, 5), torch.randn(5, 3))


@error(RuntimeError, r"")
def poisson_nll_transposed_shapes(torch):
    torch.nn.functional.poisson_nll_loss(torch.randn(3, 5), torch.randn(5, 3))


@program
def mse_loss_broadcast_warning(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loss = torch.nn.functional.mse_loss(torch.randn(10, 1), torch.randn(10))
    return loss, ["Please ensure they have the same size." in str(x.message) for x in w]


@program
def weighted_regression_losses(torch):
    F = torch.nn.functional
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    t = torch.tensor([1.5, 2.5, 3.5, 4.5])
    w = torch.tensor([1.0, 2.0, 3.0, 4.0])
    out = []
    for red in ("mean", "sum", "none"):
        out += [F.mse_loss(x, t, weight=w, reduction=red), F.l1_loss(x, t, weight=w, reduction=red)]
        out.append(F.huber_loss(x, t, weight=w, reduction=red, delta=0.3))
    return out


@program
def gaussian_nll_broadcasting_and_scalar_var(torch):
    F = torch.nn.functional
    x = torch.tensor([[0.5, 1.5, 2.5], [2.0, 4.0, 6.0]])
    tf = torch.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    tp = torch.tensor([[1.0, 2.0, 3.0]])
    vf = torch.tensor([[0.5, 0.5, 0.5], [1.5, 1.5, 1.5]])
    v1 = torch.tensor([[0.5], [1.5]])
    v2 = torch.tensor([0.5, 1.5])
    return [
        F.gaussian_nll_loss(x, tp, vf, reduction="none"),
        F.gaussian_nll_loss(x, tf, v1, reduction="none"),
        F.gaussian_nll_loss(x, tf, v2, reduction="none"),
        F.gaussian_nll_loss(x, tp, v1, reduction="none"),
        F.gaussian_nll_loss(x, tp, v2, reduction="none"),
        F.gaussian_nll_loss(x, tf, 0.5, reduction="none"),
        F.gaussian_nll_loss(x, tf, 0.5),
    ]


@error(ValueError, r"var is of incorrect size")
def gaussian_nll_bad_var_size(torch):
    torch.nn.functional.gaussian_nll_loss(torch.randn(3, 5), torch.randn(3, 5), torch.ones(3, 3))


@error(ValueError, r"var has negative entry/entries")
def gaussian_nll_negative_scalar_var(torch):
    torch.nn.functional.gaussian_nll_loss(torch.randn(3, 5), torch.randn(3, 5), -1.0)


@program
def kl_div_batchmean_modules(torch):
    F, nn = torch.nn.functional, torch.nn
    a = F.log_softmax(torch.randn(2, 5), 1)
    b = F.softmax(torch.randn(2, 5), 1)
    c = F.log_softmax(torch.randn(2, 5), 1)
    return [
        nn.KLDivLoss(reduction="batchmean")(a, b),
        nn.KLDivLoss(reduction="sum")(a, b) / 2,
        nn.KLDivLoss(reduction="batchmean", log_target=True)(a, c),
    ]


@error(RuntimeError, r"")
def ctc_float_input_lengths(torch):
    lp = torch.randn(50, 3, 15).log_softmax(2)
    targets = torch.randint(1, 15, (75,), dtype=torch.int)
    torch.nn.functional.ctc_loss(lp, targets, torch.tensor([50.0, 50.0, 50.0]), torch.tensor([30, 25, 20]))  # fmt: skip


@error(RuntimeError, r"")
def ctc_float_target_lengths(torch):
    lp = torch.randn(50, 3, 15).log_softmax(2)
    targets = torch.randint(1, 15, (75,), dtype=torch.int)
    torch.nn.functional.ctc_loss(lp, targets, torch.tensor([50, 50, 50]), torch.tensor([30.0, 25.0, 20.0]))  # fmt: skip


@error(RuntimeError, r"")
def ctc_length_checks(torch):
    lp = torch.randn(50, 3, 15).log_softmax(2)
    targets = torch.randint(1, 15, (3, 29), dtype=torch.int)
    torch.nn.functional.ctc_loss(lp, targets, [50, 50, 50], [30, 25, 20])


@error(RuntimeError, r"")
def ctc_negative_lengths(torch):
    lp = torch.randn(50, 3, 15).log_softmax(2)
    targets = torch.randint(1, 15, (3, 29), dtype=torch.int)
    torch.nn.functional.ctc_loss(lp, targets, [-1, -1, -1], [-1, -1, -1])


@program
def spectral_norm_loads_legacy_state_dict(torch):
    import copy

    snm = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5))
    inp = torch.randn(2, 3)
    for _ in range(3):
        snm(inp)
    ref = copy.deepcopy(snm.state_dict())
    legacy = copy.deepcopy(ref)
    del legacy._metadata[""]["spectral_norm"]
    del legacy["weight_v"]
    legacy["weight"] = snm.weight.detach().clone()
    snm = torch.nn.utils.spectral_norm(torch.nn.utils.remove_spectral_norm(snm))
    out = [list(snm.state_dict()._metadata[""]), str(snm.load_state_dict(legacy))]
    out.append(snm.weight_v)
    with torch.no_grad():
        snm.eval()
        out.append(snm(inp))
        snm.train()
        out.append(snm(inp))
    plain = dict(ref)  # no metadata: the current format is recognised
    out.append(str(snm.load_state_dict(plain, strict=False)))
    del plain["weight_u"]
    res = snm.load_state_dict(plain, strict=False)
    out.append([res.missing_keys, res.unexpected_keys])
    return out


@error(RuntimeError, r"Unexpected key in metadata\['spectral_norm'\]: weight.version")
def spectral_norm_metadata_twice(torch):
    m = torch.nn.Linear(3, 5)
    torch.nn.utils.spectral_norm(m)
    hook = next(iter(m._state_dict_hooks.values()))
    m._register_state_dict_hook(hook)
    m.state_dict()


# ---- CTC zero lengths, cell shape checks, Transformer decoder -------------------------------------
@program
def ctc_zero_lengths(torch):
    F = torch.nn.functional
    target = torch.randint(1, 20, (3, 2), dtype=torch.int)
    zeros = torch.zeros(3, dtype=torch.int)
    out = []
    for tl in (zeros, torch.ones(3, dtype=torch.int)):
        inp = torch.randn(1, 3, 20).log_softmax(2).requires_grad_()
        res = F.ctc_loss(inp, target, zeros, tl, reduction="none")
        res.sum().backward()
        out.append([res, inp.grad])
    return out


@program
def ctc_zero_infinity(torch):
    F = torch.nn.functional
    lp = torch.randn(10, 3, 6).log_softmax(2).requires_grad_()
    targets = torch.randint(1, 6, (3, 12), dtype=torch.long)
    res = F.ctc_loss(lp, targets, [10, 10, 10], [12, 4, 3], reduction="sum", zero_infinity=True)
    (g,) = torch.autograd.grad(res, lp)
    return res, g


@error(RuntimeError, r"")
def rnncell_hx_batch_broadcast(torch):
    torch.nn.RNNCell(4, 5)(torch.randn(3, 4), torch.randn(1, 5))


@error(RuntimeError, r"")
def grucell_hx_hidden_broadcast(torch):
    torch.nn.GRUCell(4, 5)(torch.randn(3, 4), torch.randn(3, 1))


@error(RuntimeError, r"")
def lstmcell_cx_batch_broadcast(torch):
    torch.nn.LSTMCell(4, 5)(torch.randn(3, 4), (torch.randn(3, 5), torch.randn(1, 5)))


@error(RuntimeError, r"")
def lstmcell_bad_hidden(torch):
    torch.nn.LSTMCell(4, 5)(torch.randn(3, 4), (torch.randn(3, 6), torch.randn(3, 5)))


@error(RuntimeError, r"")
def lstmcell_bad_input(torch):
    torch.nn.LSTMCell(4, 5)(torch.randn(3, 3), (torch.randn(3, 5), torch.randn(3, 5)))


@program
def lstm_cell_repeat_backward(torch):
    out = []
    for bias in (True, False):
        hx, cx = torch.randn(3, 5), torch.randn(3, 5)
        lstm = torch.nn.LSTMCell(4, 5, bias=bias)
        inp = torch.randn(3, 4)
        for _ in range(3):
            hx, cx = lstm(inp, (hx, cx))
        (hx + cx).sum().backward()
        out.append([hx, cx, lstm.weight_hh.grad])
    return out


def _cos_params(torch, model):
    for p in model.parameters():
        p.data.copy_(torch.cos(torch.arange(0, p.numel()).float().view(p.shape)))


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def transformer_decoder_layer_constant_weights(torch):
    out = []
    for batch_first in (False, True):
        for norm_first in (False, True):
            model = torch.nn.TransformerDecoderLayer(4, 2, 16, 0.0, batch_first=batch_first, norm_first=norm_first)  # fmt: skip
            _cos_params(torch, model)
            dec = torch.rand(3, 2, 4)
            mem = torch.rand(5, 2, 4)
            if batch_first:
                dec, mem = dec.transpose(0, 1), mem.transpose(0, 1)
            kpm = torch.zeros(2, 3) == 1
            kpm[0, 2] = True
            kpm[1, 1] = True
            mkpm = torch.zeros(2, 5) == 1
            mkpm[1, 4] = True
            out.append(model(dec, mem))
            out.append(model(dec, mem, tgt_key_padding_mask=kpm, memory_key_padding_mask=mkpm))
            out.append(model(dec, mem, tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(3), tgt_is_causal=True))  # fmt: skip
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def transformer_full_masks_double(torch):
    nn = torch.nn
    out = []
    for batch_first in (True, False):
        t = nn.Transformer(8, 2, 2, 1, 16, 0.0, batch_first=batch_first, dtype=torch.double)
        src = torch.randn((2, 5, 8) if batch_first else (5, 2, 8), dtype=torch.double)
        tgt = torch.randn((2, 3, 8) if batch_first else (3, 2, 8), dtype=torch.double)
        y = t(
            src,
            tgt,
            src_mask=t.generate_square_subsequent_mask(5).double(),
            tgt_mask=t.generate_square_subsequent_mask(3).double(),
            memory_mask=torch.randn(3, 5).double(),
            src_key_padding_mask=torch.tensor([[False] * 4 + [True], [False] * 5]),
            tgt_key_padding_mask=torch.tensor([[False, True, False], [False] * 3]),
            memory_key_padding_mask=torch.tensor([[False] * 5, [False, True] + [False] * 3]),
        )
        y.sum().backward()
        out.append([y, t.decoder.layers[0].multihead_attn.in_proj_weight.grad])
    return out


# ---- RNN hidden states, projections, packed variable lengths ----------------------------------------
@program(tol={"rtol": 1e-4, "atol": 1e-5})
def rnn_initial_hidden_zero_equals_default(torch):
    out = []
    for mode in ("RNN", "GRU", "LSTM"):
        rnn = getattr(torch.nn, mode)(5, 4, 2)
        x = torch.randn(3, 2, 5)
        h = torch.zeros(2, 2, 4)
        a = rnn(x, (h, h) if mode == "LSTM" else h)
        b = rnn(x)
        out.append([a, b])
    for bidir in (False, True):
        rnn = torch.nn.LSTM(5, 4, 2, bidirectional=bidir, proj_size=2)
        d = 2 if bidir else 1
        x = torch.randn(3, 2, 5)
        out.append([rnn(x, (torch.zeros(2 * d, 2, 2), torch.zeros(2 * d, 2, 4))), rnn(x)])
    return out


@error(ValueError, r"proj_size argument is only supported for LSTM, not RNN or GRU")
def proj_size_on_gru(torch):
    torch.nn.GRU(3, 4, 2, proj_size=2)


@error(ValueError, r"proj_size argument is only supported for LSTM, not RNN or GRU")
def proj_size_on_rnn(torch):
    torch.nn.RNN(3, 4, proj_size=2)


@program(tol={"rtol": 1e-7, "atol": 1e-9})
def rnn_packed_noncontig_double_backward_all(torch):
    ru = torch.nn.utils.rnn
    out = []
    for mode, proj in (("RNN", 0), ("GRU", 0), ("LSTM", 0), ("LSTM", 2)):
        for batch_first in (False, True):
            kw = {"proj_size": proj} if proj else {}
            rnn = getattr(torch.nn, mode)(4, 3, 2, bidirectional=True, batch_first=batch_first, **kw).double()  # fmt: skip
            x = torch.randn(5, 4, 4, dtype=torch.double)
            x = torch.stack([x.clone().zero_(), x], 3).select(3, 1)  # non-contiguous
            if batch_first:
                x = x.transpose(0, 1)
            x.requires_grad_()
            packed = ru.pack_padded_sequence(x, torch.tensor([5, 3, 3, 1]), batch_first=batch_first)
            hsize = proj or 3
            h0 = torch.randn(4, 4, hsize, dtype=torch.double, requires_grad=True)
            hx = (h0, torch.randn(4, 4, 3, dtype=torch.double)) if mode == "LSTM" else h0
            y, hy = rnn(packed, hx)
            hy = hy[0] if mode == "LSTM" else hy
            torch.autograd.backward([y.data, hy], [torch.ones_like(y.data), torch.ones_like(hy)])
            out.append([y.data, hy, x.grad, h0.grad, rnn.all_weights[0][0].grad])
    return out


# ---- RNN dropout / zero sizes, in-place activations, pixel shuffle ----------------------------------
@program
def rnn_dropout_constant_weights(torch):
    out = []
    for p in (0, 1):
        for train in (True, False):
            rnn = torch.nn.RNN(10, 50, 2, bias=False, dropout=p, nonlinearity="relu")
            rnn.train(train)
            for w in rnn.parameters():
                w.data.fill_(1)
            y, hy = rnn(torch.ones(1, 1, 10), torch.zeros(2, 1, 50))
            out.append([y.min(), y.max(), hy[0, 0, 0], hy[1, 0, 0]])
    return out


@error(RuntimeError, r"Expected sequence length to be larger than 0 in RNN")
def rnn_seq_len_zero(torch):
    torch.nn.LSTM(5, 6, bidirectional=True)(torch.ones(0, 10, 5))


@program
def rnn_batch_size_zero(torch):
    out = []
    for mode in ("RNN", "LSTM", "GRU"):
        rnn = getattr(torch.nn, mode)(input_size=3, hidden_size=4)
        y, _ = rnn(torch.zeros((5, 0, 3)))
        y.sum().backward()
        out.append([y.shape, rnn.weight_ih_l0.grad])
    return out


@program
def rnn_partial_flat_weights_reassigned(torch):
    m = torch.nn.LSTM(4, 3, 2)
    x = torch.randn(3, 2, 4)
    expected = m(x)[0]
    w = m.weight_hh_l0
    del m.weight_hh_l0
    had = hasattr(m, "weight_hh_l0")
    m.float()
    m.weight_hh_l0 = w
    return had, m(x)[0], expected


@program
def rnn_change_dropout_attribute(torch):
    rnn = torch.nn.RNN(6, 6, 2, dropout=0, nonlinearity="relu")
    x = torch.rand(3, 2, 6)
    out = []
    for p in (0, 1, 0):
        rnn.dropout = p
        out.append(rnn(x))
    rnn.eval()
    rnn.dropout = 0.5
    out.append(rnn(x))
    return out


@program
def inplace_activations_keep_grad_output(torch):
    nn = torch.nn
    out = []
    for mod in (nn.ReLU, nn.ELU, nn.SELU, nn.CELU, nn.Hardtanh, nn.LeakyReLU, nn.SiLU, nn.Hardswish, nn.ReLU6):  # fmt: skip
        x = torch.randn(5, 5, requires_grad=True)
        y = mod(inplace=True)(x + 0)
        g = torch.randn(5, 5)
        g0 = g.clone()
        y.backward(g)
        out.append([torch.equal(g, g0), x.grad])
    return out


@program
def inplace_activation_on_view(torch):
    F = torch.nn.functional
    out = []
    for fn in (F.elu, F.relu, F.leaky_relu, F.hardtanh, F.celu, F.selu):
        v = torch.tensor([1.0, -1.0, 1.0, -1.0], requires_grad=True, dtype=torch.double)
        x = v.clone()
        view = x.narrow(0, 1, 2)
        res = fn(view, inplace=True)
        (g,) = torch.autograd.grad((x * x).sum(), v, create_graph=True)
        (gg,) = torch.autograd.grad(g.sum(), v)
        out.append([res is view, x, g, gg, view._version])
    return out


@program
def prelu_input_without_grad(torch):
    m = torch.nn.PReLU()
    x = torch.randn(2, 3, 4, 5)
    m(x).mean().backward()
    return x.grad, m.weight.grad


@program
def pixel_shuffle_roundtrip_dims(torch):
    out = []
    for shape in ((8, 3, 4), (2, 8, 3, 4), (1, 2, 8, 3, 4)):
        x = torch.rand(*shape, requires_grad=True)
        y = torch.nn.PixelShuffle(2)(x)
        y.backward(y.detach())
        back = torch.nn.PixelUnshuffle(downscale_factor=2)(y)
        out.append([y, torch.equal(x.grad, x.detach()), torch.equal(back, x)])
    x = torch.randn(3, 18, 4, 4).contiguous(memory_format=torch.channels_last).requires_grad_()
    y = torch.nn.PixelUnshuffle(3)(torch.nn.PixelShuffle(3)(x))
    y.backward(torch.ones_like(y))
    out.append([y.is_contiguous(memory_format=torch.channels_last), torch.equal(y, x), y.stride()])
    out.append(torch.nn.functional.pixel_shuffle(x, 3).stride())
    out.append(y.grad_fn.name())
    return out


@error(
    RuntimeError,
    r"pixel_shuffle expects its input to have 4 or more dimensions|at least 3 dimensions",
)
def pixel_shuffle_2d(torch):
    torch.nn.PixelShuffle(2)(torch.rand(4, 4))


@error(
    RuntimeError,
    r"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor",
)
def pixel_shuffle_channels(torch):
    torch.nn.PixelShuffle(2)(torch.rand(5, 4, 4))


@error(RuntimeError, r"pixel_shuffle expects a positive upscale_factor, but got 0")
def pixel_shuffle_zero_factor(torch):
    torch.nn.PixelShuffle(0)(torch.rand(4, 4, 4))


@error(RuntimeError, r"pixel_unshuffle expects height to be divisible by downscale_factor")
def pixel_unshuffle_height(torch):
    torch.nn.PixelUnshuffle(2)(torch.rand(1, 5, 4))


@error(RuntimeError, r"pixel_unshuffle expects width to be divisible by downscale_factor")
def pixel_unshuffle_width(torch):
    torch.nn.PixelUnshuffle(2)(torch.rand(1, 4, 5))


@error(RuntimeError, r"pixel_unshuffle expects a positive downscale_factor, but got -2")
def pixel_unshuffle_negative_factor(torch):
    torch.nn.PixelUnshuffle(-2)(torch.rand(1, 4, 4))


@program
def inplace_activation_node_names(torch):
    F = torch.nn.functional
    out = []
    calls = (
        lambda x: F.elu(x, inplace=True),
        lambda x: F.selu(x, inplace=True),
        lambda x: F.celu(x, 0.5, inplace=True),
        lambda x: F.leaky_relu(x, 0.2, inplace=True),
        lambda x: F.threshold(x, 0.1, 20.0, inplace=True),
        lambda x: F.elu_(x),
        lambda x: F.leaky_relu_(x),
        lambda x: F.threshold_(x, 0.0, -1.0),
        lambda x: F.elu(x),
        lambda x: F.threshold(x, 0.1, 20.0),
    )
    for call in calls:
        x = torch.randn(6, requires_grad=True)
        y = call(x * 1)
        y.backward(torch.arange(6.0))
        out.append([y.grad_fn.name(), y, x.grad])
        with torch.no_grad():
            z = x * 1
            call(z)
        out.append([z.grad_fn, z])
    return out


# ---- BCE family, hardtanh, batchnorm memory formats --------------------------------------------------
@program
def bce_family_edge_cases(torch):
    nn = torch.nn
    out = [nn.BCELoss()(torch.ones(5), torch.ones(5)), nn.BCELoss()(torch.zeros(5), torch.zeros(5))]
    target, output = torch.rand(16, 4), torch.rand(16, 4) - 0.5
    w = torch.rand(4)
    out.append([nn.BCEWithLogitsLoss(w)(output, target), nn.BCELoss(w)(torch.sigmoid(output), target)])  # fmt: skip
    out.append(nn.BCEWithLogitsLoss(w.expand(16, 4).contiguous())(output, target))
    w1 = torch.rand(16, 1)
    out.append([nn.BCEWithLogitsLoss(w1)(output, target), nn.BCELoss(w1)(torch.sigmoid(output), target)])  # fmt: skip
    t0, o0 = torch.zeros(4, 1), torch.full((4, 1), -100.0)
    out.append([nn.BCEWithLogitsLoss(reduction="none")(o0, t0), nn.BCELoss(reduction="none")(torch.sigmoid(o0), t0)])  # fmt: skip
    pw = torch.rand(4)
    out.append([nn.BCEWithLogitsLoss(pos_weight=p)(output, target) for p in (pw, pw.expand(1, 4), pw.expand(16, 4))])  # fmt: skip
    out.append(nn.BCEWithLogitsLoss(pos_weight=torch.ones(16, 4))(output, target))
    stable = torch.tensor([0.0, -120.0])
    out.append([nn.BCEWithLogitsLoss()(stable, torch.tensor([0.0, 1.0])), nn.BCEWithLogitsLoss(pos_weight=torch.ones(2))(stable, torch.tensor([0.0, 1.0]))])  # fmt: skip
    for pos in (None, torch.ones(3, 1)):
        z = torch.zeros(3, 1, requires_grad=True)
        nn.BCEWithLogitsLoss(pos_weight=pos, reduction="sum")(z, torch.zeros(3, 1)).backward()
        out.append(z.grad)
    return out


@error(
    ValueError,
    r"Target size \(torch.Size\(\[5\]\)\) must be the same as input size \(torch.Size\(\[5, 1\]\)\)",
)
def bce_with_logits_size_mismatch(torch):
    torch.nn.BCEWithLogitsLoss()(torch.rand(5, 1), torch.rand(5))


@error(
    ValueError,
    r"Target size \(torch.Size\(\[5, 1\]\)\) must be the same as input size \(torch.Size\(\[5\]\)\)",
)
def bce_with_logits_size_mismatch_2(torch):
    torch.nn.BCEWithLogitsLoss()(torch.rand(5), torch.rand(5, 1))


@error(RuntimeError, r"all elements of input should be between 0 and 1")
def bce_input_out_of_range(torch):
    torch.nn.BCELoss()(torch.rand(5, 5) + 1.0, torch.rand(5, 5))


@error(ValueError, r"Using a target size \(")
def bce_target_size_mismatch(torch):
    torch.nn.BCELoss()(torch.rand(25), torch.rand(25, 1))


@program
def bce_with_logits_grads_match_sigmoid_bce(torch):
    nn = torch.nn
    out = []
    for reduction in ("none", "mean", "sum"):
        a = (torch.rand(8, 6) - 0.5).requires_grad_()
        b = a.detach().clone().requires_grad_()
        target, w = torch.rand(8, 6), torch.rand(6)
        ls = nn.BCELoss(w, reduction=reduction)(torch.sigmoid(a), target)
        ll = nn.BCEWithLogitsLoss(w, reduction=reduction)(b, target)
        g = torch.rand(8, 6) if reduction == "none" else None
        ls.backward(g)
        ll.backward(g)
        out.append([ls, ll, a.grad, b.grad])
    return out


@program
def hardtanh_inplace_and_backward_mask(torch):
    F = torch.nn.functional
    v = torch.randn(8, requires_grad=True, dtype=torch.double)
    y = F.hardtanh(v.clone(), inplace=True)
    (g,) = torch.autograd.grad(y.pow(2).sum(), v, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), v)
    x = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
    F.hardtanh(x).backward(torch.arange(7.0))
    return y, g, gg, x.grad, y.grad_fn.name()


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def batchnorm_channels_last_and_noncontig(torch):
    nn = torch.nn
    out = []
    for mod, size, fmt in ((nn.BatchNorm2d, (4, 3, 5, 5), torch.channels_last), (nn.BatchNorm2d, (4, 1, 3, 3), torch.channels_last), (nn.BatchNorm3d, (2, 3, 2, 3, 3), torch.channels_last_3d)):  # fmt: skip
        x = torch.randn(size).contiguous(memory_format=fmt).requires_grad_()
        bn = mod(size[1])
        bn.weight.data.uniform_()
        y = bn(x)
        y.backward(torch.randn(size).contiguous(memory_format=fmt))
        out.append([y, y.is_contiguous(memory_format=fmt), x.grad, bn.weight.grad, bn.running_var])
    x = torch.arange(6, dtype=torch.float).reshape(1, 3, 2, 1).permute(0, 2, 1, 3)
    bn = nn.BatchNorm2d(2).eval()
    y = bn(x)
    out.append([y, y.is_contiguous(memory_format=torch.channels_last)])
    return out


# ---- pdist, cosine embedding, kl_div dtypes, pointwise loss broadcasting ----------------------------
@program(tol={"rtol": 1e-7, "atol": 1e-9})
def pdist_norms_zero_rows_and_empty(torch):
    F = torch.nn.functional
    out = []
    base = torch.randn(4, 5, dtype=torch.double)
    for x0 in (base, base.t().contiguous().t(), torch.randn(1, 3, dtype=torch.double).repeat(2, 1)):  # fmt: skip
        for p in (0, 1, 2, 0.5, 1.5, float("inf")):
            x = x0.clone().requires_grad_()
            d = F.pdist(x, p)
            d.sum().backward()
            out.append([d, x.grad])
    for shape in ((1, 3), (4, 0)):
        x = torch.randn(*shape, dtype=torch.double, requires_grad=True)
        d = F.pdist(x)
        d.sum().backward()
        out.append([d, x.grad])
    return out


@program
def cosine_embedding_mixed_dtypes(torch):
    F = torch.nn.functional
    a = torch.tensor([[2, 3, 4], [6, 2, 4]], dtype=torch.double)
    b = torch.tensor([[2, 3, 5], [3, 2, 1]], dtype=torch.double)
    t = torch.tensor([1, -1], dtype=torch.int)
    out = []
    for d1, d2, d3 in ((torch.float32, torch.int64, torch.int8), (torch.int32, torch.float64, torch.float32), (torch.int16, torch.int16, torch.int64)):  # fmt: skip
        out.append(F.cosine_embedding_loss(a.to(d1), b.to(d2), t.to(d3)).item())
    return out


@error(RuntimeError, r"expects 2D")
def cosine_embedding_bad_dims(torch):
    F = torch.nn.functional
    F.cosine_embedding_loss(torch.empty(0, 0, dtype=torch.double), torch.empty(0, dtype=torch.double), torch.empty(0, dtype=torch.int))  # fmt: skip


@error(RuntimeError, r"must match the size")
def cosine_embedding_nonexpandable(torch):
    F = torch.nn.functional
    F.cosine_embedding_loss(torch.empty(1, 5), torch.empty(1, 6), torch.ones(1, dtype=torch.int))


@error(RuntimeError, r"1D target tensor expected, multi-target not supported")
def cosine_embedding_2d_target(torch):
    torch.nn.functional.cosine_embedding_loss(torch.randn(15, 10), torch.randn(15, 10), torch.randn(15, 1).sign())  # fmt: skip


@error(
    RuntimeError,
    r"1D target tensor expects 2D input tensors, but found inputs with sizes \[10\] and \[10\]",
)
def cosine_embedding_1d_inputs(torch):
    torch.nn.functional.cosine_embedding_loss(torch.randn(10), torch.randn(10), torch.randn(10))


@error(
    RuntimeError,
    r"0D target tensor expects 1D input tensors, but found inputs with sizes \[2, 5\] and \[2, 5\]",
)
def cosine_embedding_0d_target(torch):
    torch.nn.functional.cosine_embedding_loss(torch.randn(2, 5), torch.randn(2, 5), torch.randn(()))


@program
def kl_div_mixed_dtypes(torch):
    F = torch.nn.functional
    x = torch.tensor([[2, 3, 5], [3, 2, 1]], dtype=torch.double)
    t = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.double)
    out = []
    for di in (torch.float32, torch.float64, torch.float16):
        for dt in (torch.float32, torch.float64):
            out.append(F.kl_div(x.to(di), t.to(dt)).float())
            out.append(F.kl_div(x.to(di), t.log().to(dt), log_target=True).float())
    a = torch.tensor([[1.0, 2, 3], [5.0, 5, 5]])
    out.append(F.kl_div(F.log_softmax(a, 1), F.log_softmax(a, 1), reduction="none", log_target=True))  # fmt: skip
    return out


@program(tol={"rtol": 1e-7, "atol": 1e-9})
def margin_and_triplet_no_reduce(torch):
    F = torch.nn.functional
    a, b = torch.randn(15, 10, dtype=torch.double), torch.randn(15, 10, dtype=torch.double)
    t = torch.randn(15, dtype=torch.double).sign()
    x1, x2 = (torch.randn(15, dtype=torch.double) * 10).requires_grad_(), (torch.randn(15, dtype=torch.double) * 10).requires_grad_()  # fmt: skip
    out = [F.cosine_embedding_loss(a, b, t, reduction="none"), F.cosine_embedding_loss(a, b, t, margin=0.5, reduction="none")]  # fmt: skip
    m = F.margin_ranking_loss(x1, x2, t, margin=0.5, reduction="none")
    m.sum().backward()
    out += [m, x1.grad, x2.grad]
    c = torch.randn(5, 10, dtype=torch.double)
    for swap in (False, True):
        for red in ("mean", "none"):
            out.append(F.triplet_margin_loss(a[:5], b[:5], c, swap=swap, reduction=red))
    return out


@program(tol={"rtol": 1e-7, "atol": 1e-9})
def pointwise_losses_broadcast_and_target_grad(torch):
    F = torch.nn.functional
    out = []
    i = torch.randn(2, 1, dtype=torch.double, requires_grad=True)
    for fn in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss):
        for rg in (True, False):
            t = torch.randn(2, 10, dtype=torch.double, requires_grad=rg)
            for red in ("none", "mean", "sum"):
                loss = fn(i, t, reduction=red)
                grads = torch.autograd.grad(loss.sum(), [i, t] if rg else [i])
                out.append([loss, grads])
    x = torch.randn(5, 10)
    tt = torch.randn(5, 10, requires_grad=True)
    out.append([F.mse_loss(x, tt, reduction="none").shape, F.l1_loss(x, tt, reduction="none").requires_grad])  # fmt: skip
    return out


@program
def smooth_l1_integral_target(torch):
    F = torch.nn.functional
    out = []
    for dtype in (torch.uint8, torch.int8, torch.int32, torch.int64):
        for red in ("none", "sum", "mean"):
            x = torch.randn(2, 2, requires_grad=True)
            t = torch.randint(0, 9, (2, 2), dtype=dtype)
            F.smooth_l1_loss(x, t, reduction=red, beta=0.5).sum().backward()
            out.append(x.grad)
    return out


@error(RuntimeError, r"smooth_l1_loss does not support negative values for beta.")
def smooth_l1_negative_beta(torch):
    torch.nn.functional.smooth_l1_loss(torch.randn(2, 2), torch.randn(2, 2), beta=-1.0)


@error(RuntimeError, r"huber_loss does not support non-positive values for delta.")
def huber_zero_delta(torch):
    torch.nn.HuberLoss(delta=0)(torch.randn(2, 2), torch.randn(2, 2))


@error(RuntimeError, r"huber_loss does not support non-positive values for delta.")
def huber_negative_delta(torch):
    torch.nn.HuberLoss(delta=-1)(torch.randn(2, 2), torch.randn(2, 2))


# ---- cosine_similarity, grid_sample / affine_grid checks --------------------------------------------
@program
def cosine_similarity_edge_cases(torch):
    F = torch.nn.functional
    a = torch.randn(1, 3, 2, 1, requires_grad=True)
    out = [F.cosine_similarity(a, torch.randn(1, 3, 2, 1), dim=1).shape]
    v = torch.arange(84.0).unsqueeze(0)
    out.append(F.cosine_similarity(v, v) <= 1.0)
    x = torch.randn(10).requires_grad_()
    z = torch.zeros_like(x).requires_grad_()
    torch.cosine_similarity(x, z, 0).sum().backward()
    out += [x.grad, z.grad]
    t = torch.tensor(12.0)
    out.append(F.cosine_similarity(t.to(torch.int8), t, dim=-1))
    out.append(F.cosine_similarity(torch.ones(2, 3), torch.ones(1, 1)))
    out.append(F.cosine_similarity(torch.ones(2, 3), torch.ones(1)))
    return out


@error(ValueError, r"but got: 'garbage'")
def grid_sample_bad_mode(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 2, 2), torch.empty(1, 1, 1, 2), mode="garbage", align_corners=False)  # fmt: skip


@error(ValueError, r"but got: 'garbage'")
def grid_sample_bad_padding(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 2, 2), torch.empty(1, 1, 1, 2), padding_mode="garbage", align_corners=False)  # fmt: skip


@error(RuntimeError, r"expected grid to have size 1 in last dimension")
def grid_sample_3d_input(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 2, 2), torch.empty(1, 1, 1, 2), align_corners=False)  # fmt: skip


@error(RuntimeError, r"expected grid to have size 2 in last dimension")
def grid_sample_5d_grid(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 2, 2), torch.empty(1, 1, 1, 1, 3), align_corners=False)  # fmt: skip


@error(RuntimeError, r"expected grid and input to have same batch size")
def grid_sample_batch(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 2, 2), torch.empty(2, 1, 1, 2), align_corners=False)  # fmt: skip


@error(RuntimeError, r"expected grid to have size 2 in last dimension")
def grid_sample_grid_last(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 2, 2), torch.empty(1, 1, 1, 3), align_corners=False)  # fmt: skip


@error(RuntimeError, r"expected input to have non-empty spatial dimensions")
def grid_sample_empty_spatial(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 0, 2), torch.empty(1, 1, 1, 2), align_corners=False)  # fmt: skip


@error(RuntimeError, r"bicubic interpolation only supports 4D input")
def grid_sample_bicubic_5d(torch):
    torch.nn.functional.grid_sample(torch.empty(1, 1, 2, 2, 2), torch.empty(1, 1, 1, 1, 3), mode="bicubic")  # fmt: skip


@program
def affine_grid_warnings(torch):
    import warnings

    F = torch.nn.functional
    out = []
    for theta, size in ((torch.zeros(1, 2, 3, dtype=torch.double), [1, 1, 2, 1]), (torch.zeros(1, 3, 4, dtype=torch.double), [1, 1, 3, 2, 1])):  # fmt: skip
        for ac in (False, True):
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                F.affine_grid(theta, torch.Size(size), align_corners=ac)
            out.append("See the documentation of affine_grid for details." in " ".join(map(str, w)))
    return out


@error(ValueError, r"Expected theta to have floating point type")
def affine_grid_int_theta(torch):
    torch.nn.functional.affine_grid(torch.zeros(1, 2, 3, dtype=torch.int32), torch.Size([1, 1, 2, 2]), align_corners=False)  # fmt: skip


@error(ValueError, r"Expected a batch of 2D affine matrices of shape Nx2x3")
def affine_grid_bad_2d(torch):
    torch.nn.functional.affine_grid(torch.zeros(1, 2, 6), torch.Size([1, 1, 2, 2]), align_corners=False)  # fmt: skip


@error(ValueError, r"Expected a batch of 3D affine matrices of shape Nx3x4")
def affine_grid_bad_3d(torch):
    torch.nn.functional.affine_grid(torch.zeros(3, 4), torch.Size([1, 1, 2, 2, 2]), align_corners=False)  # fmt: skip


@error(NotImplementedError, r"affine_grid only supports 4D and 5D sizes")
def affine_grid_bad_size(torch):
    torch.nn.functional.affine_grid(torch.zeros(1, 3, 4), torch.Size([1, 2, 2]), align_corners=False)  # fmt: skip


@program
def affine_grid_backward_channels_last_grad(torch):
    out = []
    for nd in (2, 3):
        theta = torch.rand(3, nd, nd + 1, requires_grad=True)
        size = [3, 2, 4, 5] if nd == 2 else [3, 2, 4, 5, 5]
        grid = torch.nn.functional.affine_grid(theta, size, align_corners=False)
        g = torch.rand(grid.shape)
        fmt = torch.channels_last if nd == 2 else torch.channels_last_3d
        grid.backward(g.contiguous(memory_format=fmt), retain_graph=True)
        a = theta.grad.clone()
        theta.grad.zero_()
        grid.backward(g)
        out.append([a, theta.grad])
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def grid_sample_permuted_grids(torch):
    F = torch.nn.functional
    out = []
    for mode, pad, ac in (("bilinear", "zeros", False), ("nearest", "border", True), ("bicubic", "reflection", False)):  # fmt: skip
        for order in ((0, 1, 2, 3), (0, 3, 1, 2), (3, 0, 1, 2)):
            init = [[2, 3, 4, 2][d] for d in order]
            inv = [order.index(i) for i in range(4)]
            grid = (torch.rand(init) * 2.4 - 1.2).permute(inv).requires_grad_()
            inp = torch.randn(3, 2, 4, 5).transpose(0, 1).requires_grad_()
            y = F.grid_sample(inp, grid, mode=mode, padding_mode=pad, align_corners=ac)
            y.backward(torch.ones_like(y))
            out.append([y, inp.grad, grid.grad])
    return out


@error(RuntimeError, r"expected common dtype to be floating point, yet common dtype is Long")
def cosine_similarity_integer_inputs(torch):
    torch.nn.functional.cosine_similarity(torch.ones(3, dtype=torch.int64), torch.ones(3, dtype=torch.int32), dim=0)  # fmt: skip


# ---- affine_grid known values, channel shuffle, linear upsampling -----------------------------------
@program
def affine_grid_known_values_and_grads(torch):
    F = torch.nn.functional
    out = []
    for theta, size in ((torch.arange(1.0, 7).view(1, 2, 3), [1, 1, 2, 2]), (torch.arange(1.0, 13).view(1, 3, 4), [1, 1, 2, 2, 2])):  # fmt: skip
        for ac in (True, False):
            t = theta.double().requires_grad_()
            g = F.affine_grid(t, torch.Size(size), align_corners=ac)
            g.backward(torch.ones_like(g))
            out.append([g, t.grad])
    return out


@program
def channel_shuffle_empty_and_values(torch):
    x0 = torch.rand(0, 9, 4, 4)
    y0 = torch.nn.ChannelShuffle(3)(x0)
    x = torch.arange(24.0).view(1, 6, 2, 2)
    return y0.shape, torch.nn.ChannelShuffle(3)(x), torch.native_channel_shuffle(x, 2)


@error(RuntimeError, r"Number of groups to divide channels in must be positive")
def channel_shuffle_zero_groups(torch):
    torch.native_channel_shuffle(torch.rand(1, 3, 2, 2), 0)


@error(RuntimeError, r"Number of channels must be divisible by groups")
def channel_shuffle_indivisible(torch):
    torch.native_channel_shuffle(torch.rand(1, 3, 2, 2), 2)


@error(RuntimeError, r"channel_shuffle expects input with > 2 dims")
def channel_shuffle_2d(torch):
    torch.native_channel_shuffle(torch.rand(1, 2), 2)


@program(tol={"rtol": 1e-6, "atol": 1e-6})
def upsample_linear1d_scales(torch):
    F = torch.nn.functional
    out = []
    for ac in (True, False):
        for rsf in (True, False):
            kw = {"mode": "linear", "align_corners": ac, "recompute_scale_factor": rsf}
            for sf in (0.5, 1.5, 2):
                out.append(torch.nn.Upsample(scale_factor=sf, **kw)(torch.ones(1, 1, 2)))
                x = torch.randn(1, 1, 2, dtype=torch.double, requires_grad=True)
                y = F.interpolate(x, scale_factor=sf, **kw) if rsf else F.interpolate(x, int(2 * sf), **kw)  # fmt: skip
                y.backward(torch.arange(float(y.numel()), dtype=torch.double).view(y.shape))
                out.append([y, x.grad])
    m = torch.nn.Upsample(scale_factor=3, mode="linear", align_corners=False)
    t9 = torch.zeros(1, 1, 9)
    t9[:, :, :4].normal_()
    out.append([m(t9)[:, :, :15], m(t9[:, :, :5])])
    return out


@program(tol={"rtol": 1e-5, "atol": 1e-5})
def upsample_bicubic_not_recompute(torch):
    x = torch.arange(8.0, dtype=torch.double).view(1, 2, 2, 2)
    return torch.nn.functional.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False, recompute_scale_factor=False)  # fmt: skip
