"""The helpers of ``torch.nn.modules.utils`` that layer code imports: ``_single``, ``_pair``,
``_triple``, ``_quadruple``, ``_ntuple``, ``_reverse_repeat_tuple`` and
``consume_prefix_in_state_dict_if_present``."""

from __future__ import annotations

from collections.abc import Iterable


def _ntuple(n: int, name: str = "parse"):
    """Mirrors ``torch.nn.modules.utils._ntuple``: a parser giving an iterable as a tuple and
    repeating anything else ``n`` times."""

    def parse(x) -> tuple:
        if isinstance(x, Iterable):
            return tuple(x)
        return (x,) * n

    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")
_quadruple = _ntuple(4, "_quadruple")


def _reverse_repeat_tuple(t, n: int) -> tuple:
    """Mirrors ``torch.nn.modules.utils._reverse_repeat_tuple``: ``t`` reversed, each element
    repeated ``n`` times ((1, 2), 2 -> (2, 2, 1, 1): F.pad's order)."""
    return tuple(x for x in reversed(t) for _ in range(n))


def consume_prefix_in_state_dict_if_present(state_dict: dict, prefix: str) -> None:
    """Mirrors ``torch.nn.modules.utils.consume_prefix_in_state_dict_if_present``: strips
    ``prefix`` (e.g. ``"module."`` from a DistributedDataParallel checkpoint) from the keys
    that start with it, in place, and from the state dict's metadata."""
    for key in list(state_dict):
        if key.startswith(prefix):
            state_dict[key[len(prefix) :]] = state_dict.pop(key)
    metadata = getattr(state_dict, "_metadata", None)
    if metadata is not None:
        for key in list(metadata):
            if key and (key == prefix.replace(".", "") or key.startswith(prefix)):
                metadata[key[len(prefix) :]] = metadata.pop(key)
