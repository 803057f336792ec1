"""minitorch.nn.parallel: data parallelism in one process and across processes (mirrors ``torch.nn.parallel``)."""

from .data_parallel import DataParallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel"]
