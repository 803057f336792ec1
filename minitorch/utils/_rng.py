"""Replaying the random streams a function saw (for checkpoint's recomputation and vmap's
randomness='same'), on every device's default generator.

Where the backend can save a generator's state (numpy) the snapshot is that state. cupy cannot
save one: there the snapshot draws a seed from the generator, and the function runs on a
fresh stream made from that seed each time (so its numbers differ from what the generator
itself would have given, but every replay gives the same ones).
"""

from __future__ import annotations

from contextlib import contextmanager

from .. import random as _random


class RngSnapshot:
    """The default generators' streams now, to run a function on them again later."""

    def __init__(self) -> None:
        self._states, self._seeds = {}, {}
        for key, gen in list(_random._generators.items()):
            try:
                self._states[key] = gen.get_state()
            except (NotImplementedError, AttributeError):  # cupy's backend raises; others lack it
                self._seeds[key] = int(gen.rng.integers(0, 2**62))
            except RuntimeError:  # vmap's randomness='error' tripwire: no draw, nothing to replay
                continue

    @contextmanager
    def replay(self, first: bool = False):
        """Runs the block on the snapshot's streams. ``first``: the function's first run,
        after which the generators go on from where it left them (as without a snapshot);
        otherwise they are put back as they were before the block."""
        gens = _random._generators
        before = {} if first else {k: gens[k].get_state() for k in self._states}
        swapped = {k: gens[k].rng for k in self._seeds}
        try:
            for key, state in self._states.items():
                if not first:
                    gens[key].set_state(state)
            for key, seed in self._seeds.items():
                gens[key].rng = gens[key]._backend.make_rng(seed)
            yield
        finally:
            for key, state in before.items():
                gens[key].set_state(state)
            for key, rng in swapped.items():
                gens[key].rng = rng
