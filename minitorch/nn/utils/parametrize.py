"""Parametrizations: a parameter computed from others on each access (mirrors
``torch.nn.utils.parametrize``).

As in PyTorch, registering the first parametrization on a module swaps the module's class
for a subclass ``Parametrized<Class>`` whose property computes the tensor from the tensors
kept in ``module.parametrizations[name]`` (``original``, or ``original0``, ``original1``, ...
when the parametrization's ``right_inverse`` returns several), so state_dict keys and
parameter names equal PyTorch's.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Sequence

from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..modules.container import ModuleDict, ModuleList
from ..modules.module import Module
from ..parameter import Parameter

_cache: dict | None = None  # (module id, name) -> tensor while ``cached()`` is on


@contextlib.contextmanager
def cached():
    """Mirrors ``parametrize.cached``: each parametrized tensor is computed once inside."""
    global _cache
    outer = _cache
    if outer is None:
        _cache = {}
    try:
        yield
    finally:
        if outer is None:
            _cache = None


def _as_leaf(original: Tensor, value: Tensor) -> Tensor:
    """``value`` as a new Parameter (or buffer) that requires grad as ``original`` did."""
    data = value.detach()
    return Parameter(data, original.requires_grad) if isinstance(original, Parameter) else data


def _check_parametrized(value, dtype, shape) -> None:
    """PyTorch's check of a new parametrization: it gives a tensor of the dtype and shape of
    the tensor it parametrizes (unless registered with ``unsafe=True``)."""
    if not isinstance(value, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {type(value).__name__}.")
    for what, before, after in (("dtype", dtype, value.dtype), ("shape", shape, value.shape)):
        if after != before:
            raise ValueError(
                f"Registering a parametrization may not change the {what} of the tensor, "
                f"unless `unsafe` flag is enabled.\nunparametrized {what}: {before}\n"
                f"parametrized {what}: {after}"
            )


class ParametrizationList(ModuleList):
    """Mirrors ``parametrize.ParametrizationList``: the parametrizations of one tensor and
    the unconstrained tensor(s) they are applied to."""

    def __init__(self, modules, original: Tensor, unsafe: bool = False) -> None:
        super().__init__(modules)
        self.unsafe = unsafe
        shape, dtype = original.shape, original.dtype  # before right_inverse's value replaces it
        with no_grad():
            new = original
            for module in reversed(list(self)):
                if hasattr(module, "right_inverse"):
                    try:
                        new = module.right_inverse(new)
                    except NotImplementedError:  # taken as the identity, as PyTorch does
                        pass
        if not isinstance(new, (Tensor, Sequence)):
            raise ValueError(
                "'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                f"Got {type(new).__name__}"
            )
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if new.dtype != original.dtype:
                raise ValueError(
                    "When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                    f"original.dtype: {original.dtype}\nright_inverse(original).dtype: "
                    f"{new.dtype}"
                )
            if new is not original:
                original.data = new.detach()  # the same Parameter object: optimizers keep it
            self._register("original", original)
        else:
            for i, t in enumerate(new):
                if not isinstance(t, Tensor):
                    raise ValueError(
                        "'right_inverse' must return a Tensor or a Sequence of tensors (list, "
                        f"tuple...). Got element {i} of the sequence with type "
                        f"{type(t).__name__}."
                    )
                self._register(f"original{i}", _as_leaf(original, t))
        if not unsafe:  # PyTorch evaluates it once here (a spectral norm's power step)
            _check_parametrized(self(), dtype, shape)

    def _register(self, name: str, t: Tensor) -> None:
        if isinstance(t, Parameter):
            self.register_parameter(name, t)
        else:
            self.register_buffer(name, t)

    def right_inverse(self, value: Tensor) -> None:
        """Sets the original tensor(s) so that the parametrized tensor equals ``value``."""
        with no_grad():
            for module in reversed(self._chain()):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError(
                        f"parametrization {type(module).__name__} does not implement right_inverse."
                    )
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    raise ValueError(
                        f"`right_inverse` should return a tensor. Got {type(value).__name__}"
                    )
                if value.dtype != self.original.dtype:
                    raise ValueError(
                        f"The tensor returned by `right_inverse` has dtype {value.dtype} "
                        f"while `original` has dtype {self.original.dtype}"
                    )
                self.original.set_(value)  # in place, as PyTorch's (the version moves on)
                return
            if not isinstance(value, Sequence):
                raise ValueError(
                    "'right_inverse' must return a sequence of tensors. "
                    f"Got {type(value).__name__}."
                )
            if len(value) != self.ntensors:
                raise ValueError(
                    "'right_inverse' must return a sequence of tensors of length "
                    f"{self.ntensors}. Got a sequence of length {len(value)}."
                )
            for i, t in enumerate(value):  # each checked and set in turn, as in PyTorch
                original = getattr(self, f"original{i}")
                if not isinstance(t, Tensor):
                    raise ValueError(
                        "'right_inverse' must return a sequence of tensors or reference-type "
                        f"opaques. Got element {i} of type {type(t).__name__}."
                    )
                if t.dtype != original.dtype:
                    raise ValueError(
                        f"Tensor {i} returned by `right_inverse` has dtype {t.dtype} while "
                        f"`original{i}` has dtype {original.dtype}"
                    )
                original.set_(t)

    def _chain(self) -> list:
        """The parametrizations, first to last (not a nested ``parametrizations`` dict)."""
        chain = []
        while str(len(chain)) in self._modules:
            chain.append(self._modules[str(len(chain))])
        return chain

    def forward(self) -> Tensor:
        modules = self._chain()
        if self.is_tensor:
            x = modules[0](self.original)
        else:
            x = modules[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in modules[1:]:
            x = module(x)
        return x


def _property(name: str) -> property:
    def get(self):
        if _cache is None:
            return self.parametrizations[name]()
        key = (id(self), name)
        if key not in _cache:
            _cache[key] = self.parametrizations[name]()
        return _cache[key]

    def set(self, value) -> None:
        self.parametrizations[name].right_inverse(value)

    return property(get, set)


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    """Mirrors ``parametrize.is_parametrized``."""
    params = module.__dict__["_modules"].get("parametrizations")
    if not isinstance(params, ModuleDict):
        return False
    return len(params) > 0 if tensor_name is None else tensor_name in params


def type_before_parametrizations(module: Module) -> type:
    """Mirrors ``parametrize.type_before_parametrizations``."""
    cls = type(module)
    return cls.__bases__[0] if is_parametrized(module) else cls


def _check_appended(parametrization: Module, y: Tensor, name: str) -> None:
    """PyTorch's checks of a parametrization added on top of others: it and its
    ``right_inverse`` (if any) map tensors of ``y``'s dtype and shape to the same."""
    x = parametrization(y)
    if not isinstance(x, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {type(x).__name__}.")
    for what, before, after in (("dtype", y.dtype, x.dtype), ("shape", y.shape, x.shape)):
        if after != before:
            raise ValueError(
                f"Registering a parametrization may not change the {what} of the tensor, "
                f"unless the `unsafe` flag is enabled.\nmodule.{name}.{what}: {before}\n"
                f"parametrization(module.{name}).{what}: {after}"
            )
    if not hasattr(parametrization, "right_inverse"):
        return
    try:
        z = parametrization.right_inverse(x)
    except NotImplementedError:
        return
    if not isinstance(z, Tensor):
        raise ValueError(
            f"parametrization.right_inverse must return a tensor. Got: {type(z).__name__}"
        )
    for what, before, after in (("dtype", y.dtype, z.dtype), ("shape", y.shape, z.shape)):
        if after != before:
            raise ValueError(
                "The tensor returned by parametrization.right_inverse must have the same "
                f"{what} as module.{name}, unless the `unsafe` flag is enabled.\n"
                f"module.{name}.{what}: {before}\nreturned {what}: {after}"
            )


def _refuse_pickling(self):
    raise RuntimeError(
        "Serialization of parametrized modules is only supported through state_dict(). See:\n"
        "https://pytorch.org/tutorials/beginner/saving_loading_models.html"
        "#saving-loading-a-general-checkpoint-for-inference-and-or-resuming-training"
    )


def _deepcopy(self, memo: dict):
    # the standard deepcopy, which would otherwise go through the refusing __getstate__
    replica = memo.get(id(self))
    if replica is None:
        replica = memo[id(self)] = self.__new__(type(self))
        replica.__dict__ = copy.deepcopy(self.__dict__, memo)
    return replica


def _class_dict(cls: type) -> dict:
    """The namespace of ``Parametrized<cls>``, as PyTorch's: pickling refused, deepcopy
    kept."""
    namespace = {"__getstate__": _refuse_pickling}
    if not hasattr(cls, "__deepcopy__"):
        namespace["__deepcopy__"] = _deepcopy
    return namespace


def register_parametrization(
    module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False
) -> Module:
    """Mirrors ``parametrize.register_parametrization``: ``module.<tensor_name>`` becomes
    ``parametrization(original)`` (chained after earlier ones on the same tensor)."""
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        plist = module.parametrizations[tensor_name]
        if not unsafe:
            _check_appended(parametrization, getattr(module, tensor_name), tensor_name)
        plist.append(parametrization)
        plist.unsafe |= unsafe
        return module
    if tensor_name not in module._parameters and tensor_name not in module._buffers:
        raise ValueError(
            f"Module '{module}' does not have a parameter, a buffer, or a parametrized "
            f"element with name '{tensor_name}'"
        )
    original = getattr(module, tensor_name)
    plist = ParametrizationList([parametrization], original, unsafe=unsafe)
    delattr(module, tensor_name)
    if not is_parametrized(module):
        cls = type(module)
        module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), _class_dict(cls))
        module.parametrizations = ModuleDict()
    setattr(type(module), tensor_name, _property(tensor_name))
    module.parametrizations[tensor_name] = plist
    return module


def remove_parametrizations(
    module: Module, tensor_name: str, leave_parametrized: bool = True
) -> Module:
    """Mirrors ``parametrize.remove_parametrizations``: ``tensor_name`` becomes a plain
    parameter again, holding the parametrized value (or the original one)."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    plist = module.parametrizations[tensor_name]
    if plist.is_tensor:
        original = plist.original
        if leave_parametrized:
            with no_grad():
                value = getattr(module, tensor_name)
                if not isinstance(value, Tensor):  # PyTorch's original.set_(value)
                    raise TypeError(
                        "set_() received an invalid combination of arguments - got "
                        f"({type(value).__name__}), but expected one of: (Tensor source)"
                    )
                if type(original) is Tensor:  # a buffer
                    original.set_(value)
                else:
                    try:
                        original.set_(value)
                    except RuntimeError as e:  # another dtype (an unsafe parametrization's)
                        raise RuntimeError(
                            "Calling remove_parametrizations() with leave_parametrized=True for "
                            "a parameter that is an instance of a tensor subclass requires set_() "
                            "to be implemented correctly for the tensor subclass."
                        ) from e
    else:
        if not leave_parametrized:
            raise ValueError(
                "Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is "
                "parametrized in terms of a sequence of tensors."
            )
        # as PyTorch's: a Parameter when any original requires grad, else a buffer
        value = getattr(module, tensor_name)
        original = Parameter(value.detach(), True) if value.requires_grad else value
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    if isinstance(original, Parameter):
        module.register_parameter(tensor_name, original)
    else:
        module.register_buffer(tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module).__bases__[0]
    return module


def transfer_parametrizations_and_params(
    from_module: Module, to_module: Module, tensor_name: str | None = None
) -> Module:
    """Mirrors ``parametrize.transfer_parametrizations_and_params``: registers
    ``from_module``'s parametrizations (of ``tensor_name``, or all) on ``to_module`` (creating
    the parameter there if it has none), sharing the original tensors."""
    if not is_parametrized(from_module):
        return to_module
    names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
    for name in names:
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name)))
        source = from_module.parametrizations[name]
        for parametrization in source._chain():
            register_parametrization(to_module, name, parametrization)
        target = to_module.parametrizations[name]
        n = source.ntensors
        originals = ["original"] if source.is_tensor else [f"original{i}" for i in range(n)]
        for original in originals:
            setattr(target, original, getattr(source, original))
    return to_module
