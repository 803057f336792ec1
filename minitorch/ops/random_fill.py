"""In-place random fills (``Tensor.uniform_``, ``normal_``, ``bernoulli_``, ``random_``,
``exponential_``, ``log_normal_``, ``cauchy_``, ``geometric_``) and ``torch.bernoulli``,
``torch.poisson``. Each draws from the seeded generator of the
tensor's device (or ``generator=``) and writes the values as ``copy_`` does: a leaf that
requires grad raises outside ``no_grad`` and a tensor in a graph gets a zero gradient, as in
PyTorch."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..random import default_generator
from .inplace import copy_


def _rng(t: Tensor, generator):
    return (generator or default_generator(t.device)).rng


def _float_draw_dtype(t: Tensor, name: str):
    """The dtype to draw floats in for ``t`` (float16 tensors draw float32, as ``rand``)."""
    dt = t._data.dtype
    if dt.kind != "f":  # NotImplementedError (a RuntimeError), as PyTorch raises
        raise NotImplementedError(
            f"{name}: expected a floating point tensor, got {t.dtype}; call .float() first"
        )
    return np.float64 if dt == np.float64 else np.float32


def _write(t: Tensor, values) -> Tensor:
    return copy_(t, make_tensor(values))


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.uniform_``: U(from, to) in place."""
    dt = _float_draw_dtype(self, "uniform_")
    u = _rng(self, generator).random(self._data.shape, dtype=dt)
    u *= to - from_
    u += from_
    return _write(self, u)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.normal_``: N(mean, std^2) in place."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    dt = _float_draw_dtype(self, "normal_")
    z = _rng(self, generator).standard_normal(self._data.shape, dtype=dt)
    z *= std
    z += mean
    return _write(self, z)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.exponential_``: Exp(lambd) in place, by inversion of a uniform."""
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    dt = _float_draw_dtype(self, "exponential_")
    u = _rng(self, generator).random(self._data.shape, dtype=dt)
    return _write(self, -np.log1p(-u) / dt(lambd))


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.log_normal_``: exp of N(mean, std^2) in place."""
    dt = _float_draw_dtype(self, "log_normal_")
    z = _rng(self, generator).standard_normal(self._data.shape, dtype=dt)
    z *= std
    z += mean
    return _write(self, np.exp(z, out=z))


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.cauchy_``: Cauchy(median, sigma) in place, by inversion."""
    dt = _float_draw_dtype(self, "cauchy_")
    u = _rng(self, generator).random(self._data.shape, dtype=dt)
    return _write(self, median + sigma * np.tan(dt(np.pi) * (u - dt(0.5))))


def geometric_(self: Tensor, p: float, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.geometric_``: the number of Bernoulli(p) trials up to the first
    success (1, 2, ...) in place, by inversion."""
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    u = _rng(self, generator).random(self._data.shape, dtype=np.float64)
    return _write(self, np.maximum(np.ceil(np.log1p(-u) / np.log1p(-p)), 1.0))


def poisson(input: Tensor, generator=None) -> Tensor:
    """Mirrors ``torch.poisson``: a Poisson draw with rate ``input`` per element, in
    ``input``'s dtype."""
    _float_draw_dtype(input, "poisson")
    k = _rng(input, generator).poisson(input._data)
    return make_tensor(k.astype(input._data.dtype))


def _probabilities(p, name: str):
    """``p`` (a number or a Tensor) as a number or array, checked to lie in [0, 1]."""
    arr = p._data if isinstance(p, Tensor) else p
    lo, hi = (float(np.min(arr)), float(np.max(arr))) if np.size(arr) else (0.0, 1.0)
    if not 0.0 <= lo <= hi <= 1.0:
        raise RuntimeError(f"{name} expects p to be in [0, 1], but got p={p}")
    return arr


def bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.bernoulli_``: 1 with probability ``p`` (a number or a tensor that
    broadcasts to ``self``), else 0, in ``self``'s dtype."""
    prob = _probabilities(p, "bernoulli_")
    u = _rng(self, generator).random(self._data.shape, dtype=np.float64)
    return _write(self, u < prob)


def bernoulli(input: Tensor, p=None, *, generator=None) -> Tensor:
    """Mirrors ``torch.bernoulli``: 1 with probability ``input`` (or ``p``) per element, in
    ``input``'s dtype."""
    _float_draw_dtype(input, "bernoulli")
    prob = _probabilities(input if p is None else p, "bernoulli")
    u = _rng(input, generator).random(input._data.shape, dtype=np.float64)
    return make_tensor((u < prob).astype(input._data.dtype))


def random_(self: Tensor, from_: int = 0, to: int | None = None, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.random_``: integers uniform on [from, to) (``random_(to)`` is
    [0, to)); with no bounds, on [0, 2^mantissa] for floats and [0, max] for integers."""
    if to is None and from_ != 0:
        from_, to = 0, from_
    dt = self._data.dtype
    if to is None and dt == np.bool_:
        to = 2
    elif to is None:
        to = 2 ** (np.finfo(dt).nmant + 1) + 1 if dt.kind == "f" else int(np.iinfo(dt).max) + 1
    if from_ >= to:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}"
        )
    values = _rng(self, generator).integers(from_, to, self._data.shape, dtype=np.int64)
    return _write(self, values)
