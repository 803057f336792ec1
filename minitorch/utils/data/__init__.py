"""``minitorch.utils.data``: the names of ``torch.utils.data``, so ``from torch.utils.data
import DataLoader`` keeps working after ``import minitorch as torch``. They live in
``minitorch.data``, whose modules also answer to PyTorch's submodule paths
(``from torch.utils.data.sampler import SubsetRandomSampler``,
``torch.utils.data.distributed.DistributedSampler``, ``...dataloader.default_collate``,
``..._utils.collate.default_collate``)."""

import sys
import types

from ...data import (
    BatchSampler,
    ChainDataset,
    ConcatDataset,
    DataLoader,
    Dataset,
    DistributedSampler,
    IterableDataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    StackDataset,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    WorkerInfo,
    dataloader,
    dataset,
    default_collate,
    default_convert,
    distributed,
    get_worker_info,
    random_split,
    sampler,
)

for _module in (dataloader, dataset, distributed, sampler):
    sys.modules[f"{__name__}.{_module.__name__.rsplit('.', 1)[1]}"] = _module
del _module

# PyTorch's private ``torch.utils.data._utils.collate``, which scripts import default_collate from
_utils = types.ModuleType(f"{__name__}._utils")
_utils.collate = sys.modules["minitorch.data.collate"]
sys.modules[_utils.__name__] = _utils
sys.modules[f"{_utils.__name__}.collate"] = _utils.collate
