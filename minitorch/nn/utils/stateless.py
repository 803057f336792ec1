"""``functional_call``: runs a module with some of its parameters and buffers replaced by given
tensors, for the duration of one call (mirrors ``torch.nn.utils.stateless`` / ``torch.func``).
MAML-style code passes ``p - lr * grad`` tensors here so that the outer loss differentiates
through the inner updates."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from ..._tensor import Tensor
from ..modules.module import Module

_REGISTRIES = ("_parameters", "_buffers")
_MISSING = object()


def _owner(module: Module, name: str) -> tuple[Module, str]:
    """The submodule holding ``name`` and the attribute's own name (PyTorch's errors for a
    missing submodule or one that is no Module)."""
    prefix, _, attr = name.rpartition(".")
    path = prefix.split(".") if prefix else []
    for i, part in enumerate(path):
        try:
            sub = getattr(module, part)
        except AttributeError:
            raise AttributeError(f"{module._get_name()} has no attribute `{part}`") from None
        if not isinstance(sub, Module):
            raise TypeError(
                f"submodule `{'.'.join(path[: i + 1])}`: {sub} is not an instance of "
                "torch.nn.Module"
            )
        module = sub
    return module, attr


def _tied_names(module: Module, names: dict) -> dict:
    """Adds the other names of a tied parameter or buffer to ``names`` (PyTorch's
    ``tie_weights=True``): replacing ``encoder.weight`` also replaces ``decoder.weight`` when
    both are one Parameter."""
    by_id = {}
    for registry in _REGISTRIES:
        for prefix, mod in module.named_modules(remove_duplicate=False):
            for attr, t in getattr(mod, registry).items():
                if t is not None:
                    by_id.setdefault(id(t), []).append(f"{prefix}.{attr}" if prefix else attr)
    tied = dict(names)
    for name, value in names.items():
        try:
            mod, attr = _owner(module, name)
        except (AttributeError, TypeError):
            continue
        original = mod._parameters.get(attr, mod._buffers.get(attr))
        group = by_id.get(id(original), ()) if original is not None else ()
        # PyTorch's check, which looks up every tied name: a KeyError for one not given
        if sum(n in names for n in group) > 1 and len({id(names[n]) for n in group}) != 1:
            raise ValueError(
                f"functional_call got multiple values for keys {sorted(group)}, which are "
                "tied. Consider using tie_weights=False"
            )
        for other in group:
            if other not in names:
                tied[other] = value
    return tied


def _check_strict(module: Module, names: dict) -> None:
    expected = {n for n, _ in module.named_parameters(remove_duplicate=False)}
    expected |= {n for n, _ in module.named_buffers(remove_duplicate=False)}
    unexpected, missing = sorted(set(names) - expected), sorted(expected - set(names))
    if unexpected or missing:
        lines = [f"Error(s) in reparametrizing for {type(module).__name__}:"]
        if unexpected:
            lines.append("\tUnexpected key(s): " + ", ".join(repr(k) for k in unexpected) + ".")
        if missing:
            lines.append("\tMissing key(s): " + ", ".join(repr(k) for k in missing) + ".")
        raise RuntimeError("\n".join(lines))


def functional_call(
    module: Module,
    parameters_and_buffers: Mapping,
    args: Any = None,
    kwargs: dict | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """Mirrors ``torch.nn.utils.stateless.functional_call``: ``torch.func.functional_call``
    of one dict, with PyTorch's deprecation warning."""
    warnings.warn(
        "`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will "
        "be removed in a future version of PyTorch. Please use `torch.func.functional_call` "
        "instead which is a drop-in replacement.",
        FutureWarning,
        stacklevel=2,
    )
    if not isinstance(parameters_and_buffers, Mapping):  # PyTorch reads its keys (or updates it)
        if not tie_weights and strict:
            set(parameters_and_buffers)  # PyTorch's strict check: a set of its keys
        method = "keys" if tie_weights or strict else "update"
        raise AttributeError(
            f"'{type(parameters_and_buffers).__name__}' object has no attribute '{method}'"
        )
    return _functional_call(
        module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights, strict=strict
    )


def _functional_call(
    module: Module,
    parameters_and_buffers: Mapping | Sequence[Mapping],
    args: Any = None,
    kwargs: dict | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """Mirrors ``torch.func.functional_call`` (and ``torch.nn.utils.stateless.functional_call``):
    ``module(*args, **kwargs)`` with the named parameters/buffers replaced by the given tensors;
    the module's own are restored afterwards, even if the call raises. As in PyTorch, what
    the call left in those slots (``self.foo = self.foo + 1``) is written back into a single
    given dict."""
    if isinstance(parameters_and_buffers, Mapping):
        dicts = [parameters_and_buffers]
    elif isinstance(parameters_and_buffers, (tuple, list)):
        dicts = list(parameters_and_buffers)
        if not all(isinstance(d, Mapping) for d in dicts):
            raise ValueError(
                "Expected all elements of parameter_and_buffer_dicts to be dictionaries"
            )
    else:
        raise ValueError(
            "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but "
            f"got {type(parameters_and_buffers)}"
        )
    names: dict = {}
    for d in dicts:
        repeated = sorted(set(names) & set(d))
        if repeated:
            raise ValueError(
                f"{repeated} appeared in multiple dictionaries; behavior of functional call "
                "is ambiguous"
            )
        names.update(d)
    if tie_weights:
        names = _tied_names(module, names)
    if strict:
        _check_strict(module, names)
    saved = []
    try:
        for name, value in names.items():
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"{value} is not an instance of torch.Tensor")
            mod, attr = _owner(module, name)
            if not attr:
                raise KeyError('tensor name can\'t be empty string ""')
            registry = next((r for r in _REGISTRIES if attr in getattr(mod, r)), None)
            if registry is None:  # any other name is set as an attribute, as PyTorch does
                original = getattr(mod, attr, _MISSING)
                if original is not _MISSING and not isinstance(original, (Tensor, type(None))):
                    raise TypeError(
                        f"attribute `{attr}`: {original} is not an instance of torch.Tensor"
                    )
                setattr(mod, attr, value)  # a Parameter registers; a parametrization sets
                saved.append((name, mod, attr, None, original))  # once set (PyTorch's)
            else:
                saved.append((name, mod, attr, registry, getattr(mod, registry)[attr]))
                getattr(mod, registry)[attr] = value
        if args is None:
            args = ()
        elif not isinstance(args, tuple):
            args = (args,)
        return module(*args, **(kwargs or {}))
    finally:
        for name, mod, attr, registry, original in reversed(saved):
            if isinstance(parameters_and_buffers, dict) and name in parameters_and_buffers:
                table = None if registry is None else getattr(mod, registry)
                parameters_and_buffers[name] = (
                    getattr(mod, attr, None) if table is None else table.get(attr)
                )
            if registry is not None:
                getattr(mod, registry)[attr] = original
            elif original is _MISSING:
                if hasattr(mod, attr):
                    delattr(mod, attr)
            else:
                setattr(mod, attr, original)
