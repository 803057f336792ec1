"""The comparison the differential fuzzers share (losses, attention, reductions,
distributions): each outcome is a tree of lists, ("error", type, message) and
("tensor", dtype, shape, flags..., array) tuples, and plain values."""

from __future__ import annotations

import re

import numpy as np


def assert_same(actual, expected, where: str = "outcome", floor: str = "float64", *, tolerance: dict) -> None:  # fmt: skip
    """Asserts the outcomes agree: tensors within their dtype's (rtol, atol) from
    ``tolerance`` (or ``floor``'s, the least precise operand's: NaN == NaN; integers
    exactly), an error of the same type whose message holds PyTorch's first words."""
    if isinstance(expected, tuple) and expected and expected[0] == "error":
        return assert_error_same(actual, expected, where)
    if isinstance(expected, tuple) and expected and expected[0] == "tensor":
        assert isinstance(actual, tuple) and actual[:4] == expected[:4], (where, actual, expected)
        a, e = actual[4], expected[4]
        if e.dtype.kind == "f":
            rtol, atol = np.maximum(tolerance[expected[1]], tolerance[floor])
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=where)
        else:
            np.testing.assert_array_equal(a, e, err_msg=where)
        return
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, actual, expected)
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{where}[{i}]", floor, tolerance=tolerance)
        return
    assert actual == expected, (where, actual, expected)


def assert_error_same(actual, expected, where: str) -> None:
    """Asserts ``actual`` is an ("error", type, message) of ``expected``'s type whose message
    holds PyTorch's first words (to the first '.', '(', ':' or line end; at most 48 characters;
    runs of blanks as one: PyTorch's messages hold a source line's indentation)."""
    assert isinstance(actual, tuple) and actual[:2] == expected[:2], (where, actual, expected)
    words = " ".join(re.split(r"[.(:\n]", expected[2].strip())[0].split())[:48]
    assert words in " ".join(actual[2].split()), (where, actual[2], expected[2])
