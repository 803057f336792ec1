"""``minitorch.compiler``: mirrors ``torch.compiler``'s helpers that model code calls. minitorch
has no compiler (``minitorch.compile`` gives the function back), so nothing is ever being
compiled and the markers give back what they mark."""

from __future__ import annotations

from collections.abc import Callable


def is_compiling() -> bool:
    """Mirrors ``torch.compiler.is_compiling``: always False."""
    return False


def is_dynamo_compiling() -> bool:
    """Mirrors ``torch.compiler.is_dynamo_compiling``: always False."""
    return False


def disable(fn: Callable | None = None, recursive: bool = True, *, reason=None):
    """Mirrors ``torch.compiler.disable`` (as a decorator with or without arguments): ``fn``
    unchanged."""
    return (lambda f: f) if fn is None else fn


def allow_in_graph(fn: Callable) -> Callable:
    """Mirrors ``torch.compiler.allow_in_graph``: ``fn`` unchanged."""
    return fn


def assume_constant_result(fn: Callable) -> Callable:
    """Mirrors ``torch.compiler.assume_constant_result``: ``fn`` unchanged."""
    return fn


def reset() -> None:
    """Mirrors ``torch.compiler.reset``: no compiled code to forget."""


def cudagraph_mark_step_begin() -> None:
    """Mirrors ``torch.compiler.cudagraph_mark_step_begin``: no CUDA graphs to mark."""
