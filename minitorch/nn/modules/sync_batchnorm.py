"""SyncBatchNorm: batch norm whose statistics are reduced across processes (mirrors
``torch.nn.SyncBatchNorm``)."""

from __future__ import annotations

from ... import distributed as dist
from ..._tensor import Tensor
from .module import Module
from .normalization import _BatchNorm

__all__ = ["SyncBatchNorm"]


class SyncBatchNorm(_BatchNorm):
    """Mirrors ``torch.nn.SyncBatchNorm``. Without an initialised process group (or in eval)
    it is plain batch norm over any input of 2 or more dims, as in PyTorch; in training with
    an initialised process group a CPU input raises PyTorch's ValueError, and the
    cross-process reduction of statistics on GPU is not implemented."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        process_group=None,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias
        )
        self.process_group = process_group

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim < 2:
            raise ValueError(f"expected at least 2D input (got {input.ndim}D input)")
        if input.shape[1] == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        if self.training and dist.is_available() and dist.is_initialized():
            if input.device.type == "cpu":
                raise ValueError(
                    "SyncBatchNorm expected input tensor to be on GPU or XPU or privateuseone"
                )
            if dist.get_world_size(self.process_group) > 1:
                raise NotImplementedError(
                    "SyncBatchNorm: synchronising batch statistics across processes is not "
                    "supported; use BatchNorm (per-process statistics) instead"
                )
        return super().forward(input)

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group=None) -> Module:
        """Mirrors ``torch.nn.SyncBatchNorm.convert_sync_batchnorm``: every BatchNorm*d in
        ``module`` replaced by a SyncBatchNorm sharing its parameters and buffers."""
        output = module
        if isinstance(module, _BatchNorm):
            output = cls(
                module.num_features,
                module.eps,
                module.momentum,
                module.affine,
                module.track_running_stats,
                process_group,
                bias=module.bias is not None,
            )
            if module.affine:
                output.weight = module.weight
                output.bias = module.bias
            output.running_mean = module.running_mean
            output.running_var = module.running_var
            output.num_batches_tracked = module.num_batches_tracked
            output.training = module.training
        for name, child in module.named_children():
            output.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return output
