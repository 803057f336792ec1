"""The default process group: ``init_process_group``, ``destroy_process_group``,
``get_rank``, ``get_world_size`` and friends (mirrors ``torch.distributed``'s functions for the
world group; minitorch has no sub-groups).

A job fails as a whole: once a group exists, an uncaught exception on any rank, or a collective
that waits longer than ``timeout``, ends every process of the job with a non-zero status
(``MPI_Abort``) instead of leaving the other ranks blocked in their next collective."""

from __future__ import annotations

import datetime
import importlib.util
import os
import sys
import time

from ._env import env_rank, env_world_size
from .watchdog import Watchdog

BACKENDS = ("mpi", "nccl")
DEFAULT_TIMEOUT_S = {"mpi": 1800.0, "nccl": 600.0}  # PyTorch's defaults for these backends
_DRAIN_S = 0.3


class ProcessGroup:
    """Mirrors ``torch.distributed.ProcessGroup`` for the world group: a backend with its rank
    and size, and the watchdog that times its collectives out."""

    def __init__(self, backend, watchdog: Watchdog) -> None:
        self.backend = backend
        self.watchdog = watchdog

    def rank(self) -> int:
        """This process's rank in the group."""
        return self.backend.rank

    def size(self) -> int:
        """The number of processes in the group."""
        return self.backend.world_size

    def name(self) -> str:
        """The backend's name ('mpi' or 'nccl')."""
        return self.backend.name


_world: ProcessGroup | None = None
_chained_excepthook = None


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout: datetime.timedelta | float | None = None,
    world_size: int = -1,
    rank: int = -1,
) -> None:
    """Mirrors ``torch.distributed.init_process_group``. ``backend`` is ``"mpi"`` (CPU
    tensors, through mpi4py; rank and size come from ``mpiexec``/``mpirun``) or ``"nccl"``
    (CUDA tensors, through cupy; rank and size from ``RANK``/``WORLD_SIZE`` or the MPI
    launcher, the NCCL id passed on at ``MASTER_ADDR``:``MASTER_PORT``). None means "mpi".
    ``timeout`` (a timedelta or seconds) bounds every wait on a collective."""
    global _world
    if _world is not None:
        raise ValueError("trying to initialize the default process group twice!")
    name = "mpi" if backend is None else str(backend).lower()
    if name not in BACKENDS:
        raise ValueError(
            f"init_process_group: unknown backend {backend!r}; minitorch has 'mpi' (CPU "
            "tensors, through mpi4py) and 'nccl' (CUDA tensors, through cupy)"
        )
    if init_method not in (None, "env://"):
        raise ValueError(
            f"init_process_group: init_method={init_method!r} is not supported; rank and world "
            "size come from the launcher's environment (init_method='env://')"
        )
    seconds = _seconds(timeout, DEFAULT_TIMEOUT_S[name])
    watchdog = Watchdog(seconds, _timed_out)
    try:
        if name == "mpi":
            from .mpi import MPIBackend  # noqa: PLC0415 (imports mpi4py: only on demand)

            impl = MPIBackend(watchdog)
        else:
            from .nccl import NCCLBackend  # noqa: PLC0415 (imports cupy: only on demand)

            impl = NCCLBackend(
                rank if rank >= 0 else env_rank(),
                world_size if world_size > 0 else env_world_size(),
                watchdog,
                seconds,
            )
        _check_matches(name, impl, rank, world_size)
    except BaseException:
        watchdog.close()
        raise
    _world = ProcessGroup(impl, watchdog)
    _install_excepthook()


def _seconds(timeout, default: float) -> float:
    if timeout is None:
        return default
    seconds = timeout.total_seconds() if isinstance(timeout, datetime.timedelta) else timeout
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        raise ValueError(
            f"timeout must be a positive timedelta or number of seconds, got {timeout!r}"
        )
    return float(seconds)


def _check_matches(name: str, impl, rank: int, world_size: int) -> None:
    for arg, asked, actual in (
        ("rank", rank, impl.rank),
        ("world_size", world_size, impl.world_size),
    ):
        if asked >= 0 and asked != actual:
            raise ValueError(
                f"init_process_group(backend='{name}'): {arg}={asked}, but the launcher started "
                f"this process with {arg} {actual}; leave {arg} out to take the launcher's"
            )


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Mirrors ``torch.distributed.destroy_process_group``: frees the communicator, stops
    the watchdog and puts back the previous ``sys.excepthook``."""
    global _world
    world = default_group("destroy_process_group", group)
    _world = None
    world.watchdog.close()
    world.backend.close()
    if sys.excepthook is _abort_on_exception:
        sys.excepthook = _chained_excepthook


def default_group(op: str, group: ProcessGroup | None = None) -> ProcessGroup:
    """The world group (``group`` may only be None or that group); raises if none exists."""
    if _world is None:
        raise ValueError(
            f"{op}: Default process group has not been initialized, please make sure to call "
            "init_process_group."
        )
    if group is not None and group is not _world:
        raise ValueError(f"{op}: minitorch has only the default (world) process group")
    return _world


def is_initialized() -> bool:
    """Mirrors ``torch.distributed.is_initialized``."""
    return _world is not None


def is_available() -> bool:
    """Mirrors ``torch.distributed.is_available`` (the package is always there; its backends
    need mpi4py or cupy: see ``is_mpi_available`` / ``is_nccl_available``)."""
    return True


def is_mpi_available() -> bool:
    """Mirrors ``torch.distributed.is_mpi_available``: mpi4py is installed."""
    return importlib.util.find_spec("mpi4py") is not None


def is_nccl_available() -> bool:
    """Mirrors ``torch.distributed.is_nccl_available``: cupy with NCCL is installed."""
    try:
        from cupy.cuda import nccl  # noqa: PLC0415
    except Exception:  # noqa: BLE001 - no cupy, or cupy without its CUDA libraries
        return False
    return bool(getattr(nccl, "available", False))


def get_rank(group: ProcessGroup | None = None) -> int:
    """Mirrors ``torch.distributed.get_rank``."""
    return default_group("get_rank", group).rank()


def get_world_size(group: ProcessGroup | None = None) -> int:
    """Mirrors ``torch.distributed.get_world_size``."""
    return default_group("get_world_size", group).size()


def get_backend(group: ProcessGroup | None = None) -> str:
    """Mirrors ``torch.distributed.get_backend``."""
    return default_group("get_backend", group).name()


def abort(exit_code: int = 1) -> None:
    """Ends every process of the job now with ``exit_code`` (``MPI_Abort``; on NCCL the
    communicator is aborted and this process exits). minitorch's own, not in PyTorch: what an
    uncaught exception on any rank and a collective timeout do."""
    sys.stdout.flush()
    sys.stderr.flush()
    time.sleep(_DRAIN_S)  # the launcher forwards our output asynchronously: let it drain first
    if _world is not None:
        _world.backend.abort(exit_code)
    os._exit(exit_code)


def _timed_out(what: str) -> None:
    world = _world
    where = f"rank {world.rank()} of {world.size()}" if world is not None else "a rank"
    limit = world.watchdog.timeout if world is not None else float("nan")
    print(
        f"minitorch.distributed: {where}: {what} did not complete within the {limit:g} s "
        "timeout (a peer has probably failed or hung); aborting the job",
        file=sys.stderr,
    )
    abort(1)


def _abort_on_exception(exc_type, exc, tb) -> None:
    _chained_excepthook(exc_type, exc, tb)
    world = _world
    if world is not None:
        print(
            f"minitorch.distributed: rank {world.rank()} of {world.size()} raised "
            f"{exc_type.__name__}; aborting the job",
            file=sys.stderr,
        )
        abort(1)


def _install_excepthook() -> None:
    global _chained_excepthook
    if sys.excepthook is not _abort_on_exception:
        _chained_excepthook = sys.excepthook
        sys.excepthook = _abort_on_exception
