"""The ``gloo`` backend: collectives on CPU tensors between processes, over TCP, in plain
Python and numpy (what PyTorch's Gloo backend is for: data-parallel training on CPUs, and the
DDP tutorial's ``init_process_group("gloo")`` under ``torch.multiprocessing.spawn``).

Rank 0 is the hub: it listens at ``MASTER_ADDR:MASTER_PORT`` (or the ``tcp://`` init
method's address), every other rank connects once and keeps its connection. A collective
sends each rank's bytes to the hub, which combines them in rank order and sends the result
back, so every rank ends with the same bytes. A collective that waits longer than the group's
timeout ends the job (the watchdog), and one whose peer closed its connection (it failed)
raises."""

from __future__ import annotations

import socket
import struct
import time

import numpy as np

from ._host import host_view
from .reduce_op import ReduceOp
from .rendezvous import accept_ranks, connect, recv_exactly

_OPS = {
    ReduceOp.SUM: np.add,
    ReduceOp.AVG: np.add,  # then divided by the world size
    ReduceOp.PRODUCT: np.multiply,
    ReduceOp.MIN: np.minimum,
    ReduceOp.MAX: np.maximum,
}
_BOOL_OPS = {
    ReduceOp.SUM: np.logical_or,
    ReduceOp.MAX: np.logical_or,
    ReduceOp.PRODUCT: np.logical_and,
    ReduceOp.MIN: np.logical_and,
}
_HEADER = struct.Struct("!Q")  # a message's length in bytes, or a rank at connection time


class _Done:
    """A collective that has already finished when it returns (the backend is synchronous)."""

    __slots__ = ()

    def wait(self) -> None:
        pass

    def test(self) -> bool:
        return True


_DONE = _Done()


class GlooBackend:
    """The world group's connections; each collective returns a finished request."""

    name = "gloo"

    def __init__(self, rank: int, world_size: int, addr: str, port: int, watchdog,
                 timeout: float) -> None:  # fmt: skip
        if world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(
                f"init_process_group(backend='gloo'): rank {rank} is not a rank of a world of "
                f"{world_size}; give rank= and world_size= (or RANK / WORLD_SIZE)"
            )
        self.rank, self.world_size, self._watchdog = rank, world_size, watchdog
        self._peers: list[socket.socket] = []  # on rank 0: ranks 1.. in order; else: rank 0
        if world_size > 1:
            deadline = time.monotonic() + timeout
            self._peers = (
                accept_ranks(addr, port, world_size, deadline)
                if rank == 0
                else [connect(rank, addr, port, deadline, timeout)]
            )
            for peer in self._peers:
                peer.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                peer.settimeout(None)  # the watchdog bounds the waits

    # -- collectives ---------------------------------------------------------------------
    def all_reduce(self, data, op: ReduceOp) -> _Done:
        buf = host_view("all_reduce", data, "gloo")
        with self._watchdog.watching("all_reduce"):
            self._all_reduce(buf, op)
        return _DONE

    def _all_reduce(self, buf: np.ndarray, op: ReduceOp) -> None:
        if self.rank == 0:
            combine = (_BOOL_OPS if buf.dtype == np.bool_ else _OPS)[op]
            part = np.empty_like(buf)
            for peer in self._peers:  # rank order: every run adds in the same order
                self._receive_into(peer, part, "all_reduce")
                combine(buf, part, out=buf)
            if op is ReduceOp.AVG:
                np.divide(buf, self.world_size, out=buf)
            for peer in self._peers:
                self._send(peer, buf, "all_reduce")
        elif self._peers:
            self._send(self._peers[0], buf, "all_reduce")
            self._receive_into(self._peers[0], buf, "all_reduce")

    def broadcast(self, data, src: int) -> _Done:
        buf = host_view("broadcast", data, "gloo")
        with self._watchdog.watching("broadcast"):
            self._broadcast(buf, src)
        return _DONE

    def _broadcast(self, buf: np.ndarray, src: int) -> None:
        if self.rank == 0:
            if src != 0:
                self._receive_into(self._peers[src - 1], buf, "broadcast")
            for i, peer in enumerate(self._peers, start=1):
                if i != src:
                    self._send(peer, buf, "broadcast")
        elif self._peers:
            if self.rank == src:
                self._send(self._peers[0], buf, "broadcast")
            else:
                self._receive_into(self._peers[0], buf, "broadcast")

    def all_gather(self, out, data) -> _Done:
        send, recv = host_view("all_gather", data, "gloo"), host_view("all_gather", out, "gloo")
        with self._watchdog.watching("all_gather"):
            self._all_gather(send, recv)
        return _DONE

    def _all_gather(self, send: np.ndarray, recv: np.ndarray) -> None:
        parts = recv.reshape(self.world_size, -1)
        if self.rank == 0:
            parts[0] = send
            for i, peer in enumerate(self._peers, start=1):
                self._receive_into(peer, parts[i], "all_gather")
            for peer in self._peers:
                self._send(peer, recv, "all_gather")
        elif self._peers:
            self._send(self._peers[0], send, "all_gather")
            self._receive_into(self._peers[0], recv, "all_gather")
        else:
            parts[0] = send

    def barrier(self) -> _Done:
        with self._watchdog.watching("barrier"):
            self._all_reduce(np.zeros(1, np.uint8), ReduceOp.MAX)
        return _DONE

    def abort(self, exit_code: int) -> None:
        """Closes the connections: the peers' next collective fails and ends them too."""
        self.close()

    def close(self) -> None:
        # the closed sockets stay: a collective after this fails ("the connection failed")
        # instead of silently doing nothing with no peers
        for peer in self._peers:
            try:  # wakes a receive blocked in another thread (close alone does not)
                peer.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # not connected any more
            peer.close()

    # -- transport -----------------------------------------------------------------------
    def _send(self, peer: socket.socket, buf: np.ndarray, what: str) -> None:
        try:
            peer.sendall(_HEADER.pack(buf.nbytes))
            peer.sendall(memoryview(buf).cast("B"))
        except OSError as e:
            raise self._failed(what, e) from None

    def _receive_into(self, peer: socket.socket, buf: np.ndarray, what: str) -> None:
        try:
            (size,) = _HEADER.unpack(recv_exactly(peer, _HEADER.size))
            if size != buf.nbytes:
                raise RuntimeError(
                    f"{what}: a peer sent {size} bytes where this rank (rank {self.rank}) has "
                    f"{buf.nbytes}; every rank must pass tensors of the same shape and dtype "
                    "to the same collectives in the same order"
                )
            view, got = memoryview(buf).cast("B"), 0
            while got < size:
                n = peer.recv_into(view[got:])
                if not n:
                    raise ConnectionError("the connection was closed")
                got += n
        except OSError as e:
            raise self._failed(what, e) from None

    def _failed(self, what: str, error: OSError) -> RuntimeError:
        return RuntimeError(
            f"{what} (gloo, rank {self.rank} of {self.world_size}): the connection failed "
            f"({error}); a peer has probably failed"
        )
