"""``skip_init`` (mirrors ``torch.nn.utils.skip_init``)."""

from __future__ import annotations

from ...random import fork_rng


def skip_init(module_cls, *args, **kwargs):
    """Mirrors ``torch.nn.utils.skip_init``: the module without its parameters initialized.
    PyTorch leaves them as uninitialized memory; here they hold the ordinary initial values,
    which is one possible content of uninitialized memory, drawn on a forked random stream
    (PyTorch draws nothing, so later draws stay PyTorch's)."""
    if "device" not in module_cls.__init__.__code__.co_varnames:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    with fork_rng():
        return module_cls(*args, **kwargs)
