"""The ``__torch_function__`` protocol (mirrors ``torch._C``'s part of it and the default
``torch.Tensor.__torch_function__``).

Plain programs pay nothing: the public functions (``minitorch.exp``, ``nn.functional.relu``),
the Tensor methods and operators and ``autograd.Function.apply`` are wrapped with a
dispatching check only once a program defines a Tensor subclass that does not disable the
protocol (``Tensor.__init_subclass__``) or any other class with ``__torch_function__`` (a class
statement, seen by ``watch_classes``). Parameter and Buffer disable it, as in PyTorch, so their
ops give plain Tensors. Functions a program imported by name before that stay unwrapped.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import sys
import types
import warnings

_FLAGS = {"subclass_off": 0, "all_off": 0}  # depth of the Disable* context managers


class _DisabledImpl:
    """The type of ``_disabled_torch_function_impl``: a callable object, so that as a class
    attribute it is not bound to instances (``p.__torch_function__ is`` it, as in PyTorch)."""

    def __call__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))

    def __repr__(self) -> str:
        return "<built-in function _disabled_torch_function_impl>"


_disabled_torch_function_impl = _DisabledImpl()
"""Mirrors ``torch._C._disabled_torch_function_impl``: a class whose ``__torch_function__``
is this one takes no part in the protocol (as ``nn.Parameter``)."""


class DisableTorchFunctionSubclass:
    """Mirrors ``torch._C.DisableTorchFunctionSubclass``: inside it, Tensor subclasses'
    ``__torch_function__`` is not called (ops give plain Tensors)."""

    _key = "subclass_off"

    def __enter__(self) -> DisableTorchFunctionSubclass:
        _FLAGS[self._key] += 1
        return self

    def __exit__(self, *exc) -> None:
        _FLAGS[self._key] -= 1


class DisableTorchFunction(DisableTorchFunctionSubclass):
    """Mirrors ``torch._C.DisableTorchFunction``: inside it no ``__torch_function__`` of any
    type is called."""

    _key = "all_off"


_PLAIN = {int, float, bool, str, type(None), slice, list, tuple}  # types taking no part
# (grows with each such type met: a long list given to tensor() costs one lookup per item)


def _has_protocol(t: type) -> bool:
    from ._tensor import Tensor  # noqa: PLC0415 (the tensor module imports this one lazily)

    impl = getattr(t, "__torch_function__", None)
    if impl is None or t is Tensor or impl is _disabled_torch_function_impl:
        _PLAIN.add(t)
        return False
    if t.__module__.partition(".")[0] == "torch":  # PyTorch's own tensors are data here
        _PLAIN.add(t)
        return False
    return not (_FLAGS["subclass_off"] and issubclass(t, Tensor))


def overloaded_args(relevant_args) -> list:
    """PyTorch's ``_get_overloaded_args``: the arguments whose type takes part, one per type,
    subclasses before their superclasses, otherwise left to right."""
    found: list = []
    seen: set = set()
    for arg in relevant_args:
        t = type(arg)
        if t in _PLAIN or t in seen or not _has_protocol(t):
            continue
        seen.add(t)
        index = next((i for i, old in enumerate(found) if issubclass(t, type(old))), len(found))
        found.insert(index, arg)
    return found


def _relevant(args: tuple, kwargs: dict):
    """The arguments to look at: positional and keyword ones, and the items of lists and
    tuples among them (``cat([a, b])``)."""
    for a in (*args, *kwargs.values()):
        if type(a) in (list, tuple):
            yield from a
        else:
            yield a


def handle(public, overloaded: list, args: tuple, kwargs: dict, operator: bool = False):
    """Mirrors ``torch.overrides.handle_torch_function``: calls each overloaded argument's
    ``__torch_function__`` in order until one does not return NotImplemented."""
    kinds = tuple(map(type, overloaded))
    for arg in overloaded:
        result = type(arg).__torch_function__(public, kinds, args, kwargs)
        if result is not NotImplemented:
            return result
    if operator:  # Python then raises its own "unsupported operand type(s)"
        return NotImplemented
    from ._tensor import Tensor  # noqa: PLC0415

    handlers = "".join(
        f"  - {'tensor subclass ' if issubclass(t, Tensor) else ''}{t}\n" for t in kinds
    )
    raise TypeError(
        f"Multiple dispatch failed for '{public_name(public)}'; all __torch_function__ "
        f"handlers returned NotImplemented:\n\n{handlers}\nFor more information, try "
        "re-running with TORCH_LOGS=not_implemented"
    )


def public_name(public) -> str:
    """The dotted name PyTorch's messages give a function (``torch.add``, ``torch.Tensor.add``)."""
    name = getattr(public, "__qualname__", None) or getattr(public, "__name__", repr(public))
    module = getattr(public, "__module__", None) or "minitorch"
    return f"{module}.{name}"


def _dispatching(fn, public_module: str, qualname: str, operator: bool = False, func=None):
    """``fn`` behind the protocol's check: ``fn`` itself unless an argument takes part; then
    the handlers get ``func`` (default: this wrapper, the public object)."""

    spelled_out = public_module == "minitorch.nn.functional" and qualname not in _F_BUILTINS

    @functools.wraps(fn)
    def public(*args, **kwargs):
        if not _FLAGS["all_off"]:
            found = overloaded_args(_relevant(args, kwargs))
            if found:
                if spelled_out:
                    args, kwargs = _as_python_functional(fn, args, kwargs)
                return handle(func or public, found, args, kwargs or None, operator)
        return fn(*args, **kwargs)

    public.__module__ = public_module
    public.__name__ = qualname.rpartition(".")[2]
    public.__qualname__ = qualname
    public._torch_function_wrapped = True
    return public


_F_BUILTINS = frozenset(  # nn.functional's C functions in PyTorch: handlers get the call as made
    "adaptive_avg_pool1d avg_pool1d avg_pool2d avg_pool3d bilinear celu_ channel_shuffle conv1d "
    "conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d cosine_similarity elu_ "
    "gelu hardshrink hardtanh_ leaky_relu_ linear logsigmoid one_hot pairwise_distance pdist "
    "pixel_shuffle pixel_unshuffle prelu relu_ rrelu_ scaled_dot_product_attention selu_ "
    "softplus softshrink threshold_".split()
)


def _as_python_functional(fn, args: tuple, kwargs: dict):
    """The arguments as PyTorch's Python nn.functional functions hand them on: the required
    parameters positionally, every other one by name, defaults filled in (``relu(x)``'s
    handlers get ``(x,), {'inplace': False}``)."""
    signature = inspect.signature(fn)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    required = [
        name
        for name, p in signature.parameters.items()
        if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    values = bound.arguments
    return tuple(values[name] for name in required), {
        name: v for name, v in values.items() if name not in required
    }


def convert(ret, cls: type):
    """Mirrors ``torch._tensor._convert``: tensors in ``ret`` (also inside tuples and lists)
    made instances of ``cls``."""
    from ._tensor import Tensor  # noqa: PLC0415

    if cls is Tensor:
        return ret
    if isinstance(ret, Tensor) and not isinstance(ret, cls):
        return ret.as_subclass(cls)
    if isinstance(ret, (tuple, list)):
        items = [convert(r, cls) for r in ret]
        return ret._make(items) if hasattr(ret, "_fields") else type(ret)(items)
    return ret


def default_torch_function(cls, func, kinds, args=(), kwargs=None):
    """``torch.Tensor.__torch_function__``: runs ``func`` with the protocol off for subclasses
    and converts its tensor results to ``cls``."""
    if not all(issubclass(cls, t) for t in kinds):
        return NotImplemented
    with DisableTorchFunctionSubclass():
        ret = func(*args, **(kwargs or {}))
    if func in nowrap_functions():
        return ret
    return convert(ret, cls)


@functools.cache
def nowrap_functions() -> frozenset:
    """Mirrors ``torch.overrides.get_default_nowrap_functions``."""
    from ._tensor import Tensor  # noqa: PLC0415

    return frozenset({Tensor._base.__get__, Tensor.grad.__get__, Tensor._grad.__get__})


_NOT_METHODS = frozenset(
    "__init__ __new__ __init_subclass__ __torch_function__ __getattribute__ __getattr__ "
    "__setattr__ __delattr__ __reduce__ __reduce_ex__ __getstate__ __setstate__ __deepcopy__ "
    "__copy__ __hash__ __sizeof__ __dir__ __repr__ __str__ __format__ __array__ __array_wrap__ "
    "__array_ufunc__ __array_function__ __dlpack__ __dlpack_device__ __class_getitem__ "
    "__iter__ as_subclass".split()
)
_PROPERTIES = ("data", "T", "mT", "H", "mH", "real", "imag")
_REFLECTED = frozenset(
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __floordiv__ "
    "__rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ __rmatmul__ __and__ __rand__ "
    "__or__ __ror__ __xor__ __rxor__ __lshift__ __rlshift__ __rshift__ __rrshift__".split()
)
_AS_METHOD = {  # operators whose handlers PyTorch gives the method (``x + 1``: Tensor.add)
    "__add__": "add", "__radd__": "add", "__sub__": "sub", "__mul__": "mul", "__rmul__": "mul",
    "__truediv__": "div", "__mod__": "remainder", "__pow__": "pow", "__matmul__": "matmul",
    "__neg__": "neg", "__abs__": "abs", "__lt__": "lt", "__le__": "le", "__gt__": "gt",
    "__ge__": "ge", "__ne__": "ne",
}  # fmt: skip
_IGNORED = frozenset(  # PyTorch's functions that take no part (tensor() copies data, plain)
    "tensor vmap compile load save manual_seed seed initial_seed get_rng_state set_rng_state "
    "is_tensor is_storage typename promote_types can_cast broadcast_shapes from_numpy frombuffer "
    "set_printoptions set_default_dtype get_default_dtype set_default_device get_default_device "
    "is_grad_enabled is_inference_mode_enabled use_deterministic_algorithms set_num_threads "
    "get_num_threads".split()
)
_MODULES = (
    "minitorch",
    "minitorch.nn.functional",
    "minitorch.nn.functional_conv",  # re-exported by nn.functional: the same wrappers
    "minitorch.linalg",
    "minitorch.special",
)
_active = []


_build_class = builtins.__build_class__


def _watching_build_class(func, name, *bases, **kwargs):
    """``builtins.__build_class__`` until the protocol is on: a class statement that defines
    ``__torch_function__`` (a Tensor-like type as the notes' ScalarTensor) switches it on. Ops
    never pass here; class statements pay one dict lookup."""
    cls = _build_class(func, name, *bases, **kwargs)
    impl = vars(cls).get("__torch_function__") if isinstance(cls, type) else None
    if impl is not None and impl is not _disabled_torch_function_impl:
        if cls.__module__.partition(".")[0] not in ("torch", "minitorch"):
            activate()
    return cls


def watch_classes() -> None:
    """Switches the protocol on at the first class statement that defines
    ``__torch_function__`` (called once, when minitorch is imported)."""
    builtins.__build_class__ = _watching_build_class


def activate() -> None:
    """Wraps the public functions, Tensor methods and operators once (see the module doc)."""
    if _active:
        return
    _active.append(True)
    if builtins.__build_class__ is _watching_build_class:
        builtins.__build_class__ = _build_class
    from ._tensor import Tensor  # noqa: PLC0415

    methods = [
        (name, value)
        for name, value in vars(Tensor).items()
        if isinstance(value, types.FunctionType)
        and name not in _NOT_METHODS
        and (not name.startswith("_") or name.endswith("__"))
    ]
    for name, value in sorted(methods, key=lambda item: item[0] in _AS_METHOD):
        func = getattr(Tensor, _AS_METHOD[name]) if name in _AS_METHOD else None
        wrapped = _dispatching(value, "minitorch", f"Tensor.{name}", name in _REFLECTED, func)
        setattr(Tensor, name, wrapped)
    for name in _PROPERTIES:
        prop = vars(Tensor).get(name)
        if isinstance(prop, property) and prop.fget is not None:
            getter = _dispatching(prop.fget, "minitorch", f"Tensor.{name}.__get__")
            setattr(Tensor, name, property(getter, prop.fset, prop.fdel, prop.__doc__))
    _wrap_function_apply()
    warnings.warn = _warn_past_wrappers
    wrapped: dict = {}  # one wrapper per function and module: aliases stay the same object
    for module_name in _MODULES:
        module = sys.modules[module_name]
        for name, value in list(vars(module).items()):
            if (
                isinstance(value, types.FunctionType)
                and not name.startswith("_")
                and name not in _IGNORED
                and value.__module__.startswith("minitorch")
                and not getattr(value, "_torch_function_wrapped", False)
            ):
                functional = module_name.startswith("minitorch.nn.functional")
                key = (functional, value)
                if key not in wrapped:
                    public_module = "minitorch.nn.functional" if functional else module_name
                    wrapped[key] = _dispatching(value, public_module, name)
                setattr(module, name, wrapped[key])


_warn = warnings.warn


def _warn_past_wrappers(message, category=None, stacklevel=1, source=None, **kwargs):
    """``warnings.warn`` once the wrappers are in: a ``stacklevel`` counts no wrapper frame
    (minitorch's warnings still name the program's line, as PyTorch's do)."""
    frame, level = sys._getframe(1), stacklevel
    for _ in range(stacklevel - 1):
        if frame is None:
            break
        frame = frame.f_back
        while frame is not None and frame.f_code.co_filename == __file__:
            frame, level = frame.f_back, level + 1
    return _warn(message, category, level + 1, source, **kwargs)


def _wrap_function_apply() -> None:
    """User ``autograd.Function.apply`` takes part too (its handlers get ``cls.apply``)."""
    from .autograd.function import Function  # noqa: PLC0415 (it imports the tensor module)

    original = Function.__dict__["apply"].__func__

    @functools.wraps(original)
    def apply(cls, *args, **kwargs):
        if not _FLAGS["all_off"]:
            found = overloaded_args(_relevant(args, kwargs))
            if found:
                return handle(cls.apply, found, args, kwargs or None)
        return original(cls, *args, **kwargs)

    Function.apply = classmethod(apply)


def overridable() -> dict:
    """{namespace: [functions]} of the wrapped functions (``get_overridable_functions``)."""
    from ._tensor import Tensor  # noqa: PLC0415

    spaces = {sys.modules[name]: vars(sys.modules[name]).values() for name in _MODULES}
    spaces[Tensor] = vars(Tensor).values()
    return {
        space: [f for f in values if getattr(f, "_torch_function_wrapped", False)]
        for space, values in spaces.items()
    }
