"""minitorch.nn.parallel: data parallelism across processes (mirrors ``torch.nn.parallel``)."""

from .distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
