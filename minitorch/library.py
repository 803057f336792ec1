"""``minitorch.library``: mirrors ``torch.library.custom_op``, PyTorch's way of turning a
Python function into an operator with an autograd formula (``register_autograd``), kernels
per device (``register_kernel``) and a fake implementation (``register_fake``: accepted,
as nothing traces here; ``mutates_args``, ``schema`` and ``tags`` likewise). Each call runs through a generated autograd Function, named as
PyTorch's (``GeneratedBackwardFor_mylib_op_defaultBackward``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from ._tensor import Tensor
from .autograd.function import Function

_OPS: dict = {}  # "namespace::name" -> its CustomOpDef, for the functional register_* forms


def custom_op(
    name: str,
    fn: Callable | None = None,
    /,
    *,
    mutates_args,
    device_types=None,
    schema: str | None = None,
    tags=None,
):
    """Mirrors ``torch.library.custom_op``: ``fn`` (type-annotated) as the operator
    ``"namespace::name"``; used as a decorator, with or without ``fn``."""

    def wrap(f: Callable) -> CustomOpDef:
        op = _OPS[name] = CustomOpDef(name, f)
        if device_types is not None:
            op._kernels.update(dict.fromkeys(_device_list(device_types), f))
        return op

    return wrap if fn is None else wrap(fn)


class CustomOpDef:
    """Mirrors ``torch._library.custom_ops.CustomOpDef``: the operator ``custom_op`` makes;
    call it as the function."""

    def __init__(self, name: str, fn: Callable) -> None:
        namespace, op = name.split("::")  # PyTorch's ValueError for a name without '::'
        _check_annotations(fn)
        self._name, self._qualname = name, f"{namespace}.{op}.default"
        self._init_fn, self._kernels = fn, {}
        self._keyword_only = [
            p.name
            for p in inspect.signature(fn).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        self._signature = inspect.signature(fn)
        self._backward = self._setup_context = None
        # old-style (ctx in forward), as PyTorch's generated Function: func transforms refuse it
        self._function = type(
            f"GeneratedBackwardFor_{namespace}_{op}_default",
            (Function,),
            {
                "forward": staticmethod(self._forward),
                "backward": staticmethod(self._differentiate),
                "__module__": fn.__module__,
            },
        )

    def __call__(self, *args, **kwargs):
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        keywords = {k: bound.arguments[k] for k in self._keyword_only}
        return self._function.apply(*bound.args, **keywords)

    def __repr__(self) -> str:
        return f"<CustomOpDef({self._name})>"

    def register_autograd(self, backward: Callable, /, *, setup_context=None) -> None:
        """Mirrors ``CustomOpDef.register_autograd``: ``setup_context(ctx, inputs, output)``
        runs after the op, ``backward(ctx, *grads)`` gives one gradient per input."""
        self._backward, self._setup_context = backward, setup_context

    def register_fake(self, fn: Callable, /) -> Callable:
        """Mirrors ``CustomOpDef.register_fake`` (accepted; nothing traces here)."""
        return fn

    def register_kernel(self, device_types, fn: Callable | None = None, /):
        """Mirrors ``CustomOpDef.register_kernel``: ``fn`` runs for inputs on those devices."""

        def register(f: Callable) -> Callable:
            self._kernels.update(dict.fromkeys(_device_list(device_types), f))
            return f

        return register if fn is None else register(fn)

    def _forward(self, ctx, *args, **keywords):
        device = next((a.device.type for a in args if isinstance(a, Tensor)), None)
        out = self._kernels.get(device, self._init_fn)(*args, **keywords)
        for o in out if isinstance(out, tuple) else (out,):
            if isinstance(o, Tensor) and any(o is a for a in args):
                raise RuntimeError(
                    f"{self._init_fn.__name__}: The output of this custom operator (1) must "
                    "not also be an input to this custom operator and (2) may not alias any "
                    "inputs to this custom operator or other returns. The most common way to "
                    "trigger this error is if we have y = custom_op(x) and y and x are the same "
                    "Tensor. Please instead return a clone of the offending output tensor(s) "
                    "(e.g. return x.clone()) or refactor the custom operator to not return y."
                )
        if self._setup_context is not None:
            if "keyword_only_inputs" in inspect.signature(self._setup_context).parameters:
                self._setup_context(ctx, args, keywords, out)
            else:
                self._setup_context(ctx, args, out)
        return out

    def _differentiate(self, ctx, *grads):
        if self._backward is None:
            raise RuntimeError(
                f"Trying to backward through {self._qualname} but no autograd formula was "
                "registered. Please use register_autograd to add one."
            )
        return self._backward(ctx, *grads)


def register_autograd(op, backward: Callable, /, *, setup_context=None, lib=None) -> None:
    """Mirrors ``torch.library.register_autograd``: ``op`` (a CustomOpDef or its name)."""
    _op(op).register_autograd(backward, setup_context=setup_context)


def register_fake(
    op, func: Callable | None = None, /, *, lib=None, _stacklevel=1, allow_override=True
):  # noqa: E501
    """Mirrors ``torch.library.register_fake`` (accepted; nothing traces here)."""
    _op(op)
    return (lambda f: f) if func is None else func


def register_kernel(op, device_types, func: Callable | None = None, /, *, lib=None):
    """Mirrors ``torch.library.register_kernel``: ``func`` runs for inputs on those devices."""
    return _op(op).register_kernel(device_types, func)


def _op(op) -> CustomOpDef:
    if isinstance(op, CustomOpDef):
        return op
    namespace, name = op.split("::")
    if op not in _OPS:
        raise AttributeError(f"'_OpNamespace' '{namespace}' object has no attribute '{name}'")
    return _OPS[op]


def _device_list(device_types) -> list:
    return [device_types] if isinstance(device_types, str) else list(device_types)


def _check_annotations(fn: Callable) -> None:
    """PyTorch infers the op's schema from the type hints: it refuses a function without."""
    sig = inspect.signature(fn)
    for p in sig.parameters.values():
        if p.annotation is inspect.Parameter.empty:
            raise ValueError(
                f"infer_schema(func): Parameter {p.name} must have a type annotation. Got func "
                f"with signature {sig})"
            )
    if sig.return_annotation is inspect.Signature.empty:
        raise ValueError(
            "infer_schema(func): No return type annotation was provided. Please add one. Got "
            f"func with signature {sig})"
        )
