"""nn.Module and nn.Parameter: registration, iteration order, state_dict, strict loading and
its errors, hooks, modes, dtype/device moves, repr (against PyTorch's), containers."""

from __future__ import annotations

import copy
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn


def _net(nn):
    """A model touching every container, a buffer and a shared parameter."""

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(7, 4)
            self.blocks = nn.ModuleList([nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4)])
            self.heads = nn.ModuleDict({"a": nn.Linear(4, 2), "b": nn.Linear(4, 3, bias=False)})
            self.seq = nn.Sequential(nn.Linear(4, 4), nn.Tanh())
            self.scale = nn.Parameter(nn.Linear(1, 1).weight.detach().reshape(1))
            self.extras = nn.ParameterList([nn.Parameter(nn.Linear(2, 3).weight.detach())])
            self.tied = self.seq[0]  # the same module twice: its parameters listed once

    return Net()


def _layered(nn):
    """A model whose buffers come from tensors of the matching library."""

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(3, 4)
            self.act = nn.GELU()
            self.inner = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.1), nn.Linear(4, 2))
            self.gain = nn.Parameter(self.fc1.bias.detach() * 0 + 1)
            self.register_buffer("steps", self.fc1.bias.detach()[:1] * 0)
            self.register_buffer("cache", self.fc1.bias.detach() * 0, persistent=False)

        def forward(self, x):
            return self.inner(self.act(self.fc1(x) * self.gain))

    return Net()


# ---- registration and iteration ----------------------------------------------------------------
def test_parameter_order_and_state_dict_keys_equal_torch(torch):
    ours, theirs = _layered(nn), _layered(torch.nn)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]


def test_containers_order_and_shared_modules_equal_torch(torch):
    ours, theirs = _net(nn), _net(torch.nn)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert len(list(ours.modules())) == len(list(theirs.modules()))


def test_state_dict_from_torch_gives_same_outputs(torch):
    ours, theirs = _layered(nn), _layered(torch.nn)
    state = {k: v.numpy() for k, v in theirs.state_dict().items()}
    assert repr(ours.load_state_dict(state)) == "<All keys matched successfully>"
    ours.eval(), theirs.eval()
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        ours(minitorch.tensor(x)).detach().numpy(),
        theirs(torch.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


def test_state_dict_shares_memory_and_round_trips():
    a, b = _layered(nn), _layered(nn)
    sd = a.state_dict()
    assert sd["fc1.weight"].data_ptr() == a.fc1.weight.data_ptr()
    assert not sd["fc1.weight"].requires_grad
    assert "cache" not in sd and "steps" in sd
    b.load_state_dict(sd)
    for (_, p), (_, q) in zip(a.state_dict().items(), b.state_dict().items()):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    w = b.fc1.weight
    b.load_state_dict(sd)
    assert b.fc1.weight is w  # loading copies into the existing parameter
    assert a.state_dict(keep_vars=True)["fc1.weight"] is a.fc1.weight
    assert list(a.inner.state_dict(prefix="x.")) == [
        "x.0.weight",
        "x.0.bias",
        "x.2.weight",
        "x.2.bias",
    ]


def test_load_state_dict_strict_errors_match_torch(torch):
    bad = {"weight": np.zeros((3, 3), np.float32), "foo": np.zeros(1, np.float32)}
    with pytest.raises(RuntimeError) as ours:
        nn.Linear(2, 3).load_state_dict(bad)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.Linear(2, 3).load_state_dict({k: torch.tensor(v) for k, v in bad.items()})
    assert str(ours.value) == str(theirs.value).replace("torch.Size", "minitorch.Size")
    assert str(ours.value).startswith(
        'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". '
        '\n\tUnexpected key(s) in state_dict: "foo". \n\tsize mismatch for weight: copying a '
        "param with shape minitorch.Size([3, 3]) from checkpoint, the shape in current model "
        "is minitorch.Size([3, 2])."
    )


def test_load_state_dict_accepts_torch_tensors(torch):
    theirs = torch.nn.Linear(3, 2)
    ours = nn.Linear(3, 2)
    ours.load_state_dict(theirs.state_dict())
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())


def test_load_state_dict_non_strict_reports_keys():
    m = nn.Sequential(nn.Linear(2, 2))
    before = m[0].weight.detach().numpy().copy()
    result = m.load_state_dict({"0.weight": np.ones((2, 2)), "1.x": np.ones(1)}, strict=False)
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == ["1.x"]
    assert "missing_keys=['0.bias']" in repr(result)
    assert not np.array_equal(before, m[0].weight.detach().numpy())
    assert m[0].weight.dtype == minitorch.float32  # float64 numpy data is cast on copy
    with pytest.raises(RuntimeError, match=r"size mismatch for 0.weight.*\[3\].*\[2, 2\]"):
        m.load_state_dict({"0.weight": np.ones(3)}, strict=False)


def test_load_state_dict_assign_replaces_parameters():
    m = nn.Linear(2, 2)
    w = minitorch.ones(2, 2)
    m.load_state_dict({"weight": w, "bias": minitorch.zeros(2)}, assign=True)
    assert isinstance(m.weight, nn.Parameter) and m.weight.data_ptr() == w.data_ptr()


def test_setattr_registration_and_errors():
    m = nn.Module()
    m.w = nn.Parameter(minitorch.ones(2))
    m.sub = nn.Linear(1, 1)
    m.register_buffer("buf", minitorch.zeros(1))
    m.plain = minitorch.zeros(1)  # a plain tensor attribute is not registered
    assert list(m._parameters) == ["w"] and list(m._modules) == ["sub"]
    assert list(m._buffers) == ["buf"]
    with pytest.raises(TypeError, match="cannot assign 'torch.FloatTensor' as parameter 'w'"):
        m.w = minitorch.ones(2)
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'sub'"):
        m.sub = 3
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        m.register_buffer("plain", minitorch.zeros(1))
    with pytest.raises(KeyError, match='contain "."'):
        m.register_parameter("a.b", None)
    with pytest.raises(TypeError, match="cannot assign 'torch.FloatTensor' object to parameter"):
        m.register_parameter("q", minitorch.zeros(1))
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'r'"):
        m.register_parameter("r", _non_leaf())
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'nope'"):
        m.nope
    m.w = None
    assert m.w is None and list(m.parameters()) == list(m.sub.parameters())
    del m.sub
    assert "sub" not in m._modules
    m.sub = nn.Parameter(minitorch.ones(1))  # a name may change kind
    assert "sub" in m._parameters


def _non_leaf():
    p = nn.Parameter(minitorch.ones(1))
    p.grad_fn = (p * 2).grad_fn  # a Parameter that is not a leaf
    return p


def test_init_must_run_first():
    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(minitorch.ones(1))

    with pytest.raises(
        AttributeError, match=r"cannot assign parameters before Module.__init__\(\)"
    ):
        Bad()


def test_parameter_shares_memory_and_repr(torch):
    t = minitorch.ones(2)
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf and p.data_ptr() == t.data_ptr()
    assert repr(p) == repr(torch.nn.Parameter(torch.ones(2)))
    assert not nn.Parameter(t, requires_grad=False).requires_grad
    assert type(p * 2) is minitorch.Tensor
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(minitorch.tensor([1, 2]))


def test_get_submodule_parameter_buffer():
    m = _layered(nn)
    assert m.get_submodule("inner.2") is m.inner[2]
    assert m.get_parameter("inner.0.bias") is m.inner[0].bias
    assert m.get_buffer("steps") is m.steps
    with pytest.raises(AttributeError, match="has no attribute `zzz`"):
        m.get_submodule("inner.zzz")


# ---- modes, gradients, apply, dtype ---------------------------------------------------------
def test_train_eval_propagate():
    m = _layered(nn)
    assert m.eval() is m
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        m.train("no")


def test_zero_grad_and_requires_grad():
    m = nn.Linear(3, 2)
    m(minitorch.randn(4, 3)).sum().backward()
    m.zero_grad(set_to_none=False)
    assert np.all(m.weight.grad.numpy() == 0)
    m.zero_grad()
    assert m.weight.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())


def test_apply_visits_children_first():
    order = []
    m = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    m.apply(lambda mod: order.append(type(mod).__name__))
    assert order == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_to_dtype_keeps_parameter_identity():
    m = _layered(nn)
    w = m.fc1.weight
    m(minitorch.randn(2, 3)).sum().backward()
    assert m.double() is m
    assert m.fc1.weight is w and w.dtype == minitorch.float64 and w.grad.dtype == minitorch.float64
    assert m.steps.dtype == minitorch.float64
    m.half()
    assert w.dtype == minitorch.float16
    m.to(minitorch.float32)
    assert w.dtype == minitorch.float32
    m.to("cpu", dtype=minitorch.float64)
    assert w.dtype == minitorch.float64
    with pytest.raises(TypeError, match="only accepts floating point"):
        m.to(minitorch.int64)
    e = nn.Embedding(3, 2)
    idx_buffer = minitorch.tensor([1, 2])
    e.register_buffer("idx", idx_buffer)
    e.double()
    assert e.idx.dtype == minitorch.int64  # integer buffers keep their dtype


# ---- hooks -------------------------------------------------------------------------------------
def test_forward_hooks_and_handles():
    m = nn.Linear(2, 2)
    calls = []
    h1 = m.register_forward_pre_hook(lambda mod, args: calls.append("pre") or (args[0] * 0,))
    h2 = m.register_forward_hook(lambda mod, args, out: calls.append("post") or out + 1)
    h3 = m.register_forward_hook(lambda mod, args, out: calls.append("first"), prepend=True)
    y = m(minitorch.ones(1, 2))
    assert calls == ["pre", "first", "post"]
    np.testing.assert_allclose(y.detach().numpy(), m.bias.detach().numpy()[None] + 1, rtol=1e-6)
    for h in (h1, h2, h3):
        h.remove()
    calls.clear()
    m(minitorch.ones(1, 2))
    assert calls == []


def test_hooks_with_kwargs():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"factor": 3.0}), with_kwargs=True)
    seen = {}
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.update(kwargs), with_kwargs=True)
    assert m(minitorch.ones(1)).item() == 3.0
    assert seen == {"factor": 3.0}
    with m.register_forward_hook(lambda mod, a, o: o * 0):
        assert m(minitorch.ones(1)).item() == 0.0
    assert m(minitorch.ones(1)).item() == 3.0  # the handle removed it on exit


def test_always_call_hook_runs_when_forward_raises():
    class Failing(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m, seen = Failing(), []
    m.register_forward_hook(lambda mod, args, out: seen.append(("always", out)), always_call=True)
    m.register_forward_hook(lambda mod, args, out: seen.append("normal"))
    with pytest.raises(ValueError, match="boom"):
        m(1)
    assert seen == [("always", None)]


def test_missing_forward():
    with pytest.raises(
        NotImplementedError, match=r'Module \[Module\] is missing the required "forward"'
    ):
        nn.Module()(1)


# ---- repr ----------------------------------------------------------------------------------
def test_repr_equals_torch(torch):
    def build(nn):
        return nn.Sequential(
            OrderedDict(
                [
                    (
                        "body",
                        nn.ModuleList([nn.Linear(3, 3) for _ in range(3)] + [nn.GELU("tanh")]),
                    ),
                    ("drop", nn.Dropout(0.25)),
                    ("heads", nn.ModuleDict({"x": nn.Embedding(5, 3, padding_idx=0)})),
                    ("flat", nn.Flatten()),
                    ("act", nn.LeakyReLU(0.2, inplace=True)),
                    ("empty", nn.Sequential()),
                    ("loss", nn.CrossEntropyLoss()),
                ]
            )
        )

    assert repr(build(nn)) == repr(build(torch.nn))


def test_custom_extra_repr_and_parameter_containers_repr(torch):
    def build(nn):
        class Custom(nn.Module):
            def extra_repr(self):
                return "line one\nline two"

        outer = nn.Module()
        outer.custom = Custom()
        outer.plist = nn.ParameterList([nn.Parameter(nn.Linear(3, 2).weight.detach())])
        outer.pdict = nn.ParameterDict({"k": nn.Parameter(nn.Linear(2, 1).bias.detach())})
        return outer

    assert repr(build(nn)) == repr(build(torch.nn)).replace("torch.", "minitorch.")


# ---- containers ----------------------------------------------------------------------------
def test_sequential_indexing_slicing_append():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    s = nn.Sequential(a, b)
    s.append(c)
    assert len(s) == 3 and s[-1] is c and s[0] is a
    sl = s[1:]
    assert isinstance(sl, nn.Sequential) and list(sl) == [b, c]
    assert list(sl._modules) == ["1", "2"]  # slicing keeps names, as in PyTorch
    x = minitorch.randn(4, 2)
    np.testing.assert_allclose(s(x).detach().numpy(), c(b(a(x))).detach().numpy())
    del s[0]
    assert list(s._modules) == ["0", "1"] and s[0] is b
    s.insert(0, a)
    assert list(s) == [a, b, c]
    assert s.pop(1) is b and len(s) == 2
    with pytest.raises(IndexError, match="index 5 is out of range"):
        s[5]
    named = nn.Sequential(OrderedDict([("first", a), ("second", c)]))
    assert named.first is a and named[1] is c


def test_module_list_and_dict():
    layers = nn.ModuleList([nn.Linear(1, 1)])
    layers.append(nn.ReLU())
    layers += [nn.Tanh()]
    assert len(layers) == 3 and isinstance(layers[1:], nn.ModuleList)
    assert len(list(layers.parameters())) == 2
    del layers[0]
    assert [type(m).__name__ for m in layers] == ["ReLU", "Tanh"]
    assert list(layers._modules) == ["0", "1"]
    d = nn.ModuleDict({"a": nn.ReLU()})
    d["b"] = nn.Linear(1, 1)
    assert list(d.keys()) == ["a", "b"] and "b" in d and len(d) == 2
    assert len(list(d.parameters())) == 2
    assert d.pop("a").__class__ is nn.ReLU and list(d) == ["b"]


def test_parameter_list_and_dict():
    plist = nn.ParameterList([minitorch.ones(2), nn.Parameter(minitorch.zeros(3))])
    assert all(isinstance(p, nn.Parameter) for p in plist)  # plain tensors become parameters
    plist.append(minitorch.ones(1))
    assert len(plist) == 3 and [n for n, _ in plist.named_parameters()] == ["0", "1", "2"]
    pdict = nn.ParameterDict({"w": minitorch.ones(2)})
    pdict["b"] = nn.Parameter(minitorch.zeros(1))
    assert list(pdict.keys()) == ["w", "b"] and isinstance(pdict["w"], nn.Parameter)
    assert [n for n, _ in pdict.named_parameters()] == ["w", "b"]
    del pdict["w"]
    assert list(pdict) == ["b"]


def test_deepcopy_makes_independent_parameters():
    m = nn.Sequential(nn.Linear(2, 2))
    c = copy.deepcopy(m)
    assert isinstance(c[0].weight, nn.Parameter) and c[0].weight is not m[0].weight
    np.testing.assert_array_equal(c[0].weight.detach().numpy(), m[0].weight.detach().numpy())
    with minitorch.no_grad():
        c[0].weight.fill_(0)
    assert not np.all(m[0].weight.detach().numpy() == 0)


def test_buffer_class_registers_on_assignment():
    m = nn.Module()
    m.stat = nn.Buffer(minitorch.zeros(2), persistent=False)
    assert "stat" in m._buffers and "stat" not in m.state_dict()
    assert type(m.stat) is minitorch.Tensor


def test_pytorch_module_paths_that_layer_code_imports():
    """Import paths of classes and helpers PyTorch code names directly."""
    from minitorch.autograd.variable import Variable
    from minitorch.nn.modules.batchnorm import _BatchNorm, _NormBase
    from minitorch.nn.modules.instancenorm import _InstanceNorm

    from minitorch.nn.modules.activation import MultiheadAttention
    from minitorch.nn.modules.utils import (
        _pair,
        _quadruple,
        _reverse_repeat_tuple,
        _single,
        _triple,
        consume_prefix_in_state_dict_if_present,
    )
    from minitorch.nn.parameter import UninitializedBuffer, UninitializedParameter

    nn = minitorch.nn
    assert isinstance(nn.BatchNorm2d(3), _BatchNorm) and isinstance(nn.BatchNorm2d(3), _NormBase)
    assert isinstance(nn.InstanceNorm1d(3), _InstanceNorm)
    assert not isinstance(nn.InstanceNorm1d(3), _BatchNorm)  # as in PyTorch
    assert MultiheadAttention is nn.MultiheadAttention
    assert UninitializedParameter is nn.UninitializedParameter
    assert UninitializedBuffer is nn.UninitializedBuffer
    assert Variable is minitorch.autograd.Variable
    assert (_single(2), _pair(3), _triple([1, 2, 3]), _quadruple(0)) == (
        (2,), (3, 3), (1, 2, 3), (0, 0, 0, 0))  # fmt: skip
    assert _reverse_repeat_tuple((1, 2), 2) == (2, 2, 1, 1)
    state = {"module.fc.weight": 1, "module.fc.bias": 2, "other": 3}
    consume_prefix_in_state_dict_if_present(state, "module.")
    assert state == {"fc.weight": 1, "fc.bias": 2, "other": 3}


def test_more_pytorch_module_paths(torch):
    """nn.modules.flatten/pixelshuffle, nn.common_types (annotations of custom layers),
    optim.radam/nadam/adamax, backends.mkldnn: the same classes and values as PyTorch's."""
    from minitorch.nn.modules.flatten import Flatten, Unflatten
    from minitorch.nn.modules.pixelshuffle import PixelShuffle, PixelUnshuffle
    from minitorch.optim.adamax import Adamax
    from minitorch.optim.nadam import NAdam
    from minitorch.optim.radam import RAdam

    from minitorch.backends import mkldnn
    from minitorch.nn.common_types import _ratio_2_t, _size_2_opt_t, _size_2_t

    nn, optim = minitorch.nn, minitorch.optim
    assert (Flatten, Unflatten, PixelShuffle, PixelUnshuffle) == (
        nn.Flatten, nn.Unflatten, nn.PixelShuffle, nn.PixelUnshuffle)  # fmt: skip
    assert (Adamax, NAdam, RAdam) == (optim.Adamax, optim.NAdam, optim.RAdam)
    from torch.nn import common_types as theirs

    for mine, name in ((_size_2_t, "_size_2_t"), (_size_2_opt_t, "_size_2_opt_t"),
                       (_ratio_2_t, "_ratio_2_t")):  # fmt: skip
        assert str(mine) == str(getattr(theirs, name))
    assert mkldnn.enabled is True and mkldnn.is_available() is False
