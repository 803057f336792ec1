"""The NCCL backend, through cupy (``cupy.cuda.nccl``): collectives on CUDA tensors' own
device memory, never through the host. Each collective is queued on a communication stream
after the work already queued on the current stream; ``wait()`` makes the current stream wait
for it (the host does not block, except in ``barrier``), and the watchdog aborts the job if
it does not finish within the timeout.

Rank and world size come from ``RANK`` / ``WORLD_SIZE`` (or ``mpiexec``); the GPU is
``LOCAL_RANK`` modulo the GPUs visible. Rank 0 makes NCCL's unique id and hands it to the
others over TCP at ``MASTER_ADDR:MASTER_PORT`` (default port 29500), or through MPI when
launched by ``mpiexec`` without ``MASTER_ADDR``."""

from __future__ import annotations

import os

import cupy
import numpy as np
from cupy.cuda import nccl

from . import rendezvous
from ._env import env_local_rank, env_world_size
from .reduce_op import ReduceOp

_DTYPES = {
    np.dtype(np.float16): nccl.NCCL_FLOAT16,
    np.dtype(np.float32): nccl.NCCL_FLOAT32,
    np.dtype(np.float64): nccl.NCCL_FLOAT64,
    np.dtype(np.int8): nccl.NCCL_INT8,
    np.dtype(np.uint8): nccl.NCCL_UINT8,
    np.dtype(np.int32): nccl.NCCL_INT32,
    np.dtype(np.int64): nccl.NCCL_INT64,
    np.dtype(np.bool_): nccl.NCCL_UINT8,  # one byte, 0 or 1: reduced with MAX / MIN
}
_OPS = {
    ReduceOp.SUM: nccl.NCCL_SUM,
    ReduceOp.AVG: nccl.NCCL_AVG,
    ReduceOp.PRODUCT: nccl.NCCL_PROD,
    ReduceOp.MIN: nccl.NCCL_MIN,
    ReduceOp.MAX: nccl.NCCL_MAX,
}
_BOOL_OPS = {
    ReduceOp.SUM: nccl.NCCL_MAX,
    ReduceOp.MAX: nccl.NCCL_MAX,
    ReduceOp.PRODUCT: nccl.NCCL_MIN,
    ReduceOp.MIN: nccl.NCCL_MIN,
}
DEFAULT_PORT = 29500


class _Request:
    """A collective queued on the communication stream, finished when ``done`` fires."""

    __slots__ = ("_done", "_what", "_watchdog", "_buffers", "_host")

    def __init__(self, done, what: str, watchdog, buffers: tuple, host: bool = False) -> None:
        self._done, self._what, self._watchdog = done, what, watchdog
        self._buffers = buffers  # alive until the current stream is ordered after the transfer
        self._host = host

    def wait(self) -> None:
        if self._host:
            with self._watchdog.watching(self._what):
                self._done.synchronize()
        else:
            cupy.cuda.get_current_stream().wait_event(self._done)
            done = self._done
            self._watchdog.track(self._what, done=lambda: done.done)
        self._buffers = None

    def test(self) -> bool:
        return self._done.done


def unique_id_to_bytes(uid: tuple) -> bytes:
    """cupy's unique id (a tuple of 128 C chars, -128..127) as bytes."""
    return bytes(b & 0xFF for b in uid)


def unique_id_from_bytes(data: bytes) -> tuple:
    """The inverse of ``unique_id_to_bytes``."""
    return tuple(b - 256 if b > 127 else b for b in data)


def _share_unique_id(uid, rank: int, world_size: int, timeout: float) -> tuple:
    if world_size == 1:
        return uid
    addr = os.environ.get("MASTER_ADDR")
    if addr:
        port = int(os.environ.get("MASTER_PORT", DEFAULT_PORT))
        payload = None if uid is None else unique_id_to_bytes(uid)
        return unique_id_from_bytes(
            rendezvous.exchange(payload, rank, world_size, addr, port, timeout)
        )
    if env_world_size() == world_size:  # started by an MPI launcher
        from mpi4py import MPI  # noqa: PLC0415

        return MPI.COMM_WORLD.bcast(uid, root=0)
    raise RuntimeError(
        "init_process_group(backend='nccl'): set MASTER_ADDR and MASTER_PORT (rank 0's host "
        "and a free port) so that the ranks can exchange NCCL's id, or launch with mpiexec"
    )


class NCCLBackend:
    """Collectives of one NCCL communicator (one GPU per process)."""

    name = "nccl"

    def __init__(self, rank: int, world_size: int, watchdog, timeout: float) -> None:
        if not nccl.available:
            raise RuntimeError(
                "init_process_group(backend='nccl'): this cupy has no NCCL; install the NCCL "
                "package of your CUDA version (e.g. pip install nvidia-nccl-cu12)"
            )
        if not 0 <= rank < world_size:
            raise ValueError(
                f"init_process_group(backend='nccl'): rank {rank} is not in a world of "
                f"{world_size}; set RANK and WORLD_SIZE (or launch with mpiexec)"
            )
        self.rank, self.world_size = rank, world_size
        self.device = env_local_rank() % cupy.cuda.runtime.getDeviceCount()
        cupy.cuda.Device(self.device).use()
        uid = nccl.get_unique_id() if rank == 0 else None
        self.comm = nccl.NcclCommunicator(
            world_size, _share_unique_id(uid, rank, world_size, timeout), rank
        )
        self.stream = cupy.cuda.Stream(non_blocking=True)
        self._watchdog = watchdog
        self._token = cupy.zeros(1, dtype=cupy.int32)  # what barrier reduces

    def _check(self, op: str, data) -> int:
        if not isinstance(data, cupy.ndarray):
            raise RuntimeError(
                f"{op}: the nccl backend works on CUDA tensors, got a CPU tensor; move it "
                "with .cuda() or use init_process_group(backend='mpi')"
            )
        if data.device.id != self.device:
            raise RuntimeError(
                f"{op}: the tensor is on cuda:{data.device.id}, but this rank's NCCL "
                f"communicator is on cuda:{self.device}"
            )
        code = _DTYPES.get(data.dtype)
        if code is None:
            raise TypeError(
                f"{op}: NCCL does not reduce {data.dtype} tensors; use one of "
                f"{', '.join(str(d) for d in _DTYPES)}"
            )
        return code

    def _launch(self, what: str, buffers: tuple, call, host: bool = False) -> _Request:
        with cupy.cuda.Device(self.device):
            self.stream.wait_event(cupy.cuda.get_current_stream().record())
            call(self.stream.ptr)
            done = self.stream.record()
        return _Request(done, what, self._watchdog, buffers, host)

    def all_reduce(self, data, op: ReduceOp) -> _Request:
        dtype = self._check("all_reduce", data)
        code = (_BOOL_OPS if data.dtype == np.bool_ else _OPS)[op]
        ptr = data.data.ptr
        return self._launch(
            "all_reduce",
            (data,),
            lambda s: self.comm.allReduce(ptr, ptr, data.size, dtype, code, s),
        )

    def broadcast(self, data, src: int) -> _Request:
        dtype = self._check("broadcast", data)
        ptr = data.data.ptr
        return self._launch(
            "broadcast", (data,), lambda s: self.comm.broadcast(ptr, ptr, data.size, dtype, src, s)
        )

    def all_gather(self, out, data) -> _Request:
        dtype = self._check("all_gather", data)
        self._check("all_gather", out)
        return self._launch(
            "all_gather",
            (out, data),
            lambda s: self.comm.allGather(data.data.ptr, out.data.ptr, data.size, dtype, s),
        )

    def barrier(self) -> _Request:
        token = self._token
        return self._launch(
            "barrier",
            (token,),
            lambda s: self.comm.allReduce(
                token.data.ptr, token.data.ptr, 1, nccl.NCCL_INT32, nccl.NCCL_SUM, s
            ),
            host=True,
        )

    def abort(self, exit_code: int) -> None:
        """Aborts the communicator (the caller then exits; peers time out or fail)."""
        self.comm.abort()

    def close(self) -> None:
        self.comm.destroy()
