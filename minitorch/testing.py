"""``minitorch.testing``: mirrors ``torch.testing`` (``assert_close``, ``make_tensor`` and the
deprecated ``assert_allclose``).

``assert_close`` walks sequences and mappings as PyTorch does, first pairing every leaf (a
length, key or type problem raises before any value is compared), then comparing the pairs in
order and raising the first failure with PyTorch's message texts.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import _dtypes
from ._finfo import finfo, iinfo
from ._tensor import Tensor
from .factories import as_tensor, empty, randint, tensor

__all__ = ["assert_allclose", "assert_close", "make_tensor"]

# {numpy dtype: (rtol, atol)}, PyTorch's defaults; dtypes not listed (integers, bool) are exact
_PRECISIONS = {
    np.dtype(np.float16): (1e-3, 1e-5),
    _dtypes.BF16_NP: (1.6e-2, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
}
# the dtype whose tolerances a Python number gets (complex128's are float64's)
_NUMBER_DTYPES = {int: np.dtype(np.int64), float: np.dtype(np.float64), complex: np.float64}


class _Mismatch(Exception):
    """A failed check: the exception type to raise, its message and where in the inputs."""

    def __init__(self, kind: type, msg: str, id: tuple = ()) -> None:
        super().__init__(msg)
        self.kind, self.msg, self.id = kind, msg, id

    def error(self, msg: str | Callable[[str], str] | None = None) -> Exception:
        if isinstance(msg, str):
            return self.kind(msg)
        text = self.msg
        if self.id:
            text += "\n\nThe failure occurred for item " + "".join(str([i]) for i in self.id)
        return self.kind(msg(text) if callable(msg) else text)


def _tolerances(dtypes, rtol, atol, id: tuple) -> tuple[float, float]:
    if (rtol is None) != (atol is None):
        raise _Mismatch(
            ValueError,
            "Both 'rtol' and 'atol' must be either specified or omitted, but got no "
            f"{'rtol' if rtol is None else 'atol'}.",
            id,
        )
    if rtol is not None:
        return rtol, atol
    rtols, atols = zip(*(_PRECISIONS.get(np.dtype(d), (0.0, 0.0)) for d in dtypes))
    return max(rtols), max(atols)


def _diff_lines(abs_diff, rel_diff, atol, rtol, abs_idx=None, rel_idx=None) -> str:
    exact = rtol == 0 and atol == 0
    lines = []
    for kind, diff, idx, tol in (
        ("absolute", abs_diff, abs_idx, atol),
        ("relative", rel_diff, rel_idx, rtol),
    ):
        if idx is None:
            line = f"{kind.title()} difference: {diff}"
        else:
            line = f"Greatest {kind} difference: {diff} at index {idx}"
        lines.append(line if exact else f"{line} (up to {tol} allowed)")
    return "\n".join(lines)


def _scalar_message(actual, expected, rtol: float, atol: float) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = math.inf if expected == 0 else abs_diff / abs(expected)
    word = "equal" if rtol == 0 and atol == 0 else "close"
    return f"Scalars are not {word}!\n\nExpected {expected} but got {actual}.\n" + _diff_lines(
        abs_diff, rel_diff, atol, rtol
    )


def _tensor_message(a: np.ndarray, e: np.ndarray, matches: np.ndarray, rtol, atol) -> str:
    n, bad = matches.size, int(matches.size - np.count_nonzero(matches))
    a, e, ok = a.reshape(-1), e.reshape(-1), matches.reshape(-1)
    if a.dtype.kind not in "fV":  # PyTorch upcasts integers to int64, divides in float32
        a, e = a.astype(np.int64), e.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = np.abs(a - e)
        abs_diff[ok] = 0
        if a.dtype.kind in "fV":
            rel_diff = abs_diff / np.abs(e)
        else:
            rel_diff = abs_diff.astype(np.float32) / np.abs(e).astype(np.float32)
    rel_diff[ok] = 0

    def where(i) -> tuple:
        return tuple(int(k) for k in np.unravel_index(int(i), matches.shape))

    i, j = np.argmax(abs_diff), np.argmax(rel_diff)
    word = "equal" if rtol == 0 and atol == 0 else "close"
    return (
        f"Tensor-likes are not {word}!\n\nMismatched elements: {bad} / {n} ({bad / n:.1%})\n"
        + _diff_lines(abs_diff[i].item(), rel_diff[j].item(), atol, rtol, where(i), where(j))
    )


def _isclose(a: np.ndarray, e: np.ndarray, rtol, atol, equal_nan: bool) -> np.ndarray:
    """PyTorch's isclose: equal, or a finite |a - e| <= atol + |rtol * e|, in the dtype."""
    close = a == e
    if equal_nan and a.dtype.kind in "fV":
        close |= np.isnan(a) & np.isnan(e)
    if rtol == 0 and atol == 0:
        return close
    with np.errstate(all="ignore"):
        err = np.abs(a - e) if a.dtype.kind != "b" else a != e
        close |= np.isfinite(err) & (err <= atol + np.abs(rtol * e))
    return close


def _compare_numbers(actual, expected, id, rtol, atol, equal_nan, check_dtype, **_):
    dtypes = [_NUMBER_DTYPES.get(type(x), np.dtype(np.int64)) for x in (actual, expected)]
    rtol, atol = _tolerances(dtypes, rtol, atol, id)

    def compare() -> None:
        if check_dtype and type(actual) is not type(expected):
            raise _Mismatch(
                AssertionError,
                f"The (d)types do not match: {type(actual)} != {type(expected)}.",
                id,
            )
        if actual == expected:
            return
        if equal_nan and _isnan(actual) and _isnan(expected):
            return
        diff = abs(actual - expected)
        if math.isfinite(diff) and diff <= atol + rtol * abs(expected):
            return
        raise _Mismatch(AssertionError, _scalar_message(actual, expected, rtol, atol), id)

    return compare


def _isnan(x) -> bool:
    return x != x


def _as_tensor(x) -> Tensor:
    if isinstance(x, Tensor):
        return x
    try:
        return as_tensor(x)
    except Exception:
        return None


def _compare_tensors(
    actual, expected, id, rtol, atol, equal_nan, check_device, check_dtype, check_stride, **_
):
    a, e = _as_tensor(actual), _as_tensor(expected)
    if a is None or e is None:
        return None
    rtol, atol = _tolerances((a._data.dtype, e._data.dtype), rtol, atol, id)

    def attribute(name: str, x, y) -> None:
        raise _Mismatch(
            AssertionError, f"The values for attribute '{name}' do not match: {x} != {y}.", id
        )

    def compare() -> None:
        if a.shape != e.shape:
            attribute("shape", a.shape, e.shape)
        if check_stride and a.stride() != e.stride():
            attribute("stride()", a.stride(), e.stride())
        if check_device and a.device != e.device:
            attribute("device", a.device, e.device)
        if check_dtype and a.dtype != e.dtype:
            attribute("dtype", a.dtype, e.dtype)
        x, y = (np.asarray(t.detach().cpu()._data) for t in (a, e))
        if x.dtype != y.dtype:
            common = _dtypes.promote_types(a.dtype, e.dtype).np
            x, y = x.astype(common), y.astype(common)
        matches = _isclose(x, y, rtol, atol, equal_nan)
        if matches.all():
            return
        if x.ndim == 0:
            msg = _scalar_message(x.item(), y.item(), rtol, atol)
        else:
            msg = _tensor_message(x, y, matches, rtol, atol)
        raise _Mismatch(AssertionError, msg, id)

    return compare


def _pair(actual, expected, id: tuple, options: dict):
    """The comparison of two leaves, as a function to call later."""
    if actual is None or expected is None:

        def compare_none() -> None:
            if not (actual is None and expected is None):
                raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}", id)

        return compare_none
    bools = (bool, np.bool_)
    if isinstance(actual, bools) and isinstance(expected, bools):

        def compare_bools() -> None:
            if bool(actual) is not bool(expected):  # PyTorch names no item for booleans
                raise _Mismatch(
                    AssertionError, f"Booleans mismatch: {bool(actual)} is not {bool(expected)}"
                )

        return compare_bools
    numbers = (int, float, complex, np.number)
    if isinstance(actual, numbers) and isinstance(expected, numbers):
        a, e = (x.item() if isinstance(x, np.number) else x for x in (actual, expected))
        return _compare_numbers(a, e, id, **options)
    related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
    if not options["allow_subclasses"]:
        related = type(actual) is type(expected)
    compare = _compare_tensors(actual, expected, id, **options) if related else None
    if compare is None:
        raise _Mismatch(
            TypeError,
            f"No comparison pair was able to handle inputs of type {type(actual)} and "
            f"{type(expected)}.",
            id,
        )
    return compare


def _pairs(actual, expected, id: tuple, options: dict) -> list:
    def is_seq(x) -> bool:
        return isinstance(x, Sequence) and not isinstance(x, str)

    if is_seq(actual) and is_seq(expected):
        if len(actual) != len(expected):
            raise _Mismatch(
                AssertionError,
                f"The length of the sequences mismatch: {len(actual)} != {len(expected)}",
                id,
            )
        return [
            p for i in range(len(actual)) for p in _pairs(actual[i], expected[i], (*id, i), options)
        ]
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        keys, other = set(actual), set(expected)
        if keys != other:
            raise _Mismatch(
                AssertionError,
                "The keys of the mappings do not match:\n"
                f"Missing keys in the actual mapping: {sorted(other - keys)}\n"
                f"Additional keys in the actual mapping: {sorted(keys - other)}",
                id,
            )
        try:
            keys = sorted(keys)
        except TypeError:
            pass
        return [p for k in keys for p in _pairs(actual[k], expected[k], (*id, k), options)]
    return [_pair(actual, expected, id, options)]


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Mirrors ``torch.testing.assert_close``: ``actual`` and ``expected`` (tensors, numbers,
    or sequences/mappings of them) are close, ``|actual - expected| <= atol + rtol *
    |expected|`` elementwise, with PyTorch's default tolerances per dtype (float16 1e-3/1e-5,
    float32 1.3e-6/1e-5, float64 1e-7/1e-7, integers and bool exact) and the same checks of
    shape, device and dtype; raises AssertionError with PyTorch's message (``msg``, a string
    or a function of the generated message, replaces it). minitorch tensors are all strided:
    ``check_layout`` has nothing to check."""
    options = dict(
        allow_subclasses=allow_subclasses,
        rtol=rtol,
        atol=atol,
        equal_nan=equal_nan,
        check_device=check_device,
        check_dtype=check_dtype,
        check_stride=check_stride,
    )
    try:
        pairs = _pairs(actual, expected, (), options)
    except _Mismatch as failure:
        raise failure.error() from None
    for compare in pairs:
        try:
            compare()
        except _Mismatch as failure:
            raise failure.error(msg) from None


# assert_allclose's older defaults: {numpy dtype: (rtol, atol)}
_ALLCLOSE_PRECISIONS = {
    np.dtype(np.float16): (1e-3, 1e-3),
    np.dtype(np.float32): (1e-4, 1e-5),
    np.dtype(np.float64): (1e-5, 1e-8),
}


def assert_allclose(
    actual: Any,
    expected: Any,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = True,
    msg: str = "",
) -> None:
    """Mirrors the deprecated ``torch.testing.assert_allclose`` (it warns, as PyTorch does):
    ``assert_close`` with NaNs equal, dtypes not checked, ``expected`` made a tensor of
    ``actual``'s dtype, and looser default tolerances (float32: 1e-4/1e-5)."""
    warnings.warn(
        "`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a "
        "future release. Please use `torch.testing.assert_close()` instead. You can find "
        "detailed upgrade instructions in https://github.com/pytorch/pytorch/issues/61844.",
        FutureWarning,
        stacklevel=2,
    )
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        pairs = [_ALLCLOSE_PRECISIONS.get(t._data.dtype, (0.0, 0.0)) for t in (actual, expected)]
        rtol, atol = max(p[0] for p in pairs), max(p[1] for p in pairs)
    assert_close(
        actual,
        expected,
        rtol=rtol,
        atol=atol,
        equal_nan=equal_nan,
        check_device=True,
        check_dtype=False,
        check_stride=False,
        msg=msg or None,
    )


def _range(dtype, low, high) -> tuple:
    """PyTorch's ``[low, high)`` for ``make_tensor``: defaults per dtype, checked, clamped."""
    if dtype is _dtypes.bool_:
        lowest, highest, low_d, high_d = 0, 2, 0, 2
    elif dtype.is_floating_point:
        info = finfo(dtype)
        lowest, highest, low_d, high_d = info.min, info.max, -9, 9
    else:
        info = iinfo(dtype)
        lowest, highest = info.min, info.max + (dtype is not _dtypes.int64)
        low_d, high_d = (0, 10) if dtype is _dtypes.uint8 else (-9, 10)
    low = low_d if low is None else low
    high = high_d if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low >= high and not (low == high and dtype.is_floating_point):
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    if high < lowest or low >= highest:
        raise ValueError(
            f"The value interval specified by `low` and `high` is [{low}, {high}), but "
            f"{dtype} only supports [{lowest}, {highest})"
        )
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    return (low, high) if dtype.is_floating_point else (math.ceil(low), math.ceil(high))


def make_tensor(
    *shape,
    dtype: _dtypes.dtype,
    device,
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
    noncontiguous: bool = False,
    exclude_zero: bool = False,
    memory_format=None,
) -> Tensor:
    """Mirrors ``torch.testing.make_tensor``: a tensor of ``shape`` with values drawn
    uniformly from ``[low, high)`` (defaults per dtype: floats [-9, 9), signed integers
    [-9, 10), uint8 [0, 10), bool [0, 2)), from minitorch's seeded generator (so the values
    differ from PyTorch's for the same seed)."""
    if len(shape) == 1 and isinstance(shape[0], Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(
            "The parameters `noncontiguous` and `memory_format` are mutually exclusive, but "
            f"got noncontiguous={noncontiguous} and memory_format={memory_format}"
        )
    if not isinstance(dtype, _dtypes.dtype):
        raise TypeError(
            f"The requested dtype '{dtype}' is not supported by torch.testing.make_tensor(). To "
            "request support, file an issue at: https://github.com/pytorch/pytorch/issues"
        )
    if requires_grad and not dtype.is_floating_point:
        raise ValueError(
            "`requires_grad=True` is not supported for boolean and integral dtypes, but got "
            f"dtype={dtype}"
        )
    low, high = _range(dtype, low, high)
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype.is_floating_point:
        result = empty(shape, dtype=dtype, device=device)
        if high - low >= finfo(dtype).max:
            result.uniform_(low / 2, high / 2).mul_(2)
        else:
            result.uniform_(low, high)
    else:
        result = randint(low, high, shape, dtype=dtype, device=device)
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.contiguous(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = finfo(dtype).tiny if dtype.is_floating_point else 1
    if dtype.is_floating_point:
        result.requires_grad_(requires_grad)
    return result
