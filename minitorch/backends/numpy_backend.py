"""The CPU backend: numpy arrays, numpy's PCG64 generator."""

from __future__ import annotations

import numpy as np


class NumpyBackend:
    """Array module, random streams and (trivial) synchronisation for the CPU."""

    xp = np
    name = "cpu"

    @property
    def device(self):
        from . import Device  # noqa: PLC0415

        return Device("cpu")

    def make_rng(self, seed: int):
        return np.random.Generator(np.random.PCG64(seed))

    def rng_state(self, rng) -> dict:
        return rng.bit_generator.state

    def set_rng_state(self, rng, state: dict) -> None:
        rng.bit_generator.state = state

    def synchronize(self) -> None:
        """Nothing to wait for on the CPU."""
