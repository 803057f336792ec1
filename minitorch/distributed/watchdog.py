"""The collective timeout: a daemon thread that ends the whole job when a collective has
waited longer than the process group's timeout, so a dead or stuck peer cannot hang the
others forever (the role of PyTorch's NCCL watchdog)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager


class Watchdog:
    """Watches pending collectives; calls ``on_timeout(what)`` once if one is overdue.

    A blocking wait is watched for as long as it lasts (``watching``); a collective queued
    on a GPU stream is watched until ``done()`` says it finished (``track`` with ``done``).
    """

    def __init__(self, timeout: float, on_timeout: Callable[[str], None]) -> None:
        self.timeout = timeout
        self._on_timeout = on_timeout
        self._pending: dict = {}  # token -> (deadline, what, done or None)
        self._tokens = itertools.count()
        self._stop = threading.Event()
        self._period = min(1.0, max(timeout / 10, 0.01))
        self._thread = threading.Thread(target=self._run, name="minitorch-watchdog", daemon=True)
        self._thread.start()

    def track(self, what: str, done: Callable[[], bool] | None = None) -> int:
        """Starts watching ``what``; returns a token for ``untrack``."""
        token = next(self._tokens)
        self._pending[token] = (time.monotonic() + self.timeout, what, done)
        return token

    def untrack(self, token: int) -> None:
        """Stops watching a collective that has finished."""
        self._pending.pop(token, None)

    @contextmanager
    def watching(self, what: str):
        """Watches a blocking wait for as long as the ``with`` block lasts."""
        token = self.track(what)
        try:
            yield
        finally:
            self.untrack(token)

    def close(self) -> None:
        """Stops the thread (destroy_process_group)."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._period):
            now = time.monotonic()
            for token, (deadline, what, done) in list(self._pending.items()):
                if done is not None and done():
                    self._pending.pop(token, None)
                elif now > deadline:
                    self._on_timeout(what)
                    return
