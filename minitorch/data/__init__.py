"""Data loading: datasets, samplers, collation, DataLoader (mirrors ``torch.utils.data``),
transforms (``minitorch.data.transforms``, mirrors ``torchvision.transforms``) and datasets that
need no download (``minitorch.data.datasets``, its names also exported here).

What an item is: a TensorDataset sample is a tuple of tensors; MNIST / FashionMNIST give
``(image, label)`` like torchvision, the image a uint8 tensor (28, 28) standing in for the PIL
image (``ToTensor()`` makes it float32 (1, 28, 28) in [0, 1]) and the label a Python int;
TextDataset gives ``(x, y)`` int64 windows. Batches of tuple samples come back as lists, as in
PyTorch's default_collate."""

from . import datasets, transforms
from ._worker import WorkerInfo, get_worker_info
from .collate import collate, default_collate, default_collate_fn_map, default_convert
from .dataloader import DataLoader
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
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
from .distributed import DistributedSampler
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
