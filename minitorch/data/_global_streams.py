"""A DataLoader worker's own numpy and Python global random streams (``np.random.*``,
``random.*``). A PyTorch worker process has them to itself, seeded from the loader's base seed
(``random.seed(base_seed + id)``, ``np.random.seed(_generate_state(base_seed, id))``), so
augmentations drawn from them are reproducible. Workers are threads here and those streams
are process-wide: a worker swaps its states in while its user code runs (one worker at a time)
and puts the previous ones back after, so the main thread's streams are left as they were."""

from __future__ import annotations

import contextlib
import random
import threading

import numpy as np

_LOCK = threading.Lock()  # one worker at a time holds the process-wide streams
_MASK32 = 0xFFFFFFFF


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """PyTorch's ``_generate_state``: four 32-bit words seeding a worker's ``np.random``, hashed
    from the worker id and base seed (numpy's SeedSequence mixing, with a pool of four)."""
    hash_mult = [0x43B0D7E5]

    def hashed(value: int) -> int:
        value = (value ^ hash_mult[0]) & _MASK32
        hash_mult[0] = (hash_mult[0] * 0x931E8875) & _MASK32
        value = (value * hash_mult[0]) & _MASK32
        return value ^ (value >> 16)

    def mix(x: int, y: int) -> int:
        result = ((0xCA01F9DD * x) - (0x4973F715 * y)) & _MASK32
        return result ^ (result >> 16)

    pool = [hashed(v) for v in (worker_id, base_seed & _MASK32, base_seed >> 32, 0)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hashed(pool[src]))
    out, mult = [], 0x8B51F9DD
    for value in pool:
        value = (value ^ mult) & _MASK32
        mult = (mult * 0x58F38DED) & _MASK32
        value = (value * mult) & _MASK32
        out.append(value ^ (value >> 16))
    return out


class WorkerStreams:
    """The states of one worker's numpy and Python global streams, seeded as PyTorch seeds a
    worker process's; ``with streams.active():`` runs code on them."""

    def __init__(self, base_seed: int, worker_id: int) -> None:
        self._np = np.random.RandomState(_generate_state(base_seed, worker_id)).get_state()
        self._py = random.Random(base_seed + worker_id).getstate()

    @contextlib.contextmanager
    def active(self):
        with _LOCK:
            outer = np.random.get_state(), random.getstate()
            np.random.set_state(self._np)
            random.setstate(self._py)
            try:
                yield
            finally:
                self._np, self._py = np.random.get_state(), random.getstate()
                np.random.set_state(outer[0])
                random.setstate(outer[1])
