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

BACKENDS = ("gloo", "mpi", "nccl")
DEFAULT_TIMEOUT_S = {"gloo": 1800.0, "mpi": 1800.0, "nccl": 600.0}  # PyTorch's defaults
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
    """Mirrors ``torch.distributed.init_process_group``. ``backend`` is ``"gloo"`` (CPU
    tensors, over TCP; the default, as in PyTorch for CPU tensors), ``"mpi"`` (CPU tensors,
    through mpi4py; rank and size come from ``mpiexec``/``mpirun``) or ``"nccl"`` (CUDA
    tensors, through cupy). gloo and nccl take rank and size from the arguments or
    ``RANK``/``WORLD_SIZE`` and meet at ``MASTER_ADDR``:``MASTER_PORT`` (``init_method=
    "env://"``) or at ``init_method="tcp://host:port"`` (gloo). ``timeout`` (a timedelta or
    seconds) bounds every wait on a collective."""
    global _world
    if _world is not None:
        raise ValueError("trying to initialize the default process group twice!")
    name = "gloo" if backend is None else str(backend).lower()
    if name not in BACKENDS:
        raise ValueError(
            f"init_process_group: unknown backend {backend!r}; minitorch has 'gloo' (CPU "
            "tensors, over TCP), 'mpi' (CPU tensors, through mpi4py) and 'nccl' (CUDA "
            "tensors, through cupy)"
        )
    tcp = name == "gloo" and isinstance(init_method, str) and init_method.startswith("tcp://")
    if init_method not in (None, "env://") and not tcp:
        raise ValueError(
            f"init_process_group: init_method={init_method!r} is not supported; use 'env://' "
            "(MASTER_ADDR / MASTER_PORT, and for gloo also 'tcp://host:port')"
        )
    seconds = _seconds(timeout, DEFAULT_TIMEOUT_S[name])
    watchdog = Watchdog(seconds, _timed_out)
    try:
        if name == "mpi":
            from .mpi import MPIBackend  # noqa: PLC0415 (imports mpi4py: only on demand)

            impl = MPIBackend(watchdog)
        else:
            rank_ = rank if rank >= 0 else env_rank()
            size = world_size if world_size > 0 else env_world_size()
            if name == "gloo":
                from .gloo import GlooBackend  # noqa: PLC0415

                impl = GlooBackend(rank_, size, *_address(init_method), watchdog, seconds)
            else:
                from .nccl import NCCLBackend  # noqa: PLC0415 (imports cupy: only on demand)

                impl = NCCLBackend(rank_, size, watchdog, seconds)
        _check_matches(name, impl, rank, world_size)
    except BaseException:
        watchdog.close()
        raise
    _world = ProcessGroup(impl, watchdog)
    _install_excepthook()


def _address(init_method: str | None) -> tuple:
    """(host, port) of rank 0: from ``tcp://host:port``, else MASTER_ADDR / MASTER_PORT."""
    if init_method is not None and init_method.startswith("tcp://"):
        host, _, port = init_method[len("tcp://") :].partition(":")
        return host, int(port)
    values = []
    for variable in ("MASTER_ADDR", "MASTER_PORT"):
        if not os.environ.get(variable):
            raise ValueError(
                "Error initializing torch.distributed using env:// rendezvous: environment "
                f"variable {variable} expected, but not set"
            )
        values.append(os.environ[variable])
    return values[0], int(values[1])


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
    communicator is aborted and this process exits; on gloo the connections are closed, which
    fails the peers' next collective). minitorch's own, not in PyTorch: what an
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
