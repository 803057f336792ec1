"""PyTorch-style ``repr`` of tensors: 4 decimals, scientific notation for wide ranges,
``1.`` for integral floats, and dtype/grad suffixes."""

from __future__ import annotations

import numpy as np

from . import _dtypes

_OPTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
) -> None:
    """Mirrors ``torch.set_printoptions``."""
    if profile == "default":
        _OPTS.update(precision=4, threshold=1000, edgeitems=3, linewidth=80)
    for key, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            _OPTS[key] = value
    _OPTS["sci_mode"] = sci_mode


def _float_formatter(values: np.ndarray):
    p = _OPTS["precision"]
    finite = values[np.isfinite(values)].astype(np.float64)
    nonzero = np.abs(finite[finite != 0])
    if finite.size == 0:
        fmt = lambda v: f"{v}"  # noqa: E731
    elif np.all(finite == np.round(finite)) and _OPTS["sci_mode"] is not True:
        if nonzero.size and nonzero.max() > 1e8:
            fmt = lambda v: f"{v:.{p}e}"  # noqa: E731
        else:
            fmt = lambda v: f"{v:.0f}."  # noqa: E731
    else:
        sci = _OPTS["sci_mode"]
        if sci is None:
            sci = nonzero.size > 0 and (
                nonzero.max() / nonzero.min() > 1000.0
                or nonzero.max() > 1e8
                or nonzero.min() < 1e-4
            )
        fmt = (lambda v: f"{v:.{p}e}") if sci else (lambda v: f"{v:.{p}f}")

    def format_one(v) -> str:
        if np.isnan(v):
            return "nan"
        if np.isinf(v):
            return "inf" if v > 0 else "-inf"
        return fmt(float(v))

    return format_one


def _format_array(data: np.ndarray) -> str:
    summarize = data.size > _OPTS["threshold"]
    if data.dtype.kind == "f":
        shown = data if not summarize else _edges(data)
        one = _float_formatter(shown)
    elif data.dtype.kind == "b":
        shown = data
        one = lambda v: "True" if v else "False"  # noqa: E731
    else:
        shown = data
        one = lambda v: str(int(v))  # noqa: E731
    flat = shown.reshape(-1)
    width = max((len(one(v)) for v in flat), default=1)
    return np.array2string(
        data,
        separator=", ",
        prefix="tensor(",
        formatter={"all": lambda v: one(v).rjust(width)},
        threshold=_OPTS["threshold"],
        edgeitems=_OPTS["edgeitems"],
        max_line_width=_OPTS["linewidth"],
    )


def _edges(data: np.ndarray) -> np.ndarray:
    e = _OPTS["edgeitems"]
    for axis in range(data.ndim):
        if data.shape[axis] > 2 * e:
            data = np.concatenate(
                [np.take(data, range(e), axis), np.take(data, range(-e, 0), axis)], axis
            )
    return data


def tensor_repr(t) -> str:
    data = t._data if isinstance(t._data, np.ndarray) else t._data.get()
    suffixes = []
    dev = t.device
    if dev.type != "cpu":
        suffixes.append(f"device='{dev}'")
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
    else:
        body = _format_array(data)
    dt = t.dtype
    if dt not in (_dtypes.get_default_dtype(), _dtypes.int64, _dtypes.bool_) or (
        data.size == 0 and dt is not _dtypes.get_default_dtype()
    ):
        suffixes.append(f"dtype={dt!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return "tensor(" + body + "".join(", " + s for s in suffixes) + ")"
