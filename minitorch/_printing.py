"""PyTorch-style ``repr`` of tensors, following ``torch/_tensor_str.py``: one formatter per
tensor (fixed point, integer-valued ``1.`` or scientific, chosen from the nonzero finite
values), right-aligned to a common width, wrapped at ``linewidth``, summarised with ``...``
beyond ``threshold`` elements, then the dtype/grad suffixes."""

from __future__ import annotations

import math

import numpy as np

from . import _dtypes
from .autograd import forward_ad, observers
from .backends import synced

_DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80}
_OPTS = dict(_DEFAULTS, sci_mode=None)


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
) -> None:
    """Mirrors ``torch.set_printoptions``."""
    if profile == "default":
        _OPTS.update(_DEFAULTS)
    elif profile == "short":
        _OPTS.update(precision=2, threshold=1000, edgeitems=2, linewidth=80)
    elif profile == "full":
        _OPTS.update(precision=4, threshold=math.inf, edgeitems=3, linewidth=80)
    for key, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            _OPTS[key] = value
    _OPTS["sci_mode"] = sci_mode


class _Formatter:
    """Chooses one format and width for all the values of a tensor."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind in "fV"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        p = _OPTS["precision"]
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max((len(self._plain(v)) for v in flat.tolist()), default=1)
            return
        flat = flat.astype(np.float64)
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return
        mag = np.abs(vals)
        lo, hi = mag.min(), mag.max()
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        sci = _OPTS["sci_mode"]
        self.sci_mode = (hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4) if sci is None else sci
        if self.sci_mode:
            strs = [f"{v:.{p}e}" for v in vals.tolist()]
        elif self.int_mode:
            strs = [f"{v:.0f}." for v in vals.tolist()]
        else:
            strs = [f"{v:.{p}f}" for v in vals.tolist()]
        self.width = max(len(s) for s in strs)

    @staticmethod
    def _plain(v) -> str:
        return str(v)

    def format(self, v) -> str:
        p = _OPTS["precision"]
        if not self.floating:
            s = self._plain(v)
        elif self.sci_mode:
            s = f"{v:{self.width}.{p}e}"
        elif self.int_mode:
            s = f"{v:.0f}" + ("" if math.isinf(v) or math.isnan(v) else ".")
        else:
            s = f"{v:.{p}f}"
        return s.rjust(self.width)


def _summarized(data: np.ndarray) -> np.ndarray:
    """The elements that are shown when a tensor is summarised (edge items of every dim)."""
    e = _OPTS["edgeitems"]
    for axis in range(data.ndim):
        if data.shape[axis] > 2 * e:
            keep = np.r_[0:e, data.shape[axis] - e : data.shape[axis]]
            data = np.take(data, keep, axis)
    return data


def _body(data: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if data.ndim == 0:
        return fmt.format(data.item())
    e = _OPTS["edgeitems"]
    cut = summarize and data.shape[0] > 2 * e
    if data.ndim == 1:
        per_line = max(1, math.floor((_OPTS["linewidth"] - indent) / (fmt.width + 2)))
        if cut and e == 0:
            items = ["..."]
        elif cut:
            items = [fmt.format(v) for v in data[:e].tolist()]
            items += [" ..."] + [fmt.format(v) for v in data[-e:].tolist()]
        else:
            items = [fmt.format(v) for v in data.tolist()]
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(data.shape[0])
    if cut:
        rows = list(range(e)) + [None] + list(range(data.shape[0] - e, data.shape[0]))
    parts = ["..." if r is None else _body(data[r], indent + 1, summarize, fmt) for r in rows]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _with_suffixes(text: str, suffixes: list, indent: int) -> str:
    out = [text]
    last = len(text) - text.rfind("\n") + 1
    for s in suffixes:
        # Lines break where PyTorch's do: measure "dtype=torch.float16", not "minitorch.".
        width = len(s) - s.count("minitorch.") * len("mini")
        if last + width + 2 > _OPTS["linewidth"]:
            out.append(",\n" + " " * indent + s)
            last = indent + width
        else:
            out.append(", " + s)
            last += width + 2
    return "".join(out) + ")"


def tensor_repr(t, prefix: str = "tensor(") -> str:
    """``repr(t)`` exactly as PyTorch prints it (with ``minitorch.`` dtypes)."""
    data = t._data if isinstance(t._data, np.ndarray) else synced(t._data).get()
    indent = len(prefix)
    suffixes = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    dt = t.dtype
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if dt is not _dtypes.get_default_dtype():
            suffixes.append(f"dtype={dt!r}")
    else:
        summarize = data.size > _OPTS["threshold"]
        fmt = _Formatter(_summarized(data) if summarize else data)
        body = _body(data, indent, summarize, fmt)
        if not _OPTS["edgeitems"]:
            suffixes.append(f"size={tuple(data.shape)}")
        if dt not in (_dtypes.get_default_dtype(), _dtypes.int64, _dtypes.bool_):
            suffixes.append(f"dtype={dt!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name().rsplit('::', 1)[-1]}>")  # <CopySlices>
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    if observers.forward_ad is not None and (tangent := forward_ad.tangent_of(t)) is not None:
        suffixes.append(f"tangent={tangent}")  # a 0-d tangent formats as its number
    return _with_suffixes(prefix + body, suffixes, indent)
