"""``minitorch.jit``: mirrors the names of ``torch.jit`` that eager programs call.

minitorch has no TorchScript compiler (like ``minitorch.compile``): ``script`` and ``trace``
give back the function or module itself, which computes the same numbers; the decorators
(``ignore``, ``unused``, ``export``) mark nothing; ``is_scripting()``/``is_tracing()`` are
False, as in PyTorch's eager mode. ``save``/``load`` of TorchScript archives cannot exist
without a compiler and raise, saying to save a ``state_dict`` with ``minitorch.save``. As in
PyTorch 2.13, ``script`` and ``trace`` warn (DeprecationWarning) that TorchScript is deprecated.
The classes (``ScriptModule``, ``ScriptFunction``, ``TracerWarning``, ...) exist for
``isinstance`` checks, warning filters and legacy ``ScriptModule`` subclasses.
"""

from __future__ import annotations

import warnings
from collections import namedtuple
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, Final

from .nn import Module

__all__ = [
    "Attribute",
    "Error",
    "Final",
    "RecursiveScriptModule",
    "ScriptFunction",
    "ScriptModule",
    "TracerWarning",
    "annotate",
    "export",
    "enable_onednn_fusion",
    "fork",
    "freeze",
    "fuser",
    "ignore",
    "interface",
    "is_scripting",
    "is_tracing",
    "load",
    "onednn_fusion_enabled",
    "optimize_for_inference",
    "optimized_execution",
    "save",
    "script",
    "script_if_tracing",
    "script_method",
    "set_fusion_strategy",
    "trace",
    "trace_module",
    "unused",
    "wait",
]

Attribute = namedtuple("Attribute", ["value", "type"])  # torch.jit.Attribute in eager mode


class Error(Exception):
    """Mirrors ``torch.jit.Error`` (the error of TorchScript code; minitorch never raises it)."""


class TracerWarning(Warning):
    """Mirrors ``torch.jit.TracerWarning`` (programs filter it; minitorch never warns it)."""


class ScriptModule(Module):
    """Mirrors ``torch.jit.ScriptModule``: a plain ``nn.Module`` here, so legacy subclasses
    (with ``@script_method``) run eagerly; nothing minitorch returns is an instance of it."""


class RecursiveScriptModule(ScriptModule):
    """Mirrors ``torch.jit.RecursiveScriptModule`` (what PyTorch's ``script(module)`` returns;
    minitorch's returns the module itself)."""


class ScriptFunction:
    """Mirrors ``torch.jit.ScriptFunction`` for ``isinstance`` checks (never instantiated:
    ``script(fn)`` returns ``fn``)."""


def _deprecated(name: str, instead: str) -> None:
    warnings.warn(
        f"`torch.jit.{name}` is deprecated. Please switch to {instead}.",
        DeprecationWarning,
        stacklevel=3,
    )


def script(obj: Any, optimize=None, _frames_up: int = 0, _rcb=None, example_inputs=None) -> Any:
    """Mirrors ``torch.jit.script``: returns ``obj`` (function or module) unchanged, as it
    is; nothing is compiled."""
    _deprecated("script", "`torch.compile` or `torch.export`")
    return obj


def trace(func: Any, example_inputs=None, *args: Any, **kwargs: Any) -> Any:
    """Mirrors ``torch.jit.trace``: returns ``func`` (function or module) unchanged, without
    running it on ``example_inputs``; nothing is recorded or compiled."""
    _deprecated("trace", "`torch.compile` or `torch.export`")
    return func


def trace_module(mod: Any, inputs: Any, *args: Any, **kwargs: Any) -> Any:
    """Mirrors ``torch.jit.trace_module``: returns ``mod`` unchanged (nothing is traced)."""
    return mod


# the fuser settings: remembered for their getters, they change nothing (there is no fuser)
_fusion = {"strategy": [("STATIC", 2), ("DYNAMIC", 10)], "onednn": False}
_FUSERS = ("fuser0", "fuser1", "fuser2", "fuser3", "none")


@contextmanager
def optimized_execution(should_optimize: bool):
    """Mirrors ``torch.jit.optimized_execution``: a context that changes nothing."""
    yield


@contextmanager
def fuser(name: str):
    """Mirrors ``torch.jit.fuser``: a context that checks the fuser's name and changes
    nothing."""
    if name not in _FUSERS:
        raise Exception(f"unrecognized fuser option (name: {name})")  # noqa: TRY002 (PyTorch's type)
    yield


def set_fusion_strategy(strategy: list) -> list:
    """Mirrors ``torch.jit.set_fusion_strategy``: returns the previous strategy (and warns
    that it is deprecated, as PyTorch 2.13 does)."""
    warnings.warn(
        "`torch.jit.set_fusion_strategy` is deprecated. Please use `torch.compile` instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    previous, _fusion["strategy"] = _fusion["strategy"], list(strategy)
    return previous


def enable_onednn_fusion(enabled: bool) -> None:
    """Mirrors ``torch.jit.enable_onednn_fusion`` (remembered, changes nothing)."""
    _fusion["onednn"] = bool(enabled)


def onednn_fusion_enabled() -> bool:
    """Mirrors ``torch.jit.onednn_fusion_enabled``."""
    return _fusion["onednn"]


def ignore(drop: bool | Callable = False, **kwargs: Any) -> Callable:
    """Mirrors ``torch.jit.ignore`` (as ``@ignore`` and ``@ignore(drop=...)``): the function
    itself."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn: Callable) -> Callable:
    """Mirrors ``torch.jit.unused``: the function (or property) itself."""
    return fn


def export(fn: Callable) -> Callable:
    """Mirrors ``torch.jit.export``: the method itself."""
    return fn


def script_method(fn: Callable) -> Callable:
    """Mirrors ``torch.jit.script_method``: the method itself."""
    return fn


def script_if_tracing(fn: Callable) -> Callable:
    """Mirrors ``torch.jit.script_if_tracing``: the function itself."""
    return fn


def interface(obj: Any) -> Any:
    """Mirrors ``torch.jit.interface``: the class itself."""
    return obj


def is_scripting() -> bool:
    """Mirrors ``torch.jit.is_scripting``: False (code never runs under TorchScript)."""
    return False


def is_tracing() -> bool:
    """Mirrors ``torch.jit.is_tracing``: False (code never runs under the tracer)."""
    return False


def annotate(the_type: Any, the_value: Any) -> Any:
    """Mirrors ``torch.jit.annotate``: ``the_value`` (the type is for the compiler)."""
    return the_value


def freeze(mod: Any, preserved_attrs=None, optimize_numerics: bool = True) -> Any:
    """Mirrors ``torch.jit.freeze``: the module itself."""
    return mod


def optimize_for_inference(mod: Any, other_methods=None) -> Any:
    """Mirrors ``torch.jit.optimize_for_inference``: the module itself."""
    return mod


class _Done:
    """The already-computed result of ``fork``, which ``wait`` returns."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def wait(self) -> Any:
        return self.value


def fork(func: Callable, *args: Any, **kwargs: Any) -> _Done:
    """Mirrors ``torch.jit.fork``: runs ``func`` now (eager PyTorch also runs it at once)
    and returns a future whose ``wait()`` gives the result."""
    return _Done(func(*args, **kwargs))


def wait(future: _Done) -> Any:
    """Mirrors ``torch.jit.wait``: the result of a ``fork``."""
    return future.wait()


def _no_archives(name: str) -> RuntimeError:
    return RuntimeError(
        f"minitorch.jit.{name}: minitorch has no TorchScript, so there are no TorchScript "
        "archives to save or load. Save the weights instead with "
        "minitorch.save(model.state_dict(), path), and restore them into a freshly built "
        "model with model.load_state_dict(minitorch.load(path))"
    )


def save(m: Any, f: Any, _extra_files=None) -> None:
    """Mirrors ``torch.jit.save`` by name only: raises (see the module docstring)."""
    raise _no_archives("save")


def load(f: Any, map_location=None, _extra_files=None) -> Any:
    """Mirrors ``torch.jit.load`` by name only: raises (see the module docstring)."""
    raise _no_archives("load")
