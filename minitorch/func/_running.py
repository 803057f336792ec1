"""Which ``minitorch.func`` transforms are running (user Functions check that they support
them, as PyTorch's ``Function.apply`` does under functorch)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..autograd.function import jvp_rules, transforms


class Ran:
    """What ran inside a ``running`` block: ``custom_jvp`` is True when a user Function with
    a ``jvp`` rule was applied to a tangent-carrying input under a jvp transform."""

    custom_jvp = False


@contextmanager
def running(*kinds: str) -> Iterator[Ran]:
    """Marks transforms of ``kinds`` ("vmap", "grad", "jvp") running inside the block."""
    transforms.extend(kinds)
    start = len(jvp_rules)
    ran = Ran()
    try:
        yield ran
    finally:
        del transforms[len(transforms) - len(kinds) :]
        ran.custom_jvp = len(jvp_rules) > start
        del jvp_rules[start:]
