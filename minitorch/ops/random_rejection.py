"""PyTorch's per-element rejection samplers on the CPU stream: ATen's ``sample_gamma``
(Marsaglia-Tsang), ``sample_poisson`` (Hoermann's transformed rejection for rates of 10 and
more, a product of uniforms below) and ``sample_binomial`` (BTRS, or inversion when the
mean is under 10), each drawing its own float64 uniforms (and per-element float64 normals)
one element after another, as ``torch._standard_gamma``, ``torch.poisson`` and
``torch.binomial`` do. Each element takes a data-dependent number of draws, so these are
Python loops over elements; the words come from the stream in blocks."""

from __future__ import annotations

import functools
import math

import numpy as np

from ..backends.cpu_random import CPUStream

_TWO_PI = 2 * math.pi
_THIRD_F32 = float(np.float32(1.0 / 3.0))  # ATen writes 1.0f / 3.0f
_C0331_F32 = float(np.float32(0.0331))
_STIRLING_TAIL = (
    0.0810614667953272,
    0.0413406959554092,
    0.0276779256849983,
    0.02079067210376509,
    0.0166446911898211,
    0.0138761288230707,
    0.0118967099458917,
    0.0104112652619720,
    0.00925546218271273,
    0.00833056343336287,
)


class _Draws:
    """float64 uniforms (``uniform_real_distribution<double>``: 53 bits of a 64-bit number)
    and per-element normals (``normal_distribution<double>``, sharing the stream's cached
    Box-Muller value) read from a ``CPUStream`` in blocks; ``close`` leaves the stream
    exactly as far on as the draws used."""

    _BLOCK = 256

    def __init__(self, rng) -> None:
        self.rng = rng
        self._start = rng.bit_generator.state
        self._block: list = []
        self._pos = 0
        self._used = 0

    def uniform(self) -> float:
        if self._pos == len(self._block):
            self._used += len(self._block)
            self._block = self.rng._unit(self._BLOCK, np.float64).tolist()
            self._pos = 0
        self._pos += 1
        return self._block[self._pos - 1]

    def normal(self) -> float:
        cached = self.rng.next_normal
        if cached is not None:
            self.rng.next_normal = None
            return cached
        u1, u2 = self.uniform(), self.uniform()
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = _TWO_PI * u1
        self.rng.next_normal = radius * math.sin(theta)
        return radius * math.cos(theta)

    def close(self) -> None:
        used = self._used + self._pos
        next_normal = self.rng.next_normal
        self.rng.bit_generator.state = self._start
        self.rng.words(2 * used)
        self.rng.next_normal = next_normal


def _f32(x: float) -> float:
    return float(np.float32(x))


def _gamma_one(alpha: float, single: bool, draws: _Draws) -> float:
    """ATen's ``sample_gamma`` with double accumulation; ``single``: alpha is a float32
    (its boost by 1 and the subtraction of 1/3 round to float32, as in ATen)."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        scale *= math.pow(1 - draws.uniform(), _f32(1.0 / alpha) if single else 1.0 / alpha)
        alpha = _f32(alpha + 1.0) if single else alpha + 1.0
    d = _f32(alpha - _THIRD_F32) if single else alpha - _THIRD_F32
    c = 1.0 / math.sqrt(9.0 * d) if d > 0 else math.inf if d == 0 else math.nan  # (C's)
    while True:
        x = draws.normal()
        y = 1.0 + c * x
        while y <= 0:
            x = draws.normal()
            y = 1.0 + c * x
        v = y * y * y
        u = 1 - draws.uniform()
        xx = x * x
        if u < 1.0 - _C0331_F32 * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def _poisson_one(lam: float, draws: _Draws) -> float:
    """ATen's ``sample_poisson``."""
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = draws.uniform() - 0.5
            v = draws.uniform()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            lhs = math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
            if lhs <= -lam + k * loglam - math.lgamma(k + 1.0):
                return k
    if lam == 0:
        return 0
    enlam, k, prod = math.exp(-lam), 0, 1.0
    while True:
        prod *= draws.uniform()
        if prod <= enlam:
            return k
        k += 1


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count: float, prob: float, rnd, draws: _Draws) -> float:
    logprob = rnd(math.log1p(-prob))
    geom_sum, num = 0.0, 0.0
    while True:
        geom_sum += math.ceil(math.log(draws.uniform()) / logprob)
        if geom_sum > count:
            return num
        num += 1


@functools.lru_cache(maxsize=1024)
def _btrs_setup(count: float, prob: float, rnd) -> tuple:
    """BTRS's constants for (count, prob): stddev, b, a, c, v_r, r, alpha, m."""
    stddev = rnd(math.sqrt(rnd(rnd(count * prob) * rnd(1 - prob))))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = rnd(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = rnd(prob / rnd(1 - prob))
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor(rnd((count + 1) * prob))
    return b, a, c, v_r, r, alpha, m


def _btrs(count: float, prob: float, rnd, draws: _Draws) -> float:
    """Hoermann's BTRS as ATen writes it; ``rnd`` rounds what ATen computes in the
    element type (float32 or float64)."""
    b, a, c, v_r, r, alpha, m = _btrs_setup(count, prob, rnd)
    if count.is_integer() and count < 2**24:  # integer sums below are exact in float32 too
        rnd = float
    while True:
        u = draws.uniform() - 0.5
        v = draws.uniform()
        us = 0.5 - abs(u)
        k = rnd(math.floor((2 * a / us + b) * u + c))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        n_k1 = rnd(rnd(count - k) + 1)
        upper = (
            (m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
            + rnd(count + 1) * math.log((count - m + 1) / n_k1)
            + (k + 0.5) * math.log(r * n_k1 / rnd(k + 1))
            + _stirling_tail(m)
            + _stirling_tail(count - m)
            - _stirling_tail(k)
            - _stirling_tail(rnd(count - k))
        )
        if v <= upper:
            return k


def _binomial_one(count: float, prob: float, rnd, draws: _Draws) -> float:
    """ATen's ``sample_binomial``."""
    if count <= 0.0 or prob <= 0.0:
        return 0.0
    if prob >= 1.0:
        return count
    if prob <= 0.5:
        if rnd(count * prob) >= 10.0:
            return _btrs(count, prob, rnd, draws)
        return _binomial_inversion(count, prob, rnd, draws)
    if prob > 0.5:
        q = rnd(1.0 - prob)
        if rnd(count * q) >= 10.0:
            return rnd(count - _btrs(count, q, rnd, draws))
        return rnd(count - _binomial_inversion(count, q, rnd, draws))
    return math.nan


def _each(rng, fn, *arrays) -> np.ndarray:
    """``fn(*values, draws)`` for each element of the broadcast arrays, in C order, as
    ATen's serial kernel visits them; float64 results."""
    flat = [np.ascontiguousarray(a, dtype=np.float64).ravel().tolist() for a in arrays]
    draws = _Draws(rng)
    try:
        out = [fn(*vals, draws) for vals in zip(*flat)]
    finally:
        draws.close()
    return np.array(out, dtype=np.float64).reshape(np.shape(arrays[0]))


def standard_gamma_draws(rng, alpha: np.ndarray, dtype) -> np.ndarray:
    """``torch._standard_gamma``: Gamma(alpha, 1) per element in ``dtype`` (float32 or
    float64), at least the dtype's smallest normal number. Streams other than the CPU's
    draw with numpy's algorithm."""
    dtype = np.dtype(dtype)
    if isinstance(rng, CPUStream):
        single = dtype != np.float64
        x = _each(rng, lambda a, draws: _gamma_one(a, single, draws), alpha).astype(dtype)
    else:
        x = rng.standard_gamma(alpha.astype(dtype), dtype=dtype)
    return np.fmax(x, np.finfo(dtype).tiny)  # (a NaN draw of alpha <= 0 too, as std::max)


def dirichlet_gammas(rng, alpha: np.ndarray) -> np.ndarray:
    """The float64 Gamma(alpha) draws (at least the smallest normal float64) that
    ``torch._sample_dirichlet`` normalises."""
    if isinstance(rng, CPUStream):
        g = _each(rng, lambda a, draws: _gamma_one(a, False, draws), alpha)
    else:
        g = rng.standard_gamma(alpha.astype(np.float64), dtype=np.float64)
    return np.fmax(g, np.finfo(np.float64).tiny)


def _aten_sum_last(g: np.ndarray) -> np.ndarray:
    """float64 sums over the last axis in the order of ATen's CPU sum kernel (4-lane
    vectors gathered in 4 accumulators, the leftover scalars summed first and the lanes
    added to them); numpy's order past 255 elements, where ATen's cascade starts."""
    n_vec = g.shape[-1] // 4
    if n_vec >= 64:
        return g.sum(-1)
    vecs = g[..., : 4 * n_vec].reshape(*g.shape[:-1], n_vec, 4)
    acc = np.zeros((4, *g.shape[:-1], 4))
    whole = n_vec - n_vec % 4
    for j in range(n_vec):
        acc[j % 4 if j < whole else 0] += vecs[..., j, :]
    lanes = ((acc[0] + acc[1]) + acc[2]) + acc[3]
    total = np.zeros(g.shape[:-1])
    for j in range(4 * n_vec, g.shape[-1]):
        total += g[..., j]
    for k in range(4 if n_vec else 0):
        total += lanes[..., k]
    return total


def dirichlet_normalise(gammas: np.ndarray, dtype) -> np.ndarray:
    """``torch._sample_dirichlet``'s result from its float64 Gamma draws: normalised along
    the last axis in float64, cast to ``dtype``, kept in [tiny, the largest number < 1]."""
    dtype = np.dtype(dtype)
    x = (gammas / _aten_sum_last(gammas)[..., None]).astype(dtype)
    return np.clip(x, np.finfo(dtype).tiny, np.nextafter(dtype.type(1), dtype.type(0)))


def poisson_draws(rng, rate: np.ndarray) -> np.ndarray:
    """``torch.poisson``: a Poisson count per element (float64)."""
    if not isinstance(rng, CPUStream):
        return rng.poisson(rate)
    return _each(rng, _poisson_one, rate)


def binomial_draws(rng, count: np.ndarray, prob: np.ndarray, dtype) -> np.ndarray:
    """``torch.binomial``: a Binomial(count, prob) draw per element (float64 values of
    ``dtype``'s arithmetic)."""
    if not isinstance(rng, CPUStream):
        return rng.binomial(count.astype(np.int64), prob)
    rnd = float if np.dtype(dtype) == np.float64 else _f32
    return _each(rng, lambda n, p, draws: _binomial_one(n, p, rnd, draws), count, prob)
