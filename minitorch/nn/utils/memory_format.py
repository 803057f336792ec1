"""Conv weights in another memory layout (mirrors ``torch.nn.utils.memory_format``)."""

from __future__ import annotations

from ... import preserve_format
from ..modules.conv import Conv2d, Conv3d, ConvTranspose2d, ConvTranspose3d
from ..modules.module import Module


def _convert(module: Module, kinds: tuple, memory_format) -> Module:
    if isinstance(module, kinds):
        if memory_format is preserve_format:  # PyTorch's resize_ to it
            raise RuntimeError("Unsupported memory formatPreserve")
        module.weight.data = module.weight.detach().clone(memory_format=memory_format)
    for child in module.children():
        _convert(child, kinds, memory_format)
    return module


def convert_conv2d_weight_memory_format(module: Module, memory_format) -> Module:
    """Mirrors ``torch.nn.utils.convert_conv2d_weight_memory_format``: the weights of every
    ``Conv2d``/``ConvTranspose2d`` in ``module`` take ``memory_format``; returns ``module``."""
    return _convert(module, (Conv2d, ConvTranspose2d), memory_format)


def convert_conv3d_weight_memory_format(module: Module, memory_format) -> Module:
    """Mirrors ``torch.nn.utils.convert_conv3d_weight_memory_format``: the weights of every
    ``Conv3d``/``ConvTranspose3d`` in ``module`` take ``memory_format``; returns ``module``."""
    return _convert(module, (Conv3d, ConvTranspose3d), memory_format)
