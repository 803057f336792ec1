"""Datasets: the map-style and iterable base classes, TensorDataset, Subset, ConcatDataset,
ChainDataset and random_split. Mirrors ``torch.utils.data.dataset``.

The vectorised batch protocol: a map-style dataset may define ``__getbatch__(indices)``, taking
a 1-D int64 numpy array and returning the already collated batch, i.e. exactly what
``default_collate([self[i] for i in indices])`` returns. DataLoader then makes each batch with one
call (one fancy-index per array) instead of one ``__getitem__`` per sample. ``__getbatch__`` may
be ``None`` (for example a property that returns ``None``) to say "not available for this
instance"; see :func:`batch_getter` for when the loader uses it.
"""

from __future__ import annotations

import bisect
import itertools
import math
import typing
import warnings
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import Generic, TypeVar

import numpy as np

from .._tensor import Tensor, make_tensor
from ..backends import to_backend
from ..factories import randperm
from ..ops import stack
from ..random import Generator

_T_co = TypeVar("_T_co", covariant=True)


class Dataset(Generic[_T_co]):
    """Mirrors ``torch.utils.data.Dataset``: a map from keys (usually ``0..len-1``) to samples
    (generic, so ``Dataset[int]`` subclasses as in PyTorch).

    Subclasses implement ``__getitem__`` (and usually ``__len__``); they may add the vectorised
    ``__getbatch__`` described in this module's docstring."""

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], typing.Iterable[_T_co]):  # typing's: X[int] as PyTorch
    """Mirrors ``torch.utils.data.IterableDataset``: a stream of samples (``__iter__``).

    With ``num_workers > 0`` every worker thread iterates its own ``iter(dataset)``; split the
    stream with :func:`minitorch.data.get_worker_info` as in PyTorch, or samples repeat.
    ``__iter__`` stays abstract (typing.Iterable's): a class without one can't be
    instantiated, as in PyTorch."""

    def __add__(self, other: Dataset) -> ChainDataset:
        return ChainDataset([self, other])


def batch_getter(dataset) -> Callable | None:
    """The dataset's ``__getbatch__`` if DataLoader may use it in place of ``__getitem__``:
    it must exist, not be ``None``, and neither ``__getitem__`` nor ``__getitems__`` may be
    overridden below the class that defines ``__getbatch__`` (a subclass that changes samples
    falls back to the slow path)."""
    getbatch = getattr(dataset, "__getbatch__", None)
    if getbatch is None:
        return None
    cls = type(dataset)
    owner = next((k for k in cls.__mro__ if "__getbatch__" in vars(k)), cls)  # cls: on instance
    same = cls.__getitem__ is owner.__getitem__ and getattr(cls, "__getitems__", None) is getattr(
        owner, "__getitems__", None
    )
    return getbatch if same else None


class TensorDataset(Dataset):
    """Mirrors ``torch.utils.data.TensorDataset``: sample ``i`` is ``tuple(t[i] for t in
    tensors)``; batches are made by one fancy-index per tensor."""

    def __init__(self, *tensors: Tensor) -> None:
        for i, t in enumerate(tensors):
            if isinstance(t, np.ndarray):  # PyTorch: TypeError "'int' object is not callable"
                raise TypeError(
                    f"TensorDataset: argument {i} is a ndarray, expected a Tensor (wrap numpy "
                    "arrays with torch.from_numpy)"
                )
        # PyTorch's check, and its errors for a 0-d tensor (IndexError) or a list (AttributeError)
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError(
                "Size mismatch between tensors: TensorDataset needs tensors with the same first "
                f"dimension, got shapes {[tuple(t.shape) for t in tensors]}"
            )
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __getbatch__(self, indices: np.ndarray) -> list:
        return [_take(t, indices) for t in self.tensors]

    def __len__(self) -> int:
        return self.tensors[0].size(0)


def _take(t: Tensor, indices: np.ndarray) -> Tensor:
    """Rows ``indices`` of ``t``: one fancy-index on the raw array (when ``t`` requires grad,
    the rows stacked, so the batch's graph is PyTorch's StackBackward0 of the samples)."""
    if t.requires_grad:
        return stack([t[i] for i in indices.tolist()])
    idx = indices if isinstance(t._data, np.ndarray) else to_backend(indices, t._data)
    try:
        return make_tensor(t._data[idx])
    except IndexError:  # PyTorch indexes sample by sample: the first one out of range raises
        for i in indices.tolist():
            t[i]
        raise


class Subset(Dataset[_T_co]):
    """Mirrors ``torch.utils.data.Subset``: the samples of ``dataset`` at ``indices``."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        cls = type(self)
        if cls.__getitem__ is not Subset.__getitem__ and cls.__getitems__ is Subset.__getitems__:
            raise NotImplementedError(
                f"{cls.__name__} overrides __getitem__ but not __getitems__. When subclassing "
                "Subset and overriding __getitem__, you must also override __getitems__ to "
                "ensure DataLoader works correctly with your custom logic. A simple "
                "implementation:\n\ndef __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]"
            )

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list) -> list:
        """Mirrors ``Subset.__getitems__``: the samples at ``indices`` (a list)."""
        inner = getattr(self.dataset, "__getitems__", None)
        if callable(inner):
            return inner([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    @property
    def __getbatch__(self) -> Callable | None:
        inner = batch_getter(self.dataset)
        if inner is None:
            return None
        return lambda positions: inner(self._keys(positions))

    def _keys(self, positions: np.ndarray) -> np.ndarray:
        """The dataset's keys at ``positions`` of ``indices``, read at every batch (indices
        may change in place between epochs)."""
        if isinstance(self.indices, np.ndarray):
            return self.indices[positions]
        keys = map(self.indices.__getitem__, positions.tolist())
        return np.fromiter(keys, np.int64, len(positions))

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset[_T_co]):
    """Mirrors ``torch.utils.data.ConcatDataset``: datasets one after another."""

    @staticmethod
    def cumsum(sequence: Iterable[Sized]) -> list[int]:
        """Mirrors ``ConcatDataset.cumsum``: the running total of the lengths."""
        return list(itertools.accumulate(len(d) for d in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:  # PyTorch's assertions
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    @property
    def cummulative_sizes(self) -> list[int]:
        """Mirrors the deprecated ``ConcatDataset.cummulative_sizes``."""
        warnings.warn(
            "`cummulative_sizes` attribute is renamed to `cumulative_sizes`",
            FutureWarning,
            stacklevel=2,
        )
        return self.cumulative_sizes

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        offset = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][idx - offset]


class ChainDataset(IterableDataset):
    """Mirrors ``torch.utils.data.ChainDataset``: iterable datasets one after another."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def _checked(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):  # PyTorch's assertion
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield d

    def __iter__(self):
        for d in self._checked():
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self._checked())


class StackDataset(Dataset[_T_co]):
    """Mirrors ``torch.utils.data.StackDataset``: datasets of one length side by side; sample
    ``i`` is the tuple (``StackDataset(*datasets)``) or dict (``StackDataset(**datasets)``)
    of their samples ``i``."""

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                "input/output, but both types are given."
            )
        datasets = args or kwargs
        if not datasets:
            raise ValueError("At least one dataset should be passed")
        lengths = {len(d) for d in (args or kwargs.values())}
        if len(lengths) != 1:
            raise ValueError("Size mismatch between datasets")
        self._length = lengths.pop()
        self.datasets = args if args else kwargs

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices: list) -> list:
        """Mirrors ``StackDataset.__getitems__``: the samples at ``indices``, each dataset read
        with its own ``__getitems__`` where it has one."""
        named = isinstance(self.datasets, dict)
        columns = [_items(d, indices) for d in (self.datasets.values() if named else self.datasets)]
        if named:
            return [dict(zip(self.datasets, sample)) for sample in zip(*columns)]
        return list(zip(*columns))

    def __len__(self) -> int:
        return self._length


def _items(dataset, indices: list) -> list:
    """The samples of ``dataset`` at ``indices`` (through its ``__getitems__`` if it has one)."""
    getitems = getattr(dataset, "__getitems__", None)
    if not callable(getitems):
        return [dataset[i] for i in indices]
    items = getitems(indices)
    if len(items) != len(indices):
        raise ValueError(
            f"Nested dataset's output size mismatch. Expected {len(indices)}, got {len(items)}"
        )
    return items


def random_split(
    dataset: Dataset, lengths: Sequence[int | float], generator: Generator | None = None
) -> list[Subset]:
    """Mirrors ``torch.utils.data.random_split``: non-overlapping random subsets with the given
    lengths, or fractions summing to 1 (remainders go round-robin to the first splits). The
    permutation comes from ``generator`` (default: the seeded default generator)."""
    n = len(dataset)
    lengths = list(lengths)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        counts = [math.floor(n * frac) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(
            "Sum of input lengths does not equal the length of the input dataset! "
            f"({sum(lengths)} != {n})"
        )
    if any(isinstance(k, float) for k in lengths):  # PyTorch: randperm() of a float sum
        raise TypeError(
            "randperm() received an invalid combination of arguments - got (float, generator="
            "torch._C.Generator), but expected (int n, *, torch.Generator generator): "
            f"random_split lengths must be ints or fractions summing to 1, got {lengths}"
        )
    if any(k < 0 for k in lengths):  # PyTorch would make overlapping subsets
        raise ValueError(f"random_split lengths must not be negative, got {lengths}")
    indices = randperm(n, generator=generator).tolist()
    ends = itertools.accumulate(int(k) for k in lengths)
    return [Subset(dataset, indices[end - int(k) : end]) for end, k in zip(ends, lengths)]
