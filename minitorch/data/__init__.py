"""Data loading: datasets, samplers, collation, DataLoader (mirrors ``torch.utils.data``),
transforms (``minitorch.data.transforms``, mirrors ``torchvision.transforms``) and datasets that
need no download (``minitorch.data.datasets``, its names also exported here)."""

from . import datasets, transforms
from ._worker import WorkerInfo, get_worker_info
from .collate import collate, default_collate, default_collate_fn_map, default_convert
from .dataloader import DataLoader
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .datasets import (
    MNIST,
    CharTokenizer,
    FashionMNIST,
    TextDataset,
    load_digits,
    make_blobs,
    make_moons,
    make_spirals,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
