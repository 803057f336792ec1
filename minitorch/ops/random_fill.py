"""In-place random fills (``Tensor.uniform_``, ``normal_``, ``bernoulli_``, ``random_``,
``exponential_``, ``log_normal_``, ``cauchy_``, ``geometric_``) and ``torch.bernoulli``,
``torch.poisson``, ``torch.binomial``. Each draws from the seeded generator of the
tensor's device (or ``generator=``) and writes the values as ``copy_`` does: a leaf that
requires grad raises outside ``no_grad`` and a tensor in a graph gets a zero gradient, as in
PyTorch."""

from __future__ import annotations

import math
import warnings

import ml_dtypes
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from ..autograd import forward_ad
from ..autograd.underivable import Underivable, ZeroDerivative
from ..backends import on_host
from ..backends.memory_order import draw_in_layout
from ..random import generator_rng
from .inplace import _check_writable, copy_
from .random_rejection import binomial_draws, poisson_draws


def _rng(t: Tensor, generator):
    return generator_rng(generator, t.device)


# PyTorch's kernel of each float-only fill, named in its error for another dtype
_KERNELS = {
    "uniform_": "check_uniform_bounds",
    "normal_": "normal_kernel_cpu",
    "log_normal_": "log_normal_cpu",
    "poisson": "poisson_cpu",
    "bernoulli": "bernoulli_tensor_cpu_p_",
}


# fills that PyTorch returns early for an empty tensor, before dispatching on its dtype
_EMPTY_FILLS = ("normal_", "exponential_", "log_normal_")


def _float_draw_dtype(t: Tensor, name: str):
    """The dtype to draw floats in for ``t`` (float16 tensors draw float32, as ``rand``);
    another dtype raises PyTorch's error (exponential_ and cauchy_ check it themselves)."""
    dt = t._data.dtype
    if dt.kind in "fV":
        return np.float64 if dt == np.float64 else np.float32
    if not t._data.size and name in _EMPTY_FILLS:
        return np.float32
    if name in _KERNELS:
        kernel = _KERNELS[name]
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(dt)}'"
        )
    family, spelled = (
        ("Exponential", _dtypes.scalar_type_name(dt))
        if name == "exponential_"
        else ("Cauchy", _dtypes.CPP_NAMES[dt.name][0])
    )
    raise RuntimeError(
        f"{family} distribution is a continuous probability distribution. dtype must be a "
        f"floating point but you specified {spelled}"
    )


def write_draws(t: Tensor, values) -> Tensor:
    """``values`` written into ``t`` in place, as a random fill writes them."""
    _check_writable(t)  # no tensor operand: an inference tensor's error comes first
    return copy_(t, make_tensor(values))


def _uniforms(t: Tensor, generator):
    """float64 U[0, 1) values for ``t``, in its fill order (the inversion samplers)."""
    rng = _rng(t, generator)
    return _draw(t, lambda s: rng.random(s, dtype=np.float64))


def _draw(t: Tensor, draw):
    """``draw(shape)`` in the order PyTorch fills ``t``: a view's memory order, so a
    transposed view gets its values transposed (``draw`` gets the shape in that order)."""
    return draw_in_layout(t._data, draw, dense=False)


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.uniform_``: U(from, to) in place."""
    _float_draw_dtype(self, "uniform_")
    dt = self._data.dtype  # (float16 and bfloat16 from float32 uniforms, in their range)
    _check_uniform_bounds(dt, from_, to)
    rng = _rng(self, generator)
    return write_draws(self, _draw(self, lambda s: rng.uniform_values(s, dt, from_, to)))


def _check_uniform_bounds(dtype, low: float, high: float) -> None:
    """PyTorch's checks of uniform_'s bounds, with its messages."""
    largest = float(ml_dtypes.finfo(dtype).max)
    name, limit_name = _dtypes.CPP_NAMES[dtype.name]
    for label, value in (("from", low), ("to", high)):
        if not -largest <= value <= largest:
            raise RuntimeError(f"{label} is out of bounds for {name}")
    if low > high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}"
        )
    if float(high) - float(low) > largest:
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{limit_name}>::max(), "
            f"but found to={high:g} and from={low:g} which result in to-from to exceed the limit"
        )


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.normal_``: N(mean, std^2) in place."""
    if not std >= 0:  # (NaN too)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    _float_draw_dtype(self, "normal_")
    dt = self._data.dtype  # float16 has its own draw sequence (computed in float32)
    rng = _rng(self, generator)
    if self._data.flags.c_contiguous:
        return write_draws(self, rng.normal_values(self._data.shape, dt, mean, std))
    return write_draws(self, _draw(self, lambda s: rng.per_element_normal_values(s, dt, mean, std)))


def exponential_(self: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.exponential_``: Exp(lambd) in place, by inversion of a uniform."""
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    dt = _float_draw_dtype(self, "exponential_")
    u = _uniforms(self, generator)
    return write_draws(self, (-1.0 / lambd * np.log1p(-u)).astype(dt))


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.log_normal_``: exp of N(mean, std^2) in place."""
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    dt = _float_draw_dtype(self, "log_normal_")
    rng = _rng(self, generator)
    return write_draws(self, _draw(self, lambda s: rng.log_normal_values(s, dt, mean, std)))


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.cauchy_``: Cauchy(median, sigma) in place, by inversion."""
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    dt = _float_draw_dtype(self, "cauchy_")
    u = _uniforms(self, generator)
    return write_draws(self, (median + sigma * np.tan(np.pi * (u - 0.5))).astype(dt))


def geometric_(self: Tensor, p: float, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.geometric_``: the number of Bernoulli(p) trials up to the first
    success (1, 2, ...) in place, by inversion."""
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    if self._data.dtype == np.bool_ and self._data.size:
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    u = _uniforms(self, generator)
    with np.errstate(divide="ignore"):  # u = 0: infinitely many trials, as PyTorch gives
        return write_draws(self, np.ceil(np.log(u) / np.log1p(-p)))


def poisson(input: Tensor, generator=None) -> Tensor:
    """Mirrors ``torch.poisson``: a Poisson draw with rate ``input`` per element, in
    ``input``'s dtype, by PyTorch's sampler (per element: transformed rejection for rates
    of 10 and more, a product of float64 uniforms below)."""
    _float_draw_dtype(input, "poisson")
    # negative or NaN rates (a device's are not read back: PyTorch's CUDA kernel asserts)
    if on_host(input._data) and not (input._data >= 0).all():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    k = poisson_draws(_rng(input, generator), input._data)
    draws = ZeroDerivative.apply(k.astype(input._data.dtype), "PoissonBackward0", input)
    return forward_ad.zero_tangent(draws, input)


def binomial(count: Tensor, prob: Tensor, generator=None) -> Tensor:
    """Mirrors ``torch.binomial``: a Binomial(count, prob) draw per element in ``count``'s
    dtype, by PyTorch's sampler (BTRS where the mean is 10 or more, else inversion)."""
    if count._data.dtype.kind not in "fV":
        raise ValueError(
            "binomial only supports floating-point dtypes for count, got: "
            f"{_dtypes.scalar_type_name(count._data.dtype)}"
        )
    if prob.dtype != count.dtype:
        raise RuntimeError(
            f"Found dtype {_dtypes.scalar_type_name(prob._data.dtype)} but expected "
            f"{_dtypes.scalar_type_name(count._data.dtype)}"
        )
    n, p = np.broadcast_arrays(count._data, prob._data)
    k = binomial_draws(_rng(count, generator), n, p, count._data.dtype).astype(n.dtype)
    return Underivable.apply(count, "binomial", lambda *_: k, prob)


def _probabilities(p, rng, shape: tuple):
    """``p`` (a number or a Tensor) as a number or array, checked to lie in [0, 1]. A tensor
    is checked as PyTorch's kernel checks it, value by value over ``shape`` as it draws: the
    values before the first bad one have drawn their uniforms from ``rng``."""
    arr = p._data if isinstance(p, Tensor) else p
    if isinstance(p, Tensor) and not on_host(arr):
        return arr  # a device's are not read back (PyTorch's CUDA kernel asserts)
    lo, hi = (float(np.min(arr)), float(np.max(arr))) if np.size(arr) else (0.0, 1.0)
    if not 0.0 <= lo <= hi <= 1.0:
        if isinstance(p, Tensor):  # PyTorch's kernel check of a tensor of probabilities
            bad = np.broadcast_to(~((arr >= 0) & (arr <= 1)), shape)
            _bernoulli_draws(rng, (int(bad.argmax()),), arr)
            raise RuntimeError(
                "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                "message be improved?  If so, please report an enhancement request to PyTorch.)"
            )
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    return arr


def bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Mirrors ``Tensor.bernoulli_``: 1 with probability ``p`` (a number or a tensor that
    broadcasts to ``self``), else 0, in ``self``'s dtype."""
    rng = _rng(self, generator)
    prob = _probabilities(p, rng, self._data.shape)
    return write_draws(self, _draw(self, lambda s: _bernoulli_draws(rng, s, prob)) < prob)


def _bernoulli_draws(rng, shape: tuple, prob):
    """The uniforms PyTorch compares with p: float64 ones for a number p, for a tensor of
    probabilities ones of its dtype (float32 for narrower types)."""
    dtype = getattr(prob, "dtype", None)  # a 0-d tensor of probabilities has one too
    wide = dtype is None or dtype == np.float64
    return rng.random(shape, dtype=np.float64 if wide else np.float32)


def bernoulli(input: Tensor, p=None, *, generator=None) -> Tensor:
    """Mirrors ``torch.bernoulli``: 1 with probability ``input`` (or ``p``) per element, in
    ``input``'s dtype."""
    if p is None and input._data.size:  # (an empty tensor is returned, whatever its dtype)
        _float_draw_dtype(input, "bernoulli")
    rng = _rng(input, generator)
    prob = _probabilities(input if p is None else p, rng, input._data.shape)
    u = _bernoulli_draws(rng, input._data.shape, prob)
    draws = (u < prob).astype(input._data.dtype)
    if p is None:
        return forward_ad.zero_tangent(
            ZeroDerivative.apply(draws, "BernoulliBackward0", input), input
        )
    return forward_ad.zero_tangent(
        Underivable.apply(input, "bernoulli", lambda *_: draws), input, p
    )


def check_random_bounds(dtype, low: int, high: int) -> None:
    """PyTorch's check that random_'s/randint's ``from`` and ``to - 1`` fit ``dtype``."""
    if dtype.kind in "fV":
        hi = float(ml_dtypes.finfo(dtype).max)
        lo = -hi
    else:
        lo, hi = (0, 1) if dtype == np.bool_ else (np.iinfo(dtype).min, np.iinfo(dtype).max)
    for label, value in (("from", low), ("to - 1", high - 1)):
        if not lo <= value <= hi:
            raise RuntimeError(f"{label} is out of bounds for {_dtypes.CPP_NAMES[dtype.name][0]}")


def representable_bounds(dtype, low: int, high: int) -> tuple:
    """[low, high) moved inward to integers a floating ``dtype`` holds, as PyTorch's
    ``update_from``/``update_to`` move them (``randint(-5, 300, dtype=bfloat16)`` draws on
    [-5, 298)), with its warning for bounds past 2^digits."""
    digits = ml_dtypes.finfo(dtype).nmant + 1
    name = _dtypes.CPP_NAMES[dtype.name][0]
    for label, value in (("from", low), ("to - 1", high - 1)):
        if not -(1 << digits) <= value <= 1 << digits:
            warnings.warn(
                f"{label} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                f"limitations {name} can support discrete uniform distribution only within "
                "this range. This warning will become an error in version 1.7 release, please "
                "fix the code in advance",
                stacklevel=3,
            )
    rounded_up = int(dtype.type(low + 1))
    if rounded_up < low:
        low = rounded_up + (1 << (abs(low + 1).bit_length() - digits))
    rounded_down = int(dtype.type(high - 1))
    if rounded_down >= high:
        high = rounded_down - (1 << (abs(high - 1).bit_length() - digits))
    return low, high


_TO_NOT_GIVEN = object()  # random_(to) (one bound) and random_(from, None) (up to the max)


def random_(self: Tensor, from_: int | None = None, to=_TO_NOT_GIVEN, *, generator=None) -> Tensor:  # fmt: skip
    """Mirrors ``Tensor.random_``: integers uniform on [from, to) (``random_(to)`` is
    [0, to)); with no upper bound, up to 2^mantissa for floats and max for integers."""
    if to is _TO_NOT_GIVEN:
        from_, to = 0, from_
    from_ = from_ or 0
    bounded = to is not None  # unbounded: one word per value, except for 64-bit types
    dt = self._data.dtype
    rng = _rng(self, generator)
    if not bounded and from_ == -(2**63):  # the whole int64 range: a 64-bit number each
        if dt in (np.float16, np.bool_) and self._data.size:  # not dispatched at all
            raise NotImplementedError(
                '"random_full_64_bits_range_kernel_cpu" not implemented for '
                f"'{_dtypes.scalar_type_name(dt)}'"
            )
        if dt not in (np.int64, np.float64, np.float32, _dtypes.BF16_NP) and self._data.size:
            raise RuntimeError(
                "random_full_64_bits_range_kernel_cpu handles only int64, double, float and "
                "bfloat16"
            )
        return write_draws(self, _draw(self, lambda s: rng.words64(math.prod(s)).view(np.int64).reshape(s)))  # fmt: skip
    if to is None and dt == np.bool_:
        to = 2
    elif to is None:
        to = (
            2 ** (ml_dtypes.finfo(dt).nmant + 1) + 1
            if dt.kind in "fV"
            else int(np.iinfo(dt).max) + 1
        )
    if bounded and from_ >= to:  # (without 'to', only the bounds of the dtype are checked)
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}"
        )
    if bounded or from_:
        check_random_bounds(dt, from_, to)
    if (bounded or from_) and dt.kind in "fV":
        from_, to = representable_bounds(dt, from_, to)
    if bounded or from_ or dt in (np.int64, np.float64):
        return write_draws(self, _draw(self, lambda s: rng.integers(from_, to, s, dtype=np.int64)))
    return write_draws(
        self, _draw(self, lambda s: rng.words(math.prod(s)).reshape(s) % np.uint64(to))
    )


def dropout_mask(rng, shape: tuple, p: float, dtype):
    """Dropout's scaled mask as PyTorch draws it: ``bernoulli_(1 - p)`` (float64 uniforms
    below 1 - p) divided by 1 - p, computed as PyTorch computes in the input's dtype (in
    float32 for float16) and rounded to it."""
    keep = rng.random(shape, dtype=np.float64) < 1 - p
    work = np.float64 if dtype == np.float64 else np.float32
    return np.multiply(keep, dtype.type(work(1) / work(1 - p)), dtype=dtype)
