"""``skip_init`` (mirrors ``torch.nn.utils.skip_init``)."""

from __future__ import annotations

import inspect

from ...random import fork_rng
from ..modules.module import Module


def skip_init(module_cls, *args, **kwargs):
    """Mirrors ``torch.nn.utils.skip_init``: the module without its parameters initialized.
    PyTorch leaves them as uninitialized memory; here they hold the ordinary initial values,
    which is one possible content of uninitialized memory, drawn on a forked random stream
    (PyTorch draws nothing, so later draws stay PyTorch's)."""
    if not issubclass(module_cls, Module):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    with fork_rng():
        return module_cls(*args, **kwargs)
