"""``ReduceOp``: how ``all_reduce`` combines the ranks' tensors (mirrors
``torch.distributed.ReduceOp``)."""

from __future__ import annotations

import enum


class ReduceOp(enum.Enum):
    """Mirrors ``torch.distributed.ReduceOp``. On bool tensors SUM and MAX are a logical or,
    PRODUCT and MIN a logical and (as PyTorch's NCCL backend does); AVG needs floats."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
