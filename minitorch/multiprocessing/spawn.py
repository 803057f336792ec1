"""``spawn`` / ``start_processes``: run ``fn(i, *args)`` in ``nprocs`` new processes and wait
for them, as ``torch.multiprocessing.spawn`` does. The first process to fail ends the others;
its traceback (or its exit code) comes back to the parent as an exception."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
import sys
import traceback
from collections.abc import Callable


class ProcessException(Exception):
    """Mirrors ``torch.multiprocessing.ProcessException``: a spawned process failed."""

    def __init__(self, msg: str, error_index: int, pid: int) -> None:
        super().__init__(msg)
        self.msg, self.error_index, self.pid = msg, error_index, pid

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.pid)


class ProcessRaisedException(ProcessException):
    """Mirrors ``torch.multiprocessing.ProcessRaisedException``: a process raised; the
    message carries its traceback."""


class ProcessExitedException(ProcessException):
    """Mirrors ``torch.multiprocessing.ProcessExitedException``: a process exited with a
    non-zero code or was killed by a signal."""

    def __init__(self, msg: str, error_index: int, error_pid: int, exit_code: int,
                 signal_name: str | None = None) -> None:  # fmt: skip
        super().__init__(msg, error_index, error_pid)
        self.exit_code, self.signal_name = exit_code, signal_name

    def __reduce__(self):
        args = (self.msg, self.error_index, self.pid, self.exit_code, self.signal_name)
        return type(self), args


def _wrap(fn: Callable, i: int, args: tuple, error_queue) -> None:
    try:
        fn(i, *args)
    except KeyboardInterrupt:
        pass  # the parent asked this process to stop
    except Exception:  # noqa: BLE001 - every failure goes back to the parent
        error_queue.put(traceback.format_exc())
        sys.exit(1)


class ProcessContext:
    """Mirrors ``torch.multiprocessing.ProcessContext``: the spawned processes; ``join``
    waits for them and raises the first failure."""

    def __init__(self, processes: list, error_queues: list) -> None:
        self.processes, self.error_queues = processes, error_queues
        self.sentinels = {p.sentinel: i for i, p in enumerate(processes)}

    def pids(self) -> list:
        """The processes' ids."""
        return [p.pid for p in self.processes]

    def join(self, timeout: float | None = None) -> bool:
        """Waits up to ``timeout`` seconds (None: until one exits). True once all exited
        successfully; on a failure the others are terminated and the failure is raised."""
        if not self.sentinels:
            return True
        ready = multiprocessing.connection.wait(list(self.sentinels), timeout=timeout)
        failed = None
        for sentinel in ready:
            index = self.sentinels.pop(sentinel)
            process = self.processes[index]
            process.join()
            if process.exitcode != 0 and failed is None:
                failed = index
        if failed is None:
            return not self.sentinels
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join()
        self._raise(failed)

    def _raise(self, index: int) -> None:
        process, queue = self.processes[index], self.error_queues[index]
        if queue.empty():
            code = process.exitcode
            if code < 0:
                name = signal.Signals(-code).name
                raise ProcessExitedException(
                    f"process {index} terminated with signal {name}", index, process.pid,
                    code, name,
                )  # fmt: skip
            raise ProcessExitedException(
                f"process {index} terminated with exit code {code}", index, process.pid, code
            )
        trace = queue.get()
        msg = f"\n\n-- Process {index} terminated with the following error:\n{trace}"
        raise ProcessRaisedException(msg, index, process.pid)


SpawnContext = ProcessContext  # PyTorch's older name


def start_processes(fn: Callable, args: tuple = (), nprocs: int = 1, join: bool = True,
                    daemon: bool = False, start_method: str = "spawn") -> ProcessContext | None:  # fmt: skip
    """Mirrors ``torch.multiprocessing.start_processes``: ``fn(i, *args)`` for i in
    0..nprocs-1, each in a new process started by ``start_method``."""
    context = multiprocessing.get_context(start_method)
    processes, error_queues = [], []
    for i in range(nprocs):
        error_queue = context.SimpleQueue()
        process = context.Process(target=_wrap, args=(fn, i, args, error_queue), daemon=daemon)
        process.start()
        processes.append(process)
        error_queues.append(error_queue)
    spawned = ProcessContext(processes, error_queues)
    if not join:
        return spawned
    while not spawned.join():
        pass
    return None


def spawn(fn: Callable, args: tuple = (), nprocs: int = 1, join: bool = True,
          daemon: bool = False, start_method: str = "spawn") -> ProcessContext | None:  # fmt: skip
    """Mirrors ``torch.multiprocessing.spawn``: ``start_processes`` with the spawn method."""
    return start_processes(fn, args, nprocs, join, daemon, start_method)
