"""Tensors and Parameters take user attributes, and Tensor subclasses are built as in PyTorch
(as_subclass, _make_subclass, a subclass's own __new__), checked against PyTorch."""

import copy
import pickle

import pytest

import minitorch


def _program(torch):
    class Tagged(torch.Tensor):
        @staticmethod
        def __new__(cls, data, tag=None):
            obj = torch.Tensor._make_subclass(cls, data, True)
            obj.tag = tag
            return obj

    class Marked(torch.Tensor):
        pass

    out = {}
    x = torch.ones(2, 3)
    x.label = "input"
    p = torch.nn.Parameter(torch.ones(2))
    p.no_weight_decay = True
    out["attrs"] = (x.label, p.no_weight_decay, copy.copy(x).label)
    out["pickled_attr"] = pickle.loads(pickle.dumps(x)).label
    t = Tagged(torch.arange(3.0), "a")
    out["tagged"] = (type(t).__name__, t.tag, t.requires_grad, t.is_leaf, t.tolist())
    a = torch.arange(4.0, requires_grad=True) * 2
    m = a.as_subclass(Marked)
    out["as_subclass"] = (
        type(m).__name__,
        type(m.grad_fn).__name__,
        m._is_view(),
        a._is_view(),
        m.requires_grad,
    )
    (m * m).sum().backward()
    with torch.no_grad():
        a.add_(1)
    out["shares_memory"] = m.tolist()
    return out


def test_attributes_and_subclasses_match_pytorch(torch):
    assert _program(minitorch) == _program(torch)


def test_subclass_of_a_non_tensor_class_raises():
    message = "Creating a Tensor subclass from a class that does not inherit from Tensor"
    with pytest.raises(TypeError, match=message):
        minitorch.ones(2).as_subclass(int)
    with pytest.raises(TypeError, match=message):
        minitorch.Tensor._make_subclass(dict, minitorch.ones(2))


def test_as_subclass_gradient_reaches_the_source():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)

    class Sub(minitorch.Tensor):
        pass

    (x.as_subclass(Sub) * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
