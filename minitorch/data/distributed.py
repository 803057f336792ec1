"""DistributedSampler: each process of a data-parallel job reads its own share of the
dataset (mirrors ``torch.utils.data.distributed.DistributedSampler``)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

import numpy as np

from .. import distributed as dist
from ..factories import randperm
from ..random import Generator
from .sampler import Sampler, _T_co


class DistributedSampler(Sampler[_T_co]):
    """Mirrors ``torch.utils.data.distributed.DistributedSampler``.

    PyTorch's partition rule: each epoch's order is ``randperm(len(dataset))`` drawn from a
    generator seeded with ``seed + epoch`` (or ``0..len-1`` without ``shuffle``); it is padded
    by repeating its start until it divides evenly (or, with ``drop_last``, cut to the largest
    multiple of ``num_replicas``), and rank ``r`` takes positions ``r, r + num_replicas, ...``.
    Every rank must use the same seed, and call ``set_epoch(epoch)`` before each epoch for a
    new order. The permutation is PyTorch's for the same seed and epoch.
    """

    def __init__(
        self,
        dataset: Sized,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        if num_replicas is None:
            num_replicas = dist.get_world_size()
        if rank is None:
            rank = dist.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            order = randperm(n, generator=Generator().manual_seed(self.seed + self.epoch))._data
        else:
            order = np.arange(n)
        order = np.resize(order, self.total_size)  # pads by repeating from the start, or cuts
        return iter(order[self.rank : self.total_size : self.num_replicas].tolist())

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Mirrors ``DistributedSampler.set_epoch``: the next iteration uses this epoch's
        order (the same on every rank)."""
        self.epoch = epoch
