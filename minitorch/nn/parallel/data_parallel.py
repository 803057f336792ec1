"""DataParallel: single-process data parallelism (mirrors ``torch.nn.DataParallel``)."""

from __future__ import annotations

from ... import cuda
from ...backends import Device as _device
from ..modules.module import Module


class DataParallel(Module):
    """Mirrors ``torch.nn.DataParallel``. Without a GPU (as in PyTorch) it only wraps
    ``module``: ``device_ids`` is ``[]``, the call runs ``module`` unchanged, and
    ``state_dict()`` keys carry the ``module.`` prefix. With GPUs it runs on one device
    (``device_ids[0]``, the module moved there when it is the only one); splitting a batch
    over several GPUs is not implemented."""

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0):
        super().__init__()
        if not cuda.is_available():
            self.module = module
            self.device_ids = []
            return
        if device_ids is None:
            device_ids = list(range(cuda.device_count()))
        if output_device is None:
            output_device = device_ids[0]
        self.dim = dim
        self.module = module
        self.device_ids = [_index(d) for d in device_ids]
        self.output_device = _index(output_device)
        self.src_device_obj = _device("cuda", self.device_ids[0])
        if len(self.device_ids) == 1:
            self.module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        if len(self.device_ids) > 1:
            raise NotImplementedError(
                f"DataParallel: splitting the batch over device_ids {self.device_ids} is not "
                "supported; pass device_ids=[one GPU] or use DistributedDataParallel"
            )
        for t in (*self.module.parameters(), *self.module.buffers()):
            if t.device != self.src_device_obj:
                raise RuntimeError(
                    f"module must have its parameters and buffers on device "
                    f"{self.src_device_obj} (device_ids[0]) but found one of them on device: "
                    f"{t.device}"
                )
        return self.module(*inputs, **kwargs)


def _index(d) -> int:
    """A device id from an int or a cuda device."""
    return d if isinstance(d, int) else _device(d).index
