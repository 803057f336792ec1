"""DataLoader worker threads: what a worker knows about itself (``get_worker_info``), its own
seeded random stream, the loop it runs, and the mailbox it posts batches to.

Workers are threads, not processes: numpy releases the GIL while it copies and computes, so
batch assembly overlaps the training step without pickling datasets or batches. Each worker
has its own task queue and batches are dealt round-robin (as PyTorch does), so batch ``k``
is always made by worker ``k % num_workers`` and per-worker random streams are reproducible.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..random import Generator, default_generator, use_thread_generator
from ._global_streams import WorkerStreams

_local = threading.local()


@dataclass(frozen=True)
class WorkerInfo:
    """Mirrors ``torch.utils.data.get_worker_info()``'s result, seen inside a worker."""

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info() -> WorkerInfo | None:
    """Mirrors ``torch.utils.data.get_worker_info``: this worker's info inside a DataLoader
    worker thread, ``None`` in the main thread."""
    return getattr(_local, "info", None)


def rng() -> np.random.Generator:
    """The random stream data transforms draw from: the default generator's, which inside a
    worker thread is the worker's own (seeded with ``WorkerInfo.seed``)."""
    return default_generator().rng


_UNCHANGED = contextlib.nullcontext()  # no stream swap around the vectorised path
EXHAUSTED = object()  # result kind: an iterable dataset's stream in this worker has ended
ERROR = object()  # result kind: fetching raised; the value is the exception
BATCH = object()  # result kind: the value is a batch


class Epoch(NamedTuple):
    """One pass over the data: its number and the base seed of the worker streams."""

    number: int
    seed: int


class Mailbox:
    """Where workers post finished batches, keyed by sequence number. ``epoch`` changes when a
    persistent iterator starts a new pass, so late results of the previous one are dropped."""

    def __init__(self, epoch: Epoch) -> None:
        self._cond = threading.Condition()
        self._results: dict = {}
        self.epoch = epoch
        self.closed = False

    def put(self, epoch: Epoch, seq: int, result: tuple) -> None:
        with self._cond:
            if epoch == self.epoch and not self.closed:
                self._results[seq] = result
                self._cond.notify_all()

    def take(self, seq: int, timeout: float) -> tuple:
        with self._cond:
            if not self._cond.wait_for(lambda: seq in self._results, timeout or None):
                raise RuntimeError(
                    f"DataLoader timed out after {timeout} seconds waiting for batch {seq} "
                    "from its workers"
                )
            return self._results.pop(seq)

    def new_epoch(self) -> None:
        with self._cond:
            self.epoch = Epoch(self.epoch.number + 1, self.epoch.seed)
            self._results.clear()


class KeyErrorMessage(str):
    """A KeyError's message that prints as it is (``str(KeyError(m))`` is ``repr(m)``)."""

    def __repr__(self) -> str:
        return self


def wrap_error(error: Exception, worker_id: int) -> Exception:
    """The exception the main thread raises for one raised in a worker, as PyTorch's
    ``ExceptionWrapper.reraise``: the same type, its message ``Caught <type> in DataLoader
    worker process <id>.`` and the worker's traceback (a RuntimeError when the type cannot be
    made from one message)."""
    kind = type(error)
    msg = f"Caught {kind.__name__} in DataLoader worker process {worker_id}.\nOriginal " + "".join(
        traceback.format_exception(error)
    )
    if kind is KeyError:
        msg = KeyErrorMessage(msg)
    elif getattr(kind, "message", None):
        return kind(message=msg)
    try:
        return kind(msg)
    except Exception:
        return RuntimeError(msg)


def _enter_epoch(worker_id: int, num_workers: int, dataset, epoch: Epoch) -> None:
    _local.info = WorkerInfo(worker_id, num_workers, epoch.seed + worker_id, dataset)
    use_thread_generator(Generator().manual_seed(_local.info.seed))  # a worker's manual_seed


def worker_loop(
    worker_id: int, num_workers: int, dataset, init_fn, make_fetcher, tasks, mailbox: Mailbox
) -> None:
    """The body of one worker thread: seed its own default generator with ``epoch.seed +
    worker_id`` and its numpy / Python global streams as PyTorch does, run
    ``init_fn(worker_id)`` once, then fetch the batches of the tasks ``(epoch, seq, index)``
    from ``tasks`` until it yields ``None``. User code (``init_fn``, a dataset's
    ``__getitem__`` / ``__iter__``, a collate_fn) runs on the worker's global streams; the
    vectorised ``__getbatch__`` path needs none. Each new (persistent) epoch gets a fresh
    fetcher; the streams go on, as in PyTorch. Fetch errors are posted (the main thread raises
    them, wrapped as PyTorch's); tasks of a past epoch or a closed mailbox are skipped. Holds
    no reference to the iterator or the loader, so dropping them can shut it down."""
    current = mailbox.epoch
    _enter_epoch(worker_id, num_workers, dataset, current)
    streams = WorkerStreams(current.seed, worker_id)
    init_error = None
    if init_fn is not None:
        try:
            with streams.active():
                init_fn(worker_id)
        except Exception as e:
            init_error = wrap_error(e, worker_id)
    fetcher = None
    while (task := tasks.get()) is not None:
        epoch, seq, index = task
        if mailbox.closed or epoch != mailbox.epoch:
            continue
        try:
            if init_error is not None:
                raise init_error
            if fetcher is None or epoch != current:
                with streams.active():  # an iterable dataset's __iter__ runs here
                    fetcher, current = make_fetcher(), epoch
            with streams.active() if fetcher.runs_user_code else _UNCHANGED:
                result = (BATCH, fetcher.fetch(index))
        except StopIteration:
            result = (EXHAUSTED, None)
        except Exception as e:
            result = (ERROR, e if e is init_error else wrap_error(e, worker_id))
        mailbox.put(epoch, seq, result)
