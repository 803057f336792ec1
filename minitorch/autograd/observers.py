"""Switch points for the profiler and anomaly mode. While ``active`` is False (always,
unless one of them is on) ``Function.apply`` and the engine pay one attribute check."""

active = False
anomaly = False


def before_forward(ctx, args) -> None:
    """Called before an op's forward while ``active``; the profiler replaces it."""


def after_forward(ctx, args, out) -> None:
    """Called after an op's forward while ``active``; the profiler replaces it."""
