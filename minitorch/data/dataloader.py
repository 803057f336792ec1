"""DataLoader: batches from a dataset, in the sampler's order, optionally prefetched by worker
threads. Mirrors ``torch.utils.data.DataLoader`` (arguments, ``len()`` rules, errors).

The fast path: with the default ``collate_fn``, a dataset that offers ``__getbatch__`` (see
``dataset.py``; TensorDataset, Subset of one, MNIST, TextDataset do) gets each batch from one
fancy-index per array instead of ``batch_size`` calls to ``__getitem__`` and a collate.
"""

from __future__ import annotations

import copy
import functools
import itertools
import multiprocessing
import os
import queue
import threading
import warnings
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import numpy as np

from .. import accelerator
from ..random import Generator, default_generator
from . import _worker
from ._worker import get_worker_info  # noqa: F401  (PyTorch's torch.utils.data.dataloader has it)
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, batch_getter
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

_T_co = TypeVar("_T_co", covariant=True)


class _MapFetcher:
    """Makes the batch of a list of keys of a map-style dataset."""

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        fast = auto_collation and collate_fn is default_collate
        self.getbatch = batch_getter(dataset) if fast else None
        self.runs_user_code = self.getbatch is None
        getitems = getattr(dataset, "__getitems__", None)
        self.getitems = getitems if callable(getitems) else None

    def fetch(self, index):
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if self.getbatch is not None:
            keys = np.asarray(index)  # (floats, bools or no keys: the samples' own errors)
            if keys.dtype.kind in "iu" and keys.size:
                return self.getbatch(keys.astype(np.int64, copy=False))
        if self.getitems is not None:
            return self.collate_fn(self.getitems(index))
        return self.collate_fn([self.dataset[i] for i in index])


class _IterableFetcher:
    """Makes the next batch of an iterable dataset (``len(index)`` samples); raises
    StopIteration when the stream has ended (or only a short batch is left under drop_last)."""

    runs_user_code = True

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool) -> None:
        self.iterator = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.iterator))
        data = list(itertools.islice(self.iterator, len(index)))
        self.ended = len(data) < len(index)
        if not data or (self.drop_last and self.ended):
            raise StopIteration
        return self.collate_fn(data)


def _worker_copy(dataset):
    """The dataset object a worker uses: for a ``Dataset`` its own shallow copy, as PyTorch's
    worker processes each get one, so a ``worker_init_fn`` that configures
    ``get_worker_info().dataset`` (its documented use) configures only that worker. Plain
    containers (lists, arrays) are shared: copying them would copy their items."""
    return copy.copy(dataset) if isinstance(dataset, Dataset) else dataset


def _make_fetcher(dataset, auto_collation: bool, collate_fn, drop_last: bool):
    cls = _IterableFetcher if isinstance(dataset, IterableDataset) else _MapFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)


class _InfiniteConstantSampler(Sampler):
    """The sampler of an iterable dataset: ``None`` forever (the dataset decides the end)."""

    def __iter__(self):
        return itertools.repeat(None)


class _LoaderIter:
    """What every DataLoader iterator is: its own iterator, as long as the loader's index
    sampler (``len(iter(loader))``, as PyTorch's ``_BaseDataLoaderIter``)."""

    _index_sampler: Iterable
    _num_workers = 0

    def __iter__(self):
        return self

    @staticmethod
    def _check_pin_memory(loader: DataLoader) -> None:
        """PyTorch's warnings, each new iterator, for ``pin_memory`` that can't be honoured."""
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn(
                "pin_memory_device is deprecated, the current accelerator will be used as the "
                f"device,ignore pin_memory_device='{loader.pin_memory_device}'.",
                stacklevel=4,
            )
        if loader.pin_memory and not accelerator.is_available():
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device "
                "pinned memory won't be used.",
                stacklevel=4,
            )

    def _start_count(self, loader: DataLoader) -> None:
        """Counts this epoch's batches against the length ``len(loader)`` reported for an
        iterable dataset, if it was asked before (PyTorch's ``_IterableDataset_len_called``)."""
        self._num_yielded = 0
        self._len_called = loader._IterableDataset_len_called
        self._dataset = loader.dataset

    def _yielded(self, batch):
        """``batch``, counted; past the reported length each batch warns, as in PyTorch."""
        self._num_yielded += 1
        if self._len_called is not None and self._num_yielded > self._len_called:
            message = (
                f"Length of IterableDataset {self._dataset} was reported to be "
                f"{self._len_called}(when accessing len(dataloader)), but {self._num_yielded} "
                "samples have been fetched. "
            )
            if self._num_workers > 0:
                message += (
                    "For multiprocessing data-loading, this could be caused by not properly "
                    "configuring the IterableDataset replica at each worker. Please see "
                    "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset "
                    "for examples."
                )
            warnings.warn(message, stacklevel=3)
        return batch

    def __len__(self) -> int:
        return len(self._index_sampler)


class _SerialIter(_LoaderIter):
    """Iterates a DataLoader in the calling thread (``num_workers=0``)."""

    def __init__(self, loader: DataLoader) -> None:
        self._check_pin_memory(loader)
        loader._draw_base_seed()  # unused here, drawn so the random stream matches workers'
        if loader.timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        self._fetcher = _make_fetcher(
            loader.dataset, loader._auto_collation, loader.collate_fn, loader.drop_last
        )
        self._start_count(loader)

    def __next__(self):
        return self._yielded(self._fetcher.fetch(next(self._sampler_iter)))


class _ThreadedIter(_LoaderIter):
    """Iterates a DataLoader with ``num_workers`` prefetching threads. The keys come from the
    sampler in this thread (so the order is the same as with ``num_workers=0``); at most
    ``prefetch_factor * num_workers`` batches are in flight; batches come back in order;
    a worker's exception is re-raised here. Dropping the iterator (``break`` out of the loop)
    or exhausting it stops and joins the threads; with ``persistent_workers`` they live as
    long as the loader."""

    def __init__(self, loader: DataLoader) -> None:
        self._check_pin_memory(loader)
        loader.check_worker_number_rationality()
        if loader.prefetch_factor == 0:
            raise AssertionError(
                "prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter"
            )
        self._num_workers = n = loader.num_workers
        self._threads: list = []
        self._mailbox = mailbox = _worker.Mailbox(_worker.Epoch(0, loader._draw_base_seed()))
        self._queues = [queue.SimpleQueue() for _ in range(n)]
        self._in_flight_max = loader.prefetch_factor * n
        self._timeout = loader.timeout
        self._persistent = loader.persistent_workers
        for i in range(n):
            dataset = _worker_copy(loader.dataset)
            make_fetcher = functools.partial(
                _make_fetcher, dataset, loader._auto_collation, loader.collate_fn,
                loader.drop_last,
            )  # fmt: skip
            args = (i, n, dataset, loader.worker_init_fn, make_fetcher, self._queues[i])
            thread = threading.Thread(
                target=_worker.worker_loop,
                args=(*args, mailbox),
                name=f"DataLoader worker {i}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        self._start_epoch(loader)

    def _start_epoch(self, loader: DataLoader) -> None:
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        self._start_count(loader)
        self._sent = self._received = 0
        self._worker_of: dict = {}
        self._accepting = [True] * self._num_workers
        self._next_worker = itertools.cycle(range(self._num_workers))
        for _ in range(self._in_flight_max):
            self._dispatch()

    def _reset(self, loader: DataLoader) -> None:
        """Starts a new epoch on the same (persistent) threads. As in PyTorch, no new base
        seed is drawn: the workers' streams go on from where the last epoch left them."""
        self._mailbox.new_epoch()
        self._start_epoch(loader)

    def _dispatch(self) -> None:
        """Sends the next key(s) to the next worker whose stream has not ended, if any."""
        if not any(self._accepting):
            return
        index = next(self._sampler_iter, _worker.EXHAUSTED)
        if index is _worker.EXHAUSTED:
            self._accepting = [False] * self._num_workers
            return
        worker = next(w for w in self._next_worker if self._accepting[w])
        self._queues[worker].put((self._mailbox.epoch, self._sent, index))
        self._worker_of[self._sent] = worker
        self._sent += 1

    def __next__(self):
        while self._received < self._sent:
            kind, value = self._mailbox.take(self._received, self._timeout)
            worker = self._worker_of.pop(self._received)
            self._received += 1
            if kind is _worker.EXHAUSTED:
                self._accepting[worker] = False
            self._dispatch()
            if kind is _worker.ERROR:
                raise value
            if kind is _worker.BATCH:
                return self._yielded(value)
        if not self._persistent:
            self._shutdown()
        raise StopIteration

    def _shutdown(self) -> None:
        if self._mailbox.closed:
            return
        self._mailbox.closed = True
        for q in self._queues:
            q.put(None)
        for thread in self._threads:
            if thread is not threading.current_thread():  # gc may run __del__ in a worker
                thread.join(timeout=10)

    def __del__(self) -> None:
        self._shutdown()


class DataLoader(Generic[_T_co]):
    """Mirrors ``torch.utils.data.DataLoader``: iterates ``dataset`` in batches.

    ``shuffle=True`` draws a new permutation each epoch from ``generator`` (a
    ``minitorch.Generator``), else from the default generator, so ``minitorch.manual_seed``
    fixes the order. ``num_workers > 0`` prefetches ``prefetch_factor`` batches per worker on
    background threads (not processes) and yields the same batches, in the same order, as
    ``num_workers=0`` (random draws inside workers, ``torch.rand`` included, come from
    per-worker default generators seeded from the loader's generator, as in PyTorch; a
    persistent loader's later epochs continue them and so shuffle from the stream without
    drawing a base seed, as PyTorch's do). ``pin_memory``, ``pin_memory_device``,
    ``multiprocessing_context`` and ``in_order`` are accepted and have no effect (batches stay
    on the device of the dataset's arrays, workers are threads, batches come in order).
    """

    _FROZEN = (
        "batch_size",
        "batch_sampler",
        "sampler",
        "drop_last",
        "dataset",
        "persistent_workers",
    )

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable | None = None,
        batch_sampler: Sampler | Iterable | None = None,
        num_workers: int = 0,
        collate_fn: Callable | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context=None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; "
                "use num_workers=0 to disable multiprocessing."
            )
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing."
                "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor "
                "to None."
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        if isinstance(dataset, IterableDataset):
            for name, value in (
                ("shuffle", shuffle if shuffle else None),
                ("sampler", sampler),
                ("batch_sampler", batch_sampler),
            ):
                if value is not None:
                    raise ValueError(
                        f"DataLoader with IterableDataset: expected unspecified {name} option, "
                        f"but got {name}={value}"
                    )
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with "
                "drop_last"
            )
        if sampler is None:
            if isinstance(dataset, IterableDataset):
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.pin_memory_device = pin_memory_device
        self.in_order = in_order
        self.generator = generator
        self.collate_fn = collate_fn or (
            default_collate if batch_sampler is not None else default_convert
        )
        self._iterator = None
        self._IterableDataset_len_called = None  # set by len(loader) of an iterable dataset
        self._initialized = True
        self.check_worker_number_rationality()

    def __setattr__(self, name: str, value) -> None:
        if name in self._FROZEN and getattr(self, "_initialized", False):
            raise ValueError(
                f"{name} attribute should not be set after {type(self).__name__} is initialized"
            )
        super().__setattr__(name, value)

    @property
    def multiprocessing_context(self):
        """Mirrors ``DataLoader.multiprocessing_context``: a start method's context (workers
        are threads here, so it only is checked and kept)."""
        return self._multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context) -> None:
        if context is not None:
            if self.num_workers == 0:
                raise ValueError(
                    "multiprocessing_context can only be used with multi-process loading "
                    f"(num_workers > 0), but got num_workers={self.num_workers}"
                )
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError(
                        "multiprocessing_context option should specify a valid start method in "
                        f"{methods!r}, but got multiprocessing_context={context!r}"
                    )
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError(
                    "multiprocessing_context option should be a valid context object or a "
                    f"string specifying the start method, but got multiprocessing_context={context}"
                )
        self._multiprocessing_context = context

    def check_worker_number_rationality(self) -> None:
        """Mirrors ``DataLoader.check_worker_number_rationality``: PyTorch's warning for more
        workers than the CPUs this process may use (at the end of ``__init__`` and at each
        new worker iterator, as PyTorch's)."""
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        if cpus and self.num_workers > cpus:
            warnings.warn(
                f"This DataLoader will create {self.num_workers} worker processes in total. Our "
                f"suggested max number of worker in current system is {cpus}, which is smaller "
                "than what this DataLoader is going to create. Please be aware that excessive "
                "worker creation might get DataLoader running slow or even freeze, lower the "
                "worker number to avoid potential slowness/freeze if necessary.",
                stacklevel=3,
            )

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def _draw_base_seed(self) -> int:
        """The base seed of the worker streams. Every new iterator draws it before the
        sampler draws its order, with or without workers, so both see the same random
        stream (a persistent iterator's later epochs draw none, as in PyTorch)."""
        if self.generator is not None and not isinstance(self.generator, Generator):
            # PyTorch draws it with Tensor.random_(generator=...): its argument parser's error
            raise TypeError(
                "random_() received an invalid combination of arguments - got (generator="
                f"{type(self.generator).__name__}, ), but expected one of:\n * (*, "
                "torch.Generator generator = None)\n * (int from, int to, *, torch.Generator "
                "generator = None)\n * (int to, *, torch.Generator generator = None)\n"
            )
        return (self.generator or default_generator()).rng.random_int64()

    def __iter__(self):
        if self.num_workers == 0:
            return _SerialIter(self)
        if not self.persistent_workers:
            return _ThreadedIter(self)
        if self._iterator is None:
            self._iterator = _ThreadedIter(self)
        else:
            self._iterator._reset(self)
        return self._iterator

    def __len__(self) -> int:
        """Mirrors ``len(DataLoader)``: the number of batches (the sampler's length, or for an
        iterable dataset ``len(dataset)`` divided by ``batch_size``, rounded as drop_last says)."""
        if isinstance(self.dataset, IterableDataset):
            n = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self._index_sampler)
