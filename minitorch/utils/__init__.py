"""``minitorch.utils``: mirrors ``torch.utils`` (``minitorch.utils.data``,
``minitorch.utils.checkpoint``, ``minitorch.utils.dlpack``, ``minitorch.utils.hooks``)."""

from . import checkpoint, data, dlpack, hooks
from .swap import swap_tensors
