"""``minitorch.utils``: mirrors ``torch.utils`` (``minitorch.utils.data``,
``minitorch.utils.checkpoint``)."""

from . import checkpoint, data
