"""Rank, world size and local rank as the launcher set them in the environment: torchrun-style
``RANK`` / ``WORLD_SIZE`` / ``LOCAL_RANK``, Open MPI's ``mpirun``, MPICH / Intel MPI's
``mpiexec`` (PMI) and Slurm's ``srun``."""

from __future__ import annotations

import os

_RANK = ("RANK", "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID")
_WORLD_SIZE = ("WORLD_SIZE", "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS")
_LOCAL_RANK = ("LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID")


def _first_int(names: tuple, default: int) -> int:
    for name in names:
        value = os.environ.get(name)
        if value not in (None, ""):
            try:
                return int(value)
            except ValueError:
                raise ValueError(
                    f"environment variable {name}={value!r} is not an integer"
                ) from None
    return default


def env_rank() -> int:
    """This process's rank as the launcher set it (0 when not launched as a job)."""
    return _first_int(_RANK, 0)


def env_world_size() -> int:
    """The number of processes the launcher started (1 when not launched as a job)."""
    return _first_int(_WORLD_SIZE, 1)


def env_local_rank() -> int:
    """This process's rank among those on its machine (picks its GPU)."""
    return _first_int(_LOCAL_RANK, 0)
