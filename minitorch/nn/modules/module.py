"""nn.Module: the base class of every layer and model. Mirrors ``torch.nn.Module``.

Parameters, buffers and submodules live in three ordered dicts (``_parameters``,
``_buffers``, ``_modules``) filled by ``__setattr__``, exactly as in PyTorch, so parameter
order and ``state_dict`` keys are PyTorch's for the same architecture.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from ... import _dtypes
from ..._tensor import RemovableHandle, Tensor, make_tensor
from ...autograd.grad_mode import no_grad
from ...factories import empty_like
from ...ops.convert import _parse
from ...ops.inplace import bump_version, writable
from ..parameter import Buffer, Parameter, is_lazy

_IncompatibleKeysBase = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class _IncompatibleKeys(_IncompatibleKeysBase):
    """What ``load_state_dict`` returns: the missing and the unexpected keys."""

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )

    __str__ = __repr__


def _typename(value) -> str:
    """As ``torch.typename`` names a value in Module's errors (``torch.FloatTensor``, ``int``,
    ``torch.nn.modules.activation.ReLU``)."""
    if isinstance(value, Tensor):
        return value.type()
    kind = type(value)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _addindent(s: str, num_spaces: int) -> str:
    lines = s.split("\n")
    if len(lines) == 1:
        return s
    pad = " " * num_spaces
    return lines[0] + "\n" + "\n".join(pad + line for line in lines[1:])


def _check_name(kind: str, name, module) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if "." in name:
        got = f", got: {name}" if kind == "module" else ""  # PyTorch names it for modules only
        raise KeyError(f'{kind} name can\'t contain "."{got}')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')


# hooks that run for every module (before each module's own), see register_module_forward_hook
_global_forward_pre_hooks: OrderedDict = OrderedDict()
_global_forward_hooks: OrderedDict = OrderedDict()
_global_hook_flags: dict = {"with_kwargs": set(), "always_call": set()}


def register_module_forward_pre_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_forward_pre_hook``: ``hook(module,
    args)`` runs before every module's forward (before its own pre-hooks) and may return
    replacement args."""
    return RemovableHandle(_global_forward_pre_hooks, hook)


def register_module_forward_hook(
    hook: Callable, *, with_kwargs: bool = False, always_call: bool = False
) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_forward_hook``: ``hook(module, args,
    output)`` (``hook(module, args, kwargs, output)`` with ``with_kwargs``) runs after every
    module's forward, before its own forward hooks, and may return a replacement output."""
    handle = RemovableHandle(_global_forward_hooks, hook)
    for flag, on in (("with_kwargs", with_kwargs), ("always_call", always_call)):
        if on:
            _global_hook_flags[flag].add(handle.id)
    return handle


# backward hooks that run for every module (before each module's own)
global_backward_hooks: dict = {
    "_backward_hooks": OrderedDict(),
    "_backward_pre_hooks": OrderedDict(),
    "_non_full_backward_hooks": OrderedDict(),
}


def _register_global_backward_hook(kind: str, hook: Callable) -> RemovableHandle:
    return RemovableHandle(global_backward_hooks[kind], hook)


def register_module_backward_hook(hook: Callable) -> RemovableHandle:
    """Mirrors the deprecated ``torch.nn.modules.module.register_module_backward_hook``:
    ``hook(module, grad_input, grad_output)`` runs for every module as
    ``Module.register_backward_hook``'s (before the module's own)."""
    return _register_global_backward_hook("_non_full_backward_hooks", hook)


def register_module_full_backward_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_full_backward_hook``: ``hook(module,
    grad_input, grad_output)`` runs for every module (before its own backward hooks), as
    ``Module.register_full_backward_hook``'s."""
    return _register_global_backward_hook("_backward_hooks", hook)


def register_module_full_backward_pre_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_full_backward_pre_hook``:
    ``hook(module, grad_output)`` runs for every module (before its own backward pre-hooks),
    as ``Module.register_full_backward_pre_hook``'s."""
    return _register_global_backward_hook("_backward_pre_hooks", hook)


# hooks that run when any module registers a parameter, buffer or submodule
_global_parameter_registration_hooks: OrderedDict = OrderedDict()
_global_buffer_registration_hooks: OrderedDict = OrderedDict()
_global_module_registration_hooks: OrderedDict = OrderedDict()


def register_module_parameter_registration_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_parameter_registration_hook``:
    ``hook(module, name, param)`` runs as any module registers a parameter and may return a
    replacement."""
    return RemovableHandle(_global_parameter_registration_hooks, hook)


def register_module_buffer_registration_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_buffer_registration_hook``:
    ``hook(module, name, buffer)`` runs as any module registers (or assigns) a buffer and may
    return a replacement."""
    return RemovableHandle(_global_buffer_registration_hooks, hook)


def register_module_module_registration_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.nn.modules.module.register_module_module_registration_hook``:
    ``hook(module, name, submodule)`` runs as any module registers a submodule and may
    return a replacement."""
    return RemovableHandle(_global_module_registration_hooks, hook)


def _registered(hooks: OrderedDict, module, name: str, value):
    """``value`` after the registration ``hooks`` (each may return a replacement)."""
    for hook in list(hooks.values()):
        output = hook(module, name, value)
        if output is not None:
            value = output
    return value


def zero_grads(params: Iterable[Tensor], set_to_none: bool) -> None:
    """``Module.zero_grad`` and ``Optimizer.zero_grad``: drops each parameter's ``.grad``, or
    detaches it and zeroes it in place, its version counter bumped as in PyTorch (the raw
    array filled: ``zero_`` costs ~10x more per tensor)."""
    for p in params:
        g = p._grad
        if g is None:
            continue
        if set_to_none:
            p._grad = None
        else:
            if g.grad_fn is not None:
                g.detach_()
            else:
                g.requires_grad = False
            writable(g._data).fill(0)
            bump_version(g)


class Module:
    """Mirrors ``torch.nn.Module``: subclass it, create layers in ``__init__``, write ``forward``."""

    training: bool
    _version = 1
    call_super_init: bool = False  # True: __init__ calls the next class's (a mixin's) too

    def __init__(self, *args, **kwargs) -> None:
        if not self.call_super_init and kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
            )
        if not self.call_super_init and args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()
        d["_hooks_with_kwargs"] = set()
        d["_hooks_always_called"] = set()
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    # ---- calling --------------------------------------------------------------------------
    _has_backward_hooks = False  # set on an instance by its first (full or not) backward hook

    def __call__(self, *args, **kwargs):
        if not (
            self._forward_pre_hooks
            or self._forward_hooks
            or _global_forward_pre_hooks
            or _global_forward_hooks
            or self._has_backward_hooks
            or any(global_backward_hooks.values())
        ):
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args: tuple, kwargs: dict):
        with_kwargs = self._hooks_with_kwargs | _global_hook_flags["with_kwargs"]
        called = set()  # always_call hooks that already ran
        output = None
        pre_hooks = list(_global_forward_pre_hooks.items()) + list(self._forward_pre_hooks.items())
        hooks = list(_global_forward_hooks.items()) + list(self._forward_hooks.items())
        backward = None  # as in PyTorch, the backward hooks wrap the inputs after the
        # forward pre-hooks and the outputs after the forward hooks
        if self._has_backward_hooks or any(global_backward_hooks.values()):
            from . import _backward_hooks as backward  # noqa: PLC0415
        try:
            for hid, hook in pre_hooks:
                if hid in with_kwargs:
                    result = hook(self, args, kwargs)
                    if result is not None:
                        if not (isinstance(result, tuple) and len(result) == 2):
                            raise RuntimeError(
                                "forward pre-hook must return None or a tuple of "
                                f"(new_args, new_kwargs), but got {result}."
                            )
                        args, kwargs = result
                else:
                    result = hook(self, args)
                    if result is not None:
                        args = result if isinstance(result, tuple) else (result,)
            call = None
            if backward is not None:
                args, call = backward.wrap_inputs(self, args)
            output = self.forward(*args, **kwargs)
            for hid, hook in hooks:
                called.add(hid)
                result = self._run_forward_hook(hid, hook, args, kwargs, output, with_kwargs)
                if result is not None:
                    output = result
            if backward is not None:
                output = backward.wrap_outputs(self, call, args, output)
            return output
        except Exception:
            always = self._hooks_always_called | _global_hook_flags["always_call"]
            for hid, hook in hooks:
                if hid in always and hid not in called:
                    # PyTorch calls the global ones here without kwargs, even with_kwargs
                    local = () if hid in _global_forward_hooks else with_kwargs
                    try:
                        self._run_forward_hook(hid, hook, args, kwargs, output, local)
                    except Exception as e:  # noqa: BLE001 (forward's error is the one raised)
                        kind = "global module" if hid in _global_forward_hooks else "module"
                        warnings.warn(
                            f"{kind} forward hook with ``always_call=True`` raised an exception "
                            f"that was silenced as another error was raised in forward: {e}",
                            stacklevel=2,
                        )
            raise

    def _run_forward_hook(self, hid, hook, args, kwargs, output, with_kwargs: set):
        if hid in with_kwargs:
            return hook(self, args, kwargs, output)
        return hook(self, args, output)

    def register_forward_pre_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Mirrors ``Module.register_forward_pre_hook``: ``hook(module, args)`` runs before
        forward and may return replacement args (``hook(module, args, kwargs)`` returning
        ``(args, kwargs)`` with ``with_kwargs=True``)."""
        return self._add_hook(self._forward_pre_hooks, hook, prepend, with_kwargs)

    def register_forward_hook(
        self,
        hook: Callable,
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Mirrors ``Module.register_forward_hook``: ``hook(module, args, output)`` runs after
        forward and may return a replacement output; with ``always_call`` it also runs (with
        output None) when forward raises."""
        handle = self._add_hook(self._forward_hooks, hook, prepend, with_kwargs)
        if always_call:
            self._hooks_always_called.add(handle.id)
        return handle

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Mirrors ``Module.register_full_backward_hook``: ``hook(module, grad_input,
        grad_output)`` runs once the gradients with respect to the module's tensor inputs
        are computed (when no input requires grad: with respect to its outputs) and may
        return a replacement ``grad_input``. See ``_backward_hooks``."""
        from ._backward_hooks import mark_full  # noqa: PLC0415

        mark_full(self)
        return self._add_hook(self._backward_hook_dicts()[0], hook, prepend, False)

    def register_backward_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors the deprecated ``Module.register_backward_hook``: ``hook(module,
        grad_input, grad_output)`` runs on the graph node that made the module's output, so
        ``grad_input`` holds the gradients of that last operation's inputs (use
        ``register_full_backward_hook`` for the module's inputs)."""
        from . import _backward_hooks  # noqa: PLC0415

        return _backward_hooks.register_non_full(self, hook)

    def register_full_backward_pre_hook(
        self, hook: Callable, prepend: bool = False
    ) -> RemovableHandle:
        """Mirrors ``Module.register_full_backward_pre_hook``: ``hook(module, grad_output)``
        runs once the gradients with respect to the module's outputs are computed and may
        return a replacement ``grad_output``."""
        return self._add_hook(self._backward_hook_dicts()[1], hook, prepend, False)

    def _backward_hook_dicts(self) -> tuple[OrderedDict, OrderedDict]:
        """The backward hooks and backward pre-hooks (the first call makes __call__ wrap the
        inputs and outputs, see ``_backward_hooks``)."""
        d = self.__dict__
        if "_backward_hooks" not in d:
            d["_backward_hooks"] = OrderedDict()
            d["_backward_pre_hooks"] = OrderedDict()
            d["_has_backward_hooks"] = True
        return d["_backward_hooks"], d["_backward_pre_hooks"]

    @property
    def _forward_hooks_with_kwargs(self) -> OrderedDict:
        """PyTorch's record of the forward hooks registered ``with_kwargs`` (read-only)."""
        return OrderedDict((i, True) for i in self._forward_hooks if i in self._hooks_with_kwargs)

    @property
    def _forward_hooks_always_called(self) -> OrderedDict:
        """PyTorch's record of the forward hooks registered ``always_call`` (read-only)."""
        hooks, flagged = self._forward_hooks, self._hooks_always_called
        return OrderedDict((i, True) for i in hooks if i in flagged)

    @property
    def _forward_pre_hooks_with_kwargs(self) -> OrderedDict:
        """PyTorch's record of the forward pre-hooks registered ``with_kwargs`` (read-only)."""
        hooks, flagged = self._forward_pre_hooks, self._hooks_with_kwargs
        return OrderedDict((i, True) for i in hooks if i in flagged)

    def _add_hook(self, hooks: OrderedDict, hook, prepend: bool, with_kwargs: bool):
        handle = RemovableHandle(hooks, hook)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        if with_kwargs:
            self._hooks_with_kwargs.add(handle.id)
        return handle

    # ---- registration ---------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as parameter '{name}' "
                    "(minitorch.nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            modules = d.get("_modules")
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            if _global_module_registration_hooks:
                value = _registered(_global_module_registration_hooks, self, name, value)
            modules[name] = value
        elif name in d.get("_modules", ()):
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as child module '{name}' "
                    "(minitorch.nn.Module or None expected)"
                )
            if _global_module_registration_hooks:
                value = _registered(_global_module_registration_hooks, self, name, value)
            d["_modules"][name] = value
        elif (
            isinstance(value, Buffer)
            or name in d.get("_buffers", ())
            or isinstance(value, Tensor)
            and getattr(value, "_is_buffer", False)  # an UninitializedBuffer
        ):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as buffer '{name}' "
                    "(minitorch.nn.Buffer, minitorch.Tensor or None expected)"
                )
            if isinstance(value, Buffer) or getattr(value, "_is_buffer", False):
                self.register_buffer(name, value, getattr(value, "persistent", True))
            else:
                if _global_buffer_registration_hooks:
                    value = _registered(_global_buffer_registration_hooks, self, name, value)
                d["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: str) -> None:
        """Removes ``name`` from every registry but ``keep`` (an attribute changes kind)."""
        d = self.__dict__
        d.pop(name, None)
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry != keep:
                d[registry].pop(name, None)
        if keep != "_buffers":
            d["_non_persistent_buffers_set"].discard(name)

    def __getattr__(self, name: str):
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            values = d.get(registry)
            if values is not None and name in values:
                return values[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if name in d[registry]:
                del d[registry][name]
                d["_non_persistent_buffers_set"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        keys = list(object.__dir__(self))
        keys += list(self._parameters) + list(self._buffers) + list(self._modules)
        return sorted(set(keys))

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Mirrors ``Module.register_parameter``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        _check_name("parameter", name, self)
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None:
            if not isinstance(param, Parameter):
                raise TypeError(
                    f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                    "(minitorch.nn.Parameter or None required)"
                )
            if param.grad_fn is not None:
                raise ValueError(
                    f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters "
                    "must be created explicitly. To express '"
                    f"{name}' as a function of another Tensor, compute the value in the "
                    "forward() method."
                )
            if _global_parameter_registration_hooks:
                param = _registered(_global_parameter_registration_hooks, self, name, param)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Mirrors ``Module.register_buffer``: a tensor that is state but not a parameter
        (running statistics); non-persistent buffers stay out of ``state_dict``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        _check_name("buffer", name, self)
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                "(minitorch Tensor or None required)"
            )
        if isinstance(tensor, Buffer):  # the marker class is only for assignment
            # PyTorch's Buffer is a plain tensor marked as one: assigned again, it is again
            mark = tensor.persistent
            tensor = _plain(tensor)
            tensor._is_buffer, tensor.persistent = True, mark
        if _global_buffer_registration_hooks:
            tensor = _registered(_global_buffer_registration_hooks, self, name, tensor)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Mirrors ``Module.add_module``."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        _check_name("module", name, self)
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if _global_module_registration_hooks:
            module = _registered(_global_module_registration_hooks, self, name, module)
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """Mirrors ``Module.get_submodule``: ``"block.0.linear"`` -> that module."""
        mod = self
        for item in target.split(".") if target else ():
            if not hasattr(mod, item):
                raise AttributeError(f"{mod._get_name()} has no attribute `{item}`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return mod

    def set_submodule(self, target: str, module: Module, strict: bool = False) -> None:
        """Mirrors ``Module.set_submodule``: replaces (or, unless ``strict``, adds) the
        submodule at ``target``."""
        if not target:
            raise ValueError("Cannot set the submodule without a target name!")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        path, _, name = target.rpartition(".")
        parent = self.get_submodule(path)
        if strict and not hasattr(parent, name):
            raise AttributeError(f"{parent._get_name()} has no attribute `{name}`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError(f"`{name}` is not an nn.Module")
        setattr(parent, name, module)

    def get_parameter(self, target: str) -> Parameter:
        """Mirrors ``Module.get_parameter``."""
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        """Mirrors ``Module.get_buffer``."""
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        if name not in mod._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return mod._buffers[name]

    # ---- iteration ------------------------------------------------------------------------
    def named_modules(
        self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """Mirrors ``Module.named_modules``: this module, then its descendants, pre-order."""
        if memo is None:
            memo = set()
        if self in memo:  # a module in the given memo is skipped even without remove_duplicate
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """Mirrors ``Module.modules``."""
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Mirrors ``Module.named_children``."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        """Mirrors ``Module.children``."""
        for _, m in self.named_children():
            yield m

    def _named_members(self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool):
        seen = set()
        mods = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for mod_prefix, mod in mods:
            for name, value in mod.__dict__[registry].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield mod_prefix + ("." if mod_prefix else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Mirrors ``Module.named_parameters`` (shared parameters are listed once)."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Mirrors ``Module.parameters``."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """Mirrors ``Module.named_buffers``."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Mirrors ``Module.buffers``."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ---- modes and gradients --------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Mirrors ``Module.train``: sets ``training`` here and calls each child's ``train``
        (so a child's override, such as one keeping BatchNorm frozen, runs)."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self) -> Module:
        """Mirrors ``Module.eval``: ``train(False)`` (dropout off, running statistics used)."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Mirrors ``Module.requires_grad_``."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Mirrors ``Module.zero_grad``: drops (or zeroes) every parameter's ``.grad``."""
        zero_grads(self.parameters(), set_to_none)

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Mirrors ``Module.apply``: ``fn`` on every submodule (children first), then self."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # ---- device and dtype -----------------------------------------------------------------
    def share_memory(self) -> Module:
        """Mirrors ``Module.share_memory``: parameters, their gradients and buffers move to
        shared memory (Hogwild training with ``minitorch.multiprocessing``)."""
        for p in self.parameters():
            p.share_memory_()
            if p.grad is not None:
                p.grad.share_memory_()
        for b in self.buffers():
            b.share_memory_()
        return self

    def _apply(self, fn: Callable[[Tensor], Tensor]) -> Module:
        """Converts every parameter and buffer with ``fn``, in place: parameters keep their
        identity (an optimizer built before ``.to()`` still holds them)."""
        for m in self.children():
            m._apply(fn)
        with no_grad():
            for p in self._parameters.values():
                if p is None:
                    continue
                new = fn(p)
                if new._data is not p._data:
                    p._data = new._data
                if p._grad is not None:  # fn runs on the gradient too (an in-place fn bumps it)
                    p._grad._data = fn(p._grad)._data
        for name, b in self._buffers.items():  # outside no_grad, as PyTorch's: a buffer
            if b is not None:  # that requires grad gives a converted one that does too
                self._buffers[name] = fn(b)
        return self

    def to(self, *args, **kwargs) -> Module:
        """Mirrors ``Module.to(device=None, dtype=None, non_blocking=False,
        memory_format=None)``: moves parameters and buffers; a dtype applies to the floating
        point ones only, a memory format to the 4-d and 5-d ones."""
        kwargs.pop("non_blocking", None)
        memory_format = kwargs.pop("memory_format", None)
        device, dtype, _ = _parse(args, kwargs)
        if dtype is not None:
            dtype_obj = _dtypes.from_numpy_dtype(_dtypes.to_numpy_dtype(dtype))
            if not dtype_obj.is_floating_point:
                raise TypeError(
                    "nn.Module.to only accepts floating point or complex dtypes, but got "
                    f"desired dtype={dtype_obj}"
                )

        def convert(t: Tensor) -> Tensor:
            if memory_format is not None and t._data.ndim in (4, 5):
                t = t.contiguous(memory_format=memory_format)
            if dtype is not None and t._data.dtype.kind in "fV":
                return t.to(device=device, dtype=dtype)
            return t.to(device=device) if device is not None else t

        return self._apply(convert)

    def _cast_floats(self, dtype) -> Module:
        return self._apply(lambda t: t.to(dtype) if t._data.dtype.kind in "fV" else t)

    def half(self) -> Module:
        """Mirrors ``Module.half``: floating point parameters and buffers to float16."""
        return self._cast_floats(_dtypes.float16)

    def bfloat16(self) -> Module:
        """Mirrors ``Module.bfloat16``: floating point parameters and buffers to bfloat16."""
        return self._cast_floats(_dtypes.bfloat16)

    def float(self) -> Module:
        """Mirrors ``Module.float``."""
        return self._cast_floats(_dtypes.float32)

    def double(self) -> Module:
        """Mirrors ``Module.double``."""
        return self._cast_floats(_dtypes.float64)

    def type(self, dst_type) -> Module:
        """Mirrors ``Module.type``: every parameter and buffer to ``dst_type``."""
        return self._apply(lambda t: t.to(dst_type))

    def cpu(self) -> Module:
        """Mirrors ``Module.cpu``."""
        return self.to("cpu")

    def cuda(self, device=None) -> Module:
        """Mirrors ``Module.cuda``."""
        return self.to("cuda" if device is None else f"cuda:{int(device)}")

    def to_empty(self, *, device=None, recurse: bool = True) -> Module:
        """Mirrors ``Module.to_empty``: parameters and buffers get new uninitialized storage
        of the same shape and dtype (on ``device``), in place."""
        for m in self.modules() if recurse else (self,):
            for t in (*m._parameters.values(), *m._buffers.values()):
                if t is not None:
                    t._data = empty_like(t, device=device)._data
                    t._grad = None
        return self

    def compile(self, *args, **kwargs) -> None:
        """Mirrors ``Module.compile``: accepted; minitorch runs the module as it is."""

    # ---- state_dict -----------------------------------------------------------------------
    def _state_hooks(self, kind: str) -> OrderedDict:
        """The state_dict / load_state_dict hooks of ``kind``, created on first use."""
        return self.__dict__.setdefault(f"_{kind}_hooks", OrderedDict())

    def register_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors ``Module.register_state_dict_pre_hook``: ``hook(module, prefix,
        keep_vars)`` runs before the module saves its state."""
        return RemovableHandle(self._state_hooks("state_dict_pre"), hook)

    def register_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors ``Module.register_state_dict_post_hook``: ``hook(module, state_dict,
        prefix, local_metadata)`` runs after the module and its children saved theirs; it
        edits ``state_dict`` in place and must return None."""
        hook._from_public_api = True
        return RemovableHandle(self._state_hooks("state_dict"), hook)

    def _register_state_dict_hook(self, hook: Callable) -> RemovableHandle:
        """The private form: the hook may return a new state_dict."""
        if getattr(hook, "_from_public_api", False):
            raise RuntimeError(
                "Cannot register the same function as the state dict post hook that was "
                "previously registered via register_state_dict_post_hook"
            )
        return RemovableHandle(self._state_hooks("state_dict"), hook)

    def register_load_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors ``Module.register_load_state_dict_pre_hook``: ``hook(module, state_dict,
        prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)`` runs
        before the module loads (it may edit ``state_dict``)."""
        return RemovableHandle(self._state_hooks("load_state_dict_pre"), hook)

    def _register_load_state_dict_pre_hook(self, hook: Callable, with_module: bool = False):
        """The private form: without ``with_module`` the hook gets no module argument."""
        if with_module:
            return self.register_load_state_dict_pre_hook(hook)
        return self.register_load_state_dict_pre_hook(lambda module, *args: hook(*args))

    def register_load_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors ``Module.register_load_state_dict_post_hook``: ``hook(module,
        incompatible_keys)`` runs after loading, before strict checking; it may edit the
        missing/unexpected key lists."""
        return RemovableHandle(self._state_hooks("load_state_dict_post"), hook)

    def get_extra_state(self):
        """Mirrors ``Module.get_extra_state``: override it (with ``set_extra_state``) to
        save extra picklable state in the state_dict under ``_extra_state``."""
        raise RuntimeError(
            "Reached a code path in Module.get_extra_state() that should never be called."
        )

    def set_extra_state(self, state) -> None:
        """Mirrors ``Module.set_extra_state``: receives what ``get_extra_state`` returned."""
        raise RuntimeError(
            "Reached a code path in Module.set_extra_state() that should never be called."
        )

    def _has_extra_state(self, which: str) -> bool:
        return getattr(type(self), which) is not getattr(Module, which)

    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        if self._has_extra_state("get_extra_state"):
            destination[prefix + "_extra_state"] = self.get_extra_state()

    def state_dict(
        self, *args, destination: dict | None = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict:
        """Mirrors ``Module.state_dict``: parameters and persistent buffers by dotted name,
        sharing memory with the module (detached unless ``keep_vars``); its ``_metadata``
        maps each module's name to ``{"version": module._version}``."""
        if args:  # the legacy positional form state_dict(destination, prefix, keep_vars)
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.state_dict for details.",
                FutureWarning,
                stacklevel=2,
            )
            # as PyTorch's: each positional one fills its keyword left at its default
            if destination is None:
                destination = args[0]
            if len(args) > 1 and prefix == "":
                prefix = args[1]
            if len(args) > 2 and keep_vars is False:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in self.__dict__.get("_state_dict_pre_hooks", {}).values():
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(
                    destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars
                )
        for hook in self.__dict__.get("_state_dict_hooks", {}).values():
            result = hook(self, destination, prefix, local_metadata)
            if result is not None:
                if getattr(hook, "_from_public_api", False):
                    raise RuntimeError("state_dict post-hook must return None")
                destination = result
        return destination

    def _load_from_state_dict(
        self,
        state_dict: dict,
        prefix: str,
        local_metadata: dict,
        strict: bool,
        missing_keys: list,
        unexpected_keys: list,
        error_msgs: list,
    ) -> None:
        for hook in self.__dict__.get("_load_state_dict_pre_hooks", {}).values():
            hook(
                self,
                state_dict,
                prefix,
                local_metadata,
                strict,
                missing_keys,
                unexpected_keys,
                error_msgs,
            )
        assign = local_metadata.get("assign_to_params_buffers", False)
        persistent = {
            k: v for k, v in self._buffers.items() if k not in self._non_persistent_buffers_set
        }
        local = {k: v for k, v in [*self._parameters.items(), *persistent.items()] if v is not None}
        for name, current in local.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            if is_lazy(current):  # still uninitialized: so is the checkpoint's
                continue
            value = state_dict[key]
            if not (isinstance(value, Tensor) or hasattr(value, "__array__")):
                error_msgs.append(
                    f'While copying the parameter named "{key}", expected minitorch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(value)}"
                )
                continue
            shape = tuple(value.shape) if hasattr(value, "shape") else np.shape(value)
            if not current._data.ndim and shape == (1,):  # PyTorch 0.3 scalars were 1-d
                shape = ()
            if shape != current._data.shape:
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {_size(shape)} "
                    f"from checkpoint, the shape in current model is "
                    f"{_size(current._data.shape)}."
                )
                continue
            try:
                with no_grad():
                    if assign:
                        self._assign(name, value, current)
                    else:
                        current.copy_(_as_tensor(value).reshape(shape))
            except Exception as e:  # noqa: BLE001 (reported with the key, like PyTorch)
                error_msgs.append(
                    f'While copying the parameter named "{key}", whose dimensions in the '
                    f"model are {_size(current._data.shape)} and whose dimensions in the "
                    f"checkpoint are {_size(shape)}, an exception occurred : {e.args}."
                )
        extra = prefix + "_extra_state"
        if self._has_extra_state("set_extra_state"):
            if extra in state_dict:
                self.set_extra_state(state_dict[extra])
            elif strict:
                missing_keys.append(extra)
        elif strict and extra in state_dict:
            unexpected_keys.append(extra)
        if strict:
            for key in state_dict:
                if not key.startswith(prefix) or key == extra:
                    continue
                parts = key[len(prefix) :].split(".", 1)
                known = self._modules if len(parts) > 1 else local
                if parts[0] not in known:
                    unexpected_keys.append(key)

    def _assign(self, name: str, value, current: Tensor) -> None:
        # as PyTorch's, through setattr: a checkpoint's Parameter given to a buffer makes it
        # a parameter, and a parameter keeps its requires_grad
        t = _as_tensor(value)
        if isinstance(current, Parameter):
            if isinstance(t, Parameter):  # the checkpoint's own Parameter, as in PyTorch
                t.requires_grad_(current.requires_grad)
            else:
                t = Parameter(t, current.requires_grad)
        setattr(self, name, t)

    def load_state_dict(self, state_dict: dict, strict: bool = True, assign: bool = False):
        """Mirrors ``Module.load_state_dict``: copies tensors (or numpy arrays) into the
        module's parameters and buffers. Returns ``(missing_keys, unexpected_keys)``; with
        ``strict`` a key mismatch raises, and a shape mismatch always raises."""
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing: list = []
        unexpected: list = []
        errors: list = []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata

        def load(module: Module, local_state_dict: dict, prefix: str = "") -> None:
            # as PyTorch's: each child sees only its own keys; post hooks run post-order
            meta = {} if metadata is None else metadata.get(prefix[:-1], {})
            if assign:
                meta["assign_to_params_buffers"] = assign
            module._load_from_state_dict(
                local_state_dict, prefix, meta, True, missing, unexpected, errors
            )
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    child_state = {
                        k: v for k, v in local_state_dict.items() if k.startswith(child_prefix)
                    }
                    load(child, child_state, child_prefix)
            incompatible = _IncompatibleKeys(missing, unexpected)
            for hook in module.__dict__.get("_load_state_dict_post_hooks", {}).values():
                if hook(module, incompatible) is not None:
                    raise AssertionError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace."
                    )

        load(self, state_dict)
        if strict:
            if unexpected:
                errors.insert(
                    0,
                    "Unexpected key(s) in state_dict: {}. ".format(
                        ", ".join(f'"{k}"' for k in unexpected)
                    ),
                )
            if missing:
                errors.insert(
                    0,
                    "Missing key(s) in state_dict: {}. ".format(
                        ", ".join(f'"{k}"' for k in missing)
                    ),
                )
        if errors:
            raise RuntimeError(
                "Error(s) in loading state_dict for {}:\n\t{}".format(
                    type(self).__name__, "\n\t".join(errors)
                )
            )
        return _IncompatibleKeys(missing, unexpected)

    # ---- printing -------------------------------------------------------------------------
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """Mirrors ``Module.extra_repr``: the one-line summary of the module's own settings."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({key}): " + _addindent(repr(module), 2) for key, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"


def _size(shape) -> str:
    return f"minitorch.Size({list(shape)})"


def _plain(t: Tensor) -> Tensor:
    return make_tensor(t._data, t.requires_grad, None, 0, t._vc)


def _as_tensor(value) -> Tensor:
    """A state_dict entry as a Tensor: minitorch tensors as they are, arrays (numpy, or
    anything with ``__array__`` such as a PyTorch tensor) wrapped."""
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a foreign framework's tensor
        value = value.detach().cpu().numpy()
    return make_tensor(np.asarray(value))
