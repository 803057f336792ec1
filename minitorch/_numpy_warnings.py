"""PyTorch computes inf and NaN silently (log(0), 1/0, overflow); numpy warns about them.

A warnings filter silences the warnings numpy raises from minitorch's own modules. It works
while it is the first filter. A program that puts its own filters in front
(``warnings.simplefilter("error")``, ``catch_warnings`` with "always", pytest's ``-W error``)
would see numpy's warnings again, or get them raised as errors. Then, and only then, ops run
numpy under ``np.errstate(all="ignore")``: setting it costs about a microsecond, too much for
every op, while checking the filters is one list lookup."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

warnings.filterwarnings(
    "ignore",
    r"(divide by zero|invalid value|overflow|underflow) encountered",
    RuntimeWarning,
    r"minitorch(\.|$)",
)
FILTER = warnings.filters[0]
_UNCHANGED = contextlib.nullcontext()


def filter_first() -> bool:
    """Whether minitorch's filter still comes first, so it silences numpy's warnings."""
    filters = warnings.filters
    return bool(filters) and filters[0] is FILTER


def numpy_quiet():
    """A context in which numpy computes inf and NaN without warnings, as PyTorch does: a
    no-op while the filter does that job."""
    return _UNCHANGED if filter_first() else np.errstate(all="ignore")
