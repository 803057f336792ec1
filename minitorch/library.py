"""``minitorch.library``: mirrors ``torch.library``: ``custom_op`` turns a Python function
into an operator (reachable as ``torch.ops.<namespace>.<name>``) with an autograd formula
(``register_autograd``), kernels per device (``register_kernel``, ``impl``), a vmap rule
(``register_vmap``) and a fake implementation (``register_fake``: kept for ``opcheck``, as
nothing traces here; ``tags`` likewise accepted). ``define``/``impl``/``Library`` declare ops
by schema string; ``opcheck`` checks the schema's mutation promise. Each call runs through a
generated autograd Function, named as PyTorch's (``GeneratedBackwardFor_mylib_op_default``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence

from ._tensor import Tensor
from .autograd.forward_ad import _untracked
from .autograd.function import Function, transforms
from .autograd.grad_mode import no_grad as _no_grad
from .func._pytree import flatten, unflatten
from .func._vmap import below_vmap, vmap_rule_per_element

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
        op = _OPS[name] = CustomOpDef(name, f if schema is None else _with_schema(f, schema))
        op._mutates = {mutates_args} if isinstance(mutates_args, str) else set(mutates_args)
        if device_types is not None:  # only there: no kernel for other devices
            op._default = None
            op._kernels.update(dict.fromkeys(_device_list(device_types), f))
        return op

    return wrap if fn is None else wrap(fn)


class CustomOpDef:
    """Mirrors ``torch._library.custom_ops.CustomOpDef``: the operator ``custom_op`` makes;
    call it as the function (or as ``torch.ops.namespace.name``). Its arguments and results
    may nest tensors in lists and tuples: the generated autograd Function sees them flat."""

    def __init__(self, name: str, fn: Callable) -> None:
        _check_annotations(fn)
        namespace, op = name.split("::")  # PyTorch's ValueError for a name without '::'
        self._tensor_params = {
            p.name: kind
            for p in inspect.signature(fn).parameters.values()
            if (kind := _tensor_kind(p.annotation)) is not None
        }
        self._namespace, self._name, self._qualname = namespace, op, name
        self._init_fn, self._default, self._kernels = fn, fn, {}
        self._signature = inspect.signature(fn)
        self._keyword_only = [
            p.name
            for p in self._signature.parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        self._backward = self._setup_context = self._vmap = None
        self._mutates: set = set()
        self._fake = None
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

    @property
    def _opoverload(self) -> CustomOpDef:
        """PyTorch's OpOverload of the op (``torch.ops.namespace.name.default``): the op."""
        return self

    default = _opoverload

    def __call__(self, *args, **kwargs):
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as err:
            if "missing" not in str(err):
                raise
            given = self._signature.bind_partial(*args, **kwargs).arguments
            params = self._signature.parameters.items()
            missing = next(k for k, p in params if k not in given and p.default is p.empty)
            raise RuntimeError(
                f"{self._qualname}() is missing value for argument '{missing}'."
            ) from None
        bound.apply_defaults()
        self._check_tensors(bound)
        keywords = {k: bound.arguments[k] for k in self._keyword_only}
        if self._vmap is not None and transforms and transforms[-1] == "vmap":
            return vmap_rule_per_element(self._vmap, self._qualname, bound.args, keywords)
        if transforms and transforms[-1] == "vmap":  # PyTorch's fallback: per element, below
            with below_vmap():
                return self(*args, **kwargs)
        leaves, spec = flatten((bound.args, keywords))
        if not any(isinstance(a, Tensor) and a.requires_grad for a in leaves):
            return self._kernel(bound.args, keywords)
        result = _Result()
        out = self._function.apply(spec, result, *leaves)
        return unflatten(result.spec, out if type(out) is tuple else (out,))

    def __repr__(self) -> str:
        return f"<CustomOpDef({self._qualname})>"

    def _check_tensors(self, bound) -> None:
        """PyTorch's schema check of the Tensor and Tensor[] arguments."""
        for position, (k, value) in enumerate(bound.arguments.items()):
            kind = self._tensor_params.get(k)
            if kind is None:
                continue
            if kind == "Tensor":
                ok = isinstance(value, Tensor)
            else:
                ok = isinstance(value, (list, tuple)) and all(isinstance(v, Tensor) for v in value)
            if not ok:
                raise RuntimeError(
                    f"{self._qualname}() Expected a value of type "
                    f"'{'Tensor' if kind == 'Tensor' else 'List[Tensor]'}' for argument '{k}' "
                    f"but instead found type '{type(value).__name__}'.\nPosition: {position}\n"
                    f"Value: {value!r}"
                )

    def register_autograd(self, backward: Callable, /, *, setup_context=None) -> None:
        """Mirrors ``CustomOpDef.register_autograd``: ``setup_context(ctx, inputs, output)``
        runs after the op, ``backward(ctx, *grads)`` gives one gradient per input."""
        if self._mutates:
            raise RuntimeError(
                f"Cannot register autograd formula for non-functional operator {self!r} with "
                f"schema {self._qualname}{self._signature}. Please create a functional operator "
                "and register an autograd formula for that."
            )
        self._backward, self._setup_context = backward, setup_context

    def register_fake(self, fn: Callable, /) -> Callable:
        """Mirrors ``CustomOpDef.register_fake`` (kept for ``opcheck``; nothing traces here)."""
        self._fake = fn
        return fn

    def register_kernel(self, device_types, fn: Callable | None = None, /):
        """Mirrors ``CustomOpDef.register_kernel``: ``fn`` runs for inputs on those devices."""

        def register(f: Callable) -> Callable:
            self._kernels.update(dict.fromkeys(_device_list(device_types), f))
            return f

        return register if fn is None else register(fn)

    def register_vmap(self, func: Callable | None = None, /):
        """Mirrors ``CustomOpDef.register_vmap``: ``func(info, in_dims, *args, **kwargs)``
        gives ``(output, out_dims)`` for a whole batch when ``torch.func.vmap`` maps the op."""

        def register(f: Callable) -> Callable:
            self._vmap = f
            return f

        return register if func is None else register(func)

    def _kernel(self, args: tuple, keywords: dict):
        """The op's kernel for the inputs' device, run on ``args``; refuses an output that
        is one of the inputs, as PyTorch."""
        device = next((a.device.type for a in flatten(args)[0] if isinstance(a, Tensor)), None)
        kernel = self._kernels.get(device, self._default)
        if kernel is None:
            raise NotImplementedError(
                f"Could not run '{self._qualname}' with arguments from the '{device.upper()}' "
                "backend. This could be because the operator doesn't exist for this backend."
            )
        out = _untracked(lambda: kernel(*args, **keywords))  # below autograd: no tangents
        inputs = {id(_root(a)) for a in flatten(args)[0] if isinstance(a, Tensor)}
        if any(isinstance(o, Tensor) and id(_root(o)) in inputs for o in flatten(out)[0]):
            raise RuntimeError(
                f"{self._init_fn.__name__}: The output of this custom operator (1) must "
                "not also be an input to this custom operator and (2) may not alias any "
                "inputs to this custom operator or other returns. The most common way to "
                "trigger this error is if we have y = custom_op(x) and y and x are the same "
                "Tensor. Please instead return a clone of the offending output tensor(s) "
                "(e.g. return x.clone()) or refactor the custom operator to not return y."
            )
        return out

    def _forward(self, ctx, spec, result, *leaves):
        """The generated Function's forward: the kernel on detached inputs, outputs flat;
        then the registered ``setup_context`` on the inputs and outputs as the op has them."""
        ctx._custom_op = spec, result, [isinstance(a, Tensor) for a in leaves]
        detached = [a.detach() if isinstance(a, Tensor) else a for a in leaves]
        out = self._kernel(*unflatten(spec, detached))
        out_leaves, result.spec = flatten(out)
        flat = out_leaves[0] if result.spec.is_leaf else tuple(out_leaves)
        if self._setup_context is not None:
            args, keywords = unflatten(spec, leaves)
            if "keyword_only_inputs" in inspect.signature(self._setup_context).parameters:
                self._setup_context(ctx, args, keywords, out)
            else:
                self._setup_context(ctx, args, out)
        return flat

    def _differentiate(self, ctx, *grads):
        if self._backward is None:
            raise RuntimeError(
                f"Trying to backward through {self._namespace}.{self._name}.default but no "
                "autograd formula was "
                "registered. Please use register_autograd to add one."
            )
        spec, result, is_tensor = ctx._custom_op
        out = unflatten(result.spec, grads)
        args_spec = spec.children[0]
        flat_needs = ctx.needs_input_grad
        needs, rest = [], iter(flat_needs[2:])
        for child in args_spec.children:  # per positional input (a list's: per element)
            needs.append(unflatten(child, [next(rest) for _ in range(_count(child))]))
        ctx.needs_input_grad = tuple(needs)
        try:
            given = self._backward(ctx, *out) if type(out) is tuple else self._backward(ctx, out)
        finally:
            ctx.needs_input_grad = flat_needs
        given = given if isinstance(given, tuple) else (given,)
        self._check_gradients(args_spec, is_tensor, given)
        flat = []
        for child, g in zip(args_spec.children, given):
            n = _count(child)
            flat += [None] * n if g is None else flatten(g)[0]
        return (None, None, *flat, *[None] * (len(flat_needs) - 2 - len(flat)))

    def _check_gradients(self, args_spec, is_tensor: list, given: tuple) -> None:
        """PyTorch's errors for backward's gradients: their number (its Function also takes
        the keyword-only arguments as one more input, whose gradient it adds as None) and one
        given for a non-tensor input (surplus ones must be None)."""
        name = f"{self._function.__name__}Backward"
        n = len(args_spec.children)
        full = (*given, None)
        if len(full) < n + 1 or any(g is not None for g in full[n + 1 :]):
            raise RuntimeError(
                f"function {name} returned an incorrect number of gradients (expected {n + 1}, "
                f"got {len(full)})"
            )
        first = 0
        for i, g in enumerate(full[: n + 1]):
            child = args_spec.children[i] if i < n else None
            tensor = child is not None and (not child.is_leaf or is_tensor[first])
            first += 0 if child is None else _count(child)
            if g is not None and not tensor:
                raise RuntimeError(
                    f"function {name} returned a gradient different than None at position "
                    f"{i + 1}, but the corresponding forward input was not a Variable"
                )


class _Result:
    """Carries the spec of a custom op's outputs out of the generated Function's forward."""

    spec = None


def _root(t: Tensor) -> Tensor:
    """The tensor whose memory ``t`` views (``t`` itself when it is no view)."""
    return t if t._base is None else t._base


def _tensor_kind(annotation) -> str | None:
    """'Tensor' or 'Tensor[]' for a Tensor / list-of-Tensor type hint (None otherwise)."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    if annotation is Tensor or text.rsplit(".", 1)[-1] == "Tensor":
        return "Tensor"
    args = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) in (list, Sequence) and len(args) == 1:
        return "Tensor[]" if _tensor_kind(args[0]) == "Tensor" else None
    return None


def _count(spec) -> int:
    """How many leaves the pytree of ``spec`` has."""
    return 1 if spec.is_leaf else sum(map(_count, spec.children))


def register_autograd(op, backward: Callable, /, *, setup_context=None, lib=None) -> None:
    """Mirrors ``torch.library.register_autograd``: ``op`` (a CustomOpDef or its name)."""
    _op(op).register_autograd(backward, setup_context=setup_context)


def register_fake(
    op, func: Callable | None = None, /, *, lib=None, _stacklevel=1, allow_override=True
):  # noqa: E501
    """Mirrors ``torch.library.register_fake`` (kept for ``opcheck``; nothing traces here)."""
    custom = _op(op)
    return custom.register_fake if func is None else custom.register_fake(func)


def register_kernel(op, device_types, func: Callable | None = None, /, *, lib=None):
    """Mirrors ``torch.library.register_kernel``: ``func`` runs for inputs on those devices."""
    return _op(op).register_kernel(device_types, func)


def register_vmap(op, func: Callable | None = None, /, *, lib=None):
    """Mirrors ``torch.library.register_vmap``: ``func`` is the op's rule under vmap."""
    return _op(op).register_vmap(func)


class _OpNamespace:
    """Mirrors ``torch._ops._OpNamespace``: ``torch.ops.<namespace>``, whose attributes are
    the custom ops registered under it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, op: str) -> CustomOpDef:
        return _op(f"{self.name}::{op}")

    def __repr__(self) -> str:
        return f"<module 'torch.ops.{self.name}' from 'torch.ops'>"


def namespace(name: str) -> _OpNamespace:
    """``torch.ops.<name>`` (``minitorch.ops`` answers unknown names with it)."""
    if name.startswith("__"):
        raise AttributeError(f"module 'minitorch.ops' has no attribute '{name}'")
    return _OpNamespace(name)


_DISPATCH_KEYS = {"cpu": "cpu", "cuda": "cuda"}  # others (Composite*): every device
_TYPES = {"Tensor": Tensor, "Tensor[]": list[Tensor], "Tensor?": Tensor | None}


def define(qualname: str, schema: str, *, lib=None, tags=()) -> None:
    """Mirrors ``torch.library.define``: the operator ``qualname`` with ``schema`` (as
    ``"(Tensor x, *, float s=2.0) -> Tensor"``), its kernels given by ``impl``."""
    op = _OPS[qualname] = CustomOpDef(qualname, _with_schema(None, schema))
    op._default = None  # until impl gives one


def impl(qualname: str, types, func: Callable | None = None, *, lib=None):
    """Mirrors ``torch.library.impl``: ``func`` as the kernel of ``qualname`` for the
    dispatch keys or device types ``types`` ("cpu", "CUDA", "CompositeExplicitAutograd")."""

    def register(f: Callable) -> Callable:
        op = _op(qualname)
        for key in _device_list(types):
            device = _DISPATCH_KEYS.get(key.lower())
            if device is None:
                op._default = f
            else:
                op._kernels[device] = f
        return f

    return register if func is None else register(func)


class Library:
    """Mirrors ``torch.library.Library``: ``define`` and ``impl`` of operators in the
    namespace ``ns`` (``kind``: "DEF", "FRAGMENT" or "IMPL")."""

    def __init__(self, ns: str, kind: str, dispatch_key: str = "") -> None:
        if kind not in ("IMPL", "DEF", "FRAGMENT"):
            raise ValueError("Unsupported kind: ", kind)
        self.ns, self.kind, self.dispatch_key = ns, kind, dispatch_key

    def define(self, schema: str, alias_analysis: str = "", *, tags=()) -> str:
        """Mirrors ``Library.define``: ``"name(Tensor x) -> Tensor"``; returns the name."""
        name, rest = schema.split("(", 1)
        define(f"{self.ns}::{name}", "(" + rest)
        return name

    def impl(self, op_name, fn: Callable, dispatch_key: str = "", *, with_keyset=False):
        """Mirrors ``Library.impl``: ``fn`` as the kernel of ``op_name`` for ``dispatch_key``."""
        name = op_name if isinstance(op_name, str) else op_name._name
        impl(f"{self.ns}::{name}", dispatch_key or self.dispatch_key or "CompositeImplicit", fn)


def _with_schema(fn: Callable | None, schema: str) -> Callable:
    """``fn`` (or nothing, for ``define``) behind the signature ``schema`` declares."""
    params, returns = _parse_schema(schema)

    def kernel(*args, **kwargs):
        return fn(*args, **kwargs)

    kernel.__signature__ = inspect.Signature(params, return_annotation=returns)
    kernel.__name__ = getattr(fn, "__name__", "kernel")
    kernel.__module__ = getattr(fn, "__module__", __name__)
    return kernel


def _parse_schema(schema: str) -> tuple[list, object]:
    """The parameters (annotated with Python types) and return annotation of a schema
    ``"(Tensor x, int n, *, float s=2.0) -> Tensor"``."""
    args, returns = schema.strip().rsplit("->", 1)
    params, kind = [], inspect.Parameter.POSITIONAL_OR_KEYWORD
    for part in filter(None, (a.strip() for a in args.strip()[1:-1].split(","))):
        if part == "*":
            kind = inspect.Parameter.KEYWORD_ONLY
            continue
        declared, _, default = part.partition("=")
        type_name, name = declared.rsplit(" ", 1)
        value = inspect.Parameter.empty if not default else _default(default.strip())
        annotation = _TYPES.get(type_name.split("(")[0], object)
        params.append(inspect.Parameter(name, kind, default=value, annotation=annotation))
    returns = returns.strip()
    return params, (_TYPES.get(returns, object) if not returns.startswith("(") else tuple)


def _default(text: str):
    """A schema default (``2.0``, ``None``, ``True``, ``[1, 2]``) as a Python value."""
    import ast  # noqa: PLC0415

    return ast.literal_eval({"True": "True", "False": "False"}.get(text, text))


class OpCheckError(Exception):
    """Mirrors ``torch.testing._internal.optests.OpCheckError``: an ``opcheck`` failure."""


_OPCHECK_TESTS = (
    "test_schema",
    "test_autograd_registration",
    "test_faketensor",
    "test_aot_dispatch_static",
    "test_aot_dispatch_dynamic",
)


def opcheck(
    op,
    args: tuple,
    kwargs: dict | None = None,
    *,
    test_utils=(
        "test_schema",
        "test_autograd_registration",
        "test_faketensor",
        "test_aot_dispatch_dynamic",
    ),
    raise_exception: bool = True,
    atol=None,
    rtol=None,
) -> dict:
    """Mirrors ``torch.library.opcheck`` (a subset): runs the op and checks its schema's
    promise that only ``mutates_args`` change; the tracing tests ask for a fake impl.
    Returns ``{test: "SUCCESS" or the exception}``, or raises ``OpCheckError``."""
    tests = (test_utils,) if isinstance(test_utils, str) else tuple(test_utils)
    if not set(tests) <= set(_OPCHECK_TESTS):
        raise ValueError(
            f"opcheck(op, ..., test_utils={tests}), expected test_utils to be subset of "
            f"{_OPCHECK_TESTS} but it was not"
        )
    op = _op(op)
    results = {}
    for test in tests:
        try:
            if test == "test_schema":
                _check_mutations(op, args, kwargs or {})
            elif test != "test_autograd_registration" and op._fake is None:
                raise RuntimeError(
                    f"There was no fake impl registered for {op!r}. This is necessary for "
                    "torch.compile/export/fx tracing to work. Please use "
                    f"`{op._init_fn.__name__}.register_fake` to add an fake impl."
                )
            results[test] = "SUCCESS"
        except RuntimeError as err:
            if raise_exception:
                raise OpCheckError(
                    f"opcheck(op, ...): {test} failed with {err} (scroll up for stack trace)"
                ) from err
            results[test] = err
    return results


def _check_mutations(op: CustomOpDef, args: tuple, kwargs: dict) -> None:
    """Runs ``op`` and raises PyTorch's error for a tensor argument that changed but is not
    in its ``mutates_args``."""
    bound = op._signature.bind(*args, **kwargs)
    before = {
        k: [t.clone() for t in flatten(v)[0] if isinstance(t, Tensor)]
        for k, v in bound.arguments.items()
    }
    with _no_grad():
        op(*args, **kwargs)
    for k, v in bound.arguments.items():
        now = [t for t in flatten(v)[0] if isinstance(t, Tensor)]
        changed = any(not a.equal(b) for a, b in zip(before[k], now))
        if changed and k not in op._mutates:
            raise RuntimeError(f"Argument {k} is not defined as mutable but was mutated")


def _op(op) -> CustomOpDef:
    if isinstance(op, CustomOpDef):
        return op
    if "::" not in op:
        raise ValueError(
            f'Expected `qualname` to be of the form "namespace::name", but got {op}. The '
            "qualname passed to the torch.library APIs must consist of a namespace and a name, "
            "e.g. aten::sin"
        )
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
