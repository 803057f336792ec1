"""minitorch.distributed: process groups and collectives for data-parallel training (mirrors
``torch.distributed``), on existing engines: MPI through mpi4py (``backend="mpi"``, CPU
tensors) and NCCL through cupy (``backend="nccl"``, CUDA tensors). Neither is imported until
``init_process_group`` asks for it.

    mpiexec -n 2 python train.py        # every process runs the same script
    >>> import minitorch.distributed as dist
    >>> dist.init_process_group("mpi")
    >>> dist.all_reduce(t, op=dist.ReduceOp.AVG)

``minitorch.nn.parallel.DistributedDataParallel`` and ``minitorch.data.DistributedSampler``
build on it."""

from .collectives import Work, all_gather, all_gather_into_tensor, all_reduce, barrier, broadcast
from .process_group import (
    ProcessGroup,
    abort,
    destroy_process_group,
    get_backend,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
    is_mpi_available,
    is_nccl_available,
)
from .reduce_op import ReduceOp

__all__ = [
    "ProcessGroup",
    "ReduceOp",
    "Work",
    "abort",
    "all_gather",
    "all_gather_into_tensor",
    "all_reduce",
    "barrier",
    "broadcast",
    "destroy_process_group",
    "get_backend",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
    "is_mpi_available",
    "is_nccl_available",
]
