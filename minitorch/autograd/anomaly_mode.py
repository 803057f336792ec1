"""Anomaly mode (mirrors ``torch.autograd.detect_anomaly`` / ``set_detect_anomaly``): while
on, every graph node remembers the Python stack of the forward call that created it, and a
backward that returns nan or inf raises a RuntimeError naming the node and showing that stack.
The checks live in ``observers`` (they cost nothing while anomaly mode is off)."""

from __future__ import annotations

import functools
import warnings

from . import observers


def is_anomaly_enabled() -> bool:
    """Mirrors ``torch.is_anomaly_enabled``."""
    return observers.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """Mirrors ``torch.is_anomaly_check_nan_enabled``."""
    return observers.check_nan


def _set(enabled: bool, check_nan: bool) -> None:
    observers.anomaly = bool(enabled)
    observers.check_nan = bool(enabled) and bool(check_nan)
    observers.refresh()


class set_detect_anomaly:
    """Mirrors ``torch.autograd.set_detect_anomaly(mode, check_nan=True)``: switches anomaly
    mode on or off at once; as a context manager it restores the previous setting on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (observers.anomaly, observers.check_nan)
        _set(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        _set(*self._prev)


class detect_anomaly:
    """Mirrors ``torch.autograd.detect_anomaly(check_nan=True)``: a context manager (and
    decorator) that turns anomaly mode on inside it."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and "
            "should only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        self._prev = (observers.anomaly, observers.check_nan)
        _set(True, self.check_nan)

    def __exit__(self, *exc) -> None:
        _set(*self._prev)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper
