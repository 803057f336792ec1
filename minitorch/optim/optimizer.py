"""Optimizer: parameter groups, zero_grad, state_dict (mirrors ``torch.optim.Optimizer``)."""

from __future__ import annotations

import contextlib
import copy
import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._dtypes import float64, get_default_dtype
from .._numpy_warnings import numpy_quiet
from .._tensor import RemovableHandle, Tensor, make_tensor
from ..autograd import observers
from ..autograd.grad_mode import enable_grad
from ..autograd.grad_mode import state as grad_state
from ..autograd.profiler import record_function
from ..backends import to_backend
from ..nn.modules.module import zero_grads


class _Required:
    """Marks an option a parameter group must give (mirrors ``torch.optim.optimizer.required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()
_HOOK_KINDS = ("step_pre", "step_post", "state_dict_pre", "state_dict_post")
_HOOK_KINDS += ("load_pre", "load_post")


_GLOBAL_PRE: OrderedDict = OrderedDict()  # hooks of every optimizer's step, before its own
_GLOBAL_POST: OrderedDict = OrderedDict()  # and after its own


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.optim.optimizer.register_optimizer_step_pre_hook``: ``hook(optimizer,
    args, kwargs)`` runs before every optimizer's ``step`` (before its own pre hooks)."""
    return RemovableHandle(_GLOBAL_PRE, hook)


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """Mirrors ``torch.optim.optimizer.register_optimizer_step_post_hook``: ``hook(optimizer,
    args, kwargs)`` runs after every optimizer's ``step`` (after its own post hooks)."""
    return RemovableHandle(_GLOBAL_POST, hook)


_NO_RANGE = contextlib.nullcontext()


def _profiled(optimizer, method: str):
    """PyTorch's profiler range around an optimizer's ``step`` and ``zero_grad``
    ("Optimizer.step#SGD.step"), while a profile records."""
    if observers.profiler is None:
        return _NO_RANGE
    name = type(optimizer).__name__
    return record_function(f"Optimizer.{method}#{name}.{method}")


def _records_step(step: Callable, built_in: bool) -> Callable:
    """``step`` with the optimizer's hooks around it; a built-in optimizer's step runs with
    grad mode off, as PyTorch's (a user's subclass keeps the caller's mode, as there)."""
    if built_in:
        plain = step

        def step(*args, **kwargs):
            prev, grad_state.enabled = grad_state.enabled, False
            try:
                return plain(*args, **kwargs)
            finally:
                grad_state.enabled = prev

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        with _profiled(self, "step"):
            return hooked(self, *args, **kwargs)

    def hooked(self, *args, **kwargs):
        self._opt_called = True  # lets an LR scheduler check the call order
        hooks = self.__dict__.get("_hook_dicts")
        if not (hooks or _GLOBAL_PRE or _GLOBAL_POST):
            with numpy_quiet():  # PyTorch's updates overflow to inf without warnings
                return step(self, *args, **kwargs)
        args = (self, *args)  # as PyTorch's, the hooks' args start with the optimizer
        pre = [*_GLOBAL_PRE.values(), *(hooks["step_pre"].values() if hooks else ())]
        for hook in pre:
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        f"{hook} must return None or a tuple of (new_args, new_kwargs), but "
                        f"got {result}."
                    )
                args, kwargs = result
        with numpy_quiet():
            out = step(*args, **kwargs)
        for hook in [*(hooks["step_post"].values() if hooks else ()), *_GLOBAL_POST.values()]:
            hook(self, args, kwargs)
        return out

    wrapper._wrapped_by_lr_sched = True  # a step an LR scheduler can see being called
    return wrapper


class Optimizer:
    """Mirrors ``torch.optim.Optimizer``: ``params`` is an iterable of Tensors, of
    ``(name, Tensor)`` pairs, or of dicts (parameter groups with their own options);
    ``defaults`` holds the options a group does not set. ``_loaded_group_defaults``: the
    options (in PyTorch's order) that its ``__setstate__`` gives a loaded group that lacks
    them, as state dicts of older versions do; an optimizer that has them (a built-in one) also
    turns loaded counters saved as numbers into tensors, as there."""

    _loaded_group_defaults: dict[str, Any] = {}

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {params.type()}; wrap a single tensor in a list"
            )
        self.defaults = defaults
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            built_in = cls.__module__.startswith("minitorch.")
            cls.step = _records_step(cls.__dict__["step"], built_in)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines += [""] * (i > 0) + [f"Parameter Group {i}"]  # a blank line between groups
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Mirrors ``Optimizer.add_param_group``: validates the group, fills in the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        _check_ordered(params)
        params = list(params)
        named = [isinstance(p, tuple) for p in params]
        if any(named):
            if not all(named):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = [name for name, _ in params]
            params = [p for _, p in params]
        param_group["params"] = params
        _check_params(params)
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                stacklevel=3,
            )
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        for group in self.param_groups:
            if ("param_names" in group) != ("param_names" in param_group):
                raise ValueError(
                    "all optimizer param groups should be with/without names. cannot add param "
                    f"group {'with' if 'param_names' in param_group else 'without'} names to "
                    "the optimizer"
                )
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors ``Optimizer.register_step_pre_hook``: ``hook(optimizer, args, kwargs)``
        runs before each ``step`` and may return ``(new_args, new_kwargs)``."""
        return self._add_hook("step_pre", hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors ``Optimizer.register_step_post_hook``: ``hook(optimizer, args, kwargs)``
        runs after each ``step``."""
        return self._add_hook("step_post", hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False):
        """Mirrors ``Optimizer.register_state_dict_pre_hook``: ``hook(optimizer)`` runs
        before ``state_dict`` builds the dict."""
        return self._add_hook("state_dict_pre", hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False):
        """Mirrors ``Optimizer.register_state_dict_post_hook``: ``hook(optimizer,
        state_dict)`` may return a replacement dict."""
        return self._add_hook("state_dict_post", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False):
        """Mirrors ``Optimizer.register_load_state_dict_pre_hook``: ``hook(optimizer,
        state_dict)`` may return the dict to load instead."""
        return self._add_hook("load_pre", hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False):
        """Mirrors ``Optimizer.register_load_state_dict_post_hook``: ``hook(optimizer)`` runs
        after ``load_state_dict``."""
        return self._add_hook("load_post", hook, prepend)

    def _add_hook(self, kind: str, hook: Callable, prepend: bool = False) -> RemovableHandle:
        d = self.__dict__
        if "_hook_dicts" not in d:
            d["_hook_dicts"] = {k: OrderedDict() for k in _HOOK_KINDS}
        hooks = d["_hook_dicts"][kind]
        handle = RemovableHandle(hooks, hook)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def _run_hooks(self, kind: str, *args):
        """Runs the hooks of ``kind``; returns the last non-None result (or None)."""
        result = None
        for hook in list(self.__dict__.get("_hook_dicts", {}).get(kind, {}).values()):
            out = hook(self, *args)
            if out is not None:
                result = out
                if args:  # a replacement dict is what the next hook sees
                    args = (out, *args[1:])
        return result

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Mirrors ``Optimizer.zero_grad``: drops the gradients (or zeroes them in place)."""
        with _profiled(self, "zero_grad"):
            for group in self.param_groups:
                zero_grads(group["params"], set_to_none)

    def step(self, closure: Callable | None = None):
        """Mirrors ``Optimizer.step``: one update; ``closure`` re-evaluates the loss."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    @staticmethod
    def _evaluate(closure: Callable | None):
        """Runs the closure (with grad mode on, as PyTorch does) and returns its loss."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def state_dict(self) -> dict[str, Any]:
        """Mirrors ``Optimizer.state_dict``: ``{'state': {index: {...}}, 'param_groups': [...]}``
        where parameters are numbered in group order. The state tensors are the live ones,
        as in PyTorch; ``load_state_dict`` shares those it need not cast, as PyTorch's."""
        self._run_hooks("state_dict_pre")
        index: dict[int, int] = {}
        groups = []
        start = 0
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            # as PyTorch's: positions count every entry; a parameter repeated in a group takes
            # its last there, one of an earlier group keeps that group's
            fresh = [(id(p), i) for i, p in enumerate(group["params"], start) if id(p) not in index]
            index.update(fresh)
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {
            (index[id(k)] if isinstance(k, Tensor) else k): v
            for k, v in self.state.items()
            if not isinstance(k, Tensor) or id(k) in index
        }
        state_dict = {"state": state, "param_groups": groups}
        return self._run_hooks("state_dict_post", state_dict) or state_dict

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Mirrors ``Optimizer.load_state_dict``: copies the state onto this optimizer's
        parameters (matched by position) so that training continues exactly."""
        state_dict = self._run_hooks("load_pre", state_dict) or state_dict
        groups = self.param_groups
        saved_groups = state_dict["param_groups"]
        if len(groups) != len(saved_groups):
            raise ValueError(
                "loaded state dict has a different number of parameter groups "
                f"({len(saved_groups)}) than the optimizer ({len(groups)})"
            )
        for i, (g, s) in enumerate(zip(groups, saved_groups)):
            if len(g["params"]) != len(s["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    f"of optimizer's group: group {i} has {len(s['params'])} parameters in the "
                    f"state dict and {len(g['params'])} in the optimizer"
                )
        by_index = {
            i: p for g, s in zip(groups, saved_groups) for i, p in zip(s["params"], g["params"])
        }
        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            p = by_index.get(k)
            state[k if p is None else p] = v if p is None else _copy_state(v, p)
        new_groups = []
        # one deep copy of all the groups' options, as PyTorch's: a tensor lr that groups
        # shared (an optimizer's default) stays shared
        options = copy.deepcopy(
            [{k: v for k, v in s.items() if k != "params"} for s in saved_groups]
        )
        for g, new in zip(groups, options):
            new["params"] = g["params"]
            if "param_names" in g and "param_names" not in new:
                new["param_names"] = g["param_names"]
            for key, value in self._loaded_group_defaults.items():
                new.setdefault(key, value)
            new_groups.append(new)
        for st in state.values() if self._loaded_group_defaults else ():
            for key in _SCALAR_STATE.intersection(st):  # numbers in older versions' dicts
                if not isinstance(st[key], Tensor):
                    st[key] = scalar_state(float(st[key]))
        self.state = state
        self.param_groups = new_groups
        # PyTorch's __setstate__ (which loading calls): a group added later gets the flag
        self.defaults.setdefault("differentiable", False)
        self._run_hooks("load_post")


# the options Adadelta, Adamax, ASGD and Rprop give a loaded group that lacks them
LOADED_FLAGS = dict(foreach=None, maximize=False, differentiable=False, capturable=False)
_SCALAR_STATE = frozenset(("step", "mu_product", "eta", "mu"))


def scalar_dtype(fused: bool = False) -> np.dtype:
    """The dtype of the optimizers' 0-d state (step counts, NAdam's mu_product, ASGD's eta
    and mu): PyTorch's ``_get_scalar_dtype``, float64 when that is the default, else float32
    (always float32 for a ``fused`` group's step counts)."""
    wide = get_default_dtype() == float64 and not fused
    return np.dtype(np.float64 if wide else np.float32)


def scalar_state(value: float, fused: bool = False) -> Tensor:
    """A 0-d state tensor holding ``value`` in ``scalar_dtype(fused)``."""
    return make_tensor(np.array(value, scalar_dtype(fused)))


_LABELS = {
    "lr": "learning rate",
    "eps": "epsilon value",
    "momentum": "momentum value",
    "weight_decay": "weight_decay value",
    "alpha": "alpha value",
    "lr_decay": "lr_decay value",
    "initial_accumulator_value": "initial_accumulator_value value",
    "momentum_decay": "momentum_decay value",
    "rho": "rho value",
}


def check_options(
    differentiable: bool = False,
    fused: bool | None = None,
    foreach: bool | None = None,
    **options: float,
) -> None:
    """Validates an optimizer's numeric options (and fused/foreach) with PyTorch's messages."""
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if differentiable and fused:
        raise RuntimeError("`fused` does not support `differentiable`")
    if differentiable:
        raise RuntimeError(
            "differentiable=True is not supported: minitorch optimizers update the raw arrays "
            "outside autograd"
        )
    lr = options.get("lr")
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    for name, value in options.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_LABELS[name]}: {value}")


def _check_ordered(params) -> None:
    if isinstance(params, (set, frozenset)):
        raise TypeError(
            "optimizer parameters need to be organized in ordered collections, but the "
            "ordering of tensors in sets will change between runs. Please use a list instead."
        )


def _check_params(params: list) -> None:
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            kind = type(p)  # named as torch.typename names it
            name = kind.__qualname__
            if kind.__module__ != "builtins":
                name = f"{kind.__module__}.{name}"
            raise TypeError(
                f"optimizer can only optimize Tensors, but one of the params is {name} "
                f"(parameter {i})"
            )
        if not (p.is_leaf or p._retains_grad):
            raise ValueError(
                f"can't optimize a non-leaf Tensor (parameter {i} was computed by "
                f"{p.grad_fn.name()}); optimize the leaf it was computed from, or pass "
                "x.detach().requires_grad_()"
            )


def _copy_state(value, param: Tensor, key: str | None = None):
    """One loaded state value of ``param``, containers copied: tensors move to ``param``'s
    device and floating ones take its dtype, except the ``step`` counters, which stay as they
    are (on the host, as PyTorch's when not capturable or fused); a tensor that needs neither
    is shared, not copied (PyTorch's ``value.to(...)`` returns it: two optimizers loaded from
    one live dict share their state)."""
    if isinstance(value, Tensor):
        if key == "step":
            return value
        data = to_backend(value._data, param._data)
        if data.dtype.kind in "fV":
            data = data.astype(param._data.dtype, copy=False)
        return value if data is value._data else make_tensor(data)
    if isinstance(value, dict):
        return {k: _copy_state(v, param, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_state(v, param, key) for v in value)
    return value
