"""Rank 0 meets the other ranks over TCP at ``MASTER_ADDR:MASTER_PORT``: it listens, the others
connect and say their rank (``accept_ranks`` / ``connect``). ``exchange`` hands one small
payload (the NCCL unique id) from rank 0 to every rank this way, what ``torch.distributed``'s
TCPStore does for ``init_process_group``; the gloo backend keeps the connections."""

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
        for conn in accept_ranks(addr, port, world_size, deadline):
            with conn:
                conn.sendall(_HEADER.pack(len(payload)) + payload)
        return payload
    with connect(rank, addr, port, deadline, timeout) as conn:
        (size,) = _HEADER.unpack(recv_exactly(conn, _HEADER.size))
        return recv_exactly(conn, size)


def accept_ranks(addr: str, port: int, world_size: int, deadline: float) -> list:
    """On rank 0: the connections of ranks 1..world_size-1, in rank order, once each has
    connected and said its rank."""
    peers: list = [None] * (world_size - 1)
    with socket.create_server((addr, port)) as server:
        while None in peers:
            server.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                conn, _ = server.accept()
            except TimeoutError:
                missing = [i + 1 for i, p in enumerate(peers) if p is None]
                raise RuntimeError(
                    f"rendezvous: rank 0 waited at {addr}:{port} but ranks {missing} never "
                    "connected; check that every rank was started with the same MASTER_ADDR, "
                    "MASTER_PORT and WORLD_SIZE"
                ) from None
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
            (peer,) = _HEADER.unpack(recv_exactly(conn, _HEADER.size))
            if not 1 <= peer < world_size or peers[peer - 1] is not None:
                conn.close()
                raise RuntimeError(
                    f"rendezvous: a process connected as rank {peer}, which is not one of the "
                    f"ranks still expected of a world of {world_size}"
                )
            peers[peer - 1] = conn
    return peers


def connect(rank: int, addr: str, port: int, deadline: float, timeout: float) -> socket.socket:
    """On rank ``rank`` > 0: a connection to rank 0 (retried until rank 0 listens), over which
    this rank has said its rank."""
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
    conn.sendall(_HEADER.pack(rank))
    return conn


def recv_exactly(conn: socket.socket, n: int) -> bytes:
    """``n`` bytes from ``conn``; ConnectionError if the peer closes first."""
    chunks, left = [], n
    while left:
        chunk = conn.recv(left)
        if not chunk:
            raise ConnectionError("the peer closed the connection early")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
