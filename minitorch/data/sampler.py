"""Samplers: the order in which DataLoader visits a map-style dataset. Mirrors
``torch.utils.data.sampler``. Random samplers draw from a ``minitorch.Generator`` when given one,
else from the default generator, so ``minitorch.manual_seed`` fixes the order."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Generic, TypeVar

from .._dtypes import float64
from ..factories import as_tensor, multinomial
from ..random import Generator, generator_rng


def _rng(generator: Generator | None):
    return generator_rng(generator)


def _check_positive_int(name: str, value, bools: bool = False) -> None:
    """PyTorch's check of a count (``bools``: True passes as 1, as RandomSampler's does)."""
    if not isinstance(value, int) or (isinstance(value, bool) and not bools) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")


_T_co = TypeVar("_T_co", covariant=True)


class Sampler(Generic[_T_co]):
    """Mirrors ``torch.utils.data.Sampler``: an iterable of dataset keys (generic, so
    ``Sampler[int]`` subclasses as in PyTorch)."""

    def __iter__(self) -> Iterator:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """Mirrors ``torch.utils.data.SequentialSampler``: ``0, 1, ..., len(data_source) - 1``."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """Mirrors ``torch.utils.data.RandomSampler``: a fresh permutation each epoch (whole
    permutations back to back when ``num_samples`` exceeds the dataset), or ``num_samples``
    draws with replacement."""

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        _check_positive_int("num_samples", self.num_samples, bools=True)

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        """Draws as PyTorch's does (so a seeded program visits the same order): without a
        generator, a new stream seeded from the default one; draws of 32 indices with
        replacement, else whole permutations and one more for the remainder."""
        n, k = len(self.data_source), self.num_samples
        rng = _rng(self.generator)
        if self.generator is None:
            rng = Generator().manual_seed(rng.random_int64()).rng
        if self.replacement:
            if n == 0:  # PyTorch's draws are torch.randint(high=0): its error
                raise RuntimeError("random_ expects 'from' to be less than 'to', but got from=0 >= to=0")  # fmt: skip
            for size in [32] * (k // 32) + [k % 32]:
                yield from rng.integers(0, n, size).tolist()
        else:
            for _ in range(k // n):
                yield from rng.permutation(n).tolist()
            yield from rng.permutation(n)[: k % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """Mirrors ``torch.utils.data.SubsetRandomSampler``: ``indices`` in a random order."""

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in _rng(self.generator).permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """Mirrors ``torch.utils.data.WeightedRandomSampler``: ``num_samples`` keys drawn with
    probabilities proportional to ``weights`` (kept as a float64 tensor) by
    ``torch.multinomial``, whose errors for bad weights come when the sampler is iterated."""

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        generator: Generator | None = None,
    ) -> None:
        _check_positive_int("num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        w = as_tensor(weights, dtype=float64)
        if w.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {tuple(w.shape)}"
            )
        self.weights = w
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        draws = multinomial(
            self.weights, self.num_samples, self.replacement, generator=self.generator
        )  # bad weights raise here, as in PyTorch
        return iter(draws.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Mirrors ``torch.utils.data.BatchSampler``: lists of ``batch_size`` keys from
    ``sampler`` (the last one shorter unless ``drop_last``)."""

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        _check_positive_int("batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list]:
        it = iter(self.sampler)
        while batch := list(itertools.islice(it, self.batch_size)):
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return -(-len(self.sampler) // self.batch_size)
