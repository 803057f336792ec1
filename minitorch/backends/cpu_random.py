"""PyTorch's CPU random stream: a 32-bit Mersenne Twister seeded as PyTorch seeds it, and
PyTorch's ways of turning its words into numbers. A seeded program draws the numbers it
draws under PyTorch: ``rand``, ``randn``, ``randint``, ``randperm``, ``uniform_``,
``normal_``, ``random_``, ``bernoulli`` and dropout masks, and so the default initialisation
of layers and DataLoader's shuffled order.

``CPUStream`` is a ``numpy.random.Generator`` on that twister: the methods below give
PyTorch's numbers, every other numpy method draws from the same stream in numpy's way.
Normal samples come from the Box-Muller transform as PyTorch computes them, float32 ones
with the log, sin and cos of PyTorch's vectorised kernel up to ``_EXACT_NORMALS`` values;
beyond that numpy's float32 log, sin and cos may differ by a unit or two in the last place.
Every other kind agrees exactly."""

from __future__ import annotations

import functools
import math

import numpy as np

_WORD = 0xFFFFFFFF
_TWO_PI = 2 * math.pi
# float32 normal draws up to this many use PyTorch's own log/sin/cos, bit for bit (~7x the
# time); larger ones numpy's, which may differ by a unit or two in the last place
_EXACT_NORMALS = 4096


@functools.lru_cache(maxsize=8)
def _twister_key(seed: int) -> tuple:
    """The Mersenne Twister's state after init_genrand(seed), as PyTorch's mt19937 sets it."""
    key = [seed & _WORD]
    for j in range(1, 624):
        prev = key[-1]
        key.append((1812433253 * (prev ^ (prev >> 30)) + j) & _WORD)
    return tuple(key)


# PyTorch's CPUGeneratorImplState (CPUGeneratorImplStateLegacy, then the float cache), as
# get_rng_state's bytes lay it out on a little-endian 64-bit machine
_STATE_LAYOUT = np.dtype(
    {
        "names": [
            "seed",
            "left",
            "seeded",
            "next",
            "state",
            "normal_x",
            "normal_y",
            "normal_rho",
            "normal_is_valid",
            "next_float",
            "next_float_valid",
        ],
        "formats": [
            "<u8",
            "<i4",
            "<i4",
            "<u8",
            ("<u8", 624),
            "<f8",
            "<f8",
            "<f8",
            "<i4",
            "<f4",
            "u1",
        ],
        "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
        "itemsize": 5056,
    }
)


def _size(size) -> tuple:
    return () if size is None else (size,) if isinstance(size, int) else tuple(size)


class CPUStream(np.random.Generator):
    """Mirrors the state and draws of PyTorch's ``CPUGeneratorImpl``."""

    def __init__(self, seed: int) -> None:
        twister = np.random.MT19937(0)
        super().__init__(twister)
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """PyTorch's ``manual_seed``: the twister from the seed's low 32 bits, no cached
        normal sample."""
        self.initial_seed = int(seed) % 2**64  # the_initial_seed of the state tensor
        key = np.array(_twister_key(self.initial_seed & _WORD), dtype=np.uint32)
        state = {"key": key, "pos": 624}
        self.bit_generator.state = {"bit_generator": "MT19937", "state": state}
        self.next_normal = None  # the second value of a Box-Muller pair, kept for the next draw
        self.next_float_normal = None  # PyTorch's float cache: kept in the state, never drawn

    def __reduce__(self):  # copies and pickles keep the class and the cached normal sample
        return (_restored, (self.state,))

    @property
    def state(self) -> np.ndarray:
        """The state as the bytes of PyTorch's ``CPUGeneratorImplState`` (5056 uint8)."""
        inner = self.bit_generator.state["state"]
        key, pos = inner["key"], int(inner["pos"])
        s = np.zeros((), _STATE_LAYOUT)
        s["seed"], s["seeded"], s["state"] = self.initial_seed, 1, key
        s["left"] = 625 - pos  # PyTorch twists when ``left`` drops to 0, numpy at pos 624
        fresh = pos == 624 and tuple(key.tolist()) == _twister_key(self.initial_seed & _WORD)
        s["next"] = 0 if fresh else pos  # a freshly seeded twister has not twisted yet
        if self.next_normal is not None:
            s["normal_y"], s["normal_is_valid"] = self.next_normal, 1
        if self.next_float_normal is not None:
            s["next_float"], s["next_float_valid"] = self.next_float_normal, 1
        return s.reshape(1).view(np.uint8)

    @state.setter
    def state(self, value) -> None:
        value = np.ascontiguousarray(value, dtype=np.uint8)
        if value.shape != (_STATE_LAYOUT.itemsize,):
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_LAYOUT.itemsize} but found "
                f"the input RNG state size to be {value.size}"
            )
        s = value.view(_STATE_LAYOUT)[0]
        left, nxt = int(s["left"]), int(s["next"])
        if not s["seeded"] or not 0 < left <= 624 or not 0 <= nxt <= 624:
            raise RuntimeError("Invalid mt19937 state")
        if left > 1 and left + nxt != 625:
            raise RuntimeError(
                f"set_rng_state: a state with left={left} and next={nxt} is not one PyTorch's "
                "generator reaches by drawing (left + next == 625); minitorch's twister can't "
                "continue from it"
            )
        key = s["state"].astype(np.uint32)  # PyTorch keeps each 32-bit word in 64 bits
        twister = {"key": key, "pos": 625 - left}
        self.bit_generator.state = {"bit_generator": "MT19937", "state": twister}
        self.initial_seed = int(s["seed"])
        self.next_normal = float(s["normal_y"]) if s["normal_is_valid"] else None
        self.next_float_normal = float(s["next_float"]) if s["next_float_valid"] else None

    # ---- the twister's words ---------------------------------------------------------------
    def words(self, n: int):
        """``n`` 32-bit words (PyTorch's ``random()``), as uint64."""
        return self.bit_generator.random_raw(n)

    def words64(self, n: int):
        """``n`` 64-bit numbers, each from two words, the first one high (``random64()``)."""
        w = self.words(2 * n).reshape(n, 2)
        return (w[:, 0] << np.uint64(32)) | w[:, 1]

    def _unit(self, n: int, dtype):
        """PyTorch's uniform [0, 1): 24 bits of a word for float32 (and narrower types),
        53 bits of a 64-bit number for float64."""
        if np.dtype(dtype) == np.float64:
            return (self.words64(n) & np.uint64((1 << 53) - 1)) * (2.0**-53)
        return (self.words(n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2.0**-24)

    # ---- numpy.random.Generator methods, with PyTorch's numbers ------------------------------
    def random(self, size=None, dtype=np.float64, out=None):
        """U[0, 1) as ``torch.rand``: float32 (and float16, rounded) from one word each,
        float64 from two."""
        shape = _size(size)
        dt = np.dtype(dtype)
        u = self._unit(math.prod(shape), dt).astype(dt, copy=False).reshape(shape)
        if dt.itemsize == 2:
            u[u == 1] = 0  # rounded up to the bound: PyTorch's uniform_ gives the lower one
        if out is not None:
            out[...] = u
            return out
        return float(u) if size is None else u

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        """N(0, 1) as ``torch.randn``."""
        shape = _size(size)
        z = self.normal_values(shape, dtype, 0.0, 1.0)
        if out is not None:
            out[...] = z
            return out
        return float(z) if size is None else z

    def integers(self, low, high=None, size=None, dtype=np.int64, endpoint=False):
        """Integers on [low, high) as ``torch.randint``: a word (a 64-bit number for ranges
        of 2^28 and more) modulo the range."""
        if high is None:
            low, high = 0, low
        if endpoint:
            high += 1
        shape = _size(size)
        n, span = math.prod(shape), int(high) - int(low)
        v = self.words64(n) if span >= 1 << 28 else self.words(n)
        v = (v % np.uint64(span)).astype(np.int64) + np.int64(low)
        v = v.astype(dtype, copy=False).reshape(shape)
        return int(v) if size is None else v

    def permutation(self, x, axis=0):
        """A random order as ``torch.randperm`` makes it (a Fisher-Yates shuffle of 0..n-1
        driven by words); an array argument is returned reordered along its first axis."""
        if not isinstance(x, (int, np.integer)):
            x = np.asarray(x)
            return x[self.permutation(len(x))]
        n = int(x)
        order = list(range(n))
        if n > 1:
            draws = self.words64(n - 1) if n >= (1 << 32) // 20 else self.words(n - 1)
            picks = (draws % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
            for i, z in enumerate(picks):
                j = i + z
                order[i], order[j] = order[j], order[i]
        return np.array(order, dtype=np.int64)

    # ---- PyTorch's fills -------------------------------------------------------------------
    def uniform_values(self, shape: tuple, dtype, low: float, high: float):
        """``Tensor.uniform_(low, high)``: the bounds in float32 (float64 for a float64
        tensor), the value ``u * (high - low) + low`` computed in float64 and rounded to
        float32, then to ``dtype``; a value that rounds to ``high`` is ``low``, as PyTorch
        keeps the range half-open."""
        dt = np.dtype(dtype)
        work = np.dtype(np.float64 if dt == np.float64 else np.float32)
        lo, hi = (float(work.type(v)) for v in (low, high))
        width = float(work.type(hi - lo)) if work != np.float64 else hi - lo
        u = self._unit(math.prod(shape), work).astype(np.float64)
        v = fused_multiply_add(u, width, lo).astype(work).astype(dt, copy=False)
        v[v == dt.type(hi)] = dt.type(lo)
        return v.reshape(shape)

    def normal_values(self, shape: tuple, dtype, mean: float, std: float):
        """``Tensor.normal_(mean, std)``: for 16 values or more, uniforms first, then
        Box-Muller within each block of 16 (and the last 16 drawn afresh when the count is
        not a multiple of 16; the float16 and bfloat16 kernels draw no uniforms for that
        partial block before them); fewer values come one at a time from float64 Box-Muller pairs, the
        second of each pair kept for the next draw."""
        dt = np.dtype(dtype)
        n = math.prod(shape)
        if n < 16:
            return self.per_element_normal_values(shape, dt, mean, std)
        work = np.float64 if dt == np.float64 else np.float32
        whole = n - n % 16
        u = self._unit(whole if dt.itemsize == 2 else n, work)
        exact = dt == np.float32 and n <= _EXACT_NORMALS
        if whole == n:
            z = _box_muller16(u, exact)
        else:  # the blocks and the redrawn last 16 go through Box-Muller together
            blocks = _box_muller16(np.concatenate((u[:whole], self._unit(16, work))), exact)
            z = np.empty(n, work)
            z[:whole] = blocks[:whole]
            z[n - 16 :] = blocks[whole:]
        if work == np.float64:
            z = z * std + mean
        elif std != 1 or mean != 0:  # a fused multiply-add of float32s: exact in float64
            z = (z.astype(np.float64) * float(np.float32(std)) + float(np.float32(mean))).astype(
                np.float32
            )
        return z.astype(dt, copy=False).reshape(shape)

    def one_by_one_normals(self, shape: tuple):
        """float64 N(0, 1) values drawn one at a time (PyTorch's per-element sampler, as
        ``log_normal_`` and small ``normal_`` use it): each Box-Muller pair gives one value
        now and keeps the other for the next draw. The pairs' uniforms come in one draw."""
        n = math.prod(shape)
        values = []
        if n and self.next_normal is not None:
            values.append(self.next_normal)
            self.next_normal = None
        pairs = (n - len(values) + 1) // 2
        u = self._unit(2 * pairs, np.float64).tolist() if pairs else []
        for u1, u2 in zip(u[::2], u[1::2]):
            radius = math.sqrt(-2.0 * math.log1p(-u2))
            theta = _TWO_PI * u1
            values += (radius * math.cos(theta), radius * math.sin(theta))
        if len(values) > n:
            self.next_normal = values.pop()
        return np.array(values, dtype=np.float64).reshape(shape)

    def per_element_normal_values(self, shape: tuple, dtype, mean: float, std: float):
        """``Tensor.normal_(mean, std)`` of a non-contiguous tensor: PyTorch's per-element
        sampler whatever the count (the caller orders ``shape`` as memory is visited)."""
        z = self.one_by_one_normals(shape)
        z = z if std == 1 and mean == 0 else fused_multiply_add(z, std, mean)
        if np.dtype(dtype).kind == "V":  # c10::BFloat16 is made from a float
            z = z.astype(np.float32)
        return z.astype(dtype)

    def log_normal_values(self, shape: tuple, dtype, mean: float, std: float):
        """``Tensor.log_normal_(mean, std)``: exp of per-element normal draws."""
        z = fused_multiply_add(self.one_by_one_normals(shape), std, mean)
        return np.array([math.exp(v) for v in z.flat]).reshape(shape).astype(dtype)

    def random_int64(self) -> int:
        """``torch.empty((), dtype=torch.int64).random_().item()``: a seed for a new stream."""
        return int(self.words64(1)[0] % np.uint64(2**63))


def _restored(state: np.ndarray) -> CPUStream:
    stream = CPUStream(0)
    stream.state = state
    return stream


def fused_multiply_add(a, b: float, c: float):
    """``a * b + c`` rounded once to float64, as the fused multiply-add PyTorch's compiled
    code uses (in the wider long double where the platform has one)."""
    return (np.asarray(a, np.longdouble) * b + c).astype(np.float64)


def _box_muller16(u, exact: bool = False):
    """Normal values from uniforms in blocks of 16: values j and j + 8 of a block come from
    the pair (1 - u[j], u[j + 8]), in u's dtype. ``exact`` (float32 only) computes log, sin
    and cos as PyTorch's AVX2/AVX-512 kernel does (``normal_fill_16_AVX2``), bit for bit."""
    blocks = u.reshape(-1, 16)
    one, two_pi = u.dtype.type(1), u.dtype.type(_TWO_PI)
    if exact:
        radius = _cephes_log(one - blocks[:, :8])
        radius *= np.float32(-2)
        np.sqrt(radius, out=radius)
        sin, cos = _cephes_sincos(two_pi * blocks[:, 8:])
    else:
        radius = np.sqrt(u.dtype.type(-2) * np.log(one - blocks[:, :8]))
        theta = two_pi * blocks[:, 8:]
        sin, cos = np.sin(theta), np.cos(theta)
    out = np.empty_like(blocks)
    np.multiply(radius, cos, out=out[:, :8])
    np.multiply(radius, sin, out=out[:, 8:])
    return out.reshape(-1)


# ---- float32 log and sincos of ATen's avx_mathfun.h (Cephes polynomials), as compiled ----
# Every step is one float32 operation; where the compiler contracts a product and a sum into
# a fused multiply-add, ``_fma`` does it: the product of two float32s is exact in float64.
# The constants are float32 values held as float64, and each product has a float64 array
# operand, so that it runs in float64 without a (slow) dtype argument.
_F32, _F64 = np.float32, np.float64


def _f32_constants(*values):
    return tuple(_F64(_F32(v)) for v in values)


_LOG_POLY = _f32_constants(
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
)  # fmt: skip
_LOG_Q1, _LOG_Q2 = _f32_constants(-2.12194440e-4, 0.693359375)
_SQRT_HALF = _F32(0.70710678118654752)
_MINUS_DP = _f32_constants(-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8)
_SIN_POLY = _f32_constants(-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1)
_COS_POLY = _f32_constants(2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2)
_FOUR_OVER_PI, _MINUS_HALF = _F32(1.27323954473516), _F64(-0.5)


def _fma(a, b, c, out, wide):
    """``out = a * b + c`` rounded once to float32; a or b is a float64 array (of float32
    values), so the product is exact in ``wide``, a float64 scratch array."""
    np.multiply(a, b, out=wide)
    np.add(wide, c, out=wide)
    out[...] = wide
    return out


def _horner(x, x_wide, wide, coefs):
    """The polynomial ``coefs`` (highest power first) at x (``x_wide``: x as float64), one
    fused step per coefficient."""
    y = _fma(x_wide, coefs[0], coefs[1], np.empty_like(x), wide)
    for c in coefs[2:]:
        _fma(y, x_wide, c, y, wide)
    return y


def _cephes_log(x):
    """``log256_ps`` for x in (0, 1]: x = m * 2**e with m in [sqrt(1/2), sqrt(2)), then
    log(1 + (m - 1)) by a polynomial, plus e * log(2) in two parts."""
    wide = np.empty(x.shape, _F64)
    bits = x.view(np.int32)
    e = (bits >> 23).astype(_F32)
    e -= _F32(126)
    m = ((bits & 0x007FFFFF) | 0x3F000000).view(_F32)  # the mantissa in [0.5, 1)
    small = m < _SQRT_HALF
    x = m - _F32(1)
    np.add(x, m, out=x, where=small)
    e -= small
    z = x * x
    z_wide = z.astype(_F64)
    y = _horner(x, x.astype(_F64), wide, _LOG_POLY)
    y *= x
    e_wide = e.astype(_F64)
    _fma(y, z_wide, (e_wide * _LOG_Q1).astype(_F32), y, wide)
    _fma(z_wide, _MINUS_HALF, y, y, wide)
    x += y
    return _fma(e_wide, _LOG_Q2, x, x, wide)


def _cephes_sincos(x):
    """``sincos256_ps`` for x >= 0: x reduced by j * pi/4 (j even) in three float32 parts,
    then the sine and cosine polynomials, swapped and negated by the octant."""
    wide = np.empty(x.shape, _F64)
    j = (x * _FOUR_OVER_PI).astype(np.int32)
    j += 1
    j &= ~1
    octant = j.astype(_F64)
    x = _fma(octant, _MINUS_DP[0], x, np.empty_like(x), wide)
    for dp in _MINUS_DP[1:]:
        _fma(octant, dp, x, x, wide)
    z = x * x
    z_wide = z.astype(_F64)
    cos = _horner(z, z_wide, wide, _COS_POLY)
    cos *= z
    _fma(cos, z_wide, z * _F32(-0.5), cos, wide)
    cos += _F32(1)
    sin = _horner(z, z_wide, wide, _SIN_POLY)
    sin *= z
    _fma(sin, x.astype(_F64), x, sin, wide)
    swap = (j & 2) != 0
    sin, cos = np.where(swap, cos, sin), np.where(swap, sin, cos)
    np.negative(sin, out=sin, where=(j & 4) != 0)
    j -= 2
    np.negative(cos, out=cos, where=(j & 4) == 0)
    return sin, cos
