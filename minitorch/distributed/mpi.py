"""The MPI backend, through mpi4py: nonblocking MPI collectives (``MPI_Iallreduce``, ...) on
CPU tensors' own memory, on a duplicate of ``MPI_COMM_WORLD`` (so user MPI traffic cannot
mix with them). Rank and size are MPI's: launch with ``mpiexec -n N python ...``."""

from __future__ import annotations

import numpy as np
from mpi4py import MPI

from ._host import host_view
from .reduce_op import ReduceOp

_OPS = {
    ReduceOp.SUM: MPI.SUM,
    ReduceOp.AVG: MPI.SUM,  # then divided by the world size
    ReduceOp.PRODUCT: MPI.PROD,
    ReduceOp.MIN: MPI.MIN,
    ReduceOp.MAX: MPI.MAX,
}
_BOOL_OPS = {
    ReduceOp.SUM: MPI.LOR,
    ReduceOp.MAX: MPI.LOR,
    ReduceOp.PRODUCT: MPI.LAND,
    ReduceOp.MIN: MPI.LAND,
}


class _Request:
    """One MPI request: ``wait`` blocks under the watchdog, then runs ``after``."""

    __slots__ = ("_req", "_what", "_watchdog", "_buffers", "_after")

    def __init__(self, req, what: str, watchdog, buffers: tuple, after=None) -> None:
        self._req, self._what, self._watchdog = req, what, watchdog
        self._buffers = buffers  # alive until the transfer is over
        self._after = after

    def wait(self) -> None:
        with self._watchdog.watching(self._what):
            self._req.Wait()
        self._buffers = None
        if self._after is not None:
            self._after()

    def test(self) -> bool:
        return self._req.Test()


class MPIBackend:
    """Collectives of the world communicator; each returns a request to ``wait()`` on."""

    name = "mpi"

    def __init__(self, watchdog) -> None:
        self.comm = MPI.COMM_WORLD.Dup()
        self.rank = self.comm.Get_rank()
        self.world_size = self.comm.Get_size()
        self._watchdog = watchdog

    def all_reduce(self, data, op: ReduceOp) -> _Request:
        buf = host_view("all_reduce", data, "mpi")
        mpi_op = (_BOOL_OPS if buf.dtype == np.bool_ else _OPS)[op]
        req = self.comm.Iallreduce(MPI.IN_PLACE, buf, mpi_op)
        after = None
        if op is ReduceOp.AVG:
            n = self.world_size

            def after() -> None:
                np.divide(buf, n, out=buf)

        return _Request(req, "all_reduce", self._watchdog, (buf,), after)

    def broadcast(self, data, src: int) -> _Request:
        buf = host_view("broadcast", data, "mpi")
        return _Request(self.comm.Ibcast(buf, root=src), "broadcast", self._watchdog, (buf,))

    def all_gather(self, out, data) -> _Request:
        send, recv = host_view("all_gather", data, "mpi"), host_view("all_gather", out, "mpi")
        req = self.comm.Iallgather(send, recv)
        return _Request(req, "all_gather", self._watchdog, (send, recv))

    def barrier(self) -> _Request:
        return _Request(self.comm.Ibarrier(), "barrier", self._watchdog, ())

    def abort(self, exit_code: int) -> None:
        """Ends every process of the job (``MPI_Abort``)."""
        MPI.COMM_WORLD.Abort(exit_code)

    def close(self) -> None:
        self.comm.Free()
