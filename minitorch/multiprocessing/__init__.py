"""minitorch.multiprocessing: Python's ``multiprocessing`` with PyTorch's additions
(``spawn``, ``start_processes``, the sharing-strategy switches), so that
``import torch.multiprocessing as mp; mp.spawn(main, args=(world_size,), nprocs=world_size)``
runs. Tensors (and modules holding them) passed to processes or through queues travel in
shared memory, as in PyTorch (``Tensor.share_memory_``); a plain ``pickle`` copies them."""

from __future__ import annotations

import multiprocessing
from multiprocessing import *  # noqa: F403  (Process, Queue, get_context, ...)

from .._sharing import register_reductions
from .spawn import (
    ProcessContext,
    ProcessException,
    ProcessExitedException,
    ProcessRaisedException,
    SpawnContext,
    spawn,
    start_processes,
)

register_reductions()

_STRATEGIES = frozenset({"file_descriptor", "file_system"})
_sharing = {"strategy": "file_descriptor"}


def get_all_sharing_strategies() -> set:
    """Mirrors ``torch.multiprocessing.get_all_sharing_strategies``."""
    return set(_STRATEGIES)


def get_sharing_strategy() -> str:
    """Mirrors ``torch.multiprocessing.get_sharing_strategy``."""
    return _sharing["strategy"]


def set_sharing_strategy(new_strategy: str) -> None:
    """Mirrors ``torch.multiprocessing.set_sharing_strategy`` (kept for the getter: minitorch
    does not share tensors between processes)."""
    assert new_strategy in _STRATEGIES
    _sharing["strategy"] = new_strategy


__all__ = multiprocessing.__all__ + [
    "ProcessContext",
    "ProcessException",
    "ProcessExitedException",
    "ProcessRaisedException",
    "SpawnContext",
    "get_all_sharing_strategies",
    "get_sharing_strategy",
    "set_sharing_strategy",
    "spawn",
    "start_processes",
]
