"""Session 9 sweep: Tensor subclasses and the ``__torch_function__`` protocol (PyTorch's
"Extending torch" notes), each program run with PyTorch (the oracle) and minitorch
(tests/sweep_harness.py). Defining these subclasses switches the protocol on for the process
(minitorch/_subclass.py), as it does in a user's program."""

from __future__ import annotations

import functools
import subprocess
import sys

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _logging(torch, log: list):
    class LoggingTensor(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            log.append((func.__name__, [t.__name__ for t in types], len(args), kwargs))
            return super().__torch_function__(func, types, args, kwargs)

    return LoggingTensor


def _marked(torch):
    class Marked(torch.Tensor):
        pass

    return Marked


def _kinds(*values) -> list:
    return [type(v).__name__ for v in values]


# ---- 1. plain subclasses: results keep the class --------------------------------------------
@program
def subclass_functions_methods_operators(torch):
    m = torch.arange(6.0).reshape(2, 3).as_subclass(_marked(torch))
    outs = (torch.exp(m), m.exp(), m + 1, 1 + m, m * m, 2 - m, m / 2, -m, abs(m), m**2, m > 2)
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@program
def subclass_indexing_views_and_properties(torch):
    m = torch.arange(12.0).reshape(3, 4).as_subclass(_marked(torch))
    outs = (m[0], m[:, 1:], m[m > 5], m.T, m.mT, m.data, m.view(4, 3), m.reshape(-1), m.t())
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@program
def subclass_non_tensor_results_stay(torch):
    m = torch.arange(6.0).reshape(2, 3).as_subclass(_marked(torch))
    return (m.tolist(), m.sum().item(), _kinds(m.shape, m.size(), m.dim(), m.numel(), m.dtype))


@program
def subclass_tuples_and_named_tuples(torch):
    m = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]).as_subclass(_marked(torch))
    mx = m.max(1)
    parts = m.split(1)
    chunks = torch.chunk(m, 3, dim=1)
    srt = torch.sort(m, dim=1)
    return (
        type(mx).__name__, _kinds(*mx), type(parts).__name__, _kinds(*parts), _kinds(*chunks),
        _kinds(*srt), _kinds(*m.unbind()), _kinds(*list(m)), mx.values.as_subclass(torch.Tensor),
    )  # fmt: skip


@program
def subclass_mixed_with_plain(torch):
    marked = _marked(torch)
    x = torch.ones(3)
    m = torch.arange(3.0).as_subclass(marked)
    outs = (x + m, m + x, torch.add(x, m), x.mul(m), torch.cat([x, m]), torch.stack((x, m)))
    return _kinds(*outs), _kinds(x + x, torch.cat([x, x]))


@program
def subclass_autograd_and_grad_stays_plain(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = x.as_subclass(_marked(torch))
    y = (torch.exp(m) * m).sum()
    y.backward()
    leaf = torch.tensor([0.5, 1.5]).as_subclass(_marked(torch)).requires_grad_()
    (leaf * 3).sum().backward()
    return (
        _kinds(y, x.grad, leaf.grad, m.detach(), m.clone()), x.grad, leaf.grad,
        type(y.grad_fn).__name__, y.requires_grad,
    )  # fmt: skip


@program
def subclass_nn_functional_and_modules(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    m = torch.randn(4, 3).as_subclass(_marked(torch))
    outs = (lin(m), torch.nn.functional.relu(m), torch.relu(m), m.softmax(-1), torch.sigmoid(m))
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@program
def subclass_inplace_keeps_object(torch):
    m = torch.zeros(3).as_subclass(_marked(torch))
    r = m.add_(2)
    m[0] = 7.0
    return r is m, _kinds(r, m), m.as_subclass(torch.Tensor)


@program
def subclass_with_attribute_and_new(torch):
    class Tagged(torch.Tensor):
        @staticmethod
        def __new__(cls, data, tag=None):
            obj = torch.Tensor._make_subclass(cls, data, False)
            obj.tag = tag
            return obj

    t = Tagged(torch.ones(2, 2), tag="w")
    r = t @ t
    return _kinds(t, r, t.sum(0)), t.tag, r.as_subclass(torch.Tensor), hasattr(r, "tag")


@program
def subclass_of_subclass_ordering(torch):
    class Base(torch.Tensor):
        pass

    class Child(Base):
        pass

    b = torch.ones(2).as_subclass(Base)
    c = torch.ones(2).as_subclass(Child)
    return _kinds(b + c, c + b, torch.add(b, c), torch.cat([b, c]), torch.cat([c, b]))


@program
def unrelated_subclasses_return_notimplemented(torch):
    a = torch.ones(2).as_subclass(_marked(torch))
    b = torch.ones(2).as_subclass(_marked(torch))
    try:
        torch.add(a, b)
    except TypeError as e:
        return "Multiple dispatch failed for" in str(e), "torch.add" in str(e).replace("mini", "")
    return "no error"


# ---- nn.Parameter disables the protocol ------------------------------------------------------
@program
def parameter_ops_give_plain_tensors(torch):
    p = torch.nn.Parameter(torch.ones(2, 2))
    outs = (p * 2, p + p, torch.exp(p), p[0], p.sum(), p.data, p.detach(), p.T)
    return _kinds(*outs), _kinds(p), p.__torch_function__ is torch._C._disabled_torch_function_impl


@program
def parameter_subclass_and_marked_mixed(torch):
    p = torch.nn.Parameter(torch.ones(2))
    m = torch.ones(2).as_subclass(_marked(torch))
    return _kinds(p + m, m + p, torch.mul(p, m))


# ---- 2. user __torch_function__ --------------------------------------------------------------
@program
def logging_tensor_sees_public_functions(torch):
    log: list = []
    lt = torch.ones(2, 2).as_subclass(_logging(torch, log))
    x = torch.ones(2, 2)
    torch.add(x, lt)
    lt.add(x, alpha=2)
    _ = lt * 2
    _ = x + lt
    _ = lt[0]
    torch.cat([x, lt])
    lt.sum().item()
    _ = lt > 0
    return log


@program
def logging_tensor_results_are_subclass(torch):
    log: list = []
    cls = _logging(torch, log)
    lt = torch.arange(4.0).as_subclass(cls)
    r = torch.nn.functional.relu(lt - 1)
    return type(r).__name__, r.as_subclass(torch.Tensor), [entry[0] for entry in log]


@program
def torch_function_changes_results(torch):
    class Doubling(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            out = super().__torch_function__(func, types, args, kwargs)
            if func is torch.sum:
                return out * 2
            return out

    d = torch.ones(3).as_subclass(Doubling)
    return torch.sum(d).as_subclass(torch.Tensor), d.sum().as_subclass(torch.Tensor)


@program
def torch_function_handled_functions_dict(torch):
    handled = {}

    class Metadata(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if func in handled:
                return handled[func](*args, **(kwargs or {}))
            return super().__torch_function__(func, types, args, kwargs)

    handled[torch.mean] = lambda t, *a, **k: "custom mean"
    handled[torch.Tensor.mean] = lambda t, *a, **k: "custom method mean"
    m = torch.ones(3).as_subclass(Metadata)
    return torch.mean(m), m.mean(), type(torch.sum(m)).__name__


@program
def disable_torch_function_subclass_inside(torch):
    class Plain(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            with torch._C.DisableTorchFunctionSubclass():
                return func(*args, **(kwargs or {}))

    p = torch.ones(2).as_subclass(Plain)
    return _kinds(p + 1, torch.exp(p), p[0])


@error(TypeError, r"Multiple dispatch failed for '(mini)?torch\.add'; all __torch_function__")
def notimplemented_function_raises(torch):
    class Refuse(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    return torch.add(torch.ones(2).as_subclass(Refuse), 1)


@error(TypeError, r"Multiple dispatch failed for '(mini)?torch\.Tensor\.add'")
def notimplemented_method_raises(torch):
    class Refuse(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    return torch.ones(2).as_subclass(Refuse).add(1)


@error(TypeError, r"unsupported operand type\(s\) for \+: 'Refuse' and 'int'")
def notimplemented_operator_raises(torch):
    class Refuse(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    return torch.ones(2).as_subclass(Refuse) + 1


# ---- 3. non-Tensor types with __torch_function__ (the ScalarTensor example) --------------
def _scalar_tensor(torch):
    handled = {}

    class ScalarTensor:
        def __init__(self, n, value):
            self._n, self._value = n, value

        def tensor(self):
            return self._value * torch.eye(self._n)

        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if kwargs is None:
                kwargs = {}
            if func not in handled or not all(
                issubclass(t, (torch.Tensor, ScalarTensor)) for t in types
            ):
                return NotImplemented
            return handled[func](*args, **kwargs)

    def implements(torch_function):
        def decorator(func):
            functools.update_wrapper(func, torch_function)
            handled[torch_function] = func
            return func

        return decorator

    @implements(torch.mean)
    def mean(input):
        return float(input._value) / input._n

    @implements(torch.add)
    def add(input, other):
        if isinstance(input, ScalarTensor) and isinstance(other, ScalarTensor):
            return ScalarTensor(input._n, input._value + other._value)
        return torch.add(input.tensor(), other.tensor() if isinstance(other, ScalarTensor) else other)  # fmt: skip

    return ScalarTensor


@program
def scalar_tensor_example(torch):

    scalar = _scalar_tensor(torch)
    d = scalar(5, 2)
    s = torch.add(d, d)
    return torch.mean(d), s._value, torch.add(d, torch.ones(5, 5))


@error(TypeError, r"Multiple dispatch failed for '(mini)?torch\.exp'")
def scalar_tensor_unhandled_raises(torch):

    return torch.exp(_scalar_tensor(torch)(2, 1.0))


@program
def overrides_helpers(torch):
    overrides = torch.overrides

    m = torch.ones(2).as_subclass(_marked(torch))
    scalar = _scalar_tensor(torch)(2, 3.0)
    x = torch.ones(2)
    p = torch.nn.Parameter(torch.ones(1))
    return (
        overrides.has_torch_function((x, 1)), overrides.has_torch_function((x, m)),
        overrides.has_torch_function((p,)), overrides.has_torch_function((scalar,)),
        overrides.is_tensor_like(x), overrides.is_tensor_like(m), overrides.is_tensor_like(scalar),
        overrides.is_tensor_like(3.0), torch.Tensor.grad.__get__ in overrides.get_default_nowrap_functions(),
        overrides.handle_torch_function(torch.mean, (scalar,), scalar),
    )  # fmt: skip


@program
def handle_torch_function_in_user_function(torch):
    overrides = torch.overrides

    log: list = []
    cls = _logging(torch, log)

    def my_op(x, y=1.0):
        if overrides.has_torch_function((x,)):
            return overrides.handle_torch_function(my_op, (x,), x, y=y)
        return x * y

    lt = torch.ones(2).as_subclass(cls)
    r = my_op(lt, y=3.0)
    return type(r).__name__, r.as_subclass(torch.Tensor), log, my_op(torch.ones(1))


# ---- performance: plain programs never switch the protocol on --------------------------------
def _fresh(code: str) -> list:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


_WRAPPED = (
    "w = '_torch_function_wrapped'\n"
    "print(hasattr(t.Tensor.__add__, w), hasattr(t.exp, w), hasattr(t.Tensor.exp, w))\n"
)


def test_plain_program_keeps_unwrapped_ops():
    code = (
        "import dataclasses\nimport minitorch as t\n"
        "p = t.nn.Parameter(t.ones(2)); m = t.nn.Linear(2, 2)\n"
        "class NoProto(t.Tensor):\n    __torch_function__ = t._C._disabled_torch_function_impl\n"
        "@dataclasses.dataclass\nclass Point:\n    x: int = 0\n"
        "try:\n    import torch\nexcept ImportError:\n    pass\n"
    )
    assert _fresh(code + _WRAPPED) == ["False", "False", "False"]


def test_non_tensor_type_switches_protocol_on_in_fresh_process():
    code = (
        "import minitorch as t\nhandled = {}\n"
        "class Scalar:\n"
        "    @classmethod\n"
        "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
        "        return handled[func](*args) if func in handled else NotImplemented\n"
        "handled[t.mean] = lambda s: 0.4\n"
        "print(t.mean(Scalar()))\n"
    )
    assert _fresh(code + _WRAPPED) == ["0.4", "True", "True", "True"]


# ---- more subclass behaviour -------------------------------------------------------------
@program
def subclass_repr_and_identity(torch):
    marked = _marked(torch)
    m = torch.tensor([1.0, 2.0]).as_subclass(marked)
    return (
        repr(m), repr(m.reshape(2, 1).requires_grad_()), isinstance(m, torch.Tensor), torch.is_tensor(m),
        type(m).__name__, str(m).split("(")[0],
    )  # fmt: skip


@program
def subclass_dtype_conversions(torch):
    m = torch.tensor([1.5, -2.5]).as_subclass(_marked(torch))
    outs = (m.float(), m.double(), m.to(torch.float64), m.int(), m.long(), m.to("cpu"), m.type(torch.float64))  # fmt: skip
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs], m.float() is m


@program
def subclass_like_factories_and_new(torch):
    m = torch.tensor([[1.0, 2.0]]).as_subclass(_marked(torch))
    outs = (torch.zeros_like(m), torch.ones_like(m), torch.rand_like(m), torch.full_like(m, 3.0),
            m.new_zeros(3), m.new_ones(2), m.new_tensor([1.0]), m.new_full((2,), 4.0), m.new_empty(2))  # fmt: skip
    return _kinds(*outs), [o.shape for o in outs]


@program
def subclass_where_and_comparisons(torch):
    m = torch.tensor([-1.0, 0.5, 2.0]).as_subclass(_marked(torch))
    outs = (torch.where(m > 0, m, 0.0), torch.clamp(m, 0, 1), m.clamp(min=0), m == 0.5, m.eq(2.0),
            torch.maximum(m, torch.zeros(3)), m.masked_fill(m < 0, 9.0))  # fmt: skip
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@program
def subclass_reductions_with_kwargs(torch):
    m = torch.arange(12.0).reshape(3, 4).as_subclass(_marked(torch))
    outs = (m.sum(dim=1, keepdim=True), torch.mean(m, 0), m.std(), m.argmax(1), m.norm(), torch.prod(m[:, 1:], 1))  # fmt: skip
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@program
def subclass_losses_and_linear(torch):
    torch.manual_seed(0)
    marked = _marked(torch)
    x = torch.randn(4, 3).as_subclass(marked)
    w = torch.randn(2, 3, requires_grad=True)
    out = torch.nn.functional.linear(x, w)
    loss = torch.nn.functional.mse_loss(out, torch.zeros(4, 2))
    loss.backward()
    return _kinds(out, loss, w.grad), loss.as_subclass(torch.Tensor), w.grad


@program
def subclass_numpy_and_python_numbers(torch):
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).as_subclass(_marked(torch))
    return (type(m.numpy()).__name__, float(m[0, 0]), int(m[1, 1]), bool(m[0, 0] > 0), len(m),
            m.dim(), m.is_contiguous(), m.stride())  # fmt: skip


@program
def subclass_matmul_both_sides(torch):
    marked = _marked(torch)
    a = torch.arange(4.0).reshape(2, 2)
    m = torch.eye(2).as_subclass(marked) * 2
    return _kinds(a @ m, m @ a, torch.mm(a, m), torch.matmul(m, a)), (a @ m).as_subclass(torch.Tensor)  # fmt: skip


@program
def subclass_custom_function_apply(torch):
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.tensor([1.0, 3.0], requires_grad=True)
    m = x.as_subclass(_marked(torch))
    y = Square.apply(m)
    y.sum().backward()
    return type(y).__name__, y.as_subclass(torch.Tensor), x.grad


@program
def logging_tensor_inplace_and_setitem(torch):
    log: list = []
    lt = torch.zeros(3).as_subclass(_logging(torch, log))
    lt.add_(1)
    lt[0] = 5.0
    lt.mul_(2)
    return [e[0] for e in log], lt.as_subclass(torch.Tensor)


@program
def logging_tensor_types_with_two_subclasses(torch):
    log: list = []
    cls = _logging(torch, log)
    other = _marked(torch)
    a = torch.ones(2).as_subclass(cls)
    b = torch.ones(2).as_subclass(other)
    try:
        torch.add(a, b)
    except TypeError as e:
        return log, "Multiple dispatch failed" in str(e)
    return log


@program
def torch_function_kwargs_tensor(torch):
    log: list = []
    cls = _logging(torch, log)
    lt = torch.ones(2).as_subclass(cls)
    r = torch.add(torch.ones(2), other=lt)
    s = torch.where(torch.tensor([True, False]), input=torch.zeros(2), other=lt)
    return _kinds(r, s), [e[0] for e in log], r.as_subclass(torch.Tensor)


@program
def subclass_module_forward_with_parameters(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    x = torch.randn(5, 3).as_subclass(_marked(torch))
    out = net(x)
    out.sum().backward()
    return type(out).__name__, out.as_subclass(torch.Tensor), net[0].weight.grad, type(net[0].weight.grad).__name__  # fmt: skip


@program
def parameter_subclass_user_defined(torch):
    class MyParam(torch.nn.Parameter):
        pass

    p = MyParam(torch.ones(2))
    lin = torch.nn.Linear(2, 2)
    lin.extra = p
    return type(p).__name__, _kinds(p * 2, p.sum()), [n for n, _ in lin.named_parameters()]


@program
def disabled_impl_user_subclass(torch):
    class NoProto(torch.Tensor):
        __torch_function__ = torch._C._disabled_torch_function_impl

    n = torch.ones(2).as_subclass(NoProto)
    return _kinds(n + 1, torch.exp(n), n[0], n.sum())


@program
def logging_tensor_properties_and_unbound_methods(torch):
    log: list = []
    lt = torch.arange(4.0).reshape(2, 2).as_subclass(_logging(torch, log))
    _ = lt.T
    _ = lt.data
    r = torch.Tensor.add(lt, 1)
    e = torch.einsum("ij->j", lt)
    return [entry[:2] for entry in log], _kinds(r, e), e.as_subclass(torch.Tensor)


@program
def default_torch_function_called_directly(torch):
    marked = _marked(torch)
    m = torch.ones(2).as_subclass(marked)
    plain = torch.Tensor.__torch_function__(torch.add, (marked,), (m, 1))
    as_marked = marked.__torch_function__(torch.mul, (marked,), (m, 3), {})
    refused = marked.__torch_function__(torch.add, (marked, _marked(torch)), (m, m))
    return _kinds(plain, as_marked), refused is NotImplemented, as_marked.as_subclass(torch.Tensor)


@program
def subclass_stack_split_unbind_sum(torch):
    marked = _marked(torch)
    ms = [torch.full((2,), float(i)).as_subclass(marked) for i in range(3)]
    total = sum(ms)
    st = torch.stack(ms)
    return (_kinds(total, st, *torch.split(st, 2), *torch.unbind(st, 1), *st.chunk(2, 1)),
            total.as_subclass(torch.Tensor))  # fmt: skip


@program
def subclass_hooks_and_no_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m = x.as_subclass(_marked(torch))
    seen = []
    m.register_hook(lambda g: seen.append(type(g).__name__))
    (m * m).sum().backward()
    with torch.no_grad():
        r = m * 2
    return seen, x.grad, type(r).__name__, r.requires_grad


@program
def subclass_softmax_and_functional_kwargs(torch):
    m = torch.tensor([[1.0, 2.0, 3.0]]).as_subclass(_marked(torch))
    outs = (torch.nn.functional.softmax(m, dim=-1), torch.nn.functional.normalize(m, p=2.0, dim=1),
            torch.nn.functional.dropout(m, p=0.0, training=True), torch.nn.functional.pad(m, (1, 1)))  # fmt: skip
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@program
def subclass_with_extra_methods(torch):
    class Angles(torch.Tensor):
        def degrees(self):
            return self * (180.0 / 3.141592653589793)

    a = torch.tensor([0.0, 1.5707963267948966]).as_subclass(Angles)
    d = a.degrees()
    return type(d).__name__, d.as_subclass(torch.Tensor), type(d.degrees()).__name__


@program
def subclass_inplace_on_plain_with_subclass_arg(torch):
    x = torch.zeros(2)
    m = torch.ones(2).as_subclass(_marked(torch))
    r = x.add_(m)
    x += m
    return type(r).__name__, type(x).__name__, x


@program
def torch_function_classmethod_sees_types_order(torch):
    seen = []

    class A(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append(("A", [t.__name__ for t in types]))
            return super().__torch_function__(func, types, args, kwargs)

    class B(A):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append(("B", [t.__name__ for t in types]))
            return super().__torch_function__(func, types, args, kwargs)

    a = torch.ones(1).as_subclass(A)
    b = torch.ones(1).as_subclass(B)
    r1 = torch.add(a, b)
    r2 = torch.add(b, a)
    return seen, _kinds(r1, r2)


@program
def tensor_constructor_gives_plain_tensor(torch):
    m = torch.tensor([1.0, 2.0]).as_subclass(_marked(torch))
    outs = (torch.tensor(m), torch.tensor([m[0], m[1]]), torch.as_tensor(m), torch.asarray(m))
    return _kinds(*outs), [o.as_subclass(torch.Tensor) for o in outs]


@error(RuntimeError, r"default implementation of __deepcopy__\(\) for non-wrapper subclasses")
def deepcopy_of_subclass_raises(torch):
    import copy

    return copy.deepcopy(torch.ones(2).as_subclass(_marked(torch)))


@program
def deepcopy_of_parameter_and_module_still_works(torch):
    import copy

    torch.manual_seed(0)
    lin = torch.nn.Linear(2, 2)
    twin = copy.deepcopy(lin)
    p = copy.deepcopy(torch.nn.Parameter(torch.ones(2)))
    return twin.weight, type(twin.weight).__name__, type(p).__name__, copy.copy(torch.ones(1).as_subclass(_marked(torch))).__class__.__name__  # fmt: skip


@program
def metadata_tensor_wrapper_example(torch):
    class MetadataTensor:
        def __init__(self, data, metadata=None, **kwargs):
            self._t = torch.as_tensor(data, **kwargs)
            self._metadata = metadata

        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if kwargs is None:
                kwargs = {}
            metadatas = tuple(a._metadata for a in args if hasattr(a, "_metadata"))
            args = [getattr(a, "_t", a) for a in args]
            ret = func(*args, **kwargs)
            return MetadataTensor(ret, metadata=metadatas[0])

    metadata = {"owner": "Ministry of Silly Walks"}
    m = MetadataTensor([[1, 2], [3, 4]], metadata=metadata)
    t = torch.tensor([[1, 2], [1, 2]])
    r = torch.add(t, m)
    s = torch.mul(m, 2)
    return r._metadata, r._t, s._t, type(r).__name__


@program
def logging_tensor_docs_example(torch):
    records = []

    class LoggingTensor(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if func is not torch.Tensor.__repr__:
                records.append(f"func: {func.__name__}, kwargs: {kwargs!r}")
            if kwargs is None:
                kwargs = {}
            return super().__torch_function__(func, types, args, kwargs)

    x = torch.tensor([1.0, -2.0]).as_subclass(LoggingTensor)
    y = torch.nn.functional.relu(x).sum(dim=0, keepdim=True)
    return records, type(y).__name__, y.as_subclass(torch.Tensor)


@program
def overridable_functions_listing(torch):
    found = torch.overrides.get_overridable_functions()
    return (torch.add in found[torch], torch.Tensor.add in found[torch.Tensor],
            torch.nn.functional.relu in found[torch.nn.functional], torch.tensor in found[torch])  # fmt: skip


@program
def logging_tensor_functional_kwargs(torch):
    log: list = []
    lt = torch.tensor([[0.5, -1.0], [2.0, 0.0]]).as_subclass(_logging(torch, log))
    w = torch.ones(3, 2)
    torch.nn.functional.linear(lt, w)
    torch.nn.functional.dropout(lt, 0.0)
    torch.nn.functional.leaky_relu(lt, 0.2)
    torch.nn.functional.layer_norm(lt, (2,))
    torch.nn.functional.cross_entropy(lt, torch.tensor([0, 1]))
    torch.nn.functional.gelu(lt)
    return [(name, n, kwargs) for name, _, n, kwargs in log]
