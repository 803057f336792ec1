"""PyTorch's ``TORCH_WARN_ONCE``: a warning given the first time it comes up in the process
only, whatever Python's warning filters say (``x.T`` of a 3-D tensor, ``meshgrid`` without
``indexing``)."""

from __future__ import annotations

import warnings

_given: set = set()


def warn_once(message: str, category: type = UserWarning, stacklevel: int = 3) -> None:
    """Warns with ``message`` unless it was given before in this process."""
    if message not in _given:
        _given.add(message)
        warnings.warn(message, category, stacklevel=stacklevel)
