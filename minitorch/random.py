"""The seeded random generators: one per device, driving init, dropout, randn and shuffling."""

from __future__ import annotations

import contextlib
import threading

import numpy as np

from .backends import on_host
from .backends.memory_order import draw_in_layout

_DEFAULT_SEED = 67280421310721  # PyTorch's default CPU seed


class Generator:
    """Mirrors ``torch.Generator``: a seedable random stream on one device."""

    def __init__(self, device="cpu") -> None:
        from .backends import get_backend  # noqa: PLC0415

        self._backend = get_backend(device)
        self.device = self._backend.device
        self._seed = _DEFAULT_SEED
        self.rng = self._backend.make_rng(self._seed)

    def manual_seed(self, seed: int) -> Generator:
        """Mirrors ``Generator.manual_seed``: seeds in [-2^63, 2^64) (negative ones wrap to
        64 bits, as in PyTorch)."""
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed % 2**64
        self.rng = self._backend.make_rng(self._seed)
        return self

    def seed(self) -> int:
        """Mirrors ``Generator.seed``: reseeds with a fresh non-deterministic 64-bit seed
        and returns it."""
        return self.manual_seed(int(np.random.SeedSequence().entropy) % 2**64)._seed

    def initial_seed(self) -> int:
        """Mirrors ``Generator.initial_seed``: the last seed (or the seed in the last state
        set)."""
        return self._seed

    def get_state(self):
        """Mirrors ``Generator.get_state``: a uint8 tensor, on the CPU the 5056 bytes of
        PyTorch's ``CPUGeneratorImplState`` (interchangeable with PyTorch's)."""
        from ._tensor import make_tensor  # noqa: PLC0415

        return make_tensor(self._backend.rng_state(self.rng))

    def set_state(self, new_state) -> Generator:
        """Mirrors ``Generator.set_state``: takes a uint8 tensor from ``get_state`` (or
        PyTorch's ``get_rng_state().numpy()`` wrapped in one)."""
        self._backend.set_rng_state(self.rng, _state_bytes(new_state))
        self._seed = getattr(self.rng, "initial_seed", self._seed)
        return self


def _state_bytes(state):
    """The array of a state tensor, with PyTorch's errors for anything else."""
    from . import _dtypes  # noqa: PLC0415
    from ._tensor import Tensor  # noqa: PLC0415

    if not isinstance(state, Tensor):
        raise TypeError(
            f"expected a torch.ByteTensor, but got {type(state).__module__}.{type(state).__name__}"
        )
    if state.dtype is not _dtypes.uint8 or state.device.type != "cpu":
        raise TypeError("RNG state must be a torch.ByteTensor")
    if not state.is_contiguous():
        raise RuntimeError("RNG state must be contiguous")
    return state._data


_generators: dict = {}
_seed = [_DEFAULT_SEED]  # the last manual_seed, for generators of devices first used later
_thread = threading.local()  # .cpu: a DataLoader worker thread's own CPU default generator


def use_thread_generator(gen: Generator) -> None:
    """Makes ``gen`` this thread's CPU default generator, as a PyTorch DataLoader worker
    process has its own (``torch.rand`` and ``manual_seed`` in a worker use only it)."""
    _thread.cpu = gen


def generator_rng(generator, device=None):
    """The numpy stream of ``generator`` (the device's default generator when None) for a
    draw on ``device`` (None: the CPU), with PyTorch's errors: a TypeError for another
    object, a RuntimeError for another device type's generator."""
    if generator is None:
        return default_generator(device).rng
    if not isinstance(generator, Generator):
        raise TypeError(
            f"argument 'generator' must be torch.Generator, not {type(generator).__name__}"
        )
    want = "cpu" if device is None else getattr(device, "type", None) or str(device).split(":")[0]
    if generator.device.type != want:
        raise RuntimeError(
            f"Expected a '{want}' device type for generator but found '{generator.device.type}'"
        )
    return generator.rng


def default_generator(device=None) -> Generator:
    """The default generator of a device (CPU when ``device`` is None)."""
    if device is None or device == "cpu":  # the common case, without parsing the device
        gen = getattr(_thread, "cpu", None) or _generators.get("cpu")
        if gen is not None:
            return gen
    from .backends import concrete  # noqa: PLC0415

    key = str(concrete(device or "cpu"))
    if key == "cpu" and getattr(_thread, "cpu", None) is not None:
        return _thread.cpu
    gen = _generators.get(key)
    if gen is None:
        gen = _generators[key] = Generator(key).manual_seed(_seed[0])
    return gen


def manual_seed(seed: int) -> Generator:
    """Mirrors ``torch.manual_seed``: seeds every device's default generator (only the
    worker's own one inside a DataLoader worker thread)."""
    cpu = default_generator().manual_seed(seed)  # checks the seed first
    if getattr(_thread, "cpu", None) is cpu:
        return cpu
    _seed[0] = cpu.initial_seed()
    for gen in list(_generators.values()):
        if gen is not cpu:
            gen.manual_seed(seed)
    return cpu


def seed() -> int:
    """Mirrors ``torch.seed``: a fresh non-deterministic seed for every device's default
    generator, returned."""
    return manual_seed(default_generator().seed()).initial_seed()


def initial_seed() -> int:
    """Mirrors ``torch.initial_seed``."""
    return default_generator().initial_seed()


def get_rng_state():
    """Mirrors ``torch.get_rng_state``: the CPU default generator's state, a uint8 tensor
    of 5056 bytes laid out as PyTorch's."""
    return default_generator().get_state()


def set_rng_state(new_state) -> None:
    """Mirrors ``torch.set_rng_state``: takes a state from ``get_rng_state`` (or PyTorch's)."""
    default_generator().set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled: bool = True, device_type: str = "cuda"):
    """Mirrors ``torch.random.fork_rng``: the default generators' states are restored on
    exit, so draws inside do not change the stream outside."""
    if not enabled:
        yield
        return
    default_generator()  # the CPU one always takes part, as in PyTorch
    saved = [(gen, gen.get_state()) for gen in list(_generators.values())]
    try:
        yield
    finally:
        for gen, state in saved:
            gen.set_state(state)  # the seed too: initial_seed() is restored


def _running_sums(weights):
    """The running sums of ``weights`` along the last dim (a row, or rows), divided by the
    total, the last one set to 1, in float64 (summed in float32 for float16 and bfloat16)."""
    cum = np.cumsum(weights, axis=-1, dtype=np.float32 if weights.itemsize == 2 else weights.dtype)
    by_row = cum.T  # the last dim first: by_row[-1] holds the totals (a number for one row)
    by_row /= by_row[-1]
    by_row[-1] = 1
    return cum.astype(np.float64, copy=False)


def multinomial_draws(rng, rows, num_samples: int, replacement: bool):
    """``torch.multinomial`` on rows of non-negative weights (in their dtype), drawn as
    PyTorch draws them: with replacement, a float64 uniform per sample searched in the
    row's normalised running sum (float32 for float16 and bfloat16 rows); otherwise (or for
    one sample) the largest weight / E values, E ~ Exp(1) (an exponential race, which
    samples without replacement), picked as PyTorch's topk picks them (zero weights tie)."""
    if replacement and num_samples > 1:
        if not on_host(rows):  # every row at once (PyTorch's CUDA kernel searches on the device)
            from .ops.counting import _binary_search  # noqa: PLC0415

            u = rng.random((rows.shape[0], num_samples), dtype=np.float64)
            return (
                _binary_search(_running_sums(rows), u, False) if rows.size else u.astype(np.int64)
            )
        out = np.empty((rows.shape[0], num_samples), np.int64)
        for i, row in enumerate(rows):
            out[i] = np.searchsorted(_running_sums(row), rng.random(num_samples))
        return out
    u = draw_in_layout(rows, lambda shape: rng.random(shape, dtype=np.float64))  # empty_like
    keys = rows / (-1.0 * np.log1p(-u)).astype(rows.dtype)  # exponential_(1) in rows' dtype
    if num_samples == 1:
        return keys.argmax(1)[:, None].astype(np.int64)
    if not on_host(keys):  # (PyTorch's CUDA topk's order among equal keys is not known here)
        return np.argsort(-keys, axis=1)[:, :num_samples].astype(np.int64)
    from .ops import tie_order  # noqa: PLC0415  (topk's order among equal keys, e.g. zeros)

    order = np.argsort(-keys, axis=1, kind="stable")
    tied = tie_order.has_ties(keys, order, 1, 0, min(num_samples + 1, keys.shape[1]))
    top = tie_order.replay(
        keys, order[:, :num_samples], 1, tied, True,
        lambda k: tie_order.topk_order(k, num_samples, True),
    )  # fmt: skip
    return top.astype(np.int64)
