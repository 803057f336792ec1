"""The comparison the differential fuzzers share: each outcome is a tree of lists,
("error", type, message) and ("tensor", dtype, shape, flags..., array) tuples, and plain
values. ``assert_tree`` walks two trees; each fuzzer says how its tensors (and, if it
wants, its errors) compare. ``gradient_outcomes`` is the derivative probe several fuzzers
take."""

from __future__ import annotations

import re

import numpy as np


def assert_tree(actual, expected, where: str, compare_tensor, compare_error=None) -> None:
    """Asserts the trees agree: lists item by item, ("tensor", ...) tuples by
    ``compare_tensor(actual, expected, where)``, ("error", ...) tuples by ``compare_error``
    (default ``assert_error_same``), anything else by equality."""
    if isinstance(expected, tuple) and expected and expected[0] == "error":
        return (compare_error or assert_error_same)(actual, expected, where)
    if isinstance(expected, tuple) and expected and expected[0] == "tensor":
        return compare_tensor(actual, expected, where)
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, actual, expected)
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_tree(a, e, f"{where}[{i}]", compare_tensor, compare_error)
        return
    assert actual == expected, (where, actual, expected)


def assert_arrays_close(a, e, rtol: float, atol: float, where: str) -> None:
    """Floating arrays within (rtol, atol), NaN == NaN; other arrays exactly."""
    if e.dtype.kind == "f":
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=where)
    else:
        np.testing.assert_array_equal(a, e, err_msg=where)


def assert_same(actual, expected, where: str = "outcome", floor: str = "float64", *, tolerance: dict) -> None:  # fmt: skip
    """Asserts the outcomes agree: ("tensor", dtype, shape, flag, array) tuples within their
    dtype's (rtol, atol) from ``tolerance`` (or ``floor``'s, the least precise operand's),
    errors as ``assert_error_same``."""

    def compare_tensor(actual, expected, where):
        assert isinstance(actual, tuple) and actual[:4] == expected[:4], (where, actual, expected)
        rtol, atol = np.maximum(tolerance.get(expected[1], (0.0, 0.0)), tolerance[floor])
        assert_arrays_close(actual[4], expected[4], rtol, atol, where)

    assert_tree(actual, expected, where, compare_tensor)


def assert_error_same(actual, expected, where: str) -> None:
    """Asserts ``actual`` is an ("error", type, message) of ``expected``'s type whose message
    holds PyTorch's first words (to the first '.', '(', ':' or line end; at most 48 characters;
    runs of blanks as one: PyTorch's messages hold a source line's indentation)."""
    assert isinstance(actual, tuple) and actual[:2] == expected[:2], (where, actual, expected)
    words = " ".join(re.split(r"[.(:\n]", expected[2].strip())[0].split())[:48]
    assert words in " ".join(actual[2].split()), (where, actual[2], expected[2])


def gradient_outcomes(T, total, leaves: list, second: bool, array) -> list:
    """The gradients of ``total`` with respect to ``leaves`` (``array`` of each), and with
    ``second`` those of the first gradients' squared sum (when any of them requires grad)."""
    grads = T.autograd.grad(total, leaves, create_graph=second, allow_unused=True)
    out = [[array(g) for g in grads]]
    firsts = [g for g in grads if g is not None and g.requires_grad] if second else []
    if firsts:
        square = sum((g * g).sum() for g in firsts)
        out.append([array(g) for g in T.autograd.grad(square, leaves, allow_unused=True)])
    return out


def tensor_outcome(t) -> tuple:
    """A result as the fuzzers compare it: ("tensor", dtype, shape, requires_grad, values in
    float64 / int64 / bool), or ("value", repr) of anything else."""
    if not hasattr(t, "dtype"):
        return ("value", repr(t))
    dtype = str(t.dtype).split(".")[-1]
    t = t.detach()
    if t.is_floating_point():
        try:
            values = np.array(t.double().tolist(), dtype=np.float64)
        except RuntimeError as e:  # PyTorch's ZeroTensor (a known-zero gradient): no storage
            assert "unallocated storage" in str(e)
            values = np.zeros(tuple(t.shape))
    else:
        values = np.array(t.tolist(), dtype=np.int64 if dtype != "bool" else bool)
    return ("tensor", dtype, tuple(t.shape), t.requires_grad, values)


def error_outcome(e: Exception) -> tuple:
    """An exception as the fuzzers compare it (minitorch's name read as torch's)."""
    return ("error", type(e).__name__, str(e).replace("minitorch", "torch"))


def weighted_gradient_outcomes(T, result, leaves: list, second: bool, array) -> list:
    """The gradients of ``result``'s elements weighted by cos(1), cos(2), ... with respect to
    ``leaves`` (``array`` of each), and with ``second`` those of the first gradients' sum of
    g * tanh(g) (bounded, and well-conditioned for huge g) when any of them requires grad."""
    weights = T.tensor(np.cos(np.arange(result.numel()) + 1.0)).reshape(result.shape)
    total = (result * weights.to(result.dtype)).sum()
    grads = T.autograd.grad(total, leaves, create_graph=second, allow_unused=True)
    out = [[None if g is None else array(g) for g in grads]]
    firsts = [g for g in grads if g is not None and g.requires_grad] if second else []
    if firsts:
        square = sum((g * g.detach().tanh()).sum() for g in firsts)
        seconds = T.autograd.grad(square, leaves, allow_unused=True)
        out.append([None if g is None else array(g) for g in seconds])
    return out


def assert_tensor_outcome(actual, expected, where: str, exact: bool, tolerance, nan_signs=False):
    """Asserts two ``tensor_outcome`` tuples agree: dtype, shape and requires_grad exactly;
    integer values exactly; floating values bit for bit with the signs of zeros and
    infinities when ``exact`` (NaNs' sign bits too with ``nan_signs``: otherwise they are
    the machine's default NaN's), else within ``tolerance`` (rtol, atol)."""
    assert isinstance(actual, tuple) and actual[:4] == expected[:4], (where, actual, expected)
    a, e = actual[4], expected[4]
    if e.dtype.kind != "f" or exact:
        np.testing.assert_array_equal(a, e, err_msg=where)
    if e.dtype.kind == "f" and exact:
        signs = ~np.isnan(e) | nan_signs
        a_signs, e_signs = np.signbit(a) & signs, np.signbit(e) & signs
        np.testing.assert_array_equal(a_signs, e_signs, err_msg=f"{where} (signs)")
    elif e.dtype.kind == "f":
        np.testing.assert_allclose(a, e, rtol=tolerance[0], atol=tolerance[1], err_msg=where)


def least_precise(specs, floats, tolerance: dict) -> str:
    """The least precise floating dtype (by ``tolerance``'s rtol) among the fuzzers' operand
    specs: ("t", shape, dtype, ...) tensors, integer ones counted as float32 (they promote to
    it at most), and ("dtype", name) arguments; float64 when there is none."""
    dts = [s[2] if s[2] in floats else "float32" for s in specs if isinstance(s, tuple) and s[:1] == ("t",)]  # fmt: skip
    dts += [s[1] for s in specs if isinstance(s, tuple) and s[:1] == ("dtype",)]
    return max(dts, key=lambda d: tolerance[d][0], default="float64")
