"""Hands a small payload (the NCCL unique id) from rank 0 to every other rank over TCP:
rank 0 listens on ``MASTER_ADDR:MASTER_PORT``, the others connect, say their rank and receive
it. What ``torch.distributed``'s TCPStore does for ``init_process_group``, reduced to one
value."""

from __future__ import annotations

import socket
import struct
import time

_HEADER = struct.Struct("!I")


def exchange(
    payload: bytes | None, rank: int, world_size: int, addr: str, port: int, timeout: float
) -> bytes:
    """Rank 0 passes ``payload`` to ranks 1..world_size-1; every rank returns it."""
    deadline = time.monotonic() + timeout
    if rank == 0:
        if payload is None:
            raise ValueError("rendezvous: rank 0 must provide the payload")
        _serve(payload, world_size, addr, port, deadline)
        return payload
    return _fetch(rank, addr, port, deadline, timeout)


def _serve(payload: bytes, world_size: int, addr: str, port: int, deadline: float) -> None:
    waiting = set(range(1, world_size))
    with socket.create_server((addr, port)) as server:
        while waiting:
            server.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                conn, _ = server.accept()
            except TimeoutError:
                raise RuntimeError(
                    f"rendezvous: rank 0 waited at {addr}:{port} but ranks {sorted(waiting)} "
                    "never connected; check that every rank was started with the same "
                    "MASTER_ADDR, MASTER_PORT and WORLD_SIZE"
                ) from None
            with conn:
                conn.settimeout(max(deadline - time.monotonic(), 0.001))
                (peer,) = _HEADER.unpack(_recv_exactly(conn, _HEADER.size))
                if peer not in waiting:
                    raise RuntimeError(
                        f"rendezvous: a process connected as rank {peer}, which is not one of "
                        f"the ranks still expected ({sorted(waiting)}) of a world of {world_size}"
                    )
                waiting.discard(peer)
                conn.sendall(_HEADER.pack(len(payload)) + payload)


def _fetch(rank: int, addr: str, port: int, deadline: float, timeout: float) -> bytes:
    while True:
        try:
            conn = socket.create_connection(
                (addr, port), timeout=max(deadline - time.monotonic(), 0.001)
            )
            break
        except OSError:  # rank 0 is not listening yet
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"rendezvous: rank {rank} could not reach rank 0 at {addr}:{port} within "
                    f"{timeout:g} s; check MASTER_ADDR / MASTER_PORT and that rank 0 is running"
                ) from None
            time.sleep(0.05)
    with conn:
        conn.sendall(_HEADER.pack(rank))
        (size,) = _HEADER.unpack(_recv_exactly(conn, _HEADER.size))
        return _recv_exactly(conn, size)


def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = conn.recv(left)
        if not chunk:
            raise RuntimeError("rendezvous: the peer closed the connection early")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
