"""DistributedDataParallel: the same model on every process, each on its share of the batch,
with gradients averaged across processes during backward (mirrors
``torch.nn.parallel.DistributedDataParallel``)."""

from __future__ import annotations

from contextlib import contextmanager

from ... import distributed as dist
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...distributed.process_group import default_group
from ..modules.module import Module
from .reducer import Reducer


class DistributedDataParallel(Module):
    """Mirrors ``torch.nn.parallel.DistributedDataParallel``.

    At construction, rank 0's parameters and buffers are broadcast to every rank. In each
    forward (with grad enabled, outside ``no_sync()``) rank 0's buffers are broadcast again
    and the reduction of this iteration's gradients is armed; backward then all-reduces them
    in buckets of ``bucket_cap_mb`` as they become ready, overlapping communication with the
    rest of backward, and leaves every rank with the average gradient before
    ``optimizer.step()``. With ``find_unused_parameters=True`` parameters that the forward did
    not use count as ready (zero) at once; those no rank used keep ``.grad`` None.

    ``state_dict()`` keys carry the ``module.`` prefix, as in PyTorch: save
    ``ddp.module.state_dict()`` for a checkpoint that loads without DDP.
    """

    def __init__(
        self,
        module: Module,
        device_ids=None,
        output_device=None,
        broadcast_buffers: bool = True,
        process_group=None,
        bucket_cap_mb: float | None = None,
        find_unused_parameters: bool = False,
    ) -> None:
        super().__init__()
        group = default_group("DistributedDataParallel", process_group)
        params = [p for p in module.parameters() if p.requires_grad]
        if not params:
            raise RuntimeError(
                "DistributedDataParallel is not needed when a module doesn't have any "
                "parameter that requires a gradient."
            )
        for ids in (device_ids, [output_device] if output_device is not None else None):
            if ids is not None and any(str(params[0].device) != str(_device(d)) for d in ids):
                raise ValueError(
                    f"DistributedDataParallel: device_ids/output_device {ids} do not match the "
                    f"module's device {params[0].device}; move the module there first"
                )
        self.module = module
        self.process_group = group
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        with no_grad():
            for t in (*module.parameters(), *module.buffers()):
                dist.broadcast(t, 0)
        self.reducer = Reducer(
            params, 25 if bucket_cap_mb is None else bucket_cap_mb, find_unused_parameters
        )

    @property
    def require_backward_grad_sync(self) -> bool:
        """False inside ``no_sync()``."""
        return self.reducer.sync

    @require_backward_grad_sync.setter
    def require_backward_grad_sync(self, value: bool) -> None:
        self.reducer.sync = value

    def forward(self, *inputs, **kwargs):
        grad = is_grad_enabled()
        sync = grad and self.reducer.sync
        if sync and self.broadcast_buffers:
            with no_grad():
                for b in self.module.buffers():
                    dist.broadcast(b, 0)
        outputs = self.module(*inputs, **kwargs)
        if sync:
            self.reducer.prepare(outputs)
        elif grad:
            self.reducer.disarm()
        return outputs

    @contextmanager
    def no_sync(self):
        """Mirrors ``DistributedDataParallel.no_sync``: forwards and backwards inside only
        accumulate gradients locally; the first synced backward after it averages the
        accumulated sums."""
        old = self.reducer.sync
        self.reducer.sync = False
        try:
            yield
        finally:
            self.reducer.sync = old


def _device(d):
    """``device_ids`` entries may be ints (CUDA indices), strings or devices."""
    return f"cuda:{d}" if isinstance(d, int) else d
